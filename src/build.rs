//! The pipeline, in one place: load -> validate -> model (publishing
//! states, compliance withholding) -> each renderer -> commit. [`build`] runs all of it; [`open_site`] is its first three
//! steps for the commands that only need the model (`check`, `schedule`,
//! `digest`, `serve`), and [`build_site`] the last two for an already
//! loaded model. Every output is rendered into staging folders first; only
//! when every renderer succeeded are they swapped in, so a failed build
//! changes nothing on disk. Nothing here prints: problems and counts are
//! returned to the CLI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use thiserror::Error;

use crate::compliance::Linter;
use crate::diagnostics::{self, Diagnostic};
use crate::load::{self, Sources};
use crate::model::scan_cache::ScanCache;
use crate::model::{today_in, Site, State};
use crate::output::{self, OutputError, Staging, Writer};
use crate::render::index::Index;
use crate::render::theme::Theme;
use crate::render::{Folder, Rendered, Scope, RENDERERS};
use crate::timings::Laps;
use crate::validate;

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

/// Counts of one output folder for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct FolderStats {
    pub pages: usize,
    pub files: usize,
}

#[derive(Debug)]
pub struct BuildReport {
    pub today: NaiveDate,
    pub counts: Vec<(State, usize)>,
    pub public: FolderStats,
    pub editorial: FolderStats,
    /// Gaps and risks in the schedule.
    pub gaps: usize,
    /// Each renderer's files, relative to its folder (serve tracks them).
    pub outputs: Vec<(&'static str, Vec<String>)>,
    pub warnings: Vec<Diagnostic>,
    /// Errors that withheld articles from every output: compliance errors
    /// and the errors of an article's own file (front matter, validation).
    pub withheld: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// What a build reports while it runs, for the CLI to show on a terminal
/// (only the CLI prints). Called from the build's threads; cheap.
pub trait Progress: Sync {
    /// A phase starts (`rendering articles`); `items` is how many things
    /// it works on, when known.
    fn phase(&self, name: &str, items: Option<usize>) {
        let _ = (name, items);
    }
    /// `files` more files were written.
    fn wrote(&self, files: usize) {
        let _ = files;
    }
}

/// Progress nobody watches.
pub struct Silent;
impl Progress for Silent {}

/// Builds the site at `options.root`: load -> validate -> model, the
/// theme, then [`build_site`].
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(options, &Silent)
}

/// [`build`], reporting its phases to `progress`.
pub fn build_with(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut phases = Laps::new("");
    progress.phase("loading the site", None);
    let site = open_site(&options.root, options.as_of).map_err(BuildError::Invalid)?;
    progress.phase("loading the theme", None);
    let theme =
        Theme::load(&options.root, site.config.theme_name()).map_err(BuildError::Invalid)?;
    phases.lap("load");
    let mut report = build_site_with(&site, &theme, options, progress)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Load -> validate -> model: reads the site at `root` and fixes each
/// article's state for `as_of` (default today in the site's time zone).
/// Fails with every error found (sorted) when one makes the whole site
/// wrong (site.yaml, calendar.yaml); an article's own errors withhold it
/// (state `Invalid`, errors in `withheld`). Else returns the model with
/// its warnings.
pub fn open_site(root: &Path, as_of: Option<NaiveDate>) -> Result<Site, Vec<Diagnostic>> {
    let (sources, problems) = load::load(root);
    let Some(sources) = sources else {
        return Err(problems);
    };
    model_site(root, sources, problems, as_of, false, None)
}

/// Validate -> model (with the compliance linter withholding articles
/// with errors) for already loaded `sources` (plus the `problems` found
/// loading them). `serve` calls it after re-reading only the files
/// that changed, with `preview_edits` (see [`Site::preview_edits`]; a
/// build never previews edits) and `earlier`, its last model of the same
/// settings: its linter and the compliance verdicts of unchanged files are
/// reused.
pub fn model_site(
    root: &Path,
    sources: Sources,
    mut problems: Vec<Diagnostic>,
    as_of: Option<NaiveDate>,
    preview_edits: bool,
    earlier: Option<&Site>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut laps = crate::timings::Laps::new("  model: ");
    problems.extend(validate::check_sources(&sources));
    diagnostics::sort(&mut problems);
    laps.lap("check sources");
    // Only what makes the whole site wrong fails: an article's own errors
    // withhold that article (product.md, "decided per article").
    let (confined, problems) = validate::confined_to_articles(problems, &sources.articles);
    if problems.iter().any(Diagnostic::is_error) {
        let mut all = problems;
        all.extend(confined);
        diagnostics::sort(&mut all);
        return Err(all);
    }
    // The compliance rules decide per article: an error withholds that
    // article, never the site.
    // An earlier model of the same settings (serve) lends its linter:
    // building one compiles every rule.
    let reused = earlier.and_then(|e| e.linter.clone());
    let linter = match reused {
        Some(linter) => linter,
        None => Linter::new(&sources.config.compliance, &sources.config.contact)
            .map(std::sync::Arc::new)
            .map_err(|e| {
                vec![Diagnostic::error(
                    "compliance-config",
                    "site.yaml",
                    format!("compliance: {e}"),
                )
                .hint("fix the `compliance:` section; `healthpress check --list-rules` lists the rule ids")]
            })?,
    };
    laps.lap("linter");
    let today = today_in(&sources.config, as_of);
    let mut site = Site::from_parts(
        root,
        sources.config,
        sources.calendar,
        sources.articles,
        today,
        problems,
    );
    site.withhold_invalid(confined);
    if preview_edits {
        site.preview_edits();
    }
    laps.lap("site");
    if earlier.is_some() {
        // Only the re-read files are scanned; the cache file is left for
        // the next build (reading and rewriting it costs more than that).
        site.withhold_noncompliant_with(&linter, None, earlier);
    } else {
        let settings = format!("{:?}\n{:?}", site.config.compliance, site.config.contact);
        let cache = ScanCache::open(Some(root), &settings);
        site.withhold_noncompliant_with(&linter, Some(&cache), None);
        cache.save();
    }
    laps.lap("scan");
    site.linter = Some(linter);
    Ok(site)
}

/// Each renderer -> commit: renders an already loaded `site` with `theme`
/// into staging folders for `options.public_dir` and
/// `options.editorial_dir` and swaps them in when everything rendered
/// (`as_of` was applied when the site was loaded). `serve` calls this with
/// the model it keeps.
pub fn build_site(
    site: &Site,
    theme: &Theme,
    options: &BuildOptions,
) -> Result<BuildReport, BuildError> {
    build_site_with(site, theme, options, &Silent)
}

/// [`build_site`], reporting its phases to `progress`.
pub fn build_site_with(
    site: &Site,
    theme: &Theme,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    progress.phase("indexing articles", Some(site.articles.len()));
    let mut phases = Laps::new("");
    let mut index = Index::new(site, theme);
    index.image_cache = crate::assets::cache_dir(&options.public_dir);
    index.qr_masks = crate::render::qr_masks::QrMasks::open(&site.root);
    phases.lap("index");

    // Overlapping outputs are refused before either is touched.
    output::check_separate(&options.public_dir, &options.editorial_dir)?;
    let public = Staging::new(&options.root, &options.public_dir)?;
    // Each folder is rendered into its own staging folder before anything
    // is committed, so a failure in either leaves both as they were. The
    // two are rendered at once: each has serial stretches (a renderer's
    // set-up, the end of a parallel loop) that the other's work fills.
    let editorial = Staging::new(&options.root, &options.editorial_dir)?;
    let (rendered, internal) = rayon::join(
        || render_folder_with(&index, Folder::Public, &public, progress),
        || render_folder_with(&index, Folder::Editorial, &editorial, progress),
    );
    public.check_environment()?; // a full disk is one error, not one per file
    let mut rendered = rendered.map_err(BuildError::Invalid)?;
    let mut warnings = std::mem::take(&mut rendered.problems);
    warnings.append(&mut rendered.confined);
    warnings.extend(site.warnings.iter().cloned());
    diagnostics::sort(&mut warnings);
    editorial.check_environment()?;
    let internal = internal.map_err(BuildError::Invalid)?;
    let gaps = internal.count("gaps");
    warnings.extend(internal.problems);
    // Confined to one article (a WeChat post left out): shown, not fatal.
    warnings.extend(internal.confined);
    phases.lap("render (public and editorial at once)");
    index.qr_masks.save();
    let (public_files, editorial_files) = (public.count(), editorial.count());
    progress.phase("swapping in the new output", None);
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
        public: FolderStats {
            pages: rendered.pages,
            files: public_files,
        },
        editorial: FolderStats {
            pages: internal.pages,
            files: editorial_files,
        },
        gaps,
        outputs: [rendered.outputs, internal.outputs].concat(),
        warnings,
        withheld: site.withheld.clone(),
        elapsed: started.elapsed(),
    })
}

