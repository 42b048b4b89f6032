//! `handover signoff --by NAME [--note TEXT]`: record legal approval of the plan in force.
//!
//! Exit 0; 2 on a bad name or case file; 3 when there is no plan to sign off.
use super::{output, CaseArgs, Outcome};

/// Arguments of `handover signoff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Who approves the plan in force (name as it should appear in the bundles).
    #[arg(long, value_name = "NAME")]
    by: String,
    /// A note kept with the approval (e.g. the ticket or minutes it refers to).
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    #[command(flatten)]
    case: CaseArgs,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let case = args.case.case()?;
    let signoff = handover::bundle::signoff(&case, now, &args.by, &args.note)?;
    output::emit(None, |out| {
        writeln!(
            out,
            "Signed off plan {} by {} at {}. A re-plan voids this sign-off.",
            signoff.pin,
            handover::render::sanitize(&signoff.by),
            signoff.at
        )
    })?;
    Ok(0)
}
