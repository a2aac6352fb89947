//! Diagnostics: the one shape every validation, compliance and build problem
//! takes before it reaches the user. Loading and checking never stop at the
//! first problem; they collect `Diagnostic`s so an editor sees every issue in
//! one run, each pointing at a file, line and column with a hint on what to do.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in the site's sources.
///
/// `file` is relative to the site root (e.g. `content/kids/fever.md`) so the
/// same text works in a terminal, in JSON and in GitHub annotations.
/// `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable rule id, e.g. `unknown-term`, `stale-approval`, `cure-guarantee`.
    pub rule: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: &str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule: rule.to_string(),
            file: file.as_ref().to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(rule: &str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error[rule]: message (hint: ...)`, the compact form used
    /// by `build`; `check` renders a richer rustc-like form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}[{}]: {}", self.severity, self.rule, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, position and rule so output is deterministic
/// whatever order parallel loading produced them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.rule, &b.message))
    });
}

/// Sorts `diagnostics` and keeps one of each run of identical ones (same
/// file, position, rule and message), saying how often it occurred: a
/// template error hits every page rendered with that template, and one
/// report with a count is what a theme author needs, not one per article.
pub fn sort_and_collapse(diagnostics: &mut Vec<Diagnostic>) {
    sort(diagnostics);
    let mut out: Vec<(Diagnostic, usize)> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        match out.last_mut() {
            Some((last, n)) if *last == d => *n += 1,
            _ => out.push((d, 1)),
        }
    }
    diagnostics.extend(out.into_iter().map(|(mut d, n)| {
        if n > 1 {
            let what = if d.rule == "template" {
                "pages"
            } else {
                "times"
            };
            d.message = format!("{} (on {n} {what})", d.message);
        }
        d
    }));
}

/// Line and column (1-based, column counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\n冬季b\nc";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        // byte offset of 'b' is 2 + 6
        assert_eq!(line_col(text, 8), (2, 3));
    }

    #[test]
    fn display_names_file_line_and_rule() {
        let d = Diagnostic::error("unknown-term", "content/a.md", "unknown audience `kids`")
            .at(4, 12)
            .hint("use one of: parents, seniors");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:12: error[unknown-term]: unknown audience `kids`\n  hint: use one of: parents, seniors"
        );
    }
}
