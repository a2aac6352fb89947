//! Lenient, typed reading of a YAML mapping with positions (front matter):
//! every key is read on its own, so one bad value never hides the next, and
//! every problem of a file (unknown keys with "did you mean", wrong types,
//! bad dates, misspelled choices, missing required keys) is collected with
//! its own line and column.
//!
//! A reader learns the allowed keys from the getters called on it; after
//! the last one, [`Fields::finish`] reports the keys nobody asked for.
//! Reading a new key is therefore one getter call (see `load::frontmatter`).

use std::path::Path;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use crate::config::dates::parse_date;
use crate::config::marked::{Node, Positions, Value};
use crate::diagnostics::Diagnostic;

/// Whether a key must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
}

/// Reads the keys of one mapping; nested mappings get their own reader
/// through [`Fields::map`].
pub struct Fields<'a> {
    file: &'a Path,
    /// `""` at the top, `review.` inside `review:`.
    prefix: String,
    entries: &'a [(Node, Node)],
    /// Where missing keys are reported: the mapping's own position.
    line: usize,
    column: usize,
    asked: Vec<&'static str>,
    /// False when the node is not a mapping at all: that one problem is
    /// reported instead of every key being missing.
    report_missing: bool,
    problems: Vec<Diagnostic>,
    positions: Positions,
}

