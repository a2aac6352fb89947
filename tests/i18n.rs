//! A site in two languages (docs/languages.md): Chinese by default, English
//! under /en/, with translated and untranslated articles and translations
//! that are not public. hreflang pairs are reciprocal and only between
//! public pages; nothing unpublished is linked or named; English pages show
//! no Chinese outside article content and proper names; per-language feeds,
//! sitemap and digests; `lang:` outside the site's languages is an error.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{all_files_readable, output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};
use scraper::{ElementRef, Html, Selector};

const TODAY: &str = "2026-11-23";
const ORIGIN: &str = "https://health.test.example";

fn site_yaml() -> String {
    let people = "people:\n  dr-wang: { name: 王明, name_en: Wang Ming, title: 主任医师, title_en: Chief Physician, specialty: cardiology, affiliation: 心血管内科, affiliation_en: Cardiology, signing_keys: [\"DR_WANG_KEY\"] }\n  dr-li: { name: 李静, name_en: Li Jing, title: 主任医师, title_en: Chief Physician, specialty: pediatrics, affiliation: 儿科, affiliation_en: Pediatrics, signing_keys: [\"DR_LI_KEY\"] }\n  editor-sun: { name: 孙悦, name_en: Sun Yue, title: 健康传播编辑, title_en: Health Communication Editor }\n";
    let start = SITE_YAML.find("people:").unwrap();
    let end = SITE_YAML.find("review:").unwrap();
    format!(
        "{}{people}{}languages:\n  en:\n    title: Test Hospital Health\n    description: Reviewed health articles.\n    disclaimer: For health education only; it does not replace a doctor.\n    publisher: Test Hospital\n",
        &SITE_YAML[..start],
        &SITE_YAML[end..]
    )
}

fn calendar_yaml() -> String {
    CALENDAR_YAML.replace(
        "slots: []",
        "  - { segment: parents-en, name: 家长英文周刊, name_en: Parents Weekly, lang: en, cadence: weekly, day: monday, audience: [parents], start: 2026-09-07 }\nslots: []",
    )
}

fn english(slug: &str, title: &str) -> ArticleSpec {
    ArticleSpec::new(slug, title)
        .summary(&format!("What to know about {title}."))
        .body(&format!(
            "## Key points\n\n{title}. Drink water and rest.\n"
        ))
        .front("lang: en")
}

