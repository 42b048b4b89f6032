//! The command line: clap definitions, dispatch, and the mapping of outcomes to exit codes.
//!
//! One file per subcommand, each with its `Args` and `run`. clap types stay in this module;
//! the library takes plain values. Only this module prints.
use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod diff;
mod export;
mod init;
mod output;
mod plan;
mod signoff;
mod status;
mod verify;

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
    #[command(flatten)]
    global: Global,
}

/// Options every case command understands.
#[derive(Debug, clap::Args)]
pub(crate) struct Global {
    /// The case file (or its folder); default: handover.yaml in the current folder.
    #[arg(long, global = true, value_name = "PATH")]
    case: Option<std::path::PathBuf>,
    /// Fix the clock (RFC 3339), e.g. to rehearse a notice window.
    #[arg(long, global = true, env = "HANDOVER_NOW", value_name = "TIME")]
    now: Option<String>,
}

impl Global {
    /// The clock: `--now`, `HANDOVER_NOW`, or the system time.
    pub(crate) fn now(&self) -> Result<jiff::Timestamp, handover::Error> {
        match &self.now {
            None => Ok(jiff::Timestamp::now()),
            Some(text) => text.parse().map_err(|e| handover::Error::Invalid {
                location: "--now".to_string(),
                message: format!(
                    "`{text}` is not an RFC 3339 time ({e}); write e.g. 2026-12-01T09:00:00Z"
                ),
            }),
        }
    }

    /// The case file, read and validated.
    pub(crate) fn case(&self) -> Result<handover::case::Case, handover::Error> {
        handover::case::Case::load(&handover::case::find(self.case.as_deref()))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redline two policies and say whether their data practices differ.
    Diff(diff::Args),
    /// CI: check policy files changed since a git revision; exit 1 on an unacknowledged
    /// material change.
    Check(check::Args),
    /// Scaffold a case: handover.yaml, a notice template, a members file and the ledger.
    Init(init::Args),
    /// Decide, member by member, who must be told or asked; record it in the ledger.
    Plan(plan::Args),
    /// Show the state of the case: decisions, states, blockers, earliest export.
    Status(status::Args),
    /// Record legal approval of the plan in force (a re-plan voids it).
    Signoff(signoff::Args),
    /// Write the encrypted bundle(s) of the ready members, after the gate.
    Export(export::Args),
    /// The acquirer's side: decrypt a bundle, check it against its manifest, extract safely.
    Verify(verify::Args),
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
        Command::Check(args) => check::run(args, &cli.global),
        Command::Init(args) => init::run(args, &cli.global),
        Command::Plan(args) => plan::run(args, &cli.global),
        Command::Status(args) => status::run(args, &cli.global),
        Command::Signoff(args) => signoff::run(args, &cli.global),
        Command::Export(args) => export::run(args, &cli.global),
        Command::Verify(args) => verify::run(args),
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
