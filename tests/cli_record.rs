//! `handover record` end to end: every evidence format from its fixture
//! (`tests/fixtures/evidence/`, written in each provider's documented shape), with replays,
//! unknown ids and addresses, malformed files refused whole, `--strict`, the site notice, and
//! the state moves that evidence makes.
//!
//! Each test plans a real case (a real SQLite ledger) and then stands in for `handover
//! notify`, which lives on another branch: it inserts one `notices` row per member with an
//! email channel and records the `sent` event through `handover::ledger::evidence::add`, as
//! notify does. The `notices` columns filled: `notice_key` (32 hex digits: the member's
//! number), `pin` (the plan in force), `version` (= pin), `member_id`, `kind` (`notice`, or
//! `consent-request` for a consent member), `channel` (`email`), `address_key` (the ledger's
//! keyed hash of the address), `message_id` (`{notice_key}@metropolis.example`, no angle
//! brackets), `template_sha256`/`current_sha256`/`acquirer_sha256` (placeholders), `state`
//! (`sent`), `attempts` (1), `created_at` and `sent_at`.
use std::path::PathBuf;

use handover::ledger::evidence::{add, NewEvidence};
use handover::machine::Event;

use crate::util::Dir;

const PLANNED: &str = "2026-12-01T09:00:00Z";
const SENT: &str = "2026-12-01T10:00:00Z";
const NOW: &str = "2026-12-03T09:00:00Z";

const MEMBERS: &str = "\
member_id,name,email,status,birth_date
M1,Ana,ana@example.test,active,
M2,Ben,ben@example.test,active,
M3,Cy,cy@example.test,active,
M4,Dee,dee@example.test,active,
M5,Eve,eve@example.test,active,
M6,Fay,,active,
M7,Gus,gus@example.test,active,
M8,Hal,shared@example.test,active,
M9,Ivy,SHARED@example.test,active,
";

/// Members with an address, and their address.
const EMAILS: [(&str, &str); 8] = [
    ("M1", "ana@example.test"),
    ("M2", "ben@example.test"),
    ("M3", "cy@example.test"),
    ("M4", "dee@example.test"),
    ("M5", "eve@example.test"),
    ("M7", "gus@example.test"),
    ("M8", "shared@example.test"),
    ("M9", "shared@example.test"),
];

/// A planned case whose email notices went out at [`SENT`]. `rules`: `metropolis-promise`
/// makes everyone `notify`; `appi` makes everyone `consent` (the acquirer is in the US and
/// names no transfer basis, so the move itself needs a yes).
fn case(name: &str, rules: &str) -> Dir {
    let dir = planned(name, rules);
    send_notices(&dir);
    dir
}

/// A planned case before any notice went out.
fn planned(name: &str, rules: &str) -> Dir {
    let dir = Dir::new(name);
    dir.copy_from_repo("policies/japantourist-2012.md");
    dir.copy_from_repo("policies/sakura-2026.md");
    dir.write("members.csv", MEMBERS);
    dir.write(
        "handover.yaml",
        format!(
            "case: Record test\ndeal: merger\nacquirer_country: US\npolicies:\n  current: policies/japantourist-2012.md\n  \
             acquirer: policies/sakura-2026.md\nrules: [{rules}]\nmembers:\n  path: members.csv\n  \
             id: member_id\n  email: email\n  birth_date: birth_date\n  status: {{column: status, \
             transfer: [active]}}\nledger: handover.db\n"
        ),
    );
    dir.run_expect(&mut dir.handover(["plan", "--now", PLANNED]), 0);
    dir
}

