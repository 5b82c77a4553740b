//! The vault: the passphrase, the keys it unlocks, lockout and duress.
//!
//! # Key hierarchy (DESIGN.md "Key hierarchy")
//!
//! ```text
//! passphrase (NFC-normalised, never stored)
//!   └─ K = Argon2id(passphrase, vault salt), m 46 MiB, t 5, p 1 (pinned)    ONE run per attempt
//!        slot = header (magic, cost, salt: the same in every slot) | nonce
//!               | XChaCha20-Poly1305_K(payload, AAD = header)              = a "slot" row
//!        [optional second wrap: KeyStore::seal("vault/slot", ..)]            (platform key)
//!        └─ slot payload: role (primary | duress | chaff) + the vault identity
//!             vault identity = a random age X25519 identity                 (DESIGN: "vault identity")
//!               ├─ record master  = HKDF-SHA256(identity, "records")  -> RecordSealer
//!               │     └─ per kind: HKDF(master, "record/<kind>") -> XChaCha20-Poly1305,
//!               │        AAD = kind | id | revision, padded to buckets (crypto.rs)
//!               │        kinds: "journal-key", "appointment", "settings", ...
//!               │        journal entries add one more level: a random per-entry age X25519
//!               │        identity sealed as "journal-key"; the entry's revisions are sealed
//!               │        under HKDF(entry identity) and its attachments are age STREAM files
//!               │        to the entry identity's recipient. Deleting the entry's key row
//!               │        crypto-shreds every revision and attachment copy left anywhere.
//!               └─ row-tag key = HKDF-SHA256(identity, "row-tags"): tag(kind, id) marks
//!                  which rows belong to this vault without linking rows to each other.
//! ```
//!
//! Changing the passphrase rewraps only the slot. There are always exactly two passphrase
//! slots plus one chaff slot, all of the same size and format (the filler and chaff slots
//! are sealed under random keys nobody holds), so the files never say whether a duress
//! passphrase is configured. An attempt derives K once and tries it on both passphrase
//! slots, so its cost (one Argon2id run, at most 46 MiB) does not depend on which
//! passphrase was typed or whether a duress passphrase is set.
//!
//! # Slots from earlier builds
//!
//! Builds before the one-derivation scheme wrote every slot as an age scrypt file (log_n
//! 18, 256 MiB each, two run in parallel per attempt). Such a slot is still read (with
//! scrypt, one slot at a time, after the one Argon2id run when any slot has the new
//! scheme) and is rewrapped in the new scheme by the attempt that opens it, together with
//! a legacy chaff slot. The other passphrase slot's passphrase is not known to that
//! attempt: it stays an age scrypt slot until its own passphrase opens it, or
//! `set_duress` / `clear_duress` replaces it. A vault upgraded by the real passphrase
//! therefore looks the same whether that other slot holds a duress passphrase or the
//! filler, and costs the same per attempt (Argon2id plus one scrypt) until then.
//!
//! # Lockout
//!
//! Failures are counted in a row readable while locked (sealed with the platform key when
//! one is supplied; a vault whose slots carry the platform wrap refuses an unsealed or
//! missing row). Every passphrase attempt (unlock, passphrase change) is counted before
//! the passphrase is tried, by compare-and-swap on that row, and taken back on success; a
//! failure then only checks wipe-after. After [`FREE_ATTEMPTS`] failures each further
//! failure doubles the wait, up to [`MAX_BACKOFF_MS`]. The row also keeps the highest clock
//! reading ever seen: time is never taken to be earlier than that, so moving the clock
//! backwards never shortens a wait. Opt-in: wipe everything after N consecutive failures.
//!
//! # Duress
//!
//! Opt-in: a second passphrase opens a separate, ordinary-looking journal (its own identity,
//! its own rows, told apart from the real ones only by keyed tags). Optionally, using it
//! crypto-shreds the real vault by replacing the real slot with the chaff slot: the real
//! vault identity is gone and no passphrase can bring it back; then every declared personal
//! row that is not the decoy's, and every personal file no remaining row names, is deleted.
//!
//! The decoy must behave like a fresh vault in everything it shows. Vault actions in a
//! decoy session run the same checks and the same work as in the real vault and report the
//! same outcomes, but never touch the real vault: `set_duress` / `clear_duress` store
//! nothing (the only other slot is the real one), `set_wipe_after` keeps the real policy,
//! `change_passphrase` rewraps the decoy's own slot.
//!
//! # Wipe
//!
//! A wipe empties every table and file directory a storage component declares personal
//! ([`crate::store::Component`]); there is no separate list to keep up to date.

use std::sync::{Arc, Mutex};

use age::secrecy::{ExposeSecret, SecretString};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::crypto::{RecordSealer, SecretKey};
use crate::error::{Error, Result};
use crate::platform::Clock;
use crate::platform::KeyStore;
use crate::session::Session;
use crate::store::{Component, Holds, Store, Table};

/// Work factor (scrypt log2 N) used in release builds. Pinned: every slot is written with
/// exactly the configured factor and reading refuses anything higher.
pub const RELEASE_SCRYPT_LOG_N: u8 = 18;
/// Lowest work factor a debug/test build accepts. Release builds accept only
/// [`RELEASE_SCRYPT_LOG_N`] or more.
pub const MIN_TEST_SCRYPT_LOG_N: u8 = 2;
/// Highest work factor accepted (about 16 s of scrypt per slot on a phone).
pub const MAX_SCRYPT_LOG_N: u8 = 22;
/// Argon2id memory per attempt in release builds, in KiB (46 MiB: OWASP's Argon2id
/// configuration m = 46 MiB, t = 1, p = 1, with more passes). The one derivation an
/// attempt makes is the largest allocation of an unlock; the whole unlock stays under
/// 64 MiB (`core/tests/unlock_memory.rs`).
pub const RELEASE_KDF_MEMORY_KIB: u32 = 46 * 1024;
/// Argon2id passes in release builds (about one second on a mid-range phone).
pub const RELEASE_KDF_PASSES: u32 = 5;
/// Argon2id lanes: one (a phone gains little from more; the memory bound matters more).
pub const KDF_LANES: u32 = 1;
/// Failures allowed before any waiting starts.
pub const FREE_ATTEMPTS: u32 = 3;
/// In-session "must differ" checks allowed before any waiting starts.
pub const FREE_PROBES: u32 = 10;
/// First wait after the free attempts are used up.
pub const FIRST_BACKOFF_MS: i64 = 30_000;
/// Longest wait between attempts.
pub const MAX_BACKOFF_MS: i64 = 3_600_000;
/// Default largest attachment.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: u64 = 64 * 1024 * 1024;

