//! The members file: a CSV stream read once, row by row, in constant memory.
//!
//! The header is mapped to the case's columns once ([`Layout`]); a column the case names but
//! the header lacks is reported at the case-file line that names it. Each row is then checked
//! and turned into a [`Row`] that borrows from one reused record, so reading allocates nothing
//! per row.
//!
//! Rows are numbered as the file's lines: the header is row 1 and a row is numbered by the
//! line it starts on (a quoted field with a line break makes the next row's number jump).
//! Blank lines are skipped.
//!
//! A bad row is one of: a different number of fields than the header; a member id, status,
//! birth date or flag cell that is not UTF-8; an empty member id, or one with control
//! characters or over 255 bytes; an empty status; a birth date that is not `YYYY-MM-DD`, not a
//! real date, or in the future; a flag that is not yes/no (`1`, `true`, `yes`, `y`, `x` or
//! `0`, `false`, `no`, `n`, empty, in any case). Duplicate member ids are found by the ledger
//! ([`crate::ledger`]), which names both rows. An email that is missing or not strictly valid
//! ([`crate::email`]) is not an error: that member is noticed on the site instead, and the row
//! is flagged for review; an address with a display name (`Ana <ana@example.com>`) is reduced
//! to the address and used, and the row flagged. Messages name the row and at most the member
//! id, never a value.
//!
//! With a join date column (`members.joined`, `YYYY-MM-DD`, checked like the birth date), a
//! birth date that is impossible or implausible against it ([`AgeProblem`]: born after
//! joining, or under 5 at joining) is not an error either: the row is flagged and decided as if
//! the birth date were unknown, so a data error never turns into a consent request.
use std::io::Read;

use jiff::civil::Date;

use crate::case::{Column, Members};
use crate::datatypes::{DataTypes, TypeIndex};
use crate::decide::Status;
use crate::email::{self, Problem};
use crate::error::{Error, Result};
use crate::rules::Flag;

/// Column indexes of the members file, validated against the case once.
#[derive(Debug, Clone)]
pub struct Layout {
    width: usize,
    pub(crate) id: usize,
    email: Option<usize>,
    status: Option<usize>,
    birth_date: Option<usize>,
    joined: Option<usize>,
    data: Vec<(usize, Option<usize>)>,
    flags: Vec<(usize, Flag)>,
    always: DataTypes,
    /// The header names, in file order.
    pub header: Vec<String>,
}

/// One checked row, borrowing from the reader's record.
#[derive(Debug, Clone)]
pub struct Row<'r> {
    /// The row number (the header is row 1).
    pub row: u64,
    /// The member id.
    pub id: &'r str,
    /// The status cell (empty without a status column).
    pub status: &'r str,
    /// The email, if present and strictly valid; else why not (`None`: no address).
    pub email: std::result::Result<&'r str, Option<Problem>>,
    /// Whether the email cell had a display name that was reduced to the address.
    pub email_reduced: bool,
    /// The data types held.
    pub held: DataTypes,
    /// The birth date.
    pub birth_date: Option<Date>,
    /// Why the birth date cannot be right, given the join date.
    pub age_problem: Option<AgeProblem>,
    /// Flags set.
    pub flags: u8,
    /// The record as read, for the plan's per-member fingerprint.
    pub(crate) record: &'r csv::ByteRecord,
}

/// A birth date that cannot be right, given the join date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeProblem {
    /// Born after joining.
    BornAfterJoining,
    /// Younger than 5 when joining.
    UnderFiveAtJoining,
}

impl AgeProblem {
    /// The code of the review (`implausible-age:born-after-joining`).
    pub fn code(self) -> &'static str {
        match self {
            AgeProblem::BornAfterJoining => "born-after-joining",
            AgeProblem::UnderFiveAtJoining => "under-5-at-joining",
        }
    }

    /// Why, for people; never quotes a date.
    pub fn message(self) -> &'static str {
        match self {
            AgeProblem::BornAfterJoining => "the birth date is after the join date",
            AgeProblem::UnderFiveAtJoining => "the birth date makes the member under 5 at joining",
        }
    }

    /// The problem of this birth date against this join date, if any.
    pub fn of(birth: Date, joined: Date) -> Option<AgeProblem> {
        // Calendar fields, not span arithmetic: this runs on every row.
        let fields = |d: Date| (i32::from(d.year()), d.month(), d.day());
        let (b, j) = (fields(birth), fields(joined));
        if b > j {
            Some(AgeProblem::BornAfterJoining)
        } else if j < (b.0 + 5, b.1, b.2) {
            Some(AgeProblem::UnderFiveAtJoining)
        } else {
            None
        }
    }
}

