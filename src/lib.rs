//! healthpress: a static site generator for hospital health-education content.
//!
//! The pipeline follows the data:
//!
//! 1. [`load`] reads `site.yaml`, `calendar.yaml` and `content/**.md`;
//! 2. [`validate`] cross-checks terms, people, slugs and the calendar;
//! 3. [`model`] fixes each article's publishing state for one day;
//! 4. `render` turns the model into the public site, digests and schedule,
//!    one renderer per output;
//! 5. `output` writes it atomically (a failed build leaves `public/` as it was).
//!
//! [`build`] runs these steps in that order, and is the only place that
//! does; docs/architecture.md has the layer rules (checked by
//! `tests/architecture.rs`). [`diagnostics`] is the one shape every
//! problem is reported in.

pub mod assets;
pub mod build;
pub mod cli;
pub mod compliance;
pub mod config;
pub mod diagnostics;
pub mod html;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pinyin;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod timings;
pub mod validate;
pub mod wordseg;
