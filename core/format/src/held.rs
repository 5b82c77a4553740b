//! A delta verified against what a client holds, without the held records themselves.
//!
//! [`crate::verify_delta`] applies a delta to a whole [`crate::VerifiedBundle`]: the client
//! must first rebuild its held state from the stored signed bytes (parse, both signatures
//! over the full bundle, every record), which costs as much as verifying the full bundle
//! again. The content hash (§6 of docs/PROTOCOL.md) needs only each record's id and the
//! SHA-256 of its bytes, so a client that keeps those per record ([`HeldState`]) can check
//! a delta (§7: envelope, signatures, payload, base, order of the checks, the content hash
//! of the result) with work proportional to the change plus one pass over 36 bytes per
//! held record. The outcome, [`VerifiedDelta`], carries only the changes; the client
//! installs them on top of what it holds.
//!
//! Nothing in [`HeldState`] is trusted: a wrong digest (local damage or tampering) makes
//! the recomputed hash differ from the one the publishers signed, and the delta is refused
//! (`ContentHashMismatch`), exactly as a wrong base would be with [`crate::verify_delta`].

use std::collections::{BTreeMap, HashSet};

use sha2::{Digest, Sha256};

use crate::bundle::{check_delta_header, keyset_time, parse_record, DeltaWire, VerifiedRecord};
use crate::envelope::{Envelope, PayloadType};
use crate::error::{FormatError, Result};
use crate::keyset::Keyset;
use crate::limits::{MAX_DELTA_BYTES, MAX_RECORDS};
use crate::Policy;

/// What a client holds of a verified state: its version, the content hash it was verified
/// under, and each record's id with SHA-256 of its exact bytes ([`VerifiedRecord::digest`]).
/// The digests may come in any order; ids must be unique.
#[derive(Debug, Clone, Default)]
pub struct HeldState {
    /// Version held.
    pub version: u64,
    /// Content hash of the held set, as signed.
    pub content_hash: [u8; 32],
    /// `(id, SHA-256 of the record's bytes)` for every held record.
    pub digests: Vec<(String, [u8; 32])>,
}

/// The changes of a delta that verified against a [`HeldState`]: applying them to the held
/// set gives a set whose content hash the publishers signed.
///
/// Only [`verify_delta_held`] (and, for other wire formats, code in this crate) makes one.
///
/// ```compile_fail
/// let forged = waypoint_format::VerifiedDelta { version: 9 };
/// ```
#[derive(Debug, Clone)]
pub struct VerifiedDelta {
    base_version: u64,
    base_content_hash: [u8; 32],
    version: u64,
    created: i64,
    expires: i64,
    content_hash: [u8; 32],
    upserts: Vec<VerifiedRecord>,
    tombstones: Vec<String>,
    signed: Vec<u8>,
    keyset_version: u64,
    records_after: usize,
}

impl VerifiedDelta {
    /// Version the delta applies to.
    pub fn base_version(&self) -> u64 {
        self.base_version
    }

    /// Content hash of the state the delta applies to.
    pub fn base_content_hash(&self) -> &[u8; 32] {
        &self.base_content_hash
    }

    /// Version after applying.
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

    /// Content hash of the resulting set, as signed.
    pub fn content_hash(&self) -> &[u8; 32] {
        &self.content_hash
    }

    /// Records added or replaced, each validated, sorted by id (no id twice, none also
    /// tombstoned).
    pub fn upserts(&self) -> &[VerifiedRecord] {
        &self.upserts
    }

    /// Ids removed, each one held before, sorted.
    pub fn tombstones(&self) -> &[String] {
        &self.tombstones
    }

    /// The exact envelope bytes (stored after the base they apply to).
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// Version of the keyset whose threshold signed the envelope.
    pub fn keyset_version(&self) -> u64 {
        self.keyset_version
    }

    /// Number of records after applying.
    pub fn records_after(&self) -> usize {
        self.records_after
    }

    /// True if the resulting state expired at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        now > self.expires
    }

    /// Splits the delta for [`crate::VerifiedBundle::apply`].
    pub(crate) fn into_parts(self) -> (DeltaMeta, Vec<VerifiedRecord>, Vec<String>, Vec<u8>) {
        (
            DeltaMeta {
                version: self.version,
                created: self.created,
                expires: self.expires,
                content_hash: self.content_hash,
                keyset_version: self.keyset_version,
                records_after: self.records_after,
            },
            self.upserts,
            self.tombstones,
            self.signed,
        )
    }
}

/// What a verified delta says about the state it leads to.
pub(crate) struct DeltaMeta {
    pub version: u64,
    pub created: i64,
    pub expires: i64,
    pub content_hash: [u8; 32],
    pub keyset_version: u64,
    pub records_after: usize,
}

