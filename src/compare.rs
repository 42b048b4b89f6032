//! Practice changes: what differs in what the two policies say happens to data.
//!
//! Statements of each policy ([`crate::practices`]) are merged per practice key; then each
//! key is compared. Materiality follows DESIGN.md section 3, through one rule: a practice
//! either exposes data (collection, a purpose, sharing, sale, retention, tracking, transfer,
//! storage abroad, a new audience) or protects people (a safeguard, a choice, a notice
//! promise), and a denial turns one into the other ("we do not sell" protects).
//!
//! - a key only in the new policy is `added`: material when it exposes data;
//! - a key only in the old policy is `removed`: material when it protected people;
//! - a key in both whose polarity moved towards exposure is `expanded` (material), towards
//!   protection `narrowed` (not material);
//! - same polarity, but more recipients, data types or places: `expanded` (material); fewer:
//!   `narrowed`; both: `modified` (material). Scope is compared only while a practice
//!   exposes data: the coverage of a denial ("we do not sell ... to X") depends too much on
//!   where lists are cut;
//! - a longer retention period is `expanded` (material), a shorter one `narrowed`, one that
//!   cannot be compared (fixed against counted from closure) `modified` and material, since a
//!   lawyer must look;
//! - a deletion period stated as a keeping period ("deleted after 30 days" made "stored for
//!   1 day") is one retention change compared by length, not a lost deletion promise plus
//!   a new period (`deletion_became_period`).
//!
//! Kinds speak of what happens to data: `expanded` means more exposure. New data types
//! collected are grouped into one change. Wording, order and formatting never make a change:
//! only keys, polarities and scopes are compared. Absent is unknown: a practice the new
//! policy does not mention is `removed` (it no longer says so), never "denied".
//!
//! In `handover diff` the comparison is anchored to the redline (`compare_anchored`): a
//! practice found only on one side is no change when every sentence stating it is still in
//! the other text with the same meaning (moved word for word, or reworded with the same
//! content words), since then the extractor only read the same words differently.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::policy::Policy;
use crate::practices::{self, Polarity, PracticeSet, Retention, Statement};
use crate::taxonomy::Taxonomy;

pub use crate::model::{Category, ChangeKind, Evidence};

/// One practice change.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeChange {
    /// Stable fingerprint: the same change in an edited file keeps its id.
    pub id: String,
    /// The practice category.
    pub category: Category,
    /// How it changed.
    pub kind: ChangeKind,
    /// Widens what happens to data or weakens protection; for a review change, that it
    /// may (it is conservatively material unless it can only narrow).
    pub material: bool,
    /// A changed sentence about personal data that no practice change explains: a person
    /// must read it (see `crate::diff`'s review of changed sentences).
    pub review: bool,
    /// Other categories a review change's sentence speaks of about as strongly as of
    /// `category` (`"also_categories"` in `handover.diff/v1`, absent when empty): a sentence
    /// such as "your card is passed to our payment processor; we don't store it" is about
    /// sharing and retention. Always empty for a practice change.
    #[serde(rename = "also_categories", skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Category>,
    /// One line for people.
    pub summary: String,
    /// Data type ids the change touches; empty means policy-wide.
    pub data_types: Vec<String>,
    /// Evidence in the old policy.
    pub old: Vec<Evidence>,
    /// Evidence in the new policy.
    pub new: Vec<Evidence>,
    /// The taxonomy's practice key (`sharing.advertisers`, `purpose.profiling`, or
    /// `collection` for grouped data types), so rule packs can match a practice; not part of
    /// the `handover.diff/v1` wire format.
    #[serde(skip)]
    pub practice: String,
}

impl PracticeChange {
    /// Its category, then those it also speaks of ([`PracticeChange::also`]).
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        std::iter::once(self.category).chain(self.also.iter().copied())
    }
}

/// How far a practice, as stated, exposes people's data: 0 protects them, 2 exposes them.
/// A protective practice stated positively protects; denied ("we do not encrypt") it exposes.
pub(crate) fn exposure(protective: bool, polarity: Polarity) -> u8 {
    match (protective, polarity) {
        (true, Polarity::DoesNot) => 2,
        (true, _) => 0,
        (false, Polarity::Does) => 2,
        (false, Polarity::Restricted) => 1,
        (false, Polarity::DoesNot) => 0,
    }
}

