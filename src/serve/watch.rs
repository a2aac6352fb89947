//! Watching the site's sources. `content/`, `themes/` and `static/` are
//! watched recursively; `site.yaml` and `calendar.yaml` through a
//! non-recursive watch on the site root, because a watch on the file itself
//! dies when an editor saves by writing a temporary file and renaming it
//! over the original (vim's rename-on-save). Only events that change
//! something pass (inotify also reports every *open*, and a build opens
//! every source file, which would make each rebuild trigger the next).
//! Batches are debounced ([`next_batch`]): a save after a quiet while is
//! rebuilt after a few milliseconds; saves that keep coming right after a
//! rebuild form a burst, which waits for a longer quiet, so a burst becomes
//! one rebuild of its last state rather than one per save. Batches are then
//! classified: article files can be
//! rebuilt incrementally, everything else needs a full rebuild. The serve
//! folder, public/, editorial/, target/, .git and editor swap, backup and
//! lock files are ignored, so a rebuild never triggers itself.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// What a batch of file events asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only these article files (site-relative, under `content/`) changed.
    Articles(BTreeSet<PathBuf>),
    /// Something else changed; the reason names the first such file.
    Full(String),
}

/// Top-level folders whose changes never matter.
const IGNORED_DIRS: [&str; 5] = ["public", "editorial", "target", ".git", "node_modules"];

/// True for files editors create around a save: vim swap files and its
/// `4913` write probe, backups ending in `~`, emacs `.#` locks and `#x#`
/// autosaves, and common temporary names.
pub fn is_editor_noise(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|x| name.ends_with(x))
        || name.ends_with(".DS_Store")
}

/// Sorts changed paths (absolute or site-relative) into a `Change`, or
/// `None` when nothing relevant changed.
pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Option<Change> {
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut articles = BTreeSet::new();
    for path in paths {
        let rel = path
            .strip_prefix(&root_abs)
            .or_else(|_| path.strip_prefix(root))
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.clone());
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            continue;
        }
        let Some(first) = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
        else {
            continue;
        };
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if first.starts_with(".healthpress")
            || IGNORED_DIRS.contains(&first.as_str())
            || is_editor_noise(&name)
        {
            continue;
        }
        match first.as_str() {
            "site.yaml" | "calendar.yaml" => return Some(Change::Full(first)),
            "themes" | "static" => return Some(Change::Full(rel.display().to_string())),
            // An article's own file (image, video, captions, download):
            // the model re-reads the articles that embed it.
            "content"
                if rel.extension().is_some_and(|x| x != "md")
                    && crate::assets::kind_of(&name).is_some() =>
            {
                articles.insert(rel);
            }
            // Other files may be editors' temporary files or folders; the
            // model decides (a moved folder needs a full build).
            "content" if rel.extension().is_some_and(|x| x != "md") => {}
            "content" if rel.components().count() > 1 => {
                articles.insert(rel);
            }
            "content" => return Some(Change::Full("content/".into())),
            _ => {}
        }
    }
    (!articles.is_empty()).then_some(Change::Articles(articles))
}

/// True for events that may change a file's bytes or its presence.
fn changes_something(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// What the watcher sends: the paths of an event, or its error in words.
pub type Event = Result<Vec<PathBuf>, String>;

/// Starts watching; the paths of every relevant event (or the watcher's
/// errors) are sent on `tx`.
pub fn start(root: &Path, tx: Sender<Event>) -> notify::Result<RecommendedWatcher> {
    let mut watcher =
        notify::recommended_watcher(move |result: notify::Result<notify::Event>| match result {
            Ok(event) if changes_something(&event.kind) => {
                let _ = tx.send(Ok(event.paths));
            }
            Ok(_) => {}
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
            }
        })?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in ["content", "themes", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// How long `next_batch` waits before returning an empty batch.
const IDLE_TICK: Duration = Duration::from_secs(60);

/// One batch of events: the changed paths (sorted, deduplicated) and the
/// watcher's errors.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    pub errors: Vec<String>,
}

/// How the watcher groups events into rebuilds.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// Quiet time after an event before rebuilding (the first save of a
    /// while is rebuilt after this).
    pub quiet: Duration,
    /// An event this soon after the previous rebuild ended (or queued while
    /// it ran) belongs to a burst of saves...
    pub burst_gap: Duration,
    /// ...and then waits for this much quiet, so a burst becomes one
    /// rebuild (of the last state) instead of one per save.
    pub burst_quiet: Duration,
    /// Longest a batch may wait after its first event, so a file written
    /// continuously still gets previews.
    pub max_wait: Duration,
}

