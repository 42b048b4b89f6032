//! Renderings of a [`CheckReport`]: terminal text, Markdown for a pull-request comment, the
//! `handover.check/v1` JSON wire format, and GitHub Actions workflow commands.
//!
//! # `handover.check/v1`
//!
//! ```text
//! { "schema": "handover.check/v1",
//!   "passed": false,                       // no material change left unacknowledged
//!   "base": {"rev": "origin/main", "commit": "<40 hex>", "how": "merge-base"},
//!                                          // how: "given" | "merge-base" | "head"
//!   "acknowledgements": "policies/acknowledged.yaml",
//!   "counts": {"files", "changed", "findings", "material", "acknowledged", "unacknowledged"},
//!   "files": [{"path": "policies/privacy.md",            // repository-relative, `/`
//!              "status": "modified",                     // unchanged|modified|added|deleted
//!              "old_sha256": "..." | null, "new_sha256": "..." | null,
//!              "summary": "1 material change: ...", "text_changes": 3,
//!              "findings": [{"id": "<fingerprint>", "category": "sharing" | null,
//!                            "kind": "added",  // added|removed|expanded|narrowed|modified|
//!                                              //   policy-deleted
//!                            "material": true, "review": false,
//!                                              // review: a changed sentence no practice
//!                                              //   change explains; material until acknowledged
//!                            "summary": "...", "data_types": [],
//!                            "line": 7 | null, // working-tree line: of its new evidence,
//!                                              //   else of the text that replaced its old
//!                            "old": [{"line", "text"}], "new": [{"line", "text"}],
//!                            "acknowledged": null | {"by", "reason", "at"}}]}] }
//! ```
//!
//! `counts.changed` counts files whose status is not `unchanged`; `acknowledged` and
//! `unacknowledged` count material findings only. Every file checked is listed, unchanged
//! ones too. Field order and extra fields are free; these fields and meanings are stable.
//!
//! # Text
//!
//! One line per finding, marked `!` (material, not acknowledged), `=` (material,
//! acknowledged) or `~` (not material), with a legend ([`LEGEND`]) under them.
//!
//! # GitHub workflow commands
//!
//! One `::error` per unacknowledged material finding and one `::notice` per other finding,
//! with `file=` and, when the finding rests on a line of the working-tree file, `line=`;
//! then a plain line with the outcome. Data are escaped as GitHub requires (`%`, CR, LF;
//! in properties also `:` and `,`) and other control characters are removed, so policy
//! text cannot start a command of its own.
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::check::{BaseHow, CheckReport, FileReport, FileStatus, Finding, FindingKind};
use crate::render::markdown::{code, escape};
use crate::render::sanitize;

/// The schema name written into every JSON document.
pub const CHECK_SCHEMA: &str = "handover.check/v1";

/// The legend of the text markers, printed under the findings.
pub const LEGEND: &str =
    "Legend: ! material, not acknowledged; = material, acknowledged; ~ not material";

/// The command that records acknowledgements, as shown to users.
const ACK_COMMAND: &str = "handover check --acknowledge --by NAME --reason TEXT";

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();

/// Writes the report for a terminal (styled; strip the codes when colour is off).
pub fn text(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}handover check{BOLD:#}: working tree against {}",
        base_label(report)
    )?;
    for file in report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Unchanged)
    {
        writeln!(
            out,
            "\n{BOLD}{}{BOLD:#} ({}): {}",
            sanitize(&file.path),
            status(file.status),
            sanitize(&file.summary)
        )?;
        for finding in &file.findings {
            text_finding(finding, out)?;
        }
    }
    let counts = Counts::of(report);
    if report.findings().next().is_some() {
        writeln!(out, "\n{DIM}{LEGEND}{DIM:#}")?;
    }
    writeln!(
        out,
        "\n{} policy file{} checked, {} changed; {} material change{}, {} not acknowledged.",
        counts.files,
        plural(counts.files),
        counts.changed,
        counts.material,
        plural(counts.material),
        counts.unacknowledged
    )?;
    if report.passed() {
        writeln!(out, "{}passed{:#}", GREEN.bold(), GREEN.bold())
    } else {
        writeln!(
            out,
            "{}FAILED{:#}: review the change{} marked !, then record the review with\n  {ACK_COMMAND}\nand commit {}.",
            RED.bold(),
            RED.bold(),
            plural(counts.unacknowledged),
            sanitize(&report.acknowledgements)
        )
    }
}

