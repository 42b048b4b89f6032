//! Unit tests of the ledger: migrations, the append-only evidence, the lock, file modes.
use super::*;

const NOW: &str = "2026-12-01T09:00:00Z";

/// `PRAGMA integrity_check` and `foreign_key_check` are clean.
pub(crate) fn assert_sound(conn: &Connection) {
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let broken: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(broken, None);
}

#[test]
fn migrations_apply_once_and_newer_schemas_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    Ledger::open(&path, NOW).unwrap();
    let ledger = Ledger::open(&path, NOW).unwrap();
    let versions: i64 = ledger
        .conn()
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, SCHEMA_VERSION);
    assert_sound(ledger.conn());
    let fk: i64 = ledger
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are enforced");
    ledger
        .conn()
        .execute(
            "INSERT INTO schema_migrations VALUES (99, ?1, 'future')",
            [NOW],
        )
        .unwrap();
    drop(ledger);
    let err = Ledger::open(&path, NOW).err().unwrap();
    assert!(matches!(err, Error::NewerLedger { found: 99, .. }), "{err}");
    assert_eq!(
        err.hint(),
        Some("upgrade handover to the version that wrote it")
    );
}

#[test]
fn foreign_keys_refuse_a_member_without_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
    let err = ledger
        .conn()
        .execute(
            "INSERT INTO members (member_id, row, decision) VALUES ('M1', 2, 42)",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn evidence_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
    let conn = ledger.conn();
    conn.execute(
        "INSERT INTO evidence (member_id, event, at, source, recorded_at)
         VALUES ('M1', 'objected', ?1, 'operator', ?1)",
        [NOW],
    )
    .unwrap();
    assert!(conn.execute("UPDATE evidence SET event = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM evidence", []).is_err());
    assert_eq!(
        ledger.withdrawals().unwrap().get("M1"),
        Some(&Withdrawal::Objected)
    );
}

#[test]
fn a_declined_opt_in_does_not_withdraw_the_member() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
    ledger
        .conn()
        .execute_batch(
            "INSERT INTO evidence (member_id, event, at, source, recorded_at, changes)
             VALUES ('M1', 'declined', 'T', 'csv', 'T', 'abc123'),
                    ('M2', 'declined', 'T', 'csv', 'T', '');",
        )
        .unwrap();
    let w = ledger.withdrawals().unwrap();
    assert_eq!(w.get("M1"), None);
    assert_eq!(w.get("M2"), Some(&Withdrawal::Declined));
}

#[cfg(unix)]
#[test]
fn the_ledger_and_its_sidecars_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let ledger = Ledger::open(&path, NOW).unwrap();
    ledger
        .conn()
        .execute_batch("INSERT INTO signoffs (pin, by, at) SELECT 1, 'x', 'y' WHERE 0")
        .unwrap();
    for name in ["l.db", "l.db-wal", "l.db-shm"] {
        let mode = std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[test]
fn a_second_writer_is_refused_with_the_holders_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut first = Ledger::open(&path, NOW).unwrap();
    let mut second = Ledger::open(&path, NOW).unwrap();
    second
        .conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let held = first.write("plan").unwrap();
    let err = second.write("record").err().unwrap();
    assert_eq!(err.exit(), crate::error::Exit::Refused);
    let text = err.to_string();
    assert!(
        text.starts_with("another handover command is using this case (handover plan, pid "),
        "{text}"
    );
    // Readers are not blocked by the writer.
    assert_eq!(second.count("members").unwrap(), 0);
    drop(held);
    assert!(
        !sidecar(&path, ".lock").exists(),
        "the lock note goes with the lock"
    );
    second.write("record").unwrap().commit().unwrap();
}

#[test]
fn address_keys_ignore_case_and_depend_on_the_case_secret() {
    let dir = tempfile::tempdir().unwrap();
    let a = Ledger::open(&dir.path().join("a.db"), NOW).unwrap();
    let b = Ledger::open(&dir.path().join("b.db"), NOW).unwrap();
    let long = format!("{}@example.jp", "Taro".repeat(40));
    assert_eq!(
        a.hash_key().address(&long),
        a.hash_key().address(&long.to_lowercase())
    );
    assert_ne!(
        a.hash_key().address("taro@example.jp"),
        a.hash_key().address("taro1@example.jp")
    );
    assert_ne!(
        a.hash_key().address("taro@example.jp"),
        b.hash_key().address("taro@example.jp"),
        "a per-case key: the same address hashes differently in another case"
    );
}

