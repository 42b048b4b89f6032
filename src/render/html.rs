//! The HTML report of a [`PolicyDiff`]: one self-contained file for a lawyer's browser.
//!
//! Layout: a verdict banner; the practice changes in groups (material first, then the rest),
//! each with its evidence linked to its place in the text; then the redline of the whole
//! document with a change list in the margin. The redline has two views, switched by two
//! radio buttons and CSS alone: **side by side** (old and new in one grid, so both columns
//! scroll together; each row is one block) and **inline** (one column, deletions struck,
//! insertions underlined). Moves are a colour of their own and link source and destination
//! both ways; headings are set as headings; positions are the sources' own (line, paragraph,
//! or page and line). Printing (or saving as PDF) prints the chosen view without controls.
//!
//! Safety: every piece of policy text is escaped, and the page's Content-Security-Policy is
//! `default-src 'none'` with the one inline stylesheet allowed by its SHA-256 hash. No script
//! runs at all, ours included, so nothing from a policy can; no fonts, images or requests
//! leave the file (`img-src`, `connect-src`, `form-action` and `base-uri` are all `'none'`).
//!
//! Machine-readable hooks, stable for tests and tools: `body[data-verdict]` (`material`,
//! `changed`, `wording`, `identical`), `body[data-practice-changes]`,
//! `body[data-text-changes]`, one `tr.practice` per practice change, one `.row` per block
//! row with `data-kind` (`same`, `modified`, `inserted`, `deleted`, `moved-from`,
//! `moved-to`), and `ins`/`del` elements inside `.cell.i` (the inline view) for each
//! inserted and deleted stretch.
use std::fmt::Write as _;
use std::io::{self, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::compare::{Evidence, PracticeChange};
use crate::diff::{DocInfo, PolicyDiff};
use crate::policy::{Block, BlockKind, Policy};
use crate::redline::{Row, RowKind, WordOp, WordOpKind};
use crate::render::sanitize;

const STYLE: &str = include_str!("html.css");

/// Writes the report for `diff` of `old` and `new` (the policies it was computed from).
pub fn diff(diff: &PolicyDiff, old: &Policy, new: &Policy, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    head(&mut page, diff);
    body(&mut page, diff, old, new, "");
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// Writes one page holding several reports (as `handover check --format html` does), each
/// in its own `article.report`, after a banner with `title` and a list of `deleted` files.
pub fn many(
    title: &str,
    reports: &[(&PolicyDiff, &Policy, &Policy)],
    deleted: &[&str],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    page.push_str(&start(title));
    let material = reports.iter().any(|(d, _, _)| d.verdict.material) || !deleted.is_empty();
    let _ = writeln!(
        page,
        "<body data-reports=\"{}\" data-material=\"{material}\">\n<header class=\"verdict v-{}\"><p class=\"label\">{}</p>\
         <p class=\"summary\">{} changed polic{} compared, {} deleted.</p></header>",
        reports.len(),
        if material { "material" } else { "identical" },
        esc(title),
        reports.len(),
        if reports.len() == 1 { "y" } else { "ies" },
        deleted.len()
    );
    if !deleted.is_empty() {
        page.push_str("<section class=\"deleted\"><h2>Deleted policies</h2><ul>\n");
        for path in deleted {
            let _ = writeln!(
                page,
                "<li><code>{}</code>: a policy people relied on is gone</li>",
                esc(path)
            );
        }
        page.push_str("</ul></section>\n");
    }
    for (n, (diff, old, new)) in reports.iter().enumerate() {
        let _ = writeln!(
            page,
            "<article class=\"report\" id=\"report{n}\" data-verdict=\"{}\">\n<h1>{}</h1>",
            verdict_key(diff),
            esc(&diff.new.path)
        );
        body(&mut page, diff, old, new, &format!("f{n}-"));
        page.push_str("</article>\n");
    }
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn start(title: &str) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'sha256-{hash}'; script-src 'none'; img-src 'none'; font-src 'none'; \
         connect-src 'none'; form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"handover {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    )
}

fn head(page: &mut String, diff: &PolicyDiff) {
    let title = format!(
        "Policy comparison: {} \u{2192} {}",
        diff.old.path, diff.new.path
    );
    page.push_str(&start(&title));
    let _ = writeln!(
        page,
        "<body data-verdict=\"{}\" data-practice-changes=\"{}\" data-text-changes=\"{}\">",
        verdict_key(diff),
        diff.practice_changes.len(),
        diff.text_changes.len()
    );
}

/// `material`, `changed`, `wording` or `identical`.
pub(crate) fn verdict_key(diff: &PolicyDiff) -> &'static str {
    if diff.verdict.material {
        "material"
    } else if diff.verdict.practices_changed {
        "changed"
    } else if diff.verdict.text_changed {
        "wording"
    } else {
        "identical"
    }
}

/// The report's sections; `id` prefixes every anchor so several reports share a page.
fn body(page: &mut String, diff: &PolicyDiff, old: &Policy, new: &Policy, id: &str) {
    let key = verdict_key(diff);
    let label = match key {
        "material" => "Material change",
        "changed" => "Practices changed, none material",
        "wording" => "Wording only",
        _ => "Identical",
    };
    let _ = writeln!(
        page,
        "<header class=\"verdict v-{key}\" id=\"{id}verdict\" data-verdict=\"{key}\">\n\
         <p class=\"label\">{label}</p>\n<p class=\"summary\">{}</p>\n\
         <p class=\"docs\">Old: {} \u{2192} new: {}</p>\n</header>",
        esc(&diff.verdict.summary),
        doc_label(&diff.old),
        doc_label(&diff.new)
    );
    practices(page, diff, old, new, id);
    redline(page, diff, old, new, id);
}

fn doc_label(doc: &DocInfo) -> String {
    let title = doc
        .title
        .as_deref()
        .map(|t| format!(" <span class=\"title\">({})</span>", esc(t)))
        .unwrap_or_default();
    format!(
        "<code>{}</code> <span class=\"fmt\">{}</span>{title}",
        esc(&doc.path),
        doc.format.as_str()
    )
}

fn practices(page: &mut String, diff: &PolicyDiff, old: &Policy, new: &Policy, id: &str) {
    let n = diff.practice_changes.len();
    let _ = writeln!(
        page,
        "<section class=\"practices\" id=\"{id}practices\" data-count=\"{n}\">\n<h2>Practice changes ({n})</h2>"
    );
    if n == 0 {
        page.push_str("<p class=\"none\">No data practice changed.</p>\n</section>\n");
        return;
    }
    for (title, changes) in super::practice_groups(&diff.practice_changes) {
        let _ = writeln!(
            page,
            "<h3>{} ({})</h3>\n<table class=\"practice-list\">\n<thead><tr><th>Category</th><th>Change</th>\
             <th>What</th><th>Evidence</th></tr></thead>\n<tbody>",
            esc(title),
            changes.len()
        );
        for change in changes {
            practice_row(page, change, diff, old, new, id);
        }
        page.push_str("</tbody>\n</table>\n");
    }
    page.push_str("</section>\n");
}

fn practice_row(
    page: &mut String,
    change: &PracticeChange,
    diff: &PolicyDiff,
    old: &Policy,
    new: &Policy,
    id: &str,
) {
    let material = if change.material { " material" } else { "" };
    let _ = write!(
        page,
        "<tr class=\"practice{material}\" data-id=\"{}\" data-material=\"{}\"><td>{}</td><td>{}</td><td>{}",
        esc(&change.id),
        change.material,
        change.category.as_str(),
        change.kind.as_str(),
        esc(&change.summary)
    );
    if !change.data_types.is_empty() {
        let _ = write!(
            page,
            "<div class=\"types\">{}</div>",
            esc(&change.data_types.join(", "))
        );
    }
    page.push_str("</td><td>");
    for (side, evidence, policy, doc, prefix) in [
        ("old", &change.old, old, &diff.old, 'o'),
        ("new", &change.new, new, &diff.new, 'n'),
    ] {
        for e in evidence {
            let anchor = block_at(policy, e)
                .map(|b| format!("{id}{prefix}{b}"))
                .unwrap_or_else(|| format!("{id}redline"));
            let _ = write!(
                page,
                "<div class=\"ev ev-{side}\"><a href=\"#{anchor}\">{side}, {}</a> <q>{}</q></div>",
                esc(&doc.label(e.line)),
                esc(&e.text)
            );
        }
    }
    page.push_str("</td></tr>\n");
}

/// The block holding a piece of evidence: the one at its position whose text has its first
/// words (several blocks may share a line of an HTML file), else the first at its position.
fn block_at(policy: &Policy, evidence: &Evidence) -> Option<usize> {
    let at = |b: &Block| b.lines.0 <= evidence.line && evidence.line <= b.lines.1;
    let probe: String = evidence.text.chars().take(24).collect();
    policy
        .blocks
        .iter()
        .position(|b| at(b) && b.text.contains(probe.trim()))
        .or_else(|| policy.blocks.iter().position(at))
}

fn redline(page: &mut String, diff: &PolicyDiff, old: &Policy, new: &Policy, id: &str) {
    let n = diff.text_changes.len();
    let _ = writeln!(
        page,
        "<section class=\"redline\" id=\"{id}redline\">\n<h2>Redline ({n} change{})</h2>\n\
         <input type=\"radio\" name=\"{id}view\" id=\"{id}side\" class=\"view-side\" checked>\
         <label for=\"{id}side\">Side by side</label>\n\
         <input type=\"radio\" name=\"{id}view\" id=\"{id}inline\" class=\"view-inline\">\
         <label for=\"{id}inline\">Inline</label>\n\
         <p class=\"legend\"><ins>inserted</ins> <del>deleted</del> <span class=\"mv\">moved</span></p>\n\
         <div class=\"layout\">\n<div class=\"doc\">\n<div class=\"row heads\"><div class=\"ln o\"></div>\
         <div class=\"cell o\">Old: {}</div><div class=\"ln n\"></div><div class=\"cell n\">New: {}</div>\
         <div class=\"cell i\">{} \u{2192} {}</div></div>",
        if n == 1 { "" } else { "s" },
        esc(&diff.old.path),
        esc(&diff.new.path),
        esc(&diff.old.path),
        esc(&diff.new.path),
    );
    let mut first_row_of = vec![false; n];
    for row in &diff.rows {
        // A change's anchor is its first row in the new order: a move's is where it went.
        let anchor = match row.change {
            Some(c) if c < n && !first_row_of[c] && row.kind != RowKind::MovedFrom => {
                first_row_of[c] = true;
                Some(c)
            }
            _ => None,
        };
        block_row(page, row, anchor, diff, old, new, id);
    }
    page.push_str(
        "</div>\n<nav class=\"changes\" aria-label=\"Changes\">\n<h3>Changes</h3>\n<ol>\n",
    );
    for (c, change) in diff.text_changes.iter().enumerate() {
        let _ = writeln!(
            page,
            "<li class=\"k-{}\"><a href=\"#{id}c{c}\"><span class=\"kind\">{}</span> {} <span class=\"where\">{}</span></a></li>",
            change.kind.as_str(),
            change.kind.as_str(),
            esc(if change.section.is_empty() { "(top)" } else { &change.section }),
            esc(&super::where_positions(change, &diff.old, &diff.new))
        );
    }
    page.push_str("</ol>\n</nav>\n</div>\n</section>\n");
}

fn kind_key(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Same => "same",
        RowKind::Modified => "modified",
        RowKind::Inserted => "inserted",
        RowKind::Deleted => "deleted",
        RowKind::MovedFrom => "moved-from",
        RowKind::MovedTo => "moved-to",
    }
}

