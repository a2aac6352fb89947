//! Patient identifiers: resident ID numbers (18-digit with their MOD 11-2
//! check digit, legacy 15-digit with a valid birth date), mobile numbers,
//! e-mail addresses, record numbers, WeChat IDs, and the English-locale
//! ones (UK mobiles and NHS numbers, US Social Security numbers and
//! phones, medical record numbers). They are shapes, not words, so they live
//! in code. Spaces, dashes and dots inside a number are normalised away,
//! and a keyword may be followed by 为/是/：/# before its number. The site's
//! own published contacts (`contact:` in site.yaml) are never reported, and
//! toll-free and helpline numbers are public by nature.

use std::sync::OnceLock;

use regex::Regex;

use super::rules::Tier;
use super::{ascii_word_bounded, Hit};

/// Detector names used by `detector:` in builtin_rules.yaml, in the order of
/// `IdentifierMatcher::rule_for`.
pub(crate) const DETECTORS: [&str; 7] = [
    "resident-id",
    "mobile-phone",
    "email",
    "record-number",
    "wechat-id",
    "foreign-id",
    "foreign-phone",
];
const RESIDENT_ID: usize = 0;
const MOBILE_PHONE: usize = 1;
const EMAIL: usize = 2;
const RECORD_NUMBER: usize = 3;
const WECHAT: usize = 4;
const FOREIGN_ID: usize = 5;
const FOREIGN_PHONE: usize = 6;

/// Between a keyword and its value: spaces, 为/是/：/#/号/码 and "is".
const GAP: &str = r"[ \t]*(?:号码|号|码|ID|id)?(?:[ \t]|为|是|：|:|#|＃|=|is){0,4}";
/// A run of digits with single spaces, dashes or dots inside.
const DIGITS: &str = r"[0-9](?:[ \-.]?[0-9])*";

struct Shapes {
    /// One alternation, each kind in its own named group.
    any: Regex,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let parts = [
            r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})".to_string(),
            format!(
                r"(?P<idkw>(?:居民)?身份证|证件|ID card|identity card){GAP}(?P<idval>{DIGITS}[ \-]?[0-9Xx]?)"
            ),
            format!(
                r"(?P<reckw>住院号|病案号|门诊号|病历号|床号|就诊卡号|就诊号|医保卡号|社保卡号|诊疗卡号|检查号|影像号|登记号){GAP}(?P<recval>[A-Za-z]{{0,3}}-?[0-9][0-9\-]*)"
            ),
            format!(
                r"(?P<wxkw>微信|VX|vx|Vx|WX|wx|weixin|WeChat|Wechat|wechat|加V|加v|V信|v信|薇信){GAP}(?P<wxval>[A-Za-z][-_A-Za-z0-9]{{5,19}}|1[3-9][0-9]{{9}})"
            ),
            format!(
                r"(?P<fkw>(?i:NHS (?:number|no\.?)|SSN|social security (?:number|no\.?)|MRN|medical record (?:number|no\.?)|hospital (?:number|no\.?)|patient (?:ID|number|no\.?))){GAP}(?P<fval>[A-Za-z]{{0,3}}[0-9](?:[ \-]?[0-9]){{3,}})"
            ),
            r"(?P<ssn>[0-9]{3}-[0-9]{2}-[0-9]{4})".to_string(),
            r"(?P<ukmob>(?:\+44[ ]?|0)7[0-9]{3}[ ]?[0-9]{3}[ ]?[0-9]{3})".to_string(),
            r"(?P<uktel>(?:\+44[ ]?|0)[12][0-9]{1,3}[ ]?[0-9]{3,4}[ ]?[0-9]{3,4})".to_string(),
            r"(?P<nhs>[0-9]{3} [0-9]{3} [0-9]{4})".to_string(),
            // The country code may be written without its plus (1-800-784-8669).
            r"(?P<usph>(?:\+1[ .\-]?|1[ .\-])?(?:\([2-9][0-9]{2}\)[ ]?|[2-9][0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4})".to_string(),
            format!(r"(?P<num>(?:(?:\+|00)86[ \-]?)?{DIGITS}[Xx]?)"),
        ];
        Shapes {
            any: Regex::new(&parts.join("|")).expect("identifier patterns are valid"),
        }
    })
}

pub(crate) struct IdentifierMatcher {
    /// Index of the enabled rule reporting each detector, None if disabled.
    rule_for: [Option<usize>; DETECTORS.len()],
    /// The site's contacts, normalised (lowercase, or digits only).
    contacts: Vec<String>,
}

