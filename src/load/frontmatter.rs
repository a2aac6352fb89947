//! Splitting a Markdown file into YAML front matter and body, and reading the
//! front matter into an `Article`. Only shape and types are checked here;
//! whether terms and people exist is `validate`'s job.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::dates::Date;
use crate::config::yaml;
use crate::diagnostics::Diagnostic;
use crate::model::article::{Article, Review, ReviewStatus};
use crate::model::fingerprint::fingerprint;
use crate::model::slug::{slug_problem, slugify};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    slug: Option<String>,
    date: Date,
    #[serde(default)]
    updated: Option<Date>,
    #[serde(default)]
    expires: Option<Date>,
    #[serde(default)]
    lang: Option<String>,
    summary: String,
    audience: Vec<String>,
    specialty: Vec<String>,
    season: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    review: Option<ReviewBlock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewBlock {
    status: ReviewStatus,
    #[serde(default)]
    reviewer: Option<String>,
    #[serde(default)]
    date: Option<Date>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    signature: Option<String>,
}

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

/// Reads one article. `content_path` is relative to `content/`.
pub fn parse_article(
    source: PathBuf,
    content_path: PathBuf,
    raw: String,
    default_lang: &str,
) -> Result<Article, Diagnostic> {
    let bom = if raw.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let parts = split(&source, &raw[bom..])?;
    let body_offset = bom + parts.body_offset;
    let body_line = parts.body_line;
    let fm: FrontMatter = yaml::parse(&source, parts.yaml, parts.yaml_line)?;
    let slug = match &fm.slug {
        Some(slug) => {
            if let Some(problem) = slug_problem(slug) {
                let (line, col) = yaml::locate(parts.yaml, &["slug"], Some(slug)).unwrap_or((0, 0));
                return Err(Diagnostic::error(
                    "bad-slug",
                    &source,
                    format!("slug `{slug}`: {problem}"),
                )
                .at(line + parts.yaml_line - 1, col)
                .hint(format!(
                    "use lowercase ASCII words joined by hyphens, e.g. `{}`",
                    slugify(slug).trim_matches('-')
                )));
            }
            slug.clone()
        }
        None => {
            let stem = content_path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let slug = slugify(stem);
            if slug_problem(&slug).is_some() {
                return Err(Diagnostic::error(
                    "bad-slug",
                    &source,
                    format!("cannot derive a URL slug from the file name `{stem}`"),
                )
                .at(1, 1)
                .hint("add `slug: some-ascii-words` to the front matter"));
            }
            slug
        }
    };
    let current_fingerprint = fingerprint(&fm.title, &fm.summary, parts.body);
    let review = fm.review.map_or_else(Review::default, |r| Review {
        status: Some(r.status),
        reviewer: r.reviewer,
        date: r.date.map(|d| d.0),
        fingerprint: r.fingerprint,
        signature: r.signature,
    });
    Ok(Article {
        source,
        content_path,
        slug,
        title: fm.title,
        summary: fm.summary,
        date: fm.date.0,
        updated: fm.updated.map(|d| d.0),
        expires: fm.expires.map(|d| d.0),
        lang: fm.lang.unwrap_or_else(|| default_lang.to_string()),
        audience: fm.audience,
        specialty: fm.specialty,
        season: fm.season,
        authors: fm.authors,
        sources: fm.sources,
        review,
        body_offset,
        body_line,
        raw,
        current_fingerprint,
        embedded: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: 冬季防跌倒\ndate: 2026-11-01\nsummary: 摘要\naudience: [seniors]\nspecialty: [rehabilitation]\nseason: [winter]\n---\n正文\n";

    fn parse(text: &str, name: &str) -> Result<Article, Diagnostic> {
        parse_article(
            format!("content/{name}").into(),
            name.into(),
            text.to_string(),
            "zh-Hans",
        )
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
    }

    #[test]
    fn unknown_key_names_line_and_expected_keys() {
        let text = GOOD.replace("summary:", "sumary: x\nsummary:");
        let err = parse(&text, "a.md").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("unknown field `sumary`"));
        assert!(err.message.contains("expected one of"));
    }

    #[test]
    fn bad_date_names_line() {
        let err = parse(&GOOD.replace("2026-11-01", "2026-11-31"), "a.md").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("not a valid date"), "{}", err.message);
    }

    #[test]
    fn unsafe_slug_is_refused() {
        let err = parse(&GOOD.replace("title:", "slug: ../../etc\ntitle:"), "a.md").unwrap_err();
        assert_eq!(err.rule, "bad-slug");
        assert_eq!(err.line, 2);
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        assert_eq!(
            parse("no front matter", "a.md").unwrap_err().rule,
            "front-matter"
        );
        assert_eq!(
            parse("---\ntitle: x\n", "a.md").unwrap_err().rule,
            "front-matter"
        );
        assert_eq!(parse("", "a.md").unwrap_err().rule, "front-matter");
    }

    #[test]
    fn crlf_files_split_and_fingerprint_like_lf() {
        let crlf = GOOD.replace('\n', "\r\n");
        let a = parse(&crlf, "a.md").unwrap();
        let b = parse(GOOD, "a.md").unwrap();
        assert_eq!(a.current_fingerprint, b.current_fingerprint);
    }
}
