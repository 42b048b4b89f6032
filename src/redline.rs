//! The redline: block alignment, moves and word-level changes between two policies.
//!
//! Blocks are aligned in four passes, each only over what the earlier ones left:
//!
//! 1. **exact**: a patience diff over the blocks' normalised text anchors every unchanged
//!    block (so reflowing or re-marking a paragraph is no change);
//! 2. **heading**: inside each changed stretch, a heading level with exactly one heading on
//!    each side pairs them (a renamed heading);
//! 3. **similarity**: remaining blocks pair up best-first when their word overlap (Dice
//!    coefficient) is at least [`PAIR_SIMILARITY`] ([`POSITION_SIMILARITY`] between two
//!    headings, whatever their level, since `##` and a bold line are the same heading),
//!    without crossing earlier pairs;
//! 4. **position**: between two pairs, equally many leftover blocks of the same kind pair up
//!    in order when they still share [`POSITION_SIMILARITY`] of their words.
//!
//! Then deleted and inserted blocks anywhere in the document that are near-identical
//! ([`MOVE_SIMILARITY`], at least [`MOVE_MIN_WORDS`] words, or identical), or where one holds
//! the other plus or minus a sentence ([`MOVE_CONTAINMENT`]), become moves.
//! Paired blocks with different text get a word-level diff from `similar` with the patience
//! algorithm set explicitly, so a change of default in `similar` shows up in the snapshots.
//!
//! Adjacent inserted, deleted or moved blocks are grouped into one [`TextChange`], so a moved
//! section is one `moved` change, not a deletion and an insertion.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;
use similar::{Algorithm, DiffOp, DiffTag};

use crate::policy::{Block, BlockKind, Policy};

/// Word overlap at which two blocks in the same changed stretch are the same block, edited.
pub const PAIR_SIMILARITY: f64 = 0.5;
/// Word overlap needed to pair leftover blocks by position.
pub const POSITION_SIMILARITY: f64 = 0.25;
/// Word overlap at which a deleted and an inserted block are one block, moved.
pub const MOVE_SIMILARITY: f64 = 0.8;
/// A moved block that is not identical must have at least this many words.
pub const MOVE_MIN_WORDS: usize = 3;
/// Share of the shorter block's words found in the longer one for a move with a sentence
/// added or dropped (with at least [`PAIR_SIMILARITY`] overall).
pub const MOVE_CONTAINMENT: f64 = 0.9;
/// The shorter block of such a move has at least this many words.
pub const MOVE_CONTAINED_MIN_WORDS: usize = 8;
/// Above this many candidate pairs in one stretch, only nearby blocks are compared.
const MAX_PAIRS_PER_HUNK: usize = 40_000;
/// How far apart (in blocks) candidates may be in a stretch too large to compare fully.
const BAND: usize = 60;

/// What happened to a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextChangeKind {
    /// Only in the new policy.
    Inserted,
    /// Only in the old policy.
    Deleted,
    /// In both, with different wording.
    Modified,
    /// In both, elsewhere (possibly with small edits, see `words`).
    Moved,
}

impl TextChangeKind {
    /// The wire name (`inserted`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TextChangeKind::Inserted => "inserted",
            TextChangeKind::Deleted => "deleted",
            TextChangeKind::Modified => "modified",
            TextChangeKind::Moved => "moved",
        }
    }
}

/// One word-level operation; `equal`, `delete` and `insert` ops in order rebuild both texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordOp {
    /// `equal`, `delete` or `insert`.
    pub op: WordOpKind,
    /// The words, with the spaces and punctuation between them.
    pub text: String,
}

/// The kind of a [`WordOp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOpKind {
    /// Text in both.
    Equal,
    /// Text only in the old block.
    Delete,
    /// Text only in the new block.
    Insert,
}

