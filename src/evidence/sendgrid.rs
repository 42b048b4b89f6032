//! The SendGrid Event Webhook (`--format sendgrid`).
//!
//! SendGrid posts a JSON array of flat events (its "Event Webhook Reference"); a file may
//! hold that array, or the events one per line. Fields read: `event`, `email`, `timestamp`
//! (seconds since 1970), `sg_event_id` (the replay key), `smtp-id` (the Message-ID header
//! the notice was sent with, with angle brackets), and for bounces `type` and `status`.
//!
//! | SendGrid `event` | evidence | detail |
//! |---|---|---|
//! | `delivered` | `delivered` | |
//! | `bounce` with `type` `bounce` (or none) | `bounced` | `bounce <status>` |
//! | `bounce` with `type` `blocked` (refused for now) | `deferred` | `blocked <status>` |
//! | `deferred` | `deferred` | `deferred` |
//! | `dropped` (SendGrid will not send it: suppressed, invalid) | `bounced` | `dropped` |
//! | `spamreport` | `complained` | |
//! | `unsubscribe`, `group_unsubscribe` (from the notice) | `unsubscribed` | the event name |
//! | `processed`, `open`, `click`, `group_resubscribe`, other | ignored (counted) | |
//!
//! Replay key: `sendgrid:<sg_event_id>`, else `sha256:` of the raw event. `reason` and
//! `response` are free text that may quote the address, so they are not kept.
use serde::Deserialize;

use super::{code, epoch, json_bad, message_id, Bad, Context, Item, MemberRef, Raw, Record};
use crate::evidence::ses::{join, short};
use crate::machine::Event;

#[derive(Deserialize)]
struct SendgridEvent {
    event: String,
    email: Option<String>,
    timestamp: Option<f64>,
    sg_event_id: Option<String>,
    #[serde(rename = "smtp-id")]
    smtp_id: Option<String>,
    #[serde(rename = "type")]
    bounce_type: Option<String>,
    status: Option<String>,
}

/// Reads one SendGrid event into `out`.
pub(crate) fn parse(raw: Raw<'_>, ctx: &Context, out: &mut Vec<Item>) -> Result<(), Bad> {
    let e: SendgridEvent =
        serde_json::from_slice(raw.bytes).map_err(|e| json_bad(&e, raw, "SendGrid"))?;
    let bad = |message: String| Bad {
        line: raw.line,
        message,
    };
    let status = e.status.as_deref().and_then(code);
    let (event, detail) = match e.event.as_str() {
        "delivered" => (Event::Delivered, String::new()),
        "bounce" => match e.bounce_type.as_deref() {
            Some("blocked") => (Event::Deferred, join(&[Some("blocked"), status])),
            _ => (Event::Bounced, join(&[Some("bounce"), status])),
        },
        "deferred" => (Event::Deferred, "deferred".to_string()),
        "dropped" => (Event::Bounced, "dropped".to_string()),
        "spamreport" => (Event::Complained, String::new()),
        "unsubscribe" | "group_unsubscribe" => (Event::Unsubscribed, e.event.clone()),
        other => {
            out.push(Item::Ignored(
                format!("sendgrid {}", short(other)),
                raw.line,
            ));
            return Ok(());
        }
    };
    let address = e
        .email
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| bad(format!("a SendGrid `{}` event without `email`", e.event)))?;
    let seconds = e.timestamp.ok_or_else(|| {
        bad(format!(
            "a SendGrid `{}` event without `timestamp`",
            e.event
        ))
    })?;
    let at = epoch(seconds, "timestamp")
        .and_then(|at| ctx.not_future(at))
        .map_err(bad)?;
    let sha = ctx.sha256(&raw);
    let dedupe = match e.sg_event_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => format!("sendgrid:{id}"),
        _ => format!("sha256:{sha}"),
    };
    out.push(Item::Record(Record {
        event,
        at,
        member: MemberRef {
            message_id: e.smtp_id.as_deref().and_then(message_id),
            member_id: None,
            address: Some(address),
        },
        dedupe,
        detail,
        changes: String::new(),
        line: raw.line,
        raw_sha256: sha,
    }));
    Ok(())
}
