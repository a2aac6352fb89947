//! What a rebuild in `serve` did, or why it failed. Returned to the serve
//! loop, which hands the words to the CLI to print and the error to the
//! browser overlay.

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::build::BuildError;
use crate::diagnostics::Diagnostic;
use crate::output::OutputError;

#[derive(Debug, Error)]
pub enum RebuildError {
    /// The site has errors; the output was left as it was.
    #[error("the site has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Like `Invalid`, but found after some files were written: the last
    /// good model no longer describes the folder.
    #[error("the site has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    InvalidAfterWrite(Vec<Diagnostic>),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl RebuildError {
    /// The text `healthpress build` prints for this failure, line for line.
    pub fn cli_text(&self, public_dir: &Path) -> String {
        match self {
            RebuildError::Invalid(diagnostics) | RebuildError::InvalidAfterWrite(diagnostics) => {
                let mut text: String = diagnostics.iter().map(|d| format!("{d}\n")).collect();
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                text += &format!(
                    "healthpress: build failed with {errors} error(s); {} was left unchanged",
                    public_dir.display()
                );
                text
            }
            other => format!("error: {other}"),
        }
    }
}

impl From<BuildError> for RebuildError {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::Invalid(d) => RebuildError::Invalid(d),
            BuildError::Output(e) | BuildError::PartlyUpdated { error: e, .. } => {
                RebuildError::Output(e)
            }
        }
    }
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Report {
    /// `full`, `incremental` or `unchanged`.
    pub kind: &'static str,
    /// Why a full build was chosen, or how far an incremental one reached.
    pub reason: String,
    pub rendered: usize,
    pub written: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
    /// The errors that withheld articles from the preview (and would from
    /// `healthpress build`): an article's own errors and compliance errors.
    pub withheld: Vec<Diagnostic>,
    /// Renderers the edit affected that a build runs beside the others
    /// (the search index), left to run in the background, by name.
    pub deferred: Vec<&'static str>,
}

impl Report {
    /// A report of `kind` with nothing rendered yet.
    pub fn new(kind: &'static str, warnings: Vec<Diagnostic>) -> Report {
        Report {
            kind,
            reason: String::new(),
            rendered: 0,
            written: 0,
            removed: 0,
            warnings,
            withheld: Vec::new(),
            deferred: Vec::new(),
        }
    }
}
