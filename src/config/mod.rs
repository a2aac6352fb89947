//! Configuration: `site.yaml` and `calendar.yaml`, read into typed structs.
//! Cross-references between them (terms, people, segments) are checked in
//! `validate`, not here, so that all problems are reported together.

pub mod calendar;
pub mod content;
pub mod dates;
pub mod language;
pub mod languages;
pub mod marked;
pub mod newsletter;
pub mod site;
pub mod yaml;

pub use calendar::Calendar;
pub use site::SiteConfig;
