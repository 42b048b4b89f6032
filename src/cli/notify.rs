//! `handover notify`: render the notices the plan calls for and hand them off as an outbox
//! (`--outbox DIR`) or send them (`--smtp URL`); `--preview MEMBER` shows one, `--dry-run`
//! counts what would go, `--resolve` records an operator's finding on uncertain notices.
//!
//! Exit 0; 2 on bad input (case file, templates, arguments) or when the mail server cannot be
//! used; 3 when there is no plan or the policies, case file or members file changed since it.
use std::path::PathBuf;
use std::time::Duration;

use handover::notify::{Clock, SmtpOptions};
use secrecy::SecretString;

use super::{output, CaseArgs, Outcome};

/// Arguments of `handover notify`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).multiple(false)
    .args(["outbox", "smtp", "preview", "resolve", "dry_run"])))]
pub(crate) struct Args {
    /// Write one .eml per notice, its bodies and mail-merge.csv into DIR (created 0700;
    /// files 0600), and record the notices as handed off.
    #[arg(long, value_name = "DIR")]
    outbox: Option<PathBuf>,
    /// Send over SMTP: smtp://host:port (STARTTLS required; plain only to loopback) or
    /// smtps://host:port (TLS). Credentials: HANDOVER_SMTP_USER and HANDOVER_SMTP_PASSWORD
    /// or --smtp-password-file.
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Render one member's notice to the terminal; nothing is recorded.
    #[arg(long, value_name = "MEMBER")]
    preview: Option<String>,
    /// Count what would go (and what is uncertain); write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Record an operator's finding on MEMBER's uncertain notice (with --as and --by), or on
    /// every uncertain notice with --all-uncertain.
    #[arg(long, value_name = "MEMBER", num_args = 0..=1, default_missing_value = "")]
    resolve: Option<String>,
    /// With --resolve: every uncertain notice.
    #[arg(long, requires = "resolve")]
    all_uncertain: bool,
    /// With --resolve: what the operator found.
    #[arg(long = "as", value_enum, value_name = "OUTCOME", requires = "resolve")]
    outcome: Option<OutcomeArg>,
    /// With --resolve: who decided (recorded as evidence).
    #[arg(long, value_name = "NAME", requires = "resolve")]
    by: Option<String>,
    /// With --resolve: why (recorded as evidence; no personal data).
    #[arg(long, value_name = "TEXT", requires = "resolve")]
    note: Option<String>,
    /// A file holding the SMTP password (first line); else HANDOVER_SMTP_PASSWORD.
    #[arg(long, value_name = "FILE", requires = "smtp")]
    smtp_password_file: Option<PathBuf>,
    /// Messages per second at most.
    #[arg(long, value_name = "N", default_value_t = 10.0, requires = "smtp")]
    rate: f64,
    /// Tries per notice for temporary (4xx) failures in one run.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "smtp")]
    attempts: u32,
    /// Milliseconds before the second try; doubled for each further one.
    #[arg(long, value_name = "MS", default_value_t = 2000, requires = "smtp")]
    backoff_ms: u64,
    /// Seconds to wait for the server at each step.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, requires = "smtp")]
    timeout: u64,
    #[command(flatten)]
    case: CaseArgs,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutcomeArg {
    /// The notice went out.
    Sent,
    /// It did not: send it again on the next run.
    Unsent,
}

pub(crate) fn run(args: Args) -> Outcome {
    let now = args.case.now()?;
    let clock = if args.case.clock_is_fixed() {
        Clock::Fixed(now)
    } else {
        Clock::System
    };
    let case = args.case.case()?;
    if let Some(member) = &args.resolve {
        let member = match (member.as_str(), args.all_uncertain) {
            ("", true) => None,
            (m, false) if !m.is_empty() => Some(m),
            _ => {
                return Err(usage(
                    "--resolve takes a MEMBER, or --all-uncertain (not both)",
                ))
            }
        };
        let (Some(outcome), Some(by)) = (args.outcome, &args.by) else {
            return Err(usage("--resolve needs --as sent|unsent and --by NAME"));
        };
        let sent = matches!(outcome, OutcomeArg::Sent);
        let r = handover::notify::resolve(&case, now, member, sent, by, args.note.as_deref())?;
        output::emit(None, |out| {
            handover::render::notify::resolved(&r, sent, out)
        })?;
        return Ok(0);
    }
    if let Some(member) = &args.preview {
        let r = handover::notify::preview(&case, now, member)?;
        output::emit(None, |out| handover::render::notify::preview(&r, out))?;
        return Ok(0);
    }
    if args.dry_run {
        let c = handover::notify::dry_run(&case, now)?;
        output::emit(None, |out| handover::render::notify::dry_run(&c, out))?;
        return Ok(0);
    }
    let bar = super::progress::bar("{spinner} notify: {human_pos} done {elapsed}");
    bar.enable_steady_tick(Duration::from_millis(200));
    if let Some(dir) = &args.outbox {
        let result = handover::notify::outbox(&case, clock, dir, &mut |n| bar.set_position(n));
        bar.finish_and_clear();
        let s = result?;
        let shown = dir.display().to_string();
        output::emit(None, |out| {
            handover::render::notify::outbox(&s, &shown, out)
        })?;
        return Ok(0);
    }
    let Some(url) = args.smtp else {
        return Err(usage("say where notices go: --outbox DIR or --smtp URL"));
    };
    let password = match &args.smtp_password_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| handover::Error::Read {
                path: path.clone(),
                source,
            })?;
            Some(SecretString::from(
                text.lines().next().unwrap_or_default().to_string(),
            ))
        }
        None => std::env::var("HANDOVER_SMTP_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(SecretString::from),
    };
    let opts = SmtpOptions {
        url,
        user: std::env::var("HANDOVER_SMTP_USER")
            .ok()
            .filter(|u| !u.is_empty()),
        password,
        rate: args.rate,
        attempts: args.attempts,
        backoff: Duration::from_millis(args.backoff_ms),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let result = handover::notify::send(&case, clock, &opts, &mut |n| bar.set_position(n));
    bar.finish_and_clear();
    let s = result?;
    output::emit(None, |out| handover::render::notify::smtp(&s, out))?;
    Ok(0)
}

fn usage(message: &str) -> super::Failure {
    super::Failure::Lib(handover::Error::Invalid {
        location: "handover notify".to_string(),
        message: message.to_string(),
    })
}
