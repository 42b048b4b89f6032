//! The Word front end: a `.docx` file's body as policy blocks, positioned by paragraph number.
//!
//! A `.docx` is a ZIP archive (`zip`) of XML parts (`quick-xml`); the body is
//! `word/document.xml`, paragraph styles are in `word/styles.xml`. Read as:
//!
//! - **Headings** from paragraph styles: a style named `heading N` (any case; Word's and
//!   LibreOffice's built-in names) or `Title` (level 1), or an outline level in the style or
//!   the paragraph, following `basedOn` chains. A paragraph whose visible text is all bold
//!   (run, character style or paragraph style) is a bold-only heading, as in Markdown.
//! - **List items** from numbering: a paragraph with a `w:numPr` (its own or its style's) is
//!   a list item at depth `ilvl + 1`. Word draws the number or bullet; it is not text, so
//!   renumbering is no change.
//! - **Tables**: each row is one block, cells joined with ` | `.
//! - **Quotes and code** from style names containing `quote` or `code` (pandoc's
//!   `Block Text` is a quote too).
//! - **Tracked changes are read as accepted**: inserted and moved-to text counts, deleted and
//!   moved-from text does not, and a paragraph whose mark was deleted joins the next one.
//! - **Positions** are paragraph numbers, counted from 1 over every paragraph of the body in
//!   document order (empty ones and those in table cells included); [`Policy::line`] is the
//!   paragraph's text.
//!
//! Not handled: headers, footers, footnotes, endnotes and comments (other parts, left out on
//! purpose); text boxes and drawings (`w:txbxContent`, skipped); field results are read as
//! shown, field codes are not; `.doc` (the old binary format) is refused by the detector.
use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, Result};
use crate::policy::{BlockKind, Policy, RawBlock, SourceFormat};

/// Parts larger than this are refused (a defence against ZIP bombs).
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Parses a Word document into a policy.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Policy> {
    let fail =
        |what: String, source: Option<Box<dyn std::error::Error + Send + Sync>>| Error::Document {
            path: name.into(),
            what,
            hint: "open it in Word or LibreOffice, save it again as .docx, and try again"
                .to_string(),
            source,
        };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        fail(
            "not a readable Word document (a broken ZIP archive)".into(),
            Some(e.into()),
        )
    })?;
    let mut part = |part: &str| -> Result<Option<String>> {
        let file = match archive.by_name(part) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(fail(format!("cannot open {part}"), Some(e.into()))),
        };
        let mut text = String::new();
        file.take(MAX_PART_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| fail(format!("cannot read {part} as UTF-8 XML"), Some(e.into())))?;
        Ok(Some(text))
    };
    let document = part("word/document.xml")?
        .ok_or_else(|| fail("the archive has no word/document.xml".into(), None))?;
    let styles = match part("word/styles.xml")? {
        Some(xml) => Styles::parse(&xml).map_err(|(pos, e)| {
            fail(
                format!("word/styles.xml is not well-formed XML (at byte {pos})"),
                Some(e.into()),
            )
        })?,
        None => Styles::default(),
    };
    let (raw, lines) = Body::new(&styles).read(&document).map_err(|(pos, e)| {
        fail(
            format!("word/document.xml is not well-formed XML (at byte {pos})"),
            Some(e.into()),
        )
    })?;
    let sha256 = crate::policy::sha256_hex(bytes);
    Ok(Policy::assemble(
        name,
        sha256,
        SourceFormat::Docx,
        raw,
        lines.join("\n"),
        Vec::new(),
    ))
}

type XmlError = (u64, quick_xml::Error);

/// What a style says, before following `basedOn`.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbered: Option<bool>,
    bold: Option<bool>,
}

