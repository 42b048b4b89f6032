//! `handover init`, `plan` and `status` end to end: every decision path, every rule pack, bad
//! members files, case-file mistakes, idempotence, and the refusal after a policy edit.
//!
//! Self-contained: each test gets its own case folder ([`Case`]) and runs the binary with a
//! clean environment and a fixed clock.
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

const NOW: &str = "2026-12-01T09:00:00Z";

/// A case folder with the shipped policies and a members file.
struct Case {
    dir: tempfile::TempDir,
}

const MEMBERS: &str = "\
member_id,name,email,status,birth_date,zip,interests,diet,do_not_sell,unsub
M1,Taro Sato,taro@example.jp,active,1980-04-01,100-0001,temples,,no,no
M2,Hanako Ito,,active,1975-01-01,,,,no,yes
M3,Ken Kato,\"Ken <ken@example.jp>\",active,1990-02-02,,,,no,no
M4,Yui Mori,yui@example.jp,closed,1999-03-03,,,,no,no
M5,Aoi Ueda,aoi@example.jp,deleted,,,,,no,no
M6,Sora Abe,sora@example.jp,suspended,,,,,no,no
M7,Mei Ono,mei@example.jp,active,2015-06-01,,,,no,no
M8,Ren Sato,TARO@Example.JP,active,1981-05-05,,,vegetarian,yes,no
";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn case_yaml(rules: &str) -> String {
    format!(
        "case: Test acquisition
deal: merger
policies:
  current: current.md
  acquirer: acquirer.md
rules: [{rules}]
members:
  path: members.csv
  id: member_id
  email: email
  status: {{column: status, transfer: [active], exclude: [closed, deleted]}}
  birth_date: birth_date
  data_types:
    name: contact.name
    email: contact.email
    birth_date: demographics.birth_date
    zip: contact.postal_code
    interests: interests
    diet: health
  always_held: [technical.ip_address]
  export_columns: [member_id, name, email, zip, interests, diet, do_not_sell, unsub]
  flags: {{do_not_sell: do_not_sell, unsubscribed: unsub}}
ledger: handover.db
"
    )
}

impl Case {
    fn new(rules: &str) -> Case {
        let case = Case {
            dir: tempfile::tempdir().unwrap(),
        };
        case.copy("policies/japantourist-2012.md", "current.md");
        case.copy("policies/sakura-2026.md", "acquirer.md");
        case.write("members.csv", MEMBERS);
        case.write("handover.yaml", &case_yaml(rules));
        case
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn copy(&self, from: &str, to: &str) {
        std::fs::copy(repo(from), self.path(to)).unwrap();
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::cargo_bin("handover")
            .unwrap()
            .env_clear()
            .env("HANDOVER_NOW", NOW)
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs and checks the exit code, showing everything on failure.
    fn run(&self, args: &[&str], code: i32) -> (String, String) {
        let out = self.cmd(args);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert_eq!(
            out.status.code(),
            Some(code),
            "handover {args:?} in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            self.dir.path().display()
        );
        (stdout, stderr)
    }

    /// `plan --out decisions.csv`, returning the CSV.
    fn plan(&self) -> String {
        self.run(&["plan", "--out", "decisions.csv"], 0);
        self.read("decisions.csv")
    }

    fn count(&self, table: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.path("handover.db")).unwrap();
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn counts(&self) -> Vec<i64> {
        ["case_pin", "decisions", "members", "reviews", "evidence"]
            .iter()
            .map(|t| self.count(t))
            .collect()
    }
}

/// The row of one member in a decisions CSV.
fn row<'a>(csv: &'a str, member: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(&format!("{member},")))
        .unwrap_or_else(|| panic!("{member} not in\n{csv}"))
}

/// Model training, profiling, storage abroad, and the review change of the reworded
/// purpose sentence ("Sakura Travel collects personal information when you register ..."):
/// a purpose rule matches it, since `plan` treats a review change as material.
const PURPOSES_ABROAD: &str = "76701eb16367fef2;6cd2fe69c819a938;aa2bf1ae3cdd2cf9;61e0f8d4cb0d7172";

