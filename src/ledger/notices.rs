//! The notice journal: the SQL of `handover notify` on the `notices` table (schema 2).
//!
//! A notice row is written `prepared` before anything leaves, set `sending` (committed)
//! before the SMTP transaction and `sent`, `rejected` or back to `prepared` (a temporary
//! failure) after it; the outbox sets `written` once its files are on disk. A row found
//! `sending` when a run starts is `uncertain`: that run died mid-send. Evidence (sent,
//! bounced, uncertain, resolved) goes through [`super::evidence::add`], never here.
use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::model::DecisionKind;

/// The journal states of a notice (`notices.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeState {
    /// Rendered and recorded; nothing left yet.
    Prepared,
    /// The SMTP transaction started (committed before it did).
    Sending,
    /// The server accepted it.
    Sent,
    /// Written to an outbox and handed off.
    Written,
    /// The server refused it permanently (5xx).
    Rejected,
    /// A run died mid-send: the outcome is unknown; never re-sent automatically.
    Uncertain,
}

impl NoticeState {
    /// The wire name in `notices.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Prepared => "prepared",
            NoticeState::Sending => "sending",
            NoticeState::Sent => "sent",
            NoticeState::Written => "written",
            NoticeState::Rejected => "rejected",
            NoticeState::Uncertain => "uncertain",
        }
    }

    /// The state of a wire name.
    pub fn parse(name: &str) -> Option<NoticeState> {
        [
            NoticeState::Prepared,
            NoticeState::Sending,
            NoticeState::Sent,
            NoticeState::Written,
            NoticeState::Rejected,
            NoticeState::Uncertain,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// A notice row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    /// `notices.id`.
    pub id: i64,
    /// The notice key.
    pub key: String,
    /// The member.
    pub member_id: String,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
    /// The journal state.
    pub state: NoticeState,
    /// Send attempts so far.
    pub attempts: u32,
    /// When it was prepared (RFC 3339): the `Date` of its message, so a rewrite is identical.
    pub created_at: String,
}

/// A member as `notify` needs it: its decision and state, and its notice of this plan.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The decision.
    pub decision: DecisionKind,
    /// The channel (`email`, `site-notice`, or empty).
    pub channel: String,
    /// The recorded state (`pending`, `sent`, ...).
    pub state: String,
    /// The practice changes that concern the member (`;`-separated ids).
    pub changes: String,
    /// The practice changes whose new use waits for a yes.
    pub opt_in: String,
    /// The keyed fingerprint of the member's row at plan time.
    pub fingerprint: Option<i64>,
    /// The member's notice of the plan `pin`, if one was prepared.
    pub notice: Option<NoticeRow>,
}

/// A notice to record as `prepared`.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    /// The notice key.
    pub key: &'a str,
    /// The plan in force (`case_pin.id`), also the notice version.
    pub pin: i64,
    /// The member.
    pub member_id: &'a str,
    /// `notice` or `consent-request`.
    pub kind: &'a str,
    /// The keyed hash of the address.
    pub address_key: i64,
    /// The Message-ID, without angle brackets.
    pub message_id: &'a str,
    /// SHA-256 of the templates used.
    pub template_sha256: &'a str,
    /// The policies' hashes.
    pub current_sha256: &'a str,
    /// The policies' hashes.
    pub acquirer_sha256: &'a str,
    /// The language the template was chosen by (empty: the default).
    pub language: &'a str,
    /// Now.
    pub created_at: &'a str,
}

const NOTICE_COLUMNS: &str = "id, notice_key, member_id, message_id, state, attempts, created_at";

fn notice_row(r: &rusqlite::Row<'_>, from: usize) -> rusqlite::Result<NoticeRow> {
    let state: String = r.get(from + 4)?;
    Ok(NoticeRow {
        id: r.get(from)?,
        key: r.get(from + 1)?,
        member_id: r.get(from + 2)?,
        message_id: r.get::<_, Option<String>>(from + 3)?.unwrap_or_default(),
        state: NoticeState::parse(&state).unwrap_or(NoticeState::Uncertain),
        attempts: r.get(from + 5)?,
        created_at: r.get(from + 6)?,
    })
}

