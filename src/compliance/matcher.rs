//! The term matcher. All terms of all enabled rules are compiled into one
//! regex so a file is read once, whatever the rule count; which rule a match
//! belongs to is recovered afterwards from a map keyed by the matched text,
//! since per-term capture groups would slow every search. Patterns are a
//! second, multi-pattern regex.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchKind, PatternSet};

use super::rules::{Resolved, Source, TermSpec};
use super::{ascii_word_bounded, Hit};

/// The lazy DFA's cache for the combined term and pattern regexes, per
/// thread. With the default (2 MB) the combined pattern regex fills it on
/// ordinary Chinese text, the DFA gives up and the search falls back to
/// the NFA simulation: 70% of a cold 10k build's CPU went there.
const LAZY_DFA_CACHE: usize = 16 << 20;

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
                    detail: None,
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
                detail: None,
            });
        }
    }
}
