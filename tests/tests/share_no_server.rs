//! "Sharing goes through no Waypoint server", checked end to end: a sync server that counts
//! every connection is configured for every command (`WAYPOINT_SYNC_SERVER`, and as the
//! HTTP(S) proxy), a sync proves the counter sees the CLI when it does talk to a server,
//! then the survivor saves a recipient, compares a fingerprint and shares a chosen entry
//! and document to a key and to a passphrase, and the lawyer opens the package: the server
//! sees not one more connection.
//!
//! Needs `cargo build --workspace --bins` first.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use waypoint_e2e::{age_keygen, ok, stdout_json, waypoint_quick};

const PASS: &str = "a long vault passphrase";
const SHARE_PASS: &str = "a passphrase for the lawyer";

/// A server that counts every connection and answers each with 404.
struct CountingServer {
    url: String,
    count: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl CountingServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        listener.set_nonblocking(true).expect("nonblocking");
        let count = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (count.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        c.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                        let mut buf = [0u8; 4096];
                        let _ = stream.read(&mut buf);
                        let _ = stream.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        CountingServer { url, count, stop }
    }

    /// Connections so far (after a moment for any late one to be accepted).
    fn connections(&self) -> usize {
        std::thread::sleep(Duration::from_millis(200));
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for CountingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn wp(server: &CountingServer, dir: &Path, args: &[&str], pass: Option<&str>) -> Output {
    let u = server.url.as_str();
    waypoint_quick(
        dir,
        args,
        pass,
        &[
            ("WAYPOINT_SYNC_SERVER", u),
            ("HTTP_PROXY", u),
            ("HTTPS_PROXY", u),
            ("ALL_PROXY", u),
            ("http_proxy", u),
            ("https_proxy", u),
            ("all_proxy", u),
            ("WAYPOINT_SHARE_PASSPHRASE", SHARE_PASS),
        ],
    )
}

#[test]
fn sharing_a_chosen_entry_and_document_makes_no_connection_to_the_configured_server() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = CountingServer::start();
    let dir = tmp.path().join("data");
    ok(wp(&server, &dir, &["init"], Some(PASS)));
    // The counter sees the CLI when it does talk to the configured server.
    let _ = wp(&server, &dir, &["sync", "--json"], None);
    let after_sync = server.connections();
    assert!(after_sync >= 1, "the sync reached the counting server");

    let entry = stdout_json(wp(
        &server,
        &dir,
        &[
            "--json",
            "journal",
            "add",
            "--title",
            "shared",
            "--body",
            "what happened",
        ],
        Some(PASS),
    ));
    let entry_id = entry["id"].as_str().expect("id").to_owned();
    ok(wp(
        &server,
        &dir,
        &["journal", "add", "--title", "not shared", "--body", "x"],
        Some(PASS),
    ));
    let doc = stdout_json(wp(
        &server,
        &dir,
        &[
            "--json",
            "documents",
            "add",
            "--type",
            "passport",
            "--label",
            "mine",
        ],
        Some(PASS),
    ));
    let doc_id = doc["id"].as_str().expect("id").to_owned();
    let scan = tmp.path().join("scan.jpg");
    std::fs::write(&scan, b"\xff\xd8 pretend scan").expect("scan");
    ok(wp(
        &server,
        &dir,
        &[
            "documents",
            "set-file",
            &doc_id,
            scan.to_str().expect("utf-8"),
        ],
        Some(PASS),
    ));
    let before = server.connections();

    // The lawyer's key: saved, its fingerprint compared, the package made, then opened.
    let identity = tmp.path().join("lawyer.txt");
    let key = age_keygen(&identity);
    let saved = stdout_json(wp(
        &server,
        &dir,
        &[
            "--json",
            "share",
            "recipients",
            "add",
            "--label",
            "lawyer",
            "--key",
            &key,
        ],
        Some(PASS),
    ));
    ok(wp(&server, &dir, &["share", "fingerprint", &key], None));
    let to_key = tmp.path().join("to-key.age");
    ok(wp(
        &server,
        &dir,
        &[
            "share",
            "--entry",
            &entry_id,
            "--document",
            &doc_id,
            "--to",
            saved["id"].as_str().expect("id"),
            "--out",
            to_key.to_str().expect("utf-8"),
        ],
        Some(PASS),
    ));
    let to_pass = tmp.path().join("to-pass.age");
    ok(wp(
        &server,
        &dir,
        &[
            "share",
            "--entry",
            &entry_id,
            "--document",
            &doc_id,
            "--passphrase",
            "--out",
            to_pass.to_str().expect("utf-8"),
        ],
        Some(PASS),
    ));
    let opened = tmp.path().join("opened");
    ok(wp(
        &server,
        &tmp.path().join("lawyer-data"),
        &[
            "open-share",
            to_key.to_str().expect("utf-8"),
            "--identity",
            identity.to_str().expect("utf-8"),
            "--out",
            opened.to_str().expect("utf-8"),
        ],
        None,
    ));
    assert!(opened.exists(), "the package opened");
    assert!(to_pass.metadata().expect("package").len() > 0);

    assert_eq!(
        server.connections(),
        before,
        "sharing made a connection to the configured Waypoint server"
    );
}
