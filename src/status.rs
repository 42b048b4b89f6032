//! The state of a case, from its ledger: `handover status` and the `handover.status/v1` JSON.
//!
//! ```json
//! {"schema": "handover.status/v1", "members": 1200, "ready": false,
//!  "decisions": {"exclude": 40, "transfer": 0, "notify": 1150, "consent": 10},
//!  "states": {"pending": 0, "sent": 12, "delivered": 1100, "bounced": 3, "site-notice": 38,
//!             "uncertain": 0, "consented": 8, "excluded": 42, "ready": 0},
//!  "earliest_export": "2026-12-30T00:00:00Z", "blockers": [{"member_id": "...", "state": "sent"}]}
//! ```
//!
//! - `states` always has these nine keys; a member starts `pending` (notify, consent),
//!   `excluded` or `ready` (transfer); later stages move it on.
//! - `blockers` are the members neither `ready` nor `excluded`, in member id order, at most as
//!   many as asked for (the text report says how many there are in all).
//! - `earliest_export`: the notice period runs from when notices are sent (DESIGN.md, rule
//!   R-WINDOW), so it is `null` while any notice or consent request is due and none has been
//!   recorded as sent; when nobody needs telling it is the plan's date.
//! - `ready`: a plan exists, the pinned policies, case file and packs are unchanged, there
//!   are no blockers, and the earliest export date has passed.
use std::path::Path;

use jiff::{Timestamp, ToSpan};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::case::Case;
use crate::error::Result;
use crate::ledger::{Ledger, Pin};

/// The nine states of DESIGN.md section 6, in wire order.
pub const STATES: [&str; 9] = [
    "pending",
    "sent",
    "delivered",
    "bounced",
    "site-notice",
    "uncertain",
    "consented",
    "excluded",
    "ready",
];

/// A member that holds up the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// The member id.
    pub member_id: String,
    /// Its state.
    pub state: String,
}

/// Members per decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decisions {
    /// Excluded.
    pub exclude: u64,
    /// Transferred without notice.
    pub transfer: u64,
    /// Notified.
    pub notify: u64,
    /// Asked for consent.
    pub consent: u64,
}

/// A pinned file and whether it still matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinCheck {
    /// What it is (`current policy`).
    pub what: String,
    /// Whether its hash is the pinned one.
    pub same: bool,
}

/// The state of a case.
#[derive(Debug, Clone)]
pub struct Status {
    /// The case name.
    pub case: String,
    /// The pin in force, if planned.
    pub pin: Option<Pin>,
    /// Members in the plan.
    pub members: u64,
    /// Members per decision.
    pub decisions: Decisions,
    /// Members per state, in [`STATES`] order.
    pub states: [u64; 9],
    /// Rows flagged for review.
    pub review: u64,
    /// When the export may happen, if known.
    pub earliest_export: Option<Timestamp>,
    /// When it could happen if every notice went out now.
    pub if_sent_now: Timestamp,
    /// The first blockers.
    pub blockers: Vec<Blocker>,
    /// All blockers.
    pub blockers_total: u64,
    /// Pinned inputs and whether they still match.
    pub pins: Vec<PinCheck>,
    /// Whether the export could go ahead now.
    pub ready: bool,
}

