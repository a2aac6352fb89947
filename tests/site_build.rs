//! End-to-end tests of `healthpress build` on small fixture sites: the
//! publishing rule at every output, error reporting, atomic and
//! deterministic writing, safe slugs and paths, and the pages themselves.
mod common;

use common::{all_files, all_files_readable, output_text, ArticleSpec, Fixture};
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-23";

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text_of(el: &scraper::ElementRef) -> String {
    el.text().collect::<String>()
}

/// One article in every unpublishable state, each carrying a unique marker in
/// its slug, title, summary and body, beside two published articles that
/// link to nothing unpublished.
fn site_with_every_unpublished_state() -> (Fixture, Vec<&'static str>) {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("visible-one", "公开文章一").audience(&["parents", "seniors"]));
    site.article(
        &ArticleSpec::new("visible-two", "公开文章二")
            .specialty(&["cardiology"])
            .audience(&["seniors"])
            .season(&["winter"])
            .date(TODAY),
    );
    let hidden = [
        (
            "zqxdraft",
            ArticleSpec::new("zqxdraft", "标题zqxdraft").status("draft"),
        ),
        (
            "zqxinreview",
            ArticleSpec::new("zqxinreview", "标题zqxinreview").status("in-review"),
        ),
        (
            "zqxchanges",
            ArticleSpec::new("zqxchanges", "标题zqxchanges").status("changes-requested"),
        ),
        (
            "zqxscheduled",
            ArticleSpec::new("zqxscheduled", "标题zqxscheduled").date("2026-11-24"),
        ),
        (
            "zqxexpired",
            ArticleSpec::new("zqxexpired", "标题zqxexpired").expires("2026-11-01"),
        ),
        (
            "zqxexpirestoday",
            ArticleSpec::new("zqxexpirestoday", "标题zqxexpirestoday").expires(TODAY),
        ),
        (
            "zqxstale",
            ArticleSpec::new("zqxstale", "标题zqxstale").stale(),
        ),
    ];
    let mut markers = Vec::new();
    for (marker, spec) in hidden {
        let spec = spec
            .summary(&format!("摘要 {marker}-summary"))
            .body(&format!(
                "正文 {marker}-body\n\n## 小标题 {marker}-heading\n"
            ));
        site.article(&spec);
        markers.push(marker);
    }
    (site, markers)
}

#[test]
fn no_unpublished_article_reaches_any_file_under_public() {
    let (site, markers) = site_with_every_unpublished_state();
    let out = site.build(TODAY);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("2 published"), "{summary}");
    // The search index is read decompressed, as a browser reads it.
    let files = all_files_readable(&site.public());
    let fragments: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with("pagefind/fragment/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert_eq!(fragments.len(), 2, "one search record per public article");
    assert!(fragments.iter().any(|f| f.contains("公开文章一")));
    assert!(
        files.len() > 10,
        "expected a full site, got {} files",
        files.len()
    );
    // Expired articles were public: each leaves a tombstone at its URL
    // (tests/tombstones.rs), which names its slug and nothing else of it.
    let tombstone = |marker: &str| {
        marker
            .starts_with("zqxexpire")
            .then(|| format!("articles/{marker}/index.html"))
    };
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for marker in &markers {
            // What leads to a tombstone names its URL too: the short link,
            // the redirect table and the manifest of public URLs.
            let leads_there = marker.starts_with("zqxexpire")
                && (path == &format!("s/{marker}/index.html")
                    || path == "_redirects"
                    || path == ".healthpress/manifest.json");
            if leads_there {
                assert!(
                    !text.contains(&format!("标题{marker}")),
                    "{path} names the title"
                );
                continue;
            }
            if tombstone(marker).as_deref() == Some(path.as_str()) {
                assert!(text.contains("noindex"), "{path} is not a tombstone");
                for old in [
                    format!("标题{marker}"),
                    format!("{marker}-summary"),
                    format!("{marker}-body"),
                    format!("{marker}-heading"),
                ] {
                    assert!(!text.contains(&old), "the tombstone {path} shows `{old}`");
                }
                continue;
            }
            assert!(
                !text.contains(marker) && !path.contains(marker),
                "unpublished marker `{marker}` leaked into public/{path}"
            );
        }
    }
    assert!(files
        .iter()
        .any(|(p, _)| p == "articles/visible-one/index.html"));
    assert!(files
        .iter()
        .any(|(p, _)| p == "articles/visible-two/index.html"));
}

