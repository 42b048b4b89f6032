//! The PDF front end: the text of a PDF in reading order, as policy blocks positioned by page
//! and line.
//!
//! `pdf-extract` (on `lopdf`) decodes the content streams and fonts and reports every glyph
//! with its position and size; it does not itself order text, find paragraphs or drop page
//! furniture, so this module does:
//!
//! - **Lines and reading order**: glyphs on one baseline form a line; each page's lines are
//!   read top to bottom, left to right. One column only: a two-column page reads across both
//!   columns line by line.
//! - **Running headers, footers and page numbers** are dropped: a line among the first or
//!   last two of a page that recurs there (digits ignored) on at least half the pages (two
//!   or more), and a line at the top or bottom of a page that is only a page number
//!   (`3`, `- 3 -`, `Page 3 of 9`, `3/9`).
//! - **Paragraphs** end at a vertical gap wider than usual, a change of font size or weight,
//!   a bullet or number label, or a page break, except that a sentence running on to the
//!   next page (no closing punctuation, and the next line starts in lower case or its first
//!   word would not have fitted on the last one) continues. A bold line starting with a number (`3. Sharing`) is a
//!   numbered heading, not a list item.
//! - **Hyphenation** is joined: a line ending in a hyphen after a letter, followed by a
//!   lower-case word, is one word without the hyphen, unless the hyphenated form
//!   (`third-party`) appears elsewhere in the document or the word is an address or link
//!   (`privacy@sakura-travel.example`), then it keeps it. A compound that is split at its
//!   own hyphen and written nowhere else whole loses its hyphen: the break is ambiguous.
//! - **Headings** are lines in a larger font than the body text (the most common size);
//!   larger sizes are higher levels. A paragraph set wholly in a bold font is a bold-only
//!   heading, as in Markdown: `pdf-extract` reports glyph sizes but not fonts, so the fonts
//!   come from a pass of our own over each page's content stream with `lopdf` (the font
//!   selected at each text-showing operator, bold when its `BaseFont` name says `Bold`,
//!   `Black`, `Heavy` or `Semibold`), matched to pdf-extract's words in order; on a page
//!   where the two counts disagree (text in form XObjects) bold is not used.
//! - **List items** start with a bullet (`•`, `◦`, `▪`, `-`, ...), which is dropped, or a
//!   number label; their depth follows their indentation.
//! - **Positions** are lines of text counted over the whole document, headers included;
//!   [`Policy::position`] shows them as page and line, [`Policy::pages`] maps them.
//!
//! pdf-extract panics on some malformed fonts and objects; [`parse`] catches that and
//! refuses the file (exit 2) instead, without the panic message on the terminal.
//!
//! Not handled: tables (each row reads as lines of text), multi-column layouts, text in
//! images (scans have no text layer and are refused), right-to-left scripts, and encrypted
//! PDFs that need a password.
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::error::{Error, Result};
use crate::policy::{number_label, BlockKind, Policy, RawBlock, SourceFormat};

