//! Compliance linter: finds prohibited medical-advertising claims (广告法,
//! 医疗广告管理办法, 互联网广告管理办法, the CAP Code, the FTC Act) and patient
//! identifiers in an article's source, front matter included, since titles
//! and summaries are published too. Two tiers: errors (prohibited in any
//! context; the build withholds the article) and review notes (warnings for
//! the reviewing doctor). The word lists and cue words are data
//! (`builtin_rules.yaml`, overridable from the `compliance:` key of
//! site.yaml); identifiers and rates are shapes, detected in code. A match
//! is read in its sentence (segment.rs, context.rs) before it is reported.
//! A `Linter` is built once per run and shared across threads.

mod classifier;
mod classifier_train;
mod context;
mod identifiers;
mod lexicon;
mod matcher;
mod numbers;
pub mod prose;
#[cfg(test)]
mod reading_tests;
mod rules;
mod segment;
mod suppress;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{self, Diagnostic, Severity};
use context::{Lexicon, Sentence, Speaker};
use identifiers::{IdentifierMatcher, DETECTORS};
use matcher::TermMatcher;
use rules::{Source, Tier};

pub use crate::wordseg::dictionary_load_time;
pub use classifier::{Classifier, Verdict};
pub use classifier_train::{
    fit_classifier, train as train_classifier, Example, NOTE_RATE, PAGE_NOTE_RATE,
};
pub use rules::{DetailedTerm, RuleInfo, RuleSpec, TermSpec};

/// Rate detectors, in the order of `Linter::rate_rules`.
const RATE_DETECTORS: [&str; 3] = ["absolute-rate", "cure-rate", "efficacy-figure"];

/// The `compliance:` key of site.yaml.
///
/// ```yaml
/// compliance:
///   disable: [health-fraud-claims]
///   severity: { absolute-terms: warning }
///   rules:
///     - id: cure-guarantee            # built-in id: override the fields given
///       hint: 改为“有助于控制症状”
///     - id: clinic-promotion          # new id: a custom rule
///       severity: error
///       category: disguised-ad
///       message: 科普文章中的促销用语 / promotion in health education
///       hint: 删除促销信息
///       terms: [免费治疗, 限时优惠, { term: 特价, not_followed_by: [药品目录] }]
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceConfig {
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity per rule id, applied after `rules`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Overrides of built-in rules (by id) and custom rules.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// A reviewed exception found in a file. `line` is the line of the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub file: PathBuf,
    pub line: usize,
    pub rule: String,
    pub reason: String,
}

/// What one file produced: diagnostics in position order, and the valid
/// suppressions (with a reason and a known rule) whether or not they fired.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<Suppression>,
}

pub struct Linter {
    rules: Vec<RuleInfo>,
    terms: TermMatcher,
    identifiers: IdentifierMatcher,
    lexicon: Lexicon,
    rate_rules: [Option<usize>; 3],
    /// Every rule id, disabled ones included.
    known: HashSet<String>,
    without_reason: Option<usize>,
    unknown_rule: Option<usize>,
    /// The learned review-note tier and its rule, unless disabled.
    classifier: Option<(std::sync::Arc<Classifier>, usize)>,
}

/// A match before it becomes a diagnostic: byte range, index into
/// `Linter::rules`, and a term-specific hint if the term has one.
pub(crate) struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub hint: Option<&'a str>,
    /// Decided by the detector (identifiers); None: read the context.
    pub tier: Option<Tier>,
    /// A literal term, which must be a whole word of its sentence.
    pub literal: bool,
    /// What the message says after the rule's own, when not the matched
    /// text (the classifier's explanation).
    pub detail: Option<String>,
}

