//! The application layer: one opened data directory and the capabilities wired together.
//!
//! [`Core`] owns the store, the injected clock, the unlocked [`Session`], the vault's
//! config and platform key, and the lock that serialises the sealed reminder schedule. Its
//! methods (in the sibling files, one per capability) are the operations the phones and
//! the CLI reach; they return the internal [`Error`]. The exported `ffi` objects hold an
//! `Arc<Core>` and only delegate and convert errors; domain tests run here, below them.
//!
//! Import rule: `app` may use every capability and the ground (store, crypto, platform);
//! no capability and nothing of the ground uses `app` (checked by `layers::tests`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::platform::{Clock, FileKeyStore, KeyStore};
use crate::session::Session;
use crate::store::{Component, Store};
use crate::vault::VaultConfig;

mod appointments;
mod directory;
pub mod disguise;
#[cfg(test)]
mod disguise_tests;
mod documents;
#[cfg(test)]
mod duress_tests;
mod guides;
mod journal;
mod safety_plan;
mod sharing;
mod sync;
mod vault;

pub use appointments::AppointmentChange;
pub use disguise::{
    AppEvent, CalcKey, CalcOutput, DecoyInfo, DisguiseController, LauncherAliasInfo,
    OnboardingStep, QuickExitOutcome, Screen,
};
pub use documents::DocumentChange;
pub use guides::{
    ids as guide_ids, GuideList, GuideSectionText, GuideSource, GuideSummary, GuideText,
};
pub use safety_plan::{
    CheckForm, CheckQuestionText, CheckResult, PlanGuide, SectionGuideText, SuggestedHelp,
};

/// Every storage component of this build, in the order they are migrated. Each capability
/// declares its own (tables, personal files, steps); the application hands the list to the
/// store, which knows none of them by name.
pub const COMPONENTS: &[Component] = &[
    crate::store::META,
    crate::vault::VAULT,
    crate::journal::JOURNAL,
    crate::appointments::APPOINTMENTS,
    crate::documents::DOCUMENTS,
    crate::safety_plan::SAFETY_PLAN,
    crate::directory::DIRECTORY,
    crate::sync::SYNC,
    crate::sharing::SHARING,
    crate::guides::published::GUIDES_STORE,
];

/// Opens the store of `data_dir` with every component of this build.
pub fn open_store(data_dir: &Path) -> Result<Store> {
    Store::open_with(data_dir, COMPONENTS)
}

/// Whether the vault exists and is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum VaultState {
    /// No vault has been set up in this data directory yet.
    Uninitialized,
    /// A vault exists and is locked.
    Locked,
    /// The vault is unlocked.
    Unlocked,
}

/// Schema version of one storage component.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SchemaVersion {
    /// Component name (`meta`, `vault`, `journal`, `directory`, ...).
    pub component: String,
    /// Its version in this data directory.
    pub version: u32,
}

/// What a UI (or `waypoint status`) needs to know at a glance. Holds nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Status {
    /// Version of this core build.
    pub core_version: String,
    /// Schema version per storage component.
    pub schema: Vec<SchemaVersion>,
    /// Vault state.
    pub vault: VaultState,
    /// Version of the directory bundle in use, if any.
    pub directory_version: Option<u64>,
}

/// One data directory, opened, with every capability wired to it.
pub struct Core {
    pub(crate) data_dir: PathBuf,
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) session: Mutex<Option<Session>>,
    pub(crate) vault: crate::vault::VaultHandle,
    /// Serialises read-modify-write of the sealed reminder schedules (per data directory;
    /// no platform callback can take it, and none is called while it is held except the
    /// key store, which never re-enters a reminder call).
    pub(crate) schedule_lock: Mutex<()>,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core").finish_non_exhaustive()
    }
}

