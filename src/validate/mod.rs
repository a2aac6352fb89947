//! Validation: the cross-checks that need more than one file: taxonomy terms
//! and people named in articles exist in site.yaml, slugs are unique,
//! approvals are complete, and calendar.yaml refers to real things.

pub mod calendar;
pub mod redirects;
pub mod schema_org;
mod translations;
mod unknown;

use unknown::empty_person_error;
pub use unknown::{unknown_person_error, unknown_term_error};

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::site::{is_language_tag, TAXONOMIES};
use crate::config::{yaml, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::model::article::{Article, ReviewStatus};

/// Every cross-check of loaded sources, in one order shared by `build`,
/// `check` and `serve`: config, each article, unique slugs, the calendar.
/// A problem located in an article's file is that article's alone (see
/// [`confined_to_articles`]).
pub fn check_sources(sources: &crate::load::Sources) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let mut problems = check_config(&sources.config, &sources.config_text);
    // In parallel (serve re-validates 10,000 articles after each edit),
    // collected in article order.
    let per_article: Vec<Vec<Diagnostic>> = sources
        .articles
        .par_iter()
        // A stand-in's problems were found loading it.
        .filter(|article| !sources.stand_ins.contains(&article.source))
        .map(|article| check_article(&sources.config, article))
        .collect();
    problems.extend(per_article.into_iter().flatten());
    problems.extend(check_unique_slugs(&sources.articles));
    problems.extend(check_replacements(&sources.articles));
    problems.extend(translations::check_translations(&sources.articles));
    problems.extend(redirects::check_redirects(&sources.articles));
    problems.extend(calendar::check_calendar(
        &sources.config,
        &sources.calendar,
        &sources.calendar_text,
        &sources.articles,
    ));
    problems
}

/// Splits `problems` into those confined to one article (errors located in
/// the file of one of `articles`: they withhold that article, never the
/// site) and the rest (site.yaml, calendar.yaml, the theme, the content
/// folder itself: an error among them fails the build).
pub fn confined_to_articles(
    problems: Vec<Diagnostic>,
    articles: &[Article],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let files: std::collections::BTreeSet<&Path> =
        articles.iter().map(|a| a.source.as_path()).collect();
    problems
        .into_iter()
        .partition(|d| d.is_error() && files.contains(d.file.as_path()))
}

/// Checks site.yaml on its own.
pub fn check_config(config: &SiteConfig, text: &str) -> Vec<Diagnostic> {
    let file = Path::new("site.yaml");
    let mut out = Vec::new();
    let at = |keys: &[&str], value: Option<&str>| yaml::locate(text, keys, value).unwrap_or((0, 0));
    if config.tz().is_none() {
        let (l, c) = at(&["timezone"], None);
        out.push(
            Diagnostic::error(
                "bad-timezone",
                file,
                format!("unknown time zone `{}`", config.timezone),
            )
            .at(l, c)
            .hint("use an IANA zone name such as Asia/Shanghai"),
        );
    }
    if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
        let (l, c) = at(&["base_url"], None);
        out.push(
            Diagnostic::error(
                "bad-base-url",
                file,
                format!("base_url `{}` is not an http(s) URL", config.base_url),
            )
            .at(l, c)
            .hint("write the public address, e.g. https://health.example.org"),
        );
    }
    if !is_language_tag(&config.language) {
        let (l, c) = at(&["language"], None);
        out.push(
            Diagnostic::error(
                "bad-lang",
                file,
                format!("`{}` is not a language tag", config.language),
            )
            .at(l, c)
            .hint("use a BCP 47 tag such as zh-Hans or en; every article without `lang:` has this language"),
        );
    }
    for (keys, message, hint) in crate::config::languages::problems(config) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let (l, c) = at(&keys, None);
        let (l, c) = if l == 0 {
            at(&keys[..keys.len().min(2)], None)
        } else {
            (l, c)
        };
        out.push(
            Diagnostic::error("languages-config", file, message)
                .at(l, c)
                .hint(hint),
        );
    }
    out.extend(untranslated_names(config, &at));
    if config.paginate == 0 {
        let (l, c) = at(&["paginate"], None);
        out.push(Diagnostic::error("bad-paginate", file, "paginate must be at least 1").at(l, c));
    }
    if let Err(why) = config.newsletter.footer_links() {
        let (l, c) = at(&["newsletter"], None);
        out.push(Diagnostic::error("newsletter-config", file, why).at(l, c));
    }
    out.extend(check_signing_keys(config, &at));
    let content_problems = config.content.problems().into_iter();
    for (key, message, hint) in
        content_problems.chain(config.content.frame_problems(&config.base_url))
    {
        let (l, c) = at(&["content", key], None);
        out.push(
            Diagnostic::error("content-config", file, message)
                .at(l, c)
                .hint(hint),
        );
    }
    for (n, group) in config.search.synonyms.iter().enumerate() {
        if let Some(why) = group.problem() {
            let (l, c) = at(&["search", "synonyms"], None);
            out.push(
                Diagnostic::error("bad-synonyms", file, format!("search.synonyms[{n}]: {why}"))
                    .at(l, c)
                    .hint("write { lay: [发烧], medical: [发热], source: 出处 }"),
            );
        }
    }
    for (id, term) in &config.taxonomies.specialty {
        let Some(schema) = &term.schema else { continue };
        if schema_org::is_medical_specialty(schema) {
            continue;
        }
        // `schema:` may sit in a flow mapping on the term's line, where a
        // line-based search for the key below the term finds nothing.
        let (l, c) = yaml::locate(
            text,
            &["taxonomies", "specialty", id],
            Some(&format!("schema: {schema}")),
        )
        .unwrap_or_else(|| at(&["taxonomies", "specialty", id, "schema"], Some(schema)));
        let hint = match schema_org::suggest_medical_specialty(schema) {
            Some(meant) => format!("did you mean `{meant}`? the value must be a member of https://schema.org/MedicalSpecialty, spelt exactly"),
            None => format!(
                "use a member of https://schema.org/MedicalSpecialty ({}), or remove `schema:`",
                schema_org::MEDICAL_SPECIALTIES.join(", ")
            ),
        };
        out.push(
            Diagnostic::error(
                "bad-schema",
                file,
                format!("specialty `{id}`: `schema: {schema}` is not a schema.org MedicalSpecialty; every article of it would carry invalid JSON-LD"),
            )
            .at(l, c)
            .hint(hint),
        );
    }
    for (id, person) in &config.people {
        if let Some(spec) = &person.specialty {
            if !config.has_term("specialty", spec) {
                let (l, c) = at(&["people", id, "specialty"], Some(spec));
                out.push(unknown_term_error(config, file, "specialty", spec).at(l, c));
            }
        }
    }
    out
}

