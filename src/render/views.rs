//! View models: the small, serializable shapes templates receive. Each page
//! gets only what it shows (a card is a handful of strings), never whole
//! collections, so building a page's context costs the same at 10 articles
//! as at 10,000.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::languages::{is_english, Language};
use crate::config::site::{Person, TAXONOMIES};
use crate::config::SiteConfig;
use crate::model::Article;

/// Site-wide values every template can use, in one of the site's
/// languages (`Index::site_view_for`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub lang: String,
    pub base_path: String,
    /// Root-relative URL of this language's home page (`base_path` for the
    /// default language, `/en/` for English on a multilingual site); the
    /// header, the footer feed link and the taxonomy links start from it.
    pub home: String,
    pub base_url: String,
    pub publisher: Option<crate::config::site::Publisher>,
    pub contact: Option<String>,
    pub disclaimer: Option<String>,
    pub taxonomies: Vec<TaxonomyLink>,
    pub today: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyLink {
    pub id: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub taxonomy: String,
    pub id: String,
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub title: Option<String>,
    pub affiliation: Option<String>,
}

/// What a listing shows of an article.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub date: String,
    pub lang: String,
    pub audience: Vec<TermLink>,
    pub specialty: Vec<TermLink>,
}

/// URLs of everything, root-relative with the site's base path. Articles
/// have one URL whatever their language (`/articles/<slug>/`: slugs are
/// unique across languages); the home page, taxonomy and term pages and
/// feeds of a language with its own folder live under `/<prefix>/`.
#[derive(Debug, Clone)]
pub struct Urls {
    pub base_path: String,
    pub origin: String,
    /// Language tag -> root-relative home, for languages with a folder.
    homes: std::collections::BTreeMap<String, String>,
}

impl Urls {
    pub fn new(config: &SiteConfig) -> Urls {
        let base_path = config.base_path();
        let homes = config
            .languages()
            .into_iter()
            .filter_map(|l| {
                let prefix = l.prefix?;
                Some((l.tag, format!("{base_path}{prefix}/")))
            })
            .collect();
        Urls {
            base_path,
            origin: config.origin().to_string(),
            homes,
        }
    }
    /// Root-relative home of language `lang` (the site root for the
    /// default language and any language without a folder of its own).
    pub fn home(&self, lang: &str) -> String {
        self.homes
            .get(lang)
            .cloned()
            .unwrap_or_else(|| self.base_path.clone())
    }
    /// Whether `lang` has pages of its own under a folder.
    pub fn has_folder(&self, lang: &str) -> bool {
        self.homes.contains_key(lang)
    }
    pub fn taxonomy_in(&self, lang: &str, taxonomy: &str) -> String {
        format!("{}{taxonomy}/", self.home(lang))
    }
    pub fn term_in(&self, lang: &str, taxonomy: &str, term: &str) -> String {
        format!("{}{taxonomy}/{term}/", self.home(lang))
    }
    pub fn article(&self, slug: &str) -> String {
        format!("{}articles/{slug}/", self.base_path)
    }
    /// The permanent short link `/s/<id>/` (`model::shortlink`).
    pub fn short_link(&self, id: &str) -> String {
        crate::model::shortlink::short_link_path(&self.base_path, id)
    }
    pub fn taxonomy(&self, taxonomy: &str) -> String {
        format!("{}{taxonomy}/", self.base_path)
    }
    pub fn term(&self, taxonomy: &str, term: &str) -> String {
        format!("{}{taxonomy}/{term}/", self.base_path)
    }
    pub fn absolute(&self, root_relative: &str) -> String {
        format!("{}{root_relative}", self.origin)
    }
}

impl SiteView {
    /// The site in its default language.
    pub fn new(config: &SiteConfig, urls: &Urls, today: NaiveDate) -> SiteView {
        let default = config.languages().swap_remove(0);
        SiteView::in_language(config, &default, urls, today)
    }

    /// The site's texts in `language`.
    pub fn in_language(
        config: &SiteConfig,
        language: &Language,
        urls: &Urls,
        today: NaiveDate,
    ) -> SiteView {
        let home = urls.home(&language.tag);
        let publisher = config.publisher.clone().map(|mut p| {
            if let Some(name) = &language.publisher {
                p.name = name.clone();
            }
            p
        });
        SiteView {
            title: language.title.clone(),
            description: language.description.clone().unwrap_or_default(),
            lang: language.tag.clone(),
            base_path: urls.base_path.clone(),
            base_url: config.base_url.trim_end_matches('/').to_string(),
            publisher,
            contact: (!config.contact.is_empty()).then(|| config.contact.join(" · ")),
            disclaimer: language.disclaimer.clone(),
            taxonomies: TAXONOMIES
                .iter()
                .map(|t| TaxonomyLink {
                    id: t.to_string(),
                    url: format!("{home}{t}/"),
                })
                .collect(),
            home,
            today: today.to_string(),
        }
    }
}

pub fn term_links(
    config: &SiteConfig,
    urls: &Urls,
    taxonomy: &str,
    ids: &[String],
    lang: &str,
) -> Vec<TermLink> {
    ids.iter()
        .map(|id| TermLink {
            taxonomy: taxonomy.to_string(),
            id: id.clone(),
            name: config.term_name(taxonomy, id, lang),
            url: urls.term_in(lang, taxonomy, id),
        })
        .collect()
}

/// A person's name, title and affiliation in `lang`: the `*_en` fields on
/// English pages (each falling back to the default text), the plain ones
/// elsewhere.
pub fn person_view(id: &str, person: &Person, lang: &str) -> PersonView {
    let english = is_english(lang);
    let pick = |en: &Option<String>, zh: &Option<String>| {
        if english {
            en.clone().or_else(|| zh.clone())
        } else {
            zh.clone()
        }
    };
    PersonView {
        id: id.to_string(),
        name: if english {
            person
                .name_en
                .clone()
                .unwrap_or_else(|| person.name.clone())
        } else {
            person.name.clone()
        },
        title: pick(&person.title_en, &person.title),
        affiliation: pick(&person.affiliation_en, &person.affiliation),
    }
}

pub fn card(config: &SiteConfig, urls: &Urls, article: &Article) -> Card {
    Card {
        title: article.title.clone(),
        url: urls.article(&article.slug),
        summary: article.summary.clone(),
        date: article.date.to_string(),
        lang: article.lang.clone(),
        audience: term_links(config, urls, "audience", &article.audience, &article.lang),
        specialty: term_links(config, urls, "specialty", &article.specialty, &article.lang),
    }
}
