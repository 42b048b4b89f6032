//! `handover status`: the state of the case, as text or `handover.status/v1` JSON.
//!
//! Exit 0; with `--ready`, 1 when the export could not go ahead now; 2 on a bad case file.
use super::{output, CaseArgs, Outcome};

/// Arguments of `handover status`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Exit 1 unless the export could go ahead now.
    #[arg(long)]
    ready: bool,
    /// List at most N blocking members (0: all). Default: 20 in text; all in JSON, whose
    /// `blockers` list is part of the `handover.status/v1` contract.
    #[arg(long, value_name = "N")]
    blockers: Option<usize>,
    /// List every row flagged for a person to look at (invalid addresses, probable
    /// duplicates, ...): in text, and as `flagged` in the JSON.
    #[arg(long)]
    flagged: bool,
    #[command(flatten)]
    case: CaseArgs,
}

/// Blocking members listed in text unless `--blockers` says otherwise.
const TEXT_BLOCKERS: usize = 20;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let case = args.case.case()?;
    let limit = match (args.blockers, args.format) {
        (Some(0), _) | (None, FormatArg::Json) => None,
        (Some(n), _) => Some(n),
        (None, FormatArg::Text) => Some(TEXT_BLOCKERS),
    };
    let status = handover::status::status(&case, now, limit, args.flagged)?;
    output::emit(None, |out| match args.format {
        FormatArg::Text => handover::render::status::text(&status, out),
        FormatArg::Json => {
            serde_json::to_writer(&mut *out, &status.json())?;
            writeln!(out)
        }
    })?;
    Ok(if args.ready && !status.ready { 1 } else { 0 })
}
