//! CSS inlining in one pass over the tags, for the stylesheets post and
//! e-mail templates are asked to keep to (docs/wechat.md): rules
//! of tag and class selectors, with descendant combinators only, no
//! `@`-rules and no `!important` (for e-mails, `@media` blocks are allowed
//! and kept as written in one `<style>` at the start of `<head>`, where
//! css-inline puts them: they are what a phone's mail client applies). Such a rule applies to an element when its
//! last compound matches the element and the others match ancestors in
//! order, so the open elements are all that needs remembering. css-inline
//! parses, matches and serializes a whole document instead, which was the
//! larger part of rendering 10,000 posts. Anything outside that subset, or
//! an HTML comment (which may hide tags), returns `None` and the post goes
//! through css-inline as before.
//!
//! As with css-inline: declarations apply in order of specificity (classes,
//! then tags) and then of the stylesheet, a later value of a property
//! replacing an earlier one in its place; the element's own `style`
//! declarations come last; `<style>` and `<link>` elements are removed;
//! rows placed directly in a `<table>` get the `<tbody>` an HTML parser
//! adds, so the copied post is the one the preview page shows. Values are
//! written `property: value;` one after the other, as
//! css-inline writes them, double quotes turned single so they fit the
//! attribute.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use super::tags::{attributes, tags, unescape};

/// One compound selector: an optional tag name and classes.
#[derive(Debug, PartialEq)]
struct Compound {
    tag: Option<String>,
    classes: Vec<String>,
}

/// One selector of a rule, its specificity and its declarations.
#[derive(Debug)]
struct Rule {
    /// Outermost first; the last one matches the element itself.
    chain: Vec<Compound>,
    specificity: (usize, usize),
    order: usize,
    declarations: Vec<(String, String)>,
}

/// An open element: its name and classes.
struct Open {
    name: String,
    classes: Vec<String>,
    /// A `<tbody>` written here, as an HTML parser adds one around rows
    /// placed directly in a `<table>`.
    implied: bool,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// `html` with every rule of its `<style>` elements inlined, or `None` if
/// the stylesheet or the document is outside what this module handles.
pub fn inline_simple(html: &str) -> Option<String> {
    inline_rules(html, false)
}

/// As [`inline_simple`], but top-level `@media` blocks are kept, as
/// written, in a `<style>` at the start of `<head>` (`None` without one).
pub fn inline_keeping_media(html: &str) -> Option<String> {
    inline_rules(html, true)
}

fn inline_rules(html: &str, keep_media: bool) -> Option<String> {
    if html.contains("<!--") {
        return None;
    }
    let (css, html) = take_style_elements(html)?;
    let sheet = stylesheet(css, keep_media)?;
    let (rules, media) = (&sheet.rules, &sheet.media);
    let mut out = String::with_capacity(html.len() * 2);
    let mut open: Vec<Open> = Vec::new();
    let mut last = 0;
    for tag in tags(&html) {
        let name = tag.name.to_ascii_lowercase();
        if tag.closing {
            if let Some(at) = open.iter().rposition(|o| o.name == name) {
                if open[at + 1..].iter().any(|o| o.implied) {
                    out.push_str(&html[last..tag.start]);
                    last = tag.start;
                    out.push_str("</tbody>");
                }
                open.truncate(at);
            }
            continue;
        }
        if name == "tr" && open.last().is_some_and(|o| o.name == "table") {
            // What the browser, the 公众号 editor and css-inline's parser
            // all make of it, so the copied post is what the page shows.
            out.push_str(&html[last..tag.start]);
            last = tag.start;
            let tbody = Open {
                name: "tbody".into(),
                classes: Vec::new(),
                implied: true,
            };
            let applied = styles(rules, &tbody, &open, None)?;
            if applied.is_empty() {
                out.push_str("<tbody>");
            } else {
                write_tag(&mut out, "tbody", &[], &applied, "");
            }
            open.push(tbody);
        }
        if name == "link" {
            out.push_str(&html[last..tag.start]);
            last = tag.end;
            continue;
        }
        let attrs = attributes(tag.attrs);
        let classes: Vec<String> = attrs
            .iter()
            .filter(|(n, _)| n == "class")
            .flat_map(|(_, v)| v.split_whitespace().map(str::to_string))
            .collect();
        let element = Open {
            name,
            classes,
            implied: false,
        };
        let own = attrs
            .iter()
            .find(|(n, _)| n == "style")
            .map(|(_, v)| v.as_str());
        let applied = styles(rules, &element, &open, own)?;
        if !applied.is_empty() {
            out.push_str(&html[last..tag.start]);
            last = tag.end;
            write_tag(&mut out, &element.name, &attrs, &applied, tag.attrs);
        }
        let self_closing = tag.attrs.trim_end().ends_with('/');
        if !VOID.contains(&element.name.as_str()) && !self_closing {
            open.push(element);
        }
    }
    out.push_str(&html[last..]);
    if media.is_empty() {
        return Some(out);
    }
    let head = tags(&out).find(|t| !t.closing && t.name.eq_ignore_ascii_case("head"))?;
    out.insert_str(head.end, &format!("<style>{media}</style>"));
    Some(out)
}

/// A `<style>` text read once: its rules in the order they apply, and the
/// `@media` blocks kept for e-mails.
struct Stylesheet {
    rules: Vec<Rule>,
    media: String,
}

/// Every post and e-mail of a build carries the same one or two
/// stylesheets, so each is parsed once (a few entries, cleared if a
/// theme ever produced many).
static STYLESHEETS: LazyLock<Mutex<ParsedSheets>> = LazyLock::new(Mutex::default);

/// Stylesheets by (keep `@media`, text): `None` if outside the subset.
type ParsedSheets = HashMap<(bool, String), Option<Arc<Stylesheet>>>;

fn stylesheet(css: String, keep_media: bool) -> Option<Arc<Stylesheet>> {
    let key = (keep_media, css);
    if let Some(known) = STYLESHEETS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return known;
    }
    let read = || -> Option<Arc<Stylesheet>> {
        let (css, media) = if keep_media {
            split_media(&strip_comments(&key.1)?)?
        } else {
            (key.1.clone(), String::new())
        };
        let mut rules = parse_rules(&css)?;
        rules.sort_by_key(|r| (r.specificity, r.order));
        Some(Arc::new(Stylesheet { rules, media }))
    };
    let sheet = read();
    if let Ok(mut known) = STYLESHEETS.lock() {
        if known.len() >= 16 {
            known.clear();
        }
        known.insert(key, sheet.clone());
    }
    sheet
}

