//! Tombstones: an article that was public and no longer is (it expired,
//! or was withdrawn with `withdrawn:`) leaves a small page at its old URL,
//! so QR codes on printed posters and links shared in chat groups do not
//! die silently. The page says when the advice was withdrawn, links to the
//! replacement (`replaced_by:`, when that article is public) and to the
//! home page, and asks search engines not to index it (`noindex`). It
//! never shows the old text: not its title, summary or body. Articles that
//! were never public (see `Article::tombstone_date`) leave nothing, so a
//! tombstone reveals nothing that was not already published.

use serde::Serialize;

use crate::diagnostics::Diagnostic;

use super::index::Index;
use super::listing::{file_for, Page};
use super::views::Card;
use super::{page_context, PageMeta};

#[derive(Debug, Serialize)]
struct TombstoneView {
    /// The day the advice stopped being public (YYYY-MM-DD).
    withdrawn_on: String,
    /// The public article that replaces it, if any.
    replaced_by: Option<Card>,
}

/// The tombstone pages of the site as of its day, in article order.
pub fn tombstone_pages(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    let site = index.site;
    let mut pages = Vec::new();
    for (i, article) in site.articles.iter().enumerate() {
        if site.states[i].is_public() {
            continue;
        }
        let Some(day) = article.tombstone_date(site.today) else {
            continue;
        };
        let replaced_by = article
            .replaced_by
            .as_deref()
            .and_then(|slug| site.article_by_slug(slug))
            .filter(|&r| site.states[r].is_public())
            .map(|r| index.card(r).clone());
        let labels = index
            .theme
            .public_labels_for(&article.lang, &site.config.language);
        let meta = PageMeta {
            title: labels
                .get("tombstone_title")
                .cloned()
                .unwrap_or_else(|| "Withdrawn".into()),
            description: String::new(),
            path: index.urls.article(&article.slug),
            lang: article.lang.clone(),
            feed: None,
        };
        let mut ctx = page_context(index, &meta);
        ctx.insert(
            "tombstone",
            &TombstoneView {
                withdrawn_on: day.to_string(),
                replaced_by,
            },
        );
        pages.push(Page {
            path: file_for(&index.urls, &meta.path),
            html: index.theme.render("tombstone.html", &ctx)?,
        });
    }
    Ok(pages)
}
