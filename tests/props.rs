//! Property tests of the redline, through the binary (JSON) and the library.
//!
//! Policies are generated as a [`Model`] (headings, paragraphs and list items over a small
//! vocabulary, so blocks share words and the similarity passes have work to do) and rendered
//! to Markdown in a random [`Style`]: heading syntax, list markers and numbering, tight or
//! loose lists, line width, emphasis and typographic apostrophes. A second policy is the
//! first with random [`Edit`]s applied.
use handover::policy::{self, Block, Policy};
use handover::redline::{self, TextChange, WordOp, WordOpKind};
use proptest::prelude::*;
use serde_json::Value;

use crate::util::{text_changes, Dir};

/// Cases per property that runs the binary: enough to find the usual mistakes while keeping
/// the suite fast.
const CASES: u32 = 64;
/// Cases per property of the library alone, which costs well under a millisecond each.
const LIBRARY_CASES: u32 = 256;

const WORDS: &[&str] = &[
    "we",
    "collect",
    "share",
    "sell",
    "keep",
    "delete",
    "your",
    "personal",
    "data",
    "email",
    "address",
    "name",
    "with",
    "partners",
    "advertisers",
    "for",
    "days",
    "years",
    "after",
    "account",
    "closure",
    "cookies",
    "the",
    "and",
    "may",
    "not",
    "never",
    "customer's",
    "location",
    "payment",
    "details",
    "to",
    "our",
    "service",
    "providers",
    "in",
    "Japan",
];

const HEADING_WORDS: &[&str] = &[
    "Information",
    "Sharing",
    "Cookies",
    "Retention",
    "Security",
    "Choices",
    "Children",
    "Changes",
    "Transfers",
    "Your",
    "Rights",
    "Data",
    "We",
    "Collect",
    "Use",
];

