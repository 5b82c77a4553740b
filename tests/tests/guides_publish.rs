//! Guides end to end (docs/PROTOCOL.md §18): an advocate writes a guide, a publisher freezes
//! it, both demo publishers review it with their own tool (which prints every language in
//! full) and sign, the server publishes guides and manifest together, and a phone (the CLI)
//! syncs and shows the guide with where it comes from; a server without guides leaves the
//! packaged set; the tool refuses a candidate whose hash the server misreports; forged
//! guides from a hostile server are one line in the sync report and the held set is kept.
//!
//! Needs `cargo build --workspace --bins` first.

use std::path::Path;

use serde_json::{json, Value};
use waypoint_e2e::{http_get, ok, publish_sign, sync_report, waypoint};

use waypoint_e2e::DemoServer as Demo;

fn guide() -> Value {
    json!({
        "id": "pub-wages",
        "last_reviewed": "2026-11-02",
        "sources": [{"name": "Example Workers' Center", "url": "https://example.org/wages"}],
        "texts": {
            "en": "# Unpaid wages\n\nYou have a right to be paid for work you did.\n\n## Ask for help\nA legal aid group can help you claim it.\n\n-> legal_aid\n",
            "es": "# Salarios no pagados\n\nTienes derecho a que te paguen por tu trabajo.\n\n## Pide ayuda\nUn grupo de ayuda legal puede ayudarte a reclamarlo.\n\n-> legal_aid\n"
        },
        "review": {"en": "complete", "es": "needs_native_review"}
    })
}

