//! `healthpress serve` under hostile or careless clients: a client that
//! stops reading a large response, requests with two Host headers, and
//! bursts of saves. Assertions are on completion and counts, never on
//! tight timings; every wait is bounded.

mod common;
mod serve_support;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{ArticleSpec, Fixture};
use serve_support::Serve;

fn site() -> (Fixture, Vec<ArticleSpec>) {
    let site = Fixture::new();
    let mut specs = Vec::new();
    for n in 0..6 {
        let spec = ArticleSpec::new(&format!("a{n:02}"), &format!("文章{n:02}"))
            .date(&format!("2026-10-{:02}", n + 1));
        site.article(&spec);
        specs.push(spec);
    }
    (site, specs)
}

/// Sends a raw request head and returns the status code (0 if none came).
fn raw_status(port: u16, head: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn clients_that_stop_reading_a_large_file_never_delay_others() {
    let (site, _) = site();
    // 16 MB: far more than the socket buffers hold, so the server's writes
    // to a client that does not read block until its timeout.
    fs::create_dir_all(site.root().join("static")).unwrap();
    let big: Vec<u8> = (0..16 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    fs::write(site.root().join("static/big.bin"), &big).unwrap();
    let serve = Serve::start(&site, &[]);

    // Three clients ask for it and never read a byte.
    let stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
            write!(
                s,
                "GET /big.bin HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
                serve.port
            )
            .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));

    // Five other requests, at the same time, are all answered.
    let port = serve.port;
    let others: Vec<_> = (0..5)
        .map(|n| {
            std::thread::spawn(move || {
                let path = if n % 2 == 0 {
                    "/".to_string()
                } else {
                    format!("/articles/a0{n}/")
                };
                raw_status(
                    port,
                    &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
                )
            })
        })
        .collect();
    let codes: Vec<u16> = others.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(codes, vec![200; 5], "{}", serve.log.lock().unwrap());

    // And the large file itself arrives whole for a client that reads it.
    let mut reader = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
    reader
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(reader, "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    reader.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&raw[..split]);
    assert!(
        head.contains(&format!("Content-Length: {}", big.len())),
        "{head}"
    );
    assert!(raw[split..] == big[..], "the streamed file is the file");
    drop(stalled);
}

#[test]
fn exactly_one_allowed_host_header_is_required() {
    let (site, _) = site();
    let serve = Serve::start(&site, &[]);
    let port = serve.port;
    let ok = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
    assert_eq!(raw_status(port, &ok), 200);
    let two = format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\n\r\n");
    assert_eq!(raw_status(port, &two), 400);
    let two_same = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n";
    assert_eq!(raw_status(port, two_same), 400);
    assert_eq!(raw_status(port, "GET / HTTP/1.1\r\n\r\n"), 400, "no Host");
    let foreign = "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n";
    assert_eq!(raw_status(port, foreign), 403);
    let smuggled = format!("GET / HTTP/1.1\r\nHost : localhost:{port}\r\n\r\n");
    assert_eq!(raw_status(port, &smuggled), 400);
}

#[test]
fn a_burst_of_saves_is_rebuilt_a_few_times_and_ends_on_the_last_state() {
    let (site, specs) = site();
    let serve = Serve::start(&site, &[]);
    serve.settle(Duration::from_millis(300));
    let before = serve.rebuilds();
    let path = site.root().join("content/a03.md");
    // Forty saves, one every 100 ms: slower than the debounce, so without
    // coalescing each would be rebuilt on its own.
    let started = Instant::now();
    for n in 0..40 {
        let spec = specs[3].clone().body(&format!("第{n}次保存。\n"));
        fs::write(&path, spec.to_markdown()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let burst = started.elapsed();
    serve.wait_for("/articles/a03/", "the last save", |b| {
        b.contains("第39次保存")
    });
    serve.settle(Duration::from_millis(800));
    let rebuilds = serve.rebuilds() - before;
    // About one per two seconds of burst (the longest a batch waits) plus
    // the first and the last; never one per save.
    let bound = 3 + burst.as_secs();
    assert!(
        (1..=bound).contains(&rebuilds),
        "{rebuilds} rebuilds for 40 saves in {burst:?}:\n{}",
        serve.log.lock().unwrap()
    );
}
