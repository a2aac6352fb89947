//! Unit tests for the schedule model: states, window, gaps, review queues.

use std::path::Path;

use chrono::NaiveDate;

use super::review::ReviewQueues;
use super::*;
use crate::config::dates::parse_date;
use crate::config::{Calendar, SiteConfig};
use crate::model::article::{Article, Review, ReviewStatus};
use crate::model::fingerprint::fingerprint;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

const CONFIG: &str = "title: t\nbase_url: https://h.example.org\ntaxonomies:\n  audience:\n    parents: { name: P }\n    seniors: { name: S }\n  specialty:\n    pediatrics: { name: Ped }\n    cardiology: { name: Car }\n  season: [all-year]\npeople:\n  ed: { name: E }\n  dr: { name: D }\nreview:\n  max_age_days: 100\n";

const CALENDAR: &str = "observances:\n  - { date: 12-10, name: Kids Day, specialty: pediatrics }\n  - { date: 12-20, name: Heart Day, specialty: cardiology }\n  - { date: 12-21, name: No Specialty Day }\nnewsletters:\n  - { segment: parents, name: PW, cadence: weekly, day: monday, audience: [parents], start: 2026-11-30 }\nslots:\n  - { id: s1, date: 2026-12-03, theme: Flu, segment: parents, owner: ed }\n  - { id: s2, date: 2026-12-20, theme: Colds, segment: parents, owner: ed }\n  - { id: s3, date: 2026-11-20, theme: Old, segment: parents, owner: ed }\n  - { id: s4, date: 2026-12-14, article: pub-kids, segment: parents, owner: ed }\n";

fn article(
    slug: &str,
    date: &str,
    status: Option<ReviewStatus>,
    audience: &str,
    specialty: &str,
) -> Article {
    let fp = fingerprint("T", "S", "body");
    Article {
        source: format!("content/{slug}.md").into(),
        content_path: format!("{slug}.md").into(),
        slug: slug.into(),
        id: None,
        aliases: Vec::new(),
        title: format!("Title {slug}"),
        summary: "S".into(),
        date: d(date),
        updated: None,
        expires: None,
        withdrawn: None,
        replaced_by: None,
        translation_of: None,
        translation_key: None,
        lang: "zh-Hans".into(),
        audience: vec![audience.into()],
        specialty: vec![specialty.into()],
        season: vec!["all-year".into()],
        authors: vec!["ed".into()],
        sources: vec![],
        review: Review {
            status,
            reviewer: Some("dr".into()),
            date: Some(d("2026-11-01")),
            fingerprint: Some(fp.clone()),
            signature: None,
        },
        raw: "body".into(),
        body_offset: 0,
        body_line: 5,
        current_fingerprint: fp,
        embedded: Vec::new(),
        declared_lang: None,
        positions: Default::default(),
    }
}

fn site(today: &str) -> Site {
    let config: SiteConfig = serde_yaml::from_str(CONFIG).unwrap();
    let calendar: Calendar = serde_yaml::from_str(CALENDAR).unwrap();
    let mut stale = article(
        "stale",
        "2026-12-25",
        Some(ReviewStatus::Approved),
        "parents",
        "pediatrics",
    );
    stale.current_fingerprint = fingerprint("T", "S", "edited");
    let mut old = article(
        "old-approval",
        "2026-01-05",
        Some(ReviewStatus::Approved),
        "seniors",
        "cardiology",
    );
    old.review.date = Some(d("2026-01-01"));
    let articles = vec![
        article(
            "pub-kids",
            "2026-11-30",
            Some(ReviewStatus::Approved),
            "parents",
            "pediatrics",
        ),
        article(
            "late-draft",
            "2026-11-25",
            Some(ReviewStatus::Draft),
            "parents",
            "pediatrics",
        ),
        article(
            "soon-review",
            "2026-12-02",
            Some(ReviewStatus::InReview),
            "parents",
            "pediatrics",
        ),
        article(
            "later-changes",
            "2026-12-28",
            Some(ReviewStatus::ChangesRequested),
            "parents",
            "pediatrics",
        ),
        article("later-draft", "2027-01-10", None, "parents", "pediatrics"),
        article(
            "future-ok",
            "2027-01-04",
            Some(ReviewStatus::Approved),
            "parents",
            "pediatrics",
        ),
        stale,
        old,
    ];
    Site::from_parts(Path::new("."), config, calendar, articles, d(today), vec![])
}