/// Parses a PDF into a policy.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Policy> {
    let fail =
        |what: &str, hint: &str, source: Option<Box<dyn std::error::Error + Send + Sync>>| {
            Error::Document {
                path: name.into(),
                what: what.to_string(),
                hint: hint.to_string(),
                source,
            }
        };
    const RESAVE: &str = "export the policy to PDF again (or as .docx or HTML) and try again";
    let mut doc = pdf_extract::Document::load_mem(bytes)
        .map_err(|e| fail("not a readable PDF", RESAVE, Some(Box::new(e))))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(fail(
            "the PDF is encrypted with a password",
            "save an unprotected copy and try again",
            None,
        ));
    }
    let mut collector = Collector {
        bold_plan: bold_plan(&doc),
        ..Collector::default()
    };
    // pdf-extract panics on malformed fonts and objects; that is bad input, not a crash of
    // ours: it becomes an error, without the panic message on the terminal.
    quiet_panics_while_extracting();
    EXTRACTING.with(|e| e.set(true));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut collector)
    }));
    EXTRACTING.with(|e| e.set(false));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            return Err(fail(
                "the PDF's text cannot be extracted",
                RESAVE,
                Some(format!("{e:?}").into()),
            ))
        }
        Err(_) => {
            return Err(fail(
                "the PDF's text cannot be extracted (its fonts or content are malformed)",
                RESAVE,
                None,
            ))
        }
    }
    let pages = collector.finish();
    if pages.iter().all(|p| p.is_empty()) {
        return Err(fail(
            "the PDF has no text layer (is it a scan?)",
            "run OCR on it (e.g. ocrmypdf) or get the policy as text, and try again",
            None,
        ));
    }
    let (raw, source, starts) = Layout::new(pages).blocks();
    let sha256 = crate::policy::sha256_hex(bytes);
    Ok(Policy::assemble(
        name,
        sha256,
        SourceFormat::Pdf,
        raw,
        source,
        starts,
    ))
}

thread_local! {
    /// This thread is inside pdf-extract, whose panics [`parse`] catches.
    static EXTRACTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics on a thread inside pdf-extract
/// (they are caught and reported as a [`Error::Document`]) and passes every other panic to
/// the hook that was there before.
fn quiet_panics_while_extracting() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXTRACTING.with(|e| e.get()) {
                previous(info);
            }
        }));
    });
}

/// One line of text on a page.
#[derive(Debug, Clone)]
struct Line {
    /// Baseline, from the top of the page.
    y: f64,
    /// Left edge.
    x: f64,
    /// Right edge of the last glyph.
    right: f64,
    /// Font size (the largest on the line).
    size: f64,
    text: String,
    /// A running header, footer or page number.
    running: bool,
    /// Visible characters in a bold font, and in others.
    bold_chars: usize,
    plain_chars: usize,
}

/// Per page number, whether each text-showing string of the content stream is in a bold font.
fn bold_plan(doc: &pdf_extract::Document) -> HashMap<u32, Vec<bool>> {
    let mut plan = HashMap::new();
    for (number, id) in doc.get_pages() {
        let fonts = doc.get_page_fonts(id).unwrap_or_default();
        let bold: HashMap<Vec<u8>, bool> = fonts
            .iter()
            .map(|(name, font)| {
                let base = font
                    .get(b"BaseFont")
                    .and_then(|o| o.as_name())
                    .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
                    .unwrap_or_default();
                let heavy = ["bold", "black", "heavy", "semibold"]
                    .iter()
                    .any(|w| base.contains(w));
                (name.clone(), heavy)
            })
            .collect();
        let Ok(content) = doc.get_and_decode_page_content(id) else {
            continue;
        };
        let mut current = false;
        let mut shows = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    current = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| bold.get(n).copied())
                        .unwrap_or(false)
                }
                "Tj" | "'" | "\"" => shows.push(current),
                "TJ" => {
                    if let Some(Ok(array)) = op.operands.first().map(|o| o.as_array()) {
                        let strings = array.iter().filter(|e| e.as_str().is_ok()).count();
                        shows.extend(std::iter::repeat_n(current, strings));
                    }
                }
                _ => {}
            }
        }
        plan.insert(number, shows);
    }
    plan
}

/// Receives glyphs from pdf-extract and gathers them into lines per page.
#[derive(Default)]
struct Collector {
    pages: Vec<Vec<Line>>,
    current: Vec<Line>,
    flip: Option<Transform>,
    /// From [`bold_plan`]: per page, the boldness of each text-showing string.
    bold_plan: HashMap<u32, Vec<bool>>,
    page: u32,
    /// How many strings pdf-extract has shown on this page.
    shows: usize,
    bold: bool,
}

