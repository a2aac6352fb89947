//! Date forms used in YAML: full dates (`2026-12-01`) and yearless month-days
//! (`12-01`, for seasons and observances). Parsing happens inside serde so a
//! bad date is reported at its exact line and column.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                parse_date(v).map(Date).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a valid date; write it as YYYY-MM-DD, e.g. 2026-12-01"
                    ))
                })
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// Parses a strict `YYYY-MM-DD` (no times, no other separators).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date as readers of `lang` write it: `2026年12月1日` in Chinese and
/// Japanese, `1 December 2026` in English (day first: unambiguous for
/// readers on both sides of the Atlantic), `2026-12-01` otherwise.
pub fn long_date(date: NaiveDate, lang: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let primary = lang
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "zh" | "ja" => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        "en" => format!(
            "{} {} {}",
            date.day(),
            MONTHS[date.month0() as usize],
            date.year()
        ),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// A yearless date written `MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub fn of(date: NaiveDate) -> MonthDay {
        MonthDay {
            month: date.month(),
            day: date.day(),
        }
    }

    /// This month-day in `year`; Feb 29 falls back to Feb 28 in common years.
    pub fn in_year(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
            .expect("month-day validated at parse time")
    }

    /// Whether `date` falls in the inclusive range `from..=to`, which may wrap
    /// the year end (winter: 12-01..02-28). A range ending on Feb 28 includes
    /// Feb 29 in leap years, which is what an editor writing `02-28` means.
    pub fn range_contains(from: MonthDay, to: MonthDay, date: NaiveDate) -> bool {
        let mut md = MonthDay::of(date);
        if md == (MonthDay { month: 2, day: 29 }) && to == (MonthDay { month: 2, day: 28 }) {
            md = to;
        }
        if from <= to {
            from <= md && md <= to
        } else {
            md >= from || md <= to
        }
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bad = || {
            de::Error::custom(format!(
                "`{text}` is not a valid month-day; write it as MM-DD, e.g. 11-14"
            ))
        };
        let (m, d) = text.trim().split_once('-').ok_or_else(bad)?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        // 2024 is a leap year, so 02-29 is accepted.
        NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(bad)?;
        Ok(MonthDay { month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_follow_the_language() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(long_date(d, "zh-Hans"), "2026年12月1日");
        assert_eq!(long_date(d, "en"), "1 December 2026");
        assert_eq!(long_date(d, "en-GB"), "1 December 2026");
        assert_eq!(long_date(d, "fr"), "2026-12-01");
    }

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2026-12-01").is_some());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026/12/01").is_none());
        assert!(parse_date("26-12-01").is_none());
    }

    #[test]
    fn wrapping_season_ranges() {
        let from = MonthDay { month: 12, day: 1 };
        let to = MonthDay { month: 2, day: 28 };
        assert!(MonthDay::range_contains(from, to, d("2026-12-01")));
        assert!(MonthDay::range_contains(from, to, d("2027-01-15")));
        assert!(MonthDay::range_contains(from, to, d("2028-02-29")));
        assert!(!MonthDay::range_contains(from, to, d("2027-03-01")));
        assert!(!MonthDay::range_contains(from, to, d("2026-11-30")));
    }

    #[test]
    fn bad_date_error_has_position() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            date: Date,
        }
        let err = serde_yaml::from_str::<T>("date: 2026-02-30\n").unwrap_err();
        assert!(err.to_string().contains("not a valid date"), "{err}");
        assert_eq!(err.location().map(|l| l.line()), Some(1));
    }
}
