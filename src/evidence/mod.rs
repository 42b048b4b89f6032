//! Evidence files read into one normalised record: what `handover record` ingests.
//!
//! Every format ends as a stream of [`Record`]s (one per event and recipient) or
//! [`Item::Ignored`] (a provider event that is not evidence of notice, such as an open or a
//! click, counted by name). A record carries:
//!
//! | field | meaning |
//! |---|---|
//! | `event` | the state machine's [`Event`] (`delivered`, `bounced`, `deferred`, ...) |
//! | `at` | when it happened, UTC |
//! | `member` | who: the notice's Message-ID, the member id, and/or the address (see below) |
//! | `dedupe` | the provider's event id (`ses:...`, `sendgrid:...`, `postmark:...`, `mailgun:...`), else `sha256:` of the raw record |
//! | `detail` | a short code without personal data (`permanent 5.1.1`, `blocked 4.7.1`) |
//! | `changes` | for `consented`/`declined`: the practice-change ids answered (`;`-separated); empty: the move itself |
//! | `line`, `raw_sha256` | where it was read (the line the record starts on) and the SHA-256 of its raw bytes |
//!
//! # Formats
//!
//! One parser file per format, each following its provider's documented shape:
//!
//! - `ses` ([`ses`]): Amazon SES event publishing and notifications, raw (JSON lines, as
//!   Firehose writes them, or one object) or wrapped by SNS (`{"Type": "Notification",
//!   "Message": "<json>"}`); `eventType` or `notificationType`.
//! - `sendgrid` ([`sendgrid`]): the SendGrid Event Webhook, a JSON array of flat events (or
//!   JSON lines of them).
//! - `postmark` ([`postmark`]): Postmark webhooks, one object per POST (`RecordType`
//!   `Delivery`, `Bounce`, `SpamComplaint`, `SubscriptionChange`), one or more per file.
//! - `mailgun` ([`mailgun`]): Mailgun events: webhook bodies (`{"signature", "event-data"}`),
//!   Events API pages (`{"items": [...]}`) or bare event objects.
//! - `csv` and our own answer CSVs ([`csv`]): see that module for the headers.
//!
//! Hard and soft: only a hard (permanent) failure is `bounced`, which moves a notified member
//! to the site-notice fallback; a soft one (transient, blocked, delayed) is `deferred`, which
//! is kept and moves no one. Each parser's module doc has its table.
//!
//! # Reading
//!
//! JSON files are split into top-level values by a streaming scanner (`json.rs`): JSON lines,
//! concatenated or pretty-printed objects, or one top-level array whose elements are the
//! events. Memory stays bounded by the largest single value. A file is *malformed* when any
//! value or row cannot be read as its format: not JSON, a missing or wrongly typed field the
//! event needs, a time that is not a time, an unknown event name in our CSVs, a member
//! reference missing. Unknown provider event types are not malformed: they are counted as
//! ignored (providers add types).
//!
//! Personal data: addresses are read to be matched (through the ledger's keyed hash) and are
//! never put in a record's detail, in an error message or in the summary; errors name the
//! file and line only.
use std::cell::Cell;
use std::path::Path;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::ledger::HashKey;
use crate::machine::Event;

mod ahead;
pub mod csv;
pub(crate) mod json;
pub mod mailgun;
pub mod postmark;
pub mod sendgrid;
pub mod ses;

pub use ahead::read_ahead;

/// An evidence format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Amazon SES events (raw or SNS-wrapped).
    Ses,
    /// SendGrid Event Webhook.
    Sendgrid,
    /// Postmark webhooks.
    Postmark,
    /// Mailgun events.
    Mailgun,
    /// The generic CSV `member_id,email,event,at,message_id,detail`.
    Csv,
    /// Objections: `member_id,email,at,detail`.
    Objections,
    /// Deletion requests: `member_id,email,at,detail`.
    Deletions,
    /// Consents: `member_id,email,at,changes,detail`.
    Consents,
    /// Refusals: `member_id,email,at,changes,detail`.
    Refusals,
    /// Unsubscribes from the transfer notices: `member_id,email,at,detail`.
    Unsubscribes,
}

impl Format {
    /// Every format, in documentation order.
    pub const ALL: [Format; 10] = [
        Format::Ses,
        Format::Sendgrid,
        Format::Postmark,
        Format::Mailgun,
        Format::Csv,
        Format::Objections,
        Format::Deletions,
        Format::Consents,
        Format::Refusals,
        Format::Unsubscribes,
    ];

