//! Shared fixture builder for integration tests: a small site in a temporary
//! folder, with articles whose approval fingerprints are computed the way
//! product.md defines them, and helpers to run the real binary against it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use healthpress::model::fingerprint::fingerprint;

pub const SITE_YAML: &str = r#"title: 测试医院健康科普
base_url: https://health.test.example
language: zh-Hans
timezone: Asia/Shanghai
publisher: { name: 测试医院, url: https://www.test.example }
disclaimer: 本站内容仅用于健康科普，不能代替医生的诊断。
paginate: 5
taxonomies:
  audience:
    parents: { name: 儿童家长, name_en: Parents }
    seniors: { name: 银发族, name_en: Older adults }
    office-workers: { name: 职场人群, name_en: Office workers }
  specialty:
    cardiology: { name: 心血管内科, name_en: Cardiology, schema: Cardiovascular }
    pediatrics: { name: 儿科, name_en: Pediatrics, schema: Pediatric }
    orthopedics: { name: 骨科, name_en: Orthopedics, schema: Musculoskeletal }
  season: [spring, summer, autumn, winter, all-year]
people:
  dr-wang: { name: 王明, title: 主任医师, specialty: cardiology, signing_keys: ["DR_WANG_KEY"] }
  dr-li: { name: 李静, title: 主任医师, specialty: pediatrics, signing_keys: ["DR_LI_KEY"] }
  editor-sun: { name: 孙悦, title: 健康传播编辑 }
review:
  max_age_days: 730
"#;

/// The path of a TEST-ONLY private key, for `approve --key`.
pub fn key_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/keys")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A file of tests/keys/ (TEST-ONLY keys, see tests/keys/README.md).
pub fn test_key(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/keys")
            .join(name),
    )
    .unwrap_or_default()
}

/// Signs `text`'s approval as `healthpress approve --key` would, with the
/// reviewer's TEST-ONLY key, when there is one (otherwise `text` stays an
/// unsigned v1 approval). Articles embedding local files keep v1 too: this
/// function cannot see the files.
fn signed(text: &str, reviewer: &str, date: &str) -> Option<String> {
    use healthpress::review::edit::{approve_text, fingerprint_for, Approval};
    let pem = test_key(reviewer);
    if pem.is_empty() {
        return None;
    }
    let article = healthpress::load::frontmatter::parse_article(
        "content/fixture.md".into(),
        "fixture.md".into(),
        text.to_string(),
        "zh-Hans",
    )
    .ok()?;
    if !healthpress::markdown::local_files(article.body(), Path::new("")).is_empty() {
        return None;
    }
    let date = healthpress::config::dates::parse_date(date)?;
    let fingerprint = fingerprint_for(&article, reviewer, date);
    let statement =
        healthpress::model::signoff::statement(reviewer, &date.to_string(), &fingerprint);
    let key = ssh_key::PrivateKey::from_openssh(pem.trim()).ok()?;
    let sig = key
        .sign(
            "healthpress",
            ssh_key::HashAlg::Sha512,
            statement.as_bytes(),
        )
        .ok()?
        .to_pem(ssh_key::LineEnding::LF)
        .ok()?;
    let approval = Approval {
        reviewer,
        date,
        signature: Some(sig),
    };
    approve_text(&article, &approval).ok().map(|a| a.text)
}

pub const CALENDAR_YAML: &str = r#"seasons:
  spring: { from: 03-01, to: 05-31 }
  summer: { from: 06-01, to: 08-31 }
  autumn: { from: 09-01, to: 11-30 }
  winter: { from: 12-01, to: 02-28 }
observances:
  - { date: 11-14, name: 世界糖尿病日, name_en: World Diabetes Day, specialty: cardiology }
newsletters:
  - { segment: parents, name: 家长周刊, cadence: weekly, day: monday, audience: [parents], start: 2026-09-07 }
slots: []
"#;

/// One article to write into the fixture. `approved` decides whether a
/// matching approval block is written; `status` overrides the status.
#[derive(Debug, Clone)]
pub struct ArticleSpec {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub expires: Option<String>,
    pub audience: Vec<String>,
    pub specialty: Vec<String>,
    pub season: Vec<String>,
    pub status: String,
    pub reviewer: String,
    pub review_date: String,
    /// When true, the fingerprint written does not match the text.
    pub stale: bool,
    pub body: String,
    /// Extra front matter lines, e.g. `withdrawn: 2027-01-01`.
    pub extra: Vec<String>,
}

impl ArticleSpec {
    /// An approved, published-by-default (dated 2026-10-01) article.
    pub fn new(slug: &str, title: &str) -> ArticleSpec {
        ArticleSpec {
            slug: slug.into(),
            title: title.into(),
            summary: format!("{title}的摘要。"),
            date: "2026-10-01".into(),
            expires: None,
            audience: vec!["parents".into()],
            specialty: vec!["pediatrics".into()],
            season: vec!["all-year".into()],
            status: "approved".into(),
            reviewer: "dr-li".into(),
            review_date: "2026-09-25".into(),
            stale: false,
            body: format!("## 要点\n\n{title}的正文。多喝水，注意休息。\n"),
            extra: Vec::new(),
        }
    }