/// One block of a generated policy.
#[derive(Debug, Clone, PartialEq)]
enum Element {
    Heading(Vec<&'static str>),
    /// Sentences of words; each sentence is capitalised and ends with a full stop.
    Paragraph(Vec<Vec<&'static str>>),
    ListItem(Vec<&'static str>),
}

type Model = Vec<Element>;

/// How a model is written out; none of it is wording.
#[derive(Debug, Clone)]
struct Style {
    bold_headings: bool,
    /// `-`, `*`, `+`, or `None` for an ordered list starting at `start`.
    marker: Option<char>,
    start: u32,
    loose: bool,
    width: usize,
    emphasis: u64,
    curly: bool,
}

/// A change of wording or order.
#[derive(Debug, Clone)]
enum Edit {
    ReplaceWord(usize, usize, &'static str),
    InsertWord(usize, usize, &'static str),
    DeleteWord(usize, usize),
    DeleteBlock(usize),
    InsertBlock(usize, Element),
    /// Move `len` blocks starting at `from` to before block `to` (of what remains).
    Move(usize, usize, usize),
}

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(WORDS), range)
}

fn element() -> impl Strategy<Value = Element> {
    prop_oneof![
        1 => prop::collection::vec(prop::sample::select(HEADING_WORDS), 1..4).prop_map(Element::Heading),
        2 => prop::collection::vec(words(3..10), 1..3).prop_map(Element::Paragraph),
        3 => words(2..8).prop_map(Element::ListItem),
    ]
}

fn model() -> impl Strategy<Value = Model> {
    prop::collection::vec(element(), 1..20)
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        prop::sample::select(vec![Some('-'), Some('*'), Some('+'), None]),
        1..30u32,
        any::<bool>(),
        20..90usize,
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(
            |(bold_headings, marker, start, loose, width, emphasis, curly)| Style {
                bold_headings,
                marker,
                start,
                loose,
                width,
                emphasis,
                curly,
            },
        )
}

fn edit() -> impl Strategy<Value = Edit> {
    let index = 0..64usize;
    let word = prop::sample::select(WORDS);
    prop_oneof![
        4 => (index.clone(), index.clone(), word.clone()).prop_map(|(b, w, x)| Edit::ReplaceWord(b, w, x)),
        2 => (index.clone(), index.clone(), word).prop_map(|(b, w, x)| Edit::InsertWord(b, w, x)),
        2 => (index.clone(), index.clone()).prop_map(|(b, w)| Edit::DeleteWord(b, w)),
        2 => index.clone().prop_map(Edit::DeleteBlock),
        2 => (index.clone(), element()).prop_map(|(at, i)| Edit::InsertBlock(at, i)),
        1 => (index.clone(), 1..4usize, index).prop_map(|(f, l, t)| Edit::Move(f, l, t)),
    ]
}

/// The words of a block, whatever its kind, for editing.
fn words_of(element: &mut Element) -> &mut Vec<&'static str> {
    match element {
        Element::Heading(w) | Element::ListItem(w) => w,
        Element::Paragraph(sentences) => sentences.last_mut().expect("a paragraph has a sentence"),
    }
}

fn apply(model: &Model, edits: &[Edit]) -> Model {
    let mut model = model.clone();
    for edit in edits {
        let n = model.len();
        match edit.clone() {
            Edit::ReplaceWord(b, w, x) if n > 0 => {
                let words = words_of(&mut model[b % n]);
                let at = w % words.len();
                words[at] = x;
            }
            Edit::InsertWord(b, w, x) if n > 0 => {
                let words = words_of(&mut model[b % n]);
                let at = w % (words.len() + 1);
                words.insert(at, x);
            }
            Edit::DeleteWord(b, w) if n > 0 => {
                let words = words_of(&mut model[b % n]);
                if words.len() > 1 {
                    let at = w % words.len();
                    words.remove(at);
                }
            }
            Edit::DeleteBlock(b) if n > 1 => {
                model.remove(b % n);
            }
            Edit::InsertBlock(at, item) => model.insert(at % (n + 1), item),
            Edit::Move(from, len, to) if n > 1 => {
                let from = from % n;
                let len = len.min(n - from);
                let moved: Vec<Element> = model.drain(from..from + len).collect();
                let to = to % (model.len() + 1);
                model.splice(to..to, moved);
            }
            _ => {}
        }
    }
    model
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Style {
    fn word(&self, word: &str, counter: &mut u32) -> String {
        *counter += 1;
        let word = if self.curly {
            word.replace('\'', "\u{2019}")
        } else {
            word.to_string()
        };
        if self.emphasis.rotate_left(*counter) & 7 == 7 {
            format!("*{word}*")
        } else {
            word
        }
    }

    /// Greedy wrap at `width`; continuation lines are indented by `indent` spaces.
    fn wrap(&self, tokens: &[String], first: &str, indent: usize, out: &mut String) {
        let mut line = first.to_string();
        let mut empty = true;
        for token in tokens {
            if !empty && line.len() + 1 + token.len() > self.width {
                out.push_str(&line);
                out.push('\n');
                line = " ".repeat(indent);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(token);
            empty = false;
        }
        out.push_str(&line);
        out.push('\n');
    }

    fn render(&self, model: &Model) -> String {
        let mut out = String::new();
        let mut counter = 0;
        let mut number = self.start;
        for (k, item) in model.iter().enumerate() {
            let after_item = k > 0 && matches!(model[k - 1], Element::ListItem(_));
            let in_list = after_item && matches!(item, Element::ListItem(_));
            if k > 0 && (!in_list || self.loose) {
                out.push('\n');
            }
            match item {
                Element::Heading(words) => {
                    let text = words.join(" ");
                    if self.bold_headings {
                        out.push_str(&format!("**{text}**\n"));
                    } else {
                        out.push_str(&format!("## {text}\n"));
                    }
                }
                Element::Paragraph(sentences) => {
                    let mut tokens = Vec::new();
                    for sentence in sentences {
                        let last = sentence.len() - 1;
                        for (w, word) in sentence.iter().enumerate() {
                            let word = if w == 0 {
                                capitalise(word)
                            } else {
                                word.to_string()
                            };
                            let mut token = self.word(&word, &mut counter);
                            if w == last {
                                token.push('.');
                            }
                            tokens.push(token);
                        }
                    }
                    self.wrap(&tokens, "", 0, &mut out);
                }
                Element::ListItem(words) => {
                    if !in_list {
                        number = self.start;
                    }
                    let marker = match self.marker {
                        Some(c) => format!("{c} "),
                        None => format!("{number}. "),
                    };
                    number += 1;
                    let tokens: Vec<String> =
                        words.iter().map(|w| self.word(w, &mut counter)).collect();
                    self.wrap(&tokens, &marker, marker.len(), &mut out);
                }
            }
        }
        out
    }
}

fn parse(name: &str, text: &str) -> Policy {
    policy::parse(name, text, String::new())
}

fn rebuild(ops: &[WordOp], keep: WordOpKind) -> String {
    ops.iter()
        .filter(|o| o.op == WordOpKind::Equal || o.op == keep)
        .map(|o| o.text.as_str())
        .collect()
}

fn rebuild_json(ops: &Value, keep: &str) -> String {
    ops.as_array()
        .expect("words is an array")
        .iter()
        .filter(|o| o["op"] == "equal" || o["op"] == keep)
        .map(|o| o["text"].as_str().expect("op text is a string"))
        .collect()
}

/// The block of `policy` whose line range is exactly `lines` (a JSON `[first, last]`).
fn block_at<'a>(policy: &'a Policy, lines: &Value) -> &'a Block {
    let want = (
        lines[0].as_u64().unwrap() as u32,
        lines[1].as_u64().unwrap() as u32,
    );
    policy
        .blocks
        .iter()
        .find(|b| b.lines == want)
        .unwrap_or_else(|| panic!("no block at lines {want:?} in {}", policy.path))
}

/// One side of a change: its line range and its text.
type SideOf = fn(&TextChange) -> (Option<[u32; 2]>, Option<&String>);

/// Checks one side of a redline: every block is either inside exactly one change's line
/// range, as one of the paragraphs of its text, or unchanged (the other side has a block
/// with the same comparison key). Returns a description of the first violation.
fn check_side(
    this: &Policy,
    other: &Policy,
    changes: &[TextChange],
    side: SideOf,
) -> Result<(), String> {
    for block in &this.blocks {
        let covering: Vec<&TextChange> = changes
            .iter()
            .filter(|c| {
                side(c)
                    .0
                    .is_some_and(|r| r[0] <= block.lines.0 && block.lines.1 <= r[1])
            })
            .collect();
        match covering.as_slice() {
            [] => {
                if !other.blocks.iter().any(|b| b.norm == block.norm) {
                    return Err(format!(
                        "block {block:?} is neither in a change nor unchanged"
                    ));
                }
            }
            [change] => {
                let text = side(change).1.map(String::as_str).unwrap_or_default();
                if !text.split("\n\n").any(|t| t == block.text) {
                    return Err(format!(
                        "block {block:?} is inside the lines of {change:?} but not in its text"
                    ));
                }
            }
            many => return Err(format!("block {block:?} is in several changes: {many:?}")),
        }
    }
    Ok(())
}

fn old_side(c: &TextChange) -> (Option<[u32; 2]>, Option<&String>) {
    (c.old_lines, c.old_text.as_ref())
}

fn new_side(c: &TextChange) -> (Option<[u32; 2]>, Option<&String>) {
    (c.new_lines, c.new_text.as_ref())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// `handover diff` of a policy with itself, and with itself formatted differently, finds
    /// no change.
    #[test]
    fn reformatting_is_no_change(model in model(), one in style(), two in style()) {
        let dir = Dir::new("reformatting_is_no_change");
        dir.write("one.md", one.render(&model));
        dir.write("two.md", two.render(&model));
        for (old, new) in [("one.md", "one.md"), ("one.md", "two.md")] {
            let out = dir.diff_json(old, new);
            prop_assert_eq!(
                &out["text_changes"], &Value::Array(vec![]),
                "{} vs {}:\n{}\n---\n{}", old, new, dir.read(old), dir.read(new)
            );
            prop_assert_eq!(&out["verdict"]["text_changed"], false);
        }
    }

    /// The JSON `words` of every edited change rebuild both blocks' normalised texts.
    #[test]
    fn json_words_rebuild_both_blocks(
        model in model(),
        edits in prop::collection::vec(edit(), 1..8),
        one in style(),
        two in style(),
    ) {
        let (old, new) = (one.render(&model), two.render(&apply(&model, &edits)));
        let dir = Dir::new("json_words_rebuild_both_blocks");
        dir.write("old.md", &old);
        dir.write("new.md", &new);
        let out = dir.diff_json("old.md", "new.md");
        let (a, b) = (parse("old.md", &old), parse("new.md", &new));
        for change in text_changes(&out) {
            let edited = change["words"].as_array().is_some_and(|w| !w.is_empty());
            if change["kind"] == "modified" {
                prop_assert!(edited, "a modified change without words: {:#}", change);
            }
            if !edited {
                continue;
            }
            let old_block = block_at(&a, &change["old_lines"]);
            let new_block = block_at(&b, &change["new_lines"]);
            prop_assert_eq!(rebuild_json(&change["words"], "delete"), old_block.norm.as_str());
            prop_assert_eq!(rebuild_json(&change["words"], "insert"), new_block.norm.as_str());
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(LIBRARY_CASES))]

    /// Every block of either side is unchanged or shown in exactly one change; changes come
    /// in the new policy's order.
    #[test]
    fn every_block_is_unchanged_or_in_a_change(
        model in model(),
        edits in prop::collection::vec(edit(), 0..8),
        one in style(),
        two in style(),
    ) {
        let (old, new) = (one.render(&model), two.render(&apply(&model, &edits)));
        let (a, b) = (parse("old.md", &old), parse("new.md", &new));
        let changes = redline::redline(&a, &b);
        let context = format!("old:\n{old}\n---\nnew:\n{new}\n---\nchanges: {changes:#?}");
        if let Err(e) = check_side(&b, &a, &changes, new_side) {
            prop_assert!(false, "new side: {}\n{}", e, context);
        }
        if let Err(e) = check_side(&a, &b, &changes, old_side) {
            prop_assert!(false, "old side: {}\n{}", e, context);
        }
        let ranges: Vec<[u32; 2]> = changes.iter().filter_map(|c| c.new_lines).collect();
        prop_assert!(
            ranges.windows(2).all(|w| w[0][1] < w[1][0]),
            "new ranges out of order: {:?}\n{}", ranges, context
        );
        if a.blocks.iter().map(|b| &b.norm).eq(b.blocks.iter().map(|b| &b.norm)) {
            prop_assert!(changes.is_empty(), "{}", context);
        }
    }

    /// `word_ops` rebuilds both texts, for any text, and merges what it can.
    #[test]
    fn word_ops_rebuild_both_texts(
        old in prop_oneof![
            words(0..12).prop_map(|w| w.join(" ")),
            "\\PC{0,40}",
        ],
        new in prop_oneof![
            words(0..12).prop_map(|w| w.join(" ")),
            "\\PC{0,40}",
        ],
    ) {
        let ops = redline::word_ops(&old, &new);
        prop_assert_eq!(rebuild(&ops, WordOpKind::Delete), old.clone());
        prop_assert_eq!(rebuild(&ops, WordOpKind::Insert), new.clone());
        prop_assert!(ops.iter().all(|o| !o.text.is_empty()), "empty op in {:?}", ops);
        prop_assert!(
            ops.windows(2).all(|w| w[0].op != w[1].op),
            "ops of one kind not merged: {:?}", ops
        );
        if old == new {
            prop_assert!(ops.iter().all(|o| o.op == WordOpKind::Equal), "{:?}", ops);
        }
    }

    /// The library agrees with the binary: a policy compared with itself has no changes.
    #[test]
    fn library_self_diff_is_empty(model in model(), one in style(), two in style()) {
        let (x, y) = (one.render(&model), two.render(&model));
        let (a, b) = (parse("one.md", &x), parse("two.md", &y));
        prop_assert!(redline::redline(&a, &a).is_empty());
        let changes = redline::redline(&a, &b);
        prop_assert!(changes.is_empty(), "{:#?}\n{}\n---\n{}", changes, x, y);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(LIBRARY_CASES))]

    /// Any text (Markdown-ish or not) parses, extracts and compares without a panic; a
    /// policy has no practice change against itself, and evidence lines exist.
    #[test]
    fn any_text_diffs_without_panic(
        old in prop_oneof![
            "\\PC{0,300}",
            prop::collection::vec(
                prop_oneof![
                    Just("# "), Just("**"), Just("- "), Just("1. "), Just("\n"), Just("\n\n"),
                    Just("| a | b |\n|---|---|\n"), Just("> "), Just("```\n"), Just(": "),
                    Just("---\ntitle: x\n---\n"), Just("{{ x }}"), Just("we do not sell "),
                    Just("except "), Just("your email address "), Just("to advertisers. "),
                    Just("we may share it with:"), Just("don't "), Just("'s "), Just("\u{2019}"),
                ],
                0..40,
            ).prop_map(|parts| parts.concat()),
        ],
        new in "\\PC{0,300}",
    ) {
        let taxonomy = handover::taxonomy::Taxonomy::embedded();
        let (a, b) = (parse("old.md", &old), parse("new.md", &new));
        let diff = handover::diff::diff(&a, &b, &taxonomy);
        for change in &diff.practice_changes {
            for e in &change.old {
                prop_assert!(e.line >= 1 && e.line <= a.line_count, "{:?}", change);
            }
            for e in &change.new {
                prop_assert!(e.line >= 1 && e.line <= b.line_count, "{:?}", change);
            }
        }
        let itself = handover::diff::diff(&a, &a, &taxonomy);
        prop_assert!(itself.practice_changes.is_empty() && itself.text_changes.is_empty());
    }
}

#[test]
fn the_renderer_makes_what_the_model_says() {
    let model = vec![
        Element::Heading(vec!["Data", "We", "Collect"]),
        Element::Paragraph(vec![vec!["we", "collect", "your", "customer's", "email"]]),
        Element::ListItem(vec!["name", "and", "address"]),
        Element::ListItem(vec!["payment", "details"]),
    ];
    let style = Style {
        bold_headings: true,
        marker: None,
        start: 7,
        loose: false,
        width: 16,
        emphasis: 0,
        curly: true,
    };
    assert_eq!(
        style.render(&model),
        "**Data We Collect**\n\nWe collect your\ncustomer\u{2019}s\nemail.\n\n\
         7. name and\n   address\n8. payment\n   details\n"
    );
    let policy = parse("t.md", &style.render(&model));
    let norms: Vec<&str> = policy.blocks.iter().map(|b| b.norm.as_str()).collect();
    assert_eq!(
        norms,
        [
            "Data We Collect",
            "We collect your customer's email.",
            "name and address",
            "payment details"
        ]
    );
}
