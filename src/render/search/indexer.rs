//! The Pagefind index, built beside the rest of the build. Article pages
//! are handed over as they are rendered; one thread of its own feeds them
//! to Pagefind's `PagefindIndex` (an async API, driven by a current-thread
//! Tokio runtime) while the listings, feeds and digests render, and
//! `finish` builds the index files. Pages must be added in the same order
//! on every build: Pagefind numbers pages in arrival order, and the numbers
//! are in the files.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::render::interrupt::Interrupt;

/// Where the index bundle goes under the output root.
pub const BUNDLE_DIR: &str = "pagefind";

/// One file of the index bundle, relative to the bundle folder.
pub struct IndexFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What the index holds, for the build summary and the benchmark.
#[derive(Debug, Default, Clone, Copy)]
pub struct IndexStats {
    pub pages: usize,
    pub bytes: usize,
}

/// A page to index: its URL and the HTML to read (the page as written,
/// plus its hidden synonym field).
struct Document {
    url: String,
    html: String,
}

/// The indexing thread's result: the bundle's files and the page count.
type Indexed = Result<(Vec<IndexFile>, usize), String>;

/// `finish`'s error after an interrupt.
const INTERRUPTED: &str = "search indexing was interrupted";

/// Documents queued for Pagefind at most; the renderer waits beyond that,
/// so records are not all held in memory at once on a large site.
const QUEUE: usize = 512;

pub struct Indexer {
    sender: Option<mpsc::SyncSender<Document>>,
    worker: Option<JoinHandle<Indexed>>,
}

impl Indexer {
    /// Starts the indexing thread. Once `interrupt` is raised it reads no
    /// more pages and `finish` returns an error instead of an index.
    pub fn start(interrupt: Interrupt) -> Indexer {
        let (sender, receiver) = mpsc::sync_channel::<Document>(QUEUE);
        let worker = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || index_documents(receiver, interrupt))
            .ok();
        Indexer {
            sender: worker.is_some().then_some(sender),
            worker,
        }
    }

    /// Queues one page. Call in a fixed order (see the module doc).
    pub fn add(&self, url: String, html: String) {
        if let Some(sender) = &self.sender {
            // A send fails only if the worker is gone; `finish` reports why.
            let _ = sender.send(Document { url, html });
        }
    }

    /// Waits for every queued page and returns the index bundle's files.
    pub fn finish(mut self) -> Result<(Vec<IndexFile>, IndexStats), String> {
        drop(self.sender.take());
        let worker = self
            .worker
            .take()
            .ok_or("could not start the search indexing thread")?;
        let (files, pages) = worker
            .join()
            .map_err(|_| "the search indexer stopped unexpectedly".to_string())??;
        let stats = IndexStats {
            pages,
            bytes: files.iter().map(|f| f.bytes.len()).sum(),
        };
        Ok((files, stats))
    }
}

/// The indexing thread: every document in arrival order, then the files.
fn index_documents(receiver: mpsc::Receiver<Document>, interrupt: Interrupt) -> Indexed {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index =
            PagefindIndex::new(Some(options)).map_err(|e| format!("search index: {e}"))?;
        let mut pages = 0;
        let started = std::time::Instant::now();
        for doc in receiver {
            if interrupt.is_raised() {
                return Err(INTERRUPTED.to_string());
            }
            index
                .add_html_file(None, Some(doc.url.clone()), doc.html)
                .await
                .map_err(|e| format!("cannot index {}: {e}", doc.url))?;
            pages += 1;
        }
        crate::timings::since("    search: pages read by Pagefind", &started);
        if interrupt.is_raised() {
            return Err(INTERRUPTED.to_string());
        }
        let started = std::time::Instant::now();
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("cannot write the search index: {e}"))?;
        crate::timings::since("    search: index built", &started);
        let kept = files
            .into_iter()
            .filter(|f| is_needed(&f.filename))
            .map(|f| IndexFile {
                path: f.filename,
                bytes: f.contents,
            })
            .collect();
        Ok((kept, pages))
    })
}

/// The bundle files the theme's own search script uses: the search API,
/// its worker, the WebAssembly per language and the index itself. Pagefind's
/// prebuilt UIs (400 KB) are left out.
fn is_needed(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    let in_folder = ["index/", "fragment/", "filter/"]
        .iter()
        .any(|dir| name.starts_with(dir));
    in_folder
        || name == "pagefind.js"
        || name == "pagefind-worker.js"
        || name == "pagefind-entry.json"
        || (name.starts_with("wasm.") && name.ends_with(".pagefind"))
        || name.ends_with(".pf_meta")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lang: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html lang=\"{lang}\"><head><title>t</title></head><body><nav>菜单</nav><main data-pagefind-body>{body}</main></body></html>")
    }

    #[test]
    fn indexes_pages_per_language_and_keeps_only_the_search_files() {
        let indexer = Indexer::start(Interrupt::default());
        indexer.add(
            "/articles/a/".into(),
            page("zh-Hans", "<h1>儿童发热</h1><p>退烧药</p>"),
        );
        indexer.add("/articles/b/".into(), page("en", "<h1>Flu vaccine</h1>"));
        let (files, stats) = indexer.finish().unwrap();
        assert_eq!(stats.pages, 2);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&"pagefind.js".to_string()), "{names:?}");
        assert!(names.contains(&"pagefind-entry.json".to_string()));
        assert!(names.iter().any(|n| n.starts_with("fragment/zh-hans_")));
        assert!(names.iter().any(|n| n.starts_with("fragment/en_")));
        assert!(!names.iter().any(|n| n.contains("-ui")), "{names:?}");
        let entry = files
            .iter()
            .find(|f| f.path.as_os_str() == "pagefind-entry.json")
            .unwrap();
        let entry = String::from_utf8_lossy(&entry.bytes);
        assert!(
            entry.contains("\"zh-hans\"") && entry.contains("\"en\""),
            "{entry}"
        );
    }

    #[test]
    fn an_interrupted_indexer_gives_no_index() {
        let interrupt = Interrupt::new();
        let indexer = Indexer::start(interrupt.clone());
        indexer.add("/articles/a/".into(), page("en", "<h1>Flu</h1>"));
        interrupt.raise();
        indexer.add("/articles/b/".into(), page("en", "<h1>Cold</h1>"));
        assert_eq!(indexer.finish().err().as_deref(), Some(INTERRUPTED));
    }

    #[test]
    fn the_same_pages_in_the_same_order_give_the_same_bytes() {
        let run = || {
            let indexer = Indexer::start(Interrupt::default());
            for i in 0..5 {
                indexer.add(
                    format!("/articles/{i}/"),
                    page("zh-Hans", &format!("<h1>第{i}篇 跌倒</h1>")),
                );
            }
            let (mut files, _) = indexer.finish().unwrap();
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<Vec<_>>()
        };
        assert!(run() == run());
    }
}
