//! Which URLs name an article page, and whether that article is public:
//! the judge behind every link form that is not a relative `.md` link
//! (absolute `/articles/<slug>/` paths, full URLs on the site's address,
//! protocol-relative and relative paths, autolinks, images, raw HTML
//! `href`/`src`/`cite`). A public page must never point at, or name, an
//! article that is not public, however the link is written.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::markdown::{LinkProblem, UrlCheck};
use crate::model::{Article, Site, State};

/// What a link to one article gets.
#[derive(Debug, Clone)]
enum Verdict {
    Public,
    /// Public, but not for long: the warning's text.
    EndingSoon(String),
    /// Not public: why, for the warning.
    NotPublic(String),
}

/// The URL judge of one site as of one day.
#[derive(Debug)]
pub struct ArticleUrls {
    /// `scheme://host[:port]` of base_url, lower-cased.
    authority: String,
    /// base_url's path as segments (`/edu/` -> `["edu"]`).
    base: Vec<String>,
    /// Lower-cased slug -> verdict (hosts may serve paths in any case).
    by_slug: HashMap<String, Verdict>,
}

/// Why an article in `state` is not public, as the warning says it.
pub fn not_public_reason(article: &Article, state: State) -> String {
    let slug = &article.slug;
    match state {
        State::Scheduled => format!("links to `{slug}`, which is scheduled for {}", article.date),
        State::Expired | State::Withdrawn => match article.ends_on() {
            Some(d) => format!(
                "links to `{slug}`, which was {} on {d}",
                ended_word(article, d)
            ),
            None => format!("links to `{slug}`, which is {}", state.label()),
        },
        other => format!("links to `{slug}`, which is not public ({})", other.label()),
    }
}

/// "withdrawn" or "expired", whichever ended the article on `day`.
fn ended_word(article: &Article, day: NaiveDate) -> &'static str {
    if article.withdrawn == Some(day) {
        "withdrawn"
    } else {
        "expired"
    }
}

/// The warning for a public article that stops being public within
/// `horizon_days` after `today`, if it does.
pub fn ending_soon(article: &Article, today: NaiveDate, horizon_days: i64) -> Option<String> {
    let end = article.ends_on()?;
    let within = end > today && end <= today + chrono::Duration::days(horizon_days);
    within.then(|| {
        let verb = if article.withdrawn == Some(end) {
            "is withdrawn"
        } else {
            "expires"
        };
        format!("links to `{}`, which {verb} on {end}", article.slug)
    })
}

impl ArticleUrls {
    /// The judge for `site`; with `horizon_days`, links to public articles
    /// that end within that many days are warned about.
    pub fn new(site: &Site, horizon_days: Option<i64>) -> ArticleUrls {
        let origin = site.config.origin().to_ascii_lowercase();
        let base = segments(&site.config.base_path());
        let by_slug = site
            .articles
            .iter()
            .zip(&site.states)
            .map(|(a, &state)| {
                let verdict = if !state.is_public() {
                    Verdict::NotPublic(not_public_reason(a, state))
                } else if let Some(msg) = horizon_days.and_then(|h| ending_soon(a, site.today, h)) {
                    Verdict::EndingSoon(msg)
                } else {
                    Verdict::Public
                };
                (a.slug.to_ascii_lowercase(), verdict)
            })
            .collect();
        ArticleUrls {
            authority: origin,
            base,
            by_slug,
        }
    }

    /// The slug an URL's page belongs to, if it is an article page of this
    /// site (`None` for other pages and other sites).
    fn slug_of(&self, url: &str) -> Option<String> {
        let url = url.trim_matches(|c: char| c <= ' ').replace('\\', "/");
        let url = url.split(['#', '?']).next().unwrap_or("");
        let path = if let Some(scheme) = crate::markdown::scheme_of(url) {
            if scheme != "http" && scheme != "https" {
                return None;
            }
            let rest = &url[url.find(':')? + 1..];
            self.on_this_site(rest)?
        } else if url.starts_with("//") {
            self.on_this_site(url)?
        } else if url.starts_with('/') {
            url.to_string()
        } else {
            // Relative to an article page, `/<base>/articles/<self>/`: its
            // own folder is public whenever the page is.
            let mut page = self.base.join("/");
            page.push_str("/articles/\u{0}/");
            format!("/{page}{url}")
        };
        let parts = normalize(&crate::markdown::percent_decode(&path));
        let rest = parts.strip_prefix(self.base.as_slice())?;
        match rest {
            [articles, slug, ..] if articles == "articles" && slug != "\u{0}" => {
                Some(slug.to_ascii_lowercase())
            }
            _ => None,
        }
    }

