//! Record sealing. Small on purpose; edit with care. (The platform key seam is in
//! [`crate::platform`].)
//!
//! Every personal record is sealed with XChaCha20-Poly1305 under a key derived by
//! HKDF-SHA256 from the vault's master secret, one key per record *kind*. The record's kind,
//! id and revision are bound as associated data, so swapping two rows' ciphertexts, or
//! replaying an older revision under a newer one, fails authentication. Plaintexts are
//! padded to size buckets before sealing so a row's length says little about its content.
//!
//! Sealed layout: `0x01 || nonce (24) || ciphertext+tag`. The padded plaintext is
//! `len (u32 LE) || data || zeros` up to the bucket size.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// Version byte of the sealed layout.
const SEALED_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HKDF_SALT: &[u8] = b"waypoint/record-keys/v1";

/// A 32-byte secret that is wiped from memory when dropped and never printed.
#[derive(Clone, zeroize::ZeroizeOnDrop)]
pub struct SecretKey([u8; 32], #[zeroize(skip)] KeyProbe);

/// Marks a value holding key material so tests can tell whether any is still alive (see
/// `key_probe`, test builds only). Nothing at all outside test builds: a zero-sized field.
/// Carried by [`SecretKey`], [`KindSealer`], the vault keys and each journal entry key.
pub(crate) struct KeyProbe {
    #[cfg(test)]
    id: u64,
}

impl KeyProbe {
    pub(crate) fn new() -> Self {
        Self {
            #[cfg(test)]
            id: key_probe::register(),
        }
    }
}

impl Clone for KeyProbe {
    /// A copy of a key is another key to account for.
    fn clone(&self) -> Self {
        Self::new()
    }
}

#[cfg(test)]
impl Drop for KeyProbe {
    fn drop(&mut self) {
        key_probe::unregister(self.id);
    }
}

/// Test-only accounting of live key material: every [`SecretKey`] and [`KindSealer`]
/// (and every copy of one) registers when made and unregisters when dropped, which is when
/// its bytes are wiped. A test opens a [`key_probe::Scope`] on its thread; keys made on that
/// thread while it is open are counted, wherever they end up (a session, a cache, a static),
/// so "locking leaves no key alive" is something a test can check and see fail.
#[cfg(test)]
pub(crate) mod key_probe {
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;

    static NEXT: AtomicU64 = AtomicU64::new(1);
    static LIVE: Mutex<Option<HashMap<u64, u64>>> = Mutex::new(None);

    thread_local! {
        static SCOPE: Cell<u64> = const { Cell::new(0) };
    }

    fn live() -> std::sync::MutexGuard<'static, Option<HashMap<u64, u64>>> {
        LIVE.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn register() -> u64 {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let scope = SCOPE.with(Cell::get);
        if scope != 0 {
            live().get_or_insert_with(HashMap::new).insert(id, scope);
        }
        id
    }

    pub(crate) fn unregister(id: u64) {
        if let Some(map) = live().as_mut() {
            map.remove(&id);
        }
    }

    /// Counts the keys made on this thread while it is alive.
    pub(crate) struct Scope(u64);

    impl Scope {
        /// Starts counting on the current thread.
        pub(crate) fn begin() -> Self {
            let id = NEXT.fetch_add(1, Ordering::Relaxed);
            SCOPE.with(|s| s.set(id));
            Scope(id)
        }

        /// Keys made in this scope that have not been dropped (and wiped) yet.
        pub(crate) fn live_keys(&self) -> usize {
            live()
                .as_ref()
                .map_or(0, |m| m.values().filter(|s| **s == self.0).count())
        }
    }

    impl Drop for Scope {
        fn drop(&mut self) {
            SCOPE.with(|s| s.set(0));
            if let Some(map) = live().as_mut() {
                map.retain(|_, s| *s != self.0);
            }
        }
    }
}

impl SecretKey {
    /// Wraps existing key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes, KeyProbe::new())
    }

    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes, KeyProbe::new())
    }

    /// The raw bytes; keep the borrow short.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// Derives a sub-key for `purpose` (HKDF-SHA256, fixed salt).
    pub fn derive(&self, purpose: &str) -> SecretKey {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), &self.0);
        let mut out = [0u8; 32];
        hk.expand(purpose.as_bytes(), &mut out)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        SecretKey(out, KeyProbe::new())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Rounds a plaintext length up to its bucket: powers of two from 256 bytes to 64 KiB,
/// then whole multiples of 64 KiB.
pub fn bucket_len(len: usize) -> usize {
    const MIN: usize = 256;
    const STEP: usize = 64 * 1024;
    if len <= MIN {
        MIN
    } else if len <= STEP {
        len.next_power_of_two()
    } else {
        len.div_ceil(STEP) * STEP
    }
}

