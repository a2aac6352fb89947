//! Links as a reader follows them, checked on the rendered site: every
//! root-relative link in a public article's body (`/specialty/cardiology/`)
//! must lead to a page the build writes, and every `#anchor`, on the same
//! page or on another article's (`other.md#heading`, rewritten to
//! `/articles/other/#heading`), must name an element id of that page. Both
//! are checked against the files of `check`'s dry render, so a heading
//! renamed in the target article or a page that is not built is found
//! before a reader meets it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::body::BodyRenderer;
use crate::render::index::PublicLinks;

/// Broken root-relative links and anchors in the public articles of
/// `site`, against the rendered public folder `public_dir` (errors: the
/// reader gets a 404 or lands at the top of the page).
pub fn check_rendered_links(
    site: &Site,
    bodies: &BodyRenderer,
    links: &PublicLinks,
    public_dir: &Path,
) -> Vec<Diagnostic> {
    let base = site.config.base_path();
    let ids = PageIds::new(public_dir);
    let mut found: Vec<Diagnostic> = site
        .published()
        .into_par_iter()
        .flat_map_iter(|i| {
            let article = &site.articles[i];
            let (rendered, _) = bodies.render(article, links);
            let own = format!("articles/{}/index.html", article.slug);
            let mut out = Vec::new();
            for href in hrefs(&rendered.html) {
                if let Some(problem) = check_href(&href, &base, &own, &ids) {
                    let (line, column) = line_of(article, &href, &problem);
                    out.push(
                        Diagnostic::error(problem.rule(), &article.source, problem.message(&href))
                            .at(line, column)
                            .hint(problem.hint()),
                    );
                }
            }
            out
        })
        .collect();
    crate::diagnostics::sort(&mut found);
    found
}

enum Problem {
    /// No page is written at the link's path.
    NoPage,
    /// The page exists but has no element with the fragment as its id.
    NoAnchor { fragment: String, page: String },
}

impl Problem {
    fn rule(&self) -> &'static str {
        match self {
            Problem::NoPage => "broken-link",
            Problem::NoAnchor { .. } => "broken-anchor",
        }
    }

    fn message(&self, href: &str) -> String {
        match self {
            Problem::NoPage => format!("`{href}` leads to no page of the site"),
            Problem::NoAnchor { fragment, page } => {
                format!("`#{fragment}` is not an anchor of {page}")
            }
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Problem::NoPage => "link to an article by its file (`../x/other.md`) or to a page the build writes",
            Problem::NoAnchor { .. } => "anchors are the heading ids of the target page; link to a heading that exists (a renamed heading gets a new id)",
        }
    }
}

/// Element ids of the site's pages, read once each.
struct PageIds<'d> {
    dir: &'d Path,
    cache: Mutex<HashMap<String, Option<BTreeSet<String>>>>,
}

