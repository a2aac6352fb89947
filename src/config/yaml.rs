//! Reading YAML files safely: site.yaml, calendar.yaml and the theme's
//! i18n.yaml go through [`parse`], so that the size cap, the nesting and
//! alias-expansion bounds and the error wording are the same everywhere
//! (front matter is read through the same bounds by `load::frontmatter`,
//! with its own smaller size cap). Also the one way healthpress writes a
//! string into front matter ([`scalar`]).
//!
//! serde_yaml rejects alias bombs and deep nesting, but still accepts a small
//! document that expands a thousandfold through aliases; every document is
//! therefore first walked by `config::marked`, which refuses one expanding
//! beyond a small factor of its size, at the alias's line.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

/// Largest site.yaml, calendar.yaml or i18n.yaml accepted: a calendar grows
/// with years of slots (about 4 KB per 100 slots), so this is far above any
/// real site while still bounding the work.
pub const MAX_YAML_BYTES: usize = 8 * 1024 * 1024;

/// Parses `text` (which starts at line `first_line` of `file`) into `T`,
/// turning serde_yaml's error into a diagnostic at the right file position.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::error(
            "yaml-too-large",
            file,
            format!(
                "the file is {} KB; the limit is {} KB",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        )
        .at(first_line, 1)
        .hint("split old calendar slots into an archive outside the site, or check that this is the right file"));
    }
    super::marked::parse(file, text, first_line)?;
    serde_yaml::from_str(text).map_err(|err| yaml_error(file, &err, first_line))
}

fn yaml_error(file: &Path, err: &serde_yaml::Error, first_line: usize) -> Diagnostic {
    let (line, column) = err.location().map_or((first_line, 0), |loc| {
        (loc.line() + first_line - 1, loc.column())
    });
    let raw = err.to_string();
    // serde_yaml appends " at line X column Y"; we print the position ourselves.
    let message = raw
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim_end_matches('.')
        .to_string();
    let hint = if message.starts_with("unknown field") {
        "remove the key or fix its spelling; the expected keys are listed above"
    } else if message.contains("missing field") {
        "add the required key"
    } else if message.contains("duplicate") {
        "each key may appear only once"
    } else if message.contains("invalid type") {
        "check the value's form: lists use [a, b], dates use YYYY-MM-DD"
    } else {
        "check the YAML syntax (indentation, colons, quotes)"
    };
    Diagnostic::error("yaml", file, message)
        .at(line, column)
        .hint(hint)
}

/// Finds where a top-level `key:` and optionally one of its values is written,
/// for errors found after parsing (unknown taxonomy term, unknown person).
/// Looks at the key's line and the indented lines below it (block lists and
/// nested maps). Returns the 1-based line and column within `text`.
pub fn locate(text: &str, key_path: &[&str], value: Option<&str>) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut indent = 0usize;
    let mut found_line = None;
    for (depth, key) in key_path.iter().enumerate() {
        let needle = format!("{key}:");
        let hit = lines[start..].iter().enumerate().find(|(_, l)| {
            let trimmed = l.trim_start();
            let this_indent = l.len() - trimmed.len();
            (depth == 0 && this_indent == 0 || depth > 0 && this_indent > indent)
                && (trimmed.starts_with(&needle) || trimmed.starts_with(&format!("- {needle}")))
        })?;
        let line_index = start + hit.0;
        indent = lines[line_index].len() - lines[line_index].trim_start().len();
        found_line = Some(line_index);
        start = line_index;
    }
    let key_line = found_line?;
    let key_col = indent + 1;
    let Some(value) = value else {
        return Some((key_line + 1, key_col));
    };
    for (i, line) in lines.iter().enumerate().skip(key_line) {
        let this_indent = line.len() - line.trim_start().len();
        if i > key_line
            && !line.trim().is_empty()
            && this_indent <= indent
            && !line.trim_start().starts_with('-')
        {
            break;
        }
        if let Some(pos) = find_token(line, value) {
            return Some((i + 1, line[..pos].chars().count() + 1));
        }
    }
    Some((key_line + 1, key_col))
}