#[test]
fn the_publishing_rule_follows_as_of() {
    let (site, _) = site_with_every_unpublished_state();
    // A day later the scheduled article is out; the expired ones stay out.
    site.build("2026-11-24");
    let files = all_files(&site.public());
    let has = |slug: &str| {
        files
            .iter()
            .any(|(p, _)| p == &format!("articles/{slug}/index.html"))
    };
    assert!(has("zqxscheduled"));
    assert!(!has("zqxstale") && !has("zqxdraft"));
    // The expired ones are tombstones now.
    for slug in ["zqxexpired", "zqxexpirestoday"] {
        let page = site.read(&format!("public/articles/{slug}/index.html"));
        assert!(page.contains("noindex") && !page.contains(&format!("{slug}-body")));
    }
    // Before its expiry date an article is public.
    site.build("2026-10-15");
    let files = all_files(&site.public());
    let has = |slug: &str| {
        files
            .iter()
            .any(|(p, _)| p == &format!("articles/{slug}/index.html"))
    };
    assert!(has("zqxexpired") && has("zqxexpirestoday"));
    assert!(
        !has("visible-two"),
        "dated 2026-11-23, not public on 2026-10-15"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let (site, _) = site_with_every_unpublished_state();
    site.build(TODAY);
    let first = all_files(&site.public());
    site.build(TODAY);
    let second = all_files(&site.public());
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between builds", a.0);
    }
}

#[test]
fn article_page_shows_review_credentials_and_json_ld() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("heart", "冬季护心")
            .specialty(&["cardiology"])
            .audience(&["seniors"])
            .season(&["winter"]),
    );
    let mut spec = ArticleSpec::new("heart", "冬季护心")
        .specialty(&["cardiology"])
        .audience(&["seniors"])
        .season(&["winter"]);
    spec.reviewer = "dr-wang".into();
    spec.body = format!("{}\n", "天冷时注意保暖。".repeat(200));
    site.article(&spec);
    site.build(TODAY);
    let page = site.read("public/articles/heart/index.html");
    let html = Html::parse_document(&page);
    let text = text_of(&select(&html, "article")[0]);
    assert!(
        text.contains("王明") && text.contains("主任医师"),
        "reviewer credentials"
    );
    assert!(text.contains("孙悦"), "author");
    assert!(
        text.contains("2026年9月25日"),
        "last reviewed date, as Chinese writes it"
    );
    assert!(text.contains("国家卫生健康委员会相关指南"), "sources");
    assert!(text.contains("不能代替医生的诊断"), "disclaimer");
    // 1,600 CJK characters at ~400 a minute.
    assert!(text.contains(" 4 "), "reading time of 4 minutes in: {text}");
    let ld = select(&html, "script[type='application/ld+json']");
    assert_eq!(ld.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&text_of(&ld[0])).expect("JSON-LD parses");
    assert_eq!(json["@type"], "MedicalWebPage");
    assert_eq!(json["lastReviewed"], "2026-09-25");
    assert!(json["reviewedBy"].to_string().contains("王明"));
    assert!(json.to_string().contains("Cardiovascular"));
    let term_links: Vec<&str> = select(&html, ".article-terms a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(term_links.contains(&"/audience/seniors/"), "{term_links:?}");
    assert!(
        term_links.contains(&"/specialty/cardiology/"),
        "{term_links:?}"
    );
    assert!(term_links.contains(&"/season/winter/"), "{term_links:?}");
}

