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

use crate::crypto::RecordSealer;
use crate::journal::index::JournalIndex;
use crate::vault::VaultKeys;

/// Keys and caches that exist only while the vault is unlocked.
#[derive(Debug)]
pub struct Session {
    /// Seals and opens personal records (keys derived from the vault identity).
    pub sealer: RecordSealer,
    /// The unlocked vault identity, its role and row-tag key.
    pub vault: Option<VaultKeys>,
    /// The journal's in-memory full-text index and decrypted entry cache, built on first
    /// use after unlock.
    pub journal: Option<JournalIndex>,
}

impl Session {
    /// A session over a bare sealer (tests of other capabilities).
    pub fn new(sealer: RecordSealer) -> Self {
        Self {
            sealer,
            vault: None,
            journal: None,
        }
    }

    /// A session over an unlocked vault.
    pub fn unlocked(sealer: RecordSealer, keys: VaultKeys) -> Self {
        Self {
            sealer,
            vault: Some(keys),
            journal: None,
        }
    }

    /// The vault keys, or [`crate::Error::Locked`] for a bare session.
    pub fn keys(&self) -> crate::Result<&VaultKeys> {
        self.vault.as_ref().ok_or(crate::Error::Locked)
    }

    /// A tag marking row `id` of `kind` as this vault's (16 bytes, unlinkable).
    pub fn row_tag(&self, kind: &str, id: &str) -> crate::Result<Vec<u8>> {
        Ok(self.keys()?.row_tag(kind, id))
    }
}
