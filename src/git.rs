//! The few git questions `handover check` asks, answered by the `git` command line.
//!
//! We run the user's own `git` (`git -C <root> ...`) rather than link a git library: it
//! reads the same configuration, understands shallow clones, worktrees and alternates the
//! way the user's git does, and keeps the build small. Output that names files is read with
//! `-z`, so no path is quoted or mangled, and pathspecs are literal (`--literal-pathspecs`),
//! so a `*` in a file name means a `*`.
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// A git working tree.
#[derive(Debug, Clone)]
pub(crate) struct Repo {
    /// The top of the working tree.
    pub root: PathBuf,
    /// Where the user stands, relative to `root` (`""` or `docs/`).
    prefix: String,
}

/// One file in a tree: repository-relative path with `/` separators.
pub(crate) type RepoPath = String;

impl Repo {
    /// Finds the working tree that holds `dir`.
    pub fn discover(dir: &Path) -> Result<Repo> {
        let output = run(dir, ["rev-parse", "--show-toplevel", "--show-prefix"])?;
        if !output.status.success() {
            return Err(Error::Invalid {
                location: dir.display().to_string(),
                message: format!(
                    "not inside a git working tree ({}); run `handover check` in a clone of \
                     the repository that holds the policies",
                    first_line(&output.stderr)
                ),
            });
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let mut lines = text.lines();
        let root = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines.next().unwrap_or_default().to_string();
        Ok(Repo { root, prefix })
    }

    /// Runs git at the root and returns its output, whatever the exit status.
    fn git<I, S>(&self, args: I) -> Result<Output>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run(&self.root, args)
    }

    /// Runs git at the root and returns its standard output; a failure is an error.
    fn git_ok<I, S>(&self, args: I) -> Result<Vec<u8>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let output = self.git(&args)?;
        if output.status.success() {
            return Ok(output.stdout);
        }
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect();
        Err(Error::Git {
            location: self.root.display().to_string(),
            message: format!(
                "`git {}` failed: {}",
                shown.join(" "),
                first_line(&output.stderr)
            ),
            source: None,
        })
    }

    /// The commit `rev` names, if it names one here.
    pub fn commit(&self, rev: &str) -> Result<Option<String>> {
        let output = self.git([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])?;
        let sha = String::from_utf8_lossy(&output.stdout).trim().to_string();
        Ok((output.status.success() && !sha.is_empty()).then_some(sha))
    }

    /// Whether this is a shallow clone (history cut off at some depth).
    pub fn is_shallow(&self) -> Result<bool> {
        let out = self.git_ok(["rev-parse", "--is-shallow-repository"])?;
        Ok(String::from_utf8_lossy(&out).trim() == "true")
    }

    /// The default branch: what `origin/HEAD` points at, else the first of `origin/main`,
    /// `origin/master`, `main`, `master` that exists; as a short name (`origin/main`).
    pub fn default_branch(&self) -> Result<Option<String>> {
        let output = self.git([
            "symbolic-ref",
            "--quiet",
            "--short",
            "refs/remotes/origin/HEAD",
        ])?;
        let name = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if output.status.success() && !name.is_empty() && self.commit(&name)?.is_some() {
            return Ok(Some(name));
        }
        for (full, short) in [
            ("refs/remotes/origin/main", "origin/main"),
            ("refs/remotes/origin/master", "origin/master"),
            ("refs/heads/main", "main"),
            ("refs/heads/master", "master"),
        ] {
            if self.commit(full)?.is_some() {
                return Ok(Some(short.to_string()));
            }
        }
        Ok(None)
    }

    /// The best common ancestor of two commits, if they share history here.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>> {
        let output = self.git(["merge-base", a, b])?;
        let sha = String::from_utf8_lossy(&output.stdout).trim().to_string();
        Ok((output.status.success() && !sha.is_empty()).then_some(sha))
    }

    /// Regular files (no links, no submodules) at `commit` under the pathspecs.
    pub fn files_at(&self, commit: &str, pathspecs: &[RepoPath]) -> Result<Vec<RepoPath>> {
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit, "--"];
        args.extend(pathspecs.iter().map(String::as_str));
        let out = self.git_ok(args)?;
        let mut files = Vec::new();
        for entry in out.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (mode, kind) = (meta.next(), meta.next());
            if kind == Some("blob") && mode != Some("120000") {
                files.push(path.to_string());
            }
        }
        Ok(files)
    }

    /// Files present in the working tree under the pathspecs: tracked or untracked, not
    /// ignored, and not deleted from disk.
    pub fn files_in_worktree(&self, pathspecs: &[RepoPath]) -> Result<Vec<RepoPath>> {
        let mut args = vec![
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
        ];
        args.extend(pathspecs.iter().map(String::as_str));
        let out = self.git_ok(args)?;
        let mut files: Vec<RepoPath> = out
            .split(|&b| b == 0)
            .filter(|e| !e.is_empty())
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .filter(|p| self.root.join(p).is_file())
            .collect();
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The bytes of `path` at `commit`.
    pub fn read_at(&self, commit: &str, path: &str) -> Result<Vec<u8>> {
        self.git_ok(["cat-file", "blob", &format!("{commit}:{path}")])
    }

    /// Turns a path the user typed (relative to where they stand, or absolute) into a
    /// repository-relative path; `""` is the root.
    pub fn relative(&self, path: &Path) -> Result<RepoPath> {
        let outside = || Error::Invalid {
            location: path.display().to_string(),
            message: format!(
                "this path is outside the repository at {}; name files inside it",
                self.root.display()
            ),
        };
        let joined = if path.is_absolute() {
            let root = self
                .root
                .canonicalize()
                .unwrap_or_else(|_| self.root.clone());
            let path = canonical_prefix(path);
            path.strip_prefix(&root)
                .map_err(|_| outside())?
                .to_path_buf()
        } else {
            Path::new(&self.prefix).join(path)
        };
        let mut parts: Vec<String> = Vec::new();
        for component in joined.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop().ok_or_else(outside)?;
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        Ok(parts.join("/"))
    }
}

/// Canonicalises the longest existing ancestor of `path` and keeps the rest as written, so a
/// deleted file still resolves through a symlinked temp directory.
fn canonical_prefix(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut current = path;
    loop {
        if let Ok(found) = current.canonicalize() {
            return rest.iter().rev().fold(found, |acc, part| acc.join(part));
        }
        match (current.parent(), current.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                current = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn run<I, S>(dir: &Path, args: I) -> Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new("git")
        .arg("--literal-pathspecs")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Git {
            location: "git".to_string(),
            message: format!("cannot run git ({e}); `handover check` needs the git command line"),
            source: Some(e),
        })
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message");
    line.trim().trim_start_matches("fatal: ").to_string()
}
