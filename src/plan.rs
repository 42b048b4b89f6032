//! `plan` end to end: policies → diff, members → decisions → ledger, in one transaction.
//!
//! The members file is streamed once, on two threads: this one reads, checks and decides
//! rows and writes the decisions CSV; a writer thread owns the ledger transaction and gets
//! the rows in batches of 4,096 over a bounded channel. Probable duplicate people are found
//! with bucket files in bounded memory ([`crate::dedup`]). Members that look alike to the rules (same status,
//! email validity, relevant data types, age bands, flags, withdrawal) share one decision, so
//! [`crate::decide::decide`] runs once per distinct case and the ledger stores each distinct
//! decision once. Every row is validated inside the transaction; any bad row (or a duplicate
//! member id, found by the ledger's primary key) rolls everything back, so nothing is written
//! and the caller discards the decisions CSV.
//!
//! Rows a person should look at are flagged in the ledger's `reviews` (codes `;`-joined when a
//! row has several): `invalid-email:<problem>` (noticed on the site instead),
//! `email-reduced:display-name` (the address inside `Name <address>` is used),
//! `implausible-age:born-after-joining` and `implausible-age:under-5-at-joining` (decided as if
//! the birth date were unknown), `same-email:<row>:<member_id>` (probably the same person).
//!
//! The decisions CSV has one row per member: `member_id,decision,channel,reason,rules,changes,
//! opt_in` (`;`-separated rule and change ids; a change id is in `changes` or in `opt_in`, never
//! both).
//!
//! Pins: the plan records the hashes of the case file, both policies, each rule pack and the
//! members file. A later `plan` whose case, policies or packs differ from the pin in force is
//! refused (exit 3) unless `replan` is set; a changed members file is simply planned again. A
//! re-run with identical inputs writes the same decisions and adds no pin (it only moves the
//! pin's `planned_at`).
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::io::{Read, Write};

use jiff::Timestamp;

use crate::case::{Case, Source};
use crate::decide::{decide, Decision, DecisionKind, Member, PlanContext, Status};
use crate::dedup::{self, SameEmail};
use crate::digest::HashingReader;
use crate::email::Problem;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, Pin};
use crate::members::{AgeProblem, BadRow, Reader, Row};
use crate::model::{ConsentBy, ConsentMode, Deal, TransferBasis};
use crate::rules::Channel;

mod writer;

use writer::{Batch, Message, Written, BATCH};

/// At most this many bad rows and flagged rows are listed; the rest are counted.
pub const LIST_LIMIT: usize = 20;

/// Where the plan is up to, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Bytes of the members file read.
    pub bytes: u64,
    /// Its size, when known.
    pub total: Option<u64>,
    /// Rows read.
    pub rows: u64,
}

/// A member whose email cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidEmail {
    /// The row.
    pub row: u64,
    /// The member id.
    pub member_id: String,
    /// Why.
    pub problem: Problem,
}

/// A member whose birth date cannot be right: decided as if it were unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplausibleAge {
    /// The row.
    pub row: u64,
    /// The member id.
    pub member_id: String,
    /// Why.
    pub problem: AgeProblem,
}

/// A member whose email had a display name; the address inside it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReducedEmail {
    /// The row.
    pub row: u64,
    /// The member id.
    pub member_id: String,
}

/// How many members a new use waits on (a practice change in their `opt_in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptInTally {
    /// The practice change id.
    pub change: String,
    /// Its summary, for people.
    pub summary: String,
    /// Members who must say yes before it applies to them.
    pub members: u64,
}

/// The deal as the case states it, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealTerms {
    /// The kind of deal.
    pub deal: Deal,
    /// The acquirer's country, if given.
    pub acquirer_country: Option<String>,
    /// The basis for a move abroad, if given.
    pub transfer_basis: Option<TransferBasis>,
    /// Ring-fence or block.
    pub consent_mode: ConsentMode,
    /// Purposes declared related.
    pub related_purposes: Vec<String>,
    /// Promise packs whose `covers_deals` leave this deal out.
    pub outside_promise: Vec<String>,
}

