//! Site search (docs/search.md): the Pagefind index under `public/pagefind/`
//! and the `/search/` page, as one renderer. Only public articles are
//! indexed (`index.published`, in order, so the index is the same bytes on
//! every build): drafts, digests, term pages and editorial views cannot
//! reach it. Each article's record is built from the body its page shows
//! (`document.rs`), with the lay or medical synonyms of the terms it uses
//! as a hidden, searchable field; Pagefind indexes the records on a thread
//! of its own (`indexer.rs`) while the next records are prepared.

mod cache;
mod document;
mod indexer;
mod page;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Writer;
use crate::search::Synonyms;
use crate::timings::Laps;
use indexer::IndexStats;

use super::index::{Index, PublicLinks};
use super::renderer::{Part, Rendered, Renderer, Scope};

/// Records prepared together (in parallel) before they go, in order, to
/// the indexing thread; bounds what waits in memory.
const RECORD_RUN: usize = 256;

pub struct SearchIndex;

impl Renderer for SearchIndex {
    fn name(&self) -> &'static str {
        "search"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::PublicArticles, Part::Config, Part::Theme]
    }

    /// Pagefind reads the pages one at a time and compresses its files on
    /// one thread: beside the listings and digests, that keeps most of its
    /// time off the build's critical path.
    fn in_background(&self) -> bool {
        true
    }

    /// Renders everything whatever the scope: Pagefind cannot update a
    /// built index, so an edit in `serve` re-indexes every public article
    /// (docs/search.md gives the cost).
    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let mut laps = Laps::new("    search: ");
        match page::search_pages(index) {
            Ok(pages) => rendered.write_all(
                out,
                pages
                    .into_iter()
                    .map(|p| (p.path, p.html.into_bytes()))
                    .collect(),
                true,
            ),
            Err(d) => rendered.problems.push(d),
        }
        let synonyms = Synonyms::new(&index.site.config.search);
        let resolver = PublicLinks::new(index.site, &index.urls);
        let records = |run: &[usize]| -> Vec<(String, String)> {
            run.par_iter()
                // Interrupted (serve's background re-index after an edit
                // that a newer save made moot): no more bodies.
                .filter(|_| !index.interrupt.is_raised())
                .map(|&i| {
                    let article = &index.site.articles[i];
                    let body = index.public_body(i, &resolver);
                    (
                        index.urls.article(&article.slug),
                        document::document(article, body, &synonyms),
                    )
                })
                .collect()
        };
        // The key first (documents are made again on a miss rather than
        // all held in memory), then the remembered index or a new one.
        let mut key = cache::KeyHasher::new();
        for run in index.published.chunks(RECORD_RUN) {
            if index.interrupt.is_raised() {
                rendered.interrupted = true;
                return rendered;
            }
            for (url, doc) in records(run) {
                key.add(&url, &doc);
            }
        }
        let key = key.finish();
        let cache_file = cache::file(&index.site.root);
        laps.lap("records");
        let finished = match cache::load(&cache_file, &key) {
            Some(files) => Ok((
                IndexStats {
                    pages: index.published.len(),
                    bytes: files.iter().map(|f| f.bytes.len()).sum(),
                },
                files,
                true,
            )),
            None => {
                let indexer = indexer::Indexer::start(index.interrupt.clone());
                for run in index.published.chunks(RECORD_RUN) {
                    if index.interrupt.is_raised() {
                        break; // `finish` says so
                    }
                    for (url, doc) in records(run) {
                        indexer.add(url, doc);
                    }
                }
                indexer.finish().map(|(files, stats)| {
                    cache::store(&cache_file, &key, &files);
                    (stats, files, false)
                })
            }
        };
        laps.lap("index");
        match finished {
            Ok((stats, files, remembered)) => {
                let files = files
                    .into_iter()
                    .map(|f| {
                        let rel = format!(
                            "{}/{}",
                            indexer::BUNDLE_DIR,
                            f.path.to_string_lossy().replace('\\', "/")
                        );
                        (rel, f.bytes)
                    })
                    .collect();
                rendered.write_all(out, files, false);
                rendered.counts.push(("search records", stats.pages));
                rendered.counts.push(("search bytes", stats.bytes));
                rendered
                    .counts
                    .push(("search index remembered", usize::from(remembered)));
            }
            Err(_) if index.interrupt.is_raised() => rendered.interrupted = true,
            Err(why) => rendered.problems.push(Diagnostic::error(
                "search-index",
                format!("public/{}", indexer::BUNDLE_DIR),
                why,
            )),
        }
        rendered
    }
}
