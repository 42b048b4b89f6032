//! Review changes: changed sentences about personal data that no practice change explains.
//!
//! The practice reading ([`crate::practices`]) knows only the vocabulary of its taxonomy, so
//! a real edit in words it does not know would pass as "wording only". This module makes sure
//! no such edit passes silently. It works on sentences of the redline's changed blocks:
//!
//! 1. **Changed sentences.** Every block the redline inserted, deleted, edited or moved with
//!    edits is cut into sentences (a table row is one). A sentence found word for word
//!    anywhere among the other side's changed blocks was only moved or re-split: no change.
//!    The two sides are matched one to one (`twins`): a sentence written more often than
//!    before is new as often as it was added (a paragraph copied for a second provider).
//!    A sentence whose words still stand, in the same order, in the other text's words read
//!    end to end (headings included) changed only its layout: a heading run into it or set
//!    apart, a paragraph of `•` items made a list (`intact`, applied after the alignment
//!    below to the pairs, where both sides must be intact, and to the inserted and deleted
//!    sentences).
//! 2. **Alignment.** The remaining sentences of an edited (or moved-and-edited) block pair
//!    up with those of its counterpart, best word overlap first (Dice at least
//!    `SENTENCE_PAIR`, 0.5); what is left pairs up across the whole document at
//!    `SENTENCE_MOVE`, 0.7 (a sentence moved and reworded). The rest are inserted or deleted.
//!    A sentence naming a data type that moved, word for word or with the same meaning,
//!    from one section to another that both texts have ("Preferred language" from "With an
//!    account:" to "All users:") now applies to other people: it stays a changed pair,
//!    summarised "moved from ... to ...".
//! 3. **Same meaning.** A pair whose content words are the same after folding (stop words
//!    dropped, synonyms such as *data*/*information* and *disclose*/*share* folded, British
//!    spellings made American, Snowball stemming; email and web addresses are no words, see
//!    [`crate::taxonomy`]) is a rewording, and so is a pair where one side
//!    only adds, at its opening, the words of the heading the other side's section has (a
//!    heading run into its first sentence by a conversion, then set apart): reordering, punctuation,
//!    voice and synonyms are no change, and neither is a typo fix (one edit in a word of
//!    five letters or more). So is a pair that states the same practices (same keys,
//!    polarities, data types, recipients, places and periods), uses the same kinds of modal,
//!    negation, exception and contrast ("but", "however") words, the same hedges ("when
//!    possible", "we try to"), defaults ("by default") and consent ("with your consent",
//!    "at your option": `CONSENTS`), and names the same things: the same data types,
//!    recipients, purposes, places and practice phrases of the taxonomy, the same kinds of
//!    practice verbs (collect, share, sell, transfer, keep), the same numbers and time units,
//!    and the same parties (a capitalised word other than the first that the other side
//!    does not mention in any case: a vendor swapped, "Mailchimp" made "MailerLite", is a
//!    new recipient the taxonomy cannot name). A pair that keeps every word and joins
//!    something new to what the old one named with "and" or "or" ("our website" made "our
//!    website and apps", "schools" made "schools, colleges and ...") widens its scope,
//!    whatever the new words are, and is never the same meaning. The policy's own name in
//!    place of "we" or "the Company" is the same party ("that we process" made "that
//!    Weblate processes").
//! 4. **Review.** Each changed sentence, or aligned pair not of the same meaning, that speaks
//!    of personal data (it states a practice, names a data type or practice phrase, says
//!    "personal", pairs "information" or "data" with a collection, use, sharing, sale or
//!    retention verb, names a known processor (`PROCESSORS`), or names recipients,
//!    trackers, periods, rights, a promise to announce changes ("You will be informed of
//!    any amendments relevant to you") or a change of owner strongly enough:
//!    `PERSONAL_CUES`; a new or deleted list
//!    item of more than three content words whose list's lead-in ("We keep contact details
//!    for:") names data counts too, and so does a short item (a name, a link) of a list that
//!    follows a paragraph naming recipients ("We use various third party services ...":
//!    each item is a party data goes to, filed under sharing), and so does a row of a
//!    table whose first header cell names recipients ("Third Party Provider | Purpose |
//!    ...") or whose lead-in sentence does ("The following is a list of our
//!    sub-processors:"; `in_parties_table`, filed under sharing whatever else the row
//!    names), and so
//!    does a sentence that has a program or page exchange data with a server of a party it
//!    names, other than the policy's own ("the app will connect to GitHub", "your browser
//!    fetches some resources from the JSDelivr CDN": `connects_to`, sharing; in an aligned
//!    pair only when the old side made no such connection); a title of at most six words without a practice verb, a pointer
//!    such as "For more information, see ..." or "If you live in China, visit our ... page",
//!    and a sentence about the policy's administration that states no practice (whom to
//!    contact, the controller's address, complaints, transfer frameworks: `ADMINISTRATIVE`),
//!    a numbered heading set as a paragraph, an entry of a table of contents (a short item
//!    that repeats a heading of the policy: `Policy::contents_entries`, which the practice
//!    reading skips too), and a lead-in to a list ending in a colon that
//!    names no data type, recipient or use do not; nor does an aligned pair that says when
//!    the policy was revised and differs only in the date: `redated`, or only in how it
//!    refers to a part of the policy, "Appendix 1" made "the \"Additional rights\"
//!    section": `rereferenced`) and whose statements no practice
//!    change covers (an aligned pair: neither side's; but a practice change that covers the
//!    old side does not cover a party the new side brings in, see `Names`) becomes a
//!    *review* change, unless it is a new or deleted sentence that
//!    is a piece of one changed sentence on the other side (all its words are there: a
//!    sentence split in two, an inline list made items), an aligned pair where one side
//!    holds the other and the rest stands in inserted sentences (split) or deleted ones
//!    (merged), or a new or deleted sentence whose every statement the other
//!    side's changed sentences also make (a paragraph recast; but a list item under a
//!    lead-in, whose statements may be the lead-in's, only when at least half of its words
//!    stand in them). A practice restated where
//!    the other text is unchanged is a new case of it (a new trigger, a new group of
//!    people), so that sentence stays. A review change has `review: true`, a best-guess
//!    category and the others its sentence speaks of about as strongly (`also`; scored
//!    from its words, its statements, its heading, a stated period (retention) and a named
//!    country (international), see `guess_category`; and sharing when it names a party the
//!    other text never mentions, see `Names`; and collection when it names a data type the
//!    other text never names, which says where to look, not which way the edit goes), its
//!    data types and
//!    the sentences as evidence. It is conservatively `material`, except when it can only
//!    narrow: a deleted sentence whose statements all expose data, or that states nothing
//!    the extractor reads and holds no promise (no negation, exception or limit, no "will"
//!    or "must", no protective practice phrase), an inserted one whose statements all
//!    protect people, or an inserted one the extractor reads nothing from that only says
//!    something is not done (`only_denies`: "No personal data is collected.", "Other apps
//!    get no access to your messages without your approval."), or an edit whose words show
//!    it can only narrow or only protect (`narrows`: a provider dropped from a list, a new
//!    way to use a choice, a new deletion promise or safeguard). A sentence
//!    that only states the legal basis of processing on every side it has (`legal_basis_only`:
//!    "legitimate interests (Art. 6(1)(f))", naming no purpose or recipient) is reviewed
//!    but not material either. The same sentence repeated is one review change.
//!
//! The fingerprint of a review change is built from the explicit string
//! `review|CATEGORY|KIND|OLD WORDS|NEW WORDS` (the sentences' tokens), never from line numbers,
//! so an acknowledgement survives unrelated edits elsewhere in the file.
//!
//! The same alignment anchors the practice comparison ([`Anchors`]): a practice the set-level
//! comparison finds added or removed is no change when every sentence stating it kept its
//! meaning in the other text (say a sentence reworded in words the extractor reads
//! differently).
use std::collections::{BTreeSet, HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::compare::{self, Category, ChangeKind, Evidence, PracticeChange};
use crate::policy::{BlockKind, Policy};
use crate::practices::text::{sentences, Locator};
use crate::practices::{self, has_verb_cue, PracticeSet, Statement};
use crate::redline::Alignment;
use crate::taxonomy::{self, Cue, Taxonomy, Token};

mod intact;
mod narrows;
mod words;
use intact::{intact, Stream};
use words::{
    ADMINISTRATIVE, ANNOUNCES, CALENDAR_WORDS, CATEGORY_CUES, CONNECTIONS, CONSENTS, CONTRASTS,
    FETCHES, HEDGES, INLINE_POINTERS, LEGAL_BASES, MAX_EVIDENCE, MAX_MOVE_PAIRS, POINTERS,
    PROCESSORS, PROCESSOR_WEIGHT, REFERENCE_WORDS, REVISION_WORDS, SENTENCE_MOVE, SENTENCE_PAIR,
    STOP_WORDS, SYNONYMS, TIME_WORDS, TITLE_PRONOUNS, TYPO_DISTANCE, TYPO_MIN_LEN,
};

/// A sentence of at most this many words with no practice verb is a title.
const TITLE_WORDS: usize = 6;
/// Distinct folded words kept in the per-thread cache before it is emptied.
const FOLD_CACHE_MAX: usize = 100_000;
/// How many characters of a sentence a review summary quotes.
const QUOTE_CHARS: usize = 80;

/// A side of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Old,
    New,
}

/// One sentence of a changed block.
struct Sent<'a> {
    block: usize,
    text: &'a str,
    line: u32,
    /// The taxonomy's tokens (lower case, lightly stemmed).
    tokens: Vec<Token>,
    /// Content words after folding, sorted (a bag).
    content: Vec<String>,
    /// The tokens joined: equal keys are the same sentence.
    key: String,
    /// The statements the extractor read from this sentence.
    statements: Vec<&'a Statement>,
    /// Content words of the heading of its section (the innermost), folded.
    heading: Vec<String>,
}

