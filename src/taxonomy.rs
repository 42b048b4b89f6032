//! The practice taxonomy: data types, recipients, purposes, places and cue words, loaded from
//! YAML (`policies/taxonomy.yaml` is embedded) and compiled into phrase matchers.
//!
//! Matching works on tokens: text is lower-cased, `n't` becomes `not`, words are split at
//! anything that is not a letter or digit (so `third-party` and `third party` are one term),
//! and a light stemmer drops a final `s` (not `ss`, `us`, `is`). Where terms of one table
//! overlap, the longest wins. Template tags (`{{ ... }}`) and email and web addresses
//! (`privacy@example.uk`, `https://...`, `www....`) are blanked out first: they are not
//! policy words ("uk" in an address is no transfer to the United Kingdom, and a new contact
//! address is no new practice).
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Category;

/// The taxonomy shipped in the binary.
pub const EMBEDDED: &str = include_str!("../policies/taxonomy.yaml");

/// A personal data type, such as `contact.email`.
#[derive(Debug, Clone)]
pub struct DataType {
    /// Dotted id.
    pub id: String,
    /// The first term, for people (`email address`).
    pub label: String,
    /// A special category (health, biometrics, government ids).
    pub sensitive: bool,
}

/// A practice recognised by cue phrases alone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CuePractice {
    pub key: String,
    pub category: Category,
    pub protective: bool,
    pub summary: String,
    pub terms: Vec<String>,
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub negative: bool,
    #[serde(default)]
    pub places: bool,
    #[serde(default)]
    pub denial_of: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataType {
    terms: Vec<String>,
    #[serde(default)]
    sensitive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    version: u32,
    data_types: BTreeMap<String, RawDataType>,
    recipients: BTreeMap<String, Vec<String>>,
    purposes: BTreeMap<String, Vec<String>>,
    places: BTreeMap<String, Vec<String>>,
    cues: BTreeMap<String, Vec<String>>,
    cue_practices: Vec<CuePractice>,
}

/// The cue word lists the extractor needs, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Cue {
    Collection,
    Use,
    Sharing,
    Sale,
    Transfer,
    Retention,
    Negation,
    Exception,
    Condition,
    MayModality,
    WillModality,
    ClauseBreak,
    Meta,
}

const CUES: [(Cue, &str); 13] = [
    (Cue::Collection, "collection"),
    (Cue::Use, "use"),
    (Cue::Sharing, "sharing"),
    (Cue::Sale, "sale"),
    (Cue::Transfer, "transfer"),
    (Cue::Retention, "retention"),
    (Cue::Negation, "negation"),
    (Cue::Exception, "exception"),
    (Cue::Condition, "condition"),
    (Cue::MayModality, "modality_may"),
    (Cue::WillModality, "modality_will"),
    (Cue::ClauseBreak, "clause_break"),
    (Cue::Meta, "meta"),
];

/// A compiled taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    data_types: Vec<DataType>,
    pub(crate) recipients: Vec<String>,
    pub(crate) purposes: Vec<String>,
    pub(crate) places: Vec<String>,
    pub(crate) cue_practices: Vec<CuePractice>,
    pub(crate) data_matcher: Matcher,
    pub(crate) recipient_matcher: Matcher,
    pub(crate) purpose_matcher: Matcher,
    pub(crate) place_matcher: Matcher,
    pub(crate) practice_matcher: Matcher,
    /// Context terms of each cue practice, as token sequences.
    pub(crate) practice_context: Vec<Vec<Vec<Token>>>,
    /// Phrases that name the person the policy is about ("the customer"), read as "you".
    people: Vec<Vec<Token>>,
    /// Phrases whose words are not data types ("legitimate interests").
    pub(crate) not_data: Matcher,
    /// Phrases whose "no" or "not" is a limit, not a negation ("no fewer than").
    pub(crate) not_negation: Matcher,
    cue_matchers: Vec<(Cue, Matcher)>,
}

impl Taxonomy {
    /// Countries and regions named in `toks` (the `places` table), by id, leaving out a
    /// place that is the last label of a domain name ("GOV.UK Notify", "ico.org.uk"): the
    /// tokeniser splits those at the dot, and a British government service is not a transfer
    /// to the United Kingdom.
    pub(crate) fn places_in(&self, toks: &[Token]) -> Vec<&str> {
        let domain_label = |start: usize| {
            start
                .checked_sub(1)
                .and_then(|k| toks.get(k))
                .is_some_and(|w| matches!(w.as_str(), "gov" | "co" | "org" | "ac" | "nhs" | "com"))
        };
        self.place_matcher
            .find(toks)
            .into_iter()
            .filter(|h| !domain_label(h.start))
            .map(|h| self.places[h.target].as_str())
            .collect()
    }

