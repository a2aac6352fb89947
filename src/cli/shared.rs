//! What the subcommands share: reading `--as-of` and printing
//! diagnostics. Its own module so the subcommands need not import the
//! dispatcher in `mod.rs`, which imports them.

use crate::config::dates::parse_date;

/// Parses an `--as-of` argument.
pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// Prints diagnostics to stderr in the compact `file:line:col: ...` form.
pub fn print_diagnostics(diagnostics: &[crate::diagnostics::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
