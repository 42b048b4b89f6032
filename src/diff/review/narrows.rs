//! Review changes that can only narrow or only protect, and so are not material.
//!
//! A review change is conservatively material (the parent module's doc, step 4). Some
//! shapes of edit the extractor cannot read show their direction in their words alone:
//!
//! - **An aligned pair that only drops words** from a sentence filed under collection, use,
//!   sharing, tracking or places ("(Google, Twitter, Facebook)" made "(Google, Twitter)"):
//!   fewer data types, recipients, purposes or places. It narrows, unless what it drops is
//!   a promise: the old sentence denies something (dropping items from "we never share X, Y"
//!   widens), a negation, exception, condition or "will" is gone, a protective phrase is
//!   gone, or a dropped word limits ("anonymous", "only", "consent": `LIMITS`), gives a
//!   way out ("delete", "opt", "unless": `WAYS_OUT`) or is a number or a unit of time (a
//!   period made open-ended).
//! - **An aligned pair that only adds words** to a sentence about choices or notice of
//!   changes ("You can delete your account" made "You can delete your account from the
//!   settings page"), adding no negation, exception or condition; to a sentence about
//!   collection, use, sharing, tracking or places, when the added words only limit ("we
//!   share data" made "we share anonymous data"), or when the sentence denies and the new
//!   side denies the same of more ("We do not sell personal information" made "... personal
//!   information or contacts": no exception on the old side, no more recipients, no "but",
//!   no number: `denies_more`). Safeguards only when the added words name one and no one
//!   data goes to ("we strictly limit access" made "we use SSL/TLS for all data transfer
//!   and strictly limit access"): "only staff can access it" made "only staff and
//!   contractors can access it" lets more people in.
//! - **An added sentence** the extractor reads nothing from, about choices, safeguards or
//!   notice of changes only, with no negation ("You cannot opt out" takes a choice away;
//!   "we do not encrypt" drops a safeguard), and naming no data type and no practice verb
//!   unless it is a safeguard that names one ("All information is sent through secure
//!   connections"): "You can track all changes by subscribing to the repository".
//! - **An added sentence that gives a choice or promises deletion** (`gives`: "Users may
//!   request permanent deletion of their account at any time", "We will take steps to
//!   delete that information"), filed under choices or retention, that keeps nothing ("we
//!   may retain ...", "stored"), shares, sells or transfers nothing, denies nothing and
//!   connects to no one.
//!
//! Everything else keeps the parent module's rule. A deleted sentence is not judged here: the
//! parent already lets one go that only described what is done.
use crate::compare::Category;
use crate::practices::has_verb_cue;
use crate::taxonomy::{Cue, Taxonomy};

use super::{difference, holds, Sent, CONTRASTS, DENIAL_NARROWS, TIME_WORDS};

/// Categories whose added statements give people something (a choice, a safeguard, notice).
const PROTECTIONS: &[Category] = &[
    Category::Choices,
    Category::Security,
    Category::ChangeNotice,
];

/// Categories where more words only give more: ways to use a choice, notice of changes. Not
/// safeguards: "only staff can access it" made "only staff and contractors can access it"
/// lets more people in.
const GIVES: &[Category] = &[Category::Choices, Category::ChangeNotice];

/// Openings of folded words that limit what a sentence allows: dropping one widens it,
/// adding one narrows it.
#[rustfmt::skip]
const LIMITS: &[&str] = &[
    "anonym", "aggreg", "pseudonym", "deidentif", "de-identif", "hash", "encrypt", "only",
    "sole", "limit", "necessar", "strict", "minim", "consent", "permiss", "approv", "secur",
    "protect", "confidenti",
];

/// Openings of folded words of choices, rights and exceptions: dropping one may take a way
/// out away ("access, correct or delete" made "access or correct"), but adding one is no
/// limit ("we share data" made "we share access data" names more data).
#[rustfmt::skip]
const WAYS_OUT: &[&str] = &[
    "opt", "request", "except", "unless", "without", "never", "delet", "eras", "access",
    "correct", "rectif", "object", "withdraw", "unsubscrib", "restrict", "choos", "choic",
];

