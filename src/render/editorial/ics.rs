//! iCalendar (RFC 5545) feeds of the schedule, through the `icalendar` crate
//! (it folds lines at 75 octets with CRLF and escapes text values).
//!
//! - All-day events: `DTSTART;VALUE=DATE` and `DTEND;VALUE=DATE` one day
//!   later (the crate's `all_day()` writes DTEND = DTSTART, which RFC 5545
//!   §3.8.2.2 forbids, so it is not used).
//! - Stable UIDs: `<slot id>.slot@<host>`, `<slug>.article@<host>`,
//!   `<segment>-<date>.issue@<host>`, `<date>-<name>.observance@<host>`.
//! - `DTSTAMP` is the fixed [`dtstamp`] (2000-01-01T00:00:00Z) so an unchanged
//!   plan gives byte-identical files; a wall-clock stamp would make every
//!   build differ. (Summaries carry states, which change as today moves.)
//! - Summaries name the segment and the state: `[parents] 流感疫苗 (at risk)`.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use super::labels::Labels;
use crate::model::schedule::{Entry, Schedule};
use crate::model::slug::slugify;
use crate::model::Site;

/// The fixed DTSTAMP of every event: 2000-01-01T00:00:00Z.
pub fn dtstamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .expect("valid constant")
}

fn all_day(event: &mut Event, date: NaiveDate) {
    event.starts(date).ends(date + Duration::days(1));
}

fn entry_event(site: &Site, labels: &Labels, host: &str, e: &Entry) -> Event {
    let mut ev = Event::new();
    let kind = if e.slot.is_some() { "slot" } else { "article" };
    let uid = format!("{}.{kind}@{host}", e.uid);
    let segment = if e.segments.is_empty() {
        "-".to_string()
    } else {
        e.segments.join(", ")
    };
    ev.uid(&uid).timestamp(dtstamp()).summary(&format!(
        "[{segment}] {} ({})",
        e.title,
        labels.state(e.state)
    ));
    all_day(&mut ev, e.date);
    let mut desc = vec![format!("state: {}", e.state.label())];
    if let Some(w) = e.workflow {
        desc.push(format!("review: {}", w.label()));
    }
    if !e.owners.is_empty() {
        desc.push(format!("owner: {}", e.owners.join(", ")));
    }
    if let Some(i) = e.article {
        desc.push(format!(
            "source: {}",
            site.articles[i].source.to_string_lossy()
        ));
    }
    ev.description(&desc.join("\n"));
    ev.categories([e.state.key()]);
    ev.done()
}

/// One calendar with the given events.
fn calendar(name: &str, events: Vec<Event>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        "-//healthpress//editorial schedule//EN",
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.name(name);
    for ev in events {
        cal.push(ev);
    }
    cal.done().to_string()
}

/// `calendar.ics` and `calendar-<segment>.ics`, as (path, text).
pub fn feeds(site: &Site, labels: &Labels, s: &Schedule) -> Vec<(String, String)> {
    let host = site.config.host().to_string();
    let entry_events: Vec<(Vec<String>, Event)> = s
        .entries
        .iter()
        .map(|e| (e.segments.clone(), entry_event(site, labels, &host, e)))
        .collect();
    let issue_events: Vec<(String, Event)> = s
        .issues
        .iter()
        .map(|i| {
            let mut ev = Event::new();
            let status = if i.ready == 0 {
                labels.get("gap_empty_issue", "empty newsletter issue")
            } else {
                format!("{} {}", i.ready, labels.get("ed_articles", "articles"))
            };
            ev.uid(&format!("{}-{}.issue@{host}", i.segment, i.date))
                .timestamp(dtstamp())
                .summary(&format!("[{}] {} ({status})", i.segment, i.name));
            all_day(&mut ev, i.date);
            ev.categories([if i.ready == 0 { "empty-issue" } else { "issue" }]);
            (i.segment.clone(), ev.done())
        })
        .collect();
    let observance_events: Vec<(Vec<String>, Event)> = s
        .observances
        .iter()
        .map(|o| {
            let mut ev = Event::new();
            ev.uid(&format!(
                "{}-{}.observance@{host}",
                o.date,
                slugify(o.name_en.as_deref().unwrap_or(&o.name))
            ))
            .timestamp(dtstamp())
            .summary(&format!(
                "{} ({})",
                o.name,
                labels.get("ed_observance", "observance")
            ));
            all_day(&mut ev, o.date);
            ev.categories(["observance"]);
            (o.audience.clone(), ev.done())
        })
        .collect();

    let title = labels.get("ed_schedule", "Editorial schedule");
    let mut all: Vec<Event> = Vec::new();
    all.extend(observance_events.iter().map(|(_, e)| e.clone()));
    all.extend(issue_events.iter().map(|(_, e)| e.clone()));
    all.extend(entry_events.iter().map(|(_, e)| e.clone()));
    let mut out = vec![(
        "calendar.ics".to_string(),
        calendar(&format!("{} – {title}", site.config.title), all),
    )];
    for n in &site.calendar.newsletters {
        let mut events: Vec<Event> = Vec::new();
        // Observances for everyone, or for one of the segment's audiences.
        events.extend(
            observance_events
                .iter()
                .filter(|(aud, _)| aud.is_empty() || aud.iter().any(|a| n.audience.contains(a)))
                .map(|(_, e)| e.clone()),
        );
        events.extend(
            issue_events
                .iter()
                .filter(|(seg, _)| *seg == n.segment)
                .map(|(_, e)| e.clone()),
        );
        events.extend(
            entry_events
                .iter()
                .filter(|(segs, _)| segs.contains(&n.segment))
                .map(|(_, e)| e.clone()),
        );
        out.push((
            format!("calendar-{}.ics", n.segment),
            calendar(
                &format!("{} – {title} – {}", site.config.title, n.name),
                events,
            ),
        ));
    }
    out
}
