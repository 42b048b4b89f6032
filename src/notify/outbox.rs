//! `notify --outbox DIR`: one `.eml` per notice, its text and HTML bodies, and a mail-merge
//! CSV, for a provider or a person to send.
//!
//! Layout (every file `0600`; a notice handed off before is rewritten through a temporary
//! name and a rename, a new one in place, see `write_one`; the outbox is complete when
//! `mail-merge.csv` is there):
//!
//! ```text
//! DIR/mail-merge.csv          notice_key,message_id,email,language,subject,text_path,html_path
//! DIR/ab/ab12...ef.eml        the whole message (RFC 5322)
//! DIR/ab/ab12...ef.txt        its text part
//! DIR/ab/ab12...ef.html       its HTML part, when the case has an HTML template
//! ```
//!
//! Files sit in 256 folders named by the first two hex digits of the notice key, so that a
//! million notices do not crowd one folder; CSV paths are relative to `DIR`. Members are
//! taken in batches of 4,096 notices, each going through four steps: its notices are recorded
//! `prepared` (committed); its files are rendered and written on two threads; the file
//! system is synced (one `syncfs` per batch, on a thread of its own); and only once that
//! sync has returned are its notices marked `written`, with their `sent` evidence, in the
//! transaction that prepares a later batch (or one of its own at the end). The steps of
//! consecutive batches overlap (the next batch is read and prepared while one is written and
//! the one before it synced), but a notice is never recorded as handed off before its files
//! are on disk: a run stopped in between leaves it `prepared`, and the next run rewrites the
//! same files. The mail-merge CSV is renamed into place at the end and lists every notice of
//! this outbox, including those a previous, interrupted run wrote (they are rewritten
//! identically).
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{eligible, recover, Clock, Counts, Item, Job, Notifier};
use crate::case::Case;
use crate::error::{Error, Result};
use crate::ledger::evidence::{add_with, Decisions, NewEvidence};
use crate::ledger::notices::{self, NoticeState};
use crate::machine::Event;

/// Notices per batch (and per sync): a crash loses at most three batches' work (never their
/// journal). Larger batches mean fewer syncs, each of which flushes the whole file system.
const BATCH: usize = 4096;

/// What an outbox run did.
#[derive(Debug, Clone, Default)]
pub struct OutboxSummary {
    /// What was due, skipped, told on the site, uncertain.
    pub counts: Counts,
    /// Notices written and handed off by this run.
    pub written: u64,
    /// Notices an earlier run had written to this outbox, rewritten identically.
    pub rewritten: u64,
    /// The mail-merge CSV.
    pub csv: PathBuf,
}

/// What the CSV needs of a written notice.
struct Line {
    key: String,
    message_id: String,
    email: String,
    language: String,
    subject: String,
    html: bool,
}

