//! Directory format 2 (docs/PROTOCOL.md §19): the same directory states as format 1, in a
//! compact canonical binary encoding ([`codec`]), compressed with zstd and a dictionary
//! shipped in the app ([`DICTIONARY`]), signed over a domain-separated SHA-256 of the
//! canonical (uncompressed) payload.
//!
//! A format 2 state is the same state as format 1: each record's §6 digest is over its
//! canonical JSON (`serde_json` of the decoded record, which is what publishers sign in
//! format 1), so the content hash is the same in both formats and a delta of either format
//! applies to a state reached through the other. [`crate::verify_bundle`] and
//! [`crate::verify_delta`] accept both formats (they tell them apart by the first bytes),
//! so everything that stores and re-verifies signed bytes keeps working unchanged.
//!
//! File layout (all of it before the zstd frame is unsigned transport):
//!
//! ```text
//! "WPD2" | kind (1 = bundle, 2 = delta) | dictionary id (u32 LE) | raw size (varint)
//!        | signature count (varint, <= 16) | count x (key id: 32 bytes, Ed25519: 64 bytes)
//!        | one zstd frame (with the dictionary) holding exactly `raw size` bytes
//! ```

pub mod codec;
#[cfg(feature = "synth")]
pub mod dictionary;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use crate::bundle::{
    check_times, content_hash, held_minus_tombstones, keyset_time, Manifest, ManifestEntry, Policy,
    VerifiedBundle, VerifiedManifest, VerifiedRecord,
};
use crate::envelope::{count_valid_over, short_id, PayloadType, Signature};
use crate::error::{FormatError, Result};
use crate::keyset::Keyset;
use crate::limits::{
    MAX_BUNDLE_BYTES, MAX_DELTA_BYTES, MAX_RECORDS, MAX_RECORD_BYTES, MAX_SIGNATURES,
};
use crate::publish::PublisherKey;
use crate::record::Record;
use codec::{BundlePayload, DeltaPayload, Header};

/// The wire format number of format 2 (the manifest's `format` field at `/v2/`).
pub const FORMAT_VERSION: u32 = 2;

/// First bytes of every format 2 file. A format 1 envelope is JSON and starts with `{`.
pub const MAGIC: &[u8; 4] = b"WPD2";

/// The dictionary every format 2 payload is compressed with, shipped in the app. Made by
/// `cargo run -p waypoint-format --features synth --bin waypoint-dict` (see
/// [`DICTIONARY_SHA256`] and `core/format/dict/README.md`).
pub static DICTIONARY: &[u8] = include_bytes!("../../dict/directory-v2.zdict");

/// SHA-256 of [`DICTIONARY`], pinned: a test fails if the file changes without this.
pub const DICTIONARY_SHA256: &str =
    "77882a46c62fbedf566b7c3f45ca61663d1f34af415a68606db60e17465e96fb";

/// zstd level publishers and the server compress with (decompression does not depend on
/// it; any level gives the same signed payload).
pub const COMPRESSION_LEVEL: i32 = 19;

/// Hard cap on a bundle's declared uncompressed size (the zip-bomb bound).
pub const MAX_BUNDLE_RAW: usize = MAX_BUNDLE_BYTES;
/// Hard cap on a delta's declared uncompressed size.
pub const MAX_DELTA_RAW: usize = MAX_DELTA_BYTES;

/// Largest accepted ratio of declared raw size to compressed frame size. Directory
/// payloads compress 5-30 times; a larger claim is refused before any allocation.
pub const MAX_RATIO: u64 = 1024;

const KIND_BUNDLE: u8 = 1;
const KIND_DELTA: u8 = 2;