fn state_of(s: &Schedule, uid: &str) -> PlanState {
    s.entries
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no {uid}"))
        .state
}

#[test]
fn plan_states_cover_every_case() {
    let today = d("2026-12-01");
    assert_eq!(
        article_plan_state(State::Published, d("2026-11-01"), today),
        PlanState::Published
    );
    assert_eq!(
        article_plan_state(State::Scheduled, d("2026-12-02"), today),
        PlanState::Approved
    );
    assert_eq!(
        article_plan_state(State::Draft, d("2026-11-30"), today),
        PlanState::Missed
    );
    assert_eq!(
        article_plan_state(State::Draft, d("2026-12-01"), today),
        PlanState::AtRisk
    );
    assert_eq!(
        article_plan_state(State::InReview, d("2026-12-08"), today),
        PlanState::AtRisk
    );
    assert_eq!(
        article_plan_state(State::InReview, d("2026-12-09"), today),
        PlanState::InReview
    );
    assert_eq!(
        article_plan_state(State::StaleApproval, d("2026-12-09"), today),
        PlanState::StaleApproval
    );
    assert_eq!(
        article_plan_state(State::ChangesRequested, d("2027-01-09"), today),
        PlanState::ChangesRequested
    );
    assert_eq!(theme_plan_state(d("2026-12-09"), today), PlanState::Planned);
    assert_eq!(theme_plan_state(d("2026-12-03"), today), PlanState::AtRisk);
    assert_eq!(theme_plan_state(d("2026-11-03"), today), PlanState::Missed);
}

