//! `handover record`: evidence files into the ledger, and the prominent site notice.
//!
//! # Files
//!
//! Each file is read in its format ([`crate::evidence`], detected unless `--format` names
//! it) and recorded through [`crate::ledger::evidence::Batch`], which dedupes and moves the
//! member's state with the state machine. In order:
//!
//! 1. **Check.** Every file is read whole and every record validated before anything is
//!    written. One malformed record refuses the run (exit 2, `FILE:LINE` and what is wrong,
//!    up to 10 per file), and nothing is recorded from any file. While checking, the
//!    addresses of events that name neither a member id nor a known notice Message-ID are
//!    collected (as keyed hashes).
//! 2. **Match.** Those addresses are looked up in `notices.address_key`, and the rest in one
//!    scan of `members.email_key`. An address two members share matches no one.
//! 3. **Record.** The files are read again and recorded in batches of [`BATCH`] (50,000) events, each
//!    batch one transaction (`BEGIN IMMEDIATE`, from its first event to its last): a crash
//!    loses at most the batch in flight, and running the same command again records the rest
//!    (the others are replays). A batch reads each member once and writes each moved
//!    member's state once, at its end ([`crate::ledger::evidence::Batch`]: the rows are those
//!    of recording its events one by one, in file order).
//!
//! Each file is read (split, parsed, hashed) on a second thread while this one matches and
//! records ([`evidence::read_ahead`]), in both passes.
//!
//! An event is matched, in order, by the notice's Message-ID (`notices.message_id`), else
//! the member id, else the address. An event that matches no member of the plan in force is
//! *unmatched*: counted and listed with its file and line (never its address), not recorded.
//! `record` then exits 0 and warns; with `--strict`, unmatched events refuse the run
//! (exit 2) before anything is recorded.
//!
//! The summary counts, per file and in all: records read, recorded (with the state moves
//! they made, per event), refused by the state machine (recorded as evidence; the state is
//! unchanged; with the reason), replays (already in the ledger: nothing written), unmatched,
//! and ignored provider events (opens, clicks, ...; per provider event name).
//!
//! # The site notice
//!
//! `record --site-notice URL --posted-at TIME [--until TIME]` records the posting in
//! `site_notices` (pinned to the plan in force; the same URL and time again is the same
//! posting, and an end may be added later), then [`crate::machine::Event::SiteNotice`] at
//! the posting time for every member on the `site-notice` channel still `pending`, and every
//! `notify` member whose notice bounced hard (a `consent` member does not fall back: a page
//! cannot collect a yes). Replay key: `site-notice:{url}:{posted_at}:{member_id}`; running it
//! again tells only members who bounced since. A member whose bounce came after `--until`
//! (the page was down by then) is not told by this posting, and is counted. The summary
//! warns when the page comes down before the notice period has run from its posting.
use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::case::Case;
use crate::error::{Error, Result};
use crate::evidence::{self, Context, Format, Item, Record};
use crate::ledger::evidence::{add, Applied, Batch, NewEvidence};
use crate::ledger::record::{self as sql, Lookups, Owner};
use crate::ledger::{HashKey, Ledger, SharedWrite};
use crate::machine::{window_end, Event};
use crate::model::State;

/// Events per transaction.
pub const BATCH: usize = 50_000;
/// Members a site notice tells per transaction.
const SITE_BATCH: usize = 10_000;
/// Bad records listed per file.
const BAD_LISTED: usize = 10;

/// What to record.
#[derive(Debug, Clone)]
pub struct Options {
    /// The evidence files.
    pub files: Vec<PathBuf>,
    /// Their format; `None`: detect each.
    pub format: Option<Format>,
    /// Unmatched events refuse the run.
    pub strict: bool,
    /// List at most this many unmatched events (`None`: all).
    pub list: Option<usize>,
    /// Events per transaction: [`BATCH`] from the command line; a crash loses at most the
    /// batch in flight. Any size records the same rows (0 counts as 1).
    pub batch: usize,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// `false` while checking, `true` while recording.
    pub recording: bool,
    /// Bytes read in this phase.
    pub bytes: u64,
    /// Bytes to read in this phase.
    pub total: u64,
}

