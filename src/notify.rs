//! Notices: rendering them from the case's templates, handing them off as an outbox of
//! `.eml` files, or sending them over SMTP, journalled in the ledger so that no notice is
//! ever sent twice.
//!
//! # Who gets a notice
//!
//! Members of the plan in force whose decision is `notify` or `consent`, whose channel is
//! `email` and whose state is `pending`. Members on the `site-notice` channel get no email
//! (`handover record --site-notice` records the posting); the summary counts them. A notice
//! is a `consent-request` when the member's decision is `consent` or when it has opt-ins (new
//! uses that wait for a yes), else a `notice`.
//!
//! # Notice key and Message-ID
//!
//! The notice key is the first 32 hex digits of SHA-256 over
//! `handover.notice/1\n{case name}\n{version}\n{member id}\n{lower-cased address}` ([`notice_key`]),
//! where `version` is the `case_pin.id` of the plan the notice was rendered for: a re-plan
//! that changes what members are told makes new keys. The Message-ID is
//! `<{notice key}@{domain of notice.from}>`; the ledger keeps it without the angle brackets
//! in `notices.message_id`, with the keyed hash of the address in `notices.address_key`, so
//! that provider events map back to the member.
//!
//! # The journal
//!
//! A `notices` row is written `prepared` for each notice before anything leaves. Over SMTP
//! the row is set `sending` and committed before the transaction, then `sent` (and the
//! evidence `sent`, source `smtp`), `rejected` on a permanent (5xx) refusal of the recipient
//! or the message (`last_error` = the reply code and text, with any address taken out; the
//! evidence `bounced`, detail `smtp 550 ...`), or back to `prepared` on a temporary (4xx)
//! failure, retried with a doubling backoff up to `--attempts` times and then left
//! `prepared` for the next run. A row found `sending` when a run starts means the previous
//! run died mid-send: it becomes `uncertain` (evidence `uncertain`) and is never sent again
//! automatically; `handover notify --resolve MEMBER --as sent|unsent --by NAME` records an
//! operator's finding (evidence `resolved-sent`/`resolved-unsent`, source `operator`): sent
//! closes the notice, unsent puts it back to `prepared` for the next run. A network failure or
//! timeout after the transaction started also makes the notice `uncertain`. Evidence of a
//! sent notice has the dedupe key `notice:{notice key}:sent`.
//!
//! The outbox writes each notice's files (created `0600`, each written to a temporary name
//! and renamed), syncs them to disk, then marks the batch `written` with the evidence `sent`
//! (source `outbox`: handed off) in one transaction. The `Date` of a message is when its
//! notice was prepared, so an interrupted outbox run that is run again rewrites the same
//! files byte for byte and records nothing twice. A notice already written is rewritten only
//! into an outbox that holds it already, never into a new one.
//!
//! # Templates
//!
//! In the folder `notice.templates`: `notice.<lang>.txt.j2`, else `notice.txt.j2` (the text
//! part, always), picked by the members file's `members.language` column (`ja`, `en-gb`,
//! compared without case; a value without its own template, or with other characters than
//! letters, digits and `-`, means the default). The HTML part, when its file exists, is
//! `notice.<lang>.html.j2` for a language with its own text template and `notice.html.j2`
//! for the default: a member never gets parts in two languages. The first line of the text part is `Subject: ...`,
//! followed by a blank line. Templates are minijinja in strict mode: an undefined variable
//! is an error that names the template and line; HTML templates escape their values.
//!
//! The context of a template:
//!
//! | variable | what |
//! |---|---|
//! | `notice_key`, `message_id` | the notice's key, and its Message-ID without brackets |
//! | `kind` | `notice` or `consent-request` |
//! | `consent` | true when the move itself needs the member's yes |
//! | `opt_in` | the changes whose new use waits for a yes: `[{id, category, kind, summary, material}]` |
//! | `case`, `company`, `acquirer`, `transfer_date`, `contact`, `from`, `reply_to` | from the case file (`reply_to` may be none) |
//! | `member` | `{id, name, language}`: `name` is the cell of the column mapped to `contact.name`, or none |
//! | `changes` | the practice changes that concern the member (those its decision lists; all of the diff's when it lists none, as under `scope: all`), grouped by category in the taxonomy's order: `[{category, items: [{id, category, kind, summary, material}]}]`; summaries are the diff's (English) |
//! | `data` | the data types of the member that leave in the export (export columns mapped to a data type, where the member has a value): `[{id, label}]`, e.g. `{id: "contact.email", label: "email address"}` |
//! | `date`, `deadline`, `deadline_at`, `notice_period_days` | the notice's date, and the date (and RFC 3339 time) by which to object, delete, opt out or answer: the notice's time plus the notice period |
//! | `policies` | `{current: {url, sha256}, acquirer: {url, sha256}}` (`url` may be none) |
//! | `answer` | for a consent request: `{url, address}` (the case's `answer_url` with the key filled in, and `reply_to`; either may be none), else none |
//! | `site_notice_url`, `unsubscribe` | from the case file (`unsubscribe` may be none) |
//!
//! The `.eml` files are RFC 5322 messages built by `lettre` (UTF-8 headers encoded, bodies
//! quoted-printable or base64, `multipart/alternative` with an HTML part), with
//! `Message-ID`, `Date`, `From`, `To`, `Subject`, and `Reply-To` and `List-Unsubscribe`
//! (plus `List-Unsubscribe-Post: List-Unsubscribe=One-Click` for a URL) when the case sets
//! them.
use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::case::{Case, Notice, Source};
use crate::decide::PlanContext;
use crate::error::{Error, Result};
use crate::ledger::notices::{self, Candidate, NoticeRow, NoticeState};
use crate::ledger::{Ledger, Pin};
use crate::model::DecisionKind;

