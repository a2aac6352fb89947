//! The schedule view: one page per month of the schedule window, each with a
//! six-week grid (Monday first, today marked) and a week-by-week list, plus
//! the "gaps and risks" list. `schedule/index.html` is today's month with
//! every gap and risk; `schedule/YYYY-MM/index.html` holds each month.
//!
//! Items are built once per day for the whole window and shared by the grid
//! and the list, so the cost grows with the window, not with the site.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::labels::{editorial_context, Labels};
use crate::diagnostics::Diagnostic;
use crate::model::schedule::{first_of_month, last_of_month, week_start, Entry, Gap, Schedule};
use crate::model::Site;
use crate::render::theme::Theme;

/// One thing shown on a day.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// `slot`, `article`, `observance` or `issue`.
    pub kind: &'static str,
    /// State key for the colour (`planned`, `at-risk`, …, `observance`,
    /// `issue`, `empty-issue`).
    pub state: String,
    /// Text label of the state.
    pub label: String,
    pub title: String,
    /// The article's workflow state when it differs from the plan label.
    pub workflow: Option<String>,
    pub segment_text: String,
    pub owner_text: String,
    /// Space-separated ids for the filter script; `None` = not filterable.
    pub segments: Option<String>,
    pub specialties: Option<String>,
    pub owners: Option<String>,
    /// Site-relative source file of the article, for editors.
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub date: String,
    pub day: u32,
    pub weekday: String,
    pub in_month: bool,
    pub today: bool,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub start: String,
    pub end: String,
    pub days: Vec<DayView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    pub date: String,
    pub kind: &'static str,
    pub label: String,
    /// The parts the template phrases the gap from (see `Gap`).
    pub name: String,
    pub pending: usize,
    pub other_date: Option<String>,
    pub topic: Option<String>,
    pub workflow: Option<String>,
    pub segments: Option<String>,
    pub specialties: Option<String>,
    pub owners: Option<String>,
}

fn join(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(" "))
}

