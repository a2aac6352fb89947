//! `healthpress digest`: renders one newsletter issue (e-mail HTML, plain
//! text or web view) to stdout or a file, e.g. to paste into a sending
//! platform or to check an issue before the build publishes it. With
//! `--preview` the issue may include approved articles scheduled for later,
//! so its output may never be written inside `public/` (which must never
//! hold unpublished content); the command refuses such an `--out` for any
//! issue, since `public/` belongs to `healthpress build`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;

use crate::output::absolute;
use crate::render::digest::{render_one, Part};
use crate::render::index::Index;
use crate::render::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// email.html: inline-CSS e-mail HTML.
    Email,
    /// email.txt: the plain-text part.
    Text,
    /// index.html: the web view.
    Web,
}

/// `healthpress digest`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Newsletter segment id from calendar.yaml.
    #[arg(long)]
    pub segment: String,
    /// Issue date (YYYY-MM-DD), one of the segment's issue dates.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub date: NaiveDate,
    /// Also include approved articles scheduled after today.
    #[arg(long)]
    pub preview: bool,
    /// Which part of the issue to print.
    #[arg(long, value_enum, default_value = "email")]
    pub format: Format,
    /// Write to this file (never inside public/) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Decide what is published as of this date instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<NaiveDate>,
}

/// Whether writing `out` would put a file inside the site's `public/`.
pub fn inside_public(root: &Path, out: &Path) -> bool {
    absolute(out).starts_with(absolute(&root.join("public")))
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    if let Some(out) = &args.out {
        if inside_public(root, out) {
            bail!(
                "refusing to write {} inside public/: public/ only ever holds published content written by `healthpress build`; choose a path outside it",
                out.display()
            );
        }
        if let Some(marked) = crate::output::marked_ancestor(out) {
            bail!(
                "refusing to write {}: {} is an output folder of `healthpress build` (it carries the {} marker), \
                 which replaces it on every build and may publish it; choose a path outside it",
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
    // Articles withheld by their own errors (or compliance errors) are left
    // out, as the build leaves them out; say why.
    super::shared::print_diagnostics(&site.withheld);
    let theme = match Theme::load(root, site.config.theme_name()) {
        Ok(theme) => theme,
        Err(diagnostics) => {
            super::shared::print_diagnostics(&diagnostics);
            return Ok(1);
        }
    };
    let index = Index::new(&site, &theme);
    let part = match args.format {
        Format::Email => Part::Email,
        Format::Text => Part::Text,
        Format::Web => Part::Web,
    };
    let (text, warnings) = match render_one(&index, &args.segment, args.date, args.preview, part) {
        Ok(result) => result,
        Err(why) => {
            eprintln!("error: {why}");
            return Ok(1);
        }
    };
    super::shared::print_diagnostics(&warnings);
    match &args.out {
        Some(out) => {
            std::fs::write(out, text.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "healthpress: wrote the {} issue of {} ({} bytes) to {}",
                args.segment,
                args.date,
                text.len(),
                out.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_containment_sees_through_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("public/digests")).unwrap();
        assert!(inside_public(root, &root.join("public/x.html")));
        assert!(inside_public(root, &root.join("public/digests/new/x.html")));
        assert!(inside_public(root, &root.join("tmp/../public/x.html")));
        assert!(!inside_public(root, &root.join("preview.html")));
        assert!(!inside_public(root, &root.join("public-preview/x.html")));
    }
}