/// Why an event matched no one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// The member id is not in the plan in force.
    UnknownMember,
    /// No notice went to the address and no member has it.
    UnknownAddress,
    /// Several members share the address.
    SharedAddress,
}

impl Why {
    /// For people.
    pub fn as_str(self) -> &'static str {
        match self {
            Why::UnknownMember => "no member of the plan in force has this id",
            Why::UnknownAddress => "no notice went to this address and no member has it",
            Why::SharedAddress => "several members share this address; give a member id",
        }
    }
}

/// An event that matched no one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// The file.
    pub file: PathBuf,
    /// The line its record starts on.
    pub line: u64,
    /// The event.
    pub event: &'static str,
    /// Why.
    pub why: Why,
}

/// Counts for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Evidence records read.
    pub records: u64,
    /// Recorded (the state moved, or had nothing to move).
    pub recorded: u64,
    /// Recorded, but refused by the state machine.
    pub refused: u64,
    /// Already recorded.
    pub replays: u64,
    /// Matched no one.
    pub unmatched: u64,
    /// Provider events that are not evidence.
    pub ignored: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Per file, in the order given.
    pub files: Vec<FileSummary>,
    /// Recorded per event name (refused ones included).
    pub events: BTreeMap<&'static str, u64>,
    /// State moves made: (from, to) -> members.
    pub moves: BTreeMap<(State, State), u64>,
    /// Refusals of the state machine, per reason.
    pub refused: BTreeMap<String, u64>,
    /// Ignored provider events, per name.
    pub ignored: BTreeMap<String, u64>,
    /// The first unmatched events.
    pub unmatched: Vec<Unmatched>,
}

impl Summary {
    fn total(&self, f: impl Fn(&FileSummary) -> u64) -> u64 {
        self.files.iter().map(f).sum()
    }
    /// Records read.
    pub fn records(&self) -> u64 {
        self.total(|f| f.records)
    }
    /// Recorded, refused ones apart.
    pub fn recorded(&self) -> u64 {
        self.total(|f| f.recorded)
    }
    /// Refused by the state machine.
    pub fn refused_total(&self) -> u64 {
        self.total(|f| f.refused)
    }
    /// Replays.
    pub fn replays(&self) -> u64 {
        self.total(|f| f.replays)
    }
    /// Unmatched.
    pub fn unmatched_total(&self) -> u64 {
        self.total(|f| f.unmatched)
    }
    /// Ignored.
    pub fn ignored_total(&self) -> u64 {
        self.total(|f| f.ignored)
    }
}

/// Whom an event is about, once matched.
enum Resolved {
    Member {
        member_id: String,
        notice: Option<i64>,
        message_id: Option<String>,
    },
    Unmatched(Why),
}

/// The matcher: the case key and the address owners found in step 2.
struct Matcher {
    key: HashKey,
    owners: FxHashMap<i64, Owner>,
}

impl Matcher {
    /// `check_member`: ask whether a member id is in the plan (when recording,
    /// [`add`] does).
    fn resolve(
        &self,
        lookups: &mut Lookups<'_>,
        r: &Record,
        check_member: bool,
    ) -> rusqlite::Result<Resolved> {
        if let Some(id) = &r.member.message_id {
            if let Some(n) = lookups.notice_by_message_id(id)? {
                return Ok(Resolved::Member {
                    member_id: n.member_id,
                    notice: Some(n.id),
                    message_id: Some(id.clone()),
                });
            }
        }
        if let Some(id) = &r.member.member_id {
            if check_member && !lookups.is_member(id)? {
                return Ok(Resolved::Unmatched(Why::UnknownMember));
            }
            return Ok(Resolved::Member {
                member_id: id.clone(),
                notice: None,
                message_id: None,
            });
        }
        let Some(address) = &r.member.address else {
            return Ok(Resolved::Unmatched(Why::UnknownAddress));
        };
        Ok(match self.owners.get(&self.key.address(address.trim())) {
            Some(Owner::Member(m)) => Resolved::Member {
                member_id: m.clone(),
                notice: None,
                message_id: None,
            },
            Some(Owner::Shared) => Resolved::Unmatched(Why::SharedAddress),
            None => Resolved::Unmatched(Why::UnknownAddress),
        })
    }
}

