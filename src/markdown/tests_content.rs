//! Whole-pipeline tests of what article bodies contain beyond text:
//! callouts, images and videos with their local files, embeds, shortcode
//! warnings, configured link schemes and the phone-friendly table box.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::assets::{FileKind, RasterFormat};
use crate::diagnostics::Severity;

struct NoArticles;

impl LinkResolver for NoArticles {
    fn resolve(&self, _: &Path) -> Result<String, LinkProblem> {
        Err(LinkProblem::Missing("no such article".into()))
    }
}

/// `kids/chart.png` (1200 x 600), `kids/img/photo.jpg` (800 x 800),
/// `kids/clip.mp4` with `kids/clip.vtt`, `kids/handout.pdf`.
struct Files;

impl LocalFiles for Files {
    fn probe(&self, target: &Path) -> Result<Probe, FileProblem> {
        let (kind, size) = match target.to_str() {
            Some("kids/chart.png") => (FileKind::Raster(RasterFormat::Png), Some((1200, 600))),
            Some("kids/img/photo.jpg") => (FileKind::Raster(RasterFormat::Jpeg), Some((800, 800))),
            Some("kids/clip.mp4") => (FileKind::Video, None),
            Some("kids/clip.vtt") => (FileKind::Captions, None),
            Some("kids/handout.pdf") => (FileKind::Download, None),
            _ => {
                return Err(FileProblem {
                    message: format!("`content/{}` does not exist", target.display()),
                    hint: "check the name".into(),
                })
            }
        };
        Ok(Probe {
            hash: "abcdef0123".into(),
            sha256: "0".repeat(64),
            bytes: 1,
            kind,
            size,
        })
    }
}

fn labels() -> BTreeMap<String, String> {
    [
        ("callout_warning", "警告"),
        ("callout_emergency", "紧急情况"),
        ("callout_emergency_call", "立即拨打"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn render_with(
    body: &str,
    number: Option<&str>,
    schemes: &[String],
    embeds: &[String],
) -> (String, Vec<Diagnostic>) {
    let labels = labels();
    let settings = Settings {
        link_schemes: schemes,
        emergency_number: number,
        embeds,
        embed_hosts: &[],
        labels: Some(&labels),
        files: Some(&Files),
        image_widths: &[480, 960],
        asset_base: "/articles/fever/",
        lang: "zh-Hans",
    };
    let input = MarkdownInput {
        body,
        body_line: 10,
        file: Path::new("content/kids/fever.md"),
        source_dir: Path::new("kids"),
        settings: &settings,
    };
    let (rendered, diagnostics) = render(&input, &NoArticles);
    (rendered.html, diagnostics)
}

fn render_body(body: &str) -> (String, Vec<Diagnostic>) {
    render_with(body, Some("120"), &[], &[])
}

fn errors(d: &[Diagnostic]) -> Vec<(&str, usize)> {
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule.as_str(), d.line))
        .collect()
}

#[test]
fn github_alerts_become_labelled_callouts() {
    let (html, d) = render_body("> [!WARNING]\n> 不要给孩子用阿司匹林。\n\n> [!TIP]\n> 多喝水。\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(html.contains("<div class=\"callout callout-warning\"><p class=\"callout-label\">警告</p>\n<p>不要给孩子用阿司匹林。</p>\n</div>"), "{html}");
    // A label the theme lacks falls back to English words, never nothing.
    assert!(
        html.contains("<p class=\"callout-label\">Tip</p>"),
        "{html}"
    );
    assert!(!html.contains("[!"), "{html}");
}

#[test]
fn emergency_box_names_the_number_as_a_phone_link() {
    let (html, d) =
        render_body("> [!EMERGENCY]\n> 出现以下情况请立即就医：\n>\n> - 抽搐\n> - 呼吸困难\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(
        html.starts_with("<div class=\"callout callout-emergency\"><p class=\"callout-label\">紧急情况 <span class=\"callout-call\">立即拨打 <a class=\"callout-phone\" href=\"tel:120\">120</a></span></p>"),
        "{html}"
    );
    assert!(html.contains("<p>出现以下情况请立即就医：</p>"), "{html}");
    assert!(html.contains("<li>抽搐</li>"), "{html}");
    assert!(
        !html.contains("EMERGENCY") && !html.contains("<blockquote"),
        "{html}"
    );
    // The marker may share its line with the text; a plain quote stays one.
    let (html, _) = render_body("> [!emergency] 胸痛超过15分钟\n\n> 一句引言\n");
    assert!(html.contains("<p>胸痛超过15分钟</p>"), "{html}");
    assert!(
        html.contains("<blockquote>\n<p>一句引言</p>\n</blockquote>"),
        "{html}"
    );
}

#[test]
fn emergency_box_without_a_number_is_an_error_at_its_line() {
    let (_, d) = render_with("text\n\n> [!EMERGENCY]\n> 拨打急救电话\n", None, &[], &[]);
    assert_eq!(errors(&d), [("emergency-number", 12)]);
}

