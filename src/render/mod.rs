//! Renderers: data in, bytes out. Each takes a finished result and a writer; none computes.
//!
//! - [`text`]: for a terminal; styled with ANSI codes that the caller strips when colour is
//!   off (`anstream` does so for `NO_COLOR`, pipes and files).
//! - [`markdown`]: for a pull-request comment or a memo.
//! - [`json`]: the `handover.diff/v1` wire format.
//! - [`check`]: every rendering of a `handover check` report, GitHub workflow commands and
//!   the `handover.check/v1` JSON included.
//! - [`html`]: a self-contained HTML report (verdict, practice changes, side-by-side and
//!   inline redline), for a browser or print.
//! - [`docx`]: the new policy as a Word document whose every change is a tracked change.
use std::borrow::Cow;

use crate::compare::PracticeChange;

pub mod check;
pub mod docx;
pub mod export;
pub mod html;
pub mod json;
pub mod markdown;
pub mod notify;
pub mod plan;
pub mod record;
pub mod status;
pub mod text;

/// Output formats of `handover diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, coloured on a terminal.
    Text,
    /// Markdown.
    Markdown,
    /// `handover.diff/v1` JSON.
    Json,
    /// A self-contained HTML page.
    Html,
    /// A Word document with tracked changes.
    Docx,
}

/// Whether a practice change belongs in a group.
type GroupTest = fn(&PracticeChange) -> bool;

/// The groups in which the HTML and Word reports list practice changes, in order: each change
/// is shown in the first group whose test it passes. A new kind of change to show apart (such
/// as changes a person must review) is one more line here.
const PRACTICE_GROUPS: &[(&str, GroupTest)] = &[
    ("Material changes", |c| c.material && !c.review),
    (
        "To review: changed sentences no practice change explains",
        |c| c.review,
    ),
    ("Other practice changes", |_| true),
];

/// The practice changes by [`PRACTICE_GROUPS`], empty groups left out, order kept within each.
pub(crate) fn practice_groups(
    changes: &[PracticeChange],
) -> Vec<(&'static str, Vec<&PracticeChange>)> {
    let mut groups: Vec<(&'static str, Vec<&PracticeChange>)> = PRACTICE_GROUPS
        .iter()
        .map(|(title, _)| (*title, Vec::new()))
        .collect();
    for change in changes {
        if let Some(at) = PRACTICE_GROUPS.iter().position(|(_, test)| test(change)) {
            groups[at].1.push(change);
        }
    }
    groups.retain(|(_, members)| !members.is_empty());
    groups
}

/// Removes control characters (escape sequences included) from untrusted text before it
/// reaches a terminal; newlines and tabs stay.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t')
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
                .collect(),
        )
    }
}

/// Where a text change is in each side's own positions: `old 41, new 43-44`, or for a PDF
/// `new p3:14-p3:16` (see [`crate::diff::DocInfo::short`]).
pub(crate) fn where_positions(
    change: &crate::redline::TextChange,
    old: &crate::diff::DocInfo,
    new: &crate::diff::DocInfo,
) -> String {
    [
        ("old", change.old_lines, old),
        ("new", change.new_lines, new),
    ]
    .iter()
    .filter_map(|(side, r, doc)| r.map(|r| format!("{side} {}", doc.range(r))))
    .collect::<Vec<_>>()
    .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sanitize_strips_escapes() {
        assert_eq!(super::sanitize("a\x1b[31mb\n"), "a[31mb\n");
    }
}
