//! `handover check` end to end: real git repositories in temp dirs, the real binary.
//!
//! Self-contained on purpose (its own `Repo` and `Run` helpers), so it merges cleanly next
//! to other test modules. Every run has a clean environment: only `PATH`, a `HOME` inside the
//! temp dir, `NO_COLOR=1` and `GIT_CONFIG_NOSYSTEM=1`, so neither the user's git
//! configuration nor GitHub's variables leak in.
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use serde_json::{json, Value};

/// The policy every scenario starts from; line 7 is the sharing statement.
const POLICY: &str = "\
# Example Privacy Policy

Thank you for visiting our site.

## Sharing

We do not sell personal information.

## Security

We protect your information with encryption.
";

const SOLD: &str = "We may sell your personal information to data brokers.";

const TERMS: &str = "# Terms of Use\n\nBe kind to other travellers.\n";

const NOW: &str = "2026-01-15T09:30:00Z";

/// A git repository in a temp dir, with a `home/` beside it.
struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    /// A repository on branch `main` holding `files`, committed.
    fn with(files: &[(&str, &str)]) -> Repo {
        let repo = Repo::empty();
        for (path, text) in files {
            repo.write(path, text);
        }
        repo.commit("initial policies");
        repo
    }

    fn empty() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("home")).unwrap();
        std::fs::create_dir(tmp.path().join("repo")).unwrap();
        let repo = Repo { tmp };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn path(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(&self.path(), &self.home(), args)
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// `handover ARGS...` run at the top of the repository.
    fn handover(&self, args: &[&str]) -> Run {
        self.handover_in(&self.path(), args, &[])
    }

    fn handover_in(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::cargo_bin("handover").unwrap();
        clean_env(&mut cmd, &self.home());
        cmd.current_dir(dir).args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        crate::util::scan_stderr(&output.stderr, &format!("handover {args:?}"));
        Run {
            what: format!("handover {} (in {})", args.join(" "), dir.display()),
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// `handover check --format json ARGS...`, parsed.
    fn check_json(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let run = self.handover(&all);
        run.code(code);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run}"))
    }

    fn acknowledge(&self, by: &str, reason: &str) -> Run {
        self.handover_in(
            &self.path(),
            &["check", "--acknowledge", "--by", by, "--reason", reason],
            &[("HANDOVER_NOW", NOW)],
        )
    }
}

fn clean_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1");
}

fn git_in(dir: &Path, home: &Path, args: &[&str]) -> String {
    let output = StdCommand::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What a run did; printed whole when an assertion fails.
struct Run {
    what: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit code\n{self}");
        self
    }

    fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{self}"
        );
        self
    }

    fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- {}\n--- exit: {:?}\n--- stdout:\n{}--- stderr:\n{}",
            self.what, self.code, self.stdout, self.stderr
        )
    }
}

/// The findings of `file` in a `handover.check/v1` document.
fn findings<'a>(report: &'a Value, file: &str) -> &'a Vec<Value> {
    let file = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == file)
        .unwrap_or_else(|| panic!("no {file} in {report:#}"));
    file["findings"].as_array().unwrap()
}

/// The one finding of `category` in `file`.
fn finding(report: &Value, file: &str, category: &str) -> Value {
    let found: Vec<&Value> = findings(report, file)
        .iter()
        .filter(|f| f["category"] == category)
        .collect();
    assert_eq!(found.len(), 1, "one {category} change expected: {report:#}");
    found[0].clone()
}

/// A finding without its fingerprint, to compare the rest exactly.
fn without_id(finding: &Value) -> Value {
    let mut finding = finding.clone();
    let id = finding.as_object_mut().unwrap().remove("id").unwrap();
    let id = id.as_str().unwrap();
    assert!(
        id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "fingerprint {id}"
    );
    finding
}

