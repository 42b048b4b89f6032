//! Lists the practice statements extracted from one policy, for tuning the taxonomy:
//! `cargo run --release --example practices -- POLICY.md [KEY-PREFIX]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: practices POLICY.md [KEY-PREFIX]");
        std::process::exit(2);
    };
    let prefix = args.get(1).map(String::as_str).unwrap_or("");
    let policy = match handover::policy::load(path.as_ref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("practices: error: {e}");
            std::process::exit(2);
        }
    };
    let set = handover::practices::extract(&policy, &handover::taxonomy::Taxonomy::embedded());
    for s in set.statements.iter().filter(|s| s.key.starts_with(prefix)) {
        println!(
            "{:>4} {:<32} {:<10?} types={:?} to={:?} places={:?} kept={:?}\n     {}",
            s.evidence.line,
            s.key,
            s.polarity,
            s.data_types,
            s.recipients,
            s.places,
            s.retention,
            s.evidence.text
        );
    }
}
