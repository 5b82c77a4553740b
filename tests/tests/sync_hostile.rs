//! Sync against a hostile server, end to end through the real CLI: a frozen manifest kept
//! "current" past its freshness statement, an expired offer reported as if the held data
//! were stale, and a keyset rotation used to throw away the synced directory and its
//! rollback floor. Each server here is a static file server the attacker controls; the
//! signatures are made with test keys.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};
use waypoint_e2e::{held_ids, sync_report, unix_now, waypoint, StaticServer};
use waypoint_format::freshness::build_freshness;
use waypoint_format::publish::{
    build_bundle, build_keyset, build_manifest, sign_keyset, PublisherKey,
};
use waypoint_format::{manifest_payload_sha256, Keyset};

fn record(id: &str) -> waypoint_format::Record {
    serde_json::from_value(json!({
        "id": id,
        "organization": {"en": "Hostile Test Org"},
        "name": {"en": format!("Service {id}")},
        "categories": ["legal_aid"],
        "locations": [{"country": "US"}],
        "phones": [{"number": "+1 202 555 0100", "country": "US", "kind": "voice"}],
        "fees": {"free": true},
        "last_verified": "2026-11-01",
        "source": "e2e"
    }))
    .expect("record")
}

/// Signs version `version` of `ids` (bundle and manifest) with `keys` and serves them;
/// returns the manifest.
fn publish(
    server: &StaticServer,
    version: u64,
    ids: &[&str],
    created: i64,
    expires: i64,
    keys: &[&PublisherKey],
) -> Vec<u8> {
    let records: Vec<_> = ids.iter().map(|i| record(i)).collect();
    let bundle = build_bundle(version, created, expires, &records, keys).expect("bundle");
    let manifest = build_manifest(version, created, expires, &bundle, &[], keys);
    server.set(&format!("/v1/bundles/{version}"), bundle);
    server.set("/v1/manifest", manifest.clone());
    manifest
}

/// Serves a freshness statement for `manifest` (the envelope bytes served).
fn vouch(server: &StaticServer, manifest: &[u8], version: u64, key: &PublisherKey, until: i64) {
    let hash = manifest_payload_sha256(manifest).expect("manifest");
    server.set(
        "/v1/freshness",
        build_freshness(version, &hash, until - 3600, until, key),
    );
}

fn write_keyset(dir: &Path, keyset: &Keyset, signers: &[&PublisherKey]) -> std::path::PathBuf {
    let path = dir.join("keyset.json");
    std::fs::write(&path, sign_keyset(keyset, signers)).expect("write keyset");
    path
}

