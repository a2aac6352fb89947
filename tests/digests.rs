//! End-to-end tests of newsletter digests: issue windows, e-mail HTML rules
//! (inline CSS, width, size, alt, lang, UTM), placeholders per platform,
//! the size fallback, and that unpublished content never reaches a digest.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{all_files, output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};
use scraper::{Html, Selector};

const ORIGIN: &str = "https://health.test.example";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Issue dates (folder names) of a segment after a build.
fn issue_dates(site: &Fixture, segment: &str) -> Vec<String> {
    let dir = site.public().join("digests").join(segment);
    let mut dates: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dates.sort();
    dates
}

/// Slugs of the articles an issue's web view lists, in order.
fn web_slugs(site: &Fixture, segment: &str, date: &str) -> Vec<String> {
    let html =
        Html::parse_document(&site.read(&format!("public/digests/{segment}/{date}/index.html")));
    html.select(&sel(".card-title a"))
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            href.trim_start_matches("/articles/")
                .trim_end_matches('/')
                .to_string()
        })
        .collect()
}

/// Removes `@media … { … }` blocks (brace-matched); what is left must be
/// blank if the `<style>` holds only media rules.
fn strip_media_rules(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(at) = rest.find("@media") {
        out.push_str(&rest[..at]);
        let open = rest[at..].find('{').map(|i| at + i).expect("media block");
        let mut depth = 0;
        let mut end = open;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn px_values(style: &str, property: &str) -> Vec<u32> {
    style
        .split(';')
        .filter_map(|decl| decl.split_once(':'))
        .filter(|(k, _)| k.trim() == property)
        .filter_map(|(_, v)| {
            v.trim()
                .strip_suffix("px")
                .and_then(|n| n.trim().parse().ok())
        })
        .collect()
}

/// Checks one email.html against the e-mail rules; returns its article links.
fn check_email(path: &Path, segment: &str, date: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.len() < 102 * 1024,
        "{} is {} bytes",
        path.display(),
        bytes.len()
    );
    let text = String::from_utf8(bytes).unwrap();
    let doc = Html::parse_document(&text);
    let html = doc.select(&sel("html")).next().unwrap();
    assert!(
        html.value().attr("lang").is_some_and(|l| !l.is_empty()),
        "lang on <html>"
    );

    // CSS: only @media rules may stay in <style>; no stylesheets linked.
    let styles: Vec<String> = doc.select(&sel("style")).map(|s| s.inner_html()).collect();
    assert!(styles.len() <= 1, "{styles:?}");
    for css in &styles {
        assert!(
            strip_media_rules(css).trim().is_empty(),
            "non-@media CSS left: {css}"
        );
    }
    assert_eq!(doc.select(&sel("link[rel=stylesheet]")).count(), 0);
    // Every element the theme styles carries its style inline.
    for el in doc.select(&sel(
        "body, body td, body p, body a, body h1, body h2, body li",
    )) {
        assert!(
            el.value().attr("style").is_some(),
            "unstyled element: {}",
            el.html()
        );
    }

    // Layout: presentation tables, nothing wider than 600px.
    let tables: Vec<_> = doc.select(&sel("table")).collect();
    assert!(!tables.is_empty());
    for t in doc.select(&sel("body > table, body > table table")) {
        if t.value()
            .attr("class")
            .is_some_and(|c| c.contains("outer") || c.contains("container"))
        {
            assert_eq!(t.value().attr("role"), Some("presentation"));
        }
    }
    for el in doc.select(&sel("*")) {
        if let Some(w) = el.value().attr("width") {
            if !w.ends_with('%') {
                assert!(w.parse::<u32>().unwrap() <= 600, "width={w}");
            }
        }
        if let Some(style) = el.value().attr("style") {
            for prop in ["width", "max-width", "min-width"] {
                for px in px_values(style, prop) {
                    assert!(px <= 600, "{prop}: {px}px in {}", el.value().name());
                }
            }
        }
    }
    for img in doc.select(&sel("img")) {
        assert!(
            img.value()
                .attr("alt")
                .is_some_and(|a| !a.trim().is_empty()),
            "img without alt"
        );
    }

    // Hidden preheader first in <body>.
    let first = doc.select(&sel("body > *")).next().unwrap();
    let style = first.value().attr("style").unwrap_or("");
    assert!(
        style.contains("display: none") || style.contains("display:none"),
        "{style}"
    );
    assert!(!first.text().collect::<String>().trim().is_empty());

    // View in browser -> the web view.
    let web = format!("{ORIGIN}/digests/{segment}/{date}/");
    assert!(
        doc.select(&sel("a"))
            .any(|a| a.value().attr("href") == Some(web.as_str())),
        "no view-in-browser link"
    );

    // Every article link is UTM-tagged for this issue.
    let mut article_links = Vec::new();
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        if let Some(rest) = href.strip_prefix(&format!("{ORIGIN}/articles/")) {
            let slug = rest.split('/').next().unwrap();
            let query = href.split_once('?').map(|x| x.1).unwrap_or("");
            let query = query.split('#').next().unwrap();
            let params: BTreeSet<&str> = query.split('&').collect();
            for expected in [
                format!("utm_source=digest-{segment}"),
                "utm_medium=email".to_string(),
                format!("utm_campaign={segment}-{date}"),
                format!("utm_content={slug}"),
            ] {
                assert!(
                    params.contains(expected.as_str()),
                    "{href} lacks {expected}"
                );
            }
            assert_eq!(href, href.to_lowercase());
            article_links.push(href.to_string());
        } else {
            assert!(!href.starts_with('/'), "relative link in e-mail: {href}");
        }
    }
    assert!(!article_links.is_empty());
    article_links
}