/// One line of the summary: how many members got a decision, for a reason, on a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The decision.
    pub decision: DecisionKind,
    /// The reason.
    pub reason: String,
    /// The channel.
    pub channel: Option<Channel>,
    /// Members.
    pub members: u64,
}

/// What `plan` did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The case name.
    pub case: String,
    /// The pin in force after the plan.
    pub pin: Pin,
    /// Pack ids.
    pub packs: Vec<String>,
    /// Practice changes, and how many are material.
    pub changes: (usize, usize),
    /// Members per decision, in [`DecisionKind::ALL`] order.
    pub decisions: [u64; 4],
    /// Members per decision, reason and channel.
    pub tallies: Vec<Tally>,
    /// Members whose email cannot be used (the first [`LIST_LIMIT`]), and how many in all.
    pub invalid_emails: (Vec<InvalidEmail>, u64),
    /// Probable duplicate people (the first [`LIST_LIMIT`]), and how many in all.
    pub same_email: (Vec<SameEmail>, u64),
    /// Members whose birth date cannot be right (the first [`LIST_LIMIT`]), and how many.
    pub implausible_ages: (Vec<ImplausibleAge>, u64),
    /// Members whose email was reduced from a display name (the first [`LIST_LIMIT`]), and
    /// how many.
    pub reduced_emails: (Vec<ReducedEmail>, u64),
    /// The deal terms the decisions rest on (`consent_mode` among them).
    pub terms: DealTerms,
    /// Per practice change, how many members must say yes before its new use applies.
    pub opt_ins: Vec<OptInTally>,
    /// Members whose yes must come from a parent or guardian.
    pub consent_by_parent: u64,
    /// Whether the inputs were those already pinned.
    pub unchanged: bool,
    /// Whether `--replan` replaced a pin whose case, policies or packs differed.
    pub replanned: bool,
    /// Members added, removed or changed since the plan in force (re-plans only).
    pub members: crate::ledger::MemberChanges,
}

/// What a decision depends on besides the context: members with equal keys decide alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    status: usize,
    withdrawal: u8,
    email: bool,
    /// The relevant data types held.
    held: crate::decide::DataTypes,
    /// How many age thresholds the member is under.
    ages: usize,
    flags: u8,
}

struct Profile {
    decision: Decision,
    /// `,decision,channel,reason,rules,changes,opt_in\n`, escaped.
    tail: Vec<u8>,
}

fn csv_tail(d: &Decision) -> Vec<u8> {
    let mut tail = Vec::new();
    for field in [
        d.kind.as_str(),
        d.channel.map_or("", |c| c.as_str()),
        &d.reason,
        &d.rules.join(";"),
        &d.changes.join(";"),
        &d.opt_in.join(";"),
    ] {
        tail.push(b',');
        csv_field(&mut tail, field);
    }
    tail.push(b'\n');
    tail
}

/// Appends a CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(out: &mut Vec<u8>, field: &str) {
    if field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// Decides rows, once per group of members that look alike to the rules.
struct Decider<'a> {
    case: &'a Case,
    ctx: &'a PlanContext,
    ages: Vec<u32>,
    relevant: crate::decide::DataTypes,
    withdrawals: HashMap<String, crate::decide::Withdrawal>,
    /// Looked up once per row: FxHash, not SipHash (the keys are our own, not an attacker's).
    memo: FxHashMap<Key, usize>,
    /// The key of the row being decided, reused so that a lookup does not allocate.
    probe: Key,
    profiles: Vec<Profile>,
    counts: Vec<FxHashMap<Option<Channel>, u64>>,
    invalid: Vec<InvalidEmail>,
    invalid_total: u64,
    /// Whether a status in neither list stops the plan (no `other: exclude`).
    stop_on_other: bool,
    /// Status values in neither list, with their counts (the first [`LIST_LIMIT`] values).
    unmatched: std::collections::BTreeMap<String, u64>,
    unmatched_total: u64,
    implausible: (Vec<ImplausibleAge>, u64),
    reduced: (Vec<ReducedEmail>, u64),
}

