//! Practice extraction: a [`Policy`] becomes a [`PracticeSet`] of statements such as
//! "collects `contact.email`", "does not sell personal information", "keeps data seven years
//! after the account is closed".
//!
//! Each sentence (or list item) is tokenised and matched against the [`Taxonomy`]; then:
//!
//! - **cue practices** (security measures, choices, tracking, change notice, transfer promises,
//!   audience, international storage) are found by their phrases;
//! - **collection**: a collection verb plus data types gives one statement per data type;
//!   naming a partner as the source ("information we obtain from business partners") adds
//!   `collection.other-sources`;
//! - **sharing**: a sharing verb gives one statement per recipient (`sharing.advertisers`,
//!   `sharing.third-parties` when none is named); a sale verb (sell, rent, trade) gives
//!   `sharing.sale`. A sentence about a merger or acquisition is a transfer, not sharing;
//! - **purpose**: a use verb plus purposes gives one statement per purpose;
//! - **retention**: a retention verb plus a period gives `retention.period` with its value.
//!
//! Polarity: a negation (`not`, `never`, `no`, ...) up to twelve tokens before the verb, with no
//! clause break between, makes a statement `does-not`; a coordinated list keeps the negation
//! ("does not rent, sell, or share"). An exception ("except", "unless", "only") makes a sharing
//! statement `restricted`. A sale denial with exceptions stays a denial: in such sentences the
//! exceptions describe sharing. The policy's own company names (found in phrases such as
//! `(herein referred to as Metropolis)` or `Sakura Travel K.K. ("Sakura Travel", "we")`) read
//! as "we", so the company is never taken for a third party.
//!
//! A list item completes the sentence that introduces its list ("we use customer information
//! for the following purposes:" / "to contact you"): it is read together with that sentence.
//! Rows of a table are read with its header row ("| Data | Why | Shared with |"), and need a
//! named recipient to count as sharing ("nobody" is none). Questions and titles set as
//! sentences ("Who we share it with.") state nothing.
//! A sentence with no verb of its own under a heading such as "Who we share it with" is read
//! with the heading; it then needs a named recipient to count as sharing.
//!
//! Sentences about the policy itself ("this policy explains what we collect") are skipped.
//!
//! A practice a policy does not mention is absent from its set: unknown, never a denial.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::compare::{Category, Evidence};
use crate::policy::{BlockKind, Policy};
use crate::taxonomy::{self, Cue, Taxonomy, Token};

mod retention;
mod sentence;
mod text;

pub use retention::Retention;
use sentence::{has_verb_cue, is_definition, is_title_or_question, Sentence};
use text::{company_aliases, replace_aliases, sentences, Locator};

/// Does the policy say it does something, does so only in limited cases, or does not?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Polarity {
    /// "we do not sell ..."
    DoesNot,
    /// "we share ... only in the following circumstances", "does not share ... except"
    Restricted,
    /// "we may share ..."
    Does,
}

/// One thing a policy says about personal data.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The practice key, e.g. `sharing.advertisers`, `collection.contact.email`.
    pub key: String,
    /// Its category.
    pub category: Category,
    /// A practice that protects people (a choice, a safeguard, a notice promise).
    pub protective: bool,
    /// Does, does only in limited cases, does not.
    pub polarity: Polarity,
    /// "may" (true) or a firm statement.
    pub may: bool,
    /// Data types named in the sentence.
    pub data_types: BTreeSet<String>,
    /// Recipients named in the sentence.
    pub recipients: BTreeSet<String>,
    /// Countries or regions named in the sentence.
    pub places: BTreeSet<String>,
    /// The retention period, for `retention.period`.
    pub retention: Option<Retention>,
    /// Condition and exception words found ("if", "except", "with your consent").
    pub conditions: Vec<String>,
    /// Where it is said.
    pub evidence: Evidence,
}

/// All statements of one policy.
#[derive(Debug, Clone, Default)]
pub struct PracticeSet {
    /// In document order.
    pub statements: Vec<Statement>,
}