    /// The taxonomy embedded in the binary.
    pub fn embedded() -> Taxonomy {
        Taxonomy::from_yaml("policies/taxonomy.yaml (embedded)", EMBEDDED)
            .expect("the embedded taxonomy is valid; a test checks it")
    }

    /// Reads a taxonomy file that replaces the embedded one.
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = crate::input::read(path, crate::input::Kind::Taxonomy)?;
        Taxonomy::from_yaml(&path.display().to_string(), &text)
    }

    /// Parses and compiles taxonomy YAML; `name` is used in messages.
    pub fn from_yaml(name: &str, text: &str) -> Result<Taxonomy> {
        // Data types, recipients and purposes are maps keyed by id: a repeated id would
        // silently replace the first.
        crate::input::no_duplicate_keys(name, text)?;
        let raw: Raw = serde_yaml_ng::from_str(text).map_err(|e| {
            let location = match e.location() {
                Some(l) => format!("{name}:{}:{}", l.line(), l.column()),
                None => name.to_string(),
            };
            Error::Invalid {
                location,
                message: format!(
                    "{}; compare with the embedded policies/taxonomy.yaml",
                    crate::input::shorten_quotes(&e.to_string())
                ),
            }
        })?;
        let invalid = |message: String| Error::Invalid {
            location: name.to_string(),
            message,
        };
        if raw.version != 1 {
            return Err(invalid(format!(
                "taxonomy version {} is not supported; this handover reads version 1",
                raw.version
            )));
        }
        let mut cue_matchers = Vec::new();
        for (cue, key) in CUES {
            let terms = raw.cues.get(key).ok_or_else(|| {
                invalid(format!(
                    "the cue list `cues.{key}` is missing; add it (see the embedded taxonomy)"
                ))
            })?;
            cue_matchers.push((cue, Matcher::new(terms.iter().map(|t| (t.as_str(), 0)))));
        }
        let data_types: Vec<DataType> = raw
            .data_types
            .iter()
            .map(|(id, d)| DataType {
                id: id.clone(),
                label: d.terms.first().cloned().unwrap_or_else(|| id.clone()),
                sensitive: d.sensitive,
            })
            .collect();
        let table = |map: &BTreeMap<String, Vec<String>>| -> (Vec<String>, Matcher) {
            let ids: Vec<String> = map.keys().cloned().collect();
            let matcher = Matcher::new(
                map.values()
                    .enumerate()
                    .flat_map(|(i, terms)| terms.iter().map(move |t| (t.as_str(), i))),
            );
            (ids, matcher)
        };
        let data_matcher = Matcher::new(
            raw.data_types
                .values()
                .enumerate()
                .flat_map(|(i, d)| d.terms.iter().map(move |t| (t.as_str(), i))),
        );
        let (recipients, recipient_matcher) = table(&raw.recipients);
        let (purposes, purpose_matcher) = table(&raw.purposes);
        let (places, place_matcher) = table(&raw.places);
        let practice_matcher = Matcher::new(
            raw.cue_practices
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.terms.iter().map(move |t| (t.as_str(), i))),
        );
        for p in &raw.cue_practices {
            if let Some(other) = &p.denial_of {
                if !raw.cue_practices.iter().any(|q| &q.key == other) {
                    return Err(invalid(format!(
                        "cue practice {}: `denial_of: {other}` names no cue practice; use one of the keys in `cue_practices`",
                        p.key
                    )));
                }
            }
        }
        let practice_context = raw
            .cue_practices
            .iter()
            .map(|p| p.context.iter().map(|t| stems(t)).collect())
            .collect();
        let people = raw.cues.get("person").map_or_else(Vec::new, |terms| {
            terms
                .iter()
                .map(|t| tokens(t))
                .filter(|t| !t.is_empty())
                .collect()
        });
        let not_data = Matcher::new(
            raw.cues
                .get("not_data")
                .into_iter()
                .flatten()
                .map(|t| (t.as_str(), 0)),
        );
        let not_negation = Matcher::new(
            raw.cues
                .get("not_negation")
                .into_iter()
                .flatten()
                .map(|t| (t.as_str(), 0)),
        );
        Ok(Taxonomy {
            people,
            not_data,
            not_negation,
            data_types,
            recipients,
            purposes,
            places,
            cue_practices: raw.cue_practices,
            data_matcher,
            recipient_matcher,
            purpose_matcher,
            place_matcher,
            practice_matcher,
            practice_context,
            cue_matchers,
        })
    }

    /// All data types, sorted by id.
    pub fn data_types(&self) -> &[DataType] {
        &self.data_types
    }

    /// The data type with this id.
    pub fn data_type(&self, id: &str) -> Option<&DataType> {
        self.data_types
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.data_types[i])
    }

    /// Phrases naming the person the policy is about, as token sequences.
    pub(crate) fn people(&self) -> &[Vec<Token>] {
        &self.people
    }

    pub(crate) fn data_type_at(&self, index: usize) -> &DataType {
        &self.data_types[index]
    }

    pub(crate) fn cue(&self, cue: Cue) -> &Matcher {
        &self
            .cue_matchers
            .iter()
            .find(|(c, _)| *c == cue)
            .expect("every cue is compiled")
            .1
    }

    /// The negations in `tokens` ("not", "never", "no"), leaving out those that open a limit
    /// ("no later than", "not necessarily": `not_negation`).
    pub(crate) fn negations(&self, tokens: &[Token]) -> Vec<Hit> {
        let limits = self.not_negation.find(tokens);
        self.cue(Cue::Negation)
            .find(tokens)
            .into_iter()
            .filter(|n| !limits.iter().any(|l| l.start <= n.start && n.start < l.end))
            .collect()
    }
}