/// One change of the redline.
#[derive(Debug, Clone, Serialize)]
pub struct TextChange {
    /// What happened.
    pub kind: TextChangeKind,
    /// Heading path of the text (new side where there is one), joined with ` > `.
    pub section: String,
    /// First and last line in the old policy, if the text is there.
    pub old_lines: Option<[u32; 2]>,
    /// First and last line in the new policy, if the text is there.
    pub new_lines: Option<[u32; 2]>,
    /// Old wording (blocks separated by a blank line).
    pub old_text: Option<String>,
    /// New wording (blocks separated by a blank line).
    pub new_text: Option<String>,
    /// Word-level operations over the normalised text, for `modified` and edited `moved`.
    pub words: Vec<WordOp>,
}

/// How a block appears in the full-document redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// In both, same wording.
    Same,
    /// In both, different wording (the change's `words`).
    Modified,
    /// Only in the new policy.
    Inserted,
    /// Only in the old policy.
    Deleted,
    /// The old place of a moved block; `new` is where it went.
    MovedFrom,
    /// The new place of a moved block; `old` is where it came from (edits in the change's
    /// `words`, if any).
    MovedTo,
}

/// One row of the full-document redline: a block of the old policy, of the new one, or a
/// pair. Indexes are into each policy's `blocks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Row {
    /// What happened to the block.
    pub kind: RowKind,
    /// The old block, if the row has one (for `moved-to`, where it came from).
    pub old: Option<usize>,
    /// The new block, if the row has one (for `moved-from`, where it went).
    pub new: Option<usize>,
    /// The index of the [`TextChange`] this block is part of; `None` for `same`.
    pub change: Option<usize>,
}

/// How one block of either side ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Same(usize),
    Edited(usize),
    Moved(usize),
    Alone,
}

/// Precomputed per-block data for the similarity passes.
struct Side<'a> {
    blocks: &'a [Block],
    keys: Vec<u64>,
    words: Vec<Vec<u64>>,
    links: Vec<Link>,
}

impl<'a> Side<'a> {
    fn new(blocks: &'a [Block]) -> Self {
        Side {
            keys: blocks.iter().map(|b| hash(&b.norm)).collect(),
            words: blocks.iter().map(|b| word_bag(&b.norm)).collect(),
            links: vec![Link::Alone; blocks.len()],
            blocks,
        }
    }
}

/// Computes the redline of `old` to `new`.
pub fn redline(old: &Policy, new: &Policy) -> Vec<TextChange> {
    redline_full(old, new).0
}

/// Computes the redline of `old` to `new`, and the full document as rows (see the module doc).
pub fn redline_with_rows(old: &Policy, new: &Policy) -> (Vec<TextChange>, Vec<Row>) {
    let (changes, rows, _) = redline_full(old, new);
    (changes, rows)
}

/// How the blocks of the two policies were aligned: for each block of a side, the index of
/// its counterpart on the other side (unchanged, edited or moved), or `None` when it was
/// inserted or deleted. The review of changed sentences reads it (see `crate::diff`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Alignment {
    pub(crate) old: Vec<Option<usize>>,
    pub(crate) new: Vec<Option<usize>>,
}

/// The redline, the rows, and the block alignment it rests on.
pub(crate) fn redline_full(old: &Policy, new: &Policy) -> (Vec<TextChange>, Vec<Row>, Alignment) {
    let mut a = Side::new(&old.blocks);
    let mut b = Side::new(&new.blocks);
    let ops = similar::capture_diff_slices(Algorithm::Patience, &a.keys, &b.keys);
    for op in &ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for k in 0..len {
                a.links[old_index + k] = Link::Same(new_index + k);
                b.links[new_index + k] = Link::Same(old_index + k);
            }
        }
    }
    for (old_range, new_range) in hunks(&ops) {
        pair_hunk(&mut a, &mut b, old_range, new_range);
    }
    pair_moves(&mut a, &mut b);
    let counterpart = |links: &[Link]| -> Vec<Option<usize>> {
        links
            .iter()
            .map(|link| match *link {
                Link::Same(k) | Link::Edited(k) | Link::Moved(k) => Some(k),
                Link::Alone => None,
            })
            .collect()
    };
    let alignment = Alignment {
        old: counterpart(&a.links),
        new: counterpart(&b.links),
    };
    let (changes, old_change, new_change) = assemble(&a, &b);
    let rows = rows(&a, &b, &old_change, &new_change);
    (changes, rows, alignment)
}

