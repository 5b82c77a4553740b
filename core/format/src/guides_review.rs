//! What a publisher's own tool checks and shows before it signs a **guides** candidate.
//!
//! Same rule as [`crate::review`]: a publisher signs only what their own tool has verified
//! and shown. A guides candidate (`kind` = `guides`) holds the item `guides` (payload type
//! `waypoint.guides`) and, once that item has its threshold, `guides-manifest`
//! (`waypoint.guides-manifest`) naming the exact signed guides file. The tool:
//! 1. refuses any other item, any label that disagrees with its payload type, any payload
//!    whose SHA-256 is not the one the server states, and a candidate that is not open;
//! 2. checks the guides payload with the client's own rules
//!    ([`crate::guides::check_guides_payload`]), that its version is the candidate's and
//!    newer than the published guides (verified by the tool under the keyset chain it walked
//!    from its pinned keyset), and that it is neither expired nor dated ahead;
//! 3. shows **every guide in every language in full**, as plain text decoded from the bytes
//!    it will sign (never the server's labels, hashes or rendering), at both stages, since
//!    the manifest commits to that text too;
//! 4. for the manifest: checks that the signed guides envelope verifies under the keyset
//!    with its threshold and carries exactly the payload shown, and that the manifest names
//!    exactly those bytes (size and SHA-256) and the same version.

use std::fmt::Write as _;

use crate::bundle::Policy;
use crate::candidate::{payload_type_from, CandidateFile};
use crate::envelope::{Envelope, PayloadType};
use crate::guides::{
    check_guides_payload, plain_text, safe, verify_guides, verify_guides_manifest, VerifiedGuides,
    MAX_GUIDES_BYTES,
};
use crate::keyset::Keyset;
use crate::publish::{build_keyset, sign_envelope, PublisherKey};
use crate::review::{decode_candidate_items, Item, Published, Review, ReviewError};

fn refuse<T>(msg: impl Into<String>) -> Result<T, ReviewError> {
    Err(ReviewError(msg.into()))
}

/// The payload type an item of a guides candidate must carry, by its name.
pub fn guides_item_type(name: &str) -> Option<PayloadType> {
    match name {
        "guides" => Some(PayloadType::Guides),
        "guides-manifest" => Some(PayloadType::GuidesManifest),
        _ => None,
    }
}

/// Verifies the published guides (manifest and the file it names) under the newest keyset
/// of the chain the tool walked itself. `None` when nothing is published.
pub fn published_guides(
    published: &Published,
    manifest: Option<&[u8]>,
    file: Option<&[u8]>,
    now: i64,
) -> Result<Option<VerifiedGuides>, ReviewError> {
    let Some(manifest) = manifest else {
        return Ok(None);
    };
    let baseline = Policy {
        now,
        current_version: None,
        allow_expired: true,
    };
    let m = verify_guides_manifest(manifest, published.keyset(), &baseline)
        .map_err(|e| ReviewError(format!("published guides manifest: {e}")))?;
    let Some(file) = file else {
        return refuse("the published guides manifest names a file the server does not have");
    };
    if !m.names(file) {
        return refuse("the published guides file does not match the published guides manifest");
    }
    let g = verify_guides(file, published.keyset(), &baseline)
        .map_err(|e| ReviewError(format!("published guides: {e}")))?;
    if g.version() != m.version() {
        return refuse("the published guides' version differs from their manifest's");
    }
    Ok(Some(g))
}

fn decode(candidate: &CandidateFile) -> Result<Vec<Item>, ReviewError> {
    decode_candidate_items(
        candidate,
        |raw, shown| {
            let Some(expected) = guides_item_type(&raw.name) else {
                return refuse(format!(
                    "unknown item \"{shown}\" in a guides candidate; refusing the whole candidate"
                ));
            };
            if payload_type_from(&raw.payload_type) != Some(expected) {
                return refuse(format!(
                    "item {shown} is not labelled {}; refusing the whole candidate",
                    expected.as_str()
                ));
            }
            Ok(expected)
        },
        |_, expected, bytes| Envelope::parse(bytes, expected, MAX_GUIDES_BYTES).map(|e| e.payload),
    )
}