/// The dictionary id of [`DICTIONARY`] (bytes 4..8 of a zstd dictionary).
pub fn dictionary_id() -> u32 {
    DICTIONARY
        .get(4..8)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The dictionary id a format 2 file's header names, if it is long enough to have one.
/// A client that does not ship that dictionary can use format 1 instead.
pub fn file_dictionary_id(bytes: &[u8]) -> Option<u32> {
    if !is_v2(bytes) {
        return None;
    }
    bytes
        .get(5..9)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// True when `bytes` look like a format 2 file (they start with [`MAGIC`]).
pub fn is_v2(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn kind_byte(t: PayloadType) -> Option<u8> {
    match t {
        PayloadType::Bundle => Some(KIND_BUNDLE),
        PayloadType::Delta => Some(KIND_DELTA),
        _ => None,
    }
}

fn short(t: PayloadType) -> &'static str {
    match t {
        PayloadType::Bundle => "bundle",
        _ => "delta",
    }
}

fn caps(t: PayloadType) -> (usize, usize) {
    match t {
        PayloadType::Bundle => (MAX_BUNDLE_BYTES, MAX_BUNDLE_RAW),
        _ => (MAX_DELTA_BYTES, MAX_DELTA_RAW),
    }
}

/// SHA-256 of the canonical payload: what a format 2 signature covers (after the domain).
pub fn payload_digest(payload: &[u8]) -> [u8; 32] {
    Sha256::digest(payload).into()
}

/// The bytes a format 2 signature covers: `"waypoint/2 sha256\n" || payload_type || "\n"
/// || SHA-256(payload)`. A format 1 signing input starts `"waypoint/1\n"`, so neither can
/// stand for the other, and the payload type keeps a bundle signature off a delta.
pub fn signing_input(t: PayloadType, digest: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"waypoint/2 sha256\n");
    out.extend_from_slice(t.as_str().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(digest);
    out
}

/// Signs a canonical format 2 payload of type `t` (bundle or delta) with `key`.
pub fn sign(key: &PublisherKey, t: PayloadType, payload: &[u8]) -> Signature {
    key.sign_raw(&signing_input(t, &payload_digest(payload)))
}

/// Checks one signature over a format 2 payload against `keys` (key id -> public key).
pub fn check_signature(
    t: PayloadType,
    payload: &[u8],
    sig: &Signature,
    keys: &[(String, VerifyingKey)],
) -> Result<()> {
    count_valid(t, &payload_digest(payload), std::slice::from_ref(sig), keys).map(|_| ())
}

fn count_valid(
    t: PayloadType,
    digest: &[u8; 32],
    sigs: &[Signature],
    keys: &[(String, VerifyingKey)],
) -> Result<usize> {
    count_valid_over(&signing_input(t, digest), sigs, keys)
}

/// Payloads above this size are compressed without referring to the dictionary: over a
/// whole directory zstd finds the same strings in the payload itself, and measured at
/// 10k records the dictionary made the file 10 % larger (docs/BENCHMARKS.md). The
/// decoder always loads the dictionary; a frame that does not use it decodes the same.
pub const DICTIONARY_INPUT_MAX: usize = 1 << 20;

/// Compresses `payload` (with the shipped dictionary up to [`DICTIONARY_INPUT_MAX`]).
pub fn compress(payload: &[u8], level: i32) -> Result<Vec<u8>> {
    let made = if payload.len() <= DICTIONARY_INPUT_MAX {
        zstd::bulk::Compressor::with_dictionary(level, DICTIONARY)
    } else {
        zstd::bulk::Compressor::new(level)
    };
    let mut c =
        made.map_err(|_| FormatError::malformed("v2 file", "compressor refused the dictionary"))?;
    c.include_checksum(false)
        .and_then(|()| c.include_contentsize(true))
        .map_err(|_| FormatError::malformed("v2 file", "compressor setting refused"))?;
    c.compress(payload)
        .map_err(|_| FormatError::malformed("v2 file", "compression failed"))
}

/// Builds a format 2 file from a canonical payload and the signatures collected over it
/// (written in key id order, so the same signatures always give the same file).
pub fn assemble(t: PayloadType, payload: &[u8], signatures: &[Signature]) -> Result<Vec<u8>> {
    assemble_with(t, payload, signatures, COMPRESSION_LEVEL)
}

/// [`assemble`] at a chosen zstd level (the level changes the file, not what is signed).
pub fn assemble_with(
    t: PayloadType,
    payload: &[u8],
    signatures: &[Signature],
    level: i32,
) -> Result<Vec<u8>> {
    let kind =
        kind_byte(t).ok_or_else(|| FormatError::malformed("v2 file", "not a bundle or delta"))?;
    if signatures.len() > MAX_SIGNATURES {
        return Err(FormatError::malformed(short(t), "too many signatures"));
    }
    let mut sigs: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(signatures.len());
    for s in signatures {
        let id = hex::decode(&s.keyid)
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or_else(|| FormatError::InvalidSignature(short_id(&s.keyid)))?;
        let sig = B64
            .decode(s.sig.as_bytes())
            .ok()
            .filter(|b| b.len() == 64)
            .ok_or_else(|| FormatError::InvalidSignature(short_id(&s.keyid)))?;
        sigs.push((id, sig));
    }
    sigs.sort();
    let mut w = codec::Writer::default();
    w.0.extend_from_slice(MAGIC);
    w.0.push(kind);
    w.0.extend_from_slice(&dictionary_id().to_le_bytes());
    w.uv(payload.len() as u64);
    w.uv(sigs.len() as u64);
    for (id, sig) in &sigs {
        w.0.extend_from_slice(id);
        w.0.extend_from_slice(sig);
    }
    w.0.extend_from_slice(&compress(payload, level)?);
    Ok(w.0)
}

/// Signs `payload` with every key and builds the file (tests and single-machine tools).
pub fn seal(t: PayloadType, payload: &[u8], keys: &[&PublisherKey]) -> Result<Vec<u8>> {
    let sigs: Vec<Signature> = keys.iter().map(|k| sign(k, t, payload)).collect();
    assemble(t, payload, &sigs)
}

/// A format 2 file whose frame was decompressed, bounded, but nothing else checked: the
/// canonical payload and the signatures as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// Bundle or delta.
    pub payload_type: PayloadType,
    /// The canonical payload (what the signatures cover, through its digest).
    pub payload: Vec<u8>,
    /// The signatures, key ids as hex (as in format 1).
    pub signatures: Vec<Signature>,
}

/// Reads a format 2 file of type `expected`: size cap, header, dictionary id, declared
/// size against the hard cap, then one zstd frame decompressed into at most the declared
/// size, which it must fill exactly.
pub fn open(bytes: &[u8], expected: PayloadType) -> Result<Opened> {
    let kind = short(expected);
    let want =
        kind_byte(expected).ok_or_else(|| FormatError::malformed(kind, "not a bundle or delta"))?;
    let (file_cap, raw_cap) = caps(expected);
    if bytes.len() > file_cap {
        return Err(FormatError::Oversize {
            kind,
            len: bytes.len(),
            max: file_cap,
        });
    }
    let bad = |reason: &'static str| FormatError::malformed(kind, reason);
    let mut r = codec::Reader::new(bytes);
    if r.take(4).map_err(bad)? != MAGIC {
        return Err(bad("not a format 2 file"));
    }
    let k = r.byte().map_err(bad)?;
    if k != want {
        return Err(FormatError::WrongPayloadType {
            expected: expected.as_str(),
            found: match k {
                KIND_BUNDLE => PayloadType::Bundle.as_str().to_owned(),
                KIND_DELTA => PayloadType::Delta.as_str().to_owned(),
                _ => "unknown".to_owned(),
            },
        });
    }
    let d = r.take(4).map_err(bad)?;
    let dict = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
    if dict != dictionary_id() {
        return Err(FormatError::malformed(
            kind,
            format!(
                "compressed with dictionary {dict}, but this app has dictionary {}",
                dictionary_id()
            ),
        ));
    }
    let raw_len = r.uv().map_err(bad)?;
    if raw_len > raw_cap as u64 {
        return Err(FormatError::Oversize {
            kind,
            len: usize::try_from(raw_len).unwrap_or(usize::MAX),
            max: raw_cap,
        });
    }
    let n = r.uv().map_err(bad)?;
    if n > MAX_SIGNATURES as u64 {
        return Err(bad("too many signatures"));
    }
    let mut signatures = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let id = r.take(32).map_err(bad)?;
        let sig = r.take(64).map_err(bad)?;
        signatures.push(Signature {
            keyid: hex::encode(id),
            sig: B64.encode(sig),
        });
    }
    let frame = &bytes[r.position()..];
    match zstd::zstd_safe::find_frame_compressed_size(frame) {
        Ok(len) if len == frame.len() => {}
        _ => return Err(bad("not exactly one zstd frame after the header")),
    }
    // Before allocating the declared size: the frame must declare the same size, and no
    // more than MAX_RATIO times its own length (a tiny file cannot claim the hard cap).
    match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size == raw_len => {}
        _ => return Err(bad("the zstd frame does not declare the declared size")),
    }
    if raw_len > (frame.len() as u64).saturating_mul(MAX_RATIO) {
        return Err(bad(
            "the declared size is out of proportion to the compressed size",
        ));
    }
    let mut dec = zstd::bulk::Decompressor::with_dictionary(DICTIONARY)
        .map_err(|_| bad("the shipped dictionary does not load"))?;
    let payload = dec
        .decompress(frame, raw_len as usize)
        .map_err(|_| bad("the compressed payload does not decompress within its declared size"))?;
    if payload.len() as u64 != raw_len {
        return Err(bad("the payload is shorter than its declared size"));
    }
    Ok(Opened {
        payload_type: expected,
        payload,
        signatures,
    })
}

