//! `handover export`: the gate, then one pass over the members file merged with the plan's
//! members in row order, into one or more bundles (see the [module doc](super)).
//!
//! The gate runs inside the ledger's write transaction and refuses (exit 3) when the
//! policies, the case file, the packs or the members file changed since `plan`, no sign-off is
//! pinned to the plan in force, a member is neither `ready` nor `excluded` and `--partial` was
//! not given, nobody is ready, or an output exists. While streaming, each row of the members
//! file must be the row the plan read (same row number, member id and keyed fingerprint), and
//! at the end the whole file's SHA-256 must be the pinned one; anything else aborts the export
//! and leaves nothing behind.
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::file::{prepare_small, sync_dir, Pending};
use super::keys::Recipients;
use super::pipe::Pipe;
use super::sign::Signer;
use super::{
    allowed_opt_ins, receipt_path, shard_path, signature_path, MANIFEST_SCHEMA,
    NOTIFICATIONS_HEADER, PART_BYTES, RECEIPT_SCHEMA,
};
use crate::case::Case;
use crate::digest::HashingReader;
use crate::error::{Error, Result};
use crate::ledger::exports::{self as sql, NewExport, PlannedMember, Signoff};
use crate::ledger::Ledger;
use crate::machine::{settle, Window};
use crate::model::State;

/// How many held-back members the report lists by name.
const HELD_BACK_LISTED: usize = 20;

/// What to export and how.
pub struct ExportOptions {
    /// The bundle to write (must not exist).
    pub out: PathBuf,
    /// Who may open it.
    pub recipients: Recipients,
    /// ASCII armour instead of binary.
    pub armor: bool,
    /// At most this many members per bundle (`None`: one bundle).
    pub shard_members: Option<u64>,
    /// Export the ready members although others are not resolved yet.
    pub partial: bool,
    /// Sign the manifest with this SSH key.
    pub signer: Option<Signer>,
}

/// How far the export is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Bytes of the members file read.
    pub bytes: u64,
    /// Its size, when known.
    pub total: Option<u64>,
    /// Members written.
    pub members: u64,
}

/// A member left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldBack {
    /// The member id.
    pub member_id: String,
    /// Its state at the time of the export.
    pub state: State,
    /// The plan's reason (for excluded members) or what it waits for.
    pub reason: String,
}

/// One bundle written.
#[derive(Debug, Clone, Serialize)]
pub struct ShardReport {
    /// The bundle.
    pub path: PathBuf,
    /// Its receipt.
    pub receipt: PathBuf,
    /// Its detached signature, when signed.
    pub signature: Option<PathBuf>,
    /// The ledger's export id.
    pub export_id: i64,
    /// Members in it.
    pub members: u64,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its manifest.
    pub manifest_sha256: String,
}

/// What an export did.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    /// The bundles, in order.
    pub shards: Vec<ShardReport>,
    /// Members exported.
    pub exported: u64,
    /// Members held back, per state (only states with members).
    pub held_back_by_state: Vec<(State, u64)>,
    /// All held-back members.
    pub held_back_total: u64,
    /// The first held-back members, in row order.
    pub held_back: Vec<HeldBack>,
    /// The sign-off the export relies on.
    pub signoff: Signoff,
    /// Recipient fingerprints.
    pub recipients: Vec<String>,
    /// Plaintext bytes of the members file read.
    pub members_file_bytes: u64,
}

