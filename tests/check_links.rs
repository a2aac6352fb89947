//! `check` follows links as a reader would, on the rendered site: an
//! `#anchor` to another article's heading or to one of the article's own,
//! and a root-relative link to a page the build does not write, are errors
//! at the line of the link.
mod common;

use common::{output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";

#[test]
fn broken_anchors_and_root_relative_links_are_found() {
    let site = Fixture::new();
    site.write(
        "content/target.md",
        &ArticleSpec::new("target", "目标文章")
            .body("## Warning signs\n\n发烧。\n\n## When to call\n\n打电话。\n")
            .to_markdown(),
    );
    site.write(
        "content/linking.md",
        &ArticleSpec::new("linking", "链接文章")
            .body(
                "## Own part\n\n\
                 [ok](target.md#warning-signs) and [gone](target.md#no-such-heading)\n\n\
                 [own ok](#own-part) and [own gone](#nowhere)\n\n\
                 [term](/specialty/pediatrics/) and [missing](/no/such/page/)\n",
            )
            .to_markdown(),
    );
    let out = site.run(&["check", "--as-of", TODAY]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("error[broken-anchor]").count(), 2, "{text}");
    assert!(
        text.contains("`#no-such-heading` is not an anchor of /articles/target/"),
        "{text}"
    );
    assert!(
        text.contains("`#nowhere` is not an anchor of this article"),
        "{text}"
    );
    assert_eq!(text.matches("error[broken-link]").count(), 1, "{text}");
    assert!(text.contains("`/no/such/page/` leads to no page"), "{text}");
    assert!(!text.contains("warning-signs` is not"), "{text}");
    assert!(!text.contains("own-part` is not"), "{text}");
    assert!(!text.contains("pediatrics/` leads"), "{text}");

    // Fixed, check passes.
    site.write(
        "content/linking.md",
        &ArticleSpec::new("linking", "链接文章")
            .body("## Own part\n\n[ok](target.md#when-to-call) [own](#own-part) [term](/specialty/pediatrics/)\n")
            .to_markdown(),
    );
    let out = site.run(&["check", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
}
