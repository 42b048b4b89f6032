//! The bad-input suite (issue 9): one test per finding, each pinning the exit code and the
//! message, and checking that nothing was written or changed (every file's hash, and the
//! ledger's row counts where there is one). Then one test per rule of the output policy
//! (`src/cli/output.rs`).
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use crate::util::{sha256_of, Dir, PEOPLE};

const NOW: &str = "2026-12-01T09:00:00Z";

/// Every file under `root` (recursively) with its hash, and the ledger's row counts.
#[derive(Debug, PartialEq, Eq)]
struct State {
    files: BTreeMap<String, String>,
    ledger: Vec<(String, i64)>,
}

fn state(root: &Path) -> State {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_symlink() {
                files.insert(
                    name,
                    format!("-> {}", std::fs::read_link(&path).unwrap().display()),
                );
            } else {
                files.insert(name, sha256_of(&path));
            }
        }
    }
    let db = root.join("handover.db");
    let ledger = if db.exists() {
        ledger_rows(&db)
    } else {
        Vec::new()
    };
    State { files, ledger }
}

/// Rows per table of a ledger, read-only (so reading it changes nothing).
fn ledger_rows(db: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |row| {
                    row.get(0)
                })
                .unwrap();
            (t, n)
        })
        .collect()
}

/// Runs `handover ARGS` in `dir`, expects exit `code`, and that no file changed (hashes,
/// ledger rows). Returns standard error.
fn refused(dir: &Dir, args: &[&str], code: i32) -> String {
    let before = state(dir.path());
    let mut cmd = dir.handover(args);
    cmd.env("HANDOVER_NOW", NOW);
    let output: Output = dir.run_expect(&mut cmd, code);
    let after = state(dir.path());
    assert_eq!(
        before,
        after,
        "files changed\n{}",
        dir.describe(&cmd, &output)
    );
    String::from_utf8(output.stderr).unwrap()
}

/// A case folder like the shipped example: case file, members, template, both policies.
fn case(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.copy_from_repo("policies/japantourist-2012.md");
    dir.copy_from_repo("policies/sakura-2026.md");
    let yaml =
        std::fs::read_to_string(crate::util::repo().join("examples/acquisition/handover.yaml"))
            .unwrap()
            .replace("../../policies/", "policies/");
    dir.write("handover.yaml", yaml);
    let members =
        std::fs::read(crate::util::repo().join("examples/acquisition/members.csv")).unwrap();
    dir.write("members.csv", members);
    dir.copy_from_repo("examples/acquisition/templates/notice.txt.j2");
    std::fs::rename(
        dir.path().join("examples/acquisition/templates"),
        dir.path().join("templates"),
    )
    .unwrap();
    dir
}

/// A case that has been planned once, so it has a ledger with rows.
fn planned(name: &str) -> Dir {
    let dir = case(name);
    let mut cmd = dir.handover(["plan"]);
    cmd.env("HANDOVER_NOW", NOW);
    dir.run_expect(&mut cmd, 0);
    assert!(!ledger_rows(&dir.path().join("handover.db")).is_empty());
    dir
}

fn policies(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.write("old.md", "## Sharing\n\nWe do not sell personal data.\n");
    dir.write("new.md", "## Sharing\n\nWe may sell personal data.\n");
    dir
}

// ---- Data loss: -o onto an input ------------------------------------------------------

#[test]
fn plan_out_onto_the_members_file_is_refused() {
    let dir = planned("plan_out_onto_the_members_file_is_refused");
    let err = refused(&dir, &["plan", "--out", "members.csv"], 2);
    assert_eq!(
        err,
        "handover: error: --out members.csv: this is the members file (members.csv), which \
         this command reads; writing the output there would destroy it, so nothing was written: \
         choose another file\n"
    );
}

