//! The Word redline of a [`PolicyDiff`]: the new policy as a `.docx` in which every change is
//! a real tracked change, so a lawyer can accept or reject each one in Word or LibreOffice.
//!
//! The document opens with the verdict and a table of the practice changes (grouped as in
//! the HTML report, material first, with evidence and positions), then, after a page break
//! and the heading [`POLICY_HEADING`], the policy block by block from the full-document rows
//! of the redline ([`crate::redline::Row`]):
//!
//! | row | markup |
//! |---|---|
//! | same | plain runs |
//! | modified | word-level `w:del` (with `w:delText`) and `w:ins` runs |
//! | inserted | runs in `w:ins`, and the paragraph mark inserted (`w:pPr/w:rPr/w:ins`) |
//! | deleted | runs in `w:del`, and the paragraph mark deleted, so accepting removes it whole |
//! | moved | `w:moveFrom` at the old place and `w:moveTo` at the new one, in named ranges (`move{n}`) that Word shows as a linked move |
//!
//! Each revision carries `w:author` (the `--author`, else `handover`) and `w:date` (the
//! shared clock). Accept all and the body after the heading is the new policy's text; reject
//! all and it is the old one's. Word-level edits are computed on the comparison text
//! ([`crate::policy::Block::norm`]), so in an edited paragraph typographic quotes read
//! straight. Headings use the built-in `Heading 1`-`Heading 6` styles (bold-only headings are
//! bold paragraphs), list items a bulleted list by depth, table rows one paragraph each with
//! cells separated by ` | ` (a tracked change inside a real Word table is left for later).
//! Track changes is switched on in the document's settings, so a reviewer's edits are
//! tracked too. The archive is written with fixed timestamps: the same input gives the same
//! bytes.
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::compare::PracticeChange;
use crate::diff::{DocInfo, PolicyDiff};
use crate::policy::{number_label, Block, BlockKind, Policy};
use crate::redline::{Row, RowKind, WordOpKind};
use crate::render::sanitize;

/// The heading after which the document is the policy itself.
pub const POLICY_HEADING: &str = "The new policy, with changes tracked";

/// Who and when the tracked changes are by.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The author shown on each change.
    pub author: String,
    /// RFC 3339 time in UTC, without fractions (`2026-11-30T09:00:00Z`).
    pub date: String,
}

/// Writes the redline as a `.docx`.
pub fn diff(
    diff: &PolicyDiff,
    old: &Policy,
    new: &Policy,
    revision: &Revision,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut doc = Doc {
        body: String::with_capacity(64 * 1024),
        next_id: 1,
        revision,
    };
    doc.summary(diff);
    doc.policy(diff, old, new);
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\"><w:body>{}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" \
         w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
        doc.body
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created></cp:coreProperties>",
        x(&format!("Redline: {} \u{2192} {}", diff.old.path, diff.new.path)),
        x(&revision.author),
        x(&revision.date)
    );
    let parts: [(&str, &str); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", &core),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/numbering.xml", NUMBERING),
        ("word/settings.xml", SETTINGS),
    ];
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in parts {
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    let bytes = zip.finish().map_err(io::Error::other)?.into_inner();
    out.write_all(&bytes)
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

struct Doc<'a> {
    body: String,
    next_id: u32,
    revision: &'a Revision,
}