#[test]
fn evidence_moves_states_once_and_replays_record_nothing() {
    use crate::machine::Event;
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
    ledger
        .conn()
        .execute_batch(
            "INSERT INTO decisions (id, decision, channel, reason, rules, changes)
                 VALUES (1, 'notify', 'email', 'r', 'x.notice', '');
             INSERT INTO members (member_id, row, decision) VALUES ('M1', 2, 1);",
        )
        .unwrap();
    let mut w = ledger.write("record").unwrap();
    let at: jiff::Timestamp = NOW.parse().unwrap();
    let e = |event, key| evidence::NewEvidence {
        member_id: "M1",
        event,
        at,
        source: "csv",
        detail: "",
        dedupe_key: key,
        source_file: Some("events.csv"),
        source_line: Some(2),
        raw_sha256: None,
        message_id: None,
        notice: None,
        changes: "",
    };
    let conn = w.conn();
    let sent = evidence::add(conn, &e(Event::Sent, "k1"), NOW).unwrap();
    assert!(
        matches!(
            sent,
            evidence::Applied::Recorded {
                from: crate::model::State::Pending,
                to: crate::model::State::Sent,
                ..
            }
        ),
        "{sent:?}"
    );
    assert_eq!(
        evidence::add(conn, &e(Event::Sent, "k1"), NOW).unwrap(),
        evidence::Applied::Replay
    );
    let again = evidence::add(conn, &e(Event::Sent, "k2"), NOW).unwrap();
    assert!(
        matches!(again, evidence::Applied::Refused { .. }),
        "{again:?}"
    );
    let unknown = evidence::NewEvidence {
        member_id: "M9",
        ..e(Event::Delivered, "k3")
    };
    assert_eq!(
        evidence::add(conn, &unknown, NOW).unwrap(),
        evidence::Applied::UnknownMember
    );
    w.commit().unwrap();
    assert_eq!(ledger.count("evidence").unwrap(), 2);
    let state: String = ledger
        .conn()
        .query_row(
            "SELECT state FROM member_decisions WHERE member_id = 'M1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(state, "sent");
    assert_sound(ledger.conn());
}

#[test]
fn a_row_key_tells_where_fields_end_and_long_rows_hash_alike_either_way() {
    let key = HashKey::for_tests();
    let row = |fields: &[&str]| csv::ByteRecord::from(fields.to_vec());
    assert_ne!(
        key.record(&row(&["ab", "c"])),
        key.record(&row(&["a", "bc"]))
    );
    assert_eq!(
        key.record(&row(&["a", "bc"])),
        key.record(&row(&["a", "bc"]))
    );
    // A row too long for the one-write buffer takes the streaming path; both must agree
    // with hashing the same bytes by hand.
    let long = "x".repeat(2000);
    let fields = ["M1", long.as_str(), "z"];
    let by_hand = {
        use std::hash::Hasher;
        let mut h = siphasher::sip::SipHasher13::new_with_key(&[7; 16]);
        h.write(format!("M1{long}z").as_bytes());
        for end in [2u16, 2002, 2003] {
            h.write(&end.to_le_bytes());
        }
        h.finish() as i64
    };
    assert_eq!(key.record(&row(&fields)), by_hand);
    let short_by_hand = {
        use std::hash::Hasher;
        let mut h = siphasher::sip::SipHasher13::new_with_key(&[7; 16]);
        h.write(b"M1yz");
        for end in [2u16, 3, 4] {
            h.write(&end.to_le_bytes());
        }
        h.finish() as i64
    };
    assert_eq!(key.record(&row(&["M1", "y", "z"])), short_by_hand);
    // Gathered on one thread and hashed on another, as `plan` does: the same key.
    for fields in [&["M1", "y", "z"][..], &fields[..]] {
        let mut input = Vec::new();
        HashKey::record_input(&row(fields), &mut input);
        assert_eq!(key.bytes(&input), key.record(&row(fields)));
    }
}

#[test]
fn a_v2_ledger_gains_the_row_index_and_export_reads_members_in_row_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let ledger = Ledger::open(&path, NOW).unwrap();
    // Member ids out of row order, one told (with a notice and a delivery), one with an answer.
    ledger
        .conn()
        .execute_batch(
            "INSERT INTO case_pin (id, planned_at, case_sha256, current_path, current_sha256,
                 acquirer_path, acquirer_sha256, packs, members_sha256, members,
                 notice_period_days, tool_version)
                 VALUES (1, '2026-12-01T09:00:00Z', '', '', '', '', '', '[]', '', 3, 30, 't');
             INSERT INTO decisions (id, decision, channel, reason, rules, changes, opt_in)
                 VALUES (1, 'notify', 'email', 'r', 'x.notice', '', 'c1'),
                        (2, 'transfer', '', 't', 'x.ok', '', '');
             INSERT INTO members (member_id, row, decision, fingerprint)
                 VALUES ('M3', 2, 2, 30), ('M1', 3, 1, 10), ('M2', 5, 1, NULL);
             INSERT INTO member_states (member_id, decision, channel, state, since, told_at)
                 VALUES ('M1', 'notify', 'email', 'delivered', '2026-12-02T00:00:00Z',
                         '2026-12-02T00:00:00Z');
             INSERT INTO notices (notice_key, pin, version, member_id, kind, channel,
                 template_sha256, current_sha256, acquirer_sha256, state, created_at)
                 VALUES ('nk-1', 1, 1, 'M1', 'notice', 'email', '', '', '', 'sent', 'x');
             INSERT INTO evidence (member_id, event, at, source, recorded_at, changes)
                 VALUES ('M1', 'delivered', '2026-12-02T00:05:00Z', 'csv', 'x', ''),
                        ('M2', 'consented', '2026-12-03T00:00:00Z', 'csv', 'x', 'c1');",
        )
        .unwrap();
    // As schema 2 left it: no index, no version 3.
    ledger
        .conn()
        .execute_batch("DROP INDEX members_row; DELETE FROM schema_migrations WHERE version >= 3")
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(&path, NOW).unwrap();
    let version: i64 = ledger
        .conn()
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    // The index covers what the export reads in row order: no sort, no look-up by id.
    let mut stmt = ledger
        .conn()
        .prepare(
            "EXPLAIN QUERY PLAN \
             SELECT member_id, row, fingerprint, decision FROM members ORDER BY row",
        )
        .unwrap();
    let plan: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(plan, ["SCAN members USING COVERING INDEX members_row"]);
    drop(stmt);
    // A plan drops the index (it would slow every plan); the export builds it again.
    ledger
        .conn()
        .execute_batch("DROP INDEX members_row")
        .unwrap();
    let indexed = |ledger: &Ledger| -> bool {
        ledger
            .conn()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'members_row')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(!indexed(&ledger));
    let mut seen = Vec::new();
    let planned_at = "2026-12-01T09:00:00Z".parse().unwrap();
    ledger
        .each_planned_member(planned_at, |m| {
            seen.push(format!(
                "{} {} {:?} {} {} [{}] [{}] [{}] {:?} {:?}",
                m.row,
                m.member_id,
                m.fingerprint,
                m.decision.as_str(),
                m.opt_in,
                m.answers,
                m.notice_key,
                m.delivered_at,
                m.track.state,
                m.track.told_at.map(|t| t.to_string()),
            ));
            Ok(true)
        })
        .unwrap();
    assert_eq!(
        seen,
        [
            "2 M3 Some(30) transfer  [] [] [] Ready None",
            "3 M1 Some(10) notify c1 [] [nk-1] [2026-12-02T00:05:00Z] Delivered Some(\"2026-12-02T00:00:00Z\")",
            "5 M2 None notify c1 [consented=c1] [] [] Pending None",
        ]
    );
    assert!(indexed(&ledger), "the export rebuilt its index");
    assert_sound(ledger.conn());
}

