//! The preview HTTP server. It serves only files under the serve folder:
//! the request path is percent-decoded exactly once and refused (404) if it
//! holds `..` or `.` segments, backslashes, NUL, colons or anything still
//! percent-encoded after that one decoding (`%252f`); encoded slashes
//! (`%2f`, `%5c`) are refused before decoding. The file found is then
//! canonicalized and must lie inside the canonical serve folder. Requests
//! whose `Host` is not localhost, 127.0.0.1, [::1] or the bind address are
//! refused with 403 (DNS rebinding), and a request with more or fewer than
//! one `Host` header with 400. HTML responses get the live-reload
//! script, and, when needed, the build-error overlay and the "not
//! published" banner, at response time: nothing of it is written to disk.

use std::fs;
use std::io::Write;
use std::net::{IpAddr, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::html::escape_html;

/// What the server shows besides files; updated after every rebuild.
#[derive(Debug, Default)]
pub struct Status {
    /// Bumped after every rebuild, good or failed; pages reload on change.
    pub generation: u64,
    /// Rebuilds done since start (full and incremental, failed included).
    pub rebuilds: u64,
    pub full_rebuilds: u64,
    /// The failed build's text, as the CLI prints it; `None` when good.
    pub error: Option<String>,
    /// Draft preview pages: output file -> state label.
    pub drafts: std::collections::BTreeMap<String, String>,
    /// Pages of articles shown with edits not yet approved (output files).
    pub edited: std::collections::BTreeSet<String>,
    /// The errors of articles withheld from the preview, as the CLI prints
    /// them; `None` when no article is withheld by an error.
    pub withheld: Option<String>,
    pub last_ms: u128,
    /// The base path of the site's URLs (`/` or e.g. `/health/`; empty
    /// until the first good build) as of the last good build, so previews
    /// of sites hosted under a sub-path resolve.
    pub base_path: String,
    /// True while a rebuild's background work (the search index) runs.
    pub background: bool,
}

/// Status shared between the rebuild loop and the server threads.
#[derive(Default)]
pub struct Shared {
    pub status: Mutex<Status>,
    pub changed: Condvar,
}

impl Shared {
    pub fn update(&self, f: impl FnOnce(&mut Status)) {
        let mut status = self.status.lock().expect("status lock");
        f(&mut status);
        status.generation += 1;
        self.changed.notify_all();
    }

    /// Changes the status without telling open pages to reload.
    pub fn set_quietly(&self, f: impl FnOnce(&mut Status)) {
        f(&mut self.status.lock().expect("status lock"));
    }

    fn base_path(&self) -> String {
        self.status.lock().expect("status lock").base_path.clone()
    }

    fn generation(&self) -> u64 {
        self.status.lock().expect("status lock").generation
    }

    /// What an HTML response for the output file `key` needs, taken under
    /// one lock without copying the rest of the status (the drafts map).
    fn page(&self, key: Option<&str>) -> PageStatus {
        let status = self.status.lock().expect("status lock");
        PageStatus {
            generation: status.generation,
            error: status.error.clone(),
            draft_label: key.and_then(|k| status.drafts.get(k).cloned()),
            edited: key.is_some_and(|k| status.edited.contains(k)),
            withheld: status.withheld.clone(),
        }
    }
}

/// The part of [`Status`] an HTML response shows.
#[derive(Debug, Default)]
pub struct PageStatus {
    pub generation: u64,
    pub error: Option<String>,
    /// The state label when the page is a draft preview.
    pub draft_label: Option<String>,
    /// The page shows an article's edits that are not approved yet.
    pub edited: bool,
    pub withheld: Option<String>,
}

/// Who may be named in the `Host` header.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    pub bind: IpAddr,
}

impl HostPolicy {
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return false };
        let host = host.trim().to_ascii_lowercase();
        let name = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((inner, port)) if port.is_empty() || valid_port(port) => format!("[{inner}]"),
                _ => return false,
            }
        } else {
            match host.rsplit_once(':') {
                Some((name, port)) if valid_port(port) => name.to_string(),
                Some(_) => return false,
                None => host,
            }
        };
        let bind = match self.bind {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        ["localhost", "127.0.0.1", "[::1]"].contains(&name.as_str()) || name == bind
    }
}