const SLOT_COUNT: i64 = 2;
const CHAFF_SLOT: i64 = 2;
const SLOT_LABEL: &str = "vault/slot";
const LOCKOUT_LABEL: &str = "vault/lockout";
const WRAP_PLAIN: u8 = 1;
const WRAP_KEYSTORE: u8 = crate::platform::SEALED_ROW;
const PAYLOAD_MAGIC: &str = "waypoint-vault-v1";
const PAYLOAD_LEN: usize = 128;
/// A slot of the one-derivation scheme starts with this; anything else is a legacy age
/// scrypt slot (which starts with "age-encryption.org/v1").
const SLOT_MAGIC: &[u8; 4] = b"wpv2";
const SALT_LEN: usize = 16;
/// magic | memory KiB | passes | lanes (u32 LE each) | salt. The same in every slot.
const HEADER_LEN: usize = 4 + 12 + SALT_LEN;
const NONCE_LEN: usize = 24;
/// header | nonce | XChaCha20-Poly1305(payload) : every new-scheme slot has this size.
const SLOT_V2_LEN: usize = HEADER_LEN + NONCE_LEN + PAYLOAD_LEN + 16;

/// The vault's storage: slots (wrapped identities) and the lockout row.
pub const VAULT: Component = Component {
    name: "vault",
    tables: &[
        Table {
            name: "vault_slot",
            holds: Holds::Vault,
        },
        Table {
            name: "vault_lockout",
            holds: Holds::Vault,
        },
    ],
    personal_dirs: &[],
    steps: &["CREATE TABLE vault_slot (slot INTEGER PRIMARY KEY, wrapped BLOB NOT NULL) STRICT;
              CREATE TABLE vault_lockout (id INTEGER PRIMARY KEY CHECK (id = 0), sealed BLOB NOT NULL) STRICT;"],
};

/// The tables a wipe empties: every table a storage component of `store` declares personal
/// ([`crate::store::Component::tables`]), the vault's own included. Not a hand-kept list.
pub fn wipe_tables(store: &Store) -> Vec<&'static str> {
    store.personal_tables().map(|t| t.name).collect()
}

/// How the vault is built on this device. The work factor is pinned here.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VaultConfig {
    /// The work factor. 18 in release, which selects the release Argon2id cost
    /// ([`RELEASE_KDF_MEMORY_KIB`], [`RELEASE_KDF_PASSES`]) for the passphrase slots and
    /// is the scrypt log2(N) of slots from earlier builds and of passphrase exports. A
    /// debug build (tests) may pass a lower explicit value, which also selects a small
    /// Argon2id cost; a release build refuses it.
    pub scrypt_log_n: u8,
    /// Largest attachment accepted, in bytes.
    pub attachment_max_bytes: u64,
}

impl Default for VaultConfig {
    fn default() -> Self {
        Self {
            scrypt_log_n: RELEASE_SCRYPT_LOG_N,
            attachment_max_bytes: DEFAULT_ATTACHMENT_MAX_BYTES,
        }
    }
}

impl VaultConfig {
    /// A config with a low work factor, for tests. Exists only in test and debug builds,
    /// so a release build cannot ask for a weak factor by accident.
    #[cfg(any(test, debug_assertions))]
    pub fn for_tests(scrypt_log_n: u8) -> Self {
        Self {
            scrypt_log_n,
            ..Self::default()
        }
    }

    /// Checks the work factor: release builds accept nothing below 18.
    pub fn validate(&self) -> Result<()> {
        let min = if cfg!(debug_assertions) {
            MIN_TEST_SCRYPT_LOG_N
        } else {
            RELEASE_SCRYPT_LOG_N
        };
        if self.scrypt_log_n < min || self.scrypt_log_n > MAX_SCRYPT_LOG_N {
            return Err(Error::invalid(
                "scrypt_log_n",
                "outside the range this build accepts",
            ));
        }
        if self.attachment_max_bytes == 0 {
            return Err(Error::invalid("attachment_max_bytes", "must be positive"));
        }
        Ok(())
    }

    /// The Argon2id cost the passphrase slots are written with (and the most a read
    /// accepts).
    fn kdf(&self) -> KdfParams {
        if self.scrypt_log_n >= RELEASE_SCRYPT_LOG_N {
            return KdfParams {
                m_kib: RELEASE_KDF_MEMORY_KIB,
                t: RELEASE_KDF_PASSES,
                p: KDF_LANES,
            };
        }
        // Only a debug build gets here (`validate`): a small cost that still grows with
        // the factor, 8 KiB at 2, 32 KiB at 4, 16 MiB at 13.
        KdfParams {
            m_kib: 8u32 << self.scrypt_log_n.saturating_sub(2).min(16),
            t: 1,
            p: KDF_LANES,
        }
    }
}

/// Argon2id cost parameters, as stored in every slot header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KdfParams {
    m_kib: u32,
    t: u32,
    p: u32,
}

/// The KDF header every new-scheme slot carries: the same bytes in all slots of a vault
/// (one salt, stored with each slot so that all slots look alike).
#[derive(Clone, PartialEq, Eq)]
struct SlotHeader([u8; HEADER_LEN]);

impl SlotHeader {
    fn fresh(k: KdfParams) -> Self {
        let mut h = [0u8; HEADER_LEN];
        h[..4].copy_from_slice(SLOT_MAGIC);
        h[4..8].copy_from_slice(&k.m_kib.to_le_bytes());
        h[8..12].copy_from_slice(&k.t.to_le_bytes());
        h[12..16].copy_from_slice(&k.p.to_le_bytes());
        rand::rngs::OsRng.fill_bytes(&mut h[16..]);
        Self(h)
    }

    fn of(slot: &[u8]) -> Result<Self> {
        if slot.len() != SLOT_V2_LEN || !slot.starts_with(SLOT_MAGIC) {
            return Err(Error::Corrupt("vault key"));
        }
        let mut h = [0u8; HEADER_LEN];
        h.copy_from_slice(&slot[..HEADER_LEN]);
        Ok(Self(h))
    }

    fn params(&self) -> KdfParams {
        let word =
            |i: usize| u32::from_le_bytes([self.0[i], self.0[i + 1], self.0[i + 2], self.0[i + 3]]);
        KdfParams {
            m_kib: word(4),
            t: word(8),
            p: word(12),
        }
    }

    /// Refuses a cost above what this build writes (memory or time a tampered header
    /// could demand) and, in a release build, anything weaker than the release cost.
    fn check(&self, config: &VaultConfig) -> Result<()> {
        let got = self.params();
        let max = config.kdf();
        if got.m_kib > max.m_kib || got.t > max.t || got.p > max.p {
            return Err(Error::Corrupt("vault key work factor"));
        }
        if !cfg!(debug_assertions) && got != max {
            return Err(Error::Corrupt("vault key work factor"));
        }
        Ok(())
    }
}

fn is_v2(slot: &[u8]) -> bool {
    slot.starts_with(SLOT_MAGIC)
}

