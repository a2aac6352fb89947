//! Splitting a Markdown file into YAML front matter and body, and reading the
//! front matter into an `Article`. Only shape and types are checked here;
//! whether terms and people exist is `validate`'s job.
//!
//! The front matter is read leniently: first into a YAML tree with
//! positions (`config::marked`, bounded in size, depth and alias
//! expansion), then key by key through `load::fields`, so every problem of
//! a file is reported in one run, each at its own line.
//!
//! **Adding a front matter key** is one getter call in [`read_front_matter`]
//! (e.g. `replaced_by: f.text("replaced_by", Need::Optional)`), plus the
//! field on `Article` it fills. The getter makes the key known (so it is no
//! longer an "unknown key"), checks its type and records its position;
//! `f.serde::<T>(..)` reads any serde type, `f.map(..)` a nested block.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::marked::{self, Positions};
use crate::config::site::is_language_tag;
use crate::diagnostics::Diagnostic;
use crate::load::fields::{Fields, Need};
use crate::model::aliases::alias_problem;
use crate::model::article::{Article, Review, ReviewStatus};
use crate::model::fingerprint::fingerprint;
use crate::model::shortlink::{generate_id, id_problem};
use crate::model::slug::{slug_problem, slugify};

/// Largest front matter accepted. Front matter holds metadata only; the
/// cap (with the expansion bound of `config::marked`) keeps one article
/// from costing more than a few hundred KB however it is written.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// The front matter keys, as read. `None` where a key is absent or its
/// value was refused (the problem is recorded).
#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    slug: Option<String>,
    id: Option<String>,
    aliases: Option<Vec<String>>,
    date: Option<NaiveDate>,
    updated: Option<NaiveDate>,
    expires: Option<NaiveDate>,
    withdrawn: Option<NaiveDate>,
    replaced_by: Option<String>,
    lang: Option<String>,
    translation_of: Option<String>,
    translation_key: Option<String>,
    summary: Option<String>,
    audience: Option<Vec<String>>,
    specialty: Option<Vec<String>>,
    season: Option<Vec<String>>,
    authors: Option<Vec<String>>,
    sources: Option<Vec<String>>,
    review: Option<Review>,
}

/// Reads every key of the front matter; the one place that lists them.
fn read_front_matter(f: &mut Fields) -> FrontMatter {
    use Need::{Optional, Required};
    FrontMatter {
        title: f.text("title", Required),
        slug: f.text("slug", Optional),
        date: f.date("date", Required),
        updated: f.date("updated", Optional),
        expires: f.date("expires", Optional),
        withdrawn: f.date("withdrawn", Optional),
        replaced_by: f.text("replaced_by", Optional),
        lang: f.text("lang", Optional),
        translation_of: f.text("translation_of", Optional),
        translation_key: f.text("translation_key", Optional),
        summary: f.text("summary", Required),
        audience: f.list("audience", Required),
        specialty: f.list("specialty", Required),
        season: f.list("season", Required),
        authors: f.list("authors", Optional),
        sources: f.list("sources", Optional),
        id: f.text("id", Optional),
        aliases: f.list("aliases", Optional),
        review: f.map("review", Optional, |r| Review {
            status: r.choice("status", Required, &ReviewStatus::CHOICES),
            reviewer: r.text("reviewer", Optional),
            date: r.date("date", Optional),
            fingerprint: r.text("fingerprint", Optional),
            signature: r.text("signature", Optional),
        }),
    }
}