/// `css` split into what is outside `@media` blocks and the blocks
/// themselves, joined; `None` for any other `@`-rule or unbalanced braces.
fn split_media(css: &str) -> Option<(String, String)> {
    let (mut plain, mut media) = (String::new(), String::new());
    let mut rest = css;
    while let Some(at) = rest.find('@') {
        plain.push_str(&rest[..at]);
        let block = &rest[at..];
        // Only @media, and only where a rule may start (not inside a
        // declaration's value).
        let at_rule_boundary = plain.trim_end().is_empty() || plain.trim_end().ends_with('}');
        if !block.starts_with("@media") || !at_rule_boundary {
            return None;
        }
        let open = block.find('{')?;
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in block.char_indices().skip_while(|(i, _)| *i < open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end?;
        if !media.is_empty() {
            media.push('\n');
        }
        media.push_str(block[..end].trim());
        rest = &block[end..];
    }
    plain.push_str(rest);
    Some((plain, media))
}

/// The text of every `<style>` element, and `html` without them.
fn take_style_elements(html: &str) -> Option<(String, String)> {
    let mut css = String::new();
    let mut rest = String::with_capacity(html.len());
    let mut from = 0;
    let lower = html.to_ascii_lowercase();
    while let Some(open) = lower[from..].find("<style").map(|i| from + i) {
        let body = open + lower[open..].find('>')? + 1;
        let close = body + lower[body..].find("</style")?;
        let end = close + lower[close..].find('>')? + 1;
        rest.push_str(&html[from..open]);
        css.push_str(&html[body..close]);
        css.push('\n');
        from = end;
    }
    rest.push_str(&html[from..]);
    Some((css, rest))
}

fn parse_rules(css: &str) -> Option<Vec<Rule>> {
    let css = strip_comments(css)?;
    if css.contains('@') || css.contains("!important") {
        return None;
    }
    let mut rules = Vec::new();
    let mut chunks: Vec<&str> = css.split('}').collect();
    if !chunks.pop()?.trim().is_empty() {
        return None; // text after the last rule
    }
    for chunk in chunks {
        let (selectors, body) = chunk.split_once('{')?;
        let declarations = declarations(body)?;
        for selector in selectors.split(',') {
            let chain = selector
                .split_whitespace()
                .map(compound)
                .collect::<Option<Vec<Compound>>>()?;
            if chain.is_empty() {
                return None;
            }
            let classes = chain.iter().map(|c| c.classes.len()).sum();
            let tags = chain.iter().filter(|c| c.tag.is_some()).count();
            rules.push(Rule {
                chain,
                specificity: (classes, tags),
                order: rules.len(),
                declarations: declarations.clone(),
            });
        }
    }
    Some(rules)
}

fn strip_comments(css: &str) -> Option<String> {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start + 2..].find("*/")?;
        rest = &rest[start + 2 + end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// `tag`, `.class`, `tag.class.other`: anything else is not handled.
fn compound(text: &str) -> Option<Compound> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut parts = text.split('.');
    let tag = parts.next()?;
    let tag_ok = tag.starts_with(|c: char| c.is_ascii_alphabetic()) && tag.chars().all(name_char);
    if !tag.is_empty() && !tag_ok {
        return None;
    }
    let classes: Vec<String> = parts.map(str::to_string).collect();
    if classes
        .iter()
        .any(|c| c.is_empty() || !c.chars().all(name_char))
    {
        return None;
    }
    if tag.is_empty() && classes.is_empty() {
        return None;
    }
    Some(Compound {
        tag: (!tag.is_empty()).then(|| tag.to_ascii_lowercase()),
        classes,
    })
}

/// `property: value; ...` as pairs, properties lower-cased; `None` if a
/// declaration has no colon.
fn declarations(text: &str) -> Option<Vec<(String, String)>> {
    let mut found = Vec::new();
    for declaration in text.split(';') {
        if declaration.trim().is_empty() {
            continue;
        }
        let (property, value) = declaration.split_once(':')?;
        let (property, value) = (property.trim(), value.trim());
        if property.is_empty() || value.is_empty() {
            return None;
        }
        found.push((property.to_ascii_lowercase(), value.to_string()));
    }
    Some(found)
}

fn compound_matches(compound: &Compound, element: &Open) -> bool {
    compound.tag.as_ref().is_none_or(|t| *t == element.name)
        && compound.classes.iter().all(|c| element.classes.contains(c))
}

/// Whether `chain` selects `element`, whose open ancestors are `open`.
fn matches(chain: &[Compound], element: &Open, open: &[Open]) -> bool {
    let Some((last, outer)) = chain.split_last() else {
        return false;
    };
    if !compound_matches(last, element) {
        return false;
    }
    // Descendant combinators only: matching each compound to the nearest
    // ancestor that fits, innermost first, never misses a match.
    let mut ancestors = open.iter().rev();
    outer
        .iter()
        .rev()
        .all(|c| ancestors.any(|a| compound_matches(c, a)))
}

/// The declarations `element` gets: the rules that select it, in order,
/// then its own `style`; `None` if that cannot be read.
fn styles<'r>(
    rules: &'r [Rule],
    element: &Open,
    open: &[Open],
    own: Option<&str>,
) -> Option<Vec<Declaration<'r>>> {
    let mut applied: Vec<Declaration<'r>> = Vec::new();
    for rule in rules.iter().filter(|r| matches(&r.chain, element, open)) {
        for (property, value) in &rule.declarations {
            set(&mut applied, Cow::Borrowed(property), Cow::Borrowed(value));
        }
    }
    if let Some(own) = own {
        for (property, value) in declarations(&unescape(own))? {
            set(&mut applied, Cow::Owned(property), Cow::Owned(value));
        }
    }
    Some(applied)
}