#[test]
fn metropolis_promise_notifies_everyone_transferred() {
    let case = Case::new("metropolis-promise");
    assert_eq!(
        case.plan(),
        "member_id,decision,channel,reason,rules,changes
M1,notify,email,practice-change,metropolis-promise.notice,
M2,notify,site-notice,practice-change,metropolis-promise.notice;metropolis-promise.carry-unsubscribed,
M3,notify,site-notice,practice-change,metropolis-promise.notice,
M4,exclude,,status:closed,handover.status,
M5,exclude,,status:deleted,handover.status,
M6,exclude,,status-not-transferred,handover.status,
M7,notify,email,practice-change,metropolis-promise.notice,
M8,notify,email,practice-change,metropolis-promise.notice,
"
    );
}

#[test]
fn plan_prints_a_summary_with_flagged_rows() {
    let case = Case::new("metropolis-promise, appi");
    let (stdout, _) = case.run(&["plan"], 0);
    assert_eq!(
        stdout,
        "handover plan: Test acquisition
planned at 2026-12-01T09:00:00Z; rule packs: metropolis-promise, appi (notice period 30 days)
policies: 24 practice changes, 20 material
members: 8

Decisions
  exclude          3
                   1  status-not-transferred
                   1  status:closed
                   1  status:deleted
  transfer         0
  notify           0
  consent          5
                   4  new-purpose+cross-border (email 2, site-notice 2)
                   1  new-purpose+cross-border+minor (email 1)

Flagged for review (2)
  row 4 (M3): email is not valid (display names are not allowed); site notice instead
  row 9 (M8): same email as row 2 (M1): probably the same person; decided separately, not merged

"
    );
}

#[test]
fn appi_asks_consent_for_new_purposes_abroad_and_minors() {
    let case = Case::new("appi");
    let csv = case.plan();
    assert_eq!(
        row(&csv, "M1"),
        format!("M1,consent,email,new-purpose+cross-border,appi.purpose-consent;appi.cross-border-consent,{PURPOSES_ABROAD}")
    );
    assert_eq!(
        row(&csv, "M7"),
        format!("M7,consent,email,new-purpose+cross-border+minor,appi.purpose-consent;appi.cross-border-consent;appi.minors,{PURPOSES_ABROAD}")
    );
}

#[test]
fn appi_share_purchase_needs_consent_even_with_identical_policies() {
    let case = Case::new("appi");
    case.copy("policies/japantourist-2012.md", "acquirer.md");
    case.write(
        "handover.yaml",
        &case_yaml("appi").replace("deal: merger", "deal: share-purchase"),
    );
    let csv = case.plan();
    assert_eq!(
        row(&csv, "M1"),
        "M1,consent,email,third-party-provision,appi.third-party-provision,"
    );
}

#[test]
fn identical_policies_transfer_without_notice() {
    let case = Case::new("metropolis-promise, appi, ccpa, ftc");
    case.copy("policies/japantourist-2012.md", "acquirer.md");
    let csv = case.plan();
    assert_eq!(row(&csv, "M1"), "M1,transfer,,no-practice-change,,");
    assert_eq!(
        row(&csv, "M8"),
        "M8,transfer,,no-practice-change,ccpa.carry-do-not-sell,"
    );
    let (stdout, _) = case.run(&["status", "--format", "json"], 0);
    assert_eq!(
        stdout,
        r#"{"schema":"handover.status/v1","members":8,"ready":true,"decisions":{"exclude":3,"transfer":5,"notify":0,"consent":0},"states":{"pending":0,"sent":0,"delivered":0,"bounced":0,"site-notice":0,"uncertain":0,"consented":0,"excluded":3,"ready":5},"earliest_export":"2026-12-01T09:00:00Z","blockers":[]}
"#
    );
}

#[test]
fn gdpr_notifies_every_transfer_and_asks_consent_for_health_data_and_children() {
    let case = Case::new("gdpr");
    let csv = case.plan();
    assert_eq!(
        row(&csv, "M1"),
        "M1,notify,email,practice-change+transfer,metropolis-promise.notice;gdpr.notice,"
    );
    assert_eq!(row(&csv, "M7"), "M7,consent,email,minor,gdpr.minors,");
    assert_eq!(
        row(&csv, "M8"),
        "M8,consent,email,special-category,gdpr.special-category-consent,"
    );
}

