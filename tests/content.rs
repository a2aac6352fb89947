//! Article content end to end with the real binary: images next to an
//! article published with hashed names and variants (and cached across
//! builds), callouts and the emergency box, video embeds, and what the
//! digest e-mail and the feeds make of them.

mod common;

use std::collections::HashSet;
use std::fs;
use std::io::Cursor;
use std::path::Path;

use common::{output_text, ArticleSpec, Fixture, CALENDAR_YAML, SITE_YAML};
use scraper::{Html, Selector};

fn site_yaml() -> String {
    format!(
        "{SITE_YAML}content:\n  emergency_number: \"120\"\n  embeds: [bilibili]\n  images: {{ widths: [240, 480] }}\n"
    )
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn write_bytes(fx: &Fixture, rel: &str, bytes: &[u8]) {
    let path = fx.root().join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

const BODY: &str = "## 体温怎么看\n\n![体温曲线：发热第一天到第三天逐渐下降](img/chart.png)\n\n[下载护理讲义](handout.pdf)\n\n> [!WARNING]\n> 不要给儿童用阿司匹林退热。\n\n> [!EMERGENCY]\n> 出现抽搐、呼吸困难时[^1]：\n\n[洗手六步法](https://www.bilibili.com/video/BV1GJ411x7h7)\n\n<iframe src=\"https://evil.example/embed/1\" title=\"别处的视频\"></iframe>\n\n[YouTube 上的洗手视频](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n![退热贴贴在额头正中](img/chart.png \"第二次出现\")\n\n[^1]: 三岁以下儿童尤其要注意。\n";

/// A published article with a bundle (`content/kids/`), a second one
/// whose footnote ids collide with the first's, and a draft with an image.
fn fixture() -> Fixture {
    let fx = Fixture::with_config(&site_yaml(), CALENDAR_YAML);
    let fever = ArticleSpec::new("fever", "儿童发热").body(BODY);
    fx.write("content/kids/fever.md", &fever.to_markdown());
    write_bytes(&fx, "content/kids/img/chart.png", &png(600, 300));
    write_bytes(&fx, "content/kids/handout.pdf", b"%PDF-1.4 handout");
    let other = ArticleSpec::new("cough", "儿童咳嗽")
        .date("2026-10-02")
        .body("## 体温怎么看\n\n咳嗽[^1]。\n\n[^1]: 注释。\n");
    fx.article(&other);
    let draft = ArticleSpec::new("secret-draft", "草稿")
        .status("draft")
        .body("![草稿里的图](secret.png)\n");
    fx.write("content/drafts/secret-draft.md", &draft.to_markdown());
    write_bytes(&fx, "content/drafts/secret.png", &png(40, 20));
    fx
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn article_files(fx: &Fixture) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fx.public().join("articles/fever"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The page, its poster and the QR code of WeChat posts (tests/wechat.rs).
        .filter(|n| n != "index.html" && n != "qr.png" && n != "poster")
        .collect();
    names.sort();
    names
}

#[test]
fn bundle_images_are_published_hashed_with_variants_and_markup() {
    let fx = fixture();
    fx.build("2026-10-12");
    let names = article_files(&fx);
    assert_eq!(names.len(), 4, "{names:?}");
    let hash = names[0].split('.').nth(1).unwrap().to_string();
    assert_eq!(hash.len(), 10);
    assert!(names.contains(&format!("chart.{hash}.png")), "{names:?}");
    for (w, h) in [(240, 120), (480, 240)] {
        let bytes = fs::read(
            fx.public()
                .join(format!("articles/fever/chart.{hash}.{w}.png")),
        )
        .unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (w, h));
    }
    assert!(names
        .iter()
        .any(|n| n.starts_with("handout.") && n.ends_with(".pdf")));
    // The source is published byte for byte.
    assert_eq!(
        fs::read(fx.public().join(format!("articles/fever/chart.{hash}.png"))).unwrap(),
        png(600, 300)
    );

    let page = Html::parse_document(&fx.read("public/articles/fever/index.html"));
    let imgs: Vec<_> = page.select(&sel(".content img")).collect();
    assert_eq!(imgs.len(), 2);
    let first = imgs[0].value();
    // 600 px is wider than every configured width: the widest variant is
    // the largest candidate (the source is published, but not offered).
    let url = |suffix: &str| format!("/articles/fever/chart.{hash}.{suffix}");
    assert_eq!(first.attr("src"), Some(url("480.png").as_str()));
    let srcset = format!("{} 240w, {} 480w", url("240.png"), url("480.png"));
    assert_eq!(first.attr("srcset"), Some(srcset.as_str()));
    assert_eq!(
        (first.attr("width"), first.attr("height")),
        (Some("480"), Some("240"))
    );
    assert_eq!(first.attr("loading"), None, "the first image loads eagerly");
    assert_eq!(imgs[1].value().attr("loading"), Some("lazy"));
    let pdf = page
        .select(&sel(".content a"))
        .find(|a| a.text().collect::<String>() == "下载护理讲义")
        .unwrap();
    assert!(pdf.value().attr("href").unwrap().ends_with(".pdf"));

    // Callouts with labels; the emergency box calls the site's number.
    let warning = page
        .select(&sel(".callout-warning .callout-label"))
        .next()
        .unwrap();
    assert_eq!(warning.text().collect::<String>(), "警告");
    let phone = page
        .select(&sel(".callout-emergency a.callout-phone"))
        .next()
        .unwrap();
    assert_eq!(phone.value().attr("href"), Some("tel:120"));
    // The embed: lazy, titled, confined, with a text link. Bilibili's
    // player needs its own origin, so no sandbox (allow-scripts with
    // allow-same-origin is an HTML checker error): a strict `allow` and an
    // origin-only referrer instead.
    let frames: Vec<_> = page.select(&sel("iframe")).collect();
    assert_eq!(frames.len(), 1, "only the allowlisted player is framed");
    let frame = page.select(&sel(".embed iframe")).next().unwrap().value();
    assert!(frame
        .attr("src")
        .unwrap()
        .starts_with("https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7"));
    assert_eq!(frame.attr("loading"), Some("lazy"));
    assert_eq!(frame.attr("title"), Some("洗手六步法"));
    assert_eq!(frame.attr("sandbox"), None);
    assert_eq!(frame.attr("allow"), Some("fullscreen; picture-in-picture"));
    assert_eq!(
        frame.attr("referrerpolicy"),
        Some("strict-origin-when-cross-origin")
    );
    let mut names: Vec<&str> = frame.attrs().map(|(name, _)| name).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
            "src",
            "title"
        ]
    );
    // A frame of a host not listed is removed; a link to one stays a link.
    let html = fx.read("public/articles/fever/index.html");
    assert!(!html.contains("evil.example"), "{html}");
    assert!(page
        .select(&sel(
            ".content a[href='https://www.youtube.com/watch?v=dQw4w9WgXcQ']"
        ))
        .next()
        .is_some());
    assert!(page
        .select(&sel(
            ".embed figcaption a[href^='https://www.bilibili.com/video/']"
        ))
        .next()
        .is_some());

    // Nothing of the draft: not its image, not its slug.
    let all = common::all_files(&fx.public());
    for (path, bytes) in &all {
        assert!(!path.contains("secret"), "{path}");
        assert!(!String::from_utf8_lossy(bytes).contains("secret"), "{path}");
    }
}