fn every_email(site: &Fixture) -> Vec<(String, String, std::path::PathBuf)> {
    let mut found = Vec::new();
    for seg in std::fs::read_dir(site.public().join("digests"))
        .unwrap()
        .flatten()
    {
        for issue in std::fs::read_dir(seg.path()).unwrap().flatten() {
            let email = issue.path().join("email.html");
            if email.exists() {
                found.push((
                    seg.file_name().to_string_lossy().into_owned(),
                    issue.file_name().to_string_lossy().into_owned(),
                    email,
                ));
            }
        }
    }
    found.sort();
    found
}

fn window_fixture() -> Fixture {
    let site = Fixture::new();
    // parents: weekly on Monday from 2026-09-07; the first issue covers the
    // week before it.
    site.article(&ArticleSpec::new("sep-01", "九月一日").date("2026-09-01"));
    site.article(&ArticleSpec::new("sep-08", "九月八日").date("2026-09-08"));
    site.article(&ArticleSpec::new("sep-14", "九月十四日").date("2026-09-14"));
    site.article(&ArticleSpec::new("sep-15", "九月十五日").date("2026-09-15"));
    site.article(&ArticleSpec::new("oct-01", "十月一日").date("2026-10-01"));
    site.article(&ArticleSpec::new("old", "开刊前").date("2026-08-20"));
    site.article(
        &ArticleSpec::new("seniors-only", "老人专题")
            .date("2026-09-09")
            .audience(&["seniors"]),
    );
    site.article(&ArticleSpec::new("oct-06", "十月六日").date("2026-10-06"));
    site
}

