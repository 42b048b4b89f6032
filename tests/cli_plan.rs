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

pub(crate) const MEMBERS: &str = "\
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
acquirer_country: JP
policies:
  current: current.md
  acquirer: acquirer.md
rules: [{rules}]
members:
  path: members.csv
  id: member_id
  email: email
  status: {{column: status, transfer: [active], exclude: [closed, deleted], other: exclude}}
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
        let output = Command::cargo_bin("handover")
            .unwrap()
            .env_clear()
            .env("HANDOVER_NOW", NOW)
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap();
        crate::util::scan_stderr(&output.stderr, &format!("handover {args:?}"));
        output
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

/// Sakura's new purposes (model training, profiling) and new sharing (advertisers, affiliates).
/// The last is the review change of the reworded purpose sentence ("Sakura Travel collects
/// personal information when you register ..."): `plan` treats an unread review change as
/// material, so a purpose rule holds it back too.
const NEW_USES: &str =
    "76701eb16367fef2;6cd2fe69c819a938;5cd507da09113bb6;035b17fe986194fc;61e0f8d4cb0d7172";

#[test]
fn metropolis_promise_notifies_everyone_transferred() {
    let case = Case::new("metropolis-promise");
    assert_eq!(
        case.plan(),
        "member_id,decision,channel,reason,rules,changes,opt_in
M1,notify,email,practice-change,metropolis-promise.notice,,
M2,notify,site-notice,practice-change,metropolis-promise.notice;metropolis-promise.carry-unsubscribed,,
M3,notify,email,practice-change,metropolis-promise.notice,,
M4,exclude,,status:closed,handover.status,,
M5,exclude,,status:deleted,handover.status,,
M6,exclude,,status-not-transferred,handover.status,,
M7,notify,email,practice-change,metropolis-promise.notice,,
M8,notify,email,practice-change,metropolis-promise.notice,,
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
policies: 19 practice changes, 15 material
deal: merger; acquirer country: JP; transfer basis: none
consent mode: ringfence (members move after notice; new uses wait for a yes); related purposes: none declared
members: 8

Decisions
  exclude          3
                   1  status-not-transferred
                   1  status:closed
                   1  status:deleted
  transfer         0
  notify           5
                   4  practice-change+material-change+third-party-provision+new-purpose (email 3, site-notice 1)
                   1  practice-change+material-change+third-party-provision+new-purpose+parental-consent (email 1)
  consent          0

New uses that wait for a yes (opt_in)
          5  76701eb16367fef2 may use personal information for model training
          5  6cd2fe69c819a938 may use personal information for profiling
          5  5cd507da09113bb6 may share personal information with advertisers (email address, personal interests)
          5  035b17fe986194fc may share personal information with affiliates
          5  61e0f8d4cb0d7172 reworded, to review (also collection): “Sakura Travel collects personal information when you register, book a tour or ho…”
          1  members' yes must come from a parent or guardian (minors)

Flagged for review (2)
  row 4 (M3): email had a display name; emailed to the address inside it
  row 9 (M8): same email as row 2 (M1): probably the same person; decided separately, not merged

Next: look at the rows flagged for review, then run `handover status` to see who blocks the export and when it may go ahead.
"
    );
}

#[test]
fn appi_moves_members_after_notice_and_holds_back_the_new_uses() {
    let case = Case::new("appi");
    let csv = case.plan();
    let rules = "metropolis-promise.notice;appi.notice;appi.third-party-provision-consent;appi.purpose-consent";
    assert_eq!(
        row(&csv, "M1"),
        format!("M1,notify,email,practice-change+material-change+third-party-provision+new-purpose,{rules},,{NEW_USES}")
    );
    // M7 is 11: a parent says yes (PPC Q&A 1-62).
    assert_eq!(
        row(&csv, "M7"),
        format!("M7,notify,email,practice-change+material-change+third-party-provision+new-purpose+parental-consent,{rules};appi.minors,,{NEW_USES}")
    );
    // Profiling and model training declared related: only the new sharing waits.
    case.write(
        "handover.yaml",
        &case_yaml("appi").replace(
            "acquirer_country: JP\n",
            "acquirer_country: JP\nrelated_purposes: [profiling, model-training]\n",
        ),
    );
    case.run(&["plan", "--replan", "--out", "decisions.csv"], 0);
    let csv = case.read("decisions.csv");
    assert!(
        row(&csv, "M1").ends_with(",5cd507da09113bb6;035b17fe986194fc;61e0f8d4cb0d7172"),
        "{csv}"
    );
}

