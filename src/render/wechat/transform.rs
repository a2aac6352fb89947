//! The HTML rewriting WeChat needs, on the sanitized HTML healthpress
//! renders (every attribute double-quoted, text escaped). The 公众号 editor
//! keeps inline `style=""` and little else: it drops `<style>`, classes
//! and ids, refuses body links to anything but other 公众号 articles, and
//! shows nothing of video players. So, before templating, an article body
//! gets its links turned into numbered references ([`references`]) and its
//! images made absolute and plain ([`plain_images`]); after the CSS is
//! inlined, the whole post loses every attribute and element the editor
//! would drop or that could carry a script ([`clean`]).
//!
//! Tags are found with one pattern that skips over quoted attribute values,
//! so an `alt="a>b"` cannot end a tag early.

use std::sync::LazyLock;

use regex::Regex;

use crate::html::escape_html;
use crate::render::inline::tags::{attributes, tags, unescape, TAG};

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("valid regex"));

/// The only host whose links the 公众号 editor keeps in a post's body.
pub const WECHAT_HOST: &str = "mp.weixin.qq.com";

fn attribute<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Whether `url` is an article of a 公众号 (`https://mp.weixin.qq.com/…`),
/// the one kind of link a post may keep.
pub fn is_wechat_link(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.eq_ignore_ascii_case(WECHAT_HOST)
}

/// `url` (unescaped) as a reader can type it: root-relative and
/// protocol-relative URLs are made absolute against `origin`.
pub fn absolute(url: &str, origin: &str) -> String {
    if let Some(rest) = url.strip_prefix("//") {
        format!("https://{rest}")
    } else if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        url.to_string()
    }
}

/// One numbered reference: what a link in the body pointed to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    pub number: usize,
    /// Absolute URL, unescaped (templates escape it).
    pub url: String,
}

/// Rewrites the links of a body for a post: a link to a 公众号 article stays
/// a link (only its `href`); an in-page link (`#…`) becomes its text, since
/// the editor drops ids; every other link (other articles of the site,
/// outside sites, `mailto:`, `tel:`) becomes its text followed by `[n]`,
/// the same URL always the same `n`, numbered from `references.len() + 1`.
/// The references found are appended to `references`.
pub fn references(html: &str, origin: &str, references: &mut Vec<Reference>) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    // For each open <a>: what to write at its </a>.
    let mut closing: Vec<String> = Vec::new();
    let mut last = 0;
    for tag in tags(html) {
        out.push_str(&html[last..tag.start]);
        last = tag.end;
        if !tag.name.eq_ignore_ascii_case("a") {
            out.push_str(tag.whole);
            continue;
        }
        if tag.closing {
            out.push_str(&closing.pop().unwrap_or_default());
            continue;
        }
        let attrs = attributes(tag.attrs);
        let href = unescape(attribute(&attrs, "href").unwrap_or("").trim());
        if is_wechat_link(&href) {
            out.push_str(&format!("<a href=\"{}\">", escape_html(&href)));
            closing.push("</a>".into());
        } else if href.is_empty() || href.starts_with('#') {
            closing.push(String::new());
        } else {
            let url = absolute(&href, origin);
            let number = match references.iter().find(|r| r.url == url) {
                Some(r) => r.number,
                None => {
                    let number = references.len() + 1;
                    references.push(Reference { number, url });
                    number
                }
            };
            closing.push(format!("<sup class=\"wx-ref\">[{number}]</sup>"));
        }
    }
    out.push_str(&html[last..]);
    out
}

/// Elements dropped with everything inside them: the editor shows nothing
/// of them (players, scripts, forms) or they would style the page.
const DROPPED_WITH_CONTENT: [&str; 11] = [
    "script", "style", "iframe", "video", "audio", "object", "noscript", "template", "form",
    "button", "svg",
];
/// Elements whose tags go but whose content stays.
const UNWRAPPED: [&str; 3] = ["picture", "html", "body"];
/// Elements dropped on their own (no content, or only a head's).
const DROPPED_VOID: [&str; 8] = [
    "source", "track", "link", "meta", "base", "embed", "input", "head",
];

