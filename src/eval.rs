//! Evaluation of the practice layer on labelled policy pairs.
//!
//! Each pair is a folder under `eval/pairs/` with an `expected.yaml`:
//!
//! ```yaml
//! description: the acquirer sells data to brokers
//! old: ../../../policies/japantourist-2012.md   # relative to the folder
//! new: new.md
//! verdict: {practices_changed: true, material: true}
//! changes:
//!   - {category: sharing, kind: added, material: true, note: "sale to data brokers"}
//! revision: practice      # optional: formatting | wording | practice | rewrite
//! ```
//!
//! An optional `revision: formatting|wording|practice|rewrite` says what kind of revision the
//! labeller saw (formatting only; wording only, the practices unchanged; practices changed;
//! rewritten throughout). *Wording-only* pairs are those labelled `formatting` or `wording`.
//!
//! Pairs are run through [`crate::diff::diff`], so the predictions are the practice changes
//! **and** the review changes (changed sentences about personal data that no practice change
//! explains).
//!
//! Per-change figures (per category): a predicted practice change matches an expected one of
//! the same category and materiality (each used once; one of the same kind is preferred).
//! Then a review change matches a still unmatched expected change of its category, whatever
//! the expected kind and materiality: it points a person at the sentence that makes that
//! change, which is what a review change is for; matches by review are also counted apart
//! (`by_review`). Recall is matched over expected. Precision is *right* over predicted: a
//! practice change is right when it matched; a review change is right when the pair has a
//! labelled change in its category (one change often spans several sentences, each a review
//! change), and a false alarm otherwise, like any unmatched prediction.
//!
//! Per-pair figures: the verdict is right when both `practices_changed` and `material`
//! agree (a review change counts as a change, and as material when it is). Material
//! categories: a (pair, category) is *labelled* when an expected change in it is material,
//! and *predicted* when the tool reports a material change or a review change in it;
//! precision and recall are over those (pair, category) cells. A *silent miss* is a labelled
//! cell with neither a material nor a review change: the change would pass `check` unseen.
//! Also counted: review changes per wording-only pair. `examples/eval.rs` prints the
//! figures and tests keep them from regressing.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::compare::{Category, ChangeKind, PracticeChange};
use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;

/// The label of one pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// What the pair tests.
    pub description: String,
    /// The old policy, relative to the pair's folder.
    pub old: PathBuf,
    /// The new policy, relative to the pair's folder.
    pub new: PathBuf,
    /// The expected verdict.
    pub verdict: ExpectedVerdict,
    /// The expected practice changes.
    #[serde(default)]
    pub changes: Vec<ExpectedChange>,
    /// What kind of revision it is, when the labeller said.
    #[serde(default)]
    pub revision: Option<Revision>,
}

/// What kind of revision a labelled pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Revision {
    /// Formatting only: markup, line breaks, numbering.
    Formatting,
    /// Wording only: the practices are unchanged.
    Wording,
    /// Some practices changed.
    Practice,
    /// Rewritten throughout.
    Rewrite,
}

impl Revision {
    /// Formatting or wording only: no practice changed.
    pub fn wording_only(self) -> bool {
        matches!(self, Revision::Formatting | Revision::Wording)
    }
}

/// The expected verdict of a pair.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedVerdict {
    /// Any practice changed.
    pub practices_changed: bool,
    /// Any change is material.
    pub material: bool,
}

/// One expected practice change.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedChange {
    /// Its category.
    pub category: Category,
    /// Its kind.
    pub kind: ChangeKind,
    /// Whether it is material.
    pub material: bool,
    /// A note for people.
    #[serde(default)]
    pub note: String,
}

/// Matched, predicted and expected counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted changes that match an expected one.
    pub matched: usize,
    /// All predicted changes.
    pub predicted: usize,
    /// All expected changes.
    pub expected: usize,
    /// Matched changes whose kind also agrees.
    pub same_kind: usize,
    /// Matches made by a review change.
    pub by_review: usize,
    /// Predicted changes that are right: practice changes that match, and review changes in
    /// a category where the pair has a labelled change.
    pub right: usize,
}