/// All statements of one key in one policy, merged.
struct Practice<'a> {
    key: String,
    category: Category,
    protective: bool,
    polarity: Polarity,
    data_types: BTreeSet<String>,
    recipients: BTreeSet<String>,
    places: BTreeSet<String>,
    retention: Option<Retention>,
    statements: Vec<&'a Statement>,
}

impl<'a> Practice<'a> {
    fn merge(statements: &[&'a Statement]) -> Practice<'a> {
        let first = statements[0];
        let mut p = Practice {
            key: first.key.clone(),
            category: first.category,
            protective: first.protective,
            polarity: statements
                .iter()
                .map(|s| s.polarity)
                .max()
                .unwrap_or(Polarity::Does),
            data_types: BTreeSet::new(),
            recipients: BTreeSet::new(),
            places: BTreeSet::new(),
            retention: None,
            statements: statements.to_vec(),
        };
        for s in statements {
            p.data_types.extend(s.data_types.iter().cloned());
            p.recipients.extend(s.recipients.iter().cloned());
            p.places.extend(s.places.iter().cloned());
            p.retention = match (p.retention, s.retention) {
                (None, r) | (r, None) => r,
                (Some(a), Some(b)) => Some(if b.compare(a) == Some(std::cmp::Ordering::Greater) {
                    b
                } else {
                    a
                }),
            };
        }
        p
    }

    fn exposure(&self) -> u8 {
        exposure(self.protective, self.polarity)
    }

    /// Evidence for a change: the statements that `pick` says decide it, else the first ones.
    fn evidence(&self, pick: impl Fn(&Statement) -> bool) -> Vec<Evidence> {
        let picked: Vec<&Statement> = self
            .statements
            .iter()
            .copied()
            .filter(|s| pick(s))
            .collect();
        let source = if picked.is_empty() {
            self.statements.clone()
        } else {
            picked
        };
        let mut out: Vec<Evidence> = Vec::new();
        for s in source {
            if out.len() == MAX_EVIDENCE {
                break;
            }
            if !out.contains(&s.evidence) {
                out.push(s.evidence.clone());
            }
        }
        out
    }

    /// Evidence from statements with this practice's merged polarity.
    fn polarity_evidence(&self) -> Vec<Evidence> {
        self.evidence(|s| s.polarity == self.polarity)
    }

    /// The attribute set that widens or narrows this practice, if any.
    fn scope(&self) -> Option<&BTreeSet<String>> {
        scope_of(&self.key, &self.data_types, &self.recipients, &self.places)
    }
}

/// The attribute set that widens or narrows a practice with this key, if any.
fn scope_of<'s>(
    key: &str,
    data_types: &'s BTreeSet<String>,
    recipients: &'s BTreeSet<String>,
    places: &'s BTreeSet<String>,
) -> Option<&'s BTreeSet<String>> {
    match key {
        "sharing.sale" | "collection.other-sources" => Some(recipients),
        "international.storage" => Some(places),
        k if k.starts_with("sharing.") => Some(data_types),
        _ => None,
    }
}

/// Whether a statement's scope names any of `items`.
fn names_any(s: &Statement, items: &BTreeSet<String>) -> bool {
    scope_of(&s.key, &s.data_types, &s.recipients, &s.places)
        .is_some_and(|set| !set.is_disjoint(items))
}

/// Evidence quoted per side of a change, at most.
const MAX_EVIDENCE: usize = 3;

/// Compares the practices of two policies (see the module doc for the rules).
pub fn compare(old: &Policy, new: &Policy, taxonomy: &Taxonomy) -> Vec<PracticeChange> {
    let old_set = practices::extract(old, taxonomy);
    let new_set = practices::extract(new, taxonomy);
    compare_sets(&old_set, &new_set, taxonomy)
}

/// Compares two extracted practice sets.
pub fn compare_sets(
    old: &PracticeSet,
    new: &PracticeSet,
    taxonomy: &Taxonomy,
) -> Vec<PracticeChange> {
    compare_anchored(old, new, taxonomy, &|_| false, &|_| false)
}