fn send_notices(dir: &Dir) {
    let db = dir.path().join("handover.db");
    let key = handover::ledger::Ledger::open(&db, PLANNED)
        .unwrap()
        .hash_key();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let pin: i64 = conn
        .query_row("SELECT MAX(id) FROM case_pin", [], |r| r.get(0))
        .unwrap();
    for (member, address) in EMAILS {
        let n: u64 = member[1..].parse().unwrap();
        let notice_key = format!("{n:032x}");
        let message_id = format!("{notice_key}@metropolis.example");
        let decision: String = conn
            .query_row(
                "SELECT decision FROM member_decisions WHERE member_id = ?1",
                [member],
                |r| r.get(0),
            )
            .unwrap();
        let kind = if decision == "consent" {
            "consent-request"
        } else {
            "notice"
        };
        conn.execute(
            "INSERT INTO notices (notice_key, pin, version, member_id, kind, channel, address_key,
                 message_id, template_sha256, current_sha256, acquirer_sha256, state, attempts,
                 created_at, sent_at)
             VALUES (?1, ?2, ?2, ?3, ?4, 'email', ?5, ?6, 't', 'c', 'a', 'sent', 1, ?7, ?7)",
            rusqlite::params![
                notice_key,
                pin,
                member,
                kind,
                key.address(address),
                message_id,
                SENT
            ],
        )
        .unwrap();
        let id = conn.last_insert_rowid();
        let dedupe = format!("notice:{notice_key}:sent");
        add(
            &conn,
            &NewEvidence::produced(
                member,
                Event::Sent,
                SENT.parse().unwrap(),
                "smtp",
                "",
                &dedupe,
            )
            .of_notice(&message_id, id),
            SENT,
        )
        .unwrap();
    }
}

fn fixture(dir: &Dir, name: &str) -> PathBuf {
    let bytes = std::fs::read(
        crate::util::repo()
            .join("tests/fixtures/evidence")
            .join(name),
    )
    .expect("read fixture");
    dir.write(name, bytes)
}

