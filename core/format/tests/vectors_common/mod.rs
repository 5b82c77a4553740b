//! What the three vector generators share (`conformance`, `v2_vectors`, `guides_vectors`):
//! the folder `tests/vectors`, the fixed test keys, hand-signed envelopes, the error kinds
//! of docs/PROTOCOL.md §11, and the check that the files on disk are the generator's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use waypoint_format::envelope::PayloadType;
use waypoint_format::publish::{sign_envelope, PublisherKey};
use waypoint_format::FormatError;

/// The folder holding every vector file.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// The bytes of the vector file `name`.
pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("vector file {name}: {e}"))
}

/// The fixed test key `name` (its secret is the SHA-256 of `waypoint conformance key
/// <name>`; `keys.json` lists them).
pub fn key(name: &str) -> PublisherKey {
    let secret: [u8; 32] =
        Sha256::digest(format!("waypoint conformance key {name}").as_bytes()).into();
    PublisherKey::from_secret_bytes(&secret)
}

/// Signs a hand-written payload (for payloads the builders would refuse to write).
#[allow(dead_code)] // v2_vectors builds its frames by hand instead
pub fn signed(payload_type: PayloadType, payload: &str, keys: &[&PublisherKey]) -> Vec<u8> {
    sign_envelope(payload_type, payload.as_bytes().to_vec(), keys).to_bytes()
}

/// The error kind a vector names for `e` (docs/PROTOCOL.md §11).
pub fn error_kind(e: &FormatError) -> &'static str {
    match e {
        FormatError::Oversize { .. } => "Oversize",
        FormatError::Malformed { .. } => "Malformed",
        FormatError::WrongPayloadType { .. } => "WrongPayloadType",
        FormatError::TooFewSignatures { .. } => "TooFewSignatures",
        FormatError::DuplicateKeyId(_) => "DuplicateKeyId",
        FormatError::UnknownKey(_) => "UnknownKey",
        FormatError::InvalidSignature(_) => "InvalidSignature",
        FormatError::Rollback { .. } => "Rollback",
        FormatError::Expired { .. } => "Expired",
        FormatError::ContentHashMismatch => "ContentHashMismatch",
        FormatError::DeltaBaseMismatch { .. } => "DeltaBaseMismatch",
        FormatError::KeysetVersion { .. } => "KeysetVersion",
        FormatError::InvalidRecord { .. } => "InvalidRecord",
        FormatError::CreatedInFuture { .. } => "CreatedInFuture",
        _ => "Other",
    }
}

/// Checks that the vector files a generator owns (`owns` their names) are exactly
/// `generated`, byte for byte. With `WAYPOINT_WRITE_VECTORS` set it first rewrites them,
/// removing the owned files it no longer generates when `remove_old`.
pub fn assert_on_disk_match(
    what: &str,
    generated: &BTreeMap<String, Vec<u8>>,
    owns: impl Fn(&str) -> bool,
    remove_old: bool,
) {
    let dir = dir();
    if std::env::var_os("WAYPOINT_WRITE_VECTORS").is_some() {
        std::fs::create_dir_all(&dir).expect("create vectors dir");
        if remove_old {
            for entry in std::fs::read_dir(&dir).expect("list") {
                let path = entry.expect("entry").path();
                if path.file_name().is_some_and(|n| owns(&n.to_string_lossy())) {
                    std::fs::remove_file(path).expect("remove old vector");
                }
            }
        }
        for (name, bytes) in generated {
            std::fs::write(dir.join(name), bytes).expect("write vector");
        }
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| owns(n))
        .collect();
    on_disk.sort();
    let names: Vec<String> = generated.keys().cloned().collect();
    assert_eq!(
        on_disk, names,
        "{what} vector files differ from the generator's list"
    );
    for (name, bytes) in generated {
        assert!(
            read(name) == *bytes,
            "{name} differs from the generator (regenerate with WAYPOINT_WRITE_VECTORS=1)"
        );
    }
}

/// A vector list file (documented in docs/PROTOCOL.md): its format, the fixed test keys'
/// file (`keys.json`) and the vectors of one generator.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile<V> {
    pub format: u32,
    pub keys: String,
    pub vectors: Vec<V>,
}

/// A vector's expected outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `accept` or `reject`.
    pub outcome: String,
    /// For `reject`: the error kind (PROTOCOL.md §11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For `accept`: the version of what was accepted (keyset or bundle/manifest version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// For an accepted bundle or delta: hex content hash of the resulting record set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
}

pub fn accept(version: u64, hash: Option<String>) -> Expect {
    Expect {
        outcome: "accept".into(),
        error: None,
        version: Some(version),
        content_hash: hash,
    }
}

pub fn reject(error: &str) -> Expect {
    Expect {
        outcome: "reject".into(),
        error: Some(error.into()),
        version: None,
        content_hash: None,
    }
}

/// Runs every vector (`run`: `Err(kind)` is a rejection of that kind) and checks that each
/// has its expected outcome (`case`: the vector's name and expectation); every mismatch
/// is listed at once.
pub fn assert_outcomes<V>(
    vectors: &[V],
    case: impl Fn(&V) -> (&str, &Expect),
    run: impl Fn(&V) -> Result<Expect, String>,
) {
    let mut failures = Vec::new();
    for v in vectors {
        let got = match run(v) {
            Ok(e) => e,
            Err(kind) => reject(&kind),
        };
        let (name, expect) = case(v);
        if got != *expect {
            failures.push(format!("{name}: expected {expect:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A vector list file's bytes: `vectors` of list format `format` naming `keys.json`, as
/// pretty JSON ending in a line break.
pub fn list_file<V: Serialize>(format: u32, vectors: Vec<V>) -> Vec<u8> {
    let list = VectorFile {
        format,
        keys: "keys.json".into(),
        vectors,
    };
    let mut json = serde_json::to_vec_pretty(&list).expect("vectors serialise");
    json.push(b'\n');
    json
}

/// Verifies a delta vector both ways, against the whole base bundle and, as a phone does,
/// against only the base's per-record digests, and checks that both reach the same verdict.
// Guides have no deltas: `guides_vectors` compiles this module without calling it.
#[allow(dead_code)]
pub fn verify_delta_both_ways(
    name: &str,
    input: &[u8],
    ks: &waypoint_format::Keyset,
    base: &waypoint_format::VerifiedBundle,
    policy: &waypoint_format::Policy,
) -> Result<Expect, String> {
    let kind = |e: FormatError| error_kind(&e).to_owned();
    let full = waypoint_format::verify_delta(input, ks, base, policy)
        .map(|b| accept(b.version(), Some(hex::encode(b.content_hash()))))
        .map_err(kind);
    let held = waypoint_format::HeldState {
        version: base.version(),
        content_hash: *base.content_hash(),
        digests: base
            .records()
            .iter()
            .map(|r| (r.id().to_owned(), r.digest()))
            .collect(),
    };
    let on_digests = waypoint_format::verify_delta_held(input.to_vec(), ks, &held, policy)
        .map(|d| accept(d.version(), Some(hex::encode(d.content_hash()))))
        .map_err(kind);
    assert_eq!(full, on_digests, "{name}: verified on digests");
    full
}
