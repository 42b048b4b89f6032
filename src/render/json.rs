//! The `handover.diff/v1` JSON wire format (DESIGN.md section 4).
//!
//! ```text
//! { "schema": "handover.diff/v1",
//!   "old": {"path", "sha256", "title", "format", "pages"?}, "new": {...},
//!   "verdict": {"text_changed", "practices_changed", "material", "review", "summary"},
//!   "practice_changes": [{"id", "category", "also_categories"?, "kind", "material",
//!                         "review", "summary", "data_types", "old": [{"line", "text"}],
//!                         "new": [...]}],
//!   "text_changes": [{"kind", "section", "old_lines", "new_lines", "old_text", "new_text",
//!                     "words": [{"op", "text"}]}] }
//! ```
//!
//! `format` is what the file was read as (`markdown`, `html`, `docx`, `pdf`) and names the
//! unit of every `line` and `*_lines` position on that side: a line of a Markdown or HTML
//! file, a paragraph of a Word document (counted from 1 over the body, table cells
//! included), or a line of a PDF's text counted over all pages; for a PDF, `pages` lists the
//! first position of each page, so position `p` is on the last page whose start is `<= p`,
//! at line `p - start + 1`.
//!
//! **Review changes** (added in this version of `handover.diff/v1`; readers that ignore
//! unknown fields are unaffected): a practice change with `"review": true` is a changed
//! sentence (inserted, deleted, reworded, or moved with edits) that speaks of personal data
//! and that no practice change explains. Its `category` is a best guess (with
//! `also_categories`, present only when not empty, naming other categories its sentence
//! speaks of about as strongly), its `kind` is
//! `added` (a new sentence), `removed` (a deleted one) or `modified` (a reworded one), its
//! `old`/`new` quote the sentences, and it is `material: true` unless the edit can only
//! narrow (a deleted sentence that only exposed data, a new one that only protects). A
//! person must read it: `handover check` blocks on it until acknowledged, and `plan` treats
//! it as material. `verdict.review` counts them; `verdict.material` and
//! `verdict.practices_changed` include them; sentences whose meaning did not change
//! (reordering, punctuation, synonyms, typo fixes) never become one.
//!
//! Decisions where the design is silent: `section` is the full heading path joined with
//! ` > `; `old_lines`/`old_text` are `null` for an inserted change and `new_lines`/`new_text`
//! for a deleted one; `words` also carries `equal` ops, so that applying the ops in order
//! rebuilds both normalised texts, and is empty for inserted, deleted and unedited moves.
use std::io::{self, Write};

use serde::Serialize;

use crate::diff::PolicyDiff;

/// The schema name written into every document.
pub const DIFF_SCHEMA: &str = "handover.diff/v1";

#[derive(Serialize)]
struct Wire<'a> {
    schema: &'static str,
    #[serde(flatten)]
    diff: &'a PolicyDiff,
}

/// Writes `diff` as pretty-printed JSON with a trailing newline.
pub fn diff(diff: &PolicyDiff, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(
        &mut *out,
        &Wire {
            schema: DIFF_SCHEMA,
            diff,
        },
    )?;
    out.write_all(b"\n")
}
