//! The case file `handover.yaml` (DESIGN.md section 5), read and validated once into a
//! [`Case`].
//!
//! - Unknown keys are errors (`deny_unknown_fields`), as are missing ones; every error names
//!   the file, line and column and says what to do.
//! - Rule packs are resolved here ([`crate::rules`]): a name of a shipped pack, or a path to a
//!   pack file of your own (ending in `.yaml`).
//! - Data type ids (`members.data_types`, `members.always_held`) must be ids of the embedded
//!   taxonomy (`policies/taxonomy.yaml`).
//! - Paths in the case (`policies`, `members.path`, `notice.template`, `ledger`, pack files)
//!   are relative to the folder of the case file; `members.path: "-"` reads standard input.
//! - Columns are checked against the members file's header when it is read
//!   ([`crate::members`]); each [`Column`] keeps its position in the case file so that a
//!   missing column is reported at the line that names it.
//!
//! - The deal: `deal` (`merger`, `business-transfer`, `share-purchase`); `acquirer_country`
//!   (ISO 3166-1 alpha-2, upper case: `JP`, `US`, `GB`), required when a pack's rules depend
//!   on it; `transfer_basis` (`adequacy`, `scc`, `dpf`, `equivalent-system`, `consent`), the
//!   basis for a move abroad, if any; `consent_mode` (`ringfence`, the default: members move
//!   after notice and new uses wait for a yes; `block`: a new use that needs a yes holds back
//!   the move too); `related_purposes`, purpose ids of the taxonomy the acquirer declares
//!   related to the old ones (default none: every new purpose is unrelated). All of them are
//!   part of the case file, whose hash the plan pins.
//!
//! Beyond DESIGN.md, `members.flags` maps yes/no columns that rule packs carry over
//! (`do_not_sell`, `unsubscribed`); `members.joined` names a join date column
//! (`YYYY-MM-DD`) against which birth dates are checked; `notice` is optional until notices
//! are sent. The `notice` section and `members.language` are read by `handover notify` (see
//! [`crate::notify`] for each key); `notice.template` (a file) is still accepted and means
//! its folder.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
pub use crate::model::Deal;
use crate::model::Flag;
pub use crate::model::{ConsentMode, TransferBasis};
use crate::rules::RuleSet;
use crate::taxonomy::Taxonomy;
use crate::yaml::{suggest, yaml_error};

mod locate;

/// A column of the members file named in the case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header name.
    pub name: String,
    /// Where the case file names it: `handover.yaml:12:9`.
    pub at: String,
}

/// Which status values move and which stay.
#[derive(Debug, Clone)]
pub struct StatusRule {
    /// The status column.
    pub column: Column,
    /// Values whose members are transferred.
    pub transfer: Vec<String>,
    /// Values whose members are excluded (reason `status:<value>`).
    pub exclude: Vec<String>,
    /// Whether a value in neither list excludes its member (reason `status-not-transferred`,
    /// `other: exclude` in the case file). Without it such a value stops the plan, listing
    /// each value and its count: a capitalised export (`Active`) must not exclude everyone
    /// silently.
    pub other_excluded: bool,
    /// Where the case file names the status column's lists (`handover.yaml:14:5`).
    pub at: String,
}

/// Where the members file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`path: "-"`).
    Stdin,
    /// A file, resolved against the case folder.
    File(PathBuf),
}

/// The `members` section.
#[derive(Debug, Clone)]
pub struct Members {
    /// The members file.
    pub source: Source,
    /// How messages name the members file (`members.csv`, `standard input`).
    pub display: String,
    /// The member id column (unique, non-empty).
    pub id: Column,
    /// The email column, if any.
    pub email: Option<Column>,
    /// The status rule, if any (without one, every member is transferred).
    pub status: Option<StatusRule>,
    /// The birth date column (`YYYY-MM-DD`), for minors.
    pub birth_date: Option<Column>,
    /// The join date column (`YYYY-MM-DD`), to check birth dates against.
    pub joined: Option<Column>,
    /// Column -> data type id; a non-empty cell means "we hold it".
    pub data_types: Vec<(Column, String)>,
    /// Data types held for every member.
    pub always_held: Vec<String>,
    /// The columns that leave in an export; `None`: all of them.
    pub export_columns: Option<Vec<Column>>,
    /// Yes/no flag columns.
    pub flags: Vec<(Flag, Column)>,
    /// The column naming each member's language (`ja`, `en`, ...), which picks the notice
    /// template; `None`: every member gets `notice.txt.j2`.
    pub language: Option<Column>,
}

