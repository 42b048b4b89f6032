//! Writes a policy back as Markdown: what `handover convert` prints, so a team can keep a
//! converted policy under version control and review what was read.
//!
//! Headings become `#` headings (levels 1-6) or, for bold-only headings, `**bold**` lines;
//! list items become `-` items indented by depth; consecutive table rows become a table whose
//! first row is the header; quotes become `>` lines and code a fenced block. Text is escaped
//! so that reading the Markdown back gives the same blocks, the same words and the same
//! comparison keys (a test holds this for every fixture): converting is no change for
//! `handover diff`. Positions are not kept; the converted file has its own lines.
use std::io::{self, Write};

use crate::policy::{BlockKind, Policy};

/// Writes `policy` as Markdown.
pub fn write(policy: &Policy, out: &mut dyn Write) -> io::Result<()> {
    let blocks = &policy.blocks;
    let mut i = 0;
    let mut previous: Option<BlockKind> = None;
    while i < blocks.len() {
        let block = &blocks[i];
        // Blocks are separated by a blank line, except items of one list.
        let tight = previous == Some(BlockKind::ListItem) && block.kind == BlockKind::ListItem;
        if previous.is_some() && !tight {
            writeln!(out)?;
        }
        match block.kind {
            BlockKind::Heading(level) if level <= 6 => writeln!(
                out,
                "{} {}",
                "#".repeat(level as usize),
                escape(&block.text)
            )?,
            BlockKind::Heading(_) => writeln!(out, "**{}**", escape(&block.text))?,
            BlockKind::Paragraph => writeln!(out, "{}", escape(&block.text))?,
            BlockKind::ListItem => writeln!(
                out,
                "{}- {}",
                "  ".repeat(block.depth.saturating_sub(1) as usize),
                escape(&block.text)
            )?,
            BlockKind::Quote => writeln!(out, "> {}", escape(&block.text))?,
            BlockKind::Code => {
                let fence = if block.text.contains("```") {
                    "~~~~"
                } else {
                    "```"
                };
                writeln!(out, "{fence}\n{}\n{fence}", block.text)?
            }
            BlockKind::TableRow => {
                let start = i;
                while i + 1 < blocks.len() && blocks[i + 1].kind == BlockKind::TableRow {
                    i += 1;
                }
                table(&blocks[start..=i], out)?;
            }
        }
        previous = Some(block.kind);
        i += 1;
    }
    Ok(())
}

fn table(rows: &[crate::policy::Block], out: &mut dyn Write) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.text.split(" | ").map(escape).collect())
        .collect();
    let width = cells.iter().map(Vec::len).max().unwrap_or(1);
    for (n, row) in cells.iter().enumerate() {
        let mut padded = row.clone();
        padded.resize(width, String::new());
        writeln!(out, "| {} |", padded.join(" | "))?;
        if n == 0 {
            writeln!(out, "|{}", " --- |".repeat(width))?;
        }
    }
    Ok(())
}

/// Backslash-escapes what Markdown would read as markup, so the text reads back as written.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line that starts like a list marker, a numbered item or a setext underline.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else {
        let digits = out.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
            out.insert(digits, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converted_markdown_reads_back_the_same() {
        let html = "<main><h1>Policy</h1><p><b>Cookies</b></p><p>1. We *use* [x] &amp; #tags - ok</p>\
            <ul><li>a<ul><li>b</li></ul></li></ul><p>- dash start</p>\
            <table><tr><th>Data</th><th>Kept</th></tr><tr><td>email</td><td>1 year</td></tr></table>\
            <blockquote><p>Quoted.</p></blockquote></main>";
        let policy = crate::policy::html::parse("p.html", html, String::new());
        let mut out = Vec::new();
        write(&policy, &mut out).unwrap();
        let markdown = String::from_utf8(out).unwrap();
        let back = crate::policy::parse("p.md", &markdown, String::new());
        let key = |p: &Policy| -> Vec<(BlockKind, String, u8)> {
            p.blocks
                .iter()
                .map(|b| (b.kind, b.norm.clone(), b.depth))
                .collect()
        };
        assert_eq!(key(&back), key(&policy), "{markdown}");
    }
}
