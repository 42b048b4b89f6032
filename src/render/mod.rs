//! Renderers: data in, bytes out. Each takes a finished result and a writer; none computes.
//!
//! - [`text`]: for a terminal; styled with ANSI codes that the caller strips when colour is
//!   off (`anstream` does so for `NO_COLOR`, pipes and files).
//! - [`markdown`]: for a pull-request comment or a memo.
//! - [`json`]: the `handover.diff/v1` wire format.
//! - [`check`]: every rendering of a `handover check` report, GitHub workflow commands and
//!   the `handover.check/v1` JSON included.
use std::borrow::Cow;

pub mod check;
pub mod export;
pub mod json;
pub mod markdown;
pub mod plan;
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

/// Where a text change is: `old 41, new 43-44`.
pub(crate) fn where_lines(change: &crate::redline::TextChange) -> String {
    [("old", change.old_lines), ("new", change.new_lines)]
        .iter()
        .filter_map(|(side, r)| r.map(|r| format!("{side} {}", line_range(r))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `41` or `41-44`.
pub(crate) fn line_range(range: [u32; 2]) -> String {
    if range[0] == range[1] {
        range[0].to_string()
    } else {
        format!("{}-{}", range[0], range[1])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sanitize_strips_escapes() {
        assert_eq!(super::sanitize("a\x1b[31mb\n"), "a[31mb\n");
    }
}
