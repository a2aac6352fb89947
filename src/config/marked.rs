//! YAML with positions: a document read into a tree of [`Node`]s that each
//! know their line and column, with the work bounded before anything is
//! built. serde_yaml's `Value` carries no positions, so front matter is read
//! through this tree (see `load::fields`) to report every problem of a file
//! at its own line in one run; site.yaml and calendar.yaml pass through it
//! for the same bounds before serde_yaml types them.
//!
//! The events come from `yaml-rust2` (a pure-Rust, YAML 1.2 parser that
//! passes the YAML test suite, maintained, with a pull API and a marker per
//! event). Its own `load` recurses once per nesting level, so the tree is
//! built here from the pull API with an explicit stack:
//! - nesting is capped at [`MAX_DEPTH`] levels;
//! - every alias is charged the size of what it repeats, and a document
//!   whose expansion exceeds [`MAX_EXPANSION`] times its own size (plus a
//!   small allowance) is refused at the alias that crossed the line, before
//!   the repeated nodes are copied. This stops the 100 KB -> 100 MB alias
//!   documents that serde_yaml's repetition limit lets through.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::diagnostics::Diagnostic;

/// Deepest nesting of lists and mappings accepted in any YAML file.
pub const MAX_DEPTH: usize = 64;
/// How many times its own size a document may grow by expanding aliases.
pub const MAX_EXPANSION: usize = 4;
/// Expansion always allowed, so small documents may reuse a few anchors.
const EXPANSION_ALLOWANCE: usize = 16 * 1024;

/// One YAML node and where it starts (1-based line and column in the file).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: usize,
    pub column: usize,
    /// A tag written before the node (`!foo`), which healthpress files never need.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar's text; `plain` is false for quoted and block scalars, whose
    /// text is always a string.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// True for `~`, `null`, or a key with no value.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The node as a string, if YAML 1.2's core schema reads it as one
    /// (quoted, block, or plain and not null, a boolean or a number).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, plain: false } => Some(text),
            Value::Scalar { text, plain: true } => {
                (!self.is_null() && plain_kind(text).is_none()).then_some(text.as_str())
            }
            _ => None,
        }
    }

    /// What the node is, for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping of keys".into(),
            _ if self.is_null() => "no value".into(),
            Value::Scalar { text, plain: true } => match plain_kind(text) {
                Some(kind) => format!("{kind} `{text}`"),
                None => format!("the text `{text}`"),
            },
            Value::Scalar { text, .. } => format!("the text `{text}`"),
        }
    }

    /// The node as serde_yaml's `Value`, for fields typed through serde.
    pub fn to_serde(&self) -> serde_yaml::Value {
        use serde_yaml::Value as Y;
        match &self.value {
            _ if self.is_null() => Y::Null,
            Value::Scalar { text, plain: true } if plain_kind(text).is_some() => {
                serde_yaml::from_str(text).unwrap_or_else(|_| Y::String(text.clone()))
            }
            Value::Scalar { text, .. } => Y::String(text.clone()),
            Value::Seq(items) => Y::Sequence(items.iter().map(Node::to_serde).collect()),
            Value::Map(entries) => Y::Mapping(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_serde(), v.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// Where each key and each scalar value of a document was written, recorded
/// while reading it, so later checks (unknown terms, unknown people) can
/// point at the exact line and column of a value. Shared once recorded:
/// `serve` copies every article into each new model, and these were most
/// of an article's allocations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Positions(std::sync::Arc<Vec<Position>>);

#[derive(Debug, Clone, PartialEq)]
struct Position {
    /// Dotted key path, e.g. `audience` or `review.reviewer`.
    key: String,
    /// The scalar value written there; `None` for the key itself.
    value: Option<String>,
    line: usize,
    column: usize,
}

impl Positions {
    pub fn record(&mut self, key: &str, value: Option<&str>, node: &Node) {
        std::sync::Arc::make_mut(&mut self.0).push(Position {
            key: key.to_string(),
            value: value.map(str::to_string),
            line: node.line,
            column: node.column,
        });
    }

    pub fn extend(&mut self, other: Positions) {
        let other = std::sync::Arc::unwrap_or_clone(other.0);
        std::sync::Arc::make_mut(&mut self.0).extend(other);
    }

    /// Line and column of `value` under `key` (a dotted path), else of the
    /// key itself; `None` when the key was not written.
    pub fn find(&self, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
        let at = |p: &Position| (p.line, p.column);
        value
            .and_then(|v| {
                self.0
                    .iter()
                    .find(|p| p.key == key && p.value.as_deref() == Some(v))
            })
            .or_else(|| self.0.iter().find(|p| p.key == key && p.value.is_none()))
            .map(at)
    }
}

/// `Some("a number")` or `Some("true/false")` when a plain scalar is not a
/// string under YAML 1.2's core schema (the schema serde_yaml uses too).
fn plain_kind(text: &str) -> Option<&'static str> {
    if matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return Some("true/false");
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let is_number = (!digits.is_empty()
        && (digits.bytes().all(|b| b.is_ascii_digit())
            || digits
                .strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
            || digits
                .strip_prefix("0o")
                .is_some_and(|o| !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)))
            || (digits.bytes().any(|b| b.is_ascii_digit())
                && digits.parse::<f64>().is_ok()
                && digits
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"eE.+-".contains(&b)))))
        || matches!(digits, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN");
    is_number.then_some("a number")
}

