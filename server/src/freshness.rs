//! The freshness statement: "the manifest with payload hash H (version N) is current until
//! T", signed with the server's online freshness key and served at `GET /v1/freshness`.
//!
//! The freshness key is listed in the keyset in a role of its own: it can vouch that the
//! published manifest is still the current one, for a few hours or days, and nothing else.
//! It cannot sign a keyset, bundle, delta or manifest, so a server holding it still cannot
//! change a single help line. Clients check the statement on every sync (also when the
//! manifest answer is a 304) and report the directory stale when it lapses, which bounds how
//! long a replayed or frozen manifest can pass as current. See docs/PROTOCOL.md.

use std::path::Path;

use waypoint_format::envelope::{Envelope, PayloadType};
use waypoint_format::freshness::build_freshness;
use waypoint_format::limits::{MAX_FRESHNESS_LIFETIME_S, MAX_MANIFEST_BYTES};
use waypoint_format::publish::PublisherKey;
use waypoint_format::{sha256_hex, Manifest};

/// Shortest lifetime a statement may be given (one hour).
pub const MIN_TTL_S: i64 = 3600;

/// The online freshness key and how long each statement vouches.
pub struct FreshnessSigner {
    key: PublisherKey,
    ttl_s: i64,
}

impl std::fmt::Debug for FreshnessSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshnessSigner")
            .field("key_id", &&self.key.key_id()[..16])
            .field("ttl_s", &self.ttl_s)
            .finish()
    }
}

impl FreshnessSigner {
    /// Reads the key file; `ttl_hours` must lie between 1 hour and the format's maximum
    /// lifetime (14 days).
    pub fn load(path: &Path, ttl_hours: u32) -> anyhow::Result<Self> {
        let ttl_s = i64::from(ttl_hours) * 3600;
        if !(MIN_TTL_S..=MAX_FRESHNESS_LIFETIME_S).contains(&ttl_s) {
            anyhow::bail!(
                "--freshness-hours must be between 1 and {}",
                MAX_FRESHNESS_LIFETIME_S / 3600
            );
        }
        let key = PublisherKey::read_key_file(path)
            .map_err(|e| anyhow::anyhow!("cannot read the freshness key: {e}"))?;
        Ok(Self { key, ttl_s })
    }

    /// Key id of the freshness key (clients accept it only if the keyset lists it).
    pub fn key_id(&self) -> String {
        self.key.key_id()
    }

    /// How long each statement vouches, in seconds.
    pub fn ttl_s(&self) -> i64 {
        self.ttl_s
    }

    /// Signs a statement for the published `manifest` envelope, valid from `now_s`.
    pub fn sign(&self, manifest: &[u8], now_s: i64) -> anyhow::Result<Vec<u8>> {
        let env = Envelope::parse(manifest, PayloadType::Manifest, MAX_MANIFEST_BYTES)?;
        let m: Manifest = serde_json::from_slice(&env.payload)?;
        Ok(build_freshness(
            m.version,
            &sha256_hex(&env.payload),
            now_s,
            now_s + self.ttl_s,
            &self.key,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waypoint_format::publish::{build_bundle, build_keyset, build_manifest};

    #[test]
    fn the_statement_names_the_served_manifest_and_verifies_under_the_freshness_key() {
        let (publisher, fresh) = (PublisherKey::generate(), PublisherKey::generate());
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("freshness.key.json");
        fresh.write_key_file(&path).expect("key file");
        let now = 1_800_000_000;
        let bundle = build_bundle(7, now, now + 86_400, &[], &[&publisher]).expect("bundle");
        let manifest = build_manifest(7, now, now + 86_400, &bundle, &[], &[&publisher]);
        let signer = FreshnessSigner::load(&path, 6).expect("signer");
        let statement = signer.sign(&manifest, now).expect("sign");
        let mut keyset = build_keyset(1, now + 86_400, 1, vec![publisher.public_entry()]);
        keyset.freshness_keys = vec![fresh.public_entry()];
        let f = waypoint_format::verify_freshness(&statement, &keyset, now + 60).expect("valid");
        assert_eq!(f.version(), 7);
        assert_eq!(
            f.manifest_sha256(),
            waypoint_format::manifest_payload_sha256(&manifest).expect("hash")
        );
        assert_eq!(f.expires(), now + 6 * 3600);
        assert!(FreshnessSigner::load(&path, 0).is_err());
        assert!(FreshnessSigner::load(&path, 24 * 15).is_err());
    }
}
