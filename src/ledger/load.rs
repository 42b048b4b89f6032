//! Writing a plan into the ledger: members, reviews, decisions and the pin, inside the
//! transaction that [`super::Ledger::write`] opened.
//!
//! The first plan inserts members straight into `members`. A re-plan loads them into a
//! temporary table first, so that it can tell who was added, removed or changed (by the
//! keyed fingerprint of each row) before it replaces `members`; nothing is renamed or dropped
//! that a view, an index or a later migration depends on.
//!
//! Members go in [`CHUNK`] rows to an `INSERT` ([`Load::insert_many`]): stepping one
//! statement per row was most of the writer thread's time, and with it `plan` was about 5%
//! slower than 0.1.0; in chunks it is about 12% faster (paired runs at a million members).
use rusqlite::{params, Connection};

use super::{decision_fields, Pin};
use crate::decide::Decision;

/// How many member ids of each kind a [`MemberChanges`] keeps as examples.
const EXAMPLES: usize = 5;

/// Members per multi-row `INSERT` ([`Load::insert_many`]): one statement step for this many
/// rows instead of one each (5 parameters a row, well under SQLite's limit of 32,766).
pub(crate) const CHUNK: usize = 64;

/// A member row for [`Load::insert_many`].
pub(crate) struct MemberRow<'a> {
    pub member_id: &'a str,
    pub row: u64,
    pub email_key: Option<i64>,
    pub fingerprint: i64,
    pub decision: i64,
}

/// Who a re-plan adds, removes or changes, against the plan in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberChanges {
    /// Members only the new members file has.
    pub added: u64,
    /// Members only the plan in force has.
    pub removed: u64,
    /// Members whose row changed.
    pub changed: u64,
    /// Up to five member ids of each: added, removed, changed.
    pub examples: [Vec<String>; 3],
}

impl MemberChanges {
    /// Whether the set of members or any member's row changed.
    pub fn any(&self) -> bool {
        self.added + self.removed + self.changed > 0
    }

    /// `3 added (M1, M2, M3), 1 removed (M9)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (n, what, examples) in [
            (self.added, "added", &self.examples[0]),
            (self.removed, "removed", &self.examples[1]),
            (self.changed, "changed", &self.examples[2]),
        ] {
            if n > 0 {
                let more = if n > examples.len() as u64 {
                    ", ..."
                } else {
                    ""
                };
                parts.push(format!("{n} {what} ({}{more})", examples.join(", ")));
            }
        }
        parts.join(", ")
    }
}

/// Writes a plan's members: [`Load::begin`], [`Load::insert_many`] per batch, [`Load::finish`].
pub(crate) struct Load<'c> {
    insert: rusqlite::Statement<'c>,
    /// [`CHUNK`] rows in one statement.
    insert_chunk: rusqlite::Statement<'c>,
    find: rusqlite::Statement<'c>,
    review: rusqlite::Statement<'c>,
    /// Whether a previous plan's members are being replaced (rows go to a temporary table).
    replacing: bool,
}

/// A duplicate member id: the row that had it first.
pub(crate) struct Duplicate {
    pub first_row: u64,
}

impl<'c> Load<'c> {
    /// Prepares the statements; a previous plan's members stay until [`Load::finish`].
    pub(crate) fn begin(conn: &'c Connection) -> rusqlite::Result<Load<'c>> {
        let replacing: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM members)", [], |r| r.get(0))?;
        let table = if replacing {
            conn.execute_batch(
                "DROP TABLE IF EXISTS temp.plan_members;
                 CREATE TEMP TABLE plan_members (
                     member_id TEXT PRIMARY KEY NOT NULL,
                     row INTEGER NOT NULL,
                     email_key INTEGER,
                     decision INTEGER NOT NULL,
                     fingerprint INTEGER
                 ) WITHOUT ROWID;",
            )?;
            "temp.plan_members"
        } else {
            "members"
        };
        // The export's index is the export's to build (see the module doc of `ledger`).
        conn.execute_batch("DELETE FROM reviews; DROP INDEX IF EXISTS members_row;")?;
        let tuples = vec!["(?, ?, ?, ?, ?)"; CHUNK].join(", ");
        Ok(Load {
            insert: conn.prepare(&format!(
                "INSERT INTO {table} (member_id, row, email_key, decision, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5)"
            ))?,
            insert_chunk: conn.prepare(&format!(
                "INSERT INTO {table} (member_id, row, email_key, decision, fingerprint)
                 VALUES {tuples}"
            ))?,
            // A second flag on the same row joins the first (`;`-separated), never replaces it.
            review: conn.prepare(
                "INSERT INTO reviews (member_id, row, review) VALUES (?1, ?2, ?3)
                 ON CONFLICT (member_id) DO UPDATE SET review = review || ';' || excluded.review",
            )?,
            find: conn.prepare(&format!("SELECT row FROM {table} WHERE member_id = ?1"))?,
            replacing,
        })
    }

