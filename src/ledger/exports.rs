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
    /// Practice-change ids the member said yes to (`;`-separated, from `consented` evidence).
    pub consented: String,
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

    /// Streams every member of the plan in force in members-file row order.
    pub fn each_planned_member(
        &self,
        planned_at: Timestamp,
        mut f: impl FnMut(PlannedMember) -> Result<bool>,
    ) -> Result<()> {
        let err = self.err();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT v.member_id, v.row, m.fingerprint, v.decision, v.reason, v.opt_in,
                        v.state, v.state_since, v.told_at,
                        CASE WHEN v.opt_in = '' THEN '' ELSE
                            (SELECT group_concat(a, '|') FROM
                                (SELECT e.event || '=' || e.changes AS a FROM evidence e
                                 WHERE e.member_id = v.member_id
                                   AND e.event IN ('consented', 'declined') AND e.changes != ''
                                 ORDER BY e.id)) END
                 FROM member_decisions v JOIN members m ON m.member_id = v.member_id
                 ORDER BY v.row",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let time = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
                Ok(row
                    .get::<_, Option<String>>(i)?
                    .and_then(|t| t.parse().ok()))
            };
            let decision: String = row.get(3).map_err(&err)?;
            let state: String = row.get(6).map_err(&err)?;
            let go_on = f(PlannedMember {
                member_id: row.get(0).map_err(&err)?,
                row: row.get(1).map_err(&err)?,
                fingerprint: row.get(2).map_err(&err)?,
                decision: DecisionKind::parse(&decision).unwrap_or(DecisionKind::Exclude),
                reason: row.get(4).map_err(&err)?,
                opt_in: row.get(5).map_err(&err)?,
                answers: row
                    .get::<_, Option<String>>(9)
                    .map_err(&err)?
                    .unwrap_or_default(),
                track: Track {
                    state: State::parse(&state).unwrap_or(State::Pending),
                    since: time(7).map_err(&err)?.unwrap_or(planned_at),
                    told_at: time(8).map_err(&err)?,
                },
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
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT v.member_id, v.decision, v.channel, v.rules, v.told_at,
                    (SELECT n.notice_key FROM notices n WHERE n.member_id = v.member_id
                       AND n.state IN ('sent', 'written') ORDER BY n.id DESC LIMIT 1),
                    (SELECT MIN(e.at) FROM evidence e WHERE e.member_id = v.member_id
                       AND e.event IN ('delivered', 'site-notice')),
                    (SELECT group_concat(e.changes, ';') FROM evidence e
                       WHERE e.member_id = v.member_id AND e.event = 'consented'
                       AND e.changes != ''),
                    v.state, v.state_since
                 FROM member_decisions v WHERE v.row BETWEEN ?1 AND ?2 ORDER BY v.row",
            )
            .map_err(&err)?;
        let mut rows = stmt.query(params![rows.0, rows.1]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| -> Result<String> {
                Ok(row
                    .get::<_, Option<String>>(i)
                    .map_err(&err)?
                    .unwrap_or_default())
            };
            let decision = text(1)?;
            let kind = DecisionKind::parse(&decision).unwrap_or(DecisionKind::Exclude);
            let track = Track {
                state: State::parse(&text(8)?).unwrap_or(State::Pending),
                since: text(9)?.parse().unwrap_or(planned_at),
                told_at: text(4)?.parse().ok(),
            };
            if !keep(kind, track) {
                continue;
            }
            let member_id = text(0)?;
            // A transfer needs no notice: its row says so with empty notice fields.
            let transfer = decision == DecisionKind::Transfer.as_str();
            f(Notification {
                member_id,
                channel: text(2)?,
                rules: text(3)?,
                sent_at: if transfer { String::new() } else { text(4)? },
                notice_key: if transfer { String::new() } else { text(5)? },
                delivered_at: if transfer { String::new() } else { text(6)? },
                consented: text(7)?,
                decision,
            })?;
        }
        Ok(())
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
