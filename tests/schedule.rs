//! The editorial schedule end to end: a fixture calendar with every planning
//! state and every gap kind, built with the real binary; labels asserted in
//! the parsed HTML; the .ics files checked by the `icalendar` crate's parser; and
//! editorial content never leaking into public/.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{all_files, output_text, ArticleSpec, Fixture, SITE_YAML};
use scraper::{Html, Selector};

const TODAY: &str = "2026-12-01";

const CALENDAR: &str = r#"seasons:
  winter: { from: 12-01, to: 02-28 }
observances:
  - { date: 12-10, name: 儿童健康日, name_en: Kids Day, specialty: pediatrics }
  - { date: 12-20, name: 心脏日, name_en: Heart Day, specialty: cardiology }
newsletters:
  - { segment: parents, name: 家长周刊, cadence: weekly, day: monday, audience: [parents], start: 2026-11-02 }
  - { segment: seniors, name: 银发周刊, cadence: weekly, day: monday, audience: [seniors], start: 2026-11-02 }
slots:
  - { id: plan-far, date: 2026-12-22, theme: 冬季护肤计划, segment: parents, owner: editor-sun }
  - { id: plan-soon, date: 2026-12-04, theme: 流感季计划, segment: seniors, owner: editor-sun }
  - { id: plan-past, date: 2026-11-20, theme: 过期的计划, segment: parents, owner: editor-sun }
  - { id: slot-draft, date: 2026-12-28, article: draft-later, segment: parents, owner: editor-sun }
"#;

/// Writes an article whose review block names `reviewer` even when it is not
/// approved (the fixture builder only does that for approvals).
fn with_reviewer(fx: &Fixture, spec: &ArticleSpec, reviewer: &str) {
    let text = spec.to_markdown().replacen(
        &format!("  status: {}\n", spec.status),
        &format!("  status: {}\n  reviewer: {reviewer}\n", spec.status),
        1,
    );
    fx.write(&format!("content/{}.md", spec.slug), &text);
}

fn fixture() -> Fixture {
    let fx = Fixture::with_config(SITE_YAML, CALENDAR);
    fx.article(&ArticleSpec::new("pub-recent", "已发布的文章").date("2026-11-10"));
    fx.article(&ArticleSpec::new("approved-future", "已批准待发布").date("2026-12-05"));
    fx.article(
        &ArticleSpec::new("draft-later", "以后的草稿")
            .date("2026-12-28")
            .status("draft"),
    );
    with_reviewer(
        &fx,
        &ArticleSpec::new("review-later", "以后的待审稿")
            .date("2026-12-15")
            .status("in-review"),
        "dr-li",
    );
    fx.article(
        &ArticleSpec::new("changes-later", "要求修改的稿件")
            .date("2026-12-16")
            .status("changes-requested"),
    );
    fx.article(
        &ArticleSpec::new("stale-later", "签发后被改的稿件")
            .date("2026-12-18")
            .stale(),
    );
    with_reviewer(
        &fx,
        &ArticleSpec::new("risk-review", "临期未批准")
            .date("2026-12-03")
            .status("in-review"),
        "dr-wang",
    );
    fx.article(
        &ArticleSpec::new("missed-draft", "错过日期的草稿")
            .date("2026-11-25")
            .status("draft"),
    );
    // Approved long ago: due for re-review (max_age_days 730).
    let mut old = ArticleSpec::new("due-rereview", "审核已久的文章")
        .date("2024-02-01")
        .audience(&["seniors"]);
    old.review_date = "2024-01-25".into();
    fx.article(&old);
    fx
}

