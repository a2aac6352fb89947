//! The schedule's vocabulary: planning states, the entries of a day, the
//! gaps and risks found, and the date arithmetic of months and weeks. The
//! schedule is built in `mod.rs` and its gaps found in `gaps.rs`; both
//! read these types, so they live apart from either.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::model::State;

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
            State::Expired | State::Withdrawn => PlanState::Expired,
            State::Draft => PlanState::Draft,
            State::InReview => PlanState::InReview,
            State::ChangesRequested => PlanState::ChangesRequested,
            State::StaleApproval => PlanState::StaleApproval,
            // Not public and needing an editor: shown like a request for changes.
            State::ComplianceWithheld | State::Invalid => PlanState::ChangesRequested,
            State::Unsigned => PlanState::Unsigned,
            State::BadSignature => PlanState::BadSignature,
        }
    }
}

/// The planning state of an article dated `date` whose workflow state is
/// `state`, as of `today`: an article not approved is missed or at risk by
/// the same dates as a slot without one.
pub fn article_plan_state(state: State, date: NaiveDate, today: NaiveDate) -> PlanState {
    match state {
        State::Published | State::Scheduled | State::Expired | State::Withdrawn => state.into(),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    EmptyIssue,
    UncoveredObservance,
    QuietWeek,
    AtRisk,
    Missed,
}

impl GapKind {
    pub fn key(self) -> &'static str {
        match self {
            GapKind::EmptyIssue => "empty-issue",
            GapKind::UncoveredObservance => "uncovered-observance",
            GapKind::QuietWeek => "quiet-week",
            GapKind::AtRisk => "at-risk",
            GapKind::Missed => "missed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GapKind::EmptyIssue => "empty newsletter issue",
            GapKind::UncoveredObservance => "observance without an article",
            GapKind::QuietWeek => "week with nothing new",
            GapKind::AtRisk => "at risk",
            GapKind::Missed => "missed",
        }
    }
}

/// One gap or risk, on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub date: NaiveDate,
    pub kind: GapKind,
    /// What the gap is about: a segment, an observance's name, an audience
    /// id, or an entry's title.
    pub subject: String,
    /// Display name of the subject: the newsletter's name, the observance's
    /// name, the audience's name in the site language, or the entry's title.
    pub name: String,
    /// Empty issue: articles in its window that are not yet approved.
    pub pending: usize,
    /// Quiet week: its last day (Sunday); uncovered observance: the first
    /// day of the lead time in which an article was looked for.
    pub other_date: Option<NaiveDate>,
    /// Uncovered observance: the specialty's name in the site language.
    pub topic: Option<String>,
    /// At risk or missed: the article's workflow state, if it exists.
    pub workflow: Option<State>,
    /// Segments it concerns, for filtering.
    pub segments: Vec<String>,
    /// Specialties it concerns, for filtering.
    pub specialties: Vec<String>,
    /// Owners it concerns, for filtering.
    pub owners: Vec<String>,
}