    /// The name used by `--format` and as the evidence `source`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ses => "ses",
            Format::Sendgrid => "sendgrid",
            Format::Postmark => "postmark",
            Format::Mailgun => "mailgun",
            Format::Csv => "csv",
            Format::Objections => "objections",
            Format::Deletions => "deletions",
            Format::Consents => "consents",
            Format::Refusals => "refusals",
            Format::Unsubscribes => "unsubscribes",
        }
    }

    /// The format of this name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }

    fn is_json(self) -> bool {
        matches!(
            self,
            Format::Ses | Format::Sendgrid | Format::Postmark | Format::Mailgun
        )
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who an event is about, as the source names it. Matching tries them in this order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberRef {
    /// The notice's Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// The member id.
    pub member_id: Option<String>,
    /// The recipient's address (matched by its keyed hash; never stored).
    pub address: Option<String>,
}

/// One normalised piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// What happened.
    pub event: Event,
    /// When.
    pub at: Timestamp,
    /// About whom.
    pub member: MemberRef,
    /// The replay key (see the module doc).
    pub dedupe: String,
    /// A short code without personal data.
    pub detail: String,
    /// Practice-change ids answered (`consented`/`declined`); empty: the move itself.
    pub changes: String,
    /// The line the raw record starts on.
    pub line: u64,
    /// Hex SHA-256 of the raw record.
    pub raw_sha256: String,
}

/// What a raw record yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Evidence.
    Record(Record),
    /// A provider event that is not evidence of notice (`sendgrid open`), with its line.
    Ignored(String, u64),
}

/// A record that cannot be read, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    /// The line.
    pub line: u64,
    /// What is wrong (never a value from the file).
    pub message: String,
}

/// What the parsers share: the case key (for replay keys that name a recipient without
/// naming the address) and the clock (an event dated after it is refused).
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The ledger's hash key.
    pub key: HashKey,
    /// Now.
    pub now: Timestamp,
    /// Whether to hash raw records (a checking pass that keeps no record skips it).
    pub hash: bool,
}

/// How far in the future an event may be dated (providers' clocks drift).
const FUTURE_SLACK_SECONDS: i64 = 600;

impl Context {
    /// Checks that `at` is not after now (with a few minutes' slack).
    pub(crate) fn not_future(&self, at: Timestamp) -> std::result::Result<Timestamp, String> {
        if at.as_second() > self.now.as_second() + FUTURE_SLACK_SECONDS {
            Err(format!(
                "the event is dated {at}, after now ({}); check the file's times or --now",
                self.now
            ))
        } else {
            Ok(at)
        }
    }

    /// The hex SHA-256 of a raw record, or nothing when not hashing.
    pub(crate) fn sha256(&self, raw: &Raw<'_>) -> String {
        if self.hash {
            raw.sha256()
        } else {
            String::new()
        }
    }

    /// The recipient part of a replay key: the address's keyed hash, in hex.
    pub(crate) fn recipient(&self, address: &str) -> String {
        format!("{:016x}", self.key.address(address.trim()) as u64)
    }
}

/// The raw bytes of one record and where they start.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) line: u64,
}

