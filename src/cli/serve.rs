//! `healthpress serve`: live preview with incremental rebuilds (see
//! `crate::serve` and docs/serve.md).

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::serve::{run, ServeOptions};

pub fn run_cli(
    root: &Path,
    port: u16,
    bind: IpAddr,
    drafts: bool,
    as_of: Option<chrono::NaiveDate>,
    debounce_ms: u64,
) -> anyhow::Result<i32> {
    let options = ServeOptions {
        root: root.to_path_buf(),
        bind,
        port,
        drafts,
        as_of,
        debounce: Duration::from_millis(debounce_ms.max(1)),
    };
    run(&options).context("serve stopped")?;
    Ok(0)
}
