//! The text side of extraction: sentences, the source line each starts on, and the names the
//! policy calls its own company by.
use crate::policy::{Block, Policy};
use crate::taxonomy::{self, Token};

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
pub(crate) struct Locator {
    first: u32,
    lines: Vec<Vec<String>>,
    cursor: usize,
}

impl Locator {
    pub(crate) fn new(policy: &Policy, block: &Block) -> Locator {
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

    pub(crate) fn locate(&mut self, sentence: &str) -> u32 {
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
pub(super) fn company_aliases(policy: &Policy) -> Vec<Vec<Token>> {
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

/// Names read as a pronoun: the company's own names as "we"; "the customer", "the member",
/// "the data subject" as "you" (and with a possessive `'s`, "your"), so third-person legal
/// prose reads like the second-person policies the taxonomy's phrases are written in.
pub(super) struct Aliases {
    names: Vec<(Vec<Token>, &'static str)>,
}

impl Aliases {
    pub(super) fn new(company: Vec<Vec<Token>>, people: &[Vec<Token>]) -> Aliases {
        let mut names: Vec<(Vec<Token>, &'static str)> = company
            .into_iter()
            .map(|n| (n, "we"))
            .chain(people.iter().map(|n| (n.clone(), "you")))
            .collect();
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        Aliases { names }
    }

    /// The tokens with the names replaced (borrowed when there are none).
    pub(super) fn apply<'t>(&self, tokens: &'t [Token]) -> std::borrow::Cow<'t, [Token]> {
        let found = |i: usize| self.names.iter().find(|(n, _)| tokens[i..].starts_with(n));
        if !(0..tokens.len()).any(|i| found(i).is_some()) {
            return std::borrow::Cow::Borrowed(tokens);
        }
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            match found(i) {
                Some((name, pronoun)) => {
                    i += name.len();
                    let possessive = *pronoun == "you" && tokens.get(i).is_some_and(|t| t == "s");
                    if possessive {
                        out.push(Token::from("your"));
                        i += 1;
                    } else {
                        out.push(Token::from(*pronoun));
                    }
                }
                None => {
                    out.push(tokens[i].clone());
                    i += 1;
                }
            }
        }
        std::borrow::Cow::Owned(out)
    }
}
