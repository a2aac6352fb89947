//! Re-rendering after an article edit, the same way for every output: each
//! public renderer the edit can affect ([`Renderer::affected_by`]) renders
//! what the edit touched ([`Scope::Edit`]) into memory; if it found no
//! error, the files whose bytes changed are written, one renderer after the
//! other, so the saved article's page (the first renderer's) is on disk
//! first; renderers that a build runs beside the others (the search index)
//! are named in the report and left to the background job
//! ([`super::background`]). Files a renderer reports gone, or that a
//! renderer which rendered everything did not write again, are removed at
//! the end unless another
//! renderer wrote them in this rebuild. The editorial folder is updated the
//! same way, by its own renderers, after the public one: its WeChat posts
//! are served (`/__healthpress/wechat/`) beside the article being edited.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use crate::model::Site;
use crate::output::{OutputError, Writer};
use crate::render::changes::Edit;
use crate::render::index::Index;
use crate::render::theme::Theme;
use crate::render::{Folder, Renderer, Scope};

use super::files::{remove_file_and_empty_dirs, write_if_changed};
use super::report::{RebuildError, Report};

/// Each public renderer's files in the serve folder, by renderer name.
pub type Outputs = BTreeMap<&'static str, BTreeSet<String>>;

/// Collects a renderer's files in memory, so nothing is written when it
/// finds an error (or, in the background, is interrupted).
#[derive(Default)]
pub(super) struct Buffer {
    pub(super) files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Writer for Buffer {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.files
            .lock()
            .expect("buffer poisoned")
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }
}

/// The index of `site` for rendering into the serve folder `public_dir`:
/// images use the variant cache a full build into that folder uses.
pub(super) fn serve_index<'a>(site: &'a Site, theme: &'a Theme, public_dir: &Path) -> Index<'a> {
    let mut index = Index::new(site, theme);
    index.image_cache = crate::assets::cache_dir(public_dir);
    index
}