/// Extracts the practice statements of a policy.
pub fn extract(policy: &Policy, taxonomy: &Taxonomy) -> PracticeSet {
    let aliases = company_aliases(policy);
    let mut statements = Vec::new();
    let mut heading_tokens: HashMap<&str, Vec<Token>> = HashMap::new();
    // The last sentence of a block ending in ':' ("we use information for these purposes:")
    // and its list depth: the items nested deeper after it complete that sentence.
    let mut lead: Option<(Vec<Token>, u8)> = None;
    // The header row of the current table ("| Data | Why | Shared with |").
    let mut table_head: Option<Vec<Token>> = None;
    let mut previous_kind = None;
    for block in &policy.blocks {
        let kind = block.kind;
        let first_row = kind == BlockKind::TableRow && previous_kind != Some(BlockKind::TableRow);
        previous_kind = Some(kind);
        if matches!(kind, BlockKind::Heading(_) | BlockKind::Code) {
            lead = None;
            continue;
        }
        if lead
            .as_ref()
            .is_some_and(|(_, depth)| block.depth <= *depth)
        {
            lead = None;
        }
        if kind != BlockKind::TableRow {
            table_head = None;
        }
        let inherited: Option<Vec<Token>> = match kind {
            BlockKind::ListItem => lead.as_ref().map(|(tokens, _)| tokens.clone()),
            BlockKind::TableRow if !first_row => table_head.clone(),
            _ => None,
        };
        let from_table = kind == BlockKind::TableRow && inherited.is_some();
        let (block_tokens, offsets) = taxonomy::tokens_with_offsets(&block.text);
        for heading in &block.section {
            heading_tokens
                .entry(heading.as_str())
                .or_insert_with(|| taxonomy::tokens(heading));
        }
        let mut context: Vec<&[Token]> = vec![&block_tokens];
        context.extend(
            block
                .section
                .iter()
                .map(|h| heading_tokens[h.as_str()].as_slice()),
        );
        let mut locator = Locator::new(policy, block);
        for sentence in sentences(&block.text) {
            let start = sentence.as_ptr() as usize - block.text.as_ptr() as usize;
            let end = start + sentence.len();
            let from = offsets.partition_point(|&o| o < start);
            let to = offsets.partition_point(|&o| o < end);
            let toks = &block_tokens[from..to];
            if is_title_or_question(sentence, toks)
                || is_definition(toks)
                || taxonomy.cue(Cue::Meta).any(toks)
            {
                // "This policy explains how we collect and share ..." is about the text.
                continue;
            }
            let toks = replace_aliases(toks, &aliases);
            let evidence = Evidence {
                line: locator.locate(sentence),
                text: sentence.to_string(),
            };
            // A sentence with no verb of its own ("Authorities, when required by law.") under a
            // heading such as "Who we share it with" is read with that heading.
            // Table rows are read with their heading too ("What we collect" over
            // "| Data | Why | Shared with |").
            let under_heading =
                from_table || (inherited.is_none() && !has_verb_cue(taxonomy, &toks));
            let heading = block
                .section
                .last()
                .filter(|_| under_heading)
                .map(|h| heading_tokens[h.as_str()].as_slice());
            let heading_len = heading.map_or(0, <[Token]>::len);
            // Recipients after a list's lead-in are its exceptions (see `statements`).
            let lead_len = inherited
                .as_ref()
                .map_or(0, |lead| heading_len + lead.len());
            let toks = match (heading, &inherited) {
                (None, None) => toks,
                (heading, inherited) => std::borrow::Cow::Owned(
                    [
                        heading.unwrap_or_default(),
                        inherited.as_deref().unwrap_or_default(),
                        &toks,
                    ]
                    .concat(),
                ),
            };
            let mut sentence = Sentence::new(taxonomy, &toks, &context, evidence);
            // A heading lends its verb ("Who we share it with"), never a negation.
            sentence.negations.retain(|n| n.start >= heading_len);
            // A table cell such as "nobody" under "Shared with" names no recipient.
            sentence.named_only = heading.is_some() || from_table;
            sentence.lead_len = lead_len;
            sentence.statements(&mut statements);
        }
        if first_row {
            table_head = Some(taxonomy::tokens(&block.text));
        }
        if block.text.ends_with(':') {
            let last = sentences(&block.text).last().copied().unwrap_or_default();
            let tokens = replace_aliases(&taxonomy::tokens(last), &aliases).into_owned();
            // "Six things:" says nothing; its items are read with the heading instead.
            lead = has_verb_cue(taxonomy, &tokens).then_some((tokens, block.depth));
        } else if kind != BlockKind::ListItem {
            lead = None;
        }
    }
    PracticeSet { statements }
}

/// Statements grouped by practice key, in key order.
pub(crate) fn by_key(set: &PracticeSet) -> BTreeMap<&str, Vec<&Statement>> {
    let mut map: BTreeMap<&str, Vec<&Statement>> = BTreeMap::new();
    for s in &set.statements {
        map.entry(s.key.as_str()).or_default().push(s);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::retention::retention_value;
    use super::*;

    fn keys(text: &str) -> Vec<(String, Polarity)> {
        let policy = crate::policy::parse("t.md", text, String::new());
        extract(&policy, &Taxonomy::embedded())
            .statements
            .into_iter()
            .map(|s| (s.key, s.polarity))
            .collect()
    }

    #[test]
    fn negation_with_exceptions_and_coordination() {
        let found = keys("Metropolis does not rent, sell, or share personal information about you with non-affiliated companies except to provide services you requested.");
        assert!(
            found.contains(&("sharing.sale".into(), Polarity::DoesNot)),
            "{found:?}"
        );
        assert!(
            found.contains(&("sharing.third-parties".into(), Polarity::Restricted)),
            "{found:?}"
        );
    }

    #[test]
    fn sale_to_brokers_and_collection() {
        let found = keys(
            "We may sell your email address to data brokers. We collect your passport number.",
        );
        assert!(
            found.contains(&("sharing.sale".into(), Polarity::Does)),
            "{found:?}"
        );
        assert!(
            found.contains(&("collection.government.passport".into(), Polarity::Does)),
            "{found:?}"
        );
    }

    #[test]
    fn sentences_skip_abbreviations() {
        assert_eq!(
            sentences("We use data, e.g. Your name. Sakura Travel K.K. Is here. Then i.e. More"),
            [
                "We use data, e.g. Your name.",
                "Sakura Travel K.K. Is here.",
                "Then i.e. More"
            ]
        );
    }

    #[test]
    fn retention_periods() {
        let t = |s: &str| retention_value(&taxonomy::tokens(s));
        assert_eq!(
            t("we keep it for seven years after it is closed"),
            Some(Retention::AfterClosure(7 * 365))
        );
        assert_eq!(
            t("as long as your account is active"),
            Some(Retention::AfterClosure(0))
        );
        assert_eq!(t("we retain logs for 90 days"), Some(Retention::Fixed(90)));
        assert_eq!(
            t("we keep your data indefinitely"),
            Some(Retention::Indefinite)
        );
    }
}