fn block_row(
    page: &mut String,
    row: &Row,
    anchor: Option<usize>,
    diff: &PolicyDiff,
    old: &Policy,
    new: &Policy,
    id: &str,
) {
    let ob = row.old.and_then(|i| old.blocks.get(i));
    let nb = row.new.and_then(|j| new.blocks.get(j));
    let shown = match row.kind {
        RowKind::MovedFrom => ob,
        _ => nb.or(ob),
    };
    let heading = match shown.map(|b| b.kind) {
        Some(BlockKind::Heading(l)) => format!(" hd h{}", l.min(7)),
        _ => String::new(),
    };
    let change_id = anchor
        .map(|c| format!(" id=\"{id}c{c}\""))
        .unwrap_or_default();
    let kind = kind_key(row.kind);
    let _ = write!(
        page,
        "<div class=\"row {kind}{heading}\" data-kind=\"{kind}\"{change_id}>"
    );
    let words: &[WordOp] = row
        .change
        .and_then(|c| diff.text_changes.get(c))
        .map(|c| c.words.as_slice())
        .unwrap_or(&[]);
    let old_here = !matches!(row.kind, RowKind::Inserted | RowKind::MovedTo);
    let new_here = !matches!(row.kind, RowKind::Deleted | RowKind::MovedFrom);
    // Line numbers: an anchor for each block that sits on this row.
    for (here, block, index, prefix, doc) in [
        (old_here, ob, row.old, 'o', &diff.old),
        (new_here, nb, row.new, 'n', &diff.new),
    ] {
        match (here, block, index) {
            (true, Some(b), Some(i)) => {
                let _ = write!(
                    page,
                    "<div class=\"ln {prefix}\" id=\"{id}{prefix}{i}\" title=\"{}\">{}</div>",
                    esc(&doc.label(b.lines.0)),
                    esc(&doc.short(b.lines.0))
                );
            }
            _ => {
                let _ = write!(page, "<div class=\"ln {prefix}\"></div>");
            }
        }
        let cell = if prefix == 'o' {
            cell(Column::Old, row, ob, nb, words, diff, id)
        } else {
            cell(Column::New, row, ob, nb, words, diff, id)
        };
        let _ = write!(page, "<div class=\"cell {prefix}\">{cell}</div>");
    }
    let _ = writeln!(
        page,
        "<div class=\"cell i\">{}</div></div>",
        cell(Column::Inline, row, ob, nb, words, diff, id)
    );
}