/// Runs the gate and writes the bundles; see the module doc.
pub fn export(
    case: &Case,
    now: Timestamp,
    opts: ExportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ExportReport> {
    let now = now.round(jiff::Unit::Second).unwrap_or(now);
    let refuse = |why: String| Err(Error::Refused(why));
    if opts.out.exists() && opts.shard_members.is_none() {
        return refuse(format!(
            "{} exists; export never replaces a bundle: choose another --out or move it away",
            opts.out.display()
        ));
    }
    if !case.ledger.exists() {
        return refuse(format!(
            "there is no ledger at {}; run `handover plan` first",
            case.ledger.display()
        ));
    }
    let mut ledger = Ledger::open(&case.ledger, &now.to_string())?;
    // Before the transaction: SQLite ignores a change of temp_store inside one.
    ledger.bound_memory()?;
    let write = ledger.write("export")?;
    let l = write.ledger();
    let Some(pin) = l.pin()? else {
        return refuse("no plan is recorded; run `handover plan` first".to_string());
    };
    let changed: Vec<String> = crate::status::check_pins(case, &pin)
        .into_iter()
        .filter(|p| !p.same)
        .map(|p| p.what)
        .collect();
    if !changed.is_empty() {
        return refuse(format!(
            "changed since the plan of {}: {}; run `handover plan --replan`, finish notifying \
             under the new plan and sign off again",
            pin.planned_at,
            changed.join(", ")
        ));
    }
    let Some(signoff) = l.signoff(pin.id)? else {
        return refuse(format!(
            "no sign-off for the plan of {} (a re-plan voids earlier ones); have legal run \
             `handover signoff --by NAME`",
            pin.planned_at
        ));
    };

    // One pass over the plan, in row order: who is ready, who is held back, where the shards
    // start. What the bundles need of the ledger goes to two spools on the way (the ready
    // members' notification rows, and what the members-file pass checks each row against),
    // so the ledger is read once whatever the member count.
    let window = Window {
        notice_days: pin.notice_period_days,
        consent_days: pin.notice_period_days,
    };
    let planned_at: Timestamp = pin.planned_at.parse().unwrap_or(now);
    let mut report = ExportReport {
        shards: Vec::new(),
        exported: 0,
        held_back_by_state: Vec::new(),
        held_back_total: 0,
        held_back: Vec::new(),
        signoff: signoff.clone(),
        recipients: opts.recipients.fingerprints(),
        members_file_bytes: 0,
    };
    let dir = match opts.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let spool_error = write_error(&dir);
    let mut plan_spool = Spool::create(&dir).map_err(&spool_error)?;
    let mut notes_spool = Spool::create(&dir).map_err(&spool_error)?;
    let mut by_state = [0u64; 9];
    let mut unresolved = 0u64;
    let mut ready = 0u64;
    let per_shard = opts.shard_members.unwrap_or(u64::MAX).max(1);
    let mut shard_plans: Vec<ShardPlan> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut sent_at = TimeText::default();
    l.each_planned_member(planned_at, |m| {
        let state = settle(m.decision, m.track, now, window);
        let is_ready = state == State::Ready;
        let opt_ins = if is_ready {
            allowed_opt_ins(m.opt_in, m.answers)
        } else {
            String::new()
        };
        plan_spool
            .planned(m.row, m.fingerprint, is_ready, m.member_id, &opt_ins)
            .map_err(&spool_error)?;
        if is_ready {
            ready += 1;
            if shard_plans.last().is_none_or(|s| s.members >= per_shard) {
                shard_plans.push(ShardPlan::default());
            }
            line.clear();
            notification_row(&mut line, m, &mut sent_at);
            notes_spool.write(&line).map_err(&spool_error)?;
            if let Some(shard) = shard_plans.last_mut() {
                shard.members += 1;
                shard.notes_bytes += line.len() as u64;
            }
            return Ok(true);
        }
        if !state.is_resolved() {
            unresolved += 1;
        }
        by_state[State::ALL.iter().position(|s| *s == state).unwrap_or(0)] += 1;
        report.held_back_total += 1;
        if report.held_back.len() < HELD_BACK_LISTED {
            report.held_back.push(HeldBack {
                member_id: m.member_id.to_string(),
                state,
                reason: if state == State::Excluded {
                    m.reason.to_string()
                } else {
                    format!("waits: {state}")
                },
            });
        }
        Ok(true)
    })?;
    report.held_back_by_state = State::ALL
        .iter()
        .zip(by_state)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (*s, n))
        .collect();
    if unresolved > 0 && !opts.partial {
        let first: Vec<String> = report
            .held_back
            .iter()
            .filter(|h| !h.state.is_resolved())
            .take(5)
            .map(|h| format!("{} ({})", h.member_id, h.state))
            .collect();
        return refuse(format!(
            "{unresolved} member(s) are neither ready nor excluded, e.g. {}; wait for the \
             notice window and the evidence (`handover status`), or export the ready ones \
             only with --partial",
            first.join(", ")
        ));
    }
    if ready == 0 {
        return refuse(
            "no member is ready to export; see `handover status` for who waits and until when"
                .to_string(),
        );
    }
    let shards = u32::try_from(shard_plans.len()).unwrap_or(u32::MAX);
    let paths: Vec<PathBuf> = (1..=shards)
        .map(|n| shard_path(&opts.out, opts.shard_members.map(|_| n)))
        .collect();
    for p in &paths {
        if p.exists() {
            return refuse(format!(
                "{} exists; export never replaces a bundle: choose another --out or move it \
                 away",
                p.display()
            ));
        }
    }
    let planned_in = plan_spool.into_reader().map_err(&spool_error)?;
    let notes_in = notes_spool.into_reader().map_err(&spool_error)?;

    // What every shard carries besides its members.
    let fixed = Fixed::read(case, &pin, &signoff)?;
    let recipients_json =
        serde_json::to_string(&report.recipients).unwrap_or_else(|_| "[]".to_string());
    let conn = l.conn();
    let mut exports = Vec::with_capacity(paths.len());
    for (n, path) in paths.iter().enumerate() {
        let export = sql::add_export(
            conn,
            &NewExport {
                pin: pin.id,
                at: &now.to_string(),
                path: &path.display().to_string(),
                receipt_path: &receipt_path(path).display().to_string(),
                shard: u32::try_from(n + 1).unwrap_or(u32::MAX),
                signoff: signoff.id,
                recipients: &recipients_json,
            },
        )
        .map_err(l.err())?;
        exports.push(export);
    }

    // The members pass runs on a thread of its own (reading, checking and formatting the
    // members file, and writing the bundles through their own writer threads) while this one
    // records in the ledger who went into which bundle: the two were a third and a fifth of
    // the work, and a connection stays on the thread that opened it.
    let signer_fp = opts.signer.as_ref().map(Signer::fingerprint);
    let pass = MembersPass {
        case,
        opts: &opts,
        now,
        pin: &pin,
        fixed: &fixed,
        key: l.hash_key(),
        paths: &paths,
        exports: &exports,
        shard_plans: &shard_plans,
        dir: &dir,
        recipients: &report.recipients,
        signer_fp: signer_fp.as_deref(),
    };
    let (to_ledger, from_pass) = mpsc::sync_channel::<Batch>(8);
    let (passed, recorded) = std::thread::scope(|s| {
        let pass = std::thread::Builder::new()
            .name("members-pass".to_string())
            .spawn_scoped(s, move || pass.run(planned_in, notes_in, to_ledger));
        let recorded = (|| -> Result<()> {
            let mut in_bundle = sql::ExportMembers::new(conn);
            for batch in &from_pass {
                let mut start = 0;
                for end in &batch.ends {
                    in_bundle
                        .add(batch.export, &batch.ids[start..*end])
                        .map_err(l.err())?;
                    start = *end;
                }
                progress(batch.progress);
            }
            in_bundle.flush().map_err(l.err())
        })();
        // A failed insert stops the members pass at its next batch.
        drop(from_pass);
        let passed = match pass {
            Ok(thread) => thread.join().unwrap_or_else(|_| {
                Err(Error::Write {
                    path: opts.out.clone(),
                    source: io::Error::other("the members pass panicked"),
                })
            }),
            Err(source) => Err(Error::Write {
                path: opts.out.clone(),
                source,
            }),
        };
        (passed, recorded)
    });
    recorded?;
    let passed = passed?;
    report.members_file_bytes = passed.progress.bytes;
    progress(passed.progress);
    for f in &passed.done {
        sql::finish_export(conn, f.export, &f.manifest_sha256, f.members).map_err(l.err())?;
    }
    let done = passed.done;
    report.exported = passed.progress.members;
    // The ledger first: a kill after this leaves an export row without a file, never a
    // bundle the ledger does not know.
    write.commit()?;
    for f in done {
        // Receipt and signature are written and synced first, then the three are named in a
        // row (see `file::prepare_small`).
        let receipt = receipt_path(&f.path);
        let receipt_file =
            prepare_small(&receipt, &f.receipt, 0o600).map_err(write_error(&receipt))?;
        let signature_file = match &f.signature {
            Some(sig) => {
                let path = signature_path(&f.path);
                let file =
                    prepare_small(&path, sig.as_bytes(), 0o644).map_err(write_error(&path))?;
                Some((path, file))
            }
            None => None,
        };
        f.pending
            .link(&f.path)
            .map_err(|source| match source.kind() {
                io::ErrorKind::AlreadyExists => Error::Refused(format!(
                    "{} appeared during the export; export never replaces a bundle (the ledger \
                 records export {}: move that file away and export again)",
                    f.path.display(),
                    f.export
                )),
                _ => Error::Write {
                    path: f.path.clone(),
                    source,
                },
            })?;
        receipt_file
            .publish_replacing(&receipt)
            .map_err(write_error(&receipt))?;
        let signature = match signature_file {
            Some((path, file)) => {
                file.publish_replacing(&path).map_err(write_error(&path))?;
                Some(path)
            }
            None => None,
        };
        sync_dir(&f.path);
        report.shards.push(ShardReport {
            path: f.path,
            receipt,
            signature,
            export_id: f.export,
            members: f.members,
            bytes: f.bytes,
            manifest_sha256: f.manifest_sha256,
        });
    }
    Ok(report)
}

