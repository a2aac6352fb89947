//! Rates however they are written: 95%, 百分之九十五, 八成以上, 十之八九,
//! 三分之二, "four in five", "9 out of 10". A number alone is not a claim
//! (生物利用率 100%, 1 in 10 people get side effects); the linter pairs it
//! with an outcome word or a rate word in the same sentence (see `rates`
//! in mod.rs), and 100% with an outcome is an absolute claim.

use std::sync::OnceLock;

use regex::Regex;

const CN_DIGITS: &str = "零〇一二三四五六七八九十百两";
const EN_NUMBERS: &str =
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]{1,3}";

fn rate_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let cn = format!("[{CN_DIGITS}]");
        let pattern = [
            r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s?(?:%|％|‰)".to_string(),
            r"(?i:[0-9]+(?:\.[0-9]+)?\s?(?:percent|per cent))".to_string(),
            format!(r"(?i:\b(?:{EN_NUMBERS}|a hundred|one hundred)\s(?:percent|per cent)\b)"),
            format!("百分之(?:百|{cn}+(?:点{cn}+)?|[0-9]+(?:\\.[0-9]+)?)"),
            "百分百".to_string(),
            format!("{cn}{{1,3}}成(?:以上|多|左右)?"),
            "十之八九|十有八九|十拿九稳".to_string(),
            format!("{cn}+分之{cn}+"),
            format!(r"(?i:\b(?:{EN_NUMBERS})\s(?:in|out of)\s(?:{EN_NUMBERS})\b)"),
        ]
        .join("|");
        Regex::new(&pattern).expect("rate pattern is a valid regex")
    })
}

/// A rate expression found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub start: usize,
    pub end: usize,
    /// 100%, 百分之百, 百分百, 十成: an absolute.
    pub whole: bool,
}

pub fn rates(text: &str) -> Vec<Rate> {
    rate_regex()
        .find_iter(text)
        .filter(|m| {
            // 一成不变 and 七成熟 are not rates; 成 must end a number word.
            let after = &text[m.end()..];
            !(m.as_str().ends_with('成') && (after.starts_with("不变") || after.starts_with('熟')))
        })
        .filter(|m| super::ascii_word_bounded(text, m.start(), m.end()))
        .map(|m| {
            let s = m.as_str().to_ascii_lowercase();
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let whole = matches!(s.as_str(), "百分之百" | "百分百" | "十成")
                || s.contains("hundred")
                || digits.trim_start_matches('0') == "100" && !s.contains('.');
            Rate {
                start: m.start(),
                end: m.end(),
                whole,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        rates(text).iter().map(|r| &text[r.start..r.end]).collect()
    }

    #[test]
    fn every_way_of_writing_a_rate() {
        assert_eq!(found("有效率95%"), ["95%"]);
        assert_eq!(found("百分之九十五的患者"), ["百分之九十五"]);
        assert_eq!(found("八成以上患者"), ["八成以上"]);
        assert_eq!(found("十之八九能好"), ["十之八九"]);
        assert_eq!(found("三分之二的人"), ["三分之二"]);
        assert_eq!(found("four in five users"), ["four in five"]);
        assert_eq!(found("9 out of 10 patients"), ["9 out of 10"]);
        assert!(found("一成不变").is_empty());
        assert!(rates("100%有效")[0].whole);
        assert!(!rates("99.9%")[0].whole);
        assert!(rates("百分之百安全")[0].whole);
    }
}