fn directory_version(data: &Path) -> Value {
    let out = waypoint(data, &["directory", "status", "--json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["version"].clone()
}

fn sleep_until(unix_s: i64) {
    while unix_now() <= unix_s {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn an_expired_offer_is_reported_against_the_held_directory_never_the_offer() {
    let k = PublisherKey::generate();
    let now = unix_now();
    let dir = tempfile::tempdir().expect("tempdir");
    let ks = write_keyset(
        dir.path(),
        &build_keyset(1, now + 365 * 86_400, 1, vec![k.public_entry()]),
        &[&k],
    );
    let server = StaticServer::start(HashMap::new());
    // Long enough for the first sync to finish on a loaded two-core machine (publishing and
    // syncing take a few seconds there); the test then waits for it.
    let held_expires = now + 12;
    publish(&server, 1, &["a", "b"], now - 100, held_expires, &[&k]);
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &server.url(), Some(&ks));
    assert_eq!(
        (code, r["outcome"]["kind"].as_str()),
        (0, Some("updated")),
        "{r}"
    );

    // The server offers a version 2 that expired already. The held version 1 is current:
    // the offer is rejected (exit 2), and the report does not call anything stale.
    publish(&server, 2, &["a"], now - 200, now - 50, &[&k]);
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["outcome"]["kind"], "rejected", "{r}");
    assert_eq!(r["stale"], false, "{r}");
    assert_eq!(r["version"], 1, "{r}");

    // Once the held version 1 expires too: stale since ITS expiry (not the offer's), with
    // `stale: true`, exit 0, and the help lines kept.
    sleep_until(held_expires);
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["outcome"],
        json!({"kind": "stale", "since": held_expires}),
        "{r}"
    );
    assert_eq!(r["stale"], true, "{r}");
    assert_eq!(r["expires"], held_expires, "{r}");
    assert_eq!(held_ids(client.path()).len(), 2);
}

#[test]
fn a_frozen_manifest_is_stale_once_its_freshness_statement_lapses() {
    let (publisher, fresh) = (PublisherKey::generate(), PublisherKey::generate());
    let now = unix_now();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut keyset = build_keyset(1, now + 365 * 86_400, 1, vec![publisher.public_entry()]);
    keyset.freshness_keys = vec![fresh.public_entry()];
    let ks = write_keyset(dir.path(), &keyset, &[&publisher]);
    let server = StaticServer::start(HashMap::new());
    // The manifest itself is valid for 90 days; the statement only for a few seconds.
    let manifest = publish(
        &server,
        1,
        &["a"],
        now - 60,
        now + 90 * 86_400,
        &[&publisher],
    );
    // As above: the first sync must finish before the statement lapses.
    let until = now + 12;
    vouch(&server, &manifest, 1, &fresh, until);
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &server.url(), Some(&ks));
    assert_eq!(
        (code, r["outcome"]["kind"].as_str()),
        (0, Some("updated")),
        "{r}"
    );
    assert_eq!(
        (&r["stale"], &r["fresh_until"]),
        (&json!(false), &json!(until))
    );

    // The server freezes: same manifest, same statement, after the statement lapsed. The
    // manifest alone would keep saying "already current" for 90 days.
    sleep_until(until);
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["outcome"],
        json!({"kind": "stale", "since": until}),
        "{r}"
    );
    assert_eq!(r["stale"], true, "{r}");

    // A statement signed by a publisher key instead of the freshness key: still stale.
    vouch(&server, &manifest, 1, &publisher, now + 3600);
    let (_, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(r["outcome"]["kind"], "stale", "{r}");

    // A fresh statement from the freshness key: current again.
    vouch(&server, &manifest, 1, &fresh, now + 3600);
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(
        (code, r["outcome"]["kind"].as_str()),
        (0, Some("already_current")),
        "{r}"
    );
    assert_eq!(r["stale"], false, "{r}");
}

#[test]
fn a_rotation_that_drops_a_signer_keeps_the_synced_directory_and_its_rollback_floor() {
    let (a, b, c) = (
        PublisherKey::generate(),
        PublisherKey::generate(),
        PublisherKey::generate(),
    );
    let now = unix_now();
    let dir = tempfile::tempdir().expect("tempdir");
    let ks1 = build_keyset(
        1,
        now + 365 * 86_400,
        2,
        vec![a.public_entry(), b.public_entry()],
    );
    let root = write_keyset(dir.path(), &ks1, &[&a, &b]);
    let server = StaticServer::start(HashMap::new());
    publish(
        &server,
        5,
        &["v5-a", "v5-b"],
        now - 60,
        now + 30 * 86_400,
        &[&a, &b],
    );
    let client = tempfile::tempdir().expect("tempdir");
    let (code, r) = sync_report(client.path(), &server.url(), Some(&root));
    assert_eq!((code, r["version"].as_u64()), (0, Some(5)), "{r}");

    // Keyset 2 drops `a`, which signed version 5.
    let ks2 = build_keyset(
        2,
        now + 365 * 86_400,
        2,
        vec![b.public_entry(), c.public_entry()],
    );
    server.set("/v1/keysets/2", sign_keyset(&ks2, &[&a, &b, &c]));
    // Step 1: the server still serves the manifest signed by `a`: refused, version 5 kept.
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("unknown key"),
        "{r}"
    );
    assert_eq!(r["version"], 5, "{r}");
    // Step 2: re-signed by the keys that remain, the sync after the rotation works and the
    // rotation is stored.
    publish(
        &server,
        5,
        &["v5-a", "v5-b"],
        now - 60,
        now + 30 * 86_400,
        &[&b, &c],
    );
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(
        (code, r["outcome"]["kind"].as_str()),
        (0, Some("already_current")),
        "{r}"
    );
    // Step 3: every later run re-verifies the held data under the keyset that accepted it:
    // version 5 is still what the phone holds (it used to fall back to the packaged bundle
    // and still print "already current").
    assert_eq!(directory_version(client.path()), 5);
    assert_eq!(held_ids(client.path()), ["v5-a", "v5-b"]);
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(
        (code, r["outcome"]["kind"].as_str(), r["version"].as_u64()),
        (0, Some("already_current"), Some(5)),
        "{r}"
    );
    // Step 4: an older version re-signed by the remaining keys is a rollback.
    publish(
        &server,
        4,
        &["evil"],
        now - 30,
        now + 30 * 86_400,
        &[&b, &c],
    );
    let (code, r) = sync_report(client.path(), &server.url(), None);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["outcome"]["reason"]
            .as_str()
            .expect("reason")
            .contains("rollback"),
        "{r}"
    );
    assert_eq!(held_ids(client.path()), ["v5-a", "v5-b"]);
}

