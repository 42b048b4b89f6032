//! `handover plan`: decide who must be told or asked, record it in the ledger, print a
//! summary, and with `--out` write the decisions CSV (DESIGN.md section 4).
//!
//! Exit 0; 2 on a bad case file or members file, or an `--out` that is one of the case's own
//! files (nothing is written); 3 when the policies, the case file, the packs or the members
//! file changed since the plan in force and `--replan` is not given.
use std::io::Write;
use std::path::PathBuf;

use handover::plan::Progress;

use super::{output, CaseArgs, Outcome};

/// Arguments of `handover plan`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write the decisions, one row per member in input order, to FILE (replaced atomically,
    /// only when the plan succeeds).
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    /// Plan again although the policies, the case file or the packs changed since the plan in
    /// force; evidence already recorded is kept.
    #[arg(long)]
    replan: bool,
    #[command(flatten)]
    case: CaseArgs,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let case = args.case.case()?;
    // A file has a size to measure against; standard input only a count.
    let sized = matches!(case.members.source, handover::case::Source::File(_));
    let bar = super::progress::bar(if sized {
        "{spinner} planning {bytes}/{total_bytes} {wide_bar} {eta}"
    } else {
        "{spinner} planning: {human_pos} members read"
    });
    let mut on_progress = |p: Progress| {
        if let Some(total) = p.total {
            bar.set_length(total);
            bar.set_position(p.bytes);
        } else {
            bar.set_position(p.rows);
        }
    };
    output::refuse_inputs("--out", args.out.as_deref(), inputs(&case))?;
    let to_stdout = args.out.as_deref().is_some_and(output::is_stdout);
    let summary = match &args.out {
        None => handover::plan::run(&case, now, args.replan, None, &mut on_progress)?,
        Some(_) if to_stdout => {
            // `--out -`: the decisions are the output; the summary goes to standard error.
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
            let result =
                handover::plan::run(&case, now, args.replan, Some(&mut out), &mut on_progress);
            bar.finish_and_clear();
            let summary = result?;
            out.flush()?;
            summary
        }
        Some(path) => {
            // The CSV goes to a temporary file beside the target, renamed only on success.
            // It is data, not a report: no escape-code stripping, a large buffer.
            let file = output::AtomicFile::create(path)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file.file());
            let result =
                handover::plan::run(&case, now, args.replan, Some(&mut out), &mut on_progress);
            bar.finish_and_clear();
            let summary = result?;
            out.flush().map_err(|e| file.fail(e))?;
            drop(out);
            file.commit()?;
            summary
        }
    };
    bar.finish_and_clear();
    let report = |out: &mut dyn Write| {
        handover::render::plan::summary(&summary, out)?;
        if let Some(path) = args.out.as_ref().filter(|_| !to_stdout) {
            writeln!(out, "Decisions written to {}.", path.display())?;
        }
        handover::render::plan::next_step(&summary, out)
    };
    if to_stdout {
        report(&mut anstream::stderr().lock())?;
    } else {
        output::emit(None, report)?;
    }
    Ok(0)
}

/// Everything `plan` reads, which `--out` must not replace.
fn inputs(case: &handover::case::Case) -> Vec<output::Input<'static>> {
    let mut inputs = vec![
        ("the case file", case.path.clone()),
        ("the current policy", case.current.clone()),
        ("the acquirer's policy", case.acquirer.clone()),
    ];
    if let handover::case::Source::File(members) = &case.members.source {
        inputs.push(("the members file", members.clone()));
    }
    for pack in case.rules.packs() {
        if !pack.source.ends_with(" (embedded)") {
            inputs.push(("a rule pack file", std::path::PathBuf::from(&pack.source)));
        }
    }
    if let Some(notice) = &case.notice {
        if let Ok(entries) = std::fs::read_dir(&notice.templates) {
            for entry in entries.flatten() {
                if entry.path().extension().is_some_and(|e| e == "j2") {
                    inputs.push(("the notice template", entry.path()));
                }
            }
        }
    }
    inputs.extend(output::ledger_files(&case.ledger));
    inputs
}
