//! The renderer of static assets: the theme's `static/` files under
//! `static/`, and the site's own `static/` folder copied verbatim into the
//! output root. Article edits never touch them; a change to either folder
//! is a full rebuild.

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::output::Writer;

use super::index::Index;
use super::renderer::{Part, Rendered, Renderer, Scope};

/// Theme and site static files (see the module documentation).
pub struct StaticFiles;

impl Renderer for StaticFiles {
    fn name(&self) -> &'static str {
        "static"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::Theme, Part::StaticFiles]
    }

    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        for (name, bytes) in &index.theme.static_files {
            let rel = format!("static/{name}");
            match out.write(&rel, bytes) {
                Ok(()) => rendered.files.push(rel),
                Err(e) => rendered.problems.push(Diagnostic::error(
                    "output",
                    format!("themes/static/{name}"),
                    e.to_string(),
                )),
            }
        }
        copy_site_static(&index.site.root, out, &mut rendered);
        rendered
    }
}

/// Copies the site's `static/` folder verbatim into the output root.
fn copy_site_static(root: &Path, out: &dyn Writer, rendered: &mut Rendered) {
    let dir = root.join("static");
    let problems = &mut rendered.problems;
    let files = &mut rendered.files;
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let shown = Path::new("static").join(&rel);
        if entry.path_is_symlink() {
            problems.push(crate::load::symlink_refused(&shown));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        // The site's own rules go first in the generated `_redirects`
        // (render/redirects.rs), not over it.
        if rel == Path::new("_redirects") {
            continue;
        }
        match fs::read(entry.path()) {
            Ok(bytes) => {
                let rel = rel.to_string_lossy().into_owned();
                if let Err(e) = out.write(&rel, &bytes) {
                    problems.push(Diagnostic::error("output", &shown, e.to_string()).hint(
                        "a file in static/ has the same path as a generated page; rename it",
                    ));
                } else {
                    files.push(rel);
                }
            }
            Err(e) => problems.push(Diagnostic::error("io", &shown, format!("cannot read: {e}"))),
        }
    }
}