/// Opens the case's ledger and the plan in force, or refuses.
fn open(case: &Case, now: Timestamp) -> Result<(Ledger, crate::ledger::Pin)> {
    if !case.ledger.exists() {
        return Err(no_plan());
    }
    let ledger = Ledger::open(&case.ledger, &now.to_string())?;
    let pin = ledger.pin()?.ok_or_else(no_plan)?;
    Ok((ledger, pin))
}

fn no_plan() -> Error {
    Error::Refused(
        "there is no plan to record evidence against; run `handover plan` first".to_string(),
    )
}

/// Records evidence files (see the module doc).
pub fn record(
    case: &Case,
    options: &Options,
    now: Timestamp,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Summary> {
    let (ledger, _pin) = open(case, now)?;
    // Events land at random places in the evidence indexes (dedupe keys, Message-IDs): a
    // larger page cache than the ledger's default keeps more of them between two events
    // (48 MiB, not 64: a batch of 50,000 events fills it, and peak RSS stays near 80 MiB).
    // The journal is copied into the ledger file after 16,384 pages (256 MiB) instead of
    // SQLite's 1,000: each copy writes and syncs every page the batches since the last one
    // touched, so fewer copies write the hot index pages fewer times (1 million generic-CSV
    // events: 31.2 s against 27.2 s; SES 22.5 s against 21.9 s). For the same reason a batch
    // is 50,000 events: each commit writes every page the batch touched, and random dedupe
    // keys (`sha256:`) touch most of their index in any batch (1 million generic-CSV events:
    // 19.4 CPU s in batches of 10,000, 17.8 in batches of 50,000). The journal file is
    // emptied when the command ends.
    ledger
        .conn()
        .execute_batch("PRAGMA cache_size = -49152; PRAGMA wal_autocheckpoint = 16384")
        .map_err(ledger.err())?;
    let ctx = Context {
        key: ledger.hash_key(),
        now,
        hash: true,
    };
    // The checking passes keep no record, so they skip the hashing.
    let check = Context { hash: false, ..ctx };
    let mut formats = Vec::with_capacity(options.files.len());
    let mut total = 0u64;
    for path in &options.files {
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(Error::Invalid {
                location: path.display().to_string(),
                message: "not a file; give evidence files (a folder's files: `dir/*.json`)".into(),
            });
        }
        total += meta.len();
        formats.push(match options.format {
            Some(f) => f,
            None => evidence::detect(path)?,
        });
    }

    // Steps 1 and 2 read the ledger in one read transaction (a snapshot, and one lock
    // instead of one per question).
    ledger
        .conn()
        .execute_batch("BEGIN DEFERRED")
        .map_err(ledger.err())?;
    let matcher = check_and_match(
        &ledger,
        &options.files,
        &formats,
        &check,
        total,
        on_progress,
    );
    let _ = ledger.conn().execute_batch("COMMIT");
    let matcher = matcher?;

    if options.strict {
        strict_check(
            &ledger,
            &options.files,
            &formats,
            &check,
            &matcher,
            options.list,
        )?;
    }

    // 3. Record.
    let mut summary = Summary::default();
    let bytes = Cell::new(0u64);
    let recorded_at = now.to_string();
    let mut done = 0u64;
    for (path, &format) in options.files.iter().zip(&formats) {
        let mut file = FileSummary {
            path: path.clone(),
            format,
            records: 0,
            recorded: 0,
            refused: 0,
            replays: 0,
            unmatched: 0,
            ignored: 0,
        };
        let source_file = path.display().to_string();
        let mut current: Option<Open<'_>> = None;
        evidence::read_ahead(path, format, &ctx, 0, &bytes, |item| {
            match item {
                Item::Ignored(name, _) => {
                    file.ignored += 1;
                    *summary.ignored.entry(name).or_default() += 1;
                }
                Item::Record(r) => {
                    file.records += 1;
                    let batch = match &mut current {
                        Some(batch) => batch,
                        None => current.insert(Open::begin(&ledger, &recorded_at)?),
                    };
                    let source = Source {
                        format,
                        file: &source_file,
                        list: options.list,
                    };
                    batch.record(&matcher, &source, r, &mut file, &mut summary)?;
                    if batch.events >= options.batch.max(1) {
                        current.take().map_or(Ok(()), Open::commit)?;
                        on_progress(Progress {
                            recording: true,
                            bytes: done + bytes.get(),
                            total,
                        });
                    }
                }
            }
            Ok(())
        })?;
        current.take().map_or(Ok(()), Open::commit)?;
        done += bytes.get();
        summary.files.push(file);
    }
    on_progress(Progress {
        recording: true,
        bytes: total,
        total,
    });
    Ok(summary)
}

