//! Format 2 downloads (docs/PROTOCOL.md §19.8), on the recording server of `super`.

use waypoint_format::publish::{build_delta, sign_envelope};
use waypoint_format::v2;
use waypoint_format::{Keyset, PayloadType};

use super::*;

fn keyset(f: &Fixture) -> Keyset {
    build_keyset(
        1,
        T0 + 10_000_000,
        2,
        f.keys.iter().map(PublisherKey::public_entry).collect(),
    )
}

/// Publishes `version` in both formats (with deltas from `from`, if given) and returns
/// the verified state.
fn publish_both(
    f: &Fixture,
    version: u64,
    ids: &[&str],
    from: Option<&VerifiedBundle>,
) -> VerifiedBundle {
    let records: Vec<_> = ids.iter().map(|i| record(i)).collect();
    publish_records(f, version, &records, from)
}

/// [`publish_both`] with the records given.
fn publish_records(
    f: &Fixture,
    version: u64,
    records: &[waypoint_format::Record],
    from: Option<&VerifiedBundle>,
) -> VerifiedBundle {
    let (created, expires) = (T0 - 10 + version as i64, T0 + 100_000);
    let signers: Vec<&PublisherKey> = f.keys.iter().collect();
    let bundle = build_bundle(version, created, expires, records, &signers).expect("bundle");
    let policy = Policy::update(T0, None);
    let state = waypoint_format::verify_bundle(&bundle, &keyset(f), &policy).expect("state");
    let file = v2::seal(
        PayloadType::Bundle,
        &v2::bundle_payload_of(&state).expect("payload"),
        &signers,
    )
    .expect("v2 bundle");
    let mut files = f.files.lock().expect("files");
    let (mut d1, mut d2) = (Vec::new(), Vec::new());
    if let Some(base) = from {
        let v1 = build_delta(base, &state, &signers).expect("delta");
        let p = v2::delta_payload_of(base, &state).expect("v2 delta");
        let v2f = v2::seal(PayloadType::Delta, &p, &signers).expect("seal");
        files.insert(
            format!("/v1/deltas/{}/{version}", base.version()),
            v1.clone(),
        );
        files.insert(
            format!("/v2/deltas/{}/{version}", base.version()),
            v2f.clone(),
        );
        d1.push((base.version(), v1));
        d2.push((base.version(), v2f));
    }
    let r1: Vec<(u64, &[u8])> = d1.iter().map(|(f, b)| (*f, b.as_slice())).collect();
    let r2: Vec<(u64, &[u8])> = d2.iter().map(|(f, b)| (*f, b.as_slice())).collect();
    let m1 = build_manifest(version, created, expires, &bundle, &r1, &signers);
    let m2 = sign_envelope(
        PayloadType::Manifest,
        v2::manifest_payload(version, created, expires, &file, &r2),
        &signers,
    )
    .to_bytes();
    files.insert(format!("/v1/bundles/{version}"), bundle);
    files.insert(format!("/v2/bundles/{version}"), file);
    files.insert("/v1/manifest".into(), m1);
    files.insert("/v2/manifest".into(), m2);
    state
}

fn requested(f: &Fixture, path: &str) -> bool {
    let want = format!("GET {path} ");
    f.heads
        .lock()
        .expect("heads")
        .iter()
        .any(|h| h.starts_with(&want))
}

#[test]
fn a_server_with_format_2_is_synced_through_v2_and_its_deltas_chain() {
    let f = Fixture::new();
    let s1 = publish_both(&f, 1, &["a", "b"], None);
    let r = f.sync();
    assert_eq!(
        r.outcome,
        SyncOutcome::Updated {
            version: 1,
            via_delta: false
        },
        "{r:?}"
    );
    assert!(requested(&f, "/v2/bundles/1"));
    assert!(
        !requested(&f, "/v1/bundles/1"),
        "format 1 bundle not downloaded"
    );
    publish_both(&f, 2, &["a", "c"], Some(&s1));
    let r = f.sync();
    assert_eq!(
        r.outcome,
        SyncOutcome::Updated {
            version: 2,
            via_delta: true
        },
        "{r:?}"
    );
    assert!(requested(&f, "/v2/deltas/1/2"));
    assert!(!requested(&f, "/v1/deltas/1/2"));
    assert_eq!(held_record_count(&f.store).expect("count"), 2);
    // The held state (format 2 bytes) re-verifies when the store is opened again.
    let reopened = crate::app::open_store(f._dir.path()).expect("reopen");
    assert_eq!(held_record_count(&reopened).expect("count"), 2);
    assert_eq!(
        sync(&reopened, &f.clock, &SyncOptions::new(&f.url))
            .expect("sync")
            .outcome,
        SyncOutcome::AlreadyCurrent
    );
}

#[test]
fn a_server_without_format_2_is_synced_through_v1() {
    let f = Fixture::new();
    f.publish(1, &["a", "b"], T0 - 10, T0 + 100_000);
    let r = f.sync();
    assert_eq!(
        r.outcome,
        SyncOutcome::Updated {
            version: 1,
            via_delta: false
        },
        "{r:?}"
    );
    assert!(requested(&f, "/v2/manifest"), "format 2 asked first");
    assert!(requested(&f, "/v1/bundles/1"), "then /v1/ after the 404");
    assert_eq!(held_record_count(&f.store).expect("count"), 2);
}