    pub fn date(mut self, d: &str) -> Self {
        self.date = d.into();
        self
    }
    pub fn expires(mut self, d: &str) -> Self {
        self.expires = Some(d.into());
        self
    }
    pub fn status(mut self, s: &str) -> Self {
        self.status = s.into();
        self
    }
    pub fn stale(mut self) -> Self {
        self.stale = true;
        self
    }
    pub fn body(mut self, b: &str) -> Self {
        self.body = b.into();
        self
    }
    pub fn summary(mut self, s: &str) -> Self {
        self.summary = s.into();
        self
    }
    pub fn audience(mut self, a: &[&str]) -> Self {
        self.audience = a.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn specialty(mut self, s: &[&str]) -> Self {
        self.specialty = s.iter().map(|s| s.to_string()).collect();
        self
    }
    /// Adds a front matter line (`key: value`).
    pub fn front(mut self, line: &str) -> Self {
        self.extra.push(line.into());
        self
    }
    pub fn season(mut self, s: &[&str]) -> Self {
        self.season = s.iter().map(|s| s.to_string()).collect();
        self
    }

    /// The file text: front matter and body.
    pub fn to_markdown(&self) -> String {
        let list = |v: &[String]| format!("[{}]", v.join(", "));
        let mut fm = String::from("---\n");
        fm += &format!("title: {}\n", self.title);
        fm += &format!("slug: {}\n", self.slug);
        fm += &format!("date: {}\n", self.date);
        if let Some(e) = &self.expires {
            fm += &format!("expires: {e}\n");
        }
        for line in &self.extra {
            fm += line;
            fm += "\n";
        }
        fm += &format!("summary: {}\n", self.summary);
        fm += &format!("audience: {}\n", list(&self.audience));
        fm += &format!("specialty: {}\n", list(&self.specialty));
        fm += &format!("season: {}\n", list(&self.season));
        fm += "authors: [editor-sun]\n";
        fm += "sources:\n  - 国家卫生健康委员会相关指南（2024）\n";
        fm += "review:\n";
        fm += &format!("  status: {}\n", self.status);
        if self.status == "approved" {
            let signed_body = if self.stale {
                format!("{}\n（审核前的旧版本）", self.body)
            } else {
                self.body.clone()
            };
            fm += &format!("  reviewer: {}\n", self.reviewer);
            fm += &format!("  date: {}\n", self.review_date);
            fm += &format!(
                "  fingerprint: {}\n",
                fingerprint(&self.title, &self.summary, &signed_body)
            );
        }
        fm += "---\n";
        if self.status == "approved" {
            // Signed over the text the reviewer saw (the old body if stale).
            let seen = if self.stale {
                format!("{fm}{}\n（审核前的旧版本）", self.body)
            } else {
                format!("{fm}{}", self.body)
            };
            if let Some(text) = signed(&seen, &self.reviewer, &self.review_date) {
                let head = &text[..text.len() - (seen.len() - fm.len())];
                return format!("{head}{}", self.body);
            }
        }
        fm + &self.body
    }
}

/// A site in a temporary folder, removed when dropped.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty site with the default site.yaml and calendar.yaml.
    pub fn new() -> Fixture {
        Fixture::with_config(SITE_YAML, CALENDAR_YAML)
    }

    /// A site with this site.yaml (its `DR_WANG_KEY` / `DR_LI_KEY` stand-ins
    /// replaced by the TEST-ONLY public keys) and calendar.yaml.
    pub fn with_config(site_yaml: &str, calendar_yaml: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let site_yaml = site_yaml
            .replace("DR_WANG_KEY", test_key("dr-wang.pub").trim())
            .replace("DR_LI_KEY", test_key("dr-li.pub").trim());
        fs::write(dir.path().join("site.yaml"), site_yaml).unwrap();
        fs::write(dir.path().join("calendar.yaml"), calendar_yaml).unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        Fixture { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` at `rel` under the site root, creating folders.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// Writes an article at `content/<slug>.md`.
    pub fn article(&self, spec: &ArticleSpec) -> PathBuf {
        self.write(&format!("content/{}.md", spec.slug), &spec.to_markdown())
    }

    /// Runs the healthpress binary with `args` in the site root.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run healthpress")
    }

    /// `healthpress build --as-of DATE`; panics with the output if it fails.
    pub fn build(&self, as_of: &str) -> Output {
        let out = self.run(&["build", "--as-of", as_of]);
        assert!(
            out.status.success(),
            "build failed:\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.root().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

/// Every file under `dir`, as (relative path, bytes), sorted by path.
pub fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `all_files`, with gzip files (the search index: Pagefind's fragments,
/// index chunks, filters and metadata) decompressed, so a leak test reads
/// what a browser reads.
pub fn all_files_readable(dir: &Path) -> Vec<(String, Vec<u8>)> {
    all_files(dir)
        .into_iter()
        .map(|(path, bytes)| {
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut plain = Vec::new();
                std::io::Read::read_to_end(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut plain,
                )
                .unwrap_or_else(|e| panic!("{path}: not gzip: {e}"));
                (path, plain)
            } else {
                (path, bytes)
            }
        })
        .collect()
}

/// Text of a stdout/stderr pair, for assertion messages.
pub fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