#[test]
fn ccpa_notifies_affected_members_and_carries_do_not_sell() {
    let case = Case::new("ccpa");
    let csv = case.plan();
    let m1 = row(&csv, "M1");
    assert!(
        m1.starts_with("M1,notify,email,practice-change+material-change,metropolis-promise.notice;ccpa.notice,"),
        "{m1}"
    );
    // M1 shares email and interests with advertisers now, but holds no newly collected type.
    assert!(m1.contains("5cd507da09113bb6"), "{m1}");
    assert!(!m1.contains("ef6f17b20c855978"), "{m1}");
    let m8 = row(&csv, "M8");
    assert!(m8.contains("ccpa.notice;ccpa.carry-do-not-sell,"), "{m8}");
    assert_eq!(
        row(&csv, "M7"),
        "M7,consent,email,minor-sale,ccpa.minor-sale-consent,5cd507da09113bb6"
    );
}

#[test]
fn ftc_asks_consent_for_material_changes_whatever_else_is_combined() {
    let case = Case::new("metropolis-promise, gdpr, ftc");
    let csv = case.plan();
    for member in ["M1", "M2", "M3", "M7", "M8"] {
        let line = row(&csv, member);
        assert!(line.contains(",consent,"), "{line}");
        assert!(line.contains("ftc.retroactive-consent"), "{line}");
    }
    let m2 = row(&csv, "M2");
    assert!(
        m2.contains(
            "ftc.retroactive-consent;metropolis-promise.carry-unsubscribed;ftc.carry-unsubscribed,"
        ),
        "{m2}"
    );
}

#[test]
fn members_from_standard_input() {
    let case = Case::new("metropolis-promise");
    case.write(
        "handover.yaml",
        &case_yaml("metropolis-promise").replace("path: members.csv", "path: \"-\""),
    );
    let out = Command::cargo_bin("handover")
        .unwrap()
        .env_clear()
        .env("HANDOVER_NOW", NOW)
        .current_dir(case.dir.path())
        .args(["plan", "--out", "decisions.csv"])
        .write_stdin(MEMBERS)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(case.read("decisions.csv").lines().count(), 9);
}

#[test]
fn every_bad_row_is_reported_and_nothing_is_written() {
    let case = Case::new("metropolis-promise");
    case.write(
        "members.csv",
        "member_id,name,email,status,birth_date,zip,interests,diet,do_not_sell,unsub
M1,Taro Sato,taro@example.jp,active,1980-04-01,,,,no,no
M2,Too few fields
,No Id,noid@example.jp,active,,,,,no,no
M4,No Status,ns@example.jp,,,,,,no,no
M5,Bad Date,bd@example.jp,active,1980-13-01,,,,no,no
M6,Future,fu@example.jp,active,2030-01-01,,,,no,no
M7,Bad Flag,bf@example.jp,active,,,,,maybe,no
M1,Again,again@example.jp,active,,,,,no,no
M9,\"Ok\",ok@example.jp,active,,,,,no,no
M\u{1}0,Control,cc@example.jp,active,,,,,no,no
",
    );
    let mut bytes = std::fs::read(case.path("members.csv")).unwrap();
    bytes.extend_from_slice(b"M\xff1,Latin1,l1@example.jp,active,,,,,no,no\n");
    std::fs::write(case.path("members.csv"), bytes).unwrap();
    let (_, stderr) = case.run(&["plan", "--out", "decisions.csv"], 2);
    assert_eq!(
        stderr,
        "handover: error: members.csv: 9 bad rows; fix them and run `handover plan` again (nothing was written to the ledger):
  row 3: has 2 fields, the header has 10; quote fields that contain commas
  row 4: the member id is empty; every row needs one
  row 5: member M4: the status is empty; fill it in
  row 6: member M5: the birth date is not a real date as YYYY-MM-DD
  row 7: member M6: the birth date is in the future
  row 8: member M7: `do_not_sell` must be yes or no (1/0, true/false, yes/no, y/n, x, or empty)
  row 9: member id M1 repeats row 2; member ids must be unique (merge or renumber the rows)
  row 11: the member id has control characters or is over 255 bytes
  row 12: the member id is not UTF-8 text; save the file as UTF-8
"
    );
    assert!(!case.path("decisions.csv").exists());
    assert_eq!(case.counts(), [0, 0, 0, 0, 0]);
}