fn html(path: &Path) -> Html {
    Html::parse_document(
        &fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// (data-state, badge text) of the first schedule item whose title is `title`.
fn item_state(doc: &Html, title: &str) -> (String, String) {
    for li in doc.select(&sel("li.ed-item[data-kind]")) {
        let t: String = li
            .select(&sel(".ed-title"))
            .flat_map(|e| e.text())
            .collect();
        if t == title {
            let badge: String = li
                .select(&sel(".ed-badge"))
                .flat_map(|e| e.text())
                .collect();
            return (li.value().attr("data-state").unwrap().to_string(), badge);
        }
    }
    panic!("no schedule item titled {title}");
}

#[test]
fn every_state_and_gap_is_labelled() {
    let fx = fixture();
    fx.build(TODAY);
    let ed = fx.root().join("editorial");
    let dec = html(&ed.join("schedule/index.html"));
    let expect = [
        ("冬季护肤计划", "planned", "已计划"),
        ("流感季计划", "at-risk", "有风险"),
        ("以后的草稿", "draft", "草稿"),
        ("以后的待审稿", "in-review", "审核中"),
        ("要求修改的稿件", "changes-requested", "要求修改"),
        ("已批准待发布", "approved", "已批准（待发布）"),
        ("签发后被改的稿件", "stale-approval", "审核失效"),
        ("临期未批准", "at-risk", "有风险"),
    ];
    for (title, state, label) in expect {
        assert_eq!(
            item_state(&dec, title),
            (state.to_string(), label.to_string()),
            "{title}"
        );
    }
    // The workflow state beside a risk badge is in the site's language, and
    // only risk badges get one (an approved item is not "approved (scheduled)").
    for li in dec.select(&sel("li.ed-item[data-kind]")) {
        let workflow: String = li
            .select(&sel(".ed-workflow"))
            .flat_map(|e| e.text())
            .collect();
        let state = li.value().attr("data-state").unwrap();
        if !matches!(state, "at-risk" | "missed") {
            assert_eq!(workflow, "", "{state}");
        }
        assert!(
            !workflow.chars().any(|c| c.is_ascii_alphabetic()),
            "{workflow}"
        );
    }
    let nov = html(&ed.join("schedule/2026-11/index.html"));
    assert_eq!(
        item_state(&nov, "已发布的文章"),
        ("published".into(), "已发布".into())
    );
    assert_eq!(
        item_state(&nov, "过期的计划"),
        ("missed".into(), "已错过".into())
    );
    assert_eq!(
        item_state(&nov, "错过日期的草稿"),
        ("missed".into(), "已错过".into())
    );

    // Today is marked once in the grid.
    let today: Vec<_> = dec.select(&sel("td.ed-is-today time")).collect();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].value().attr("datetime"), Some(TODAY));
    // Six-week grid, previous/next month pages.
    assert_eq!(dec.select(&sel("table.ed-grid tbody tr")).count(), 6);
    assert!(dec
        .select(&sel("a[rel=prev][href$='2026-11/index.html']"))
        .next()
        .is_some());
    assert!(dec
        .select(&sel("a[rel=next][href$='2027-01/index.html']"))
        .next()
        .is_some());

    // Gaps and risks list: every kind, risks first, each group by date.
    let gaps: Vec<(String, String, String)> = dec
        .select(&sel("ol.ed-gaplist li.ed-gap"))
        .map(|li| {
            let date = li
                .select(&sel("time"))
                .next()
                .unwrap()
                .value()
                .attr("datetime")
                .unwrap()
                .to_string();
            let text: String = li.text().collect();
            (date, li.value().attr("data-gap").unwrap().to_string(), text)
        })
        .collect();
    let has =
        |kind: &str, needle: &str| gaps.iter().any(|(_, k, t)| k == kind && t.contains(needle));
    assert!(has("missed", "过期的计划"), "{gaps:#?}");
    assert!(has("missed", "错过日期的草稿"));
    assert!(has("at-risk", "流感季计划"));
    assert!(has("at-risk", "临期未批准"));
    assert!(has("empty-issue", "银发周刊: 这一期没有文章"), "{gaps:#?}");
    assert!(has("uncovered-observance", "心脏日"));
    assert!(
        !has("uncovered-observance", "儿童健康日"),
        "covered by approved-future"
    );
    // Quiet weeks: one line per audience, with the number of weeks.
    assert!(has("quiet-week", "职场人群: "), "{gaps:#?}");
    assert!(has("quiet-week", "周没有新内容"), "{gaps:#?}");
    let quiet_lines = |aud: &str| {
        gaps.iter()
            .filter(|(_, k, t)| k == "quiet-week" && t.contains(aud))
            .count()
    };
    assert_eq!(quiet_lines("职场人群"), 1, "{gaps:#?}");
    let risk = |k: &str| ["missed", "at-risk", "old-article"].contains(&k);
    let first_hole = gaps.iter().position(|(_, k, _)| !risk(k)).unwrap();
    assert!(
        gaps[first_hole..].iter().all(|(_, k, _)| !risk(k)),
        "risks first: {gaps:#?}"
    );
    for group in [&gaps[..first_hole], &gaps[first_hole..]] {
        let urgency = |k: &str| {
            [
                "missed",
                "at-risk",
                "old-article",
                "empty-issue",
                "uncovered-observance",
                "quiet-week",
            ]
            .iter()
            .position(|x| *x == k)
        };
        assert!(
            group
                .windows(2)
                .all(|w| (urgency(&w[0].1), &w[0].0) <= (urgency(&w[1].1), &w[1].0)),
            "each kind by date: {gaps:#?}"
        );
    }
    assert!(
        gaps.iter().any(|(_, _, t)| t.contains("空期刊")),
        "kind has a text label"
    );

    // Newsletter issues show their article counts.
    let issue = dec
        .select(&sel("li.ed-item[data-kind=issue][data-segment=parents]"))
        .map(|li| li.text().collect::<String>())
        .find(|t| t.contains("家长周刊"))
        .expect("parents issue in December");
    assert!(issue.contains("篇文章"), "{issue}");
    // Observances appear on their day.
    assert!(dec
        .select(&sel("li.ed-item[data-kind=observance]"))
        .any(|li| li.text().any(|t| t.contains("心脏日"))));
    // Filters are data attributes; the form is hidden without JavaScript.
    assert!(dec
        .select(&sel(
            "form#ed-filter[hidden] select[name=owner] option[value=editor-sun]"
        ))
        .next()
        .is_some());
}

