//! `healthpress approve` refuses what a doctor must not sign off (issue 16):
//! an untouched `healthpress new` skeleton, an empty body, a key that is not
//! listed for the reviewer (or a reviewer without keys, a passphrase-
//! protected key file, a site requiring signatures without a key), each
//! leaving the file byte for byte as it was. It warns, without refusing,
//! about links to articles that are not public. (Unknown reviewers, titles
//! that are not clinical, `check` errors and an unrelated specialty are
//! tested in review_workflow.rs.)

mod common;

use std::fs;

use common::{key_path, output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};

/// Runs `approve` with `args` after FILE and asserts it refused with
/// `expected` in its output, leaving `file` unchanged.
fn refused(site: &Fixture, file: &str, args: &[&str], expected: &str) {
    let path = site.root().join(file);
    let before = fs::read(&path).unwrap();
    let mut all = vec!["approve", file];
    all.extend_from_slice(args);
    let out = site.run(&all);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
    assert!(
        text.contains(expected),
        "{args:?}: expected `{expected}` in\n{text}"
    );
    assert_eq!(fs::read(&path).unwrap(), before, "{args:?}: file changed");
}

#[test]
fn an_untouched_new_skeleton_is_refused() {
    let site = Fixture::new();
    let out = site.run(&[
        "new",
        "--title",
        "冬季防跌倒",
        "--slug",
        "falls",
        "--audience",
        "parents",
        "--specialty",
        "pediatrics",
        "--season",
        "winter",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let key = key_path("dr-li");
    refused(
        &site,
        "content/falls.md",
        &["--reviewer", "dr-li", "--key", &key],
        "placeholder text from `healthpress new`",
    );

    // The summary written, the body still the skeleton's.
    let path = site.root().join("content/falls.md");
    let text = fs::read_to_string(&path).unwrap();
    let summary = text
        .lines()
        .find(|l| l.starts_with("summary:"))
        .unwrap()
        .to_string();
    fs::write(
        &path,
        text.replace(&summary, "summary: 老人冬季防跌倒的要点。"),
    )
    .unwrap();
    refused(
        &site,
        "content/falls.md",
        &["--reviewer", "dr-li", "--key", &key],
        "placeholder text",
    );
}

#[test]
fn an_empty_body_is_refused() {
    let site = Fixture::new();
    for (slug, body) in [
        ("empty", ""),
        ("blank", "\n\n   \n"),
        ("headings", "## 要点\n\n### 小结\n"),
    ] {
        let spec = ArticleSpec::new(slug, "儿童发热")
            .status("in-review")
            .body(body);
        site.article(&spec);
        let file = format!("content/{slug}.md");
        refused(
            &site,
            &file,
            &["--reviewer", "dr-li", "--key", &key_path("dr-li")],
            "has no body text",
        );
    }
}

#[test]
fn keys_not_listed_for_the_reviewer_are_refused() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热").status("in-review"));
    let file = "content/fever.md";
    // Another reviewer's key, and a key listed for nobody.
    for other in ["dr-wang", "dr-other"] {
        refused(
            &site,
            file,
            &["--reviewer", "dr-li", "--key", &key_path(other)],
            "is not among `dr-li`'s signing_keys in site.yaml",
        );
    }
    // A reviewer with no keys at all.
    let yaml = SITE_YAML.replace(
        "editor-sun: { name: 孙悦, title: 健康传播编辑 }",
        "editor-sun: { name: 孙悦, title: 健康传播编辑 }\n  dr-zhou: { name: 周强, title: 主治医师, specialty: pediatrics }",
    );
    let keyless = Fixture::with_config(&yaml, CALENDAR_YAML);
    keyless.article(&ArticleSpec::new("fever", "儿童发热").status("in-review"));
    refused(
        &keyless,
        file,
        &["--reviewer", "dr-zhou", "--key", &key_path("dr-li")],
        "has no signing_keys",
    );
    // A passphrase-protected key file: use the agent instead.
    let yaml = SITE_YAML.replace(
        "[\"DR_LI_KEY\"]",
        &format!("[\"{}\"]", common::test_key("dr-wang-protected.pub").trim()),
    );
    let protected = Fixture::with_config(&yaml, CALENDAR_YAML);
    protected.article(&ArticleSpec::new("fever", "儿童发热").status("in-review"));
    refused(
        &protected,
        file,
        &[
            "--reviewer",
            "dr-li",
            "--key",
            &key_path("dr-wang-protected"),
        ],
        "ssh-add",
    );
    // A file that is not a key.
    refused(
        &site,
        file,
        &["--reviewer", "dr-li", "--key", "site.yaml"],
        "cannot read the key",
    );
}

#[test]
fn a_site_requiring_signatures_refuses_an_unsigned_approval() {
    let yaml = SITE_YAML.replace(
        "review:\n  max_age_days: 730\n",
        "review:\n  max_age_days: 730\n  require_signature: true\n",
    );
    let site = Fixture::with_config(&yaml, CALENDAR_YAML);
    site.article(&ArticleSpec::new("fever", "儿童发热").status("in-review"));
    refused(
        &site,
        "content/fever.md",
        &["--reviewer", "dr-li", "--date", "2026-11-20"],
        "requires signed approvals",
    );
    let out = site.run(&[
        "approve",
        "content/fever.md",
        "--reviewer",
        "dr-li",
        "--date",
        "2026-11-20",
        "--key",
        &key_path("dr-li"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("signed with SHA256:"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn approve_warns_about_links_to_articles_that_are_not_public() {
    let site = Fixture::new();
    // Targets: a stale approval, a draft, a published article, one expiring soon.
    site.article(&ArticleSpec::new("stale-target", "旧文").stale());
    site.article(&ArticleSpec::new("draft-target", "草稿").status("draft"));
    site.article(&ArticleSpec::new("live-target", "已发布"));
    let today = chrono::Utc::now().date_naive();
    let soon = (today + chrono::Duration::days(5)).to_string();
    site.article(&ArticleSpec::new("ending-target", "将到期").expires(&soon));
    let body = "## 要点\n\n多喝水。见[旧文](stale-target.md)、[草稿](draft-target.md)、[已发布](live-target.md)和[将到期](ending-target.md)。\n";
    site.article(
        &ArticleSpec::new("fever", "儿童发热")
            .status("in-review")
            .body(body),
    );
    let out = site.run(&[
        "approve",
        "content/fever.md",
        "--reviewer",
        "dr-li",
        "--key",
        &key_path("dr-li"),
    ]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "warnings do not block: {text}");
    let link_warnings: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("warning[link-"))
        .collect();
    assert_eq!(link_warnings.len(), 3, "{text}");
    assert!(
        text.contains("warning[link-to-unpublished]") && text.contains("stale-target.md"),
        "{text}"
    );
    assert!(
        text.contains("draft-target.md") && text.contains("warning[link-ending-soon]"),
        "{text}"
    );
    assert!(
        !link_warnings.iter().any(|l| l.contains("live-target")),
        "{text}"
    );
}
