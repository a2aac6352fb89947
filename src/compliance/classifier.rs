//! The learned review-note tier: a logistic-regression model over character
//! n-grams (Chinese) and word stems (English), trained on the development
//! set's labelled sentences (`tests/compliance_devset/*.tsv`: claims from
//! enforcement cases against clean patient-education text). The rules catch
//! claims by their words and shapes; advertising also has a register (who
//! speaks, how it promises, how it sells) that no word list covers, and a
//! model over many real cases reads that register. It only ever adds a review
//! note, on a sentence the rules said nothing about, for the reviewing doctor
//! to judge; the weights are data (`claim_classifier.tsv`), written by
//! `cargo run --example compliance_train` and checked against a retraining
//! by `tests/compliance_devset.rs`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::segment::is_cjk;

/// The shipped model, as written by `compliance_train`.
const SHIPPED: &str = include_str!("claim_classifier.tsv");

/// A feature: the FNV-1a hash of its text (`c:根治`, `w:guarant`, …).
type Feature = u64;

/// Features are already hashes; hashing them again would only cost time.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Each feature's weight, and its text to explain a note with.
type Weights = HashMap<Feature, (f32, Box<str>), BuildHasherDefault<PassThrough>>;

/// A trained model: weights by feature, the bias, and the score above which
/// a sentence gets a review note.
pub struct Classifier {
    weights: Weights,
    bias: f32,
    threshold: f32,
}

/// What the model said about one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub score: f32,
    /// The features that weighed most towards a claim, strongest first.
    pub reasons: Vec<String>,
}

impl Classifier {
    /// The model built into healthpress.
    pub fn shipped() -> Classifier {
        // The file is generated and checked by the test suite; a broken one
        // cannot be released, so failing here is a build defect.
        Classifier::parse(SHIPPED).expect("claim_classifier.tsv is written by compliance_train")
    }

    /// Reads the `compliance_train` format: `# bias`, `# threshold` lines,
    /// then one `feature<TAB>weight` per line. The error names the line.
    pub fn parse(text: &str) -> Result<Classifier, String> {
        let (mut bias, mut threshold) = (None, None);
        let mut weights = Weights::default();
        for (n, line) in text.lines().enumerate() {
            let bad = |what: &str| format!("claim_classifier.tsv:{}: {what}", n + 1);
            if line.is_empty() || line.starts_with("# ") && !line.contains('\t') {
                continue;
            }
            let (name, value) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
            let value: f32 = value.parse().map_err(|_| bad("weight is not a number"))?;
            match name {
                "# bias" => bias = Some(value),
                "# threshold" => threshold = Some(value),
                _ => {
                    weights.insert(hash(name.as_bytes()), (value, name.into()));
                }
            }
        }
        Ok(Classifier {
            weights,
            bias: bias.ok_or("claim_classifier.tsv: no `# bias` line")?,
            threshold: threshold.ok_or("claim_classifier.tsv: no `# threshold` line")?,
        })
    }

    /// The score above which a sentence is noted.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The raw score (log-odds) of one sentence.
    pub fn score(&self, sentence: &str) -> f32 {
        self.score_of(&hashes(sentence))
    }

    fn score_of(&self, features: &[Feature]) -> f32 {
        let weights = features.iter().filter_map(|f| self.weights.get(f));
        self.bias + weights.map(|(w, _)| w).sum::<f32>()
    }

    /// A verdict for a sentence scoring above the threshold, or None.
    pub fn judge(&self, sentence: &str) -> Option<Verdict> {
        let features = hashes(sentence);
        let score = self.score_of(&features);
        if score <= self.threshold {
            return None;
        }
        let mut weighed: Vec<(f32, &str)> = features
            .iter()
            .filter_map(|f| self.weights.get(f))
            .filter(|(w, _)| *w > 0.0)
            .map(|(w, name)| (*w, name.as_ref()))
            .collect();
        // Words and phrases before single characters, which say little
        // to a reader on their own; then by weight.
        let single = |name: &str| name.starts_with("c:") && display(name).chars().count() < 2;
        weighed.sort_by(|a, b| {
            single(a.1)
                .cmp(&single(b.1))
                .then(b.0.total_cmp(&a.0))
                .then(a.1.cmp(b.1))
        });
        let mut reasons: Vec<String> = Vec::new();
        for (_, name) in weighed {
            let shown = display(name);
            // "根治" already says what "根" and "治" would.
            if reasons
                .iter()
                .any(|r| r.contains(&shown) || shown.contains(r.as_str()))
            {
                continue;
            }
            reasons.push(shown);
            if reasons.len() == 3 {
                break;
            }
        }
        Some(Verdict { score, reasons })
    }
}

