//! `handover check [--base REV] [PATHS...]`: the CI gate on policy files in a repository.
//!
//! Exit 0 when no material change is unacknowledged, 1 when one is, 2 on bad input (not a
//! git repository, a base revision that is not there, a broken acknowledgements file).
//! `--acknowledge --by NAME --reason TEXT` records every unacknowledged material change in
//! the acknowledgements file and exits 0 (with `--material true|false`, the reviewer's
//! judgement of the changed sentences to review, required when there are any); the time recorded is `--now` or `HANDOVER_NOW`
//! when set (as everywhere in handover), else the clock. With `--format github` a Markdown summary is
//! also appended to the file named by `GITHUB_STEP_SUMMARY`, when that is set. With
//! `--format html` the page holds the full `handover diff` report of each changed policy
//! (deleted ones are listed by name).
use std::io::Write;
use std::path::PathBuf;

use handover::check::{self, CheckOptions};
use handover::render::check as render;
use handover::Error;

use super::{output, Clock, Outcome};

/// Arguments of `handover check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Policy files or folders (Markdown files in folders) [default: policies/ at the top of
    /// the repository].
    paths: Vec<PathBuf>,
    /// Compare with this git revision [default: the merge base of HEAD with the default
    /// branch, else HEAD].
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Output format; `github` writes workflow-command annotations, `html` one page with the
    /// full report of each changed policy.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Write to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// The acknowledgements file [default: policies/acknowledged.yaml at the top of the
    /// repository].
    #[arg(long, value_name = "FILE")]
    acknowledgements: Option<PathBuf>,
    /// Use this taxonomy instead of the embedded policies/taxonomy.yaml.
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
    /// Record every unacknowledged material change as reviewed, then exit 0.
    #[arg(long, requires_all = ["by", "reason"])]
    acknowledge: bool,
    /// Who reviewed the changes (with --acknowledge).
    #[arg(long, value_name = "NAME", requires = "acknowledge")]
    by: Option<String>,
    /// Why they are acceptable (with --acknowledge).
    #[arg(long, value_name = "TEXT", requires = "acknowledge")]
    reason: Option<String>,
    #[command(flatten)]
    clock: Clock,
    /// Whether the changed sentences to review were material, as the reviewer judged them
    /// (with --acknowledge; required when there are any).
    #[arg(long, value_name = "true|false", requires = "acknowledge")]
    material: Option<bool>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
    Json,
    Github,
    Html,
}

pub(crate) fn run(args: Args) -> Outcome {
    let dir = std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })?;
    let options = CheckOptions {
        dir,
        base: args.base.clone(),
        paths: args.paths.clone(),
        acknowledgements: args.acknowledgements.clone(),
    };
    let taxonomy = match &args.taxonomy {
        Some(path) => handover::taxonomy::Taxonomy::load(path)?,
        None => handover::taxonomy::Taxonomy::embedded(),
    };
    let mut report = check::check(&options, &taxonomy)?;
    let mut inputs: Vec<output::Input> = report
        .files
        .iter()
        .map(|f| ("a policy file", report.root.join(&f.path)))
        .collect();
    inputs.push(("the acknowledgements file", report.acknowledgements_path()));
    inputs.extend(args.taxonomy.clone().map(|t| ("the taxonomy", t)));
    output::refuse_inputs("--output", args.output.as_deref(), inputs)?;
    if args.acknowledge {
        acknowledge(&args, &mut report)?;
    }
    if let FormatArg::Html = args.format {
        output::emit_raw(args.output.as_deref(), false, |out| html(&report, out))?;
    } else {
        output::emit(args.output.as_deref(), |out| match args.format {
            FormatArg::Text => render::text(&report, out),
            FormatArg::Markdown => render::markdown(&report, out),
            FormatArg::Json => render::json(&report, out),
            _ => render::github(&report, out),
        })?;
    }
    if let FormatArg::Github = args.format {
        step_summary(&report)?;
    }
    Ok(if report.passed() { 0 } else { 1 })
}

/// The HTML page: one full report per changed file that has two versions to compare, and a
/// line for each deleted file.
fn html(report: &check::CheckReport, out: &mut dyn Write) -> std::io::Result<()> {
    let compared: Vec<_> = report
        .files
        .iter()
        .filter_map(|f| f.compared.as_deref())
        .map(|c| (&c.diff, &c.old, &c.new))
        .collect();
    let deleted: Vec<&str> = report
        .files
        .iter()
        .filter(|f| matches!(f.status, check::FileStatus::Deleted))
        .map(|f| f.path.as_str())
        .collect();
    let title = if report.passed() {
        "handover check: passed".to_string()
    } else {
        format!(
            "handover check: {} unacknowledged material change(s)",
            report.blocking()
        )
    };
    handover::render::html::many(&title, &compared, &deleted, out)
}

/// Records the blocking findings and marks them acknowledged in `report`.
fn acknowledge(args: &Args, report: &mut check::CheckReport) -> Result<(), Error> {
    let field = |name: &str, value: &Option<String>| -> Result<String, Error> {
        match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(Error::Invalid {
                location: format!("--{name}"),
                message: format!(
                    "--acknowledge needs a non-empty --{name}: say who reviewed the changes \
                     (--by) and why they are acceptable (--reason)"
                ),
            }),
        }
    };
    let (by, reason) = (field("by", &args.by)?, field("reason", &args.reason)?);
    // `--now` / `HANDOVER_NOW`, else the clock: RFC 3339 in UTC.
    let at = args.clock.now()?.to_string();
    let reviews = report.blocking_reviews();
    if reviews > 0 && args.material.is_none() {
        return Err(Error::Invalid {
            location: "--material".to_string(),
            message: format!(
                "{reviews} changed sentence{} to review: read {} and add --material true if \
                 {} a practice, --material false if not",
                if reviews == 1 { "" } else { "s" },
                if reviews == 1 { "it" } else { "them" },
                if reviews == 1 {
                    "it changes"
                } else {
                    "any changes"
                },
            ),
        });
    }
    let entries = report.acknowledge(&by, &reason, Some(&at), args.material);
    let path = report.acknowledgements_path();
    if entries.is_empty() {
        eprintln!(
            "handover: nothing to acknowledge; {} is unchanged",
            report.acknowledgements
        );
        return Ok(());
    }
    let existing = match std::fs::read(&path) {
        Ok(bytes) => Some(
            handover::input::decode(
                &report.acknowledgements,
                handover::input::Kind::Acknowledgements,
                &bytes,
            )?
            .to_string(),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(Error::Read { path, source }),
    };
    let text = handover::ack::append(&report.acknowledgements, existing.as_deref(), &entries)?;
    output::write_atomically(&path, |out| out.write_all(text.as_bytes()))?;
    eprintln!(
        "handover: recorded {} acknowledgement{} in {}; commit it with the policy change",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        report.acknowledgements
    );
    Ok(())
}

/// Appends the Markdown report to `$GITHUB_STEP_SUMMARY`, when GitHub Actions sets it.
fn step_summary(report: &check::CheckReport) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = PathBuf::from(path);
    let fail = |source| Error::Write {
        path: path.clone(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(fail)?;
    let mut text = Vec::new();
    render::markdown(report, &mut text).map_err(fail)?;
    file.write_all(&text).map_err(fail)
}
