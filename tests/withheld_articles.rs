//! End-to-end tests of per-article isolation for an article's OWN
//! problems: front matter that does not read (unknown key, bad date, bad
//! enum, missing summary, no `---` block, not UTF-8) or fails validation
//! (unknown term or person). That article is withheld (state `withheld
//! (errors)`), its errors are printed at file:line, and the rest of the
//! site is written: `build` exits 0 so a daily cron still deploys; `check`
//! exits 1 so the pull request stays red. Links to it render as text and a
//! calendar slot naming it is fine. Only site.yaml, calendar.yaml and the
//! theme fail the build.

mod common;

use common::{all_files, output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";
const SLUG: &str = "zqx-broken";
const TITLE: &str = "ZQX坏文章";

/// The broken target in every way it can be broken, each as a file text.
fn broken_versions() -> Vec<(&'static str, Vec<u8>)> {
    let good = ArticleSpec::new(SLUG, TITLE).body("ZQX正文。\n");
    let md = good.to_markdown();
    vec![
        ("unknown key", good.clone().front("tags: [x]").to_markdown()),
        ("bad date", md.replace("date: 2026-", "date: 2026-13-")),
        (
            "bad enum",
            md.replace("status: approved", "status: aproved"),
        ),
        ("missing summary", {
            let lines: Vec<&str> = md.lines().filter(|l| !l.starts_with("summary:")).collect();
            lines.join("\n") + "\n"
        }),
        (
            "unknown term",
            good.clone().audience(&["martians"]).to_markdown(),
        ),
        (
            "never closed",
            format!("---\nslug: {SLUG}\ntitle: {TITLE}\n"),
        ),
    ]
    .into_iter()
    .map(|(what, text)| (what, text.into_bytes()))
    .chain([("not UTF-8", b"---\ntitle: \xff\xfe\n---\n".to_vec())])
    .collect()
}

fn site_linking_to_the_broken_one(broken: &[u8]) -> Fixture {
    let calendar = common::CALENDAR_YAML.replace(
        "slots: []",
        &format!("slots:\n  - {{ date: 2026-12-01, article: {SLUG}, segment: parents }}"),
    );
    let site = Fixture::with_config(common::SITE_YAML, &calendar);
    let path = site.root().join(format!("content/{SLUG}.md"));
    std::fs::write(path, broken).unwrap();
    site.article(&ArticleSpec::new("linker", "链接文章").body(&format!(
        "见[相对链接]({SLUG}.md)与[绝对链接](/articles/{SLUG}/)。\n"
    )));
    site.article(&ArticleSpec::new("other", "另一篇"));
    site
}

#[test]
fn an_article_with_errors_is_withheld_and_the_rest_is_built() {
    for (what, broken) in broken_versions() {
        let site = site_linking_to_the_broken_one(&broken);
        let out = site.run(&["build", "--as-of", TODAY]);
        let text = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{what}: {text}");
        assert!(
            text.contains(&format!("content/{SLUG}.md:")) && text.contains(": error["),
            "{what}: its errors at file:line:\n{text}"
        );
        assert!(text.contains("1 withheld (errors)"), "{what}: {text}");
        assert!(
            text.contains("1 article(s) withheld because of the errors above"),
            "{what}: {text}"
        );
        // The rest of the site is written; links to it are text.
        let page = site.read("public/articles/linker/index.html");
        assert!(
            page.contains("相对链接") && page.contains("绝对链接"),
            "{what}"
        );
        assert!(site.public().join("articles/other/index.html").is_file());
        for (path, bytes) in all_files(&site.public()) {
            let body = String::from_utf8_lossy(&bytes);
            assert!(
                !body.contains(SLUG) && !body.contains(TITLE) && !body.contains("ZQX正文"),
                "{what}: public/{path} names the withheld article"
            );
        }
        // `check` keeps the pull request red.
        let check = site.run(&["check", "--as-of", TODAY]);
        let report = output_text(&check);
        assert_eq!(check.status.code(), Some(1), "{what}: {report}");
        assert!(
            report.contains(&format!("content/{SLUG}.md")),
            "{what}: {report}"
        );
        assert!(
            !report.contains("unknown-article"),
            "{what}: the calendar slot still finds it:\n{report}"
        );
    }
}

#[test]
fn fixing_the_article_publishes_it_again() {
    let (_, broken) = broken_versions().remove(0);
    let site = site_linking_to_the_broken_one(&broken);
    site.build(TODAY);
    assert!(!site.public().join(format!("articles/{SLUG}")).exists());
    site.article(&ArticleSpec::new(SLUG, TITLE).body("ZQX正文。\n"));
    site.build(TODAY);
    assert!(site
        .read(&format!("public/articles/{SLUG}/index.html"))
        .contains(TITLE));
    let page = site.read("public/articles/linker/index.html");
    assert!(
        page.contains(&format!("href=\"/articles/{SLUG}/\"")),
        "{page}"
    );
}

#[test]
fn site_wide_errors_still_fail_the_build() {
    let (_, broken) = broken_versions().remove(0);
    // A bad site.yaml, and a bad calendar.yaml: nothing is written.
    let bad_site = common::SITE_YAML.replace("timezone: Asia/Shanghai", "timezone: Mars/Olympus");
    assert_ne!(bad_site, common::SITE_YAML);
    let bad_calendar = common::CALENDAR_YAML.replace(
        "slots: []",
        "slots:\n  - { date: 2026-12-01, article: no-such-article, segment: parents }",
    );
    for (what, site_yaml, calendar) in [
        ("site.yaml", bad_site.as_str(), common::CALENDAR_YAML),
        ("calendar.yaml", common::SITE_YAML, bad_calendar.as_str()),
    ] {
        let site = Fixture::with_config(site_yaml, calendar);
        std::fs::write(site.root().join(format!("content/{SLUG}.md")), &broken).unwrap();
        site.article(&ArticleSpec::new("other", "另一篇"));
        let out = site.run(&["build", "--as-of", TODAY]);
        assert!(!out.status.success(), "{what}: {}", output_text(&out));
        assert!(output_text(&out).contains(what), "{what}");
        assert!(!site.public().exists(), "{what}: nothing written");
    }
}

#[test]
fn serve_like_model_keeps_the_stand_in_and_its_errors() {
    // The library: the model has the stand-in as `Invalid`, its errors in
    // `withheld`, so every renderer (which only shows public articles)
    // leaves it out.
    let (_, broken) = broken_versions().remove(1);
    let site = site_linking_to_the_broken_one(&broken);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let model = healthpress::build::open_site(site.root(), Some(day)).expect("builds");
    let i = model
        .article_by_slug(SLUG)
        .expect("the stand-in is in the model");
    assert_eq!(model.states[i], healthpress::model::State::Invalid);
    assert!(!model.states[i].is_public());
    assert!(model
        .withheld
        .iter()
        .any(|d| d.is_error() && d.file.ends_with(format!("{SLUG}.md"))));
}
