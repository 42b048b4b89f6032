//! Recording evidence: one append-only row per event, replays recognised by their dedupe key,
//! and the member's state moved by [`crate::machine::step`]. `notify` (sent, uncertain,
//! rejected) and `record` (provider events, answers, objections) both come through here, so
//! the state machine is applied in one place.
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

use crate::machine::{step, Event, Refused, Track};
use crate::model::{DecisionKind, State};

/// One event to record.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    /// The member.
    pub member_id: &'a str,
    /// What happened.
    pub event: Event,
    /// When it happened.
    pub at: Timestamp,
    /// Where it came from: `ses`, `sendgrid`, `postmark`, `mailgun`, `csv`, `smtp`,
    /// `operator`, ...
    pub source: &'a str,
    /// A short note without personal data (a bounce code, an operator's reason).
    pub detail: &'a str,
    /// What makes a replay recognisable: the provider's event id (`ses:<id>`), else
    /// `sha256:<hash of the raw record>`.
    pub dedupe_key: &'a str,
    /// The file and line the event was read from, if any.
    pub source_file: Option<&'a str>,
    /// The line (or record number) in that file.
    pub source_line: Option<u64>,
    /// The SHA-256 of the raw record, if read from a file.
    pub raw_sha256: Option<&'a str>,
    /// The notice's Message-ID (without angle brackets), if known.
    pub message_id: Option<&'a str>,
    /// The `notices.id`, if known.
    pub notice: Option<i64>,
    /// For `consented`/`declined`: the practice-change ids (opt-ins) answered, `;`-separated;
    /// empty: the move itself.
    pub changes: &'a str,
}

impl<'a> NewEvidence<'a> {
    /// Evidence `handover` produces itself (a notice written or sent, an operator's answer,
    /// the site notice): read from no file, with no raw record, about the move itself.
    pub fn produced(
        member_id: &'a str,
        event: Event,
        at: Timestamp,
        source: &'a str,
        detail: &'a str,
        dedupe_key: &'a str,
    ) -> NewEvidence<'a> {
        NewEvidence {
            member_id,
            event,
            at,
            source,
            detail,
            dedupe_key,
            source_file: None,
            source_line: None,
            raw_sha256: None,
            message_id: None,
            notice: None,
            changes: "",
        }
    }

    /// The same, about a notice of the journal.
    pub fn of_notice(self, message_id: &'a str, notice: i64) -> NewEvidence<'a> {
        NewEvidence {
            message_id: Some(message_id),
            notice: Some(notice),
            ..self
        }
    }
}

/// What recording an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Recorded; the member went from one state to the other (equal when nothing moved).
    Recorded {
        /// The evidence row.
        id: i64,
        /// The recorded state before.
        from: State,
        /// The recorded state after.
        to: State,
    },
    /// Recorded as evidence, but the state machine refused it (the state is unchanged).
    Refused {
        /// The evidence row.
        id: i64,
        /// Why.
        refused: Refused,
    },
    /// Already recorded (same dedupe key): nothing written.
    Replay,
    /// The member is not in the plan in force: nothing written.
    UnknownMember,
}

/// The `decisions` rows (decision, channel) read so far in one write transaction. Members
/// share a handful of decisions, and no other writer can change them while the transaction
/// holds the ledger, so a batch of events reads each once. Make one per transaction: it must
/// not outlive the transaction it was filled in (a re-plan may rewrite the table between two).
#[derive(Debug, Default)]
pub struct Decisions(rustc_hash::FxHashMap<i64, (String, String)>);

/// Records `e` at `recorded_at` and moves the member's state; see [`Applied`]. Runs inside the
/// caller's write transaction (`Ledger::write`); statements are cached.
pub fn add(conn: &Connection, e: &NewEvidence<'_>, recorded_at: &str) -> rusqlite::Result<Applied> {
    add_with(conn, e, recorded_at, &mut Decisions::default())
}