/// Keys other site generators write (sites migrated from Hugo, Jekyll,
/// Zola, Hexo), with what healthpress uses instead.
const FOREIGN_KEYS: &[(&str, &str)] = &[
    ("tags", "healthpress classifies articles by `audience`, `specialty` and `season`, with terms from site.yaml."),
    ("categories", "healthpress classifies articles by `audience`, `specialty` and `season`, with terms from site.yaml."),
    ("taxonomies", "write `audience`, `specialty` and `season` as top-level keys."),
    ("description", "the page description is `summary`."),
    ("excerpt", "the teaser is `summary`."),
    ("author", "write `authors: [id]` with ids from site.yaml people."),
    ("lastmod", "the date of the last change is `updated`."),
    ("last_modified_at", "the date of the last change is `updated`."),
    ("publishDate", "the publish date is `date`."),
    ("expiryDate", "the expiry date is `expires`."),
    ("draft", "an unreviewed article has `review: { status: draft }` (or no `review:`)."),
    ("language", "the article's language is `lang`."),
    ("url", "the URL is derived from `slug`."),
    ("permalink", "the URL is derived from `slug`."),
    ("layout", "the article template comes from the theme; remove the key."),
    ("weight", "articles are ordered by date; remove the key."),
];

/// A source file cut at its front matter fences.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Cuts `text` at the `---` fences. The opening fence must be the first line.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let missing = || {
        Diagnostic::error("front-matter", file, "the file does not start with a `---` front matter block")
            .at(1, 1)
            .hint("begin the file with `---`, the YAML keys (title, date, summary, audience, specialty, season), and a closing `---` line; `healthpress new` writes a valid one")
    };
    let first_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_end].trim_end() != "---" {
        return Err(missing());
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    let mut line = 2;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..end].trim_end() == "---" {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_line: line + 1,
                body_offset,
            });
        }
        if end == text.len() {
            break;
        }
        offset = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(
        "front-matter",
        file,
        "the front matter block is never closed",
    )
    .at(1, 1)
    .hint("add a line containing only `---` after the last YAML key"))
}

/// Reads one article. `content_path` is relative to `content/`. Returns
/// every problem of the front matter at once.
pub fn parse_article(
    source: PathBuf,
    content_path: PathBuf,
    raw: String,
    default_lang: &str,
) -> Result<Article, Vec<Diagnostic>> {
    match read_parts(source, content_path, raw, default_lang) {
        Ok((article, problems)) if problems.is_empty() => Ok(article),
        Ok((_, problems)) | Err(problems) => Err(problems),
    }
}

/// The stand-in for an article file that does not read (its front matter
/// has errors, or the file itself: not UTF-8, no `---` block): whatever
/// could be read of it, with a URL-safe slug (the `slug:` if valid, else
/// derived from the file name), so that links to it and calendar slots
/// naming it find a (withheld) article rather than a missing one. `raw`
/// is `None` when the file could not be read as text. Never published:
/// the model gives it the state `Invalid`.
pub fn stand_in(
    source: PathBuf,
    content_path: PathBuf,
    raw: Option<String>,
    default_lang: &str,
) -> Article {
    let derived = derived_slug(&content_path);
    let raw = raw.unwrap_or_default();
    let mut article = match read_parts(
        source.clone(),
        content_path.clone(),
        raw.clone(),
        default_lang,
    ) {
        Ok((article, _)) => article,
        Err(_) => {
            let end = raw.len();
            let fm = FrontMatter::default();
            let slug = written_slug(&raw).unwrap_or_else(|| derived.clone());
            article(
                source,
                content_path,
                raw,
                default_lang,
                fm,
                slug,
                Positions::default(),
                (end, 1),
            )
        }
    };
    if slug_problem(&article.slug).is_some() {
        article.slug = written_slug(&article.raw).unwrap_or(derived);
    }
    article
}

