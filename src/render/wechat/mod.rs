//! WeChat Official Account (公众号) posts, internal, in `editorial/`: every
//! public article ready to paste into the 公众号 editor, and each
//! newsletter segment's latest issue as one post.
//!
//! ```text
//! editorial/wechat/index.html                  every post, for the editor
//! editorial/wechat/<slug>/index.html           preview + "复制到公众号"
//! editorial/wechat/<slug>/wechat.html          exactly what the button copies
//! editorial/wechat/issues/<segment>/…          this week's post of a segment
//! public/articles/<slug>/qr.png                the QR code the post shows
//! ```
//!
//! A post ([`post`]) is themed by templates and then reduced to what the
//! editor keeps: inline styles only, links turned into numbered references
//! ([`transform`]). Only public articles get a post (they are taken from
//! `index.published` and issues of published articles), and its frame
//! (labels, disclaimer, people) is checked by the site's compliance lint:
//! an error there leaves the article without a post, never the site
//! without a build. [`WechatPosts`] and [`QrImages`] are the renderers;
//! [`article_document`] serves `healthpress wechat`.

mod issue;
pub mod post;
pub mod posts;
pub mod transform;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Writer;
use crate::render::changes::Extent;
use crate::render::index::Index;
use crate::render::qr;
use crate::render::renderer::{Folder, Part, Rendered, Renderer, Scope};

use post::document;

/// Pixels per module of the post's QR image: a version-3 code (a typical
/// article URL) is 29 + 8 quiet-zone modules, 148 px, sharp at 120-160 px.
const QR_MODULE_PX: u32 = 4;
pub use posts::{
    post_files, qr_file, read_more_url, ArticleFiles, IndexEntry, Posts, FOLDER, QR_FILE,
};

/// The renderer of each public article's QR image (`qr.png` beside its
/// page, in `public/`): the post links to it by absolute URL because the
/// 公众号 editor fetches pasted images from their address.
pub struct QrImages;

impl Renderer for QrImages {
    fn name(&self) -> &'static str {
        "qr-images"
    }

    fn depends_on(&self) -> &'static [Part] {
        &[Part::PublicArticles, Part::Config]
    }

    /// Every public article's image; after an edit, those of the changed
    /// articles (an image encodes the article's URL, nothing else), and
    /// the images of articles no longer public removed.
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let chosen: &[usize] = match scope {
            Scope::Everything => &index.published,
            Scope::Edit(edit) => {
                rendered.partial = true;
                for (_, slug) in &edit.diff.gone {
                    rendered.removed.push(qr_file(index, slug));
                }
                &edit.reach(index).changed_now
            }
        };
        let drawn: Vec<Result<(String, Vec<u8>), Diagnostic>> = chosen
            .par_iter()
            .map(|&i| {
                let article = &index.site.articles[i];
                qr::png(
                    &read_more_url(index, &article.slug),
                    QR_MODULE_PX,
                    &index.qr_masks,
                )
                .map(|png| (qr_file(index, &article.slug), png))
                .map_err(|e| Diagnostic::error("qr-code", &article.source, e.to_string()))
            })
            .collect();
        let mut files = Vec::new();
        for result in drawn {
            match result {
                Ok(file) => files.push(file),
                // Confined: the article keeps its page, only the post's
                // picture is missing.
                Err(d) => rendered.confined.push(d),
            }
        }
        rendered
            .removed
            .retain(|r| !files.iter().any(|(p, _)| p == r));
        rendered.write_all(out, files, false);
        rendered
    }
}

/// The renderer of `editorial/wechat/`: every public article's post and
/// each segment's latest issue as one post.
pub struct WechatPosts;