#[test]
fn unchanged_images_are_not_encoded_again() {
    let fx = fixture();
    fx.build("2026-10-12");
    let cache = fx.root().join(".healthpress-cache/images");
    let mut cached: Vec<_> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cached.sort();
    assert_eq!(cached.len(), 2, "{cached:?}");
    // Mark the cached variants: a second build publishes the marked bytes
    // only if it took them from the cache instead of encoding again.
    for path in &cached {
        let mut bytes = fs::read(path).unwrap();
        bytes.extend_from_slice(b"cached");
        fs::write(path, bytes).unwrap();
    }
    fx.build("2026-10-12");
    let name = article_files(&fx)
        .into_iter()
        .find(|n| n.ends_with(".240.png"))
        .unwrap();
    let published = fs::read(fx.public().join("articles/fever").join(name)).unwrap();
    assert!(published.ends_with(b"cached"));

    // A changed image gets a new name and is encoded anew.
    write_bytes(&fx, "content/kids/img/chart.png", &png(500, 250));
    fx.build("2026-10-12");
    let names = article_files(&fx);
    let fresh = names.iter().find(|n| n.ends_with(".240.png")).unwrap();
    let bytes = fs::read(fx.public().join("articles/fever").join(fresh)).unwrap();
    assert!(!bytes.ends_with(b"cached"));
    assert_eq!(fs::read_dir(&cache).unwrap().count(), 4);
}