fn text_of(block: Option<&Block>) -> String {
    block.map(|b| esc(&b.text)).unwrap_or_default()
}

fn bullet(block: Option<&Block>) -> String {
    match block {
        Some(b) if b.kind == BlockKind::ListItem => format!(
            "<span class=\"bullet\">{}\u{2022} </span>",
            "\u{2003}".repeat(b.depth.saturating_sub(1) as usize)
        ),
        _ => String::new(),
    }
}

fn ops(words: &[WordOp], keep: Option<WordOpKind>) -> String {
    let mut out = String::new();
    for op in words {
        match op.op {
            WordOpKind::Equal => out.push_str(&esc(&op.text)),
            k if keep.is_none_or(|want| want == k) => {
                let tag = if k == WordOpKind::Insert {
                    "ins"
                } else {
                    "del"
                };
                let _ = write!(out, "<{tag}>{}</{tag}>", esc(&op.text));
            }
            _ => {}
        }
    }
    out
}

fn move_link(
    to: char,
    index: Option<usize>,
    doc: &DocInfo,
    block: Option<&Block>,
    id: &str,
) -> String {
    let (Some(i), Some(b)) = (index, block) else {
        return String::new();
    };
    let (word, arrow) = if to == 'n' {
        ("moved to", "\u{2193}")
    } else {
        ("moved from", "\u{2191}")
    };
    format!(
        " <a class=\"mvlink\" href=\"#{id}{to}{i}\">{word} {} {arrow}</a>",
        esc(&doc.label(b.lines.0))
    )
}

