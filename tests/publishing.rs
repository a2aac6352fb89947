//! End-to-end tests of the per-article publishing rule: links from public
//! articles to articles that are not public, in every form a link can
//! take, render as their text and name nothing of the target; `check`
//! warns about them, and ahead of time about targets that are about to
//! expire; and a site walked day by day through a year of expiries and
//! scheduled articles builds every day without ever publishing an
//! unpublished marker (an article whose own front matter is wrong
//! included).

mod common;

use common::{all_files, output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";
/// The hidden target's slug and title: neither may appear under public/.
const SLUG: &str = "zqx-hidden";
const TITLE: &str = "ZQX隐藏标题";

/// Every form a link can take, all to the hidden target.
const EVERY_FORM: &str = "\
相对链接：[相对](zqx-hidden.md)。

绝对路径：[绝对](/articles/zqx-hidden/)，带锚点：[锚点](/articles/zqx-hidden/#part)。

完整网址：[网址](https://health.test.example/articles/zqx-hidden/)。

自动链接：<https://health.test.example/articles/zqx-hidden/>。

引用链接：[引用][r]。

[r]: /articles/zqx-hidden/ \"引用标题\"

相对网址：[上级](../zqx-hidden/)。

图片：![示意图](/articles/zqx-hidden/chart.png)

<p><a href=\"/articles/zqx-hidden/\">网页链接</a> 和 <img src=\"https://health.test.example/articles/zqx-hidden/x.png\" alt=\"网页图片\"></p>

<map name=\"m\"><area href=\"/articles/zqx-hidden/\" alt=\"区域\" shape=\"rect\" coords=\"0,0,1,1\"></map>

<blockquote cite=\"/articles/zqx-hidden/\">引用块</blockquote>
";

/// Link texts that must survive as text.
const TEXTS: &[&str] = &[
    "相对",
    "绝对",
    "锚点",
    "网址",
    "引用",
    "上级",
    "示意图",
    "网页链接",
    "网页图片",
    "引用块",
];

fn site_with_target(target: ArticleSpec) -> Fixture {
    let site = Fixture::new();
    site.article(&target);
    site.article(&ArticleSpec::new("linker", "链接文章").body(EVERY_FORM));
    site
}

fn assert_nothing_names_the_target(site: &Fixture, context: &str) {
    for (path, bytes) in all_files(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        // An expired target that was public has a tombstone at its own URL
        // (tests/tombstones.rs): its slug is in its canonical URL there.
        let own = path == format!("articles/{SLUG}/index.html");
        assert!(
            (own || !text.contains(SLUG)) && !text.contains(TITLE),
            "{context}: public/{path} names the hidden article"
        );
    }
}

#[test]
fn links_to_an_unpublished_article_in_every_form_become_text() {
    let states: [(&str, ArticleSpec); 5] = [
        (
            "scheduled",
            ArticleSpec::new(SLUG, TITLE).date("2026-12-20"),
        ),
        ("draft", ArticleSpec::new(SLUG, TITLE).status("draft")),
        (
            "expired",
            ArticleSpec::new(SLUG, TITLE).expires("2026-11-20"),
        ),
        ("stale", ArticleSpec::new(SLUG, TITLE).stale()),
        (
            "withdrawn",
            ArticleSpec::new(SLUG, TITLE)
                .date("2026-12-20")
                .front("withdrawn: 2026-11-01"),
        ),
    ];
    for (state, target) in states {
        let site = site_with_target(target);
        let out = site.run(&["build", "--as-of", TODAY]);
        assert!(out.status.success(), "{state}: {}", output_text(&out));
        assert_nothing_names_the_target(&site, state);
        let page = site.read("public/articles/linker/index.html");
        for text in TEXTS {
            assert!(page.contains(text), "{state}: `{text}` lost:\n{page}");
        }
        let doc = scraper::Html::parse_document(&page);
        let imgs = scraper::Selector::parse(".content img").unwrap();
        assert_eq!(doc.select(&imgs).count(), 0, "{state}: images dropped");

        // `check` warns (every form), and does not fail.
        let check = site.run(&["check", "--as-of", TODAY]);
        let text = output_text(&check);
        // A stale approval is itself an error for the pull request.
        let expected = if state == "stale" { 1 } else { 0 };
        assert_eq!(check.status.code(), Some(expected), "{state}: {text}");
        let warnings = text.matches("warning[link-to-unpublished]").count();
        assert!(warnings >= 10, "{state}: {warnings} warnings:\n{text}");
        if state == "scheduled" {
            assert!(text.contains("is scheduled for 2026-12-20"), "{text}");
        }
    }
}

#[test]
fn once_the_target_is_public_every_form_links_to_it() {
    let site = site_with_target(ArticleSpec::new(SLUG, TITLE).date("2026-12-20"));
    site.build("2026-12-20");
    let page = site.read("public/articles/linker/index.html");
    let doc = scraper::Html::parse_document(&page);
    let links = scraper::Selector::parse(".content a[href]").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains(SLUG))
        .collect();
    assert!(hrefs.len() >= 8, "{hrefs:?}");
    assert!(hrefs.contains(&"/articles/zqx-hidden/"), "{hrefs:?}");
}

#[test]
fn check_warns_ahead_of_time_within_the_horizon() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("ending", "即将过期").expires("2026-12-01"));
    site.article(&ArticleSpec::new("withdrawing", "即将撤回").front("withdrawn: 2026-12-03"));
    site.article(&ArticleSpec::new("later", "以后过期").expires("2027-06-01"));
    site.article(
        &ArticleSpec::new("linker", "链接文章")
            .body("见[一](ending.md)、[二](/articles/withdrawing/)和[三](later.md)。\n"),
    );
    let check = site.run(&["check", "--as-of", TODAY]);
    let text = output_text(&check);
    assert_eq!(check.status.code(), Some(0), "{text}");
    assert!(
        text.contains("links to `ending`, which expires on 2026-12-01"),
        "{text}"
    );
    assert!(
        text.contains("links to `withdrawing`, which is withdrawn on 2026-12-03"),
        "{text}"
    );
    assert!(!text.contains("`later`"), "{text}");
    let check = site.run(&["check", "--as-of", TODAY, "--horizon", "9"]);
    let text = output_text(&check);
    assert!(
        text.contains("`ending`") && !text.contains("`withdrawing`"),
        "{text}"
    );
    // The links still work until then.
    site.build(TODAY);
    let page = site.read("public/articles/linker/index.html");
    assert!(page.contains("href=\"/articles/ending/\""), "{page}");
}

