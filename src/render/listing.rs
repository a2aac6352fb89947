//! Listing pages: the home page, one index per taxonomy, paginated term
//! pages, audience × specialty pages, and the 404 page.

use serde::Serialize;

use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;

use super::index::Index;
use super::page::{page_context, set_switcher, set_versions, PageMeta};
use super::views::{Card, TermLink, Urls};

/// One output page: where it goes and its bytes.
pub struct Page {
    pub path: String,
    pub html: String,
}

#[derive(Debug, Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Debug, Serialize)]
pub struct TermSummary {
    #[serde(flatten)]
    link: TermLink,
    count: usize,
}

fn page_url(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Page numbers to link from page `n` of `total`: the first, the last and
/// two either side of `n`. Listing every page from every page would make a
/// 10,000-article site's term pages quadratic in size.
fn page_window(n: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = (n.saturating_sub(2).max(1)..=(n + 2).min(total)).collect();
    if pages.first() != Some(&1) {
        pages.insert(0, 1);
    }
    if pages.last() != Some(&total) {
        pages.push(total);
    }
    pages
}

/// Output file path (relative to public/) for a root-relative URL.
pub fn file_for(urls: &Urls, url: &str) -> String {
    let rel = url
        .strip_prefix(&urls.base_path)
        .unwrap_or(url)
        .trim_start_matches('/');
    format!("{rel}index.html")
}

/// A term's name and page in the language `lang`.
pub fn term_link(index: &Index, lang: &str, taxonomy: &str, id: &str) -> TermLink {
    TermLink {
        taxonomy: taxonomy.to_string(),
        id: id.to_string(),
        name: index.site.config.term_name(taxonomy, id, lang),
        url: index.urls.term_in(lang, taxonomy, id),
    }
}

/// The same page in every language with pages of its own: (language tag,
/// root-relative URL) for [`set_versions`].
pub fn versions(index: &Index, url_in: impl Fn(&str) -> String) -> Vec<(String, String)> {
    index
        .page_languages()
        .map(|l| (l.tag.clone(), url_in(&l.tag)))
        .collect()
}

pub fn cards<'a>(index: &'a Index, ids: &[usize]) -> Vec<&'a Card> {
    ids.iter().map(|&i| index.card(i)).collect()
}

/// Pages of a list of articles under `base_url`, `paginate` per page; an
/// empty list still gets one page, so term links never 404.
/// `versions` are the listing's first page in every language: page 1 has
/// them as hreflang alternates, every page in its switcher.
#[allow(clippy::too_many_arguments)]
fn paginated(
    index: &Index,
    template: &str,
    (lang, versions): (&str, &[(String, String)]),
    base_url: &str,
    title: &str,
    items: &[usize],
    extra: &tera::Context,
    render_chunk: &(dyn Fn(&[usize]) -> bool + Sync),
) -> Result<Vec<Page>, Diagnostic> {
    let per_page = index.site.config.paginate.max(1);
    let total = items.len().div_ceil(per_page).max(1);
    let mut pages = Vec::with_capacity(total);
    for n in 1..=total {
        let chunk = &items[((n - 1) * per_page).min(items.len())..(n * per_page).min(items.len())];
        if !render_chunk(chunk) {
            continue;
        }
        let url = page_url(base_url, n);
        let page_title = if n == 1 {
            title.to_string()
        } else {
            format!("{title} ({n}/{total})")
        };
        let meta = PageMeta {
            title: page_title,
            description: String::new(),
            path: url.clone(),
            lang: lang.to_string(),
            feed: Some(format!("{base_url}atom.xml")),
        };
        let mut ctx = page_context(index, &meta);
        if n == 1 {
            set_versions(&mut ctx, index, lang, versions);
        } else {
            set_switcher(&mut ctx, index, lang, versions);
        }
        ctx.extend(extra.clone());
        ctx.insert("articles", &cards(index, chunk));
        ctx.insert(
            "pagination",
            &Pagination {
                current: n,
                total,
                prev_url: (n > 1).then(|| page_url(base_url, n - 1)),
                next_url: (n < total).then(|| page_url(base_url, n + 1)),
                pages: page_window(n, total)
                    .into_iter()
                    .map(|k| PageLink {
                        number: k,
                        url: page_url(base_url, k),
                        current: k == n,
                    })
                    .collect(),
            },
        );
        let html = index.theme.render(template, &ctx)?;
        pages.push(Page {
            path: file_for(&index.urls, &url),
            html,
        });
    }
    Ok(pages)
}

/// Which term listings to render: `(taxonomy, term, cross)`, where `cross`
/// is the second (taxonomy, term) of an audience × specialty page.
pub type KeepTerm<'a> = dyn Fn(&str, &str, Option<(&str, &str)>) -> bool + Sync + 'a;

