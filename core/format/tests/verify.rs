//! Every verification rule of the bundle format, each named after the promise it checks.

use std::collections::BTreeMap;

use proptest::prelude::*;
use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::publish::{
    add_signature, build_bundle, build_delta, build_keyset, build_manifest, sign_envelope,
    sign_keyset, PublisherKey,
};
use waypoint_format::record::{Category, Fees, Location, Phone, PhoneKind, Record};
use waypoint_format::{
    limits, verify_bundle, verify_delta, verify_keyset_rotation, verify_manifest,
    verify_root_keyset, FormatError, Keyset, Policy,
};

const NOW: i64 = 1_800_000_000;
const LATER: i64 = NOW + 86_400 * 30;

fn key(n: u8) -> PublisherKey {
    PublisherKey::from_secret_bytes(&[n; 32])
}

fn keyset(keys: &[&PublisherKey], threshold: u32, version: u64) -> Keyset {
    build_keyset(
        version,
        LATER * 10,
        threshold,
        keys.iter().map(|k| k.public_entry()).collect(),
    )
}

fn text(s: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("en".to_owned(), s.to_owned())])
}

fn record(id: &str, name: &str) -> Record {
    Record {
        id: id.into(),
        organization: text("Org"),
        name: text(name),
        description: text("Help"),
        categories: vec![Category::Hotline],
        languages: vec!["en".into()],
        locations: vec![Location {
            name: BTreeMap::new(),
            address: None,
            country: "US".into(),
            region: None,
            latitude: None,
            longitude: None,
        }],
        phones: vec![Phone {
            number: "1-888-373-7888".into(),
            country: "US".into(),
            kind: PhoneKind::Voice,
            keyword: None,
            hours: None,
            languages: vec![],
            description: BTreeMap::new(),
            cost: None,
        }],
        websites: vec!["https://example.org/".into()],
        emails: vec![],
        schedule: None,
        eligibility: BTreeMap::new(),
        fees: Fees {
            free: true,
            description: BTreeMap::new(),
        },
        accessibility: BTreeMap::new(),
        last_verified: "2026-01-01".into(),
        source: "https://example.org/".into(),
    }
}

fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| record(&format!("r{i}"), &format!("Service {i}")))
        .collect()
}

fn two_of_three() -> (PublisherKey, PublisherKey, PublisherKey, Keyset) {
    let (a, b, c) = (key(1), key(2), key(3));
    let ks = keyset(&[&a, &b, &c], 2, 1);
    (a, b, c, ks)
}

fn policy() -> Policy {
    Policy::update(NOW, None)
}

#[test]
fn sign_then_verify_round_trips() {
    let (a, b, _, ks) = two_of_three();
    let recs = records(3);
    let bytes = build_bundle(5, NOW - 10, LATER, &recs, &[&a, &b]).expect("build");
    let v = verify_bundle(&bytes, &ks, &policy()).expect("verify");
    assert_eq!(v.version(), 5);
    assert_eq!(v.records().len(), 3);
    assert_eq!(v.records()[1].record(), &recs[1]);
}

#[test]
fn too_few_signatures_are_rejected() {
    let (a, _, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a]).expect("build");
    assert_eq!(
        verify_bundle(&bytes, &ks, &policy()),
        Err(FormatError::TooFewSignatures {
            valid: 1,
            threshold: 2
        })
    );
}

#[test]
fn duplicate_key_ids_are_rejected() {
    let (a, _, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a]).expect("build");
    let mut env = Envelope::parse(&bytes, PayloadType::Bundle, usize::MAX).expect("parse");
    env.signatures.push(env.signatures[0].clone());
    let err = verify_bundle(&env.to_bytes(), &ks, &policy()).expect_err("duplicate");
    assert!(matches!(err, FormatError::DuplicateKeyId(_)), "{err:?}");
}

#[test]
fn duplicate_keys_in_a_keyset_are_rejected() {
    let a = key(1);
    let ks = build_keyset(1, LATER, 1, vec![a.public_entry(), a.public_entry()]);
    let bytes = sign_keyset(&ks, &[&a]);
    assert!(matches!(
        verify_root_keyset(&bytes, NOW),
        Err(FormatError::DuplicateKeyId(_))
    ));
}

#[test]
fn signatures_by_unknown_keys_are_rejected() {
    let (a, b, _, ks) = two_of_three();
    let stranger = key(9);
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a, &b, &stranger]).expect("build");
    assert!(matches!(
        verify_bundle(&bytes, &ks, &policy()),
        Err(FormatError::UnknownKey(_))
    ));
}