mod outbox;
mod render;
mod smtp;

pub use outbox::{outbox, OutboxSummary};
pub use render::Rendered;
pub use smtp::{send, SmtpOptions, SmtpSummary};

/// The notice key of a member's notice (see the module doc).
pub fn notice_key(case: &str, version: i64, member_id: &str, address: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(b"handover.notice/1\n");
    h.update(case.as_bytes());
    h.update(b"\n");
    h.update(version.to_string().as_bytes());
    h.update(b"\n");
    h.update(member_id.as_bytes());
    h.update(b"\n");
    match address {
        Some(a) => h.update(a.to_lowercase().as_bytes()),
        None => h.update(b"site-notice"),
    }
    crate::policy::hex(&h.finalize())[..32].to_string()
}

/// The Message-ID of a notice, without angle brackets: `{key}@{domain of from}`.
pub fn message_id(key: &str, from: &str) -> String {
    let domain = from.rsplit_once('@').map_or(from, |(_, d)| d);
    format!("{key}@{}", domain.to_ascii_lowercase())
}

/// The clock of a run: fixed by `--now`, or the system's.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// Always this time.
    Fixed(Timestamp),
    /// The system clock.
    System,
}

impl Clock {
    /// The time now.
    pub fn now(self) -> Timestamp {
        let t = match self {
            Clock::Fixed(t) => t,
            Clock::System => Timestamp::now(),
        };
        t.round(jiff::Unit::Second).unwrap_or(t)
    }
}

/// Counts shared by every mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Email notices this run would send or write (dry run), or did.
    pub due: u64,
    /// Members told on the site instead (channel `site-notice`, still pending).
    pub site_notice: u64,
    /// Email members already past `pending` (sent, delivered, answered, ...).
    pub skipped: u64,
    /// Notices found `sending` at start and made `uncertain` (the previous run died
    /// mid-send); with a dry run, how many would be.
    pub recovered_uncertain: u64,
    /// Notices already `uncertain`, waiting for `--resolve`.
    pub waiting_uncertain: u64,
    /// Of `due`, consent requests.
    pub consent_requests: u64,
}

/// A member of the members file that `notify` will tell by email.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub member_id: String,
    pub email: String,
    pub language: String,
    pub name: Option<String>,
    /// Indexes into [`Notifier::labels`] of the data that leave.
    pub data: Vec<u16>,
    pub candidate: Candidate,
}

/// A row read, waiting for its ledger lookup.
struct Pending {
    row: u64,
    fingerprint: i64,
    item: Item,
}