#[test]
fn appi_a_us_acquirer_without_a_basis_needs_consent_for_the_move() {
    let case = Case::new("appi");
    let yaml = case_yaml("appi").replace("acquirer_country: JP", "acquirer_country: US");
    case.write("handover.yaml", &yaml);
    let csv = case.plan();
    let m1 = row(&csv, "M1");
    assert!(
        m1.starts_with("M1,consent,email,foreign-acquirer+third-party-provision+new-purpose,appi.foreign-acquirer-consent;"),
        "{m1}"
    );
    assert!(m1.ends_with(&format!(",{NEW_USES}")), "{m1}");
    // With an equivalent system (PPC Rules Art. 16) the move needs notice only.
    case.write(
        "handover.yaml",
        &yaml.replace(
            "acquirer_country: US\n",
            "acquirer_country: US\ntransfer_basis: equivalent-system\n",
        ),
    );
    case.run(&["plan", "--replan", "--out", "decisions.csv"], 0);
    assert!(row(&case.read("decisions.csv"), "M1").starts_with("M1,notify,"));
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
        "M1,consent,email,third-party-provision,appi.third-party-provision,,"
    );
}

#[test]
fn identical_policies_transfer_without_notice() {
    let case = Case::new("metropolis-promise, appi, ccpa, ftc");
    case.copy("policies/japantourist-2012.md", "acquirer.md");
    let csv = case.plan();
    assert_eq!(row(&csv, "M1"), "M1,transfer,,no-practice-change,,,");
    assert_eq!(
        row(&csv, "M8"),
        "M8,transfer,,no-practice-change,ccpa.carry-do-not-sell,,"
    );
    let (stdout, _) = case.run(&["status", "--format", "json"], 0);
    assert_eq!(
        stdout,
        r#"{"schema":"handover.status/v1","members":8,"ready":true,"decisions":{"exclude":3,"transfer":5,"notify":0,"consent":0},"states":{"pending":0,"sent":0,"delivered":0,"bounced":0,"site-notice":0,"uncertain":0,"consented":0,"excluded":3,"ready":5},"earliest_export":"2026-12-01T09:00:00Z","blockers":[]}
"#
    );
}

#[test]
fn gdpr_notifies_every_transfer_and_asks_consent_for_health_data_and_new_uses() {
    let case = Case::new("gdpr");
    let csv = case.plan();
    // New recipients, ad cookies and purposes wait for a yes (Art. 6(4), ePrivacy 5(3)).
    let uses = "76701eb16367fef2;6cd2fe69c819a938;5cd507da09113bb6;035b17fe986194fc;4f1ac049a4865f03;61e0f8d4cb0d7172";
    assert_eq!(
        row(&csv, "M1"),
        format!(
            "M1,notify,email,practice-change+transfer+new-recipient+ad-cookies+new-purpose,\
                 metropolis-promise.notice;gdpr.notice;gdpr.new-recipient-consent;\
                 gdpr.ad-cookie-consent;gdpr.purpose-consent,,{uses}"
        )
    );
    // M7 is 11: moved after notice like everyone; a parent says yes to the new uses (Art. 8).
    let m7 = row(&csv, "M7");
    assert!(m7.starts_with("M7,notify,email,"), "{m7}");
    assert!(
        m7.contains("+parental-consent,") && m7.contains(";gdpr.minors,"),
        "{m7}"
    );
    // M8's dietary requirements (health) leave in the export: the move needs a yes (Art. 9).
    let m8 = row(&csv, "M8");
    assert!(
        m8.starts_with("M8,consent,email,special-category+new-recipient+ad-cookies+new-purpose,gdpr.special-category-consent;"),
        "{m8}"
    );
}