///
/// `last_rebuild` is when the previous rebuild ended: the first event of a
/// batch that comes within `pacing.burst_gap` of it starts a burst.
pub fn next_batch(
    rx: &Receiver<Event>,
    pacing: &Pacing,
    last_rebuild: Option<Instant>,
) -> Option<Batch> {
    let mut batch = Batch::default();
    let mut add = |event: Event| match event {
        Ok(paths) => batch.paths.extend(paths),
        Err(e) => batch.errors.push(e),
    };
    match rx.recv_timeout(IDLE_TICK) {
        Ok(event) => add(event),
        // An empty batch lets the caller do periodic work (a new day).
        Err(RecvTimeoutError::Timeout) => return Some(Batch::default()),
        Err(RecvTimeoutError::Disconnected) => return None,
    };
    let first = Instant::now();
    let in_burst = last_rebuild.is_some_and(|end| first.duration_since(end) < pacing.burst_gap);
    let quiet = if in_burst {
        pacing.burst_quiet.max(pacing.quiet)
    } else {
        pacing.quiet
    };
    let max_wait = pacing.max_wait;
    while first.elapsed() < max_wait {
        match rx.recv_timeout(quiet.min(max_wait.saturating_sub(first.elapsed()))) {
            Ok(event) => add(event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    batch.paths.sort();
    batch.paths.dedup();
    Some(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
        paths.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn classifies_changes() {
        let root = Path::new("/nonexistent-site");
        let c = |p: &[&str]| classify(root, p.iter().map(|s| root.join(s)));
        assert_eq!(
            c(&["content/a.md", "content/x/b.md"]),
            Some(Change::Articles(set(&["content/a.md", "content/x/b.md"])))
        );
        assert_eq!(
            c(&["content/a.md", "site.yaml"]),
            Some(Change::Full("site.yaml".into()))
        );
        assert!(matches!(
            c(&["themes/default/templates/base.html"]),
            Some(Change::Full(_))
        ));
        assert_eq!(
            c(&["content/newdir"]),
            Some(Change::Articles(set(&["content/newdir"])))
        );
        for noise in [
            "public/index.html",
            ".healthpress-serve/public/index.html",
            "editorial/x.html",
            ".git/index",
            "target/debug/x",
            "content/.a.md.swp",
            "content/a.md~",
            "content/4913",
            "content/.#a.md",
            "README.md",
            "content/notes.psd",
        ] {
            assert_eq!(c(&[noise]), None, "{noise}");
        }
        // An article's own file: the articles embedding it are re-read.
        assert_eq!(
            c(&["content/img/chart.png", "content/clip.vtt"]),
            Some(Change::Articles(set(&[
                "content/img/chart.png",
                "content/clip.vtt"
            ])))
        );
    }

    #[test]
    fn bursts_become_one_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..50 {
            tx.send(Ok(vec![PathBuf::from(format!("content/{}.md", i % 3))]))
                .unwrap();
        }
        let pacing = Pacing {
            quiet: Duration::from_millis(20),
            burst_gap: Duration::from_millis(500),
            burst_quiet: Duration::from_millis(300),
            max_wait: Duration::from_secs(1),
        };
        let batch = next_batch(&rx, &pacing, None).unwrap();
        assert_eq!(batch.paths.len(), 3);
        assert!(rx.try_recv().is_err());
        assert!(!changes_something(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(changes_something(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
    }

    #[test]
    fn saves_right_after_a_rebuild_wait_for_the_burst_to_end() {
        let (tx, rx) = std::sync::mpsc::channel();
        let pacing = Pacing {
            quiet: Duration::from_millis(1),
            burst_gap: Duration::from_secs(5),
            burst_quiet: Duration::from_secs(1),
            max_wait: Duration::from_secs(10),
        };
        let sender = std::thread::spawn(move || {
            for i in 0..5 {
                tx.send(Ok(vec![PathBuf::from(format!("content/{i}.md"))]))
                    .unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
            tx
        });
        // A rebuild just ended: the saves that follow are one burst.
        let batch = next_batch(&rx, &pacing, Some(Instant::now())).unwrap();
        assert_eq!(batch.paths.len(), 5, "{:?}", batch.paths);
        drop(sender.join());
    }
}
