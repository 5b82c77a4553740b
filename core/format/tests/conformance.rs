//! Conformance vectors: every file under `tests/vectors/` is built here, deterministically,
//! from fixed test keys, and every vector in `tests/vectors/vectors.json` is run through the
//! reference verifier. A second client runs the same vectors (format: docs/PROTOCOL.md,
//! "Conformance vectors").
//!
//! - `vectors_on_disk_match_the_generator` fails if a checked-in file differs from what
//!   the generator builds today. After a deliberate format change, regenerate with
//!   `WAYPOINT_WRITE_VECTORS=1 cargo test -p waypoint-format --test conformance
//!   vectors_on_disk_match_the_generator` and review
//!   the diff (every expected outcome is part of it).
//! - `every_vector_has_its_expected_outcome` reads only the files on disk, as a second
//!   client would, and fails on any mismatch.

mod vectors_common;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vectors_common::{
    accept, assert_on_disk_match, assert_outcomes, error_kind, key, list_file, read, reject,
    signed, verify_delta_both_ways, Expect, VectorFile,
};
use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::publish::{
    build_bundle, build_delta, build_keyset, build_manifest, sign_envelope, sign_keyset,
    PublisherKey,
};
use waypoint_format::record::Record;
use waypoint_format::{
    content_hash, manifest_payload_sha256, sha256_hex, verify_bundle, verify_freshness,
    verify_keyset_rotation, verify_manifest, verify_root_keyset, FormatError, Keyset, Policy,
    VerifiedBundle,
};

/// The time every vector is judged at unless it says otherwise.
const NOW: i64 = 1_800_000_000;
const CREATED: i64 = NOW - 3_600;
const EXPIRES: i64 = NOW + 30 * 86_400;
const KEYSET_EXPIRES: i64 = NOW + 10 * 365 * 86_400;

// ---------------------------------------------------------------------------------------
// Vector file format (documented in docs/PROTOCOL.md).

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    description: String,
    /// `keyset-root`, `keyset-rotation`, `bundle`, `delta`, `manifest` or `freshness`.
    kind: String,
    /// Latest known time, Unix seconds.
    now: i64,
    /// The input file to verify.
    input: String,
    /// If set, append ASCII spaces to `input` until it is this many bytes long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pad_input_to: Option<usize>,
    /// The root keyset (verified as root at `now`) that vouches for the input; absent only
    /// for `keyset-root`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trusted_keyset: Option<String>,
    /// Bundle version already held (rollback floor), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    held_version: Option<u64>,
    /// For `delta`: the bundle held (verified under `trusted_keyset` at `now`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_bundle: Option<String>,
    /// For `manifest`: a downloaded file to check against the manifest's bundle entry
    /// (size and SHA-256 of its exact bytes) after the manifest verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bundle_file: Option<String>,
    /// For `freshness`: the manifest the client holds (verified under `trusted_keyset` at
    /// `now`); the statement must name its version and payload hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    manifest_file: Option<String>,
    expect: Expect,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestKey {
    name: String,
    /// TEST ONLY: hex of the 32-byte Ed25519 secret (SHA-256 of `waypoint conformance key
    /// <name>`).
    secret: String,
    public: String,
    keyid: String,
}

// ---------------------------------------------------------------------------------------
// The generator.

const KEY_NAMES: [&str; 7] = ["k1", "k2", "k3", "k4", "k5", "attacker", "fresh"];

fn record_json(id: &str, name: &str, extra: &str) -> String {
    format!(
        concat!(
            r#"{{"id":"{id}","organization":{{"en":"Example Help Network"}},"name":{{"en":"{name}","es":"{name} (es)"}},"#,
            r#""categories":["hotline"],"languages":["en","es"],"locations":[{{"country":"US"}}],"#,
            r#""phones":[{{"number":"1-888-373-7888","country":"US","kind":"voice"}},{{"number":"988","country":"US","kind":"sms"}}],"#,
            r#""websites":["https://example.org/help"],"emails":["help@example.org"],"#,
            r#""schedule":{{"timezone":"America/New_York","always_open":true}},"#,
            r#""fees":{{"free":true}},"last_verified":"2026-01-01","source":"https://example.org/"{extra}}}"#
        ),
        id = id,
        name = name,
        extra = extra
    )
}

fn record(id: &str, name: &str) -> Record {
    serde_json::from_str(&record_json(id, name, "")).expect("test record parses")
}

fn bundle_payload(version: u64, hash: &str, records: &[String], extra: &str) -> String {
    format!(
        r#"{{"format":1,"version":{version},"created":{CREATED},"expires":{EXPIRES},"content_hash":"{hash}","records":[{}]{extra}}}"#,
        records.join(",")
    )
}

fn hash_of(records: &[(&str, &str)]) -> String {
    hex::encode(content_hash(records.iter().copied()))
}

fn verified(bytes: &[u8], keyset: &Keyset) -> VerifiedBundle {
    verify_bundle(bytes, keyset, &Policy::update(NOW, None)).expect("generator input verifies")
}

