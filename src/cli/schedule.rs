//! `healthpress schedule [--weeks N] [--as-of DATE]`: the coming weeks of the
//! editorial schedule as a plain terminal table (slots, articles, observances
//! and newsletter issues with their states), followed by the gaps and risks.
//! States are text labels; colours are added only when stdout is a terminal
//! and `NO_COLOR` is unset.

use std::io::IsTerminal;
use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::model::schedule::{Gap, GapKind, PlanState, Schedule};
use crate::model::Site;

/// One table row.
struct Row {
    date: NaiveDate,
    kind: &'static str,
    state: String,
    /// ANSI colour code for the state, if any.
    colour: &'static str,
    segment: String,
    owner: String,
    title: String,
}

fn colour(state: PlanState) -> &'static str {
    match state {
        PlanState::AtRisk => "1;33",
        PlanState::Missed => "1;31",
        PlanState::Published => "32",
        PlanState::Approved => "36",
        PlanState::StaleApproval | PlanState::ChangesRequested => "35",
        _ => "",
    }
}

/// The table and gap list for `weeks` weeks from today, as text.
pub fn render(site: &Site, schedule: &Schedule, weeks: u32, ansi: bool) -> String {
    let today = site.today;
    let end = today + Duration::days(7 * weeks as i64 - 1);
    let mut rows: Vec<Row> = Vec::new();
    for e in schedule.entries_between(today, end) {
        rows.push(Row {
            date: e.date,
            kind: if e.slot.is_some() { "slot" } else { "article" },
            state: e.state.label().to_string(),
            colour: colour(e.state),
            segment: e.segments.join(","),
            owner: e.owners.join(","),
            title: e.title.clone(),
        });
    }
    for i in schedule
        .issues
        .iter()
        .filter(|i| i.date >= today && i.date <= end)
    {
        rows.push(Row {
            date: i.date,
            kind: "issue",
            state: if i.ready == 0 {
                "empty issue".into()
            } else {
                format!("{} ready", i.ready)
            },
            colour: if i.ready == 0 { "1;31" } else { "" },
            segment: i.segment.clone(),
            owner: String::new(),
            title: i.name.clone(),
        });
    }
    for o in schedule
        .observances
        .iter()
        .filter(|o| o.date >= today && o.date <= end)
    {
        rows.push(Row {
            date: o.date,
            kind: "observance",
            state: "observance".into(),
            colour: "",
            segment: String::new(),
            owner: String::new(),
            title: o.name.clone(),
        });
    }
    rows.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| a.title.cmp(&b.title))
    });

    let mut out = format!("Editorial schedule, {today} to {end} (as of {today})\n\n");
    let state_w = rows
        .iter()
        .map(|r| r.state.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let seg_w = rows
        .iter()
        .map(|r| r.segment.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let own_w = rows
        .iter()
        .map(|r| r.owner.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    out += &format!(
        "{:<10}  {:<3}  {:<10}  {:<state_w$}  {:<seg_w$}  {:<own_w$}  TITLE\n",
        "DATE", "DAY", "KIND", "STATE", "SEGMENT", "OWNER"
    );
    let mut week = None;
    for r in &rows {
        let w = crate::model::schedule::week_start(r.date);
        if week.is_some_and(|x| x != w) {
            out.push('\n');
        }
        week = Some(w);
        let state = format!("{:<state_w$}", r.state);
        let state = if ansi && !r.colour.is_empty() {
            format!("\x1b[{}m{state}\x1b[0m", r.colour)
        } else {
            state
        };
        out += &format!(
            "{:<10}  {:<3}  {:<10}  {state}  {:<seg_w$}  {:<own_w$}  {}\n",
            r.date.to_string(),
            r.date.format("%a").to_string(),
            r.kind,
            r.segment,
            r.owner,
            r.title
        );
    }
    if rows.is_empty() {
        out += "(nothing planned)\n";
    }
    let gaps: Vec<_> = schedule
        .gaps
        .iter()
        .filter(|g| {
            g.date <= end
                && (g.date >= crate::model::schedule::week_start(today)
                    || g.kind == GapKind::Missed)
        })
        .collect();
    out += &format!(
        "\nGaps and risks ({}; gaps are looked for through {}):\n",
        gaps.len(),
        schedule.horizon
    );
    for g in &gaps {
        let label = if ansi {
            format!("\x1b[1m{}\x1b[0m", g.kind.label())
        } else {
            g.kind.label().to_string()
        };
        out += &format!("  {}  {label}: {}\n", g.date, describe(g));
    }
    if gaps.is_empty() {
        out += "  none\n";
    }
    out
}

/// One English sentence on a gap, for the terminal. (The HTML view
/// phrases gaps from the same fields with the theme's labels.)
fn describe(g: &Gap) -> String {
    let other = g.other_date.map_or_else(String::new, |d| d.to_string());
    match g.kind {
        GapKind::EmptyIssue if g.pending == 0 => {
            format!("{} on {} has no articles", g.name, g.date)
        }
        GapKind::EmptyIssue => format!(
            "{} on {} has no approved articles ({} not yet approved)",
            g.name, g.date, g.pending
        ),
        GapKind::UncoveredObservance => format!(
            "{} ({}): no published or scheduled {} article from {other} to {}",
            g.name,
            g.date,
            g.topic.as_deref().unwrap_or(""),
            g.date
        ),
        GapKind::QuietWeek => format!(
            "audience {}: nothing new in the week of {} to {other}",
            g.name, g.date
        ),
        GapKind::AtRisk | GapKind::Missed => {
            let what = match g.workflow {
                Some(state) => format!("article is {}", state.label()),
                None => "no article yet".to_string(),
            };
            if g.kind == GapKind::AtRisk {
                format!("“{}” is due {} and not approved ({what})", g.name, g.date)
            } else {
                format!(
                    "“{}” was due {} and is not published ({what})",
                    g.name, g.date
                )
            }
        }
    }
}

/// `healthpress schedule`'s command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// How many weeks to show, starting today (1 to 520).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=520))]
    pub weeks: u32,
    /// Compute states as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = super::shared::parse_as_of)]
    pub as_of: Option<NaiveDate>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<i32> {
    let site = match crate::build::open_site(root, args.as_of) {
        Ok(site) => site,
        Err(diagnostics) => {
            super::shared::print_diagnostics(&diagnostics);
            eprintln!("healthpress: the site has errors; fix them to see the schedule");
            return Ok(super::shared::failure_code(&diagnostics));
        }
    };
    // Articles withheld by their own errors (or compliance errors) are left
    // out, as the build leaves them out; say why.
    super::shared::print_diagnostics(&site.withheld);
    let schedule = Schedule::build(&site);
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print!("{}", render(&site, &schedule, args.weeks, ansi));
    Ok(0)
}