/// Members looked up in the ledger per statement.
const LOOKUP: usize = 1024;

/// A notice prepared in the ledger, with its member.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub item: Item,
    pub row: NoticeRow,
}

/// Everything the modes share: the case, the plan in force, the diff, the templates.
pub(crate) struct Notifier<'c> {
    pub case: &'c Case,
    pub notice: &'c Notice,
    pub pin: Pin,
    pub templates: render::Templates,
    /// What rendering reuses from one notice to the next.
    views: render::Views,
    /// Practice changes by id.
    pub changes: HashMap<String, render::ChangeView>,
    /// Practice change ids in the diff's order (material first).
    pub order: Vec<String>,
    /// Where things are in the members file, mapped from its header on the first read (set
    /// once, so that writer threads can share the notifier while members are read).
    layout: std::sync::OnceLock<Layout>,
    ctx: PlanContext,
}

/// What the members file's header says about its columns.
#[derive(Debug, Default)]
struct Layout {
    /// Data-type labels of export columns: (column index in the members file, label index).
    columns: Vec<(usize, u16)>,
    /// Data types that leave: (id, label).
    labels: Vec<(String, String)>,
    name_column: Option<usize>,
    language_column: Option<usize>,
}

impl<'c> Notifier<'c> {
    /// Checks the case is ready for notices and the inputs are those the plan pinned.
    pub(crate) fn new(case: &'c Case, ledger: &Ledger, now: Timestamp) -> Result<Notifier<'c>> {
        let notice = case.notice.as_ref().ok_or_else(|| Error::Invalid {
            location: case.path.display().to_string(),
            message: "the case file has no `notice:` section; add one (see the README, \
                      \"Sending notices\") with at least templates, from, company, acquirer, \
                      transfer_date, contact and site_notice_url"
                .to_string(),
        })?;
        for (key, value) in [
            ("company", &notice.company),
            ("acquirer", &notice.acquirer),
            ("transfer_date", &notice.transfer_date),
            ("contact", &notice.contact),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                return Err(Error::Invalid {
                    location: notice.at.clone(),
                    message: format!(
                        "`notice.{key}` is missing; every notice must say it, so add it to the \
                         notice section"
                    ),
                });
            }
        }
        let pin = ledger.pin()?.ok_or_else(|| {
            Error::Refused("no plan yet; run `handover plan` before sending notices".to_string())
        })?;
        let current = crate::policy::load(&case.current)?;
        let acquirer = crate::policy::load(&case.acquirer)?;
        if current.sha256 != pin.current.1
            || acquirer.sha256 != pin.acquirer.1
            || case.sha256 != pin.case_sha256
        {
            return Err(Error::Refused(
                "the policies or the case file changed since the plan; notices would not say \
                 what the plan decided. Run `handover plan --replan`, then notify"
                    .to_string(),
            ));
        }
        if let Source::File(path) = &case.members.source {
            let digest = sha256_file(path)?;
            if digest != pin.members_sha256 {
                return Err(Error::Refused(format!(
                    "{} changed since the plan; run `handover plan` again, then notify",
                    path.display()
                )));
            }
        }
        let taxonomy = crate::taxonomy::Taxonomy::embedded();
        let diff = crate::diff::diff(&current, &acquirer, &taxonomy);
        // Review changes (sentences the reading could not place) are for the company's
        // reviewers, not members: a notice states the practice changes only.
        let order = diff
            .practice_changes
            .iter()
            .filter(|c| !c.review)
            .map(|c| c.id.clone())
            .collect();
        let changes = diff
            .practice_changes
            .iter()
            .filter(|c| !c.review)
            .map(|c| (c.id.clone(), render::ChangeView::of(c)))
            .collect();
        let today = jiff::tz::TimeZone::UTC.to_datetime(now).date();
        let ctx = PlanContext::new(case, &diff, today);
        let templates = render::Templates::load(&notice.templates)?;
        Ok(Notifier {
            case,
            notice,
            pin,
            templates,
            views: render::Views::new(notice),
            changes,
            order,
            layout: std::sync::OnceLock::new(),
            ctx,
        })
    }

