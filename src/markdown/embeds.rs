//! Video players of allowlisted hosts (site.yaml `content: embeds:`; none
//! unless listed). A paragraph holding nothing but a link to a video page
//! (`[洗手六步法](https://www.bilibili.com/video/BV1GJ411x7h7)`, optionally
//! with a poster image as the link text) becomes the host's player in a
//! lazily loaded, cross-origin `<iframe>` with a title, followed by the same
//! link as text, for readers whose browser blocks the frame. E-mails and
//! feeds cannot play video: they get the link (and the poster, if given)
//! instead, see [`strip_players`].
//!
//! How a player is confined depends on the host ([`Framing`]): the
//! built-in players read their own cookies and storage, which a `sandbox`
//! without `allow-same-origin` forbids (they stop with a SecurityError),
//! and `allow-scripts` with `allow-same-origin` is what the HTML checker
//! rejects (for a same-origin frame it undoes the sandbox). So they get no
//! `sandbox` at all: the same-origin policy keeps them out of the page
//! (another origin), `allow=` delegates only fullscreen and
//! picture-in-picture, and the referrer policy sends the site's origin
//! only, never which article a reader is on. Site-defined hosts are
//! sandboxed without `allow-same-origin` unless site.yaml says otherwise.
//!
//! Only URLs of the known players are produced (from the video id), never
//! the address the author wrote, so nothing but the host's own player can
//! be framed. Hosts defined in site.yaml (`content: embed_hosts:`) work the
//! same way: their page patterns say where the id is, their player pattern
//! is filled in with it.

use crate::config::content::EmbedHost;
use crate::html::escape_html;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Video {
    /// `bilibili`, `tencent-video`, `youtube` or a site-defined host's
    /// name (site.yaml's names).
    pub host: String,
    /// The host's name as shown in Chinese and English pages.
    pub label_zh: String,
    pub label_en: String,
    /// The player's URL.
    pub player: String,
    /// The video's page, for the text link.
    pub page: String,
    /// How the player is confined.
    pub framing: Framing,
}

/// How a player's `<iframe>` is confined (docs/content.md, "Video embeds").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `sandbox` without `allow-same-origin`: the player runs in an opaque
    /// origin, with no cookies or storage, no forms, no top navigation.
    Sandboxed,
    /// No `sandbox`: the player keeps its own origin (its cookies and
    /// storage), which is never the site's, so it still cannot read or
    /// script the page; only `allow=` features are delegated.
    CrossOrigin,
}

impl Framing {
    /// The attributes that confine the frame. Both delegate only
    /// fullscreen and picture-in-picture (no autoplay, camera, location…)
    /// and send only the site's origin as the referrer (YouTube's player
    /// refuses to play without one, error 153).
    fn attributes(self) -> &'static str {
        match self {
            Framing::Sandboxed => {
                "sandbox=\"allow-scripts allow-presentation allow-popups allow-popups-to-escape-sandbox\" allow=\"fullscreen; picture-in-picture\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\""
            }
            Framing::CrossOrigin => {
                "allow=\"fullscreen; picture-in-picture\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\""
            }
        }
    }
}

/// A video of a built-in host.
fn built_in(host: &str, player: String, page: String) -> Video {
    let (zh, en) = match host {
        "bilibili" => ("哔哩哔哩", "Bilibili"),
        "tencent-video" => ("腾讯视频", "Tencent Video"),
        _ => ("YouTube", "YouTube"),
    };
    Video {
        host: host.to_string(),
        label_zh: zh.to_string(),
        label_en: en.to_string(),
        player,
        page,
        // YouTube's player reads document.cookie and stops with a
        // SecurityError in an opaque origin; Bilibili's does not load in
        // one (both fixed elsewhere by adding allow-same-origin). Tencent's
        // was not tried sandboxed; it is framed like the other two.
        framing: Framing::CrossOrigin,
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits `https://host/path?query` into (host, path, query) for the
/// schemes a video page uses.
fn parts(url: &str) -> Option<(&str, &str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (host_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = host_path
        .find('/')
        .map_or((host_path, ""), |i| (&host_path[..i], &host_path[i..]));
    Some((host, path, query))
}

fn query_value<'q>(query: &'q str, key: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|x| x.1))
}

/// The video a URL names, if it is a page or player of an allowed host:
/// a built-in one, or one of `custom` (site.yaml `embed_hosts`).
pub(crate) fn recognise(url: &str, allowed: &[String], custom: &[EmbedHost]) -> Option<Video> {
    recognise_built_in(url, allowed).or_else(|| {
        custom
            .iter()
            .filter(|h| allowed.contains(&h.name))
            .find_map(|h| recognise_custom(url, h))
    })
}

