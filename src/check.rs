//! `handover check`: the policy files changed since a git revision, their practice changes,
//! and which material ones are not yet acknowledged. Computes a [`CheckReport`]; prints
//! nothing (the renderers are in [`crate::render::check`]).
//!
//! How it decides, where the design leaves it open:
//!
//! - **Which files.** Each path the user names is a file or a folder, relative to where they
//!   stand; with none, the `policies/` folder at the top of the repository. In a folder, the
//!   policy documents (`.md`, `.markdown`, `.html`, `.htm`, `.docx`, `.pdf`, any depth) are
//!   policies; a file named outright is one whatever its extension. Findings in a Word or
//!   PDF file carry no `line` (their positions are paragraphs and pages, not file lines). A file counts when it is in the base revision or in the
//!   working tree (tracked, or untracked and not ignored). Naming paths that hold no policy
//!   on either side is bad input (exit 2), since a check of nothing would always pass.
//! - **Which base.** `--base REV` as given. Without it, the merge base of `HEAD` with the
//!   default branch (`origin/HEAD`, else `origin/main`, `origin/master`, `main`, `master`),
//!   so a pull request is judged on what it changes; `HEAD` when there is no default branch,
//!   or when it shares no history with `HEAD`. In a shallow clone a missing merge base is an
//!   error rather than a silent fallback to `HEAD`, which would pass every change.
//! - **What is compared.** The file at the base commit with the file in the working tree
//!   (so uncommitted edits count, as a pre-commit hook wants). A file absent at the base is
//!   `added` and compared with an empty policy, so each practice it states is an added
//!   practice. A file gone from the working tree is `deleted`: that is one material finding
//!   of its own (a policy people were promised has gone) with the fingerprint
//!   `sha256("handover.check/policy-deleted\n" + path)`, cut to 16 hex digits, so it needs an
//!   acknowledgement like any other. A rename shows as a deletion and an addition.
//! - **Findings.** Every practice change of every changed file is a finding; only material
//!   ones need acknowledging, and review changes (changed sentences about personal data that
//!   no practice change explains, see `crate::diff`) count as material until acknowledged;
//!   their acknowledgement records whether the reviewer found them material. A finding is acknowledged by an entry with its fingerprint and
//!   the same file ([`crate::ack`]); fingerprints depend on the practice, not on line
//!   numbers, so an acknowledgement survives unrelated edits elsewhere in the file.
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ack::{self, Acknowledgement};
use crate::compare::{Category, ChangeKind, Evidence, PracticeChange};
use crate::error::{Error, Result};
use crate::git::{Repo, RepoPath};
use crate::input::Kind;
use crate::policy::{self, Policy, SourceFormat};
use crate::redline::TextChange;
use crate::taxonomy::Taxonomy;

/// The folder checked when no path is given, relative to the repository root.
pub const DEFAULT_POLICY_DIR: &str = "policies";
/// The acknowledgements file used when none is given, relative to the repository root.
pub const DEFAULT_ACK_FILE: &str = "policies/acknowledged.yaml";

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Where the user stands; relative paths start here, and it must be inside the repository.
    pub dir: PathBuf,
    /// The revision to compare with; `None` for the merge base with the default branch.
    pub base: Option<String>,
    /// Policy files or folders; empty for [`DEFAULT_POLICY_DIR`].
    pub paths: Vec<PathBuf>,
    /// The acknowledgements file; `None` for [`DEFAULT_ACK_FILE`].
    pub acknowledgements: Option<PathBuf>,
}

/// How the base revision was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseHow {
    /// Given with `--base`.
    Given,
    /// The merge base of `HEAD` with the default branch named in `rev`.
    MergeBase,
    /// `HEAD`, because there is no default branch or no history shared with it.
    Head,
}

/// The revision the working tree was compared with.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    /// The revision as given, or the default branch's name for a merge base.
    pub rev: String,
    /// The full commit id compared with.
    pub commit: String,
    /// How it was chosen.
    pub how: BaseHow,
}

/// What happened to a policy file between the base and the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Same bytes on both sides.
    Unchanged,
    /// Present on both sides, different bytes.
    Modified,
    /// Only in the working tree.
    Added,
    /// Only at the base revision.
    Deleted,
}

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A practice only the new text states.
    Added,
    /// A practice only the old text states.
    Removed,
    /// A practice that now covers more.
    Expanded,
    /// A practice that now covers less.
    Narrowed,
    /// A practice stated differently.
    Modified,
    /// The whole policy file was deleted.
    PolicyDeleted,
}

