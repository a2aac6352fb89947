//! Newsletter issues: when each segment's issues fall (from its cadence in
//! calendar.yaml) and which articles each issue carries. Digests render
//! these; the schedule view shows them and flags empty ones as gaps.

use chrono::{Datelike, Duration, NaiveDate};

use crate::config::calendar::{Cadence, IssueDay, Newsletter};

use super::{Article, Site, State};

/// One issue of one segment's newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub segment: String,
    pub date: NaiveDate,
    /// Articles first published after this date (exclusive) and on or before
    /// `date` belong to the issue: the previous issue's date, or one cadence
    /// period before the first issue.
    pub window_start: NaiveDate,
    /// Indices into `site.articles`, newest first.
    pub articles: Vec<usize>,
}

/// Whether `article` is for this newsletter's segment: it is in the
/// newsletter's language (`default_lang` unless it says `lang:`; any with
/// `any_language: true`), shares an audience and, if the newsletter names
/// specialties, a specialty.
pub fn matches(newsletter: &Newsletter, article: &Article, default_lang: &str) -> bool {
    (newsletter.any_language || article.lang == newsletter.language(default_lang))
        && article
            .audience
            .iter()
            .any(|a| newsletter.audience.contains(a))
        && (newsletter.specialty.is_empty()
            || article
                .specialty
                .iter()
                .any(|s| newsletter.specialty.contains(s)))
}

/// The first issue date on or after `from`.
fn first_on_or_after(newsletter: &Newsletter, from: NaiveDate) -> NaiveDate {
    match newsletter.day {
        IssueDay::Weekday(wd) => {
            let ahead = (wd.num_days_from_monday() as i64
                - from.weekday().num_days_from_monday() as i64)
                .rem_euclid(7);
            from + Duration::days(ahead)
        }
        IssueDay::MonthDay(d) => {
            let this_month = NaiveDate::from_ymd_opt(from.year(), from.month(), d)
                .expect("day 1-28 exists in every month");
            if this_month >= from {
                this_month
            } else {
                add_months(this_month, 1)
            }
        }
    }
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .expect("dates stay in range")
}

fn next_issue(newsletter: &Newsletter, date: NaiveDate) -> NaiveDate {
    match newsletter.cadence {
        Cadence::Weekly => date + Duration::days(7),
        Cadence::Biweekly => date + Duration::days(14),
        Cadence::Monthly => add_months(date, 1),
    }
}

fn previous_period(newsletter: &Newsletter, date: NaiveDate) -> NaiveDate {
    match newsletter.cadence {
        Cadence::Weekly => date - Duration::days(7),
        Cadence::Biweekly => date - Duration::days(14),
        Cadence::Monthly => date
            .checked_sub_months(chrono::Months::new(1))
            .expect("dates stay in range"),
    }
}

/// A Monday: biweekly segments without `start` send in the even weeks
/// counted from it.
const BIWEEKLY_EPOCH: (i32, u32, u32) = (1970, 1, 5);

/// Issue dates from the newsletter's `start` (or `default_start`) through
/// `until`, inclusive.
///
/// Without `start`, a biweekly segment's weeks are fixed by
/// [`BIWEEKLY_EPOCH`], not by `default_start`: callers pass the earliest
/// article they count, which differs between the public build, a preview
/// and the schedule, and the three must agree on the dates.
pub fn issue_dates(
    newsletter: &Newsletter,
    default_start: NaiveDate,
    until: NaiveDate,
) -> Vec<NaiveDate> {
    let start = newsletter.start.map_or(default_start, |d| d.0);
    let mut dates = Vec::new();
    let mut date = first_on_or_after(newsletter, start);
    if newsletter.start.is_none() && newsletter.cadence == Cadence::Biweekly {
        let (y, m, d) = BIWEEKLY_EPOCH;
        let epoch = NaiveDate::from_ymd_opt(y, m, d).expect("valid constant");
        if (date - epoch).num_days().div_euclid(7) % 2 == 1 {
            date += Duration::days(7);
        }
    }
    while date <= until {
        dates.push(date);
        date = next_issue(newsletter, date);
    }
    dates
}

/// Every issue of `newsletter` through `until`, with its articles. `include`
/// decides which article states count: the public build passes only
/// `Published`; previews and the schedule may include `Scheduled`.
/// Issues whose window holds no article are returned with an empty list;
/// callers decide whether that is a gap or simply no issue.
pub fn issues(
    site: &Site,
    newsletter: &Newsletter,
    until: NaiveDate,
    include: impl Fn(State) -> bool,
) -> Vec<Issue> {
    let relevant: Vec<usize> = (0..site.articles.len())
        .filter(|&i| {
            include(site.states[i]) && matches(newsletter, &site.articles[i], &site.config.language)
        })
        .collect();
    let earliest = relevant
        .iter()
        .map(|&i| site.articles[i].date)
        .min()
        .unwrap_or(site.today);
    let dates = issue_dates(newsletter, earliest, until);
    let mut out = Vec::with_capacity(dates.len());
    let mut window_start = dates
        .first()
        .map_or(earliest, |&d| previous_period(newsletter, d));
    for date in dates {
        let articles = relevant
            .iter()
            .copied()
            .filter(|&i| site.articles[i].date > window_start && site.articles[i].date <= date)
            .collect();
        out.push(Issue {
            segment: newsletter.segment.clone(),
            date,
            window_start,
            articles,
        });
        window_start = date;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;

    fn nl(yaml: &str) -> Newsletter {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn weekly_biweekly_monthly_dates() {
        let weekly = nl("{ segment: p, name: n, cadence: weekly, day: monday, audience: [p], start: 2026-11-04 }");
        assert_eq!(
            issue_dates(&weekly, d("2000-01-01"), d("2026-11-23")),
            vec![d("2026-11-09"), d("2026-11-16"), d("2026-11-23")]
        );
        let biweekly = nl("{ segment: s, name: n, cadence: biweekly, day: thursday, audience: [s], start: 2026-11-05 }");
        assert_eq!(
            issue_dates(&biweekly, d("2000-01-01"), d("2026-12-03")),
            vec![d("2026-11-05"), d("2026-11-19"), d("2026-12-03")]
        );
        // Without `start`, biweekly weeks do not depend on where counting
        // begins: the build, a preview and the schedule pass different
        // earliest articles and must get the same dates.
        let free = nl("{ segment: s, name: n, cadence: biweekly, day: monday, audience: [s] }");
        let from_16 = issue_dates(&free, d("2026-11-16"), d("2026-12-31"));
        let from_23 = issue_dates(&free, d("2026-11-23"), d("2026-12-31"));
        assert!(from_16
            .iter()
            .all(|x| from_23.contains(x) || *x < d("2026-11-23")));
        assert!(from_23.iter().all(|x| from_16.contains(x)));
        assert_eq!(
            from_16.windows(2).map(|w| (w[1] - w[0]).num_days()).max(),
            Some(14)
        );
        let monthly = nl("{ segment: o, name: n, cadence: monthly, day: 1, audience: [o] }");
        assert_eq!(
            issue_dates(&monthly, d("2026-10-15"), d("2027-01-01")),
            vec![d("2026-11-01"), d("2026-12-01"), d("2027-01-01")]
        );
    }
}
