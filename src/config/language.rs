//! The types of a site language: one `languages:` entry of site.yaml
//! ([`LanguageConfig`]) and the resolved [`Language`] pages use. Resolving
//! and checking them is `config::languages`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One entry under `languages:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language (required for every language but
    /// the default, which has the top-level `title:`).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The medical disclaimer shown under every article in this language.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// The publisher's (hospital's) name in this language.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The language's own name, shown in the language switcher (default:
    /// the theme's `language_name` label).
    #[serde(default)]
    pub name: Option<String>,
    /// URL folder of this language's pages (`en` -> `/en/`); default: the
    /// tag in lowercase. Ignored for the default language, whose pages stay
    /// at the site root.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Overrides of the theme's UI labels (themes/default/i18n.yaml keys).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A resolved language of the site.
#[derive(Debug, Clone)]
pub struct Language {
    /// BCP 47 tag, as articles write it in `lang:`.
    pub tag: String,
    /// URL folder of its listings, home and feeds; `None` for the default
    /// language (site root), and for English on a site without
    /// `languages:` (listed with the default language, as before).
    pub prefix: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub disclaimer: Option<String>,
    pub publisher: Option<String>,
    /// Shown in the switcher; `None`: the theme's `language_name` label.
    pub name: Option<String>,
    pub labels: BTreeMap<String, String>,
}

impl Language {
    pub fn is_english(&self) -> bool {
        is_english(&self.tag)
    }
}

/// Whether a language tag is English (`en`, `en-GB`…): the language the
/// `*_en` fields of site.yaml and calendar.yaml are written in.
pub fn is_english(tag: &str) -> bool {
    tag.split('-')
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("en"))
}

/// URL folders a language prefix may not take: they are the site's own.
pub const RESERVED_PREFIXES: &[&str] = &[
    "articles",
    "audience",
    "specialty",
    "season",
    "static",
    "search",
    "digests",
    "s",
    "pagefind",
    "media",
    "files",
    "page",
];
