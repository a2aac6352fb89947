//! Images and videos as an article page shows them.
//!
//! A local raster image becomes `<img>` with its content-hashed URL, a
//! `srcset` of its narrower variants and `sizes` for the article column,
//! its intrinsic `width`/`height` (no layout shift while it loads),
//! `decoding="async"`, and `loading="lazy"` for every image after the first
//! (the first is usually above the fold). A local `.mp4`/`.webm` named with
//! image syntax becomes `<video controls>` with `clip.vtt` beside it as
//! captions and `clip.jpg`/`clip.png` as poster, plus a download link.
//!
//! Alternative text is required: health images (dosage charts, how-to
//! photos) carry information a screen-reader user needs. An empty alt, or
//! one that is just a file name or says nothing (`image`, `图片`), is an
//! error; a purely decorative image opts out with the title `decorative`:
//! `![](divider.png "decorative")`.

use crate::assets::{outputs, Output, Probe};
use crate::html::escape_html;

/// `sizes` for an image in the article column (`.wrap` is 46rem wide).
const SIZES: &str = "(max-width: 46rem) 100vw, 46rem";

/// The title that marks an image as decorative (alt stays empty).
pub(crate) const DECORATIVE: &str = "decorative";

/// Why an alt text is not acceptable, or `None` if it is.
pub(crate) fn alt_problem(alt: &str, dest: &str) -> Option<String> {
    let alt = alt.trim();
    if alt.is_empty() {
        return Some("has no description (alt text)".into());
    }
    let lower = alt.to_lowercase();
    let file = dest
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(dest)
        .to_lowercase();
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    if lower == file || lower == stem {
        return Some(format!("is described only by its file name `{alt}`"));
    }
    let looks_like_file = lower.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext,
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "bmp" | "heic" | "mp4" | "webm"
        )
    });
    let camera = [
        "img_",
        "img-",
        "dsc",
        "pxl_",
        "screenshot",
        "微信图片",
        "截图",
        "屏幕截图",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
        && lower.chars().any(|c| c.is_ascii_digit());
    if looks_like_file || camera {
        return Some(format!("is described by a file name, `{alt}`"));
    }
    let says_nothing = [
        "image",
        "img",
        "picture",
        "photo",
        "pic",
        "figure",
        "图",
        "图片",
        "照片",
        "插图",
        "配图",
        "示意图",
        "video",
        "视频",
    ];
    if says_nothing.contains(&lower.trim_end_matches(|c: char| c.is_ascii_digit())) {
        return Some(format!("has a description that says nothing, `{alt}`"));
    }
    None
}

/// The `<img>` of a local raster image: `base` is the article's URL folder.
pub(crate) fn image_html(
    base: &str,
    name: &str,
    probe: &Probe,
    widths: &[u32],
    alt: &str,
    title: Option<&str>,
    lazy: bool,
) -> String {
    let files = outputs(name, probe, widths);
    let (w, h) = probe.size.unwrap_or((0, 0));
    let largest = widths.iter().copied().max().unwrap_or(0);
    let url = |o: &Output| format!("{base}{}", o.name);
    // The source is a candidate unless it is wider than every configured
    // width (a 4000 px photo would be fetched by every large screen).
    let mut candidates: Vec<(u32, String)> = files
        .iter()
        .skip(1)
        .filter_map(|o| o.width.map(|vw| (vw, url(o))))
        .collect();
    if w <= largest || candidates.is_empty() {
        candidates.push((w, url(&files[0])));
    }
    let (src_w, src) = candidates.last().cloned().expect("at least one candidate");
    let src_h = if src_w == w {
        h
    } else {
        files
            .iter()
            .find(|o| o.width == Some(src_w))
            .map_or(h, |o| o.height)
    };
    let mut html = format!("<img src=\"{}\"", escape_html(&src));
    if candidates.len() > 1 {
        let set: Vec<String> = candidates
            .iter()
            .map(|(cw, u)| format!("{} {cw}w", escape_html(u)))
            .collect();
        html.push_str(&format!(" srcset=\"{}\" sizes=\"{SIZES}\"", set.join(", ")));
    }
    html.push_str(&format!(
        " width=\"{src_w}\" height=\"{src_h}\" alt=\"{}\"",
        escape_html(alt)
    ));
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        html.push_str(&format!(" title=\"{}\"", escape_html(title)));
    }
    if lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\">");
    html
}

