//! The `healthpress serve` process under test: started on a free port,
//! fetched over raw HTTP/1.1 with bounded waits, killed on drop.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Fixture;

pub const AS_OF: &str = "2026-11-23";
pub const WAIT: Duration = Duration::from_secs(20);

/// A running `healthpress serve`; killed on drop.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    pub log: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    pub fn start(site: &Fixture, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_healthpress"))
            .args(["serve", "--port", "0", "--as-of", AS_OF])
            .args(extra)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start healthpress serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            port: 0,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while serve.port == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!("serve did not start; log:\n{}", serve.log.lock().unwrap())
            });
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                serve.port = rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
        }
        serve
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_with_host(path, &format!("127.0.0.1:{}", self.port))
    }

    pub fn get_with_host(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let code = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (code, body)
    }

    pub fn status(&self) -> serde_json::Value {
        let (code, body) = self.get("/__healthpress/status");
        assert_eq!(code, 200, "status endpoint");
        // The body may be chunked; the JSON object is on one line.
        let json = body.lines().find(|l| l.starts_with('{')).unwrap_or("{}");
        serde_json::from_str(json).unwrap()
    }

    pub fn rebuilds(&self) -> u64 {
        self.status()["rebuilds"].as_u64().unwrap()
    }

    /// Polls `path` until `pred` holds for its body (bounded).
    pub fn wait_for(&self, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (_, body) = self.get(path);
            if pred(&body) {
                return body;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what} at {path}; body:\n{body}\nlog:\n{}",
                    self.log.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until no rebuild has happened for `quiet` and no background
    /// work (the search re-index after an edit) is running.
    pub fn settle(&self, quiet: Duration) {
        let deadline = Instant::now() + WAIT;
        let mut last = self.rebuilds();
        let mut since = Instant::now();
        while since.elapsed() < quiet || self.status()["background"] == true {
            assert!(Instant::now() < deadline, "server never settled");
            std::thread::sleep(Duration::from_millis(50));
            let now = self.rebuilds();
            if now != last {
                last = now;
                since = Instant::now();
            }
        }
    }
}
