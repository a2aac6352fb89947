//! Sentences, clauses and words. Chinese has no spaces, so a term such as
//! 神药 would otherwise be found inside 精神药品: the sentence around a
//! match is segmented with jieba (the process's one instance, [`crate::wordseg`],
//! loaded on first use and only when a file has a Chinese candidate) and
//! a match counts only when it starts and ends on word boundaries.
//! English words are runs of ASCII letters, digits and apostrophes.

use crate::wordseg::jieba;

/// Ends a sentence: negation, speaker and quotation are judged within one.
/// A Markdown table cell (`|`) is a sentence of its own: a product named in
/// one cell (网上流传的偏方…) is not the speaker of the row's other cells.
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '…' | '|'
    )
}

/// Ends a clause: negation reaches only the rest of its clause.
fn ends_clause(c: char) -> bool {
    ends_sentence(c)
        || matches!(
            c,
            '，' | ',' | '、' | '：' | ':' | '（' | '）' | '(' | ')' | '—' | '·'
        )
}

/// Byte range of the sentence around `at` in `text`. An English full stop
/// ends a sentence when a space or the end follows it.
pub fn sentence(text: &str, at: usize) -> (usize, usize) {
    let is_end = |i: usize, c: char| {
        ends_sentence(c) || c == '.' && text[i + 1..].chars().next().is_none_or(char::is_whitespace)
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_end(i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|&(i, c)| is_end(at + i, c))
        .map_or(text.len(), |(i, _)| at + i);
    (start, end)
}

/// Byte offset where the clause holding `at` starts, not before `floor`.
pub fn clause_start(text: &str, floor: usize, at: usize) -> usize {
    text[floor..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends_clause(c))
        .map_or(floor, |(i, c)| floor + i + c.len_utf8())
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// One word of a sentence, with its byte range in the whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The words of `text[start..end]`: jieba for Chinese runs, ASCII words
/// lowercased by the caller when compared; punctuation and spaces dropped.
pub fn words(text: &str, start: usize, end: usize) -> Vec<Word<'_>> {
    let slice = &text[start..end];
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    fn flush<'t>(text: &'t str, from: usize, to: usize, out: &mut Vec<Word<'t>>) {
        for token in jieba().cut(&text[from..to], true) {
            out.push(Word {
                text: &text[from + token.byte_start..from + token.byte_end],
                start: from + token.byte_start,
                end: from + token.byte_end,
            });
        }
    }
    let mut ascii_start: Option<usize> = None;
    for (i, c) in slice.char_indices() {
        let cjk = is_cjk(c);
        let ascii_word = c.is_ascii_alphanumeric() || c == '\'' || c == '%';
        if !cjk {
            if let Some(from) = run_start.take() {
                flush(text, start + from, start + i, &mut out);
            }
        } else if run_start.is_none() {
            run_start = Some(i);
        }
        if !ascii_word {
            if let Some(from) = ascii_start.take() {
                out.push(Word {
                    text: &slice[from..i],
                    start: start + from,
                    end: start + i,
                });
            }
        } else if ascii_start.is_none() {
            ascii_start = Some(i);
        }
    }
    if let Some(from) = run_start {
        flush(text, start + from, end, &mut out);
    }
    if let Some(from) = ascii_start {
        out.push(Word {
            text: &slice[from..],
            start: start + from,
            end,
        });
    }
    out.sort_by_key(|w| w.start);
    out
}

/// True when `[start, end)` begins and ends on word boundaries of `words`
/// (which cover the sentence around it).
pub fn on_word_boundaries(words: &[Word], start: usize, end: usize) -> bool {
    let starts = words.iter().any(|w| w.start == start);
    let ends = words.iter().any(|w| w.end == end);
    starts && ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_inside_a_longer_word_is_not_on_boundaries() {
        let text = "本品属于精神药品，请遵医嘱。";
        let (s, e) = sentence(text, 0);
        let w = words(text, s, e);
        let at = text.find("神药").unwrap();
        assert!(!on_word_boundaries(&w, at, at + "神药".len()));
        let text = "这是一种神药";
        let w = words(text, 0, text.len());
        let at = text.find("神药").unwrap();
        assert!(on_word_boundaries(&w, at, at + "神药".len()));
    }

    #[test]
    fn sentences_and_clauses() {
        let text = "第一句。没有副作用，一次根治！Next one. Last";
        let at = text.find("根治").unwrap();
        let (s, e) = sentence(text, at);
        assert_eq!(&text[s..e], "没有副作用，一次根治");
        assert_eq!(&text[clause_start(text, s, at)..at], "一次");
        let at = text.find("one").unwrap();
        let (s, e) = sentence(text, at);
        assert_eq!(&text[s..e], "Next one");
    }
}
