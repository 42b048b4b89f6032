//! Member decisions: a pure function of the policy diff, the rule packs and the member.
//!
//! [`decide`] answers, for one member, in this order:
//!
//! 1. an objection, deletion or declined consent already in the ledger: `exclude` (reason
//!    `objected`, `deleted`, `declined`; rule `handover.<reason>`);
//! 2. a status in the case's `exclude` list: `exclude` (reason `status:<value>`), a status in
//!    neither list: `exclude` (reason `status-not-transferred`); rule `handover.status`;
//! 3. each pack on its own ([`crate::rules`]): its trigger over the changes in its scope asks
//!    for notice (rule `PACK.notice`; under `scope: affected` the triggering changes are
//!    recorded); a minor under a pack that asks for notice needs consent (`PACK.minors`); each
//!    consent rule whose conditions hold needs consent (`PACK.ID`, with the changes it
//!    matched); carried flags the member has are recorded (`PACK.carry-FLAG`);
//! 4. strictest wins: any consent rule: `consent`; else any notice: `notify`; else `transfer`
//!    (reason `no-practice-change` when the policies state the same practices, else
//!    `no-rule-triggered`);
//! 5. the channel for `notify` and `consent`: `email` when the member has a strictly valid
//!    address and every pack allows email, else `site-notice` when every pack allows it, else
//!    `exclude` (reason `no-channel`).
//!
//! The reason of a decision is the distinct reasons of its deciding rules joined with `+`
//! (`new-purpose+cross-border+minor`). A member's age is taken at the plan's date; an empty
//! birth date is not a minor. Probable duplicate people are decided like anyone else and
//! only flagged (by the planner, which sees all rows).
use jiff::civil::Date;

use crate::case::{Case, Deal};
use crate::compare::{Category, ChangeKind, PracticeChange};
use crate::diff::PolicyDiff;
use crate::rules::{Channel, Flag, Pack, Scope, Trigger};
use crate::taxonomy::Taxonomy;

/// A set of data types: bit `i` is the taxonomy's `i`-th data type (sorted by id).
pub type DataTypes = u64;

/// The four decisions of DESIGN.md section 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DecisionKind {
    /// Not transferred.
    Exclude,
    /// Transferred without notice.
    Transfer,
    /// Transferred after notice.
    Notify,
    /// Transferred only after opt-in.
    Consent,
}

impl DecisionKind {
    /// All kinds, in report order.
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Exclude,
        DecisionKind::Transfer,
        DecisionKind::Notify,
        DecisionKind::Consent,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Exclude => "exclude",
            DecisionKind::Transfer => "transfer",
            DecisionKind::Notify => "notify",
            DecisionKind::Consent => "consent",
        }
    }

    /// The state a member starts in (DESIGN.md section 6): `excluded`, `ready` (nothing to
    /// wait for), or `pending` (a notice or a consent request is due).
    pub fn initial_state(self) -> &'static str {
        match self {
            DecisionKind::Exclude => "excluded",
            DecisionKind::Transfer => "ready",
            DecisionKind::Notify | DecisionKind::Consent => "pending",
        }
    }
}

/// A member's status, classified by the case's status rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<'a> {
    /// In the `transfer` list (or no status rule).
    Transfer,
    /// In the `exclude` list.
    Exclude(&'a str),
    /// In neither list.
    Other,
}

/// Evidence in the ledger that takes a member out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Withdrawal {
    /// The member objected.
    Objected,
    /// The member's data were deleted.
    Deleted,
    /// The member declined consent.
    Declined,
}

impl Withdrawal {
    /// The evidence event (and reason) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Withdrawal::Objected => "objected",
            Withdrawal::Deleted => "deleted",
            Withdrawal::Declined => "declined",
        }
    }
}

/// One member, as far as a decision needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'a> {
    /// The member id.
    pub id: &'a str,
    /// The classified status.
    pub status: Status<'a>,
    /// Whether the member has a strictly valid email address.
    pub email_valid: bool,
    /// The data types held (non-empty mapped cells and `always_held`).
    pub held: DataTypes,
    /// The birth date, if given.
    pub birth_date: Option<Date>,
    /// Flags set ([`Flag::bit`]).
    pub flags: u8,
    /// Evidence that takes the member out, if any.
    pub withdrawal: Option<Withdrawal>,
}

/// A decision with the rules and practice changes behind it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decision {
    /// The decision.
    pub kind: DecisionKind,
    /// The channel for `notify` and `consent`.
    pub channel: Option<Channel>,
    /// Why, as `+`-joined reason codes.
    pub reason: String,
    /// The deciding rule ids.
    pub rules: Vec<String>,
    /// The deciding practice change ids.
    pub changes: Vec<String>,
}

