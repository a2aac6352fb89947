//! Self-hosted `<video>` written as HTML, with captions: an HTML block
//! that is one `<video>` element holding only `<source>` and `<track>`
//! elements (and fallback text), every address in it a local file next to
//! the article:
//!
//! ```html
//! <video src="handwash.mp4" poster="handwash.jpg" title="洗手六步法演示">
//!   <track kind="captions" src="handwash.zh.vtt" srclang="zh-Hans" label="中文字幕" default>
//!   <track kind="subtitles" src="handwash.en.vtt" srclang="en" label="English">
//! </video>
//! ```
//!
//! The element is read here and rebuilt by healthpress (never passed on
//! as written), so only these attributes reach the page: the files are
//! published with content-hashed names like images and are part of what a
//! sign-off covers ([`super::files::local_files`] lists them from the same
//! reading). E-mails and feeds, which cannot play video, get the poster and
//! the download link instead ([`super::embeds::strip_players`]). Anything
//! else (a remote source, another element inside, an event handler) is not
//! a self-hosted video, and the sanitizer removes it with a warning.

use crate::html::escape_html;

/// A `<track>` as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Track {
    pub src: String,
    /// `captions`, `subtitles`, `descriptions` or `chapters`.
    pub kind: String,
    pub srclang: Option<String>,
    pub label: Option<String>,
    pub default: bool,
}

/// A `<video>` block as written: addresses still relative to the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawVideo {
    /// `src` of the video element, then of each `<source>`.
    pub sources: Vec<String>,
    pub poster: Option<String>,
    pub tracks: Vec<Track>,
    /// `title` or `aria-label`: what the video shows.
    pub title: Option<String>,
    pub playback: Playback,
}

/// How the player loads and plays, as the author wrote it on `<video>`:
/// only harmless attributes with a valid value (anything else is left
/// out, the player's defaults apply).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Playback {
    /// `none`, `metadata` or `auto` (default `metadata`: the player shows
    /// the length without downloading the video).
    pub preload: Option<&'static str>,
    /// Intrinsic size in pixels (no layout shift while the page loads).
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub playsinline: bool,
    pub muted: bool,
    pub looped: bool,
}

impl Playback {
    fn read(tag: &Tag) -> Playback {
        let size = |name: &str| {
            tag.attr(name)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|n| (1..=10_000).contains(n))
        };
        Playback {
            preload: tag.attr("preload").and_then(|v| {
                ["none", "metadata", "auto"]
                    .into_iter()
                    .find(|p| v.trim().eq_ignore_ascii_case(p))
            }),
            width: size("width"),
            height: size("height"),
            playsinline: tag.attr("playsinline").is_some(),
            muted: tag.attr("muted").is_some(),
            looped: tag.attr("loop").is_some(),
        }
    }

    /// The attributes after `controls`, each with its leading space.
    fn attributes(&self) -> String {
        let mut out = format!(" preload=\"{}\"", self.preload.unwrap_or("metadata"));
        if let Some(w) = self.width {
            out.push_str(&format!(" width=\"{w}\""));
        }
        if let Some(h) = self.height {
            out.push_str(&format!(" height=\"{h}\""));
        }
        for (on, name) in [
            (self.playsinline, " playsinline"),
            (self.muted, " muted"),
            (self.looped, " loop"),
        ] {
            if on {
                out.push_str(name);
            }
        }
        out
    }
}

impl RawVideo {
    /// Every file address the element names, in order: sources, poster,
    /// tracks.
    pub fn addresses(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.sources.iter().map(String::as_str).collect();
        all.extend(self.poster.as_deref());
        all.extend(self.tracks.iter().map(|t| t.src.as_str()));
        all
    }
}

const TRACK_KINDS: &[&str] = &["captions", "subtitles", "descriptions", "chapters"];