/// A list or mapping being built: its anchor id (0 = none), a key waiting
/// for its value, and the weight of what it holds so far.
struct Open {
    node: Node,
    anchor: usize,
    key: Option<Node>,
    weight: usize,
}

/// What a document may cost: the caps shared by every YAML file.
struct Budget {
    allowed: usize,
    spent: usize,
}

/// Parses one YAML document (`text` starts at line `first_line` of `file`)
/// into a positioned tree, within the nesting and expansion bounds. An empty
/// document is a null node.
pub fn parse(file: &Path, text: &str, first_line: usize) -> Result<Node, Diagnostic> {
    let at = |line: usize, column: usize| (line + first_line - 1, column);
    let error = |rule: &str, (line, column): (usize, usize), message: String| {
        Diagnostic::error(rule, file, message).at(line, column)
    };
    let too_deep = |pos| {
        error(
            "yaml-too-deep",
            pos,
            format!("YAML nested more than {MAX_DEPTH} levels"),
        )
        .hint("flatten the structure; no healthpress file needs this depth")
    };
    let mut budget = Budget {
        allowed: text.len().saturating_mul(MAX_EXPANSION) + EXPANSION_ALLOWANCE,
        spent: 0,
    };
    // Open collections, innermost last; `anchored` maps anchor ids to
    // finished nodes and their weight: one per collection plus each
    // scalar's length and one, the size an alias repeating them costs.
    let mut stack: Vec<Open> = Vec::new();
    let mut anchored: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let m = e.marker();
            let noticed = at(m.line(), m.col() + 1);
            if e.info().contains("recursion limit") {
                return too_deep(noticed);
            }
            // An unclosed `[` or `{` is noticed only where the input ends:
            // point at where it was opened instead.
            if let (true, Some(open)) = (e.info().contains("flow"), stack.last()) {
                return error(
                    "yaml",
                    (open.node.line, open.node.column),
                    format!("YAML syntax: this `[...]` or `{{...}}` is not closed properly ({})", e.info()),
                )
                .hint(format!("close it with `]` or `}}` before line {}, and quote items that contain `,`, `[` or `]`", noticed.0));
            }
            error("yaml", noticed, format!("YAML syntax: {}", e.info()))
                .hint("check the indentation, the colons after keys and the quotes")
        })?;
        let pos = at(mark.line(), mark.col() + 1);
        let is_seq = matches!(event, Event::SequenceStart(..));
        let make = |value: Value, tag: Option<String>| Node {
            value,
            line: pos.0,
            column: pos.1,
            tag,
        };
        // A finished node with its anchor id (0 = none) and weight.
        let finished: (Node, usize, usize) = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        "yaml",
                        pos,
                        "a second YAML document starts here; only one is allowed".into(),
                    )
                    .hint("remove the extra `---` or `...` line"));
                }
                continue;
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(pos));
                }
                let value = if is_seq {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                };
                charge(&mut budget, 1, pos, file)?;
                stack.push(Open {
                    node: make(value, tag.map(tag_text)),
                    anchor,
                    key: None,
                    weight: 1,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop().expect("the parser balances collections");
                (open.node, open.anchor, open.weight)
            }
            Event::Scalar(text, style, anchor, tag) => {
                let weight = text.len() + 1;
                charge(&mut budget, weight, pos, file)?;
                let plain = matches!(style, TScalarStyle::Plain);
                (
                    make(Value::Scalar { text, plain }, tag.map(tag_text)),
                    anchor,
                    weight,
                )
            }
            Event::Alias(id) => {
                let Some((node, weight)) = anchored.get(&id) else {
                    return Err(error(
                        "yaml",
                        pos,
                        "this alias refers to the node that contains it".into(),
                    )
                    .hint("an alias can only repeat a node that is already complete"));
                };
                charge(&mut budget, *weight, pos, file)?;
                let mut copy = node.clone();
                copy.line = pos.0;
                copy.column = pos.1;
                (copy, 0, *weight)
            }
        };
        let (node, anchor, node_weight) = finished;
        if anchor != 0 {
            anchored.insert(anchor, (node.clone(), node_weight));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(parent) => {
                parent.weight += node_weight;
                match &mut parent.node.value {
                    Value::Seq(items) => items.push(node),
                    Value::Map(entries) => match parent.key.take() {
                        None => parent.key = Some(node),
                        Some(key) => entries.push((key, node)),
                    },
                    Value::Scalar { .. } => unreachable!("scalars are never on the stack"),
                }
            }
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Scalar {
            text: String::new(),
            plain: true,
        },
        line: first_line,
        column: 1,
        tag: None,
    }))
}