/// Reads the case's state; lists at most `limit` blockers (`None`: all).
pub fn status(case: &Case, now: Timestamp, limit: Option<usize>) -> Result<Status> {
    let period = i64::from(case.rules.notice_period_days());
    let if_sent_now = now.checked_add((period * 24).hours()).unwrap_or(now);
    let mut st = Status {
        case: case.name.clone(),
        pin: None,
        members: 0,
        decisions: Decisions::default(),
        states: [0; 9],
        review: 0,
        earliest_export: None,
        if_sent_now,
        blockers: Vec::new(),
        blockers_total: 0,
        pins: Vec::new(),
        ready: false,
    };
    if !Path::new(&case.ledger).exists() {
        return Ok(st);
    }
    let ledger = Ledger::open(&case.ledger, &now.to_string())?;
    let err = ledger.err();
    let Some(pin) = ledger.pin()? else {
        return Ok(st);
    };
    let conn = ledger.conn();
    let mut by_decision = conn
        .prepare("SELECT d.decision, COUNT(*) FROM members m JOIN decisions d ON d.id = m.decision GROUP BY d.decision")
        .map_err(&err)?;
    let rows = by_decision
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
        .map_err(&err)?;
    for row in rows {
        let (d, n) = row.map_err(&err)?;
        match d.as_str() {
            "exclude" => st.decisions.exclude = n,
            "transfer" => st.decisions.transfer = n,
            "notify" => st.decisions.notify = n,
            _ => st.decisions.consent = n,
        }
        st.members += n;
    }
    let mut by_state = conn
        .prepare("SELECT state, COUNT(*) FROM members GROUP BY state")
        .map_err(&err)?;
    let rows = by_state
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
        .map_err(&err)?;
    for row in rows {
        let (s, n) = row.map_err(&err)?;
        if let Some(i) = STATES.iter().position(|x| *x == s) {
            st.states[i] = n;
        }
        if s != "ready" && s != "excluded" {
            st.blockers_total += n;
        }
    }
    st.review = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .map_err(&err)?;
    let sql = match limit {
        Some(n) => format!("SELECT member_id, state FROM members WHERE state NOT IN ('ready', 'excluded') ORDER BY member_id LIMIT {n}"),
        None => "SELECT member_id, state FROM members WHERE state NOT IN ('ready', 'excluded') ORDER BY member_id".to_string(),
    };
    let mut blockers = conn.prepare(&sql).map_err(&err)?;
    let rows = blockers
        .query_map([], |r| {
            Ok(Blocker {
                member_id: r.get(0)?,
                state: r.get(1)?,
            })
        })
        .map_err(&err)?;
    for row in rows {
        st.blockers.push(row.map_err(&err)?);
    }
    let planned: Option<Timestamp> = pin.planned_at.parse().ok();
    let needs_notice: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM members m JOIN decisions d ON d.id = m.decision
             WHERE d.decision IN ('notify', 'consent') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(&err)?;
    if needs_notice.is_none() {
        st.earliest_export = planned;
    }
    st.pins = check_pins(case, &pin);
    st.ready = st.pins.iter().all(|p| p.same)
        && st.blockers_total == 0
        && st.earliest_export.is_some_and(|t| t <= now);
    st.pin = Some(pin);
    Ok(st)
}

fn check_pins(case: &Case, pin: &Pin) -> Vec<PinCheck> {
    let hash = |p: &Path| {
        std::fs::read(p)
            .ok()
            .map(|b| crate::policy::hex(&<sha2::Sha256 as sha2::Digest>::digest(&b)))
    };
    let packs: Vec<(String, String)> = case
        .rules
        .packs()
        .iter()
        .map(|p| (p.id.clone(), p.sha256.clone()))
        .collect();
    vec![
        PinCheck {
            what: format!("current policy ({})", case.current.display()),
            same: hash(&case.current).as_deref() == Some(pin.current.1.as_str()),
        },
        PinCheck {
            what: format!("acquirer's policy ({})", case.acquirer.display()),
            same: hash(&case.acquirer).as_deref() == Some(pin.acquirer.1.as_str()),
        },
        PinCheck {
            what: format!("case file ({})", case.path.display()),
            same: case.sha256 == pin.case_sha256,
        },
        PinCheck {
            what: "rule packs".to_string(),
            same: packs == pin.packs,
        },
    ]
}

/// The `handover.status/v1` document.
#[derive(Debug, Serialize)]
pub struct StatusJson<'a> {
    schema: &'static str,
    members: u64,
    ready: bool,
    decisions: &'a Decisions,
    states: States,
    earliest_export: Option<String>,
    blockers: &'a [Blocker],
}

#[derive(Debug, Serialize)]
struct States {
    pending: u64,
    sent: u64,
    delivered: u64,
    bounced: u64,
    #[serde(rename = "site-notice")]
    site_notice: u64,
    uncertain: u64,
    consented: u64,
    excluded: u64,
    ready: u64,
}

impl Status {
    /// The wire document.
    pub fn json(&self) -> StatusJson<'_> {
        let s = self.states;
        StatusJson {
            schema: "handover.status/v1",
            members: self.members,
            ready: self.ready,
            decisions: &self.decisions,
            states: States {
                pending: s[0],
                sent: s[1],
                delivered: s[2],
                bounced: s[3],
                site_notice: s[4],
                uncertain: s[5],
                consented: s[6],
                excluded: s[7],
                ready: s[8],
            },
            earliest_export: self.earliest_export.map(|t| t.to_string()),
            blockers: &self.blockers,
        }
    }
}