/// On a site with English pages, every term and person shown there needs
/// its English text (`name_en`, `title_en`, `affiliation_en`), or the page
/// shows the Chinese one: a warning each.
fn untranslated_names(config: &SiteConfig, at: &Locate) -> Vec<Diagnostic> {
    let file = Path::new("site.yaml");
    let english = config
        .languages()
        .iter()
        .any(|l| l.is_english() && l.prefix.is_some());
    let mut out = Vec::new();
    if !english || crate::config::languages::is_english(&config.language) {
        return out;
    }
    let mut missing = |keys: &[&str], what: String| {
        let (l, c) = at(keys, None);
        out.push(
            Diagnostic::warning("untranslated-name", file, what)
                .at(l, c)
                .hint("English pages show the text in the default language until you add it"),
        );
    };
    for (taxonomy, terms) in [
        ("audience", &config.taxonomies.audience),
        ("specialty", &config.taxonomies.specialty),
    ] {
        for (id, term) in terms {
            if term.name_en.is_none() {
                missing(
                    &["taxonomies", taxonomy, id],
                    format!("{taxonomy} `{id}` has no `name_en`"),
                );
            }
        }
    }
    for (id, person) in &config.people {
        for (field, has_text, has_en) in [
            ("name_en", true, person.name_en.is_some()),
            (
                "title_en",
                person.title.is_some(),
                person.title_en.is_some(),
            ),
            (
                "affiliation_en",
                person.affiliation.is_some(),
                person.affiliation_en.is_some(),
            ),
        ] {
            if has_text && !has_en {
                missing(&["people", id], format!("`{id}` has no `{field}`"));
            }
        }
    }
    out
}

/// Finds a key path (and value) in a YAML text: line and column.
type Locate<'a> = dyn Fn(&[&str], Option<&str>) -> (usize, usize) + 'a;

