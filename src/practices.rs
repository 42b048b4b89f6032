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
use crate::policy::{Block, BlockKind, Policy};
use crate::taxonomy::{self, Cue, Hit, Taxonomy, Token};

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

/// How long data are kept, as a statement states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// A period from collection, in days.
    Fixed(u32),
    /// While the account is open, then this many days.
    AfterClosure(u32),
    /// No limit stated ("indefinitely", "as long as we need").
    Indefinite,
}

impl Retention {
    /// Compares two periods: `Greater` means longer. `None` when they are not comparable
    /// (a fixed period against one counted from account closure).
    pub fn compare(self, other: Retention) -> Option<std::cmp::Ordering> {
        use Retention::*;
        match (self, other) {
            (Indefinite, Indefinite) => Some(std::cmp::Ordering::Equal),
            (Indefinite, _) => Some(std::cmp::Ordering::Greater),
            (_, Indefinite) => Some(std::cmp::Ordering::Less),
            (Fixed(a), Fixed(b)) | (AfterClosure(a), AfterClosure(b)) => Some(a.cmp(&b)),
            _ => None,
        }
    }

    /// For people: "seven years after account closure" style, in days.
    pub fn describe(self) -> String {
        let span = |days: u32| match days {
            0 => "until the account is closed".to_string(),
            d if d % 365 == 0 => format!("{} year{}", d / 365, if d == 365 { "" } else { "s" }),
            d if d % 30 == 0 => format!("{} month{}", d / 30, if d == 30 { "" } else { "s" }),
            d => format!("{d} day{}", if d == 1 { "" } else { "s" }),
        };
        match self {
            Retention::Fixed(d) => format!("for {}", span(d)),
            Retention::AfterClosure(0) => "until the account is closed".to_string(),
            Retention::AfterClosure(d) => format!("for {} after the account is closed", span(d)),
            Retention::Indefinite => "indefinitely".to_string(),
        }
    }
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

/// The matches of one sentence.
struct Sentence<'a> {
    taxonomy: &'a Taxonomy,
    tokens: &'a [Token],
    context: &'a [&'a [Token]],
    evidence: Evidence,
    practice_hits: Vec<Hit>,
    negations: Vec<Hit>,
    breaks: Vec<usize>,
    exception: bool,
    conditions: Vec<String>,
    may: bool,
    /// Read with a heading: sharing needs a named recipient (no catch-all third parties).
    named_only: bool,
    /// Tokens that come from a list's lead-in, before the item's own.
    lead_len: usize,
    /// A condition word ("if", "where", "when") occurs.
    conditional: bool,
}

/// A question ("Do we sell your data?") or a title set as a sentence ("Who we share it
/// with.") states nothing by itself.
fn is_title_or_question(sentence: &str, tokens: &[Token]) -> bool {
    const INTERROGATIVES: [&str; 8] = [
        "who", "what", "how", "why", "when", "where", "which", "whom",
    ];
    sentence.trim_end().ends_with('?')
        || (tokens.len() <= 8
            && tokens
                .first()
                .is_some_and(|t| INTERROGATIVES.contains(&t.as_str())))
}

/// A definition ("'Customer Data' means information ... that we collect") says what a word
/// means, not what is done.
fn is_definition(tokens: &[Token]) -> bool {
    tokens.iter().take(10).any(|t| t == "mean")
        || contains(
            &tokens[..tokens.len().min(12)],
            &["refer".into(), "to".into()],
        )
}

/// Whether tokens hold a verb that states a practice by itself.
fn has_verb_cue(taxonomy: &Taxonomy, tokens: &[Token]) -> bool {
    [
        Cue::Collection,
        Cue::Use,
        Cue::Sharing,
        Cue::Sale,
        Cue::Retention,
    ]
    .iter()
    .any(|&cue| taxonomy.cue(cue).any(tokens))
}

/// How far back a negation reaches, in tokens.
const NEGATION_REACH: usize = 12;

