use std::collections::BTreeMap;

use proptest::prelude::*;

use super::codec::{decode_bundle, decode_delta, encode_bundle, encode_delta};
use super::*;
use crate::publish::{build_bundle, build_keyset, sign_envelope};
use crate::record::{Category, Fees, Location, Opening, Phone, PhoneKind, Schedule};
use crate::{verify_bundle, verify_delta};

const NOW: i64 = 1_800_000_000;

/// A record using every field: several languages, non-ASCII text, coordinates, a phone
/// with its own hours, keyword and cost, a schedule with openings.
fn full_record(id: &str, name: &str) -> Record {
    let hours = Schedule {
        timezone: "Europe/Madrid".into(),
        always_open: false,
        weekly: vec![
            Opening {
                weekday: 1,
                opens: "09:00".into(),
                closes: "17:30".into(),
            },
            Opening {
                weekday: 6,
                opens: "22:00".into(),
                closes: "06:00".into(),
            },
        ],
    };
    Record {
        id: id.into(),
        organization: BTreeMap::from([
            ("ar".into(), "شبكة المساعدة".into()),
            ("en".into(), "Help Network".into()),
        ]),
        name: BTreeMap::from([("en".into(), name.into()), ("es".into(), "Línea".into())]),
        description: BTreeMap::from([("en".into(), "Two lines.\nSecond line.".into())]),
        categories: vec![Category::Hotline, Category::LegalAid],
        languages: vec!["en".into(), "es".into(), "zh-Hans".into()],
        locations: vec![Location {
            name: BTreeMap::from([("en".into(), "Office".into())]),
            address: Some("1 Calle Mayor, Madrid".into()),
            country: "ES".into(),
            region: Some("ES-MD".into()),
            latitude: Some(40.4168),
            longitude: Some(-3.7038),
        }],
        phones: vec![Phone {
            number: "+34 900 123 456".into(),
            country: "ES".into(),
            kind: PhoneKind::Sms,
            keyword: Some("AYUDA".into()),
            hours: Some(hours.clone()),
            languages: vec!["es".into()],
            description: BTreeMap::from([("es".into(), "SMS".into())]),
            cost: Some(crate::record::PhoneCost::Premium),
        }],
        websites: vec!["https://example.org/help".into()],
        emails: vec!["help@example.org".into()],
        schedule: Some(hours),
        eligibility: BTreeMap::from([("en".into(), "Anyone.".into())]),
        fees: Fees {
            free: true,
            description: BTreeMap::from([("en".into(), "Free.".into())]),
        },
        accessibility: BTreeMap::from([("en".into(), "Step-free.".into())]),
        last_verified: "2026-11-01".into(),
        source: "https://example.org/".into(),
    }
}

fn keys() -> (PublisherKey, PublisherKey, Keyset) {
    let (a, b) = (
        PublisherKey::from_secret_bytes(&[7; 32]),
        PublisherKey::from_secret_bytes(&[8; 32]),
    );
    let ks = build_keyset(
        1,
        NOW + 86_400 * 365,
        2,
        vec![a.public_entry(), b.public_entry()],
    );
    (a, b, ks)
}

fn v1_state(records: &[Record], version: u64) -> (Vec<u8>, VerifiedBundle) {
    let (a, b, ks) = keys();
    let bytes = build_bundle(version, NOW - 60, NOW + 86_400, records, &[&a, &b]).expect("v1");
    let state = verify_bundle(&bytes, &ks, &Policy::update(NOW, None)).expect("v1 verifies");
    (bytes, state)
}

#[test]
fn encoding_is_deterministic_and_reads_back_to_the_same_value() {
    let records = vec![
        full_record("b.line", "B line"),
        full_record("a.line", "A line"),
    ];
    let (_, state) = v1_state(&records, 3);
    let p1 = bundle_payload_of(&state).expect("payload");
    // The same records in another order give the same bytes.
    let mut reversed: Vec<(&str, &str)> =
        state.records().iter().map(|r| (r.id(), r.raw())).collect();
    reversed.reverse();
    let p2 = bundle_payload(3, state.created(), state.expires(), reversed).expect("payload");
    assert_eq!(p1, p2);
    let decoded = decode_bundle(&p1, MAX_RECORDS).expect("decodes");
    assert_eq!(encode_bundle(&decoded), p1, "re-encodes to the same bytes");
    let mut sorted = records.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(decoded.records, sorted, "the same values");
    assert_eq!(&decoded.header.content_hash, state.content_hash());
    // Sealed twice: the same file (compression is deterministic too).
    let (a, b, _) = keys();
    assert_eq!(
        seal(PayloadType::Bundle, &p1, &[&a, &b]).expect("seal"),
        seal(PayloadType::Bundle, &p1, &[&b, &a]).expect("seal"),
        "signature order does not change the file"
    );
}