/// Digits only (and a final X), for comparing numbers however written.
fn digits(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn normalise_contact(c: &str) -> String {
    if c.contains('@') {
        c.trim().to_lowercase()
    } else {
        let d = digits(c);
        d.strip_prefix("86")
            .filter(|r| r.len() == 11)
            .map_or(d.clone(), str::to_string)
    }
}

impl IdentifierMatcher {
    pub fn new(
        rule_for: [Option<usize>; DETECTORS.len()],
        contacts: &[String],
    ) -> IdentifierMatcher {
        IdentifierMatcher {
            rule_for,
            contacts: contacts
                .iter()
                .flat_map(|c| c.split([',', ';', '，', '；', '/']))
                .flat_map(|c| {
                    // A contact line may hold several: "电话 0731-1234567 邮箱 a@b.cn".
                    let mut found: Vec<String> = shapes()
                        .any
                        .find_iter(c)
                        .map(|m| normalise_contact(m.as_str()))
                        .collect();
                    found.push(normalise_contact(c));
                    found
                })
                .filter(|c| c.len() >= 5)
                .collect(),
        }
    }

    fn is_contact(&self, value: &str) -> bool {
        let n = normalise_contact(value);
        self.contacts
            .iter()
            .any(|c| *c == n || (n.len() >= 7 && c.ends_with(&n)))
    }

    pub fn find<'a>(&'a self, text: &str, out: &mut Vec<Hit<'a>>) {
        if self.rule_for.iter().all(Option::is_none) {
            return;
        }
        for caps in shapes().any.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let Some((kind, value, tier)) = classify(text, &caps) else {
                continue;
            };
            if self.is_contact(value) {
                continue;
            }
            let Some(rule) = self.rule_for[kind] else {
                continue;
            };
            out.push(Hit {
                start: whole.start(),
                end: whole.end(),
                rule,
                hint: None,
                tier: Some(tier),
                literal: false,
                detail: None,
            });
        }
    }
}

/// Words in the sentence that make an e-mail or phone someone's own.
const PERSONAL: [&str; 17] = [
    "患者",
    "病人",
    "家属",
    "女士",
    "先生",
    "阿姨",
    "大爷",
    "本人",
    "patient",
    "his ",
    "her ",
    "mr ",
    "mrs ",
    "ms ",
    "call john",
    "about his",
    "about her",
];

/// Words that make a Chinese landline a patient's or a relative's (a
/// hospital's own contact line often names its contact, 王先生, so the
/// polite titles alone are not enough for a landline).
const PATIENT: [&str; 5] = ["患者", "病人", "家属", "本人", "病友"];

fn patient_context(text: &str, start: usize) -> bool {
    let (s, e) = super::segment::sentence(text, start);
    PATIENT.iter().any(|p| text[s..e].contains(p))
}

fn personal_context(text: &str, start: usize) -> bool {
    let (s, e) = super::segment::sentence(text, start);
    let sentence = text[s..e].to_lowercase();
    PERSONAL.iter().any(|p| sentence.contains(p))
}