#[test]
fn forged_signature_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a, &b]).expect("build");
    let mut env = Envelope::parse(&bytes, PayloadType::Bundle, usize::MAX).expect("parse");
    // A different payload under the same signatures (e.g. a swapped phone number).
    let replaced = String::from_utf8(env.payload.clone())
        .expect("utf8")
        .replace("1-888-373-7888", "1-888-555-0100");
    env.payload = replaced.into_bytes();
    assert!(matches!(
        verify_bundle(&env.to_bytes(), &ks, &policy()),
        Err(FormatError::InvalidSignature(_))
    ));
}

#[test]
fn signature_for_another_payload_type_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a, &b]).expect("build");
    let env = Envelope::parse(&bytes, PayloadType::Bundle, usize::MAX).expect("parse");
    let as_delta = Envelope {
        payload_type: PayloadType::Delta,
        ..env
    };
    let held = verify_bundle(&bytes, &ks, &policy()).expect("base");
    assert!(matches!(
        verify_delta(&as_delta.to_bytes(), &ks, &held, &policy()),
        Err(FormatError::InvalidSignature(_))
    ));
}

#[test]
fn rollback_to_older_bundle_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(3, NOW, LATER, &records(1), &[&a, &b]).expect("build");
    assert_eq!(
        verify_bundle(&bytes, &ks, &Policy::update(NOW, Some(4))),
        Err(FormatError::Rollback {
            current: 4,
            offered: 3
        })
    );
}

#[test]
fn expired_bundle_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW - 100, NOW - 1, &records(1), &[&a, &b]).expect("build");
    assert_eq!(
        verify_bundle(&bytes, &ks, &policy()),
        Err(FormatError::Expired {
            expires: NOW - 1,
            now: NOW
        })
    );
    // Re-verifying stored data may accept it (shown as stale), never a fresh update.
    let stored = Policy {
        allow_expired: true,
        ..policy()
    };
    assert!(verify_bundle(&bytes, &ks, &stored)
        .expect("stored")
        .is_expired(NOW));
}

#[test]
fn expired_keyset_is_rejected() {
    let a = key(1);
    let ks = build_keyset(1, NOW - 1, 1, vec![a.public_entry()]);
    assert!(matches!(
        verify_root_keyset(&sign_keyset(&ks, &[&a]), NOW),
        Err(FormatError::Expired { .. })
    ));
}

#[test]
fn oversize_input_is_rejected_before_parsing() {
    let (_, _, _, ks) = two_of_three();
    // Not JSON at all: an oversize error proves the length is checked first.
    let junk = vec![b'x'; limits::MAX_MANIFEST_BYTES + 1];
    assert!(matches!(
        verify_manifest(&junk, &ks, &policy()),
        Err(FormatError::Oversize {
            kind: "manifest",
            ..
        })
    ));
    let junk = vec![b'x'; limits::MAX_DELTA_BYTES + 1];
    let base = verify_bundle(
        &build_bundle(1, NOW, LATER, &records(1), &[&key(1), &key(2)]).expect("build"),
        &ks,
        &policy(),
    )
    .expect("base");
    assert!(matches!(
        verify_delta(&junk, &ks, &base, &policy()),
        Err(FormatError::Oversize { kind: "delta", .. })
    ));
}

#[test]
fn malformed_input_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    for bad in [
        &b""[..],
        b"{",
        b"null",
        b"{\"payload_type\":\"waypoint.bundle\"}",
        b"\xff\xfe",
    ] {
        assert!(matches!(
            verify_bundle(bad, &ks, &policy()),
            Err(FormatError::Malformed { .. })
        ));
    }
    // Valid signatures over a payload that is not a bundle.
    let env = sign_envelope(PayloadType::Bundle, b"[1,2,3]".to_vec(), &[&a, &b]);
    assert!(matches!(
        verify_bundle(&env.to_bytes(), &ks, &policy()),
        Err(FormatError::Malformed { .. })
    ));
}

#[test]
fn content_hash_mismatch_is_rejected() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(2), &[&a, &b]).expect("build");
    let env = Envelope::parse(&bytes, PayloadType::Bundle, usize::MAX).expect("parse");
    let mut payload: serde_json::Value = serde_json::from_slice(&env.payload).expect("json");
    payload["content_hash"] = serde_json::Value::String("00".repeat(32));
    let resigned = sign_envelope(
        PayloadType::Bundle,
        serde_json::to_vec(&payload).expect("json"),
        &[&a, &b],
    );
    assert_eq!(
        verify_bundle(&resigned.to_bytes(), &ks, &policy()),
        Err(FormatError::ContentHashMismatch)
    );
}

#[test]
fn record_with_non_https_link_is_rejected() {
    let mut r = record("x", "X");
    r.websites = vec!["http://example.org/".into()];
    assert!(matches!(
        build_bundle(1, NOW, LATER, &[r.clone()], &[&key(1)]),
        Err(FormatError::InvalidRecord { .. })
    ));
    r.websites = vec!["javascript:alert(1)".into()];
    assert!(r.validate().is_err());
}