/// Whether a review change of `o` (old) and `n` (new), filed under `category` and `also`,
/// can only narrow or only protect (see the module doc).
pub(super) fn not_material(
    o: Option<&Sent<'_>>,
    n: Option<&Sent<'_>>,
    category: Category,
    also: &[Category],
    taxonomy: &Taxonomy,
) -> bool {
    let all_in = |set: &[Category]| {
        std::iter::once(&category)
            .chain(also)
            .all(|c| set.contains(c))
    };
    match (o, n) {
        (Some(o), Some(n)) => {
            let came = difference(&n.content, &o.content);
            let gone = difference(&o.content, &n.content);
            let (before, after) = (Promises::of(o, taxonomy), Promises::of(n, taxonomy));
            if came.is_empty() && !gone.is_empty() {
                DENIAL_NARROWS.contains(&category)
                    && before.negations == 0
                    && after.keeps(&before)
                    && !gone.iter().any(|w| {
                        limits(w) || WAYS_OUT.iter().any(|x| w.starts_with(x)) || measures(w)
                    })
            } else if gone.is_empty() && !came.is_empty() {
                // Nothing added that could take back what the sentence gave.
                let no_new_hedges = after.negations <= before.negations
                    && after.exceptions <= before.exceptions
                    && after.conditions <= before.conditions;
                no_new_hedges
                    && (all_in(GIVES)
                        || (all_in(&[Category::Security]) && names_safeguard(&came))
                        || (all_in(DENIAL_NARROWS)
                            && (came.iter().all(|w| limits(w))
                                || denies_more(o, n, (&before, &after), &came, taxonomy))))
            } else {
                false
            }
        }
        (None, Some(n)) => {
            (all_in(PROTECTIONS)
                && n.statements.is_empty()
                && taxonomy.negations(&n.tokens).is_empty()
                && ((taxonomy.data_matcher.find(&n.tokens).is_empty()
                    && !has_verb_cue(taxonomy, &n.tokens))
                    || (category == Category::Security && names_safeguard(&n.content))))
                || gives(n, category, also, taxonomy)
        }
        _ => false,
    }
}

/// Whether a folded word limits what a sentence allows ([`LIMITS`]).
fn limits(word: &str) -> bool {
    LIMITS.iter().any(|l| word.starts_with(l))
}

/// Whether a folded word is a number or a unit of time.
fn measures(word: &str) -> bool {
    crate::practices::number(word).is_some()
        || word.chars().any(|c| c.is_ascii_digit())
        || TIME_WORDS.iter().any(|t| word.starts_with(t))
}

/// The promise cues of a sentence: negations, exceptions, conditions, "will", protective
/// practice phrases.
struct Promises {
    negations: usize,
    exceptions: usize,
    conditions: usize,
    wills: usize,
    protective: usize,
}

impl Promises {
    fn of(s: &Sent<'_>, taxonomy: &Taxonomy) -> Promises {
        let toks = &s.tokens;
        Promises {
            negations: taxonomy.negations(toks).len(),
            exceptions: taxonomy.cue(Cue::Exception).find(toks).len(),
            conditions: taxonomy.cue(Cue::Condition).find(toks).len(),
            wills: taxonomy.cue(Cue::WillModality).find(toks).len(),
            protective: taxonomy
                .practice_matcher
                .find(toks)
                .iter()
                .filter(|h| taxonomy.cue_practices[h.target].protective)
                .count(),
        }
    }

    /// Whether these (the new side's) keep every promise of `old`.
    fn keeps(&self, old: &Promises) -> bool {
        self.negations >= old.negations
            && self.exceptions >= old.exceptions
            && self.conditions >= old.conditions
            && self.wills >= old.wills
            && self.protective >= old.protective
    }
}