/// What the renderers of one folder did together.
#[derive(Debug, Default)]
pub struct FolderRendered {
    pub pages: usize,
    /// Warnings only (sorted); an error makes [`render_folder`] fail.
    pub problems: Vec<Diagnostic>,
    /// Problems confined to one article (see [`crate::render::Rendered`]),
    /// errors included: shown, never failing the build.
    pub confined: Vec<Diagnostic>,
    pub counts: Vec<(&'static str, usize)>,
    /// Each renderer's files, relative to the folder.
    pub outputs: Vec<(&'static str, Vec<String>)>,
}

impl FolderRendered {
    /// The sum of the renderers' counts named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.counts
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .sum()
    }
}

/// Runs every renderer of `folder` over `index` into `out`, in the order of
/// [`RENDERERS`]. Fails with every problem found (sorted) if any is an
/// error; `out` is then discarded by the caller, so nothing partial is
/// published. `check` calls it too, for its dry render.
pub fn render_folder(
    index: &Index,
    folder: Folder,
    out: &dyn Writer,
) -> Result<FolderRendered, Vec<Diagnostic>> {
    render_folder_with(index, folder, out, &Silent)
}

/// [`render_folder`], reporting each renderer to `progress`.
pub fn render_folder_with(
    index: &Index,
    folder: Folder,
    out: &dyn Writer,
    progress: &dyn Progress,
) -> Result<FolderRendered, Vec<Diagnostic>> {
    let mut laps = Laps::new("  ");
    let mut all = FolderRendered::default();
    let mut absorb = |name: &'static str, rendered: Rendered| {
        progress.wrote(rendered.files.len());
        all.pages += rendered.pages;
        all.problems.extend(rendered.problems);
        all.confined.extend(rendered.confined);
        all.counts.extend(rendered.counts);
        all.outputs.push((name, rendered.files));
    };
    // A renderer that asks for it runs on a thread of its own beside the
    // ones after it (its work is mostly serial, e.g. the search index), and
    // is waited for before the folder is done.
    std::thread::scope(|scope| {
        let mut beside = Vec::new();
        for renderer in RENDERERS.iter().filter(|r| r.folder() == folder) {
            progress.phase(&format!("rendering {}", renderer.name()), None);
            if renderer.in_background() {
                let job = scope.spawn(move || renderer.render(index, &Scope::Everything, out));
                beside.push((renderer.name(), job));
                continue;
            }
            absorb(
                renderer.name(),
                renderer.render(index, &Scope::Everything, out),
            );
            laps.lap(renderer.name());
        }
        for (name, job) in beside {
            let rendered = job.join().unwrap_or_else(|_| Rendered {
                problems: vec![Diagnostic::error(
                    "internal",
                    "site.yaml",
                    format!("the {name} output stopped unexpectedly"),
                )],
                ..Rendered::default()
            });
            absorb(name, rendered);
            laps.lap(&format!("{name} (beside the others, waited for)"));
        }
    });
    // A template error repeats on every page of its template: once each.
    diagnostics::sort_and_collapse(&mut all.problems);
    diagnostics::sort(&mut all.confined);
    if all.problems.iter().any(Diagnostic::is_error) {
        all.problems.append(&mut all.confined);
        diagnostics::sort(&mut all.problems);
        return Err(all.problems);
    }
    Ok(all)
}
