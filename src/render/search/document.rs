//! What Pagefind reads for one public article: a small HTML document made
//! from the article's title, summary and rendered body (the body the
//! article page shows, kept in the index), its language, its terms as
//! filters and the synonyms of the words it uses as hidden metadata. It
//! has the shape the theme gives the article page (`data-pagefind-body`,
//! the same filters and metadata), so the record is the one Pagefind would
//! take from the page itself, without reading the header, navigation,
//! related articles and footer of every page a second time.

use crate::html::escape_html;
use crate::model::Article;
use crate::search::Synonyms;

/// The document for `article` whose rendered body is `body_html`.
pub fn document(article: &Article, body_html: &str, synonyms: &Synonyms) -> String {
    let text = text_of(body_html);
    let terms = synonyms.for_text(&[&article.title, &article.summary, &text]);
    let mut doc = String::with_capacity(body_html.len() + 512);
    doc.push_str("<!DOCTYPE html><html lang=\"");
    doc.push_str(&escape_html(&article.lang));
    doc.push_str("\"><head><title></title></head><body><article data-pagefind-body><h1>");
    doc.push_str(&escape_html(&article.title));
    doc.push_str("</h1><p data-pagefind-meta=\"summary\">");
    doc.push_str(&escape_html(&article.summary));
    doc.push_str("</p>");
    doc.push_str(body_html);
    doc.push_str("</article>");
    for (taxonomy, ids) in [
        ("audience", &article.audience),
        ("specialty", &article.specialty),
        ("season", &article.season),
    ] {
        for id in ids {
            doc.push_str(&format!(
                "<span data-pagefind-filter=\"{taxonomy}:{}\"></span>",
                escape_html(id)
            ));
        }
    }
    // Pagefind searches metadata words, so a query for a synonym finds the
    // article while its excerpt still comes from the article's own text.
    // Terms never hold `,` or `:` (checked at load), which separate
    // Pagefind's metadata fields.
    if !terms.is_empty() {
        doc.push_str(&format!(
            "<span data-pagefind-meta=\"synonyms:{}\"></span>",
            escape_html(&terms.join(" "))
        ));
    }
    doc.push_str("</body></html>");
    doc
}

/// The text of an HTML fragment: everything outside tags, entities kept,
/// so link targets and attributes do not count as words of the article.
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
}