/// The fixture: `fever` (zh) with its public English translation
/// `fever-en`; `heart` (zh) whose English translation `heart-en` is a
/// draft; `cough-en` (en, public) whose Chinese original `cough` is
/// scheduled; `vaccines` (zh only); `travel-en` (en only).
fn two_language_site() -> Fixture {
    let site = Fixture::with_config(&site_yaml(), &calendar_yaml());
    site.article(&ArticleSpec::new("fever", "儿童发烧怎么办").date("2026-10-05"));
    site.article(
        &english("fever-en", "Fever in children")
            .date("2026-10-06")
            .front("translation_of: fever"),
    );
    site.article(&ArticleSpec::new("heart", "冬季护心").date("2026-10-07"));
    site.article(
        &english("heart-en", "Zqxdraft winter heart care")
            .status("draft")
            .front("translation_of: heart"),
    );
    site.article(&ArticleSpec::new("cough", "Zqxscheduled咳嗽").date("2026-12-20"));
    site.article(
        &english("cough-en", "Cough in children")
            .date("2026-10-08")
            .front("translation_of: cough"),
    );
    site.article(&ArticleSpec::new("vaccines", "疫苗接种").date("2026-10-09"));
    site.article(&english("travel-en", "Travel health").date("2026-10-10"));
    site
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// (hreflang, href) of a page's `<link rel="alternate" hreflang>`.
fn alternates(html: &Html) -> Vec<(String, String)> {
    select(html, "link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap().to_string(),
                l.value().attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

/// The file of `public/` an absolute URL of the site is served from.
fn file_of(url: &str) -> String {
    let path = url.strip_prefix(ORIGIN).expect("a URL of the site");
    format!("public{path}index.html")
}

#[test]
fn hreflang_pairs_are_reciprocal_and_only_between_public_pages() {
    let site = two_language_site();
    site.build(TODAY);
    let pages: Vec<(String, Vec<u8>)> = all_files_readable(&site.public())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .collect();
    let mut checked = 0;
    for (path, bytes) in &pages {
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        let links = alternates(&html);
        if links.is_empty() {
            continue;
        }
        checked += 1;
        let own = format!("{ORIGIN}/{}", path.trim_end_matches("index.html"));
        let lang = select(&html, "html")[0]
            .value()
            .attr("lang")
            .unwrap()
            .to_string();
        assert!(
            links.contains(&(lang.clone(), own.clone())),
            "{path} names itself as {lang}: {links:?}"
        );
        assert_eq!(
            links.iter().filter(|(l, _)| l == "x-default").count(),
            1,
            "{path}"
        );
        for (hreflang, href) in &links {
            let target = file_of(href);
            assert!(
                site.root().join(&target).exists(),
                "{path} -> {href} exists"
            );
            let other = Html::parse_document(&site.read(&target));
            let back = alternates(&other);
            assert!(
                back.iter().any(|(_, u)| *u == own),
                "{href} links back to {own}: {back:?}"
            );
            if hreflang != "x-default" {
                let other_lang = select(&other, "html")[0].value().attr("lang").unwrap();
                assert_eq!(
                    other_lang, hreflang,
                    "{href} is in the language it is named for"
                );
            }
        }
    }
    assert!(checked >= 4, "pages with alternates: {checked}");

    // The translated pair, with x-default on the Chinese original.
    let fever = Html::parse_document(&site.read("public/articles/fever/index.html"));
    assert_eq!(
        alternates(&fever),
        vec![
            ("zh-Hans".into(), format!("{ORIGIN}/articles/fever/")),
            ("en".into(), format!("{ORIGIN}/articles/fever-en/")),
            ("x-default".into(), format!("{ORIGIN}/articles/fever/")),
        ]
    );
    // A translation that is not public is never linked: no alternates at
    // all, and the switcher goes to the other language's home page.
    for (page, home) in [("heart", "/en/"), ("cough-en", "/")] {
        let html = Html::parse_document(&site.read(&format!("public/articles/{page}/index.html")));
        assert!(alternates(&html).is_empty(), "{page}");
        let switch: Vec<&str> = select(&html, ".lang-switch a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(switch, vec![home], "{page}");
    }
    let switch = select(&fever, ".lang-switch a");
    assert_eq!(switch[0].value().attr("href"), Some("/articles/fever-en/"));
    assert_eq!(switch[0].text().collect::<String>(), "English");
}

#[test]
fn unpublished_translations_are_never_named_anywhere() {
    let site = two_language_site();
    site.build(TODAY);
    for (path, bytes) in all_files_readable(&site.public()) {
        if path.starts_with("pagefind/") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["Zqxdraft", "Zqxscheduled", "heart-en", "articles/cough/"] {
            assert!(!text.contains(marker), "{path} names {marker}");
        }
    }
}

/// Text of `el` outside article content (the body, its title and summary,
/// sources), elements in another language (`lang="zh-Hans"`, e.g. the
/// switcher's 中文) and scripts.
fn visible_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            let v = e.value();
            let other_lang = v.attr("lang").is_some_and(|l| !l.starts_with("en"));
            let content = v.has_class("content", scraper::CaseSensitivity::CaseSensitive)
                || v.has_class("sources", scraper::CaseSensitivity::CaseSensitive);
            if other_lang || content || matches!(v.name(), "script" | "style") {
                continue;
            }
            for attr in ["content", "title", "aria-label", "placeholder", "alt"] {
                if let Some(a) = v.attr(attr) {
                    out.push_str(a);
                    out.push('\n');
                }
            }
            visible_text(e, out);
        } else if let Some(t) = child.value().as_text() {
            out.push_str(t);
        }
    }
}

fn has_cjk(text: &str) -> Option<char> {
    text.chars()
        .find(|c| matches!(*c as u32, 0x3400..=0x9fff | 0x3000..=0x303f | 0xff00..=0xffef))
}

#[test]
fn english_pages_are_english_outside_article_content() {
    let site = two_language_site();
    site.build(TODAY);
    let mut english_pages = 0;
    for (path, bytes) in all_files_readable(&site.public()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let root = select(&html, "html")[0];
        if !root
            .value()
            .attr("lang")
            .is_some_and(|l| l.starts_with("en"))
        {
            continue;
        }
        english_pages += 1;
        let mut text = String::new();
        visible_text(root, &mut text);
        if let Some(c) = has_cjk(&text) {
            panic!("{path} shows {c:?} on an English page:\n{text}");
        }
        for ld in select(&html, "script[type='application/ld+json']") {
            let json: serde_json::Value =
                serde_json::from_str(&ld.text().collect::<String>()).unwrap();
            for key in ["reviewedBy", "author", "publisher", "medicalAudience"] {
                if let Some(c) = has_cjk(&json[key].to_string()) {
                    panic!("{path}: JSON-LD {key} holds {c:?}: {}", json[key]);
                }
            }
            assert_eq!(json["inLanguage"], "en", "{path}");
        }
    }
    assert!(english_pages >= 20, "English pages: {english_pages}");
    let fever = Html::parse_document(&site.read("public/articles/fever-en/index.html"));
    let article = select(&fever, "article")[0].text().collect::<String>();
    assert!(
        article.contains("Wang Ming") || article.contains("Li Jing"),
        "{article}"
    );
    assert!(
        article.contains("6 October 2026"),
        "English date: {article}"
    );
    assert!(
        article.contains("does not replace a doctor"),
        "English disclaimer"
    );
    let zh = Html::parse_document(&site.read("public/articles/fever/index.html"));
    let text = select(&zh, "article")[0].text().collect::<String>();
    assert!(text.contains("2026年10月5日"), "Chinese date: {text}");
    assert!(text.contains("不能代替医生的诊断"), "Chinese disclaimer");
}

#[test]
fn every_language_has_its_home_term_pages_and_feeds() {
    let site = two_language_site();
    site.build(TODAY);
    let cards = |rel: &str| -> BTreeSet<String> {
        let html = Html::parse_document(&site.read(rel));
        select(&html, ".card-title a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    let zh = cards("public/index.html");
    let en = cards("public/en/index.html");
    assert!(zh.contains("/articles/fever/") && zh.contains("/articles/vaccines/"));
    assert!(!zh.iter().any(|u| u.ends_with("-en/")), "{zh:?}");
    assert_eq!(
        en,
        [
            "/articles/cough-en/",
            "/articles/fever-en/",
            "/articles/travel-en/"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    let term = cards("public/en/audience/parents/index.html");
    assert!(term.contains("/articles/travel-en/") && !term.contains("/articles/fever/"));
    let en_home = Html::parse_document(&site.read("public/en/index.html"));
    assert_eq!(select(&en_home, "html")[0].value().attr("lang"), Some("en"));
    assert!(site
        .read("public/en/index.html")
        .contains("Test Hospital Health"));
    let nav: Vec<&str> = select(&en_home, ".site-header nav a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(nav.contains(&"/en/audience/"), "{nav:?}");

    // Feeds per language: well-formed Atom, in their language, holding only
    // their language's public articles.
    for (feed, lang, must, must_not) in [
        ("public/atom.xml", "zh-Hans", "/articles/fever/", "fever-en"),
        (
            "public/en/atom.xml",
            "en",
            "/articles/fever-en/",
            "/articles/fever/",
        ),
        (
            "public/en/audience/parents/atom.xml",
            "en",
            "/articles/travel-en/",
            "/articles/vaccines/",
        ),
        (
            "public/audience/parents/atom.xml",
            "zh-Hans",
            "/articles/vaccines/",
            "travel-en",
        ),
    ] {
        let xml = site.read(feed);
        let entries = parse_atom(&xml, feed);
        assert!(xml.contains(&format!("xml:lang=\"{lang}\"")), "{feed}");
        assert!(
            entries.iter().any(|u| u.ends_with(must)),
            "{feed}: {entries:?}"
        );
        assert!(
            !entries.iter().any(|u| u.contains(must_not)),
            "{feed}: {entries:?}"
        );
    }
    let en_feed = site.read("public/en/atom.xml");
    assert!(en_feed.contains("<name>Test Hospital</name>") && en_feed.contains("Sun Yue"));
}

/// Parses an Atom feed strictly (quick-xml) and returns its entries' links.
fn parse_atom(xml: &str, name: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut links = Vec::new();
    let mut depth = 0usize;
    let mut in_entry = false;
    let mut names: Vec<String> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                if e.name().as_ref() == "entry" {
                    in_entry = true;
                }
                names.push(e.name().as_ref().to_string());
            }
            Ok(Event::Empty(e)) => {
                if in_entry && e.name().as_ref() == "link" {
                    for a in e.attributes() {
                        let a = a.unwrap();
                        if a.key.as_ref() == "href" {
                            links.push(a.value.to_string());
                        }
                    }
                }
            }
            Ok(Event::End(e)) => {
                assert_eq!(names.pop().as_deref(), Some(e.name().as_ref()), "{name}");
                depth -= 1;
                if e.name().as_ref() == "entry" {
                    in_entry = false;
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    assert_eq!(depth, 0, "{name}");
    links
}

#[test]
fn sitemap_entries_carry_alternates_of_public_translations_only() {
    let site = two_language_site();
    site.build(TODAY);
    let xml = site.read("public/sitemap.xml");
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut entries: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = String::new();
    let mut in_loc = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "loc" => in_loc = true,
            Ok(Event::Text(t)) if in_loc => {
                current = t.to_string();
                entries.insert(current.clone(), Vec::new());
                in_loc = false;
            }
            Ok(Event::Empty(e)) if e.name().as_ref() == "xhtml:link" => {
                let get = |k: &str| {
                    e.attributes()
                        .map(|a| a.unwrap())
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| a.value.to_string())
                        .unwrap()
                };
                entries
                    .get_mut(&current)
                    .unwrap()
                    .push((get("hreflang"), get("href")));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("sitemap.xml is not well-formed: {e}"),
        }
    }
    let fever = &entries[&format!("{ORIGIN}/articles/fever/")];
    assert!(fever.contains(&("en".into(), format!("{ORIGIN}/articles/fever-en/"))));
    assert_eq!(entries[&format!("{ORIGIN}/articles/fever-en/")], *fever);
    assert!(entries[&format!("{ORIGIN}/articles/heart/")].is_empty());
    assert!(entries[&format!("{ORIGIN}/articles/cough-en/")].is_empty());
    let home = &entries[&format!("{ORIGIN}/en/")];
    assert!(home.contains(&("zh-Hans".into(), format!("{ORIGIN}/"))));
    assert!(home.contains(&("x-default".into(), format!("{ORIGIN}/"))));
    assert!(entries.contains_key(&format!("{ORIGIN}/en/specialty/pediatrics/")));
    // Every alternate is itself an entry of the sitemap (a public page).
    for (url, alts) in &entries {
        for (_, href) in alts {
            assert!(entries.contains_key(href), "{url} -> {href}");
        }
    }
    assert!(!xml.contains("heart-en") && !xml.contains("/articles/cough/"));
}

#[test]
fn newsletter_issues_keep_to_their_language() {
    let site = two_language_site();
    site.build(TODAY);
    let issues = |segment: &str| -> Vec<String> {
        let dir = site.public().join("digests").join(segment);
        let mut all = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.join("email.txt").exists() {
                all.push(std::fs::read_to_string(p.join("email.txt")).unwrap());
            }
        }
        all
    };
    let zh = issues("parents");
    let en = issues("parents-en");
    assert!(!zh.is_empty() && !en.is_empty());
    for text in &zh {
        assert!(
            !text.contains("-en/"),
            "a Chinese issue carries an English article:\n{text}"
        );
    }
    for text in &en {
        assert!(!text.contains("/articles/fever/") && !text.contains("/articles/vaccines/"));
        assert!(text.contains("Parents Weekly"), "{text}");
        assert!(
            has_cjk(text).is_none(),
            "English issue shows Chinese:\n{text}"
        );
    }
    let page = site.read(&format!("public/digests/parents-en/{}", "index.html"));
    assert!(page.contains("lang=\"en\""));
}

#[test]
fn a_language_outside_the_list_is_an_error_naming_the_allowed_ones() {
    let site = two_language_site();
    site.article(&ArticleSpec::new("japanese", "Japanese").front("lang: ja"));
    let out = site.run(&["check", "--as-of", TODAY]);
    let shown = output_text(&out);
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("`lang: ja` is not one of the site's languages: zh-Hans, en"),
        "{shown}"
    );
    assert!(shown.contains("content/japanese.md"), "{shown}");
}

#[test]
fn translation_links_must_name_an_article_once_per_language() {
    let site = two_language_site();
    site.article(&english("fever-en2", "Fever again").front("translation_of: fever"));
    site.article(&english("lost", "Lost").front("translation_of: no-such-article"));
    let out = site.run(&["check", "--as-of", TODAY]);
    let shown = output_text(&out);
    assert!(!out.status.success());
    assert!(
        shown.contains("translation_of `no-such-article` is not the slug"),
        "{shown}"
    );
    assert!(
        shown.contains("duplicate-translation") || shown.contains("also in `en`"),
        "{shown}"
    );
}

#[test]
fn a_site_without_languages_keeps_its_urls_and_listings() {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("fever", "儿童发烧怎么办"));
    site.article(&english("travel-en", "Travel health"));
    site.build(TODAY);
    assert!(!Path::new(&site.public().join("en")).exists());
    let home = site.read("public/index.html");
    assert!(home.contains("/articles/travel-en/") && home.contains("/articles/fever/"));
    assert!(!home.contains("hreflang") && !home.contains("lang-switch"));
    let page = site.read("public/articles/travel-en/index.html");
    assert!(page.contains("lang=\"en\"") && page.contains("Disclaimer"));
}
