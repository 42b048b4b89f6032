//! One reading policy for every input file: encoding, emptiness, duplicate YAML keys, and
//! the short excerpts that messages may quote.
//!
//! Every file `handover` reads (a policy, a taxonomy, a rule pack, the case file, the
//! acknowledgements, the members CSV, later evidence) goes through [`read`] or [`decode`],
//! so each kind of file is treated the same way wherever it is read:
//!
//! - a UTF-8 byte-order mark is accepted and stripped;
//! - UTF-16 (with or without a byte-order mark) is named as such, with "save it as UTF-8";
//! - bytes that are not UTF-8 are reported with their line, column and byte offset, and when
//!   they look like Latin-1 / Windows-1252 (an accented letter saved by a legacy editor or a
//!   spreadsheet) the message says so and how to convert the file;
//! - a NUL byte means a binary file (or UTF-16 without a mark) and is refused;
//! - an empty or whitespace-only file is refused with its own message, because reading it as
//!   "nothing" would change a verdict or a plan without anyone noticing (the acknowledgements
//!   file is the exception: no entries approves nothing, so it is safe);
//! - YAML files are checked for duplicate keys before they are parsed ([`no_duplicate_keys`]):
//!   serde keeps the last of two equal keys in a map, which silently drops the first.
//!
//! Messages never quote a whole line: [`excerpt`] gives at most [`EXCERPT_CHARS`] characters
//! with control characters escaped, and is only used on files that hold no personal data
//! (policies, YAML). Readers of personal data (the members CSV) name a row and a member id,
//! never the content.
//!
//! Streaming readers (the members CSV) cannot hand over the whole file: they call
//! [`sniff`] on the first bytes they read (it returns how many bytes of byte-order mark to
//! skip), [`empty`] when the input ends before any text, [`not_utf8`] when a later record
//! turns out not to be UTF-8, and, when the CSV
//! parser reports a wrong field count, [`unclosed_quote`] on the file from that record on,
//! which turns a misleading field count into [`unclosed_quote_error`].
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};

/// The longest excerpt of a file that a message may quote, in characters.
pub const EXCERPT_CHARS: usize = 60;

/// How many leading bytes [`sniff`] looks at to recognise UTF-16 and binary files.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The kinds of file `handover` reads; each names itself and its fix in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A privacy policy (Markdown, plain text or HTML; Word and PDF are read by their own front ends).
    Policy,
    /// A practice taxonomy (`--taxonomy`).
    Taxonomy,
    /// A rule pack file named in the case file.
    RulePack,
    /// The case file, `handover.yaml`.
    Case,
    /// The acknowledgements file of `handover check`.
    Acknowledgements,
    /// The members export (CSV).
    Members,
    /// An evidence file (delivery events, objections, consents).
    Evidence,
}

impl Kind {
    /// What the file is, for messages: "the policy", "the case file", ...
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Policy => "a policy",
            Kind::Taxonomy => "a taxonomy",
            Kind::RulePack => "a rule pack",
            Kind::Case => "the case file",
            Kind::Acknowledgements => "the acknowledgements file",
            Kind::Members => "the members file",
            Kind::Evidence => "an evidence file",
        }
    }

    /// What the file should be: "UTF-8 Markdown or plain text", "UTF-8 YAML", ...
    fn format(self) -> &'static str {
        match self {
            Kind::Policy => "UTF-8 Markdown, plain text or HTML (or a Word or PDF file)",
            Kind::Members | Kind::Evidence => "UTF-8 CSV",
            _ => "UTF-8 YAML",
        }
    }

    /// Whether an empty or whitespace-only file is acceptable (see the module doc).
    fn may_be_empty(self) -> bool {
        matches!(self, Kind::Acknowledgements)
    }

    /// What an empty file of this kind should have held.
    fn empty_fix(self) -> &'static str {
        match self {
            Kind::Policy => {
                "a policy needs its text: check that you exported or copied the right file"
            }
            Kind::Members => {
                "the members file needs a header row and one row per member: export it again"
            }
            Kind::Case => {
                "run `handover init` for a commented case file, or restore it from version control"
            }
            _ => "restore its content, or remove the option that names it",
        }
    }
}

/// Reads the file at `path` as text of kind `kind` (see the module doc). A file that is
/// missing or unreadable is [`Error::Read`].
pub fn read(path: &Path, kind: Kind) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&path.display().to_string(), kind, &bytes).map(str::to_string)
}