fn verify_signatures(opened: &Opened, keyset: &Keyset, now: i64) -> Result<()> {
    if now > keyset.expires {
        return Err(FormatError::Expired {
            expires: keyset.expires,
            now,
        });
    }
    let keys = keyset.decoded_keys()?;
    let digest = payload_digest(&opened.payload);
    let valid = count_valid(opened.payload_type, &digest, &opened.signatures, &keys)?;
    if valid < keyset.threshold as usize {
        return Err(FormatError::TooFewSignatures {
            valid,
            threshold: keyset.threshold as usize,
        });
    }
    Ok(())
}

/// A decoded record turned into the state's record: validated, with its canonical JSON
/// (what the §6 content hash and format 1 commit to).
fn verified_record(kind: &'static str, record: Record) -> Result<VerifiedRecord> {
    record.validate()?;
    let raw = serde_json::to_string(&record)
        .map_err(|_| FormatError::malformed(kind, "a record does not serialise"))?;
    if raw.len() > MAX_RECORD_BYTES {
        return Err(FormatError::malformed(
            kind,
            "a record exceeds the per-record size limit",
        ));
    }
    Ok(VerifiedRecord::new_verified(record.id.clone(), raw, record))
}

/// Verifies a format 2 bundle file. Order: caps and header, bounded decompression,
/// signatures over the digest (threshold of `keyset`), canonical decoding, times and
/// rollback, every record, the content hash.
pub(crate) fn verify_bundle(
    bytes: &[u8],
    keyset: &Keyset,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    const K: &str = "bundle";
    let opened = open(bytes, PayloadType::Bundle)?;
    verify_signatures(&opened, keyset, keyset_time(policy))?;
    let p = codec::decode_bundle(&opened.payload, MAX_RECORDS)
        .map_err(|e| FormatError::malformed(K, e))?;
    let h = p.header;
    check_times(K, h.version, h.created, h.expires, keyset, policy, false)?;
    let mut records = Vec::with_capacity(p.records.len());
    for r in p.records {
        records.push(verified_record(K, r)?);
    }
    verified_state(h, records, false, keyset)
}

