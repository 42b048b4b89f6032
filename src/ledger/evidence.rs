//! Recording evidence: one append-only row per event, replays recognised by their dedupe key,
//! and the member's state moved by [`crate::machine::step`]. `notify` (sent, uncertain,
//! rejected) and `record` (provider events, answers, objections) both come through here, so
//! the state machine is applied in one place.
//!
//! [`add`] records one event. [`Batch`] records many in one write transaction (`record`'s
//! batches of provider events): it reads each member's decision once, and its recorded state
//! once, at the member's first event that is not a replay (a replay only needs the member to
//! be in the plan); it steps the member's events in the order they are added, with the state
//! kept in memory, and writes each moved member's state once, when the batch is finished, in
//! member id order and several rows per statement. The rows it leaves are those [`add`], called on each event in
//! turn, would have left: the same evidence rows (written as they are added, so ids and
//! replays are the same), and each member's state, `since`, `told_at` and `evidence` (the
//! last move) as its last move left them.
use std::fmt::Write as _;

use jiff::Timestamp;
use rusqlite::{params, CachedStatement, Connection, OptionalExtension};
use rustc_hash::FxHashMap;

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
pub struct Decisions(FxHashMap<i64, (String, String)>);

impl Decisions {
    /// The decision and channel of `decisions.id`, read once.
    fn get(&mut self, conn: &Connection, id: i64) -> rusqlite::Result<&(String, String)> {
        use std::collections::hash_map::Entry;
        Ok(match self.0.entry(id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(
                conn.prepare_cached("SELECT decision, channel FROM decisions WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?,
            ),
        })
    }
}

/// A member of the plan in force as recording sees it: its decision, where it is, and the
/// evidence of its last move when that move is not written yet.
#[derive(Debug, Clone)]
struct Member {
    /// `decisions.id`.
    decision: i64,
    kind: DecisionKind,
    /// Whether the state below was read: it is read at the member's first event that is not
    /// a replay (a replay needs the member's decision only).
    read: bool,
    /// The recorded state (the start state when none was reached under this decision and
    /// channel).
    state: State,
    /// When it was entered, if recorded (else: at the event that is stepped).
    since: Option<Timestamp>,
    told_at: Option<Timestamp>,
    /// The evidence row of a move not yet written to `member_states`.
    unsaved: Option<i64>,
}

/// The statements run for every event, taken from the cache once per batch: looking each up
/// again for every event (hashing its text, clearing its bindings when it goes back) cost
/// about a tenth of `record`.
struct Statements<'c> {
    member: CachedStatement<'c>,
    state: CachedStatement<'c>,
    insert: CachedStatement<'c>,
    /// The event's time as text, written again for each event.
    at: String,
}

impl<'c> Statements<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Statements<'c>> {
        Ok(Statements {
            member: conn.prepare_cached("SELECT decision FROM members WHERE member_id = ?1")?,
            state: conn.prepare_cached(
                "SELECT decision, channel, state, since, told_at FROM member_states
                 WHERE member_id = ?1",
            )?,
            insert: conn.prepare_cached(
                "INSERT INTO evidence (member_id, event, at, source, detail, recorded_at,
                     dedupe_key, source_file, source_line, raw_sha256, message_id, notice,
                     changes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING",
            )?,
            at: String::with_capacity(32),
        })
    }
}

/// The member's decision (its state is read by [`read_state`]), or `None` when it is not in
/// the plan in force.
fn load(
    conn: &Connection,
    statements: &mut Statements<'_>,
    member_id: &str,
    decisions: &mut Decisions,
) -> rusqlite::Result<Option<Member>> {
    // Single-table lookups, not one query on the `member_decisions` view: SQLite re-prepares
    // a join after every write in the transaction (measured: about 20 us per event, ten times
    // the rest of `record`), while single-table statements stay prepared.
    let decision_id: Option<i64> = statements
        .member
        .query_row([member_id], |r| r.get(0))
        .optional()?;
    let Some(decision_id) = decision_id else {
        return Ok(None);
    };
    let (decision, _) = decisions.get(conn, decision_id)?;
    let kind = DecisionKind::parse(decision).unwrap_or(DecisionKind::Exclude);
    Ok(Some(Member {
        decision: decision_id,
        kind,
        read: false,
        state: kind.initial_state(),
        since: None,
        told_at: None,
        unsaved: None,
    }))
}