impl<'a> Decider<'a> {
    fn new(
        case: &'a Case,
        ctx: &'a PlanContext,
        withdrawals: HashMap<String, crate::decide::Withdrawal>,
    ) -> Decider<'a> {
        Decider {
            case,
            ctx,
            ages: ctx.ages(),
            relevant: ctx.relevant_types(),
            withdrawals,
            memo: FxHashMap::default(),
            probe: Key {
                status: 0,
                withdrawal: 0,
                email: false,
                held: ctx.no_types(),
                ages: 0,
                flags: 0,
            },
            profiles: Vec::new(),
            counts: Vec::new(),
            invalid: Vec::new(),
            invalid_total: 0,
            stop_on_other: case
                .members
                .status
                .as_ref()
                .is_some_and(|s| !s.other_excluded),
            unmatched: std::collections::BTreeMap::new(),
            unmatched_total: 0,
            implausible: (Vec::new(), 0),
            reduced: (Vec::new(), 0),
        }
    }

    /// The profile index of a row's decision (new decisions are appended to `new`), and why
    /// its email cannot be used, if so.
    fn row(&mut self, row: &Row<'_>, new: &mut Vec<Decision>) -> (usize, Option<Problem>) {
        let withdrawal = if self.withdrawals.is_empty() {
            None
        } else {
            self.withdrawals.get(row.id).copied()
        };
        let status = row.status(&self.case.members);
        if status == Status::Other && self.stop_on_other {
            self.unmatched_total += 1;
            if let Some(n) = self.unmatched.get_mut(row.status) {
                *n += 1;
            } else if self.unmatched.len() < LIST_LIMIT {
                self.unmatched.insert(row.status.to_string(), 1);
            }
        }
        let member = Member {
            id: row.id,
            status,
            email_valid: row.email.is_ok(),
            held: &row.held,
            birth_date: row.usable_birth_date(),
            flags: row.flags,
            withdrawal,
        };
        self.fill_probe(&member);
        let index = match self.memo.get(&self.probe) {
            Some(i) => *i,
            None => {
                let key = self.probe.clone();
                let decision = decide(&member, self.ctx);
                new.push(decision.clone());
                self.profiles.push(Profile {
                    tail: csv_tail(&decision),
                    decision,
                });
                self.counts.push(FxHashMap::default());
                self.memo.insert(key, self.profiles.len() - 1);
                self.profiles.len() - 1
            }
        };
        let channel = self.profiles[index].decision.channel;
        *self.counts[index].entry(channel).or_default() += 1;
        let problem = match row.email {
            Err(Some(problem)) => {
                self.invalid_total += 1;
                if self.invalid.len() < LIST_LIMIT {
                    self.invalid.push(InvalidEmail {
                        row: row.row,
                        member_id: row.id.to_string(),
                        problem,
                    });
                }
                Some(problem)
            }
            _ => None,
        };
        if let Some(problem) = row.age_problem {
            self.implausible.1 += 1;
            if self.implausible.0.len() < LIST_LIMIT {
                self.implausible.0.push(ImplausibleAge {
                    row: row.row,
                    member_id: row.id.to_string(),
                    problem,
                });
            }
        }
        if row.email_reduced {
            self.reduced.1 += 1;
            if self.reduced.0.len() < LIST_LIMIT {
                self.reduced.0.push(ReducedEmail {
                    row: row.row,
                    member_id: row.id.to_string(),
                });
            }
        }
        (index, problem)
    }

    fn fill_probe(&mut self, member: &Member<'_>) {
        let probe = &mut self.probe;
        probe.status = match member.status {
            Status::Transfer => 0,
            Status::Other => usize::MAX,
            Status::Exclude(v) => {
                1 + self
                    .case
                    .members
                    .status
                    .as_ref()
                    .and_then(|s| s.exclude.iter().position(|x| x == v))
                    .unwrap_or(0)
            }
        };
        probe.withdrawal = member.withdrawal.map_or(0, |w| w as u8 + 1);
        probe.email = member.email_valid;
        probe.held.clone_from(member.held);
        probe.held.intersect_with(&self.relevant);
        probe.ages = self.ctx.age_band(&self.ages, member.birth_date);
        probe.flags = member.flags;
    }
}

