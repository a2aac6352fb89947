//! Moving a template's `<style>` rules into `style=""` attributes, for the
//! outputs that cannot rely on a stylesheet: e-mails (mail clients drop or
//! mangle `<style>`, except `@media` rules on phones) and WeChat posts (the
//! 公众号 editor drops `<style>` entirely).
//!
//! Each document goes first to [`simple`], one pass over the tags for the
//! selector subset the default theme's e-mail and post templates keep to;
//! anything outside it goes to css-inline, which parses, matches and
//! serializes the whole document. The two agree on every style (the tests
//! hold them to each other on both templates' rules); css-inline was most
//! of the cost of the ~2,000 e-mails and 10,000 posts of a 10,000-article
//! site, since fitting an issue under Gmail's size limit inlines it
//! several times.

mod simple;
pub mod tags;

use css_inline::CSSInliner;

/// Inlines a rendered e-mail's CSS, keeping only `@media` rules in a
/// `<style>` block. Remote stylesheets are never fetched.
pub fn for_email(html: &str) -> Result<String, String> {
    match simple::inline_keeping_media(html) {
        Some(inlined) => Ok(inlined),
        None => with_css_inline(html, true),
    }
}

/// Inlines every rule and keeps no `<style>` at all, `@media` rules
/// dropped: for the WeChat editor, which discards `<style>` blocks.
pub fn for_wechat(html: &str) -> Result<String, String> {
    match simple::inline_simple(html) {
        Some(inlined) => Ok(inlined),
        None => with_css_inline(html, false),
    }
}

/// css-inline on the whole document: what the fast path cannot read.
fn with_css_inline(html: &str, keep_at_rules: bool) -> Result<String, String> {
    let inliner = CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(keep_at_rules)
        .build();
    inliner.inline(html).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::tags::{attributes, tags, unescape};
    use super::*;

    const MEDIA_DOC: &str = "<html><head><style>p { color: #111; } @media (max-width: 620px) { .wrap { width: 100% !important; } }</style></head><body><p class=\"wrap\">x</p></body></html>";

    #[test]
    fn media_rules_stay_in_style_everything_else_inlined() {
        for out in [
            for_email(MEDIA_DOC).unwrap(),
            with_css_inline(MEDIA_DOC, true).unwrap(),
        ] {
            assert!(
                out.contains("<p class=\"wrap\" style=\"color: #111;\">x</p>"),
                "{out}"
            );
            assert!(
                out.contains("<head><style>@media (max-width: 620px)"),
                "{out}"
            );
            assert_eq!(out.matches("<style").count(), 1);
        }
    }

    #[test]
    fn other_at_rules_and_a_missing_head_go_to_css_inline() {
        for doc in [
            "<html><head><style>@font-face { font-family: x; } p { color: red; }</style></head><body><p>x</p></body></html>",
            "<html><head><style>p { content: \"@media\"; }</style></head><body><p>x</p></body></html>",
            "<style>@media (max-width: 1px) { p { color: red; } }</style><p>x</p>",
        ] {
            assert!(simple::inline_keeping_media(doc).is_none(), "{doc}");
            assert!(for_email(doc).is_ok(), "{doc}");
        }
        // Without @media nothing needs a head.
        assert!(simple::inline_keeping_media("<style>p{color:red}</style><p>x</p>").is_some());
    }

    /// Every element's declarations, sorted, by tag: what a mail client
    /// applies, whichever inliner wrote them.
    fn styles(html: &str) -> Vec<String> {
        tags(html)
            .filter(|t| !t.closing)
            .filter(|t| !matches!(t.name, "html" | "head" | "body" | "style" | "meta"))
            .map(|t| {
                let attrs = attributes(t.attrs);
                let style = attrs
                    .iter()
                    .find(|(n, _)| n == "style")
                    .map_or(String::new(), |(_, v)| unescape(v));
                let mut decls: Vec<String> = style
                    .split(';')
                    .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|d| !d.is_empty())
                    .collect();
                decls.sort();
                format!("{} {decls:?}", t.name)
            })
            .collect()
    }

    /// The e-mail template's own stylesheet (with its @media block) on a
    /// body with the elements articles use: both inliners give every
    /// element the same styles.
    #[test]
    fn the_same_styles_as_css_inline_on_the_email_template() {
        let template = include_str!("../../../themes/default/templates/digest_email.html");
        // The element itself, not the comment above it that names it.
        let start = template.find("\n<style>").unwrap() + 1;
        let end = start + template[start..].find("</style>").unwrap() + "</style>".len();
        let css = &template[start..end];
        let doc = format!(
            "<!DOCTYPE html>\n<html lang=\"zh\"><head>{css}<meta charset=\"utf-8\"><title>t</title></head><body>\
<table class=\"outer\" role=\"presentation\"><tr><td class=\"outer-cell\"><table class=\"container\"><tr><td class=\"header\"><p class=\"from\">院</p><h1 class=\"title\">周刊</h1></td></tr>\
<tr><td class=\"article\"><h2 class=\"article-title\"><a href=\"https://h/a/?x=1&amp;y=2\">题</a></h2><p class=\"summary\">摘要</p>\
<div class=\"body\"><p>段 <a href=\"https://h/b\">链</a></p><ul><li>项</li></ul><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>\
<blockquote><p>引</p></blockquote><pre><code>x</code></pre><img src=\"https://h/i.png\" alt=\"图\"><h3>小</h3></div>\
<p class=\"more\"><a class=\"button\" href=\"https://h/a/\">读</a></p></td></tr><tr><td class=\"footer\"><p>脚 <a href=\"https://h/u\">退订</a></p></td></tr></table></td></tr></table></body></html>"
        );
        let ours = for_email(&doc).unwrap();
        assert!(
            simple::inline_keeping_media(&doc).is_some(),
            "the fast path reads the template's CSS"
        );
        let theirs = with_css_inline(&doc, true).unwrap();
        assert_eq!(styles(&ours), styles(&theirs));
        let media = |html: &str| {
            let s = html.find("<style>").unwrap();
            html[s..s + html[s..].find("</style>").unwrap()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(media(&ours), media(&theirs));
    }
}
