//! Raw HTML policy. Authors may use a little HTML (`<details>`, `<kbd>`,
//! `<sup>`), but a compromised or careless editor account must not be able
//! to put script on a hospital site, so any document that contained raw HTML
//! has its rendered output passed through ammonia with an explicit allowlist.
//! Documents without raw HTML skip ammonia entirely: pulldown-cmark escapes
//! all text and [`super::links`] has already vetted every URL.
//!
//! The allowlist has to let through the markup the renderer itself generates
//! (heading ids, `hl-*` highlight classes, footnote ids and classes, disabled
//! task-list checkboxes, `align-*` table classes) so a page looks the same
//! whether or not it was sanitized. SVG and MathML are never allowed: that is
//! where ammonia's recent advisories were.
//!
//! ammonia does not report what it removed, so a small tag scanner looks at
//! the raw fragments to name the dangerous parts in the `raw-html` warning.
//! The scanner only words the message; ammonia does the actual cleaning.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use super::{links, LinkProblem, UrlCheck};

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Removed together with everything inside them, not just the tags.
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "svg", "math", "template", "iframe", "object", "embed", "noscript",
    "textarea", "select",
];

const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "lang", "title", "dir"];

const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding",
        ],
    ),
    ("div", &["tabindex"]),
    ("ol", &["start", "reversed", "type"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("input", &["type", "checked", "disabled"]),
];

/// Attributes whose value a browser would load or navigate to.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "data",
    "lowsrc",
    "dynsrc",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(&[]));

/// The cleaner for a site that allows `extra` link schemes besides the
/// defaults (site.yaml `content: link_schemes:`). Built once per set of
/// schemes: a site has one, tests a few.
fn cleaner_for(extra: &[String]) -> std::sync::Arc<ammonia::Builder<'static>> {
    type Cache = std::sync::Mutex<Vec<(Vec<String>, std::sync::Arc<ammonia::Builder<'static>>)>>;
    static BUILT: LazyLock<Cache> = LazyLock::new(Default::default);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, b)) = built.iter().find(|(k, _)| k.as_slice() == extra) {
        return b.clone();
    }
    // Leaked once per distinct set: ammonia keeps `&'static str` schemes.
    let leaked: Vec<&'static str> = extra
        .iter()
        .map(|s| &*Box::leak(s.clone().into_boxed_str()))
        .collect();
    let b = std::sync::Arc::new(builder(&leaked));
    built.push((extra.to_vec(), b.clone()));
    b
}

fn builder(extra: &[&'static str]) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    let schemes: HashSet<&'static str> = crate::config::content::DEFAULT_SCHEMES
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .filter(|s| !crate::config::content::FORBIDDEN_SCHEMES.contains(s))
        .collect();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::PassThrough)
        // Pages rendered with and without ammonia must look the same, and
        // pulldown-cmark adds no `rel`.
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| {
            // Only checkboxes: a text or password box in an article could
            // be used to phish patients.
            if element == "input" && attribute == "type" && !value.eq_ignore_ascii_case("checkbox")
            {
                return None;
            }
            if matches!(attribute, "href" | "src" | "cite") && !url_allowed(element, value) {
                return None;
            }
            // Keyboard access to the scrolling table box, nothing else.
            if attribute == "tabindex" && value != "0" {
                return None;
            }
            // `srcset` holds URLs ammonia does not look at: only plain
            // relative or http(s) candidates survive, none naming an
            // article that is not public.
            if attribute == "srcset"
                && !value.split(',').all(|c| {
                    let url = c.split_whitespace().next().unwrap_or("");
                    matches!(
                        links::scheme_of(url).as_deref(),
                        None | Some("http" | "https")
                    ) && url_allowed(element, url)
                })
            {
                return None;
            }
            Some(value.into())
        });
    builder
}

/// What the URL check of one `clean` call found, per thread (ammonia's
/// filter must be `'static`, so it cannot borrow the resolver).
struct Judging {
    urls: Arc<dyn UrlCheck>,
    dropped: Vec<(String, LinkProblem)>,
    /// An `<img>` lost its `src`: it must go, keeping its alt text.
    image_dropped: bool,
}

thread_local! {
    static JUDGING: RefCell<Option<Judging>> = const { RefCell::new(None) };
}