    /// For `//host/path` (after the scheme): the path if the host is ours.
    fn on_this_site(&self, after_scheme: &str) -> Option<String> {
        let rest = after_scheme.strip_prefix("//")?;
        let end = rest.find('/').unwrap_or(rest.len());
        let host = rest[..end]
            .rsplit('@')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let ours = self.authority.split_once("://").map_or("", |x| x.1);
        let host = host.trim_end_matches('.');
        let same = host == ours
            || host.strip_suffix(":443") == Some(ours)
            || host.strip_suffix(":80") == Some(ours);
        same.then(|| {
            let path = &rest[end..];
            if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            }
        })
    }
}

impl UrlCheck for ArticleUrls {
    fn check(&self, url: &str) -> Result<(), LinkProblem> {
        let Some(slug) = self.slug_of(url) else {
            return Ok(());
        };
        match self.by_slug.get(&slug) {
            None => Err(LinkProblem::Missing(format!(
                "there is no article with slug `{slug}`"
            ))),
            Some(Verdict::Public) => Ok(()),
            Some(Verdict::EndingSoon(message)) => Err(LinkProblem::EndingSoon {
                url: url.to_string(),
                message: message.clone(),
            }),
            Some(Verdict::NotPublic(reason)) => Err(LinkProblem::NotPublic(reason.clone())),
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Path segments with `.`, `..` and empty segments resolved as a browser
/// resolves them.
fn normalize(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s.to_string()),
        }
    }
    out
}

/// `%xx` escapes decoded (browsers and servers decode them before matching
/// a file); text that does not decode to UTF-8 is kept as it was.
#[cfg(test)]
mod tests {
    use super::*;

    fn judge(base_path: &[&str]) -> ArticleUrls {
        ArticleUrls {
            authority: "https://health.example.org".into(),
            base: base_path.iter().map(|s| s.to_string()).collect(),
            by_slug: [
                ("open".to_string(), Verdict::Public),
                ("secret".to_string(), Verdict::NotPublic("hidden".into())),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn every_form_of_an_article_url_is_recognised() {
        let j = judge(&[]);
        for url in [
            "/articles/secret/",
            "/articles/secret",
            "/articles/SECRET/index.html",
            "/articles/secret/chart.png",
            "/x/../articles/secret/",
            "/articles/%73ecret/",
            "https://health.example.org/articles/secret/",
            "HTTP://Health.Example.org:443/articles/secret/#part",
            "//health.example.org/articles/secret/?utm=1",
            "../secret/",
            "../../articles/secret/",
            "\\articles\\secret\\",
        ] {
            assert!(
                matches!(j.check(url), Err(LinkProblem::NotPublic(_))),
                "{url}"
            );
        }
        for url in [
            "/articles/open/",
            "https://other.example.org/articles/secret/",
            "/about/",
            "./",
            "chart.png",
            "mailto:a@b.org",
            "https://health.example.org/",
            "#top",
        ] {
            assert_eq!(j.check(url), Ok(()), "{url}");
        }
        assert!(matches!(
            j.check("/articles/nope/"),
            Err(LinkProblem::Missing(_))
        ));
    }

    #[test]
    fn a_base_path_is_honoured() {
        let j = judge(&["edu"]);
        assert!(j.check("/edu/articles/secret/").is_err());
        assert!(j.check("../secret/").is_err());
        assert_eq!(j.check("/articles/secret/"), Ok(()), "not this site's path");
    }
}
