//! `healthpress serve`: live preview with incremental rebuilds (see
//! `crate::serve` and docs/serve.md).

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::serve::{run, Message, ServeOptions};

/// `healthpress serve`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes previews to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Also preview drafts, scheduled and in-review articles, with a "not published" banner.
    #[arg(long)]
    pub drafts: bool,
    /// Decide what is published as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Quiet time after a change before rebuilding, in milliseconds.
    #[arg(long, default_value_t = 20, hide = true)]
    pub debounce_ms: u64,
}

pub fn run_cli(root: &Path, args: &Args) -> anyhow::Result<i32> {
    let options = ServeOptions {
        root: root.to_path_buf(),
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        as_of: args.as_of,
        debounce: Duration::from_millis(args.debounce_ms.max(1)),
    };
    run(&options, print).context("serve stopped")?;
    Ok(0)
}

/// Prints what `serve` reports: the address on stdout, everything else on
/// stderr.
fn print(message: Message) {
    match message {
        Message::Serving {
            url,
            folder,
            drafts,
        } => println!(
            "healthpress: serving {} at {url} (press Ctrl-C to stop){}",
            folder.display(),
            if drafts {
                "; drafts and scheduled articles are shown"
            } else {
                ""
            }
        ),
        Message::Exposed(bind) => eprintln!(
            "healthpress: warning: listening on {bind} makes unpublished previews reachable from other machines"
        ),
        Message::Rebuilt { warnings, summary } => {
            super::shared::print_diagnostics(&warnings);
            eprintln!("{summary}");
        }
        Message::Failed(text) => eprintln!("{text}"),
        Message::WatchError(e) => eprintln!("healthpress: file watcher error: {e}"),
    }
}
