//! Acknowledgements: the YAML file in which reviewed material changes are recorded.
//!
//! `handover check` fails while a material change is not acknowledged. A reviewer records
//! one with `handover check --acknowledge --by NAME --reason TEXT`, which appends an entry
//! per finding to the file (default `policies/acknowledged.yaml`), so the review lives in the
//! repository next to the policy and goes through the same pull request:
//!
//! ```yaml
//! # Reviewed material changes to the privacy policies (see `handover check`).
//! acknowledged:
//! - id: 5d0c1f8e2a3b4c6d
//!   file: policies/privacy.md
//!   category: sharing
//!   summary: may sell personal information to data brokers
//!   by: Jane Doe
//!   reason: Approved by legal (LEGAL-42)
//!   at: 2026-01-15T09:30:00Z
//! ```
//!
//! An entry matches a finding by its fingerprint (`id`) **and** the repository-relative
//! `file`, so one acknowledgement never waves through the same change in another policy.
//! `id`, `file`, `by` and `reason` are required; `category`, `summary` and `at` are for the
//! people reading the file. An entry for a *review* change (a changed sentence about
//! personal data that no practice change explains) also has `material: true` or
//! `material: false`: the reviewer's judgement, set with `--acknowledge --material
//! true|false`, so the record says which reworded sentences changed a practice. Unknown keys are refused, so a typo (`reson:`) cannot silently
//! drop a field.
//!
//! Writing keeps what is there: new entries are appended as text after the last line, so
//! comments and hand-made formatting survive and the pull-request diff shows only the new
//! lines. The result is parsed back before it is used; when appending would not yield the
//! old entries plus the new ones (say the list is written `acknowledged: []`), the file is
//! written out afresh from the parsed entries instead. An entry whose `id` and `file` are
//! already present is never added twice. The caller writes the returned text atomically.
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The header written at the top of a new acknowledgements file.
const HEADER: &str =
    "# Reviewed material changes to the privacy policies (see `handover check`).\n\
# Each entry acknowledges one change, by fingerprint and file; keep this file under review.\n";

/// One reviewed material change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The change's fingerprint (`PracticeChange::id`, or a deleted policy's fingerprint).
    pub id: String,
    /// The policy file, relative to the repository root, with `/` separators.
    pub file: String,
    /// The practice category, for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The change in one line, for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Who reviewed it.
    pub by: String,
    /// Why it is acceptable.
    pub reason: String,
    /// When it was acknowledged (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// For a review change (a changed sentence no practice change explains): whether the
    /// reviewer found it material. Absent for practice changes, whose materiality the tool
    /// decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<bool>,
}

impl Acknowledgement {
    /// Whether this entry acknowledges the change `id` in `file`.
    pub fn matches(&self, id: &str, file: &str) -> bool {
        self.id == id && self.file == file
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AckFile {
    #[serde(default)]
    acknowledged: Vec<Acknowledgement>,
}

/// Parses the text of an acknowledgements file; `name` is used in messages.
///
/// An empty file (or one holding only comments) has no entries.
pub fn parse(name: &str, text: &str) -> Result<Vec<Acknowledgement>> {
    crate::input::no_duplicate_keys(name, text)?;
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Vec::new());
    }
    let file: AckFile = serde_yaml_ng::from_str(text).map_err(|e| {
        let location = match e.location() {
            Some(at) => format!("{name}:{}:{}", at.line(), at.column()),
            None => name.to_string(),
        };
        Error::Invalid {
            location,
            message: format!(
                "{}; an acknowledgements file holds `acknowledged:` followed by a list of \
                 entries with id, file, by and reason (fix it by hand, or move it away and \
                 run `handover check --acknowledge` again)",
                crate::input::shorten_quotes(&e.to_string())
            ),
        }
    })?;
    for entry in &file.acknowledged {
        for (field, value) in [
            ("id", &entry.id),
            ("file", &entry.file),
            ("by", &entry.by),
            ("reason", &entry.reason),
        ] {
            if value.trim().is_empty() {
                return Err(Error::Invalid {
                    location: name.to_string(),
                    message: format!(
                        "the entry for {} in {} has an empty `{field}`; every acknowledgement \
                         says what, where, who and why",
                        crate::input::excerpt(&entry.id),
                        crate::input::excerpt(&entry.file)
                    ),
                });
            }
        }
    }
    Ok(file.acknowledged)
}