/// Counts `cost` against the document's budget; refuses the document at
/// `pos` when it is spent.
fn charge(
    budget: &mut Budget,
    cost: usize,
    pos: (usize, usize),
    file: &Path,
) -> Result<(), Diagnostic> {
    budget.spent = budget.spent.saturating_add(cost);
    if budget.spent > budget.allowed {
        return Err(Diagnostic::error(
            "yaml-expansion",
            file,
            format!(
                "YAML aliases expand this document to more than {MAX_EXPANSION} times its size"
            ),
        )
        .at(pos.0, pos.1)
        .hint("write the values out instead of repeating them with `&anchor` / `*alias`"));
    }
    Ok(())
}

/// The tag as written: `!!binary`, not the resolved `tag:yaml.org,2002:binary`.
fn tag_text(tag: yaml_rust2::parser::Tag) -> String {
    let handle = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => "!!",
        other => other,
    };
    format!("{handle}{}", tag.suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        parse(Path::new("t.yaml"), text, 1).unwrap()
    }

    #[test]
    fn nodes_know_their_lines_and_columns() {
        let root = tree("title: x\naudience: [a, b]\nreview:\n  status: draft\n");
        let Value::Map(entries) = &root.value else {
            panic!("{root:?}")
        };
        assert_eq!(entries.len(), 3);
        assert_eq!((entries[1].0.line, entries[1].0.column), (2, 1));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!((items[1].line, items[1].column), (2, 15));
        let Value::Map(review) = &entries[2].1.value else {
            panic!()
        };
        assert_eq!((review[0].1.line, review[0].1.column), (4, 11));
    }

    #[test]
    fn first_line_offsets_positions() {
        let root = parse(Path::new("a.md"), "a: 1\nb: 2\n", 2).unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[1].0.line, 3);
    }

    #[test]
    fn core_schema_scalars() {
        let root = tree("[x, '1', 1, 1.5, true, ~, '', 2026-12-01, -3, 0x1F, .inf, 1e3, e3]");
        let Value::Seq(items) = &root.value else {
            panic!()
        };
        let strs: Vec<Option<&str>> = items.iter().map(Node::as_str).collect();
        assert_eq!(
            strs,
            [
                Some("x"),
                Some("1"),
                None,
                None,
                None,
                None,
                Some(""),
                Some("2026-12-01"),
                None,
                None,
                None,
                None,
                Some("e3")
            ]
        );
        assert!(items[5].is_null());
        assert_eq!(items[4].describe(), "true/false `true`");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = parse(Path::new("a.md"), "title: x\naudience: [a, b\n", 2).unwrap_err();
        assert_eq!(
            (err.rule.as_str(), err.line, err.column),
            ("yaml", 3, 11),
            "{err}"
        );
        let err = parse(Path::new("a.md"), "title: x\n  bad: indent\n", 2).unwrap_err();
        assert_eq!((err.rule.as_str(), err.line), ("yaml", 3), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let deep = "[".repeat(100_000);
        let err = parse(Path::new("a.yaml"), &deep, 1).unwrap_err();
        assert_eq!(err.rule, "yaml-too-deep", "{err}");
        assert!(err.message.contains("nested more than 64 levels"));
        let mut block = String::new();
        for depth in 0..200 {
            block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        let err = parse(Path::new("a.yaml"), &block, 1).unwrap_err();
        assert_eq!(
            (err.rule.as_str(), err.line),
            ("yaml-too-deep", 65),
            "{err}"
        );
    }

    #[test]
    fn alias_amplification_is_refused_at_the_alias() {
        // 1,000 aliases to a 1,000-item anchor: ~100 KB expanding to ~MBs.
        let mut doc = String::from("a: &x [");
        doc.push_str(&vec!["item"; 1000].join(", "));
        doc.push_str("]\nb:\n");
        for _ in 0..1000 {
            doc.push_str("  - *x\n");
        }
        let err = parse(Path::new("a.yaml"), &doc, 1).unwrap_err();
        assert_eq!(err.rule, "yaml-expansion");
        assert!(err.line > 2, "{err}");
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            doc.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        assert_eq!(
            parse(Path::new("a.yaml"), &doc, 1).unwrap_err().rule,
            "yaml-expansion"
        );
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let root = tree("base: &b { name: x }\none: *b\ntwo: *b\n");
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(entries[2].1.line, 3);
        assert!(matches!(entries[2].1.value, Value::Map(_)));
    }

    #[test]
    fn second_document_and_empty_document() {
        assert_eq!(
            parse(Path::new("a.yaml"), "a: 1\n---\nb: 2\n", 1)
                .unwrap_err()
                .line,
            2
        );
        assert!(tree("").is_null());
        assert!(tree("# only a comment\n").is_null());
    }

    #[test]
    fn to_serde_keeps_types() {
        let root = tree("a: [1, x, '2', ~, true]\n");
        let v = root.to_serde();
        assert_eq!(
            serde_yaml::to_string(&v).unwrap(),
            "a:\n- 1\n- x\n- '2'\n- null\n- true\n"
        );
    }
}