#[test]
fn entries_merge_slots_with_their_articles() {
    let s = Schedule::build(&site("2026-12-01"));
    assert_eq!(state_of(&s, "s1"), PlanState::AtRisk);
    assert_eq!(state_of(&s, "s2"), PlanState::Planned);
    assert_eq!(state_of(&s, "s3"), PlanState::Missed);
    // Slot s4 names pub-kids but on another date: both are shown.
    assert_eq!(state_of(&s, "s4"), PlanState::Published);
    assert_eq!(state_of(&s, "pub-kids"), PlanState::Published);
    assert_eq!(state_of(&s, "late-draft"), PlanState::Missed);
    assert_eq!(state_of(&s, "soon-review"), PlanState::AtRisk);
    assert_eq!(state_of(&s, "later-changes"), PlanState::ChangesRequested);
    assert_eq!(state_of(&s, "later-draft"), PlanState::Draft);
    assert_eq!(state_of(&s, "future-ok"), PlanState::Approved);
    assert_eq!(state_of(&s, "stale"), PlanState::StaleApproval);
    let e = s.entries.iter().find(|e| e.uid == "pub-kids").unwrap();
    assert_eq!(e.segments, vec!["parents"]);
    assert!(s.entries.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn window_is_whole_months_and_capped() {
    let s = Schedule::build(&site("2026-12-01"));
    // old-approval (2026-01-05) is more than six months back: capped.
    assert_eq!(s.from, d("2026-06-01"));
    assert_eq!(s.to, d("2027-01-31"));
    assert_eq!(s.months().len(), 8);
    assert!(s.entries.iter().all(|e| e.uid != "old-approval"));
}

#[test]
fn gaps_of_every_kind_risks_first_then_by_date() {
    let s = Schedule::build(&site("2026-12-01"));
    let kinds = |k: GapKind| -> Vec<(String, String)> {
        s.gaps
            .iter()
            .filter(|g| g.kind == k)
            .map(|g| (g.date.to_string(), g.subject.clone()))
            .collect()
    };
    // Heart Day has no cardiology article; Kids Day is covered by pub-kids
    // (2026-11-30, within 14 days); No Specialty Day is never a gap.
    assert_eq!(
        kinds(GapKind::UncoveredObservance),
        vec![("2026-12-20".into(), "Heart Day".into())]
    );
    // Issue 2026-12-07 covers 12-01..12-07: only soon-review (in review).
    let empty = kinds(GapKind::EmptyIssue);
    assert!(
        empty.contains(&("2026-12-07".into(), "parents".into())),
        "{empty:?}"
    );
    assert!(
        !empty.contains(&("2026-11-30".into(), "parents".into())),
        "past issue is history"
    );
    // Seniors have nothing at all from this week on.
    let quiet = kinds(GapKind::QuietWeek);
    assert!(
        quiet.contains(&("2026-11-30".into(), "seniors".into())),
        "{quiet:?}"
    );
    assert!(!quiet.contains(&("2026-11-30".into(), "parents".into())));
    assert_eq!(
        kinds(GapKind::AtRisk),
        vec![
            ("2026-12-02".into(), "Title soon-review".into()),
            ("2026-12-03".into(), "Flu".into())
        ]
    );
    assert_eq!(
        kinds(GapKind::Missed),
        vec![
            ("2026-11-20".into(), "Old".into()),
            ("2026-11-25".into(), "Title late-draft".into())
        ]
    );
    // Risks first, then each kind by date.
    assert!(s
        .gaps
        .windows(2)
        .all(|w| (w[0].kind.urgency(), w[0].date) <= (w[1].kind.urgency(), w[1].date)));
}

#[test]
fn issues_count_ready_and_total() {
    let s = Schedule::build(&site("2026-12-01"));
    let issue = s.issues.iter().find(|i| i.date == d("2026-11-30")).unwrap();
    assert_eq!((issue.ready, issue.total), (1, 2)); // pub-kids, late-draft
}

#[test]
fn review_queues() {
    let site = site("2026-12-01");
    let q = ReviewQueues::build(&site);
    let slugs = |v: &[usize]| {
        v.iter()
            .map(|&i| site.articles[i].slug.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(slugs(&q.awaiting["dr"]), vec!["soon-review"]);
    assert_eq!(slugs(&q.stale), vec!["stale"]);
    assert_eq!(slugs(&q.changes_requested), vec!["later-changes"]);
    let due: Vec<_> = q
        .due
        .iter()
        .map(|&(i, _)| site.articles[i].slug.as_str())
        .collect();
    assert_eq!(due, vec!["old-approval"]);
}

fn site_with_calendar(today: &str, calendar: &str) -> Site {
    let mut s = site(today);
    s.calendar = serde_yaml::from_str(calendar).unwrap();
    s
}

#[test]
fn risks_come_first_and_quiet_weeks_are_one_line_per_audience() {
    let s = Schedule::build(&site("2026-12-01"));
    let kinds: Vec<GapKind> = s.gaps.iter().map(|g| g.kind).collect();
    let first_hole = kinds
        .iter()
        .position(|k| k.urgency() > GapKind::OldArticle.urgency())
        .unwrap();
    assert!(
        kinds[..first_hole]
            .iter()
            .all(|k| matches!(k, GapKind::Missed | GapKind::AtRisk)),
        "{kinds:?}"
    );
    assert!(kinds[first_hole..]
        .iter()
        .all(|k| !matches!(k, GapKind::Missed | GapKind::AtRisk)));
    let quiet: Vec<&Gap> = s
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::QuietWeek)
        .collect();
    let seniors: Vec<&&Gap> = quiet.iter().filter(|g| g.subject == "seniors").collect();
    assert_eq!(seniors.len(), 1, "{quiet:?}");
    // Seniors have nothing from this week through the horizon.
    let weeks = ((s.horizon - seniors[0].date).num_days() / 7 + 1) as usize;
    assert_eq!(seniors[0].pending, weeks);
    assert_eq!(seniors[0].date, d("2026-11-30"));
}

#[test]
fn weekly_content_says_who_needs_something_every_week() {
    let calendar = format!("{CALENDAR}weekly_content:\n  audiences: [parents]\n  segments: []\n");
    let s = Schedule::build(&site_with_calendar("2026-12-01", &calendar));
    assert!(s
        .gaps
        .iter()
        .all(|g| g.subject != "seniors" && g.kind != GapKind::EmptyIssue));
}

#[test]
fn a_slot_naming_an_article_published_long_before_is_flagged() {
    let calendar = format!(
        "{CALENDAR}  - {{ id: s5, date: 2027-01-20, article: pub-kids, segment: parents, owner: ed }}\n"
    );
    let s = Schedule::build(&site_with_calendar("2026-12-01", &calendar));
    let old: Vec<(String, Option<NaiveDate>)> = s
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::OldArticle)
        .map(|g| (g.date.to_string(), g.other_date))
        .collect();
    // s4 (2026-12-14) is two weeks after publishing: not flagged.
    assert_eq!(old, [("2027-01-20".to_string(), Some(d("2026-11-30")))]);
}
