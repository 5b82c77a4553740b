//! Sync end to end: the real server binary on loopback, the real CLI as the client, and a
//! hostile static server for the attacks. Each attack is its own test and checks both that
//! the update is refused and that the last good directory is kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use waypoint_e2e::{
    held_ids, http_get, http_request, publish_sign, server_cmd, sync_report, unix_now, waypoint,
    Server, StaticServer,
};
use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::publish::PublisherKey;

use waypoint_e2e::DemoServer as Demo;

/// What the sync tests do with a demo server beyond the shared helpers.
trait Publishing {
    fn publish(&self, resource: Value) -> u64;
    fn freeze_and_sign(&self, keys: u8) -> u64;
    fn file(&self, path: &str) -> Vec<u8>;
}

impl Publishing for Demo {
    /// Puts `resource` in the draft, freezes, signs with both demo keys (two rounds) and
    /// returns the published version.
    fn publish(&self, resource: Value) -> u64 {
        let id = resource["id"].as_str().expect("id").to_owned();
        let (s, v) = self.api(
            "PUT",
            &format!("/api/draft/resources/{id}"),
            resource.to_string().as_bytes(),
        );
        assert_eq!(s, 200, "{v}");
        self.freeze_and_sign(2)
    }

    /// Freezes and signs with the first `keys` demo keys; returns the candidate version.
    fn freeze_and_sign(&self, keys: u8) -> u64 {
        let (s, mut cand) = self.api("POST", "/api/candidates", b"");
        assert_eq!(s, 200, "{cand}");
        let id = cand["candidate"].as_i64().expect("candidate id");
        for _round in 0..2 {
            let key_files: Vec<PathBuf> = (1..=keys).map(|n| self.key(n)).collect();
            let mut published = false;
            for outcome in self.sign_and_upload_each(&cand, &key_files, &[]) {
                published = outcome["published"].as_bool().expect("published flag");
            }
            if published {
                break;
            }
            let (s, next) = self.api("GET", &format!("/api/candidates/{id}"), b"");
            assert_eq!(s, 200);
            cand = next;
        }
        cand["version"].as_u64().expect("version")
    }

    fn file(&self, path: &str) -> Vec<u8> {
        let r = http_get(self.server.addr, path, &[]);
        assert_eq!(r.status, 200, "{path}");
        r.body
    }
}

fn resource(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "organization": {"en": "E2E Org"},
        "name": {"en": name},
        "categories": ["legal_aid"],
        "locations": [{"country": "US"}],
        "phones": [{"number": "+1 202 555 0100", "country": "US", "kind": "voice"}],
        "fees": {"free": true},
        "last_verified": "2026-11-01",
        "source": "e2e"
    })
}

/// Runs `waypoint sync` and returns (exit code, report).