/// Writes the outbox for every member due a notice into `dir`; `progress` gets the number of
/// members read so far.
pub fn outbox(
    case: &Case,
    clock: Clock,
    dir: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<OutboxSummary> {
    let now = clock.now();
    let mut ledger = super::open(case, now)?;
    let notifier = Notifier::new(case, &ledger, now)?;
    let recovered = recover(&mut ledger, &now.to_string())?;
    let waiting = super::count_state(&ledger, NoticeState::Uncertain)? - recovered;
    create_private_dir(dir)?;
    let csv_path = dir.join("mail-merge.csv");
    let csv_tmp = tempfile::Builder::new()
        .prefix(".mail-merge-")
        .tempfile_in(dir)
        .map_err(|source| Error::Write {
            path: csv_path.clone(),
            source,
        })?;
    let handle = csv_tmp
        .as_file()
        .try_clone()
        .map_err(|source| Error::Write {
            path: csv_path.clone(),
            source,
        })?;
    let mut counts = Counts {
        recovered_uncertain: recovered,
        waiting_uncertain: waiting,
        ..Counts::default()
    };
    let mut read = 0u64;
    let mut skipped = 0u64;
    let mut consent = 0u64;
    // Writer threads borrow the notifier while the members are still being read: the scope
    // joins them before it ends, error or not.
    let (csv, mut summary) = std::thread::scope(|scope| -> Result<_> {
        let mut batch = Batch {
            dir,
            clock,
            scope,
            notifier: &notifier,
            // Batches write through a second connection; the members stream reads through the
            // first, so neither holds the other up.
            writer: crate::ledger::Ledger::open(&case.ledger, &now.to_string())?,
            csv: csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, handle)),
            csv_path: csv_path.clone(),
            shards: [false; 256],
            due: Vec::with_capacity(BATCH),
            again: Vec::new(),
            writing: None,
            syncing: None,
            summary: OutboxSummary {
                csv: csv_path.clone(),
                ..OutboxSummary::default()
            },
        };
        batch.header()?;
        notifier.each_member(&ledger, &mut counts, |n, item| {
            read += 1;
            if read % 4096 == 0 {
                progress(read);
            }
            if eligible(&item.candidate).is_some() {
                if n.kind(&item.candidate) == "consent-request" {
                    consent += 1;
                }
                batch.due.push(item);
            } else {
                skipped += 1;
                // Already handed off: rewritten only into the outbox that holds it.
                let written = item
                    .candidate
                    .notice
                    .as_ref()
                    .filter(|r| r.state == NoticeState::Written)
                    .filter(|r| file(dir, &r.key, "eml").exists())
                    .cloned();
                match written {
                    Some(row) => batch.again.push(Job { item, row }),
                    None => return Ok(()),
                }
            }
            if batch.due.len() + batch.again.len() >= BATCH {
                batch.flush()?;
            }
            Ok(())
        })?;
        batch.flush()?;
        batch.finish()?;
        let Batch { csv, summary, .. } = batch;
        Ok((csv, summary))
    })?;
    progress(read);
    let fail = |source: std::io::Error| Error::Write {
        path: csv_path.clone(),
        source,
    };
    let file = csv.into_inner().map_err(|e| fail(e.into_error()))?;
    file.into_inner()
        .map_err(|e| fail(e.into_error()))?
        .sync_all()
        .map_err(fail)?;
    csv_tmp.persist(&csv_path).map_err(|e| fail(e.error))?;
    counts.due = summary.written;
    counts.skipped = skipped;
    counts.consent_requests = consent;
    summary.counts = counts;
    Ok(summary)
}

/// The batch being gathered, the batches in flight, and where they go.
struct Batch<'s, 'n> {
    dir: &'n Path,
    clock: Clock,
    scope: &'s std::thread::Scope<'s, 'n>,
    notifier: &'n Notifier<'n>,
    writer: crate::ledger::Ledger,
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
    csv_path: PathBuf,
    shards: [bool; 256],
    /// Members due a notice.
    due: Vec<Item>,
    /// Notices written to this outbox before, to write again.
    again: Vec<Job>,
    /// The batch prepared last, while its files are written.
    writing: Option<Writing<'s>>,
    /// The batch written before it, while its sync runs.
    syncing: Option<Syncing<'s>>,
    summary: OutboxSummary,
}

/// What the steps of a batch carry: its notices (the first `fresh` new to the outbox, the
/// rest rewritten) and when they were prepared (the time of their evidence).
struct Flight {
    jobs: Vec<Job>,
    fresh: usize,
    at: jiff::Timestamp,
}

/// A batch whose files are being written.
struct Writing<'s> {
    flight: Flight,
    write: std::thread::ScopedJoinHandle<'s, (Vec<Job>, Result<Vec<Line>>)>,
}

/// A batch whose files are written and being synced to disk.
struct Syncing<'s> {
    flight: Flight,
    lines: Vec<Line>,
    sync: std::thread::ScopedJoinHandle<'s, std::io::Result<()>>,
}

impl<'s, 'n> Batch<'s, 'n> {
    fn csv_error(&self, e: csv::Error) -> Error {
        Error::Write {
            path: self.csv_path.clone(),
            source: e.into(),
        }
    }

    fn header(&mut self) -> Result<()> {
        self.csv
            .write_record([
                "notice_key",
                "message_id",
                "email",
                "language",
                "subject",
                "text_path",
                "html_path",
            ])
            .map_err(|e| self.csv_error(e))
    }