#[test]
fn replanning_the_same_inputs_changes_nothing() {
    let case = Case::new("metropolis-promise, appi");
    let first = case.plan();
    let counts = case.counts();
    assert_eq!(counts, [1, 7, 8, 2, 0]);
    let (stdout, _) = case.run(&["plan", "--out", "decisions.csv"], 0);
    assert!(
        stdout.contains("Same inputs as the plan in force"),
        "{stdout}"
    );
    assert_eq!(case.read("decisions.csv"), first);
    assert_eq!(case.counts(), counts);
}

#[test]
fn a_policy_edit_is_refused_until_replan_which_keeps_evidence() {
    let case = Case::new("metropolis-promise");
    case.plan();
    let mut acquirer = case.read("acquirer.md");
    acquirer.push_str("\nWe may sell personal information to data brokers.\n");
    case.write("acquirer.md", &acquirer);
    let (_, stderr) = case.run(&["plan"], 3);
    assert_eq!(
        stderr,
        "handover: error: refused: the acquirer's policy (acquirer.md) changed since the plan of \
         2026-12-01T09:00:00Z; members may have been told about other terms. Run `handover \
         plan --replan` to plan again (evidence already recorded is kept)\n"
    );
    let (stdout, _) = case.run(&["status"], 0);
    assert!(stdout.contains("changed since plan"), "{stdout}");
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    conn.execute(
        "INSERT INTO evidence (member_id, event, at, source, detail, recorded_at)
         VALUES ('M2', 'objected', ?1, 'operator', '', ?1)",
        [NOW],
    )
    .unwrap();
    drop(conn);
    case.run(&["plan", "--replan", "--out", "decisions.csv"], 0);
    assert_eq!(
        row(&case.read("decisions.csv"), "M2"),
        "M2,exclude,,objected,handover.objected,"
    );
    assert_eq!(case.count("evidence"), 1);
    assert_eq!(case.count("case_pin"), 2);
}

