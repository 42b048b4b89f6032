//! Fuzz the HTML, Word and PDF front ends: the first byte picks the format (by the file name
//! given), the rest are the file. Any bytes are refused or read, without a panic of ours (a
//! panic inside pdf-extract is caught and refused), with every block's positions in range,
//! and what is read compares with itself as identical.
#![no_main]
use std::sync::OnceLock;

use handover::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.html", "fuzz.docx", "fuzz.pdf", "fuzz"][pick as usize % 4];
    let Ok(policy) = handover::policy::from_bytes(name, bytes) else {
        return;
    };
    for block in &policy.blocks {
        assert!(block.lines.0 >= 1 && block.lines.0 <= block.lines.1);
        assert!(block.lines.1 <= policy.line_count);
    }
    let taxonomy = TAXONOMY.get_or_init(Taxonomy::embedded);
    let itself = handover::diff::diff(&policy, &policy, taxonomy);
    assert!(itself.text_changes.is_empty() && itself.practice_changes.is_empty());
    let mut markdown = Vec::new();
    handover::policy::markdown::write(&policy, &mut markdown).expect("write to memory");
});