fn valid_port(p: &str) -> bool {
    let p = p.strip_prefix(':').unwrap_or(p);
    !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit())
}

/// Maps a request target to a file path relative to the serve folder, or
/// `None` (404) when it is not a plain path inside it.
pub fn safe_relative_path(target: &str, base_path: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None; // absolute-form or garbage
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0', ':']) || still_encoded(&decoded) {
        return None;
    }
    let decoded = match base_path.trim_end_matches('/') {
        "" => decoded.as_str(),
        base => decoded
            .strip_prefix(base)
            .filter(|r| r.is_empty() || r.starts_with('/'))?,
    };
    let mut rel = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            s => rel.push(s),
        }
    }
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    if decoded.ends_with('/') || rel.as_os_str().is_empty() {
        rel.push("index.html");
    }
    Some(rel)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// True if `s` still holds a `%XX` escape (the request was double-encoded).
fn still_encoded(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Finds the file for `rel` under `root` (a folder means its index.html),
/// refusing anything that canonicalizes outside `root`.
pub fn resolve_file(root: &Path, rel: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let mut path = root.join(rel).canonicalize().ok()?;
    if path.is_dir() {
        path = path.join("index.html").canonicalize().ok()?;
    }
    (path.starts_with(&root) && path.is_file()).then_some(path)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

const RELOAD_JS: &str = r#"(function () {
  var me = document.currentScript;
  var gen = me ? me.getAttribute("data-generation") : null;
  var es = new EventSource("/__healthpress/events");
  es.addEventListener("hello", function (e) { if (gen !== null && e.data !== gen) location.reload(); });
  es.addEventListener("reload", function () { location.reload(); });
})();
"#;

const OVERLAY_CSS: &str = ".healthpress-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,0,0,.92);color:#fff;font:15px/1.5 system-ui,sans-serif;padding:2rem}\
.healthpress-overlay pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,monospace;background:#300;padding:1rem;border-left:4px solid #f55}\
.healthpress-banner{position:fixed;left:0;right:0;bottom:0;z-index:2147483646;background:#b45309;color:#fff;\
font:bold 16px/1.4 system-ui,sans-serif;padding:.6rem 1rem;text-align:center}\
.healthpress-wechat{position:fixed;right:.75rem;top:.75rem;z-index:2147483645;background:#07c160;color:#fff;\
font:bold 14px/1.4 system-ui,sans-serif;padding:.35rem .7rem;border-radius:4px;text-decoration:none}\n";

/// Where serve shows the WeChat posts of `editorial/wechat/`.
pub const WECHAT_PREFIX: &str = "/__healthpress/wechat";

/// On an article's page (`key` = `articles/<slug>/index.html`) that has a
/// WeChat post: a link to it, added with the reload script.
fn wechat_link(wechat: &Path, key: Option<&str>) -> String {
    let slug = key
        .and_then(|k| k.strip_prefix("articles/"))
        .and_then(|k| k.strip_suffix("/index.html"))
        .filter(|s| !s.is_empty() && !s.contains('/'));
    match slug {
        Some(slug) if wechat.join(slug).join("index.html").is_file() => format!(
            "<a class=\"healthpress-wechat\" href=\"{WECHAT_PREFIX}/{}/\">WeChat / 公众号</a>",
            escape_html(slug)
        ),
        _ => String::new(),
    }
}

/// What gets added before `</body>` of an HTML response.
pub fn injection(status: &PageStatus) -> String {
    let mut s = format!(
        "<link rel=\"stylesheet\" href=\"/__healthpress/overlay.css\">\
<script src=\"/__healthpress/reload.js\" data-generation=\"{}\"></script>",
        status.generation
    );
    if let Some(label) = &status.draft_label {
        s += &format!(
            "<div class=\"healthpress-banner\" role=\"status\">Not published ({}): preview only, not visible on the public site</div>",
            escape_html(label)
        );
    }
    if status.edited {
        s += "<div class=\"healthpress-banner healthpress-edited\" role=\"status\">Edits not yet approved: \
this preview shows the edited text. The public site keeps this article withheld until a reviewer \
approves it again (healthpress approve).</div>";
    }
    if let Some(withheld) = &status.withheld {
        s += &format!(
            "<div class=\"healthpress-overlay healthpress-withheld\" role=\"alert\"><h2>Articles withheld</h2><pre>{}</pre>\
<p>The rest of the preview is up to date. Fix the file and this page reloads.</p></div>",
            escape_html(withheld)
        );
    }
    if let Some(error) = &status.error {
        s += &format!(
            "<div class=\"healthpress-overlay\" role=\"alert\"><h2>Build failed</h2><pre>{}</pre>\
<p>The last good build is shown underneath. Fix the file and this page reloads.</p></div>",
            escape_html(error)
        );
    }
    s
}

