//! What a publisher's own tool checks and shows before it signs anything.
//!
//! The rule: **a publisher signs only what their own tool has verified and shown.** The
//! sync server proposes a [`CandidateFile`]; nothing in it is taken on trust. This module
//! 1. verifies the currently published state itself ([`Published`]): the keyset chain from
//!    the publisher's *pinned* keyset, walking each rotation, and the published bundle (and
//!    the older bundles deltas start from) under that chain;
//! 2. checks every candidate item: the item's name, its payload type and the payload itself
//!    must agree (a "bundle" carrying a keyset is refused), a keyset is only reviewed in an
//!    explicit keyset mode, a delta must rebuild exactly the bundle's content from the
//!    verified base, a manifest must name exactly the signed bundle and delta files that
//!    were verified here;
//! 3. renders a human-readable review: records added, changed (field by field) and removed;
//!    for a keyset, old and new key ids, thresholds, versions and expiry;
//! 4. signs, with [`Review::sign`], only the items it reviewed and the key may sign.
//!
//! Format 2 (docs/PROTOCOL.md §19): the tool builds the format 2 bundle and delta payloads
//! itself from the bundle it verified and showed (and the verified published bases),
//! refuses a candidate whose format 2 items differ from what it built, and signs its own
//! bytes. The `/v2/` manifest is checked like the format 1 one, against the signed format
//! 2 files.
//!
//! Everything shown comes from the payload bytes that will be signed, never from the
//! server's labels. Text from records is escaped so it cannot move the cursor, hide lines
//! or reorder characters on the publisher's terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

use crate::bundle::{sha256_hex, verify_bundle, verify_delta, verify_manifest, VerifiedManifest};
use crate::bundle::{Policy, VerifiedBundle};
use crate::candidate::{
    delta_base, expected_payload_type, is_v2_content, payload_type_from, v2_delta_base,
    CandidateFile, CandidateItem, ItemSignature, SignatureFile, V2_BUNDLE, V2_MANIFEST,
};
use crate::envelope::{Envelope, PayloadType};
use crate::keyset::{verify_keyset_rotation, verify_root_keyset, Keyset, VerifiedKeyset};
use crate::limits::{MAX_BUNDLE_BYTES, MAX_KEYSET_BYTES};
use crate::publish::{build_keyset, sign_envelope, PublisherKey};

/// Why the tool refused to sign. One line, no personal data (directory data is public).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReviewError(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, ReviewError> {
    Err(ReviewError(msg.into()))
}

fn short(id: &str) -> &str {
    id.get(..16).unwrap_or(id)
}

/// Content may be expired when it serves as a baseline; it was signed, that is what counts.
fn baseline_policy(now: i64) -> Policy {
    Policy {
        now,
        current_version: None,
        allow_expired: true,
    }
}

/// The published state, verified by the publisher's own tool.
#[derive(Debug, Clone)]
pub struct Published {
    /// The pinned keyset followed by every rotation, each verified against the one before.
    pub keysets: Vec<VerifiedKeyset>,
    /// The newest published bundle, verified under the newest keyset (`None` before the
    /// first publication).
    pub bundle: Option<VerifiedBundle>,
    /// Older published bundles that deltas start from, by version, each verified under a
    /// keyset of the chain.
    pub bases: BTreeMap<u64, VerifiedBundle>,
}

impl Published {
    /// Verifies `pinned` (the publisher's own copy of the root keyset) and walks the given
    /// rotations (any order; versions at or below the pinned one are ignored, the rest must
    /// follow one another without gaps).
    pub fn from_keysets(
        pinned: &[u8],
        rotations: &[Vec<u8>],
        now: i64,
    ) -> Result<Self, ReviewError> {
        let root = verify_root_keyset(pinned, now)
            .map_err(|e| ReviewError(format!("pinned keyset: {e}")))?;
        let mut offered: Vec<(u64, &Vec<u8>)> = Vec::new();
        for bytes in rotations {
            let env = Envelope::parse(bytes, PayloadType::Keyset, MAX_KEYSET_BYTES)
                .map_err(|e| ReviewError(format!("published keyset: {e}")))?;
            let ks: Keyset = serde_json::from_slice(&env.payload)
                .map_err(|e| ReviewError(format!("published keyset: {e}")))?;
            if ks.version > root.version {
                offered.push((ks.version, bytes));
            }
        }
        offered.sort_by_key(|(v, _)| *v);
        let mut keysets = vec![root];
        for (version, bytes) in offered {
            let current = keysets.last().expect("chain starts with the root");
            if version != current.version + 1 {
                return refuse(format!(
                    "published keysets skip from version {} to {version}",
                    current.version
                ));
            }
            let next = verify_keyset_rotation(current, bytes, now).map_err(|e| {
                ReviewError(format!("published keyset version {version} rejected: {e}"))
            })?;
            keysets.push(next);
        }
        Ok(Published {
            keysets,
            bundle: None,
            bases: BTreeMap::new(),
        })
    }

    /// The newest verified keyset.
    pub fn keyset(&self) -> &Keyset {
        self.keysets.last().expect("chain is never empty")
    }

    /// Verifies the published manifest under the newest keyset and returns the version and
    /// file hash of the bundle it names (to fetch and pass to [`Self::set_bundle`]).
    pub fn check_manifest(&self, bytes: &[u8], now: i64) -> Result<VerifiedManifest, ReviewError> {
        verify_manifest(bytes, self.keyset(), &baseline_policy(now))
            .map_err(|e| ReviewError(format!("published manifest: {e}")))
    }

    /// Verifies and records the newest published bundle (threshold of the newest keyset).
    pub fn set_bundle(&mut self, bytes: &[u8], now: i64) -> Result<(), ReviewError> {
        let b = verify_bundle(bytes, self.keyset(), &baseline_policy(now))
            .map_err(|e| ReviewError(format!("published bundle: {e}")))?;
        self.bundle = Some(b);
        Ok(())
    }

    /// Verifies and records an older published bundle that a delta starts from. It must
    /// verify under one of the keysets of the verified chain.
    pub fn add_base(&mut self, bytes: &[u8], now: i64) -> Result<u64, ReviewError> {
        let mut last = None;
        for ks in self.keysets.iter().rev() {
            match verify_bundle(bytes, ks, &baseline_policy(now)) {
                Ok(b) => {
                    let v = b.version();
                    self.bases.insert(v, b);
                    return Ok(v);
                }
                Err(e) => last = Some(e),
            }
        }
        refuse(format!(
            "delta base bundle: {}",
            last.map(|e| e.to_string()).unwrap_or_default()
        ))
    }

    fn base(&self, version: u64) -> Option<&VerifiedBundle> {
        self.bundle
            .as_ref()
            .filter(|b| b.version() == version)
            .or_else(|| self.bases.get(&version))
    }
}

/// What the publisher asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// Review (and sign) a keyset rotation. Without it, any candidate touching the keyset
    /// is refused; with it, a plain directory update is refused, so the choice is explicit.
    pub keyset: bool,
}

