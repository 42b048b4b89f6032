//! `handover init`: a new case folder with a commented case file, notice templates (English and
//! Japanese), an empty
//! members file (the header the case file expects) and an empty ledger.
//!
//! Existing files are never overwritten: if the folder already has a `handover.yaml`,
//! `init` refuses (exit 3).
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The scaffolded case file.
pub const CASE_FILE: &str = include_str!("scaffold/handover.yaml");
/// The scaffolded notice template.
pub const NOTICE_TEMPLATE: &str = include_str!("scaffold/notice.txt.j2");
/// The scaffolded Japanese notice template.
pub const NOTICE_TEMPLATE_JA: &str = include_str!("scaffold/notice.ja.txt.j2");
/// The scaffolded members file (header only).
pub const MEMBERS_FILE: &str = include_str!("scaffold/members.csv");

/// Creates a case in `dir` (created if missing); returns the files written.
pub fn init(dir: &Path, now: &str) -> Result<Vec<PathBuf>> {
    let case = dir.join("handover.yaml");
    if case.exists() {
        return Err(Error::Refused(format!(
            "{} already exists; edit it, or run `handover init` in another folder",
            case.display()
        )));
    }
    let write = |path: &Path, text: &str| -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })
    };
    let mut written = Vec::new();
    for (name, text) in [
        ("templates/notice.txt.j2", NOTICE_TEMPLATE),
        ("templates/notice.ja.txt.j2", NOTICE_TEMPLATE_JA),
        ("members.csv", MEMBERS_FILE),
    ] {
        let path = dir.join(name);
        if !path.exists() {
            write(&path, text)?;
            written.push(path);
        }
    }
    std::fs::create_dir_all(dir.join("policies")).map_err(|source| Error::Write {
        path: dir.join("policies"),
        source,
    })?;
    let ledger = dir.join("handover.db");
    crate::ledger::Ledger::open(&ledger, now)?;
    written.push(ledger);
    write(&case, CASE_FILE)?;
    written.insert(0, case);
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_scaffolded_case_file_is_valid() {
        let case =
            crate::case::Case::parse(std::path::Path::new("handover.yaml"), super::CASE_FILE)
                .unwrap();
        assert_eq!(case.rules.packs()[0].id, "metropolis-promise");
    }
}
