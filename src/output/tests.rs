//! Unit tests of staging, recycling and swapping output folders.

use super::*;

#[test]
fn commit_replaces_and_drop_discards() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("a/index.html", b"one").unwrap();
    s.commit().unwrap();
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");

    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("a/index.html", b"two").unwrap();
    drop(s); // a failed build never commits
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"one");
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name != ".healthpress-cache") // the records of public/
        .collect();
    assert_eq!(left.len(), 1, "temp folder removed: {left:?}");
}

#[test]
fn unchanged_files_are_linked_and_the_old_output_survives_failure() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("same/index.html", b"same").unwrap();
    s.write("changed/index.html", b"old").unwrap();
    s.commit().unwrap();

    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("same/index.html", b"same").unwrap();
    s.write("changed/index.html", b"new!").unwrap();
    let staged = |rel: &str| s.temp.join(rel);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |p: PathBuf| fs::metadata(p).unwrap().ino();
        assert_eq!(
            ino(staged("same/index.html")),
            ino(target.join("same/index.html"))
        );
        assert_ne!(
            ino(staged("changed/index.html")),
            ino(target.join("changed/index.html"))
        );
    }
    drop(s); // failed build: the previous output is untouched
    assert_eq!(fs::read(target.join("same/index.html")).unwrap(), b"same");
    assert_eq!(fs::read(target.join("changed/index.html")).unwrap(), b"old");

    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("same/index.html", b"same").unwrap();
    s.write("changed/index.html", b"new!").unwrap();
    s.commit().unwrap();
    assert_eq!(fs::read(target.join("same/index.html")).unwrap(), b"same");
    assert_eq!(
        fs::read(target.join("changed/index.html")).unwrap(),
        b"new!"
    );
}

/// Every file under `dir` with its bytes, as relative paths.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn recycled_spare_gives_the_same_tree_as_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let builds: [&[(&str, &[u8])]; 4] = [
        &[
            ("a/index.html", b"one"),
            ("b/index.html", b"bee"),
            ("gone/x/index.html", b"x"),
            ("f", b"file"),
        ],
        &[
            ("a/index.html", b"two"),
            ("b/index.html", b"bee"),
            ("c/index.html", b"sea"),
        ],
        &[
            ("a/index.html", b"one"),
            ("f/index.html", b"now a folder"),
            ("c/index.html", b"sea"),
        ],
        &[
            ("a/index.html", b"one"),
            ("b/index.html", b"bee!"),
            ("f", b"file again"),
        ],
    ];
    for (n, files) in builds.into_iter().enumerate() {
        let s = Staging::new(dir.path(), &target).unwrap();
        for (rel, bytes) in files {
            s.write(rel, bytes).unwrap();
        }
        s.commit().unwrap();
        let mut expected: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(rel, bytes)| (rel.to_string(), bytes.to_vec()))
            .collect();
        expected.push((MARKER.to_string(), fs::read(target.join(MARKER)).unwrap()));
        expected.sort();
        assert_eq!(tree(&target), expected);
        assert_eq!(
            target.join("gone").exists(),
            n == 0,
            "emptied folders are removed"
        );
    }
    assert!(recycle::spare_path(&target).join(MARKER).is_file());

    // A failed build that started from the spare leaves public/ as is.
    let before = tree(&target);
    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("a/index.html", b"broken").unwrap();
    s.write("b/index.html", b"bee!").unwrap();
    drop(s);
    assert_eq!(tree(&target), before);
    assert!(
        recycle::spare_path(&target).join(MARKER).is_file(),
        "the spare is kept"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".healthpress-tmp") || n.starts_with(".healthpress-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The records let a rebuild skip reading unchanged files; a file changed
/// behind them (edited in place through a hard link in the served tree,
/// same length) is still found and rewritten, and an unchanged one keeps
/// its inode.
#[cfg(unix)]
#[test]
fn recorded_files_changed_behind_the_records_are_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let build = |edit: &dyn Fn()| {
        let s = Staging::new(dir.path(), &target).unwrap();
        edit();
        s.write("a/index.html", b"same").unwrap();
        s.write("b/index.html", b"bbbb").unwrap();
        s.commit().unwrap();
    };
    build(&|| {});
    build(&|| {}); // the first tree becomes the spare, with its records
    assert!(recycle::digests_path(&target, false).is_file());
    let spare = recycle::spare_path(&target);
    let kept = fs::metadata(spare.join("a/index.html")).unwrap().ino();
    // Same length, new bytes, written in place (the inode stays).
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(spare.join("b/index.html"), b"XXXX").unwrap();
    build(&|| {}); // recycles that spare
    assert_eq!(fs::read(target.join("b/index.html")).unwrap(), b"bbbb");
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"same");
    assert_eq!(
        fs::metadata(target.join("a/index.html")).unwrap().ino(),
        kept
    );
    // Damaged records are only a cost: the next build is still right.
    fs::write(recycle::digests_path(&target, false), "garbage").unwrap();
    fs::write(recycle::spare_path(&target).join("a/index.html"), b"XXXX").unwrap();
    build(&|| {});
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"same");
}

