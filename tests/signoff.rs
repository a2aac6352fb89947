//! What a signed sign-off is bound to (issue 16), end to end through the
//! real binary on a site that requires signatures: every field fingerprint
//! v2 covers, and an embedded image, voids the approval when it changes;
//! the fields it leaves to editors (publish date, expiry, updated, slug) do
//! not. Signatures that do not prove the approval (another person's key, a
//! stranger's key, another article's statement, a truncated block, a key
//! rotated out of site.yaml) withhold the article with an error that names
//! the cause and the fix. Signatures are made with the TEST-ONLY keys under
//! tests/keys/.

mod common;

use std::fs;

use common::{key_path, output_text, test_key, Fixture, CALENDAR_YAML, SITE_YAML};

const AS_OF: &str = "2026-11-23";
const REVIEW_DATE: &str = "2026-11-20";

/// The fixture site with `review.require_signature: true`.
fn strict_site() -> Fixture {
    let yaml = SITE_YAML.replace(
        "review:\n  max_age_days: 730\n",
        "review:\n  max_age_days: 730\n  require_signature: true\n",
    );
    assert_ne!(yaml, SITE_YAML);
    Fixture::with_config(&yaml, CALENDAR_YAML)
}

/// An article in review, with every field v2 covers and an image of its own.
fn draft(slug: &str, reviewer: &str, specialty: &str) -> String {
    format!(
        "---\ntitle: 儿童发热的家庭护理\nslug: {slug}\ndate: 2026-10-01\nlang: zh-Hans\nsummary: 发热时怎样护理孩子。\n\
         audience: [parents]\nspecialty: [{specialty}]\nseason: [all-year]\nauthors: [editor-sun]\n\
         sources:\n  - 国家卫生健康委员会相关指南（2024）\nreview:\n  status: in-review\n  reviewer: {reviewer}\n---\n\
         ## 要点\n\n多喝水，注意休息。\n\n![体温记录示例：三天的体温曲线](img/{slug}.png \"体温记录\")\n"
    )
}

/// A small valid PNG; `shade` makes different bytes.
fn png(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 3, image::Rgb([shade, 120, 200]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// Writes `draft(slug)` and its image into `site`.
fn add_draft(site: &Fixture, slug: &str, reviewer: &str, specialty: &str) -> String {
    let file = format!("content/{slug}.md");
    site.write(&file, &draft(slug, reviewer, specialty));
    fs::create_dir_all(site.root().join("content/img")).unwrap();
    fs::write(site.root().join(format!("content/img/{slug}.png")), png(10)).unwrap();
    file
}

/// `healthpress approve FILES --reviewer R --date REVIEW_DATE --key tests/keys/R`.
fn approve_signed(site: &Fixture, files: &[String], reviewer: &str) {
    let key = key_path(reviewer);
    let mut args = vec!["approve"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--reviewer", reviewer, "--date", REVIEW_DATE, "--key", &key]);
    let out = site.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
}

fn published(site: &Fixture, slug: &str) -> bool {
    site.root()
        .join(format!("public/articles/{slug}/index.html"))
        .exists()
}

/// `check --format json`'s diagnostics for `file`: (severity, rule, message + hint).
fn findings(report: &serde_json::Value, file: &str) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or("").to_string(),
                d["rule"].as_str().unwrap_or("").to_string(),
                format!(
                    "{} hint: {}",
                    d["message"].as_str().unwrap_or(""),
                    d["hint"].as_str().unwrap_or("")
                ),
            )
        })
        .collect()
}

fn check_json(site: &Fixture) -> serde_json::Value {
    let out = site.run(&["check", "--as-of", AS_OF, "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", output_text(&out)))
}

/// A text edit to an approved article: (name, covered by v2, from, to).
const EDITS: &[(&str, bool, &str, &str)] = &[
    (
        "title",
        true,
        "title: 儿童发热的家庭护理\n",
        "title: 儿童发热的家庭护理要点\n",
    ),
    (
        "summary",
        true,
        "summary: 发热时怎样护理孩子。",
        "summary: 发热时怎样护理孩子和老人。",
    ),
    ("body", true, "多喝水，注意休息。", "多喝温水，注意休息。"),
    (
        "audience",
        true,
        "audience: [parents]",
        "audience: [parents, seniors]",
    ),
    (
        "specialty",
        true,
        "specialty: [pediatrics]",
        "specialty: [pediatrics, orthopedics]",
    ),
    ("season", true, "season: [all-year]", "season: [winter]"),
    ("sources", true, "相关指南（2024）", "相关指南（2019）"),
    ("lang", true, "lang: zh-Hans\n", "lang: en\n"),
    (
        "reviewer",
        true,
        "  reviewer: dr-li\n",
        "  reviewer: dr-wang\n",
    ),
    (
        "review-date",
        true,
        "  date: 2026-11-20\n",
        "  date: 2026-11-21\n",
    ),
    (
        "date",
        false,
        "\ndate: 2026-10-01\n",
        "\ndate: 2026-10-05\n",
    ),
    (
        "expires",
        false,
        "\ndate: 2026-10-01\n",
        "\ndate: 2026-10-01\nexpires: 2027-06-01\n",
    ),
    (
        "updated",
        false,
        "\ndate: 2026-10-01\n",
        "\ndate: 2026-10-01\nupdated: 2026-11-01\n",
    ),
    (
        "slug",
        false,
        "slug: edit-slug\n",
        "slug: edit-slug-moved\n",
    ),
];

