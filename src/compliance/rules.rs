//! Rule definitions: the YAML shape shared by `builtin_rules.yaml` and the
//! `compliance.rules` list in site.yaml, the merge of site overrides onto the
//! built-in list, and the term matcher. All terms of all enabled rules are
//! compiled into one regex so a file is read once, whatever the rule count;
//! which rule a match belongs to is recovered afterwards from a map keyed by
//! the matched text, since per-term capture groups would slow every search.

use std::collections::{HashMap, HashSet};

use regex::{Regex, RegexBuilder};
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchKind, PatternSet};
use serde::Deserialize;

use super::context::Lexicon;
use super::{ascii_word_bounded, ComplianceConfig, Hit};
use crate::diagnostics::Severity;

const BUILTIN: &str = include_str!("builtin_rules.yaml");
/// Review-note rules, appended to the built-in ones (same shape, no lexicon).
const REVIEW: &str = include_str!("review_rules.yaml");
/// Identifier and suppression rules (detectors in code).
const IDENTIFIERS: &str = include_str!("identifier_rules.yaml");
/// Claim shapes by category (guarantees, permanence, instant results, …).
const SHAPES: &str = include_str!("claim_shape_rules.yaml");
/// The model of claims: who promises what outcome (ad copy, no more
/// treatment, office endorsements, use-then-outcome stories, refunds…).
const MODEL: &str = include_str!("claim_model_rules.yaml");
/// Kinds of claim the model above misses on unseen text: mechanisms,
/// diagnosis, scale and trust, cure-alls, beauty outcomes, alternative
/// therapies for medical conditions.
const KINDS: &str = include_str!("claim_kind_rules.yaml");

/// The lazy DFA's cache for the combined term and pattern regexes, per
/// thread. With the default (2 MB) the combined pattern regex fills it on
/// ordinary Chinese text, the DFA gives up and the search falls back to
/// the NFA simulation: 70% of a cold 10k build's CPU went there.
const LAZY_DFA_CACHE: usize = 16 << 20;

/// One rule as written in YAML. In `builtin_rules.yaml` every rule is
/// complete; in site.yaml an entry whose id names a built-in rule overrides
/// only the fields it sets (`terms` and `patterns` replace the lists), and an
/// entry with a new id adds a rule, which then needs `message` and `terms` or
/// `patterns`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub severity: Option<Severity>,
    pub category: Option<String>,
    /// Legal or professional source, shown in rule listings.
    pub basis: Option<String>,
    pub message: Option<String>,
    pub hint: Option<String>,
    pub terms: Option<Vec<TermSpec>>,
    /// Regular expressions (regex crate syntax) for claims that are not fixed
    /// strings; matched case-insensitively like terms.
    pub patterns: Option<Vec<String>>,
    /// Names a detector implemented in code (identifiers, rates,
    /// suppressions); built-in rules only.
    pub detector: Option<String>,
    /// Tier by who is speaking (see context.rs). Without it the rule is
    /// absolute: its severity whoever speaks, a review note when quoted.
    pub when: Option<When>,
}

/// A diagnostic's tier: an error withholds the article, a warning is a
/// review note for the doctor, none reports nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Error,
    Warning,
    None,
}

impl Tier {
    pub fn of(severity: Severity) -> Tier {
        match severity {
            Severity::Error => Tier::Error,
            _ => Tier::Warning,
        }
    }
}

/// Tiers per speaker; a missing one takes the rule's severity.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    pub institution: Option<Tier>,
    pub product: Option<Tier>,
    pub population: Option<Tier>,
    pub other: Option<Tier>,
    /// The tier when a population or other subject is hedged as advice
    /// (可以, 有助于, may, can help) before the claim in its clause.
    pub advice: Option<Tier>,
}

/// How a rule decides its tier from the reading of a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    pub absolute: bool,
    pub institution: Tier,
    pub product: Tier,
    pub population: Tier,
    pub other: Tier,
    /// Tier for advice-hedged claims (see `When::advice`); None: not used.
    pub advice: Option<Tier>,
}

