//! Format 2 conformance vectors (docs/PROTOCOL.md §19.9): `tests/vectors/v2-*.bin` inputs
//! and the list `tests/vectors/v2-vectors.json`, built here deterministically from the
//! fixed test keys of `keys.json` and the format 1 files they relate to (`bundle-v4.json`,
//! `bundle-v5.json`, `keyset-root.json`, `manifest-v5.json`).
//!
//! - `v2_vectors_on_disk_match_the_generator` fails if a checked-in file differs from the
//!   generator; regenerate with `WAYPOINT_WRITE_VECTORS=1 cargo test -p waypoint-format
//!   --test v2_vectors` and review the diff.
//! - `every_v2_vector_has_its_expected_outcome` reads only the files on disk, as a second
//!   client would.

mod vectors_common;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vectors_common::{
    accept, assert_on_disk_match, assert_outcomes, error_kind, key, list_file, read, reject,
    verify_delta_both_ways, Expect, VectorFile,
};
use waypoint_format::envelope::{Envelope, PayloadType, Signature};
use waypoint_format::publish::sign_envelope;
use waypoint_format::v2;
use waypoint_format::{
    sha256_hex, verify_bundle, verify_root_keyset, FormatError, Keyset, Policy, VerifiedBundle,
};

const NOW: i64 = 1_800_000_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    description: String,
    /// `bundle`, `delta` or `manifest` (a `/v2/manifest`), verified with the crate's
    /// public verifiers (which accept format 1 and format 2 bundles and deltas).
    kind: String,
    now: i64,
    input: String,
    trusted_keyset: String,
    /// For `delta`: the state held (a format 1 or format 2 bundle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_bundle: Option<String>,
    /// For `manifest`: the downloaded bundle its entry must name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bundle_file: Option<String>,
    expect: Expect,
}

fn trusted() -> Keyset {
    verify_root_keyset(&read("keyset-root.json"), NOW)
        .expect("keyset-root.json verifies")
        .keyset()
        .clone()
}

fn state(name: &str) -> VerifiedBundle {
    verify_bundle(&read(name), &trusted(), &Policy::update(NOW, None)).expect("base verifies")
}

/// A format 2 file from its parts, for headers the builder would never write.
fn raw_file(kind: u8, dict: u32, raw_len: u64, sigs: &[Signature], frame: &[u8]) -> Vec<u8> {
    let mut out = b"WPD2".to_vec();
    out.push(kind);
    out.extend_from_slice(&dict.to_le_bytes());
    let varint = |mut v: u64, out: &mut Vec<u8>| loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    };
    varint(raw_len, &mut out);
    varint(sigs.len() as u64, &mut out);
    for s in sigs {
        out.extend_from_slice(&hex::decode(&s.keyid).expect("hex"));
        out.extend_from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &s.sig)
                .expect("b64"),
        );
    }
    out.extend_from_slice(frame);
    out
}

