//! The editorial schedule as data: what is planned or dated on each day of a
//! window around "today", the planning state of each item, and the gaps and
//! risks an editor should act on. Renderers (HTML month/week views, the
//! iCalendar feed, the `schedule` CLI) all read this; none re-derives states.
//!
//! ## Window
//!
//! The schedule covers whole months from the month of the earliest slot or
//! article (but no earlier than six months before today) through the month of
//! the latest one (but no later than twelve months after today, and at least
//! through next month). At most 19 months, whatever the size of the site, so
//! a 10,000-article corpus stays cheap to render.
//!
//! ## Planning states
//!
//! An article's workflow [`State`] becomes a [`PlanState`]: approved and
//! dated later than today is `Approved` (scheduled); an article that is not
//! approved becomes `Missed` once its date has passed and `AtRisk` when it is
//! dated within the next 7 days; otherwise it keeps its workflow state. A
//! slot without an article is `Planned`, and likewise at risk or missed when
//! its date is near or past.

pub mod gaps;
mod plan;
pub mod review;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::newsletter::{self, matches};
use super::{Site, State};
pub use plan::*;

/// The months shown: see the module docs.
pub fn window(site: &Site) -> (NaiveDate, NaiveDate) {
    let today = site.today;
    let earliest_allowed = first_of_month(today)
        .checked_sub_months(chrono::Months::new(MONTHS_BACK))
        .expect("dates stay in range");
    let latest_allowed = last_of_month(
        today
            .checked_add_months(chrono::Months::new(MONTHS_AHEAD))
            .expect("dates stay in range"),
    );
    let dates = site
        .calendar
        .slots
        .iter()
        .map(|s| s.date.0)
        .chain(site.articles.iter().map(|a| a.date));
    let (mut lo, mut hi) = (today, today);
    for d in dates {
        lo = lo.min(d);
        hi = hi.max(d);
    }
    let next_month = last_of_month(
        today
            .checked_add_months(chrono::Months::new(1))
            .expect("dates stay in range"),
    );
    let from = first_of_month(lo.max(earliest_allowed));
    let to = last_of_month(hi.min(latest_allowed)).max(next_month);
    (from, to)
}

impl Schedule {
    /// Builds the schedule of `site` as of `site.today`.
    pub fn build(site: &Site) -> Schedule {
        let today = site.today;
        let (from, to) = window(site);
        let in_window = |d: NaiveDate| d >= from && d <= to;
        let newsletters = &site.calendar.newsletters;
        let segments_of = |i: usize| -> Vec<String> {
            newsletters
                .iter()
                .filter(|n| matches(n, &site.articles[i], &site.config.language))
                .map(|n| n.segment.clone())
                .collect()
        };

        let mut entries = Vec::new();
        // (article, date) pairs already shown through a slot on that date.
        let mut merged: BTreeSet<(usize, NaiveDate)> = BTreeSet::new();
        for (si, slot) in site.calendar.slots.iter().enumerate() {
            let date = slot.date.0;
            if !in_window(date) {
                continue;
            }
            let article = slot
                .article
                .as_deref()
                .and_then(|s| site.article_by_slug(s));
            let entry = match article {
                Some(ai) => {
                    merged.insert((ai, date));
                    let a = &site.articles[ai];
                    let state = site.states[ai];
                    Entry {
                        date,
                        slot: Some(si),
                        article: Some(ai),
                        title: a.title.clone(),
                        segments: vec![slot.segment.clone()],
                        specialties: a.specialty.clone(),
                        owners: slot.owner.iter().cloned().collect(),
                        state: article_plan_state(state, a.date, today),
                        workflow: Some(state),
                        uid: slot.stable_id(),
                    }
                }
                None => Entry {
                    date,
                    slot: Some(si),
                    article: None,
                    title: slot
                        .theme
                        .clone()
                        .or_else(|| slot.article.clone())
                        .unwrap_or_default(),
                    segments: vec![slot.segment.clone()],
                    specialties: Vec::new(),
                    owners: slot.owner.iter().cloned().collect(),
                    state: theme_plan_state(date, today),
                    workflow: None,
                    uid: slot.stable_id(),
                },
            };
            entries.push(entry);
        }
        for (ai, a) in site.articles.iter().enumerate() {
            if !in_window(a.date) || merged.contains(&(ai, a.date)) {
                continue;
            }
            let state = site.states[ai];
            entries.push(Entry {
                date: a.date,
                slot: None,
                article: Some(ai),
                title: a.title.clone(),
                segments: segments_of(ai),
                specialties: a.specialty.clone(),
                owners: a.authors.clone(),
                state: article_plan_state(state, a.date, today),
                workflow: Some(state),
                uid: a.slug.clone(),
            });
        }
        entries.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.uid.cmp(&b.uid)));

        let mut issues = Vec::new();
        for n in newsletters {
            for issue in newsletter::issues(site, n, to, |s| {
                !matches!(s, State::Expired | State::Withdrawn)
            }) {
                if issue.date < from {
                    continue;
                }
                let ready = issue
                    .articles
                    .iter()
                    .filter(|&&i| matches!(site.states[i], State::Published | State::Scheduled))
                    .count();
                issues.push(IssueEntry {
                    segment: n.segment.clone(),
                    name: n.name.clone(),
                    date: issue.date,
                    ready,
                    total: issue.articles.len(),
                });
            }
        }
        issues.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.segment.cmp(&b.segment)));

        let observances = site
            .calendar
            .observances_between(from, to)
            .into_iter()
            .map(|(date, o)| ObservanceEntry {
                date,
                name: o.name.clone(),
                name_en: o.name_en.clone(),
                specialty: o.specialty.clone(),
                audience: o.audience.clone(),
            })
            .collect();

        let mut schedule = Schedule {
            from,
            to,
            horizon: gaps::horizon(today, &entries, to),
            entries,
            issues,
            observances,
            gaps: Vec::new(),
        };
        schedule.gaps = gaps::find(site, &schedule);
        schedule
    }

    /// Entries dated `from..=to`, in date order.
    pub fn entries_between(&self, from: NaiveDate, to: NaiveDate) -> &[Entry] {
        let lo = self.entries.partition_point(|e| e.date < from);
        let hi = self.entries.partition_point(|e| e.date <= to);
        &self.entries[lo..hi]
    }

    /// First days of every month shown, in order.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut months = Vec::new();
        let mut m = self.from;
        while m <= self.to {
            months.push(m);
            m = m
                .checked_add_months(chrono::Months::new(1))
                .expect("dates stay in range");
        }
        months
    }
}

#[cfg(test)]
mod tests;