/// Words before `to` that carry a negation into the infinitive ("no right to share").
const KEEPS_NEGATION_BEFORE_TO: [&str; 9] = [
    "right",
    "able",
    "permitted",
    "allowed",
    "going",
    "intend",
    "plan",
    "authorized",
    "authorised",
];

/// Words just before a sharing verb that make the user the one sharing ("content you share",
/// "avoid sharing"): not a practice of the company.
const USER_SHARES: [&str; 3] = ["you", "avoid", "user"];

impl<'a> Sentence<'a> {
    fn new(
        taxonomy: &'a Taxonomy,
        tokens: &'a [Token],
        context: &'a [&'a [Token]],
        evidence: Evidence,
    ) -> Self {
        let practice_hits = taxonomy.practice_matcher.find(tokens);
        let negations = taxonomy.cue(Cue::Negation).find(tokens);
        let exceptions = taxonomy.cue(Cue::Exception).find(tokens);
        let mut breaks: Vec<usize> = taxonomy
            .cue(Cue::ClauseBreak)
            .find(tokens)
            .iter()
            .map(|h| h.start)
            .collect();
        breaks.extend(exceptions.iter().map(|h| h.start));
        breaks.extend(
            tokens
                .iter()
                .enumerate()
                .filter(|(i, t)| match t.as_str() {
                    ";" | ":" => true,
                    // "do not want us to use": the negation belongs to "want". But "no right
                    // to share" and "not able to sell" keep it.
                    "to" => !i
                        .checked_sub(1)
                        .is_some_and(|p| KEEPS_NEGATION_BEFORE_TO.contains(&tokens[p].as_str())),
                    _ => false,
                })
                .map(|(i, _)| i),
        );
        let mut conditions: Vec<String> = exceptions
            .iter()
            .chain(taxonomy.cue(Cue::Condition).find(tokens).iter())
            .map(|h| {
                tokens[h.start..h.end]
                    .iter()
                    .map(Token::as_str)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        conditions.dedup();
        Sentence {
            taxonomy,
            tokens,
            context,
            evidence,
            practice_hits,
            negations,
            breaks,
            exception: !exceptions.is_empty(),
            conditions,
            may: taxonomy.cue(Cue::MayModality).any(tokens),
            named_only: false,
            lead_len: 0,
            conditional: taxonomy.cue(Cue::Condition).any(tokens),
        }
    }

    /// Whether the token at `pos` is negated (see the module doc).
    fn negated(&self, pos: usize) -> bool {
        self.negations.iter().any(|n| {
            n.end <= pos
                && pos - n.start <= NEGATION_REACH
                && !self.breaks.iter().any(|&b| b > n.start && b < pos)
        })
    }

    /// The polarity of a sharing statement. A denial with exceptions is `restricted`; so is
    /// conditional sharing with the catch-all third parties ("we disclose information where
    /// fraud is suspected"). For a named recipient a condition is normal ("to the authorities
    /// when required by law") and does not restrict it.
    fn sharing_polarity(&self, negated: bool, catch_all: bool) -> Polarity {
        match (negated, self.exception, catch_all && self.conditional) {
            (true, true, _) => Polarity::Restricted,
            (true, false, _) => Polarity::DoesNot,
            (false, true, _) if catch_all => Polarity::Restricted,
            (false, _, true) => Polarity::Restricted,
            (false, _, _) => Polarity::Does,
        }
    }

    /// Sharing or sale verbs whose subject is the company, not the user, used as verbs
    /// ("the share of visitors" is a noun).
    fn company_hits(&self, hits: Vec<Hit>) -> Vec<Hit> {
        self.free_hits(hits)
            .into_iter()
            .filter(|h| !preceded_by(self.tokens, h.start, 3, &USER_SHARES))
            .filter(|h| self.tokens.get(h.end).is_none_or(|next| next != "of"))
            .collect()
    }

    /// Hits of a table outside the spans of cue practices (whose words mean something else).
    fn free_hits(&self, hits: Vec<Hit>) -> Vec<Hit> {
        hits.into_iter()
            .filter(|h| {
                !self
                    .practice_hits
                    .iter()
                    .any(|p| h.start < p.end && p.start < h.end)
            })
            .collect()
    }

    fn statement(
        &self,
        key: String,
        category: Category,
        protective: bool,
        polarity: Polarity,
    ) -> Statement {
        Statement {
            key,
            category,
            protective,
            polarity,
            may: self.may,
            data_types: BTreeSet::new(),
            recipients: BTreeSet::new(),
            places: BTreeSet::new(),
            retention: None,
            conditions: self.conditions.clone(),
            evidence: self.evidence.clone(),
        }
    }

    fn statements(&self, out: &mut Vec<Statement>) {
        let t = self.taxonomy;
        let toks = self.tokens;
        let data_types: BTreeSet<String> = t
            .data_matcher
            .find(toks)
            .iter()
            .map(|h| t.data_type_at(h.target).id.clone())
            .collect();
        let recipient_hits = t.recipient_matcher.find(toks);
        // Recipients of sharing: not sources ("offers from our marketing partners"), and not
        // a generic head noun in front of a named one ("other companies in the Sakura Group").
        let recipient_positions: Vec<(usize, &String)> = recipient_hits
            .iter()
            .enumerate()
            .filter(|(_, h)| !preceded_by(toks, h.start, 6, &["from"]))
            // "anyone's safety" is a possessive, not a recipient.
            .filter(|(_, h)| toks.get(h.end).is_none_or(|w| w != "s"))
            .filter(|(k, h)| {
                t.recipients[h.target] != "third-parties"
                    || recipient_hits
                        .get(k + 1)
                        .is_none_or(|next| next.start > h.end + 4)
            })
            .map(|(_, h)| (h.start, &t.recipients[h.target]))
            .collect();
        let recipients: BTreeSet<String> = recipient_positions
            .iter()
            .map(|(_, r)| (*r).clone())
            .collect();
        let places: BTreeSet<String> = t
            .place_matcher
            .find(toks)
            .iter()
            .map(|h| t.places[h.target].clone())
            .collect();
        let start = out.len();

        self.cue_practices(&places, out);
        let is_transfer = t.cue(Cue::Transfer).any(toks);
        let mentions_data = !data_types.is_empty()
            || toks
                .iter()
                .any(|w| matches!(w.as_str(), "information" | "data" | "detail"))
            || recipients.iter().any(|r| r != "third-parties")
            || t.cue(Cue::Sharing)
                .find(toks)
                .iter()
                .chain(t.cue(Cue::Sale).find(toks).iter())
                .any(|h| {
                    toks.get(h.end)
                        .is_some_and(|w| matches!(w.as_str(), "it" | "them"))
                });

        // Sale and sharing.
        if !is_transfer && mentions_data {
            let sale = self.company_hits(t.cue(Cue::Sale).find(toks));
            // A sale needs its own verb: a heading such as "If we are sold" is not one.
            if let Some(sale) = sale.first().filter(|_| !self.named_only) {
                let polarity = if self.negated(sale.start) {
                    Polarity::DoesNot
                } else {
                    Polarity::Does
                };
                let mut s =
                    self.statement("sharing.sale".into(), Category::Sharing, false, polarity);
                s.recipients = recipients
                    .iter()
                    .filter(|r| *r != "acquirer")
                    .cloned()
                    .collect();
                s.data_types = data_types.clone();
                out.push(s);
            }
            if let Some(share) = self.company_hits(t.cue(Cue::Sharing).find(toks)).first() {
                let negated = self.negated(share.start);
                let mut targets: Vec<(String, Polarity)> = recipient_positions
                    .iter()
                    .filter(|(_, r)| *r != "acquirer")
                    .map(|&(at, r)| {
                        let polarity = if at >= self.lead_len && self.lead_len > 0 {
                            // A recipient named in a list item is an exception to its lead-in
                            // ("we do not share ... except:" / "with trusted partners").
                            Polarity::Does
                        } else {
                            self.sharing_polarity(negated, r == "third-parties")
                        };
                        (r.clone(), polarity)
                    })
                    .collect();
                let catch_all = self.sharing_polarity(negated, true);
                // "We share it with:" names its recipients in the list that follows; only a
                // rule ("we share it only in these cases:") is a statement of its own.
                let lead_in = self.evidence.text.ends_with(':') && catch_all == Polarity::Does;
                if targets.is_empty() && !self.named_only && !lead_in {
                    targets.push(("third-parties".to_string(), catch_all));
                }
                targets.sort();
                targets.dedup_by(|a, b| a.0 == b.0);
                for (recipient, polarity) in targets {
                    let mut s = self.statement(
                        format!("sharing.{recipient}"),
                        Category::Sharing,
                        false,
                        polarity,
                    );
                    s.data_types = data_types.clone();
                    s.recipients.insert(recipient);
                    out.push(s);
                }
            }
        }

        // Collection.
        if let Some(collect) = self.free_hits(t.cue(Cue::Collection).find(toks)).first() {
            let polarity = if self.negated(collect.start) {
                Polarity::DoesNot
            } else {
                Polarity::Does
            };
            for id in &data_types {
                let mut s = self.statement(
                    format!("collection.{id}"),
                    Category::Collection,
                    false,
                    polarity,
                );
                s.data_types.insert(id.clone());
                out.push(s);
            }
            let sources: BTreeSet<String> = recipient_hits
                .iter()
                .filter(|h| preceded_by(toks, h.start, 4, &["from"]))
                .map(|h| t.recipients[h.target].clone())
                .collect();
            if !sources.is_empty() {
                let mut s = self.statement(
                    "collection.other-sources".into(),
                    Category::Collection,
                    false,
                    polarity,
                );
                s.recipients = sources;
                out.push(s);
            }
        }

        // Purposes: the company's own uses, not a recipient's ("partners, who use it to ...").
        let own_use = t.cue(Cue::Use).find(toks).into_iter().find(|h| {
            !preceded_by(
                toks,
                h.start,
                3,
                &["who", "they", "which", "companie", "partner"],
            )
        });
        if let Some(uses) = own_use.as_ref() {
            let polarity = if self.negated(uses.start) {
                Polarity::DoesNot
            } else {
                Polarity::Does
            };
            let purposes: BTreeSet<String> = self
                .free_hits(t.purpose_matcher.find(toks))
                .iter()
                .map(|h| t.purposes[h.target].clone())
                .collect();
            for purpose in purposes {
                let mut s = self.statement(
                    format!("purpose.{purpose}"),
                    Category::Purpose,
                    false,
                    polarity,
                );
                s.data_types = data_types.clone();
                out.push(s);
            }
        }

        // Retention.
        if let Some(keep) = self.free_hits(t.cue(Cue::Retention).find(toks)).first() {
            let value = retention_value(toks);
            let explicit = toks
                .iter()
                .any(|w| w.starts_with("retain") || w == "retention");
            if value.is_some() || explicit {
                let polarity = if self.negated(keep.start) {
                    Polarity::DoesNot
                } else {
                    Polarity::Does
                };
                let mut s = self.statement(
                    "retention.period".into(),
                    Category::Retention,
                    false,
                    polarity,
                );
                s.retention = value;
                s.data_types = data_types.clone();
                out.push(s);
            }
        }

        // One statement per key and polarity within a sentence.
        let mut seen = BTreeSet::new();
        let mut k = start;
        while k < out.len() {
            if seen.insert((out[k].key.clone(), out[k].polarity)) {
                k += 1;
            } else {
                out.remove(k);
            }
        }
    }

    fn cue_practices(&self, places: &BTreeSet<String>, out: &mut Vec<Statement>) {
        let t = self.taxonomy;
        for hit in &self.practice_hits {
            let practice = &t.cue_practices[hit.target];
            let context = &t.practice_context[hit.target];
            if !context.is_empty()
                && !context
                    .iter()
                    .any(|c| self.context.iter().any(|part| contains(part, c)))
            {
                continue;
            }
            if practice.places && places.is_empty() {
                continue;
            }
            let mut polarity = if !practice.negative && self.negated(hit.start) {
                Polarity::DoesNot
            } else {
                Polarity::Does
            };
            // "Children under 13 may not use the service" denies "serves children": one
            // practice, so that a later "designed for children" is one change, not two.
            let practice = match practice.denial_of.as_deref() {
                Some(key) => {
                    polarity = Polarity::DoesNot;
                    t.cue_practices
                        .iter()
                        .find(|p| p.key == key)
                        .unwrap_or(practice)
                }
                None => practice,
            };
            let mut s = self.statement(
                practice.key.clone(),
                practice.category,
                practice.protective,
                polarity,
            );
            if practice.places {
                s.places = places.clone();
            }
            out.push(s);
        }
    }
}

/// Whether one of `words` stands within `reach` tokens before position `pos`.
fn preceded_by(tokens: &[Token], pos: usize, reach: usize, words: &[&str]) -> bool {
    tokens[pos.saturating_sub(reach)..pos]
        .iter()
        .any(|w| words.contains(&w.as_str()))
}

fn contains(haystack: &[Token], needle: &[Token]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads a retention period from a sentence's tokens.
fn retention_value(toks: &[Token]) -> Option<Retention> {
    if toks.iter().any(|w| {
        matches!(
            w.as_str(),
            "indefinitely" | "indefinite" | "permanently" | "forever"
        )
    }) {
        return Some(Retention::Indefinite);
    }
    let mut days = None;
    for (i, w) in toks.iter().enumerate() {
        let unit = match w.as_str() {
            "day" => 1,
            "week" => 7,
            "month" => 30,
            "year" => 365,
            _ => continue,
        };
        if let Some(n) = i.checked_sub(1).and_then(|j| number(&toks[j])) {
            days = Some(n * unit);
            break;
        }
    }
    let closure = toks.iter().any(|w| {
        w.starts_with("close")
            || w.starts_with("closure")
            || w.starts_with("terminat")
            || w.starts_with("deactivat")
    });
    let after_closure = closure && toks.iter().any(|w| w == "after");
    let until_closure = closure && toks.iter().any(|w| w == "until");
    let while_active = contains(toks, &["as".into(), "long".into(), "as".into()])
        && toks.iter().any(|w| w == "active" || w == "open");
    match days {
        Some(d) if after_closure || while_active => Some(Retention::AfterClosure(d)),
        Some(d) => Some(Retention::Fixed(d)),
        None if while_active || until_closure => Some(Retention::AfterClosure(0)),
        None => None,
    }
}

fn number(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse::<u32>() {
        return Some(n);
    }
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "thirty" => Some(30),
        "ninety" => Some(90),
        "a" | "an" => Some(1),
        _ => WORDS.iter().position(|w| *w == word).map(|n| n as u32),
    }
}

/// Splits block text into sentences at `. `, `! ` and `? ` before a capital, a digit or a
/// quote, but not after common abbreviations (`e.g.`, `Inc.`, `K.K.`) or single letters.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    const ABBREVIATIONS: [&str; 14] = [
        "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "mr", "ms", "dr", "no", "vs", "k.k", "u.s",
    ];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 2 < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') && bytes[i + 1] == b' ' {
            let next = text[i + 2..].chars().next().unwrap_or(' ');
            let word = text[start..i]
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let word = word.trim_start_matches(['(', '"', '\'']);
            let abbreviation = ABBREVIATIONS.contains(&word) || word.chars().count() == 1;
            if (next.is_uppercase()
                || next.is_ascii_digit()
                || matches!(next, '"' | '(' | '\u{201c}'))
                && !(c == b'.' && abbreviation)
            {
                out.push(text[start..=i].trim());
                start = i + 2;
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Finds the source line where each sentence of a block starts. The block's lines are split
/// into lower-case words once; sentences are looked for in order, from the line where the
/// previous one started, so a repeated phrase is not found in an earlier sentence.
struct Locator {
    first: u32,
    lines: Vec<Vec<String>>,
    cursor: usize,
}

impl Locator {
    fn new(policy: &Policy, block: &Block) -> Locator {
        let (first, last) = block.lines;
        let lines = if first == last {
            Vec::new()
        } else {
            (first..=last)
                .map(|l| words(policy.line(l), usize::MAX))
                .collect()
        };
        Locator {
            first,
            lines,
            cursor: 0,
        }
    }

    fn locate(&mut self, sentence: &str) -> u32 {
        if self.lines.is_empty() {
            return self.first;
        }
        let probe = words(sentence, 3);
        for n in (1..=probe.len()).rev() {
            let found = self.lines[self.cursor..]
                .iter()
                .position(|line| line.windows(n).any(|w| w == &probe[..n]));
            if let Some(k) = found {
                self.cursor += k;
                return self.first + self.cursor as u32;
            }
        }
        self.first + self.cursor as u32
    }
}

/// Up to `most` lower-case words of a text.
fn words(text: &str, most: usize) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(most)
        .map(str::to_lowercase)
        .collect()
}