    /// Data types that leave: (id, label); empty before the members file is read.
    pub(crate) fn labels(&self) -> &[(String, String)] {
        self.layout.get().map_or(&[], |l| &l.labels)
    }

    /// Maps the members file's header.
    fn map_header(&self, header: &[String]) -> Layout {
        let taxonomy = crate::taxonomy::Taxonomy::embedded();
        let members = &self.case.members;
        let position = |name: &str| header.iter().position(|h| h == name);
        let mut layout = Layout::default();
        for (col, type_id) in &members.data_types {
            let exported = members
                .export_columns
                .as_ref()
                .is_none_or(|e| e.iter().any(|c| c.name == col.name));
            if type_id == "contact.name" {
                layout.name_column = position(&col.name);
            }
            if !exported {
                continue;
            }
            let Some(i) = position(&col.name) else {
                continue;
            };
            let label = taxonomy
                .data_type(type_id)
                .map_or_else(|| type_id.clone(), |d| d.label.clone());
            let index = match layout.labels.iter().position(|(id, _)| id == type_id) {
                Some(i) => i,
                None => {
                    layout.labels.push((type_id.clone(), label));
                    layout.labels.len() - 1
                }
            };
            layout.columns.push((i, index as u16));
        }
        layout.language_column = members.language.as_ref().and_then(|c| position(&c.name));
        layout
    }

    /// Streams the members file and calls `f` with each member of the plan and, for those
    /// notify tells by email, an [`Item`]. Counts go to `counts`.
    pub(crate) fn each_member(
        &self,
        ledger: &Ledger,
        counts: &mut Counts,
        mut f: impl FnMut(&Self, Item) -> Result<()>,
    ) -> Result<()> {
        let (input, _) = crate::plan::open_members(self.case)?;
        let name = self.case.members.display.clone();
        let types = crate::datatypes::TypeIndex::new(&crate::taxonomy::Taxonomy::embedded());
        let mut reader =
            crate::members::Reader::new(input, &self.case.members, &types, self.ctx.today())?;
        if let Some(col) = &self.case.members.language {
            if !reader.layout().header.contains(&col.name) {
                return Err(Error::Invalid {
                    location: col.at.clone(),
                    message: format!(
                        "column `{}` is not in the header of {name}; fix the name here or add \
                         the column to the file",
                        col.name
                    ),
                });
            }
        }
        // The file is the one planned (its hash is checked), so its header is the same on
        // every read.
        let layout = self
            .layout
            .get_or_init(|| self.map_header(&reader.layout().header));
        let key = ledger.hash_key();
        let mut pending: Vec<Pending> = Vec::with_capacity(LOOKUP);
        while let Some(row) = reader.next_row(&name)? {
            let row = row.map_err(|bad| {
                Error::Refused(format!(
                    "{name}:row {}: {}; the file differs from the one planned, run `handover \
                     plan` again",
                    bad.row, bad.message
                ))
            })?;
            let cell = |i: usize| {
                std::str::from_utf8(&row.record[i])
                    .map(str::trim)
                    .unwrap_or("")
            };
            let mut data: Vec<u16> = Vec::new();
            for (i, l) in &layout.columns {
                if !cell(*i).is_empty() && !data.contains(l) {
                    data.push(*l);
                }
            }
            pending.push(Pending {
                row: row.row,
                fingerprint: key.record(row.record),
                item: Item {
                    member_id: row.id.to_string(),
                    email: row.email.map(str::to_string).unwrap_or_default(),
                    language: layout.language_column.map(cell).unwrap_or("").to_string(),
                    name: layout
                        .name_column
                        .map(cell)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                    data,
                    // Filled in by the lookup.
                    candidate: Candidate {
                        decision: DecisionKind::Exclude,
                        channel: String::new(),
                        state: String::new(),
                        changes: String::new(),
                        opt_in: String::new(),
                        fingerprint: None,
                        notice: None,
                    },
                },
            });
            if pending.len() >= LOOKUP {
                self.dispatch(ledger, &name, &mut pending, counts, &mut f)?;
            }
        }
        self.dispatch(ledger, &name, &mut pending, counts, &mut f)
    }