/// Checks `bytes` (the whole file named `name`) and returns its text without a byte-order
/// mark. Empty and whitespace-only input is refused unless the kind allows it.
pub fn decode<'a>(name: &str, kind: Kind, bytes: &'a [u8]) -> Result<&'a str> {
    let skip = sniff(name, kind, bytes)?;
    let bytes = &bytes[skip..];
    let text =
        std::str::from_utf8(bytes).map_err(|e| not_utf8(name, kind, bytes, e.valid_up_to()))?;
    if !kind.may_be_empty() && text.trim().is_empty() {
        return Err(empty(name, kind, !text.is_empty()));
    }
    Ok(text)
}

/// The error for an empty file (`whitespace`: it holds only whitespace). For streaming
/// readers that find no byte, or no record, before the end.
pub fn empty(name: &str, kind: Kind, whitespace: bool) -> Error {
    let what = if whitespace {
        "the file holds only whitespace"
    } else {
        "the file is empty"
    };
    Error::BadText {
        location: name.to_string(),
        what: what.to_string(),
        fix: kind.empty_fix().to_string(),
    }
}

/// Looks at the first bytes of a file (up to [`SNIFF_BYTES`]; more are ignored) and refuses
/// UTF-16 and binary content. Returns the length of a UTF-8 byte-order mark to skip (0 or 3).
///
/// For streaming readers: call it on the first buffer read, before parsing.
pub fn sniff(name: &str, kind: Kind, head: &[u8]) -> Result<usize> {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    let utf16 = |endian: &str| {
        Error::BadText {
        location: name.to_string(),
        what: format!("the file is UTF-16 ({endian}), not UTF-8"),
        fix: format!(
            "save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or `iconv -f UTF-16 -t UTF-8`); {} must be {}",
            kind.noun(),
            kind.format()
        ),
    }
    };
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return sniff(name, kind, &head[3..]).map(|_| 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Err(utf16("little-endian"));
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Err(utf16("big-endian"));
    }
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        // UTF-16 text without a mark: ASCII letters with a NUL beside every one of them.
        let pairs = head.len() / 2;
        let even = head
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        let odd = head
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        if pairs >= 2 && odd * 10 >= pairs * 9 {
            return Err(utf16("little-endian"));
        }
        if pairs >= 2 && even * 10 >= pairs * 9 {
            return Err(utf16("big-endian"));
        }
        let line = line_of(head, offset);
        return Err(Error::BadText {
            location: format!("{name}:{line}"),
            what: format!("a NUL byte at byte offset {offset}: this looks like a binary file"),
            fix: format!(
                "{} must be {}; check that you named the right file",
                kind.noun(),
                kind.format()
            ),
        });
    }
    Ok(0)
}

/// The error for bytes that are not UTF-8 at `offset` of `bytes` (the file, or as much of it
/// as the caller has, from its start). Names line, column and byte offset, and Latin-1 /
/// Windows-1252 when the bytes look like it.
pub fn not_utf8(name: &str, kind: Kind, bytes: &[u8], offset: usize) -> Error {
    let good = &bytes[..offset.min(bytes.len())];
    let line = line_of(good, good.len());
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    // Characters, not bytes, as editors count columns (`good` is valid UTF-8).
    let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
    let byte = bytes.get(offset).copied().unwrap_or(0);
    let (what, fix) = if good.is_ascii() && looks_like_latin1(&bytes[offset.min(bytes.len())..]) {
        (
            format!(
                "byte 0x{byte:02X} at line {line}, column {column} (byte offset {offset}) is not \
                 UTF-8; the file looks like Latin-1 / Windows-1252"
            ),
            format!(
                "save it as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`); {} \
                 must be {}",
                kind.noun(),
                kind.format()
            ),
        )
    } else {
        (
            format!(
                "invalid UTF-8 at line {line}, column {column} (byte offset {offset}, byte \
                 0x{byte:02X})"
            ),
            format!(
                "{} must be {}; convert it (e.g. with iconv or pandoc) and try again",
                kind.noun(),
                kind.format()
            ),
        )
    };
    Error::BadText {
        location: format!("{name}:{line}:{column}"),
        what,
        fix,
    }
}

/// Whether the bytes from the first bad one on read as Windows-1252 text: the bad byte is a
/// printable Latin-1 or Windows-1252 character, and what follows has no control bytes. (The
/// caller also requires the text before it to be ASCII: a file with valid UTF-8 letters
/// before a bad byte is damaged UTF-8, not Latin-1.)
fn looks_like_latin1(rest: &[u8]) -> bool {
    let Some(&first) = rest.first() else {
        return false;
    };
    // 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined in Windows-1252.
    let printable = |b: u8| {
        b >= 0xA0 || (0x80..0xA0).contains(&b) && ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(&b)
    };
    printable(first)
        && rest
            .iter()
            .take(256)
            .all(|&b| b >= 0x20 || matches!(b, b'\n' | b'\r' | b'\t'))
}

