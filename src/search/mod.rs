//! Site search data that does not depend on rendering: the `search:` key of
//! site.yaml and the lay <-> medical synonym list (`builtin_synonyms.yaml`,
//! extendable in site.yaml). Patients type 发烧 or "heart attack"; reviewed
//! articles say 发热 or "myocardial infarction". [`Synonyms::for_text`]
//! finds the groups an article's text touches and returns the other terms,
//! which the search renderer adds to the article's index record only, so
//! either word finds the article and neither is added to the page.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

const BUILTIN: &str = include_str!("builtin_synonyms.yaml");

/// The `search:` key of site.yaml.
///
/// ```yaml
/// search:
///   builtin_synonyms: true      # false: use only the groups below
///   synonyms:
///     - { lay: [富贵包], medical: [颈背部脂肪垫], source: 本院骨科 }
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub builtin_synonyms: bool,
    /// Groups added to (or, with `builtin_synonyms: false`, replacing) the
    /// built-in list.
    #[serde(default)]
    pub synonyms: Vec<SynonymGroup>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            builtin_synonyms: true,
            synonyms: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// Terms that name the same thing: what patients say and what doctors
/// write, with the reference that says so.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymGroup {
    pub lay: Vec<String>,
    pub medical: Vec<String>,
    pub source: String,
}

impl SynonymGroup {
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.lay.iter().chain(&self.medical).map(|t| t.trim())
    }

    /// What is wrong with this group, if anything, for an error message.
    pub fn problem(&self) -> Option<String> {
        if self.lay.is_empty() || self.medical.is_empty() {
            return Some("a synonym group needs at least one `lay` and one `medical` term".into());
        }
        if self.source.trim().is_empty() {
            return Some("a synonym group needs a `source`".into());
        }
        self.terms().find_map(|t| {
            if t.is_empty() {
                Some("a synonym term is empty".to_string())
            } else if t.contains([',', ':']) {
                Some(format!(
                    "synonym term `{t}` contains `,` or `:`; write one term per entry"
                ))
            } else {
                None
            }
        })
    }
}

/// The built-in groups, parsed once. The file is part of the binary and
/// checked by a unit test, so a parse failure here is a build defect.
pub fn builtin_groups() -> Vec<SynonymGroup> {
    serde_yaml::from_str(BUILTIN).expect("builtin_synonyms.yaml is valid (tested)")
}

/// A matcher over every term of every group, built once per build and
/// shared by the threads that index articles.
pub struct Synonyms {
    groups: Vec<SynonymGroup>,
    matcher: Option<AhoCorasick>,
    /// `owner[k]` is the group of the k-th pattern given to the matcher.
    owner: Vec<usize>,
    /// `whole_word[k]`: pattern k is Latin script, matched as a whole word.
    whole_word: Vec<bool>,
}

impl Synonyms {
    /// The groups in force for `config`: the built-in list unless turned
    /// off, then the site's own. Invalid groups are the caller's to report
    /// (see [`SynonymGroup::problem`]); they are skipped here.
    pub fn new(config: &SearchConfig) -> Synonyms {
        let mut groups = if config.builtin_synonyms {
            builtin_groups()
        } else {
            Vec::new()
        };
        groups.extend(config.synonyms.iter().cloned());
        groups.retain(|g| g.problem().is_none());
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        let mut whole_word = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            for term in group.terms() {
                patterns.push(term.to_string());
                owner.push(g);
                whole_word.push(term.is_ascii());
            }
        }
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("synonym terms are plain strings")
        });
        Synonyms {
            groups,
            matcher,
            owner,
            whole_word,
        }
    }

    pub fn groups(&self) -> &[SynonymGroup] {
        &self.groups
    }

    /// The terms to add to a text's search record: every term of each group
    /// one of whose terms occurs in `texts`, less the terms that occur
    /// themselves. Sorted and without repeats, so the index is the same
    /// however the text is split.
    pub fn for_text(&self, texts: &[&str]) -> Vec<String> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found_terms = vec![false; self.owner.len()];
        for text in texts {
            for m in matcher.find_overlapping_iter(*text) {
                let k = m.pattern().as_usize();
                if !found_terms[k]
                    && (!self.whole_word[k] || is_whole_word(text, m.start(), m.end()))
                {
                    found_terms[k] = true;
                }
            }
        }
        let mut groups: Vec<usize> = (0..self.owner.len())
            .filter(|&k| found_terms[k])
            .map(|k| self.owner[k])
            .collect();
        groups.dedup();
        let mut added: Vec<String> = Vec::new();
        let mut k = 0;
        for (g, group) in self.groups.iter().enumerate() {
            for term in group.terms() {
                if groups.contains(&g) && !found_terms[k] {
                    added.push(term.to_string());
                }
                k += 1;
            }
        }
        added.sort();
        added.dedup();
        added
    }
}

