//! `handover diff OLD NEW`: the redline, the practice changes and the verdict.
//!
//! Either file may be Markdown, text, HTML, Word (`.docx`) or PDF (see
//! `handover::policy::detect`). Exit 0 whatever the verdict (use `handover check` to gate on
//! it); 2 on unreadable input. `--format docx` stamps each tracked change with `--author`
//! (default `handover`) and the shared clock (`--now` / `HANDOVER_NOW`, else now).
use std::path::PathBuf;

use handover::render::{self, Format};

use super::{output, Clock, Outcome};

/// Arguments of `handover diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The current policy (Markdown, text, HTML, .docx or PDF).
    old: PathBuf,
    /// The new (acquirer's) policy.
    new: PathBuf,
    /// Output format; `html` is one self-contained page, `docx` a Word redline with tracked
    /// changes (binary: use -o).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Write to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use this taxonomy instead of the embedded policies/taxonomy.yaml.
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
    /// The author of the tracked changes in a docx redline.
    #[arg(long, value_name = "NAME", default_value = "handover")]
    author: String,
    /// The date of the tracked changes in a docx redline.
    #[command(flatten)]
    clock: Clock,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
    Json,
    Html,
    Docx,
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
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
        FormatArg::Html => Format::Html,
        FormatArg::Docx => Format::Docx,
    };
    // Checked before the work, so a bad --now fails fast.
    let revision = match format {
        Format::Docx => Some(revision(&args.author, &args.clock)?),
        _ => None,
    };
    let diff = handover::diff::diff(&old, &new, &taxonomy);
    let path = args.output.as_deref();
    match (format, revision) {
        (Format::Html, _) => output::emit_raw(path, false, |out| {
            render::html::diff(&diff, &old, &new, out)
        })?,
        (Format::Docx, Some(revision)) => output::emit_raw(path, true, |out| {
            render::docx::diff(&diff, &old, &new, &revision, out)
        })?,
        _ => output::emit(path, |out| match format {
            Format::Markdown => render::markdown::diff(&diff, out),
            Format::Json => render::json::diff(&diff, out),
            _ => render::text::diff(&diff, out),
        })?,
    }
    Ok(0)
}

/// The author and time stamped on tracked changes: whole seconds, UTC.
fn revision(author: &str, clock: &Clock) -> Result<render::docx::Revision, handover::Error> {
    let author = author.trim();
    if author.is_empty() {
        return Err(handover::Error::Invalid {
            location: "--author".to_string(),
            message: "the author of tracked changes cannot be empty; give a name, e.g. \
                      --author \"Jane Doe\""
                .to_string(),
        });
    }
    let now = clock.now()?;
    let date = jiff::Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string();
    Ok(render::docx::Revision {
        author: author.to_string(),
        date,
    })
}