/// Whether raw HTML may keep this URL attribute; records what it drops.
fn url_allowed(element: &str, value: &str) -> bool {
    JUDGING.with(|j| {
        let mut j = j.borrow_mut();
        let Some(j) = j.as_mut() else { return true };
        match j.urls.check(value) {
            Ok(()) => true,
            Err(problem) => {
                let keep = matches!(problem, LinkProblem::EndingSoon { .. });
                j.dropped.push((value.to_string(), problem));
                if !keep && element == "img" {
                    j.image_dropped = true;
                }
                keep
            }
        }
    })
}

/// Sanitizes `html`. With `urls`, URL attributes that name an article
/// page that is not public are removed too (an `<a>` becomes its text, an
/// `<img>` its alt text); returns them with their problems.
pub(crate) fn clean(
    html: &str,
    extra: &[String],
    urls: Option<Arc<dyn UrlCheck>>,
) -> (String, Vec<(String, LinkProblem)>) {
    let Some(urls) = urls else {
        return (clean_with_schemes(html, extra), Vec::new());
    };
    JUDGING.with(|j| {
        *j.borrow_mut() = Some(Judging {
            urls,
            dropped: Vec::new(),
            image_dropped: false,
        })
    });
    let cleaned = clean_with_schemes(html, extra);
    let judging = JUDGING.with(|j| j.borrow_mut().take());
    let Some(judging) = judging else {
        return (cleaned, Vec::new());
    };
    let cleaned = if judging.image_dropped {
        replace_sourceless_images(&cleaned)
    } else {
        cleaned
    };
    (cleaned, judging.dropped)
}

/// Replaces each `<img>` without a `src` in ammonia's output by its alt
/// text (an image without a source is invalid HTML and shows nothing).
/// ammonia serializes attributes in double quotes with `"` escaped, so a
/// tag ends at the first `>` outside quotes; in attribute values `<` and
/// `>` are not escaped, so the alt text is escaped again as text.
fn replace_sourceless_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let tag_and_after = &rest[start..];
        let mut in_quotes = false;
        let end = tag_and_after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                c == '>' && !in_quotes
            })
            .map_or(tag_and_after.len(), |(i, _)| i + 1);
        let tag = &tag_and_after[..end];
        if tag.contains(" src=\"") {
            out.push_str(tag);
        } else if let Some(alt_start) = tag.find(" alt=\"") {
            let alt = &tag[alt_start + 6..];
            let alt = &alt[..alt.find('"').unwrap_or(alt.len())];
            out.push_str(&alt.replace('<', "&lt;").replace('>', "&gt;"));
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// Sanitizes a rendered document; `extra` are site.yaml's added schemes.
fn clean_with_schemes(html: &str, extra: &[String]) -> String {
    if extra.is_empty() {
        CLEANER.clean(html).to_string()
    } else {
        cleaner_for(extra).clean(html).to_string()
    }
}

/// True when the fragment is nothing but HTML comments and whitespace, such
/// as `<!-- healthpress-allow: cure-guarantee -->`; those are dropped
/// silently and do not make the document go through ammonia.
pub(crate) fn is_comment_only(fragment: &str) -> bool {
    let mut rest = fragment.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after_open) = rest.strip_prefix("<!--") else {
            return false;
        };
        let Some(end) = after_open.find("-->") else {
            return false;
        };
        rest = after_open[end + 3..].trim_start();
    }
    true
}

/// What the raw HTML of one document tried to do that will not survive.
#[derive(Default)]
pub(crate) struct Findings {
    items: BTreeSet<String>,
    /// site.yaml's added link schemes, which are not findings.
    pub schemes: Vec<String>,
}

impl Findings {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `raw HTML `<script>`, `onerror=` attribute was removed`.
    pub fn message(&self) -> String {
        let list: Vec<&str> = self.items.iter().map(String::as_str).collect();
        format!("raw HTML {} was removed", list.join(", "))
    }

