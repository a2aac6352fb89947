//! Gaps and risks: what the plan is missing, and what is about to go wrong.
//!
//! Gaps are looked for from today through the *horizon*: the latest planned
//! date (slot or article), but at least four weeks ahead and at most 26 weeks
//! ahead (and never past the schedule window). Past weeks are history, not
//! something an editor can still fill.
//!
//! - **empty issue**: a newsletter issue whose window holds no published or
//!   scheduled article (drafts in the window do not go out, so they do not
//!   fill it; the count in progress is noted).
//! - **uncovered observance**: an observance day with a specialty and no
//!   published or scheduled article of that specialty dated in the 14 days
//!   before it (the day itself included). Observances without a specialty
//!   are never gaps.
//! - **quiet weeks**: Monday-to-Sunday weeks in which an audience has
//!   nothing new: no article for it (in any state but expired) and no slot
//!   for a segment whose newsletter serves it. One gap per audience, from
//!   its first quiet week to its last, with the count of weeks.
//!
//! calendar.yaml `weekly_content:` says which audiences (quiet weeks) and
//! segments (empty issues) need something new every week; by default all.
//!
//! Risks are entries that are *at risk* (within 7 days, not approved) or
//! *missed* (date passed, not published) anywhere in the schedule window,
//! and slots from today on that name an article published more than
//! [`OLD_ARTICLE_DAYS`] days before the slot: the slot looks done while
//! its day brings nothing new. Risks are listed first.

/// A slot naming an article published more than this many days before
/// the slot's date is flagged: longer than a monthly newsletter's window.
pub const OLD_ARTICLE_DAYS: i64 = 31;

use std::collections::BTreeSet;

use super::plan::{week_start, Entry, Gap, GapKind, PlanState, Schedule};
use crate::model::{Site, State};
use chrono::{Duration, NaiveDate};

/// Days before an observance within which an article must appear.
pub const OBSERVANCE_LEAD_DAYS: i64 = 14;

/// See the module docs.
pub fn horizon(today: NaiveDate, entries: &[Entry], to: NaiveDate) -> NaiveDate {
    let latest = entries.iter().map(|e| e.date).max().unwrap_or(today);
    latest
        .max(today + Duration::days(27))
        .min(today + Duration::days(26 * 7 - 1))
        .min(to)
}

pub fn find(site: &Site, schedule: &Schedule) -> Vec<Gap> {
    let today = site.today;
    let horizon = schedule.horizon;
    let mut gaps = Vec::new();

    for issue in &schedule.issues {
        if issue.date < today
            || issue.date > horizon
            || issue.ready > 0
            || !site
                .calendar
                .weekly_content
                .segment_needs_it(&issue.segment)
        {
            continue;
        }
        gaps.push(Gap {
            date: issue.date,
            kind: GapKind::EmptyIssue,
            subject: issue.segment.clone(),
            name: issue.name.clone(),
            pending: issue.total,
            other_date: None,
            topic: None,
            workflow: None,
            segments: vec![issue.segment.clone()],
            specialties: Vec::new(),
            owners: Vec::new(),
        });
    }

    for o in &schedule.observances {
        let Some(specialty) = &o.specialty else {
            continue;
        };
        if o.date < today || o.date > horizon {
            continue;
        }
        let lead = o.date - Duration::days(OBSERVANCE_LEAD_DAYS);
        let covered = site.articles.iter().zip(&site.states).any(|(a, s)| {
            matches!(s, State::Published | State::Scheduled)
                && a.date >= lead
                && a.date <= o.date
                && a.specialty.contains(specialty)
        });
        if !covered {
            gaps.push(Gap {
                date: o.date,
                kind: GapKind::UncoveredObservance,
                subject: o.name.clone(),
                name: o.name.clone(),
                pending: 0,
                other_date: Some(lead),
                topic: Some(
                    site.config
                        .term_name("specialty", specialty, &site.config.language),
                ),
                workflow: None,
                segments: Vec::new(),
                specialties: vec![specialty.clone()],
                owners: Vec::new(),
            });
        }
    }

    // (week start, audience) pairs that have something new.
    let mut busy: BTreeSet<(NaiveDate, String)> = BTreeSet::new();
    let first_week = week_start(today);
    for (a, s) in site.articles.iter().zip(&site.states) {
        if matches!(s, State::Expired | State::Withdrawn) || a.date < first_week || a.date > horizon
        {
            continue;
        }
        for aud in &a.audience {
            busy.insert((week_start(a.date), aud.clone()));
        }
    }
    for slot in &site.calendar.slots {
        let d = slot.date.0;
        if d < first_week || d > horizon {
            continue;
        }
        for n in site
            .calendar
            .newsletters
            .iter()
            .filter(|n| n.segment == slot.segment)
        {
            for aud in &n.audience {
                busy.insert((week_start(d), aud.clone()));
            }
        }
    }
    let weekly = &site.calendar.weekly_content;
    for aud in site.config.term_ids("audience") {
        if !weekly.audience_needs_it(&aud) {
            continue;
        }
        let mut quiet = Vec::new();
        let mut week = first_week;
        while week <= horizon {
            if !busy.contains(&(week, aud.clone())) {
                quiet.push(week);
            }
            week += Duration::days(7);
        }
        let (Some(&first), Some(&last)) = (quiet.first(), quiet.last()) else {
            continue;
        };
        let segments = site
            .calendar
            .newsletters
            .iter()
            .filter(|n| n.audience.contains(&aud))
            .map(|n| n.segment.clone())
            .collect();
        gaps.push(Gap {
            date: first,
            kind: GapKind::QuietWeek,
            name: site
                .config
                .term_name("audience", &aud, &site.config.language),
            subject: aud,
            pending: quiet.len(),
            other_date: Some(last + Duration::days(6)),
            topic: None,
            workflow: None,
            segments,
            specialties: Vec::new(),
            owners: Vec::new(),
        });
    }

    for e in &schedule.entries {
        let published_long_before = match (e.slot, e.article) {
            (Some(_), Some(ai)) if e.date >= today && e.state == PlanState::Published => {
                let published = site.articles[ai].date;
                (published + Duration::days(OLD_ARTICLE_DAYS) < e.date).then_some(published)
            }
            _ => None,
        };
        if let Some(published) = published_long_before {
            gaps.push(Gap {
                date: e.date,
                kind: GapKind::OldArticle,
                subject: e.title.clone(),
                name: e.title.clone(),
                pending: 0,
                other_date: Some(published),
                topic: None,
                workflow: e.workflow,
                segments: e.segments.clone(),
                specialties: e.specialties.clone(),
                owners: e.owners.clone(),
            });
            continue;
        }
        let kind = match e.state {
            PlanState::AtRisk => GapKind::AtRisk,
            PlanState::Missed => GapKind::Missed,
            _ => continue,
        };
        gaps.push(Gap {
            date: e.date,
            kind,
            subject: e.title.clone(),
            name: e.title.clone(),
            pending: 0,
            other_date: None,
            topic: None,
            workflow: e.workflow,
            segments: e.segments.clone(),
            specialties: e.specialties.clone(),
            owners: e.owners.clone(),
        });
    }

    gaps.sort_by(|a, b| {
        a.kind
            .urgency()
            .cmp(&b.kind.urgency())
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.subject.cmp(&b.subject))
    });
    gaps
}