/// A valid `slug:` written at the start of a line of `raw`'s first 64
/// lines, for a file whose front matter does not parse (never closed, bad
/// YAML): calendar slots and links name an article by it.
fn written_slug(raw: &str) -> Option<String> {
    raw.lines().take(64).find_map(|line| {
        let value = line.strip_prefix("slug:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        slug_problem(value).is_none().then(|| value.to_string())
    })
}

/// The slug derived from a file name, or (when the name has nothing
/// URL-safe in it) one made from a hash of the path, so it stays unique.
fn derived_slug(content_path: &Path) -> String {
    let stem = content_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let slug = slugify(stem);
    if slug_problem(&slug).is_none() {
        return slug;
    }
    use sha2::Digest;
    let hash = sha2::Sha256::digest(content_path.to_string_lossy().as_bytes());
    let hex: String = hash[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("article-{hex}")
}

/// Reads one article as far as its front matter allows: the article
/// (absent or refused values defaulted) and every problem found, or only
/// the problems when the front matter block cannot be found or parsed.
fn read_parts(
    source: PathBuf,
    content_path: PathBuf,
    raw: String,
    default_lang: &str,
) -> Result<(Article, Vec<Diagnostic>), Vec<Diagnostic>> {
    let bom = if raw.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let parts = split(&source, &raw[bom..]).map_err(|d| vec![d])?;
    let body_offset = bom + parts.body_offset;
    let body_line = parts.body_line;
    if parts.yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(vec![Diagnostic::error(
            "yaml-too-large",
            &source,
            format!(
                "the front matter is {} KB; the limit is {} KB",
                parts.yaml.len() / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        )
        .at(parts.yaml_line, 1)
        .hint(
            "move long content into the Markdown body; front matter holds metadata only",
        )]);
    }
    let tree = marked::parse(&source, parts.yaml, parts.yaml_line).map_err(|d| vec![d])?;
    let mut f = Fields::new(&source, &tree);
    let fm = read_front_matter(&mut f);
    if let Some(slug) = &fm.slug {
        if let Some(problem) = slug_problem(slug) {
            let example = slugify(slug);
            let example = if example.is_empty() {
                "winter-heart-health"
            } else {
                example.trim_matches('-')
            };
            f.problem_at(
                "slug",
                "bad-slug",
                format!("slug `{slug}`: {problem}"),
                &format!("use lowercase ASCII words joined by hyphens, e.g. `{example}`"),
            );
        }
    }
    if let Some(id) = &fm.id {
        if let Some(problem) = id_problem(id) {
            f.problem_at(
                "id",
                "bad-id",
                format!("id `{id}`: {problem}"),
                &format!("the id is the article's permanent short link `/s/<id>/`; use lowercase ASCII letters, digits and hyphens, e.g. `{}`", generate_id(id, |_| false)),
            );
        }
    }
    for alias in fm.aliases.iter().flatten() {
        if let Some(problem) = alias_problem(alias) {
            f.problem_at_item(
                "aliases",
                alias,
                "bad-alias",
                format!("alias `{alias}`: {problem}"),
                "write each old URL as a path on this site, e.g. `aliases: [/articles/old-slug/]`",
            );
        }
    }
    if let Some(lang) = &fm.lang {
        if !is_language_tag(lang) {
            f.problem_at(
                "lang",
                "bad-lang",
                format!("`{lang}` is not a language tag"),
                "use a BCP 47 tag such as zh-Hans or en, or remove `lang:` to use the site's language",
            );
        }
    }
    let slug = match fm.slug.clone() {
        Some(slug) => slug,
        None => {
            let stem = content_path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let slug = slugify(stem);
            if slug_problem(&slug).is_some() {
                f.problem_at(
                    "",
                    "bad-slug",
                    format!("cannot derive a URL slug from the file name `{stem}`"),
                    "add `slug: some-ascii-words` to the front matter",
                );
            }
            slug
        }
    };
    let (problems, positions) = f.finish(FOREIGN_KEYS);
    let article = article(
        source,
        content_path,
        raw,
        default_lang,
        fm,
        slug,
        positions,
        (body_offset, body_line),
    );
    Ok((article, problems))
}

/// Assembles the article from the front matter as read (absent or
/// refused values defaulted).
#[allow(clippy::too_many_arguments)]
fn article(
    source: PathBuf,
    content_path: PathBuf,
    raw: String,
    default_lang: &str,
    fm: FrontMatter,
    slug: String,
    positions: Positions,
    (body_offset, body_line): (usize, usize),
) -> Article {
    let title = fm.title.unwrap_or_default();
    let summary = fm.summary.unwrap_or_default();
    let current_fingerprint = fingerprint(&title, &summary, &raw[body_offset..]);
    Article {
        source,
        content_path,
        slug,
        id: fm.id,
        aliases: fm.aliases.unwrap_or_default(),
        title,
        summary,
        date: fm.date.unwrap_or_default(),
        updated: fm.updated,
        expires: fm.expires,
        withdrawn: fm.withdrawn,
        replaced_by: fm.replaced_by,
        declared_lang: fm.lang.clone(),
        lang: fm.lang.unwrap_or_else(|| default_lang.to_string()),
        translation_of: fm.translation_of,
        translation_key: fm.translation_key,
        audience: fm.audience.unwrap_or_default(),
        specialty: fm.specialty.unwrap_or_default(),
        season: fm.season.unwrap_or_default(),
        authors: fm.authors.unwrap_or_default(),
        sources: fm.sources.unwrap_or_default(),
        review: fm.review.unwrap_or_default(),
        body_offset,
        body_line,
        raw: raw.into(),
        current_fingerprint,
        positions,
        embedded: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: 冬季防跌倒\ndate: 2026-11-01\nsummary: 摘要\naudience: [seniors]\nspecialty: [rehabilitation]\nseason: [winter]\n---\n正文\n";

    fn parse(text: &str, name: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article(
            format!("content/{name}").into(),
            name.into(),
            text.to_string(),
            "zh-Hans",
        )
    }

    /// The one problem of `text`.
    fn problem(text: &str) -> Diagnostic {
        let mut problems = parse(text, "a.md").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        problems.remove(0)
    }

    #[test]
    fn reads_a_minimal_article_and_derives_the_slug() {
        let a = parse(GOOD, "冬季防跌倒.md").unwrap();
        assert_eq!(a.slug, "dong-ji-fang-die-dao");
        assert_eq!(a.body(), "正文\n");
        assert_eq!(a.body_line, 9);
        assert_eq!(a.lang, "zh-Hans");
        assert_eq!(
            a.current_fingerprint,
            fingerprint("冬季防跌倒", "摘要", "正文")
        );
        assert_eq!(a.positions.find("season", Some("winter")), Some((7, 10)));
    }

    #[test]
    fn unknown_key_names_line_and_suggests_the_key() {
        let err = problem(&GOOD.replace("summary:", "sumary: x\nsummary:"));
        assert_eq!(
            (err.rule.as_str(), err.line, err.column),
            ("unknown-key", 4, 1)
        );
        assert_eq!(err.message, "unknown key `sumary`");
        let hint = err.hint.unwrap();
        assert!(hint.starts_with("did you mean `summary`?"), "{hint}");
        assert!(hint.contains("title, slug, date"), "{hint}");
    }

    #[test]
    fn every_problem_of_a_file_in_one_run() {
        let text = "---\ntitel: 冬季\ndate: 2026-11-31\nsumary: x\naudience: seniors\nspecialty: [cardiology]\nseason: [winter]\ntags: [heart]\nlang: english please\nreview:\n  status: aproved\n  reviewr: dr-wang\n  date: tomorrow\n---\nbody\n";
        let problems = parse(text, "a.md").unwrap_err();
        let mut found: Vec<(usize, &str)> =
            problems.iter().map(|d| (d.line, d.rule.as_str())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                (2, "missing-field"), // title
                (2, "missing-field"), // summary
                (2, "unknown-key"),
                (3, "bad-date"),
                (4, "unknown-key"),
                (5, "bad-type"),
                (8, "unknown-key"),
                (9, "bad-lang"),
                (11, "bad-value"),
                (12, "unknown-key"),
                (13, "bad-date"),
            ],
            "{problems:#?}"
        );
        let hint_of = |line: usize| {
            problems
                .iter()
                .find(|d| d.line == line && d.rule != "missing-field")
                .and_then(|d| d.hint.clone())
                .unwrap()
        };
        assert!(hint_of(2).starts_with("did you mean `title`?"));
        assert!(hint_of(8).contains("audience"));
        assert!(hint_of(11).starts_with("did you mean `approved`?"));
        assert!(hint_of(12).starts_with("did you mean `reviewer`?"));
    }

    #[test]
    fn bad_date_names_line() {
        let err = problem(&GOOD.replace("2026-11-01", "2026-11-31"));
        assert_eq!((err.line, err.column), (3, 7));
        assert!(err.message.contains("not a valid date"), "{}", err.message);
    }

    #[test]
    fn unsafe_and_empty_slugs_are_refused_at_their_line() {
        let err = problem(&GOOD.replace("title:", "slug: ../../etc\ntitle:"));
        assert_eq!((err.rule.as_str(), err.line), ("bad-slug", 2));
        let err = problem(&GOOD.replace("title:", "slug: \"\"\ntitle:"));
        assert_eq!((err.rule.as_str(), err.line), ("bad-slug", 2));
        assert!(err.message.contains("empty"), "{}", err.message);
    }

    #[test]
    fn ids_are_read_and_bad_ones_refused_at_their_line() {
        let a = parse(&GOOD.replace("title:", "id: k3x9qd\ntitle:"), "a.md").unwrap();
        assert_eq!((a.id.as_deref(), a.short_id()), (Some("k3x9qd"), "k3x9qd"));
        assert_eq!(parse(GOOD, "flu.md").unwrap().short_id(), "flu");
        let err = problem(&GOOD.replace("title:", "id: Flu/2\ntitle:"));
        assert_eq!((err.rule.as_str(), err.line), ("bad-id", 2));
        assert!(err.hint.unwrap().contains("/s/<id>/"));
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        assert_eq!(problem("no front matter").rule, "front-matter");
        assert_eq!(problem("---\ntitle: x\n").rule, "front-matter");
        assert_eq!(problem("").rule, "front-matter");
        assert_eq!(problem("---\n- a\n---\n").rule, "front-matter");
        let empty = parse("---\n---\nbody\n", "a.md").unwrap_err();
        assert!(
            empty.iter().all(|d| d.rule == "missing-field"),
            "{empty:#?}"
        );
        assert_eq!(empty.len(), 6);
    }

    #[test]
    fn stand_ins_keep_a_safe_slug_and_what_could_be_read() {
        let stand_in = |text: Option<&str>, name: &str| {
            stand_in(
                format!("content/{name}").into(),
                name.into(),
                text.map(str::to_string),
                "zh-Hans",
            )
        };
        // Unknown key: everything else is read.
        let a = stand_in(
            Some(&GOOD.replace("title:", "tags: [x]\ntitle:")),
            "falls.md",
        );
        assert_eq!((a.slug.as_str(), a.title.as_str()), ("falls", "冬季防跌倒"));
        // A bad `slug:` falls back to the file name.
        let b = stand_in(Some(&GOOD.replace("title:", "slug: ../x\ntitle:")), "b.md");
        assert_eq!(b.slug, "b");
        // Never closed: the written slug is still found.
        let c = stand_in(Some("---\nslug: kept-slug\ntitle: x\n"), "c.md");
        assert_eq!(c.slug, "kept-slug");
        // Not text at all, and a name with nothing URL-safe in it.
        let d = stand_in(None, "!!!.md");
        assert!(d.slug.starts_with("article-"), "{}", d.slug);
        assert!(slug_problem(&d.slug).is_none());
    }

    #[test]
    fn oversized_front_matter_is_refused_before_parsing() {
        let big = GOOD.replace("title:", &format!("x: \"{}\"\ntitle:", "y".repeat(70_000)));
        assert_eq!(problem(&big).rule, "yaml-too-large");
    }

    #[test]
    fn bom_and_crlf_files_split_and_fingerprint_like_lf() {
        let crlf = GOOD.replace('\n', "\r\n");
        let a = parse(&crlf, "a.md").unwrap();
        let b = parse(GOOD, "a.md").unwrap();
        assert_eq!(a.current_fingerprint, b.current_fingerprint);
        let c = parse(&format!("\u{feff}{GOOD}"), "a.md").unwrap();
        assert_eq!(c.current_fingerprint, b.current_fingerprint);
        assert_eq!(c.positions.find("season", Some("winter")), Some((7, 10)));
    }
}