/// The video `url` names on the site-defined `host`: the URL matches one of
/// its page patterns (or its player pattern), `{id}` standing for an id.
fn recognise_custom(url: &str, host: &EmbedHost) -> Option<Video> {
    let url = url.split('#').next().unwrap_or(url);
    let id = host
        .pages
        .iter()
        .chain(std::iter::once(&host.player))
        .find_map(|pattern| {
            let (prefix, suffix) = pattern.split_once("{id}")?;
            let rest = url.strip_prefix(prefix).or_else(|| {
                // The same page over the other scheme, or scheme-relative.
                let bare = prefix.split_once("://")?.1;
                ["https://", "http://", "//"]
                    .iter()
                    .find_map(|s| url.strip_prefix(s)?.strip_prefix(bare))
            })?;
            let id = if suffix.is_empty() {
                rest.split(['?', '/']).next().unwrap_or(rest)
            } else {
                let at = rest.find(suffix)?;
                // Nothing but an optional query after the suffix.
                let after = &rest[at + suffix.len()..];
                if !(after.is_empty() || after.starts_with('?') || suffix.starts_with('?')) {
                    return None;
                }
                &rest[..at]
            };
            is_id(id).then_some(id)
        })?;
    Some(Video {
        host: host.name.clone(),
        label_zh: host.label.clone(),
        label_en: host.label_en.clone().unwrap_or_else(|| host.label.clone()),
        player: host.player.replace("{id}", id),
        page: host.pages[0].replace("{id}", id),
        framing: if host.sandbox {
            Framing::Sandboxed
        } else {
            Framing::CrossOrigin
        },
    })
}

/// The video a URL names on a built-in host.
fn recognise_built_in(url: &str, allowed: &[String]) -> Option<Video> {
    let (host, path, query) = parts(url)?;
    let host = host.to_ascii_lowercase();
    let allows = |name: &str| allowed.iter().any(|a| a == name);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host.as_str() {
        "www.bilibili.com" | "bilibili.com" | "m.bilibili.com" if allows("bilibili") => {
            let id = match segments.as_slice() {
                ["video", id, ..] => *id,
                _ => return None,
            };
            bilibili(id, query_value(query, "p"))
        }
        "player.bilibili.com" if allows("bilibili") => {
            let id = query_value(query, "bvid").or_else(|| query_value(query, "aid"))?;
            let id = if id.starts_with("BV") {
                id.to_string()
            } else {
                format!("av{id}")
            };
            bilibili(&id, query_value(query, "p"))
        }
        "v.qq.com" | "m.v.qq.com" if allows("tencent-video") => {
            let vid = match segments.as_slice() {
                ["x", "page", file] => file.strip_suffix(".html")?,
                ["x", "cover", _, file] => file.strip_suffix(".html")?,
                ["txp", "iframe", "player.html"] => query_value(query, "vid")?,
                _ => query_value(query, "vid")?,
            };
            (is_id(vid) && vid.len() <= 32).then(|| {
                built_in(
                    "tencent-video",
                    format!("https://v.qq.com/txp/iframe/player.html?vid={vid}&autoplay=false"),
                    format!("https://v.qq.com/x/page/{vid}.html"),
                )
            })
        }
        "www.youtube.com"
        | "youtube.com"
        | "m.youtube.com"
        | "youtu.be"
        | "www.youtube-nocookie.com"
            if allows("youtube") =>
        {
            let id = match (host.as_str(), segments.as_slice()) {
                ("youtu.be", [id]) => *id,
                (_, ["watch"]) => query_value(query, "v")?,
                (_, ["embed" | "shorts" | "live", id]) => *id,
                _ => return None,
            };
            (is_id(id) && id.len() <= 32).then(|| {
                built_in(
                    "youtube",
                    format!("https://www.youtube-nocookie.com/embed/{id}"),
                    format!("https://www.youtube.com/watch?v={id}"),
                )
            })
        }
        _ => None,
    }
}