    /// Looks a batch of members up in the ledger (one statement) and hands on those notify
    /// tells by email.
    fn dispatch(
        &self,
        ledger: &Ledger,
        name: &str,
        pending: &mut Vec<Pending>,
        counts: &mut Counts,
        f: &mut impl FnMut(&Self, Item) -> Result<()>,
    ) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = pending.iter().map(|p| p.item.member_id.as_str()).collect();
        let json = serde_json::to_string(&ids).unwrap_or_default();
        let mut found =
            notices::candidates(ledger.conn(), &json, self.pin.id).map_err(ledger.err())?;
        for p in pending.drain(..) {
            let Some(candidate) = found.remove(&p.item.member_id) else {
                return Err(Error::Refused(format!(
                    "{name}:row {}: member {} is not in the plan in force; run `handover plan` \
                     again, then notify",
                    p.row, p.item.member_id
                )));
            };
            if candidate.fingerprint.is_some_and(|f| f != p.fingerprint) {
                return Err(Error::Refused(format!(
                    "{name}:row {}: member {} changed since the plan; run `handover plan` again, \
                     then notify",
                    p.row, p.item.member_id
                )));
            }
            if !matches!(
                candidate.decision,
                DecisionKind::Notify | DecisionKind::Consent
            ) {
                continue;
            }
            if candidate.channel != "email" {
                if candidate.state == "pending" {
                    counts.site_notice += 1;
                }
                continue;
            }
            // The plan put the member on email, so its address was valid; the fingerprint
            // check above means the row is unchanged.
            if p.item.email.is_empty() {
                continue;
            }
            f(
                self,
                Item {
                    candidate,
                    ..p.item
                },
            )?;
        }
        Ok(())
    }

    /// The notice kind of a member.
    pub(crate) fn kind(&self, c: &Candidate) -> &'static str {
        if c.decision == DecisionKind::Consent || !c.opt_in.is_empty() {
            "consent-request"
        } else {
            "notice"
        }
    }

    /// Records the notices of `items` as `prepared` (keeping rows already there) inside the
    /// caller's transaction; the jobs come back in the order of `items`.
    ///
    /// Rows go in in notice-key order: the key, the Message-ID and the evidence dedupe key
    /// all start with it, so that their indexes are written page after page instead of one
    /// random page per notice, which a large ledger does not hold in its cache.
    pub(crate) fn prepare(
        &self,
        conn: &rusqlite::Connection,
        hash_key: crate::ledger::HashKey,
        err: &dyn Fn(rusqlite::Error) -> Error,
        items: Vec<Item>,
        now: &str,
    ) -> Result<Vec<Job>> {
        let mut rows: Vec<Option<NoticeRow>> = Vec::with_capacity(items.len());
        let mut new: Vec<(String, usize)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            rows.push(item.candidate.notice.clone());
            if item.candidate.notice.is_some() {
                continue;
            }
            if self.kind(&item.candidate) == "consent-request"
                && self.notice.answer_url.is_none()
                && self.notice.reply_to.is_none()
            {
                return Err(Error::Invalid {
                    location: self.notice.at.clone(),
                    message: "consent requests need a way to answer: set `notice.answer_url` \
                              (with {notice_key}) or `notice.reply_to`"
                        .to_string(),
                });
            }
            let key = notice_key(
                &self.case.name,
                self.pin.id,
                &item.member_id,
                Some(&item.email),
            );
            new.push((key, i));
        }
        new.sort_unstable();
        for (key, i) in new {
            let item = &items[i];
            let message_id = message_id(&key, &self.notice.from);
            let (language, template_sha256) = self.templates.identity(&item.language);
            let row = notices::prepare(
                conn,
                &notices::NewNotice {
                    key: &key,
                    pin: self.pin.id,
                    member_id: &item.member_id,
                    kind: self.kind(&item.candidate),
                    address_key: hash_key.address(&item.email),
                    message_id: &message_id,
                    template_sha256,
                    current_sha256: &self.pin.current.1,
                    acquirer_sha256: &self.pin.acquirer.1,
                    language,
                    created_at: now,
                },
            )
            .map_err(err)?;
            rows[i] = Some(row);
        }
        // Every row is filled: kept from the candidate or prepared above.
        Ok(items
            .into_iter()
            .zip(rows)
            .filter_map(|(item, row)| row.map(|row| Job { item, row }))
            .collect())
    }
}

