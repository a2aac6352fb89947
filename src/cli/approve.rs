//! `healthpress approve FILE... --reviewer ID [--date D] [--key PATH | --agent]`:
//! records a doctor's sign-off with a v2 fingerprint and, given a key, an
//! SSH signature over the approval's statement (`model::signoff`). It
//! refuses an unknown reviewer, a person without a clinical title (see
//! `review::has_clinical_title`), a key not listed for the reviewer, an
//! unsigned approval on a site that requires signatures, a file still
//! holding `healthpress new`'s placeholder text or with an empty body, and a
//! file that `check` reports errors for (those approving fixes excepted: a
//! stale, incomplete, unsigned or badly signed approval; the test render of
//! the whole site is skipped, it judges templates and output, not the
//! file). Only the `review:` block of the file changes (see `review::edit`);
//! the file is replaced atomically, then the review rules' warnings for the
//! new sign-off are printed (e.g. a reviewer outside the article's
//! specialty), and so are links to articles that are not public (or stop
//! being public within two weeks): once approved, the page would show them
//! as plain text, so the doctor should know before vouching for it. Exit 0 when every file was approved, 1 when any was refused,
//! 2 on usage or configuration errors.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;
use thiserror::Error;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::{read_article, read_config};
use crate::model::article::Article;
use crate::model::signoff::{self, Keyring};
use crate::model::today_in;
use crate::review::check::{check_site, CheckError, CheckOptions};
use crate::review::edit::{approve_text, fingerprint_for, Approval, Approved, EditError};
use crate::review::sign::{signing_key, SignError, Signer, SigningKey};
use crate::review::{check_review, has_clinical_title};

/// Rules that approving fixes, so they do not block an approval.
const FIXED_BY_APPROVING: &[&str] = &[
    "stale-approval",
    "incomplete-approval",
    "unsigned-approval",
    "bad-signature",
    "fingerprint-v1",
];

/// Link warnings shown when approving: the target is not public (a draft,
/// a stale or unsigned approval, expired…) or stops being public soon, so
/// the approved page would show the link as plain text.
const LINK_WARNINGS: &[&str] = &["link-to-unpublished", "link-ending-soon"];

/// Text `healthpress new` writes for the editor to replace: an article
/// still holding it was not finished, whatever its status says.
const PLACEHOLDERS: &[&str] = &[
    super::new::SUMMARY_PLACEHOLDER,
    "在这里撰写正文。",
    "待补充",
];

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
    #[error("{file} still holds placeholder text from `healthpress new` (“{text}”); write the article before it is approved")]
    Placeholder { file: String, text: String },
    #[error("{file} has no body text; write the article before it is approved")]
    EmptyBody { file: String },
    #[error("site.yaml requires signed approvals (review.require_signature); sign with `--key ~/.ssh/id_ed25519` (a key listed in `{reviewer}`'s signing_keys) or `--agent`")]
    SignatureRequired { reviewer: String },
    #[error(transparent)]
    Sign(#[from] SignError),
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
    /// Sign with this SSH key: a private key file without passphrase, or a
    /// public key (`.pub`) whose private half is loaded in ssh-agent. It must
    /// be one of the reviewer's `signing_keys` in site.yaml.
    #[arg(long, value_name = "PATH", conflicts_with = "agent")]
    pub key: Option<PathBuf>,
    /// Sign with the first key in ssh-agent that is listed for the reviewer.
    #[arg(long)]
    pub agent: bool,
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
    let (keys, _) = Keyring::new(&config);
    let signer = match (&args.key, args.agent) {
        (Some(path), _) => Some(Signer::Key(path.clone())),
        (None, true) => Some(Signer::Agent),
        (None, false) => None,
    };
    let key = match &signer {
        Some(signer) => match signing_key(signer, &keys, reviewer) {
            Ok(key) => Some(key),
            Err(e) => return Ok(refuse(e.into())),
        },
        None if config.review.require_signature => {
            return Ok(refuse(Refusal::SignatureRequired {
                reviewer: reviewer.into(),
            }))
        }
        None => None,
    };
    // Only the errors in the files to approve matter: no test render of the
    // whole site.
    let options = CheckOptions {
        as_of: None,
        dry_render: false,
        horizon_days: crate::review::check::DEFAULT_HORIZON_DAYS,
        links_as_public: true,
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
        match approve_one(root, &config, &source, reviewer, date, key.as_ref()) {
            Ok((article, signed_with)) => {
                let fingerprint = article.review.fingerprint.as_deref().unwrap_or("");
                println!(
                    "approved {} (reviewer {reviewer}, {date}, {}…, {})",
                    source.display(),
                    &fingerprint[..fingerprint.len().min(21)],
                    signed_with.map_or("not signed".to_string(), |k| format!("signed with {k}"))
                );
                // The review rules of the new sign-off (the report above
                // judged the old one).
                let judged = signoff::assess(&config.review, &keys, &article);
                let mut warnings = check_review(&config, &article, &judged, today);
                // Links that will not work once it is public: the doctor
                // vouches for the page as patients will see it.
                warnings.extend(
                    report
                        .diagnostics
                        .iter()
                        .filter(|d| d.file == source && LINK_WARNINGS.contains(&d.rule.as_str()))
                        .cloned(),
                );
                super::shared::print_diagnostics(&warnings);
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

/// Checks, signs, edits and atomically replaces one file; returns the
/// article as approved and the fingerprint of the key that signed.
fn approve_one(
    root: &Path,
    config: &SiteConfig,
    source: &Path,
    reviewer: &str,
    date: NaiveDate,
    key: Option<&SigningKey>,
) -> Result<(Article, Option<String>), ApproveError> {
    let path = root.join(source);
    let content_path = source.strip_prefix("content").unwrap_or(source);
    let refused = |r: Refusal| ApproveError::Refused(r);
    let before =
        read_article(root, content_path.to_path_buf(), &config.language).map_err(|ds| {
            let all: Vec<String> = ds.iter().map(|d| d.to_string()).collect();
            ApproveError::Io(anyhow::anyhow!("{}", all.join("\n")))
        })?;
    unfinished(&before).map_err(refused)?;
    let fingerprint = fingerprint_for(&before, reviewer, date);
    let signed = match key {
        Some(key) => {
            let statement = signoff::statement(reviewer, &date.to_string(), &fingerprint);
            Some(key.sign(&statement).map_err(|e| refused(e.into()))?)
        }
        None => None,
    };
    let approval = Approval {
        reviewer,
        date,
        signature: signed.as_ref().map(|s| s.armored.clone()),
    };
    let Approved {
        text: edited,
        article,
    } = approve_text(&before, &approval).map_err(|e| refused(e.into()))?;
    write_atomically(&path, edited.as_bytes())
        .with_context(|| format!("cannot write {}", source.display()))
        .map_err(ApproveError::Io)?;
    Ok((article, signed.map(|s| s.key_fingerprint)))
}

/// Refuses an article that is not written yet: `new`'s placeholders left
/// in the title, summary or body, or nothing in the body.
fn unfinished(article: &Article) -> Result<(), Refusal> {
    let file = article.source.display().to_string();
    for text in [&article.title, &article.summary, article.body()] {
        if let Some(p) = PLACEHOLDERS.iter().find(|p| text.contains(**p)) {
            return Err(Refusal::Placeholder {
                file,
                text: p.to_string(),
            });
        }
    }
    let has_text = article
        .body()
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !has_text {
        return Err(Refusal::EmptyBody { file });
    }
    Ok(())
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
pub(super) fn site_relative(root: &Path, file: &Path) -> Option<PathBuf> {
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
