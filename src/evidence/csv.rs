//! The generic evidence CSV and our own answer CSVs.
//!
//! UTF-8, comma-separated, one header row (a byte-order mark is ignored), columns in any
//! order, named as below; an unknown column is an error (a typo would otherwise be dropped
//! silently). Either `member_id` or `email` must be given on each row (both may be; the
//! member id wins). `at` is RFC 3339 with an offset (`2026-12-03T09:00:00Z`,
//! `2026-12-03T18:00:00+09:00`).
//!
//! | `--format` | columns (required in bold) | evidence |
//! |---|---|---|
//! | `csv` (DESIGN.md section 4) | `member_id`, `email`, **`event`**, **`at`**, `message_id`, `detail`, `changes` | `event`: `delivered`, `bounced` (hard), `deferred`, `complained`, `unsubscribed`, `objected`, `deleted`, `consented`, `declined` |
//! | `objections` | `member_id`, `email`, **`at`**, `message_id`, `detail` | `objected` |
//! | `deletions` | same | `deleted` |
//! | `unsubscribes` | same | `unsubscribed` (from the transfer notices: the member is excluded) |
//! | `consents` | same, plus `changes` | `consented` |
//! | `refusals` | same, plus `changes` | `declined` |
//!
//! `changes` lists the practice-change ids the answer covers, `;`-separated (`c1a2b3;d4e5f6`);
//! empty means the move itself. A yes or no to the move decides a `consent` member; for a
//! `notify` member an answer to practice changes (opt-ins) is recorded and moves no one.
//! `changes` is only allowed with `consented`/`declined`.
//!
//! `detail` is a short note without personal data (a form or ticket reference), at most 200
//! characters; a cell with `@` in it is refused, since it would put an address in the
//! ledger's detail. `message_id` is a notice's Message-ID, with or without angle brackets.
//!
//! The raw record is the row's cells as read, in file order, joined by the unit separator
//! (0x1F); its SHA-256 is kept with the evidence. The replay key is `sha256:` of the format
//! name and that raw record, so the same row read twice records once, and the same row in a
//! consents file and a refusals file are two answers.
//!
//! The answer CSVs share a header, so `handover record` cannot tell them apart: they need
//! `--format`. The generic CSV is recognised by its `event` column.
use std::io::Read;

use sha2::{Digest, Sha256};

use super::{hex, message_id, rfc3339, Bad, Context, Format, Item, MemberRef, Record};
use crate::error::Result;
use crate::machine::Event;

/// The events the generic CSV may name.
const EVENTS: [Event; 9] = [
    Event::Delivered,
    Event::Bounced,
    Event::Deferred,
    Event::Complained,
    Event::Unsubscribed,
    Event::Objected,
    Event::Deleted,
    Event::Consented,
    Event::Declined,
];

const MAX_DETAIL: usize = 200;
const MAX_MEMBER_ID: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    MemberId,
    Email,
    Event,
    At,
    MessageId,
    Detail,
    Changes,
}

impl Column {
    fn parse(name: &str) -> Option<Column> {
        Some(match name {
            "member_id" => Column::MemberId,
            "email" => Column::Email,
            "event" => Column::Event,
            "at" => Column::At,
            "message_id" => Column::MessageId,
            "detail" => Column::Detail,
            "changes" => Column::Changes,
            _ => return None,
        })
    }
}

/// The columns a format allows.
fn allowed(format: Format) -> &'static [&'static str] {
    match format {
        Format::Csv => &[
            "member_id",
            "email",
            "event",
            "at",
            "message_id",
            "detail",
            "changes",
        ],
        Format::Consents | Format::Refusals => &[
            "member_id",
            "email",
            "at",
            "message_id",
            "detail",
            "changes",
        ],
        _ => &["member_id", "email", "at", "message_id", "detail"],
    }
}

/// The event an answer format records.
fn fixed_event(format: Format) -> Option<Event> {
    match format {
        Format::Objections => Some(Event::Objected),
        Format::Deletions => Some(Event::Deleted),
        Format::Consents => Some(Event::Consented),
        Format::Refusals => Some(Event::Declined),
        Format::Unsubscribes => Some(Event::Unsubscribed),
        _ => None,
    }
}

fn header_names(line: &[u8]) -> Vec<String> {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record).unwrap_or(false) {
        return Vec::new();
    }
    record
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
        .collect()
}

/// Whether the first line of `head` is the generic CSV's header.
pub(crate) fn detect(head: &[u8]) -> Option<Format> {
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let names = header_names(&head[..end]);
    let has = |n: &str| names.iter().any(|h| h == n);
    (has("event") && has("at") && (has("member_id") || has("email"))).then_some(Format::Csv)
}

/// Reads a CSV of `format`, reporting bad rows to `on_bad` and items to `visit`.
pub(crate) fn read<R: Read>(
    input: R,
    format: Format,
    ctx: &Context,
    on_bad: &mut dyn FnMut(Bad),
    visit: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let header_read = match reader.read_byte_record(&mut record) {
        Ok(read) => read,
        Err(e) => {
            on_bad(csv_bad(&e, 1));
            return Ok(());
        }
    };
    if !header_read {
        on_bad(Bad {
            line: 1,
            message: "the file is empty; an evidence CSV starts with a header row".into(),
        });
        return Ok(());
    }
    let names: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 {
                f.strip_prefix(b"\xef\xbb\xbf").unwrap_or(f)
            } else {
                f
            };
            String::from_utf8_lossy(f).trim().to_ascii_lowercase()
        })
        .collect();
    let columns = match layout(&names, format) {
        Ok(c) => c,
        Err(message) => {
            on_bad(Bad { line: 1, message });
            return Ok(());
        }
    };
    let width = names.len();
    let event = fixed_event(format);
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A CSV syntax error leaves the reader at an unknown place: stop here.
                on_bad(csv_bad(&e, line));
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue;
        }
        match row(&record, &columns, width, format, event, line, ctx) {
            Ok(r) => visit(Item::Record(r))?,
            Err(message) => on_bad(Bad { line, message }),
        }
    }
    Ok(())
}