impl Linter {
    /// Built-in rules with `config` applied; `contacts` are the site's own
    /// published addresses and numbers (`contact:` in site.yaml), never
    /// reported as patient data. The error names the bad rule or line.
    pub fn new(config: &ComplianceConfig, contacts: &[String]) -> Result<Linter, String> {
        let (resolved, known, lexicon) = rules::resolve(config)?;
        let mut rule_for = [None; DETECTORS.len()];
        let mut rate_rules = [None; 3];
        let (mut without_reason, mut unknown_rule) = (None, None);
        let mut classifier = None;
        for (index, rule) in resolved.iter().enumerate() {
            let Source::Detector(name) = &rule.source else {
                continue;
            };
            match name.as_str() {
                "suppression-without-reason" => without_reason = Some(index),
                "suppression-unknown-rule" => unknown_rule = Some(index),
                "claim-classifier" => classifier = Some((shipped_classifier(), index)),
                _ => match DETECTORS.iter().position(|d| d == name) {
                    Some(d) => rule_for[d] = Some(index),
                    None if RATE_DETECTORS.contains(&name.as_str()) => {
                        let r = RATE_DETECTORS.iter().position(|d| d == name);
                        rate_rules[r.unwrap_or(0)] = Some(index);
                    }
                    None => {
                        return Err(format!(
                            "compliance rule `{}`: unknown detector `{name}`",
                            rule.info.id
                        ))
                    }
                },
            }
        }
        Ok(Linter {
            terms: TermMatcher::new(&resolved)?,
            identifiers: IdentifierMatcher::new(rule_for, contacts),
            lexicon,
            rate_rules,
            rules: resolved.into_iter().map(|r| r.info).collect(),
            known,
            without_reason,
            unknown_rule,
            classifier,
        })
    }

    /// Replaces the learned tier's model (tools that cross-validate it);
    /// no effect when its rule is disabled.
    pub fn set_classifier(&mut self, model: Classifier) {
        if let Some((current, _)) = &mut self.classifier {
            *current = std::sync::Arc::new(model);
        }
    }

