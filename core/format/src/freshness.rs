//! Freshness statements: "the manifest with payload hash H, naming version N, is current
//! until T", signed by an online freshness key listed in the keyset.
//!
//! A manifest is signed offline by the publishers' threshold and stays valid for its whole
//! expiry (days to months). Without more, a hostile server or network can keep answering
//! with an old, still-valid manifest (or `304 Not Modified`) and the phone reports "already
//! current" until that expiry. The statement closes the gap: the server re-signs it every
//! few hours with a key that can vouch for nothing else, and the phone checks it on every
//! sync (on a 304 too). When no valid statement for the held manifest can be had, the phone
//! reports the directory as stale since the last time it was vouched for.
//!
//! The freshness key can only make a client believe the data it holds is current for a
//! little longer; it cannot change content, sign a keyset, or make a client accept a
//! version the publishers did not sign. Keysets without freshness keys (every keyset made
//! before this statement existed) leave freshness unchecked.

use serde::{Deserialize, Serialize};

use crate::bundle::sha256_hex;
use crate::envelope::{Envelope, PayloadType};
use crate::error::{FormatError, Result};
use crate::keyset::Keyset;
use crate::limits::{
    MAX_CREATED_AHEAD_S, MAX_FRESHNESS_BYTES, MAX_FRESHNESS_LIFETIME_S, MAX_MANIFEST_BYTES,
};
use crate::FORMAT_VERSION;

/// The freshness statement payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    /// Wire format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// The bundle version the current manifest names.
    pub version: u64,
    /// Lowercase hex SHA-256 of the current manifest's signed payload bytes (not of the
    /// envelope, whose signatures and whitespace a server could vary).
    pub manifest_sha256: String,
    /// When the statement was signed, Unix seconds.
    pub created: i64,
    /// Until when the manifest may be taken as current, Unix seconds.
    pub expires: i64,
}

/// A freshness statement that [`verify_freshness`] accepted: private fields, no public
/// constructor, no `Deserialize` (like [`crate::VerifiedBundle`]). [`Freshness`] stays the
/// wire form the server builds.
///
/// ```compile_fail
/// # fn forge(f: waypoint_format::Freshness) {
/// let forged = waypoint_format::VerifiedFreshness(f);
/// # }
/// ```
///
/// ```compile_fail
/// // Not deserialisable either.
/// let forged: waypoint_format::VerifiedFreshness = serde_json::from_str("{}").unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedFreshness(Freshness);

impl VerifiedFreshness {
    /// The bundle version the vouched-for manifest names.
    pub fn version(&self) -> u64 {
        self.0.version
    }

    /// Lowercase hex SHA-256 of the vouched-for manifest's payload bytes.
    pub fn manifest_sha256(&self) -> &str {
        &self.0.manifest_sha256
    }

    /// When the statement was signed, Unix seconds.
    pub fn created(&self) -> i64 {
        self.0.created
    }

    /// Until when the manifest may be taken as current, Unix seconds.
    pub fn expires(&self) -> i64 {
        self.0.expires
    }
}

/// Lowercase hex SHA-256 of a manifest envelope's signed payload: what a freshness
/// statement names and what a client sends as `If-None-Match` (quoted). Two clients holding
/// the same published manifest compute the same value whatever bytes a server wrapped it in.
pub fn manifest_payload_sha256(manifest_envelope: &[u8]) -> Result<String> {
    let env = Envelope::parse(manifest_envelope, PayloadType::Manifest, MAX_MANIFEST_BYTES)?;
    Ok(sha256_hex(&env.payload))
}

/// Verifies a freshness statement at trusted time `now`: size cap, at least one valid
/// signature by a freshness key of `keyset` and no signature by any other key, structure,
/// lifetime (at most [`MAX_FRESHNESS_LIFETIME_S`]), `created` not ahead of `now` by more
/// than [`MAX_CREATED_AHEAD_S`], and not expired. The caller then compares `version` and
/// `manifest_sha256` with the manifest it holds.
pub fn verify_freshness(bytes: &[u8], keyset: &Keyset, now: i64) -> Result<VerifiedFreshness> {
    const K: &str = "freshness";
    let env = Envelope::parse(bytes, PayloadType::Freshness, MAX_FRESHNESS_BYTES)?;
    let keys = keyset.decoded_freshness_keys()?;
    if keys.is_empty() {
        return Err(FormatError::malformed(
            K,
            "the keyset lists no freshness key",
        ));
    }
    let valid = env.count_valid(&keys)?;
    if valid < 1 {
        return Err(FormatError::TooFewSignatures {
            valid,
            threshold: 1,
        });
    }
    let f: Freshness =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(K, e))?;
    if f.format != FORMAT_VERSION {
        return Err(FormatError::malformed(K, "unsupported format version"));
    }
    if f.version == 0 {
        return Err(FormatError::malformed(K, "version must be at least 1"));
    }
    if f.manifest_sha256.len() != 64
        || !f
            .manifest_sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(FormatError::malformed(
            K,
            "hash is not 64 lowercase hex digits",
        ));
    }
    if f.expires < f.created {
        return Err(FormatError::malformed(K, "expires before it was created"));
    }
    if f.expires - f.created > MAX_FRESHNESS_LIFETIME_S {
        return Err(FormatError::malformed(K, "lifetime is longer than allowed"));
    }
    let limit = now.saturating_add(MAX_CREATED_AHEAD_S);
    if f.created > limit {
        return Err(FormatError::CreatedInFuture {
            created: f.created,
            limit,
        });
    }
    if now > f.expires {
        return Err(FormatError::Expired {
            expires: f.expires,
            now,
        });
    }
    Ok(VerifiedFreshness(f))
}

