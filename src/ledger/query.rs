//! Questions the later stages ask the ledger (`status` today; `notify`, `record` and `export`
//! next), so that their SQL lives here and nowhere else.
use jiff::Timestamp;
use rusqlite::params;

use super::Ledger;
use crate::error::Result;
use crate::machine::Track;
use crate::model::{DecisionKind, State};

/// A member of the plan in force, as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberState {
    /// The member id.
    pub member_id: String,
    /// The decision.
    pub decision: DecisionKind,
    /// The channel (`email`, `site-notice`, or empty).
    pub channel: String,
    /// The recorded state, when it was entered and when the member was told.
    pub track: Track,
}

/// A row a person should look at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Flagged {
    /// The member id.
    pub member_id: String,
    /// The row in the members file (the header is row 1).
    pub row: u64,
    /// Why: `invalid-email:<code>`, `same-email:<row>:<member id>`, ...
    pub review: String,
}

impl Ledger {
    /// Members per decision, in [`DecisionKind::ALL`] order.
    pub fn decision_counts(&self) -> Result<[u64; 4]> {
        let err = self.err();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT d.decision, COUNT(*) FROM members m JOIN decisions d ON d.id = m.decision
                 GROUP BY d.decision",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        let mut out = [0u64; 4];
        while let Some(row) = rows.next().map_err(&err)? {
            let name: String = row.get(0).map_err(&err)?;
            if let Some(i) = DecisionKind::ALL.iter().position(|k| k.as_str() == name) {
                out[i] = row.get(1).map_err(&err)?;
            }
        }
        Ok(out)
    }

    /// Streams every member of the plan in force with its recorded state, in member id order.
    /// `planned_at` is when a member that evidence never moved entered its first state.
    pub fn each_member(
        &self,
        planned_at: Timestamp,
        mut f: impl FnMut(MemberState) -> Result<()>,
    ) -> Result<()> {
        let err = self.err();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT member_id, decision, channel, state, state_since, told_at
                 FROM member_decisions ORDER BY member_id",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| -> rusqlite::Result<Option<String>> { row.get(i) };
            let time = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
                Ok(text(i)?.and_then(|t| t.parse().ok()))
            };
            let decision: String = row.get(1).map_err(&err)?;
            let state: String = row.get(3).map_err(&err)?;
            f(MemberState {
                member_id: row.get(0).map_err(&err)?,
                decision: DecisionKind::parse(&decision).unwrap_or(DecisionKind::Exclude),
                channel: row.get(2).map_err(&err)?,
                track: Track {
                    state: State::parse(&state).unwrap_or(State::Pending),
                    since: time(4).map_err(&err)?.unwrap_or(planned_at),
                    told_at: time(5).map_err(&err)?,
                },
            })?;
        }
        Ok(())
    }

    /// Rows flagged for review: how many, and the first `limit` (`None`: all) in row order.
    pub fn flagged(&self, limit: Option<usize>) -> Result<(u64, Vec<Flagged>)> {
        let err = self.err();
        let total: u64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
            .map_err(&err)?;
        let mut stmt = self
            .conn()
            .prepare("SELECT member_id, row, review FROM reviews ORDER BY row LIMIT ?1")
            .map_err(&err)?;
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let rows = stmt
            .query_map(params![limit], |r| {
                Ok(Flagged {
                    member_id: r.get(0)?,
                    row: r.get(1)?,
                    review: r.get(2)?,
                })
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(&err)?);
        }
        Ok((total, out))
    }
}
