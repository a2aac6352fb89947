//! End-to-end tests of how `healthpress build` handles bad and hostile
//! input: errors located in one run, a failed build keeping `public/`,
//! safe slugs, paths and output folders, sanitized HTML and escaping.

mod common;

use std::fs;

use common::{all_files, output_text, ArticleSpec, Fixture};
use scraper::{Html, Selector};

const TODAY: &str = "2026-11-23";

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn every_error_is_reported_with_file_line_and_column_in_one_run() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fine", "没问题"));
    site.write(
        "content/unknown-key.md",
        "---\ntitle: T\ncolour: red\ndate: 2026-10-01\nsummary: S\naudience: [parents]\nspecialty: [pediatrics]\nseason: [winter]\nreview:\n  status: draft\n---\nbody\n",
    );
    site.write(
        "content/bad-term.md",
        "---\ntitle: T\ndate: 2026-10-01\nsummary: S\naudience: [parentz]\nspecialty: [pediatrics]\nseason: [winter]\nauthors: [nobody]\nreview:\n  status: draft\n---\nbody\n",
    );
    site.write(
        "content/bad-date.md",
        "---\ntitle: T\ndate: 2026-02-30\nsummary: S\naudience: [parents]\nspecialty: [pediatrics]\nseason: [winter]\nreview:\n  status: draft\n---\nbody\n",
    );
    site.article(&ArticleSpec::new("fine", "同名").status("draft"));
    site.write(
        "content/dup/fine.md",
        &ArticleSpec::new("fine", "重复").to_markdown(),
    );
    // Each problem is confined to its article: those are withheld, the
    // rest is built (exit 0, so a daily build still deploys), and every
    // error is printed; `check` fails on them (tests/withheld_articles.rs).
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let text = output_text(&out);
    for expected in [
        "content/unknown-key.md:3:1: error",
        "unknown key `colour`",
        "The keys here are: title, slug, date",
        "content/bad-term.md:5:12: error[unknown-term]",
        "use one of: office-workers, parents, seniors",
        "content/bad-term.md:8:11: error[unknown-person]",
        "content/bad-date.md:3:7: error",
        "2026-02-30",
        "duplicate",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(text.contains("5 withheld (errors)"), "{text}");
    for withheld in ["fine", "unknown-key", "bad-term", "bad-date"] {
        assert!(
            !site.public().join(format!("articles/{withheld}")).exists(),
            "{withheld} was published"
        );
    }
}

#[test]
fn a_failed_build_leaves_the_previous_public_byte_identical() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    site.build(TODAY);
    let before = all_files(&site.public());
    // A broken calendar.yaml makes the whole site wrong: public/ is not
    // touched. (A broken article only withholds itself.)
    site.write("calendar.yaml", "slots: [unclosed\n");
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("calendar.yaml:1:"),
        "{}",
        output_text(&out)
    );
    assert_eq!(before, all_files(&site.public()));
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".healthpress-tmp")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary output left behind: {leftovers:?}"
    );
}

#[test]
fn a_template_error_fails_the_build_and_keeps_public() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    site.build(TODAY);
    let before = all_files(&site.public());
    let theme = site.root().join("themes/default/templates");
    fs::create_dir_all(&theme).unwrap();
    // A site theme folder overrides the built-in one; copy it and break it.
    let out = site.run(&["theme", "eject"]);
    assert!(out.status.success(), "{}", output_text(&out));
    fs::write(theme.join("article.html"), "{% extends \"base.html\" %}{% block content %}{{ article.title | nosuchfilter }}{% endblock content %}").unwrap();
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_ne!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("article.html"),
        "{}",
        output_text(&out)
    );
    assert_eq!(before, all_files(&site.public()));
}