#[test]
fn the_server_serves_and_exports_a_freshness_statement_for_the_published_manifest() {
    use waypoint_e2e::{http_get, server_cmd, Server};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(dir.path(), &["--demo"]);
    let keys = dir.path().join("demo-keys");
    let now = unix_now();
    let keyset = waypoint_format::verify_root_keyset(
        &std::fs::read(keys.join("keyset.json")).expect("keyset"),
        now,
    )
    .expect("demo keyset");
    assert_eq!(
        keyset.freshness_keys.len(),
        1,
        "the demo lists its freshness key"
    );
    let manifest = http_get(server.addr, "/v1/manifest", &[]).body;
    let served = http_get(server.addr, "/v1/freshness", &[]);
    assert_eq!(served.status, 200);
    let f = waypoint_format::verify_freshness(&served.body, &keyset, now).expect("valid");
    assert_eq!(
        f.manifest_sha256(),
        manifest_payload_sha256(&manifest).expect("hash")
    );
    assert!(f.expires() - f.created() <= 24 * 3600, "{f:?}");
    // The manifest's ETag is the value phones compute and send themselves.
    let etag = http_get(server.addr, "/v1/manifest", &[])
        .header("etag")
        .expect("etag")
        .to_owned();
    assert_eq!(etag, format!("\"{}\"", f.manifest_sha256()));
    assert_eq!(
        http_get(server.addr, "/v1/manifest", &[("If-None-Match", &etag)]).status,
        304
    );
    assert!(server.terminate());
    assert!(
        server
            .logs()
            .iter()
            .any(|l| l.contains("serving freshness statements"))
            && !server.logs().iter().any(|l| l.contains("not listed")),
        "{:?}",
        server.logs()
    );
    // `export` writes the statement next to the tree for static hosts.
    let out = tempfile::tempdir().expect("tempdir");
    let result = server_cmd(&[
        "export",
        "--data-dir",
        dir.path().to_str().expect("utf8"),
        "--freshness-key",
        keys.join("freshness.key.json").to_str().expect("utf8"),
        "--freshness-hours",
        "6",
        out.path().to_str().expect("utf8"),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let exported = std::fs::read(out.path().join("v1/freshness")).expect("v1/freshness");
    let f = waypoint_format::verify_freshness(&exported, &keyset, unix_now()).expect("valid");
    assert_eq!(f.expires() - f.created(), 6 * 3600);
    assert_eq!(
        f.manifest_sha256(),
        manifest_payload_sha256(&std::fs::read(out.path().join("v1/manifest")).expect("m"))
            .expect("hash")
    );
}