#[test]
fn a_v2_manifest_for_another_version_than_v1s_falls_back_to_v1() {
    let f = Fixture::new();
    publish_both(&f, 1, &["a"], None);
    let old_v2 = f.files.lock().expect("files")["/v2/manifest"].clone();
    f.publish(2, &["a", "b"], T0 - 5, T0 + 100_000);
    f.files
        .lock()
        .expect("files")
        .insert("/v2/manifest".into(), old_v2);
    let r = f.sync();
    assert_eq!(
        r.outcome,
        SyncOutcome::Updated {
            version: 2,
            via_delta: false
        },
        "{r:?}"
    );
    assert!(requested(&f, "/v1/bundles/2"));
}

#[test]
fn a_tampered_v2_bundle_is_rejected_and_the_held_directory_kept() {
    let f = Fixture::new();
    publish_both(&f, 1, &["a", "b"], None);
    assert!(matches!(
        f.sync().outcome,
        SyncOutcome::Updated { version: 1, .. }
    ));
    publish_both(&f, 2, &["a", "b", "c"], None);
    // The server swaps in other content under the real signatures, and names the
    // tampered file in the /v2/ manifest it cannot sign: both must fail, the manifest
    // first. Then with the manifest left honest, the file's hash fails.
    let signers: Vec<&PublisherKey> = f.keys.iter().collect();
    let honest = f.files.lock().expect("files")["/v2/bundles/2"].clone();
    let opened = v2::open(&honest, PayloadType::Bundle).expect("open");
    let mut payload = opened.payload.clone();
    let at = payload
        .windows(4)
        .position(|w| w == b"Name")
        .expect("a name in the payload");
    payload[at..at + 4].copy_from_slice(b"Evil");
    let tampered = v2::assemble(PayloadType::Bundle, &payload, &opened.signatures).expect("file");
    f.files
        .lock()
        .expect("files")
        .insert("/v2/bundles/2".into(), tampered.clone());
    let r = f.sync();
    assert!(matches!(r.outcome, SyncOutcome::Rejected { .. }), "{r:?}");
    assert_eq!(r.version, Some(1));
    // A manifest re-signed to name the tampered file (as if the server held the keys'
    // signatures for it, which it cannot): the file's own signatures still fail.
    let m2 = sign_envelope(
        PayloadType::Manifest,
        v2::manifest_payload(2, T0 - 8, T0 + 100_000, &tampered, &[]),
        &signers,
    )
    .to_bytes();
    f.files
        .lock()
        .expect("files")
        .insert("/v2/manifest".into(), m2);
    let r = f.sync();
    match &r.outcome {
        SyncOutcome::Rejected { reason } => assert!(reason.contains("signature"), "{reason}"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(r.version, Some(1));
    assert_eq!(
        held_record_count(&f.store).expect("count"),
        2,
        "held directory kept"
    );
    assert!(held_records_matching(&f.store, "evil")
        .expect("search")
        .is_empty());
}

#[test]
fn a_v2_bundle_with_a_dictionary_this_app_lacks_falls_back_to_v1() {
    let f = Fixture::new();
    publish_both(&f, 1, &["a", "b"], None);
    let signers: Vec<&PublisherKey> = f.keys.iter().collect();
    let mut other = f.files.lock().expect("files")["/v2/bundles/1"].clone();
    other[5] ^= 0x01; // the header's dictionary id
    let m2 = sign_envelope(
        PayloadType::Manifest,
        v2::manifest_payload(1, T0 - 9, T0 + 100_000, &other, &[]),
        &signers,
    )
    .to_bytes();
    {
        let mut files = f.files.lock().expect("files");
        files.insert("/v2/bundles/1".into(), other);
        files.insert("/v2/manifest".into(), m2);
    }
    let r = f.sync();
    assert_eq!(
        r.outcome,
        SyncOutcome::Updated {
            version: 1,
            via_delta: false
        },
        "{r:?}"
    );
    assert!(requested(&f, "/v2/bundles/1") && requested(&f, "/v1/bundles/1"));
}

#[test]
fn a_format_2_delta_the_install_refuses_falls_back_to_the_format_2_bundle_once() {
    let f = Fixture::new();
    let s1 = publish_both(&f, 1, &["a", "b"], None);
    assert!(matches!(
        f.sync().outcome,
        SyncOutcome::Updated { version: 1, .. }
    ));
    // Version 2's delta verifies but carries a phone the app refuses to dial: the install
    // refuses it, the held state stays, and the engine asks for the full bundle instead of
    // the same delta again (refused for the same record here).
    let mut bad = record("b");
    bad.phones = vec![waypoint_format::record::Phone {
        number: "1-555-0100-000".into(),
        country: "US".into(),
        kind: waypoint_format::record::PhoneKind::Voice,
        keyword: None,
        hours: None,
        languages: vec![],
        description: Default::default(),
        cost: None,
    }];
    publish_records(&f, 2, &[record("a"), bad], Some(&s1));
    f.heads.lock().expect("heads").clear();
    let r = f.sync();
    assert!(matches!(r.outcome, SyncOutcome::Rejected { .. }), "{r:?}");
    assert_eq!(r.version, Some(1));
    let heads = f.heads.lock().expect("heads");
    let asked: Vec<&str> = heads
        .iter()
        .filter_map(|h| h.split_whitespace().nth(1))
        .filter(|p| p.contains("/deltas/") || p.contains("/bundles/"))
        .collect();
    assert_eq!(asked, ["/v2/deltas/1/2", "/v2/bundles/2"]);
}