#[test]
fn a_format_2_state_is_the_same_state_as_format_1_and_deltas_chain_across_formats() {
    let (a, b, ks) = keys();
    let policy = Policy::update(NOW, None);
    let r1 = vec![full_record("a.line", "A"), full_record("b.line", "B")];
    let (_, s1) = v1_state(&r1, 1);
    let mut r2 = r1.clone();
    r2[1].name.insert("en".into(), "B renamed".into());
    r2.push(full_record("c.line", "C"));
    r2.remove(0);
    let (_, s2) = v1_state(&r2, 2);
    let f1 = seal(
        PayloadType::Bundle,
        &bundle_payload_of(&s1).expect("p"),
        &[&a, &b],
    )
    .expect("f");
    let v2_s1 = verify_bundle(&f1, &ks, &policy).expect("v2 verifies");
    assert_eq!(
        v2_s1, s1,
        "same version, times, content hash and record bytes"
    );
    assert_eq!(v2_s1.signed_bytes(), f1.as_slice());
    let d = seal(
        PayloadType::Delta,
        &delta_payload_of(&s1, &s2).expect("d"),
        &[&a, &b],
    )
    .expect("f");
    let from_v1 = verify_delta(&d, &ks, &s1, &policy).expect("v2 delta on v1 state");
    let from_v2 = verify_delta(&d, &ks, &v2_s1, &policy).expect("v2 delta on v2 state");
    assert_eq!(from_v1, s2);
    assert_eq!(from_v2, s2);
    assert!(from_v1.via_delta());
}

#[test]
fn a_record_whose_signed_json_is_not_canonical_cannot_be_carried() {
    let (a, b, ks) = keys();
    let rec = full_record("a.line", "A");
    let canonical = serde_json::to_string(&rec).expect("json");
    let spaced = canonical.replacen(',', ", ", 1);
    let hash = hex::encode(content_hash([("a.line", spaced.as_str())]));
    let payload = format!(
        r#"{{"format":1,"version":1,"created":{},"expires":{},"content_hash":"{hash}","records":[{spaced}]}}"#,
        NOW - 60,
        NOW + 60
    );
    let env = sign_envelope(PayloadType::Bundle, payload.into_bytes(), &[&a, &b]).to_bytes();
    let state = verify_bundle(&env, &ks, &Policy::update(NOW, None)).expect("format 1 accepts it");
    let err = bundle_payload_of(&state).expect_err("format 2 cannot carry it");
    assert!(err.to_string().contains("canonical JSON"), "{err}");
}

