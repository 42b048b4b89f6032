//! `handover convert FILE -o policy.md`: the Markdown that handover read from a policy in any
//! format, so a team can keep a converted policy under version control and review what was
//! read. Reading the output back gives the same blocks and words (see
//! `handover::policy::markdown`).
//!
//! Exit 0 when written; 2 when the file cannot be read (missing, not a supported format, or
//! content that contradicts its extension).
use std::path::PathBuf;

use super::{output, Outcome};

/// Arguments of `handover convert`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy to convert (Markdown, text, HTML, .docx or PDF).
    file: PathBuf,
    /// Write to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Outcome {
    let policy = handover::policy::load(&args.file)?;
    output::emit_raw(args.output.as_deref(), false, |out| {
        handover::policy::markdown::write(&policy, out)
    })?;
    Ok(0)
}