#[test]
fn term_pages_paginate_and_feeds_sitemap_robots_exist() {
    let site = Fixture::new();
    for i in 0..12 {
        site.article(
            &ArticleSpec::new(&format!("p{i:02}"), &format!("文章{i:02}"))
                .date(&format!("2026-10-{:02}", i + 1)),
        );
    }
    site.build(TODAY);
    // paginate: 5 in the fixture site.yaml: 12 articles make three pages.
    let first = Html::parse_document(&site.read("public/audience/parents/index.html"));
    assert_eq!(select(&first, "main li.card").len(), 5);
    let next: Vec<&str> = select(&first, "nav.pagination a[rel=next]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(next, ["/audience/parents/page/2/"]);
    let third = site.read("public/audience/parents/page/3/index.html");
    assert!(
        third.contains("文章00") && third.contains("文章01"),
        "oldest on the last page"
    );
    assert!(site.root().join("public/audience/index.html").exists());
    assert!(site
        .root()
        .join("public/audience/parents/specialty/pediatrics/index.html")
        .exists());
    // Every vocabulary term keeps a stable URL; with nothing public it says so.
    let empty = site.read("public/audience/seniors/index.html");
    assert!(empty.contains("暂无已发布的文章") && !empty.contains("/articles/"));
    let feed = site.read("public/audience/parents/atom.xml");
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry ").count(), 12);
    // Times are midnight in the site's zone (Asia/Shanghai), with its offset.
    assert!(
        feed.contains("<updated>2026-10-12T00:00:00+08:00</updated>"),
        "{feed}"
    );
    // An empty feed was last updated when the site was, never in 1970.
    let empty_feed = site.read("public/audience/seniors/atom.xml");
    assert!(!empty_feed.contains("1970"), "{empty_feed}");
    assert!(
        empty_feed.contains("<updated>2026-10-12T00:00:00+08:00</updated>"),
        "{empty_feed}"
    );
    let site_feed = site.read("public/atom.xml");
    assert!(site_feed.contains("https://health.test.example/articles/p11/"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://health.test.example/articles/p05/</loc><lastmod>2026-10-06</lastmod>"
        ),
        "{sitemap}"
    );
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://health.test.example/sitemap.xml"));
    assert!(site.read("public/404.html").contains("<html"));
}

#[test]
fn term_feeds_hold_the_latest_twenty() {
    let site = Fixture::new();
    for i in 0..25 {
        site.article(
            &ArticleSpec::new(&format!("f{i:02}"), &format!("条目{i:02}"))
                .date(&format!("2026-10-{:02}", i + 1)),
        );
    }
    site.build(TODAY);
    let feed = site.read("public/specialty/pediatrics/atom.xml");
    assert_eq!(feed.matches("<entry ").count(), 20);
    assert!(feed.contains("条目24") && !feed.contains("条目04"));
}

#[test]
fn home_page_shows_in_season_articles_and_observances() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("autumn-one", "秋季话题")
            .season(&["autumn"])
            .date("2026-10-01"),
    );
    site.article(
        &ArticleSpec::new("summer-one", "夏季话题")
            .season(&["summer"])
            .date("2026-10-02"),
    );
    site.build("2026-11-05");
    let html = Html::parse_document(&site.read("public/index.html"));
    let in_season = text_of(&select(&html, "section[aria-labelledby='in-season']")[0]);
    assert!(in_season.contains("秋季话题"));
    assert!(!in_season.contains("夏季话题"));
    // The fixture calendar's observance is 11-14: nine days ahead.
    let page = site.read("public/index.html");
    assert!(
        page.contains("世界糖尿病日"),
        "upcoming observance on the home page"
    );
}

#[test]
fn init_writes_a_starter_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("starter");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["build"])
        .current_dir(&target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(target.join("public/index.html").exists());
    // A second init refuses to overwrite.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// The example site is what a CI copied from docs/github-actions.yml checks
/// on every pull request: it must pass `check` (warnings allowed), on the
/// README's day and today. Its stale approval was a teaching case; stale
/// approvals are shown by the fixtures of `site_with_every_unpublished_state`
/// and tests/review_workflow.rs instead.
#[test]
fn the_example_site_in_the_repository_passes_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for as_of in [Some(TODAY), None] {
        let mut args = vec!["check"];
        if let Some(day) = as_of {
            args.extend(["--as-of", day]);
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(&args)
            .current_dir(root)
            .output()
            .unwrap();
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}:\n{text}");
        assert!(text.contains(" 0 error(s)"), "{text}");
    }
}

#[test]
fn the_example_site_in_the_repository_builds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["build", "--as-of", TODAY, "--out", public.to_str().unwrap()])
        .args([
            "--editorial-out",
            out_dir.path().join("editorial").to_str().unwrap(),
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("19 published, 2 scheduled, 1 drafts, 1 in review, 1 changes requested, 0 stale approvals, 0 unsigned, 0 bad signatures, 1 expired"),
        "the README's description of the example site:\n{summary}"
    );
    for marker in ["winter-heart-health", "winter-tonic-myths"] {
        for (path, bytes) in all_files(&public) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(&format!("/articles/{marker}/")),
                "unpublished {marker} linked from {path}"
            );
        }
    }
}
