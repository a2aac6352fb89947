//! Reading-time estimate shown on article cards. Chinese text has no spaces,
//! so words cannot be counted the English way: CJK characters (Han, kana,
//! hangul) are counted one by one at ~400 per minute and runs of other letters
//! and digits as words at ~230 per minute, which mixed zh/en articles need.
//!
//! The counter is fed text piece by piece during the Markdown event pass so no
//! separate plain-text copy of the article is ever built.

use super::ReadingStats;

const CJK_PER_MINUTE: u64 = 400;
const WORDS_PER_MINUTE: u64 = 230;

#[derive(Default)]
pub(crate) struct Counter {
    cjk: usize,
    words: usize,
    in_word: bool,
}

impl Counter {
    pub fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    self.letter();
                } else if !(c == '\'' && self.in_word) {
                    // `don't` is one word; any other ASCII ends the word.
                    self.in_word = false;
                }
            } else if is_cjk(c) {
                self.cjk += 1;
                self.in_word = false;
            } else if c.is_alphanumeric() {
                self.letter();
            } else if !(c == '\u{2019}' && self.in_word) {
                self.in_word = false;
            }
        }
    }

    /// Marks a break between pieces that are not joined on screen (paragraph
    /// ends, table cells), so `foo` + `bar` in two cells count as two words.
    pub fn boundary(&mut self) {
        self.in_word = false;
    }

    fn letter(&mut self) {
        if !self.in_word {
            self.words += 1;
            self.in_word = true;
        }
    }

    pub fn finish(&self) -> ReadingStats {
        // ceil(cjk/400 + words/230) in integers, so results never depend on
        // floating-point rounding.
        let numerator = self.cjk as u64 * WORDS_PER_MINUTE + self.words as u64 * CJK_PER_MINUTE;
        let denominator = CJK_PER_MINUTE * WORDS_PER_MINUTE;
        let minutes = numerator.div_ceil(denominator).max(1);
        ReadingStats {
            cjk_chars: self.cjk,
            words: self.words,
            minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han unified
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF66..=0xFF9D    // half-width Katakana
        | 0x20000..=0x2FA1F  // Han extensions B-F, compatibility supplement
        | 0x30000..=0x323AF  // Han extensions G-H
    )
}

/// Reading statistics of arbitrary plain text (e.g. a summary).
pub fn reading_stats(text: &str) -> ReadingStats {
    let mut counter = Counter::default();
    counter.feed(text);
    counter.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_counts_characters_not_punctuation() {
        let s = reading_stats("儿童发热，怎么办？多喝水。");
        assert_eq!((s.cjk_chars, s.words, s.minutes), (10, 0, 1));
        let long = "发".repeat(801);
        assert_eq!(reading_stats(&long).minutes, 3);
    }

    #[test]
    fn english_words_and_mixed_text() {
        let s = reading_stats("Don't give aspirin to children under 16.");
        assert_eq!((s.cjk_chars, s.words), (0, 7));
        let s = reading_stats("服用COVID-19疫苗 2 次");
        assert_eq!((s.cjk_chars, s.words), (5, 3));
        let words = "word ".repeat(461);
        assert_eq!(reading_stats(&words).minutes, 3);
        assert_eq!(reading_stats("").minutes, 1);
    }
}
