//! Rendering: turns the site model into output files. `site` renders the
//! public website; digests and the editorial schedule have modules of their
//! own. All of them share the theme, the published index and the page
//! context built here.

pub mod article;
pub mod digest;
pub mod editorial;
pub mod feeds;
pub mod index;
pub mod jsonld;
pub mod listing;
pub mod theme;
pub mod views;

use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::output::Staging;

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
            .labels_for(&meta.lang, &index.site.config.language),
    );
    ctx
}

/// Counts for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublicStats {
    pub pages: usize,
    pub files: usize,
}

/// Renders the public website into `out`. Fails with every problem found;
/// `out` is then discarded by the caller, so nothing partial is published.
/// Returns the counts and any warnings (e.g. raw HTML that was removed).
pub fn render_public(
    index: &Index,
    out: &Staging,
) -> Result<(PublicStats, Vec<Diagnostic>), Vec<Diagnostic>> {
    let resolver = PublicLinks::new(index.site, &index.urls);
    let mut problems: Vec<Diagnostic> = Vec::new();
    let write = |page: Page, problems: &mut Vec<Diagnostic>| {
        if let Err(e) = out.write(&page.path, page.html.as_bytes()) {
            problems.push(Diagnostic::error("output", &page.path, e.to_string()));
        }
    };

    // Articles: render and write in parallel; collect problems.
    let article_results: Vec<Vec<Diagnostic>> = index
        .published
        .par_iter()
        .map(|&i| {
            let (html, mut found) = article::render_article_page(index, i, &resolver, None);
            match html {
                Ok(html) => {
                    let path =
                        listing::file_for(index, &index.urls.article(&index.site.articles[i].slug));
                    if let Err(e) = out.write(&path, html.as_bytes()) {
                        found.push(Diagnostic::error(
                            "output",
                            &index.site.articles[i].source,
                            e.to_string(),
                        ));
                    }
                }
                Err(d) => found.push(d),
            }
            found
        })
        .collect();
    let mut pages = index.published.len();
    let timer = std::time::Instant::now();
    let timing = std::env::var_os("HEALTHPRESS_TIMINGS").is_some();
    for found in article_results {
        problems.extend(found);
    }

    let mut listing_pages: Vec<Page> = Vec::new();
    let mut collect =
        |result: Result<Vec<Page>, Diagnostic>, problems: &mut Vec<Diagnostic>| match result {
            Ok(p) => listing_pages.extend(p),
            Err(d) => problems.push(d),
        };
    if timing {
        eprintln!("timing:   articles {:>6} ms", timer.elapsed().as_millis());
    }
    collect(listing::home_page(index).map(|p| vec![p]), &mut problems);
    collect(
        listing::not_found_page(index).map(|p| vec![p]),
        &mut problems,
    );
    collect(listing::taxonomy_pages(index), &mut problems);
    for result in listing::term_pages(index) {
        collect(result, &mut problems);
    }
    pages += listing_pages.len();
    if timing {
        eprintln!("timing:   listings {:>6} ms", timer.elapsed().as_millis());
    }
    for page in listing_pages {
        write(page, &mut problems);
    }
    match feeds::feeds(index).and_then(|mut f| {
        f.extend(feeds::sitemap_and_robots(index)?);
        Ok(f)
    }) {
        Ok(files) => {
            for f in files {
                write(f, &mut problems);
            }
        }
        Err(d) => problems.push(d),
    }
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
    // Newsletter digests (docs/digests.md), into the same staging folder.
    problems.extend(digest::render_digests(index, out));
    crate::diagnostics::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
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
