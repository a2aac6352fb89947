//! End-to-end tests of site search (docs/search.md) on fixture sites: the
//! Pagefind index holds public articles only (never digests, term pages or
//! anything unpublished), synonyms reach the index but not the page, the
//! search page and the header's box on every page. Typing queries in a
//! browser is the validation lane's job (scripts/validate/search.mjs).
mod common;

use common::{all_files_readable, output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-23";

/// The decompressed search records (`pagefind/fragment/*`) of a build.
fn records(site: &Fixture) -> Vec<String> {
    all_files_readable(&site.public())
        .into_iter()
        .filter(|(p, _)| p.starts_with("pagefind/fragment/"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

fn page(site: &Fixture, rel: &str) -> Html {
    let text = std::fs::read_to_string(site.public().join(rel)).unwrap();
    Html::parse_document(&text)
}

fn count(html: &Html, css: &str) -> usize {
    html.select(&Selector::parse(css).unwrap()).count()
}

#[test]
fn the_index_holds_each_public_article_and_nothing_else() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("fever", "孩子发热怎么办")
            .body("先测体温，多喝水。\n\n## 何时就医\n\n精神差要就医。\n"),
    );
    site.article(&ArticleSpec::new("falls", "老年人防跌倒").audience(&["seniors"]));
    site.article(&ArticleSpec::new("qzdraft", "草稿qzdraft").status("draft"));
    let out = site.build(TODAY);
    assert!(out.status.success(), "{}", output_text(&out));
    let records = records(&site);
    assert_eq!(records.len(), 2, "{records:?}");
    for record in &records {
        assert!(
            record.starts_with("pagefind_dcd{\"url\":\"/articles/"),
            "{record}"
        );
        assert!(!record.contains("qzdraft"));
        // The body is indexed; the disclaimer and review box are not.
        assert!(!record.contains("本站内容仅用于健康科普"), "{record}");
    }
    // Chinese text is stored segmented, with zero-width spaces between words.
    let fever = records
        .iter()
        .find(|r| r.contains("/articles/fever/"))
        .unwrap()
        .replace('\u{200B}', "");
    assert!(
        fever.contains("先测体温") && fever.contains("何时就医"),
        "{fever}"
    );
    assert!(fever.contains("\"audience\":[\"parents\"]"), "{fever}");
    assert!(fever.contains("\"specialty\":[\"pediatrics\"]"), "{fever}");
    assert!(fever.contains("\"summary\":"), "{fever}");
}

#[test]
fn synonyms_reach_the_index_but_not_the_page() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "孩子发热怎么办").body("体温超过 38.5℃ 算发热。\n"));
    site.article(&ArticleSpec::new("plain", "洗手").body("饭前便后要洗手。\n"));
    site.build(TODAY);
    let records = records(&site);
    let fever = records
        .iter()
        .find(|r| r.contains("/articles/fever/"))
        .unwrap();
    assert!(
        fever.contains("\"synonyms\":\"") && fever.contains("高烧"),
        "{fever}"
    );
    let plain = records
        .iter()
        .find(|r| r.contains("/articles/plain/"))
        .unwrap();
    assert!(!plain.contains("\"synonyms\""), "{plain}");
    let html = std::fs::read_to_string(site.public().join("articles/fever/index.html")).unwrap();
    assert!(!html.contains("高烧"), "synonyms are not shown on the page");
}

#[test]
fn site_yaml_adds_synonym_groups_and_rejects_bad_ones() {
    let extra = format!(
        "{SITE_YAML}search:\n  synonyms:\n    - {{ lay: [富贵包], medical: [颈背部脂肪垫], source: 本院骨科 }}\n"
    );
    let site = Fixture::with_config(&extra, CALENDAR_YAML);
    site.article(&ArticleSpec::new("neck", "颈背部脂肪垫是什么").body("久坐低头。\n"));
    let out = site.build(TODAY);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(records(&site).iter().any(|r| r.contains("富贵包")));

    let bad = format!(
        "{SITE_YAML}search:\n  synonyms:\n    - {{ lay: [\"a, b\"], medical: [c], source: x }}\n"
    );
    let site = Fixture::with_config(&bad, CALENDAR_YAML);
    site.article(&ArticleSpec::new("neck", "颈痛"));
    let out = site.run(&["build", "--as-of", TODAY]);
    let text = output_text(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("site.yaml") && text.contains("bad-synonyms"),
        "{text}"
    );
}

