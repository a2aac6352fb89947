//! Command-line interface: one subcommand per file. This is the only layer
//! that prints, chooses exit codes, and adds `anyhow` context to errors.
//!
//! Exit codes: 0 success (warnings allowed), 1 the site has errors,
//! 2 usage or environment errors (bad arguments, unreadable folders).

mod approval;
mod approve;
mod build;
mod check;
mod digest;
mod init;
mod new;
mod schedule;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::dates::parse_date;

#[derive(Debug, Parser)]
#[command(
    name = "healthpress",
    version,
    about = "Static site generator for hospital health-education content"
)]
pub struct Cli {
    /// Site root (the folder with site.yaml).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build public/ (the website) and editorial/ (schedule, review dashboard).
    Build(build::Args),
    /// Print the coming weeks of the editorial schedule with states, gaps and risks.
    Schedule(schedule::Args),
    /// Write a starter site into DIR.
    Init { dir: PathBuf },
    /// Check everything the build validates plus compliance and review rules (for pull requests).
    Check(check::Args),
    /// Record a reviewer's sign-off (status, reviewer, date, fingerprint) in each FILE.
    Approve(approve::Args),
    /// Show an article's sign-off, or print its signed statement, its signature or the site's allowed_signers for `ssh-keygen -Y verify`.
    Approval(approval::Args),
    /// Scaffold a draft article with valid front matter.
    New(new::NewArticle),
    /// Render one newsletter issue to stdout or --out (see docs/digests.md).
    Digest(digest::Args),
    /// Preview the site on 127.0.0.1 with live reload (builds into .healthpress-serve/).
    Serve(serve::Args),
}

pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build::run(&cli.root, &args),
        Command::Init { dir } => init::run(&dir),
        Command::Check(args) => check::run(&cli.root, &args),
        Command::Approve(args) => approve::run(&cli.root, &args),
        Command::Approval(args) => approval::run(&cli.root, &args),
        Command::New(article) => new::run(&cli.root, &article),
        Command::Digest(args) => digest::run(&cli.root, &args),
        Command::Schedule(args) => schedule::run(&cli.root, &args),
        Command::Serve(args) => serve::run_cli(&cli.root, &args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            2
        }
    }
}

/// Prints diagnostics to stderr in the compact `file:line:col: ...` form.
pub fn print_diagnostics(diagnostics: &[crate::diagnostics::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
