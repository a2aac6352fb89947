//! Every problem in one run: a file with many front matter mistakes shows
//! all of them at once, each at its own line with "did you mean"; a bad
//! value in site.yaml is reported once, at site.yaml, and no article is
//! blamed for it.

mod common;

use common::{output_text, ArticleSpec, Fixture, SITE_YAML};

const TODAY: &str = "2026-11-23";

/// `(line, rule, hint)` of each error `check --format json` reports for `file`.
fn problems_in(out: &std::process::Output, file: &str) -> Vec<(u64, String, String)> {
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", output_text(out)));
    let list = json["diagnostics"]
        .as_array()
        .or_else(|| json.as_array())
        .unwrap_or_else(|| panic!("no diagnostics in {json}"));
    let mut found: Vec<(u64, String, String)> = list
        .iter()
        .filter(|d| d["file"] == file && d["severity"] == "error")
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_file_with_many_problems_reports_them_all_in_one_run() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fine", "没问题"));
    site.write(
        "content/messy.md",
        "---\n\
         title: 冬季防跌倒\n\
         date: 2026-11-31\n\
         sumary: 摘要\n\
         audience: [parentz, seniors]\n\
         specialty: [cardiolgy]\n\
         season: winter\n\
         tags: [falls]\n\
         author: editor-sun\n\
         lastmod: 2026-12-01\n\
         review:\n  status: aproved\n  reviewer: dr-wang\n\
         ---\nbody\n",
    );
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    let found = problems_in(&out, "content/messy.md");
    let lines: Vec<(u64, &str)> = found.iter().map(|(l, r, _)| (*l, r.as_str())).collect();
    assert_eq!(
        lines,
        [
            (2, "missing-field"), // summary (misspelled below)
            (3, "bad-date"),
            (4, "unknown-key"),
            (7, "bad-type"),
            (8, "unknown-key"),
            (9, "unknown-key"),
            (10, "unknown-key"),
            (12, "bad-value"),
        ],
        "{}",
        output_text(&out)
    );
    let hint = |line: u64, rule: &str| {
        found
            .iter()
            .find(|(l, r, _)| *l == line && r == rule)
            .map(|(_, _, h)| h.clone())
            .unwrap()
    };
    assert!(hint(4, "unknown-key").starts_with("did you mean `summary`?"));
    assert!(hint(8, "unknown-key").contains("`audience`, `specialty` and `season`"));
    assert!(hint(9, "unknown-key").contains("authors: [id]"));
    assert!(hint(10, "unknown-key").contains("`updated`"));
    assert!(hint(12, "bad-value").starts_with("did you mean `approved`?"));
    // The other article is still read and checked.
    assert!(problems_in(&out, "content/fine.md").is_empty());

    // Once the front matter reads, the term checks run, each at its value.
    site.write(
        "content/messy.md",
        "---\ntitle: 冬季防跌倒\ndate: 2026-11-30\nsummary: 摘要\naudience: [parentz, seniors]\nspecialty: [cardiolgy]\nseason: [winter]\nauthors: [\"\"]\n---\nbody\n",
    );
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    let found = problems_in(&out, "content/messy.md");
    let lines: Vec<(u64, &str)> = found.iter().map(|(l, r, _)| (*l, r.as_str())).collect();
    assert_eq!(
        lines,
        [
            (5, "unknown-term"),
            (6, "unknown-term"),
            (8, "empty-person")
        ],
        "{}",
        output_text(&out)
    );
}

#[test]
fn migrated_keys_are_each_reported_with_advice() {
    let site = Fixture::new();
    for i in 0..5 {
        site.write(
            &format!("content/hugo-{i}.md"),
            "---\ntitle: T\ndate: 2026-10-01\nsummary: S\naudience: [parents]\nspecialty: [pediatrics]\nseason: [winter]\ndraft: true\ntags: [a]\ncategories: [b]\nweight: 3\ndescription: d\n---\nbody\n",
        );
    }
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    for i in 0..5 {
        let found = problems_in(&out, &format!("content/hugo-{i}.md"));
        let lines: Vec<u64> = found.iter().map(|(l, _, _)| *l).collect();
        assert_eq!(lines, [8, 9, 10, 11, 12], "{}", output_text(&out));
        assert!(found.iter().all(|(_, r, _)| r == "unknown-key"));
    }
}

#[test]
fn a_bad_site_language_is_reported_once_at_site_yaml() {
    let site = Fixture::with_config(
        &SITE_YAML.replace("language: zh-Hans", "language: Chinese (Simplified)"),
        common::CALENDAR_YAML,
    );
    for i in 0..4 {
        site.article(&ArticleSpec::new(&format!("a{i}"), "文章"));
    }
    site.write(
        "content/own-lang.md",
        // In review: adding `lang:` to an approved article would (rightly)
        // void its approval, which is not what this test is about.
        &ArticleSpec::new("own-lang", "English")
            .status("in-review")
            .to_markdown()
            .replacen("---\n", "---\nlang: en\n", 1),
    );
    for args in [
        &["check", "--format", "json", "--as-of", TODAY][..],
        &["build", "--as-of", TODAY][..],
    ] {
        let out = site.run(args);
        assert_ne!(out.status.code(), Some(0), "{}", output_text(&out));
        let text = output_text(&out);
        assert_eq!(text.matches("bad-lang").count(), 1, "{text}");
        assert!(!text.contains("content/"), "{text}");
    }
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    let found = problems_in(&out, "site.yaml");
    assert_eq!(found.len(), 1, "{}", output_text(&out));
    assert_eq!((found[0].0, found[0].1.as_str()), (3, "bad-lang"));
}

#[test]
fn a_bad_article_language_is_reported_at_its_line() {
    let site = Fixture::new();
    site.write(
        "content/x.md",
        &ArticleSpec::new("x", "X")
            .to_markdown()
            .replacen("---\n", "---\nlang: english\n", 1),
    );
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    let found = problems_in(&out, "content/x.md");
    assert_eq!(found.len(), 1, "{}", output_text(&out));
    assert_eq!((found[0].0, found[0].1.as_str()), (2, "bad-lang"));
}

#[test]
fn a_specialty_schema_outside_schema_org_is_an_error_with_a_suggestion() {
    let site = Fixture::with_config(
        &SITE_YAML.replace("schema: Cardiovascular", "schema: Cardiology"),
        common::CALENDAR_YAML,
    );
    site.article(&ArticleSpec::new("a", "文章").specialty(&["cardiology"]));
    let out = site.run(&["check", "--format", "json", "--as-of", TODAY]);
    // A config error: exit 2, reported once at site.yaml.
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let found = problems_in(&out, "site.yaml");
    assert_eq!(found.len(), 1, "{}", output_text(&out));
    let (line, rule, hint) = &found[0];
    assert_eq!((*line, rule.as_str()), (14, "bad-schema"));
    assert!(hint.contains("`Cardiovascular`"), "{hint}");
    // Nothing is written: the JSON-LD of every cardiology page would be invalid.
    let build = site.run(&["build", "--as-of", TODAY]);
    assert_ne!(build.status.code(), Some(0));
    assert!(problems_in(&site.run(&["check", "--format", "json"]), "content/a.md").is_empty());
}