impl<'a> Fields<'a> {
    /// A reader over `node`, which must be a mapping (an empty document
    /// counts as an empty mapping); otherwise the problem is recorded and
    /// the reader has no keys.
    pub fn new(file: &'a Path, node: &'a Node) -> Fields<'a> {
        let mut fields = Fields {
            file,
            prefix: String::new(),
            entries: &[],
            line: node.line,
            column: node.column,
            asked: Vec::new(),
            report_missing: true,
            problems: Vec::new(),
            positions: Positions::default(),
        };
        match &node.value {
            Value::Map(entries) => fields.entries = entries,
            _ if node.is_null() => {}
            _ => {
                fields.report_missing = false;
                fields.problem(
                    node,
                    "front-matter",
                    format!(
                        "front matter must be `key: value` lines, found {}",
                        node.describe()
                    ),
                    "write one `key: value` per line between the `---` fences",
                );
            }
        }
        fields.check_keys();
        fields
    }

    /// Reports duplicate and non-string keys once, at the reader's creation.
    fn check_keys(&mut self) {
        let entries = self.entries;
        for (i, (key, _)) in entries.iter().enumerate() {
            let Some(name) = key.as_str() else {
                self.problem(
                    key,
                    "yaml",
                    format!("a key must be a word, found {}", key.describe()),
                    "write keys as plain words, e.g. `title:`",
                );
                continue;
            };
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.as_str() == Some(name)) {
                self.problem(
                    key,
                    "duplicate-key",
                    format!(
                        "`{}{name}` is written twice (first at line {})",
                        self.prefix, first.line
                    ),
                    "each key may appear only once; keep one of them",
                );
            }
        }
    }

    /// The value of `key`, marking the key as known; records a problem if a
    /// required key is missing or has no value.
    fn value(&mut self, key: &'static str, need: Need) -> Option<&'a Node> {
        self.asked.push(key);
        let found = self
            .entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v));
        let path = format!("{}{key}", self.prefix);
        match found {
            Some((k, v)) => {
                self.positions.record(&path, None, k);
                if let Some(tag) = &v.tag {
                    self.problem(
                        v,
                        "yaml",
                        format!(
                            "`{path}` has the YAML tag `{tag}`, which healthpress does not use"
                        ),
                        "remove the tag",
                    );
                    return None;
                }
                if v.is_null() {
                    if need == Need::Required {
                        self.problem(
                            k,
                            "missing-field",
                            format!("`{path}` has no value"),
                            "write the value after the colon",
                        );
                    }
                    return None;
                }
                Some(v)
            }
            None => {
                if need == Need::Required && self.report_missing {
                    let (line, column) = (self.line, self.column);
                    self.problems.push(
                        Diagnostic::error(
                            "missing-field",
                            self.file,
                            format!("the required key `{path}` is missing"),
                        )
                        .at(line, column)
                        .hint(format!("add `{key}:` to the front matter")),
                    );
                }
                None
            }
        }
    }

    /// A string.
    pub fn text(&mut self, key: &'static str, need: Need) -> Option<String> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        match node.as_str() {
            Some(text) => {
                self.positions.record(&path, Some(text), node);
                Some(text.to_string())
            }
            None => {
                let hint = if matches!(node.value, Value::Scalar { .. }) {
                    "put the text in quotes to keep it as written"
                } else {
                    "write a single line of text"
                };
                self.problem(
                    node,
                    "bad-type",
                    format!("`{path}` must be text, found {}", node.describe()),
                    hint,
                );
                None
            }
        }
    }

    /// A date written `YYYY-MM-DD`.
    pub fn date(&mut self, key: &'static str, need: Need) -> Option<NaiveDate> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        let date = node.as_str().and_then(parse_date);
        if date.is_none() {
            let found = node
                .as_str()
                .map_or_else(|| node.describe(), |t| format!("`{t}`"));
            self.problem(
                node,
                "bad-date",
                format!("`{path}`: {found} is not a valid date"),
                "write it as YYYY-MM-DD, e.g. 2026-12-01",
            );
        }
        date
    }

    /// A list of strings, `[a, b]` or one `- item` per line. Every item's
    /// position is recorded, empty items included (checks that know the
    /// allowed values report those).
    pub fn list(&mut self, key: &'static str, need: Need) -> Option<Vec<String>> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        let Value::Seq(items) = &node.value else {
            let example = node.as_str().unwrap_or("a");
            self.problem(
                node,
                "bad-type",
                format!("`{path}` must be a list, found {}", node.describe()),
                &format!("write a list, e.g. `{key}: [{example}]`"),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item.as_str() {
                Some(text) => {
                    self.positions.record(&path, Some(text), item);
                    out.push(text.to_string());
                }
                None => {
                    ok = false;
                    self.problem(
                        item,
                        "bad-type",
                        format!(
                            "each item of `{path}` must be text, found {}",
                            item.describe()
                        ),
                        "quote the item or write it as one word",
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// One of a closed set of words, with "did you mean" for a near miss.
    pub fn choice<T: Copy>(
        &mut self,
        key: &'static str,
        need: Need,
        choices: &[(&'static str, T)],
    ) -> Option<T> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        let text = node.as_str();
        if let Some(&(_, value)) = choices.iter().find(|(name, _)| Some(*name) == text) {
            self.positions.record(&path, text, node);
            return Some(value);
        }
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        let found = text.map_or_else(|| node.describe(), |t| format!("`{t}`"));
        let guess = text
            .and_then(|t| did_you_mean(t, &names))
            .map_or(String::new(), |g| format!("did you mean `{g}`? "));
        self.problem(
            node,
            "bad-value",
            format!("`{path}`: {found} is not one of the allowed values"),
            &format!("{guess}use one of: {}", names.join(", ")),
        );
        None
    }

    /// Any value typed through serde (for structured fields that need no
    /// per-item positions); problems are reported at the value's line.
    pub fn serde<T: DeserializeOwned>(&mut self, key: &'static str, need: Need) -> Option<T> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        match serde_yaml::from_value(node.to_serde()) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(
                    node,
                    "bad-type",
                    format!("`{path}`: {e}"),
                    "check the value's form against the documentation",
                );
                None
            }
        }
    }

    /// A nested mapping read by `read` with its own reader; its unknown keys
    /// are reported like the outer ones.
    pub fn map<T>(
        &mut self,
        key: &'static str,
        need: Need,
        read: impl FnOnce(&mut Fields<'a>) -> T,
    ) -> Option<T> {
        let node = self.value(key, need)?;
        let path = format!("{}{key}", self.prefix);
        let Value::Map(entries) = &node.value else {
            self.problem(
                node,
                "bad-type",
                format!(
                    "`{path}` must be a block of `key: value` lines, found {}",
                    node.describe()
                ),
                &format!("indent the keys of `{key}:` on the lines below it"),
            );
            return None;
        };
        let mut inner = Fields {
            file: self.file,
            prefix: format!("{path}."),
            entries,
            line: node.line,
            column: node.column,
            asked: Vec::new(),
            report_missing: true,
            problems: Vec::new(),
            positions: Positions::default(),
        };
        inner.check_keys();
        let value = read(&mut inner);
        let (problems, positions) = inner.finish(&[]);
        self.problems.extend(problems);
        self.positions.extend(positions);
        Some(value)
    }

    /// Records a problem found by the caller at `key`'s value (or the key
    /// itself when it has no value), e.g. a slug of the wrong form.
    pub fn problem_at(&mut self, key: &str, rule: &str, message: String, hint: &str) {
        let (line, column) = self
            .entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map_or((self.line, self.column), |(k, v)| {
                if v.is_null() {
                    (k.line, k.column)
                } else {
                    (v.line, v.column)
                }
            });
        self.problems.push(
            Diagnostic::error(rule, self.file, message)
                .at(line, column)
                .hint(hint),
        );
    }

    /// Like [`Fields::problem_at`], at the item `item` of the list under
    /// `key` (or at the key when no item is written so).
    pub fn problem_at_item(
        &mut self,
        key: &str,
        item: &str,
        rule: &str,
        message: String,
        hint: &str,
    ) {
        let found = self
            .entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .and_then(|(_, v)| match &v.value {
                Value::Seq(items) => items.iter().find(|n| n.as_str() == Some(item)),
                _ => None,
            })
            .map(|n| (n.line, n.column));
        match found {
            Some((line, column)) => self.problems.push(
                Diagnostic::error(rule, self.file, message)
                    .at(line, column)
                    .hint(hint),
            ),
            None => self.problem_at(key, rule, message, hint),
        }
    }

    /// True when no problem has been found so far.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// Reports every key no getter asked for, with the nearest known key or
    /// a `(foreign key, advice)` from `known_elsewhere` (keys other site
    /// generators use), and returns all problems and recorded positions.
    pub fn finish(mut self, known_elsewhere: &[(&str, &str)]) -> (Vec<Diagnostic>, Positions) {
        let entries = self.entries;
        for (key, _) in entries {
            let Some(name) = key.as_str() else { continue };
            if self.asked.contains(&name) {
                continue;
            }
            let path = format!("{}{name}", self.prefix);
            let advice = known_elsewhere
                .iter()
                .find(|(foreign, _)| *foreign == name)
                .map(|(_, advice)| advice.to_string())
                .or_else(|| did_you_mean(name, &self.asked).map(|g| format!("did you mean `{g}`?")))
                .unwrap_or_else(|| "remove the key or fix its spelling".into());
            let message = format!("unknown key `{path}`");
            let hint = format!("{advice} The keys here are: {}", self.asked.join(", "));
            self.problem(key, "unknown-key", message, &hint);
        }
        (self.problems, self.positions)
    }

    fn problem(&mut self, node: &Node, rule: &str, message: String, hint: &str) {
        self.problems.push(
            Diagnostic::error(rule, self.file, message)
                .at(node.line, node.column)
                .hint(hint),
        );
    }
}

/// The candidate nearest to `word` (edit distance, ignoring case, `_` and
/// `-`), if it is near enough to be a slip rather than another word.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let norm = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let w = norm(word);
    if w.len() > 64 {
        return None;
    }
    candidates
        .iter()
        .map(|c| (distance(&w, &norm(c)), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus swapped neighbours).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::marked;

    fn read(text: &str, body: impl FnOnce(&mut Fields)) -> Vec<Diagnostic> {
        let node = marked::parse(Path::new("a.md"), text, 2).unwrap();
        let mut fields = Fields::new(Path::new("a.md"), &node);
        body(&mut fields);
        fields.finish(&[("tags", "healthpress has no tags.")]).0
    }

    #[test]
    fn every_problem_at_its_own_line() {
        let problems = read(
            "titel: x\ndate: 2026-02-30\naudience: seniors\nstatus: aproved\ntags: [a]\n",
            |f| {
                f.text("title", Need::Required);
                f.date("date", Need::Required);
                f.list("audience", Need::Required);
                f.choice("status", Need::Optional, &[("approved", 1), ("draft", 2)]);
            },
        );
        let lines: Vec<(usize, &str)> =
            problems.iter().map(|d| (d.line, d.rule.as_str())).collect();
        assert_eq!(
            lines,
            [
                (2, "missing-field"),
                (3, "bad-date"),
                (4, "bad-type"),
                (5, "bad-value"),
                (2, "unknown-key"),
                (6, "unknown-key"),
            ],
            "{problems:#?}"
        );
        assert!(problems[3]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `approved`?"));
        assert!(problems[4]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `title`?"));
        assert!(problems[5]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("healthpress has no tags."));
    }

    #[test]
    fn nested_maps_duplicates_and_types() {
        let problems = read(
            "title: [a]\ntitle: b\nreview:\n  status: draft\n  reviwer: x\n",
            |f| {
                f.text("title", Need::Required);
                f.map("review", Need::Optional, |r| {
                    r.text("status", Need::Required);
                    r.text("reviewer", Need::Optional);
                });
            },
        );
        let lines: Vec<(usize, &str)> =
            problems.iter().map(|d| (d.line, d.rule.as_str())).collect();
        assert_eq!(
            lines,
            [(3, "duplicate-key"), (2, "bad-type"), (6, "unknown-key")],
            "{problems:#?}"
        );
        assert!(problems[2].message.contains("review.reviwer"));
    }

    #[test]
    fn positions_of_items() {
        let node = marked::parse(Path::new("a.md"), "audience: [a, '', b]\n", 2).unwrap();
        let mut fields = Fields::new(Path::new("a.md"), &node);
        assert_eq!(
            fields.list("audience", Need::Required).unwrap(),
            ["a", "", "b"]
        );
        let (problems, positions) = fields.finish(&[]);
        assert!(problems.is_empty());
        assert_eq!(positions.find("audience", Some("")), Some((2, 15)));
        assert_eq!(positions.find("audience", Some("b")), Some((2, 19)));
        assert_eq!(positions.find("audience", Some("zz")), Some((2, 1)));
    }

    #[test]
    fn near_misses() {
        let keys = ["title", "summary", "specialty", "season", "updated"];
        assert_eq!(did_you_mean("sumary", &keys), Some("summary"));
        assert_eq!(did_you_mean("Specality", &keys), Some("specialty"));
        assert_eq!(did_you_mean("seasons", &keys), Some("season"));
        assert_eq!(did_you_mean("weight", &keys), None);
        assert_eq!(did_you_mean("", &keys), None);
    }
}