/// The state a verified format 2 bundle or delta brings the client to: `records` must
/// hash to the content hash its header signs.
fn verified_state(
    h: codec::Header,
    records: Vec<VerifiedRecord>,
    via_delta: bool,
    keyset: &Keyset,
) -> Result<VerifiedBundle> {
    let computed = content_hash(records.iter().map(|r| (r.id(), r.raw())));
    if computed != h.content_hash {
        return Err(FormatError::ContentHashMismatch);
    }
    Ok(VerifiedBundle::new_verified(
        h.version,
        h.created,
        h.expires,
        h.content_hash,
        records,
        via_delta,
        keyset.version,
    ))
}

/// Verifies a format 2 delta file against the held state `base` and applies it; the
/// result must hash to the signed content hash.
pub(crate) fn verify_delta(
    bytes: &[u8],
    keyset: &Keyset,
    base: &VerifiedBundle,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    const K: &str = "delta";
    let opened = open(bytes, PayloadType::Delta)?;
    verify_signatures(&opened, keyset, keyset_time(policy))?;
    let p = codec::decode_delta(&opened.payload, MAX_RECORDS)
        .map_err(|e| FormatError::malformed(K, e))?;
    if p.base_version != base.version() || &p.base_content_hash != base.content_hash() {
        return Err(FormatError::DeltaBaseMismatch {
            delta_base: p.base_version,
            held: base.version(),
        });
    }
    let h = p.header;
    if h.version <= p.base_version {
        return Err(FormatError::Rollback {
            current: p.base_version,
            offered: h.version,
        });
    }
    check_times(K, h.version, h.created, h.expires, keyset, policy, false)?;
    if p.upserts.len() + p.tombstones.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many changes"));
    }
    let mut state = held_minus_tombstones(base, &p.tombstones)?;
    for rec in p.upserts {
        // Both lists are strictly ascending (checked by the decoder), so an id can only
        // repeat across them.
        if p.tombstones.binary_search(&rec.id).is_ok() {
            return Err(FormatError::record(&rec.id, "changed twice in one delta"));
        }
        let v = verified_record(K, rec)?;
        state.insert(v.id().to_owned(), v);
    }
    if state.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many records after applying"));
    }
    let records: Vec<VerifiedRecord> = state.into_values().collect();
    verified_state(h, records, true, keyset)
}

