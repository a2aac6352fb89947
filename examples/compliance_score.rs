//! Scores the compliance lint on the development set in
//! `tests/compliance_devset/`: `sentences.tsv` (text, label, category, lang,
//! source) and `pages/*.txt` (whole clean pages, with `# source:` and
//! optional `# contact:` header lines). Prints recall on prohibited
//! sentences per category, language and tier, false-alarm rates per tier on
//! clean sentences, and the share of clean pages with any false error.
//!
//! ```sh
//! cargo run --example compliance_score            # the figures
//! cargo run --example compliance_score -- --misses  # plus every miss and false alarm
//! cargo run --example compliance_score -- --file sentences_fresh.tsv  # one file only
//! cargo run --example compliance_score -- --file heldout_batch3.tsv    # the held-back batch
//! ```
//! `tests/compliance_devset.rs` runs the same scoring and holds the targets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use healthpress::compliance::{ComplianceConfig, Linter};
use healthpress::diagnostics::Severity;

/// What the lint said about one text: its worst tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Nothing,
    Review,
    Error,
}

pub struct Row {
    pub text: String,
    pub prohibited: bool,
    pub category: String,
    pub lang: String,
    pub outcome: Outcome,
    pub found: Vec<String>,
}

pub struct Page {
    pub name: String,
    pub errors: Vec<String>,
    pub reviews: usize,
}

pub struct Report {
    pub rows: Vec<Row>,
    pub pages: Vec<Page>,
}

/// Rate of rows (by `keep`) whose outcome satisfies `hit`, as (hits, total).
pub fn rate(
    rows: &[Row],
    keep: impl Fn(&Row) -> bool,
    hit: impl Fn(Outcome) -> bool,
) -> (usize, usize) {
    let kept: Vec<&Row> = rows.iter().filter(|r| keep(r)).collect();
    (kept.iter().filter(|r| hit(r.outcome)).count(), kept.len())
}

fn outcome(linter: &Linter, text: &str) -> (Outcome, Vec<String>) {
    let scan = linter.scan(Path::new("content/devset.md"), text);
    let mut worst = Outcome::Nothing;
    let mut found = Vec::new();
    for d in &scan.diagnostics {
        let o = if d.severity == Severity::Error {
            Outcome::Error
        } else {
            Outcome::Review
        };
        worst = worst.max(o);
        found.push(format!(
            "{}[{}]: {}",
            d.rule,
            if o == Outcome::Error { "E" } else { "R" },
            d.message
        ));
    }
    (worst, found)
}

/// Scores every `sentences*.tsv` of `dir` and every page.
pub fn score(dir: &Path) -> Result<Report, String> {
    score_files(dir, &[])
}

/// As `score`, with only the sentence files named in `only` (all if empty).
pub fn score_files(dir: &Path, only: &[String]) -> Result<Report, String> {
    let linter = Linter::new(&ComplianceConfig::default(), &[])?;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tsv"))
        // By default the development files; `heldout_*.tsv` only on request,
        // so tuning to them is a deliberate act.
        .filter(|n| {
            if only.is_empty() {
                n.starts_with("sentences")
            } else {
                only.contains(n)
            }
        })
        .collect();
    names.sort();
    let mut rows = Vec::new();
    for name in &names {
        let tsv = std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string())?;
        for (n, line) in tsv.lines().enumerate().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [text, label, category, lang, _source] = cols[..] else {
                return Err(format!(
                    "{name}:{}: expected 5 tab-separated columns",
                    n + 1
                ));
            };
            let (o, found) = outcome(&linter, text);
            rows.push(Row {
                text: text.to_string(),
                prohibited: label == "prohibited",
                category: category.to_string(),
                lang: lang.to_string(),
                outcome: o,
                found,
            });
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("pages"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let contacts: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# contact:"))
            .map(|c| c.trim().to_string())
            .collect();
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with("# "))
            .collect::<Vec<_>>()
            .join("\n");
        let page_linter = Linter::new(&ComplianceConfig::default(), &contacts)?;
        let scan = page_linter.scan(Path::new("content/page.md"), &body);
        pages.push(Page {
            name: file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            errors: scan
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{}: {}", d.rule, d.message))
                .collect(),
            reviews: scan
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Error)
                .count(),
        });
    }
    Ok(Report { rows, pages })
}

