//! The member state machine of DESIGN.md section 6, as pure functions.
//!
//! ```text
//! notify:  pending -> sent -> delivered ------------------\
//!                         \-> bounced -> site-notice ------+--> window elapsed --> ready
//!                         \-> uncertain (operator must reconcile; never auto-resent)
//! consent: pending -> sent -> consented --> ready          (no answer by deadline -> excluded)
//! any:     objection / deletion / unsubscribe-from-transfer --> excluded
//! ```
//!
//! Two functions, both without I/O, are the only place these rules live; `status`, `record`,
//! `notify` and `export` call them:
//!
//! - [`step`]: what one piece of evidence does to a member, `(decision, track, event, at) ->
//!   track`. An event that changes nothing (a second delivery report) returns the same
//!   track; an event that cannot happen in that state (a delivery report for a notice that
//!   was never sent) is [`Refused`], and the caller reports it instead of recording a state.
//! - [`settle`]: what the passage of time does, `(decision, track, now, window) -> state`.
//!   The notice window runs from when the member was told (the notice sent, or the site
//!   notice posted): `delivered`, `site-notice` and `consented` become `ready` when it has
//!   elapsed. A member whose move needs a yes (`consent`) and who has not said yes by the
//!   consent deadline (the same period, from when the request went out) is `excluded`.
//!
//! Decisions made here:
//! - A notice that was sent but never reported delivered nor bounced stays `sent`: the
//!   promise is to notify, and a send with no outcome is not proof of it.
//! - A hard bounce falls back to the site notice for `notify`. For `consent` it does not: a
//!   site notice cannot collect a yes from a member who never saw the request, so the member
//!   stays `bounced` and is excluded at the deadline.
//! - `unsubscribed` (from the transfer notices, e.g. via `List-Unsubscribe`) excludes, as
//!   DESIGN.md says; `complained` and `deferred` are recorded but move no one.
//! - For a `notify` member, `consented` and `declined` answer the opt-ins (new uses), not the
//!   move: the state does not change. `transfer` members start `ready` and only objections,
//!   deletions and unsubscribes move them (to `excluded`).
use jiff::{Timestamp, ToSpan};

use crate::model::{DecisionKind, State};

/// Something that happened to a member's notice, or an answer the member gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The notice was handed to the mail server (or written to the outbox and handed off).
    Sent,
    /// The provider reports delivery.
    Delivered,
    /// A hard bounce, or a permanent (5xx) refusal by the server.
    Bounced,
    /// A temporary delivery delay.
    Deferred,
    /// The member marked the notice as spam.
    Complained,
    /// The member unsubscribed from the transfer notices.
    Unsubscribed,
    /// The member objected to the transfer.
    Objected,
    /// The member's data were deleted (on request or by closure).
    Deleted,
    /// The member said yes.
    Consented,
    /// The member said no.
    Declined,
    /// The prominent site notice was posted (the member's channel, or the bounce fallback).
    SiteNotice,
    /// Sending started but its outcome is unknown (a crash or timeout mid-send).
    Uncertain,
    /// An operator found that an uncertain notice did go out.
    ResolvedSent,
    /// An operator found that an uncertain notice did not go out.
    ResolvedUnsent,
}

impl Event {
    /// Every event.
    pub const ALL: [Event; 14] = [
        Event::Sent,
        Event::Delivered,
        Event::Bounced,
        Event::Deferred,
        Event::Complained,
        Event::Unsubscribed,
        Event::Objected,
        Event::Deleted,
        Event::Consented,
        Event::Declined,
        Event::SiteNotice,
        Event::Uncertain,
        Event::ResolvedSent,
        Event::ResolvedUnsent,
    ];

    /// The wire name, as stored in the ledger's `evidence.event` and the generic CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Sent => "sent",
            Event::Delivered => "delivered",
            Event::Bounced => "bounced",
            Event::Deferred => "deferred",
            Event::Complained => "complained",
            Event::Unsubscribed => "unsubscribed",
            Event::Objected => "objected",
            Event::Deleted => "deleted",
            Event::Consented => "consented",
            Event::Declined => "declined",
            Event::SiteNotice => "site-notice",
            Event::Uncertain => "uncertain",
            Event::ResolvedSent => "resolved-sent",
            Event::ResolvedUnsent => "resolved-unsent",
        }
    }

    /// The event of this wire name.
    pub fn parse(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A member's state, when it was entered, and when the member was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Track {
    /// The state.
    pub state: State,
    /// When the state was entered.
    pub since: Timestamp,
    /// When the notice or consent request reached the member's channel (sent, or the site
    /// notice posted); the window and the consent deadline run from here.
    pub told_at: Option<Timestamp>,
}

impl Track {
    /// Where a plan starts a member.
    pub fn start(decision: DecisionKind, planned_at: Timestamp) -> Track {
        Track {
            state: decision.initial_state(),
            since: planned_at,
            told_at: None,
        }
    }
}