fn generate() -> BTreeMap<String, Vec<u8>> {
    let (k1, k2, evil) = (key("k1"), key("k2"), key("attacker"));
    let signers = [&k1, &k2];
    let v4 = state("bundle-v4.json");
    let v5 = state("bundle-v5.json");
    let p4 = v2::bundle_payload_of(&v4).expect("v4 payload");
    let p5 = v2::bundle_payload_of(&v5).expect("v5 payload");
    let d45 = v2::delta_payload_of(&v4, &v5).expect("delta payload");
    let b = PayloadType::Bundle;
    let d = PayloadType::Delta;
    let sigs = |t: PayloadType, p: &[u8]| -> Vec<Signature> {
        signers.iter().map(|k| v2::sign(k, t, p)).collect()
    };
    let hash4 = Some(hex::encode(v4.content_hash()));
    let hash5 = Some(hex::encode(v5.content_hash()));

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut vectors: Vec<Vector> = Vec::new();
    let mut add = |name: &str,
                   description: &str,
                   kind: &str,
                   bytes: Vec<u8>,
                   base: Option<&str>,
                   expect: Expect| {
        let ext = if bytes.starts_with(b"WPD2") {
            "bin"
        } else {
            "json"
        };
        let input = format!("{name}.{ext}");
        files.insert(input.clone(), bytes);
        vectors.push(Vector {
            name: name.to_owned(),
            description: description.to_owned(),
            kind: kind.to_owned(),
            now: NOW,
            input,
            trusted_keyset: "keyset-root.json".into(),
            base_bundle: base.map(str::to_owned),
            bundle_file: None,
            expect,
        });
    };

    let good4 = v2::seal(b, &p4, &signers).expect("seal");
    let good5 = v2::seal(b, &p5, &signers).expect("seal");
    add(
        "v2-bundle-v4",
        "bundle-v4.json's state in format 2: same version and content hash",
        "bundle",
        good4.clone(),
        None,
        accept(4, hash4.clone()),
    );
    add(
        "v2-bundle-v5",
        "bundle-v5.json's state in format 2",
        "bundle",
        good5.clone(),
        None,
        accept(5, hash5.clone()),
    );
    let good_delta = v2::seal(d, &d45, &signers).expect("seal");
    add(
        "v2-delta-4-5",
        "format 2 delta applied on the format 1 bundle v4: deltas chain across formats",
        "delta",
        good_delta.clone(),
        Some("bundle-v4.json"),
        accept(5, hash5.clone()),
    );
    add(
        "v2-delta-4-5-on-v2-base",
        "the same delta applied on the format 2 bundle v4",
        "delta",
        good_delta.clone(),
        Some("v2-bundle-v4.bin"),
        accept(5, hash5.clone()),
    );
    // Format 1 delta on a format 2 base.
    add(
        "v2-v1-delta-on-v2-base",
        "the format 1 delta-4-5.json applied on the format 2 bundle v4",
        "delta",
        read("delta-4-5.json"),
        Some("v2-bundle-v4.bin"),
        accept(5, hash5.clone()),
    );

    // Non-canonical encodings, each signed correctly so only the decoder can refuse them.
    let mut overlong = vec![0x82, 0x00];
    overlong.extend_from_slice(&p4[1..]);
    add(
        "v2-bundle-varint-overlong",
        "the format number written as a two-byte varint (0x82 0x00), validly signed",
        "bundle",
        v2::assemble(b, &overlong, &sigs(b, &overlong)).expect("file"),
        None,
        reject("Malformed"),
    );
    let mut trailing = p4.clone();
    trailing.push(0);
    add(
        "v2-bundle-trailing-bytes",
        "one byte after the last record, validly signed",
        "bundle",
        v2::assemble(b, &trailing, &sigs(b, &trailing)).expect("file"),
        None,
        reject("Malformed"),
    );
    let mut bad_flag = p4.clone();
    // The first record's address option tag: the 9th byte of the shape column (after the
    // counts of organization, name, description, categories, one category, languages,
    // locations and the location's name map).
    let mut pos = header_payload_len(&p4);
    for _ in 0..2 {
        while p4[pos] & 0x80 != 0 {
            pos += 1;
        }
        pos += 1;
    }
    pos += 8;
    assert_eq!(p4[pos], 0, "an absent address");
    bad_flag[pos] = 0x02;
    add(
        "v2-bundle-flag-not-0-or-1",
        "a flag byte 2 where only 0 or 1 may stand, validly signed",
        "bundle",
        v2::assemble(b, &bad_flag, &sigs(b, &bad_flag)).expect("file"),
        None,
        reject("Malformed"),
    );

    // Header and compression.
    let frame4 = &good4[header_len(&good4)..];
    add(
        "v2-bundle-wrong-dictionary-id",
        "the header names a dictionary this app does not ship",
        "bundle",
        raw_file(
            1,
            v2::dictionary_id() ^ 1,
            p4.len() as u64,
            &sigs(b, &p4),
            frame4,
        ),
        None,
        reject("Malformed"),
    );
    add(
        "v2-bundle-oversize-declared",
        "a declared raw size one byte over the hard cap (refused before decompressing)",
        "bundle",
        raw_file(
            1,
            v2::dictionary_id(),
            v2::MAX_BUNDLE_RAW as u64 + 1,
            &sigs(b, &p4),
            frame4,
        ),
        None,
        reject("Oversize"),
    );
    add(
        "v2-bundle-declared-too-small",
        "a frame holding more than its declared size (a zip bomb's shape): refused, never inflated past it",
        "bundle",
        raw_file(1, v2::dictionary_id(), 100, &sigs(b, &p4), frame4),
        None,
        reject("Malformed"),
    );
    let zeros = vec![0u8; 64 << 20];
    add(
        "v2-bundle-zip-bomb",
        "a frame of 64 MiB of zeros (a few KB on the wire), honestly declared, validly signed: refused before inflating (ratio cap)",
        "bundle",
        v2::assemble(b, &zeros, &sigs(b, &zeros)).expect("file"),
        None,
        reject("Malformed"),
    );
    let mut two_frames = good4.clone();
    two_frames.extend_from_slice(frame4);
    add(
        "v2-bundle-trailing-frame",
        "a second zstd frame after the first",
        "bundle",
        two_frames,
        None,
        reject("Malformed"),
    );
    add(
        "v2-delta-as-bundle",
        "a delta file offered as a bundle",
        "bundle",
        good_delta.clone(),
        None,
        reject("WrongPayloadType"),
    );

    // Signatures.
    let mut flipped = sigs(b, &p4);
    let mut raw =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &flipped[0].sig)
            .expect("b64");
    raw[10] ^= 1;
    flipped[0].sig = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, raw);
    add(
        "v2-bundle-bad-signature",
        "one signature with a flipped bit",
        "bundle",
        v2::assemble(b, &p4, &flipped).expect("file"),
        None,
        reject("InvalidSignature"),
    );
    add(
        "v2-bundle-one-signature",
        "one valid signature of the two the keyset requires",
        "bundle",
        v2::assemble(b, &p4, &sigs(b, &p4)[..1]).expect("file"),
        None,
        reject("TooFewSignatures"),
    );
    add(
        "v2-bundle-attacker-key",
        "signed by a key the keyset does not list",
        "bundle",
        v2::seal(b, &p4, &[&k1, &evil]).expect("file"),
        None,
        reject("UnknownKey"),
    );
    let v1_env = Envelope::parse(&read("bundle-v4.json"), b, usize::MAX).expect("v1 envelope");
    add(
        "v2-bundle-v1-signatures",
        "the format 1 signatures of bundle-v4.json carried in a format 2 file of the same state",
        "bundle",
        v2::assemble(b, &p4, &v1_env.signatures).expect("file"),
        None,
        reject("InvalidSignature"),
    );
    let v1_style: Vec<Signature> = signers.iter().map(|k| k.sign(b, &p4)).collect();
    add(
        "v2-bundle-v1-domain-over-v2-payload",
        "format 1 signatures (\"waypoint/1\" domain) over the format 2 payload bytes",
        "bundle",
        v2::assemble(b, &p4, &v1_style).expect("file"),
        None,
        reject("InvalidSignature"),
    );
    let v4_json_payload = v1_env.payload.clone();
    let v2_sigs_in_v1 = Envelope {
        payload_type: b,
        payload: v4_json_payload.clone(),
        signatures: sigs(b, &v4_json_payload),
    };
    add(
        "v2-v2-signatures-in-v1-envelope",
        "format 2 signatures over a format 1 payload, in a format 1 envelope",
        "bundle",
        v2_sigs_in_v1.to_bytes(),
        None,
        reject("InvalidSignature"),
    );
    add(
        "v2-delta-bundle-signatures",
        "a delta whose signatures are bundle-domain signatures over the delta payload",
        "delta",
        v2::assemble(d, &d45, &sigs(b, &d45)).expect("file"),
        Some("bundle-v4.json"),
        reject("InvalidSignature"),
    );
    add(
        "v2-bundle-delta-signatures",
        "a bundle whose signatures are delta-domain signatures over the bundle payload",
        "bundle",
        v2::assemble(b, &p4, &sigs(d, &p4)).expect("file"),
        None,
        reject("InvalidSignature"),
    );
    let tampered = v2::bundle_payload_of(&v5).expect("payload");
    add(
        "v2-bundle-tampered",
        "bundle v5's payload carrying bundle v4's signatures",
        "bundle",
        v2::assemble(b, &tampered, &sigs(b, &p4)).expect("file"),
        None,
        reject("InvalidSignature"),
    );
    let mut wrong_hash = p4.clone();
    // The content hash follows format, version and the two times; flip its last byte.
    let hash_end = header_payload_len(&p4);
    wrong_hash[hash_end - 1] ^= 1;
    add(
        "v2-bundle-content-hash-mismatch",
        "a validly signed payload whose content hash is not its records'",
        "bundle",
        v2::assemble(b, &wrong_hash, &sigs(b, &wrong_hash)).expect("file"),
        None,
        reject("ContentHashMismatch"),
    );
    add(
        "v2-delta-wrong-base",
        "the 4 -> 5 delta offered to a client holding version 5",
        "delta",
        good_delta,
        Some("bundle-v5.json"),
        reject("DeltaBaseMismatch"),
    );

    // The /v2/ manifest.
    let m = v2::manifest_payload(5, NOW - 3_600, NOW + 86_400, &good5, &[]);
    let manifest = sign_envelope(PayloadType::Manifest, m, &signers).to_bytes();
    files.insert("v2-manifest-v5.json".into(), manifest);
    vectors.push(Vector {
        name: "v2-manifest-v5".into(),
        description: "a /v2/ manifest (format 2) naming v2-bundle-v5.bin".into(),
        kind: "manifest".into(),
        now: NOW,
        input: "v2-manifest-v5.json".into(),
        trusted_keyset: "keyset-root.json".into(),
        base_bundle: None,
        bundle_file: Some("v2-bundle-v5.bin".into()),
        expect: accept(5, None),
    });
    vectors.push(Vector {
        name: "v2-manifest-is-v1".into(),
        description: "the format 1 manifest-v5.json offered at /v2/".into(),
        kind: "manifest".into(),
        now: NOW,
        input: "manifest-v5.json".into(),
        trusted_keyset: "keyset-root.json".into(),
        base_bundle: None,
        bundle_file: None,
        expect: reject("Malformed"),
    });

    files.insert("v2-vectors.json".into(), list_file(2, vectors));
    files
}

