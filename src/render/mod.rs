//! Rendering: turns the site model into output files. Every output is a
//! [`Renderer`] (renderer.rs) over the read-only [`index::Index`]: article
//! pages, listings and feeds, static assets, newsletter digests and the
//! editorial views. [`RENDERERS`] lists them in the order a build runs
//! them; `build.rs` runs them, `serve` asks them to redo what an edit
//! touched. Adding an output is one module here and one line in
//! [`RENDERERS`] (docs/architecture.md).

pub mod article;
pub mod article_urls;
pub mod body;
pub mod bundles;
pub mod changes;
pub mod digest;
pub mod editorial;
pub mod feeds;
pub mod home;
pub mod index;
pub mod inline;
pub mod interrupt;
pub mod jsonld;
pub mod languages;
pub mod listing;
pub mod lists;
pub mod manifest;
pub mod page;
pub mod poster;
pub mod qr;
pub mod qr_masks;
pub mod redirect_table;
pub mod redirects;
pub mod renderer;
pub mod search;
pub mod statics;
pub mod theme;
pub mod theme_errors;
pub mod tombstone;
pub mod views;
pub mod wechat;

pub use renderer::{Folder, Interrupt, Part, Rendered, Renderer, Scope};

/// Every output, in the order it is rendered. Article pages come first:
/// they keep each public body in the index for the feeds and digests that
/// follow. Static files follow the generated pages, so a file in `static/`
/// that collides with a page is the one reported.
pub static RENDERERS: &[&dyn Renderer] = &[
    &article::ArticlePages,
    // Runs beside the renderers after it (Renderer::in_background).
    &search::SearchIndex,
    &lists::Listings,
    &tombstone::Tombstones,
    &redirects::Redirects,
    &poster::Posters,
    &statics::StaticFiles,
    &bundles::BundleFiles,
    &digest::issues::DigestIssues,
    &wechat::QrImages,
    &editorial::EditorialViews,
    &wechat::WechatPosts,
];
