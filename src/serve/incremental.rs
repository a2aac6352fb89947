//! Incremental rebuilds for `serve`. The loaded site stays in memory; a full
//! rebuild runs the real `build` pipeline into the private serve folder, so
//! its output is exactly what `healthpress build` writes. An edit to article
//! files re-reads only those files, re-validates the whole model (cheap:
//! no parsing), and re-renders only what can show them: their own pages,
//! pages whose "related" list changes or contains them, the term pages
//! (and audience × specialty pages) of every term they have or had, the
//! home page, taxonomy indexes, feeds and sitemap. Only files whose bytes
//! changed are written. Anything the incremental path cannot reason about
//! (config, templates, static files, a change of publishing state or slug,
//! a new day, output folders it does not know) falls back to a full build,
//! so the serve folder always equals a fresh full build byte for byte.
//! This module holds the model and the rebuild flow; what a change renders
//! is in [`super::changes`] (public pages), [`super::digests`] (newsletter
//! digests) and [`super::editorial`] (the editorial views).

use std::cell::LazyCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use thiserror::Error;

use super::affected::diff_sites;
use super::editorial;
use super::files::{remove_file_and_empty_dirs, write_if_changed};
use crate::build::{build_site, BuildError, BuildOptions};
use crate::config::site::TAXONOMIES;
use crate::diagnostics::Diagnostic;
use crate::load::{self, Sources};
use crate::model::{Article, Site};
use crate::output::{OutputError, MARKER};
use crate::render::article::render_article_page;
use crate::render::index::{AnyLinks, Index};
use crate::render::listing::file_for;
use crate::render::theme::Theme;
use crate::render::views::Urls;

#[derive(Debug, Error)]
pub enum RebuildError {
    /// The site has errors; the output was left as it was.
    #[error("the site has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Like `Invalid`, but found after some files were written (digests):
    /// the last good model no longer describes the folder.
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
    /// Why a full build was chosen, when it was.
    pub reason: String,
    pub rendered: usize,
    pub written: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// A report of `kind` with nothing rendered yet.
    pub(super) fn new(kind: &'static str, warnings: Vec<Diagnostic>) -> Report {
        Report {
            kind,
            reason: String::new(),
            rendered: 0,
            written: 0,
            removed: 0,
            warnings,
        }
    }
}

/// Settings fixed for the life of a `serve` run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub as_of: Option<NaiveDate>,
    pub drafts: bool,
    /// The private public-site folder that is served.
    pub public_dir: PathBuf,
    pub editorial_dir: PathBuf,
}

/// The last good state: what the serve folder currently holds.
pub struct Model {
    pub(super) settings: Settings,
    /// site.yaml and calendar.yaml as read; their parsed forms are in `site`.
    config_text: String,
    calendar_text: String,
    /// Latest read of every article file, keyed by path under `content/`.
    files: BTreeMap<PathBuf, Result<Article, Vec<Diagnostic>>>,
    /// Files re-read since the last good build (paths under `content/`):
    /// only they can differ between `files` and `site`.
    dirty: BTreeSet<PathBuf>,
    pub(super) site: Site,
    pub(super) theme: Theme,
    /// Top-level output entries no incremental renderer produces (e.g. a
    /// folder a newer renderer adds); while non-empty, every rebuild is full.
    unknown_outputs: Vec<String>,
    /// Draft preview pages written: output file -> state label.
    pub draft_pages: BTreeMap<String, String>,
}

/// Why an incremental rebuild handed over to a full build.
#[derive(Debug, Clone)]
pub struct Fallback {
    pub reason: String,
    /// True when the model still describes the output and the files on
    /// disk, so it may be kept if the full build fails.
    pub model_still_valid: bool,
}

impl Fallback {
    fn keep(reason: String) -> Fallback {
        Fallback {
            reason,
            model_still_valid: true,
        }
    }

    /// The output or `files` no longer match the model: it must be rebuilt.
    fn rebuild(reason: String) -> Fallback {
        Fallback {
            reason,
            model_still_valid: false,
        }
    }
}

/// A change an incremental rebuild cannot handle.
struct NeedFull(String);

