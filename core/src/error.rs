//! The internal error type.
//!
//! Modules return [`Error`]; the exported surface converts it to
//! the public `WaypointApiError` in exactly one place (the `ffi` layer). No variant may carry personal data:
//! reasons are fixed phrases or field names, never the content of a journal entry, an
//! appointment, a passphrase or a saved number. SQLite messages are safe to carry because
//! every statement binds its values as parameters.

/// Errors raised inside the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The vault is locked (or was never set up) and the operation needs its keys.
    #[error("the vault is locked")]
    Locked,
    /// The passphrase did not open the vault. `retry_after_s` is the back-off still to wait.
    #[error("wrong passphrase; try again in {retry_after_s} s")]
    WrongPassphrase {
        /// Seconds before another attempt is accepted.
        retry_after_s: u64,
    },
    /// Input the caller supplied was rejected; `field` names it, `reason` says why.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Name of the offending field (never its value).
        field: String,
        /// A fixed phrase explaining the rule that was broken.
        reason: String,
    },
    /// The record does not exist (or was deleted).
    #[error("not found")]
    NotFound,
    /// Stored data failed authentication or could not be decoded.
    #[error("stored data is damaged: {0}")]
    Corrupt(&'static str),
    /// A signature, hash, version or expiry check on directory data failed.
    #[error("verification failed: {0}")]
    Verification(String),
    /// A network request failed.
    #[error("network: {0}")]
    Network(String),
    /// The database was written by a newer Waypoint than this one.
    #[error("the {component} data was written by a newer version (schema {found}, this build knows {supported})")]
    SchemaTooNew {
        /// Component whose schema is too new.
        component: &'static str,
        /// Version found in the database.
        found: u32,
        /// Highest version this build knows.
        supported: u32,
    },
    /// A cryptographic primitive failed in a way that is not a wrong key (e.g. RNG).
    #[error("cryptography: {0}")]
    Crypto(&'static str),
    /// SQLite failed.
    #[error("storage: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system failed (full disk, permissions, ...).
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// A platform callback (`KeyStore`, `NotificationScheduler`) failed.
    #[error("platform: {0}")]
    Platform(String),
    /// A lock was poisoned by an earlier panic; the object must be reopened.
    #[error("internal state was poisoned by an earlier failure; reopen the app")]
    Poisoned,
}

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: &str, reason: &str) -> Self {
        Error::InvalidInput {
            field: field.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

impl<T> From<std::sync::PoisonError<T>> for Error {
    fn from(_: std::sync::PoisonError<T>) -> Self {
        Error::Poisoned
    }
}