/// A token: a stemmed lower-case word, or one of `, ; : ( )`, with its hash computed once so
/// that matching probes tables by a precomputed key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Token {
    text: String,
    key: u64,
}

impl Token {
    fn new(text: String) -> Token {
        let mut h = rustc_hash::FxHasher::default();
        text.hash(&mut h);
        Token {
            key: h.finish(),
            text,
        }
    }

    /// The token's text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for Token {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<&str> for Token {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialEq<str> for Token {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl From<&str> for Token {
    fn from(text: &str) -> Token {
        Token::new(text.to_string())
    }
}

/// Tokenises text for matching (see the module doc).
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    tokens_with_offsets(text).0
}

/// Tokenises text, with the byte offset in `text` where each token starts.
pub(crate) fn tokens_with_offsets(text: &str) -> (Vec<Token>, Vec<usize>) {
    let cleaned = strip_template_tags(text);
    let cleaned = match blank_addresses(&cleaned) {
        std::borrow::Cow::Owned(blanked) => std::borrow::Cow::Owned(blanked),
        std::borrow::Cow::Borrowed(_) => cleaned,
    };
    let text: &str = &cleaned;
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut offsets = Vec::with_capacity(text.len() / 5);
    let mut word = String::new();
    let mut word_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                word_start = at;
            }
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
            continue;
        }
        let apostrophe = matches!(c, '\'' | '\u{2019}' | '\u{2018}');
        if apostrophe
            && word.ends_with('n')
            && chars.peek().is_some_and(|(_, n)| *n == 't' || *n == 'T')
        {
            // "don't" -> do not, "can't" -> can not, "won't" -> will not
            chars.next();
            word.pop();
            let head = match word.as_str() {
                "ca" => "can".to_string(),
                "wo" => "will".to_string(),
                _ => std::mem::take(&mut word),
            };
            word.clear();
            push_word(&mut out, &mut offsets, word_start, head);
            out.push(Token::new("not".into()));
            offsets.push(at);
            continue;
        }
        if !word.is_empty() {
            push_word(
                &mut out,
                &mut offsets,
                word_start,
                std::mem::take(&mut word),
            );
        }
        if matches!(c, ',' | ';' | ':' | '(' | ')') {
            out.push(Token::new(c.to_string()));
            offsets.push(at);
        }
    }
    if !word.is_empty() {
        push_word(&mut out, &mut offsets, word_start, word);
    }
    (out, offsets)
}

fn push_word(out: &mut Vec<Token>, offsets: &mut Vec<usize>, at: usize, word: String) {
    if word.is_empty() {
        return;
    }
    if word == "cannot" {
        out.push(Token::new("can".into()));
        out.push(Token::new("not".into()));
        offsets.extend([at, at]);
        return;
    }
    out.push(Token::new(stem(word)));
    offsets.push(at);
}