impl Doc<'_> {
    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// ` w:id="7" w:author="..." w:date="..."` for a new revision.
    fn stamp(&mut self) -> String {
        let id = self.id();
        format!(
            " w:id=\"{id}\" w:author=\"{}\" w:date=\"{}\"",
            x(&self.revision.author),
            x(&self.revision.date)
        )
    }

    fn para(&mut self, style: Option<&str>, runs: &str) {
        let style = style
            .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
            .unwrap_or_default();
        let _ = write!(self.body, "<w:p>{style}{runs}</w:p>");
    }

    fn summary(&mut self, diff: &PolicyDiff) {
        self.para(
            Some("Title"),
            &run(
                &format!("Redline: {} \u{2192} {}", diff.old.path, diff.new.path),
                false,
            ),
        );
        let verdict = match super::html::verdict_key(diff) {
            "material" => "MATERIAL CHANGE",
            "changed" => "Practices changed, none material",
            "wording" => "Wording only",
            _ => "Identical",
        };
        let runs = format!(
            "{}{}",
            run(&format!("Verdict: {verdict}. "), true),
            run(&diff.verdict.summary, false)
        );
        self.para(None, &runs);
        let docs = format!(
            "Old: {}. New: {}. Every change to the text below is a tracked change by {}: accept or reject each in Review.",
            doc_label(&diff.old),
            doc_label(&diff.new),
            self.revision.author
        );
        self.para(None, &run(&docs, false));
        let n = diff.practice_changes.len();
        self.para(
            Some("Heading1"),
            &run(&format!("Practice changes ({n})"), false),
        );
        if n == 0 {
            self.para(None, &run("No data practice changed.", false));
        } else {
            self.practice_table(diff);
        }
        self.body
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        self.para(Some("Heading1"), &run(POLICY_HEADING, false));
    }

    fn practice_table(&mut self, diff: &PolicyDiff) {
        // Twips across an A4 page inside 2 cm margins (9638 in all).
        let widths = WIDTHS;
        let mut table = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        );
        for w in widths {
            let _ = write!(table, "<w:gridCol w:w=\"{w}\"/>");
        }
        table.push_str("</w:tblGrid>");
        let header = ["Category", "Change", "What", "Evidence"].map(|h| vec![run(h, true)]);
        table.push_str(&table_row(&header, true));
        let full: u32 = WIDTHS.iter().sum();
        for (title, changes) in super::practice_groups(&diff.practice_changes) {
            let _ = write!(
                table,
                "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"{full}\" w:type=\"dxa\"/><w:gridSpan w:val=\"4\"/><w:shd w:val=\"clear\" w:fill=\"EDEFF2\"/></w:tcPr>\
                 <w:p>{}</w:p></w:tc></w:tr>",
                run(&format!("{title} ({})", changes.len()), true)
            );
            for change in changes {
                table.push_str(&table_row(&practice_cells(change, diff), false));
            }
        }
        table.push_str("</w:tbl>");
        self.body.push_str(&table);
    }

    fn policy(&mut self, diff: &PolicyDiff, old: &Policy, new: &Policy) {
        for row in &diff.rows {
            let ob = row.old.and_then(|i| old.blocks.get(i));
            let nb = row.new.and_then(|j| new.blocks.get(j));
            self.block(row, ob, nb, diff);
        }
    }

    fn block(&mut self, row: &Row, ob: Option<&Block>, nb: Option<&Block>, diff: &PolicyDiff) {
        let words = row
            .change
            .and_then(|c| diff.text_changes.get(c))
            .map(|c| c.words.as_slice())
            .unwrap_or(&[]);
        let shown = if row.kind == RowKind::MovedFrom {
            ob
        } else {
            nb.or(ob)
        };
        let Some(block) = shown else { return };
        let bold = matches!(block.kind, BlockKind::Heading(l) if l > 6);
        let (style, numbering) = paragraph_style(block);
        let move_name = format!("move{}", row.old.unwrap_or(0));
        let mut mark = String::new();
        let mut runs = String::new();
        match row.kind {
            RowKind::Same => runs = run(&block.text, bold),
            RowKind::Modified => {
                let Some(n) = nb else { return };
                runs.push_str(&label_run(n, bold));
                for op in words {
                    match op.op {
                        WordOpKind::Equal => runs.push_str(&run(&op.text, bold)),
                        WordOpKind::Insert => {
                            let stamp = self.stamp();
                            let _ = write!(runs, "<w:ins{stamp}>{}</w:ins>", run(&op.text, bold));
                        }
                        WordOpKind::Delete => {
                            let stamp = self.stamp();
                            let _ =
                                write!(runs, "<w:del{stamp}>{}</w:del>", del_run(&op.text, bold));
                        }
                    }
                }
            }
            RowKind::Inserted => {
                mark = format!("<w:ins{}/>", self.stamp());
                let stamp = self.stamp();
                runs = format!("<w:ins{stamp}>{}</w:ins>", run(&block.text, bold));
            }
            RowKind::Deleted => {
                mark = format!("<w:del{}/>", self.stamp());
                let stamp = self.stamp();
                runs = format!("<w:del{stamp}>{}</w:del>", del_run(&block.text, bold));
            }
            RowKind::MovedFrom => {
                mark = format!("<w:moveFrom{}/>", self.stamp());
                let range = self.stamp();
                let id = self.next_id;
                let stamp = self.stamp();
                runs = format!(
                    "<w:moveFromRangeStart{range} w:name=\"{move_name}\"/><w:moveFrom{stamp}>{}</w:moveFrom><w:moveFromRangeEnd w:id=\"{id}\"/>",
                    run(&block.text, bold)
                );
            }
            RowKind::MovedTo => {
                mark = format!("<w:moveTo{}/>", self.stamp());
                let range = self.stamp();
                let id = self.next_id;
                let stamp = self.stamp();
                runs = format!(
                    "<w:moveToRangeStart{range} w:name=\"{move_name}\"/><w:moveTo{stamp}>{}</w:moveTo><w:moveToRangeEnd w:id=\"{id}\"/>",
                    run(&block.text, bold)
                );
            }
        }
        let mut ppr = String::new();
        if let Some(style) = style {
            let _ = write!(ppr, "<w:pStyle w:val=\"{style}\"/>");
        }
        if let Some(level) = numbering {
            let _ = write!(
                ppr,
                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr>"
            );
        }
        if !mark.is_empty() {
            let _ = write!(ppr, "<w:rPr>{mark}</w:rPr>");
        }
        let ppr = if ppr.is_empty() {
            ppr
        } else {
            format!("<w:pPr>{ppr}</w:pPr>")
        };
        let _ = write!(self.body, "<w:p>{ppr}{runs}</w:p>");
    }
}