#[test]
fn each_window_lists_exactly_its_articles() {
    let site = window_fixture();
    site.build("2026-10-05");
    assert_eq!(
        issue_dates(&site, "parents"),
        ["2026-09-07", "2026-09-14", "2026-09-21", "2026-10-05"]
    );
    assert_eq!(web_slugs(&site, "parents", "2026-09-07"), ["sep-01"]);
    assert_eq!(
        web_slugs(&site, "parents", "2026-09-14"),
        ["sep-14", "sep-08"]
    );
    assert_eq!(web_slugs(&site, "parents", "2026-09-21"), ["sep-15"]);
    assert_eq!(web_slugs(&site, "parents", "2026-10-05"), ["oct-01"]);
    // The empty week of 2026-09-28 makes no issue; the list shows 4 issues.
    let list = site.read("public/digests/parents/index.html");
    assert!(!list.contains("2026-09-28"));
    assert_eq!(Html::parse_document(&list).select(&sel(".card")).count(), 4);
    // The feed carries full content with absolute links.
    let feed = site.read("public/digests/parents/atom.xml");
    assert!(feed.contains("<content type=\"html\">"), "{feed}");
    assert!(feed.contains(&format!("{ORIGIN}/articles/oct-01/")));
    assert!(!feed.contains("seniors-only") && !feed.contains("/articles/old/"));
}

#[test]
fn email_html_follows_email_client_rules() {
    let site = window_fixture();
    site.article(
        &ArticleSpec::new("with-image", "带图 & <b>粗体</b> 标题")
            .date("2026-10-02")
            .body("## 图\n\n![儿童退热贴的贴法](/static/a.png)\n\n见[九月八日](sep-08.md)。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
    );
    site.build("2026-10-05");
    let emails = every_email(&site);
    assert_eq!(emails.len(), 4);
    for (segment, date, path) in &emails {
        check_email(path, segment, date);
        // The plain-text part has the same article links, unescaped.
        let text = std::fs::read_to_string(path.with_file_name("email.txt")).unwrap();
        let doc = Html::parse_document(&std::fs::read_to_string(path).unwrap());
        for a in doc.select(&sel(".article-title a, a.button")) {
            let link = a.value().attr("href").unwrap();
            assert!(text.contains(link), "{link} missing from email.txt");
        }
        assert!(!text.contains("&amp;"), "escaped entity in text: {text}");
        assert!(text.contains(&format!("{ORIGIN}/digests/{segment}/{date}/")));
    }
    let html = site.read("public/digests/parents/2026-10-05/email.html");
    // Body links to other articles are absolute and tagged too.
    assert!(html.contains(&format!("{ORIGIN}/articles/sep-08/?utm_source=digest-parents&amp;utm_medium=email&amp;utm_campaign=parents-2026-10-05&amp;utm_content=sep-08")), "{html}");
    assert!(html.contains(&format!("src=\"{ORIGIN}/static/a.png\"")));
    // Titles are escaped in HTML and plain in text.
    // (html5ever leaves `<` unescaped inside attribute values, which is
    // valid; what matters is that no element was injected.)
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("b")).count(),
        0,
        "title markup was not escaped"
    );
    assert!(doc
        .select(&sel(".article-title a"))
        .any(|a| a.text().collect::<String>() == "带图 & <b>粗体</b> 标题"));
    let text = site.read("public/digests/parents/2026-10-05/email.txt");
    assert!(text.contains("带图 & <b>粗体</b> 标题"), "{text}");
}

fn placeholder_site(newsletter_yaml: &str) -> Fixture {
    let site = Fixture::with_config(&format!("{SITE_YAML}{newsletter_yaml}"), CALENDAR_YAML);
    site.article(&ArticleSpec::new("fever", "儿童发热").date("2026-10-01"));
    site
}

fn assert_tokens(site: &Fixture, tokens: &[&str]) {
    let html = site.read("public/digests/parents/2026-10-05/email.html");
    let text = site.read("public/digests/parents/2026-10-05/email.txt");
    for token in tokens {
        assert!(
            html.contains(&format!("href=\"{token}\"")),
            "{token} not byte-exact in email.html:\n{html}"
        );
        assert!(
            text.contains(&format!(": {token}\n")),
            "{token} not byte-exact in email.txt:\n{text}"
        );
    }
    assert!(
        !html.contains("x-healthpress-placeholder") && !text.contains("x-healthpress-placeholder")
    );
    // Unsubscribe links are never UTM-tagged.
    assert!(!html.contains(&format!("{}?utm", tokens[0])));
}

