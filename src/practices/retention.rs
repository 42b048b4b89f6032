//! Retention periods: what "we keep it for seven years after the account is closed" means,
//! and which of two periods is longer.
use crate::taxonomy::Token;

use super::sentence::contains;

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

/// Reads a retention period from a sentence's tokens.
///
/// "Permanently" or "permanent" beside a word of deletion ("you can permanently delete your
/// cards", "deleted permanently", "permanent deletion") says how data goes, not that it is
/// kept: it is no indefinite period.
pub(super) fn retention_value(toks: &[Token]) -> Option<Retention> {
    let deletion = |k: usize| {
        toks.get(k).is_some_and(|w| {
            DELETION_STEMS
                .iter()
                .any(|stem| w.as_str().starts_with(stem))
        })
    };
    if toks.iter().enumerate().any(|(k, w)| match w.as_str() {
        "indefinitely" | "indefinite" | "forever" => true,
        "permanently" | "permanent" => !(deletion(k + 1) || k.checked_sub(1).is_some_and(deletion)),
        _ => false,
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
        && (toks.iter().any(|w| w == "active" || w == "open") || while_account(toks));
    match days {
        Some(d) if after_closure || while_active => Some(Retention::AfterClosure(d)),
        Some(d) => Some(Retention::Fixed(d)),
        None if while_active || until_closure => Some(Retention::AfterClosure(0)),
        None => None,
    }
}

/// Beginnings of words of deletion, read beside "permanently".
const DELETION_STEMS: &[&str] = &["delet", "eras", "remov", "purg", "destr", "wip"];

/// How many words after "as long as" may name the account: "as long as you have a GOV.UK
/// Notify account".
const ACCOUNT_WINDOW: usize = 8;

/// Whether "as long as" is followed, within a few words, by the account or membership it
/// lasts for ("as long as you have an account", "as long as your membership exists"): a
/// period that ends with the account, like "while your account is active".
fn while_account(toks: &[Token]) -> bool {
    toks.windows(3)
        .enumerate()
        .filter(|(_, w)| w[0] == "as" && w[1] == "long" && w[2] == "as")
        .any(|(i, _)| {
            toks[i + 3..]
                .iter()
                .take(ACCOUNT_WINDOW)
                .any(|w| matches!(w.as_str(), "account" | "membership" | "subscription"))
        })
}

/// A number written in digits or as a word ("thirty", "a" for one), as periods read it.
pub(crate) fn number(word: &str) -> Option<u32> {
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
