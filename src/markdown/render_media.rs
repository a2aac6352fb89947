//! The parts of the event pass that deal with more than text: images and
//! videos (local files probed and published under content-hashed names),
//! links to local downloads, callouts (`[!EMERGENCY]` is found here, since
//! pulldown-cmark only knows GitHub's five kinds) and video embeds.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Quote, Renderer, HELD_CLOSE, HELD_OPEN};
use crate::assets::{outputs, FileKind, Probe};
use crate::diagnostics::Diagnostic;
use crate::markdown::callouts::{self, Kind as CalloutKind};
use crate::markdown::files::{self, Target};
use crate::markdown::links::{self, LinkKind};
use crate::markdown::{embeds, media, raw_video};

impl<'a> Renderer<'a, '_> {
    /// Pushes markup that must not pass through the sanitizer (it is put
    /// back after it) as a sentinel.
    fn push_held(&mut self, markup: String) {
        let n = self.held.len();
        self.held.push(markup);
        self.out.push(Event::Html(CowStr::from(format!(
            "{HELD_OPEN}{n}{HELD_CLOSE}"
        ))));
    }

    fn probe(&self, path: &std::path::Path) -> Option<Result<Probe, crate::assets::FileProblem>> {
        self.input.settings.files.map(|f| f.probe(path))
    }

    /// The published URL of local file `path` (its source, hashed name).
    fn file_url(&self, path: &std::path::Path, probe: &Probe) -> String {
        let name = path.to_string_lossy();
        let first = outputs(&name, probe, &[]).remove(0);
        format!("{}{}", self.input.settings.asset_base, first.name)
    }

    /// A link to a local download (`[讲义](handout.pdf)`): `Some(Some(url))`
    /// to link to the published copy, `Some(None)` when the file is missing
    /// (text only, with an error), `None` when the link is not to a local
    /// file.
    pub(super) fn local_link(&mut self, dest: &str, offset: usize) -> Option<Option<CowStr<'a>>> {
        match files::target(dest, self.input.source_dir, false) {
            Target::NotLocal => None,
            Target::Escapes => {
                let d = Diagnostic::error(
                    "broken-link",
                    self.input.file,
                    format!("link `{dest}` points outside the content directory: its text is shown without a link"),
                )
                .hint("keep the file next to the article (or in a subfolder of its folder) and link to it relatively");
                self.push_diagnostic(d, offset);
                Some(None)
            }
            Target::File(path) => match self.probe(&path)? {
                Ok(probe) => {
                    let mut url = self.file_url(&path, &probe);
                    if let Some(fragment) = dest.split_once('#').map(|x| x.1) {
                        url.push('#');
                        url.push_str(fragment);
                    }
                    Some(Some(CowStr::from(url)))
                }
                Err(problem) => {
                    let d = Diagnostic::error(
                        "missing-file",
                        self.input.file,
                        format!(
                            "link to {}: its text is shown without a link",
                            problem.message
                        ),
                    )
                    .hint(problem.hint);
                    self.push_diagnostic(d, offset);
                    Some(None)
                }
            },
        }
    }

    /// Emits the image collected in `self.image`.
    pub(super) fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        let settings = self.input.settings;
        let decorative = image.title.trim().eq_ignore_ascii_case(media::DECORATIVE);
        let title = (!decorative).then_some(image.title.as_ref());
        let alt = image.alt.trim().to_string();
        let offset = image.offset;
        let dest = image.dest.as_ref();
        // A dropped image keeps its description as text.
        let shown = alt.clone();
        let as_text = |r: &mut Self| r.out.push(Event::Text(CowStr::from(shown.clone())));
        if let LinkKind::Unsafe { scheme } = links::classify(dest, settings.link_schemes) {
            let d = links::unsafe_link(
                self.input.file,
                dest,
                &scheme,
                "image",
                settings.link_schemes,
            );
            self.push_diagnostic(d, offset);
            return as_text(self);
        }
        let target = files::target(dest, self.input.source_dir, true);
        let probe = match &target {
            Target::Escapes => {
                let d = Diagnostic::error(
                    "missing-image",
                    self.input.file,
                    format!("image `{dest}` points outside the content directory: its description is shown instead"),
                )
                .hint("keep images next to the article (or in a subfolder of its folder)");
                self.push_diagnostic(d, offset);
                return as_text(self);
            }
            Target::File(path) => self.probe(path),
            Target::NotLocal => {
                // A URL under an article's address (`/articles/x/a.png`)
                // names that article: judged like a link.
                let problem = self.urls.as_ref().and_then(|u| u.check(dest).err());
                if let Some(problem) = problem {
                    let (keep, d) =
                        links::problem_diagnostic(problem, self.input, dest, "image", None);
                    self.push_diagnostic(d, offset);
                    if keep.is_none() {
                        return as_text(self);
                    }
                }
                None
            }
        };
        let probe = match probe {
            Some(Ok(p)) => Some(p),
            Some(Err(problem)) => {
                let d = Diagnostic::error(
                    "missing-image",
                    self.input.file,
                    format!(
                        "image {}: its description is shown instead",
                        problem.message
                    ),
                )
                .hint(problem.hint);
                self.push_diagnostic(d, offset);
                return as_text(self);
            }
            None => None,
        };
        let is_video = probe.as_ref().is_some_and(|p| p.kind == FileKind::Video);
        if decorative && is_video {
            let d = Diagnostic::error(
                "image-alt",
                self.input.file,
                format!(
                    "video `{dest}` is marked decorative, but a video always needs a description"
                ),
            )
            .hint("describe what the video shows: ![洗手六步法演示](handwash.mp4)");
            self.push_diagnostic(d, offset);
        } else if !decorative {
            if let Some(problem) = media::alt_problem(&alt, dest) {
                let what = if is_video { "video" } else { "image" };
                let d = Diagnostic::error(
                    "image-alt",
                    self.input.file,
                    format!("{what} `{dest}` {problem}; screen-reader users get nothing from it"),
                )
                .hint("describe what the image shows in the brackets, ![浴室马桶旁的扶手](handrail.png); a purely decorative image is written ![](divider.png \"decorative\")");
                self.push_diagnostic(d, offset);
            }
        }
        let alt = if decorative {
            String::new()
        } else {
            alt.clone()
        };
        let lazy = self.images_shown > 0;
        self.images_shown += 1;
        let (Target::File(path), Some(probe)) = (&target, probe) else {
            let html = media::plain_image_html(dest, &alt, title, lazy);
            self.out.push(Event::Html(CowStr::from(html)));
            return;
        };
        match probe.kind {
            FileKind::Raster(_) => {
                let html = media::image_html(
                    settings.asset_base,
                    &path.to_string_lossy(),
                    &probe,
                    settings.image_widths,
                    &alt,
                    title,
                    lazy,
                );
                self.out.push(Event::Html(CowStr::from(html)));
            }
            FileKind::Video => self.video(path, &probe, &alt, offset),
            _ => {
                let d = Diagnostic::error(
                    "missing-image",
                    self.input.file,
                    format!(
                        "`{dest}` is not an image or a video: its description is shown instead"
                    ),
                )
                .hint(format!("link to it instead: [{alt}]({dest})"));
                self.push_diagnostic(d, offset);
                as_text(self);
            }
        }
    }

    fn video(&mut self, path: &std::path::Path, probe: &Probe, alt: &str, offset: usize) {
        let [vtt, jpg, png] = files::video_siblings(path);
        let found = |r: &Self, p: &std::path::Path| match r.probe(p) {
            Some(Ok(probe)) => Some(r.file_url(p, &probe)),
            _ => None,
        };
        let captions = found(self, &vtt);
        let poster = found(self, &jpg).or_else(|| found(self, &png));
        if captions.is_none() {
            let name = vtt
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let d = Diagnostic::warning(
                "video-captions",
                self.input.file,
                format!("video `{}` has no captions: deaf and hard-of-hearing readers, and anyone watching without sound, miss what is said", path.display()),
            )
            .hint(format!("put a WebVTT captions file named `{name}` next to the video"));
            self.push_diagnostic(d, offset);
        }
        let settings = self.input.settings;
        let src = self.file_url(path, probe);
        let html = media::video_html(
            &media::VideoParts {
                src: &src,
                captions: captions.as_deref(),
                poster: poster.as_deref(),
                lang: settings.lang,
                captions_label: settings.label("video_captions", "Captions"),
                download_label: settings.label("video_download", "Download the video: "),
            },
            alt,
        );
        self.push_held(html);
    }

    /// At the end of a blockquote: closes a callout, or turns a plain
    /// quote that starts with `[!EMERGENCY]` into the emergency box.
    pub(super) fn end_quote(&mut self) {
        match self.quotes.pop() {
            Some(Quote::Alert) => self
                .out
                .push(Event::Html(CowStr::Borrowed(callouts::CLOSE))),
            Some(Quote::Plain(start, offset)) => {
                if !callouts::take_emergency_marker(&mut self.out[start..]) {
                    self.out.push(Event::End(TagEnd::BlockQuote(None)));
                    return;
                }
                let number = self.input.settings.emergency_number;
                if number.is_none() {
                    let d = Diagnostic::error(
                        "emergency-number",
                        self.input.file,
                        "an [!EMERGENCY] box needs the emergency number, and site.yaml has none",
                    )
                    .hint("add `content: { emergency_number: \"120\" }` to site.yaml");
                    self.push_diagnostic(d, offset);
                }
                let open = callouts::open(CalloutKind::Emergency, self.input.settings, number);
                self.out[start] = Event::Html(CowStr::from(open));
                self.out
                    .push(Event::Html(CowStr::Borrowed(callouts::CLOSE)));
            }
            None => self.out.push(Event::End(TagEnd::BlockQuote(None))),
        }
    }

    /// At the end of a paragraph: if it is nothing but a link to a video of
    /// an allowlisted host, replaces it with the player. Returns true then.
    pub(super) fn embed_paragraph(&mut self) -> bool {
        let Some(start) = self.paragraph.take() else {
            return false;
        };
        let allowed = self.input.settings.embeds;
        let n = self.out.len();
        if allowed.is_empty()
            || n < start + 3
            || !matches!(self.out[n - 1], Event::End(TagEnd::Link))
        {
            return false;
        }
        let Event::Start(Tag::Link { dest_url, .. }) = &self.out[start + 1] else {
            return false;
        };
        let inner = &self.out[start + 2..n - 1];
        if inner
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)))
        {
            return false;
        }
        let Some(video) = embeds::recognise(dest_url, allowed, self.input.settings.embed_hosts)
        else {
            return false;
        };
        let mut title = String::new();
        let mut poster = None;
        for event in inner {
            match event {
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                Event::Html(h) if h.starts_with("<img") => {
                    poster = Some(h.to_string());
                    if let Some(alt) = h.split("alt=\"").nth(1).and_then(|a| a.split('"').next()) {
                        if title.is_empty() {
                            title = unescape(alt);
                        }
                    }
                }
                _ => {}
            }
        }
        let mut title = title.trim().to_string();
        if title.is_empty() {
            title = if self.zh() { "视频" } else { "Video" }.to_string();
        }
        let html = embeds::html(&video, &title, poster.as_deref(), self.zh());
        self.out.truncate(start);
        self.push_held(html);
        true
    }

    /// Whether the article is in Chinese (for the embed's link wording).
    fn zh(&self) -> bool {
        !self.input.settings.lang.starts_with("en")
    }

    /// An HTML block that is a video player's embed code as the host
    /// gives it (`<iframe src="//player.bilibili.com/...">`): rebuilt as
    /// healthpress's own sandboxed player. Returns true if it was one.
    pub(super) fn pasted_player(&mut self, html: &str, offset: usize) -> bool {
        let trimmed = html.trim();
        let allowed = self.input.settings.embeds;
        if allowed.is_empty()
            || !trimmed
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("<iframe"))
            || trimmed.matches('<').count() > 2
        {
            return false;
        }
        let attr = |name: &str| {
            let at = trimmed.find(&format!(" {name}=\""))?;
            let value = &trimmed[at + name.len() + 3..];
            value.split('"').next().map(unescape)
        };
        let Some(video) = attr("src")
            .and_then(|src| embeds::recognise(&src, allowed, self.input.settings.embed_hosts))
        else {
            return false;
        };
        let title = attr("title").unwrap_or_default();
        if title.trim().is_empty() {
            let d = Diagnostic::warning(
                "embed-title",
                self.input.file,
                "the video player has no title, so screen readers announce it only as a frame",
            )
            .hint("put the video page's link alone in a paragraph instead: [洗手六步法](https://www.bilibili.com/video/BV...)");
            self.push_diagnostic(d, offset);
        }
        let title = if title.trim().is_empty() {
            if self.zh() { "视频" } else { "Video" }.to_string()
        } else {
            title
        };
        let markup = embeds::html(&video, title.trim(), None, self.zh());
        self.push_held(markup);
        true
    }
}

