//! healthpress: a static site generator for hospital health-education content.
pub mod diagnostics;
pub mod markdown;
