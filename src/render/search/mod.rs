//! Site search (docs/search.md): the Pagefind index under `public/pagefind/`
//! and the `/search/` page. Only public article pages are indexed: the
//! article renderer hands each page over as written ([`SiteSearch::add`]),
//! so nothing that is not on the site (drafts, digests, term pages,
//! editorial views) can reach the index. The theme marks what Pagefind
//! reads (`data-pagefind-body`, filters, metadata); the lay or medical
//! synonyms of the terms an article uses are added to its record as a
//! hidden `synonyms` field, searchable but never shown on the page.

mod indexer;
mod page;

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::html::escape_html;
use crate::model::Article;
use crate::output::Staging;
use crate::search::Synonyms;

pub use indexer::IndexStats;
pub use page::search_page;

/// Where the index bundle goes under the output root.
pub const BUNDLE_DIR: &str = "pagefind";

/// One build's search index in the making.
pub struct SiteSearch {
    indexer: indexer::Indexer,
    synonyms: Synonyms,
}

impl SiteSearch {
    /// Starts indexing with the synonym groups of `config`.
    pub fn start(config: &crate::search::SearchConfig) -> SiteSearch {
        SiteSearch {
            indexer: indexer::Indexer::start(),
            synonyms: Synonyms::new(config),
        }
    }

    /// The HTML Pagefind reads for `article`'s page: the page itself with
    /// the synonyms of the terms in its title, summary and body text
    /// (`body_html` without its tags, so link targets do not count) as
    /// hidden metadata. Safe to call from many threads.
    pub fn document(&self, article: &Article, body_html: &str, page: String) -> String {
        let body = text_of(body_html);
        let terms = self
            .synonyms
            .for_text(&[&article.title, &article.summary, &body]);
        with_synonyms(page, &terms)
    }

    /// Queues one page for the index; call in the same order on every build.
    pub fn add(&self, url: String, document: String) {
        self.indexer.add(url, document);
    }

    /// Builds the index and writes it into `out` under [`BUNDLE_DIR`].
    pub fn finish(self, out: &Staging) -> Result<IndexStats, Vec<Diagnostic>> {
        let shown = Path::new("public").join(BUNDLE_DIR);
        let (files, stats) = self
            .indexer
            .finish()
            .map_err(|why| vec![Diagnostic::error("search-index", &shown, why)])?;
        let problems: Vec<Diagnostic> = files
            .iter()
            .filter_map(|f| {
                out.write(Path::new(BUNDLE_DIR).join(&f.path), &f.bytes)
                    .err()
                    .map(|e| Diagnostic::error("output", &shown, e.to_string()))
            })
            .collect();
        if problems.is_empty() {
            Ok(stats)
        } else {
            Err(problems)
        }
    }
}

/// The text of an HTML fragment: everything outside tags, entities kept.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// `page` with an empty element before `</body>` whose
/// `data-pagefind-meta` carries `terms`: Pagefind indexes metadata words,
/// so a query for any of them finds the page, and the excerpt still comes
/// from the article's text.
fn with_synonyms(mut page: String, terms: &[String]) -> String {
    if terms.is_empty() {
        return page;
    }
    // Terms never hold `,` or `:` (checked at load), which separate
    // Pagefind's metadata fields.
    let field = format!(
        "<span data-pagefind-meta=\"synonyms:{}\"></span>",
        escape_html(&terms.join(" "))
    );
    match page.rfind("</body>") {
        Some(at) => page.insert_str(at, &field),
        None => page.push_str(&field),
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_drops_tags_and_their_attributes() {
        let html = "<p>见<a href=\"/articles/hypertension/\">血压</a>一文</p>";
        assert_eq!(
            text_of(html).split_whitespace().collect::<String>(),
            "见血压一文"
        );
    }

    #[test]
    fn synonyms_go_into_a_hidden_field_before_the_end_of_body() {
        let page = "<html><body><main>x</main></body></html>".to_string();
        let out = with_synonyms(page.clone(), &["发烧".into(), "heart attack".into()]);
        assert_eq!(
            out,
            "<html><body><main>x</main><span data-pagefind-meta=\"synonyms:发烧 heart attack\"></span></body></html>"
        );
        assert_eq!(with_synonyms(page.clone(), &[]), page);
        let quoted = with_synonyms(page, &["a\"b".into()]);
        assert!(quoted.contains("synonyms:a&quot;b\""), "{quoted}");
    }
}