#[test]
fn review_dashboard_lists_every_queue() {
    let fx = fixture();
    fx.build(TODAY);
    let doc = html(&fx.root().join("editorial/review/index.html"));
    let slugs = |section: &str| -> Vec<String> {
        doc.select(&sel(&format!("section#{section} tr[data-slug]")))
            .map(|tr| tr.value().attr("data-slug").unwrap().to_string())
            .collect()
    };
    assert_eq!(slugs("awaiting-dr-li"), vec!["review-later"]);
    assert_eq!(slugs("awaiting-dr-wang"), vec!["risk-review"]);
    assert_eq!(slugs("stale"), vec!["stale-later"]);
    assert_eq!(slugs("changes"), vec!["changes-later"]);
    assert_eq!(slugs("due"), vec!["due-rereview"]);
}

#[test]
fn editorial_never_leaks_into_public_and_is_deterministic() {
    let fx = fixture();
    fx.build(TODAY);
    let public = all_files(&fx.public());
    for (path, bytes) in &public {
        assert!(
            !path.contains("editorial") && !path.ends_with(".ics"),
            "{path} in public/"
        );
        let text = String::from_utf8_lossy(bytes);
        for draft in [
            "以后的草稿",
            "以后的待审稿",
            "要求修改的稿件",
            "签发后被改的稿件",
            "临期未批准",
            "冬季护肤计划",
            "ed-badge",
        ] {
            assert!(!text.contains(draft), "{path} contains {draft}");
        }
    }
    let first = all_files(&fx.root().join("editorial"));
    assert!(first.iter().any(|(p, _)| p == "calendar.ics"));
    assert!(first.iter().any(|(p, _)| p == "calendar-seniors.ics"));
    fx.build(TODAY);
    assert_eq!(
        first,
        all_files(&fx.root().join("editorial")),
        "same plan, same bytes"
    );

    // A failing build changes neither output.
    fx.write(
        "calendar.yaml",
        &CALENDAR.replace("article: draft-later", "article: no-such-slug"),
    );
    let out = fx.run(&["build", "--as-of", TODAY]);
    assert!(!out.status.success());
    assert_eq!(first, all_files(&fx.root().join("editorial")));
    assert_eq!(public, all_files(&fx.public()));
}

#[test]
fn ics_feeds_pass_a_strict_parser() {
    let fx = fixture();
    fx.build(TODAY);
    let ed = fx.root().join("editorial");
    let ics: Vec<PathBuf> = fs::read_dir(&ed)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ics"))
        .collect();
    assert_eq!(ics.len(), 3, "calendar.ics and one per segment");
    let all = fs::read_to_string(ed.join("calendar.ics")).unwrap();
    assert!(all.contains("UID:plan-soon.slot@health.test.example\r\n"));
    assert!(
        all.contains("DTSTART;VALUE=DATE:20261204\r\nSUMMARY:[seniors] 流感季计划 (有风险)")
            || all.contains("SUMMARY:[seniors] 流感季计划 (有风险)")
    );
    assert!(all.contains("DTSTAMP:20000101T000000Z\r\n"));
    let seniors = fs::read_to_string(ed.join("calendar-seniors.ics")).unwrap();
    assert!(seniors.contains("流感季计划") && !seniors.contains("冬季护肤计划"));

    let mut events = 0;
    for path in &ics {
        events += check_ics_strictly(path);
    }
    assert!(events >= 4, "the fixture plan has at least four events");
}

