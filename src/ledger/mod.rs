//! The ledger: one SQLite file per case that keeps the plan and the evidence.
//!
//! **The ledger is personal data.** It holds member ids, review notes and keyed hashes of
//! addresses; it is created `0600` (with its `-wal` and `-shm` files), and should be kept
//! and deleted like the members export it came from.
//!
//! The schema is a wire format: other tools (and `sqlite3`) may read it. Its version is the
//! highest `version` in `schema_migrations`. Migrations are fixed SQL files
//! (`src/ledger/migrations/NNNN_*.sql`, embedded), never edited once released; opening a
//! ledger applies the missing ones in one transaction, checks foreign keys, and refuses a
//! ledger written by a newer `handover`. Foreign keys are enforced. Times are RFC 3339 UTC text
//! (`2026-11-29T10:00:00Z`). Schema 4 (schema 2's tables; 3 adds the index `members_row`, 4
//! drops the index `evidence(message_id)`):
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `schema_migrations` | applied migration | `version`, `applied_at`, `description` |
//! | `case_secret` | (one row) | `hash_key`: 16 random bytes, the SipHash-1-3 key of every hash below, made when the ledger is created |
//! | `case_pin` | distinct plan (the highest `id` is in force) | `planned_at`; `case_sha256`; `current_path`, `current_sha256`, `acquirer_path`, `acquirer_sha256` (the policies); `packs` (JSON `[{"id", "sha256"}]` in evaluation order); `members_sha256` and `members` (the members file read and its row count); `notice_period_days`; `tool_version`; `replan` (1 when `--replan` accepted changed inputs) |
//! | `decisions` | distinct outcome, shared by members | `id`, `decision` (`exclude`, `transfer`, `notify`, `consent`), `channel` (`email`, `site-notice` or empty), `reason`, `rules`, `changes` and `opt_in` (`;`-separated rule ids and practice change ids), `consent_by` (`member`, `parent` or empty) |
//! | `members` | member of the plan in force | `member_id` (primary key), `row` (in the members file, header = 1), `email_key` (keyed hash of the lower-cased valid address; NULL without one), `fingerprint` (keyed hash of the member's row as read: a changed row is a changed member), `decision` (→ `decisions.id`) |
//! | `member_states` | member that evidence has moved | `member_id`, the `decision` and `channel` the state was reached under, `state`, `since`, `told_at` (when the notice reached the member: the window runs from here), `evidence` (→ `evidence.id`) |
//! | `reviews` | member a person should look at | `member_id` (primary key), `row`, `review`: `;`-separated codes: `invalid-email:<code>` (noticed on the site instead), `email-reduced:display-name` (the address inside `Name <address>` is used), `implausible-age:born-after-joining` or `implausible-age:under-5-at-joining` (decided as if the age were unknown), `same-email:<row>:<member_id>` (probably the same person as that earlier row; never merged) |
//! | `notices` | notice intent (one per member, notice version and address) | `notice_key` (unique), `pin`, `version`, `member_id`, `kind` (`notice`, `consent-request`), `channel`, `address_key`, `message_id` (unique), `template_sha256`, `current_sha256`, `acquirer_sha256`, `language`, `state` (`prepared`, `sending`, `sent`, `written`, `rejected`, `uncertain`), `attempts`, `last_error`, `created_at`, `sent_at` |
//! | `evidence` | event, append-only (triggers refuse UPDATE and DELETE) | `id`, `member_id`, `event` (see [`crate::machine::Event`]), `at`, `source` (`ses`, `csv`, `operator`, ...), `detail`, `recorded_at`, `dedupe_key` (unique: the provider's event id, else `sha256:` of the raw record, so a replay records nothing twice), `source_file`, `source_line`, `raw_sha256`, `message_id`, `notice` (→ `notices.id`), `changes` (for `consented`/`declined`: the opt-ins answered; empty: the move itself) |
//! | `site_notices` | posting of the prominent site notice, append-only | `pin`, `url`, `posted_at`, `until`, `recorded_at` |
//! | `signoffs` | legal approval | `id`, `pin` (→ `case_pin.id`: a re-plan voids it), `by`, `at`, `note` |
//! | `exports` | written bundle (shard) | `id`, `pin`, `at`, `path`, `manifest_sha256`, `members`, `recipients`, `shard`, `receipt_path`, `signoff` |
//! | `export_members` | member in a bundle | `member_id`, `export` (→ `exports.id`) |
//!
//! The view `member_decisions` gives one row per member of the plan in force: its decision,
//! channel, reason, rules, changes, opt-ins, `state` (the recorded one when it was reached
//! under the same decision and channel, else where a plan starts: `excluded`, `ready` or
//! `pending`), `state_since`, `told_at` and `review`. Time then does its part (a delivered
//! notice becomes `ready` when the window has elapsed): [`crate::machine::settle`].
//!
//! Indexes serve what `record` matches on: `notices(message_id)` (unique),
//! `notices(address_key)`, `notices(member_id)`, and `evidence(dedupe_key)` (unique, for
//! replays); a member id is a primary key. Evidence is not indexed by Message-ID (schema 4
//! dropped that index: no query used it, and it cost `record` about a tenth of its time);
//! find the notice by its Message-ID, then the member's evidence (`evidence(member_id,
//! event)`). `members_row` (`members(row, decision, fingerprint)`, schema 3) lets `export`
//! read the plan in members-file order without sorting it. It belongs to the export: `plan`
//! drops it before it writes members (kept up to date row by row, it cost a plan a quarter of
//! its ledger time) and `export` builds it again, in its own transaction, when it is missing.
//! `members.email_key` is not indexed either (an index would slow every plan); `record`
//! matches addresses through the notices first and reads `members` once for the rest.
//!
//! Writers take the ledger with `BEGIN IMMEDIATE` (`Ledger::write`) and run their gate
//! inside that transaction; a second writer waits up to `HANDOVER_LOCK_TIMEOUT_MS`
//! (default 5,000 ms) and is then refused with the name of the command that holds it (kept in
//! `LEDGER.lock` while a writer runs). Readers never block writers (write-ahead log).
//!
//! `plan` replaces `members` and `reviews` inside its transaction and never renames or drops a
//! table; member states live in `member_states`, which a re-plan trims to the members whose
//! decision and channel are unchanged; `evidence`, `site_notices`, `signoffs`, `exports` and
//! older `case_pin` rows are never touched by it. Files use 16 KiB pages.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::decide::{Decision, Withdrawal};
use crate::error::{is_busy, Error, Result};

