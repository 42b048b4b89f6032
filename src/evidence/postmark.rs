//! Postmark webhooks (`--format postmark`).
//!
//! Postmark posts one JSON object per event, named by `RecordType`; a file holds one or
//! more of them (one per line, or one after another). Postmark's `MessageID` is its own id,
//! not the Message-ID header the notice was sent with, so these events are matched by the
//! recipient's address (`Recipient` or `Email`).
//!
//! | `RecordType` | evidence | time | replay key |
//! |---|---|---|---|
//! | `Delivery` | `delivered` | `DeliveredAt` | `postmark:Delivery:<MessageID>:<DeliveredAt>` |
//! | `Bounce`, `Type` `HardBounce`, `BadEmailAddress`, `ManuallyDeactivated` | `bounced` | `BouncedAt` | `postmark:Bounce:<MessageID>:<ID>` |
//! | `Bounce`, `Type` `Transient`, `SoftBounce`, `DnsError`, `Blocked`, `Unknown`, `SMTPApiError`, `DMARCPolicy`, `Unconfirmed`, `TemplateRenderingFailed` | `deferred` | `BouncedAt` | same |
//! | `Bounce`, `Type` `SpamComplaint`; `SpamComplaint` | `complained` | `BouncedAt` | `postmark:<RecordType>:<MessageID>:<ID>` |
//! | `SubscriptionChange`, `SuppressSending` true, `SuppressionReason` `ManualSuppression` and `Origin` `Recipient` (the member unsubscribed) | `unsubscribed` | `ChangedAt` | `postmark:SubscriptionChange:<MessageID>:<ChangedAt>` |
//! | `SubscriptionChange`, suppressed for `HardBounce` / `SpamComplaint` | `bounced` / `complained` | `ChangedAt` | same |
//! | other bounce types (`AutoResponder`, `Subscribe`, ...), a suppression made by the sender (`Origin` `Customer`, `Admin`), a reactivation, `Open`, `Click`, other | ignored (counted) | | |
//!
//! Detail: the bounce `Type` and `TypeCode` (`HardBounce 1`), or the suppression reason.
//! `Details`, `Description` and `Content` are free text that may quote the address, so they
//! are not kept.
use serde::Deserialize;

use super::{code, json_bad, rfc3339, Bad, Context, Item, MemberRef, Raw, Record};
use crate::evidence::ses::short;
use crate::machine::Event;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PostmarkEvent {
    record_type: String,
    #[serde(rename = "ID")]
    id: Option<serde_json::Number>,
    #[serde(rename = "Type")]
    bounce_type: Option<String>,
    type_code: Option<serde_json::Number>,
    #[serde(rename = "MessageID")]
    message_id: Option<String>,
    email: Option<String>,
    recipient: Option<String>,
    delivered_at: Option<String>,
    bounced_at: Option<String>,
    changed_at: Option<String>,
    suppress_sending: Option<bool>,
    suppression_reason: Option<String>,
    origin: Option<String>,
}

const HARD: [&str; 3] = ["HardBounce", "BadEmailAddress", "ManuallyDeactivated"];
const SOFT: [&str; 9] = [
    "Transient",
    "SoftBounce",
    "DnsError",
    "Blocked",
    "Unknown",
    "SMTPApiError",
    "DMARCPolicy",
    "Unconfirmed",
    "TemplateRenderingFailed",
];

/// Reads one Postmark webhook object into `out`.
pub(crate) fn parse(raw: Raw<'_>, ctx: &Context, out: &mut Vec<Item>) -> Result<(), Bad> {
    let e: PostmarkEvent =
        serde_json::from_slice(raw.bytes).map_err(|e| json_bad(&e, raw, "Postmark"))?;
    let bad = |message: String| Bad {
        line: raw.line,
        message,
    };
    let kind = e.record_type.as_str();
    let need = |value: Option<&String>, field: &str| -> Result<String, Bad> {
        value
            .filter(|v| !v.trim().is_empty())
            .cloned()
            .ok_or_else(|| bad(format!("a Postmark `{kind}` record without `{field}`")))
    };
    let message = e.message_id.as_deref().unwrap_or("-").trim().to_string();
    let ignore = |out: &mut Vec<Item>, what: &str| {
        out.push(Item::Ignored(format!("postmark {what}"), raw.line));
        Ok(())
    };
    let (event, address, time, time_field, dedupe, detail) = match kind {
        "Delivery" => {
            let at = need(e.delivered_at.as_ref(), "DeliveredAt")?;
            let dedupe = format!("postmark:Delivery:{message}:{at}");
            let address = need(e.recipient.as_ref(), "Recipient")?;
            (
                Event::Delivered,
                address,
                at,
                "DeliveredAt",
                dedupe,
                String::new(),
            )
        }
        "Bounce" | "SpamComplaint" => {
            let bounce_type = need(e.bounce_type.as_ref(), "Type")?;
            let event = if kind == "SpamComplaint" || bounce_type == "SpamComplaint" {
                Event::Complained
            } else if HARD.contains(&bounce_type.as_str()) {
                Event::Bounced
            } else if SOFT.contains(&bounce_type.as_str()) {
                Event::Deferred
            } else {
                return ignore(out, &format!("{kind} {}", short(&bounce_type)));
            };
            let id =
                e.id.as_ref()
                    .map(|n| n.to_string())
                    .ok_or_else(|| bad(format!("a Postmark `{kind}` record without `ID`")))?;
            let at = need(e.bounced_at.as_ref(), "BouncedAt")?;
            let type_code = e.type_code.as_ref().map(|n| n.to_string());
            let detail = [code(&bounce_type), type_code.as_deref().and_then(code)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let address = need(e.email.as_ref(), "Email")?;
            let dedupe = format!("postmark:{kind}:{message}:{id}");
            (event, address, at, "BouncedAt", dedupe, detail)
        }
        "SubscriptionChange" => {
            if e.suppress_sending != Some(true) {
                return ignore(out, "SubscriptionChange (reactivated)");
            }
            let reason = e.suppression_reason.as_deref().unwrap_or("");
            let event = match (reason, e.origin.as_deref()) {
                ("ManualSuppression", Some("Recipient")) => Event::Unsubscribed,
                ("HardBounce", _) => Event::Bounced,
                ("SpamComplaint", _) => Event::Complained,
                _ => return ignore(out, "SubscriptionChange (suppressed by the sender)"),
            };
            let at = need(e.changed_at.as_ref(), "ChangedAt")?;
            let dedupe = format!("postmark:SubscriptionChange:{message}:{at}");
            let address = need(e.recipient.as_ref(), "Recipient")?;
            let detail = code(reason).unwrap_or("").to_string();
            (event, address, at, "ChangedAt", dedupe, detail)
        }
        other => return ignore(out, short(other)),
    };
    let at = rfc3339(&time, time_field)
        .and_then(|at| ctx.not_future(at))
        .map_err(bad)?;
    out.push(Item::Record(Record {
        event,
        at,
        member: MemberRef {
            message_id: None,
            member_id: None,
            address: Some(address),
        },
        dedupe,
        detail,
        changes: String::new(),
        line: raw.line,
        raw_sha256: ctx.sha256(&raw),
    }));
    Ok(())
}