/// The material change of "we do not sell" -> "we may sell": one practice, the sale, whose
/// denial became a statement. It rests on line `line`.
fn expected_sale_findings(line: u32) -> [Value; 1] {
    [
        json!({"category": "sharing", "kind": "expanded", "material": true, "review": false,
            "summary": SALE_SUMMARY, "data_types": [],
            "line": line, "old": [{"line": 7, "text": "We do not sell personal information."}],
            "new": [{"line": line, "text": SOLD}],
            "acknowledged": null}),
    ]
}

const SALE_SUMMARY: &str =
    "was: does not sell personal information; now: may sell personal information to data brokers";

// --- Done means: a material change fails with exit 1 and an annotation on the right line.

#[test]
fn material_change_fails_with_an_annotation_on_its_line() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.edit(
        "policies/privacy.md",
        "We do not sell personal information.",
        SOLD,
    );

    repo.handover(&["check"])
        .code(1)
        .stdout_has("policies/privacy.md (modified)")
        .stdout_has(
            "  ! sharing       expanded  was: does not sell personal information; now: may sell \
             personal information to data brokers\n",
        )
        .stdout_has("      new    7: We may sell your personal information to data brokers.\n")
        .stdout_has("FAILED")
        .stdout_has("handover check --acknowledge --by NAME --reason TEXT");

    let report = repo.check_json(&[], 1);
    assert_eq!(report["schema"], "handover.check/v1");
    assert_eq!(report["passed"], false);
    assert_eq!(
        report["base"],
        json!({"rev": "main", "commit": repo.git(&["rev-parse", "HEAD"]).trim(), "how": "merge-base"})
    );
    assert_eq!(report["acknowledgements"], "policies/acknowledged.yaml");
    assert_eq!(
        report["counts"],
        json!({"files": 1, "changed": 1, "findings": 1, "material": 1, "acknowledged": 0,
               "unacknowledged": 1})
    );
    let file = &report["files"][0];
    assert_eq!(file["path"], "policies/privacy.md");
    assert_eq!(file["status"], "modified");
    assert_eq!(file["text_changes"], 1);
    let found: Vec<Value> = findings(&report, "policies/privacy.md")
        .iter()
        .map(without_id)
        .collect();
    assert_eq!(found, expected_sale_findings(7));

    let github = repo.handover(&["check", "--format", "github"]);
    github.code(1);
    let errors: Vec<&str> = github
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    let sale = finding(&report, "policies/privacy.md", "sharing");
    assert_eq!(
        errors[0],
        format!(
            "::error file=policies/privacy.md,line=7,title=Material sharing change (expanded)::\
             {SALE_SUMMARY}. Fingerprint {}. After review, \
             record it with `handover check --acknowledge --by NAME --reason TEXT` and commit \
             policies/acknowledged.yaml.",
            sale["id"].as_str().unwrap()
        ),
        "{github}"
    );
    assert_eq!(errors.len(), 1, "{github}");
    assert!(github
        .stdout
        .ends_with("handover check failed: 1 material change not acknowledged\n"));

    let markdown = repo.handover(&["check", "--format", "markdown"]);
    markdown
        .code(1)
        .stdout_has("## handover check: failed")
        .stdout_has("**1 material change is not acknowledged.**")
        .stdout_has(&format!(
            "| **material** | sharing | expanded | {SALE_SUMMARY} | L7 |"
        ));
}

// --- Done means: acknowledging passes; a later unrelated edit still passes.