/// The `notice` section (see [`crate::notify`] for how each field is used).
#[derive(Debug, Clone)]
pub struct Notice {
    /// The folder of the notice templates (`notice.txt.j2`, `notice.<lang>.txt.j2`,
    /// `notice.html.j2`, ...), resolved against the case folder: `templates`, else the folder
    /// of `template`.
    pub templates: PathBuf,
    /// The sender address.
    pub from: String,
    /// Where the site notice is posted.
    pub site_notice_url: String,
    /// The `Reply-To` address; also where members may answer a consent request.
    pub reply_to: Option<String>,
    /// `List-Unsubscribe`: a `mailto:` or `https:` URI.
    pub list_unsubscribe: Option<String>,
    /// How members reach the company about the transfer (an address or a page).
    pub contact: Option<String>,
    /// The sending company's name, as members know it.
    pub company: Option<String>,
    /// The acquirer's name, as members should read it.
    pub acquirer: Option<String>,
    /// When the transfer is to happen, as members should read it (`2027-02-01`).
    pub transfer_date: Option<String>,
    /// Where members can read the current policy.
    pub current_url: Option<String>,
    /// Where members can read the acquirer's policy.
    pub acquirer_url: Option<String>,
    /// Where members answer a consent request; `{notice_key}` is replaced by the notice key.
    pub answer_url: Option<String>,
    /// Where the case file names the `notice` section (`handover.yaml:30:1`).
    pub at: String,
}

/// A validated case file.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case file as given.
    pub path: PathBuf,
    /// Hex SHA-256 of the case file's bytes.
    pub sha256: String,
    /// The case's name.
    pub name: String,
    /// The kind of deal.
    pub deal: Deal,
    /// The acquirer's country, ISO 3166-1 alpha-2 (`JP`), if given.
    pub acquirer_country: Option<String>,
    /// The basis for moving data to an acquirer abroad, if given.
    pub transfer_basis: Option<TransferBasis>,
    /// Whether a consent for a new use holds back the move too.
    pub consent_mode: ConsentMode,
    /// Purpose ids (`policies/taxonomy.yaml`) the acquirer declares related to the old ones.
    pub related_purposes: Vec<String>,
    /// The current policy, resolved against the case folder.
    pub current: PathBuf,
    /// The acquirer's policy, resolved against the case folder.
    pub acquirer: PathBuf,
    /// The rule packs, combined.
    pub rules: RuleSet,
    /// The members file and its columns.
    pub members: Members,
    /// Notice settings, if given.
    pub notice: Option<Notice>,
    /// The ledger, resolved against the case folder (default `handover.db`).
    pub ledger: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    case: String,
    deal: Deal,
    #[serde(default)]
    acquirer_country: Option<String>,
    #[serde(default)]
    transfer_basis: Option<TransferBasis>,
    #[serde(default)]
    consent_mode: ConsentMode,
    #[serde(default)]
    related_purposes: Vec<String>,
    policies: RawPolicies,
    rules: Vec<String>,
    members: RawMembers,
    #[serde(default)]
    notice: Option<RawNotice>,
    #[serde(default)]
    ledger: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicies {
    current: String,
    acquirer: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMembers {
    path: String,
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    status: Option<RawStatus>,
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    joined: Option<String>,
    #[serde(default)]
    data_types: BTreeMap<String, String>,
    #[serde(default)]
    always_held: Vec<String>,
    #[serde(default)]
    export_columns: Option<Vec<String>>,
    #[serde(default)]
    flags: BTreeMap<Flag, String>,
    #[serde(default)]
    language: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    column: String,
    transfer: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    other: Option<OtherStatus>,
}

/// What a status value in neither list does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum OtherStatus {
    /// The member is excluded (`status-not-transferred`).
    Exclude,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    templates: Option<String>,
    from: String,
    site_notice_url: String,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    list_unsubscribe: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    acquirer: Option<String>,
    #[serde(default)]
    transfer_date: Option<String>,
    #[serde(default)]
    current_url: Option<String>,
    #[serde(default)]
    acquirer_url: Option<String>,
    #[serde(default)]
    answer_url: Option<String>,
}

