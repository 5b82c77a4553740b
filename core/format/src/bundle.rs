//! Bundles, deltas and the manifest, and their verification.
//!
//! A bundle is the whole directory at one version. Its content hash commits to every
//! record's exact bytes (see [`content_hash`]), so a delta can be checked after applying:
//! the resulting set must hash to the value the publishers signed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::envelope::{Envelope, PayloadType};
use crate::error::{FormatError, Result};
use crate::keyset::Keyset;
use crate::limits::{
    MAX_BUNDLE_BYTES, MAX_CREATED_AHEAD_S, MAX_DELTA_BYTES, MAX_MANIFEST_BYTES,
    MAX_MANIFEST_DELTAS, MAX_RECORDS, MAX_RECORD_BYTES,
};
use crate::record::Record;
use crate::FORMAT_VERSION;

/// What the verifier knows beyond the keyset: the time and the version already held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// "Now" in Unix seconds. Callers pass the *latest known time*: the maximum of the
    /// clock and every `created` time ever verified, so winding the clock back cannot
    /// revive an expired bundle.
    pub now: i64,
    /// Version already trusted; anything older is a rollback.
    pub current_version: Option<u64>,
    /// Accept an expired document (used only to re-verify data already stored, which the
    /// app keeps showing as stale rather than dropping help lines).
    pub allow_expired: bool,
}

impl Policy {
    /// Policy for a fresh update at `now` when `current_version` is held.
    pub fn update(now: i64, current_version: Option<u64>) -> Self {
        Policy {
            now,
            current_version,
            allow_expired: false,
        }
    }
}

/// One verified record: its id, its exact signed bytes and the parsed record.
///
/// Only [`verify_bundle`] and [`verify_delta`] make one, so holding a `VerifiedRecord`
/// means its bytes were under a threshold of publisher signatures. Outside this module it
/// cannot be built:
///
/// ```compile_fail
/// use waypoint_format::VerifiedRecord;
/// let forged = VerifiedRecord {
///     id: String::new(), raw: String::new(), record: todo!(), digest: [0; 32],
/// };
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedRecord {
    id: String,
    raw: String,
    record: Record,
    /// SHA-256 of `raw`, computed once when it was parsed.
    digest: [u8; 32],
}

impl VerifiedRecord {
    /// A record the caller has verified (format 2 decoding, [`crate::v2`]).
    /// Its digest is over the record's JSON bytes, as in format 1 (the content hash and
    /// the held digests are the same in both formats).
    pub(crate) fn new_verified(id: String, raw: String, record: Record) -> Self {
        use sha2::{Digest, Sha256};
        let digest: [u8; 32] = Sha256::digest(raw.as_bytes()).into();
        VerifiedRecord {
            id,
            raw,
            record,
            digest,
        }
    }

    /// Record id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The record's exact JSON bytes as signed (what the content hash commits to).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parsed, validated record.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// SHA-256 of the record's exact bytes: what the content hash commits to for this
    /// record (see [`content_hash`]), and what a client keeps per record to verify a delta
    /// without the whole held set ([`crate::held`]).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }
}

/// A verified directory state, with the signed bytes it was verified from.
///
/// Only [`verify_bundle`] and [`verify_delta`] make one: there is no public constructor,
/// no public field and no `Deserialize`, so a value of this type is always the outcome of a
/// signature check (publishers build unsigned content with [`crate::publish::Content`]).
///
/// ```compile_fail
/// use waypoint_format::VerifiedBundle;
/// let forged = VerifiedBundle {
///     version: 9, created: 0, expires: i64::MAX, content_hash: [0; 32], records: vec![],
///     signed: vec![], via_delta: false, keyset_version: 1,
/// };
/// ```
///
/// ```compile_fail
/// // Not deserialisable either.
/// let forged: waypoint_format::VerifiedBundle = serde_json::from_str("{}").unwrap();
/// ```
///
/// Two values are equal when they prove the same directory state (version, times, content
/// hash and records), whichever signed bytes they were verified from.
#[derive(Debug, Clone)]
pub struct VerifiedBundle {
    version: u64,
    created: i64,
    expires: i64,
    content_hash: [u8; 32],
    records: Vec<VerifiedRecord>,
    signed: Vec<u8>,
    via_delta: bool,
    keyset_version: u64,
}