/// Term pages for every term of every taxonomy, plus audience × specialty
/// pages where at least one public article is tagged with both.
pub fn term_pages(index: &Index) -> Vec<Result<Vec<Page>, Diagnostic>> {
    term_pages_where(index, &|_, _, _| true, &|_| true)
}

/// The term pages `term_pages` renders, limited to those `keep(taxonomy,
/// term, cross)` accepts (`cross` is `Some((taxonomy, term))` for the second
/// term of an audience × specialty page), and to the pages whose articles
/// (a slice of `index.site.articles` indices) `render_chunk` accepts.
/// `serve` uses it to re-render only the terms, or the very pages, an
/// edited article is (or was) on.
pub fn term_pages_where(
    index: &Index,
    keep: &KeepTerm<'_>,
    render_chunk: &(dyn Fn(&[usize]) -> bool + Sync),
) -> Vec<Result<Vec<Page>, Diagnostic>> {
    use rayon::prelude::*;
    term_jobs(index, keep)
        .into_par_iter()
        .map(|job| {
            let lang = job.lang.as_str();
            let main = term_link(index, lang, &job.taxonomy, &job.term);
            let mut extra = tera::Context::new();
            extra.insert("taxonomy", &job.taxonomy);
            extra.insert("term", &main);
            let items = job.items(index);
            let (url, title) = match &job.cross {
                None => (main.url.clone(), main.name.clone()),
                Some((other_tax, other)) => {
                    let second = term_link(index, lang, other_tax, other);
                    let title = format!("{} · {}", main.name, second.name);
                    extra.insert("second_term", &second);
                    (job.url(index), title)
                }
            };
            // The same listing in the languages that have it (a cross page
            // exists only where articles of that language have both terms).
            let others: Vec<(String, String)> = index
                .page_languages()
                .filter_map(|l| {
                    let twin = TermJob {
                        lang: l.tag.clone(),
                        ..job.clone()
                    };
                    (twin.cross.is_none() || !twin.items(index).is_empty())
                        .then(|| (l.tag.clone(), twin.url(index)))
                })
                .collect();
            paginated(
                index,
                "term.html",
                (lang, &others),
                &url,
                &title,
                &items,
                &extra,
                render_chunk,
            )
        })
        .collect()
}

/// Files (relative to the output folder) of the term pages
/// [`term_pages_where`] renders for `keep`, without rendering them: an edit
/// compares the old model's with what it rendered to find pages that no
/// longer exist.
pub fn term_page_files(index: &Index, keep: &KeepTerm<'_>) -> Vec<String> {
    let per_page = index.site.config.paginate.max(1);
    let mut files = Vec::new();
    for job in term_jobs(index, keep) {
        let url = job.url(index);
        let total = job.items(index).len().div_ceil(per_page).max(1);
        for n in 1..=total {
            files.push(file_for(&index.urls, &page_url(&url, n)));
        }
    }
    files
}

/// One paginated term listing: a term, or an audience × specialty pair, in
/// one language.
#[derive(Clone)]
struct TermJob {
    /// The language of the page and of the articles it lists (on a
    /// multilingual site).
    lang: String,
    taxonomy: String,
    term: String,
    /// The second (taxonomy, term) of an audience × specialty page.
    cross: Option<(String, String)>,
}

impl TermJob {
    /// The public articles it lists, newest first.
    fn items(&self, index: &Index) -> Vec<usize> {
        let items = index.term_articles(&self.taxonomy, &self.term);
        items
            .iter()
            .copied()
            .filter(|&i| index.listed_in(&self.lang, i))
            .filter(|&i| match &self.cross {
                None => true,
                Some((other_tax, other)) => index.site.articles[i].terms(other_tax).contains(other),
            })
            .collect()
    }

    /// Root-relative URL of its first page.
    fn url(&self, index: &Index) -> String {
        let main = index.urls.term_in(&self.lang, &self.taxonomy, &self.term);
        match &self.cross {
            None => main,
            Some((other_tax, other)) => format!("{main}{other_tax}/{other}/"),
        }
    }
}

/// Every term listing `keep` accepts, in every language with pages of its
/// own: each term of each taxonomy, and each audience × specialty pair with
/// at least one public article in that language.
fn term_jobs(index: &Index, keep: &KeepTerm<'_>) -> Vec<TermJob> {
    let mut jobs: Vec<TermJob> = Vec::new();
    for language in index.page_languages() {
        let lang = &language.tag;
        for (taxonomy, term) in index.by_term.keys() {
            jobs.push(TermJob {
                lang: lang.clone(),
                taxonomy: taxonomy.to_string(),
                term: term.clone(),
                cross: None,
            });
        }
        for audience in index.site.config.term_ids("audience") {
            for specialty in index.site.config.term_ids("specialty") {
                let both = index.term_articles("audience", &audience).iter().any(|&i| {
                    index.listed_in(lang, i)
                        && index.site.articles[i].specialty.contains(&specialty)
                });
                if both {
                    jobs.push(TermJob {
                        lang: lang.clone(),
                        taxonomy: "audience".into(),
                        term: audience.clone(),
                        cross: Some(("specialty".into(), specialty)),
                    });
                }
            }
        }
    }
    jobs.retain(|j| {
        keep(
            &j.taxonomy,
            &j.term,
            j.cross.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        )
    });
    jobs
}

