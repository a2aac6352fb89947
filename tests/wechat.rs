//! WeChat Official Account posts (`editorial/wechat/`, `healthpress
//! wechat`): the copied HTML parsed and checked against what the 公众号
//! editor keeps (inline styles only, no class/id/style/script, links other
//! than to 公众号 articles turned into numbered references, absolute
//! full-width images, body text at 15px or more), the footer's trust
//! signals and QR code, the per-segment issue post, the compliance lint on
//! the post's frame, and that nothing unpublished reaches a post.

mod common;

use std::fs;

use common::{all_files, output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};
use scraper::{ElementRef, Html, Selector};

const TODAY: &str = "2026-11-23";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// A small PNG, so the body has a local image with variants.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30]));
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    bytes
}

const BODY: &str = "\
## 要点

先看[另一篇](other.md)，再看[世界卫生组织](https://www.who.int/news-room/fact-sheets)和[往期推送](https://mp.weixin.qq.com/s/AbC123)。
再次引用[另一篇](other.md)。脚注在此[^1]。电话 <tel:120>。

![示意图](chart.png)

| 项目 | 建议 |
|---|---|
| 饮水 | 多喝 |

- [x] 已备好体温计
- [ ] 记录体温

> [!WARNING]
> 高热不退请就医。

<p class=\"x\" id=\"y\" style=\"color:red\" onclick=\"alert(1)\">原始 HTML</p><script>alert(2)</script>

[^1]: 脚注内容。
";

fn site() -> Fixture {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("main-post", "主文章").body(BODY));
    site.article(&ArticleSpec::new("other", "另一篇"));
    fs::write(site.root().join("content/chart.png"), png()).unwrap();
    site
}

fn post_of(site: &Fixture, slug: &str) -> String {
    site.read(&format!("editorial/wechat/{slug}/wechat.html"))
}

/// The inside of the document's `<body>`: exactly what the button copies.
fn body_inner(doc: &str) -> String {
    let start = doc.find("<body>").unwrap() + "<body>".len();
    let end = doc.rfind("</body>").unwrap();
    doc[start..end].to_string()
}

/// `font-size: Npx` of an element's inline style.
fn font_px(el: &ElementRef) -> Option<f64> {
    let style = el.value().attr("style")?;
    let at = style.find("font-size:")?;
    let rest = style[at + "font-size:".len()..].trim_start();
    rest.split("px").next()?.trim().parse().ok()
}