#[test]
fn every_covered_field_and_the_image_void_the_sign_off_and_the_others_do_not() {
    let site = strict_site();
    let mut files = Vec::new();
    for name in EDITS.iter().map(|e| e.0).chain(["image", "untouched"]) {
        files.push(add_draft(
            &site,
            &format!("edit-{name}"),
            "dr-li",
            "pediatrics",
        ));
    }
    approve_signed(&site, &files, "dr-li");
    site.build(AS_OF);
    for file in &files {
        let slug = file.trim_start_matches("content/").trim_end_matches(".md");
        assert!(published(&site, slug), "{slug} is published once signed");
    }

    for &(name, _, from, to) in EDITS {
        let path = site.root().join(format!("content/edit-{name}.md"));
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches(from).count(),
            1,
            "{name}: `{from}` once in\n{text}"
        );
        fs::write(&path, text.replace(from, to)).unwrap();
    }
    // The image file changes, not the article's text.
    fs::write(site.root().join("content/img/edit-image.png"), png(11)).unwrap();

    let out = site.build(AS_OF);
    let report = check_json(&site);
    let mut cases: Vec<(&str, bool)> = EDITS.iter().map(|e| (e.0, e.1)).collect();
    cases.extend([("image", true), ("untouched", false)]);
    for (name, covered) in cases {
        let slug = match name {
            "slug" => "edit-slug-moved".to_string(),
            _ => format!("edit-{name}"),
        };
        let file = format!("content/edit-{name}.md");
        let found = findings(&report, &file);
        let errors: Vec<_> = found.iter().filter(|f| f.0 == "error").collect();
        if covered {
            assert!(
                !published(&site, &slug),
                "{name}: a covered change voids the sign-off"
            );
            assert!(
                errors.iter().any(|f| f.1 == "stale-approval"
                    && f.2.contains("changed after it was approved")
                    && f.2.contains("healthpress approve")),
                "{name}: {found:?}"
            );
            let approval = site.run(&["approval", &file]);
            assert_eq!(approval.status.code(), Some(1), "{name}");
            assert!(
                output_text(&approval).contains("NOT approved"),
                "{name}: {}",
                output_text(&approval)
            );
        } else {
            assert!(
                published(&site, &slug),
                "{name}: editors may change it without a review"
            );
            assert!(errors.is_empty(), "{name}: {found:?}");
            let approval = site.run(&["approval", &file]);
            assert_eq!(
                approval.status.code(),
                Some(0),
                "{name}: {}",
                output_text(&approval)
            );
        }
    }
    // Eleven covered edits (ten fields and the image) are stale approvals.
    assert!(
        output_text(&out).contains("11 stale approvals, 0 unsigned, 0 bad signatures"),
        "{}",
        output_text(&out)
    );
    // Nothing of a voided article leaks into the public site.
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains("edit-title") && sitemap.contains("edit-untouched"),
        "{sitemap}"
    );
}

/// `text` with its `review.signature` block replaced by `armored`.
fn with_signature(text: &str, armored: &str) -> String {
    let start =
        text.find("  signature: |\n").expect("a signature block") + "  signature: |\n".len();
    let end = start + text[start..].find("\n---\n").unwrap() + 1;
    let block: String = armored.lines().map(|l| format!("    {l}\n")).collect();
    format!("{}{block}{}", &text[..start], &text[end..])
}

/// The recorded signature block of `text`, unindented.
fn signature_of(text: &str) -> String {
    let start = text.find("  signature: |\n").unwrap() + "  signature: |\n".len();
    let end = start + text[start..].find("\n---\n").unwrap() + 1;
    text[start..end]
        .lines()
        .map(|l| format!("{}\n", l.trim()))
        .collect()
}

/// An SSHSIG over `statement` by the TEST-ONLY key `name`.
fn sign_with(name: &str, statement: &str) -> String {
    let key = ssh_key::PrivateKey::from_openssh(test_key(name).trim()).unwrap();
    key.sign(
        "healthpress",
        ssh_key::HashAlg::Sha512,
        statement.as_bytes(),
    )
    .unwrap()
    .to_pem(ssh_key::LineEnding::LF)
    .unwrap()
}