#[test]
fn delta_applies_and_matches_the_signed_hash() {
    let (a, b, _, ks) = two_of_three();
    let mut recs = records(5);
    let v1 = verify_bundle(
        &build_bundle(1, NOW, LATER, &recs, &[&a, &b]).expect("b1"),
        &ks,
        &policy(),
    )
    .expect("v1");
    recs.remove(0);
    recs[0].name = text("Renamed");
    recs.push(record("new", "New service"));
    let v2_bytes = build_bundle(2, NOW + 1, LATER, &recs, &[&a, &b]).expect("b2");
    let v2 = verify_bundle(&v2_bytes, &ks, &policy()).expect("v2");
    let delta = build_delta(&v1, &v2, &[&a, &b]).expect("delta");
    assert!(delta.len() < v2_bytes.len());
    let applied = verify_delta(&delta, &ks, &v1, &Policy::update(NOW, Some(1))).expect("apply");
    assert_eq!(applied, v2);
}

#[test]
fn delta_on_wrong_base_is_detected() {
    let (a, b, _, ks) = two_of_three();
    let v1 = verify_bundle(
        &build_bundle(1, NOW, LATER, &records(2), &[&a, &b]).expect("b1"),
        &ks,
        &policy(),
    )
    .expect("v1");
    let v2 = verify_bundle(
        &build_bundle(2, NOW, LATER, &records(3), &[&a, &b]).expect("b2"),
        &ks,
        &policy(),
    )
    .expect("v2");
    let v3 = verify_bundle(
        &build_bundle(3, NOW, LATER, &records(4), &[&a, &b]).expect("b3"),
        &ks,
        &policy(),
    )
    .expect("v3");
    let delta_2_3 = build_delta(&v2, &v3, &[&a, &b]).expect("delta");
    assert_eq!(
        verify_delta(&delta_2_3, &ks, &v1, &policy()),
        Err(FormatError::DeltaBaseMismatch {
            delta_base: 2,
            held: 1
        })
    );
    // Same version number, different content: still detected via the base hash.
    let other_v2 = verify_bundle(
        &build_bundle(2, NOW, LATER, &records(1), &[&a, &b]).expect("b"),
        &ks,
        &policy(),
    )
    .expect("v");
    assert!(matches!(
        verify_delta(&delta_2_3, &ks, &other_v2, &policy()),
        Err(FormatError::DeltaBaseMismatch { .. })
    ));
}

#[test]
fn keyset_rotation_needs_old_and_new_thresholds() {
    let (a, b, c, ks1) = two_of_three();
    let (d, e) = (key(4), key(5));
    let ks2 = keyset(&[&c, &d, &e], 2, 2);
    // Old threshold only.
    let only_old = sign_keyset(&ks2, &[&a, &b]);
    assert!(matches!(
        verify_keyset_rotation(&ks1, &only_old, NOW),
        Err(FormatError::TooFewSignatures { .. })
    ));
    // New threshold only.
    let only_new = sign_keyset(&ks2, &[&d, &e]);
    assert!(matches!(
        verify_keyset_rotation(&ks1, &only_new, NOW),
        Err(FormatError::TooFewSignatures { .. })
    ));
    // Both (c is in both sets and counts for each).
    let both = sign_keyset(&ks2, &[&a, &c, &d]);
    let rotated = verify_keyset_rotation(&ks1, &both, NOW).expect("rotate");
    assert_eq!(rotated.keyset(), &ks2);
    // A bundle signed by the old quorum no longer verifies under the new keyset.
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a, &b]).expect("build");
    assert!(verify_bundle(&bytes, &rotated, &policy()).is_err());
}

#[test]
fn keyset_rotation_must_be_the_next_version() {
    let (a, b, c, ks1) = two_of_three();
    let skip = keyset(&[&a, &b, &c], 2, 3);
    assert!(matches!(
        verify_keyset_rotation(&ks1, &sign_keyset(&skip, &[&a, &b]), NOW),
        Err(FormatError::KeysetVersion {
            current: 1,
            offered: 3
        })
    ));
    let same = keyset(&[&a, &b, &c], 1, 1);
    assert!(matches!(
        verify_keyset_rotation(&ks1, &sign_keyset(&same, &[&a, &b]), NOW),
        Err(FormatError::Rollback { .. })
    ));
}

