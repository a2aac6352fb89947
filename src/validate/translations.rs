//! Translation links: `translation_of:` must name another article's slug,
//! an article uses `translation_of:` or `translation_key:` (not both), and
//! a group of translations holds at most one article per language (the
//! switcher and the hreflang alternates name one page per language).

use std::collections::BTreeMap;

use crate::config::yaml;
use crate::diagnostics::Diagnostic;
use crate::model::article::Article;
use crate::model::translations::Translations;

/// Every problem with the articles' translation links.
pub fn check_translations(articles: &[Article]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |a: &Article, key: &str| {
        yaml::locate(&a.raw[..a.body_offset], &[key], None).unwrap_or((1, 1))
    };
    let slugs: BTreeMap<&str, &Article> = articles.iter().map(|a| (a.slug.as_str(), a)).collect();
    for a in articles {
        if let Some(of) = &a.translation_of {
            let (l, c) = at(a, "translation_of");
            if *of == a.slug {
                out.push(
                    Diagnostic::error(
                        "bad-translation",
                        &a.source,
                        "translation_of names the article itself",
                    )
                    .at(l, c)
                    .hint("name the slug of the article this one translates"),
                );
            } else if !slugs.contains_key(of.as_str()) {
                out.push(
                    Diagnostic::error(
                        "bad-translation",
                        &a.source,
                        format!("translation_of `{of}` is not the slug of any article"),
                    )
                    .at(l, c)
                    .hint("name the slug of the article this one translates (its `slug:` or file name)"),
                );
            }
            if a.translation_key.is_some() {
                out.push(
                    Diagnostic::error(
                        "bad-translation",
                        &a.source,
                        "both translation_of and translation_key are set",
                    )
                    .at(l, c)
                    .hint("link translations one way: `translation_of: <slug>`, or the same `translation_key:` on each"),
                );
            }
        }
    }
    let groups = Translations::new(articles);
    for group in groups.linked() {
        let mut by_lang: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
        for &i in group {
            by_lang
                .entry(articles[i].lang.as_str())
                .or_default()
                .push(&articles[i]);
        }
        for (lang, same) in by_lang.into_iter().filter(|(_, s)| s.len() > 1) {
            for a in &same {
                let others: Vec<String> = same
                    .iter()
                    .filter(|o| o.source != a.source)
                    .map(|o| o.source.display().to_string())
                    .collect();
                let key = if a.translation_key.is_some() {
                    "translation_key"
                } else {
                    "translation_of"
                };
                let (l, c) = at(a, key);
                out.push(
                    Diagnostic::error(
                        "duplicate-translation",
                        &a.source,
                        format!(
                            "{} is linked as a translation to {}, also in `{lang}`",
                            a.slug,
                            others.join(", ")
                        ),
                    )
                    .at(l, c)
                    .hint("a group of translations has one article per language; link each translation to the original, in another language"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, extra: &str) -> Article {
        let text = format!("---\ntitle: T\nslug: {slug}\ndate: 2026-01-01\nsummary: S\naudience: [a]\nspecialty: [b]\nseason: [winter]\n{extra}---\nbody\n");
        crate::load::frontmatter::parse_article(
            format!("content/{slug}.md").into(),
            format!("{slug}.md").into(),
            text,
            "zh-Hans",
        )
        .unwrap()
    }

    #[test]
    fn translation_links_are_checked() {
        let articles = vec![
            article("heart", ""),
            article("heart-en", "lang: en\ntranslation_of: heart\n"),
            article("heart-en2", "lang: en\ntranslation_of: heart\n"),
            article("ghost", "lang: en\ntranslation_of: nowhere\n"),
            article("me", "translation_of: me\n"),
        ];
        let found = check_translations(&articles);
        let messages: Vec<String> = found.iter().map(|d| d.message.clone()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`nowhere` is not the slug")),
            "{messages:?}"
        );
        assert!(messages.iter().any(|m| m.contains("the article itself")));
        assert_eq!(
            found
                .iter()
                .filter(|d| d.rule == "duplicate-translation")
                .count(),
            2
        );
        assert_eq!(
            found
                .iter()
                .find(|d| d.rule == "duplicate-translation")
                .unwrap()
                .line,
            10
        );
        assert!(check_translations(&articles[..2]).is_empty());
    }
}
