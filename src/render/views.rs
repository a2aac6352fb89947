//! View models: the small, serializable shapes templates receive. Each page
//! gets only what it shows (a card is a handful of strings), never whole
//! collections, so building a page's context costs the same at 10 articles
//! as at 10,000.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::site::{Person, TAXONOMIES};
use crate::config::SiteConfig;
use crate::model::Article;

/// Site-wide values every template can use.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub lang: String,
    pub base_path: String,
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

/// URLs of everything, root-relative with the site's base path.
#[derive(Debug, Clone)]
pub struct Urls {
    pub base_path: String,
    pub origin: String,
}

impl Urls {
    pub fn new(config: &SiteConfig) -> Urls {
        Urls {
            base_path: config.base_path(),
            origin: config.origin().to_string(),
        }
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
    pub fn new(config: &SiteConfig, urls: &Urls, today: NaiveDate) -> SiteView {
        SiteView {
            title: config.title.clone(),
            description: config.description.clone().unwrap_or_default(),
            lang: config.language.clone(),
            base_path: urls.base_path.clone(),
            base_url: config.base_url.trim_end_matches('/').to_string(),
            publisher: config.publisher.clone(),
            contact: (!config.contact.is_empty()).then(|| config.contact.join(" · ")),
            disclaimer: config.disclaimer.clone(),
            taxonomies: TAXONOMIES
                .iter()
                .map(|t| TaxonomyLink {
                    id: t.to_string(),
                    url: urls.taxonomy(t),
                })
                .collect(),
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
            url: urls.term(taxonomy, id),
        })
        .collect()
}

pub fn person_view(id: &str, person: &Person, lang: &str) -> PersonView {
    let english = lang.starts_with("en");
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
        affiliation: person.affiliation.clone(),
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