/// The paragraph style and list level of a block.
fn paragraph_style(block: &Block) -> (Option<String>, Option<u8>) {
    match block.kind {
        BlockKind::Heading(l) if l <= 6 => (Some(format!("Heading{l}")), None),
        BlockKind::ListItem => (Some("ListBullet".into()), Some(block.depth.clamp(1, 6) - 1)),
        BlockKind::Quote => (Some("Quote".into()), None),
        BlockKind::Code => (Some("SourceCode".into()), None),
        _ => (None, None),
    }
}

/// The new block's number label (`2.1`, `(a)`), which the word-level edits leave out since
/// renumbering is no change.
fn label_run(new: &Block, bold: bool) -> String {
    match number_label(&new.text) {
        Some(label) if !new.norm.starts_with(label) => run(&format!("{label} "), bold),
        _ => String::new(),
    }
}

fn practice_cells(change: &PracticeChange, diff: &PolicyDiff) -> [Vec<String>; 4] {
    let mut what = vec![run(&change.summary, change.material)];
    if !change.data_types.is_empty() {
        what.push(run(
            &format!("Data: {}", change.data_types.join(", ")),
            false,
        ));
    }
    let kind = if change.material {
        format!("{}, material", change.kind.as_str())
    } else {
        change.kind.as_str().to_string()
    };
    let mut evidence = Vec::new();
    for (side, list, doc) in [
        ("old", &change.old, &diff.old),
        ("new", &change.new, &diff.new),
    ] {
        for e in list {
            evidence.push(format!(
                "{}{}",
                run(&format!("{side}, {}: ", doc.label(e.line)), true),
                run(&e.text, false)
            ));
        }
    }
    [
        vec![run(change.category.as_str(), false)],
        vec![run(&kind, change.material)],
        what,
        evidence,
    ]
}

/// Widths of the summary table's columns, in twips: category, change, what, evidence.
const WIDTHS: [u32; 4] = [1350, 1450, 2800, 4038];

/// A table row; each cell holds paragraphs of runs.
fn table_row(cells: &[Vec<String>], header: bool) -> String {
    let mut out = String::from("<w:tr>");
    if header {
        out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
    }
    for (paragraphs, width) in cells.iter().zip(WIDTHS) {
        let _ = write!(
            out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
        );
        if paragraphs.is_empty() {
            out.push_str("<w:p/>");
        }
        for runs in paragraphs {
            let _ = write!(out, "<w:p>{runs}</w:p>");
        }
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr>");
    out
}

fn doc_label(doc: &DocInfo) -> String {
    match &doc.title {
        Some(title) => format!("{} ({title})", doc.path),
        None => doc.path.clone(),
    }
}

fn rpr(bold: bool) -> &'static str {
    if bold {
        "<w:rPr><w:b/></w:rPr>"
    } else {
        ""
    }
}

fn run(text: &str, bold: bool) -> String {
    format!(
        "<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        rpr(bold),
        x(text)
    )
}

fn del_run(text: &str, bold: bool) -> String {
    format!(
        "<w:r>{}<w:delText xml:space=\"preserve\">{}</w:delText></w:r>",
        rpr(bold),
        x(text)
    )
}

/// Escapes text for XML; characters XML 1.0 forbids (controls) are dropped.
fn x(text: &str) -> String {
    let text = sanitize(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/></Relationships>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:trackRevisions/><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const STYLES: &str = include_str!("docx-styles.xml");

const NUMBERING: &str = include_str!("docx-numbering.xml");