impl Core {
    /// Opens (creating and migrating if needed) `data_dir` with the release vault config
    /// and the stand-in platform key (see [`Core::open_with_config`]).
    pub fn open(data_dir: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Arc<Self>> {
        Self::open_with_config(data_dir, clock, None, VaultConfig::default())
    }

    /// Opens `data_dir` with an explicit vault config and platform key.
    ///
    /// The one place the "no platform key" policy is applied (see [`crate::platform`]):
    /// without one, the data directory's [`FileKeyStore`] stands in.
    pub fn open_with_config(
        data_dir: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
        key_store: Option<Arc<dyn KeyStore>>,
        config: VaultConfig,
    ) -> Result<Arc<Self>> {
        config.validate()?;
        let data_dir = data_dir.as_ref().to_path_buf();
        if data_dir.as_os_str().is_empty() {
            return Err(Error::invalid("data_dir", "must not be empty"));
        }
        let store = open_store(&data_dir)?;
        crate::directory::open(&store, clock.now_unix_ms().div_euclid(1000))?;
        let key_store: Arc<dyn KeyStore> = match key_store {
            Some(ks) => ks,
            None => FileKeyStore::new(data_dir.to_string_lossy().into_owned()),
        };
        let vault = crate::vault::VaultHandle::default();
        vault.configure(config, Some(key_store))?;
        Ok(Arc::new(Self {
            data_dir,
            store,
            clock,
            session: Mutex::new(None),
            vault,
            schedule_lock: Mutex::new(()),
        }))
    }

    /// A snapshot of what is stored and whether the vault is open.
    pub fn status(&self) -> Result<Status> {
        let schema = self
            .store
            .versions()?
            .into_iter()
            .map(|v| SchemaVersion {
                component: v.name,
                version: v.version,
            })
            .collect();
        Ok(Status {
            core_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema,
            vault: self.vault_state()?,
            directory_version: crate::directory::installed_version(&self.store)?,
        })
    }

    /// Runs `f` with the unlocked session, or fails with [`Error::Locked`].
    pub(crate) fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let mut guard = self.session.lock()?;
        let session = guard.as_mut().ok_or(Error::Locked)?;
        f(session)
    }

    /// Whether a session is open.
    pub(crate) fn is_unlocked(&self) -> Result<bool> {
        Ok(self.session.lock()?.is_some())
    }

    /// Drops the unlocked session: every key and in-memory index over personal data goes
    /// with it (they zeroise on drop). The one way to lock, shared by `lock()` and the
    /// quick exit; it never fails, even if a panic poisoned the lock.
    pub(crate) fn drop_session(&self) {
        let taken = match self.session.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        drop(taken);
    }

    /// The data directory (for modules that keep files beside the database).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The platform key (the configured one, or the stand-in).
    pub(crate) fn key_store(&self) -> Result<Arc<dyn KeyStore>> {
        self.vault
            .key_store()?
            .ok_or_else(|| Error::invalid("key_store", "no platform key"))
    }

    /// The clock's "now", Unix ms. Read before any lock is taken (it is a foreign call).
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_unix_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::FakeClock;

    #[test]
    fn open_creates_store_and_reports_status() {
        let dir = tempfile::tempdir().expect("tempdir");
        let core = Core::open(dir.path(), Arc::new(FakeClock::new(0))).expect("open");
        let status = core.status().expect("status");
        assert!(status
            .schema
            .iter()
            .any(|s| s.component == "meta" && s.version >= 1));
        assert_eq!(status.vault, VaultState::Uninitialized);
        assert!(dir.path().join(crate::store::DB_FILE).exists());
    }

    #[test]
    fn empty_data_dir_is_invalid_input() {
        let err = Core::open("", Arc::new(FakeClock::new(0))).expect_err("empty");
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "data_dir"));
    }

    #[test]
    fn locked_operations_say_locked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let core = Core::open(dir.path(), Arc::new(FakeClock::new(0))).expect("open");
        let err = core.with_session(|_| Ok(())).expect_err("locked");
        assert!(matches!(err, Error::Locked));
    }
}