/// [`add`], reading decisions through `decisions`, made for the caller's transaction.
pub fn add_with(
    conn: &Connection,
    e: &NewEvidence<'_>,
    recorded_at: &str,
    decisions: &mut Decisions,
) -> rusqlite::Result<Applied> {
    // Three single-table lookups, not one query on the `member_decisions` view: SQLite
    // re-prepares a join after every write in the transaction (measured: about 20 us per
    // event, ten times the rest of `record`), while single-table statements stay prepared.
    // The rule is the view's: a recorded state holds while the member's decision and channel
    // are those it was reached under; otherwise the member is where a plan starts it.
    let decision_id: Option<i64> = conn
        .prepare_cached("SELECT decision FROM members WHERE member_id = ?1")?
        .query_row([e.member_id], |r| r.get(0))
        .optional()?;
    let Some(decision_id) = decision_id else {
        return Ok(Applied::UnknownMember);
    };
    let (decision, channel) = match decisions.0.entry(decision_id) {
        std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => slot.insert(
            conn.prepare_cached("SELECT decision, channel FROM decisions WHERE id = ?1")?
                .query_row([decision_id], |r| Ok((r.get(0)?, r.get(1)?)))?,
        ),
    };
    let (decision, channel) = (decision.as_str(), channel.as_str());
    let recorded = conn
        .prepare_cached(
            "SELECT decision, channel, state, since, told_at FROM member_states
             WHERE member_id = ?1",
        )?
        .query_row([e.member_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    let (state, since, told_at) = match recorded {
        Some((d, c, state, since, told_at)) if d == decision && c == channel => {
            (state, Some(since), told_at)
        }
        _ => {
            let start = DecisionKind::parse(decision)
                .unwrap_or(DecisionKind::Exclude)
                .initial_state();
            (start.as_str().to_string(), None, None)
        }
    };
    let inserted = conn
        .prepare_cached(
            "INSERT INTO evidence (member_id, event, at, source, detail, recorded_at, dedupe_key,
                 source_file, source_line, raw_sha256, message_id, notice, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING",
        )?
        .execute(params![
            e.member_id,
            e.event.as_str(),
            e.at.to_string(),
            e.source,
            e.detail,
            recorded_at,
            e.dedupe_key,
            e.source_file,
            e.source_line,
            e.raw_sha256,
            e.message_id,
            e.notice,
            e.changes,
        ])?;
    if inserted == 0 {
        return Ok(Applied::Replay);
    }
    let id = conn.last_insert_rowid();
    let kind = DecisionKind::parse(decision).unwrap_or(DecisionKind::Exclude);
    let from = State::parse(&state).unwrap_or(State::Pending);
    let parse = |t: Option<String>| t.and_then(|t| t.parse::<Timestamp>().ok());
    let track = Track {
        state: from,
        since: parse(since).unwrap_or(e.at),
        told_at: parse(told_at),
    };
    // A `consented`/`declined` that answers opt-ins only does not touch the move.
    if matches!(e.event, Event::Consented | Event::Declined) && !e.changes.is_empty() {
        return Ok(Applied::Recorded { id, from, to: from });
    }
    let next = match step(kind, track, e.event, e.at) {
        Ok(next) => next,
        Err(refused) => return Ok(Applied::Refused { id, refused }),
    };
    if next != track {
        conn.prepare_cached(
            "INSERT INTO member_states (member_id, decision, channel, state, since, told_at,
                 evidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (member_id) DO UPDATE SET decision = excluded.decision,
                 channel = excluded.channel, state = excluded.state, since = excluded.since,
                 told_at = excluded.told_at, evidence = excluded.evidence",
        )?
        .execute(params![
            e.member_id,
            decision,
            channel,
            next.state.as_str(),
            next.since.to_string(),
            next.told_at.map(|t| t.to_string()),
            id,
        ])?;
    }
    Ok(Applied::Recorded {
        id,
        from,
        to: next.state,
    })
}