impl PartialEq for VerifiedBundle {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.created == other.created
            && self.expires == other.expires
            && self.content_hash == other.content_hash
            && self.records == other.records
    }
}

impl VerifiedBundle {
    /// A state the caller has verified (format 2, [`crate::v2`]); the signed bytes are
    /// attached by [`verify_bundle`] / [`verify_delta`] as for format 1.
    pub(crate) fn new_verified(
        version: u64,
        created: i64,
        expires: i64,
        content_hash: [u8; 32],
        records: Vec<VerifiedRecord>,
        via_delta: bool,
        keyset_version: u64,
    ) -> Self {
        VerifiedBundle {
            version,
            created,
            expires,
            content_hash,
            records,
            signed: Vec::new(),
            via_delta,
            keyset_version,
        }
    }

    /// Bundle version.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Creation time, Unix seconds.
    pub fn created(&self) -> i64 {
        self.created
    }

    /// Expiry, Unix seconds.
    pub fn expires(&self) -> i64 {
        self.expires
    }

    /// Content hash as signed (see [`content_hash`]).
    pub fn content_hash(&self) -> &[u8; 32] {
        &self.content_hash
    }

    /// Records sorted by id.
    pub fn records(&self) -> &[VerifiedRecord] {
        &self.records
    }

    /// The exact envelope bytes this state was verified from: the full bundle's, or for a
    /// state reached by [`verify_delta`], the delta's (stored after the base it applies to).
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// True when [`signed_bytes`](Self::signed_bytes) are a delta on an earlier state.
    pub fn via_delta(&self) -> bool {
        self.via_delta
    }

    /// Version of the keyset whose threshold signed [`signed_bytes`](Self::signed_bytes).
    pub fn keyset_version(&self) -> u64 {
        self.keyset_version
    }

    /// True if the bundle expired at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        now > self.expires
    }

    /// The state `delta` leads to from this one. The delta was verified against this
    /// state's version, content hash and digests ([`crate::verify_delta_held`]): equal
    /// version and content hash mean the same record set, so the result is the set whose
    /// hash the publishers signed. Any other base is refused (`DeltaBaseMismatch`).
    pub fn apply(self, delta: crate::VerifiedDelta) -> Result<VerifiedBundle> {
        if delta.base_version() != self.version || *delta.base_content_hash() != self.content_hash {
            return Err(FormatError::DeltaBaseMismatch {
                delta_base: delta.base_version(),
                held: self.version,
            });
        }
        let (meta, upserts, tombstones, signed) = delta.into_parts();
        let mut changes: BTreeMap<String, Option<VerifiedRecord>> = BTreeMap::new();
        for id in tombstones {
            changes.insert(id, None);
        }
        for r in upserts {
            changes.insert(r.id.clone(), Some(r));
        }
        let mut records = Vec::with_capacity(meta.records_after);
        let mut pending = changes.into_iter().peekable();
        for held in self.records {
            while let Some((_, change)) = pending.next_if(|(id, _)| id.as_str() < held.id.as_str())
            {
                records.extend(change);
            }
            match pending.next_if(|(id, _)| *id == held.id) {
                Some((_, change)) => records.extend(change),
                None => records.push(held),
            }
        }
        records.extend(pending.filter_map(|(_, change)| change));
        if records.len() != meta.records_after {
            return Err(FormatError::ContentHashMismatch);
        }
        Ok(VerifiedBundle {
            version: meta.version,
            created: meta.created,
            expires: meta.expires,
            content_hash: meta.content_hash,
            records,
            signed,
            via_delta: true,
            keyset_version: meta.keyset_version,
        })
    }
}

