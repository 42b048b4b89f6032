//! `notify --smtp URL`: sending notices one SMTP transaction at a time, journalled so that a
//! crash or kill never sends a notice twice (see [`crate::notify`], "The journal").
//!
//! - `smtps://host[:port]` (default 465) is TLS from the start; `smtp://host[:port]`
//!   (default 587) must offer STARTTLS, which is then required; plain SMTP without TLS only
//!   to a loopback host (`localhost`, `127.0.0.0/8`, `::1`). Certificates are checked against
//!   the Web PKI roots (rustls). Credentials, when given, are sent with AUTH PLAIN or LOGIN
//!   and never printed.
//! - The transaction is driven step by step (MAIL, RCPT, DATA, the message) so that a reply
//!   is classified by what it answers: a 5xx to RCPT or to the message rejects that notice; a
//!   5xx to MAIL or DATA is about the sender or the session and stops the run (the notice
//!   stays `prepared`); any 4xx is retried; a broken connection or timeout after DATA was
//!   accepted makes the notice `uncertain` (the server may have it).
//! - `--rate N` spaces transactions at least 1/N seconds apart.
use std::time::{Duration, Instant};

use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use secrecy::{ExposeSecret, SecretString};

use super::{eligible, recover, Clock, Counts, Item, Job, Notifier};
use crate::case::Case;
use crate::error::{Error, Result};
use crate::ledger::evidence::{add, NewEvidence};
use crate::ledger::notices::{self, NoticeState};
use crate::ledger::Ledger;
use crate::machine::Event;

/// Members prepared per ledger transaction before their messages go.
const BATCH: usize = 256;

/// How to reach the mail server.
pub struct SmtpOptions {
    /// `smtp://host:port` or `smtps://host:port`.
    pub url: String,
    /// The user name, if the server wants one.
    pub user: Option<String>,
    /// The password (never printed).
    pub password: Option<SecretString>,
    /// Messages per second at most.
    pub rate: f64,
    /// Tries per notice in this run for temporary (4xx) failures.
    pub attempts: u32,
    /// The wait before the second try; it doubles each time.
    pub backoff: Duration,
    /// How long to wait for the server at each step.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpOptions")
            .field("url", &self.url)
            .field("user", &self.user.as_ref().map(|_| "(set)"))
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("rate", &self.rate)
            .finish_non_exhaustive()
    }
}

/// What a send run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmtpSummary {
    /// What was due, skipped, told on the site, uncertain at start.
    pub counts: Counts,
    /// Accepted by the server.
    pub sent: u64,
    /// Refused for good (5xx): recorded as bounced.
    pub rejected: u64,
    /// Temporary failures (4xx) that were tried again.
    pub retried: u64,
    /// Notices left `prepared` after their tries failed temporarily: the next run sends them.
    pub deferred: u64,
    /// Notices whose outcome this run could not learn (the connection broke after DATA).
    pub uncertain: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    Implicit,
    StartTls,
    Plain,
}

#[derive(Debug, Clone)]
struct Server {
    security: Security,
    host: String,
    port: u16,
    /// The URL as given, for messages.
    shown: String,
}

fn invalid(message: String) -> Error {
    Error::Invalid {
        location: "--smtp".to_string(),
        message,
    }
}

