//! Member decisions: a pure function of the policy diff, the rule packs, the deal terms and
//! the member.
//!
//! The law mostly restricts the acquirer's *new uses* of the data, not the move: a member
//! moves after notice, and a new sharing or purpose that needs consent waits for that member's
//! yes (the decision's `opt_in`, which the acquirer ring-fences). Only where the move itself
//! needs a yes (a foreign acquirer without another basis, special-category data, a share
//! purchase, a deal outside the promise) is the decision `consent`.
//!
//! [`decide`] answers, for one member, in this order:
//!
//! 1. an objection, deletion or declined consent already in the ledger: `exclude` (reason
//!    `objected`, `deleted`, `declined`; rule `handover.<reason>`);
//! 2. a status in the case's `exclude` list: `exclude` (reason `status:<value>`), a status in
//!    neither list: `exclude` (reason `status-not-transferred`); rule `handover.status`;
//! 3. each pack on its own ([`crate::rules`]): its trigger over the changes in its scope asks
//!    for notice (rule `PACK.notice`; under `scope: affected` the triggering changes are
//!    recorded); each consent rule whose conditions hold (on the member, the deal and its
//!    [`Terms`], and on at least one change in scope when it names change conditions) asks a
//!    yes, for the move (`for: move`) or for the new use of the changes it matched
//!    (`for: new-use`); carried flags the member has are recorded (`PACK.carry-FLAG`);
//! 4. the decision: a yes for the move, or under `consent_mode: block` any yes at all:
//!    `consent`; else notice or a new use waiting: `notify`; else `transfer` (reason
//!    `no-practice-change` when the policies state the same practices, else
//!    `no-rule-triggered`). `opt_in` lists the changes of every `new-use` rule that held, in
//!    diff order, whatever the decision;
//! 5. who says yes ([`ConsentBy`]), when the decision is `consent` or `opt_in` is not empty: a
//!    parent or guardian when the member is younger than the `minors` age of any pack (rule
//!    `PACK.minors`, reason `parental-consent`), else the member. A minor is never asked for
//!    consent only for being a minor;
//! 6. the channel for `notify` and `consent`: `email` when the member has a strictly valid
//!    address and every pack allows email, else `site-notice` when every pack allows it, else
//!    `exclude` (reason `no-channel`).
//!
//! The reason of a decision is the distinct reasons of its deciding rules joined with `+`
//! (`practice-change+material-change+third-party-provision`); its rules are those of the
//! notice (for `notify`) or of the move (for `consent`), then those of the new uses; its
//! changes are those behind the notice or the move that are not in `opt_in` (a change is listed
//! once: the union of `changes` and `opt_in` is every change the decision rests on). A
//! member's age is taken at the plan's date; an empty birth date (or one the planner found
//! impossible) is not a minor. Probable duplicate people are decided like anyone else and
//! only flagged (by the planner, which sees all rows).
use jiff::civil::Date;

use crate::case::Case;
use crate::compare::PracticeChange;
use crate::diff::PolicyDiff;
use crate::model::{Category, ChangeKind, Deal};
use crate::model::{Channel, Flag};
pub use crate::model::{ConsentBy, ConsentMode, DecisionKind, TransferBasis, Withdrawal};
use crate::rules::{country_in, Gate, Pack, Scope, Trigger, When};
use crate::taxonomy::Taxonomy;

pub use crate::datatypes::DataTypes;

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
    pub held: &'a DataTypes,
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
    /// The practice changes whose new use waits for this member's yes (the member moves
    /// after notice; under `consent_mode: block` the move waits too).
    pub opt_in: Vec<String>,
    /// Who gives the yes, when the decision needs one (`consent`, or a non-empty `opt_in`).
    pub consent_by: Option<ConsentBy>,
}

