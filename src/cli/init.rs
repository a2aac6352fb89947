//! `healthpress init DIR`: writes a starter site (site.yaml, calendar.yaml,
//! one reviewed article, and a copy of the built-in theme to customise).
//! It never overwrites: an existing site.yaml or content/ stops it.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context};

use crate::model::fingerprint::fingerprint;
use crate::render::theme::DEFAULT_THEME;

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

pub fn run(dir: &Path) -> anyhow::Result<i32> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        bail!(
            "{} already holds a site (site.yaml or content/); init never overwrites",
            dir.display()
        );
    }
    let write = |rel: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    };
    write("site.yaml", SITE_YAML.as_bytes())?;
    write("calendar.yaml", CALENDAR_YAML.as_bytes())?;
    let today = chrono::Utc::now().date_naive();
    let article = format!(
        "---\ntitle: {TITLE}\nslug: winter-heart-care\ndate: {today}\nsummary: {SUMMARY}\naudience: [seniors]\nspecialty: [cardiology]\nseason: [winter]\nauthors: [editor-sun]\nsources:\n  - 中国高血压防治指南（2024年修订版）\nreview:\n  status: approved\n  reviewer: dr-wang\n  date: {today}\n  fingerprint: {}\n---\n{BODY}",
        fingerprint(TITLE, SUMMARY, BODY)
    );
    write("content/seniors/winter-heart-care.md", article.as_bytes())?;
    write("static/.keep", b"")?;
    for (rel, bytes) in DEFAULT_THEME {
        write(&format!("themes/default/{rel}"), bytes)?;
    }
    println!(
        "healthpress: wrote a starter site to {}; run `healthpress --root {} build`",
        dir.display(),
        dir.display()
    );
    Ok(0)
}
