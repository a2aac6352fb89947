//! Loading: reads `site.yaml`, `calendar.yaml` and every `content/**.md` into
//! typed values. Files are read in parallel; every problem becomes a
//! diagnostic and loading goes on, so one run reports all broken files.

pub mod embedded;
pub mod fields;
pub mod frontmatter;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{yaml, Calendar, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::model::article::Article;

/// Everything read from disk, before cross-checks.
pub struct Sources {
    pub config: SiteConfig,
    pub config_text: String,
    pub calendar: Calendar,
    pub calendar_text: String,
    /// Every article file, those that do not read included: for each of
    /// these a stand-in ([`frontmatter::stand_in`]) whose source is in
    /// `stand_ins`, so the model can withhold it and links and calendar
    /// slots naming it still find it.
    pub articles: Vec<Article>,
    /// Sources (`content/…md`) of the articles that are stand-ins: their
    /// problems were found loading them, and validating their defaulted
    /// fields would only repeat them.
    pub stand_ins: std::collections::BTreeSet<PathBuf>,
}

/// One article file as read: the article, or (with `problems`) the
/// stand-in for a file that does not read.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub article: Article,
    /// Empty when the file read; else every problem of its front matter.
    pub problems: Vec<Diagnostic>,
}

impl Loaded {
    pub fn is_stand_in(&self) -> bool {
        !self.problems.is_empty()
    }
}

/// Reads a whole site. Returns the sources and the problems found; the
/// sources are `None` only when site.yaml itself is unusable.
pub fn load(root: &Path) -> (Option<Sources>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let (config, config_text) = match read_config(root) {
        Ok(found) => found,
        Err(d) => {
            problems.push(d);
            return (None, problems);
        }
    };
    let (calendar, calendar_text) = match read_yaml_file::<Calendar>(root, "calendar.yaml") {
        Ok(Some(found)) => found,
        Ok(None) => (Calendar::default(), String::new()),
        Err(d) => {
            problems.push(d);
            (Calendar::default(), String::new())
        }
    };
    let (loaded, article_problems) = load_article_files(root, &config.language);
    problems.extend(article_problems);
    let stand_ins = loaded
        .iter()
        .filter(|l| l.is_stand_in())
        .map(|l| l.article.source.clone())
        .collect();
    let mut articles = Vec::with_capacity(loaded.len());
    for l in loaded {
        problems.extend(l.problems);
        articles.push(l.article);
    }
    (
        Some(Sources {
            config,
            config_text,
            calendar,
            calendar_text,
            articles,
            stand_ins,
        }),
        problems,
    )
}

/// Reads and parses `site.yaml` in `root`; returns the configuration and its
/// text. A missing file is an error too (rule `missing-file`): every command
/// that needs the configuration stops on it.
pub fn read_config(root: &Path) -> Result<(SiteConfig, String), Diagnostic> {
    read_yaml_file(root, "site.yaml")?.ok_or_else(|| {
        Diagnostic::error(
            "missing-file",
            "site.yaml",
            format!("no site.yaml in {}", root.display()),
        )
        .hint("run healthpress in the site's root folder or pass --root, or create a site with `healthpress init DIR`")
    })
}

/// Reads a YAML file in the site root; `Ok(None)` if it does not exist.
pub fn read_yaml_file<T: serde::de::DeserializeOwned>(
    root: &Path,
    name: &str,
) -> Result<Option<(T, String)>, Diagnostic> {
    let path = root.join(name);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(
                Diagnostic::error("io", name, format!("cannot read {name}: {e}"))
                    .hint("check the file's permissions"),
            )
        }
    };
    let text = decode_utf8(Path::new(name), bytes)?;
    let value = yaml::parse(Path::new(name), strip_bom(&text), 1)?;
    Ok(Some((value, text)))
}