#[test]
fn a_frame_claiming_more_than_the_ratio_cap_is_refused_before_inflating() {
    let (a, b, ks) = keys();
    let zeros = vec![0u8; 8 << 20];
    let file = seal(PayloadType::Bundle, &zeros, &[&a, &b]).expect("seal");
    assert!(file.len() < 8 << 10, "a few KB on the wire");
    let err = verify_bundle(&file, &ks, &Policy::update(NOW, None)).expect_err("refused");
    assert!(err.to_string().contains("out of proportion"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any change to a valid payload either fails to decode (never panics) or decodes to a
    /// value whose encoding is exactly the changed bytes: one encoding per value.
    #[test]
    fn a_changed_payload_is_refused_or_is_the_canonical_encoding_of_its_value(
        pos in 0usize..2_000,
        byte in any::<u8>(),
        cut in 0usize..8,
        insert in any::<bool>(),
    ) {
        let records = vec![full_record("a.line", "A"), full_record("b.line", "B")];
        let (_, state) = v1_state(&records, 1);
        let mut p = bundle_payload_of(&state).expect("payload");
        let i = pos % p.len();
        if insert { p.insert(i, byte) } else { p[i] = byte }
        p.truncate(p.len() - cut.min(p.len()));
        if let Ok(v) = decode_bundle(&p, MAX_RECORDS) {
            prop_assert_eq!(encode_bundle(&v), p.clone());
        }
        let _ = decode_delta(&p, MAX_RECORDS);
    }
}

#[test]
fn the_shipped_dictionary_is_the_pinned_one() {
    assert_eq!(crate::sha256_hex(DICTIONARY), DICTIONARY_SHA256);
    assert_eq!(
        &DICTIONARY[..4],
        &[0x37, 0xa4, 0x30, 0xec],
        "a zstd dictionary"
    );
    assert_ne!(dictionary_id(), 0);
}

/// The recipe (feature `synth`, on in workspace test runs through the core's
/// dev-dependency) makes exactly the shipped file.
#[cfg(feature = "synth")]
#[test]
fn the_shipped_dictionary_is_what_the_recipe_makes() {
    let made = dictionary::train().expect("training");
    assert!(
        made == DICTIONARY,
        "re-run the waypoint-dict tool and review"
    );
}

proptest! {
    /// Format 2 carries coordinates as values; the record's canonical JSON must spell them
    /// exactly as signed, so parsing must be exact (serde_json `float_roundtrip`).
    #[test]
    fn a_coordinate_reads_back_to_the_bytes_it_was_written_as(lat in -90.0f64..90.0, lon in -180.0f64..180.0) {
        let mut r = full_record("a.line", "A");
        r.locations[0].latitude = Some(lat);
        r.locations[0].longitude = Some(lon);
        let raw = serde_json::to_string(&r).expect("json");
        let (_, state) = v1_state(&[r], 1);
        prop_assert_eq!(state.records()[0].raw(), raw.as_str());
        prop_assert!(bundle_payload_of(&state).is_ok());
    }
}

#[cfg(feature = "synth")]
#[test]
fn synthetic_directories_can_be_carried_in_format_2() {
    let records = crate::synth::records(300, 1);
    let (_, state) = v1_state(&records, 1);
    let p = bundle_payload_of(&state).expect("payload");
    assert_eq!(
        decode_bundle(&p, MAX_RECORDS)
            .expect("decodes")
            .records
            .len(),
        300
    );
}

#[test]
fn a_large_payload_compressed_without_the_dictionary_opens_with_it_loaded() {
    let (a, b, _) = keys();
    let mut payload = Vec::with_capacity(DICTIONARY_INPUT_MAX + 4096);
    let mut x: u32 = 1;
    while payload.len() < DICTIONARY_INPUT_MAX + 4096 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        payload.extend_from_slice(format!("record {} ", x % 5000).as_bytes());
    }
    let sigs = vec![
        sign(&a, PayloadType::Bundle, &payload),
        sign(&b, PayloadType::Bundle, &payload),
    ];
    let file = assemble_with(PayloadType::Bundle, &payload, &sigs, 3).expect("file");
    let opened = open(&file, PayloadType::Bundle).expect("opens");
    assert_eq!(opened.payload, payload);
    assert_eq!(opened.signatures.len(), 2);
}

#[test]
fn a_format_2_delta_removing_a_record_that_is_not_held_is_refused() {
    let (a, b, ks) = keys();
    let policy = Policy::update(NOW, None);
    let r1 = vec![full_record("a.line", "A"), full_record("b.line", "B")];
    let (_, s1) = v1_state(&r1, 1);
    let (_, s2) = v1_state(&r1[1..], 2);
    let honest = delta_payload_of(&s1, &s2).expect("d");
    let mut p = decode_delta(&honest, MAX_RECORDS).expect("decodes");
    assert_eq!(p.tombstones, vec!["a.line".to_owned()]);
    // Still strictly ascending, so only the held state can refuse it.
    p.tombstones.push("z.missing".into());
    let d = seal(PayloadType::Delta, &encode_delta(&p), &[&a, &b]).expect("f");
    let err = verify_delta(&d, &ks, &s1, &policy).expect_err("refused");
    assert!(matches!(err, FormatError::InvalidRecord { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("tombstone for a record that does not exist"),
        "{err}"
    );
}