impl From<ChangeKind> for FindingKind {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::Added => FindingKind::Added,
            ChangeKind::Removed => FindingKind::Removed,
            ChangeKind::Expanded => FindingKind::Expanded,
            ChangeKind::Narrowed => FindingKind::Narrowed,
            ChangeKind::Modified => FindingKind::Modified,
        }
    }
}

impl FindingKind {
    /// The wire name (`policy-deleted`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Added => "added",
            FindingKind::Removed => "removed",
            FindingKind::Expanded => "expanded",
            FindingKind::Narrowed => "narrowed",
            FindingKind::Modified => "modified",
            FindingKind::PolicyDeleted => "policy-deleted",
        }
    }
}

/// Who acknowledged a finding, and why.
#[derive(Debug, Clone, Serialize)]
pub struct AckRef {
    /// The reviewer.
    pub by: String,
    /// Their reason.
    pub reason: String,
    /// When (RFC 3339), if recorded.
    pub at: Option<String>,
}

/// One change in one policy file.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable fingerprint, matched with acknowledgements together with the file.
    pub id: String,
    /// The practice category; `None` for a deleted policy.
    pub category: Option<Category>,
    /// What changed.
    pub kind: FindingKind,
    /// Whether it needs acknowledging: a material change, or a review change (a changed
    /// sentence about personal data no practice change explains) until a person has read it.
    pub material: bool,
    /// A review change: the acknowledgement records whether the reviewer found it material.
    pub review: bool,
    /// One line for people.
    pub summary: String,
    /// Data type ids the change touches; empty means policy-wide.
    pub data_types: Vec<String>,
    /// The first line of the working-tree file it rests on: its new evidence or, for a
    /// practice only the old text states, the new text the redline pairs with that; `None`
    /// when there is none (a deleted passage, a deleted file).
    pub line: Option<u32>,
    /// Evidence at the base revision.
    pub old: Vec<Evidence>,
    /// Evidence in the working tree.
    pub new: Vec<Evidence>,
    /// The acknowledgement that covers it, if any.
    pub acknowledged: Option<AckRef>,
}

impl Finding {
    /// Material and not acknowledged: what makes `check` fail.
    pub fn blocking(&self) -> bool {
        self.material && self.acknowledged.is_none()
    }

    /// `text_changes` places a practice that only the old text states: on the new text
    /// that the redline pairs with its old statement, if any.
    fn from_change(change: PracticeChange, text_changes: &[TextChange]) -> Self {
        let replaced_at = |old_line: u32| {
            text_changes
                .iter()
                .find_map(|t| match (t.old_lines, t.new_lines) {
                    (Some([first, last]), Some([new, _])) if (first..=last).contains(&old_line) => {
                        Some(new)
                    }
                    _ => None,
                })
        };
        let line = match change.new.iter().map(|e| e.line).min() {
            Some(line) => Some(line),
            None => change.old.iter().filter_map(|e| replaced_at(e.line)).min(),
        };
        Finding {
            line,
            id: change.id,
            category: Some(change.category),
            kind: change.kind.into(),
            material: change.material || change.review,
            review: change.review,
            summary: change.summary,
            data_types: change.data_types,
            old: change.old,
            new: change.new,
            acknowledged: None,
        }
    }

    fn deleted(path: &str) -> Self {
        let digest = Sha256::digest(format!("handover.check/policy-deleted\n{path}").as_bytes());
        Finding {
            id: policy::hex(&digest)[..16].to_string(),
            category: None,
            kind: FindingKind::PolicyDeleted,
            material: true,
            review: false,
            summary: "the policy file was deleted".to_string(),
            data_types: Vec::new(),
            line: None,
            old: Vec::new(),
            new: Vec::new(),
            acknowledged: None,
        }
    }
}

/// One policy file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// What happened to it.
    pub status: FileStatus,
    /// SHA-256 of the file at the base revision.
    pub old_sha256: Option<String>,
    /// SHA-256 of the file in the working tree.
    pub new_sha256: Option<String>,
    /// The comparison's verdict in one line.
    pub summary: String,
    /// How many wording changes the redline found.
    pub text_changes: usize,
    /// Practice changes (and the deletion of the file), material first.
    pub findings: Vec<Finding>,
    /// Both versions and their comparison, for full reports (`--format html`); `None` for
    /// unchanged and deleted files. Not in the JSON.
    #[serde(skip)]
    pub compared: Option<std::sync::Arc<Compared>>,
}

