//! `healthpress serve` and per-article publishing: an article withheld by
//! its own errors is left out of the preview as `build` leaves it out, with
//! an overlay naming its errors; an approved article edited after sign-off
//! is previewed with its edits and an "edits not yet approved" banner, while
//! `build` keeps withholding it. The real binary on a free port, every wait
//! bounded.

mod common;
mod serve_support;

use std::fs;
use std::path::Path;

use common::{all_files, ArticleSpec, Fixture};
use serve_support::{Serve, AS_OF};

/// Saves like vim: write a temporary file beside it, then rename over it.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp");
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, path).unwrap();
}

fn site_with_articles() -> (Fixture, Vec<ArticleSpec>) {
    let site = Fixture::new();
    let mut specs = Vec::new();
    for n in 0..12 {
        let mut spec = ArticleSpec::new(&format!("a{n:02}"), &format!("文章{n:02}"))
            .date(&format!("2026-10-{:02}", n + 1));
        if n % 4 == 0 {
            spec = spec
                .audience(&["parents", "office-workers"])
                .season(&["winter"]);
        }
        site.article(&spec);
        specs.push(spec);
    }
    (site, specs)
}

#[test]
fn an_article_with_errors_is_withheld_with_an_overlay_until_fixed() {
    // As in `healthpress build`, an article whose own front matter is wrong
    // is withheld and the rest of the preview stays current; every page
    // shows its errors as the CLI prints them.
    let (site, specs) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    let good = specs[4].to_markdown();
    let broken = good.replace(
        "audience: [parents, office-workers]",
        "audience: [martians]",
    );
    assert_ne!(good, broken);
    save_by_rename(&site.root().join("content/a04.md"), &broken);
    let home = serve.wait_for("/", "the withheld overlay", |b| {
        b.contains("healthpress-withheld")
    });
    assert!(home.contains("martians"));
    assert_eq!(
        serve.get("/articles/a04/").0,
        404,
        "withheld, as in a build"
    );
    // Other edits go on being previewed meanwhile.
    save_by_rename(
        &site.root().join("content/a05.md"),
        &specs[5].clone().body("另一篇的新内容。\n").to_markdown(),
    );
    serve.wait_for("/articles/a05/", "another edit", |b| {
        b.contains("另一篇的新内容") && b.contains("healthpress-withheld")
    });
    assert_eq!(serve.status()["error"], serde_json::Value::Null);

    // The overlay says what `healthpress build` says, HTML-escaped; the
    // build itself succeeds, without the article.
    let out = tempfile::tempdir().unwrap();
    let cli = site.run(&[
        "build",
        "--as-of",
        AS_OF,
        "--out",
        out.path().join("p").to_str().unwrap(),
    ]);
    assert!(cli.status.success(), "{}", common::output_text(&cli));
    assert!(!out.path().join("p/articles/a04").exists());
    let stderr = String::from_utf8_lossy(&cli.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("content/a04.md"))
        .expect("the build names the file");
    let escaped = line
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let (_, home) = serve.get("/");
    assert!(home.contains(&escaped), "overlay lacks the CLI line {line}");

    save_by_rename(&site.root().join("content/a04.md"), &good);
    serve.wait_for("/articles/a04/", "the article to come back", |b| {
        b.contains("文章04") && !b.contains("healthpress-withheld")
    });
    assert_eq!(serve.status()["withheld"], serde_json::Value::Null);
}

#[test]
fn an_edited_published_article_is_previewed_with_a_banner() {
    // A typo fix after sign-off: the approval is stale, so `build` withholds
    // the article; the preview shows the edited text with a banner, and
    // other articles' links to it keep working there.
    let (site, specs) = site_with_articles();
    let linking = specs[3]
        .clone()
        .body("## 要点\n\n另见[相关文章](a10.md)和[绝对](/articles/a10/)。\n");
    site.article(&linking);
    let serve = Serve::start(&site, &[]);
    let (_, page) = serve.get("/articles/a10/");
    assert!(!page.contains("healthpress-edited"), "approved: no banner");

    let edited = specs[10].clone().body("改正错别字后的正文。\n").stale();
    save_by_rename(&site.root().join("content/a10.md"), &edited.to_markdown());
    // The page is written before the rebuild is reported: wait for both.
    serve.wait_for("/articles/a10/", "the edited text with its banner", |b| {
        b.contains("改正错别字后的正文") && b.contains("Edits not yet approved")
    });
    let (_, linker) = serve.get("/articles/a03/");
    assert!(
        linker.contains("href=\"/articles/a10/\""),
        "links to it keep working in the preview"
    );
    assert!(!linker.contains("healthpress-edited"), "only its own page");
    assert_eq!(serve.status()["error"], serde_json::Value::Null);

    // The public build's rule is unchanged: withheld, links as text.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("p");
    let cli = site.run(&["build", "--as-of", AS_OF, "--out", public.to_str().unwrap()]);
    assert!(cli.status.success(), "{}", common::output_text(&cli));
    assert!(!public.join("articles/a10").exists());
    let built = fs::read_to_string(public.join("articles/a03/index.html")).unwrap();
    assert!(!built.contains("/articles/a10/") && built.contains("相关文章"));
    for (path, bytes) in all_files(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("改正错别字后的正文"),
            "the unapproved edit leaked into {path}"
        );
    }

    // Approved again: the banner goes.
    save_by_rename(
        &site.root().join("content/a10.md"),
        &specs[10]
            .clone()
            .body("改正错别字后的正文。\n")
            .to_markdown(),
    );
    serve.wait_for("/articles/a10/", "the banner to go", |b| {
        b.contains("改正错别字后的正文") && !b.contains("healthpress-edited")
    });
}
