//! What every public page starts from: its `<head>` facts ([`PageMeta`])
//! and the template context with the site, the page and the UI labels.

use serde::Serialize;
use tera::Context;

use super::index::Index;

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