/// Member ids on their way to `export_members`, with how far the pass is.
struct Batch {
    export: i64,
    ids: String,
    ends: Vec<usize>,
    progress: Progress,
}

/// How many members a [`Batch`] carries at most.
const BATCH_MEMBERS: usize = 4096;

/// What the members pass produced.
struct Passed {
    done: Vec<Finished>,
    progress: Progress,
}

/// The members pass: the members file merged row by row with the plan's spool, each ready
/// member's record into its shard; everything it borrows is fixed by the gate.
struct MembersPass<'a> {
    case: &'a Case,
    opts: &'a ExportOptions,
    now: Timestamp,
    pin: &'a crate::ledger::Pin,
    fixed: &'a Fixed,
    key: crate::ledger::HashKey,
    paths: &'a [PathBuf],
    exports: &'a [i64],
    shard_plans: &'a [ShardPlan],
    dir: &'a Path,
    recipients: &'a [String],
    signer_fp: Option<&'a str>,
}

impl MembersPass<'_> {
    fn run(
        self,
        mut planned_in: SpoolReader,
        mut notes_in: SpoolReader,
        to_ledger: mpsc::SyncSender<Batch>,
    ) -> Result<Passed> {
        let case = self.case;
        let spool_error = write_error(self.dir);
        let types = crate::datatypes::TypeIndex::new(&crate::taxonomy::Taxonomy::embedded());
        let (input, total) = crate::plan::open_members(case)?;
        let mut reader = crate::members::Reader::new(
            HashingReader::new(input),
            &case.members,
            &types,
            jiff::tz::TimeZone::UTC.to_datetime(self.now).date(),
        )?;
        let columns = export_columns(case, &reader.layout().header)?;
        let mut header: Vec<u8> = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                header.push(b',');
            }
            csv_field(&mut header, reader.layout().header[*c].as_bytes());
        }
        header.extend_from_slice(b",allowed_opt_ins\n");
        let mut column_names: Vec<String> = columns
            .iter()
            .map(|c| reader.layout().header[*c].clone())
            .collect();
        column_names.push("allowed_opt_ins".to_string());

        let name = case.members.display.clone();
        let shards = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
        let mut done: Vec<Finished> = Vec::new();
        let mut current: Option<ShardWriter> = None;
        let mut line: Vec<u8> = Vec::new();
        let mut written = 0u64;
        let mut batch = Batch {
            export: 0,
            ids: String::new(),
            ends: Vec::with_capacity(BATCH_MEMBERS),
            progress: Progress {
                bytes: 0,
                total,
                members: 0,
            },
        };
        // The ledger's thread stops taking batches only when it failed; its error is the one
        // reported.
        let stopped = || Error::Refused("the ledger stopped recording the export".to_string());
        let send = |batch: &mut Batch, progress: Progress| -> Result<()> {
            if batch.ends.is_empty() {
                return Ok(());
            }
            let full = Batch {
                export: batch.export,
                ids: std::mem::take(&mut batch.ids),
                ends: std::mem::replace(&mut batch.ends, Vec::with_capacity(BATCH_MEMBERS)),
                progress,
            };
            to_ledger.send(full).map_err(|_| stopped())
        };
        let pin = self.pin;
        let changed = |row: u64, what: &str| {
            Error::Refused(format!(
                "{name}: row {row}: {what} since the plan of {}; nothing was written: run \
                 `handover plan --replan` if the change is intended",
                pin.planned_at
            ))
        };
        // A record whose row number, member id and keyed fingerprint (its bytes and where
        // each field ends) are the plan's is the very record the plan checked, and the row
        // checks depend only on the record, the case's columns (pinned) and the day (a date
        // in the future is refused): from the plan's day on, such a record passes them again.
        // So they run only for a record that is not the plan's, with the same errors as
        // before (they were a third of the members pass).
        let today = jiff::tz::TimeZone::UTC.to_datetime(self.now).date();
        let planned_day = pin
            .planned_at
            .parse::<Timestamp>()
            .ok()
            .map(|t| jiff::tz::TimeZone::UTC.to_datetime(t).date());
        let same_checks = planned_day.is_some_and(|d| today >= d);
        let id_column = reader.layout().id;
        // The members file and the plan, merged row by row.
        let mut m = SpooledMember::default();
        while planned_in.next_member(&mut m).map_err(&spool_error)? {
            let member_id = || String::from_utf8_lossy(&m.member_id);
            let Some(row_number) = reader.next_record(&name)? else {
                return Err(changed(
                    m.row,
                    &format!("member {} is missing", member_id()),
                ));
            };
            // A short row (the reader is flexible) is not the plan's: `get`, never index.
            let record = reader.record();
            let plan_id = record
                .get(id_column)
                .and_then(|f| std::str::from_utf8(f).ok())
                .map(str::trim)
                .filter(|id| same_checks && row_number == m.row && id.as_bytes() == m.member_id)
                .filter(|_| Some(self.key.record(record)) == m.fingerprint);
            let (id, record) = if let Some(id) = plan_id {
                (id, record)
            } else {
                let row = match reader.check_record() {
                    Err(bad) => return Err(changed(bad.row, "the row is unreadable")),
                    Ok(row) => row,
                };
                if row.row != m.row
                    || row.id.as_bytes() != m.member_id
                    || Some(self.key.record(row.record)) != m.fingerprint
                {
                    return Err(changed(
                        row.row,
                        &format!("member {}'s row changed", member_id()),
                    ));
                }
                (row.id, row.record)
            };
            if !m.ready {
                continue;
            }
            let shard = match current.as_mut() {
                Some(shard) => shard,
                None => {
                    let n = done.len();
                    let plan = &self.shard_plans[n];
                    let path = &self.paths[n];
                    let mut shard = ShardWriter::start(
                        self.dir,
                        self.opts,
                        path,
                        self.exports[n],
                        (u32::try_from(n + 1).unwrap_or(u32::MAX), shards),
                        self.now,
                        self.fixed,
                        header.clone(),
                    )?;
                    // This shard's rows of the notifications spool, which holds them in shard
                    // order: tar needs the length before the data, and the spool has it.
                    let head = NOTIFICATIONS_HEADER.len() as u64 + 1;
                    shard.append_sized(
                        "evidence/notifications.csv",
                        head + plan.notes_bytes,
                        Some(plan.members),
                        |w| {
                            w.write_all(NOTIFICATIONS_HEADER.as_bytes())
                                .and_then(|()| w.write_all(b"\n"))
                                .map_err(write_error(path))?;
                            io::copy(&mut (&mut notes_in).take(plan.notes_bytes), w)
                                .map_err(&spool_error)?;
                            Ok(plan.members)
                        },
                    )?;
                    shard.notifications = plan.members;
                    let progress = batch.progress;
                    send(&mut batch, progress)?;
                    batch.export = shard.export;
                    current.insert(shard)
                }
            };
            line.clear();
            for (i, c) in columns.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                csv_field(&mut line, &record[*c]);
            }
            line.push(b',');
            csv_field(&mut line, &m.opt_ins);
            line.push(b'\n');
            shard.push(&line)?;
            batch.ids.push_str(id);
            batch.ends.push(batch.ids.len());
            written += 1;
            if batch.ends.len() == BATCH_MEMBERS {
                let progress = Progress {
                    bytes: reader.get_ref().position(),
                    total,
                    members: written,
                };
                send(&mut batch, progress)?;
                batch.progress = progress;
            }
            if shard.members == self.shard_plans[done.len()].members {
                if let Some(full) = current.take() {
                    done.push(full.finish(
                        &column_names,
                        self.recipients,
                        self.signer_fp,
                        self.opts.signer.as_ref(),
                    )?);
                }
            }
        }
        // Rows after the last member of the plan mean the file grew since the plan.
        match reader.next_row(&name)? {
            None => {}
            Some(Ok(row)) => return Err(changed(row.row, "a row the plan did not read")),
            Some(Err(bad)) => return Err(changed(bad.row, "a row the plan did not read")),
        }
        let hashed = reader.get_ref();
        let progress = Progress {
            bytes: hashed.position(),
            total,
            members: written,
        };
        if hashed.sha256() != pin.members_sha256 {
            return Err(Error::Refused(format!(
                "{name}: its SHA-256 is not the one pinned by the plan of {}; nothing was \
                 written: run `handover plan --replan` if the change is intended",
                pin.planned_at
            )));
        }
        if done.len() != self.paths.len() || current.is_some() {
            return Err(Error::Refused(format!(
                "the plan's ready members gave {} shard(s) but {} were completed; the ledger \
                 changed during the export: run it again",
                self.paths.len(),
                done.len()
            )));
        }
        send(&mut batch, progress)?;
        Ok(Passed { done, progress })
    }
}

