//! Prints the practice layer's precision, recall and verdict accuracy on the labelled pairs.
//!
//! `cargo run --release --example eval [DIR]` (default `eval/pairs`); add `-v` to list the
//! pairs that disagree with their labels, `--pairs` for one line per pair (verdict, revision,
//! review changes, labelled and flagged material categories, silent misses). The figures are
//! defined in `src/eval.rs`.
use std::path::PathBuf;
use std::process::ExitCode;

use handover::compare::{Category, ChangeKind};
use handover::eval;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let dir = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("eval/pairs"));
    let report = match eval::run(&dir, &handover::taxonomy::Taxonomy::embedded()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("eval: error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("{} labelled pairs in {}", report.pairs.len(), dir.display());
    println!(
        "{:<14} {:>8} {:>9} {:>8} {:>10} {:>7}",
        "category", "expected", "predicted", "matched", "precision", "recall"
    );
    let by_category = report.by_category();
    for category in Category::ALL {
        let c = by_category.get(&category).copied().unwrap_or_default();
        println!(
            "{:<14} {:>8} {:>9} {:>8} {:>10.3} {:>7.3}",
            category.as_str(),
            c.expected,
            c.predicted,
            c.matched,
            c.precision(),
            c.recall()
        );
    }
    let all = report.overall();
    println!(
        "{:<14} {:>8} {:>9} {:>8} {:>10.3} {:>7.3}",
        "overall",
        all.expected,
        all.predicted,
        all.matched,
        all.precision(),
        all.recall()
    );
    println!(
        "kind agreement on matched changes: {}/{}; matched by a review change: {}",
        all.same_kind, all.matched, all.by_review
    );
    println!(
        "verdict right: {}/{} = {:.3}",
        report.pairs.iter().filter(|p| p.verdict_ok).count(),
        report.pairs.len(),
        report.verdict_accuracy()
    );
    let m = report.material_categories();
    println!(
        "material categories (pair, category; material or review predicted): precision {}/{} = {:.3}, recall {}/{} = {:.3}",
        m.matched,
        m.predicted,
        m.precision(),
        m.matched,
        m.expected,
        m.recall()
    );
    let (misses, labelled) = report.silent_misses();
    println!(
        "silent misses: {misses}/{labelled} = {:.3} of labelled material categories",
        if labelled == 0 {
            0.0
        } else {
            misses as f64 / labelled as f64
        }
    );
    let (reviews, wording) = report.wording_only_reviews();
    if wording == 0 {
        println!("review changes per wording-only pair: no pair labelled formatting or wording");
    } else {
        println!(
            "review changes per wording-only pair: {reviews}/{wording} = {:.2}",
            reviews as f64 / wording as f64
        );
    }
    println!(
        "review changes: {} in {} pairs",
        report.pairs.iter().map(|p| p.reviews).sum::<usize>(),
        report.pairs.len()
    );
    if args.iter().any(|a| a == "--pairs") {
        println!(
            "\n{:<28} {:>7} {:>8} {:>7} {:>9} {:>8}  missed silently",
            "pair", "verdict", "revision", "reviews", "labelled", "flagged"
        );
        for p in &report.pairs {
            let names = |set: &std::collections::BTreeSet<Category>| {
                set.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
            };
            println!(
                "{:<28} {:>7} {:>8} {:>7} {:>9} {:>8}  {}",
                p.name,
                if p.verdict_ok { "right" } else { "WRONG" },
                p.label.revision.map_or("-", |r| match r {
                    eval::Revision::Formatting => "format",
                    eval::Revision::Wording => "wording",
                    eval::Revision::Practice => "practice",
                    eval::Revision::Rewrite => "rewrite",
                }),
                p.reviews,
                p.labelled_material.len(),
                p.predicted_material.len(),
                names(&p.silent_misses())
            );
        }
    }
    if verbose {
        for pair in &report.pairs {
            let off = !pair.verdict_ok
                || pair
                    .counts
                    .values()
                    .any(|c| c.matched != c.predicted || c.matched != c.expected);
            if !off {
                continue;
            }
            println!(
                "\n{} ({}){}",
                pair.name,
                pair.label.description,
                if pair.verdict_ok {
                    ""
                } else {
                    " VERDICT WRONG"
                }
            );
            for (e, found) in pair.label.changes.iter().zip(&pair.found) {
                if !found {
                    disagreement("missed", e.category, e.kind, e.material, &e.note);
                }
            }
            for (p, matched) in pair.predicted.iter().zip(&pair.matched) {
                if !matched {
                    let tag = if p.review { "extra rev" } else { "extra" };
                    disagreement(tag, p.category, p.kind, p.material, &p.summary);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// One line of `-v`: a labelled change the tool missed, or one it reported that no label has.
fn disagreement(tag: &str, category: Category, kind: ChangeKind, material: bool, text: &str) {
    println!(
        "  {tag:<9} {:<13} {:<9} material={material} {text}",
        category.as_str(),
        kind.as_str()
    );
}
