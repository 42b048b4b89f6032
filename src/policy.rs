//! The policy model: Markdown text parsed into a title and a flat list of blocks.
//!
//! A [`Block`] is one heading, paragraph, list item, table row, block quote paragraph or code
//! block, with the heading path it sits under and the source lines it came from. Two texts
//! are kept per block:
//!
//! - [`Block::text`] is the wording as written (inline markup and link targets dropped, soft
//!   wraps joined), for display;
//! - [`Block::norm`] is the comparison key: `text` with typographic quotes and spaces folded
//!   and, for headings and list items, a leading number label (`1.`, `(a)`, `iv)`) dropped.
//!   Reflowing, renumbering, changing list markers or emphasis leaves `norm` unchanged.
//!
//! Bold-only paragraphs (`**Cookies**`) act as headings, as in the seed policy. They sit below
//! every `#` level; a bold heading directly after another one nests under it, so the seed's
//! `**Information Collection and Use**` / `**General**` becomes a two-level path.
//!
//! An indented code block (four spaces in, after a paragraph rather than inside a list item)
//! is read as prose, one paragraph per run of lines between blank lines: in a policy it is
//! text that lost its list when it was edited ("**Registration**" followed by indented
//! paragraphs), which a reader of the published page still reads as the policy. Only a
//! fenced block (```` ``` ````) is code, and the practice reading skips it.
//!
//! A raw HTML block (`<p class="lead">We do not use ...</p>`, common in site generators'
//! Markdown) is read by the HTML front end ([`html`]): its paragraphs, list items, headings
//! and table rows are blocks like any other, at their lines in the Markdown file. Inline HTML
//! tags in a paragraph are dropped and the text between them kept.
//!
//! YAML front matter (`---` ... `---` or `...`, from the file's first line) is not policy
//! text: its `title` is used as the title when present, and the rest is ignored. A pair of
//! `---` lines later in the file is two thematic breaks around policy text (site generators
//! put them between sections), never a metadata block: read as one, it would drop every
//! other section.
//!
//! Other formats have front ends of their own that produce the same blocks: [`html`] (a web
//! page's main content), [`docx`] (Word, tracked changes accepted) and [`pdf`] (text in
//! reading order, running headers and footers dropped). [`load`] and [`from_bytes`] pick the
//! front end by content and extension ([`detect`]); [`markdown`] writes any policy back as
//! Markdown (`handover convert`). A block's `lines` are positions in the source's own unit,
//! named by [`SourceFormat`]: a line of a Markdown or HTML file, a paragraph of a Word
//! document, a line of the PDF's text counted over all pages (shown as page and line by
//! [`Policy::position`]). [`Policy::line`] returns the text at such a position.
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub mod detect;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;

/// The format a policy was read from; it names the unit of [`Block::lines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Markdown or plain text: positions are lines of the file.
    Markdown,
    /// An HTML page: positions are lines of the file.
    Html,
    /// A Word document: positions are paragraphs, counted from 1 in document order (table
    /// cells included).
    Docx,
    /// A PDF: positions are lines of text, counted over all pages; see [`Policy::pages`].
    Pdf,
}

impl SourceFormat {
    /// The wire name (`markdown`, `html`, `docx`, `pdf`).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Markdown => "markdown",
            SourceFormat::Html => "html",
            SourceFormat::Docx => "docx",
            SourceFormat::Pdf => "pdf",
        }
    }
}

/// Where a position (a value of [`Block::lines`]) is, for people: `line 41`,
/// `paragraph 12`, `page 3, line 14`. `pages` holds the first position of each PDF page.
pub fn position_label(format: SourceFormat, pages: &[u32], position: u32) -> String {
    match format {
        SourceFormat::Markdown | SourceFormat::Html => format!("line {position}"),
        SourceFormat::Docx => format!("paragraph {position}"),
        SourceFormat::Pdf => {
            let (page, line) = page_line(pages, position);
            format!("page {page}, line {line}")
        }
    }
}

/// The short form of [`position_label`] for margins and tables: `41`, `¶12`, `p3:14`.
pub fn short_position(format: SourceFormat, pages: &[u32], position: u32) -> String {
    match format {
        SourceFormat::Markdown | SourceFormat::Html => position.to_string(),
        SourceFormat::Docx => format!("\u{b6}{position}"),
        SourceFormat::Pdf => {
            let (page, line) = page_line(pages, position);
            format!("p{page}:{line}")
        }
    }
}

