//! The ledger: one SQLite file per case that keeps the plan and the evidence.
//!
//! The schema is a wire format: other tools (and `sqlite3`) may read it. Its version is the
//! highest `version` in `schema_migrations`; opening a ledger applies the missing migrations
//! in one transaction, and refuses one written by a newer `handover`. Times are RFC 3339 UTC
//! text (`2026-11-29T10:00:00Z`).
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `schema_migrations` | applied migration | `version`, `applied_at`, `description` |
//! | `case_pin` | distinct plan (the highest `id` is in force) | `planned_at`; `case_sha256`; `current_path`, `current_sha256`, `acquirer_path`, `acquirer_sha256` (the policies); `packs` (JSON `[{"id", "sha256"}]` in evaluation order); `members_sha256` and `members` (the members file read and its row count); `notice_period_days`; `tool_version`; `replan` (1 when `--replan` accepted changed pins) |
//! | `decisions` | distinct outcome, shared by members | `id`, `decision` (`exclude`, `transfer`, `notify`, `consent`), `channel` (`email`, `site-notice` or empty), `reason`, `rules` and `changes` (`;`-separated rule ids and practice change ids) |
//! | `members` | member of the current plan | `member_id` (primary key), `row` (in the members file, header = 1), `email_key` (FNV-1a 64 of the lower-cased valid address, see [`crate::email::normalised_key`]; NULL without one; not indexed), `decision` (→ `decisions.id`), `state` |
//! | `reviews` | member a person should look at | `member_id` (primary key), `row`, `review`: `invalid-email:<code>` (noticed on the site instead) or `same-email:<row>:<member_id>` (probably the same person as that earlier row; never merged) |
//! | `evidence` | event, append-only (triggers refuse UPDATE and DELETE) | `id`, `member_id`, `event` (`delivered`, `bounced`, `objected`, `deleted`, `consented`, `declined`, ...), `at`, `source` (`ses`, `csv:events.csv`, `operator`, ...), `detail`, `recorded_at` |
//! | `signoffs` | legal approval | `id`, `pin` (→ `case_pin.id`), `by`, `at`, `note` |
//! | `exports` | written bundle | `id`, `pin`, `at`, `path`, `manifest_sha256`, `members`, `recipients` |
//!
//! The view `member_decisions` joins `members`, `decisions` and `reviews` into one row per
//! member. A decision is kept once and shared, so 10 million members cost a few distinct rows
//! there. The file uses 16 KiB pages and write-ahead logging (`status` can read while `plan`
//! writes). States: `pending` (a notice or consent request is due), `excluded`, `ready`; later stages
//! add `sent`, `delivered`, `bounced`, `site-notice`, `uncertain`, `consented`.
//!
//! `plan` replaces `members` and `reviews` in one transaction: a member keeps its state when
//! its decision and channel are unchanged, so re-planning never forgets what was sent (a later
//! migration may index `email_key` when events are matched by address); `evidence`, `signoffs`, `exports`
//! and older `case_pin` rows are never touched by it.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::decide::{Decision, Withdrawal};
use crate::error::{Error, Result};

/// The schema version this `handover` writes.
pub const SCHEMA_VERSION: i64 = 1;

const MEMBERS_TABLE: &str = "CREATE TABLE members (
    member_id TEXT PRIMARY KEY NOT NULL,
    row INTEGER NOT NULL,
    email_key INTEGER,
    decision INTEGER NOT NULL REFERENCES decisions(id),
    state TEXT NOT NULL
) WITHOUT ROWID;";

