//! One case through the whole notice window with a fixed clock: plan, notify (outbox),
//! record (deliveries, a bounce, an objection, answers to opt-ins), the site notice, status
//! not ready, time passes, status ready; exact counts at each step.
use crate::util::{repo, Dir};

const T0: &str = "2026-12-01T09:00:00Z";
const POSTED: &str = "2026-12-03T00:00:00Z";

fn status(dir: &Dir, now: &str, code: i32) -> serde_json::Value {
    let out = dir.run_expect(
        &mut dir.handover([
            "status", "--case", "c", "--now", now, "--format", "json", "--ready",
        ]),
        code,
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_case_walks_through_the_whole_notice_window() {
    let dir = Dir::new("walkthrough");
    dir.run_expect(&mut dir.handover(["init", "c", "--now", T0]), 0);
    for (from, to) in [
        ("policies/japantourist-2012.md", "c/policies/current.md"),
        ("policies/sakura-2026.md", "c/policies/acquirer.md"),
    ] {
        dir.write(to, std::fs::read(repo().join(from)).unwrap());
    }
    dir.write(
        "c/members.csv",
        "member_id,name,email,status,birth_date\n\
         M1,Aiko,aiko@example.jp,active,1980-01-01\n\
         M2,Ben,ben@example.jp,active,1981-01-01\n\
         M3,Chie,chie@example.jp,active,1982-01-01\n\
         M4,Dai,dai@example.jp,active,1983-01-01\n\
         M5,Emi,emi@example.jp,active,1984-01-01\n\
         M6,Fumi,,active,1985-01-01\n\
         M7,Goro,goro@example.jp,closed,1986-01-01\n",
    );
    dir.run_expect(&mut dir.handover(["plan", "--case", "c", "--now", T0]), 0);
    let st = status(&dir, T0, 1);
    assert_eq!(st["decisions"]["notify"], 6);
    assert_eq!(st["states"]["pending"], 6);
    assert_eq!(st["states"]["excluded"], 1);

    dir.run_expect(
        &mut dir.handover(["notify", "--case", "c", "--now", T0, "--outbox", "out"]),
        0,
    );
    let st = status(&dir, T0, 1);
    assert_eq!(
        st["states"]["sent"], 5,
        "five emailed; M6 waits for the site notice"
    );
    assert_eq!(st["states"]["pending"], 1);

    // The provider's report, by Message-ID for M1 (from the mail-merge file) and by member id
    // or address for the rest; M3 bounced; M4 objected; M1 and M2 answered the opt-ins.
    let merge = dir.read("out/mail-merge.csv");
    let m1_message_id = merge
        .lines()
        .find(|l| l.contains("aiko@example.jp"))
        .and_then(|l| l.split(',').nth(1))
        .unwrap()
        .to_string();
    dir.write(
        "events.csv",
        format!(
            "member_id,email,event,at,message_id,detail,changes\n\
             ,aiko@example.jp,delivered,2026-12-01T10:00:00Z,{m1_message_id},,\n\
             M2,,delivered,2026-12-01T10:00:00Z,,,\n\
             ,chie@example.jp,bounced,2026-12-01T10:00:00Z,,550 5.1.1,\n\
             M4,,objected,2026-12-02T10:00:00Z,,by letter,\n\
             M5,,delivered,2026-12-01T10:00:00Z,,,\n\
             M1,,consented,2026-12-02T11:00:00Z,,,all-opt-ins\n\
             M2,,declined,2026-12-02T11:00:00Z,,,all-opt-ins\n"
        ),
    );
    let now = "2026-12-02T12:00:00Z";
    dir.run_expect(
        &mut dir.handover(["record", "--case", "c", "--now", now, "events.csv"]),
        0,
    );
    let st = status(&dir, now, 1);
    assert_eq!(st["states"]["delivered"], 3);
    assert_eq!(st["states"]["bounced"], 1);
    assert_eq!(st["states"]["excluded"], 2, "closed and objected");
    assert_eq!(st["states"]["pending"], 1);
    assert_eq!(
        st["earliest_export"],
        serde_json::Value::Null,
        "M6 not told yet"
    );

    dir.run_expect(
        &mut dir.handover([
            "record",
            "--case",
            "c",
            "--now",
            POSTED,
            "--site-notice",
            "https://example.com/transfer-notice",
            "--posted-at",
            POSTED,
        ]),
        0,
    );
    let st = status(&dir, POSTED, 1);
    assert_eq!(
        st["states"]["site-notice"], 2,
        "M6, and M3 after its bounce"
    );
    assert_eq!(st["states"]["delivered"], 3);
    assert_eq!(st["earliest_export"], "2027-01-02T00:00:00Z");
    assert_eq!(st["ready"], false);

    // A day before the window ends: still waiting; once it has: ready.
    let st = status(&dir, "2027-01-01T00:00:00Z", 1);
    assert_eq!(
        st["states"]["ready"], 3,
        "the emailed ones told on 1 December"
    );
    let st = status(&dir, "2027-01-02T00:00:00Z", 0);
    assert_eq!(st["ready"], true);
    assert_eq!(st["states"]["ready"], 5);
    assert_eq!(st["states"]["excluded"], 2);
    assert_eq!(st["blockers"], serde_json::json!([]));
}