pub mod evidence;
pub mod exports;
mod load;
pub mod notices;
mod query;
pub(crate) mod record;

pub(crate) use load::{decision_id, write_pin, Load, MemberChanges, MemberRow};
pub use query::{Flagged, MemberState};

/// The schema version this `handover` writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The migrations, in order: version, description, SQL. Released ones are never edited.
const MIGRATIONS: [(i64, &str, &str); 4] = [
    (
        1,
        "case pin, decisions, members, evidence, signoffs, exports",
        include_str!("migrations/0001_initial.sql"),
    ),
    (
        2,
        "member states, keyed hashes, notices, evidence provenance, site notices, bundle members",
        include_str!("migrations/0002_v2.sql"),
    ),
    (
        3,
        "members indexed by row, for export",
        include_str!("migrations/0003_members_row.sql"),
    ),
    (
        4,
        "no index of evidence by Message-ID",
        include_str!("migrations/0004_no_evidence_message_index.sql"),
    ),
];

/// How long a writer waits for another one, unless `HANDOVER_LOCK_TIMEOUT_MS` says otherwise.
const LOCK_TIMEOUT_MS: u64 = 5_000;

/// What `plan` pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Row id.
    pub id: i64,
    /// When the plan was made.
    pub planned_at: String,
    /// The case file's hash.
    pub case_sha256: String,
    /// The current policy as the case names it, and its hash.
    pub current: (String, String),
    /// The acquirer's policy as the case names it, and its hash.
    pub acquirer: (String, String),
    /// Pack ids and hashes, in evaluation order.
    pub packs: Vec<(String, String)>,
    /// The members file's hash.
    pub members_sha256: String,
    /// Rows read.
    pub members: u64,
    /// The combined notice period.
    pub notice_period_days: u32,
}

impl Pin {
    /// Whether two pins hold the same files (dates and ids aside).
    pub fn same_inputs(&self, other: &Pin) -> bool {
        self.case_sha256 == other.case_sha256
            && self.current.1 == other.current.1
            && self.acquirer.1 == other.acquirer.1
            && self.packs == other.packs
            && self.members_sha256 == other.members_sha256
    }
}

