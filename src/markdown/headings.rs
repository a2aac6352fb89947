//! Heading anchors. Every heading gets a stable `id` so the table of contents,
//! cross-article `other.md#part` links and shared URLs keep working.
//!
//! Chinese headings are transliterated with phrase-aware pinyin
//! (`crate::pinyin`: `发热` -> `fa-re`, `高血压` -> `gao-xue-ya`)
//! because percent-encoded CJK fragments are unreadable when copied from an
//! address bar and some hospital mail gateways mangle them. Ids must be unique
//! within a page; explicit `{#id}`s are reserved first so an automatic id can
//! never steal an anchor that another article links to.

use std::collections::{HashMap, HashSet};

/// A heading seen during the event pass, before ids are assigned.
pub(crate) struct PendingHeading {
    /// Index of the `Start(Heading)` event in the output stream, patched later.
    pub event_index: usize,
    pub level: u8,
    pub text: String,
    pub explicit: Option<String>,
    /// Byte offset in the body, for diagnostics.
    pub offset: usize,
}

/// Appends the ASCII slug of `text` to `out`: transliterated, lower-cased,
/// runs of anything else collapsed to single `-`, no leading/trailing `-`.
pub(crate) fn slugify(text: &str, out: &mut String) {
    let start = out.len();
    let ascii = crate::pinyin::slug(text);
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && out.len() > start {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
}

/// Result of id assignment: one id per heading (same order) plus the
/// explicit ids that had to be changed because they were repeated.
pub(crate) struct Assigned {
    pub ids: Vec<String>,
    /// (heading index, original explicit id, id actually used)
    pub renamed: Vec<(usize, String, String)>,
}

pub(crate) fn assign_ids(headings: &[PendingHeading]) -> Assigned {
    let mut used = Used::default();
    let mut ids: Vec<Option<String>> = vec![None; headings.len()];
    let mut renamed = Vec::new();

    for (i, heading) in headings.iter().enumerate() {
        if let Some(explicit) = &heading.explicit {
            let id = used.unique(explicit);
            if &id != explicit {
                renamed.push((i, explicit.clone(), id.clone()));
            }
            ids[i] = Some(id);
        }
    }

    let mut base = String::new();
    for (i, heading) in headings.iter().enumerate() {
        if ids[i].is_some() {
            continue;
        }
        base.clear();
        slugify(&heading.text, &mut base);
        if base.is_empty() {
            base.push_str("section-");
            base.push_str(&(i + 1).to_string());
        }
        ids[i] = Some(used.unique(&base));
    }

    Assigned {
        ids: ids.into_iter().map(Option::unwrap_or_default).collect(),
        renamed,
    }
}

/// The ids taken so far, and for each base the next `-N` suffix to try,
/// so 20,000 headings with one text cost 20,000 steps, not 200 million.
#[derive(Default)]
struct Used {
    ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl Used {
    fn unique(&mut self, base: &str) -> String {
        if self.ids.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = self.next_suffix.get(base).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.ids.insert(candidate.clone()) {
                self.next_suffix.insert(base.to_string(), n);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(text: &str) -> String {
        let mut s = String::new();
        slugify(text, &mut s);
        s
    }

    fn pending(text: &str, explicit: Option<&str>) -> PendingHeading {
        PendingHeading {
            event_index: 0,
            level: 2,
            text: text.to_string(),
            explicit: explicit.map(str::to_string),
            offset: 0,
        }
    }

    #[test]
    fn slugs_transliterate_cjk() {
        assert_eq!(slug("儿童发热怎么办？"), "er-tong-fa-re-zen-me-ban");
        assert_eq!(slug("  What is COVID-19?  "), "what-is-covid-19");
        assert_eq!(slug("！？"), "");
    }

    #[test]
    fn ids_are_unique_and_explicit_ids_win() {
        let hs = [
            pending("Intro", None),
            pending("Intro", None),
            pending("?!", None),
            pending("Other", Some("intro")),
            pending("Again", Some("intro")),
        ];
        let a = assign_ids(&hs);
        assert_eq!(
            a.ids,
            ["intro-3", "intro-4", "section-3", "intro", "intro-2"]
        );
        assert_eq!(
            a.renamed,
            vec![(4, "intro".to_string(), "intro-2".to_string())]
        );
    }

    #[test]
    fn many_equal_headings_get_consecutive_suffixes() {
        let mut hs: Vec<PendingHeading> = (0..20_000).map(|_| pending("Same", None)).collect();
        hs.push(pending("Same 3", None)); // its slug is taken: same-3
        hs.push(pending("x", Some("same-2")));
        let a = assign_ids(&hs);
        assert_eq!(a.ids[0], "same");
        assert_eq!(a.ids[1], "same-3", "same-2 is reserved by the explicit id");
        assert_eq!(a.ids[19_999], "same-20001");
        assert_eq!(a.ids[20_000], "same-3-2");
        let distinct: HashSet<&String> = a.ids.iter().collect();
        assert_eq!(distinct.len(), a.ids.len());
    }
}
