//! Rebuilds reuse the previous output (hard links to unchanged files, the
//! swapped-out tree recycled as the next staging folder). These tests check
//! that this never shows: every rebuild gives exactly the tree a build into
//! an empty folder gives, and a failed build leaves public/ untouched.

mod common;

use common::{all_files, ArticleSpec, Fixture};

const AS_OF: &str = "2026-11-23";

/// Builds into a new, empty folder and returns its files.
fn fresh_build(site: &Fixture, name: &str) -> Vec<(String, Vec<u8>)> {
    let out = site.root().join("fresh").join(name);
    let out_arg = out.to_string_lossy().into_owned();
    let result = site.run(&["build", "--as-of", AS_OF, "--out", &out_arg]);
    assert!(result.status.success(), "{}", common::output_text(&result));
    all_files(&out)
}

#[test]
fn rebuilds_match_builds_into_an_empty_folder() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办").audience(&["parents"]));
    site.article(&ArticleSpec::new("falls", "老人防跌倒").audience(&["seniors"]));
    site.article(&ArticleSpec::new("sleep", "睡眠与焦虑"));

    let edits: [&dyn Fn(&Fixture); 4] = [
        &|_| {},
        &|s| {
            s.article(&ArticleSpec::new("fever", "儿童发热：何时就医").audience(&["parents"]));
        },
        &|s| {
            std::fs::remove_file(s.root().join("content/falls.md")).unwrap();
            s.article(&ArticleSpec::new("teeth", "儿童护牙").audience(&["parents"]));
        },
        &|s| {
            s.write("static/robots-extra.txt", "hello\n");
        },
    ];
    for (n, edit) in edits.iter().enumerate() {
        edit(&site);
        site.build(AS_OF);
        let rebuilt = all_files(&site.public());
        assert_eq!(
            rebuilt,
            fresh_build(&site, &n.to_string()),
            "after edit {n}"
        );
    }
    assert!(!site.public().join("articles/falls").exists());
    assert!(
        site.root()
            .join(".healthpress-cache/spare-public/.healthpress-output")
            .is_file(),
        "the swapped-out tree is kept for the next build"
    );
}

#[test]
fn a_failed_rebuild_leaves_public_untouched() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办"));
    site.build(AS_OF);
    site.build(AS_OF); // now there is also a spare tree to recycle
    let before = all_files(&site.public());

    // A changed page is staged, then a site-wide error (a static file on a
    // generated page's path) fails the build.
    site.article(&ArticleSpec::new("fever", "改过的标题"));
    site.write("static/sitemap.xml", "<urlset/>");
    let failed = site.run(&["build", "--as-of", AS_OF]);
    assert!(
        !failed.status.success(),
        "a static file colliding with a page fails the build"
    );
    assert_eq!(all_files(&site.public()), before);
}