#[test]
fn chinese_file_names_get_ascii_slugs_and_unsafe_slugs_are_errors() {
    let site = Fixture::new();
    let mut spec = ArticleSpec::new("unused", "儿童咳嗽");
    spec.slug = String::new();
    let text = spec.to_markdown().replace("slug: \n", "");
    site.write("content/儿童咳嗽.md", &text);
    site.build(TODAY);
    let files = all_files(&site.public());
    assert!(
        files
            .iter()
            .any(|(p, _)| p == "articles/er-tong-ke-sou/index.html"),
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(
        files.iter().all(|(p, _)| p.is_ascii()),
        "non-ASCII output path"
    );

    for bad in ["../escape", "a/b", "a\\\\b"] {
        let site = Fixture::new();
        let text = ArticleSpec::new("placeholder", "坏路径")
            .to_markdown()
            .replace("slug: placeholder", &format!("slug: \"{bad}\""));
        site.write("content/bad.md", &text);
        // Withheld, never written anywhere (exit 0: the rest is built).
        let out = site.run(&["build", "--as-of", TODAY]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "slug {bad}: {}",
            output_text(&out)
        );
        assert!(output_text(&out).contains("1 withheld (errors)"));
        assert!(
            output_text(&out).contains("content/bad.md:3:"),
            "{}",
            output_text(&out)
        );
        assert!(!site.root().join("escape").exists());
    }
}

#[test]
fn refuses_output_folders_that_hold_the_site() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    for out_dir in [".", "content", "content/sub", ".."] {
        let out = site.run(&["build", "--as-of", TODAY, "--out", out_dir]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--out {out_dir}: {}",
            output_text(&out)
        );
        assert!(
            output_text(&out).contains("refusing"),
            "{}",
            output_text(&out)
        );
    }
    assert!(site.root().join("content/one.md").exists());
    assert!(site.root().join("site.yaml").exists());
    // A non-empty folder that healthpress did not write is not replaced.
    site.write("mine/notes.txt", "my notes");
    let out = site.run(&["build", "--as-of", TODAY, "--out", "mine"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert_eq!(
        fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn links_to_unpublished_or_missing_articles_are_errors() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("target", "目标文章"));
    site.article(&ArticleSpec::new("draft-target", "草稿").status("draft"));
    site.article(
        &ArticleSpec::new("linker", "链接文章")
            .body("见[目标](target.md)和[草稿](draft-target.md)以及[不存在](missing.md)。\n"),
    );
    // Confined to one article: the site is written, both links are text.
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let text = output_text(&out);
    assert!(
        text.contains("content/linker.md") && text.contains("draft-target.md"),
        "{text}"
    );
    assert!(text.contains("warning[link-to-unpublished]"), "{text}");
    assert!(
        text.contains("error[broken-link]") && text.contains("missing.md"),
        "{text}"
    );
    assert!(
        !text.contains("`target.md`"),
        "the published target is fine: {text}"
    );
    let page = site.read("public/articles/linker/index.html");
    assert!(
        !page.contains("draft-target") && page.contains("草稿"),
        "{page}"
    );
    // `check` warns about the unpublished target and fails on the missing one.
    let check = site.run(&["check", "--as-of", TODAY]);
    assert_eq!(check.status.code(), Some(1), "{}", output_text(&check));

    site.article(&ArticleSpec::new("linker", "链接文章").body("见[目标](target.md)。\n"));
    site.build(TODAY);
    let html = Html::parse_document(&site.read("public/articles/linker/index.html"));
    let hrefs: Vec<String> = select(&html, ".content a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(hrefs.iter().any(|h| h == "/articles/target/"), "{hrefs:?}");
}

#[test]
fn raw_html_and_script_urls_are_sanitized() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("xss", "安全测试").body(
        "正文<script>alert('zqxscript')</script>\n\n<img src=x onerror=\"alert('zqxonerror')\">\n\n<a href=\"javascript:alert('zqxjs')\">点我</a>\n\n[链接](javascript:alert('zqxmd'))\n",
    ));
    // Unsafe links are errors (`check` fails the pull request), confined
    // to the article: the build writes the site, the link removed.
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("error[unsafe-link]"),
        "{}",
        output_text(&out)
    );
    let page = site.read("public/articles/xss/index.html");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("链接") && page.contains("点我"));
    let check = site.run(&["check", "--as-of", TODAY]);
    assert_eq!(check.status.code(), Some(1), "{}", output_text(&check));

    site.article(&ArticleSpec::new("xss", "安全测试").body(
        "正文<script>alert('zqxscript')</script>\n\n<img src=x onerror=\"alert('zqxonerror')\" alt=\"图\">\n\n<b onclick=\"zqxclick()\">粗体</b>\n",
    ));
    site.build(TODAY);
    let page = site.read("public/articles/xss/index.html");
    let html = Html::parse_document(&page);
    for el in select(&html, "body *") {
        assert_ne!(el.value().name(), "script", "script survived");
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} survived");
            assert!(!value.to_lowercase().contains("javascript:"));
        }
    }
    assert!(!page.contains("zqxscript") || !page.contains("<script>alert"));
    assert!(page.contains("粗体"));
}

#[test]
fn oversized_front_matter_is_an_error_not_a_hang() {
    let site = Fixture::new();
    let huge = "x".repeat(70 * 1024);
    site.write(
        "content/huge.md",
        &format!("---\ntitle: T\nsummary: \"{huge}\"\n---\nbody\n"),
    );
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(output_text(&out).contains("1 withheld (errors)"));
    assert!(
        output_text(&out).contains("content/huge.md"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn markup_in_titles_and_summaries_is_escaped_in_every_output() {
    let site = Fixture::new();
    site.article(
        &ArticleSpec::new("escape", "<script>alert('zqxtitle')</script>标题")
            .summary("<img src=x onerror=alert('zqxsummary')>摘要 & more"),
    );
    site.build(TODAY);
    let files = all_files(&site.public());
    let mut seen = 0;
    for (path, bytes) in &files {
        // Plain-text e-mail shows the title as written; it is not markup.
        if path.ends_with(".txt") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        if text.contains("zqxtitle") {
            seen += 1;
        }
        assert!(!text.contains("<script>alert"), "unescaped title in {path}");
        assert!(!text.contains("<img src=x"), "unescaped summary in {path}");
    }
    assert!(
        seen >= 5,
        "the title should appear in the page, listings and feeds ({seen} files)"
    );
}

#[test]
fn symlinks_out_of_the_site_are_refused() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "zqxsecret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/link.md"),
    )
    .unwrap();
    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("content/link.md"),
        "{}",
        output_text(&out)
    );
    assert!(!site.public().exists());
}