/// Which column of the redline a cell is for: the old side, the new side, or the inline view
/// (both in one column).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Old,
    New,
    Inline,
}

/// One cell of the redline for `column`: the block's text with its changes marked, a move
/// linked to its other end, or nothing when the row has no block on that side.
fn cell(
    column: Column,
    row: &Row,
    ob: Option<&Block>,
    nb: Option<&Block>,
    words: &[WordOp],
    diff: &PolicyDiff,
    id: &str,
) -> String {
    let (block, words_shown) = match column {
        Column::Old => (ob, Some(WordOpKind::Delete)),
        Column::New => (nb, Some(WordOpKind::Insert)),
        Column::Inline => (nb, None),
    };
    match (row.kind, column) {
        (RowKind::Same, _) => format!("{}{}", bullet(block), text_of(block)),
        (RowKind::Modified, _) => format!("{}{}", bullet(block), ops(words, words_shown)),
        (RowKind::Inserted, Column::Old) | (RowKind::Deleted, Column::New) => String::new(),
        (RowKind::MovedTo, Column::Old) | (RowKind::MovedFrom, Column::New) => String::new(),
        (RowKind::Inserted, _) => format!("{}<ins>{}</ins>", bullet(nb), text_of(nb)),
        (RowKind::Deleted, _) => format!("{}<del>{}</del>", bullet(ob), text_of(ob)),
        (RowKind::MovedFrom, _) => format!(
            "{}<span class=\"{}\">{}</span>{}",
            bullet(ob),
            if column == Column::Inline {
                "mv mv-from"
            } else {
                "mv"
            },
            text_of(ob),
            move_link('n', row.new, &diff.new, nb, id)
        ),
        (RowKind::MovedTo, _) => {
            let text = if words.is_empty() {
                text_of(nb)
            } else {
                ops(words, words_shown)
            };
            format!(
                "{}<span class=\"mv\">{text}</span>{}",
                bullet(nb),
                move_link('o', row.old, &diff.old, ob, id)
            )
        }
    }
}

/// Escapes text for HTML content and attribute values; control characters are dropped.
pub(crate) fn esc(text: &str) -> String {
    let text = sanitize(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            super::esc("<script>alert('x')</script>&\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
    }
}
