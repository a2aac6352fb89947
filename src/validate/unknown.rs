//! The errors for an unknown (or empty) taxonomy term or person, worded
//! the same for articles and the calendar, each listing the allowed ids.

use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

pub fn unknown_term_error(
    config: &SiteConfig,
    file: &Path,
    taxonomy: &str,
    term: &str,
) -> Diagnostic {
    Diagnostic::error("unknown-term", file, format!("unknown {taxonomy} `{term}`")).hint(format!(
        "use one of: {} (or add the term to site.yaml taxonomies.{taxonomy})",
        config.term_ids(taxonomy).join(", ")
    ))
}

pub fn empty_person_error(config: &SiteConfig, file: &Path, role: &str) -> Diagnostic {
    let known: Vec<&str> = config.people.keys().map(String::as_str).collect();
    Diagnostic::error("empty-person", file, format!("the {role} id is empty")).hint(format!(
        "use a person id from site.yaml people: {}",
        known.join(", ")
    ))
}

pub fn unknown_person_error(config: &SiteConfig, file: &Path, role: &str, id: &str) -> Diagnostic {
    let known: Vec<&str> = config.people.keys().map(String::as_str).collect();
    Diagnostic::error("unknown-person", file, format!("unknown {role} `{id}`")).hint(format!(
        "use a person id from site.yaml people: {}",
        known.join(", ")
    ))
}
