//! `handover notify` end to end: the outbox, previews, strict templates, and sending to a real
//! SMTP server on loopback (aiosmtpd, driven by tests/smtp/server.py), including runs killed
//! at many points and restarted.
//!
//! The SMTP tests need Python with `aiosmtpd`: `$HANDOVER_TEST_PYTHON`, else
//! `target/aiosmtpd/bin/python` (`.ci/run` creates that venv). Without it they are skipped
//! with a message, except under `CI=true`, where they fail.
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{repo, Dir};

const NOW: &str = "2026-12-01T09:00:00Z";

const MEMBERS: &str = "\
member_id,name,email,status,language,zip
A1,Alice Adams,alice@example.com,active,en,100-0001
B2,佐藤 文太,bunta@example.jp,active,ja,
C3,Carol Chen,reject@example.com,active,,
D4,Dan Doe,Defer@Example.com,active,EN,
E5,Eve Endo,,active,ja,
F6,Fred Fox,fred@example.com,closed,en,
";

fn case_yaml(members: &str) -> String {
    format!(
        "case: Sakura Travel acquires Metropolis
deal: merger
policies:
  current: policies/japantourist-2012.md
  acquirer: policies/sakura-2026.md
rules: [metropolis-promise]
members:
  path: {members}
  id: member_id
  email: email
  status: {{column: status, transfer: [active], exclude: [closed]}}
  language: language
  data_types:
    name: contact.name
    email: contact.email
    zip: contact.postal_code
  export_columns: [member_id, name, email, zip]
notice:
  templates: templates
  from: privacy@metropolis.example
  reply_to: privacy@metropolis.example
  company: Metropolis K.K.
  acquirer: Sakura Travel K.K.
  transfer_date: 2027-02-01
  contact: privacy@metropolis.example
  current_url: https://japantourist.example/privacy-2012
  acquirer_url: https://sakura-travel.example/privacy
  list_unsubscribe: https://japantourist.example/unsubscribe
  site_notice_url: https://japantourist.example/transfer-notice
"
    )
}

const HTML: &str = "<p>Dear {{ member.name or \"member\" }},</p>\n<p>{{ acquirer }} is acquiring \
{{ company }}. Reference {{ notice_key }}.</p>\n";

/// A planned case with English and Japanese templates (and an English HTML part).
fn planned(name: &str, members: &str) -> Dir {
    let dir = Dir::new(name);
    dir.copy_from_repo("policies/japantourist-2012.md");
    dir.copy_from_repo("policies/sakura-2026.md");
    dir.copy_from_repo("examples/acquisition/templates/notice.txt.j2");
    dir.copy_from_repo("examples/acquisition/templates/notice.ja.txt.j2");
    std::fs::rename(
        dir.path().join("examples/acquisition/templates"),
        dir.path().join("templates"),
    )
    .unwrap();
    dir.write("templates/notice.html.j2", HTML);
    dir.write("members.csv", members);
    dir.write("handover.yaml", case_yaml("members.csv"));
    dir.run_expect(&mut dir.handover(["plan", "--now", NOW]), 0);
    dir
}

fn key(member: &str, address: &str) -> String {
    use sha2::{Digest, Sha256};
    let text =
        format!("handover.notice/1\nSakura Travel acquires Metropolis\n1\n{member}\n{address}");
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..32]
        .to_string()
}

fn status(dir: &Dir) -> serde_json::Value {
    let out = dir.stdout(&mut dir.handover(["status", "--now", NOW, "--format", "json"]));
    serde_json::from_str(&out).unwrap()
}

fn ledger(dir: &Dir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.path().join("handover.db")).unwrap()
}