/// Compares two extracted practice sets, anchored to the redline: `old_kept` says whether
/// the sentence of an old statement is still in the new text with the same meaning, and
/// `new_kept` the same of a new statement. A practice found only on one side is no change
/// when every sentence stating it was kept: the extractor read the same words differently
/// (a paraphrase, a new context), and the review of changed sentences covers the rest.
pub(crate) fn compare_anchored(
    old: &PracticeSet,
    new: &PracticeSet,
    taxonomy: &Taxonomy,
    old_kept: &dyn Fn(&Statement) -> bool,
    new_kept: &dyn Fn(&Statement) -> bool,
) -> Vec<PracticeChange> {
    let old_map: BTreeMap<&str, Practice> = practices::by_key(old)
        .into_iter()
        .map(|(k, v)| (k, Practice::merge(&v)))
        .collect();
    let new_map: BTreeMap<&str, Practice> = practices::by_key(new)
        .into_iter()
        .map(|(k, v)| (k, Practice::merge(&v)))
        .collect();
    let keys: BTreeSet<&str> = old_map.keys().chain(new_map.keys()).copied().collect();
    let words = Words { taxonomy };
    let mut changes = Vec::new();
    for key in keys {
        let (o, n) = (old_map.get(key), new_map.get(key));
        let kept = match (o, n) {
            (Some(o), None) => o.statements.iter().all(|s| old_kept(s)),
            (None, Some(n)) => n.statements.iter().all(|s| new_kept(s)),
            _ => false,
        };
        if kept {
            continue;
        }
        if let Some(change) = compare_one(o, n, &words) {
            changes.push(change);
        }
    }
    lost_denials(&old_map, &new_map, old_kept, &words, &mut changes);
    deletion_became_period(&old_map, &new_map, &words, &mut changes);
    let had_collection = old_map.keys().any(|k| k.starts_with("collection."));
    let has_collection = new_map.keys().any(|k| k.starts_with("collection."));
    let mut changes = group_collection(changes, had_collection, has_collection, &words);
    for c in &mut changes {
        c.id = fingerprint(c);
    }
    changes.sort_by(|a, b| {
        b.material
            .cmp(&a.material)
            .then(a.category.cmp(&b.category))
            .then(a.summary.cmp(&b.summary))
    });
    changes
}

/// Outright denials that a looser statement of the same practice hid. A policy may say both
/// "customer information will not be divulged to anyone under any circumstances" and "we do
/// not share it except with service providers"; merged, the practice reads as restricted. A
/// new policy that no longer says it as a denial at all (silent, or only "we share it only in
/// these cases") has dropped the outright promise, and losing it is losing a promise: a
/// material removal, unless the denial's sentence is still there or the practice already has
/// a material change. A new policy that restates the denial with its exceptions ("will not be
/// divulged ... other than in the cases below") is compared as usual.
fn lost_denials(
    old: &BTreeMap<&str, Practice>,
    new: &BTreeMap<&str, Practice>,
    old_kept: &dyn Fn(&Statement) -> bool,
    words: &Words<'_>,
    changes: &mut Vec<PracticeChange>,
) {
    for (key, o) in old {
        if o.protective || o.polarity == Polarity::DoesNot {
            continue;
        }
        let denials: Vec<&Statement> = o
            .statements
            .iter()
            .filter(|s| s.polarity == Polarity::DoesNot && !old_kept(s))
            .copied()
            .collect();
        let denied_still = new
            .get(key)
            .is_some_and(|n| n.statements.iter().any(|s| s.denial));
        if denials.is_empty()
            || denied_still
            || changes.iter().any(|c| c.practice == *key && c.material)
        {
            continue;
        }
        if let Some(change) = compare_one(Some(&Practice::merge(&denials)), None, words) {
            changes.retain(|c| c.practice != *key);
            changes.push(change);
        }
    }
}

