//! Publishing end to end with the real server and the publisher's own tool
//! (`waypoint-publish sign`): the tool refuses what it cannot verify and shows every change
//! before it signs; a keyset rotation goes public only together with content re-signed
//! under the new keyset; and the server's login limiter and logs keep their promises.

use std::path::PathBuf;

use serde_json::{json, Value};
use waypoint_e2e::{
    http_get, http_request, publish_cmd, publish_sign, server_cmd, waypoint, Server,
};
use waypoint_format::publish::{build_keyset, sign_keyset, PublisherKey};
use waypoint_format::{
    verify_bundle, verify_keyset_rotation, verify_manifest, verify_root_keyset, Policy,
};

use waypoint_e2e::{add_advocate, DemoServer as Demo};

/// What the review tests do with a demo server beyond the shared helpers.
trait Reviewing {
    fn file(&self, path: &str) -> Option<Vec<u8>>;
    fn sign_and_upload(&self, cand: &Value, keys: &[PathBuf], extra: &[&str]) -> Value;
}

impl Reviewing for Demo {
    fn file(&self, path: &str) -> Option<Vec<u8>> {
        let r = http_get(self.server.addr, path, &[]);
        (r.status == 200).then_some(r.body)
    }

    /// Signs `cand` with each key and uploads; returns the last outcome.
    fn sign_and_upload(&self, cand: &Value, keys: &[PathBuf], extra: &[&str]) -> Value {
        self.sign_and_upload_each(cand, keys, extra)
            .pop()
            .unwrap_or(Value::Null)
    }
}

fn resource(id: &str, number: &str) -> Value {
    json!({
        "id": id,
        "organization": {"en": "E2E Org"},
        "name": {"en": "E2E line"},
        "categories": ["hotline"],
        "locations": [{"country": "US"}],
        "phones": [{"number": number, "country": "US", "kind": "voice"}],
        "last_verified": "2026-11-01",
        "source": "e2e"
    })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The reproduced attack: a compromised server offers "bundle version 7" whose one item is
/// a keyset v2 listing only the attacker's key with threshold 1. Both demo publishers'
/// tools refuse and write no signature, whatever payload type the server claims.
#[test]
fn the_reproduced_attack_is_refused_by_the_publishers_tool_and_nothing_is_signed() {
    let demo = Demo::start();
    let attacker = PublisherKey::generate();
    let evil = build_keyset(2, now() + 365 * 86_400, 1, vec![attacker.public_entry()]);
    let evil_env: Value =
        serde_json::from_slice(&sign_keyset(&evil, &[&attacker])).expect("envelope json");
    let payload_b64 = evil_env["payload"].as_str().expect("payload").to_owned();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(evil.to_payload()));
    for claimed in ["waypoint.keyset", "waypoint.bundle"] {
        let cand = json!({
            "candidate": 99, "kind": "bundle", "version": 7, "state": "open", "threshold": 2,
            "items": [{"name": "bundle", "payload_type": claimed, "payload": payload_b64,
                       "sha256": sha, "signatures": 0}]
        });
        for n in 1..=2 {
            for extra in [&[][..], &["--keyset"][..]] {
                let (out, sigs) = publish_sign(
                    &cand,
                    &demo.key(n),
                    &demo.keyset(),
                    &demo.server.url(),
                    extra,
                );
                assert!(!out.status.success(), "{claimed}: signed the attack");
                assert!(sigs.is_empty(), "no signature file");
                let err = String::from_utf8_lossy(&out.stderr);
                assert_eq!(err.trim_end().lines().count(), 1, "{err}");
                assert!(err.starts_with("waypoint-publish: "), "{err}");
            }
        }
    }
    // The server no longer signs anything.
    let out = server_cmd(&["sign", "--key", "k.json", "candidate.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("waypoint-publish sign"));
}

/// Every change an editor (or an attacker with an editor account) slipped into the draft
/// appears in the review, field by field; without `--yes` nothing is signed unless the
/// publisher answers yes.
#[test]
fn the_review_shows_every_slipped_in_change_and_signs_only_after_confirmation() {
    let demo = Demo::start();
    let (s, mut changed) = demo.api("GET", "/api/draft/resources/us-988", b"");
    assert_eq!(s, 200, "{changed}");
    changed["phones"][0]["number"] = json!("+1 202 555 0199");
    assert_eq!(
        demo.api(
            "PUT",
            "/api/draft/resources/us-988",
            changed.to_string().as_bytes()
        )
        .0,
        200
    );
    assert_eq!(
        demo.api(
            "PUT",
            "/api/draft/resources/zz-added",
            resource("zz-added", "+1 202 555 0100")
                .to_string()
                .as_bytes()
        )
        .0,
        200
    );
    assert_eq!(
        demo.api("DELETE", "/api/draft/resources/us-dv-hotline", b"")
            .0,
        204
    );
    let (s, cand) = demo.api("POST", "/api/candidates", b"");
    assert_eq!(s, 200, "{cand}");

    let dir = tempfile::tempdir().expect("tempdir");
    let cand_file = dir.path().join("c.json");
    let sig_file = dir.path().join("s.json");
    std::fs::write(&cand_file, cand.to_string()).expect("write");
    let out = publish_cmd(&[
        "sign",
        "--candidate",
        cand_file.to_str().expect("utf8"),
        "--key",
        demo.key(1).to_str().expect("utf8"),
        "--pinned-keyset",
        demo.keyset().to_str().expect("utf8"),
        "--server",
        &demo.server.url(),
        "--out",
        sig_file.to_str().expect("utf8"),
    ]);
    let review = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "stdin closed: not confirmed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not confirmed"));
    assert!(!sig_file.exists(), "nothing signed without confirmation");
    assert!(review.contains("1 added, 1 changed, 1 removed"), "{review}");
    assert!(review.contains("~ CHANGED record us-988"), "{review}");
    assert!(
        review.contains("phones[0].number: \"988\" -> \"+1 202 555 0199\""),
        "{review}"
    );
    assert!(review.contains("+ ADDED record zz-added"), "{review}");
    assert!(
        review.contains("phones[0].number = \"+1 202 555 0100\""),
        "{review}"
    );
    assert!(
        review.contains("- REMOVED record us-dv-hotline"),
        "{review}"
    );
    assert!(
        review.contains("DELTA from version 1: produces exactly the bundle"),
        "{review}"
    );
}

