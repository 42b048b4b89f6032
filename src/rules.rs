//! Rule packs: what a law (or a promise) requires before members' data move, as YAML.
//!
//! The shipped packs live in `policies/rules/*.yaml` and are embedded in the binary:
//! `metropolis-promise` (the 2012 promise, every other pack's floor), `appi`, `gdpr`, `ccpa`,
//! `ftc`. Each cites its sources in comments (tags and sources as in the research notes). A
//! case may also name a pack file of its own (a path ending in `.yaml`).
//!
//! A pack states:
//!
//! | key | meaning |
//! |---|---|
//! | `pack`, `title` | id (used in rule ids: `appi.purpose-consent`) and a line for people |
//! | `extends` | packs included before this one (the shipped law packs extend the promise) |
//! | `notice_period_days` | days between notice and the earliest export |
//! | `trigger` | when the pack requires notice: `any-practice-change`, `material-change`, or `transfer` (always: the move itself is what people are told) |
//! | `scope` | `all` members, or `affected`: only practice changes whose data types the member holds count for them; a change with no data types is policy-wide and touches everyone |
//! | `channels` | allowed notice channels in order of preference: `email`, `site-notice` (the fallback for members without a valid email) |
//! | `objection` | `exclude`: a recorded objection, deletion or declined consent excludes |
//! | `minors` | `{age: N}`: for a member younger than N at plan time, a parent or guardian gives any consent the decision needs; being a minor alone never asks consent |
//! | `carry_flags` | flags (`do_not_sell`, `unsubscribed`) that travel with the member: the flag column must be exported, and the rule `PACK.carry-FLAG` is recorded |
//! | `covers_deals` | for a promise: the deals it covers (`merger`, `business-transfer`, `share-purchase`); `plan` flags a deal outside them, and `when: {deal_outside_promise: true}` matches it |
//! | `consent_required` | rules `{id, reason, for, when}` that need the member's yes |
//!
//! `for` says what waits for the yes: `move` (the decision is `consent`: no yes, no move) or
//! `new-use` (the practice changes the rule matched go to the decision's `opt_in`: the member
//! moves after notice and the acquirer keeps those uses away from them until they say yes).
//! Default: `new-use` for a rule with a change condition, `move` for one without; a `new-use`
//! rule without a change condition is refused.
//!
//! A `when` holds conditions that must all be true:
//!
//! - on a practice change, met when at least one change in the pack's scope matches all of
//!   them: `category`, `kind`, `material`, `practice` (taxonomy practice keys:
//!   `sharing.<recipient>` such as `sharing.advertisers`, `sharing.affiliates`,
//!   `sharing.data-brokers`, `sharing.third-parties`, `sharing.public`; `sharing.sale`;
//!   `purpose.<purpose>`; `tracking.third-party` for third-party ad cookies and trackers;
//!   `tracking.analytics` for analytics tools by name (no shipped pack matches it);
//!   `international.storage`; `collection`), `unrelated_purpose` (a purpose change whose
//!   purpose the case does not list in `related_purposes`);
//! - on the member: `holds_sensitive` (a sensitive data type that leaves in the export),
//!   `holds` (one of these data types, and it leaves), `flag`, `younger_than`;
//! - on the deal: `deal` (its kind), `deal_outside_promise`, `acquirer_outside` (the case's
//!   `acquirer_country` is none of these ISO 3166-1 alpha-2 codes; `EEA` stands for the 30 EEA
//!   states; a pack with such a rule makes `acquirer_country` required), `unless_basis` (the
//!   case's `transfer_basis` is none of these: `adequacy`, `scc`, `dpf`, `equivalent-system`,
//!   `consent`).
//!
//! Combining packs: each pack is evaluated on its own for each member and the strictest
//! outcome wins (`consent` over `notify` over `transfer`); the rule ids of every pack that
//! asked for it are recorded, and the opt-ins are the union of every pack's. In parameter
//! terms: the longest notice period, any trigger, the union of consent rules, `all` beats
//! `affected`, the highest minors age, the channels that every pack allows.
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{Category, ChangeKind, Deal, TransferBasis};
pub use crate::model::{Channel, Flag};

