//! The platform seams, in one place: what the phone (or the desktop) supplies to the core.
//!
//! | seam | Android | iOS | desktop / tests |
//! |---|---|---|---|
//! | [`Clock`] | `System.currentTimeMillis` | `Date()` | [`SystemClock`], [`FakeClock`] |
//! | [`KeyStore`] | Android Keystore / StrongBox | Keychain / Secure Enclave | [`FileKeyStore`] |
//! | [`NotificationScheduler`] | AlarmManager + NotificationManager | UNUserNotificationCenter | [`DesktopNotificationScheduler`] |
//!
//! They are foreign traits: the core never calls one while holding a lock, and a failing
//! callback arrives as a [`PlatformError`] (converted to the core's `Error::Platform`).
//!
//! # Rows sealed under the platform key
//! Three things must be readable while the vault is locked and so are sealed under the
//! platform key, not the vault key: the vault's key slots and lockout state, the reminder
//! schedule (a rebooted, locked phone reschedules from it) and the disguise settings (the
//! decoy renders before anyone unlocks). All three go through [`seal_row`] / [`open_row`]:
//! one format (`0x02 || KeyStore::seal(label, plaintext)`), one error for each failure.
//!
//! # No platform key: one policy
//! The phones always supply their platform key. Where none is supplied (the desktop CLI's
//! tests, benchmarks, a misconfigured app), the data directory's [`FileKeyStore`]
//! (`device.key`) stands in, chosen in exactly one place, `app::Core::open_with_config`.
//! So every row above is always sealed and always in the same format; nothing is silently
//! kept plain, and nothing is refused for want of a key. The stand-in protects nothing
//! against someone who holds the files (the key lies beside them); it exists so the same
//! code runs everywhere. Vaults set up by earlier builds without a platform key keep their
//! plain-marked slots readable (the vault reads that marker itself); a vault whose slots
//! carry the platform wrap still refuses a lockout row that is not sealed (the downgrade
//! refusal in `vault`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::crypto::{RecordSealer, SecretKey};
use crate::error::{Error, Result};

/// Marker byte of a row sealed under the platform key.
pub const SEALED_ROW: u8 = 2;

/// A platform callback failed. One line, never personal data.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
pub enum PlatformError {
    /// The platform could not do what was asked (key unavailable, scheduler refused...).
    #[error("platform: {reason}")]
    Failed {
        /// One-line reason.
        reason: String,
    },
}

#[cfg(feature = "uniffi")]
impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { reason: e.reason }
    }
}

impl From<Error> for PlatformError {
    fn from(e: Error) -> Self {
        Self::Failed {
            reason: e.to_string(),
        }
    }
}

impl From<PlatformError> for Error {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::Failed { reason } => Error::Platform(reason),
        }
    }
}

/// Seals `plaintext` under the platform key for `label` as a row: [`SEALED_ROW`] then the
/// key store's ciphertext. The one way the core writes a row sealed by the platform key.
pub fn seal_row(ks: &dyn KeyStore, label: &str, plaintext: Vec<u8>) -> Result<Vec<u8>> {
    let sealed = ks
        .seal(label.to_owned(), plaintext)
        .map_err(|_| Error::Crypto("the platform key refused to seal"))?;
    let mut out = Vec::with_capacity(1 + sealed.len());
    out.push(SEALED_ROW);
    out.extend(sealed);
    Ok(out)
}

/// Opens a row [`seal_row`] wrote for `label`. Rows written before the marker existed (the
/// reminder schedule and the disguise settings of earlier builds: the key store's
/// ciphertext alone) are opened too: they are just as authenticated by the platform key
/// and are rewritten with the marker on their next save. Anything the platform key does
/// not authenticate (a plain row, a row for another label or key) is [`Error::Corrupt`]:
/// a row that must be sealed is never accepted unsealed.
pub fn open_row(ks: &dyn KeyStore, label: &str, row: &[u8]) -> Result<Vec<u8>> {
    if let Some((&SEALED_ROW, sealed)) = row.split_first() {
        if let Ok(plain) = ks.unseal(label.to_owned(), sealed.to_vec()) {
            return Ok(plain);
        }
    }
    ks.unseal(label.to_owned(), row.to_vec())
        .map_err(|_| Error::Corrupt("a row sealed by the platform key could not be opened"))
}

/// A source of the current time, supplied by the platform (or a fake in tests).
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch, UTC. May jump backwards: callers must cope.
    fn now_unix_ms(&self) -> i64;
}