/// Page and line on that page (both 1-based) of a PDF position.
fn page_line(pages: &[u32], position: u32) -> (usize, u32) {
    let page = pages.partition_point(|&start| start <= position).max(1);
    let start = pages.get(page - 1).copied().unwrap_or(1);
    (page, position.saturating_sub(start) + 1)
}

/// A parsed policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The path as the user gave it, for messages and reports.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Front-matter title, else the first level-1 heading, else the first heading.
    pub title: Option<String>,
    /// The blocks in document order.
    pub blocks: Vec<Block>,
    /// Number of positions (lines, paragraphs) in the source, so evidence can be checked
    /// against it.
    pub line_count: u32,
    /// The format the policy was read from.
    pub format: SourceFormat,
    /// For a PDF, the first position of each page (so `pages[0] == 1`); empty otherwise.
    pub pages: Vec<u32>,
    /// The source text, for quoting lines; one line per position (for a Word document, a
    /// paragraph's text; for a PDF, a line of text).
    source: String,
    /// Byte offset of each line start in `source`.
    line_starts: Vec<usize>,
    /// [`Policy::contents_entries`], worked out once (the practice reading and the review
    /// both ask; the blocks never change after parsing).
    contents: std::sync::OnceLock<Vec<bool>>,
}

impl Policy {
    /// The text of a 1-based source line (empty past the end).
    pub fn line(&self, line: u32) -> &str {
        let Some(&start) = self.line_starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.source.len());
        self.source[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Per block, whether it is an entry of a table of contents: a list item, paragraph or
    /// table row of a few words that reads like a heading of the same policy ("- [How We
    /// Share Your Personal Data](#7-how-we-share)" beside "## 7. How We Share Your Personal
    /// Data").
    /// It names a section and states nothing, so neither the practice reading nor review
    /// changes look at it; the redline still shows it. A Markdown link to a place in the page
    /// left as written (inside an HTML table, where Markdown is not read) counts by its
    /// words: "[Data Retention](#retention)" is the entry "Data Retention".
    pub fn contents_entries(&self) -> &[bool] {
        self.contents.get_or_init(|| self.find_contents_entries())
    }

    fn find_contents_entries(&self) -> Vec<bool> {
        /// A longer block is prose that happens to repeat a heading; headings put as
        /// questions run long ("What personal, user and product data does ... collect and
        /// how does ... use and share the personal data it collects?").
        const MAX_WORDS: usize = 30;
        // Words only, without a number label or markup: "8. Cookies and Tracking
        // Technologies**" is the entry "Cookies and Tracking Technologies".
        let key = |text: &str| -> String {
            strip_number_label(&without_anchor_targets(text.trim()))
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let headings: std::collections::HashSet<String> = self
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .map(|b| key(&b.text))
            .collect();
        self.blocks
            .iter()
            .map(|b| {
                matches!(
                    b.kind,
                    BlockKind::ListItem | BlockKind::Paragraph | BlockKind::TableRow
                ) && b.text.split_whitespace().nth(MAX_WORDS).is_none()
                    && headings.contains(&key(&b.text))
            })
            .collect()
    }

    /// Where a position is, for people (see [`position_label`]).
    pub fn position(&self, position: u32) -> String {
        position_label(self.format, &self.pages, position)
    }

    /// Builds a policy from blocks made by a front end; `source` has one line per position.
    pub(crate) fn assemble(
        name: &str,
        sha256: String,
        format: SourceFormat,
        raw: Vec<RawBlock>,
        source: String,
        pages: Vec<u32>,
    ) -> Policy {
        let mut blocks = sections(raw);
        drop_lone_title(&mut blocks);
        let title = first_heading(&blocks, |l| l == 1).or_else(|| first_heading(&blocks, |_| true));
        let line_starts = line_starts(&source);
        Policy {
            path: name.to_string(),
            sha256,
            title,
            line_count: line_starts.len() as u32,
            format,
            pages,
            blocks,
            line_starts,
            source,
            contents: std::sync::OnceLock::new(),
        }
    }
}

/// A block as a front end reads it, before heading paths and comparison keys.
#[derive(Debug, Clone)]
pub(crate) struct RawBlock {
    /// Heading (with its level), paragraph, list item, table row, quote or code.
    pub kind: BlockKind,
    /// The text, white space not yet collapsed.
    pub text: String,
    /// Every visible character is bold: a paragraph that is a heading (see the module doc).
    pub bold: bool,
    /// First and last position.
    pub lines: (u32, u32),
    /// List depth, 0 outside lists.
    pub depth: u8,
}

/// Heading paths, bold-only headings and comparison keys for front-end blocks, by the same
/// rules as the Markdown builder.
fn sections(raw: Vec<RawBlock>) -> Vec<Block> {
    let mut headings: Vec<(u8, String)> = Vec::new();
    let mut last_pseudo: Option<u8> = None;
    let mut blocks = Vec::with_capacity(raw.len());
    for block in raw {
        let text = collapse_whitespace(&block.text);
        if text.is_empty() {
            continue;
        }
        let mut kind = block.kind;
        if kind == BlockKind::Paragraph
            && block.bold
            && text.split_whitespace().count() <= PSEUDO_HEADING_MAX_WORDS
        {
            let level = last_pseudo.map_or(PSEUDO_HEADING_LEVEL, |l| l.saturating_add(1));
            kind = BlockKind::Heading(level);
            last_pseudo = Some(level);
        } else {
            last_pseudo = None;
        }
        if let BlockKind::Heading(level) = kind {
            while headings.last().is_some_and(|(l, _)| *l >= level) {
                headings.pop();
            }
            headings.push((level, text.clone()));
        }
        blocks.push(Block {
            kind,
            section: headings.iter().map(|(_, t)| t.clone()).collect(),
            norm: normalise(&text, kind),
            text,
            lines: (block.lines.0, block.lines.1.max(block.lines.0)),
            depth: block.depth,
        });
    }
    blocks
}

/// Byte offset of each line start.
fn line_starts(source: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
    if starts.last() == Some(&source.len()) && !source.is_empty() {
        starts.pop();
    }
    starts
}

/// What a block is in the Markdown structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A `#` heading (level 1-6) or a bold-only paragraph (level 7 and below).
    Heading(u8),
    /// A plain paragraph.
    Paragraph,
    /// The own text of a list item (nested lists are blocks of their own).
    ListItem,
    /// One row of a table, cells joined with ` | `.
    TableRow,
    /// A paragraph inside a block quote.
    Quote,
    /// A fenced code block (an indented one is read as paragraphs: see the module docs).
    Code,
}

/// One unit of policy text.
#[derive(Debug, Clone)]
pub struct Block {
    /// Markdown structure.
    pub kind: BlockKind,
    /// Titles of the headings this block sits under; a heading's path ends with itself.
    pub section: Vec<String>,
    /// The wording as written, for display.
    pub text: String,
    /// The comparison key (see the module doc).
    pub norm: String,
    /// First and last source line, 1-based, inclusive.
    pub lines: (u32, u32),
    /// How deep in lists the block sits: 0 outside lists, 1 in a top-level item, ...
    pub depth: u8,
}

impl Block {
    /// The heading path as one string, `A > B`.
    pub fn section_label(&self) -> String {
        self.section.join(" > ")
    }
}

/// The level given to a bold-only paragraph that follows body text.
const PSEUDO_HEADING_LEVEL: u8 = 7;
/// A bold-only paragraph longer than this is emphasis, not a heading.
const PSEUDO_HEADING_MAX_WORDS: usize = 14;

/// Reads and parses a policy file of any supported format (see [`detect`]). Text formats
/// are checked by [`crate::input`]: binary files, UTF-16, bytes that are not UTF-8 (with their
/// position) and empty files are refused; a file whose content contradicts its extension is
/// refused.
pub fn load(path: &Path) -> Result<Policy> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    from_bytes(&path.display().to_string(), &bytes)
}

