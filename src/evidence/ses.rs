//! Amazon SES event publishing and notifications (`--format ses`).
//!
//! Read as SES documents them ("Contents of event data that Amazon SES publishes to Amazon
//! SNS / Firehose"): a top-level object with `eventType` (event publishing) or
//! `notificationType` (identity notifications), a `mail` object (`messageId`, SES's own id;
//! `timestamp`; `destination`; the original headers in `commonHeaders.messageId` and
//! `headers`, since SES rewrites the Message-ID it sends with) and one object named after
//! the type. Wrapped by SNS, the event is the JSON string in `Message` of `{"Type":
//! "Notification", ...}` (the SNS `MessageId` is the notification's, not the mail's).
//!
//! | SES | evidence | per recipient in | replay key |
//! |---|---|---|---|
//! | `Delivery` | `delivered` at `delivery.timestamp` | `delivery.recipients` | `ses:delivery:<mail.messageId>:<recipient>` |
//! | `Bounce`, `bounceType` `Permanent` | `bounced` | `bounce.bouncedRecipients` | `ses:bounce:<feedbackId>:<recipient>` |
//! | `Bounce`, `Transient` or `Undetermined` | `deferred` | same | same |
//! | `DeliveryDelay` | `deferred` | `deliveryDelay.delayedRecipients` | `ses:deliverydelay:<mail.messageId>:<timestamp>:<recipient>` |
//! | `Complaint` | `complained` | `complaint.complainedRecipients` | `ses:complaint:<feedbackId>:<recipient>` |
//! | `Reject` (SES refused to send it) | `bounced` at `mail.timestamp` | `mail.destination` | `ses:reject:<mail.messageId>:<recipient>` |
//! | `Subscription` with `newTopicPreferences.unsubscribeAll` | `unsubscribed` | `mail.destination` | `ses:subscription:<mail.messageId>:<timestamp>:<recipient>` |
//! | `Send`, `Open`, `Click`, `Rendering Failure`, other | ignored (counted) | | |
//!
//! `<recipient>` is the keyed hash of the address (the ledger's key), so a replay key never
//! holds an address. Detail: the bounce type and sub-type and the recipient's status code
//! (`Permanent General 5.1.1`), the complaint feedback type, the delay type; never the
//! diagnostic text, which quotes addresses.
use serde::Deserialize;

use super::{code, json_bad, message_id, rfc3339, Bad, Context, Item, MemberRef, Raw, Record};
use crate::machine::Event;

