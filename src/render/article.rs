//! Article pages: the rendered body with everything a reader and a search
//! engine need to trust it: author and reviewer with titles, "last
//! reviewed" and "next review due" dates, sources, the medical disclaimer,
//! reading time and schema.org JSON-LD. [`ArticlePages`] is the renderer
//! of every public article's page.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::markdown::{Heading, LinkResolver};
use crate::output::Writer;

use super::index::{Index, PublicLinks};
use super::jsonld::article_json_ld;
use super::listing::file_for;
use super::page::{page_context, set_versions, PageMeta};
use super::renderer::{Part, Rendered, Renderer, Scope};
use super::views::{person_view, term_links, Card, PersonView, TermLink};

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub date: String,
    pub updated: Option<String>,
    pub lang: String,
    pub content: String,
    pub headings: Vec<HeadingView>,
    pub reading_minutes: u32,
    pub audience: Vec<TermLink>,
    pub specialty: Vec<TermLink>,
    pub season: Vec<TermLink>,
    pub authors: Vec<PersonView>,
    pub reviewer: Option<PersonView>,
    pub last_reviewed: Option<String>,
    pub next_review: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct HeadingView {
    pub level: u8,
    pub id: String,
    pub text: String,
}

impl From<Heading> for HeadingView {
    fn from(h: Heading) -> Self {
        HeadingView {
            level: h.level,
            id: h.id,
            text: h.text,
        }
    }
}

/// Builds the page for article `i`. Returns the HTML and any problems found
/// in its body (broken links, removed raw HTML).
pub fn render_article_page(
    index: &Index,
    i: usize,
    resolver: &dyn LinkResolver,
    extra: Option<&dyn Fn(&mut Context)>,
) -> (Result<String, Diagnostic>, Vec<Diagnostic>) {
    let (ctx, problems) = article_context(index, i, resolver, extra, false);
    (index.theme.render("article.html", &ctx), problems)
}

/// `render_article_page` as bytes, for writing to a file. `resolver` must
/// be the public one: the body is kept in `index.bodies` for the digests.
pub fn render_article_bytes(
    index: &Index,
    i: usize,
    resolver: &PublicLinks,
) -> (Result<Vec<u8>, Diagnostic>, Vec<Diagnostic>) {
    let (ctx, problems) = article_context(index, i, resolver, None, true);
    (index.theme.render_bytes("article.html", &ctx), problems)
}

/// The template context of article `i`'s page, and the problems found in
/// its body.
fn article_context(
    index: &Index,
    i: usize,
    resolver: &dyn LinkResolver,
    extra: Option<&dyn Fn(&mut Context)>,
    keep_body: bool,
) -> (Context, Vec<Diagnostic>) {
    let site = index.site;
    let config = &site.config;
    let urls = &index.urls;
    let article = &site.articles[i];
    let (rendered, problems) = index.body_renderer.render(article, resolver);
    let lang = article.lang.as_str();
    let people = |id: &String| config.people.get(id).map(|p| person_view(id, p, lang));
    let url = urls.article(&article.slug);
    let next_review = article
        .review
        .due_on(config.review.max_age_days)
        .map(|d| d.to_string());
    let view = ArticleView {
        title: article.title.clone(),
        summary: article.summary.clone(),
        url: url.clone(),
        date: article.date.to_string(),
        updated: article.updated.map(|d| d.to_string()),
        lang: article.lang.clone(),
        content: rendered.html,
        headings: rendered
            .headings
            .into_iter()
            .map(HeadingView::from)
            .collect(),
        reading_minutes: rendered.reading.minutes,
        audience: term_links(config, urls, "audience", &article.audience, lang),
        specialty: term_links(config, urls, "specialty", &article.specialty, lang),
        season: term_links(config, urls, "season", &article.season, lang),
        authors: article.authors.iter().filter_map(people).collect(),
        reviewer: article.review.reviewer.as_ref().and_then(people),
        last_reviewed: article.review.date.map(|d| d.to_string()),
        next_review,
        sources: article.sources.clone(),
    };
    let related: Vec<&Card> = index
        .related(i, 4)
        .into_iter()
        .filter_map(|r| index.cards[r].as_ref())
        .collect();
    let meta = PageMeta {
        title: article.title.clone(),
        description: article.summary.clone(),
        path: url.clone(),
        lang: article.lang.clone(),
        feed: None,
    };
    let mut ctx = page_context(index, &meta);
    let versions = index.article_versions(i);
    set_versions(&mut ctx, index, lang, &versions);
    let translations: Vec<(String, String)> = versions
        .iter()
        .filter(|(_, u)| *u != url)
        .map(|(l, u)| (l.clone(), urls.absolute(u)))
        .collect();
    ctx.insert("article", &view);
    if keep_body {
        // The context holds its own copy now, so the body moves to the cache.
        let _ = index.bodies[i].set(view.content);
    }
    ctx.insert("related", &related);
    ctx.insert(
        "json_ld",
        &article_json_ld(
            config,
            article,
            &urls.absolute(&url),
            index.lang(lang).site.publisher.as_ref(),
            &translations,
        ),
    );
    if let Some(extra) = extra {
        extra(&mut ctx);
    }
    (ctx, problems)
}

/// The renderer of public article pages (`articles/<slug>/index.html`).
/// After an edit it renders the pages the edit reaches ([`Reach::pages`])
/// and removes the pages of articles that are no longer public or moved.
///
/// [`Reach::pages`]: super::changes::Reach::pages
pub struct ArticlePages;

impl Renderer for ArticlePages {
    fn name(&self) -> &'static str {
        "articles"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::PublicArticles, Part::Config, Part::Theme]
    }

    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let chosen: &[usize] = match scope {
            Scope::Everything => &index.published,
            Scope::Edit(edit) => {
                let reach = edit.reach(index);
                rendered.partial = true;
                rendered.note = Some(reach.extent.label().to_string());
                &reach.pages
            }
        };
        let resolver = PublicLinks::new(index.site, &index.urls);
        // Render and write in parallel. Each body is kept in
        // `index.bodies`, so feeds and digests do not render it again.
        let results: Vec<(Option<String>, Vec<Diagnostic>, Vec<Diagnostic>)> = chosen
            .par_iter()
            .map(|&i| {
                let article = &index.site.articles[i];
                let (html, body) = render_article_bytes(index, i, &resolver);
                let mut found = Vec::new();
                let path = match html {
                    Ok(html) => {
                        let path = file_for(&index.urls, &index.urls.article(&article.slug));
                        match out.write(&path, &html) {
                            Ok(()) => Some(path),
                            Err(e) => {
                                found.push(Diagnostic::error(
                                    "output",
                                    &article.source,
                                    e.to_string(),
                                ));
                                None
                            }
                        }
                    }
                    Err(d) => {
                        found.push(d);
                        None
                    }
                };
                (path, found, body)
            })
            .collect();
        for (path, found, body) in results {
            rendered.pages += usize::from(path.is_some());
            rendered.files.extend(path);
            rendered.problems.extend(found);
            rendered.confined.extend(body);
        }
        if let Scope::Edit(edit) = scope {
            // Pages of articles no longer public (or moved to another slug).
            for (_, slug) in &edit.diff.gone {
                let rel = file_for(&index.urls, &index.urls.article(slug));
                if !rendered.files.contains(&rel) {
                    rendered.removed.push(rel);
                }
            }
        }
        rendered
    }
}
