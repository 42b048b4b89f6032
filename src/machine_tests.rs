//! Every transition of the state machine, legal and refused, and what time does.
use super::*;
use crate::model::{DecisionKind as D, State as S};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const T0: &str = "2026-12-01T00:00:00Z";
const T1: &str = "2026-12-02T00:00:00Z";

fn track(state: S, told: bool) -> Track {
    Track {
        state,
        since: t(T0),
        told_at: told.then(|| t(T0)),
    }
}

/// The state after `event`, or "refused".
fn after(decision: D, state: S, event: Event) -> String {
    match step(decision, track(state, state != S::Pending), event, t(T1)) {
        Ok(next) => next.state.as_str().to_string(),
        Err(_) => "refused".to_string(),
    }
}

/// The whole table for one decision: one line per state, one column per event.
fn table(decision: D) -> String {
    let mut out = String::new();
    for state in S::ALL {
        out.push_str(&format!("{:<12}", state.as_str()));
        for event in Event::ALL {
            out.push_str(&format!(
                " {}={}",
                event.as_str(),
                after(decision, state, event)
            ));
        }
        out.push('\n');
    }
    out
}

#[test]
fn notify_transitions() {
    insta::assert_snapshot!(table(D::Notify));
}

#[test]
fn consent_transitions() {
    insta::assert_snapshot!(table(D::Consent));
}

#[test]
fn transfer_and_exclude_transitions() {
    insta::assert_snapshot!(format!("{}\n{}", table(D::Transfer), table(D::Exclude)));
}

#[test]
fn the_named_paths_of_the_design() {
    // notify: pending -> sent -> delivered; bounced -> site-notice; uncertain stays.
    assert_eq!(after(D::Notify, S::Pending, Event::Sent), "sent");
    assert_eq!(after(D::Notify, S::Sent, Event::Delivered), "delivered");
    assert_eq!(after(D::Notify, S::Sent, Event::Bounced), "bounced");
    assert_eq!(
        after(D::Notify, S::Bounced, Event::SiteNotice),
        "site-notice"
    );
    assert_eq!(after(D::Notify, S::Pending, Event::Uncertain), "uncertain");
    assert_eq!(after(D::Notify, S::Uncertain, Event::Sent), "refused");
    assert_eq!(after(D::Notify, S::Uncertain, Event::ResolvedSent), "sent");
    assert_eq!(
        after(D::Notify, S::Uncertain, Event::ResolvedUnsent),
        "pending"
    );
    // consent: a yes, a no; a bounce does not fall back to the site notice.
    assert_eq!(after(D::Consent, S::Sent, Event::Consented), "consented");
    assert_eq!(after(D::Consent, S::Delivered, Event::Declined), "excluded");
    assert_eq!(after(D::Consent, S::Bounced, Event::SiteNotice), "bounced");
    // any: objection, deletion, unsubscribe.
    for decision in [D::Notify, D::Consent, D::Transfer] {
        for event in [Event::Objected, Event::Deleted, Event::Unsubscribed] {
            assert_eq!(after(decision, S::Ready, event), "excluded", "{decision:?}");
        }
    }
    // Out is out.
    assert_eq!(after(D::Notify, S::Excluded, Event::Consented), "excluded");
    // Refused: a delivery report for a notice never sent.
    assert_eq!(after(D::Notify, S::Pending, Event::Delivered), "refused");
}

#[test]
fn refusals_name_the_state_and_event() {
    let err = step(D::Notify, track(S::Pending, false), Event::Delivered, t(T1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a `delivered` event cannot apply to a member who is `pending` (notify)"
    );
}

#[test]
fn the_window_runs_from_when_the_member_was_told() {
    let window = Window {
        notice_days: 30,
        consent_days: 30,
    };
    let sent = step(D::Notify, track(S::Pending, false), Event::Sent, t(T1)).unwrap();
    assert_eq!(sent.told_at, Some(t(T1)));
    let delivered = step(D::Notify, sent, Event::Delivered, t("2026-12-03T00:00:00Z")).unwrap();
    // told_at stays at the send, not the delivery report.
    assert_eq!(delivered.told_at, Some(t(T1)));
    let day29 = t("2026-12-31T00:00:00Z");
    let day30 = t("2027-01-01T00:00:00Z");
    assert_eq!(settle(D::Notify, delivered, day29, window), S::Delivered);
    assert_eq!(settle(D::Notify, delivered, day30, window), S::Ready);
    // A send with no outcome never becomes ready by itself.
    assert_eq!(settle(D::Notify, sent, day30, window), S::Sent);
    // Consent: no yes by the deadline excludes; a yes becomes ready when the window ends.
    let asked = step(D::Consent, track(S::Pending, false), Event::Sent, t(T1)).unwrap();
    assert_eq!(settle(D::Consent, asked, day29, window), S::Sent);
    assert_eq!(settle(D::Consent, asked, day30, window), S::Excluded);
    let yes = step(
        D::Consent,
        asked,
        Event::Consented,
        t("2026-12-05T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(settle(D::Consent, yes, day29, window), S::Consented);
    assert_eq!(settle(D::Consent, yes, day30, window), S::Ready);
    // Pending members wait, whatever the time.
    let pending = Track::start(D::Notify, t(T0));
    assert_eq!(settle(D::Notify, pending, day30, window), S::Pending);
}

#[test]
fn wire_names_round_trip() {
    for e in Event::ALL {
        assert_eq!(Event::parse(e.as_str()), Some(e));
    }
    for s in S::ALL {
        assert_eq!(S::parse(s.as_str()), Some(s));
    }
}

#[test]
fn a_bounce_restarts_the_window_at_the_site_notice() {
    let sent = step(D::Notify, track(S::Pending, false), Event::Sent, t(T0)).unwrap();
    let bounced = step(D::Notify, sent, Event::Bounced, t(T1)).unwrap();
    assert_eq!(bounced.told_at, None, "a bounced notice told no one");
    let posted = t("2026-12-05T00:00:00Z");
    let noticed = step(D::Notify, bounced, Event::SiteNotice, posted).unwrap();
    assert_eq!(noticed.told_at, Some(posted));
}