    /// Enabled rules, built-in order first, then custom rules.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.iter()
    }

    /// `text` is the whole source file (front matter and body), `file` its
    /// site-relative path. Lines and columns are 1-based, columns in chars.
    pub fn scan(&self, file: &Path, text: &str) -> Scan {
        let masked = mask_approval_values(text);
        let text: &str = &masked;
        let mut found = Vec::new();
        self.terms.find(text, &mut found);
        self.identifiers.find(text, &mut found);
        self.rates(text, &mut found);
        let mut hits = self.read_in_context(text, found);
        self.classify(text, &mut hits);
        let has_directives = text.contains(suppress::MARKER);
        if hits.is_empty() && !has_directives {
            return Scan::default();
        }
        let lines = LineIndex::new(text);
        let directives = if has_directives {
            suppress::parse(text, &lines)
        } else {
            Vec::new()
        };

        let mut scan = Scan::default();
        let mut active: Vec<(&str, usize)> = Vec::new();
        for d in &directives {
            let column = lines.column(text, d.start);
            if d.rules.is_empty() {
                self.report(
                    &mut scan,
                    self.unknown_rule,
                    file,
                    d.line,
                    column,
                    None,
                    |m| format!("{m}: the comment names no rule"),
                );
            }
            for rule in d.rules.iter().filter(|r| !self.known.contains(*r)) {
                self.report(
                    &mut scan,
                    self.unknown_rule,
                    file,
                    d.line,
                    column,
                    None,
                    |m| format!("{m}: “{rule}”"),
                );
            }
            if d.reason.is_empty() {
                // Left inactive so the text it meant to excuse is still shown.
                self.report(
                    &mut scan,
                    self.without_reason,
                    file,
                    d.line,
                    column,
                    None,
                    |m| format!("{m}: “{}”", &text[d.start..d.end]),
                );
                continue;
            }
            for rule in d.rules.iter().filter(|r| self.known.contains(*r)) {
                scan.suppressions.push(Suppression {
                    file: file.to_path_buf(),
                    line: d.line,
                    rule: rule.clone(),
                    reason: d.reason.clone(),
                });
                if let Some(target) = d.target {
                    active.push((rule, target));
                }
            }
        }

        for (hit, tier) in hits {
            if directives
                .iter()
                .any(|d| hit.start < d.end && d.start < hit.end)
            {
                continue;
            }
            let line = lines.line_of(hit.start);
            let id = self.rules[hit.rule].id.as_str();
            if active.iter().any(|&(r, target)| r == id && target == line) {
                continue;
            }
            let column = lines.column(text, hit.start);
            let matched = &text[hit.start..hit.end];
            let before = scan.diagnostics.len();
            self.report(
                &mut scan,
                Some(hit.rule),
                file,
                line,
                column,
                hit.hint,
                |m| match &hit.detail {
                    Some(detail) => format!("{m}: {detail}"),
                    None => format!("{m}: “{matched}”"),
                },
            );
            if let Some(d) = scan.diagnostics.get_mut(before) {
                d.severity = match tier {
                    Tier::Error => Severity::Error,
                    _ => Severity::Warning,
                };
                if tier == Tier::Warning && d.message.starts_with(&self.rules[hit.rule].message) {
                    d.message = format!("review note: {}", d.message);
                }
            }
        }
        diagnostics::sort(&mut scan.diagnostics);
        scan
    }

    /// Adds a review note for each prose sentence that no rule matched and
    /// the classifier scores as a claim.
    fn classify(&self, text: &str, hits: &mut Vec<(Hit, Tier)>) {
        let Some((model, rule)) = &self.classifier else {
            return;
        };
        for (start, end) in prose::sentences(text) {
            if hits.iter().any(|(h, _)| h.start < end && start < h.end) {
                continue;
            }
            if let Some(verdict) = model.judge(&text[start..end]) {
                // A site may raise the note to an error (`severity:`).
                let tier = match self.rules[*rule].severity {
                    Severity::Error => Tier::Error,
                    _ => Tier::Warning,
                };
                let hit = Hit {
                    start,
                    end,
                    rule: *rule,
                    hint: None,
                    tier: Some(tier),
                    literal: false,
                    detail: Some(classifier::describe(&text[start..end], &verdict)),
                };
                hits.push((hit, tier));
            }
        }
    }

    /// Keeps the matches that are words of their sentence, with the tier
    /// their reading gives them; overlapping matches are reported once.
    fn read_in_context<'a>(&self, text: &str, mut found: Vec<Hit<'a>>) -> Vec<(Hit<'a>, Tier)> {
        found.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut sentences: HashMap<usize, Sentence> = HashMap::new();
        let mut kept: Vec<(Hit, Tier)> = Vec::new();
        for hit in found {
            // An overlapping match is read only if it could raise the kept
            // one from a review note to an error (a broad structural note
            // must not hide a prohibited term inside it).
            let overlaps = kept.last().is_some_and(|(k, _)| hit.start < k.end);
            if overlaps && kept.last().is_some_and(|(_, t)| *t == Tier::Error) {
                continue;
            }
            let tier = match hit.tier {
                Some(tier) => tier,
                None => {
                    let (start, _) = segment::sentence(text, hit.start);
                    let sentence = sentences
                        .entry(start)
                        .or_insert_with(|| Sentence::around(text, hit.start));
                    let matched = &text[hit.start..hit.end];
                    let cjk_edge = matched.chars().next().is_some_and(segment::is_cjk)
                        || matched.chars().next_back().is_some_and(segment::is_cjk);
                    if hit.literal && cjk_edge && !sentence.bounded(hit.start, hit.end) {
                        continue;
                    }
                    let mut reading = sentence.read(&self.lexicon, hit.start, hit.end);
                    // Only a ranking is read as a statistic's: "死亡率降低50%"
                    // after a treatment is still an efficacy figure.
                    reading.statistic &= self.rules[hit.rule].category == "superlative";
                    decide(&self.rules[hit.rule].tiers, reading)
                }
            };
            if overlaps {
                if tier == Tier::Error {
                    kept.pop();
                    kept.push((hit, tier));
                }
            } else if tier != Tier::None {
                kept.push((hit, tier));
            }
        }
        kept
    }

    /// Rates paired with an outcome or a rate word in their sentence.
    fn rates<'a>(&self, text: &str, out: &mut Vec<Hit<'a>>) {
        let [absolute, explicit, figure] = self.rate_rules;
        for rate in numbers::rates(text) {
            let sentence = Sentence::around(text, rate.start);
            let lex = &self.lexicon;
            // Paired within the clause: "病死率几乎100%" beside "最有效的预防"
            // in the next clause is not a claim of 100% efficacy.
            let s = segment::clause_start(text, sentence.start, rate.start);
            let e = text[rate.end..sentence.end]
                .find(['，', ',', '；', ';', '、'])
                .map_or(sentence.end, |i| rate.end + i);
            let rate_word = sentence.find(&lex.rate_words, s, e).first().copied();
            if let Some((_, word_end)) = rate_word {
                if word_end <= rate.start
                    && !sentence.find(&lex.decline, word_end, rate.start).is_empty()
                {
                    continue;
                }
            }
            let outcome = !sentence.find(&lex.efficacy, s, e).is_empty();
            let (rule, start) = match rate_word {
                _ if rate.whole && (outcome || rate_word.is_some()) => (absolute, rate.start),
                Some((ws, _)) => (explicit, ws.min(rate.start)),
                None if outcome => (figure, rate.start),
                None => continue,
            };
            if let Some(rule) = rule {
                out.push(Hit {
                    start,
                    end: rate.end.max(start),
                    rule,
                    hint: None,
                    tier: None,
                    literal: false,
                    detail: None,
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        scan: &mut Scan,
        rule: Option<usize>,
        file: &Path,
        line: usize,
        column: usize,
        hint: Option<&str>,
        message: impl FnOnce(&str) -> String,
    ) {
        let Some(rule) = rule.map(|r| &self.rules[r]) else {
            return;
        };
        let mut d = Diagnostic::error(&rule.id, file, message(&rule.message)).at(line, column);
        d.severity = rule.severity;
        d.hint = hint.map(str::to_string).or_else(|| rule.hint.clone());
        // Every finding names the law or code it comes from, where the
        // shown hint is (check's text, JSON and PR annotations all show it).
        if let Some(basis) = &rule.basis {
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h} [依据 / basis: {basis}]"),
                None => format!("依据 / basis: {basis}"),
            });
        }
        scan.diagnostics.push(d);
    }
}

