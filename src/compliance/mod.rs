//! Compliance linter: finds prohibited medical-advertising claims (广告法,
//! 医疗广告管理办法, their English equivalents) and patient identifiers in an
//! article's source, front matter included, since titles and summaries are
//! published too. The word lists are data (`builtin_rules.yaml`, overridable
//! from the `compliance:` key of site.yaml); identifiers are detected in code.
//! A `Linter` is built once per run and shared across threads; `scan` reads
//! each file with two combined regexes, whatever the number of rules.

mod identifiers;
mod rules;
mod suppress;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{self, Diagnostic, Severity};
use identifiers::{IdentifierMatcher, DETECTORS};
use rules::{Source, TermMatcher};

pub use rules::{DetailedTerm, RuleInfo, RuleSpec, TermSpec};

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
    /// Every rule id, disabled ones included.
    known: HashSet<String>,
    without_reason: Option<usize>,
    unknown_rule: Option<usize>,
}

/// A match before it becomes a diagnostic: byte range, index into
/// `Linter::rules`, and a term-specific hint if the term has one.
pub(crate) struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub hint: Option<&'a str>,
}

impl Linter {
    /// Built-in rules with `config` applied. The error names the bad rule.
    pub fn new(config: &ComplianceConfig) -> Result<Linter, String> {
        let (resolved, known) = rules::resolve(config)?;
        let mut rule_for = [None; 4];
        let (mut without_reason, mut unknown_rule) = (None, None);
        for (index, rule) in resolved.iter().enumerate() {
            let Source::Detector(name) = &rule.source else {
                continue;
            };
            match name.as_str() {
                "suppression-without-reason" => without_reason = Some(index),
                "suppression-unknown-rule" => unknown_rule = Some(index),
                _ => match DETECTORS.iter().position(|d| d == name) {
                    Some(d) => rule_for[d] = Some(index),
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
            identifiers: IdentifierMatcher::new(rule_for),
            rules: resolved.into_iter().map(|r| r.info).collect(),
            known,
            without_reason,
            unknown_rule,
        })
    }

    /// Enabled rules, built-in order first, then custom rules.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.iter()
    }

    /// `text` is the whole source file (front matter and body), `file` its
    /// site-relative path. Lines and columns are 1-based, columns in chars.
    pub fn scan(&self, file: &Path, text: &str) -> Scan {
        let mut hits = Vec::new();
        self.terms.find(text, &mut hits);
        self.identifiers.find(text, &mut hits);
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

        for hit in hits {
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
            self.report(
                &mut scan,
                Some(hit.rule),
                file,
                line,
                column,
                hit.hint,
                |m| format!("{m}: “{matched}”"),
            );
        }
        diagnostics::sort(&mut scan.diagnostics);
        scan
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
        scan.diagnostics.push(d);
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
