//! The ledger as users' files: a ledger written by handover 0.1.0 opens and upgrades with
//! nothing lost, and two `plan` runs at once never both pass the gate.
use std::path::Path;

use crate::util::{repo, Dir};

/// `member_id|decision|channel|reason|rules|changes` for every member, in id order.
fn decisions(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.member_id || '|' || d.decision || '|' || d.channel || '|' || d.reason
                    || '|' || d.rules || '|' || d.changes
             FROM members m JOIN decisions d ON d.id = m.decision ORDER BY m.member_id",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn rows(db: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn assert_sound(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    assert!(
        stmt.query([]).unwrap().next().unwrap().is_none(),
        "foreign keys"
    );
}

/// The shipped example case as 0.1.0 planned it, with the ledger that release wrote
/// (tests/fixtures/ledger/v1.db: the example planned at 2026-12-01T09:00:00Z, then an
/// objection, a delivery and a sign-off added by hand, and two states edited, as a 0.1.0 user
/// could only do).
fn v1_case() -> Dir {
    let dir = Dir::new("v1-ledger");
    for file in [
        "policies/japantourist-2012.md",
        "policies/sakura-2026.md",
        "examples/acquisition/members.csv",
    ] {
        let bytes = std::fs::read(repo().join(file)).unwrap();
        dir.write(file.trim_start_matches("examples/acquisition/"), bytes);
    }
    dir.write(
        "handover.yaml",
        std::fs::read(repo().join("tests/fixtures/ledger/v1-handover.yaml")).unwrap(),
    );
    dir.write(
        "handover.db",
        std::fs::read(repo().join("tests/fixtures/ledger/v1.db")).unwrap(),
    );
    dir
}

#[test]
fn a_v1_ledger_upgrades_and_keeps_every_row() {
    let dir = v1_case();
    let db = dir.path().join("handover.db");
    // 0.2.0 stops on status values in neither list (the 0.1.0 behaviour is `other: exclude`)
    // and needs the acquirer's country for `appi`.
    let yaml = dir
        .read("handover.yaml")
        .replace(
            "exclude: [closed, deleted]}",
            "exclude: [closed, deleted], other: exclude}",
        )
        .replace("deal: merger ", "acquirer_country: JP\ndeal: merger ");
    dir.write("handover.yaml", yaml);
    let before = decisions(&db);
    let evidence_sql = "SELECT member_id || '|' || event || '|' || at || '|' || source || '|' \
                        || detail FROM evidence ORDER BY id";
    let evidence = rows(&db, evidence_sql);
    assert_eq!((before.len(), evidence.len()), (300, 2));
    // Opening it (any command) upgrades it.
    let out = dir.stdout(
        dir.handover(["status", "--format", "json"])
            .env("HANDOVER_NOW", "2026-12-04T00:00:00Z"),
    );
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["members"], 300);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0.1.0 wrote its ledger with the umask's mode (0644 here); opening tightens it.
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(decisions(&db), before, "every member keeps its decision");
    assert_eq!(
        rows(&db, evidence_sql),
        evidence,
        "every evidence row is kept"
    );
    assert_eq!(
        rows(&db, "SELECT member_id || '|' || state FROM member_decisions WHERE state NOT IN ('pending', 'excluded') ORDER BY member_id"),
        ["M00000007|delivered", "M00000008|sent"],
        "states recorded by hand in 0.1.0 are kept"
    );
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(version AS TEXT) FROM schema_migrations ORDER BY version"
        ),
        ["1", "2", "3", "4"]
    );
    // Schema 2 indexed evidence by Message-ID; schema 4 does not.
    assert_eq!(
        rows(
            &db,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence' \
             ORDER BY name"
        ),
        ["evidence_dedupe", "evidence_member"]
    );
    assert_eq!(rows(&db, "SELECT by FROM signoffs"), ["Legal"]);
    assert_eq!(
        rows(
            &db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM members WHERE email_key IS NOT NULL"
        ),
        ["0"],
        "0.1.0's unkeyed address hashes are dropped"
    );
    assert_sound(&db);
    // The case file changed (and moved into the test folder), so re-planning
    // takes `--replan`; states reached under unchanged decisions are kept, keyed hashes
    // written, and the objection recorded by hand now excludes its member.
    dir.run_expect(
        dir.handover(["plan", "--replan"])
            .env("HANDOVER_NOW", "2026-12-04T00:00:00Z"),
        0,
    );
    // M00000007 keeps its state (same decision); M00000008 was `consent` under 0.1.0 and is
    // `notify` with opt-ins now (new uses are ring-fenced), so its `sent` does not carry over.
    assert_eq!(
        rows(&db, "SELECT member_id || '|' || decision || '|' || state FROM member_decisions WHERE member_id IN ('M00000007', 'M00000008') ORDER BY member_id"),
        ["M00000007|exclude|delivered", "M00000008|notify|pending"],
    );
    assert_eq!(
        rows(
            &db,
            "SELECT decision FROM member_decisions WHERE member_id = 'M00000005'"
        ),
        ["exclude"]
    );
    assert_eq!(
        rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM case_pin"),
        ["2"]
    );
    assert_ne!(
        rows(
            &db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM members WHERE email_key IS NOT NULL"
        ),
        ["0"]
    );
    assert_sound(&db);
}