/// An `<img>` whose file healthpress does not publish (a full URL or a
/// path under `static/`): kept as written, with the loading hints.
pub(crate) fn plain_image_html(src: &str, alt: &str, title: Option<&str>, lazy: bool) -> String {
    let mut html = format!(
        "<img src=\"{}\" alt=\"{}\"",
        escape_html(src),
        escape_html(alt)
    );
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        html.push_str(&format!(" title=\"{}\"", escape_html(title)));
    }
    if lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\">");
    html
}

/// A self-hosted video: `src`, captions and poster are published URLs.
pub(crate) struct VideoParts<'a> {
    pub src: &'a str,
    pub captions: Option<&'a str>,
    pub poster: Option<&'a str>,
    pub lang: &'a str,
    pub captions_label: &'a str,
    pub download_label: &'a str,
}

pub(crate) fn video_html(v: &VideoParts, alt: &str) -> String {
    let mut html = format!(
        "<video class=\"video\" controls preload=\"metadata\" src=\"{}\" aria-label=\"{}\"",
        escape_html(v.src),
        escape_html(alt)
    );
    if let Some(poster) = v.poster {
        html.push_str(&format!(" poster=\"{}\"", escape_html(poster)));
    }
    html.push('>');
    if let Some(captions) = v.captions {
        html.push_str(&format!(
            "<track kind=\"captions\" src=\"{}\" srclang=\"{}\" label=\"{}\" default>",
            escape_html(captions),
            escape_html(v.lang),
            escape_html(v.captions_label)
        ));
    }
    html.push_str("</video>");
    if let Some(poster) = v.poster {
        html.push_str(&format!(
            "<span class=\"embed-poster\" hidden><img src=\"{}\" alt=\"{}\" loading=\"lazy\"></span>",
            escape_html(poster),
            escape_html(alt)
        ));
    }
    html.push_str(&format!(
        " <a class=\"video-link\" href=\"{}\">{}{}</a>",
        escape_html(v.src),
        escape_html(v.download_label),
        escape_html(alt)
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{FileKind, RasterFormat};

    #[test]
    fn alt_texts_that_help_nobody_are_refused() {
        assert!(alt_problem("", "a.png").is_some());
        assert!(alt_problem("  ", "a.png").is_some());
        assert!(alt_problem("handrail", "img/handrail.png").is_some());
        assert!(alt_problem("Handrail.PNG", "img/handrail.png").is_some());
        assert!(alt_problem("IMG_2041", "x.jpg").is_some());
        assert!(alt_problem("微信图片_20240101", "x.jpg").is_some());
        assert!(alt_problem("chart.png", "x.png").is_some());
        assert!(alt_problem("图片", "x.png").is_some());
        assert!(alt_problem("image1", "x.png").is_some());
        assert!(
            alt_problem("浴室扶手安装位置示意：马桶旁与淋浴区各一处", "handrail.png").is_none()
        );
        assert!(alt_problem("Blood pressure by month, 2025", "bp.png").is_none());
    }

    #[test]
    fn image_html_has_srcset_size_and_lazy() {
        let probe = Probe {
            hash: "0123456789".into(),
            sha256: "0".repeat(64),
            bytes: 10,
            kind: FileKind::Raster(RasterFormat::Png),
            size: Some((1200, 600)),
        };
        let html = image_html(
            "/articles/a/",
            "img/chart.png",
            &probe,
            &[480, 960, 1440],
            "图 <1>",
            None,
            true,
        );
        assert_eq!(
            html,
            "<img src=\"/articles/a/chart.0123456789.png\" srcset=\"/articles/a/chart.0123456789.480.png 480w, /articles/a/chart.0123456789.960.png 960w, /articles/a/chart.0123456789.png 1200w\" sizes=\"(max-width: 46rem) 100vw, 46rem\" width=\"1200\" height=\"600\" alt=\"图 &lt;1&gt;\" loading=\"lazy\" decoding=\"async\">"
        );
        // Wider than every configured width: the source is not a candidate.
        let big = Probe {
            size: Some((4000, 2000)),
            ..probe
        };
        let html = image_html("/a/", "p.png", &big, &[480, 960], "x", None, false);
        assert!(
            html.starts_with("<img src=\"/a/p.0123456789.960.png\""),
            "{html}"
        );
        assert!(html.contains("width=\"960\" height=\"480\""), "{html}");
        assert!(!html.contains("lazy"));
    }
}
