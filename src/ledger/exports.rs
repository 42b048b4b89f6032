//! What `signoff` and `export` ask and tell the ledger: sign-offs pinned to the plan in force,
//! the members of the plan in row order (to merge with the members file), the notification
//! evidence of each exported member, and the record of each written bundle and its members.
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

/// A member of the plan in force, in members-file row order, with what the export needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMember {
    /// The member id.
    pub member_id: String,
    /// The row in the members file (header = 1).
    pub row: u64,
    /// The keyed fingerprint of the row as planned.
    pub fingerprint: Option<i64>,
    /// The decision.
    pub decision: DecisionKind,
    /// The decision's reason (why a member is held back or excluded).
    pub reason: String,
    /// Practice-change ids whose new use waits for a yes (`;`-separated).
    pub opt_in: String,
    /// The member's answers to opt-ins, oldest first: `consented=ID;ID|declined=ID`
    /// (empty when the decision has no opt-in).
    pub answers: String,
    /// The recorded state.
    pub track: Track,
}

/// One row of `evidence/notifications.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The member id.
    pub member_id: String,
    /// The decision (`transfer`, `notify`, `consent`).
    pub decision: String,
    /// The channel (`email`, `site-notice`, or empty).
    pub channel: String,
    /// The key of the last notice prepared for the member (empty: none).
    pub notice_key: String,
    /// When the member was told (RFC 3339; empty: never).
    pub sent_at: String,
    /// The first delivery report, or the site notice posting (empty: none).
    pub delivered_at: String,
    /// The rule ids behind the decision (`;`-separated).
    pub rules: String,
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

    /// Streams every member of the plan in force, in members-file row order when `ordered`
    /// (else in the cheapest order); `f` returns whether to go on.
    ///
    /// The base tables are read rather than the `member_decisions` view: the export reads
    /// every member two or three times, and the view's review join and the extra lookup of
    /// the fingerprint doubled the cost. The state follows the view's rule (see `track`).
    pub fn each_planned_member(
        &self,
        planned_at: Timestamp,
        ordered: bool,
        mut f: impl FnMut(PlannedMember) -> Result<bool>,
    ) -> Result<()> {
        let err = self.err();
        let sql = format!(
            "SELECT m.member_id, m.row, m.fingerprint, d.decision, d.channel, d.reason, d.opt_in,
                    s.decision, s.channel, s.state, s.since, s.told_at,
                    CASE WHEN d.opt_in = '' THEN '' ELSE
                        (SELECT group_concat(a, '|') FROM
                            (SELECT e.event || '=' || e.changes AS a FROM evidence e
                             WHERE e.member_id = m.member_id
                               AND e.event IN ('consented', 'declined') AND e.changes != ''
                             ORDER BY e.id)) END
             FROM members m JOIN decisions d ON d.id = m.decision
             LEFT JOIN member_states s ON s.member_id = m.member_id
             {}",
            if ordered { "ORDER BY m.row" } else { "" }
        );
        let mut stmt = self.conn().prepare(&sql).map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let (decision, track) = track(row, 3, 7, planned_at).map_err(&err)?;
            let go_on = f(PlannedMember {
                member_id: row.get(0).map_err(&err)?,
                row: row.get(1).map_err(&err)?,
                fingerprint: row.get(2).map_err(&err)?,
                decision,
                reason: row.get(5).map_err(&err)?,
                opt_in: row.get(6).map_err(&err)?,
                answers: row
                    .get::<_, Option<String>>(12)
                    .map_err(&err)?
                    .unwrap_or_default(),
                track,
            })?;
            if !go_on {
                break;
            }
        }
        Ok(())
    }

    /// The notification evidence of the members whose rows are in `rows` (inclusive), in row
    /// order; `keep` picks the exported ones from their decision and recorded state.
    pub fn each_notification(
        &self,
        rows: (u64, u64),
        planned_at: Timestamp,
        mut keep: impl FnMut(DecisionKind, Track) -> bool,
        mut f: impl FnMut(Notification) -> Result<()>,
    ) -> Result<()> {
        let err = self.err();
        // The evidence lookups run only for members who were told.
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT m.member_id, d.decision, d.channel, d.rules, d.reason, d.opt_in,
                    s.decision, s.channel, s.state, s.since, s.told_at,
                    CASE WHEN s.told_at IS NULL THEN NULL ELSE
                        (SELECT n.notice_key FROM notices n WHERE n.member_id = m.member_id
                           AND n.state IN ('sent', 'written') ORDER BY n.id DESC LIMIT 1) END,
                    CASE WHEN s.told_at IS NULL THEN NULL ELSE
                        (SELECT MIN(e.at) FROM evidence e WHERE e.member_id = m.member_id
                           AND e.event IN ('delivered', 'site-notice')) END
                 FROM members m JOIN decisions d ON d.id = m.decision
                 LEFT JOIN member_states s ON s.member_id = m.member_id
                 WHERE m.row BETWEEN ?1 AND ?2 ORDER BY m.row",
            )
            .map_err(&err)?;
        let mut rows = stmt.query(params![rows.0, rows.1]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let (kind, track) = track(row, 1, 6, planned_at).map_err(&err)?;
            if !keep(kind, track) {
                continue;
            }
            let text = |i: usize| -> Result<String> {
                Ok(row
                    .get::<_, Option<String>>(i)
                    .map_err(&err)?
                    .unwrap_or_default())
            };
            // A transfer needs no notice: its row says so with empty notice fields.
            let told = kind != DecisionKind::Transfer;
            f(Notification {
                member_id: text(0)?,
                decision: kind.as_str().to_string(),
                channel: text(2)?,
                rules: text(3)?,
                sent_at: match (told, track.told_at) {
                    (true, Some(t)) => t.to_string(),
                    _ => String::new(),
                },
                notice_key: if told { text(11)? } else { String::new() },
                delivered_at: if told { text(12)? } else { String::new() },
            })?;
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
/// `d` is the column of `decisions.decision` (its channel follows), `s` that of
/// `member_states.decision` (then channel, state, since, told_at).
fn track(
    row: &rusqlite::Row<'_>,
    d: usize,
    s: usize,
    planned_at: Timestamp,
) -> rusqlite::Result<(DecisionKind, Track)> {
    let decision: String = row.get(d)?;
    let kind = DecisionKind::parse(&decision).unwrap_or(DecisionKind::Exclude);
    let channel: String = row.get(d + 1)?;
    let same = row.get::<_, Option<String>>(s)?.as_deref() == Some(decision.as_str())
        && row.get::<_, Option<String>>(s + 1)?.as_deref() == Some(channel.as_str());
    if !same {
        return Ok((kind, Track::start(kind, planned_at)));
    }
    let time = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
        Ok(row
            .get::<_, Option<String>>(i)?
            .and_then(|t| t.parse().ok()))
    };
    let state: String = row.get(s + 2)?;
    Ok((
        kind,
        Track {
            state: State::parse(&state).unwrap_or(State::Pending),
            since: time(s + 3)?.unwrap_or(planned_at),
            told_at: time(s + 4)?,
        },
    ))
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

/// Records that `member_id` went into bundle `export`.
pub(crate) fn add_export_member(
    conn: &Connection,
    export: i64,
    member_id: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO export_members (member_id, export) VALUES (?1, ?2)")?
        .execute(params![member_id, export])?;
    Ok(())
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
