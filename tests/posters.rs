//! End-to-end tests of issue 19: the QR code on a poster decodes (with an
//! independent decoder, rqrr) to the article's short link, the short link
//! page leads to the article, and after expiry to its tombstone; aliases
//! and `_redirects`; alias collisions at their line; the manifest and
//! `check`'s warnings when a published URL would move; and nothing of an
//! article that was never public in any of these outputs.

mod common;

use common::{all_files, output_text, ArticleSpec, Fixture};
use healthpress::render::qr::read_svg;
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-23";

fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

fn text_of(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Decodes the one QR code drawn in `page` (its inline SVG) with rqrr.
fn decode_qr(page: &str) -> String {
    let start = page.find("<svg").expect("the page has an SVG");
    let end = page[start..].find("</svg>").expect("closed") + start + 6;
    let matrix = read_svg(&page[start..end]).expect("a QR code SVG");
    let scale = 4;
    let w = matrix.width * scale;
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| {
        if matrix.is_dark(x / scale, y / scale) {
            0
        } else {
            255
        }
    });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

/// Where a redirect page sends the reader: (meta refresh target,
/// canonical URL, the plain link), which must agree.
fn redirect_target(page: &str) -> String {
    let html = Html::parse_document(page);
    let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh.len(), 1, "{page}");
    let to = refresh[0]
        .split_once("url=")
        .expect("refresh names a url")
        .1
        .to_string();
    let canonical = attrs(&html, "link[rel=canonical]", "href");
    assert_eq!(
        canonical,
        [format!("https://health.test.example{to}")],
        "{page}"
    );
    assert_eq!(attrs(&html, "main a", "href"), [to.as_str()], "{page}");
    assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex"]);
    to
}

/// The file serving a root-relative URL.
fn file_of(url: &str) -> String {
    format!("public{url}index.html")
}

#[test]
fn poster_qr_leads_to_the_article_then_to_its_tombstone() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("child-fever", "孩子发烧了怎么办")
            .front("id: k3x9qd")
            .expires("2026-12-15")
            .body("## 要点\n\n- 先量体温\n- 多喝水，注意休息\n- 精神差要及时就医\n\n## 何时就医\n\n正文。\n"),
    );
    site.build(TODAY);

    let poster = site.read("public/articles/child-fever/poster/index.html");
    let url = decode_qr(&poster);
    assert_eq!(
        url,
        "https://health.test.example/s/k3x9qd/?utm_medium=poster&utm_source=k3x9qd"
    );
    let html = Html::parse_document(&poster);
    assert_eq!(text_of(&html, "h1"), ["孩子发烧了怎么办"]);
    assert_eq!(
        text_of(&html, ".poster-points li"),
        ["先量体温", "多喝水，注意休息", "精神差要及时就医"]
    );
    assert_eq!(
        text_of(&html, ".poster-short-url"),
        ["health.test.example/s/k3x9qd/"]
    );
    let review = text_of(&html, ".poster-review").join(" ");
    for shown in ["李静", "主任医师", "2026-09-25", "不能代替医生的诊断"] {
        assert!(review.contains(shown), "{shown} missing: {review}");
    }
    assert!(text_of(&html, ".poster-hospital")[0].contains("测试医院"));
    assert!(
        attrs(&html, "svg.qr", "width") == ["40mm"],
        "printed at 4 cm"
    );
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://health.test.example/articles/child-fever/"]
    );

    // The short link resolves to the article page.
    let path = url.strip_prefix("https://health.test.example").unwrap();
    let path = path.split('?').next().unwrap();
    let to = redirect_target(&site.read(&file_of(path)));
    assert_eq!(to, "/articles/child-fever/");
    let article = site.read(&file_of(&to));
    assert!(article.contains("<h1>孩子发烧了怎么办</h1>"), "{article}");
    assert!(site
        .read("public/_redirects")
        .contains("/s/k3x9qd/ /articles/child-fever/ 302\n"));

    // After it expired: the same printed code leads to the tombstone.
    site.build("2026-12-20");
    let to = redirect_target(&site.read(&file_of("/s/k3x9qd/")));
    let tombstone = site.read(&file_of(&to));
    assert!(
        tombstone.contains("noindex") && tombstone.contains("2026-12-15"),
        "{tombstone}"
    );
    assert!(!tombstone.contains("孩子发烧了怎么办"));
    assert!(
        !site.public().join("articles/child-fever/poster").exists(),
        "no poster of withdrawn advice"
    );
}