impl Row<'_> {
    /// The birth date a decision may use: none when it cannot be right ([`AgeProblem`]).
    pub fn usable_birth_date(&self) -> Option<Date> {
        self.birth_date.filter(|_| self.age_problem.is_none())
    }

    /// The status, classified by the case's rule.
    pub fn status<'s>(&self, members: &'s Members) -> Status<'s> {
        match &members.status {
            None => Status::Transfer,
            Some(rule) => {
                if rule.transfer.iter().any(|v| v == self.status) {
                    Status::Transfer
                } else if let Some(v) = rule.exclude.iter().find(|v| *v == self.status) {
                    Status::Exclude(v)
                } else {
                    Status::Other
                }
            }
        }
    }
}

/// A bad row: its number and what to fix (never a cell's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The row number.
    pub row: u64,
    /// What is wrong and what to do.
    pub message: String,
}

/// Streams members from any reader.
pub struct Reader<R: Read> {
    csv: csv::Reader<std::io::BufReader<R>>,
    record: csv::ByteRecord,
    layout: Layout,
    today: Date,
}

impl<R: Read> Reader<R> {
    /// Reads the header and maps the case's columns; `name` names the file in messages.
    /// `types` indexes data types (the taxonomy's); `today` is the date birth dates are checked
    /// against. The reader needs no plan: `export` reads members with it too.
    ///
    /// The file goes through the shared input checks first ([`crate::input`]): a UTF-8
    /// byte-order mark is skipped; UTF-16, a binary file and an empty file are refused with
    /// what to do.
    pub fn new(input: R, members: &Members, types: &TypeIndex, today: Date) -> Result<Reader<R>> {
        use std::io::BufRead;
        let name = &members.display;
        let mut input = std::io::BufReader::with_capacity(1 << 16, input);
        let head = input.fill_buf().map_err(|source| Error::Read {
            path: name.into(),
            source,
        })?;
        if head.is_empty() {
            return Err(crate::input::empty(
                name,
                crate::input::Kind::Members,
                false,
            ));
        }
        let skip = crate::input::sniff(name, crate::input::Kind::Members, head)?;
        input.consume(skip);
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let header = csv.byte_headers().map_err(|e| csv_error(name, e))?.clone();
        let header: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_string()
            })
            .collect();
        if header.iter().all(|h| h.is_empty()) {
            return Err(Error::Invalid {
                location: format!("{name}:row 1"),
                message: "the members file has no header; its first line must name the columns"
                    .to_string(),
            });
        }
        for (i, h) in header.iter().enumerate() {
            if header[..i].contains(h) {
                return Err(Error::Invalid {
                    location: format!("{name}:row 1"),
                    message: format!("column `{h}` appears twice in the header; rename one"),
                });
            }
        }
        let find = |col: &Column| -> Result<usize> {
            header
                .iter()
                .position(|h| *h == col.name)
                .ok_or_else(|| Error::Invalid {
                    location: col.at.clone(),
                    message: format!(
                    "column `{}` is not in the header of {name} (it has: {}); fix the name here \
                     or add the column to the file",
                    col.name,
                    header.join(", ")
                ),
                })
        };
        let mut data = Vec::new();
        for (col, id) in &members.data_types {
            data.push((find(col)?, types.index(id)));
        }
        if let Some(export) = &members.export_columns {
            for col in export {
                find(col)?;
            }
        }
        let mut flags = Vec::new();
        for (flag, col) in &members.flags {
            flags.push((find(col)?, *flag));
        }
        let layout = Layout {
            width: header.len(),
            id: find(&members.id)?,
            email: members.email.as_ref().map(&find).transpose()?,
            status: members
                .status
                .as_ref()
                .map(|s| find(&s.column))
                .transpose()?,
            birth_date: members.birth_date.as_ref().map(&find).transpose()?,
            joined: members.joined.as_ref().map(&find).transpose()?,
            data,
            flags,
            always: types.set(&members.always_held),
            header,
        };
        Ok(Reader {
            csv,
            record: csv::ByteRecord::new(),
            layout,
            today,
        })
    }

    /// The mapped header.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        self.csv.get_ref().get_ref()
    }

    /// Bytes read so far.
    pub fn position(&self) -> u64 {
        self.csv.position().byte()
    }

    /// The next row: `None` at the end, `Some(Err)` for a bad row (reading goes on).
    pub fn next_row(&mut self, name: &str) -> Result<Option<std::result::Result<Row<'_>, BadRow>>> {
        if self.next_record(name)?.is_none() {
            return Ok(None);
        }
        Ok(Some(self.check_record()))
    }

    /// Reads the next record without checking it: `None` at the end, else its row number.
    /// [`Reader::record`] is its fields, [`Reader::check_record`] the checks of
    /// [`Reader::next_row`]. `export` checks a row this way only when it is not the very
    /// record the plan checked.
    pub(crate) fn next_record(&mut self, name: &str) -> Result<Option<u64>> {
        if !self
            .csv
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(name, e))?
        {
            return Ok(None);
        }
        Ok(Some(self.record.position().map_or(0, |p| p.line())))
    }

    /// The record [`Reader::next_record`] read.
    pub(crate) fn record(&self) -> &csv::ByteRecord {
        &self.record
    }

    /// The record [`Reader::next_record`] read, checked as [`Reader::next_row`] checks it.
    pub(crate) fn check_record(&self) -> std::result::Result<Row<'_>, BadRow> {
        let row = self.record.position().map_or(0, |p| p.line());
        check(&self.record, &self.layout, row, self.today)
    }
}