    /// Prepares the batch gathered and starts writing its files; moves the batch written
    /// before it on to its sync, and the one synced before that to `written`. One
    /// transaction marks the synced batch and prepares the new one: with a large ledger each
    /// commit rewrites most pages of the notices' and evidence's indexes (their keys are
    /// random), so fewer commits mean much less written.
    fn flush(&mut self) -> Result<()> {
        if self.due.is_empty() && self.again.is_empty() {
            return Ok(());
        }
        let n = self.notifier;
        let err = self.writer.err();
        let now = self.clock.now();
        let stamp = now.to_string();
        let key = self.writer.hash_key();
        let synced = self.wait_synced()?;
        let mut w = self.writer.write("notify")?;
        if let Some((flight, _)) = &synced {
            mark_written(w.conn(), flight, &err)?;
        }
        let mut jobs = n.prepare(w.conn(), key, &err, std::mem::take(&mut self.due), &stamp)?;
        w.commit()?;
        if let Some((flight, lines)) = synced {
            self.list(flight, lines)?;
        }
        let fresh = jobs.len();
        jobs.append(&mut self.again);
        for job in &jobs {
            let shard = shard_of(&job.row.key);
            if !self.shards[shard] {
                create_private_dir(&self.dir.join(&job.row.key[..2]))?;
                self.shards[shard] = true;
            }
        }
        let written = self.wait_written()?;
        let dir = self.dir;
        let write = self.scope.spawn(move || {
            let lines = write_all(n, dir, &jobs, fresh);
            (jobs, lines)
        });
        self.writing = Some(Writing {
            flight: Flight {
                jobs: Vec::new(),
                fresh,
                at: now,
            },
            write,
        });
        if let Some((flight, lines)) = written {
            self.start_sync(flight, lines)?;
        }
        Ok(())
    }

    /// Starts the sync of a batch whose files are written.
    fn start_sync(&mut self, flight: Flight, lines: Vec<Line>) -> Result<()> {
        let dir = open_dir(self.dir)?;
        self.syncing = Some(Syncing {
            flight,
            lines,
            sync: self.scope.spawn(move || sync(&dir)),
        });
        Ok(())
    }

    /// Waits for the batch being written, if any.
    fn wait_written(&mut self) -> Result<Option<(Flight, Vec<Line>)>> {
        let Some(w) = self.writing.take() else {
            return Ok(None);
        };
        let (jobs, lines) = w.write.join().unwrap_or_else(|_| {
            (
                Vec::new(),
                Err(Error::Refused(
                    "a writer thread panicked (a bug)".to_string(),
                )),
            )
        });
        Ok(Some((Flight { jobs, ..w.flight }, lines?)))
    }

    /// Takes every batch in flight through to `written`.
    fn finish(&mut self) -> Result<()> {
        let written = self.wait_written()?;
        self.settle()?;
        if let Some((flight, lines)) = written {
            self.start_sync(flight, lines)?;
        }
        self.settle()
    }

    /// Waits for the sync of the batch being synced, if any.
    fn wait_synced(&mut self) -> Result<Option<(Flight, Vec<Line>)>> {
        let Some(s) = self.syncing.take() else {
            return Ok(None);
        };
        let synced = s.sync.join().unwrap_or_else(|_| {
            Err(std::io::Error::other(
                "the thread syncing the outbox panicked (a bug)",
            ))
        });
        synced.map_err(|source| Error::Write {
            path: self.dir.to_path_buf(),
            source,
        })?;
        Ok(Some((s.flight, s.lines)))
    }

    /// Waits for the sync of the batch being synced, if any, then marks it `written` in a
    /// transaction of its own and lists it in the CSV.
    fn settle(&mut self) -> Result<()> {
        let Some((flight, lines)) = self.wait_synced()? else {
            return Ok(());
        };
        let err = self.writer.err();
        let mut w = self.writer.write("notify")?;
        mark_written(w.conn(), &flight, &err)?;
        w.commit()?;
        self.list(flight, lines)
    }

    /// Counts a batch marked `written` (committed) and lists it in the CSV.
    fn list(&mut self, flight: Flight, lines: Vec<Line>) -> Result<()> {
        self.summary.written += flight.fresh as u64;
        self.summary.rewritten += (flight.jobs.len() - flight.fresh) as u64;
        let mut path = String::new();
        let mut html = String::new();
        for line in lines {
            use std::fmt::Write as _;
            path.clear();
            html.clear();
            let _ = write!(path, "{}/{}.txt", &line.key[..2], line.key);
            if line.html {
                let _ = write!(html, "{}/{}.html", &line.key[..2], line.key);
            }
            self.csv
                .write_record([
                    line.key.as_str(),
                    &line.message_id,
                    &line.email,
                    &line.language,
                    &line.subject,
                    &path,
                    &html,
                ])
                .map_err(|e| self.csv_error(e))?;
        }
        Ok(())
    }
}

