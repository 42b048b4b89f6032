//! The command line: clap definitions, dispatch, and the mapping of outcomes to exit codes.
//!
//! One file per subcommand, each with its `Args` and `run`. clap types stay in this module;
//! the library takes plain values. Only this module prints.
use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod diff;
mod output;

/// The outcome of a subcommand that did not fail: 0, or 1 for a finding.
pub(crate) type Outcome = Result<u8, Failure>;

/// Why a subcommand stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error from the library, with its own exit code.
    Lib(handover::Error),
    /// Writing the output failed (a closed pipe is not a failure).
    Io(io::Error),
}

impl From<handover::Error> for Failure {
    fn from(e: handover::Error) -> Self {
        Failure::Lib(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// Compare privacy policies, plan who must be told before their data move to an acquirer,
/// and keep the evidence.
#[derive(Debug, Parser)]
#[command(name = "handover", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redline two policies and say whether their data practices differ.
    Diff(diff::Args),
    /// CI: check policy files changed since a git revision; exit 1 on an unacknowledged
    /// material change.
    Check(check::Args),
}

/// Parses the command line, runs it, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = match cli.command {
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("handover: error: cannot write the output: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Lib(e)) => {
            eprintln!("handover: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
