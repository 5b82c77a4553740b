//! The Waypoint directory bundle format.
//!
//! This crate is shared by the phone core and the sync server. It knows the bundle types,
//! their canonical bytes, Ed25519 threshold verification and the size limits enforced
//! before anything is parsed. It deliberately has no SQLite, no tokio and no UniFFI, so a
//! second implementation can be checked against it in isolation. The wire format is
//! specified in `docs/PROTOCOL.md`.
//!
//! Layout:
//! - [`envelope`]: signed envelopes (payload bytes + signatures over those exact bytes).
//! - [`keyset`]: the root of trust, threshold checks and rotation.
//! - [`record`]: the HSDS-aligned directory record and its structural validation.
//! - [`contact`]: the e-mail grammar and `mailto:` encoding shared by server and phone.
//! - [`bundle`]: full bundles, deltas and the manifest, and their verification.
//! - `phone` (feature `phone`): the phone rules (number type, country, short codes), shared
//!   by the phone core and the sync server's draft API.
//! - [`freshness`]: the short-lived statement that the manifest is still current.
//! - [`guides`]: know-your-rights guides signed by the same publishers (own version line).
//! - [`held`]: a delta verified against the per-record digests a client holds.
//! - [`publish`]: key generation, key files and signing, used by the server and the CLI.
//! - [`candidate`]: the candidate and signature files the server and publishers exchange.
//! - [`review`]: what a publisher's own tool verifies and shows before it signs.
//! - [`guides_review`]: the same for a guides candidate (every guide shown in full).
//! - `synth` (feature `synth`): deterministic synthetic directories for benchmarks.
//! - [`v2`]: directory format 2 (compact canonical encoding, zstd with a shipped
//!   dictionary, signatures over a digest), served at `/v2/`.

pub mod bundle;
pub mod candidate;
pub mod contact;
pub mod envelope;
pub mod error;
pub mod freshness;
pub mod guides;
pub mod guides_review;
pub mod held;
pub mod keyset;
#[cfg(feature = "phone")]
pub mod phone;
pub mod publish;
pub mod record;
pub mod review;
#[cfg(feature = "synth")]
pub mod synth;
pub mod v2;

pub use bundle::{
    content_hash, sha256_hex, verify_bundle, verify_bundle_owned, verify_delta, verify_delta_owned,
    verify_manifest, Manifest, ManifestEntry, Policy, VerifiedBundle, VerifiedManifest,
    VerifiedRecord,
};
pub use envelope::{Envelope, PayloadType, Signature};
pub use error::{FormatError, Result};
pub use freshness::{manifest_payload_sha256, verify_freshness, Freshness, VerifiedFreshness};
pub use held::{content_hash_of_digests, verify_delta_held, HeldState, VerifiedDelta};
pub use keyset::{
    key_id, verify_keyset_rotation, verify_root_keyset, Keyset, PublicKeyEntry, VerifiedKeyset,
};
pub use record::Record;

/// Version of the bundle wire format this crate reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Size caps, checked on the raw byte length before any parsing happens.
pub mod limits {
    /// Largest keyset envelope accepted.
    pub const MAX_KEYSET_BYTES: usize = 64 * 1024;
    /// Largest manifest envelope accepted.
    pub const MAX_MANIFEST_BYTES: usize = 64 * 1024;
    /// Largest full bundle envelope accepted (a 50k-resource directory is ~40 MB of JSON
    /// before base64; the cap leaves room while keeping a hostile download bounded).
    pub const MAX_BUNDLE_BYTES: usize = 96 * 1024 * 1024;
    /// Largest delta envelope accepted.
    pub const MAX_DELTA_BYTES: usize = 8 * 1024 * 1024;
    /// Most signatures an envelope may carry.
    pub const MAX_SIGNATURES: usize = 16;
    /// Most publisher keys a keyset may list.
    pub const MAX_KEYS: usize = 16;
    /// Most records a bundle may hold.
    pub const MAX_RECORDS: usize = 200_000;
    /// Largest single record (raw JSON bytes).
    pub const MAX_RECORD_BYTES: usize = 64 * 1024;
    /// Most deltas a manifest may list.
    pub const MAX_MANIFEST_DELTAS: usize = 64;
    /// Largest freshness statement envelope accepted.
    pub const MAX_FRESHNESS_BYTES: usize = 4 * 1024;
    /// Most freshness keys a keyset may list.
    pub const MAX_FRESHNESS_KEYS: usize = 4;
    /// Longest a freshness statement may vouch for (`expires - created`): 14 days.
    pub const MAX_FRESHNESS_LIFETIME_S: i64 = 14 * 86_400;
    /// How far ahead of the trusted time (the latest known time) a keyset-signed document's
    /// `created` may lie: clock skew between publishers and phones, nothing more (1 day).
    pub const MAX_CREATED_AHEAD_S: i64 = 86_400;
}