impl Model {
    /// Loads the site, builds it in full into the serve folder, and keeps
    /// the loaded site as the model.
    pub fn full(settings: &Settings) -> Result<(Model, Report), RebuildError> {
        let (sources, problems) = load::load(&settings.root);
        let Some(sources) = sources else {
            return Err(RebuildError::Invalid(problems));
        };
        let config_text = sources.config_text.clone();
        let calendar_text = sources.calendar_text.clone();
        let files = sources
            .articles
            .iter()
            .map(|a| (a.content_path.clone(), Ok(a.clone())))
            .collect();
        let site = Site::from_sources(&settings.root, sources, problems, settings.as_of)
            .map_err(RebuildError::Invalid)?;
        let theme =
            Theme::load(&settings.root, site.config.theme_name()).map_err(RebuildError::Invalid)?;
        let mut options = BuildOptions::new(&settings.root);
        options.public_dir = settings.public_dir.clone();
        options.editorial_dir = settings.editorial_dir.clone();
        let built = build_site(&site, &theme, &options)?;
        let mut model = Model {
            settings: settings.clone(),
            config_text,
            calendar_text,
            files,
            dirty: BTreeSet::new(),
            site,
            theme,
            unknown_outputs: Vec::new(),
            draft_pages: BTreeMap::new(),
        };
        model.unknown_outputs = model.find_unknown_outputs();
        let mut warnings = built.warnings;
        if settings.drafts {
            let index = Index::new(&model.site, &model.theme);
            let drafts = &mut model.draft_pages;
            warnings.extend(render_drafts(&settings.public_dir, drafts, &index, None)?);
        }
        Ok((
            model,
            Report {
                kind: "full",
                reason: String::new(),
                rendered: built.public.files,
                written: built.public.files,
                removed: 0,
                warnings,
            },
        ))
    }

    /// Rebuilds after the article files `changed` (paths relative to the
    /// site root, under `content/`) changed on disk. `Ok(Err(fallback))`
    /// means a full build is needed instead; `Err` that the site has errors
    /// (the output and the last good model are unchanged).
    pub fn update_articles(
        &mut self,
        changed: &BTreeSet<PathBuf>,
    ) -> Result<Result<Report, Fallback>, RebuildError> {
        let started = Instant::now();
        if !self.unknown_outputs.is_empty() {
            return Ok(Err(Fallback::keep(format!(
                "outputs without an incremental renderer: {}",
                self.unknown_outputs.join(", ")
            ))));
        }
        for path in changed {
            if let Err(NeedFull(why)) = self.reread(path) {
                // `files` may be half-updated: the model must be rebuilt.
                return Ok(Err(Fallback::rebuild(why)));
            }
        }
        phase("reread", &started);
        let mut problems: Vec<Diagnostic> = Vec::new();
        let mut articles = Vec::with_capacity(self.files.len());
        for entry in self.files.values() {
            match entry {
                Ok(a) => articles.push(a.clone()),
                Err(found) => problems.extend(found.iter().cloned()),
            }
        }
        let sources = Sources {
            config: self.site.config.clone(),
            config_text: self.config_text.clone(),
            calendar: self.site.calendar.clone(),
            calendar_text: self.calendar_text.clone(),
            articles,
        };
        phase("sources", &started);
        let site = Site::from_sources(&self.settings.root, sources, problems, self.settings.as_of)
            .map_err(RebuildError::Invalid)?;
        phase("validate", &started);
        if site.today != self.site.today {
            return Ok(Err(Fallback::keep(format!(
                "the date changed to {}",
                site.today
            ))));
        }
        let diff = diff_sites(&self.site, &site, &self.dirty);
        phase("diff", &started);
        // The new site's index, shared by the public pages and the draft
        // previews; built only if one of them needs it.
        let index = LazyCell::new(|| Index::new(&site, &self.theme));
        let mut report = if diff.public.is_empty() {
            let kind = if diff.private.is_empty() {
                "unchanged"
            } else {
                "incremental"
            };
            Report::new(kind, site.warnings.clone())
        } else {
            LazyCell::force(&index);
            phase("index", &started);
            match self.render_changes(&index, &diff) {
                // A page failed to render (say, a link to an article that is
                // no longer public). A full build reports it exactly as the
                // CLI does, with every other page's warnings, and writes
                // nothing.
                Err(RebuildError::Invalid(_)) => {
                    return Ok(Err(Fallback::keep("a page failed to render".into())))
                }
                Err(RebuildError::InvalidAfterWrite(_)) => {
                    return Ok(Err(Fallback::rebuild("a digest failed to render".into())))
                }
                other => other?,
            }
        };
        phase("render", &started);
        if self.settings.drafts {
            // Draft previews show related public articles, so any public
            // change re-renders all of them; otherwise only edited drafts.
            let only = diff.public.is_empty().then_some(&diff.private);
            let public_dir = &self.settings.public_dir;
            let found = render_drafts(public_dir, &mut self.draft_pages, &index, only)?;
            report.warnings.extend(found);
            phase("drafts", &started);
        }
        drop(index); // it borrows `site`, which becomes the model below
        let editorial_changed =
            editorial::may_change(&self.site, &site, diff.public.iter().chain(&diff.private));
        // Freeing 10,000 articles takes a while; do it off the rebuild path.
        let old = std::mem::replace(&mut self.site, site);
        std::thread::spawn(move || drop(old));
        self.dirty.clear();
        phase("swap", &started);
        // Last, so the public pages are already written (see editorial.rs).
        if editorial_changed {
            let s = &self.settings;
            match editorial::rerender(&s.root, &s.editorial_dir, &self.site, &self.theme) {
                Err(RebuildError::Invalid(_)) => {
                    return Ok(Err(Fallback::rebuild(
                        "an editorial view failed to render".into(),
                    )))
                }
                other => other?,
            }
            phase("editorial", &started);
            report.reason += "; editorial views";
        }
        Ok(Ok(report))
    }