#[cfg(test)]
thread_local! {
    /// Test hook: Argon2id derivations run on this thread.
    pub(crate) static KDF_RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// What another process does between `set_wipe_after`'s read and its write (a test hook).
#[cfg(test)]
type Meanwhile = Box<dyn FnOnce(&VaultCtx<'_>)>;

#[cfg(test)]
thread_local! {
    pub(crate) static WIPE_AFTER_RACE: std::cell::RefCell<Option<Meanwhile>> =
        const { std::cell::RefCell::new(None) };
}

/// The one passphrase derivation of an attempt: Argon2id over the vault's salt.
fn derive_key(pass: &SecretString, header: &SlotHeader) -> Result<Zeroizing<[u8; 32]>> {
    #[cfg(test)]
    KDF_RUNS.with(|c| c.set(c.get() + 1));
    let k = header.params();
    let params = argon2::Params::new(k.m_kib, k.t, k.p, Some(32))
        .map_err(|_| Error::Corrupt("vault key work factor"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(
            pass.expose_secret().as_bytes(),
            &header.0[HEADER_LEN - SALT_LEN..],
            &mut *out,
        )
        .map_err(|_| Error::Crypto("derive vault key"))?;
    Ok(out)
}

fn random_key() -> Zeroizing<[u8; 32]> {
    let mut k = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut *k);
    k
}

/// A new-scheme slot: `payload` sealed under `key` with the header as associated data.
fn seal_slot(header: &SlotHeader, key: &[u8; 32], payload: &Payload) -> Result<Vec<u8>> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload as Msg};
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let plain = payload.encode();
    let ct = chacha20poly1305::XChaCha20Poly1305::new(key.into())
        .encrypt(
            chacha20poly1305::XNonce::from_slice(&nonce),
            Msg {
                msg: &plain,
                aad: &header.0,
            },
        )
        .map_err(|_| Error::Crypto("wrap vault key"))?;
    let mut out = Vec::with_capacity(SLOT_V2_LEN);
    out.extend_from_slice(&header.0);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    debug_assert_eq!(out.len(), SLOT_V2_LEN);
    Ok(out)
}

/// Tries `key` on one new-scheme slot. `Ok(None)` means "not this passphrase".
fn open_slot(slot: &[u8], key: &[u8; 32]) -> Result<Option<Payload>> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload as Msg};
    let header = SlotHeader::of(slot)?;
    let nonce = &slot[HEADER_LEN..HEADER_LEN + NONCE_LEN];
    let opened = chacha20poly1305::XChaCha20Poly1305::new(key.into()).decrypt(
        chacha20poly1305::XNonce::from_slice(nonce),
        Msg {
            msg: &slot[HEADER_LEN + NONCE_LEN..],
            aad: &header.0,
        },
    );
    match opened {
        Ok(plain) => Payload::decode(&Zeroizing::new(plain)).map(Some),
        Err(_) => Ok(None),
    }
}

/// The vault's one KDF header: the header every new-scheme slot carries (they must agree),
/// or `None` while every slot is still a legacy age scrypt slot.
fn shared_header(inners: &[(i64, Vec<u8>)], config: &VaultConfig) -> Result<Option<SlotHeader>> {
    let mut found: Option<SlotHeader> = None;
    for (_, bytes) in inners.iter().filter(|(_, b)| is_v2(b)) {
        let h = SlotHeader::of(bytes)?;
        match &found {
            Some(f) if *f != h => return Err(Error::Corrupt("vault key")),
            Some(_) => {}
            None => found = Some(h),
        }
    }
    if let Some(h) = &found {
        h.check(config)?;
    }
    Ok(found)
}

/// What one passphrase attempt found.
struct Tried {
    /// The passphrase slot it opened and what it held.
    found: Option<(i64, Payload)>,
    /// The opened slot is a legacy age scrypt slot (to be rewrapped).
    legacy: bool,
    /// The vault's header and the key the attempt derived under it (reused to rewrap).
    derived: Option<(SlotHeader, Zeroizing<[u8; 32]>)>,
    /// Every slot, platform wrap removed.
    inners: Vec<(i64, Vec<u8>)>,
}

/// What the vault needs from its owner besides the store: config, platform key, clock.
pub struct VaultHandle {
    inner: Mutex<(VaultConfig, Option<Arc<dyn KeyStore>>)>,
}

impl Default for VaultHandle {
    fn default() -> Self {
        Self {
            inner: Mutex::new((VaultConfig::default(), None)),
        }
    }
}

impl std::fmt::Debug for VaultHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultHandle")
    }
}

impl VaultHandle {
    /// Replaces the config and platform key (done once, right after opening).
    pub fn configure(
        &self,
        config: VaultConfig,
        key_store: Option<Arc<dyn KeyStore>>,
    ) -> Result<()> {
        config.validate()?;
        *self.inner.lock()? = (config, key_store);
        Ok(())
    }

    /// The current config.
    pub fn config(&self) -> Result<VaultConfig> {
        Ok(self.inner.lock()?.0.clone())
    }

    pub(crate) fn key_store(&self) -> Result<Option<Arc<dyn KeyStore>>> {
        Ok(self.inner.lock()?.1.clone())
    }
}

pub use crate::session::{Role, VaultKeys};

struct Payload {
    role: Role,
    shred_primary: bool,
    identity: Zeroizing<String>,
}

impl Payload {
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let s = Zeroizing::new(format!(
            "{PAYLOAD_MAGIC}\n{}\n{}\n{}",
            self.role.as_str(),
            u8::from(self.shred_primary),
            self.identity.as_str()
        ));
        // Fixed length, so a slot's size never says which role it holds.
        let mut out = Zeroizing::new(Vec::with_capacity(PAYLOAD_LEN));
        out.extend_from_slice(s.as_bytes());
        out.push(b'\n');
        while out.len() < PAYLOAD_LEN {
            out.push(b'#');
        }
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::Corrupt("vault key"))?;
        let mut parts = text.split('\n');
        if parts.next() != Some(PAYLOAD_MAGIC) {
            return Err(Error::Corrupt("vault key"));
        }
        let role = match parts.next() {
            Some("primary") => Role::Primary,
            Some("duress") => Role::Duress,
            Some("chaff") => Role::Chaff,
            _ => return Err(Error::Corrupt("vault key")),
        };
        let shred_primary = match parts.next() {
            Some("0") => false,
            Some("1") => true,
            _ => return Err(Error::Corrupt("vault key")),
        };
        let identity = Zeroizing::new(parts.next().ok_or(Error::Corrupt("vault key"))?.to_owned());
        Ok(Self {
            role,
            shred_primary,
            identity,
        })
    }

    fn fresh(role: Role, shred_primary: bool) -> Self {
        let id = age::x25519::Identity::generate();
        Self {
            role,
            shred_primary,
            identity: Zeroizing::new(id.to_string().expose_secret().to_owned()),
        }
    }

    fn keys(&self, slot: i64) -> Result<(VaultKeys, RecordSealer)> {
        let identity: age::x25519::Identity = self
            .identity
            .parse()
            .map_err(|_| Error::Corrupt("vault key"))?;
        let hk = Hkdf::<Sha256>::new(Some(b"waypoint/vault/v1"), self.identity.as_bytes());
        let mut records = [0u8; 32];
        let mut tags = [0u8; 32];
        hk.expand(b"records", &mut records)
            .expect("32 bytes is a valid HKDF length");
        hk.expand(b"row-tags", &mut tags)
            .expect("32 bytes is a valid HKDF length");
        let sealer = RecordSealer::new(SecretKey::from_bytes(records));
        zeroize::Zeroize::zeroize(&mut records);
        let keys = VaultKeys {
            identity,
            role: self.role,
            slot,
            tag_key: SecretKey::from_bytes(tags),
            probe: crate::crypto::KeyProbe::new(),
        };
        zeroize::Zeroize::zeroize(&mut tags);
        Ok((keys, sealer))
    }
}