fn person_names(site: &Site, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            site.config
                .people
                .get(id)
                .map_or(id.as_str(), |p| p.name.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn entry_item(site: &Site, labels: &Labels, e: &Entry) -> ItemView {
    let label = labels.state(e.state);
    // Only a risk state hides the workflow state, so only then is it shown.
    let workflow = e
        .workflow
        .filter(|_| e.state.is_risk())
        .map(|w| labels.state(w.into()));
    let article = e.article.map(|i| &site.articles[i]);
    let note = match (e.slot, article) {
        (Some(_), Some(a)) if a.date != e.date => Some(format!(
            "{} {}",
            labels.get("ed_article_date", "article dated"),
            a.date
        )),
        _ => None,
    };
    ItemView {
        kind: if e.slot.is_some() { "slot" } else { "article" },
        state: e.state.key().to_string(),
        label,
        title: e.title.clone(),
        workflow,
        segment_text: e.segments.join(", "),
        owner_text: person_names(site, &e.owners),
        segments: join(&e.segments),
        specialties: join(&e.specialties),
        owners: join(&e.owners),
        source: article.map(|a| a.source.to_string_lossy().replace('\\', "/")),
        note,
    }
}

/// Items per day for the whole window.
fn items_by_day(site: &Site, labels: &Labels, s: &Schedule) -> BTreeMap<NaiveDate, Vec<ItemView>> {
    let mut days: BTreeMap<NaiveDate, Vec<ItemView>> = BTreeMap::new();
    for o in &s.observances {
        days.entry(o.date).or_default().push(ItemView {
            kind: "observance",
            state: "observance".into(),
            label: labels.get("ed_observance", "observance"),
            title: o.name.clone(),
            workflow: None,
            segment_text: String::new(),
            owner_text: String::new(),
            segments: None,
            specialties: o.specialty.clone(),
            owners: None,
            source: None,
            note: o.specialty.as_ref().map(|sp| {
                site.config
                    .term_name("specialty", sp, &site.config.language)
            }),
        });
    }
    for i in &s.issues {
        let empty = i.ready == 0;
        days.entry(i.date).or_default().push(ItemView {
            kind: "issue",
            state: if empty {
                "empty-issue".into()
            } else {
                "issue".into()
            },
            label: if empty {
                labels.get("gap_empty_issue", "empty newsletter issue")
            } else {
                labels.get("ed_issue", "newsletter issue")
            },
            title: i.name.clone(),
            workflow: None,
            segment_text: i.segment.clone(),
            owner_text: String::new(),
            segments: Some(i.segment.clone()),
            specialties: None,
            owners: None,
            source: None,
            note: Some(format!(
                "{} {} / {} {}",
                i.ready,
                labels.get("ed_ready", "approved"),
                i.total,
                labels.get("ed_articles", "articles")
            )),
        });
    }
    for e in &s.entries {
        days.entry(e.date)
            .or_default()
            .push(entry_item(site, labels, e));
    }
    days
}

pub fn gap_view(labels: &Labels, g: &Gap) -> GapView {
    GapView {
        date: g.date.to_string(),
        kind: g.kind.key(),
        label: labels.gap(g.kind),
        name: g.name.clone(),
        pending: g.pending,
        other_date: g.other_date.map(|d| d.to_string()),
        topic: g.topic.clone(),
        workflow: g.workflow.map(|w| labels.state(w.into())),
        segments: join(&g.segments),
        specialties: join(&g.specialties),
        owners: join(&g.owners),
    }
}

fn weekday_name(labels: &Labels, d: NaiveDate) -> String {
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let n = d.weekday().num_days_from_monday() as usize;
    labels.get(&format!("ed_weekday_{}", n + 1), EN[n])
}

fn day_view(
    labels: &Labels,
    days: &BTreeMap<NaiveDate, Vec<ItemView>>,
    d: NaiveDate,
    month: NaiveDate,
    today: NaiveDate,
) -> DayView {
    DayView {
        date: d.to_string(),
        day: d.day(),
        weekday: weekday_name(labels, d),
        in_month: d.month() == month.month() && d.year() == month.year(),
        today: d == today,
        items: days.get(&d).cloned().unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct FilterOption {
    id: String,
    name: String,
}

/// Filter choices: every segment, specialty and owner that appears.
fn filters(site: &Site, s: &Schedule) -> BTreeMap<&'static str, Vec<FilterOption>> {
    let segments: BTreeSet<&String> = site
        .calendar
        .newsletters
        .iter()
        .map(|n| &n.segment)
        .collect();
    let specialties: BTreeSet<&String> = s
        .entries
        .iter()
        .flat_map(|e| &e.specialties)
        .chain(s.observances.iter().filter_map(|o| o.specialty.as_ref()))
        .collect();
    let owners: BTreeSet<&String> = s.entries.iter().flat_map(|e| &e.owners).collect();
    let mut out = BTreeMap::new();
    out.insert(
        "segment",
        segments
            .into_iter()
            .map(|id| FilterOption {
                id: id.clone(),
                name: id.clone(),
            })
            .collect(),
    );
    out.insert(
        "specialty",
        specialties
            .into_iter()
            .map(|id| FilterOption {
                id: id.clone(),
                name: site
                    .config
                    .term_name("specialty", id, &site.config.language),
            })
            .collect(),
    );
    out.insert(
        "owner",
        owners
            .into_iter()
            .map(|id| FilterOption {
                id: id.clone(),
                name: person_names(site, std::slice::from_ref(id)),
            })
            .collect(),
    );
    out
}

/// Every schedule page as (path under editorial/, html).
pub fn pages(
    site: &Site,
    theme: &Theme,
    labels: &Labels,
    s: &Schedule,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let days = items_by_day(site, labels, s);
    let filter_options = filters(site, s);
    let legend: Vec<(String, String)> = crate::model::schedule::PlanState::ALL
        .iter()
        .map(|st| (st.key().to_string(), labels.state(*st)))
        .collect();
    let months = s.months();
    let month_id = |m: NaiveDate| format!("{:04}-{:02}", m.year(), m.month());
    let mut out = Vec::with_capacity(months.len() + 1);
    let current = first_of_month(site.today);
    for (mi, &month) in months.iter().enumerate() {
        let grid_start = week_start(month);
        let weeks: Vec<Vec<DayView>> = (0..6)
            .map(|w| {
                (0..7)
                    .map(|d| {
                        day_view(
                            labels,
                            &days,
                            grid_start + Duration::days(w * 7 + d),
                            month,
                            site.today,
                        )
                    })
                    .collect()
            })
            .collect();
        let last = last_of_month(month);
        let list: Vec<WeekView> = weeks
            .iter()
            .filter(|w| w.iter().any(|d| d.in_month))
            .map(|w| WeekView {
                start: w[0].date.clone(),
                end: w[6].date.clone(),
                days: w.iter().filter(|d| !d.items.is_empty()).cloned().collect(),
            })
            .collect();
        let month_gaps: Vec<GapView> = s
            .gaps
            .iter()
            .filter(|g| g.date >= month && g.date <= last)
            .map(|g| gap_view(labels, g))
            .collect();
        for is_index in [false, true] {
            if is_index && month != current {
                continue;
            }
            let base = if is_index { "../" } else { "../../" };
            let title = format!(
                "{} {}",
                labels.get("ed_schedule", "Editorial schedule"),
                month_id(month)
            );
            let mut ctx = editorial_context(site, labels, &title, base);
            ctx.insert("month", &month_id(month));
            ctx.insert(
                "weekdays",
                &(0..7)
                    .map(|d| weekday_name(labels, grid_start + Duration::days(d)))
                    .collect::<Vec<_>>(),
            );
            ctx.insert("weeks", &weeks);
            ctx.insert("list", &list);
            ctx.insert("prev", &mi.checked_sub(1).map(|p| month_id(months[p])));
            ctx.insert("next", &months.get(mi + 1).map(|&n| month_id(n)));
            ctx.insert("current", &month_id(current));
            ctx.insert("is_index", &is_index);
            ctx.insert("filters", &filter_options);
            ctx.insert("legend", &legend);
            ctx.insert("horizon", &s.horizon.to_string());
            if is_index {
                ctx.insert(
                    "gaps",
                    &s.gaps
                        .iter()
                        .map(|g| gap_view(labels, g))
                        .collect::<Vec<_>>(),
                );
            } else {
                ctx.insert("gaps", &month_gaps);
            }
            ctx.insert(
                "segments",
                &site
                    .calendar
                    .newsletters
                    .iter()
                    .map(|n| &n.segment)
                    .collect::<Vec<_>>(),
            );
            let html = theme.render("editorial/schedule.html", &ctx)?;
            let path = if is_index {
                "schedule/index.html".to_string()
            } else {
                format!("schedule/{}/index.html", month_id(month))
            };
            out.push((path, html));
        }
    }
    Ok(out)
}