/// Content hash (§6) of a set given as `(id, SHA-256 of the record's bytes)` in ascending
/// byte order of id. The caller guarantees the order; [`crate::content_hash`] sorts.
pub fn content_hash_of_digests<'a>(
    sorted: impl IntoIterator<Item = (&'a str, &'a [u8; 32])>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"waypoint/1 content\n");
    for (id, digest) in sorted {
        h.update((id.len() as u32).to_be_bytes());
        h.update(id.as_bytes());
        h.update(digest);
    }
    h.finalize().into()
}

/// Verifies a delta envelope against what the client holds (§7) and returns its changes.
/// Same checks, same order and same errors as [`crate::verify_delta`] on the full held
/// state; the envelope is kept (by value, not copied).
pub fn verify_delta_held(
    bytes: Vec<u8>,
    keyset: &Keyset,
    held: &HeldState,
    policy: &Policy,
) -> Result<VerifiedDelta> {
    const K: &str = "delta";
    if crate::v2::is_v2(&bytes) {
        return crate::v2::verify_delta_held(bytes, keyset, held, policy);
    }
    let env = Envelope::parse(&bytes, PayloadType::Delta, MAX_DELTA_BYTES)?;
    keyset.verify_envelope(&env, keyset_time(policy))?;
    let wire: DeltaWire<'_> =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(K, e))?;
    let signed_hash = check_delta_header(&wire, held.version, &held.content_hash, keyset, policy)?;
    let upserts = wire.upserts.iter().map(|raw| parse_record(K, raw));
    apply_to_held(
        K,
        held,
        &wire.tombstones,
        upserts,
        Signed {
            version: wire.version,
            created: wire.created,
            expires: wire.expires,
            content_hash: signed_hash,
            keyset_version: keyset.version,
        },
        bytes,
    )
}

/// What a delta's signatures vouch for, whatever its wire format.
pub(crate) struct Signed {
    pub version: u64,
    pub created: i64,
    pub expires: i64,
    pub content_hash: [u8; 32],
    pub keyset_version: u64,
}

