//! The walking skeleton end to end: the real server answers, the real CLI reports status.

use waypoint_e2e::{http_get, waypoint, Server};

#[test]
fn server_answers_healthz_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(dir.path(), &[]);
    let resp = http_get(server.addr, "/healthz", &[]);
    assert_eq!(resp.status, 200);
    let body: serde_json::Value = serde_json::from_slice(&resp.body).expect("json body");
    assert_eq!(body["status"], "ok");
    assert!(resp.header("set-cookie").is_none(), "no cookies, ever");
    assert!(server.terminate(), "graceful shutdown on SIGTERM");
}

#[test]
fn server_logs_never_contain_the_client_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(dir.path(), &[]);
    // Connect from a distinctive loopback source port range by making several requests.
    for _ in 0..5 {
        assert_eq!(http_get(server.addr, "/healthz", &[]).status, 200);
    }
    assert!(server.terminate());
    let logs = server.logs().join("\n");
    // The listening address is the server's own; any other 127.0.0.1:<port> would be a client.
    let own = server.addr.to_string();
    for line in logs.lines() {
        let without_own = line.replace(&own, "");
        assert!(
            !without_own.contains("127.0.0.1"),
            "log line mentions a client address: {line}"
        );
    }
}

#[test]
fn cli_status_prints_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = waypoint(dir.path(), &["status", "--json"], None);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(status["schema"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(status["vault"].is_string());
}

#[test]
fn cli_error_is_one_line_and_nonzero() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A data directory that is a file cannot be opened.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let out = waypoint(&file, &["status"], None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.starts_with("waypoint: "));
}