/// The case's secret key for hashes of personal data (SipHash-1-3, 128-bit key: the keyed
/// hash Rust's own hash maps use against chosen inputs, at about half the cost of SipHash-2-4,
/// which was measured at 4% of a `plan`).
#[derive(Clone, Copy)]
pub struct HashKey([u8; 16]);

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(..)")
    }
}

impl HashKey {
    /// A fixed key for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests() -> HashKey {
        HashKey([7; 16])
    }

    fn hasher(&self) -> siphasher::sip::SipHasher13 {
        siphasher::sip::SipHasher13::new_with_key(&self.0)
    }

    /// The key of an email address, case-insensitively: two spellings of one address share it.
    pub fn address(&self, address: &str) -> i64 {
        use std::hash::Hasher;
        let mut h = self.hasher();
        let mut buf = [0u8; 64];
        for chunk in address.as_bytes().chunks(buf.len()) {
            let lower = &mut buf[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            h.write(lower);
        }
        h.finish() as i64
    }

    /// The key of a members-file record: its bytes, then where each field ends as two bytes
    /// (so that `ab,c` and `a,bc` differ; an end past 65,535 bytes wraps, which no two rows
    /// of one member can tell apart in practice), hashed in one write.
    pub fn record(&self, record: &csv::ByteRecord) -> i64 {
        let bytes = record.as_slice();
        let mut buf = [0u8; 1024];
        if bytes.len() + 2 * record.len() > buf.len() {
            let mut input = Vec::with_capacity(bytes.len() + 2 * record.len());
            HashKey::record_input(record, &mut input);
            return self.bytes(&input);
        }
        buf[..bytes.len()].copy_from_slice(bytes);
        let mut at = bytes.len();
        for i in 0..record.len() {
            let end = record.range(i).map_or(0, |r| r.end) as u16;
            buf[at..at + 2].copy_from_slice(&end.to_le_bytes());
            at += 2;
        }
        self.bytes(&buf[..at])
    }

    /// Appends what [`HashKey::record`] hashes to `out`, so that one thread can gather rows
    /// and another hash them ([`HashKey::bytes`] of the appended bytes is the record's key).
    pub fn record_input(record: &csv::ByteRecord, out: &mut Vec<u8>) {
        out.extend_from_slice(record.as_slice());
        for i in 0..record.len() {
            let end = record.range(i).map_or(0, |r| r.end) as u16;
            out.extend_from_slice(&end.to_le_bytes());
        }
    }

    /// The key of some bytes.
    pub fn bytes(&self, bytes: &[u8]) -> i64 {
        use std::hash::Hasher;
        let mut h = self.hasher();
        h.write(bytes);
        h.finish() as i64
    }
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    key: HashKey,
}

