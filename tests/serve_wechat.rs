//! `serve` shows the WeChat post of the article being edited: its page
//! links to `/__healthpress/wechat/<slug>/`, which serves the editorial
//! post (rendered by the same renderer as a build, incrementally after an
//! edit) and follows edits; an article that stops being public loses its
//! post; the serve folder's posts equal a full build's.

mod common;
mod serve_support;

use std::fs;
use std::time::Duration;

use common::{all_files, ArticleSpec, Fixture};
use serve_support::{Serve, AS_OF};

fn save(path: &std::path::Path, text: &str) {
    let tmp = path.with_extension("md.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

fn same_posts_as_a_full_build(site: &Fixture) {
    let full = tempfile::tempdir().unwrap();
    let editorial = full.path().join("editorial");
    let built = site.run(&[
        "build",
        "--as-of",
        AS_OF,
        "--out",
        full.path().join("public").to_str().unwrap(),
        "--editorial-out",
        editorial.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", common::output_text(&built));
    let served = all_files(&site.root().join(".healthpress-serve/editorial/wechat"));
    let fresh = all_files(&editorial.join("wechat"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&served), names(&fresh));
    for ((name, a), (_, b)) in served.iter().zip(&fresh) {
        assert!(a == b, "wechat/{name} differs from a full build");
    }
}

#[test]
fn serve_shows_the_wechat_post_of_the_article_being_edited() {
    let site = Fixture::new();
    let spec = ArticleSpec::new("edited", "编辑中的文章");
    site.article(&spec);
    site.article(&ArticleSpec::new("linker", "链接文章").body("见[编辑中的文章](edited.md)。\n"));
    let serve = Serve::start(&site, &[]);
    let (code, page) = serve.get("/articles/edited/");
    assert_eq!(code, 200);
    assert!(
        page.contains("href=\"/__healthpress/wechat/edited/\""),
        "{page}"
    );
    let (code, post) = serve.get("/__healthpress/wechat/edited/");
    assert_eq!(code, 200);
    assert!(post.contains("复制到公众号") && post.contains("/__healthpress/reload.js"));

    let path = site.root().join("content/edited.md");
    save(
        &path,
        &spec
            .clone()
            .body("## 要点\n\n新写的一句：每天散步。\n")
            .to_markdown(),
    );
    serve.wait_for(
        "/__healthpress/wechat/edited/",
        "the edit in the post",
        |b| b.contains("新写的一句：每天散步。"),
    );
    serve.settle(Duration::from_millis(300));
    same_posts_as_a_full_build(&site);

    // No longer public: no post, and the linking post has no reference.
    save(&path, &spec.clone().status("draft").to_markdown());
    serve.wait_for("/__healthpress/wechat/edited/", "the post removed", |b| {
        !b.contains("复制到公众号")
    });
    serve.settle(Duration::from_millis(300));
    let (_, linker) = serve.get("/__healthpress/wechat/linker/");
    assert!(!linker.contains("articles/edited/"), "{linker}");
    same_posts_as_a_full_build(&site);
    let (code, _) = serve.get("/__healthpress/wechat/../public/");
    assert_ne!(code, 200);
}