impl<'d> PageIds<'d> {
    fn new(dir: &'d Path) -> PageIds<'d> {
        PageIds {
            dir,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The ids of the page at `file` (relative to the folder); `None` when
    /// no such page was written.
    fn of(&self, file: &str) -> Option<BTreeSet<String>> {
        if let Some(hit) = self.cache.lock().ok()?.get(file) {
            return hit.clone();
        }
        let path = self.dir.join(file);
        let ids = if path.is_file() {
            Some(
                std::fs::read_to_string(&path)
                    .map(|html| attribute_values(&html, "id"))
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        self.cache
            .lock()
            .ok()?
            .insert(file.to_string(), ids.clone());
        ids
    }
}

/// The output file a root-relative path (base path removed) is served from:
/// `a/b/` and `a/b` as `a/b/index.html`, `a/b.xml` as itself.
fn file_candidates(rel: &str) -> Vec<String> {
    if rel.is_empty() || rel.ends_with('/') {
        return vec![format!("{rel}index.html")];
    }
    vec![rel.to_string(), format!("{rel}/index.html")]
}

fn check_href(href: &str, base: &str, own: &str, ids: &PageIds) -> Option<Problem> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let file = if path.is_empty() {
        // `#x` on the same page (or `?q#x`).
        own.to_string()
    } else if path.starts_with('/') && !path.starts_with("//") {
        let rel = path.strip_prefix(base).or_else(|| path.strip_prefix('/'))?;
        let rel = percent_decode(rel);
        let found = file_candidates(&rel)
            .into_iter()
            .find(|f| ids.dir.join(f).is_file());
        match found {
            Some(f) => f,
            // An article's own files (`/articles/x/chart.png`, a PDF) are
            // not written by the dry render; the Markdown layer checks them.
            None if has_file_extension(&rel) => return None,
            None => return Some(Problem::NoPage),
        }
    } else {
        return None;
    };
    let fragment = fragment.filter(|f| !f.is_empty() && f != "top")?;
    if !file.ends_with(".html") {
        return None;
    }
    let page_ids = ids.of(&file)?;
    if page_ids.contains(&fragment) {
        return None;
    }
    let page = if file == own {
        "this article".to_string()
    } else {
        format!("/{}", file.trim_end_matches("index.html"))
    };
    Some(Problem::NoAnchor { fragment, page })
}

/// Whether the last segment of `rel` names a file (`chart.png`), not a page.
fn has_file_extension(rel: &str) -> bool {
    let last = rel.rsplit('/').next().unwrap_or(rel);
    last.contains('.') && !last.ends_with(".html")
}

/// Every `href` value of an HTML fragment (entities `&amp;` decoded).
fn hrefs(html: &str) -> Vec<String> {
    attribute_values(html, "href").into_iter().collect()
}

/// Values of every `name="…"` attribute in `html` (as the renderer and
/// the theme write them: double-quoted).
fn attribute_values(html: &str, name: &str) -> BTreeSet<String> {
    let needle = format!(" {name}=\"");
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.insert(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    crate::markdown::percent_decode(s).into_owned()
}

/// Where the link is written in the article: the first line of its body
/// naming the fragment or the path, else the body's first line.
fn line_of(article: &crate::model::Article, href: &str, problem: &Problem) -> (usize, usize) {
    let body = article.body();
    let wanted: Vec<String> = match problem {
        Problem::NoAnchor { fragment, .. } => vec![format!("#{fragment}")],
        Problem::NoPage => vec![href.split(['#', '?']).next().unwrap_or(href).to_string()],
    };
    for (n, line) in body.lines().enumerate() {
        for w in &wanted {
            if let Some(col) = line.find(w.as_str()) {
                return (article.body_line + n, line[..col].chars().count() + 1);
            }
        }
    }
    (article.body_line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_files() {
        let ids = attribute_values(r#"<h2 id="a&amp;b">x</h2><p id="c">"#, "id");
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["a&b", "c"]);
        assert_eq!(file_candidates("a/b/"), ["a/b/index.html"]);
        assert_eq!(file_candidates(""), ["index.html"]);
        assert_eq!(
            file_candidates("atom.xml"),
            ["atom.xml", "atom.xml/index.html"]
        );
    }

    #[test]
    fn links_are_checked_against_the_written_pages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("articles/x")).unwrap();
        std::fs::create_dir_all(dir.path().join("articles/y")).unwrap();
        std::fs::write(
            dir.path().join("articles/x/index.html"),
            r#"<h2 id="here">"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("articles/y/index.html"),
            r#"<h2 id="there">"#,
        )
        .unwrap();
        let ids = PageIds::new(dir.path());
        let own = "articles/x/index.html";
        let check = |href: &str| check_href(href, "/", own, &ids).map(|p| p.rule());
        assert_eq!(check("#here"), None);
        assert_eq!(check("#gone"), Some("broken-anchor"));
        assert_eq!(check("/articles/y/#there"), None);
        assert_eq!(check("/articles/y/#here"), Some("broken-anchor"));
        assert_eq!(check("/articles/y"), None);
        assert_eq!(check("/articles/z/"), Some("broken-link"));
        assert_eq!(check("https://example.org/#x"), None);
        assert_eq!(check("//cdn.example.org/a"), None);
        assert_eq!(check("/articles/x/chart.png"), None);
        assert_eq!(check("/no/page.html"), Some("broken-link"));
    }
}
