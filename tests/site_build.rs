//! End-to-end tests of `healthpress build` on small fixture sites.

mod common;

use common::{ArticleSpec, Fixture};

#[test]
fn builds_a_published_article_page() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办"));
    site.build("2026-11-23");
    let html = site.read("public/articles/fever/index.html");
    assert!(html.contains("儿童发热怎么办"));
}
