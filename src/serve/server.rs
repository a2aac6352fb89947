//! The preview server's connections: a small HTTP/1.1 server on
//! `std::net`, so that every socket gets read and write timeouts (no kept
//! HTTP crate exposes them on the sockets it accepts). One thread accepts;
//! a fixed pool of workers reads each request, asks [`super::http::route`]
//! what to answer and writes it; a slow or stalled client therefore holds
//! at most one worker, and only until its timeouts run out, while the
//! others keep answering. Files are streamed in chunks, never read whole
//! (HTML pages up to a size limit are read to add the reload script).
//! Event streams (live reload) run on threads of their own, a bounded
//! number of them, so open tabs never occupy the workers. Every response
//! closes its connection (`Connection: close`): simple, and a preview
//! server has no need for keep-alive.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::{event_stream, route, Reply, Request, Router};

/// How the server bounds its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Threads answering requests.
    pub workers: usize,
    /// Longest wait for the next bytes of a request's head.
    pub read_timeout: Duration,
    /// Longest a single write may block on a client that does not read.
    pub write_timeout: Duration,
    /// Longest time one response may take in all (a client reading a few
    /// bytes now and then cannot hold a worker for ever).
    pub response_deadline: Duration,
    /// Largest request head (request line and headers) accepted.
    pub max_head: usize,
    /// Event streams open at once; more are refused with 503.
    pub max_streams: usize,
    /// Connections waiting for a worker; more are refused with 503.
    pub backlog: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 8,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            response_deadline: Duration::from_secs(120),
            max_head: 16 * 1024,
            max_streams: 64,
            backlog: 256,
        }
    }
}

/// Why a request head could not be read.
#[derive(Debug)]
enum HeadError {
    /// The client closed or timed out before sending a request.
    Gone,
    /// Too large (431) or malformed (400).
    TooLarge,
    Malformed,
}

/// Accepts connections on `listener` and serves them with `limits` until
/// the process ends. Returns once the threads are started.
pub fn start(listener: TcpListener, router: Arc<Router>, limits: Limits) {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(limits.backlog);
    let rx = Arc::new(Mutex::new(rx));
    let streams = Arc::new(AtomicUsize::new(0));
    for n in 0..limits.workers.max(1) {
        let (rx, router, streams) = (Arc::clone(&rx), Arc::clone(&router), Arc::clone(&streams));
        std::thread::Builder::new()
            .name(format!("healthpress-http-{n}"))
            .spawn(move || worker(&rx, &router, &streams, limits))
            .expect("start an HTTP worker");
    }
    std::thread::Builder::new()
        .name("healthpress-accept".into())
        .spawn(move || accept(listener, tx, limits))
        .expect("start the HTTP accept thread");
}

