//! The output manifest, `public/.healthpress/manifest.json`: the public
//! URLs of the build, so that the next `check` can tell when a published
//! article's URL or short link would change and nothing redirects the old
//! one (`review::moved`). It lists public articles only (id, URL, and a
//! digest of the source path, so an article without `id:` is recognised
//! without naming files), and every redirect the build wrote; nothing of
//! an article that is not public. The `.healthpress/` folder is
//! healthpress's own.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::index::Index;
use super::redirect_table::Redirect;

/// Bumped when the shape changes; a manifest of another version is ignored.
pub const MANIFEST_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub version: u32,
    pub articles: Vec<ManifestArticle>,
    #[serde(default)]
    pub redirects: Vec<ManifestRedirect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestArticle {
    /// The short link id (`id:`, or the slug when it had none).
    pub id: String,
    /// Whether `id:` was written in the front matter.
    pub id_declared: bool,
    /// Root-relative URL.
    pub url: String,
    /// [`source_digest`] of the source file's path.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRedirect {
    pub from: String,
    pub to: String,
    pub status: u16,
}

/// A short, stable digest of a site-relative source path.
pub fn source_digest(source: &std::path::Path) -> String {
    let path = source.to_string_lossy().replace('\\', "/");
    let digest = Sha256::digest(path.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest of `index`'s public articles and `redirects`, as pretty
/// JSON, sorted so two builds of one input give the same bytes.
pub fn manifest_json(index: &Index, redirects: &[Redirect]) -> Vec<u8> {
    let site = index.site;
    let mut articles: Vec<ManifestArticle> = index
        .published
        .iter()
        .map(|&i| {
            let a = &site.articles[i];
            ManifestArticle {
                id: a.short_id().to_string(),
                id_declared: a.id.is_some(),
                url: index.urls.article(&a.slug),
                source: source_digest(&a.source),
            }
        })
        .collect();
    articles.sort_by(|a, b| a.url.cmp(&b.url));
    let mut redirects: Vec<ManifestRedirect> = redirects
        .iter()
        .map(|r| ManifestRedirect {
            from: r.from.clone(),
            to: r.to.clone(),
            status: r.kind.status(),
        })
        .collect();
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    let manifest = Manifest {
        generator: "healthpress".into(),
        version: MANIFEST_VERSION,
        articles,
        redirects,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    json.push(b'\n');
    json
}

/// Reads the manifest at `path`, if there is one of this version.
pub fn read_manifest(path: &std::path::Path) -> Option<Manifest> {
    let bytes = std::fs::read(path).ok()?;
    let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
    (manifest.generator == "healthpress" && manifest.version == MANIFEST_VERSION)
        .then_some(manifest)
}