/// A practice change as rules see it.
#[derive(Debug, Clone)]
struct Change {
    id: String,
    category: Category,
    kind: ChangeKind,
    material: bool,
    practice: String,
    /// Data types touched; 0: policy-wide.
    types: DataTypes,
}

/// Everything [`decide`] needs besides the member: the changes, the packs, the deal, the date.
#[derive(Debug, Clone)]
pub struct PlanContext {
    changes: Vec<Change>,
    packs: Vec<Pack>,
    channels: Vec<Channel>,
    deal: Deal,
    today: Date,
    /// Data types that leave in an export.
    exported: DataTypes,
    sensitive: DataTypes,
    taxonomy_ids: Vec<String>,
}

impl PlanContext {
    /// Builds the context of a case: its diff, its packs, its exported columns, the plan date.
    pub fn new(case: &Case, diff: &PolicyDiff, today: Date) -> PlanContext {
        let taxonomy = Taxonomy::embedded();
        let mut ctx = PlanContext::from_parts(
            &diff.practice_changes,
            case.rules.packs().to_vec(),
            case.rules.channels(),
            case.deal,
            today,
            &taxonomy,
        );
        let members = &case.members;
        let exports = |col: &str| {
            members
                .export_columns
                .as_ref()
                .is_none_or(|e| e.iter().any(|c| c.name == col))
        };
        ctx.exported = members
            .data_types
            .iter()
            .filter(|(col, _)| exports(&col.name))
            .map(|(_, id)| ctx.type_bit(id))
            .fold(ctx.types_of(&members.always_held), |a, b| a | b);
        ctx
    }

    /// Builds a context from its parts; every mapped data type counts as exported.
    pub fn from_parts(
        changes: &[PracticeChange],
        packs: Vec<Pack>,
        channels: Vec<Channel>,
        deal: Deal,
        today: Date,
        taxonomy: &Taxonomy,
    ) -> PlanContext {
        let taxonomy_ids: Vec<String> =
            taxonomy.data_types().iter().map(|d| d.id.clone()).collect();
        assert!(taxonomy_ids.len() <= 64, "data type sets are 64-bit masks");
        let sensitive = taxonomy
            .data_types()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.sensitive)
            .fold(0, |acc, (i, _)| acc | 1 << i);
        let mut ctx = PlanContext {
            changes: Vec::new(),
            packs,
            channels,
            deal,
            today,
            exported: !0,
            sensitive,
            taxonomy_ids,
        };
        ctx.changes = changes
            .iter()
            .map(|c| Change {
                id: c.id.clone(),
                category: c.category,
                kind: c.kind,
                // A review change is a change nobody has judged yet: treat it as material.
                material: c.material || c.review,
                practice: c.practice.clone(),
                types: ctx.types_of(&c.data_types),
            })
            .collect();
        ctx
    }

    /// The bit of a data type id (0 for an unknown id).
    pub fn type_bit(&self, id: &str) -> DataTypes {
        self.taxonomy_ids
            .binary_search_by(|t| t.as_str().cmp(id))
            .map_or(0, |i| 1 << i)
    }

    /// The set of these data type ids.
    pub fn types_of(&self, ids: &[String]) -> DataTypes {
        ids.iter().fold(0, |acc, id| acc | self.type_bit(id))
    }

    /// The plan date.
    pub fn today(&self) -> Date {
        self.today
    }

    /// Whether a member born on `birth` is younger than `age` years today.
    pub fn younger_than(&self, birth: Option<Date>, age: u32) -> bool {
        let Some(birth) = birth else {
            return false;
        };
        let cutoff = self
            .today
            .saturating_sub(jiff::Span::new().years(i64::from(age)));
        birth > cutoff
    }

    /// The ages that matter to any pack, for grouping members that decide alike.
    pub fn ages(&self) -> Vec<u32> {
        let mut ages: Vec<u32> = self
            .packs
            .iter()
            .flat_map(|p| {
                p.minors.map(|m| m.age).into_iter().chain(
                    p.consent_required
                        .iter()
                        .filter_map(|r| r.when.younger_than),
                )
            })
            .collect();
        ages.sort_unstable();
        ages.dedup();
        ages
    }

    /// The data types that can change a decision: those a change touches and those exported.
    pub fn relevant_types(&self) -> DataTypes {
        self.changes.iter().fold(self.exported, |a, c| a | c.types)
    }
}