/// How long members have once told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The notice period, in days (the longest of the case's packs).
    pub notice_days: u32,
    /// Days a member whose move needs a yes has to answer.
    pub consent_days: u32,
}

/// An event that cannot happen in the member's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a `{event}` event cannot apply to a member who is `{state}` ({decision})")]
pub struct Refused {
    /// The member's decision.
    pub decision: &'static str,
    /// The member's state.
    pub state: &'static str,
    /// The event.
    pub event: &'static str,
}

/// What `event` at `at` does to a member (see the module doc).
pub fn step(
    decision: DecisionKind,
    track: Track,
    event: Event,
    at: Timestamp,
) -> Result<Track, Refused> {
    use Event as E;
    use State as S;
    let refuse = || Refused {
        decision: decision.as_str(),
        state: track.state.as_str(),
        event: event.as_str(),
    };
    let consent = decision == DecisionKind::Consent;
    let told = |state: State| Track {
        state,
        since: at,
        told_at: Some(track.told_at.map_or(at, |t| t.min(at))),
    };
    let to = |state: State| Track {
        state,
        since: at,
        told_at: track.told_at,
    };
    let same = Ok(track);
    match (track.state, event) {
        // Out is out: later evidence is kept in the ledger but moves no one back.
        (S::Excluded, _) => same,
        (_, E::Objected | E::Deleted | E::Unsubscribed) => Ok(to(S::Excluded)),
        (_, E::Complained | E::Deferred) => same,
        (S::Ready, _) if decision == DecisionKind::Transfer => same,
        _ if decision == DecisionKind::Exclude || decision == DecisionKind::Transfer => {
            Err(refuse())
        }

        (S::Pending, E::Sent) => Ok(told(S::Sent)),
        (S::Pending, E::Uncertain) => Ok(to(S::Uncertain)),
        (S::Uncertain, E::ResolvedSent) => Ok(told(S::Sent)),
        (S::Uncertain, E::ResolvedUnsent) => Ok(to(S::Pending)),
        // A delivery or bounce report proves the send happened.
        (S::Sent | S::Uncertain, E::Delivered) => Ok(told(S::Delivered)),
        (S::Delivered, E::Delivered) => same,
        // A bounced notice told no one: for `notify` the window waits for the site notice (the
        // consent deadline still runs from the request).
        (S::Pending | S::Sent | S::Uncertain | S::Delivered, E::Bounced) => Ok(Track {
            state: S::Bounced,
            since: at,
            told_at: if consent { track.told_at } else { None },
        }),
        (S::Bounced, E::Bounced) => same,
        // The site notice tells members without an address, and those whose notice bounced:
        // their window runs from the posting.
        (S::Pending | S::Bounced, E::SiteNotice) if !consent => Ok(Track {
            state: S::SiteNotice,
            since: at,
            told_at: Some(at),
        }),
        (S::Pending, E::SiteNotice) => Ok(told(S::SiteNotice)),
        (S::SiteNotice, E::SiteNotice) => same,
        (_, E::SiteNotice) => same,

        (S::Consented | S::Ready, E::Consented) => same,
        (_, E::Consented) if consent => Ok(to(S::Consented)),
        (_, E::Declined) if consent => Ok(to(S::Excluded)),
        // For notify members a yes or no answers the opt-ins, not the move.
        (_, E::Consented | E::Declined) => same,

        // Late reports after the member was answered or told another way change nothing.
        (S::Consented | S::Ready, _) => same,
        (S::SiteNotice, E::Delivered | E::Bounced | E::Sent) => same,
        _ => Err(refuse()),
    }
}

/// The state at `now`, once time has done its part (see the module doc).
pub fn settle(decision: DecisionKind, track: Track, now: Timestamp, window: Window) -> State {
    let elapsed = |days: u32| {
        track
            .told_at
            .and_then(|t| t.checked_add((i64::from(days) * 24).hours()).ok())
            .is_some_and(|end| end <= now)
    };
    match (decision, track.state) {
        (_, State::Excluded | State::Ready) => track.state,
        (DecisionKind::Consent, State::Consented) => {
            if track.told_at.is_none() || elapsed(window.notice_days) {
                State::Ready
            } else {
                State::Consented
            }
        }
        (DecisionKind::Consent, _) if elapsed(window.consent_days) => State::Excluded,
        (DecisionKind::Notify, State::Delivered | State::SiteNotice)
            if elapsed(window.notice_days) =>
        {
            State::Ready
        }
        (_, s) => s,
    }
}

/// When a member told at `told_at` may be exported at the earliest.
pub fn window_end(told_at: Timestamp, days: u32) -> Option<Timestamp> {
    told_at.checked_add((i64::from(days) * 24).hours()).ok()
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