/// One candidate item, decoded and checked against its label.
pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) payload_type: PayloadType,
    pub(crate) payload: Vec<u8>,
    /// The signed envelope bytes, present once the item has its threshold.
    pub(crate) envelope: Option<Vec<u8>>,
}

/// The outcome of a review: the text to show and the items the key will sign.
#[derive(Debug, Clone)]
pub struct Review {
    candidate: i64,
    /// The human-readable review, one finding per line.
    pub text: String,
    /// Name, payload type, payload, and whether it is a format 2 payload.
    to_sign: Vec<(String, PayloadType, Vec<u8>, bool)>,
}

impl Review {
    /// A review of another kind of candidate (guides: [`crate::guides_review`]).
    pub(crate) fn from_parts(
        candidate: i64,
        text: String,
        to_sign: Vec<(String, PayloadType, Vec<u8>)>,
    ) -> Self {
        Review {
            candidate,
            text,
            // Guides are signed in format 1's envelope only (docs/PROTOCOL.md §18).
            to_sign: to_sign
                .into_iter()
                .map(|(name, t, payload)| (name, t, payload, false))
                .collect(),
        }
    }

    /// Names of the items that [`Self::sign`] will sign.
    pub fn items(&self) -> Vec<&str> {
        self.to_sign.iter().map(|(n, _, _, _)| n.as_str()).collect()
    }

    /// Signs exactly the reviewed payloads.
    pub fn sign(&self, key: &PublisherKey) -> SignatureFile {
        SignatureFile {
            candidate: self.candidate,
            signatures: self
                .to_sign
                .iter()
                .map(|(name, t, payload, v2)| {
                    let s = if *v2 {
                        crate::v2::sign(key, *t, payload)
                    } else {
                        key.sign(*t, payload)
                    };
                    ItemSignature {
                        item: name.clone(),
                        keyid: s.keyid,
                        sig: s.sig,
                    }
                })
                .collect(),
        }
    }
}

/// Structural checks without signatures: the payload is wrapped in an envelope signed by a
/// throwaway key and verified with the crate's own verifiers, so the tool applies exactly
/// the rules a phone applies (record validation, content hash, caps) and no second copy of
/// them can drift. The throwaway key never signs anything that leaves this function.
struct Scratch {
    key: PublisherKey,
    keyset: Keyset,
}

impl Scratch {
    fn new() -> Self {
        let key = PublisherKey::generate();
        let keyset = build_keyset(1, i64::MAX, 1, vec![key.public_entry()]);
        Scratch { key, keyset }
    }

    fn wrap(&self, t: PayloadType, payload: &[u8]) -> Vec<u8> {
        sign_envelope(t, payload.to_vec(), &[&self.key]).to_bytes()
    }
}

fn decode_items(candidate: &CandidateFile) -> Result<Vec<Item>, ReviewError> {
    decode_candidate_items(
        candidate,
        |raw, shown| {
            let Some(expected) = expected_payload_type(&raw.name) else {
                return refuse(format!(
                    "unknown item \"{shown}\"; refusing the whole candidate"
                ));
            };
            let Some(claimed) = payload_type_from(&raw.payload_type) else {
                return refuse(format!("item {shown} has an unknown payload type"));
            };
            if claimed != expected {
                return refuse(format!(
                    "item {shown} is labelled {} but carries a {} payload; refusing the whole candidate",
                    expected.as_str(),
                    claimed.as_str()
                ));
            }
            Ok(expected)
        },
        |name, expected, bytes| {
            if is_v2_content(name) {
                crate::v2::open(bytes, expected).map(|o| o.payload)
            } else {
                Envelope::parse(bytes, expected, MAX_BUNDLE_BYTES).map(|e| e.payload)
            }
        },
    )
}

/// Decodes a candidate's items, for the directory review and the guides review alike:
/// `classify` gives an item's payload type or refuses it (by its name and label), and
/// `open` returns the payload a signed item's envelope carries (under the item's own
/// format and size limit). Every item must be named once, its payload must match its
/// sha256, and a signed envelope must carry exactly that payload.
pub(crate) fn decode_candidate_items(
    candidate: &CandidateFile,
    classify: impl Fn(&CandidateItem, &str) -> Result<PayloadType, ReviewError>,
    open: impl Fn(&str, PayloadType, &[u8]) -> crate::error::Result<Vec<u8>>,
) -> Result<Vec<Item>, ReviewError> {
    let mut items: Vec<Item> = Vec::new();
    for raw in &candidate.items {
        let name = &raw.name;
        let shown: String = name.chars().take(32).flat_map(char::escape_debug).collect();
        let expected = classify(raw, &shown)?;
        if items.iter().any(|i| i.name == *name) {
            return refuse(format!("item {shown} appears twice"));
        }
        let payload = B64
            .decode(raw.payload.as_bytes())
            .map_err(|_| ReviewError(format!("item {shown} is not base64")))?;
        if sha256_hex(&payload) != raw.sha256 {
            return refuse(format!("item {shown} does not match its sha256"));
        }
        let envelope = match &raw.envelope {
            None => None,
            Some(e) => {
                let bytes = B64
                    .decode(e.as_bytes())
                    .map_err(|_| ReviewError(format!("signed {shown} is not base64")))?;
                let signed_payload = open(name, expected, &bytes)
                    .map_err(|e| ReviewError(format!("signed {shown}: {e}")))?;
                if signed_payload != payload {
                    return refuse(format!(
                        "signed {shown} carries a different payload than the item"
                    ));
                }
                Some(bytes)
            }
        };
        items.push(Item {
            name: name.clone(),
            payload_type: expected,
            payload,
            envelope,
        });
    }
    Ok(items)
}

/// Escapes what could hide or reorder text on a terminal: control characters, bidi
/// overrides and isolates, zero-width characters.
fn display_safe(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let hidden = c.is_control()
                || matches!(c as u32,
                    0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF);
            if hidden {
                format!("\\u{{{:04x}}}", c as u32)
                    .chars()
                    .collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, child, out);
            }
        }
        serde_json::Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), child, out);
            }
        }
        leaf => {
            out.insert(prefix.to_owned(), display_safe(&leaf.to_string()));
        }
    }
}

fn fields(raw: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) {
        flatten("", &v, &mut out);
    }
    out
}

