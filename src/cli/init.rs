//! `handover init [DIR]`: scaffold a case folder.
//!
//! Exit 0; 3 when DIR already has a handover.yaml; 2 when a file cannot be written.
use std::path::PathBuf;

use super::{Clock, Outcome};

/// Arguments of `handover init`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The case folder (created if missing; default: the current folder).
    dir: Option<PathBuf>,
    /// The creation time recorded in the new ledger.
    #[command(flatten)]
    clock: Clock,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now =
        args.clock
            .now()?
            .round(jiff::Unit::Second)
            .map_err(|e| handover::Error::Invalid {
                location: "--now".into(),
                message: e.to_string(),
            })?;
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let written = handover::scaffold::init(&dir, &now.to_string())?;
    let mut out = anstream::stdout().lock();
    use std::io::Write;
    for path in &written {
        writeln!(out, "created {}", path.display())?;
    }
    writeln!(
        out,
        "\nNext: put your policy at {0}/policies/current.md and the acquirer's at \
         {0}/policies/acquirer.md, your members export at {0}/members.csv (or point \
         handover.yaml at them), adjust the columns and rule packs in handover.yaml, then run \
         `handover plan` in {0}.",
        dir.display()
    )?;
    Ok(0)
}