/// Openings of folded words that name a safeguard.
#[rustfmt::skip]
const SAFEGUARDS: &[&str] = &[
    "secur", "encrypt", "protect", "safeguard", "ssl", "tls", "https",
];

/// Whether folded words name a safeguard ([`SAFEGUARDS`]): an added sentence about
/// safeguards, or the words added to one ("we use SSL/TLS for all data transfer and strictly
/// limit access ..."; words that let more people in, "... to our staff and contractors",
/// also file the change under sharing, so they never get here).
fn names_safeguard(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| SAFEGUARDS.iter().any(|g| w.starts_with(g)))
}

/// Openings of folded words that erase data.
const DELETES: &[&str] = &["delet", "eras", "destroy", "purg"];
/// Openings of folded words that keep data.
#[rustfmt::skip]
const KEEPS: &[&str] = &[
    "retain", "retent", "keep", "kept", "stor", "archiv", "preserv", "backup", "hold",
];
/// Phrases that give people a way to act on their data.
#[rustfmt::skip]
const CHOOSES: &[&str] = &[
    "you can", "you may", "right to", "entitled to", "opt out", "opt-out", "unsubscribe",
    "withdraw", "choose", "disable", "turn off", "object to",
];

/// Whether an added sentence only gives people a choice or a right, or promises deletion
/// ("Users may request permanent deletion of their account at any time", "We will take
/// steps to delete that information"): filed under choices or retention (with no category
/// beyond choices, retention, safeguards, notice, and sharing only for a name it brings in),
/// it denies nothing, keeps nothing ("we may retain ...", "stored"), shares, sells or
/// transfers nothing, and names a deletion or a way to act.
fn gives(n: &Sent<'_>, category: Category, also: &[Category], taxonomy: &Taxonomy) -> bool {
    let toks = &n.tokens;
    let moves = [Cue::Sharing, Cue::Sale, Cue::Transfer]
        .iter()
        .any(|&c| taxonomy.cue(c).any(toks));
    static CHOICE: std::sync::OnceLock<crate::taxonomy::Matcher> = std::sync::OnceLock::new();
    matches!(category, Category::Choices | Category::Retention)
        && !super::connects_to(n.text)
        && also.iter().all(|c| {
            PROTECTIONS.contains(c) || *c == Category::Retention || *c == Category::Sharing
        })
        && !moves
        && taxonomy.negations(toks).is_empty()
        && !n
            .content
            .iter()
            .any(|w| KEEPS.iter().any(|k| w.starts_with(k)))
        && (n
            .content
            .iter()
            .any(|w| DELETES.iter().any(|d| w.starts_with(d)))
            || holds(&CHOICE, CHOOSES, toks))
}

/// Whether the new side of a pair denies the same thing of more (`came`: its added words):
/// both sides deny as often ("We do not sell personal information" made "... personal
/// information, search history or contacts"), the old side has no exception, and the new
/// side names no more recipients, adds no contrast ("but we share ...") and no number or
/// period.
fn denies_more(
    o: &Sent<'_>,
    n: &Sent<'_>,
    (before, after): (&Promises, &Promises),
    came: &[String],
    taxonomy: &Taxonomy,
) -> bool {
    let contrast = |s: &Sent<'_>| {
        s.tokens
            .iter()
            .filter(|t| CONTRASTS.contains(&t.as_str()))
            .count()
    };
    before.negations > 0
        && after.negations == before.negations
        // Words added to a denial's exception widen it ("except our providers" made "except
        // our providers or as required by law").
        && before.exceptions == 0
        && after.keeps(before)
        && taxonomy.recipient_matcher.find(&n.tokens).len()
            <= taxonomy.recipient_matcher.find(&o.tokens).len()
        && contrast(n) <= contrast(o)
        && !came.iter().any(|w| measures(w))
}
