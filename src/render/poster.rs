//! Ward posters: for every public article an A4 portrait page at
//! `/articles/<slug>/poster/` to print for wards and waiting rooms (扫码阅读).
//! Large type for older readers; the title, summary and key points (the
//! article's first list, or else its section headings), the reviewer with
//! their title, the last-reviewed date, the disclaimer and the hospital's
//! name; and a QR code (level M, quiet zone, 40 mm printed) to the
//! article's permanent short link `/s/<id>/`, tagged
//! `utm_medium=poster&utm_source=<id>` (plus `utm_campaign` from
//! `posters.campaign` in site.yaml), with the short URL printed under it.
//! The page is `poster.html` with `static/poster.css`; it is not indexed
//! (the article is the canonical page).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::shortlink::Tracking;
use crate::output::Writer;

use super::index::Index;
use super::listing::file_for;
use super::page::{page_context, PageMeta};
use super::qr::{svg, QrSize};
use super::renderer::{Part, Rendered, Renderer, Scope};
use super::views::{person_view, PersonView};

/// At most this many key points: the poster must stay one page.
pub const MAX_POINTS: usize = 6;
/// A key point longer than this many characters is cut with "…".
pub const MAX_POINT_CHARS: usize = 70;
/// Printed edge of the QR code (quiet zone included); 30 mm is the least
/// a phone reads reliably from a metre away.
pub const QR_MM: f32 = 40.0;

#[derive(Debug, Serialize)]
struct PosterView {
    title: String,
    summary: String,
    key_points: Vec<String>,
    reviewer: Option<PersonView>,
    last_reviewed: Option<String>,
    /// The hospital: the publisher's name, else the site's title.
    hospital: String,
    /// Inline SVG of the QR code (built here, safe to insert).
    qr_svg: String,
    /// What the QR code encodes: the short link with tracking parameters.
    qr_url: String,
    /// The short link as printed under the code, without the scheme.
    short_url: String,
    /// The article page (the canonical URL).
    article_url: String,
}

/// The poster URL of an article slug, root-relative.
pub fn poster_path(index: &Index, slug: &str) -> String {
    format!("{}poster/", index.urls.article(slug))
}

/// The key points of a Markdown body: the items of its first list (their
/// own text, without nested lists), else its level-2 headings; at most
/// [`MAX_POINTS`], each cut at [`MAX_POINT_CHARS`].
pub fn key_points(markdown: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut headings = Vec::new();
    let mut list_depth = 0usize;
    let mut in_first_list = false;
    let mut first_list_done = false;
    let mut current: Option<String> = None;
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if list_depth == 1 && !first_list_done {
                    in_first_list = true;
                }
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 && in_first_list {
                    in_first_list = false;
                    first_list_done = true;
                }
            }
            Event::Start(Tag::Item) if in_first_list && list_depth == 1 => {
                current = Some(String::new());
            }
            Event::End(TagEnd::Item) if in_first_list && list_depth == 1 => {
                if let Some(text) = current.take() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.is_empty() {
                        items.push(text);
                    }
                }
            }
            Event::Start(Tag::Heading { level, .. }) if level as u8 == 2 => {
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(text) = heading.take() {
                    headings.push(text.trim().to_string());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(item) = current.as_mut().filter(|_| list_depth == 1) {
                    item.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(item) = current.as_mut().filter(|_| list_depth == 1) {
                    item.push(' ');
                }
            }
            _ => {}
        }
    }
    let chosen = if items.is_empty() { headings } else { items };
    chosen
        .into_iter()
        .filter(|p| !p.is_empty())
        .take(MAX_POINTS)
        .map(|p| cut(&p, MAX_POINT_CHARS))
        .collect()
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// The poster page of public article `i`.
fn poster_page(index: &Index, i: usize) -> Result<(String, String), Diagnostic> {
    let site = index.site;
    let config = &site.config;
    let article = &site.articles[i];
    let urls = &index.urls;
    let id = article.short_id();
    let short = urls.absolute(&urls.short_link(id));
    let qr_url = Tracking {
        medium: "poster",
        source: id,
        campaign: config.posters.campaign.as_deref(),
    }
    .tag(&short);
    let qr_svg = svg(&qr_url, QrSize::Millimetres(QR_MM), &index.qr_masks).map_err(|e| {
        Diagnostic::error("poster-qr", &article.source, format!("poster QR code: {e}"))
    })?;
    let lang = article.lang.as_str();
    let view = PosterView {
        title: article.title.clone(),
        summary: article.summary.clone(),
        key_points: key_points(article.body()),
        reviewer: article
            .review
            .reviewer
            .as_ref()
            .and_then(|id| config.people.get(id).map(|p| person_view(id, p, lang))),
        last_reviewed: article.review.date.map(|d| d.to_string()),
        // The hospital as this article's language names it.
        hospital: {
            let site_view = &index.lang(lang).site;
            site_view
                .publisher
                .as_ref()
                .map_or_else(|| site_view.title.clone(), |p| p.name.clone())
        },
        qr_svg,
        qr_url,
        short_url: short
            .split_once("://")
            .map_or(short.clone(), |(_, rest)| rest.to_string()),
        article_url: urls.article(&article.slug),
    };
    let meta = PageMeta {
        title: article.title.clone(),
        description: article.summary.clone(),
        // The article is the canonical page of this text.
        path: urls.article(&article.slug),
        lang: article.lang.clone(),
        feed: None,
    };
    let mut ctx = page_context(index, &meta);
    ctx.insert("poster", &view);
    let html = index.theme.render("poster.html", &ctx)?;
    Ok((file_for(urls, &poster_path(index, &article.slug)), html))
}