impl Sent<'_> {
    fn evidence(&self) -> Evidence {
        Evidence {
            line: self.line,
            text: self.text.to_string(),
        }
    }

    fn key(&self) -> String {
        self.key.clone()
    }

    fn make_key(tokens: &[Token]) -> String {
        tokens
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the sentence alignment found.
pub(crate) struct SentenceDiff<'a> {
    old: Vec<Sent<'a>>,
    new: Vec<Sent<'a>>,
    /// Aligned (old, new) sentences that differ.
    pairs: Vec<(usize, usize)>,
    /// Sentences naming data that moved, word for word or with the same meaning, from one
    /// section to another that both texts have: (old, new).
    moved: Vec<(usize, usize)>,
    /// Old sentences with no counterpart.
    deleted: Vec<usize>,
    /// New sentences with no counterpart.
    inserted: Vec<usize>,
    /// Old sentences with no counterpart whose words still stand in the new text (`intact`):
    /// no change of their own, but their words tell a split or a merge.
    deleted_intact: Vec<usize>,
    /// New sentences with no counterpart whose words stood in the old text.
    inserted_intact: Vec<usize>,
    /// Sentences of changed blocks found again, word for word or with the same meaning, on
    /// the other side, by side and evidence (line, text).
    kept: HashSet<(Side, u32, &'a str)>,
    /// The names of both texts.
    names: Names,
}

/// Which stated practices kept their sentences: see the module doc.
pub(crate) struct Anchors<'s, 'a> {
    diff: &'s SentenceDiff<'a>,
}

impl Anchors<'_, '_> {
    /// Whether the sentence of this old statement is still there, with the same meaning.
    pub(crate) fn old_kept(&self, s: &Statement) -> bool {
        self.diff
            .kept
            .contains(&(Side::Old, s.evidence.line, s.evidence.text.as_str()))
    }

    /// Whether the sentence of this new statement was there before, with the same meaning.
    pub(crate) fn new_kept(&self, s: &Statement) -> bool {
        self.diff
            .kept
            .contains(&(Side::New, s.evidence.line, s.evidence.text.as_str()))
    }
}

impl<'a> SentenceDiff<'a> {
    /// Aligns the sentences of the changed blocks of two policies.
    pub(crate) fn new(
        old: &'a Policy,
        new: &'a Policy,
        alignment: &Alignment,
        old_set: &'a PracticeSet,
        new_set: &'a PracticeSet,
        taxonomy: &Taxonomy,
    ) -> SentenceDiff<'a> {
        let old_sents = changed_sentences(old, &alignment.old, Some(new), old_set);
        let new_sents = changed_sentences(new, &alignment.new, Some(old), new_set);
        let names = Names::of(old, new, taxonomy);
        // A sentence found word for word among the other side's changed sentences moved.
        let (old_twin, new_twin) = twins(&old_sents, &new_sents, alignment);
        let old_left: Vec<usize> = (0..old_sents.len())
            .filter(|&i| old_twin[i].is_none())
            .collect();
        let new_left: Vec<usize> = (0..new_sents.len())
            .filter(|&j| new_twin[j].is_none())
            .collect();
        let mut old_used = vec![false; old_sents.len()];
        let mut new_used = vec![false; new_sents.len()];
        let mut pairs = Vec::new();
        // Within edited block pairs first.
        let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
        for &i in &old_left {
            let Some(counterpart) = alignment.old[old_sents[i].block] else {
                continue;
            };
            for &j in &new_left {
                if new_sents[j].block == counterpart {
                    let s = dice(&old_sents[i].content, &new_sents[j].content);
                    if s >= SENTENCE_PAIR {
                        candidates.push((s, i, j));
                    }
                }
            }
        }
        take_best(&mut candidates, &mut old_used, &mut new_used, &mut pairs);
        // Then across the document.
        let old_rest: Vec<usize> = old_left.iter().copied().filter(|&i| !old_used[i]).collect();
        let new_rest: Vec<usize> = new_left.iter().copied().filter(|&j| !new_used[j]).collect();
        if old_rest.len() * new_rest.len() <= MAX_MOVE_PAIRS {
            let mut candidates = Vec::new();
            for &i in &old_rest {
                for &j in &new_rest {
                    // Dice can reach the bar only if the lengths allow it.
                    let (x, y) = (old_sents[i].content.len(), new_sents[j].content.len());
                    if ((2 * x.min(y)) as f64) < SENTENCE_MOVE * (x + y) as f64 {
                        continue;
                    }
                    let s = dice(&old_sents[i].content, &new_sents[j].content);
                    if s >= SENTENCE_MOVE {
                        candidates.push((s, i, j));
                    }
                }
            }
            take_best(&mut candidates, &mut old_used, &mut new_used, &mut pairs);
        }
        // A sentence that names data and moved from one section to another that both texts
        // have ("Preferred language" from "With an account:" to "All users:") now applies to
        // other people or other cases: it is reviewed, though its words did not change.
        let titles = |p: &'a Policy| -> HashSet<&'a str> {
            p.blocks
                .iter()
                .filter_map(|b| b.section.last().map(String::as_str))
                .collect()
        };
        let (old_titles, new_titles) = (titles(old), titles(new));
        let rescoped = |o: &Sent<'_>, n: &Sent<'_>| {
            let a = old.blocks[o.block].section.last();
            let b = new.blocks[n.block].section.last();
            match (a, b) {
                (Some(a), Some(b)) => {
                    a != b
                        && new_titles.contains(a.as_str())
                        && old_titles.contains(b.as_str())
                        && !taxonomy.data_matcher.find(&n.tokens).is_empty()
                }
                _ => false,
            }
        };
        let mut moved = Vec::new();
        let mut kept: HashSet<(Side, u32, &'a str)> = HashSet::new();
        for (i, s) in old_sents.iter().enumerate() {
            if let Some(j) = old_twin[i] {
                if rescoped(s, &new_sents[j]) {
                    moved.push((i, j));
                    continue;
                }
                kept.insert((Side::Old, s.line, s.text));
                kept.insert((Side::New, new_sents[j].line, new_sents[j].text));
            }
        }
        // Word for word on both sides, and not moved to another section: kept.
        let moved_new: HashSet<usize> = moved.iter().map(|&(_, j)| j).collect();
        for (j, s) in new_sents.iter().enumerate() {
            if new_twin[j].is_some() && !moved_new.contains(&j) {
                kept.insert((Side::New, s.line, s.text));
            }
        }
        pairs.sort_unstable();
        let mut changed_pairs = Vec::new();
        for (i, j) in pairs {
            if same_meaning(&old_sents[i], &new_sents[j], &names.own, taxonomy) {
                if rescoped(&old_sents[i], &new_sents[j]) {
                    moved.push((i, j));
                    continue;
                }
                kept.insert((Side::Old, old_sents[i].line, old_sents[i].text));
                kept.insert((Side::New, new_sents[j].line, new_sents[j].text));
            } else {
                changed_pairs.push((i, j));
            }
        }
        // A sentence whose words still stand, in order, in the other text changed only its
        // layout (a heading run into it or set apart, items split out): kept (`intact`).
        let (old_stream, new_stream) = (Stream::of(old), Stream::of(new));
        let old_intact = |i: usize| intact(old_sents[i].text, &old_stream, &new_stream);
        let new_intact = |j: usize| intact(new_sents[j].text, &new_stream, &old_stream);
        let mut keep = |side: Side, s: &Sent<'a>| {
            kept.insert((side, s.line, s.text));
        };
        changed_pairs.retain(|&(i, j)| {
            let both = old_intact(i) && new_intact(j);
            if both {
                keep(Side::Old, &old_sents[i]);
                keep(Side::New, &new_sents[j]);
            }
            !both
        });
        let (mut deleted, mut deleted_intact) = (Vec::new(), Vec::new());
        for i in unused(&old_left, &old_used) {
            if old_intact(i) {
                keep(Side::Old, &old_sents[i]);
                deleted_intact.push(i);
            } else {
                deleted.push(i);
            }
        }
        let (mut inserted, mut inserted_intact) = (Vec::new(), Vec::new());
        for j in unused(&new_left, &new_used) {
            if new_intact(j) {
                keep(Side::New, &new_sents[j]);
                inserted_intact.push(j);
            } else {
                inserted.push(j);
            }
        }
        SentenceDiff {
            deleted,
            inserted,
            deleted_intact,
            inserted_intact,
            pairs: changed_pairs,
            moved,
            kept,
            names,
            old: old_sents,
            new: new_sents,
        }
    }

    /// The anchors for the practice comparison.
    pub(crate) fn anchors(&self) -> Anchors<'_, 'a> {
        Anchors { diff: self }
    }

    /// The review changes: changed sentences about personal data that none of `changes`
    /// explains (see the module doc).
    pub(crate) fn review(
        &self,
        changes: &[PracticeChange],
        old: &Policy,
        new: &Policy,
        taxonomy: &Taxonomy,
    ) -> Vec<PracticeChange> {
        let explained = |s: &Sent<'_>| s.statements.iter().any(|st| covers(changes, st));
        let names = &self.names;
        let review_change = |o: Option<&Sent<'_>>, n: Option<&Sent<'_>>| {
            review_change(o, n, old, new, taxonomy, names)
        };
        let old_said = Said::of(&self.old);
        let new_said = Said::of(&self.new);
        // A new or deleted sentence whose every statement the other text's changed sentences
        // also make was restructured (a list split into items, a paragraph recast), not
        // changed. One that repeats a practice only unchanged text states adds a new case of
        // it (a new trigger, a new group of people): it stays.
        // A new or deleted item of a list whose lead-in both texts have word for word is a new
        // case of what the lead-in says ("we collect some information when you: ... Choose to
        // donate"), even when the statements it inherits from the lead-in are said elsewhere.
        let old_norms: HashSet<&str> = old.blocks.iter().map(|b| b.norm.as_str()).collect();
        let new_norms: HashSet<&str> = new.blocks.iter().map(|b| b.norm.as_str()).collect();
        let kept_lead_in = |s: &Sent<'_>, policy: &Policy, other: &HashSet<&str>| {
            lead_in(policy, s.block).is_some_and(|b| other.contains(b.norm.as_str()))
        };
        // A sentence whose words all stand in one changed sentence of the other side is a
        // piece of it (a sentence split in two, an inline list made items).
        let old_index = word_index(&self.old);
        let new_index = word_index(&self.new);
        // A list item's statements may be its lead-in's: an item whose own words are mostly
        // new ("Selected individuals employed in the private prison estate" under a reworded
        // "We share your personal information with:") names something new, although what
        // it inherits is said on the other side.
        let restated =
            |s: &Sent<'_>, policy: &Policy, other: &Said, index: &HashMap<&str, Vec<usize>>| {
                let mostly_new = || {
                    let kept = s.content.iter().filter(|w| index.contains_key(w.as_str()));
                    2 * kept.count() < s.content.len()
                };
                !s.statements.is_empty()
                    && s.statements.iter().all(|st| other.says(st))
                    && !(lead_in(policy, s.block).is_some() && mostly_new())
            };
        let contained = |s: &Sent<'_>, others: &[Sent<'_>], index: &HashMap<&str, Vec<usize>>| {
            // Only sentences holding the rarest of its words can hold all of them.
            let rarest = s
                .content
                .iter()
                .map(|w| index.get(w.as_str()).map_or(&[][..], Vec::as_slice))
                .min_by_key(|list| list.len());
            rarest.is_some_and(|list| {
                list.iter().any(|&k| {
                    let x = &others[k];
                    x.content.len() > s.content.len()
                        && common(&s.content, &x.content) == s.content.len()
                })
            })
        };
        let mut out = Vec::new();
        // What the inserted and the deleted sentences say, for telling a split or a merge.
        let bag = |sents: &[Sent<'_>], picked: &[usize]| {
            let mut words: Vec<String> = picked
                .iter()
                .flat_map(|&k| sents[k].content.iter().cloned())
                .collect();
            words.sort_unstable();
            words.dedup();
            words
        };
        let all = |x: &[usize], y: &[usize]| [x, y].concat();
        let inserted_words = bag(&self.new, &all(&self.inserted, &self.inserted_intact));
        let deleted_words = bag(&self.old, &all(&self.deleted, &self.deleted_intact));
        // A pair where one side holds the other, and the rest stands in new sentences (a
        // sentence split into a lead and list items) or in deleted ones (two merged), only
        // moved words between sentences.
        let regrouped = |o: &Sent<'_>, n: &Sent<'_>| {
            if modal_words(&o.tokens, taxonomy) != modal_words(&n.tokens, taxonomy) {
                return false;
            }
            let covered =
                |rest: Vec<String>, by: &[String]| rest.iter().all(|w| by.binary_search(w).is_ok());
            (common(&n.content, &o.content) == n.content.len()
                && covered(difference(&o.content, &n.content), &inserted_words))
                || (common(&o.content, &n.content) == o.content.len()
                    && covered(difference(&n.content, &o.content), &deleted_words))
        };
        // A new or deleted list item speaks of personal data when it does itself, or when
        // the lead-in of its list does ("We keep contact details for:" / "* people who join
        // our lists"). A reworded item is judged on its own words.
        // An item of a few words ("Mozilla Firefox", a link) names something; it says
        // nothing of its own.
        // An item of a list of the parties data goes to ("BSidesSF uses various third party
        // services ...: * Cloudflare * Coinbase") is a recipient, however short.
        // A program that talks to a named party's server hands it the device's address,
        // whatever data the sentence names ("the app will connect to GitHub every 24 hours").
        let connects = |s: &Sent<'_>| connects_to(s.text) && names.names_a_party(s.text);
        let speaks = |s: &Sent<'_>, policy: &Policy| {
            personal(s, taxonomy)
                || (s.content.len() > 3 && lead_in_is_personal(policy, s.block, taxonomy))
                || in_parties_list(policy, s.block, taxonomy)
                || in_parties_table(policy, s.block, taxonomy)
                || connects(s)
        };
        let (old_titles, new_titles) = (heading_words(old), heading_words(new));
        for &(i, j) in &self.pairs {
            let (o, n) = (&self.old[i], &self.new[j]);
            // A practice change that explains the old side does not explain a party the new
            // side brings in ("Google Analytics provides ..." made "Piwik Pro provides ...":
            // one tracker gone, and a vendor the taxonomy does not know).
            if (explained(o) && !names.brings_in(n, new, Side::New))
                || explained(n)
                || regrouped(o, n)
                || redated(o, n)
                || rereferenced(o, n, &old_titles, &new_titles)
                || !(personal(o, taxonomy)
                    || personal(n, taxonomy)
                    || (connects(n) && !connects(o)))
            {
                continue;
            }
            out.push(review_change(Some(o), Some(n)));
        }
        for &(i, j) in &self.moved {
            let (o, n) = (&self.old[i], &self.new[j]);
            if explained(o) || explained(n) || !personal(n, taxonomy) {
                continue;
            }
            let mut change = review_change(Some(o), Some(n));
            let section = |p: &Policy, s: &Sent<'_>| {
                p.blocks[s.block]
                    .section
                    .last()
                    .cloned()
                    .unwrap_or_default()
            };
            change.summary = format!(
                "moved from \u{201c}{}\u{201d} to \u{201c}{}\u{201d}, to review: {}",
                section(old, o),
                section(new, n),
                change.summary.split_once(": ").map_or("", |x| x.1)
            );
            out.push(change);
        }
        for &i in &self.deleted {
            let o = &self.old[i];
            if !explained(o)
                && (!restated(o, old, &new_said, &new_index) || kept_lead_in(o, old, &new_norms))
                && speaks(o, old)
                && !contained(o, &self.new, &new_index)
            {
                out.push(review_change(Some(o), None));
            }
        }
        for &j in &self.inserted {
            let n = &self.new[j];
            if !explained(n)
                && (!restated(n, new, &old_said, &old_index) || kept_lead_in(n, new, &old_norms))
                && speaks(n, new)
                && !contained(n, &self.old, &old_index)
            {
                out.push(review_change(None, Some(n)));
            }
        }
        merge_repeats(out)
    }
}

