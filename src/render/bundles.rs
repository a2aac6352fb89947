//! The renderer of the articles' own files (page bundles): every local
//! file a public article embeds or links to (images, videos and their
//! captions and posters, downloads), published under the article's folder
//! with the content-hashed names its body links to, raster images with
//! their narrower variants. Variants are encoded once per source and
//! width and then taken from the cache beside the output (see
//! [`crate::assets`]). A file that cannot be used was reported at its line
//! by the article's body; it is skipped here. Files of unpublished
//! articles are never written.

use std::path::Path;

use rayon::prelude::*;

use crate::assets::{self, VariantStats};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LocalFiles};
use crate::output::{OutputError, Writer};

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

    /// Always every public article's files: they are few next to pages,
    /// and unchanged variants come from the cache.
    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        if !index.publish_files {
            return rendered;
        }
        let (stats, files, problems) = write_files(index, &index.published, out);
        rendered.files = files;
        rendered.problems = problems;
        rendered.counts.push(("images encoded", stats.encoded));
        rendered
    }
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
