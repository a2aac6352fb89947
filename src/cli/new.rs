//! `healthpress new --title T --audience A --specialty S --season W`:
//! scaffolds a draft article whose front matter already passes `check`
//! (terms and authors are validated against site.yaml before anything is
//! written). The slug is derived from the title as ASCII (Chinese is
//! transliterated) unless `--slug` is given; the file is
//! `<dir>/<slug>.md` with `dir` under content/. It never overwrites a file
//! or reuses another article's slug. Exit 0 on success, 2 when an argument
//! is refused or the site configuration is unusable.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use thiserror::Error;

use crate::config::yaml::scalar;
use crate::config::SiteConfig;
use crate::load::{load_articles, read_config};
use crate::model::shortlink::generate_id;
use crate::model::slug::{slug_problem, slugify};
use crate::model::today_in;

/// Placeholder summary: the editor replaces it; the doctor sees it in review.
pub const SUMMARY_PLACEHOLDER: &str = "待补充：用一两句话概括本文要点（用于页面描述和简报摘要）。";

/// What `healthpress new` is asked for: its command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct NewArticle {
    /// The article's title (Chinese or English); the slug is derived from it.
    #[arg(long)]
    pub title: String,
    /// Audience term ids (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub audience: Vec<String>,
    /// Specialty term ids (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub specialty: Vec<String>,
    /// Season ids (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub season: Vec<String>,
    /// Publish date (YYYY-MM-DD); default today in the site's time zone.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub date: Option<NaiveDate>,
    /// ASCII slug; default derived from the title.
    #[arg(long)]
    pub slug: Option<String>,
    /// Folder under content/ to write into (default content/).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Summary; default a placeholder to replace.
    #[arg(long)]
    pub summary: Option<String>,
    /// Author person ids (comma-separated or repeated).
    #[arg(long = "author", value_delimiter = ',')]
    pub authors: Vec<String>,
}

#[derive(Debug, Error)]
enum NewError {
    #[error("the title is empty")]
    EmptyTitle,
    #[error("unknown {taxonomy} `{term}`; use one of: {known}")]
    UnknownTerm {
        taxonomy: &'static str,
        term: String,
        known: String,
    },
    #[error("--{taxonomy} needs at least one term; use one of: {known}")]
    NoTerm {
        taxonomy: &'static str,
        known: String,
    },
    #[error("unknown author `{0}`; use a person id from site.yaml people")]
    UnknownAuthor(String),
    #[error("slug `{slug}`: {problem}; pass --slug with lowercase ASCII words joined by hyphens")]
    BadSlug { slug: String, problem: &'static str },
    #[error("--dir `{0}` must be a relative folder under content/ without `..`")]
    BadDir(String),
    #[error("slug `{slug}` is already used by {file}; pass a different --slug")]
    SlugTaken { slug: String, file: String },
    #[error("{0} already exists; `new` never overwrites")]
    Exists(String),
}

pub fn run(root: &Path, args: &NewArticle) -> anyhow::Result<i32> {
    let config = match read_config(root) {
        Ok((config, _)) => config,
        Err(d) => return Ok(super::shared::config_unusable(&[d])),
    };
    match scaffold(root, &config, args) {
        Ok(path) => {
            println!("created {}", path.display());
            println!("next: write the body and summary, add sources, then ask a reviewer to run `healthpress approve {} --reviewer ID`", path.display());
            Ok(0)
        }
        Err(e) => match e.downcast::<NewError>() {
            Ok(refused) => {
                eprintln!("error: {refused}");
                Ok(2)
            }
            Err(other) => Err(other),
        },
    }
}

/// Writes the article; returns its site-relative path.
fn scaffold(root: &Path, config: &SiteConfig, args: &NewArticle) -> anyhow::Result<PathBuf> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(NewError::EmptyTitle.into());
    }
    for (taxonomy, terms) in [
        ("audience", &args.audience),
        ("specialty", &args.specialty),
        ("season", &args.season),
    ] {
        let known = config.term_ids(taxonomy).join(", ");
        if terms.is_empty() {
            return Err(NewError::NoTerm { taxonomy, known }.into());
        }
        if let Some(term) = terms.iter().find(|t| !config.has_term(taxonomy, t)) {
            return Err(NewError::UnknownTerm {
                taxonomy,
                term: term.clone(),
                known,
            }
            .into());
        }
    }
    if let Some(author) = args
        .authors
        .iter()
        .find(|a| !config.people.contains_key(*a))
    {
        return Err(NewError::UnknownAuthor(author.clone()).into());
    }
    let slug = args.slug.clone().unwrap_or_else(|| slugify(title));
    if let Some(problem) = slug_problem(&slug) {
        return Err(NewError::BadSlug { slug, problem }.into());
    }
    let dir = content_dir(args.dir.as_deref())?;
    let rel = dir.join(format!("{slug}.md"));
    let (articles, _) = load_articles(root, &config.language);
    if let Some(other) = articles.iter().find(|a| a.slug == slug) {
        return Err(NewError::SlugTaken {
            slug,
            file: other.source.display().to_string(),
        }
        .into());
    }
    let date = args.date.unwrap_or_else(|| today_in(config, None));
    // The permanent short link: unlike the slug, never derived from the
    // title, so it survives any later rename. Unique among the site's
    // short links (ids, and the slugs standing in for missing ids).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let id = generate_id(&format!("{} {nanos}", rel.display()), |id| {
        articles.iter().any(|a| a.short_id() == id)
    });
    let text = front_matter(title, &slug, &id, date, args);
    let path = root.join(&rel);
    fs::create_dir_all(path.parent().unwrap_or(root))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewError::Exists(rel.display().to_string()).into())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", rel.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", rel.display()))?;
    Ok(rel)
}

