//! Whether an article edit can change the editorial views. They are
//! re-rendered in full (100-250 ms on a 10,000-article site), so only when
//! a changed article differs in something they can show: its slug, title,
//! summary, dates, terms, authors, sources, review fields (except the
//! recorded fingerprint, which they see only through the state) or its
//! state. A body edit that keeps the article's state re-renders nothing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::article::ReviewStatus;
use crate::model::{Article, Site, State};

/// What the editorial views can show of one article.
#[derive(PartialEq)]
struct Shown<'a> {
    source: &'a Path,
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    dates: (NaiveDate, Option<NaiveDate>, Option<NaiveDate>),
    lang: &'a str,
    terms: [&'a [String]; 3],
    authors: &'a [String],
    sources: &'a [String],
    review: (Option<ReviewStatus>, Option<&'a str>, Option<NaiveDate>),
    state: State,
}

fn shown<'s>(site: &'s Site, path: &Path) -> Option<Shown<'s>> {
    let i = site.articles.iter().position(|a| a.content_path == path)?;
    let a: &Article = &site.articles[i];
    Some(Shown {
        source: &a.source,
        slug: &a.slug,
        title: &a.title,
        summary: &a.summary,
        dates: (a.date, a.updated, a.expires),
        lang: &a.lang,
        terms: [&a.audience, &a.specialty, &a.season],
        authors: &a.authors,
        sources: &a.sources,
        review: (a.review.status, a.review.reviewer.as_deref(), a.review.date),
        state: site.states[i],
    })
}

/// Whether the editorial views can differ between `old` and `new`, where
/// only the articles at `changed` (paths under `content/`) differ.
pub fn may_change<'p>(
    old: &Site,
    new: &Site,
    changed: impl IntoIterator<Item = &'p PathBuf>,
) -> bool {
    changed.into_iter().any(|p| shown(old, p) != shown(new, p))
}
