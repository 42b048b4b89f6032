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
//! ```
//!
//! A predicted change matches an expected one of the same category and materiality (each used
//! once; one of the same kind is preferred). Per category, precision is matched over
//! predicted and recall matched over expected; the verdict is right when both
//! `practices_changed` and `material` agree. `examples/eval.rs` prints the figures and a test
//! keeps them from regressing.
use std::collections::BTreeMap;
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
}

impl Counts {
    /// Matched over predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
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
    let predicted = crate::compare::compare(&old, &new, taxonomy);
    let verdict_ok = label.verdict.practices_changed != predicted.is_empty()
        && label.verdict.material == predicted.iter().any(|c| c.material);
    let counts = score(&label.changes, &predicted);
    Ok(PairResult {
        name: folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        label,
        predicted,
        verdict_ok,
        counts,
    })
}

fn score(expected: &[ExpectedChange], predicted: &[PracticeChange]) -> BTreeMap<Category, Counts> {
    let mut counts: BTreeMap<Category, Counts> = BTreeMap::new();
    for p in predicted {
        counts.entry(p.category).or_default().predicted += 1;
    }
    let mut used = vec![false; predicted.len()];
    for e in expected {
        let entry = counts.entry(e.category).or_default();
        entry.expected += 1;
        let candidates = |same_kind: bool| {
            predicted.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && p.category == e.category
                    && p.material == e.material
                    && (!same_kind || p.kind == e.kind)
            })
        };
        if let Some(i) = candidates(true) {
            used[i] = true;
            entry.matched += 1;
            entry.same_kind += 1;
        } else if let Some(i) = candidates(false) {
            used[i] = true;
            entry.matched += 1;
        }
    }
    counts
}