/// Blanks out Liquid and Jinja tags (`{{ site.data.variables.product }}`, `{% if %}`):
/// template syntax, not policy words.
fn strip_template_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{{") && !text.contains("{%") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['{']) {
        let tail = &rest[start..];
        let close = if tail.starts_with("{{") {
            Some("}}")
        } else if tail.starts_with("{%") {
            Some("%}")
        } else {
            None
        };
        match close.and_then(|c| tail.find(c).map(|end| end + c.len())) {
            Some(end) => {
                // Spaces of the same length keep byte offsets into the text valid.
                out.push_str(&rest[..start]);
                out.extend(std::iter::repeat_n(' ', end));
                rest = &tail[end..];
            }
            None => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Blanks out email addresses and web addresses (see the module doc), each byte a space so
/// that offsets into the text stay valid.
fn blank_addresses(text: &str) -> std::borrow::Cow<'_, str> {
    // The placeholder a web page's email obfuscation leaves in a saved copy of the page
    // ("email us at [email protected]") stands for an address too.
    if let Some(placeholder) = ["[email protected]", "[email\u{a0}protected]"]
        .into_iter()
        .find(|p| text.contains(p))
    {
        let spaces = " ".repeat(placeholder.len());
        let text = text.replace(placeholder, &spaces);
        return std::borrow::Cow::Owned(blank_addresses(&text).into_owned());
    }
    if !text.contains('@') && !text.contains("://") && !text.contains("www.") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, word) in text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
    {
        let mut trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
        if !is_address(trimmed) {
            // An address run into the word before it after punctuation ("Blocker:https://...",
            // "(see:www.example.com)").
            let lower = trimmed.to_ascii_lowercase();
            let glued = ["https://", "http://", "www."]
                .iter()
                .filter_map(|scheme| lower.find(scheme))
                .min()
                .filter(|&k| k > 0 && !trimmed[..k].ends_with(char::is_alphanumeric));
            match glued {
                Some(k) => trimmed = &trimmed[k..],
                None => continue,
            }
        }
        let from = start + (trimmed.as_ptr() as usize - word.as_ptr() as usize);
        out.push_str(&text[at..from]);
        out.extend(std::iter::repeat_n(' ', trimmed.len()));
        at = from + trimmed.len();
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// Whether a word (punctuation around it trimmed) is an email address or a web address.
fn is_address(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || word
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

fn stems(text: &str) -> Vec<Token> {
    tokens(text)
}

/// Folds a plural to its singular, the same way for a policy's words and the taxonomy's
/// terms, so that "IP addresses" matches "ip address" and "third parties" "third party":
/// "-sses" drops "es" ("addresses", "processes", "businesses"); "-ies" becomes "-y"
/// ("parties", "activities"), except in words whose singular ends in "-ie" ("cookies");
/// "-ches", "-shes" and "-xes" drop "es" ("searches", "breaches", "inboxes"), except where
/// the singular ends in "-e" ("caches"); any other final "s" goes, except "-ss", "-us" and
/// "-is" ("access", "status", "analysis"), in words of three letters or fewer and in
/// [`INVARIANT`] ("series", "news").
fn stem(mut word: String) -> String {
    if word.len() <= 3 || !word.ends_with('s') || INVARIANT.contains(&word.as_str()) {
        return word;
    }
    if word.ends_with("sses") {
        word.truncate(word.len() - 2);
    } else if word.ends_with("ies") && word.len() > 4 {
        if !IE_SINGULARS.contains(&word.as_str()) {
            word.truncate(word.len() - 3);
            word.push('y');
        } else {
            word.pop();
        }
    } else if (word.ends_with("ches") || word.ends_with("shes") || word.ends_with("xes"))
        && !E_SINGULARS.contains(&word.as_str())
    {
        word.truncate(word.len() - 2);
    } else if !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        word.pop();
    }
    word
}

/// Plurals in "-ies" whose singular ends in "-ie", which [`stem`] only drops the "s" of.
#[rustfmt::skip]
const IE_SINGULARS: &[&str] = &[
    "cookies", "movies", "selfies", "rookies", "zombies", "calories", "goalies", "newbies",
    "hoodies", "smoothies",
];

/// Words in "-s" whose singular and plural are one ("series", "news"), which [`stem`] keeps.
const INVARIANT: &[&str] = &["series", "species", "news"];

/// Plurals in "-ches" and "-xes" whose singular ends in "-e", which [`stem`] only drops the
/// "s" of.
const E_SINGULARS: &[&str] = &["caches", "niches", "headaches", "avalanches", "axes"];

/// One match of a term: token positions `start..end` and the term's target index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub target: usize,
}

/// Finds terms (token sequences) in token streams, longest first, without overlaps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    by_first: FxHashMap<u64, Vec<(Vec<u64>, usize)>>,
}

fn starts_with(tokens: &[Token], term: &[u64]) -> bool {
    tokens.len() >= term.len() && tokens.iter().zip(term).all(|(t, k)| t.key == *k)
}

impl Matcher {
    /// A matcher of these terms, each with its target index.
    pub(crate) fn new<'t>(terms: impl Iterator<Item = (&'t str, usize)>) -> Matcher {
        let mut by_first: FxHashMap<u64, Vec<(Vec<u64>, usize)>> = FxHashMap::default();
        for (term, target) in terms {
            let keys: Vec<u64> = stems(term).iter().map(|t| t.key).collect();
            if let Some(&first) = keys.first() {
                by_first.entry(first).or_default().push((keys, target));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        }
        Matcher { by_first }
    }

    /// All non-overlapping matches, scanning left to right, longest term first.
    pub(crate) fn find(&self, tokens: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let found = self.by_first.get(&tokens[i].key).and_then(|list| {
                list.iter()
                    .find(|(t, _)| starts_with(&tokens[i..], t))
                    .map(|(t, target)| (t.len(), *target))
            });
            match found {
                Some((len, target)) => {
                    hits.push(Hit {
                        start: i,
                        end: i + len,
                        target,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        hits
    }

    /// Whether any term occurs.
    pub(crate) fn any(&self, tokens: &[Token]) -> bool {
        (0..tokens.len()).any(|i| {
            self.by_first
                .get(&tokens[i].key)
                .is_some_and(|list| list.iter().any(|(t, _)| starts_with(&tokens[i..], t)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_taxonomy_loads() {
        let t = Taxonomy::embedded();
        assert!(t.data_type("contact.email").is_some());
        assert!(t.data_type("government.passport").unwrap().sensitive);
        assert_eq!(t.data_type("contact.email").unwrap().label, "email address");
    }

    #[test]
    fn longest_term_wins() {
        let t = Taxonomy::embedded();
        let toks = tokens("your e-mail address and IP address");
        let ids: Vec<&str> = t
            .data_matcher
            .find(&toks)
            .iter()
            .map(|h| t.data_type_at(h.target).id.as_str())
            .collect();
        assert_eq!(ids, ["contact.email", "technical.ip_address"]);
    }

    #[test]
    fn email_and_web_addresses_are_no_words() {
        let text =
            "Write to team@example.uk or see (https://example.org/privacy), then www.example.com.";
        let (toks, offsets) = tokens_with_offsets(text);
        let words: Vec<&str> = toks.iter().map(Token::as_str).collect();
        assert_eq!(words, ["write", "to", "or", "see", "(", ")", ",", "then"]);
        // Offsets still point into the text as given.
        assert_eq!(&text[offsets[7]..offsets[7] + 4], "then");
        // An address run into the word before it after punctuation (a link whose space went
        // missing) is blanked too; a word that only contains "www." is not.
        let words: Vec<String> =
            tokens("For Content Blocker:https://example.com/privacy/content.html")
                .iter()
                .map(|t| t.as_str().to_string())
                .collect();
        assert_eq!(words, ["for", "content", "blocker", ":"]);
        assert_eq!(tokens("awww.example")[0].as_str(), "awww");
        // The placeholder of a page's email obfuscation is an address.
        let text = "Email our officer at [email protected] today.";
        let (toks, offsets) = tokens_with_offsets(text);
        let words: Vec<&str> = toks.iter().map(Token::as_str).collect();
        assert_eq!(words, ["email", "our", "officer", "at", "today"]);
        assert_eq!(&text[offsets[4]..offsets[4] + 5], "today");
    }

    #[test]
    fn plurals_fold_to_their_singular() {
        let words = |text: &str| -> Vec<String> {
            tokens(text)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect()
        };
        assert_eq!(
            words("IP addresses parties cookies searches caches boxes processes"),
            words("ip address party cookie search cache box process")
        );
        // Words that only end like a plural stay as they are.
        assert_eq!(
            words("access status analysis series its has"),
            ["access", "status", "analysis", "series", "its", "has"]
        );
    }

    #[test]
    fn tokens_fold_contractions_and_plurals() {
        assert_eq!(
            tokens("We don't sell Cookies;"),
            ["we", "do", "not", "sell", "cookie", ";"]
        );
    }

    #[test]
    fn template_tags_are_not_words() {
        let texts: Vec<String> =
            tokens("contact {{ site.data.variables.contact.support }} or {% if x %}us")
                .iter()
                .map(|t| t.as_str().to_string())
                .collect();
        assert_eq!(texts, ["contact", "or", "us"]);
    }

    #[test]
    fn bad_yaml_names_the_line() {
        let err = Taxonomy::from_yaml("t.yaml", "version: 1\ndata_types: [\n").unwrap_err();
        assert!(err.to_string().starts_with("t.yaml:"), "{err}");
    }
}