/// The paragraph and character styles of a document, by id.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, XmlError> {
        let mut reader = Reader::from_str(xml);
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_rpr = false;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| (reader.buffer_position(), e))?;
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        b"style" => current = attr(e, b"styleId").map(|id| (id, Style::default())),
                        b"rPr" => in_rpr = matches!(event, Event::Start(_)),
                        _ => {}
                    }
                    if let Some((_, style)) = current.as_mut() {
                        match local.as_ref() {
                            b"name" => style.name = attr(e, b"val").unwrap_or_default(),
                            b"basedOn" => style.based_on = attr(e, b"val"),
                            b"outlineLvl" => {
                                style.outline = attr(e, b"val").and_then(|v| v.parse().ok())
                            }
                            b"numId" => {
                                style.numbered = Some(attr(e, b"val").as_deref() != Some("0"))
                            }
                            b"b" if in_rpr => style.bold = Some(on(e)),
                            _ => {}
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"style" => {
                        if let Some((id, style)) = current.take() {
                            styles.by_id.insert(id, style);
                        }
                    }
                    b"rPr" => in_rpr = false,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(styles)
    }

    /// The first value `get` finds along the style's `basedOn` chain.
    fn find<T>(&self, id: Option<&str>, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut id = id?;
        for _ in 0..16 {
            let style = self.by_id.get(id)?;
            if let Some(value) = get(style) {
                return Some(value);
            }
            id = style.based_on.as_deref()?;
        }
        None
    }

    fn heading_level(&self, id: Option<&str>) -> Option<u8> {
        self.find(id, |s| {
            let name = s.name.to_ascii_lowercase();
            if name == "title" {
                return Some(1);
            }
            if let Some(n) = name
                .strip_prefix("heading ")
                .and_then(|n| n.trim().parse::<u8>().ok())
            {
                return Some(n);
            }
            s.outline.filter(|&l| l < 9).map(|l| l + 1)
        })
    }

    fn name_has(&self, id: Option<&str>, words: &[&str]) -> bool {
        self.find(id, |s| {
            let name = s.name.to_ascii_lowercase();
            words.iter().any(|w| name.contains(w)).then_some(true)
        })
        .unwrap_or(false)
    }
}

/// The value of an attribute by local name (`w:val` and `val` alike), unescaped.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`) is on unless its value says off.
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, b"val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// The paragraph being read.
#[derive(Debug, Default)]
struct Paragraph {
    first: u32,
    style: Option<String>,
    outline: Option<u8>,
    list_level: Option<u8>,
    mark_deleted: bool,
    text: String,
    plain_chars: usize,
    bold_chars: usize,
}

/// Reads `word/document.xml`.
struct Body<'a> {
    styles: &'a Styles,
    /// Paragraph text by number, for [`Policy::line`].
    lines: Vec<String>,
    raw: Vec<RawBlock>,
    para: Option<Paragraph>,
    /// Text of paragraphs whose mark was deleted, waiting to join the next one.
    carry: Option<Paragraph>,
    /// The table row being read: its first paragraph and its cells' text.
    row: Option<(u32, String)>,
    table_depth: usize,
    /// Inside content that does not count (deleted, moved away, field codes, text boxes).
    skip: usize,
    in_ppr: bool,
    in_rpr: bool,
    in_text: bool,
    run_bold: Option<bool>,
    run_style_bold: bool,
}

/// Elements whose content is not accepted text.
const SKIPPED: &[&[u8]] = &[
    b"del",
    b"moveFrom",
    b"instrText",
    b"delInstrText",
    b"txbxContent",
    b"Fallback",
];

impl<'a> Body<'a> {
    fn new(styles: &'a Styles) -> Self {
        Body {
            styles,
            lines: Vec::new(),
            raw: Vec::new(),
            para: None,
            carry: None,
            row: None,
            table_depth: 0,
            skip: 0,
            in_ppr: false,
            in_rpr: false,
            in_text: false,
            run_bold: None,
            run_style_bold: false,
        }
    }