/// Builds and signs a freshness statement (the server, with its online freshness key).
pub fn build_freshness(
    version: u64,
    manifest_sha256: &str,
    created: i64,
    expires: i64,
    key: &crate::publish::PublisherKey,
) -> Vec<u8> {
    let f = Freshness {
        format: FORMAT_VERSION,
        version,
        manifest_sha256: manifest_sha256.to_owned(),
        created,
        expires,
    };
    let payload = serde_json::to_vec(&f).expect("freshness serialises");
    crate::publish::sign_envelope(PayloadType::Freshness, payload, &[key]).to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::{build_keyset, sign_keyset, PublisherKey};

    const NOW: i64 = 1_800_000_000;
    const H: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    fn keyset(publisher: &PublisherKey, fresh: Option<&PublisherKey>) -> Keyset {
        let mut ks = build_keyset(1, NOW + 1_000_000, 1, vec![publisher.public_entry()]);
        ks.freshness_keys = fresh.map(|k| vec![k.public_entry()]).unwrap_or_default();
        ks
    }

    #[test]
    fn a_statement_by_the_freshness_key_verifies_until_it_expires() {
        let (p, f) = (PublisherKey::generate(), PublisherKey::generate());
        let ks = keyset(&p, Some(&f));
        let s = build_freshness(3, H, NOW, NOW + 3600, &f);
        let got = verify_freshness(&s, &ks, NOW + 10).expect("fresh");
        assert_eq!((got.version(), got.manifest_sha256()), (3, H));
        let err = verify_freshness(&s, &ks, NOW + 3601).expect_err("lapsed");
        assert!(matches!(err, FormatError::Expired { .. }), "{err}");
    }

    #[test]
    fn a_freshness_key_signs_nothing_else_and_publishers_sign_no_freshness() {
        let (p, f) = (PublisherKey::generate(), PublisherKey::generate());
        let ks = keyset(&p, Some(&f));
        // A publisher's signature on a statement is refused (unknown to the freshness role).
        let by_publisher = build_freshness(3, H, NOW, NOW + 3600, &p);
        assert!(matches!(
            verify_freshness(&by_publisher, &ks, NOW),
            Err(FormatError::UnknownKey(_))
        ));
        // The freshness key cannot sign a keyset, bundle or manifest: it is not in `keys`.
        let env = crate::publish::sign_envelope(PayloadType::Manifest, b"{}".to_vec(), &[&f]);
        assert!(matches!(
            ks.verify_envelope(&env, NOW),
            Err(FormatError::UnknownKey(_))
        ));
        // A keyset listing one key in both roles is malformed.
        let mut both = keyset(&p, Some(&p));
        both.freshness_keys = vec![p.public_entry()];
        let bytes = sign_keyset(&both, &[&p]);
        assert!(crate::verify_root_keyset(&bytes, NOW).is_err());
    }

    #[test]
    fn a_keyset_without_freshness_keys_keeps_its_old_bytes_and_checks_nothing() {
        let p = PublisherKey::generate();
        let ks = keyset(&p, None);
        let payload = String::from_utf8(ks.to_payload()).expect("utf8");
        assert!(!payload.contains("freshness"), "{payload}");
        let s = build_freshness(3, H, NOW, NOW + 3600, &p);
        assert!(verify_freshness(&s, &ks, NOW).is_err());
    }

    #[test]
    fn long_lived_future_dated_and_malformed_statements_are_refused() {
        let (p, f) = (PublisherKey::generate(), PublisherKey::generate());
        let ks = keyset(&p, Some(&f));
        let long = build_freshness(3, H, NOW, NOW + MAX_FRESHNESS_LIFETIME_S + 1, &f);
        assert!(verify_freshness(&long, &ks, NOW).is_err());
        let ahead = build_freshness(3, H, NOW + 2 * 86_400, NOW + 3 * 86_400, &f);
        assert!(matches!(
            verify_freshness(&ahead, &ks, NOW),
            Err(FormatError::CreatedInFuture { .. })
        ));
        let upper = build_freshness(3, &H.to_uppercase(), NOW, NOW + 60, &f);
        assert!(verify_freshness(&upper, &ks, NOW).is_err());
        let big = vec![b' '; MAX_FRESHNESS_BYTES + 1];
        assert!(matches!(
            verify_freshness(&big, &ks, NOW),
            Err(FormatError::Oversize { .. })
        ));
    }
}