/// `(member_id, state)` of every notice.
fn notices(dir: &Dir) -> BTreeMap<String, String> {
    let db = ledger(dir);
    let mut stmt = db
        .prepare("SELECT member_id, state FROM notices ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn outbox_writes_rfc5322_messages_and_a_rerun_rewrites_them_identically() {
    let dir = planned("outbox", MEMBERS);
    let out = dir.stdout(&mut dir.handover(["notify", "--now", NOW, "--outbox", "out"]));
    assert!(out.contains("4 notice(s) written to out"), "{out}");
    assert!(
        out.contains("told on the site instead (no usable address): 1"),
        "{out}"
    );
    let csv = dir.read("out/mail-merge.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "notice_key,message_id,email,language,subject,text_path,html_path"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    let a = key("A1", "alice@example.com");
    let alice = lines.iter().find(|l| l.starts_with(&a)).unwrap();
    assert!(
        alice.starts_with(&format!(
            "{a},{a}@metropolis.example,alice@example.com,,\"Before your account moves"
        )),
        "{alice}"
    );
    assert!(alice.ends_with(&format!("{}/{a}.txt,{}/{a}.html", &a[..2], &a[..2])));
    let b = key("B2", "bunta@example.jp");
    let bunta = lines.iter().find(|l| l.starts_with(&b)).unwrap();
    assert!(bunta.contains(",ja,【重要】"), "{bunta}");
    assert!(
        bunta.ends_with(".txt,"),
        "Japanese has no HTML template: {bunta}"
    );
    // D4's address keys in lower case.
    assert!(csv.contains(&key("D4", "defer@example.com")));

    let eml_path = format!("out/{}/{a}.eml", &a[..2]);
    let eml = std::fs::read(dir.path().join(&eml_path)).unwrap();
    let text = String::from_utf8(eml.clone()).unwrap();
    for header in [
        format!("Message-ID: <{a}@metropolis.example>\r\n"),
        "Date: Tue, 01 Dec 2026 09:00:00 +0000\r\n".to_string(),
        "From: privacy@metropolis.example\r\n".to_string(),
        "To: alice@example.com\r\n".to_string(),
        "Reply-To: privacy@metropolis.example\r\n".to_string(),
        "List-Unsubscribe: <https://japantourist.example/unsubscribe>\r\n".to_string(),
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n".to_string(),
        "Content-Type: multipart/alternative;".to_string(),
    ] {
        assert!(text.contains(&header), "{header:?} missing:\n{text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [eml_path.as_str(), "out/mail-merge.csv"] {
            let mode = std::fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
    let evidence = |dir: &Dir| -> i64 {
        ledger(dir)
            .query_row(
                "SELECT COUNT(*) FROM evidence WHERE event = 'sent' AND source = 'outbox'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(evidence(&dir), 4);
    assert_eq!(status(&dir)["states"]["sent"], 4);

    // An interrupted run is run again: the same files, byte for byte, nothing recorded twice.
    std::fs::remove_file(dir.path().join("out/mail-merge.csv")).unwrap();
    let later = "2026-12-02T10:00:00Z";
    let out = dir.stdout(&mut dir.handover(["notify", "--now", later, "--outbox", "out"]));
    assert!(out.contains("0 notice(s) written to out"), "{out}");
    assert!(out.contains("4 rewritten from an earlier run"), "{out}");
    assert_eq!(std::fs::read(dir.path().join(&eml_path)).unwrap(), eml);
    assert_eq!(dir.read("out/mail-merge.csv"), csv);
    assert_eq!(evidence(&dir), 4);
    // A new outbox never gets notices handed off already.
    let out = dir.stdout(&mut dir.handover(["notify", "--now", later, "--outbox", "other"]));
    assert!(out.contains("0 notice(s) written to other"), "{out}");
    assert_eq!(dir.read("other/mail-merge.csv").lines().count(), 1);
}

#[test]
fn a_notice_left_half_written_by_a_stopped_run_is_written_again_whole() {
    // A new notice is written in place (no rename): a file a stopped run left at its path,
    // longer than the message, must be replaced whole, and no temporary file stays behind.
    let dir = planned("outbox_stale", MEMBERS);
    let a = key("A1", "alice@example.com");
    let shard = dir.path().join("out").join(&a[..2]);
    std::fs::create_dir_all(&shard).unwrap();
    let stale = "x".repeat(64 * 1024);
    for ext in ["eml", "txt"] {
        std::fs::write(shard.join(format!("{a}.{ext}")), &stale).unwrap();
    }
    dir.stdout(&mut dir.handover(["notify", "--now", NOW, "--outbox", "out"]));
    let eml = dir.read(&format!("out/{}/{a}.eml", &a[..2]));
    assert!(
        eml.contains(&format!("Message-ID: <{a}@metropolis.example>")),
        "{eml}"
    );
    assert!(!eml.contains("xxxx"), "stale bytes left in the message");
    assert!(!dir
        .read(&format!("out/{}/{a}.txt", &a[..2]))
        .contains("xxxx"));
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            names.extend(
                std::fs::read_dir(entry.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned()),
            );
        }
    }
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn preview_renders_the_members_language() {
    let dir = planned("preview", MEMBERS);
    let out = dir.stdout(&mut dir.handover(["notify", "--now", NOW, "--preview", "B2"]));
    insta::assert_snapshot!("notify_preview_ja", out);
    let out = dir.stdout(&mut dir.handover(["notify", "--now", NOW, "--preview", "A1"]));
    insta::assert_snapshot!("notify_preview_en", out);
    // A preview records nothing.
    assert!(notices(&dir).is_empty());
    let out = dir.run_expect(
        &mut dir.handover(["notify", "--now", NOW, "--preview", "E5"]),
        2,
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("member E5 gets no email notice"), "{err}");
}

#[test]
fn dry_run_counts_and_writes_nothing() {
    let dir = planned("dry-run", MEMBERS);
    let out = dir.stdout(&mut dir.handover(["notify", "--now", NOW, "--dry-run"]));
    assert!(
        out.contains("4 notice(s) would go (0 consent request(s))"),
        "{out}"
    );
    assert!(
        out.contains("told on the site instead (no usable address): 1"),
        "{out}"
    );
    assert!(notices(&dir).is_empty());
}

#[test]
fn an_undefined_template_variable_is_an_error_naming_the_line() {
    let dir = planned("strict", MEMBERS);
    dir.write(
        "templates/notice.txt.j2",
        "Subject: Notice\n\nDear {{ member.name }},\n{{ member.nickname }}\n",
    );
    // The templates changed after plan; they are not pinned, so this is a template error.
    let out = dir.run_expect(
        &mut dir.handover(["notify", "--now", NOW, "--outbox", "out"]),
        2,
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("templates/notice.txt.j2:4"), "{err}");
    assert!(err.contains("{{ member.nickname }}"), "{err}");
    assert!(err.contains("not defined"), "{err}");
    // Nothing was handed off.
    assert!(notices(&dir).values().all(|s| s == "prepared"));
    assert_eq!(status(&dir)["states"]["sent"], 0);
}

#[test]
fn a_changed_members_file_is_refused() {
    let dir = planned("refused", MEMBERS);
    dir.write("members.csv", MEMBERS.replace("Alice Adams", "Alice Smith"));
    dir.run_expect(&mut dir.handover(["notify", "--now", NOW, "--dry-run"]), 3);
}

/// Python with aiosmtpd, or `None` (a skip) outside CI.
fn python() -> Option<PathBuf> {
    let path = std::env::var_os("HANDOVER_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/aiosmtpd/bin/python"));
    let ok = std::process::Command::new(&path)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(path);
    }
    let message = format!(
        "no Python with aiosmtpd at {} (set HANDOVER_TEST_PYTHON, or run `python3 -m venv \
         target/aiosmtpd && target/aiosmtpd/bin/pip install aiosmtpd`)",
        path.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("skipped: {message}");
    None
}

/// A running tests/smtp/server.py; killed when dropped.
struct Smtpd {
    child: Child,
    out: PathBuf,
    port: String,
}

impl Smtpd {
    fn start(python: &Path, out: PathBuf, args: &[&str]) -> Smtpd {
        let child = std::process::Command::new(python)
            .arg(repo().join("tests/smtp/server.py"))
            .arg("--out")
            .arg(&out)
            .args(args)
            .stdout(Stdio::null())
            .spawn()
            .expect("start the SMTP server");
        let started = Instant::now();
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(out.join("port")) {
                break p;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the SMTP server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        Smtpd { child, out, port }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received, as Python's email parser read them.
    fn received(&self) -> Vec<serde_json::Value> {
        let mut names: Vec<_> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| serde_json::from_slice(&std::fs::read(self.out.join(n)).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn smtp_sends_each_notice_once_in_its_language_rejects_5xx_and_retries_4xx() {
    let Some(python) = python() else { return };
    let dir = planned("smtp", MEMBERS);
    let server = Smtpd::start(
        &python,
        dir.path().join("smtp"),
        &["--reject", "reject@", "--defer", "defer@=1"],
    );
    let send = |dir: &Dir| {
        dir.stdout(&mut dir.handover([
            "notify",
            "--now",
            NOW,
            "--smtp",
            &server.url(),
            "--rate",
            "200",
            "--backoff-ms",
            "20",
        ]))
    };
    let out = send(&dir);
    assert!(
        out.contains("sent 3, rejected 1, retried 1, deferred 0, uncertain 0"),
        "{out}"
    );
    let received = server.received();
    assert_eq!(received.len(), 3);
    let by_to: HashMap<String, &serde_json::Value> = received
        .iter()
        .map(|m| (m["headers"]["to"].as_str().unwrap().to_string(), m))
        .collect();
    let alice = by_to["alice@example.com"];
    let a = key("A1", "alice@example.com");
    assert_eq!(
        alice["headers"]["message-id"],
        format!("<{a}@metropolis.example>")
    );
    assert_eq!(alice["headers"]["from"], "privacy@metropolis.example");
    assert_eq!(alice["headers"]["reply-to"], "privacy@metropolis.example");
    assert_eq!(alice["headers"]["date"], "Tue, 01 Dec 2026 09:00:00 +0000");
    assert_eq!(alice["content_type"], "multipart/alternative");
    assert_eq!(alice["defects"], serde_json::json!([]));
    // RFC 5322 lines end in CRLF.
    let text = alice["text"].as_str().unwrap().replace("\r\n", "\n");
    assert!(text.starts_with("Dear Alice Adams,\n"), "{text}");
    assert!(text.contains(&format!("Reference: {a}")), "{text}");
    assert!(alice["html"]
        .as_str()
        .unwrap()
        .contains("Dear Alice Adams,"));
    let bunta = by_to["bunta@example.jp"];
    assert_eq!(
        bunta["headers"]["subject"],
        "【重要】Sakura Travel K.K.への会員情報の移転について（ご回答・お申し出の期限：2026-12-31）"
    );
    assert_eq!(bunta["content_type"], "text/plain");
    let text = bunta["text"].as_str().unwrap().replace("\r\n", "\n");
    assert!(text.starts_with("佐藤 文太 様\n"), "{text}");
    assert_eq!(
        by_to["Defer@Example.com"]["rcpt_tos"][0],
        "Defer@Example.com"
    );

    let db = ledger(&dir);
    let (state, error): (String, String) = db
        .query_row(
            "SELECT state, last_error FROM notices WHERE member_id = 'C3'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(state, "rejected");
    assert_eq!(error, "550 5.1.1 <address> mailbox unavailable");
    let detail: String = db
        .query_row(
            "SELECT detail FROM evidence WHERE member_id = 'C3' AND event = 'bounced'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, "smtp 550 5.1.1 <address> mailbox unavailable");
    let attempts: u32 = db
        .query_row(
            "SELECT attempts FROM notices WHERE member_id = 'D4'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(attempts, 2);
    let st = status(&dir);
    assert_eq!(st["states"]["sent"], 3);
    assert_eq!(st["states"]["bounced"], 1);
    assert_eq!(st["states"]["pending"], 1, "E5 waits for the site notice");

    // Sent is sent: a second run sends nothing.
    let out = send(&dir);
    assert!(out.contains("sent 0, rejected 0"), "{out}");
    assert_eq!(server.received().len(), 3);
}

#[test]
fn smtp_without_tls_is_refused_off_loopback() {
    let dir = planned("smtp-tls", MEMBERS);
    let out = dir.run_expect(
        &mut dir.handover([
            "notify",
            "--now",
            NOW,
            "--smtp",
            "smtp://user:secret@mail.example.com:25",
        ]),
        2,
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("credentials come from HANDOVER_SMTP_USER"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
}

/// Kills `handover notify --smtp` at many points of a run against a slow server, restarts it
/// each time, and checks what the server received: no Message-ID twice, every member sent
/// exactly once or `uncertain`; then an operator resolves the uncertain ones and the last
/// run completes the set.
#[test]
fn killed_runs_never_send_a_notice_twice() {
    let Some(python) = python() else { return };
    let mut members = String::from("member_id,name,email,status,language,zip\n");
    for i in 0..16 {
        members.push_str(&format!("K{i:02},Member {i},m{i}@example.com,active,en,\n"));
    }
    let dir = planned("kill", &members);
    let server = Smtpd::start(&python, dir.path().join("smtp"), &["--delay", "0.15"]);
    let args = [
        "notify",
        "--now",
        NOW,
        "--smtp",
        &server.url(),
        "--rate",
        "1000",
    ];
    for run in 0..15u64 {
        let mut child = dir
            .std_cmd()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(60 + run * 37));
        let _ = child.kill();
        let _ = child.wait();
    }
    let count = |server: &Smtpd| {
        let mut seen: HashMap<String, u32> = HashMap::new();
        for m in server.received() {
            *seen
                .entry(m["headers"]["message-id"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        seen
    };
    let seen = count(&server);
    assert!(
        seen.values().all(|n| *n == 1),
        "a Message-ID arrived twice: {seen:?}"
    );
    // One run that is not killed finishes the rest, and never touches the uncertain ones.
    dir.stdout(&mut dir.std_cmd_with(&args));
    let seen = count(&server);
    assert!(
        seen.values().all(|n| *n == 1),
        "a Message-ID arrived twice: {seen:?}"
    );
    let states = notices(&dir);
    assert_eq!(states.len(), 16);
    let mut uncertain = Vec::new();
    for i in 0..16 {
        let member = format!("K{i:02}");
        let id = format!(
            "<{}@metropolis.example>",
            key(&member, &format!("m{i}@example.com"))
        );
        match states[&member].as_str() {
            "sent" => assert_eq!(seen.get(&id), Some(&1), "{member} sent but not received"),
            "uncertain" => uncertain.push((member, seen.contains_key(&id))),
            other => panic!("{member} is {other}"),
        }
    }
    eprintln!("{} of 16 uncertain after 15 kills", uncertain.len());
    // The operator checks the server's log and resolves each uncertain notice.
    for (member, arrived) in &uncertain {
        let outcome = if *arrived { "sent" } else { "unsent" };
        dir.stdout(&mut dir.handover([
            "notify",
            "--now",
            NOW,
            "--resolve",
            member,
            "--as",
            outcome,
            "--by",
            "test operator",
            "--note",
            "checked the server's log",
        ]));
    }
    dir.stdout(&mut dir.std_cmd_with(&args));
    let seen = count(&server);
    assert_eq!(seen.len(), 16);
    assert!(
        seen.values().all(|n| *n == 1),
        "a Message-ID arrived twice: {seen:?}"
    );
    assert!(notices(&dir).values().all(|s| s == "sent"));
    assert_eq!(status(&dir)["states"]["sent"], 16);
}

trait StdCmdWith {
    fn std_cmd_with(&self, args: &[&str]) -> assert_cmd::Command;
}

impl StdCmdWith for Dir {
    fn std_cmd_with(&self, args: &[&str]) -> assert_cmd::Command {
        self.handover(args.iter().copied())
    }
}