#[test]
fn acknowledged_change_passes_and_survives_unrelated_edits() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.git(&["checkout", "-q", "-b", "sell-data"]);
    repo.edit(
        "policies/privacy.md",
        "We do not sell personal information.",
        SOLD,
    );
    repo.commit("We sell data now");
    // Committed on a branch: the default base is the merge base with main, not HEAD.
    let report = repo.check_json(&[], 1);
    let sale = finding(&report, "policies/privacy.md", "sharing");

    repo.acknowledge("Jane Doe", "Approved by legal: LEGAL-42")
        .code(0)
        .stderr_has("recorded 1 acknowledgement in policies/acknowledged.yaml");
    let text = repo.read("policies/acknowledged.yaml");
    assert!(text.starts_with("# Reviewed material changes"), "{text}");
    let recorded: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let entry = |f: &Value| {
        json!({"id": f["id"], "file": "policies/privacy.md", "category": f["category"],
               "summary": f["summary"], "by": "Jane Doe",
               "reason": "Approved by legal: LEGAL-42", "at": NOW})
    };
    assert_eq!(
        serde_json::to_value(&recorded).unwrap(),
        json!({"acknowledged": [entry(&sale)]})
    );
    repo.commit("Acknowledge the sale of data");

    let report = repo.check_json(&[], 0);
    assert_eq!(report["passed"], true);
    assert_eq!(report["counts"]["material"], 1);
    assert_eq!(report["counts"]["acknowledged"], 1);
    assert_eq!(report["counts"]["unacknowledged"], 0);
    let after = finding(&report, "policies/privacy.md", "sharing");
    assert_eq!(after["id"], sale["id"]);
    assert_eq!(
        after["acknowledged"],
        json!({"by": "Jane Doe", "reason": "Approved by legal: LEGAL-42", "at": NOW})
    );
    repo.handover(&["check"])
        .code(0)
        .stdout_has("fingerprint ")
        .stdout_has(", acknowledged by Jane Doe: Approved by legal: LEGAL-42")
        .stdout_has("passed");

    // Acknowledging again has nothing to add and leaves the file alone.
    repo.acknowledge("Someone Else", "again")
        .code(0)
        .stderr_has("nothing to acknowledge");
    assert_eq!(repo.read("policies/acknowledged.yaml"), text);

    // Unrelated edits elsewhere in the file: a new paragraph above (every line below moves
    // down by two) and a reworded introduction.
    repo.edit(
        "policies/privacy.md",
        "Thank you for visiting our site.\n",
        "Thanks for visiting our website.\n\nThis policy was last updated in January.\n",
    );
    repo.commit("Unrelated edits");
    let report = repo.check_json(&[], 0);
    assert_eq!(report["counts"]["unacknowledged"], 0);
    let moved = finding(&report, "policies/privacy.md", "sharing");
    assert_eq!(
        moved["id"], sale["id"],
        "the fingerprint must not depend on lines"
    );
    assert_eq!(moved["line"], 9);
    assert_eq!(moved["new"], json!([{"line": 9, "text": SOLD}]));
    assert_eq!(moved["acknowledged"]["by"], "Jane Doe");
    let github = repo.handover(&["check", "--format", "github"]);
    github
        .code(0)
        .stdout_has(
            "::notice file=policies/privacy.md,line=9,title=Acknowledged sharing change (expanded)::\
             was: does not sell personal information; now: may sell personal information to data \
             brokers. Acknowledged by Jane Doe: Approved by legal: LEGAL-42\n",
        )
        .stdout_has("handover check passed: 1 material change, all acknowledged");
    assert!(!github.stdout.contains("::error"), "{github}");

    // A new material change is not covered by the old acknowledgements.
    repo.edit(
        "policies/privacy.md",
        "## Security",
        "We share your email address with advertising partners.\n\n## Security",
    );
    let report = repo.check_json(&[], 1);
    assert_eq!(report["counts"]["unacknowledged"], 1, "{report:#}");
    let blocking: Vec<&Value> = findings(&report, "policies/privacy.md")
        .iter()
        .filter(|f| f["material"] == true && f["acknowledged"].is_null())
        .collect();
    assert_eq!(blocking[0]["line"], 11, "{report:#}");
}

#[test]
fn acknowledgement_does_not_cover_the_same_change_in_another_file() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY), ("policies/app.md", POLICY)]);
    repo.edit(
        "policies/privacy.md",
        "We do not sell personal information.",
        SOLD,
    );
    repo.acknowledge("Jane Doe", "web policy reviewed").code(0);
    repo.edit(
        "policies/app.md",
        "We do not sell personal information.",
        SOLD,
    );
    let report = repo.check_json(&[], 1);
    assert_eq!(report["counts"]["material"], 2);
    assert_eq!(report["counts"]["unacknowledged"], 1);
    let web = finding(&report, "policies/privacy.md", "sharing");
    let app = finding(&report, "policies/app.md", "sharing");
    assert_eq!(
        app["id"], web["id"],
        "the same change has the same fingerprint"
    );
    assert_eq!(app["acknowledged"], Value::Null);
    assert_eq!(web["acknowledged"]["reason"], "web policy reviewed");
}