/// The padded length of a streamed file (attachments) of `len` bytes: the record buckets
/// up to 64 KiB (powers of two from 256 bytes), then Padmé rounding (keep the top
/// `floor(log2(e)) + 1` bits of the length, `e = floor(log2(len))`), which costs at most
/// 1/32 (3.1%) above 64 KiB and reveals only O(log log len) bits of the exact size.
pub fn padded_stream_len(len: u64) -> u64 {
    const STEP: u64 = 64 * 1024;
    if len <= STEP {
        // At most 64 KiB: the same buckets as records.
        return bucket_len(usize::try_from(len).unwrap_or(usize::MAX)) as u64;
    }
    let e = 63 - u64::from(len.leading_zeros());
    let s = 64 - u64::from(e.leading_zeros());
    let low_bits = e - s;
    let mask = (1u64 << low_bits) - 1;
    len.saturating_add(mask) & !mask
}

fn pad(data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let len = u32::try_from(data.len()).map_err(|_| Error::invalid("record", "too large"))?;
    let total = bucket_len(data.len() + 4);
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(data);
    out.resize(total, 0);
    Ok(out)
}

fn unpad(mut padded: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>> {
    if padded.len() < 4 {
        return Err(Error::Corrupt("record padding"));
    }
    let len = u32::from_le_bytes([padded[0], padded[1], padded[2], padded[3]]) as usize;
    if len > padded.len() - 4 {
        return Err(Error::Corrupt("record padding"));
    }
    padded.copy_within(4..4 + len, 0);
    padded[len..].zeroize();
    padded.truncate(len);
    Ok(padded)
}

fn associated_data(kind: &str, id: &str, revision: u64) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + kind.len() + id.len());
    aad.extend_from_slice(b"waypoint/record/v1");
    for part in [kind.as_bytes(), id.as_bytes()] {
        aad.extend_from_slice(&(part.len() as u64).to_le_bytes());
        aad.extend_from_slice(part);
    }
    aad.extend_from_slice(&revision.to_le_bytes());
    aad
}

/// Seals and opens records with keys derived from the vault's master secret.
///
/// Exists only while the vault is unlocked; dropping it wipes the master secret.
#[derive(Clone)]
pub struct RecordSealer {
    master: SecretKey,
}

impl std::fmt::Debug for RecordSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordSealer(<redacted>)")
    }
}

impl RecordSealer {
    /// A sealer over `master` (the unlocked vault secret).
    pub fn new(master: SecretKey) -> Self {
        Self { master }
    }

    /// The master secret, for deriving keys other than record keys (e.g. attachments).
    pub fn master(&self) -> &SecretKey {
        &self.master
    }

    fn cipher(&self, kind: &str) -> XChaCha20Poly1305 {
        let key = self.master.derive(&format!("record/{kind}"));
        XChaCha20Poly1305::new(key.expose().into())
    }

    /// A sealer for one record kind with its key derived once (for hot loops, e.g.
    /// decrypting every journal entry after unlock). Same format as [`RecordSealer::seal`].
    pub fn kind(&self, kind: &str) -> KindSealer {
        KindSealer {
            kind: kind.to_owned(),
            cipher: self.cipher(kind),
            _probe: KeyProbe::new(),
        }
    }

    /// Seals `plaintext` as revision `revision` of record `id` of kind `kind`.
    pub fn seal(&self, kind: &str, id: &str, revision: u64, plaintext: &[u8]) -> Result<Vec<u8>> {
        seal_with(&self.cipher(kind), kind, id, revision, plaintext)
    }

    /// Opens what [`RecordSealer::seal`] produced for the same kind, id and revision.
    /// Any mismatch or tampering is [`Error::Corrupt`].
    pub fn open(
        &self,
        kind: &str,
        id: &str,
        revision: u64,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        open_with(&self.cipher(kind), kind, id, revision, sealed)
    }
}

/// A [`RecordSealer`] bound to one record kind, its key derived once. Dropped with the
/// session like everything else unlocked.
#[derive(Clone)]
pub struct KindSealer {
    kind: String,
    cipher: XChaCha20Poly1305,
    _probe: KeyProbe,
}

impl std::fmt::Debug for KindSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KindSealer(<redacted>)")
    }
}

impl KindSealer {
    /// A sealer for `kind` under `key` used directly (no derivation).
    pub fn from_key(kind: &str, key: &SecretKey) -> Self {
        Self {
            kind: kind.to_owned(),
            cipher: XChaCha20Poly1305::new(key.expose().into()),
            _probe: KeyProbe::new(),
        }
    }

    /// Seals like [`RecordSealer::seal`] for this kind.
    pub fn seal(&self, id: &str, revision: u64, plaintext: &[u8]) -> Result<Vec<u8>> {
        seal_with(&self.cipher, &self.kind, id, revision, plaintext)
    }

    /// Opens like [`RecordSealer::open`] for this kind.
    pub fn open(&self, id: &str, revision: u64, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        open_with(&self.cipher, &self.kind, id, revision, sealed)
    }
}