/// The 1-based line of byte `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// At most [`EXCERPT_CHARS`] characters of `text`, with control characters escaped (`\n`,
/// `\t`, `\u{1b}`) so nothing reaches a terminal as a control sequence, and `…` when cut.
/// Only for files without personal data (see the module doc).
pub fn excerpt(text: &str) -> String {
    excerpt_of(text, EXCERPT_CHARS)
}

/// [`excerpt`] with another limit, for one-line texts that a message must show whole when
/// they are of normal length (a change's summary).
pub fn excerpt_of(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == limit {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
    out
}

/// The line (1-based) of a CSV quote that is opened and never closed in `bytes`, read by
/// RFC 4180 rules (a field that starts with `"` runs to the next lone `"`; `""` inside it is
/// a quote), or `None`. A CSV parser reads such a file to its end as one field, and then
/// reports a wrong field count somewhere else; this names the cause.
///
/// `bytes` is the file, or the part of it from the start of a record (for a streaming reader
/// that failed on a record: read again from that record's byte offset); `first_line` is the
/// line that part starts at.
pub fn unclosed_quote(bytes: &[u8], first_line: usize) -> Option<usize> {
    let mut line = first_line;
    let mut opened = None;
    let mut field_start = true;
    let mut iter = bytes.iter().peekable();
    while let Some(&b) = iter.next() {
        match (opened, b) {
            (None, b'"') if field_start => {
                opened = Some(line);
                field_start = false;
            }
            (Some(_), b'"') if iter.peek() == Some(&&b'"') => {
                iter.next();
            }
            (Some(_), b'"') => opened = None,
            (_, b'\n') => {
                line += 1;
                field_start = opened.is_none();
            }
            (None, b',') => field_start = true,
            _ => field_start = false,
        }
    }
    opened
}

/// The error for a CSV quote opened at `line` of `name` and never closed (see
/// [`unclosed_quote`]). Names no content, so it is safe for files of personal data.
pub fn unclosed_quote_error(name: &str, line: usize) -> Error {
    Error::Invalid {
        location: format!("{name}:{line}"),
        message: "a quoted field opened on this line is never closed, so everything after it \
                  reads as one field; close the quote, and write a quote inside a quoted field \
                  as two (`\"\"`)"
            .to_string(),
    }
}

/// `message` with every `quoted` span cut to an [`excerpt`]: parser messages quote the
/// offending key or value, which may be a whole (long) line.
pub fn shorten_quotes(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                excerpt(part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Refuses a YAML document in which a map has the same key twice, naming `name:line:col` of
/// the second one. Text that is not YAML at all passes: the typed parse that follows reports
/// it with its own message.
pub fn no_duplicate_keys(name: &str, text: &str) -> Result<()> {
    let Err(e) = Node::deserialize(serde_yaml_ng::Deserializer::from_str(text)) else {
        return Ok(());
    };
    let message = e.to_string();
    // serde_yaml_ng puts the key path in front (`members.data_types: ...`).
    let Some(key) = message
        .find(DUPLICATE)
        .and_then(|at| message[at + DUPLICATE.len()..].split(DUPLICATE_END).next())
    else {
        return Ok(());
    };
    let location = match e.location() {
        Some(at) => format!("{name}:{}:{}", at.line(), at.column()),
        None => name.to_string(),
    };
    Err(Error::Invalid {
        location,
        message: format!(
            "the key `{}` appears twice in the same map; YAML would silently keep only the \
             last one, so remove or merge one of them",
            excerpt(key)
        ),
    })
}

const DUPLICATE: &str = "duplicate key \u{1}";
const DUPLICATE_END: char = '\u{1}';

/// Any YAML node, walked only to find duplicate keys.
struct Node;

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        // A tagged value (`!tag value`): walk the value.
        let (Node, variant) = data.variant::<Node>()?;
        de::VariantAccess::newtype_variant::<Node>(variant)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        while seq.next_element::<Node>()?.is_some() {}
        Ok(Node)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut seen = HashSet::new();
        while map.next_key_seed(Key(&mut seen))?.is_some() {
            map.next_value::<Node>()?;
        }
        Ok(Node)
    }
}

/// A map key, refused when the map already had it. The error is raised while the key itself
/// is read, so the YAML reader attaches the key's own line and column.
struct Key<'a>(&'a mut HashSet<String>);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Key<'_> {
    fn insert<E: de::Error>(self, key: String) -> Result<(), E> {
        if self.0.insert(key.clone()) {
            Ok(())
        } else {
            Err(E::custom(format!("{DUPLICATE}{key}{DUPLICATE_END}")))
        }
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.insert(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.insert(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.insert(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.insert(v.to_string())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.insert(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.insert("~".to_string())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.insert("~".to_string())
    }
    // A complex key (a list or map used as a key) is rare and not compared; its content is
    // still walked for duplicates.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        NodeVisitor.visit_seq(seq).map(|_| ())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        NodeVisitor.visit_map(map).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: Error) -> String {
        e.to_string()
    }

    #[test]
    fn a_bom_is_stripped() {
        assert_eq!(
            decode("f", Kind::Policy, b"\xEF\xBB\xBFWe keep logs.\n").unwrap(),
            "We keep logs.\n"
        );
    }

    #[test]
    fn utf16_is_named_with_or_without_a_mark() {
        let le: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "a,b\n1,2\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for (bytes, endian) in [
            ([&[0xFF, 0xFE][..], &le].concat(), "little-endian"),
            (le.clone(), "little-endian"),
            ([&[0xFE, 0xFF][..], &be].concat(), "big-endian"),
            (be.clone(), "big-endian"),
        ] {
            let m = message(decode("m.csv", Kind::Members, &bytes).unwrap_err());
            assert!(
                m.starts_with(&format!(
                    "m.csv: the file is UTF-16 ({endian}), not UTF-8; save it as UTF-8"
                )),
                "{m}"
            );
        }
    }

    #[test]
    fn latin1_is_named_with_line_column_and_offset() {
        let m =
            message(decode("t.yaml", Kind::Taxonomy, b"version: 1\nname: caf\xE9\n").unwrap_err());
        assert_eq!(
            m,
            "t.yaml:2:10: byte 0xE9 at line 2, column 10 (byte offset 20) is not UTF-8; the file \
             looks like Latin-1 / Windows-1252; save it as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t \
             UTF-8 FILE > FILE.utf8`); a taxonomy must be UTF-8 YAML"
        );
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        let m =
            message(decode("p.md", Kind::Policy, b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap_err());
        assert!(m.starts_with("p.md:1: a NUL byte at byte offset 7"), "{m}");
        let m = message(decode("p.md", Kind::Policy, b"").unwrap_err());
        assert!(
            m.starts_with("p.md: the file is empty; a policy needs its text"),
            "{m}"
        );
        let m = message(decode("p.md", Kind::Policy, b" \n\t\n").unwrap_err());
        assert!(
            m.starts_with("p.md: the file holds only whitespace;"),
            "{m}"
        );
        assert_eq!(decode("a.yaml", Kind::Acknowledgements, b"").unwrap(), "");
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\n2,3\n4,5\n", 1), Some(2));
        assert_eq!(
            unclosed_quote(b"a,b\n1,\"x \"\"y\"\" z\"\n2,\"multi\nline\"\n", 1),
            None
        );
        assert_eq!(
            unclosed_quote(b"1,ab\"c\n", 7),
            None,
            "a quote inside a bare field"
        );
        assert_eq!(unclosed_quote(b"1,\"ok\"\n2,\"open\n", 10), Some(11));
        let m = unclosed_quote_error("members.csv", 2).to_string();
        assert!(
            m.starts_with("members.csv:2: a quoted field opened on this line is never closed"),
            "{m}"
        );
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("a\tb\n\u{1b}[31mred"), "a\\tb\\n\\u{1b}[31mred");
        let long = "x".repeat(100);
        assert_eq!(excerpt(&long), format!("{}…", "x".repeat(EXCERPT_CHARS)));
    }

    #[test]
    fn duplicate_keys_are_found_at_any_depth_with_their_position() {
        let text = "members:\n  data_types:\n    name: contact.name\n    zip: contact.postal_code\n    name: contact.email\n";
        let m = message(no_duplicate_keys("handover.yaml", text).unwrap_err());
        assert!(
            m.starts_with("handover.yaml:5:5: the key `name` appears twice"),
            "{m}"
        );
        let list = "a:\n- x: 1\n  y: 2\n- x: 3\n  x: 4\n";
        let m = message(no_duplicate_keys("f.yaml", list).unwrap_err());
        assert!(
            m.starts_with("f.yaml:5:3: the key `x` appears twice"),
            "{m}"
        );
        no_duplicate_keys("f.yaml", "a: 1\nb: {a: 2}\nc: [1, 1]\n").unwrap();
        no_duplicate_keys("f.yaml", "a: [unclosed\n").unwrap();
    }
}