/// The shipped packs, in the order `handover` lists them.
pub const EMBEDDED: [(&str, &str); 5] = [
    (
        "metropolis-promise",
        include_str!("../policies/rules/metropolis-promise.yaml"),
    ),
    ("appi", include_str!("../policies/rules/appi.yaml")),
    ("gdpr", include_str!("../policies/rules/gdpr.yaml")),
    ("ccpa", include_str!("../policies/rules/ccpa.yaml")),
    ("ftc", include_str!("../policies/rules/ftc.yaml")),
];

/// When a pack requires notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Any practice change, material or not.
    AnyPracticeChange,
    /// A material practice change.
    MaterialChange,
    /// Always: the transfer itself.
    Transfer,
}

impl Trigger {
    /// The reason recorded for a notice it requires.
    pub fn reason(self) -> &'static str {
        match self {
            Trigger::AnyPracticeChange => "practice-change",
            Trigger::MaterialChange => "material-change",
            Trigger::Transfer => "transfer",
        }
    }
}

/// Which practice changes count for a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every change counts for every member.
    All,
    /// Only changes touching a data type the member holds (or policy-wide ones).
    Affected,
}

/// What a recorded objection does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Objection {
    /// The member is excluded (the only behaviour today).
    Exclude,
}

/// The minors rule: who gives a consent the pack needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Minors {
    /// For members younger than this at plan time, a parent or guardian gives any consent
    /// (for the move or for a new use); older members give it themselves.
    pub age: u32,
}

/// What a consent rule holds back until the member says yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gate {
    /// The move itself: the decision is `consent`.
    Move,
    /// The new use of the practice changes the rule matched: they go to the decision's
    /// `opt_in`; the member moves after notice (under `consent_mode: ringfence`).
    NewUse,
}

/// The EEA states (EU 27, Iceland, Liechtenstein, Norway): what `EEA` stands for in
/// `acquirer_outside`.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Whether `code` (ISO 3166-1 alpha-2, upper case) is one of `places` (codes or `EEA`).
pub fn country_in(code: &str, places: &[String]) -> bool {
    places
        .iter()
        .any(|p| p == code || (p == "EEA" && EEA.contains(&code)))
}

/// Whether `deal` is outside every deal scope the promise packs among `packs` state
/// (`covers_deals`); false when no pack limits deals.
pub fn outside_promises(packs: &[Pack], deal: Deal) -> bool {
    promises_not_covering(packs, deal).next().is_some()
}

/// The packs that limit the deals they cover and do not cover `deal`.
pub fn promises_not_covering(packs: &[Pack], deal: Deal) -> impl Iterator<Item = &Pack> {
    packs
        .iter()
        .filter(move |p| !p.covers_deals.is_empty() && !p.covers_deals.contains(&deal))
}

/// Whether `code` is an ISO 3166-1 alpha-2 country code (upper case).
pub fn is_country(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && celes::Country::from_alpha2(code).is_ok()
}

/// Conditions of a consent rule; all that are given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Practice change categories.
    #[serde(default)]
    pub category: Vec<Category>,
    /// Practice change kinds.
    #[serde(default)]
    pub kind: Vec<ChangeKind>,
    /// Material (or not) changes.
    #[serde(default)]
    pub material: Option<bool>,
    /// Practice keys (`sharing.sale`, `purpose.profiling`, `collection`).
    #[serde(default)]
    pub practice: Vec<String>,
    /// Kinds of deal.
    #[serde(default)]
    pub deal: Vec<Deal>,
    /// The member holds a sensitive data type that leaves in the export.
    #[serde(default)]
    pub holds_sensitive: bool,
    /// The member holds one of these data types, and it leaves in the export.
    #[serde(default)]
    pub holds: Vec<String>,
    /// The member has this flag set.
    #[serde(default)]
    pub flag: Option<Flag>,
    /// The member is younger than this many years at plan time.
    #[serde(default)]
    pub younger_than: Option<u32>,
    /// The acquirer's country (`acquirer_country`) is none of these (ISO 3166-1 alpha-2
    /// codes, or `EEA`).
    #[serde(default)]
    pub acquirer_outside: Vec<String>,
    /// The case's `transfer_basis` is none of these (or missing).
    #[serde(default)]
    pub unless_basis: Vec<TransferBasis>,
    /// The change is a purpose the case does not declare related (`related_purposes`).
    #[serde(default)]
    pub unrelated_purpose: bool,
    /// The case's deal is outside the deals a promise pack covers (`covers_deals`).
    #[serde(default)]
    pub deal_outside_promise: bool,
}

