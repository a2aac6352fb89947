//! Patient identifiers: resident ID numbers, mobile numbers, e-mail addresses
//! and record numbers. They are shapes, not words, so they live in code; one
//! regex finds candidates for all four and code then checks what a regex
//! without lookaround cannot: digit boundaries (a phone number inside
//! 13800138000123 or a sha256 hex string is not a phone number) and the ID
//! number's MOD 11-2 check digit (a random 18-digit number is not an ID).

use regex::Regex;

use super::{ascii_word_bounded, Hit};

/// Detector names used by `detector:` in builtin_rules.yaml, in the order of
/// `IdentifierMatcher::rule_for`.
pub(crate) const DETECTORS: [&str; 4] = ["resident-id", "mobile-phone", "email", "record-number"];
const RESIDENT_ID: usize = 0;
const MOBILE_PHONE: usize = 1;
const EMAIL: usize = 2;
const RECORD_NUMBER: usize = 3;

/// Alternation order matters (leftmost-first): an e-mail whose local part is
/// a phone number (13800138000@163.com) is reported once, as an e-mail, and an
/// 18-digit ID is tried before the phone shape that matches its first digits.
/// `[0-9]` rather than `\d`, which is Unicode-wide in the regex crate.
const PATTERN: &str = concat!(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    r"|(?:住院号|病案号|门诊号|病历号|床号)[ \t]*[:：]?[ \t]*[A-Za-z]{0,3}[0-9]+",
    r"|[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]",
    r"|(?:\+86[ -]?)?1[3-9][0-9](?:[0-9]{8}|-[0-9]{4}-[0-9]{4}| [0-9]{4} [0-9]{4})",
);

pub(crate) struct IdentifierMatcher {
    regex: Regex,
    /// Index of the enabled rule reporting each detector, None if disabled.
    rule_for: [Option<usize>; 4],
}

impl IdentifierMatcher {
    pub fn new(rule_for: [Option<usize>; 4]) -> IdentifierMatcher {
        IdentifierMatcher {
            regex: Regex::new(PATTERN).expect("identifier pattern is a valid regex"),
            rule_for,
        }
    }

    pub fn find<'a>(&'a self, text: &str, out: &mut Vec<Hit<'a>>) {
        if self.rule_for.iter().all(Option::is_none) {
            return;
        }
        // A rejected candidate is never resumed inside: it was rejected for
        // touching more digits or letters, and anything inside it does too.
        for m in self.regex.find_iter(text) {
            let Some(kind) = classify(m.as_str()) else {
                continue;
            };
            let Some(rule) = self.rule_for[kind] else {
                continue;
            };
            let numeric = kind == RESIDENT_ID || kind == MOBILE_PHONE;
            if numeric && !ascii_word_bounded(text, m.start(), m.end()) {
                continue;
            }
            out.push(Hit {
                start: m.start(),
                end: m.end(),
                rule,
                hint: None,
            });
        }
    }
}

/// Which detector produced a candidate, or None for an ID-shaped number
/// whose check digit is wrong.
fn classify(matched: &str) -> Option<usize> {
    if matched.contains('@') {
        Some(EMAIL)
    } else if !matched.starts_with(|c: char| c.is_ascii()) {
        Some(RECORD_NUMBER)
    } else if matched.len() == 18 && matched.as_bytes()[..17].iter().all(u8::is_ascii_digit) {
        resident_id_checksum_ok(matched).then_some(RESIDENT_ID)
    } else {
        Some(MOBILE_PHONE)
    }
}

/// GB 11643-1999 check digit (ISO 7064 MOD 11-2).
pub(crate) fn resident_id_checksum_ok(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    bytes[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_the_standard_examples() {
        assert!(resident_id_checksum_ok("11010519491231002X"));
        assert!(resident_id_checksum_ok("11010519491231002x"));
        assert!(resident_id_checksum_ok("370101190102039973"));
        assert!(!resident_id_checksum_ok("110105194912310021"));
        assert!(!resident_id_checksum_ok("370101190102039974"));
    }

    #[test]
    fn classify_by_shape() {
        assert_eq!(classify("a@b.cn"), Some(EMAIL));
        assert_eq!(classify("住院号：123"), Some(RECORD_NUMBER));
        assert_eq!(classify("13800138000"), Some(MOBILE_PHONE));
        assert_eq!(classify("110105194912310021"), None);
    }
}