impl Server {
    fn parse(url: &str) -> Result<Server> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            invalid(format!(
                "`{url}` is not an SMTP URL; write smtp://host:port (STARTTLS) or \
                 smtps://host:port (TLS)"
            ))
        })?;
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') || rest.contains('/') || rest.contains('?') {
            return Err(invalid(
                "the SMTP URL takes only a host and a port; credentials come from \
                 HANDOVER_SMTP_USER and HANDOVER_SMTP_PASSWORD or --smtp-password-file"
                    .to_string(),
            ));
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| invalid(format!("`{url}`: an IPv6 host needs a closing `]`")))?;
            (h.to_string(), after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (rest.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(invalid(format!("`{url}` names no host")));
        }
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtps" => (Security::Implicit, 465),
            "smtp" if loopback => (Security::Plain, 25),
            "smtp" => (Security::StartTls, 587),
            other => {
                return Err(invalid(format!(
                    "unknown scheme `{other}`; use smtp:// (STARTTLS) or smtps:// (TLS)"
                )))
            }
        };
        let port = match port {
            None => default_port,
            Some(p) => p
                .parse()
                .map_err(|_| invalid(format!("`{p}` is not a port number")))?,
        };
        Ok(Server {
            security,
            host,
            port,
            shown: url.to_string(),
        })
    }

    fn error(&self, message: String, source: Option<lettre::transport::smtp::Error>) -> Error {
        Error::Smtp {
            server: self.shown.clone(),
            message,
            source,
        }
    }

    fn connect(&self, opts: &SmtpOptions) -> Result<SmtpConnection> {
        let hello = ClientId::default();
        let tls = || {
            TlsParameters::new(self.host.clone())
                .map_err(|e| self.error("cannot set up TLS for this host".to_string(), Some(e)))
        };
        let addr = (self.host.as_str(), self.port);
        let timeout = Some(opts.timeout);
        let fail = |e| self.error(format!("cannot connect: {}", reply(&e)), Some(e));
        let mut conn = match self.security {
            Security::Implicit => {
                SmtpConnection::connect(addr, timeout, &hello, Some(&tls()?), None).map_err(fail)?
            }
            Security::StartTls => {
                let mut c =
                    SmtpConnection::connect(addr, timeout, &hello, None, None).map_err(fail)?;
                if !c.can_starttls() {
                    return Err(self.error(
                        "the server does not offer STARTTLS, and notices are not sent in the \
                         clear; use smtps:// or a server with STARTTLS"
                            .to_string(),
                        None,
                    ));
                }
                c.starttls(&tls()?, &hello)
                    .map_err(|e| self.error(format!("STARTTLS failed: {}", reply(&e)), Some(e)))?;
                c
            }
            Security::Plain => {
                SmtpConnection::connect(addr, timeout, &hello, None, None).map_err(fail)?
            }
        };
        if let (Some(user), Some(password)) = (&opts.user, &opts.password) {
            let credentials = Credentials::new(user.clone(), password.expose_secret().to_string());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .map_err(|e| {
                    self.error(
                        format!(
                            "the server refused the credentials: {}; check \
                             HANDOVER_SMTP_USER and the password",
                            reply(&e)
                        ),
                        Some(e),
                    )
                })?;
        } else if opts.user.is_some() || opts.password.is_some() {
            return Err(invalid(
                "give both a user (HANDOVER_SMTP_USER) and a password \
                 (HANDOVER_SMTP_PASSWORD or --smtp-password-file), or neither"
                    .to_string(),
            ));
        }
        Ok(conn)
    }
}

