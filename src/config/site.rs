//! `site.yaml`: the site's identity, its closed taxonomy vocabularies, the
//! people who write and review, and review policy. Everything here is
//! validated once at load time so later stages can index it without checks.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's languages with their texts (config/languages.rs); absent
    /// on a site in one language.
    #[serde(default)]
    pub languages: Option<BTreeMap<String, super::language::LanguageConfig>>,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub publisher: Option<Publisher>,
    /// The site's own published contacts (a string or a list): shown in
    /// the footer, and never reported by the compliance lint as patient data.
    #[serde(default, deserialize_with = "one_or_many")]
    pub contact: Vec<String>,
    #[serde(default)]
    pub disclaimer: Option<String>,
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Folder under `themes/`; see [`SiteConfig::theme_name`].
    #[serde(default)]
    pub theme: Option<String>,
    pub taxonomies: Taxonomies,
    #[serde(default)]
    pub people: BTreeMap<String, Person>,
    #[serde(default)]
    pub review: ReviewPolicy,
    /// E-mail digests: sending platform and footer (see docs/digests.md).
    #[serde(default)]
    pub newsletter: super::newsletter::NewsletterConfig,
    #[serde(default)]
    pub compliance: crate::compliance::ComplianceConfig,
    /// What article bodies may contain: emergency number, link schemes,
    /// video embeds, image limits (see docs/content.md).
    #[serde(default)]
    pub content: super::content::ContentConfig,
    /// Site search: synonym groups beside the built-in list (docs/search.md).
    #[serde(default)]
    pub search: crate::search::SearchConfig,
    /// Ward posters with QR codes (docs/posters.md).
    #[serde(default)]
    pub posters: PosterConfig,
}

/// `posters:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosterConfig {
    /// `utm_campaign` of the posters' QR codes (e.g. `ward-2026`); none by
    /// default (they carry `utm_medium=poster&utm_source=<id>`).
    #[serde(default)]
    pub campaign: Option<String>,
}

/// `contact: a@b.cn` or `contact: [a@b.cn, 0731-1234567]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

fn default_language() -> String {
    "zh-Hans".into()
}
fn default_timezone() -> String {
    "Asia/Shanghai".into()
}
fn default_paginate() -> usize {
    10
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    pub audience: BTreeMap<String, Term>,
    pub specialty: BTreeMap<String, Term>,
    pub season: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// schema.org MedicalSpecialty member (specialties only), e.g. `Cardiovascular`.
    #[serde(default)]
    pub schema: Option<String>,
    /// Age range of the audience in years (audiences only), for JSON-LD.
    #[serde(default)]
    pub min_age: Option<u32>,
    #[serde(default)]
    pub max_age: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub specialty: Option<String>,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub affiliation_en: Option<String>,
    /// OpenSSH public key lines (`ssh-ed25519 AAAA… comment`) whose
    /// signatures count as this person's sign-off (see `model::signoff`).
    #[serde(default)]
    pub signing_keys: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    #[serde(default = "default_max_age_days")]
    pub max_age_days: i64,
    /// An approval counts only with a valid `review.signature` by one of the
    /// reviewer's `signing_keys` (and so only with a v2 fingerprint).
    #[serde(default)]
    pub require_signature: bool,
    /// Old `sha256:` (v1) fingerprints no longer count as approvals.
    #[serde(default)]
    pub require_v2: bool,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        ReviewPolicy {
            max_age_days: default_max_age_days(),
            require_signature: false,
            require_v2: false,
        }
    }
}

impl ReviewPolicy {
    /// Whether a v1 (`sha256:`) fingerprint still counts: not once a site
    /// requires v2 or signatures (signatures are only over v2).
    pub fn accepts_v1(&self) -> bool {
        !(self.require_v2 || self.require_signature)
    }
}

fn default_max_age_days() -> i64 {
    730
}

/// The five taxonomies an article is classified by; only these three are
/// closed vocabularies with term pages.
pub const TAXONOMIES: [&str; 3] = ["audience", "specialty", "season"];

impl SiteConfig {
    pub fn tz(&self) -> Option<Tz> {
        self.timezone.parse().ok()
    }

    /// Path part of `base_url`, always starting and ending with `/`, so pages
    /// can use root-relative links that still work under a sub-path.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |x| x.1);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` without a trailing slash, for absolute URLs in feeds.
    pub fn origin(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(0, |x| self.base_url.len() - x.1.len());
        let rest = &self.base_url[after_scheme..];
        let end = rest
            .find('/')
            .map_or(self.base_url.len(), |i| after_scheme + i);
        &self.base_url[..end]
    }

    /// The theme in use: `theme`, or `default` when site.yaml names none.
    pub fn theme_name(&self) -> &str {
        self.theme.as_deref().unwrap_or("default")
    }

    pub fn host(&self) -> &str {
        let origin = self.origin();
        origin.split_once("://").map_or(origin, |x| x.1)
    }

    /// Term ids of a taxonomy, in the order site.yaml lists them.
    pub fn term_ids(&self, taxonomy: &str) -> Vec<String> {
        match taxonomy {
            "audience" => self.taxonomies.audience.keys().cloned().collect(),
            "specialty" => self.taxonomies.specialty.keys().cloned().collect(),
            "season" => self.taxonomies.season.clone(),
            _ => Vec::new(),
        }
    }

    pub fn has_term(&self, taxonomy: &str, id: &str) -> bool {
        match taxonomy {
            "audience" => self.taxonomies.audience.contains_key(id),
            "specialty" => self.taxonomies.specialty.contains_key(id),
            "season" => self.taxonomies.season.iter().any(|s| s == id),
            _ => false,
        }
    }

    /// Display name of a term in the given language (`en*` gets `name_en`).
    pub fn term_name(&self, taxonomy: &str, id: &str, lang: &str) -> String {
        let english = super::language::is_english(lang);
        let term = match taxonomy {
            "audience" => self.taxonomies.audience.get(id),
            "specialty" => self.taxonomies.specialty.get(id),
            _ => None,
        };
        match term {
            Some(t) if english => t.name_en.clone().unwrap_or_else(|| t.name.clone()),
            Some(t) => t.name.clone(),
            None => season_name(id, english).unwrap_or(id).to_string(),
        }
    }
}

/// True for a well-formed BCP 47 language tag such as `zh-Hans` or `en`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn season_name(id: &str, english: bool) -> Option<&'static str> {
    let (zh, en) = match id {
        "spring" => ("春季", "Spring"),
        "summer" => ("夏季", "Summer"),
        "autumn" => ("秋季", "Autumn"),
        "winter" => ("冬季", "Winter"),
        "all-year" => ("全年", "All year"),
        _ => return None,
    };
    Some(if english { en } else { zh })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> SiteConfig {
        let yaml = format!(
            "title: t\nbase_url: {base_url}\ntaxonomies:\n  audience: {{}}\n  specialty: {{}}\n  season: [winter]\n"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    #[test]
    fn base_path_and_origin() {
        let c = config("https://health.example.org");
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.origin(), "https://health.example.org");
        let c = config("https://example.org/edu/");
        assert_eq!(c.base_path(), "/edu/");
        assert_eq!(c.origin(), "https://example.org");
        assert_eq!(c.host(), "example.org");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("zh-Hans"));
        assert!(is_language_tag("en"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag("e"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn season_names_follow_language() {
        let c = config("https://x.org");
        assert_eq!(c.term_name("season", "winter", "zh-Hans"), "冬季");
        assert_eq!(c.term_name("season", "winter", "en"), "Winter");
    }
}