/// Images as a post needs them: an absolute `src` (the editor fetches and
/// re-hosts it), the `alt`, and nothing a browser alone uses (`srcset`,
/// lazy loading, sizes: the style gives every image the full width).
pub fn plain_images(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for found in tags(html) {
        out.push_str(&html[last..found.start]);
        last = found.end;
        if !found.name.eq_ignore_ascii_case("img") || found.closing {
            out.push_str(found.whole);
            continue;
        }
        let attrs = attributes(found.attrs);
        let src = absolute(&unescape(attribute(&attrs, "src").unwrap_or("")), origin);
        let mut tag = format!("<img src=\"{}\"", escape_html(&src));
        if let Some(alt) = attribute(&attrs, "alt") {
            tag.push_str(&format!(" alt=\"{alt}\""));
        }
        if let Some(class) = attribute(&attrs, "class") {
            tag.push_str(&format!(" class=\"{class}\""));
        }
        tag.push('>');
        out.push_str(&tag);
    }
    out.push_str(&html[last..]);
    out
}

/// Attributes a post keeps: its styles, link targets, image sources and
/// table structure. Everything else (`class`, `id`, `data-*`, event
/// handlers, `lang`, ARIA) is dropped: the editor would drop most of it,
/// and the rest has no effect once the CSS is inline.
fn kept_attribute(element: &str, name: &str) -> bool {
    match name {
        "style" => true,
        "href" => element == "a",
        "src" | "alt" => element == "img",
        "colspan" | "rowspan" => matches!(element, "td" | "th"),
        "start" | "reversed" => element == "ol",
        _ => false,
    }
}

