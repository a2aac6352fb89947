//! `healthpress serve` and articles' own files: editing an image under
//! serve re-renders only the articles that embed it (their pages follow the
//! new content-hashed name, the old file goes), and `serve --drafts` shows
//! draft articles' images. The real binary on a free port, every wait
//! bounded.

mod common;
mod serve_support;

use std::fs;
use std::io::Cursor;
use std::time::Duration;

use common::{ArticleSpec, Fixture};
use serve_support::Serve;

fn png(w: u32, h: u32, blue: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, blue])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn site() -> Fixture {
    let site = Fixture::with_config(
        &format!(
            "{}content:\n  images: {{ widths: [240] }}\n",
            common::SITE_YAML
        ),
        common::CALENDAR_YAML,
    );
    fs::create_dir_all(site.root().join("content/img")).unwrap();
    fs::write(site.root().join("content/img/chart.png"), png(400, 200, 10)).unwrap();
    site
}

/// The `src` of the first `<img>` in the article content of `page`.
fn image_src(page: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let img = scraper::Selector::parse(".content img").unwrap();
    doc.select(&img)
        .next()
        .and_then(|i| i.value().attr("src"))
        .unwrap_or_else(|| panic!("no image in:\n{page}"))
        .to_string()
}

#[test]
fn editing_an_image_under_serve_updates_only_the_pages_that_show_it() {
    let site = site();
    site.article(&ArticleSpec::new("chart", "体温曲线").body("![三天的体温曲线](img/chart.png)\n"));
    site.article(&ArticleSpec::new("other", "另一篇"));
    let serve = Serve::start(&site, &[]);
    let before = serve.status()["full_rebuilds"].as_u64().unwrap();
    let (_, page) = serve.get("/articles/chart/");
    let old = image_src(&page);
    assert_eq!(serve.get(&old).0, 200, "{old} is served");
    let other = fs::read(
        site.root()
            .join(".healthpress-serve/public/articles/other/index.html"),
    )
    .unwrap();

    let rebuilds = serve.rebuilds();
    fs::write(
        site.root().join("content/img/chart.png"),
        png(400, 200, 200),
    )
    .unwrap();
    let page = serve.wait_for("/articles/chart/", "the new image", |b| {
        b.contains("三天的体温曲线") && !b.contains(old.as_str())
    });
    let new = image_src(&page);
    assert_ne!(new, old, "a changed image gets a new name");
    // The page is written first, its files right after it: wait for the
    // rebuild to finish.
    let deadline = std::time::Instant::now() + serve_support::WAIT;
    while serve.rebuilds() == rebuilds {
        assert!(
            std::time::Instant::now() < deadline,
            "the rebuild never finished"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    serve.settle(Duration::from_millis(300));
    let (code, _) = serve.get(&new);
    assert_eq!(code, 200, "{new} is served");
    assert_eq!(serve.get(&old).0, 404, "the old file is gone");
    let log = serve.log.lock().unwrap().clone();
    assert_eq!(
        serve.status()["full_rebuilds"].as_u64().unwrap(),
        before,
        "an image edit is incremental:\n{log}"
    );
    assert!(log.contains("files of 1 article(s)"), "{log}");
    assert_eq!(
        other,
        fs::read(
            site.root()
                .join(".healthpress-serve/public/articles/other/index.html")
        )
        .unwrap(),
        "a page without the image is not rewritten"
    );

    // The serve folder is what a fresh build writes.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("p");
    let cli = site.run(&[
        "build",
        "--as-of",
        serve_support::AS_OF,
        "--out",
        public.to_str().unwrap(),
    ]);
    assert!(cli.status.success(), "{}", common::output_text(&cli));
    let served = common::all_files(&site.root().join(".healthpress-serve/public"));
    let fresh = common::all_files(&public);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&served), names(&fresh));
}

#[test]
fn drafts_preview_shows_the_drafts_images() {
    let site = site();
    site.article(
        &ArticleSpec::new("wip", "草稿")
            .status("draft")
            .body("![三天的体温曲线](img/chart.png)\n"),
    );
    let serve = Serve::start(&site, &["--drafts"]);
    let (code, page) = serve.get("/articles/wip/");
    assert_eq!(code, 200);
    assert!(page.contains("Not published (draft)"));
    let src = image_src(&page);
    let (code, _) = serve.get(&src);
    assert_eq!(code, 200, "the draft's image {src} is served");
    // The source image too (the page shows the narrower variant).
    let original = src.replace(".240.png", ".png");
    assert_ne!(original, src);
    assert_eq!(serve.get(&original).0, 200, "{original}");

    // `build` never publishes a draft's files.
    site.build(serve_support::AS_OF);
    assert!(!site.public().join("articles/wip").exists());
}
