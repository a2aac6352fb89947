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

pub fn search_page(index: &Index) -> Result<Page, Diagnostic> {
    let config = &index.site.config;
    let lang = config.language.as_str();
    let labels = index.theme.labels_for(lang, lang);
    let url = format!("{}search/", index.urls.base_path);
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
            url: index.urls.taxonomy(taxonomy),
            terms: config
                .term_ids(taxonomy)
                .into_iter()
                .map(|id| FilterTerm {
                    name: config.term_name(taxonomy, &id, lang),
                    url: index.urls.term(taxonomy, &id),
                    count: index.term_articles(taxonomy, &id).len(),
                    id,
                })
                .collect(),
        })
        .collect();
    let mut ctx = page_context(index, &meta);
    ctx.insert("filters", &filters);
    ctx.insert("bundle", &format!("{}{BUNDLE_DIR}/", index.urls.base_path));
    Ok(Page {
        path: file_for(&index.urls, &url),
        html: index.theme.render("search.html", &ctx)?,
    })
}