    /// Adds one member; a duplicate id is not added and names the first row.
    fn insert_one(&mut self, r: &MemberRow<'_>) -> rusqlite::Result<Option<Duplicate>> {
        let values = params![r.member_id, r.row, r.email_key, r.decision, r.fingerprint];
        match self.insert.execute(values) {
            Ok(_) => Ok(None),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let first_row = self.find.query_row([r.member_id], |r| r.get(0))?;
                Ok(Some(Duplicate { first_row }))
            }
            Err(e) => Err(e),
        }
    }

    /// Adds members in order, [`CHUNK`] to a statement; `duplicate` gets the index (in
    /// `rows`) of each row whose id an earlier row had, and that first row. A chunk with a
    /// duplicate inside fails as a whole (SQLite undoes the statement) and is added row by
    /// row instead, so the outcome is that of adding each row in turn.
    pub(crate) fn insert_many(
        &mut self,
        rows: &[MemberRow<'_>],
        duplicate: &mut dyn FnMut(usize, Duplicate),
    ) -> rusqlite::Result<()> {
        let mut start = 0;
        while start < rows.len() {
            let chunk = &rows[start..rows.len().min(start + CHUNK)];
            if chunk.len() == CHUNK {
                for (i, r) in chunk.iter().enumerate() {
                    let at = i * 5 + 1;
                    self.insert_chunk.raw_bind_parameter(at, r.member_id)?;
                    self.insert_chunk.raw_bind_parameter(at + 1, r.row as i64)?;
                    self.insert_chunk.raw_bind_parameter(at + 2, r.email_key)?;
                    self.insert_chunk.raw_bind_parameter(at + 3, r.decision)?;
                    self.insert_chunk
                        .raw_bind_parameter(at + 4, r.fingerprint)?;
                }
                match self.insert_chunk.raw_execute() {
                    Ok(_) => {
                        start += CHUNK;
                        continue;
                    }
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
                    Err(e) => return Err(e),
                }
            }
            for (i, r) in chunk.iter().enumerate() {
                if let Some(d) = self.insert_one(r)? {
                    duplicate(start + i, d);
                }
            }
            start += chunk.len();
        }
        Ok(())
    }

    /// Flags a member for review.
    pub(crate) fn review(
        &mut self,
        member_id: &str,
        row: u64,
        review: &str,
    ) -> rusqlite::Result<()> {
        self.review.execute(params![member_id, row, review])?;
        Ok(())
    }

    /// Who the new members differ from the plan in force by (nothing for a first plan).
    pub(crate) fn changes(&self, conn: &Connection) -> rusqlite::Result<MemberChanges> {
        let mut out = MemberChanges::default();
        if !self.replacing {
            return Ok(out);
        }
        let queries = [
            "SELECT n.member_id FROM temp.plan_members n
             WHERE NOT EXISTS (SELECT 1 FROM members o WHERE o.member_id = n.member_id)
             ORDER BY n.row",
            "SELECT o.member_id FROM members o
             WHERE NOT EXISTS (SELECT 1 FROM temp.plan_members n WHERE n.member_id = o.member_id)
             ORDER BY o.row",
            "SELECT n.member_id FROM temp.plan_members n JOIN members o USING (member_id)
             WHERE o.fingerprint IS NOT NULL AND o.fingerprint != n.fingerprint
             ORDER BY n.row",
        ];
        for (i, sql) in queries.iter().enumerate() {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            let mut n = 0u64;
            while let Some(row) = rows.next()? {
                if out.examples[i].len() < EXAMPLES {
                    out.examples[i].push(row.get(0)?);
                }
                n += 1;
            }
            match i {
                0 => out.added = n,
                1 => out.removed = n,
                _ => out.changed = n,
            }
        }
        Ok(out)
    }

    /// Puts the new members in place of the old ones and trims member states to the members
    /// whose decision and channel they were reached under.
    pub(crate) fn finish(self, conn: &Connection) -> rusqlite::Result<()> {
        let replacing = self.replacing;
        drop(self);
        if replacing {
            conn.execute_batch(
                "DELETE FROM members;
                 INSERT INTO members (member_id, row, email_key, decision, fingerprint)
                     SELECT member_id, row, email_key, decision, fingerprint
                     FROM temp.plan_members;
                 DROP TABLE temp.plan_members;",
            )?;
        }
        conn.execute_batch(
            "DELETE FROM member_states WHERE NOT EXISTS (
                 SELECT 1 FROM members m JOIN decisions d ON d.id = m.decision
                 WHERE m.member_id = member_states.member_id
                   AND d.decision = member_states.decision
                   AND d.channel = member_states.channel)",
        )
    }
}

/// The id of a decision, added if new.
pub(crate) fn decision_id(conn: &Connection, d: &Decision) -> rusqlite::Result<i64> {
    let f = decision_fields(d);
    conn.execute(
        "INSERT OR IGNORE INTO decisions
             (decision, channel, reason, rules, changes, opt_in, consent_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![f[0], f[1], f[2], f[3], f[4], f[5], f[6]],
    )?;
    conn.query_row(
        "SELECT id FROM decisions WHERE decision = ?1 AND channel = ?2 AND reason = ?3
         AND rules = ?4 AND changes = ?5 AND opt_in = ?6 AND consent_by = ?7",
        params![f[0], f[1], f[2], f[3], f[4], f[5], f[6]],
        |r| r.get(0),
    )
}

/// Records a new pin.
pub(crate) fn write_pin(conn: &Connection, pin: &Pin, replan: bool) -> rusqlite::Result<()> {
    let packs: Vec<super::PackPin> = pin
        .packs
        .iter()
        .map(|(id, sha256)| super::PackPin {
            id: id.clone(),
            sha256: sha256.clone(),
        })
        .collect();
    conn.execute(
        "INSERT INTO case_pin (planned_at, case_sha256, current_path, current_sha256,
             acquirer_path, acquirer_sha256, packs, members_sha256, members,
             notice_period_days, tool_version, replan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            pin.planned_at,
            pin.case_sha256,
            pin.current.0,
            pin.current.1,
            pin.acquirer.0,
            pin.acquirer.1,
            serde_json::to_string(&packs).expect("plain strings serialise"),
            pin.members_sha256,
            pin.members,
            pin.notice_period_days,
            env!("CARGO_PKG_VERSION"),
            replan,
        ],
    )?;
    Ok(())
}
