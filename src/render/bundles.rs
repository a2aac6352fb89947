//! The renderer of the articles' own files (page bundles): every local
//! file a public article embeds or links to (images, videos and their
//! captions and posters, downloads), published under the article's folder
//! with the content-hashed names its body links to, raster images with
//! their narrower variants. Variants are encoded once per source and
//! width and then taken from the cache beside the output (see
//! [`crate::assets`]). A file that cannot be used was reported at its line
//! by the article's body; it is skipped here. Files of unpublished
//! articles are never written. After an edit in `serve`, only the edited
//! articles' files are redone (an edited image is an edit of the articles
//! embedding it), and their previous names are reported gone.

use std::path::Path;

use rayon::prelude::*;

use crate::assets::{self, VariantStats};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LocalFiles};
use crate::output::{OutputError, Writer};

use super::changes::Edit;
use super::index::Index;
use super::listing::file_for;
use super::renderer::{Part, Rendered, Renderer, Scope};

/// The public articles' local files (see the module documentation).
pub struct BundleFiles;

impl Renderer for BundleFiles {
    fn name(&self) -> &'static str {
        "files"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::PublicArticles, Part::Config]
    }

    /// Every public article's files, or after an edit only the edited
    /// articles' (unchanged variants come from the cache either way).
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        if !index.publish_files {
            return rendered;
        }
        let which: Vec<usize> = match scope {
            Scope::Everything => index.published.clone(),
            Scope::Edit(edit) => {
                let site = index.site;
                rendered.partial = true;
                rendered.removed = previous_files(edit, index, &site.config.content.images.widths);
                index
                    .published
                    .iter()
                    .copied()
                    .filter(|&i| edit.diff.public.contains(&site.articles[i].content_path))
                    .collect()
            }
        };
        let (stats, files, problems) = write_files(index, &which, out);
        if let Scope::Edit(_) = scope {
            rendered.note = Some(format!("files of {} article(s)", which.len()));
        }
        rendered.files = files;
        rendered.problems = problems;
        rendered.counts.push(("images encoded", stats.encoded));
        rendered
    }
}

/// The names the edited articles' files had in the output before the
/// edit, from the digests recorded when they were read (every width's
/// variant is named: the ones that did not exist are simply not there).
/// Those written again are kept by serve, the rest removed.
/// `index` is the new model's: the URLs are the same (serve rebuilds in full
/// when site.yaml changes), and building the old model's index only for
/// them cost more than the rest of this renderer.
fn previous_files(edit: &Edit, index: &Index, widths: &[u32]) -> Vec<String> {
    let site = edit.old;
    let mut names = Vec::new();
    for i in site.published() {
        let article = &site.articles[i];
        if !edit.diff.public.contains(&article.content_path) {
            continue;
        }
        let page = file_for(&index.urls, &index.body_renderer.folder_url(article));
        let folder = page.trim_end_matches("index.html");
        for file in &article.embedded {
            let Some(sha) = &file.sha256 else { continue };
            let (stem, ext) = (
                assets::stem_of(&file.target),
                assets::extension_of(&file.target),
            );
            let hash = &sha[..sha.len().min(10)];
            names.push(format!("{folder}{stem}.{hash}.{ext}"));
            for w in widths {
                names.push(format!("{folder}{stem}.{hash}.{w}.{ext}"));
            }
        }
    }
    names
}

/// Writes the local files of the articles `which` into `out` (`serve
/// --drafts` writes its previews' files with it); returns the files
/// written and the problems.
pub fn write_article_files(
    index: &Index,
    which: &[usize],
    out: &dyn Writer,
) -> (Vec<String>, Vec<Diagnostic>) {
    let (_, files, problems) = write_files(index, which, out);
    (files, problems)
}

/// Writes the local files of the articles `which`; returns the work done,
/// the files written and the problems.
fn write_files(
    index: &Index,
    which: &[usize],
    out: &dyn Writer,
) -> (VariantStats, Vec<String>, Vec<Diagnostic>) {
    let bodies = &index.body_renderer;
    let site = index.site;
    let widths = &site.config.content.images.widths;
    let results: Vec<(VariantStats, Vec<String>, Vec<Diagnostic>)> = which
        .par_iter()
        .map(|&i| {
            let article = &site.articles[i];
            let source_dir = article.content_path.parent().unwrap_or(Path::new(""));
            let page = file_for(&index.urls, &bodies.folder_url(article));
            let folder = page.trim_end_matches("index.html");
            let mut stats = VariantStats::default();
            let mut written = Vec::new();
            let mut problems = Vec::new();
            for local in markdown::local_files(article.body(), source_dir) {
                let Ok(probe) = bodies.files.probe(&local.path) else {
                    continue;
                };
                let name = local.path.to_string_lossy();
                let outputs = assets::outputs(&name, &probe, widths);
                let shown = format!("content/{}", local.path.display());
                let path = bodies.files.path(&local.path);
                match assets::variants(&path, &probe, &outputs, &index.image_cache, &mut stats) {
                    Ok(all) => {
                        for (output, bytes) in outputs.iter().zip(all) {
                            let rel = format!("{folder}{}", output.name);
                            match out.write(&rel, &bytes) {
                                Ok(()) => written.push(rel),
                                // The same bytes under two names in one
                                // article (`a.png`, `./img/../a.png`).
                                Err(OutputError::Collision(_)) => {}
                                Err(e) => problems.push(Diagnostic::error(
                                    "output",
                                    &shown,
                                    e.to_string(),
                                )),
                            }
                        }
                    }
                    Err(why) => problems.push(
                        Diagnostic::error("image", &shown, why)
                            .hint("open the file in an image editor and save it again"),
                    ),
                }
            }
            (stats, written, problems)
        })
        .collect();
    let mut total = VariantStats::default();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (stats, written, found) in results {
        total.encoded += stats.encoded;
        total.reused += stats.reused;
        files.extend(written);
        problems.extend(found);
    }
    (total, files, problems)
}