/// One tag of the block: its lower-cased name (with `/` for an end tag)
/// and attributes (names lower-cased, values entity-decoded).
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads `html` as a self-hosted video block, or `None` when it is not one
/// (another element, an attribute outside the list, no source).
pub(crate) fn parse(html: &str) -> Option<RawVideo> {
    let html = html.trim();
    if !html.get(..6)?.eq_ignore_ascii_case("<video") {
        return None;
    }
    let tags = tags(html)?;
    let (first, last) = (tags.first()?, tags.last()?);
    if first.name != "video" || last.name != "/video" {
        return None;
    }
    let mut video = RawVideo {
        sources: Vec::new(),
        poster: None,
        tracks: Vec::new(),
        title: None,
        playback: Playback::default(),
    };
    for (n, tag) in tags.iter().enumerate() {
        let allowed: &[&str] = match tag.name.as_str() {
            "video" if n == 0 => &[
                "src",
                "poster",
                "title",
                "aria-label",
                "controls",
                "preload",
                "width",
                "height",
                "playsinline",
                "muted",
                "loop",
            ],
            "source" => &["src", "type"],
            "track" => &["src", "kind", "srclang", "label", "default"],
            "/video" if n == tags.len() - 1 => &[],
            "/source" | "/track" => &[],
            _ => return None,
        };
        if tag
            .attrs
            .iter()
            .any(|(a, _)| !allowed.contains(&a.as_str()))
        {
            return None;
        }
        match tag.name.as_str() {
            "video" => {
                video.sources.extend(tag.attr("src").map(str::to_string));
                video.poster = tag.attr("poster").map(str::to_string);
                video.title = tag
                    .attr("title")
                    .or_else(|| tag.attr("aria-label"))
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty());
                video.playback = Playback::read(tag);
            }
            "source" => video.sources.push(tag.attr("src")?.to_string()),
            "track" => {
                let kind = tag.attr("kind").unwrap_or("subtitles").to_ascii_lowercase();
                if !TRACK_KINDS.contains(&kind.as_str()) {
                    return None;
                }
                video.tracks.push(Track {
                    src: tag.attr("src")?.to_string(),
                    kind,
                    srclang: tag.attr("srclang").map(str::to_string),
                    label: tag.attr("label").map(str::to_string),
                    default: tag.attr("default").is_some(),
                });
            }
            _ => {}
        }
    }
    (!video.sources.is_empty()).then_some(video)
}

/// The tags of `html`, or `None` if one cannot be read (a comment, an
/// unclosed quote, a `<` that starts no tag).
fn tags(html: &str) -> Option<Vec<Tag>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end_tag = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name_len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        if name_len == 0 {
            return None;
        }
        let name = body[..name_len].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut s = &body[name_len..];
        loop {
            s = s.trim_start();
            if let Some(after) = s.strip_prefix("/>").or_else(|| s.strip_prefix('>')) {
                rest = after;
                break;
            }
            let len = s.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'));
            let len = len.filter(|&l| l > 0)?;
            let attr = s[..len].to_ascii_lowercase();
            s = s[len..].trim_start();
            let value = if let Some(v) = s.strip_prefix('=') {
                let v = v.trim_start();
                let (value, after) = match v.chars().next()? {
                    q @ ('"' | '\'') => {
                        let close = v[1..].find(q)? + 1;
                        (&v[1..close], &v[close + 1..])
                    }
                    _ => {
                        let len = v
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len());
                        (&v[..len], &v[len..])
                    }
                };
                s = after;
                decode(value)
            } else {
                String::new()
            };
            attrs.push((attr, value));
        }
        out.push(Tag {
            name: if end_tag { format!("/{name}") } else { name },
            attrs,
        });
    }
    Some(out)
}

fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A published `<track>`: its URL and what the page says about it.
pub(crate) struct PublishedTrack<'a> {
    pub url: String,
    pub track: &'a Track,
}

/// The rebuilt element: published URLs for every file, the title as its
/// `aria-label`, the poster again (hidden; shown in e-mails and feeds) and
/// a download link after it.
pub(crate) struct Published<'a> {
    pub sources: Vec<String>,
    pub poster: Option<String>,
    pub tracks: Vec<PublishedTrack<'a>>,
    pub title: &'a str,
    pub playback: &'a Playback,
    /// The article's language (a track's default `srclang`).
    pub lang: &'a str,
    pub captions_label: &'a str,
    pub download_label: &'a str,
}

