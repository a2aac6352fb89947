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
/// double-quoted) for e-mail: root-relative URLs become absolute, links to
/// articles (`<base>articles/<slug>/`) get UTM tags (when `utm` is given),
/// and every `<img>` gets an `alt` (`fallback_alt` if the author left none).
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

static IMG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<img\b[^>]*>").expect("valid regex"));
static EMPTY_ALT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\balt=""(\s|/|>)"#).expect("valid regex"));

fn add_missing_alt(html: &str, fallback_alt: &str) -> String {
    let alt = crate::html::escape_html(fallback_alt);
    IMG.replace_all(html, |caps: &regex::Captures| {
        let tag = &caps[0];
        if EMPTY_ALT.is_match(tag) {
            EMPTY_ALT
                .replace(tag, |c: &regex::Captures| format!("alt=\"{alt}\"{}", &c[1]))
                .into_owned()
        } else if tag.contains(" alt=\"") {
            tag.to_string()
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
        assert!(out.contains(r#"<img src="b.png" alt="标题">"#), "{out}");
    }
}