/// The case file used when none is given: `handover.yaml` in the current folder; a folder
/// given with `--case` means its `handover.yaml`.
pub fn find(given: Option<&Path>) -> PathBuf {
    match given {
        Some(p) if p.is_dir() => p.join("handover.yaml"),
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("handover.yaml"),
    }
}

impl Case {
    /// Reads and validates the case file at `path`.
    pub fn load(path: &Path) -> Result<Case> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::Invalid {
                location: path.display().to_string(),
                message: "no case file here; run `handover init` to create one, or point at \
                          one with --case PATH"
                    .to_string(),
            },
            _ => Error::Read {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let text = crate::input::decode(
            &path.display().to_string(),
            crate::input::Kind::Case,
            &bytes,
        )?;
        Case::parse(path, text)
    }

    /// Validates case-file text; `path` names it in messages and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Case> {
        let src = Src {
            name: path.display().to_string(),
            text,
        };
        // `data_types` and `flags` are maps: a repeated column would silently replace the first.
        crate::input::no_duplicate_keys(&src.name, text)?;
        let raw: RawCase = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(&src.name, e))?;
        // Relative to the case file's folder; no `./` prefix when that is the current one.
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::new(),
        };
        if raw.case.trim().is_empty() {
            return Err(src.invalid(
                &["case"],
                "the case needs a name, e.g. `case: Sakura Travel acquires Metropolis`".into(),
            ));
        }
        let rules = RuleSet::resolve(
            &raw.rules
                .iter()
                .map(|r| (r.clone(), src.at(&["rules"], Some(r))))
                .collect::<Vec<_>>(),
            &dir,
            &src.at(&["rules"], None),
        )?;
        let acquirer_country = acquirer_country(raw.acquirer_country.as_deref(), &rules, &src)?;
        let taxonomy = Taxonomy::embedded();
        for purpose in &raw.related_purposes {
            if !taxonomy.purposes.contains(purpose) {
                return Err(Error::Invalid {
                    location: src.at(&["related_purposes"], Some(purpose)),
                    message: format!(
                        "unknown purpose `{purpose}`; {}use a purpose id of \
                         policies/taxonomy.yaml ({})",
                        suggest(purpose, taxonomy.purposes.iter().map(String::as_str)),
                        taxonomy.purposes.join(", ")
                    ),
                });
            }
        }
        let members = members(&raw.members, &dir, &rules, &taxonomy, &src)?;
        let notice = match &raw.notice {
            None => None,
            Some(n) => Some(notice(n, &dir, &src)?),
        };
        Ok(Case {
            path: path.to_path_buf(),
            sha256: crate::policy::hex(&sha2::Sha256::digest(text.as_bytes())),
            name: raw.case.clone(),
            deal: raw.deal,
            acquirer_country,
            transfer_basis: raw.transfer_basis,
            consent_mode: raw.consent_mode,
            related_purposes: raw.related_purposes.clone(),
            current: dir.join(&raw.policies.current),
            acquirer: dir.join(&raw.policies.acquirer),
            rules,
            members,
            notice,
            ledger: dir.join(raw.ledger.as_deref().unwrap_or("handover.db")),
        })
    }
}

/// The case file being parsed: where a key or value is, for error messages.
struct Src<'a> {
    name: String,
    text: &'a str,
}

impl Src<'_> {
    /// `handover.yaml:LINE:COL` of a key path (and value, when given).
    fn at(&self, keys: &[&str], value: Option<&str>) -> String {
        let (line, col) = locate::locate(self.text, keys, value);
        format!("{}:{line}:{col}", self.name)
    }

    /// A column named at a key path.
    fn column(&self, keys: &[&str], value: &str) -> Column {
        Column {
            name: value.to_string(),
            at: self.at(keys, Some(value)),
        }
    }

    /// A bad value at a key path.
    fn invalid(&self, keys: &[&str], message: String) -> Error {
        Error::Invalid {
            location: self.at(keys, None),
            message,
        }
    }
}

