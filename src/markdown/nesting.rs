//! Nesting depth of an article: Markdown containers (quotes, lists, items,
//! emphasis...) plus the raw HTML elements inside them. HTML parsers, the
//! sanitizer and the e-mail CSS inliner all do work per open element for
//! every element they read, so a 200,000-deep `<div>` costs them quadratic
//! time; no article needs more than a handful of levels. Past
//! [`MAX_NESTING`] the article is an error at the line where the limit was
//! crossed and the rest of it is not rendered.

/// Deepest nesting of Markdown containers and raw HTML elements together.
pub(crate) const MAX_NESTING: usize = 100;

/// Elements that never have content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that HTML closes by itself when a sibling starts (`<p>a<p>b`),
/// so an unclosed one does not deepen the tree; not counted.
const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rp",
    "rt", "colgroup", "caption",
];

#[derive(Default)]
pub(crate) struct Nesting {
    markdown: usize,
    html: usize,
}

impl Nesting {
    /// A Markdown container opened; true when the limit is now exceeded.
    pub(crate) fn open(&mut self) -> bool {
        self.markdown += 1;
        self.too_deep()
    }

    pub(crate) fn close(&mut self) {
        self.markdown = self.markdown.saturating_sub(1);
    }

    /// Follows the tags of one raw HTML fragment; returns the byte offset in
    /// `html` of the tag that exceeded the limit, if one did.
    pub(crate) fn raw_html(&mut self, html: &str) -> Option<usize> {
        let bytes = html.as_bytes();
        let mut i = 0;
        while let Some(pos) = memchr_lt(&bytes[i..]) {
            let start = i + pos;
            i = start + 1;
            if html[i..].starts_with("!--") {
                i = html[i..].find("-->").map_or(bytes.len(), |end| i + end + 3);
                continue;
            }
            let closing = bytes.get(i) == Some(&b'/');
            let name_start = if closing { i + 1 } else { i };
            let name_len = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
                continue;
            }
            let name = html[name_start..name_start + name_len].to_ascii_lowercase();
            let tag_end = html[name_start..].find('>').map(|e| name_start + e);
            let self_closed = tag_end.is_some_and(|e| bytes[e - 1] == b'/');
            i = tag_end.map_or(bytes.len(), |e| e + 1);
            if VOID.contains(&name.as_str()) || SELF_CLOSING.contains(&name.as_str()) {
                continue;
            }
            if closing {
                self.html = self.html.saturating_sub(1);
            } else if !self_closed {
                self.html += 1;
                if self.too_deep() {
                    return Some(start);
                }
            }
        }
        None
    }

    fn too_deep(&self) -> bool {
        self.markdown + self.html > MAX_NESTING
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_elements_not_void_or_self_closing_ones() {
        let mut n = Nesting::default();
        assert_eq!(
            n.raw_html("<div><br><img src=x/><p>a<p>b<!-- <div> --></div>"),
            None
        );
        assert_eq!(n.html, 0);
        assert_eq!(n.raw_html("<details><summary>x</summary>"), None);
        assert_eq!(n.html, 1);
        n.raw_html("</details>");
        assert_eq!(n.html, 0);
    }

    #[test]
    fn markdown_and_html_depth_add_up() {
        let mut n = Nesting::default();
        for _ in 0..60 {
            assert!(!n.open());
        }
        let deep = "<div>".repeat(50);
        assert_eq!(n.raw_html(&deep), Some(40 * 5));
        n.close();
    }

    #[test]
    fn stray_angle_brackets_are_not_tags() {
        let mut n = Nesting::default();
        assert_eq!(n.raw_html("a < b <3 <> </ >"), None);
        assert_eq!(n.html, 0);
    }
}