#[test]
fn ccpa_notifies_affected_members_and_carries_do_not_sell() {
    let case = Case::new("ccpa");
    let csv = case.plan();
    let m1 = row(&csv, "M1");
    assert!(
        m1.starts_with("M1,notify,email,practice-change+material-change+unexpected-purpose,metropolis-promise.notice;ccpa.notice;ccpa.purpose-consent,"),
        "{m1}"
    );
    // M1 shares email and interests with advertisers now, but holds no newly collected type.
    assert!(m1.contains("5cd507da09113bb6"), "{m1}");
    assert!(!m1.contains("ef6f17b20c855978"), "{m1}");
    let m8 = row(&csv, "M8");
    assert!(m8.contains(";ccpa.carry-do-not-sell,"), "{m8}");
    // M7 is 11: the advertising and affiliate sharing and the ad cookies wait for a parent's
    // yes (§1798.120(c)), like the new purposes (11 CCR §7002(e)).
    let m7 = row(&csv, "M7");
    assert!(m7.starts_with("M7,notify,email,"), "{m7}");
    assert!(
        m7.contains("ccpa.minor-sale-consent;ccpa.purpose-consent;ccpa.minors,"),
        "{m7}"
    );
    assert!(
        m7.ends_with(",76701eb16367fef2;6cd2fe69c819a938;5cd507da09113bb6;035b17fe986194fc;4f1ac049a4865f03;61e0f8d4cb0d7172"),
        "{m7}"
    );
}

#[test]
fn ftc_holds_back_every_material_change_whatever_else_is_combined() {
    let case = Case::new("metropolis-promise, gdpr, ftc");
    let csv = case.plan();
    for member in ["M1", "M2", "M3", "M7"] {
        let line = row(&csv, member);
        assert!(line.contains(",notify,"), "{line}");
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
    crate::util::scan_stderr(&out.stderr, "handover plan (members on standard input)");
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
    // One character split across two fields: the row is UTF-8 as a whole, the fields are not.
    bytes.extend_from_slice(b"M13,Split\xe3\x81,\x82s@example.jp,active,,,,,no,no\n");
    std::fs::write(case.path("members.csv"), bytes).unwrap();
    let (_, stderr) = case.run(&["plan", "--out", "decisions.csv"], 2);
    assert_eq!(
        stderr,
        "handover: error: members.csv: 10 bad rows; fix them and run `handover plan` again (nothing was written to the ledger):
  row 3: has 2 fields, the header has 10; quote fields that contain commas
  row 4: the member id is empty; every row needs one
  row 5: member M4: the status is empty; fill it in
  row 6: member M5: the birth date is not a real date as YYYY-MM-DD
  row 7: member M6: the birth date is in the future
  row 8: member M7: `do_not_sell` must be yes or no (1/0, true/false, yes/no, y/n, x, or empty)
  row 9: member id M1 repeats row 2; member ids must be unique (merge or renumber the rows)
  row 11: the member id has control characters or is over 255 bytes
  row 12: byte 0xFF in column `member_id` is not UTF-8; the file looks like Latin-1 / Windows-1252; save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)
  row 13: byte 0x82 in column `email` is not UTF-8; the file looks like Latin-1 / Windows-1252; save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)
"
    );
    assert!(!case.path("decisions.csv").exists());
    assert!(
        !case.path("handover.db").exists(),
        "a rejected first plan leaves no ledger behind"
    );
}

#[test]
fn replanning_the_same_inputs_changes_nothing() {
    let case = Case::new("metropolis-promise, appi");
    let first = case.plan();
    let counts = case.counts();
    assert_eq!(counts, [1, 6, 8, 2, 0]);
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
        "M2,exclude,,objected,handover.objected,,"
    );
    assert_eq!(case.count("evidence"), 1);
    assert_eq!(case.count("case_pin"), 2);
}

