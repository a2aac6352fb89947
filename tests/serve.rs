//! End-to-end tests of `healthpress serve`: the real binary on a free port,
//! fetched over raw HTTP/1.1, with edits made on disk while it runs. Every
//! wait is bounded; the server is killed when the guard drops.

mod common;
mod serve_support;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::{all_files, ArticleSpec, Fixture};
use serve_support::{Serve, AS_OF};

/// Saves like vim: write a temporary file beside it, then rename over it.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp");
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, path).unwrap();
}

/// The default calendar plus a segment filtered by specialty and without a
/// `start`, so its issue dates follow its earliest article.
fn calendar_with_segments() -> String {
    common::CALENDAR_YAML.replace(
        "slots: []",
        "  - { segment: heart, name: 心脏周刊, cadence: biweekly, day: friday, audience: [seniors], specialty: [cardiology] }\nslots: []",
    )
}

fn site_with_articles() -> (Fixture, Vec<ArticleSpec>) {
    let site = Fixture::with_config(common::SITE_YAML, &calendar_with_segments());
    let mut specs = Vec::new();
    for n in 0..12 {
        let mut spec = ArticleSpec::new(&format!("a{n:02}"), &format!("文章{n:02}"))
            .date(&format!("2026-10-{:02}", n + 1));
        if n % 3 == 1 {
            spec = spec.audience(&["seniors"]).specialty(&["cardiology"]);
        }
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
fn serves_live_edits_and_refuses_traversal_and_foreign_hosts() {
    let (site, specs) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    let (code, page) = serve.get("/articles/a03/");
    assert_eq!(code, 200);
    assert!(page.contains("文章03"));
    assert!(
        page.contains("/__healthpress/reload.js"),
        "reload script injected"
    );
    let on_disk = fs::read_to_string(
        site.root()
            .join(".healthpress-serve/public/articles/a03/index.html"),
    )
    .unwrap();
    assert!(
        !on_disk.contains("__healthpress"),
        "nothing injected on disk"
    );
    assert!(!site.public().exists(), "serve never writes public/");

    // A page's event stream says hello, then "reload" after a rebuild.
    let mut events = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(
        events,
        "GET /__healthpress/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        serve.port
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut seen = String::new();
    while !seen.contains("event: hello") {
        assert!(
            events.read_line(&mut seen).unwrap() > 0,
            "event stream closed: {seen}"
        );
    }
    assert!(seen.contains("text/event-stream"), "{seen}");

    let edited = specs[3]
        .clone()
        .body("## 要点\n\n更新后的内容：每天散步三十分钟。\n");
    save_by_rename(&site.root().join("content/a03.md"), &edited.to_markdown());
    serve.wait_for("/articles/a03/", "the edit", |b| {
        b.contains("每天散步三十分钟")
    });
    let mut line = String::new();
    while !line.contains("event: reload") {
        line.clear();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
    }

    // Vim's rename-on-save: probe file 4913, original renamed to a backup,
    // new file written under the original name, backup deleted.
    let path = site.root().join("content/a03.md");
    fs::write(site.root().join("content/4913"), "").unwrap();
    fs::remove_file(site.root().join("content/4913")).unwrap();
    fs::rename(&path, site.root().join("content/a03.md~")).unwrap();
    fs::write(
        &path,
        specs[3].clone().body("vim 保存的内容。\n").to_markdown(),
    )
    .unwrap();
    fs::remove_file(site.root().join("content/a03.md~")).unwrap();
    serve.wait_for("/articles/a03/", "the vim save", |b| {
        b.contains("vim 保存的内容")
    });
    let again = specs[3].clone().body("第二次 vim 保存。\n");
    fs::rename(&path, site.root().join("content/a03.md~")).unwrap();
    fs::write(&path, again.to_markdown()).unwrap();
    fs::remove_file(site.root().join("content/a03.md~")).unwrap();
    serve.wait_for("/articles/a03/", "a second vim save", |b| {
        b.contains("第二次 vim 保存")
    });

    fs::write(site.root().join("secret.txt"), "TOP-SECRET").unwrap();
    for bad in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/articles/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%252fsecret.txt",
        "/..%5csecret.txt",
        "/articles/..\\..\\secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1/../secret.txt",
    ] {
        let (code, body) = serve.get(bad);
        assert_eq!(code, 404, "{bad} must be 404");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{bad} leaked a file"
        );
    }
    assert_eq!(serve.get("/").0, 200, "still serving after bad requests");

    for bad_host in [
        "evil.example",
        "evil.example:80",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
    ] {
        assert_eq!(serve.get_with_host("/", bad_host).0, 403, "Host {bad_host}");
    }
    assert_eq!(serve.get_with_host("/", "localhost").0, 200);
    assert_eq!(
        serve
            .get_with_host("/", &format!("localhost:{}", serve.port))
            .0,
        200
    );
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let (site, specs) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    let before = serve.status()["full_rebuilds"].as_u64().unwrap();
    let log = || serve.log.lock().unwrap().clone();
    let step = |what: &str, path: &str, expect: &str| {
        serve.wait_for(path, what, |b| b.contains(expect));
        serve.settle(Duration::from_millis(300));
        assert_eq!(
            serve.status()["error"],
            serde_json::Value::Null,
            "{}",
            log()
        );
        assert_same_as_full_build(&site);
    };

    // 1. Body only: just the page (and the site feed, it is among the newest).
    save_by_rename(
        &site.root().join("content/a05.md"),
        &specs[5].clone().body("新的正文。\n").to_markdown(),
    );
    step("the body edit", "/articles/a05/", "新的正文");

    // 2. Title and summary, same place in every list: the pages showing it.
    let mut retitled = specs[1].clone().summary("新的摘要。");
    retitled.title = "只改了标题".into();
    save_by_rename(&site.root().join("content/a01.md"), &retitled.to_markdown());
    step(
        "the new title on its term page",
        "/audience/seniors/",
        "只改了标题",
    );

    // 3. Title and terms: it moves between term pages and pagination.
    let mut moved = specs[7]
        .clone()
        .audience(&["office-workers"])
        .specialty(&["orthopedics"])
        .season(&["summer"]);
    moved.title = "改名后的文章".into();
    site.article(&moved);
    step(
        "the moved article",
        "/audience/office-workers/",
        "改名后的文章",
    );

    // 4. Date: it reorders every list it is in.
    save_by_rename(
        &site.root().join("content/a02.md"),
        &specs[2].clone().date("2026-11-20").to_markdown(),
    );
    step(
        "the re-dated article first on the home page",
        "/",
        "2026-11-20",
    );

    // 5. Body of an article in a digest issue: the issue shows the new text.
    save_by_rename(
        &site.root().join("content/a04.md"),
        &specs[4].clone().body("周刊里的新正文。\n").to_markdown(),
    );
    step(
        "the new body in the digest issue",
        "/digests/parents/2026-10-05/email.html",
        "周刊里的新正文",
    );

    // 6. The only article of a `heart` issue moves to an earlier issue: the
    // later issue folder disappears.
    save_by_rename(
        &site.root().join("content/a10.md"),
        &specs[10].clone().date("2026-10-01").to_markdown(),
    );
    serve.wait_for("/digests/heart/", "the emptied issue to go", |b| {
        !b.contains("2026-10-16")
    });
    step("the emptied issue to go", "/digests/heart/", "2026-10-02");
    assert_eq!(serve.get("/digests/heart/2026-10-16/").0, 404);

    // 7. The segment's earliest article moves two issues earlier: `heart`
    // has no `start`, so a new first issue appears (biweekly dates stay on
    // their fixed weeks: 09-18, 10-02, ...).
    save_by_rename(
        &site.root().join("content/a01.md"),
        &retitled.clone().date("2026-09-10").to_markdown(),
    );
    step("the new first issue", "/digests/heart/", "2026-09-18");

    assert_eq!(
        serve.status()["full_rebuilds"].as_u64().unwrap(),
        before,
        "article edits stay incremental:\n{}",
        log()
    );
    // The search index follows each edit in the background (and equals a
    // full build's, above).
    assert!(
        log().contains("search updated in the background"),
        "no background search update:\n{}",
        log()
    );
    for scope in ["(own page", "(same places", "(general"] {
        assert!(
            log().contains(&format!("incremental rebuild {scope}")),
            "no {scope} rebuild:\n{}",
            log()
        );
    }
}

/// The serve folder must equal a fresh `healthpress build`, byte for byte:
/// the public site (digests included) and the editorial views.
fn assert_same_as_full_build(site: &Fixture) {
    let full = tempfile::tempdir().unwrap();
    let out = full.path().join("public");
    let editorial = full.path().join("editorial");
    let built = site.run(&[
        "build",
        "--as-of",
        AS_OF,
        "--out",
        out.to_str().unwrap(),
        "--editorial-out",
        editorial.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", common::output_text(&built));
    let serve_dir = site.root().join(".healthpress-serve");
    assert!(
        serve_dir
            .join("public/digests/parents/index.html")
            .is_file(),
        "the fixture has digests"
    );
    for (served, fresh) in [
        (serve_dir.join("public"), out),
        (serve_dir.join("editorial"), editorial),
    ] {
        let served = all_files(&served);
        let fresh = all_files(&fresh);
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&served), names(&fresh), "same file set");
        for ((name, a), (_, b)) in served.iter().zip(&fresh) {
            assert!(a == b, "{name} differs from a full build");
        }
    }
}

#[test]
fn publishing_changes_stay_incremental_and_equal_a_full_build() {
    let (site, specs) = site_with_articles();
    // a03 links to a05, whose slug will change.
    let linking = specs[3]
        .clone()
        .body("## 要点\n\n另见[相关文章](a05.md)。\n");
    site.article(&linking);
    let serve = Serve::start(&site, &[]);
    let before = serve.status()["full_rebuilds"].as_u64().unwrap();
    let mut renamed = specs[5].clone();
    renamed.slug = "a05-new".into();
    // Slug change (the linking page must follow), a new article, a deleted
    // one, and a scheduled article becoming a draft. (An approved article
    // edited without re-approval is previewed with its edits: see
    // `an_edited_published_article_is_previewed_with_a_banner`.)
    save_by_rename(&site.root().join("content/a05.md"), &renamed.to_markdown());
    site.article(&ArticleSpec::new("a20", "新文章二十").date("2026-10-20"));
    fs::remove_file(site.root().join("content/a09.md")).unwrap();
    let unpublished = specs[10].clone().status("draft");
    save_by_rename(
        &site.root().join("content/a10.md"),
        &unpublished.to_markdown(),
    );
    serve.wait_for("/articles/a03/", "the link to follow the slug", |b| {
        b.contains("/articles/a05-new/")
    });
    serve.wait_for("/", "the new article", |b| b.contains("新文章二十"));
    serve.wait_for("/articles/a10/", "the unpublished article to go", |b| {
        !b.contains("文章10")
    });
    serve.settle(Duration::from_millis(600));
    let status = serve.status();
    assert_eq!(
        status["error"],
        serde_json::Value::Null,
        "{}",
        serve.log.lock().unwrap()
    );
    assert_eq!(
        status["full_rebuilds"].as_u64().unwrap(),
        before,
        "stayed incremental:\n{}",
        serve.log.lock().unwrap()
    );
    assert_eq!(serve.get("/articles/a09/").0, 404);
    assert_eq!(serve.get("/articles/a05/").0, 404);
    assert_same_as_full_build(&site);

    // Unpublishing a linked article withholds only that article: the
    // linking page shows the link as text, no error stops the preview.
    save_by_rename(
        &site.root().join("content/a05.md"),
        &renamed.clone().status("draft").to_markdown(),
    );
    serve.wait_for("/articles/a03/", "the link to become text", |b| {
        !b.contains("/articles/a05-new/") && b.contains("相关文章")
    });
    assert!(!serve
        .get("/articles/a03/")
        .1
        .contains("healthpress-overlay"));
    serve.wait_for("/articles/a05-new/", "the unpublished page to go", |b| {
        !b.contains("文章05")
    });
    assert_eq!(serve.get("/articles/a05-new/").0, 404);
    let fulls = serve.status()["full_rebuilds"].as_u64().unwrap();
    save_by_rename(&site.root().join("content/a05.md"), &renamed.to_markdown());
    serve.wait_for("/articles/a03/", "the link to come back", |b| {
        b.contains("/articles/a05-new/")
    });
    serve.settle(Duration::from_millis(300));
    assert_eq!(
        serve.status()["full_rebuilds"].as_u64().unwrap(),
        fulls,
        "the fix is rebuilt incrementally"
    );
    assert_same_as_full_build(&site);
}

#[test]
fn a_withdrawn_article_leaves_the_manifest_and_keeps_its_short_link() {
    let (site, specs) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    let manifest = "/.healthpress/manifest.json";
    let lists_a03 = |body: &str| {
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let articles = json["articles"].as_array().cloned().unwrap_or_default();
        articles.iter().any(|a| a["url"] == "/articles/a03/")
    };
    assert!(lists_a03(&serve.get(manifest).1));
    // Withdrawn before today: a tombstone at its URL, its short link and
    // redirects kept, and no longer among the public articles.
    save_by_rename(
        &site.root().join("content/a03.md"),
        &specs[3]
            .clone()
            .front("withdrawn: 2026-10-15")
            .to_markdown(),
    );
    serve.wait_for("/articles/a03/", "the tombstone", |b| {
        b.contains("2026-10-15") || b.contains("2026年10月15日")
    });
    assert!(
        !lists_a03(&serve.get(manifest).1),
        "the manifest dropped it"
    );
    serve.settle(Duration::from_millis(300));
    assert_eq!(serve.status()["error"], serde_json::Value::Null);
    assert_same_as_full_build(&site);
}

#[test]
fn fifty_rapid_saves_give_a_few_rebuilds() {
    let (site, specs) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    serve.settle(Duration::from_millis(300));
    let before = serve.rebuilds();
    let path = site.root().join("content/a06.md");
    // The texts first (signing their approvals takes a moment), so the
    // saves themselves come in a rapid burst.
    let texts: Vec<String> = (0..50)
        .map(|n| {
            specs[6]
                .clone()
                .body(&format!("第{n}次保存。\n"))
                .to_markdown()
        })
        .collect();
    for (n, text) in texts.iter().enumerate() {
        if n % 2 == 0 {
            fs::write(&path, text).unwrap();
        } else {
            save_by_rename(&path, text);
        }
    }
    serve.wait_for("/articles/a06/", "the last save", |b| {
        b.contains("第49次保存")
    });
    serve.settle(Duration::from_millis(500));
    let rebuilds = serve.rebuilds() - before;
    assert!(
        (1..=5).contains(&rebuilds),
        "{rebuilds} rebuilds for 50 saves:\n{}",
        serve.log.lock().unwrap()
    );
}

#[test]
fn drafts_preview_has_a_banner_and_build_never_shows_it() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("live", "已发布文章"));
    site.article(&ArticleSpec::new("wip", "草稿文章").status("draft"));
    site.article(&ArticleSpec::new("later", "定时文章").date("2027-01-15"));

    let plain = Serve::start(&site, &[]);
    assert_eq!(plain.get("/articles/wip/").0, 404);
    drop(plain);

    let serve = Serve::start(&site, &["--drafts"]);
    for (path, label) in [
        ("/articles/wip/", "draft"),
        ("/articles/later/", "scheduled"),
    ] {
        let (code, page) = serve.get(path);
        assert_eq!(code, 200, "{path}");
        assert!(
            page.contains(&format!("Not published ({label})")),
            "{path} lacks the banner"
        );
    }
    let (_, live) = serve.get("/articles/live/");
    assert!(!live.contains("Not published"));
    let (_, home) = serve.get("/");
    assert!(!home.contains("草稿文章"), "drafts stay out of listings");

    site.build(AS_OF);
    assert!(!site.public().join("articles/wip").exists());
    assert!(!site.public().join("articles/later").exists());
}