/// What the statements of one side's changed sentences say, merged per key and polarity.
struct Said {
    by_key: HashMap<(String, u8), SaidScope>,
}

#[derive(Default)]
struct SaidScope {
    data_types: BTreeSet<String>,
    recipients: BTreeSet<String>,
    places: BTreeSet<String>,
    retention: BTreeSet<String>,
}

impl Said {
    fn of(sents: &[Sent<'_>]) -> Said {
        let mut by_key: HashMap<(String, u8), SaidScope> = HashMap::new();
        for st in sents.iter().flat_map(|s| &s.statements) {
            let scope = by_key
                .entry((st.key.clone(), st.polarity as u8))
                .or_default();
            scope.data_types.extend(st.data_types.iter().cloned());
            scope.recipients.extend(st.recipients.iter().cloned());
            scope.places.extend(st.places.iter().cloned());
            scope.retention.extend(st.retention.map(|r| r.describe()));
        }
        Said { by_key }
    }

    /// Whether these sentences state `st` with at least its scope.
    fn says(&self, st: &Statement) -> bool {
        self.by_key
            .get(&(st.key.clone(), st.polarity as u8))
            .is_some_and(|scope| {
                st.data_types.is_subset(&scope.data_types)
                    && st.recipients.is_subset(&scope.recipients)
                    && st.places.is_subset(&scope.places)
                    && st
                        .retention
                        .is_none_or(|r| scope.retention.contains(&r.describe()))
            })
    }
}

/// Pairs the sentences the two sides' changed blocks have word for word (the same key), one
/// to one: first within aligned block pairs, then in document order. A sentence written
/// more often on one side than on the other is new there as often as it is added: a
/// paragraph copied for a second provider ("Such data include: user profile ...", once for
/// GitHub, then again for Bitbucket) says it of a new case.
fn twins(
    old: &[Sent<'_>],
    new: &[Sent<'_>],
    alignment: &Alignment,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut old_twin = vec![None; old.len()];
    let mut new_twin = vec![None; new.len()];
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, s) in new.iter().enumerate() {
        by_key.entry(s.key.as_str()).or_default().push(j);
    }
    for aligned in [true, false] {
        for (i, s) in old.iter().enumerate() {
            if old_twin[i].is_some() {
                continue;
            }
            let Some(candidates) = by_key.get(s.key.as_str()) else {
                continue;
            };
            let counterpart = alignment.old.get(s.block).copied().flatten();
            let found = candidates.iter().copied().find(|&j| {
                new_twin[j].is_none() && (!aligned || counterpart == Some(new[j].block))
            });
            if let Some(j) = found {
                old_twin[i] = Some(j);
                new_twin[j] = Some(i);
            }
        }
    }
    (old_twin, new_twin)
}

/// One review change per fingerprint: the same sentence repeated (a summary table and its
/// section) is one thing to read, with each place as evidence.
fn merge_repeats(changes: Vec<PracticeChange>) -> Vec<PracticeChange> {
    let mut out: Vec<PracticeChange> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|x| x.id == c.id) {
            Some(first) => {
                for (to, from) in [(&mut first.old, c.old), (&mut first.new, c.new)] {
                    for e in from {
                        if to.len() < MAX_EVIDENCE && !to.contains(&e) {
                            to.push(e);
                        }
                    }
                }
            }
            None => out.push(c),
        }
    }
    out
}

fn unused(left: &[usize], used: &[bool]) -> Vec<usize> {
    left.iter().copied().filter(|&k| !used[k]).collect()
}

/// For each content word, the sentences that hold it.
fn word_index<'s>(sents: &'s [Sent<'_>]) -> HashMap<&'s str, Vec<usize>> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, s) in sents.iter().enumerate() {
        for w in &s.content {
            let list = index.entry(w.as_str()).or_default();
            if list.last() != Some(&k) {
                list.push(k);
            }
        }
    }
    index
}

/// Pairs candidates best first, each sentence once.
fn take_best(
    candidates: &mut [(f64, usize, usize)],
    old_used: &mut [bool],
    new_used: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
) {
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for &(_, i, j) in candidates.iter() {
        if !old_used[i] && !new_used[j] {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j));
        }
    }
}

/// The sentences of the blocks of `policy` that changed: those with no counterpart, or whose
/// counterpart reads differently.
fn changed_sentences<'a>(
    policy: &'a Policy,
    links: &[Option<usize>],
    other: Option<&'a Policy>,
    set: &'a PracticeSet,
) -> Vec<Sent<'a>> {
    let mut by_evidence: HashMap<(u32, &str), Vec<&Statement>> = HashMap::new();
    for s in &set.statements {
        by_evidence
            .entry((s.evidence.line, s.evidence.text.as_str()))
            .or_default()
            .push(s);
    }
    let mut out = Vec::new();
    let contents = policy.contents_entries();
    for (k, block) in policy.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading(_) | BlockKind::Code) || contents[k] {
            continue;
        }
        // A block moved word for word into another section is looked at too: its sentences
        // may now apply to other people (see `SentenceDiff::moved`).
        let unchanged = match (links.get(k).copied().flatten(), other) {
            (Some(c), Some(other)) => other
                .blocks
                .get(c)
                .is_some_and(|b| b.norm == block.norm && b.section.last() == block.section.last()),
            _ => false,
        };
        if unchanged {
            continue;
        }
        let heading: Vec<String> = block
            .section
            .last()
            .map(|h| content(&taxonomy::tokens(h)))
            .unwrap_or_default();
        if block.kind == BlockKind::TableRow {
            let tokens = taxonomy::tokens(&block.text);
            out.push(Sent {
                block: k,
                text: &block.text,
                line: block.lines.0,
                content: content(&tokens),
                key: Sent::make_key(&tokens),
                statements: by_evidence
                    .get(&(block.lines.0, block.text.as_str()))
                    .cloned()
                    .unwrap_or_default(),
                heading,
                tokens,
            });
            continue;
        }
        let mut locator = Locator::new(policy, block);
        for sentence in sentences(&block.text) {
            let line = locator.locate(sentence);
            let tokens = taxonomy::tokens(sentence);
            if tokens.is_empty() {
                continue;
            }
            out.push(Sent {
                block: k,
                text: sentence,
                line,
                content: content(&tokens),
                key: Sent::make_key(&tokens),
                statements: by_evidence
                    .get(&(line, sentence))
                    .cloned()
                    .unwrap_or_default(),
                heading: heading.clone(),
                tokens,
            });
        }
    }
    out
}

/// Whether two sentences are the same letters and digits in the same order, spaces and
/// punctuation aside: words run together by a conversion ("weautomatically collect",
/// "Withlawenforcement,governmentofficials") and set apart again are no change.
fn same_letters(a: &str, b: &str) -> bool {
    fn letters(t: &str) -> impl Iterator<Item = char> + '_ {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
    }
    a.split_whitespace().nth(intact::MIN_WORDS - 1).is_some() && letters(a).eq(letters(b))
}

/// The content words of tokens, folded and sorted.
fn content(tokens: &[Token]) -> Vec<String> {
    let mut words: Vec<String> = tokens
        .iter()
        .map(|t| t.as_str())
        .filter(|w| is_content(w))
        .map(folded)
        .collect();
    words.sort_unstable();
    words
}

/// Whether a token is a content word: not punctuation, not a stop word.
fn is_content(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric) && !STOP_WORDS.contains(&word)
}

/// [`fold`], remembered: policies repeat their words, so each distinct word is folded once.
fn folded(word: &str) -> String {
    thread_local! {
        static FOLDED: std::cell::RefCell<HashMap<String, String>> =
            std::cell::RefCell::new(HashMap::new());
    }
    FOLDED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(f) = cache.get(word) {
            return f.clone();
        }
        if cache.len() > FOLD_CACHE_MAX {
            cache.clear();
        }
        let f = fold(word);
        cache.insert(word.to_string(), f.clone());
        f
    })
}