/// Finds `token` in `line` as a whole YAML scalar, not as part of a longer one.
/// An empty token matches nowhere (searching for it would never advance).
fn find_token(line: &str, token: &str) -> Option<usize> {
    if token.is_empty() {
        return None;
    }
    let is_scalar_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.';
    let mut from = 0;
    while let Some(pos) = line[from..].find(token) {
        let start = from + pos;
        let end = start + token.len();
        let before_ok = line[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_scalar_char(c));
        let after_ok = line[end..]
            .chars()
            .next()
            .is_none_or(|c| !is_scalar_char(c));
        if before_ok && after_ok {
            return Some(start);
        }
        from = end;
    }
    None
}

/// `value` as a one-line YAML scalar that reads back as the same string
/// both as a mapping value (`key: VALUE`) and as a flow list item
/// (`[VALUE, …]`): plain when serde_yaml writes it plain and it holds no
/// flow indicator, else double-quoted (JSON's escapes are valid YAML).
pub fn scalar(value: &str) -> String {
    let plain = serde_yaml::to_string(value).is_ok_and(|s| s.trim_end() == value)
        && !value.contains([',', '[', ']', '{', '}']);
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written_in_both_contexts() {
        for value in [
            "dr-wang",
            "冬季防跌倒",
            "冬季: 防跌倒 #1",
            "a,b",
            "[x]",
            "{x}",
            "true",
            "null",
            "~",
            "1.5",
            "",
            " padded ",
            "- item",
            "#tag",
            "'q'",
            "\"dq\"",
            "line\nbreak",
            "tab\there",
            "@at",
            "`tick",
            "a: b",
            "x #y",
            "*alias",
            "&anchor",
            "!tag",
            "%d",
            "|",
            ">",
            "?",
            "  ",
        ] {
            let s = scalar(value);
            assert!(!s.contains('\n'), "{value:?} -> {s}");
            let map: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&format!("k: {s}\n")).unwrap();
            assert_eq!(map["k"], value, "{s}");
            let list: Vec<String> = serde_yaml::from_str(&format!("[{s}, z]")).unwrap();
            assert_eq!(list, [value, "z"], "{s}");
        }
        assert_eq!(scalar("dr-wang"), "dr-wang");
        assert_eq!(scalar("冬季防跌倒"), "冬季防跌倒");
        assert_eq!(scalar("true"), "\"true\"");
    }

    #[test]
    fn locates_values_in_flow_and_block_lists() {
        let text = "title: x\naudience: [seniors, kids]\nspecialty:\n  - cardio\n  - derm\nreview:\n  reviewer: dr-x\n";
        assert_eq!(locate(text, &["audience"], Some("kids")), Some((2, 21)));
        assert_eq!(locate(text, &["specialty"], Some("derm")), Some((5, 5)));
        assert_eq!(
            locate(text, &["review", "reviewer"], Some("dr-x")),
            Some((7, 13))
        );
        assert_eq!(locate(text, &["title"], None), Some((1, 1)));
        assert_eq!(locate(text, &["missing"], None), None);
    }

    #[test]
    fn does_not_match_inside_longer_terms() {
        let text = "audience: [seniors-plus, seniors]\n";
        assert_eq!(locate(text, &["audience"], Some("seniors")), Some((1, 26)));
    }

    #[test]
    fn oversized_yaml_is_rejected_before_parsing() {
        let big = format!("a: \"{}\"", "x".repeat(MAX_YAML_BYTES));
        let err = parse::<serde_yaml::Value>(Path::new("site.yaml"), &big, 1).unwrap_err();
        assert_eq!(err.rule, "yaml-too-large");
    }

    #[test]
    fn parse_error_names_line_in_file() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let err = parse::<T>(Path::new("content/a.md"), "title: x\ntitel: y\n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.contains("unknown field `titel`"),
            "{}",
            err.message
        );
    }
}