fn csv_error(name: &str, e: csv::Error) -> Error {
    let location = match e.position() {
        Some(p) => format!("{name}:row {}", p.line()),
        None => name.to_string(),
    };
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        if let csv::ErrorKind::Io(source) = e.into_kind() {
            return Error::Read {
                path: name.into(),
                source,
            };
        }
        unreachable!("the kind was checked above");
    }
    Error::Csv {
        location,
        message: format!("cannot read the CSV ({e})"),
        source: e,
    }
}

fn check<'r>(
    record: &'r csv::ByteRecord,
    layout: &Layout,
    row: u64,
    today: Date,
) -> std::result::Result<Row<'r>, BadRow> {
    let bad = |message: String| BadRow { row, message };
    // Every cell is text: a Latin-1 or Windows-1252 export would otherwise travel garbled
    // into notices and bundles. The message names the column and the byte, never the cell.
    // The row is checked once; its fields are then slices of it (the CSV reader ends fields
    // at ASCII bytes, so every field boundary is a character boundary).
    let whole = std::str::from_utf8(record.as_slice()).map_err(|e| e.valid_up_to());
    // A field must be text on its own too: `\xE3\x81,\x82` splits one character across two
    // fields, which is valid only when glued back together.
    let split = |whole: &str| {
        (0..record.len())
            .filter_map(|i| record.range(i))
            .find(|r| !whole.is_char_boundary(r.start))
            .map(|r| r.start)
    };
    let whole = match whole.map(|w| (w, split(w))) {
        Ok((whole, None)) => whole,
        Ok((_, Some(offset))) | Err(offset) => return Err(bad(not_utf8(record, layout, offset))),
    };
    // A quote left open swallows the rows after it into one field: fewer fields than the
    // header, or a field whose later lines look like rows of this file.
    let multiline = whole.contains('\n');
    let swallowed_row = |f: &[u8]| {
        f.split(|b| *b == b'\n')
            .skip(1)
            .any(|line| line.iter().filter(|b| **b == b',').count() + 1 == layout.width)
    };
    if multiline && (record.len() < layout.width || record.iter().any(swallowed_row)) {
        return Err(bad(format!(
            "a quoted field opened on this row is not closed where the row ends (it takes in \
             the line breaks after it, leaving {} fields where the header has {}); close the \
             quote, or double a quote that is part of the text (\"\")",
            record.len(),
            layout.width
        )));
    }
    if record.len() != layout.width {
        return Err(bad(format!(
            "has {} fields, the header has {}; quote fields that contain commas",
            record.len(),
            layout.width
        )));
    }
    let field = |i: usize| -> &'r str { record.range(i).and_then(|r| whole.get(r)).unwrap_or("") };
    let text = |i: usize| -> &'r str { field(i).trim() };
    let id = text(layout.id);
    if id.is_empty() {
        return Err(bad("the member id is empty; every row needs one".into()));
    }
    if id.len() > 255 || id.chars().any(char::is_control) {
        return Err(bad(
            "the member id has control characters or is over 255 bytes".into(),
        ));
    }
    let status = match layout.status {
        Some(i) => {
            let s = text(i);
            if s.is_empty() {
                return Err(bad(format!("member {id}: the status is empty; fill it in")));
            }
            s
        }
        None => "",
    };
    let (email, email_reduced) = match layout.email {
        None => (Err(None), false),
        Some(i) => match field(i) {
            s if s.trim().is_empty() => (Err(None), false),
            s => match email::check_reducing(s) {
                Ok((address, reduced)) => (Ok(address), reduced),
                Err(problem) => (Err(Some(problem)), false),
            },
        },
    };
    let date = |column: Option<usize>, what: &str| -> std::result::Result<Option<Date>, BadRow> {
        let Some(i) = column else {
            return Ok(None);
        };
        let s = text(i);
        if s.is_empty() {
            return Ok(None);
        }
        let date = parse_date(s).ok_or_else(|| {
            bad(format!(
                "member {id}: {what} is not a real date as YYYY-MM-DD"
            ))
        })?;
        if date > today {
            return Err(bad(format!("member {id}: {what} is in the future")));
        }
        Ok(Some(date))
    };
    let birth_date = date(layout.birth_date, "the birth date")?;
    let joined = date(layout.joined, "the join date")?;
    let age_problem = match (birth_date, joined) {
        (Some(birth), Some(joined)) => AgeProblem::of(birth, joined),
        _ => None,
    };
    let mut flags = 0;
    for (i, flag) in &layout.flags {
        let s = text(*i);
        match parse_flag(s) {
            Some(true) => flags |= flag.bit(),
            Some(false) => {}
            None => {
                return Err(bad(format!(
                "member {id}: `{}` must be yes or no (1/0, true/false, yes/no, y/n, x, or empty)",
                layout.header[*i]
            )))
            }
        }
    }
    let mut held = layout.always.clone();
    for (i, index) in &layout.data {
        if let Some(index) = index {
            if !record[*i].iter().all(|b| b.is_ascii_whitespace()) {
                held.insert(*index);
            }
        }
    }
    Ok(Row {
        row,
        id,
        status,
        email,
        email_reduced,
        held,
        birth_date,
        age_problem,
        flags,
        record,
    })
}