/// One shard as the plan pass sees it: its members and the length of their notification rows.
#[derive(Default)]
struct ShardPlan {
    members: u64,
    notes_bytes: u64,
}

/// Writes `m`'s row of `evidence/notifications.csv` (with its line end): a `transfer` member
/// needs no notice, so its notice fields are empty.
fn notification_row(line: &mut Vec<u8>, m: &PlannedMember<'_>, sent_at: &mut TimeText) {
    let told = m.decision != crate::model::DecisionKind::Transfer;
    let sent = match (told, m.track.told_at) {
        (true, Some(t)) => sent_at.text(t),
        _ => "",
    };
    let (notice_key, delivered_at) = if told {
        (m.notice_key, m.delivered_at)
    } else {
        ("", "")
    };
    let fields = [
        m.member_id,
        m.decision.as_str(),
        m.channel,
        notice_key,
        sent,
        delivered_at,
        m.rules,
    ];
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        csv_field(line, f.as_bytes());
    }
    line.push(b'\n');
}

/// The text of the last time formatted: members told in one batch share it.
#[derive(Default)]
struct TimeText {
    last: Option<(Timestamp, String)>,
}

impl TimeText {
    fn text(&mut self, t: Timestamp) -> &str {
        if self.last.as_ref().is_none_or(|(last, _)| *last != t) {
            self.last = Some((t, t.to_string()));
        }
        self.last.as_ref().map_or("", |(_, s)| s.as_str())
    }
}

