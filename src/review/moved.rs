//! URLs that must not break: `check`'s rules on short link ids and on
//! published URLs that move. An article without `id:` gets a hint with an
//! id to write down (its slug while it is public, since `/s/<slug>/` is
//! the short link already served and maybe printed; a fresh short id
//! otherwise). Against the manifest of the last build
//! (`public/.healthpress/manifest.json`, see `render::manifest`), a public
//! article whose URL changed without an alias for the old one, or whose
//! short link changed, is warned about, and so is a published URL that no
//! article serves any more.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::model::aliases::alias_key;
use crate::model::shortlink::generate_id;
use crate::model::Site;
use crate::render::manifest::{read_manifest, source_digest, Manifest, ManifestArticle};
use crate::render::redirect_table::{legacy_slug, MANIFEST_FILE};
use crate::render::views::Urls;

/// The rules of this module: id, severity, what it means.
pub const MOVED_RULES: &[(&str, &str, &str)] = &[
    ("missing-id", "warning", "the article has no `id:`: its short link /s/<slug>/ would move with its slug"),
    ("slug-changed", "warning", "a published article's URL differs from the last build's and no alias covers the old one"),
    ("short-link-changed", "warning", "a published article's short link /s/<id>/ differs from the last build's (printed QR codes would break)"),
    ("published-url-gone", "warning", "a URL published by the last build is served by no article now"),
];

/// Every finding of this module for `site` (as of its day), reading the
/// manifest in `public_dir` if there is one.
pub fn check_moved(site: &Site, public_dir: &Path) -> Vec<Diagnostic> {
    let mut out = missing_ids(site);
    if let Some(manifest) = read_manifest(&public_dir.join(MANIFEST_FILE)) {
        out.extend(against_manifest(site, &manifest));
    }
    out
}

fn missing_ids(site: &Site) -> Vec<Diagnostic> {
    let mut taken: BTreeSet<String> = site
        .articles
        .iter()
        .map(|a| a.short_id().to_string())
        .collect();
    let mut out = Vec::new();
    // A site that has not started using ids keeps slug-based short links
    // and is not told so on every article of every check; once one article
    // declares an id, the others are asked for theirs.
    if site.articles.iter().all(|a| a.id.is_none()) {
        return out;
    }
    for (i, a) in site.articles.iter().enumerate() {
        if a.id.is_some() {
            continue;
        }
        // Public, or withdrawn with a tombstone: /s/<slug>/ is served now
        // and may be printed, so that is the id to keep.
        let served = site.states[i].is_public() || a.tombstone_date(site.today).is_some();
        let (suggested, why) = if served {
            (
                a.slug.clone(),
                format!("it keeps the short link /s/{}/ that is served now", a.slug),
            )
        } else {
            let id = generate_id(&a.source.to_string_lossy(), |id| taken.contains(id));
            (
                id,
                "a short id makes a smaller QR code and a short printed link".to_string(),
            )
        };
        taken.insert(suggested.clone());
        out.push(
            Diagnostic::warning(
                "missing-id",
                &a.source,
                format!(
                    "the article has no `id:`; its short link /s/{}/ (for QR codes) follows its slug and would move if the slug changed",
                    a.slug
                ),
            )
            .at(1, 1)
            .hint(format!("add `id: {suggested}` to the front matter ({why}); an id never changes afterwards")),
        );
    }
    out
}

/// The manifest entry of article `i`: by declared id, then by source
/// file, then by URL.
fn entry_of<'m>(
    manifest: &'m Manifest,
    site: &Site,
    urls: &Urls,
    i: usize,
) -> Option<&'m ManifestArticle> {
    let a = &site.articles[i];
    let source = source_digest(&a.source);
    let url = urls.article(&a.slug);
    a.id.as_deref()
        .and_then(|id| {
            manifest
                .articles
                .iter()
                .find(|e| e.id_declared && e.id == id)
        })
        .or_else(|| manifest.articles.iter().find(|e| e.source == source))
        .or_else(|| manifest.articles.iter().find(|e| e.url == url))
}

fn against_manifest(site: &Site, manifest: &Manifest) -> Vec<Diagnostic> {
    let urls = Urls::new(&site.config);
    let mut out = Vec::new();
    let mut served: BTreeSet<String> = BTreeSet::new();
    for (i, a) in site.articles.iter().enumerate() {
        let live = site.states[i].is_public() || a.tombstone_date(site.today).is_some();
        if !live {
            continue;
        }
        let url = urls.article(&a.slug);
        served.insert(url.clone());
        let covered: BTreeSet<String> = a
            .aliases
            .iter()
            .map(|x| format!("{}{}", urls.base_path, alias_key(x).trim_start_matches('/')))
            .chain(legacy_slug(a).map(|old| urls.article(&old)))
            .collect();
        served.extend(covered.iter().cloned());
        if !site.states[i].is_public() {
            continue;
        }
        let Some(entry) = entry_of(manifest, site, &urls, i) else {
            continue;
        };
        if entry.url != url && !covered.contains(&entry.url) {
            let (l, c) = a.positions.find("slug", None).unwrap_or((1, 1));
            let old = entry
                .url
                .strip_prefix(&urls.base_path)
                .unwrap_or(&entry.url);
            out.push(
                Diagnostic::warning(
                    "slug-changed",
                    &a.source,
                    format!("the last build published this article at {}; it moves to {url}, and the old URL would answer 404", entry.url),
                )
                .at(l, c)
                .hint(format!("add `aliases: [/{old}]` so links and bookmarks to the old URL redirect here (or keep the old slug)")),
            );
        }
        if entry.id != a.short_id() {
            let (l, c) = a.positions.find("id", None).unwrap_or((1, 1));
            out.push(
                Diagnostic::warning(
                    "short-link-changed",
                    &a.source,
                    format!(
                        "the last build served this article's short link at /s/{}/; it moves to /s/{}/, and QR codes printed with the old one would break",
                        entry.id,
                        a.short_id()
                    ),
                )
                .at(l, c)
                .hint(format!("write `id: {}` to keep the short link already printed and shared", entry.id)),
            );
        }
    }
    // An article still there but not public (a stale approval, say) has
    // its own findings; this is about URLs nothing serves any more.
    served.extend(site.articles.iter().map(|a| urls.article(&a.slug)));
    for entry in &manifest.articles {
        if !served.contains(&entry.url) {
            out.push(
                Diagnostic::warning(
                    "published-url-gone",
                    format!("public/{MANIFEST_FILE}"),
                    format!("the last build published {} (short link /s/{}/); no article serves that URL now, so it and its short link would answer 404", entry.url, entry.id),
                )
                .hint("to take advice down, keep the article with `withdrawn: <date>` (it leaves a tombstone); if it moved, add the old URL to the new article's `aliases:`"),
            );
        }
    }
    out
}
