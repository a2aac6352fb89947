//! Themes are data. The built-in theme (`themes/default/` in this repository)
//! is compiled into the binary so a site works without copying it; a site's
//! own `themes/<name>/` files override it file by file. Templates render with
//! autoescaping whatever their extension, because Tera only escapes
//! `.html`/`.xml` names by default and a `digest.txt` template would
//! otherwise pass `<script>` straight through.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::html::escape_html;

pub use super::theme_errors::error_chain;
use super::theme_errors::Origins;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the built-in theme, by path inside the theme folder.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "i18n.yaml",
    "templates/base.html",
    "templates/macros.html",
    "templates/index.html",
    "templates/article.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/404.html",
    "templates/tombstone.html",
    // Site search (docs/search.md).
    "templates/search.html",
    "templates/atom.xml",
    "templates/sitemap.xml",
    "templates/robots.txt",
    // Digests (docs/digests.md).
    "templates/digest.html",
    "templates/digest_list.html",
    "templates/digest_email.html",
    "templates/digest_email.txt",
    "templates/editorial/base.html",
    "templates/editorial/macros.html",
    "templates/editorial/schedule.html",
    "templates/editorial/review.html",
    "templates/editorial/editorial.css",
    "static/style.css",
    "static/syntax.css",
    "static/favicon.svg",
    "static/search.js",
];

/// Prefixes of the label keys only the editorial views use (schedule,
/// review dashboard, calendar feed).
pub const EDITORIAL_LABELS: [&str; 3] = ["ed_", "gap_", "state_"];

type LabelsByLang = BTreeMap<String, BTreeMap<String, String>>;

fn pick_labels<'t>(
    labels: &'t LabelsByLang,
    lang: &str,
    fallback: &str,
) -> &'t BTreeMap<String, String> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    let primary = lang.split('-').next().unwrap_or(lang);
    labels
        .get(lang)
        .or_else(|| labels.get(primary))
        .or_else(|| {
            labels
                .iter()
                .find(|(k, _)| k.split('-').next() == Some(primary))
                .map(|(_, v)| v)
        })
        .or_else(|| labels.get(fallback))
        .unwrap_or(&EMPTY)
}

/// A loaded theme: compiled templates, UI labels per language, static files.
pub struct Theme {
    pub tera: Tera,
    /// language tag -> label key -> text
    pub labels: LabelsByLang,
    /// `labels` without the editorial views' keys ([`EDITORIAL_LABELS`]):
    /// what public pages get, since every page's context carries its labels.
    public_labels: LabelsByLang,
    /// Output path under `static/` -> bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for errors naming the file and line.
    origins: Origins,
}

impl Theme {
    /// Loads the built-in theme, then the site's `themes/<name>/` over it.
    pub fn load(site_root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(p, b)| {
                (
                    p.to_string(),
                    (PathBuf::from(format!("(built-in theme)/{p}")), b.to_vec()),
                )
            })
            .collect();
        let dir = site_root.join("themes").join(name);
        let mut overridden = std::collections::BTreeSet::new();
        let mut problems = Vec::new();
        if dir.is_dir() {
            for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let key = rel.to_string_lossy().replace('\\', "/");
                let shown = Path::new("themes").join(name).join(rel);
                // The same rule as content/ and static/: an error, not a skip.
                if entry.path_is_symlink() {
                    problems.push(crate::load::symlink_refused(&shown));
                    continue;
                }
                if !entry.file_type().is_file() {
                    continue;
                }
                match fs::read(entry.path()) {
                    Ok(bytes) => {
                        overridden.insert(key.clone());
                        files.insert(key, (shown, bytes));
                    }
                    Err(e) => {
                        problems.push(Diagnostic::error("io", &shown, format!("cannot read: {e}")))
                    }
                }
            }
        } else if name != "default" {
            problems.push(
                Diagnostic::error(
                    "missing-theme",
                    "site.yaml",
                    format!("theme `{name}` not found in themes/{name}/"),
                )
                .hint("remove `theme:` to use the built-in theme, or create the folder"),
            );
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![""]);
        tera.set_escape_fn(escape_html);
        let mut templates = Vec::new();
        let mut origins = Origins::default();
        let mut labels: LabelsByLang = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for (key, (shown, bytes)) in &files {
            if let Some(name) = key.strip_prefix("templates/") {
                match crate::load::decode_utf8(shown, bytes.clone()) {
                    Ok(text) => {
                        let from_site = overridden.contains(key).then(|| shown.clone());
                        origins.insert(name, from_site, &text);
                        templates.push((name.to_string(), text));
                    }
                    Err(d) => problems.push(d),
                }
            } else if let Some(name) = key.strip_prefix("static/") {
                static_files.insert(name.to_string(), bytes.clone());
            } else if key == "i18n.yaml" {
                let parsed = crate::load::decode_utf8(shown, bytes.clone()).and_then(|text| {
                    crate::config::yaml::parse(shown, crate::load::strip_bom(&text), 1)
                });
                match parsed {
                    Ok(parsed) => labels = parsed,
                    Err(d) => problems.push(d),
                }
            }
        }
        // Each template parsed on its own first: every syntax error at its
        // file and line in one run, not only the first Tera meets.
        let syntax = origins.syntax_errors();
        if !syntax.is_empty() {
            problems.extend(syntax);
        } else if let Err(e) = tera.add_raw_templates(templates) {
            problems.push(origins.link_error(name, &e));
        }
        let public_labels = labels
            .iter()
            .map(|(lang, map)| {
                let public = map
                    .iter()
                    .filter(|(key, _)| !EDITORIAL_LABELS.iter().any(|p| key.starts_with(p)))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                (lang.clone(), public)
            })
            .collect();
        if problems.is_empty() {
            Ok(Theme {
                tera,
                labels,
                public_labels,
                static_files,
                origins,
            })
        } else {
            Err(problems)
        }
    }

    /// UI labels for `lang`: exact tag, then its primary subtag (`en-GB` ->
    /// `en`), then `fallback` (the site language).
    pub fn labels_for(&self, lang: &str, fallback: &str) -> &BTreeMap<String, String> {
        pick_labels(&self.labels, lang, fallback)
    }

    /// [`Theme::labels_for`] without the editorial views' labels, for the
    /// public pages' contexts.
    pub fn public_labels_for(&self, lang: &str, fallback: &str) -> &BTreeMap<String, String> {
        pick_labels(&self.public_labels, lang, fallback)
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| self.origins.render_error(template, &e))
    }

    /// Like `render`, as bytes for a file: skips checking that the output
    /// is UTF-8 again to make a `String` (~5% of a 10k build's CPU).
    pub fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| self.origins.render_error(template, &e))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_autoescapes_whatever_its_extension() {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![""]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(vec![("digest.txt", "{{ x }}"), ("page.tera", "{{ x }}")])
            .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<script>alert('x')</script>");
        for name in ["digest.txt", "page.tera"] {
            let out = tera.render(name, &ctx).unwrap();
            assert_eq!(out, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
        }
    }

    #[test]
    fn built_in_theme_loads() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        assert!(theme.tera.get_template_names().any(|n| n == "article.html"));
        assert!(theme.labels_for("en-GB", "zh-Hans").contains_key("home"));
        assert!(theme.static_files.contains_key("style.css"));
    }
}