/// An unnamed temporary file beside the bundle, written once and then read once in order; it
/// disappears when dropped (a kill included) and never has a name. It holds ledger rows
/// (member ids, decisions, notice keys, times), never data from the members file.
struct Spool {
    out: io::BufWriter<std::fs::File>,
}

/// A spool being read back.
struct SpoolReader {
    input: io::BufReader<std::fs::File>,
}

/// A member as the plan pass spooled it for the members-file pass.
#[derive(Default)]
struct SpooledMember {
    row: u64,
    fingerprint: Option<i64>,
    ready: bool,
    member_id: Vec<u8>,
    opt_ins: Vec<u8>,
}

const SPOOL_BUFFER: usize = 1 << 18;

impl Spool {
    fn create(dir: &Path) -> io::Result<Spool> {
        Ok(Spool {
            out: io::BufWriter::with_capacity(SPOOL_BUFFER, tempfile::tempfile_in(dir)?),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Spools a member: row, fingerprint, whether it is exported, id and allowed opt-ins
    /// (lengths first).
    fn planned(
        &mut self,
        row: u64,
        fingerprint: Option<i64>,
        ready: bool,
        member_id: &str,
        opt_ins: &str,
    ) -> io::Result<()> {
        let flags = u8::from(fingerprint.is_some()) | u8::from(ready) << 1;
        let mut head = [0u8; 25];
        head[..8].copy_from_slice(&row.to_le_bytes());
        head[8..16].copy_from_slice(&fingerprint.unwrap_or(0).to_le_bytes());
        head[16] = flags;
        head[17..21].copy_from_slice(&len32(member_id)?.to_le_bytes());
        head[21..].copy_from_slice(&len32(opt_ins)?.to_le_bytes());
        self.out.write_all(&head)?;
        self.out.write_all(member_id.as_bytes())?;
        self.out.write_all(opt_ins.as_bytes())
    }

    /// Flushes it and starts reading it from the beginning.
    fn into_reader(self) -> io::Result<SpoolReader> {
        use std::io::Seek;
        let mut file = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        Ok(SpoolReader {
            input: io::BufReader::with_capacity(SPOOL_BUFFER, file),
        })
    }
}

fn len32(text: &str) -> io::Result<u32> {
    u32::try_from(text.len()).map_err(|_| io::Error::other("a ledger value over 4 GiB"))
}

impl SpoolReader {
    /// The next member spooled by [`Spool::planned`] into `m`; `false` at the end.
    fn next_member(&mut self, m: &mut SpooledMember) -> io::Result<bool> {
        let mut head = [0u8; 25];
        match self.input.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[at..at + 8]);
            b
        };
        let len = |at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&head[at..at + 4]);
            u32::from_le_bytes(b) as usize
        };
        m.row = u64::from_le_bytes(word(0));
        m.fingerprint = (head[16] & 1 != 0).then(|| i64::from_le_bytes(word(8)));
        m.ready = head[16] & 2 != 0;
        m.member_id.resize(len(17), 0);
        self.input.read_exact(&mut m.member_id)?;
        m.opt_ins.resize(len(21), 0);
        self.input.read_exact(&mut m.opt_ins)?;
        Ok(true)
    }
}

impl Read for SpoolReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.input.read(buf)
    }
}

