//! What the WeChat renderer's posts share: where each post's files go,
//! the URL readers are sent to ("阅读原文") and its QR image, and
//! [`Posts`], one render's state (the public link resolver, the compliance
//! lint and the frames already checked), which renders article posts and
//! the preview and list pages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::compliance::Linter;
use crate::diagnostics::Diagnostic;
use crate::render::index::{Index, PublicLinks};

use super::post::{article_view, base_context, document, frame_of, render_post, ARTICLE_TEMPLATE};
use super::transform;

/// Folder of the posts inside `editorial/`.
pub const FOLDER: &str = "wechat";
/// The preview page of a post (button, fallback textarea).
pub const PAGE_TEMPLATE: &str = "wechat/page.html";
/// The list of every post.
pub const INDEX_TEMPLATE: &str = "wechat/index.html";
/// Name of the QR image beside each public article's page.
pub const QR_FILE: &str = "qr.png";

/// The URL a post sends readers to ("阅读原文") and its QR code encodes:
/// the article's page, absolute.
pub fn read_more_url(index: &Index, slug: &str) -> String {
    index.urls.absolute(&index.urls.article(slug))
}

/// Path of an article's QR image, relative to `public/`.
pub fn qr_file(index: &Index, slug: &str) -> String {
    let url = index.urls.article(slug);
    let rel = url.strip_prefix(&index.urls.base_path).unwrap_or(&url);
    format!("{}{QR_FILE}", rel.trim_start_matches('/'))
}

/// One post's files, relative to `editorial/`.
pub fn post_files(slug: &str) -> [String; 2] {
    [
        format!("{FOLDER}/{slug}/index.html"),
        format!("{FOLDER}/{slug}/wechat.html"),
    ]
}

/// One line of the posts' list.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub title: String,
    pub date: String,
    /// Relative to `editorial/wechat/`.
    pub href: String,
}

/// What one render of the posts shares: the public link resolver, the
/// compliance lint and the frames it has already checked.
pub struct Posts<'a> {
    pub index: &'a Index<'a>,
    pub resolver: PublicLinks<'a>,
    linter: Arc<Linter>,
    /// Each distinct article frame's errors, keyed by its view and
    /// language: most articles share one (same people, same language).
    frames: Mutex<HashMap<String, Vec<Diagnostic>>>,
    /// [`base_context`] by language, built once: each post copies it
    /// rather than serializing the ~200 labels again.
    bases: Mutex<HashMap<String, tera::Context>>,
}

