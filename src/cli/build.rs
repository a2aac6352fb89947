//! `healthpress build`: builds the site and prints a short summary.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::build::{build, BuildError, BuildOptions};
use crate::model::State;

pub fn run(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    out: Option<PathBuf>,
    editorial_out: Option<PathBuf>,
) -> anyhow::Result<i32> {
    let mut options = BuildOptions::new(root);
    options.as_of = as_of;
    if let Some(out) = out {
        options.public_dir = out;
    }
    if let Some(out) = editorial_out {
        options.editorial_dir = out;
    }
    match build(&options) {
        Ok(report) => {
            super::print_diagnostics(&report.warnings);
            let count = |s: State| {
                report
                    .counts
                    .iter()
                    .find(|(k, _)| *k == s)
                    .map_or(0, |(_, n)| *n)
            };
            println!(
                "healthpress: as of {}: {} published, {} scheduled, {} drafts, {} in review, {} changes requested, {} stale approvals, {} expired",
                report.today,
                count(State::Published),
                count(State::Scheduled),
                count(State::Draft),
                count(State::InReview),
                count(State::ChangesRequested),
                count(State::StaleApproval),
                count(State::Expired),
            );
            println!(
                "healthpress: wrote {} pages ({} files) to {} in {} ms{}",
                report.public.pages,
                report.public.files,
                options.public_dir.display(),
                report.elapsed.as_millis(),
                if report.warnings.is_empty() {
                    String::new()
                } else {
                    format!(", {} warning(s)", report.warnings.len())
                },
            );
            println!(
                "healthpress: wrote {} editorial pages ({} files) to {}; {} gap(s) and risk(s) in the schedule",
                report.editorial.pages,
                report.editorial.files,
                options.editorial_dir.display(),
                report.editorial.gaps,
            );
            Ok(0)
        }
        Err(BuildError::Invalid(diagnostics)) => {
            super::print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "healthpress: build failed with {errors} error(s); {} was left unchanged",
                options.public_dir.display()
            );
            Ok(1)
        }
        Err(BuildError::Output(e)) => {
            Err(e).context("writing the output failed; the previous output was left in place")
        }
    }
}
