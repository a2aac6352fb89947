//! `healthpress init DIR`: writes a starter site that passes `check` and
//! `build` at once: site.yaml, calendar.yaml, one reviewed article, a
//! `.gitignore` (the outputs, of which editorial/ shows drafts, and the
//! caches) and a CI workflow (`docs/github-actions.yml`: check on pull
//! requests, a daily build that publishes scheduled articles). The built-in
//! theme is used from the binary, not copied, so theme fixes in later
//! versions reach the site; `--eject-theme` (or later `healthpress theme
//! eject`) copies it to customise. It never overwrites: an existing
//! site.yaml or content/ stops it, and eject keeps files already there.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::load::read_config;
use crate::model::today_in;
use crate::render::theme::DEFAULT_THEME;

/// `healthpress init`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Folder to create the site in (created if missing; must not hold a site).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Also copy the built-in theme into DIR/themes/default/ to customise it.
    #[arg(long)]
    pub eject_theme: bool,
}

/// `healthpress theme eject`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct EjectArgs {
    /// Theme files to copy, as paths inside the theme (templates/article.html,
    /// i18n.yaml, static/style.css); default every file.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
}

/// The `.gitignore` of a new site: outputs (editorial/ may show drafts and
/// must not be committed to a public repository) and healthpress's caches.
pub const GITIGNORE: &str = "# healthpress output, rebuilt by `healthpress build`\n/public/\n# internal: the schedule and review dashboard may show drafts\n/editorial/\n# caches, staging trees and the preview of `healthpress serve`\n.healthpress-*/\n";

/// The CI workflow of a new site: the documented sample, so the two never drift.
pub const WORKFLOW: &str = include_str!("../../docs/github-actions.yml");

const SITE_YAML: &str = r#"title: 健康科普
base_url: https://health.example.org
language: zh-Hans
timezone: Asia/Shanghai
publisher: { name: 示例医院, url: https://www.example.org }
disclaimer: 本站内容仅用于健康科普，不能替代医生的面诊和治疗建议。如有不适请及时就医，紧急情况请拨打120。
taxonomies:
  audience:
    seniors: { name: 银发族, name_en: Older adults, min_age: 60 }
    parents: { name: 儿童家长, name_en: Parents of young children }
  specialty:
    cardiology: { name: 心血管内科, name_en: Cardiology, schema: Cardiovascular }
    pediatrics: { name: 儿科, name_en: Pediatrics, schema: Pediatric }
  season: [spring, summer, autumn, winter, all-year]
people:
  dr-wang: { name: 王明, title: 主任医师, specialty: cardiology }
  editor-sun: { name: 孙悦, title: 健康传播编辑 }
review:
  max_age_days: 730
"#;

const CALENDAR_YAML: &str = r#"seasons:
  spring: { from: 03-01, to: 05-31 }
  summer: { from: 06-01, to: 08-31 }
  autumn: { from: 09-01, to: 11-30 }
  winter: { from: 12-01, to: 02-28 }
observances:
  - { date: 09-29, name: 世界心脏日, name_en: World Heart Day, specialty: cardiology }
newsletters:
  - { segment: seniors, name: 银发健康周刊, cadence: weekly, day: monday, audience: [seniors] }
slots: []
"#;

const TITLE: &str = "冬季如何保护心血管";
const SUMMARY: &str = "天冷时血管收缩、血压波动，做好保暖和规律服药能减少心脑血管意外。";
const BODY: &str = "\n## 为什么冬季要格外注意\n\n气温下降时血管收缩，血压容易升高。\n\n## 日常怎么做\n\n- 出门注意头颈部保暖\n- 按医嘱规律服药，不要自行停药\n- 出现胸痛、胸闷持续不缓解时，立即拨打120\n";

pub fn run(args: &Args) -> anyhow::Result<i32> {
    let dir = &args.dir;
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        bail!(
            "{} already holds a site (site.yaml or content/); init never overwrites",
            dir.display()
        );
    }
    for rel in [".gitignore", ".github/workflows/healthpress.yml"] {
        if dir.join(rel).exists() {
            bail!(
                "{} already has {rel}; init never overwrites: move it away or merge it by hand after init into an empty folder",
                dir.display()
            );
        }
    }
    let config: crate::config::SiteConfig =
        serde_yaml::from_str(SITE_YAML).context("the starter site.yaml")?;
    // Dated and reviewed today in the site's own time zone, so it is
    // published at once and its review date is not in the future.
    let today = today_in(&config, None);
    // Its permanent short link /s/<id>/ (docs/posters.md), as `new` writes.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let id = crate::model::shortlink::generate_id(&format!("{} {nanos}", dir.display()), |_| false);
    let article = |fingerprint: &str| {
        format!(
            "---\ntitle: {TITLE}\nslug: winter-heart-care\nid: {id}\ndate: {today}\nsummary: {SUMMARY}\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\nauthors: [editor-sun]\nsources:\n  - 中国高血压防治指南（2024年修订版）\nreview:\n  status: approved\n  reviewer: dr-wang\n  date: {today}\n  fingerprint: {fingerprint}\n---\n{BODY}"
        )
    };
    // A v2 fingerprint, as `approve` writes (unsigned: a new site has no
    // signing keys yet, and `check` says how to add them).
    let parsed = crate::load::frontmatter::parse_article(
        "content/seniors/winter-heart-care.md".into(),
        "seniors/winter-heart-care.md".into(),
        article("sha256v2:0"),
        &config.language,
    )
    .map_err(|_| anyhow::anyhow!("the starter article does not parse"))?;
    let article = article(&parsed.fingerprint_v2());
    let files: [(&str, &[u8]); 6] = [
        ("site.yaml", SITE_YAML.as_bytes()),
        ("calendar.yaml", CALENDAR_YAML.as_bytes()),
        ("content/seniors/winter-heart-care.md", article.as_bytes()),
        ("static/.keep", b""),
        (".gitignore", GITIGNORE.as_bytes()),
        (".github/workflows/healthpress.yml", WORKFLOW.as_bytes()),
    ];
    for (rel, bytes) in files {
        write_new(dir, rel, bytes)?;
    }
    if args.eject_theme {
        copy_theme(dir, "default", &[])?;
    }
    println!("healthpress: wrote a starter site to {}", dir.display());
    println!(
        "next: cd {} && healthpress check && healthpress build; commit it with .github/workflows/healthpress.yml (check on pull requests, a daily build; set the repository variable HEALTHPRESS_GIT to the healthpress git URL it installs from)",
        dir.display()
    );
    if !args.eject_theme {
        println!(
            "the built-in theme is used as is; `healthpress theme eject` copies it to customise"
        );
    }
    Ok(0)
}