#[test]
fn a_remembered_index_is_reused_only_for_the_same_documents() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "孩子发热怎么办").body("多喝水。\n"));
    site.article(&ArticleSpec::new("qzsecret", "跌倒qzsecret"));
    let index_files = |site: &Fixture| -> Vec<(String, Vec<u8>)> {
        all_files_readable(&site.public())
            .into_iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .collect()
    };
    assert!(site.build(TODAY).status.success());
    assert!(site
        .root()
        .join(".healthpress-cache/search-index")
        .is_file());
    let first = index_files(&site);
    assert!(records(&site).iter().any(|r| r.contains("qzsecret")));
    // Same documents: the same bytes, from the remembered index.
    std::fs::remove_dir_all(site.public()).unwrap();
    assert!(site.build(TODAY).status.success());
    assert!(first == index_files(&site));
    // An article withdrawn (now a draft) leaves the index at once.
    site.article(&ArticleSpec::new("qzsecret", "跌倒qzsecret").status("draft"));
    assert!(site.build(TODAY).status.success());
    assert!(!records(&site).iter().any(|r| r.contains("qzsecret")));
    // An edited body is indexed again.
    site.article(&ArticleSpec::new("fever", "孩子发热怎么办").body("多喝水qznewword。\n"));
    assert!(site.build(TODAY).status.success());
    assert!(records(&site).iter().any(|r| r.contains("qznewword")));
    // A damaged cache is a miss: the index is built again.
    std::fs::write(
        site.root().join(".healthpress-cache/search-index"),
        b"hpsrch01xx",
    )
    .unwrap();
    std::fs::remove_dir_all(site.public()).unwrap();
    assert!(site.build(TODAY).status.success());
    assert!(records(&site).iter().any(|r| r.contains("qznewword")));
}

#[test]
fn every_page_has_a_search_box_and_the_search_page_works_without_javascript() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "孩子发热怎么办"));
    site.build(TODAY);
    for rel in [
        "index.html",
        "articles/fever/index.html",
        "audience/parents/index.html",
        "audience/index.html",
        "404.html",
    ] {
        let html = page(&site, rel);
        assert_eq!(
            count(
                &html,
                "header form[role=search][action='/search/'] input[name=q][type=search]"
            ),
            1,
            "{rel}"
        );
        assert_eq!(
            count(&html, "header form label[for=site-search-q]"),
            1,
            "{rel}"
        );
    }
    let search = page(&site, "search/index.html");
    assert_eq!(
        count(&search, "main form[action='/search/'] input[name=q]"),
        1
    );
    assert_eq!(
        count(&search, "header form[role=search]"),
        0,
        "one search form on /search/"
    );
    assert_eq!(
        count(&search, "script[type=module][src='/static/search.js']"),
        1
    );
    assert_eq!(count(&search, "#search[data-bundle='/pagefind/']"), 1);
    // The page without JavaScript: the explanation and the browse pages.
    assert_eq!(count(&search, ".search-nojs p"), 1);
    assert_eq!(count(&search, ".search-browse a[href='/audience/']"), 1);
    assert_eq!(
        count(&search, ".search-browse a[href='/audience/parents/']"),
        1
    );
    assert_eq!(
        count(&search, ".search-browse a[href='/audience/seniors/']"),
        0,
        "no articles"
    );
    // Filters: every term of every taxonomy.
    assert_eq!(count(&search, "input[type=checkbox][name=audience]"), 3);
    assert_eq!(
        count(&search, "input[type=checkbox][name=season][value=winter]"),
        1
    );
    let article = page(&site, "articles/fever/index.html");
    assert_eq!(count(&article, "article[data-pagefind-body]"), 1);
    assert_eq!(
        count(&article, "[data-pagefind-filter='audience:parents']"),
        1
    );
    assert_eq!(count(&article, "aside.disclaimer[data-pagefind-ignore]"), 1);
    let script = std::fs::read_to_string(site.public().join("static/search.js")).unwrap();
    assert!(script.contains("createInstance"));
}

#[test]
fn a_site_with_no_public_article_still_gets_a_search_page_and_an_empty_index() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("qzdraft", "草稿").status("draft"));
    let out = site.build(TODAY);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(records(&site).is_empty());
    assert!(site.public().join("search/index.html").is_file());
    assert!(site.public().join("pagefind/pagefind-entry.json").is_file());
}