/// One word as compared: synonyms folded, British spellings made American, then stemmed
/// (Snowball English), so "recorded" is "record" and "customise" is "customize".
fn fold(word: &str) -> String {
    let word = SYNONYMS
        .iter()
        .find(|(from, _)| *from == word)
        .map_or(word, |(_, to)| to);
    let american = british_to_american(word);
    let stemmed = STEMMER.with(|s| s.stem(&american).into_owned());
    SYNONYMS
        .iter()
        .find(|(from, _)| *from == stemmed)
        .map_or(stemmed, |(_, to)| to.to_string())
}

/// "customise" → "customize", "analyse" → "analyze", "organisation" → "organization".
fn british_to_american(word: &str) -> std::borrow::Cow<'_, str> {
    for (from, to) in [
        ("isation", "ization"),
        ("ise", "ize"),
        ("ised", "ized"),
        ("ising", "izing"),
        ("yse", "yze"),
        ("ysed", "yzed"),
    ] {
        if let Some(stem) = word.strip_suffix(from) {
            if stem.len() >= 3 {
                return std::borrow::Cow::Owned(format!("{stem}{to}"));
            }
        }
    }
    std::borrow::Cow::Borrowed(word)
}

thread_local! {
    static STEMMER: rust_stemmers::Stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
}

/// Dice coefficient of two sorted word bags.
fn dice(x: &[String], y: &[String]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let shared = common(x, y);
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

fn common(x: &[String], y: &[String]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The words of a sorted bag not in the other (with multiplicity).
fn difference<T: Ord + Clone>(x: &[T], y: &[T]) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < x.len() {
        if j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => {
                    out.push(x[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
            }
        } else {
            out.push(x[i].clone());
            i += 1;
        }
    }
    out
}

/// A statement reduced to what the comparison reads from it.
type Signature = (
    String,
    u8,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Option<String>,
);

fn signatures(s: &Sent<'_>) -> BTreeSet<Signature> {
    s.statements
        .iter()
        .map(|st| {
            (
                st.key.clone(),
                st.polarity as u8,
                st.data_types.iter().cloned().collect(),
                st.recipients.iter().cloned().collect(),
                st.places.iter().cloned().collect(),
                st.retention.map(|r| r.describe()),
            )
        })
        .collect()
}

/// Whether an aligned pair says the same thing (see the module doc, step 3).
fn same_meaning(
    o: &Sent<'_>,
    n: &Sent<'_>,
    own_names: &HashSet<String>,
    taxonomy: &Taxonomy,
) -> bool {
    // Modal words are stop words for the content, so they are compared first: "we will
    // notify you" made "we may notify you" is a promise weakened, not a rewording.
    if modal_words(&o.tokens, taxonomy) != modal_words(&n.tokens, taxonomy) {
        return false;
    }
    if o.content == n.content || same_letters(o.text, n.text) {
        return true;
    }
    let (mut gone, mut came) = without_typos(
        difference(&o.content, &n.content),
        difference(&n.content, &o.content),
    );
    spelled_out(&mut gone, &mut came, &n.tokens);
    spelled_out(&mut came, &mut gone, &o.tokens);
    if gone.is_empty() && came.is_empty() {
        return true;
    }
    // A heading run into the sentence on one side and set as the heading of its section on
    // the other ("4. Billing information Should you sign up ..." made "Should you sign up
    // ..." under "4. Billing information"): formatting. The extra words must open the
    // longer sentence, so that words added anywhere else are never excused by a heading.
    let run_in = |extra: &[String], longer: &Sent<'_>, heading: &[String]| {
        if heading.is_empty()
            || !extra
                .iter()
                .all(|w| heading.contains(w) || w.chars().all(|c| c.is_ascii_digit()))
        {
            return false;
        }
        let mut opening: Vec<String> = longer
            .tokens
            .iter()
            .map(|t| t.as_str())
            .filter(|w| is_content(w))
            .take(extra.len())
            .map(folded)
            .collect();
        opening.sort_unstable();
        let mut extra = extra.to_vec();
        extra.sort_unstable();
        opening == extra
    };
    if (came.is_empty() && run_in(&gone, o, &n.heading))
        || (gone.is_empty() && run_in(&came, n, &o.heading))
    {
        return true;
    }
    // The policy's own name in place of "we" or "the Company" ("the data that we process"
    // made "... that Weblate processes"; "operated by Company" made "operated by Rinth,
    // Inc."): the same party, named.
    let (o_names, n_names) = (names(o.text), names(n.text));
    let own_here: Vec<String> = o_names
        .iter()
        .chain(&n_names)
        .filter(|w| own_names.contains(*w))
        .map(|w| folded(w))
        .collect();
    if !own_here.is_empty() {
        let party = |w: &String| {
            own_here.contains(w) || w == "person_org" || LEGAL_FORMS.contains(&w.as_str())
        };
        if gone.iter().chain(&came).all(party) {
            return true;
        }
    }
    if gone.is_empty() && widened(&o.content, n, &came) {
        return false;
    }
    // The mirror image under a denial: "we do not use analysis tools and unnecessary
    // cookies" made "we do not use unnecessary cookies" denies less than before, however
    // little the taxonomy knows of what was dropped.
    let denies = |s: &Sent<'_>| !taxonomy.negations(&s.tokens).is_empty();
    if came.is_empty() && denies(o) && denies(n) && widened(&n.content, o, &gone) {
        return false;
    }
    // A party named on one side only (a vendor swapped: "stored by Mailchimp" made "stored
    // by MailerLite") is a new recipient the taxonomy cannot name.
    if names_differ(&o_names, n, own_names) || names_differ(&n_names, o, own_names) {
        return false;
    }
    // The same practices, the same modal, negation and condition words, and the same things
    // named (data types, recipients, purposes, places, practice phrases and verbs, numbers):
    // the rest is wording.
    let (so, sn) = (signatures(o), signatures(n));
    if so != sn {
        return false;
    }
    // Where the extractor reads practices, they carry the data types and verbs; what else
    // may differ is who gets the data, why ("except ... or as required by law" widens an
    // exception the statements do not carry), where, and for how long.
    let kinds: &[&str] = if so.is_empty() {
        &[
            "data",
            "recipient",
            "purpose",
            "place",
            "practice",
            "verb",
            "number",
        ]
    } else {
        &["recipient", "purpose", "place", "number"]
    };
    let keep = |m: BTreeSet<String>| -> BTreeSet<String> {
        m.into_iter()
            .filter(|x| kinds.iter().any(|k| x.starts_with(&format!("{k}:"))))
            .collect()
    };
    keep(meaning(&o.tokens, taxonomy)) == keep(meaning(&n.tokens, taxonomy))
}

/// Whether `n`, which keeps every content word of the old sentence (`old`, a bag) and adds
/// `came`, joins something new to something the old sentence named, with "and", "or" or a
/// comma between items: the
/// scope of the practice widened, whatever the taxonomy knows of the new words ("our website
/// uses cookies" made "our website and services use cookies"; "schools" made "schools,
/// colleges and further education providers"; "for security events" made "for security
/// events and to analyse use"). At a connector, the nearest content words on each side are
/// compared: a new word beside an old one; the same folded word on both sides, one of them
/// new ("website and services", both "service"); or new words running back from the
/// connector to an old one ("schools, colleges and ..."). After a comma, only a new item
/// after an old one counts. Only additions count: a sentence
/// that also drops words is compared by what it names (see [`same_meaning`]).
fn widened(old: &[String], n: &Sent<'_>, came: &[String]) -> bool {
    // (index in tokens, folded) of each content word, and the connectors' indexes.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut connectors: Vec<usize> = Vec::new();
    // A comma joins only an item after an old one, and only between two content words ("A,
    // B" made "A, B, C"); elsewhere it closes a clause ("about you, we"; "data, we" made
    // "data on our site, we").
    let mut commas: Vec<usize> = Vec::new();
    let content_at = |k: usize| n.tokens.get(k).is_some_and(|t| is_content(t.as_str()));
    for (i, t) in n.tokens.iter().enumerate() {
        let w = t.as_str();
        if w == "," && i > 0 && content_at(i - 1) && content_at(i + 1) {
            commas.push(i);
        }
        if w == "and" || w == "or" {
            // "and/or" is one connector.
            if connectors.last().is_none_or(|&c| c + 1 != i) {
                connectors.push(i);
            }
        } else if is_content(w) {
            words.push((i, folded(w)));
        }
    }
    let new_only = |f: &str| came.iter().any(|c| c == f) && !old.iter().any(|o| o == f);
    let is_old = |f: &str| old.iter().any(|o| o == f);
    let around = |c: usize| {
        let split = words.partition_point(|(i, _)| *i < c);
        split
            .checked_sub(1)
            .and_then(|k| words.get(k))
            .zip(words.get(split))
            .map(|((_, left), (_, right))| (split, left.as_str(), right.as_str()))
    };
    // A new word joined to an old one (that is not also new).
    let beside = |old_word: &str, new_word: &str| {
        new_only(new_word) && is_old(old_word) && !new_only(old_word)
    };
    commas
        .iter()
        .filter_map(|&c| around(c))
        .any(|(_, left, right)| beside(left, right))
        || connectors
            .iter()
            .filter_map(|&c| around(c))
            .any(|(split, left, right)| {
                beside(left, right)
                    || beside(right, left)
                    || (left == right && came.iter().any(|w| w == left))
                    // A list: new words back from the connector to an old one.
                    || (new_only(left)
                        && words[..split]
                            .iter()
                            .rev()
                            .find(|(_, f)| !new_only(f))
                            .is_some_and(|(_, f)| is_old(f)))
            })
}

/// Legal forms after a company's name, as folded words ("Rinth, Inc.", "Example Ltd").
const LEGAL_FORMS: &[&str] = &[
    "inc", "ltd", "llc", "gmbh", "corp", "plc", "limit", "sa", "bv",
];

/// A capitalised word in at least this many blocks of a policy, or in its title, names the
/// policy's own company, product or service, not a party data goes to. An acquirer's policy
/// names the acquirer where the old one named the company: that rename is in every sentence
/// and says nothing new about recipients.
const OWN_NAME_BLOCKS: usize = 4;

/// The capitalised words (as tokens) of a sentence other than its first word, leaving out
/// month and day names, pronouns and determiners set in capitals ([`TITLE_PRONOUNS`]), the three words after a number (a postal address, a date) and
/// words in capitals that are longer than four letters or stand next to another (emphasis
/// and placeholders, "[INSERT LINK]"; an acronym such as "AWS" stays): those name no party.
fn names(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let numeric = |k: usize| words[k].chars().any(|c| c.is_ascii_digit());
    // Capitals: an acronym ("AWS") names a party, a run of them ("[INSERT LINK TO TERMS]")
    // or a long word ("IMPORTANT") is emphasis or a placeholder.
    let capitals = |k: usize| {
        words.get(k).is_some_and(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(char::is_lowercase)
        })
    };
    // An address or a date runs on after its number ("15 Falls Rd, Shelburne").
    let after_number = |k: usize| (k.saturating_sub(3)..k).any(numeric);
    words
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(k, w)| {
            w.len() >= 2
                && w.starts_with(|c: char| c.is_uppercase())
                && !(capitals(*k) && (w.len() > 4 || capitals(*k - 1) || capitals(*k + 1)))
                && !CALENDAR_WORDS.contains(&w.to_lowercase().trim_end_matches('s'))
                && !TITLE_PRONOUNS.contains(&w.to_lowercase().as_str())
                && !after_number(*k)
        })
        .flat_map(|(_, w)| {
            taxonomy::tokens(w)
                .into_iter()
                .map(|t| t.as_str().to_string())
        })
        .collect()
}