// --- Done means: a wording-only change passes.

#[test]
fn wording_only_change_passes() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.edit(
        "policies/privacy.md",
        "Thank you for visiting our site.",
        "Thanks for\nvisiting our website.",
    );
    let report = repo.check_json(&[], 0);
    assert_eq!(report["passed"], true);
    assert_eq!(report["counts"]["changed"], 1);
    assert_eq!(report["counts"]["material"], 0);
    let file = &report["files"][0];
    assert_eq!(file["status"], "modified");
    assert_eq!(file["findings"], json!([]));
    assert_eq!(file["text_changes"], 1);
    assert_eq!(file["summary"], "1 wording change, no practice change");
    repo.handover(&["check"]).code(0).stdout_has("passed");
    let github = repo.handover(&["check", "--format", "github"]);
    github.code(0);
    assert!(!github.stdout.contains("::error"), "{github}");
}

// --- Done means: a deleted policy is reported.

#[test]
fn deleted_policy_is_reported_and_needs_acknowledgement() {
    let repo = Repo::with(&[
        ("policies/privacy.md", POLICY),
        ("policies/terms.md", TERMS),
    ]);
    repo.remove("policies/terms.md");

    repo.handover(&["check"])
        .code(1)
        .stdout_has("policies/terms.md (deleted): policy deleted")
        .stdout_has("deleted   the policy file was deleted");
    let report = repo.check_json(&[], 1);
    assert_eq!(report["counts"]["files"], 2);
    assert_eq!(report["counts"]["changed"], 1);
    let terms = &report["files"][1];
    assert_eq!(terms["path"], "policies/terms.md");
    assert_eq!(terms["status"], "deleted");
    assert_eq!(terms["new_sha256"], Value::Null);
    let finding = &terms["findings"][0];
    assert_eq!(finding["kind"], "policy-deleted");
    assert_eq!(finding["category"], Value::Null);
    assert_eq!(finding["material"], true);
    assert_eq!(finding["line"], Value::Null);
    let id = finding["id"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    assert_eq!(report["files"][0]["status"], "unchanged");

    let github = repo.handover(&["check", "--format", "github"]);
    github.code(1).stdout_has(&format!(
        "::error file=policies/terms.md,title=Material policy deleted::the policy file was deleted. Fingerprint {id}."
    ));

    repo.acknowledge("Jane Doe", "terms moved to the website")
        .code(0);
    let report = repo.check_json(&[], 0);
    assert_eq!(
        report["files"][1]["findings"][0]["acknowledged"]["by"],
        "Jane Doe"
    );
}

#[test]
fn added_policy_is_compared_with_an_empty_one() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    let app = POLICY.replace("We do not sell personal information.", SOLD);
    repo.write("policies/app/privacy.md", &app);
    let report = repo.check_json(&[], 1);
    let file = &report["files"][0];
    assert_eq!(file["path"], "policies/app/privacy.md");
    assert_eq!(file["status"], "added");
    assert_eq!(file["old_sha256"], Value::Null);
    let sale = finding(&report, "policies/app/privacy.md", "sharing");
    assert_eq!(sale["kind"], "added");
    assert_eq!(sale["material"], true);
    assert_eq!(sale["line"], 7);
}

