//! Rule definitions: the YAML shape shared by `builtin_rules.yaml` and the
//! `compliance.rules` list in site.yaml and the merge of site overrides onto
//! the built-in list. The term matcher is matcher.rs.

use std::collections::HashSet;

use serde::Deserialize;

use super::context::Lexicon;
use super::ComplianceConfig;
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
    pub(crate) fn term(&self) -> &str {
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