/// A changed file's two versions, as read, and their comparison.
#[derive(Debug)]
pub struct Compared {
    /// The file at the base revision (empty when it was added).
    pub old: Policy,
    /// The file in the working tree.
    pub new: Policy,
    /// Their comparison.
    pub diff: crate::diff::PolicyDiff,
}

/// Everything `handover check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The top of the working tree.
    #[serde(skip)]
    pub root: PathBuf,
    /// What the working tree was compared with.
    pub base: Base,
    /// The acknowledgements file, repository-relative.
    pub acknowledgements: String,
    /// Every policy file, in path order.
    pub files: Vec<FileReport>,
}

impl CheckReport {
    /// All findings with their file.
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }

    /// How many material findings are not acknowledged.
    pub fn blocking(&self) -> usize {
        self.findings().filter(|(_, f)| f.blocking()).count()
    }

    /// True when nothing material is unacknowledged.
    pub fn passed(&self) -> bool {
        self.blocking() == 0
    }

    /// The acknowledgements file on disk.
    pub fn acknowledgements_path(&self) -> PathBuf {
        self.root.join(&self.acknowledgements)
    }

    /// How many blocking findings are review changes (see [`Finding::review`]).
    pub fn blocking_reviews(&self) -> usize {
        self.findings()
            .filter(|(_, f)| f.blocking() && f.review)
            .count()
    }

    /// Marks every blocking finding as acknowledged by `by` for `reason` at `at`, and
    /// returns the entries to record (see [`ack::append`]). `material` is the reviewer's
    /// judgement of the review changes among them, recorded on their entries only.
    pub fn acknowledge(
        &mut self,
        by: &str,
        reason: &str,
        at: Option<&str>,
        material: Option<bool>,
    ) -> Vec<Acknowledgement> {
        let mut entries = Vec::new();
        for file in &mut self.files {
            for finding in file.findings.iter_mut().filter(|f| f.blocking()) {
                entries.push(Acknowledgement {
                    id: finding.id.clone(),
                    file: file.path.clone(),
                    category: finding.category.map(|c| c.as_str().to_string()),
                    summary: Some(finding.summary.clone()),
                    by: by.to_string(),
                    reason: reason.to_string(),
                    at: at.map(str::to_string),
                    material: material.filter(|_| finding.review),
                });
                finding.acknowledged = Some(AckRef {
                    by: by.to_string(),
                    reason: reason.to_string(),
                    at: at.map(str::to_string),
                });
            }
        }
        entries
    }
}

/// Compares the policy files at the base revision with the working tree, finding practices
/// with `taxonomy`.
pub fn check(options: &CheckOptions, taxonomy: &Taxonomy) -> Result<CheckReport> {
    let repo = Repo::discover(&options.dir)?;
    let base = resolve_base(&repo, options.base.as_deref())?;
    let ack_rel = match &options.acknowledgements {
        Some(path) => repo.relative(path)?,
        None => DEFAULT_ACK_FILE.to_string(),
    };
    let (acks, ack_text) = load_acknowledgements(&repo.root.join(&ack_rel), &ack_rel)?;
    let files = policy_files(&repo, &base, options, &ack_rel)?;
    let mut reports = Vec::with_capacity(files.len());
    for (path, at_base, in_tree) in files {
        let mut report = compare_file(&repo, &base, &path, (at_base, in_tree), taxonomy)?;
        for finding in &mut report.findings {
            let Some(index) = acks.iter().position(|a| a.matches(&finding.id, &path)) else {
                continue;
            };
            let ack = &acks[index];
            ack_agrees(ack, finding, &ack_rel, || {
                entry_line(&ack_text, &acks, index)
            })?;
            finding.acknowledged = Some(AckRef {
                by: ack.by.clone(),
                reason: ack.reason.clone(),
                at: ack.at.clone(),
            });
        }
        reports.push(report);
    }
    Ok(CheckReport {
        root: repo.root.clone(),
        base,
        acknowledgements: ack_rel,
        files: reports,
    })
}