impl Collector {
    fn finish(mut self) -> Vec<Vec<Line>> {
        if !self.current.is_empty() {
            self.pages.push(std::mem::take(&mut self.current));
        }
        self.pages.into_iter().map(order).collect()
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flip = Some(Transform::row_major(
            1.,
            0.,
            0.,
            -1.,
            0.,
            media_box.ury - media_box.lly,
        ));
        self.current.clear();
        self.page = page;
        self.shows = 0;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let mut lines = std::mem::take(&mut self.current);
        let planned = self.bold_plan.get(&self.page).map_or(0, Vec::len);
        if planned != self.shows {
            // Our count of strings and pdf-extract's disagree: do not trust the fonts here.
            for line in &mut lines {
                line.plain_chars += line.bold_chars;
                line.bold_chars = 0;
            }
        }
        self.pages.push(lines);
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        glyph: &str,
    ) -> Result<(), OutputError> {
        let flip = self.flip.unwrap_or_else(Transform::identity);
        let at = trm.post_transform(&flip);
        // The font size as drawn: the glyph square through the text matrix, as pdf-extract's
        // own text output measures it.
        let (sx, sy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (sx * sy).abs().sqrt().max(0.1);
        let (x, y) = (at.m31, at.m32);
        let same_line = self.current.last().is_some_and(|l| {
            (l.y - y).abs() <= size * 0.5 && x >= l.right - size * 0.5 && x <= l.right + size * 8.0
        });
        if !same_line {
            self.current.push(Line {
                y,
                x,
                right: x,
                size,
                text: String::new(),
                running: false,
                bold_chars: 0,
                plain_chars: 0,
            });
        }
        let line = self.current.last_mut().expect("a line was just pushed");
        if x > line.right + size * 0.1 && !line.text.is_empty() && !line.text.ends_with(' ') {
            line.text.push(' ');
        }
        line.text.push_str(glyph);
        let visible = glyph.chars().filter(|c| !c.is_whitespace()).count();
        if self.bold {
            line.bold_chars += visible;
        } else {
            line.plain_chars += visible;
        }
        line.right = x + width * size;
        line.size = line.size.max(size);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        // pdf-extract begins a word for each string it shows, in content-stream order.
        self.bold = self
            .bold_plan
            .get(&self.page)
            .and_then(|plan| plan.get(self.shows))
            .copied()
            .unwrap_or(false);
        self.shows += 1;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Sorts a page's lines top to bottom, then left to right, and merges pieces of one baseline.
fn order(mut lines: Vec<Line>) -> Vec<Line> {
    lines.retain(|l| !l.text.trim().is_empty());
    lines.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        match out.last_mut() {
            Some(last) if (last.y - line.y).abs() <= line.size.min(last.size) * 0.3 => {
                if !last.text.ends_with(' ') {
                    last.text.push(' ');
                }
                last.text.push_str(line.text.trim_start());
                last.right = last.right.max(line.right);
                last.size = last.size.max(line.size);
                last.bold_chars += line.bold_chars;
                last.plain_chars += line.plain_chars;
            }
            _ => out.push(line),
        }
    }
    for line in &mut out {
        line.text = crate::policy::collapse_whitespace(&line.text);
    }
    out
}

/// Page furniture, paragraphs, headings and lists over all pages.
struct Layout {
    pages: Vec<Vec<Line>>,
}

/// Bullets that start a list item.
const BULLETS: &[char] = &[
    '•', '◦', '▪', '▫', '‣', '⁃', '●', '○', '■', '□', '·', '-', '–', '*',
];

impl Layout {
    fn new(mut pages: Vec<Vec<Line>>) -> Self {
        mark_running(&mut pages);
        Layout { pages }
    }

    /// The blocks, the text (one line per position) and the first position of each page.
    fn blocks(self) -> (Vec<RawBlock>, String, Vec<u32>) {
        let mut source = String::new();
        let mut starts = Vec::with_capacity(self.pages.len());
        // (position, page index, line) of each line that is policy text.
        let mut body: Vec<(u32, usize, &Line)> = Vec::new();
        let mut position = 0u32;
        for (p, page) in self.pages.iter().enumerate() {
            starts.push(position + 1);
            for line in page {
                position += 1;
                source.push_str(&line.text);
                source.push('\n');
                if !line.running {
                    body.push((position, p, line));
                }
            }
        }
        let body_size = most_common_size(body.iter().map(|(_, _, l)| *l));
        let gap = usual_gap(&body, body_size);
        let heading_sizes = heading_sizes(body.iter().map(|(_, _, l)| *l), body_size);
        let vocabulary = hyphenated_words(&body);
        // The right edge of body text: where a full line ends.
        let full_width = body
            .iter()
            .filter(|(_, _, l)| round_size(l.size) == round_size(body_size))
            .map(|(_, _, l)| l.right)
            .fold(0.0, f64::max);
        let list_x = body
            .iter()
            .filter(|(_, _, l)| list_marker(&l.text).is_some())
            .map(|(_, _, l)| l.x)
            .fold(f64::INFINITY, f64::min);

        let mut raw: Vec<RawBlock> = Vec::new();
        let mut previous: Option<(usize, &Line)> = None;
        // Where the current list item's bullet is: a line back at that edge is not part of
        // the item (its own lines are indented to the text after the bullet).
        let mut item_x: Option<f64> = None;
        for &(position, page, line) in &body {
            let heading = heading_level(&heading_sizes, line.size);
            let bold = line.plain_chars == 0 && line.bold_chars > 0;
            // A bold line that starts with a number is a numbered heading (`**3. Sharing**`),
            // not a list item; a bullet is a list item whatever its weight.
            let marker =
                list_marker(&line.text).filter(|rest| !(bold && rest.len() == line.text.len()));
            let starts_block = match previous {
                None => true,
                Some((prev_page, prev)) => {
                    let prev_heading = heading_level(&heading_sizes, prev.size);
                    let prev_bold = prev.plain_chars == 0 && prev.bold_chars > 0;
                    if prev_page != page {
                        !runs_on(prev, line, full_width)
                            || heading != prev_heading
                            || marker.is_some()
                            || bold != prev_bold
                    } else {
                        line.y - prev.y > gap * 1.35
                            || (line.size - prev.size).abs() > body_size * 0.08
                            || heading != prev_heading
                            || marker.is_some()
                            || item_x.is_some_and(|x| line.x <= x + body_size * 0.5)
                    }
                }
            };
            if starts_block {
                item_x = (heading.is_none() && marker.is_some()).then_some(line.x);
                let (kind, text, depth) = match (heading, marker) {
                    (Some(level), _) => (BlockKind::Heading(level), line.text.clone(), 0),
                    (None, Some(rest)) => {
                        let indent = ((line.x - list_x) / (body_size * 1.5)).round().max(0.0);
                        (
                            BlockKind::ListItem,
                            rest.to_string(),
                            1 + indent.min(5.0) as u8,
                        )
                    }
                    _ => (BlockKind::Paragraph, line.text.clone(), 0),
                };
                raw.push(RawBlock {
                    kind,
                    text,
                    bold: line.plain_chars == 0 && line.bold_chars > 0,
                    lines: (position, position),
                    depth,
                });
            } else if let Some(block) = raw.last_mut() {
                join_line(&mut block.text, &line.text, &vocabulary);
                block.lines.1 = position;
                block.bold &= line.plain_chars == 0 && line.bold_chars > 0;
            }
            previous = Some((page, line));
        }
        (raw, source, starts)
    }
}

/// Marks running headers, footers and page numbers.
fn mark_running(pages: &mut [Vec<Line>]) {
    const SLOTS: usize = 2;
    let key = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    '#'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    };
    let edges = |page: &[Line]| -> Vec<usize> {
        let n = page.len();
        let mut idx: Vec<usize> = (0..n.min(SLOTS)).collect();
        idx.extend((n.saturating_sub(SLOTS)..n).filter(|i| *i >= SLOTS.min(n)));
        idx
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let keys: HashSet<String> = edges(page)
            .into_iter()
            .map(|i| key(&page[i].text))
            .collect();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    for page in pages.iter_mut() {
        for i in edges(page) {
            let line = &mut page[i];
            if counts.get(&key(&line.text)).copied().unwrap_or(0) >= needed
                || is_page_number(&line.text)
            {
                line.running = true;
            }
        }
    }
}

/// `3`, `- 3 -`, `Page 3`, `Page 3 of 9`, `3 / 9`, `iv`.
fn is_page_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_matches(['-', '–', '—', ' '])
        .to_ascii_lowercase();
    let t = t.strip_prefix("page").map(str::trim).unwrap_or(&t);
    let numbers: Vec<&str> = t
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|w| !w.is_empty() && *w != "of")
        .collect();
    !numbers.is_empty()
        && numbers.len() <= 2
        && numbers.iter().all(|w| {
            w.bytes().all(|b| b.is_ascii_digit())
                || (w.len() <= 4 && w.bytes().all(|b| b"ivxlc".contains(&b)))
        })
}

