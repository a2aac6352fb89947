//! Command-line interface: one subcommand per file. This is the only layer
//! that prints, chooses exit codes, and adds `anyhow` context to errors.
//!
//! Exit codes, the same for every subcommand (README, "Exit codes"):
//! 0 success (warnings allowed); 1 the site's content has errors (an
//! article, calendar.yaml, the theme) or a request was refused because of
//! them; 2 usage, configuration or environment errors: bad arguments, a
//! missing or wrong site.yaml, a refused output folder, unreadable folders,
//! a failed write.

mod approval;
mod approve;
mod build;
mod check;
mod digest;
mod init;
mod new;
mod progress;
mod schedule;
mod serve;
mod shared;
mod wechat;

pub use shared::{
    config_unusable, failure_code, parse_as_of, print_diagnostics, EXIT_CONFIG, EXIT_ERRORS,
    EXIT_OK,
};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "healthpress",
    version,
    about = "Static site generator for hospital health-education content",
    after_help = "Exit codes: 0 success (warnings allowed), 1 the site's content has errors, \
2 usage, configuration (site.yaml) or environment errors. \
`healthpress help COMMAND` shows a command's options and examples."
)]
pub struct Cli {
    /// Site root (the folder with site.yaml) for every command but `init`;
    /// may also be given after the command.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--root`, accepted after every command that works on an existing site.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteRoot {
    /// Site root: the folder with site.yaml [default: .]
    #[arg(long = "root", value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build public/ (the website) and editorial/ (schedule, review dashboard).
    #[command(after_help = "Examples:
  healthpress build                        publish as of today in the site's time zone
  healthpress build --as-of 2026-12-07     what goes live next Monday
  healthpress build --out /srv/www/health  write the website elsewhere")]
    Build {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: build::Args,
    },
    /// Print the coming weeks of the editorial schedule with states, gaps and risks.
    #[command(after_help = "Examples:
  healthpress schedule                     the next four weeks
  healthpress schedule --weeks 8 --as-of 2026-12-01")]
    Schedule {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: schedule::Args,
    },
    /// Write a starter site into DIR (site.yaml, calendar.yaml, one reviewed
    /// article, .gitignore, a CI workflow); the built-in theme is used, not copied.
    #[command(after_help = "Examples:
  healthpress init my-site                 then: cd my-site && healthpress build
  healthpress init my-site --eject-theme   also copy the theme to customise it")]
    Init(init::Args),
    /// Check everything the build validates plus compliance and review rules (for pull requests).
    #[command(after_help = "Examples:
  healthpress check                        rustc-style report; exit 1 on any error
  healthpress check --format github        annotations for a GitHub pull request
  healthpress check --list-rules           the compliance rules in force")]
    Check {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: check::Args,
    },
    /// Record a reviewer's sign-off (status, reviewer, date, fingerprint) in each FILE.
    #[command(after_help = "Examples:
  healthpress approve content/seniors/fall-prevention.md --reviewer dr-wang --key ~/.ssh/id_ed25519
  healthpress approve content/a.md --reviewer dr-li --agent          sign with a key held by ssh-agent
  healthpress approve content/a.md content/b.md --reviewer dr-li --date 2026-11-30")]
    Approve {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: approve::Args,
    },
    /// Show an article's sign-off, or print its signed statement, its signature or the site's allowed_signers for `ssh-keygen -Y verify`.
    #[command(after_help = "Verify a sign-off with OpenSSH alone:
  healthpress approval --allowed-signers > allowed_signers
  healthpress approval content/a.md --statement > statement
  healthpress approval content/a.md --signature > a.sig
  ssh-keygen -Y verify -f allowed_signers -I REVIEWER -n healthpress -s a.sig < statement")]
    Approval {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: approval::Args,
    },
    /// Scaffold a draft article with valid front matter.
    #[command(after_help = "Examples:
  healthpress new --title 冬季防跌倒 --audience seniors --specialty orthopedics --season winter
  healthpress new --title \"Flu shots\" --audience parents --specialty pediatrics --season autumn,winter --slug flu-shots")]
    New {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: new::NewArticle,
    },
    /// Render one newsletter issue to stdout or --out (see docs/digests.md).
    #[command(after_help = "Examples:
  healthpress digest --segment parents --date 2026-11-23 > issue.html
  healthpress digest --segment seniors --date 2026-12-07 --preview --format text")]
    Digest {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: digest::Args,
    },
    /// Print one public article as a WeChat Official Account post (what
    /// the "复制到公众号" button copies), or write it to --out (see docs/wechat.md).
    #[command(after_help = "Examples:
  healthpress wechat content/winter-heart-health.md > post.html
  healthpress wechat winter-heart-health --out post.html")]
    Wechat {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: wechat::Args,
    },
    /// Preview the site on 127.0.0.1 with live reload (builds into .healthpress-serve/).
    #[command(after_help = "Examples:
  healthpress serve                        http://127.0.0.1:1111/
  healthpress serve --drafts --port 8080   also preview unpublished articles")]
    Serve {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: serve::Args,
    },
    /// Work with the site's theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in theme into themes/<name>/ to customise it; files
    /// already there are kept. Later theme fixes no longer reach copied files.
    #[command(after_help = "Examples:
  healthpress theme eject                  every file of the built-in theme
  healthpress theme eject templates/article.html i18n.yaml")]
    Eject {
        #[command(flatten)]
        site: SiteRoot,
        #[command(flatten)]
        args: init::EjectArgs,
    },
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    let global = cli.root;
    let root = |site: SiteRoot| -> PathBuf {
        site.root
            .or_else(|| global.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let result = match cli.command {
        Command::Build { site, args } => build::run(&root(site), &args),
        Command::Init(args) => init::run(&args),
        Command::Check { site, args } => check::run(&root(site), &args),
        Command::Approve { site, args } => approve::run(&root(site), &args),
        Command::Approval { site, args } => approval::run(&root(site), &args),
        Command::New { site, args } => new::run(&root(site), &args),
        Command::Digest { site, args } => digest::run(&root(site), &args),
        Command::Schedule { site, args } => schedule::run(&root(site), &args),
        Command::Wechat { site, args } => wechat::run(&root(site), &args),
        Command::Serve { site, args } => serve::run_cli(&root(site), &args),
        Command::Theme(ThemeCommand::Eject { site, args }) => init::eject(&root(site), &args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            EXIT_CONFIG
        }
    }
}
