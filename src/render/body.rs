//! Article bodies as every output renders them: the Markdown of one
//! article with the site's settings for bodies (site.yaml `content:`, the
//! theme's labels in the article's language) and its local files, and the
//! renderer that publishes those files (images with their responsive
//! variants, videos, captions, downloads) under the article's folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::assets::{self, FileProblem, Probe, VariantStats};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkResolver, LocalFiles, MarkdownInput, Settings};
use crate::model::{Article, Site};
use crate::output::Staging;

use super::theme::Theme;
use super::views::Urls;

/// The files of `content/`, probed at most once per build.
pub struct SiteFiles {
    content_dir: PathBuf,
    limits: crate::config::content::ImageLimits,
    probes: Mutex<HashMap<PathBuf, Result<Probe, FileProblem>>>,
}

impl SiteFiles {
    pub fn new(site: &Site) -> SiteFiles {
        SiteFiles {
            content_dir: site.root.join("content"),
            limits: site.config.content.images.clone(),
            probes: Mutex::new(HashMap::new()),
        }
    }

    fn path(&self, target: &Path) -> PathBuf {
        self.content_dir.join(target)
    }
}

impl LocalFiles for SiteFiles {
    fn probe(&self, target: &Path) -> Result<Probe, FileProblem> {
        if let Some(found) = self.probes.lock().ok().and_then(|p| p.get(target).cloned()) {
            return found;
        }
        let shown = format!("content/{}", target.display());
        // Probed outside the lock: reading and hashing may take a while.
        let found = assets::probe(&self.path(target), &shown, &self.limits);
        if let Ok(mut probes) = self.probes.lock() {
            probes.insert(target.to_path_buf(), found.clone());
        }
        found
    }
}

/// Renders article bodies with the site's settings.
pub struct BodyRenderer<'a> {
    site: &'a Site,
    theme: Option<&'a Theme>,
    urls: Urls,
    schemes: Vec<String>,
    pub files: SiteFiles,
}

impl<'a> BodyRenderer<'a> {
    /// `theme` gives the callout and video labels; without one (`check`
    /// before a theme loads) they are in English.
    pub fn new(site: &'a Site, theme: Option<&'a Theme>) -> BodyRenderer<'a> {
        BodyRenderer {
            site,
            theme,
            urls: Urls::new(&site.config),
            schemes: site.config.content.schemes(),
            files: SiteFiles::new(site),
        }
    }

    /// Renders the Markdown body of `article`.
    pub fn render(
        &self,
        article: &Article,
        resolver: &dyn LinkResolver,
    ) -> (markdown::Rendered, Vec<Diagnostic>) {
        let config = &self.site.config;
        let source_dir = article.content_path.parent().unwrap_or(Path::new(""));
        let asset_base = self.urls.article(&article.slug);
        let settings = Settings {
            link_schemes: &self.schemes,
            emergency_number: config.content.emergency_number.as_deref(),
            embeds: &config.content.embeds,
            labels: self
                .theme
                .map(|t| t.public_labels_for(&article.lang, &config.language)),
            files: Some(&self.files),
            image_widths: &config.content.images.widths,
            asset_base: &asset_base,
            lang: &article.lang,
        };
        let input = MarkdownInput {
            body: article.body(),
            body_line: article.body_line,
            file: &article.source,
            source_dir,
            settings: &settings,
        };
        markdown::render(&input, resolver)
    }

    /// Publishes the local files of the articles `which` into `out`, each
    /// under its article's folder, images with their variants (encoded
    /// once per source and width, then taken from the cache beside the
    /// output). Files that cannot be used were reported by the body.
    pub fn write_files(&self, which: &[usize], out: &Staging) -> (VariantStats, Vec<Diagnostic>) {
        let cache = assets::cache_dir(out.target());
        let widths = &self.site.config.content.images.widths;
        let results: Vec<(VariantStats, Vec<Diagnostic>)> = which
            .par_iter()
            .map(|&i| {
                let article = &self.site.articles[i];
                let source_dir = article.content_path.parent().unwrap_or(Path::new(""));
                let folder =
                    super::listing::file_for(&self.urls, &self.urls.article(&article.slug));
                let folder = folder.trim_end_matches("index.html").to_string();
                let mut stats = VariantStats::default();
                let mut problems = Vec::new();
                for local in markdown::local_files(article.body(), source_dir) {
                    let Ok(probe) = self.files.probe(&local.path) else {
                        continue;
                    };
                    let name = local.path.to_string_lossy();
                    let outputs = assets::outputs(&name, &probe, widths);
                    let shown = format!("content/{}", local.path.display());
                    match assets::variants(
                        &self.files.path(&local.path),
                        &probe,
                        &outputs,
                        &cache,
                        &mut stats,
                    ) {
                        Ok(bytes) => {
                            for (output, bytes) in outputs.iter().zip(bytes) {
                                let rel = format!("{folder}{}", output.name);
                                if let Err(e) = out.write(&rel, &bytes) {
                                    // Two names in one article for the same bytes.
                                    if !matches!(e, crate::output::OutputError::Collision(_)) {
                                        problems.push(Diagnostic::error(
                                            "output",
                                            &shown,
                                            e.to_string(),
                                        ));
                                    }
                                }
                            }
                        }
                        Err(why) => problems.push(
                            Diagnostic::error("image", &shown, why)
                                .hint("open the file in an image editor and save it again"),
                        ),
                    }
                }
                (stats, problems)
            })
            .collect();
        let mut total = VariantStats::default();
        let mut problems = Vec::new();
        for (stats, found) in results {
            total.encoded += stats.encoded;
            total.reused += stats.reused;
            problems.extend(found);
        }
        (total, problems)
    }
}