#[test]
fn aliases_and_derived_slugs_redirect_and_fill_redirects_file() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("flu-vaccine", "流感疫苗")
            .front("aliases: [/articles/flu-shot/, /2019/05/flu.html]"),
    );
    // No `slug:`: the file name derives gao-xue-ya now, gao-xie-ya before.
    let mut text = ArticleSpec::new("unused", "高血压").to_markdown();
    text = text.replace("slug: unused\n", "");
    site.write("content/高血压.md", &text);
    site.write("static/_redirects", "/old-home / 301\n");
    site.build(TODAY);

    let to = redirect_target(&site.read("public/articles/flu-shot/index.html"));
    assert_eq!(to, "/articles/flu-vaccine/");
    assert_eq!(
        redirect_target(&site.read("public/2019/05/flu.html")),
        "/articles/flu-vaccine/"
    );
    assert_eq!(
        redirect_target(&site.read("public/articles/gao-xie-ya/index.html")),
        "/articles/gao-xue-ya/"
    );
    let redirects = site.read("public/_redirects");
    let lines: Vec<&str> = redirects
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        lines[0], "/old-home / 301",
        "the site's own rules first: {redirects}"
    );
    for line in [
        "/s/flu-vaccine/ /articles/flu-vaccine/ 302",
        "/articles/flu-shot/ /articles/flu-vaccine/ 301",
        "/2019/05/flu.html /articles/flu-vaccine/ 301",
        "/articles/gao-xie-ya/ /articles/gao-xue-ya/ 301",
        "/s/gao-xue-ya/ /articles/gao-xue-ya/ 302",
    ] {
        assert!(lines.contains(&line), "{line} missing:\n{redirects}");
    }
    let manifest = site.read("public/.healthpress/manifest.json");
    assert!(
        manifest.contains("\"url\": \"/articles/flu-vaccine/\""),
        "{manifest}"
    );
    // Deterministic: a second build writes the same bytes.
    site.build(TODAY);
    assert_eq!(site.read("public/_redirects"), redirects);
    assert_eq!(site.read("public/.healthpress/manifest.json"), manifest);
}

#[test]
fn alias_and_id_collisions_are_errors_at_their_line() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("flu", "流感"));
    site.article(
        &ArticleSpec::new("cold", "感冒").front("aliases:\n  - /articles/flu/\n  - /old/"),
    );
    site.article(&ArticleSpec::new("cough", "咳嗽").front("aliases: [/old]\nid: flu"));
    // Collisions are the colliding articles' own errors: `build` withholds
    // those articles and writes the rest; `check` fails the pull request.
    let out = site.run(&["check", "--as-of", TODAY]);
    assert!(!out.status.success());
    let text = output_text(&out);
    for expected in [
        "content/cold.md:6:5",   // /articles/flu/ is a page
        "content/cold.md:7:5",   // /old/ is also cough's alias
        "content/cough.md:5:11", // /old
        "content/cough.md:6:5",  // id flu is flu's short link
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(
        text.contains("is the URL of a page the build writes"),
        "{text}"
    );
    assert!(
        text.contains("is also an alias in content/cough.md"),
        "{text}"
    );
    assert!(
        text.contains("id `flu` is also the short link /s/flu/ of content/flu.md"),
        "{text}"
    );
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn check_warns_when_a_published_url_or_short_link_would_move() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("flu", "流感"));
    site.article(&ArticleSpec::new("cold", "感冒").front("id: cold1"));
    site.article(&ArticleSpec::new("gone", "已删除"));
    site.build(TODAY);
    let check = |site: &Fixture| output_text(&site.run(&["check", "--as-of", TODAY]));
    let before = check(&site);
    assert!(before.contains("warning[missing-id]"), "{before}");
    assert!(before.contains("add `id: flu`"), "{before}");
    assert!(!before.contains("slug-changed"), "{before}");

    // Renamed slugs: flu (same file) without an alias and with another
    // id; cold (moved to another file, same id) with one; `gone` deleted.
    let flu = ArticleSpec::new("influenza", "流感").front("id: flu2");
    site.write("content/flu.md", &flu.to_markdown());
    site.article(
        &ArticleSpec::new("common-cold", "感冒")
            .front("id: cold1")
            .front("aliases: [/articles/cold/]"),
    );
    std::fs::remove_file(site.root().join("content/cold.md")).unwrap();
    std::fs::remove_file(site.root().join("content/gone.md")).unwrap();
    let after = check(&site);
    assert!(after.contains("warning[slug-changed]"), "{after}");
    assert!(
        after.contains("the last build published this article at /articles/flu/"),
        "{after}"
    );
    assert!(after.contains("add `aliases: [/articles/flu/]`"), "{after}");
    assert_eq!(
        after.matches("warning[slug-changed]").count(),
        1,
        "cold has its alias: {after}"
    );
    assert!(after.contains("warning[short-link-changed]"), "{after}");
    assert!(after.contains("write `id: flu`"), "{after}");
    assert!(after.contains("warning[published-url-gone]"), "{after}");
    assert!(after.contains("/articles/gone/"), "{after}");
}

#[test]
fn nothing_of_an_unpublished_article_reaches_redirects_posters_or_the_manifest() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("visible", "公开文章"));
    let hidden = |slug: &str, title: &str| {
        ArticleSpec::new(slug, title)
            .front(&format!("id: {slug}-id"))
            .front(&format!("aliases: [/old/{slug}/]"))
    };
    site.article(&hidden("zqxdraft", "草稿zqx").status("draft"));
    site.article(&hidden("zqxsoon", "待发zqx").date("2026-12-24"));
    site.article(&hidden("zqxstale", "失效zqx").stale());
    // Approved only after it had expired: never public, no tombstone.
    let mut late = hidden("zqxlate", "过期zqx")
        .date("2026-01-01")
        .expires("2026-05-01");
    late.review_date = "2026-06-01".into();
    site.article(&late);
    site.build(TODAY);
    assert!(site.public().join("s/visible/index.html").exists());
    assert!(site
        .public()
        .join("articles/visible/poster/index.html")
        .exists());
    for (path, bytes) in all_files(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in [
            "zqxdraft",
            "zqxsoon",
            "zqxstale",
            "zqxlate",
            "草稿zqx",
            "待发zqx",
            "失效zqx",
            "过期zqx",
        ] {
            assert!(
                !text.contains(marker) && !path.contains(marker),
                "unpublished {marker} in public/{path}"
            );
        }
    }
}