const MIGRATIONS: [(i64, &str, &str); 1] = [(
    1,
    "case pin, decisions, members, evidence, signoffs, exports",
    "CREATE TABLE case_pin (
        id INTEGER PRIMARY KEY,
        planned_at TEXT NOT NULL,
        case_sha256 TEXT NOT NULL,
        current_path TEXT NOT NULL,
        current_sha256 TEXT NOT NULL,
        acquirer_path TEXT NOT NULL,
        acquirer_sha256 TEXT NOT NULL,
        packs TEXT NOT NULL,
        members_sha256 TEXT NOT NULL,
        members INTEGER NOT NULL,
        notice_period_days INTEGER NOT NULL,
        tool_version TEXT NOT NULL,
        replan INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        decision TEXT NOT NULL CHECK (decision IN ('exclude', 'transfer', 'notify', 'consent')),
        channel TEXT NOT NULL,
        reason TEXT NOT NULL,
        rules TEXT NOT NULL,
        changes TEXT NOT NULL,
        UNIQUE (decision, channel, reason, rules, changes)
    );
    MEMBERS_TABLE
    CREATE TABLE reviews (
        member_id TEXT PRIMARY KEY NOT NULL,
        row INTEGER NOT NULL,
        review TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE VIEW member_decisions AS
        SELECT m.member_id, m.row, d.decision, d.channel, d.reason, d.rules, d.changes,
               m.state, r.review
        FROM members m JOIN decisions d ON d.id = m.decision
        LEFT JOIN reviews r ON r.member_id = m.member_id;
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        member_id TEXT NOT NULL,
        event TEXT NOT NULL,
        at TEXT NOT NULL,
        source TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX evidence_member ON evidence(member_id, event);
    CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
    CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
    CREATE TABLE signoffs (
        id INTEGER PRIMARY KEY,
        pin INTEGER NOT NULL REFERENCES case_pin(id),
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        pin INTEGER NOT NULL REFERENCES case_pin(id),
        at TEXT NOT NULL,
        path TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        members INTEGER NOT NULL,
        recipients TEXT NOT NULL
    );",
)];

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

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Invalid {
        location: path.display().to_string(),
        message: format!(
            "ledger error: {e}; check that the file is a handover ledger and not in use"
        ),
    }
}

impl Ledger {
    /// Opens (creating if missing) and migrates the ledger at `path`.
    pub fn open(path: &Path, now: &str) -> Result<Ledger> {
        let err = sql_error(path);
        let mut conn = Connection::open(path).map_err(&err)?;
        conn.execute_batch(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -32768; PRAGMA busy_timeout = 5000;",
        )
        .map_err(&err)?;
        let tx = conn.transaction().map_err(&err)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)",
        )
        .map_err(&err)?;
        let version: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if version > SCHEMA_VERSION {
            return Err(Error::Invalid {
                location: path.display().to_string(),
                message: format!(
                    "this ledger has schema {version}, written by a newer handover; this one \
                     knows schema {SCHEMA_VERSION}: upgrade handover"
                ),
            });
        }
        for (v, description, sql) in MIGRATIONS {
            if v > version {
                let sql = sql.replace("MEMBERS_TABLE", MEMBERS_TABLE);
                tx.execute_batch(&sql).map_err(&err)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at, description) VALUES (?1, ?2, ?3)",
                    params![v, now, description],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        sql_error(&self.path)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The pin in force, if a plan was made.
    pub fn pin(&self) -> Result<Option<Pin>> {
        read_pin(&self.conn).map_err(self.err())
    }

    /// Members that objected, were deleted or declined, per the evidence.
    pub fn withdrawals(&self) -> Result<HashMap<String, Withdrawal>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT member_id, event FROM evidence
                 WHERE event IN ('deleted', 'objected', 'declined') ORDER BY id",
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
                "objected" => Withdrawal::Objected,
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
        let known = [
            "case_pin",
            "decisions",
            "members",
            "reviews",
            "evidence",
            "signoffs",
            "exports",
        ];
        assert!(known.contains(&table), "not a ledger table: {table}");
        self.conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(self.err())
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

/// Writes a plan inside one transaction: [`Load::begin`], [`Load::insert`] per member,
/// [`Load::finish`].
pub(crate) struct Load<'t> {
    insert: rusqlite::Statement<'t>,
    find: rusqlite::Statement<'t>,
    review: rusqlite::Statement<'t>,
    carry_states: bool,
}

/// A duplicate member id: the row that had it first.
pub(crate) struct Duplicate {
    pub first_row: u64,
}

