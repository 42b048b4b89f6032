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
//! - States are the recorded ones settled at the time asked ([`crate::machine::settle`]): a
//!   delivered notice is `ready` once the notice window has run from when it was sent.
//! - `blockers` are the members neither `ready` nor `excluded`, in member id order, at most as
//!   many as asked for (the text report says how many there are in all).
//! - `earliest_export`: the notice period runs from when each member was told (the notice
//!   sent, or the site notice posted), so it is the end of the window of the last member told,
//!   and `null` while any member still waits to be told; when nobody needs telling it is the
//!   plan's date.
//! - `ready`: a plan with at least one member exists, the pinned policies, case file, packs
//!   and members file are unchanged, there are no blockers, and the earliest export date has
//!   passed.
//! - `flagged` (only with `status --flagged`): every row a person should look at, as
//!   `{"member_id", "row", "review"}` in row order; the review codes are those of the ledger's
//!   `reviews` table ([`crate::ledger`]).
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use crate::case::{Case, Source};
use crate::error::Result;
use crate::ledger::{Flagged, Ledger, Pin};
use crate::machine::{settle, window_end, Window};
use crate::model::{DecisionKind, State};

/// The nine states of DESIGN.md section 6, in wire order.
pub const STATES: [State; 9] = State::ALL;

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
    /// The flagged rows, when asked for (`status --flagged`).
    pub flagged: Vec<Flagged>,
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

/// Reads the case's state at `now`; lists at most `limit` blockers (`None`: all), and the
/// flagged rows when `flagged` is set.
pub fn status(case: &Case, now: Timestamp, limit: Option<usize>, flagged: bool) -> Result<Status> {
    let period = case.rules.notice_period_days();
    let now_s = now.round(jiff::Unit::Second).unwrap_or(now);
    let if_sent_now = window_end(now_s, period).unwrap_or(now_s);
    let mut st = Status {
        case: case.name.clone(),
        pin: None,
        members: 0,
        decisions: Decisions::default(),
        states: [0; 9],
        review: 0,
        flagged: Vec::new(),
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
    let Some(pin) = ledger.pin()? else {
        return Ok(st);
    };
    let [exclude, transfer, notify, consent] = ledger.decision_counts()?;
    st.decisions = Decisions {
        exclude,
        transfer,
        notify,
        consent,
    };
    let window = Window {
        notice_days: pin.notice_period_days,
        consent_days: pin.notice_period_days,
    };
    let planned_at: Timestamp = pin.planned_at.parse().unwrap_or(now);
    // The export may go once every member to be told has been told and the window has run
    // from the last of them; unknown while anyone is still to be told.
    let mut latest_told: Option<Timestamp> = None;
    let mut untold = false;
    ledger.each_member(planned_at, |m| {
        st.members += 1;
        let state = settle(m.decision, m.track, now, window);
        st.states[State::ALL.iter().position(|s| *s == state).unwrap_or(0)] += 1;
        let waits = matches!(m.decision, DecisionKind::Notify | DecisionKind::Consent)
            && state != State::Excluded;
        if waits {
            match m.track.told_at {
                Some(t) => latest_told = latest_told.max(Some(t)),
                None => untold = true,
            }
        }
        if !state.is_resolved() {
            st.blockers_total += 1;
            if limit.is_none_or(|n| st.blockers.len() < n) {
                st.blockers.push(Blocker {
                    member_id: m.member_id,
                    state: state.as_str().to_string(),
                });
            }
        }
        Ok(())
    })?;
    let (review, rows) = ledger.flagged(if flagged { None } else { Some(0) })?;
    st.review = review;
    st.flagged = rows;
    st.earliest_export = if untold {
        None
    } else {
        match latest_told {
            Some(t) => window_end(t, period),
            None => Some(planned_at),
        }
    };
    st.pins = check_pins(case, &pin);
    st.ready = st.members > 0
        && st.pins.iter().all(|p| p.same)
        && st.blockers_total == 0
        && st.earliest_export.is_some_and(|t| t <= now);
    st.pin = Some(pin);
    Ok(st)
}

pub(crate) fn check_pins(case: &Case, pin: &Pin) -> Vec<PinCheck> {
    // Streamed: a members file can be gigabytes.
    let hash = |p: &Path| {
        let mut file = std::fs::File::open(p).ok()?;
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        std::io::copy(&mut file, &mut hasher).ok()?;
        Some(crate::policy::hex(&sha2::Digest::finalize(hasher)))
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
        PinCheck {
            what: format!("members file ({})", case.members.display),
            same: match &case.members.source {
                // Standard input cannot be read twice: it was checked when it was planned.
                Source::Stdin => true,
                Source::File(path) => hash(path).as_deref() == Some(pin.members_sha256.as_str()),
            },
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
    #[serde(skip_serializing_if = "Option::is_none")]
    flagged: Option<&'a [Flagged]>,
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
            flagged: (self.review == 0 || !self.flagged.is_empty()).then_some(&self.flagged[..]),
        }
    }
}
