//! Finds where a key or value sits in YAML text, for messages about values that parsed but
//! make no sense (an unknown data type id, a column the members file lacks).
//!
//! serde gives positions only for syntax and shape errors, so this is a small scanner over the
//! text: it follows a key path through block mappings (by indentation) and flow mappings (on
//! one line), then looks for the value after the last key. It only has to be good enough to
//! point a person at the right line; when it cannot follow the path it answers with the
//! deepest key it found, or line 1.

/// A 1-based line and column.
pub(crate) type Position = (usize, usize);

/// The position of `value` under the key path `keys`, or of the deepest key found.
pub(crate) fn locate(text: &str, keys: &[&str], value: Option<&str>) -> Position {
    let lines: Vec<&str> = text.lines().collect();
    let mut line = 0usize;
    let mut col = 0usize;
    let mut indent: Option<usize> = None;
    let mut found: Position = (1, 1);
    for key in keys {
        match find_key(&lines, line, col, indent, key) {
            Some((l, c)) => {
                line = l;
                col = c + key.len();
                indent = Some(indentation(lines[l]));
                found = (l + 1, c + 1);
            }
            None => return found,
        }
    }
    if let Some(value) = value {
        if let Some((l, c)) = find_word(&lines, line, col, indent, value) {
            return (l + 1, c + 1);
        }
    }
    found
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// Lines of the block that starts at `line` (after `col`), ending before a line indented no
/// deeper than the block's key.
fn block<'a>(
    lines: &'a [&'a str],
    line: usize,
    col: usize,
    indent: Option<usize>,
) -> impl Iterator<Item = (usize, usize, &'a str)> + 'a {
    let first = lines
        .get(line)
        .map(|l| (line, col.min(l.len()), &l[col.min(l.len())..]));
    let rest = lines
        .iter()
        .enumerate()
        .skip(line + 1)
        .filter(|(_, l)| !is_comment_or_blank(l))
        .take_while(move |(_, l)| indent.is_none_or(|i| indentation(l) > i))
        .map(|(i, l)| (i, 0, *l));
    first.into_iter().chain(rest)
}

fn find_key(
    lines: &[&str],
    line: usize,
    col: usize,
    indent: Option<usize>,
    key: &str,
) -> Option<Position> {
    for (l, offset, text) in block(lines, line, col, indent) {
        let code = text.split(" #").next().unwrap_or(text);
        for candidate in [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ] {
            let mut from = 0;
            while let Some(at) = code[from..].find(&candidate) {
                let at = from + at;
                let before = code[..at].chars().next_back();
                if before.is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-' | '\t')) {
                    return Some((l, offset + at));
                }
                from = at + 1;
            }
        }
    }
    None
}

fn find_word(
    lines: &[&str],
    line: usize,
    col: usize,
    indent: Option<usize>,
    word: &str,
) -> Option<Position> {
    for (l, offset, text) in block(lines, line, col, indent) {
        let code = text.split(" #").next().unwrap_or(text);
        let mut from = 0;
        while let Some(at) = code[from..].find(word) {
            let at = from + at;
            let boundary = |c: Option<char>| {
                c.is_none_or(|c| matches!(c, ' ' | '[' | ']' | '{' | '}' | ',' | ':' | '"' | '\''))
            };
            if boundary(code[..at].chars().next_back())
                && boundary(code[at + word.len()..].chars().next())
            {
                return Some((l, offset + at));
            }
            from = at + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locate;

    const TEXT: &str = "case: x\nmembers:\n  path: m.csv\n  # zip: comment\n  status: {column: state, transfer: [active]}\n  data_types:\n    name: contact.name\n    zip: contact.zipcode\nrules: [metropolis-promise, apppi]\nledger: l.db\n";

    #[test]
    fn finds_block_and_flow_keys_and_values() {
        assert_eq!(locate(TEXT, &["members", "path"], None), (3, 3));
        assert_eq!(
            locate(TEXT, &["members", "status", "column"], Some("state")),
            (5, 20)
        );
        assert_eq!(
            locate(
                TEXT,
                &["members", "data_types", "zip"],
                Some("contact.zipcode")
            ),
            (8, 10)
        );
        assert_eq!(locate(TEXT, &["rules"], Some("apppi")), (9, 29));
        assert_eq!(locate(TEXT, &["ledger"], None), (10, 1));
    }

    #[test]
    fn falls_back_to_the_deepest_key() {
        assert_eq!(locate(TEXT, &["members", "nothing"], None), (2, 1));
        assert_eq!(locate(TEXT, &["nothing"], None), (1, 1));
    }
}
