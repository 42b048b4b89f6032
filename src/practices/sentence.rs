//! One sentence, matched against the taxonomy, and the statements it makes (see the rules in
//! the parent module's doc).
use std::collections::BTreeSet;

use crate::model::{Category, Evidence};
use crate::taxonomy::{Cue, Hit, Taxonomy, Token};

use super::retention::retention_value;
use super::{Polarity, Statement};

/// The matches of one sentence.
pub(super) struct Sentence<'a> {
    taxonomy: &'a Taxonomy,
    tokens: &'a [Token],
    context: &'a [&'a [Token]],
    pub(super) evidence: Evidence,
    pub(super) practice_hits: Vec<Hit>,
    pub(super) negations: Vec<Hit>,
    breaks: Vec<usize>,
    exception: bool,
    /// Where exception words ("except", "only", "unless") start.
    exception_starts: Vec<usize>,
    conditions: Vec<String>,
    may: bool,
    /// Read with a heading: sharing needs a named recipient (no catch-all third parties).
    pub(super) named_only: bool,
    /// A fragment denied as a whole ("Sale of your data — never").
    pub(super) denied: bool,
    /// Tokens that come from a list's lead-in, before the item's own.
    pub(super) lead_len: usize,
    /// A condition word ("if", "where", "when") occurs.
    conditional: bool,
}

/// Whether a sentence is a run of menu or contents entries copied with the page: ten words or
/// more, no table cells, no closing punctuation, and three in four of its words capitalised
/// ("Online Store Other Ways to Buy Volume & Site Licensing Contact Sales ..."). Short joining
/// words ("to", "and", "of") are not counted either way. It names links, and states nothing
/// (though "Partners ... Cookie Settings" reads like sharing cookie data with partners).
pub(crate) fn is_navigation(sentence: &str) -> bool {
    const JOINING: &[&str] = &[
        "a", "an", "and", "by", "for", "in", "of", "on", "or", "our", "the", "to", "with", "your",
    ];
    let text = sentence.trim_end();
    if text.contains('|') || text.ends_with(['.', '!', ';', ':']) {
        return false;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !JOINING.iter().any(|j| j.eq_ignore_ascii_case(w)))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() >= 10 && capitalised * 4 >= words.len() * 3
}

/// A sentence that sends the reader to another text for more ("For more information about
/// what data is collected ..., please see the Website & Cookie Notice"): what it names is
/// said there, not here. Only openings that say "more" count; "See below: we share ..." does
/// state something. The practice reading still reads one that names a right ("For further
/// information about how you may request access to or deletion of your Personal Information,
/// see our FAQ" tells people they have it); the review of changed sentences takes any pointer
/// that states no practice as no change.
pub(crate) fn is_pointer(tokens: &[Token]) -> bool {
    const OPENINGS: &[&[&str]] = &[
        &["for", "more", "information"],
        &["for", "more", "detail"],
        &["for", "further", "information"],
        &["for", "further", "detail"],
        &["to", "learn", "more"],
        &["to", "find", "out", "more"],
        &["learn", "more"],
        &["read", "more"],
        &["you", "can", "read", "more"],
        &["you", "can", "learn", "more"],
        &["you", "can", "find", "more", "information"],
    ];
    OPENINGS.iter().any(|opening| {
        tokens.len() > opening.len() && tokens.iter().zip(opening.iter()).all(|(t, w)| t == *w)
    })
}