/// `acquirer_country`, checked; a pack that depends on it makes it required.
fn acquirer_country(code: Option<&str>, rules: &RuleSet, src: &Src) -> Result<Option<String>> {
    let Some(code) = code.map(str::trim) else {
        let needs = rules.packs().iter().find(|p| {
            p.consent_required
                .iter()
                .any(|r| !r.when.acquirer_outside.is_empty())
        });
        return match needs {
            Some(pack) => Err(src.invalid(
                &["deal"],
                format!(
                    "rule pack `{}` depends on where the acquirer is; add `acquirer_country: XX` \
                     (ISO 3166-1 alpha-2, e.g. JP or US)",
                    pack.id
                ),
            )),
            None => Ok(None),
        };
    };
    if crate::rules::is_country(code) {
        return Ok(Some(code.to_string()));
    }
    let upper = code.to_ascii_uppercase();
    let hint = if upper == "UK" {
        "the United Kingdom is `GB`".to_string()
    } else if crate::rules::is_country(&upper) {
        format!("write it in capitals: `{upper}`")
    } else {
        "use the two-letter code, e.g. `JP`, `US`, `DE`".to_string()
    };
    Err(src.invalid(
        &["acquirer_country"],
        format!("acquirer_country `{code}` is not an ISO 3166-1 alpha-2 country code; {hint}"),
    ))
}

/// The `members:` section: columns checked against the taxonomy and the packs.
fn members(
    m: &RawMembers,
    dir: &Path,
    rules: &RuleSet,
    taxonomy: &Taxonomy,
    src: &Src,
) -> Result<Members> {
    let check_type = |keys: &[&str], id: &str| -> Result<()> {
        if taxonomy.data_type(id).is_some() {
            return Ok(());
        }
        Err(Error::Invalid {
            location: src.at(keys, Some(id)),
            message: format!(
                "unknown data type `{}`; {}use an id of policies/taxonomy.yaml (`handover \
                 diff --format json` shows the ids a policy mentions)",
                crate::input::excerpt(id),
                suggest(id, taxonomy.data_types().iter().map(|d| d.id.as_str()))
            ),
        })
    };
    let mut data_types = Vec::new();
    for (col, id) in &m.data_types {
        check_type(&["members", "data_types", col], id)?;
        data_types.push((
            Column {
                name: col.clone(),
                at: src.at(&["members", "data_types", col], None),
            },
            id.clone(),
        ));
    }
    for id in &m.always_held {
        check_type(&["members", "always_held"], id)?;
    }
    let status = match &m.status {
        None => None,
        Some(s) => Some(status_rule(s, src)?),
    };
    let export_columns = m.export_columns.as_ref().map(|cols| {
        cols.iter()
            .map(|c| src.column(&["members", "export_columns"], c))
            .collect::<Vec<_>>()
    });
    let flags: Vec<(Flag, Column)> = m
        .flags
        .iter()
        .map(|(flag, col)| (*flag, src.column(&["members", "flags", flag.as_str()], col)))
        .collect();
    check_carried_flags(rules, &flags, export_columns.as_deref())?;
    let source = if m.path == "-" {
        Source::Stdin
    } else {
        Source::File(dir.join(&m.path))
    };
    let display = match &source {
        Source::Stdin => "standard input".to_string(),
        Source::File(p) => p.display().to_string(),
    };
    let optional = |key: &str, value: &Option<String>| {
        value.as_deref().map(|v| src.column(&["members", key], v))
    };
    Ok(Members {
        source,
        display,
        id: src.column(&["members", "id"], &m.id),
        email: optional("email", &m.email),
        status,
        birth_date: optional("birth_date", &m.birth_date),
        joined: optional("joined", &m.joined),
        data_types,
        always_held: m.always_held.clone(),
        export_columns,
        flags,
        language: optional("language", &m.language),
    })
}