/// The names a policy uses for itself: see [`OWN_NAME_BLOCKS`].
fn frequent_names(policy: &Policy) -> HashSet<String> {
    // A block counts a name wherever it stands, first word of a sentence included ("Weblate
    // has appointed ..."), once the name is known as one: capitalised somewhere other than a
    // sentence's start.
    let mut blocks: HashMap<String, usize> = HashMap::new();
    let mut known: HashSet<String> = HashSet::new();
    for b in &policy.blocks {
        let mut seen: Vec<String> = names(&b.text);
        known.extend(seen.iter().cloned());
        seen.extend(sentences(&b.text).into_iter().filter_map(|s| {
            let first = s
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())?;
            first
                .starts_with(char::is_uppercase)
                .then(|| {
                    taxonomy::tokens(first)
                        .first()
                        .map(|t| t.as_str().to_string())
                })
                .flatten()
        }));
        seen.sort_unstable();
        seen.dedup();
        for n in seen {
            *blocks.entry(n).or_default() += 1;
        }
    }
    let mut own: HashSet<String> = blocks
        .into_iter()
        .filter(|(w, n)| *n >= OWN_NAME_BLOCKS && known.contains(w))
        .map(|(w, _)| w)
        .collect();
    if let Some(title) = &policy.title {
        own.extend(
            taxonomy::tokens(title)
                .iter()
                .map(|t| t.as_str().to_string()),
        );
    }
    own
}

/// Whether `named` (one sentence's [`names`]) holds someone, not one of the policies' own
/// names, whom `b` does not mention at all, whatever the case: "Mailchimp" against
/// "MailerLite" does, "Service Providers" against "service providers" does not.
fn names_differ(named: &[String], b: &Sent<'_>, own_names: &HashSet<String>) -> bool {
    let mentioned: HashSet<&str> = b.tokens.iter().map(|t| t.as_str()).collect();
    // Two words written together on one side: "RegOnline" against "Reg Online".
    let joined_in_b = |w: &str| {
        b.tokens
            .windows(2)
            .any(|p| w.strip_prefix(p[0].as_str()) == Some(p[1].as_str()))
    };
    let joined_in_a = |k: usize| {
        let pair = |x: &str, y: &str| mentioned.iter().any(|m| m.strip_prefix(x) == Some(y));
        (k > 0 && pair(&named[k - 1], &named[k]))
            || named.get(k + 1).is_some_and(|next| pair(&named[k], next))
    };
    (0..named.len()).any(|k| {
        let w = named[k].as_str();
        !own_names.contains(w)
            && !mentioned.contains(w)
            && !joined_in_b(w)
            && !joined_in_a(k)
            && spelled(&b.tokens, w).is_none()
    })
}

/// Drops changed words that are a typo fix of each other ("Ppixels" for "Pixels"), or one
/// word written as two ("RegOnline" and "Reg Online").
fn without_typos(mut gone: Vec<String>, mut came: Vec<String>) -> (Vec<String>, Vec<String>) {
    unsplit(&mut gone, &mut came);
    unsplit(&mut came, &mut gone);
    let mut k = 0;
    while k < gone.len() {
        let typo = came.iter().position(|c| {
            c.len().min(gone[k].len()) >= TYPO_MIN_LEN
                && strsim::damerau_levenshtein(c, &gone[k]) <= TYPO_DISTANCE
        });
        match typo {
            Some(t) => {
                came.remove(t);
                gone.remove(k);
            }
            None => k += 1,
        }
    }
    (gone, came)
}

/// The longest acronym looked for in its spelled-out form.
const ACRONYM_MAX: usize = 6;

/// Drops an acronym of `one` that the other sentence (`other`, with changed content words
/// `two`) spells out ("SOR" and "systems of records", "DPO" and "Data Protection
/// Officer"), and the spelled-out words.
fn spelled_out(one: &mut Vec<String>, two: &mut Vec<String>, other: &[Token]) {
    let mut k = 0;
    while k < one.len() {
        match spelled(other, &one[k]) {
            Some(w) => {
                let spelled = content(w);
                two.retain(|x| !spelled.contains(x));
                one.remove(k);
            }
            None => k += 1,
        }
    }
}

/// The words of `tokens` whose initials spell `acronym` ("systems of records" for "sor").
fn spelled<'t>(tokens: &'t [Token], acronym: &str) -> Option<&'t [Token]> {
    let letters: Vec<char> = acronym.chars().collect();
    if !(2..=ACRONYM_MAX).contains(&letters.len()) || !letters.iter().all(char::is_ascii_alphabetic)
    {
        return None;
    }
    tokens.windows(letters.len()).find(|w| {
        w.iter()
            .zip(&letters)
            .all(|(t, c)| t.len() > 1 && t.as_str().starts_with(*c))
    })
}

/// Drops a word of `one` that is two words of `two` written together, and those two.
fn unsplit(one: &mut Vec<String>, two: &mut Vec<String>) {
    let mut k = 0;
    while k < one.len() {
        let split = (0..two.len()).find_map(|i| {
            (0..two.len())
                .find(|&j| j != i && format!("{}{}", two[i], two[j]) == one[k])
                .map(|j| (i.max(j), i.min(j)))
        });
        match split {
            Some((hi, lo)) => {
                two.remove(hi);
                two.remove(lo);
                one.remove(k);
            }
            None => k += 1,
        }
    }
}

/// What a sentence names that carries meaning for a practice: the taxonomy's data types,
/// recipients, purposes, places and practice phrases it matches, the kinds of practice verbs
/// it uses, and its numbers and time units.
fn meaning(tokens: &[Token], taxonomy: &Taxonomy) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let matchers = [
        ("data", &taxonomy.data_matcher),
        ("recipient", &taxonomy.recipient_matcher),
        ("purpose", &taxonomy.purpose_matcher),
        ("place", &taxonomy.place_matcher),
        ("practice", &taxonomy.practice_matcher),
    ];
    for (name, matcher) in matchers {
        for h in matcher.find(tokens) {
            out.insert(format!("{name}:{}", h.target));
        }
    }
    for (name, cue) in [
        ("collection", Cue::Collection),
        ("sharing", Cue::Sharing),
        ("sale", Cue::Sale),
        ("transfer", Cue::Transfer),
        ("retention", Cue::Retention),
    ] {
        if taxonomy.cue(cue).any(tokens) {
            out.insert(format!("verb:{name}"));
        }
    }
    for (k, t) in tokens.iter().enumerate() {
        let word = t.as_str();
        if TIME_WORDS.contains(&word) {
            out.insert(format!("number:{word}"));
            continue;
        }
        // A number is compared by value, the way retention periods read it ("30 days" and
        // "thirty days" agree, "a week" and "two weeks" do not); in words only before a time
        // unit ("one of our campaigns" is no number).
        let before_unit = tokens
            .get(k + 1)
            .is_some_and(|u| TIME_WORDS.contains(&u.as_str()));
        let digits = word.chars().any(|c| c.is_ascii_digit());
        match practices::number(word) {
            Some(n) if digits || before_unit => {
                out.insert(format!("number:{n}"));
            }
            _ if digits => {
                out.insert(format!("number:{word}"));
            }
            _ => {}
        }
    }
    out
}

/// The kinds of modal, negation, exception, contrast and consent words a sentence uses. "May" and a firm
/// statement are one kind ("we may share", "we share", "sometimes we share"); only a promise
/// ("will", "must") weakened to "may", or the reverse, counts. Condition words are left
/// out: "when", "where", "if" and an inverted "Should ..." are interchangeable, and a new
/// condition on a practice changes its statements anyway.
fn modal_words(tokens: &[Token], taxonomy: &Taxonomy) -> BTreeSet<&'static str> {
    let has = |cue| taxonomy.cue(cue).any(tokens);
    let mut out = BTreeSet::new();
    // "May" alone is the firm statement's kind: nothing to record.
    if has(Cue::WillModality) && !has(Cue::MayModality) {
        out.insert("will");
    }
    if has(Cue::Negation) {
        out.insert("not");
    }
    if has(Cue::Exception) {
        out.insert("except");
    }
    // A clause of contrast qualifies the statement ("we don't track individual users but
    // count traffic for analytics"): one side with it says something the other does not.
    if tokens.iter().any(|t| CONTRASTS.contains(&t.as_str())) {
        out.insert("but");
    }
    // A hedge makes a promise conditional ("end-to-end encryption by default" made "... when
    // possible"); a default is a promise about what happens unless someone acts.
    static HEDGE: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    static DEFAULT: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    if holds(&HEDGE, HEDGES, tokens) {
        out.insert("hedge");
    }
    if holds(&DEFAULT, &["by default"], tokens) {
        out.insert("default");
    }
    // Asking first ("with your consent") limits a practice to those who agree.
    if asks_consent(tokens) {
        out.insert("consent");
    }
    out
}

/// Whether a practice change covers what this statement says.
fn covers(changes: &[PracticeChange], s: &Statement) -> bool {
    changes.iter().any(|c| {
        c.practice == s.key
            // A deletion period compared with a keeping period (`compare`) quotes it.
            || (s.key == "retention.deletion"
                && c.practice == "retention.period"
                && (c.old.contains(&s.evidence) || c.new.contains(&s.evidence)))
            || (c.practice == "collection"
                && s.key
                    .strip_prefix("collection.")
                    .is_some_and(|d| c.data_types.iter().any(|t| t == d)))
    })
}