/// Content hash of a record set: SHA-256 over `"waypoint/1 content\n"` followed, for each
/// record in ascending byte order of id, by the id's length (u32 big-endian), the id, and
/// SHA-256 of the record's exact JSON bytes.
pub fn content_hash<'a>(records: impl IntoIterator<Item = (&'a str, &'a str)>) -> [u8; 32] {
    let mut sorted: Vec<(&str, &str)> = records.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut h = Sha256::new();
    h.update(b"waypoint/1 content\n");
    for (id, raw) in sorted {
        h.update((id.len() as u32).to_be_bytes());
        h.update(id.as_bytes());
        h.update(Sha256::digest(raw.as_bytes()));
    }
    h.finalize().into()
}

/// Lowercase hex SHA-256 of `bytes` (manifest entries name files by this).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleWire<'a> {
    format: u32,
    version: u64,
    created: i64,
    expires: i64,
    content_hash: String,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
}

/// Bundle payload as written by publishers (records kept as exact bytes).
#[derive(Serialize)]
pub(crate) struct BundleOut<'a> {
    pub format: u32,
    pub version: u64,
    pub created: i64,
    pub expires: i64,
    pub content_hash: String,
    pub records: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeltaWire<'a> {
    pub format: u32,
    pub base_version: u64,
    pub base_content_hash: String,
    pub version: u64,
    pub created: i64,
    pub expires: i64,
    pub content_hash: String,
    #[serde(borrow)]
    pub upserts: Vec<&'a RawValue>,
    pub tombstones: Vec<String>,
}

/// Delta payload as written by publishers.
#[derive(Serialize)]
pub(crate) struct DeltaOut<'a> {
    pub format: u32,
    pub base_version: u64,
    pub base_content_hash: String,
    pub version: u64,
    pub created: i64,
    pub expires: i64,
    pub content_hash: String,
    pub upserts: Vec<&'a RawValue>,
    pub tombstones: Vec<String>,
}

pub(crate) fn parse_hash(kind: &'static str, s: &str) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(FormatError::malformed(
            kind,
            "hash is not 64 lowercase hex digits",
        ));
    }
    hex::decode_to_slice(s, &mut out)
        .map_err(|_| FormatError::malformed(kind, "hash is not hex"))?;
    Ok(out)
}

pub(crate) fn parse_record(kind: &'static str, raw: &RawValue) -> Result<VerifiedRecord> {
    let text = raw.get();
    if text.len() > MAX_RECORD_BYTES {
        return Err(FormatError::malformed(
            kind,
            "a record exceeds the per-record size limit",
        ));
    }
    let record: Record = serde_json::from_str(text)
        .map_err(|e| FormatError::malformed(kind, format!("record: {e}")))?;
    record.validate()?;
    Ok(VerifiedRecord {
        id: record.id.clone(),
        raw: text.to_owned(),
        digest: Sha256::digest(text.as_bytes()).into(),
        record,
    })
}

/// The held records by id with a delta's tombstones removed; a tombstone for a record
/// that is not held refuses the delta (format 1 and format 2 alike).
pub(crate) fn held_minus_tombstones(
    base: &VerifiedBundle,
    tombstones: &[String],
) -> Result<BTreeMap<String, VerifiedRecord>> {
    let mut state: BTreeMap<String, VerifiedRecord> = base
        .records
        .iter()
        .map(|r| (r.id.clone(), r.clone()))
        .collect();
    for id in tombstones {
        if state.remove(id).is_none() {
            return Err(FormatError::record(
                id,
                "tombstone for a record that does not exist",
            ));
        }
    }
    Ok(state)
}