#[test]
fn an_edited_published_article_does_not_stop_the_site() {
    // A typo fix after sign-off makes the approval stale: that article is
    // withheld, the articles linking to it still build.
    let site = Fixture::new();
    site.article(&ArticleSpec::new("target", "目标文章").stale());
    site.article(&ArticleSpec::new("a", "甲").body("见[目标](target.md)。\n"));
    site.article(&ArticleSpec::new("b", "乙").body("见[目标](/articles/target/)。\n"));
    let out = site.build(TODAY);
    assert!(output_text(&out).contains("link-to-unpublished"));
    assert!(site.public().join("articles/a/index.html").is_file());
    assert!(!site.public().join("articles/target").exists());
}

/// Site for the year walk: articles going live and expiring across 2027,
/// linking to each other in several forms.
fn year_site() -> Fixture {
    // A monthly newsletter: digests are walked too, but twelve issues by
    // December rather than seventy weekly ones keep 365 builds quick.
    let calendar = common::CALENDAR_YAML.replace(
        "cadence: weekly, day: monday, audience: [parents], start: 2026-09-07",
        "cadence: monthly, day: 1, audience: [parents], start: 2027-01-01",
    );
    assert_ne!(calendar, common::CALENDAR_YAML);
    let site = Fixture::with_config(common::SITE_YAML, &calendar);
    let specs = [
        ArticleSpec::new("always", "常青文章"),
        ArticleSpec::new("spring-flu", "春季流感")
            .date("2027-03-01")
            .expires("2027-06-01"),
        ArticleSpec::new("summer-heat", "夏季防暑")
            .date("2027-06-15")
            .expires("2027-09-01")
            .body("见[流感](spring-flu.md)与[常青](/articles/always/)。\n"),
        ArticleSpec::new("withdrawn-mid", "年中撤回")
            .date("2027-01-10")
            .front("withdrawn: 2027-07-01")
            .front("replaced_by: summer-heat"),
        ArticleSpec::new("autumn", "秋季养生")
            .date("2027-09-20")
            .body("见[防暑](https://health.test.example/articles/summer-heat/)和<a href=\"/articles/winter/\">冬季</a>。\n"),
        ArticleSpec::new("winter", "冬季保暖").date("2027-12-01"),
        ArticleSpec::new("hub", "总览").body(
            "[流感](spring-flu.md) [防暑](/articles/summer-heat/) [撤回](withdrawn-mid.md) \
             [秋季](../autumn/) ![冬](/articles/winter/a.png) <https://health.test.example/articles/winter/>\n",
        ),
        ArticleSpec::new("never", "从未发布").status("draft"),
        // Its own front matter is wrong all year: withheld, never failing.
        ArticleSpec::new("broken-fm", "坏的元数据")
            .date("2027-02-01")
            .front("tags: [x]"),
        ArticleSpec::new("links-broken", "链接坏文章")
            .body("见[坏的](broken-fm.md)与[坏的绝对](/articles/broken-fm/)。\n"),
    ];
    for spec in &specs {
        site.article(spec);
    }
    site
}