fn seal_with(
    cipher: &XChaCha20Poly1305,
    kind: &str,
    id: &str,
    revision: u64,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let padded = pad(plaintext)?;
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let aad = associated_data(kind, id, revision);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &padded,
                aad: &aad,
            },
        )
        .map_err(|_| Error::Crypto("seal failed"))?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(SEALED_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn open_with(
    cipher: &XChaCha20Poly1305,
    kind: &str,
    id: &str,
    revision: u64,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != SEALED_V1 {
        return Err(Error::Corrupt("sealed record"));
    }
    let nonce = XNonce::from_slice(&sealed[1..1 + NONCE_LEN]);
    let aad = associated_data(kind, id, revision);
    let padded = cipher
        .decrypt(
            nonce,
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad: &aad,
            },
        )
        .map_err(|_| Error::Corrupt("sealed record failed authentication"))?;
    unpad(Zeroizing::new(padded))
}

/// How an age STREAM file sealed to one X25519 identity is read (journal attachments): X25519 to the entry identity
/// only; a bad header or no matching stanza is [`Error::Corrupt`]; a damaged chunk surfaces
/// as an `InvalidData` read error (see `map_read_err`).
pub(crate) fn age_stream_reader<R: std::io::BufRead + Send + 'static>(
    input: R,
    identity: &age::x25519::Identity,
) -> Result<Box<dyn std::io::Read + Send>> {
    let dec = age::Decryptor::new_buffered(input).map_err(|_| Error::Corrupt("attachment file"))?;
    if dec.is_scrypt() {
        return Err(Error::Corrupt("attachment file"));
    }
    let reader = dec
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|_| Error::Corrupt("attachment file"))?;
    Ok(Box::new(reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> RecordSealer {
        RecordSealer::new(SecretKey::generate())
    }

    #[test]
    fn seal_open_round_trip() {
        let s = sealer();
        let sealed = s.seal("journal", "id-1", 3, b"hello").expect("seal");
        assert_eq!(
            &*s.open("journal", "id-1", 3, &sealed).expect("open"),
            b"hello"
        );
    }

    #[test]
    fn swapped_id_kind_or_revision_fails_authentication() {
        let s = sealer();
        let sealed = s.seal("journal", "id-1", 3, b"hello").expect("seal");
        assert!(matches!(
            s.open("journal", "id-2", 3, &sealed),
            Err(Error::Corrupt(_))
        ));
        assert!(matches!(
            s.open("journal", "id-1", 2, &sealed),
            Err(Error::Corrupt(_))
        ));
        assert!(matches!(
            s.open("appointment", "id-1", 3, &sealed),
            Err(Error::Corrupt(_))
        ));
    }

    #[test]
    fn flipped_or_truncated_bytes_fail_cleanly() {
        let s = sealer();
        let sealed = s.seal("journal", "id-1", 1, b"hello").expect("seal");
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x40;
            assert!(s.open("journal", "id-1", 1, &bad).is_err(), "flip at {i}");
        }
        for len in 0..sealed.len() {
            assert!(
                s.open("journal", "id-1", 1, &sealed[..len]).is_err(),
                "truncated to {len}"
            );
        }
    }

    #[test]
    fn another_master_key_cannot_open() {
        let sealed = sealer().seal("journal", "id", 1, b"x").expect("seal");
        assert!(sealer().open("journal", "id", 1, &sealed).is_err());
    }

    #[test]
    fn lengths_are_padded_to_buckets() {
        let s = sealer();
        let short = s.seal("k", "i", 1, b"a").expect("seal");
        let longer = s.seal("k", "i", 1, &[b'a'; 200]).expect("seal");
        assert_eq!(short.len(), longer.len(), "both in the 256-byte bucket");
        assert_eq!(bucket_len(257), 512);
        assert_eq!(bucket_len(65_537), 131_072);
        assert_eq!(bucket_len(200_000), 262_144);
    }

    #[test]
    fn streamed_files_pad_to_buckets_with_bounded_overhead() {
        assert_eq!(padded_stream_len(0), 256);
        assert_eq!(padded_stream_len(3_000), 4_096);
        assert_eq!(padded_stream_len(4_096), 4_096);
        assert_eq!(padded_stream_len(65_536), 65_536);
        let mut seen = std::collections::BTreeSet::new();
        for len in (65_537..64 * 1024 * 1024).step_by(9_973) {
            let p = padded_stream_len(len);
            assert!(p >= len, "{len}");
            assert!((p - len) * 32 <= len, "overhead above 1/32 at {len}");
            seen.insert(p);
        }
        assert!(seen.len() < 400, "few distinct sizes: {}", seen.len());
    }

    #[test]
    fn debug_output_redacts_keys() {
        let k = SecretKey::from_bytes([0xAB; 32]);
        let shown = format!("{k:?} {:?}", RecordSealer::new(k.clone()));
        assert!(!shown.to_lowercase().contains("ab, ab") && !shown.contains("171"));
        assert!(shown.contains("redacted"));
    }
}