fn guides_ids(data: &Path) -> Vec<String> {
    let out = waypoint(data, &["--json", "guides", "list"], None);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    list["guides"]
        .as_array()
        .expect("guides")
        .iter()
        .map(|g| g["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn a_guide_goes_from_the_console_through_both_publishers_tools_to_the_phone() {
    let demo = Demo::start();
    let phone = tempfile::tempdir().expect("tempdir");
    let data = phone.path().join("data");
    // A server without guides: the phone keeps its packaged set.
    let (code, report) = sync_report(&data, &demo.server.url(), Some(&demo.keyset()));
    assert_eq!(code, 0, "{report}");
    assert!(report["guides_version"].is_null(), "{report}");
    assert!(report["guides_rejected"].is_null(), "{report}");
    assert_eq!(
        guides_ids(&data),
        ["rights", "t-visa", "hotline", "phone-safety"]
    );
    assert_eq!(
        http_get(demo.server.addr, "/v1/guides/manifest", &[]).status,
        404
    );

    let (s, v) = demo.api(
        "PUT",
        "/api/guides/drafts/pub-wages",
        guide().to_string().as_bytes(),
    );
    assert_eq!(s, 200, "{v}");
    let (s, mut cand) = demo.api("POST", "/api/guides/candidates", b"");
    assert_eq!(s, 200, "{cand}");
    assert_eq!(cand["kind"], "guides");
    let id = cand["candidate"].as_i64().expect("id");
    let mut published = false;
    for round in 0..2 {
        for n in 1..=2 {
            let (out, sigs) =
                publish_sign(&cand, &demo.key(n), &demo.keyset(), &demo.server.url(), &[]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let shown = String::from_utf8_lossy(&out.stdout);
            // Every language in full, from the bytes signed, at both rounds.
            for line in [
                "| # Unpaid wages",
                "| A legal aid group can help you claim it.",
                "| # Salarios no pagados",
                "| Un grupo de ayuda legal puede ayudarte a reclamarlo.",
                "source: Example Workers' Center <https://example.org/wages>",
            ] {
                assert!(
                    shown.contains(line),
                    "round {round}: {line:?} not shown in\n{shown}"
                );
            }
            let (s, outcome) = demo.api("POST", &format!("/api/candidates/{id}/signatures"), &sigs);
            assert_eq!(s, 200, "{outcome}");
            published = outcome["published"].as_bool().expect("flag");
        }
        let (s, next) = demo.api("GET", &format!("/api/candidates/{id}"), b"");
        assert_eq!(s, 200);
        cand = next;
    }
    assert!(published, "guides and their manifest went public");
    assert_eq!(
        http_get(demo.server.addr, "/v1/guides/manifest", &[]).status,
        200
    );

    let (code, report) = sync_report(&data, &demo.server.url(), None);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["guides_version"], 1, "{report}");
    assert_eq!(
        guides_ids(&data),
        ["rights", "t-visa", "hotline", "phone-safety", "pub-wages"]
    );
    let list = ok(waypoint(&data, &["guides", "list"], None));
    assert!(list.contains("pub-wages  Unpaid wages"), "{list}");
    assert!(list.contains("[published, 2026-11-02]"), "{list}");
    let show = ok(waypoint(&data, &["guides", "show", "pub-wages"], None));
    for line in [
        "Unpaid wages",
        "Published by the people who sign your help directory (guides version 1).",
        "Last reviewed: 2026-11-02",
        "Example Workers' Center <https://example.org/wages>",
        "not legal advice",
    ] {
        assert!(show.contains(line), "{line:?} not in\n{show}");
    }
    let es = ok(waypoint(
        &data,
        &["guides", "show", "pub-wages", "--language", "es"],
        None,
    ));
    assert!(es.contains("Salarios no pagados"), "{es}");
    let status = ok(waypoint(&data, &["sync", "--status"], None));
    assert!(
        status.contains("guides version:    1 (published)"),
        "{status}"
    );
}

#[test]
fn the_publishers_tool_refuses_a_guides_candidate_whose_hash_the_server_misreports() {
    let demo = Demo::start();
    let (s, _) = demo.api(
        "PUT",
        "/api/guides/drafts/pub-wages",
        guide().to_string().as_bytes(),
    );
    assert_eq!(s, 200);
    let (_, mut cand) = demo.api("POST", "/api/guides/candidates", b"");
    cand["items"][0]["sha256"] = json!("0".repeat(64));
    let (out, sigs) = publish_sign(&cand, &demo.key(1), &demo.keyset(), &demo.server.url(), &[]);
    assert!(!out.status.success());
    assert!(sigs.is_empty(), "nothing signed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not match its sha256"), "{err}");
    // A draft breaking the phone's rules is refused with the rule, not saved.
    let mut bad = guide();
    bad["sources"][0]["url"] = json!("http://example.org");
    let (s, v) = demo.api(
        "PUT",
        "/api/guides/drafts/pub-wages",
        bad.to_string().as_bytes(),
    );
    assert_eq!(s, 422, "{v}");
}

/// A hostile static server: a directory signed by the trusted key, guides that are not.
/// The CLI reports the refusal on one line, keeps what it holds, and the directory sync
/// itself still succeeds.
#[test]
fn forged_guides_are_one_line_in_the_sync_report_and_the_held_guides_are_kept() {
    use std::collections::HashMap;
    use waypoint_e2e::{unix_now, StaticServer};
    use waypoint_format::envelope::PayloadType;
    use waypoint_format::guides::{build_guides_manifest_payload, build_guides_payload, Guide};
    use waypoint_format::publish::{
        build_bundle, build_keyset, build_manifest, sign_envelope, sign_keyset, PublisherKey,
    };

    let now = unix_now();
    let key = PublisherKey::generate();
    let keyset = build_keyset(1, now + 10_000_000, 1, vec![key.public_entry()]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let keyset_file = tmp.path().join("keyset.json");
    std::fs::write(&keyset_file, sign_keyset(&keyset, &[&key])).expect("keyset");
    let server = StaticServer::start(HashMap::new());
    let record: waypoint_format::Record = serde_json::from_value(json!({
        "id": "us-line", "organization": {"en": "Org"}, "name": {"en": "Line"},
        "categories": ["legal_aid"], "locations": [{"country": "US"}],
        "phones": [{"number": "+1 202 555 0100", "country": "US", "kind": "voice"}],
        "last_verified": "2026-11-01", "source": "e2e"
    }))
    .expect("record");
    let bundle = build_bundle(1, now - 60, now + 86_400, &[record], &[&key]).expect("bundle");
    server.set(
        "/v1/manifest",
        build_manifest(1, now - 60, now + 86_400, &bundle, &[], &[&key]),
    );
    server.set("/v1/bundles/1", bundle);
    let serve = |version: u64, signer: &PublisherKey| {
        let g: Guide = serde_json::from_value(guide()).expect("guide");
        let p = build_guides_payload(version, now - 60, now + 86_400, vec![g]).expect("valid");
        let file = sign_envelope(PayloadType::Guides, p, &[signer]).to_bytes();
        let m = build_guides_manifest_payload(version, now - 60, now + 86_400, &file);
        server.set(
            "/v1/guides/manifest",
            sign_envelope(PayloadType::GuidesManifest, m, &[&key]).to_bytes(),
        );
        server.set(&format!("/v1/guides/{version}"), file);
    };
    let data = tmp.path().join("data");
    serve(1, &key);
    let (code, report) = sync_report(&data, &server.url(), Some(&keyset_file));
    assert_eq!(
        (code, report["guides_version"].as_u64()),
        (0, Some(1)),
        "{report}"
    );

    // Version 2, signed by a stranger (under a genuine manifest naming it).
    serve(2, &PublisherKey::generate());
    let out = waypoint(&data, &["sync", "--server", &server.url()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the directory sync itself is fine"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("guides rejected because"))
        .unwrap_or_else(|| panic!("no refusal line in\n{text}"));
    assert!(
        line.contains("unknown key") && line.ends_with("kept the guides held"),
        "{line}"
    );
    assert!(text.contains("guides version:    1 (published)"), "{text}");
    let show = ok(waypoint(&data, &["guides", "show", "pub-wages"], None));
    assert!(show.contains("guides version 1"), "{show}");
}
