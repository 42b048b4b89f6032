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
//! Pins: the plan records the hashes of the case file, both policies, each rule pack and the
//! members file. A later `plan` whose case, policies or packs differ from the pin in force is
//! refused (exit 3) unless `replan` is set; a changed members file is simply planned again. A
//! re-run with identical inputs writes the same decisions and adds no pin (it only moves the
//! pin's `planned_at`).
use std::collections::HashMap;
use std::io::{Read, Write};

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::case::{Case, Source};
use crate::decide::{decide, Decision, DecisionKind, Member, PlanContext, Status};
use crate::dedup::{self, SameEmail};
use crate::email::Problem;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, Pin};
use crate::members::{BadRow, Reader, Row};
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
    /// Whether the inputs were those already pinned.
    pub unchanged: bool,
    /// Whether `--replan` replaced a pin whose case, policies or packs differed.
    pub replanned: bool,
    /// Members added, removed or changed since the plan in force (re-plans only).
    pub members: crate::ledger::MemberChanges,
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
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
    /// `,decision,channel,reason,rules,changes\n`, escaped.
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
    memo: HashMap<Key, usize>,
    /// The key of the row being decided, reused so that a lookup does not allocate.
    probe: Key,
    profiles: Vec<Profile>,
    counts: Vec<HashMap<Option<Channel>, u64>>,
    invalid: Vec<InvalidEmail>,
    invalid_total: u64,
}