fn bilibili(id: &str, part: Option<&str>) -> Option<Video> {
    if !is_id(id) || id.len() > 32 {
        return None;
    }
    let part = part.filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty());
    let (key, value) = match id.strip_prefix("av") {
        Some(aid) if aid.chars().all(|c| c.is_ascii_digit()) => ("aid", aid),
        _ => ("bvid", id),
    };
    let p = part.unwrap_or("1");
    Some(built_in(
        "bilibili",
        format!(
            "https://player.bilibili.com/player.html?{key}={value}&p={p}&autoplay=0&high_quality=1"
        ),
        format!(
            "https://www.bilibili.com/video/{id}/{}",
            part.map(|p| format!("?p={p}")).unwrap_or_default()
        ),
    ))
}

/// The player and its fallback link. `title` is the link's text (plain);
/// `poster` an already rendered `<img>` to show in e-mails and feeds.
pub(crate) fn html(video: &Video, title: &str, poster: Option<&str>, zh: bool) -> String {
    let host = if zh { &video.label_zh } else { &video.label_en };
    let watch = if zh {
        "在{host}观看："
    } else {
        "Watch on {host}: "
    }
    .replace("{host}", host);
    let poster_html = poster
        .map(|img| format!("<div class=\"embed-poster\" hidden>{img}</div>"))
        .unwrap_or_default();
    format!(
        "<figure class=\"embed embed-{name}\">{poster_html}<div class=\"embed-frame\"><iframe src=\"{player}\" title=\"{title_attr}\" loading=\"lazy\" {confine}></iframe></div><figcaption><a href=\"{page}\">{watch}{title_html}</a></figcaption></figure>\n",
        name = escape_html(&video.host),
        player = escape_html(&video.player),
        confine = video.framing.attributes(),
        title_attr = escape_html(title),
        page = escape_html(&video.page),
        watch = escape_html(&watch),
        title_html = escape_html(title),
    )
}