/// Says which byte of a row is not UTF-8, and in which column; never the cell itself.
fn not_utf8(record: &csv::ByteRecord, layout: &Layout, offset: usize) -> String {
    let byte = record.as_slice()[offset];
    let column = (0..record.len())
        .find(|&i| record.range(i).is_some_and(|r| r.contains(&offset)))
        .and_then(|i| layout.header.get(i))
        .map_or(String::new(), |h| format!(" in column `{h}`"));
    let latin = if (0x80..=0xFF).contains(&byte) {
        "; the file looks like Latin-1 / Windows-1252"
    } else {
        ""
    };
    format!(
        "byte 0x{byte:02X}{column} is not UTF-8{latin}; save the file as UTF-8 (e.g. `iconv -f \
         WINDOWS-1252 -t UTF-8`)"
    )
}

fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn parse_flag(s: &str) -> Option<bool> {
    let is = |words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
    if s.is_empty() || is(&["0", "false", "no", "n"]) {
        Some(false)
    } else if is(&["1", "true", "yes", "y", "x"]) {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(parse_date("2010-02-28"), Some(Date::constant(2010, 2, 28)));
        for bad in ["2010-02-30", "2010-2-28", "28.02.2010", "2010-02-2x", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn flags_are_yes_or_no() {
        assert_eq!(parse_flag("Yes"), Some(true));
        assert_eq!(parse_flag("X"), Some(true));
        assert_eq!(parse_flag(""), Some(false));
        assert_eq!(parse_flag("FALSE"), Some(false));
        assert_eq!(parse_flag("maybe"), None);
    }
}

#[cfg(test)]
mod reader_tests {
    use super::*;
    use crate::case::Case;

    fn case() -> Case {
        Case::parse(
            std::path::Path::new("h.yaml"),
            "case: T\ndeal: merger\npolicies: {current: a.md, acquirer: b.md}\nrules: [ftc]\nmembers:\n  path: m.csv\n  id: id\n  email: email\n  data_types: {zip: contact.postal_code}\n",
        )
        .unwrap()
    }

    fn types() -> TypeIndex {
        TypeIndex::new(&crate::taxonomy::Taxonomy::embedded())
    }

    fn reader<'a>(text: &'a str, case: &Case) -> Result<Reader<&'a [u8]>> {
        Reader::new(
            text.as_bytes(),
            &case.members,
            &types(),
            Date::constant(2026, 12, 1),
        )
    }

    #[test]
    fn an_unclosed_quote_is_named_as_such() {
        let case = case();
        let text = "id,email,zip,note\nA,a@example.jp,,\"never closed\nB,b@example.jp,1,\n";
        let mut reader = reader(text, &case).unwrap();
        let bad = reader.next_row("m.csv").unwrap().unwrap().unwrap_err();
        assert_eq!(bad.row, 2);
        assert!(
            bad.message
                .starts_with("a quoted field opened on this row is not closed"),
            "{}",
            bad.message
        );
    }

    #[test]
    fn rows_are_numbered_by_the_line_they_start_on() {
        let case = case();
        let text = "id,email,zip,note\nA,a@example.jp,,\"two\nlines\"\nB, B@Example.jp ,123,\n";
        let mut reader = reader(text, &case).unwrap();
        let a = reader.next_row("m.csv").unwrap().unwrap().unwrap();
        assert_eq!((a.row, a.id, a.held.count_ones(..)), (2, "A", 0));
        let b = reader.next_row("m.csv").unwrap().unwrap().unwrap();
        assert_eq!((b.row, b.id, b.email), (4, "B", Ok("B@Example.jp")));
        assert_eq!(b.held, types().set(&["contact.postal_code"]));
        assert!(reader.next_row("m.csv").unwrap().is_none());
    }

    #[test]
    fn impossible_birth_dates_are_flagged_and_not_used() {
        let case = Case::parse(
            std::path::Path::new("h.yaml"),
            "case: T\ndeal: merger\npolicies: {current: a.md, acquirer: b.md}\nrules: [ftc]\nmembers:\n  path: m.csv\n  id: id\n  email: email\n  birth_date: born\n  joined: joined\n",
        )
        .unwrap();
        let text = "id,email,born,joined\n\
                    A,Ana <ana@example.com>,2014-03-01,2008-05-01\n\
                    B,b@example.com,2006-02-01,2009-01-15\n\
                    C,c@example.com,1980-02-01,2009-01-15\n\
                    D,d@example.com,1980-02-01,\n";
        let mut rows = reader(text, &case).unwrap();
        let mut next = || {
            let r = rows.next_row("m.csv").unwrap().unwrap().unwrap();
            (
                r.age_problem,
                r.usable_birth_date().is_some(),
                r.email_reduced,
            )
        };
        assert_eq!(next(), (Some(AgeProblem::BornAfterJoining), false, true));
        assert_eq!(next(), (Some(AgeProblem::UnderFiveAtJoining), false, false));
        assert_eq!(next(), (None, true, false));
        assert_eq!(next(), (None, true, false));
        let bad = "id,email,born,joined\nA,a@example.com,1980-02-01,2009-13-01\n";
        let mut bad_reader = reader(bad, &case).unwrap();
        assert_eq!(
            bad_reader
                .next_row("m.csv")
                .unwrap()
                .unwrap()
                .unwrap_err()
                .message,
            "member A: the join date is not a real date as YYYY-MM-DD"
        );
    }

    #[test]
    fn a_missing_column_points_at_the_case_file() {
        let case = case();
        let err = reader("id,email\n", &case).err().unwrap().to_string();
        assert_eq!(
            err,
            "h.yaml:9:16: column `zip` is not in the header of m.csv (it has: id, email); fix \
             the name here or add the column to the file"
        );
    }
}
