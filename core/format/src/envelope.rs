//! Signed envelopes: the payload travels as base64 of its exact bytes, and every signature
//! covers `"waypoint/1\n" || payload_type || "\n" || payload` (domain separation: a
//! signature on a manifest can never be replayed as a bundle, and the payload is never
//! re-serialised before verifying).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature as EdSignature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{FormatError, Result};
use crate::limits::MAX_SIGNATURES;

/// The kinds of signed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadType {
    /// A keyset (root of trust).
    Keyset,
    /// A full bundle.
    Bundle,
    /// A delta between two bundle versions.
    Delta,
    /// The manifest naming the current version.
    Manifest,
    /// A short-lived statement, signed by an online freshness key, that a manifest is
    /// still the current one (see [`crate::freshness`]).
    Freshness,
    /// Know-your-rights guides (see [`crate::guides`]).
    Guides,
    /// The manifest naming the current guides file.
    GuidesManifest,
}

impl PayloadType {
    /// The wire name (`payload_type` field and signature domain).
    pub fn as_str(self) -> &'static str {
        match self {
            PayloadType::Keyset => "waypoint.keyset",
            PayloadType::Bundle => "waypoint.bundle",
            PayloadType::Delta => "waypoint.delta",
            PayloadType::Manifest => "waypoint.manifest",
            PayloadType::Freshness => "waypoint.freshness",
            PayloadType::Guides => "waypoint.guides",
            PayloadType::GuidesManifest => "waypoint.guides-manifest",
        }
    }

    fn short(self) -> &'static str {
        match self {
            PayloadType::Keyset => "keyset",
            PayloadType::Bundle => "bundle",
            PayloadType::Delta => "delta",
            PayloadType::Manifest => "manifest",
            PayloadType::Freshness => "freshness",
            PayloadType::Guides => "guides",
            PayloadType::GuidesManifest => "guides manifest",
        }
    }
}

/// One signature: the signer's key id (hex SHA-256 of the 32-byte public key) and the
/// Ed25519 signature (base64, 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Hex SHA-256 of the signer's public key.
    pub keyid: String,
    /// Base64 of the 64-byte Ed25519 signature.
    pub sig: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    payload_type: String,
    payload: String,
    signatures: Vec<Signature>,
}

/// A parsed envelope: the exact payload bytes and the signatures over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Type of the payload.
    pub payload_type: PayloadType,
    /// The exact signed bytes (UTF-8 JSON).
    pub payload: Vec<u8>,
    /// Signatures, in the order they appeared.
    pub signatures: Vec<Signature>,
}

/// The bytes a signature covers.
pub fn signing_input(payload_type: PayloadType, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 32);
    out.extend_from_slice(b"waypoint/1\n");
    out.extend_from_slice(payload_type.as_str().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(payload);
    out
}

impl Envelope {
    /// Parses an envelope of the `expected` type, refusing input over `max` bytes before
    /// reading it.
    pub fn parse(bytes: &[u8], expected: PayloadType, max: usize) -> Result<Self> {
        let kind = expected.short();
        if bytes.len() > max {
            return Err(FormatError::Oversize {
                kind,
                len: bytes.len(),
                max,
            });
        }
        let wire: Wire =
            serde_json::from_slice(bytes).map_err(|e| FormatError::malformed(kind, e))?;
        if wire.payload_type != expected.as_str() {
            let mut found = wire.payload_type;
            found.truncate(40);
            return Err(FormatError::WrongPayloadType {
                expected: expected.as_str(),
                found,
            });
        }
        if wire.signatures.len() > MAX_SIGNATURES {
            return Err(FormatError::malformed(kind, "too many signatures"));
        }
        let payload = B64
            .decode(wire.payload.as_bytes())
            .map_err(|_| FormatError::malformed(kind, "payload is not base64"))?;
        Ok(Envelope {
            payload_type: expected,
            payload,
            signatures: wire.signatures,
        })
    }

    /// Serialises the envelope (deterministic: fixed field order, no whitespace).
    pub fn to_bytes(&self) -> Vec<u8> {
        let wire = Wire {
            payload_type: self.payload_type.as_str().to_owned(),
            payload: B64.encode(&self.payload),
            signatures: self.signatures.clone(),
        };
        serde_json::to_vec(&wire).expect("envelope serialises")
    }

    /// Counts distinct valid signatures by keys in `keys` (key id -> public key).
    ///
    /// Strict by design: a repeated key id, a key id not in `keys`, or a signature that
    /// does not verify rejects the whole envelope rather than being skipped, so a tampered
    /// or padded envelope never passes unnoticed.
    pub fn count_valid(&self, keys: &[(String, VerifyingKey)]) -> Result<usize> {
        count_valid_over(
            &signing_input(self.payload_type, &self.payload),
            &self.signatures,
            keys,
        )
    }
}

/// Counts the signatures `sigs` over the signing input `input` (format 1 or format 2: the
/// caller builds it in its own domain), each by a key in `keys`; strict as
/// [`Envelope::count_valid`] says.
pub(crate) fn count_valid_over(
    input: &[u8],
    sigs: &[Signature],
    keys: &[(String, VerifyingKey)],
) -> Result<usize> {
    let mut seen: Vec<&str> = Vec::with_capacity(sigs.len());
    for s in sigs {
        if seen.contains(&s.keyid.as_str()) {
            return Err(FormatError::DuplicateKeyId(short_id(&s.keyid)));
        }
        seen.push(&s.keyid);
        let key = keys
            .iter()
            .find(|(id, _)| *id == s.keyid)
            .map(|(_, k)| k)
            .ok_or_else(|| FormatError::UnknownKey(short_id(&s.keyid)))?;
        let raw = B64
            .decode(s.sig.as_bytes())
            .map_err(|_| FormatError::InvalidSignature(short_id(&s.keyid)))?;
        let sig = EdSignature::from_slice(&raw)
            .map_err(|_| FormatError::InvalidSignature(short_id(&s.keyid)))?;
        key.verify_strict(input, &sig)
            .map_err(|_| FormatError::InvalidSignature(short_id(&s.keyid)))?;
    }
    Ok(sigs.len())
}

/// First 16 characters of a key id, for error messages.
pub(crate) fn short_id(id: &str) -> String {
    id.chars().take(16).collect()
}
