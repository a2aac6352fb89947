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
//! This module holds the model and the rebuild flow; every output is
//! re-rendered the same way, by asking its renderer to redo what the edit
//! touched ([`super::rerender`]); what each output redoes is decided in its
//! own module under `render/`.

use std::cell::LazyCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::build::{build_site, model_site, BuildOptions};
use crate::diagnostics::Diagnostic;
use crate::load::{self, Loaded, Sources};
use crate::model::Site;
use crate::render::changes::{diff_sites, Edit};
use crate::render::theme::Theme;
use crate::render::{Folder, RENDERERS};

use super::background::{Finished, Inputs, Job};
use super::drafts::render_drafts;
use super::report::{RebuildError, Report};
use super::rerender::{editorial_affected, folder_edit, serve_index, Outputs};

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
    files: BTreeMap<PathBuf, Loaded>,
    /// Files re-read since the last good build (paths under `content/`):
    /// only they can differ between `files` and `site`.
    dirty: BTreeSet<PathBuf>,
    pub(super) site: Arc<Site>,
    pub(super) theme: Arc<Theme>,
    /// Each public renderer's files in the serve folder.
    outputs: Outputs,
    /// The job running what the last edit left to the background
    /// ([`Model::start_background`]).
    background: Option<Job>,
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
        // The load's problems name the stand-ins' files; keep each with its
        // file so that an incremental rebuild reports them again.
        let files = sources
            .articles
            .iter()
            .map(|a| {
                let own = if sources.stand_ins.contains(&a.source) {
                    problems
                        .iter()
                        .filter(|d| d.file == a.source)
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                };
                let loaded = Loaded {
                    article: a.clone(),
                    problems: own,
                };
                (a.content_path.clone(), loaded)
            })
            .collect();
        let site = model_site(
            &settings.root,
            sources,
            problems,
            settings.as_of,
            true,
            None,
        )
        .map_err(RebuildError::Invalid)?;
        let theme =
            Theme::load(&settings.root, site.config.theme_name()).map_err(RebuildError::Invalid)?;
        let mut options = BuildOptions::new(&settings.root);
        options.public_dir = settings.public_dir.clone();
        options.editorial_dir = settings.editorial_dir.clone();
        let built = build_site(&site, &theme, &options)?;
        let outputs = built
            .outputs
            .into_iter()
            .map(|(name, files)| (name, files.into_iter().collect()))
            .collect();
        let mut model = Model {
            settings: settings.clone(),
            config_text,
            calendar_text,
            files,
            dirty: BTreeSet::new(),
            site: Arc::new(site),
            theme: Arc::new(theme),
            outputs,
            background: None,
            draft_pages: BTreeMap::new(),
        };
        let mut warnings = built.warnings;
        if settings.drafts {
            let index = serve_index(&model.site, &model.theme, &settings.public_dir);
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
                withheld: built.withheld,
                deferred: Vec::new(),
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
        self.stop_background();
        for path in changed {
            if let Err(NeedFull(why)) = self.reread(path) {
                // `files` may be half-updated: the model must be rebuilt.
                return Ok(Err(Fallback::rebuild(why)));
            }
        }
        phase("reread", &started);
        let mut problems: Vec<Diagnostic> = Vec::new();
        let mut stand_ins = BTreeSet::new();
        let entries: Vec<&Loaded> = self.files.values().collect();
        for entry in entries.iter().filter(|e| e.is_stand_in()) {
            problems.extend(entry.problems.iter().cloned());
            stand_ins.insert(entry.article.source.clone());
        }
        // The new model owns its articles; copying 10,000 of them is a
        // fifth of a rebuild's time on one core.
        let articles: Vec<_> = entries.par_iter().map(|e| e.article.clone()).collect();
        phase("copy", &started);
        let sources = Sources {
            config: self.site.config.clone(),
            config_text: self.config_text.clone(),
            calendar: self.site.calendar.clone(),
            calendar_text: self.calendar_text.clone(),
            articles,
            stand_ins,
        };
        phase("sources", &started);
        let site = model_site(
            &self.settings.root,
            sources,
            problems,
            self.settings.as_of,
            true,
            Some(&self.site),
        )
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
        // The new site's index, shared by the renderers and the draft
        // previews; built only if one of them needs it.
        let public_dir = self.settings.public_dir.clone();
        let index = LazyCell::new(|| serve_index(&site, &self.theme, &public_dir));
        let edit = Edit::new(&self.site, &self.theme, &diff);
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
            let mut report = Report::new("incremental", site.warnings.clone());
            let public_dir = &self.settings.public_dir;
            match folder_edit(
                RENDERERS,
                Folder::Public,
                &index,
                &edit,
                public_dir,
                &mut self.outputs,
                &mut report,
            ) {
                // A page failed to render (say, a link to an article that is
                // no longer public) before anything was written. A full
                // build reports it exactly as the CLI does, with every other
                // page's warnings, and writes nothing.
                Err(RebuildError::Invalid(_)) => {
                    return Ok(Err(Fallback::keep("a page failed to render".into())))
                }
                // Some files were written: the old model no longer
                // describes the folder.
                Err(RebuildError::InvalidAfterWrite(_)) => {
                    return Ok(Err(Fallback::rebuild("a page failed to render".into())))
                }
                other => other?,
            }
            report
        };
        phase("render", &started);
        report.withheld = site.withheld.clone();
        if self.settings.drafts {
            // Draft previews show related public articles, so any public
            // change re-renders all of them; otherwise only edited drafts.
            let only = diff.public.is_empty().then_some(&diff.private);
            let public_dir = &self.settings.public_dir;
            let found = render_drafts(public_dir, &mut self.draft_pages, &index, only)?;
            report.warnings.extend(found);
            phase("drafts", &started);
        }
        // Last, so the public pages are already written.
        if editorial_affected(RENDERERS, &index, &edit) {
            let dir = &self.settings.editorial_dir;
            let outputs = &mut self.outputs;
            match folder_edit(
                RENDERERS,
                Folder::Editorial,
                &index,
                &edit,
                dir,
                outputs,
                &mut report,
            ) {
                Err(RebuildError::Invalid(_) | RebuildError::InvalidAfterWrite(_)) => {
                    return Ok(Err(Fallback::rebuild(
                        "an editorial view failed to render".into(),
                    )))
                }
                Err(e) => return Err(e),
                Ok(()) => {}
            }
            phase("editorial", &started);
            report.reason += "; editorial views";
        }
        drop(edit);
        drop(index); // it borrows `site`, which becomes the model below
                     // Freeing 10,000 articles takes a while; do it off the rebuild path.
        let old = std::mem::replace(&mut self.site, Arc::new(site));
        std::thread::spawn(move || drop(old));
        self.dirty.clear();
        phase("swap", &started);
        Ok(Ok(report))
    }

    /// Runs the renderers a rebuild left to the background (`deferred`,
    /// its report's: the search index) on a thread of their own, from this
    /// model; `done` is called there when they finished. Returns whether a
    /// job started.
    pub fn start_background(
        &mut self,
        deferred: &[&'static str],
        done: Box<dyn FnOnce(Finished) + Send>,
    ) -> bool {
        self.stop_background();
        let renderers: Vec<_> = RENDERERS
            .iter()
            .filter(|r| deferred.contains(&r.name()))
            .map(|&r| (r, self.outputs.get(r.name()).cloned().unwrap_or_default()))
            .collect();
        if renderers.is_empty() {
            return false;
        }
        let inputs = Inputs {
            site: Arc::clone(&self.site),
            theme: Arc::clone(&self.theme),
            dir: self.settings.public_dir.clone(),
            renderers,
        };
        self.background = Some(Job::start(inputs, done));
        true
    }

    /// Interrupts the background job, if any (once this returns it writes
    /// nothing more): called before anything else writes to the serve
    /// folder. What it left in the folder becomes its renderers' recorded
    /// files.
    pub fn stop_background(&mut self) {
        if let Some(job) = self.background.take() {
            for (name, files) in job.stop() {
                self.outputs.insert(name, files);
            }
        }
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
        if !is_md && crate::assets::kind_of(&path.to_string_lossy()).is_some() {
            return self.reread_embedding(content_path);
        }
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
                let read = load::read_article_kept(
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

    /// The output files (as the server keys pages) of the articles shown
    /// with edits not yet approved ([`Site::preview_edits`]).
    pub fn edited_pages(&self) -> BTreeSet<String> {
        let urls = crate::render::views::Urls::new(&self.site.config);
        self.site
            .edited
            .iter()
            .map(|&i| {
                let url = urls.article(&self.site.articles[i].slug);
                crate::render::listing::file_for(&urls, &url)
            })
            .collect()
    }

    /// An article's own file (`content_path`, under `content/`) changed,
    /// appeared or went: re-reads every article that embeds it, so their
    /// recorded digests, pages and published files follow.
    fn reread_embedding(&mut self, content_path: &Path) -> Result<(), NeedFull> {
        let target = content_path.to_string_lossy().replace('\\', "/");
        let embedding: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(_, l)| l.article.embedded.iter().any(|f| f.target == target))
            .map(|(md, _)| Path::new("content").join(md))
            .collect();
        for md in embedding {
            self.reread(&md)?;
        }
        Ok(())
    }

    /// True when, without `--as-of`, today (in the site's time zone) is no
    /// longer the day the model was built for: states may have changed.
    pub fn day_changed(&self) -> bool {
        self.settings.as_of.is_none()
            && crate::model::today_in(&self.site.config, None) != self.site.today
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.stop_background();
    }
}

/// With `HEALTHPRESS_TIMINGS` set, prints the time since `since`.
fn phase(name: &str, since: &Instant) {
    crate::timings::since(&format!("serve {name:<9}"), since);
}
