//! The exported surface: one object per capability over the application layer.
//!
//! This layer is not the API of the core; it is how the phones (and the CLI) reach it.
//! [`Waypoint::open`] opens a data directory; `waypoint.vault()`, `.journal()`,
//! `.appointments()`, `.documents()`, `.safety_plan()`, `.guides()`, `.disguise()`, `.directory()`, `.directory_sync()` and `.sharing()` hand out one
//! object per capability. Each holds an `inner` ([`crate::app::Core`] or its disguise
//! controller) and each method is one delegation; the internal [`Error`] becomes
//! [`WaypointApiError`] here, in one place. Mirror types exist only where the exported
//! shape differs from the domain's (the directory's `launch_uri`, a redacting `Debug`).

use std::sync::Arc;

use crate::app::{Core, Status};
use crate::error::Error;
use crate::platform::{Clock, KeyStore};
use crate::vault::VaultConfig;

mod appointments;
pub mod directory;
pub mod disguise;
mod documents;
mod guides;
mod journal;
mod safety_plan;
mod screens;
mod sharing;
mod sync;
mod vault;

pub use appointments::Appointments;
pub use directory::Directory;
pub use disguise::Disguise;
pub use documents::Documents;
pub use guides::Guides;
pub use journal::Journal;
pub use safety_plan::SafetyPlanner;
pub use screens::{AppModel, StateObserver};
pub use sharing::Sharing;
pub use sync::DirectorySync;
pub use vault::Vault;

/// Errors as the phones see them. Few variants, each something a UI can act on.
/// Reasons never contain personal data.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum WaypointApiError {
    /// The passphrase did not open the vault; wait `retry_after_s` before trying again.
    #[error("wrong passphrase; try again in {retry_after_s} s")]
    WrongPassphrase {
        /// Seconds to wait before the next attempt is accepted.
        retry_after_s: u64,
    },
    /// The vault is locked (or not set up); unlock first.
    #[error("locked")]
    Locked,
    /// Input was rejected: `field` names it, `reason` says which rule it broke.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Which input.
        field: String,
        /// Why.
        reason: String,
    },
    /// No such record.
    #[error("not found")]
    NotFound,
    /// Storage failed (disk full, damaged data, newer schema, ...).
    #[error("storage: {reason}")]
    Storage {
        /// One-line reason.
        reason: String,
    },
    /// The network failed; the last good data is kept.
    #[error("network: {reason}")]
    Network {
        /// One-line reason.
        reason: String,
    },
    /// Directory data failed verification and was rejected; the last good data is kept.
    #[error("verification: {reason}")]
    Verification {
        /// One-line reason.
        reason: String,
    },
    /// Something unexpected inside the core or a platform callback.
    #[error("internal: {reason}")]
    Internal {
        /// One-line reason.
        reason: String,
    },
}

impl From<Error> for WaypointApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Locked => Self::Locked,
            Error::WrongPassphrase { retry_after_s } => Self::WrongPassphrase { retry_after_s },
            Error::InvalidInput { field, reason } => Self::InvalidInput { field, reason },
            Error::NotFound => Self::NotFound,
            Error::Verification(reason) => Self::Verification { reason },
            Error::Network(reason) => Self::Network { reason },
            e @ (Error::Corrupt(_)
            | Error::SchemaTooNew { .. }
            | Error::Sqlite(_)
            | Error::Io(_)) => Self::Storage {
                reason: e.to_string(),
            },
            e @ (Error::Crypto(_) | Error::Poisoned | Error::Platform(_)) => Self::Internal {
                reason: e.to_string(),
            },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for WaypointApiError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Internal { reason: e.reason }
    }
}

/// Shorthand for exported results.
pub type ApiResult<T> = std::result::Result<T, WaypointApiError>;

/// One data directory, opened. The phones keep exactly one for the app's lifetime and take
/// the capability objects from it.
#[derive(Debug, uniffi::Object)]
pub struct Waypoint {
    inner: Arc<Core>,
}