#[test]
fn local_images_get_variants_size_and_lazy_loading_after_the_first() {
    let body = "![体温曲线：第一天到第三天逐渐下降](chart.png)\n\n![退热贴贴在额头上](img/photo.jpg \"退热贴\")\n\n![](chart.png \"decorative\")\n";
    let (html, d) = render_body(body);
    assert!(d.is_empty(), "{d:?}");
    assert!(html.contains("<img src=\"/articles/fever/chart.abcdef0123.960.png\" srcset=\"/articles/fever/chart.abcdef0123.480.png 480w, /articles/fever/chart.abcdef0123.960.png 960w\" sizes=\"(max-width: 46rem) 100vw, 46rem\" width=\"960\" height=\"480\" alt=\"体温曲线：第一天到第三天逐渐下降\" decoding=\"async\">"), "{html}");
    assert!(html.contains("<img src=\"/articles/fever/photo.abcdef0123.jpg\" srcset=\"/articles/fever/photo.abcdef0123.480.jpg 480w, /articles/fever/photo.abcdef0123.jpg 800w\""), "{html}");
    assert!(html.contains("title=\"退热贴\" loading=\"lazy\""), "{html}");
    assert!(html.contains("alt=\"\" loading=\"lazy\""), "{html}");
    assert!(!html.contains("decorative"), "{html}");
}

#[test]
fn missing_images_and_useless_alt_texts_are_errors_at_their_lines() {
    let body = "第一段\n\n![补液](missing.png)\n\n![](chart.png)\n\n![chart](chart.png)\n\n![图片](../../etc.png)\n";
    let (html, d) = render_body(body);
    assert_eq!(
        errors(&d),
        [
            ("missing-image", 12),
            ("image-alt", 14),
            ("image-alt", 16),
            ("missing-image", 18)
        ]
    );
    let missing = d.iter().find(|d| d.rule == "missing-image").unwrap();
    assert!(
        missing.message.contains("content/kids/missing.png"),
        "{missing:?}"
    );
    assert!(!html.contains("missing.png"), "{html}");
    assert!(html.contains("<p>补液</p>"), "{html}");
}

#[test]
fn local_videos_get_captions_and_a_download_link() {
    let (html, d) = render_body("![洗手六步法演示](clip.mp4)\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(html.contains("<video class=\"video\" controls preload=\"metadata\" src=\"/articles/fever/clip.abcdef0123.mp4\" aria-label=\"洗手六步法演示\"><track kind=\"captions\" src=\"/articles/fever/clip.abcdef0123.vtt\" srclang=\"zh-Hans\""), "{html}");
    assert!(
        html.contains("<a class=\"video-link\" href=\"/articles/fever/clip.abcdef0123.mp4\">"),
        "{html}"
    );
    // Raw HTML elsewhere sends the page through the sanitizer: the video stays.
    let (html, _) = render_body("<b>注意</b>\n\n![洗手六步法演示](clip.mp4)\n");
    assert!(html.contains("<video") && html.contains("<track"), "{html}");
}

#[test]
fn self_hosted_video_html_with_tracks_is_rebuilt_with_published_files() {
    let body = "<b>注意</b>\n\n<video src=\"clip.mp4\" poster=\"chart.png\" title=\"洗手演示\" controls>\n  <track kind=\"captions\" src=\"clip.vtt\" srclang=\"zh-Hans\" label=\"中文字幕\" default>\n  浏览器不支持视频。\n</video>\n";
    let (html, d) = render_body(body);
    assert!(d.iter().all(|d| d.rule != "raw-html"), "{d:?}");
    assert!(
        html.contains("<source src=\"/articles/fever/clip.abcdef0123.mp4\" type=\"video/mp4\">"),
        "{html}"
    );
    assert!(html.contains("<track kind=\"captions\" src=\"/articles/fever/clip.abcdef0123.vtt\" srclang=\"zh-Hans\" label=\"中文字幕\" default>"), "{html}");
    assert!(
        html.contains("poster=\"/articles/fever/chart.abcdef0123.png\""),
        "{html}"
    );
    assert!(
        !html.contains("浏览器不支持"),
        "fallback text dropped: {html}"
    );
    // The files are the article's (published, part of the sign-off).
    let files: Vec<String> = local_files(body, Path::new("kids"))
        .into_iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(files, ["kids/clip.mp4", "kids/chart.png", "kids/clip.vtt"]);
    // E-mails and feeds: poster and link, no player.
    let mail = for_email(&html);
    assert!(
        !mail.contains("<video") && !mail.contains("<track"),
        "{mail}"
    );
    assert!(
        mail.contains(
            "<span class=\"embed-poster\"><img src=\"/articles/fever/chart.abcdef0123.png\""
        ),
        "{mail}"
    );
    assert!(mail.contains("class=\"video-link\""), "{mail}");
    // A missing file is an error; a remote source or a handler is not a
    // self-hosted video: the sanitizer removes it with a warning.
    let (_, d) = render_body("<video src=\"gone.mp4\" title=\"x\">\n</video>\n");
    assert_eq!(errors(&d), [("missing-image", 10)]);
    for html in [
        "<video src=\"https://cdn.example/a.mp4\" title=\"x\">\n</video>\n",
        "<video src=\"clip.mp4\" title=\"x\" onplay=\"alert(1)\">\n</video>\n",
    ] {
        let (out, d) = render_body(html);
        assert!(!out.contains("<video"), "{out}");
        assert!(d.iter().any(|d| d.rule == "raw-html"), "{d:?}");
        assert!(local_files(html, Path::new("kids")).is_empty());
    }
}