/// Whether a sentence speaks of personal data (see the module doc, step 4). A title set as
/// a sentence ("Your Direct Messages.", "2. DIRECT MESSAGES ARE PRIVATE") states nothing.
fn personal(s: &Sent<'_>, taxonomy: &Taxonomy) -> bool {
    let toks = &s.tokens;
    let verb = [Cue::Collection, Cue::Sharing, Cue::Sale, Cue::Retention]
        .iter()
        .any(|&cue| taxonomy.cue(cue).any(toks));
    let words = toks
        .iter()
        .filter(|t| t.chars().any(char::is_alphabetic))
        .count();
    // A heading set as a paragraph ("(f) Cookies.") states nothing, even where the extractor
    // reads a practice into its one noun.
    if words <= 2 && !verb && !taxonomy.cue(Cue::Use).any(toks) {
        return false;
    }
    // A numbered heading set as a paragraph ("3.Personal Data to be collected") and a
    // lead-in to a list ("Specifically, we collect the following types of information:")
    // name no data and no recipient themselves: the items that follow do, and are reviewed.
    // A lead-in that says what the data is used for ("... are used to prevent fraud,
    // including:") states a purpose, and stays.
    let text = s.text.trim_end();
    if contact_line(text) || practices::is_navigation(text) {
        return false;
    }
    let numbered_title = text.starts_with(|c: char| c.is_ascii_digit())
        && !text.ends_with(['.', '!', '?', ';', ':'])
        && !text.contains('|')
        && words <= TITLE_WORDS + 2;
    let lead_in = text.ends_with(':') && !taxonomy.cue(Cue::Use).any(toks);
    if (numbered_title || lead_in)
        && taxonomy.data_matcher.find(toks).is_empty()
        && s.statements.iter().all(|st| st.recipients.is_empty())
    {
        return false;
    }
    if !s.statements.is_empty() {
        return true;
    }
    if words <= 3 || (words <= TITLE_WORDS && !verb) {
        return false;
    }
    // "For more information, see ...": a pointer to another text states nothing here; nor
    // does a sentence about whom to contact or which framework covers transfers.
    let lower = s.text.to_lowercase();
    if administrative(s)
        || taxonomy.cue(Cue::Meta).any(toks)
        || practices::is_pointer(toks)
        || POINTERS.iter().any(|p| lower.starts_with(p))
        || INLINE_POINTERS.iter().any(|p| lower.contains(p))
    {
        return false;
    }
    if !taxonomy.data_matcher.find(toks).is_empty() || taxonomy.practice_matcher.any(toks) {
        return true;
    }
    if toks.iter().any(|t| t == "personal") || names_processor(toks) {
        return true;
    }
    // Named recipients, trackers, periods and rights speak of what happens to people's data
    // even without the word "data" ("Our payment partners are ...", "Analytics by ..."), and
    // so does a change of owner ("Example is now part of the Example Group").
    let mut scores = [0f32; Category::ALL.len()];
    score_cues(toks, 1.0, &mut scores);
    // Notice of changes counts only as a promise to announce them ("You will be informed of
    // any amendments"), never as a date line ("This policy was last updated in January").
    let announces = toks.iter().any(|t| ANNOUNCES.contains(&t.as_str()));
    if [
        Category::Transfer,
        Category::Sharing,
        Category::Tracking,
        Category::Retention,
        Category::Choices,
        Category::International,
    ]
    .iter()
    .chain(announces.then_some(&Category::ChangeNotice))
    .any(|c| scores[*c as usize] >= PERSONAL_CUES)
    {
        return true;
    }
    let about_data = toks.iter().any(|t| t == "information" || t == "data");
    about_data && has_verb_cue(taxonomy, toks)
}

/// Whether an aligned pair says when the policy was revised and differs only in the date
/// ("This privacy policy was last updated on 13 May 2022." made "... on 18 May 2023."): a
/// new date is no new practice. A sentence with a unit of time ("kept for 30 days") is never
/// only a date.
fn redated(o: &Sent<'_>, n: &Sent<'_>) -> bool {
    fn words<'s>(s: &'s Sent<'_>) -> Vec<&'s str> {
        let mut w: Vec<&str> = s
            .tokens
            .iter()
            .map(|t| t.as_str())
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        w.sort_unstable();
        w
    }
    let (a, b) = (words(o), words(n));
    let revision = |w: &[&str]| w.iter().any(|x| REVISION_WORDS.contains(x));
    let timed = |w: &[&str]| w.iter().any(|x| TIME_WORDS.contains(x));
    let changed: Vec<&str> = difference(&a, &b)
        .into_iter()
        .chain(difference(&b, &a))
        .collect();
    !changed.is_empty()
        && revision(&a)
        && revision(&b)
        && !timed(&a)
        && !timed(&b)
        && changed.iter().all(|w| date_word(w))
}

/// Whether a token is part of a date: a month or day name, a number (a day, a year, "2022"
/// of "2022-02-13") or an ordinal ("8th").
fn date_word(w: &str) -> bool {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    CALENDAR_WORDS.contains(&w)
        || w.chars().all(|c| c.is_ascii_digit())
        || (!digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && ["st", "nd", "rd", "th"].contains(&&w[digits.len()..]))
}

/// The folded content words of a policy's headings, for telling a cross-reference.
fn heading_words(policy: &Policy) -> HashSet<String> {
    policy
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .flat_map(|b| content(&taxonomy::tokens(&b.text)))
        .collect()
}

/// Whether an aligned pair differs only in how it refers to a part of the policy ("This
/// Appendix 1 applies to ..." made "This \"Additional rights for individuals in the EU\"
/// section applies to ..."): every changed word is a word of reference, a number, or a word
/// of the policy's headings on its side, and one side has a word of reference.
fn rereferenced(
    o: &Sent<'_>,
    n: &Sent<'_>,
    old_titles: &HashSet<String>,
    new_titles: &HashSet<String>,
) -> bool {
    let gone = difference(&o.content, &n.content);
    let came = difference(&n.content, &o.content);
    let references: Vec<String> = REFERENCE_WORDS.iter().map(|r| folded(r)).collect();
    let reference = |w: &String| references.contains(w);
    let number = |w: &String| w.chars().all(|c| c.is_ascii_digit());
    let within = |words: &[String], titles: &HashSet<String>| {
        words
            .iter()
            .all(|w| reference(w) || number(w) || titles.contains(w))
    };
    !(gone.is_empty() && came.is_empty())
        && gone.iter().chain(&came).any(reference)
        && within(&gone, old_titles)
        && within(&came, new_titles)
}

/// Whether a sentence is a contact line: an email address or a web address with at most a
/// few words around it ("Email: privacy@example.org", "Privacy Team privacy@example.org").
/// It says where to write, not what is done with anyone's data.
fn contact_line(text: &str) -> bool {
    let mut address = false;
    let mut words = 0;
    for w in text.split_whitespace() {
        if w.contains('@') || w.starts_with("http://") || w.starts_with("https://") {
            address = true;
        } else if w.chars().any(char::is_alphabetic) {
            words += 1;
        }
    }
    address && words <= 3
}

/// Whether a sentence the extractor reads nothing from may still hold a promise: a
/// negation, an exception or limit, a "will" or "must", or a protective practice phrase.
/// Deleting a sentence without one only removes a description of what is done, which can
/// only narrow; deleting one with one may drop a protection, so it stays material.
fn promises(s: &Sent<'_>, taxonomy: &Taxonomy) -> bool {
    let toks = &s.tokens;
    [Cue::Negation, Cue::Exception, Cue::WillModality]
        .iter()
        .any(|&cue| taxonomy.cue(cue).any(toks))
        || taxonomy
            .practice_matcher
            .find(toks)
            .iter()
            .any(|h| taxonomy.cue_practices[h.target].protective)
}

/// Whether block `k` is a list item whose list is introduced by a sentence ending in a colon
/// that names a data type, or pairs "information"/"data"/"details" with a practice verb
/// ("We keep contact details for:"); for an item of a nested list, the lead-ins above it
/// too. The lead-in is the nearest block before the list, at a shallower depth, under the
/// same heading.
fn lead_in_is_personal(policy: &Policy, k: usize, taxonomy: &Taxonomy) -> bool {
    // An item of a nested list inherits what its list's own lead-in says: "* what country
    // you will be living in ..." under "* information that determines whether we may pay
    // you:" under "We collect the following information:".
    let mut k = k;
    for _ in 0..LEAD_IN_LEVELS {
        let Some(head) = list_head_at(policy, k) else {
            return false;
        };
        let text = policy.blocks[head].text.trim_end();
        if !text.ends_with(':') {
            return false;
        }
        let last = sentences(text).last().copied().unwrap_or(text);
        let toks = taxonomy::tokens(last);
        let data_word = |t: &Token| t == "information" || t == "data" || t == "detail";
        if !taxonomy.data_matcher.find(&toks).is_empty()
            || (toks.iter().any(data_word) && has_verb_cue(taxonomy, &toks))
        {
            return true;
        }
        k = head;
    }
    false
}

/// How many lead-ins up a nested list [`lead_in_is_personal`] looks.
const LEAD_IN_LEVELS: usize = 3;

/// The lead-in of list item `k`: the block before it, under the same heading and less deep
/// in lists, when it ends in a colon ("We keep contact details for:").
fn lead_in(policy: &Policy, k: usize) -> Option<&crate::policy::Block> {
    list_head(policy, k).filter(|b| b.text.trim_end().ends_with(':'))
}

/// The block a list item's list follows: the nearest one before it, under the same heading,
/// less deep in lists.
fn list_head(policy: &Policy, k: usize) -> Option<&crate::policy::Block> {
    list_head_at(policy, k).map(|h| &policy.blocks[h])
}

/// [`list_head`], by index.
fn list_head_at(policy: &Policy, k: usize) -> Option<usize> {
    let item = policy.blocks.get(k)?;
    if item.kind != BlockKind::ListItem {
        return None;
    }
    policy.blocks[..k]
        .iter()
        .rposition(|b| matches!(b.kind, BlockKind::Heading(_)) || b.depth < item.depth)
        .filter(|&h| !matches!(policy.blocks[h].kind, BlockKind::Heading(_)))
}

/// How many words an item of a list of parties has at most: a name or a link ("GitHub
/// Pages"), not a sentence.
const PARTY_ITEM_WORDS: usize = 4;

/// Whether block `k` is a short item (a name, a link) of a list that follows a paragraph
/// naming recipients ("We use the following third-party services ...", "Our processors
/// are"): each item is a party data goes to.
fn in_parties_list(policy: &Policy, k: usize, taxonomy: &Taxonomy) -> bool {
    let Some(head) = list_head(policy, k) else {
        return false;
    };
    policy.blocks[k].text.split_whitespace().count() <= PARTY_ITEM_WORDS
        && taxonomy
            .recipient_matcher
            .any(&taxonomy::tokens(&head.text))
}

/// How strongly the first header cell of a table must speak of recipients (its sharing cues,
/// [`CATEGORY_CUES`]: "Third Party Provider" 3, "Subprocessor" 3, "Vendor" 2) for each row
/// to be a party data goes to.
const PARTIES_HEADER: f32 = 2.0;

/// Whether block `k` is a row of a table of parties: its header's first cell names the
/// recipients ("Third Party Provider | Purpose | Location"), or the sentence that leads into
/// the table does ("The following is a list of our sub-processors:" over "Name | Address |
/// Purpose"), so each row, a new one above all, is a party data goes to (filed under
/// sharing), even where the row itself reads as administration (an address, a transfer
/// framework).
fn in_parties_table(policy: &Policy, k: usize, taxonomy: &Taxonomy) -> bool {
    let Some(first) = table_header(policy, k) else {
        return false;
    };
    let head = &policy.blocks[first];
    let cell = head.text.split(" | ").next().unwrap_or_default();
    let mut scores = [0f32; Category::ALL.len()];
    score_cues(&taxonomy::tokens(cell), 1.0, &mut scores);
    scores[Category::Sharing as usize] >= PARTIES_HEADER
        || table_lead_in(policy, first).is_some_and(|lead| {
            let text = lead.text.trim_end();
            let last = sentences(text).last().copied().unwrap_or(text);
            taxonomy.recipient_matcher.any(&taxonomy::tokens(last))
        })
}