/// Version, rollback, `created` bound (§16) and expiry (§8), in that order. With
/// `strict_rollback` (guides files, §18) the version held is refused too, not only older
/// ones.
pub(crate) fn check_times(
    kind: &'static str,
    version: u64,
    created: i64,
    expires: i64,
    keyset: &Keyset,
    policy: &Policy,
    strict_rollback: bool,
) -> Result<()> {
    if version == 0 {
        return Err(FormatError::malformed(kind, "version must be at least 1"));
    }
    if expires < created {
        return Err(FormatError::malformed(
            kind,
            "expires before it was created",
        ));
    }
    if let Some(current) = policy.current_version {
        if version < current || (strict_rollback && version == current) {
            return Err(FormatError::Rollback {
                current,
                offered: version,
            });
        }
    }
    // A `created` far ahead would become the client's latest known time and make every
    // later, honest update look expired: bound it by the trusted time plus a small clock
    // skew, and by the keyset's own expiry (no publisher can sign beyond it). Stored data,
    // re-verified with `allow_expired`, was bounded when it was accepted.
    if !policy.allow_expired {
        let limit = policy
            .now
            .saturating_add(MAX_CREATED_AHEAD_S)
            .min(keyset.expires);
        if created > limit {
            return Err(FormatError::CreatedInFuture { created, limit });
        }
    }
    if !policy.allow_expired && policy.now > expires {
        return Err(FormatError::Expired {
            expires,
            now: policy.now,
        });
    }
    Ok(())
}

pub(crate) fn keyset_time(policy: &Policy) -> i64 {
    if policy.allow_expired {
        i64::MIN
    } else {
        policy.now
    }
}

/// Verifies a full bundle envelope: size cap, signatures (threshold of `keyset`), payload
/// structure, every record, rollback, expiry and the content hash.
pub fn verify_bundle(bytes: &[u8], keyset: &Keyset, policy: &Policy) -> Result<VerifiedBundle> {
    let mut verified = verify_bundle_bytes(bytes, keyset, policy)?;
    verified.signed = bytes.to_vec();
    Ok(verified)
}

/// [`verify_bundle`] taking the envelope by value: the verified state keeps these bytes
/// instead of a copy (a full bundle may be tens of megabytes on a phone).
pub fn verify_bundle_owned(
    bytes: Vec<u8>,
    keyset: &Keyset,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    let mut verified = verify_bundle_bytes(&bytes, keyset, policy)?;
    verified.signed = bytes;
    Ok(verified)
}

/// Verifies a bundle; the caller attaches the signed bytes.
fn verify_bundle_bytes(bytes: &[u8], keyset: &Keyset, policy: &Policy) -> Result<VerifiedBundle> {
    const K: &str = "bundle";
    if crate::v2::is_v2(bytes) {
        return crate::v2::verify_bundle(bytes, keyset, policy);
    }
    let env = Envelope::parse(bytes, PayloadType::Bundle, MAX_BUNDLE_BYTES)?;
    keyset.verify_envelope(&env, keyset_time(policy))?;
    let wire: BundleWire<'_> =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(K, e))?;
    if wire.format != FORMAT_VERSION {
        return Err(FormatError::malformed(K, "unsupported format version"));
    }
    if wire.records.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many records"));
    }
    check_times(
        K,
        wire.version,
        wire.created,
        wire.expires,
        keyset,
        policy,
        false,
    )?;
    let signed_hash = parse_hash(K, &wire.content_hash)?;
    let mut records = Vec::with_capacity(wire.records.len());
    for raw in &wire.records {
        records.push(parse_record(K, raw)?);
    }
    records.sort_unstable_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    if let Some(w) = records.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(FormatError::record(&w[0].id, "id appears twice"));
    }
    let computed =
        crate::held::content_hash_of_digests(records.iter().map(|r| (r.id.as_str(), &r.digest)));
    if computed != signed_hash {
        return Err(FormatError::ContentHashMismatch);
    }
    Ok(VerifiedBundle {
        version: wire.version,
        created: wire.created,
        expires: wire.expires,
        content_hash: signed_hash,
        records,
        signed: Vec::new(),
        via_delta: false,
        keyset_version: keyset.version,
    })
}