impl Waypoint {
    /// The opened core, for exported objects built over it (the screen model).
    pub(crate) fn core(&self) -> Arc<Core> {
        Arc::clone(&self.inner)
    }
}

#[uniffi::export]
impl Waypoint {
    /// Opens (creating and migrating if needed) the data directory `data_dir`.
    #[uniffi::constructor]
    pub fn open(data_dir: String, clock: Arc<dyn Clock>) -> ApiResult<Arc<Self>> {
        Ok(Arc::new(Self {
            inner: Core::open(data_dir, clock)?,
        }))
    }

    /// Opens `data_dir` with an explicit vault config and, optionally, a platform key that
    /// adds a second wrap around the vault key and seals what must be readable while locked
    /// (without one, the data directory's file key stands in: see docs/ARCHITECTURE.md).
    #[uniffi::constructor]
    pub fn open_with_config(
        data_dir: String,
        clock: Arc<dyn Clock>,
        key_store: Option<Arc<dyn KeyStore>>,
        config: VaultConfig,
    ) -> ApiResult<Arc<Self>> {
        Ok(Arc::new(Self {
            inner: Core::open_with_config(data_dir, clock, key_store, config)?,
        }))
    }

    /// A snapshot of what is stored and whether the vault is open.
    pub fn status(&self) -> ApiResult<Status> {
        Ok(self.inner.status()?)
    }

    /// The vault: set up, unlock, lock, passphrase, duress, wipe-after.
    pub fn vault(&self) -> Arc<Vault> {
        Arc::new(Vault::new(&self.inner))
    }

    /// The journal (needs the vault unlocked).
    pub fn journal(&self) -> Arc<Journal> {
        Arc::new(Journal::new(&self.inner))
    }

    /// Appointments and their private reminders.
    pub fn appointments(&self) -> Arc<Appointments> {
        Arc::new(Appointments::new(&self.inner))
    }

    /// A disguise controller (decoy calculator, lock state, quick exit, settings). Keep one
    /// per app process. Reads the settings (readable while locked).
    pub fn disguise(&self) -> ApiResult<Arc<Disguise>> {
        Ok(Arc::new(Disguise::new(self.inner.disguise_controller()?)))
    }

    /// The offline directory (public data: works locked).
    pub fn directory(&self) -> Arc<Directory> {
        Arc::new(Directory::new(&self.inner))
    }

    /// Directory sync with a server (blocks for up to the network timeouts).
    pub fn directory_sync(&self) -> Arc<DirectorySync> {
        Arc::new(DirectorySync::new(&self.inner))
    }

    /// The survivor's documents and their expiry reminders (needs the vault unlocked).
    pub fn documents(&self) -> Arc<Documents> {
        Arc::new(Documents::new(&self.inner))
    }

    /// The safety plan (needs the vault unlocked) and the check-in (works locked).
    pub fn safety_plan(&self) -> Arc<SafetyPlanner> {
        Arc::new(SafetyPlanner::new(&self.inner))
    }

    /// The packaged know-your-rights guides (public: works locked).
    pub fn guides(&self) -> Arc<Guides> {
        Arc::new(Guides::new(&self.inner))
    }

    /// Sharing chosen entries with one person (needs the vault unlocked).
    pub fn sharing(&self) -> Arc<Sharing> {
        Arc::new(Sharing::new(&self.inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::FakeClock;

    #[test]
    fn errors_convert_once_at_the_boundary() {
        let err = Waypoint::open(String::new(), Arc::new(FakeClock::new(0))).expect_err("empty");
        assert!(
            matches!(err, WaypointApiError::InvalidInput { ref field, .. } if field == "data_dir")
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let wp = Waypoint::open(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(0)),
        )
        .expect("open");
        assert!(matches!(
            wp.journal().list(Default::default()),
            Err(WaypointApiError::Locked)
        ));
    }
}
