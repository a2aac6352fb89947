//! Links in e-mail: every URL must be absolute (a mail client has no base
//! URL), and every link to an article carries UTM tags so the site's
//! analytics can tell which digest, issue and article a visit came from:
//! `utm_source=digest-<segment>`, `utm_medium=email`,
//! `utm_campaign=<segment>-<issue date>`, `utm_content=<slug>`, all
//! lowercase. Unsubscribe and other platform placeholder links are never
//! tagged (they are added after this step, see `email.rs`).

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// The campaign one issue's links are tagged with.
#[derive(Debug, Clone)]
pub struct Utm {
    source: String,
    campaign: String,
}

/// Lowercases and keeps a value to `[a-z0-9._-]`, percent-encoding the rest,
/// so a tag never needs further escaping in a URL.
fn tag_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.to_lowercase().bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02x}")),
        }
    }
    out
}

impl Utm {
    pub fn new(segment: &str, date: NaiveDate) -> Utm {
        let segment = tag_value(segment);
        Utm {
            source: format!("digest-{segment}"),
            campaign: format!("{segment}-{date}"),
        }
    }

    /// `url` with the UTM query appended (before any `#fragment`), joined
    /// with a raw `&` (the caller escapes for HTML).
    pub fn tag(&self, url: &str, slug: &str) -> String {
        self.tag_with(url, slug, "&")
    }

    /// Like [`Utm::tag`], joining parameters with `amp` (`&amp;` for a URL
    /// that is already HTML-escaped).
    pub fn tag_with(&self, url: &str, slug: &str, amp: &str) -> String {
        let (base, fragment) = match url.find('#') {
            Some(i) => url.split_at(i),
            None => (url, ""),
        };
        let sep = if base.contains('?') { amp } else { "?" };
        format!(
            "{base}{sep}utm_source={}{amp}utm_medium=email{amp}utm_campaign={}{amp}utm_content={}{fragment}",
            self.source,
            self.campaign,
            tag_value(slug)
        )
    }
}

static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(href|src)="([^"]*)""#).expect("valid regex"));

/// Rewrites the links of a rendered article body (sanitized HTML, attributes
/// double-quoted) for e-mail and feeds: root-relative URLs become absolute,
/// links to articles (`<base>articles/<slug>/`) get UTM tags (when `utm` is
/// given), images lose what only browsers use (`srcset`, lazy loading; the
/// `src` is a variant no wider than the widest configured) and are at most
/// [`EMAIL_IMAGE_WIDTH`] wide, and every `<img>` without an `alt` gets
/// `fallback_alt` (an empty alt is a decorative image and stays).
pub fn rewrite_body(
    html: &str,
    origin: &str,
    base_path: &str,
    utm: Option<&Utm>,
    fallback_alt: &str,
) -> String {
    let articles_prefix = format!("{base_path}articles/");
    let absolute_prefix = format!("{origin}{articles_prefix}");
    let rewritten = ATTR.replace_all(html, |caps: &regex::Captures| {
        let attr = &caps[1];
        let url = &caps[2];
        let absolute = if url.starts_with('/') && !url.starts_with("//") {
            format!("{origin}{url}")
        } else {
            url.to_string()
        };
        let tagged = match (attr, utm, absolute.strip_prefix(&absolute_prefix)) {
            ("href", Some(utm), Some(rest)) => {
                let slug = rest.split(['/', '?', '#']).next().unwrap_or("");
                // Attribute values are already HTML-escaped: join with `&amp;`.
                utm.tag_with(&absolute, slug, "&amp;")
            }
            _ => absolute,
        };
        format!("{attr}=\"{tagged}\"")
    });
    add_missing_alt(&rewritten, fallback_alt)
}

/// Widest an image may be in an e-mail: the 600 px column less padding.
/// Outlook sizes images by their `width` attribute alone.
pub const EMAIL_IMAGE_WIDTH: u32 = 552;

static BROWSER_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#" (srcset|sizes|loading|decoding)="[^"]*""#).expect("valid regex")
});
static SIZE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#" width="(\d+)" height="(\d+)""#).expect("valid regex"));