fn round_size(size: f64) -> i64 {
    (size * 2.0).round() as i64
}

/// The font size with the most characters: the body text's.
fn most_common_size<'a>(lines: impl Iterator<Item = &'a Line>) -> f64 {
    let mut by_size: HashMap<i64, usize> = HashMap::new();
    for line in lines {
        *by_size.entry(round_size(line.size)).or_default() += line.text.len();
    }
    by_size
        .into_iter()
        .max_by_key(|&(size, chars)| (chars, -size))
        .map_or(10.0, |(size, _)| size as f64 / 2.0)
}

/// The usual distance between consecutive body lines on a page (the median).
fn usual_gap(body: &[(u32, usize, &Line)], body_size: f64) -> f64 {
    let mut gaps: Vec<f64> = body
        .windows(2)
        .filter(|w| w[0].1 == w[1].1)
        .filter(|w| round_size(w[0].2.size) == round_size(body_size))
        .map(|w| w[1].2.y - w[0].2.y)
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    gaps.get(gaps.len() / 2).copied().unwrap_or(body_size * 1.2)
}

/// Font sizes larger than the body's, largest first.
fn heading_sizes<'a>(lines: impl Iterator<Item = &'a Line>, body_size: f64) -> Vec<i64> {
    let mut sizes: Vec<i64> = lines
        .filter(|l| l.size >= body_size * 1.12)
        .map(|l| round_size(l.size))
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    sizes
}