/// §7's application on the held digests, shared by both wire formats: tombstones first,
/// in order, each held; then the upserts in order, each validated as it is read (so the
/// first failure is the one §7 names); the resulting set must hash to the signed hash.
pub(crate) fn apply_to_held(
    kind: &'static str,
    held: &HeldState,
    tombstone_ids: &[String],
    upsert_records: impl IntoIterator<Item = Result<VerifiedRecord>>,
    signed: Signed,
    bytes: Vec<u8>,
) -> Result<VerifiedDelta> {
    let mut held_sorted: Vec<(&str, &[u8; 32])> = held
        .digests
        .iter()
        .map(|(id, d)| (id.as_str(), d))
        .collect();
    if !held_sorted
        .windows(2)
        .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
    {
        held_sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        if held_sorted.windows(2).any(|w| w[0].0 == w[1].0) {
            // Two digests for one id: not a set any signed hash can match.
            return Err(FormatError::ContentHashMismatch);
        }
    }
    let is_held = |id: &str| {
        held_sorted
            .binary_search_by(|p| p.0.as_bytes().cmp(id.as_bytes()))
            .is_ok()
    };

    // §7: tombstones first, in order, each held (and removed once).
    let mut removed: HashSet<&str> = HashSet::with_capacity(tombstone_ids.len());
    for id in tombstone_ids {
        if !is_held(id) || !removed.insert(id.as_str()) {
            return Err(FormatError::record(
                id,
                "tombstone for a record that does not exist",
            ));
        }
    }
    // Then the upserts, in order, each validated; an id changes once per delta.
    let mut upserts: Vec<VerifiedRecord> = Vec::new();
    let mut upserted: HashSet<String> = HashSet::new();
    let mut added = 0usize;
    for rec in upsert_records {
        let rec = rec?;
        if removed.contains(rec.id()) || upserted.contains(rec.id()) {
            return Err(FormatError::record(rec.id(), "changed twice in one delta"));
        }
        upserted.insert(rec.id().to_owned());
        if !is_held(rec.id()) {
            added += 1;
        }
        upserts.push(rec);
    }
    let records_after = held_sorted.len() - removed.len() + added;
    if records_after > MAX_RECORDS {
        return Err(FormatError::malformed(
            kind,
            "too many records after applying",
        ));
    }

    // The resulting set, in id byte order: the held digests with the changes merged in.
    upserts.sort_unstable_by(|a, b| a.id().as_bytes().cmp(b.id().as_bytes()));
    let digests: Vec<[u8; 32]> = upserts.iter().map(VerifiedRecord::digest).collect();
    let mut changes: BTreeMap<&str, Option<&[u8; 32]>> = BTreeMap::new();
    for id in &removed {
        changes.insert(id, None);
    }
    for (r, d) in upserts.iter().zip(&digests) {
        changes.insert(r.id(), Some(d));
    }
    let mut merged: Vec<(&str, &[u8; 32])> = Vec::with_capacity(records_after);
    let mut pending = changes.iter().peekable();
    for &(id, digest) in &held_sorted {
        // str order is byte order.
        while let Some((cid, change)) = pending.next_if(|(cid, _)| **cid < id) {
            if let Some(d) = change {
                merged.push((cid, d));
            }
        }
        match pending.next_if(|(cid, _)| **cid == id) {
            Some((_, Some(d))) => merged.push((id, d)),
            Some((_, None)) => {}
            None => merged.push((id, digest)),
        }
    }
    for (cid, change) in pending {
        if let Some(d) = change {
            merged.push((cid, d));
        }
    }
    if content_hash_of_digests(merged) != signed.content_hash {
        return Err(FormatError::ContentHashMismatch);
    }
    let mut tombstones: Vec<String> = tombstone_ids.to_vec();
    tombstones.sort_unstable();
    Ok(VerifiedDelta {
        base_version: held.version,
        base_content_hash: held.content_hash,
        version: signed.version,
        created: signed.created,
        expires: signed.expires,
        content_hash: signed.content_hash,
        upserts,
        tombstones,
        signed: bytes,
        keyset_version: signed.keyset_version,
        records_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::{build_bundle, build_delta, build_keyset, PublisherKey};
    use crate::{verify_bundle, verify_delta, VerifiedBundle};

    const NOW: i64 = 1_800_000_000;

    fn rec(id: &str, name: &str) -> crate::Record {
        serde_json::from_value(serde_json::json!({
            "id": id, "organization": {"en": "Org"}, "name": {"en": name},
            "categories": ["hotline"], "locations": [{"country": "US"}],
            "fees": {"free": true}, "last_verified": "2026-11-01", "source": "test"
        }))
        .expect("record")
    }

    fn held_of(b: &VerifiedBundle) -> HeldState {
        HeldState {
            version: b.version(),
            content_hash: *b.content_hash(),
            digests: b
                .records()
                .iter()
                .map(|r| (r.id().to_owned(), r.digest()))
                .collect(),
        }
    }

    #[test]
    fn a_delta_verified_on_digests_agrees_with_the_full_application() {
        let k = PublisherKey::generate();
        let ks = build_keyset(1, NOW + 86_400, 1, vec![k.public_entry()]);
        let policy = Policy::update(NOW, None);
        let v1: Vec<_> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|i| rec(i, i))
            .collect();
        let mut v2 = v1.clone();
        v2.remove(1); // tombstone b
        v2[0] = rec("a", "renamed"); // replace a
        v2.push(rec("0", "first")); // add before every id
        v2.push(rec("f", "last")); // add after every id
        let b1 = verify_bundle(
            &build_bundle(1, NOW, NOW + 3600, &v1, &[&k]).expect("b1"),
            &ks,
            &policy,
        )
        .expect("v1");
        let b2 = verify_bundle(
            &build_bundle(2, NOW, NOW + 3600, &v2, &[&k]).expect("b2"),
            &ks,
            &policy,
        )
        .expect("v2");
        let d = build_delta(&b1, &b2, &[&k]).expect("delta");
        let full = verify_delta(&d, &ks, &b1, &policy).expect("full");
        let mut held = held_of(&b1);
        held.digests.reverse(); // any order
        let v = verify_delta_held(d.clone(), &ks, &held, &policy).expect("held");
        assert_eq!(v.content_hash(), full.content_hash());
        assert_eq!(v.records_after(), full.records().len());
        assert_eq!(v.tombstones(), ["b"]);
        let up: Vec<&str> = v.upserts().iter().map(VerifiedRecord::id).collect();
        assert_eq!(up, ["0", "a", "f"]);
        assert_eq!(v.signed_bytes(), d.as_slice());
        // Applied to the held state, it is the state the full application gives.
        let applied = b1.clone().apply(v.clone()).expect("apply");
        assert_eq!(applied, full);
        assert_eq!(applied, b2);
        assert!(applied.via_delta());
        assert_eq!(applied.signed_bytes(), d.as_slice());
        // Not to another state.
        assert!(matches!(
            b2.clone().apply(v.clone()),
            Err(FormatError::DeltaBaseMismatch { .. })
        ));

        // One wrong held digest: the signed hash no longer matches.
        let mut bad = held_of(&b1);
        bad.digests[3].1[0] ^= 1;
        assert!(matches!(
            verify_delta_held(d.clone(), &ks, &bad, &policy),
            Err(FormatError::ContentHashMismatch)
        ));
        // A held record missing (the tombstone's): refused as §7 says.
        let mut missing = held_of(&b1);
        missing.digests.retain(|(id, _)| id != "b");
        assert!(matches!(
            verify_delta_held(d.clone(), &ks, &missing, &policy),
            Err(FormatError::InvalidRecord { .. })
        ));
        // Another held version or hash: the base does not match.
        let mut other = held_of(&b1);
        other.content_hash[0] ^= 1;
        assert!(matches!(
            verify_delta_held(d, &ks, &other, &policy),
            Err(FormatError::DeltaBaseMismatch { .. })
        ));
    }
}
