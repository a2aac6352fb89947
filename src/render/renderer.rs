//! The one shape every output has. A renderer reads the read-only
//! [`Index`] (the model plus the theme) and writes files through a
//! [`Writer`]: a build's staging folder, or the folder `serve` keeps up to
//! date. It reports what it wrote ([`Rendered`]) and which parts of the
//! model its files show ([`Renderer::depends_on`]), so that after an edit
//! `serve` asks only the renderers the edit can affect, and each of them
//! re-renders only what the edit touched ([`Scope::Edit`]). A renderer that
//! ignores the scope and renders everything is still correct: serve then
//! removes the files of its previous render that it did not write again.
//! The list of renderers, in the order they run, is [`super::RENDERERS`];
//! docs/architecture.md says how to add one.

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Writer;

use super::changes::Edit;
pub use super::changes::Part;
use super::index::Index;
pub use super::interrupt::Interrupt;

/// The output folder a renderer writes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// `public/`: only ever public articles.
    Public,
    /// `editorial/`: internal views that may show drafts.
    Editorial,
}

/// What to render.
pub enum Scope<'e, 'a> {
    /// Every file of the output (a build, or a full rebuild in serve).
    Everything,
    /// Only what the edit can have changed; the output folder holds the
    /// files rendered from `edit.old`.
    Edit(&'e Edit<'a>),
}

/// What one renderer did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Files written, relative to the output folder.
    pub files: Vec<String>,
    /// How many of them count as pages in the build summary (feeds,
    /// sitemaps and assets do not).
    pub pages: usize,
    /// After an edit: files of the previous render that no longer exist.
    pub removed: Vec<String>,
    /// Errors fail the build (nothing is committed); warnings are shown.
    pub problems: Vec<Diagnostic>,
    /// Problems confined to one article and rendered harmlessly (a broken
    /// or unsafe link shown as its text): shown with their severity, and
    /// `check` fails on their errors, but they never stop a build, so one
    /// article cannot keep the rest of the site from being updated.
    pub confined: Vec<Diagnostic>,
    /// True when only what an edit touched was rendered. False means
    /// everything was: files of the previous render not written again are
    /// gone.
    pub partial: bool,
    /// Named counts for the build summary, e.g. `("gaps", 3)`.
    pub counts: Vec<(&'static str, usize)>,
    /// After an edit, a few words on how far it reached, for serve's log.
    pub note: Option<String>,
    /// It stopped early because [`Index::interrupt`](super::index::Index::interrupt) was raised: its files
    /// are incomplete and must not be kept.
    pub interrupted: bool,
}

impl Rendered {
    /// Writes `files` (path relative to the output folder, bytes) into
    /// `out` in parallel and records them; `pages` says whether they count
    /// as pages. A failed write is an error naming the file.
    pub fn write_all(&mut self, out: &dyn Writer, files: Vec<(String, Vec<u8>)>, pages: bool) {
        let failed: Vec<Diagnostic> = files
            .par_iter()
            .filter_map(|(path, bytes)| {
                out.write(path, bytes)
                    .err()
                    .map(|e| Diagnostic::error("output", path, e.to_string()))
            })
            .collect();
        self.problems.extend(failed);
        if pages {
            self.pages += files.len();
        }
        self.files.extend(files.into_iter().map(|(path, _)| path));
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }
}

/// One output: article pages, listings and feeds, digests, editorial
/// views, and every output added later. Implementations are unit structs
/// listed in [`super::RENDERERS`].
pub trait Renderer: Sync {
    /// Short name, for timings and docs (`articles`, `digests`).
    fn name(&self) -> &'static str;

    /// The folder its files go into.
    fn folder(&self) -> Folder {
        Folder::Public
    }

    /// The parts of the model its files show. After an edit that touched
    /// none of them, serve does not call it.
    fn depends_on(&self) -> &'static [Part];

    /// Whether its files can differ after `edit` (`index` is the new
    /// model's). The default asks [`Renderer::depends_on`]; a renderer that
    /// knows better (the editorial views ignore body edits) overrides it.
    fn affected_by(&self, edit: &Edit, index: &Index) -> bool {
        let _ = index;
        self.depends_on().iter().any(|&part| edit.touched(part))
    }

    /// Whether a build may run it on a thread of its own beside the
    /// renderers after it in [`super::RENDERERS`] (they must not need its
    /// files). For outputs whose work is mostly serial, so the build's
    /// other cores keep working; only `render_folder` looks at it.
    fn in_background(&self) -> bool {
        false
    }

    /// Renders what `scope` asks for into `out`. Every problem is returned,
    /// none printed; with an error, the caller discards what was written.
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered;
}
