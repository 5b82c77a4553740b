//! The keyset: the root of trust. It lists Ed25519 publisher keys, a signature threshold,
//! a version and an expiry. The app pins one keyset at build time; a newer keyset is
//! accepted only if it is the next version and is signed by a threshold of the old keys
//! AND a threshold of the new keys (so neither a stolen old quorum nor a fresh set of keys
//! alone can take over). Clients walk versions one by one.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::envelope::{Envelope, PayloadType};
use crate::error::{FormatError, Result};
use crate::limits::{MAX_FRESHNESS_KEYS, MAX_KEYS, MAX_KEYSET_BYTES};
use crate::FORMAT_VERSION;

/// Key id of a public key: lowercase hex of SHA-256 over its 32 raw bytes.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public.as_bytes()))
}

/// One publisher key as listed in a keyset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyEntry {
    /// Hex SHA-256 of the public key; must match `public`.
    pub keyid: String,
    /// Base64 of the 32-byte Ed25519 public key.
    pub public: String,
}

/// The keyset payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyset {
    /// Wire format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// Monotonic keyset version, starting at 1.
    pub version: u64,
    /// Expiry, Unix seconds.
    pub expires: i64,
    /// Distinct valid signatures required on anything this keyset vouches for.
    pub threshold: u32,
    /// Publisher keys.
    pub keys: Vec<PublicKeyEntry>,
    /// Online freshness keys: each may sign freshness statements ("version N is current
    /// until T") and nothing else; they never count towards the threshold for keysets,
    /// bundles, deltas or manifests, and must differ from every publisher key. Absent (and
    /// not serialised) in keysets made before freshness existed, whose bytes are unchanged:
    /// for such a keyset clients do not check freshness.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub freshness_keys: Vec<PublicKeyEntry>,
}

impl Keyset {
    /// Checks the keyset's own structure: format, threshold, unique well-formed keys whose
    /// ids match. Returns the decoded keys.
    pub fn decoded_keys(&self) -> Result<Vec<(String, VerifyingKey)>> {
        const K: &str = "keyset";
        if self.format != FORMAT_VERSION {
            return Err(FormatError::malformed(K, "unsupported format version"));
        }
        if self.version == 0 {
            return Err(FormatError::malformed(K, "version must be at least 1"));
        }
        if self.keys.is_empty() || self.keys.len() > MAX_KEYS {
            return Err(FormatError::malformed(K, "key count out of range"));
        }
        if self.threshold == 0 || self.threshold as usize > self.keys.len() {
            return Err(FormatError::malformed(K, "threshold out of range"));
        }
        decode_entries(&self.keys)
    }

    /// The online freshness keys, decoded and checked: at most
    /// [`MAX_FRESHNESS_KEYS`](crate::limits::MAX_FRESHNESS_KEYS), well formed, unique, and
    /// none of them a publisher key (a key in both roles could sign content). Empty for a
    /// keyset without freshness keys.
    pub fn decoded_freshness_keys(&self) -> Result<Vec<(String, VerifyingKey)>> {
        const K: &str = "keyset";
        if self.freshness_keys.len() > MAX_FRESHNESS_KEYS {
            return Err(FormatError::malformed(K, "too many freshness keys"));
        }
        let out = decode_entries(&self.freshness_keys)?;
        if out
            .iter()
            .any(|(id, _)| self.keys.iter().any(|p| p.keyid == *id))
        {
            return Err(FormatError::malformed(
                K,
                "a freshness key is also a publisher key",
            ));
        }
        Ok(out)
    }

    /// Verifies that `envelope` carries at least `threshold` distinct valid signatures from
    /// this keyset's keys (and nothing else), and that the keyset itself has not expired.
    pub fn verify_envelope(&self, envelope: &Envelope, now: i64) -> Result<()> {
        if now > self.expires {
            return Err(FormatError::Expired {
                expires: self.expires,
                now,
            });
        }
        let keys = self.decoded_keys()?;
        let valid = envelope.count_valid(&keys)?;
        if valid < self.threshold as usize {
            return Err(FormatError::TooFewSignatures {
                valid,
                threshold: self.threshold as usize,
            });
        }
        Ok(())
    }

    /// Canonical payload bytes of this keyset (what publishers sign).
    pub fn to_payload(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("keyset serialises")
    }
}

