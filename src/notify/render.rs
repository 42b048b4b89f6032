//! Rendering a notice: the templates of the case (strict minijinja), the context of one
//! member, and the RFC 5322 message built with `lettre`. The context and file names are
//! documented in [`crate::notify`].
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::{Timestamp, ToSpan};
use lettre::message::header::{self, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Job, Notifier};
use crate::compare::PracticeChange;
use crate::error::{Error, Result};

/// A practice change as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    id: String,
    category: &'static str,
    kind: &'static str,
    summary: String,
    material: bool,
}

impl ChangeView {
    pub(crate) fn of(c: &PracticeChange) -> ChangeView {
        ChangeView {
            id: c.id.clone(),
            category: c.category.as_str(),
            kind: c.kind.as_str(),
            summary: c.summary.clone(),
            material: c.material,
        }
    }
}

#[derive(Serialize)]
struct Group<'a> {
    category: &'static str,
    items: Vec<&'a ChangeView>,
}

/// What rendering reuses from one notice to the next: the case's mailboxes, parsed once, and
/// the template values of the changes lists, built once per distinct list (members share a
/// handful of decisions, so a run builds a few).
pub(crate) struct Views {
    /// `notice.from`; `None` when it is not an address (reported when a message is built).
    from: Option<Mailbox>,
    /// `notice.reply_to`, when set; `Err` when it is not an address.
    reply_to: Option<std::result::Result<Mailbox, ()>>,
    /// (changes, opt-ins) of a decision -> the `changes` and `opt_in` values.
    lists: std::sync::Mutex<HashMap<(String, String), (Value, Value)>>,
}

impl Views {
    pub(crate) fn new(n: &crate::case::Notice) -> Views {
        Views {
            from: n.from.parse().ok(),
            reply_to: n.reply_to.as_ref().map(|r| r.parse().map_err(|_| ())),
            lists: std::sync::Mutex::new(HashMap::new()),
        }
    }
}

/// The templates of a case, loaded once.
pub(crate) struct Templates {
    env: Environment<'static>,
    dir: PathBuf,
    /// Languages with their own text template, and the SHA-256 of the templates each uses.
    identity: HashMap<String, String>,
    default_sha256: String,
    html: Vec<String>,
}