/// Merges both sides into reading order: at each point, deleted and moved-away old blocks
/// first, then inserted and moved-in new blocks, then the next pair (same or edited). Pairs
/// never cross, so the walk meets both halves of a pair together.
fn rows(
    a: &Side<'_>,
    b: &Side<'_>,
    old_change: &[Option<usize>],
    new_change: &[Option<usize>],
) -> Vec<Row> {
    let mut out = Vec::with_capacity(a.links.len().max(b.links.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.links.len() || j < b.links.len() {
        let row = |kind, old, new, change| Row {
            kind,
            old,
            new,
            change,
        };
        if let Some(link) = a
            .links
            .get(i)
            .filter(|l| matches!(l, Link::Alone | Link::Moved(_)))
        {
            out.push(match *link {
                Link::Moved(to) => row(RowKind::MovedFrom, Some(i), Some(to), new_change[to]),
                _ => row(RowKind::Deleted, Some(i), None, old_change[i]),
            });
            i += 1;
        } else if let Some(link) = b
            .links
            .get(j)
            .filter(|l| matches!(l, Link::Alone | Link::Moved(_)))
        {
            out.push(match *link {
                Link::Moved(from) => row(RowKind::MovedTo, Some(from), Some(j), new_change[j]),
                _ => row(RowKind::Inserted, None, Some(j), new_change[j]),
            });
            j += 1;
        } else {
            match (a.links.get(i), b.links.get(j)) {
                (Some(Link::Same(to)), Some(_)) if *to == j => {
                    out.push(row(RowKind::Same, Some(i), Some(j), None))
                }
                (Some(Link::Edited(to)), Some(_)) if *to == j => {
                    out.push(row(RowKind::Modified, Some(i), Some(j), new_change[j]))
                }
                // Unreachable while pairs do not cross; shown apart rather than paired wrongly.
                (Some(_), Some(_)) => {
                    out.push(row(RowKind::Same, Some(i), None, None));
                    out.push(row(RowKind::Same, None, Some(j), None));
                }
                (Some(_), None) => out.push(row(RowKind::Same, Some(i), None, None)),
                (None, Some(_)) => out.push(row(RowKind::Same, None, Some(j), None)),
                (None, None) => break,
            }
            i += 1;
            j += 1;
        }
    }
    out
}

/// The changed stretches between equal runs, as old and new index ranges.
fn hunks(ops: &[DiffOp]) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut current: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            out.extend(current.take());
            continue;
        }
        current = Some(match current {
            Some((co, cn)) => (co.start..o.end, cn.start..n.end),
            None => (o, n),
        });
    }
    out.extend(current);
    out
}