/// A term: either a bare string or a string with context exceptions.
/// Read through a YAML value rather than `#[serde(untagged)]` so a typo in
/// an exception key is reported by name instead of "did not match any variant".
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "serde_yaml::Value")]
pub enum TermSpec {
    Plain(String),
    Detailed(DetailedTerm),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailedTerm {
    pub term: String,
    /// Text that, directly after the term, makes it ordinary language
    /// (第一 + 次 is an ordinal, not a ranking).
    #[serde(default)]
    pub not_followed_by: Vec<String>,
    /// Text that, directly before the term, makes it ordinary language
    /// (无法 + 根治 informs rather than promises).
    #[serde(default)]
    pub not_preceded_by: Vec<String>,
    /// Replaces the rule's hint for this term (e.g. an English rewrite).
    pub hint: Option<String>,
}

impl TryFrom<serde_yaml::Value> for TermSpec {
    type Error = String;

    fn try_from(value: serde_yaml::Value) -> Result<Self, String> {
        match value {
            serde_yaml::Value::String(term) => Ok(TermSpec::Plain(term)),
            other => serde_yaml::from_value(other)
                .map(TermSpec::Detailed)
                .map_err(|e| format!("term: {e}")),
        }
    }
}

impl TermSpec {
    fn term(&self) -> &str {
        match self {
            TermSpec::Plain(t) => t,
            TermSpec::Detailed(d) => &d.term,
        }
    }
}

/// What `check --list-rules` and documentation show about an enabled rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    pub category: String,
    pub basis: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// The literal terms (empty for detector rules).
    pub terms: Vec<String>,
    pub tiers: Tiers,
}

pub(crate) enum Source {
    Terms {
        terms: Vec<TermSpec>,
        patterns: Vec<String>,
    },
    Detector(String),
}

pub(crate) struct Resolved {
    pub info: RuleInfo,
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    lexicon: Lexicon,
    rules: Vec<RuleSpec>,
}

/// Path shown in errors about the built-in rule file.
pub const BUILTIN_PATH: &str = "src/compliance/builtin_rules.yaml";
/// Path shown in errors about the built-in review-note rule file.
pub const REVIEW_PATH: &str = "src/compliance/review_rules.yaml";
/// Path shown in errors about the built-in identifier rule file.
pub const IDENTIFIERS_PATH: &str = "src/compliance/identifier_rules.yaml";
/// Path shown in errors about the built-in claim-shape rule file.
pub const SHAPES_PATH: &str = "src/compliance/claim_shape_rules.yaml";
/// Path shown in errors about the built-in claim-model rule file.
pub const MODEL_PATH: &str = "src/compliance/claim_model_rules.yaml";
/// Path shown in errors about the built-in claim-kind rule file.
pub const KINDS_PATH: &str = "src/compliance/claim_kind_rules.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleList {
    rules: Vec<RuleSpec>,
}

/// Parses a rule file; the error names its line, as `file:line: message`.
fn parse_rule_file(file: &str, text: &str) -> Result<BuiltinFile, String> {
    serde_yaml::from_str(text).map_err(|e| match e.location() {
        Some(at) => format!("{file}:{}: rule file does not parse: {e}", at.line()),
        None => format!("{file}: rule file does not parse: {e}"),
    })
}

/// The cue words of the built-in rule file.
#[cfg(test)]
pub fn builtin_lexicon() -> Result<Lexicon, String> {
    parse_rule_file(BUILTIN_PATH, BUILTIN).map(|f| f.lexicon)
}

/// Built-in rules with the site's overrides applied; disabled rules are
/// dropped but their ids are still returned as known, so a suppression
/// naming a disabled rule is not reported as unknown.
pub(crate) fn resolve(
    config: &ComplianceConfig,
) -> Result<(Vec<Resolved>, HashSet<String>, Lexicon), String> {
    resolve_file(
        config,
        BUILTIN_PATH,
        BUILTIN,
        &[
            (REVIEW_PATH, REVIEW),
            (SHAPES_PATH, SHAPES),
            (MODEL_PATH, MODEL),
            (KINDS_PATH, KINDS),
            (IDENTIFIERS_PATH, IDENTIFIERS),
        ],
    )
}