fn heading_level(sizes: &[i64], size: f64) -> Option<u8> {
    let at = sizes.iter().position(|&s| s == round_size(size))?;
    Some((at + 1).min(6) as u8)
}

/// The text after a list bullet, or the whole text when it starts with a number label.
fn list_marker(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let first = chars.next()?;
    if BULLETS.contains(&first) {
        let rest = chars.as_str();
        if rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() {
            return Some(rest.trim_start());
        }
    }
    number_label(text).map(|_| text)
}

/// Whether a sentence runs on from the last line of a page to the first of the next: it has
/// no closing punctuation, and either the next line starts in lower case or the last line
/// wrapped (the next line's first word, at an average half an em a character, would not
/// have fitted before `full_width`, the right edge of the body text).
fn runs_on(previous: &Line, next: &Line, full_width: f64) -> bool {
    let open = !previous
        .text
        .trim_end()
        .ends_with(['.', ':', ';', '!', '?']);
    let word = next
        .text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .count();
    let wrapped = previous.right + (word as f64 + 1.0) * previous.size * 0.5 > full_width;
    open && (next.text.starts_with(|c: char| c.is_lowercase()) || wrapped)
}

/// Hyphenated words that the document writes whole somewhere (`third-party`), lower-cased.
fn hyphenated_words(body: &[(u32, usize, &Line)]) -> HashSet<String> {
    let mut words = HashSet::new();
    for (_, _, line) in body {
        let text = line.text.trim_end_matches('-');
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            if word.contains('-') && !word.starts_with('-') && !word.ends_with('-') {
                words.insert(word.to_lowercase());
            }
        }
    }
    words
}