impl Raw<'_> {
    pub(crate) fn sha256(&self) -> String {
        hex(&Sha256::digest(self.bytes))
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// An RFC 3339 time (any offset), as UTC.
pub(crate) fn rfc3339(text: &str, field: &str) -> std::result::Result<Timestamp, String> {
    text.trim()
        .parse::<Timestamp>()
        .map_err(|_| format!("`{field}` is not an RFC 3339 time (write e.g. 2026-12-01T09:00:00Z)"))
}

/// Epoch seconds (integer or fractional), as UTC.
pub(crate) fn epoch(seconds: f64, field: &str) -> std::result::Result<Timestamp, String> {
    let whole = seconds.trunc();
    let nanos = ((seconds - whole) * 1e9).round() as i32;
    if !seconds.is_finite() || whole < 0.0 {
        return Err(format!("`{field}` is not a time in seconds since 1970"));
    }
    Timestamp::new(whole as i64, nanos.clamp(0, 999_999_999))
        .map_err(|_| format!("`{field}` is out of range"))
}

/// A Message-ID header value without angle brackets and spaces; `None` when empty.
pub(crate) fn message_id(value: &str) -> Option<String> {
    let id = value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// Keeps a provider's code only when it is a code (`5.1.1`, `550`, `HardBounce`), never
/// free text, which may quote the address.
pub(crate) fn code(value: &str) -> Option<&str> {
    let v = value.trim();
    (!v.is_empty()
        && v.len() <= 40
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')))
    .then_some(v)
}

/// Guesses the format of a file from its first bytes and first value or header.
pub fn detect(path: &Path) -> Result<Format> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let unknown = |why: &str| Error::Invalid {
        location: path.display().to_string(),
        message: format!(
            "cannot tell which evidence format this is ({why}); name it with --format ({})",
            Format::ALL.map(Format::as_str).join("|")
        ),
    };
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = first else {
        return Err(unknown("the file is empty"));
    };
    if matches!(text[first], b'{' | b'[') {
        let mut values = json::Values::new(std::io::Cursor::new(text));
        let mut buf = Vec::new();
        return match values.next(&mut buf) {
            Ok(Some(_)) => json_format(&buf).ok_or_else(|| {
                unknown("its first JSON object has none of the fields the providers use")
            }),
            _ => Err(unknown("its first JSON value is cut off or not an object")),
        };
    }
    csv::detect(text).ok_or_else(|| unknown("neither JSON nor a known CSV header"))
}

/// The provider whose documented fields the first JSON object has.
fn json_format(object: &[u8]) -> Option<Format> {
    let value: serde_json::Value = serde_json::from_slice(object).ok()?;
    let has = |k: &str| value.get(k).is_some();
    if matches!(
        value.get("Type").and_then(|t| t.as_str()),
        Some("Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation")
    ) || (has("mail") && (has("eventType") || has("notificationType")))
    {
        Some(Format::Ses)
    } else if has("RecordType") {
        Some(Format::Postmark)
    } else if has("event-data") || has("items") || (has("event") && has("recipient")) {
        Some(Format::Mailgun)
    } else if has("sg_event_id") || (has("event") && has("email") && has("timestamp")) {
        Some(Format::Sendgrid)
    } else {
        None
    }
}

/// Reads `path` as `format`, calling `visit` with every item; stops at the first structural
/// problem (JSON that cannot be split, a CSV header that is wrong) and otherwise collects up
/// to `max_bad` bad records. Returns the bad records and how many there were in all.
/// `bytes` follows how much of the file has been read, for a progress bar.
pub fn read(
    path: &Path,
    format: Format,
    ctx: &Context,
    max_bad: usize,
    bytes: &Cell<u64>,
    mut visit: impl FnMut(Item) -> Result<()>,
) -> Result<(Vec<Bad>, u64)> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    bytes.set(0);
    let counted = Counted { inner: file, bytes };
    let reader = std::io::BufReader::with_capacity(1 << 16, counted);
    let mut bad = Vec::new();
    let mut bad_total = 0u64;
    let mut on_bad = |b: Bad| {
        bad_total += 1;
        if bad.len() < max_bad {
            bad.push(b);
        }
    };
    if format.is_json() {
        let mut values = json::Values::new(reader);
        let mut buf = Vec::with_capacity(4096);
        let mut out = Vec::with_capacity(4);
        loop {
            let line = match values.next(&mut buf) {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    on_bad(Bad {
                        line: e.line,
                        message: e.message,
                    });
                    break;
                }
            };
            let raw = Raw { bytes: &buf, line };
            out.clear();
            let parsed = match format {
                Format::Ses => ses::parse(raw, ctx, &mut out),
                Format::Sendgrid => sendgrid::parse(raw, ctx, &mut out),
                Format::Postmark => postmark::parse(raw, ctx, &mut out),
                _ => mailgun::parse(raw, ctx, &mut out),
            };
            match parsed {
                Ok(()) => {
                    for item in out.drain(..) {
                        visit(item)?;
                    }
                }
                Err(b) => on_bad(b),
            }
        }
    } else {
        csv::read(reader, format, ctx, &mut on_bad, &mut visit)?;
    }
    Ok((bad, bad_total))
}

/// A reader that counts what it reads.
struct Counted<'c, R> {
    inner: R,
    bytes: &'c Cell<u64>,
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// The error for a file refused whole: its first bad record as the location, the others
/// listed.
pub(crate) fn refused(path: &std::path::Path, bad: &[Bad], total: u64) -> Error {
    let name = path.display();
    let first = bad.first();
    let mut message = format!(
        "{} (nothing was recorded from this file; fix {} and run `handover record` again)",
        first.map_or("", |b| b.message.as_str()),
        if total == 1 { "it" } else { "them" },
    );
    for b in bad.iter().skip(1) {
        message.push_str(&format!("\n  {name}:{}: {}", b.line, b.message));
    }
    if total > bad.len() as u64 {
        message.push_str(&format!(
            "\n  ... and {} more bad records",
            total - bad.len() as u64
        ));
    }
    Error::Invalid {
        location: format!("{name}:{}", first.map_or(1, |b| b.line)),
        message,
    }
}

/// A serde_json error inside a value that starts at `line`, as a [`Bad`] at the file's line.
pub(crate) fn json_bad(e: &serde_json::Error, raw: Raw<'_>, what: &str) -> Bad {
    let line = raw.line + (e.line().max(1) as u64) - 1;
    let message = match e.classify() {
        serde_json::error::Category::Data => {
            // serde's messages may quote a value (an address): keep only what names the
            // field or the expected type.
            let text = e.to_string();
            let text = text.split(" at line ").next().unwrap_or(&text).to_string();
            if text.starts_with("missing field") {
                format!("not a valid {what} record: {text}")
            } else {
                let expected = text
                    .split(", expected ")
                    .nth(1)
                    .map(|x| format!(" (expected {x})"))
                    .unwrap_or_default();
                format!("not a valid {what} record: a field has the wrong type{expected}")
            }
        }
        _ => format!("not valid JSON ({what} events are JSON objects)"),
    };
    Bad { line, message }
}

#[cfg(test)]
mod tests;