/// Parses policy bytes of any supported format, chosen by content and by the extension of
/// `name` ([`detect::detect`]); `name` is used in messages and reports.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Policy> {
    match detect::detect(name, bytes)? {
        SourceFormat::Markdown => {}
        SourceFormat::Html => return Ok(html::parse(name, utf8(name, bytes)?, sha256_hex(bytes))),
        SourceFormat::Docx => return docx::parse(name, bytes),
        SourceFormat::Pdf => return pdf::parse(name, bytes),
    }
    let text = utf8(name, bytes)?;
    Ok(parse(name, text, sha256_hex(bytes)))
}

/// Hex SHA-256 of a file's bytes.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The bytes as text, through the one input policy ([`crate::input::decode`]): a byte-order
/// mark is skipped; binary files, UTF-16, bytes that are not UTF-8 and empty files are
/// refused with a message that says where and what to do.
pub(crate) fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str> {
    crate::input::decode(name, crate::input::Kind::Policy, bytes)
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `text` without the targets of Markdown links to places in the page: "[Data
/// Retention](#retention)" reads "[Data Retention]".
fn without_anchor_targets(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("](#") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find("](#") {
        out.push_str(&rest[..=k]);
        let after = &rest[k + 3..];
        rest = after.find(')').map_or(after, |end| &after[end + 1..]);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Parses Markdown text (already known to be UTF-8).
pub fn parse(name: &str, text: &str, sha256: String) -> Policy {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (masked, front_matter) = split_front_matter(text);
    let mut builder = Builder::new(text);
    if let Some(yaml) = front_matter {
        builder.front_title = front_matter_title(yaml);
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(&masked, options).into_offset_iter() {
        builder.event(event, range);
    }
    builder.flush();
    drop_lone_title(&mut builder.blocks);
    let title = builder
        .front_title
        .clone()
        .or_else(|| first_heading(&builder.blocks, |l| l == 1))
        .or_else(|| first_heading(&builder.blocks, |_| true));
    Policy {
        path: name.to_string(),
        sha256,
        title,
        line_count: builder.line_starts.len() as u32,
        format: SourceFormat::Markdown,
        pages: Vec::new(),
        blocks: builder.blocks,
        line_starts: builder.line_starts,
        source: text.to_string(),
        contents: std::sync::OnceLock::new(),
    }
}

/// A single level-1 heading is the document's title: it is left out of section paths, where
/// it would only repeat itself.
fn drop_lone_title(blocks: &mut [Block]) {
    let mut h1 = blocks.iter().filter(|b| b.kind == BlockKind::Heading(1));
    let (Some(title), None) = (h1.next(), h1.next()) else {
        return;
    };
    let title = title.text.clone();
    for block in blocks.iter_mut() {
        if block.kind != BlockKind::Heading(1) && block.section.first() == Some(&title) {
            block.section.remove(0);
        }
    }
}

fn first_heading(blocks: &[Block], want: impl Fn(u8) -> bool) -> Option<String> {
    blocks.iter().find_map(|b| match b.kind {
        BlockKind::Heading(l) if want(l) => Some(b.text.clone()),
        _ => None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Container {
    Quote,
    Item,
    Table,
    Heading(u8),
    Code,
    /// An indented code block, read as paragraphs.
    Prose,
    Image,
}

/// Turns the pulldown-cmark event stream into blocks.
struct Builder<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    stack: Vec<Container>,
    buf: String,
    span: Option<(usize, usize)>,
    strong_depth: u32,
    /// Non-space characters outside and inside `**strong**` in the current buffer.
    plain_chars: usize,
    strong_chars: usize,
    headings: Vec<(u8, String)>,
    /// Level of the previous block when it was a bold-only heading.
    last_pseudo: Option<u8>,
    front_title: Option<String>,
    blocks: Vec<Block>,
    /// The raw HTML block being read: its first byte and its text.
    html: Option<(usize, String)>,
    /// The kind of the block being flushed, when the HTML front end decided it.
    forced: Option<BlockKind>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str) -> Self {
        Builder {
            source,
            line_starts: line_starts(source),
            stack: Vec::new(),
            buf: String::new(),
            span: None,
            strong_depth: 0,
            plain_chars: 0,
            strong_chars: 0,
            headings: Vec::new(),
            last_pseudo: None,
            front_title: None,
            blocks: Vec::new(),
            html: None,
            forced: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                self.flush();
                self.html = Some((range.start, String::new()));
            }
            Event::End(TagEnd::HtmlBlock) => self.html_block(),
            Event::Html(t) => {
                if let Some((_, html)) = &mut self.html {
                    html.push_str(&t);
                }
            }
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.text(&t, range),
            Event::SoftBreak | Event::HardBreak => self.push_space(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::BlockQuote(_) => {
                self.flush();
                self.stack.push(Container::Quote)
            }
            Tag::Item => {
                self.flush();
                self.stack.push(Container::Item)
            }
            Tag::List(_) | Tag::Paragraph => self.flush(),
            Tag::Table(_) => self.stack.push(Container::Table),
            Tag::TableCell if !self.buf.is_empty() => self.buf.push_str(" | "),
            Tag::Heading { level, .. } => {
                self.flush();
                self.stack.push(Container::Heading(level as u8))
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(_)) => {
                self.flush();
                self.stack.push(Container::Code)
            }
            Tag::CodeBlock(CodeBlockKind::Indented) => {
                self.flush();
                self.stack.push(Container::Prose)
            }
            Tag::Image { .. } => self.stack.push(Container::Image),
            Tag::Strong => self.strong_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock => {
                self.flush();
                self.stack.pop();
            }
            TagEnd::Paragraph | TagEnd::TableHead | TagEnd::TableRow => self.flush(),
            TagEnd::Table => {
                self.stack.pop();
            }
            TagEnd::Image => {
                self.stack.pop();
            }
            TagEnd::Strong => self.strong_depth = self.strong_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, range: std::ops::Range<usize>) {
        match self.stack.last() {
            Some(Container::Image) => return,
            Some(Container::Prose) => {
                self.prose(text, range.start);
                return;
            }
            _ => {}
        }
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.strong_depth > 0 {
            self.strong_chars += visible;
        } else {
            self.plain_chars += visible;
        }
        self.buf.push_str(text);
        self.widen_span(range.start, range.end);
    }

    /// Ends a raw HTML block: its blocks, as the HTML front end reads them, at their lines
    /// in this file.
    fn html_block(&mut self) {
        let Some((start, html)) = self.html.take() else {
            return;
        };
        let first = self.line_of(start);
        for raw in html::fragment_blocks(&html) {
            let line = |l: u32| (first + l.max(1) - 1) as usize;
            let span = self.lines_span(line(raw.lines.0), line(raw.lines.1), start);
            let visible = raw.text.chars().filter(|c| !c.is_whitespace()).count();
            if raw.bold {
                self.strong_chars = visible;
            } else {
                self.plain_chars = visible;
            }
            self.buf = raw.text;
            self.span = Some(span);
            self.forced = Some(raw.kind);
            self.flush();
            self.forced = None;
        }
    }

    /// Text of an indented code block read as prose: one paragraph per run of lines between
    /// blank lines. Its lines stand one to one for the source lines from `start` on (only the
    /// indent is gone), which gives each paragraph its source span.
    fn prose(&mut self, text: &str, start: usize) {
        let mut line = self.line_of(start) as usize;
        for piece in text.split_inclusive('\n') {
            if piece.trim().is_empty() {
                self.flush();
            } else {
                let (from, to) = self.lines_span(line, line, start);
                self.push_space();
                self.buf.push_str(piece);
                self.widen_span(from, to);
            }
            if piece.ends_with('\n') {
                line += 1;
            }
        }
    }

    /// The bytes of source lines `first` to `last` (1-based), without the last line break;
    /// from `fallback` when the lines are out of range.
    fn lines_span(&self, first: usize, last: usize, fallback: usize) -> (usize, usize) {
        let from = self
            .line_starts
            .get(first.saturating_sub(1))
            .copied()
            .unwrap_or(fallback);
        let to = self
            .line_starts
            .get(last)
            .copied()
            .unwrap_or(self.source.len())
            .saturating_sub(1)
            .max(from + 1);
        (from, to)
    }

    /// Grows the current block's span to take in `from..to`.
    fn widen_span(&mut self, from: usize, to: usize) {
        self.span = Some(match self.span {
            Some((s, e)) => (s.min(from), e.max(to)),
            None => (from, to),
        });
    }

    fn push_space(&mut self) {
        if !self.buf.is_empty() {
            self.buf.push(' ');
        }
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset) as u32
    }

    fn kind(&self) -> BlockKind {
        if let Some(kind) = self.forced {
            return kind;
        }
        let mut kind = BlockKind::Paragraph;
        for c in self.stack.iter().rev() {
            match c {
                Container::Heading(l) => return BlockKind::Heading(*l),
                Container::Table => return BlockKind::TableRow,
                Container::Code => return BlockKind::Code,
                Container::Item => return BlockKind::ListItem,
                Container::Quote => kind = BlockKind::Quote,
                _ => {}
            }
        }
        kind
    }

    /// Ends the current block, if it has any text.
    fn flush(&mut self) {
        let text = collapse_whitespace(&self.buf);
        let span = self.span.take();
        let (plain, strong) = (self.plain_chars, self.strong_chars);
        self.buf.clear();
        self.plain_chars = 0;
        self.strong_chars = 0;
        let Some((start, end)) = span else { return };
        if text.is_empty() {
            return;
        }
        let mut kind = self.kind();
        if kind == BlockKind::Paragraph
            && plain == 0
            && strong > 0
            && text.split_whitespace().count() <= PSEUDO_HEADING_MAX_WORDS
        {
            kind = BlockKind::Heading(match self.last_pseudo {
                Some(l) => l.saturating_add(1),
                None => PSEUDO_HEADING_LEVEL,
            });
            self.last_pseudo = match kind {
                BlockKind::Heading(l) => Some(l),
                _ => None,
            };
        } else {
            self.last_pseudo = None;
        }
        if let BlockKind::Heading(level) = kind {
            while self.headings.last().is_some_and(|(l, _)| *l >= level) {
                self.headings.pop();
            }
            self.headings.push((level, text.clone()));
        }
        let norm = normalise(&text, kind);
        let end = end.max(start + 1).min(self.source.len().max(1));
        self.blocks.push(Block {
            kind,
            section: self.headings.iter().map(|(_, t)| t.clone()).collect(),
            norm,
            text,
            lines: (self.line_of(start), self.line_of(end - 1)),
            depth: self
                .stack
                .iter()
                .filter(|c| **c == Container::Item)
                .count()
                .min(u8::MAX as usize) as u8,
        });
    }
}

/// The text with its YAML front matter (a `---` first line up to the next `---` or `...`
/// line) blanked out, byte for byte, so that offsets and line numbers stay those of the
/// file; and the front matter's YAML. Text without a closed front matter is returned as is.
fn split_front_matter(text: &str) -> (std::borrow::Cow<'_, str>, Option<&str>) {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return (std::borrow::Cow::Borrowed(text), None);
    }
    let mut at = first_end;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let line = text[at..end].trim_end();
        if line == "---" || line == "..." {
            let yaml = &text[first_end..at];
            let blanked: String = text[..end]
                .chars()
                .flat_map(|c| {
                    let n = if c == '\n' { 0 } else { c.len_utf8() };
                    std::iter::repeat_n(' ', n).chain((c == '\n').then_some('\n'))
                })
                .collect();
            return (std::borrow::Cow::Owned(blanked + &text[end..]), Some(yaml));
        }
        at = end;
    }
    (std::borrow::Cow::Borrowed(text), None)
}

fn front_matter_title(yaml: &str) -> Option<String> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).ok()?;
    value.get("title")?.as_str().map(|s| s.trim().to_string())
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The comparison key of a block's text; see the module doc.
pub(crate) fn normalise(text: &str, kind: BlockKind) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}' => out.push('"'),
            '\u{a0}' | '\u{202f}' | '\u{2007}' => out.push(' '),
            '\u{2026}' => out.push_str("..."),
            '\u{200b}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
    let out = collapse_whitespace(&out);
    match kind {
        BlockKind::Heading(_) | BlockKind::ListItem => {
            let rest = strip_number_label(&out);
            let rest = rest.trim_end_matches(':');
            if rest.is_empty() {
                out
            } else {
                rest.to_string()
            }
        }
        _ => out,
    }
}