/// A deletion period the new policy states as a keeping period ("these logs are deleted
/// after 30 days" made "these logs are stored for 1 day"): read alone, a promise to delete
/// is removed (material) and a period is added. When the old deletion promise named a
/// period and the new policy states one for the practice it no longer promises to delete
/// by, the two are one retention change, compared by length: shorter is `narrowed` (not
/// material), longer `expanded` (material), the same no change. Periods that cannot be
/// compared (fixed against counted from closure) keep both changes, for a person to read.
fn deletion_became_period(
    old: &BTreeMap<&str, Practice>,
    new: &BTreeMap<&str, Practice>,
    words: &Words<'_>,
    changes: &mut Vec<PracticeChange>,
) {
    const DELETION: &str = "retention.deletion";
    const PERIOD: &str = "retention.period";
    let removed =
        |c: &PracticeChange, key: &str, kind: ChangeKind| c.practice == key && c.kind == kind;
    if !changes
        .iter()
        .any(|c| removed(c, DELETION, ChangeKind::Removed))
        || !changes
            .iter()
            .any(|c| removed(c, PERIOD, ChangeKind::Added))
    {
        return;
    }
    let (Some(o), Some(n)) = (old.get(DELETION), new.get(PERIOD)) else {
        return;
    };
    let (Some(was), Some(now)) = (o.retention, n.retention) else {
        return;
    };
    let (kind, material) = match now.compare(was) {
        Some(std::cmp::Ordering::Less) => (ChangeKind::Narrowed, false),
        Some(std::cmp::Ordering::Greater) => (ChangeKind::Expanded, true),
        Some(std::cmp::Ordering::Equal) => (ChangeKind::Modified, false),
        None => return,
    };
    changes.retain(|c| {
        !removed(c, DELETION, ChangeKind::Removed) && !removed(c, PERIOD, ChangeKind::Added)
    });
    if kind == ChangeKind::Modified {
        // The same period, said the other way round: no change.
        return;
    }
    changes.push(PracticeChange {
        id: PERIOD.to_string(),
        category: n.category,
        kind,
        material,
        review: false,
        also: Vec::new(),
        summary: format!(
            "was: will delete personal information {}; now: {}",
            match was.describe().strip_prefix("for ") {
                Some(span) => format!("after {span}"),
                None => was.describe(),
            },
            words.state(n)
        ),
        data_types: Vec::new(),
        old: o.polarity_evidence(),
        new: n.evidence(|s| s.retention == Some(now)),
        practice: PERIOD.to_string(),
    });
}

/// What a comparison of one practice found, before it becomes a [`PracticeChange`].
struct Found {
    kind: ChangeKind,
    material: bool,
    summary: String,
    old: Vec<Evidence>,
    new: Vec<Evidence>,
}

fn compare_one(
    old: Option<&Practice>,
    new: Option<&Practice>,
    words: &Words<'_>,
) -> Option<PracticeChange> {
    let practice = new.or(old)?;
    let found = match (old, new) {
        (None, None) => return None,
        (None, Some(n)) => Found {
            kind: ChangeKind::Added,
            material: n.exposure() >= 1,
            summary: words.state(n),
            old: Vec::new(),
            new: n.polarity_evidence(),
        },
        (Some(o), None) => Found {
            kind: ChangeKind::Removed,
            material: o.exposure() == 0,
            summary: format!("no longer says it {}", words.state(o)),
            old: o.polarity_evidence(),
            new: Vec::new(),
        },
        (Some(o), Some(n)) => compare_both(o, n, words)?,
    };
    // Data types name whom a change touches; only sharing and collection state them per
    // practice (a purpose's data types depend on the wording of one sentence).
    let keyed = practice.key.starts_with("sharing.") || practice.key.starts_with("collection.");
    Some(PracticeChange {
        id: practice.key.clone(),
        category: practice.category,
        kind: found.kind,
        material: found.material,
        review: false,
        also: Vec::new(),
        summary: found.summary,
        data_types: match keyed {
            true => practice.data_types.iter().cloned().collect(),
            false => Vec::new(),
        },
        old: found.old,
        new: found.new,
        practice: practice.key.clone(),
    })
}