fn record(dir: &Dir, args: &[&str], code: i32) -> (String, String) {
    let mut cmd = dir.handover(["record", "--now", NOW]);
    cmd.args(args);
    let out = dir.run_expect(&mut cmd, code);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Each member's recorded state, in member order (`-` when evidence never moved it).
fn states(dir: &Dir) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT member_id, state FROM member_decisions ORDER BY member_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn state_of(dir: &Dir, member: &str) -> String {
    states(dir)
        .into_iter()
        .find(|(m, _)| m == member)
        .map(|(_, s)| s)
        .unwrap()
}

/// The evidence recorded from files: (member, event, source, detail, line, changes).
fn evidence(dir: &Dir) -> Vec<(String, String, String, String, i64, String)> {
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT member_id, event, source, detail, source_line, changes FROM evidence
             WHERE source_file IS NOT NULL ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Every row of the tables `record` writes, as text: equal before and after means unchanged.
fn snapshot(dir: &Dir) -> String {
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).unwrap();
    let mut out = String::new();
    for table in ["evidence", "member_states", "site_notices", "notices"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let width = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..width {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
        out.push_str("--\n");
    }
    out
}

fn row(s: (&str, &str, &str, &str, i64, &str)) -> (String, String, String, String, i64, String) {
    (
        s.0.into(),
        s.1.into(),
        s.2.into(),
        s.3.into(),
        s.4,
        s.5.into(),
    )
}

fn line_of(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in\n{stdout}"))
        .trim()
        .to_string()
}

#[test]
fn ses_raw_and_sns_wrapped() {
    let dir = case("ses", "metropolis-promise");
    let file = fixture(&dir, "ses.jsonl");
    let (out, err) = record(&dir, &[file.to_str().unwrap()], 0);
    assert_eq!(
        line_of(&out, &format!("{} (ses)", file.display())),
        format!(
            "{} (ses): 8 read, 5 recorded, 0 refused, 1 replay, 2 unmatched, 2 ignored",
            file.display()
        )
    );
    assert!(err.contains("2 events matched no member"), "{err}");
    // Line 3 names two recipients: cy is a member, zed is not; line 9's address is shared.
    assert!(
        out.contains(":3: deferred: no notice went to this address"),
        "{out}"
    );
    assert!(
        out.contains(":9: delivered: several members share this address"),
        "{out}"
    );
    assert!(
        !out.contains("example.test"),
        "addresses never reach the summary:\n{out}"
    );
    assert_eq!(
        evidence(&dir),
        vec![
            row(("M1", "delivered", "ses", "", 1, "")),
            row(("M2", "bounced", "ses", "Permanent General 5.1.1", 2, "")),
            row((
                "M3",
                "deferred",
                "ses",
                "Transient MailboxFull 4.2.2",
                3,
                ""
            )),
            row(("M4", "complained", "ses", "abuse", 4, "")),
            row((
                "M5",
                "deferred",
                "ses",
                "TransientCommunicationFailure 4.4.1",
                8,
                ""
            )),
        ]
    );
    // Matched by the original Message-ID: the notice is linked.
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).unwrap();
    let (message_id, notice): (Option<String>, Option<i64>) = conn
        .query_row(
            "SELECT message_id, notice FROM evidence WHERE member_id = 'M1' AND event = 'delivered'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        message_id.as_deref(),
        Some("00000000000000000000000000000001@metropolis.example")
    );
    assert!(notice.is_some());
    assert_eq!(state_of(&dir, "M1"), "delivered");
    assert_eq!(state_of(&dir, "M2"), "bounced");
    assert_eq!(state_of(&dir, "M3"), "sent");

    // A replay records nothing.
    let before = snapshot(&dir);
    let (out, _) = record(&dir, &[file.to_str().unwrap()], 0);
    assert!(
        out.contains("8 read, 0 recorded, 0 refused, 6 replays, 2 unmatched, 2 ignored"),
        "{out}"
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn ses_summary_reads_well() {
    let dir = case("ses-summary", "metropolis-promise");
    fixture(&dir, "ses.jsonl");
    let (out, _) = record(&dir, &["ses.jsonl"], 0);
    insta::assert_snapshot!(out);
}

#[test]
fn sendgrid_webhook_array() {
    let dir = case("sendgrid", "metropolis-promise");
    fixture(&dir, "sendgrid.json");
    let (out, _) = record(&dir, &["sendgrid.json"], 0);
    assert!(
        out.contains("sendgrid.json (sendgrid): 8 read, 6 recorded, 0 refused, 1 replay, 1 unmatched, 2 ignored"),
        "{out}"
    );
    assert_eq!(
        evidence(&dir),
        vec![
            row(("M1", "delivered", "sendgrid", "", 2, "")),
            row(("M2", "bounced", "sendgrid", "bounce 5.1.1", 3, "")),
            row(("M3", "deferred", "sendgrid", "blocked 4.7.1", 4, "")),
            row(("M4", "bounced", "sendgrid", "dropped", 5, "")),
            row(("M5", "complained", "sendgrid", "", 6, "")),
            row(("M7", "unsubscribed", "sendgrid", "unsubscribe", 11, "")),
        ]
    );
    assert!(
        out.contains("sendgrid.json:9: delivered: no notice went"),
        "{out}"
    );
    assert!(out.contains("sendgrid open"), "{out}");
    assert!(out.contains("sendgrid processed"), "{out}");
    assert_eq!(state_of(&dir, "M4"), "bounced");
    assert_eq!(state_of(&dir, "M7"), "excluded");
    let dedupe: String = rusqlite::Connection::open(dir.path().join("handover.db"))
        .unwrap()
        .query_row(
            "SELECT dedupe_key FROM evidence WHERE member_id = 'M1' AND source = 'sendgrid'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(dedupe, "sendgrid:sg-ev-0001");
}

#[test]
fn postmark_webhooks() {
    let dir = case("postmark", "metropolis-promise");
    fixture(&dir, "postmark.jsonl");
    let (out, _) = record(&dir, &["postmark.jsonl"], 0);
    assert!(
        out.contains("postmark.jsonl (postmark): 7 read, 5 recorded, 0 refused, 1 replay, 1 unmatched, 2 ignored"),
        "{out}"
    );
    assert_eq!(
        evidence(&dir),
        vec![
            row(("M1", "delivered", "postmark", "", 1, "")),
            row(("M2", "bounced", "postmark", "HardBounce 1", 13, "")),
            row(("M3", "deferred", "postmark", "SoftBounce 4096", 14, "")),
            row(("M4", "complained", "postmark", "SpamComplaint 512", 15, "")),
            row((
                "M5",
                "unsubscribed",
                "postmark",
                "ManualSuppression",
                16,
                ""
            )),
        ]
    );
    assert!(
        out.contains("postmark SubscriptionChange (suppressed by the sender)"),
        "{out}"
    );
    assert_eq!(state_of(&dir, "M1"), "delivered");
    assert_eq!(state_of(&dir, "M5"), "excluded");
    assert_eq!(state_of(&dir, "M7"), "sent");
}

#[test]
fn mailgun_webhook_events_page_and_bare_event() {
    let dir = case("mailgun", "metropolis-promise");
    fixture(&dir, "mailgun.json");
    let (out, _) = record(&dir, &["mailgun.json"], 0);
    assert!(
        out.contains("mailgun.json (mailgun): 7 read, 5 recorded, 0 refused, 1 replay, 1 unmatched, 2 ignored"),
        "{out}"
    );
    let rows = evidence(&dir);
    assert_eq!(
        rows,
        vec![
            row(("M1", "delivered", "mailgun", "250", 1, "")),
            row(("M2", "bounced", "mailgun", "permanent 550 bounce", 40, "")),
            row(("M3", "deferred", "mailgun", "temporary 452 generic", 40, "")),
            row(("M4", "complained", "mailgun", "", 40, "")),
            row(("M7", "unsubscribed", "mailgun", "", 41, "")),
        ]
    );
    assert_eq!(state_of(&dir, "M2"), "bounced");
    assert_eq!(state_of(&dir, "M7"), "excluded");
}

#[test]
fn generic_csv() {
    let dir = case("generic", "metropolis-promise");
    fixture(&dir, "generic.csv");
    let (out, _) = record(&dir, &["generic.csv"], 0);
    assert!(
        out.contains(
            "generic.csv (csv): 7 read, 4 recorded, 0 refused, 1 replay, 2 unmatched, 0 ignored"
        ),
        "{out}"
    );
    assert_eq!(
        evidence(&dir),
        vec![
            row(("M1", "delivered", "csv", "", 2, "")),
            row(("M2", "bounced", "csv", "5.1.1", 3, "")),
            row(("M3", "objected", "csv", "form-2026-12", 4, "")),
            row(("M5", "consented", "csv", "", 7, "")),
        ]
    );
    assert!(out.contains("generic.csv:5: objected: no member of the plan in force has this id"));
    assert!(out.contains("generic.csv:6: delivered: no notice went to this address"));
    // A yes from a notify member answers nothing about the move: the state stays.
    assert_eq!(state_of(&dir, "M5"), "sent");
    assert_eq!(state_of(&dir, "M3"), "excluded");
    // The time keeps its instant, in UTC.
    let at: String = rusqlite::Connection::open(dir.path().join("handover.db"))
        .unwrap()
        .query_row("SELECT at FROM evidence WHERE member_id = 'M3'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(at, "2026-12-01T23:00:00Z");
}

#[test]
fn every_fixture_format_is_detected() {
    let dir = case("detect", "metropolis-promise");
    for (name, format) in [
        ("ses.jsonl", "ses"),
        ("sendgrid.json", "sendgrid"),
        ("postmark.jsonl", "postmark"),
        ("mailgun.json", "mailgun"),
        ("generic.csv", "csv"),
    ] {
        fixture(&dir, name);
        let (out, _) = record(&dir, &[name], 0);
        assert!(out.contains(&format!("{name} ({format})")), "{out}");
    }
}

#[test]
fn answer_csvs_need_their_format_named() {
    let dir = case("answers-format", "metropolis-promise");
    dir.write(
        "objections.csv",
        "member_id,email,at,detail\nM1,,2026-12-02T00:00:00Z,\n",
    );
    let (_, err) = record(&dir, &["objections.csv"], 2);
    assert!(
        err.contains("objections.csv: cannot tell which evidence format"),
        "{err}"
    );
    assert!(err.contains("--format"), "{err}");
}

#[test]
fn answers_for_notify_members() {
    let dir = case("answers-notify", "metropolis-promise");
    dir.write(
        "objections.csv",
        "member_id,email,at,detail\nM1,,2026-12-02T00:00:00Z,web-form\n",
    );
    dir.write(
        "deletions.csv",
        "email,at,member_id\nben@example.test,2026-12-02T00:00:00Z,\n",
    );
    dir.write(
        "unsubscribes.csv",
        "member_id,at\nM3,2026-12-02T00:00:00Z\n",
    );
    dir.write(
        "consents.csv",
        "member_id,email,at,changes,detail\nM4,,2026-12-02T00:00:00Z,abc123;def456,\n",
    );
    dir.write(
        "refusals.csv",
        "member_id,email,at,changes,detail\nM5,,2026-12-02T00:00:00Z,abc123,\n",
    );
    for (file, format) in [
        ("objections.csv", "objections"),
        ("deletions.csv", "deletions"),
        ("unsubscribes.csv", "unsubscribes"),
        ("consents.csv", "consents"),
        ("refusals.csv", "refusals"),
    ] {
        let (out, _) = record(&dir, &["--format", format, file], 0);
        assert!(out.contains("1 read, 1 recorded"), "{file}: {out}");
    }
    assert_eq!(
        evidence(&dir),
        vec![
            row(("M1", "objected", "objections", "web-form", 2, "")),
            row(("M2", "deleted", "deletions", "", 2, "")),
            row(("M3", "unsubscribed", "unsubscribes", "", 2, "")),
            row(("M4", "consented", "consents", "", 2, "abc123;def456")),
            row(("M5", "declined", "refusals", "", 2, "abc123")),
        ]
    );
    // Objection, deletion and unsubscribe exclude; opt-in answers move no one.
    assert_eq!(state_of(&dir, "M1"), "excluded");
    assert_eq!(state_of(&dir, "M2"), "excluded");
    assert_eq!(state_of(&dir, "M3"), "excluded");
    assert_eq!(state_of(&dir, "M4"), "sent");
    assert_eq!(state_of(&dir, "M5"), "sent");
}

#[test]
fn consent_yes_and_no_for_consent_members() {
    let dir = case("answers-consent", "appi");
    dir.write(
        "consents.csv",
        "member_id,email,at,changes\nM1,,2026-12-02T00:00:00Z,\nM3,,2026-12-02T00:00:00Z,abc123\n",
    );
    dir.write("refusals.csv", "member_id,at\nM2,2026-12-02T00:00:00Z\n");
    record(&dir, &["--format", "consents", "consents.csv"], 0);
    record(&dir, &["--format", "refusals", "refusals.csv"], 0);
    assert_eq!(state_of(&dir, "M1"), "consented");
    assert_eq!(state_of(&dir, "M2"), "excluded");
    // A yes to some new uses only is not a yes to the move.
    assert_eq!(state_of(&dir, "M3"), "sent");
}

#[test]
fn malformed_files_are_refused_whole() {
    for (name, format, location, what) in [
        (
            "ses-malformed.jsonl",
            "ses",
            ":3:",
            "the file ends inside the JSON object",
        ),
        (
            "ses-missing-field.jsonl",
            "ses",
            ":2:",
            "missing field `timestamp`",
        ),
        ("sendgrid-malformed.json", "sendgrid", ":3:", "wrong type"),
        (
            "postmark-malformed.jsonl",
            "postmark",
            ":2:",
            "`BouncedAt` is not an RFC 3339 time",
        ),
        (
            "mailgun-malformed.json",
            "mailgun",
            ":2:",
            "without `timestamp`",
        ),
        (
            "generic-malformed.csv",
            "csv",
            ":3:",
            "unknown event `opened`",
        ),
    ] {
        let dir = case(&format!("malformed-{format}"), "metropolis-promise");
        let file = fixture(&dir, name);
        let good = fixture(&dir, "generic.csv");
        let before = snapshot(&dir);
        // A good file given with it is not recorded either.
        let (_, err) = record(&dir, &[good.to_str().unwrap(), file.to_str().unwrap()], 2);
        assert!(
            err.contains(&format!("{}{location}", file.display())),
            "{name}: {err}"
        );
        assert!(err.contains(what), "{name}: {err}");
        assert!(err.contains("nothing was recorded"), "{name}: {err}");
        assert!(
            !err.contains("example.test"),
            "{name}: no address in errors: {err}"
        );
        assert_eq!(snapshot(&dir), before, "{name}: the ledger changed");
    }
}

#[test]
fn malformed_csv_lists_every_bad_row() {
    let dir = case("malformed-rows", "metropolis-promise");
    fixture(&dir, "generic-malformed.csv");
    let (_, err) = record(&dir, &["generic-malformed.csv"], 2);
    assert!(
        err.contains("generic-malformed.csv:3: unknown event `opened`"),
        "{err}"
    );
    assert!(
        err.contains("generic-malformed.csv:4: neither `member_id` nor `email`"),
        "{err}"
    );
    assert!(
        err.contains("generic-malformed.csv:5: `at` is not an RFC 3339 time"),
        "{err}"
    );
    assert!(
        err.contains("generic-malformed.csv:6: `detail` holds an `@`"),
        "{err}"
    );
}

#[test]
fn strict_refuses_unmatched_events_and_records_nothing() {
    let dir = case("strict", "metropolis-promise");
    fixture(&dir, "ses.jsonl");
    let before = snapshot(&dir);
    let (_, err) = record(&dir, &["--strict", "ses.jsonl"], 2);
    assert!(
        err.contains("ses.jsonl:3: no notice went to this address"),
        "{err}"
    );
    assert!(err.contains("2 events matched no member"), "{err}");
    assert!(
        err.contains("ses.jsonl:9: several members share this address"),
        "{err}"
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn events_dated_after_now_are_malformed() {
    let dir = case("future", "metropolis-promise");
    dir.write(
        "late.csv",
        "member_id,event,at\nM1,delivered,2026-12-04T09:00:00Z\n",
    );
    let (_, err) = record(&dir, &["late.csv"], 2);
    assert!(
        err.contains("late.csv:2: the event is dated 2026-12-04T09:00:00Z, after now"),
        "{err}"
    );
}

#[test]
fn no_plan_is_refused() {
    let dir = Dir::new("record-no-plan");
    dir.copy_from_repo("policies/japantourist-2012.md");
    dir.copy_from_repo("policies/sakura-2026.md");
    dir.write("members.csv", MEMBERS);
    dir.write(
        "handover.yaml",
        "case: t\ndeal: merger\npolicies:\n  current: policies/japantourist-2012.md\n  acquirer: policies/sakura-2026.md\nrules: [metropolis-promise]\nmembers:\n  path: members.csv\n  id: member_id\n",
    );
    dir.write(
        "e.csv",
        "member_id,event,at\nM1,delivered,2026-12-02T00:00:00Z\n",
    );
    let (_, err) = record(&dir, &["e.csv"], 3);
    assert!(err.contains("run `handover plan` first"), "{err}");
}

#[test]
fn site_notice_tells_site_members_and_bounced_notify_members() {
    let dir = case("site-notice", "metropolis-promise");
    fixture(&dir, "ses.jsonl");
    record(&dir, &["ses.jsonl"], 0);
    assert_eq!(state_of(&dir, "M2"), "bounced");
    assert_eq!(state_of(&dir, "M6"), "pending");
    let url = "https://japantourist.example/transfer-notice";
    let args = ["--site-notice", url, "--posted-at", "2026-12-02T00:00:00Z"];
    let (out, _) = record(&dir, &args, 0);
    assert!(
        out.contains("told by it now: 2; already told: 0; replays: 0"),
        "{out}"
    );
    assert_eq!(state_of(&dir, "M2"), "site-notice");
    assert_eq!(state_of(&dir, "M6"), "site-notice");
    assert_eq!(state_of(&dir, "M1"), "delivered");
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).unwrap();
    let (n, key): (i64, String) = conn
        .query_row(
            "SELECT COUNT(*), MIN(dedupe_key) FROM evidence WHERE event = 'site-notice'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(key, format!("site-notice:{url}:2026-12-02T00:00:00Z:M2"));
    let posting: (String, String, Option<String>) = conn
        .query_row("SELECT url, posted_at, until FROM site_notices", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(posting, (url.into(), "2026-12-02T00:00:00Z".into(), None));
    // Again: the same posting, nobody new.
    let before = snapshot(&dir);
    let (out, _) = record(&dir, &args, 0);
    assert!(out.contains("(already recorded)"), "{out}");
    assert!(out.contains("told by it now: 0"), "{out}");
    assert_eq!(snapshot(&dir), before);
    // Its end recorded later; the page came down before the window from it ended.
    let mut with_until = args.to_vec();
    with_until.extend(["--until", "2026-12-20T00:00:00Z"]);
    let (out, _) = record(&dir, &with_until, 0);
    assert!(
        out.contains("warning: the page comes down before the notice period"),
        "{out}"
    );
    // A different end for the same posting is refused.
    let mut other = args.to_vec();
    other.extend(["--until", "2026-12-25T00:00:00Z"]);
    let (_, err) = record(&dir, &other, 2);
    assert!(
        err.contains("recorded as taken down at 2026-12-20T00:00:00Z"),
        "{err}"
    );
}

#[test]
fn site_notice_does_not_stand_in_for_a_consent() {
    let dir = case("site-notice-consent", "appi");
    dir.write(
        "bounces.csv",
        "member_id,event,at\nM2,bounced,2026-12-01T10:05:00Z\n",
    );
    record(&dir, &["bounces.csv"], 0);
    let (out, _) = record(
        &dir,
        &[
            "--site-notice",
            "https://japantourist.example/transfer-notice",
            "--posted-at",
            "2026-12-02T00:00:00Z",
        ],
        0,
    );
    // M6 (no address) is told; M2, whose consent request bounced, is not.
    assert!(out.contains("told by it now: 1"), "{out}");
    assert_eq!(state_of(&dir, "M2"), "bounced");
    assert_eq!(state_of(&dir, "M6"), "site-notice");
}

#[test]
fn site_notice_options_are_checked() {
    let dir = case("site-notice-bad", "metropolis-promise");
    let (_, err) = record(
        &dir,
        &[
            "--site-notice",
            "japantourist.example",
            "--posted-at",
            "2026-12-02T00:00:00Z",
        ],
        2,
    );
    assert!(err.contains("--site-notice: not an http(s) URL"), "{err}");
    let (_, err) = record(
        &dir,
        &[
            "--site-notice",
            "https://x.example/n",
            "--posted-at",
            "2026-12-05T00:00:00Z",
        ],
        2,
    );
    assert!(
        err.contains("--posted-at: 2026-12-05T00:00:00Z is after now"),
        "{err}"
    );
    let (_, err) = record(
        &dir,
        &[
            "--site-notice",
            "https://x.example/n",
            "--posted-at",
            "2026-12-02T00:00:00Z",
            "--until",
            "2026-12-01T00:00:00Z",
        ],
        2,
    );
    assert!(err.contains("--until must be after --posted-at"), "{err}");
    assert_eq!(state_of(&dir, "M6"), "pending");
}

#[test]
fn status_counts_after_evidence() {
    let dir = case("record-status", "metropolis-promise");
    fixture(&dir, "sendgrid.json");
    record(&dir, &["sendgrid.json"], 0);
    record(
        &dir,
        &[
            "--site-notice",
            "https://japantourist.example/transfer-notice",
            "--posted-at",
            "2026-12-02T00:00:00Z",
        ],
        0,
    );
    let out = dir.stdout(&mut dir.handover(["status", "--now", NOW, "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    // M1 delivered; M2, M4 bounced then told on the site, with M6; M7 unsubscribed;
    // M3, M5, M8, M9 sent.
    assert_eq!(
        json["states"],
        serde_json::json!({"pending": 0, "sent": 4, "delivered": 1, "bounced": 0,
            "site-notice": 3, "uncertain": 0, "consented": 0, "excluded": 1, "ready": 0})
    );
}

#[test]
fn addresses_without_notices_are_matched_through_the_members() {
    let dir = planned("members-scan", "metropolis-promise");
    dir.write(
        "objections.csv",
        "email,at\nANA@example.test,2026-12-02T00:00:00Z\nshared@example.test,2026-12-02T00:00:00Z\nnobody@example.test,2026-12-02T00:00:00Z\n",
    );
    let (out, _) = record(&dir, &["--format", "objections", "objections.csv"], 0);
    assert!(
        out.contains("objections.csv (objections): 3 read, 1 recorded, 0 refused, 0 replays, 2 unmatched, 0 ignored"),
        "{out}"
    );
    assert!(
        out.contains("objections.csv:3: objected: several members share this address"),
        "{out}"
    );
    assert!(
        out.contains("objections.csv:4: objected: no notice went to this address"),
        "{out}"
    );
    assert_eq!(state_of(&dir, "M1"), "excluded");
    assert_eq!(state_of(&dir, "M8"), "pending");
}

/// Records `file` in `dir` through the library, `batch` events per transaction.
fn record_in_batches(dir: &Dir, file: &str, batch: usize) -> handover::record::Summary {
    let case = handover::case::Case::load(&dir.path().join("handover.yaml")).unwrap();
    let options = handover::record::Options {
        files: vec![dir.path().join(file)],
        format: Some(handover::evidence::Format::Csv),
        strict: false,
        list: None,
        batch,
    };
    let mut summary =
        handover::record::record(&case, &options, NOW.parse().unwrap(), &mut |_| {}).unwrap();
    // The folders differ between cases: compare file names.
    let name = |p: &PathBuf| PathBuf::from(p.file_name().unwrap());
    for f in &mut summary.files {
        f.path = name(&f.path);
    }
    for u in &mut summary.unmatched {
        u.file = name(&u.file);
    }
    summary
}

#[test]
fn a_file_longer_than_a_batch_records_what_one_batch_records() {
    // Members' events straddle batches of three: a member's state must carry from one
    // transaction to the next, replays must be seen across them, and the rows and counts
    // must be those of one batch.
    let events = "\
member_id,email,event,at,message_id,detail
M1,,delivered,2026-12-01T10:00:02Z,,
M2,,deferred,2026-12-01T10:00:03Z,,4.2.2
M3,,delivered,2026-12-01T10:00:04Z,,
M2,,bounced,2026-12-01T10:05:00Z,,5.1.1
M99,,objected,2026-12-02T08:00:00Z,,
M3,,objected,2026-12-02T08:00:00Z,,form-1
M1,,delivered,2026-12-01T10:00:02Z,,
M4,,complained,2026-12-01T11:00:00Z,,
M5,,unsubscribed,2026-12-01T12:00:00Z,,
M4,,delivered,2026-12-01T10:30:00Z,,
M7,,delivered,2026-12-01T10:40:00Z,,
M7,,objected,2026-12-02T10:00:00Z,,form-2
M2,,bounced,2026-12-01T10:05:00Z,,5.1.1
M5,,consented,2026-12-02T09:00:00Z,,
";
    let whole = case("batch_whole", "metropolis-promise");
    let split = case("batch_split", "metropolis-promise");
    whole.write("events.csv", events);
    split.write("events.csv", events);
    let one = record_in_batches(&whole, "events.csv", handover::record::BATCH);
    let threes = record_in_batches(&split, "events.csv", 3);
    assert_eq!(one, threes);
    assert_eq!(
        (one.records(), one.replays(), one.unmatched_total()),
        (14, 2, 1)
    );
    assert_eq!(evidence(&whole), evidence(&split));
    assert_eq!(states(&whole), states(&split));
    // The moves made across batch boundaries are there.
    assert_eq!(state_of(&split, "M3"), "excluded");
    assert_eq!(state_of(&split, "M7"), "excluded");
    assert_eq!(state_of(&split, "M2"), "bounced");
    // Recording again in other batches adds nothing.
    let again = record_in_batches(&split, "events.csv", 2);
    assert_eq!(again.replays(), 13);
    assert_eq!(evidence(&whole), evidence(&split));
}
