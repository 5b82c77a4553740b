//! Waypoint's shared core.
//!
//! Everything a survivor keeps lives here and is the same on Android, iOS and the desktop
//! CLI. One module per capability, none of which knows about UniFFI; the exported surface
//! in [`ffi`] is a thin layer that calls into them and converts errors in one place.
//!
//! | module | what it keeps |
//! |---|---|
//! | [`store`] | the SQLite connection, pragmas and numbered per-component migrations |
//! | [`crypto`] | record sealing (HKDF + XChaCha20-Poly1305, padded), the platform key seam |
//! | [`clock`] | injected time: a foreign trait on the phone, a fake in tests |
//! | [`error`] | the internal error type; public errors live in [`ffi`] |

uniffi::setup_scaffolding!();

pub mod app;
pub mod appointments;
pub mod crypto;
pub mod directory;
pub mod disguise;
pub mod error;
pub mod ffi;
pub mod journal;
mod layers;
pub mod platform;
pub mod session;
pub mod store;
pub mod sync;
#[cfg(test)]
mod test_support;
pub mod vault;

pub use app::{Core, Status};
pub use error::{Error, Result};
pub use ffi::{Waypoint, WaypointApiError};
pub use platform::{Clock, FileKeyStore, KeyStore, SystemClock};
