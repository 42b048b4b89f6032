//! Prints the practice layer's precision, recall and verdict accuracy on the labelled pairs.
//!
//! `cargo run --release --example eval [DIR]` (default `eval/pairs`); add `-v` to list the
//! pairs that disagree with their labels.
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
        "kind agreement on matched changes: {}/{}",
        all.same_kind, all.matched
    );
    println!(
        "verdict accuracy: {}/{} = {:.3}",
        report.pairs.iter().filter(|p| p.verdict_ok).count(),
        report.pairs.len(),
        report.verdict_accuracy()
    );
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
                    disagreement("extra", p.category, p.kind, p.material, &p.summary);
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
