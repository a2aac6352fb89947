//! The local files an article embeds or links to (images, PDFs, handouts),
//! found the way the renderer sees the body: every link and image
//! destination pulldown-cmark reports, plus `src=` / `href=` values in raw
//! HTML. Fingerprint v2 covers the bytes of these files, so this is its
//! definition of "embedded"; `scripts/fingerprint.py` re-implements it with
//! another CommonMark parser (README, "Fingerprint v2"). Links to other
//! articles (`*.md`) are not embedded files: those have their own review.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Parser, Tag};
use regex::Regex;

/// The local targets in `body`, decoded (Markdown escapes and entities by
/// the parser, then `%XX`), without `?query` or `#fragment`, sorted by
/// bytes and without duplicates.
pub fn local_targets(body: &str) -> Vec<String> {
    // A destination needs `](`, `]:` (a reference definition) or raw HTML.
    if !(body.contains("](") || body.contains("]:") || body.contains('<')) {
        return Vec::new();
    }
    let mut found = BTreeSet::new();
    let mut html = String::new();
    let flush = |html: &mut String, found: &mut BTreeSet<String>| {
        for value in html_attribute_targets(html) {
            found.extend(local_target(&value));
        }
        html.clear();
    };
    for event in Parser::new_ext(body, super::render::options()) {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => {
                html.push_str(&text);
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                found.extend(local_target(&dest_url));
            }
            _ => {}
        }
        flush(&mut html, &mut found);
    }
    flush(&mut html, &mut found);
    found.into_iter().collect()
}

/// `src` and `href` attribute values in a run of raw HTML, as written.
fn html_attribute_targets(html: &str) -> Vec<String> {
    if html.is_empty() {
        return Vec::new();
    }
    static ATTR: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = ATTR.get_or_init(|| {
        Regex::new(r#"(?i)(?:^|[\s"'/])(?:src|href)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
            .expect("valid regex")
    });
    re.captures_iter(html)
        .filter_map(|c| c.get(1).or(c.get(2)).or(c.get(3)))
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The local file a destination names, or `None` for a URL with a scheme
/// (`https:`, `mailto:` …), a protocol-relative `//host` URL, a bare
/// `#fragment` or `?query`, or a link to an article (`.md`).
pub fn local_target(dest: &str) -> Option<String> {
    let trimmed = dest.trim_matches(|c: char| c <= ' ');
    if has_scheme(trimmed) || trimmed.starts_with("//") || trimmed.starts_with("\\\\") {
        return None;
    }
    let path = trimmed.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    let decoded = percent_decode(path);
    let is_md = decoded.len() >= 3
        && decoded.is_char_boundary(decoded.len() - 3)
        && decoded[decoded.len() - 3..].eq_ignore_ascii_case(".md");
    (!is_md).then_some(decoded)
}

/// `scheme:` at the start, as RFC 3986 spells a scheme.
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%XX` sequences; the original text when the result is not UTF-8.
/// A `%` not followed by two hex digits stays as it is.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_images_links_references_and_raw_html() {
        let body = "![图](img/a.png \"t\") [讲义](files/%E8%AE%B2.pdf#p2)\n\n\
            [另一篇](other.md) [外链](https://x.org/a.png) [邮件](mailto:a@b.c) [锚](#top)\n\n\
            ![ref][r]\n\n[r]: ./img/b.png\n\n<img src=\"/images/c.png\" alt=\"\">\n\n\
            `![not](code.png)`\n\n    ![indented](code2.png)\n";
        assert_eq!(
            local_targets(body),
            vec!["./img/b.png", "/images/c.png", "files/讲.pdf", "img/a.png"]
        );
    }

    #[test]
    fn nothing_to_find() {
        assert!(local_targets("纯文本，没有链接。").is_empty());
        assert!(local_targets("[x](//cdn.example.org/a.png) [y](?q=1)").is_empty());
    }

    #[test]
    fn escapes_and_angle_brackets() {
        assert_eq!(
            local_targets("![a](<my pic.png>) ![b](a\\_b.png) ![c](x%zz.png) ![d](%FF.png)"),
            vec!["%FF.png", "a_b.png", "my pic.png", "x%zz.png"]
        );
    }
}