#[test]
fn github_format_appends_a_step_summary() {
    let repo = Repo::with(&[
        ("policies/privacy.md", POLICY),
        ("policies/terms.md", TERMS),
    ]);
    repo.remove("policies/terms.md");
    let summary = repo.home().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let env = [("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];
    repo.handover_in(&repo.path(), &["check", "--format", "github"], &env)
        .code(1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n## handover check: failed\n"),
        "{text}"
    );
    assert!(
        text.contains("| `policies/terms.md` | deleted | policy deleted |"),
        "{text}"
    );
}

// --- Done means: a missing base revision is exit 2 with a clear message.

#[test]
fn missing_base_revision_is_exit_2() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.handover(&["check", "--base", "no-such-branch"])
        .code(2)
        .stderr_has(
            "handover: error: --base: `no-such-branch` does not name a commit in this repository",
        )
        .stderr_has("git fetch --deepen");
    assert_eq!(
        repo.handover(&["check", "--base", "no-such-branch"]).stdout,
        ""
    );
}

#[test]
fn missing_base_in_a_shallow_clone_says_to_fetch_more_history() {
    let origin = Repo::with(&[("policies/privacy.md", POLICY)]);
    origin.git(&["checkout", "-q", "-b", "feature"]);
    origin.edit("policies/privacy.md", "Thank you", "Thanks");
    origin.commit("one");
    origin.edit(
        "policies/privacy.md",
        "with encryption",
        "with strong encryption",
    );
    origin.commit("two");
    origin.git(&["checkout", "-q", "main"]);
    let url = format!("file://{}", origin.path().display());
    let clone_at = origin.tmp.path().join("clone");
    git_in(
        origin.tmp.path(),
        &origin.home(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            "--branch",
            "feature",
            &url,
            "clone",
        ],
    );

    let run = origin.handover_in(&clone_at, &["check", "--base", "HEAD~1"], &[]);
    run.code(2)
        .stderr_has("`HEAD~1` is not in this shallow clone")
        .stderr_has("git fetch --deepen")
        .stderr_has("fetch-depth: 0");
    // Without --base the merge base with origin/main is missing too: an error, never a
    // silent comparison with HEAD.
    let run = origin.handover_in(&clone_at, &["check"], &[]);
    run.code(2)
        .stderr_has("shallow clone and the merge base of HEAD with origin/main is not in it")
        .stderr_has("fetch-depth: 0");
    // HEAD itself is there.
    origin
        .handover_in(&clone_at, &["check", "--base", "HEAD"], &[])
        .code(0);
}

#[test]
fn not_a_git_repository_is_exit_2() {
    let repo = Repo::empty();
    let plain = repo.tmp.path().join("plain");
    std::fs::create_dir_all(plain.join("policies")).unwrap();
    std::fs::write(plain.join("policies/privacy.md"), POLICY).unwrap();
    repo.handover_in(&plain, &["check"], &[])
        .code(2)
        .stderr_has("not inside a git working tree")
        .stderr_has("run `handover check` in a clone");
}

#[test]
fn no_commits_yet_is_exit_2() {
    let repo = Repo::empty();
    repo.write("policies/privacy.md", POLICY);
    repo.handover(&["check"])
        .code(2)
        .stderr_has("no commits yet");
}

#[test]
fn no_policy_files_is_exit_2() {
    let repo = Repo::with(&[("README.md", "# Project\n")]);
    repo.handover(&["check"])
        .code(2)
        .stderr_has("policies: no policy files here");
}

#[test]
fn acknowledge_needs_by_and_reason() {
    let repo = Repo::with(&[
        ("policies/privacy.md", POLICY),
        ("policies/terms.md", TERMS),
    ]);
    repo.remove("policies/terms.md");
    repo.handover(&["check", "--acknowledge", "--by", "Jane"])
        .code(2)
        .stderr_has("--reason");
    repo.handover(&["check", "--acknowledge", "--by", "Jane", "--reason", "  "])
        .code(2)
        .stderr_has("--acknowledge needs a non-empty --reason");
    repo.handover(&["check", "--by", "Jane"])
        .code(2)
        .stderr_has("--acknowledge");
    assert!(!repo.path().join("policies/acknowledged.yaml").exists());
}

#[test]
fn broken_acknowledgements_file_is_exit_2_with_its_location() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.write(
        "policies/acknowledged.yaml",
        "acknowledged:\n- id: abc\n  file: policies/privacy.md\n  by: Jane\n  reson: typo\n",
    );
    repo.handover(&["check"])
        .code(2)
        .stderr_has("handover: error: policies/acknowledged.yaml:")
        .stderr_has("reson");
}