pub(crate) fn html(v: &Published) -> String {
    let attr = escape_html;
    let mut html = format!(
        "<video class=\"video\" controls{} aria-label=\"{}\"",
        v.playback.attributes(),
        attr(v.title)
    );
    if let Some(poster) = &v.poster {
        html.push_str(&format!(" poster=\"{}\"", attr(poster)));
    }
    html.push('>');
    for src in &v.sources {
        let ext = src.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let kind = match ext.as_str() {
            "webm" => "video/webm",
            _ => "video/mp4",
        };
        html.push_str(&format!("<source src=\"{}\" type=\"{kind}\">", attr(src)));
    }
    for t in &v.tracks {
        let lang = t.track.srclang.as_deref().unwrap_or(v.lang);
        let label = t.track.label.as_deref().unwrap_or(v.captions_label);
        html.push_str(&format!(
            "<track kind=\"{}\" src=\"{}\" srclang=\"{}\" label=\"{}\"{}>",
            attr(&t.track.kind),
            attr(&t.url),
            attr(lang),
            attr(label),
            if t.track.default { " default" } else { "" }
        ));
    }
    html.push_str("</video>");
    if let Some(poster) = &v.poster {
        html.push_str(&format!(
            "<span class=\"embed-poster\" hidden><img src=\"{}\" alt=\"{}\" loading=\"lazy\"></span>",
            attr(poster),
            attr(v.title)
        ));
    }
    html.push_str(&format!(
        " <a class=\"video-link\" href=\"{}\">{}{}</a>",
        attr(&v.sources[0]),
        attr(v.download_label),
        attr(v.title)
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_video_with_sources_poster_and_tracks() {
        let v = parse(
            "<video controls src=\"a.mp4\" poster='a.jpg' title=\"洗手 &amp; 演示\">\n  <source src=b.webm type=\"video/webm\">\n  <track kind=\"captions\" src=\"a.zh.vtt\" srclang=\"zh-Hans\" label=\"中文\" default>\n  <track src=\"a.en.vtt\">\n  您的浏览器不能播放视频。\n</video>\n",
        )
        .unwrap();
        assert_eq!(v.sources, ["a.mp4", "b.webm"]);
        assert_eq!(v.poster.as_deref(), Some("a.jpg"));
        assert_eq!(v.title.as_deref(), Some("洗手 & 演示"));
        assert_eq!(v.tracks.len(), 2);
        assert!(v.tracks[0].default && v.tracks[0].kind == "captions");
        assert_eq!(v.tracks[1].kind, "subtitles");
        assert_eq!(
            v.addresses(),
            ["a.mp4", "b.webm", "a.jpg", "a.zh.vtt", "a.en.vtt"]
        );
    }

    #[test]
    fn harmless_playback_attributes_are_kept_with_valid_values_only() {
        let v = parse("<video src=\"a.mp4\" title=\"t\" preload=\"NONE\" width=\"640\" height=\"360px\" playsinline muted loop controls></video>").unwrap();
        assert_eq!(
            v.playback,
            Playback {
                preload: Some("none"),
                width: Some(640),
                height: None,
                playsinline: true,
                muted: true,
                looped: true,
            }
        );
        assert_eq!(
            v.playback.attributes(),
            " preload=\"none\" width=\"640\" playsinline muted loop"
        );
        let v = parse("<video src=\"a.mp4\" title=\"t\" preload=\"x\"></video>").unwrap();
        assert_eq!(v.playback.attributes(), " preload=\"metadata\"");
    }

    #[test]
    fn anything_else_is_not_a_self_hosted_video() {
        for html in [
            "<video src=\"a.mp4\" onplay=\"alert(1)\"></video>",
            "<video src=\"a.mp4\"><script>x</script></video>",
            "<video src=\"a.mp4\"><img src=x></video>",
            "<video src=\"a.mp4\"><track kind=\"metadata\" src=\"a.vtt\"></video>",
            "<video></video>",
            "<video src=\"a.mp4\">",
            "<video src=\"a.mp4\"></video><p>x</p>",
            "<video src=\"a.mp4\"><!-- x --></video>",
            "<video src=\"a.mp4 ></video>",
            "<iframe src=\"a.mp4\"></iframe>",
        ] {
            assert!(parse(html).is_none(), "{html}");
        }
    }

    #[test]
    fn the_rebuilt_element_escapes_and_keeps_only_its_own_attributes() {
        let track = Track {
            src: "a.vtt".into(),
            kind: "captions".into(),
            srclang: None,
            label: Some("中文\"字幕".into()),
            default: true,
        };
        let html = html(&Published {
            sources: vec!["/articles/x/a.0123456789.mp4".into()],
            poster: Some("/articles/x/a.abcdef0123.jpg".into()),
            tracks: vec![PublishedTrack {
                url: "/articles/x/a.1111111111.vtt".into(),
                track: &track,
            }],
            title: "演示<b>",
            playback: &Playback::default(),
            lang: "zh-Hans",
            captions_label: "字幕",
            download_label: "下载视频：",
        });
        assert!(html.contains("<source src=\"/articles/x/a.0123456789.mp4\" type=\"video/mp4\">"));
        assert!(
            html.contains("srclang=\"zh-Hans\" label=\"中文&quot;字幕\" default>"),
            "{html}"
        );
        assert!(html.contains("aria-label=\"演示&lt;b&gt;\""), "{html}");
        assert!(html.contains("class=\"video-link\""));
    }
}