#[test]
fn publish_then_sync_then_edit_syncs_by_delta() {
    let demo = Demo::start();
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &demo.server.url(), Some(&demo.keyset()));
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["outcome"]["kind"], "updated");
    assert_eq!(r["outcome"]["via_delta"], false);
    assert_eq!(r["version"], 1);

    let (code, r) = sync_report(client.path(), &demo.server.url(), None);
    assert_eq!(
        (code, r["outcome"]["kind"].as_str()),
        (0, Some("already_current")),
        "{r}"
    );

    let v = demo.publish(resource("e2e-legal-aid", "E2E Legal Aid Clinic"));
    assert_eq!(v, 2);
    let (code, r) = sync_report(client.path(), &demo.server.url(), None);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["outcome"],
        json!({"kind": "updated", "version": 2, "via_delta": true})
    );
    assert!(held_ids(client.path()).contains(&"e2e-legal-aid".to_owned()));
    // What was published is what the survivor's search finds, with its dial action.
    let out = waypoint(
        client.path(),
        &["directory", "search", "legal aid clinic", "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["results"][0]["id"], "e2e-legal-aid", "{v}");
    assert_eq!(
        v["results"][0]["actions"][0]["uri"], "tel:+12025550100",
        "{v}"
    );
    // `directory status` shows the synced version and when it was synced.
    let out = waypoint(client.path(), &["directory", "status", "--json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (v["version"].as_u64(), v["origin"].as_str()),
        (Some(2), Some("update")),
        "{v}"
    );
    assert!(v["last_sync_ms"].as_i64().is_some(), "{v}");
    assert_eq!(v["stale"], false);
}

#[test]
fn manifest_is_cacheable_and_public_routes_refuse_bodies_and_cookies() {
    let demo = Demo::start();
    let r = http_get(demo.server.addr, "/v1/manifest", &[]);
    assert_eq!(r.status, 200);
    let etag = r.header("etag").expect("etag").to_owned();
    assert!(r
        .header("cache-control")
        .is_some_and(|c| c.contains("max-age")));
    assert!(r.header("set-cookie").is_none());
    let r = http_get(
        demo.server.addr,
        "/v1/manifest",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    let r = http_get(
        demo.server.addr,
        "/v1/bundles/1",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let r = http_request(demo.server.addr, "GET", "/v1/manifest", &[], b"hello");
    assert_eq!(r.status, 413);
}

#[test]
fn advocate_api_checks_tokens_roles_and_fields() {
    let demo = Demo::start();
    let data = demo.server.data_dir.to_str().expect("utf8");
    let out = server_cmd(&[
        "advocate",
        "--data-dir",
        data,
        "add",
        "ed",
        "--role",
        "editor",
    ]);
    let editor = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    let ed_auth = format!("Bearer {editor}");
    // An editor may edit the draft but not freeze it.
    let body = resource("x-1", "X").to_string();
    let r = http_request(
        demo.server.addr,
        "PUT",
        "/api/draft/resources/x-1",
        &[("Authorization", &ed_auth)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
    let r = http_request(
        demo.server.addr,
        "POST",
        "/api/candidates",
        &[("Authorization", &ed_auth)],
        b"",
    );
    assert_eq!(r.status, 403);
    // Field-level errors.
    let mut bad = resource("x-2", "X");
    bad["locations"][0]["country"] = json!("usa");
    let r = http_request(
        demo.server.addr,
        "PUT",
        "/api/draft/resources/x-2",
        &[("Authorization", &ed_auth)],
        bad.to_string().as_bytes(),
    );
    assert_eq!(r.status, 422);
    let v: Value = serde_json::from_slice(&r.body).expect("json");
    assert!(
        v["fields"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("country"),
        "{v}"
    );
    // Revoked tokens stop working; wrong tokens are 401.
    assert!(
        server_cmd(&["advocate", "--data-dir", data, "revoke", "ed"])
            .status
            .success()
    );
    let r = http_request(
        demo.server.addr,
        "GET",
        "/api/whoami",
        &[("Authorization", &ed_auth)],
        b"",
    );
    assert_eq!(r.status, 401);
    let r = http_request(
        demo.server.addr,
        "GET",
        "/api/whoami",
        &[("Authorization", "Bearer wpt_00_11")],
        b"",
    );
    assert_eq!(r.status, 401);
    // The audit log names who did what.
    let (s, log) = demo.api("GET", "/api/audit", b"");
    assert_eq!(s, 200);
    let actions: Vec<&str> = log
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"draft.put") && actions.contains(&"advocate.revoke"),
        "{actions:?}"
    );
}

/// Serves the demo's published files (and its current freshness statement) from a hostile
/// static server.
fn mirror(demo: &Demo, version: u64) -> (StaticServer, HashMap<String, Vec<u8>>) {
    let mut files = HashMap::new();
    for p in [
        "/v1/manifest".to_owned(),
        format!("/v1/bundles/{version}"),
        "/v1/keysets/1".to_owned(),
        "/v1/freshness".to_owned(),
    ] {
        files.insert(p.clone(), demo.file(&p));
    }
    (StaticServer::start(files.clone()), files)
}

fn synced_client(url: &str, keyset: &Path) -> tempfile::TempDir {
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), url, Some(keyset));
    assert_eq!(code, 0, "{r}");
    client
}

fn edit_payload(env_bytes: &[u8], t: PayloadType, f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut env = Envelope::parse(env_bytes, t, usize::MAX).expect("envelope");
    let mut v: Value = serde_json::from_slice(&env.payload).expect("payload");
    f(&mut v);
    env.payload = serde_json::to_vec(&v).expect("json");
    env.to_bytes()
}

fn assert_kept(client: &Path, code: i32, r: &Value, version: u64, why: &str) {
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "rejected", "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains(why),
        "{r}"
    );
    assert_eq!(r["version"], version, "last good kept");
    assert_eq!(held_ids(client).len(), 3, "last good records kept");
}

#[test]
fn forged_bundle_from_a_compromised_server_is_rejected_and_last_good_kept() {
    let demo = Demo::start();
    let (evil, files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    // The server owner swaps a hotline number in a new "version 2" and re-points the manifest.
    let bundle = edit_payload(&files["/v1/bundles/1"], PayloadType::Bundle, |v| {
        v["version"] = json!(2);
        v["records"][1]["phones"][0]["number"] = json!("+1 202 555 0199");
    });
    let manifest = edit_payload(&files["/v1/manifest"], PayloadType::Manifest, |v| {
        v["version"] = json!(2);
        v["bundle"]["to"] = json!(2);
    });
    evil.set("/v1/bundles/2", bundle);
    evil.set("/v1/manifest", manifest);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_kept(client.path(), code, &r, 1, "invalid signature");
}

#[test]
fn one_of_two_signatures_is_rejected() {
    let demo = Demo::start();
    let (evil, files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    // The honest server does not publish what only one of two publishers signed.
    demo.freeze_and_sign(1);
    assert_eq!(demo.file("/v1/manifest"), files["/v1/manifest"]);
    let mut env =
        Envelope::parse(&files["/v1/manifest"], PayloadType::Manifest, usize::MAX).expect("env");
    env.signatures.truncate(1);
    evil.set("/v1/manifest", env.to_bytes());
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    // Same version with one signature: the manifest itself fails verification.
    assert_kept(client.path(), code, &r, 1, "too few valid signatures");
}

#[test]
fn same_key_twice_and_unknown_key_are_rejected() {
    let demo = Demo::start();
    let (evil, files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    let mut env =
        Envelope::parse(&files["/v1/manifest"], PayloadType::Manifest, usize::MAX).expect("env");
    let first = env.signatures[0].clone();
    env.signatures[1] = first;
    evil.set("/v1/manifest", env.to_bytes());
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_kept(client.path(), code, &r, 1, "duplicate key id");

    let stranger = PublisherKey::generate();
    let mut env =
        Envelope::parse(&files["/v1/manifest"], PayloadType::Manifest, usize::MAX).expect("env");
    env.signatures[1] = stranger.sign(PayloadType::Manifest, &env.payload);
    evil.set("/v1/manifest", env.to_bytes());
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_kept(client.path(), code, &r, 1, "unknown key");
}

#[test]
fn rollback_to_an_older_signed_version_is_rejected() {
    let demo = Demo::start();
    let old_manifest = demo.file("/v1/manifest");
    let old_bundle = demo.file("/v1/bundles/1");
    demo.publish(resource("e2e-new", "New"));
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &demo.server.url(), Some(&demo.keyset()));
    assert_eq!((code, r["version"].as_u64()), (0, Some(2)), "{r}");
    let mut files = HashMap::new();
    files.insert("/v1/manifest".to_owned(), old_manifest);
    files.insert("/v1/bundles/1".to_owned(), old_bundle);
    let evil = StaticServer::start(files);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("rollback"),
        "{r}"
    );
    assert_eq!(r["version"], 2);
    assert_eq!(held_ids(client.path()).len(), 4);
}

#[test]
fn endless_and_truncated_bodies_are_refused_and_last_good_kept() {
    let demo = Demo::start();
    let (evil, _files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    evil.set("/v1/manifest", b"ENDLESS".to_vec());
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("limit"),
        "{r}"
    );
    assert_eq!(r["version"], 1);

    let mut truncated = b"TRUNCATE:".to_vec();
    truncated.extend_from_slice(&demo.file("/v1/manifest"));
    evil.set("/v1/manifest", truncated);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "offline", "{r}");
    assert_eq!(held_ids(client.path()).len(), 3);
}

/// Signs a bundle of the demo's version-1 records as `version`, valid from `created` to
/// `expires` (Unix seconds), with both demo publisher keys, and its manifest.
fn signed_demo_version(
    demo: &Demo,
    bundle1: &[u8],
    version: u64,
    created: i64,
    expires: i64,
) -> (Vec<u8>, Vec<u8>) {
    use waypoint_format::publish::{build_bundle, build_manifest};
    let env = Envelope::parse(bundle1, PayloadType::Bundle, usize::MAX).expect("envelope");
    let v: Value = serde_json::from_slice(&env.payload).expect("payload");
    let records: Vec<waypoint_format::Record> =
        serde_json::from_value(v["records"].clone()).expect("records");
    let keys = [1, 2].map(|n| PublisherKey::read_key_file(&demo.key(n)).expect("demo key"));
    let signers: Vec<&PublisherKey> = keys.iter().collect();
    let bundle = build_bundle(version, created, expires, &records, &signers).expect("bundle");
    let manifest = build_manifest(version, created, expires, &bundle, &[], &signers);
    (bundle, manifest)
}

#[test]
fn expired_bundle_keeps_last_good_and_reports_stale() {
    let demo = Demo::start();
    let (evil, files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    // Properly signed by both publishers, but it expired yesterday: replaying an old,
    // expired publication (e.g. one that still listed a closed shelter) must not install.
    let now = unix_now();
    let (bundle, manifest) = signed_demo_version(
        &demo,
        &files["/v1/bundles/1"],
        2,
        now - 3 * 86_400,
        now - 86_400,
    );
    evil.set("/v1/bundles/2", bundle);
    evil.set("/v1/manifest", manifest);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    // The offer is refused as expired. The held version 1 is neither expired nor past its
    // freshness statement, so the report does not call it stale (it used to say "stale
    // since" the offer's expiry, with `stale: false`).
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "rejected", "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("expired"),
        "{r}"
    );
    assert_eq!(r["stale"], false, "{r}");
    assert_eq!(r["version"], 1, "last good kept");
    assert_eq!(held_ids(client.path()).len(), 3, "help lines never dropped");
}

#[test]
fn clock_moved_back_does_not_revive_an_expired_bundle() {
    let demo = Demo::start();
    let (evil, files) = mirror(&demo, 1);
    let client = synced_client(&evil.url(), &demo.keyset());
    let now = unix_now();
    // Version 2 was created twelve hours from the phone's "now" (within the day of clock
    // skew allowed): once seen, the client's latest known time is at least that, whatever the
    // phone's clock says afterwards. This is what a phone whose clock was wound back twelve
    // hours looks like to the client.
    let (b2, m2) = signed_demo_version(
        &demo,
        &files["/v1/bundles/1"],
        2,
        now + 12 * 3600,
        now + 30 * 86_400,
    );
    evil.set("/v1/bundles/2", b2);
    evil.set("/v1/manifest", m2);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!((code, r["version"].as_u64()), (0, Some(2)), "{r}");
    // Version 3 is valid by the wound-back wall clock (expires in six hours) but expired by
    // the latest known time: refused, version 2 kept.
    let (b3, m3) = signed_demo_version(
        &demo,
        &files["/v1/bundles/1"],
        3,
        now - 86_400,
        now + 6 * 3600,
    );
    evil.set("/v1/bundles/3", b3);
    evil.set("/v1/manifest", m3);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "rejected", "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("expired"),
        "{r}"
    );
    assert_eq!(r["version"], 2, "{r}");
}

#[test]
fn wrong_delta_base_falls_back_to_the_full_bundle() {
    let demo = Demo::start();
    let client = synced_client(&demo.server.url(), &demo.keyset());
    demo.publish(resource("e2e-a", "A"));
    let good_manifest = demo.file("/v1/manifest");
    let bundle2 = demo.file("/v1/bundles/2");
    let delta = demo.file("/v1/deltas/1/2");
    let mut files = HashMap::new();
    files.insert("/v1/manifest".to_owned(), good_manifest);
    files.insert("/v1/bundles/2".to_owned(), bundle2);
    // A delta whose bytes do not match the manifest's hash (swapped for a damaged one).
    let mut bad = delta.clone();
    bad.truncate(bad.len() / 2);
    files.insert("/v1/deltas/1/2".to_owned(), bad);
    let evil = StaticServer::start(files);
    let (code, r) = sync_report(client.path(), &evil.url(), None);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["outcome"],
        json!({"kind": "updated", "version": 2, "via_delta": false})
    );
}