/// A question ("Do we sell your data?") or a title set as a sentence ("Who we share it
/// with.") states nothing by itself.
pub(super) fn is_title_or_question(sentence: &str, tokens: &[Token]) -> bool {
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
pub(super) fn is_definition(tokens: &[Token]) -> bool {
    tokens.iter().take(10).any(|t| t == "mean")
        || contains(
            &tokens[..tokens.len().min(12)],
            &["refer".into(), "to".into()],
        )
}

/// Whether tokens hold a verb that states a practice by itself.
pub(crate) fn has_verb_cue(taxonomy: &Taxonomy, tokens: &[Token]) -> bool {
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

/// What one sentence names, matched once and shared by the passes of
/// [`Sentence::statements`].
struct Found<'a> {
    data_types: BTreeSet<String>,
    /// Recipients of sharing, with their token positions.
    recipients: Vec<(usize, &'a String)>,
    /// Recipients named as sources ("information we obtain from business partners").
    sources: BTreeSet<String>,
    places: BTreeSet<String>,
    /// Collection verbs outside cue-practice phrases.
    collection: Vec<Hit>,
    sharing: Vec<Hit>,
    sale: Vec<Hit>,
    /// The sentence is about a merger or acquisition: no sharing or sale in it.
    transfer: bool,
    /// It speaks of data (a data type, "information", a named recipient, "share it").
    mentions_data: bool,
}

/// How far back a negation reaches, in tokens.
const NEGATION_REACH: usize = 12;

/// Participles not ending in "ed" that take a recipient after `to` ("not sent to us").
const PARTICIPLES: &[&str] = &[
    "sent", "given", "shown", "sold", "told", "lent", "made", "passed",
];

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
    pub(super) fn new(
        taxonomy: &'a Taxonomy,
        tokens: &'a [Token],
        context: &'a [&'a [Token]],
        evidence: Evidence,
    ) -> Self {
        let practice_hits = taxonomy.practice_matcher.find(tokens);
        let negations = taxonomy.negations(tokens);
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
            exception_starts: exceptions.iter().map(|h| h.start).collect(),
            conditions,
            may: taxonomy.cue(Cue::MayModality).any(tokens),
            named_only: false,
            denied: false,
            lead_len: 0,
            conditional: taxonomy.cue(Cue::Condition).any(tokens),
        }
    }

    /// Whether the token at `pos` is negated (see the module doc).
    fn negated(&self, pos: usize) -> bool {
        self.denied
            || self.negations.iter().any(|n| {
                n.end <= pos
                    && pos - n.start <= NEGATION_REACH
                    && !self.breaks.iter().any(|&b| {
                        b > n.start
                            && b < pos
                            && !self.announces(n.end, b)
                            && !self.or_after_recipient(b, pos)
                    })
            })
    }

    /// "This data is not sent to us or shared with any third party": a `to` after a
    /// participle names where data goes (it opens no infinitive), and a verb joined to that
    /// one by "or" or "nor" is denied with it.
    fn or_after_recipient(&self, to: usize, pos: usize) -> bool {
        let t = self.tokens;
        t[to] == "to"
            && pos
                .checked_sub(1)
                .is_some_and(|p| t[p] == "or" || t[p] == "nor")
            && to.checked_sub(1).is_some_and(|p| {
                let w = t[p].as_str();
                w.ends_with("ed") || PARTICIPLES.contains(&w)
            })
    }

    /// "One thing we won't do, under any circumstances: share ..." — a colon after a negated
    /// "do" announces the denied act instead of ending the clause.
    fn announces(&self, from: usize, colon: usize) -> bool {
        self.tokens[colon] == ":" && self.tokens[from..colon].iter().any(|t| t == "do")
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
            // "no independent right to share it" limits a recipient, not the company.
            .filter(|h| !preceded_by(self.tokens, h.start, 2, &["right"]))
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
            denial: polarity == Polarity::DoesNot,
            may: self.may,
            data_types: BTreeSet::new(),
            recipients: BTreeSet::new(),
            places: BTreeSet::new(),
            retention: None,
            conditions: self.conditions.clone(),
            evidence: self.evidence.clone(),
        }
    }

    pub(super) fn statements(&self, out: &mut Vec<Statement>) {
        let found = self.find();
        let start = out.len();
        self.cue_practices(&found.places, out);
        let received = self.received(&found);
        if let Some((hit, subjects)) = &received {
            let polarity = self.polarity_at(hit.start);
            for recipient in subjects {
                out.push(self.sharing_statement(recipient, polarity, &found.data_types));
            }
        }
        if !found.transfer && found.mentions_data {
            self.sale(&found, out);
            self.sharing(&found, out);
        }
        self.collection(&found, received.map(|(hit, _)| hit), out);
        self.purposes(&found, out);
        self.retention(&found, out);

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

    /// Matches every table once for the passes below.
    fn find(&self) -> Found<'a> {
        let t = self.taxonomy;
        let toks = self.tokens;
        let not_data = t.not_data.find(toks);
        let data_types: BTreeSet<String> = t
            .data_matcher
            .find(toks)
            .iter()
            .filter(|h| !not_data.iter().any(|n| h.start < n.end && n.start < h.end))
            .map(|h| t.data_type_at(h.target).id.clone())
            .collect();
        let recipient_hits = t.recipient_matcher.find(toks);
        // Recipients of sharing: not sources ("offers from our marketing partners"), and not
        // a generic head noun in front of a named one ("other companies in the Sakura Group").
        let recipients: Vec<(usize, &'a String)> = recipient_hits
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
        let sources: BTreeSet<String> = recipient_hits
            .iter()
            .filter(|h| preceded_by(toks, h.start, 4, &["from"]))
            .map(|h| t.recipients[h.target].clone())
            .collect();
        let places: BTreeSet<String> = t.places_in(toks).into_iter().map(str::to_string).collect();
        // What is sent to the reader, or to us, goes to no third party ("instructions ...
        // sent to you by email"); what is sent to "your employer" does.
        let mut sharing = t.cue(Cue::Sharing).find(toks);
        sharing.retain(|h| {
            !(toks[h.end - 1] == "to"
                && toks
                    .get(h.end)
                    .is_some_and(|w| matches!(w.as_str(), "you" | "us")))
        });
        let sale = t.cue(Cue::Sale).find(toks);
        let mentions_data = !data_types.is_empty()
            || toks
                .iter()
                .any(|w| matches!(w.as_str(), "information" | "data" | "detail"))
            || recipients.iter().any(|(_, r)| *r != "third-parties")
            || sharing.iter().chain(&sale).any(|h| {
                toks.get(h.end)
                    .is_some_and(|w| matches!(w.as_str(), "it" | "them"))
            });
        Found {
            data_types,
            recipients,
            sources,
            places,
            collection: self.free_hits(t.cue(Cue::Collection).find(toks)),
            sharing,
            sale,
            transfer: t.cue(Cue::Transfer).any(toks),
            mentions_data,
        }
    }

    /// "Partner airlines ... receive the details needed": a named recipient that receives is
    /// shared with, and that "receive" is not the company collecting.
    fn received(&self, found: &Found<'a>) -> Option<(Hit, Vec<&'a String>)> {
        if found.transfer {
            return None;
        }
        let hit = *found
            .collection
            .iter()
            .find(|h| self.tokens[h.start].starts_with("receiv"))?;
        let subjects: Vec<&String> = found
            .recipients
            .iter()
            .filter(|&&(at, r)| {
                at < hit.start
                    && hit.start - at <= NEGATION_REACH
                    && r != "third-parties"
                    && !self.tokens[at..hit.start].iter().any(|w| w == "we")
            })
            .map(|&(_, r)| r)
            .collect();
        (!subjects.is_empty()).then_some((hit, subjects))
    }

    /// `sharing.sale`: "we do not sell", "we may sell your data to data brokers".
    fn sale(&self, found: &Found<'a>, out: &mut Vec<Statement>) {
        // "Sale of personal information" is a sale: the noun test is for sharing only. A sale
        // needs its own verb: a heading such as "If we are sold" is not one.
        let sale = self
            .free_hits(found.sale.clone())
            .into_iter()
            .find(|h| !preceded_by(self.tokens, h.start, 3, &USER_SHARES));
        let Some(sale) = sale.filter(|_| !self.named_only) else {
            return;
        };
        let polarity = self.polarity_at(sale.start);
        let mut s = self.statement("sharing.sale".into(), Category::Sharing, false, polarity);
        s.recipients = found
            .recipients
            .iter()
            .map(|(_, r)| (*r).clone())
            .filter(|r| r != "acquirer")
            .collect();
        s.data_types = found.data_types.clone();
        out.push(s);
    }

    /// `sharing.<recipient>`, one statement per recipient named (the catch-all
    /// `third-parties` when none is).
    fn sharing(&self, found: &Found<'a>, out: &mut Vec<Statement>) {
        let Some(share) = self.company_hits(found.sharing.clone()).into_iter().next() else {
            return;
        };
        let negated = self.negated(share.start);
        let mut targets: Vec<(&String, Polarity)> = found
            .recipients
            .iter()
            .filter(|(_, r)| *r != "acquirer")
            .map(|&(at, r)| {
                let exception = (at >= self.lead_len && self.lead_len > 0)
                    || self.exception_starts.iter().any(|&e| e < at);
                let polarity = if exception && r != "third-parties" {
                    // A recipient named after "except" or in a list item under a lead-in is
                    // one of the exceptions ("we do not share ... except (a) with trusted
                    // partners"): it is shared with.
                    Polarity::Does
                } else {
                    self.sharing_polarity(negated, r == "third-parties")
                };
                (r, polarity)
            })
            .collect();
        let catch_all = self.sharing_polarity(negated, true);
        // "We share it with:" names its recipients in the list that follows; only a rule
        // ("we share it only in these cases:") is a statement of its own.
        let lead_in = self.evidence.text.ends_with(':') && catch_all == Polarity::Does;
        let third_parties = "third-parties".to_string();
        if targets.is_empty() && !self.named_only && !lead_in {
            targets.push((&third_parties, catch_all));
        }
        targets.sort();
        targets.dedup_by(|a, b| a.0 == b.0);
        for (recipient, polarity) in targets {
            let mut s = self.sharing_statement(recipient, polarity, &found.data_types);
            s.denial = negated && polarity != Polarity::Does;
            out.push(s);
        }
    }

    /// `collection.<data type>` and `collection.other-sources`, for the company's own
    /// collecting: "partners may receive information" is sharing (see [`Self::received`]).
    fn collection(&self, found: &Found<'a>, received: Option<Hit>, out: &mut Vec<Statement>) {
        let collect = found.collection.iter().find(|h| {
            received.is_none_or(|r| r.start != h.start)
                && !found
                    .sharing
                    .iter()
                    .any(|s| h.start < s.end && s.start < h.end)
        });
        let Some(collect) = collect else {
            return;
        };
        let polarity = self.polarity_at(collect.start);
        for id in &found.data_types {
            let mut s = self.statement(
                format!("collection.{id}"),
                Category::Collection,
                false,
                polarity,
            );
            s.data_types.insert(id.clone());
            out.push(s);
        }
        if !found.sources.is_empty() {
            let mut s = self.statement(
                "collection.other-sources".into(),
                Category::Collection,
                false,
                polarity,
            );
            s.recipients = found.sources.clone();
            out.push(s);
        }
    }

    /// `purpose.<purpose>`: the company's own uses, not a recipient's ("partners, who use it
    /// to ..."), and "use" as a verb, not the noun of "terms of use" or "your use of the site".
    fn purposes(&self, found: &Found<'a>, out: &mut Vec<Statement>) {
        let t = self.taxonomy;
        let toks = self.tokens;
        let own_use = t.cue(Cue::Use).find(toks).into_iter().find(|h| {
            !preceded_by(
                toks,
                h.start,
                3,
                &["who", "they", "which", "companie", "partner"],
            ) && !preceded_by(
                toks,
                h.start,
                1,
                &["of", "your", "our", "past", "the", "acceptable"],
            )
        });
        let Some(uses) = own_use else {
            return;
        };
        let polarity = self.polarity_at(uses.start);
        let purposes: BTreeSet<&String> = self
            .free_hits(t.purpose_matcher.find(toks))
            .iter()
            .map(|h| &t.purposes[h.target])
            .collect();
        for purpose in purposes {
            let mut s = self.statement(
                format!("purpose.{purpose}"),
                Category::Purpose,
                false,
                polarity,
            );
            s.data_types = found.data_types.clone();
            out.push(s);
        }
    }

    /// `retention.period`, with the period when the sentence states one.
    fn retention(&self, found: &Found<'a>, out: &mut Vec<Statement>) {
        let toks = self.tokens;
        let Some(keep) = self
            .free_hits(self.taxonomy.cue(Cue::Retention).find(toks))
            .into_iter()
            .next()
        else {
            return;
        };
        let value = retention_value(toks);
        let explicit = toks
            .iter()
            .any(|w| w.starts_with("retain") || w == "retention");
        if value.is_none() && !explicit {
            return;
        }
        let mut s = self.statement(
            "retention.period".into(),
            Category::Retention,
            false,
            self.polarity_at(keep.start),
        );
        s.retention = value;
        s.data_types = found.data_types.clone();
        out.push(s);
    }

    /// Does, or does not when the token at `pos` is negated.
    fn polarity_at(&self, pos: usize) -> Polarity {
        if self.negated(pos) {
            Polarity::DoesNot
        } else {
            Polarity::Does
        }
    }

    fn sharing_statement(
        &self,
        recipient: &str,
        polarity: Polarity,
        data_types: &BTreeSet<String>,
    ) -> Statement {
        let mut s = self.statement(
            format!("sharing.{recipient}"),
            Category::Sharing,
            false,
            polarity,
        );
        s.data_types = data_types.clone();
        s.recipients.insert(recipient.to_string());
        s
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
            let mut polarity = match practice.negative {
                true => Polarity::Does,
                false => self.polarity_at(hit.start),
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
            // "Deleted after 30 days" states a period too: compared with a period the other
            // policy keeps the data for (see `compare`).
            if practice.key == "retention.deletion" {
                s.retention = retention_value(self.tokens);
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

pub(super) fn contains(haystack: &[Token], needle: &[Token]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
