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
//! for the following purposes:" / "to contact you"): it is read together with that sentence,
//! from its last contrast on ("We do not collect personal data, you should however be aware
//! of the following:" lends its items nothing, least of all its denial).
//! Rows of a table are read with its header row ("| Data | Why | Shared with |"), and need a
//! named recipient to count as sharing ("nobody" is none). Questions and titles set as
//! sentences ("Who we share it with.") state nothing.
//! A sentence with no verb of its own under a heading such as "Who we share it with" is read
//! with the heading; it then needs a named recipient to count as sharing.
//!
//! Sentences about the policy itself ("this policy explains what we collect") are skipped,
//! and so are those that send the reader elsewhere for more ("For more information about
//! what data is collected, see the Cookie Notice"), unless they name a right ("... how you
//! may request deletion of your personal information, see our FAQ").
//!
//! A practice a policy does not mention is absent from its set: unknown, never a denial.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Category, Evidence};
use crate::policy::{BlockKind, Policy};
use crate::taxonomy::{self, Cue, Taxonomy, Token};

mod retention;
mod sentence;
pub(crate) mod text;

pub(crate) use retention::number;
pub use retention::Retention;
pub(crate) use sentence::{has_verb_cue, is_navigation, is_pointer};
use sentence::{is_definition, is_title_or_question, Sentence};
use text::{company_aliases, sentences, Aliases, Locator};

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
    /// Said as a denial: "does not", or "does not ... except" (restricted); not "does only".
    pub denial: bool,
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

/// Words of contrast that end what a list's lead-in says before them (see `extract`).
const CONTRASTS: &[&str] = &["but", "however", "although", "though", "whereas", "yet"];

