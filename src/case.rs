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
//! Beyond DESIGN.md, `members.flags` maps yes/no columns that rule packs carry over
//! (`do_not_sell`, `unsubscribed`); `notice` is optional until notices are sent.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
pub use crate::model::Deal;
use crate::model::Flag;
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
    /// Column -> data type id; a non-empty cell means "we hold it".
    pub data_types: Vec<(Column, String)>,
    /// Data types held for every member.
    pub always_held: Vec<String>,
    /// The columns that leave in an export; `None`: all of them.
    pub export_columns: Option<Vec<Column>>,
    /// Yes/no flag columns.
    pub flags: Vec<(Flag, Column)>,
}

/// The `notice` section.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The notice template, resolved against the case folder.
    pub template: PathBuf,
    /// The sender address.
    pub from: String,
    /// Where the site notice is posted.
    pub site_notice_url: String,
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
    data_types: BTreeMap<String, String>,
    #[serde(default)]
    always_held: Vec<String>,
    #[serde(default)]
    export_columns: Option<Vec<String>>,
    #[serde(default)]
    flags: BTreeMap<Flag, String>,
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
    template: String,
    from: String,
    site_notice_url: String,
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
        let name = path.display().to_string();
        // `data_types` and `flags` are maps: a repeated column would silently replace the first.
        crate::input::no_duplicate_keys(&name, text)?;
        let raw: RawCase = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(&name, e))?;
        // Relative to the case file's folder; no `./` prefix when that is the current one.
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::new(),
        };
        let at = |keys: &[&str], value: Option<&str>| {
            let (line, col) = locate::locate(text, keys, value);
            format!("{name}:{line}:{col}")
        };
        let column = |keys: &[&str], value: &str| Column {
            name: value.to_string(),
            at: at(keys, Some(value)),
        };
        let taxonomy = Taxonomy::embedded();
        let check_type = |keys: &[&str], id: &str| -> Result<()> {
            if taxonomy.data_type(id).is_some() {
                return Ok(());
            }
            Err(Error::Invalid {
                location: at(keys, Some(id)),
                message: format!(
                    "unknown data type `{}`; {}use an id of policies/taxonomy.yaml (`handover \
                     diff --format json` shows the ids a policy mentions)",
                    crate::input::excerpt(id),
                    suggest(id, taxonomy.data_types().iter().map(|d| d.id.as_str()))
                ),
            })
        };
        if raw.case.trim().is_empty() {
            return Err(Error::Invalid {
                location: at(&["case"], None),
                message: "the case needs a name, e.g. `case: Sakura Travel acquires Metropolis`"
                    .to_string(),
            });
        }
        let rules = RuleSet::resolve(
            &raw.rules
                .iter()
                .map(|r| (r.clone(), at(&["rules"], Some(r))))
                .collect::<Vec<_>>(),
            &dir,
            &at(&["rules"], None),
        )?;

        let m = &raw.members;
        let mut data_types = Vec::new();
        for (col, id) in &m.data_types {
            check_type(&["members", "data_types", col], id)?;
            data_types.push((
                Column {
                    name: col.clone(),
                    at: at(&["members", "data_types", col], None),
                },
                id.clone(),
            ));
        }
        for id in &m.always_held {
            check_type(&["members", "always_held"], id)?;
        }
        let status = match &m.status {
            None => None,
            Some(s) => {
                if s.transfer.is_empty() {
                    return Err(Error::Invalid {
                        location: at(&["members", "status", "transfer"], None),
                        message: "no status value is transferred; list at least one, e.g. \
                                  `transfer: [active]`"
                            .to_string(),
                    });
                }
                if let Some(both) = s.transfer.iter().find(|v| s.exclude.contains(v)) {
                    return Err(Error::Invalid {
                        location: at(&["members", "status", "exclude"], Some(both)),
                        message: format!(
                            "status `{}` is both transferred and excluded; keep it in one list",
                            crate::input::excerpt(both)
                        ),
                    });
                }
                Some(StatusRule {
                    column: column(&["members", "status", "column"], &s.column),
                    transfer: s.transfer.clone(),
                    exclude: s.exclude.clone(),
                    other_excluded: s.other == Some(OtherStatus::Exclude),
                    at: at(&["members", "status"], None),
                })
            }
        };
        let export_columns = m.export_columns.as_ref().map(|cols| {
            cols.iter()
                .map(|c| column(&["members", "export_columns"], c))
                .collect::<Vec<_>>()
        });
        let flags: Vec<(Flag, Column)> = m
            .flags
            .iter()
            .map(|(flag, col)| (*flag, column(&["members", "flags", flag.as_str()], col)))
            .collect();
        for pack in rules.packs() {
            for flag in &pack.carry_flags {
                let Some((_, col)) = flags.iter().find(|(f, _)| f == flag) else {
                    continue;
                };
                if let Some(export) = &export_columns {
                    if !export.iter().any(|c| c.name == col.name) {
                        return Err(Error::Invalid {
                            location: col.at.clone(),
                            message: format!(
                                "rule pack `{}` carries the `{}` flag over to the acquirer, but \
                                 column `{}` does not leave; add it to members.export_columns",
                                pack.id,
                                flag.as_str(),
                                col.name
                            ),
                        });
                    }
                }
            }
        }
        let source = if m.path == "-" {
            Source::Stdin
        } else {
            Source::File(dir.join(&m.path))
        };
        let display = match &source {
            Source::Stdin => "standard input".to_string(),
            Source::File(p) => p.display().to_string(),
        };
        let members = Members {
            source,
            display,
            id: column(&["members", "id"], &m.id),
            email: m.email.as_deref().map(|e| column(&["members", "email"], e)),
            status,
            birth_date: m
                .birth_date
                .as_deref()
                .map(|b| column(&["members", "birth_date"], b)),
            data_types,
            always_held: m.always_held.clone(),
            export_columns,
            flags,
        };
        let notice = match &raw.notice {
            None => None,
            Some(n) => {
                if crate::email::check(&n.from).is_err() {
                    return Err(Error::Invalid {
                        location: at(&["notice", "from"], None),
                        message: "the sender is not a plain email address; write it as \
                                  name@domain.tld, without a display name"
                            .to_string(),
                    });
                }
                if !(n.site_notice_url.starts_with("https://")
                    || n.site_notice_url.starts_with("http://"))
                {
                    return Err(Error::Invalid {
                        location: at(&["notice", "site_notice_url"], None),
                        message: "the site notice URL must be an absolute http(s) URL".to_string(),
                    });
                }
                Some(Notice {
                    template: dir.join(&n.template),
                    from: n.from.clone(),
                    site_notice_url: n.site_notice_url.clone(),
                })
            }
        };
        Ok(Case {
            path: path.to_path_buf(),
            sha256: crate::policy::hex(&sha2::Sha256::digest(text.as_bytes())),
            name: raw.case.clone(),
            deal: raw.deal,
            current: dir.join(&raw.policies.current),
            acquirer: dir.join(&raw.policies.acquirer),
            rules,
            members,
            notice,
            ledger: dir.join(raw.ledger.as_deref().unwrap_or("handover.db")),
        })
    }
}

use sha2::Digest;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Case> {
        Case::parse(Path::new("case/handover.yaml"), text)
    }

    const GOOD: &str = "case: T\ndeal: merger\npolicies: {current: a.md, acquirer: b.md}\nrules: [appi]\nmembers:\n  path: m.csv\n  id: member_id\n  data_types:\n    zip: contact.postal_code\n";

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