/// The documented view, one row per member: `member_id|state|state_since|told_at`.
fn view(case: &Case) -> Vec<String> {
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT member_id, state, COALESCE(state_since, ''), COALESCE(told_at, '')
             FROM member_decisions ORDER BY member_id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn assert_sound(case: &Case) {
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
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

#[test]
fn states_carry_over_five_replans_in_a_row() {
    let case = Case::new("metropolis-promise");
    case.plan();
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    // As `record` would: M1 delivered under its notify/email decision.
    conn.execute(
        "INSERT INTO member_states (member_id, decision, channel, state, since, told_at)
         VALUES ('M1', 'notify', 'email', 'delivered', ?1, ?1)",
        [NOW],
    )
    .unwrap();
    drop(conn);
    let before = view(&case);
    assert!(
        before.contains(&format!("M1|delivered|{NOW}|{NOW}")),
        "{before:?}"
    );
    for i in 0..5 {
        case.plan();
        assert_eq!(view(&case), before, "re-plan {i}");
        assert_sound(&case);
    }
    assert_eq!(
        case.count("case_pin"),
        1,
        "an unchanged re-plan adds no pin"
    );
    // A changed decision (M1 objects) drops the state reached under the old one.
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    conn.execute(
        "INSERT INTO evidence (member_id, event, at, source, detail, recorded_at)
         VALUES ('M1', 'objected', ?1, 'operator', '', ?1)",
        [NOW],
    )
    .unwrap();
    drop(conn);
    case.plan();
    let after = view(&case);
    assert!(
        after.iter().any(|r| r.starts_with("M1|excluded|")),
        "{after:?}"
    );
    assert_eq!(case.count("member_states"), 0);
    assert_sound(&case);
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
        "handover: error: handover.yaml:11:3: members: unknown field `idd`, expected one of \
         `path`, `id`, `email`, `status`, `birth_date`, `joined`, `data_types`, `always_held`, \
         `export_columns`, `flags`, `language`; remove the key or correct its spelling\n"
    );
    assert_eq!(
        case_error(base.replace(
            "    zip: contact.postal_code",
            "    postcode: contact.postal_code"
        )),
        "handover: error: handover.yaml:18:5: column `postcode` is not in the header of \
         members.csv (it has: member_id, name, email, status, birth_date, zip, interests, diet, \
         do_not_sell, unsub); fix the name here or add the column to the file\n"
    );
    assert_eq!(
        case_error(base.replace("contact.postal_code", "contact.zipcode")),
        "handover: error: handover.yaml:18:10: unknown data type `contact.zipcode`; use an id of \
         policies/taxonomy.yaml (`handover diff --format json` shows the ids a policy mentions)\n"
    );
    assert_eq!(
        case_error(base.replace("rules: [metropolis-promise]", "rules: [metropolis-promise, gdrp]")),
        "handover: error: handover.yaml:7:29: unknown rule pack `gdrp`; did you mean `gdpr`? use \
         one of metropolis-promise, appi, gdpr, ccpa, ftc, or a path to a pack file ending in .yaml\n"
    );
}

#[test]
fn init_scaffolds_a_case_that_plans() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("handover")
            .unwrap()
            .env_clear()
            .env("HANDOVER_NOW", NOW)
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        crate::util::scan_stderr(&output.stderr, &format!("handover {args:?}"));
        output
    };
    let out = run(&["init", "case"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for file in [
        "handover.yaml",
        "templates/notice.txt.j2",
        "templates/notice.ja.txt.j2",
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
    let out = run(&["plan", "--case", "case", "--out", "case/decisions.csv"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(case.join("decisions.csv")).unwrap(),
        "member_id,decision,channel,reason,rules,changes,opt_in\nA1,notify,email,practice-change,metropolis-promise.notice,,\n"
    );
    let out = run(&["status", "--case", "case", "--ready"]);
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

Next: notify the members who must be told or asked, record the delivery evidence, and run `handover status` again; `handover status --ready` exits 0 once the export may go ahead.
"
    );
}

#[test]
fn a_bad_clock_is_a_usage_error() {
    let case = Case::new("metropolis-promise");
    let (_, stderr) = case.run(&["status", "--now", "yesterday"], 2);
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

#[test]
fn a_changed_members_file_needs_replan_and_is_reported() {
    let case = Case::new("metropolis-promise");
    case.plan();
    let planned = case.count("case_pin");
    // Drop M2, change M3's row, add M9.
    let members = MEMBERS
        .replace("M2,Hanako Ito,,active,1975-01-01,,,,no,yes\n", "")
        .replace("1990-02-02", "1990-02-03")
        + "M9,New Member,m9@example.jp,active,,,,,no,no\n";
    case.write("members.csv", &members);
    let before = case.counts();
    let (_, stderr) = case.run(&["plan"], 3);
    assert_eq!(
        stderr,
        "handover: error: refused: the members file (members.csv) changed since the plan of \
         2026-12-01T09:00:00Z: 1 added (M9), 1 removed (M2), 1 changed (M3). Run `handover plan \
         --replan` to plan again with these members (evidence already recorded is kept)\n"
    );
    assert_eq!(case.counts(), before, "nothing written");
    let (stdout, _) = case.run(&["status"], 0);
    assert!(
        stdout.contains("changed since plan: members file (members.csv)"),
        "{stdout}"
    );
    let (stdout, _) = case.run(&["plan", "--replan"], 0);
    assert!(
        stdout.contains(
            "Members since the previous plan: 1 added (M9), 1 removed (M2), 1 changed (M3)."
        ),
        "{stdout}"
    );
    assert_eq!(case.count("case_pin"), planned + 1);
}

#[test]
fn an_unchanged_replan_keeps_the_plan_time() {
    let case = Case::new("metropolis-promise");
    case.plan();
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    let at = |conn: &rusqlite::Connection| -> String {
        conn.query_row("SELECT planned_at FROM case_pin", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(at(&conn), NOW);
    for now in ["2026-12-05T00:00:00Z", "2026-11-01T00:00:00Z"] {
        let out = Command::cargo_bin("handover")
            .unwrap()
            .env_clear()
            .env("HANDOVER_NOW", now)
            .current_dir(case.dir.path())
            .arg("plan")
            .output()
            .unwrap();
        crate::util::scan_stderr(&out.stderr, &format!("handover plan at {now}"));
        assert_eq!(out.status.code(), Some(0));
    }
    assert_eq!(
        at(&conn),
        NOW,
        "neither a later nor an earlier clock moves it"
    );
}

#[test]
fn status_values_in_neither_list_stop_the_plan_with_their_counts() {
    let case = Case::new("metropolis-promise");
    case.write(
        "handover.yaml",
        &case_yaml("metropolis-promise").replace(", other: exclude", ""),
    );
    let members = MEMBERS.replace(",active,", ",Active,");
    case.write("members.csv", &members);
    let (_, stderr) = case.run(&["plan"], 2);
    let active = members.matches(",Active,").count();
    assert_eq!(
        stderr,
        format!(
            "handover: error: handover.yaml:12:3: status values in neither the `transfer` nor \
             the `exclude` list (status):\n  `Active`: {active} members\n  `suspended`: 1 member\n\
             add each value to `transfer` or `exclude` (values match exactly), or add `other: \
             exclude` to exclude every other value; nothing was written\n"
        )
    );
    assert!(!case.path("handover.db").exists());
}

#[test]
fn age_rules_need_a_birth_date_column_and_members_need_rows() {
    let case = Case::new("appi");
    let yaml = case_yaml("appi").replace("  birth_date: birth_date\n", "");
    case.write("handover.yaml", &yaml);
    let (_, stderr) = case.run(&["plan"], 2);
    assert!(
        stderr.starts_with(
            "handover: error: handover.yaml: the rule pack appi decides by age (minors), but the \
             case maps no birth date;"
        ),
        "{stderr}"
    );
    let case = Case::new("metropolis-promise");
    case.write("members.csv", MEMBERS.lines().next().unwrap());
    let (_, stderr) = case.run(&["plan"], 2);
    assert_eq!(
        stderr,
        "handover: error: members.csv: the members file has a header but no member rows; \
         export the members and run `handover plan` again\n"
    );
    let (stdout, _) = case.run(&["status", "--ready"], 1);
    assert!(stdout.contains("no plan yet"), "{stdout}");
}

#[test]
fn impossible_birth_dates_are_flagged_not_asked_and_an_asset_sale_is_flagged() {
    let case = Case::new("metropolis-promise, ftc");
    case.copy("policies/japantourist-2012.md", "acquirer.md");
    case.write(
        "members.csv",
        "member_id,name,email,status,birth_date,zip,interests,diet,do_not_sell,unsub,joined
A1,Ana,Ana <ana@example.jp>,active,2015-06-01,,,,no,no,2008-04-01
A2,Ben,ben@example.jp,active,2006-02-01,,,,no,no,2009-01-15
A3,Cho,cho@example.jp,active,1980-02-01,,,,no,no,2009-01-15
",
    );
    case.write(
        "handover.yaml",
        &case_yaml("metropolis-promise, ftc")
            .replace("deal: merger", "deal: business-transfer")
            .replace(
                "  birth_date: birth_date\n",
                "  birth_date: birth_date\n  joined: joined\n",
            ),
    );
    let (stdout, _) = case.run(&["plan", "--out", "decisions.csv"], 0);
    assert!(
        stdout.contains(
            "deal outside the promise: `metropolis-promise` does not cover a business-transfer; \
             counsel must confirm the promise allows this deal (decisions follow the packs' \
             rules for it)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Flagged for review (3)
  row 2 (A1): email had a display name; emailed to the address inside it
  row 2 (A1): the birth date is after the join date; decided as if the birth date were unknown
  row 3 (A2): the birth date makes the member under 5 at joining; decided as if the birth date were unknown
"
        ),
        "{stdout}"
    );
    // A1 (11 by the birth date) is decided as an adult of unknown age: the member says yes.
    let csv = case.read("decisions.csv");
    assert_eq!(
        row(&csv, "A1"),
        "A1,consent,email,deal-outside-promise,ftc.outside-promise,,"
    );
    let conn = rusqlite::Connection::open(case.path("handover.db")).unwrap();
    let reviews: Vec<(String, String)> = conn
        .prepare("SELECT member_id, review FROM reviews ORDER BY row")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        reviews,
        [
            (
                "A1".to_string(),
                "email-reduced:display-name;implausible-age:born-after-joining".to_string()
            ),
            (
                "A2".to_string(),
                "implausible-age:under-5-at-joining".to_string()
            ),
        ]
    );
}

#[test]
fn a_utf16_or_empty_members_file_is_named_as_such() {
    let case = Case::new("metropolis-promise");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in MEMBERS.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(case.path("members.csv"), utf16).unwrap();
    let (_, stderr) = case.run(&["plan"], 2);
    assert_eq!(
        stderr,
        "handover: error: members.csv: the file is UTF-16 (little-endian), not UTF-8; save it as \
         UTF-8 (in a spreadsheet: \"CSV UTF-8\"; or `iconv -f UTF-16 -t UTF-8`); the members \
         file must be UTF-8 CSV\n"
    );
    case.write("members.csv", "");
    let (_, stderr) = case.run(&["plan"], 2);
    assert!(
        stderr.starts_with("handover: error: members.csv: the file is empty"),
        "{stderr}"
    );
    // A byte-order mark is fine.
    case.write("members.csv", &format!("\u{feff}{MEMBERS}"));
    case.run(&["plan"], 0);
}

#[test]
fn a_latin1_row_is_named_and_status_flagged_lists_every_flagged_row() {
    let case = Case::new("metropolis-promise");
    let mut bytes = MEMBERS.as_bytes().to_vec();
    bytes.extend_from_slice(b"M9,Jos\xe9 Ruiz,jose@example.jp,active,,,,,no,no\n");
    std::fs::write(case.path("members.csv"), bytes).unwrap();
    let (_, stderr) = case.run(&["plan"], 2);
    assert!(
        stderr.contains(
            "row 10: byte 0xE9 in column `name` is not UTF-8; the file looks like Latin-1 / \
             Windows-1252; save the file as UTF-8"
        ),
        "{stderr}"
    );
    case.write("members.csv", MEMBERS);
    case.plan();
    let (stdout, _) = case.run(&["status", "--flagged"], 0);
    assert!(stdout.contains("Flagged for review (2)"), "{stdout}");
    assert!(
        stdout.contains("  row 4 (M3): email-reduced:display-name"),
        "{stdout}"
    );
    assert!(stdout.contains("  row 9 (M8): same-email:2:M1"), "{stdout}");
    let (json, _) = case.run(&["status", "--flagged", "--format", "json"], 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["flagged"],
        serde_json::json!([
            {"member_id": "M3", "row": 4, "review": "email-reduced:display-name"},
            {"member_id": "M8", "row": 9, "review": "same-email:2:M1"}
        ])
    );
    let (json, _) = case.run(&["status", "--format", "json"], 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json.get("flagged").is_none(), "only with --flagged");
}
