//! "This week's 公众号 post" of each newsletter segment (calendar.yaml
//! `newsletters`): the segment's latest issue up to today, its published
//! articles as one post: the issue's name and date, then each article's
//! title, summary and reviewer, with its URL as a numbered reference.
//! Issues come from the same model as the digests
//! ([`crate::render::digest::segment_issues`], published articles only),
//! so a post never names an article the public site does not show.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::render::digest::segment_issues;
use crate::render::views::person_view;

use super::post::{context, document, render_post};
use super::posts::{read_more_url, IndexEntry, Posts, FOLDER};
use super::transform::Reference;

/// The template of an issue's post.
pub const ISSUE_TEMPLATE: &str = "wechat/issue.html";

/// One article of an issue post.
#[derive(Debug, Clone, Serialize)]
pub struct IssueArticle {
    pub title: String,
    pub summary: String,
    pub date: String,
    /// "Name title" of the reviewing doctor.
    pub reviewer: Option<String>,
    /// Number of its URL in `references`.
    pub reference: usize,
}

/// What the issue template receives as `wx`.
#[derive(Debug, Clone, Serialize)]
pub struct IssuePostView {
    pub segment: String,
    pub name: String,
    pub date: String,
    pub lang: String,
    pub articles: Vec<IssueArticle>,
    pub references: Vec<Reference>,
}

/// One segment's post: its entry in the posts' list and its two files.
pub struct IssuePost {
    pub entry: IndexEntry,
    pub files: Vec<(String, Vec<u8>)>,
}

/// The posts of every segment that has a published issue, and the
/// problems of those that could not be rendered.
pub fn segment_posts(posts: &Posts) -> (Vec<IssuePost>, Vec<Diagnostic>) {
    let index = posts.index;
    let site = index.site;
    let lang = site.config.language.clone();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for newsletter in &site.calendar.newsletters {
        let issues = segment_issues(site, newsletter, site.today, false);
        let Some(issue) = issues.iter().max_by_key(|i| i.date) else {
            continue;
        };
        let mut references = Vec::new();
        let articles = issue
            .articles
            .iter()
            .filter(|&&i| site.states[i].is_public())
            .map(|&i| {
                let a = &site.articles[i];
                references.push(Reference {
                    number: references.len() + 1,
                    url: read_more_url(index, &a.slug),
                });
                IssueArticle {
                    title: a.title.clone(),
                    summary: a.summary.clone(),
                    date: a.date.to_string(),
                    reviewer: a.review.reviewer.as_ref().and_then(|id| {
                        site.config.people.get(id).map(|p| {
                            let v = person_view(id, p, &lang);
                            match v.title {
                                Some(t) => format!("{} {t}", v.name),
                                None => v.name,
                            }
                        })
                    }),
                    reference: references.len(),
                }
            })
            .collect();
        let view = IssuePostView {
            segment: newsletter.segment.clone(),
            name: newsletter.display_name(&lang).to_string(),
            date: issue.date.to_string(),
            lang: lang.clone(),
            articles,
            references,
        };
        let dir = format!("issues/{}/", newsletter.segment);
        let shown = format!("editorial/{FOLDER}/{dir}wechat.html");
        match render_issue(posts, &view, &shown) {
            Ok(post) => {
                let title = format!("{} · {}", view.name, view.date);
                match posts.preview_page(&title, &lang, &post, "../../") {
                    Ok(page) => found.push(IssuePost {
                        entry: IndexEntry {
                            title,
                            date: view.date.clone(),
                            href: dir.clone(),
                        },
                        files: vec![
                            (format!("{FOLDER}/{dir}index.html"), page.into_bytes()),
                            (
                                format!("{FOLDER}/{dir}wechat.html"),
                                document(&view.name, &lang, &post).into_bytes(),
                            ),
                        ],
                    }),
                    Err(d) => problems.push(d),
                }
            }
            Err(d) => problems.push(d),
        }
    }
    (found, problems)
}

/// An issue's post, its frame linted: the newsletter's name and the
/// template's words (the articles' titles and summaries were linted in
/// their sources).
fn render_issue(posts: &Posts, view: &IssuePostView, shown: &str) -> Result<String, Diagnostic> {
    let index = posts.index;
    let frame_view = IssuePostView {
        date: String::new(),
        articles: Vec::new(),
        references: Vec::new(),
        ..view.clone()
    };
    let frame = index.theme.render(
        ISSUE_TEMPLATE,
        &context(index, &view.lang, "wx", &frame_view),
    )?;
    let post = render_post(
        index,
        ISSUE_TEMPLATE,
        &context(index, &view.lang, "wx", view),
    )?;
    if let Some(error) = posts.lint_frame(&frame, shown).into_iter().next() {
        return Err(Diagnostic::error(
            "wechat-withheld",
            "calendar.yaml",
            format!(
                "no WeChat post for the `{}` issue of {}: it fails the compliance lint: {error}",
                view.segment, view.date
            ),
        )
        .hint("the post is made of the issue's titles and summaries and the theme's wechat/issue.html"));
    }
    Ok(post)
}
