//! The terminal summaries of `handover record`: evidence files, and the site notice.
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::record::{SiteSummary, Summary};
use crate::render::sanitize;

const BOLD: Style = Style::new().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Writes the summary of recorded files (styled; strip the codes when colour is off).
pub fn summary(s: &Summary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover record{BOLD:#}: {} event{} read from {} file{}",
        s.records(),
        plural(s.records()),
        s.files.len(),
        plural(s.files.len() as u64)
    )?;
    for f in &s.files {
        writeln!(
            out,
            "  {} ({}): {} read, {} recorded, {} refused, {} replay{}, {} unmatched, {} ignored",
            sanitize(&f.path.display().to_string()),
            f.format,
            f.records,
            f.recorded,
            f.refused,
            f.replays,
            plural(f.replays),
            f.unmatched,
            f.ignored
        )?;
    }
    if !s.events.is_empty() {
        writeln!(out, "\n{BOLD}Recorded per event{BOLD:#}")?;
        for (event, n) in &s.events {
            writeln!(out, "  {event:<14}{n:>9}")?;
        }
    }
    if !s.moves.is_empty() {
        writeln!(out, "\n{BOLD}State moves{BOLD:#}")?;
        for ((from, to), n) in &s.moves {
            writeln!(out, "  {:<28}{n:>9}", format!("{from} -> {to}"))?;
        }
    }
    if !s.refused.is_empty() {
        writeln!(
            out,
            "\n{BOLD}Refused by the state machine{BOLD:#} (kept as evidence; states unchanged)"
        )?;
        for (why, n) in &s.refused {
            writeln!(out, "  {n:>9}  {why}")?;
        }
    }
    if s.replays() > 0 {
        writeln!(
            out,
            "\n{} replay{} (already in the ledger; nothing written)",
            s.replays(),
            plural(s.replays())
        )?;
    }
    if !s.ignored.is_empty() {
        writeln!(out, "\n{BOLD}Not evidence of notice{BOLD:#} (ignored)")?;
        for (name, n) in &s.ignored {
            writeln!(out, "  {:<40}{n:>9}", sanitize(name))?;
        }
    }
    let unmatched = s.unmatched_total();
    if unmatched > 0 {
        writeln!(
            out,
            "\n{YELLOW}Unmatched{YELLOW:#}: {unmatched} event{} matched no member (not recorded)",
            plural(unmatched)
        )?;
        for u in &s.unmatched {
            writeln!(
                out,
                "  {}:{}: {}: {}",
                sanitize(&u.file.display().to_string()),
                u.line,
                u.event,
                u.why.as_str()
            )?;
        }
        if unmatched > s.unmatched.len() as u64 {
            writeln!(
                out,
                "  ... and {} more (--unmatched 0 lists all)",
                unmatched - s.unmatched.len() as u64
            )?;
        }
    }
    Ok(())
}

/// Writes the summary of a site-notice posting.
pub fn site_notice(s: &SiteSummary, out: &mut dyn Write) -> io::Result<()> {
    let n = &s.notice;
    writeln!(
        out,
        "{BOLD}handover record{BOLD:#}: site notice {} posted at {}{}{}",
        sanitize(&n.url),
        n.posted_at,
        n.until.map(|u| format!(" until {u}")).unwrap_or_default(),
        if s.new_posting {
            ""
        } else {
            " (already recorded)"
        }
    )?;
    writeln!(
        out,
        "  told by it now: {}; already told: {}; replays: {}",
        s.told, s.unchanged, s.replays
    )?;
    for (why, count) in &s.refused {
        writeln!(out, "  refused by the state machine: {count}  {why}")?;
    }
    if s.after_until > 0 {
        writeln!(
            out,
            "  {YELLOW}{} member{} bounced after the notice came down{YELLOW:#}: not told by \
             this posting; post the notice again and record that posting",
            s.after_until,
            plural(s.after_until)
        )?;
    }
    if let Some(end) = s.short_until {
        writeln!(
            out,
            "  {YELLOW}warning{YELLOW:#}: the page comes down before the notice period from \
             its posting ends ({end}); keep it up until then"
        )?;
    }
    Ok(())
}