/// The header row of the table that row `k` belongs to (the first of its run of rows), when
/// `k` is a later row.
fn table_header(policy: &Policy, k: usize) -> Option<usize> {
    if policy.blocks.get(k)?.kind != BlockKind::TableRow {
        return None;
    }
    let first = policy.blocks[..k]
        .iter()
        .rposition(|b| b.kind != BlockKind::TableRow)
        .map_or(0, |p| p + 1);
    (first < k).then_some(first)
}

/// The sentence that leads into the table starting at block `first`: the paragraph right
/// before it, when it ends in a colon ("The following is a list of our sub-processors:").
fn table_lead_in(policy: &Policy, first: usize) -> Option<&crate::policy::Block> {
    let before = policy.blocks.get(first.checked_sub(1)?)?;
    (before.kind == BlockKind::Paragraph && before.text.trim_end().ends_with(':')).then_some(before)
}

/// Whether `tokens` hold one of `terms`, with the matcher built once in `lock`.
fn holds(
    lock: &'static std::sync::OnceLock<taxonomy::Matcher>,
    terms: &[&str],
    tokens: &[Token],
) -> bool {
    lock.get_or_init(|| taxonomy::Matcher::new(terms.iter().map(|t| (*t, 0))))
        .any(tokens)
}

/// Whether the word at byte `at` of `text` is a label of a domain name ("cdn.jsdelivr.net"):
/// a name written so is not the name written in lower case.
fn in_domain(text: &str, at: usize) -> bool {
    let word_end = text[at..]
        .find(|c: char| !c.is_alphanumeric() && c != '-')
        .map_or(text.len(), |k| at + k);
    let dot_before = text[..at].ends_with('.');
    let dot_after = text[word_end..].starts_with('.')
        && text[word_end + 1..].starts_with(char::is_alphanumeric);
    dot_before || dot_after
}

/// Whether a sentence says that a program or page exchanges data with a server: it connects
/// to one, sends requests to it, fetches, downloads or loads something from it, integrates
/// with a service, forwards something on, or loads third-party content ("the app will
/// connect to GitHub", "your browser fetches some resources from the JSDelivr content
/// delivery network", "an IBM Cloud Function forwards the callbacks"). The party is
/// checked apart ([`Names::names_a_party`]).
fn connects_to(text: &str) -> bool {
    let lower = text.to_lowercase();
    let has = |p: &str| lower.contains(p);
    CONNECTIONS.iter().any(|p| has(p)) || (FETCHES.iter().any(|p| has(p)) && has(" from "))
}

/// Whether the words name a known processor ([`PROCESSORS`]).
fn names_processor(tokens: &[Token]) -> bool {
    static MATCHER: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    holds(&MATCHER, PROCESSORS, tokens)
}

/// Whether a sentence is about the policy's administration ([`ADMINISTRATIVE`]: contacts,
/// the controller, complaints, transfer frameworks).
fn administrative(s: &Sent<'_>) -> bool {
    static MATCHER: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    holds(&MATCHER, ADMINISTRATIVE, &s.tokens)
}

/// The categories in which saying that something is *not* done can only narrow: data not
/// collected, not used for a purpose, not shared or sold, not tracked, not sent abroad. In
/// the others a denial may take a protection away ("you cannot opt out", "we will not
/// notify you", "we do not delete").
const DENIAL_NARROWS: &[Category] = &[
    Category::Collection,
    Category::Purpose,
    Category::Sharing,
    Category::Tracking,
    Category::International,
];

/// Whether a sentence the extractor reads nothing from only says that something is not done
/// ("No personal data is collected.", "We do not use any of your data to profile you."): it
/// holds a negation (not a limit such as "no later than"), no exception or limit ("except",
/// "only", "unless") other than asking first ("without your approval": `asks_consent`), no
/// condition ("if you do not opt out, we ..."), no protective practice
/// phrase, and every category it speaks of is one where a denial narrows
/// ([`DENIAL_NARROWS`]). Added, such a sentence cannot widen what happens to anyone's data.
fn only_denies(s: &Sent<'_>, category: Category, also: &[Category], taxonomy: &Taxonomy) -> bool {
    let toks = &s.tokens;
    !taxonomy.negations(toks).is_empty()
        && taxonomy
            .cue(Cue::Exception)
            .find(toks)
            .iter()
            .all(|h| asks_consent(&toks[h.start..toks.len().min(h.end + 3)]))
        && !taxonomy.cue(Cue::Condition).any(toks)
        && !taxonomy
            .practice_matcher
            .find(toks)
            .iter()
            .any(|h| taxonomy.cue_practices[h.target].protective)
        && std::iter::once(&category).chain(also).all(|c| {
            DENIAL_NARROWS.contains(c)
                // "... without your approval" reads as choices too; it is the exception.
                || (*c == Category::Choices && *c != category && asks_consent(toks))
        })
}

/// Whether words ask people first ([`CONSENTS`]: "with your consent", "without your
/// approval", "at your option"). A denial whose only exception does so still only narrows.
fn asks_consent(tokens: &[Token]) -> bool {
    static MATCHER: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    holds(&MATCHER, CONSENTS, tokens)
}

/// Whether a sentence states the legal basis of processing and nothing a practice is made of
/// ("The lawful basis we rely on is article 6(1)(e) of the UK GDPR", "Legitimate interests
/// (Art. 6(1)(f))"): it names a basis ([`LEGAL_BASES`]), no purpose or recipient of the
/// taxonomy and no sale. The basis alone changes no practice (a new use does, and names its
/// purpose); such a sentence changed is shown for review but is not material. Places are
/// not looked at: the law a basis comes from is often named by its country ("the UK
/// GDPR").
fn legal_basis_only(s: &Sent<'_>, taxonomy: &Taxonomy) -> bool {
    static MATCHER: std::sync::OnceLock<taxonomy::Matcher> = std::sync::OnceLock::new();
    let toks = &s.tokens;
    holds(&MATCHER, LEGAL_BASES, toks)
        && taxonomy.purpose_matcher.find(toks).is_empty()
        && taxonomy.recipient_matcher.find(toks).is_empty()
        && !taxonomy.cue(Cue::Sale).any(toks)
}

/// The names of both texts ([`names`]): the policies' own, and what each text mentions, for
/// telling a party one text brings in.
struct Names {
    /// The policies' own names ([`frequent_names`] of both): an acquirer's name in place of
    /// the company's is no new party.
    own: HashSet<String>,
    /// Every token of each text.
    old: HashSet<String>,
    new: HashSet<String>,
    /// Tokens either text writes in lower case somewhere: "Website" where "website" is
    /// written elsewhere is a common word set in title case, not a name.
    lower: HashSet<String>,
    /// The data types (taxonomy ids) each text names anywhere.
    old_data: HashSet<String>,
    new_data: HashSet<String>,
}

impl Names {
    fn of(old: &Policy, new: &Policy, taxonomy: &Taxonomy) -> Names {
        let mut own = frequent_names(old);
        own.extend(frequent_names(new));
        // Most words repeat: a set is only given its own copy of a word it lacks.
        let add = |set: &mut HashSet<String>, word: &str| {
            if !set.contains(word) {
                set.insert(word.to_string());
            }
        };
        let mut lower = HashSet::new();
        let mut mentioned = |policy: &Policy| {
            let mut all = HashSet::new();
            let mut data = HashSet::new();
            for b in &policy.blocks {
                let (toks, offsets) = taxonomy::tokens_with_offsets(&b.text);
                for (t, &at) in toks.iter().zip(&offsets) {
                    if b.text[at..].starts_with(char::is_lowercase) && !in_domain(&b.text, at) {
                        add(&mut lower, t.as_str());
                    }
                    add(&mut all, t.as_str());
                }
                for h in taxonomy.data_matcher.find(&toks) {
                    add(&mut data, &taxonomy.data_type_at(h.target).id);
                }
            }
            (all, data)
        };
        let ((old, old_data), (new, new_data)) = (mentioned(old), mentioned(new));
        Names {
            own,
            old,
            new,
            lower,
            old_data,
            new_data,
        }
    }

    /// Whether a name token may be a party: not a policy's own name, and not a word either
    /// text writes in lower case.
    fn party(&self, w: &str) -> bool {
        !self.own.contains(w) && !self.lower.contains(w)
    }

    /// Whether `text` names a party ([`names`], see [`Names::party`]), or third parties.
    fn names_a_party(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        lower.contains("third party")
            || lower.contains("third-party")
            || names(text).iter().any(|w| self.party(w))
    }

    /// Whether `s` (on `side`) names a data type the other text never names: the policy now
    /// covers data it did not, or no longer covers some ("We also display the gender of
    /// speakers to the organizer", where gender was never mentioned before).
    fn new_data(&self, s: &Sent<'_>, side: Side, taxonomy: &Taxonomy) -> bool {
        let other = match side {
            Side::Old => &self.new_data,
            Side::New => &self.old_data,
        };
        taxonomy
            .data_matcher
            .find(&s.tokens)
            .iter()
            .any(|h| !other.contains(&taxonomy.data_type_at(h.target).id))
    }

    /// Whether `s` (of `policy`, on `side`) names a party the other text never mentions:
    /// one of its [`names`], or the capitalised first word of a list item or a table row
    /// ("Heroku: hosting", where names open the text), that is not a policy's own name and
    /// that neither text writes in lower case.
    fn brings_in(&self, s: &Sent<'_>, policy: &Policy, side: Side) -> bool {
        let other = match side {
            Side::Old => &self.new,
            Side::New => &self.old,
        };
        let item = matches!(
            policy.blocks[s.block].kind,
            BlockKind::ListItem | BlockKind::TableRow
        );
        let opening = s
            .text
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .filter(|w| item && w.starts_with(char::is_uppercase))
            .and_then(|w| taxonomy::tokens(w).first().map(|t| t.as_str().to_string()));
        names(s.text)
            .into_iter()
            .chain(opening)
            .any(|w| self.party(&w) && !other.contains(&w))
    }
}

