//! Rendering: turns the site model into output files. `site` renders the
//! public website; digests and the editorial schedule have modules of their
//! own. All of them share the theme, the published index and the page
//! context built here.

pub mod article;
pub mod article_urls;
pub mod digest;
pub mod editorial;
pub mod feeds;
pub mod index;
pub mod jsonld;
pub mod listing;
pub mod theme;
pub mod tombstone;
pub mod views;

use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::timings::Laps;

use index::{Index, PublicLinks};
use listing::Page;

/// What every page says about itself in `<head>`.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// Root-relative URL of the page.
    pub path: String,
    pub lang: String,
    /// Root-relative URL of the page's Atom feed, if it has one.
    pub feed: Option<String>,
}

/// The context every template starts from: the site, the page, and the UI
/// labels in the page's language.
pub fn page_context(index: &Index, meta: &PageMeta) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &index.site_view);
    ctx.insert("page", meta);
    ctx.insert("canonical_url", &index.urls.absolute(&meta.path));
    ctx.insert(
        "t",
        index
            .theme
            .public_labels_for(&meta.lang, &index.site.config.language),
    );
    ctx
}

/// Counts for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublicStats {
    pub pages: usize,
    pub files: usize,
}

/// One unit of work after the articles: a listing page or group of pages,
/// a feed, or the sitemap. All of them run in parallel and write their own
/// pages, so no phase of the build is serial in the number of pages.
#[derive(Clone, Copy)]
enum ListingJob {
    Home,
    NotFound,
    Taxonomies,
    /// Every term page (rendered in parallel by `term_pages` itself).
    Terms,
    Feeds,
    Sitemap,
    /// Pages left at the URLs of articles that expired or were withdrawn.
    Tombstones,
}

/// Renders the public website into `out`. Fails with every problem found;
/// `out` is then discarded by the caller, so nothing partial is published.
/// Returns the counts and any warnings (e.g. raw HTML that was removed).
pub fn render_public(
    index: &Index,
    out: &Staging,
) -> Result<(PublicStats, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut laps = Laps::new("  ");
    let resolver = PublicLinks::new(index.site, &index.urls);
    let write = |page: &Page, source: &dyn AsRef<Path>| {
        out.write(&page.path, page.html.as_bytes())
            .err()
            .map(|e| Diagnostic::error("output", source, e.to_string()))
    };

    // Articles: render and write in parallel; collect problems. Problems
    // in an article's body (a broken or unsafe link) are confined to that
    // article and rendered harmlessly (the text without the link), so they
    // are reported but never stop the site from being written; template
    // and output errors are.
    let (mut problems, confined): (Vec<Diagnostic>, Vec<Diagnostic>) = index
        .published
        .par_iter()
        .map(|&i| {
            let (html, body) = article::render_article_bytes(index, i, &resolver);
            let mut fatal = Vec::new();
            match html {
                Ok(html) => {
                    let article = &index.site.articles[i];
                    let path = listing::file_for(&index.urls, &index.urls.article(&article.slug));
                    if let Err(e) = out.write(&path, &html) {
                        fatal.push(Diagnostic::error("output", &article.source, e.to_string()));
                    }
                }
                Err(d) => fatal.push(d),
            }
            (fatal, body)
        })
        .reduce(
            || (Vec::new(), Vec::new()),
            |(mut f, mut b), (f2, b2)| {
                f.extend(f2);
                b.extend(b2);
                (f, b)
            },
        );
    laps.lap("articles");

    // Listings, feeds and the sitemap: also in parallel, each job writing
    // its pages as soon as they are rendered.
    let jobs = [
        ListingJob::Terms,
        ListingJob::Feeds,
        ListingJob::Home,
        ListingJob::NotFound,
        ListingJob::Taxonomies,
        ListingJob::Sitemap,
        ListingJob::Tombstones,
    ];
    // Writes one job's pages in parallel; returns how many count as pages
    // (feeds and the sitemap do not) and the problems.
    let emit = |rendered: Vec<Result<Vec<Page>, Diagnostic>>, are_pages: bool| {
        let found: Vec<(usize, Vec<Diagnostic>)> = rendered
            .into_par_iter()
            .map(|result| match result {
                Ok(pages) => {
                    let found: Vec<Diagnostic> =
                        pages.iter().filter_map(|p| write(p, &p.path)).collect();
                    (if are_pages { pages.len() } else { 0 }, found)
                }
                Err(d) => (0, vec![d]),
            })
            .collect();
        found
    };
    let results: Vec<(usize, Vec<Diagnostic>)> = jobs
        .par_iter()
        .flat_map_iter(|job| match job {
            ListingJob::Terms => emit(listing::term_pages(index), true),
            ListingJob::Feeds => emit(vec![feeds::feeds(index)], false),
            ListingJob::Home => emit(vec![listing::home_page(index).map(|p| vec![p])], true),
            ListingJob::NotFound => {
                emit(vec![listing::not_found_page(index).map(|p| vec![p])], true)
            }
            ListingJob::Taxonomies => emit(vec![listing::taxonomy_pages(index)], true),
            ListingJob::Sitemap => emit(vec![feeds::sitemap_and_robots(index)], false),
            ListingJob::Tombstones => emit(vec![tombstone::tombstone_pages(index)], true),
        })
        .collect();
    let mut pages = index.published.len();
    for (count, found) in results {
        pages += count;
        problems.extend(found);
    }
    laps.lap("listings");

    for (name, bytes) in &index.theme.static_files {
        if let Err(e) = out.write(format!("static/{name}"), bytes) {
            problems.push(Diagnostic::error(
                "output",
                format!("themes/static/{name}"),
                e.to_string(),
            ));
        }
    }
    problems.extend(copy_site_static(&index.site.root, out));
    laps.lap("static");
    // Newsletter digests (docs/digests.md), into the same staging folder.
    problems.extend(digest::render_digests(index, out));
    laps.lap("digests");
    if problems.iter().any(Diagnostic::is_error) {
        problems.extend(confined);
        crate::diagnostics::sort(&mut problems);
        return Err(problems);
    }
    problems.extend(confined);
    crate::diagnostics::sort(&mut problems);
    Ok((
        PublicStats {
            pages,
            files: out.count(),
        },
        problems,
    ))
}

/// Copies the site's `static/` folder verbatim into the output root.
fn copy_site_static(root: &Path, out: &Staging) -> Vec<Diagnostic> {
    let dir = root.join("static");
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return problems;
    }
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let shown = Path::new("static").join(&rel);
        if entry.path_is_symlink() {
            problems.push(
                Diagnostic::error("symlink", &shown, "symbolic links are not followed")
                    .hint("copy the file into static/ instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        match fs::read(entry.path()) {
            Ok(bytes) => {
                if let Err(e) = out.write(&rel, &bytes) {
                    problems.push(Diagnostic::error("output", &shown, e.to_string()).hint(
                        "a file in static/ has the same path as a generated page; rename it",
                    ));
                }
            }
            Err(e) => problems.push(Diagnostic::error("io", &shown, format!("cannot read: {e}"))),
        }
    }
    problems
}