fn write_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The members file's columns that leave, as indexes into its header: the member id first
/// (so each row can be matched with its evidence), then the case's `export_columns` (all
/// columns without it).
fn export_columns(case: &Case, header: &[String]) -> Result<Vec<usize>> {
    let find = |c: &crate::case::Column| {
        header
            .iter()
            .position(|h| *h == c.name)
            .ok_or_else(|| Error::Invalid {
                location: c.at.clone(),
                message: format!(
                    "column `{}` is not in the members file's header; fix the name here",
                    c.name
                ),
            })
    };
    let id = find(&case.members.id)?;
    let mut out = vec![id];
    match &case.members.export_columns {
        None => out.extend((0..header.len()).filter(|i| *i != id)),
        Some(cols) => {
            for c in cols {
                let i = find(c)?;
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
    }
    Ok(out)
}

/// Writes `field` as one CSV field: quoted when it holds a comma, quote, line break, or
/// leading or trailing space; quotes doubled.
pub(crate) fn csv_field(out: &mut Vec<u8>, field: &[u8]) {
    let needs = field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || field.first().is_some_and(u8::is_ascii_whitespace)
        || field.last().is_some_and(u8::is_ascii_whitespace);
    if !needs {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for &b in field {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// What every shard holds besides its members: read once, checked against the pin.
struct Fixed {
    case_name: String,
    case_sha256: String,
    pin: crate::ledger::Pin,
    signoff: Signoff,
    current: Vec<u8>,
    acquirer: Vec<u8>,
    diff_json: Vec<u8>,
    diff_md: Vec<u8>,
}

impl Fixed {
    fn read(case: &Case, pin: &crate::ledger::Pin, signoff: &Signoff) -> Result<Fixed> {
        let read = |p: &Path| {
            std::fs::read(p).map_err(|source| Error::Read {
                path: p.to_path_buf(),
                source,
            })
        };
        let current = read(&case.current)?;
        let acquirer = read(&case.acquirer)?;
        let hash = |b: &[u8]| crate::policy::hex(&Sha256::digest(b));
        // The bytes that go into the bundle are the ones hashed here: a change since the gate
        // refuses.
        if hash(&current) != pin.current.1 || hash(&acquirer) != pin.acquirer.1 {
            return Err(Error::Refused(
                "a policy changed during the export; run `handover plan --replan`".to_string(),
            ));
        }
        let old = crate::policy::load(&case.current)?;
        let new = crate::policy::load(&case.acquirer)?;
        let diff = crate::diff::diff(&old, &new, &crate::taxonomy::Taxonomy::embedded());
        let render_error = |path: &str| {
            let path = PathBuf::from(path);
            move |source| Error::Write { path, source }
        };
        let mut diff_json = Vec::new();
        crate::render::json::diff(&diff, &mut diff_json)
            .map_err(render_error("report/diff.json"))?;
        let mut diff_md = Vec::new();
        crate::render::markdown::diff(&diff, &mut diff_md)
            .map_err(render_error("report/diff.md"))?;
        Ok(Fixed {
            case_name: case.name.clone(),
            case_sha256: case.sha256.clone(),
            pin: pin.clone(),
            signoff: signoff.clone(),
            current,
            acquirer,
            diff_json,
            diff_md,
        })
    }
}

/// `age` hands back the writer it wraps; this one hashes and counts what reaches the file.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type Sink = age::armor::ArmoredWriter<HashingWriter<io::BufWriter<std::fs::File>>>;
type TarOut = tar::Builder<Pipe<age::stream::StreamWriter<Sink>>>;

/// A file entry already in the tar stream.
#[derive(Debug, Clone, Serialize)]
struct Entry {
    path: String,
    bytes: u64,
    sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<u64>,
}

/// One bundle being written.
struct ShardWriter {
    tar: TarOut,
    pending: Pending,
    path: PathBuf,
    export: i64,
    shard: (u32, u32),
    mtime: u64,
    created_at: String,
    header: Vec<u8>,
    part: Vec<u8>,
    part_records: u64,
    members: u64,
    notifications: u64,
    entries: Vec<Entry>,
    case: (String, String),
    pin: crate::ledger::Pin,
    signoff: Signoff,
}

/// A bundle complete and synced, not yet named.
struct Finished {
    pending: Pending,
    path: PathBuf,
    export: i64,
    members: u64,
    bytes: u64,
    manifest_sha256: String,
    receipt: Vec<u8>,
    signature: Option<String>,
}

impl ShardWriter {
    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
    fn start(
        dir: &Path,
        opts: &ExportOptions,
        path: &Path,
        export: i64,
        shard: (u32, u32),
        now: Timestamp,
        fixed: &Fixed,
        header: Vec<u8>,
    ) -> Result<ShardWriter> {
        let fail = write_error(path);
        let pending = Pending::create(dir).map_err(&fail)?;
        let file = pending.file().try_clone().map_err(&fail)?;
        let format = if opts.armor {
            age::armor::Format::AsciiArmor
        } else {
            age::armor::Format::Binary
        };
        let sink = age::armor::ArmoredWriter::wrap_output(
            HashingWriter {
                inner: io::BufWriter::with_capacity(1 << 20, file),
                hasher: Sha256::new(),
                bytes: 0,
            },
            format,
        )
        .map_err(&fail)?;
        let stream = opts
            .recipients
            .encryptor()?
            .wrap_output(sink)
            .map_err(&fail)?;
        // Encryption, the bundle's hash and the writes run on the pipe's thread.
        let mut tar = tar::Builder::new(Pipe::new(stream).map_err(&fail)?);
        tar.mode(tar::HeaderMode::Deterministic);
        let mut w = ShardWriter {
            tar,
            pending,
            path: path.to_path_buf(),
            export,
            shard,
            mtime: u64::try_from(now.as_second()).unwrap_or(0),
            created_at: now.to_string(),
            header,
            part: Vec::with_capacity(PART_BYTES + (64 << 10)),
            part_records: 0,
            members: 0,
            notifications: 0,
            entries: Vec::new(),
            case: (fixed.case_name.clone(), fixed.case_sha256.clone()),
            pin: fixed.pin.clone(),
            signoff: fixed.signoff.clone(),
        };
        let readme = readme(fixed, shard, &w.created_at);
        w.append("README.txt", readme.as_bytes(), None)?;
        w.append("policies/current.md", &fixed.current, None)?;
        w.append("policies/acquirer.md", &fixed.acquirer, None)?;
        w.append("report/diff.json", &fixed.diff_json, None)?;
        w.append("report/diff.md", &fixed.diff_md, None)?;
        Ok(w)
    }

    fn tar_header(&self, path: &str, size: u64) -> Result<tar::Header> {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).map_err(write_error(&self.path))?;
        h.set_size(size);
        h.set_mode(0o600);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(self.mtime);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        Ok(h)
    }

    /// Appends a file held in memory.
    fn append(&mut self, path: &str, data: &[u8], records: Option<u64>) -> Result<()> {
        let mut h = self.tar_header(path, data.len() as u64)?;
        self.tar
            .append_data(&mut h, path, data)
            .map_err(write_error(&self.path))?;
        self.entries.push(Entry {
            path: path.to_string(),
            bytes: data.len() as u64,
            sha256: crate::policy::hex(&Sha256::digest(data)),
            records,
        });
        Ok(())
    }

    /// Appends a file of known size that `write` produces; a different size is an error,
    /// never a corrupt tar.
    fn append_sized(
        &mut self,
        path: &str,
        size: u64,
        records: Option<u64>,
        write: impl FnOnce(&mut dyn Write) -> Result<u64>,
    ) -> Result<()> {
        let fail = write_error(&self.path);
        let h = self.tar_header(path, size)?;
        let out = self.tar.get_mut();
        out.write_all(h.as_bytes()).map_err(&fail)?;
        let mut counted = HashingWriter {
            inner: &mut *out,
            hasher: Sha256::new(),
            bytes: 0,
        };
        let rows = write(&mut counted)?;
        if counted.bytes != size || Some(rows) != records {
            return Err(Error::Refused(format!(
                "{path} changed while it was written ({} bytes, {size} expected); the ledger \
                 changed during the export: run it again",
                counted.bytes
            )));
        }
        let sha256 = crate::policy::hex(&counted.hasher.finalize());
        let pad = (512 - size % 512) % 512;
        out.write_all(&[0u8; 512][..pad as usize]).map_err(&fail)?;
        self.entries.push(Entry {
            path: path.to_string(),
            bytes: size,
            sha256,
            records,
        });
        Ok(())
    }

    /// Adds one member record (CSV, with its line end); cuts a part first when it would
    /// pass [`PART_BYTES`].
    fn push(&mut self, record: &[u8]) -> Result<()> {
        if self.part_records > 0 && self.part.len() + record.len() > PART_BYTES {
            self.emit_part()?;
        }
        if self.part.is_empty() {
            self.part.extend_from_slice(&self.header);
        }
        self.part.extend_from_slice(record);
        self.part_records += 1;
        self.members += 1;
        Ok(())
    }

    fn emit_part(&mut self) -> Result<()> {
        let n = self
            .entries
            .iter()
            .filter(|e| e.path.starts_with("members/"))
            .count()
            + 1;
        let path = format!("members/part-{n:05}.csv");
        let part = std::mem::take(&mut self.part);
        let records = self.part_records;
        self.append(&path, &part, Some(records))?;
        self.part = part;
        self.part.clear();
        self.part_records = 0;
        Ok(())
    }

    /// Writes the last part, the manifest (and its signature), finishes the age stream and
    /// syncs the file.
    fn finish(
        mut self,
        columns: &[String],
        recipients: &[String],
        signer_fp: Option<&str>,
        signer: Option<&Signer>,
    ) -> Result<Finished> {
        if self.part_records > 0 {
            self.emit_part()?;
        }
        let path = self.path.clone();
        let fail = write_error(&path);
        let manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            tool: concat!("handover ", env!("CARGO_PKG_VERSION")),
            case: CaseRef {
                name: &self.case.0,
                sha256: &self.case.1,
            },
            export: ExportRef {
                id: self.export,
                created_at: &self.created_at,
                shard: self.shard.0,
                shards: self.shard.1,
            },
            plan: PlanRef {
                planned_at: &self.pin.planned_at,
                members_sha256: &self.pin.members_sha256,
            },
            policies: Policies {
                current: FileRef {
                    path: "policies/current.md",
                    sha256: &self.pin.current.1,
                },
                acquirer: FileRef {
                    path: "policies/acquirer.md",
                    sha256: &self.pin.acquirer.1,
                },
            },
            packs: self
                .pin
                .packs
                .iter()
                .map(|(id, sha256)| PackRef { id, sha256 })
                .collect(),
            signoff: SignoffRef {
                by: &self.signoff.by,
                at: &self.signoff.at,
                note: &self.signoff.note,
            },
            columns,
            members: self.members,
            notifications: self.notifications,
            recipients,
            signer: signer_fp,
            files: &self.entries,
        };
        let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Write {
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        bytes.push(b'\n');
        let manifest_sha256 = crate::policy::hex(&Sha256::digest(&bytes));
        let signature = signer.map(|s| s.sign(&bytes)).transpose()?;
        let mut h = self.tar_header("MANIFEST.json", bytes.len() as u64)?;
        self.tar
            .append_data(&mut h, "MANIFEST.json", &bytes[..])
            .map_err(&fail)?;
        if let Some(sig) = &signature {
            let mut h = self.tar_header("MANIFEST.json.sig", sig.len() as u64)?;
            self.tar
                .append_data(&mut h, "MANIFEST.json.sig", sig.as_bytes())
                .map_err(&fail)?;
        }
        let stream = self.tar.into_inner().map_err(&fail)?;
        let sink = stream.finish().map_err(&fail)?.finish().map_err(&fail)?;
        let mut hashing = sink.finish().map_err(&fail)?;
        hashing.flush().map_err(&fail)?;
        let bundle_sha256 = crate::policy::hex(&hashing.hasher.clone().finalize());
        let bundle_bytes = hashing.bytes;
        hashing
            .inner
            .into_inner()
            .map_err(|e| fail(e.into_error()))?;
        self.pending.sync().map_err(&fail)?;
        let receipt = Receipt {
            schema: RECEIPT_SCHEMA,
            bundle: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bundle_bytes,
            bundle_sha256,
            manifest_sha256: manifest_sha256.clone(),
            export_id: self.export,
            created_at: self.created_at.clone(),
            case: self.case.0.clone(),
            shard: self.shard.0,
            shards: self.shard.1,
            members: self.members,
            notifications: self.notifications,
            recipients: recipients.to_vec(),
            signer: signer_fp.map(str::to_string),
            signoff: ReceiptSignoff {
                by: self.signoff.by.clone(),
                at: self.signoff.at.clone(),
            },
        };
        let mut receipt = serde_json::to_vec_pretty(&receipt).map_err(|e| Error::Write {
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        receipt.push(b'\n');
        Ok(Finished {
            pending: self.pending,
            path: self.path,
            export: self.export,
            members: self.members,
            bytes: bundle_bytes,
            manifest_sha256,
            receipt,
            signature,
        })
    }
}

fn readme(fixed: &Fixed, shard: (u32, u32), created_at: &str) -> String {
    format!(
        "Member export: {case}
Bundle {n} of {of}, made by handover {version} on {created_at}.

This bundle holds the members of this case who may move to the acquirer: those told of the
change (or who needed no notice) and whose notice period has run, under the plan of
{planned_at} signed off by {by} on {at}.

  policies/            the current policy and the acquirer's, as the plan compared them
  report/              the comparison (diff.json: schema handover.diff/v1; diff.md)
  evidence/notifications.csv
                       per member: decision, channel, notice key, when told and delivered,
                       and the rules that applied
  members/part-*.csv   the members, each part with its header row; `allowed_opt_ins` lists
                       the new uses (practice-change ids) each member said yes to; other
                       new uses are not allowed for that member
  MANIFEST.json        size, SHA-256 and record count of every file above
  MANIFEST.json.sig    (when signed) SSH signature of MANIFEST.json, namespace handover

To check it:
  handover verify BUNDLE -i IDENTITY [--signer ALLOWED_SIGNERS]
or with standard tools:
  age -d -i IDENTITY BUNDLE | tar -x   (check that age exits 0)
  sha256sum each file and compare with MANIFEST.json
  ssh-keygen -Y verify -f ALLOWED_SIGNERS -I SIGNER -n handover -s MANIFEST.json.sig < MANIFEST.json

The members' personal data are in members/: store and delete them as the acquirer's policy
says.
",
        case = crate::render::sanitize(&fixed.case_name),
        n = shard.0,
        of = shard.1,
        version = env!("CARGO_PKG_VERSION"),
        planned_at = fixed.pin.planned_at,
        by = crate::render::sanitize(&fixed.signoff.by),
        at = fixed.signoff.at,
    )
}

#[derive(Serialize)]
struct Manifest<'a> {
    schema: &'static str,
    tool: &'static str,
    case: CaseRef<'a>,
    export: ExportRef<'a>,
    plan: PlanRef<'a>,
    policies: Policies<'a>,
    packs: Vec<PackRef<'a>>,
    signoff: SignoffRef<'a>,
    columns: &'a [String],
    members: u64,
    notifications: u64,
    recipients: &'a [String],
    signer: Option<&'a str>,
    files: &'a [Entry],
}

#[derive(Serialize)]
struct CaseRef<'a> {
    name: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct ExportRef<'a> {
    id: i64,
    created_at: &'a str,
    shard: u32,
    shards: u32,
}

#[derive(Serialize)]
struct PlanRef<'a> {
    planned_at: &'a str,
    members_sha256: &'a str,
}

#[derive(Serialize)]
struct Policies<'a> {
    current: FileRef<'a>,
    acquirer: FileRef<'a>,
}

#[derive(Serialize)]
struct FileRef<'a> {
    path: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct PackRef<'a> {
    id: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct SignoffRef<'a> {
    by: &'a str,
    at: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct Receipt {
    schema: &'static str,
    bundle: String,
    bundle_bytes: u64,
    bundle_sha256: String,
    manifest_sha256: String,
    export_id: i64,
    created_at: String,
    case: String,
    shard: u32,
    shards: u32,
    members: u64,
    notifications: u64,
    recipients: Vec<String>,
    signer: Option<String>,
    signoff: ReceiptSignoff,
}

#[derive(Serialize)]
struct ReceiptSignoff {
    by: String,
    at: String,
}
