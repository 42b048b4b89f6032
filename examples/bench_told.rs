//! Marks every member of a planned ledger as told and answered, for `bench/export.sh`: the
//! `notify` members delivered, the `consent` members consented, all at the plan's date, so an
//! export after the notice window finds them `ready`.
//!
//! ```sh
//! cargo run --release --example bench_told -- bench/out/ledger-1000000.db
//! ```
//!
//! A benchmark shortcut only: real evidence goes through `handover record`, one event at a
//! time, into the append-only `evidence` table.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bench_told LEDGER.db")?;
    let conn = rusqlite::Connection::open(path)?;
    let changed = conn.execute(
        "INSERT OR REPLACE INTO member_states
             (member_id, decision, channel, state, since, told_at)
         SELECT m.member_id, d.decision, d.channel,
                CASE d.decision WHEN 'consent' THEN 'consented' ELSE 'delivered' END,
                p.planned_at, p.planned_at
         FROM members m JOIN decisions d ON d.id = m.decision,
              (SELECT planned_at FROM case_pin ORDER BY id DESC LIMIT 1) p
         WHERE d.decision IN ('notify', 'consent')",
        [],
    )?;
    println!("{changed} members marked as told");
    Ok(())
}