    fn read(mut self, xml: &str) -> Result<(Vec<RawBlock>, Vec<String>), XmlError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = reader
                .read_event()
                .map_err(|e| (reader.buffer_position(), e))?;
            match event {
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.in_text && self.skip == 0 => {
                    let text = t.xml10_content().unwrap_or_default();
                    self.push_text(&text);
                }
                Event::GeneralRef(r) if self.in_text && self.skip == 0 => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => {
                            let name = r.decode().unwrap_or_default();
                            quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
                        }
                    };
                    if let Some(c) = c {
                        self.push_text(&c);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if let Some(carry) = self.carry.take() {
            self.emit(carry);
        }
        Ok((self.raw, self.lines))
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        if SKIPPED.contains(&name) {
            if !empty {
                self.skip += 1;
            }
            // A deleted or moved-away paragraph mark (in the mark's run properties).
            if self.in_ppr && self.in_rpr && (name == b"del" || name == b"moveFrom") {
                if let Some(p) = self.para.as_mut() {
                    p.mark_deleted = true;
                }
            }
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            b"p" if !empty => {
                self.lines.push(String::new());
                self.para = Some(Paragraph {
                    first: self.lines.len() as u32,
                    ..Paragraph::default()
                });
            }
            b"p" => self.lines.push(String::new()),
            b"pPr" => self.in_ppr = !empty,
            b"rPr" => self.in_rpr = !empty,
            b"r" => {
                self.run_bold = None;
                self.run_style_bold = false;
            }
            b"tbl" => self.table_depth += 1,
            b"tr" if self.table_depth == 1 => {
                self.row = Some((self.lines.len() as u32 + 1, String::new()));
            }
            b"tc" if self.table_depth == 1 => {
                if let Some((_, text)) = self.row.as_mut() {
                    if !text.trim().is_empty() {
                        text.push_str(" | ");
                    }
                }
            }
            b"t" if !empty => self.in_text = true,
            b"tab" | b"br" | b"cr" if !self.in_ppr => self.push_text(" "),
            b"noBreakHyphen" => self.push_text("-"),
            _ => {}
        }
        let Some(p) = self.para.as_mut() else { return };
        match name {
            b"pStyle" if self.in_ppr => p.style = attr(e, b"val"),
            b"outlineLvl" if self.in_ppr => {
                p.outline = attr(e, b"val").and_then(|v| v.parse().ok())
            }
            b"ilvl" if self.in_ppr => {
                p.list_level = attr(e, b"val").and_then(|v| v.parse().ok()).or(Some(0))
            }
            b"numId" if self.in_ppr => {
                if attr(e, b"val").as_deref() == Some("0") {
                    p.list_level = None;
                } else {
                    p.list_level = p.list_level.or(Some(0));
                }
            }
            b"b" if self.in_rpr && !self.in_ppr => self.run_bold = Some(on(e)),
            b"rStyle" if self.in_rpr && !self.in_ppr => {
                let id = attr(e, b"val");
                self.run_style_bold = self.styles.find(id.as_deref(), |s| s.bold).unwrap_or(false)
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if SKIPPED.contains(&name) {
            self.skip = self.skip.saturating_sub(1);
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            b"p" => {
                if let Some(p) = self.para.take() {
                    self.finish_paragraph(p);
                }
            }
            b"pPr" => self.in_ppr = false,
            b"rPr" => self.in_rpr = false,
            b"t" => self.in_text = false,
            b"tr" if self.table_depth == 1 => {
                if let Some((first, text)) = self.row.take() {
                    let last = (self.lines.len() as u32).max(first);
                    self.raw.push(RawBlock {
                        kind: BlockKind::TableRow,
                        text,
                        bold: false,
                        lines: (first, last),
                        depth: 0,
                    });
                }
            }
            b"tbl" => self.table_depth = self.table_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        let Some(p) = self.para.as_mut() else { return };
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        let para_bold = self
            .styles
            .find(p.style.as_deref(), |s| s.bold)
            .unwrap_or(false);
        if self.run_bold.unwrap_or(self.run_style_bold || para_bold) {
            p.bold_chars += visible;
        } else {
            p.plain_chars += visible;
        }
        p.text.push_str(text);
        if let Some(line) = self.lines.last_mut() {
            line.push_str(text);
        }
    }

    fn finish_paragraph(&mut self, mut p: Paragraph) {
        if let Some(mut carry) = self.carry.take() {
            // The previous paragraph's mark was deleted: accepted, the two are one.
            carry.text.push_str(&p.text);
            carry.plain_chars += p.plain_chars;
            carry.bold_chars += p.bold_chars;
            carry.mark_deleted = p.mark_deleted;
            p = Paragraph {
                first: carry.first,
                ..carry
            };
        }
        if p.mark_deleted {
            self.carry = Some(p);
            return;
        }
        if let Some((_, row)) = self.row.as_mut() {
            if !row.is_empty() && !row.ends_with(' ') {
                row.push(' ');
            }
            row.push_str(&p.text);
            return;
        }
        self.emit(p);
    }

    fn emit(&mut self, p: Paragraph) {
        let styles = self.styles;
        let style = p.style.as_deref();
        let heading = p
            .outline
            .filter(|&l| l < 9)
            .map(|l| l + 1)
            .or_else(|| styles.heading_level(style));
        let listed = p.list_level.or_else(|| {
            styles
                .find(style, |s| s.numbered)
                .and_then(|numbered| numbered.then_some(0))
        });
        let (kind, depth) = match (heading, listed) {
            (Some(level), _) => (BlockKind::Heading(level.clamp(1, 6)), 0),
            (None, Some(level)) => (BlockKind::ListItem, level.saturating_add(1)),
            _ if styles.name_has(style, &["quote", "block text"]) => (BlockKind::Quote, 0),
            _ if styles.name_has(style, &["code"]) => (BlockKind::Code, 0),
            _ => (BlockKind::Paragraph, 0),
        };
        self.raw.push(RawBlock {
            kind,
            text: p.text,
            bold: p.plain_chars == 0 && p.bold_chars > 0,
            lines: (p.first, self.lines.len() as u32),
            depth,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal .docx with the given body XML and one heading style.
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        zip.start_file("word/document.xml", options).unwrap();
        write!(zip, "<w:document {w}><w:body>{body}</w:body></w:document>").unwrap();
        zip.start_file("word/styles.xml", options).unwrap();
        write!(
            zip,
            r#"<w:styles {w}><w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/></w:style><w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style></w:styles>"#
        )
        .unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn styles_numbering_tables_and_tracked_changes() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="H2"/></w:pPr><w:r><w:t>Sharing</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>Cookies</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">We </w:t></w:r><w:del w:author="a"><w:r><w:delText>do not </w:delText></w:r></w:del><w:ins w:author="a"><w:r><w:t>may</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> sell &amp; rent.</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>email</w:t></w:r></w:p>
<w:p><w:pPr><w:rPr><w:del w:author="a"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Joined </w:t></w:r></w:p>
<w:p><w:r><w:t>paragraph.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Data</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Kept</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let policy = parse("t.docx", &docx(body)).unwrap();
        let got: Vec<_> = policy
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.lines, b.depth))
            .collect();
        assert_eq!(
            got,
            [
                (BlockKind::Heading(2), "Sharing", (1, 1), 0),
                (BlockKind::Heading(7), "Cookies", (2, 2), 0),
                (BlockKind::Paragraph, "We may sell & rent.", (3, 3), 0),
                (BlockKind::ListItem, "email", (4, 4), 2),
                (BlockKind::Paragraph, "Joined paragraph.", (5, 6), 0),
                (BlockKind::TableRow, "Data | Kept", (7, 8), 0),
            ]
        );
        assert_eq!(policy.line(3), "We may sell & rent.");
        assert_eq!(policy.position(4), "paragraph 4");
    }

    #[test]
    fn broken_archive_is_refused_with_a_hint() {
        let err = parse("x.docx", b"PK\x03\x04broken")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.docx: not a readable Word document"),
            "{err}"
        );
        assert!(err.contains("save it again as .docx"), "{err}");
    }
}
