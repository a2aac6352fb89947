//! One 公众号 post: what the "复制到公众号" button copies. A post is rendered
//! from a theme template (`wechat/article.html` for an article,
//! `wechat/issue.html` for a newsletter issue) that styles it with one
//! `<style>` block and classes; `render::inline` then moves every
//! rule into `style=""` and [`transform::clean`] takes away what the editor
//! drops (the `<style>`, classes, ids, scripts, any link not to a 公众号
//! article). The result is a single `<section>` whose look no longer
//! depends on anything but itself.

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::markdown::LinkResolver;
use crate::render::index::Index;
use crate::render::views::{person_view, PersonView};

use super::transform::{self, Reference};

/// What the article template receives as `wx`.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub title: String,
    pub summary: String,
    pub date: String,
    pub lang: String,
    /// The article's rendered body, links turned into references.
    pub content: String,
    pub references: Vec<Reference>,
    /// "阅读原文": the URL readers type or scan (short link if the site
    /// has one, else the article's URL), absolute.
    pub read_more: String,
    /// Absolute URL of the PNG QR code of `read_more` (a public file).
    pub qr_src: String,
    pub authors: Vec<PersonView>,
    pub reviewer: Option<PersonView>,
    pub last_reviewed: Option<String>,
    pub sources: Vec<String>,
}

/// The template of an article's post, inside the theme's `templates/`.
pub const ARTICLE_TEMPLATE: &str = "wechat/article.html";

/// The view of public article `i`'s post. `resolver` must be the public
/// one: links to articles that are not public are already plain text.
pub fn article_view(
    index: &Index,
    i: usize,
    resolver: &dyn LinkResolver,
    read_more: String,
    qr_src: String,
) -> PostView {
    let site = index.site;
    let config = &site.config;
    let article = &site.articles[i];
    let lang = article.lang.as_str();
    let people = |id: &String| config.people.get(id).map(|p| person_view(id, p, lang));
    let body = crate::markdown::for_email(index.public_body(i, resolver));
    let mut references = Vec::new();
    let content = transform::references(&body, &index.urls.origin, &mut references);
    let content = transform::plain_images(&content, &index.urls.origin);
    PostView {
        title: article.title.clone(),
        summary: article.summary.clone(),
        date: article.date.to_string(),
        lang: article.lang.clone(),
        content,
        references,
        read_more,
        qr_src,
        authors: article.authors.iter().filter_map(people).collect(),
        reviewer: article.review.reviewer.as_ref().and_then(people),
        last_reviewed: article.review.date.map(|d| d.to_string()),
        sources: article.sources.clone(),
    }
}

/// The frame of a post: the view with everything particular to the
/// article taken out (its text, sources, links, dates and people), leaving
/// what the template and site.yaml add to every post (labels, headings,
/// the disclaimer). The article's own text was linted in its source; the
/// frame is linted here, once per language, since it is the same for every
/// article (linting is costly). People's names and titles are site.yaml
/// records, shown as on the article's page.
pub fn frame_of(view: &PostView) -> PostView {
    PostView {
        title: String::new(),
        summary: String::new(),
        date: String::new(),
        content: String::new(),
        references: Vec::new(),
        read_more: String::new(),
        qr_src: String::new(),
        last_reviewed: view.last_reviewed.as_ref().map(|_| String::new()),
        sources: Vec::new(),
        authors: Vec::new(),
        reviewer: None,
        ..view.clone()
    }
}

/// The template context of a post: the site, the labels in `lang` (the
/// site language's as fallback) and `key` -> `view`.
pub fn context(index: &Index, lang: &str, key: &str, view: &impl Serialize) -> Context {
    let mut ctx = base_context(index, lang);
    ctx.insert(key, view);
    ctx
}

/// [`context`] without the view: the site and the labels in `lang`.
pub fn base_context(index: &Index, lang: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &index.site_view);
    ctx.insert(
        "t",
        index.theme.labels_for(lang, &index.site.config.language),
    );
    ctx
}

/// Renders `template` with `ctx` into the copyable post: CSS inlined,
/// then cleaned to what the editor keeps.
pub fn render_post(index: &Index, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
    let raw = index.theme.render(template, ctx)?;
    let inlined = crate::render::inline::for_wechat(&raw).map_err(|e| {
        Diagnostic::error(
            "wechat-css",
            format!("themes/default/templates/{template}"),
            format!("cannot inline the post's CSS: {e}"),
        )
    })?;
    Ok(transform::clean(transform::body_of(&inlined)))
}

/// The copyable post as an HTML document whose `<body>` is exactly the
/// post (what `healthpress wechat` prints and `wechat.html` holds).
pub fn document(title: &str, lang: &str, post: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>{post}</body>\n</html>\n",
        crate::html::escape_html(lang),
        crate::html::escape_html(title)
    )
}