#[test]
fn server_down_keeps_the_directory_and_reports_offline() {
    let mut demo = Demo::start();
    let client = synced_client(&demo.server.url(), &demo.keyset());
    let url = demo.server.url();
    assert!(demo.server.terminate());
    let (code, r) = sync_report(client.path(), &url, None);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "offline");
    assert_eq!(held_ids(client.path()).len(), 3, "offline keeps working");
}

/// A hostile sync server: serves `files`, gives every answer its own `ETag` (so a client
/// that stored and sent it back could be told apart from every other one) and records every
/// request head.
fn etag_tagging_server(
    files: HashMap<String, Vec<u8>>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = heads.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut s) = stream else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => buf.extend_from_slice(&chunk[..k]),
                }
            }
            let head = String::from_utf8_lossy(&buf).to_string();
            recorded.lock().expect("heads").push(head.clone());
            let path = head.split_whitespace().nth(1).unwrap_or("/");
            let _ = match files.get(path) {
                Some(b) => s
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nETag: \"phone-{n}\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            b.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| s.write_all(b)),
                None => s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    (url, heads)
}

#[test]
fn clients_send_identical_requests_and_server_logs_hold_no_address() {
    use waypoint_format::publish::{build_bundle, build_keyset, build_manifest, sign_keyset};
    let k1 = PublisherKey::generate();
    let now = unix_now();
    let keyset = build_keyset(1, now + 365 * 86_400, 1, vec![k1.public_entry()]);
    let keys_dir = tempfile::tempdir().expect("tempdir");
    let ks = keys_dir.path().join("k.json");
    std::fs::write(&ks, sign_keyset(&keyset, &[&k1])).expect("write");
    let record: waypoint_format::Record =
        serde_json::from_value(resource("e2e-one", "One")).expect("record");
    let bundle = build_bundle(1, now - 60, now + 30 * 86_400, &[record], &[&k1]).expect("bundle");
    let manifest = build_manifest(1, now - 60, now + 30 * 86_400, &bundle, &[], &[&k1]);
    let mut files = HashMap::new();
    files.insert("/v1/bundles/1".to_owned(), bundle);
    files.insert("/v1/manifest".to_owned(), manifest);
    let (url, heads) = etag_tagging_server(files);
    // Two phones, each syncing twice: the second round is a conditional request. Each phone
    // was handed its own ETag in the first round; what it sends back must not depend on it.
    let mut second_rounds = Vec::new();
    for _ in 0..2 {
        let data = tempfile::tempdir().expect("tempdir");
        let (code, r) = sync_report(data.path(), &url, Some(&ks));
        assert_eq!(
            (code, r["outcome"]["kind"].as_str()),
            (0, Some("updated")),
            "{r}"
        );
        let before = heads.lock().expect("heads").len();
        let (code, r) = sync_report(data.path(), &url, None);
        assert_eq!(
            (code, r["outcome"]["kind"].as_str()),
            (0, Some("already_current")),
            "{r}"
        );
        second_rounds.push(heads.lock().expect("heads")[before..].join(""));
    }
    assert_eq!(
        second_rounds[0], second_rounds[1],
        "two phones, identical request bytes"
    );
    let lower = second_rounds[0].to_ascii_lowercase();
    assert!(lower.contains("if-none-match: \""), "{lower}");
    assert!(
        !lower.contains("phone-"),
        "a server-chosen tag was sent back: {lower}"
    );

    let mut demo = Demo::start();
    let client = tempfile::tempdir().expect("tempdir");
    let _ = sync_report(client.path(), &demo.server.url(), Some(&demo.keyset()));
    assert!(demo.server.terminate());
    let own = demo.server.addr.to_string();
    for line in demo.server.logs() {
        assert!(
            !line.replace(&own, "").contains("127.0.0.1"),
            "client address logged: {line}"
        );
    }
}