#[test]
fn members_added_in_chunks_report_duplicates_as_row_by_row_inserts_do() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("l.db"), NOW).unwrap();
    let conn = ledger.conn();
    conn.execute_batch(
        "INSERT INTO decisions (id, decision, channel, reason, rules, changes, opt_in)
             VALUES (1, 'transfer', '', 't', 'x.ok', '', '')",
    )
    .unwrap();
    // 200 rows: two full chunks with a repeated id inside each, and a short tail with one.
    let mut ids: Vec<String> = (0..200).map(|i| format!("M{i}")).collect();
    ids[70] = "M3".to_string();
    ids[100] = "M99".to_string();
    ids[190] = "M150".to_string();
    let rows: Vec<MemberRow<'_>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| MemberRow {
            member_id: id,
            row: i as u64 + 2,
            email_key: Some(i as i64),
            fingerprint: -(i as i64),
            decision: 1,
        })
        .collect();
    let mut load = Load::begin(conn).unwrap();
    let mut found = Vec::new();
    load.insert_many(&rows, &mut |i, d| found.push((i, d.first_row)))
        .unwrap();
    // (index in `rows`, first row of the id): M3 first at row 5, M99 at row 101, M150 at 152.
    assert_eq!(found, [(70, 5), (100, 101), (190, 152)]);
    drop(load);
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 197);
    let m3: (i64, i64) = conn
        .query_row(
            "SELECT row, fingerprint FROM members WHERE member_id = 'M3'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(m3, (5, -3), "the first row of an id is kept");
    assert_sound(conn);
}