pub(crate) fn resolve_file(
    config: &ComplianceConfig,
    file: &str,
    text: &str,
    more: &[(&str, &str)],
) -> Result<(Vec<Resolved>, HashSet<String>, Lexicon), String> {
    let builtin = parse_rule_file(file, text)?;
    let lexicon = builtin.lexicon;
    let mut specs = builtin.rules;
    for (file, text) in more {
        let list: RuleList = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(at) => format!("{file}:{}: rule file does not parse: {e}", at.line()),
            None => format!("{file}: rule file does not parse: {e}"),
        })?;
        specs.extend(list.rules);
    }
    let builtin_count = specs.len();
    let mut seen = HashSet::new();
    for custom in &config.rules {
        let id = &custom.id;
        if !is_kebab_case(id) {
            return Err(format!(
                "compliance rule `{id}`: ids are lowercase kebab-case, e.g. `clinic-promotion`"
            ));
        }
        if !seen.insert(id.as_str()) {
            return Err(format!("compliance rule `{id}` is defined twice"));
        }
        if custom.detector.is_some() {
            return Err(format!(
                "compliance rule `{id}`: `detector` is reserved for built-in rules"
            ));
        }
        match specs[..builtin_count].iter_mut().find(|s| s.id == *id) {
            Some(base) => merge(base, custom)?,
            None => specs.push(custom.clone()),
        }
    }
    let known: HashSet<String> = specs.iter().map(|s| s.id.clone()).collect();
    for id in config.disable.iter().chain(config.severity.keys()) {
        if !known.contains(id) {
            return Err(format!(
                "compliance: unknown rule `{id}` (see `healthpress check --list-rules`)"
            ));
        }
    }
    let mut resolved = Vec::new();
    for spec in specs {
        if config.disable.contains(&spec.id) {
            continue;
        }
        let mut rule = finish(spec)?;
        if let Some(severity) = config.severity.get(&rule.info.id) {
            rule.info.severity = *severity;
            // Every tier that reports becomes the site's chosen severity.
            let t = &mut rule.info.tiers;
            for tier in [
                &mut t.institution,
                &mut t.product,
                &mut t.population,
                &mut t.other,
            ] {
                if *tier != Tier::None {
                    *tier = Tier::of(*severity);
                }
            }
        }
        resolved.push(rule);
    }
    Ok((resolved, known, lexicon))
}

fn merge(base: &mut RuleSpec, over: &RuleSpec) -> Result<(), String> {
    if base.detector.is_some() && (over.terms.is_some() || over.patterns.is_some()) {
        return Err(format!(
            "compliance rule `{}` is detected in code; only severity, category, message and hint can be overridden",
            over.id
        ));
    }
    let o = over.clone();
    base.severity = o.severity.or(base.severity);
    base.category = o.category.or(base.category.take());
    base.basis = o.basis.or(base.basis.take());
    base.message = o.message.or(base.message.take());
    base.hint = o.hint.or(base.hint.take());
    base.terms = o.terms.or(base.terms.take());
    base.patterns = o.patterns.or(base.patterns.take());
    base.when = o.when.or(base.when.take());
    Ok(())
}