/// Plans the case: see the module doc. `out` receives the decisions CSV.
///
/// A ledger that did not exist before and a plan that fails are both undone: no empty ledger
/// is left behind.
pub fn run(
    case: &Case,
    now: Timestamp,
    replan: bool,
    out: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary> {
    let existed = case.ledger.exists();
    let result = run_in_ledger(case, now, replan, out, progress);
    if result.is_err() && !existed {
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let mut name = case.ledger.as_os_str().to_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(std::path::PathBuf::from(name));
        }
    }
    result
}

fn run_in_ledger(
    case: &Case,
    now: Timestamp,
    replan: bool,
    out: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary> {
    let current = crate::policy::load(&case.current)?;
    let acquirer = crate::policy::load(&case.acquirer)?;
    let taxonomy = crate::taxonomy::Taxonomy::embedded();
    let diff = crate::diff::diff(&current, &acquirer, &taxonomy);
    let planned_at = now.round(jiff::Unit::Second).unwrap_or(now).to_string();
    let today = jiff::tz::TimeZone::UTC.to_datetime(now).date();

    let mut ledger = Ledger::open(&case.ledger, &planned_at)?;
    let key = ledger.hash_key();
    // The gate and the plan share one write transaction: two plans cannot both pass it.
    let mut write = ledger.write("plan")?;
    let previous = write.ledger().pin()?;
    let mut pin = new_pin(case, &planned_at, &current.sha256, &acquirer.sha256);
    let changed = check_pin(previous.as_ref(), &pin, replan)?;
    let ctx = PlanContext::new(case, &diff, today);
    check_ages_mapped(case, &ctx)?;

    let (input, total) = open_members(case)?;
    let hashing = HashingReader::new(input);
    let name = case.members.display.clone();
    let types = crate::datatypes::TypeIndex::new(&taxonomy);
    let reader = Reader::new(hashing, &case.members, &types, today)?;
    let mut csv_out = out;
    if let Some(w) = csv_out.as_mut() {
        w.write_all(b"member_id,decision,channel,reason,rules,changes,opt_in\n")
            .map_err(csv_write_error)?;
    }
    let err = write.ledger().err();
    let mut stream = Stream {
        reader,
        decider: Decider::new(case, &ctx, write.ledger().withdrawals()?),
        finder: dedup::Finder::new().map_err(temp_error)?,
        key,
        name: name.clone(),
        total,
        csv_out,
        line: Vec::new(),
        rows: 0,
        bad: Vec::new(),
        bad_total: 0,
        same_email: Vec::new(),
        same_total: 0,
    };
    // Two threads: this one reads, checks and decides; the writer writes into the transaction.
    let (to_writer, from_reader) = std::sync::mpsc::sync_channel::<Message>(4);
    let conn = write.conn();
    let mut written = std::thread::scope(|scope| -> Result<Written> {
        let key = stream.key;
        let writer = scope.spawn(move || writer::write(conn, key, from_reader));
        let read = stream.read_rows(&to_writer, progress);
        let finish = match &read {
            Ok(()) if stream.clean() => {
                pin.members = stream.rows;
                pin.members_sha256 = stream.reader.get_ref().sha256();
                let unchanged = previous.as_ref().is_some_and(|p| p.same_inputs(&pin));
                stream.same_email(&to_writer).map(|()| Message::Finish {
                    pin: pin.clone(),
                    unchanged,
                    replan: !changed.is_empty(),
                    members_may_change: replan || previous.is_none(),
                })
            }
            _ => Ok(Message::Abort),
        };
        let temp_failure = match finish {
            Ok(message) => {
                let _ = to_writer.send(message);
                None
            }
            Err(e) => {
                let _ = to_writer.send(Message::Abort);
                Some(e)
            }
        };
        drop(to_writer);
        let written = writer.join().expect("the ledger writer does not panic");
        read?;
        if let Some(e) = temp_failure {
            return Err(temp_error(e));
        }
        written.map_err(&err)
    })?;
    let Stream {
        decider,
        mut bad,
        bad_total,
        rows,
        same_email,
        same_total,
        mut csv_out,
        ..
    } = stream;
    bad.extend(std::mem::take(&mut written.duplicates));
    bad.sort_by_key(|b| b.row);
    let read = RowsRead {
        rows,
        bad: &bad,
        bad_total: bad_total + written.duplicates_total,
    };
    check_read(case, &read, &decider, &written, previous.as_ref())?;
    write.commit()?;
    if let Some(w) = csv_out.as_mut() {
        w.flush().map_err(|source| Error::Write {
            path: "decisions CSV".into(),
            source,
        })?;
    }
    let unchanged = written.unchanged;
    let pin = ledger.pin()?.expect("a pin was just written");
    let members = written.members;

    let (decisions, tallies) = tally(&decider.profiles, &decider.counts);
    let (opt_ins, consent_by_parent) = tally_opt_ins(&decider.profiles, &decider.counts, &diff);
    Ok(Summary {
        case: case.name.clone(),
        pin,
        packs: case.rules.packs().iter().map(|p| p.id.clone()).collect(),
        changes: (
            diff.practice_changes.len(),
            diff.practice_changes.iter().filter(|c| c.material).count(),
        ),
        decisions,
        tallies,
        invalid_emails: (decider.invalid, decider.invalid_total),
        same_email: (same_email, same_total),
        implausible_ages: decider.implausible,
        reduced_emails: decider.reduced,
        terms: DealTerms {
            deal: case.deal,
            acquirer_country: case.acquirer_country.clone(),
            transfer_basis: case.transfer_basis,
            consent_mode: case.consent_mode,
            related_purposes: case.related_purposes.clone(),
            outside_promise: crate::rules::promises_not_covering(case.rules.packs(), case.deal)
                .map(|p| p.id.clone())
                .collect(),
        },
        opt_ins,
        consent_by_parent,
        unchanged,
        replanned: !changed.is_empty(),
        members,
    })
}

/// What differs between the pin in force and the new one (members aside).
fn changed_inputs(old: &Pin, new: &Pin) -> Vec<String> {
    let mut out = Vec::new();
    if old.current.1 != new.current.1 {
        out.push(format!("the current policy ({})", new.current.0));
    }
    if old.acquirer.1 != new.acquirer.1 {
        out.push(format!("the acquirer's policy ({})", new.acquirer.0));
    }
    if old.case_sha256 != new.case_sha256 {
        out.push("the case file".to_string());
    }
    if old.packs != new.packs {
        out.push("the rule packs".to_string());
    }
    out
}

/// The members file on its way through a plan: read, checked, decided, written to the
/// decisions CSV and handed to the ledger writer in batches.
struct Stream<'a, 'o, R: std::io::Read> {
    reader: Reader<HashingReader<R>>,
    decider: Decider<'a>,
    finder: dedup::Finder,
    key: crate::ledger::HashKey,
    name: String,
    total: Option<u64>,
    csv_out: Option<&'o mut dyn Write>,
    line: Vec<u8>,
    rows: u64,
    bad: Vec<BadRow>,
    bad_total: u64,
    same_email: Vec<SameEmail>,
    same_total: u64,
}

impl<R: std::io::Read> Stream<'_, '_, R> {
    /// Whether every row so far was good and decided.
    fn clean(&self) -> bool {
        self.bad_total == 0 && self.decider.unmatched_total == 0 && self.rows > 0
    }

    /// Reads every row; bad rows are collected (reading goes on), good ones decided, written
    /// to the decisions CSV (while no row was bad) and sent to the writer.
    fn read_rows(
        &mut self,
        to_writer: &std::sync::mpsc::SyncSender<Message>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let mut batch = Batch::with_capacity();
        let result = (|| -> Result<()> {
            loop {
                if self.rows % 8192 == 0 {
                    progress(Progress {
                        bytes: self.reader.position(),
                        total: self.total,
                        rows: self.rows,
                    });
                }
                let Some(next) = self.reader.next_row(&self.name)? else {
                    return Ok(());
                };
                self.rows += 1;
                let row = match next {
                    Ok(row) => row,
                    Err(b) => {
                        self.bad_total += 1;
                        if self.bad.len() < LIST_LIMIT * 5 {
                            self.bad.push(b);
                        }
                        continue;
                    }
                };
                let (index, problem) = self.decider.row(&row, &mut batch.new_profiles);
                let email_key = row.email.as_ref().ok().map(|e| self.key.address(e));
                if let Some(key) = email_key {
                    self.finder.add(key, row.row, row.id).map_err(temp_error)?;
                }
                // The row's fingerprint is hashed by the writer, which has time to spare.
                batch.push(row.id, row.row, email_key, row.record, index, problem);
                batch.flag(row.age_problem, row.email_reduced);
                if self.bad_total == 0 {
                    if let Some(w) = self.csv_out.as_mut() {
                        self.line.clear();
                        csv_field(&mut self.line, row.id);
                        self.line
                            .extend_from_slice(&self.decider.profiles[index].tail);
                        w.write_all(&self.line).map_err(csv_write_error)?;
                    }
                }
                // A closed channel means the writer failed; its error is reported by the caller.
                if batch.len() == BATCH
                    && to_writer
                        .send(Message::Rows(std::mem::replace(
                            &mut batch,
                            Batch::with_capacity(),
                        )))
                        .is_err()
                {
                    return Ok(());
                }
            }
        })();
        let _ = to_writer.send(Message::Rows(batch));
        progress(Progress {
            bytes: self.total.unwrap_or(0),
            total: self.total,
            rows: self.rows,
        });
        result
    }

    /// Finds the probable duplicate people and sends them to the writer.
    fn same_email(
        &mut self,
        to_writer: &std::sync::mpsc::SyncSender<Message>,
    ) -> std::io::Result<()> {
        let finder = std::mem::replace(&mut self.finder, dedup::Finder::empty());
        let (same_email, same_total) = (&mut self.same_email, &mut self.same_total);
        finder.finish(&mut |batch: Vec<SameEmail>| {
            *same_total += batch.len() as u64;
            same_email.extend(batch.iter().cloned());
            same_email.sort_by_key(|s| s.row);
            same_email.truncate(LIST_LIMIT);
            let _ = to_writer.send(Message::SameEmail(batch));
        })
    }
}

fn csv_write_error(source: std::io::Error) -> Error {
    Error::Write {
        path: "decisions CSV".into(),
        source,
    }
}

/// The pin a plan of these inputs makes (the members file's hash and rows come last).
fn new_pin(case: &Case, planned_at: &str, current_sha256: &str, acquirer_sha256: &str) -> Pin {
    Pin {
        id: 0,
        planned_at: planned_at.to_string(),
        case_sha256: case.sha256.clone(),
        current: (
            case.current.display().to_string(),
            current_sha256.to_string(),
        ),
        acquirer: (
            case.acquirer.display().to_string(),
            acquirer_sha256.to_string(),
        ),
        packs: case
            .rules
            .packs()
            .iter()
            .map(|p| (p.id.clone(), p.sha256.clone()))
            .collect(),
        members_sha256: String::new(),
        members: 0,
        notice_period_days: case.rules.notice_period_days(),
    }
}

/// What reading the members file found: rows, and the bad ones (with duplicate ids).
struct RowsRead<'a> {
    rows: u64,
    bad: &'a [BadRow],
    bad_total: u64,
}

