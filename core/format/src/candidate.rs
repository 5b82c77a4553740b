//! The candidate and signature files exchanged between the sync server and publishers.
//!
//! The server freezes what it wants signed into a [`CandidateFile`]; each publisher's own
//! tool (`waypoint-publish sign`, see [`crate::review`]) checks it and answers with a
//! [`SignatureFile`]. Both sides use these definitions, so they cannot drift apart. Nothing
//! in a candidate is trusted by the tool: labels, hashes and counts are the server's word
//! and are checked against the payloads themselves.

use serde::{Deserialize, Serialize};

use crate::envelope::PayloadType;

/// One payload to sign, as the server offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateItem {
    /// `keyset`, `bundle`, `delta:<from>` or `manifest`.
    pub name: String,
    /// Envelope payload type, part of what is signed (e.g. `waypoint.bundle`).
    pub payload_type: String,
    /// Base64 of the exact payload bytes.
    pub payload: String,
    /// Lowercase hex SHA-256 of the payload bytes, to compare out of band.
    pub sha256: String,
    /// Distinct valid signatures collected so far.
    pub signatures: usize,
    /// Base64 of the signed envelope (payload plus every collected signature) once the
    /// item has its threshold. The manifest names the SHA-256 of exactly these bytes, so a
    /// publisher's tool needs them to check the manifest before signing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<String>,
}

/// A candidate as downloaded by publishers (`GET /api/candidates/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateFile {
    /// Candidate id on the server.
    pub candidate: i64,
    /// `bundle` (a directory update), `keyset` (a rotation, with the published content
    /// re-signed under the new keyset) or `guides` (know-your-rights guides, items `guides`
    /// and `guides-manifest`; reviewed by [`crate::guides_review`]).
    pub kind: String,
    /// Version this candidate publishes (the bundle version, or the keyset version).
    pub version: u64,
    /// `open`, `published` or `superseded`.
    pub state: String,
    /// Signatures needed per item under the current keyset.
    pub threshold: u32,
    /// What to sign. The manifest item appears once bundle and deltas are fully signed,
    /// because it names the hashes of their signed files.
    pub items: Vec<CandidateItem>,
}

/// Signatures uploaded by one publisher (output of `waypoint-publish sign`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureFile {
    /// Candidate id.
    pub candidate: i64,
    /// One signature per item the publisher reviewed and signed.
    pub signatures: Vec<ItemSignature>,
}

/// A signature over one candidate item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSignature {
    /// Item name.
    pub item: String,
    /// Signer key id.
    pub keyid: String,
    /// Base64 Ed25519 signature.
    pub sig: String,
}

/// The payload type an item of this name must carry, or `None` for an unknown name.
/// The name is what the server claims; the payload type is what gets signed; the tool
/// refuses an item whose two disagree.
pub fn expected_payload_type(name: &str) -> Option<PayloadType> {
    match name {
        "keyset" => Some(PayloadType::Keyset),
        "bundle" | V2_BUNDLE => Some(PayloadType::Bundle),
        "manifest" | V2_MANIFEST => Some(PayloadType::Manifest),
        _ => delta_base(name)
            .or_else(|| v2_delta_base(name))
            .map(|_| PayloadType::Delta),
    }
}

/// Item name of the format 2 bundle (its payload is the canonical format 2 payload; the
/// signature is a format 2 signature, docs/PROTOCOL.md §19.5).
pub const V2_BUNDLE: &str = "bundle@2";
/// Item name of the `/v2/` manifest (a format 1 envelope whose payload says `format: 2`).
pub const V2_MANIFEST: &str = "manifest@2";

/// The item name of the format 2 delta from `from`.
pub fn v2_delta_name(from: u64) -> String {
    format!("delta@2:{from}")
}

/// The base version of an item named `delta@2:<from>`.
pub fn v2_delta_base(name: &str) -> Option<u64> {
    delta_base(&format!("delta:{}", name.strip_prefix("delta@2:")?))
}

/// True when the item's payload is a format 2 bundle or delta payload, signed with
/// [`crate::v2::sign`] rather than the format 1 signing input.
pub fn is_v2_content(name: &str) -> bool {
    name == V2_BUNDLE || v2_delta_base(name).is_some()
}

/// The base version of an item named `delta:<from>`.
pub fn delta_base(name: &str) -> Option<u64> {
    let from = name.strip_prefix("delta:")?;
    if from.is_empty() || !from.bytes().all(|b| b.is_ascii_digit()) || from.len() > 19 {
        return None;
    }
    from.parse().ok()
}

/// Parses a wire payload type name (`waypoint.bundle`, ...).
pub fn payload_type_from(s: &str) -> Option<PayloadType> {
    [
        PayloadType::Keyset,
        PayloadType::Bundle,
        PayloadType::Delta,
        PayloadType::Manifest,
        PayloadType::Guides,
        PayloadType::GuidesManifest,
    ]
    .into_iter()
    .find(|t| t.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_map_to_one_payload_type() {
        assert_eq!(expected_payload_type("bundle"), Some(PayloadType::Bundle));
        assert_eq!(expected_payload_type("keyset"), Some(PayloadType::Keyset));
        assert_eq!(expected_payload_type("delta:3"), Some(PayloadType::Delta));
        assert_eq!(
            expected_payload_type("manifest"),
            Some(PayloadType::Manifest)
        );
        assert_eq!(expected_payload_type("bundle@2"), Some(PayloadType::Bundle));
        assert_eq!(expected_payload_type("delta@2:3"), Some(PayloadType::Delta));
        assert_eq!(
            expected_payload_type("manifest@2"),
            Some(PayloadType::Manifest)
        );
        assert!(is_v2_content("delta@2:3") && is_v2_content("bundle@2"));
        assert!(!is_v2_content("manifest@2") && !is_v2_content("delta:3"));
        for bad in [
            "delta:",
            "delta:-1",
            "delta:+1",
            "bundle2",
            "",
            "delta:1x",
            "delta@2:",
            "delta@2:x",
            "bundle@3",
        ] {
            assert_eq!(expected_payload_type(bad), None, "{bad}");
        }
    }
}