fn accept(listener: TcpListener, tx: SyncSender<TcpStream>, limits: Limits) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if stream.set_read_timeout(Some(limits.read_timeout)).is_err()
            || stream
                .set_write_timeout(Some(limits.write_timeout))
                .is_err()
        {
            continue;
        }
        match tx.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(mut stream)) => {
                // Every worker is busy and the queue is full: say so at
                // once (the write timeout bounds even this).
                let _ = write_simple(&mut stream, 503, "503 Service Unavailable: busy\n");
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

fn worker(
    rx: &Mutex<Receiver<TcpStream>>,
    router: &Arc<Router>,
    streams: &Arc<AtomicUsize>,
    limits: Limits,
) {
    loop {
        let next = rx.lock().map(|rx| rx.recv());
        let Ok(Ok(stream)) = next else { return };
        serve_connection(stream, router, streams, limits);
    }
}

/// Reads one request from `stream` and answers it.
fn serve_connection(
    mut stream: TcpStream,
    router: &Arc<Router>,
    streams: &Arc<AtomicUsize>,
    limits: Limits,
) {
    let request = match read_head(&stream, limits.max_head) {
        Ok(request) => request,
        Err(HeadError::Gone) => return,
        Err(HeadError::TooLarge) => {
            let _ = write_simple(&mut stream, 431, "431 Request Header Fields Too Large\n");
            return;
        }
        Err(HeadError::Malformed) => {
            let _ = write_simple(&mut stream, 400, "400 Bad Request\n");
            return;
        }
    };
    let head_only = request.method == "HEAD";
    match route(router, &request) {
        Reply::Bytes {
            code,
            content_type,
            body,
        } => {
            let _ = write_response(&mut stream, code, content_type, &body, head_only);
        }
        Reply::File {
            code,
            content_type,
            path,
        } => {
            let started = Instant::now();
            let _ = write_file(
                &mut stream,
                code,
                content_type,
                &path,
                head_only,
                started + limits.response_deadline,
            );
        }
        Reply::Events => {
            // Long-lived: a thread of its own, a bounded number of them.
            if streams.fetch_add(1, Ordering::SeqCst) >= limits.max_streams {
                streams.fetch_sub(1, Ordering::SeqCst);
                let _ = write_simple(
                    &mut stream,
                    503,
                    "503 Service Unavailable: too many event streams\n",
                );
                return;
            }
            let (router, open) = (Arc::clone(router), Arc::clone(streams));
            let spawned = std::thread::Builder::new()
                .name("healthpress-events".into())
                .spawn(move || {
                    event_stream(stream, &router.shared);
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            if spawned.is_err() {
                // The closure, and the stream with it, was dropped.
                streams.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Reads the request line and headers (up to `max` bytes in all).
fn read_head(stream: &TcpStream, max: usize) -> Result<Request, HeadError> {
    let mut reader = BufReader::new(stream.take(max as u64 + 1));
    let mut used = 0;
    let mut line = String::new();
    let mut next_line = |line: &mut String| -> Result<(), HeadError> {
        line.clear();
        let mut raw = Vec::new();
        match reader.read_until(b'\n', &mut raw) {
            Ok(0) => {
                return Err(if used == 0 {
                    HeadError::Gone
                } else {
                    HeadError::Malformed
                })
            }
            Ok(n) => used += n,
            Err(_) => return Err(HeadError::Gone),
        }
        if used > max {
            return Err(HeadError::TooLarge);
        }
        if !raw.ends_with(b"\n") {
            return Err(HeadError::Malformed);
        }
        *line = String::from_utf8(raw).map_err(|_| HeadError::Malformed)?;
        let trimmed = line.trim_end_matches(['\r', '\n']).len();
        line.truncate(trimmed);
        Ok(())
    };
    next_line(&mut line)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || target.is_empty() {
        return Err(HeadError::Malformed);
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        headers: Vec::new(),
    };
    loop {
        next_line(&mut line)?;
        if line.is_empty() {
            return Ok(request);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed);
        };
        // A space before the colon or a folded line is a smuggling trick
        // (RFC 9112 §5.1, §5.2): refuse rather than guess.
        if name.is_empty() || name.contains([' ', '\t']) || line.starts_with([' ', '\t']) {
            return Err(HeadError::Malformed);
        }
        request
            .headers
            .push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn head(code: u16, content_type: &str, length: u64) -> String {
    format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        reason(code)
    )
}

fn write_simple(stream: &mut TcpStream, code: u16, body: &str) -> io::Result<()> {
    write_response(
        stream,
        code,
        "text/plain; charset=utf-8",
        body.as_bytes(),
        false,
    )
}

fn write_response(
    stream: &mut TcpStream,
    code: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    stream.write_all(head(code, content_type, body.len() as u64).as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()?;
    finish(stream);
    Ok(())
}

/// Streams `path` in chunks; gives up at `deadline` or on the first write
/// that times out.
fn write_file(
    stream: &mut TcpStream,
    code: u16,
    content_type: &str,
    path: &std::path::Path,
    head_only: bool,
    deadline: Instant,
) -> io::Result<()> {
    let mut file = File::open(path)?;
    let length = file.metadata()?.len();
    stream.write_all(head(code, content_type, length).as_bytes())?;
    if !head_only {
        let mut buffer = vec![0u8; 64 * 1024];
        let mut left = length;
        while left > 0 {
            if Instant::now() > deadline {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "response deadline"));
            }
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break; // the file shrank while being sent
            }
            let n = n.min(left as usize);
            stream.write_all(&buffer[..n])?;
            left -= n as u64;
        }
    }
    stream.flush()?;
    finish(stream);
    Ok(())
}

/// Closes the sending side, then drains what the client may still send
/// (briefly), so the close does not reset a response it has not read.
fn finish(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 1024];
    for _ in 0..16 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Parses `raw` as a client would send it.
    fn parse(raw: &[u8]) -> Result<Request, HeadError> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let raw = raw.to_vec();
        let client = std::thread::spawn(move || {
            let mut c = TcpStream::connect(addr).unwrap();
            c.write_all(&raw).unwrap();
            c.shutdown(Shutdown::Write).unwrap();
            c
        });
        let (server, _) = listener.accept().unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let parsed = read_head(&server, 1024);
        drop(client.join());
        parsed
    }

    #[test]
    fn reads_request_heads_and_refuses_tricks() {
        let r = parse(b"GET /a/?x=1 HTTP/1.1\r\nHost: localhost\r\nHost: evil\r\n\r\n").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a/?x=1"));
        assert_eq!(r.all("host"), vec!["localhost", "evil"]);
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
            Err(HeadError::Malformed)
        ));
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"),
            Err(HeadError::Malformed)
        ));
        assert!(matches!(
            parse(b"GARBAGE\r\n\r\n"),
            Err(HeadError::Malformed)
        ));
        assert!(matches!(parse(b""), Err(HeadError::Gone)));
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(2000));
        assert!(matches!(parse(big.as_bytes()), Err(HeadError::TooLarge)));
    }
}