impl Ledger {
    /// Opens (creating it `0600` if missing) and migrates the ledger at `path`.
    pub fn open(path: &Path, now: &str) -> Result<Ledger> {
        let err = Error::ledger(path);
        create_private(path)?;
        let mut conn = Connection::open(path).map_err(&err)?;
        let timeout = std::env::var("HANDOVER_LOCK_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(LOCK_TIMEOUT_MS);
        conn.busy_timeout(std::time::Duration::from_millis(timeout))
            .map_err(&err)?;
        conn.execute_batch(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -32768; PRAGMA foreign_keys = OFF;",
        )
        .map_err(|e| locked_or(path, e))?;
        migrate(&mut conn, path, now)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(&err)?;
        let key: Vec<u8> = conn
            .query_row("SELECT hash_key FROM case_secret WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(&err)?;
        let key = HashKey(key.try_into().map_err(|_| Error::Invalid {
            location: path.display().to_string(),
            message:
                "the ledger's case_secret is not 16 bytes; restore the ledger from a backup".into(),
        })?);
        for side in ["-wal", "-shm"] {
            private(&sidecar(path, side));
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            key,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The case's key for hashes of addresses and rows.
    pub fn hash_key(&self) -> HashKey {
        self.key
    }

    pub(crate) fn err(&self) -> impl Fn(rusqlite::Error) -> Error {
        Error::ledger(self.path.clone())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Takes the ledger for writing: `BEGIN IMMEDIATE`, waiting a bounded time for another
    /// writer and then refusing with its name. `command` names this one to others. The
    /// transaction rolls back unless [`Write::commit`] is called.
    pub(crate) fn write(&mut self, command: &str) -> Result<Write<'_>> {
        let lock = self.begin(command)?;
        Ok(Write {
            ledger: self,
            lock,
            open: true,
        })
    }

    /// [`Ledger::write`] for a writer whose prepared statements borrow the ledger while the
    /// transaction is open (`record` keeps one open across the records a file yields): the
    /// same transaction, lock and rollback, through a shared borrow.
    pub(crate) fn write_shared(&self, command: &str) -> Result<SharedWrite<'_>> {
        let lock = self.begin(command)?;
        Ok(SharedWrite {
            ledger: self,
            lock,
            open: true,
        })
    }

    /// `BEGIN IMMEDIATE` and the lock file naming `command`; returns the lock file.
    fn begin(&self, command: &str) -> Result<PathBuf> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| locked_or(&self.path, e))?;
        let lock = sidecar(&self.path, ".lock");
        let holder = format!(
            "handover {command}, pid {}, since {}",
            std::process::id(),
            jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or_default()
        );
        // Only a message for whoever waits: failing to write it blocks nothing.
        let _ = write_private(&lock, holder.as_bytes());
        Ok(lock)
    }

    /// `COMMIT`, or `ROLLBACK` when the commit fails.
    fn commit(&self) -> Result<()> {
        let result = self.conn.execute_batch("COMMIT");
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result.map_err(Error::ledger(&self.path))
    }

    /// The pin in force, if a plan was made.
    pub fn pin(&self) -> Result<Option<Pin>> {
        read_pin(&self.conn).map_err(self.err())
    }

    /// Members that objected, unsubscribed, were deleted or declined the move, per the
    /// evidence (a `declined` that answers opt-ins only does not take a member out).
    pub fn withdrawals(&self) -> Result<HashMap<String, Withdrawal>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT member_id, event FROM evidence
                 WHERE event IN ('deleted', 'objected', 'unsubscribed')
                    OR (event = 'declined' AND changes = '')
                 ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.err())?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, event) = row.map_err(self.err())?;
            let w = match event.as_str() {
                "deleted" => Withdrawal::Deleted,
                "objected" | "unsubscribed" => Withdrawal::Objected,
                _ => Withdrawal::Declined,
            };
            let e = out.entry(id).or_insert(w);
            if w == Withdrawal::Deleted {
                *e = w;
            }
        }
        Ok(out)
    }

    /// Rows in a table (tests and status).
    pub fn count(&self, table: &str) -> Result<u64> {
        const KNOWN: [&str; 12] = [
            "case_pin",
            "decisions",
            "members",
            "member_states",
            "reviews",
            "notices",
            "evidence",
            "site_notices",
            "signoffs",
            "exports",
            "export_members",
            "case_secret",
        ];
        let Some(table) = KNOWN.iter().find(|t| **t == table) else {
            return Err(Error::Invalid {
                location: self.path.display().to_string(),
                message: format!("`{table}` is not a ledger table"),
            });
        };
        self.conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(self.err())
    }
}

/// The ledger taken for writing; rolls back on drop unless committed.
pub(crate) struct Write<'l> {
    ledger: &'l mut Ledger,
    lock: PathBuf,
    open: bool,
}

impl Write<'_> {
    /// The connection, inside the transaction.
    pub(crate) fn conn(&mut self) -> &mut Connection {
        &mut self.ledger.conn
    }

    /// The ledger (for its questions, inside the transaction).
    pub(crate) fn ledger(&self) -> &Ledger {
        self.ledger
    }

    /// Commits the transaction.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.open = false;
        self.ledger.commit()
    }
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        end(self.ledger, &self.lock, self.open);
    }
}

/// The ledger taken for writing through a shared borrow ([`Ledger::write_shared`]); rolls back
/// on drop unless committed.
pub(crate) struct SharedWrite<'l> {
    ledger: &'l Ledger,
    lock: PathBuf,
    open: bool,
}

impl SharedWrite<'_> {
    /// Commits the transaction.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.open = false;
        self.ledger.commit()
    }
}

impl Drop for SharedWrite<'_> {
    fn drop(&mut self) {
        end(self.ledger, &self.lock, self.open);
    }
}