    /// Re-reads one file into `files`.
    fn reread(&mut self, path: &Path) -> Result<(), NeedFull> {
        let Ok(content_path) = path.strip_prefix("content") else {
            return Err(NeedFull(format!("{} is not an article", path.display())));
        };
        if content_path
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Ok(()); // hidden files are not loaded by a build either
        }
        let full = self.settings.root.join(path);
        let is_md = path.extension().is_some_and(|x| x == "md");
        match fs::symlink_metadata(&full) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.dirty.insert(content_path.to_path_buf());
                if self.files.remove(content_path).is_none()
                    && self.files.keys().any(|k| k.starts_with(content_path))
                {
                    return Err(NeedFull(format!(
                        "folder {} was moved or removed",
                        path.display()
                    )));
                }
                Ok(())
            }
            // Editors' temporary files and non-Markdown files are not content.
            Ok(meta) if meta.file_type().is_file() && !is_md => Ok(()),
            Ok(meta) if meta.file_type().is_file() => {
                let read = load::read_article(
                    &self.settings.root,
                    content_path.to_path_buf(),
                    &self.site.config.language,
                );
                self.files.insert(content_path.to_path_buf(), read);
                self.dirty.insert(content_path.to_path_buf());
                Ok(())
            }
            _ => Err(NeedFull(format!(
                "{} is not a plain article file",
                path.display()
            ))),
        }
    }

    /// Top-level entries of the serve folder that the incremental renderers
    /// do not produce. A renderer added to `build` (say, digests) shows up
    /// here until it is taught to `serve`, and until then rebuilds are full.
    fn find_unknown_outputs(&self) -> Vec<String> {
        let urls = Urls::new(&self.site.config);
        let first = |rel: &str| rel.split('/').next().unwrap_or("").to_string();
        let mut known: BTreeSet<String> = [
            MARKER,
            "index.html",
            "404.html",
            "atom.xml",
            "sitemap.xml",
            "robots.txt",
            "static",
            // Newsletter digests: see `super::digests`.
            "digests",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for a in &self.site.articles {
            known.insert(first(&file_for(&urls, &urls.article(&a.slug))));
        }
        for t in TAXONOMIES {
            known.insert(first(&file_for(&urls, &urls.taxonomy(t))));
        }
        if let Ok(entries) = fs::read_dir(self.settings.root.join("static")) {
            for e in entries.flatten() {
                known.insert(e.file_name().to_string_lossy().into_owned());
            }
        }
        let mut unknown = Vec::new();
        if let Ok(entries) = fs::read_dir(&self.settings.public_dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !known.contains(&name) {
                    unknown.push(name);
                }
            }
        }
        unknown.sort();
        unknown
    }

    /// True when, without `--as-of`, today (in the site's time zone) is no
    /// longer the day the model was built for: states may have changed.
    pub fn day_changed(&self) -> bool {
        self.settings.as_of.is_none()
            && crate::model::today_in(&self.site.config, None) != self.site.today
    }
}