fn resolve_base(repo: &Repo, rev: Option<&str>) -> Result<Base> {
    if let Some(rev) = rev {
        if rev.is_empty() || rev.starts_with('-') {
            return Err(Error::Invalid {
                location: "--base".to_string(),
                message: format!("`{rev}` is not a revision; give a commit, branch or tag"),
            });
        }
        return match repo.commit(rev)? {
            Some(commit) => Ok(Base {
                rev: rev.to_string(),
                commit,
                how: BaseHow::Given,
            }),
            None => Err(missing_revision(rev, repo.is_shallow()?)),
        };
    }
    let head = repo.commit("HEAD")?.ok_or_else(|| Error::Invalid {
        location: repo.root.display().to_string(),
        message: "the repository has no commits yet, so there is nothing to compare with; \
                  commit the policies first, or pass --base REV"
            .to_string(),
    })?;
    if let Some(branch) = repo.default_branch()? {
        if let Some(commit) = repo.merge_base(&branch, "HEAD")? {
            return Ok(Base {
                rev: branch,
                commit,
                how: BaseHow::MergeBase,
            });
        }
        if repo.is_shallow()? {
            return Err(Error::Invalid {
                location: "--base".to_string(),
                message: format!(
                    "this is a shallow clone and the merge base of HEAD with {branch} is not in \
                     it; fetch more history (`git fetch --deepen=100`, or `fetch-depth: 0` with \
                     actions/checkout), or pass --base REV"
                ),
            });
        }
    }
    Ok(Base {
        rev: "HEAD".to_string(),
        commit: head,
        how: BaseHow::Head,
    })
}

fn missing_revision(rev: &str, shallow: bool) -> Error {
    let why = if shallow {
        "is not in this shallow clone (its history is cut off)"
    } else {
        "does not name a commit in this repository"
    };
    Error::Invalid {
        location: "--base".to_string(),
        message: format!(
            "`{rev}` {why}; fetch more history (`git fetch --deepen=100`, `git fetch origin \
             <branch>`, or `fetch-depth: 0` with actions/checkout), or pass a revision that \
             exists with --base"
        ),
    }
}

/// The longest summary an acknowledgement mismatch quotes: summaries are one line, and the
/// message must show both whole to be of use.
const SUMMARY_CHARS: usize = 200;

/// The empty policy an added file is compared with.
fn no_policy(name: &str) -> policy::Policy {
    policy::parse(name, "", policy::hex(&Sha256::digest(b"")))
}

/// Refuses an acknowledgement whose `category` or `summary` is not the change its
/// fingerprint approves: a reader of the file trusts those lines, so an entry that reads
/// harmless must not approve, say, a sale. Both are optional (absent means not compared);
/// summaries are compared with runs of whitespace folded, since people re-wrap YAML.
fn ack_agrees(
    ack: &Acknowledgement,
    finding: &Finding,
    file: &str,
    line: impl Fn() -> usize,
) -> Result<()> {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let category = finding.category.map(|c| c.as_str());
    let mismatch = match (&ack.category, &ack.summary) {
        (Some(said), _) if Some(said.trim()) != category => Some((
            "category",
            said.trim().to_string(),
            category
                .unwrap_or("(none: the policy file was deleted)")
                .to_string(),
        )),
        (_, Some(said)) if fold(said) != fold(&finding.summary) => {
            Some(("summary", fold(said), finding.summary.clone()))
        }
        _ => None,
    };
    let Some((field, said, is)) = mismatch else {
        return Ok(());
    };
    Err(Error::Invalid {
        location: format!("{file}:{}", line()),
        message: format!(
            "the acknowledgement of {} in {} has {field} `{}`, but the change with that \
             fingerprint has {field} `{}`; an entry must describe the change it approves: \
             delete this entry and re-acknowledge after review (`handover check --acknowledge \
             --by NAME --reason TEXT`)",
            ack.id,
            ack.file,
            crate::input::excerpt_of(&said, SUMMARY_CHARS),
            crate::input::excerpt_of(&is, SUMMARY_CHARS),
        ),
    })
}

/// The line of the `index`-th entry of `acks` in the file's `text`: the line of its `id:`
/// key, counting entries with the same id in order (the same change may be acknowledged in
/// several files).
fn entry_line(text: &str, acks: &[Acknowledgement], index: usize) -> usize {
    let id = &acks[index].id;
    let nth = acks[..index].iter().filter(|a| &a.id == id).count();
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix("id:")
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
        })
        .nth(nth)
        .map_or(1, |(n, _)| n + 1)
}

/// The acknowledgements and the file's text (empty when there is no file).
fn load_acknowledgements(path: &Path, name: &str) -> Result<(Vec<Acknowledgement>, String)> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = crate::input::decode(name, Kind::Acknowledgements, &bytes)?;
            Ok((ack::parse(name, text)?, text.to_string()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Vec::new(), String::new())),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The policy files to compare: path, present at the base, present in the working tree.