/// Rolls back a transaction still open, and removes the lock file.
fn end(ledger: &Ledger, lock: &Path, open: bool) {
    if open {
        let _ = ledger.conn.execute_batch("ROLLBACK");
    }
    let _ = std::fs::remove_file(lock);
}

/// `LEDGER` + `suffix` (`handover.db-wal`, `handover.db.lock`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// A busy ledger is [`Error::Locked`] naming the holder; anything else a ledger error.
fn locked_or(path: &Path, e: rusqlite::Error) -> Error {
    if !is_busy(&e) {
        return Error::Ledger {
            path: path.to_path_buf(),
            source: e,
        };
    }
    let holder = std::fs::read_to_string(sidecar(path, ".lock"))
        .ok()
        .map(|h| h.trim().chars().take(200).collect::<String>())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "a handover command".to_string());
    Error::Locked {
        path: path.to_path_buf(),
        holder,
    }
}

/// Creates `path` empty and `0600` if it does not exist; tightens an existing one to `0600`.
fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        private(path);
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Makes an existing file readable by its owner only (best effort: the file may not exist).
fn private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, bytes)
}

/// Applies the missing migrations in one `BEGIN IMMEDIATE` transaction (foreign keys off,
/// checked before commit) and makes the case secret if there is none.
fn migrate(conn: &mut Connection, path: &Path, now: &str) -> Result<()> {
    let err = Error::ledger(path);
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| locked_or(path, e))?;
    let result = (|| -> Result<()> {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)",
        )
        .map_err(&err)?;
        let version: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerLedger {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (v, description, sql) in MIGRATIONS {
            if v > version {
                conn.execute_batch(sql).map_err(&err)?;
                conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at, description)
                     VALUES (?1, ?2, ?3)",
                    params![v, now, description],
                )
                .map_err(&err)?;
            }
        }
        // Only a migration can break a reference (writers run with foreign keys on); the
        // check reads every table, seconds on a ledger of millions of rows, so it runs only
        // when one was applied.
        let broken: Option<String> = if version < SCHEMA_VERSION {
            conn.query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                .optional()
                .map_err(&err)?
        } else {
            None
        };
        if let Some(table) = broken {
            return Err(Error::Invalid {
                location: path.display().to_string(),
                message: format!(
                    "the ledger's table `{table}` points at rows that do not exist; restore \
                     the ledger from a backup"
                ),
            });
        }
        let has_key: bool = conn
            .query_row("SELECT EXISTS (SELECT 1 FROM case_secret)", [], |r| {
                r.get(0)
            })
            .map_err(&err)?;
        if !has_key {
            let mut key = [0u8; 16];
            getrandom::fill(&mut key).map_err(|e| Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })?;
            conn.execute(
                "INSERT INTO case_secret (id, hash_key) VALUES (1, ?1)",
                [&key[..]],
            )
            .map_err(&err)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT").map_err(&err),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn read_pin(conn: &Connection) -> rusqlite::Result<Option<Pin>> {
    conn.query_row(
        "SELECT id, planned_at, case_sha256, current_path, current_sha256, acquirer_path,
                acquirer_sha256, packs, members_sha256, members, notice_period_days
         FROM case_pin ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            let packs: String = r.get(7)?;
            let packs: Vec<(String, String)> = serde_json::from_str::<Vec<PackPin>>(&packs)
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.id, p.sha256))
                .collect();
            Ok(Pin {
                id: r.get(0)?,
                planned_at: r.get(1)?,
                case_sha256: r.get(2)?,
                current: (r.get(3)?, r.get(4)?),
                acquirer: (r.get(5)?, r.get(6)?),
                packs,
                members_sha256: r.get(8)?,
                members: r.get(9)?,
                notice_period_days: r.get(10)?,
            })
        },
    )
    .optional()
}

#[derive(serde::Serialize, serde::Deserialize)]
struct PackPin {
    id: String,
    sha256: String,
}

/// Decisions are stored once and shared; a helper for the plan writer.
pub(crate) fn decision_fields(d: &Decision) -> [String; 7] {
    [
        d.kind.as_str().to_string(),
        d.channel.map_or("", |c| c.as_str()).to_string(),
        d.reason.clone(),
        d.rules.join(";"),
        d.changes.join(";"),
        d.opt_in.join(";"),
        d.consent_by.map_or("", |c| c.as_str()).to_string(),
    ]
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