fn finish(spec: RuleSpec) -> Result<Resolved, String> {
    let id = spec.id;
    let message = spec
        .message
        .filter(|m| !m.trim().is_empty())
        .ok_or_else(|| format!("compliance rule `{id}`: `message` is required"))?;
    let source = match spec.detector {
        Some(detector) => Source::Detector(detector),
        None => {
            let terms = spec.terms.unwrap_or_default();
            let patterns = spec.patterns.unwrap_or_default();
            if terms.is_empty() && patterns.is_empty() {
                return Err(format!(
                    "compliance rule `{id}`: needs `terms` or `patterns`"
                ));
            }
            Source::Terms { terms, patterns }
        }
    };
    let terms = match &source {
        Source::Terms { terms, .. } => terms.iter().map(|t| t.term().to_string()).collect(),
        Source::Detector(_) => Vec::new(),
    };
    let severity = spec.severity.unwrap_or(Severity::Error);
    let base = Tier::of(severity);
    let when = spec.when.unwrap_or_default();
    let tiers = Tiers {
        absolute: spec.when.is_none(),
        institution: when.institution.unwrap_or(base),
        product: when.product.unwrap_or(base),
        population: when.population.unwrap_or(base),
        other: when.other.unwrap_or(base),
        advice: when.advice,
    };
    Ok(Resolved {
        info: RuleInfo {
            id,
            severity,
            category: spec.category.unwrap_or_else(|| "custom".to_string()),
            basis: spec.basis,
            message,
            hint: spec.hint.filter(|h| !h.trim().is_empty()),
            terms,
            tiers,
        },
        source,
    })
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct TermEntry {
    rule: usize,
    literal: bool,
    not_followed_by: Vec<String>,
    not_preceded_by: Vec<String>,
    hint: Option<String>,
}

impl TermEntry {
    /// True when the surrounding text turns the match into ordinary language.
    fn excepted(&self, text: &str, start: usize, end: usize) -> bool {
        let after = &text[end..];
        let before = &text[..start];
        self.not_followed_by.iter().any(|x| {
            after
                .get(..x.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(x))
        }) || self.not_preceded_by.iter().any(|x| {
            before.len() >= x.len()
                && before
                    .get(before.len() - x.len()..)
                    .is_some_and(|s| s.eq_ignore_ascii_case(x))
        })
    }
}

/// Every term and pattern of the enabled term rules: the terms as one
/// regex, the patterns as one multi-pattern regex.
pub(crate) struct TermMatcher {
    /// All literal terms, longest first.
    terms: Option<Regex>,
    /// Keyed by the lowercased term.
    literals: HashMap<String, TermEntry>,
    /// All patterns; pattern `i` belongs to `pattern_entries[i]`. At a
    /// position where any pattern matches, every pattern that also matches
    /// there is a candidate (a broad pattern of one rule must not hide
    /// another rule's pattern starting at the same character). Patterns
    /// are tried anchored at the position but in the whole text, so `^`,
    /// `(?m:^)` and `\b` see what comes before it.
    patterns: Option<meta::Regex>,
    /// The same patterns reporting every one that matches (an overlapping
    /// search under leftmost-first semantics stops at the first pattern).
    pattern_set: Option<meta::Regex>,
    pattern_entries: Vec<TermEntry>,
}

impl TermMatcher {
    pub fn new(rules: &[Resolved]) -> Result<TermMatcher, String> {
        let mut literals: HashMap<String, TermEntry> = HashMap::new();
        let mut pattern_entries = Vec::new();
        let mut alternatives: Vec<String> = Vec::new();
        let mut pattern_sources = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let Source::Terms {
                terms,
                patterns: pats,
            } = &rule.source
            else {
                continue;
            };
            let id = &rule.info.id;
            for spec in terms {
                let entry = match spec {
                    TermSpec::Plain(_) => TermEntry {
                        rule: index,
                        literal: true,
                        not_followed_by: Vec::new(),
                        not_preceded_by: Vec::new(),
                        hint: None,
                    },
                    TermSpec::Detailed(d) => TermEntry {
                        rule: index,
                        literal: true,
                        not_followed_by: d.not_followed_by.clone(),
                        not_preceded_by: d.not_preceded_by.clone(),
                        hint: d.hint.clone(),
                    },
                };
                let term = spec.term();
                if term.trim().is_empty() {
                    return Err(format!("compliance rule `{id}`: empty term"));
                }
                if let Some(other) = literals.get(&term.to_lowercase()) {
                    return Err(format!(
                        "compliance rule `{id}`: term “{term}” is already in rule `{}`",
                        rules[other.rule].info.id
                    ));
                }
                literals.insert(term.to_lowercase(), entry);
                alternatives.push(regex::escape(term));
            }
            for pattern in pats {
                // ASCII word boundaries: a Unicode \b makes the regex engine
                // leave its fast DFA on any non-ASCII text, and English
                // patterns only need ASCII words (Chinese is bounded by the
                // segmenter, not by \b).
                let pattern = pattern.replace(r"\b", r"(?-u:\b)");
                let alone = RegexBuilder::new(&format!("^(?:{pattern})"))
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| format!("compliance rule `{id}`: bad pattern: {e}"))?;
                if alone.is_match("") {
                    return Err(format!(
                        "compliance rule `{id}`: pattern `{pattern}` matches empty text"
                    ));
                }
                pattern_entries.push(TermEntry {
                    rule: index,
                    literal: false,
                    not_followed_by: Vec::new(),
                    not_preceded_by: Vec::new(),
                    hint: None,
                });
                pattern_sources.push(pattern);
            }
        }
        // Leftmost-first alternation prefers earlier alternatives, so longer
        // terms go first: 彻底治愈 must win over 治愈 at the same position.
        // Patterns are a second regex, so a term rejected by its exception
        // (治愈 + 率) does not hide a pattern starting at the same place.
        alternatives.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let failed =
            |e: &dyn std::fmt::Display| format!("compliance rules do not compile together: {e}");
        let terms = if alternatives.is_empty() {
            None
        } else {
            Some(
                RegexBuilder::new(&alternatives.join("|"))
                    .case_insensitive(true)
                    .dfa_size_limit(LAZY_DFA_CACHE)
                    .build()
                    .map_err(|e| failed(&e))?,
            )
        };
        let build = |kind: MatchKind| -> Result<Option<meta::Regex>, String> {
            if pattern_sources.is_empty() {
                return Ok(None);
            }
            meta::Regex::builder()
                .configure(
                    meta::Config::new()
                        .match_kind(kind)
                        .hybrid_cache_capacity(LAZY_DFA_CACHE),
                )
                .syntax(syntax::Config::new().case_insensitive(true))
                .build_many(&pattern_sources)
                .map(Some)
                .map_err(|e| failed(&e))
        };
        Ok(TermMatcher {
            terms,
            literals,
            patterns: build(MatchKind::LeftmostFirst)?,
            pattern_set: build(MatchKind::All)?,
            pattern_entries,
        })
    }

    pub fn find<'a>(&'a self, text: &str, out: &mut Vec<Hit<'a>>) {
        self.find_terms(text, out);
        self.find_patterns(text, out);
    }

    /// Candidates may overlap ("the best" and "best dental clinic"), so a
    /// search resumes one character after each match's start; the linter
    /// keeps one of overlapping matches after reading them.
    fn next_start(text: &str, start: usize) -> usize {
        start + text[start..].chars().next().map_or(1, char::len_utf8)
    }

    fn find_patterns<'a>(&'a self, text: &str, out: &mut Vec<Hit<'a>>) {
        let (Some(regex), Some(set)) = (&self.patterns, &self.pattern_set) else {
            return;
        };
        let mut which = PatternSet::new(regex.pattern_len());
        let mut pos = 0;
        while pos <= text.len() {
            let Some(m) = regex.search(&Input::new(text).range(pos..)) else {
                break;
            };
            let start = m.start();
            pos = Self::next_start(text, start);
            // Patterns stay within a sentence, so a bounded window is
            // enough and keeps dense text (huge code blocks) linear.
            let mut stop = (start + 600).min(text.len()).max(m.end());
            while !text.is_char_boundary(stop) {
                stop += 1;
            }
            let here = Input::new(text).range(start..stop).anchored(Anchored::Yes);
            which.clear();
            set.which_overlapping_matches(&here, &mut which);
            let mut rules_seen: Vec<usize> = Vec::new();
            for pattern in which.iter() {
                let entry = &self.pattern_entries[pattern.as_usize()];
                if rules_seen.contains(&entry.rule) {
                    continue;
                }
                let one = here.clone().anchored(Anchored::Pattern(pattern));
                let Some(pm) = regex.search(&one) else {
                    continue;
                };
                if !ascii_word_bounded(text, start, pm.end()) {
                    continue;
                }
                rules_seen.push(entry.rule);
                out.push(Hit {
                    start,
                    end: pm.end(),
                    rule: entry.rule,
                    hint: entry.hint.as_deref(),
                    tier: None,
                    literal: false,
                });
            }
        }
    }

    fn find_terms<'a>(&'a self, text: &str, out: &mut Vec<Hit<'a>>) {
        let Some(regex) = &self.terms else { return };
        let mut pos = 0;
        while let Some(m) = regex.find_at(text, pos) {
            pos = Self::next_start(text, m.start());
            let matched = m.as_str();
            let Some(entry) = self.literals.get(&matched.to_lowercase()) else {
                continue;
            };
            if !ascii_word_bounded(text, m.start(), m.end())
                || entry.excepted(text, m.start(), m.end())
            {
                continue;
            }
            out.push(Hit {
                start: m.start(),
                end: m.end(),
                rule: entry.rule,
                hint: entry.hint.as_deref(),
                tier: None,
                literal: entry.literal,
            });
        }
    }
}
