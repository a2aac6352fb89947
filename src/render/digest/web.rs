//! The on-site side of digests: each issue's web view (the "view in
//! browser" target, in the site theme), each segment's list of issues, and
//! the segment's Atom feed. The feed carries every article's full body with
//! absolute links so an e-mail platform's RSS-to-email automation can build
//! the mail itself. On-site links are not UTM-tagged (tagging internal links
//! would split analytics sessions); the feed's links are not tagged either,
//! since platforms add their own tracking to what they send.

use serde::Serialize;

use crate::config::calendar::Newsletter;
use crate::diagnostics::Diagnostic;
use crate::model::newsletter::Issue;
use crate::render::feeds::{feed_in, FEED_LENGTH};
use crate::render::index::Index;
use crate::render::page::{page_context, PageMeta};

use super::links::rewrite_body;
use super::view::{segment_path, Digests, IssueView};

fn meta(lang: &str, title: String, description: String, path: String, feed: String) -> PageMeta {
    PageMeta {
        title,
        description,
        path,
        lang: lang.to_string(),
        feed: Some(feed),
    }
}

/// The web view of one issue (`digests/<segment>/<date>/index.html`).
pub fn issue_page(index: &Index, view: &IssueView) -> Result<String, Diagnostic> {
    let seg = segment_path(index, &view.segment);
    let meta = meta(
        &view.lang,
        format!("{} · {}", view.name, view.date),
        view.preheader.clone(),
        format!("{seg}{}/", view.date),
        format!("{seg}atom.xml"),
    );
    let mut ctx = page_context(index, &meta);
    ctx.insert("issue", view);
    ctx.insert("list_path", &seg);
    index.theme.render("digest.html", &ctx)
}

#[derive(Debug, Serialize)]
struct IssueLink {
    date: String,
    path: String,
    email_path: String,
    count: usize,
    titles: Vec<String>,
}

/// `index.html` (list of issues, newest first) and `atom.xml` of a
/// segment, as (path relative to the segment folder, text).
pub fn segment_pages(
    digests: &Digests,
    newsletter: &Newsletter,
    found: &[Issue],
) -> Result<Vec<(String, String)>, Diagnostic> {
    let index = digests.index;
    let site = index.site;
    let seg = segment_path(index, &newsletter.segment);
    let lang = newsletter.language(&site.config.language);
    let name = newsletter.display_name(lang).to_string();
    let issues: Vec<IssueLink> = found
        .iter()
        .rev()
        .map(|i| IssueLink {
            date: i.date.to_string(),
            path: format!("{seg}{}/", i.date),
            email_path: format!("{seg}{}/email.html", i.date),
            count: i.articles.len(),
            titles: i
                .articles
                .iter()
                .map(|&a| site.articles[a].title.clone())
                .collect(),
        })
        .collect();
    let feed_path = format!("{seg}atom.xml");
    let meta = meta(
        lang,
        name.clone(),
        name.clone(),
        seg.clone(),
        feed_path.clone(),
    );
    let mut ctx = page_context(index, &meta);
    ctx.insert("name", &name);
    ctx.insert("segment", &newsletter.segment);
    ctx.insert("issues", &issues);
    let list = index.theme.render("digest_list.html", &ctx)?;

    // Feed: the newest articles across issues, full bodies, absolute links.
    let items: Vec<usize> = found
        .iter()
        .rev()
        .flat_map(|i| i.articles.iter().copied())
        .take(FEED_LENGTH)
        .collect();
    let content = |i: usize| {
        let body = digests.body(i);
        Some(rewrite_body(
            &crate::markdown::for_feed(&body),
            &index.urls.origin,
            &index.urls.base_path,
            None,
            &site.articles[i].title,
        ))
    };
    let title = format!("{} · {name}", index.lang(lang).site.title);
    let feed = feed_in(index, lang, title, &seg, &items, &content)?.html;
    Ok(vec![("index.html".into(), list), ("atom.xml".into(), feed)])
}