impl When {
    /// Whether any condition is on practice changes.
    pub fn on_changes(&self) -> bool {
        !self.category.is_empty()
            || !self.kind.is_empty()
            || self.material.is_some()
            || !self.practice.is_empty()
            || self.unrelated_purpose
    }
}

/// A rule that needs opt-in rather than notice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRule {
    /// Id within the pack.
    pub id: String,
    /// The reason recorded (`new-purpose`).
    pub reason: String,
    /// What waits for the yes (`for:`); default: `new-use` for a rule on practice changes,
    /// `move` for one on the member or the deal alone.
    #[serde(default, rename = "for")]
    pub gate: Option<Gate>,
    /// When it applies.
    pub when: When,
}

impl ConsentRule {
    /// What waits for the yes, the default applied.
    pub fn gate(&self) -> Gate {
        self.gate.unwrap_or(if self.when.on_changes() {
            Gate::NewUse
        } else {
            Gate::Move
        })
    }
}

/// One rule pack.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// The pack id.
    #[serde(rename = "pack")]
    pub id: String,
    /// A line for people.
    pub title: String,
    /// Packs included before this one.
    #[serde(default)]
    pub extends: Vec<String>,
    /// Days between notice and the earliest export.
    pub notice_period_days: u32,
    /// When notice is required.
    pub trigger: Trigger,
    /// Which changes count for a member.
    pub scope: Scope,
    /// Allowed channels in order of preference.
    pub channels: Vec<Channel>,
    /// What a recorded objection does.
    pub objection: Objection,
    /// The minors rule.
    #[serde(default)]
    pub minors: Option<Minors>,
    /// Flags that travel with the member.
    #[serde(default)]
    pub carry_flags: Vec<Flag>,
    /// Consent rules.
    #[serde(default)]
    pub consent_required: Vec<ConsentRule>,
    /// The deals a promise covers (`merger`, ...); empty: the pack does not limit deals.
    #[serde(default)]
    pub covers_deals: Vec<Deal>,
    /// Hex SHA-256 of the pack's bytes.
    #[serde(skip)]
    pub sha256: String,
    /// Where it came from: `embedded` or the file path.
    #[serde(skip)]
    pub source: String,
}

