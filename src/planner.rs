//! `plan` end to end: policies → diff, members → decisions → ledger, in one transaction.
//!
//! The members file is streamed once. Members that look alike to the rules (same status,
//! email validity, relevant data types, age bands, flags, withdrawal) share one decision, so
//! [`crate::plan::decide`] runs once per distinct case and the ledger stores each distinct
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
use crate::email::Problem;
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Pin, SameEmail};
use crate::members::{BadRow, Reader};
use crate::plan::{decide, Decision, DecisionKind, Member, PlanContext, Status};
use crate::rules::Channel;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    status: u16,
    withdrawal: u8,
    email: bool,
    held: u64,
    ages: u32,
    flags: u8,
}

struct Profile {
    decision: Decision,
    ledger_id: i64,
    rules: String,
    changes: String,
}

/// Plans the case: see the module doc. `out` receives the decisions CSV.
pub fn run(
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
    let previous = ledger.pin()?;
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
    let changed = previous
        .as_ref()
        .map(|p| changed_inputs(p, &pin))
        .unwrap_or_default();
    if !changed.is_empty() && !replan {
        let p = previous.as_ref().expect("changes imply a pin");
        return Err(Error::Refused(format!(
            "{} changed since the plan of {}; members may have been told about other terms. \
             Run `handover plan --replan` to plan again (evidence already recorded is kept)",
            changed.join(", "),
            p.planned_at
        )));
    }
    let withdrawals = ledger.withdrawals()?;
    let ctx = PlanContext::new(case, &diff, today);
    let ages = ctx.ages();
    let relevant = ctx.relevant_types();

    let (input, total): (Box<dyn Read>, Option<u64>) = match &case.members.source {
        Source::Stdin => (Box::new(std::io::stdin().lock()), None),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let len = file.metadata().ok().map(|m| m.len());
            (Box::new(file), len)
        }
    };
    let hashing = HashingReader {
        inner: input,
        hasher: Sha256::new(),
    };
    let name = case.members.display.clone();
    let mut reader = Reader::new(hashing, &case.members, &ctx)?;
    let mut csv_out = out.map(|w| csv::WriterBuilder::new().from_writer(w));
    let write_err = |e: csv::Error| Error::Write {
        path: "decisions CSV".into(),
        source: std::io::Error::other(e.to_string()),
    };
    if let Some(w) = csv_out.as_mut() {
        w.write_record([
            "member_id",
            "decision",
            "channel",
            "reason",
            "rules",
            "changes",
        ])
        .map_err(write_err)?;
    }

    let err = sql_error(&ledger);
    let conn = ledger.conn_mut();
    conn.execute_batch("PRAGMA cache_size = -32768")
        .map_err(&err)?;
    let tx = conn.transaction().map_err(&err)?;
    let mut load = ledger::Load::begin(&tx).map_err(&err)?;
    let mut memo: HashMap<Key, usize> = HashMap::new();
    let mut profiles: Vec<Profile> = Vec::new();
    let mut counts: Vec<HashMap<Option<Channel>, u64>> = Vec::new();
    let mut bad: Vec<BadRow> = Vec::new();
    let mut bad_total = 0u64;
    let mut invalid: Vec<InvalidEmail> = Vec::new();
    let mut invalid_total = 0u64;
    let mut rows = 0u64;
    let mut review = String::new();
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
        let status = row.status(&case.members);
        let withdrawal = if withdrawals.is_empty() {
            None
        } else {
            withdrawals.get(row.id).copied()
        };
        let member = Member {
            id: row.id,
            status,
            email_valid: row.email.is_ok(),
            held: row.held,
            birth_date: row.birth_date,
            flags: row.flags,
            withdrawal,
        };
        let key = Key {
            status: match status {
                Status::Transfer => 0,
                Status::Other => u16::MAX,
                Status::Exclude(v) => {
                    1 + case
                        .members
                        .status
                        .as_ref()
                        .and_then(|s| s.exclude.iter().position(|x| x == v))
                        .unwrap_or(0) as u16
                }
            },
            withdrawal: withdrawal.map_or(0, |w| w as u8 + 1),
            email: member.email_valid,
            held: member.held & relevant,
            ages: ages
                .iter()
                .enumerate()
                .filter(|(_, a)| ctx.younger_than(member.birth_date, **a))
                .fold(0, |acc, (i, _)| acc | 1 << i),
            flags: member.flags,
        };
        let index = match memo.get(&key) {
            Some(i) => *i,
            None => {
                let decision = decide(&member, &ctx);
                let ledger_id = ledger::decision_id(&tx, &decision).map_err(&err)?;
                profiles.push(Profile {
                    rules: decision.rules.join(";"),
                    changes: decision.changes.join(";"),
                    decision,
                    ledger_id,
                });
                counts.push(HashMap::new());
                memo.insert(key, profiles.len() - 1);
                profiles.len() - 1
            }
        };
        let profile = &profiles[index];
        let email_key = row.email.ok().map(crate::email::normalised_key);
        review.clear();
        if let Err(Some(problem)) = row.email {
            invalid_total += 1;
            if invalid.len() < LIST_LIMIT {
                invalid.push(InvalidEmail {
                    row: row.row,
                    member_id: row.id.to_string(),
                    problem,
                });
            }
            review.push_str("invalid-email:");
            review.push_str(problem.code());
        }
        let d = &profile.decision;
        let duplicate = load
            .insert(
                row.id,
                row.row,
                email_key,
                profile.ledger_id,
                d.kind.initial_state(),
                (!review.is_empty()).then_some(review.as_str()),
            )
            .map_err(&err)?;
        if let Some(dup) = duplicate {
            bad_total += 1;
            if bad.len() < LIST_LIMIT * 5 {
                bad.push(BadRow {
                    row: row.row,
                    message: format!(
                        "member id {} repeats row {}; member ids must be unique (merge or renumber the rows)",
                        row.id, dup.first_row
                    ),
                });
            }
            continue;
        }
        *counts[index].entry(d.channel).or_default() += 1;
        if bad_total == 0 {
            if let Some(w) = csv_out.as_mut() {
                w.write_record([
                    row.id,
                    d.kind.as_str(),
                    d.channel.map_or("", |c| c.as_str()),
                    &d.reason,
                    &profile.rules,
                    &profile.changes,
                ])
                .map_err(write_err)?;
            }
        }
    }
    progress(Progress {
        bytes: total.unwrap_or(0),
        total,
        rows,
    });
    if bad_total > 0 {
        return Err(bad_rows(&name, &bad, bad_total));
    }
    if let Some(w) = csv_out.as_mut() {
        w.flush().map_err(|source| Error::Write {
            path: "decisions CSV".into(),
            source,
        })?;
    }
    let (same_email, same_total) = load.finish(&tx, LIST_LIMIT).map_err(&err)?;
    pin.members = rows;
    pin.members_sha256 = crate::policy::hex(&reader_hash(reader));
    let unchanged = previous.as_ref().is_some_and(|p| p.same_inputs(&pin));
    if unchanged {
        tx.execute(
            "UPDATE case_pin SET planned_at = ?1, members = ?2 WHERE id = (SELECT MAX(id) FROM case_pin)",
            rusqlite::params![pin.planned_at, pin.members],
        )
        .map_err(&err)?;
    } else {
        ledger::write_pin(&tx, &pin, !changed.is_empty()).map_err(&err)?;
    }
    tx.commit().map_err(&err)?;
    let pin = ledger.pin()?.expect("a pin was just written");

    let mut decisions = [0u64; 4];
    let mut tallies: Vec<Tally> = Vec::new();
    for (profile, by_channel) in profiles.iter().zip(&counts) {
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
        invalid_emails: (invalid, invalid_total),
        same_email: (same_email, same_total),
        unchanged,
        replanned: !changed.is_empty(),
    })
}

fn reader_hash(reader: Reader<HashingReader<Box<dyn Read>>>) -> Vec<u8> {
    reader.into_inner().hasher.finalize().to_vec()
}

fn sql_error(ledger: &Ledger) -> impl Fn(rusqlite::Error) -> Error {
    let path = ledger.path().to_path_buf();
    move |e| Error::Invalid {
        location: path.display().to_string(),
        message: format!(
            "ledger error: {e}; check that the file is a handover ledger and not in use"
        ),
    }
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