/// A language code safe to build a file name from: letters, digits and `-`, at most 16.
fn language_code(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_lowercase();
    (!s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then_some(s)
}

impl Templates {
    /// Loads `notice.txt.j2` (required) and every `notice.<lang>.txt.j2`, `notice.html.j2`,
    /// `notice.<lang>.html.j2` of `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Debug information in release builds too: a template error then carries the
        // template's source, which `template_error` quotes (minijinja keeps it only in debug
        // builds by default).
        env.set_debug(true);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut sources = HashMap::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.to_path_buf(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(middle) = name
                .strip_prefix("notice.")
                .and_then(|n| n.strip_suffix(".j2"))
            else {
                continue;
            };
            let lang = match middle.rsplit_once('.') {
                None => "",
                Some((lang, _)) => lang,
            };
            if !(middle.ends_with("txt") || middle.ends_with("html"))
                || (!lang.is_empty() && language_code(lang).as_deref() != Some(lang))
            {
                continue;
            }
            let path = entry.path();
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            sources.insert(name, text);
        }
        if !sources.contains_key("notice.txt.j2") {
            return Err(Error::Invalid {
                location: dir.display().to_string(),
                message: "no notice.txt.j2 here: the text part every notice falls back to; \
                          `handover init` writes one to start from"
                    .to_string(),
            });
        }
        let sha = |names: &[&str]| {
            let mut h = Sha256::new();
            for n in names {
                if let Some(t) = sources.get(*n) {
                    h.update(n.as_bytes());
                    h.update(b"\0");
                    h.update(t.as_bytes());
                }
            }
            crate::policy::hex(&h.finalize())
        };
        let default_sha256 = sha(&["notice.txt.j2", "notice.html.j2"]);
        let mut identity = HashMap::new();
        let mut html = Vec::new();
        for name in sources.keys() {
            if let Some(lang) = name
                .strip_prefix("notice.")
                .and_then(|n| n.strip_suffix(".txt.j2"))
            {
                let text = format!("notice.{lang}.txt.j2");
                let html_name = format!("notice.{lang}.html.j2");
                identity.insert(lang.to_string(), sha(&[&text, &html_name]));
            }
            if name.ends_with(".html.j2") {
                html.push(name.clone());
            }
        }
        for (name, text) in sources {
            let location = dir.join(&name).display().to_string();
            env.add_template_owned(name, text)
                .map_err(|e| template_error(&location, e))?;
        }
        Ok(Templates {
            env,
            dir: dir.to_path_buf(),
            identity,
            default_sha256,
            html,
        })
    }

    /// The language a member's notice is rendered in (empty: the default templates) and the
    /// SHA-256 of those templates.
    pub(crate) fn identity(&self, language: &str) -> (&str, &str) {
        if let Some(code) = language_code(language) {
            if let Some((lang, sha)) = self.identity.get_key_value(&code) {
                return (lang, sha);
            }
        }
        ("", &self.default_sha256)
    }

    fn names(&self, language: &str) -> (String, Option<String>) {
        let (lang, _) = self.identity(language);
        let text = if lang.is_empty() {
            "notice.txt.j2".to_string()
        } else {
            format!("notice.{lang}.txt.j2")
        };
        // A language with its own text part gets an HTML part only from its own HTML
        // template: never a part in another language.
        let html = if lang.is_empty() {
            "notice.html.j2".to_string()
        } else {
            format!("notice.{lang}.html.j2")
        };
        let html = self.html.contains(&html).then_some(html);
        (text, html)
    }

    fn render(&self, name: &str, ctx: &Value) -> Result<String> {
        let location = self.dir.join(name).display().to_string();
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&location, e))?;
        tmpl.render(ctx.clone())
            .map_err(|e| template_error(&location, e))
    }
}

/// A template error, at the template's line, with the line's text (templates hold no
/// personal data) so that the variable is named.
fn template_error(location: &str, e: minijinja::Error) -> Error {
    let line = e.line();
    let at = match line {
        Some(l) => format!("{location}:{l}"),
        None => location.to_string(),
    };
    let what = match e.kind() {
        minijinja::ErrorKind::UndefinedError => {
            "a variable or attribute used here is not defined (strict mode: nothing is left \
             blank)"
                .to_string()
        }
        _ => e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_string),
    };
    let source_line = e
        .template_source()
        .zip(line)
        .and_then(|(src, l)| src.lines().nth(l.saturating_sub(1)))
        .map(|s| format!(" in `{}`", s.trim()))
        .unwrap_or_default();
    Error::Template {
        location: at,
        message: format!(
            "{what}{source_line}; fix the template (the README lists the variables a notice \
             template may use)"
        ),
        source: e,
    }
}

/// A rendered notice.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The notice key.
    pub key: String,
    /// The recipient.
    pub to: String,
    /// The language of the templates used (empty: the default).
    pub language: String,
    /// The subject.
    pub subject: String,
    /// The text part.
    pub text: String,
    /// The HTML part, when there is a template for it.
    pub html: Option<String>,
    /// The whole RFC 5322 message.
    pub eml: Vec<u8>,
}

/// `List-Unsubscribe` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post` (RFC 8058), for one-click unsubscribe by URL.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

#[derive(Serialize)]
struct MemberView<'a> {
    id: &'a str,
    name: Option<&'a str>,
    language: &'a str,
}

#[derive(Serialize)]
struct DataView<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct PolicyView<'a> {
    url: Option<&'a str>,
    sha256: &'a str,
}

#[derive(Serialize)]
struct Policies<'a> {
    current: PolicyView<'a>,
    acquirer: PolicyView<'a>,
}

#[derive(Serialize)]
struct Answer<'a> {
    url: Option<String>,
    address: Option<&'a str>,
}

