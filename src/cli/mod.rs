//! Command-line interface: one subcommand per file. This is the only layer
//! that prints, chooses exit codes, and adds `anyhow` context to errors.
//!
//! Exit codes: 0 success (warnings allowed), 1 the site has errors,
//! 2 usage or environment errors (bad arguments, unreadable folders).

mod build;
mod init;
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
    /// Write a starter site into DIR.
    Init { dir: PathBuf },
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