/// Decides one member (see the module doc).
pub fn decide(member: &Member<'_>, ctx: &PlanContext) -> Decision {
    let exclude = |reason: String, rule: &str| Decision {
        kind: DecisionKind::Exclude,
        channel: None,
        reason,
        rules: vec![rule.to_string()],
        changes: Vec::new(),
    };
    if let Some(w) = member.withdrawal {
        return exclude(w.as_str().to_string(), &format!("handover.{}", w.as_str()));
    }
    match member.status {
        Status::Exclude(value) => return exclude(format!("status:{value}"), "handover.status"),
        Status::Other => return exclude("status-not-transferred".into(), "handover.status"),
        Status::Transfer => {}
    }
    let mut notice = Outcome::default();
    let mut consent = Outcome::default();
    let mut carried = Vec::new();
    for pack in &ctx.packs {
        let in_scope: Vec<&Change> = ctx
            .changes
            .iter()
            .filter(|c| pack.scope == Scope::All || c.types == 0 || c.types & member.held != 0)
            .collect();
        let triggering: Vec<&Change> = match pack.trigger {
            Trigger::AnyPracticeChange => in_scope.clone(),
            Trigger::MaterialChange => in_scope.iter().copied().filter(|c| c.material).collect(),
            Trigger::Transfer => Vec::new(),
        };
        let notified = pack.trigger == Trigger::Transfer || !triggering.is_empty();
        if notified {
            let listed = if pack.scope == Scope::Affected {
                &triggering[..]
            } else {
                &[]
            };
            notice.add(format!("{}.notice", pack.id), pack.trigger.reason(), listed);
        }
        for rule in &pack.consent_required {
            let w = &rule.when;
            let member_ok = (w.deal.is_empty() || w.deal.contains(&ctx.deal))
                && (!w.holds_sensitive || member.held & ctx.sensitive & ctx.exported != 0)
                && (w.holds.is_empty() || member.held & ctx.types_of(&w.holds) & ctx.exported != 0)
                && w.flag.is_none_or(|f| member.flags & f.bit() != 0)
                && w.younger_than
                    .is_none_or(|age| ctx.younger_than(member.birth_date, age));
            if !member_ok {
                continue;
            }
            let matched: Vec<&Change> = in_scope
                .iter()
                .copied()
                .filter(|c| {
                    (w.category.is_empty() || w.category.contains(&c.category))
                        && (w.kind.is_empty() || w.kind.contains(&c.kind))
                        && w.material.is_none_or(|m| m == c.material)
                        && (w.practice.is_empty() || w.practice.contains(&c.practice))
                })
                .collect();
            if w.on_changes() && matched.is_empty() {
                continue;
            }
            let listed = if w.on_changes() { &matched[..] } else { &[] };
            consent.add(format!("{}.{}", pack.id, rule.id), &rule.reason, listed);
        }
        if let Some(minors) = pack.minors {
            if notified && ctx.younger_than(member.birth_date, minors.age) {
                consent.add(format!("{}.minors", pack.id), "minor", &[]);
            }
        }
        for flag in &pack.carry_flags {
            if member.flags & flag.bit() != 0 {
                carried.push(format!("{}.carry-{}", pack.id, flag_rule(*flag)));
            }
        }
    }
    let (kind, mut outcome) = if !consent.rules.is_empty() {
        (DecisionKind::Consent, consent)
    } else if !notice.rules.is_empty() {
        (DecisionKind::Notify, notice)
    } else {
        let reason = if ctx.changes.is_empty() {
            "no-practice-change"
        } else {
            "no-rule-triggered"
        };
        let mut o = Outcome::default();
        o.reasons.push(reason.to_string());
        (DecisionKind::Transfer, o)
    };
    outcome.rules.extend(carried);
    let channel = match kind {
        DecisionKind::Notify | DecisionKind::Consent => {
            let email = member.email_valid && ctx.channels.contains(&Channel::Email);
            if email {
                Some(Channel::Email)
            } else if ctx.channels.contains(&Channel::SiteNotice) {
                Some(Channel::SiteNotice)
            } else {
                return exclude("no-channel".into(), "handover.no-channel");
            }
        }
        _ => None,
    };
    let mut changes = outcome.changes;
    changes.sort_by_key(|id| ctx.changes.iter().position(|c| &c.id == id));
    changes.dedup();
    Decision {
        kind,
        channel,
        reason: outcome.reasons.join("+"),
        rules: outcome.rules,
        changes,
    }
}

fn flag_rule(flag: Flag) -> &'static str {
    match flag {
        Flag::DoNotSell => "do-not-sell",
        Flag::Unsubscribed => "unsubscribed",
    }
}

#[derive(Debug, Default)]
struct Outcome {
    rules: Vec<String>,
    reasons: Vec<String>,
    changes: Vec<String>,
}

impl Outcome {
    fn add(&mut self, rule: String, reason: &str, changes: &[&Change]) {
        if !self.rules.contains(&rule) {
            self.rules.push(rule);
        }
        if !self.reasons.iter().any(|r| r == reason) {
            self.reasons.push(reason.to_string());
        }
        self.changes.extend(changes.iter().map(|c| c.id.clone()));
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