/// Which detector a candidate belongs to, its value and its tier; None for
/// a number that is no identifier (a year, a dose, a checksum failure).
fn classify<'t>(text: &'t str, caps: &regex::Captures<'t>) -> Option<(usize, &'t str, Tier)> {
    let whole = caps.get(0)?;
    let bounded = ascii_word_bounded(text, whole.start(), whole.end());
    if let Some(m) = caps.name("email") {
        let tier = if personal_context(text, m.start()) {
            Tier::Error
        } else {
            Tier::Warning
        };
        return Some((EMAIL, m.as_str(), tier));
    }
    if let Some(v) = caps.name("idval") {
        let d = digits(v.as_str());
        return (d.len() == 15 || d.len() == 18).then_some((RESIDENT_ID, v.as_str(), Tier::Error));
    }
    if let Some(v) = caps.name("recval") {
        return Some((RECORD_NUMBER, v.as_str(), Tier::Error));
    }
    if let Some(v) = caps.name("wxval") {
        // An official account (公众号, 服务号) is published on purpose.
        let before = &text[..whole.start()];
        let tail: String = before
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if ["公众号", "服务号", "订阅号", "视频号", "官方"]
            .iter()
            .any(|k| tail.contains(k))
            || text[whole.start()..].starts_with("微信公众")
        {
            return None;
        }
        return Some((WECHAT, v.as_str(), Tier::Error));
    }
    if let Some(v) = caps.name("fval") {
        return Some((FOREIGN_ID, v.as_str(), Tier::Error));
    }
    if !bounded {
        return None;
    }
    if let Some(m) = caps.name("ssn") {
        let d = digits(m.as_str());
        let (area, group, serial) = (&d[..3], &d[3..5], &d[5..]);
        let valid = area != "000"
            && area != "666"
            && !area.starts_with('9')
            && group != "00"
            && serial != "0000";
        return valid.then_some((FOREIGN_ID, m.as_str(), Tier::Error));
    }
    if let Some(m) = caps.name("ukmob") {
        return Some((FOREIGN_PHONE, m.as_str(), Tier::Error));
    }
    if let Some(m) = caps.name("uktel") {
        // A UK landline is usually a surgery's or a helpline's: an error
        // only beside a person, otherwise a review note.
        let tier = if personal_context(text, m.start()) {
            Tier::Error
        } else {
            Tier::Warning
        };
        return Some((FOREIGN_PHONE, m.as_str(), tier));
    }
    if let Some(m) = caps.name("nhs") {
        return nhs_checksum_ok(&digits(m.as_str())).then_some((
            FOREIGN_ID,
            m.as_str(),
            Tier::Error,
        ));
    }
    if let Some(m) = caps.name("usph") {
        let d = digits(m.as_str());
        let area = &d[d.len() - 10..d.len() - 7];
        if ["800", "888", "877", "866", "855", "844", "833"].contains(&area) {
            return None;
        }
        let tier = if personal_context(text, m.start()) {
            Tier::Error
        } else {
            Tier::Warning
        };
        return Some((FOREIGN_PHONE, m.as_str(), tier));
    }
    let m = caps.name("num")?;
    let raw = m.as_str();
    let d = digits(raw);
    let national = d
        .strip_prefix("0086")
        .or_else(|| {
            d.strip_prefix("86")
                .filter(|r| r.len() == 11 && raw.starts_with('+'))
        })
        .unwrap_or(&d);
    if national.len() == 11
        && national.starts_with('1')
        && (b'3'..=b'9').contains(&national.as_bytes()[1])
    {
        return Some((MOBILE_PHONE, raw, Tier::Error));
    }
    // A landline (0 + area code + 7 or 8 digits) is a patient's only
    // beside a patient or a relative; otherwise it is a clinic's or a
    // helpline's, published on purpose.
    if (10..=12).contains(&d.len())
        && d.starts_with('0')
        && !d.starts_with("00")
        && !raw.contains('.')
        && patient_context(text, m.start())
    {
        return Some((MOBILE_PHONE, raw, Tier::Error));
    }
    if d.len() == 18 && resident_id_checksum_ok(&d) {
        return Some((RESIDENT_ID, raw, Tier::Error));
    }
    if d.len() == 15 && legacy_id_ok(&d) && !raw.contains('.') {
        return Some((RESIDENT_ID, raw, Tier::Error));
    }
    None
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

/// GB 11643-1989: a province code (11-82), then YYMMDD, then 3 digits.
fn legacy_id_ok(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 15 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    (11..=82).contains(&n(0)) && (1..=12).contains(&n(8)) && (1..=31).contains(&n(10))
}

/// NHS number: 10 digits, the last a MOD 11 check digit (weights 10..2).
fn nhs_checksum_ok(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 {
        return false;
    }
    let sum: u32 = (0..9)
        .map(|i| u32::from(b[i] - b'0') * (10 - i as u32))
        .sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(b[9] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Tier)> {
        let m = IdentifierMatcher::new(
            [
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
            ],
            &["0731-85540376".into(), "health@example.org".into()],
        );
        let mut out = Vec::new();
        m.find(text, &mut out);
        out.iter().map(|h| (h.rule, h.tier.unwrap())).collect()
    }

    #[test]
    fn checksums() {
        assert!(resident_id_checksum_ok("11010519491231002X"));
        assert!(!resident_id_checksum_ok("110105194912310021"));
        assert!(nhs_checksum_ok("9434765919"));
        assert!(!nhs_checksum_ok("9434765918"));
        assert!(legacy_id_ok("110105491231002"));
    }

    #[test]
    fn every_shape_and_separator() {
        let e = Tier::Error;
        assert_eq!(kinds("电话138-1234-5678"), [(MOBILE_PHONE, e)]);
        assert_eq!(kinds("+86 138 1234 5678"), [(MOBILE_PHONE, e)]);
        assert_eq!(kinds("身份证号为 110105 19491231 002X"), [(RESIDENT_ID, e)]);
        assert_eq!(kinds("身份证：110105491231002"), [(RESIDENT_ID, e)]);
        assert_eq!(kinds("住院号#A123456"), [(RECORD_NUMBER, e)]);
        assert_eq!(kinds("加微信：zhang_san88"), [(WECHAT, e)]);
        assert_eq!(kinds("NHS number: 943 476 5919"), [(FOREIGN_ID, e)]);
        assert_eq!(kinds("SSN 123-45-6789"), [(FOREIGN_ID, e)]);
        assert_eq!(kinds("MRN: 00123456"), [(FOREIGN_ID, e)]);
        assert_eq!(kinds("call 07700 900123"), [(FOREIGN_PHONE, e)]);
        assert_eq!(kinds("patient John, (415) 555-0134"), [(FOREIGN_PHONE, e)]);
        assert_eq!(kinds("患者家属电话：0755-2345 6789"), [(MOBILE_PHONE, e)]);
    }

    #[test]
    fn public_numbers_are_left_alone() {
        assert!(kinds("联系电话：0731-85540376，邮箱 health@example.org").is_empty());
        assert!(kinds("CDC-INFO 800-232-4636").is_empty());
        // Toll-free with its country code, not a mainland mobile (1800…).
        assert!(kinds("call 1-800-QUIT-NOW (1-800-784-8669)").is_empty());
        // A helpline's or a clinic's landline, even with a contact person.
        assert!(kinds("心理援助热线0394-8368120，24小时开通").is_empty());
        assert!(kinds("咨询电话 0731-8888 1234，联系人王先生").is_empty());
        assert!(kinds("关注微信公众号：renxin_health").is_empty());
        assert!(kinds("sha256:13800138000123ab").is_empty());
        assert!(kinds("血压140/90，2024年").is_empty());
    }
}