#[derive(Deserialize)]
struct Top {
    #[serde(rename = "Type")]
    sns_type: Option<String>,
    #[serde(rename = "Message")]
    sns_message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SesEvent {
    event_type: Option<String>,
    notification_type: Option<String>,
    mail: Mail,
    bounce: Option<Bounce>,
    complaint: Option<Complaint>,
    delivery: Option<Delivery>,
    delivery_delay: Option<DeliveryDelay>,
    subscription: Option<Subscription>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Mail {
    timestamp: String,
    message_id: String,
    #[serde(default)]
    destination: Vec<String>,
    #[serde(default)]
    headers: Vec<Header>,
    common_headers: Option<CommonHeaders>,
}

#[derive(Deserialize)]
struct Header {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommonHeaders {
    message_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: String,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bounce {
    bounce_type: String,
    bounce_sub_type: Option<String>,
    bounced_recipients: Vec<Recipient>,
    timestamp: String,
    feedback_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Complaint {
    complained_recipients: Vec<Recipient>,
    timestamp: String,
    feedback_id: String,
    complaint_feedback_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Delivery {
    timestamp: String,
    recipients: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryDelay {
    timestamp: String,
    delay_type: Option<String>,
    delayed_recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    timestamp: String,
    new_topic_preferences: Option<TopicPreferences>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TopicPreferences {
    #[serde(default)]
    unsubscribe_all: bool,
}

/// Reads one SES record (raw or SNS-wrapped) into `out`.
pub(crate) fn parse(raw: Raw<'_>, ctx: &Context, out: &mut Vec<Item>) -> Result<(), Bad> {
    let event = match plain_event(raw.bytes) {
        Some(event) => event,
        None => match envelope(raw, out)? {
            Some(event) => event,
            None => return Ok(()),
        },
    };
    let bad = |message: String| Bad {
        line: raw.line,
        message,
    };
    let kind = event
        .event_type
        .as_deref()
        .or(event.notification_type.as_deref())
        .ok_or_else(|| bad("an SES event without `eventType` or `notificationType`".into()))?;
    let mail = &event.mail;
    let header_id = mail
        .common_headers
        .as_ref()
        .and_then(|h| h.message_id.as_deref())
        .or_else(|| {
            mail.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("message-id"))
                .map(|h| h.value.as_str())
        })
        .and_then(message_id);
    let sha = ctx.sha256(&raw);
    let time = |t: &str, field: &str| {
        rfc3339(t, field)
            .and_then(|at| ctx.not_future(at))
            .map_err(bad)
    };
    let mut push = |event: Event, at, address: &str, dedupe: String, detail: String| {
        out.push(Item::Record(Record {
            event,
            at,
            member: MemberRef {
                message_id: header_id.clone(),
                member_id: None,
                address: Some(address.to_string()),
            },
            dedupe,
            detail,
            changes: String::new(),
            line: raw.line,
            raw_sha256: sha.clone(),
        }));
    };
    let missing = |object: &str| {
        bad(format!(
            "an SES `{kind}` event without its `{object}` object"
        ))
    };
    match kind {
        "Delivery" => {
            let d = event.delivery.as_ref().ok_or_else(|| missing("delivery"))?;
            let at = time(&d.timestamp, "delivery.timestamp")?;
            for r in &d.recipients {
                let key = format!("ses:delivery:{}:{}", mail.message_id, ctx.recipient(r));
                push(Event::Delivered, at, r, key, String::new());
            }
        }
        "Bounce" => {
            let b = event.bounce.as_ref().ok_or_else(|| missing("bounce"))?;
            let at = time(&b.timestamp, "bounce.timestamp")?;
            let hard = b.bounce_type == "Permanent";
            for r in &b.bounced_recipients {
                let detail = join(&[
                    code(&b.bounce_type),
                    b.bounce_sub_type.as_deref().and_then(code),
                    r.status.as_deref().and_then(code),
                ]);
                let key = format!(
                    "ses:bounce:{}:{}",
                    b.feedback_id,
                    ctx.recipient(&r.email_address)
                );
                let event = if hard {
                    Event::Bounced
                } else {
                    Event::Deferred
                };
                push(event, at, &r.email_address, key, detail);
            }
        }
        "DeliveryDelay" => {
            let d = event
                .delivery_delay
                .as_ref()
                .ok_or_else(|| missing("deliveryDelay"))?;
            let at = time(&d.timestamp, "deliveryDelay.timestamp")?;
            for r in &d.delayed_recipients {
                let detail = join(&[
                    d.delay_type.as_deref().and_then(code),
                    r.status.as_deref().and_then(code),
                ]);
                let key = format!(
                    "ses:deliverydelay:{}:{}:{}",
                    mail.message_id,
                    d.timestamp,
                    ctx.recipient(&r.email_address)
                );
                push(Event::Deferred, at, &r.email_address, key, detail);
            }
        }
        "Complaint" => {
            let c = event
                .complaint
                .as_ref()
                .ok_or_else(|| missing("complaint"))?;
            let at = time(&c.timestamp, "complaint.timestamp")?;
            for r in &c.complained_recipients {
                let detail = join(&[c.complaint_feedback_type.as_deref().and_then(code)]);
                let key = format!(
                    "ses:complaint:{}:{}",
                    c.feedback_id,
                    ctx.recipient(&r.email_address)
                );
                push(Event::Complained, at, &r.email_address, key, detail);
            }
        }
        "Reject" => {
            let at = time(&mail.timestamp, "mail.timestamp")?;
            for r in &mail.destination {
                let key = format!("ses:reject:{}:{}", mail.message_id, ctx.recipient(r));
                push(Event::Bounced, at, r, key, "rejected".into());
            }
        }
        "Subscription" => {
            let s = event
                .subscription
                .as_ref()
                .ok_or_else(|| missing("subscription"))?;
            if !s
                .new_topic_preferences
                .as_ref()
                .is_some_and(|p| p.unsubscribe_all)
            {
                out.push(Item::Ignored("ses Subscription (topics)".into(), raw.line));
                return Ok(());
            }
            let at = time(&s.timestamp, "subscription.timestamp")?;
            for r in &mail.destination {
                let key = format!(
                    "ses:subscription:{}:{}:{}",
                    mail.message_id,
                    s.timestamp,
                    ctx.recipient(r)
                );
                push(Event::Unsubscribed, at, r, key, "unsubscribe-all".into());
            }
        }
        other => out.push(Item::Ignored(format!("ses {}", short(other)), raw.line)),
    }
    Ok(())
}

/// The event of a record that cannot be an SNS envelope, read in one pass: an object whose
/// bytes hold neither `"Type"` nor `"Message"` nor any escape (which could spell them), so
/// [`envelope`] would find no `Type` and read the same event. `None` when it may be one, or
/// when the event does not read (then [`envelope`] gives the error it always gave).
fn plain_event(bytes: &[u8]) -> Option<SesEvent> {
    let object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !object
        || memchr::memchr(b'\\', bytes).is_some()
        || memchr::memmem::find(bytes, b"\"Type\"").is_some()
        || memchr::memmem::find(bytes, b"\"Message\"").is_some()
    {
        return None;
    }
    serde_json::from_slice(bytes).ok()
}

/// Reads a record as an SNS envelope (`Type`, `Message`) or a raw event; `None` when it is an
/// SNS message that is not a notification (counted as ignored in `out`).
fn envelope(raw: Raw<'_>, out: &mut Vec<Item>) -> Result<Option<SesEvent>, Bad> {
    let top: Top = serde_json::from_slice(raw.bytes).map_err(|e| json_bad(&e, raw, "SES"))?;
    Ok(Some(match top.sns_type.as_deref() {
        Some("Notification") => {
            let message = top.sns_message.ok_or_else(|| Bad {
                line: raw.line,
                message: "an SNS notification without a `Message`".into(),
            })?;
            serde_json::from_str(&message).map_err(|e| Bad {
                line: raw.line,
                message: format!(
                    "the SNS `Message` is not an SES event ({})",
                    json_bad(&e, raw, "SES").message
                ),
            })?
        }
        Some(other) => {
            out.push(Item::Ignored(format!("ses sns {other}"), raw.line));
            return Ok(None);
        }
        None => serde_json::from_slice(raw.bytes).map_err(|e| json_bad(&e, raw, "SES"))?,
    }))
}

/// The codes that are there, separated by spaces.
pub(crate) fn join(codes: &[Option<&str>]) -> String {
    codes
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A provider's event name for the summary: a code, or `other`.
pub(crate) fn short(name: &str) -> &str {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_' | b'.'));
    if ok {
        name
    } else {
        "other"
    }
}
