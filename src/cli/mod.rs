//! The command line: clap definitions, dispatch, and the mapping of outcomes to exit codes.
//!
//! One file per subcommand, each with its `Args` and `run`. clap types stay in this module;
//! the library takes plain values. Only this module prints.
use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod completions;
mod convert;
mod diff;
mod export;
mod init;
mod man;
mod notify;
mod output;
mod plan;
mod progress;
mod record;
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
#[command(
    name = "handover",
    version,
    about,
    max_term_width = 100,
    after_long_help = "Exit codes: 0 done, nothing blocking; 1 a finding (check: an \
unacknowledged material change; status --ready: not ready); 2 bad input or usage (the message \
names the file, line and what to do); 3 refused by a safety gate.\n\nThe case file, the wire \
formats and the ledger are documented in the docs/ folder of the source."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The options of commands that work on a case: the case file and the clock. Flattened into
/// the `Args` of each command that uses them, so no command offers an option it ignores.
#[derive(Debug, clap::Args)]
pub(crate) struct CaseArgs {
    /// The case file (or its folder); default: handover.yaml in the current folder.
    #[arg(long, value_name = "PATH")]
    case: Option<std::path::PathBuf>,
    #[command(flatten)]
    clock: Clock,
}

impl CaseArgs {
    /// The case file, read and validated.
    pub(crate) fn case(&self) -> Result<handover::case::Case, handover::Error> {
        handover::case::Case::load(&handover::case::find(self.case.as_deref()))
    }

    /// The clock (see [`Clock::now`]).
    pub(crate) fn now(&self) -> Result<jiff::Timestamp, handover::Error> {
        self.clock.now()
    }

    /// Whether the clock was fixed (`--now` / `HANDOVER_NOW`) rather than the system's.
    pub(crate) fn clock_is_fixed(&self) -> bool {
        self.clock.now.is_some()
    }
}

/// The clock option, for commands that record a time.
#[derive(Debug, clap::Args)]
pub(crate) struct Clock {
    /// Fix the clock (RFC 3339), e.g. to rehearse a notice window.
    #[arg(long, env = "HANDOVER_NOW", value_name = "TIME")]
    now: Option<String>,
}

impl Clock {
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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redline two policies and say whether their data practices differ.
    Diff(diff::Args),
    /// CI: check policy files changed since a git revision; exit 1 on an unacknowledged
    /// material change.
    Check(check::Args),
    /// Write the Markdown that handover reads from a policy (HTML, .docx, PDF, Markdown).
    Convert(convert::Args),
    /// Scaffold a case: handover.yaml, a notice template, a members file and the ledger.
    Init(init::Args),
    /// Decide, member by member, who must be told or asked; record it in the ledger.
    Plan(plan::Args),
    /// Render the notices the plan calls for: hand them off as an outbox or send them over
    /// SMTP; preview one, count them, or resolve uncertain ones.
    Notify(notify::Args),
    /// Record evidence: provider events, answers, objections, the site notice.
    Record(record::Args),
    /// Show the state of the case: decisions, states, blockers, earliest export.
    Status(status::Args),
    /// Record legal approval of the plan in force (a re-plan voids it).
    Signoff(signoff::Args),
    /// Write the encrypted bundle(s) of the ready members, after the gate.
    Export(export::Args),
    /// The acquirer's side: decrypt a bundle, check it against its manifest, extract safely.
    Verify(verify::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the manual page (roff), or write one page per command into a folder.
    Man(man::Args),
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
        Command::Convert(args) => convert::run(args),
        Command::Init(args) => init::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Notify(args) => notify::run(args),
        Command::Record(args) => record::run(args),
        Command::Status(args) => status::run(args),
        Command::Signoff(args) => signoff::run(args),
        Command::Export(args) => export::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
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
            if let Some(hint) = e.hint() {
                eprintln!("handover: hint: {hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
