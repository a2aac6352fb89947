//! Machine-readable outputs: Atom feeds (the site's latest articles with
//! full text, and one per taxonomy term), the sitemap and robots.txt. Feed
//! timestamps come from article dates, never the clock, so two builds of the
//! same input give identical files.

use serde::Serialize;

use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;

use super::index::{Index, PublicLinks};
use super::listing::Page;

pub const FEED_LENGTH: usize = 20;

#[derive(Debug, Serialize)]
pub struct FeedView {
    pub title: String,
    pub id: String,
    pub self_url: String,
    pub alternate_url: String,
    pub updated: String,
    pub lang: String,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Serialize)]
pub struct EntryView {
    pub title: String,
    pub url: String,
    pub id: String,
    pub published: String,
    pub updated: String,
    pub summary: String,
    pub content: Option<String>,
    pub authors: Vec<String>,
    pub lang: String,
}

/// Atom date-time for a calendar date: midnight in the site's time zone,
/// with its UTC offset (`2026-11-23T00:00:00+08:00`), since the site decides
/// publishing by its own calendar day. Dates carry no time in the front
/// matter, and a fixed time keeps feeds reproducible.
pub fn atom_time(date: chrono::NaiveDate, tz: Option<chrono_tz::Tz>) -> String {
    use chrono::TimeZone;
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.and_then(|tz| tz.from_local_datetime(&midnight).earliest()) {
        Some(local) => local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        None => format!("{date}T00:00:00Z"),
    }
}

pub fn entry(index: &Index, i: usize, content: Option<String>) -> EntryView {
    let site = index.site;
    let a = &site.articles[i];
    let url = index.urls.absolute(&index.urls.article(&a.slug));
    EntryView {
        title: a.title.clone(),
        id: url.clone(),
        url,
        published: atom_time(a.date, site.config.tz()),
        updated: atom_time(a.last_modified(), site.config.tz()),
        summary: a.summary.clone(),
        content,
        authors: a
            .authors
            .iter()
            .filter_map(|id| site.config.people.get(id).map(|p| p.name.clone()))
            .collect(),
        lang: a.lang.clone(),
    }
}

/// When an empty feed (a term with no public article yet) was last
/// changed: when the site last changed, its newest public article
/// (`published`, indices into `site.articles`), or today when nothing is
/// public. An edit that moves it re-renders every empty feed
/// ([`super::changes::Reach::site_updated`]).
pub fn site_updated(site: &crate::model::Site, published: &[usize]) -> chrono::NaiveDate {
    published
        .iter()
        .map(|&i| site.articles[i].last_modified())
        .max()
        .unwrap_or(site.today)
}

/// The Atom feed of the latest [`FEED_LENGTH`] of `items`, for the page at
/// `page_url` (root-relative); `content` gives an entry's full content, if
/// the feed carries it. The digests' segment feeds use it too.
pub fn feed(
    index: &Index,
    title: String,
    page_url: &str,
    items: &[usize],
    content: &dyn Fn(usize) -> Option<String>,
) -> Result<Page, Diagnostic> {
    let entries: Vec<EntryView> = items
        .iter()
        .take(FEED_LENGTH)
        .map(|&i| entry(index, i, content(i)))
        .collect();
    let updated = items
        .iter()
        .take(FEED_LENGTH)
        .map(|&i| index.site.articles[i].last_modified())
        .max()
        .unwrap_or_else(|| site_updated(index.site, &index.published));
    let updated = atom_time(updated, index.site.config.tz());
    let self_url = index.urls.absolute(&format!("{page_url}atom.xml"));
    let view = FeedView {
        title,
        id: self_url.clone(),
        self_url,
        alternate_url: index.urls.absolute(page_url),
        updated,
        lang: index.site.config.language.clone(),
        entries,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("site", &index.site_view);
    ctx.insert("feed", &view);
    let xml = index.theme.render("atom.xml", &ctx)?;
    let rel = page_url
        .strip_prefix(&index.urls.base_path)
        .unwrap_or(page_url)
        .trim_start_matches('/');
    Ok(Page {
        path: format!("{rel}atom.xml"),
        html: xml,
    })
}

/// `/atom.xml` plus `/<taxonomy>/<term>/atom.xml` for every term.
pub fn feeds(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    feeds_where(index, &|_| true)
}

/// The feeds `feeds` renders, limited to those `keep` accepts: `None` is
/// the site feed, `Some((taxonomy, term))` a term's feed. `serve` uses it
/// to re-render only the feeds an edited article is (or was) in.
#[allow(clippy::type_complexity)]
pub fn feeds_where(
    index: &Index,
    keep: &dyn Fn(Option<(&str, &str)>) -> bool,
) -> Result<Vec<Page>, Diagnostic> {
    let config = &index.site.config;
    let mut pages = Vec::new();
    if keep(None) {
        // Bodies come from the article pages; the resolver is for any the
        // build has not rendered (serve re-renders only some pages).
        let resolver = PublicLinks::new(index.site, &index.urls);
        pages.push(feed(
            index,
            config.title.clone(),
            &index.urls.base_path,
            &index.published,
            &|i| {
                let body = index.public_body(i, &resolver);
                Some(super::digest::links::rewrite_body(
                    &crate::markdown::for_feed(body),
                    &index.urls.origin,
                    &index.urls.base_path,
                    None,
                    &index.site.articles[i].title,
                ))
            },
        )?);
    }
    for taxonomy in TAXONOMIES {
        for term in config.term_ids(taxonomy) {
            if !keep(Some((taxonomy, &term))) {
                continue;
            }
            let name = config.term_name(taxonomy, &term, &config.language);
            let title = format!("{} · {name}", config.title);
            let url = index.urls.term(taxonomy, &term);
            pages.push(feed(
                index,
                title,
                &url,
                index.term_articles(taxonomy, &term),
                &|_| None,
            )?);
        }
    }
    Ok(pages)
}

#[derive(Debug, Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

/// `/sitemap.xml` (home, public articles, term pages) and `/robots.txt`.
pub fn sitemap_and_robots(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    let site = index.site;
    let urls = &index.urls;
    let newest = index
        .published
        .first()
        .map(|&i| site.articles[i].last_modified().to_string());
    let mut entries = vec![SitemapEntry {
        url: urls.absolute(&urls.base_path),
        lastmod: newest.clone(),
    }];
    for &i in &index.published {
        let a = &site.articles[i];
        entries.push(SitemapEntry {
            url: urls.absolute(&urls.article(&a.slug)),
            lastmod: Some(a.last_modified().to_string()),
        });
    }
    for taxonomy in TAXONOMIES {
        entries.push(SitemapEntry {
            url: urls.absolute(&urls.taxonomy(taxonomy)),
            lastmod: newest.clone(),
        });
        for term in site.config.term_ids(taxonomy) {
            let items = index.term_articles(taxonomy, &term);
            let lastmod = items
                .iter()
                .map(|&i| site.articles[i].last_modified())
                .max()
                .map(|d| d.to_string());
            entries.push(SitemapEntry {
                url: urls.absolute(&urls.term(taxonomy, &term)),
                lastmod,
            });
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("site", &index.site_view);
    ctx.insert("entries", &entries);
    let sitemap = index.theme.render("sitemap.xml", &ctx)?;
    ctx.insert(
        "sitemap_url",
        &urls.absolute(&format!("{}sitemap.xml", urls.base_path)),
    );
    let robots = index.theme.render("robots.txt", &ctx)?;
    Ok(vec![
        Page {
            path: "sitemap.xml".into(),
            html: sitemap,
        },
        Page {
            path: "robots.txt".into(),
            html: robots,
        },
    ])
}