/// The reply code and text of an SMTP error, with anything that looks like an address
/// taken out (servers often quote the recipient).
fn reply(e: &lettre::transport::smtp::Error) -> String {
    let text = std::error::Error::source(e)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let text: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            if w.contains('@') {
                "<address>".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let text = text.join(" ");
    match e.status() {
        Some(code) => format!("{code} {text}").trim().to_string(),
        None if text.is_empty() => e.to_string(),
        None => {
            let kind = e.to_string();
            let kind = kind.split(':').next().unwrap_or("error");
            format!("{kind}: {text}")
        }
    }
}

/// How one transaction ended.
enum Outcome {
    Accepted,
    /// A 5xx to RCPT or to the message: this notice is refused.
    Rejected(String),
    /// A 4xx anywhere, or a failure before DATA was accepted: not sent, try again.
    Temporary(String),
    /// A 5xx to MAIL or DATA: the sender or the session is refused; stop.
    Session(String, lettre::transport::smtp::Error),
    /// The connection broke or timed out after DATA was accepted.
    Unknown(String),
}

fn transact(conn: &mut SmtpConnection, from: &Address, to: &Address, eml: &[u8]) -> Outcome {
    let classify = |e: lettre::transport::smtp::Error, recipient: bool| {
        if e.is_transient() {
            Outcome::Temporary(reply(&e))
        } else if e.is_permanent() && recipient {
            Outcome::Rejected(reply(&e))
        } else if e.is_permanent() {
            Outcome::Session(reply(&e), e)
        } else {
            Outcome::Temporary(reply(&e))
        }
    };
    if let Err(e) = conn.command(Mail::new(Some(from.clone()), vec![])) {
        return classify(e, false);
    }
    if let Err(e) = conn.command(Rcpt::new(to.clone(), vec![])) {
        return classify(e, true);
    }
    if let Err(e) = conn.command(Data) {
        return classify(e, false);
    }
    match conn.message(eml) {
        Ok(_) => Outcome::Accepted,
        Err(e) if e.is_transient() => Outcome::Temporary(reply(&e)),
        Err(e) if e.is_permanent() => Outcome::Rejected(reply(&e)),
        Err(e) => Outcome::Unknown(reply(&e)),
    }
}

/// Sends every notice due over SMTP; `progress` gets the number of notices done so far.
pub fn send(
    case: &Case,
    clock: Clock,
    opts: &SmtpOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<SmtpSummary> {
    let server = Server::parse(&opts.url)?;
    if !(opts.rate > 0.0 && opts.rate.is_finite()) {
        return Err(invalid(
            "--rate must be a positive number of messages per second".into(),
        ));
    }
    let now = clock.now();
    let mut ledger = super::open(case, now)?;
    let notifier = Notifier::new(case, &ledger, now)?;
    let from: Address = notifier.notice.from.parse().map_err(|_| Error::Invalid {
        location: notifier.notice.at.clone(),
        message: "notice.from is not an address SMTP can carry".to_string(),
    })?;
    let recovered = recover(&mut ledger, &now.to_string())?;
    let waiting = super::count_state(&ledger, NoticeState::Uncertain)? - recovered;
    let mut run = Run {
        server,
        opts,
        clock,
        from,
        writer: Ledger::open(&case.ledger, &now.to_string())?,
        conn: None,
        next_at: Instant::now(),
        summary: SmtpSummary::default(),
        done: 0,
    };
    let mut counts = Counts {
        recovered_uncertain: recovered,
        waiting_uncertain: waiting,
        ..Counts::default()
    };
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut skipped = 0u64;
    let mut consent = 0u64;
    notifier.each_member(&ledger, &mut counts, |n, item| {
        if eligible(&item.candidate).is_none() {
            skipped += 1;
            return Ok(());
        }
        if n.kind(&item.candidate) == "consent-request" {
            consent += 1;
        }
        batch.push(item);
        if batch.len() >= BATCH {
            run.batch(n, std::mem::take(&mut batch), progress)?;
        }
        Ok(())
    })?;
    let result = run.batch(&notifier, batch, progress);
    if let Some(mut conn) = run.conn.take() {
        let _ = conn.quit();
    }
    result?;
    let mut summary = run.summary;
    counts.due = summary.sent + summary.rejected + summary.deferred + summary.uncertain;
    counts.skipped = skipped;
    counts.consent_requests = consent;
    summary.counts = counts;
    Ok(summary)
}

struct Run<'o> {
    server: Server,
    opts: &'o SmtpOptions,
    clock: Clock,
    from: Address,
    writer: Ledger,
    conn: Option<SmtpConnection>,
    next_at: Instant,
    summary: SmtpSummary,
    done: u64,
}

impl Run<'_> {
    fn batch(
        &mut self,
        n: &Notifier<'_>,
        items: Vec<Item>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let stamp = self.clock.now().to_string();
        let key = self.writer.hash_key();
        let err = self.writer.err();
        let mut w = self.writer.write("notify")?;
        let jobs = n.prepare(w.conn(), key, &err, items, &stamp)?;
        w.commit()?;
        for job in jobs {
            self.one(n, job)?;
            self.done += 1;
            progress(self.done);
        }
        Ok(())
    }

    /// Marks a notice's journal state (and evidence) in one committed transaction.
    fn journal(
        &mut self,
        job: &Job,
        state: NoticeState,
        attempts: u32,
        last_error: &str,
        event: Option<(Event, &str, String)>,
    ) -> Result<()> {
        let err = self.writer.err();
        let now = self.clock.now();
        let stamp = now.to_string();
        let mut w = self.writer.write("notify")?;
        let sent_at = (state == NoticeState::Sent).then_some(stamp.as_str());
        notices::set_state(w.conn(), job.row.id, state, attempts, last_error, sent_at)
            .map_err(&err)?;
        if let Some((event, detail, dedupe_key)) = event {
            add(
                w.conn(),
                &NewEvidence::produced(
                    &job.item.member_id,
                    event,
                    now,
                    "smtp",
                    detail,
                    &dedupe_key,
                )
                .of_notice(&job.row.message_id, job.row.id),
                &stamp,
            )
            .map_err(&err)?;
        }
        w.commit()
    }

    fn one(&mut self, n: &Notifier<'_>, job: Job) -> Result<()> {
        let rendered = n.render(&job)?;
        let to: Address = job.item.email.parse().map_err(|_| Error::Invalid {
            location: n.case.members.display.clone(),
            message: format!(
                "member {}: the address is not one SMTP can carry; fix it and plan again",
                job.item.member_id
            ),
        })?;
        let key = job.row.key.clone();
        let mut attempts = job.row.attempts;
        let mut backoff = self.opts.backoff;
        for tried in 1..=self.opts.attempts.max(1) {
            let wait = self.next_at.saturating_duration_since(Instant::now());
            std::thread::sleep(wait);
            self.next_at = Instant::now() + Duration::from_secs_f64(1.0 / self.opts.rate);
            if self.conn.is_none() {
                self.conn = Some(self.server.connect(self.opts)?);
            }
            attempts += 1;
            // Committed before the transaction: a kill from here on leaves `sending`, which
            // the next run turns into `uncertain` rather than sending again.
            self.journal(&job, NoticeState::Sending, attempts, "", None)?;
            let conn = self.conn.as_mut().expect("connected above");
            let outcome = transact(conn, &self.from, &to, &rendered.eml);
            if !matches!(outcome, Outcome::Accepted) {
                if let Some(mut c) = self.conn.take() {
                    c.abort();
                }
            }
            match outcome {
                Outcome::Accepted => {
                    self.journal(
                        &job,
                        NoticeState::Sent,
                        attempts,
                        "",
                        Some((
                            Event::Sent,
                            "accepted by the mail server",
                            format!("notice:{key}:sent"),
                        )),
                    )?;
                    self.summary.sent += 1;
                    return Ok(());
                }
                Outcome::Rejected(why) => {
                    let detail = format!("smtp {why}");
                    self.journal(
                        &job,
                        NoticeState::Rejected,
                        attempts,
                        &why,
                        Some((Event::Bounced, &detail, format!("notice:{key}:rejected"))),
                    )?;
                    self.summary.rejected += 1;
                    return Ok(());
                }
                Outcome::Unknown(why) => {
                    let detail = format!(
                        "smtp: the connection failed after the message was handed over ({why}); \
                         resolve with `handover notify --resolve`"
                    );
                    self.journal(
                        &job,
                        NoticeState::Uncertain,
                        attempts,
                        &why,
                        Some((
                            Event::Uncertain,
                            &detail,
                            format!("notice:{key}:uncertain:{attempts}"),
                        )),
                    )?;
                    self.summary.uncertain += 1;
                    return Ok(());
                }
                Outcome::Session(why, e) => {
                    self.journal(&job, NoticeState::Prepared, attempts, &why, None)?;
                    return Err(self.server.error(
                        format!(
                            "the server refused the sender or the session ({why}); nothing more \
                             was sent"
                        ),
                        Some(e),
                    ));
                }
                Outcome::Temporary(why) => {
                    self.journal(&job, NoticeState::Prepared, attempts, &why, None)?;
                    if tried < self.opts.attempts {
                        self.summary.retried += 1;
                        std::thread::sleep(backoff);
                        backoff = backoff.saturating_mul(2);
                    }
                }
            }
        }
        self.summary.deferred += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_smtp_only_to_loopback() {
        let s = Server::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((s.security, s.port), (Security::Plain, 2525));
        assert_eq!(
            Server::parse("smtp://[::1]:25").unwrap().security,
            Security::Plain
        );
        assert_eq!(
            Server::parse("smtp://localhost").unwrap().security,
            Security::Plain
        );
        let s = Server::parse("smtp://mail.example.com").unwrap();
        assert_eq!((s.security, s.port), (Security::StartTls, 587));
        let s = Server::parse("smtps://mail.example.com").unwrap();
        assert_eq!((s.security, s.port), (Security::Implicit, 465));
        for bad in [
            "mail.example.com",
            "http://mail.example.com",
            "smtp://user:pw@mail.example.com",
            "smtp://mail.example.com:x",
        ] {
            assert!(Server::parse(bad).is_err(), "{bad}");
        }
    }
}