fn text_finding(finding: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let (mark, style) = match (finding.material, &finding.acknowledged) {
        (true, None) => ("!", RED.bold()),
        (true, Some(_)) => ("=", GREEN),
        (false, _) => ("~", DIM),
    };
    writeln!(
        out,
        "  {style}{mark}{style:#} {:<13} {:<9} {}",
        category(finding),
        kind(finding),
        sanitize(&finding.summary)
    )?;
    crate::render::text::evidence(&finding.old, &finding.new, out)?;
    match &finding.acknowledged {
        Some(ack) => writeln!(
            out,
            "      {DIM}fingerprint {}, acknowledged by {}: {}{DIM:#}",
            finding.id,
            sanitize(&ack.by),
            sanitize(&ack.reason)
        ),
        None if finding.material => {
            writeln!(
                out,
                "      {DIM}fingerprint {}, not acknowledged{DIM:#}",
                finding.id
            )
        }
        None => writeln!(out, "      {DIM}fingerprint {}{DIM:#}", finding.id),
    }
}

/// Writes the report as Markdown, for a pull-request comment or a step summary.
pub fn markdown(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(report);
    if report.passed() {
        writeln!(out, "## handover check: passed\n")?;
    } else {
        writeln!(out, "## handover check: failed\n")?;
        writeln!(
            out,
            "**{} material change{} not acknowledged.**",
            counts.unacknowledged,
            if counts.unacknowledged == 1 {
                " is"
            } else {
                "s are"
            }
        )?;
    }
    writeln!(
        out,
        "Policies compared with {}: {} file{} checked, {} changed, {} material change{}.\n",
        escape(&base_label(report)),
        counts.files,
        plural(counts.files),
        counts.changed,
        counts.material,
        plural(counts.material)
    )?;
    let changed: Vec<&FileReport> = report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Unchanged)
        .collect();
    if !changed.is_empty() {
        writeln!(out, "| File | Status | Verdict |\n|---|---|---|")?;
        for file in &changed {
            writeln!(
                out,
                "| `{}` | {} | {} |",
                code(&file.path),
                status(file.status),
                escape(&file.summary)
            )?;
        }
        writeln!(out)?;
    }
    for file in changed.iter().filter(|f| !f.findings.is_empty()) {
        writeln!(out, "### `{}`\n", code(&file.path))?;
        writeln!(
            out,
            "| | Category | Change | Summary | Line | Fingerprint | Acknowledged |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for finding in &file.findings {
            markdown_row(finding, out)?;
        }
        writeln!(out)?;
    }
    if !report.passed() {
        writeln!(
            out,
            "After review, record the acknowledgement with `{ACK_COMMAND}` and commit `{}`.",
            code(&report.acknowledgements)
        )?;
    }
    Ok(())
}

fn markdown_row(finding: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let mark = match (finding.material, &finding.acknowledged) {
        (true, None) => "**material**",
        (true, Some(_)) => "material",
        (false, _) => "",
    };
    let acknowledged = match &finding.acknowledged {
        Some(ack) => format!("by {}: {}", escape(&ack.by), escape(&ack.reason)),
        None if finding.material => "**no**".to_string(),
        None => String::new(),
    };
    writeln!(
        out,
        "| {mark} | {} | {} | {} | {} | `{}` | {acknowledged} |",
        category(finding),
        kind(finding),
        escape(&finding.summary),
        finding.line.map(|l| format!("L{l}")).unwrap_or_default(),
        code(&finding.id)
    )
}