/// For e-mails and feeds: players and `<video>` elements go (no client
/// plays them); the link stays, and a poster is shown in their place.
pub(crate) fn strip_players(html: &str) -> String {
    // Most bodies have no player: one copy, not three.
    if !html.contains("embed-") && !html.contains("<video") {
        return html.to_string();
    }
    let mut out = html.to_string();
    for (open, close) in [
        ("<div class=\"embed-frame\">", "</div>"),
        ("<video", "</video>"),
    ] {
        while let Some(start) = out.find(open) {
            let Some(len) = out[start..].find(close) else {
                break;
            };
            out.replace_range(start..start + len + close.len(), "");
        }
    }
    // A self-hosted video's poster is a `<span>` (it sits in a paragraph).
    out.replace(
        "<div class=\"embed-poster\" hidden>",
        "<div class=\"embed-poster\">",
    )
    .replace(
        "<span class=\"embed-poster\" hidden>",
        "<span class=\"embed-poster\">",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<String> {
        vec!["bilibili".into(), "tencent-video".into(), "youtube".into()]
    }

    #[test]
    fn known_pages_and_players_are_recognised() {
        let v = recognise(
            "https://www.bilibili.com/video/BV1GJ411x7h7/?spm=x",
            &all(),
            &[],
        )
        .unwrap();
        assert_eq!(
            v.player,
            "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&p=1&autoplay=0&high_quality=1"
        );
        assert_eq!(v.page, "https://www.bilibili.com/video/BV1GJ411x7h7/");
        let v = recognise(
            "//player.bilibili.com/player.html?aid=80433022&bvid=BV1GJ411x7h7&cid=137649199&p=2",
            &all(),
            &[],
        )
        .unwrap();
        assert!(v.player.contains("bvid=BV1GJ411x7h7&p=2"), "{v:?}");
        let v = recognise(
            "https://v.qq.com/x/cover/mzc00200abc/u3501x2k9wd.html",
            &all(),
            &[],
        )
        .unwrap();
        assert_eq!(v.page, "https://v.qq.com/x/page/u3501x2k9wd.html");
        let v = recognise("https://youtu.be/dQw4w9WgXcQ?t=3", &all(), &[]).unwrap();
        assert_eq!(
            v.player,
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        );
        assert!(recognise(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            &["bilibili".into()],
            &[]
        )
        .is_none());
        assert!(recognise("https://evil.example/video/BV1", &all(), &[]).is_none());
        assert!(recognise("https://www.youtube.com/watch?v=a\"b", &all(), &[]).is_none());
    }

    #[test]
    fn site_defined_hosts_frame_only_their_own_player() {
        let tv = EmbedHost {
            name: "hospital-tv".into(),
            label: "院内视频".into(),
            label_en: Some("Hospital TV".into()),
            pages: vec![
                "https://tv.example.org/v/{id}".into(),
                "https://tv.example.org/watch?vid={id}".into(),
            ],
            player: "https://tv.example.org/embed/{id}?autoplay=0".into(),
            sandbox: true,
        };
        let allowed = vec!["hospital-tv".to_string()];
        let custom = std::slice::from_ref(&tv);
        for url in [
            "https://tv.example.org/v/abc-123",
            "https://tv.example.org/v/abc-123?from=share#t=3",
            "http://tv.example.org/v/abc-123",
            "https://tv.example.org/watch?vid=abc-123",
            "//tv.example.org/embed/abc-123?autoplay=0",
        ] {
            let v = recognise(url, &allowed, custom).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(v.player, "https://tv.example.org/embed/abc-123?autoplay=0");
            assert_eq!(v.page, "https://tv.example.org/v/abc-123");
            assert_eq!(v.host, "hospital-tv");
        }
        for url in [
            "https://tv.example.org/v/a\"b",
            "https://tv.example.org/v/",
            "https://tv.example.org.evil.example/v/abc",
            "https://evil.example/?u=https://tv.example.org/v/abc",
        ] {
            assert!(recognise(url, &allowed, custom).is_none(), "{url}");
        }
        // Off unless listed.
        assert!(recognise("https://tv.example.org/v/abc", &[], custom).is_none());
        let v = recognise("https://tv.example.org/v/abc", &allowed, custom).unwrap();
        let page = html(&v, "洗手", None, false);
        assert!(page.contains("Watch on Hospital TV: 洗手"), "{page}");
        assert!(page.contains("class=\"embed embed-hospital-tv\""), "{page}");
        assert!(html(&v, "洗手", None, true).contains("在院内视频观看："));
    }

    #[test]
    fn built_in_players_keep_their_origin_site_defined_ones_are_sandboxed() {
        // Never both allow-scripts and allow-same-origin (the HTML checker's
        // error); the built-in players need their origin, so no sandbox.
        let iframe = |html: &str| {
            let start = html.find("<iframe").unwrap();
            html[start..start + html[start..].find('>').unwrap() + 1].to_string()
        };
        for url in [
            "https://www.bilibili.com/video/BV1GJ411x7h7",
            "https://v.qq.com/x/page/u3501x2k9wd.html",
            "https://youtu.be/dQw4w9WgXcQ",
        ] {
            let v = recognise(url, &all(), &[]).unwrap();
            assert_eq!(v.framing, Framing::CrossOrigin);
            let tag = iframe(&html(&v, "洗手", None, true));
            assert_eq!(
                tag,
                format!("<iframe src=\"{}\" title=\"洗手\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\">", escape_html(&v.player))
            );
        }
        let mut tv = EmbedHost {
            name: "tv".into(),
            label: "院内视频".into(),
            label_en: None,
            pages: vec!["https://tv.example.org/v/{id}".into()],
            player: "https://tv.example.org/embed/{id}".into(),
            sandbox: true,
        };
        let allowed = vec!["tv".to_string()];
        let v = recognise(
            "https://tv.example.org/v/a1",
            &allowed,
            std::slice::from_ref(&tv),
        )
        .unwrap();
        let tag = iframe(&html(&v, "洗手", None, true));
        assert!(
            tag.contains(" sandbox=\"allow-scripts allow-presentation allow-popups allow-popups-to-escape-sandbox\" "),
            "{tag}"
        );
        assert!(!tag.contains("allow-same-origin"), "{tag}");
        tv.sandbox = false;
        let v = recognise(
            "https://tv.example.org/v/a1",
            &allowed,
            std::slice::from_ref(&tv),
        )
        .unwrap();
        let tag = iframe(&html(&v, "洗手", None, true));
        assert!(!tag.contains("sandbox"), "{tag}");
        assert!(
            tag.contains("referrerpolicy=\"strict-origin-when-cross-origin\""),
            "{tag}"
        );
    }

    #[test]
    fn e_mails_keep_the_link_and_poster_only() {
        let v = recognise("https://youtu.be/abc", &all(), &[]).unwrap();
        let html = html(
            &v,
            "洗手 <六步>",
            Some("<img src=\"/p.png\" alt=\"p\">"),
            true,
        );
        assert!(html.contains("title=\"洗手 &lt;六步&gt;\""), "{html}");
        let mail = strip_players(&html);
        assert!(!mail.contains("iframe"), "{mail}");
        assert!(mail.contains("<div class=\"embed-poster\"><img"), "{mail}");
        assert!(
            mail.contains("在YouTube观看：洗手 &lt;六步&gt;</a>"),
            "{mail}"
        );
    }
}
