//! The questions and writes of `handover record`: finding the member an event is about, and
//! recording the prominent site notice. All of its SQL lives here.
//!
//! Matching (see [`crate::record`]): a notice by its Message-ID (`notices.message_id`, stored
//! without angle brackets), a member by id, an address by its keyed hash, first against
//! `notices.address_key` (indexed), then, for the addresses still unknown, in one scan of
//! `members.email_key` ([`Ledger::members_by_address`]).
use rusqlite::{params, CachedStatement, Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet};

use super::Ledger;
use crate::error::Result;

/// A notice found by its Message-ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoticeMatch {
    /// `notices.id`.
    pub(crate) id: i64,
    /// Its member.
    pub(crate) member_id: String,
}

/// Who an address belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    /// One member.
    Member(String),
    /// Several members share it (never guessed between).
    Shared,
}

/// The questions asked for every event, taken from the statement cache once per batch or
/// file instead of once per event.
pub(crate) struct Lookups<'c> {
    notice: CachedStatement<'c>,
    is_notice: CachedStatement<'c>,
    member: CachedStatement<'c>,
}

impl<'c> Lookups<'c> {
    pub(crate) fn new(conn: &'c Connection) -> rusqlite::Result<Lookups<'c>> {
        Ok(Lookups {
            notice: conn
                .prepare_cached("SELECT id, member_id FROM notices WHERE message_id = ?1")?,
            // The unique index answers it alone.
            is_notice: conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM notices WHERE message_id = ?1)")?,
            member: conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM members WHERE member_id = ?1)")?,
        })
    }

    /// The notice sent with this Message-ID (without angle brackets).
    pub(crate) fn notice_by_message_id(
        &mut self,
        message_id: &str,
    ) -> rusqlite::Result<Option<NoticeMatch>> {
        self.notice
            .query_row([message_id], |r| {
                Ok(NoticeMatch {
                    id: r.get(0)?,
                    member_id: r.get(1)?,
                })
            })
            .optional()
    }

    /// Whether a notice was sent with this Message-ID (without angle brackets).
    pub(crate) fn is_message_id(&mut self, message_id: &str) -> rusqlite::Result<bool> {
        self.is_notice.query_row([message_id], |r| r.get(0))
    }

    /// Whether the member is in the plan in force.
    pub(crate) fn is_member(&mut self, member_id: &str) -> rusqlite::Result<bool> {
        self.member.query_row([member_id], |r| r.get(0))
    }
}

/// The member whose notices went to this address key: `None` when no notice did.
pub(crate) fn notice_owner(conn: &Connection, key: i64) -> rusqlite::Result<Option<Owner>> {
    let mut stmt = conn
        .prepare_cached("SELECT DISTINCT member_id FROM notices WHERE address_key = ?1 LIMIT 2")?;
    let mut rows = stmt.query([key])?;
    let Some(first) = rows.next()? else {
        return Ok(None);
    };
    let member: String = first.get(0)?;
    Ok(Some(if rows.next()?.is_some() {
        Owner::Shared
    } else {
        Owner::Member(member)
    }))
}

impl Ledger {
    /// The owners of `keys` among the members of the plan in force, in one scan of
    /// `members` (the column is not indexed, see the module doc of [`super`]).
    pub(crate) fn members_by_address(
        &self,
        keys: &FxHashSet<i64>,
    ) -> Result<FxHashMap<i64, Owner>> {
        let err = self.err();
        let mut out = FxHashMap::default();
        if keys.is_empty() {
            return Ok(out);
        }
        let mut stmt = self
            .conn()
            .prepare("SELECT email_key, member_id FROM members WHERE email_key IS NOT NULL")
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let key: i64 = row.get(0).map_err(&err)?;
            if !keys.contains(&key) {
                continue;
            }
            let member: String = row.get(1).map_err(&err)?;
            out.entry(key)
                .and_modify(|o| *o = Owner::Shared)
                .or_insert(Owner::Member(member));
        }
        Ok(out)
    }
}

/// A site-notice target: a member and when its state was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) member_id: String,
    pub(crate) state: String,
    pub(crate) since: Option<String>,
}

/// Records the posting (idempotent on URL and time); returns whether it is new. A posting
/// recorded without an end may be given one later; a different end is an error the caller
/// reports (`Err(Some(existing))`).
pub(crate) fn post_site_notice(
    conn: &Connection,
    pin: i64,
    url: &str,
    posted_at: &str,
    until: Option<&str>,
    recorded_at: &str,
) -> rusqlite::Result<std::result::Result<bool, Option<String>>> {
    let existing: Option<Option<String>> = conn
        .query_row(
            "SELECT until FROM site_notices WHERE url = ?1 AND posted_at = ?2",
            params![url, posted_at],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        None => {
            conn.execute(
                "INSERT INTO site_notices (pin, url, posted_at, until, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![pin, url, posted_at, until, recorded_at],
            )?;
            Ok(Ok(true))
        }
        Some(before) if before.as_deref() == until || until.is_none() => Ok(Ok(false)),
        Some(None) => {
            conn.execute(
                "UPDATE site_notices SET until = ?3 WHERE url = ?1 AND posted_at = ?2",
                params![url, posted_at, until],
            )?;
            Ok(Ok(false))
        }
        Some(before) => Ok(Err(before)),
    }
}

/// The next `limit` members after `after` (member id order) that a site notice tells: those
/// on the `site-notice` channel still `pending`, and `notify` members whose notice bounced.
pub(crate) fn site_notice_targets(
    conn: &Connection,
    after: &str,
    limit: usize,
) -> rusqlite::Result<Vec<Target>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member_id, state, state_since FROM member_decisions
         WHERE member_id > ?1
           AND ((channel = 'site-notice' AND state = 'pending')
                OR (decision = 'notify' AND state = 'bounced'))
         ORDER BY member_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit as i64], |r| {
        Ok(Target {
            member_id: r.get(0)?,
            state: r.get(1)?,
            since: r.get(2)?,
        })
    })?;
    rows.collect()
}
