//! Messages about YAML input shared by every YAML reader (case file, rule packs, taxonomy,
//! acknowledgements): where the parser stopped, and a "did you mean" for near misses.
use crate::error::Error;

/// A serde_yaml_ng error as `file:line:col: message; fix`.
pub(crate) fn yaml_error(name: &str, e: serde_yaml_ng::Error) -> Error {
    let text = e.to_string();
    // Parser messages quote the offending key or value, which may be a whole long line.
    let message = match text.rfind(" at line ") {
        Some(i) => crate::input::shorten_quotes(&text[..i]),
        None => crate::input::shorten_quotes(&text),
    };
    let fix = if message.contains("unknown field") {
        "remove the key or correct its spelling"
    } else if message.contains("missing field") {
        "add it"
    } else if message.contains("unknown variant") {
        "use one of the values listed"
    } else {
        "compare with the commented file `handover init` writes"
    };
    let location = match e.location() {
        Some(l) => format!("{name}:{}:{}", l.line(), l.column()),
        None => name.to_string(),
    };
    Error::Yaml {
        location,
        message: format!("{message}; {fix}"),
        source: e,
    }
}

/// `did you mean `x`? ` for the closest candidate within a small edit distance, else "".
pub(crate) fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    // A long value is no typo of a short name, and comparing it would take long.
    if word.len() > 100 {
        return String::new();
    }
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(word.len() / 5) && *d < c.len())
        .min()
        .map(|(_, c)| format!("did you mean `{c}`? "))
        .unwrap_or_default()
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