/// `text[start..end]` is a whole word: no letter or digit touches it on
/// either side, except a plural `s`/`es` after it.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let mut next = after.next();
    if matches!(next, Some('s' | 'S')) {
        next = after.next();
    } else if text.as_bytes()[end..]
        .get(..2)
        .is_some_and(|two| two.eq_ignore_ascii_case(b"es"))
    {
        after.next();
        next = after.next();
    }
    let wordy = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !wordy(before) && !wordy(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_group_is_valid_and_has_a_source() {
        let groups = builtin_groups();
        assert!(groups.len() >= 40, "{} groups", groups.len());
        for g in &groups {
            assert_eq!(g.problem(), None, "{g:?}");
        }
        let chinese = groups
            .iter()
            .filter(|g| g.terms().any(|t| !t.is_ascii()))
            .count();
        assert!(chinese >= 20 && groups.len() - chinese >= 15);
    }

    #[test]
    fn a_medical_term_in_the_text_adds_its_lay_terms_and_back() {
        let s = Synonyms::new(&SearchConfig::default());
        let added = s.for_text(&["孩子发热时先测体温", "", "反复腹泻要补液"]);
        for t in ["发烧", "高烧", "拉肚子"] {
            assert!(added.contains(&t.to_string()), "{added:?}");
        }
        assert!(!added.contains(&"发热".to_string()), "already in the text");
        let added = s.for_text(&["预防心梗和中风"]);
        for t in ["心肌梗死", "脑卒中"] {
            assert!(added.contains(&t.to_string()), "{added:?}");
        }
        let added = s.for_text(&["Signs of a Heart Attack in women"]);
        assert!(added.contains(&"myocardial infarction".to_string()));
        assert!(s.for_text(&["nothing related here"]).is_empty());
    }

    #[test]
    fn latin_terms_match_whole_words_with_plurals() {
        let s = Synonyms::new(&SearchConfig::default());
        assert!(
            s.for_text(&["Drink enough fluid"]).is_empty(),
            "flu in fluid"
        );
        let added = s.for_text(&["Two flus a year"]);
        assert!(added.contains(&"influenza".to_string()), "{added:?}");
        let added = s.for_text(&["INFLUENZA season"]);
        assert!(added.contains(&"flu".to_string()), "{added:?}");
        let added = s.for_text(&["全国高血压日 flu。高血压", "flu", "GERD。"]);
        assert!(added.contains(&"influenza".to_string()), "{added:?}");
        let added = s.for_text(&["kidney stones"]);
        assert!(added.contains(&"nephrolithiasis".to_string()), "{added:?}");
    }

    #[test]
    fn site_groups_extend_or_replace_the_builtin_list() {
        let own = SynonymGroup {
            lay: vec!["富贵包".into()],
            medical: vec!["颈背部脂肪垫".into()],
            source: "本院骨科".into(),
        };
        let config = SearchConfig {
            builtin_synonyms: true,
            synonyms: vec![own.clone()],
        };
        let s = Synonyms::new(&config);
        assert_eq!(s.for_text(&["颈背部脂肪垫"]), vec!["富贵包".to_string()]);
        assert!(!s.for_text(&["发热"]).is_empty());
        let only = SearchConfig {
            builtin_synonyms: false,
            synonyms: vec![own],
        };
        let s = Synonyms::new(&only);
        assert!(s.for_text(&["发热"]).is_empty());
        assert_eq!(s.groups().len(), 1);
    }

    #[test]
    fn a_group_without_source_or_with_a_comma_is_a_problem() {
        let mut g = SynonymGroup {
            lay: vec!["a".into()],
            medical: vec!["b".into()],
            source: " ".into(),
        };
        assert!(g.problem().unwrap().contains("source"));
        g.source = "x".into();
        g.lay = vec!["a, b".into()];
        assert!(g.problem().unwrap().contains(','));
        g.lay = vec![];
        assert!(g.problem().is_some());
    }
}
