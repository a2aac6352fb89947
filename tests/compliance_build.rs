//! `build` enforces the compliance lint: an approved article with a
//! compliance error is withheld from every output (its own state in the
//! summary), the rest of the site is built, and the error is printed with
//! file and line. A reviewed suppression keeps the article published.
mod common;

use common::{all_files, output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";

const CLAIM_BODY: &str =
    "第一段介绍病情。\n\n本院独家疗法可根治糖尿病，治愈率100%，咨询电话138 1234 5678。\n";

fn site_with_a_noncompliant_article() -> Fixture {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("visible-one", "公开文章一"));
    site.article(
        &ArticleSpec::new("zqxclaim", "标题zqxclaim")
            .summary("摘要 zqxclaim-summary")
            .body(CLAIM_BODY),
    );
    site
}

#[test]
fn an_article_with_a_compliance_error_is_withheld_from_every_output() {
    let site = site_with_a_noncompliant_article();
    let out = site.build(TODAY);
    let text = output_text(&out);
    assert!(text.contains("1 published"), "{text}");
    assert!(text.contains("1 withheld (compliance)"), "{text}");
    // The claim's line in the generated file (its front matter carries a
    // signed approval of some lines).
    let line = 1 + site
        .read("content/zqxclaim.md")
        .lines()
        .position(|l| l.contains("本院独家疗法"))
        .unwrap();
    assert!(
        text.contains(&format!("content/zqxclaim.md:{line}")),
        "the error names file and line:\n{text}"
    );
    let files = all_files(&site.public());
    assert!(files
        .iter()
        .any(|(p, _)| p == "articles/visible-one/index.html"));
    for (path, bytes) in &files {
        let body = String::from_utf8_lossy(bytes);
        assert!(
            !path.contains("zqxclaim")
                && !body.contains("zqxclaim")
                && !body.contains("13812345678"),
            "withheld article leaked into public/{path}"
        );
    }
}

#[test]
fn a_reviewed_suppression_keeps_the_article_published_and_visible_in_check() {
    let site = Fixture::new();
    let body = "<!-- healthpress-allow: cure-guarantee: 引用《肺结核诊疗指南》原文 -->\n我院治疗方案可彻底治愈肺结核。\n";
    site.article(&ArticleSpec::new("zqxallowed", "标题zqxallowed").body(body));
    let out = site.build(TODAY);
    let text = output_text(&out);
    assert!(text.contains("1 published"), "{text}");
    assert!(text.contains("0 withheld"), "{text}");
    let check = site.run(&["check", "--as-of", TODAY]);
    let report = output_text(&check);
    assert!(
        report.contains("引用《肺结核诊疗指南》原文"),
        "check lists the suppression and its reason:\n{report}"
    );
}
