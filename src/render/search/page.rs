//! The `/search/` page: the search form, the filters (audience, specialty,
//! season) and the browse pages. The theme's `search.js` runs the search
//! with Pagefind in the browser; without JavaScript the page explains that
//! and lists the browse pages, so the header's search box, which submits
//! here, always leads somewhere useful.

use serde::Serialize;

use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;

use super::super::index::Index;
use super::super::listing::{file_for, Page};
use super::super::page::{page_context, PageMeta};
use super::indexer::BUNDLE_DIR;

/// One filter group: a taxonomy and its terms in the page's language.
#[derive(Debug, Serialize)]
struct FilterGroup {
    taxonomy: &'static str,
    url: String,
    terms: Vec<FilterTerm>,
}

#[derive(Debug, Serialize)]
struct FilterTerm {
    id: String,
    name: String,
    url: String,
    /// Public articles with this term (the browse list shows only those).
    count: usize,
}

/// The search page of every language with pages of its own (`/search/`,
/// `/en/search/`): the same index, its labels, filters and browse links in
/// the page's language (search.js ranks hits in it first).
pub fn search_pages(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    index
        .page_languages()
        .map(|l| search_page(index, &l.tag))
        .collect()
}

fn search_page(index: &Index, lang: &str) -> Result<Page, Diagnostic> {
    let config = &index.site.config;
    let labels = &index.lang(lang).labels;
    let url = format!("{}search/", index.urls.home(lang));
    let meta = PageMeta {
        title: labels
            .get("search")
            .cloned()
            .unwrap_or_else(|| "Search".into()),
        description: String::new(),
        path: url.clone(),
        lang: lang.to_string(),
        feed: None,
    };
    let filters: Vec<FilterGroup> = TAXONOMIES
        .iter()
        .map(|&taxonomy| FilterGroup {
            taxonomy,
            url: index.urls.taxonomy_in(lang, taxonomy),
            terms: config
                .term_ids(taxonomy)
                .into_iter()
                .map(|id| FilterTerm {
                    name: config.term_name(taxonomy, &id, lang),
                    url: index.urls.term_in(lang, taxonomy, &id),
                    count: index
                        .term_articles(taxonomy, &id)
                        .iter()
                        .filter(|&&i| index.listed_in(lang, i))
                        .count(),
                    id,
                })
                .collect(),
        })
        .collect();
    let mut ctx = page_context(index, &meta);
    let others =
        super::super::listing::versions(index, |l| format!("{}search/", index.urls.home(l)));
    super::super::page::set_versions(&mut ctx, index, lang, &others);
    ctx.insert("filters", &filters);
    ctx.insert("bundle", &format!("{}{BUNDLE_DIR}/", index.urls.base_path));
    Ok(Page {
        path: file_for(&index.urls, &url),
        html: index.theme.render("search.html", &ctx)?,
    })
}