/// A practice change as rules see it.
#[derive(Debug, Clone)]
struct Change {
    id: String,
    category: Category,
    /// A review change's other categories: a rule on any of them applies.
    also: Vec<Category>,
    kind: ChangeKind,
    material: bool,
    practice: String,
    /// Data types touched; 0: policy-wide.
    types: DataTypes,
}

/// What the case says about the deal beyond its kind: where the acquirer is, on what basis
/// data go abroad, what a consent for a new use holds back, which new purposes are related.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// ISO 3166-1 alpha-2 code of the acquirer's country, if known.
    pub acquirer_country: Option<String>,
    /// The basis for a move abroad, if any.
    pub transfer_basis: Option<TransferBasis>,
    /// Ring-fence new uses (default) or block the move until a yes.
    pub consent_mode: ConsentMode,
    /// Purpose ids declared related to the old purposes.
    pub related_purposes: Vec<String>,
}

impl Terms {
    /// The terms a case file states.
    pub fn of(case: &Case) -> Terms {
        Terms {
            acquirer_country: case.acquirer_country.clone(),
            transfer_basis: case.transfer_basis,
            consent_mode: case.consent_mode,
            related_purposes: case.related_purposes.clone(),
        }
    }
}

/// Everything [`decide`] needs besides the member: the changes, the packs, the deal, the date.
#[derive(Debug, Clone)]
pub struct PlanContext {
    changes: Vec<Change>,
    packs: Vec<Pack>,
    channels: Vec<Channel>,
    deal: Deal,
    terms: Terms,
    /// Whether the deal is outside the deals a promise pack covers.
    outside_promise: bool,
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
        )
        .with_terms(Terms::of(case));
        let members = &case.members;
        let exports = |col: &str| {
            members
                .export_columns
                .as_ref()
                .is_none_or(|e| e.iter().any(|c| c.name == col))
        };
        let mut exported = ctx.types_of(&members.always_held);
        for (col, id) in &members.data_types {
            if let Some(i) = ctx.type_index(id).filter(|_| exports(&col.name)) {
                exported.insert(i);
            }
        }
        ctx.exported = exported;
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
        let n = taxonomy_ids.len();
        let mut sensitive = DataTypes::with_capacity(n);
        for (i, d) in taxonomy.data_types().iter().enumerate() {
            sensitive.set(i, d.sensitive);
        }
        let mut exported = DataTypes::with_capacity(n);
        exported.insert_range(..);
        let outside_promise = crate::rules::outside_promises(&packs, deal);
        let mut ctx = PlanContext {
            changes: Vec::new(),
            packs,
            channels,
            deal,
            terms: Terms::default(),
            outside_promise,
            today,
            exported,
            sensitive,
            taxonomy_ids,
        };
        ctx.changes = changes
            .iter()
            .map(|c| Change {
                id: c.id.clone(),
                category: c.category,
                also: c.also.clone(),
                kind: c.kind,
                // A review change is a change nobody has judged yet: treat it as material.
                material: c.material || c.review,
                practice: c.practice.clone(),
                types: ctx.types_of(&c.data_types),
            })
            .collect();
        ctx
    }

    /// The same context under these deal terms.
    pub fn with_terms(mut self, terms: Terms) -> PlanContext {
        self.terms = terms;
        self
    }

    /// Whether a rule's conditions on the member and the deal hold.
    fn member_and_deal_hold(&self, w: &When, member: &Member<'_>) -> bool {
        let terms = &self.terms;
        (w.deal.is_empty() || w.deal.contains(&self.deal))
            && (!w.deal_outside_promise || self.outside_promise)
            && (w.acquirer_outside.is_empty()
                || terms
                    .acquirer_country
                    .as_deref()
                    .is_some_and(|c| !country_in(c, &w.acquirer_outside)))
            && (w.unless_basis.is_empty()
                || !terms
                    .transfer_basis
                    .is_some_and(|b| w.unless_basis.contains(&b)))
            && (!w.holds_sensitive || holds_any(member.held, &self.sensitive, &self.exported))
            && (w.holds.is_empty()
                || holds_any(member.held, &self.types_of(&w.holds), &self.exported))
            && w.flag.is_none_or(|f| member.flags & f.bit() != 0)
            && w.younger_than
                .is_none_or(|age| self.younger_than(member.birth_date, age))
    }

    /// Whether a change is a purpose the case does not declare related (a purpose change
    /// whose purpose cannot be read counts as unrelated, and so does a review change that
    /// speaks of purpose among its other categories).
    fn unrelated_purpose(&self, c: &Change) -> bool {
        (c.category == Category::Purpose || c.also.contains(&Category::Purpose))
            && !c
                .practice
                .strip_prefix("purpose.")
                .is_some_and(|p| self.terms.related_purposes.iter().any(|r| r == p))
    }

    /// Change ids in the order of the diff, each once.
    fn in_change_order(&self, mut ids: Vec<String>) -> Vec<String> {
        ids.sort_by_key(|id| self.changes.iter().position(|c| &c.id == id));
        ids.dedup();
        ids
    }

    /// The index of a data type id in [`DataTypes`] sets, if the taxonomy has it.
    pub fn type_index(&self, id: &str) -> Option<usize> {
        self.taxonomy_ids
            .binary_search_by(|t| t.as_str().cmp(id))
            .ok()
    }

    /// An empty set of data types.
    pub fn no_types(&self) -> DataTypes {
        DataTypes::with_capacity(self.taxonomy_ids.len())
    }

    /// The set of these data type ids (unknown ids are left out).
    pub fn types_of<S: AsRef<str>>(&self, ids: &[S]) -> DataTypes {
        let mut set = self.no_types();
        for i in ids.iter().filter_map(|id| self.type_index(id.as_ref())) {
            set.insert(i);
        }
        set
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
        let mut relevant = self.exported.clone();
        for c in &self.changes {
            relevant.union_with(&c.types);
        }
        relevant
    }

    /// How many of [`PlanContext::ages`] a member born on `birth` is younger than: members
    /// with the same count decide alike on age (being younger than a lower threshold implies
    /// being younger than every higher one).
    pub fn age_band(&self, ages: &[u32], birth: Option<Date>) -> usize {
        ages.iter()
            .filter(|a| self.younger_than(birth, **a))
            .count()
    }
}