/// `healthpress theme eject [FILE...]`: copies built-in theme files into the
/// site's theme folder (`theme:` in site.yaml, default `themes/default/`).
pub fn eject(root: &Path, args: &EjectArgs) -> anyhow::Result<i32> {
    let config = match read_config(root) {
        Ok((config, _)) => config,
        Err(d) => return Ok(super::shared::config_unusable(&[d])),
    };
    let known: Vec<&str> = DEFAULT_THEME.iter().map(|(p, _)| *p).collect();
    for file in &args.files {
        if !known.contains(&file.as_str()) {
            eprintln!(
                "error: `{file}` is not a file of the built-in theme; theme files: {}",
                known.join(", ")
            );
            return Ok(super::shared::EXIT_CONFIG);
        }
    }
    copy_theme(root, config.theme_name(), &args.files)?;
    Ok(0)
}

/// Copies the built-in theme's files (all, or `only`) to
/// `root/themes/<name>/`, keeping any file already there; prints what it did.
fn copy_theme(root: &Path, name: &str, only: &[String]) -> anyhow::Result<()> {
    let base = format!("themes/{name}");
    let (mut copied, mut kept) = (0, Vec::new());
    for (rel, bytes) in DEFAULT_THEME {
        if !only.is_empty() && !only.iter().any(|f| f == rel) {
            continue;
        }
        let target = format!("{base}/{rel}");
        if root.join(&target).exists() {
            kept.push(target);
            continue;
        }
        write_new(root, &target, bytes)?;
        copied += 1;
    }
    println!(
        "healthpress: copied {copied} theme file(s) to {}/{base}/; they now override the built-in theme file by file (docs/themes.md)",
        root.display()
    );
    for k in kept {
        println!("  kept {k}: it already exists");
    }
    Ok(())
}

/// Writes a file that does not exist yet, creating its folders.
fn write_new(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("creating {} (init never overwrites)", path.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("writing {}", path.display()))
}
