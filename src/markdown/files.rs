//! The local files an article embeds or links to: images (`![x](a.png)`),
//! videos with their captions and poster, and downloads (`[x](a.pdf)`),
//! as paths relative to `content/`. The renderer decides with the same
//! functions, so this list is exactly what a build publishes for the
//! article; the sign-off fingerprint hashes the same files.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use super::links::{resolve_path, scheme_of};
use crate::assets::{kind_of, FileKind};

/// One local file of an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalRef {
    /// Path relative to `content/`, e.g. `kids/img/chart.png`.
    pub path: PathBuf,
    /// Published only if it exists: the captions (`clip.vtt`) and poster
    /// (`clip.jpg`, `clip.png`) looked for beside a video.
    pub optional: bool,
    /// Byte offset in the body of the image or link that names it.
    pub offset: usize,
}

/// What a link or image destination names.
pub(crate) enum Target {
    /// Not a local file: a URL, an absolute path, a fragment, an article.
    NotLocal,
    /// A path that climbs out of `content/`.
    Escapes,
    /// A file relative to the article, normalized, relative to `content/`.
    File(PathBuf),
}

/// Classifies a destination. Every relative image is a local file; a
/// relative link is one only when its extension is of a published kind
/// (`handout.pdf`), so `[x](foo\):)` or `[x](about)` stay plain links.
pub(crate) fn target(dest: &str, source_dir: &Path, image: bool) -> Target {
    let trimmed = dest.trim();
    if trimmed.is_empty()
        || scheme_of(trimmed).is_some()
        || trimmed.starts_with(['/', '\\', '#', '?'])
    {
        return Target::NotLocal;
    }
    let path = trimmed.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return Target::NotLocal;
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") {
        return Target::NotLocal;
    }
    if !image && kind_of(path).is_none() {
        return Target::NotLocal;
    }
    match resolve_path(source_dir, path) {
        Some(p) => Target::File(p),
        None => Target::Escapes,
    }
}

/// The files looked for beside a video: captions, then posters.
pub(crate) fn video_siblings(video: &Path) -> [PathBuf; 3] {
    ["vtt", "jpg", "png"].map(|ext| video.with_extension(ext))
}

/// Every local file `body` (in folder `source_dir` of `content/`) embeds
/// or links to, in order of appearance, each once.
pub fn local_files(body: &str, source_dir: &Path) -> Vec<LocalRef> {
    let mut found: Vec<LocalRef> = Vec::new();
    let mut push = |path: PathBuf, optional: bool, offset: usize| {
        if !found.iter().any(|f| f.path == path) {
            found.push(LocalRef {
                path,
                optional,
                offset,
            });
        }
    };
    // A self-hosted `<video>` block names its files in HTML (read as the
    // renderer reads it): collected while inside an HTML block.
    let mut block: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(body, super::render::options()).into_offset_iter() {
        match (&event, &mut block) {
            (Event::Start(Tag::HtmlBlock), _) => block = Some((String::new(), range.start)),
            (Event::Html(h) | Event::Text(h), Some((text, _))) => text.push_str(h),
            (Event::End(pulldown_cmark::TagEnd::HtmlBlock), Some((text, at))) => {
                let at = *at;
                if let Some(video) = super::raw_video::parse(text) {
                    let local: Vec<PathBuf> = video
                        .addresses()
                        .iter()
                        .filter_map(|a| match target(a, source_dir, true) {
                            Target::File(p) => Some(p),
                            _ => None,
                        })
                        .collect();
                    // Only a video all of whose files are local is one.
                    if local.len() == video.addresses().len() {
                        for path in local {
                            push(path, false, at);
                        }
                    }
                }
                block = None;
            }
            _ => {}
        }
        let (dest, image) = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            _ => continue,
        };
        if let Target::File(path) = target(dest, source_dir, image) {
            let video = image && kind_of(&path.to_string_lossy()) == Some(FileKind::Video);
            push(path.clone(), false, range.start);
            if video {
                for sibling in video_siblings(&path) {
                    push(sibling, true, range.start);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_images_downloads_and_video_companions_once() {
        let body = "![图](img/a.png) ![again](./img/a.png)\n\n[handout](../handout.pdf) [art](other.md) [web](https://x.org/a.png) [weird](foo\\):) ![abs](/static/logo.png)\n\n![演示](clip.mp4)\n\n```\n![not](code.png)\n```\n";
        let files = local_files(body, Path::new("kids"));
        let paths: Vec<(String, bool)> = files
            .iter()
            .map(|f| (f.path.to_string_lossy().into_owned(), f.optional))
            .collect();
        assert_eq!(
            paths,
            [
                ("kids/img/a.png".to_string(), false),
                ("handout.pdf".to_string(), false),
                ("kids/clip.mp4".to_string(), false),
                ("kids/clip.vtt".to_string(), true),
                ("kids/clip.jpg".to_string(), true),
                ("kids/clip.png".to_string(), true),
            ]
        );
    }
}
