//! `PolicyDiff`: everything `handover diff` knows about two policies, as plain data.
//!
//! It joins the redline ([`crate::redline`]) and the practice comparison
//! ([`crate::compare`]), anchored to the redline's sentences, adds a *review* change for each
//! changed sentence about personal data that no practice change explains (rules in the
//! module doc of `src/diff/review.rs`), and derives the verdict. Renderers in [`crate::render`] turn it into
//! text, Markdown or the `handover.diff/v1` JSON documented there.
use serde::Serialize;

use crate::compare::{self, PracticeChange};
use crate::policy::{Policy, SourceFormat};
use crate::practices;
use crate::redline::{self, Row, TextChange};

mod review;
use crate::taxonomy::Taxonomy;

/// Which file a side of the diff came from.
#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    /// The path as given.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The policy's title, if it has one.
    pub title: Option<String>,
    /// The format it was read from (`markdown`, `html`, `docx`, `pdf`); positions in
    /// evidence and `*_lines` are lines, paragraphs, or PDF text lines counted over all pages.
    pub format: SourceFormat,
    /// For a PDF, the first position of each page (so page and line can be told apart).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<u32>,
}

/// The answer to "are the acquirer's terms different?".
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Any wording changed (formatting alone is not a change).
    pub text_changed: bool,
    /// Any data practice changed.
    pub practices_changed: bool,
    /// Any practice change widens what happens to data or weakens protection (a review
    /// change counts when it is material).
    pub material: bool,
    /// How many practice changes are review changes: changed sentences a person must read.
    pub review: usize,
    /// One line for people.
    pub summary: String,
}

/// The comparison of two policies.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    /// The old (current) policy.
    pub old: DocInfo,
    /// The new (acquirer's) policy.
    pub new: DocInfo,
    /// The verdict.
    pub verdict: Verdict,
    /// Practice changes, material first.
    pub practice_changes: Vec<PracticeChange>,
    /// The redline, in the new policy's order.
    pub text_changes: Vec<TextChange>,
    /// Both policies block by block, for full-document views (HTML, Word); not in the JSON.
    #[serde(skip)]
    pub rows: Vec<Row>,
}

impl DocInfo {
    fn of(policy: &Policy) -> Self {
        DocInfo {
            path: policy.path.clone(),
            sha256: policy.sha256.clone(),
            title: policy.title.clone(),
            format: policy.format,
            pages: policy.pages.clone(),
        }
    }

    /// Where a position is, for people: `line 41`, `paragraph 12` or `page 3, line 14`.
    pub fn label(&self, position: u32) -> String {
        crate::policy::position_label(self.format, &self.pages, position)
    }

    /// The short form for margins and tables: `41`, `¶12` or `p3:14`.
    pub fn short(&self, position: u32) -> String {
        crate::policy::short_position(self.format, &self.pages, position)
    }

    /// A range in short form (`41-44`), or one position.
    pub fn range(&self, range: [u32; 2]) -> String {
        if range[0] == range[1] {
            self.short(range[0])
        } else {
            format!("{}-{}", self.short(range[0]), self.short(range[1]))
        }
    }
}

/// Compares two parsed policies.
pub fn diff(old: &Policy, new: &Policy, taxonomy: &Taxonomy) -> PolicyDiff {
    // The redline and the extraction of each side are independent: run them side by side.
    let ((text_changes, rows, alignment), old_set, new_set) = std::thread::scope(|scope| {
        let redline = scope.spawn(|| redline::redline_full(old, new));
        let old_set = scope.spawn(|| practices::extract(old, taxonomy));
        let new_set = practices::extract(new, taxonomy);
        (join(redline), join(old_set), new_set)
    });
    let sentences = review::SentenceDiff::new(old, new, &alignment, &old_set, &new_set, taxonomy);
    let anchors = sentences.anchors();
    let mut practice_changes = compare::compare_anchored(
        &old_set,
        &new_set,
        taxonomy,
        &|s| anchors.old_kept(s),
        &|s| anchors.new_kept(s),
    );
    let reviews = sentences.review(&practice_changes, old, new, taxonomy);
    practice_changes.extend(reviews);
    // Material first, then practice changes before review changes, as `compare` orders.
    practice_changes.sort_by(|a, b| {
        b.material
            .cmp(&a.material)
            .then(a.review.cmp(&b.review))
            .then(a.category.cmp(&b.category))
            .then(a.summary.cmp(&b.summary))
    });
    let verdict = verdict(&text_changes, &practice_changes);
    PolicyDiff {
        old: DocInfo::of(old),
        new: DocInfo::of(new),
        verdict,
        practice_changes,
        text_changes,
        rows,
    }
}

/// Joins a scoped thread, passing a panic on as it was.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn verdict(text: &[TextChange], practices: &[PracticeChange]) -> Verdict {
    let review = practices.iter().filter(|c| c.review).count();
    let material: Vec<&PracticeChange> = practices
        .iter()
        .filter(|c| c.material && !c.review)
        .collect();
    let reviews = match review {
        0 => String::new(),
        1 => "; 1 changed sentence to review".to_string(),
        n => format!("; {n} changed sentences to review"),
    };
    let practices_only = practices.len() - review;
    let summary = if !material.is_empty() {
        let items: Vec<String> = material
            .iter()
            .take(4)
            .map(|c| format!("{} ({})", c.category, c.summary))
            .collect();
        let more = material.len().saturating_sub(4);
        format!(
            "{} material change{}: {}{}{reviews}",
            material.len(),
            if material.len() == 1 { "" } else { "s" },
            items.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        )
    } else if practices_only > 0 {
        format!(
            "{practices_only} practice change{}, none material{reviews}",
            if practices_only == 1 { "" } else { "s" }
        )
    } else if review > 0 {
        format!(
            "no practice change read, but {review} changed sentence{} about personal data to review",
            if review == 1 { "" } else { "s" }
        )
    } else if !text.is_empty() {
        format!(
            "{} wording change{}, no practice change",
            text.len(),
            if text.len() == 1 { "" } else { "s" }
        )
    } else {
        "no change in wording or practices".to_string()
    };
    Verdict {
        text_changed: !text.is_empty(),
        practices_changed: !practices.is_empty(),
        material: practices.iter().any(|c| c.material),
        review,
        summary,
    }
}