/// Returns the text of the acknowledgements file with `new` entries added.
///
/// `existing` is the current text (`None` when there is no file yet). Entries already in the
/// file (same `id` and `file`) are skipped. See the module doc for how the text is kept.
pub fn append(name: &str, existing: Option<&str>, new: &[Acknowledgement]) -> Result<String> {
    let old = match existing {
        Some(text) => parse(name, text)?,
        None => Vec::new(),
    };
    let mut added: Vec<Acknowledgement> = Vec::new();
    for entry in new {
        let known = |e: &Acknowledgement| e.matches(&entry.id, &entry.file);
        if !old.iter().any(known) && !added.iter().any(known) {
            added.push(entry.clone());
        }
    }
    let mut wanted = old.clone();
    wanted.extend(added.iter().cloned());
    let existing = existing.unwrap_or_default();
    if added.is_empty() && !existing.is_empty() {
        return Ok(existing.to_string());
    }
    if let Some(text) = append_text(existing, &added) {
        if parse(name, &text).ok().as_ref() == Some(&wanted) {
            return Ok(text);
        }
    }
    let body = serde_yaml_ng::to_string(&AckFile {
        acknowledged: wanted,
    })
    .map_err(|e| Error::Invalid {
        location: name.to_string(),
        message: format!("cannot write the acknowledgements: {e}"),
    })?;
    Ok(format!("{HEADER}{body}"))
}

/// Appends `added` as list items after the existing text, indented like the list already
/// there; `None` when the file has no list to extend.
fn append_text(existing: &str, added: &[Acknowledgement]) -> Option<String> {
    if existing.trim().is_empty() {
        return None;
    }
    let key_line = existing
        .lines()
        .position(|l| l.trim_end() == "acknowledged:")?;
    let indent = existing
        .lines()
        .skip(key_line + 1)
        .find(|l| l.trim_start().starts_with("- "))
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(0);
    let items = serde_yaml_ng::to_string(added).ok()?;
    let pad = " ".repeat(indent);
    let mut text = existing.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for line in items.lines() {
        text.push_str(&pad);
        text.push_str(line);
        text.push('\n');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Acknowledgement {
        Acknowledgement {
            id: id.into(),
            file: "policies/privacy.md".into(),
            category: Some("sharing".into()),
            summary: Some("may sell: to brokers, #1".into()),
            by: "Jane Doe".into(),
            reason: "approved".into(),
            at: Some("2026-01-15T09:30:00Z".into()),
            material: None,
        }
    }

    #[test]
    fn new_file_round_trips() {
        let text = append("a.yaml", None, &[entry("a1")]).unwrap();
        assert!(text.starts_with("# Reviewed"));
        assert_eq!(parse("a.yaml", &text).unwrap(), vec![entry("a1")]);
    }

    #[test]
    fn appends_after_comments_and_never_duplicates() {
        let first = append("a.yaml", None, &[entry("a1")]).unwrap();
        let edited = format!("{first}# a comment kept by hand\n");
        let second = append(
            "a.yaml",
            Some(&edited),
            &[entry("a1"), entry("b2"), entry("b2")],
        )
        .unwrap();
        assert!(second.starts_with(&edited), "{second}");
        assert_eq!(
            parse("a.yaml", &second).unwrap(),
            vec![entry("a1"), entry("b2")]
        );
        assert_eq!(
            append("a.yaml", Some(&second), &[entry("b2")]).unwrap(),
            second
        );
    }

    #[test]
    fn indented_lists_stay_indented() {
        let first =
            "acknowledged:\n  - id: a1\n    file: policies/privacy.md\n    by: J\n    reason: ok\n";
        let text = append("a.yaml", Some(first), &[entry("b2")]).unwrap();
        assert!(text.starts_with(first));
        assert_eq!(parse("a.yaml", &text).unwrap().len(), 2);
    }

    #[test]
    fn flow_lists_are_rewritten() {
        let text = append("a.yaml", Some("acknowledged: []\n"), &[entry("b2")]).unwrap();
        assert_eq!(parse("a.yaml", &text).unwrap(), vec![entry("b2")]);
    }

    #[test]
    fn typos_are_refused_with_a_location() {
        let err = parse(
            "a.yaml",
            "acknowledged:\n- id: a\n  file: f\n  by: b\n  reson: r\n",
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("a.yaml:"), "{message}");
        assert!(message.contains("reson"), "{message}");
    }

    #[test]
    fn empty_and_comment_only_files_have_no_entries() {
        assert!(parse("a.yaml", "").unwrap().is_empty());
        assert!(parse("a.yaml", "# nothing yet\n").unwrap().is_empty());
    }
}