/// Marks notices left `sending` by a run that died `uncertain`, with their evidence; returns
/// how many.
pub(crate) fn recover(ledger: &mut Ledger, now: &str) -> Result<u64> {
    let err = ledger.err();
    let mut w = ledger.write("notify")?;
    let rows = notices::in_state(w.conn(), NoticeState::Sending).map_err(&err)?;
    for row in &rows {
        notices::set_state(
            w.conn(),
            row.id,
            NoticeState::Uncertain,
            row.attempts,
            "the run sending it stopped mid-send",
            None,
        )
        .map_err(&err)?;
        let at: Timestamp = now.parse().unwrap_or(Timestamp::UNIX_EPOCH);
        crate::ledger::evidence::add(
            w.conn(),
            &crate::ledger::evidence::NewEvidence::produced(
                &row.member_id,
                crate::machine::Event::Uncertain,
                at,
                "smtp",
                "the run sending it stopped mid-send; resolve with `handover notify --resolve`",
                &format!("notice:{}:uncertain:{}", row.key, row.attempts),
            )
            .of_notice(&row.message_id, row.id),
            now,
        )
        .map_err(&err)?;
    }
    w.commit()?;
    Ok(rows.len() as u64)
}

/// How many notices wait in `state`.
pub(crate) fn count_state(ledger: &Ledger, state: NoticeState) -> Result<u64> {
    Ok(notices::in_state(ledger.conn(), state)
        .map_err(ledger.err())?
        .len() as u64)
}

/// What a dry run found: what would go, without writing anything.
pub fn dry_run(case: &Case, now: Timestamp) -> Result<Counts> {
    let ledger = open(case, now)?;
    let n = Notifier::new(case, &ledger, now)?;
    let mut counts = Counts {
        recovered_uncertain: count_state(&ledger, NoticeState::Sending)?,
        waiting_uncertain: count_state(&ledger, NoticeState::Uncertain)?,
        ..Counts::default()
    };
    let mut due = 0;
    let mut consent = 0;
    let mut skipped = 0;
    n.each_member(&ledger, &mut counts, |n, item| {
        match eligible(&item.candidate) {
            Some(_) => {
                due += 1;
                if n.kind(&item.candidate) == "consent-request" {
                    consent += 1;
                }
            }
            None => skipped += 1,
        }
        Ok(())
    })?;
    counts.due = due;
    counts.consent_requests = consent;
    counts.skipped = skipped;
    Ok(counts)
}

/// Whether a member is due a notice now, and the notice to reuse.
pub(crate) fn eligible(c: &Candidate) -> Option<Option<&NoticeRow>> {
    if c.state != "pending" {
        return None;
    }
    match &c.notice {
        None => Some(None),
        Some(row) if row.state == NoticeState::Prepared => Some(Some(row)),
        Some(_) => None,
    }
}

/// One member's notice, rendered at `now` (or when it was prepared), for `--preview`.
pub fn preview(case: &Case, now: Timestamp, member_id: &str) -> Result<Rendered> {
    let ledger = open(case, now)?;
    let n = Notifier::new(case, &ledger, now)?;
    let mut found = None;
    let mut counts = Counts::default();
    n.each_member(&ledger, &mut counts, |n, item| {
        if found.is_none() && item.member_id == member_id {
            let key = notice_key(&case.name, n.pin.id, &item.member_id, Some(&item.email));
            let row = item.candidate.notice.clone().unwrap_or_else(|| NoticeRow {
                id: 0,
                message_id: message_id(&key, &n.notice.from),
                key,
                member_id: item.member_id.clone(),
                state: NoticeState::Prepared,
                attempts: 0,
                created_at: now.to_string(),
            });
            found = Some(n.render(&Job { item, row })?);
        }
        Ok(())
    })?;
    found.ok_or_else(|| Error::Invalid {
        location: "--preview".to_string(),
        message: format!(
            "member {member_id} gets no email notice (not in the plan, not notify or consent, or \
             told on the site); `handover status` shows the members' states"
        ),
    })
}