/// The shipped classifier, parsed once per process.
fn shipped_classifier() -> std::sync::Arc<Classifier> {
    static SHIPPED: std::sync::OnceLock<std::sync::Arc<Classifier>> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| std::sync::Arc::new(Classifier::shipped()))
        .clone()
}

/// The tier of a match from its rule and its reading in the sentence.
fn decide(tiers: &rules::Tiers, reading: context::Reading) -> Tier {
    // A criterion of a definition (不复发即被视为痊愈) or a category's name
    // (减肥类产品) claims nothing.
    if reading.negated || reading.mentioned {
        return Tier::None;
    }
    // Someone else's claim in a sentence warning against it (警惕宣称“根治”
    // 的广告, "be wary of products that claim to cure cancer") is
    // myth-busting; the institution or a product quoting itself is not.
    if reading.busted && matches!(reading.speaker, Speaker::Population | Speaker::Other) {
        return Tier::None;
    }
    // A ranking of a disease's burden (我国…死亡率居世界第一) is
    // epidemiology, absolute rule or not, unless the institution or a
    // product is the subject.
    if reading.statistic && matches!(reading.speaker, Speaker::Population | Speaker::Other) {
        return Tier::None;
    }
    let base = if tiers.absolute {
        tiers.other
    } else {
        match reading.speaker {
            Speaker::Institution => tiers.institution,
            Speaker::Product => tiers.product,
            Speaker::Population => tiers.population,
            Speaker::Other => tiers.other,
        }
    };
    // Advice to the reader or a hedged statement about a disease is the
    // register of patient education; an institution or product keeps its tier.
    let base = match (tiers.advice, reading.speaker) {
        (Some(advice), Speaker::Population | Speaker::Other) if reading.soft => advice,
        _ => base,
    };
    match base {
        Tier::None => Tier::None,
        _ if reading.reported => Tier::Warning,
        _ if reading.question && !tiers.absolute => Tier::None,
        _ if reading.question => Tier::Warning,
        tier => tier,
    }
}