#[test]
fn paths_are_relative_to_where_the_user_stands() {
    let repo = Repo::with(&[
        ("docs/privacy.txt", POLICY),
        ("policies/privacy.md", POLICY),
    ]);
    repo.edit("docs/privacy.txt", "Thank you", "Thanks");
    let run = repo.handover_in(
        &repo.path().join("docs"),
        &["check", "--format", "json", "privacy.txt"],
        &[],
    );
    run.code(0);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["counts"]["files"], 1);
    assert_eq!(report["files"][0]["path"], "docs/privacy.txt");
    assert_eq!(report["files"][0]["status"], "modified");
    repo.handover(&["check", "--base", "HEAD", "../outside.md"])
        .code(2)
        .stderr_has("outside the repository");
}

/// `--now` fixes the time recorded with an acknowledgement, as for every command; a time that
/// is not RFC 3339 is exit 2 with an example, and nothing is written.
#[test]
fn acknowledge_records_the_time_given_by_now() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.edit(
        "policies/privacy.md",
        "We do not sell personal information.",
        SOLD,
    );
    repo.handover(&[
        "check",
        "--acknowledge",
        "--by",
        "Jane",
        "--reason",
        "ok",
        "--now",
        "soon",
    ])
    .code(2)
    .stderr_has("`soon` is not an RFC 3339 time")
    .stderr_has("2026-12-01T09:00:00Z");
    assert!(!repo.path().join("policies/acknowledged.yaml").exists());
    repo.handover(&[
        "check",
        "--acknowledge",
        "--by",
        "Jane",
        "--reason",
        "ok",
        "--now",
        "2027-02-03T04:05:06Z",
    ])
    .code(0);
    let text = std::fs::read_to_string(repo.path().join("policies/acknowledged.yaml")).unwrap();
    assert!(text.contains("at: 2027-02-03T04:05:06Z"), "{text}");
}

// --- Issue 10: a changed sentence no practice change explains blocks until acknowledged,
// and the acknowledgement records whether the reviewer found it material.

#[test]
fn review_change_blocks_until_acknowledged_with_a_judgement() {
    let repo = Repo::with(&[("policies/privacy.md", POLICY)]);
    repo.edit(
        "policies/privacy.md",
        "We do not sell personal information.",
        "We do not sell personal information.\n\n\
         When you follow a site, we show your email address to its owner.",
    );
    let report = repo.check_json(&[], 1);
    let found = findings(&report, "policies/privacy.md");
    assert_eq!(found.len(), 1, "{report:#}");
    let review = without_id(&found[0]);
    assert_eq!(
        review,
        json!({"category": "sharing", "kind": "added", "material": true, "review": true,
            "summary": "sentence added, to review (also collection): \u{201c}When you follow a site, we show your email address to its owner.\u{201d}",
            "data_types": ["contact.email"], "line": 9, "old": [],
            "new": [{"line": 9, "text": "When you follow a site, we show your email address to its owner."}],
            "acknowledged": null})
    );
    // Acknowledging needs the reviewer's judgement.
    repo.acknowledge("Jane Doe", "read it")
        .code(2)
        .stderr_has("--material true");
    assert!(!repo.path().join("policies/acknowledged.yaml").exists());
    let run = repo.handover_in(
        &repo.path(),
        &[
            "check",
            "--acknowledge",
            "--by",
            "Jane Doe",
            "--reason",
            "a new case of sharing",
            "--material",
            "true",
        ],
        &[("HANDOVER_NOW", NOW)],
    );
    run.code(0);
    let ack = repo.read("policies/acknowledged.yaml");
    assert!(ack.contains("  material: true\n"), "{ack}");
    assert!(ack.contains("  category: sharing\n"), "{ack}");
    let report = repo.check_json(&[], 0);
    assert_eq!(report["passed"], true);
}