/// The members `member_ids` (a JSON array of ids) of the plan in force, with their notices
/// of plan `pin`, by member id; members not in the plan are absent. One statement per batch:
/// a point query per member costs more in SQLite's preparation than in the lookup.
pub fn candidates(
    conn: &Connection,
    member_ids: &str,
    pin: i64,
) -> rusqlite::Result<HashMap<String, Candidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.member_id, d.decision, d.channel, d.state, d.changes, d.opt_in, m.fingerprint,
                n.id, n.notice_key, n.member_id, n.message_id, n.state, n.attempts, n.created_at
         FROM json_each(?1) AS j
         CROSS JOIN member_decisions d ON d.member_id = j.value
         JOIN members m ON m.member_id = d.member_id
         LEFT JOIN notices n ON n.id = (
             SELECT MAX(id) FROM notices
             WHERE member_id = d.member_id AND pin = ?2 AND channel = 'email')",
    )?;
    let mut rows = stmt.query(params![member_ids, pin])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let decision: String = r.get(1)?;
        let notice = match r.get::<_, Option<i64>>(7)? {
            Some(_) => Some(notice_row(r, 7)?),
            None => None,
        };
        out.insert(
            r.get::<_, String>(0)?,
            Candidate {
                decision: DecisionKind::parse(&decision).unwrap_or(DecisionKind::Exclude),
                channel: r.get(2)?,
                state: r.get(3)?,
                changes: r.get(4)?,
                opt_in: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                fingerprint: r.get(6)?,
                notice,
            },
        );
    }
    Ok(out)
}

/// Records `n` as `prepared` (a notice with the same key is kept as it is) and returns the
/// row: read back only when one was kept (a new row is what was inserted).
pub fn prepare(conn: &Connection, n: &NewNotice<'_>) -> rusqlite::Result<NoticeRow> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO notices (notice_key, pin, version, member_id, kind, channel, address_key,
             message_id, template_sha256, current_sha256, acquirer_sha256, language, state,
             created_at)
         VALUES (?1, ?2, ?2, ?3, ?4, 'email', ?5, ?6, ?7, ?8, ?9, ?10, 'prepared', ?11)
         ON CONFLICT (notice_key) DO NOTHING",
        )?
        .execute(params![
            n.key,
            n.pin,
            n.member_id,
            n.kind,
            n.address_key,
            n.message_id,
            n.template_sha256,
            n.current_sha256,
            n.acquirer_sha256,
            n.language,
            n.created_at,
        ])?;
    if inserted == 1 {
        return Ok(NoticeRow {
            id: conn.last_insert_rowid(),
            key: n.key.to_string(),
            member_id: n.member_id.to_string(),
            message_id: n.message_id.to_string(),
            state: NoticeState::Prepared,
            attempts: 0,
            created_at: n.created_at.to_string(),
        });
    }
    conn.prepare_cached(&format!(
        "SELECT {NOTICE_COLUMNS} FROM notices WHERE notice_key = ?1"
    ))?
    .query_row([n.key], |r| notice_row(r, 0))
}

/// Moves notice `id` to `state`, with its attempts, last error and (when given) sent time.
pub fn set_state(
    conn: &Connection,
    id: i64,
    state: NoticeState,
    attempts: u32,
    last_error: &str,
    sent_at: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE notices SET state = ?2, attempts = ?3, last_error = ?4,
             sent_at = COALESCE(?5, sent_at)
         WHERE id = ?1",
    )?
    .execute(params![id, state.as_str(), attempts, last_error, sent_at])?;
    Ok(())
}

/// Notices in `state` (of any plan), oldest first.
pub fn in_state(conn: &Connection, state: NoticeState) -> rusqlite::Result<Vec<NoticeRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {NOTICE_COLUMNS} FROM notices WHERE state = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([state.as_str()], |r| notice_row(r, 0))?;
    rows.collect()
}

/// The latest email notice of `member_id` in `state`, if any.
pub fn of_member(
    conn: &Connection,
    member_id: &str,
    state: NoticeState,
) -> rusqlite::Result<Option<NoticeRow>> {
    conn.query_row(
        &format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE member_id = ?1 AND state = ?2
             ORDER BY id DESC LIMIT 1"
        ),
        params![member_id, state.as_str()],
        |r| notice_row(r, 0),
    )
    .optional()
}

/// Members of the plan in force that `notify` leaves to the site notice: decision `notify` or
/// `consent` on the `site-notice` channel, still `pending`.
pub fn site_notice_pending(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT COUNT(*) FROM member_decisions
         WHERE decision IN ('notify', 'consent') AND channel = 'site-notice'
           AND state = 'pending'",
        [],
        |r| r.get(0),
    )
}
