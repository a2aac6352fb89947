//! Command-line interface: one subcommand per file. This is the only layer
//! that prints, chooses exit codes, and adds `anyhow` context to errors.
//!
//! Exit codes: 0 success (warnings allowed), 1 the site has errors,
//! 2 usage or environment errors (bad arguments, unreadable folders).

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
    Build {
        /// Decide what is published as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
        /// Output folder for the public site (default: public/ in the site root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Output folder for the editorial views (default: editorial/ in the site root).
        #[arg(long)]
        editorial_out: Option<PathBuf>,
    },
    /// Print the coming weeks of the editorial schedule with states, gaps and risks.
    Schedule {
        /// How many weeks to show, starting today.
        #[arg(long, default_value_t = 4)]
        weeks: u32,
        /// Compute states as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Write a starter site into DIR.
    Init { dir: PathBuf },
    /// Check everything the build validates plus compliance and review rules (for pull requests).
    Check {
        /// Output format: rustc-like text, JSON, or GitHub Actions annotations.
        #[arg(long, value_enum, default_value = "text")]
        format: check::Format,
        /// Judge publishing and review dates as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
        /// List the compliance rules in force and exit.
        #[arg(long)]
        list_rules: bool,
    },
    /// Record a reviewer's sign-off (status, reviewer, date, fingerprint) in each FILE.
    Approve {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Person id from site.yaml people; must have a clinical title.
        #[arg(long)]
        reviewer: String,
        /// Review date (YYYY-MM-DD); default today in the site's time zone.
        #[arg(long, value_parser = parse_as_of)]
        date: Option<chrono::NaiveDate>,
    },
    /// Scaffold a draft article with valid front matter.
    New(new::NewArticle),
    /// Render one newsletter issue to stdout or --out (see docs/digests.md).
    Digest {
        /// Newsletter segment id from calendar.yaml.
        #[arg(long)]
        segment: String,
        /// Issue date (YYYY-MM-DD), one of the segment's issue dates.
        #[arg(long, value_parser = parse_as_of)]
        date: chrono::NaiveDate,
        /// Also include approved articles scheduled after today.
        #[arg(long)]
        preview: bool,
        /// Which part of the issue to print.
        #[arg(long, value_enum, default_value = "email")]
        format: digest::Format,
        /// Write to this file (never inside public/) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Decide what is published as of this date instead of today.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Preview the site on 127.0.0.1 with live reload (builds into .healthpress-serve/).
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes previews to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also preview drafts, scheduled and in-review articles, with a "not published" banner.
        #[arg(long)]
        drafts: bool,
        /// Decide what is published as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
        /// Quiet time after a change before rebuilding, in milliseconds.
        #[arg(long, default_value_t = 20, hide = true)]
        debounce_ms: u64,
    },
}

pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            as_of,
            out,
            editorial_out,
        } => build::run(&cli.root, as_of, out, editorial_out),
        Command::Init { dir } => init::run(&dir),
        Command::Check {
            format,
            as_of,
            list_rules,
        } => check::run(&cli.root, format, as_of, list_rules),
        Command::Approve {
            files,
            reviewer,
            date,
        } => approve::run(&cli.root, &files, &reviewer, date),
        Command::New(article) => new::run(&cli.root, &article),
        Command::Digest {
            segment,
            date,
            preview,
            format,
            out,
            as_of,
        } => digest::run(
            &cli.root,
            digest::Args {
                segment,
                date,
                preview,
                format,
                out,
                as_of,
            },
        ),
        Command::Schedule { weeks, as_of } => schedule::run(&cli.root, as_of, weeks),
        Command::Serve {
            port,
            bind,
            drafts,
            as_of,
            debounce_ms,
        } => serve::run_cli(&cli.root, port, bind, drafts, as_of, debounce_ms),
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
