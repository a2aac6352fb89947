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

use std::collections::HashSet;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::output::Writer;

use super::changes::Edit;
use super::index::Index;
use super::manifest::manifest_json;
use super::page::{page_context, PageMeta};
pub use super::redirect_table::{
    legacy_slug, redirect_table, redirects_of, Redirect, RedirectKind, MANIFEST_FILE,
};
use super::renderer::{Part, Rendered, Renderer, Scope};

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

    /// Every page, `_redirects` and the manifest; after an edit, as far
    /// as [`reach`] says: nothing, the changed articles' pages (the gone
    /// ones removed) with `_redirects` and the manifest, or everything.
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let reach = match scope {
            Scope::Everything => Reach::All,
            Scope::Edit(edit) => reach(edit, index),
        };
        if reach == Reach::Nothing {
            // Every page, `_redirects` and the manifest are as they were.
            rendered.partial = true;
            return rendered;
        }
        let table = redirect_table(index);
        let chosen: Vec<&Redirect> = match scope {
            Scope::Edit(edit) if reach == Reach::OwnPages => {
                rendered.partial = true;
                let changed = &edit.diff.public;
                let of = |site: &Site, i: usize| changed.contains(&site.articles[i].content_path);
                let chosen: Vec<&Redirect> =
                    table.iter().filter(|r| of(index.site, r.article)).collect();
                let now: HashSet<&str> = chosen.iter().map(|r| r.file.as_str()).collect();
                let before = redirects_of(edit.old, &index.urls, |i| of(edit.old, i));
                let gone = before.into_iter().map(|r| r.file);
                rendered.removed = gone.filter(|f| !now.contains(f.as_str())).collect();
                chosen
            }
            _ => table.iter().collect(),
        };
        let mut pages = Vec::with_capacity(chosen.len());
        for redirect in chosen {
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

/// How far an edit reaches into the redirects.
#[derive(Debug, PartialEq, Eq)]
enum Reach {
    /// Every changed article existed before and after at the same place
    /// in the site's order (the table follows it, and it follows the
    /// dates), with the same slug, aliases, id, file, language, derived old
    /// slug, publicness (the manifest lists public articles) and tombstone
    /// (the table keeps tombstoned ones): nothing changed. A body edit.
    Nothing,
    /// Same slugs and aliases: only the changed articles' pages, plus
    /// `_redirects` and the manifest (another article's derived-slug page
    /// can only come or go when a slug or alias does).
    OwnPages,
    All,
}

fn reach(edit: &Edit, index: &Index) -> Reach {
    /// The article at `path`: its names, and the rest the redirects show.
    fn shown<'s>(
        site: &'s Site,
        path: &std::path::Path,
    ) -> Option<(impl PartialEq + 's, impl PartialEq + 's)> {
        let i = site.articles.iter().position(|a| a.content_path == path)?;
        let a = &site.articles[i];
        let live = (
            site.states[i].is_public(),
            a.tombstone_date(site.today).is_some(),
        );
        let names = (&a.slug, &a.aliases);
        let rest = (i, &a.id, &a.source, &a.lang, live, legacy_slug(a));
        Some((names, rest))
    }
    let mut reach = if edit.old.articles.len() == index.site.articles.len() {
        Reach::Nothing
    } else {
        Reach::OwnPages
    };
    for path in &edit.diff.public {
        let (before, after) = (shown(edit.old, path), shown(index.site, path));
        match (before, after) {
            (Some((b_names, b_rest)), Some((a_names, a_rest))) => {
                if b_names != a_names {
                    return Reach::All;
                }
                if b_rest != a_rest {
                    reach = Reach::OwnPages;
                }
            }
            _ => return Reach::All,
        }
    }
    reach
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