/// Verifies a format 2 delta file against the digests a client holds
/// ([`crate::held::verify_delta_held`] for format 1): the same checks in the same order as
/// [`verify_delta`], then §7's application on the held digests, shared with format 1, so
/// the work follows the size of the change, not of the directory.
pub(crate) fn verify_delta_held(
    bytes: Vec<u8>,
    keyset: &Keyset,
    held: &crate::HeldState,
    policy: &Policy,
) -> Result<crate::VerifiedDelta> {
    const K: &str = "delta";
    let opened = open(&bytes, PayloadType::Delta)?;
    verify_signatures(&opened, keyset, keyset_time(policy))?;
    let p = codec::decode_delta(&opened.payload, MAX_RECORDS)
        .map_err(|e| FormatError::malformed(K, e))?;
    if p.base_version != held.version || p.base_content_hash != held.content_hash {
        return Err(FormatError::DeltaBaseMismatch {
            delta_base: p.base_version,
            held: held.version,
        });
    }
    let h = p.header;
    if h.version <= p.base_version {
        return Err(FormatError::Rollback {
            current: p.base_version,
            offered: h.version,
        });
    }
    check_times(K, h.version, h.created, h.expires, keyset, policy, false)?;
    if p.upserts.len() + p.tombstones.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many changes"));
    }
    let upserts = p.upserts.into_iter().map(|r| verified_record(K, r));
    crate::held::apply_to_held(
        K,
        held,
        &p.tombstones,
        upserts,
        crate::held::Signed {
            version: h.version,
            created: h.created,
            expires: h.expires,
            content_hash: h.content_hash,
            keyset_version: keyset.version,
        },
        bytes,
    )
}

// ---- building payloads ----------------------------------------------------------------

/// Parses a record's signed JSON and checks it is the canonical JSON of its value (what
/// publishing tools write). Format 2 carries the value, so a record whose format 1 bytes
/// are any other spelling cannot be carried without changing the content hash.
fn canonical_record(id: &str, raw: &str) -> Result<Record> {
    let record: Record = serde_json::from_str(raw)
        .map_err(|_| FormatError::record(id, "record is not valid JSON"))?;
    let again = serde_json::to_string(&record)
        .map_err(|_| FormatError::record(id, "record does not serialise"))?;
    if again != raw {
        return Err(FormatError::record(
            id,
            "record is not in canonical JSON form, so format 2 cannot carry it",
        ));
    }
    Ok(record)
}

