//! Prepares a planned ledger for the `handover record` benchmark and writes the events.
//!
//! ```sh
//! cargo run --release --example gen_events -- --ledger handover.db --members members.csv \
//!     --events 1000000 --format ses --out events.jsonl
//! ```
//!
//! It stands in for `handover notify`: for every member of the plan whose channel is `email`
//! it inserts a `notices` row (notice key = 32 hex digits of the member's position, Message-ID
//! `{key}@metropolis.example`, the keyed address hash) and records `sent` through
//! `handover::ledger::evidence::add`, in batches. Then it writes `--events` provider events
//! for those members, cycling through them: SES `Delivery` events carrying the notice's
//! Message-ID on the first round, transient bounces on later rounds (`--format ses`, JSON
//! lines as Firehose writes them); or generic CSV rows by member id (`--format csv`).
//! Deterministic: the same inputs give the same files.
use std::collections::HashMap;
use std::io::{BufWriter, Write};

use handover::ledger::evidence::{add, NewEvidence};
use handover::machine::Event;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let ledger = arg(&args, "--ledger").ok_or("--ledger DB is required")?;
    let members = arg(&args, "--members").ok_or("--members CSV is required")?;
    let events: u64 = arg(&args, "--events").unwrap_or("1000000".into()).parse()?;
    let format = arg(&args, "--format").unwrap_or("ses".into());
    let out = arg(&args, "--out").ok_or("--out FILE is required")?;
    let sent_at = "2026-12-01T10:00:00Z";

    let key = handover::ledger::Ledger::open(ledger.as_ref(), sent_at)?.hash_key();
    let mut conn = rusqlite::Connection::open(&ledger)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    let pin: i64 = conn.query_row("SELECT MAX(id) FROM case_pin", [], |r| r.get(0))?;
    let email_members: std::collections::HashSet<String> = conn
        .prepare("SELECT member_id FROM member_decisions WHERE channel = 'email'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;

    // The members' addresses, in file order.
    let mut reader = csv::Reader::from_path(&members)?;
    let header = reader.headers()?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (id_col, email_col) = (
        col("member_id").ok_or("no member_id column")?,
        col("email").ok_or("no email column")?,
    );
    let mut targets: Vec<(String, String, String)> = Vec::new();
    let mut seen = HashMap::new();
    for record in reader.records() {
        let record = record?;
        let id = record[id_col].to_string();
        if !email_members.contains(&id) {
            continue;
        }
        // The address the notice went to: `Name <address>` is reduced, as `plan` does.
        let cell = record[email_col].trim();
        let address = handover::email::check_reducing(cell)
            .map_or(cell, |(address, _)| address)
            .to_string();
        let n = targets.len() + 1;
        let message_id = format!("{n:032x}@metropolis.example");
        seen.insert(id.clone(), n);
        targets.push((id, address, message_id));
    }
    let already: i64 = conn.query_row("SELECT COUNT(*) FROM notices", [], |r| r.get(0))?;
    if already == 0 {
        for chunk in targets.chunks(20_000) {
            let tx = conn.transaction()?;
            for (id, address, message_id) in chunk {
                let notice_key = &message_id[..32];
                tx.execute(
                    "INSERT INTO notices (notice_key, pin, version, member_id, kind, channel,
                         address_key, message_id, template_sha256, current_sha256,
                         acquirer_sha256, state, attempts, created_at, sent_at)
                     VALUES (?1, ?2, ?2, ?3, 'notice', 'email', ?4, ?5, 't', 'c', 'a', 'sent', 1,
                         ?6, ?6)",
                    rusqlite::params![
                        notice_key,
                        pin,
                        id,
                        key.address(address),
                        message_id,
                        sent_at
                    ],
                )?;
                let notice = tx.last_insert_rowid();
                let dedupe = format!("notice:{notice_key}:sent");
                add(
                    &tx,
                    &NewEvidence {
                        member_id: id,
                        event: Event::Sent,
                        at: sent_at.parse()?,
                        source: "smtp",
                        detail: "",
                        dedupe_key: &dedupe,
                        source_file: None,
                        source_line: None,
                        raw_sha256: None,
                        message_id: Some(message_id),
                        notice: Some(notice),
                        changes: "",
                    },
                    sent_at,
                )?;
            }
            tx.commit()?;
        }
    }

    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?);
    if format == "csv" {
        writeln!(w, "member_id,email,event,at,message_id,detail")?;
    }
    for i in 0..events {
        let round = i / targets.len() as u64;
        let (id, address, message_id) = &targets[(i % targets.len() as u64) as usize];
        let second = 1796119202 + (i % 86_000);
        let at = jiff::Timestamp::from_second(second as i64)?;
        match (format.as_str(), round) {
            ("csv", 0) => writeln!(w, "{id},,delivered,{at},<{message_id}>,")?,
            ("csv", _) => writeln!(w, "{id},,deferred,{at},,round-{round}")?,
            (_, 0) => writeln!(
                w,
                r#"{{"eventType":"Delivery","mail":{{"timestamp":"2026-12-01T10:00:00.000Z","source":"privacy@metropolis.example","sendingAccountId":"123456789012","messageId":"0100018c-{i:012x}-000000","destination":["{address}"],"headersTruncated":false,"commonHeaders":{{"from":["privacy@metropolis.example"],"to":["{address}"],"messageId":"<{message_id}>","subject":"Notice of transfer"}}}},"delivery":{{"timestamp":"{at}","processingTimeMillis":1200,"recipients":["{address}"],"smtpResponse":"250 2.6.0 Message received","reportingMTA":"a8-30.smtp-out.amazonses.com"}}}}"#
            )?,
            _ => writeln!(
                w,
                r#"{{"eventType":"Bounce","mail":{{"timestamp":"2026-12-01T10:00:00.000Z","source":"privacy@metropolis.example","messageId":"0100018c-{i:012x}-000000","destination":["{address}"],"commonHeaders":{{"messageId":"<{message_id}>"}}}},"bounce":{{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{{"emailAddress":"{address}","status":"4.2.2"}}],"timestamp":"{at}","feedbackId":"fb-{i:012x}"}}}}"#
            )?,
        }
    }
    w.flush()?;
    eprintln!(
        "{} members with an email notice; {events} {format} events written to {out}",
        targets.len()
    );
    let _ = seen;
    Ok(())
}
