//! The terminal view of `handover status`, ending with a line saying what to do next; the
//! JSON is [`crate::status::Status::json`].
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::render::sanitize;
use crate::status::{Status, STATES};

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();

/// Writes the status for a terminal (styled; strip the codes when colour is off).
pub fn text(st: &Status, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{BOLD}handover status{BOLD:#}: {}", sanitize(&st.case))?;
    let Some(pin) = &st.pin else {
        writeln!(out, "no plan yet: run `handover plan`")?;
        return Ok(());
    };
    writeln!(
        out,
        "planned at {} ({} rows read)",
        pin.planned_at, pin.members
    )?;
    for p in st.pins.iter().filter(|p| !p.same) {
        writeln!(
            out,
            "{RED}changed since plan{RED:#}: {}; run `handover plan --replan`",
            sanitize(&p.what)
        )?;
    }
    let d = &st.decisions;
    writeln!(
        out,
        "members: {}; decisions: exclude {}, transfer {}, notify {}, consent {}",
        st.members, d.exclude, d.transfer, d.notify, d.consent
    )?;
    let states: Vec<String> = STATES
        .iter()
        .zip(st.states)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", s.as_str()))
        .collect();
    writeln!(out, "states: {}", states.join(", "))?;
    if st.review > 0 && st.flagged.is_empty() {
        writeln!(
            out,
            "flagged for review: {} (`handover status --flagged` lists them)",
            st.review
        )?;
    }
    match st.earliest_export {
        Some(t) => writeln!(out, "earliest export: {t}")?,
        None => writeln!(
            out,
            "earliest export: not known until notices are sent; the notice period is {} days \
             (if every notice went out now: {})",
            pin.notice_period_days, st.if_sent_now
        )?,
    }
    if st.ready {
        writeln!(out, "ready: {GREEN}yes{GREEN:#}")?;
    } else {
        writeln!(out, "ready: {RED}no{RED:#}")?;
    }
    if !st.flagged.is_empty() {
        writeln!(out, "\n{BOLD}Flagged for review ({}){BOLD:#}", st.review)?;
        for f in &st.flagged {
            writeln!(
                out,
                "  row {} ({}): {}",
                f.row,
                sanitize(&f.member_id),
                sanitize(&f.review)
            )?;
        }
    }
    if st.blockers_total > 0 {
        writeln!(out, "\n{BOLD}Blocking ({}){BOLD:#}", st.blockers_total)?;
        for b in &st.blockers {
            writeln!(out, "  {}  {}", sanitize(&b.member_id), b.state)?;
        }
        let more = st.blockers_total - st.blockers.len() as u64;
        if more > 0 {
            writeln!(out, "  ... and {more} more (--blockers 0 lists all)")?;
        }
    }
    writeln!(out, "\nNext: {}", next_step(st))
}

/// What to do next, from the state of the case.
fn next_step(st: &Status) -> &'static str {
    if st.pins.iter().any(|p| !p.same) {
        "the inputs changed since the plan: run `handover plan --replan`, then `handover status` \
         again."
    } else if st.ready {
        "the export may go ahead for the ready members."
    } else {
        "notify the members who must be told or asked, record the delivery evidence, and run \
         `handover status` again; `handover status --ready` exits 0 once the export may go \
         ahead."
    }
}
