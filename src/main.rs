//! The `handover` binary: parse the command line, run it, map the outcome to an exit code.
//!
//! Everything that prints lives in [`cli`]; the library (`handover`) returns data only.
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
