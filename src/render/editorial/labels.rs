//! What every editorial page starts from: the UI labels in the site
//! language (states, gaps) and the base template context.

use std::collections::BTreeMap;

use tera::Context;

use crate::model::schedule::{GapKind, PlanState};
use crate::model::Site;
use crate::render::theme::Theme;

/// UI labels for the editorial views, in the site language.
pub struct Labels<'a> {
    pub map: &'a BTreeMap<String, String>,
}

impl<'a> Labels<'a> {
    pub fn new(site: &Site, theme: &'a Theme) -> Labels<'a> {
        Labels {
            map: theme.labels_for(&site.config.language, &site.config.language),
        }
    }

    pub fn get(&self, key: &str, default: &str) -> String {
        self.map
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    /// A state's text label: `state_<key>` from i18n.yaml, else English.
    pub fn state(&self, state: PlanState) -> String {
        self.get(
            &format!("state_{}", state.key().replace('-', "_")),
            state.label(),
        )
    }

    pub fn gap(&self, kind: GapKind) -> String {
        self.get(
            &format!("gap_{}", kind.key().replace('-', "_")),
            kind.label(),
        )
    }
}

/// The context every editorial page starts from. `base` is the relative path
/// from the page to `editorial/` (e.g. `../`), so the folder can be opened
/// from disk or served from any path.
pub fn editorial_context(site: &Site, labels: &Labels, title: &str, base: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site_title", &site.config.title);
    ctx.insert("lang", &site.config.language);
    ctx.insert("title", title);
    ctx.insert("base", base);
    ctx.insert("today", &site.today.to_string());
    ctx.insert("t", labels.map);
    ctx
}