/// Refuses a plan whose members file had bad rows, unmatched status values or no rows, or
/// changed since the plan in force without `--replan`; nothing is committed then.
fn check_read(
    case: &Case,
    read: &RowsRead<'_>,
    decider: &Decider<'_>,
    written: &Written,
    previous: Option<&Pin>,
) -> Result<()> {
    let name = &case.members.display;
    if read.bad_total > 0 {
        return Err(bad_rows(name, read.bad, read.bad_total));
    }
    if decider.unmatched_total > 0 {
        return Err(unmatched_statuses(case, &decider.unmatched));
    }
    if read.rows == 0 {
        return Err(Error::Invalid {
            location: name.clone(),
            message: "the members file has a header but no member rows; export the members \
                      and run `handover plan` again"
                .to_string(),
        });
    }
    if let (Some(previous), true) = (previous, written.members.any() && !written.finished) {
        return Err(Error::Refused(format!(
            "the members file ({name}) changed since the plan of {}: {}. Run `handover plan \
             --replan` to plan again with these members (evidence already recorded is kept)",
            previous.planned_at,
            written.members.describe()
        )));
    }
    Ok(())
}

/// Status values in neither list, when the case does not say `other: exclude`.
fn unmatched_statuses(case: &Case, unmatched: &std::collections::BTreeMap<String, u64>) -> Error {
    let rule = case.members.status.as_ref();
    let mut message = format!(
        "status values in neither the `transfer` nor the `exclude` list ({}):",
        rule.map_or("", |r| r.column.name.as_str())
    );
    let mut values: Vec<(&String, &u64)> = unmatched.iter().collect();
    values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (value, n) in values {
        let shown: String = value
            .chars()
            .take(40)
            .flat_map(char::escape_debug)
            .collect();
        message.push_str(&format!(
            "\n  `{shown}`: {n} member{}",
            if *n == 1 { "" } else { "s" }
        ));
    }
    message.push_str(
        "\nadd each value to `transfer` or `exclude` (values match exactly), or add \
         `other: exclude` to exclude every other value; nothing was written",
    );
    Error::Invalid {
        location: rule.map_or_else(|| case.path.display().to_string(), |r| r.at.clone()),
        message,
    }
}

