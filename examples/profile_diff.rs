//! Times the stages of `handover diff` on two files: `cargo run --release --example profile_diff A B`.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (a, b) = (&args[0], &args[1]);
    let t = Instant::now();
    let taxonomy = handover::taxonomy::Taxonomy::embedded();
    let t_tax = t.elapsed();
    let t = Instant::now();
    let old = handover::policy::load(a.as_ref()).unwrap();
    let new = handover::policy::load(b.as_ref()).unwrap();
    let t_parse = t.elapsed();
    let t = Instant::now();
    let po = handover::practices::extract(&old, &taxonomy);
    let pn = handover::practices::extract(&new, &taxonomy);
    let t_extract = t.elapsed();
    let t = Instant::now();
    let changes = handover::compare::compare_sets(&po, &pn, &taxonomy);
    let t_compare = t.elapsed();
    let t = Instant::now();
    let red = handover::redline::redline(&old, &new);
    let t_red = t.elapsed();
    println!(
        "taxonomy {t_tax:?} parse {t_parse:?} extract {t_extract:?} compare {t_compare:?} redline {t_red:?} ({} statements, {} changes, {} text changes)",
        po.statements.len() + pn.statements.len(),
        changes.len(),
        red.len()
    );
}