impl<'t> Load<'t> {
    /// Clears the previous plan's members (keeping them aside when their states must carry
    /// over) and prepares the statements.
    pub(crate) fn begin(tx: &'t Transaction<'t>) -> rusqlite::Result<Load<'t>> {
        let carry_states: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM members WHERE state NOT IN ('pending', 'excluded', 'ready'))",
            [],
            |r| r.get(0),
        )?;
        if carry_states {
            tx.execute_batch(
                "DROP TABLE IF EXISTS members_previous;
                              ALTER TABLE members RENAME TO members_previous;",
            )?;
            tx.execute_batch(MEMBERS_TABLE)?;
        } else {
            tx.execute_batch("DELETE FROM members")?;
        }
        tx.execute_batch("DELETE FROM reviews")?;
        Ok(Load {
            insert: tx.prepare(
                "INSERT INTO members (member_id, row, email_key, decision, state)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            review: tx.prepare(
                "INSERT OR REPLACE INTO reviews (member_id, row, review) VALUES (?1, ?2, ?3)",
            )?,
            find: tx.prepare("SELECT row FROM members WHERE member_id = ?1")?,
            carry_states,
        })
    }

    /// Adds a member; a duplicate id is not added and names the first row.
    pub(crate) fn insert(
        &mut self,
        member_id: &str,
        row: u64,
        email_key: Option<i64>,
        decision: i64,
        state: &str,
        review: Option<&str>,
    ) -> rusqlite::Result<Option<Duplicate>> {
        match self
            .insert
            .execute(params![member_id, row, email_key, decision, state])
        {
            Ok(_) => {
                if let Some(review) = review {
                    self.review.execute(params![member_id, row, review])?;
                }
                Ok(None)
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let first_row = self.find.query_row([member_id], |r| r.get(0))?;
                Ok(Some(Duplicate { first_row }))
            }
            Err(e) => Err(e),
        }
    }

    /// Flags a member for review.
    pub(crate) fn review(
        &mut self,
        member_id: &str,
        row: u64,
        review: &str,
    ) -> rusqlite::Result<()> {
        self.review.execute(params![member_id, row, review])?;
        Ok(())
    }

    /// Carries states over from the previous plan.
    pub(crate) fn finish(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        if self.carry_states {
            tx.execute_batch(
                "UPDATE members SET state = p.state
                 FROM members_previous p, decisions dp, decisions dn
                 WHERE p.member_id = members.member_id AND dp.id = p.decision
                   AND dn.id = members.decision AND dp.decision = dn.decision
                   AND dp.channel = dn.channel;
                 DROP TABLE members_previous;",
            )?;
        }
        Ok(())
    }
}

/// The id of a decision, added if new.
pub(crate) fn decision_id(tx: &Transaction<'_>, d: &Decision) -> rusqlite::Result<i64> {
    let channel = d.channel.map_or("", |c| c.as_str());
    let (rules, changes) = (d.rules.join(";"), d.changes.join(";"));
    tx.execute(
        "INSERT OR IGNORE INTO decisions (decision, channel, reason, rules, changes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![d.kind.as_str(), channel, d.reason, rules, changes],
    )?;
    tx.query_row(
        "SELECT id FROM decisions WHERE decision = ?1 AND channel = ?2 AND reason = ?3
         AND rules = ?4 AND changes = ?5",
        params![d.kind.as_str(), channel, d.reason, rules, changes],
        |r| r.get(0),
    )
}

/// Records a new pin.
pub(crate) fn write_pin(tx: &Transaction<'_>, pin: &Pin, replan: bool) -> rusqlite::Result<()> {
    let packs: Vec<PackPin> = pin
        .packs
        .iter()
        .map(|(id, sha256)| PackPin {
            id: id.clone(),
            sha256: sha256.clone(),
        })
        .collect();
    tx.execute(
        "INSERT INTO case_pin (planned_at, case_sha256, current_path, current_sha256,
             acquirer_path, acquirer_sha256, packs, members_sha256, members,
             notice_period_days, tool_version, replan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            pin.planned_at,
            pin.case_sha256,
            pin.current.0,
            pin.current.1,
            pin.acquirer.0,
            pin.acquirer.1,
            serde_json::to_string(&packs).expect("plain strings serialise"),
            pin.members_sha256,
            pin.members,
            pin.notice_period_days,
            env!("CARGO_PKG_VERSION"),
            replan,
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-12-01T09:00:00Z";

    #[test]
    fn migrations_apply_once_and_newer_schemas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        Ledger::open(&path, NOW).unwrap();
        let ledger = Ledger::open(&path, NOW).unwrap();
        let versions: i64 = ledger
            .conn()
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(versions, 1);
        ledger
            .conn()
            .execute(
                "INSERT INTO schema_migrations VALUES (99, ?1, 'future')",
                [NOW],
            )
            .unwrap();
        drop(ledger);
        let err = Ledger::open(&path, NOW).err().unwrap().to_string();
        assert!(
            err.contains("schema 99, written by a newer handover"),
            "{err}"
        );
    }

    #[test]
    fn evidence_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
        let conn = ledger.conn();
        conn.execute(
            "INSERT INTO evidence (member_id, event, at, source, recorded_at)
             VALUES ('M1', 'objected', ?1, 'operator', ?1)",
            [NOW],
        )
        .unwrap();
        assert!(conn.execute("UPDATE evidence SET event = 'x'", []).is_err());
        assert!(conn.execute("DELETE FROM evidence", []).is_err());
        assert_eq!(
            ledger.withdrawals().unwrap().get("M1"),
            Some(&Withdrawal::Objected)
        );
    }
}
