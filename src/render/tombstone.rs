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
use crate::output::Writer;

use super::index::Index;
use super::listing::{file_for, Page};
use super::page::{page_context, PageMeta};
use super::renderer::{Part, Rendered, Renderer, Scope};
use super::views::Card;

/// The tombstone pages (see the module documentation).
pub struct Tombstones;

impl Renderer for Tombstones {
    fn name(&self) -> &'static str {
        "tombstones"
    }

    /// An article's dates and state decide whether it has a tombstone, and
    /// the replacement's card shows on it.
    fn depends_on(&self) -> &'static [Part] {
        &[Part::AnyArticle, Part::Config, Part::Theme]
    }

    /// Few and small: always renders them all (`partial` stays false, so
    /// serve removes tombstones that no longer exist).
    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        match tombstone_pages(index) {
            Ok(pages) => {
                let files = pages
                    .into_iter()
                    .map(|p| (p.path, p.html.into_bytes()))
                    .collect();
                rendered.write_all(out, files, true);
            }
            Err(d) => rendered.problems.push(d),
        }
        rendered
    }
}

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
        let labels = &index.lang(&article.lang).public_labels;
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
