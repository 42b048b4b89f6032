//! Unit tests of the evidence parsers: hard and soft bounces per provider, replay keys, and
//! format detection.
use super::*;

fn ctx() -> Context {
    Context {
        key: crate::ledger::HashKey::for_tests(),
        now: "2026-12-03T00:00:00Z".parse().unwrap(),
        hash: true,
    }
}

fn parse(format: Format, json: &str) -> Vec<Item> {
    let raw = Raw {
        bytes: json.as_bytes(),
        line: 7,
    };
    let mut out = Vec::new();
    let result = match format {
        Format::Ses => ses::parse(raw, &ctx(), &mut out),
        Format::Sendgrid => sendgrid::parse(raw, &ctx(), &mut out),
        Format::Postmark => postmark::parse(raw, &ctx(), &mut out),
        _ => mailgun::parse(raw, &ctx(), &mut out),
    };
    result.unwrap_or_else(|b| panic!("{}: {}", b.line, b.message));
    out
}

fn events(items: &[Item]) -> Vec<(&'static str, &str)> {
    items
        .iter()
        .map(|i| match i {
            Item::Record(r) => (r.event.as_str(), r.detail.as_str()),
            Item::Ignored(name, _) => ("ignored", name.as_str()),
        })
        .collect()
}

#[test]
fn ses_bounce_types() {
    let bounce = |t: &str| {
        format!(
            r#"{{"eventType":"Bounce","mail":{{"timestamp":"2026-12-01T00:00:00Z","messageId":"m"}},
            "bounce":{{"bounceType":"{t}","bouncedRecipients":[{{"emailAddress":"a@example.test","status":"5.1.1"}}],
            "timestamp":"2026-12-01T00:00:01Z","feedbackId":"fb"}}}}"#
        )
    };
    assert_eq!(
        events(&parse(Format::Ses, &bounce("Permanent"))),
        [("bounced", "Permanent 5.1.1")]
    );
    assert_eq!(
        events(&parse(Format::Ses, &bounce("Transient"))),
        [("deferred", "Transient 5.1.1")]
    );
    assert_eq!(
        events(&parse(Format::Ses, &bounce("Undetermined"))),
        [("deferred", "Undetermined 5.1.1")]
    );
}

#[test]
fn replay_keys_name_no_address() {
    let items = parse(
        Format::Ses,
        r#"{"eventType":"Delivery","mail":{"timestamp":"2026-12-01T00:00:00Z","messageId":"m-1"},
           "delivery":{"timestamp":"2026-12-01T00:00:01Z","recipients":["Ana@Example.test"]}}"#,
    );
    let Item::Record(r) = &items[0] else {
        panic!("not a record")
    };
    assert!(r.dedupe.starts_with("ses:delivery:m-1:"), "{}", r.dedupe);
    assert!(!r.dedupe.contains('@'));
    assert_eq!(r.line, 7);
}

#[test]
fn sendgrid_mapping() {
    let ev = |extra: &str| {
        format!(r#"{{"email":"a@example.test","timestamp":1796119202,"sg_event_id":"e1",{extra}}}"#)
    };
    assert_eq!(
        events(&parse(
            Format::Sendgrid,
            &ev(r#""event":"bounce","type":"bounce","status":"5.0.0""#)
        )),
        [("bounced", "bounce 5.0.0")]
    );
    assert_eq!(
        events(&parse(
            Format::Sendgrid,
            &ev(r#""event":"bounce","type":"blocked""#)
        )),
        [("deferred", "blocked")]
    );
    assert_eq!(
        events(&parse(Format::Sendgrid, &ev(r#""event":"click""#))),
        [("ignored", "sendgrid click")]
    );
}

#[test]
fn postmark_bounce_classes() {
    let ev = |t: &str| {
        format!(
            r#"{{"RecordType":"Bounce","ID":1,"Type":"{t}","TypeCode":1,"MessageID":"x",
               "Email":"a@example.test","BouncedAt":"2026-12-01T00:00:00-05:00"}}"#
        )
    };
    assert_eq!(
        events(&parse(Format::Postmark, &ev("HardBounce")))[0].0,
        "bounced"
    );
    assert_eq!(
        events(&parse(Format::Postmark, &ev("BadEmailAddress")))[0].0,
        "bounced"
    );
    assert_eq!(
        events(&parse(Format::Postmark, &ev("DnsError")))[0].0,
        "deferred"
    );
    assert_eq!(
        events(&parse(Format::Postmark, &ev("SpamComplaint")))[0].0,
        "complained"
    );
    assert_eq!(
        events(&parse(Format::Postmark, &ev("AutoResponder")))[0].0,
        "ignored"
    );
    let Item::Record(r) = &parse(Format::Postmark, &ev("HardBounce"))[0] else {
        panic!()
    };
    assert_eq!(r.at.to_string(), "2026-12-01T05:00:00Z");
}

#[test]
fn mailgun_severity() {
    let ev = |sev: &str| {
        format!(
            r#"{{"event-data":{{"id":"i","event":"failed","severity":"{sev}","timestamp":1796119202.5,
               "recipient":"a@example.test","delivery-status":{{"code":"550"}}}}}}"#
        )
    };
    assert_eq!(
        events(&parse(Format::Mailgun, &ev("permanent"))),
        [("bounced", "permanent 550")]
    );
    assert_eq!(
        events(&parse(Format::Mailgun, &ev("temporary"))),
        [("deferred", "temporary 550")]
    );
}

#[test]
fn codes_never_keep_free_text() {
    assert_eq!(code("5.1.1"), Some("5.1.1"));
    assert_eq!(code("550 user <a@example.test> unknown"), None);
    assert_eq!(
        message_id(" <abc@x.example> "),
        Some("abc@x.example".into())
    );
    assert_eq!(message_id("<>"), None);
}