/// `members.status`: some value transferred, none both transferred and excluded.
fn status_rule(s: &RawStatus, src: &Src) -> Result<StatusRule> {
    if s.transfer.is_empty() {
        return Err(src.invalid(
            &["members", "status", "transfer"],
            "no status value is transferred; list at least one, e.g. `transfer: [active]`".into(),
        ));
    }
    if let Some(both) = s.transfer.iter().find(|v| s.exclude.contains(v)) {
        return Err(Error::Invalid {
            location: src.at(&["members", "status", "exclude"], Some(both)),
            message: format!(
                "status `{}` is both transferred and excluded; keep it in one list",
                crate::input::excerpt(both)
            ),
        });
    }
    Ok(StatusRule {
        column: src.column(&["members", "status", "column"], &s.column),
        transfer: s.transfer.clone(),
        exclude: s.exclude.clone(),
        other_excluded: s.other == Some(OtherStatus::Exclude),
        at: src.at(&["members", "status"], None),
    })
}

/// A flag a pack carries over to the acquirer must leave with the export.
fn check_carried_flags(
    rules: &RuleSet,
    flags: &[(Flag, Column)],
    export_columns: Option<&[Column]>,
) -> Result<()> {
    let Some(export) = export_columns else {
        return Ok(());
    };
    for pack in rules.packs() {
        for flag in &pack.carry_flags {
            let Some((_, col)) = flags.iter().find(|(f, _)| f == flag) else {
                continue;
            };
            if !export.iter().any(|c| c.name == col.name) {
                return Err(Error::Invalid {
                    location: col.at.clone(),
                    message: format!(
                        "rule pack `{}` carries the `{}` flag over to the acquirer, but column \
                         `{}` does not leave; add it to members.export_columns",
                        pack.id,
                        flag.as_str(),
                        col.name
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The `notice:` section: addresses and URLs checked, templates found.
fn notice(n: &RawNotice, dir: &Path, src: &Src) -> Result<Notice> {
    if crate::email::check(&n.from).is_err() {
        return Err(src.invalid(
            &["notice", "from"],
            "the sender is not a plain email address; write it as name@domain.tld, without a \
             display name"
                .into(),
        ));
    }
    if !(n.site_notice_url.starts_with("https://") || n.site_notice_url.starts_with("http://")) {
        return Err(src.invalid(
            &["notice", "site_notice_url"],
            "the site notice URL must be an absolute http(s) URL".into(),
        ));
    }
    let templates = match (&n.templates, &n.template) {
        (Some(d), _) => dir.join(d),
        (None, Some(t)) => match Path::new(t).parent() {
            Some(p) => dir.join(p),
            None => dir.to_path_buf(),
        },
        (None, None) => {
            return Err(src.invalid(
                &["notice"],
                "say where the notice templates are, e.g. `templates: templates` (the folder \
                 of notice.txt.j2)"
                    .into(),
            ))
        }
    };
    if n.reply_to
        .as_deref()
        .is_some_and(|r| crate::email::check(r).is_err())
    {
        return Err(src.invalid(
            &["notice", "reply_to"],
            "reply_to is not a plain email address; write it as name@domain.tld".into(),
        ));
    }
    let url = |key: &str, value: &Option<String>, schemes: &[&str]| -> Result<()> {
        match value {
            Some(v) if !schemes.iter().any(|s| v.starts_with(s)) => Err(src.invalid(
                &["notice", key],
                format!("`{key}` must start with {}", schemes.join(" or ")),
            )),
            _ => Ok(()),
        }
    };
    let web = ["https://", "http://"];
    url(
        "list_unsubscribe",
        &n.list_unsubscribe,
        &["mailto:", "https://"],
    )?;
    url("current_url", &n.current_url, &web)?;
    url("acquirer_url", &n.acquirer_url, &web)?;
    url("answer_url", &n.answer_url, &web)?;
    if n.answer_url
        .as_deref()
        .is_some_and(|a| !a.contains("{notice_key}"))
    {
        return Err(src.invalid(
            &["notice", "answer_url"],
            "answer_url must contain `{notice_key}`, so that an answer names the notice it \
             answers"
                .into(),
        ));
    }
    Ok(Notice {
        templates,
        from: n.from.clone(),
        site_notice_url: n.site_notice_url.clone(),
        reply_to: n.reply_to.clone(),
        list_unsubscribe: n.list_unsubscribe.clone(),
        contact: n.contact.clone(),
        company: n.company.clone(),
        acquirer: n.acquirer.clone(),
        transfer_date: n.transfer_date.clone(),
        current_url: n.current_url.clone(),
        acquirer_url: n.acquirer_url.clone(),
        answer_url: n.answer_url.clone(),
        at: src.at(&["notice"], None),
    })
}

use sha2::Digest;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Case> {
        Case::parse(Path::new("case/handover.yaml"), text)
    }

    const GOOD: &str = "case: T\ndeal: merger\npolicies: {current: a.md, acquirer: b.md}\nrules: [appi]\nmembers:\n  path: m.csv\n  id: member_id\n  data_types:\n    zip: contact.postal_code\nacquirer_country: JP\n";

    #[test]
    fn resolves_paths_against_the_case_folder() {
        let case = parse(GOOD).unwrap();
        assert_eq!(case.current, Path::new("case/a.md"));
        assert_eq!(case.ledger, Path::new("case/handover.db"));
        assert_eq!(case.members.source, Source::File("case/m.csv".into()));
        assert_eq!(case.members.data_types[0].0.at, "case/handover.yaml:9:5");
    }

    #[test]
    fn unknown_key_names_line_and_fix() {
        let err = parse(&GOOD.replace("  id: member_id\n", "  id: member_id\n  idd: x\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("case/handover.yaml:8:3: members: unknown field `idd`"),
            "{err}"
        );
        assert!(
            err.ends_with("remove the key or correct its spelling"),
            "{err}"
        );
    }

    #[test]
    fn unknown_data_type_suggests() {
        let err = parse(&GOOD.replace("contact.postal_code", "contact.postalcode"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("case/handover.yaml:9:10: unknown data type `contact.postalcode`; did you mean `contact.postal_code`?"), "{err}");
    }

    #[test]
    fn deal_terms_are_read_and_checked() {
        let case = parse(&GOOD.replace(
            "acquirer_country: JP\n",
            "acquirer_country: US\ntransfer_basis: equivalent-system\nconsent_mode: block\nrelated_purposes: [profiling]\n",
        ))
        .unwrap();
        assert_eq!(case.acquirer_country.as_deref(), Some("US"));
        assert_eq!(case.transfer_basis, Some(TransferBasis::EquivalentSystem));
        assert_eq!(case.consent_mode, ConsentMode::Block);
        assert_eq!(case.related_purposes, ["profiling"]);
        assert_eq!(parse(GOOD).unwrap().consent_mode, ConsentMode::Ringfence);
        let err = |from: &str, to: &str| parse(&GOOD.replace(from, to)).unwrap_err().to_string();
        assert_eq!(
            err("acquirer_country: JP", "acquirer_country: UK"),
            "case/handover.yaml:10:1: acquirer_country `UK` is not an ISO 3166-1 alpha-2 \
             country code; the United Kingdom is `GB`"
        );
        assert_eq!(
            err("acquirer_country: JP", "acquirer_country: jp"),
            "case/handover.yaml:10:1: acquirer_country `jp` is not an ISO 3166-1 alpha-2 \
             country code; write it in capitals: `JP`"
        );
        assert_eq!(
            err("acquirer_country: JP\n", ""),
            "case/handover.yaml:2:1: rule pack `appi` depends on where the acquirer is; add \
             `acquirer_country: XX` (ISO 3166-1 alpha-2, e.g. JP or US)"
        );
        assert!(err(
            "acquirer_country: JP\n",
            "acquirer_country: JP\nrelated_purposes: [profilng]\n"
        )
        .starts_with(
            "case/handover.yaml:11:20: unknown purpose `profilng`; did you mean `profiling`?"
        ));
    }

    #[test]
    fn unknown_pack_is_located() {
        let err = parse(&GOOD.replace("[appi]", "[appi, gdrp]"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "case/handover.yaml:4:15: unknown rule pack `gdrp`; did you mean `gdpr`?"
            ),
            "{err}"
        );
    }
}
