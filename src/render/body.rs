//! Article bodies as every output renders them: the Markdown of one
//! article with the site's settings for bodies (site.yaml `content:`, the
//! theme's labels in the article's language) and its local files. Its own
//! module because both the published index (which keeps every public body
//! once rendered) and the pages that show bodies need it, and neither may
//! import the other. The files themselves are published by
//! [`super::bundles::BundleFiles`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::assets::{self, FileProblem, Probe};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkResolver, LocalFiles, MarkdownInput, Settings};
use crate::model::{Article, Site};

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

    /// Where `target` (relative to `content/`) is on disk.
    pub fn path(&self, target: &Path) -> PathBuf {
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
            embed_hosts: &config.content.embed_hosts,
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

    /// The site whose bodies this renders.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The URL folder of `article`'s files.
    pub fn folder_url(&self, article: &Article) -> String {
        self.urls.article(&article.slug)
    }
}
