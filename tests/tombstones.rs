//! End-to-end tests of tombstones: an article that was public and expired
//! or was withdrawn leaves a small `noindex` page at its URL saying when,
//! linking to its replacement and home, and never its old text; articles
//! that were never public leave nothing.

mod common;

use common::{all_files, output_text, ArticleSpec, Fixture};
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-23";

fn marked(slug: &str) -> ArticleSpec {
    ArticleSpec::new(slug, &format!("标题{slug}"))
        .summary(&format!("摘要 {slug}-summary"))
        .body(&format!("正文 {slug}-body\n"))
}

fn select_attr(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn expired_and_withdrawn_articles_leave_tombstones_without_their_text() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("new-advice", "新版建议"));
    site.article(&marked("zqxexpired").expires("2026-11-01"));
    site.article(
        &marked("zqxwithdrawn")
            .front("withdrawn: 2026-11-20")
            .front("replaced_by: new-advice"),
    );
    site.article(
        &ArticleSpec::new("en-old", "Old advice zqxenglish")
            .front("lang: en")
            .expires("2026-11-10"),
    );
    let out = site.build(TODAY);
    let summary = output_text(&out);
    assert!(summary.contains("2 expired, 1 withdrawn"), "{summary}");

    let page = site.read("public/articles/zqxexpired/index.html");
    let html = Html::parse_document(&page);
    assert_eq!(
        select_attr(&html, "meta[name=robots]", "content"),
        ["noindex"]
    );
    assert_eq!(
        select_attr(&html, ".tombstone time", "datetime"),
        ["2026-11-01"]
    );
    assert!(page.contains("已于"), "{page}");
    assert!(select_attr(&html, "main a", "href").contains(&"/".to_string()));

    let page = site.read("public/articles/zqxwithdrawn/index.html");
    let html = Html::parse_document(&page);
    assert_eq!(
        select_attr(&html, ".tombstone time", "datetime"),
        ["2026-11-20"]
    );
    assert!(
        select_attr(&html, "main a", "href").contains(&"/articles/new-advice/".to_string()),
        "{page}"
    );
    assert!(page.contains("新版建议"));

    let page = site.read("public/articles/en-old/index.html");
    assert!(page.contains("This advice was withdrawn on"), "{page}");
    assert!(page.contains("lang=\"en\""));

    // Never the old text, anywhere; the slug only at the tombstone itself.
    for (path, bytes) in all_files(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for slug in ["zqxexpired", "zqxwithdrawn"] {
            for old in [
                format!("标题{slug}"),
                format!("{slug}-summary"),
                format!("{slug}-body"),
            ] {
                assert!(!text.contains(&old), "public/{path} shows `{old}`");
            }
            // Its URL and its short link lead to the tombstone (printed QR
            // codes must not 404); the redirect table and manifest say so.
            let allowed = [
                format!("articles/{slug}/index.html"),
                format!("s/{slug}/index.html"),
                "_redirects".to_string(),
                ".healthpress/manifest.json".to_string(),
            ];
            if !allowed.contains(&path) {
                assert!(!text.contains(slug), "public/{path} names {slug}");
            }
        }
        assert!(!text.contains("zqxenglish"), "public/{path}");
    }
}

#[test]
fn articles_that_were_never_public_leave_nothing() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("visible", "公开"));
    // Withdrawn before its publish date; a draft past its expiry; approved
    // only after it had expired; a replacement that is not public.
    site.article(
        &marked("zqxearly")
            .date("2026-11-10")
            .front("withdrawn: 2026-11-05"),
    );
    site.article(&marked("zqxdraft").status("draft").expires("2026-11-01"));
    let mut late = marked("zqxlate").date("2026-01-01").expires("2026-05-01");
    late.review_date = "2026-06-01".into();
    site.article(&late);
    site.article(&marked("zqxsoon").date("2026-12-24"));
    site.article(
        &marked("gone")
            .front("withdrawn: 2026-11-20")
            .front("replaced_by: zqxsoon"),
    );
    site.build(TODAY);
    for (path, bytes) in all_files(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["zqxearly", "zqxdraft", "zqxlate", "zqxsoon"] {
            assert!(
                !text.contains(marker) && !path.contains(marker),
                "never-public {marker} in public/{path}"
            );
        }
    }
    assert!(site.public().join("articles/gone/index.html").is_file());
}

#[test]
fn an_unknown_replacement_is_a_check_warning() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("a", "甲").front("replaced_by: nobody-here"));
    let out = site.run(&["check", "--as-of", TODAY]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[unknown-replacement]"), "{text}");
}
