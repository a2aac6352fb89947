//! Cross-checks of the URLs that redirect: every article's short link id
//! (`id:`, or its slug while it has none) is unique, and every alias
//! (`aliases:`) names a URL nobody else uses: not a page the build writes
//! (an article, a taxonomy listing, search, digests, feeds), not a short
//! link, not another alias. Each problem is an error at the line of the
//! id or alias, since one of the two pages would silently replace the
//! other.

use std::collections::BTreeMap;

use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;
use crate::model::aliases::{alias_key, collides_with_pages};
use crate::model::shortlink::SHORT_LINK_DIR;
use crate::model::Article;

/// Every id and alias problem of `articles`.
pub fn check_redirects(articles: &[Article]) -> Vec<Diagnostic> {
    let mut out = check_unique_ids(articles);
    out.extend(check_aliases(articles));
    out
}

fn line_of(article: &Article, key: &str, value: Option<&str>) -> (usize, usize) {
    article.positions.find(key, value).unwrap_or((1, 1))
}

/// Two articles with one short link id would write one `/s/<id>/`.
fn check_unique_ids(articles: &[Article]) -> Vec<Diagnostic> {
    let mut by_id: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_id.entry(a.short_id()).or_default().push(a);
    }
    let mut out = Vec::new();
    for (id, group) in by_id.into_iter().filter(|(_, g)| g.len() > 1) {
        for a in group.iter().filter(|a| a.id.is_some()) {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.source != a.source)
                .map(|o| match o.id {
                    Some(_) => o.source.display().to_string(),
                    None => format!("{} (its slug, as it has no `id:`)", o.source.display()),
                })
                .collect();
            let (l, c) = line_of(a, "id", Some(id));
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    &a.source,
                    format!(
                        "id `{id}` is also the short link /{SHORT_LINK_DIR}/{id}/ of {}",
                        others.join(", ")
                    ),
                )
                .at(l, c)
                .hint("every article needs its own `id:`; keep the id of the article whose short link is already printed or shared, and give the other a new one (`healthpress new` makes fresh ids)"),
            );
        }
    }
    out
}

/// Aliases must not take the URL of a page, a short link or another alias.
fn check_aliases(articles: &[Article]) -> Vec<Diagnostic> {
    let slugs: std::collections::BTreeSet<&str> =
        articles.iter().map(|a| a.slug.as_str()).collect();
    let taken = |slug: &str| slugs.contains(slug);
    let mut by_key: BTreeMap<String, Vec<(&Article, &str)>> = BTreeMap::new();
    let mut out = Vec::new();
    for a in articles {
        let own = format!("/articles/{}/", a.slug);
        for alias in &a.aliases {
            let key = alias_key(alias);
            let (l, c) = line_of(a, "aliases", Some(alias));
            let error = |why: String| {
                Diagnostic::error(
                    "alias-collision",
                    &a.source,
                    format!("alias `{alias}` {why}"),
                )
                .at(l, c)
            };
            if key == own {
                out.push(
                    error("is the article's own URL".into())
                        .hint("remove it: the page is already there"),
                );
            } else if key.starts_with(&format!("/{SHORT_LINK_DIR}/")) {
                out.push(
                    error(format!(
                        "is in /{SHORT_LINK_DIR}/, the folder of short links"
                    ))
                    .hint("short links come from `id:`; an alias names an old URL of the article"),
                );
            } else if collides_with_pages(&key, &TAXONOMIES, &taken) {
                out.push(error("is the URL of a page the build writes (an article, a listing, search, digests, feeds or the theme's files)".into()).hint("an alias names an old URL that no longer has a page; remove it or correct the path"));
            } else {
                by_key.entry(key).or_default().push((a, alias));
            }
        }
    }
    for (key, group) in by_key.into_iter().filter(|(_, g)| g.len() > 1) {
        for (a, alias) in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|(o, written)| o.source != a.source || written != alias)
                .map(|(o, _)| o.source.display().to_string())
                .collect();
            let (l, c) = line_of(a, "aliases", Some(alias));
            out.push(
                Diagnostic::error(
                    "alias-collision",
                    &a.source,
                    format!(
                        "alias `{alias}`{} is also an alias in {}",
                        if *alias == key { String::new() } else { format!(" ({key})") },
                        others.join(", ")
                    ),
                )
                .at(l, c)
                .hint("one old URL can redirect to one article only; remove the alias from all but one"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::parse_article;

    fn article(name: &str, extra: &str) -> Article {
        let text = format!("---\ntitle: T\ndate: 2026-01-01\nsummary: S\naudience: [a]\nspecialty: [b]\nseason: [winter]\n{extra}---\nbody\n");
        parse_article(
            format!("content/{name}.md").into(),
            format!("{name}.md").into(),
            text,
            "zh-Hans",
        )
        .unwrap()
    }

    fn found(articles: &[Article]) -> Vec<(String, usize, String)> {
        check_redirects(articles)
            .into_iter()
            .map(|d| (d.file.display().to_string(), d.line, d.message))
            .collect()
    }

    #[test]
    fn ids_are_unique_among_short_links() {
        let a = article("flu", "");
        let b = article("cold", "id: flu\n");
        let c = article("cough", "id: flu\n");
        let got = found(&[a, b, c]);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!((got[0].0.as_str(), got[0].1), ("content/cold.md", 8));
        assert!(
            got[0].2.contains("content/flu.md (its slug"),
            "{}",
            got[0].2
        );
        assert!(got[0].2.contains("content/cough.md"), "{}", got[0].2);
        assert!(found(&[article("x", "id: k3x9qd\n"), article("y", "")]).is_empty());
    }

    #[test]
    fn alias_collisions_are_errors_at_their_line() {
        let a = article(
            "flu",
            "aliases:\n  - /articles/flu/\n  - /s/abc/\n  - /articles/cold/\n  - /search/\n  - /old-flu/\n",
        );
        let b = article("cold", "aliases: [/old-flu]\n");
        let got = found(&[a, b]);
        let lines: Vec<(&str, usize)> = got.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
        assert_eq!(
            lines,
            [
                ("content/flu.md", 9),
                ("content/flu.md", 10),
                ("content/flu.md", 11),
                ("content/flu.md", 12),
                ("content/flu.md", 13),
                ("content/cold.md", 8),
            ],
            "{got:#?}"
        );
        assert!(got[0].2.contains("own URL"));
        assert!(got[1].2.contains("short links"));
        assert!(got[2].2.contains("page the build writes"));
        assert!(got[4].2.contains("also an alias in content/cold.md"));
        assert!(
            got[5].2.contains("`/old-flu` (/old-flu/) is also"),
            "{}",
            got[5].2
        );
        assert!(found(&[article(
            "flu",
            "aliases: [/articles/old-flu/, /2019/flu.html]\n"
        )])
        .is_empty());
    }
}