impl Counts {
    /// Right over predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.predicted)
    }

    /// Matched over expected (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.expected)
    }

    fn add(&mut self, other: Counts) {
        self.matched += other.matched;
        self.predicted += other.predicted;
        self.expected += other.expected;
        self.same_kind += other.same_kind;
        self.by_review += other.by_review;
        self.right += other.right;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The outcome of one pair.
#[derive(Debug, Clone)]
pub struct PairResult {
    /// The pair's folder name.
    pub name: String,
    /// Its label.
    pub label: Label,
    /// The predicted changes.
    pub predicted: Vec<PracticeChange>,
    /// Whether the verdict agrees.
    pub verdict_ok: bool,
    /// Counts per category.
    pub counts: BTreeMap<Category, Counts>,
    /// For each predicted change, whether it matched an expected one.
    pub matched: Vec<bool>,
    /// For each expected change, whether a predicted one matched it.
    pub found: Vec<bool>,
    /// Categories with a material expected change.
    pub labelled_material: BTreeSet<Category>,
    /// Categories with a material or a review change predicted.
    pub predicted_material: BTreeSet<Category>,
    /// How many predicted changes are review changes.
    pub reviews: usize,
}

impl PairResult {
    /// Labelled material categories with neither a material nor a review change.
    pub fn silent_misses(&self) -> BTreeSet<Category> {
        self.labelled_material
            .difference(&self.predicted_material)
            .copied()
            .collect()
    }

    /// Whether the label says no practice changed (formatting or wording only).
    pub fn wording_only(&self) -> bool {
        self.label.revision.is_some_and(Revision::wording_only)
    }
}

/// The outcome over all pairs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every pair, in folder order.
    pub pairs: Vec<PairResult>,
}

impl Report {
    /// Counts per category over all pairs.
    pub fn by_category(&self) -> BTreeMap<Category, Counts> {
        let mut total: BTreeMap<Category, Counts> = BTreeMap::new();
        for pair in &self.pairs {
            for (category, counts) in &pair.counts {
                total.entry(*category).or_default().add(*counts);
            }
        }
        total
    }

    /// Counts over all categories.
    pub fn overall(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.by_category().values() {
            total.add(*counts);
        }
        total
    }

    /// The share of pairs whose verdict agrees.
    pub fn verdict_accuracy(&self) -> f64 {
        ratio(
            self.pairs.iter().filter(|p| p.verdict_ok).count(),
            self.pairs.len(),
        )
    }

    /// Material categories over (pair, category) cells: `matched` cells both labelled and
    /// predicted, `predicted` cells predicted, `expected` cells labelled.
    pub fn material_categories(&self) -> Counts {
        let mut c = Counts::default();
        for p in &self.pairs {
            c.expected += p.labelled_material.len();
            c.predicted += p.predicted_material.len();
            c.matched += p
                .labelled_material
                .intersection(&p.predicted_material)
                .count();
            c.right = c.matched;
        }
        c
    }

    /// Silent misses over all pairs, and the labelled material cells they are out of.
    pub fn silent_misses(&self) -> (usize, usize) {
        let misses = self.pairs.iter().map(|p| p.silent_misses().len()).sum();
        let labelled = self.pairs.iter().map(|p| p.labelled_material.len()).sum();
        (misses, labelled)
    }

    /// Review changes on wording-only pairs, and how many such pairs there are.
    pub fn wording_only_reviews(&self) -> (usize, usize) {
        let pairs: Vec<&PairResult> = self.pairs.iter().filter(|p| p.wording_only()).collect();
        (pairs.iter().map(|p| p.reviews).sum(), pairs.len())
    }
}

