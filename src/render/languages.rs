//! The site in each of its languages, as pages see it: the site's texts
//! ([`SiteView`]: title, description, disclaimer, publisher, home URL) and
//! the UI labels (the theme's i18n.yaml with site.yaml's
//! `languages.<tag>.labels` over it). Computed once per build in the
//! [`Index`](super::index::Index); a page picks the one of its language.
//! Also the hreflang alternates and the language switcher of a page
//! ([`alternates`], [`switcher`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::SiteConfig;

use super::theme::{Theme, EDITORIAL_LABELS};
use super::views::{SiteView, Urls};

/// One language of the site, ready for templates.
pub struct LangView {
    pub tag: String,
    /// Whether its listings, home page and feeds have their own folder
    /// (`/en/`); false for the default language and for English on a site
    /// without `languages:`.
    pub has_folder: bool,
    pub site: SiteView,
    /// Every label (editorial views included).
    pub labels: BTreeMap<String, String>,
    /// The labels public pages get.
    pub public_labels: BTreeMap<String, String>,
    /// `site` and `t` (the public labels) as a template context, built
    /// once: each page's context starts as a copy, which is cheaper than
    /// serializing ~200 labels again for each of a large site's pages.
    pub public_context: tera::Context,
    /// The language's own name, for the switcher (`English`, `中文`).
    pub name: String,
}

/// The site's languages, the default first.
pub fn lang_views(
    config: &SiteConfig,
    theme: &Theme,
    urls: &Urls,
    today: NaiveDate,
) -> Vec<LangView> {
    config
        .languages()
        .iter()
        .map(|language| {
            let mut labels = theme.labels_for(&language.tag, &config.language).clone();
            labels.extend(language.labels.clone());
            let public_labels = labels
                .iter()
                .filter(|(key, _)| !EDITORIAL_LABELS.iter().any(|p| key.starts_with(p)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let name = language
                .name
                .clone()
                .or_else(|| labels.get("language_name").cloned())
                .unwrap_or_else(|| language.tag.clone());
            let site = SiteView::in_language(config, language, urls, today);
            let mut public_context = tera::Context::new();
            public_context.insert("site", &site);
            public_context.insert("t", &public_labels);
            LangView {
                tag: language.tag.clone(),
                has_folder: language.prefix.is_some(),
                site,
                labels,
                public_labels,
                public_context,
                name,
            }
        })
        .collect()
}

/// The view of `lang` among `views`: its exact tag, else the first with
/// the same primary subtag (`en-GB` -> `en`), else the default language.
pub fn pick<'v>(views: &'v [LangView], lang: &str) -> &'v LangView {
    let primary = |t: &str| t.split('-').next().unwrap_or_default().to_ascii_lowercase();
    views
        .iter()
        .find(|v| v.tag == lang)
        .or_else(|| views.iter().find(|v| primary(&v.tag) == primary(lang)))
        .unwrap_or(&views[0])
}

/// One `<link rel="alternate" hreflang=…>` of a page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// A language tag, or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub url: String,
}

/// The alternates of a page that exists as `versions` (language tag,
/// root-relative URL), in the site's language order: one per version, and
/// `x-default` for the default language's version (or the first one). A
/// page with no other version has none.
pub fn alternates(urls: &Urls, versions: &[(String, String)]) -> Vec<Alternate> {
    if versions.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<Alternate> = versions
        .iter()
        .map(|(lang, url)| Alternate {
            hreflang: lang.clone(),
            url: urls.absolute(url),
        })
        .collect();
    out.push(Alternate {
        hreflang: "x-default".into(),
        url: urls.absolute(&versions[0].1),
    });
    out
}

/// One link of the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct SwitchLink {
    pub lang: String,
    pub name: String,
    pub url: String,
    /// True when it goes to the same page in that language; false when to
    /// that language's home page (there is no public translation).
    pub same_page: bool,
}

/// The switcher of a page in `lang` on a multilingual site: a link to every
/// other language with its own pages, to `versions`' page in that language
/// if there is one, else to its home. Empty on a site in one language.
pub fn switcher(views: &[LangView], lang: &str, versions: &[(String, String)]) -> Vec<SwitchLink> {
    if !views.iter().any(|v| v.has_folder) {
        return Vec::new();
    }
    let current = pick(views, lang).tag.clone();
    views
        .iter()
        .filter(|v| v.tag != current && (v.has_folder || v.tag == views[0].tag))
        .map(|v| {
            let version = versions.iter().find(|(l, _)| *l == v.tag);
            SwitchLink {
                lang: v.tag.clone(),
                name: v.name.clone(),
                url: version.map_or_else(|| v.site.home.clone(), |(_, u)| u.clone()),
                same_page: version.is_some(),
            }
        })
        .collect()
}