/// What a note adds to its rule's message: the sentence's opening and the
/// features that weighed most.
pub(crate) fn describe(sentence: &str, verdict: &Verdict) -> String {
    const SHOWN: usize = 40;
    let mut opening: String = sentence.chars().take(SHOWN).collect();
    if sentence.chars().count() > SHOWN {
        opening.push('…');
    }
    let reasons = verdict
        .reasons
        .iter()
        .map(|r| format!("“{r}”"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("“{opening}” (权重最高 / weighs most: {reasons})")
}

/// A feature's text as a reader would say it: `w:guarant` is "guarant…".
fn display(name: &str) -> String {
    let (kind, body) = name.split_once(':').unwrap_or(("", name));
    match kind {
        "w" if body.chars().count() >= STEM => format!("{body}…"),
        "b" => body.replace('_', " "),
        _ => body.replace(['^', '$'], ""),
    }
}

/// English words are cut to this many letters: a crude stem that makes
/// "guaranteed", "guarantees" and "guarantee" one feature.
const STEM: usize = 7;

/// FNV-1a, 64-bit: stable across runs and platforms, unlike std's hasher.
fn hash(bytes: &[u8]) -> Feature {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Full-width ASCII folded to ASCII, ASCII lower-cased; other text as is.
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Calls `emit` with the text of every feature of `sentence` (repeats
/// included): character 1-, 2- and 3-grams of each CJK run with its edges
/// marked (`c:^根`, `c:根治`), English word stems and stem bigrams with a
/// number as one `0` (`w:guarant`, `b:0_percent`), rates written with a
/// sign or in words (`p:0%`, `p:百分之`, `p:成以上`) and exclamation marks.
pub fn for_each_feature(sentence: &str, emit: &mut impl FnMut(&str)) {
    let folded: Vec<char> = sentence.chars().map(fold).collect();
    let mut name = String::new();
    let mut feature = |parts: &[&[char]]| {
        name.clear();
        for part in parts {
            name.extend(part.iter());
        }
        emit(&name);
    };
    let mut words: Vec<Vec<char>> = Vec::new();
    let mut rest = &folded[..];
    while let Some(&c) = rest.first() {
        let run = |pred: fn(&char) -> bool| rest.iter().take_while(|c| pred(c)).count();
        let taken = if is_cjk(c) {
            let n = run(|c| is_cjk(*c));
            let mut marked = Vec::with_capacity(n + 2);
            marked.push('^');
            marked.extend_from_slice(&rest[..n]);
            marked.push('$');
            for width in 1..=3 {
                for gram in marked.windows(width) {
                    if width > 1 || (gram[0] != '^' && gram[0] != '$') {
                        feature(&[&['c', ':'], gram]);
                    }
                }
            }
            n
        } else if c.is_ascii_lowercase() {
            let n = run(char::is_ascii_lowercase);
            words.push(rest[..n.min(STEM)].to_vec());
            n
        } else if c.is_ascii_digit() {
            let n = run(char::is_ascii_digit);
            words.push(vec!['0']);
            // A rate: the number then "%" or "percent", spaces allowed.
            let after: String = rest[n..].iter().take(9).collect();
            let after = after.trim_start();
            if after.starts_with('%') {
                feature(&[&['p', ':', '0', '%']]);
            } else if after.starts_with("percent") {
                feature(&[&"p:0percent".chars().collect::<Vec<_>>()]);
            } else if after.starts_with('成') {
                feature(&[&['p', ':', '0', '成']]);
            }
            n
        } else {
            if c == '!' {
                feature(&[&['x', ':', '!']]);
            }
            1
        };
        rest = &rest[taken..];
    }
    for w in &words {
        feature(&[&['w', ':'], w]);
    }
    for pair in words.windows(2) {
        feature(&[&['b', ':'], &pair[0], &['_'], &pair[1]]);
    }
    let text: String = folded.iter().collect();
    for word in ["百分之", "成以上"] {
        for _ in text.matches(word) {
            feature(&[&"p:".chars().chain(word.chars()).collect::<Vec<_>>()]);
        }
    }
}

/// The distinct feature hashes of a sentence, sorted.
fn hashes(sentence: &str) -> Vec<Feature> {
    let mut out = Vec::new();
    for_each_feature(sentence, &mut |name| out.push(hash(name.as_bytes())));
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::compliance::{ComplianceConfig, Linter};
    use crate::diagnostics::Severity;

    /// A linter whose classifier knows one word: 神奇 (weight 5, threshold 1).
    fn linter_with(config: ComplianceConfig) -> Linter {
        let mut linter = Linter::new(&config, &[]).expect("built-in rules load");
        let model =
            super::Classifier::parse("# bias\t-1\n# threshold\t1\nc:神奇\t5\nw:amazing\t5\n")
                .unwrap();
        linter.set_classifier(model);
        linter
    }

    fn notes(linter: &Linter, text: &str) -> Vec<(String, usize, Severity, String)> {
        linter
            .scan(Path::new("content/a.md"), text)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "ad-like-sentence")
            .map(|d| (d.rule, d.line, d.severity, d.message))
            .collect()
    }

    #[test]
    fn a_sentence_the_model_scores_gets_a_review_note_at_its_line() {
        let linter = linter_with(ComplianceConfig::default());
        let text = "---\ntitle: 冬季养生\n---\n\n这款仪器效果真神奇，家家都该备一台。\n\n普通的一句话，讲洗手的方法。\n";
        let found = notes(&linter, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, 5);
        assert_eq!(found[0].2, Severity::Warning);
        assert!(found[0].3.starts_with("review note: "), "{}", found[0].3);
        assert!(
            found[0].3.contains("“神奇”"),
            "the note names what weighed: {}",
            found[0].3
        );
    }

    #[test]
    fn headings_code_and_sentences_a_rule_found_are_not_judged() {
        let linter = linter_with(ComplianceConfig::default());
        let text = "## 神奇的身体：发热是怎么回事\n\n```\n神奇的代码示例在这里\n```\n\n本院保证根治，效果神奇无比。\n";
        let scan = linter.scan(Path::new("content/a.md"), text);
        let rules: Vec<&str> = scan.diagnostics.iter().map(|d| d.rule.as_str()).collect();
        assert!(!rules.contains(&"ad-like-sentence"), "{rules:?}");
        assert!(!rules.is_empty(), "the rules still report the guarantee");
    }

    #[test]
    fn the_tier_can_be_disabled_raised_or_suppressed() {
        let text = "This amazing device works for everyone in the family.\n";
        let off = linter_with(ComplianceConfig {
            disable: vec!["ad-like-sentence".into()],
            ..ComplianceConfig::default()
        });
        assert!(notes(&off, text).is_empty());
        let raised = linter_with(ComplianceConfig {
            severity: [("ad-like-sentence".to_string(), Severity::Error)].into(),
            ..ComplianceConfig::default()
        });
        assert_eq!(notes(&raised, text)[0].2, Severity::Error);
        let linter = linter_with(ComplianceConfig::default());
        let allowed =
            format!("<!-- healthpress-allow: ad-like-sentence: 引用患者来信原文 -->\n{text}");
        let scan = linter.scan(Path::new("content/a.md"), &allowed);
        assert!(
            scan.diagnostics
                .iter()
                .all(|d| d.rule != "ad-like-sentence"),
            "{:?}",
            scan.diagnostics
        );
        assert_eq!(scan.suppressions.len(), 1);
    }

    #[test]
    fn the_shipped_model_loads_and_reads_both_languages() {
        let model = super::Classifier::shipped();
        let claim = model.score("祖传秘方，三天见效，永不复发，无数患者已康复");
        let clean = model.score("流感疫苗每年秋季开始接种，老人和儿童是重点人群");
        assert!(
            claim > model.threshold() && clean < model.threshold(),
            "{claim} {clean} {}",
            model.threshold()
        );
        let claim = model.score("Our miracle formula reverses diabetes in just 30 days");
        let clean = model.score("Type 2 diabetes is a condition that causes the level of sugar in the blood to become too high");
        assert!(
            claim > model.threshold() && clean < model.threshold(),
            "{claim} {clean}"
        );
    }
}