/// `text` without a leading UTF-8 byte order mark (Windows editors write
/// one); positions are unchanged, the mark being invisible.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The bytes of `file` as text, or an error at the first byte that is not
/// UTF-8 (its line, column and byte offset), suggesting to save as UTF-8.
pub fn decode_utf8(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let (line, column) = crate::diagnostics::line_col(valid, offset);
        Diagnostic::error(
            "encoding",
            file,
            format!(
                "the file is not UTF-8: byte {offset} (0x{:02X}) is not valid UTF-8 text",
                e.as_bytes()[offset]
            ),
        )
        .at(line, column)
        .hint("save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8); GBK, GB2312, Big5 and Latin-1 are not read")
    })
}

/// Finds and parses every Markdown file under `content/`; files that do
/// not read are left out (their problems returned).
pub fn load_articles(root: &Path, default_lang: &str) -> (Vec<Article>, Vec<Diagnostic>) {
    let (loaded, mut problems) = load_article_files(root, default_lang);
    let mut articles = Vec::with_capacity(loaded.len());
    for l in loaded {
        if l.is_stand_in() {
            problems.extend(l.problems);
        } else {
            articles.push(l.article);
        }
    }
    (articles, problems)
}

/// Reads every Markdown file under `content/`, each as [`Loaded`]; the
/// problems returned are those of the folder (unreadable, symbolic links).
pub fn load_article_files(root: &Path, default_lang: &str) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let (files, problems) = find_markdown(root);
    let loaded = files
        .into_par_iter()
        .map(|rel| read_article_kept(root, rel, default_lang))
        .collect();
    (loaded, problems)
}

/// Reads one article (path relative to `content/`), keeping a stand-in
/// for it when it does not read (see [`frontmatter::stand_in`]).
pub fn read_article_kept(root: &Path, content_path: PathBuf, default_lang: &str) -> Loaded {
    match read_article(root, content_path.clone(), default_lang) {
        Ok(article) => Loaded {
            article,
            problems: Vec::new(),
        },
        Err(problems) => {
            let source = Path::new("content").join(&content_path);
            let raw = fs::read(root.join(&source))
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            Loaded {
                article: frontmatter::stand_in(source, content_path, raw, default_lang),
                problems,
            }
        }
    }
}

/// Reads one article given its path relative to `content/`; returns every
/// problem of its front matter.
pub fn read_article(
    root: &Path,
    content_path: PathBuf,
    default_lang: &str,
) -> Result<Article, Vec<Diagnostic>> {
    let source = Path::new("content").join(&content_path);
    let bytes = fs::read(root.join(&source)).map_err(|e| {
        vec![Diagnostic::error(
            "io",
            &source,
            format!("cannot read the file: {e}"),
        )]
    })?;
    let raw = decode_utf8(&source, bytes).map_err(|d| vec![d])?;
    let mut article = frontmatter::parse_article(source, content_path, raw, default_lang)?;
    article.embedded = embedded::embedded_files(root, &article.source, article.body());
    Ok(article)
}

/// The one rule for symbolic links inside content/, static/ and a theme
/// folder: never followed and never skipped silently, always this error.
/// A link could pull a file from outside the site (say ~/.ssh) into the
/// public output. `shown` is the link's site-relative path.
pub fn symlink_refused(shown: &Path) -> Diagnostic {
    let folder = shown.components().next().map_or("the folder".into(), |c| {
        format!("{}/", c.as_os_str().to_string_lossy())
    });
    Diagnostic::error("symlink", shown, "symbolic links are not followed").hint(format!(
        "copy the file or folder into {folder} instead of linking to it"
    ))
}

/// Lists `content/**.md` relative to `content/`, sorted, skipping hidden
/// files and folders. Symbolic links are refused rather than followed: a link
/// could pull a file from outside the site into the public output.
fn find_markdown(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !content.is_dir() {
        return (files, problems);
    }
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(Path::new("content"));
                problems.push(Diagnostic::error("io", path, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap_or(entry.path())
            .to_path_buf();
        if entry.path_is_symlink() {
            problems.push(symlink_refused(&Path::new("content").join(&rel)));
            continue;
        }
        if entry.file_type().is_file() && rel.extension().is_some_and(|x| x == "md") {
            files.push(rel);
        }
    }
    (files, problems)
}