/// A practice stated in both policies: polarity first, then scope, then retention period.
fn compare_both(o: &Practice, n: &Practice, words: &Words<'_>) -> Option<Found> {
    let (eo, en) = (o.exposure(), n.exposure());
    let was_now = || format!("was: {}; now: {}", words.state(o), words.state(n));
    if en != eo {
        return Some(Found {
            kind: if en > eo {
                ChangeKind::Expanded
            } else {
                ChangeKind::Narrowed
            },
            material: en > eo,
            summary: was_now(),
            old: o.polarity_evidence(),
            new: n.polarity_evidence(),
        });
    }
    if en == 0 {
        // A denial or a protection, unchanged in polarity: its coverage ("we do not sell
        // ... to X") depends too much on where lists are cut to compare.
        return None;
    }
    if let (Some(so), Some(sn)) = (o.scope(), n.scope()) {
        if !so.is_empty() && !sn.is_empty() && so != sn {
            let gained: BTreeSet<String> = sn.difference(so).cloned().collect();
            let lost: BTreeSet<String> = so.difference(sn).cloned().collect();
            let (kind, material) = match (gained.is_empty(), lost.is_empty()) {
                (false, true) => (ChangeKind::Expanded, true),
                (false, false) => (ChangeKind::Modified, true),
                (true, _) => (ChangeKind::Narrowed, false),
            };
            let list = |set: &BTreeSet<String>| {
                set.iter()
                    .map(|x| words.label(x))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut parts = Vec::new();
            if !gained.is_empty() {
                parts.push(format!("adds {}", list(&gained)));
            }
            if !lost.is_empty() {
                parts.push(format!("drops {}", list(&lost)));
            }
            return Some(Found {
                kind,
                material,
                summary: format!("{}: {}", words.state(n), parts.join("; ")),
                old: o.evidence(|s| names_any(s, &lost)),
                new: n.evidence(|s| names_any(s, &gained)),
            });
        }
    }
    if n.key != "retention.period" {
        return None;
    }
    let (kind, material) = match (o.retention, n.retention) {
        (Some(a), Some(b)) => match b.compare(a) {
            Some(std::cmp::Ordering::Equal) => return None,
            Some(std::cmp::Ordering::Greater) => (ChangeKind::Expanded, true),
            Some(std::cmp::Ordering::Less) => (ChangeKind::Narrowed, false),
            // Fixed against counted from closure: a lawyer must look.
            None => (ChangeKind::Modified, true),
        },
        (Some(_), None) => (ChangeKind::Modified, true),
        (None, Some(b)) => (ChangeKind::Modified, b == Retention::Indefinite),
        (None, None) => return None,
    };
    Some(Found {
        kind,
        material,
        summary: was_now(),
        old: o.evidence(|s| s.retention.is_some() && s.retention == o.retention),
        new: n.evidence(|s| s.retention.is_some() && s.retention == n.retention),
    })
}

/// Folds per-data-type collection changes into one change per kind and materiality.
fn group_collection(
    changes: Vec<PracticeChange>,
    had_collection: bool,
    has_collection: bool,
    words: &Words<'_>,
) -> Vec<PracticeChange> {
    let (collection, mut rest): (Vec<_>, Vec<_>) = changes
        .into_iter()
        .partition(|c| c.id.starts_with("collection.") && c.id != "collection.other-sources");
    let mut groups: BTreeMap<(ChangeKind, bool), Vec<PracticeChange>> = BTreeMap::new();
    for c in collection {
        // Only "now collects X" and "no longer mentions collecting X" read well as a list;
        // denials and flips keep their own summaries.
        match (c.kind, c.material) {
            (ChangeKind::Added, true) | (ChangeKind::Removed, false) => {
                groups.entry((c.kind, c.material)).or_default().push(c)
            }
            _ => rest.push(c),
        }
    }
    for ((kind, material), members) in groups {
        let mut data_types: BTreeSet<String> = BTreeSet::new();
        let mut old = Vec::new();
        let mut new = Vec::new();
        let mut ids = Vec::new();
        for m in &members {
            data_types.extend(m.data_types.iter().cloned());
            ids.push(m.id.clone());
            for e in &m.old {
                if !old.contains(e) && old.len() < MAX_EVIDENCE {
                    old.push(e.clone());
                }
            }
            for e in &m.new {
                if !new.contains(e) && new.len() < MAX_EVIDENCE {
                    new.push(e.clone());
                }
            }
        }
        let labels: Vec<String> = data_types.iter().map(|d| words.label(d)).collect();
        let (kind, summary) = match kind {
            ChangeKind::Added if had_collection => (
                ChangeKind::Expanded,
                format!("collects more data: {}", labels.join(", ")),
            ),
            ChangeKind::Added => (ChangeKind::Added, format!("collects {}", labels.join(", "))),
            ChangeKind::Removed if has_collection => (
                ChangeKind::Narrowed,
                format!("no longer mentions collecting {}", labels.join(", ")),
            ),
            ChangeKind::Removed => (
                ChangeKind::Removed,
                format!("no longer mentions collecting {}", labels.join(", ")),
            ),
            other => (
                other,
                format!("collection changed for {}", labels.join(", ")),
            ),
        };
        rest.push(PracticeChange {
            id: ids.join("+"),
            category: Category::Collection,
            kind,
            material,
            review: false,
            also: Vec::new(),
            summary,
            data_types: data_types.into_iter().collect(),
            old,
            new,
            practice: "collection".to_string(),
        });
    }
    rest
}

/// The fingerprint of a change: its category, kind, practice keys and data types, never its
/// lines or wording, so an unrelated edit elsewhere in the file keeps it.
fn fingerprint(change: &PracticeChange) -> String {
    let mut h = Sha256::new();
    h.update(change.category.as_str());
    h.update(b"|");
    // The kind's name as fingerprints have spelt it since 0.1.0 (capitalised); fixed text,
    // so that renaming the Rust variant can never void an acknowledgement.
    h.update(change.kind.fingerprint_name());
    h.update(b"|");
    h.update(&change.id);
    h.update(b"|");
    h.update(change.data_types.join(","));
    crate::policy::hex(&h.finalize()[..8])
}

/// The words used in summaries.
struct Words<'a> {
    taxonomy: &'a Taxonomy,
}