/// `--dir` as a site-relative folder under content/ (default `content`).
fn content_dir(dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let Some(dir) = dir else {
        return Ok(PathBuf::from("content"));
    };
    let bad = || NewError::BadDir(dir.display().to_string());
    let mut out = PathBuf::new();
    for part in dir.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return Err(bad().into()),
        }
    }
    if !out.starts_with("content") {
        out = Path::new("content").join(out);
    }
    Ok(out)
}

fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| scalar(v)).collect();
    format!("[{}]", items.join(", "))
}

/// The scaffolded file. Only fields the loader accepts, in product.md order.
pub fn front_matter(
    title: &str,
    slug: &str,
    id: &str,
    date: NaiveDate,
    args: &NewArticle,
) -> String {
    let summary = args.summary.as_deref().unwrap_or(SUMMARY_PLACEHOLDER);
    let mut text = String::from("---\n");
    text += &format!("title: {}\n", scalar(title));
    text += &format!("slug: {slug}\n");
    text += &format!("id: {id}   # 永久短链接 /s/{id}/（二维码用），请勿修改\n");
    text += &format!("date: {date}\n");
    text += &format!("summary: {}\n", scalar(summary));
    text += &format!("audience: {}\n", list(&args.audience));
    text += &format!("specialty: {}\n", list(&args.specialty));
    text += &format!("season: {}\n", list(&args.season));
    if !args.authors.is_empty() {
        text += &format!("authors: {}\n", list(&args.authors));
    }
    text += "sources: []   # 添加所依据的指南或研究，例如：中国高血压防治指南(2024年修订版)\n";
    text += "review:\n  status: draft\n";
    text += "---\n\n## 要点\n\n在这里撰写正文。\n";
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::parse_article;

    #[test]
    fn scaffold_parses_and_quotes_awkward_titles() {
        let args = NewArticle {
            title: "冬季: 防跌倒 #1".into(),
            audience: vec!["seniors".into()],
            specialty: vec!["cardiology".into()],
            season: vec!["winter".into()],
            date: None,
            slug: None,
            dir: None,
            summary: None,
            authors: vec!["editor-sun".into()],
        };
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let text = front_matter(&args.title, "dong-ji", "k3x9qd", date, &args);
        let a = parse_article(
            "content/dong-ji.md".into(),
            "dong-ji.md".into(),
            text,
            "zh-Hans",
        )
        .unwrap();
        assert_eq!(a.title, "冬季: 防跌倒 #1");
        assert_eq!(a.summary, SUMMARY_PLACEHOLDER);
        assert_eq!(a.slug, "dong-ji");
        assert_eq!(a.id.as_deref(), Some("k3x9qd"));
        assert_eq!(a.authors, vec!["editor-sun"]);
        assert!(a.sources.is_empty());
    }

    #[test]
    fn dir_stays_under_content() {
        assert_eq!(content_dir(None).unwrap(), PathBuf::from("content"));
        assert_eq!(
            content_dir(Some(Path::new("content/seniors"))).unwrap(),
            PathBuf::from("content/seniors")
        );
        assert_eq!(
            content_dir(Some(Path::new("seniors"))).unwrap(),
            PathBuf::from("content/seniors")
        );
        assert!(content_dir(Some(Path::new("../x"))).is_err());
        assert!(content_dir(Some(Path::new("/etc"))).is_err());
    }
}
