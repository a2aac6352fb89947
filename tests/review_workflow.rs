//! End-to-end tests of the review workflow: `check` (formats, exit codes,
//! every problem in one run, compliance and review rules, suppressions),
//! `approve` (refusals, byte-preserving edit, approval voided by an edit)
//! and `new` (scaffold passes check).

mod common;

use std::fs;

use common::{output_text, ArticleSpec, Fixture, SITE_YAML};

const AS_OF: &str = "2026-11-23";

fn check(site: &Fixture, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    (out.status.code().unwrap_or(-1), output_text(&out))
}

/// An article text with the given front matter lines (after the required
/// keys) and body.
fn article_text(extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: 儿童发热\ndate: 2026-10-01\nsummary: 发热的家庭护理。\naudience: [parents]\nspecialty: [pediatrics]\nseason: [all-year]\n{extra_front}---\n{body}"
    )
}

fn is_published(site: &Fixture, slug: &str) -> bool {
    site.root()
        .join(format!("public/articles/{slug}/index.html"))
        .exists()
}

#[test]
fn clean_site_exits_zero() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办"));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("0 error(s), 0 warning(s) in 1 article(s)"),
        "{text}"
    );
}

#[test]
fn ordinary_health_text_is_not_flagged() {
    let site = Fixture::new();
    let body = "## 什么时候就医\n\n第一次发热时家长不要慌。规范治疗可以有效地控制症状，多数孩子3到5天退热。\n\n\
        2026-11-22 起门诊时间调整；疫苗批号 20261122013800138000 请以说明书为准。\n\n\
        高血压目前无法根治，但可以控制。最好在饭后服用。错过了最佳干预时机会加重病情。\n\n\
        Most children have no side effects after the vaccine. There is no miracle cure.\n";
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办").body(body));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 error(s), 0 warning(s)"), "{text}");
}

#[test]
fn reports_every_problem_in_one_run_rustc_style() {
    let site = Fixture::new();
    // Unknown term + a cure guarantee + a phone number in one article.
    site.article(
        &ArticleSpec::new("fever", "儿童发热怎么办")
            .audience(&["kids"])
            .body("本方法可以彻底根治发热。\n咨询电话 13912345678。\n"),
    );
    // A file whose front matter does not parse is still scanned.
    site.write(
        "content/broken.md",
        "---\ntitle: [unclosed\n---\n全国第一的儿科。\n",
    );
    // A link to a missing article from a published page.
    site.article(&ArticleSpec::new("cough", "咳嗽").body("[更多](missing.md)\n"));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1, "{text}");
    for rule in [
        "unknown-term",
        "cure-guarantee",
        "patient-phone",
        "absolute-terms",
    ] {
        assert!(
            text.contains(&format!("[{rule}]")),
            "{rule} missing:\n{text}"
        );
    }
    assert!(text.contains("content/broken.md:2"), "{text}");
    assert!(text.contains("missing.md"), "broken link reported:\n{text}");
    // rustc-like layout: header, arrow, quoted line with caret, hint.
    let expected = "error[cure-guarantee]: 保证治愈或保证疗效 / guarantee of cure or efficacy: “彻底根治”\n  --> content/fever.md:";
    assert!(text.contains(expected), "{text}");
    assert!(text.contains("| 本方法可以彻底根治发热。\n"), "{text}");
    assert!(
        text.contains("|           ^^^^^^^^\n"),
        "caret under 彻底根治:\n{text}"
    );
    assert!(text.contains("   = hint: "), "{text}");
}