#[test]
fn plan_out_onto_the_ledger_or_its_companions_is_refused() {
    let dir = planned("plan_out_onto_the_ledger_or_its_companions_is_refused");
    let err = refused(&dir, &["plan", "--out", "handover.db"], 2);
    assert_eq!(
        err,
        "handover: error: --out handover.db: this is the case's ledger (handover.db), which \
         this command reads; writing the output there would destroy it, so nothing was written: \
         choose another file\n"
    );
    // Another spelling of the same file, and the write-ahead log beside it.
    let err = refused(&dir, &["plan", "--out", "./templates/../handover.db"], 2);
    assert!(err.contains("this is the case's ledger"), "{err}");
    let err = refused(&dir, &["plan", "--out", "handover.db-wal"], 2);
    assert!(
        err.contains("this is a file of the case's ledger (handover.db-wal)"),
        "{err}"
    );
}

#[test]
fn plan_out_onto_the_case_file_or_a_policy_is_refused() {
    let dir = planned("plan_out_onto_the_case_file_or_a_policy_is_refused");
    let err = refused(&dir, &["plan", "--out", "handover.yaml"], 2);
    assert!(
        err.starts_with(
            "handover: error: --out handover.yaml: this is the case file (handover.yaml)"
        ),
        "{err}"
    );
    let err = refused(&dir, &["plan", "--out", "policies/sakura-2026.md"], 2);
    assert!(err.contains("this is the acquirer's policy"), "{err}");
    let err = refused(&dir, &["plan", "--out", "templates/notice.txt.j2"], 2);
    assert!(err.contains("this is the notice template"), "{err}");
}

#[test]
fn diff_output_onto_an_input_is_refused() {
    let dir = policies("diff_output_onto_an_input_is_refused");
    let err = refused(&dir, &["diff", "old.md", "new.md", "-o", "old.md"], 2);
    assert_eq!(
        err,
        "handover: error: --output old.md: this is the old policy (old.md), which this command \
         reads; writing the output there would destroy it, so nothing was written: choose \
         another file\n"
    );
    // Through a symlink, the same file by another name.
    std::os::unix::fs::symlink("new.md", dir.path().join("link.md")).unwrap();
    let err = refused(&dir, &["diff", "old.md", "new.md", "-o", "link.md"], 2);
    assert!(err.contains("this is the new policy (new.md)"), "{err}");
    dir.copy_from_repo("policies/taxonomy.yaml");
    let err = refused(
        &dir,
        &[
            "diff",
            "old.md",
            "new.md",
            "--taxonomy",
            "policies/taxonomy.yaml",
            "-o",
            "policies/taxonomy.yaml",
        ],
        2,
    );
    assert!(err.contains("this is the taxonomy"), "{err}");
}

/// A git repository with one committed policy, changed in the working tree.
fn repository(name: &str) -> Dir {
    let dir = Dir::new(name);
    dir.write(
        "policies/privacy.md",
        "## Sharing\n\nWe do not sell personal data.\n",
    );
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "policy"]);
    dir.write(
        "policies/privacy.md",
        "## Sharing\n\nWe may sell personal data.\n",
    );
    dir
}

