//! An article's Markdown body as HTML. Its own module because both the
//! published index (which keeps every public body once rendered) and the
//! pages that show bodies need it, and neither may import the other.

use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkResolver, MarkdownInput};
use crate::model::Article;

/// Renders the Markdown body of `article`, resolving its `.md` links with
/// `resolver`. Returns the HTML with its headings and reading time, and the
/// problems found (broken links, removed raw HTML).
pub fn render_body(
    article: &Article,
    resolver: &dyn LinkResolver,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let source_dir = article
        .content_path
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let input = MarkdownInput {
        body: article.body(),
        body_line: article.body_line,
        file: &article.source,
        source_dir,
    };
    markdown::render(&input, resolver)
}