fn pct((hits, total): (usize, usize)) -> String {
    if total == 0 {
        return "   -".into();
    }
    format!(
        "{:5.1}% ({hits}/{total})",
        100.0 * hits as f64 / total as f64
    )
}

#[allow(dead_code)]
fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compliance_devset");
    let args: Vec<String> = std::env::args().collect();
    let only: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--file")
        .map(|w| w[1].clone())
        .collect();
    let report = match score_files(&dir, &only) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("compliance_score: {e}");
            std::process::exit(2);
        }
    };
    let rows = &report.rows;
    let any = |o: Outcome| o != Outcome::Nothing;
    let err = |o: Outcome| o == Outcome::Error;
    let rev = |o: Outcome| o == Outcome::Review;
    println!("== Prohibited sentences: recall (errors + review notes), of which errors");
    let mut cats: BTreeMap<&str, ()> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.prohibited) {
        cats.insert(&r.category, ());
    }
    for cat in cats.keys() {
        let keep = |r: &Row| r.prohibited && r.category == *cat;
        println!(
            "  {cat:<16} any {}   error {}",
            pct(rate(rows, keep, any)),
            pct(rate(rows, keep, err))
        );
    }
    for lang in ["zh", "en"] {
        let keep = |r: &Row| r.prohibited && r.lang == lang;
        println!(
            "  lang {lang:<11} any {}   error {}",
            pct(rate(rows, keep, any)),
            pct(rate(rows, keep, err))
        );
    }
    let all = |r: &Row| r.prohibited;
    println!(
        "  ALL              any {}   error {}",
        pct(rate(rows, all, any)),
        pct(rate(rows, all, err))
    );
    println!("== Clean sentences: false alarms per tier (error / review note)");
    let mut cats: BTreeMap<&str, ()> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.prohibited) {
        cats.insert(&r.category, ());
    }
    for cat in cats.keys() {
        let keep = |r: &Row| !r.prohibited && r.category == *cat;
        println!(
            "  {cat:<16} error {}   review {}",
            pct(rate(rows, keep, err)),
            pct(rate(rows, keep, rev))
        );
    }
    for lang in ["zh", "en"] {
        let keep = |r: &Row| !r.prohibited && r.lang == lang;
        println!(
            "  lang {lang:<11} error {}   review {}",
            pct(rate(rows, keep, err)),
            pct(rate(rows, keep, rev))
        );
    }
    let clean = |r: &Row| !r.prohibited;
    println!(
        "  ALL              error {}   review {}",
        pct(rate(rows, clean, err)),
        pct(rate(rows, clean, rev))
    );
    let with_error = report.pages.iter().filter(|p| !p.errors.is_empty()).count();
    let with_review = report.pages.iter().filter(|p| p.reviews > 0).count();
    println!("== Clean pages: {} pages", report.pages.len());
    println!(
        "  with any false error  {}",
        pct((with_error, report.pages.len()))
    );
    println!(
        "  with any review note  {}",
        pct((with_review, report.pages.len()))
    );
    if std::env::args().any(|a| a == "--misses") {
        println!("== Misses (prohibited, nothing reported)");
        for r in rows
            .iter()
            .filter(|r| r.prohibited && r.outcome == Outcome::Nothing)
        {
            println!("  [{}/{}] {}", r.category, r.lang, r.text);
        }
        println!("== False alarms on clean sentences");
        for r in rows
            .iter()
            .filter(|r| !r.prohibited && r.outcome != Outcome::Nothing)
        {
            println!("  [{:?}] {}  <- {}", r.outcome, r.text, r.found.join("; "));
        }
        for p in report.pages.iter().filter(|p| !p.errors.is_empty()) {
            println!("  page {}: {}", p.name, p.errors.join("; "));
        }
    }
}
