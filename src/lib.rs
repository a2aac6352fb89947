//! healthpress: a static site generator for hospital health-education content.
pub mod compliance;
pub mod diagnostics;
