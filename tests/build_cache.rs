//! What a build remembers between runs (`.healthpress-cache/`) only makes
//! it faster: the compliance scan skips files it found clean before, but an
//! article with an error is withheld, with its error, on every build, and
//! a clean article edited into a claim is withheld at once.
mod common;

use common::{output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";
const CLAIM_BODY: &str = "第一段介绍病情。\n\n本院独家疗法可根治糖尿病，治愈率100%。\n";

#[test]
fn remembered_compliance_scans_never_hide_an_error() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("visible-one", "公开文章一"));
    site.article(&ArticleSpec::new("zqxclaim", "标题zqxclaim").body(CLAIM_BODY));
    let first = output_text(&site.build(TODAY));
    assert!(first.contains("1 withheld (compliance)"), "{first}");
    assert!(site
        .root()
        .join(".healthpress-cache/compliance-clean")
        .is_file());

    let second = output_text(&site.build(TODAY));
    assert!(second.contains("1 published"), "{second}");
    assert!(second.contains("1 withheld (compliance)"), "{second}");
    assert!(second.contains("content/zqxclaim.md:"), "{second}");

    site.article(&ArticleSpec::new("visible-one", "公开文章一").body(CLAIM_BODY));
    let third = output_text(&site.build(TODAY));
    assert!(third.contains("2 withheld (compliance)"), "{third}");
    assert!(!site
        .public()
        .join("articles/visible-one/index.html")
        .exists());
}