/// Rules that ask for ages need the birth date column.
fn check_ages_mapped(case: &Case, ctx: &PlanContext) -> Result<()> {
    if ctx.ages().is_empty() || case.members.birth_date.is_some() {
        return Ok(());
    }
    let packs: Vec<&str> = case
        .rules
        .packs()
        .iter()
        .filter(|p| {
            p.minors.is_some()
                || p.consent_required
                    .iter()
                    .any(|r| r.when.younger_than.is_some())
        })
        .map(|p| p.id.as_str())
        .collect();
    Err(Error::Invalid {
        location: case.path.display().to_string(),
        message: format!(
            "the rule pack{} {} decide{} by age (minors), but the case maps no birth date; add \
             `birth_date: COLUMN` under `members:` (an empty cell means the age is not known)",
            if packs.len() == 1 { "" } else { "s" },
            packs.join(", "),
            if packs.len() == 1 { "s" } else { "" },
        ),
    })
}

fn bad_rows(name: &str, bad: &[BadRow], total: u64) -> Error {
    let mut message = format!(
        "{total} bad row{}; fix {} and run `handover plan` again (nothing was written to the ledger):",
        if total == 1 { "" } else { "s" },
        if total == 1 { "it" } else { "them" }
    );
    for b in bad {
        message.push_str(&format!("\n  row {}: {}", b.row, b.message));
    }
    if total > bad.len() as u64 {
        message.push_str(&format!("\n  ... and {} more", total - bad.len() as u64));
    }
    Error::Invalid {
        location: name.to_string(),
        message,
    }
}

