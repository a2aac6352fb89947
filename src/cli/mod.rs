//! Command-line interface: one subcommand per file. This is the only layer
//! that prints, chooses exit codes, and adds `anyhow` context to errors.
//!
//! Exit codes: 0 success (warnings allowed), 1 the site has errors,
//! 2 usage or environment errors (bad arguments, unreadable folders).

mod build;
mod digest;
mod init;

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
    /// Write a starter site into DIR.
    Init { dir: PathBuf },
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
