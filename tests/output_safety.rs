//! End-to-end tests of how `healthpress build` replaces its output folders:
//! symlinked outputs, overlapping public and editorial folders, digests
//! written into output folders, the leftovers of killed builds, and builds
//! SIGKILLed at many points (including between the two swaps), after
//! which both trees must still be complete.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{all_files, output_text, ArticleSpec, Fixture};

const TODAY: &str = "2026-11-23";
const MARKER: &str = ".healthpress-output";

fn site() -> Fixture {
    let site = Fixture::new();
    site.article(&ArticleSpec::new("one", "第一篇"));
    site.article(&ArticleSpec::new("two", "第二篇").audience(&["seniors"]));
    site
}

/// A process id that is certainly not running: a child that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_symlink_to_a_folder_healthpress_did_not_write_is_refused() {
    let site = site();
    let web_root = site.root().join("srv/www");
    fs::create_dir_all(&web_root).unwrap();
    fs::write(web_root.join("CNAME"), "health.example.org\n").unwrap();
    fs::write(web_root.join("index.html"), "the live site").unwrap();
    symlink(&web_root, site.public()).unwrap();
    let before = all_files(&web_root);

    let out = site.run(&["build", "--as-of", TODAY]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let text = output_text(&out);
    assert!(text.contains("symbolic link"), "{text}");
    assert!(text.contains("nothing was changed"), "{text}");
    assert_eq!(all_files(&web_root), before, "the web root is untouched");
    assert!(fs::symlink_metadata(site.public())
        .unwrap()
        .file_type()
        .is_symlink());

    // A link to an empty web root is refused too: it carries no marker.
    let empty = site.root().join("srv/empty");
    fs::create_dir_all(&empty).unwrap();
    let out = site.run(&["build", "--as-of", TODAY, "--out", "link-to-empty"]);
    assert!(out.status.success(), "{}", output_text(&out));
    fs::remove_dir_all(site.root().join("link-to-empty")).unwrap();
    symlink(&empty, site.root().join("link-to-empty")).unwrap();
    let out = site.run(&["build", "--as-of", TODAY, "--out", "link-to-empty"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert_eq!(fs::read_dir(&empty).unwrap().count(), 0);

    // A folder reached through a linked parent is judged the same way.
    let out = site.run(&["build", "--as-of", TODAY, "--out", "public/site"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert_eq!(all_files(&web_root), before);
}

#[test]
fn a_symlink_to_a_marked_folder_is_built_through_and_kept() {
    let site = site();
    let web_root = site.root().join("srv/www");
    fs::create_dir_all(&web_root).unwrap();
    let beside = site.root().join("srv/keep.txt");
    fs::write(&beside, "not ours").unwrap();
    // First build into the real (empty) folder, then publish through a link.
    let out = site.run(&["build", "--as-of", TODAY, "--out", "srv/www"]);
    assert!(out.status.success(), "{}", output_text(&out));
    symlink(&web_root, site.public()).unwrap();
    for _ in 0..3 {
        site.article(&ArticleSpec::new(
            "three",
            &format!("第三篇 {}", rand_word()),
        ));
        site.build(TODAY);
        assert!(
            fs::symlink_metadata(site.public())
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link stays a link"
        );
        assert!(web_root.join(MARKER).is_file());
        assert!(web_root.join("articles/three/index.html").is_file());
    }
    assert_eq!(fs::read_to_string(&beside).unwrap(), "not ours");
    // Nothing healthpress keeps beside the real folder is left over but
    // its cache.
    let mut names: Vec<String> = fs::read_dir(site.root().join("srv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".healthpress-cache", "keep.txt", "www"]);
}

fn rand_word() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("第{}版", N.fetch_add(1, Ordering::Relaxed))
}

#[test]
fn overlapping_public_and_editorial_folders_are_refused_before_writing() {
    let site = site();
    for (public, editorial) in [
        ("public", "public"),
        ("public", "public/internal"),
        ("out/public", "out"),
        ("public", "./public/../public"),
    ] {
        let out = site.run(&[
            "build",
            "--as-of",
            TODAY,
            "--out",
            public,
            "--editorial-out",
            editorial,
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--out {public} --editorial-out {editorial}: {}",
            output_text(&out)
        );
        assert!(output_text(&out).contains("refusing"));
        assert!(!site.public().exists(), "nothing written");
        assert!(!site.root().join("out").exists(), "nothing written");
    }
    // An existing public/ is left complete, too.
    site.build(TODAY);
    let before = all_files(&site.public());
    let out = site.run(&["build", "--as-of", TODAY, "--editorial-out", "public"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(all_files(&site.public()), before);
}

#[test]
fn digest_previews_are_never_written_into_an_output_folder() {
    let site = site();
    site.article(
        &ArticleSpec::new("soon", "下周文章")
            .date("2026-11-30")
            .audience(&["parents"]),
    );
    site.build(TODAY);
    let out = site.run(&["build", "--as-of", TODAY, "--out", "dist/site"]);
    assert!(out.status.success(), "{}", output_text(&out));
    for target in [
        "dist/site/preview.html",
        "dist/site/digests/x/email.html",
        "editorial/preview.html",
    ] {
        let out = site.run(&[
            "digest",
            "--segment",
            "parents",
            "--date",
            "2026-11-30",
            "--preview",
            "--as-of",
            TODAY,
            "--out",
            target,
        ]);
        assert!(!out.status.success(), "{target}: {}", output_text(&out));
        assert!(
            output_text(&out).contains("refusing"),
            "{}",
            output_text(&out)
        );
        assert!(!site.root().join(target).exists());
    }
}

#[test]
fn leftovers_of_killed_builds_are_cleared_and_foreign_folders_kept() {
    let site = site();
    site.build(TODAY);
    let pids = [dead_pid(), dead_pid(), dead_pid(), dead_pid()];
    // Two trees of dead builds (one with many files), one of a foreign
    // folder that merely has a similar name, and an empty one left by a
    // build killed before it wrote its marker.
    for (name, marked) in [
        (format!(".healthpress-tmp-public-{}", pids[0]), true),
        (format!(".healthpress-old-editorial-{}", pids[1]), true),
        (format!(".healthpress-tmp-editorial-{}", pids[2]), false),
    ] {
        let dir = site.root().join(&name);
        for i in 0..20 {
            fs::create_dir_all(dir.join(format!("a{i}"))).unwrap();
            fs::write(dir.join(format!("a{i}/index.html")), "x").unwrap();
        }
        if marked {
            fs::write(dir.join(MARKER), "").unwrap();
        }
    }
    fs::create_dir_all(
        site.root()
            .join(format!(".healthpress-tmp-public-{}", pids[3])),
    )
    .unwrap();
    site.build(TODAY);
    let names = leftovers(site.root());
    assert_eq!(
        names,
        [format!(".healthpress-tmp-editorial-{}", pids[2])],
        "only the unmarked folder is kept"
    );
    assert_eq!(
        all_files(&site.root().join(&names[0])).len(),
        20,
        "a folder without the marker is never emptied"
    );
}

/// Names of staging and old trees beside the outputs.
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".healthpress-tmp-") || n.starts_with(".healthpress-old-"))
        .collect();
    names.sort();
    names
}

type Tree = Vec<(String, Vec<u8>)>;

/// The two versions of the site the kill test alternates between, and the
/// complete public and editorial trees each one builds.
struct Versions {
    site: Fixture,
    trees: Vec<(Tree, Tree)>,
}

impl Versions {
    fn new() -> Versions {
        let site = site();
        let mut trees = Vec::new();
        for v in 0..2 {
            Versions::set(&site, v);
            let out = site.run(&[
                "build",
                "--as-of",
                TODAY,
                "--out",
                &format!("ref{v}/public"),
                "--editorial-out",
                &format!("ref{v}/editorial"),
            ]);
            assert!(out.status.success(), "{}", output_text(&out));
            trees.push((
                all_files(&site.root().join(format!("ref{v}/public"))),
                all_files(&site.root().join(format!("ref{v}/editorial"))),
            ));
            fs::remove_dir_all(site.root().join(format!("ref{v}"))).unwrap();
        }
        assert_ne!(trees[0].0, trees[1].0);
        assert_ne!(trees[0].1, trees[1].1);
        Versions { site, trees }
    }

    /// Makes the site version `v`: an article more or less, which changes
    /// both the public site and the editorial views.
    fn set(site: &Fixture, v: usize) {
        let path = site.root().join("content/extra.md");
        if v == 1 {
            site.article(&ArticleSpec::new("extra", "新增文章").date("2026-11-01"));
        } else if path.exists() {
            fs::remove_file(path).unwrap();
        }
    }

    /// Asserts both outputs are some complete version.
    fn assert_complete(&self, context: &str) {
        let public = all_files(&self.site.public());
        let editorial = all_files(&self.site.root().join("editorial"));
        assert!(
            self.trees.iter().any(|(p, _)| *p == public),
            "{context}: public/ is not a complete tree ({} files)",
            public.len()
        );
        assert!(
            self.trees.iter().any(|(_, e)| *e == editorial),
            "{context}: editorial/ is not a complete tree ({} files)",
            editorial.len()
        );
    }
}

#[test]
fn builds_killed_at_each_swap_point_leave_complete_trees() {
    let versions = Versions::new();
    let site = &versions.site;
    Versions::set(site, 0);
    site.build(TODAY);
    let points = [
        "before-swap:public",
        "after-swap:public",
        "before-swap:editorial",
        "after-swap:editorial",
    ];
    for (n, point) in points.iter().enumerate() {
        Versions::set(site, (n + 1) % 2);
        let out = Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(["build", "--as-of", TODAY])
            .env("HEALTHPRESS_TEST_KILL_AT", point)
            .current_dir(site.root())
            .output()
            .unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            out.status.signal(),
            Some(9),
            "{point}: {}",
            output_text(&out)
        );
        versions.assert_complete(point);
    }
    // The next build clears what the killed ones left and is complete.
    site.build(TODAY);
    versions.assert_complete("after the kills");
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn the_rename_fallback_is_repaired_by_the_next_build() {
    let versions = Versions::new();
    let site = &versions.site;
    Versions::set(site, 0);
    site.build(TODAY);
    Versions::set(site, 1);
    let out = Command::new(env!("CARGO_BIN_EXE_healthpress"))
        .args(["build", "--as-of", TODAY])
        .env("HEALTHPRESS_TEST_NO_EXCHANGE", "1")
        .env("HEALTHPRESS_TEST_KILL_AT", "between-renames:public")
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    // This is the fallback's documented window: public/ is aside.
    assert!(!site.public().exists());
    Versions::set(site, 0);
    site.build(TODAY);
    versions.assert_complete("after repair");
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn builds_killed_at_random_moments_leave_complete_trees() {
    let versions = Versions::new();
    let site = &versions.site;
    Versions::set(site, 0);
    site.build(TODAY);
    // Spread the kills over the time one build takes (measured, not
    // asserted), from before it reads anything to after it finishes.
    let started = std::time::Instant::now();
    site.build(TODAY);
    let span = started.elapsed().as_micros().max(1000) as u64;
    const KILLS: u64 = 24;
    for k in 0..KILLS {
        Versions::set(site, (k % 2) as usize);
        let mut child = Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(["build", "--as-of", TODAY])
            .current_dir(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(span * k / KILLS * 5 / 4));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        versions.assert_complete(&format!("kill {k}"));
    }
    site.build(TODAY);
    versions.assert_complete("after the kills");
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}