#[test]
fn e_mails_and_feeds_get_absolute_images_tables_and_unique_ids() {
    let fx = fixture();
    fx.build("2026-10-12");
    let email = fx.read("public/digests/parents/2026-10-05/email.html");
    let doc = Html::parse_document(&email);
    let mut ids = HashSet::new();
    for el in doc.select(&sel("[id]")) {
        assert!(
            ids.insert(el.value().attr("id").unwrap().to_string()),
            "duplicate id in {email}"
        );
    }
    for a in doc.select(&sel("a[href^='#']")) {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(target), "#{target} points nowhere");
    }
    assert!(
        ids.contains("fever--1") && ids.contains("cough--1"),
        "{ids:?}"
    );
    for img in doc.select(&sel("img")) {
        let v = img.value();
        assert!(
            v.attr("src")
                .unwrap()
                .starts_with("https://health.test.example/articles/fever/"),
            "{:?}",
            v
        );
        assert!(v.attr("srcset").is_none() && v.attr("loading").is_none());
    }
    assert!(!email.contains("<iframe"));
    assert!(!email.contains("evil.example"));
    // Long URLs and words break inside the 600 px column (no mail client
    // scrolls a box sideways).
    let body_p = doc
        .select(&sel("p"))
        .find(|p| p.text().collect::<String>() == "不要给儿童用阿司匹林退热。")
        .expect("an article paragraph");
    assert!(
        body_p
            .value()
            .attr("style")
            .unwrap_or("")
            .contains("overflow-wrap: anywhere"),
        "{:?}",
        body_p.value()
    );
    let link = doc
        .select(&sel(
            "a[href='https://www.bilibili.com/video/BV1GJ411x7h7/']",
        ))
        .next()
        .expect("the e-mail links to the video page");
    assert_eq!(
        link.text().collect::<String>(),
        "在哔哩哔哩观看：洗手六步法"
    );
    // Callouts are tables with inline styles, labels kept.
    assert!(
        !email.contains("class=\"callout callout-"),
        "callout div left in the e-mail"
    );
    let phone = doc.select(&sel("a[href='tel:120']")).next().unwrap();
    assert!(phone
        .value()
        .attr("style")
        .unwrap()
        .contains("color: #ffffff"));
    let labelled = doc
        .select(&sel("table[role=presentation] td p"))
        .any(|p| p.text().collect::<String>() == "警告");
    assert!(labelled);

    for feed in ["public/atom.xml", "public/digests/parents/atom.xml"] {
        let xml = fx.read(feed);
        assert!(
            xml.contains("src=&quot;https://health.test.example/articles/fever/chart."),
            "{feed}: {xml}"
        );
        assert!(!xml.contains("src=&quot;/articles"), "{feed}");
        assert!(!xml.contains("iframe"), "{feed}");
        assert!(!xml.contains("evil.example"), "{feed}");
        if feed == "public/atom.xml" {
            // The player's place: the link to the video page.
            assert!(
                xml.contains("href=&quot;https://www.bilibili.com/video/BV1GJ411x7h7/&quot;&gt;在哔哩哔哩观看：洗手六步法"),
                "{feed}: {xml}"
            );
        }
    }
}