/// The checks of §7 that come before the changes are applied: `format`, the base (version
/// and content hash) against the held state, version order, times, the signed content hash
/// and the number of changes. Returns the signed content hash of the result.
pub(crate) fn check_delta_header(
    wire: &DeltaWire<'_>,
    held_version: u64,
    held_hash: &[u8; 32],
    keyset: &Keyset,
    policy: &Policy,
) -> Result<[u8; 32]> {
    const K: &str = "delta";
    if wire.format != FORMAT_VERSION {
        return Err(FormatError::malformed(K, "unsupported format version"));
    }
    let base_hash = parse_hash(K, &wire.base_content_hash)?;
    if wire.base_version != held_version || base_hash != *held_hash {
        return Err(FormatError::DeltaBaseMismatch {
            delta_base: wire.base_version,
            held: held_version,
        });
    }
    if wire.version <= wire.base_version {
        return Err(FormatError::Rollback {
            current: wire.base_version,
            offered: wire.version,
        });
    }
    check_times(
        K,
        wire.version,
        wire.created,
        wire.expires,
        keyset,
        policy,
        false,
    )?;
    let signed_hash = parse_hash(K, &wire.content_hash)?;
    if wire.upserts.len() + wire.tombstones.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many changes"));
    }
    Ok(signed_hash)
}

/// Verifies a delta envelope against the state `base` the client holds and applies it.
/// The result is accepted only if it hashes to the content hash the publishers signed.
pub fn verify_delta(
    bytes: &[u8],
    keyset: &Keyset,
    base: &VerifiedBundle,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    let mut verified = verify_delta_bytes(bytes, keyset, base, policy)?;
    verified.signed = bytes.to_vec();
    Ok(verified)
}

/// [`verify_delta`] taking the envelope by value (kept instead of a copy).
pub fn verify_delta_owned(
    bytes: Vec<u8>,
    keyset: &Keyset,
    base: &VerifiedBundle,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    let mut verified = verify_delta_bytes(&bytes, keyset, base, policy)?;
    verified.signed = bytes;
    Ok(verified)
}

/// Verifies and applies a delta; the caller attaches the signed bytes.
fn verify_delta_bytes(
    bytes: &[u8],
    keyset: &Keyset,
    base: &VerifiedBundle,
    policy: &Policy,
) -> Result<VerifiedBundle> {
    const K: &str = "delta";
    if crate::v2::is_v2(bytes) {
        return crate::v2::verify_delta(bytes, keyset, base, policy);
    }
    let env = Envelope::parse(bytes, PayloadType::Delta, MAX_DELTA_BYTES)?;
    keyset.verify_envelope(&env, keyset_time(policy))?;
    let wire: DeltaWire<'_> =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(K, e))?;
    let signed_hash = check_delta_header(&wire, base.version, &base.content_hash, keyset, policy)?;
    let mut state = held_minus_tombstones(base, &wire.tombstones)?;
    let mut upserted: Vec<String> = Vec::with_capacity(wire.upserts.len());
    for raw in &wire.upserts {
        let rec = parse_record(K, raw)?;
        if wire.tombstones.contains(&rec.id) || upserted.contains(&rec.id) {
            return Err(FormatError::record(&rec.id, "changed twice in one delta"));
        }
        upserted.push(rec.id.clone());
        state.insert(rec.id.clone(), rec);
    }
    if state.len() > MAX_RECORDS {
        return Err(FormatError::malformed(K, "too many records after applying"));
    }
    let records: Vec<VerifiedRecord> = state.into_values().collect();
    let computed =
        crate::held::content_hash_of_digests(records.iter().map(|r| (r.id.as_str(), &r.digest)));
    if computed != signed_hash {
        return Err(FormatError::ContentHashMismatch);
    }
    Ok(VerifiedBundle {
        version: wire.version,
        created: wire.created,
        expires: wire.expires,
        content_hash: signed_hash,
        records,
        signed: Vec::new(),
        via_delta: true,
        keyset_version: keyset.version,
    })
}