/// Self-hosted `<video>` blocks ([`raw_video`]), beside the image-syntax
/// videos above.
impl Renderer<'_, '_> {
    /// An HTML block that is a self-hosted `<video>` with local sources,
    /// poster and `<track>`s: rebuilt with the published files. Returns
    /// true if it was one (a missing file is an error at the block).
    pub(super) fn pasted_video(&mut self, html: &str, offset: usize) -> bool {
        let Some(video) = raw_video::parse(html) else {
            return false;
        };
        let mut urls = Vec::new();
        for address in video.addresses() {
            let Target::File(path) = files::target(address, self.input.source_dir, true) else {
                return false; // remote or escaping: the sanitizer's case
            };
            let url = match self.probe(&path) {
                Some(Ok(probe)) => self.file_url(&path, &probe),
                Some(Err(problem)) => {
                    let d = Diagnostic::error(
                        "missing-image",
                        self.input.file,
                        format!("video {}: the video is left out", problem.message),
                    )
                    .hint(problem.hint);
                    self.push_diagnostic(d, offset);
                    return true;
                }
                None => address.to_string(),
            };
            urls.push(url);
        }
        let settings = self.input.settings;
        let title = match &video.title {
            Some(title) => title.clone(),
            None => {
                let d = Diagnostic::error(
                    "image-alt",
                    self.input.file,
                    "the video has no title: screen-reader users get nothing from it",
                )
                .hint("describe what the video shows: <video src=\"handwash.mp4\" title=\"洗手六步法演示\">");
                self.push_diagnostic(d, offset);
                if self.zh() { "视频" } else { "Video" }.to_string()
            }
        };
        if video.tracks.is_empty() {
            let d = Diagnostic::warning(
                "video-captions",
                self.input.file,
                "the video has no captions: deaf and hard-of-hearing readers, and anyone watching without sound, miss what is said",
            )
            .hint("add <track kind=\"captions\" src=\"clip.vtt\" srclang=\"zh-Hans\" label=\"中文字幕\"> with a WebVTT file next to the article");
            self.push_diagnostic(d, offset);
        }
        let mut urls = urls.into_iter();
        let sources: Vec<String> = urls.by_ref().take(video.sources.len()).collect();
        let poster = video.poster.as_ref().and_then(|_| urls.next());
        let tracks = video
            .tracks
            .iter()
            .zip(urls)
            .map(|(track, url)| raw_video::PublishedTrack { url, track })
            .collect();
        let markup = raw_video::html(&raw_video::Published {
            sources,
            poster,
            tracks,
            title: &title,
            playback: &video.playback,
            lang: settings.lang,
            captions_label: settings.label("video_captions", "Captions"),
            download_label: settings.label("video_download", "Download the video: "),
        });
        self.push_held(markup);
        true
    }
}

/// Undoes the escaping of an attribute value written by us or an author.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