fn temp_error(source: std::io::Error) -> Error {
    Error::Write {
        path: std::env::temp_dir(),
        source,
    }
}

/// The members file (or standard input) and its size, when known.
pub(crate) fn open_members(case: &Case) -> Result<(Box<dyn Read>, Option<u64>)> {
    Ok(match &case.members.source {
        Source::Stdin => (Box::new(std::io::stdin().lock()), None),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let len = file.metadata().ok().map(|m| m.len());
            (Box::new(file), len)
        }
    })
}

/// What changed since the pin in force (members aside); refused unless `replan`.
fn check_pin(previous: Option<&Pin>, pin: &Pin, replan: bool) -> Result<Vec<String>> {
    let Some(previous) = previous else {
        return Ok(Vec::new());
    };
    let changed = changed_inputs(previous, pin);
    if !changed.is_empty() && !replan {
        return Err(Error::Refused(format!(
            "{} changed since the plan of {}; members may have been told about other terms. \
             Run `handover plan --replan` to plan again (evidence already recorded is kept)",
            changed.join(", "),
            previous.planned_at
        )));
    }
    Ok(changed)
}

/// Per practice change, the members whose `opt_in` holds it (in diff order); and the members
/// whose yes must come from a parent.
fn tally_opt_ins(
    profiles: &[Profile],
    counts: &[FxHashMap<Option<Channel>, u64>],
    diff: &crate::diff::PolicyDiff,
) -> (Vec<OptInTally>, u64) {
    let mut per_change: HashMap<&str, u64> = HashMap::new();
    let mut parent = 0;
    for (profile, by_channel) in profiles.iter().zip(counts) {
        let n: u64 = by_channel.values().sum();
        for id in &profile.decision.opt_in {
            *per_change.entry(id.as_str()).or_default() += n;
        }
        if profile.decision.consent_by == Some(ConsentBy::Parent) {
            parent += n;
        }
    }
    let opt_ins = diff
        .practice_changes
        .iter()
        .filter_map(|c| {
            per_change.get(c.id.as_str()).map(|n| OptInTally {
                change: c.id.clone(),
                summary: c.summary.clone(),
                members: *n,
            })
        })
        .collect();
    (opt_ins, parent)
}