/// Extracts the practice statements of a policy.
pub fn extract(policy: &Policy, taxonomy: &Taxonomy) -> PracticeSet {
    let aliases = Aliases::new(company_aliases(policy), taxonomy.people());
    let mut statements = Vec::new();
    let mut heading_tokens: HashMap<&str, Vec<Token>> = HashMap::new();
    // The last sentence of a block ending in ':' ("we use information for these purposes:")
    // and its list depth: the items nested deeper after it complete that sentence.
    // With it, the lead's own number label ("2.1(h)"), whose sub-clauses ("2.1(h)(i)") are
    // paragraphs that complete it just as nested list items do.
    let mut lead: Option<(Vec<Token>, u8, Option<&str>)> = None;
    // The header cells of the current table ("| Data | Why | Shared with |").
    let mut table_head: Option<Vec<Vec<Token>>> = None;
    let mut previous_kind = None;
    let contents = policy.contents_entries();
    for (k, block) in policy.blocks.iter().enumerate() {
        let kind = block.kind;
        let first_row = kind == BlockKind::TableRow && previous_kind != Some(BlockKind::TableRow);
        previous_kind = Some(kind);
        if matches!(kind, BlockKind::Heading(_) | BlockKind::Code) || contents[k] {
            lead = None;
            continue;
        }
        let label = crate::policy::number_label(&block.text).map(|l| l.trim_end_matches('.'));
        let sub_clause = kind == BlockKind::Paragraph
            && lead
                .as_ref()
                .is_some_and(|(_, _, parent)| match (parent, label) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(parent), Some(label)) => {
                        label.len() > parent.len() && label.starts_with(parent)
                    }
                });
        if !sub_clause
            && lead
                .as_ref()
                .is_some_and(|(_, depth, _)| block.depth <= *depth)
        {
            lead = None;
        }
        if kind != BlockKind::TableRow {
            table_head = None;
        }
        if first_row {
            // A header row labels columns ("| Data | Shared with |"); it states nothing itself.
            table_head = Some(block.text.split(" | ").map(taxonomy::tokens).collect());
            continue;
        }
        let head_cells = table_head.as_ref().filter(|_| !first_row);
        let inherited: Option<Vec<Token>> = match kind {
            BlockKind::ListItem => lead.as_ref().map(|(tokens, _, _)| tokens.clone()),
            BlockKind::Paragraph if sub_clause => {
                lead.as_ref().map(|(tokens, _, _)| tokens.clone())
            }
            BlockKind::TableRow => head_cells.map(|cells| cells.concat()),
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
        if let Some(head) = head_cells {
            let cells: Vec<&str> = block.text.split(" | ").collect();
            if cells.len() == head.len() {
                let heading = block
                    .section
                    .last()
                    .map(|h| heading_tokens[h.as_str()].as_slice());
                table_row(
                    taxonomy,
                    &aliases,
                    &context,
                    block,
                    heading,
                    head,
                    &cells,
                    &mut statements,
                );
                continue;
            }
        }
        let mut locator = Locator::new(policy, block);
        let block_sentences = sentences(&block.text);
        for (k, sentence) in block_sentences.iter().copied().enumerate() {
            let start = sentence.as_ptr() as usize - block.text.as_ptr() as usize;
            let end = start + sentence.len();
            let from = offsets.partition_point(|&o| o < start);
            let to = offsets.partition_point(|&o| o < end);
            let toks = &block_tokens[from..to];
            // "**Advertising partners.** We share ..." opens with a label, not a statement.
            let label = k == 0
                && block_sentences.len() > 1
                && toks.len() <= 4
                && !has_verb_cue(taxonomy, toks);
            // A pointer that names a right tells people they have it.
            let names_right = || {
                taxonomy
                    .practice_matcher
                    .find(toks)
                    .iter()
                    .any(|h| taxonomy.cue_practices[h.target].category == Category::Choices)
            };
            if label
                || is_title_or_question(sentence, toks)
                || is_navigation(sentence)
                || (is_pointer(toks) && !names_right())
                || is_definition(toks)
                || taxonomy.cue(Cue::Meta).any(toks)
            {
                // "This policy explains how we collect and share ..." is about the text.
                continue;
            }
            let toks = aliases.apply(toks);
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
            // "Sale of personal information — never": the denial comes last and covers all.
            sentence.denied = fragment_denial(&sentence.evidence.text);
            // A heading lends its verb ("Who we share it with"), never a negation, and never
            // a practice of its own: the heading "Cookies" does not make every sentence
            // under it say that cookies are set.
            sentence.negations.retain(|n| n.start >= heading_len);
            sentence.practice_hits.retain(|h| h.start >= heading_len);
            // A table cell such as "nobody" under "Shared with" names no recipient.
            sentence.named_only = heading.is_some() || from_table;
            sentence.lead_len = lead_len;
            sentence.statements(&mut statements);
        }

        if block.text.ends_with(':') {
            let last = sentences(&block.text).last().copied().unwrap_or_default();
            let mut tokens = aliases.apply(&taxonomy::tokens(last)).into_owned();
            // "We do not collect any personal data, you should however be aware of the
            // following:": the items complete the clause after the last contrast, not the
            // denial before it.
            if let Some(k) = tokens.iter().rposition(|t| CONTRASTS.contains(&t.as_str())) {
                tokens.drain(..=k);
            }
            // "Six things:" says nothing; its items are read with the heading instead.
            lead = has_verb_cue(taxonomy, &tokens).then_some((tokens, block.depth, label));
        } else if kind != BlockKind::ListItem && !sub_clause {
            lead = None;
        }
    }
    PracticeSet { statements }
}

/// A fragment whose second half is a bare denial: "Sale of your data — never",
/// "Advertising partners - no".
fn fragment_denial(sentence: &str) -> bool {
    let Some((_, tail)) = sentence
        .split_once(" \u{2014} ")
        .or_else(|| sentence.split_once(" \u{2013} "))
        .or_else(|| sentence.split_once(" - "))
    else {
        return false;
    };
    let first = tail
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_lowercase();
    matches!(first.as_str(), "never" | "no" | "not" | "none" | "nobody")
}