/// Where the records being recorded come from.
struct Source<'a> {
    format: Format,
    file: &'a str,
    list: Option<usize>,
}

/// A batch being recorded: its write transaction, open from its first record to its last.
struct Open<'l> {
    lookups: Lookups<'l>,
    batch: Batch<'l>,
    /// Records in it.
    events: usize,
    err: Box<dyn Fn(rusqlite::Error) -> Error + 'l>,
    // Last: the statements above go back to the cache before the transaction ends.
    write: SharedWrite<'l>,
}

impl<'l> Open<'l> {
    fn begin(ledger: &'l Ledger, recorded_at: &'l str) -> Result<Open<'l>> {
        let err = ledger.err();
        let write = ledger.write_shared("record")?;
        Ok(Open {
            lookups: Lookups::new(ledger.conn()).map_err(&err)?,
            batch: Batch::new(ledger.conn(), recorded_at).map_err(&err)?,
            events: 0,
            err: Box::new(err),
            write,
        })
    }

    /// Matches and records one record, counting what it did.
    fn record(
        &mut self,
        matcher: &Matcher,
        source: &Source<'_>,
        r: Record,
        file: &mut FileSummary,
        summary: &mut Summary,
    ) -> Result<()> {
        self.events += 1;
        let resolved = matcher
            .resolve(&mut self.lookups, &r, false)
            .map_err(&self.err)?;
        let (member_id, notice, message_id) = match resolved {
            Resolved::Member {
                member_id,
                notice,
                message_id,
            } => (member_id, notice, message_id),
            Resolved::Unmatched(why) => {
                note_unmatched(summary, file, &r, why, source.list);
                return Ok(());
            }
        };
        let e = NewEvidence {
            member_id: &member_id,
            event: r.event,
            at: r.at,
            source: source.format.as_str(),
            detail: &r.detail,
            dedupe_key: &r.dedupe,
            source_file: Some(source.file),
            source_line: Some(r.line),
            raw_sha256: Some(&r.raw_sha256),
            message_id: message_id.as_deref(),
            notice,
            changes: &r.changes,
        };
        match self.batch.add(&e).map_err(&self.err)? {
            Applied::Recorded { from, to, .. } => {
                file.recorded += 1;
                *summary.events.entry(r.event.as_str()).or_default() += 1;
                if from != to {
                    *summary.moves.entry((from, to)).or_default() += 1;
                }
            }
            Applied::Refused { refused, .. } => {
                file.refused += 1;
                *summary.events.entry(r.event.as_str()).or_default() += 1;
                *summary.refused.entry(refused.to_string()).or_default() += 1;
            }
            Applied::Replay => file.replays += 1,
            Applied::UnknownMember => {
                note_unmatched(summary, file, &r, Why::UnknownMember, source.list)
            }
        }
        Ok(())
    }

    /// Writes the batch's moves and commits.
    fn commit(self) -> Result<()> {
        let Open {
            lookups,
            batch,
            err,
            write,
            ..
        } = self;
        batch.finish().map_err(&err)?;
        drop(lookups);
        write.commit()
    }
}