#[test]
fn a_new_base_url_is_served_without_a_restart() {
    let (site, _) = site_with_articles();
    let serve = Serve::start(&site, &[]);
    assert_eq!(serve.get("/articles/a03/").0, 200);
    let config = site.root().join("site.yaml");
    let yaml = fs::read_to_string(&config).unwrap().replace(
        "base_url: https://health.test.example\n",
        "base_url: https://health.test.example/health/\n",
    );
    fs::write(&config, yaml).unwrap();
    let deadline = std::time::Instant::now() + serve_support::WAIT;
    while serve.get("/health/articles/a03/").0 != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new base path is not served; log:\n{}",
            serve.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(serve.get("/articles/a03/").0, 404, "the old base path");
}

#[test]
fn draft_previews_follow_incremental_edits() {
    let site = Fixture::new();
    let live = ArticleSpec::new("live", "已发布文章");
    let wip = ArticleSpec::new("wip", "草稿文章").status("draft");
    site.article(&live);
    site.article(&wip);
    let serve = Serve::start(&site, &["--drafts"]);
    let before = serve.status()["full_rebuilds"].as_u64().unwrap();

    // A draft edit alone, then a public edit: both rebuilds are incremental.
    let wip = wip.body("草稿的新内容。\n");
    save_by_rename(&site.root().join("content/wip.md"), &wip.to_markdown());
    let page = serve.wait_for("/articles/wip/", "the draft edit", |b| {
        b.contains("草稿的新内容")
    });
    assert!(page.contains("Not published (draft)"));
    let live = live.body("公开文章的新内容。\n");
    save_by_rename(&site.root().join("content/live.md"), &live.to_markdown());
    serve.wait_for("/articles/live/", "the public edit", |b| {
        b.contains("公开文章的新内容")
    });
    let (code, page) = serve.get("/articles/wip/");
    assert_eq!(code, 200);
    assert!(page.contains("草稿的新内容") && page.contains("Not published (draft)"));
    assert_eq!(
        serve.status()["full_rebuilds"].as_u64().unwrap(),
        before,
        "{}",
        serve.log.lock().unwrap()
    );
}