/// A rotation through the admin API: until the new keyset AND the published content
/// re-signed under it are complete, the server keeps serving the old keyset and manifest;
/// then all of it becomes public at once, and what is served verifies under the new
/// keyset (today's server kept serving a manifest signed by the removed key).
#[test]
fn a_rotation_goes_public_only_with_content_resigned_under_the_new_keyset() {
    let demo = Demo::start();
    let keys_dir = tempfile::tempdir().expect("tempdir");
    let k3 = PublisherKey::generate();
    let k3_file = keys_dir.path().join("publisher-3.key.json");
    k3.write_key_file(&k3_file).expect("key file");
    let k2 = PublisherKey::read_key_file(&demo.key(2)).expect("demo key 2");
    // Key 1 is removed; keys 2 and 3 sign from now on.
    let next = build_keyset(
        2,
        now() + 400 * 86_400,
        2,
        vec![k2.public_entry(), k3.public_entry()],
    );
    let (s, cand) = demo.api("POST", "/api/keysets", &next.to_payload());
    assert_eq!(s, 200, "{cand}");
    let names: Vec<&str> = cand["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["name"].as_str().expect("name"))
        .collect();
    // Format 2 items (docs/PROTOCOL.md §19.9) ride along with their format 1 twins.
    assert_eq!(
        names,
        ["keyset", "bundle", "bundle@2", "delta:1", "delta@2:1"],
        "{cand}"
    );
    let old_manifest = demo.file("/v1/manifest").expect("manifest");

    // Without --keyset, the tool refuses to touch the root of trust.
    let (out, _) = publish_sign(&cand, &demo.key(2), &demo.keyset(), &demo.server.url(), &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--keyset"));

    // Round one: the rotation (old and new keys) and the re-signed content (new keys).
    let keyset_mode = ["--keyset"];
    let outcome = demo.sign_and_upload(
        &cand,
        &[demo.key(1), demo.key(2), k3_file.clone()],
        &keyset_mode,
    );
    assert_eq!(outcome["published"], false, "{outcome}");
    assert_eq!(
        outcome["pending"],
        json!(["manifest", "manifest@2"]),
        "{outcome}"
    );
    assert!(
        demo.file("/v1/keysets/2").is_none(),
        "keyset not public before its content"
    );
    assert_eq!(demo.file("/v1/manifest").expect("manifest"), old_manifest);

    // Round two: the manifest naming the re-signed files, by the new keys.
    let id = cand["candidate"].as_i64().expect("id");
    let (_, cand) = demo.api("GET", &format!("/api/candidates/{id}"), b"");
    let (out, _) = publish_sign(
        &cand,
        &demo.key(1),
        &demo.keyset(),
        &demo.server.url(),
        &keyset_mode,
    );
    assert!(
        !out.status.success(),
        "the removed key has nothing left to sign"
    );
    let outcome = demo.sign_and_upload(&cand, &[demo.key(2), k3_file.clone()], &keyset_mode);
    assert_eq!(outcome["published"], true, "{outcome}");

    // Everything served now verifies under the new keyset.
    let t = now();
    let root = verify_root_keyset(&std::fs::read(demo.keyset()).expect("keyset"), t).expect("root");
    let ks2 = verify_keyset_rotation(&root, &demo.file("/v1/keysets/2").expect("keyset 2"), t)
        .expect("rotation");
    let policy = Policy::update(t, None);
    let m = verify_manifest(&demo.file("/v1/manifest").expect("manifest"), &ks2, &policy)
        .expect("manifest verifies under the new keyset");
    assert_eq!(m.version(), 2);
    let m2 = waypoint_format::v2::verify_manifest(
        &demo.file("/v2/manifest").expect("v2 manifest"),
        &ks2,
        &policy,
    )
    .expect("the format 2 manifest verifies under the new keyset");
    assert_eq!(m2.version(), 2);
    verify_bundle(
        &demo.file("/v2/bundles/2").expect("v2 bundle 2"),
        &ks2,
        &policy,
    )
    .expect("format 2 bundle 2 under the new keyset");
    let b2 = verify_bundle(
        &demo.file("/v1/bundles/2").expect("bundle 2"),
        &ks2,
        &policy,
    )
    .expect("bundle 2");
    let b1 = verify_bundle(
        &demo.file("/v1/bundles/1").expect("bundle 1"),
        &root,
        &Policy {
            now: t,
            current_version: None,
            allow_expired: true,
        },
    )
    .expect("bundle 1");
    assert_eq!(
        b2.content_hash(),
        b1.content_hash(),
        "same content, re-signed"
    );

    // A fresh phone pinned to keyset 1 walks the rotation and syncs.
    let phone = tempfile::tempdir().expect("tempdir");
    let out = waypoint(
        phone.path(),
        &[
            "sync",
            "--json",
            "--server",
            &demo.server.url(),
            "--root-keyset",
            demo.keyset().to_str().expect("utf8"),
        ],
        None,
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["version"], 2, "{report}");

    // And the next directory update is signed under the new keyset by the new publishers.
    assert_eq!(
        demo.api(
            "PUT",
            "/api/draft/resources/zz-after",
            resource("zz-after", "+1 202 555 0100")
                .to_string()
                .as_bytes()
        )
        .0,
        200
    );
    let (_, cand) = demo.api("POST", "/api/candidates", b"");
    demo.sign_and_upload(&cand, &[demo.key(2), k3_file.clone()], &[]);
    let (_, cand) = demo.api(
        "GET",
        &format!("/api/candidates/{}", cand["candidate"]),
        b"",
    );
    let outcome = demo.sign_and_upload(&cand, &[demo.key(2), k3_file], &[]);
    assert_eq!(outcome["published"], true, "{outcome}");
}

fn whoami(demo: &Demo, token: &str) -> u16 {
    demo.api_as(token, "GET", "/api/whoami", b"").0
}

/// Ten bad tokens against one advocate's token id lock that id only: another advocate
/// still logs in, the attacked one is limited even with the right token.
#[test]
fn bad_tokens_for_one_advocate_do_not_lock_out_another() {
    let demo = Demo::start();
    let ana = add_advocate(&demo.server.data_dir, "ana", "editor");
    let bob = add_advocate(&demo.server.data_dir, "bob", "editor");
    let ana_id = ana.split('_').nth(1).expect("token id");
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(whoami(&demo, &format!("wpt_{ana_id}_{i:064x}")));
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[10..], [429, 429]);
    // Random ids (nothing to guess) do not lock anyone either.
    for i in 0..12 {
        assert_eq!(
            whoami(&demo, &format!("wpt_{i:016x}_{}", "0".repeat(64))),
            401
        );
    }
    assert_eq!(
        whoami(&demo, &bob),
        200,
        "another advocate is not locked out"
    );
    assert_eq!(whoami(&demo, &demo.token), 200);
    assert_eq!(
        whoami(&demo, &ana),
        429,
        "the attacked token id stays limited"
    );
}

/// With every log filter at trace, the server's log still holds no client address:
/// hyper/axum connection events are never written.
#[test]
fn trace_logging_holds_no_client_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("WAYPOINT_LOG", "trace"), ("RUST_LOG", "trace")];
    let mut server = Server::start_with_env(dir.path(), &["--demo"], &env);
    for path in ["/healthz", "/v1/manifest", "/v1/bundles/1", "/nope"] {
        let _ = http_get(server.addr, path, &[]);
    }
    let _ = http_request(
        server.addr,
        "PUT",
        "/api/draft/resources/x",
        &[("Authorization", "Bearer wpt_1_2")],
        b"{}",
    );
    assert!(server.terminate());
    let logs = server.logs();
    assert!(!logs.is_empty(), "the server logs its own events at trace");
    let own = server.addr.to_string();
    for line in &logs {
        let without_own = line.replace(&own, "");
        assert!(
            !without_own.contains("127.0.0.1"),
            "log line mentions a client address: {line}"
        );
    }
}