impl Pack {
    /// Parses a pack; `name` is used in messages.
    pub fn from_yaml(name: &str, text: &str) -> Result<Pack> {
        crate::input::no_duplicate_keys(name, text)?;
        let mut pack: Pack =
            serde_yaml_ng::from_str(text).map_err(|e| crate::yaml::yaml_error(name, e))?;
        pack.sha256 = crate::policy::hex(&Sha256::digest(text.as_bytes()));
        pack.source = name.to_string();
        let invalid = |message: String| Error::Invalid {
            location: name.to_string(),
            message,
        };
        if pack.channels.is_empty() {
            return Err(invalid(
                "a pack needs at least one channel, e.g. `channels: [email, site-notice]`".into(),
            ));
        }
        let taxonomy = crate::taxonomy::Taxonomy::embedded();
        for (i, rule) in pack.consent_required.iter().enumerate() {
            if pack.consent_required[..i].iter().any(|r| r.id == rule.id) {
                return Err(invalid(format!(
                    "consent rule id `{}` appears twice; rule ids must be unique",
                    rule.id
                )));
            }
            if rule.gate.is_some_and(|g| g == Gate::NewUse) && !rule.when.on_changes() {
                return Err(invalid(format!(
                    "consent rule `{}` is `for: new-use` but names no practice change to hold \
                     back; add a change condition (category, kind, material, practice, \
                     unrelated_purpose) or use `for: move`",
                    rule.id
                )));
            }
            if let Some(bad) = rule
                .when
                .acquirer_outside
                .iter()
                .find(|c| *c != "EEA" && !is_country(c))
            {
                return Err(invalid(format!(
                    "consent rule `{}`: `{bad}` in acquirer_outside is not an ISO 3166-1 alpha-2 \
                     code (e.g. JP, GB) or EEA",
                    rule.id
                )));
            }
            if let Some(bad) = rule
                .when
                .holds
                .iter()
                .find(|id| taxonomy.data_type(id).is_none())
            {
                return Err(invalid(format!(
                    "consent rule `{}`: unknown data type `{bad}`; use an id of policies/taxonomy.yaml",
                    rule.id
                )));
            }
        }
        Ok(pack)
    }

    /// A shipped pack by id.
    pub fn embedded(id: &str) -> Option<Pack> {
        EMBEDDED.iter().find(|(n, _)| *n == id).map(|(n, text)| {
            Pack::from_yaml(&format!("policies/rules/{n}.yaml (embedded)"), text)
                .expect("the embedded packs are valid; a test checks them")
        })
    }
}

/// The packs of a case, `extends` expanded, each once, in order.
#[derive(Debug, Clone)]
pub struct RuleSet {
    packs: Vec<Pack>,
}

impl RuleSet {
    /// Resolves the case's `rules` entries `(name or path, position)`; pack files are relative
    /// to `dir`. `at` locates the `rules` key for an empty list.
    pub fn resolve(entries: &[(String, String)], dir: &Path, at: &str) -> Result<RuleSet> {
        if entries.is_empty() {
            return Err(Error::Invalid {
                location: at.to_string(),
                message: format!(
                    "no rule pack; name at least one, e.g. `rules: [metropolis-promise]` (shipped: {})",
                    names()
                ),
            });
        }
        let mut set = RuleSet { packs: Vec::new() };
        for (entry, position) in entries {
            let pack = load(entry, position, dir)?;
            set.add(pack, position, dir, 0)?;
        }
        Ok(set)
    }

    /// A rule set of the given packs, as they are (tests and library users).
    pub fn from_packs(packs: Vec<Pack>) -> RuleSet {
        RuleSet { packs }
    }

    fn add(&mut self, pack: Pack, position: &str, dir: &Path, depth: usize) -> Result<()> {
        if depth > 8 {
            return Err(Error::Invalid {
                location: position.to_string(),
                message: format!("rule pack `{}` extends itself; remove the cycle", pack.id),
            });
        }
        for parent in &pack.extends {
            let p = load(parent, position, dir)?;
            self.add(p, position, dir, depth + 1)?;
        }
        if !self.packs.iter().any(|p| p.id == pack.id) {
            self.packs.push(pack);
        }
        Ok(())
    }

    /// The packs, in evaluation order.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The longest notice period of all packs.
    pub fn notice_period_days(&self) -> u32 {
        self.packs
            .iter()
            .map(|p| p.notice_period_days)
            .max()
            .unwrap_or(0)
    }

    /// The channels every pack allows, in the first pack's order of preference.
    pub fn channels(&self) -> Vec<Channel> {
        let Some(first) = self.packs.first() else {
            return Vec::new();
        };
        first
            .channels
            .iter()
            .copied()
            .filter(|c| self.packs.iter().all(|p| p.channels.contains(c)))
            .collect()
    }
}