/// Reviews a guides candidate for the publisher holding `keyid`, against the published
/// state the tool verified itself (`published`, and `current` = the published guides, if
/// any). Refuses (and so signs nothing) on any inconsistency.
pub fn review_guides(
    candidate: &CandidateFile,
    published: &Published,
    current: Option<&VerifiedGuides>,
    keyid: &str,
    now: i64,
) -> Result<Review, ReviewError> {
    if candidate.kind != "guides" {
        return refuse("not a guides candidate");
    }
    if candidate.state != "open" {
        return refuse("the candidate is not open; nothing to sign");
    }
    let items = decode(candidate)?;
    let keyset: &Keyset = published.keyset();
    let Some(guides_item) = items.iter().find(|i| i.name == "guides") else {
        return refuse("a guides candidate without a guides item");
    };
    let g = check_guides_payload(&guides_item.payload)
        .map_err(|e| ReviewError(format!("guides item: {e}")))?;
    if g.version() != candidate.version {
        return refuse("the guides' version is not the candidate's version");
    }
    if let Some(cur) = current {
        if g.version() <= cur.version() {
            return refuse(format!(
                "guides version {} is not newer than the published version {}",
                g.version(),
                cur.version()
            ));
        }
    }
    if g.expires() <= now {
        return refuse("the guides have already expired");
    }
    if g.created() > now + 3600 {
        return refuse("the guides claim to be created in the future");
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Candidate {} (guides version {}; published: {}), checked against keyset version {} from your pinned keyset",
        candidate.candidate,
        g.version(),
        current.map_or("none".to_owned(), |c| c.version().to_string()),
        keyset.version
    );
    let _ = writeln!(
        text,
        "GUIDES version {}, created {}, expires {}, {} guide(s). Read every text below: this is exactly what phones will show.",
        g.version(),
        g.created(),
        g.expires(),
        g.guides().len()
    );
    text.push_str(&plain_text(&g));
    if let Some(env) = &guides_item.envelope {
        let policy = Policy::update(now, current.map(|c| c.version()));
        let signed = verify_guides(env, keyset, &policy)
            .map_err(|e| ReviewError(format!("signed guides: {e}")))?;
        if signed.guides() != g.guides() {
            return refuse("the signed guides differ from the guides shown");
        }
        let _ = writeln!(text, "GUIDES signed by the threshold (checked).");
    }
    if let Some(item) = items.iter().find(|i| i.name == "guides-manifest") {
        let Some(signed_guides) = &guides_item.envelope else {
            return refuse("the guides manifest is offered before the guides are signed");
        };
        // Structure and time rules, with a throwaway key standing in for the signatures.
        let scratch = PublisherKey::generate();
        let scratch_ks = build_keyset(1, i64::MAX, 1, vec![scratch.public_entry()]);
        let wrapped = sign_envelope(
            PayloadType::GuidesManifest,
            item.payload.clone(),
            &[&scratch],
        )
        .to_bytes();
        let m = verify_guides_manifest(&wrapped, &scratch_ks, &Policy::update(now, None))
            .map_err(|e| ReviewError(format!("guides manifest item: {e}")))?;
        if m.version() != g.version() {
            return refuse("the guides manifest names another version than the guides");
        }
        if !m.names(signed_guides) {
            return refuse(
                "the guides manifest does not name the signed guides that were verified",
            );
        }
        let _ = writeln!(
            text,
            "GUIDES MANIFEST version {}: names the signed guides file (sha256 {}, {} bytes), expires {}",
            m.version(),
            safe(m.entry().sha256.get(..16).unwrap_or_default()),
            m.entry().size,
            m.expires()
        );
    }
    if !keyset.keys.iter().any(|k| k.keyid == keyid) {
        return refuse("your key is not in the keyset that signs guides");
    }
    let to_sign: Vec<(String, PayloadType, Vec<u8>)> = items
        .iter()
        .filter(|i| i.envelope.is_none())
        .map(|i| (i.name.clone(), i.payload_type, i.payload.clone()))
        .collect();
    if to_sign.is_empty() {
        return refuse("nothing in this candidate left to sign");
    }
    let _ = writeln!(
        text,
        "To sign with key {}: {}",
        keyid.get(..16).unwrap_or(keyid),
        to_sign
            .iter()
            .map(|(n, _, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(Review::from_parts(candidate.candidate, text, to_sign))
}

#[cfg(test)]
mod tests;