impl Words<'_> {
    /// A data type, recipient, purpose or place id for people.
    fn label(&self, id: &str) -> String {
        if let Some(d) = self.taxonomy.data_type(id) {
            return d.label.clone();
        }
        id.replace('-', " ")
    }

    /// The practice in the base form: "sell personal information to data brokers".
    fn phrase(&self, p: &Practice) -> String {
        let list = |set: &BTreeSet<String>| {
            set.iter()
                .map(|x| self.label(x))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let key = p.key.as_str();
        if let Some(cue) = self.taxonomy.cue_practices.iter().find(|c| c.key == key) {
            return match key {
                "international.storage" if !p.places.is_empty() => {
                    format!("{} ({})", cue.summary, list(&p.places))
                }
                _ => cue.summary.clone(),
            };
        }
        let with_types = |s: String| {
            if p.data_types.is_empty() {
                s
            } else {
                format!("{s} ({})", list(&p.data_types))
            }
        };
        if key == "sharing.sale" {
            let to = if p.recipients.is_empty() {
                String::new()
            } else {
                format!(" to {}", list(&p.recipients))
            };
            return with_types(format!("sell personal information{to}"));
        }
        if key == "collection.other-sources" {
            return format!(
                "combine personal information with information from {}",
                list(&p.recipients)
            );
        }
        if let Some(r) = key.strip_prefix("sharing.") {
            return with_types(format!("share personal information with {}", self.label(r)));
        }
        if let Some(d) = key.strip_prefix("collection.") {
            return format!("collect {}", self.label(d));
        }
        if let Some(purpose) = key.strip_prefix("purpose.") {
            return format!("use personal information for {}", self.label(purpose));
        }
        if key == "retention.period" {
            return match p.retention {
                Some(r) => format!("keep personal information {}", r.describe()),
                None => "keep personal information for a period it does not state".to_string(),
            };
        }
        key.to_string()
    }

    /// The practice with its polarity: "may sell ...", "does not sell ...", "will keep ...".
    fn state(&self, p: &Practice) -> String {
        let phrase = self.phrase(p);
        match (p.protective, p.polarity) {
            (_, Polarity::DoesNot) => format!("does not {phrase}"),
            (true, _) => format!("will {phrase}"),
            (false, Polarity::Restricted) => format!("may {phrase}, in limited circumstances"),
            (false, Polarity::Does) => format!("may {phrase}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(old: &str, new: &str) -> Vec<(Category, ChangeKind, bool)> {
        let taxonomy = Taxonomy::embedded();
        let (a, b) = (
            crate::policy::parse("old.md", old, String::new()),
            crate::policy::parse("new.md", new, String::new()),
        );
        compare(&a, &b, &taxonomy)
            .into_iter()
            .map(|c| (c.category, c.kind, c.material))
            .collect()
    }

    #[test]
    fn retention_periods_that_cannot_be_compared_are_a_material_modification() {
        assert_eq!(
            changes(
                "We retain your data for 2 years.\n",
                "We retain your data for 1 year after your account is closed.\n"
            ),
            [(Category::Retention, ChangeKind::Modified, true)]
        );
    }

    #[test]
    fn a_deletion_period_said_as_a_keeping_period_is_compared_by_length() {
        let deleted = "These logs are deleted after 30 days.\n";
        assert_eq!(
            changes(deleted, "These logs are stored for only 1 day.\n"),
            [(Category::Retention, ChangeKind::Narrowed, false)]
        );
        assert_eq!(
            changes(deleted, "These logs are stored for 90 days.\n"),
            [(Category::Retention, ChangeKind::Expanded, true)]
        );
        // A deletion promise dropped without a period in its place is still a lost promise.
        assert_eq!(
            changes(deleted, "These logs are stored on our servers in Japan.\n")
                .into_iter()
                .filter(|c| c.0 == Category::Retention)
                .collect::<Vec<_>>(),
            [(Category::Retention, ChangeKind::Removed, true)]
        );
    }

    #[test]
    fn more_countries_expand_and_fewer_narrow() {
        let two = "Your data is stored on servers in Japan and Singapore.\n";
        let one = "Your data is stored on servers in Japan.\n";
        assert_eq!(
            changes(one, two),
            [(Category::International, ChangeKind::Expanded, true)]
        );
        assert_eq!(
            changes(two, one),
            [(Category::International, ChangeKind::Narrowed, false)]
        );
    }

    #[test]
    fn the_coverage_of_a_denial_is_not_compared() {
        assert_eq!(
            changes(
                "We do not sell your email address or phone number to data brokers.\n",
                "We do not sell your email address to advertisers.\n"
            ),
            []
        );
    }

    #[test]
    fn a_denial_that_becomes_a_statement_is_one_material_change() {
        assert_eq!(
            changes(
                "We do not sell personal information.\n",
                "We may sell personal information to data brokers.\n"
            ),
            [(Category::Sharing, ChangeKind::Expanded, true)]
        );
    }

    #[test]
    fn an_outright_denial_lost_beside_a_looser_statement_is_material() {
        let old = "We keep your account secure with encryption.\n\nAll customer information will be treated with the utmost care and will not be \
                   divulged to anyone under any circumstances.\n\nWe do not share personal \
                   information with other companies except to provide services you requested.\n";
        let silent = "We keep your account secure with encryption.\n";
        assert_eq!(
            changes(old, silent),
            [(Category::Sharing, ChangeKind::Removed, true)]
        );
        // Without the outright denial, a restricted practice that goes is no material change.
        let restricted = "We keep your account secure with encryption.\n\nWe do not share personal information with other companies except to \
                          provide services you requested.\n";
        assert!(changes(restricted, silent).iter().all(|c| !c.2));
        // Restated as a denial with exceptions, it is compared restricted against restricted.
        assert_eq!(changes(old, restricted), []);
        // "Only in these cases" is no denial: the outright promise is gone.
        let only = "We keep your account secure with encryption.\n\nWe share personal \
                    information with other companies only to provide services you requested.\n";
        assert_eq!(
            changes(old, only),
            [(Category::Sharing, ChangeKind::Removed, true)]
        );
        assert_eq!(changes(old, old), []);
    }

    /// Acknowledgements users commit name these fingerprints: the values are pinned, so no
    /// refactor (renaming a variant, reordering fields) can silently void one.
    #[test]
    fn fingerprints_are_pinned() {
        let change = |category, kind, practice: &str, types: &[&str]| PracticeChange {
            id: practice.to_string(),
            category,
            kind,
            material: true,
            summary: String::new(),
            data_types: types.iter().map(|t| t.to_string()).collect(),
            old: Vec::new(),
            new: Vec::new(),
            practice: practice.to_string(),
            review: false,
            also: Vec::new(),
        };
        let sale = change(
            Category::Sharing,
            ChangeKind::Added,
            "sharing.sale",
            &["contact.email", "interests"],
        );
        assert_eq!(fingerprint(&sale), "d1e079467f69dc79");
        let kept = change(
            Category::Retention,
            ChangeKind::Expanded,
            "retention.account",
            &[],
        );
        assert_eq!(fingerprint(&kept), "7e6b92a4faeecb10");
    }
}