fn csv_bad(e: &csv::Error, line: u64) -> Bad {
    let line = e.position().map_or(line, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        _ => "not valid CSV (a quote is not closed, or stray quotes); save it as UTF-8 CSV".into(),
    };
    Bad { line, message }
}

/// Maps header names to columns, checking the format's rules.
fn layout(names: &[String], format: Format) -> std::result::Result<Vec<Column>, String> {
    let allowed = allowed(format);
    let mut columns = Vec::with_capacity(names.len());
    for name in names {
        let column = Column::parse(name).filter(|_| allowed.contains(&name.as_str()));
        let Some(column) = column else {
            return Err(format!(
                "unknown column `{}` for --format {format}; the columns are {}",
                crate::render::sanitize(&name.chars().take(40).collect::<String>()),
                allowed.join(",")
            ));
        };
        if columns.contains(&column) {
            return Err(format!("the column `{name}` appears twice"));
        }
        columns.push(column);
    }
    let has = |c: Column| columns.contains(&c);
    if !has(Column::At) {
        return Err(format!(
            "the header has no `at` column; --format {format} needs {}",
            allowed.join(",")
        ));
    }
    if format == Format::Csv && !has(Column::Event) {
        return Err("the header has no `event` column".into());
    }
    if !has(Column::MemberId) && !has(Column::Email) {
        return Err("the header has neither `member_id` nor `email`".into());
    }
    Ok(columns)
}

fn row(
    record: &csv::ByteRecord,
    columns: &[Column],
    width: usize,
    format: Format,
    fixed: Option<Event>,
    line: u64,
    ctx: &Context,
) -> std::result::Result<Record, String> {
    if record.len() != width {
        return Err(format!(
            "{} fields where the header has {width}",
            record.len()
        ));
    }
    let mut member_id = "";
    let mut email = "";
    let mut event_name = "";
    let mut at = "";
    let mut message = "";
    let mut detail = "";
    let mut changes = "";
    for (column, field) in columns.iter().zip(record.iter()) {
        let text = std::str::from_utf8(field)
            .map_err(|_| format!("the `{}` cell is not UTF-8", name(*column)))?
            .trim();
        match column {
            Column::MemberId => member_id = text,
            Column::Email => email = text,
            Column::Event => event_name = text,
            Column::At => at = text,
            Column::MessageId => message = text,
            Column::Detail => detail = text,
            Column::Changes => changes = text,
        }
    }
    if member_id.is_empty() && email.is_empty() {
        return Err("neither `member_id` nor `email` is given; fill one of them".into());
    }
    if member_id.len() > MAX_MEMBER_ID || member_id.chars().any(char::is_control) {
        return Err("the member id is longer than 255 bytes or has control characters".to_string());
    }
    let event = match fixed {
        Some(e) => e,
        None => EVENTS
            .into_iter()
            .find(|e| e.as_str() == event_name)
            .ok_or_else(|| {
                format!(
                    "unknown event `{}`; use one of {}",
                    crate::render::sanitize(&event_name.chars().take(30).collect::<String>()),
                    EVENTS.map(Event::as_str).join(", ")
                )
            })?,
    };
    if at.is_empty() {
        return Err("the `at` cell is empty; give the time as RFC 3339".into());
    }
    let at = rfc3339(at, "at").and_then(|t| ctx.not_future(t))?;
    if detail.chars().count() > MAX_DETAIL || detail.chars().any(char::is_control) {
        return Err(
            "`detail` is over 200 characters or has control characters; keep it a short code"
                .into(),
        );
    }
    if detail.contains('@') {
        return Err(
            "`detail` holds an `@`: it must not hold an address (personal data); write a code such as a form or ticket reference"
                .into(),
        );
    }
    let mut ids = Vec::new();
    for id in changes.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if id.len() > 64
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        {
            return Err(
                "`changes` must be practice-change ids separated by `;` (letters, digits, - _ . :)"
                    .into(),
            );
        }
        ids.push(id);
    }
    if !ids.is_empty() && !matches!(event, Event::Consented | Event::Declined) {
        return Err(format!(
            "`changes` is only for `consented` and `declined`, not `{}`",
            event.as_str()
        ));
    }
    let (dedupe, raw_sha256) = if ctx.hash {
        let mut raw = Sha256::new();
        let mut key = Sha256::new();
        key.update(format.as_str().as_bytes());
        key.update([0x1e]);
        for (i, field) in record.iter().enumerate() {
            if i > 0 {
                raw.update([0x1f]);
                key.update([0x1f]);
            }
            raw.update(field);
            key.update(field);
        }
        (
            format!("sha256:{}", hex(&key.finalize())),
            hex(&raw.finalize()),
        )
    } else {
        (String::new(), String::new())
    };
    Ok(Record {
        event,
        at,
        member: MemberRef {
            message_id: message_id(message),
            member_id: (!member_id.is_empty()).then(|| member_id.to_string()),
            address: (!email.is_empty()).then(|| email.to_string()),
        },
        dedupe,
        detail: detail.to_string(),
        changes: ids.join(";"),
        line,
        raw_sha256,
    })
}

fn name(column: Column) -> &'static str {
    match column {
        Column::MemberId => "member_id",
        Column::Email => "email",
        Column::Event => "event",
        Column::At => "at",
        Column::MessageId => "message_id",
        Column::Detail => "detail",
        Column::Changes => "changes",
    }
}