/// Steps 1 and 2: checks every file whole, collecting the addresses of events that name
/// neither a member id nor a known notice, and finds their owners.
fn check_and_match(
    ledger: &Ledger,
    files: &[PathBuf],
    formats: &[Format],
    ctx: &Context,
    total: u64,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Matcher> {
    // 1. Check every file; collect the addresses to look up.
    let mut addresses: FxHashSet<i64> = FxHashSet::default();
    let mut done = 0u64;
    let bytes = Cell::new(0u64);
    for (path, &format) in files.iter().zip(formats) {
        let mut lookups = Lookups::new(ledger.conn()).map_err(ledger.err())?;
        let mut seen = 0u64;
        let (bad, bad_total) =
            evidence::read_ahead(path, format, ctx, BAD_LISTED, &bytes, |item| {
                if let Item::Record(r) = item {
                    // Only the address of an event that names neither a member nor a known
                    // notice is looked up, so the notice is asked after only then.
                    if let (None, Some(a)) = (&r.member.member_id, &r.member.address) {
                        let known_notice = match &r.member.message_id {
                            Some(id) => lookups.is_message_id(id).map_err(ledger.err())?,
                            None => false,
                        };
                        if !known_notice {
                            addresses.insert(ctx.key.address(a.trim()));
                        }
                    }
                }
                seen += 1;
                if seen % 4096 == 0 {
                    on_progress(Progress {
                        recording: false,
                        bytes: done + bytes.get(),
                        total,
                    });
                }
                Ok(())
            })?;
        if bad_total > 0 {
            return Err(evidence::refused(path, &bad, bad_total));
        }
        done += bytes.get();
    }

    // 2. Match the addresses: notices first, then one scan of the members.
    let mut owners = FxHashMap::default();
    let mut rest = FxHashSet::default();
    for key in addresses {
        match sql::notice_owner(ledger.conn(), key).map_err(ledger.err())? {
            Some(owner) => {
                owners.insert(key, owner);
            }
            None => {
                rest.insert(key);
            }
        }
    }
    owners.extend(ledger.members_by_address(&rest)?);
    drop(rest);
    Ok(Matcher {
        key: ctx.key,
        owners,
    })
}

fn note_unmatched(
    summary: &mut Summary,
    file: &mut FileSummary,
    r: &Record,
    why: Why,
    list: Option<usize>,
) {
    file.unmatched += 1;
    if list.is_none_or(|n| summary.unmatched.len() < n) {
        summary.unmatched.push(Unmatched {
            file: file.path.clone(),
            line: r.line,
            event: r.event.as_str(),
            why,
        });
    }
}

/// `--strict`: every event must match a member of the plan, or nothing is recorded.
fn strict_check(
    ledger: &Ledger,
    files: &[PathBuf],
    formats: &[Format],
    ctx: &Context,
    matcher: &Matcher,
    list: Option<usize>,
) -> Result<()> {
    let mut unmatched: Vec<(PathBuf, u64, Why)> = Vec::new();
    let mut count = 0u64;
    let bytes = Cell::new(0);
    for (path, &format) in files.iter().zip(formats) {
        let mut lookups = Lookups::new(ledger.conn()).map_err(ledger.err())?;
        evidence::read_ahead(path, format, ctx, 0, &bytes, |item| {
            if let Item::Record(r) = item {
                let resolved = matcher
                    .resolve(&mut lookups, &r, true)
                    .map_err(ledger.err())?;
                if let Resolved::Unmatched(why) = resolved {
                    count += 1;
                    if list.is_none_or(|n| unmatched.len() < n) {
                        unmatched.push((path.clone(), r.line, why));
                    }
                }
            }
            Ok(())
        })?;
    }
    let Some((path, line, why)) = unmatched.first() else {
        return Ok(());
    };
    let mut message = format!(
        "{} ({count} event{} matched no member; --strict records nothing then: fix the files \
         or run without --strict)",
        why.as_str(),
        if count == 1 { "" } else { "s" }
    );
    for (p, l, w) in unmatched.iter().skip(1) {
        message.push_str(&format!("\n  {}:{l}: {}", p.display(), w.as_str()));
    }
    if count > unmatched.len() as u64 {
        message.push_str(&format!(
            "\n  ... and {} more",
            count - unmatched.len() as u64
        ));
    }
    Err(Error::Invalid {
        location: format!("{}:{line}", path.display()),
        message,
    })
}

/// A posting of the prominent site notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteNotice {
    /// Where it is posted.
    pub url: String,
    /// When it went up.
    pub posted_at: Timestamp,
    /// When it came (or comes) down, if known.
    pub until: Option<Timestamp>,
}

