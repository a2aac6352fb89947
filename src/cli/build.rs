//! `healthpress build`: builds the site and prints a short summary.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::build::{build, BuildError, BuildOptions};
use crate::model::State;

/// `healthpress build`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Decide what is published as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Output folder for the public site (default: public/ in the site root).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output folder for the editorial views (default: editorial/ in the site root).
    #[arg(long)]
    pub editorial_out: Option<PathBuf>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    let mut options = BuildOptions::new(root);
    options.as_of = args.as_of;
    if let Some(out) = &args.out {
        options.public_dir = out.clone();
    }
    if let Some(out) = &args.editorial_out {
        options.editorial_dir = out.clone();
    }
    match build(&options) {
        Ok(report) => {
            super::shared::print_diagnostics(&report.warnings);
            // Errors confined to one article: it is withheld, the site is built.
            super::shared::print_diagnostics(&report.withheld);
            let invalid = count_state(&report.counts, State::Invalid);
            if invalid > 0 {
                eprintln!(
                    "healthpress: {invalid} article(s) withheld because of the errors above; the rest of the site was built (run `healthpress check` before merging)"
                );
            }
            let count = |s: State| count_state(&report.counts, s);
            println!(
                "healthpress: as of {}: {} published, {} scheduled, {} drafts, {} in review, {} changes requested, {} stale approvals, {} unsigned, {} bad signatures, {} expired, {} withdrawn, {} withheld (compliance), {} withheld (errors)",
                report.today,
                count(State::Published),
                count(State::Scheduled),
                count(State::Draft),
                count(State::InReview),
                count(State::ChangesRequested),
                count(State::StaleApproval),
                count(State::Unsigned),
                count(State::BadSignature),
                count(State::Expired),
                count(State::Withdrawn),
                count(State::ComplianceWithheld),
                count(State::Invalid),
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
            // jieba's dictionary is loaded once, on the first Chinese claim
            // candidate; its cost is part of the build time above.
            if let Some(took) = crate::compliance::dictionary_load_time() {
                println!(
                    "healthpress: compliance: word segmentation dictionary loaded in {} ms",
                    took.as_millis()
                );
            }
            println!(
                "healthpress: wrote {} editorial pages ({} files) to {}; {} gap(s) and risk(s) in the schedule",
                report.editorial.pages,
                report.editorial.files,
                options.editorial_dir.display(),
                report.gaps,
            );
            Ok(0)
        }
        Err(BuildError::Invalid(diagnostics)) => {
            super::shared::print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "healthpress: build failed with {errors} error(s); {} and {} were left unchanged",
                options.public_dir.display(),
                options.editorial_dir.display()
            );
            Ok(super::shared::failure_code(&diagnostics))
        }
        Err(BuildError::Output(e)) => Err(e).context(format!(
            "nothing was changed: {} and {} were left as they were",
            options.public_dir.display(),
            options.editorial_dir.display()
        )),
        Err(BuildError::PartlyUpdated { error, updated }) => {
            let updated: Vec<String> = updated.iter().map(|p| p.display().to_string()).collect();
            Err(error).context(format!(
                "the output was only partly replaced: {} now hold(s) the new build, the other output its previous one; run the build again",
                updated.join(" and ")
            ))
        }
    }
}

/// How many articles are in state `state`.
fn count_state(counts: &[(State, usize)], state: State) -> usize {
    counts
        .iter()
        .find(|(k, _)| *k == state)
        .map_or(0, |(_, n)| *n)
}