/// Strictly checks one .ics file with the `icalendar` crate's parser plus the
/// RFC 5545 essentials the editorial feed must meet: CRLF line ends, lines of
/// at most 75 octets, VERSION and PRODID, and for every VEVENT exactly one
/// UID, DTSTAMP, DTSTART and a DTEND after DTSTART of the same value type.
/// Returns the number of events. (The validation lane checks the example
/// site's feeds once more with Python's icalendar.)
fn check_ics_strictly(path: &Path) -> usize {
    let raw = fs::read_to_string(path).unwrap();
    let name = path.display();
    assert!(raw.ends_with("\r\n"), "{name}: does not end with CRLF");
    for (n, line) in raw.split("\r\n").enumerate() {
        assert!(
            !line.contains(['\r', '\n']),
            "{name}:{}: bare CR or LF",
            n + 1
        );
        assert!(
            line.len() <= 75,
            "{name}:{}: line is {} octets (> 75)",
            n + 1,
            line.len()
        );
    }
    let unfolded = icalendar::parser::unfold(&raw);
    let components = icalendar::parser::read_components(&unfolded)
        .unwrap_or_else(|e| panic!("{name}: does not parse:\n{e}"));
    assert_eq!(components.len(), 1, "{name}: one VCALENDAR");
    let cal = &components[0];
    assert_eq!(cal.name.as_str(), "VCALENDAR");
    for key in ["VERSION", "PRODID"] {
        assert!(
            cal.find_prop(key).is_some(),
            "{name}: VCALENDAR lacks {key}"
        );
    }
    assert_eq!(cal.find_prop("VERSION").unwrap().val.as_str(), "2.0");
    let mut events = 0;
    for ev in cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
    {
        events += 1;
        let uid = ev.find_prop("UID").map(|p| p.val.as_str().to_string());
        for key in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"] {
            let count = ev
                .properties
                .iter()
                .filter(|p| p.name.as_str() == key)
                .count();
            assert_eq!(count, 1, "{name}: VEVENT {uid:?} has {count} {key}");
        }
        let value_type = |key: &str| {
            let prop = ev.find_prop(key).unwrap();
            let kind = prop
                .params
                .iter()
                .find(|p| p.key.as_str() == "VALUE")
                .and_then(|p| p.val.as_ref().map(|v| v.as_str().to_string()));
            (kind, prop.val.as_str().to_string())
        };
        let (start_kind, start) = value_type("DTSTART");
        let (end_kind, end) = value_type("DTEND");
        assert_eq!(
            start_kind, end_kind,
            "{name}: VEVENT {uid:?}: DTSTART and DTEND types differ"
        );
        if start_kind.as_deref() == Some("DATE") {
            for v in [&start, &end] {
                assert!(
                    v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()),
                    "{name}: VEVENT {uid:?}: {v} is not a DATE"
                );
            }
        }
        assert!(
            end > start,
            "{name}: VEVENT {uid:?}: DTEND {end} is not after DTSTART {start}"
        );
    }
    events
}

#[test]
fn calendar_errors_name_file_and_line() {
    let fx = Fixture::with_config(
        SITE_YAML,
        &CALENDAR
            .replace(
                "article: draft-later, segment: parents",
                "article: nope, segment: kids",
            )
            .replace("id: plan-past", "id: plan-far"),
    );
    fx.article(
        &ArticleSpec::new("draft-later", "以后的草稿")
            .date("2026-12-28")
            .status("draft"),
    );
    let out = fx.run(&["build", "--as-of", TODAY]);
    let text = output_text(&out);
    assert!(!out.status.success());
    assert!(
        text.contains("calendar.yaml:13:"),
        "unknown slug / segment on line 13:\n{text}"
    );
    assert!(
        text.contains("unknown-article") && text.contains("unknown-segment"),
        "{text}"
    );
    assert!(
        text.contains("calendar.yaml:12:") && text.contains("duplicate-slot-id"),
        "{text}"
    );

    let fx = Fixture::with_config(
        SITE_YAML,
        &CALENDAR.replace("date: 2026-12-22", "date: 2026-13-22"),
    );
    let out = fx.run(&["build", "--as-of", TODAY]);
    let text = output_text(&out);
    assert!(
        text.contains("calendar.yaml:10:") && text.contains("2026-13-22"),
        "{text}"
    );
}

#[test]
fn schedule_cli_prints_states_and_gaps() {
    let fx = fixture();
    let out = fx.run(&["schedule", "--as-of", TODAY, "--weeks", "3"]);
    let text = output_text(&out);
    assert!(out.status.success(), "{text}");
    for needle in [
        "at risk",
        "approved (scheduled)",
        "in review",
        "changes requested",
        "stale approval",
        "empty issue",
        "Gaps and risks",
        "observance without an article",
        "weeks with nothing new",
        "missed: “过期的计划”",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    // Risks head the list, before the holes in the plan.
    let gaps = &text[text.find("Gaps and risks").unwrap()..];
    let missed = gaps.find("missed:").unwrap();
    let empty = gaps.find("empty newsletter issue").unwrap();
    assert!(missed < empty, "{gaps}");
    assert!(!text.contains('\x1b'), "no colours when not a terminal");
    assert!(
        !text.contains("冬季护肤计划"),
        "2026-12-22 is beyond three weeks"
    );
}