/// A passphrase as the vault uses it: NFC-normalised (the same words typed on another
/// keyboard give the same bytes), held in a zeroising secret.
fn normalise(passphrase: &str) -> Result<SecretString> {
    if passphrase.is_empty() {
        return Err(Error::invalid("passphrase", "must not be empty"));
    }
    let s: String = passphrase.nfc().collect();
    Ok(SecretString::from(s))
}

fn random_passphrase() -> SecretString {
    let mut b = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut *b);
    SecretString::from(hex::encode(*b))
}

#[cfg(test)]
fn age_wrap(payload: &Payload, passphrase: &SecretString, log_n: u8) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n);
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|_| Error::Crypto("wrap vault key"))?;
    let mut out = Vec::new();
    let mut w = enc
        .wrap_output(&mut out)
        .map_err(|_| Error::Crypto("wrap vault key"))?;
    w.write_all(&payload.encode())?;
    w.finish()?;
    Ok(out)
}

/// Tries `passphrase` on one age scrypt slot. `Ok(None)` means "not this passphrase".
fn age_unwrap(
    age_bytes: &[u8],
    passphrase: &SecretString,
    max_log_n: u8,
) -> Result<Option<Payload>> {
    match scrypt_decrypt(age_bytes, passphrase, max_log_n)? {
        Some(plain) => Payload::decode(&plain).map(Some),
        None => Ok(None),
    }
}

/// How the vault reads an age scrypt file: only a scrypt header is accepted, a work factor
/// above `max_log_n` is refused, any other failure to unwrap is "not this passphrase".
pub(crate) fn scrypt_decrypt(
    age_bytes: &[u8],
    passphrase: &SecretString,
    max_log_n: u8,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    use std::io::Read;
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(max_log_n);
    let dec = age::Decryptor::new_buffered(age_bytes).map_err(|_| Error::Corrupt("vault key"))?;
    if !dec.is_scrypt() {
        return Err(Error::Corrupt("vault key"));
    }
    let mut reader = match dec.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::ExcessiveWork { .. }) => {
            return Err(Error::Corrupt("vault key work factor"))
        }
        Err(_) => return Ok(None),
    };
    let mut plain = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plain)
        .map_err(|_| Error::Corrupt("vault key"))?;
    Ok(Some(plain))
}

/// Everything the vault operations need, borrowed from the owner (`Waypoint`).
pub struct VaultCtx<'a> {
    /// The database.
    pub store: &'a Store,
    /// Time source.
    pub clock: &'a dyn Clock,
    /// Config and platform key.
    pub handle: &'a VaultHandle,
    /// The data directory (attachments live under it).
    pub data_dir: &'a std::path::Path,
}

/// What a passphrase attempt works with, once [`VaultCtx::begin_attempt`] let it through.
struct Attempt {
    config: VaultConfig,
    ks: Option<Arc<dyn KeyStore>>,
    lockout: Lockout,
    now: i64,
}

/// The lockout row.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Lockout {
    failures: u32,
    not_before_ms: i64,
    high_water_ms: i64,
    wipe_after: Option<u32>,
    /// Guesses checked from inside a session ("must differ from the other passphrase"):
    /// backed off on the same schedule as failures, but never trigger wipe-after.
    #[serde(default)]
    probes: u32,
}

/// The back-off after `failures` consecutive failures.
pub fn backoff_ms(failures: u32) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20);
    (FIRST_BACKOFF_MS << doublings).min(MAX_BACKOFF_MS)
}

/// The back-off after `probes` in-session checks since the last unlock: [`FREE_PROBES`]
/// free (setting a duress passphrase and changing a passphrase a few times in a row must
/// not lock anyone out), then the same doubling schedule as failures.
pub fn probe_backoff_ms(probes: u32) -> i64 {
    backoff_ms(probes.saturating_sub(FREE_PROBES - FREE_ATTEMPTS))
}

/// The result of an unlock attempt that found a slot.
pub struct Unlocked {
    /// The session to install.
    pub session: Session,
}