/// `/audience/`, `/specialty/`, `/season/`: every term with its count.
/// In every language with pages of its own.
pub fn taxonomy_pages(index: &Index) -> Result<Vec<Page>, Diagnostic> {
    let mut pages = Vec::new();
    for language in index.page_languages() {
        let lang = language.tag.as_str();
        for taxonomy in TAXONOMIES {
            let terms = term_summaries(index, lang, taxonomy);
            let url = index.urls.taxonomy_in(lang, taxonomy);
            let title = language
                .labels
                .get(&format!("taxonomy_{taxonomy}"))
                .cloned()
                .unwrap_or_else(|| taxonomy.to_string());
            let meta = PageMeta {
                title,
                description: String::new(),
                path: url.clone(),
                lang: lang.to_string(),
                feed: None,
            };
            let mut ctx = page_context(index, &meta);
            let others = versions(index, |l| index.urls.taxonomy_in(l, taxonomy));
            set_versions(&mut ctx, index, lang, &others);
            ctx.insert("taxonomy", taxonomy);
            ctx.insert("terms", &terms);
            ctx.insert("crosses", &cross_links(index, lang, taxonomy));
            pages.push(Page {
                path: file_for(&index.urls, &url),
                html: index.theme.render("taxonomy.html", &ctx)?,
            });
        }
    }
    Ok(pages)
}

/// How many public articles in `lang` a term has.
fn term_count(index: &Index, lang: &str, taxonomy: &str, id: &str) -> usize {
    index
        .term_articles(taxonomy, id)
        .iter()
        .filter(|&&i| index.listed_in(lang, i))
        .count()
}

pub fn term_summaries(index: &Index, lang: &str, taxonomy: &str) -> Vec<TermSummary> {
    index
        .site
        .config
        .term_ids(taxonomy)
        .into_iter()
        .map(|id| TermSummary {
            count: term_count(index, lang, taxonomy, &id),
            link: term_link(index, lang, taxonomy, &id),
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct CrossLink {
    audience: TermLink,
    specialties: Vec<TermSummary>,
}

/// For the audience index: each audience with the specialties it has.
fn cross_links(index: &Index, lang: &str, taxonomy: &str) -> Vec<CrossLink> {
    if taxonomy != "audience" {
        return Vec::new();
    }
    let config = &index.site.config;
    config
        .term_ids("audience")
        .into_iter()
        .map(|aud| {
            let audience = term_link(index, lang, "audience", &aud);
            let specialties = config
                .term_ids("specialty")
                .into_iter()
                .filter_map(|spec| {
                    let count = index
                        .term_articles("audience", &aud)
                        .iter()
                        .filter(|&&i| {
                            index.listed_in(lang, i)
                                && index.site.articles[i].specialty.contains(&spec)
                        })
                        .count();
                    (count > 0).then(|| {
                        let mut link = term_link(index, lang, "specialty", &spec);
                        link.url = format!("{}specialty/{spec}/", audience.url);
                        TermSummary { link, count }
                    })
                })
                .collect();
            CrossLink {
                audience,
                specialties,
            }
        })
        .filter(|c| !c.specialties.is_empty())
        .collect()
}

pub fn not_found_page(index: &Index) -> Result<Page, Diagnostic> {
    let config = &index.site.config;
    let labels = index.theme.labels_for(&config.language, &config.language);
    let meta = PageMeta {
        title: labels
            .get("not_found")
            .cloned()
            .unwrap_or_else(|| "404".into()),
        description: String::new(),
        path: format!("{}404.html", index.urls.base_path),
        lang: config.language.clone(),
        feed: None,
    };
    let mut ctx = page_context(index, &meta);
    ctx.insert(
        "latest",
        &cards(
            index,
            &index
                .published
                .iter()
                .copied()
                .filter(|&i| index.listed_in(&config.language, i))
                .take(5)
                .collect::<Vec<_>>(),
        ),
    );
    Ok(Page {
        path: "404.html".into(),
        html: index.theme.render("404.html", &ctx)?,
    })
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn page_links_are_a_window() {
        assert_eq!(page_window(1, 1), vec![1]);
        assert_eq!(page_window(1, 9), vec![1, 2, 3, 9]);
        assert_eq!(page_window(5, 9), vec![1, 3, 4, 5, 6, 7, 9]);
        assert_eq!(page_window(9, 9), vec![1, 7, 8, 9]);
    }
}