#[test]
fn kill_mid_publish_leaves_old_or_new_never_a_mix() {
    let demo_dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(demo_dir.path(), &["--demo"]);
    let data = demo_dir.path().to_str().expect("utf8").to_owned();
    let token = String::from_utf8(
        server_cmd(&[
            "advocate",
            "--data-dir",
            &data,
            "add",
            "k",
            "--role",
            "admin",
        ])
        .stdout,
    )
    .expect("utf8")
    .trim()
    .to_owned();
    let keyset = demo_dir.path().join("demo-keys/keyset.json");
    for (round, delay_ms) in [0u64, 2, 5, 10, 20].into_iter().enumerate() {
        let demo = Demo::around(server, token.clone());
        let id = format!("kill-{round}");
        let (s, _) = demo.api(
            "PUT",
            &format!("/api/draft/resources/{id}"),
            resource(&id, "K").to_string().as_bytes(),
        );
        assert_eq!(s, 200);
        // Sign everything but the last manifest signature, then kill while it is uploaded.
        let (_, cand) = demo.api("POST", "/api/candidates", b"");
        let cid = cand["candidate"].as_i64().expect("id");
        let keys_dir = demo_dir.path().join("demo-keys");
        let sign = |cand: &Value, n: u8, url: &str| {
            let key = keys_dir.join(format!("publisher-{n}.key.json"));
            let (out, sigs) = publish_sign(cand, &key, &keyset, url, &[]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            sigs
        };
        let url = demo.server.url();
        for n in 1..=2 {
            let sig = sign(&cand, n, &url);
            demo.api("POST", &format!("/api/candidates/{cid}/signatures"), &sig);
        }
        let (_, cand) = demo.api("GET", &format!("/api/candidates/{cid}"), b"");
        let sig1 = sign(&cand, 1, &url);
        demo.api("POST", &format!("/api/candidates/{cid}/signatures"), &sig1);
        let sig2 = sign(&cand, 2, &url);
        let addr = demo.server.addr;
        let auth = format!("Bearer {token}");
        let upload = std::thread::spawn(move || {
            let _ = std::panic::catch_unwind(|| {
                http_request(
                    addr,
                    "POST",
                    &format!("/api/candidates/{cid}/signatures"),
                    &[("Authorization", &auth)],
                    &sig2,
                )
            });
        });
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let mut s = demo.into_server();
        let pid = s.pid();
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        let _ = upload.join();
        s.wait();
        drop(s);
        server = Server::start(demo_dir.path(), &[]);
        // Whatever the manifest names must be fully there and verify on a fresh client.
        let client = tempfile::tempdir().expect("tempdir");
        let (code, r) = sync_report(client.path(), &server.url(), Some(&keyset));
        assert_eq!(code, 0, "round {round}: {r}");
        let v = r["version"].as_u64().expect("version");
        assert!(
            v == round as u64 + 1 || v == round as u64 + 2,
            "round {round}: {r}"
        );
        if v == round as u64 + 1 {
            // The kill won: finish this publish so the next round starts from a clean state.
            let auth = format!("Bearer {token}");
            let sig2 = sign(&cand, 2, &server.url());
            let r = http_request(
                server.addr,
                "POST",
                &format!("/api/candidates/{cid}/signatures"),
                &[("Authorization", &auth)],
                &sig2,
            );
            assert_eq!(r.status, 200);
        }
    }
}

#[test]
fn locked_database_gives_a_clean_503_and_recovers() {
    let demo = Demo::start();
    let db = rusqlite::Connection::open(demo.server.data_dir.join("server.db")).expect("open db");
    db.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let body = resource("locked-1", "L").to_string();
    let auth = format!("Bearer {}", demo.token);
    let r = http_request(
        demo.server.addr,
        "PUT",
        "/api/draft/resources/locked-1",
        &[("Authorization", &auth)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 503, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.header("retry-after").is_some());
    // Reads of the published tree never touch the database.
    assert_eq!(http_get(demo.server.addr, "/v1/manifest", &[]).status, 200);
    db.execute_batch("COMMIT").expect("unlock");
    let r = http_request(
        demo.server.addr,
        "PUT",
        "/api/draft/resources/locked-1",
        &[("Authorization", &auth)],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn repeated_bad_tokens_are_rate_limited() {
    let demo = Demo::start();
    // Guesses at the admin's token: the limiter counts per token id (the server keeps no
    // client addresses), after the constant-cost check. Other advocates are not affected:
    // tests/tests/publish_review.rs::bad_tokens_for_one_advocate_do_not_lock_out_another.
    let id = demo.token.split('_').nth(1).expect("token id").to_owned();
    let mut statuses = Vec::new();
    for i in 0..12 {
        let auth = format!("Bearer wpt_{id}_{i:064x}");
        statuses.push(
            http_request(
                demo.server.addr,
                "GET",
                "/api/whoami",
                &[("Authorization", &auth)],
                b"",
            )
            .status,
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[10..], [429, 429]);
    // Even the right token for that id waits out the window.
    let (s, _) = demo.api("GET", "/api/whoami", b"");
    assert_eq!(s, 429);
}

/// Format 2 (docs/PROTOCOL.md §19): the real server publishes `/v2/` next to `/v1/` from
/// the same signing rounds, the format 2 files verify to the same state as the format 1
/// ones, and an old client's requests (`/v1/` only) still get format 1 envelopes that its
/// verifier accepts.
#[test]
fn format_2_is_served_next_to_format_1_and_an_old_client_still_reads_format_1() {
    use waypoint_format::{v2, verify_bundle, verify_delta, verify_root_keyset, Policy};
    let demo = Demo::start();
    let v = demo.publish(resource("e2e-legal-aid", "E2E Legal Aid Clinic"));
    assert_eq!(v, 2);
    let ks = verify_root_keyset(&std::fs::read(demo.keyset()).expect("keyset"), unix_now())
        .expect("keyset")
        .keyset()
        .clone();
    let policy = Policy::update(unix_now(), None);
    // The old client's view: unchanged.
    let m1 = waypoint_format::verify_manifest(&demo.file("/v1/manifest"), &ks, &policy)
        .expect("v1 manifest");
    let b1 = demo.file("/v1/bundles/2");
    assert_eq!(b1.first(), Some(&b'{'), "format 1 is a JSON envelope");
    Envelope::parse(&b1, PayloadType::Bundle, usize::MAX).expect("format 1 envelope");
    assert_eq!(waypoint_format::sha256_hex(&b1), m1.bundle().sha256);
    let s1 = verify_bundle(&b1, &ks, &policy).expect("v1 bundle");
    // Format 2.
    let m2 = v2::verify_manifest(&demo.file("/v2/manifest"), &ks, &policy).expect("v2 manifest");
    assert_eq!(m2.version(), 2);
    let b2 = demo.file("/v2/bundles/2");
    assert!(v2::is_v2(&b2));
    assert_eq!(waypoint_format::sha256_hex(&b2), m2.bundle().sha256);
    let s2 = verify_bundle(&b2, &ks, &policy).expect("v2 bundle");
    assert_eq!(s1, s2, "the same state in both formats");
    assert!(b2.len() < b1.len(), "{} < {}", b2.len(), b1.len());
    let base = verify_bundle(
        &demo.file("/v1/bundles/1"),
        &ks,
        &Policy::update(unix_now(), None),
    )
    .expect("base");
    let d2 = demo.file("/v2/deltas/1/2");
    assert_eq!(
        m2.delta_from(1).map(|e| e.sha256.clone()),
        Some(waypoint_format::sha256_hex(&d2))
    );
    assert_eq!(
        verify_delta(&d2, &ks, &base, &policy).expect("v2 delta"),
        s1
    );
    // And the CLI client (which asks /v2/ first) syncs it.
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &demo.server.url(), Some(&demo.keyset()));
    assert_eq!((code, r["version"].as_u64()), (0, Some(2)), "{r}");
    assert!(held_ids(client.path()).contains(&"e2e-legal-aid".to_owned()));
}