/// One property and its value, borrowed from a rule or the element's own.
type Declaration<'r> = (Cow<'r, str>, Cow<'r, str>);

fn set<'r>(applied: &mut Vec<Declaration<'r>>, property: Cow<'r, str>, value: Cow<'r, str>) {
    match applied.iter_mut().find(|(p, _)| *p == property) {
        Some(slot) => slot.1 = value,
        None => applied.push((property, value)),
    }
}

/// The start tag with `applied` as its `style`, its other attributes as
/// they were (values still escaped).
fn write_tag(
    out: &mut String,
    name: &str,
    attrs: &[(String, String)],
    applied: &[Declaration],
    raw: &str,
) {
    out.push('<');
    out.push_str(name);
    for (attribute, value) in attrs.iter().filter(|(n, _)| n != "style") {
        out.push(' ');
        out.push_str(attribute);
        out.push_str("=\"");
        out.push_str(value);
        out.push('"');
    }
    out.push_str(" style=\"");
    for (property, value) in applied {
        out.push_str(property);
        out.push_str(": ");
        if value.contains(['"', '&', '<']) {
            let value = value
                .replace('"', "'")
                .replace('&', "&amp;")
                .replace('<', "&lt;");
            out.push_str(&value);
        } else {
            out.push_str(value);
        }
        out.push(';');
    }
    out.push('"');
    if raw.trim_end().ends_with('/') {
        out.push_str(" /");
    }
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<!DOCTYPE html><html><head><style>
.wx { color: #333; font-family: "PingFang SC", Arial; }
/* a comment */
.wx-body p { margin: 0 0 16px; color: #444; }
.wx-body li p { margin: 0 0 6px; }
p { line-height: 1.75; }
h2, h3 { font-weight: bold; }
</style><link rel="stylesheet" href="x.css"></head><body><section class="wx"><section class="wx-body"><p>a &amp; b</p><ul><li><p>in a list</p></li></ul><h3>t</h3><p style="color:red">own</p><img src="https://h/i.png" alt="x"></section></section><p>outside</p></body></html>"#;

    #[test]
    fn rules_apply_by_specificity_then_order_and_own_styles_last() {
        let out = inline_simple(DOC).unwrap();
        assert!(!out.contains("<style") && !out.contains("<link"), "{out}");
        assert!(
            out.contains(
                r#"<section class="wx" style="color: #333;font-family: 'PingFang SC', Arial;">"#
            ),
            "{out}"
        );
        assert!(
            out.contains(
                r#"<p style="line-height: 1.75;margin: 0 0 16px;color: #444;">a &amp; b</p>"#
            ),
            "{out}"
        );
        assert!(
            out.contains(
                r#"<p style="line-height: 1.75;margin: 0 0 6px;color: #444;">in a list</p>"#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"<h3 style="font-weight: bold;">t</h3>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<p style="line-height: 1.75;margin: 0 0 16px;color: red;">own</p>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<img src="https://h/i.png" alt="x">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<p style="line-height: 1.75;">outside</p>"#),
            "{out}"
        );
    }

    #[test]
    fn rows_directly_in_a_table_get_the_tbody_a_parser_adds() {
        let doc = r#"<html><head><style>.t td { padding: 1px; }</style></head><body><table class="t"><tr><td>a</td></tr></table><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table></body></html>"#;
        let out = inline_simple(doc).unwrap();
        assert!(
            out.contains(r#"<table class="t"><tbody><tr><td style="padding: 1px;">a</td></tr></tbody></table>"#),
            "{out}"
        );
        assert!(
            out.contains(
                "<thead><tr><th>h</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>"
            ),
            "{out}"
        );
        assert_eq!(out.matches("<tbody>").count(), 2, "{out}");
    }

    #[test]
    fn what_it_does_not_handle_is_left_to_css_inline() {
        for css in [
            "a > b { color: red; }",
            "p:first-child { color: red; }",
            "#id { color: red; }",
            "@media (max-width: 1px) { p { color: red; } }",
            "p { color: red !important; }",
            "[data-x] { color: red; }",
            "p { color }",
        ] {
            let doc =
                format!("<html><head><style>{css}</style></head><body><p>x</p></body></html>");
            assert!(inline_simple(&doc).is_none(), "{css}");
        }
        let commented =
            "<html><head><style>p{color:red}</style></head><body><!-- <p> --></body></html>";
        assert!(inline_simple(commented).is_none());
    }

    #[test]
    fn the_same_styles_as_css_inline_on_the_post_template_rules() {
        let ours = inline_simple(DOC).unwrap();
        let theirs = super::super::with_css_inline(DOC, false).unwrap();
        let styles = |html: &str| -> Vec<String> {
            tags(html)
                .filter(|t| !t.closing)
                .map(|t| {
                    let attrs = attributes(t.attrs);
                    let style = attrs
                        .iter()
                        .find(|(n, _)| n == "style")
                        .map_or("", |(_, v)| v);
                    let mut decls = declarations(&unescape(style)).unwrap();
                    decls.sort();
                    format!("{} {decls:?}", t.name)
                })
                .filter(|s| {
                    !s.starts_with("html") && !s.starts_with("head") && !s.starts_with("body")
                })
                .collect()
        };
        assert_eq!(styles(&ours), styles(&theirs));
    }
}