#[test]
fn github_and_json_formats() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办").body("本院拥有最先进的退热设备。\n"));
    let (code, text) = check(&site, &["--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=content/fever.md,line=")
                && l.contains("::[absolute-terms]")),
        "{text}"
    );
    let (code, text) = check(&site, &["--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"absolute-terms"), "{rules:?}");
    assert_eq!(json["as_of"], AS_OF);
}

#[test]
fn suppressions_are_honoured_and_listed() {
    let site = Fixture::new();
    let body = "<!-- healthpress-allow: absolute-terms: 引用《儿童发热指南》原文 -->\n对乙酰氨基酚是唯一推荐的退热药。\n";
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办").body(body));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("note[suppressed]: absolute-terms at content/fever.md:"),
        "{text}"
    );
    assert!(text.contains("引用《儿童发热指南》原文"), "{text}");
    let (_, github) = check(&site, &["--format", "github"]);
    assert!(
        github.contains("::notice file=content/fever.md"),
        "{github}"
    );
}

#[test]
fn warnings_only_exit_zero() {
    let site = Fixture::new();
    // No sources; reviewed by a cardiologist; approved long ago.
    let spec = ArticleSpec::new("fever", "儿童发热怎么办").status("in-review");
    let text = spec
        .to_markdown()
        .replace("sources:\n  - 国家卫生健康委员会相关指南（2024）\n", "");
    site.write("content/fever.md", &text);
    let key = common::key_path("dr-wang");
    let out = site.run(&[
        "approve",
        "content/fever.md",
        "--reviewer",
        "dr-wang",
        "--date",
        "2024-01-02",
        "--key",
        &key,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    // A draft that publishes in three days.
    site.article(
        &ArticleSpec::new("cough", "咳嗽")
            .status("draft")
            .date("2026-11-26"),
    );
    let (code, out) = check(&site, &[]);
    assert_eq!(code, 0, "{out}");
    for rule in [
        "missing-sources",
        "reviewer-specialty",
        "review-due",
        "unapproved-due-soon",
    ] {
        assert!(out.contains(&format!("warning[{rule}]")), "{rule}:\n{out}");
    }
}

#[test]
fn configuration_errors_exit_two() {
    let site = Fixture::new();
    fs::remove_file(site.root().join("site.yaml")).unwrap();
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("site.yaml"), "{text}");

    let site = Fixture::with_config("title: [unclosed\n", common::CALENDAR_YAML);
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--> site.yaml:"), "{text}");

    let bad_rules = format!("{SITE_YAML}compliance:\n  disable: [no-such-rule]\n");
    let site = Fixture::with_config(&bad_rules, common::CALENDAR_YAML);
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("no-such-rule"), "{text}");

    let out = site.run(&["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn site_rules_extend_the_builtin_list() {
    let custom = format!(
        "{SITE_YAML}compliance:\n  rules:\n    - id: clinic-promotion\n      severity: error\n      message: 促销用语\n      terms: [会员专享]\n"
    );
    let site = Fixture::with_config(&custom, common::CALENDAR_YAML);
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办").body("本周会员专享。\n"));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1);
    assert!(text.contains("error[clinic-promotion]"), "{text}");
}

/// `healthpress approve FILE --reviewer REVIEWER --date DATE`.
fn approve(site: &Fixture, file: &str, reviewer: &str, date: &str) -> std::process::Output {
    site.run(&["approve", file, "--reviewer", reviewer, "--date", date])
}

#[test]
fn approve_then_edit_then_build_unpublishes() {
    let site = Fixture::new();
    let path = site.article(&ArticleSpec::new("fever", "儿童发热怎么办").status("in-review"));
    site.build(AS_OF);
    assert!(!is_published(&site, "fever"));

    let out = approve(&site, "content/fever.md", "dr-li", "2026-11-20");
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let approved = fs::read_to_string(&path).unwrap();
    assert!(approved.contains("review:\n  status: approved\n  reviewer: dr-li\n  date: 2026-11-20\n  fingerprint: sha256v2:"), "{approved}");
    assert_eq!(check(&site, &[]).0, 0);
    site.build(AS_OF);
    assert!(is_published(&site, "fever"));

    fs::write(&path, approved.replace("多喝水", "多喝温水")).unwrap();
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1);
    assert!(text.contains("error[stale-approval]"), "{text}");
    site.build(AS_OF);
    assert!(
        !is_published(&site, "fever"),
        "an edit after sign-off voids it"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("fever"), "{sitemap}");

    // Approving again restores it.
    let out = approve(&site, "content/fever.md", "dr-li", "2026-11-21");
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    site.build(AS_OF);
    assert!(is_published(&site, "fever"));
}

#[test]
fn approve_changes_only_the_review_block() {
    let site = Fixture::new();
    let head = "---\r\n# 编辑备注：冬季专题\r\nseason: [winter]   # 季节\r\ntitle: \"儿童发热: 家庭护理\"\r\ndate: 2026-10-01\r\nreview:\r\n  status: changes-requested  # 上次意见已修改\r\n  reviewer: dr-wang\r\nsummary: >-\r\n  发热的\r\n  家庭护理。\r\naudience: [parents]\r\nspecialty: [pediatrics]\r\nsources: [指南]\r\n---\r\n";
    let body = "\r\n正文  \r\n\r\n| a | b |\r\n|---|---|\r\n\r\n\r\n";
    let path = site.write("content/fever.md", &format!("{head}{body}"));
    let out = approve(&site, "content/fever.md", "dr-li", "2026-11-20");
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let after = fs::read_to_string(&path).unwrap();
    let before = healthpress::load::frontmatter::parse_article(
        "content/fever.md".into(),
        "fever.md".into(),
        format!("{head}{body}"),
        "zh-Hans",
    )
    .unwrap();
    let fp = healthpress::review::edit::fingerprint_for(
        &before,
        "dr-li",
        healthpress::config::dates::parse_date("2026-11-20").unwrap(),
    );
    let expected_head = head
        .replace("status: changes-requested  #", "status: approved  #")
        .replace(
            "reviewer: dr-wang\r\n",
            &format!("reviewer: dr-li\r\n  date: 2026-11-20\r\n  fingerprint: {fp}\r\n"),
        );
    assert_eq!(after, format!("{expected_head}{body}"));
    assert_eq!(check(&site, &[]).0, 0, "{}", check(&site, &[]).1);
}

#[test]
fn approve_warns_about_the_new_sign_off_not_the_old_one() {
    let site = Fixture::new();
    let approve = |reviewer: &str| {
        let out = site.run(&[
            "approve",
            "content/fever.md",
            "--reviewer",
            reviewer,
            "--date",
            "2026-11-20",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
        output_text(&out)
    };
    // A pediatrics article signed off by the cardiologist: approving it as
    // the pediatrician leaves nothing to warn about.
    let mut spec = ArticleSpec::new("fever", "儿童发热怎么办");
    spec.reviewer = "dr-wang".into();
    site.article(&spec);
    let text = approve("dr-li");
    assert!(!text.contains("reviewer-specialty"), "{text}");
    // Approving it as the cardiologist warns about the cardiologist.
    let text = approve("dr-wang");
    assert!(
        text.contains("warning[reviewer-specialty]") && text.contains("`dr-wang`"),
        "{text}"
    );
}

#[test]
fn approve_refusals_leave_the_file_alone() {
    let site = Fixture::new();
    let path = site.article(&ArticleSpec::new("fever", "儿童发热怎么办").status("draft"));
    let before = fs::read(&path).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["approve", "content/fever.md", "--reviewer", "dr-nobody"],
            "unknown reviewer",
        ),
        (
            &["approve", "content/fever.md", "--reviewer", "editor-sun"],
            "no clinical title",
        ),
        (
            &["approve", "site.yaml", "--reviewer", "dr-li"],
            "not a Markdown file",
        ),
        (
            &[
                "approve",
                "content/fever.md",
                "--reviewer",
                "dr-li",
                "--date",
                "2099-01-01",
            ],
            "future",
        ),
    ];
    for (args, why) in cases {
        let out = site.run(args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(
            output_text(&out).contains(why),
            "{args:?}: {}",
            output_text(&out)
        );
        assert_eq!(fs::read(&path).unwrap(), before);
    }
    // A file with check errors (a cure guarantee) is refused.
    let bad = site.article(
        &ArticleSpec::new("cold", "感冒")
            .status("draft")
            .body("保证治愈感冒。\n"),
    );
    let before = fs::read(&bad).unwrap();
    let out = approve(&site, "content/cold.md", "dr-li", "2026-11-20");
    assert_eq!(out.status.code(), Some(1));
    let text = output_text(&out);
    assert!(
        text.contains("cure-guarantee") && text.contains("fix them before approving"),
        "{text}"
    );
    assert_eq!(fs::read(&bad).unwrap(), before);
}

#[test]
fn new_scaffolds_an_article_that_passes_check() {
    let site = Fixture::new();
    let out = site.run(&[
        "new",
        "--title",
        "冬季心脑血管疾病预防",
        "--audience",
        "seniors",
        "--specialty",
        "cardiology",
        "--season",
        "winter",
        "--date",
        "2026-12-20",
        "--dir",
        "content/seniors",
        "--author",
        "editor-sun",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let rel = "content/seniors/dong-ji-xin-nao-xue-guan-ji-bing-yu-fang.md";
    let text = site.read(rel);
    assert!(
        text.contains("slug: dong-ji-xin-nao-xue-guan-ji-bing-yu-fang\n"),
        "{text}"
    );
    assert!(text.contains("review:\n  status: draft\n"), "{text}");
    let (code, report) = check(&site, &[]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("0 error(s), 1 warning(s)"), "{report}");
    assert!(report.contains("warning[missing-sources]"), "{report}");

    // Never overwrites; same slug elsewhere is refused too.
    let again = site.run(&[
        "new",
        "--title",
        "冬季心脑血管疾病预防",
        "--audience",
        "seniors",
        "--specialty",
        "cardiology",
        "--season",
        "winter",
        "--dir",
        "content/seniors",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        output_text(&again).contains("already"),
        "{}",
        output_text(&again)
    );
    assert_eq!(site.read(rel), text);

    let unknown = site.run(&[
        "new",
        "--title",
        "x",
        "--audience",
        "kids",
        "--specialty",
        "cardiology",
        "--season",
        "winter",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        output_text(&unknown).contains("unknown audience `kids`"),
        "{}",
        output_text(&unknown)
    );
}

#[test]
fn check_never_panics_on_odd_files() {
    let site = Fixture::new();
    site.write("content/empty.md", "");
    site.write(
        "content/bom.md",
        &format!("\u{feff}{}", article_text("", "正文\n")),
    );
    fs::write(
        site.root().join("content/gbk.md"),
        b"---\ntitle: \xb6\xf9\xcd\xaf\n---\n",
    )
    .unwrap();
    site.write("content/only-fence.md", "---\n");
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("panicked"), "{text}");
    assert!(text.contains("content/gbk.md:2"), "{text}");
}

#[cfg(unix)]
#[test]
fn check_does_not_follow_symlinks() {
    let site = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "---\ntitle: x\n---\n秘密：保证治愈 13912345678\n").unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("content/link.md")).unwrap();
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[symlink]"), "{text}");
    assert!(
        !text.contains("13912345678") && !text.contains("秘密"),
        "{text}"
    );
}

#[test]
fn check_reports_what_only_rendering_finds() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发热怎么办"));
    // Collides with the generated 404 page: only the render notices.
    site.write("static/404.html", "<p>custom</p>");
    let build = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(build.status.code(), Some(1), "{}", output_text(&build));
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("static/404.html"), "{text}");
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn check_reports_a_published_body_problem_once() {
    let site = Fixture::new();
    // Published: its body is rendered by the dry render of the site.
    site.article(
        &ArticleSpec::new("fever", "儿童发热怎么办").body("正文。\n\n<script>alert(1)</script>\n"),
    );
    // Not published: its body is rendered on its own.
    site.article(
        &ArticleSpec::new("cough", "咳嗽")
            .status("draft")
            .body("正文。\n\n<script>alert(1)</script>\n"),
    );
    let (code, text) = check(&site, &["--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let raw_html: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "raw-html")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(raw_html, ["content/cough.md", "content/fever.md"], "{text}");
}
