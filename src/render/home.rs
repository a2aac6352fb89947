//! Home pages: one per language with pages of its own (the default
//! language's at the site root, the others' at `/<prefix>/`), each with its
//! language's articles in season now, upcoming observances, the latest
//! articles and the topics to browse.

use serde::Serialize;

use crate::config::languages::is_english;
use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;

use super::index::Index;
use super::languages::LangView;
use super::listing::{cards, file_for, term_link, term_summaries, versions, Page, TermSummary};
use super::page::{page_context, set_versions, PageMeta};
use super::views::TermLink;

#[derive(Debug, Serialize)]
struct ObservanceView {
    date: String,
    name: String,
    specialty: Option<TermLink>,
}

/// Every language's home page.
pub fn home_pages(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    index
        .page_languages()
        .map(|language| home_page(index, language))
        .collect()
}

/// The home page in `language`.
fn home_page(index: &Index, language: &LangView) -> Result<Page, Diagnostic> {
    let site = index.site;
    let lang = language.tag.as_str();
    let seasons = site.calendar.seasons_on(site.today);
    let current: Vec<String> = seasons
        .iter()
        .filter(|s| *s != "all-year")
        .cloned()
        .collect();
    let listed = || {
        index
            .published
            .iter()
            .copied()
            .filter(|&i| index.listed_in(lang, i))
    };
    let in_season: Vec<usize> = listed()
        .filter(|&i| site.articles[i].season.iter().any(|s| current.contains(s)))
        .take(6)
        .collect();
    let latest: Vec<usize> = listed().take(8).collect();
    let horizon = site.today + chrono::Duration::days(60);
    let observances: Vec<ObservanceView> = site
        .calendar
        .observances_between(site.today, horizon)
        .into_iter()
        .map(|(date, o)| ObservanceView {
            date: date.to_string(),
            name: if is_english(lang) {
                o.name_en.clone().unwrap_or(o.name.clone())
            } else {
                o.name.clone()
            },
            specialty: o
                .specialty
                .as_ref()
                .map(|s| term_link(index, lang, "specialty", s)),
        })
        .collect();
    let home = index.urls.home(lang);
    let meta = PageMeta {
        title: language.site.title.clone(),
        description: language.site.description.clone(),
        path: home.clone(),
        lang: lang.to_string(),
        feed: Some(format!("{home}atom.xml")),
    };
    let mut ctx = page_context(index, &meta);
    set_versions(
        &mut ctx,
        index,
        lang,
        &versions(index, |l| index.urls.home(l)),
    );
    ctx.insert("is_home", &true);
    ctx.insert(
        "current_seasons",
        &current
            .iter()
            .map(|s| term_link(index, lang, "season", s))
            .collect::<Vec<_>>(),
    );
    ctx.insert("in_season", &cards(index, &in_season));
    ctx.insert("latest", &cards(index, &latest));
    ctx.insert("observances", &observances);
    let browse: Vec<(String, Vec<TermSummary>)> = TAXONOMIES
        .iter()
        .map(|t| (t.to_string(), term_summaries(index, lang, t)))
        .collect();
    ctx.insert("browse", &browse);
    Ok(Page {
        path: file_for(&index.urls, &home),
        html: index.theme.render("index.html", &ctx)?,
    })
}
