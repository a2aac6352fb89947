//! Redirects: the URLs that must keep working after an article moves. For
//! every article that is public, or was public and left a tombstone, the
//! build writes
//!
//! - its short link `/s/<id>/` (what QR codes on posters encode),
//! - a page at each of its `aliases:` (old URLs),
//! - a page at the URL older versions derived from its file name, when the
//!   phrase-aware pinyin now derives another slug (issue 11: a changed
//!   derived slug comes with an alias),
//!
//! each a small HTML page (`redirect.html`: meta refresh, canonical link and
//! a plain link, so it works on any static host) pointing at the article's
//! current URL, where the article or its tombstone is. The same mapping
//! goes to `/_redirects` for hosts that read it (Netlify, Cloudflare Pages),
//! after the site's own `static/_redirects` rules, if any. Articles that
//! were never public get nothing: no page, no line, nothing in the manifest.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::aliases::{alias_file, alias_key};
use crate::model::slug::legacy_slugify;
use crate::output::Writer;

use super::index::Index;
use super::listing::file_for;
use super::manifest::manifest_json;
use super::page::{page_context, PageMeta};
use super::renderer::{Part, Rendered, Renderer, Scope};

/// Where the manifest of public URLs goes (see `render::manifest`).
pub const MANIFEST_FILE: &str = ".healthpress/manifest.json";

/// What kind of old or short URL a redirect serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectKind {
    /// `/s/<id>/`: may point elsewhere after a slug change, so hosts
    /// answer 302 (not cached for ever).
    ShortLink,
    /// An old URL from `aliases:`: moved for good, 301.
    Alias,
    /// The URL earlier versions derived from the file name: 301.
    DerivedSlug,
}

impl RedirectKind {
    pub fn status(self) -> u16 {
        match self {
            RedirectKind::ShortLink => 302,
            RedirectKind::Alias | RedirectKind::DerivedSlug => 301,
        }
    }
}

/// One redirect: from a root-relative URL to an article's URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    pub from: String,
    /// The file serving `from`, relative to the output folder.
    #[serde(skip)]
    pub file: String,
    pub to: String,
    pub kind: RedirectKind,
    /// Index of the article in `site.articles`.
    #[serde(skip)]
    pub article: usize,
}

/// Every redirect of the site as of its day, in article order (short link,
/// then aliases), for public and tombstoned articles only.
pub fn redirect_table(index: &Index) -> Vec<Redirect> {
    let site = index.site;
    let urls = &index.urls;
    let live: Vec<usize> = (0..site.articles.len())
        .filter(|&i| {
            site.states[i].is_public() || site.articles[i].tombstone_date(site.today).is_some()
        })
        .collect();
    let slugs: BTreeSet<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    let written: BTreeSet<String> = site
        .articles
        .iter()
        .flat_map(|a| a.aliases.iter().map(|x| alias_key(x)))
        .collect();
    let mut table = Vec::new();
    for i in live {
        let article = &site.articles[i];
        let to = urls.article(&article.slug);
        let from = urls.short_link(article.short_id());
        table.push(Redirect {
            file: file_for(urls, &from),
            from,
            to: to.clone(),
            kind: RedirectKind::ShortLink,
            article: i,
        });
        for alias in &article.aliases {
            let key = alias_key(alias);
            table.push(Redirect {
                from: format!("{}{}", urls.base_path, key.trim_start_matches('/')),
                file: alias_file(alias),
                to: to.clone(),
                kind: RedirectKind::Alias,
                article: i,
            });
        }
        if let Some(old) = legacy_slug(article) {
            // Never over a real article or an alias someone wrote.
            let key = format!("/articles/{old}/");
            if !slugs.contains(old.as_str()) && !written.contains(&key) {
                let from = urls.article(&old);
                table.push(Redirect {
                    file: file_for(urls, &from),
                    from,
                    to: to.clone(),
                    kind: RedirectKind::DerivedSlug,
                    article: i,
                });
            }
        }
    }
    table
}

/// The slug versions before 0.2 derived from the file name, when the
/// article has no `slug:` and today's derivation differs.
pub fn legacy_slug(article: &crate::model::Article) -> Option<String> {
    if article.positions.find("slug", None).is_some() {
        return None;
    }
    let stem = article.content_path.file_stem()?.to_str()?;
    let old = legacy_slugify(stem);
    (!old.is_empty() && old != article.slug && crate::model::slug::slug_problem(&old).is_none())
        .then_some(old)
}

#[derive(Debug, Serialize)]
struct RedirectView<'a> {
    /// Root-relative target.
    to: &'a str,
    /// Absolute target (the canonical URL).
    canonical: String,
}

/// The redirect pages, `_redirects` and the manifest (see the module
/// documentation).
pub struct Redirects;

impl Renderer for Redirects {
    fn name(&self) -> &'static str {
        "redirects"
    }

    /// Which articles are public or tombstoned, their ids, slugs and
    /// aliases; the site's own `static/_redirects`.
    fn depends_on(&self) -> &'static [Part] {
        &[
            Part::AnyArticle,
            Part::Config,
            Part::Theme,
            Part::StaticFiles,
        ]
    }

    /// Small and few: always renders everything.
    fn render(&self, index: &Index, _scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let table = redirect_table(index);
        let mut pages = Vec::with_capacity(table.len());
        for redirect in &table {
            match redirect_page(index, redirect) {
                Ok(html) => pages.push((redirect.file.clone(), html.into_bytes())),
                Err(d) => rendered.problems.push(d),
            }
        }
        rendered.write_all(out, pages, false);
        let own = std::fs::read_to_string(index.site.root.join("static/_redirects")).ok();
        let files = vec![
            (
                "_redirects".to_string(),
                redirects_file(&table, own.as_deref()).into_bytes(),
            ),
            (MANIFEST_FILE.to_string(), manifest_json(index, &table)),
        ];
        rendered.write_all(out, files, false);
        rendered.counts.push(("redirects", table.len()));
        rendered
    }
}

/// The page at `redirect.from`.
fn redirect_page(index: &Index, redirect: &Redirect) -> Result<String, Diagnostic> {
    let article = &index.site.articles[redirect.article];
    let labels = index
        .theme
        .public_labels_for(&article.lang, &index.site.config.language);
    let meta = PageMeta {
        title: labels
            .get("redirect_title")
            .cloned()
            .unwrap_or_else(|| "Moved".into()),
        description: String::new(),
        path: redirect.to.clone(),
        lang: article.lang.clone(),
        feed: None,
    };
    let mut ctx = page_context(index, &meta);
    ctx.insert(
        "redirect",
        &RedirectView {
            to: &redirect.to,
            canonical: index.urls.absolute(&redirect.to),
        },
    );
    index.theme.render("redirect.html", &ctx)
}

/// `_redirects`: the site's own rules first (the first match wins), then
/// one line per redirect: `from to status`.
pub fn redirects_file(table: &[Redirect], own: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(own) = own.filter(|o| !o.trim().is_empty()) {
        text.push_str("# The site's own rules (static/_redirects)\n");
        text.push_str(own.trim_end());
        text.push_str("\n\n");
    }
    text.push_str("# Written by healthpress: short links and old URLs of articles.\n");
    for r in table {
        text.push_str(&format!("{} {} {}\n", r.from, r.to, r.kind.status()));
    }
    text
}
