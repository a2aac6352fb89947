//! The redirect table: which short links and old URLs the site serves
//! and where each leads (see `render::redirects` for the pages and
//! `_redirects`, `render::manifest` for the manifest, which both use it).
//! Only articles that are public, or were and left a tombstone, are in it.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::aliases::{alias_file, alias_key};
use crate::model::slug::legacy_slugify;

use crate::model::Site;

use super::index::Index;
use super::listing::file_for;
use super::views::Urls;

/// Where the manifest of public URLs goes (see `render::manifest`).
pub const MANIFEST_FILE: &str = ".healthpress/manifest.json";

/// What kind of old or short URL a redirect serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectKind {
    /// `/s/<id>/`: may point elsewhere after a slug change, so hosts
    /// answer 302 (not cached for ever).
    ShortLink,
    /// An old URL from `aliases:`: moved for good, 301.
    Alias,
    /// The URL earlier versions derived from the file name: 301.
    DerivedSlug,
}

impl RedirectKind {
    pub fn status(self) -> u16 {
        match self {
            RedirectKind::ShortLink => 302,
            RedirectKind::Alias | RedirectKind::DerivedSlug => 301,
        }
    }
}

/// One redirect: from a root-relative URL to an article's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    pub from: String,
    /// The file serving `from`, relative to the output folder.
    #[serde(skip)]
    pub file: String,
    pub to: String,
    pub kind: RedirectKind,
    /// Index of the article in `site.articles`.
    #[serde(skip)]
    pub article: usize,
}

/// Every redirect of the site as of its day, in article order (short link,
/// then aliases), for public and tombstoned articles only.
pub fn redirect_table(index: &Index) -> Vec<Redirect> {
    redirects_of(index.site, &index.urls, |_| true)
}

/// The redirects of the articles `wanted` picks (by index into
/// `site.articles`), as [`redirect_table`] has them: an article's
/// redirects depend on the other articles only through their slugs and
/// aliases (a derived slug never shadows one).
pub fn redirects_of(site: &Site, urls: &Urls, wanted: impl Fn(usize) -> bool) -> Vec<Redirect> {
    let live: Vec<usize> = (0..site.articles.len())
        .filter(|&i| {
            wanted(i)
                && (site.states[i].is_public()
                    || site.articles[i].tombstone_date(site.today).is_some())
        })
        .collect();
    let slugs: BTreeSet<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    let written: BTreeSet<String> = site
        .articles
        .iter()
        .flat_map(|a| a.aliases.iter().map(|x| alias_key(x)))
        .collect();
    let mut table = Vec::new();
    for i in live {
        let article = &site.articles[i];
        let to = urls.article(&article.slug);
        let from = urls.short_link(article.short_id());
        table.push(Redirect {
            file: file_for(urls, &from),
            from,
            to: to.clone(),
            kind: RedirectKind::ShortLink,
            article: i,
        });
        for alias in &article.aliases {
            let key = alias_key(alias);
            table.push(Redirect {
                from: format!("{}{}", urls.base_path, key.trim_start_matches('/')),
                file: alias_file(alias),
                to: to.clone(),
                kind: RedirectKind::Alias,
                article: i,
            });
        }
        if let Some(old) = legacy_slug(article) {
            // Never over a real article or an alias someone wrote.
            let key = format!("/articles/{old}/");
            if !slugs.contains(old.as_str()) && !written.contains(&key) {
                let from = urls.article(&old);
                table.push(Redirect {
                    file: file_for(urls, &from),
                    from,
                    to: to.clone(),
                    kind: RedirectKind::DerivedSlug,
                    article: i,
                });
            }
        }
    }
    table
}

/// The slug versions before 0.2 derived from the file name, when the
/// article has no `slug:` and today's derivation differs.
pub fn legacy_slug(article: &crate::model::Article) -> Option<String> {
    if article.positions.find("slug", None).is_some() {
        return None;
    }
    let stem = article.content_path.file_stem()?.to_str()?;
    let old = legacy_slugify(stem);
    (!old.is_empty() && old != article.slug && crate::model::slug::slug_problem(&old).is_none())
        .then_some(old)
}