#[test]
fn states_carry_over_when_the_decision_is_unchanged() {
    let case = Case::new("metropolis-promise");
    case.plan();
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    conn.execute(
        "UPDATE members SET state = 'delivered' WHERE member_id = 'M1'",
        [],
    )
    .unwrap();
    drop(conn);
    case.plan();
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    let state: String = conn
        .query_row(
            "SELECT state FROM members WHERE member_id = 'M1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(state, "delivered");
}

fn case_error(yaml: String) -> String {
    let case = Case::new("metropolis-promise");
    case.write("handover.yaml", &yaml);
    let (_, stderr) = case.run(&["plan"], 2);
    let db = case.path("handover.db");
    assert!(
        !db.exists() || case.count("case_pin") == 0,
        "nothing written"
    );
    stderr
}

#[test]
fn case_file_mistakes_name_the_line_and_a_fix() {
    let base = case_yaml("metropolis-promise");
    assert_eq!(
        case_error(base.replace("  id: member_id\n", "  id: member_id\n  idd: x\n")),
        "handover: error: handover.yaml:10:3: members: unknown field `idd`, expected one of \
         `path`, `id`, `email`, `status`, `birth_date`, `data_types`, `always_held`, \
         `export_columns`, `flags`; remove the key or correct its spelling\n"
    );
    assert_eq!(
        case_error(base.replace(
            "    zip: contact.postal_code",
            "    postcode: contact.postal_code"
        )),
        "handover: error: handover.yaml:17:5: column `postcode` is not in the header of \
         members.csv (it has: member_id, name, email, status, birth_date, zip, interests, diet, \
         do_not_sell, unsub); fix the name here or add the column to the file\n"
    );
    assert_eq!(
        case_error(base.replace("contact.postal_code", "contact.zipcode")),
        "handover: error: handover.yaml:17:10: unknown data type `contact.zipcode`; use an id of \
         policies/taxonomy.yaml (`handover diff --format json` shows the ids a policy mentions)\n"
    );
    assert_eq!(
        case_error(base.replace("rules: [metropolis-promise]", "rules: [metropolis-promise, gdrp]")),
        "handover: error: handover.yaml:6:29: unknown rule pack `gdrp`; did you mean `gdpr`? use \
         one of metropolis-promise, appi, gdpr, ccpa, ftc, or a path to a pack file ending in .yaml\n"
    );
}

#[test]
fn init_scaffolds_a_case_that_plans() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::cargo_bin("handover")
            .unwrap()
            .env_clear()
            .env("HANDOVER_NOW", NOW)
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["init", "case"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for file in [
        "handover.yaml",
        "templates/notice.txt.j2",
        "members.csv",
        "handover.db",
    ] {
        assert!(dir.path().join("case").join(file).exists(), "{file}");
    }
    assert_eq!(run(&["init", "case"]).status.code(), Some(3));
    let case = dir.path().join("case");
    std::fs::copy(
        repo("policies/japantourist-2012.md"),
        case.join("policies/current.md"),
    )
    .unwrap();
    std::fs::copy(
        repo("policies/sakura-2026.md"),
        case.join("policies/acquirer.md"),
    )
    .unwrap();
    std::fs::write(
        case.join("members.csv"),
        "member_id,name,email,status,birth_date\nA1,Ann,ann@example.com,active,1990-01-01\n",
    )
    .unwrap();
    let out = run(&["--case", "case", "plan", "--out", "case/decisions.csv"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(case.join("decisions.csv")).unwrap(),
        "member_id,decision,channel,reason,rules,changes\nA1,notify,email,practice-change,metropolis-promise.notice,\n"
    );
    let out = run(&["--case", "case", "status", "--ready"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "handover status: Our company acquired
planned at 2026-12-01T09:00:00Z (1 rows read)
members: 1; decisions: exclude 0, transfer 0, notify 1, consent 0
states: pending 1
earliest export: not known until notices are sent; the notice period is 30 days (if every notice went out now: 2026-12-31T09:00:00Z)
ready: no

Blocking (1)
  A1  pending
"
    );
}

#[test]
fn a_bad_clock_is_a_usage_error() {
    let case = Case::new("metropolis-promise");
    let (_, stderr) = case.run(&["--now", "yesterday", "status"], 2);
    assert!(
        stderr.starts_with("handover: error: --now: `yesterday` is not an RFC 3339 time"),
        "{stderr}"
    );
}

/// JSON lists every blocking member (the `handover.status/v1` contract); text lists at most 20
/// unless `--blockers` says otherwise.
#[test]
fn status_json_lists_every_blocker_and_text_a_few() {
    let case = Case::new("metropolis-promise");
    let mut members = String::from(
        "member_id,name,email,status,birth_date,zip,interests,diet,do_not_sell,unsub\n",
    );
    for i in 0..30 {
        members.push_str(&format!("B{i:02},N,b{i}@example.jp,active,,,,,,\n"));
    }
    case.write("members.csv", &members);
    case.run(&["plan"], 0);
    let (json, _) = case.run(&["status", "--format", "json"], 0);
    let status: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(status["blockers"].as_array().unwrap().len(), 30);
    assert_eq!(
        status["blockers"][0],
        serde_json::json!({"member_id": "B00", "state": "pending"})
    );
    let (capped, _) = case.run(&["status", "--format", "json", "--blockers", "5"], 0);
    let capped: serde_json::Value = serde_json::from_str(&capped).unwrap();
    assert_eq!(capped["blockers"].as_array().unwrap().len(), 5);
    let (text, _) = case.run(&["status"], 0);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  B")).count(),
        20,
        "{text}"
    );
    assert!(text.contains("... and 10 more"), "{text}");
}

/// `plan --out` through a link to /dev/null writes to the device, never replaces it (the
/// regression `diff -o /dev/null` had, in the writer both commands share).
#[cfg(unix)]
#[test]
fn plan_out_to_a_device_writes_to_the_device() {
    let case = Case::new("metropolis-promise");
    std::os::unix::fs::symlink("/dev/null", case.path("null")).unwrap();
    case.run(&["plan", "--out", "null"], 0);
    let link = std::fs::symlink_metadata(case.path("null")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by {link:?}"
    );
}