#[test]
fn links_to_local_files_are_published_and_checked() {
    let (html, d) = render_body("[下载讲义](handout.pdf) [旧讲义](old.pdf) [奇怪](foo\\):)\n");
    assert!(
        html.contains("<a href=\"/articles/fever/handout.abcdef0123.pdf\">下载讲义</a>"),
        "{html}"
    );
    assert_eq!(errors(&d), [("missing-file", 10)]);
    // `foo\):` is a relative link, not a `foo)` scheme.
    assert!(html.contains("<a href=\"foo):\">奇怪</a>"), "{html}");
}

#[test]
fn configured_schemes_pass_and_errors_say_what_to_do() {
    let body = "[关注公众号](weixin://dl/officialaccounts) [短信](sms:10086)\n";
    let (html, d) = render_body(body);
    assert_eq!(errors(&d), [("unsafe-link", 10)]);
    assert!(
        d[0].message.contains("`weixin:`") && d[0].message.contains("shown without a link"),
        "{:?}",
        d[0]
    );
    assert!(
        d[0].hint
            .as_deref()
            .unwrap_or("")
            .contains("content: link_schemes:"),
        "{:?}",
        d[0]
    );
    assert!(html.contains("<a href=\"sms:10086\">"), "{html}");
    let weixin = vec!["weixin".to_string()];
    let (html, d) = render_with(body, None, &weixin, &[]);
    assert!(d.is_empty(), "{d:?}");
    assert!(
        html.contains("<a href=\"weixin://dl/officialaccounts\">"),
        "{html}"
    );
}

#[test]
fn allowlisted_video_links_become_players() {
    let embeds = vec!["bilibili".to_string()];
    let body = "看视频：\n\n[洗手六步法](https://www.bilibili.com/video/BV1GJ411x7h7)\n\n[YouTube](https://youtu.be/abcdefghijk)\n\n<iframe src=\"//player.bilibili.com/player.html?bvid=BV1GJ411x7h7&p=1\" scrolling=\"no\" allowfullscreen=\"true\"></iframe>\n";
    let (html, d) = render_with(body, None, &[], &embeds);
    assert_eq!(html.matches("<iframe").count(), 2, "{html}");
    assert!(html.contains("<iframe src=\"https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&amp;p=1&amp;autoplay=0&amp;high_quality=1\" title=\"洗手六步法\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>"), "{html}");
    assert!(!html.contains("allow-same-origin"), "{html}");
    assert!(html.contains("<a href=\"https://www.bilibili.com/video/BV1GJ411x7h7/\">在哔哩哔哩观看：洗手六步法</a>"), "{html}");
    // Not allowlisted: stays a link.
    assert!(
        html.contains("<p><a href=\"https://youtu.be/abcdefghijk\">YouTube</a></p>"),
        "{html}"
    );
    // The pasted embed code has no title: a warning, and a generic one.
    let rules: Vec<&str> = d.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["embed-title"]);
    assert!(!html.contains("scrolling"), "{html}");
    // Without the allowlist nothing is framed.
    let (html, _) = render_with(body, None, &[], &[]);
    assert!(!html.contains("<iframe"), "{html}");
}

#[test]
fn shortcodes_are_warnings_at_their_lines() {
    let body = "intro\n\n{{< figure src=\"a.png\" >}}\n\n`{{< ref x >}}`\n\n{{% notice warning %}}\n小心\n{{% /notice %}}\n";
    let (_, d) = render_body(body);
    let found: Vec<(&str, usize)> = d.iter().map(|d| (d.rule.as_str(), d.line)).collect();
    assert_eq!(found, [("shortcode", 12), ("shortcode", 16)]);
    assert!(
        d[0].message.contains("Hugo shortcode `figure`"),
        "{:?}",
        d[0]
    );
    assert!(
        d[1].hint.as_deref().unwrap_or("").contains("[!WARNING]"),
        "{:?}",
        d[1]
    );
}

#[test]
fn tables_scroll_in_their_own_focusable_box() {
    let (html, _) = render_body("| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert!(
        html.starts_with("<div class=\"table-scroll\" tabindex=\"0\"><table>"),
        "{html}"
    );
    assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
    let (html, _) = render_body("<b>x</b>\n\n| a |\n|---|\n| 1 |\n");
    assert!(
        html.contains("<div class=\"table-scroll\" tabindex=\"0\">"),
        "{html}"
    );
}
