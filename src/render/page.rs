//! What every public page starts from: its `<head>` facts ([`PageMeta`])
//! and the template context with the site, the page and the UI labels.

use serde::Serialize;
use tera::Context;

use super::index::Index;
use super::languages::{alternates, switcher};

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
///
/// On a multilingual site every page has a language switcher
/// (`switcher`), by default to the other languages' home pages;
/// a page that exists in other languages says so with [`set_versions`],
/// which also fills its hreflang `alternates`.
pub fn page_context(index: &Index, meta: &PageMeta) -> Context {
    let language = index.lang(&meta.lang);
    let mut ctx: Context = language.public_context.clone();
    ctx.insert("page", meta);
    ctx.insert("canonical_url", &index.urls.absolute(&meta.path));
    set_versions(&mut ctx, index, &meta.lang, &[]);
    ctx
}

/// Records that the page of `ctx` (in `lang`) exists as `versions`
/// (language tag, root-relative URL; its own included, only public pages):
/// its hreflang alternates and its switcher's links go to them.
pub fn set_versions(ctx: &mut Context, index: &Index, lang: &str, versions: &[(String, String)]) {
    ctx.insert("alternates", &alternates(&index.urls, versions));
    ctx.insert("switcher", &switcher(&index.languages, lang, versions));
}

/// Like [`set_versions`], for a page whose versions are not its exact
/// equivalents (page 2 of a listing): the switcher goes to them, no
/// hreflang alternates are claimed.
pub fn set_switcher(ctx: &mut Context, index: &Index, lang: &str, versions: &[(String, String)]) {
    ctx.insert("alternates", &Vec::<()>::new());
    ctx.insert("switcher", &switcher(&index.languages, lang, versions));
}