/// Runs every pair under `dir`.
pub fn run(dir: &Path, taxonomy: &Taxonomy) -> Result<Report> {
    let read_dir = |path: &Path| {
        std::fs::read_dir(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut folders: Vec<PathBuf> = read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    folders.sort();
    let mut report = Report::default();
    for folder in folders {
        report.pairs.push(run_pair(&folder, taxonomy)?);
    }
    Ok(report)
}

/// Runs one pair folder.
pub fn run_pair(folder: &Path, taxonomy: &Taxonomy) -> Result<PairResult> {
    let label_path = folder.join("expected.yaml");
    let text = std::fs::read_to_string(&label_path).map_err(|source| Error::Read {
        path: label_path.clone(),
        source,
    })?;
    let label: Label = serde_yaml_ng::from_str(&text).map_err(|e| Error::Invalid {
        location: match e.location() {
            Some(l) => format!("{}:{}:{}", label_path.display(), l.line(), l.column()),
            None => label_path.display().to_string(),
        },
        message: format!("{e}; see the format in src/eval.rs"),
    })?;
    let old = crate::policy::load(&folder.join(&label.old))?;
    let new = crate::policy::load(&folder.join(&label.new))?;
    let predicted = crate::diff::diff(&old, &new, taxonomy).practice_changes;
    let verdict_ok = label.verdict.practices_changed != predicted.is_empty()
        && label.verdict.material == predicted.iter().any(|c| c.material);
    let (counts, matched, found) = score(&label.changes, &predicted);
    let labelled_material = label
        .changes
        .iter()
        .filter(|c| c.material)
        .map(|c| c.category)
        .collect();
    let predicted_material = predicted
        .iter()
        .filter(|c| c.material || c.review)
        .flat_map(|c| c.categories())
        .collect();
    let reviews = predicted.iter().filter(|c| c.review).count();
    Ok(PairResult {
        name: folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        label,
        predicted,
        verdict_ok,
        counts,
        matched,
        found,
        labelled_material,
        predicted_material,
        reviews,
    })
}

type Scored = (BTreeMap<Category, Counts>, Vec<bool>, Vec<bool>);

fn score(expected: &[ExpectedChange], predicted: &[PracticeChange]) -> Scored {
    let mut counts: BTreeMap<Category, Counts> = BTreeMap::new();
    for p in predicted {
        for c in p.categories() {
            counts.entry(c).or_default().predicted += 1;
        }
    }
    let mut used = vec![false; predicted.len()];
    let mut found = vec![false; expected.len()];
    for (k, e) in expected.iter().enumerate() {
        let entry = counts.entry(e.category).or_default();
        entry.expected += 1;
        let candidates = |same_kind: bool| {
            predicted.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && !p.review
                    && p.category == e.category
                    && p.material == e.material
                    && (!same_kind || p.kind == e.kind)
            })
        };
        if let Some(i) = candidates(true) {
            used[i] = true;
            found[k] = true;
            entry.matched += 1;
            entry.same_kind += 1;
        } else if let Some(i) = candidates(false) {
            used[i] = true;
            found[k] = true;
            entry.matched += 1;
        }
    }
    for (i, p) in predicted.iter().enumerate() {
        if used[i] {
            counts.entry(p.category).or_default().right += 1;
        }
    }
    // Review changes only after practice changes had their pick (see the module doc); a
    // review change with several categories may match one labelled change in each.
    let mut review_used: BTreeSet<(usize, Category)> = BTreeSet::new();
    for (k, e) in expected.iter().enumerate() {
        if found[k] {
            continue;
        }
        let review = predicted.iter().enumerate().position(|(i, p)| {
            p.review
                && p.categories().any(|c| c == e.category)
                && !review_used.contains(&(i, e.category))
        });
        if let Some(i) = review {
            used[i] = true;
            review_used.insert((i, e.category));
            found[k] = true;
            let entry = counts.entry(e.category).or_default();
            entry.matched += 1;
            entry.by_review += 1;
        }
    }
    let labelled: BTreeSet<Category> = expected.iter().map(|e| e.category).collect();
    for (i, p) in predicted.iter().enumerate() {
        if !p.review {
            continue;
        }
        for c in p.categories() {
            if labelled.contains(&c) {
                counts.entry(c).or_default().right += 1;
                used[i] = true;
            }
        }
    }
    (counts, used, found)
}