fn git(dir: &Dir, args: &[&str]) {
    let status = std::process::Command::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .current_dir(dir.path())
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn check_output_onto_a_policy_or_the_acknowledgements_is_refused() {
    let dir = repository("check_output_onto_a_policy_or_the_acknowledgements_is_refused");
    // `git` leaves its own files alone; compare the working files only.
    let err = refused(
        &dir,
        &["check", "--base", "HEAD", "-o", "policies/privacy.md"],
        2,
    );
    assert_eq!(
        err,
        "handover: error: --output policies/privacy.md: this is a policy file (policies/privacy.md), \
         which this command reads; writing the output there would destroy it, so nothing was \
         written: choose another file\n"
            .replace("(policies/privacy.md)", &format!("({})", dir.path().canonicalize().unwrap().join("policies/privacy.md").display()))
    );
    dir.write("policies/acknowledged.yaml", "acknowledged: []\n");
    let err = refused(
        &dir,
        &[
            "check",
            "--base",
            "HEAD",
            "-o",
            "policies/acknowledged.yaml",
        ],
        2,
    );
    assert!(err.contains("this is the acknowledgements file"), "{err}");
}

// ---- Duplicate keys, in every YAML file --------------------------------------------------

#[test]
fn duplicate_keys_in_the_case_file_are_refused() {
    let dir = planned("duplicate_keys_in_the_case_file_are_refused");
    let yaml = dir.read("handover.yaml");
    // A second mapping for `interests`: last-one-wins would silently change what is held.
    dir.write(
        "handover.yaml",
        yaml.replace(
            "    interests: interests\n",
            "    interests: interests\n    interests: health\n",
        ),
    );
    let err = refused(&dir, &["plan"], 2);
    assert_eq!(
        err,
        "handover: error: handover.yaml:29:5: the key `interests` appears twice in the same map; \
         YAML would silently keep only the last one, so remove or merge one of them\n"
    );
    dir.write(
        "handover.yaml",
        yaml.replace(
            "flags: {do_not_sell: do_not_sell, unsubscribed: newsletter_unsubscribed}",
            "flags: {do_not_sell: do_not_sell, do_not_sell: newsletter_unsubscribed}",
        ),
    );
    let err = refused(&dir, &["status"], 2);
    assert!(
        err.starts_with(
            "handover: error: handover.yaml:32:37: the key `do_not_sell` appears twice"
        ),
        "{err}"
    );
}

#[test]
fn duplicate_ids_in_a_taxonomy_are_refused() {
    let dir = policies("duplicate_ids_in_a_taxonomy_are_refused");
    let taxonomy =
        std::fs::read_to_string(crate::util::repo().join("policies/taxonomy.yaml")).unwrap();
    let at = taxonomy
        .find("\n  contact.email:")
        .expect("contact.email in the taxonomy");
    let entry_end = taxonomy[at + 1..]
        .find("\n  contact.")
        .map(|e| at + 1 + e)
        .unwrap();
    let duplicated = format!("{}{}", &taxonomy[..entry_end], &taxonomy[at..]);
    dir.write("taxonomy.yaml", &duplicated);
    let line = duplicated[..entry_end].lines().count() + 1;
    let err = refused(
        &dir,
        &["diff", "old.md", "new.md", "--taxonomy", "taxonomy.yaml"],
        2,
    );
    assert_eq!(
        err,
        format!(
            "handover: error: taxonomy.yaml:{line}:3: the key `contact.email` appears twice in \
             the same map; YAML would silently keep only the last one, so remove or merge one \
             of them\n"
        )
    );
}

#[test]
fn duplicate_keys_in_a_rule_pack_file_are_refused() {
    let dir = case("duplicate_keys_in_a_rule_pack_file_are_refused");
    let pack =
        std::fs::read_to_string(crate::util::repo().join("policies/rules/metropolis-promise.yaml"))
            .unwrap();
    let first = pack
        .lines()
        .position(|l| l.starts_with("notice_period_days:"))
        .unwrap();
    let text = format!("{pack}notice_period_days: 1\n");
    dir.write("promise.yaml", &text);
    let yaml = dir
        .read("handover.yaml")
        .replace("rules: [metropolis-promise, appi]", "rules: [promise.yaml]");
    dir.write("handover.yaml", yaml);
    let err = refused(&dir, &["plan"], 2);
    let line = text.lines().count();
    assert_eq!(
        err,
        format!(
            "handover: error: promise.yaml:{line}:1: the key `notice_period_days` appears twice \
             in the same map; YAML would silently keep only the last one, so remove or merge one \
             of them\n"
        ),
        "first at line {}",
        first + 1
    );
}

#[test]
fn duplicate_keys_in_the_acknowledgements_are_refused() {
    let dir = repository("duplicate_keys_in_the_acknowledgements_are_refused");
    dir.write(
        "policies/acknowledged.yaml",
        "acknowledged:\n- id: 0123456789abcdef\n  file: policies/privacy.md\n  by: A\n  by: B\n  reason: ok\n",
    );
    let err = refused(&dir, &["check", "--base", "HEAD"], 2);
    assert_eq!(
        err,
        "handover: error: policies/acknowledged.yaml:5:3: the key `by` appears twice in the same \
         map; YAML would silently keep only the last one, so remove or merge one of them\n"
    );
}

// ---- Encodings and empty input -----------------------------------------------------------

#[test]
fn an_empty_or_blank_policy_is_refused_not_material() {
    let dir = policies("an_empty_or_blank_policy_is_refused_not_material");
    dir.write("empty.md", "");
    dir.write("blank.md", " \n\n\t\n");
    let err = refused(&dir, &["diff", "old.md", "empty.md"], 2);
    assert_eq!(
        err,
        "handover: error: empty.md: the file is empty; a policy needs its text: check that you \
         exported or copied the right file\n"
    );
    let err = refused(&dir, &["diff", "old.md", "blank.md"], 2);
    assert_eq!(
        err,
        "handover: error: blank.md: the file holds only whitespace; a policy needs its text: \
         check that you exported or copied the right file\n"
    );
}

#[test]
fn an_emptied_policy_in_the_working_tree_fails_check() {
    let dir = repository("an_emptied_policy_in_the_working_tree_fails_check");
    dir.write("policies/privacy.md", "\n\n");
    let err = refused(&dir, &["check", "--base", "HEAD"], 2);
    assert_eq!(
        err,
        "handover: error: policies/privacy.md: the file holds only whitespace; a policy needs \
         its text: check that you exported or copied the right file\n"
    );
}

#[test]
fn an_empty_acquirer_policy_stops_the_plan() {
    let dir = planned("an_empty_acquirer_policy_stops_the_plan");
    dir.write("policies/sakura-2026.md", "\n");
    let err = refused(&dir, &["plan", "--replan", "--out", "decisions.csv"], 2);
    assert!(
        err.starts_with(
            "handover: error: policies/sakura-2026.md: the file holds only whitespace;"
        ),
        "{err}"
    );
}

#[test]
fn a_latin1_taxonomy_is_named_as_latin1() {
    let dir = policies("a_latin1_taxonomy_is_named_as_latin1");
    let mut bytes = std::fs::read(crate::util::repo().join("policies/taxonomy.yaml")).unwrap();
    bytes.extend_from_slice(b"# r\xe9sum\xe9\n");
    let line = bytes.iter().filter(|&&b| b == b'\n').count();
    dir.write("taxonomy.yaml", &bytes);
    let err = refused(
        &dir,
        &["diff", "old.md", "new.md", "--taxonomy", "taxonomy.yaml"],
        2,
    );
    assert!(
        err.starts_with(&format!(
            "handover: error: taxonomy.yaml:{line}:4: byte 0xE9 at line {line}, column 4"
        )),
        "{err}"
    );
    assert!(
        err.ends_with(
            "the file looks like Latin-1 / Windows-1252; save it as UTF-8 (e.g. `iconv -f \
             WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`); a taxonomy must be UTF-8 YAML\n"
        ),
        "{err}"
    );
    assert!(!err.contains("check the path"), "{err}");
}

#[test]
fn a_latin1_acknowledgements_file_is_named_as_latin1() {
    let dir = repository("a_latin1_acknowledgements_file_is_named_as_latin1");
    dir.write(
        "policies/acknowledged.yaml",
        b"acknowledged:\n- id: 0123456789abcdef\n  file: policies/privacy.md\n  by: Ren\xe9\n  reason: ok\n".as_slice(),
    );
    let err = refused(&dir, &["check", "--base", "HEAD"], 2);
    assert_eq!(
        err,
        "handover: error: policies/acknowledged.yaml:4:10: byte 0xE9 at line 4, column 10 (byte \
         offset 74) is not UTF-8; the file looks like Latin-1 / Windows-1252; save it as UTF-8 \
         (e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`); the acknowledgements file \
         must be UTF-8 YAML\n"
    );
}

#[test]
fn a_utf16_case_file_is_named_and_a_bom_is_accepted() {
    let dir = planned("a_utf16_case_file_is_named_and_a_bom_is_accepted");
    let yaml = dir.read("handover.yaml");
    let utf16: Vec<u8> = [0xfeff_u16]
        .into_iter()
        .chain(yaml.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    dir.write("handover.yaml", &utf16);
    let err = refused(&dir, &["status"], 2);
    assert_eq!(
        err,
        "handover: error: handover.yaml: the file is UTF-16 (little-endian), not UTF-8; save it \
         as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or `iconv -f UTF-16 -t UTF-8`); the case \
         file must be UTF-8 YAML\n"
    );
    // A UTF-8 byte-order mark is fine, but the case file's hash is pinned: plan again.
    dir.write("handover.yaml", format!("\u{feff}{yaml}"));
    let mut cmd = dir.handover(["status"]);
    cmd.env("HANDOVER_NOW", NOW);
    dir.run_expect(&mut cmd, 0);
}

#[test]
fn long_values_are_cut_in_messages() {
    let dir = planned("long_values_are_cut_in_messages");
    let value = "x".repeat(50_000);
    let yaml = dir.read("handover.yaml");
    dir.write(
        "handover.yaml",
        yaml.replace("deal: merger", &format!("deal: {value}")),
    );
    let err = refused(&dir, &["status"], 2);
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    assert!(
        err.starts_with(&format!(
            "handover: error: handover.yaml:4:7: deal: unknown variant `{}…`",
            "x".repeat(60)
        )),
        "{err}"
    );
}

// ---- Acknowledgements must describe what they approve -------------------------------------

#[test]
fn an_acknowledgement_that_misdescribes_its_change_is_refused() {
    let dir = repository("an_acknowledgement_that_misdescribes_its_change_is_refused");
    let mut cmd = dir.handover([
        "check",
        "--base",
        "HEAD",
        "--acknowledge",
        "--by",
        "Legal",
        "--reason",
        "LEGAL-1",
    ]);
    cmd.env("HANDOVER_NOW", NOW);
    dir.run_expect(&mut cmd, 0);
    let text = dir.read("policies/acknowledged.yaml");
    assert!(text.contains("category: sharing"), "{text}");
    let summary_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("summary:"))
        .unwrap()
        .to_string();
    // The summary as YAML reads it (quoted when it holds a colon).
    let summary = summary_line
        .trim_start()
        .trim_start_matches("summary:")
        .trim()
        .trim_matches('\'')
        .to_string();
    let id_line = text.lines().position(|l| l.contains("- id:")).unwrap() + 1;

    // An entry that reads harmless cannot approve a sale.
    dir.write(
        "policies/acknowledged.yaml",
        text.replace(&summary_line, "  summary: will let people unsubscribe"),
    );
    let err = refused(&dir, &["check", "--base", "HEAD"], 2);
    let id = text
        .lines()
        .find(|l| l.contains("- id:"))
        .unwrap()
        .trim_start_matches("- id:")
        .trim()
        .to_string();
    assert_eq!(
        err,
        format!(
            "handover: error: policies/acknowledged.yaml:{id_line}: the acknowledgement of {id} in \
             policies/privacy.md has summary `will let people unsubscribe`, but the change with \
             that fingerprint has summary `{summary}`; an entry must describe the change it \
             approves: delete this entry and re-acknowledge after review (`handover check \
             --acknowledge --by NAME --reason TEXT`)\n"
        )
    );
    dir.write(
        "policies/acknowledged.yaml",
        text.replace("category: sharing", "category: choices"),
    );
    let err = refused(&dir, &["check", "--base", "HEAD"], 2);
    assert!(
        err.contains(
            "has category `choices`, but the change with that fingerprint has category `sharing`"
        ),
        "{err}"
    );
    // Re-wrapping the summary is not a different summary.
    let folded = format!("'{}'", summary.replacen(' ', "\n    ", 1));
    dir.write(
        "policies/acknowledged.yaml",
        text.replace(&summary_line, &format!("  summary: {folded}")),
    );
    let mut cmd = dir.handover(["check", "--base", "HEAD"]);
    dir.run_expect(&mut cmd, 0);
}

// ---- The output policy ------------------------------------------------------------------

#[test]
fn output_dash_is_standard_output() {
    let dir = policies("output_dash_is_standard_output");
    let out = dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-o", "-", "-f", "json"]));
    assert!(out.starts_with("{"), "{out}");
    assert!(!dir.path().join("-").exists());

    let dir = case("output_dash_is_standard_output_plan");
    let mut cmd = dir.handover(["plan", "--out", "-"]);
    cmd.env("HANDOVER_NOW", NOW);
    let output = dir.run_expect(&mut cmd, 0);
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(
        csv.starts_with("member_id,decision,channel,reason,rules,changes"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 301);
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(
        summary.starts_with("handover plan: Sakura Travel acquires Metropolis"),
        "{summary}"
    );
    assert!(!dir.path().join("-").exists());
}

#[cfg(unix)]
#[test]
fn an_existing_output_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = policies("an_existing_output_keeps_its_mode");
    let report = dir.write("report.txt", "old report\n");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-o", "report.txt"]));
    let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(dir
        .read("report.txt")
        .starts_with("handover diff old.md -> new.md"));
}

#[cfg(unix)]
#[test]
fn new_outputs_get_the_umask_and_decisions_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = case("new_outputs_get_the_umask_and_decisions_are_private");
    // What the umask makes of a new file here, found the same way.
    let probe = dir.write("probe", "");
    let usual = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    let mut cmd = dir.handover([
        "diff",
        "policies/japantourist-2012.md",
        "policies/sakura-2026.md",
        "-o",
        "report.txt",
    ]);
    dir.run_expect(&mut cmd, 0);
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("report.txt"), usual);
    let mut cmd = dir.handover(["plan", "--out", "decisions.csv"]);
    cmd.env("HANDOVER_NOW", NOW);
    dir.run_expect(&mut cmd, 0);
    assert_eq!(mode("decisions.csv"), 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_through() {
    let dir = policies("a_symlinked_output_is_written_through");
    dir.write("reports/report.txt", "old\n");
    std::os::unix::fs::symlink("reports/report.txt", dir.path().join("latest.txt")).unwrap();
    dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-o", "latest.txt"]));
    let link = std::fs::symlink_metadata(dir.path().join("latest.txt")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(dir
        .read("reports/report.txt")
        .starts_with("handover diff old.md -> new.md"));
    // A dangling link: its target is created.
    std::os::unix::fs::symlink("reports/new.txt", dir.path().join("next.txt")).unwrap();
    dir.stdout(&mut dir.handover(["diff", "old.md", "new.md", "-o", "next.txt"]));
    assert!(std::fs::symlink_metadata(dir.path().join("next.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(dir.read("reports/new.txt").starts_with("handover diff"));
}

/// What a killed run leaves: a temporary file named for its target and its (now dead) pid.
#[cfg(unix)]
#[test]
fn a_killed_runs_temporary_file_is_removed_by_the_next_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = case("a_killed_runs_temporary_file_is_removed_by_the_next_run");
    // Kill a real run while it writes: a members file large enough to take a while.
    let mut members = dir.read("members.csv");
    let rows: Vec<String> = members.lines().skip(1).map(str::to_string).collect();
    for copy in 0..200 {
        for row in &rows {
            members.push_str(&row.replacen('M', &format!("C{copy:03}"), 1));
            members.push('\n');
        }
    }
    dir.write("members.csv", &members);
    let mut child = dir
        .std_cmd()
        .env("HANDOVER_NOW", NOW)
        .args(["plan", "--out", "decisions.csv"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temporaries = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".handover-decisions.csv."))
            .collect()
    };
    let started = std::time::Instant::now();
    while temporaries().is_empty() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = temporaries();
    assert_eq!(left.len(), 1, "{left:?}");
    let mode = std::fs::metadata(dir.path().join(&left[0]))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(
        mode, 0o600,
        "a temporary file of personal data must be private"
    );
    // One of a live process (this test) is left alone.
    let live = format!(".handover-decisions.csv.{}-0.tmp", std::process::id());
    dir.write(&live, "");
    let mut cmd = dir.handover(["plan", "--out", "decisions.csv"]);
    cmd.env("HANDOVER_NOW", NOW);
    dir.run_expect(&mut cmd, 0);
    assert_eq!(temporaries(), [live]);
    assert_eq!(
        dir.read("decisions.csv").lines().count(),
        rows.len() * 201 + 1
    );
}

#[test]
fn an_output_folder_is_refused() {
    let dir = policies("an_output_folder_is_refused");
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let err = refused(&dir, &["diff", "old.md", "new.md", "-o", "reports"], 2);
    assert_eq!(
        err,
        "handover: error: --output reports: this is a folder; name a file to write\n"
    );
}

// ---- Personal data never reaches standard error -------------------------------------------

/// The scan every run goes through (`util::scan_stderr`) finds the fixtures' people.
#[test]
fn the_stderr_scan_knows_the_fixtures_people() {
    use crate::util::personal_found;
    assert_eq!(
        personal_found("row 3: Sota Yamamoto"),
        Some("sota yamamoto")
    );
    assert!(personal_found("bad address SOTA.YAMAMOTO1@EXAMPLE.CO.UK").is_some());
    assert!(personal_found("row 2 (M1): Taro Sato").is_some());
    assert!(personal_found(&format!("x {}", PEOPLE[0].1)).is_some());
    assert_eq!(
        personal_found("row 3 (M00000002): email is not valid"),
        None
    );
}

/// Bad members files of every kind this suite knows, with real people in them: whatever
/// the reader says, it names rows and member ids, not people (the scan runs on each).
#[test]
fn members_file_errors_name_no_one() {
    let dir = case("members_file_errors_name_no_one");
    let header = "member_id,name,email,status,birth_date,gender,zip,occupation,interests,dietary_requirements,do_not_sell,newsletter_unsubscribed,joined\n";
    let (name, email) = PEOPLE[0];
    let row = format!("M1,{name},{email},active,1980-01-01,,,,,,no,no,2020-01-01\n");
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("no header", row.clone().into_bytes()),
        (
            "unclosed quote",
            format!("{header}M1,\"{name},{email},active\n{row}").into_bytes(),
        ),
        (
            "bad date",
            format!("{header}{}", row.replace("1980-01-01", "1980-13-01")).into_bytes(),
        ),
        (
            "latin-1",
            [header.as_bytes(), b"M1,Ren\xe9 ", &row.as_bytes()[3..]].concat(),
        ),
        (
            "field count",
            format!("{header}M1,{name},{email}\n").into_bytes(),
        ),
    ];
    for (what, bytes) in bad {
        dir.write("members.csv", &bytes);
        let mut cmd = dir.handover(["plan"]);
        cmd.env("HANDOVER_NOW", NOW);
        let output = cmd.output().unwrap();
        // Whether each is refused is the members reader's own test; here only what it says.
        crate::util::scan_stderr(
            &output.stderr,
            &format!("members file with {what}\n{}", dir.describe(&cmd, &output)),
        );
    }
}
