//! The unlocked state: everything that exists only between unlock and lock.
//!
//! Locking (or a quick exit) drops the [`Session`]; every secret inside wipes itself on
//! drop, and in-memory indexes over personal data go with it. Capabilities that cache
//! personal data in memory keep that cache here, never in a long-lived field elsewhere.
//!
//! Other capabilities seal their records with `waypoint.with_session(|s| s.sealer.seal(
//! "appointment", id, revision, bytes))`. When a duress passphrase is configured the decoy
//! session has its own sealer: use [`Session::row_tag`] to mark rows so each session lists
//! only its own.

use std::any::Any;

use hkdf::Hkdf;
use sha2::Sha256;

use crate::crypto::{RecordSealer, SecretKey};

/// Keys and caches that exist only while the vault is unlocked.
///
/// The session sits below every capability: it holds the vault's keys (set by the vault on
/// unlock) and, by type, whatever in-memory cache over personal data a capability keeps
/// (the journal's search index), without knowing any of them.
pub struct Session {
    /// Seals and opens personal records (keys derived from the vault identity).
    pub sealer: RecordSealer,
    /// The unlocked vault identity, its role and row-tag key.
    pub vault: Option<VaultKeys>,
    /// Capability caches over personal data (e.g. the journal's index), one per type,
    /// built on first use after unlock and dropped (zeroised) with the session.
    caches: Vec<Box<dyn Any + Send>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("sealer", &self.sealer)
            .field("vault", &self.vault)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session over a bare sealer (tests of other capabilities).
    pub fn new(sealer: RecordSealer) -> Self {
        Self {
            sealer,
            vault: None,
            caches: Vec::new(),
        }
    }

    /// A session over an unlocked vault.
    pub fn unlocked(sealer: RecordSealer, keys: VaultKeys) -> Self {
        Self {
            sealer,
            vault: Some(keys),
            caches: Vec::new(),
        }
    }

    /// The vault keys, or [`crate::Error::Locked`] for a bare session.
    pub fn keys(&self) -> crate::Result<&VaultKeys> {
        self.vault.as_ref().ok_or(crate::Error::Locked)
    }

    /// The capability cache of type `T`, if one was built in this session.
    pub fn cache_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.caches.iter_mut().find_map(|c| c.downcast_mut::<T>())
    }

    /// Keeps `cache` until the session is dropped (replacing one of the same type).
    pub fn put_cache<T: Any + Send>(&mut self, cache: T) {
        self.caches.retain(|c| !c.is::<T>());
        self.caches.push(Box::new(cache));
    }

    /// A tag marking row `id` of `kind` as this vault's (16 bytes, unlinkable).
    pub fn row_tag(&self, kind: &str, id: &str) -> crate::Result<Vec<u8>> {
        Ok(self.keys()?.row_tag(kind, id))
    }
}

/// Which slot payload opened the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The real vault.
    Primary,
    /// The decoy opened by the duress passphrase.
    Duress,
    /// Filler that no passphrase is meant to open.
    Chaff,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Duress => "duress",
            Role::Chaff => "chaff",
        }
    }
}

/// The unlocked vault's keys. Lives in the [`Session`]; dropped (and wiped) on lock.
pub struct VaultKeys {
    pub(crate) identity: age::x25519::Identity,
    pub(crate) role: Role,
    pub(crate) slot: i64,
    pub(crate) tag_key: SecretKey,
    /// Accounts for the identity in tests (`KeyProbe`).
    pub(crate) probe: crate::crypto::KeyProbe,
}

impl std::fmt::Debug for VaultKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKeys(<redacted>)")
    }
}

impl VaultKeys {
    /// A copy for an operation that must run without the session lock held (the platform
    /// key is a foreign callback and must never be called under a lock).
    pub fn clone_for_vault(&self) -> VaultKeys {
        VaultKeys {
            identity: self.identity.clone(),
            role: self.role,
            slot: self.slot,
            tag_key: self.tag_key.clone(),
            probe: self.probe.clone(),
        }
    }

    /// The vault identity (for opening age files sealed to it).
    pub fn identity(&self) -> &age::x25519::Identity {
        &self.identity
    }

    /// Whether this is the real vault or the duress decoy.
    pub fn role(&self) -> Role {
        self.role
    }

    /// A 16-byte tag saying "row `id` of `kind` belongs to this vault". Tags of different
    /// rows cannot be linked to each other or to a vault without the key.
    pub fn row_tag(&self, kind: &str, id: &str) -> Vec<u8> {
        // HKDF-Expand with the tag key as PRK: one HMAC-SHA256 per row.
        let hk = Hkdf::<Sha256>::from_prk(self.tag_key.expose())
            .expect("a 32-byte key is a valid SHA-256 PRK");
        let mut info = Vec::with_capacity(kind.len() + 1 + id.len());
        info.extend_from_slice(kind.as_bytes());
        info.push(0);
        info.extend_from_slice(id.as_bytes());
        let mut out = vec![0u8; 16];
        hk.expand(&info, &mut out)
            .expect("16 bytes is a valid HKDF length");
        out
    }
}
