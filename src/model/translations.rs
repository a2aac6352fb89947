//! Translations: articles that say the same thing in different languages,
//! linked by `translation_of: <slug>` (this article translates that one) or
//! by a shared `translation_key:`. Each translation is its own article,
//! reviewed and published on its own; renderers link only the public ones
//! (hreflang alternates, the language switcher, sitemap alternates).

use std::collections::BTreeMap;

use super::article::Article;

/// The translation groups of a site's articles.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// `group_of[i]`: index into `groups` of article `i`'s group.
    group_of: Vec<usize>,
    /// Each group's articles (indices into the articles), in article order;
    /// an article without translations is a group of one.
    groups: Vec<Vec<usize>>,
}

impl Translations {
    /// Groups `articles`: an article and the one its `translation_of`
    /// names, and articles sharing a `translation_key`, are one group
    /// (transitively: a translation of a translation joins the original).
    /// Unknown slugs are ignored here (`validate` reports them).
    pub fn new(articles: &[Article]) -> Translations {
        let mut parent: Vec<usize> = (0..articles.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
            let (ra, rb) = (root(parent, a), root(parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        };
        let by_slug: BTreeMap<&str, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.slug.as_str(), i))
            .collect();
        let mut by_key: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, a) in articles.iter().enumerate() {
            if let Some(&target) = a.translation_of.as_deref().and_then(|s| by_slug.get(s)) {
                join(&mut parent, i, target);
            }
            if let Some(key) = a.translation_key.as_deref() {
                match by_key.get(key) {
                    Some(&first) => join(&mut parent, i, first),
                    None => {
                        by_key.insert(key, i);
                    }
                }
            }
        }
        let mut group_of = vec![0; articles.len()];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index_of_root: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, slot) in group_of.iter_mut().enumerate() {
            let r = root(&mut parent, i);
            let g = *index_of_root.entry(r).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
            *slot = g;
        }
        Translations { group_of, groups }
    }

    /// Article `i` and its translations, whatever their state.
    pub fn group(&self, i: usize) -> &[usize] {
        self.group_of
            .get(i)
            .map_or(&[], |&g| self.groups[g].as_slice())
    }

    /// Groups with more than one article.
    pub fn linked(&self) -> impl Iterator<Item = &[usize]> {
        self.groups
            .iter()
            .filter(|g| g.len() > 1)
            .map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, of: Option<&str>, key: Option<&str>) -> Article {
        let text = format!("---\ntitle: T\nslug: {slug}\ndate: 2026-01-01\nsummary: S\naudience: [a]\nspecialty: [b]\nseason: [winter]\n---\nbody\n");
        let mut a = crate::load::frontmatter::parse_article(
            format!("content/{slug}.md").into(),
            format!("{slug}.md").into(),
            text,
            "zh-Hans",
        )
        .unwrap();
        a.translation_of = of.map(str::to_string);
        a.translation_key = key.map(str::to_string);
        a
    }

    #[test]
    fn translations_group_by_slug_and_key_transitively() {
        let articles = vec![
            article("heart", None, None),
            article("heart-en", Some("heart"), None),
            article("heart-fr", Some("heart-en"), None),
            article("alone", None, None),
            article("flu", None, Some("flu")),
            article("flu-en", None, Some("flu")),
            article("ghost", Some("missing"), None),
        ];
        let t = Translations::new(&articles);
        assert_eq!(t.group(2), &[0, 1, 2]);
        assert_eq!(t.group(3), &[3]);
        assert_eq!(t.group(5), &[4, 5]);
        assert_eq!(t.group(6), &[6]);
        assert_eq!(t.linked().count(), 2);
    }
}