fn names() -> String {
    EMBEDDED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A pack by name, or from a `.yaml` file relative to `dir`.
fn load(entry: &str, position: &str, dir: &Path) -> Result<Pack> {
    if entry.ends_with(".yaml") || entry.ends_with(".yml") {
        let path = dir.join(entry);
        let text = crate::input::read(&path, crate::input::Kind::RulePack).map_err(|e| match e {
            Error::Read { source, .. } => Error::Invalid {
                location: position.to_string(),
                message: format!(
                    "cannot read rule pack file {}: {source}; check the path (relative to the case file)",
                    path.display()
                ),
            },
            other => other,
        })?;
        return Pack::from_yaml(&path.display().to_string(), &text);
    }
    Pack::embedded(entry).ok_or_else(|| Error::Invalid {
        location: position.to_string(),
        message: format!(
            "unknown rule pack `{}`; {}use one of {}, or a path to a pack file ending in .yaml",
            crate::input::excerpt(entry),
            crate::yaml::suggest(entry, EMBEDDED.iter().map(|(n, _)| *n)),
            names()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_packs_parse_and_extend_the_promise() {
        for (name, _) in EMBEDDED {
            let pack = Pack::embedded(name).unwrap();
            assert_eq!(pack.id, name);
            if name != "metropolis-promise" {
                assert_eq!(pack.extends, ["metropolis-promise"], "{name}");
            }
        }
    }

    #[test]
    fn combining_keeps_each_pack_once_and_takes_the_strictest_parameters() {
        let entries: Vec<(String, String)> = ["gdpr", "appi", "metropolis-promise"]
            .iter()
            .map(|n| (n.to_string(), "h.yaml:1:1".to_string()))
            .collect();
        let set = RuleSet::resolve(&entries, Path::new("."), "h.yaml:1:1").unwrap();
        let ids: Vec<&str> = set.packs().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["metropolis-promise", "gdpr", "appi"]);
        assert_eq!(set.notice_period_days(), 42);
        assert_eq!(set.channels(), [Channel::Email, Channel::SiteNotice]);
    }

    #[test]
    fn consent_rules_say_what_waits_and_are_checked() {
        let base = "pack: p\ntitle: t\nnotice_period_days: 1\ntrigger: transfer\nscope: all\n\
                    channels: [email]\nobjection: exclude\nconsent_required:\n";
        let pack = |rule: &str| Pack::from_yaml("p.yaml", &format!("{base}{rule}"));
        let gate = |rule: &str| pack(rule).unwrap().consent_required[0].gate();
        assert_eq!(
            gate("  - {id: a, reason: r, when: {category: [purpose]}}\n"),
            Gate::NewUse
        );
        assert_eq!(
            gate("  - {id: a, reason: r, when: {deal: [merger]}}\n"),
            Gate::Move
        );
        assert_eq!(
            gate("  - {id: a, reason: r, for: move, when: {category: [purpose]}}\n"),
            Gate::Move
        );
        assert_eq!(
            pack("  - {id: a, reason: r, for: new-use, when: {holds_sensitive: true}}\n")
                .unwrap_err()
                .to_string(),
            "p.yaml: consent rule `a` is `for: new-use` but names no practice change to hold \
             back; add a change condition (category, kind, material, practice, \
             unrelated_purpose) or use `for: move`"
        );
        assert_eq!(
            pack("  - {id: a, reason: r, when: {acquirer_outside: [JP, UK]}}\n")
                .unwrap_err()
                .to_string(),
            "p.yaml: consent rule `a`: `UK` in acquirer_outside is not an ISO 3166-1 alpha-2 \
             code (e.g. JP, GB) or EEA"
        );
        assert!(country_in("DE", &["EEA".to_string()]));
        assert!(!country_in("CH", &["EEA".to_string()]));
    }

    #[test]
    fn unknown_pack_lists_the_shipped_ones() {
        let err = RuleSet::resolve(
            &[("hipaa".to_string(), "h.yaml:4:8".to_string())],
            Path::new("."),
            "h.yaml:4:1",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "h.yaml:4:8: unknown rule pack `hipaa`; use one of metropolis-promise, appi, gdpr, \
             ccpa, ftc, or a path to a pack file ending in .yaml"
        );
    }
}