/// The operating system's wall clock.
#[derive(Debug, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct SystemClock;

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Clock for SystemClock {
    fn now_unix_ms(&self) -> i64 {
        let now = std::time::SystemTime::now();
        match now.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            // A clock set before 1970 is treated as the epoch itself.
            Err(_) => 0,
        }
    }
}

/// The system clock as a shareable [`Clock`], for platforms that have nothing better.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// A clock that only moves when told to; for tests across the workspace.
#[derive(Debug, Default)]
pub struct FakeClock {
    now_ms: std::sync::atomic::AtomicI64,
}

impl FakeClock {
    /// A fake clock reading `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Self {
            now_ms: std::sync::atomic::AtomicI64::new(now_ms),
        }
    }

    /// Sets the time, forwards or backwards.
    pub fn set(&self, now_ms: i64) {
        self.now_ms
            .store(now_ms, std::sync::atomic::Ordering::SeqCst);
    }

    /// Moves the time by `delta_ms` (negative moves it back).
    pub fn advance(&self, delta_ms: i64) {
        self.now_ms
            .fetch_add(delta_ms, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now_unix_ms(&self) -> i64 {
        self.now_ms.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A key held by the platform (Android Keystore, iOS Keychain / Secure Enclave).
///
/// It adds a second wrap around the vault key and seals what must be readable while the
/// vault is locked (the reminder schedule after a reboot: fire times and ids only).
/// `label` names the purpose and is bound to the ciphertext.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait KeyStore: Send + Sync {
    /// Encrypts `plaintext` under the platform key for `label`.
    fn seal(&self, label: String, plaintext: Vec<u8>) -> Result<Vec<u8>, PlatformError>;
    /// Decrypts what `seal` produced for the same `label`. (Not named `open`: UniFFI 0.32.2
    /// writes a Swift-escaped `` `open` `` into the C header's callback vtable, which then
    /// fails to compile; ios/check-swift.sh caught it.)
    fn unseal(&self, label: String, sealed: Vec<u8>) -> Result<Vec<u8>, PlatformError>;
}

/// The desktop and test stand-in for a platform key: a random key in a file in the data
/// directory. It protects nothing against someone who has the files (the real platform
/// keys do); it exists so the same code paths run everywhere.
#[derive(Debug)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct FileKeyStore {
    path: PathBuf,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl FileKeyStore {
    /// A key store keeping its key in `<data_dir>/device.key` (created on first use).
    #[cfg_attr(feature = "uniffi", uniffi::constructor)]
    pub fn new(data_dir: String) -> Arc<Self> {
        Arc::new(Self {
            path: Path::new(&data_dir).join("device.key"),
        })
    }
}

impl FileKeyStore {
    fn key(&self) -> Result<SecretKey> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                // A key file from an older build may be world-readable.
                crate::store::restrict_file(&self.path)?;
                let arr: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| Error::Corrupt("device key file"))?;
                Ok(SecretKey::from_bytes(arr))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                if let Some(dir) = self.path.parent() {
                    crate::store::create_private_dir(dir)?;
                }
                let tmp = self.path.with_extension("key.tmp");
                {
                    use std::io::Write;
                    let mut f = crate::store::create_private_file(&tmp)?;
                    f.write_all(key.expose())?;
                    f.sync_all()?;
                }
                std::fs::rename(&tmp, &self.path)?;
                Ok(key)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn sealer(&self) -> Result<RecordSealer> {
        Ok(RecordSealer::new(self.key()?))
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl KeyStore for FileKeyStore {
    fn seal(&self, label: String, plaintext: Vec<u8>) -> Result<Vec<u8>, PlatformError> {
        Ok(self.sealer()?.seal("platform", &label, 0, &plaintext)?)
    }

    fn unseal(&self, label: String, sealed: Vec<u8>) -> Result<Vec<u8>, PlatformError> {
        Ok(self
            .sealer()?
            .open("platform", &label, 0, &sealed)?
            .to_vec())
    }
}

/// One notification for the platform to show at `fire_at_ms`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlannedReminder {
    /// Stable opaque id (32 hex characters). Scheduling the same id again replaces it.
    pub notification_id: String,
    /// The same id as a non-negative 31-bit integer, for integer-keyed platform APIs.
    pub platform_id: i32,
    /// When to fire (Unix ms, UTC).
    pub fire_at_ms: i64,
    /// Neutral title (the voice's).
    pub title: String,
    /// Neutral body (the voice's).
    pub body: String,
}

/// What the platform implements to show notifications (Android AlarmManager +
/// NotificationManager, iOS UNUserNotificationCenter). The core calls it with no lock held.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait NotificationScheduler: Send + Sync {
    /// Schedules (or replaces, same id) one notification.
    fn schedule(&self, reminder: PlannedReminder) -> Result<(), PlatformError>;
    /// Cancels a scheduled notification; unknown ids are ignored.
    fn cancel(&self, notification_id: String) -> Result<(), PlatformError>;
}

/// The desktop scheduler used by the CLI and tests: keeps what is scheduled in memory so it
/// can be listed and fired (`due`). A desktop has no notification service it can rely on;
/// the CLI prints the plan instead.
#[derive(Debug, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct DesktopNotificationScheduler {
    pending: Mutex<std::collections::BTreeMap<String, PlannedReminder>>,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl DesktopNotificationScheduler {
    /// An empty scheduler.
    #[cfg_attr(feature = "uniffi", uniffi::constructor)]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Everything scheduled, by fire time.
    pub fn pending(&self) -> Vec<PlannedReminder> {
        let guard = match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let mut v: Vec<_> = guard.values().cloned().collect();
        v.sort_by(|a, b| {
            (a.fire_at_ms, &a.notification_id).cmp(&(b.fire_at_ms, &b.notification_id))
        });
        v
    }

    /// Removes and returns the notifications due at `now_ms` (what a desktop would show).
    pub fn take_due(&self, now_ms: i64) -> Vec<PlannedReminder> {
        let mut guard = match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let due: Vec<String> = guard
            .values()
            .filter(|r| r.fire_at_ms <= now_ms)
            .map(|r| r.notification_id.clone())
            .collect();
        due.iter().filter_map(|id| guard.remove(id)).collect()
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl NotificationScheduler for DesktopNotificationScheduler {
    fn schedule(&self, reminder: PlannedReminder) -> Result<(), PlatformError> {
        self.pending
            .lock()
            .map_err(|_| PlatformError::from(Error::Poisoned))?
            .insert(reminder.notification_id.clone(), reminder);
        Ok(())
    }

    fn cancel(&self, notification_id: String) -> Result<(), PlatformError> {
        self.pending
            .lock()
            .map_err(|_| PlatformError::from(Error::Poisoned))?
            .remove(&notification_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now_unix_ms() > 1_577_836_800_000);
    }

    #[test]
    fn fake_clock_moves_both_ways() {
        let c = FakeClock::new(1_000);
        c.advance(500);
        assert_eq!(c.now_unix_ms(), 1_500);
        c.set(10);
        assert_eq!(c.now_unix_ms(), 10);
    }

    #[test]
    fn file_key_store_round_trip_and_label_binding() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ks = FileKeyStore::new(dir.path().to_string_lossy().into_owned());
        let sealed = ks.seal("schedule".into(), b"times".to_vec()).expect("seal");
        assert_eq!(
            ks.unseal("schedule".into(), sealed.clone()).expect("open"),
            b"times"
        );
        assert!(ks.unseal("other".into(), sealed).is_err());
    }

    #[test]
    fn sealed_rows_round_trip_and_refuse_plain_or_foreign_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ks = FileKeyStore::new(dir.path().to_string_lossy().into_owned());
        let row = seal_row(ks.as_ref(), "a/label", b"settings".to_vec()).expect("seal");
        assert_eq!(row.first(), Some(&SEALED_ROW));
        assert_eq!(
            open_row(ks.as_ref(), "a/label", &row).expect("open"),
            b"settings"
        );
        assert!(open_row(ks.as_ref(), "another/label", &row).is_err());
        let mut plain = vec![1u8];
        plain.extend(b"settings");
        assert!(matches!(
            open_row(ks.as_ref(), "a/label", &plain),
            Err(Error::Corrupt(_))
        ));
        let other = tempfile::tempdir().expect("tempdir");
        let other = FileKeyStore::new(other.path().to_string_lossy().into_owned());
        assert!(open_row(other.as_ref(), "a/label", &row).is_err());
        // A row of an earlier build (the key store's ciphertext, no marker) still opens.
        let legacy = ks.seal("a/label".into(), b"old".to_vec()).expect("seal");
        assert_eq!(
            open_row(ks.as_ref(), "a/label", &legacy).expect("legacy"),
            b"old"
        );
    }
}