/// A case with many members, so that a plan takes long enough for a second one to start.
fn big_case(dir: &Dir, members: usize) {
    for file in ["policies/japantourist-2012.md", "policies/sakura-2026.md"] {
        dir.copy_from_repo(file);
    }
    let mut csv = String::from("member_id,email,status\n");
    for i in 0..members {
        csv.push_str(&format!("M{i:07},m{i}@example.jp,active\n"));
    }
    dir.write("members.csv", csv);
    dir.write(
        "handover.yaml",
        "case: Lock test\ndeal: merger\npolicies:\n  current: policies/japantourist-2012.md\n  \
         acquirer: policies/sakura-2026.md\nrules: [metropolis-promise]\nmembers:\n  path: \
         members.csv\n  id: member_id\n  email: email\n  status: {column: status, transfer: \
         [active]}\nnotice:\n  template: notice.txt.j2\n  from: privacy@example.jp\n  \
         site_notice_url: https://example.jp/notice\n",
    );
}

#[test]
fn two_plans_at_once_never_both_pass_the_gate() {
    let dir = Dir::new("concurrent-plans");
    big_case(&dir, 300_000);
    let first = dir
        .std_cmd()
        .args(["plan"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let the first plan take the ledger, then edit a policy and start a second one that
    // waits only briefly.
    let lock = dir.path().join("handover.db.lock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !lock.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(lock.exists(), "the first plan took the ledger");
    dir.write("policies/sakura-2026.md", "We sell everything.\n");
    let second = dir
        .std_cmd()
        .args(["plan"])
        .env("HANDOVER_LOCK_TIMEOUT_MS", "100")
        .output()
        .unwrap();
    let first = first.wait_with_output().unwrap();
    crate::util::scan_stderr(&first.stderr, "the first of two plans");
    crate::util::scan_stderr(&second.stderr, "the second of two plans");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(second.status.code(), Some(3), "the second plan is refused");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.starts_with(
            "handover: error: another handover command is using this case (handover plan, pid "
        ),
        "{stderr}"
    );
    let db = dir.path().join("handover.db");
    assert_eq!(
        rows(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM case_pin"),
        ["1"]
    );
    // Once the first is done, the second's gate sees the edited policy.
    let after = dir.handover(["plan"]).output().unwrap();
    crate::util::scan_stderr(&after.stderr, "a plan after two");
    assert_eq!(after.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&after.stderr)
            .contains("the acquirer's policy (policies/sakura-2026.md) changed since the plan"),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert_sound(&db);
}

#[cfg(unix)]
#[test]
fn ledger_and_decisions_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new("modes");
    big_case(&dir, 10);
    dir.run_expect(&mut dir.handover(["plan", "--out", "decisions.csv"]), 0);
    for name in [
        "handover.db",
        "handover.db-wal",
        "handover.db-shm",
        "decisions.csv",
    ] {
        let path = dir.path().join(name);
        if (name.ends_with("-wal") || name.ends_with("-shm")) && !path.exists() {
            continue;
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}