/// Builds the review change of a changed sentence or pair.
fn review_change(
    o: Option<&Sent<'_>>,
    n: Option<&Sent<'_>>,
    old: &Policy,
    new: &Policy,
    taxonomy: &Taxonomy,
    names: &Names,
) -> PracticeChange {
    let kind = match (o, n) {
        (Some(_), Some(_)) => ChangeKind::Modified,
        (Some(_), None) => ChangeKind::Removed,
        _ => ChangeKind::Added,
    };
    let (category, mut also) = guess_category(o, n, old, new, taxonomy);
    // A name the other text never mentions ("our banks (Barclays and Transferwise)",
    // "Heroku", "Mailbox.org") is a party the sentence brings in or drops: data may reach it.
    if category != Category::Sharing
        && !also.contains(&Category::Sharing)
        && (n.is_some_and(|n| names.brings_in(n, new, Side::New))
            || o.is_some_and(|o| names.brings_in(o, old, Side::Old)))
    {
        also.push(Category::Sharing);
        also.sort_unstable();
    }

    let exposure = |s: &Sent<'_>| -> Vec<u8> {
        s.statements
            .iter()
            .map(|st| compare::exposure(st.protective, st.polarity))
            .collect()
    };
    // Conservatively material, unless the edit can only narrow, or only restates the legal
    // basis (on every side it has).
    let basis_only = o.is_none_or(|s| legal_basis_only(s, taxonomy))
        && n.is_none_or(|s| legal_basis_only(s, taxonomy));
    let material = !basis_only
        && !narrows::not_material(o, n, category, &also, taxonomy)
        && match (o, n) {
            (Some(o), None) => {
                let e = exposure(o);
                if e.is_empty() {
                    promises(o, taxonomy)
                } else {
                    e.contains(&0)
                }
            }
            (None, Some(n)) => {
                let e = exposure(n);
                if e.is_empty() {
                    !only_denies(n, category, &also, taxonomy)
                } else {
                    e.iter().any(|&x| x > 0)
                }
            }
            _ => true,
        };
    // Data the other text never names is data the policy now covers, or no longer does:
    // what is collected changed, whatever else the sentence speaks of. (Named after the
    // direction is read: it says where to look, not whether the edit can only narrow.)
    if category != Category::Collection
        && !also.contains(&Category::Collection)
        && (n.is_some_and(|n| names.new_data(n, Side::New, taxonomy))
            || o.is_some_and(|o| names.new_data(o, Side::Old, taxonomy)))
    {
        also.push(Category::Collection);
        also.sort_unstable();
    }
    let mut data_types: BTreeSet<String> = BTreeSet::new();
    for s in o.iter().chain(n.iter()) {
        for h in taxonomy.data_matcher.find(&s.tokens) {
            data_types.insert(taxonomy.data_type_at(h.target).id.clone());
        }
        for st in &s.statements {
            data_types.extend(st.data_types.iter().cloned());
        }
    }
    let quote = |s: &Sent<'_>| {
        let mut q: String = s.text.chars().take(QUOTE_CHARS).collect();
        if s.text.chars().count() > QUOTE_CHARS {
            q.push('…');
        }
        q
    };
    let also_note = if also.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = also.iter().map(|c| c.as_str()).collect();
        format!(" (also {})", names.join(", "))
    };
    let summary = match (o, n) {
        (Some(_), Some(n)) => format!(
            "reworded, to review{also_note}: \u{201c}{}\u{201d}",
            quote(n)
        ),
        (Some(o), None) => format!(
            "sentence removed, to review{also_note}: \u{201c}{}\u{201d}",
            quote(o)
        ),
        (None, Some(n)) => format!(
            "sentence added, to review{also_note}: \u{201c}{}\u{201d}",
            quote(n)
        ),
        (None, None) => String::new(),
    };
    let mut h = Sha256::new();
    h.update(format!("review|{}|{}|", category.as_str(), kind.as_str()));
    h.update(o.map(Sent::key).unwrap_or_default());
    h.update(b"|");
    h.update(n.map(Sent::key).unwrap_or_default());
    PracticeChange {
        id: crate::policy::hex(&h.finalize()[..8]),
        category,
        kind,
        material,
        review: true,
        also,
        summary,
        data_types: data_types.into_iter().collect(),
        old: o.map(Sent::evidence).into_iter().collect(),
        new: n.map(Sent::evidence).into_iter().collect(),
        practice: "review".to_string(),
    }
}

/// A sentence whose cues ([`CATEGORY_CUES`]) for sharing, tracking, retention, choices or
/// international transfers score this much speaks of personal data ("Our payment partners
/// are ...", "We use Scarf download analytics ..."), data word or not.
const PERSONAL_CUES: f32 = 3.0;
/// Weight of each statement the extractor read from a changed sentence, for its category.
const STATEMENT_WEIGHT: f32 = 2.0;
/// Weight of a cue in the sentence's section heading, against 1 in the sentence.
const HEADING_WEIGHT: f32 = 0.5;
/// A category scoring at least this share of the best, and at least [`ALSO_MIN`], is one the
/// sentence also speaks of.
const ALSO_RATIO: f32 = 0.4;
/// See [`ALSO_RATIO`].
const ALSO_MIN: f32 = 1.0;

/// Weight of a stated period ("60 days", "for 10 years", "indefinitely") towards retention:
/// "Duration of storage: 30 days for Netlify; 60 days for Amazon Web Services" is about how
/// long, whatever else it names.
const PERIOD_WEIGHT: f32 = 2.5;
/// Weight of a named country or region (the taxonomy's `places`) towards international
/// transfers: "stored on servers in Germany".
const PLACE_WEIGHT: f32 = 2.0;

/// Whether a sentence states a period of time: a number and a unit ("60 days", "a year",
/// "ten years"), not an age ("13 years of age", "16 years old") or a time ago, or says
/// "indefinitely", "forever" or "unlimited".
fn states_period(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(k, w)| match w.as_str() {
        "indefinitely" | "indefinite" | "forever" | "unlimited" => true,
        "day" | "week" | "month" | "year" => {
            let after = |j: usize| tokens.get(k + j).map(Token::as_str);
            k.checked_sub(1)
                .is_some_and(|j| crate::practices::number(&tokens[j]).is_some())
                && !matches!(after(1), Some("old" | "ago" | "of"))
        }
        _ => false,
    })
}

/// [`CATEGORY_CUES`] in the taxonomy's term matcher (longest cue first, no overlaps: "opt
/// out" counts once, not also as "opt"), with each cue's category and weight by target.
fn cues() -> &'static (taxonomy::Matcher, Vec<(Category, f32)>) {
    static CUES: std::sync::OnceLock<(taxonomy::Matcher, Vec<(Category, f32)>)> =
        std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let flat: Vec<(&str, Category, f32)> = CATEGORY_CUES
            .iter()
            .flat_map(|(c, cues)| cues.iter().map(move |(cue, w)| (*cue, *c, *w)))
            .chain(
                PROCESSORS
                    .iter()
                    .map(|name| (*name, Category::Sharing, PROCESSOR_WEIGHT)),
            )
            .collect();
        let matcher = taxonomy::Matcher::new(flat.iter().enumerate().map(|(i, f)| (f.0, i)));
        (matcher, flat.iter().map(|f| (f.1, f.2)).collect())
    })
}

/// Adds `scale` times the weight of every cue found in `tokens` to `scores`, each cue once:
/// a word a sentence repeats ("a student's parent ... the Parent ... if the Parent") names
/// what it is about once, and must not outweigh the one verb that says what is done.
fn score_cues(tokens: &[Token], scale: f32, scores: &mut [f32; Category::ALL.len()]) {
    let (matcher, weights) = cues();
    let mut seen: Vec<usize> = Vec::new();
    for hit in matcher.find(tokens) {
        if seen.contains(&hit.target) {
            continue;
        }
        seen.push(hit.target);
        let (category, weight) = weights[hit.target];
        scores[category as usize] += scale * weight;
    }
}

/// The category of a changed sentence: the best score of its words ([`CATEGORY_CUES`]), the
/// statements the extractor read from it ([`STATEMENT_WEIGHT`] each) and its section heading
/// ([`HEADING_WEIGHT`]), both sides together. A tie goes to the category listed first in
/// [`Category::ALL`]; a sentence with no cue at all is collection.
///
/// One best guess, not the first statement's category: an extractor statement ("we use ...")
/// is often the least telling part of a sentence whose news is a new vendor, an analytics
/// tool or an opt-out.
fn guess_category(
    o: Option<&Sent<'_>>,
    n: Option<&Sent<'_>>,
    old: &Policy,
    new: &Policy,
    taxonomy: &Taxonomy,
) -> (Category, Vec<Category>) {
    let mut scores = [0f32; Category::ALL.len()];
    let mut party = false;
    for (s, policy) in [(n, new), (o, old)] {
        let Some(s) = s else { continue };
        let in_table = in_parties_table(policy, s.block, taxonomy);
        party |= in_table;
        for st in &s.statements {
            scores[st.category as usize] += STATEMENT_WEIGHT;
        }
        score_cues(&s.tokens, 1.0, &mut scores);
        if states_period(&s.tokens) {
            scores[Category::Retention as usize] += PERIOD_WEIGHT;
        }
        if !taxonomy.places_in(&s.tokens).is_empty() {
            scores[Category::International as usize] += PLACE_WEIGHT;
        }
        let heading: Vec<Token> = policy.blocks[s.block]
            .section
            .iter()
            .flat_map(|h| taxonomy::tokens(h))
            .collect();
        score_cues(&heading, HEADING_WEIGHT, &mut scores);
        if in_table || (s.statements.is_empty() && in_parties_list(policy, s.block, taxonomy)) {
            scores[Category::Sharing as usize] += PROCESSOR_WEIGHT;
        }
        // A table row speaks under its header ("What we collect | When | What it's used
        // for"): a new row of a table of data is data collected.
        if let Some(first) = table_header(policy, s.block) {
            score_cues(
                &taxonomy::tokens(&policy.blocks[first].text),
                1.0,
                &mut scores,
            );
        }
    }
    let mut best = (Category::Collection, 0f32);
    for c in Category::ALL {
        if scores[c as usize] > best.1 {
            best = (c, scores[c as usize]);
        }
    }
    // A row of a table of parties is a party data goes to, whatever else the row says (its
    // transfer framework, its purpose): those are named as also.
    if party {
        best.0 = Category::Sharing;
    }
    let mut also: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|&c| c != best.0 && scores[c as usize] >= ALSO_MIN.max(ALSO_RATIO * best.1))
        .collect();
    // A program that talks to a server ("the app will connect to GitHub") hands it the
    // device's address: sharing, beside whatever else the sentence speaks of. (Whether the
    // server is a named party's decides only whether such a sentence is reviewed at all.)
    let connects = [o, n]
        .into_iter()
        .flatten()
        .any(|s| s.statements.is_empty() && connects_to(s.text));
    if connects && best.0 != Category::Sharing {
        if best.1 == 0.0 {
            best.0 = Category::Sharing;
        } else if !also.contains(&Category::Sharing) {
            also.push(Category::Sharing);
        }
    }
    (best.0, also)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bag(text: &str) -> Vec<String> {
        content(&taxonomy::tokens(text))
    }

    #[test]
    fn reordering_and_synonyms_keep_the_content() {
        assert_eq!(
            bag("We disclose your data to service providers."),
            bag("To service providers, we share your information.")
        );
    }

    #[test]
    fn names_are_capitalised_words_but_not_dates_or_addresses() {
        assert_eq!(
            names("Since March 2020 your data are stored by Mailchimp at 15 Falls Rd, Shelburne."),
            ["mailchimp"]
        );
        assert_eq!(
            names("We use Google Analytics on Mondays."),
            ["google", "analytic"]
        );
    }

    #[test]
    fn a_period_is_a_number_and_a_unit_but_not_an_age() {
        let period = |text: &str| states_period(&taxonomy::tokens(text));
        assert!(period("Logs are kept for 14 days."));
        assert!(period("We keep it for ten years."));
        assert!(period("Records are kept indefinitely."));
        assert!(!period("You must be 16 years old."));
        assert!(!period("Children under 13 years of age may not register."));
        assert!(!period("We changed this two years ago."));
        assert!(!period("We keep your data while your account is open."));
    }

    #[test]
    fn a_new_word_changes_the_content() {
        assert_ne!(
            bag("We share your email address with partners."),
            bag("We share your email address with partners when you follow them.")
        );
    }
}