    /// What to do instead, for the `raw-html` warning.
    pub fn hint(&self) -> &'static str {
        if self
            .items
            .iter()
            .any(|i| i == "`<iframe>`" || i == "`<video>`")
        {
            "to show a video, put the video page's link alone in a paragraph (its host listed under `content: embeds:` in site.yaml), or a local file as ![description](clip.mp4) or as <video src=\"clip.mp4\" title=\"…\"> with <track> captions, every file next to the article and no other attributes; see docs/content.md"
        } else {
            "use Markdown instead; only simple formatting HTML is allowed in articles"
        }
    }

    /// Scans one raw fragment; returns true if it found something.
    pub fn scan(&mut self, fragment: &str) -> bool {
        let before = self.items.len();
        let mut rest = fragment;
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt + 1..];
            if let Some(comment) = rest.strip_prefix("!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
                .unwrap_or(rest.len());
            if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
                continue; // closing tag, `<!DOCTYPE`, or a stray `<`
            }
            let name = rest[..name_len].to_ascii_lowercase();
            rest = &rest[name_len..];
            if !TAGS.contains(&name.as_str()) {
                self.items.insert(format!("`<{name}>`"));
            }
            rest = self.scan_attributes(rest);
        }
        self.items.len() > before
    }

    /// Walks `attr=value` pairs up to the tag's `>`; returns the remainder.
    fn scan_attributes<'f>(&mut self, mut rest: &'f str) -> &'f str {
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                return rest.get(1..).unwrap_or("");
            }
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(rest.len())
                .max(1);
            let name = rest[..name_len].to_ascii_lowercase();
            rest = rest[name_len..].trim_start();
            let mut value = "";
            if let Some(after_eq) = rest.strip_prefix('=') {
                let after_eq = after_eq.trim_start();
                let (v, r) = match after_eq.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let inner = &after_eq[1..];
                        let end = inner.find(q).unwrap_or(inner.len());
                        (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after_eq
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .unwrap_or(after_eq.len());
                        (&after_eq[..end], &after_eq[end..])
                    }
                };
                value = v;
                rest = r;
            }
            if name.starts_with("on") {
                self.items.insert(format!("`{name}=` attribute"));
            } else if name == "style" {
                self.items.insert("`style=` attribute".to_string());
            } else if URL_ATTRIBUTES.contains(&name.as_str()) {
                if let Some(scheme) = links::scheme_of(&decode_entities(value)) {
                    if !links::scheme_allowed(&scheme, &self.schemes) {
                        self.items.insert(format!("`{scheme}:` URL"));
                    }
                }
            }
        }
    }
}

/// Just enough entity decoding to see through `&#106;avascript&colon;`.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        let entity = &rest[..end];
        let decoded = if let Some(num) = entity.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_recognised() {
        assert!(is_comment_only("<!-- healthpress-allow: x -->\n"));
        assert!(is_comment_only("<!-- a --> <!-- b -->"));
        assert!(!is_comment_only("<!-- a --><b>x</b>"));
        assert!(!is_comment_only("<!-- unterminated"));
    }

    #[test]
    fn scanner_names_what_is_removed() {
        let mut f = Findings::default();
        assert!(f.scan("<img src=x onerror=alert(1)>"));
        assert!(f.scan("<script>alert(1)</script>"));
        assert!(f.scan("<a href=\"&#106;ava&#x73;cript&colon;x\">y</a>"));
        assert!(!f.scan("<details><summary>More</summary><!-- <script> --></details>"));
        assert_eq!(
            f.message(),
            "raw HTML `<script>`, `javascript:` URL, `onerror=` attribute was removed"
        );
    }

    #[test]
    fn cleaner_keeps_generated_markup() {
        let generated = "<h2 id=\"a\">A</h2><pre class=\"hl-code\"><code class=\"language-rust\"><span class=\"hl-source\">x</span></code></pre>\
            <input disabled=\"\" type=\"checkbox\" checked=\"\">\
            <sup class=\"footnote-reference\"><a href=\"#n\">1</a></sup><div class=\"footnote-definition\" id=\"n\"></div>";
        let cleaned = clean(generated, &[], None).0;
        for needle in [
            "id=\"a\"",
            "class=\"hl-source\"",
            "type=\"checkbox\"",
            "disabled",
            "class=\"footnote-reference\"",
            "href=\"#n\"",
            "id=\"n\"",
        ] {
            assert!(cleaned.contains(needle), "{needle} lost: {cleaned}");
        }
        let clean = |html: &str, extra: &[String]| clean(html, extra, None).0;
        assert!(!clean("<input type=password>", &[]).contains("password"));
        let weixin = vec!["weixin".to_string()];
        assert!(clean("<a href=\"weixin://dl/x\">w</a>", &weixin).contains("weixin://"));
        assert!(!clean("<a href=\"weixin://dl/x\">w</a>", &[]).contains("weixin://"));
        assert!(!clean("<img src=a.png srcset=\"javascript:x 1x\">", &[]).contains("srcset"));
    }
}
