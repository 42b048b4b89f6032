//! What `signoff` and `export` ask and tell the ledger: sign-offs pinned to the plan in force,
//! the members of the plan in row order (to merge with the members file), the notification
//! evidence of each exported member, and the record of each written bundle and its members.
use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

use super::Ledger;
use crate::error::Result;
use crate::machine::Track;
use crate::model::{DecisionKind, State};

/// A recorded legal approval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signoff {
    /// Row id.
    pub id: i64,
    /// The plan (`case_pin.id`) it approves.
    pub pin: i64,
    /// Who signed off.
    pub by: String,
    /// When.
    pub at: String,
    /// Their note.
    pub note: String,
}

/// A member of the plan in force, in members-file row order, with everything the export
/// needs of it; borrows from the ledger's row (nothing is allocated per member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMember<'r> {
    /// The member id.
    pub member_id: &'r str,
    /// The row in the members file (header = 1).
    pub row: u64,
    /// The keyed fingerprint of the row as planned.
    pub fingerprint: Option<i64>,
    /// The decision.
    pub decision: DecisionKind,
    /// The decision's channel (`email`, `site-notice`, or empty).
    pub channel: &'r str,
    /// The rule ids behind the decision (`;`-separated).
    pub rules: &'r str,
    /// The decision's reason (why a member is held back or excluded).
    pub reason: &'r str,
    /// Practice-change ids whose new use waits for a yes (`;`-separated).
    pub opt_in: &'r str,
    /// The member's answers to opt-ins, oldest first: `consented=ID;ID|declined=ID`
    /// (empty when the decision has no opt-in).
    pub answers: &'r str,
    /// The recorded state.
    pub track: Track,
    /// The key of the last notice sent or written for the member (empty: none, or the member
    /// was not told).
    pub notice_key: &'r str,
    /// The first delivery report or site-notice posting (empty: none, or not told).
    pub delivered_at: &'r str,
}

/// A bundle about to be recorded.
#[derive(Debug, Clone)]
pub struct NewExport<'a> {
    /// The plan it was made under.
    pub pin: i64,
    /// When.
    pub at: &'a str,
    /// The bundle's path.
    pub path: &'a str,
    /// The receipt's path.
    pub receipt_path: &'a str,
    /// The shard number (from 1).
    pub shard: u32,
    /// The sign-off it relies on.
    pub signoff: i64,
    /// Recipient fingerprints, as JSON.
    pub recipients: &'a str,
}

