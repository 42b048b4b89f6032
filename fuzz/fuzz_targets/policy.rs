//! Fuzz the Markdown front end: any bytes are either refused as not text or parsed, read for
//! practices and compared with the seed policy, without a panic, with evidence lines in range.
#![no_main]
use std::sync::OnceLock;

use handover::policy::Policy;
use handover::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

const SEED: &str = include_str!("../../policies/japantourist-2012.md");

static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
static SEED_POLICY: OnceLock<Policy> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(policy) = handover::policy::from_bytes("fuzz.md", data) else {
        return;
    };
    let taxonomy = TAXONOMY.get_or_init(Taxonomy::embedded);
    let seed = SEED_POLICY.get_or_init(|| handover::policy::parse("seed.md", SEED, String::new()));
    for (old, new) in [(seed, &policy), (&policy, seed)] {
        let diff = handover::diff::diff(old, new, taxonomy);
        for change in &diff.practice_changes {
            for e in change.old.iter() {
                assert!(e.line >= 1 && e.line <= old.line_count);
            }
            for e in change.new.iter() {
                assert!(e.line >= 1 && e.line <= new.line_count);
            }
        }
    }
    let itself = handover::diff::diff(&policy, &policy, taxonomy);
    assert!(itself.text_changes.is_empty() && itself.practice_changes.is_empty());
});