/// The post as the editor keeps it: comments, dropped elements
/// ([`DROPPED_WITH_CONTENT`] and their content, [`DROPPED_VOID`]) and
/// unkept attributes removed; `<a>` left only with a 公众号 `href` (any
/// other is unwrapped, its text kept), `<img>` only with an absolute
/// http(s) `src`.
pub fn clean(html: &str) -> String {
    let html = COMMENT.replace_all(html, "");
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    // Inside a dropped element: its name and nesting depth.
    let mut dropping: Option<(String, usize)> = None;
    let mut open_links: Vec<bool> = Vec::new();
    for tag in tags(&html) {
        let (start, end) = (tag.start, tag.end);
        let closing = tag.closing;
        // Lower-cased only when it has capitals (rare in rendered HTML).
        let name: std::borrow::Cow<str> = if tag.name.bytes().any(|b| b.is_ascii_uppercase()) {
            tag.name.to_ascii_lowercase().into()
        } else {
            tag.name.into()
        };
        if let Some((dropped, depth)) = dropping.as_mut() {
            if *dropped == *name {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
            }
            if *depth == 0 {
                dropping = None;
            }
            last = end;
            continue;
        }
        out.push_str(&html[last..start]);
        last = end;
        if DROPPED_WITH_CONTENT.contains(&&*name) {
            if !closing && !tag.attrs.trim_end().ends_with('/') {
                dropping = Some((name.into_owned(), 1));
            }
            continue;
        }
        if name == "input" && !closing {
            // A task list's box: the editor has no form controls.
            let attrs = attributes(tag.attrs);
            if attribute(&attrs, "type") == Some("checkbox") {
                let checked = attrs.iter().any(|(n, _)| n == "checked");
                out.push_str(if checked { "☑" } else { "☐" });
            }
            continue;
        }
        if DROPPED_VOID.contains(&&*name) || UNWRAPPED.contains(&&*name) {
            continue;
        }
        if name == "title" {
            // Only in a document's head: drop it with its text.
            dropping = (!closing).then(|| (name.into_owned(), 1));
            continue;
        }
        if closing {
            if name == "a" && !open_links.pop().unwrap_or(false) {
                continue;
            }
            out.push_str("</");
            out.push_str(&name);
            out.push('>');
            continue;
        }
        let attrs = attributes(tag.attrs);
        if name == "a" {
            let keep = attribute(&attrs, "href").is_some_and(|h| is_wechat_link(&unescape(h)));
            open_links.push(keep);
            if !keep {
                continue;
            }
        }
        if name == "img" {
            let src = unescape(attribute(&attrs, "src").unwrap_or(""));
            if !(src.starts_with("https://") || src.starts_with("http://")) {
                continue;
            }
        }
        out.push('<');
        out.push_str(&name);
        for (attr, value) in &attrs {
            if kept_attribute(&name, attr) {
                out.push(' ');
                out.push_str(attr);
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        out.push('>');
    }
    if dropping.is_none() {
        out.push_str(&html[last..]);
    }
    out.trim().to_string()
}

/// The inside of a document's `<body>` (all of `html` if it has none).
pub fn body_of(html: &str) -> &str {
    let Some(open) = html.find("<body") else {
        return html;
    };
    let Some(start) = html[open..].find('>').map(|e| open + e + 1) else {
        return html;
    };
    let end = html
        .rfind("</body>")
        .filter(|&e| e >= start)
        .unwrap_or(html.len());
    &html[start..end]
}

/// The visible text of `html`, tags removed and entities decoded, for the
/// compliance lint.
pub fn text_of(html: &str) -> String {
    let without = COMMENT.replace_all(html, "");
    let text = TAG.replace_all(&without, " ");
    unescape(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://h.example.org";

    #[test]
    fn links_become_numbered_references_except_wechat_articles() {
        let html = r##"<p><a href="/articles/fever/">发热</a>、<a href="https://www.who.int/a?x=1&amp;y=2">WHO</a>、<a href="/articles/fever/">再看发热</a>、<a href="https://mp.weixin.qq.com/s/abc">往期</a>、<a href="#fn1">1</a>、<a href="https://mp.weixin.qq.com.evil.cn/s">假</a></p>"##;
        let mut refs = Vec::new();
        let out = references(html, ORIGIN, &mut refs);
        assert_eq!(
            out,
            r##"<p>发热<sup class="wx-ref">[1]</sup>、WHO<sup class="wx-ref">[2]</sup>、再看发热<sup class="wx-ref">[1]</sup>、<a href="https://mp.weixin.qq.com/s/abc">往期</a>、1、假<sup class="wx-ref">[3]</sup></p>"##
        );
        let urls: Vec<&str> = refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://h.example.org/articles/fever/",
                "https://www.who.int/a?x=1&y=2",
                "https://mp.weixin.qq.com.evil.cn/s"
            ]
        );
    }

    #[test]
    fn wechat_host_is_matched_exactly() {
        assert!(is_wechat_link("https://mp.weixin.qq.com/s/x"));
        assert!(is_wechat_link("http://MP.weixin.qq.com?x"));
        assert!(!is_wechat_link("https://mp.weixin.qq.com.cn/s"));
        assert!(!is_wechat_link("https://evil.cn/mp.weixin.qq.com"));
        assert!(!is_wechat_link("javascript:mp.weixin.qq.com"));
    }

    #[test]
    fn images_are_absolute_and_plain() {
        let html = r#"<img src="/a/c.960.png" srcset="/a/c.480.png 480w" sizes="100vw" width="960" height="480" alt="a&gt;b" loading="lazy">"#;
        assert_eq!(
            plain_images(html, ORIGIN),
            r#"<img src="https://h.example.org/a/c.960.png" alt="a&gt;b">"#
        );
        let tricky = r#"<img alt="x>y" src="/p.png">"#;
        assert_eq!(
            plain_images(tricky, ORIGIN),
            r#"<img src="https://h.example.org/p.png" alt="x>y">"#
        );
    }

    #[test]
    fn clean_keeps_only_styles_and_what_the_editor_keeps() {
        let html = r#"<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>t</title><style>p{}</style></head><body><!-- c --><section class="wx" id="top" style="font-size:16px" data-x="1"><p class="a" onclick="x()" style="color:red">文<a href="https://x.org">外</a><a href="https://mp.weixin.qq.com/s/1" class="l">内</a></p><script>alert(1)</script><video src="v.mp4"><track src="t.vtt"></video><img src="data:image/png;base64,xx"><img src="https://h/a.png" class="i" style="width:100%"><table><tr><td colspan="2" class="c">x</td></tr></table></section></body></html>"#;
        assert_eq!(
            clean(body_of(html)),
            r#"<section style="font-size:16px"><p style="color:red">文外<a href="https://mp.weixin.qq.com/s/1">内</a></p><img src="https://h/a.png" style="width:100%"><table><tr><td colspan="2">x</td></tr></table></section>"#
        );
    }

    #[test]
    fn task_boxes_become_characters() {
        let html = r#"<li><label><input disabled="" type="checkbox" checked=""> a</label></li><li><input type="checkbox" disabled=""> b</li>"#;
        assert_eq!(clean(html), "<li><label>☑ a</label></li><li>☐ b</li>");
    }

    #[test]
    fn nested_dropped_elements_are_dropped_whole() {
        let html = "<p>a</p><svg><svg><g></g></svg><text>x</text></svg><p>b</p>";
        assert_eq!(clean(html), "<p>a</p><p>b</p>");
    }

    #[test]
    fn text_of_decodes_and_drops_tags() {
        assert_eq!(text_of("<p>a&amp;b</p><!-- x -->"), " a&b ");
    }
}