impl<'a> Posts<'a> {
    pub fn new(index: &'a Index<'a>) -> Result<Posts<'a>, Diagnostic> {
        let config = &index.site.config;
        // The model's own linter when it has one (every command that opens
        // the site through `build::open_site`); building one is costly.
        let linter = match &index.site.linter {
            Some(linter) => Arc::clone(linter),
            None => linter_for(&config.compliance, &config.contact).map_err(|e| {
                Diagnostic::error("compliance-config", "site.yaml", format!("compliance: {e}"))
            })?,
        };
        Ok(Posts {
            index,
            resolver: PublicLinks::new(index.site, &index.urls),
            linter,
            frames: Mutex::new(HashMap::new()),
            bases: Mutex::new(HashMap::new()),
        })
    }

    /// The template context of a post or page in `lang`: the site, the
    /// labels and `key` -> `view`.
    fn context(&self, lang: &str, key: &str, view: &impl Serialize) -> tera::Context {
        let known = self.bases.lock().ok().and_then(|b| b.get(lang).cloned());
        let mut ctx = known.unwrap_or_else(|| {
            let base = base_context(self.index, lang);
            if let Ok(mut bases) = self.bases.lock() {
                bases.insert(lang.to_string(), base.clone());
            }
            base
        });
        ctx.insert(key, view);
        ctx
    }

    /// Lints the text a template and site.yaml add to a post (`frame`, a
    /// rendered post without the article's own text); the errors found,
    /// each naming `shown` (the post's file) and the template.
    pub fn lint_frame(&self, frame: &str, shown: &str) -> Vec<Diagnostic> {
        // The visible text only: the head's <style> is not shown.
        let text = transform::text_of(&transform::clean(transform::body_of(frame)));
        let text = text.split_whitespace().collect::<Vec<_>>().join("\n");
        let found = self.linter.scan(std::path::Path::new(shown), &text);
        found
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()
    }

    /// Article `i`'s post, checked: `Err` when it cannot be rendered or the
    /// lint finds an error in its frame (the article then has no post).
    pub fn article_post(&self, i: usize) -> Result<String, Diagnostic> {
        let index = self.index;
        let article = &index.site.articles[i];
        let read_more = read_more_url(index, &article.slug);
        let qr_src = index
            .urls
            .absolute(&format!("{}{QR_FILE}", index.urls.article(&article.slug)));
        let view = article_view(index, i, &self.resolver, read_more, qr_src);
        let shown = format!("editorial/{}", post_files(&article.slug)[1]);
        // Rendered and linted once per distinct frame.
        let frame = frame_of(&view);
        let key = serde_json::to_string(&frame).unwrap_or_default() + &view.lang;
        let frame_errors = self.frames.lock().ok().and_then(|f| f.get(&key).cloned());
        let frame_errors = match frame_errors {
            Some(known) => known,
            None => {
                let frame_ctx = self.context(&view.lang, "wx", &frame);
                let html = index.theme.render(ARTICLE_TEMPLATE, &frame_ctx)?;
                let found = self.lint_frame(&html, &shown);
                if let Ok(mut frames) = self.frames.lock() {
                    frames.insert(key, found.clone());
                }
                found
            }
        };
        if let Some(error) = frame_errors.into_iter().next() {
            return Err(withheld(&article.source.display().to_string(), &error));
        }
        render_post(
            index,
            ARTICLE_TEMPLATE,
            &self.context(&view.lang, "wx", &view),
        )
    }

    /// Article `i`'s files: its preview page, and `wechat.html` unless the
    /// post could not be made; then the page says why, and the problem is
    /// returned too.
    pub fn article_files(&self, i: usize) -> ArticleFiles {
        let article = &self.index.site.articles[i];
        let [page, copy] = post_files(&article.slug);
        let (post, problem) = match self.article_post(i) {
            Ok(post) => (Some(post), None),
            Err(d) => (None, Some(d)),
        };
        let shown = post.as_deref().unwrap_or("");
        let why = problem.as_ref().map(|d| d.to_string());
        let mut files = Vec::new();
        match self.page(&article.title, &article.lang, shown, "../", why) {
            Ok(html) => files.push((page, html.into_bytes())),
            Err(d) => return (files, Some(d)),
        }
        if let Some(post) = post {
            let doc = document(&article.title, &article.lang, &post);
            files.push((copy, doc.into_bytes()));
        }
        (files, problem)
    }

    /// The preview page of a post: the post as the editor will show it,
    /// the copy button and the HTML in a textarea. `home` is the relative
    /// URL of the posts' list.
    pub fn preview_page(
        &self,
        title: &str,
        lang: &str,
        post: &str,
        home: &str,
    ) -> Result<String, Diagnostic> {
        self.page(title, lang, post, home, None)
    }

    /// The preview page, or with `problem` the page saying why there is
    /// no post.
    fn page(
        &self,
        title: &str,
        lang: &str,
        post: &str,
        home: &str,
        problem: Option<String>,
    ) -> Result<String, Diagnostic> {
        let index = self.index;
        let view = PageView {
            title: title.to_string(),
            lang: lang.to_string(),
            post: post.to_string(),
            home: home.to_string(),
            problem,
        };
        let ctx = self.context(&index.site.config.language, "page", &view);
        index.theme.render(PAGE_TEMPLATE, &ctx)
    }

    pub fn index_page(
        &self,
        articles: &[IndexEntry],
        issues: &[IndexEntry],
    ) -> Result<String, Diagnostic> {
        let index = self.index;
        let mut ctx = self.context(&index.site.config.language, "articles", &articles);
        ctx.insert("issues", issues);
        index.theme.render(INDEX_TEMPLATE, &ctx)
    }
}

/// A linter for a model made without one (`Site::from_parts`, as tests and
/// library users do): the last one built is kept for the same settings, so
/// many builds of one site build it once.
fn linter_for(
    config: &crate::compliance::ComplianceConfig,
    contacts: &[String],
) -> Result<Arc<Linter>, String> {
    static LAST: Mutex<Option<(String, Arc<Linter>)>> = Mutex::new(None);
    let key = format!("{config:?}{contacts:?}");
    if let Some((k, linter)) = LAST.lock().ok().as_deref().and_then(Option::as_ref) {
        if *k == key {
            return Ok(Arc::clone(linter));
        }
    }
    let linter = Arc::new(Linter::new(config, contacts)?);
    if let Ok(mut last) = LAST.lock() {
        *last = Some((key, Arc::clone(&linter)));
    }
    Ok(linter)
}

/// What the preview page template receives as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub lang: String,
    /// The post, exactly as copied.
    pub post: String,
    pub home: String,
    /// Why there is no post (the page then shows this instead).
    pub problem: Option<String>,
}

/// An article's files (path relative to `editorial/`, bytes) and the
/// problem that kept it from having a post.
pub type ArticleFiles = (Vec<(String, Vec<u8>)>, Option<Diagnostic>);

/// The diagnostic for a post left out because the lint found `error` in
/// what the template or site.yaml add to it.
fn withheld(file: &str, error: &Diagnostic) -> Diagnostic {
    Diagnostic::error(
        "wechat-withheld",
        file,
        format!(
            "no WeChat post: the text the WeChat template and site.yaml add to it fails the compliance lint: {error}"
        ),
    )
    .hint("fix the wording in themes/<theme>/templates/wechat/ or site.yaml (disclaimer, people)")
}
