//! The practice layer against its labelled pairs (eval/pairs) and the real policies in
//! ../shared/corpus: figures must not regress, evidence must point at real lines, and no real
//! policy may make the tool panic.
use std::path::{Path, PathBuf};

use handover::compare::{Category, PracticeChange};
use handover::policy::Policy;
use handover::taxonomy::Taxonomy;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Practice changes keep their figures: precision and recall at 0.9 or more in every
/// category that has labelled changes (recall counts review changes, see `src/eval.rs`;
/// precision here is that of practice changes alone, which the review changes leave as they
/// were). Verdicts are right except on the fully reworded seed policies, where reworded
/// sentences the extractor cannot read are review changes, conservatively material; there
/// no practice change may be material, and review changes stay few.
#[test]
fn labelled_pairs_keep_their_figures() {
    let report = handover::eval::run(&root().join("eval/pairs"), &Taxonomy::embedded()).unwrap();
    assert!(
        report.pairs.len() >= 25,
        "only {} labelled pairs",
        report.pairs.len()
    );
    const REWORDED: [&str; 4] = [
        "04-wording-synonyms",
        "05-rewrite-faq-same",
        "06-rewrite-legal-same",
        "07-rewrite-plain-same",
    ];
    for pair in report.pairs.iter().filter(|p| !p.verdict_ok) {
        assert!(
            REWORDED.contains(&pair.name.as_str()),
            "wrong verdict on {}",
            pair.name
        );
        assert!(
            pair.predicted.iter().all(|c| c.review || !c.material),
            "{}: a practice change is material",
            pair.name
        );
    }
    let reviews: usize = report.pairs.iter().map(|p| p.reviews).sum();
    assert!(
        reviews <= 50,
        "{reviews} review changes on eval/pairs (48 when written)"
    );
    let by_category = report.by_category();
    for category in Category::ALL {
        let c = by_category.get(&category).copied().unwrap_or_default();
        assert!(
            c.expected > 0,
            "no labelled change in {category}: add pairs"
        );
        let (mut right, mut predicted) = (0, 0);
        for pair in &report.pairs {
            for (change, matched) in pair.predicted.iter().zip(&pair.matched) {
                if change.category == category && !change.review {
                    predicted += 1;
                    right += usize::from(*matched);
                }
            }
        }
        let precision = if predicted == 0 {
            1.0
        } else {
            right as f64 / predicted as f64
        };
        assert!(
            precision >= 0.9 && c.recall() >= 0.9,
            "{category}: precision {precision:.3}, recall {:.3} ({c:?}); run `cargo run --example eval -- -v`",
            c.recall()
        );
    }
}

/// Every evidence line exists in the file its side names, and holds the start of the quote.
fn assert_evidence_is_real(change: &PracticeChange, old: &Policy, new: &Policy) {
    for (side, policy, evidence) in [("old", old, &change.old), ("new", new, &change.new)] {
        for e in evidence {
            assert!(
                e.line >= 1 && e.line <= policy.line_count,
                "{side} evidence line {} outside {} ({} lines)",
                e.line,
                policy.path,
                policy.line_count
            );
            let first_word: String = e.text.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(
                policy.line(e.line).contains(&first_word),
                "{}:{} does not hold the quote {:?}",
                policy.path,
                e.line,
                e.text
            );
        }
    }
}

fn pairs_under(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut pairs: Vec<(PathBuf, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("before.md").is_file() && p.join("after.md").is_file())
        .map(|p| (p.join("before.md"), p.join("after.md")))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn evidence_lines_exist_in_labelled_pairs() {
    let taxonomy = Taxonomy::embedded();
    let report = handover::eval::run(&root().join("eval/pairs"), &taxonomy).unwrap();
    for pair in &report.pairs {
        let folder = root().join("eval/pairs").join(&pair.name);
        let old = handover::policy::load(&folder.join(&pair.label.old)).unwrap();
        let new = handover::policy::load(&folder.join(&pair.label.new)).unwrap();
        for change in &pair.predicted {
            assert_evidence_is_real(change, &old, &new);
        }
    }
}

/// The real policies in ../shared/corpus (kept outside the repository: they are others'
/// text). Where the folder is absent the test says so and checks nothing else.
#[test]
fn real_policies_diff_without_panic_and_with_real_evidence() {
    let corpus = root().join("../shared/corpus");
    let mut pairs = pairs_under(&corpus.join("ota"));
    pairs.extend(pairs_under(&corpus.join("site-policy")));
    if pairs.is_empty() {
        eprintln!("note: {} not found; corpus check skipped", corpus.display());
        return;
    }
    let taxonomy = Taxonomy::embedded();
    for (before, after) in &pairs {
        let old = handover::policy::load(before).unwrap();
        let new = handover::policy::load(after).unwrap();
        let diff = handover::diff::diff(&old, &new, &taxonomy);
        for change in &diff.practice_changes {
            assert_evidence_is_real(change, &old, &new);
        }
        let itself = handover::diff::diff(&new, &new, &taxonomy);
        assert!(
            itself.practice_changes.is_empty() && itself.text_changes.is_empty(),
            "{} against itself is not empty",
            after.display()
        );
    }
}

/// The later sets (eval/holdout*) were written after tuning; their first runs are recorded in
/// their READMEs. Fixes they prompted are kept from regressing here, at the figures of the
/// last run with a little slack; the figures to quote are the first runs.
#[test]
fn later_sets_do_not_regress() {
    // Since review changes (changed sentences no practice change explains) count as
    // predictions and are conservatively material, verdicts and precision are lower on these
    // full rewrites of the seed than they were for practice changes alone (14, 11, 12, 10
    // verdicts; precision 0.95, 0.70, 0.70, 0.90): each reworded sentence the extractor
    // cannot read is flagged for a person. Recall keeps its floors. Since a review change
    // may also name the other categories its sentence speaks of (`also_categories`, for the
    // real revisions of eval/real), each of those counts as a prediction too: precision on
    // these rewrites fell (holdout3 0.479 -> 0.429, holdout 0.427 -> 0.400), recall did not
    // move; a party named on one side only (a vendor swapped) took holdout to 0.397. Naming
    // every category a sentence speaks of at 0.4 of the best score (was 0.6, and one cue
    // word instead of two) traded precision for recall on the real revisions (seen parts:
    // recall 743 -> 763 of 865, precision 0.394 -> 0.360): here precision fell to about
    // 0.37-0.38 (holdout, holdout3), 0.41 (holdout2) and 0.68 (holdout4), recall did not.
    let floors = [
        ("eval/holdout", 11, 0.35, 0.95),
        ("eval/holdout2", 9, 0.38, 0.90),
        ("eval/holdout3", 11, 0.34, 0.90),
        ("eval/holdout4", 8, 0.64, 0.95),
    ];
    for (dir, verdicts, precision, recall) in floors {
        let report = handover::eval::run(&root().join(dir), &Taxonomy::embedded()).unwrap();
        let right = report.pairs.iter().filter(|p| p.verdict_ok).count();
        let all = report.overall();
        assert!(
            right >= verdicts && all.precision() >= precision && all.recall() >= recall,
            "{dir}: verdicts {right}/{}, precision {:.3}, recall {:.3}; run `cargo run --example eval -- -v {dir}`",
            report.pairs.len(),
            all.precision(),
            all.recall()
        );
    }
}
