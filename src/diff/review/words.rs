//! The word lists of the review of changed sentences (see the parent module's doc).
use crate::compare::Category;

/// Word overlap at which two sentences of an edited block are one sentence, edited.
pub(super) const SENTENCE_PAIR: f64 = 0.5;
/// Word overlap at which a deleted and an inserted sentence anywhere are one, moved.
pub(super) const SENTENCE_MOVE: f64 = 0.7;
/// Above this many candidate pairs, sentences are not paired across the document.
pub(super) const MAX_MOVE_PAIRS: usize = 250_000;
/// Words this long or longer that differ in at most `TYPO_DISTANCE` edits are one word.
pub(super) const TYPO_MIN_LEN: usize = 5;
/// See `TYPO_MIN_LEN`.
pub(super) const TYPO_DISTANCE: usize = 1;
/// Evidence quoted per side of a review change, at most.
pub(super) const MAX_EVIDENCE: usize = 3;
/// Openings of a sentence that points to another text.
#[rustfmt::skip]
pub(super) const POINTERS: &[&str] = &[
    "for more information", "for more details", "for details", "for further information",
    "to learn more", "learn more", "please see", "please visit", "please review", "please refer",
    "see ", "read more", "you can read more", "you can learn more",
];

/// Phrases that send the reader elsewhere wherever they stand ("If you live in China, visit
/// our ... page", "To obtain a copy, please contact our Data Protection Officer"): a sentence
/// with one that states no practice points at another text.
#[rustfmt::skip]
pub(super) const INLINE_POINTERS: &[&str] = &[
    "click here", "please contact", "please visit", "please see", "please refer", "visit our",
    "visit the", "refer to our", "see our", "can be found at", "can be found in",
    "is available at", "are available at", "is available on", "are available on",
];

/// Words that carry no meaning for a practice.
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "with", "by", "as", "at",
    "from", "that", "this", "these", "those", "thi", "these", "is", "are", "be", "been", "being",
    "wa", "were", "it", "its", "we", "u", "our", "ours", "you", "your", "which", "such", "also",
    "about", "into", "through", "their", "they", "them", "there", "here", "so", "some",
    "certain", "other", "any", "each", "more", "both", "either", "who", "whom", "whose", "how",
    "what", "do", "doe", "did", "have", "ha", "had", "can", "may", "might", "will", "would",
    "should", "shall", "must", "could", "please", "e", "g", "i", "etc", "via", "per", "within",
    "between", "over", "under", "up", "out", "than", "including", "include", "includes",
    "example", "instance", "like", "well", "generally", "typically", "usually", "specifically",
    "particular", "particularly", "applicable", "relevant", "appropriate", "reasonable",
    "reasonably", "necessary", "certain",
];

/// Synonyms folded onto one word before sentences are compared.
#[rustfmt::skip]
pub(super) const SYNONYMS: &[(&str, &str)] = &[
    ("data", "information"), ("info", "information"), ("detail", "information"),
    ("disclose", "share"), ("disclosed", "share"), ("shared", "share"), ("sharing", "share"),
    ("utilize", "use"), ("utilise", "use"), ("used", "use"), ("using", "use"),
    ("gather", "collect"), ("obtain", "collect"), ("collected", "collect"),
    ("collecting", "collect"), ("retain", "keep"), ("store", "keep"), ("stored", "keep"),
    ("kept", "keep"), ("retained", "keep"), ("platform", "service"), ("site", "service"),
    ("website", "service"), ("app", "service"), ("application", "service"),
    ("product", "service"), ("user", "person"), ("member", "person"), ("customer", "person"),
    ("individual", "person"), ("people", "person"), ("company", "person_org"),
    ("organization", "person_org"), ("organisation", "person_org"), ("help", "assist"),
    ("enable", "allow"), ("permit", "allow"), ("let", "allow"), ("ensure", "make_sure"),
    ("make", "make_sure"), ("sure", "make_sure"), ("learn", "see"), ("read", "see"),
    ("visit", "see"), ("section", "see"), ("policy", "notice"), ("statement", "notice"),
    // One negation, however it is said ("no right", "not any right", "never").
    ("no", "not"), ("never", "not"), ("however", "but"), ("although", "but"),
];

/// Time units: a changed one changes a period.
#[rustfmt::skip]
pub(super) const TIME_WORDS: &[&str] = &[
    "day", "week", "month", "year", "hour", "minute", "indefinitely", "permanently",
];

/// Words that place a sentence in a category when it states no practice the extractor
/// knows, checked in this order (stemmed as the taxonomy stems).
#[rustfmt::skip]
pub(super) const CATEGORY_WORDS: &[(Category, &[&str])] = &[
    (Category::Audience, &["child", "children", "minor", "teen", "teenager", "kid"]),
    (Category::Transfer, &["merger", "acquisition", "acquirer", "bankruptcy"]),
    (Category::Sharing, &["sell", "sale", "share", "sharing", "disclose", "recipient", "partner", "show"]),
    (Category::Retention, &["retain", "retention", "keep", "delete", "deletion", "store"]),
    (Category::Tracking, &["cookie", "tracking", "track", "pixel", "beacon", "analytic"]),
    (Category::Security, &["security", "secure", "encrypt", "encryption", "safeguard", "breach", "protect"]),
    (Category::International, &["countrie", "country", "abroad", "international", "cross"]),
    (Category::ChangeNotice, &["change", "update", "notify", "revise", "amend"]),
    (Category::Choices, &["right", "opt", "choice", "choose", "request", "control", "setting", "consent", "object", "withdraw"]),
    (Category::Purpose, &["use", "purpose", "process", "processing", "train", "training", "personalize", "advertising"]),
    (Category::Collection, &["collect", "receive", "obtain", "gather", "record", "log"]),
];