/// Records added, changed (field by field) and removed between `old` and `new`.
pub fn record_changes(old: Option<&VerifiedBundle>, new: &VerifiedBundle) -> String {
    let old_map: BTreeMap<&str, &str> = old
        .map(|b| b.records().iter().map(|r| (r.id(), r.raw())).collect())
        .unwrap_or_default();
    let new_map: BTreeMap<&str, &str> = new.records().iter().map(|r| (r.id(), r.raw())).collect();
    let mut out = String::new();
    let (mut added, mut changed, mut removed) = (0, 0, 0);
    for (id, raw) in &new_map {
        match old_map.get(id) {
            None => {
                added += 1;
                let _ = writeln!(out, "  + ADDED record {}", display_safe(id));
                for (field, value) in fields(raw) {
                    let _ = writeln!(out, "      {field} = {value}");
                }
            }
            Some(before) if before != raw => {
                changed += 1;
                let _ = writeln!(out, "  ~ CHANGED record {}", display_safe(id));
                let (a, b) = (fields(before), fields(raw));
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for k in keys {
                    match (a.get(k), b.get(k)) {
                        (Some(x), Some(y)) if x == y => {}
                        (Some(x), Some(y)) => {
                            let _ = writeln!(out, "      {k}: {x} -> {y}");
                        }
                        (Some(x), None) => {
                            let _ = writeln!(out, "      {k}: {x} -> (removed)");
                        }
                        (None, Some(y)) => {
                            let _ = writeln!(out, "      {k}: (none) -> {y}");
                        }
                        (None, None) => {}
                    }
                }
            }
            Some(_) => {}
        }
    }
    for id in old_map.keys() {
        if !new_map.contains_key(id) {
            removed += 1;
            let _ = writeln!(out, "  - REMOVED record {}", display_safe(id));
        }
    }
    let mut head = format!(
        "records: {added} added, {changed} changed, {removed} removed, {} unchanged\n",
        new_map.len() - added - changed
    );
    head.push_str(&out);
    head
}

fn keyset_changes(old: &Keyset, new: &Keyset) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "KEYSET ROTATION: version {} -> {}",
        old.version, new.version
    );
    let _ = writeln!(
        out,
        "  threshold: {} of {} -> {} of {}",
        old.threshold,
        old.keys.len(),
        new.threshold,
        new.keys.len()
    );
    let _ = writeln!(
        out,
        "  expires: {} -> {}",
        when(old.expires),
        when(new.expires)
    );
    if new.threshold < old.threshold {
        let _ = writeln!(out, "  ! WARNING: the threshold goes DOWN");
    }
    if new.threshold == 1 {
        let _ = writeln!(out, "  ! WARNING: a single key will be able to sign alone");
    }
    let old_ids: BTreeSet<&str> = old.keys.iter().map(|k| k.keyid.as_str()).collect();
    let new_ids: BTreeSet<&str> = new.keys.iter().map(|k| k.keyid.as_str()).collect();
    for id in old_ids.intersection(&new_ids) {
        let _ = writeln!(out, "  = key kept    {id}");
    }
    for id in new_ids.difference(&old_ids) {
        let _ = writeln!(out, "  + key ADDED   {id}");
    }
    for id in old_ids.difference(&new_ids) {
        let _ = writeln!(out, "  - key REMOVED {id}");
    }
    // Freshness keys can only vouch that the served manifest is current, never for content,
    // but a publisher still signs only what they were shown: every change is listed.
    let old_fresh: BTreeSet<&str> = old
        .freshness_keys
        .iter()
        .map(|k| k.keyid.as_str())
        .collect();
    let new_fresh: BTreeSet<&str> = new
        .freshness_keys
        .iter()
        .map(|k| k.keyid.as_str())
        .collect();
    let _ = writeln!(
        out,
        "  freshness keys (vouch only that the manifest is current): {} -> {}",
        old_fresh.len(),
        new_fresh.len()
    );
    for id in old_fresh.intersection(&new_fresh) {
        let _ = writeln!(out, "  = freshness key kept    {id}");
    }
    for id in new_fresh.difference(&old_fresh) {
        let _ = writeln!(out, "  + freshness key ADDED   {id}");
    }
    for id in old_fresh.difference(&new_fresh) {
        let _ = writeln!(out, "  - freshness key REMOVED {id}");
    }
    out
}

/// `secs` as `SECS (YYYY-MM-DD HH:MM UTC)`, so a reviewer sees dates, not just numbers.
fn when(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian, 400-year eras).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{secs} ({year:04}-{month:02}-{day:02} {:02}:{:02} UTC)",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn holds(keyset: &Keyset, keyid: &str) -> bool {
    keyset.keys.iter().any(|k| k.keyid == keyid)
}