/// One downloadable file named by the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// For a delta, the base version; absent for the full bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<u64>,
    /// Version the file brings the client to.
    pub to: u64,
    /// Lowercase hex SHA-256 of the file's exact bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
}

/// The manifest: the current version and where to get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Wire format version.
    pub format: u32,
    /// Current bundle version.
    pub version: u64,
    /// When the manifest was signed, Unix seconds.
    pub created: i64,
    /// Until when it may be trusted as "current", Unix seconds (short: days).
    pub expires: i64,
    /// The full bundle (`GET /v1/bundles/{version}`).
    pub bundle: ManifestEntry,
    /// Available deltas (`GET /v1/deltas/{from}/{to}`), all ending at `version`.
    #[serde(default)]
    pub deltas: Vec<ManifestEntry>,
}

impl Manifest {
    /// The delta from `from`, if the manifest lists one.
    pub fn delta_from(&self, from: u64) -> Option<&ManifestEntry> {
        self.deltas.iter().find(|d| d.from == Some(from))
    }
}

/// A manifest that [`verify_manifest`] accepted. Like [`VerifiedBundle`] it has private
/// fields, no public constructor and no `Deserialize`: only verification makes one, so
/// code that takes it cannot be handed a manifest nobody verified. ([`Manifest`] stays the
/// wire form publishers build.)
///
/// ```compile_fail
/// # fn forge(m: waypoint_format::Manifest) {
/// let forged = waypoint_format::VerifiedManifest(m);
/// # }
/// ```
///
/// ```compile_fail
/// // Not deserialisable either.
/// let forged: waypoint_format::VerifiedManifest = serde_json::from_str("{}").unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedManifest(Manifest);

impl VerifiedManifest {
    /// Current bundle version.
    pub fn version(&self) -> u64 {
        self.0.version
    }

    /// When the manifest was signed, Unix seconds.
    pub fn created(&self) -> i64 {
        self.0.created
    }

    /// Until when it may be trusted as "current", Unix seconds.
    pub fn expires(&self) -> i64 {
        self.0.expires
    }

    /// The full bundle's entry.
    pub fn bundle(&self) -> &ManifestEntry {
        &self.0.bundle
    }

    /// The deltas listed, all ending at [`Self::version`].
    pub fn deltas(&self) -> &[ManifestEntry] {
        &self.0.deltas
    }

    /// The delta from `from`, if the manifest lists one.
    pub fn delta_from(&self, from: u64) -> Option<&ManifestEntry> {
        self.0.delta_from(from)
    }
}

/// Verifies a manifest envelope: size cap, signatures, structure, rollback, expiry.
pub fn verify_manifest(bytes: &[u8], keyset: &Keyset, policy: &Policy) -> Result<VerifiedManifest> {
    verify_manifest_format(bytes, keyset, policy, FORMAT_VERSION)
}