fn email_image(tag: &str) -> String {
    let tag = BROWSER_ONLY.replace_all(tag, "");
    SIZE.replace(&tag, |c: &regex::Captures| {
        let w: u64 = c[1].parse().unwrap_or(0);
        let h: u64 = c[2].parse().unwrap_or(0);
        let max = u64::from(EMAIL_IMAGE_WIDTH);
        if w > max && w > 0 {
            format!(" width=\"{max}\" height=\"{}\"", (h * max + w / 2) / w)
        } else {
            c[0].to_string()
        }
    })
    .into_owned()
}

static IDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(\s)(id|href)="(#?)([^"]*)""#).expect("valid regex"));

/// Makes the ids of one article's body unique in a page that holds
/// several bodies (an e-mail): every `id` gets `prefix`, and so does every
/// in-page `#fragment` link, so a footnote or table-of-contents link jumps
/// within its own article.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    IDS.replace_all(html, |c: &regex::Captures| {
        let (space, attr, hash, value) = (&c[1], &c[2], &c[3], &c[4]);
        match (attr, hash) {
            ("id", _) => format!("{space}id=\"{prefix}{hash}{value}\""),
            ("href", "#") if !value.is_empty() => format!("{space}href=\"#{prefix}{value}\""),
            _ => c[0].to_string(),
        }
    })
    .into_owned()
}

static IMG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<img\b[^>]*>").expect("valid regex"));

fn add_missing_alt(html: &str, fallback_alt: &str) -> String {
    let alt = crate::html::escape_html(fallback_alt);
    IMG.replace_all(html, |caps: &regex::Captures| {
        let tag = email_image(&caps[0]);
        if tag.contains(" alt=\"") {
            tag
        } else {
            format!("<img alt=\"{alt}\"{}", &tag[4..])
        }
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::config::dates::parse_date(s).unwrap()
    }

    #[test]
    fn tags_are_lowercase_and_keep_fragments() {
        let utm = Utm::new("Parents", d("2026-11-23"));
        assert_eq!(
            utm.tag("https://h.org/articles/Flu/#x", "Flu"),
            "https://h.org/articles/Flu/?utm_source=digest-parents&utm_medium=email&utm_campaign=parents-2026-11-23&utm_content=flu#x"
        );
        assert!(utm
            .tag("https://h.org/a/?p=1", "a")
            .contains("?p=1&utm_source="));
    }

    #[test]
    fn body_links_become_absolute_and_tagged() {
        let utm = Utm::new("parents", d("2026-11-23"));
        let html = r#"<p><a href="/edu/articles/fever/#tips">x</a> <a href="https://who.int/">w</a> <img src="/edu/static/a.png"><img src="b.png" alt=""></p>"#;
        let out = rewrite_body(html, "https://h.org", "/edu/", Some(&utm), "标题");
        assert!(out.contains(r#"href="https://h.org/edu/articles/fever/?utm_source=digest-parents&amp;utm_medium=email&amp;utm_campaign=parents-2026-11-23&amp;utm_content=fever#tips""#), "{out}");
        assert!(out.contains(r#"href="https://who.int/""#));
        assert!(
            out.contains(r#"<img alt="标题" src="https://h.org/edu/static/a.png">"#),
            "{out}"
        );
        assert!(out.contains(r#"<img src="b.png" alt="">"#), "{out}");
    }

    #[test]
    fn images_lose_browser_hints_and_fit_the_column() {
        let html = r#"<img src="/a/c.1.960.png" srcset="/a/c.1.480.png 480w, /a/c.1.960.png 960w" sizes="(max-width: 46rem) 100vw, 46rem" width="960" height="480" alt="图" loading="lazy" decoding="async">"#;
        let out = rewrite_body(html, "https://h.org", "/", None, "t");
        assert_eq!(
            out,
            r#"<img src="https://h.org/a/c.1.960.png" width="552" height="276" alt="图">"#
        );
    }

    #[test]
    fn ids_and_fragment_links_are_prefixed() {
        let html = r##"<h2 id="fa-re">x</h2><a href="#fa-re">a</a><sup class="footnote-reference"><a href="#1">1</a></sup><div class="footnote-definition" id="1"></div><a href="https://x.org/#y">y</a><a href="#">top</a>"##;
        let out = prefix_ids(html, "fever--");
        assert_eq!(
            out,
            r##"<h2 id="fever--fa-re">x</h2><a href="#fever--fa-re">a</a><sup class="footnote-reference"><a href="#fever--1">1</a></sup><div class="footnote-definition" id="fever--1"></div><a href="https://x.org/#y">y</a><a href="#">top</a>"##
        );
    }
}