#[test]
fn manifest_round_trips_and_rejects_rollback() {
    let (a, b, _, ks) = two_of_three();
    let bundle = build_bundle(7, NOW, LATER, &records(1), &[&a, &b]).expect("bundle");
    let m = build_manifest(7, NOW, NOW + 86_400, &bundle, &[(6, b"delta")], &[&a, &b]);
    let parsed = verify_manifest(&m, &ks, &policy()).expect("manifest");
    assert_eq!(parsed.version(), 7);
    assert_eq!(parsed.bundle().size, bundle.len() as u64);
    assert!(parsed.delta_from(6).is_some());
    assert_eq!(
        verify_manifest(&m, &ks, &Policy::update(NOW, Some(8))),
        Err(FormatError::Rollback {
            current: 8,
            offered: 7
        })
    );
}

#[test]
fn signatures_added_one_by_one_verify() {
    let (a, b, _, ks) = two_of_three();
    let bytes = build_bundle(1, NOW, LATER, &records(1), &[&a]).expect("build");
    let mut env = Envelope::parse(&bytes, PayloadType::Bundle, usize::MAX).expect("parse");
    add_signature(&mut env, &b);
    add_signature(&mut env, &b); // idempotent: replaces rather than duplicates
    assert!(verify_bundle(&env.to_bytes(), &ks, &policy()).is_ok());
}

#[test]
fn key_file_round_trips_and_debug_hides_the_secret() {
    let k = key(7);
    let file = k.to_key_file();
    let back = PublisherKey::from_key_file(&file).expect("read");
    assert_eq!(back.key_id(), k.key_id());
    assert!(!format!("{k:?}").contains("secret"));
    let mut tampered: serde_json::Value = serde_json::from_slice(&file).expect("json");
    tampered["keyid"] = serde_json::Value::String("00".repeat(32));
    assert!(PublisherKey::from_key_file(&serde_json::to_vec(&tampered).expect("json")).is_err());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let (_, _, _, ks) = two_of_three();
        let _ = verify_bundle(&bytes, &ks, &policy());
        let _ = verify_manifest(&bytes, &ks, &policy());
        let _ = verify_root_keyset(&bytes, NOW);
    }

    #[test]
    fn any_single_byte_flip_in_a_signed_bundle_is_rejected(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (a, b, _, ks) = two_of_three();
        let bytes = build_bundle(1, NOW, LATER, &records(2), &[&a, &b]).expect("build");
        let mut flipped = bytes.clone();
        let i = pos.index(flipped.len());
        flipped[i] ^= 1 << bit;
        // Either rejected, or (a flip inside JSON whitespace-insensitive framing that
        // decodes to the same envelope) verifies to exactly the same content.
        match verify_bundle(&flipped, &ks, &policy()) {
            Err(_) => {}
            Ok(v) => prop_assert_eq!(v, verify_bundle(&bytes, &ks, &policy()).expect("orig")),
        }
    }

    #[test]
    fn delta_between_random_sets_reproduces_the_target(
        keep in proptest::collection::vec(any::<bool>(), 8),
        rename in proptest::collection::vec(any::<bool>(), 8),
        extra in 0usize..4,
    ) {
        let (a, b, _, ks) = two_of_three();
        let base_recs = records(8);
        let mut target: Vec<Record> = base_recs
            .iter()
            .zip(keep.iter().zip(&rename))
            .filter(|(_, (k, _))| **k)
            .map(|(r, (_, rn))| {
                let mut r = r.clone();
                if *rn { r.name = text("changed"); }
                r
            })
            .collect();
        target.extend((0..extra).map(|i| record(&format!("extra{i}"), "Extra")));
        let v1 = verify_bundle(&build_bundle(1, NOW, LATER, &base_recs, &[&a, &b]).expect("b1"), &ks, &policy()).expect("v1");
        let v2 = verify_bundle(&build_bundle(2, NOW, LATER, &target, &[&a, &b]).expect("b2"), &ks, &policy()).expect("v2");
        let d = build_delta(&v1, &v2, &[&a, &b]).expect("delta");
        prop_assert_eq!(verify_delta(&d, &ks, &v1, &policy()).expect("apply"), v2);
    }
}

#[test]
fn emails_carrying_mailto_headers_are_rejected() {
    for bad in [
        "a@example.org?bcc=spy@evil.example",
        "a@example.org&bcc=spy@evil.example",
        "a%3Fbcc@example.org",
        "a@example.org,spy@evil.example",
    ] {
        let mut r = record("r1", "Line");
        r.emails = vec![bad.into()];
        match r.validate() {
            Err(FormatError::InvalidRecord { reason, .. }) => {
                assert!(reason.starts_with("email"), "{bad}: {reason}");
                assert!(!reason.contains("evil"), "the value is never echoed");
            }
            other => panic!("{bad} must be refused, got {other:?}"),
        }
    }
    let mut r = record("r1", "Line");
    r.emails = vec!["help@example.org".into()];
    assert_eq!(r.validate(), Ok(()));
}