/// The names the policy calls its own company by, as token sequences.
fn company_aliases(policy: &Policy) -> Vec<Vec<Token>> {
    let mut names: Vec<String> = Vec::new();
    for block in policy.blocks.iter().take(12) {
        let text = &block.text;
        let lower = text.to_lowercase();
        if let Some(pos) = lower.find("referred to as ") {
            let rest = &text[pos + "referred to as ".len()..];
            let name: String = rest
                .trim_start_matches(['"', '\u{201c}', '\''])
                .chars()
                .take_while(|c| !matches!(c, ')' | ',' | '"' | '\u{201d}' | ';'))
                .collect();
            names.push(name.trim_end_matches('.').trim().to_string());
        }
        for (pos, _) in text
            .match_indices("(\"")
            .chain(text.match_indices("(\u{201c}"))
        {
            let after = &text[pos..];
            let quoted: String = after
                .chars()
                .skip(2)
                .take_while(|c| !matches!(c, '"' | '\u{201d}'))
                .collect();
            names.push(quoted);
            let before: Vec<&str> = text[..pos].split_whitespace().collect();
            let lead: Vec<&str> = before
                .iter()
                .rev()
                .take(5)
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .copied()
                .collect();
            if !lead.is_empty() {
                names.push(lead.into_iter().rev().collect::<Vec<_>>().join(" "));
            }
        }
    }
    let mut aliases: Vec<Vec<Token>> = names
        .iter()
        .filter(|n| n.len() >= 2 && n.len() <= 60)
        .map(|n| taxonomy::tokens(n))
        .filter(|t| !t.is_empty() && !matches!(t[0].as_str(), "we" | "us" | "our" | "you"))
        .collect();
    aliases.sort_by_key(|a| std::cmp::Reverse(a.len()));
    aliases.dedup();
    aliases
}

/// The tokens with the company's own names read as "we" (borrowed when there are none).
fn replace_aliases<'t>(
    tokens: &'t [Token],
    aliases: &[Vec<Token>],
) -> std::borrow::Cow<'t, [Token]> {
    let found = |i: usize| aliases.iter().find(|a| tokens[i..].starts_with(a));
    if !(0..tokens.len()).any(|i| found(i).is_some()) {
        return std::borrow::Cow::Borrowed(tokens);
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        match found(i) {
            Some(alias) => {
                out.push(Token::from("we"));
                i += alias.len();
            }
            None => {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
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
