//! `healthpress check`: runs every build validation, the compliance linter
//! and the review rules (see `review::check`) and prints the result as
//! rustc-style text, JSON, or GitHub Actions workflow annotations. Exit 0
//! when there are no errors (warnings allowed), 1 on any error, 2 when
//! site.yaml is missing or has errors (see `cli::failure_code`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::compliance::{Linter, Suppression};
use crate::diagnostics::{Diagnostic, Severity};
use crate::review::check::{check_site, CheckError, CheckOptions, CheckReport};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// `healthpress check`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Output format: rustc-like text, JSON, or GitHub Actions annotations.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Judge publishing and review dates as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Warn about links to articles that expire, are withdrawn or go live
    /// within this many days.
    #[arg(long, default_value_t = crate::review::check::DEFAULT_HORIZON_DAYS, value_name = "DAYS")]
    pub horizon: i64,
    /// List the compliance rules in force and exit.
    #[arg(long)]
    pub list_rules: bool,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    if args.list_rules {
        return Ok(print_rules(root));
    }
    let format = args.format;
    let options = CheckOptions {
        as_of: args.as_of,
        dry_render: true,
        horizon_days: args.horizon,
        links_as_public: false,
    };
    match check_site(root, &options) {
        Ok(report) => {
            print!("{}", render(root, format, &report));
            Ok(if report.errors() > 0 {
                super::shared::failure_code(&report.diagnostics)
            } else {
                super::shared::EXIT_OK
            })
        }
        Err(CheckError::Config(diagnostics)) => {
            let report = CheckReport {
                diagnostics,
                ..CheckReport::default()
            };
            print!("{}", render(root, format, &report));
            Ok(super::shared::EXIT_CONFIG)
        }
        Err(e @ CheckError::Rules(_)) => {
            let d = Diagnostic::error("compliance-config", "site.yaml", e.to_string())
                .hint("fix the `compliance:` section; `healthpress check --list-rules` lists the rule ids");
            let report = CheckReport {
                diagnostics: vec![d],
                ..CheckReport::default()
            };
            print!("{}", render(root, format, &report));
            Ok(super::shared::EXIT_CONFIG)
        }
    }
}

/// The whole output for one report, in `format`.
pub fn render(root: &Path, format: Format, report: &CheckReport) -> String {
    match format {
        Format::Text => render_text(root, report),
        Format::Json => render_json(report),
        Format::Github => render_github(report),
    }
}

fn summary(report: &CheckReport) -> String {
    let mut s = format!(
        "healthpress check: {} error(s), {} warning(s) in {} article(s)",
        report.errors(),
        report.warnings(),
        report.articles
    );
    if let Some(today) = report.today {
        let _ = write!(s, " as of {today}");
    }
    if !report.suppressions.is_empty() {
        let _ = write!(s, "; {} suppression(s)", report.suppressions.len());
    }
    s
}

/// Reads source files once each, to quote lines.
struct Sources<'a> {
    root: &'a Path,
    cache: HashMap<PathBuf, Option<Vec<String>>>,
}

impl Sources<'_> {
    fn line(&mut self, file: &Path, line: usize) -> Option<String> {
        let root = self.root;
        let lines = self.cache.entry(file.to_path_buf()).or_insert_with(|| {
            let path = root.join(file);
            // Quote only regular files inside the site, never a link's target.
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            regular
                .then(|| std::fs::read_to_string(&path))?
                .ok()
                .map(|t| {
                    t.lines()
                        .map(|l| l.trim_end_matches('\r').to_string())
                        .collect()
                })
        });
        lines.as_ref()?.get(line.checked_sub(1)?).cloned()
    }
}

/// Terminal width of text: CJK and full-width characters take two columns.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// The text a compliance message quotes (“…” at its end), if any.
fn quoted(message: &str) -> Option<&str> {
    let inner = message.strip_suffix('”')?;
    let start = inner.rfind('“')?;
    Some(&inner[start + '“'.len_utf8()..])
}

fn render_text(root: &Path, report: &CheckReport) -> String {
    let mut sources = Sources {
        root,
        cache: HashMap::new(),
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}[{}]: {}", d.severity, d.rule, d.message);
        let gutter = " ".repeat(d.line.max(1).to_string().len());
        let mut location = d.file.display().to_string();
        if d.line > 0 {
            let _ = write!(location, ":{}", d.line);
            if d.column > 0 {
                let _ = write!(location, ":{}", d.column);
            }
        }
        let _ = writeln!(out, "{gutter}--> {location}");
        if let Some(source) = (d.line > 0)
            .then(|| sources.line(&d.file, d.line))
            .flatten()
        {
            let shown = source.replace('\t', "    ");
            let col = d.column.max(1) - 1;
            let prefix: String = source
                .chars()
                .take(col)
                .collect::<String>()
                .replace('\t', "    ");
            let rest: String = source.chars().skip(col).collect();
            let marked = quoted(&d.message)
                .filter(|q| !q.is_empty() && rest.starts_with(q))
                .map_or(1, |q| width(q).max(1));
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{} | {shown}", d.line);
            let _ = writeln!(
                out,
                "{gutter} | {}{}",
                " ".repeat(width(&prefix)),
                "^".repeat(marked)
            );
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "{gutter} = hint: {hint}");
        }
        out.push('\n');
    }
    for s in &report.suppressions {
        let _ = writeln!(
            out,
            "note[suppressed]: {} at {}:{}: {}",
            s.rule,
            s.file.display(),
            s.line,
            s.reason
        );
    }
    if !report.suppressions.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