/// Renders what `edit` touched with the `renderers` of `folder` into `dir`,
/// whose files `outputs` records (updated here). `index` is the new model's.
/// The affected renderers that a build runs beside the others are not run
/// but named in `report.deferred`, to run in the background
/// ([`super::background`]).
pub fn folder_edit(
    renderers: &[&'static dyn Renderer],
    folder: Folder,
    index: &Index,
    edit: &Edit,
    dir: &Path,
    outputs: &mut Outputs,
    report: &mut Report,
) -> Result<(), RebuildError> {
    let mut wrote_any = false;
    let mut produced: BTreeSet<String> = BTreeSet::new();
    let mut gone: BTreeSet<String> = BTreeSet::new();
    let mut notes: Vec<String> = Vec::new();
    // Renderers that run beside the others in a build (the search index:
    // seconds of work at 10,000 articles) are left to the background.
    for &renderer in renderers.iter().filter(|r| r.folder() == folder) {
        if !renderer.affected_by(edit, index) {
            continue;
        }
        if renderer.in_background() {
            report.deferred.push(renderer.name());
            continue;
        }
        let started = std::time::Instant::now();
        let buffer = Buffer::default();
        let mut rendered = renderer.render(index, &Scope::Edit(edit), &buffer);
        crate::diagnostics::sort_and_collapse(&mut rendered.problems);
        if rendered.has_errors() {
            // Nothing written yet: the folder still matches the old model.
            return Err(if wrote_any {
                RebuildError::InvalidAfterWrite(rendered.problems)
            } else {
                RebuildError::Invalid(rendered.problems)
            });
        }
        report.warnings.extend(rendered.problems);
        report.warnings.extend(rendered.confined);
        notes.extend(rendered.note);
        let files = buffer.files.into_inner().expect("buffer poisoned");
        report.rendered += files.len();
        for (path, bytes) in &files {
            wrote_any = true;
            if write_if_changed(dir, path, bytes)? {
                report.written += 1;
            }
        }
        let now: BTreeSet<String> = files.into_iter().map(|(path, _)| path).collect();
        let known = outputs.entry(renderer.name()).or_default();
        if rendered.partial {
            known.extend(now.iter().cloned());
        } else {
            gone.extend(known.difference(&now).cloned());
            *known = now.clone();
        }
        for rel in &rendered.removed {
            known.remove(rel);
        }
        gone.extend(rendered.removed);
        produced.extend(now);
        crate::timings::since(&format!("  serve {:<12}", renderer.name()), &started);
    }
    for rel in gone.difference(&produced) {
        if remove_file_and_empty_dirs(dir, rel)? {
            report.removed += 1;
        }
    }
    if !notes.is_empty() {
        report.reason = notes.join("; ");
    }
    Ok(())
}

/// Whether any editorial renderer is affected by `edit`.
pub fn editorial_affected(renderers: &[&'static dyn Renderer], index: &Index, edit: &Edit) -> bool {
    renderers
        .iter()
        .any(|r| r.folder() == Folder::Editorial && r.affected_by(edit, index))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::PathBuf;

    use super::*;
    use crate::build::open_site;
    use crate::render::changes::diff_sites;
    use crate::render::theme::Theme;
    use crate::render::{Part, Rendered};

    /// A renderer that knows nothing of edits: one file per public article.
    struct OnePerArticle;

    impl Renderer for OnePerArticle {
        fn name(&self) -> &'static str {
            "one-per-article"
        }
        fn depends_on(&self) -> &'static [Part] {
            &[Part::PublicArticles]
        }
        fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
            let mut rendered = Rendered::default();
            let files = index
                .published
                .iter()
                .map(|&i| {
                    let slug = &index.site.articles[i].slug;
                    (format!("per-article/{slug}.txt"), slug.as_bytes().to_vec())
                })
                .collect();
            rendered.write_all(out, files, false);
            rendered
        }
    }

    fn copy_example_site() -> tempfile::TempDir {
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

    #[test]
    fn a_renderer_without_incremental_logic_is_redone_and_its_stale_files_go() {
        let site_dir = copy_example_site();
        let root = site_dir.path();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
        let old = open_site(root, as_of).unwrap();
        let theme = Theme::load(root, old.config.theme_name()).unwrap();
        let public_dir = root.join(".serve-test");
        // The folder as the full build left it.
        let old_index = Index::new(&old, &theme);
        let buffer = Buffer::default();
        let first = OnePerArticle.render(&old_index, &Scope::Everything, &buffer);
        for (path, bytes) in buffer.files.into_inner().unwrap() {
            write_if_changed(&public_dir, &path, &bytes).unwrap();
        }
        let mut outputs: Outputs =
            [(OnePerArticle.name(), first.files.into_iter().collect())].into();

        // Withdraw one published article (back to draft).
        let i = old.published()[0];
        let (source, slug) = (old.articles[i].source.clone(), old.articles[i].slug.clone());
        let text = fs::read_to_string(root.join(&source)).unwrap();
        let draft = text.replacen("status: approved", "status: draft", 1);
        assert_ne!(text, draft);
        fs::write(root.join(&source), draft).unwrap();
        let new = open_site(root, as_of).unwrap();
        let dirty: BTreeSet<PathBuf> = [old.articles[i].content_path.clone()].into();
        let diff = diff_sites(&old, &new, &dirty);
        let edit = Edit::new(&old, &theme, &diff);
        let index = Index::new(&new, &theme);
        let mut report = Report::new("incremental", Vec::new());
        folder_edit(
            &[&OnePerArticle],
            Folder::Public,
            &index,
            &edit,
            &public_dir,
            &mut outputs,
            &mut report,
        )
        .unwrap();

        let gone = public_dir.join(format!("per-article/{slug}.txt"));
        assert!(!gone.exists(), "the withdrawn article's file was removed");
        assert_eq!(report.removed, 1);
        let still = &new.articles[new.published()[0]].slug;
        assert!(public_dir
            .join(format!("per-article/{still}.txt"))
            .is_file());
        assert_eq!(outputs[OnePerArticle.name()].len(), new.published().len());
    }
}
