//! Checks calendar.yaml against site.yaml and the articles: slots name real
//! articles, segments and owners; newsletters and observances use real terms.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::{Calendar, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::model::article::Article;

use super::unknown::{unknown_person_error, unknown_term_error};

pub fn check_calendar(
    config: &SiteConfig,
    calendar: &Calendar,
    text: &str,
    articles: &[Article],
) -> Vec<Diagnostic> {
    let file = Path::new("calendar.yaml");
    let mut out = Vec::new();
    let slugs: BTreeSet<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
    let segments: BTreeSet<&str> = calendar
        .newsletters
        .iter()
        .map(|n| n.segment.as_str())
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    // Position of the first line under `section:` that contains all `needles`.
    let locate = |section: &str, needles: &[&str]| -> (usize, usize) {
        let start = lines
            .iter()
            .position(|l| l.starts_with(&format!("{section}:")))
            .unwrap_or(0);
        for (i, line) in lines.iter().enumerate().skip(start) {
            if needles.iter().all(|n| line.contains(n)) {
                let col = needles
                    .last()
                    .and_then(|n| line.find(n))
                    .map_or(1, |p| line[..p].chars().count() + 1);
                return (i + 1, col);
            }
        }
        (start + 1, 1)
    };

    for id in calendar.seasons.keys() {
        if !config.has_term("season", id) {
            let (l, c) = locate("seasons", &[&format!("{id}:")]);
            out.push(unknown_term_error(config, file, "season", id).at(l, c));
        }
    }
    for o in &calendar.observances {
        if let Some(spec) = &o.specialty {
            if !config.has_term("specialty", spec) {
                let (l, c) = locate("observances", &[&o.name, spec]);
                out.push(unknown_term_error(config, file, "specialty", spec).at(l, c));
            }
        }
        for aud in &o.audience {
            if !config.has_term("audience", aud) {
                let (l, c) = locate("observances", &[&o.name, aud]);
                out.push(unknown_term_error(config, file, "audience", aud).at(l, c));
            }
        }
    }
    let mut seen_segments = BTreeSet::new();
    for n in &calendar.newsletters {
        if !seen_segments.insert(n.segment.as_str()) {
            let (l, c) = locate("newsletters", &[&format!("segment: {}", n.segment)]);
            out.push(
                Diagnostic::error(
                    "duplicate-segment",
                    file,
                    format!("segment `{}` is defined twice", n.segment),
                )
                .at(l, c)
                .hint("each newsletter needs its own segment id"),
            );
        }
        if crate::model::slug::slug_problem(&n.segment).is_some() {
            let (l, c) = locate("newsletters", &[&n.segment]);
            out.push(
                Diagnostic::error("bad-segment", file, format!("segment id `{}` is not URL-safe", n.segment))
                    .at(l, c)
                    .hint("use lowercase ASCII letters, digits and hyphens; it becomes /digests/<segment>/"),
            );
        }
        if let Some(lang) = &n.lang {
            let languages = config.language_tags();
            if !languages.contains(lang) {
                let (l, c) = locate("newsletters", &[&n.segment, lang]);
                out.push(
                    Diagnostic::error(
                        "unknown-lang",
                        file,
                        format!(
                            "newsletter `{}` has `lang: {lang}`, which is not one of the site's languages: {}",
                            n.segment,
                            languages.join(", ")
                        ),
                    )
                    .at(l, c)
                    .hint("use one of them, or declare the language under `languages:` in site.yaml"),
                );
            }
        }
        if n.audience.is_empty() {
            let (l, c) = locate("newsletters", &[&n.segment]);
            out.push(
                Diagnostic::error(
                    "missing-term",
                    file,
                    format!("newsletter `{}` needs at least one audience", n.segment),
                )
                .at(l, c),
            );
        }
        for aud in &n.audience {
            if !config.has_term("audience", aud) {
                let (l, c) = locate("newsletters", &[&n.segment, aud]);
                out.push(unknown_term_error(config, file, "audience", aud).at(l, c));
            }
        }
        for spec in &n.specialty {
            if !config.has_term("specialty", spec) {
                let (l, c) = locate("newsletters", &[&n.segment, spec]);
                out.push(unknown_term_error(config, file, "specialty", spec).at(l, c));
            }
        }
    }
    let mut slot_ids = BTreeSet::new();
    for slot in &calendar.slots {
        let date = slot.date.0.to_string();
        if let Some(id) = &slot.id {
            if !slot_ids.insert(id.as_str()) {
                // Point at the second occurrence: skip the first match.
                let needle = format!("id: {id}");
                let hits: Vec<usize> = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.contains(&needle))
                    .map(|(i, _)| i)
                    .collect();
                let (l, c) = hits.get(1).map_or_else(
                    || locate("slots", &[&needle]),
                    |&i| {
                        (
                            i + 1,
                            lines[i]
                                .find(&needle)
                                .map_or(1, |p| lines[i][..p].chars().count() + 1),
                        )
                    },
                );
                out.push(
                    Diagnostic::error(
                        "duplicate-slot-id",
                        file,
                        format!("slot id `{id}` is used twice"),
                    )
                    .at(l, c)
                    .hint("slot ids become iCalendar UIDs; give each slot its own id"),
                );
            }
        }
        if let Some(article) = &slot.article {
            if !slugs.contains(article.as_str()) {
                let (l, c) = locate("slots", &[&date, article]);
                out.push(
                    Diagnostic::error("unknown-article", file, format!("slot on {date} names article `{article}`, which no file in content/ has as its slug"))
                        .at(l, c)
                        .hint("fix the slug, or use `theme:` for an article that is not written yet"),
                );
            }
        }
        if slot.article.is_none() && slot.theme.is_none() {
            let (l, c) = locate("slots", &[&date]);
            out.push(
                Diagnostic::error(
                    "empty-slot",
                    file,
                    format!("slot on {date} has neither `article` nor `theme`"),
                )
                .at(l, c)
                .hint("name the planned article's slug or describe its theme"),
            );
        }
        if !segments.contains(slot.segment.as_str()) {
            let (l, c) = locate("slots", &[&date, &slot.segment]);
            out.push(
                Diagnostic::error(
                    "unknown-segment",
                    file,
                    format!(
                        "slot on {date} uses segment `{}`, which no newsletter defines",
                        slot.segment
                    ),
                )
                .at(l, c)
                .hint(format!(
                    "use one of: {}",
                    segments.iter().copied().collect::<Vec<_>>().join(", ")
                )),
            );
        }
        if let Some(owner) = &slot.owner {
            if !config.people.contains_key(owner) {
                let (l, c) = locate("slots", &[&date, owner]);
                out.push(unknown_person_error(config, file, "owner", owner).at(l, c));
            }
        }
    }
    let weekly = &calendar.weekly_content;
    for aud in weekly.audiences.iter().flatten() {
        if !config.has_term("audience", aud) {
            let (l, c) = locate("weekly_content", &[aud.as_str()]);
            out.push(unknown_term_error(config, file, "audience", aud).at(l, c));
        }
    }
    for segment in weekly.segments.iter().flatten() {
        if !segments.contains(segment.as_str()) {
            let (l, c) = locate("weekly_content", &[segment.as_str()]);
            out.push(
                Diagnostic::error(
                    "unknown-segment",
                    file,
                    format!(
                        "weekly_content names segment `{segment}`, which no newsletter defines"
                    ),
                )
                .at(l, c)
                .hint(format!(
                    "use one of: {}",
                    segments.iter().copied().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_name_real_articles_segments_and_owners() {
        let config: SiteConfig = serde_yaml::from_str(
            "title: t\nbase_url: https://x.org\ntaxonomies:\n  audience:\n    seniors: { name: a }\n  specialty: {}\n  season: [winter]\npeople:\n  ed: { name: E }\n",
        )
        .unwrap();
        let text = "newsletters:\n  - { segment: seniors, name: N, cadence: weekly, day: monday, audience: [seniors] }\nslots:\n  - { date: 2026-12-01, article: nope, segment: seniors, owner: ed }\n  - { date: 2026-12-08, theme: 防跌倒, segment: kids, owner: zed }\n";
        let calendar: Calendar = serde_yaml::from_str(text).unwrap();
        let problems = check_calendar(&config, &calendar, text, &[]);
        let rules: Vec<(&str, usize)> =
            problems.iter().map(|d| (d.rule.as_str(), d.line)).collect();
        assert_eq!(
            rules,
            vec![
                ("unknown-article", 4),
                ("unknown-segment", 5),
                ("unknown-person", 5)
            ]
        );
    }

    #[test]
    fn duplicate_slot_ids_and_bad_dates_name_the_line() {
        let config: SiteConfig = serde_yaml::from_str(
            "title: t\nbase_url: https://x.org\ntaxonomies:\n  audience:\n    seniors: { name: a }\n  specialty: {}\n  season: [winter]\n",
        )
        .unwrap();
        let text = "newsletters:\n  - { segment: seniors, name: N, cadence: weekly, day: monday, audience: [seniors] }\nslots:\n  - { id: a, date: 2026-12-01, theme: x, segment: seniors }\n  - { id: a, date: 2026-12-08, theme: y, segment: seniors }\n";
        let calendar: Calendar = serde_yaml::from_str(text).unwrap();
        let problems = check_calendar(&config, &calendar, text, &[]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (
                problems[0].rule.as_str(),
                problems[0].line,
                problems[0].column
            ),
            ("duplicate-slot-id", 5, 7)
        );

        let bad = "slots:\n  - { date: 2026-02-30, theme: x, segment: seniors }\n";
        let err =
            crate::config::yaml::parse::<Calendar>(Path::new("calendar.yaml"), bad, 1).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("2026-02-30"), "{err}");
    }
}