/// Drops a leading number label (see [`number_label`]) and the space after it.
fn strip_number_label(s: &str) -> &str {
    match number_label(s) {
        Some(label) => s[label.len()..].trim_start(),
        None => s,
    }
}

/// The number label a block or clause starts with: `1.`, `1.2`, `(a)`, `b)`, `iv.`,
/// `2.1(h)(ii)`; `None` for ordinary words, years ("2023 Update") and abbreviations ("e.g.").
/// The redline drops it from headings and list items (renumbering is no change); practice
/// extraction reads `2.1(h)(i)` as a sub-clause of `2.1(h)`.
pub(crate) fn number_label(s: &str) -> Option<&str> {
    let label = s.split_once(' ')?.0;
    if label.len() > 16 {
        return None;
    }
    let inner = label.strip_prefix('(').unwrap_or(label);
    let (core, closed) = match inner.strip_suffix(['.', ')']) {
        Some(core) => (core, true),
        None => (inner, false),
    };
    let numeric = !core.is_empty()
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    let dotted = core.contains('.');
    let roman = core.len() <= 5 && !core.is_empty() && core.bytes().all(|b| b"ivxlc".contains(&b));
    let letter = core.len() == 1 && core.bytes().all(|b| b.is_ascii_lowercase());
    // Nested clause numbers: 2.1(h), 3.2(b)(ii).
    let nested = label.contains('(')
        && label.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && label
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b"().".contains(&b));
    let is_label = (numeric && (closed || dotted)) || ((roman || letter) && closed) || nested;
    is_label.then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Policy {
        parse("t.md", text, String::new())
    }

    #[test]
    fn bold_paragraphs_are_headings_and_nest() {
        let policy = p("# T\n\n**Info**\n\n**General**\n\n* We collect email.\n\n**Cookies**\n\nWe set cookies.\n");
        let kinds: Vec<_> = policy.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(1),
                BlockKind::Heading(7),
                BlockKind::Heading(8),
                BlockKind::ListItem,
                BlockKind::Heading(7),
                BlockKind::Paragraph
            ]
        );
        assert_eq!(policy.blocks[3].section, ["Info", "General"]);
        assert_eq!(policy.blocks[5].section, ["Cookies"]);
        assert_eq!(policy.blocks[5].lines, (11, 11));
    }

    #[test]
    fn an_indented_block_is_read_as_paragraphs_and_a_fenced_one_as_code() {
        let policy = p("**Registration**\n\n    You register with your account.\n    We read your name and email address.\n\n    You can manage these data.\n\n```\ncode();\n```\n");
        let blocks: Vec<_> = policy
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.lines))
            .collect();
        assert_eq!(
            blocks,
            [
                (BlockKind::Heading(7), "Registration", (1, 1)),
                (
                    BlockKind::Paragraph,
                    "You register with your account. We read your name and email address.",
                    (3, 4)
                ),
                (BlockKind::Paragraph, "You can manage these data.", (6, 6)),
                (BlockKind::Code, "code();", (9, 9)),
            ]
        );
    }

    #[test]
    fn reflow_markers_and_emphasis_do_not_change_norm() {
        let a = p("- We *collect* your [email](http://a)\n  address.\n");
        let b = p("1. We collect your **email** address.\n");
        assert_eq!(a.blocks[0].norm, b.blocks[0].norm);
        assert_eq!(a.blocks[0].lines, (1, 2));
    }

    #[test]
    fn number_labels() {
        assert_eq!(strip_number_label("1. Intro"), "Intro");
        assert_eq!(strip_number_label("2.3 Intro"), "Intro");
        assert_eq!(strip_number_label("(iv) to contact"), "to contact");
        assert_eq!(strip_number_label("2023 Update"), "2023 Update");
        assert_eq!(strip_number_label("I agree"), "I agree");
        assert_eq!(strip_number_label("2.1(h)(ii) to contact"), "to contact");
        assert_eq!(number_label("e.g. this"), None);
        assert_eq!(number_label("3.2(b) Sharing"), Some("3.2(b)"));
    }

    #[test]
    fn dashes_between_sections_are_breaks_not_front_matter() {
        let policy = p(
            "---\ntitle: Privacy\n---\n\n# Privacy\n\nWe collect your name.\n\n---\n\
                        ## Retention\n\nWe keep it for a year.\n\n---\n## Sharing\n\n\
                        We share it with nobody.\n",
        );
        assert_eq!(policy.title.as_deref(), Some("Privacy"));
        let texts: Vec<_> = policy.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Privacy",
                "We collect your name.",
                "Retention",
                "We keep it for a year.",
                "Sharing",
                "We share it with nobody."
            ]
        );
        // Lines are still those of the file, front matter counted.
        assert_eq!(policy.blocks[1].lines, (7, 7));
    }

    #[test]
    fn front_matter_title_and_nested_lists() {
        let policy = p("---\ntitle: GitHub Privacy\n---\n\n- a item\n  - nested item\n");
        assert_eq!(policy.title.as_deref(), Some("GitHub Privacy"));
        let texts: Vec<_> = policy.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["a item", "nested item"]);
    }

    #[test]
    fn binary_and_bad_utf8_are_refused() {
        assert!(matches!(
            from_bytes("x", b"a\0b"),
            Err(Error::BadText { .. })
        ));
        let err = from_bytes("x", b"ok\nbad \xff").unwrap_err().to_string();
        assert!(err.contains("line 2, column 5"), "{err}");
    }
}