/// Reads a table row cell by cell, each with its column's header cell and the table's heading
/// ("What we collect" / "Shared with" / "Advertising partners"): a "What we don't do"
/// column denies its own cells only. Sharing needs a named recipient ("nobody" names none).
#[allow(clippy::too_many_arguments)] // the reading context of one row; a struct would only rename it
fn table_row(
    taxonomy: &Taxonomy,
    aliases: &Aliases,
    context: &[&[Token]],
    block: &crate::policy::Block,
    heading: Option<&[Token]>,
    head: &[Vec<Token>],
    cells: &[&str],
    out: &mut Vec<Statement>,
) {
    let heading = heading.unwrap_or_default();
    for (cell, head_cell) in cells.iter().zip(head) {
        let cell_tokens = taxonomy::tokens(cell);
        let cell_tokens = aliases.apply(&cell_tokens);
        let toks = [heading, head_cell.as_slice(), &cell_tokens].concat();
        let evidence = Evidence {
            line: block.lines.0,
            text: block.text.clone(),
        };
        let mut sentence = Sentence::new(taxonomy, &toks, context, evidence);
        sentence.negations.retain(|n| n.start >= heading.len());
        sentence.practice_hits.retain(|h| h.start >= heading.len());
        sentence.named_only = true;
        sentence.statements(out);
    }
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

    fn has(found: &[(String, Polarity)], key: &str, polarity: Polarity) -> bool {
        found.iter().any(|(k, p)| k == key && *p == polarity)
    }

    #[test]
    fn an_analytics_tool_by_name_is_a_tracker() {
        let found = keys("Our web site uses Google Analytics, which helps us to see page views.");
        assert!(
            has(&found, "tracking.analytics", Polarity::Does),
            "{found:?}"
        );
        let found = keys("We do not use Matomo or any other analytics tools.");
        assert!(
            has(&found, "tracking.analytics", Polarity::DoesNot),
            "{found:?}"
        );
    }

    #[test]
    fn a_sentence_that_points_elsewhere_for_more_states_nothing_but_a_right() {
        let pointer = "For more information about what data is collected, how it is collected \
                       and how you can manage it, please see the Website & Cookie Notice.";
        assert_eq!(keys(pointer), []);
        // The same words not opening with "for more" are read.
        assert_ne!(
            keys("We set cookies to collect what data our website uses."),
            []
        );
        // A pointer that names a right tells people they have it.
        let found = keys(
            "For further information about how you may request deletion of your personal \
             information, see our FAQ.",
        );
        assert!(
            found.iter().any(|(k, _)| k.starts_with("choices.")),
            "{found:?}"
        );
    }

    #[test]
    fn a_do_and_dont_table_denies_only_its_own_column() {
        let found = keys(
            "## Cookies\n\n| What we do | What we don't do |\n|---|---|\n\
             | Set cookies to keep you signed in | Sell your personal information |\n",
        );
        assert!(has(&found, "tracking.cookies", Polarity::Does), "{found:?}");
        assert!(
            has(&found, "sharing.sale", Polarity::DoesNot)
                || !found.iter().any(|(k, _)| k == "sharing.sale"),
            "{found:?}"
        );
        assert!(
            !has(&found, "tracking.cookies", Polarity::DoesNot),
            "{found:?}"
        );
    }

    #[test]
    fn a_table_cell_names_the_recipient_for_its_column() {
        let found = keys(
            "## What we collect\n\n| Data | Shared with |\n|---|---|\n\
             | Phone number | Advertising partners |\n| Travel preferences | nobody |\n",
        );
        assert!(
            has(&found, "collection.contact.phone", Polarity::Does),
            "{found:?}"
        );
        assert!(
            has(&found, "sharing.advertisers", Polarity::Does),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(k, _)| k == "sharing.third-parties"),
            "{found:?}"
        );
    }

    #[test]
    fn numbered_sub_clauses_complete_their_lead_in() {
        let found = keys(
            "**2.1(h)** We use customer information for the following purposes:\n\n\
             **2.1(h)(i)** to contact you,\n\n**2.1(h)(ii)** to conduct research.\n\n\
             **2.2** Cookies are small files.\n",
        );
        assert!(
            has(&found, "purpose.communication", Polarity::Does),
            "{found:?}"
        );
        assert!(has(&found, "purpose.research", Polarity::Does), "{found:?}");
    }

    #[test]
    fn third_person_prose_reads_as_second_person() {
        let found = keys("The Company may use Customer Data to contact the Customer. The Customer may edit the Customer's account information.");
        assert!(
            has(&found, "purpose.communication", Polarity::Does),
            "{found:?}"
        );
        assert!(has(&found, "choices.edit", Polarity::Does), "{found:?}");
    }

    #[test]
    fn limits_are_not_negations_and_legal_interests_are_not_data() {
        let found = keys("We will update this policy and notify you no fewer than 30 days before changes take effect. We process your data on the basis of our legitimate interests, which we collect.");
        assert!(
            has(&found, "change-notice.advance", Polarity::Does),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(k, _)| k == "collection.interests"),
            "{found:?}"
        );
    }

    #[test]
    fn a_hedge_is_not_a_denial() {
        let found = keys(
            "While we do not necessarily collect all of the following, we collect your email \
             address and phone number.",
        );
        assert!(
            has(&found, "collection.contact.email", Polarity::Does),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(_, p)| *p == Polarity::DoesNot),
            "{found:?}"
        );
    }

    #[test]
    fn recipients_after_except_are_the_exceptions() {
        let found = keys("We do not share personal information except (a) with trusted partners under contract and (b) with the authorities when required by law.");
        assert!(has(&found, "sharing.partners", Polarity::Does), "{found:?}");
        assert!(
            has(&found, "sharing.authorities", Polarity::Does),
            "{found:?}"
        );
    }

    #[test]
    fn a_recipient_that_receives_is_shared_with_and_a_label_is_not_a_statement() {
        let found = keys(
            "## Who we share with\n\n- **Trusted partners.** Partner airlines receive the details \
             needed to credit miles. We receive information from hotels you book.\n",
        );
        assert!(has(&found, "sharing.partners", Polarity::Does), "{found:?}");
        assert!(
            has(&found, "collection.other-sources", Polarity::Does),
            "{found:?}"
        );
        assert_eq!(
            found
                .iter()
                .filter(|(k, _)| k == "sharing.partners")
                .count(),
            1,
            "{found:?}"
        );
    }

    #[test]
    fn fragments_read_like_sentences() {
        let found = keys(
            "## Who gets it\n\n- Sale or rental of personal information \u{2014} never\n\
             - Trusted partners \u{2014} under contract; no independent right to share it\n\n\
             ## Your controls\n\n- Account information \u{2014} edit any time\n",
        );
        assert!(has(&found, "sharing.sale", Polarity::DoesNot), "{found:?}");
        assert!(
            !has(&found, "sharing.partners", Polarity::DoesNot),
            "{found:?}"
        );
        assert!(has(&found, "choices.edit", Polarity::Does), "{found:?}");
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
    fn a_denial_carries_over_or_after_a_recipient() {
        let found = keys("This data is not sent to elementary or shared with any third party.");
        assert_eq!(
            found,
            [("sharing.third-parties".into(), Polarity::DoesNot)],
            "{found:?}"
        );
        // An infinitive still ends the denial: the sharing is what they want.
        let found = keys("Members who do not want us to contact them or share their email address with partners can say so.");
        assert!(
            found
                .iter()
                .all(|(k, p)| !k.starts_with("sharing.") || *p != Polarity::DoesNot),
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
        assert_eq!(
            t("We will retain your personal data for as long as you have a GOV.UK Notify account."),
            Some(Retention::AfterClosure(0))
        );
        assert_eq!(
            t("we keep it as long as we need it to run the service"),
            None,
            "no account: not a period that ends with one"
        );
        assert_eq!(t("we retain logs for 90 days"), Some(Retention::Fixed(90)));
        assert_eq!(
            t("we keep your data indefinitely"),
            Some(Retention::Indefinite)
        );
        assert_eq!(t("we store it permanently"), Some(Retention::Indefinite));
        // How data goes, not how long it stays.
        for gone in [
            "You can permanently delete cards or spaces.",
            "Removed items are erased permanently.",
            "Ask us for permanent deletion of your account.",
        ] {
            assert_eq!(t(gone), None, "{gone}");
        }
    }
}