/// [`verify_manifest`] for the manifest of one wire format (1 at `/v1/`, 2 at `/v2/`).
pub(crate) fn verify_manifest_format(
    bytes: &[u8],
    keyset: &Keyset,
    policy: &Policy,
    format: u32,
) -> Result<VerifiedManifest> {
    const K: &str = "manifest";
    let env = Envelope::parse(bytes, PayloadType::Manifest, MAX_MANIFEST_BYTES)?;
    keyset.verify_envelope(&env, keyset_time(policy))?;
    let m: Manifest =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(K, e))?;
    if m.format != format {
        return Err(FormatError::malformed(K, "unsupported format version"));
    }
    check_times(K, m.version, m.created, m.expires, keyset, policy, false)?;
    if m.deltas.len() > MAX_MANIFEST_DELTAS {
        return Err(FormatError::malformed(K, "too many deltas"));
    }
    let entry_ok = |e: &ManifestEntry, cap: usize| {
        e.to == m.version && e.size <= cap as u64 && parse_hash(K, &e.sha256).is_ok()
    };
    if m.bundle.from.is_some() || !entry_ok(&m.bundle, MAX_BUNDLE_BYTES) {
        return Err(FormatError::malformed(K, "bundle entry is inconsistent"));
    }
    for d in &m.deltas {
        if d.from.is_none_or(|f| f >= m.version) || !entry_ok(d, MAX_DELTA_BYTES) {
            return Err(FormatError::malformed(K, "delta entry is inconsistent"));
        }
    }
    Ok(VerifiedManifest(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::{build_bundle, build_keyset, PublisherKey};

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn created_far_ahead_of_the_trusted_time_or_the_keyset_expiry_is_refused() {
        let k = PublisherKey::generate();
        let ks = build_keyset(1, NOW + 5 * 365 * 86_400, 1, vec![k.public_entry()]);
        let policy = Policy::update(NOW, None);
        let ten_years = NOW + 10 * 365 * 86_400;
        let b = build_bundle(1, ten_years, ten_years + 86_400, &[], &[&k]).expect("bundle");
        assert!(matches!(
            verify_bundle(&b, &ks, &policy),
            Err(FormatError::CreatedInFuture { .. })
        ));
        // Within the skew allowance: accepted.
        let ok = NOW + MAX_CREATED_AHEAD_S;
        let b = build_bundle(1, ok, ok + 86_400, &[], &[&k]).expect("bundle");
        assert!(verify_bundle(&b, &ks, &policy).is_ok());
        // Within the skew but after the keyset's expiry: refused.
        let short = build_keyset(1, NOW + 60, 1, vec![k.public_entry()]);
        let b = build_bundle(1, NOW + 120, NOW + 86_400, &[], &[&k]).expect("bundle");
        assert!(matches!(
            verify_bundle(&b, &short, &policy),
            Err(FormatError::CreatedInFuture { .. })
        ));
        // Stored data (re-verified with `allow_expired`) is not judged again.
        let stored = Policy {
            now: i64::MIN,
            current_version: None,
            allow_expired: true,
        };
        let b = build_bundle(1, ten_years, ten_years + 86_400, &[], &[&k]).expect("bundle");
        assert!(verify_bundle(&b, &ks, &stored).is_ok());
    }

    #[test]
    fn a_verified_state_carries_the_exact_signed_bytes_and_the_keyset_that_verified_them() {
        let k = PublisherKey::generate();
        let ks = build_keyset(3, NOW + 86_400, 1, vec![k.public_entry()]);
        let policy = Policy::update(NOW, None);
        let b1 = build_bundle(1, NOW, NOW + 3_600, &[], &[&k]).expect("bundle");
        let v1 = verify_bundle(&b1, &ks, &policy).expect("v1");
        assert_eq!(v1.signed_bytes(), b1.as_slice());
        assert!(!v1.via_delta());
        assert_eq!(v1.keyset_version(), 3);
        let owned = verify_bundle_owned(b1.clone(), &ks, &policy).expect("owned");
        assert_eq!(owned.signed_bytes(), b1.as_slice());
        let b2 = build_bundle(2, NOW, NOW + 3_600, &[], &[&k]).expect("bundle");
        let v2 = verify_bundle(&b2, &ks, &policy).expect("v2");
        let d = crate::publish::build_delta(&v1, &v2, &[&k]).expect("delta");
        let applied = verify_delta_owned(d.clone(), &ks, &v1, &policy).expect("delta");
        assert_eq!(applied, v2, "the same state");
        assert_eq!(
            applied.signed_bytes(),
            d.as_slice(),
            "carries the delta's bytes"
        );
        assert!(applied.via_delta());
    }
}
