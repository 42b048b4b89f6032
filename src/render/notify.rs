//! The terminal view of `handover notify`: the summary of a run, a dry run, a resolution,
//! and a previewed notice.
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::notify::{Counts, OutboxSummary, Rendered, Resolved, SmtpSummary};
use crate::render::sanitize;

const BOLD: Style = Style::new().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();

fn common(c: &Counts, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "skipped (already told or answered): {}; told on the site instead (no usable address): {}",
        c.skipped, c.site_notice
    )?;
    if c.site_notice > 0 {
        writeln!(
            out,
            "  record the site notice with `handover record --site-notice URL --posted-at TIME`"
        )?;
    }
    if c.recovered_uncertain > 0 {
        writeln!(
            out,
            "{YELLOW}uncertain{YELLOW:#}: {} notice(s) were being sent when a previous run \
             stopped; they are not sent again",
            c.recovered_uncertain
        )?;
    }
    let uncertain = c.recovered_uncertain + c.waiting_uncertain;
    if uncertain > 0 {
        writeln!(
            out,
            "{uncertain} uncertain notice(s) wait for an operator: check the mail server's log, \
             then `handover notify --resolve MEMBER --as sent|unsent --by NAME` (or \
             --all-uncertain)"
        )?;
    }
    Ok(())
}

/// The summary of an outbox run.
pub fn outbox(s: &OutboxSummary, dir: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover notify{BOLD:#}: {} notice(s) written to {} ({} consent request(s)); \
         {} rewritten from an earlier run",
        s.written, dir, s.counts.consent_requests, s.rewritten
    )?;
    common(&s.counts, out)?;
    writeln!(
        out,
        "mail-merge list: {} (personal data: keep it private, delete it once sent)",
        s.csv.display()
    )?;
    Ok(())
}

/// The summary of an SMTP run.
pub fn smtp(s: &SmtpSummary, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover notify{BOLD:#}: sent {}, rejected {}, retried {}, deferred {}, \
         uncertain {}",
        s.sent, s.rejected, s.retried, s.deferred, s.uncertain
    )?;
    if s.deferred > 0 {
        writeln!(
            out,
            "{} notice(s) failed temporarily on every try; run again later to send them",
            s.deferred
        )?;
    }
    if s.rejected > 0 {
        writeln!(
            out,
            "{} notice(s) were refused for good and recorded as bounced; those members fall \
             back to the site notice (consent requests excepted)",
            s.rejected
        )?;
    }
    common(&s.counts, out)
}

/// What a dry run found.
pub fn dry_run(c: &Counts, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover notify --dry-run{BOLD:#}: {} notice(s) would go ({} consent \
         request(s)); nothing was written",
        c.due, c.consent_requests
    )?;
    common(c, out)
}

/// What `--resolve` recorded.
pub fn resolved(r: &Resolved, sent: bool, out: &mut dyn Write) -> io::Result<()> {
    let what = if sent {
        "sent (closed)"
    } else {
        "not sent (the next run sends it)"
    };
    writeln!(
        out,
        "resolved {} uncertain notice(s) as {what}",
        r.members.len()
    )?;
    for m in r.members.iter().take(20) {
        writeln!(out, "  {}", sanitize(m))?;
    }
    if r.members.len() > 20 {
        writeln!(out, "  ... and {} more", r.members.len() - 20)?;
    }
    Ok(())
}

/// A previewed notice: its headers and text part (the HTML part is only mentioned).
pub fn preview(r: &Rendered, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{BOLD}To:{BOLD:#} {}", sanitize(&r.to))?;
    writeln!(out, "{BOLD}Subject:{BOLD:#} {}", sanitize(&r.subject))?;
    let lang = if r.language.is_empty() {
        "default"
    } else {
        &r.language
    };
    writeln!(
        out,
        "{BOLD}Notice key:{BOLD:#} {} (templates: {lang})",
        r.key
    )?;
    writeln!(out)?;
    write!(out, "{}", sanitize(&r.text))?;
    if !r.text.ends_with('\n') {
        writeln!(out)?;
    }
    if let Some(h) = &r.html {
        writeln!(out)?;
        writeln!(out, "(and an HTML part of {} bytes)", h.len())?;
    }
    Ok(())
}