/// What the packs ask of one member, gate by gate.
#[derive(Default)]
struct Gates {
    /// Rules that want the member told.
    notice: Outcome,
    /// Rules whose consent the move waits for.
    moves: Outcome,
    /// Rules whose consent a new use waits for (opt-ins).
    uses: Outcome,
    /// Flags carried over to the acquirer (`<pack>.carry-<flag>`).
    carried: Vec<String>,
}

/// Runs every pack over the changes that concern the member.
fn gates(member: &Member<'_>, ctx: &PlanContext) -> Gates {
    let mut g = Gates::default();
    for pack in &ctx.packs {
        let in_scope: Vec<&Change> = ctx
            .changes
            .iter()
            .filter(|c| {
                pack.scope == Scope::All || c.types.is_clear() || !c.types.is_disjoint(member.held)
            })
            .collect();
        let triggering: Vec<&Change> = match pack.trigger {
            Trigger::AnyPracticeChange => in_scope.clone(),
            Trigger::MaterialChange => in_scope.iter().copied().filter(|c| c.material).collect(),
            Trigger::Transfer => Vec::new(),
        };
        if pack.trigger == Trigger::Transfer || !triggering.is_empty() {
            let listed = if pack.scope == Scope::Affected {
                &triggering[..]
            } else {
                &[]
            };
            g.notice
                .add(format!("{}.notice", pack.id), pack.trigger.reason(), listed);
        }
        for rule in &pack.consent_required {
            if !ctx.member_and_deal_hold(&rule.when, member) {
                continue;
            }
            let w = &rule.when;
            let matched: Vec<&Change> = in_scope
                .iter()
                .copied()
                .filter(|c| {
                    (w.category.is_empty()
                        || w.category.contains(&c.category)
                        || c.also.iter().any(|a| w.category.contains(a)))
                        && (w.kind.is_empty() || w.kind.contains(&c.kind))
                        && w.material.is_none_or(|m| m == c.material)
                        && (w.practice.is_empty() || w.practice.contains(&c.practice))
                        && (!w.unrelated_purpose || ctx.unrelated_purpose(c))
                })
                .collect();
            if w.on_changes() && matched.is_empty() {
                continue;
            }
            let listed = if w.on_changes() { &matched[..] } else { &[] };
            let outcome = match rule.gate() {
                Gate::Move => &mut g.moves,
                Gate::NewUse => &mut g.uses,
            };
            outcome.add(format!("{}.{}", pack.id, rule.id), &rule.reason, listed);
        }
        for flag in &pack.carry_flags {
            if member.flags & flag.bit() != 0 {
                g.carried
                    .push(format!("{}.carry-{}", pack.id, flag_rule(*flag)));
            }
        }
    }
    g
}

