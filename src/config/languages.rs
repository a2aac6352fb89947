//! The site's languages: `language:` (the default) and the `languages:`
//! section of site.yaml, each with its own site title, description,
//! disclaimer, publisher name and UI label overrides. [`SiteConfig::languages`]
//! resolves them into one list, default first, that every page, feed and
//! digest picks its language's texts from (docs/languages.md).
//!
//! A site without `languages:` keeps working as before: it has one listing
//! language, and English articles (`lang: en`) stay accepted and listed with
//! the rest, with the theme's English labels. Every other `lang:` must be
//! declared.

use std::collections::BTreeMap;

pub use super::language::{is_english, Language, LanguageConfig, RESERVED_PREFIXES};
use super::site::SiteConfig;

impl SiteConfig {
    /// Whether the site declares `languages:`: then every language has its
    /// own home page, term pages and feeds, and listings show one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages
            .as_ref()
            .is_some_and(|l| l.keys().any(|tag| tag != &self.language))
    }

    /// Every language of the site, the default first, then the others in
    /// the order of their tags.
    pub fn languages(&self) -> Vec<Language> {
        let declared = self.languages.clone().unwrap_or_default();
        let own = declared.get(&self.language).cloned().unwrap_or_default();
        let mut out = vec![Language {
            tag: self.language.clone(),
            prefix: None,
            title: own.title.unwrap_or_else(|| self.title.clone()),
            description: own.description.or_else(|| self.description.clone()),
            disclaimer: own.disclaimer.or_else(|| self.disclaimer.clone()),
            publisher: own
                .publisher
                .or_else(|| self.publisher.as_ref().map(|p| p.name.clone())),
            name: own.name,
            labels: own.labels,
        }];
        if self.languages.is_none() {
            if !is_english(&self.language) {
                // Before `languages:` existed, `lang: en` articles were
                // accepted: they keep their place in the one set of listings.
                let default = &out[0];
                out.push(Language {
                    tag: "en".into(),
                    prefix: None,
                    title: self.title_en.clone().unwrap_or_else(|| self.title.clone()),
                    description: default.description.clone(),
                    disclaimer: default.disclaimer.clone(),
                    publisher: default.publisher.clone(),
                    name: None,
                    labels: BTreeMap::new(),
                });
            }
            return out;
        }
        for (tag, entry) in declared {
            if tag == self.language {
                continue;
            }
            let english = is_english(&tag);
            out.push(Language {
                prefix: Some(
                    entry
                        .prefix
                        .clone()
                        .unwrap_or_else(|| tag.to_ascii_lowercase()),
                ),
                title: entry
                    .title
                    .clone()
                    .or_else(|| self.title_en.clone().filter(|_| english))
                    .unwrap_or_else(|| self.title.clone()),
                description: entry.description.clone(),
                disclaimer: entry.disclaimer.clone(),
                publisher: entry
                    .publisher
                    .clone()
                    .or_else(|| self.publisher.as_ref().map(|p| p.name.clone())),
                name: entry.name.clone(),
                labels: entry.labels.clone(),
                tag,
            });
        }
        out
    }

    /// The tags articles may use in `lang:`.
    pub fn language_tags(&self) -> Vec<String> {
        self.languages().into_iter().map(|l| l.tag).collect()
    }
}

