//! `handover record`: evidence files into the ledger (`FILE...`), or the prominent site notice
//! (`--site-notice URL --posted-at TIME [--until TIME]`); see `handover::record`.
//!
//! Exit 0 (events that matched no member are listed and warned about); 2 on a malformed
//! file (nothing is recorded from any file), a bad option, or, with `--strict`, any unmatched
//! event (nothing recorded); 3 when there is no plan or another command holds the ledger.
use std::path::PathBuf;

use handover::evidence::Format;
use handover::record::{Options, Progress, SiteNotice};

use super::{output, CaseArgs, Outcome};

/// Arguments of `handover record`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Evidence files: provider event exports or webhook bodies, the generic CSV, or our
    /// answer CSVs.
    #[arg(
        value_name = "FILE",
        required_unless_present = "site_notice",
        conflicts_with = "site_notice"
    )]
    files: Vec<PathBuf>,
    /// The files' format (default: detected per file; the answer CSVs need it).
    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::as_str)))]
    format: Option<String>,
    /// Refuse the run (exit 2, nothing recorded) when an event matches no member.
    #[arg(long)]
    strict: bool,
    /// List at most N unmatched events (0: all; default 20).
    #[arg(long, value_name = "N")]
    unmatched: Option<usize>,
    /// Record the prominent site notice posted at URL.
    #[arg(long, value_name = "URL", requires = "posted_at")]
    site_notice: Option<String>,
    /// When the site notice went up (RFC 3339).
    #[arg(long, value_name = "TIME", requires = "site_notice")]
    posted_at: Option<String>,
    /// When it came, or comes, down (RFC 3339).
    #[arg(long, value_name = "TIME", requires = "site_notice")]
    until: Option<String>,
    #[command(flatten)]
    case: CaseArgs,
}

/// Unmatched events listed unless `--unmatched` says otherwise.
const LISTED: usize = 20;

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let case = args.case.case()?;
    if let Some(url) = args.site_notice {
        let time = |flag: &str, text: &str| {
            text.parse::<jiff::Timestamp>()
                .map_err(|e| handover::Error::Invalid {
                    location: flag.to_string(),
                    message: format!(
                        "`{text}` is not an RFC 3339 time ({e}); write e.g. 2026-12-01T09:00:00Z"
                    ),
                })
        };
        let notice = SiteNotice {
            url,
            posted_at: time("--posted-at", args.posted_at.as_deref().unwrap_or_default())?,
            until: args
                .until
                .as_deref()
                .map(|u| time("--until", u))
                .transpose()?,
        };
        let summary = handover::record::site_notice(&case, &notice, now)?;
        output::emit(None, |out| {
            handover::render::record::site_notice(&summary, out)
        })?;
        return Ok(0);
    }
    let options = Options {
        files: args.files,
        format: args.format.as_deref().and_then(Format::parse),
        strict: args.strict,
        list: match args.unmatched {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(LISTED),
        },
        batch: handover::record::BATCH,
    };
    let bar = super::progress::bar("{spinner} {msg} {bytes}/{total_bytes} {wide_bar} {eta}");
    let mut on_progress = |p: Progress| {
        bar.set_length(p.total);
        bar.set_position(p.bytes);
        bar.set_message(if p.recording { "recording" } else { "checking" });
    };
    let result = handover::record::record(&case, &options, now, &mut on_progress);
    bar.finish_and_clear();
    let summary = result?;
    output::emit(None, |out| handover::render::record::summary(&summary, out))?;
    let unmatched = summary.unmatched_total();
    if unmatched > 0 {
        eprintln!(
            "handover: warning: {unmatched} event{} matched no member and {} not recorded \
             (listed above; --strict refuses such files)",
            if unmatched == 1 { "" } else { "s" },
            if unmatched == 1 { "was" } else { "were" }
        );
    }
    Ok(0)
}