impl Ledger {
    /// The latest sign-off of plan `pin`, if any.
    pub fn signoff(&self, pin: i64) -> Result<Option<Signoff>> {
        self.conn()
            .query_row(
                "SELECT id, pin, by, at, note FROM signoffs WHERE pin = ?1 ORDER BY id DESC LIMIT 1",
                [pin],
                |r| {
                    Ok(Signoff {
                        id: r.get(0)?,
                        pin: r.get(1)?,
                        by: r.get(2)?,
                        at: r.get(3)?,
                        note: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }

    /// Streams every member of the plan in force in members-file row order, once, with its
    /// decision, recorded state and notification evidence; `f` returns whether to go on.
    ///
    /// Runs inside the export's write transaction: it builds the `members_row` index when the
    /// plan dropped it. One query walks that index, which holds the row, decision,
    /// fingerprint and member id, so nothing is sorted and no member is looked up by id; the
    /// state is one primary-key look-up in `member_states`. The evidence look-ups run only for
    /// members who need them (opt-in answers for decisions with opt-ins, the notice key and
    /// delivery for members who were told), and not at all when the ledger holds no row they
    /// could find (asked once, up front: each look-up opens a cursor, and they were half of
    /// the query's time). The base tables are read rather than the `member_decisions` view
    /// (its review join is not needed); the state follows the view's rule (see `track`).
    pub fn each_planned_member(
        &self,
        planned_at: Timestamp,
        mut f: impl FnMut(&PlannedMember<'_>) -> Result<bool>,
    ) -> Result<()> {
        let err = self.err();
        let any = |sql: &str| -> Result<bool> {
            self.conn()
                .query_row(&format!("SELECT EXISTS ({sql})"), [], |r| r.get(0))
                .map_err(&err)
        };
        let answers = any(
            "SELECT 1 FROM evidence WHERE event IN ('consented', 'declined') \
                           AND changes != ''",
        )?;
        let notices = any("SELECT 1 FROM notices WHERE state IN ('sent', 'written')")?;
        // `plan` drops the index rather than keep it up to date; built once per plan here.
        self.conn()
            .execute_batch(
                "CREATE INDEX IF NOT EXISTS members_row ON members(row, decision, fingerprint)",
            )
            .map_err(&err)?;
        let deliveries = any("SELECT 1 FROM evidence WHERE event IN ('delivered', 'site-notice')")?;
        // Decisions are few and shared by many members: read once, not joined per member.
        let mut decisions: HashMap<i64, [String; 5]> = HashMap::new();
        {
            let mut stmt = self
                .conn()
                .prepare("SELECT id, decision, channel, rules, reason, opt_in FROM decisions")
                .map_err(&err)?;
            let mut rows = stmt.query([]).map_err(&err)?;
            while let Some(r) = rows.next().map_err(&err)? {
                decisions.insert(
                    r.get(0).map_err(&err)?,
                    [
                        r.get(1).map_err(&err)?,
                        r.get(2).map_err(&err)?,
                        r.get(3).map_err(&err)?,
                        r.get(4).map_err(&err)?,
                        r.get(5).map_err(&err)?,
                    ],
                );
            }
        }
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT m.member_id, m.row, m.fingerprint, m.decision,
                        s.decision, s.channel, s.state, s.since, s.told_at,
                    CASE WHEN ?1 AND m.decision IN (SELECT id FROM decisions WHERE opt_in != '')
                    THEN (SELECT group_concat(a, '|') FROM
                            (SELECT e.event || '=' || e.changes AS a FROM evidence e
                             WHERE e.member_id = m.member_id
                               AND e.event IN ('consented', 'declined') AND e.changes != ''
                             ORDER BY e.id)) END,
                    CASE WHEN ?2 AND s.told_at IS NOT NULL
                    THEN (SELECT n.notice_key FROM notices n WHERE n.member_id = m.member_id
                           AND n.state IN ('sent', 'written') ORDER BY n.id DESC LIMIT 1) END,
                    CASE WHEN ?3 AND s.told_at IS NOT NULL
                    THEN (SELECT MIN(e.at) FROM evidence e WHERE e.member_id = m.member_id
                           AND e.event IN ('delivered', 'site-notice')) END
                 FROM members m INDEXED BY members_row
                 LEFT JOIN member_states s ON s.member_id = m.member_id
                 ORDER BY m.row",
            )
            .map_err(&err)?;
        let mut rows = stmt
            .query(params![answers, notices, deliveries])
            .map_err(&err)?;
        let mut times = TimeCache::default();
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| -> Result<&str> {
                use rusqlite::types::ValueRef;
                match row.get_ref(i).map_err(&err)? {
                    ValueRef::Null => Ok(""),
                    v => v.as_str().map_err(|e| err(e.into())),
                }
            };
            let id: i64 = row.get(3).map_err(&err)?;
            // The foreign key makes a missing decision impossible short of a damaged ledger.
            let [d_decision, d_channel, rules, reason, opt_in] = decisions
                .get(&id)
                .ok_or_else(|| err(rusqlite::Error::QueryReturnedNoRows))?;
            let (decision, track) = track(
                d_decision,
                d_channel,
                [text(4)?, text(5)?, text(6)?, text(7)?, text(8)?],
                planned_at,
                &mut times,
            );
            let go_on = f(&PlannedMember {
                member_id: text(0)?,
                row: row.get(1).map_err(&err)?,
                fingerprint: row.get(2).map_err(&err)?,
                decision,
                channel: d_channel,
                rules,
                reason,
                opt_in,
                answers: text(9)?,
                track,
                notice_key: text(10)?,
                delivered_at: text(11)?,
            })?;
            if !go_on {
                break;
            }
        }
        Ok(())
    }

    /// Keeps the export's memory bounded whatever the member count: SQLite's page cache and
    /// each sort use at most 8 MiB, and a larger sort spills to SQLite's own temporary files
    /// (unnamed, gone when closed; they hold ledger rows, never member data) instead of
    /// memory.
    pub(crate) fn bound_memory(&self) -> Result<()> {
        self.conn()
            .execute_batch("PRAGMA cache_size = -8192; PRAGMA temp_store = FILE")
            .map_err(self.err())
    }
}

/// The member's decision and state as the `member_decisions` view defines it: the recorded
/// state when it was reached under the same decision and channel, else where a plan starts.
/// `state` is the `member_states` row (decision, channel, state, since, told_at; empty text
/// without one).
fn track(
    decision: &str,
    channel: &str,
    state: [&str; 5],
    planned_at: Timestamp,
    times: &mut TimeCache,
) -> (DecisionKind, Track) {
    let kind = DecisionKind::parse(decision).unwrap_or(DecisionKind::Exclude);
    let [s_decision, s_channel, s_state, since, told_at] = state;
    if s_state.is_empty() || s_decision != decision || s_channel != channel {
        return (kind, Track::start(kind, planned_at));
    }
    (
        kind,
        Track {
            state: State::parse(s_state).unwrap_or(State::Pending),
            since: times.parse(since, 0).unwrap_or(planned_at),
            told_at: times.parse(told_at, 1),
        },
    )
}

/// The last time parsed per column (`since`, `told_at`): members told in one batch share
/// their times, and parsing RFC 3339 text for every member was a tenth of the export's ledger
/// time.
#[derive(Default)]
struct TimeCache {
    last: [(String, Option<Timestamp>); 2],
}

impl TimeCache {
    fn parse(&mut self, text: &str, column: usize) -> Option<Timestamp> {
        if text.is_empty() {
            return None;
        }
        let (last, parsed) = &mut self.last[column];
        if last != text {
            last.clear();
            last.push_str(text);
            *parsed = text.parse().ok();
        }
        *parsed
    }
}

/// Records a sign-off of plan `pin`; returns its id.
pub(crate) fn add_signoff(
    conn: &Connection,
    pin: i64,
    by: &str,
    at: &str,
    note: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO signoffs (pin, by, at, note) VALUES (?1, ?2, ?3, ?4)",
        params![pin, by, at, note],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records a bundle (its counts and manifest hash are filled by [`finish_export`]); returns
/// its id.
pub(crate) fn add_export(conn: &Connection, e: &NewExport<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO exports (pin, at, path, manifest_sha256, members, recipients, shard,
             receipt_path, signoff)
         VALUES (?1, ?2, ?3, '', 0, ?4, ?5, ?6, ?7)",
        params![
            e.pin,
            e.at,
            e.path,
            e.recipients,
            e.shard,
            e.receipt_path,
            e.signoff
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// How many `export_members` rows one statement inserts.
const MEMBERS_PER_INSERT: usize = 256;

/// Records which members went into which bundle, [`MEMBERS_PER_INSERT`] rows per statement
/// (one statement per member was a tenth of the export's time). Rows wait in memory until
/// the batch is full or [`ExportMembers::flush`] is called, which the caller does before it
/// relies on them.
pub(crate) struct ExportMembers<'c> {
    conn: &'c Connection,
    export: i64,
    ids: String,
    ends: Vec<usize>,
}

impl<'c> ExportMembers<'c> {
    pub(crate) fn new(conn: &'c Connection) -> ExportMembers<'c> {
        ExportMembers {
            conn,
            export: 0,
            ids: String::new(),
            ends: Vec::with_capacity(MEMBERS_PER_INSERT),
        }
    }

    /// Records that `member_id` went into bundle `export`.
    pub(crate) fn add(&mut self, export: i64, member_id: &str) -> rusqlite::Result<()> {
        if export != self.export {
            self.flush()?;
            self.export = export;
        }
        self.ids.push_str(member_id);
        self.ends.push(self.ids.len());
        if self.ends.len() == MEMBERS_PER_INSERT {
            self.flush()?;
        }
        Ok(())
    }

    /// Inserts the rows waiting.
    pub(crate) fn flush(&mut self) -> rusqlite::Result<()> {
        if self.ends.is_empty() {
            return Ok(());
        }
        let n = self.ends.len();
        let mut sql = String::from("INSERT INTO export_members (export, member_id) VALUES ");
        for i in 0..n {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(?1, ?{})", i + 2));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        stmt.raw_bind_parameter(1, self.export)?;
        let mut start = 0;
        for (i, end) in self.ends.iter().enumerate() {
            stmt.raw_bind_parameter(i + 2, &self.ids[start..*end])?;
            start = *end;
        }
        stmt.raw_execute()?;
        self.ids.clear();
        self.ends.clear();
        Ok(())
    }
}

/// Fills in a recorded bundle's manifest hash and member count.
pub(crate) fn finish_export(
    conn: &Connection,
    export: i64,
    manifest_sha256: &str,
    members: u64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE exports SET manifest_sha256 = ?2, members = ?3 WHERE id = ?1",
        params![export, manifest_sha256, members],
    )?;
    Ok(())
}
