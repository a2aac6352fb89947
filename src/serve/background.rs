//! Renderers that a build runs beside the others (the search index: about
//! 20 s of one core at 10,000 articles, since Pagefind cannot update an
//! index) are, after an edit in `serve`, run on a thread of their own once
//! the edited pages are written, so a save shows in the browser without
//! waiting for them. The next change interrupts the job ([`Job::stop`])
//! before anything else touches the serve folder: an interrupted job
//! writes nothing (it writes, and reports, under a lock that `stop`
//! takes), and the job of that change starts over from its model. The job
//! runs at the lowest CPU priority, on a thread pool of its own.
//! A finished job writes its files like every rebuild (only changed bytes,
//! each by rename) and removes the files of its previous render that it did
//! not write again, so the folder ends as a full build would leave it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::theme::Theme;
use crate::render::{Interrupt, Renderer, Scope};

use super::files::{remove_file_and_empty_dirs, write_if_changed};
use super::rerender::{serve_index, Buffer};

/// A renderer's files in the serve folder after the job, by renderer name.
pub type Known = Vec<(&'static str, BTreeSet<String>)>;

/// How a job ended, for the log.
#[derive(Debug)]
pub struct Finished {
    /// The renderers that ran, by name.
    pub names: Vec<&'static str>,
    pub written: usize,
    pub removed: usize,
    pub took: Duration,
    /// Their warnings, or the error that kept their files out.
    pub problems: Vec<Diagnostic>,
}

/// One background render of the serve folder.
pub struct Job {
    interrupt: Interrupt,
    /// The job's files once it wrote them. The job writes while holding
    /// the lock and only if not interrupted, and [`Job::stop`] interrupts
    /// under it: after `stop`, the job never writes.
    result: Arc<Mutex<Option<Known>>>,
    /// Each renderer's files before the job, for a job that did not write.
    before: Known,
}

/// What a job needs from the model: shared, so the model may move on.
pub struct Inputs {
    pub site: Arc<Site>,
    pub theme: Arc<Theme>,
    /// The serve folder the renderers write into.
    pub dir: PathBuf,
    /// Each renderer with the files its previous render left in `dir`.
    pub renderers: Vec<(&'static dyn Renderer, BTreeSet<String>)>,
}

impl Job {
    /// Starts rendering `inputs.renderers` in full on a thread of its own;
    /// `done` is called there when it finished (not when interrupted).
    pub fn start(inputs: Inputs, done: Box<dyn FnOnce(Finished) + Send>) -> Job {
        let interrupt = Interrupt::new();
        let result = Arc::new(Mutex::new(None));
        let before = inputs
            .renderers
            .iter()
            .map(|(r, files)| (r.name(), files.clone()))
            .collect();
        let (raised, slot) = (interrupt.clone(), Arc::clone(&result));
        let _detached = std::thread::Builder::new()
            .name("serve-background".into())
            .spawn(move || run(inputs, raised, slot, done));
        Job {
            interrupt,
            result,
            before,
        }
    }

    /// Interrupts the job. Returns each renderer's files now in the
    /// folder: the new ones if it wrote them, else the previous ones (it
    /// will write nothing). Does not wait for the thread, which stops at
    /// its next check and frees its memory at the lowest priority.
    pub fn stop(self) -> Known {
        let mut slot = self.result.lock().unwrap_or_else(|e| e.into_inner());
        self.interrupt.raise();
        slot.take().unwrap_or(self.before)
    }
}

type Slot = Arc<Mutex<Option<Known>>>;

fn run(inputs: Inputs, interrupt: Interrupt, slot: Slot, done: Box<dyn FnOnce(Finished) + Send>) {
    lowest_priority();
    // A pool of its own (its threads inherit the priority): on the global
    // one, the next rebuild's parallel work would queue behind this job's.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "serve-background-work".into())
        .build();
    match pool {
        Ok(pool) => pool.install(|| render_all(inputs, interrupt, slot, done)),
        Err(_) => render_all(inputs, interrupt, slot, done),
    }
}

/// Lowers the calling thread's priority to the least (nice 19), so the
/// job uses only the CPU the rebuilds leave. On Linux, the nice value is
/// per thread and inherited by the threads it starts.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory effects; `who` 0 is this thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

fn render_all(
    inputs: Inputs,
    interrupt: Interrupt,
    slot: Slot,
    done: Box<dyn FnOnce(Finished) + Send>,
) {
    let started = Instant::now();
    let mut index = serve_index(&inputs.site, &inputs.theme, &inputs.dir);
    index.interrupt = interrupt;
    let mut finished = Finished {
        names: Vec::new(),
        written: 0,
        removed: 0,
        took: Duration::ZERO,
        problems: Vec::new(),
    };
    // Everything is rendered first; then written under the lock, if no
    // newer change interrupted the job by then.
    let mut results = Vec::new();
    for (renderer, before) in inputs.renderers {
        finished.names.push(renderer.name());
        let buffer = Buffer::default();
        let rendered = renderer.render(&index, &Scope::Everything, &buffer);
        if rendered.interrupted || index.interrupt.is_raised() {
            return;
        }
        let files = if rendered.has_errors() {
            None // its previous files stay
        } else {
            Some(buffer.files.into_inner().expect("buffer poisoned"))
        };
        finished.problems.extend(rendered.problems);
        results.push((renderer.name(), before, files));
    }
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if index.interrupt.is_raised() {
        return;
    }
    let mut known = Known::new();
    for (name, before, files) in results {
        let Some(files) = files else {
            known.push((name, before));
            continue;
        };
        let mut now = BTreeSet::new();
        for (rel, bytes) in files {
            match write_if_changed(&inputs.dir, &rel, &bytes) {
                Ok(true) => finished.written += 1,
                Ok(false) => {}
                Err(e) => finished.problems.push(Diagnostic::error(
                    "output",
                    inputs.dir.join(&rel),
                    e.to_string(),
                )),
            }
            now.insert(rel);
        }
        for rel in before.difference(&now) {
            if remove_file_and_empty_dirs(&inputs.dir, rel).unwrap_or(false) {
                finished.removed += 1;
            }
        }
        known.push((name, now));
    }
    *slot = Some(known);
    finished.took = started.elapsed();
    // Still under the lock, so `stop` returns only after the report: a
    // report arriving later could describe this job as the next one runs.
    done(finished);
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::build::open_site;
    use crate::output::Writer;
    use crate::render::index::Index;
    use crate::render::{Part, Rendered};

    /// Writes one file per public article; `waits` for an interrupt first,
    /// as a long re-index would.
    struct OnePerArticle {
        waits: bool,
    }
    static SLOW: OnePerArticle = OnePerArticle { waits: true };
    static QUICK: OnePerArticle = OnePerArticle { waits: false };

    impl Renderer for OnePerArticle {
        fn name(&self) -> &'static str {
            "one-per-article"
        }
        fn depends_on(&self) -> &'static [Part] {
            &[Part::PublicArticles]
        }
        fn render(&self, index: &Index, _: &Scope, out: &dyn Writer) -> Rendered {
            let mut rendered = Rendered::default();
            let slugs = index
                .published
                .iter()
                .map(|&i| &index.site.articles[i].slug);
            let files = slugs.map(|s| (format!("bg/{s}.txt"), vec![b'x'])).collect();
            rendered.write_all(out, files, false);
            let deadline = Instant::now() + Duration::from_secs(120);
            while self.waits && !index.interrupt.is_raised() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            rendered.interrupted = index.interrupt.is_raised();
            rendered
        }
    }

    /// A job of `renderer` over the example site, into a folder holding
    /// the file `bg/old.txt` of its previous render; and where it reports.
    fn start(
        renderer: &'static dyn Renderer,
    ) -> (tempfile::TempDir, Job, std::sync::mpsc::Receiver<Finished>) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("bg")).unwrap();
        fs::write(dir.path().join("bg/old.txt"), "old").unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = open_site(root, chrono::NaiveDate::from_ymd_opt(2026, 11, 23)).unwrap();
        let theme = Theme::load(root, site.config.theme_name()).unwrap();
        let inputs = Inputs {
            site: Arc::new(site),
            theme: Arc::new(theme),
            dir: dir.path().to_path_buf(),
            renderers: vec![(renderer, BTreeSet::from(["bg/old.txt".to_string()]))],
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let job = Job::start(inputs, Box::new(move |f| tx.send(f).unwrap()));
        (dir, job, rx)
    }

    #[test]
    fn an_interrupted_job_writes_nothing_and_keeps_the_old_files() {
        let (dir, job, rx) = start(&SLOW);
        std::thread::sleep(Duration::from_millis(50));
        let known = job.stop();
        assert_eq!(known.len(), 1);
        assert_eq!(known[0].0, "one-per-article");
        assert_eq!(known[0].1, BTreeSet::from(["bg/old.txt".to_string()]));
        assert!(rx.try_recv().is_err(), "an interrupted job reports nothing");
        let left: Vec<_> = fs::read_dir(dir.path().join("bg")).unwrap().collect();
        assert_eq!(left.len(), 1, "only the old file: {left:?}");
    }

    #[test]
    fn a_finished_job_writes_its_files_and_removes_the_stale_ones() {
        let (dir, job, rx) = start(&QUICK);
        let finished = rx.recv_timeout(Duration::from_secs(120)).unwrap();
        let known = job.stop();
        assert!(!dir.path().join("bg/old.txt").exists());
        assert_eq!(finished.removed, 1);
        assert!(finished.written > 0);
        assert_eq!(finished.written, known[0].1.len());
        for rel in &known[0].1 {
            assert!(dir.path().join(rel).is_file(), "{rel}");
        }
    }
}