#[test]
fn a_year_of_daily_builds_always_succeeds_and_never_leaks() {
    let site = year_site();
    let site_slugs = [
        ("spring-flu", "2027-03-01", "2027-06-01"),
        ("summer-heat", "2027-06-15", "2027-09-01"),
        ("withdrawn-mid", "2027-01-10", "2027-07-01"),
        ("autumn", "2027-09-20", "9999-12-31"),
        ("winter", "2027-12-01", "9999-12-31"),
    ];
    let mut day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
    // Every day of the year. The site is read, validated and its theme and
    // compliance rules loaded once (as `serve` keeps them); each day then
    // decides every article's state afresh and builds and swaps both
    // outputs, which keeps 365 builds quick.
    use healthpress::build::{build_site, BuildOptions};
    use healthpress::model::Site;
    let (sources, problems) = healthpress::load::load(site.root());
    let sources = sources.expect("the fixture loads");
    // Only the broken article's own errors: they withhold it every day.
    let problems = [problems, healthpress::validate::check_sources(&sources)].concat();
    let (confined, site_wide) =
        healthpress::validate::confined_to_articles(problems, &sources.articles);
    assert!(!site_wide.iter().any(|d| d.is_error()), "{site_wide:?}");
    assert!(
        !confined.is_empty() && confined.iter().all(|d| d.file.ends_with("broken-fm.md")),
        "{confined:?}"
    );
    let linter =
        healthpress::compliance::Linter::new(&sources.config.compliance, &sources.config.contact)
            .unwrap();
    let theme = healthpress::render::theme::Theme::load(site.root(), sources.config.theme_name())
        .expect("the theme loads");
    let options = BuildOptions::new(site.root());
    let mut builds = 0;
    while day <= end {
        let as_of = day.to_string();
        let mut model = Site::from_parts(
            site.root(),
            sources.config.clone(),
            sources.calendar.clone(),
            sources.articles.clone(),
            day,
            Vec::new(),
        );
        model.withhold_invalid(confined.clone());
        model.withhold_noncompliant(&linter);
        if let Err(e) = build_site(&model, &theme, &options) {
            panic!("{as_of}: the build failed: {e:?}");
        }
        builds += 1;
        let files = all_files(&site.public());
        for (slug, from, to) in site_slugs {
            let public = as_of.as_str() >= from && as_of.as_str() < to;
            let page = site.public().join(format!("articles/{slug}/index.html"));
            if public {
                assert!(page.is_file(), "{as_of}: {slug} should be public");
                continue;
            }
            for (path, bytes) in &files {
                if path.starts_with(&format!("articles/{slug}/")) {
                    continue; // its tombstone, if it has one (tests/tombstones.rs)
                }
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    !text.contains(&format!("/articles/{slug}/")),
                    "{as_of}: public/{path} links to unpublished {slug}"
                );
            }
        }
        for (path, bytes) in &files {
            assert!(
                !["从未发布", "坏的元数据", "broken-fm"]
                    .iter()
                    .any(|m| String::from_utf8_lossy(bytes).contains(m))
                    && !path.contains("never")
                    && !path.contains("broken-fm"),
                "{as_of}: the draft leaked into public/{path}"
            );
        }
        day += chrono::Duration::days(1);
    }
    assert_eq!(builds, 365);
    // And the binary agrees on a boundary day.
    site.build("2027-07-01");
    let page = |slug: &str| site.read(&format!("public/articles/{slug}/index.html"));
    assert!(page("summer-heat").contains("夏季防暑"));
    assert!(!site
        .read("public/index.html")
        .contains("/articles/withdrawn-mid/"));
}
