//! The exported surface: thin objects over the capability modules.
//!
//! This layer is not the API of the modules; it is how the phones (and the CLI) reach them.
//! Each exported method takes the lock it needs, calls one module function and converts the
//! internal [`Error`] into [`WaypointApiError`] here, in one place. Capabilities add their
//! own `#[uniffi::export] impl Waypoint` blocks in sibling files.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::error::Error;
use crate::session::Session;
use crate::store::Store;

mod appointments;
pub mod directory;
pub mod disguise;
#[cfg(test)]
mod duress_tests;
mod journal;
mod vault;

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
            e @ (Error::Crypto(_) | Error::Poisoned) => Self::Internal {
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

mod sync;

/// Whether the vault exists and is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct SchemaVersion {
    /// Component name (`meta`, `vault`, `journal`, `directory`, ...).
    pub component: String,
    /// Its version in this data directory.
    pub version: u32,
}

/// What a UI (or `waypoint status`) needs to know at a glance. Holds nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
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

/// One data directory, opened. The phones keep exactly one for the app's lifetime.
#[derive(uniffi::Object)]
pub struct Waypoint {
    pub(crate) data_dir: PathBuf,
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) session: Mutex<Option<Session>>,
    pub(crate) vault: crate::vault::VaultHandle,
}

impl std::fmt::Debug for Waypoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waypoint").finish_non_exhaustive()
    }
}

#[uniffi::export]
impl Waypoint {
    /// Opens (creating and migrating if needed) the data directory `data_dir`.
    #[uniffi::constructor]
    pub fn open(data_dir: String, clock: Arc<dyn Clock>) -> ApiResult<Arc<Self>> {
        if data_dir.is_empty() {
            return Err(Error::invalid("data_dir", "must not be empty").into());
        }
        let data_dir = PathBuf::from(data_dir);
        let store = Store::open(&data_dir)?;
        crate::directory::open(&store, clock.now_unix_ms().div_euclid(1000))?;
        Ok(Arc::new(Self {
            data_dir,
            store,
            clock,
            session: Mutex::new(None),
            vault: crate::vault::VaultHandle::default(),
        }))
    }

    /// A snapshot of what is stored and whether the vault is open.
    pub fn status(&self) -> ApiResult<Status> {
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
            vault: self.vault_state_inner()?,
            directory_version: crate::directory::installed_version(&self.store)?,
        })
    }
}

impl Waypoint {
    /// Runs `f` with the unlocked session, or fails with [`Error::Locked`].
    pub(crate) fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> crate::Result<T>,
    ) -> crate::Result<T> {
        let mut guard = self.session.lock()?;
        let session = guard.as_mut().ok_or(Error::Locked)?;
        f(session)
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
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    #[test]
    fn open_creates_store_and_reports_status() {
        let dir = tempfile::tempdir().expect("tempdir");
        let wp = Waypoint::open(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(0)),
        )
        .expect("open");
        let status = wp.status().expect("status");
        assert!(status
            .schema
            .iter()
            .any(|s| s.component == "meta" && s.version >= 1));
        assert_eq!(status.vault, VaultState::Uninitialized);
        assert!(dir.path().join(crate::store::DB_FILE).exists());
    }

    #[test]
    fn empty_data_dir_is_invalid_input() {
        let err = Waypoint::open(String::new(), Arc::new(FakeClock::new(0))).expect_err("empty");
        assert!(
            matches!(err, WaypointApiError::InvalidInput { ref field, .. } if field == "data_dir")
        );
    }

    #[test]
    fn locked_operations_say_locked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let wp = Waypoint::open(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(0)),
        )
        .expect("open");
        let err = wp.with_session(|_| Ok(())).expect_err("locked");
        assert!(matches!(
            WaypointApiError::from(err),
            WaypointApiError::Locked
        ));
    }
}