/// The poster pages (see the module documentation).
pub struct Posters;

impl Renderer for Posters {
    fn name(&self) -> &'static str {
        "posters"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::PublicArticles, Part::Config, Part::Theme]
    }

    /// One small page per public article.
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        // After an edit, the posters of the article pages the edit reaches
        // (a poster shows what its article's page shows), and the posters
        // of articles no longer public removed.
        let chosen: &[usize] = match scope {
            Scope::Everything => &index.published,
            Scope::Edit(edit) => {
                rendered.partial = true;
                &edit.reach(index).pages
            }
        };
        // Written as they are made, not held until the end (70 MB at 10k).
        let results: Vec<Result<String, Diagnostic>> = chosen
            .par_iter()
            .map(|&i| {
                let (path, html) = poster_page(index, i)?;
                out.write(&path, html.as_bytes())
                    .map_err(|e| Diagnostic::error("output", &path, e.to_string()))?;
                Ok(path)
            })
            .collect();
        for result in results {
            match result {
                Ok(path) => {
                    rendered.pages += 1;
                    rendered.files.push(path);
                }
                Err(d) => rendered.problems.push(d),
            }
        }
        if let Scope::Edit(edit) = scope {
            for (_, slug) in &edit.diff.gone {
                let rel = file_for(&index.urls, &poster_path(index, slug));
                if !rendered.files.contains(&rel) {
                    rendered.removed.push(rel);
                }
            }
        }
        rendered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_points_are_the_first_list_or_the_headings() {
        let body = "Intro.\n\n## 要点\n\n- 多喝水，**少量多次**\n- 发热超过 `3` 天\n  - nested detail\n- 精神差\n  要就医\n\n1. second list\n";
        assert_eq!(
            key_points(body),
            ["多喝水，少量多次", "发热超过 3 天", "精神差 要就医"]
        );
        let headings = "## 为什么\n\ntext\n\n## 怎么做\n\n### sub\n\n## 何时就医\n";
        assert_eq!(key_points(headings), ["为什么", "怎么做", "何时就医"]);
        let many: String = (0..10).map(|n| format!("- point {n}\n")).collect();
        assert_eq!(key_points(&many).len(), MAX_POINTS);
        let long = format!("- {}\n", "长".repeat(100));
        let point = &key_points(&long)[0];
        assert_eq!(point.chars().count(), MAX_POINT_CHARS);
        assert!(point.ends_with('…'));
        assert!(key_points("just text").is_empty());
    }
}