#[test]
fn the_copied_html_is_what_the_wechat_editor_keeps() {
    let site = site();
    site.build(TODAY);
    let doc = post_of(&site, "main-post");
    let inner = body_inner(&doc);
    let html = Html::parse_fragment(&inner);
    let all = sel("*");
    for el in html.root_element().select(&all) {
        let v = el.value();
        assert!(
            v.attr("class").is_none(),
            "class on <{}>: {inner}",
            v.name()
        );
        assert!(v.attr("id").is_none(), "id on <{}>", v.name());
        assert!(
            v.attrs().all(|(n, _)| !n.starts_with("on")),
            "event handler on <{}>",
            v.name()
        );
        assert!(
            !matches!(v.name(), "style" | "script" | "link" | "iframe" | "video"),
            "<{}> in the post",
            v.name()
        );
    }
    // The only link left is the 公众号 article.
    let links: Vec<&str> = html
        .select(&sel("a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links, ["https://mp.weixin.qq.com/s/AbC123"]);
    let text: String = html.root_element().text().collect();
    assert!(
        text.contains("另一篇[1]") && text.contains("世界卫生组织[2]"),
        "{text}"
    );
    assert!(
        text.contains("再次引用另一篇[1]"),
        "same URL, same number: {text}"
    );
    assert!(text.contains("参考链接"));
    assert!(text.contains("[1] https://health.test.example/articles/other/"));
    assert!(text.contains("[2] https://www.who.int/news-room/fact-sheets"));
    assert!(text.contains("原始 HTML") && !text.contains("alert"));
    // Images: absolute, full width (the QR code fills a small box).
    let images: Vec<ElementRef> = html.select(&sel("img")).collect();
    assert_eq!(images.len(), 2, "{inner}");
    for img in &images {
        let src = img.value().attr("src").unwrap();
        assert!(src.starts_with("https://health.test.example/"), "{src}");
        let style = img.value().attr("style").unwrap_or("");
        assert!(style.contains("width: 100%"), "{style}");
        assert!(img.value().attr("srcset").is_none());
    }
    // Body text: an inline font size of 15px or more, line height 1.75.
    let root = html.select(&sel("section")).next().unwrap();
    let root_style = root.value().attr("style").unwrap();
    assert!(root_style.contains("line-height: 1.75"), "{root_style}");
    assert!(font_px(&root).unwrap() >= 15.0);
    let mut checked = 0;
    for el in html.select(&sel("p, li, td, th, h1, h2")) {
        let px = font_px(&el).unwrap_or_else(|| panic!("no inline font-size: {}", el.html()));
        assert!(px >= 15.0, "{px}px: {}", el.html());
        checked += 1;
    }
    assert!(checked > 10, "{checked}");
    // Trust signals in the footer.
    for expected in [
        "审核专家",
        "李静",
        "主任医师",
        "2026-09-25",
        "国家卫生健康委员会相关指南（2024）",
        "本站内容仅用于健康科普，不能代替医生的诊断。",
        "阅读原文",
        "https://health.test.example/articles/main-post/",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
}

#[test]
fn the_qr_code_is_a_public_png_of_the_read_more_url() {
    let site = site();
    site.build(TODAY);
    let doc = post_of(&site, "main-post");
    let html = Html::parse_fragment(&body_inner(&doc));
    let qr = html
        .select(&sel("img"))
        .map(|i| i.value().attr("src").unwrap().to_string())
        .find(|s| s.ends_with("/qr.png"))
        .expect("a QR image");
    let rel = qr.strip_prefix("https://health.test.example/").unwrap();
    let bytes = fs::read(site.public().join(rel)).unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, "https://health.test.example/articles/main-post/");
}

#[test]
fn the_page_copies_exactly_the_post_and_the_command_prints_the_file() {
    let site = site();
    site.build(TODAY);
    let doc = post_of(&site, "main-post");
    let page = Html::parse_document(&site.read("editorial/wechat/main-post/index.html"));
    let textarea: String = page
        .select(&sel("textarea#wx-html"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(textarea, body_inner(&doc));
    assert!(page.select(&sel("button#wx-copy")).next().is_some());
    let button: String = page
        .select(&sel("button#wx-copy"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(button, "复制到公众号");

    for target in ["content/main-post.md", "main-post"] {
        let out = site.run(&["wechat", target, "--as-of", TODAY]);
        assert!(out.status.success(), "{}", output_text(&out));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), doc, "{target}");
    }
    let out = site.run(&[
        "wechat",
        "main-post",
        "--as-of",
        TODAY,
        "--out",
        "post.html",
    ]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(site.read("post.html"), doc);
    let refused = site.run(&["wechat", "main-post", "--out", "public/x.html"]);
    assert!(!refused.status.success());
}

/// Articles that are not public, each named by a marker that must appear
/// nowhere in a post.
fn hidden_articles() -> Vec<ArticleSpec> {
    vec![
        ArticleSpec::new("zq-draft", "ZQ草稿").status("draft"),
        ArticleSpec::new("zq-scheduled", "ZQ定时").date("2026-12-20"),
        ArticleSpec::new("zq-expired", "ZQ过期").expires("2026-11-01"),
        ArticleSpec::new("zq-stale", "ZQ失效审核").stale(),
        ArticleSpec::new("zq-withheld", "ZQ违规").body("本院保证根治，治愈率100%。\n"),
    ]
}

#[test]
fn nothing_unpublished_reaches_a_post() {
    let site = Fixture::new();
    let mut body = String::from("链接：");
    for (k, spec) in hidden_articles().iter().enumerate() {
        body += &format!("[链接{k}]({}.md)、", spec.slug);
        site.article(spec);
    }
    site.article(&ArticleSpec::new("linker", "链接文章").body(&body));
    site.build(TODAY);
    let wechat = site.root().join("editorial/wechat");
    let files = all_files(&wechat);
    assert!(files.iter().any(|(p, _)| p == "linker/wechat.html"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for spec in hidden_articles() {
            assert!(
                !text.contains(&spec.title) && !text.contains(&spec.slug),
                "editorial/wechat/{path} names {}",
                spec.slug
            );
            assert!(!path.starts_with(&format!("{}/", spec.slug)), "{path}");
        }
    }
    for spec in hidden_articles() {
        let out = site.run(&["wechat", &spec.slug, "--as-of", TODAY]);
        assert!(!out.status.success(), "{} has a post", spec.slug);
        assert!(out.stdout.is_empty());
        assert!(
            !site
                .public()
                .join(format!("articles/{}/qr.png", spec.slug))
                .exists(),
            "{}",
            spec.slug
        );
    }
}

#[test]
fn a_frame_failing_the_lint_leaves_articles_without_posts_but_builds() {
    let site_yaml = SITE_YAML.replace(
        "disclaimer: 本站内容仅用于健康科普，不能代替医生的诊断。",
        "disclaimer: 我院保证根治，治愈率100%。",
    );
    let site = Fixture::with_config(&site_yaml, CALENDAR_YAML);
    site.article(&ArticleSpec::new("plain", "普通文章"));
    let out = site.build(TODAY);
    assert!(site.public().join("articles/plain/index.html").exists());
    assert!(!site
        .root()
        .join("editorial/wechat/plain/wechat.html")
        .exists());
    assert!(
        output_text(&out).contains("wechat-withheld"),
        "{}",
        output_text(&out)
    );
    let cli = site.run(&["wechat", "plain", "--as-of", TODAY]);
    assert!(!cli.status.success());
    assert!(
        output_text(&cli).contains("compliance"),
        "{}",
        output_text(&cli)
    );
}

#[test]
fn each_segment_gets_its_latest_issue_as_one_post() {
    let site = Fixture::new();
    // Issues are on Mondays: 2026-11-23's window is 11-17..11-23.
    site.article(
        &ArticleSpec::new("week-a", "本周甲")
            .date("2026-11-18")
            .summary("甲的摘要。"),
    );
    site.article(
        &ArticleSpec::new("week-b", "本周乙")
            .date("2026-11-20")
            .summary("乙的摘要。"),
    );
    site.article(&ArticleSpec::new("older", "上周文章").date("2026-11-10"));
    site.article(&ArticleSpec::new("zq-later", "ZQ下周").date("2026-11-25"));
    site.build(TODAY);
    let doc = site.read("editorial/wechat/issues/parents/wechat.html");
    let html = Html::parse_fragment(&body_inner(&doc));
    let text: String = html.root_element().text().collect();
    for expected in [
        "家长周刊",
        "2026-11-23",
        "本周甲",
        "甲的摘要。",
        "本周乙",
        "乙的摘要。",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
    assert!(text.contains("https://health.test.example/articles/week-a/"));
    assert!(
        !text.contains("上周文章") && !text.contains("ZQ下周"),
        "{text}"
    );
    assert!(html
        .select(&sel("[class], [id], style, script"))
        .next()
        .is_none());
    let index = site.read("editorial/wechat/index.html");
    assert!(index.contains("issues/parents/") && index.contains("week-a/"));
    assert!(!index.contains("zq-later"));
}