#[test]
fn placeholders_survive_byte_exact_for_every_sender() {
    let site = placeholder_site("");
    site.build("2026-10-05");
    assert_tokens(&site, &["*|UNSUB|*", "*|UPDATE_PROFILE|*"]);

    let site = placeholder_site("newsletter:\n  sender: listmonk\n");
    site.build("2026-10-05");
    assert_tokens(&site, &["{{ UnsubscribeURL }}", "{{ MessageURL }}"]);

    let site = placeholder_site(
        "newsletter:\n  sender: custom\n  unsubscribe: 'https://esp.example/u?id=[ID]&list=7'\n  preferences: '%tag_manage%'\n  address: 北京市某路 1 号 <b>\n  footer: '<script>x</script>'\n",
    );
    site.build("2026-10-05");
    assert_tokens(
        &site,
        &["https://esp.example/u?id=[ID]&list=7", "%tag_manage%"],
    );
    let html = site.read("public/digests/parents/2026-10-05/email.html");
    assert!(!html.contains("<script>x") && html.contains("&lt;script&gt;x"));
    assert!(!html.contains("1 号 <b>"));
}

#[test]
fn a_custom_placeholder_cannot_inject_markup() {
    let site = placeholder_site(
        "newsletter:\n  sender: custom\n  unsubscribe: 'x\" onclick=\"alert(1)'\n",
    );
    let out = site.run(&["build", "--as-of", "2026-10-05"]);
    assert!(!out.status.success());
    let text = output_text(&out);
    assert!(
        text.contains("site.yaml") && text.contains("placeholder"),
        "{text}"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_custom_sender_without_an_unsubscribe_token_is_a_located_error() {
    let site = placeholder_site("newsletter:\n  sender: custom\n");
    let out = site.run(&["build", "--as-of", "2026-10-05"]);
    assert!(!out.status.success());
    let text = output_text(&out);
    // Validation names the line of the `newsletter:` section.
    assert!(text.contains("error[newsletter-config]"), "{text}");
    let line = site
        .read("site.yaml")
        .lines()
        .position(|l| l.starts_with("newsletter:"))
        .unwrap()
        + 1;
    assert!(text.contains(&format!("site.yaml:{line}:")), "{text}");
    assert!(!site.public().exists());
    let out = site.run(&["check", "--as-of", "2026-10-05"]);
    assert!(output_text(&out).contains("newsletter-config"));
}

/// `healthpress digest` for the `parents` issue of `date`, as of 2026-10-12.
fn parents_digest(site: &Fixture, date: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "digest",
        "--segment",
        "parents",
        "--date",
        date,
        "--as-of",
        "2026-10-12",
    ];
    args.extend_from_slice(extra);
    site.run(&args)
}

#[test]
fn unpublished_articles_never_reach_a_digest() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("ok", "正常文章").date("2026-10-01"));
    site.article(
        &ArticleSpec::new("draft", "MARKER-DRAFT")
            .date("2026-10-02")
            .status("draft"),
    );
    site.article(
        &ArticleSpec::new("review", "MARKER-REVIEW")
            .date("2026-10-02")
            .status("in-review"),
    );
    site.article(&ArticleSpec::new("sched", "MARKER-SCHEDULED").date("2026-10-20"));
    site.article(
        &ArticleSpec::new("expired", "MARKER-EXPIRED")
            .date("2026-10-02")
            .expires("2026-10-10"),
    );
    site.article(
        &ArticleSpec::new("stale", "MARKER-STALE")
            .date("2026-10-02")
            .stale(),
    );
    site.build("2026-10-12");
    let markers = [
        "MARKER-",
        "/articles/draft/",
        "/articles/review/",
        "/articles/sched/",
        "/articles/expired/",
        "/articles/stale/",
    ];
    for (path, bytes) in all_files(&site.public().join("digests")) {
        let text = String::from_utf8_lossy(&bytes);
        for m in markers {
            assert!(!text.contains(m), "{m} leaked into digests/{path}");
        }
    }
    assert_eq!(issue_dates(&site, "parents"), ["2026-10-05"]);

    // `digest` without --preview never shows them either; --preview shows
    // the scheduled one but still no draft, and refuses to write in public/.
    let out = parents_digest(&site, "2026-10-05", &[]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("MARKER-"));
    // A future issue without --preview is refused as in the future.
    let out = parents_digest(&site, "2026-10-26", &[]);
    assert!(!out.status.success());
    assert!(
        output_text(&out).contains("after today"),
        "{}",
        output_text(&out)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("MARKER-"));
    let out = parents_digest(&site, "2026-10-26", &["--preview", "--format", "text"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("MARKER-SCHEDULED") && !stdout.contains("MARKER-DRAFT"),
        "{}",
        output_text(&out)
    );
    let out = parents_digest(
        &site,
        "2026-10-26",
        &["--preview", "--out", "public/digests/p.html"],
    );
    assert!(!out.status.success());
    assert!(output_text(&out).contains("refusing"));
    assert!(!site.public().join("digests/p.html").exists());
    let out = parents_digest(&site, "2026-10-26", &["--preview", "--out", "preview.html"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(site.read("preview.html").contains("MARKER-SCHEDULED"));
}

#[test]
fn oversized_issues_fall_back_to_summaries_and_warn() {
    let site = Fixture::new();
    let long_body =
        "## 长文\n\n".to_string() + &"这是一段很长的健康科普正文，用来把邮件撑大。".repeat(400);
    for n in 0..6 {
        site.article(
            &ArticleSpec::new(&format!("long-{n}"), &format!("长文{n}"))
                .date(&format!("2026-10-0{}", n + 1))
                .body(&long_body),
        );
    }
    let out = site.build("2026-10-12");
    let log = output_text(&out);
    assert!(log.contains("digest-size"), "{log}");
    let path = site.public().join("digests/parents/2026-10-05/email.html");
    let links = check_email(&path, "parents", "2026-10-05");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.len() <= 90 * 1024, "{}", html.len());
    // Fitting keeps the bodies that fit, newest first, not summaries only.
    assert!(
        html.contains("这是一段很长的健康科普正文"),
        "no body kept in full: {log}"
    );
    // Every article is still there, with its summary and link.
    for n in 0..5 {
        assert!(
            links.iter().any(|l| l.contains(&format!("/long-{n}/"))),
            "long-{n} dropped"
        );
        assert!(html.contains(&format!("长文{n}的摘要。")));
    }

    // So many articles that even summaries do not fit: the rest are left to
    // the web view, which lists them all.
    let site = Fixture::new();
    let summary = "摘要".repeat(120);
    for n in 0..120 {
        site.article(
            &ArticleSpec::new(&format!("many-{n:03}"), &format!("多文{n}"))
                .date("2026-10-01")
                .summary(&summary),
        );
    }
    let out = site.build("2026-10-12");
    assert!(
        output_text(&out).contains("only in the web view"),
        "{}",
        output_text(&out)
    );
    let path = site.public().join("digests/parents/2026-10-05/email.html");
    check_email(&path, "parents", "2026-10-05");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.len() <= 90 * 1024);
    assert!(html.contains("篇文章，请在网页版查看"));
    assert_eq!(web_slugs(&site, "parents", "2026-10-05").len(), 120);
}

#[test]
fn digests_are_deterministic() {
    let site = window_fixture();
    site.build("2026-10-05");
    let first = all_files(&site.public().join("digests"));
    site.build("2026-10-05");
    assert_eq!(first, all_files(&site.public().join("digests")));
}
