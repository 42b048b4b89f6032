//! Mailgun events (`--format mailgun`).
//!
//! Three documented shapes, one or more per file: a webhook body `{"signature": {...},
//! "event-data": {...}}`, an Events API page `{"items": [...], "paging": {...}}`, or a bare
//! event object. Fields read from an event: `id`, `event`, `timestamp` (seconds since 1970,
//! fractional), `recipient`, `severity`, `reason`, `delivery-status.code`, and
//! `message.headers.message-id` (the notice's Message-ID, which Mailgun gives without angle
//! brackets).
//!
//! | Mailgun `event` | evidence | detail |
//! |---|---|---|
//! | `delivered` | `delivered` | the SMTP code |
//! | `failed`, `severity` `permanent` | `bounced` | `permanent <code> <reason>` |
//! | `failed`, `severity` `temporary` (or none) | `deferred` | `temporary <code> <reason>` |
//! | `rejected` (Mailgun refused to send it) | `bounced` | `rejected` |
//! | `complained` | `complained` | |
//! | `unsubscribed` | `unsubscribed` | |
//! | `accepted`, `opened`, `clicked`, `stored`, other | ignored (counted) | |
//!
//! Replay key: `mailgun:<id>:<timestamp>`. Mailgun documents the event `id` as unique within
//! a day only, so the time is part of the key; a replay carries both unchanged.
use serde::Deserialize;

use super::{code, epoch, json_bad, message_id, Bad, Context, Item, MemberRef, Raw, Record};
use crate::evidence::ses::{join, short};
use crate::machine::Event;

#[derive(Deserialize)]
struct Top {
    #[serde(rename = "event-data")]
    event_data: Option<MailgunEvent>,
    items: Option<Vec<MailgunEvent>>,
    #[serde(flatten)]
    bare: Option<MailgunEvent>,
}

#[derive(Deserialize)]
struct MailgunEvent {
    id: Option<String>,
    event: String,
    timestamp: Option<f64>,
    recipient: Option<String>,
    severity: Option<String>,
    reason: Option<String>,
    #[serde(rename = "delivery-status")]
    delivery_status: Option<DeliveryStatus>,
    message: Option<Message>,
}

#[derive(Deserialize)]
struct DeliveryStatus {
    code: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Message {
    headers: Option<Headers>,
}

#[derive(Deserialize)]
struct Headers {
    #[serde(rename = "message-id")]
    message_id: Option<String>,
}

/// Reads one Mailgun object (webhook body, events page or bare event) into `out`.
pub(crate) fn parse(raw: Raw<'_>, ctx: &Context, out: &mut Vec<Item>) -> Result<(), Bad> {
    let top: Top = serde_json::from_slice(raw.bytes).map_err(|e| json_bad(&e, raw, "Mailgun"))?;
    let sha = ctx.sha256(&raw);
    if let Some(items) = top.items {
        for e in items {
            one(e, raw, &sha, ctx, out)?;
        }
        return Ok(());
    }
    match top.event_data.or(top.bare) {
        Some(e) => one(e, raw, &sha, ctx, out),
        None => Err(Bad {
            line: raw.line,
            message: "a Mailgun record without `event-data`, `items` or `event`".into(),
        }),
    }
}

fn one(
    e: MailgunEvent,
    raw: Raw<'_>,
    sha: &str,
    ctx: &Context,
    out: &mut Vec<Item>,
) -> Result<(), Bad> {
    let bad = |message: String| Bad {
        line: raw.line,
        message,
    };
    let status = e
        .delivery_status
        .as_ref()
        .and_then(|d| d.code.as_ref())
        .map(|c| match c {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    let status = status.as_deref().and_then(code);
    let reason = e.reason.as_deref().and_then(code);
    let (event, detail) = match e.event.as_str() {
        "delivered" => (Event::Delivered, join(&[status])),
        "failed" => match e.severity.as_deref() {
            Some("permanent") => (Event::Bounced, join(&[Some("permanent"), status, reason])),
            _ => (Event::Deferred, join(&[Some("temporary"), status, reason])),
        },
        "rejected" => (Event::Bounced, "rejected".to_string()),
        "complained" => (Event::Complained, String::new()),
        "unsubscribed" => (Event::Unsubscribed, String::new()),
        other => {
            out.push(Item::Ignored(format!("mailgun {}", short(other)), raw.line));
            return Ok(());
        }
    };
    let kind = &e.event;
    let address = e
        .recipient
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| bad(format!("a Mailgun `{kind}` event without `recipient`")))?;
    let seconds = e
        .timestamp
        .ok_or_else(|| bad(format!("a Mailgun `{kind}` event without `timestamp`")))?;
    let at = epoch(seconds, "timestamp")
        .and_then(|at| ctx.not_future(at))
        .map_err(bad)?;
    let dedupe = match e.id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => format!("mailgun:{id}:{seconds:.6}"),
        _ => format!("sha256:{sha}"),
    };
    out.push(Item::Record(Record {
        event,
        at,
        member: MemberRef {
            message_id: e
                .message
                .and_then(|m| m.headers)
                .and_then(|h| h.message_id)
                .as_deref()
                .and_then(message_id),
            member_id: None,
            address: Some(address),
        },
        dedupe,
        detail,
        changes: String::new(),
        line: raw.line,
        raw_sha256: sha.to_string(),
    }));
    Ok(())
}