#[derive(Serialize)]
struct Context<'a> {
    notice_key: &'a str,
    message_id: &'a str,
    kind: &'a str,
    consent: bool,
    /// `[ChangeView]`, shared by the members of a decision.
    opt_in: Value,
    case: &'a str,
    company: &'a str,
    acquirer: &'a str,
    transfer_date: &'a str,
    contact: &'a str,
    from: &'a str,
    reply_to: Option<&'a str>,
    member: MemberView<'a>,
    /// `[Group]`, shared by the members of a decision.
    changes: Value,
    data: Vec<DataView<'a>>,
    date: String,
    deadline: String,
    deadline_at: String,
    notice_period_days: u32,
    policies: Policies<'a>,
    answer: Option<Answer<'a>>,
    site_notice_url: &'a str,
    unsubscribe: Option<&'a str>,
}

fn date_of(t: Timestamp) -> String {
    jiff::tz::TimeZone::UTC.to_datetime(t).date().to_string()
}

impl Notifier<'_> {
    /// Renders a prepared notice; its `Date` and deadline count from when it was prepared.
    pub(crate) fn render(&self, job: &Job) -> Result<Rendered> {
        let n = self.notice;
        let item = &job.item;
        let c = &item.candidate;
        let created: Timestamp = job.row.created_at.parse().map_err(|_| Error::Invalid {
            location: self.case.ledger.display().to_string(),
            message: format!(
                "notice of member {} has a bad created_at; restore the ledger from a backup",
                item.member_id
            ),
        })?;
        let period = self.pin.notice_period_days;
        let deadline = created
            .checked_add((i64::from(period) * 24).hours())
            .unwrap_or(created);
        let (changes, opt_in) = self.lists(&c.changes, &c.opt_in);
        let kind = self.kind(c);
        let (language, _) = self.templates.identity(&item.language);
        let ctx = Context {
            notice_key: &job.row.key,
            message_id: &job.row.message_id,
            kind,
            consent: c.decision == crate::model::DecisionKind::Consent,
            opt_in,
            case: &self.case.name,
            company: n.company.as_deref().unwrap_or_default(),
            acquirer: n.acquirer.as_deref().unwrap_or_default(),
            transfer_date: n.transfer_date.as_deref().unwrap_or_default(),
            contact: n.contact.as_deref().unwrap_or_default(),
            from: &n.from,
            reply_to: n.reply_to.as_deref(),
            member: MemberView {
                id: &item.member_id,
                name: item.name.as_deref(),
                language,
            },
            changes,
            data: item
                .data
                .iter()
                .map(|i| {
                    let (id, label) = &self.labels()[usize::from(*i)];
                    DataView { id, label }
                })
                .collect(),
            date: date_of(created),
            deadline: date_of(deadline),
            deadline_at: deadline.to_string(),
            notice_period_days: period,
            policies: Policies {
                current: PolicyView {
                    url: n.current_url.as_deref(),
                    sha256: &self.pin.current.1,
                },
                acquirer: PolicyView {
                    url: n.acquirer_url.as_deref(),
                    sha256: &self.pin.acquirer.1,
                },
            },
            answer: (kind == "consent-request").then(|| Answer {
                url: n
                    .answer_url
                    .as_ref()
                    .map(|u| u.replace("{notice_key}", &job.row.key)),
                address: n.reply_to.as_deref(),
            }),
            site_notice_url: &n.site_notice_url,
            unsubscribe: n.list_unsubscribe.as_deref(),
        };
        let value = Value::from(minijinja::value::Serde(&ctx));
        let (text_name, html_name) = self.templates.names(&item.language);
        let full = self.templates.render(&text_name, &value)?;
        let location = self.templates.dir.join(&text_name).display().to_string();
        let (first, rest) = full.split_once('\n').unwrap_or((&full, ""));
        let subject = first
            .strip_prefix("Subject:")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Invalid {
                location: format!("{location}:1"),
                message: "the first line of a text template must be `Subject: ...`, then a \
                          blank line, then the body"
                    .to_string(),
            })?
            .to_string();
        let mut text = rest.trim_start_matches(['\r', '\n']).to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let html = match html_name {
            Some(name) => Some(self.templates.render(&name, &value)?),
            None => None,
        };
        let eml = self.message(job, created, &subject, &text, html.as_deref())?;
        Ok(Rendered {
            key: job.row.key.clone(),
            to: item.email.clone(),
            language: language.to_string(),
            subject,
            text,
            html,
            eml,
        })
    }

    /// The `changes` and `opt_in` values of a decision's lists (`;`-separated change ids).
    fn lists(&self, changes: &str, opt_in: &str) -> (Value, Value) {
        let key = (changes.to_string(), opt_in.to_string());
        let mut lists = self
            .views
            .lists
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        lists
            .entry(key)
            .or_insert_with(|| {
                let ids = |s: &str| -> Vec<String> {
                    s.split(';')
                        .filter(|i| !i.is_empty())
                        .map(str::to_string)
                        .collect()
                };
                // A decision under `scope: all` lists no changes: every change concerns the
                // member.
                let views: Vec<&ChangeView> = if changes.is_empty() {
                    self.order
                        .iter()
                        .filter_map(|id| self.changes.get(id))
                        .collect()
                } else {
                    ids(changes)
                        .iter()
                        .filter_map(|id| self.changes.get(id))
                        .collect()
                };
                let mut groups: Vec<Group<'_>> = Vec::new();
                for category in crate::model::Category::ALL {
                    let items: Vec<&ChangeView> = views
                        .iter()
                        .copied()
                        .filter(|v| v.category == category.as_str())
                        .collect();
                    if !items.is_empty() {
                        groups.push(Group {
                            category: category.as_str(),
                            items,
                        });
                    }
                }
                let opt_in: Vec<&ChangeView> = ids(opt_in)
                    .iter()
                    .filter_map(|id| self.changes.get(id))
                    .collect();
                (
                    Value::from(minijinja::value::Serde(&groups)),
                    Value::from(minijinja::value::Serde(&opt_in)),
                )
            })
            .clone()
    }

    fn message(
        &self,
        job: &Job,
        date: Timestamp,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> Result<Vec<u8>> {
        let n = self.notice;
        let bad = |what: &str| Error::Invalid {
            location: n.at.clone(),
            message: format!("{what} is not an address a message can carry; fix the case file"),
        };
        let from = self.views.from.clone().ok_or_else(|| bad("notice.from"))?;
        let to: Mailbox = job.item.email.parse().map_err(|_| Error::Invalid {
            location: self.case.members.display.clone(),
            message: format!(
                "member {}: the address is not one a message can carry; fix it and plan again",
                job.item.member_id
            ),
        })?;
        let mut b = lettre::Message::builder()
            .message_id(Some(format!("<{}>", job.row.message_id)))
            .date(
                std::time::SystemTime::UNIX_EPOCH
                    + std::time::Duration::from_secs(date.as_second().max(0).unsigned_abs()),
            )
            .from(from)
            .to(to)
            .subject(subject);
        if let Some(r) = &self.views.reply_to {
            b = b.reply_to(r.clone().map_err(|()| bad("notice.reply_to"))?);
        }
        if let Some(u) = &n.list_unsubscribe {
            b = b.header(ListUnsubscribe(u.clone()));
            if u.starts_with("https://") {
                b = b.header(ListUnsubscribePost);
            }
        }
        let plain = SinglePart::builder()
            .header(header::ContentType::TEXT_PLAIN)
            .body(text.to_string());
        let message = match html {
            None => b.singlepart(plain),
            Some(h) => b.multipart(
                // A boundary from the key, not a random one: a rewritten outbox file is
                // byte for byte the same.
                MultiPart::alternative()
                    .boundary(format!("=_handover_{}", job.row.key))
                    .singlepart(plain)
                    .singlepart(
                        SinglePart::builder()
                            .header(header::ContentType::TEXT_HTML)
                            .body(h.to_string()),
                    ),
            ),
        }
        .map_err(|e| Error::Invalid {
            location: n.at.clone(),
            message: format!(
                "cannot build the message of member {}: {e}",
                job.item.member_id
            ),
        })?;
        Ok(message.formatted())
    }
}