#[test]
fn broken_images_and_alt_texts_are_errors_at_their_lines() {
    let fx = Fixture::with_config(&site_yaml(), CALENDAR_YAML);
    let spec = ArticleSpec::new("falls", "防跌倒").body(
        "第一段\n\n![扶手](handrail.png)\n\n![](photo.png)\n\n![IMG_2041](photo.png)\n\n![](photo.png \"decorative\")\n\n{{< figure src=\"photo.png\" >}}\n",
    );
    let path = fx.write("content/seniors/falls.md", &spec.to_markdown());
    write_bytes(&fx, "content/seniors/photo.png", &png(20, 10));
    let body_line = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .position(|l| l == "第一段")
        .unwrap()
        + 1;
    let out = fx.run(&["check"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // Each diagnostic: `error[rule]: ...`, then `--> file:line:col`.
    let lines: Vec<&str> = text.lines().collect();
    let mut reported = Vec::new();
    for pair in lines.windows(2) {
        let rule = pair[0]
            .strip_prefix("error[")
            .or_else(|| pair[0].strip_prefix("warning["))
            .and_then(|r| r.split(']').next());
        let line = pair[1]
            .trim()
            .strip_prefix("--> content/seniors/falls.md:")
            .and_then(|l| l.split(':').next())
            .and_then(|l| l.parse::<usize>().ok());
        // Findings in the front matter (the fixture's approval is unsigned
        // v1, which `check` warns about) are not the body's.
        if let (Some(rule), Some(line)) = (rule, line.filter(|&l| l >= body_line)) {
            reported.push((rule.to_string(), line - body_line));
        }
    }
    let expected = [
        ("missing-image", 2),
        ("image-alt", 4),
        ("image-alt", 6),
        ("shortcode", 10),
    ]
    .map(|(r, n)| (r.to_string(), n));
    assert_eq!(reported, expected, "{text}");
    assert!(
        text.contains("content/seniors/handrail.png` does not exist"),
        "{text}"
    );

    // Over the pixel limit: a clear error naming the limit to raise.
    let tight = format!("{SITE_YAML}content:\n  images: {{ max_pixels: 100 }}\n");
    fs::write(fx.root().join("site.yaml"), tight).unwrap();
    let text = output_text(&fx.run(&["check"]));
    assert!(text.contains("20 x 10 pixels"), "{text}");
    assert!(text.contains("max_pixels"), "{text}");
}

#[test]
fn dangerous_link_schemes_cannot_be_configured() {
    let yaml = format!("{SITE_YAML}content:\n  link_schemes: [weixin, javascript]\n");
    let fx = Fixture::with_config(&yaml, CALENDAR_YAML);
    fx.article(&ArticleSpec::new("a", "甲"));
    let out = fx.run(&["check"]);
    let text = output_text(&out);
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("site.yaml"), "{text}");
    assert!(
        text.contains("`javascript:` can never be allowed"),
        "{text}"
    );
    assert!(!Path::new(&fx.public()).exists());
}

/// Each host's player as the page shows it: the built-in ones keep their
/// origin (no `sandbox`, which with `allow-same-origin` is an HTML checker
/// error), a site-defined one is sandboxed without `allow-same-origin`, and
/// `sandbox: false` on the site's own host name is refused.
#[test]
fn players_are_confined_per_host_and_never_same_origin_sandboxed() {
    let hosts = "content:\n  embeds: [tencent-video, youtube, hospital-tv]\n  embed_hosts:\n    - { name: hospital-tv, label: 院内视频, pages: ['https://tv.test.example/v/{id}'], player: 'https://tv.test.example/embed/{id}' }\n";
    let fx = Fixture::with_config(&format!("{SITE_YAML}{hosts}"), CALENDAR_YAML);
    let body = "[![腾讯视频封面：打满泡沫的双手](poster.png)](https://v.qq.com/x/page/u3501x2k9wd.html)\n\n<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" title=\"洗手\" allow=\"autoplay; camera\" sandbox=\"allow-scripts allow-same-origin allow-top-navigation\"></iframe>\n\n[院内视频](https://tv.test.example/v/hand-1)\n\n[哔哩哔哩](https://www.bilibili.com/video/BV1GJ411x7h7)\n";
    fx.write(
        "content/kids/wash.md",
        &ArticleSpec::new("wash", "洗手").body(body).to_markdown(),
    );
    write_bytes(&fx, "content/kids/poster.png", &png(320, 180));
    let out = fx.build("2026-10-12");
    assert!(out.status.success(), "{}", output_text(&out));
    let page = Html::parse_document(&fx.read("public/articles/wash/index.html"));
    let frames: Vec<_> = page.select(&sel("iframe")).map(|f| f.value()).collect();
    let srcs: Vec<&str> = frames.iter().map(|f| f.attr("src").unwrap()).collect();
    assert_eq!(
        srcs,
        [
            "https://v.qq.com/txp/iframe/player.html?vid=u3501x2k9wd&autoplay=false",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://tv.test.example/embed/hand-1",
        ],
        "bilibili is not listed: its link stays a link"
    );
    for frame in &frames[..2] {
        assert_eq!(frame.attr("sandbox"), None);
        // The pasted code's own `allow` and `sandbox` are not kept.
        assert_eq!(frame.attr("allow"), Some("fullscreen; picture-in-picture"));
        assert_eq!(frame.attr("loading"), Some("lazy"));
        assert_eq!(
            frame.attr("referrerpolicy"),
            Some("strict-origin-when-cross-origin")
        );
    }
    assert_eq!(
        frames[2].attr("sandbox"),
        Some("allow-scripts allow-presentation allow-popups allow-popups-to-escape-sandbox")
    );
    assert!(!fx
        .read("public/articles/wash/index.html")
        .contains("allow-same-origin"));
    assert!(page
        .select(&sel(
            ".content a[href='https://www.bilibili.com/video/BV1GJ411x7h7']"
        ))
        .next()
        .is_some());
    // Each player's text link, in the page and in the feed.
    let feed = fx.read("public/atom.xml");
    for link in [
        "https://v.qq.com/x/page/u3501x2k9wd.html",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://tv.test.example/v/hand-1",
    ] {
        let a = format!(".embed figcaption a[href='{link}']");
        assert!(page.select(&sel(&a)).next().is_some(), "{link}");
        assert!(
            feed.contains(&format!("href=&quot;{link}&quot;")),
            "{link}: {feed}"
        );
    }
    assert!(!feed.contains("iframe"), "{feed}");
    // The poster stands in for the player in the feed and the e-mail.
    assert!(
        feed.contains("src=&quot;https://health.test.example/articles/wash/poster."),
        "{feed}"
    );
    let email = Html::parse_document(&fx.read("public/digests/parents/2026-10-05/email.html"));
    assert!(email.select(&sel("iframe")).next().is_none());
    let poster = email
        .select(&sel("img[alt='腾讯视频封面：打满泡沫的双手']"))
        .next()
        .expect("the poster in the e-mail");
    assert!(poster
        .value()
        .attr("src")
        .unwrap()
        .starts_with("https://health.test.example/articles/wash/poster."));
    let links: Vec<String> = email
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.split('?').next().unwrap().to_string())
        .collect();
    for link in [
        "https://v.qq.com/x/page/u3501x2k9wd.html",
        "https://www.youtube.com/watch",
        "https://tv.test.example/v/hand-1",
    ] {
        assert!(links.iter().any(|l| l == link), "{link}: {links:?}");
    }

    // Unsandboxed on the site's own host name: a site.yaml error.
    let own = hosts
        .replace("tv.test.example/embed", "health.test.example/embed")
        .replace(" }\n", ", sandbox: false }\n");
    fs::write(fx.root().join("site.yaml"), format!("{SITE_YAML}{own}")).unwrap();
    let out = fx.run(&["check"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("site.yaml"), "{text}");
    assert!(
        text.contains(
            "has `sandbox: false` but its player is on the site's own host `health.test.example`"
        ),
        "{text}"
    );
}

/// A self-hosted `<video>` written as HTML: rebuilt with published,
/// content-hashed files, its captions and harmless playback attributes; the
/// e-mail and the feed get the poster and the download link instead.
#[test]
fn self_hosted_video_with_tracks_end_to_end() {
    let fx = Fixture::with_config(&site_yaml(), CALENDAR_YAML);
    let body = "看演示：\n\n<video src=\"clip.mp4\" poster=\"clip.png\" title=\"洗手六步法演示\" preload=\"none\" width=\"640\" height=\"360\" onplay=\"x\">\n</video>\n\n<video src=\"clip.mp4\" poster=\"clip.png\" title=\"洗手六步法演示\" preload=\"none\" width=\"640\" height=\"360\">\n  <track kind=\"captions\" src=\"clip.zh.vtt\" srclang=\"zh-Hans\" label=\"中文字幕\" default>\n  <track kind=\"subtitles\" src=\"clip.en.vtt\" srclang=\"en\" label=\"English\">\n  浏览器不支持视频。\n</video>\n";
    fx.write(
        "content/kids/wash.md",
        &ArticleSpec::new("wash", "洗手").body(body).to_markdown(),
    );
    write_bytes(
        &fx,
        "content/kids/clip.mp4",
        b"\0\0\0\x18ftypmp42 not a real video",
    );
    write_bytes(&fx, "content/kids/clip.png", &png(64, 36));
    write_bytes(
        &fx,
        "content/kids/clip.zh.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\n打湿双手\n".as_bytes(),
    );
    write_bytes(
        &fx,
        "content/kids/clip.en.vtt",
        b"WEBVTT\n\n00:00.000 --> 00:02.000\nWet your hands\n",
    );
    let out = fx.build("2026-10-12");
    let text = output_text(&out);
    assert!(out.status.success(), "{text}");
    // The first one has an event handler: not a self-hosted video, removed.
    assert!(text.contains("raw-html"), "{text}");
    let html = fx.read("public/articles/wash/index.html");
    assert!(!html.contains("onplay"), "{html}");
    let page = Html::parse_document(&html);
    let videos: Vec<_> = page.select(&sel(".content video")).collect();
    assert_eq!(videos.len(), 1, "{html}");
    let video = videos[0].value();
    assert_eq!(video.attr("aria-label"), Some("洗手六步法演示"));
    assert_eq!(video.attr("preload"), Some("none"));
    assert_eq!(
        (video.attr("width"), video.attr("height")),
        (Some("640"), Some("360"))
    );
    assert!(video.attr("controls").is_some());
    let hashed = |url: Option<&str>, ext: &str| {
        let url = url.unwrap();
        assert!(
            url.starts_with("/articles/wash/") && url.ends_with(ext),
            "{url}"
        );
        let file = url.rsplit('/').next().unwrap();
        assert!(
            fx.public().join("articles/wash").join(file).is_file(),
            "{url}"
        );
    };
    hashed(video.attr("poster"), ".png");
    let source = videos[0].select(&sel("source")).next().unwrap().value();
    hashed(source.attr("src"), ".mp4");
    let tracks: Vec<_> = videos[0].select(&sel("track")).map(|t| t.value()).collect();
    assert_eq!(tracks.len(), 2);
    assert_eq!(tracks[0].attr("kind"), Some("captions"));
    assert_eq!(tracks[0].attr("srclang"), Some("zh-Hans"));
    assert!(tracks[0].attr("default").is_some());
    assert_eq!(tracks[1].attr("label"), Some("English"));
    for t in &tracks {
        hashed(t.attr("src"), ".vtt");
    }
    assert!(
        !html.contains("浏览器不支持视频"),
        "fallback text is dropped"
    );

    let email = Html::parse_document(&fx.read("public/digests/parents/2026-10-05/email.html"));
    assert!(email.select(&sel("video, track, source")).next().is_none());
    let poster = email
        .select(&sel("img[alt='洗手六步法演示']"))
        .next()
        .expect("the poster in the e-mail");
    assert!(poster
        .value()
        .attr("src")
        .unwrap()
        .starts_with("https://health.test.example/articles/wash/clip."));
    assert!(email
        .select(&sel(
            "a[href^='https://health.test.example/articles/wash/clip.']"
        ))
        .any(|a| a.value().attr("href").unwrap().contains(".mp4")));
    let feed = fx.read("public/atom.xml");
    assert!(!feed.contains("&lt;video"), "{feed}");
    assert!(
        feed.contains("https://health.test.example/articles/wash/clip."),
        "{feed}"
    );
}