/// Decides one member (see the module doc).
pub fn decide(member: &Member<'_>, ctx: &PlanContext) -> Decision {
    let exclude = |reason: String, rule: &str| Decision {
        kind: DecisionKind::Exclude,
        channel: None,
        reason,
        rules: vec![rule.to_string()],
        changes: Vec::new(),
        opt_in: Vec::new(),
        consent_by: None,
    };
    if let Some(w) = member.withdrawal {
        return exclude(w.as_str().to_string(), &format!("handover.{}", w.as_str()));
    }
    match member.status {
        Status::Exclude(value) => return exclude(format!("status:{value}"), "handover.status"),
        Status::Other => return exclude("status-not-transferred".into(), "handover.status"),
        Status::Transfer => {}
    }
    let Gates {
        mut notice,
        mut moves,
        uses,
        carried,
    } = gates(member, ctx);
    let new_uses_wait = !uses.rules.is_empty();
    let block = ctx.terms.consent_mode == ConsentMode::Block;
    let (kind, mut outcome) = if !moves.rules.is_empty() || (block && new_uses_wait) {
        moves.merge(&uses);
        (DecisionKind::Consent, moves)
    } else if !notice.rules.is_empty() || new_uses_wait {
        notice.merge(&uses);
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
    let consent_by = if kind == DecisionKind::Consent || new_uses_wait {
        let mut by = ConsentBy::Member;
        for pack in &ctx.packs {
            if let Some(minors) = pack.minors {
                if ctx.younger_than(member.birth_date, minors.age) {
                    by = ConsentBy::Parent;
                    outcome.add(format!("{}.minors", pack.id), "parental-consent", &[]);
                }
            }
        }
        Some(by)
    } else {
        None
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
    Decision {
        kind,
        channel,
        reason: outcome.reasons.join("+"),
        rules: outcome.rules,
        changes: ctx.in_change_order(
            outcome
                .changes
                .into_iter()
                .filter(|id| !uses.changes.contains(id))
                .collect(),
        ),
        opt_in: ctx.in_change_order(uses.changes),
        consent_by,
    }
}

/// Whether the member holds a type of `types` that leaves in the export.
fn holds_any(held: &DataTypes, types: &DataTypes, exported: &DataTypes) -> bool {
    held.intersection(types).any(|i| exported.contains(i))
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
    /// Adds another outcome's rules, reasons and changes after this one's.
    fn merge(&mut self, other: &Outcome) {
        for rule in &other.rules {
            if !self.rules.contains(rule) {
                self.rules.push(rule.clone());
            }
        }
        for reason in &other.reasons {
            if !self.reasons.contains(reason) {
                self.reasons.push(reason.clone());
            }
        }
        self.changes.extend(other.changes.iter().cloned());
    }

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
#[path = "decide_tests.rs"]
mod tests;
