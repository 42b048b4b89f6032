//! Word streams: is a changed sentence's wording still there, word for word, in the other text?
//!
//! The redline works on blocks and the review on sentences, so a change of layout alone can
//! make a sentence look changed: a heading run into the sentence that follows it (or set
//! apart from it), a paragraph of `•` items made a Markdown list, emphasis markers that
//! swallowed a full stop, a list item's label moved onto the next line. In each case the
//! *words*, read in document order, are the same.
//!
//! So each text is read as one stream of words (runs of letters and digits, lower case;
//! punctuation, markup and line breaks are no words), headings included, and a sentence is
//! **intact** when its words stand as one unbroken run in the other text's stream at least as
//! often as in its own. The count keeps a sentence written once more than before (a paragraph
//! copied for a second provider) a new sentence. Sentences of fewer than [`MIN_WORDS`] words
//! are never intact: "No." is everywhere.
//!
//! Words are hashed (FNV-1a over the UTF-8 of their lower-case characters) rather than
//! stored; two words with the same 64-bit hash would have to collide inside a sentence-long
//! run for a sentence to be called intact wrongly.
use crate::policy::Policy;

/// A sentence of fewer words than this is never intact (see the module doc).
pub(super) const MIN_WORDS: usize = 3;

/// One text's words, in order, with where each word stands.
pub(super) struct Stream {
    words: Vec<u64>,
    /// (word, position) for every word, sorted: the places of a word are one run.
    at: Vec<(u64, u32)>,
}

impl Stream {
    /// The words of every block of `policy`, headings included, in document order.
    pub(super) fn of(policy: &Policy) -> Stream {
        let mut words = Vec::new();
        for block in &policy.blocks {
            words.extend(word_hashes(&block.text));
        }
        let mut at: Vec<(u64, u32)> = words
            .iter()
            .enumerate()
            .map(|(k, &w)| (w, k as u32))
            .collect();
        at.sort_unstable();
        Stream { words, at }
    }

    /// The positions of `word`, in order.
    fn places(&self, word: u64) -> &[(u64, u32)] {
        let from = self.at.partition_point(|&(w, _)| w < word);
        let to = self.at.partition_point(|&(w, _)| w <= word);
        &self.at[from..to]
    }

    /// How often `run` stands, word for word, in this stream.
    pub(super) fn count(&self, run: &[u64]) -> usize {
        // Look only where the run's rarest word stands.
        let Some((offset, places)) = run
            .iter()
            .enumerate()
            .map(|(k, &w)| (k, self.places(w)))
            .min_by_key(|(_, places)| places.len())
        else {
            return 0;
        };
        places
            .iter()
            .filter(|&&(_, p)| {
                let p = p as usize;
                p >= offset
                    && self
                        .words
                        .get(p - offset..p - offset + run.len())
                        .is_some_and(|here| here == run)
            })
            .count()
    }
}

/// Whether a sentence of `own` is still there, word for word, in `other` (see the module doc).
pub(super) fn intact(text: &str, own: &Stream, other: &Stream) -> bool {
    let run: Vec<u64> = word_hashes(text).collect();
    run.len() >= MIN_WORDS && other.count(&run) >= own.count(&run).max(1)
}

/// The hashes of the words of `text`: runs of alphanumeric characters, lower-cased.
fn word_hashes(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mix = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            let start: u64 = 0xcbf2_9ce4_8422_2325;
            // Most words are ASCII: their bytes, lower-cased, are the UTF-8 of the lower case.
            if w.is_ascii() {
                return w.bytes().fold(start, |h, b| mix(h, b.to_ascii_lowercase()));
            }
            let mut buf = [0u8; 4];
            w.chars()
                .flat_map(char::to_lowercase)
                .fold(start, |h, c| c.encode_utf8(&mut buf).bytes().fold(h, mix))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse;

    fn stream(md: &str) -> Stream {
        Stream::of(&parse("p.md", md, String::new()))
    }

    #[test]
    fn a_heading_run_into_a_sentence_is_intact_once_set_apart() {
        let old =
            stream("We use Chatfuel.Updates to this policy We keep this policy under review.\n");
        let new = stream(
            "We use Chatfuel.\n\n## Updates to this policy\n\nWe keep this policy under review.\n",
        );
        let sentence = "Updates to this policy We keep this policy under review.";
        assert!(intact(sentence, &old, &new));
        assert!(intact("We keep this policy under review.", &new, &old));
    }

    #[test]
    fn a_sentence_with_a_word_changed_or_written_once_more_is_not_intact() {
        let old = stream("We keep logs for thirty days.\n");
        let new = stream("We keep logs for ninety days.\n");
        assert!(!intact("We keep logs for ninety days.", &new, &old));
        let twice = stream("We keep logs for thirty days.\n\nWe keep logs for thirty days.\n");
        assert!(!intact("We keep logs for thirty days.", &twice, &old));
        assert!(intact("We keep logs for thirty days.", &old, &twice));
    }

    #[test]
    fn words_are_letters_and_digits_of_any_script_in_any_case() {
        let words = |t: &str| word_hashes(t).collect::<Vec<_>>();
        assert_eq!(words("Über  DATEN, 2x!"), words("über daten 2X"));
        assert_eq!(words("Über daten").len(), 2);
        assert_ne!(words("uber"), words("über"));
        assert!(words(" — ... ").is_empty());
    }

    #[test]
    fn short_sentences_are_never_intact() {
        let old = stream("No. We do not.\n");
        assert!(!intact("No.", &old, &old));
    }
}