#[test]
fn signatures_that_do_not_prove_the_approval_withhold_the_article_and_say_why() {
    let site = strict_site();
    let pediatric = [
        "good",
        "other-person",
        "stranger",
        "other-statement",
        "truncated",
    ];
    let files: Vec<String> = pediatric
        .iter()
        .map(|n| add_draft(&site, &format!("sig-{n}"), "dr-li", "pediatrics"))
        .collect();
    approve_signed(&site, &files, "dr-li");
    let rotated = add_draft(&site, "sig-rotated", "dr-wang", "cardiology");
    approve_signed(&site, std::slice::from_ref(&rotated), "dr-wang");
    site.build(AS_OF);
    assert!(published(&site, "sig-rotated") && published(&site, "sig-truncated"));

    let read = |name: &str| {
        fs::read_to_string(site.root().join(format!("content/sig-{name}.md"))).unwrap()
    };
    let write = |name: &str, text: String| {
        fs::write(site.root().join(format!("content/sig-{name}.md")), text).unwrap()
    };
    let statement = |name: &str| {
        let out = site.run(&["approval", &format!("content/sig-{name}.md"), "--statement"]);
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // dr-wang's new key (listed, but for another person) signs dr-li's approval.
    write(
        "other-person",
        with_signature(
            &read("other-person"),
            &sign_with("dr-zhang", &statement("other-person")),
        ),
    );
    // A key listed for nobody.
    write(
        "stranger",
        with_signature(
            &read("stranger"),
            &sign_with("dr-other", &statement("stranger")),
        ),
    );
    // A valid signature by the right key, copied from another article.
    write(
        "other-statement",
        with_signature(&read("other-statement"), &signature_of(&read("good"))),
    );
    // Cut in half.
    let sig = signature_of(&read("truncated"));
    let lines: Vec<&str> = sig.lines().collect();
    let half = format!(
        "{}\n{}\n",
        lines[..lines.len() / 2].join("\n"),
        lines[lines.len() - 1]
    );
    write("truncated", with_signature(&read("truncated"), &half));
    // dr-wang rotates to a new key; the one that signed is no longer listed.
    let new_key = test_key("dr-zhang.pub");
    let yaml = site
        .read("site.yaml")
        .replace(test_key("dr-wang.pub").trim(), new_key.trim());
    site.write("site.yaml", &yaml);

    let out = site.build(AS_OF);
    assert!(
        output_text(&out).contains("0 stale approvals, 0 unsigned, 5 bad signatures"),
        "{}",
        output_text(&out)
    );
    assert!(published(&site, "sig-good"));
    let report = check_json(&site);
    let cases = [
        (
            "other-person",
            "a key of `dr-wang`, not of the reviewer `dr-li`",
        ),
        (
            "stranger",
            "not (or no longer) among `dr-li`'s signing_keys",
        ),
        ("other-statement", "not over this approval's statement"),
        ("truncated", "damaged or truncated"),
        ("rotated", "removed or rotated key"),
    ];
    for (name, cause) in cases {
        assert!(
            !published(&site, &format!("sig-{name}")),
            "{name} is withheld"
        );
        let found = findings(&report, &format!("content/sig-{name}.md"));
        assert!(
            found.iter().any(|f| f.0 == "error"
                && f.1 == "bad-signature"
                && f.2.contains(cause)
                && f.2.contains("healthpress approve")
                && f.2.contains("--key")),
            "{name}: {found:?}"
        );
        let approval = site.run(&["approval", &format!("content/sig-{name}.md")]);
        assert_eq!(approval.status.code(), Some(1), "{name}");
        assert!(
            output_text(&approval).contains(cause),
            "{name}: {}",
            output_text(&approval)
        );
    }
    // Leaks: none of them is named anywhere in public/.
    for (path, bytes) in common::all_files_readable(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        for (name, _) in cases {
            assert!(
                !text.contains(&format!("sig-{name}")),
                "{path} names sig-{name}"
            );
        }
    }

    // Signing again with a listed key restores each one (rotated: the new key).
    let again = site.run(&[
        "approve",
        &rotated,
        "--reviewer",
        "dr-wang",
        "--date",
        REVIEW_DATE,
        "--key",
        &key_path("dr-zhang"),
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", output_text(&again));
    site.build(AS_OF);
    assert!(published(&site, "sig-rotated"));
}

#[test]
fn without_the_policy_an_unsigned_approval_works_but_check_warns() {
    let site = Fixture::new();
    let file = add_draft(&site, "plain", "dr-li", "pediatrics");
    let out = site.run(&[
        "approve",
        &file,
        "--reviewer",
        "dr-li",
        "--date",
        REVIEW_DATE,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    site.build(AS_OF);
    assert!(published(&site, "plain"));
    let found = findings(&check_json(&site), &file);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "warning" && f.1 == "unsigned-approval"),
        "{found:?}"
    );
    // With the policy on, the same approval is withheld, with the fix.
    let strict = site.read("site.yaml").replace(
        "review:\n  max_age_days: 730\n",
        "review:\n  max_age_days: 730\n  require_signature: true\n",
    );
    site.write("site.yaml", &strict);
    let out = site.build(AS_OF);
    assert!(
        output_text(&out).contains("1 unsigned"),
        "{}",
        output_text(&out)
    );
    assert!(!published(&site, "plain"));
    let found = findings(&check_json(&site), &file);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "error" && f.1 == "unsigned-approval" && f.2.contains("--key")),
        "{found:?}"
    );
}