/// `signing_keys` must be OpenSSH public key lines, each listed for one
/// person only (a shared key would let one sign as the other), and a signer's
/// id must be usable as an `allowed_signers` principal.
fn check_signing_keys(config: &SiteConfig, at: &Locate) -> Vec<Diagnostic> {
    let file = Path::new("site.yaml");
    let mut out = Vec::new();
    let place = |id: &str| {
        let (l, c) = at(&["people", id, "signing_keys"], None);
        if l == 0 {
            at(&["people", id], None)
        } else {
            (l, c)
        }
    };
    let (keys, bad) = crate::model::signoff::Keyring::new(config);
    for b in bad {
        let (l, c) = place(&b.person);
        out.push(
            Diagnostic::error(
                "bad-signing-key",
                file,
                format!(
                    "`{}`'s signing_keys entry {} is not an OpenSSH public key: {}",
                    b.person,
                    b.index + 1,
                    b.reason
                ),
            )
            .at(l, c)
            .hint("paste the whole line of the public key file, e.g. the contents of ~/.ssh/id_ed25519.pub (`ssh-ed25519 AAAA… name@host`)"),
        );
    }
    for (fingerprint, people) in keys.shared_keys() {
        let (l, c) = place(&people[1]);
        out.push(
            Diagnostic::error(
                "shared-signing-key",
                file,
                format!(
                    "the signing key {fingerprint} is listed for {}",
                    people.join(" and ")
                ),
            )
            .at(l, c)
            .hint("every reviewer signs with their own key; remove it from everyone but its owner"),
        );
    }
    for (id, person) in &config.people {
        let ok = id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
        if !person.signing_keys.is_empty() && !ok {
            let (l, c) = place(id);
            out.push(
                Diagnostic::error(
                    "bad-signer-id",
                    file,
                    format!("`{id}` has signing_keys, but its id can only hold ASCII letters, digits and - _ . @"),
                )
                .at(l, c)
                .hint("rename the person's id, e.g. dr-wang, so it can appear in the signed statement and in allowed_signers"),
            );
        }
    }
    out
}

/// Checks one article's references against site.yaml.
pub fn check_article(config: &SiteConfig, article: &Article) -> Vec<Diagnostic> {
    let file = &article.source;
    let at = |keys: &[&str], value: Option<&str>| {
        article
            .positions
            .find(&keys.join("."), value)
            .unwrap_or((1, 1))
    };
    let mut out = Vec::new();
    if article.title.trim().is_empty() {
        let (l, c) = at(&["title"], None);
        out.push(Diagnostic::error("empty-field", file, "the title is empty").at(l, c));
    }
    if article.summary.trim().is_empty() {
        let (l, c) = at(&["summary"], None);
        out.push(
            Diagnostic::error("empty-field", file, "the summary is empty")
                .at(l, c)
                .hint("write one or two sentences; they become the page description and the digest teaser"),
        );
    }
    let languages = config.language_tags();
    if !languages.contains(&article.lang) {
        let (l, c) = at(&["lang"], None);
        out.push(
            Diagnostic::error(
                "unknown-lang",
                file,
                format!(
                    "`lang: {}` is not one of the site's languages: {}",
                    article.lang,
                    languages.join(", ")
                ),
            )
            .at(l, c)
            .hint(format!(
                "use one of {}, or add `{}` under `languages:` in site.yaml with its title, description and disclaimer",
                languages.join(", "),
                article.lang
            )),
        );
    }
    for taxonomy in TAXONOMIES {
        let terms = article.terms(taxonomy);
        if terms.is_empty() {
            let (l, c) = at(&[taxonomy], None);
            out.push(
                Diagnostic::error(
                    "missing-term",
                    file,
                    format!("`{taxonomy}` needs at least one term"),
                )
                .at(l, c)
                .hint(format!(
                    "choose from: {}",
                    config.term_ids(taxonomy).join(", ")
                )),
            );
        }
        for term in terms {
            if term.trim().is_empty() {
                let (l, c) = at(&[taxonomy], Some(term));
                out.push(
                    Diagnostic::error("empty-term", file, format!("{taxonomy} term is empty"))
                        .at(l, c)
                        .hint(format!(
                            "remove the empty item or choose from: {}",
                            config.term_ids(taxonomy).join(", ")
                        )),
                );
            } else if !config.has_term(taxonomy, term) {
                let (l, c) = at(&[taxonomy], Some(term));
                out.push(unknown_term_error(config, file, taxonomy, term).at(l, c));
            }
        }
    }
    for author in &article.authors {
        if author.trim().is_empty() {
            let (l, c) = at(&["authors"], Some(author));
            out.push(empty_person_error(config, file, "author").at(l, c));
        } else if !config.people.contains_key(author) {
            let (l, c) = at(&["authors"], Some(author));
            out.push(unknown_person_error(config, file, "author", author).at(l, c));
        }
    }
    for source in &article.sources {
        if source.trim().is_empty() {
            let (l, c) = at(&["sources"], Some(source));
            out.push(
                Diagnostic::error("empty-field", file, "a source is empty")
                    .at(l, c)
                    .hint("remove the empty item or write the source's title"),
            );
        }
    }
    if let Some(reviewer) = &article.review.reviewer {
        if reviewer.trim().is_empty() {
            let (l, c) = at(&["review", "reviewer"], Some(reviewer));
            out.push(empty_person_error(config, file, "reviewer").at(l, c));
        } else if !config.people.contains_key(reviewer) {
            let (l, c) = at(&["review", "reviewer"], Some(reviewer));
            out.push(unknown_person_error(config, file, "reviewer", reviewer).at(l, c));
        }
    }
    if article.review.status == Some(ReviewStatus::Approved) {
        let missing: Vec<&str> = [
            ("reviewer", article.review.reviewer.is_none()),
            ("date", article.review.date.is_none()),
            ("fingerprint", article.review.fingerprint.is_none()),
        ]
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(k, _)| *k)
        .collect();
        if !missing.is_empty() {
            let (l, c) = at(&["review", "status"], None);
            out.push(
                Diagnostic::error("incomplete-approval", file, format!("approved without review {}", missing.join(", ")))
                    .at(l, c)
                    .hint("record sign-offs with `healthpress approve FILE --reviewer ID`, which writes all of them"),
            );
        }
    }
    if let Some(expires) = article.expires {
        if expires <= article.date {
            let (l, c) = at(&["expires"], None);
            out.push(
                Diagnostic::warning(
                    "expires-before-date",
                    file,
                    format!(
                        "expires {expires} is not after the publish date {}",
                        article.date
                    ),
                )
                .at(l, c)
                .hint("the article will never be public; fix one of the dates"),
            );
        }
    }
    out
}

