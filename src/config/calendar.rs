//! `calendar.yaml`: seasons, observance days, newsletter cadences and planned
//! slots. The schedule view, the digests and the home page's "in season"
//! list all read their dates from here.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::de::{self, Deserializer};
use serde::Deserialize;

use super::dates::{Date, MonthDay};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    #[serde(default)]
    pub seasons: BTreeMap<String, SeasonRange>,
    #[serde(default)]
    pub observances: Vec<Observance>,
    #[serde(default)]
    pub newsletters: Vec<Newsletter>,
    #[serde(default)]
    pub slots: Vec<Slot>,
    /// Who must get something new every week; absent: everyone.
    #[serde(default)]
    pub weekly_content: WeeklyContent,
}

/// Which audiences and newsletter segments need new content every week
/// (calendar.yaml `weekly_content:`): the schedule reports a quiet week
/// only for these audiences and an empty issue only for these segments.
/// A list left out means every audience (every newsletter).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyContent {
    #[serde(default)]
    pub audiences: Option<Vec<String>>,
    #[serde(default)]
    pub segments: Option<Vec<String>>,
}

impl WeeklyContent {
    pub fn audience_needs_it(&self, audience: &str) -> bool {
        self.audiences
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == audience))
    }

    pub fn segment_needs_it(&self, segment: &str) -> bool {
        self.segments
            .as_ref()
            .is_none_or(|list| list.iter().any(|s| s == segment))
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonRange {
    pub from: MonthDay,
    pub to: MonthDay,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observance {
    pub date: MonthDay,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub specialty: Option<String>,
    #[serde(default)]
    pub audience: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
}

/// The day an issue goes out: a weekday for weekly/biweekly cadences, a day
/// of the month (1-28, so every month has it) for monthly ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueDay {
    Weekday(Weekday),
    MonthDay(u32),
}

impl<'de> Deserialize<'de> for IssueDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        match &value {
            serde_yaml::Value::Number(n) => match n.as_u64() {
                Some(d @ 1..=28) => Ok(IssueDay::MonthDay(d as u32)),
                _ => Err(de::Error::custom(format!(
                    "`{n}` is not a usable day of the month; use 1 to 28 so every month has it"
                ))),
            },
            serde_yaml::Value::String(s) => s
                .to_ascii_lowercase()
                .parse::<Weekday>()
                .map(IssueDay::Weekday)
                .map_err(|_| {
                    de::Error::custom(format!("`{s}` is not a weekday; use monday … sunday"))
                }),
            _ => Err(de::Error::custom(
                "`day` must be a weekday (monday … sunday) or a day of the month (1-28)",
            )),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Newsletter {
    pub segment: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub cadence: Cadence,
    pub day: IssueDay,
    pub audience: Vec<String>,
    #[serde(default)]
    pub specialty: Vec<String>,
    /// First issue date; issues before it are never generated.
    #[serde(default)]
    pub start: Option<Date>,
    /// The language of the issues (default: the site's); an issue carries
    /// only articles in it.
    #[serde(default)]
    pub lang: Option<String>,
    /// Carry articles of every language (an issue then may mix them).
    #[serde(default)]
    pub any_language: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    #[serde(default)]
    pub id: Option<String>,
    pub date: Date,
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    pub segment: String,
    #[serde(default)]
    pub owner: Option<String>,
}

impl Newsletter {
    /// The newsletter's name in `lang`: `name_en` for English, if given.
    pub fn display_name(&self, lang: &str) -> &str {
        match &self.name_en {
            Some(en) if super::language::is_english(lang) => en,
            _ => &self.name,
        }
    }

    /// The language of its issues: `lang:`, or the site's `default`.
    pub fn language<'a>(&'a self, default: &'a str) -> &'a str {
        self.lang.as_deref().unwrap_or(default)
    }
}

impl Slot {
    /// Stable id used for iCalendar UIDs: the explicit id, else date + article
    /// or theme, so reordering slots in the file does not change it.
    pub fn stable_id(&self) -> String {
        if let Some(id) = &self.id {
            return id.clone();
        }
        let what = self.article.clone().unwrap_or_else(|| {
            let t = self.theme.as_deref().unwrap_or("slot");
            crate::model::slug::slugify(t)
        });
        format!("slot-{}-{}-{}", self.date.0, self.segment, what)
    }
}

impl Calendar {
    /// The seasons (by id) that `date` falls in, in calendar.yaml order
    /// (a BTreeMap, so alphabetical) plus `all-year`, which always applies.
    pub fn seasons_on(&self, date: NaiveDate) -> Vec<String> {
        let mut seasons: Vec<String> = self
            .seasons
            .iter()
            .filter(|(_, r)| MonthDay::range_contains(r.from, r.to, date))
            .map(|(id, _)| id.clone())
            .collect();
        seasons.push("all-year".into());
        seasons
    }

    /// Observances falling in `from..=to` (inclusive), with their dates in
    /// that window, sorted by date.
    pub fn observances_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(NaiveDate, &Observance)> {
        let mut hits = Vec::new();
        for year in from.year()..=to.year() {
            for o in &self.observances {
                let date = o.date.in_year(year);
                if date >= from && date <= to {
                    hits.push((date, o));
                }
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::dates::parse_date;

    const CAL: &str = "seasons:\n  winter: { from: 12-01, to: 02-28 }\n  autumn: { from: 09-01, to: 11-30 }\nobservances:\n  - { date: 11-14, name: 世界糖尿病日, specialty: endocrinology }\n  - { date: 12-01, name: 世界艾滋病日 }\nnewsletters:\n  - { segment: parents, name: N, cadence: weekly, day: monday, audience: [parents] }\n  - { segment: office, name: M, cadence: monthly, day: 1, audience: [office-workers] }\nslots:\n  - { date: 2026-12-08, theme: 冬季防跌倒, segment: seniors, owner: editor-zhou }\n";

    #[test]
    fn parses_the_documented_form() {
        let cal: Calendar = serde_yaml::from_str(CAL).unwrap();
        assert_eq!(cal.newsletters[0].day, IssueDay::Weekday(Weekday::Mon));
        assert_eq!(cal.newsletters[1].day, IssueDay::MonthDay(1));
        assert_eq!(
            cal.slots[0].stable_id(),
            "slot-2026-12-08-seniors-dong-ji-fang-die-dao"
        );
    }

    #[test]
    fn seasons_and_observances_by_date() {
        let cal: Calendar = serde_yaml::from_str(CAL).unwrap();
        let today = parse_date("2026-11-22").unwrap();
        assert_eq!(cal.seasons_on(today), vec!["autumn", "all-year"]);
        let next = cal.observances_between(today, parse_date("2027-11-30").unwrap());
        assert_eq!(next[0].1.name, "世界艾滋病日");
        assert_eq!(next[1].0, parse_date("2027-11-14").unwrap());
    }

    #[test]
    fn bad_issue_day_is_explained() {
        let err = serde_yaml::from_str::<Calendar>(
            "newsletters:\n  - { segment: a, name: b, cadence: monthly, day: 31, audience: [x] }\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("1 to 28"), "{err}");
    }
}