/// Members per decision, and per decision, reason and channel, most first.
fn tally(
    profiles: &[Profile],
    counts: &[FxHashMap<Option<Channel>, u64>],
) -> ([u64; 4], Vec<Tally>) {
    let mut decisions = [0u64; 4];
    let mut tallies: Vec<Tally> = Vec::new();
    for (profile, by_channel) in profiles.iter().zip(counts) {
        for (channel, n) in by_channel {
            let k = profile.decision.kind;
            decisions[DecisionKind::ALL.iter().position(|x| *x == k).unwrap_or(0)] += n;
            match tallies.iter_mut().find(|t| {
                t.decision == k && t.reason == profile.decision.reason && t.channel == *channel
            }) {
                Some(t) => t.members += n,
                None => tallies.push(Tally {
                    decision: k,
                    reason: profile.decision.reason.clone(),
                    channel: *channel,
                    members: *n,
                }),
            }
        }
    }
    tallies.sort_by(|a, b| {
        (
            a.decision,
            std::cmp::Reverse(a.members),
            &a.reason,
            a.channel,
        )
            .cmp(&(
                b.decision,
                std::cmp::Reverse(b.members),
                &b.reason,
                b.channel,
            ))
    });
    (decisions, tallies)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        for field in ["M1", "a,b", "say \"hi\"", "two\nlines"] {
            super::csv_field(&mut out, field);
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "M1|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|"
        );
    }
}
