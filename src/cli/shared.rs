//! What the subcommands share: exit codes, reading `--as-of`, printing
//! diagnostics. Its own module so the subcommands need not import the
//! dispatcher in `mod.rs`, which imports them.

use crate::config::dates::parse_date;

/// Success; warnings allowed.
pub const EXIT_OK: i32 = 0;
/// The site's content has errors (or a request was refused for them).
pub const EXIT_ERRORS: i32 = 1;
/// Usage, configuration (site.yaml) or environment errors.
pub const EXIT_CONFIG: i32 = 2;

pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// Exit code of the site-has-errors case: [`EXIT_CONFIG`] when any error is
/// in site.yaml (the whole site is misconfigured or not there: every command
/// agrees on this), else [`EXIT_ERRORS`].
pub fn failure_code(diagnostics: &[crate::diagnostics::Diagnostic]) -> i32 {
    let config = diagnostics
        .iter()
        .any(|d| d.is_error() && d.file == std::path::Path::new("site.yaml"));
    if config {
        EXIT_CONFIG
    } else {
        EXIT_ERRORS
    }
}

/// Prints the diagnostics of a site.yaml that cannot be used and returns
/// the exit code for it.
pub fn config_unusable(diagnostics: &[crate::diagnostics::Diagnostic]) -> i32 {
    print_diagnostics(diagnostics);
    eprintln!("error: the site configuration (site.yaml) is unusable");
    EXIT_CONFIG
}

/// Prints diagnostics to stderr in the compact `file:line:col: ...` form.
pub fn print_diagnostics(diagnostics: &[crate::diagnostics::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
