//! `handover completions SHELL`: a completion script for a shell, on standard output.
//!
//! Generated from the clap definition of every command, so new commands and options are
//! completed without changes here. Install, e.g. for bash:
//! `handover completions bash > ~/.local/share/bash-completion/completions/handover`.
use clap::CommandFactory;

use super::{output, Outcome};

/// Arguments of `handover completions`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

pub(crate) fn run(args: Args) -> Outcome {
    let mut command = super::Cli::command();
    output::emit(None, |out| {
        clap_complete::generate(args.shell, &mut command, "handover", out);
        Ok(())
    })?;
    Ok(0)
}