/// What recording a site notice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSummary {
    /// The posting.
    pub notice: SiteNotice,
    /// Whether the posting was new to the ledger.
    pub new_posting: bool,
    /// Members told by it now (state moved).
    pub told: u64,
    /// Recorded without a move (already told).
    pub unchanged: u64,
    /// Already recorded for this posting.
    pub replays: u64,
    /// Refusals of the state machine, per reason.
    pub refused: BTreeMap<String, u64>,
    /// Bounced after the page came down: not told by this posting.
    pub after_until: u64,
    /// When the notice period from the posting ends, if the page comes down before that.
    pub short_until: Option<Timestamp>,
}

/// Records the site notice and tells the members it reaches (see the module doc).
pub fn site_notice(case: &Case, notice: &SiteNotice, now: Timestamp) -> Result<SiteSummary> {
    let bad = |what: &str, message: String| Error::Invalid {
        location: what.to_string(),
        message,
    };
    let url = notice.url.trim();
    let is_url = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !is_url {
        return Err(bad(
            "--site-notice",
            "not an http(s) URL; give the address of the page that carries the notice".into(),
        ));
    }
    if notice.posted_at > now {
        return Err(bad(
            "--posted-at",
            format!(
                "{} is after now ({now}); record a posting once it is up (or fix --now)",
                notice.posted_at
            ),
        ));
    }
    if notice.until.is_some_and(|u| u <= notice.posted_at) {
        return Err(bad(
            "--until",
            "the notice comes down before it goes up; --until must be after --posted-at".into(),
        ));
    }
    let (mut ledger, pin) = open(case, now)?;
    let posted = notice.posted_at.to_string();
    let until = notice.until.map(|u| u.to_string());
    let recorded_at = now.to_string();
    let err = ledger.err();
    let mut w = ledger.write("record")?;
    let new_posting = match sql::post_site_notice(
        w.conn(),
        pin.id,
        url,
        &posted,
        until.as_deref(),
        &recorded_at,
    )
    .map_err(&err)?
    {
        Ok(new) => new,
        Err(before) => {
            return Err(bad(
                "--until",
                format!(
                    "this posting is recorded as taken down at {}; a posting's end is recorded \
                     once (record a new posting for a new period)",
                    before.unwrap_or_default()
                ),
            ))
        }
    };
    w.commit()?;
    let mut summary = SiteSummary {
        notice: SiteNotice {
            url: url.to_string(),
            ..notice.clone()
        },
        new_posting,
        told: 0,
        unchanged: 0,
        replays: 0,
        refused: BTreeMap::new(),
        after_until: 0,
        short_until: None,
    };
    let end = window_end(notice.posted_at, pin.notice_period_days);
    if let (Some(until), Some(end)) = (notice.until, end) {
        if until < end {
            summary.short_until = Some(end);
        }
    }
    let mut after = String::new();
    loop {
        let mut w = ledger.write("record")?;
        let targets = sql::site_notice_targets(w.conn(), &after, SITE_BATCH).map_err(&err)?;
        let Some(last) = targets.last() else {
            break;
        };
        after = last.member_id.clone();
        for t in &targets {
            let since = t.since.as_deref().and_then(|s| s.parse::<Timestamp>().ok());
            if t.state == State::Bounced.as_str()
                && notice.until.is_some_and(|u| since.is_some_and(|s| s > u))
            {
                summary.after_until += 1;
                continue;
            }
            let dedupe = format!("site-notice:{url}:{posted}:{}", t.member_id);
            let e = NewEvidence::produced(
                &t.member_id,
                Event::SiteNotice,
                notice.posted_at,
                "site-notice",
                "",
                &dedupe,
            );
            match add(w.conn(), &e, &recorded_at).map_err(&err)? {
                Applied::Recorded { from, to, .. } if from != to => summary.told += 1,
                Applied::Recorded { .. } => summary.unchanged += 1,
                Applied::Refused { refused, .. } => {
                    *summary.refused.entry(refused.to_string()).or_default() += 1
                }
                Applied::Replay => summary.replays += 1,
                Applied::UnknownMember => {}
            }
        }
        w.commit()?;
    }
    Ok(summary)
}