fn suppression_json(s: &Suppression) -> serde_json::Value {
    serde_json::json!({
        "file": s.file.display().to_string(),
        "line": s.line,
        "rule": s.rule,
        "reason": s.reason,
    })
}

fn render_json(report: &CheckReport) -> String {
    let value = serde_json::json!({
        "as_of": report.today.map(|d| d.to_string()),
        "articles": report.articles,
        "errors": report.errors(),
        "warnings": report.warnings(),
        "diagnostics": report.diagnostics,
        "suppressions": report.suppressions.iter().map(suppression_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Escapes the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn render_github(report: &CheckReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", escape_property(&d.file.display().to_string()));
        if d.line > 0 {
            let _ = write!(props, ",line={}", d.line);
            if d.column > 0 {
                let _ = write!(props, ",col={}", d.column);
            }
        }
        let _ = write!(
            props,
            ",title={}",
            escape_property(&format!("healthpress {}", d.rule))
        );
        let mut message = format!("[{}] {}", d.rule, d.message);
        if let Some(hint) = &d.hint {
            let _ = write!(message, "\nhint: {hint}");
        }
        let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message));
    }
    for s in &report.suppressions {
        let _ = writeln!(
            out,
            "::notice file={},line={},title={}::{}",
            escape_property(&s.file.display().to_string()),
            s.line,
            escape_property(&format!("healthpress suppressed {}", s.rule)),
            escape_data(&format!("{} suppressed: {}", s.rule, s.reason))
        );
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `check --list-rules`: the compliance rules in force for this site.
fn print_rules(root: &Path) -> i32 {
    // Outside a site (no site.yaml) the built-in rules are listed.
    let (config, contacts) = match crate::load::read_config(root) {
        Ok((config, _)) => (config.compliance, config.contact),
        Err(d) if d.rule == "missing-file" => Default::default(),
        Err(d) => {
            eprintln!("{d}");
            return 2;
        }
    };
    let linter = match Linter::new(&config, &contacts) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: site.yaml compliance: {e}");
            return 2;
        }
    };
    for rule in linter.rules() {
        let severity = rule.severity.to_string();
        println!(
            "{:<28} {severity:<8} {:<12} {}",
            rule.id, rule.category, rule.message
        );
    }
    for (id, severity, message) in crate::review::REVIEW_RULES {
        println!("{id:<28} {severity:<8} {:<12} {message}", "review");
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> CheckReport {
        CheckReport {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23),
            diagnostics: vec![Diagnostic::error(
                "cure-guarantee",
                "content/a.md",
                "保证治愈: “根治”",
            )
            .at(2, 3)
            .hint("改写")],
            suppressions: vec![Suppression {
                file: "content/a.md".into(),
                line: 5,
                rule: "absolute-terms".into(),
                reason: "引用指南原文, 见第3页".into(),
            }],
            articles: 1,
        }
    }

    #[test]
    fn text_quotes_the_line_and_underlines_the_match() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "x\n可以根治高血压\n").unwrap();
        let text = render_text(dir.path(), &report());
        let expected = "error[cure-guarantee]: 保证治愈: “根治”\n --> content/a.md:2:3\n  |\n2 | 可以根治高血压\n  |     ^^^^\n  = hint: 改写\n\n";
        assert!(text.starts_with(expected), "{text}");
        assert!(text
            .contains("note[suppressed]: absolute-terms at content/a.md:5: 引用指南原文, 见第3页"));
        assert!(text.ends_with(
            "1 error(s), 0 warning(s) in 1 article(s) as of 2026-11-23; 1 suppression(s)\n"
        ));
    }

    #[test]
    fn github_annotations_escape_properties_and_data() {
        let text = render_github(&report());
        assert!(text.starts_with("::error file=content/a.md,line=2,col=3,title=healthpress cure-guarantee::[cure-guarantee] 保证治愈: “根治”%0Ahint: 改写\n"), "{text}");
        assert!(text.contains("::notice file=content/a.md,line=5,title=healthpress suppressed absolute-terms::absolute-terms suppressed: 引用指南原文, 见第3页\n"));
    }

    #[test]
    fn json_has_counts_diagnostics_and_suppressions() {
        let value: serde_json::Value = serde_json::from_str(&render_json(&report())).unwrap();
        assert_eq!(value["errors"], 1);
        assert_eq!(value["diagnostics"][0]["rule"], "cure-guarantee");
        assert_eq!(value["diagnostics"][0]["line"], 2);
        assert_eq!(value["suppressions"][0]["reason"], "引用指南原文, 见第3页");
    }
}