/// Reads the member's recorded state into `member`. The rule is the view's: a recorded state
/// holds while the member's decision and channel are those it was reached under; otherwise
/// the member is where a plan starts it.
fn read_state(
    conn: &Connection,
    statements: &mut Statements<'_>,
    member_id: &str,
    decisions: &mut Decisions,
    member: &mut Member,
) -> rusqlite::Result<()> {
    let (decision, channel) = decisions.get(conn, member.decision)?;
    let recorded = statements
        .state
        .query_row([member_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    let parse = |t: Option<String>| t.and_then(|t| t.parse::<Timestamp>().ok());
    if let Some((d, c, state, since, told_at)) = recorded {
        if d == *decision && c == *channel {
            member.state = State::parse(&state).unwrap_or(State::Pending);
            member.since = parse(Some(since));
            member.told_at = parse(told_at);
        }
    }
    member.read = true;
    Ok(())
}

/// Records `e` for `member` (read by [`load`]) and steps it; the member's new state is kept in
/// `member` (marked unsaved) for [`save`].
fn apply(
    conn: &Connection,
    statements: &mut Statements<'_>,
    decisions: &mut Decisions,
    e: &NewEvidence<'_>,
    recorded_at: &str,
    member: &mut Member,
) -> rusqlite::Result<Applied> {
    let Statements { insert, at, .. } = &mut *statements;
    at.clear();
    // Writing to a String cannot fail.
    let _ = write!(at, "{}", e.at);
    let inserted = insert.execute(params![
        e.member_id,
        e.event.as_str(),
        at.as_str(),
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
    if !member.read {
        read_state(conn, statements, e.member_id, decisions, member)?;
    }
    let from = member.state;
    let track = Track {
        state: from,
        since: member.since.unwrap_or(e.at),
        told_at: member.told_at,
    };
    // A `consented`/`declined` that answers opt-ins only does not touch the move.
    if matches!(e.event, Event::Consented | Event::Declined) && !e.changes.is_empty() {
        return Ok(Applied::Recorded { id, from, to: from });
    }
    let next = match step(member.kind, track, e.event, e.at) {
        Ok(next) => next,
        Err(refused) => return Ok(Applied::Refused { id, refused }),
    };
    if next != track {
        member.state = next.state;
        member.since = Some(next.since);
        member.told_at = next.told_at;
        member.unsaved = Some(id);
    }
    Ok(Applied::Recorded {
        id,
        from,
        to: next.state,
    })
}

/// Writes the unsaved states of `members` to `member_states`, several rows per statement
/// (SQLite builds the `state IN (...)` check's lookup table once per statement it runs).
fn save(
    conn: &Connection,
    members: &[(&str, &Member)],
    decisions: &mut Decisions,
) -> rusqlite::Result<()> {
    let mut rest = members;
    for rows in [256, 64, 16, 4, 1] {
        while rest.len() >= rows {
            let (chunk, tail) = rest.split_at(rows);
            rest = tail;
            let mut stmt = conn.prepare_cached(&save_sql(rows))?;
            let mut at = 1;
            for &(member_id, m) in chunk {
                let (decision, channel) = decisions.get(conn, m.decision)?;
                stmt.raw_bind_parameter(at, member_id)?;
                stmt.raw_bind_parameter(at + 1, decision.as_str())?;
                stmt.raw_bind_parameter(at + 2, channel.as_str())?;
                stmt.raw_bind_parameter(at + 3, m.state.as_str())?;
                stmt.raw_bind_parameter(at + 4, m.since.map(|t| t.to_string()))?;
                stmt.raw_bind_parameter(at + 5, m.told_at.map(|t| t.to_string()))?;
                stmt.raw_bind_parameter(at + 6, m.unsaved)?;
                at += 7;
            }
            stmt.raw_execute()?;
        }
    }
    Ok(())
}

/// The upsert of `rows` member states.
fn save_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO member_states (member_id, decision, channel, state, since, told_at,
             evidence)
         VALUES ",
    );
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str("(?, ?, ?, ?, ?, ?, ?)");
    }
    sql.push_str(
        " ON CONFLICT (member_id) DO UPDATE SET decision = excluded.decision,
             channel = excluded.channel, state = excluded.state, since = excluded.since,
             told_at = excluded.told_at, evidence = excluded.evidence",
    );
    sql
}

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
    let mut statements = Statements::new(conn)?;
    let Some(mut member) = load(conn, &mut statements, e.member_id, decisions)? else {
        return Ok(Applied::UnknownMember);
    };
    let applied = apply(
        conn,
        &mut statements,
        decisions,
        e,
        recorded_at,
        &mut member,
    )?;
    if member.unsaved.is_some() {
        save(conn, &[(e.member_id, &member)], decisions)?;
    }
    Ok(applied)
}

/// Many events recorded in one write transaction (see the module doc): [`Batch::add`] each,
/// in order, then [`Batch::finish`] before the transaction commits (a batch dropped
/// unfinished leaves the moves of its members unwritten: roll the transaction back then).
pub struct Batch<'c> {
    conn: &'c Connection,
    statements: Statements<'c>,
    recorded_at: &'c str,
    decisions: Decisions,
    /// The members seen so far (`None`: not in the plan in force).
    members: FxHashMap<String, Option<Member>>,
}

impl<'c> Batch<'c> {
    /// A batch in the caller's write transaction on `conn`, recorded at `recorded_at`.
    pub fn new(conn: &'c Connection, recorded_at: &'c str) -> rusqlite::Result<Batch<'c>> {
        Ok(Batch {
            conn,
            statements: Statements::new(conn)?,
            recorded_at,
            decisions: Decisions::default(),
            members: FxHashMap::default(),
        })
    }

    /// Records `e` as [`add`] would, after the events added before it.
    pub fn add(&mut self, e: &NewEvidence<'_>) -> rusqlite::Result<Applied> {
        let member = match self.members.get_mut(e.member_id) {
            Some(known) => known,
            None => {
                let loaded = load(
                    self.conn,
                    &mut self.statements,
                    e.member_id,
                    &mut self.decisions,
                )?;
                self.members
                    .entry(e.member_id.to_string())
                    .or_insert(loaded)
            }
        };
        let Some(member) = member else {
            return Ok(Applied::UnknownMember);
        };
        apply(
            self.conn,
            &mut self.statements,
            &mut self.decisions,
            e,
            self.recorded_at,
            member,
        )
    }

    /// Writes the members' moves, in member id order.
    pub fn finish(mut self) -> rusqlite::Result<()> {
        let mut moved: Vec<(&str, &Member)> = self
            .members
            .iter()
            .filter_map(|(id, m)| m.as_ref().map(|m| (id.as_str(), m)))
            .filter(|(_, m)| m.unsaved.is_some())
            .collect();
        moved.sort_unstable_by(|a, b| a.0.cmp(b.0));
        save(self.conn, &moved, &mut self.decisions)
    }
}
