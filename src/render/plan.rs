//! The terminal summary of `handover plan`: counts per decision and reason, flagged rows;
//! and the line saying what to do next, which the caller prints last.
use std::io::{self, Write};

use anstyle::Style;

use crate::decide::{ConsentMode, DecisionKind};
use crate::plan::Summary;
use crate::render::sanitize;

const BOLD: Style = Style::new().bold();

/// Writes the plan summary (styled; strip the codes when colour is off).
pub fn summary(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{BOLD}handover plan{BOLD:#}: {}", sanitize(&s.case))?;
    writeln!(
        out,
        "planned at {}; rule packs: {} (notice period {} days)",
        s.pin.planned_at,
        s.packs.join(", "),
        s.pin.notice_period_days
    )?;
    writeln!(
        out,
        "policies: {} practice change{}, {} material",
        s.changes.0,
        plural(s.changes.0 as u64),
        s.changes.1
    )?;
    let t = &s.terms;
    writeln!(
        out,
        "deal: {}; acquirer country: {}; transfer basis: {}",
        t.deal.as_str(),
        t.acquirer_country.as_deref().unwrap_or("not given"),
        t.transfer_basis.map_or("none", |b| b.as_str()),
    )?;
    writeln!(
        out,
        "consent mode: {} ({}); related purposes: {}",
        t.consent_mode.as_str(),
        match t.consent_mode {
            ConsentMode::Ringfence => "members move after notice; new uses wait for a yes",
            ConsentMode::Block => "no yes, no move",
        },
        if t.related_purposes.is_empty() {
            "none declared".to_string()
        } else {
            t.related_purposes.join(", ")
        }
    )?;
    for pack in &t.outside_promise {
        writeln!(
            out,
            "{BOLD}deal outside the promise{BOLD:#}: `{pack}` does not cover a {}; counsel must \
             confirm the promise allows this deal (decisions follow the packs' rules for it)",
            t.deal.as_str()
        )?;
    }
    writeln!(out, "members: {}", s.pin.members)?;
    writeln!(out, "\n{BOLD}Decisions{BOLD:#}")?;
    for (i, kind) in DecisionKind::ALL.iter().enumerate() {
        writeln!(out, "  {:<9}{:>9}", kind.as_str(), s.decisions[i])?;
        let mut reasons: Vec<(&str, u64, Vec<String>)> = Vec::new();
        for t in s.tallies.iter().filter(|t| t.decision == *kind) {
            let channel = t.channel.map(|c| format!("{} {}", c.as_str(), t.members));
            match reasons.iter_mut().find(|r| r.0 == t.reason) {
                Some(r) => {
                    r.1 += t.members;
                    r.2.extend(channel);
                }
                None => reasons.push((&t.reason, t.members, channel.into_iter().collect())),
            }
        }
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (reason, n, channels) in reasons {
            let channels = if channels.is_empty() {
                String::new()
            } else {
                format!(" ({})", channels.join(", "))
            };
            writeln!(out, "  {:>18}  {}{channels}", n, sanitize(reason))?;
        }
    }
    if !s.opt_ins.is_empty() {
        writeln!(out, "\n{BOLD}New uses that wait for a yes{BOLD:#} (opt_in)")?;
        for o in &s.opt_ins {
            writeln!(
                out,
                "  {:>9}  {} {}",
                o.members,
                sanitize(&o.change),
                sanitize(&o.summary)
            )?;
        }
    }
    if s.consent_by_parent > 0 {
        writeln!(
            out,
            "  {:>9}  members' yes must come from a parent or guardian (minors)",
            s.consent_by_parent
        )?;
    }
    let flagged = s.invalid_emails.1 + s.same_email.1 + s.implausible_ages.1 + s.reduced_emails.1;
    if flagged > 0 {
        writeln!(out, "\n{BOLD}Flagged for review ({flagged}){BOLD:#}")?;
        let mut lines: Vec<(u64, String)> = Vec::new();
        for e in &s.invalid_emails.0 {
            lines.push((
                e.row,
                format!(
                    "row {} ({}): email is not valid ({}); site notice instead",
                    e.row,
                    sanitize(&e.member_id),
                    e.problem.message()
                ),
            ));
        }
        for d in &s.same_email.0 {
            lines.push((
                d.row,
                format!(
                    "row {} ({}): same email as row {} ({}): probably the same person; decided separately, not merged",
                    d.row,
                    sanitize(&d.member_id),
                    d.first_row,
                    sanitize(&d.first_member_id)
                ),
            ));
        }
        for a in &s.implausible_ages.0 {
            lines.push((
                a.row,
                format!(
                    "row {} ({}): {}; decided as if the birth date were unknown",
                    a.row,
                    sanitize(&a.member_id),
                    a.problem.message()
                ),
            ));
        }
        for r in &s.reduced_emails.0 {
            lines.push((
                r.row,
                format!(
                    "row {} ({}): email had a display name; emailed to the address inside it",
                    r.row,
                    sanitize(&r.member_id)
                ),
            ));
        }
        lines.sort();
        for (_, line) in &lines {
            writeln!(out, "  {line}")?;
        }
        let more = flagged - lines.len() as u64;
        if more > 0 {
            writeln!(
                out,
                "  ... and {more} more (`handover status --flagged` lists them all)"
            )?;
        }
    }
    writeln!(out)?;
    if s.unchanged {
        writeln!(
            out,
            "Same inputs as the plan in force: the decisions are unchanged."
        )?;
    } else if s.replanned || s.members.any() {
        writeln!(
            out,
            "Planned again (--replan); evidence already recorded is kept."
        )?;
    }
    if s.members.any() {
        writeln!(
            out,
            "Members since the previous plan: {}.",
            sanitize(&s.members.describe())
        )?;
    }
    Ok(())
}

/// The last line after a plan: what to do next.
pub fn next_step(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let flagged = s.invalid_emails.1 + s.same_email.1;
    let review = if flagged > 0 {
        "look at the rows flagged for review, then "
    } else {
        ""
    };
    writeln!(
        out,
        "Next: {review}run `handover status` to see who blocks the export and when it may go \
         ahead."
    )
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
