//! The test harness: a temporary working directory per test and a `handover` command with a
//! clean environment.
//!
//! Every test gets its own [`Dir`]; commands run with that directory as their current
//! directory, so relative paths in reports (and in snapshots) stay short and stable. When an
//! expectation on a run fails, the panic message shows the working directory, the command,
//! its exit status, standard output and standard error. A directory whose test panicked is
//! kept on disk (its path is printed) so that the files can be inspected.
//!
//! Every run's standard error goes through [`scan_stderr`], which fails the test when it
//! names a member of the fixtures (a name or an email address of
//! `examples/acquisition/members.csv`, of [`crate::cli_plan::MEMBERS`] or of [`PEOPLE`]):
//! messages may name a member id and a row, never the person. The runs that do not use
//! [`Dir`] (the git helpers of `cli_check`, the case helpers of `cli_plan`) call it too, so
//! the whole integration suite is covered.
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The repository root, where the shipped example policies live.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A unique temporary working directory for one test.
pub struct Dir {
    name: String,
    root: Option<tempfile::TempDir>,
}

impl Dir {
    /// Creates an empty directory; `name` (the test's name) is part of its file name.
    pub fn new(name: &str) -> Dir {
        let root = tempfile::Builder::new()
            .prefix(&format!("handover-test-{name}-"))
            .tempdir()
            .expect("create a temporary directory");
        Dir {
            name: name.to_string(),
            root: Some(root),
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.root.as_ref().expect("directory is alive").path()
    }

    /// Writes `contents` to `name` inside the directory (creating parent folders) and
    /// returns the full path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent folders");
        }
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// Copies a file of the repository (e.g. `policies/sakura-2026.md`) to the same relative
    /// path in the directory.
    pub fn copy_from_repo(&self, relative: &str) -> PathBuf {
        let bytes = std::fs::read(repo().join(relative)).expect("read repository file");
        self.write(relative, bytes)
    }

    /// Reads a file of the directory as UTF-8.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).expect("read output file")
    }

    /// A `handover` command running in this directory with a clean environment: only
    /// `PATH` is kept, and `NO_COLOR=1` is set.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`Dir::cmd`] as a `std::process::Command`, for tests that need to spawn the process.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_handover"));
        cmd.env_clear()
            .current_dir(self.path())
            .env("NO_COLOR", "1");
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd
    }

    /// `handover ARGS...` in this directory.
    pub fn handover<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.cmd();
        cmd.args(args);
        cmd
    }

    /// Runs `cmd` and expects exit status `code`; panics with the run's details otherwise.
    pub fn run_expect(&self, cmd: &mut Command, code: i32) -> Output {
        let output = cmd.output().expect("spawn handover");
        if let Some(found) = personal_found(&String::from_utf8_lossy(&output.stderr)) {
            panic!(
                "standard error names a member of the fixtures ({found:?}):\n{}",
                self.describe(cmd, &output)
            );
        }
        if output.status.code() != Some(code) {
            panic!(
                "expected exit status {code}\n{}",
                self.describe(cmd, &output)
            );
        }
        output
    }

    /// Runs `cmd`, expects success and returns its standard output.
    pub fn stdout(&self, cmd: &mut Command) -> String {
        let output = self.run_expect(cmd, 0);
        String::from_utf8(output.stdout).expect("stdout is UTF-8")
    }

    /// `handover diff OLD NEW --format json`, parsed.
    pub fn diff_json(&self, old: &str, new: &str) -> serde_json::Value {
        let out = self.stdout(&mut self.handover(["diff", old, new, "--format", "json"]));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{out}"))
    }

    /// Everything worth seeing about a run, for a failure message.
    pub fn describe(&self, cmd: &Command, output: &Output) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "test:    {}", self.name);
        let _ = writeln!(s, "cwd:     {}", self.path().display());
        let _ = writeln!(s, "command: {cmd:?}");
        let _ = writeln!(s, "status:  {}", output.status);
        let _ = writeln!(s, "stdout:\n{}", String::from_utf8_lossy(&output.stdout));
        let _ = writeln!(s, "stderr:\n{}", String::from_utf8_lossy(&output.stderr));
        s
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            if let Some(root) = self.root.take() {
                eprintln!(
                    "kept the working directory of {}: {}",
                    self.name,
                    root.keep().display()
                );
            }
        }
    }
}

/// The JSON `text_changes` of a diff.
pub fn text_changes(diff: &serde_json::Value) -> &Vec<serde_json::Value> {
    diff["text_changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no text_changes array in {diff:#}"))
}

/// The `kind` of every text change, in order.
pub fn kinds(diff: &serde_json::Value) -> Vec<&str> {
    text_changes(diff)
        .iter()
        .map(|c| c["kind"].as_str().expect("kind is a string"))
        .collect()
}

/// Hex SHA-256 of a file's bytes.
pub fn sha256_of(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(std::fs::read(path).expect("read file to hash"));
    digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Invented people used in the fixtures of the bad-input tests: a name and an address each.
pub const PEOPLE: &[(&str, &str)] = &[
    ("Haruki Nakamura", "haruki.nakamura@example.jp"),
    ("Emi Fujita", "emi.fujita@example.jp"),
    ("Kaito Shimizu", "kaito.shimizu@example.jp"),
];

/// The names and email addresses that must never reach standard error (see the module doc),
/// lower-cased.
pub fn personal_data() -> &'static [String] {
    static ALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        let example = repo().join("examples/acquisition/members.csv");
        let sources = [
            std::fs::read_to_string(example).expect("read the example members"),
            crate::cli_plan::MEMBERS.to_string(),
        ];
        for text in sources {
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let headers = reader.headers().expect("a header row").clone();
            let column = |name: &str| headers.iter().position(|h| h == name);
            let (name, email) = (column("name"), column("email"));
            for record in reader.records() {
                let record = record.expect("a fixture row");
                for cell in [name, email].into_iter().flatten() {
                    all.extend(record.get(cell).and_then(personal_token));
                }
                // The address inside `"Name" <address>`, and the name before it.
                if let Some(cell) = email.and_then(|i| record.get(i)) {
                    if let Some((display, rest)) = cell.split_once('<') {
                        all.extend(personal_token(display.trim().trim_matches('"')));
                        all.extend(personal_token(rest.trim_end_matches('>')));
                    }
                }
            }
        }
        for (name, email) in PEOPLE {
            all.push(name.to_lowercase());
            all.push(email.to_lowercase());
        }
        all.sort();
        all.dedup();
        all
    })
}

/// A cell worth looking for: long enough not to match ordinary words.
fn personal_token(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (cell.chars().count() >= 6 && !cell.contains('<')).then(|| cell.to_lowercase())
}

/// Panics when `stderr` names a person of the fixtures; `context` describes the run.
pub fn scan_stderr(stderr: &[u8], context: &str) {
    if let Some(found) = personal_found(&String::from_utf8_lossy(stderr)) {
        panic!("standard error names a member of the fixtures ({found:?}):\n{context}");
    }
}

/// The first name or address of [`personal_data`] that `text` contains.
pub fn personal_found(text: &str) -> Option<&'static str> {
    let text = text.to_lowercase();
    personal_data()
        .iter()
        .find(|p| text.contains(p.as_str()))
        .map(String::as_str)
}
