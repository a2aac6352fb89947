//! The renderer of every page that lists articles, and of the feeds and
//! the sitemap: the home page, the 404 page, one index per taxonomy, the
//! paginated term pages (and audience × specialty pages), the site and term
//! Atom feeds, `sitemap.xml` and `robots.txt`. The pages themselves are
//! built in [`super::listing`] and [`super::feeds`]; this module decides
//! which to render, all of them in parallel, or after an edit only those
//! its [`Reach`](super::changes::Reach) names.

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Writer;

use super::changes::Extent;
use super::feeds;
use super::index::Index;
use super::listing::{self, Page};
use super::renderer::{Part, Rendered, Renderer, Scope};

/// Listings, feeds and the sitemap (see the module documentation).
pub struct Listings;

/// One unit of work: a listing page or group of pages, a feed, or the
/// sitemap. All of them run in parallel and write their own pages, so no
/// phase of the build is serial in the number of pages.
#[derive(Clone, Copy)]
enum Job {
    Home,
    NotFound,
    Taxonomies,
    /// Every term page (rendered in parallel by `term_pages` itself).
    Terms,
    Feeds,
    Sitemap,
}

impl Renderer for Listings {
    fn name(&self) -> &'static str {
        "listings"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[
            Part::PublicArticles,
            Part::Config,
            Part::Calendar,
            Part::Theme,
        ]
    }

    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        match scope {
            Scope::Everything => everything(index, out),
            Scope::Edit(edit) => {
                let reach = edit.reach(index);
                let mut rendered = Rendered {
                    partial: true,
                    ..Rendered::default()
                };
                if reach.extent != Extent::OwnPage {
                    let keep = |t: &str, x: &str, cross: Option<(&str, &str)>| match cross {
                        None => reach.terms.contains(&(t.to_string(), x.to_string())),
                        Some((_, s)) => reach.crosses.contains(&(x.to_string(), s.to_string())),
                    };
                    // With every article in its old place, only the pages
                    // showing a changed card differ; otherwise whole terms
                    // are re-rendered.
                    let chunk = |items: &[usize]| {
                        reach.extent == Extent::General
                            || items.iter().any(|i| reach.changed_now.contains(i))
                    };
                    let mut pages = vec![
                        listing::home_page(index).map(|p| vec![p]),
                        listing::not_found_page(index).map(|p| vec![p]),
                        listing::taxonomy_pages(index),
                    ];
                    pages.extend(listing::term_pages_where(index, &keep, &chunk));
                    emit(&mut rendered, out, pages, true);
                    if reach.extent == Extent::General {
                        // Pagination pages (and audience × specialty pages)
                        // that no longer exist. Only a general change can
                        // remove pages; otherwise some were deliberately
                        // not rendered.
                        let now: BTreeSet<String> =
                            listing::term_page_files(index, &keep).into_iter().collect();
                        rendered.removed = listing::term_page_files(edit.old_index(), &keep)
                            .into_iter()
                            .filter(|f| !now.contains(f))
                            .collect();
                    }
                }
                let keep_feed = |f: Option<(&str, &str)>| match f {
                    None => reach.main_feed,
                    Some((t, x)) => {
                        reach.terms.contains(&(t.to_string(), x.to_string()))
                            || (reach.site_updated && index.term_articles(t, x).is_empty())
                    }
                };
                let mut feeds = vec![feeds::feeds_where(index, &keep_feed)];
                if reach.sitemap {
                    feeds.push(feeds::sitemap_and_robots(index));
                }
                emit(&mut rendered, out, feeds, false);
                rendered
            }
        }
    }
}

/// Every listing, feed and the sitemap, the jobs side by side.
fn everything(index: &Index, out: &dyn Writer) -> Rendered {
    let jobs = [
        Job::Terms,
        Job::Feeds,
        Job::Home,
        Job::NotFound,
        Job::Taxonomies,
        Job::Sitemap,
    ];
    let parts: Vec<Rendered> = jobs
        .par_iter()
        .map(|job| {
            let mut part = Rendered::default();
            match job {
                Job::Terms => emit(&mut part, out, listing::term_pages(index), true),
                Job::Feeds => emit(&mut part, out, vec![feeds::feeds(index)], false),
                Job::Home => emit(
                    &mut part,
                    out,
                    vec![listing::home_page(index).map(|p| vec![p])],
                    true,
                ),
                Job::NotFound => emit(
                    &mut part,
                    out,
                    vec![listing::not_found_page(index).map(|p| vec![p])],
                    true,
                ),
                Job::Taxonomies => emit(&mut part, out, vec![listing::taxonomy_pages(index)], true),
                Job::Sitemap => emit(
                    &mut part,
                    out,
                    vec![feeds::sitemap_and_robots(index)],
                    false,
                ),
            }
            part
        })
        .collect();
    let mut rendered = Rendered::default();
    for part in parts {
        rendered.files.extend(part.files);
        rendered.pages += part.pages;
        rendered.problems.extend(part.problems);
    }
    rendered
}

/// Writes the pages of every successful result in parallel (`are_pages`:
/// whether they count as pages) and records the failures.
fn emit(
    rendered: &mut Rendered,
    out: &dyn Writer,
    results: Vec<Result<Vec<Page>, Diagnostic>>,
    are_pages: bool,
) {
    let done: Vec<(Vec<String>, Vec<Diagnostic>)> = results
        .into_par_iter()
        .map(|result| match result {
            Ok(pages) => {
                let mut written = Vec::with_capacity(pages.len());
                let mut failed = Vec::new();
                for page in pages {
                    match out.write(&page.path, page.html.as_bytes()) {
                        Ok(()) => written.push(page.path),
                        Err(e) => {
                            failed.push(Diagnostic::error("output", &page.path, e.to_string()))
                        }
                    }
                }
                (written, failed)
            }
            Err(d) => (Vec::new(), vec![d]),
        })
        .collect();
    for (written, failed) in done {
        if are_pages {
            rendered.pages += written.len();
        }
        rendered.files.extend(written);
        rendered.problems.extend(failed);
    }
}