/// True unless the match starts or ends with an ASCII letter or digit that
/// continues into the neighbouring text: "no.1" is not in "no.10", and a
/// phone number is not inside a longer digit run or a hex string.
pub(crate) fn ascii_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let matched = &text[start..end];
    let starts_word = matched.chars().next().is_some_and(word);
    let ends_word = matched.chars().next_back().is_some_and(word);
    !(starts_word && text[..start].chars().next_back().is_some_and(word)
        || ends_word && text[end..].chars().next().is_some_and(word))
}

/// Byte offsets of line starts, built only for files with something to report.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte range of a 1-based line, without its newline.
    pub fn range(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.len, |&next| next - 1);
        (start, end)
    }

    /// 1-based column in characters, as `diagnostics::line_col` counts.
    pub fn column(&self, text: &str, offset: usize) -> usize {
        let (start, _) = self.range(self.line_of(offset));
        text[start..offset].chars().count() + 1
    }
}

/// `text` with the values `approve` writes into the front matter's review
/// block (the `fingerprint:` hash and the `signature:` block of base64)
/// blanked out, byte for byte, so positions stay right: random base64 can
/// look like a WeChat id or a phone number, and nobody wrote it.
fn mask_approval_values(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("fingerprint:") && !text.contains("signature:") {
        return std::borrow::Cow::Borrowed(text);
    }
    let blank = |s: &str| " ".repeat(s.len());
    let mut out = String::with_capacity(text.len());
    let mut in_front = false;
    // Indent of a `signature: |` key whose block lines are being blanked.
    let mut block_indent: Option<usize> = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let ending = &line[content.len()..];
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        if content.trim_end() == "---" {
            in_front = n == 0;
            block_indent = None;
            out.push_str(line);
            continue;
        }
        if !in_front {
            out.push_str(line);
            continue;
        }
        if let Some(key_indent) = block_indent {
            if content.is_ascii() && (trimmed.is_empty() || indent > key_indent) {
                out.push_str(&blank(content));
                out.push_str(ending);
                continue;
            }
            block_indent = None;
        }
        let key = ["fingerprint:", "signature:"]
            .into_iter()
            .find(|k| indent > 0 && trimmed.starts_with(k));
        match key {
            Some(key) if content.is_ascii() => {
                let value = &trimmed[key.len()..];
                if value.trim_start().starts_with(['|', '>']) {
                    block_indent = Some(indent);
                }
                out.push_str(&content[..indent + key.len()]);
                out.push_str(&blank(value));
                out.push_str(ending);
            }
            _ => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn approval_values_are_blanked_in_place() {
        let text = "---\ntitle: 微信 abc\nreview:\n  fingerprint: sha256v2:ab\n  signature: |\n    VxPyUaCcn4IT+G\n    QQ==\nsources: [x]\n---\n  signature: body\n";
        let masked = super::mask_approval_values(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("VxPy") && !masked.contains("QQ==") && !masked.contains("ab\n"));
        assert!(masked.contains("title: 微信 abc\n") && masked.contains("sources: [x]"));
        assert!(
            masked.ends_with("---\n  signature: body\n"),
            "the body is untouched"
        );
    }
}
