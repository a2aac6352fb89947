//! `healthpress wechat FILE|SLUG [--out FILE]`: one public article's
//! 公众号 post, exactly what the "复制到公众号" button of its page in
//! `editorial/wechat/` copies, as an HTML document whose `<body>` is that
//! post: for scripts, and to copy a post without opening a browser. Only a
//! published article has a post; `--out` is refused inside `public/` and
//! inside any folder `healthpress build` owns.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::render::index::Index;
use crate::render::theme::Theme;
use crate::render::wechat::article_document;

/// `healthpress wechat`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The article: the path of its Markdown file, or its slug.
    pub article: String,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Decide what is published as of this date instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<NaiveDate>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    if let Some(out) = &args.out {
        if super::digest::inside_public(root, out) {
            bail!(
                "refusing to write {} inside public/: public/ belongs to `healthpress build`; choose a path outside it",
                out.display()
            );
        }
        if let Some(marked) = crate::output::marked_ancestor(out) {
            bail!(
                "refusing to write {}: {} is an output folder of `healthpress build` (it carries the {} marker), which replaces it on every build; choose a path outside it",
                out.display(),
                marked.display(),
                crate::output::MARKER
            );
        }
    }
    let site = match crate::build::open_site(root, args.as_of) {
        Ok(site) => site,
        Err(diagnostics) => {
            super::shared::print_diagnostics(&diagnostics);
            return Ok(super::shared::failure_code(&diagnostics));
        }
    };
    let theme = match Theme::load(root, site.config.theme_name()) {
        Ok(theme) => theme,
        Err(diagnostics) => {
            super::shared::print_diagnostics(&diagnostics);
            return Ok(1);
        }
    };
    let index = Index::new(&site, &theme);
    let html = match article_document(&index, &args.article) {
        Ok(html) => html,
        Err(why) => {
            eprintln!("error: {why}");
            return Ok(1);
        }
    };
    match &args.out {
        Some(out) => {
            std::fs::write(out, html.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "healthpress: wrote the WeChat post of {} ({} bytes) to {}",
                args.article,
                html.len(),
                out.display()
            );
        }
        None => print!("{html}"),
    }
    Ok(0)
}