/// A keyset that verified: its threshold signed it (a root) or thresholds of the previous
/// keyset and of its own keys did (a rotation). It carries the exact envelope bytes, so
/// they can be stored and served again. Only [`verify_root_keyset`] and
/// [`verify_keyset_rotation`] make one; it reads as the [`Keyset`] it holds.
///
/// ```compile_fail
/// use waypoint_format::{Keyset, VerifiedKeyset};
/// fn forge(keyset: Keyset) -> VerifiedKeyset {
///     VerifiedKeyset { keyset, signed: Vec::new() }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedKeyset {
    keyset: Keyset,
    signed: Vec<u8>,
}

impl VerifiedKeyset {
    /// The keyset payload.
    pub fn keyset(&self) -> &Keyset {
        &self.keyset
    }

    /// The exact envelope bytes it was verified from.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }
}

impl std::ops::Deref for VerifiedKeyset {
    type Target = Keyset;

    fn deref(&self) -> &Keyset {
        &self.keyset
    }
}

fn parse_keyset(bytes: &[u8]) -> Result<(Envelope, Keyset)> {
    let env = Envelope::parse(bytes, PayloadType::Keyset, MAX_KEYSET_BYTES)?;
    let keyset: Keyset =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed("keyset", e))?;
    keyset.decoded_keys()?;
    keyset.decoded_freshness_keys()?;
    Ok((env, keyset))
}

fn decode_entries(entries: &[PublicKeyEntry]) -> Result<Vec<(String, VerifyingKey)>> {
    const K: &str = "keyset";
    let mut out: Vec<(String, VerifyingKey)> = Vec::with_capacity(entries.len());
    for entry in entries {
        let raw = B64
            .decode(entry.public.as_bytes())
            .map_err(|_| FormatError::malformed(K, "public key is not base64"))?;
        let raw: [u8; 32] = raw
            .try_into()
            .map_err(|_| FormatError::malformed(K, "public key is not 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&raw)
            .map_err(|_| FormatError::malformed(K, "public key is not a valid point"))?;
        if key.is_weak() {
            return Err(FormatError::malformed(K, "weak public key"));
        }
        let id = key_id(&key);
        if id != entry.keyid {
            return Err(FormatError::malformed(K, "key id does not match key"));
        }
        if out.iter().any(|(other, _)| *other == id) {
            return Err(FormatError::DuplicateKeyId(crate::envelope::short_id(&id)));
        }
        out.push((id, key));
    }
    Ok(out)
}

/// Verifies a root keyset (the one pinned in the app): it must be signed by a threshold of
/// its own keys and not be expired at `now` (Unix seconds).
pub fn verify_root_keyset(bytes: &[u8], now: i64) -> Result<VerifiedKeyset> {
    let (env, keyset) = parse_keyset(bytes)?;
    keyset.verify_envelope(&env, now)?;
    Ok(VerifiedKeyset {
        keyset,
        signed: bytes.to_vec(),
    })
}

/// Verifies a rotation from `current` to the keyset in `bytes`: it must be version
/// `current.version + 1`, unexpired, and signed by a threshold of `current`'s keys and a
/// threshold of its own keys. A signature by a key in neither set rejects it.
pub fn verify_keyset_rotation(current: &Keyset, bytes: &[u8], now: i64) -> Result<VerifiedKeyset> {
    let (env, next) = parse_keyset(bytes)?;
    if next.version != current.version.saturating_add(1) {
        return Err(if next.version <= current.version {
            FormatError::Rollback {
                current: current.version,
                offered: next.version,
            }
        } else {
            FormatError::KeysetVersion {
                current: current.version,
                offered: next.version,
            }
        });
    }
    if now > next.expires {
        return Err(FormatError::Expired {
            expires: next.expires,
            now,
        });
    }
    let old_keys = current.decoded_keys()?;
    let new_keys = next.decoded_keys()?;
    let mut union = old_keys.clone();
    for (id, k) in &new_keys {
        if !union.iter().any(|(o, _)| o == id) {
            union.push((id.clone(), *k));
        }
    }
    // Every signature must verify and come from a key in either set.
    env.count_valid(&union)?;
    let by = |keys: &[(String, VerifyingKey)]| {
        env.signatures
            .iter()
            .filter(|s| keys.iter().any(|(id, _)| *id == s.keyid))
            .count()
    };
    let old_valid = by(&old_keys);
    if old_valid < current.threshold as usize {
        return Err(FormatError::TooFewSignatures {
            valid: old_valid,
            threshold: current.threshold as usize,
        });
    }
    let new_valid = by(&new_keys);
    if new_valid < next.threshold as usize {
        return Err(FormatError::TooFewSignatures {
            valid: new_valid,
            threshold: next.threshold as usize,
        });
    }
    Ok(VerifiedKeyset {
        keyset: next,
        signed: bytes.to_vec(),
    })
}