/// Reviews `candidate` against the verified `published` state for the publisher holding
/// `keyid`. Refuses (and so signs nothing) on any inconsistency.
pub fn review(
    candidate: &CandidateFile,
    published: &Published,
    keyid: &str,
    mode: Mode,
    now: i64,
) -> Result<Review, ReviewError> {
    if candidate.state != "open" {
        return refuse("the candidate is not open; nothing to sign");
    }
    let items = decode_items(candidate)?;
    let find = |n: &str| items.iter().find(|i| i.name == n);
    let current = published.keyset();
    let mut text = String::new();
    let _ =
        writeln!(
        text,
        "Candidate {} ({} version {}), checked against keyset version {} from your pinned keyset",
        candidate.candidate,
        if candidate.kind == "keyset" { "keyset" } else { "bundle" },
        candidate.version,
        current.version
    );

    // Which keyset the content must be signed under.
    let content_keyset: Keyset = match (candidate.kind.as_str(), find("keyset")) {
        ("bundle", None) => {
            if mode.keyset {
                return refuse("--keyset given, but this candidate is a directory update");
            }
            current.clone()
        }
        ("bundle", Some(_)) => {
            return refuse(
                "a directory update that carries a keyset item; refusing the whole candidate",
            )
        }
        ("keyset", Some(item)) => {
            if !mode.keyset {
                return refuse(
                    "this candidate changes the keyset (the root of trust); review it with --keyset",
                );
            }
            let scratch_check: Keyset = serde_json::from_slice(&item.payload)
                .map_err(|e| ReviewError(format!("keyset item: {e}")))?;
            scratch_check
                .decoded_keys()
                .map_err(|e| ReviewError(format!("keyset item: {e}")))?;
            let next = scratch_check;
            if next.version != current.version + 1 || candidate.version != next.version {
                return refuse(format!(
                    "keyset item is version {} but the next keyset must be version {}",
                    next.version,
                    current.version + 1
                ));
            }
            if next.expires <= now {
                return refuse("the proposed keyset has already expired");
            }
            if let Some(env) = &item.envelope {
                verify_keyset_rotation(current, env, now)
                    .map_err(|e| ReviewError(format!("signed keyset: {e}")))?;
            }
            text.push_str(&keyset_changes(current, &next));
            next
        }
        ("keyset", None) => return refuse("a keyset candidate without a keyset item"),
        _ => return refuse("unknown candidate kind"),
    };

    let scratch = Scratch::new();
    let policy = baseline_policy(now);

    // The bundle: what phones will show.
    let bundle = match find("bundle") {
        None => None,
        Some(item) => {
            let b = verify_bundle(
                &scratch.wrap(PayloadType::Bundle, &item.payload),
                &scratch.keyset,
                &policy,
            )
            .map_err(|e| ReviewError(format!("bundle item: {e}")))?;
            if let Some(old) = &published.bundle {
                if b.version() <= old.version() {
                    return refuse(format!(
                        "bundle version {} is not newer than the published version {}",
                        b.version(),
                        old.version()
                    ));
                }
            }
            if candidate.kind == "keyset"
                && published.bundle.as_ref().map(|p| p.content_hash()) != Some(b.content_hash())
            {
                // A rotation re-signs what is published; it never changes the directory.
                return refuse(
                    "a keyset rotation whose bundle is not exactly the published directory",
                );
            }
            if candidate.kind == "bundle" && b.version() != candidate.version {
                return refuse("the bundle's version is not the candidate's version");
            }
            if b.expires() <= now {
                return refuse("the bundle has already expired");
            }
            if b.created() > now + 3600 {
                return refuse("the bundle claims to be created in the future");
            }
            if let Some(env) = &item.envelope {
                let env = Envelope::parse(env, PayloadType::Bundle, MAX_BUNDLE_BYTES)
                    .map_err(|e| ReviewError(format!("signed bundle: {e}")))?;
                content_keyset
                    .verify_envelope(&env, now)
                    .map_err(|e| ReviewError(format!("signed bundle: {e}")))?;
            }
            let _ = writeln!(
                text,
                "BUNDLE version {} (published: {}), created {}, expires {}, {} records, content hash {}",
                b.version(),
                published
                    .bundle
                    .as_ref()
                    .map_or("none".to_owned(), |p| p.version().to_string()),
                when(b.created()),
                when(b.expires()),
                b.records().len(),
                hex::encode(b.content_hash())
            );
            text.push_str(&record_changes(published.bundle.as_ref(), &b));
            Some(b)
        }
    };
    if candidate.kind == "bundle" && bundle.is_none() {
        return refuse("a directory update without a bundle item");
    }

    // Deltas: each must rebuild exactly the bundle above from a verified published base.
    let mut deltas: BTreeMap<u64, &Item> = BTreeMap::new();
    // (Format 2 deltas, `delta@2:<n>`, are checked below.)
    for (item, from) in items
        .iter()
        .filter_map(|i| delta_base(&i.name).map(|from| (i, from)))
    {
        let Some(target) = &bundle else {
            return refuse("a delta without the bundle it must produce");
        };
        let Some(base) = published.base(from) else {
            return refuse(format!(
                "delta from version {from}: its base is not a verified published bundle here"
            ));
        };
        let got = verify_delta(
            &scratch.wrap(PayloadType::Delta, &item.payload),
            &scratch.keyset,
            base,
            &policy,
        )
        .map_err(|e| ReviewError(format!("delta from version {from}: {e}")))?;
        let same = got.content_hash() == target.content_hash()
            && got.version() == target.version()
            && got.created() == target.created()
            && got.expires() == target.expires()
            && got.records().len() == target.records().len()
            && got
                .records()
                .iter()
                .zip(target.records())
                .all(|(a, b)| a.id() == b.id() && a.raw() == b.raw());
        if !same {
            return refuse(format!(
                "delta from version {from} does not produce the bundle; refusing the whole candidate"
            ));
        }
        if let Some(env) = &item.envelope {
            let env = Envelope::parse(env, PayloadType::Delta, MAX_BUNDLE_BYTES)
                .map_err(|e| ReviewError(format!("signed delta: {e}")))?;
            content_keyset
                .verify_envelope(&env, now)
                .map_err(|e| ReviewError(format!("signed delta from {from}: {e}")))?;
        }
        let _ = writeln!(
            text,
            "DELTA from version {from}: produces exactly the bundle above (checked)"
        );
        deltas.insert(from, item);
    }

    // Format 2: rebuilt here from the bundle shown above and the verified bases; the
    // server's bytes are only compared with ours, and ours are what gets signed.
    let mut v2_deltas: BTreeMap<u64, &Item> = BTreeMap::new();
    if let Some(item) = find(V2_BUNDLE) {
        let Some(target) = &bundle else {
            return refuse("a format 2 bundle without the bundle it must carry");
        };
        let own = crate::v2::bundle_payload_of(target)
            .map_err(|e| ReviewError(format!("format 2 bundle: {e}")))?;
        if own != item.payload {
            return refuse(
                "the format 2 bundle offered is not the bundle shown above; refusing the whole candidate",
            );
        }
        if let Some(file) = &item.envelope {
            let got = verify_bundle(file, &content_keyset, &policy)
                .map_err(|e| ReviewError(format!("signed format 2 bundle: {e}")))?;
            if got != *target {
                return refuse("the signed format 2 bundle is not the bundle shown above");
            }
        }
        let _ = writeln!(
            text,
            "BUNDLE (format 2): the same records, encoded by this tool ({} bytes before compression)",
            own.len()
        );
    }
    for item in items.iter().filter(|i| v2_delta_base(&i.name).is_some()) {
        let from = v2_delta_base(&item.name).expect("filtered");
        let (Some(target), Some(base)) = (&bundle, published.base(from)) else {
            return refuse(format!(
                "format 2 delta from version {from}: no verified bundle or base to build it from"
            ));
        };
        if find(V2_BUNDLE).is_none() {
            return refuse("a format 2 delta without the format 2 bundle");
        }
        let own = crate::v2::delta_payload_of(base, target)
            .map_err(|e| ReviewError(format!("format 2 delta from version {from}: {e}")))?;
        if own != item.payload {
            return refuse(format!(
                "the format 2 delta from version {from} is not the change shown above; refusing the whole candidate"
            ));
        }
        if let Some(file) = &item.envelope {
            let got = verify_delta(file, &content_keyset, base, &policy)
                .map_err(|e| ReviewError(format!("signed format 2 delta from {from}: {e}")))?;
            if got != *target {
                return refuse(format!(
                    "the signed format 2 delta from version {from} does not produce the bundle"
                ));
            }
        }
        let _ = writeln!(
            text,
            "DELTA (format 2) from version {from}: encoded by this tool, produces exactly the bundle above"
        );
        v2_deltas.insert(from, item);
    }
    if let Some(item) = find(V2_MANIFEST) {
        let Some(target) = &bundle else {
            return refuse("a format 2 manifest without a bundle");
        };
        let m = crate::v2::verify_manifest(
            &scratch.wrap(PayloadType::Manifest, &item.payload),
            &scratch.keyset,
            &policy,
        )
        .map_err(|e| ReviewError(format!("format 2 manifest item: {e}")))?;
        if m.version() != target.version() || m.expires() <= now {
            return refuse("the format 2 manifest names another version or has expired");
        }
        let Some(signed_bundle) = find(V2_BUNDLE).and_then(|i| i.envelope.as_ref()) else {
            return refuse("the format 2 manifest is offered before the format 2 bundle is signed");
        };
        if m.bundle().sha256 != sha256_hex(signed_bundle)
            || m.bundle().size != signed_bundle.len() as u64
        {
            return refuse("the format 2 manifest does not name the signed format 2 bundle");
        }
        let named: BTreeSet<u64> = m.deltas().iter().filter_map(|d| d.from).collect();
        if named.len() != m.deltas().len() || named != v2_deltas.keys().copied().collect() {
            return refuse(
                "the format 2 manifest does not name exactly the format 2 deltas verified",
            );
        }
        for d in m.deltas() {
            let from = d.from.expect("collected above");
            let Some(signed) = v2_deltas[&from].envelope.as_ref() else {
                return refuse(
                    "the format 2 manifest is offered before every format 2 delta is signed",
                );
            };
            if d.sha256 != sha256_hex(signed) || d.size != signed.len() as u64 {
                return refuse(format!(
                    "the format 2 manifest does not name the signed format 2 delta from version {from}"
                ));
            }
        }
        if let Some(env) = &item.envelope {
            let env = Envelope::parse(env, PayloadType::Manifest, MAX_BUNDLE_BYTES)
                .map_err(|e| ReviewError(format!("signed format 2 manifest: {e}")))?;
            content_keyset
                .verify_envelope(&env, now)
                .map_err(|e| ReviewError(format!("signed format 2 manifest: {e}")))?;
        }
        let _ = writeln!(
            text,
            "MANIFEST (format 2) version {}: names the signed format 2 bundle and {} delta(s)",
            m.version(),
            m.deltas().len()
        );
    }

    // The manifest: it may only name the signed files checked above.
    if let Some(item) = find("manifest") {
        let Some(target) = &bundle else {
            return refuse("a manifest without a bundle");
        };
        let m = verify_manifest(
            &scratch.wrap(PayloadType::Manifest, &item.payload),
            &scratch.keyset,
            &policy,
        )
        .map_err(|e| ReviewError(format!("manifest item: {e}")))?;
        if m.version() != target.version() {
            return refuse("the manifest names another version than the bundle");
        }
        if m.expires() <= now {
            return refuse("the manifest has already expired");
        }
        let Some(signed_bundle) = find("bundle").and_then(|i| i.envelope.as_ref()) else {
            return refuse("the manifest is offered before the bundle is signed");
        };
        if m.bundle().sha256 != sha256_hex(signed_bundle)
            || m.bundle().size != signed_bundle.len() as u64
        {
            return refuse("the manifest does not name the signed bundle that was verified");
        }
        let named: BTreeSet<u64> = m.deltas().iter().filter_map(|d| d.from).collect();
        if named.len() != m.deltas().len() || named != deltas.keys().copied().collect() {
            return refuse("the manifest does not name exactly the deltas that were verified");
        }
        for d in m.deltas() {
            let from = d.from.expect("collected above");
            let Some(signed) = deltas[&from].envelope.as_ref() else {
                return refuse("the manifest is offered before every delta is signed");
            };
            if d.sha256 != sha256_hex(signed) || d.size != signed.len() as u64 {
                return refuse(format!(
                    "the manifest does not name the signed delta from version {from}"
                ));
            }
        }
        if let Some(env) = &item.envelope {
            let env = Envelope::parse(env, PayloadType::Manifest, MAX_BUNDLE_BYTES)
                .map_err(|e| ReviewError(format!("signed manifest: {e}")))?;
            content_keyset
                .verify_envelope(&env, now)
                .map_err(|e| ReviewError(format!("signed manifest: {e}")))?;
        }
        let _ = writeln!(
            text,
            "MANIFEST version {}: names the signed bundle (sha256 {}) and {} signed delta(s), expires {}",
            m.version(),
            short(&m.bundle().sha256),
            m.deltas().len(),
            when(m.expires())
        );
    }

    // What this key signs: unfinished items whose keyset lists it.
    let mut to_sign = Vec::new();
    for item in &items {
        if item.envelope.is_some() {
            continue;
        }
        let allowed = if item.payload_type == PayloadType::Keyset {
            holds(current, keyid) || holds(&content_keyset, keyid)
        } else {
            holds(&content_keyset, keyid)
        };
        if allowed {
            to_sign.push((
                item.name.clone(),
                item.payload_type,
                item.payload.clone(),
                is_v2_content(&item.name),
            ));
        } else {
            let _ = writeln!(
                text,
                "not signing {}: your key is not in the keyset that signs it",
                item.name
            );
        }
    }
    if to_sign.is_empty() {
        return refuse(format!(
            "nothing in this candidate for key {} to sign",
            short(keyid)
        ));
    }
    let _ = writeln!(
        text,
        "To sign with key {}: {}",
        short(keyid),
        to_sign
            .iter()
            .map(|(n, _, _, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(Review {
        candidate: candidate.candidate,
        text,
        to_sign,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::candidate::CandidateItem;
    use crate::publish::{build_bundle, build_delta, build_manifest, sign_keyset};
    use crate::record::Record;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 24 * 3600;

    fn record(id: &str, number: &str) -> Record {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "organization": {"en": "Org"},
            "name": {"en": format!("Line {id}")},
            "categories": ["hotline"],
            "locations": [{"country": "US"}],
            "phones": [{"number": number, "country": "US", "kind": "voice"}],
            "last_verified": "2026-11-01",
            "source": "test"
        }))
        .expect("valid record")
    }

    struct World {
        keys: Vec<PublisherKey>,
        pinned: Vec<u8>,
        published_bytes: Vec<u8>,
        published: Published,
    }

    /// The two test publishers (secrets all 1s and all 2s) and the keyset version 1 naming
    /// both with threshold 2, signed by both: the pinned keyset of the review tests here
    /// and of the guides review tests.
    pub(crate) fn two_publishers(now: i64) -> (Vec<PublisherKey>, Vec<u8>) {
        let keys = vec![
            PublisherKey::from_secret_bytes(&[1; 32]),
            PublisherKey::from_secret_bytes(&[2; 32]),
        ];
        let ks = build_keyset(
            1,
            now + 365 * DAY,
            2,
            keys.iter().map(|k| k.public_entry()).collect(),
        );
        let pinned = sign_keyset(&ks, &[&keys[0], &keys[1]]);
        (keys, pinned)
    }

    fn world() -> World {
        let (keys, pinned) = two_publishers(NOW);
        let refs: Vec<&PublisherKey> = keys.iter().collect();
        let published_bytes = build_bundle(
            1,
            NOW - DAY,
            NOW + 90 * DAY,
            &[record("us-988", "988"), record("us-dv", "1-800-799-7233")],
            &refs,
        )
        .expect("bundle");
        let mut published = Published::from_keysets(&pinned, &[], NOW).expect("pinned");
        published
            .set_bundle(&published_bytes, NOW)
            .expect("published bundle");
        World {
            keys,
            pinned,
            published_bytes,
            published,
        }
    }

    fn payload(envelope: &[u8], t: PayloadType) -> Vec<u8> {
        Envelope::parse(envelope, t, usize::MAX)
            .expect("envelope")
            .payload
    }

    /// An unsigned candidate item carrying `payload` (the guides review tests use it too).
    pub(crate) fn item(name: &str, t: PayloadType, payload: &[u8]) -> CandidateItem {
        CandidateItem {
            name: name.to_owned(),
            payload_type: t.as_str().to_owned(),
            payload: B64.encode(payload),
            sha256: sha256_hex(payload),
            signatures: 0,
            envelope: None,
        }
    }

    fn candidate(kind: &str, version: u64, items: Vec<CandidateItem>) -> CandidateFile {
        CandidateFile {
            candidate: 7,
            kind: kind.to_owned(),
            version,
            state: "open".to_owned(),
            threshold: 2,
            items,
        }
    }

    /// An unsigned version-2 bundle payload holding `records`.
    fn next_bundle(records: &[Record]) -> Vec<u8> {
        build_bundle(2, NOW, NOW + 90 * DAY, records, &[]).expect("bundle")
    }

    fn verified(bytes: &[u8]) -> VerifiedBundle {
        let s = Scratch::new();
        verify_bundle(
            &s.wrap(PayloadType::Bundle, &payload(bytes, PayloadType::Bundle)),
            &s.keyset,
            &baseline_policy(NOW),
        )
        .expect("structurally valid")
    }

    fn bundle_mode() -> Mode {
        Mode::default()
    }

    #[test]
    fn the_reproduced_attack_a_keyset_labelled_as_bundle_version_7_is_refused() {
        let w = world();
        let attacker = PublisherKey::from_secret_bytes(&[66; 32]);
        let evil = build_keyset(2, NOW + 365 * DAY, 1, vec![attacker.public_entry()]);
        // As found: item "bundle", payload type keyset.
        let labelled = candidate(
            "bundle",
            7,
            vec![item("bundle", PayloadType::Keyset, &evil.to_payload())],
        );
        // Variant: the server also lies about the payload type.
        let relabelled = candidate(
            "bundle",
            7,
            vec![item("bundle", PayloadType::Bundle, &evil.to_payload())],
        );
        for c in [&labelled, &relabelled] {
            for mode in [bundle_mode(), Mode { keyset: true }] {
                let err = review(c, &w.published, &w.keys[0].key_id(), mode, NOW)
                    .expect_err("must refuse");
                assert!(!err.0.is_empty());
            }
        }
        let err = review(
            &labelled,
            &w.published,
            &w.keys[0].key_id(),
            bundle_mode(),
            NOW,
        )
        .expect_err("refused");
        assert!(err.0.contains("labelled"), "{err}");
    }

    #[test]
    fn a_candidate_whose_labels_and_payloads_disagree_is_refused_whole() {
        let w = world();
        let next = next_bundle(&[record("us-988", "988")]);
        let bundle_payload = payload(&next, PayloadType::Bundle);
        let delta = build_delta(
            w.published.bundle.as_ref().expect("published"),
            &verified(&next),
            &[],
        )
        .expect("delta");
        let cases = [
            // A delta item carrying a bundle payload type.
            vec![
                item("bundle", PayloadType::Bundle, &bundle_payload),
                item("delta:1", PayloadType::Bundle, &bundle_payload),
            ],
            // A manifest item that is really a delta.
            vec![
                item("bundle", PayloadType::Bundle, &bundle_payload),
                item(
                    "manifest",
                    PayloadType::Manifest,
                    &payload(&delta, PayloadType::Delta),
                ),
            ],
            // A keyset item slipped into a directory update.
            vec![
                item("bundle", PayloadType::Bundle, &bundle_payload),
                item(
                    "keyset",
                    PayloadType::Keyset,
                    &w.published.keyset().to_payload(),
                ),
            ],
            // An unknown item name.
            vec![
                item("bundle", PayloadType::Bundle, &bundle_payload),
                item("extra", PayloadType::Bundle, &bundle_payload),
            ],
        ];
        for items in cases {
            let c = candidate("bundle", 2, items);
            review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW).expect_err("refused");
        }
        // The sha256 the server supplies is not enough either: a wrong one is refused.
        let mut bad = item("bundle", PayloadType::Bundle, &bundle_payload);
        bad.sha256 = "00".repeat(32);
        review(
            &candidate("bundle", 2, vec![bad]),
            &w.published,
            &w.keys[0].key_id(),
            bundle_mode(),
            NOW,
        )
        .expect_err("refused");
    }

    #[test]
    fn a_delta_that_does_not_produce_the_bundle_is_refused() {
        let w = world();
        let shown = next_bundle(&[record("us-988", "988"), record("us-dv", "1-800-799-7233")]);
        // The delta phones would apply swaps the 988 line; the bundle shown does not.
        let hidden = next_bundle(&[
            record("us-988", "+1 202 555 0199"),
            record("us-dv", "1-800-799-7233"),
        ]);
        let base = w.published.bundle.as_ref().expect("published");
        let evil_delta = build_delta(base, &verified(&hidden), &[]).expect("delta");
        let c = candidate(
            "bundle",
            2,
            vec![
                item(
                    "bundle",
                    PayloadType::Bundle,
                    &payload(&shown, PayloadType::Bundle),
                ),
                item(
                    "delta:1",
                    PayloadType::Delta,
                    &payload(&evil_delta, PayloadType::Delta),
                ),
            ],
        );
        let err =
            review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW).expect_err("refused");
        assert!(err.0.contains("does not produce the bundle"), "{err}");
        // The honest delta passes.
        let good = build_delta(base, &verified(&shown), &[]).expect("delta");
        let c = candidate(
            "bundle",
            2,
            vec![
                item(
                    "bundle",
                    PayloadType::Bundle,
                    &payload(&shown, PayloadType::Bundle),
                ),
                item(
                    "delta:1",
                    PayloadType::Delta,
                    &payload(&good, PayloadType::Delta),
                ),
            ],
        );
        let r = review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW).expect("ok");
        assert_eq!(r.items(), ["bundle", "delta:1"]);
    }

    #[test]
    fn a_format_2_item_that_is_not_the_bundle_shown_is_refused() {
        let w = world();
        let shown = next_bundle(&[record("us-988", "988"), record("us-dv", "1-800-799-7233")]);
        let hidden = next_bundle(&[
            record("us-988", "+1 202 555 0199"),
            record("us-dv", "1-800-799-7233"),
        ]);
        let base = w.published.bundle.as_ref().expect("published");
        let with = |b2: &[u8], d2: &[u8]| {
            candidate(
                "bundle",
                2,
                vec![
                    item(
                        "bundle",
                        PayloadType::Bundle,
                        &payload(&shown, PayloadType::Bundle),
                    ),
                    item(crate::candidate::V2_BUNDLE, PayloadType::Bundle, b2),
                    item("delta@2:1", PayloadType::Delta, d2),
                ],
            )
        };
        let good_b2 = crate::v2::bundle_payload_of(&verified(&shown)).expect("payload");
        let good_d2 = crate::v2::delta_payload_of(base, &verified(&shown)).expect("payload");
        let evil_b2 = crate::v2::bundle_payload_of(&verified(&hidden)).expect("payload");
        let evil_d2 = crate::v2::delta_payload_of(base, &verified(&hidden)).expect("payload");
        let key = w.keys[0].key_id();
        for (b2, d2, refusal) in [
            (
                &evil_b2,
                &good_d2,
                "format 2 bundle offered is not the bundle shown",
            ),
            (
                &good_b2,
                &evil_d2,
                "format 2 delta from version 1 is not the change shown",
            ),
        ] {
            let err =
                review(&with(b2, d2), &w.published, &key, bundle_mode(), NOW).expect_err("refused");
            assert!(err.0.contains(refusal), "{err}");
        }
        // The honest items pass, and the signatures are format 2 signatures over the
        // tool's own bytes: they verify with the §19.5 input, not the format 1 one.
        let r = review(
            &with(&good_b2, &good_d2),
            &w.published,
            &key,
            bundle_mode(),
            NOW,
        )
        .expect("ok");
        assert_eq!(r.items(), ["bundle", "bundle@2", "delta@2:1"]);
        let sigs = r.sign(&w.keys[0]);
        let keys = [(key.clone(), w.keys[0].public_entry())];
        let decoded: Vec<(String, ed25519_dalek::VerifyingKey)> = keys
            .iter()
            .map(|(id, e)| {
                let raw: [u8; 32] = B64.decode(&e.public).expect("b64").try_into().expect("32");
                (
                    id.clone(),
                    ed25519_dalek::VerifyingKey::from_bytes(&raw).expect("key"),
                )
            })
            .collect();
        let sig = |name: &str| {
            let s = sigs
                .signatures
                .iter()
                .find(|s| s.item == name)
                .expect("signed");
            crate::envelope::Signature {
                keyid: s.keyid.clone(),
                sig: s.sig.clone(),
            }
        };
        crate::v2::check_signature(PayloadType::Bundle, &good_b2, &sig("bundle@2"), &decoded)
            .expect("a format 2 signature over the tool's bytes");
        crate::v2::check_signature(PayloadType::Delta, &good_d2, &sig("delta@2:1"), &decoded)
            .expect("a format 2 signature over the tool's bytes");
    }

    #[test]
    fn the_review_lists_every_change_an_attacker_slipped_in() {
        let w = world();
        // Published: us-988 (988), us-dv. Candidate: 988 renumbered, us-dv removed, a new
        // record added.
        let next = next_bundle(&[
            record("us-988", "+1 202 555 0199"),
            record("zz-new", "+1 202 555 0100"),
        ]);
        let c = candidate(
            "bundle",
            2,
            vec![item(
                "bundle",
                PayloadType::Bundle,
                &payload(&next, PayloadType::Bundle),
            )],
        );
        let r = review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW).expect("ok");
        let t = &r.text;
        assert!(t.contains("1 added, 1 changed, 1 removed"), "{t}");
        assert!(
            t.contains("~ CHANGED record us-988")
                && t.contains("phones[0].number: \"988\" -> \"+1 202 555 0199\""),
            "{t}"
        );
        assert!(
            t.contains("+ ADDED record zz-new")
                && t.contains("phones[0].number = \"+1 202 555 0100\""),
            "{t}"
        );
        assert!(t.contains("- REMOVED record us-dv"), "{t}");
    }

    #[test]
    fn dates_are_shown_in_utc() {
        assert_eq!(when(0), "0 (1970-01-01 00:00 UTC)");
        assert_eq!(when(951_782_400), "951782400 (2000-02-29 00:00 UTC)");
        assert_eq!(when(NOW), "1800000000 (2027-01-15 08:00 UTC)");
        assert_eq!(when(-86_400), "-86400 (1969-12-31 00:00 UTC)");
    }

    #[test]
    fn review_text_cannot_hide_characters_on_the_terminal() {
        assert_eq!(
            display_safe("a\u{202e}b\u{1b}[2Jc"),
            "a\\u{202e}b\\u{001b}[2Jc"
        );
    }

    fn signed_round(w: &World, c: &mut CandidateFile) {
        // Publishers sign round one; the server adds signed envelopes.
        for it in &mut c.items {
            let t = payload_type_from(&it.payload_type).expect("type");
            let p = B64.decode(&it.payload).expect("b64");
            let refs: Vec<&PublisherKey> = w.keys.iter().collect();
            it.envelope = Some(B64.encode(sign_envelope(t, p, &refs).to_bytes()));
            it.signatures = 2;
        }
    }

    #[test]
    fn a_manifest_is_signed_only_if_it_names_the_verified_signed_files() {
        let w = world();
        let next = next_bundle(&[record("us-988", "988")]);
        let base = w.published.bundle.as_ref().expect("published");
        let delta = build_delta(base, &verified(&next), &[]).expect("delta");
        let mut c = candidate(
            "bundle",
            2,
            vec![
                item(
                    "bundle",
                    PayloadType::Bundle,
                    &payload(&next, PayloadType::Bundle),
                ),
                item(
                    "delta:1",
                    PayloadType::Delta,
                    &payload(&delta, PayloadType::Delta),
                ),
            ],
        );
        signed_round(&w, &mut c);
        let env = |name: &str| {
            B64.decode(
                c.items
                    .iter()
                    .find(|i| i.name == name)
                    .and_then(|i| i.envelope.clone())
                    .expect("env"),
            )
            .expect("b64")
        };
        let (bundle_env, delta_env) = (env("bundle"), env("delta:1"));
        let honest = build_manifest(2, NOW, NOW + 90 * DAY, &bundle_env, &[(1, &delta_env)], &[]);
        // Names the published (old) bundle file instead: refused.
        let wrong_bundle = build_manifest(
            2,
            NOW,
            NOW + 90 * DAY,
            &w.published_bytes,
            &[(1, &delta_env)],
            &[],
        );
        // Leaves a verified delta out: refused.
        let missing_delta = build_manifest(2, NOW, NOW + 90 * DAY, &bundle_env, &[], &[]);
        for (m, ok) in [
            (honest, true),
            (wrong_bundle, false),
            (missing_delta, false),
        ] {
            let mut c2 = c.clone();
            c2.items.push(item(
                "manifest",
                PayloadType::Manifest,
                &payload(&m, PayloadType::Manifest),
            ));
            let r = review(&c2, &w.published, &w.keys[1].key_id(), bundle_mode(), NOW);
            assert_eq!(r.is_ok(), ok, "{r:?}");
            if let Ok(r) = r {
                assert_eq!(r.items(), ["manifest"], "signed items are never re-signed");
            }
        }
        // A signed bundle envelope signed by an unknown key is refused.
        let mut c3 = c.clone();
        let stranger = PublisherKey::from_secret_bytes(&[9; 32]);
        c3.items[0].envelope = Some(
            B64.encode(
                sign_envelope(
                    PayloadType::Bundle,
                    payload(&next, PayloadType::Bundle),
                    &[&stranger],
                )
                .to_bytes(),
            ),
        );
        review(&c3, &w.published, &w.keys[1].key_id(), bundle_mode(), NOW).expect_err("refused");
    }

    #[test]
    fn a_keyset_is_reviewed_only_in_keyset_mode_and_shows_keys_thresholds_and_expiry() {
        let w = world();
        let newcomer = PublisherKey::from_secret_bytes(&[3; 32]);
        let next = build_keyset(
            2,
            NOW + 400 * DAY,
            2,
            vec![w.keys[1].public_entry(), newcomer.public_entry()],
        );
        let c = candidate(
            "keyset",
            2,
            vec![item("keyset", PayloadType::Keyset, &next.to_payload())],
        );
        let err = review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW)
            .expect_err("needs --keyset");
        assert!(err.0.contains("--keyset"), "{err}");
        let r = review(
            &c,
            &w.published,
            &w.keys[0].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect("reviewed");
        let t = &r.text;
        assert!(t.contains("KEYSET ROTATION: version 1 -> 2"), "{t}");
        assert!(t.contains("threshold: 2 of 2 -> 2 of 2"), "{t}");
        assert!(
            t.contains(&format!(
                "expires: {} -> {}",
                when(NOW + 365 * DAY),
                when(NOW + 400 * DAY)
            )),
            "{t}"
        );
        assert!(
            t.contains(&format!("- key REMOVED {}", w.keys[0].key_id())),
            "{t}"
        );
        assert!(
            t.contains(&format!("+ key ADDED   {}", newcomer.key_id())),
            "{t}"
        );
        assert!(
            t.contains(&format!("= key kept    {}", w.keys[1].key_id())),
            "{t}"
        );
        assert!(
            t.contains("freshness keys (vouch only that the manifest is current): 0 -> 0"),
            "{t}"
        );
        // A freshness key slipped into a rotation is shown, like any other key change.
        let online = PublisherKey::from_secret_bytes(&[4; 32]);
        let mut with_fresh = next.clone();
        with_fresh.freshness_keys = vec![online.public_entry()];
        let c = candidate(
            "keyset",
            2,
            vec![item(
                "keyset",
                PayloadType::Keyset,
                &with_fresh.to_payload(),
            )],
        );
        let r = review(
            &c,
            &w.published,
            &w.keys[0].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect("reviewed");
        assert!(
            r.text
                .contains(&format!("+ freshness key ADDED   {}", online.key_id())),
            "{}",
            r.text
        );
        // A rotation to one key warns in the review.
        let lone = build_keyset(2, NOW + 400 * DAY, 1, vec![newcomer.public_entry()]);
        let c = candidate(
            "keyset",
            2,
            vec![item("keyset", PayloadType::Keyset, &lone.to_payload())],
        );
        let r = review(
            &c,
            &w.published,
            &w.keys[0].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect("reviewed");
        assert!(
            r.text.contains("threshold goes DOWN") && r.text.contains("sign alone"),
            "{}",
            r.text
        );
        // A rotation that also changes the directory is refused.
        let changed = next_bundle(&[record("us-988", "+1 202 555 0199")]);
        let c = candidate(
            "keyset",
            2,
            vec![
                item("keyset", PayloadType::Keyset, &next.to_payload()),
                item(
                    "bundle",
                    PayloadType::Bundle,
                    &payload(&changed, PayloadType::Bundle),
                ),
            ],
        );
        review(
            &c,
            &w.published,
            &w.keys[1].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect_err("a rotation never changes content");
        // The same rotation re-signing exactly the published records is reviewed.
        let same = build_bundle(
            2,
            NOW,
            NOW + 90 * DAY,
            &[record("us-988", "988"), record("us-dv", "1-800-799-7233")],
            &[],
        )
        .expect("bundle");
        let c = candidate(
            "keyset",
            2,
            vec![
                item("keyset", PayloadType::Keyset, &next.to_payload()),
                item(
                    "bundle",
                    PayloadType::Bundle,
                    &payload(&same, PayloadType::Bundle),
                ),
            ],
        );
        let r = review(
            &c,
            &w.published,
            &newcomer.key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect("reviewed");
        assert_eq!(r.items(), ["keyset", "bundle"]);
        let r = review(
            &c,
            &w.published,
            &w.keys[0].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect("reviewed");
        assert_eq!(
            r.items(),
            ["keyset"],
            "a removed key signs only the rotation"
        );
        // A keyset that skips a version is refused.
        let skip = build_keyset(3, NOW + 400 * DAY, 1, vec![newcomer.public_entry()]);
        let c = candidate(
            "keyset",
            3,
            vec![item("keyset", PayloadType::Keyset, &skip.to_payload())],
        );
        review(
            &c,
            &w.published,
            &w.keys[0].key_id(),
            Mode { keyset: true },
            NOW,
        )
        .expect_err("refused");
    }

    #[test]
    fn the_pinned_keyset_is_the_root_and_a_forged_rotation_is_refused() {
        let w = world();
        let attacker = PublisherKey::from_secret_bytes(&[66; 32]);
        let evil = build_keyset(2, NOW + 365 * DAY, 1, vec![attacker.public_entry()]);
        let forged = sign_keyset(&evil, &[&attacker]);
        Published::from_keysets(&w.pinned, &[forged], NOW).expect_err("not signed by the old keys");
        let other_root = sign_keyset(&evil, &[&attacker]);
        let mut p = Published::from_keysets(&other_root, &[], NOW).expect("a different pin");
        // The real published bundle does not verify under a keyset it was not signed by.
        p.set_bundle(&w.published_bytes, NOW)
            .expect_err("unknown keys");
    }

    #[test]
    fn the_signatures_produced_verify_over_the_reviewed_payloads() {
        let w = world();
        let next = next_bundle(&[record("us-988", "988")]);
        let c = candidate(
            "bundle",
            2,
            vec![item(
                "bundle",
                PayloadType::Bundle,
                &payload(&next, PayloadType::Bundle),
            )],
        );
        let r = review(&c, &w.published, &w.keys[0].key_id(), bundle_mode(), NOW).expect("ok");
        let sigs = r.sign(&w.keys[0]);
        assert_eq!(sigs.candidate, 7);
        let env = Envelope {
            payload_type: PayloadType::Bundle,
            payload: payload(&next, PayloadType::Bundle),
            signatures: vec![crate::envelope::Signature {
                keyid: sigs.signatures[0].keyid.clone(),
                sig: sigs.signatures[0].sig.clone(),
            }],
        };
        assert_eq!(
            env.count_valid(&w.published.keyset().decoded_keys().expect("keys")),
            Ok(1)
        );
        // A key outside the keyset gets nothing to sign.
        let stranger = PublisherKey::from_secret_bytes(&[9; 32]);
        review(&c, &w.published, &stranger.key_id(), bundle_mode(), NOW)
            .expect_err("nothing to sign");
    }
}
