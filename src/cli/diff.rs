//! `handover diff OLD NEW`: the redline, the practice changes and the verdict.
//!
//! Exit 0 whatever the verdict (use `handover check` to gate on it); 2 on unreadable input.
use std::path::PathBuf;

use handover::render::{self, Format};

use super::{output, Outcome};

/// Arguments of `handover diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The current policy (Markdown or plain text).
    old: PathBuf,
    /// The new (acquirer's) policy.
    new: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Write to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use this taxonomy instead of the embedded policies/taxonomy.yaml.
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
    Json,
}

pub(crate) fn run(args: Args) -> Outcome {
    let mut inputs = vec![
        ("the old policy", args.old.clone()),
        ("the new policy", args.new.clone()),
    ];
    inputs.extend(args.taxonomy.clone().map(|t| ("the taxonomy", t)));
    output::refuse_inputs("--output", args.output.as_deref(), inputs)?;
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| handover::policy::load(&args.old));
        let new = handover::policy::load(&args.new);
        let old = old
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old, new)
    });
    let (old, new) = (old?, new?);
    let taxonomy = match &args.taxonomy {
        Some(path) => handover::taxonomy::Taxonomy::load(path)?,
        None => handover::taxonomy::Taxonomy::embedded(),
    };
    let diff = handover::diff::diff(&old, &new, &taxonomy);
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
    };
    output::emit(args.output.as_deref(), |out| match format {
        Format::Text => render::text::diff(&diff, out),
        Format::Markdown => render::markdown::diff(&diff, out),
        Format::Json => render::json::diff(&diff, out),
    })?;
    Ok(0)
}