/// Writes the report as `handover.check/v1` JSON, pretty-printed, with a trailing newline.
pub fn json(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Wire<'a> {
        schema: &'static str,
        passed: bool,
        counts: Counts,
        #[serde(flatten)]
        report: &'a CheckReport,
    }
    let wire = Wire {
        schema: CHECK_SCHEMA,
        passed: report.passed(),
        counts: Counts::of(report),
        report,
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    out.write_all(b"\n")
}

/// Writes GitHub Actions workflow commands: annotations on the working-tree files.
pub fn github(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    for (file, finding) in report.findings() {
        let command = if finding.blocking() {
            "error"
        } else {
            "notice"
        };
        let title = github_title(finding);
        let mut message = finding.summary.clone();
        match &finding.acknowledged {
            Some(ack) => message.push_str(&format!(". Acknowledged by {}: {}", ack.by, ack.reason)),
            None if finding.material => message.push_str(&format!(
                ". Fingerprint {}. After review, record it with `{ACK_COMMAND}` and commit {}.",
                finding.id, report.acknowledgements
            )),
            None => {}
        }
        let mut properties = format!("file={}", property(&file.path));
        if let Some(line) = finding.line {
            properties.push_str(&format!(",line={line}"));
        }
        properties.push_str(&format!(",title={}", property(&title)));
        writeln!(out, "::{command} {properties}::{}", data(&message))?;
    }
    let counts = Counts::of(report);
    if report.passed() {
        writeln!(
            out,
            "handover check passed: {} material change{}, all acknowledged",
            counts.material,
            plural(counts.material)
        )
    } else {
        writeln!(
            out,
            "handover check failed: {} material change{} not acknowledged",
            counts.unacknowledged,
            plural(counts.unacknowledged)
        )
    }
}

fn github_title(finding: &Finding) -> String {
    let what = match finding.kind {
        FindingKind::PolicyDeleted => "policy deleted".to_string(),
        kind => format!("{} change ({})", category(finding), kind.as_str()),
    };
    match (finding.material, &finding.acknowledged) {
        (true, None) => format!("Material {what}"),
        (true, Some(_)) => format!("Acknowledged {what}"),
        (false, _) => format!("{what}, not material"),
    }
}

/// Escapes the message of a workflow command.
pub fn data(text: &str) -> String {
    // Line breaks are escaped before control characters are removed, so they survive.
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    sanitize(&escaped).into_owned()
}

/// Escapes a property value of a workflow command.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Debug, Serialize)]
struct Counts {
    files: usize,
    changed: usize,
    findings: usize,
    material: usize,
    acknowledged: usize,
    unacknowledged: usize,
}

impl Counts {
    fn of(report: &CheckReport) -> Counts {
        let material = report.findings().filter(|(_, f)| f.material).count();
        let unacknowledged = report.blocking();
        Counts {
            files: report.files.len(),
            changed: report
                .files
                .iter()
                .filter(|f| f.status != FileStatus::Unchanged)
                .count(),
            findings: report.findings().count(),
            material,
            acknowledged: material - unacknowledged,
            unacknowledged,
        }
    }
}

fn base_label(report: &CheckReport) -> String {
    let base = &report.base;
    let short = &base.commit[..base.commit.len().min(12)];
    match base.how {
        BaseHow::Given => format!("{} ({short})", sanitize(&base.rev)),
        BaseHow::MergeBase => format!("the merge base with {} ({short})", sanitize(&base.rev)),
        BaseHow::Head => format!("HEAD ({short}; no default branch shares its history)"),
    }
}

fn category(finding: &Finding) -> &'static str {
    finding.category.map_or("policy", |c| c.as_str())
}

/// The kind for people: a deleted policy's category already says `policy`.
fn kind(finding: &Finding) -> &'static str {
    match finding.kind {
        FindingKind::PolicyDeleted => "deleted",
        other => other.as_str(),
    }
}

fn status(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Unchanged => "unchanged",
        FileStatus::Modified => "modified",
        FileStatus::Added => "added",
        FileStatus::Deleted => "deleted",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(data("50% off\r\nnext\x1b[31m"), "50%25 off%0D%0Anext[31m");
        assert_eq!(property("a: b, c%\n"), "a%3A b%2C c%25%0A");
    }
}