/// Builds every file and the vector list, deterministically.
fn generate() -> BTreeMap<String, Vec<u8>> {
    let k: BTreeMap<&str, PublisherKey> = KEY_NAMES.iter().map(|n| (*n, key(n))).collect();
    let (k1, k2, k3, k4, k5, evil) = (
        &k["k1"],
        &k["k2"],
        &k["k3"],
        &k["k4"],
        &k["k5"],
        &k["attacker"],
    );
    let fresh = &k["fresh"];
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut vectors: Vec<Vector> = Vec::new();
    let mut file = |name: &str, bytes: Vec<u8>| {
        files.insert(name.to_owned(), bytes);
        name.to_owned()
    };

    // Keys (test only).
    let keys: Vec<TestKey> = KEY_NAMES
        .iter()
        .map(|n| {
            let secret: [u8; 32] =
                Sha256::digest(format!("waypoint conformance key {n}").as_bytes()).into();
            let entry = k[n].public_entry();
            TestKey {
                name: (*n).into(),
                secret: hex::encode(secret),
                public: entry.public,
                keyid: entry.keyid,
            }
        })
        .collect();
    let mut keys_json = serde_json::to_vec_pretty(&keys).expect("keys serialise");
    keys_json.push(b'\n');
    file("keys.json", keys_json);

    let v = |name: &str, description: &str, kind: &str, input: String, expect: Expect| Vector {
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        now: NOW,
        input,
        pad_input_to: None,
        trusted_keyset: None,
        held_version: None,
        base_bundle: None,
        bundle_file: None,
        manifest_file: None,
        expect,
    };

    // ---- keysets
    let root = build_keyset(
        1,
        KEYSET_EXPIRES,
        2,
        vec![k1.public_entry(), k2.public_entry(), k3.public_entry()],
    );
    let root_file = file("keyset-root.json", sign_keyset(&root, &[k1, k2]));
    let trusted_root = verify_root_keyset(&sign_keyset(&root, &[k1, k2]), NOW)
        .expect("the generator's root keyset verifies");
    vectors.push(v(
        "keyset-root-good",
        "root keyset v1, keys k1 k2 k3, threshold 2, signed by k1 and k2",
        "keyset-root",
        root_file.clone(),
        accept(1, None),
    ));
    let f = file("keyset-root-one-signature.json", sign_keyset(&root, &[k1]));
    vectors.push(v(
        "keyset-root-too-few-signatures",
        "root keyset signed by one of its keys, threshold 2",
        "keyset-root",
        f,
        reject("TooFewSignatures"),
    ));
    let mut expired_root = root.clone();
    expired_root.expires = NOW - 1;
    let f = file(
        "keyset-root-expired.json",
        sign_keyset(&expired_root, &[k1, k2]),
    );
    vectors.push(v(
        "keyset-root-expired",
        "root keyset whose expiry is one second before now",
        "keyset-root",
        f,
        reject("Expired"),
    ));
    let mut at_expiry = root.clone();
    at_expiry.expires = NOW;
    let f = file(
        "keyset-root-expires-now.json",
        sign_keyset(&at_expiry, &[k1, k2]),
    );
    vectors.push(v(
        "keyset-root-at-expiry",
        "root keyset expiring exactly at now: expired means now > expires, so it is accepted",
        "keyset-root",
        f,
        accept(1, None),
    ));
    let dup = build_keyset(
        1,
        KEYSET_EXPIRES,
        2,
        vec![k1.public_entry(), k1.public_entry(), k2.public_entry()],
    );
    let f = file("keyset-duplicate-key.json", sign_keyset(&dup, &[k1, k2]));
    vectors.push(v(
        "keyset-duplicate-key",
        "keyset listing k1 twice",
        "keyset-root",
        f,
        reject("DuplicateKeyId"),
    ));
    let crowd: Vec<_> = (1..=17)
        .map(|i| key(&format!("filler-{i}")).public_entry())
        .collect();
    let crowded = build_keyset(1, KEYSET_EXPIRES, 2, crowd);
    let f = file("keyset-17-keys.json", sign_keyset(&crowded, &[k1, k2]));
    vectors.push(v(
        "keyset-too-many-keys",
        "a keyset listing 17 keys (cap 16)",
        "keyset-root",
        f,
        reject("Malformed"),
    ));
    let with_unknown = format!(
        r#"{{"format":1,"version":1,"expires":{KEYSET_EXPIRES},"threshold":2,"keys":[{},{},{}],"admin":true}}"#,
        serde_json::to_string(&k1.public_entry()).expect("entry"),
        serde_json::to_string(&k2.public_entry()).expect("entry"),
        serde_json::to_string(&k3.public_entry()).expect("entry"),
    );
    let f = file(
        "keyset-unknown-field.json",
        signed(PayloadType::Keyset, &with_unknown, &[k1, k2]),
    );
    vectors.push(v(
        "keyset-unknown-field",
        "validly signed keyset payload with an extra field `admin`",
        "keyset-root",
        f,
        reject("Malformed"),
    ));
    let mut padded = v(
        "keyset-oversize",
        "the good root keyset padded with spaces to 65,537 bytes (cap 65,536)",
        "keyset-root",
        root_file.clone(),
        reject("Oversize"),
    );
    padded.pad_input_to = Some(64 * 1024 + 1);
    vectors.push(padded);

    let rot = |name: &str, description: &str, input: String, expect: Expect| {
        let mut x = v(name, description, "keyset-rotation", input, expect);
        x.trusted_keyset = Some("keyset-root.json".into());
        x
    };
    let next = build_keyset(
        2,
        KEYSET_EXPIRES,
        2,
        vec![k3.public_entry(), k4.public_entry(), k5.public_entry()],
    );
    let f = file("keyset-v2.json", sign_keyset(&next, &[k1, k2, k4, k5]));
    vectors.push(rot(
        "keyset-rotation-good",
        "v2 (k3 k4 k5, threshold 2) signed by old k1 k2 and new k4 k5",
        f,
        accept(2, None),
    ));
    let f = file(
        "keyset-v2-new-keys-only.json",
        sign_keyset(&next, &[k4, k5]),
    );
    vectors.push(rot(
        "keyset-rotation-new-keys-only",
        "v2 signed only by its new keys k4 k5: no old quorum",
        f,
        reject("TooFewSignatures"),
    ));
    let f = file(
        "keyset-v2-old-keys-only.json",
        sign_keyset(&next, &[k1, k2]),
    );
    vectors.push(rot(
        "keyset-rotation-old-keys-only",
        "v2 signed only by old keys k1 k2: no new quorum",
        f,
        reject("TooFewSignatures"),
    ));
    let mut skip = next.clone();
    skip.version = 3;
    let f = file(
        "keyset-v3-skips-v2.json",
        sign_keyset(&skip, &[k1, k2, k4, k5]),
    );
    vectors.push(rot(
        "keyset-rotation-skips-a-version",
        "v3 offered while v1 is trusted",
        f,
        reject("KeysetVersion"),
    ));
    vectors.push(rot(
        "keyset-rotation-replays-the-root",
        "v1 offered again while v1 is trusted",
        root_file.clone(),
        reject("Rollback"),
    ));
    let f = file(
        "keyset-v2-attacker-signed.json",
        sign_keyset(&next, &[k1, k2, k4, k5, evil]),
    );
    vectors.push(rot(
        "keyset-rotation-extra-unknown-signature",
        "a good rotation plus one signature by a key in neither set",
        f,
        reject("UnknownKey"),
    ));

    // ---- bundles
    let b = |name: &str, description: &str, input: String, expect: Expect| {
        let mut x = v(name, description, "bundle", input, expect);
        x.trusted_keyset = Some("keyset-root.json".into());
        x
    };
    let v5 = [
        record("a.line", "Line A, new name"),
        record("b.line", "Line B"),
        record("d.line", "Line D"),
    ];
    let good = build_bundle(5, CREATED, EXPIRES, &v5, &[k1, k2]).expect("bundle");
    let good_vb = verified(&good, &trusted_root);
    let good_hash = hex::encode(good_vb.content_hash());
    let good_file = file("bundle-v5.json", good.clone());
    vectors.push(b(
        "bundle-good",
        "bundle v5, three records, signed by k1 and k2",
        good_file.clone(),
        accept(5, Some(good_hash.clone())),
    ));
    let mut x = b(
        "bundle-same-version-held",
        "the held version again: verifies (the client then reports it as already current)",
        good_file.clone(),
        accept(5, Some(good_hash.clone())),
    );
    x.held_version = Some(5);
    vectors.push(x);
    let mut x = b(
        "bundle-rollback",
        "bundle v5 while v6 is held",
        good_file.clone(),
        reject("Rollback"),
    );
    x.held_version = Some(6);
    vectors.push(x);
    let mut x = b(
        "bundle-expired",
        "bundle v5 judged one second after its expiry",
        good_file.clone(),
        reject("Expired"),
    );
    x.now = EXPIRES + 1;
    vectors.push(x);
    let mut x = b(
        "bundle-at-expiry",
        "bundle v5 judged exactly at its expiry (now > expires is expired; equal is not)",
        good_file.clone(),
        accept(5, Some(good_hash.clone())),
    );
    x.now = EXPIRES;
    vectors.push(x);
    let mut x = b(
        "bundle-oversize",
        "the good bundle padded with spaces to 96 MiB + 1 byte (cap 100,663,296)",
        good_file.clone(),
        reject("Oversize"),
    );
    x.pad_input_to = Some(96 * 1024 * 1024 + 1);
    vectors.push(x);

    let env = Envelope::parse(&good, PayloadType::Bundle, usize::MAX).expect("own bundle");
    let mut tampered = env.clone();
    let mut sig = B64.decode(&tampered.signatures[0].sig).expect("sig");
    sig[10] ^= 1;
    tampered.signatures[0].sig = B64.encode(sig);
    let f = file("bundle-bad-signature.json", tampered.to_bytes());
    vectors.push(b(
        "bundle-bad-signature",
        "k1's signature with one bit flipped",
        f,
        reject("InvalidSignature"),
    ));
    let one = sign_envelope(PayloadType::Bundle, env.payload.clone(), &[k1]);
    let f = file("bundle-one-signature.json", one.to_bytes());
    vectors.push(b(
        "bundle-too-few-signatures",
        "signed by k1 only, threshold 2",
        f,
        reject("TooFewSignatures"),
    ));
    let mut dup = env.clone();
    dup.signatures[1] = dup.signatures[0].clone();
    let f = file("bundle-duplicate-keyid.json", dup.to_bytes());
    vectors.push(b(
        "bundle-duplicate-key-id",
        "k1's valid signature twice",
        f,
        reject("DuplicateKeyId"),
    ));
    let extra = sign_envelope(PayloadType::Bundle, env.payload.clone(), &[k1, k2, evil]);
    let f = file("bundle-unknown-key.json", extra.to_bytes());
    vectors.push(b(
        "bundle-unknown-key",
        "signed by k1, k2 and a key the keyset does not list",
        f,
        reject("UnknownKey"),
    ));
    let by_attacker = sign_envelope(PayloadType::Bundle, env.payload.clone(), &[evil]);
    let f = file("bundle-attacker-only.json", by_attacker.to_bytes());
    vectors.push(b(
        "bundle-signed-by-unknown-key-only",
        "signed only by a key the keyset does not list",
        f,
        reject("UnknownKey"),
    ));
    let as_manifest = sign_envelope(PayloadType::Manifest, env.payload.clone(), &[k1, k2]);
    let f = file("bundle-as-manifest.json", as_manifest.to_bytes());
    vectors.push(b(
        "bundle-wrong-payload-type",
        "the bundle payload in an envelope of type waypoint.manifest",
        f,
        reject("WrongPayloadType"),
    ));
    let mut cross = as_manifest.clone();
    cross.payload_type = PayloadType::Bundle;
    let f = file("bundle-manifest-signatures.json", cross.to_bytes());
    vectors.push(b(
        "bundle-signatures-from-another-domain",
        "type says bundle, signatures were made over the manifest domain",
        f,
        reject("InvalidSignature"),
    ));

    // Encoding strictness: hand-written envelopes around the good payload.
    let payload_b64 = B64.encode(&env.payload);
    let sigs = serde_json::to_string(&env.signatures).expect("sigs");
    let envelope = |payload: &str, tail: &str| {
        format!(r#"{{"payload_type":"waypoint.bundle","payload":"{payload}","signatures":{sigs}{tail}}}"#)
            .into_bytes()
    };
    let f = file(
        "bundle-payload-not-base64.json",
        envelope(&format!("{}!", &payload_b64[..payload_b64.len() - 4]), ""),
    );
    vectors.push(b(
        "bundle-payload-not-base64",
        "payload contains a character outside the base64 alphabet",
        f,
        reject("Malformed"),
    ));
    // A payload whose base64 needs padding and uses `+` or `/`: five `?` in a row hold one
    // 3-byte-aligned `???` (base64 `Pz8/`), and trailing JSON whitespace sets the length.
    let q = [record("q.line", "Line ?????")];
    let q_raw = serde_json::to_string(&q[0]).expect("record");
    let q_hash = hash_of(&[("q.line", q_raw.as_str())]);
    let mut q_payload = bundle_payload(5, &q_hash, std::slice::from_ref(&q_raw), "");
    while q_payload.len().is_multiple_of(3) {
        q_payload.push(' ');
    }
    let q_env = sign_envelope(PayloadType::Bundle, q_payload.into_bytes(), &[k1, k2]);
    let q_b64 = B64.encode(&q_env.payload);
    assert!(q_b64.contains('/') || q_b64.contains('+'));
    assert!(q_b64.ends_with('='));
    let q_sigs = serde_json::to_string(&q_env.signatures).expect("sigs");
    let q_envelope = |payload: &str| {
        format!(
            r#"{{"payload_type":"waypoint.bundle","payload":"{payload}","signatures":{q_sigs}}}"#
        )
        .into_bytes()
    };
    let f = file("bundle-padded-payload.json", q_envelope(&q_b64));
    vectors.push(b(
        "bundle-payload-standard-base64",
        "payload whose standard base64 has `=` padding and `/`: accepted",
        f,
        accept(5, Some(q_hash.clone())),
    ));
    let f = file(
        "bundle-payload-base64url.json",
        q_envelope(&q_b64.replace('+', "-").replace('/', "_")),
    );
    vectors.push(b(
        "bundle-payload-base64url",
        "the same payload in the URL-safe alphabet (only the standard alphabet is accepted)",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "bundle-payload-unpadded.json",
        q_envelope(q_b64.trim_end_matches('=')),
    );
    vectors.push(b(
        "bundle-payload-unpadded",
        "the same payload without its `=` padding (padding is required)",
        f,
        reject("Malformed"),
    ));
    // Non-canonical base64: the last data character before `=` carries unused low bits,
    // which canonical encoders leave zero; setting one decodes to the same bytes in a lax
    // decoder.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data = q_b64.trim_end_matches('=');
    let last = data.chars().last().expect("payload is not empty");
    let index = alphabet.find(last).expect("standard alphabet");
    let lax = format!(
        "{}{}{}",
        &data[..data.len() - 1],
        &alphabet[index + 1..index + 2],
        &q_b64[data.len()..]
    );
    let f = file("bundle-payload-trailing-bits.json", q_envelope(&lax));
    vectors.push(b(
        "bundle-payload-base64-trailing-bits",
        "the same payload with non-zero unused bits in its last base64 character",
        f,
        reject("Malformed"),
    ));
    let mut many = env.clone();
    many.signatures = vec![env.signatures[0].clone(); 17];
    let f = file("bundle-17-signatures.json", many.to_bytes());
    vectors.push(b(
        "bundle-too-many-signatures",
        "17 signatures (cap 16; the cap is checked before duplicates are looked for)",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "bundle-payload-base64-whitespace.json",
        envelope(
            &format!("{}\\n{}", &payload_b64[..8], &payload_b64[8..]),
            "",
        ),
    );
    vectors.push(b(
        "bundle-payload-base64-with-newline",
        "payload base64 with a line break (JSON \\n escape) inside",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "bundle-envelope-unknown-field.json",
        envelope(&payload_b64, r#","comment":"hi""#),
    );
    vectors.push(b(
        "bundle-envelope-unknown-field",
        "envelope with an extra top-level field",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "bundle-envelope-duplicate-key.json",
        format!(
            r#"{{"payload_type":"waypoint.bundle","payload":"{}","payload":"{payload_b64}","signatures":{sigs}}}"#,
            B64.encode(b"{}")
        )
        .into_bytes(),
    );
    vectors.push(b(
        "bundle-envelope-duplicate-key",
        "envelope with `payload` twice (first decoy, second the signed payload)",
        f,
        reject("Malformed"),
    ));
    let mut bad_sig = env.clone();
    bad_sig.signatures[0].sig = "not base64!".into();
    let f = file("bundle-signature-not-base64.json", bad_sig.to_bytes());
    vectors.push(b(
        "bundle-signature-not-base64",
        "k1's signature field is not base64",
        f,
        reject("InvalidSignature"),
    ));
    let mut short_sig = env.clone();
    short_sig.signatures[0].sig = B64.encode([0u8; 63]);
    let f = file("bundle-signature-63-bytes.json", short_sig.to_bytes());
    vectors.push(b(
        "bundle-signature-wrong-length",
        "k1's signature decodes to 63 bytes",
        f,
        reject("InvalidSignature"),
    ));

    // Payload-level rules, each validly signed by k1 and k2.
    let raws: Vec<String> = v5
        .iter()
        .map(|r| serde_json::to_string(r).expect("record"))
        .collect();
    let ids: Vec<(&str, &str)> = v5
        .iter()
        .zip(&raws)
        .map(|(r, raw)| (r.id.as_str(), raw.as_str()))
        .collect();
    let h = hash_of(&ids);
    assert_eq!(
        h, good_hash,
        "the generator's own hash agrees with the builder"
    );
    let mut payload_case =
        |fname: &str, name: &str, description: &str, payload: String, e: Expect| {
            let f = file(fname, signed(PayloadType::Bundle, &payload, &[k1, k2]));
            vectors.push(b(name, description, f, e));
        };
    payload_case(
        "bundle-duplicate-json-key.json",
        "bundle-payload-duplicate-key",
        "payload with `version` twice (5, then 9)",
        bundle_payload(5, &h, &raws, "").replacen(
            r#""version":5,"#,
            r#""version":5,"version":9,"#,
            1,
        ),
        reject("Malformed"),
    );
    payload_case(
        "bundle-unknown-field.json",
        "bundle-payload-unknown-field",
        "payload with an extra field `note`",
        bundle_payload(5, &h, &raws, r#","note":"x""#),
        reject("Malformed"),
    );
    let odd = record_json("c.line", "Line C", r#","rating":5"#);
    let odd_ids = [(ids[0].0, ids[0].1), ("c.line", odd.as_str())];
    payload_case(
        "bundle-record-unknown-field.json",
        "bundle-record-unknown-field",
        "a record with an extra field `rating` (content hash computed over it)",
        bundle_payload(5, &hash_of(&odd_ids), &[raws[0].clone(), odd.clone()], ""),
        reject("Malformed"),
    );
    let twice = record_json("c.line", "Line C", "").replacen(
        r#""name":{"en":"Line C","#,
        r#""name":{"en":"Line C","en":"Decoy","#,
        1,
    );
    let twice_ids = [("c.line", twice.as_str())];
    payload_case(
        "bundle-record-duplicate-language.json",
        "bundle-record-duplicate-text-key",
        "a record whose `name` lists `en` twice",
        bundle_payload(5, &hash_of(&twice_ids), std::slice::from_ref(&twice), ""),
        reject("Malformed"),
    );
    let bcc = record_json("c.line", "Line C", "")
        .replace("help@example.org", "help@example.org?bcc=spy@evil.example");
    let bcc_ids = [("c.line", bcc.as_str())];
    payload_case(
        "bundle-record-mailto-injection.json",
        "bundle-record-email-with-header",
        "a record whose e-mail carries `?bcc=`",
        bundle_payload(5, &hash_of(&bcc_ids), std::slice::from_ref(&bcc), ""),
        reject("InvalidRecord"),
    );
    let bad_date = record_json("c.line", "Line C", "").replace("2026-01-01", "2026-02-30");
    let bad_date_ids = [("c.line", bad_date.as_str())];
    payload_case(
        "bundle-record-bad-date.json",
        "bundle-record-impossible-date",
        "a record whose last_verified is 2026-02-30",
        bundle_payload(
            5,
            &hash_of(&bad_date_ids),
            std::slice::from_ref(&bad_date),
            "",
        ),
        reject("InvalidRecord"),
    );
    payload_case(
        "bundle-duplicate-record-id.json",
        "bundle-duplicate-record-id",
        "the same record twice",
        bundle_payload(
            5,
            &hash_of(&[ids[0]]),
            &[raws[0].clone(), raws[0].clone()],
            "",
        ),
        reject("InvalidRecord"),
    );
    payload_case(
        "bundle-content-hash-mismatch.json",
        "bundle-content-hash-mismatch",
        "content_hash is the hash of the first two records only",
        bundle_payload(5, &hash_of(&ids[..2]), &raws, ""),
        reject("ContentHashMismatch"),
    );
    payload_case(
        "bundle-content-hash-uppercase.json",
        "bundle-content-hash-uppercase",
        "content_hash written in uppercase hex",
        bundle_payload(5, &h.to_uppercase(), &raws, ""),
        reject("Malformed"),
    );
    let reordered: Vec<String> = raws.iter().rev().cloned().collect();
    payload_case(
        "bundle-records-unsorted.json",
        "bundle-records-in-any-order",
        "records in reverse id order: the content hash sorts by id, so order does not matter",
        bundle_payload(5, &h, &reordered, ""),
        accept(5, Some(good_hash.clone())),
    );
    payload_case(
        "bundle-expires-before-created.json",
        "bundle-expires-before-created",
        "expires earlier than created",
        bundle_payload(5, &h, &raws, "").replace(
            &format!(r#""expires":{EXPIRES}"#),
            &format!(r#""expires":{}"#, CREATED - 1),
        ),
        reject("Malformed"),
    );

    // ---- deltas: v4 -> v5
    let v4 = [
        record("a.line", "Line A"),
        record("b.line", "Line B"),
        record("c.line", "Line C"),
    ];
    let base = build_bundle(4, CREATED - 86_400, EXPIRES, &v4, &[k1, k2]).expect("v4");
    let base_vb = verified(&base, &trusted_root);
    let base_file = file("bundle-v4.json", base.clone());
    let other = build_bundle(4, CREATED - 86_400, EXPIRES, &v4[..2], &[k1, k2]).expect("v4'");
    let other_file = file("bundle-v4-other-content.json", other);
    let d = |name: &str, description: &str, base: &str, input: String, expect: Expect| {
        let mut x = v(name, description, "delta", input, expect);
        x.trusted_keyset = Some("keyset-root.json".into());
        x.base_bundle = Some(base.into());
        x.held_version = Some(4);
        x
    };
    let delta = build_delta(&base_vb, &good_vb, &[k1, k2]).expect("delta");
    let delta_file = file("delta-4-5.json", delta.clone());
    vectors.push(d(
        "delta-good",
        "v4 -> v5: changes a.line, removes c.line, adds d.line",
        &base_file,
        delta_file.clone(),
        accept(5, Some(good_hash.clone())),
    ));
    vectors.push(d(
        "delta-wrong-base",
        "the good delta applied to a different v4 (same version, other content)",
        &other_file,
        delta_file.clone(),
        reject("DeltaBaseMismatch"),
    ));
    let denv = Envelope::parse(&delta, PayloadType::Delta, usize::MAX).expect("own delta");
    let dpayload = String::from_utf8(denv.payload.clone()).expect("utf8");
    let wrong_result = dpayload.replace(
        &format!(r#""content_hash":"{good_hash}""#),
        &format!(
            r#""content_hash":"{}""#,
            hex::encode(base_vb.content_hash())
        ),
    );
    assert_ne!(wrong_result, dpayload);
    let f = file(
        "delta-wrong-result-hash.json",
        signed(PayloadType::Delta, &wrong_result, &[k1, k2]),
    );
    vectors.push(d(
        "delta-wrong-resulting-hash",
        "validly signed delta whose content_hash does not match the applied result",
        &base_file,
        f,
        reject("ContentHashMismatch"),
    ));
    let f = file(
        "delta-one-signature.json",
        signed(PayloadType::Delta, &dpayload, &[k1]),
    );
    vectors.push(d(
        "delta-too-few-signatures",
        "the good delta signed by k1 only",
        &base_file,
        f,
        reject("TooFewSignatures"),
    ));
    let ghost = dpayload.replacen(
        r#""tombstones":["c.line"]"#,
        r#""tombstones":["z.line"]"#,
        1,
    );
    assert_ne!(ghost, dpayload);
    let f = file(
        "delta-tombstone-missing.json",
        signed(PayloadType::Delta, &ghost, &[k1, k2]),
    );
    vectors.push(d(
        "delta-tombstone-for-missing-record",
        "a tombstone naming a record the base does not hold",
        &base_file,
        f,
        reject("InvalidRecord"),
    ));

    // ---- manifests
    let m = |name: &str, description: &str, input: String, expect: Expect| {
        let mut x = v(name, description, "manifest", input, expect);
        x.trusted_keyset = Some("keyset-root.json".into());
        x.bundle_file = Some("bundle-v5.json".into());
        x
    };
    let manifest = build_manifest(
        5,
        NOW - 60,
        NOW + 7 * 86_400,
        &good,
        &[(4, &delta)],
        &[k1, k2],
    );
    let f = file("manifest-v5.json", manifest);
    vectors.push(m(
        "manifest-good",
        "manifest v5 naming bundle-v5.json and delta-4-5.json",
        f.clone(),
        accept(5, None),
    ));
    let mut x = m(
        "manifest-rollback",
        "manifest v5 while bundle v6 is held",
        f,
        reject("Rollback"),
    );
    x.held_version = Some(6);
    vectors.push(x);
    let wrong = build_manifest(5, NOW - 60, NOW + 7 * 86_400, &base, &[], &[k1, k2]);
    let f = file("manifest-v5-wrong-bundle-hash.json", wrong);
    vectors.push(m(
        "manifest-wrong-bundle-hash",
        "validly signed manifest whose bundle entry names other bytes than bundle-v5.json",
        f,
        reject("FileHashMismatch"),
    ));
    let menv = Envelope::parse(
        &build_manifest(5, NOW - 60, NOW + 7 * 86_400, &good, &[], &[k1, k2]),
        PayloadType::Manifest,
        usize::MAX,
    )
    .expect("own manifest");
    let mpayload = String::from_utf8(menv.payload).expect("utf8");
    let no_bundle = format!(
        r#"{{"format":1,"version":5,"created":{},"expires":{},"deltas":[]}}"#,
        NOW - 60,
        NOW + 7 * 86_400
    );
    let f = file(
        "manifest-missing-bundle.json",
        signed(PayloadType::Manifest, &no_bundle, &[k1, k2]),
    );
    vectors.push(m(
        "manifest-missing-required-field",
        "manifest without its `bundle` entry",
        f,
        reject("Malformed"),
    ));
    let bad_to = mpayload.replacen(r#""to":5"#, r#""to":4"#, 1);
    assert_ne!(bad_to, mpayload);
    let f = file(
        "manifest-entry-wrong-version.json",
        signed(PayloadType::Manifest, &bad_to, &[k1, k2]),
    );
    vectors.push(m(
        "manifest-entry-for-another-version",
        "bundle entry `to` is 4 in a v5 manifest",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "manifest-as-bundle.json",
        signed(PayloadType::Bundle, &mpayload, &[k1, k2]),
    );
    vectors.push(m(
        "manifest-wrong-payload-type",
        "manifest payload in a waypoint.bundle envelope",
        f,
        reject("WrongPayloadType"),
    ));

    // ---- freshness statements (§13), for the held manifest-v5.json
    let mut fresh_root = root.clone();
    fresh_root.freshness_keys = vec![fresh.public_entry()];
    let fresh_root_file = file(
        "keyset-root-with-freshness-key.json",
        sign_keyset(&fresh_root, &[k1, k2]),
    );
    let held_manifest = "manifest-v5.json".to_owned();
    // The same bytes as manifest-v5.json (signing is deterministic).
    let held_bytes = build_manifest(
        5,
        NOW - 60,
        NOW + 7 * 86_400,
        &good,
        &[(4, &delta)],
        &[k1, k2],
    );
    let mhash = manifest_payload_sha256(&held_bytes).expect("own manifest");
    let fr = |name: &str, description: &str, input: String, expect: Expect| {
        let mut x = v(name, description, "freshness", input, expect);
        x.trusted_keyset = Some(fresh_root_file.clone());
        x.manifest_file = Some(held_manifest.clone());
        x
    };
    let statement = |version: u64, hash: &str, created: i64, expires: i64| {
        format!(
            r#"{{"format":1,"version":{version},"manifest_sha256":"{hash}","created":{created},"expires":{expires}}}"#
        )
    };
    let day = 86_400;
    let good = statement(5, &mhash, NOW - 60, NOW + day);
    let f = file(
        "freshness-v5.json",
        signed(PayloadType::Freshness, &good, &[fresh]),
    );
    vectors.push(fr(
        "freshness-good",
        "statement by the freshness key naming manifest-v5.json, valid for a day",
        f.clone(),
        accept(5, None),
    ));
    let mut x = fr(
        "freshness-keyset-without-freshness-keys",
        "the good statement under a keyset that lists no freshness key",
        f,
        reject("Malformed"),
    );
    x.trusted_keyset = Some("keyset-root.json".into());
    vectors.push(x);
    let f = file(
        "freshness-signed-by-publisher.json",
        signed(PayloadType::Freshness, &good, &[k1]),
    );
    vectors.push(fr(
        "freshness-signed-by-publisher-key",
        "the good statement signed by publisher k1 instead of the freshness key",
        f,
        reject("UnknownKey"),
    ));
    let f = file(
        "freshness-signed-by-both.json",
        signed(PayloadType::Freshness, &good, &[fresh, k1]),
    );
    vectors.push(fr(
        "freshness-extra-publisher-signature",
        "the good statement signed by the freshness key and by publisher k1",
        f,
        reject("UnknownKey"),
    ));
    let f = file(
        "freshness-lifetime-15-days.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash, NOW - 60, NOW - 60 + 15 * day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-lifetime-over-14-days",
        "expires 15 days after created",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "freshness-lifetime-14-days.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash, NOW - 60, NOW - 60 + 14 * day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-lifetime-exactly-14-days",
        "expires exactly 14 days after created (the limit is inclusive)",
        f,
        accept(5, None),
    ));
    let f = file(
        "freshness-created-in-future.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash, NOW + day + 1, NOW + 2 * day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-created-in-future",
        "created one day and one second after `now`",
        f,
        reject("CreatedInFuture"),
    ));
    let f = file(
        "freshness-expired.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash, NOW - day, NOW - 1),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-expired",
        "expired one second before `now`",
        f,
        reject("Expired"),
    ));
    let f = file(
        "freshness-expires-now.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash, NOW - day, NOW),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-expires-exactly-now",
        "`expires` equals `now`: still valid",
        f,
        accept(5, None),
    ));
    let other = sha256_hex(b"another manifest payload");
    let f = file(
        "freshness-other-manifest.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &other, NOW - 60, NOW + day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-names-another-manifest",
        "valid statement naming another manifest payload hash at the same version",
        f,
        reject("ManifestMismatch"),
    ));
    let f = file(
        "freshness-other-version.json",
        signed(
            PayloadType::Freshness,
            &statement(4, &mhash, NOW - 60, NOW + day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-names-another-version",
        "valid statement naming version 4 with the held manifest's payload hash",
        f,
        reject("ManifestMismatch"),
    ));
    let f = file(
        "freshness-envelope-hash.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &sha256_hex(&held_bytes), NOW - 60, NOW + day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-names-the-envelope-hash",
        "names the SHA-256 of the manifest envelope instead of its payload",
        f,
        reject("ManifestMismatch"),
    ));
    let f = file(
        "freshness-as-manifest.json",
        signed(PayloadType::Manifest, &good, &[fresh]),
    );
    vectors.push(fr(
        "freshness-wrong-payload-type",
        "the good statement in a waypoint.manifest envelope",
        f,
        reject("WrongPayloadType"),
    ));
    let f = file(
        "freshness-missing-field.json",
        signed(
            PayloadType::Freshness,
            &format!(
                r#"{{"format":1,"version":5,"manifest_sha256":"{mhash}","created":{}}}"#,
                NOW - 60
            ),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-missing-required-field",
        "statement without `expires`",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "freshness-uppercase-hash.json",
        signed(
            PayloadType::Freshness,
            &statement(5, &mhash.to_uppercase(), NOW - 60, NOW + day),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-uppercase-hash",
        "`manifest_sha256` in uppercase hex",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "freshness-unknown-field.json",
        signed(
            PayloadType::Freshness,
            &good.replacen('{', r#"{"note":"x","#, 1),
            &[fresh],
        ),
    );
    vectors.push(fr(
        "freshness-unknown-field",
        "the good statement with an extra `note` field",
        f,
        reject("Malformed"),
    ));
    let f = file(
        "freshness-not-json.json",
        signed(PayloadType::Freshness, "not json", &[fresh]),
    );
    vectors.push(fr(
        "freshness-payload-not-json",
        "payload is not JSON",
        f,
        reject("Malformed"),
    ));

    files.insert("vectors.json".into(), list_file(1, vectors));
    files
}

// ---------------------------------------------------------------------------------------
// The runner: reads only the files on disk.

/// Runs one vector; `Err(kind)` is a rejection of the given kind.
fn run(v: &Vector) -> Result<Expect, String> {
    let mut input = read(&v.input);
    if let Some(len) = v.pad_input_to {
        input.resize(len.max(input.len()), b' ');
    }
    let kind = |e: FormatError| error_kind(&e).to_owned();
    let trusted = || {
        let name = v
            .trusted_keyset
            .as_deref()
            .expect("vector names its keyset");
        verify_root_keyset(&read(name), v.now).expect("trusted keyset verifies")
    };
    let policy = Policy::update(v.now, v.held_version);
    match v.kind.as_str() {
        "keyset-root" => verify_root_keyset(&input, v.now)
            .map(|k| accept(k.version, None))
            .map_err(kind),
        "keyset-rotation" => verify_keyset_rotation(&trusted(), &input, v.now)
            .map(|k| accept(k.version, None))
            .map_err(kind),
        "bundle" => verify_bundle(&input, &trusted(), &policy)
            .map(|b| accept(b.version(), Some(hex::encode(b.content_hash()))))
            .map_err(kind),
        "delta" => {
            let ks = trusted();
            let name = v
                .base_bundle
                .as_deref()
                .expect("delta vector names its base");
            let base = verify_bundle(&read(name), &ks, &Policy::update(v.now, None))
                .expect("base bundle verifies");
            // A client holding only per-record digests must reach the same verdict.
            verify_delta_both_ways(&v.name, &input, &ks, &base, &policy)
        }
        "manifest" => {
            let m = verify_manifest(&input, &trusted(), &policy).map_err(kind)?;
            if let Some(name) = &v.bundle_file {
                let file = read(name);
                if file.len() as u64 != m.bundle().size || sha256_hex(&file) != m.bundle().sha256 {
                    return Err("FileHashMismatch".into());
                }
            }
            Ok(accept(m.version(), None))
        }
        "freshness" => {
            let ks = trusted();
            let name = v
                .manifest_file
                .as_deref()
                .expect("freshness vector names its manifest");
            let held = read(name);
            let manifest = verify_manifest(&held, &ks, &Policy::update(v.now, None))
                .expect("held manifest verifies");
            let f = verify_freshness(&input, &ks, v.now).map_err(kind)?;
            let hash = manifest_payload_sha256(&held).expect("held manifest parses");
            if f.version() != manifest.version() || f.manifest_sha256() != hash {
                return Err("ManifestMismatch".into());
            }
            Ok(accept(f.version(), None))
        }
        other => panic!("unknown vector kind {other}"),
    }
}

#[test]
fn vectors_on_disk_match_the_generator() {
    // guides-*.json belong to tests/guides_vectors.rs, format 2's files (`v2-*`) to
    // tests/v2_vectors.rs.
    assert_on_disk_match(
        "format 1",
        &generate(),
        |n| n.ends_with(".json") && !n.starts_with("guides-") && !n.starts_with("v2-"),
        true,
    );
}

#[test]
fn every_vector_has_its_expected_outcome() {
    let list: VectorFile<Vector> =
        serde_json::from_slice(&read("vectors.json")).expect("vectors.json parses");
    assert_eq!(list.format, 1);
    let keys: Vec<TestKey> = serde_json::from_slice(&read(&list.keys)).expect("keys.json parses");
    for k in &keys {
        let secret: [u8; 32] = hex::decode(&k.secret)
            .expect("hex")
            .try_into()
            .expect("32 bytes");
        let pk = PublisherKey::from_secret_bytes(&secret);
        assert_eq!(pk.public_entry().public, k.public, "{}", k.name);
        assert_eq!(pk.key_id(), k.keyid, "{}", k.name);
    }
    assert_outcomes(&list.vectors, |v| (&v.name, &v.expect), run);
    // The list covers what PROTOCOL.md promises it covers.
    for required in [
        "bundle-good",
        "bundle-bad-signature",
        "bundle-too-few-signatures",
        "bundle-duplicate-key-id",
        "bundle-unknown-key",
        "bundle-wrong-payload-type",
        "bundle-rollback",
        "bundle-expired",
        "bundle-at-expiry",
        "bundle-oversize",
        "bundle-payload-not-base64",
        "bundle-payload-duplicate-key",
        "bundle-payload-unknown-field",
        "delta-good",
        "delta-wrong-base",
        "delta-wrong-resulting-hash",
        "manifest-good",
        "manifest-wrong-bundle-hash",
        "keyset-rotation-good",
        "keyset-rotation-new-keys-only",
    ] {
        assert!(
            list.vectors.iter().any(|v| v.name == required),
            "missing vector {required}"
        );
    }
}