/// A ledger with 300 members (notify and consent by email, two with a recorded state, one
/// of them reached under another channel), for the batch test.
fn members_ledger(path: &Path) -> Ledger {
    let ledger = Ledger::open(path, NOW).unwrap();
    let mut sql = String::from(
        "INSERT INTO decisions (id, decision, channel, reason, rules, changes)
             VALUES (1, 'notify', 'email', 'r', 'x.notice', ''),
                    (2, 'consent', 'email', 'r', 'x.consent', '');",
    );
    for k in 0..300 {
        sql.push_str(&format!(
            "INSERT INTO members (member_id, row, decision) VALUES ('M{k:03}', {}, {});",
            k + 2,
            1 + (k % 7 == 6) as i64
        ));
    }
    sql.push_str(
        "INSERT INTO member_states (member_id, decision, channel, state, since)
             VALUES ('M010', 'notify', 'email', 'sent', '2026-11-30T08:00:00Z'),
                    ('M020', 'notify', 'site-notice', 'site-notice', '2026-11-30T08:00:00Z');",
    );
    ledger.conn().execute_batch(&sql).unwrap();
    ledger
}

/// Every row of `evidence` and `member_states`, as text.
fn rows(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id, member_id, event, at, source, detail, recorded_at, dedupe_key, source_file,
                source_line, raw_sha256, message_id, notice, changes FROM evidence ORDER BY id",
        "SELECT member_id, decision, channel, state, since, told_at, evidence, NULL, NULL, NULL,
                NULL, NULL, NULL, NULL FROM member_states ORDER BY member_id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..14)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(cells.join("|"));
        }
    }
    out
}

/// An event of the batch test: member, event, time, replay key, opt-ins answered.
type Planned = (
    String,
    crate::machine::Event,
    jiff::Timestamp,
    String,
    &'static str,
);

fn new(e: &Planned) -> evidence::NewEvidence<'_> {
    let (member, event, at, key, changes) = e;
    evidence::NewEvidence {
        member_id: member,
        event: *event,
        at: *at,
        source: "csv",
        detail: "",
        dedupe_key: key,
        source_file: Some("events.csv"),
        source_line: Some(2),
        raw_sha256: Some("ab"),
        message_id: None,
        notice: None,
        changes,
    }
}

#[test]
fn a_batch_leaves_what_events_added_one_at_a_time_leave() {
    use crate::machine::Event;
    // Each member's events are spread over the batch, several per member, with replays
    // (a key seen before), refusals, opt-in answers, an unknown member, and members whose
    // recorded state holds or does not.
    let plans: [&[Event]; 6] = [
        &[Event::Sent, Event::Delivered, Event::Deferred],
        &[Event::Sent, Event::Bounced, Event::SiteNotice],
        &[Event::Delivered, Event::Sent, Event::Objected],
        &[
            Event::Sent,
            Event::Sent,
            Event::Complained,
            Event::Unsubscribed,
        ],
        &[
            Event::Sent,
            Event::Consented,
            Event::Declined,
            Event::Deleted,
        ],
        &[Event::Uncertain, Event::ResolvedSent, Event::Delivered],
    ];
    let base: jiff::Timestamp = NOW.parse().unwrap();
    let mut events: Vec<Planned> = Vec::new();
    for round in 0..4 {
        for k in (0..301).rev() {
            let plan = plans[k % plans.len()];
            let Some(&event) = plan.get(round) else {
                continue;
            };
            // Member 3's second `sent` replays its first (same key).
            let key = if k % plans.len() == 3 && round == 1 {
                format!("k:{k}:0")
            } else {
                format!("k:{k}:{round}")
            };
            let changes = if event == Event::Declined { "c1" } else { "" };
            let at = base
                .checked_add(jiff::SignedDuration::from_secs((round * 60 + k) as i64))
                .unwrap();
            events.push((format!("M{k:03}"), event, at, key, changes));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut one = members_ledger(&dir.path().join("one.db"));
    let mut batched = members_ledger(&dir.path().join("batch.db"));
    let w = one.write("record").unwrap();
    let singly: Vec<_> = events
        .iter()
        .map(|e| evidence::add(w.ledger().conn(), &new(e), NOW).unwrap())
        .collect();
    w.commit().unwrap();
    let mut w = batched.write("record").unwrap();
    let conn: &Connection = w.conn();
    let mut batch = evidence::Batch::new(conn, NOW).unwrap();
    let together: Vec<_> = events.iter().map(|e| batch.add(&new(e)).unwrap()).collect();
    batch.finish().unwrap();
    w.commit().unwrap();
    assert_eq!(singly, together);
    assert!(singly.contains(&evidence::Applied::Replay));
    assert!(singly.contains(&evidence::Applied::UnknownMember));
    assert!(singly
        .iter()
        .any(|a| matches!(a, evidence::Applied::Refused { .. })));
    let moved = rows(one.conn());
    assert_eq!(moved, rows(batched.conn()));
    assert!(moved.len() > events.len(), "states were written");
    assert_sound(batched.conn());
}