/// Problems of the `languages:` section: `(key path, message, hint)`, for
/// `validate` to place in site.yaml.
pub fn problems(config: &SiteConfig) -> Vec<(Vec<String>, String, String)> {
    let mut out = Vec::new();
    let Some(declared) = &config.languages else {
        return out;
    };
    let mut prefixes: BTreeMap<String, String> = BTreeMap::new();
    for (tag, entry) in declared {
        let key = |field: &str| vec!["languages".to_string(), tag.clone(), field.to_string()];
        if !super::site::is_language_tag(tag) {
            out.push((
                vec!["languages".into(), tag.clone()],
                format!("`{tag}` is not a language tag"),
                "use a BCP 47 tag such as zh-Hans or en".into(),
            ));
            continue;
        }
        if *tag == config.language {
            continue;
        }
        if entry.title.is_none() && !(is_english(tag) && config.title_en.is_some()) {
            out.push((
                vec!["languages".into(), tag.clone()],
                format!("languages.{tag} has no `title:`"),
                format!("write the site's title in {tag}; it heads every {tag} page"),
            ));
        }
        if config.disclaimer.is_some() && entry.disclaimer.is_none() {
            out.push((
                vec!["languages".into(), tag.clone()],
                format!("languages.{tag} has no `disclaimer:`, but the site shows one under every article"),
                format!("write the medical disclaimer in {tag}; a {tag} page must not show it in another language"),
            ));
        }
        let prefix = entry
            .prefix
            .clone()
            .unwrap_or_else(|| tag.to_ascii_lowercase());
        let url_safe = !prefix.is_empty()
            && prefix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !url_safe {
            out.push((
                key("prefix"),
                format!("languages.{tag}.prefix `{prefix}` is not a URL folder name"),
                "use lowercase ASCII letters, digits and hyphens, e.g. en".into(),
            ));
        } else if RESERVED_PREFIXES.contains(&prefix.as_str()) {
            out.push((
                key("prefix"),
                format!("languages.{tag}.prefix `{prefix}` is a folder the site already uses"),
                format!("choose another, e.g. `{}`", tag.to_ascii_lowercase()),
            ));
        } else if let Some(other) = prefixes.insert(prefix.clone(), tag.clone()) {
            out.push((
                key("prefix"),
                format!("languages.{tag} and languages.{other} both use the URL folder /{prefix}/"),
                "give one of them its own `prefix:`".into(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> SiteConfig {
        let yaml = format!(
            "title: 医院\ntitle_en: Hospital\nbase_url: https://x.org\ndisclaimer: 仅供科普\npublisher: {{ name: 仁心医院 }}\ntaxonomies:\n  audience: {{}}\n  specialty: {{}}\n  season: [winter]\n{extra}"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    #[test]
    fn a_site_without_languages_keeps_english_articles_in_its_listings() {
        let c = config("");
        assert!(!c.is_multilingual());
        assert_eq!(c.language_tags(), vec!["zh-Hans", "en"]);
        let en = &c.languages()[1];
        assert_eq!(
            (en.prefix.as_deref(), en.title.as_str()),
            (None, "Hospital")
        );
        assert!(problems(&c).is_empty());
    }

    #[test]
    fn declared_languages_get_their_own_texts_and_folder() {
        let c = config("languages:\n  en: { disclaimer: For education only, publisher: Renxin Hospital }\n  ja: { title: 病院, disclaimer: 教育目的, prefix: jp }\n");
        assert!(c.is_multilingual());
        let langs = c.languages();
        assert_eq!(c.language_tags(), vec!["zh-Hans", "en", "ja"]);
        assert_eq!(langs[0].disclaimer.as_deref(), Some("仅供科普"));
        assert_eq!(langs[1].title, "Hospital");
        assert_eq!(langs[1].prefix.as_deref(), Some("en"));
        assert_eq!(langs[1].publisher.as_deref(), Some("Renxin Hospital"));
        assert_eq!(langs[2].prefix.as_deref(), Some("jp"));
        assert!(problems(&c).is_empty(), "{:?}", problems(&c));
    }

    #[test]
    fn missing_texts_and_bad_prefixes_are_problems() {
        let c = config("languages:\n  fr: { prefix: articles }\n  de: { title: Krankenhaus, disclaimer: x, prefix: Bad/ }\n");
        let found: Vec<String> = problems(&c).into_iter().map(|p| p.1).collect();
        assert!(
            found.iter().any(|m| m.contains("fr has no `title:`")),
            "{found:?}"
        );
        assert!(found.iter().any(|m| m.contains("fr has no `disclaimer:`")));
        assert!(found.iter().any(|m| m.contains("already uses")));
        assert!(found.iter().any(|m| m.contains("not a URL folder")));
    }
}