/// Marks the new notices of a synced batch `written`, with their `sent` evidence, inside the
/// caller's transaction; in key order, as they were prepared (see `Notifier::prepare`).
fn mark_written(
    conn: &rusqlite::Connection,
    flight: &Flight,
    err: &dyn Fn(rusqlite::Error) -> Error,
) -> Result<()> {
    let stamp = flight.at.to_string();
    let mut decisions = Decisions::default();
    let mut order: Vec<&Job> = flight.jobs[..flight.fresh].iter().collect();
    order.sort_unstable_by(|a, b| a.row.key.cmp(&b.row.key));
    for job in order {
        notices::set_state(
            conn,
            job.row.id,
            NoticeState::Written,
            job.row.attempts,
            "",
            Some(&stamp),
        )
        .map_err(err)?;
        add_with(
            conn,
            &NewEvidence::produced(
                &job.item.member_id,
                Event::Sent,
                flight.at,
                "outbox",
                "written to the outbox and handed off",
                &format!("notice:{}:sent", job.row.key),
            )
            .of_notice(&job.row.message_id, job.row.id),
            &stamp,
            &mut decisions,
        )
        .map_err(err)?;
    }
    Ok(())
}

fn shard_of(key: &str) -> usize {
    usize::from_str_radix(&key[..2], 16).unwrap_or(0)
}

/// The path of a notice's file in the outbox.
pub(crate) fn file(dir: &Path, key: &str, ext: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{key}.{ext}"))
}

/// Renders and writes `jobs` (the first `fresh` new to the outbox, the rest handed off
/// before) on two threads; returns the CSV lines in `jobs` order.
fn write_all(n: &Notifier<'_>, dir: &Path, jobs: &[Job], fresh: usize) -> Result<Vec<Line>> {
    let half = jobs.len().div_ceil(2).max(1);
    let results: Vec<Result<Vec<Line>>> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(half)
            .enumerate()
            .map(|(c, chunk)| {
                s.spawn(move || {
                    let first = c * half;
                    (first..)
                        .zip(chunk)
                        .map(|(k, j)| write_one(n, dir, j, k >= fresh))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::Refused(
                        "a writer thread panicked (a bug)".to_string(),
                    ))
                })
            })
            .collect()
    });
    let mut out = Vec::with_capacity(jobs.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// Writes one notice's files. A notice handed off before (`again`) is rewritten through a
/// temporary file and a rename, so that its files, which someone may be sending from, are
/// never seen half written. A new one is written in place: it is only `prepared` until its
/// batch is synced and marked `written`, it is not in the mail-merge CSV (renamed into place
/// at the end), and a run stopped halfway rewrites it (truncating what it left); this saves
/// a rename per file (about 12% of the outbox's wall time on ext4, `bench/notify.sh`).
fn write_one(n: &Notifier<'_>, dir: &Path, job: &Job, again: bool) -> Result<Line> {
    let r = n.render(job)?;
    let write = |path: &Path, bytes: &[u8]| write_private(path, bytes, again);
    write(&file(dir, &r.key, "eml"), &r.eml)?;
    write(&file(dir, &r.key, "txt"), r.text.as_bytes())?;
    if let Some(h) = &r.html {
        write(&file(dir, &r.key, "html"), h.as_bytes())?;
    }
    Ok(Line {
        key: r.key,
        message_id: job.row.message_id.clone(),
        email: r.to,
        language: r.language,
        subject: r.subject,
        html: r.html.is_some(),
    })
}

/// Writes `bytes` to `path` (`0600`): with `atomic`, to `path.tmp` renamed over `path`.
fn write_private(path: &Path, bytes: &[u8], atomic: bool) -> Result<()> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = if atomic {
        let mut tmp = path.as_os_str().to_os_string();
        tmp.push(".tmp");
        PathBuf::from(tmp)
    } else {
        path.to_path_buf()
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&tmp).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    drop(f);
    if atomic {
        std::fs::rename(&tmp, path).map_err(fail)?;
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Opens `dir` for [`sync`].
fn open_dir(dir: &Path) -> Result<std::fs::File> {
    std::fs::File::open(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Flushes the file system that holds the open folder `dir` (one call for a whole batch of
/// files).
fn sync(dir: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    rustix::fs::syncfs(dir)?;
    #[cfg(not(unix))]
    dir.sync_all()?;
    Ok(())
}