/// `replaced_by:` must name an article's slug; the tombstone links to it
/// once that article is public.
pub fn check_replacements(articles: &[Article]) -> Vec<Diagnostic> {
    let slugs: std::collections::BTreeSet<&str> =
        articles.iter().map(|a| a.slug.as_str()).collect();
    let mut out = Vec::new();
    for a in articles {
        let Some(slug) = &a.replaced_by else { continue };
        if slugs.contains(slug.as_str()) && *slug != a.slug {
            continue;
        }
        let front = &a.raw[..a.body_offset];
        let (l, c) = yaml::locate(front, &["replaced_by"], None).unwrap_or((1, 1));
        out.push(
            Diagnostic::warning(
                "unknown-replacement",
                &a.source,
                format!("replaced_by `{slug}` is not the slug of another article"),
            )
            .at(l, c)
            .hint("name the slug of the article that replaces this one; the tombstone links to it while it is public"),
        );
    }
    out
}

/// Two articles with one slug would write the same URL.
pub fn check_unique_slugs(articles: &[Article]) -> Vec<Diagnostic> {
    let mut by_slug: BTreeMap<&str, Vec<&Article>> = BTreeMap::new();
    for a in articles {
        by_slug.entry(&a.slug).or_default().push(a);
    }
    let mut out = Vec::new();
    for (slug, group) in by_slug.into_iter().filter(|(_, g)| g.len() > 1) {
        for a in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.source != a.source)
                .map(|o| o.source.display().to_string())
                .collect();
            let front = &a.raw[..a.body_offset];
            let (l, c) = yaml::locate(front, &["slug"], Some(slug)).unwrap_or((1, 1));
            out.push(
                Diagnostic::error(
                    "duplicate-slug",
                    &a.source,
                    format!("slug `{slug}` is also used by {}", others.join(", ")),
                )
                .at(l, c)
                .hint("give one of the articles a different `slug:`"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::parse_article;

    const SITE: &str = "title: t\nbase_url: https://x.org\ntaxonomies:\n  audience:\n    seniors: { name: 银发族 }\n  specialty:\n    cardiology: { name: 心内科 }\n  season: [winter]\npeople:\n  dr-wang: { name: 王明, title: 主任医师 }\n";

    fn article(front: &str) -> Article {
        let text = format!("---\n{front}---\nbody\n");
        parse_article("content/a.md".into(), "a.md".into(), text, "zh-Hans").unwrap()
    }

    #[test]
    fn unknown_terms_and_people_are_located() {
        let config: SiteConfig = serde_yaml::from_str(SITE).unwrap();
        let a = article("title: T\ndate: 2026-01-01\nsummary: S\naudience: [seniors, kids]\nspecialty: [cardiology]\nseason: [winter]\nauthors: [dr-li]\n");
        let problems = check_article(&config, &a);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            (
                problems[0].rule.as_str(),
                problems[0].line,
                problems[0].column
            ),
            ("unknown-term", 5, 21)
        );
        assert!(problems[0].hint.as_deref().unwrap().contains("seniors"));
        assert_eq!(
            (problems[1].rule.as_str(), problems[1].line),
            ("unknown-person", 8)
        );
    }

    #[test]
    fn approval_without_fingerprint_is_incomplete() {
        let config: SiteConfig = serde_yaml::from_str(SITE).unwrap();
        let a = article("title: T\ndate: 2026-01-01\nsummary: S\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\nreview:\n  status: approved\n  reviewer: dr-wang\n");
        let problems = check_article(&config, &a);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("date, fingerprint"));
    }
}