/// Appends the next line of a block, joining a word hyphenated across the break.
fn join_line(text: &mut String, next: &str, vocabulary: &HashSet<String>) {
    let hyphen = text.ends_with('-')
        && text[..text.len() - 1].ends_with(char::is_alphabetic)
        && next.starts_with(char::is_lowercase);
    if hyphen {
        let head = text[..text.len() - 1]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let tail = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let whole = format!("{head}-{tail}").to_lowercase();
        // In an address or a link a hyphen is never a break: privacy@sakura-|travel.example.
        let word_start = text.rsplit(char::is_whitespace).next().unwrap_or("");
        let word_end = next.split(char::is_whitespace).next().unwrap_or("");
        let address = word_start.contains(['@', '/'])
            || word_end
                .trim_end_matches(['.', ',', ';', ':', ')'])
                .contains(['.', '@', '/']);
        if !vocabulary.contains(&whole) && !address {
            text.pop();
        }
        text.push_str(next);
    } else {
        text.push(' ');
        text.push_str(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f64, size: f64, text: &str) -> Line {
        let x = if text.starts_with('\u{2022}') {
            80.0
        } else {
            72.0
        };
        Line {
            y,
            x,
            right: 500.0,
            size,
            text: text.to_string(),
            running: false,
            bold_chars: 0,
            plain_chars: text.len(),
        }
    }

    #[test]
    fn headers_footers_hyphens_and_headings() {
        let page = |n: u32, body: Vec<Line>| {
            let mut lines = vec![line(30.0, 9.0, "ACME Privacy Policy")];
            lines.extend(body);
            lines.push(line(800.0, 9.0, &format!("Page {n} of 2")));
            lines
        };
        let pages = vec![
            page(
                1,
                vec![
                    line(100.0, 16.0, "Sharing"),
                    line(130.0, 10.0, "We do not sell your infor-"),
                    line(142.0, 10.0, "mation to third-"),
                    line(154.0, 10.0, "party brokers and"),
                ],
            ),
            page(
                2,
                vec![
                    line(100.0, 10.0, "advertisers."),
                    line(130.0, 10.0, "• email address"),
                    line(142.0, 10.0, "Third-party cookies are set."),
                ],
            ),
        ];
        let (raw, source, starts) = Layout::new(pages).blocks();
        let got: Vec<_> = raw
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.lines))
            .collect();
        assert_eq!(
            got,
            [
                (BlockKind::Heading(1), "Sharing", (2, 2)),
                (
                    BlockKind::Paragraph,
                    "We do not sell your information to third-party brokers and advertisers.",
                    (3, 8)
                ),
                (BlockKind::ListItem, "email address", (9, 9)),
                (
                    BlockKind::Paragraph,
                    "Third-party cookies are set.",
                    (10, 10)
                ),
            ]
        );
        assert_eq!(starts, [1, 7]);
        assert_eq!(source.lines().nth(6), Some("ACME Privacy Policy"));
        assert_eq!(
            crate::policy::position_label(SourceFormat::Pdf, &starts, 9),
            "page 2, line 3"
        );
    }

    #[test]
    fn page_numbers() {
        for yes in ["3", "- 3 -", "Page 3 of 9", "3 / 9", "iv"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["3 things we do", "Privacy", "We collect 3 items."] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn garbage_is_refused() {
        let err = parse("x.pdf", b"%PDF-1.4 nonsense")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.pdf: not a readable PDF"), "{err}");
    }
}
