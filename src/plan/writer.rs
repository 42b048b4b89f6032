//! The ledger side of a plan: a thread that writes into the transaction the planner opened,
//! taking checked rows in batches over a bounded channel, so reading and deciding overlap with
//! the SQLite inserts. On [`Message::Finish`], when no member id repeated and the members may
//! change, it puts the new members in place and writes the pin; the planner then commits.
use crate::decide::Decision;
use crate::dedup::SameEmail;
use crate::email::Problem;
use crate::ledger::{self, Pin};
use crate::members::{AgeProblem, BadRow};

use super::LIST_LIMIT;

/// Rows per batch handed to the ledger writer.
pub(super) const BATCH: usize = 4096;

/// Checked rows on their way to the ledger, member ids packed in one string.
#[derive(Default)]
pub(super) struct Batch {
    ids: String,
    ends: Vec<usize>,
    rows: Vec<u64>,
    /// Address keys, and where each row's fingerprint input ends in `records`.
    keys: Vec<Option<i64>>,
    /// What each row's fingerprint hashes ([`ledger::HashKey::record_input`]): the writer
    /// hashes it, off the reading thread.
    records: Vec<u8>,
    record_ends: Vec<usize>,
    profiles: Vec<usize>,
    problems: Vec<Option<Problem>>,
    age_problems: Vec<Option<AgeProblem>>,
    reduced_emails: Vec<bool>,
    /// Decisions first used in this batch, in profile order.
    pub(super) new_profiles: Vec<Decision>,
}

impl Batch {
    /// An empty batch with room for [`BATCH`] rows, so that filling it never reallocates.
    pub(super) fn with_capacity() -> Batch {
        Batch {
            ids: String::with_capacity(BATCH * 12),
            ends: Vec::with_capacity(BATCH),
            rows: Vec::with_capacity(BATCH),
            keys: Vec::with_capacity(BATCH),
            records: Vec::with_capacity(BATCH * 128),
            record_ends: Vec::with_capacity(BATCH),
            profiles: Vec::with_capacity(BATCH),
            problems: Vec::with_capacity(BATCH),
            age_problems: Vec::with_capacity(BATCH),
            reduced_emails: Vec::with_capacity(BATCH),
            new_profiles: Vec::new(),
        }
    }

    pub(super) fn push(
        &mut self,
        id: &str,
        row: u64,
        email_key: Option<i64>,
        record: &csv::ByteRecord,
        profile: usize,
        problem: Option<Problem>,
    ) {
        self.ids.push_str(id);
        self.ends.push(self.ids.len());
        self.rows.push(row);
        self.keys.push(email_key);
        ledger::HashKey::record_input(record, &mut self.records);
        self.record_ends.push(self.records.len());
        self.profiles.push(profile);
        self.problems.push(problem);
    }

    /// Flags of the row just pushed: an implausible birth date, an email reduced from a
    /// display name.
    pub(super) fn flag(&mut self, age: Option<AgeProblem>, reduced: bool) {
        self.age_problems.push(age);
        self.reduced_emails.push(reduced);
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }
}

pub(super) enum Message {
    Rows(Batch),
    SameEmail(Vec<SameEmail>),
    Finish {
        pin: Pin,
        unchanged: bool,
        replan: bool,
        /// Whether members may be added, removed or changed (`--replan`, or a first plan).
        members_may_change: bool,
    },
    Abort,
}

/// What the writer did.
#[derive(Default)]
pub(super) struct Written {
    pub(super) duplicates: Vec<BadRow>,
    pub(super) duplicates_total: u64,
    pub(super) unchanged: bool,
    /// Who the members file adds, removes or changes against the plan in force.
    pub(super) members: ledger::MemberChanges,
    /// Whether the plan was written in full (the caller commits only then).
    pub(super) finished: bool,
}

/// The ledger side of a plan, inside the caller's transaction (see the module doc).
pub(super) fn write(
    tx: &rusqlite::Connection,
    key: ledger::HashKey,
    messages: std::sync::mpsc::Receiver<Message>,
) -> rusqlite::Result<Written> {
    let mut load = ledger::Load::begin(tx)?;
    let mut ids: Vec<i64> = Vec::new();
    let mut out = Written::default();
    let mut review = String::new();
    let mut duplicated: Vec<bool> = Vec::new();
    for message in messages {
        match message {
            Message::Rows(batch) => {
                for d in &batch.new_profiles {
                    ids.push(ledger::decision_id(tx, d)?);
                }
                let (mut start, mut record_start) = (0, 0);
                let mut rows = Vec::with_capacity(batch.len());
                for i in 0..batch.len() {
                    let fingerprint = key.bytes(&batch.records[record_start..batch.record_ends[i]]);
                    record_start = batch.record_ends[i];
                    let id = &batch.ids[start..batch.ends[i]];
                    start = batch.ends[i];
                    rows.push(ledger::MemberRow {
                        member_id: id,
                        row: batch.rows[i],
                        email_key: batch.keys[i],
                        fingerprint,
                        decision: ids[batch.profiles[i]],
                    });
                }
                duplicated.clear();
                duplicated.resize(rows.len(), false);
                load.insert_many(&rows, &mut |i, dup| {
                    duplicated[i] = true;
                    out.duplicates_total += 1;
                    if out.duplicates.len() < LIST_LIMIT * 5 {
                        out.duplicates.push(BadRow {
                            row: rows[i].row,
                            message: format!(
                                "member id {} repeats row {}; member ids must be unique \
                                 (merge or renumber the rows)",
                                rows[i].member_id, dup.first_row
                            ),
                        });
                    }
                })?;
                // Several flags on one row share its review, `;`-separated; a duplicate row
                // (not added) gets none.
                for (i, r) in rows.iter().enumerate() {
                    let flagged = batch.problems[i].is_some()
                        || batch.reduced_emails[i]
                        || batch.age_problems[i].is_some();
                    if !flagged || duplicated[i] {
                        continue;
                    }
                    review.clear();
                    if let Some(p) = batch.problems[i] {
                        review.push_str("invalid-email:");
                        review.push_str(p.code());
                    }
                    if batch.reduced_emails[i] {
                        if !review.is_empty() {
                            review.push(';');
                        }
                        review.push_str("email-reduced:display-name");
                    }
                    if let Some(p) = batch.age_problems[i] {
                        if !review.is_empty() {
                            review.push(';');
                        }
                        review.push_str("implausible-age:");
                        review.push_str(p.code());
                    }
                    load.review(r.member_id, r.row, &review)?;
                }
            }
            Message::SameEmail(batch) => {
                for same in batch {
                    let review = format!("same-email:{}:{}", same.first_row, same.first_member_id);
                    load.review(&same.member_id, same.row, &review)?;
                }
            }
            Message::Finish {
                pin,
                unchanged,
                replan,
                members_may_change,
            } => {
                if out.duplicates_total > 0 {
                    return Ok(out);
                }
                out.members = load.changes(tx)?;
                if out.members.any() && !members_may_change {
                    return Ok(out);
                }
                load.finish(tx)?;
                out.unchanged = unchanged;
                // An unchanged re-plan keeps the plan in force, and its time.
                if !unchanged {
                    ledger::write_pin(tx, &pin, replan || out.members.any())?;
                }
                out.finished = true;
                return Ok(out);
            }
            Message::Abort => return Ok(out),
        }
    }
    Ok(out)
}