/// Length of a format 2 file's header (everything before the zstd frame).
fn header_len(file: &[u8]) -> usize {
    let mut p = 9;
    let varint = |p: &mut usize| -> u64 {
        let (mut v, mut s) = (0u64, 0);
        loop {
            let b = file[*p];
            *p += 1;
            v |= u64::from(b & 0x7f) << s;
            if b & 0x80 == 0 {
                return v;
            }
            s += 7;
        }
    };
    varint(&mut p);
    let n = varint(&mut p) as usize;
    p + n * 96
}

/// Length of a bundle payload's header: format, version, created, expires, content hash.
fn header_payload_len(p: &[u8]) -> usize {
    let mut i = 0;
    for _ in 0..4 {
        while p[i] & 0x80 != 0 {
            i += 1;
        }
        i += 1;
    }
    i + 32
}

fn run(v: &Vector) -> Result<Expect, String> {
    let input = read(&v.input);
    let kind = |e: FormatError| error_kind(&e).to_owned();
    let ks = verify_root_keyset(&read(&v.trusted_keyset), v.now)
        .expect("trusted keyset verifies")
        .keyset()
        .clone();
    let policy = Policy::update(v.now, None);
    match v.kind.as_str() {
        "bundle" => verify_bundle(&input, &ks, &policy)
            .map(|b| accept(b.version(), Some(hex::encode(b.content_hash()))))
            .map_err(kind),
        "delta" => {
            let base = verify_bundle(&read(v.base_bundle.as_deref().expect("base")), &ks, &policy)
                .expect("base verifies");
            // A client holding only per-record digests (what a phone keeps) must reach
            // the same verdict on every format 2 delta vector.
            verify_delta_both_ways(&v.input, &input, &ks, &base, &policy)
        }
        "manifest" => {
            let m = v2::verify_manifest(&input, &ks, &policy).map_err(kind)?;
            if let Some(name) = &v.bundle_file {
                let file = read(name);
                if file.len() as u64 != m.bundle().size || sha256_hex(&file) != m.bundle().sha256 {
                    return Err("FileHashMismatch".into());
                }
            }
            Ok(accept(m.version(), None))
        }
        other => panic!("unknown vector kind {other}"),
    }
}

#[test]
fn v2_vectors_on_disk_match_the_generator() {
    assert_on_disk_match("v2", &generate(), |n| n.starts_with("v2-"), true);
}

#[test]
fn every_v2_vector_has_its_expected_outcome() {
    let list: VectorFile<Vector> =
        serde_json::from_slice(&read("v2-vectors.json")).expect("v2-vectors.json parses");
    assert_eq!(list.format, 2);
    assert_outcomes(&list.vectors, |v| (&v.name, &v.expect), run);
    for required in [
        "v2-bundle-v4",
        "v2-delta-4-5",
        "v2-bundle-varint-overlong",
        "v2-bundle-trailing-bytes",
        "v2-bundle-wrong-dictionary-id",
        "v2-bundle-oversize-declared",
        "v2-bundle-declared-too-small",
        "v2-bundle-zip-bomb",
        "v2-bundle-bad-signature",
        "v2-bundle-v1-signatures",
        "v2-v2-signatures-in-v1-envelope",
        "v2-delta-bundle-signatures",
        "v2-bundle-tampered",
    ] {
        assert!(
            list.vectors.iter().any(|v| v.name == required),
            "missing vector {required}"
        );
    }
}