impl Renderer for WechatPosts {
    fn name(&self) -> &'static str {
        "wechat"
    }

    fn folder(&self) -> Folder {
        Folder::Editorial
    }

    fn depends_on(&self) -> &'static [Part] {
        &[
            Part::PublicArticles,
            Part::Config,
            Part::Calendar,
            Part::Theme,
        ]
    }

    /// Every post, the issue posts and the list. After an edit: the posts
    /// of the changed articles and of the articles that link to one that
    /// appeared, vanished or moved (a post shows its own article and the
    /// URLs it links to, nothing of other articles), every issue post and
    /// the list (a few pages), and the posts of articles no longer public
    /// or at another slug, and of segments with no issue now, removed.
    fn render(&self, index: &Index, scope: &Scope, out: &dyn Writer) -> Rendered {
        let mut rendered = Rendered::default();
        let mut laps = crate::timings::Laps::new("    wechat: ");
        let posts = match Posts::new(index) {
            Ok(posts) => posts,
            Err(d) => {
                rendered.problems.push(d);
                return rendered;
            }
        };
        // The list shows each post's title, date and slug: as they were
        // after an edit that kept every card and place (a body edit).
        let mut list_unchanged = false;
        let chosen: Vec<usize> = match scope {
            Scope::Everything => index.published.clone(),
            Scope::Edit(edit) => {
                rendered.partial = true;
                for (_, slug) in &edit.diff.gone {
                    rendered.removed.extend(post_files(slug));
                }
                for newsletter in &index.site.calendar.newsletters {
                    let dir = format!("{FOLDER}/issues/{}", newsletter.segment);
                    rendered.removed.push(format!("{dir}/index.html"));
                    rendered.removed.push(format!("{dir}/wechat.html"));
                }
                let reach = edit.reach(index);
                list_unchanged = reach.extent == Extent::OwnPage;
                let mut chosen: Vec<usize> = reach
                    .changed_now
                    .iter()
                    .chain(&reach.linking)
                    .copied()
                    .collect();
                chosen.retain(|&i| index.cards[i].is_some());
                chosen.sort_unstable();
                chosen.dedup();
                chosen
            }
        };
        // Each article's files are written as they are made: held until
        // the end, the 10k posts of a large site took 700 MB.
        let results: Vec<(Vec<String>, Vec<Diagnostic>, Option<Diagnostic>)> = chosen
            .par_iter()
            .map(|&i| {
                let (found, problem): ArticleFiles = posts.article_files(i);
                let mut paths = Vec::with_capacity(found.len());
                let mut failed = Vec::new();
                for (path, bytes) in found {
                    if let Err(e) = out.write(&path, &bytes) {
                        failed.push(Diagnostic::error("output", &path, e.to_string()));
                    }
                    paths.push(path);
                }
                (paths, failed, problem)
            })
            .collect();
        let mut written: Vec<String> = Vec::new();
        for (paths, failed, problem) in results {
            written.extend(paths);
            rendered.problems.extend(failed);
            rendered.confined.extend(problem);
        }
        laps.lap("posts");
        let mut files = Vec::new();
        let (issues, problems) = issue::segment_posts(&posts);
        laps.lap("issue posts");
        rendered.confined.extend(problems);
        let mut issue_entries = Vec::new();
        for found in issues {
            issue_entries.push(found.entry);
            files.extend(found.files);
        }
        if !list_unchanged {
            let entries: Vec<IndexEntry> = index
                .published
                .iter()
                .map(|&i| {
                    let a = &index.site.articles[i];
                    IndexEntry {
                        title: a.title.clone(),
                        date: a.date.to_string(),
                        href: format!("{}/", a.slug),
                    }
                })
                .collect();
            match posts.index_page(&entries, &issue_entries) {
                Ok(html) => files.push((format!("{FOLDER}/index.html"), html.into_bytes())),
                Err(d) => rendered.problems.push(d),
            }
        }
        laps.lap("list");
        let pages = written
            .iter()
            .chain(files.iter().map(|(p, _)| p))
            .filter(|p| p.ends_with("index.html"))
            .count();
        let produced: std::collections::HashSet<&str> = written
            .iter()
            .chain(files.iter().map(|(p, _)| p))
            .map(String::as_str)
            .collect();
        rendered.removed.retain(|r| !produced.contains(r.as_str()));
        drop(produced);
        rendered.files.extend(written);
        rendered.write_all(out, files, false);
        rendered.pages = pages;
        rendered
    }
}

/// `healthpress wechat`: the copyable post of the public article at
/// `target` (a path to its file, or its slug), as an HTML document whose
/// body is exactly what the button copies. Errors are sentences for the CLI.
pub fn article_document(index: &Index, target: &str) -> Result<String, String> {
    let site = index.site;
    let wanted = std::path::Path::new(target);
    let found = site.articles.iter().position(|a| {
        a.slug == target
            || a.source == wanted
            || site.root.join(&a.source) == wanted
            || a.content_path == wanted
    });
    let Some(i) = found.or_else(|| {
        let canonical = wanted.canonicalize().ok()?;
        site.articles
            .iter()
            .position(|a| site.root.join(&a.source).canonicalize().ok() == Some(canonical.clone()))
    }) else {
        return Err(format!(
            "no article `{target}`: give the path of its Markdown file or its slug"
        ));
    };
    let article = &site.articles[i];
    if !site.states[i].is_public() {
        return Err(format!(
            "{} is not public (its state is {:?}): only published articles have a WeChat post",
            article.source.display(),
            site.states[i]
        ));
    }
    let posts = Posts::new(index).map_err(|d| d.to_string())?;
    let post = posts.article_post(i).map_err(|d| d.to_string())?;
    Ok(document(&article.title, &article.lang, &post))
}