fn policy_files(
    repo: &Repo,
    base: &Base,
    options: &CheckOptions,
    ack_file: &str,
) -> Result<Vec<(RepoPath, bool, bool)>> {
    let specs: Vec<RepoPath> = if options.paths.is_empty() {
        vec![DEFAULT_POLICY_DIR.to_string()]
    } else {
        options
            .paths
            .iter()
            .map(|p| repo.relative(p))
            .collect::<Result<_>>()?
    };
    let specs: Vec<RepoPath> = specs
        .into_iter()
        .map(|s| if s.is_empty() { ".".to_string() } else { s })
        .collect();
    let wanted =
        |path: &str| path != ack_file && (specs.iter().any(|s| s == path) || is_policy_file(path));
    let mut at_base = repo.files_at(&base.commit, &specs)?;
    let mut in_tree = repo.files_in_worktree(&specs)?;
    // A file named outright counts even when git would ignore it.
    in_tree.extend(
        specs
            .iter()
            .filter(|s| repo.root.join(s).is_file())
            .cloned(),
    );
    at_base.retain(|p| wanted(p));
    in_tree.retain(|p| wanted(p));
    let mut all: Vec<RepoPath> = at_base.iter().chain(in_tree.iter()).cloned().collect();
    all.sort();
    all.dedup();
    if all.is_empty() {
        return Err(Error::Invalid {
            location: specs.join(", "),
            message: format!(
                "no policy files here, in the working tree or at {}; name the policy files \
                 or folders that hold your policies (`handover check docs/privacy.md`)",
                base.rev
            ),
        });
    }
    Ok(all
        .into_iter()
        .map(|p| {
            let (old, new) = (at_base.contains(&p), in_tree.contains(&p));
            (p, old, new)
        })
        .collect())
}

/// A file in a policy folder that is a policy: Markdown, HTML, Word or PDF.
fn is_policy_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".html", ".htm", ".docx", ".pdf"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn compare_file(
    repo: &Repo,
    base: &Base,
    path: &str,
    (at_base, in_tree): (bool, bool),
    taxonomy: &Taxonomy,
) -> Result<FileReport> {
    let old_bytes = if at_base {
        Some(repo.read_at(&base.commit, path)?)
    } else {
        None
    };
    let new_bytes = if in_tree {
        let full = repo.root.join(path);
        Some(std::fs::read(&full).map_err(|source| Error::Read { path: full, source })?)
    } else {
        None
    };
    let old_name = format!("{}:{path}", base.rev);
    let sha = |bytes: &Option<Vec<u8>>| bytes.as_ref().map(|b| policy::hex(&Sha256::digest(b)));
    let mut report = FileReport {
        path: path.to_string(),
        status: FileStatus::Unchanged,
        old_sha256: sha(&old_bytes),
        new_sha256: sha(&new_bytes),
        summary: "unchanged".to_string(),
        text_changes: 0,
        findings: Vec::new(),
        compared: None,
    };
    let (old, new): (Policy, Policy) = match (&old_bytes, &new_bytes) {
        (Some(old), Some(new)) if old == new => return Ok(report),
        (Some(_), None) => {
            report.status = FileStatus::Deleted;
            report.summary = "policy deleted".to_string();
            report.findings.push(Finding::deleted(path));
            return Ok(report);
        }
        (None, None) => return Ok(report),
        (Some(old), Some(new)) => {
            report.status = FileStatus::Modified;
            // An empty file at the base is history the user cannot fix: it states nothing,
            // like an added file's missing past. In the working tree it is refused.
            let old = if old.trim_ascii().is_empty() {
                no_policy(&old_name)
            } else {
                policy::from_bytes(&old_name, old)?
            };
            (old, policy::from_bytes(path, new)?)
        }
        (None, Some(new)) => {
            report.status = FileStatus::Added;
            (no_policy(&old_name), policy::from_bytes(path, new)?)
        }
    };
    let diff = crate::diff::diff(&old, &new, taxonomy);
    report.summary = diff.verdict.summary.clone();
    report.text_changes = diff.text_changes.len();
    let text_changes = &diff.text_changes;
    report.findings = diff
        .practice_changes
        .iter()
        .cloned()
        .map(|change| Finding::from_change(change, text_changes))
        .collect();
    report.findings.sort_by_key(|f| !f.material);
    if !matches!(new.format, SourceFormat::Markdown | SourceFormat::Html) {
        // Paragraph and page positions are not lines of the file.
        report.findings.iter_mut().for_each(|f| f.line = None);
    }
    report.compared = Some(std::sync::Arc::new(Compared { old, new, diff }));
    Ok(report)
}