#[cfg(unix)]
#[test]
fn links_in_the_old_output_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("public");
    let outside = dir.path().join("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("index.html"), "precious").unwrap();
    for _ in 0..2 {
        let s = Staging::new(dir.path(), &target).unwrap();
        s.write("a/index.html", b"page").unwrap();
        s.commit().unwrap();
    }
    // Someone replaces a folder of the output with a link to elsewhere;
    // the spare tree (the previous output) gets one too.
    fs::remove_dir_all(target.join("a")).unwrap();
    std::os::unix::fs::symlink(&outside, target.join("a")).unwrap();
    let spare = recycle::spare_path(&target);
    fs::remove_dir_all(spare.join("a")).unwrap();
    std::os::unix::fs::symlink(&outside, spare.join("a")).unwrap();

    let s = Staging::new(dir.path(), &target).unwrap();
    s.write("a/index.html", b"page").unwrap();
    s.commit().unwrap();
    assert_eq!(fs::read(outside.join("index.html")).unwrap(), b"precious");
    assert!(fs::symlink_metadata(target.join("a")).unwrap().is_dir());
    assert_eq!(fs::read(target.join("a/index.html")).unwrap(), b"page");
}

#[test]
fn remove_tree_deletes_nested_folders_but_not_link_targets() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("old");
    for i in 0..50 {
        let sub = tree.join(format!("articles/a{i}/page/2"));
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join("index.html"), "x").unwrap();
    }
    fs::write(tree.join("sitemap.xml"), "x").unwrap();
    let outside = dir.path().join("keep");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("file"), "kept").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
    remove_tree(&tree).unwrap();
    assert!(!tree.exists());
    assert_eq!(fs::read(outside.join("file")).unwrap(), b"kept");
}

#[test]
fn refuses_dangerous_targets_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    assert!(Staging::new(dir.path(), dir.path()).is_err());
    assert!(Staging::new(dir.path(), &dir.path().join("content/out")).is_err());
    let foreign = dir.path().join("docs");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("keep.txt"), "mine").unwrap();
    assert!(Staging::new(dir.path(), &foreign).is_err());
    let s = Staging::new(dir.path(), &dir.path().join("public")).unwrap();
    assert!(matches!(s.write("../x", b""), Err(OutputError::Escapes(_))));
    assert!(matches!(
        s.write("/etc/x", b""),
        Err(OutputError::Escapes(_))
    ));
    s.write("A/index.html", b"").unwrap();
    assert!(matches!(
        s.write("a/index.html", b""),
        Err(OutputError::Collision(_))
    ));
}

#[cfg(unix)]
#[test]
fn a_symlinked_root_does_not_hide_a_target_in_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    std::os::unix::fs::symlink(&site, dir.path().join("link")).unwrap();
    // The target does not exist yet; the root is reached through a link.
    let target = dir.path().join("link/content/out");
    assert!(Staging::new(&site, &target).is_err());
}
