//! Draft previews (`serve --drafts`): drafts, scheduled and in-review
//! articles written at their future URL in the serve folder with a "not
//! published" banner, with their own files (images, videos, downloads)
//! beside them as the files renderer would publish them. A preview feature of serve, not an output of the
//! build, so it is not a renderer: `build` never renders a draft.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::output::{OutputError, Writer};
use crate::render::article::render_article_page;
use crate::render::bundles::write_article_files;
use crate::render::index::{AnyLinks, Index};
use crate::render::listing::file_for;

use super::files::{remove_file_and_empty_dirs, write_if_changed};
use super::report::RebuildError;

/// Writes the draft/scheduled preview pages of `index.site` into
/// `public_dir` (callers check `--drafts`): those of the articles in `only`,
/// or all when `None`, plus any not yet written. Removes previews that no
/// longer apply and records the ones written in `draft_pages`. Returns
/// their warnings.
pub fn render_drafts(
    public_dir: &Path,
    draft_pages: &mut BTreeMap<String, String>,
    index: &Index,
    only: Option<&BTreeSet<PathBuf>>,
) -> Result<Vec<Diagnostic>, RebuildError> {
    let site = index.site;
    let resolver = AnyLinks::new(site, &index.urls);
    let mut pages = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut with_files = Vec::new();
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
                    with_files.push(i);
                }
                Err(d) => {
                    warnings.push(d);
                    continue;
                }
            }
        }
        pages.insert(path, state.label().to_string());
    }
    // Their images: unchanged bytes are not rewritten, unchanged variants
    // come from the cache. (Problems were reported by the pages.)
    let _ = write_article_files(index, &with_files, &ServeFolder(public_dir));
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

/// Writes into the serve folder, leaving files whose bytes are unchanged.
struct ServeFolder<'p>(&'p Path);

impl Writer for ServeFolder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_if_changed(self.0, rel, bytes)
            .map(|_| ())
            .map_err(|e| OutputError::Io {
                path: self.0.join(rel),
                source: std::io::Error::other(e.to_string()),
            })
    }
}
