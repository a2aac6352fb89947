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
pub mod review;

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::newsletter::{self, matches};
use super::{Site, State};
pub use gaps::{Gap, GapKind};

/// Days ahead within which an item that is not approved is "at risk".
pub const AT_RISK_DAYS: i64 = 7;
/// Months before today the schedule reaches back at most.
pub const MONTHS_BACK: u32 = 6;
/// Months after today the schedule reaches forward at most.
pub const MONTHS_AHEAD: u32 = 12;

/// Where a planned item stands, as shown in the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanState {
    /// A slot with a theme but no article yet.
    Planned,
    Draft,
    InReview,
    ChangesRequested,
    /// Approved with a future date: scheduled.
    Approved,
    Published,
    StaleApproval,
    /// Dated within [`AT_RISK_DAYS`] days and not approved.
    AtRisk,
    /// Date passed and not published.
    Missed,
    /// Was published; `expires` has passed.
    Expired,
    /// Approved without the signature the site requires.
    Unsigned,
    /// Approved with a signature that does not hold.
    BadSignature,
}

impl PlanState {
    pub const ALL: [PlanState; 12] = [
        PlanState::Planned,
        PlanState::Draft,
        PlanState::InReview,
        PlanState::ChangesRequested,
        PlanState::Approved,
        PlanState::Published,
        PlanState::StaleApproval,
        PlanState::AtRisk,
        PlanState::Missed,
        PlanState::Expired,
        PlanState::Unsigned,
        PlanState::BadSignature,
    ];

    /// Stable machine key, used for CSS classes and `data-state`.
    pub fn key(self) -> &'static str {
        match self {
            PlanState::Planned => "planned",
            PlanState::Draft => "draft",
            PlanState::InReview => "in-review",
            PlanState::ChangesRequested => "changes-requested",
            PlanState::Approved => "approved",
            PlanState::Published => "published",
            PlanState::StaleApproval => "stale-approval",
            PlanState::AtRisk => "at-risk",
            PlanState::Missed => "missed",
            PlanState::Expired => "expired",
            PlanState::Unsigned => "unsigned",
            PlanState::BadSignature => "bad-signature",
        }
    }

    /// English text label (the CLI and the default when a theme has none).
    pub fn label(self) -> &'static str {
        match self {
            PlanState::Planned => "planned",
            PlanState::Draft => "draft",
            PlanState::InReview => "in review",
            PlanState::ChangesRequested => "changes requested",
            PlanState::Approved => "approved (scheduled)",
            PlanState::Published => "published",
            PlanState::StaleApproval => "stale approval",
            PlanState::AtRisk => "at risk",
            PlanState::Missed => "missed",
            PlanState::Expired => "expired",
            PlanState::Unsigned => "unsigned approval",
            PlanState::BadSignature => "bad signature",
        }
    }

    /// Whether this state needs an editor's attention before its date.
    pub fn is_risk(self) -> bool {
        matches!(self, PlanState::AtRisk | PlanState::Missed)
    }
}

/// A workflow state as the schedule names it: an approved article not yet
/// public is "approved (scheduled)"; the others keep their names.
impl From<State> for PlanState {
    fn from(state: State) -> PlanState {
        match state {
            State::Published => PlanState::Published,
            State::Scheduled => PlanState::Approved,
            State::Expired => PlanState::Expired,
            State::Draft => PlanState::Draft,
            State::InReview => PlanState::InReview,
            State::ChangesRequested => PlanState::ChangesRequested,
            State::StaleApproval => PlanState::StaleApproval,
            State::Unsigned => PlanState::Unsigned,
            State::BadSignature => PlanState::BadSignature,
            // Not public and needing an editor: shown like a request for changes.
            State::ComplianceWithheld => PlanState::ChangesRequested,
        }
    }
}

/// The planning state of an article dated `date` whose workflow state is
/// `state`, as of `today`: an article not approved is missed or at risk by
/// the same dates as a slot without one.
pub fn article_plan_state(state: State, date: NaiveDate, today: NaiveDate) -> PlanState {
    match state {
        State::Published | State::Scheduled | State::Expired => state.into(),
        _ => match theme_plan_state(date, today) {
            PlanState::Planned => state.into(),
            risk => risk,
        },
    }
}

/// The planning state of a slot that has no article yet.
pub fn theme_plan_state(date: NaiveDate, today: NaiveDate) -> PlanState {
    if date < today {
        PlanState::Missed
    } else if date <= today + Duration::days(AT_RISK_DAYS) {
        PlanState::AtRisk
    } else {
        PlanState::Planned
    }
}

/// One slot or article on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub date: NaiveDate,
    /// Index into `calendar.slots`, when the entry comes from a slot.
    pub slot: Option<usize>,
    /// Index into `site.articles`, when an article exists.
    pub article: Option<usize>,
    /// The article's title, or the slot's theme.
    pub title: String,
    /// The slot's segment, or every newsletter segment the article fits.
    pub segments: Vec<String>,
    pub specialties: Vec<String>,
    /// The slot's owner, or the article's authors.
    pub owners: Vec<String>,
    pub state: PlanState,
    /// The article's workflow state, when there is an article.
    pub workflow: Option<State>,
    /// Stable id: the slot's id, or the article's slug.
    pub uid: String,
}

/// One newsletter issue in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    pub segment: String,
    pub name: String,
    pub date: NaiveDate,
    /// Articles in the issue's window that are published or scheduled.
    pub ready: usize,
    /// All articles in the window that have not expired, in any state.
    pub total: usize,
}

/// One observance day in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservanceEntry {
    pub date: NaiveDate,
    pub name: String,
    pub name_en: Option<String>,
    pub specialty: Option<String>,
    pub audience: Vec<String>,
}

/// The schedule for one "today".
#[derive(Debug, Clone)]
pub struct Schedule {
    /// First day of the first month shown.
    pub from: NaiveDate,
    /// Last day of the last month shown.
    pub to: NaiveDate,
    /// Gaps are looked for from today through this day.
    pub horizon: NaiveDate,
    /// Sorted by date, then uid.
    pub entries: Vec<Entry>,
    pub issues: Vec<IssueEntry>,
    pub observances: Vec<ObservanceEntry>,
    /// Gaps and risks, sorted by date.
    pub gaps: Vec<Gap>,
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

pub fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_month(d)
        .checked_add_months(chrono::Months::new(1))
        .expect("dates stay in range")
        - Duration::days(1)
}

/// Monday of the week `d` falls in.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

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
                .filter(|n| matches(n, &site.articles[i]))
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
            for issue in newsletter::issues(site, n, to, |s| s != State::Expired) {
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