impl Decider<'_> {
    /// The profile index of a row's decision (new decisions are appended to `new`), and why
    /// its email cannot be used, if so.
    fn row(&mut self, row: &Row<'_>, new: &mut Vec<Decision>) -> (usize, Option<Problem>) {
        let withdrawal = if self.withdrawals.is_empty() {
            None
        } else {
            self.withdrawals.get(row.id).copied()
        };
        let member = Member {
            id: row.id,
            status: row.status(&self.case.members),
            email_valid: row.email.is_ok(),
            held: &row.held,
            birth_date: row.birth_date,
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
                self.counts.push(HashMap::new());
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
    let mut pin = Pin {
        id: 0,
        planned_at: planned_at.clone(),
        case_sha256: case.sha256.clone(),
        current: (case.current.display().to_string(), current.sha256.clone()),
        acquirer: (case.acquirer.display().to_string(), acquirer.sha256.clone()),
        packs: case
            .rules
            .packs()
            .iter()
            .map(|p| (p.id.clone(), p.sha256.clone()))
            .collect(),
        members_sha256: String::new(),
        members: 0,
        notice_period_days: case.rules.notice_period_days(),
    };
    let changed = check_pin(previous.as_ref(), &pin, replan)?;
    let ctx = PlanContext::new(case, &diff, today);

    let (input, total) = open_members(case)?;
    let hashing = HashingReader {
        inner: input,
        hasher: Sha256::new(),
    };
    let name = case.members.display.clone();
    let mut reader = Reader::new(hashing, &case.members, &ctx)?;
    // The decisions CSV: each row is the escaped member id and its decision's prepared tail.
    let mut csv_out = out;
    let write_err = |source: std::io::Error| Error::Write {
        path: "decisions CSV".into(),
        source,
    };
    if let Some(w) = csv_out.as_mut() {
        w.write_all(b"member_id,decision,channel,reason,rules,changes\n")
            .map_err(write_err)?;
    }
    let mut line: Vec<u8> = Vec::new();

    let err = write.ledger().err();
    let mut decider = Decider {
        case,
        ctx: &ctx,
        ages: ctx.ages(),
        relevant: ctx.relevant_types(),
        withdrawals: write.ledger().withdrawals()?,
        memo: HashMap::new(),
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
    };
    let mut bad: Vec<BadRow> = Vec::new();
    let mut bad_total = 0u64;
    let mut rows = 0u64;
    let mut finder = dedup::Finder::new().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let mut same_email: Vec<SameEmail> = Vec::new();
    let mut same_total = 0u64;

    let mut temp_failure: Option<std::io::Error> = None;
    // Two threads: this one reads, checks and decides; the writer owns the transaction.
    let (to_writer, from_reader) = std::sync::mpsc::sync_channel::<Message>(4);
    let conn = write.conn();
    let written = std::thread::scope(|scope| -> Result<Written> {
        let writer = scope.spawn(move || writer::write(conn, from_reader));
        let mut batch = Batch::default();
        let sent = (|| -> Result<()> {
            loop {
                if rows % 8192 == 0 {
                    progress(Progress {
                        bytes: reader.position(),
                        total,
                        rows,
                    });
                }
                let Some(next) = reader.next_row(&name)? else {
                    break;
                };
                rows += 1;
                let row = match next {
                    Ok(row) => row,
                    Err(b) => {
                        bad_total += 1;
                        if bad.len() < LIST_LIMIT * 5 {
                            bad.push(b);
                        }
                        continue;
                    }
                };
                let (index, problem) = decider.row(&row, &mut batch.new_profiles);
                let email_key = row.email.as_ref().ok().map(|e| key.address(e));
                let fingerprint = key.record(row.record);
                if let Some(key) = email_key {
                    finder.add(key, row.row, row.id).map_err(temp_error)?;
                }
                let profile = &decider.profiles[index];
                batch.push(row.id, row.row, (email_key, fingerprint), index, problem);
                // A closed channel means the writer failed; its error is reported below.
                if batch.len() == BATCH
                    && to_writer
                        .send(Message::Rows(std::mem::take(&mut batch)))
                        .is_err()
                {
                    break;
                }
                if bad_total == 0 {
                    if let Some(w) = csv_out.as_mut() {
                        line.clear();
                        csv_field(&mut line, row.id);
                        line.extend_from_slice(&profile.tail);
                        w.write_all(&line).map_err(write_err)?;
                    }
                }
            }
            Ok(())
        })();
        let _ = to_writer.send(Message::Rows(batch));
        progress(Progress {
            bytes: total.unwrap_or(0),
            total,
            rows,
        });
        let finish = match &sent {
            Ok(()) if bad_total == 0 => {
                pin.members = rows;
                pin.members_sha256 =
                    crate::policy::hex(&reader.get_ref().hasher.clone().finalize());
                let unchanged = previous.as_ref().is_some_and(|p| p.same_inputs(&pin));
                let found = std::mem::replace(&mut finder, dedup::Finder::empty()).finish(
                    &mut |batch: Vec<SameEmail>| {
                        same_total += batch.len() as u64;
                        same_email.extend(batch.iter().cloned());
                        same_email.sort_by_key(|s| s.row);
                        same_email.truncate(LIST_LIMIT);
                        let _ = to_writer.send(Message::SameEmail(batch));
                    },
                );
                match found {
                    Ok(()) => Message::Finish {
                        pin: pin.clone(),
                        unchanged,
                        replan: !changed.is_empty(),
                        members_may_change: replan || previous.is_none(),
                    },
                    Err(e) => {
                        temp_failure = Some(e);
                        Message::Abort
                    }
                }
            }
            _ => Message::Abort,
        };
        let _ = to_writer.send(finish);
        drop(to_writer);
        let written = writer.join().expect("the ledger writer does not panic");
        sent?;
        if let Some(e) = temp_failure.take() {
            return Err(temp_error(e));
        }
        written.map_err(&err)
    })?;
    if bad_total > 0 || written.duplicates_total > 0 {
        bad.extend(written.duplicates);
        bad.sort_by_key(|b| b.row);
        return Err(bad_rows(&name, &bad, bad_total + written.duplicates_total));
    }
    if let (Some(previous), true) = (&previous, written.members.any() && !written.finished) {
        return Err(Error::Refused(format!(
            "the members file ({name}) changed since the plan of {}: {}. Run `handover plan \
             --replan` to plan again with these members (evidence already recorded is kept)",
            previous.planned_at,
            written.members.describe()
        )));
    }
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

/// Members per decision, and per decision, reason and channel, most first.
fn tally(profiles: &[Profile], counts: &[HashMap<Option<Channel>, u64>]) -> ([u64; 4], Vec<Tally>) {
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
