//! Finding the tags and attributes of the sanitized HTML healthpress
//! renders (every attribute double-quoted, text escaped), without an HTML
//! parser: the CSS inliner and the WeChat rewriting walk every tag of
//! every post and e-mail, and a parse plus serialization per document was
//! most of their cost.
//!
//! Tags are found with one pattern that skips over quoted attribute values,
//! so an `alt="a>b"` cannot end a tag early.

use std::sync::LazyLock;

use regex::Regex;

/// A start or end tag: `/`, name, attributes (quoted values skipped whole).
pub static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#)
        .expect("valid regex")
});

/// One tag found by [`TAG`]. The parts are taken from the match itself
/// rather than from capture groups: captures need the regex's slower
/// engines, and every tag of 10,000 posts went through them (7 % of a
/// build).
pub struct Tag<'h> {
    pub start: usize,
    pub end: usize,
    pub whole: &'h str,
    pub closing: bool,
    pub name: &'h str,
    /// Everything after the name, up to the closing `>`.
    pub attrs: &'h str,
}

/// The tags of `html`, in order: what `TAG.captures_iter` gives, as [`Tag`]s.
pub fn tags(html: &str) -> impl Iterator<Item = Tag<'_>> {
    TAG.find_iter(html).map(|m| {
        let whole = m.as_str();
        let inner = &whole[1..whole.len() - 1];
        let (closing, rest) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        // The pattern's name group is greedy and nothing after it needs
        // its characters back, so it is the longest run of name characters.
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        Tag {
            start: m.start(),
            end: m.end(),
            whole,
            closing,
            name: &rest[..name_len],
            attrs: &rest[name_len..],
        }
    })
}

/// The attributes of one tag, in order, values still HTML-escaped: what
/// the pattern `([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?`
/// finds, match after match (the tests hold the two to each other). By
/// hand, because capture groups need the regex's slow engines, and every
/// tag of every post, its long inline styles included, went through them.
pub fn attributes(raw: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find(is_name_char) {
        rest = &rest[start..];
        let name_end = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let (value, used) = value_after(after).unwrap_or(("", 0));
        found.push((name.to_ascii_lowercase(), value.to_string()));
        rest = &after[used..];
    }
    found
}

fn is_name_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '=' | '/' | '>' | '"' | '\''))
}

/// `\s*=\s*` and a quoted or bare value at the start of `s`: the value and
/// the bytes used, or `None` if there is no complete one.
fn value_after(s: &str) -> Option<(&str, usize)> {
    let value = s.trim_start().strip_prefix('=')?.trim_start();
    let skipped = s.len() - value.len();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote) {
            let end = inner.find(quote)?;
            return Some((&inner[..end], skipped + end + 2));
        }
    }
    let bare = |c: char| !(c.is_whitespace() || matches!(c, '"' | '\'' | '=' | '<' | '>' | '`'));
    let end = value.find(|c| !bare(c)).unwrap_or(value.len());
    (end > 0).then(|| (&value[..end], skipped + end))
}

/// Undoes the escaping of an attribute value (the sanitizer's entities).
pub fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_the_patterns_captures() {
        let html = r#"<p class="a>b">x</p><IMG src='y.png' alt="a'b"/><br/><a-b-c
 data-x="1">t</a-b-c><!-- c --></td><h2 id=x>y</h2>< p>not a tag<x1y>"#;
        let ours: Vec<(usize, usize, bool, &str, &str)> = tags(html)
            .map(|t| (t.start, t.end, t.closing, t.name, t.attrs))
            .collect();
        let theirs: Vec<(usize, usize, bool, &str, &str)> = TAG
            .captures_iter(html)
            .map(|c| {
                let whole = c.get(0).unwrap();
                let part = |i| c.get(i).map_or("", |m| m.as_str());
                (whole.start(), whole.end(), part(1) == "/", part(2), part(3))
            })
            .collect();
        assert_eq!(ours, theirs);
        assert_eq!(ours.len(), 10, "{ours:?}");
    }

    #[test]
    fn attributes_are_the_patterns_matches() {
        let pattern =
            Regex::new(r#"([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)
                .unwrap();
        let by_pattern = |raw: &str| -> Vec<(String, String)> {
            pattern
                .captures_iter(raw)
                .map(|c| {
                    let value = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4));
                    let value = value.map_or("", |m| m.as_str());
                    (c[1].to_ascii_lowercase(), value.to_string())
                })
                .collect()
        };
        let cases = [
            r#" class="a b" id=x data-X='y"z' disabled style="color: red;font: 1px 'A B'""#,
            " a = \"1\" b= c =d e\u{3000}=\u{3000}f g",
            r#" title="unclosed x=1 y='2'"#,
            r#" a='unclosed b="2""#,
            " =x ==y \"q\" 'r' /s / > t=`u` v=<w x=",
            " 名字=\"值\" 属性=无引号 ",
            "",
            "/",
        ];
        for raw in cases {
            assert_eq!(attributes(raw), by_pattern(raw), "{raw:?}");
        }
    }
}