pub fn inject(html: &str, extra: &str) -> String {
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

/// One request as the router sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// Header names lower-cased, in the order received, repeats kept.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// Every value of header `name` (lower-case).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// What a request is answered from: the serve folder, who may be named in
/// `Host`, and the rebuild status.
pub struct Router {
    pub root: PathBuf,
    /// The WeChat posts of the editorial folder (`editorial/wechat/`),
    /// served under [`WECHAT_PREFIX`] so an article being edited can be
    /// seen as its 公众号 post.
    pub wechat: PathBuf,
    pub hosts: HostPolicy,
    pub shared: Arc<Shared>,
}

/// The answer to one request; [`super::server`] writes it.
#[derive(Debug)]
pub enum Reply {
    Bytes {
        code: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// A file sent as it is on disk, streamed in chunks.
    File {
        code: u16,
        content_type: &'static str,
        path: PathBuf,
    },
    /// The live-reload event stream.
    Events,
}

/// HTML pages up to this size get the reload script (and overlay, banner)
/// added; larger ones are streamed as they are.
const MAX_INJECTED_HTML: u64 = 8 * 1024 * 1024;

fn text(code: u16, body: &str) -> Reply {
    Reply::Bytes {
        code,
        content_type: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

/// Answers one request: exactly one `Host` header naming this machine,
/// GET or HEAD only, then the server's own endpoints or a file of the serve
/// folder (its 404 page when there is none).
pub fn route(router: &Router, request: &Request) -> Reply {
    let hosts = request.all("host");
    if hosts.len() != 1 {
        // Two Host headers may be read differently by a proxy and by us.
        return text(
            400,
            "400 Bad Request: exactly one Host header is required\n",
        );
    }
    if !router.hosts.allows(hosts.first().copied()) {
        return text(403, "403 Forbidden: unexpected Host header\n");
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return text(405, "405 Method Not Allowed\n");
    }
    let shared = &router.shared;
    let url = request.target.as_str();
    let path_only = url.split('?').next().unwrap_or("");
    match path_only {
        "/__healthpress/events" => return Reply::Events,
        "/__healthpress/reload.js" => {
            return Reply::Bytes {
                code: 200,
                content_type: "text/javascript; charset=utf-8",
                body: RELOAD_JS.as_bytes().to_vec(),
            }
        }
        "/__healthpress/overlay.css" => {
            return Reply::Bytes {
                code: 200,
                content_type: "text/css; charset=utf-8",
                body: OVERLAY_CSS.as_bytes().to_vec(),
            }
        }
        "/__healthpress/status" => {
            let body = {
                let s = shared.status.lock().expect("status lock");
                serde_json::json!({
                    "generation": s.generation,
                    "rebuilds": s.rebuilds,
                    "full_rebuilds": s.full_rebuilds,
                    "error": s.error,
                    "withheld": s.withheld,
                    "edited": s.edited,
                    "last_ms": s.last_ms as u64,
                    "background": s.background,
                })
            };
            return Reply::Bytes {
                code: 200,
                content_type: "application/json",
                body: body.to_string().into_bytes(),
            };
        }
        _ => {}
    }
    let in_wechat =
        path_only == WECHAT_PREFIX || path_only.starts_with(&format!("{WECHAT_PREFIX}/"));
    let (root, base) = if in_wechat {
        (&router.wechat, WECHAT_PREFIX.to_string())
    } else {
        (&router.root, shared.base_path())
    };
    let found =
        safe_relative_path(url, &base).and_then(|rel| resolve_file(root, &rel).map(|f| (rel, f)));
    let (code, file, rel) = match found {
        Some((rel, file)) => (200, file, Some(rel)),
        None => match resolve_file(root, Path::new("404.html")) {
            Some(file) => (404, file, None),
            None => return text(404, "404 Not Found\n"),
        },
    };
    let content_type = content_type(&file);
    let small = fs::metadata(&file).is_ok_and(|m| m.len() <= MAX_INJECTED_HTML);
    if !content_type.starts_with("text/html") || !small {
        return Reply::File {
            code,
            content_type,
            path: file,
        };
    }
    let Ok(bytes) = fs::read(&file) else {
        return text(404, "404 Not Found\n");
    };
    let key = rel.map(|r| {
        let mut k = r.to_string_lossy().replace('\\', "/");
        if root.join(&k).is_dir() {
            k += "/index.html";
        }
        k
    });
    let page = shared.page(key.as_deref().filter(|_| !in_wechat));
    let mut extra = injection(&page);
    if !in_wechat {
        extra += &wechat_link(&router.wechat, key.as_deref());
    }
    Reply::Bytes {
        code,
        content_type,
        body: inject(&String::from_utf8_lossy(&bytes), &extra).into_bytes(),
    }
}

/// A server-sent event stream: `hello` with the current generation, then
/// `reload` after every rebuild; a comment every 15 s detects closed tabs
/// (a write that times out or fails ends the stream).
pub fn event_stream(mut writer: TcpStream, shared: &Shared) {
    let mut seen = shared.generation();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\nevent: hello\ndata: {seen}\n\n"
    );
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let status = shared.status.lock().expect("status lock");
        let (status, _) = shared
            .changed
            .wait_timeout_while(status, Duration::from_secs(15), |s| s.generation == seen)
            .expect("status lock");
        let now = status.generation;
        drop(status);
        let msg = if now != seen {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        } else {
            ": keep-alive\n\n".to_string()
        };
        if writer
            .write_all(msg.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal_and_encoded_separators() {
        for bad in [
            "/../../etc/passwd",
            "/a/../b",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2e%2e%2fetc%2fpasswd",
            "/..%2fetc",
            "/%252e%252e%252fetc",
            "/a%252fb",
            "/a%5c..%5cb",
            "/a\\b",
            "/a%00.html",
            "http://evil.example/etc/passwd",
            "/c:/windows",
            "/%zz",
            "/./index.html",
        ] {
            assert_eq!(safe_relative_path(bad, "/"), None, "{bad}");
        }
        assert_eq!(
            safe_relative_path("/", "/"),
            Some(PathBuf::from("index.html"))
        );
        assert_eq!(
            safe_relative_path("/articles/fever/?x=1", "/"),
            Some(PathBuf::from("articles/fever/index.html"))
        );
        assert_eq!(
            safe_relative_path("/%E5%84%BF%E7%AB%A5/a.css", "/"),
            Some(PathBuf::from("儿童/a.css"))
        );
        assert_eq!(
            safe_relative_path("/health/atom.xml", "/health/"),
            Some(PathBuf::from("atom.xml"))
        );
        assert_eq!(safe_relative_path("/healthx/atom.xml", "/health/"), None);
    }

    #[test]
    fn resolve_stays_inside_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/index.html"), "x").unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(resolve_file(&root, Path::new("a")).is_some());
        assert!(resolve_file(&root, Path::new("a/index.html")).is_some());
        assert!(resolve_file(&root, Path::new("../secret.txt")).is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert!(resolve_file(&root, Path::new("link.txt")).is_none());
        }
    }

    #[test]
    fn host_policy() {
        let p = HostPolicy {
            bind: "127.0.0.1".parse().unwrap(),
        };
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:3000",
            "LOCALHOST",
        ] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:80",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "localhost:x",
            "",
        ] {
            assert!(!p.allows(Some(bad)), "{bad}");
        }
        assert!(!p.allows(None));
        let lan = HostPolicy {
            bind: "192.168.1.5".parse().unwrap(),
        };
        assert!(lan.allows(Some("192.168.1.5:8000")));
    }

    #[test]
    fn injection_escapes_errors() {
        let status = PageStatus {
            error: Some("content/a.md:3: error[x]: <script>".into()),
            draft_label: Some("draft".into()),
            ..PageStatus::default()
        };
        let html = inject("<html><body><p>hi</p></body></html>", &injection(&status));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("Not published (draft)"));
        assert!(html.ends_with("</body></html>"));
    }
}
