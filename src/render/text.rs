//! The terminal rendering of a [`PolicyDiff`]: verdict, practice changes, the changes to
//! review (marked `?` when they may be material), then the redline.
//!
//! Deleted words read `[-like this-]` and inserted words `{+like this+}` (as in
//! `git diff --word-diff=plain`), so the output still reads right without colour; with
//! colour they are also red and green.
//!
//! Each marker means one thing (a legend line at the end says so, see [`LEGEND`]): in the
//! practice changes `!` is a material change and `~` one that is not; in the redline `+` is
//! an inserted line, `-` a deleted one and `>` a moved one. (`handover check` adds `=` for a
//! material change that is acknowledged.)
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::compare::{Evidence, PracticeChange};
use crate::diff::DocInfo;
use crate::diff::PolicyDiff;
use crate::redline::{TextChange, TextChangeKind, WordOpKind};
use crate::render::{sanitize, where_positions};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();

/// Writes the diff for a terminal (styled; strip the codes when colour is off).
pub fn diff(diff: &PolicyDiff, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover diff{BOLD:#} {} -> {}",
        sanitize(&diff.old.path),
        sanitize(&diff.new.path)
    )?;
    let (label, style) = if diff.verdict.material {
        ("MATERIAL", RED.bold())
    } else if diff.verdict.practices_changed {
        ("changed", YELLOW.bold())
    } else if diff.verdict.text_changed {
        ("wording only", GREEN.bold())
    } else {
        ("identical", GREEN.bold())
    };
    writeln!(
        out,
        "verdict: {style}{label}{style:#}: {}",
        sanitize(&diff.verdict.summary)
    )?;
    let (reviews, practices): (Vec<&PracticeChange>, Vec<&PracticeChange>) =
        diff.practice_changes.iter().partition(|c| c.review);
    if !practices.is_empty() {
        writeln!(
            out,
            "\n{BOLD}Practice changes ({}){BOLD:#}",
            practices.len()
        )?;
        for change in practices {
            practice(change, [&diff.old, &diff.new], out)?;
        }
    }
    if !reviews.is_empty() {
        writeln!(
            out,
            "\n{BOLD}To review ({}){BOLD:#} {DIM}changed sentences about personal data that no practice change explains{DIM:#}",
            reviews.len()
        )?;
        for change in reviews {
            practice(change, [&diff.old, &diff.new], out)?;
        }
    }
    if !diff.text_changes.is_empty() {
        let n = diff.text_changes.len();
        let plural = if n == 1 { "" } else { "s" };
        writeln!(out, "\n{BOLD}Redline ({n} change{plural}){BOLD:#}")?;
        for change in &diff.text_changes {
            text_change(change, [&diff.old, &diff.new], out)?;
        }
    }
    if !diff.practice_changes.is_empty() || !diff.text_changes.is_empty() {
        writeln!(out, "\n{DIM}{LEGEND}{DIM:#}")?;
    }
    Ok(())
}

/// The legend of the diff's text markers, printed under the report.
pub const LEGEND: &str = "Legend: practice changes: ! material, ? to review (material until a \
person says otherwise), ~ not material; redline: + inserted line, - deleted line, > moved, \
[-deleted words-], {+inserted words+}";

fn practice(change: &PracticeChange, docs: [&DocInfo; 2], out: &mut dyn Write) -> io::Result<()> {
    let (mark, style) = match (change.material, change.review) {
        (true, false) => ("!", RED.bold()),
        (true, true) => ("?", YELLOW.bold()),
        (false, _) => ("~", DIM),
    };
    writeln!(
        out,
        "  {style}{mark}{style:#} {:<13} {:<9} {}",
        change.category.as_str(),
        change.kind.as_str(),
        sanitize(&change.summary)
    )?;
    if !change.data_types.is_empty() {
        writeln!(
            out,
            "      {DIM}data:{DIM:#} {}",
            change.data_types.join(", ")
        )?;
    }
    for (side, evidence, doc) in [("old", &change.old, docs[0]), ("new", &change.new, docs[1])] {
        for e in evidence {
            writeln!(
                out,
                "      {DIM}{side} {:>4}:{DIM:#} {}",
                doc.short(e.line),
                sanitize(&e.text)
            )?;
        }
    }
    Ok(())
}

/// The quoted lines of both sides, indented under a practice change or a finding.
pub(crate) fn evidence(old: &[Evidence], new: &[Evidence], out: &mut dyn Write) -> io::Result<()> {
    for (side, evidence) in [("old", old), ("new", new)] {
        for e in evidence {
            writeln!(
                out,
                "      {DIM}{side} {:>4}:{DIM:#} {}",
                e.line,
                sanitize(&e.text)
            )?;
        }
    }
    Ok(())
}

fn text_change(change: &TextChange, docs: [&DocInfo; 2], out: &mut dyn Write) -> io::Result<()> {
    let where_ = where_positions(change, docs[0], docs[1]);
    let kind = change.kind.as_str();
    let section = if change.section.is_empty() {
        "(top)"
    } else {
        &change.section
    };
    writeln!(
        out,
        "\n{CYAN}@@ {} @@{CYAN:#} {DIM}{kind}, {where_}{DIM:#}",
        sanitize(section)
    )?;
    match change.kind {
        TextChangeKind::Inserted => block(change.new_text.as_deref(), "+", GREEN, out),
        TextChangeKind::Deleted => block(change.old_text.as_deref(), "-", RED, out),
        TextChangeKind::Moved if change.words.is_empty() => {
            block(change.new_text.as_deref(), ">", YELLOW, out)
        }
        TextChangeKind::Modified | TextChangeKind::Moved => {
            write!(out, "  ")?;
            for op in &change.words {
                let text = sanitize(&op.text);
                match op.op {
                    WordOpKind::Equal => write!(out, "{text}")?,
                    WordOpKind::Delete => write!(out, "{RED}[-{text}-]{RED:#}")?,
                    WordOpKind::Insert => write!(out, "{GREEN}{{+{text}+}}{GREEN:#}")?,
                }
            }
            writeln!(out)
        }
    }
}

fn block(text: Option<&str>, mark: &str, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for line in text.unwrap_or_default().lines() {
        if line.is_empty() {
            writeln!(out, "{style}{mark}{style:#}")?;
        } else {
            writeln!(out, "{style}{mark} {}{style:#}", sanitize(line))?;
        }
    }
    Ok(())
}