impl VaultCtx<'_> {
    fn wrap_outer(&self, age_bytes: Vec<u8>, ks: &Option<Arc<dyn KeyStore>>) -> Result<Vec<u8>> {
        Self::wrap_row(SLOT_LABEL, age_bytes, ks)
    }

    /// A slot or lockout row: sealed under the platform key ([`crate::platform::seal_row`])
    /// when one is configured; plain-marked only when none is (vaults of earlier builds).
    fn wrap_row(label: &str, plain: Vec<u8>, ks: &Option<Arc<dyn KeyStore>>) -> Result<Vec<u8>> {
        match ks {
            Some(ks) => crate::platform::seal_row(ks.as_ref(), label, plain),
            None => {
                let mut out = vec![WRAP_PLAIN];
                out.extend(plain);
                Ok(out)
            }
        }
    }

    fn unwrap_outer(&self, wrapped: &[u8], ks: &Option<Arc<dyn KeyStore>>) -> Result<Vec<u8>> {
        self.unwrap_outer_labelled(wrapped, ks, SLOT_LABEL)
    }

    /// Whether a vault has been set up here.
    pub fn is_set_up(&self) -> Result<bool> {
        self.store.with_conn(|c| {
            let n: i64 = c.query_row("SELECT count(*) FROM vault_slot", [], |r| r.get(0))?;
            Ok(n > 0)
        })
    }

    fn load_slots(&self) -> Result<Vec<(i64, Vec<u8>)>> {
        let rows = self.store.with_conn(|c| {
            let mut stmt = c.prepare("SELECT slot, wrapped FROM vault_slot ORDER BY slot")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })?;
        Ok(rows)
    }

    fn load_lockout(&self, ks: &Option<Arc<dyn KeyStore>>) -> Result<Lockout> {
        Ok(self.load_lockout_row(ks)?.1)
    }

    /// The lockout state and the stored bytes it came from (`None`: no row yet).
    fn load_lockout_row(
        &self,
        ks: &Option<Arc<dyn KeyStore>>,
    ) -> Result<(Option<Vec<u8>>, Lockout)> {
        let (row, platform_wrapped_slots): (Option<Vec<u8>>, i64) = self.store.with_conn(|c| {
            use rusqlite::OptionalExtension;
            let row = c
                .query_row("SELECT sealed FROM vault_lockout WHERE id = 0", [], |r| {
                    r.get(0)
                })
                .optional()?;
            let wrapped: i64 = c.query_row(
                "SELECT count(*) FROM vault_slot WHERE substr(wrapped, 1, 1) = ?1",
                [vec![WRAP_KEYSTORE]],
                |r| r.get(0),
            )?;
            Ok((row, wrapped))
        })?;
        // A vault whose slots carry the platform wrap always writes its lockout row sealed
        // by the platform key, in the same transaction as the slots at setup. A missing or
        // unsealed row there is a downgrade (someone resetting the back-off or turning
        // wipe-after off by editing the files): refused, and no attempt is made.
        let must_be_sealed = platform_wrapped_slots > 0;
        let Some(row) = row else {
            if must_be_sealed {
                return Err(Error::Corrupt(
                    "attempt counter missing; no passphrase attempt is allowed",
                ));
            }
            return Ok((None, Lockout::default()));
        };
        if must_be_sealed && row.first() != Some(&WRAP_KEYSTORE) {
            return Err(Error::Corrupt(
                "attempt counter not sealed by the platform key; no passphrase attempt is allowed",
            ));
        }
        let json = self.unwrap_outer_labelled(&row, ks, LOCKOUT_LABEL)?;
        let state = serde_json::from_slice(&json).map_err(|_| Error::Corrupt("lockout state"))?;
        Ok((Some(row), state))
    }

    /// Stores `new` as the lockout row only if the row still holds `expected` (compare and
    /// swap, in one transaction). `false`: another attempt (another thread or process)
    /// changed it first. The platform key is never called here, under the store lock.
    fn swap_lockout_row(&self, expected: Option<&[u8]>, new: &[u8]) -> Result<bool> {
        self.store.transaction(|tx| {
            use rusqlite::OptionalExtension;
            let current: Option<Vec<u8>> = tx
                .query_row("SELECT sealed FROM vault_lockout WHERE id = 0", [], |r| {
                    r.get(0)
                })
                .optional()?;
            if current.as_deref() != expected {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO vault_lockout (id, sealed) VALUES (0, ?1)
                 ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
                [new],
            )?;
            Ok(true)
        })
    }

    fn unwrap_outer_labelled(
        &self,
        wrapped: &[u8],
        ks: &Option<Arc<dyn KeyStore>>,
        label: &str,
    ) -> Result<Vec<u8>> {
        match (wrapped.first(), ks) {
            (Some(&WRAP_PLAIN), _) => Ok(wrapped[1..].to_vec()),
            (Some(&WRAP_KEYSTORE), Some(ks)) => {
                crate::platform::open_row(ks.as_ref(), label, wrapped)
            }
            (Some(&WRAP_KEYSTORE), None) => Err(Error::invalid(
                "key_store",
                "this vault needs the platform key it was created with",
            )),
            _ => Err(Error::Corrupt("vault key")),
        }
    }

    fn save_lockout(&self, state: &Lockout, ks: &Option<Arc<dyn KeyStore>>) -> Result<()> {
        let wrapped = Self::wrap_lockout(state, ks)?;
        self.store.with_conn(|c| {
            c.execute(
                "INSERT INTO vault_lockout (id, sealed) VALUES (0, ?1)
                 ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
                [wrapped],
            )?;
            Ok(())
        })
    }

    /// The lockout row's bytes: sealed by the platform key when one is configured.
    fn wrap_lockout(state: &Lockout, ks: &Option<Arc<dyn KeyStore>>) -> Result<Vec<u8>> {
        let json = serde_json::to_vec(state).map_err(|_| Error::Crypto("encode lockout"))?;
        Self::wrap_row(LOCKOUT_LABEL, json, ks)
    }

    /// Sets up a new vault protected by `passphrase` and returns its unlocked session.
    pub fn setup(&self, passphrase: &str) -> Result<Session> {
        let pass = normalise(passphrase)?;
        if self.is_set_up()? {
            return Err(Error::invalid("vault", "already set up"));
        }
        let config = self.handle.config()?;
        let ks = self.handle.key_store()?;
        let primary = Payload::fresh(Role::Primary, false);
        let filler = Payload::fresh(Role::Chaff, false);
        let chaff = Payload::fresh(Role::Chaff, false);
        // One derivation: the filler and chaff slots are sealed under random keys nobody
        // holds, so they look like passphrase slots without costing a KDF run.
        let header = SlotHeader::fresh(config.kdf());
        let key = derive_key(&pass, &header)?;
        let p = seal_slot(&header, &key, &primary)?;
        let f = seal_slot(&header, &random_key(), &filler)?;
        let c = seal_slot(&header, &random_key(), &chaff)?;
        // Which of the two passphrase slots is the real one is random.
        let primary_slot = i64::from(rand::rngs::OsRng.next_u32() & 1);
        let rows = [
            (primary_slot, self.wrap_outer(p, &ks)?),
            (1 - primary_slot, self.wrap_outer(f, &ks)?),
            (CHAFF_SLOT, self.wrap_outer(c, &ks)?),
        ];
        let now = self.clock.now_unix_ms();
        let lockout = Lockout {
            high_water_ms: now,
            ..Lockout::default()
        };
        // Written with the slots in one transaction: a vault never exists without its
        // attempt counter (a missing counter is treated as tampering).
        let lockout_row = Self::wrap_lockout(&lockout, &ks)?;
        self.store.transaction(|tx| {
            let n: i64 = tx.query_row("SELECT count(*) FROM vault_slot", [], |r| r.get(0))?;
            if n > 0 {
                return Err(Error::invalid("vault", "already set up"));
            }
            for (slot, wrapped) in &rows {
                tx.execute(
                    "INSERT INTO vault_slot (slot, wrapped) VALUES (?1, ?2)",
                    rusqlite::params![slot, wrapped],
                )?;
            }
            tx.execute(
                "INSERT INTO vault_lockout (id, sealed) VALUES (0, ?1)
                 ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
                [&lockout_row],
            )?;
            Ok(())
        })?;
        let (keys, sealer) = primary.keys(primary_slot)?;
        Ok(Session::unlocked(sealer, keys))
    }

    /// Seconds still to wait before an attempt is accepted (0 = now), never shortened by
    /// a clock moved backwards.
    pub fn retry_after_s(&self) -> Result<u64> {
        if !self.is_set_up()? {
            return Ok(0);
        }
        let ks = self.handle.key_store()?;
        let mut lockout = self.load_lockout(&ks)?;
        let now = self.effective_now(&mut lockout);
        Ok(remaining_s(lockout.not_before_ms, now))
    }

    fn effective_now(&self, lockout: &mut Lockout) -> i64 {
        let now = self.clock.now_unix_ms().max(lockout.high_water_ms);
        lockout.high_water_ms = now;
        now
    }

    /// Every slot with its platform wrap removed.
    fn open_rows(
        &self,
        slots: &[(i64, Vec<u8>)],
        ks: &Option<Arc<dyn KeyStore>>,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        let mut inners = Vec::with_capacity(slots.len());
        for (slot, wrapped) in slots {
            inners.push((*slot, self.unwrap_outer(wrapped, ks)?));
        }
        if inners.iter().filter(|(s, _)| *s < SLOT_COUNT).count() != SLOT_COUNT as usize {
            return Err(Error::Corrupt("vault key slots missing"));
        }
        Ok(inners)
    }

    /// Tries `passphrase` on both passphrase slots (always both). One Argon2id derivation
    /// serves every new-scheme slot; a legacy age scrypt slot (from a build before the
    /// one-derivation scheme, not yet rewrapped) costs its own scrypt run, one at a time.
    /// Which slot holds the duress passphrase, or whether one is set, changes nothing in
    /// the work done.
    fn try_slots(
        &self,
        pass: &SecretString,
        slots: &[(i64, Vec<u8>)],
        ks: &Option<Arc<dyn KeyStore>>,
        config: &VaultConfig,
    ) -> Result<Tried> {
        let inners = self.open_rows(slots, ks)?;
        let derived = match shared_header(&inners, config)? {
            Some(h) => {
                let key = derive_key(pass, &h)?;
                Some((h, key))
            }
            None => None,
        };
        let mut found = None;
        let mut legacy = false;
        let mut damaged = 0;
        let mut tried = 0;
        for (slot, bytes) in inners.iter().filter(|(s, _)| *s < SLOT_COUNT) {
            tried += 1;
            let r = match (&derived, is_v2(bytes)) {
                (Some((_, key)), true) => open_slot(bytes, key),
                (None, true) => Err(Error::Corrupt("vault key")),
                (_, false) => age_unwrap(bytes, pass, config.scrypt_log_n),
            };
            match r {
                Ok(Some(p)) if p.role != Role::Chaff => {
                    if found.is_none() {
                        legacy = !is_v2(bytes);
                        found = Some((*slot, p));
                    }
                }
                Ok(_) => {}
                Err(_) => damaged += 1,
            }
        }
        if found.is_none() && damaged == tried {
            return Err(Error::Corrupt("vault key"));
        }
        Ok(Tried {
            found,
            legacy,
            derived,
            inners,
        })
    }

    /// After a passphrase opened `slot`: a legacy age scrypt slot is rewrapped in the
    /// one-derivation scheme (with the key this attempt derived, or, when no slot of the
    /// vault had the new scheme yet, under a fresh header), and so is a legacy chaff slot
    /// (its key is random: nobody needs to open it). The other passphrase slot cannot be
    /// rewrapped by this attempt (its passphrase is not known): it stays a legacy slot,
    /// tried with scrypt by every attempt, until its own passphrase opens it or
    /// `set_duress` / `clear_duress` replaces it. That is the same whether it holds a
    /// duress passphrase or the filler, so the files still do not tell.
    fn rewrap_legacy(
        &self,
        tried: &Tried,
        pass: &SecretString,
        slot: i64,
        payload: &Payload,
        ks: &Option<Arc<dyn KeyStore>>,
        config: &VaultConfig,
    ) -> Result<()> {
        let chaff_legacy = tried
            .inners
            .iter()
            .any(|(s, b)| *s == CHAFF_SLOT && !is_v2(b));
        if !tried.legacy && !chaff_legacy {
            return Ok(());
        }
        let fresh;
        let (header, key) = match &tried.derived {
            Some((h, k)) => (h, k),
            None => {
                let h = SlotHeader::fresh(config.kdf());
                let k = derive_key(pass, &h)?;
                fresh = (h, k);
                (&fresh.0, &fresh.1)
            }
        };
        let mut writes = Vec::new();
        if tried.legacy {
            writes.push((slot, self.wrap_outer(seal_slot(header, key, payload)?, ks)?));
        }
        if chaff_legacy {
            let chaff = Payload::fresh(Role::Chaff, false);
            let sealed = seal_slot(header, &random_key(), &chaff)?;
            writes.push((CHAFF_SLOT, self.wrap_outer(sealed, ks)?));
        }
        self.store.transaction(|tx| {
            for (s, w) in &writes {
                tx.execute(
                    "UPDATE vault_slot SET wrapped = ?1 WHERE slot = ?2",
                    rusqlite::params![w, s],
                )?;
            }
            Ok(())
        })?;
        // The old scrypt wraps must not survive in the WAL.
        self.store.checkpoint()
    }

    /// The gate every passphrase attempt passes first (unlock, change): the vault must be
    /// set up, and during a back-off no attempt is made at all. Returns what the attempt
    /// needs, with `now` the effective time (never earlier than any time seen before).
    ///
    /// The attempt is counted as a failure *before* the passphrase is tried, with an atomic
    /// compare-and-swap on the lockout row: attempts made at the same time (threads, or
    /// several `waypoint` processes) each add one, and killing the process while the
    /// passphrase is being tried does not leave the attempt uncounted. A success resets the
    /// count; a failure only has to check wipe-after ([`VaultCtx::fail_attempt`]).
    fn begin_attempt(&self) -> Result<Attempt> {
        self.begin_counted(false)
    }

    /// The same gate for a guess checked from inside a session (the "must differ from the
    /// other passphrase" checks of `set_duress` and `change_passphrase`): counted before
    /// the check as a probe. Probes have their own count ([`probe_backoff_ms`]; the
    /// back-off is the longer of the two), so a session holder cannot test guesses at the
    /// other passphrase for free, while setting a duress passphrase neither uses up the
    /// free unlock attempts nor brings wipe-after closer (probes never wipe). Probes are
    /// reset by the next successful unlock.
    fn begin_probe(&self) -> Result<Attempt> {
        self.begin_counted(true)
    }

    fn begin_counted(&self, probe: bool) -> Result<Attempt> {
        if !self.is_set_up()? {
            return Err(Error::invalid("vault", "not set up yet"));
        }
        let config = self.handle.config()?;
        let ks = self.handle.key_store()?;
        loop {
            let (stored, mut lockout) = self.load_lockout_row(&ks)?;
            let now = self.effective_now(&mut lockout);
            if now < lockout.not_before_ms {
                // Keep the clock's high-water mark, but never over a row that another
                // attempt wrote since it was read (that would undo its count).
                let seen = Self::wrap_lockout(&lockout, &ks)?;
                self.swap_lockout_row(stored.as_deref(), &seen)?;
                return Err(Error::WrongPassphrase {
                    retry_after_s: remaining_s(lockout.not_before_ms, now),
                });
            }
            if probe {
                lockout.probes = lockout.probes.saturating_add(1);
            } else {
                lockout.failures = lockout.failures.saturating_add(1);
            }
            lockout.not_before_ms = now
                .saturating_add(backoff_ms(lockout.failures).max(probe_backoff_ms(lockout.probes)));
            let counted = Self::wrap_lockout(&lockout, &ks)?;
            if self.swap_lockout_row(stored.as_deref(), &counted)? {
                return Ok(Attempt {
                    config,
                    ks,
                    lockout,
                    now,
                });
            }
            // Another attempt counted itself meanwhile: read the counter again.
        }
    }

    /// Unlocks with `passphrase`. Wrong passphrase: [`Error::WrongPassphrase`] with the
    /// persisted back-off; during a back-off no attempt is made at all.
    pub fn unlock(&self, passphrase: &str) -> Result<Session> {
        let pass = normalise(passphrase)?;
        let Attempt {
            config,
            ks,
            mut lockout,
            now,
        } = self.begin_attempt()?;
        let slots = self.load_slots()?;
        let tried = self.try_slots(&pass, &slots, &ks, &config)?;
        match &tried.found {
            Some((slot, payload)) => {
                let (slot, payload) = (*slot, payload);
                self.succeed_attempt(&mut lockout, &ks, true)?;
                let (keys, sealer) = payload.keys(slot)?;
                // Rewrapping is an upgrade, not part of opening: if it fails the legacy
                // slot still opens and the next unlock tries again.
                let _ = self.rewrap_legacy(&tried, &pass, slot, payload, &ks, &config);
                if payload.role == Role::Duress && payload.shred_primary {
                    self.shred_other_slot(slot)?;
                    // The real identity is gone already: what is left is ciphertext no key
                    // opens. Failing to delete it must not keep the decoy from opening,
                    // and must not be logged (either would be a tell); every later unlock
                    // with this passphrase shreds again and retries.
                    self.shred_rows_not_of(&keys).ok();
                }
                Ok(Session::unlocked(sealer, keys))
            }
            None => Err(self.fail_attempt(&lockout, now)),
        }
    }

    /// The one failure path of every passphrase attempt (unlock, change). The failure and
    /// its back-off were recorded by [`VaultCtx::begin_attempt`] before the passphrase was
    /// tried; here the opt-in wipe-after count is checked. Returns the error the caller
    /// reports ([`Error::WrongPassphrase`], or a storage error if the wipe failed).
    fn fail_attempt(&self, lockout: &Lockout, now: i64) -> Error {
        if lockout.wipe_after.is_some_and(|n| lockout.failures >= n) {
            if let Err(e) = self.wipe() {
                return e;
            }
            return Error::WrongPassphrase { retry_after_s: 0 };
        }
        Error::WrongPassphrase {
            retry_after_s: remaining_s(lockout.not_before_ms, now),
        }
    }

    /// A passphrase opened a slot: the attempt counted in advance is taken back and the
    /// count starts again from zero. Probes are cleared only by an unlock (`unlock`): a
    /// passphrase change must not clear the probe its own "must differ" check counts.
    fn succeed_attempt(
        &self,
        lockout: &mut Lockout,
        ks: &Option<Arc<dyn KeyStore>>,
        clear_probes: bool,
    ) -> Result<()> {
        lockout.failures = 0;
        if clear_probes {
            lockout.probes = 0;
        }
        // The back-off the kept probes earned had passed before this attempt began.
        lockout.not_before_ms = 0;
        self.save_lockout(lockout, ks)
    }

    /// Replaces the passphrase slot other than `keep` with the chaff slot: the identity it
    /// held is destroyed (crypto-shred) and the files look as they always do.
    fn shred_other_slot(&self, keep: i64) -> Result<()> {
        // Read again: the chaff slot may just have been rewrapped.
        let slots = self.load_slots()?;
        let chaff = slots
            .iter()
            .find(|(s, _)| *s == CHAFF_SLOT)
            .map(|(_, w)| w.clone())
            .ok_or(Error::Corrupt("vault key slots missing"))?;
        let other = 1 - keep;
        self.store.transaction(|tx| {
            tx.execute(
                "UPDATE vault_slot SET wrapped = ?1 WHERE slot = ?2",
                rusqlite::params![chaff, other],
            )?;
            Ok(())
        })?;
        self.store.checkpoint()
    }

    /// Destroys the vault: every table and file directory a storage component declares
    /// personal ([`crate::store::Component`]): the slots, the lockout row, every sealed
    /// row of every vault, every attachment file. The WAL is checkpointed and truncated.
    pub fn wipe(&self) -> Result<()> {
        self.store.transaction(|tx| {
            for table in wipe_tables(self.store) {
                if table_exists(tx, table)? {
                    tx.execute(&format!("DELETE FROM \"{table}\""), [])?;
                }
            }
            Ok(())
        })?;
        self.store.checkpoint()?;
        for d in self.store.personal_dirs() {
            if let Ok(entries) = std::fs::read_dir(self.data_dir.join(d.dir)) {
                for e in entries.flatten() {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(())
    }

    /// After a duress unlock that shreds the real vault: deletes every declared personal
    /// row that is not the decoy's (the real vault's rows, unreadable once its slot is
    /// gone) and every personal file no remaining row names, so the store holds only what
    /// the decoy lists. Rows are told apart by their keyed tags, as the capabilities do.
    fn shred_rows_not_of(&self, keys: &VaultKeys) -> Result<()> {
        self.store.transaction(|tx| {
            for t in self.store.personal_tables() {
                let kind = match t.holds {
                    Holds::Tagged(kind) => kind,
                    Holds::PerVault(kind) => {
                        if table_exists(tx, t.name)? {
                            tx.execute(
                                &format!("DELETE FROM \"{}\" WHERE tag IS NOT ?1", t.name),
                                [keys.row_tag(kind, "")],
                            )?;
                        }
                        continue;
                    }
                    // Vault rows: the slot was replaced; child rows: cascade.
                    _ => continue,
                };
                if !table_exists(tx, t.name)? {
                    continue;
                }
                let rows: Vec<(String, Option<Vec<u8>>)> = {
                    let mut st = tx.prepare(&format!("SELECT id, tag FROM \"{}\"", t.name))?;
                    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                for (id, tag) in rows {
                    if tag.as_deref() != Some(keys.row_tag(kind, &id).as_slice()) {
                        tx.execute(&format!("DELETE FROM \"{}\" WHERE id = ?1", t.name), [id])?;
                    }
                }
            }
            Ok(())
        })?;
        self.store.checkpoint()?;
        for d in self.store.personal_dirs() {
            let known: std::collections::HashSet<String> = self.store.with_conn(|c| {
                if !table_exists(c, d.table)? {
                    return Ok(Default::default());
                }
                let mut st = c.prepare(&format!("SELECT \"{}\" FROM \"{}\"", d.column, d.table))?;
                let rows = st.query_map([], |r| r.get::<_, String>(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })?;
            if let Ok(entries) = std::fs::read_dir(self.data_dir.join(d.dir)) {
                for e in entries.flatten() {
                    if !known.contains(e.file_name().to_string_lossy().as_ref()) {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        Ok(())
    }

    /// Changes the passphrase of whichever slot `old` opens (the real one or the duress
    /// one). Only that slot is rewrapped; no record is touched. A wrong `old` counts as a
    /// failed attempt.
    pub fn change_passphrase(&self, old: &str, new: &str) -> Result<()> {
        let old = normalise(old)?;
        let new = normalise(new)?;
        let Attempt {
            config,
            ks,
            mut lockout,
            now,
        } = self.begin_attempt()?;
        let slots = self.load_slots()?;
        let tried = self.try_slots(&old, &slots, &ks, &config)?;
        let Some((slot, payload)) = &tried.found else {
            return Err(self.fail_attempt(&lockout, now));
        };
        let slot = *slot;
        self.succeed_attempt(&mut lockout, &ks, false)?;
        // Whether `new` opens the other slot is a guess at the other passphrase: counted.
        self.begin_probe()?;
        let header = match &tried.derived {
            Some((h, _)) => h.clone(),
            None => SlotHeader::fresh(config.kdf()),
        };
        let key = derive_key(&new, &header)?;
        self.ensure_not_other(&new, &key, slot, &tried.inners, &config)?;
        let wrapped = self.wrap_outer(seal_slot(&header, &key, payload)?, &ks)?;
        let chaff = match tried
            .inners
            .iter()
            .any(|(s, b)| *s == CHAFF_SLOT && !is_v2(b))
        {
            true => {
                let sealed =
                    seal_slot(&header, &random_key(), &Payload::fresh(Role::Chaff, false))?;
                Some(self.wrap_outer(sealed, &ks)?)
            }
            false => None,
        };
        self.store.transaction(|tx| {
            tx.execute(
                "UPDATE vault_slot SET wrapped = ?1 WHERE slot = ?2",
                rusqlite::params![wrapped, slot],
            )?;
            if let Some(c) = &chaff {
                tx.execute(
                    "UPDATE vault_slot SET wrapped = ?1 WHERE slot = ?2",
                    rusqlite::params![c, CHAFF_SLOT],
                )?;
            }
            Ok(())
        })?;
        // The old wrap must not survive in the WAL.
        self.store.checkpoint()
    }

    /// Refuses a passphrase that already opens the passphrase slot other than `slot`
    /// (`key`: the passphrase derived under the vault's header). The caller has counted
    /// the check ([`VaultCtx::begin_probe`]).
    fn ensure_not_other(
        &self,
        pass: &SecretString,
        key: &[u8; 32],
        slot: i64,
        inners: &[(i64, Vec<u8>)],
        config: &VaultConfig,
    ) -> Result<()> {
        let other = inners
            .iter()
            .find(|(s, _)| *s == 1 - slot)
            .ok_or(Error::Corrupt("vault key slots missing"))?;
        let opened = match is_v2(&other.1) {
            true => open_slot(&other.1, key),
            false => age_unwrap(&other.1, pass, config.scrypt_log_n),
        };
        if let Ok(Some(p)) = opened {
            if p.role != Role::Chaff {
                return Err(Error::invalid(
                    "passphrase",
                    "must differ from the other passphrase",
                ));
            }
        }
        Ok(())
    }

    /// Sets (or replaces) the duress passphrase. In the real vault: the decoy gets a
    /// fresh, empty journal; `shred_real` makes its use destroy the real vault.
    ///
    /// Checking that the duress passphrase is not the session's own is a guess at that
    /// passphrase, so it is counted first like an attempt ([`VaultCtx::begin_probe`]):
    /// during a back-off it is refused with [`Error::WrongPassphrase`].
    ///
    /// In the decoy session it behaves exactly the same to the person holding the phone
    /// (same checks, same errors, same work, success) but stores nothing: the only
    /// slot it could replace is the real vault's.
    pub fn set_duress(&self, keys: &VaultKeys, duress: &str, shred_real: bool) -> Result<()> {
        let pass = normalise(duress)?;
        self.begin_probe()?;
        let config = self.handle.config()?;
        let ks = self.handle.key_store()?;
        let slots = self.load_slots()?;
        let inners = self.open_rows(&slots, &ks)?;
        let header =
            shared_header(&inners, &config)?.unwrap_or_else(|| SlotHeader::fresh(config.kdf()));
        let key = derive_key(&pass, &header)?;
        // The duress passphrase must not be the session's own.
        let own = inners
            .iter()
            .find(|(s, _)| *s == keys.slot)
            .ok_or(Error::Corrupt("vault key slots missing"))?;
        let same = match is_v2(&own.1) {
            true => open_slot(&own.1, &key),
            false => age_unwrap(&own.1, &pass, config.scrypt_log_n),
        };
        if matches!(same, Ok(Some(_))) {
            return Err(Error::invalid(
                "duress_passphrase",
                "must differ from the real passphrase",
            ));
        }
        let payload = Payload::fresh(Role::Duress, shred_real);
        let wrapped = self.wrap_outer(seal_slot(&header, &key, &payload)?, &ks)?;
        if keys.role != Role::Primary {
            return self.decoy_slot_write(wrapped);
        }
        self.replace_other_slot(keys.slot, wrapped)
    }

    /// Removes the duress passphrase (the decoy's identity is destroyed with its slot).
    /// In the decoy session: the same work and success, nothing stored (see
    /// [`VaultCtx::set_duress`]).
    pub fn clear_duress(&self, keys: &VaultKeys) -> Result<()> {
        let config = self.handle.config()?;
        let ks = self.handle.key_store()?;
        let slots = self.load_slots()?;
        let inners = self.open_rows(&slots, &ks)?;
        let header =
            shared_header(&inners, &config)?.unwrap_or_else(|| SlotHeader::fresh(config.kdf()));
        // The same derivation `set_duress` makes, on a passphrase nobody knows.
        let key = derive_key(&random_passphrase(), &header)?;
        let filler = Payload::fresh(Role::Chaff, false);
        let wrapped = self.wrap_outer(seal_slot(&header, &key, &filler)?, &ks)?;
        if keys.role != Role::Primary {
            return self.decoy_slot_write(wrapped);
        }
        self.replace_other_slot(keys.slot, wrapped)
    }

    /// What a slot change does in the decoy: the wrap was made (same time taken) and is
    /// dropped; the store is checkpointed as after a real slot write. The real vault's
    /// slot, the decoy's "other" slot, is never touched.
    fn decoy_slot_write(&self, wrapped: Vec<u8>) -> Result<()> {
        drop(wrapped);
        self.store.checkpoint()
    }

    fn replace_other_slot(&self, keep: i64, wrapped: Vec<u8>) -> Result<()> {
        self.store.transaction(|tx| {
            tx.execute(
                "UPDATE vault_slot SET wrapped = ?1 WHERE slot = ?2",
                rusqlite::params![wrapped, 1 - keep],
            )?;
            Ok(())
        })?;
        self.store.checkpoint()
    }

    /// Opt-in wipe after `n` consecutive failures (`None` turns it off). The decoy
    /// session gets the same checks, errors and writes, but the policy it saves is the one
    /// already in force: the decoy must not weaken or arm the real vault's policy.
    pub fn set_wipe_after(&self, keys: &VaultKeys, n: Option<u32>) -> Result<()> {
        if n == Some(0) {
            return Err(Error::invalid("wipe_after", "must be at least 1"));
        }
        let ks = self.handle.key_store()?;
        // Compare-and-swap like the attempts: a failure counted meanwhile (another thread
        // or process) is never overwritten with the count read before it.
        loop {
            let (stored, mut lockout) = self.load_lockout_row(&ks)?;
            #[cfg(test)]
            if let Some(meanwhile) = WIPE_AFTER_RACE.with(|h| h.borrow_mut().take()) {
                meanwhile(self);
            }
            if keys.role == Role::Primary {
                lockout.wipe_after = n;
            }
            let row = Self::wrap_lockout(&lockout, &ks)?;
            if self.swap_lockout_row(stored.as_deref(), &row)? {
                return Ok(());
            }
        }
    }
}

/// An unlocked session over a fresh vault identity with `role`, for tests of capabilities
/// that tag their rows.
#[cfg(test)]
pub(crate) fn test_session(role: Role) -> Session {
    let (keys, sealer) = Payload::fresh(role, false).keys(0).expect("fresh keys");
    Session::unlocked(sealer, keys)
}

fn table_exists(c: &rusqlite::Connection, table: &str) -> Result<bool> {
    let n: i64 = c.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

fn remaining_s(not_before_ms: i64, now_ms: i64) -> u64 {
    let ms = not_before_ms.saturating_sub(now_ms).max(0);
    u64::try_from((ms + 999) / 1000).unwrap_or(0)
}

#[cfg(test)]
mod age_vectors;
#[cfg(test)]
mod tests;