/// What `--resolve` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Members whose uncertain notice was resolved.
    pub members: Vec<String>,
}

/// Records an operator's finding on uncertain notices: of `member` (or all with `None`),
/// `sent` true (it went out) or false (it did not: it goes again on the next run).
pub fn resolve(
    case: &Case,
    now: Timestamp,
    member: Option<&str>,
    sent: bool,
    by: &str,
    note: Option<&str>,
) -> Result<Resolved> {
    if by.trim().is_empty() {
        return Err(Error::Invalid {
            location: "--by".to_string(),
            message: "say who resolved it, e.g. --by \"A. Tanaka (privacy office)\"".to_string(),
        });
    }
    let mut ledger = open(case, now)?;
    let err = ledger.err();
    let at = now.to_string();
    let mut w = ledger.write("notify --resolve")?;
    let rows = match member {
        Some(m) => match notices::of_member(w.conn(), m, NoticeState::Uncertain).map_err(&err)? {
            Some(row) => vec![row],
            None => {
                return Err(Error::Invalid {
                    location: "--resolve".to_string(),
                    message: format!(
                        "member {m} has no uncertain notice; `handover notify --dry-run` counts \
                         the uncertain ones"
                    ),
                })
            }
        },
        None => notices::in_state(w.conn(), NoticeState::Uncertain).map_err(&err)?,
    };
    let detail = match note {
        Some(n) if !n.trim().is_empty() => format!("by {by}: {n}"),
        _ => format!("by {by}"),
    };
    let mut out = Resolved::default();
    for row in rows {
        let (event, state) = if sent {
            (crate::machine::Event::ResolvedSent, NoticeState::Sent)
        } else {
            (crate::machine::Event::ResolvedUnsent, NoticeState::Prepared)
        };
        notices::set_state(
            w.conn(),
            row.id,
            state,
            row.attempts,
            "",
            sent.then_some(at.as_str()),
        )
        .map_err(&err)?;
        crate::ledger::evidence::add(
            w.conn(),
            &crate::ledger::evidence::NewEvidence::produced(
                &row.member_id,
                event,
                now,
                "operator",
                &detail,
                &format!("notice:{}:resolved:{}", row.key, row.attempts),
            )
            .of_notice(&row.message_id, row.id),
            &at,
        )
        .map_err(&err)?;
        out.members.push(row.member_id);
    }
    w.commit()?;
    Ok(out)
}

/// Opens the case's ledger, which must exist.
pub(crate) fn open(case: &Case, now: Timestamp) -> Result<Ledger> {
    if !case.ledger.exists() {
        return Err(Error::Refused(format!(
            "{} does not exist; run `handover plan` before sending notices",
            case.ledger.display()
        )));
    }
    Ledger::open(&case.ledger, &now.to_string())
}

fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut h = Sha256::new();
    std::io::copy(&mut file, &mut h).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(crate::policy::hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_keys_and_message_ids_are_pinned() {
        // The contract: SHA-256 of "handover.notice/1\n{case}\n{version}\n{member}\n{address}",
        // first 32 hex digits. Values computed independently with
        // `printf 'handover.notice/1\nSakura Travel acquires Metropolis\n1\nM00000001\nsota@example.jp' | sha256sum`.
        let key = notice_key(
            "Sakura Travel acquires Metropolis",
            1,
            "M00000001",
            Some("Sota@Example.JP"),
        );
        assert_eq!(key, KEY_EMAIL);
        assert_eq!(
            notice_key("Sakura Travel acquires Metropolis", 1, "M00000001", None),
            KEY_SITE
        );
        assert_ne!(
            notice_key(
                "Sakura Travel acquires Metropolis",
                2,
                "M00000001",
                Some("sota@example.jp")
            ),
            key
        );
        assert_eq!(
            message_id(&key, "privacy@Metropolis.example"),
            format!("{KEY_EMAIL}@metropolis.example")
        );
    }

    const KEY_EMAIL: &str = "ab9e9bfdeb9b39f979e804591cec8790";
    const KEY_SITE: &str = "ec603d284c8826efaf09047d7b9945d2";
}
