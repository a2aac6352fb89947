//! The build: load -> validate -> model -> render -> write, as one call.
//! Everything is rendered into staging folders first; only when every output
//! rendered without error are they swapped in, so a failed build changes
//! nothing on disk.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use thiserror::Error;

use crate::diagnostics::Diagnostic;
use crate::model::{Site, State};
use crate::output::{self, OutputError, Staging};
use crate::render::index::Index;
use crate::render::theme::Theme;
use crate::render::{render_public, PublicStats};
use crate::timings::Laps;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub as_of: Option<NaiveDate>,
    /// Where the public site goes (default `<root>/public`).
    pub public_dir: PathBuf,
    /// Where the internal editorial views go (default `<root>/editorial`).
    pub editorial_dir: PathBuf,
}

impl BuildOptions {
    pub fn new(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            as_of: None,
            public_dir: root.join("public"),
            editorial_dir: root.join("editorial"),
        }
    }
}

#[derive(Debug, Error)]
pub enum BuildError {
    #[error("the site has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    /// Nothing was changed: every output folder holds its previous tree.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The swap failed and could not be fully undone: `updated` hold the
    /// new tree, the other outputs their previous one.
    #[error("{error}")]
    PartlyUpdated {
        error: OutputError,
        updated: Vec<PathBuf>,
    },
}

#[derive(Debug)]
pub struct BuildReport {
    pub today: NaiveDate,
    pub counts: Vec<(State, usize)>,
    pub public: PublicStats,
    pub editorial: crate::render::editorial::EditorialStats,
    pub warnings: Vec<Diagnostic>,
    /// Compliance errors that withheld articles from every output.
    pub withheld: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Loads the site at `options.root` and its theme, then builds it.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Laps::new("");
    let site = Site::open(&options.root, options.as_of).map_err(BuildError::Invalid)?;
    let theme =
        Theme::load(&options.root, site.config.theme_name()).map_err(BuildError::Invalid)?;
    phases.lap("load");
    let mut report = build_site(&site, &theme, options)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Builds an already loaded `site` with `theme` into the folders named in
/// `options` (`root`, `public_dir`, `editorial_dir`; `as_of` was applied
/// when the site was loaded). `serve` calls this with the model it keeps.
pub fn build_site(
    site: &Site,
    theme: &Theme,
    options: &BuildOptions,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Laps::new("");
    let index = Index::new(site, theme);
    phases.lap("index");

    // Overlapping outputs are refused before either is touched.
    output::check_separate(&options.public_dir, &options.editorial_dir)?;
    let public = Staging::new(&options.root, &options.public_dir)?;
    let (stats, mut warnings) = render_public(&index, &public).map_err(BuildError::Invalid)?;
    phases.lap("render");
    warnings.extend(site.warnings.iter().cloned());
    crate::diagnostics::sort(&mut warnings);
    // --- editorial/ (schedule, review dashboard, calendar.ics) -----------
    // Rendered into its own staging folder before anything is committed, so
    // a failure in either output leaves both folders as they were.
    let editorial = Staging::new(&options.root, &options.editorial_dir)?;
    let editorial_stats = crate::render::editorial::render_editorial(site, theme, &editorial)
        .map_err(BuildError::Invalid)?;
    phases.lap("editorial");
    // --- end editorial ---------------------------------------------------
    output::commit_all(vec![public, editorial]).map_err(|failed| {
        if failed.updated.is_empty() {
            BuildError::Output(failed.error)
        } else {
            BuildError::PartlyUpdated {
                error: failed.error,
                updated: failed.updated,
            }
        }
    })?;
    phases.lap("commit");

    Ok(BuildReport {
        today: site.today,
        counts: site.state_counts().into_iter().collect(),
        public: stats,
        editorial: editorial_stats,
        warnings,
        withheld: site.withheld.clone(),
        elapsed: started.elapsed(),
    })
}