/// Writes the draft/scheduled preview pages of `index.site` into
/// `public_dir` (callers check `--drafts`): those of the articles in `only`,
/// or all when `None`, plus any not yet written. Removes previews that no
/// longer apply and records the ones written in `draft_pages`. Returns
/// their warnings.
fn render_drafts(
    public_dir: &Path,
    draft_pages: &mut BTreeMap<String, String>,
    index: &Index,
    only: Option<&BTreeSet<PathBuf>>,
) -> Result<Vec<Diagnostic>, RebuildError> {
    let site = index.site;
    let resolver = AnyLinks::new(site, &index.urls);
    let mut pages = BTreeMap::new();
    let mut warnings = Vec::new();
    for (i, state) in site.states.iter().enumerate() {
        if state.is_public() {
            continue;
        }
        let article = &site.articles[i];
        let path = file_for(&index.urls, &index.urls.article(&article.slug));
        if only.is_none_or(|only| only.contains(&article.content_path))
            || !draft_pages.contains_key(&path)
        {
            // A preview that cannot render is reported, not fatal: the
            // public build does not render drafts at all.
            let (html, found) = render_article_page(index, i, &resolver, None);
            warnings.extend(found);
            match html {
                Ok(html) => {
                    write_if_changed(public_dir, &path, html.as_bytes())?;
                }
                Err(d) => {
                    warnings.push(d);
                    continue;
                }
            }
        }
        pages.insert(path, state.label().to_string());
    }
    let stale: Vec<&String> = draft_pages
        .keys()
        .filter(|old| !pages.contains_key(*old))
        .collect();
    if !stale.is_empty() {
        // Never remove a page that is now the article's public page.
        let public: BTreeSet<String> = index
            .published
            .iter()
            .map(|&i| file_for(&index.urls, &index.urls.article(&site.articles[i].slug)))
            .collect();
        for old in stale.into_iter().filter(|old| !public.contains(*old)) {
            remove_file_and_empty_dirs(public_dir, old)?;
        }
    }
    *draft_pages = pages;
    Ok(warnings)
}

/// With `HEALTHPRESS_TIMINGS` set, prints the time since `since`.
pub(super) fn phase(name: &str, since: &Instant) {
    if crate::timings::enabled() {
        eprintln!(
            "timing: serve {name:<9} {:>6} ms",
            since.elapsed().as_millis()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the repository's example site in a temporary folder.
    fn example_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for name in ["site.yaml", "calendar.yaml", "content", "themes"] {
            for entry in walkdir::WalkDir::new(repo.join(name)) {
                let entry = entry.unwrap();
                let rel = entry.path().strip_prefix(repo).unwrap();
                if entry.file_type().is_dir() {
                    fs::create_dir_all(dir.path().join(rel)).unwrap();
                } else {
                    fs::copy(entry.path(), dir.path().join(rel)).unwrap();
                }
            }
        }
        dir
    }

    fn settings(root: &Path) -> Settings {
        Settings {
            root: root.to_path_buf(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 23),
            drafts: false,
            public_dir: root.join(".healthpress-serve/public"),
            editorial_dir: root.join(".healthpress-serve/editorial"),
        }
    }

    #[test]
    fn outputs_without_an_incremental_renderer_force_full_rebuilds() {
        let site = example_site();
        let settings = settings(site.path());
        let (mut model, _) = Model::full(&settings).unwrap();
        assert!(
            model.unknown_outputs.is_empty(),
            "{:?}",
            model.unknown_outputs
        );
        let any_article = model.site.articles[0].source.clone();
        let changed: BTreeSet<PathBuf> = [any_article].into();
        assert!(model.update_articles(&changed).unwrap().is_ok());

        // A renderer added to `build` later (say, newsletters-x/) that
        // `serve` does not know: rebuilds must be full until it is taught.
        fs::create_dir_all(settings.public_dir.join("newsletters-x/parents")).unwrap();
        model.unknown_outputs = model.find_unknown_outputs();
        assert_eq!(model.unknown_outputs, vec!["newsletters-x".to_string()]);
        let fallback = model.update_articles(&changed).unwrap().unwrap_err();
        assert!(
            fallback.reason.contains("newsletters-x"),
            "{}",
            fallback.reason
        );
        assert!(fallback.model_still_valid);
    }
}
