//! `healthpress approve FILE... --reviewer ID [--date D]`: records a doctor's
//! sign-off. It refuses an unknown reviewer, a person without a clinical
//! title (see `review::has_clinical_title`) and a file that `check` reports
//! errors for (a stale or incomplete approval excepted: approving again is
//! how those are fixed; the test render of the whole site is skipped, it
//! judges templates and output, not the file). Only the `review:` block of
//! the file changes (see `review::edit`); the file is replaced atomically,
//! then the review rules' warnings for the new sign-off are printed (e.g. a
//! reviewer outside the article's specialty). Exit 0 when every file was
//! approved, 1 when any was refused, 2 on usage or configuration errors.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;
use thiserror::Error;

use crate::diagnostics::Diagnostic;
use crate::load::read_config;
use crate::model::article::Article;
use crate::model::today_in;
use crate::review::check::{check_site, CheckError, CheckOptions};
use crate::review::edit::{approve_text, Approval, Approved, EditError};
use crate::review::{check_review, has_clinical_title};

/// Rules that approving fixes, so they do not block an approval.
const FIXED_BY_APPROVING: &[&str] = &["stale-approval", "incomplete-approval"];

#[derive(Debug, Error)]
enum Refusal {
    #[error("unknown reviewer `{id}`; people in site.yaml: {known}")]
    UnknownReviewer { id: String, known: String },
    #[error("`{id}` ({name}) has no clinical title (title: {title}); only clinicians may approve")]
    NotClinical {
        id: String,
        name: String,
        title: String,
    },
    #[error("no such file: {file}")]
    NoSuchFile { file: String },
    #[error("{file} is not a Markdown file under content/")]
    NotArticle { file: String },
    #[error("{file} has {count} error(s) in `healthpress check`; fix them before approving")]
    HasErrors { file: String, count: usize },
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// `healthpress approve`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Article files to sign off, e.g. content/seniors/fall-prevention.md.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Person id from site.yaml people; must have a clinical title.
    #[arg(long)]
    pub reviewer: String,
    /// Review date (YYYY-MM-DD); default today in the site's time zone.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub date: Option<NaiveDate>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    let reviewer = args.reviewer.as_str();
    let config = match read_config(root) {
        Ok((config, _)) => config,
        Err(d) => return Ok(super::shared::config_unusable(&[d])),
    };
    let today = today_in(&config, None);
    let date = args.date.unwrap_or(today);
    if date > today {
        bail!(
            "--date {date} is in the future (today is {today} in {})",
            config.timezone
        );
    }
    match config.people.get(reviewer) {
        None => {
            return Ok(refuse(Refusal::UnknownReviewer {
                id: reviewer.into(),
                known: config.people.keys().cloned().collect::<Vec<_>>().join(", "),
            }))
        }
        Some(person) if !has_clinical_title(person) => {
            return Ok(refuse(Refusal::NotClinical {
                id: reviewer.into(),
                name: person.name.clone(),
                title: person.title.clone().unwrap_or_else(|| "none".into()),
            }))
        }
        Some(_) => {}
    }
    // Only the errors in the files to approve matter: no test render of the
    // whole site.
    let options = CheckOptions {
        as_of: None,
        dry_render: false,
        horizon_days: crate::review::check::DEFAULT_HORIZON_DAYS,
    };
    let report = match check_site(root, &options) {
        Ok(report) => report,
        Err(CheckError::Config(ds)) => return Ok(super::shared::config_unusable(&ds)),
        Err(e) => bail!("{e}"),
    };
    let mut code = 0;
    for file in &args.files {
        if !file.exists() && !root.join(file).exists() {
            code = refuse(Refusal::NoSuchFile {
                file: file.display().to_string(),
            });
            continue;
        }
        let source = match site_relative(root, file) {
            Some(source) => source,
            None => {
                code = refuse(Refusal::NotArticle {
                    file: file.display().to_string(),
                });
                continue;
            }
        };
        let blocking: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| {
                d.file == source && d.is_error() && !FIXED_BY_APPROVING.contains(&d.rule.as_str())
            })
            .collect();
        if !blocking.is_empty() {
            for d in &blocking {
                eprintln!("{d}");
            }
            code = refuse(Refusal::HasErrors {
                file: source.display().to_string(),
                count: blocking.len(),
            });
            continue;
        }
        match approve_one(root, &source, &Approval { reviewer, date }) {
            Ok(article) => {
                let fingerprint = &article.current_fingerprint;
                println!(
                    "approved {} (reviewer {reviewer}, {date}, {})",
                    source.display(),
                    &fingerprint[..fingerprint.len().min(19)]
                );
                // The review rules of the new sign-off (the report above
                // judged the old one).
                super::shared::print_diagnostics(&check_review(&config, &article, today));
            }
            Err(ApproveError::Refused(r)) => code = refuse(r),
            Err(ApproveError::Io(e)) => return Err(e),
        }
    }
    Ok(code)
}

enum ApproveError {
    Refused(Refusal),
    Io(anyhow::Error),
}

/// Edits and atomically replaces one file; returns the article as approved
/// (its `current_fingerprint` is the one recorded).
fn approve_one(root: &Path, source: &Path, approval: &Approval) -> Result<Article, ApproveError> {
    let path = root.join(source);
    let content_path = source.strip_prefix("content").unwrap_or(source);
    let text = fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", source.display()))
        .map_err(ApproveError::Io)?;
    let Approved {
        text: edited,
        article,
    } = approve_text(source, content_path, &text, approval)
        .map_err(|e| ApproveError::Refused(e.into()))?;
    write_atomically(&path, edited.as_bytes())
        .with_context(|| format!("cannot write {}", source.display()))
        .map_err(ApproveError::Io)?;
    Ok(article)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.healthpress-approve.tmp"));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `file` (as typed, relative to the working folder) as a site-relative
/// `content/…​.md` path, if it is one.
fn site_relative(root: &Path, file: &Path) -> Option<PathBuf> {
    let root = fs::canonicalize(root).ok()?;
    let file = fs::canonicalize(file)
        .or_else(|_| fs::canonicalize(root.join(file)))
        .ok()?;
    let rel = file.strip_prefix(&root).ok()?.to_path_buf();
    let mut parts = rel.components();
    let first_is_content = matches!(parts.next(), Some(Component::Normal(c)) if c == "content");
    (first_is_content && rel.extension().is_some_and(|x| x == "md") && file.is_file())
        .then_some(rel)
}

fn refuse(refusal: Refusal) -> i32 {
    eprintln!("error: not approved: {refusal}");
    1
}