/// The canonical format 2 bundle payload of a state given as (id, exact JSON) pairs.
pub fn bundle_payload<'a>(
    version: u64,
    created: i64,
    expires: i64,
    records: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<u8>> {
    let mut pairs: Vec<(&str, &str)> = records.into_iter().collect();
    pairs.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let hash = content_hash(pairs.iter().copied());
    let records = pairs
        .iter()
        .map(|(id, raw)| canonical_record(id, raw))
        .collect::<Result<Vec<_>>>()?;
    Ok(codec::encode_bundle(&BundlePayload {
        header: Header {
            version,
            created,
            expires,
            content_hash: hash,
        },
        records,
    }))
}

/// The canonical format 2 bundle payload of a verified state (what a publisher's tool
/// builds from the bundle it verified and showed).
pub fn bundle_payload_of(state: &VerifiedBundle) -> Result<Vec<u8>> {
    bundle_payload(
        state.version(),
        state.created(),
        state.expires(),
        state.records().iter().map(|r| (r.id(), r.raw())),
    )
}

/// The canonical format 2 delta payload turning `base` into `target`: every record of
/// `target` whose bytes differ from `base`'s (or that `base` lacks), and every id of
/// `base` that `target` lacks. Deterministic, so the server and each publisher's tool
/// build the same bytes from the same two states.
pub fn delta_payload<'a>(
    base: &VerifiedBundle,
    version: u64,
    created: i64,
    expires: i64,
    target: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<u8>> {
    if version <= base.version() {
        return Err(FormatError::Rollback {
            current: base.version(),
            offered: version,
        });
    }
    let target: BTreeMap<&str, &str> = target.into_iter().collect();
    let old: BTreeMap<&str, &str> = base.records().iter().map(|r| (r.id(), r.raw())).collect();
    let mut upserts = Vec::new();
    for (id, raw) in &target {
        if old.get(id) != Some(raw) {
            upserts.push((*id, canonical_record(id, raw)?));
        }
    }
    upserts.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut tombstones: Vec<String> = old
        .keys()
        .filter(|id| !target.contains_key(*id))
        .map(|id| (*id).to_owned())
        .collect();
    tombstones.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    Ok(codec::encode_delta(&DeltaPayload {
        base_version: base.version(),
        base_content_hash: *base.content_hash(),
        header: Header {
            version,
            created,
            expires,
            content_hash: content_hash(target.iter().map(|(a, b)| (*a, *b))),
        },
        upserts: upserts.into_iter().map(|(_, r)| r).collect(),
        tombstones,
    }))
}

/// The canonical format 2 delta payload from `base` to the verified state `target`.
pub fn delta_payload_of(base: &VerifiedBundle, target: &VerifiedBundle) -> Result<Vec<u8>> {
    delta_payload(
        base,
        target.version(),
        target.created(),
        target.expires(),
        target.records().iter().map(|r| (r.id(), r.raw())),
    )
}

// ---- manifest -------------------------------------------------------------------------

/// The unsigned format 2 manifest payload: the format 1 manifest's JSON with `format: 2`,
/// naming the exact format 2 files. It travels in a format 1 envelope (it is small).
pub fn manifest_payload(
    version: u64,
    created: i64,
    expires: i64,
    bundle: &[u8],
    deltas: &[(u64, &[u8])],
) -> Vec<u8> {
    let entry = |from: Option<u64>, bytes: &[u8]| ManifestEntry {
        from,
        to: version,
        sha256: crate::bundle::sha256_hex(bytes),
        size: bytes.len() as u64,
    };
    let m = Manifest {
        format: FORMAT_VERSION,
        version,
        created,
        expires,
        bundle: entry(None, bundle),
        deltas: deltas.iter().map(|(f, b)| entry(Some(*f), b)).collect(),
    };
    serde_json::to_vec(&m).expect("manifest serialises")
}

/// Verifies a format 2 manifest (`/v2/manifest`): a format 1 manifest envelope whose
/// payload says `format: 2`; a format 1 manifest here is refused, and the other way round.
pub fn verify_manifest(bytes: &[u8], keyset: &Keyset, policy: &Policy) -> Result<VerifiedManifest> {
    crate::bundle::verify_manifest_format(bytes, keyset, policy, FORMAT_VERSION)
}

#[cfg(test)]
mod tests;
