//! The Markdown rendering of a [`PolicyDiff`], for a pull-request comment or a legal memo.
//!
//! Practice changes and the changes to review (changed sentences no practice change
//! explains) are two tables. Policy text is escaped so that it cannot add links, headings or HTML of its own.
//! Deleted words are ~~struck through~~ and inserted words **bold**.
use std::io::{self, Write};

use crate::compare::PracticeChange;
use crate::diff::DocInfo;
use crate::diff::PolicyDiff;
use crate::redline::{TextChange, TextChangeKind, WordOpKind};
use crate::render::{sanitize, where_positions};

/// Writes the diff as Markdown.
pub fn diff(diff: &PolicyDiff, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Policy comparison\n")?;
    for (label, doc) in [("Old", &diff.old), ("New", &diff.new)] {
        let title = doc
            .title
            .as_deref()
            .map(|t| format!(" ({})", escape(t)))
            .unwrap_or_default();
        writeln!(out, "- **{label}:** `{}`{title}", code(&doc.path))?;
    }
    let verdict = if diff.verdict.material {
        "material change"
    } else if diff.verdict.practices_changed {
        "practices changed, none material"
    } else if diff.verdict.text_changed {
        "wording only"
    } else {
        "identical"
    };
    writeln!(
        out,
        "\n**Verdict: {verdict}.** {}\n",
        escape(&diff.verdict.summary)
    )?;
    let (reviews, practices): (Vec<&PracticeChange>, Vec<&PracticeChange>) =
        diff.practice_changes.iter().partition(|c| c.review);
    for (title, changes) in [
        ("## Practice changes\n", practices),
        (
            "## To review\n\nChanged sentences about personal data that no practice change \
             explains; each may be material until a person has read it.\n",
            reviews,
        ),
    ] {
        if changes.is_empty() {
            continue;
        }
        writeln!(out, "{title}")?;
        writeln!(out, "| | Category | Change | Summary | Old | New |")?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for change in changes {
            practice_row(change, [&diff.old, &diff.new], out)?;
        }
        writeln!(out)?;
    }
    if !diff.text_changes.is_empty() {
        writeln!(out, "## Redline\n")?;
        for change in &diff.text_changes {
            text_change(change, [&diff.old, &diff.new], out)?;
        }
    }
    Ok(())
}

fn practice_row(
    change: &PracticeChange,
    docs: [&DocInfo; 2],
    out: &mut dyn Write,
) -> io::Result<()> {
    let lines = |ev: &[crate::compare::Evidence], doc: &DocInfo| {
        if ev.is_empty() {
            "".to_string()
        } else {
            ev.iter()
                .map(|e| match doc.format {
                    crate::policy::SourceFormat::Markdown | crate::policy::SourceFormat::Html => {
                        format!("L{}", e.line)
                    }
                    _ => doc.short(e.line),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |",
        match (change.material, change.review) {
            (true, false) => "**material**",
            (true, true) => "**review**",
            (false, true) => "review",
            (false, false) => "",
        },
        change.category,
        change.kind.as_str(),
        escape(&change.summary),
        lines(&change.old, docs[0]),
        lines(&change.new, docs[1])
    )
}

fn text_change(change: &TextChange, docs: [&DocInfo; 2], out: &mut dyn Write) -> io::Result<()> {
    let where_ = where_positions(change, docs[0], docs[1]);
    let kind = change.kind.as_str();
    let section = if change.section.is_empty() {
        "(top)".to_string()
    } else {
        escape(&change.section)
    };
    writeln!(out, "### {section}\n\n*{kind}, {where_}*\n")?;
    let quote = |text: Option<&str>, wrap: &str, out: &mut dyn Write| -> io::Result<()> {
        for para in text.unwrap_or_default().split("\n\n") {
            writeln!(out, "> {wrap}{}{wrap}\n>", escape(para))?;
        }
        writeln!(out)
    };
    match change.kind {
        TextChangeKind::Inserted => quote(change.new_text.as_deref(), "**", out),
        TextChangeKind::Deleted => quote(change.old_text.as_deref(), "~~", out),
        TextChangeKind::Moved if change.words.is_empty() => {
            quote(change.new_text.as_deref(), "", out)
        }
        TextChangeKind::Modified | TextChangeKind::Moved => {
            write!(out, "> ")?;
            for op in &change.words {
                let text = escape(&op.text);
                let (lead, core, trail) = split_space(&text);
                match op.op {
                    WordOpKind::Equal => write!(out, "{text}")?,
                    _ if core.is_empty() => write!(out, "{text}")?,
                    WordOpKind::Delete => write!(out, "{lead}~~{core}~~{trail}")?,
                    WordOpKind::Insert => write!(out, "{lead}**{core}**{trail}")?,
                }
            }
            writeln!(out, "\n")
        }
    }
}

/// Markdown emphasis must not start or end with a space.
fn split_space(s: &str) -> (&str, &str, &str) {
    let core = s.trim();
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    (lead, core, trail)
}

/// Escapes Markdown and HTML syntax in untrusted text.
pub(crate) fn escape(text: &str) -> String {
    let text = sanitize(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '#' | '|' | '<' | '>' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a code span: backticks are replaced, as Markdown cannot escape them there.
pub(crate) fn code(text: &str) -> String {
    sanitize(text).replace('`', "'")
}