fn pair_hunk(
    a: &mut Side<'_>,
    b: &mut Side<'_>,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
) {
    if old.is_empty() || new.is_empty() {
        return;
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Pass 2: a heading level with one heading on each side is a rename.
    let is_heading = |s: &Side<'_>, i: usize| matches!(s.blocks[i].kind, BlockKind::Heading(_));
    let level_of = |s: &Side<'_>, i: usize| match s.blocks[i].kind {
        BlockKind::Heading(l) => l,
        _ => 0,
    };
    for level in 1..=12u8 {
        let ho: Vec<usize> = old.clone().filter(|&i| level_of(a, i) == level).collect();
        let hn: Vec<usize> = new.clone().filter(|&j| level_of(b, j) == level).collect();
        if ho.len() == 1 && hn.len() == 1 {
            try_pair(&mut pairs, ho[0], hn[0]);
        }
    }
    // Pass 3: best-first by similarity, without crossing; headings pair only with headings,
    // at the lower threshold, since a heading is a few words.
    let full = old.len() * new.len() <= MAX_PAIRS_PER_HUNK;
    let mut candidates = Vec::new();
    for i in old.clone() {
        if pairs.iter().any(|p| p.0 == i) {
            continue;
        }
        let rel = (i - old.start) * new.len() / old.len().max(1) + new.start;
        for j in new.clone() {
            if (!full && rel.abs_diff(j) > BAND) || is_heading(a, i) != is_heading(b, j) {
                continue;
            }
            let threshold = if is_heading(a, i) {
                POSITION_SIMILARITY
            } else {
                PAIR_SIMILARITY
            };
            let s = dice(&a.words[i], &b.words[j]);
            if s >= threshold {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in candidates {
        try_pair(&mut pairs, i, j);
    }
    // Pass 4: by position between pairs.
    pairs.sort_unstable();
    let mut bounds = vec![(old.start, new.start)];
    bounds.extend(pairs.iter().map(|&(i, j)| (i + 1, j + 1)));
    let mut ends: Vec<(usize, usize)> = pairs.clone();
    ends.push((old.end, new.end));
    let mut extra = Vec::new();
    for (&(os, ns), &(oe, ne)) in bounds.iter().zip(&ends) {
        if oe > os && oe - os == ne.saturating_sub(ns) {
            for (i, j) in (os..oe).zip(ns..ne) {
                let same_kind = a.blocks[i].kind == b.blocks[j].kind;
                if same_kind && dice(&a.words[i], &b.words[j]) >= POSITION_SIMILARITY {
                    extra.push((i, j));
                }
            }
        }
    }
    pairs.extend(extra);
    for (i, j) in pairs {
        a.links[i] = Link::Edited(j);
        b.links[j] = Link::Edited(i);
    }
}

/// Adds `(i, j)` unless either side is taken or it would cross an existing pair.
fn try_pair(pairs: &mut Vec<(usize, usize)>, i: usize, j: usize) {
    let clash = pairs
        .iter()
        .any(|&(pi, pj)| pi == i || pj == j || (pi < i) != (pj < j));
    if !clash {
        pairs.push((i, j));
    }
}

fn pair_moves(a: &mut Side<'_>, b: &mut Side<'_>) {
    let deleted: Vec<usize> = (0..a.links.len())
        .filter(|&i| a.links[i] == Link::Alone)
        .collect();
    let inserted: Vec<usize> = (0..b.links.len())
        .filter(|&j| b.links[j] == Link::Alone)
        .collect();
    if deleted.is_empty() || inserted.is_empty() {
        return;
    }
    // Identical blocks first, by key.
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for &j in inserted.iter().rev() {
        by_key.entry(b.keys[j]).or_default().push(j);
    }
    for &i in &deleted {
        if let Some(j) = by_key.get_mut(&a.keys[i]).and_then(Vec::pop) {
            a.links[i] = Link::Moved(j);
            b.links[j] = Link::Moved(i);
        }
    }
    // Then near-identical ones, best first, if the search stays affordable.
    let deleted: Vec<usize> = deleted
        .into_iter()
        .filter(|&i| a.links[i] == Link::Alone)
        .collect();
    let inserted: Vec<usize> = inserted
        .into_iter()
        .filter(|&j| b.links[j] == Link::Alone)
        .collect();
    if deleted.len() * inserted.len() > 4 * MAX_PAIRS_PER_HUNK {
        return;
    }
    let mut candidates = Vec::new();
    for &i in &deleted {
        if a.words[i].len() < MOVE_MIN_WORDS {
            continue;
        }
        for &j in &inserted {
            let (x, y) = (&a.words[i], &b.words[j]);
            let (short, long) = (x.len().min(y.len()), x.len().max(y.len()));
            if short < MOVE_MIN_WORDS || 3 * short < long {
                continue;
            }
            let shared = common(x, y);
            let s = 2.0 * shared as f64 / (x.len() + y.len()) as f64;
            // Near-identical, or one is the other with a sentence added or dropped: a moved
            // paragraph that lost a promise must read as a move with that deletion in it.
            let contained = short >= MOVE_CONTAINED_MIN_WORDS
                && shared as f64 >= MOVE_CONTAINMENT * short as f64
                && s >= PAIR_SIMILARITY;
            if s >= MOVE_SIMILARITY || contained {
                candidates.push((s, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in candidates {
        if a.links[i] == Link::Alone && b.links[j] == Link::Alone {
            a.links[i] = Link::Moved(j);
            b.links[j] = Link::Moved(i);
        }
    }
}

/// Which change each block of a side ended up in.
type ChangeOf = Vec<Option<usize>>;

/// Walks the new document in order, placing deletions before the next surviving block.
/// Also returns, per old and per new block, the index of the change that holds it.
fn assemble(a: &Side<'_>, b: &Side<'_>) -> (Vec<TextChange>, ChangeOf, ChangeOf) {
    let mut changes: Vec<TextChange> = Vec::new();
    let mut old_change: ChangeOf = vec![None; a.links.len()];
    let mut new_change: ChangeOf = vec![None; b.links.len()];
    let mut next_old = 0;
    let emit_deleted_until = |limit: usize,
                              changes: &mut Vec<TextChange>,
                              next_old: &mut usize,
                              old_change: &mut ChangeOf| {
        while *next_old < limit {
            let i = *next_old;
            *next_old += 1;
            if a.links[i] == Link::Alone {
                let (block, follows) = (&a.blocks[i], [end_before(a, i), None]);
                push_grouped(changes, TextChangeKind::Deleted, Some(block), None, follows);
                old_change[i] = Some(changes.len() - 1);
            }
        }
    };
    // For each new block, the old index of the next block that stayed in place.
    let mut next_anchor = vec![a.blocks.len(); b.links.len() + 1];
    for j in (0..b.links.len()).rev() {
        next_anchor[j] = match b.links[j] {
            Link::Same(i) | Link::Edited(i) => i,
            _ => next_anchor[j + 1],
        };
    }
    for (j, link) in b.links.iter().enumerate() {
        match *link {
            Link::Same(i) => {
                emit_deleted_until(i + 1, &mut changes, &mut next_old, &mut old_change)
            }
            Link::Edited(i) => {
                emit_deleted_until(i + 1, &mut changes, &mut next_old, &mut old_change);
                changes.push(modified(
                    TextChangeKind::Modified,
                    &a.blocks[i],
                    &b.blocks[j],
                ));
            }
            Link::Moved(i) => {
                emit_deleted_until(next_anchor[j], &mut changes, &mut next_old, &mut old_change);
                let (ob, nb) = (&a.blocks[i], &b.blocks[j]);
                if ob.norm == nb.norm {
                    let follows = [end_before(a, i), end_before(b, j)];
                    push_grouped(
                        &mut changes,
                        TextChangeKind::Moved,
                        Some(ob),
                        Some(nb),
                        follows,
                    );
                } else {
                    changes.push(modified(TextChangeKind::Moved, ob, nb));
                }
            }
            Link::Alone => {
                emit_deleted_until(next_anchor[j], &mut changes, &mut next_old, &mut old_change);
                push_grouped(
                    &mut changes,
                    TextChangeKind::Inserted,
                    None,
                    Some(&b.blocks[j]),
                    [None, end_before(b, j)],
                )
            }
        }
        if !matches!(link, Link::Same(_)) {
            new_change[j] = Some(changes.len() - 1);
        }
    }
    emit_deleted_until(a.blocks.len(), &mut changes, &mut next_old, &mut old_change);
    (changes, old_change, new_change)
}

fn lines(block: &Block) -> [u32; 2] {
    [block.lines.0, block.lines.1]
}

/// The last line of the block before block `k` of a side, if there is one.
fn end_before(side: &Side<'_>, k: usize) -> Option<u32> {
    k.checked_sub(1).map(|p| side.blocks[p].lines.1)
}

/// Appends a block to the previous change when it continues it, else starts a new change.
/// `follows` holds, per side, the last line of the block before `old` / `new` in its file.
fn push_grouped(
    changes: &mut Vec<TextChange>,
    kind: TextChangeKind,
    old: Option<&Block>,
    new: Option<&Block>,
    follows: [Option<u32>; 2],
) {
    if let Some(last) = changes.last_mut() {
        let starts_section = new
            .or(old)
            .is_some_and(|b| matches!(b.kind, BlockKind::Heading(_)));
        if last.kind == kind
            && !starts_section
            && last.words.is_empty()
            && continues(last.old_lines, old, follows[0])
            && continues(last.new_lines, new, follows[1])
        {
            if let (Some(range), Some(b)) = (last.old_lines.as_mut(), old) {
                range[1] = b.lines.1;
                append(&mut last.old_text, &b.text);
            }
            if let (Some(range), Some(b)) = (last.new_lines.as_mut(), new) {
                range[1] = b.lines.1;
                append(&mut last.new_text, &b.text);
            }
            return;
        }
    }
    let section = new.or(old).map(Block::section_label).unwrap_or_default();
    changes.push(TextChange {
        kind,
        section,
        old_lines: old.map(lines),
        new_lines: new.map(lines),
        old_text: old.map(|b| b.text.clone()),
        new_text: new.map(|b| b.text.clone()),
        words: Vec::new(),
    });
}

/// Whether `block` continues a change whose lines on its side are `range`: it must come right
/// after the change's last block (`before`, the end of the block preceding it, is the end of
/// the range), so that a block which stayed in place between two inserted or two deleted
/// ones splits them; and only blank lines may lie between.
fn continues(range: Option<[u32; 2]>, block: Option<&Block>, before: Option<u32>) -> bool {
    match (range, block) {
        (Some(r), Some(b)) => before == Some(r[1]) && b.lines.0 > r[1] && b.lines.0 <= r[1] + 3,
        (None, None) => true,
        _ => false,
    }
}

fn append(text: &mut Option<String>, more: &str) {
    if let Some(t) = text {
        t.push_str("\n\n");
        t.push_str(more);
    }
}

fn modified(kind: TextChangeKind, old: &Block, new: &Block) -> TextChange {
    TextChange {
        kind,
        section: new.section_label(),
        old_lines: Some(lines(old)),
        new_lines: Some(lines(new)),
        old_text: Some(old.text.clone()),
        new_text: Some(new.text.clone()),
        words: word_ops(&old.norm, &new.norm),
    }
}

/// Word-level operations turning `old` into `new`; consecutive tokens of one kind are merged.
///
/// Text is cut into words (letters and digits), runs of spaces, and single punctuation marks;
/// `similar` diffs those tokens with the patience algorithm.
pub fn word_ops(old: &str, new: &str) -> Vec<WordOp> {
    let (a, b) = (word_tokens(old), word_tokens(new));
    let mut ops: Vec<WordOp> = Vec::new();
    let mut push = |op: WordOpKind, tokens: &[&str]| {
        if tokens.is_empty() {
            return;
        }
        match ops.last_mut() {
            Some(last) if last.op == op => tokens.iter().for_each(|t| last.text.push_str(t)),
            _ => ops.push(WordOp {
                op,
                text: tokens.concat(),
            }),
        }
    };
    for op in similar::capture_diff_slices(Algorithm::Patience, &a, &b) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(WordOpKind::Equal, &a[old_range]),
            DiffTag::Delete => push(WordOpKind::Delete, &a[old_range]),
            DiffTag::Insert => push(WordOpKind::Insert, &b[new_range]),
            DiffTag::Replace => {
                push(WordOpKind::Delete, &a[old_range]);
                push(WordOpKind::Insert, &b[new_range]);
            }
        }
    }
    tidy_word_ops(ops)
}

/// Words, runs of white space, and single other characters, in order; they concatenate back
/// to the text.
fn word_tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Mark,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Mark
        }
    };
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut start = 0;
    let mut previous: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if previous.is_some_and(|p| p != k || k == Class::Mark) {
            out.push(&text[start..i]);
            start = i;
        }
        previous = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Merges edits separated only by a space into one replacement, so
/// `[-does not rent,-]{+may+}` reads as one change rather than a word-by-word zigzag.
/// Both texts stay rebuildable: the space goes into the deletion and the insertion.
fn tidy_word_ops(ops: Vec<WordOp>) -> Vec<WordOp> {
    let is_edit = |o: &WordOp| o.op != WordOpKind::Equal;
    let mut out: Vec<WordOp> = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        if !is_edit(&ops[i]) {
            out.push(ops[i].clone());
            i += 1;
            continue;
        }
        let mut j = i;
        while j < ops.len()
            && (is_edit(&ops[j])
                || (ops[j].text.trim().is_empty() && ops.get(j + 1).is_some_and(is_edit)))
        {
            j += 1;
        }
        let region = &ops[i..j];
        let has = |k: WordOpKind| region.iter().any(|o| o.op == k);
        if has(WordOpKind::Equal) && has(WordOpKind::Delete) && has(WordOpKind::Insert) {
            let side = |skip: WordOpKind| -> String {
                region
                    .iter()
                    .filter(|o| o.op != skip)
                    .map(|o| o.text.as_str())
                    .collect()
            };
            out.push(WordOp {
                op: WordOpKind::Delete,
                text: side(WordOpKind::Insert),
            });
            out.push(WordOp {
                op: WordOpKind::Insert,
                text: side(WordOpKind::Delete),
            });
        } else {
            out.extend(region.iter().cloned());
        }
        i = j;
    }
    out
}

fn hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// The block's words, lower-cased and hashed, sorted, for the overlap measure. Characters are
/// hashed as they are lower-cased, without building a string per word.
fn word_bag(norm: &str) -> Vec<u64> {
    let mut words: Vec<u64> = norm
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut h = FxHasher::default();
            for c in w.chars() {
                if c.is_ascii() {
                    h.write_u8(c.to_ascii_lowercase() as u8);
                } else {
                    c.to_lowercase().for_each(|l| h.write_u32(l as u32));
                }
            }
            h.finish()
        })
        .collect();
    words.sort_unstable();
    words
}

/// Dice coefficient of two sorted word bags: twice the shared words over all words.
fn dice(x: &[u64], y: &[u64]) -> f64 {
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    2.0 * common(x, y) as f64 / (x.len() + y.len()) as f64
}

/// How many words two sorted word bags share.
fn common(x: &[u64], y: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(ops: &[WordOp], keep: WordOpKind) -> String {
        ops.iter()
            .filter(|o| o.op == WordOpKind::Equal || o.op == keep)
            .map(|o| o.text.as_str())
            .collect()
    }

    #[test]
    fn word_ops_rebuild_both_sides_and_merge_replacements() {
        let old = "Metropolis does not rent, sell, or share personal information.";
        let new = "Metropolis may sell or share personal information.";
        let ops = word_ops(old, new);
        assert_eq!(rebuild(&ops, WordOpKind::Delete), old);
        assert_eq!(rebuild(&ops, WordOpKind::Insert), new);
        let edits: Vec<(WordOpKind, &str)> = ops
            .iter()
            .filter(|o| o.op != WordOpKind::Equal)
            .map(|o| (o.op, o.text.as_str()))
            .collect();
        assert_eq!(
            edits,
            [
                (WordOpKind::Delete, "does not rent,"),
                (WordOpKind::Insert, "may"),
                (WordOpKind::Delete, ",")
            ]
        );
    }

    #[test]
    fn word_tokens_concatenate_back() {
        let text = "We don't sell  page(s), e-mail… ok";
        assert_eq!(word_tokens(text).concat(), text);
        assert_eq!(word_tokens("a, b"), ["a", ",", " ", "b"]);
    }

    #[test]
    fn dice_counts_shared_words() {
        assert_eq!(dice(&word_bag("a b c"), &word_bag("a b c")), 1.0);
        assert_eq!(dice(&word_bag("a b"), &word_bag("c d")), 0.0);
    }
}
