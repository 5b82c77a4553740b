//! Helpers for end-to-end tests: locate the built binaries, run the CLI, start and stop the
//! real server on loopback, and speak just enough HTTP to check it.
//!
//! The binaries must be built first (`cargo build --workspace --bins`; the README's test
//! command does it). Every wait here is bounded so a broken build fails instead of hanging.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Directory holding the workspace's built binaries (next to this test executable).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> -> target/<profile>
    exe.parent()
        .and_then(Path::parent)
        .expect("test executable lives in target/<profile>/deps")
        .to_path_buf()
}

/// Path of a workspace binary, with a clear failure if it was not built.
pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` before the end-to-end tests",
        path.display()
    );
    path
}

/// Runs the `waypoint` CLI against `data_dir` with `args`, passphrase in the environment.
pub fn waypoint(data_dir: &Path, args: &[&str], passphrase: Option<&str>) -> Output {
    let mut cmd = Command::new(bin("waypoint"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env_remove("WAYPOINT_PASSPHRASE");
    if let Some(p) = passphrase {
        cmd.env("WAYPOINT_PASSPHRASE", p);
    }
    cmd.stdin(Stdio::null());
    cmd.output().expect("run waypoint")
}

/// Runs the `waypoint` CLI like [`waypoint`], with extra environment `envs` and the low
/// test work factor (`WAYPOINT_TEST_SCRYPT_LOG_N`, honoured by debug builds only), so tests
/// that unlock many times stay quick. No passphrase leaks in from the caller's environment.
pub fn waypoint_quick(
    data_dir: &Path,
    args: &[&str],
    passphrase: Option<&str>,
    envs: &[(&str, &str)],
) -> Output {
    let mut cmd = Command::new(bin("waypoint"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    cmd.env_remove("WAYPOINT_PASSPHRASE");
    cmd.env_remove("WAYPOINT_SHARE_PASSPHRASE");
    cmd.env("WAYPOINT_TEST_SCRYPT_LOG_N", "4");
    if let Some(p) = passphrase {
        cmd.env("WAYPOINT_PASSPHRASE", p);
    }
    cmd.envs(envs.iter().copied());
    cmd.stdin(Stdio::null());
    cmd.output().expect("run waypoint")
}

/// A running `waypoint-server`, killed when dropped.
pub struct Server {
    child: Child,
    /// Address it listens on.
    pub addr: SocketAddr,
    /// Its stderr (logs), collected by a thread until the process exits.
    logs: mpsc::Receiver<String>,
    /// Data directory of this server.
    pub data_dir: PathBuf,
}

impl Server {
    /// Starts `waypoint-server serve` on 127.0.0.1 with a free port and waits (≤ 20 s) for it.
    pub fn start(data_dir: &Path, extra: &[&str]) -> Server {
        Self::start_with_env(data_dir, extra, &[])
    }

    /// [`Server::start`] with extra environment variables (e.g. `WAYPOINT_LOG=trace`).
    pub fn start_with_env(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(bin("waypoint-server"))
            .envs(env.iter().copied())
            .arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn waypoint-server");
        let stdout = child.stdout.take().expect("stdout piped");
        let stderr = child.stderr.take().expect("stderr piped");
        let (addr_tx, addr_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("waypoint-server listening on http://") {
                    let _ = addr_tx.send(rest.trim().to_owned());
                }
            }
        });
        let (log_tx, logs) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = log_tx.send(line);
            }
        });
        let addr = match addr_rx.recv_timeout(Duration::from_secs(20)) {
            Ok(a) => a.parse().expect("server printed a socket address"),
            Err(_) => {
                let _ = child.kill();
                panic!("waypoint-server did not report its address within 20 s");
            }
        };
        Server {
            child,
            addr,
            logs,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:4312`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and waits (≤ 10 s) for a clean exit; returns whether it exited cleanly.
    pub fn terminate(&mut self) -> bool {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        false
    }

    /// Process id (to kill it hard in tests).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit.
    pub fn wait(&mut self) {
        let _ = self.child.wait();
    }

    /// Log lines written so far.
    pub fn logs(&self) -> Vec<String> {
        self.logs.try_iter().collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// First header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET path` with `headers` and reads the whole response (connection: close).
pub fn http_get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a header block");
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("numeric status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_str = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_str.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        data = &data[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// Sends `method path` with `headers` and `body`, reads the whole response.
pub fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to server");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).expect("send request");
    stream.write_all(body).expect("send body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse_response(&raw)
}

/// Runs `waypoint-server` with `args` to completion.
pub fn server_cmd(args: &[&str]) -> Output {
    Command::new(bin("waypoint-server"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run waypoint-server")
}

/// Runs `waypoint-publish` with `args` to completion, stdin closed (so an unconfirmed
/// `sign` answers "not confirmed" instead of waiting).
pub fn publish_cmd(args: &[&str]) -> Output {
    Command::new(bin("waypoint-publish"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run waypoint-publish")
}

/// A publisher signing `candidate` (as served by `GET /api/candidates/{id}`) with their own
/// tool: `waypoint-publish sign --yes` against the server at `server_url`, checked against
/// `pinned_keyset`, plus `extra` flags (e.g. `--keyset`). Returns the run's output and the
/// signature file it wrote (empty when it refused).
pub fn publish_sign(
    candidate: &serde_json::Value,
    key: &Path,
    pinned_keyset: &Path,
    server_url: &str,
    extra: &[&str],
) -> (Output, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cand = dir.path().join("candidate.json");
    let sigs = dir.path().join("signatures.json");
    std::fs::write(&cand, candidate.to_string()).expect("write candidate");
    let mut args = vec![
        "sign",
        "--candidate",
        cand.to_str().expect("utf8"),
        "--key",
        key.to_str().expect("utf8"),
        "--pinned-keyset",
        pinned_keyset.to_str().expect("utf8"),
        "--server",
        server_url,
        "--yes",
        "--out",
        sigs.to_str().expect("utf8"),
    ];
    args.extend_from_slice(extra);
    let out = publish_cmd(&args);
    let written = std::fs::read(&sigs).unwrap_or_default();
    (out, written)
}

/// A tiny static HTTP server for attack tests: serves `files` (path -> bytes) and can be
/// told to misbehave. Runs until dropped.
pub struct StaticServer {
    /// Address.
    pub addr: SocketAddr,
    files: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl StaticServer {
    /// Serves `files`. A path mapped to the bytes `ENDLESS` streams forever; `TRUNCATE:`
    /// followed by bytes announces twice their length and closes early.
    pub fn start(files: std::collections::HashMap<String, Vec<u8>>) -> StaticServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let files = std::sync::Arc::new(std::sync::Mutex::new(files));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (f, s) = (files.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(std::sync::atomic::Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let f = f.clone();
                        std::thread::spawn(move || serve_one(stream, &f));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        StaticServer { addr, files, stop }
    }

    /// Base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces (or adds) one file.
    pub fn set(&self, path: &str, bytes: Vec<u8>) {
        self.files
            .lock()
            .expect("files")
            .insert(path.to_owned(), bytes);
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn serve_one(
    mut stream: TcpStream,
    files: &std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let body = files.lock().ok().and_then(|f| f.get(&path).cloned());
    match body {
        None => {
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
        Some(b) if b == b"ENDLESS" => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            let block = [b'{'; 65536];
            for _ in 0..100_000 {
                if stream.write_all(&block).is_err() {
                    break;
                }
            }
        }
        Some(b) if b.starts_with(b"TRUNCATE:") => {
            let body = &b[9..];
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len() * 2
                )
                .as_bytes(),
            );
            let _ = stream.write_all(body);
        }
        Some(b) => {
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    b.len()
                )
                .as_bytes(),
            );
            let _ = stream.write_all(&b);
        }
    }
}

/// The stdout of a `waypoint` run that must succeed (its stderr is shown if it did not).
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "waypoint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The JSON a `waypoint ... --json` run that must succeed printed.
pub fn stdout_json(out: Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("valid JSON")
}

/// The error of a run that must fail: exactly one line, `waypoint: reason`.
pub fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "expected failure");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("waypoint: "), "{err}");
    err
}

/// Makes an identity with Debian's `age-keygen` at `path` and returns its public recipient
/// (`age1...`), as a lawyer or case worker receiving an export would.
pub fn age_keygen(path: &Path) -> String {
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(path)
        .output()
        .expect("age-keygen (tests/setup.sh installs age)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(path)
        .expect("key")
        .lines()
        .find_map(|l| l.strip_prefix("# public key: ").map(str::to_owned))
        .expect("public key line")
}

/// Seconds since the Unix epoch, by this machine's clock.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// Runs `waypoint sync --json --server URL [--root-keyset K]` and returns its exit code and
/// JSON report.
pub fn sync_report(data: &Path, url: &str, keyset: Option<&Path>) -> (i32, serde_json::Value) {
    let mut args = vec!["sync", "--json", "--server", url];
    let k;
    if let Some(path) = keyset {
        k = path.to_str().expect("utf8").to_owned();
        args.extend(["--root-keyset", &k]);
    }
    let out = waypoint(data, &args, None);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON report: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

/// The ids of the directory records the client at `data` holds (`waypoint sync --list`).
pub fn held_ids(data: &Path) -> Vec<String> {
    let out = waypoint(data, &["sync", "--list", "--json"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

/// Plaintext-at-rest scan: no marker in any file (or file name) under `dir`, as written
/// or lower-cased.
pub fn assert_no_marker(dir: &Path, markers: &[&str]) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            assert_no_marker(&p, markers);
            continue;
        }
        let bytes = std::fs::read(&p).expect("read");
        for m in markers {
            assert!(!p.to_string_lossy().contains(m), "marker in a file name");
            for needle in [m.as_bytes().to_vec(), m.to_lowercase().into_bytes()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                    "marker found in {}",
                    p.display()
                );
            }
        }
    }
}

/// Every row of every table except the public directory, sync and bookkeeping ones (the
/// core records the highest clock reading it has seen in `meta` on every start).
pub fn personal_rows(dir: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(dir.join("store.db")).expect("open db");
    let tables: Vec<String> = {
        let mut st = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables");
        st.query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<Result<_, _>>()
            .expect("tables")
    };
    let mut out = Vec::new();
    for t in tables {
        if t.starts_with("directory")
            || t.starts_with("sync")
            || t == "meta"
            || t == "schema_version"
        {
            continue;
        }
        let mut st = db
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut row = format!("{t}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    row.push_str(&format!("{v:?}|"));
                }
                Ok(row)
            })
            .expect("rows");
        for row in rows {
            out.push(row.expect("row"));
        }
    }
    out.sort();
    out
}

/// Adds an advocate with `role` to the server's data folder; returns their token.
pub fn add_advocate(data_dir: &Path, name: &str, role: &str) -> String {
    let out = server_cmd(&[
        "advocate",
        "--data-dir",
        data_dir.to_str().expect("utf8"),
        "add",
        name,
        "--role",
        role,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned()
}

/// A demo server (`--demo`: two demo publisher keys, threshold two) plus an admin token.
pub struct DemoServer {
    pub server: Server,
    pub token: String,
    // Declared after the server so the server stops before its folder is removed.
    _dir: Option<tempfile::TempDir>,
}

impl DemoServer {
    /// Starts a demo server in a fresh folder and adds the admin `e2e-admin`.
    pub fn start() -> DemoServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let server = Server::start(dir.path(), &["--demo"]);
        let token = add_advocate(dir.path(), "e2e-admin", "admin");
        DemoServer {
            server,
            token,
            _dir: Some(dir),
        }
    }

    /// A running demo server whose folder the caller keeps, with `token`.
    pub fn around(server: Server, token: String) -> DemoServer {
        DemoServer {
            server,
            token,
            _dir: None,
        }
    }

    /// The server, for a test that stops it itself.
    pub fn into_server(self) -> Server {
        self.server
    }

    /// The demo keyset file.
    pub fn keyset(&self) -> PathBuf {
        self.server.data_dir.join("demo-keys/keyset.json")
    }

    /// Demo publisher `n`'s key file.
    pub fn key(&self, n: u8) -> PathBuf {
        self.server
            .data_dir
            .join(format!("demo-keys/publisher-{n}.key.json"))
    }

    /// Calls the console API as the advocate with `token`: the status and the JSON body
    /// (null when the body is not JSON).
    pub fn api_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> (u16, serde_json::Value) {
        let auth = format!("Bearer {token}");
        let r = http_request(
            self.server.addr,
            method,
            path,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        (
            r.status,
            serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Calls the console API as the admin.
    pub fn api(&self, method: &str, path: &str, body: &[u8]) -> (u16, serde_json::Value) {
        self.api_as(&self.token, method, path, body)
    }

    /// Signs `candidate` with each key file in `keys` using the publisher's own tool
    /// (`extra`: more arguments for it) and uploads each signature file; every signing
    /// must succeed and every upload be accepted. Returns the uploads' outcomes, in order.
    pub fn sign_and_upload_each(
        &self,
        candidate: &serde_json::Value,
        keys: &[PathBuf],
        extra: &[&str],
    ) -> Vec<serde_json::Value> {
        let id = candidate["candidate"].as_i64().expect("candidate id");
        let mut outcomes = Vec::with_capacity(keys.len());
        for key in keys {
            let (out, sigs) =
                publish_sign(candidate, key, &self.keyset(), &self.server.url(), extra);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let (s, outcome) = self.api("POST", &format!("/api/candidates/{id}/signatures"), &sigs);
            assert_eq!(s, 200, "{outcome}");
            outcomes.push(outcome);
        }
        outcomes
    }
}
