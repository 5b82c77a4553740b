//! Waypoint's shared core.
//!
//! Everything a survivor keeps lives here and is the same on Android, iOS and the desktop
//! CLI. Layers, lowest first (the import rule is checked by the `layers` tests; see
//! docs/ARCHITECTURE.md):
//!
//! | layer | modules |
//! |---|---|
//! | ground | [`error`], [`crypto`] (record sealing), [`store`] (SQLite, migrations), [`platform`] (Clock, KeyStore, NotificationScheduler, sealed rows) |
//! | unlocked state | [`session`] |
//! | capabilities | [`vault`], [`journal`], [`appointments`], [`documents`], [`safety_plan`], [`disguise`], [`directory`], [`sync`]: no UniFFI, no application |
//! | application | [`app`]: `Core` wires the capabilities |
//! | screens | [`screens`]: the app's screen models (state + intents) over `Core` |
//! | exported | [`ffi`]: one UniFFI object per capability, errors converted once |

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub mod app;
pub mod appointments;
pub mod crypto;
pub mod directory;
pub mod disguise;
pub mod documents;
pub mod error;
#[cfg(feature = "uniffi")]
pub mod ffi;
pub mod guides;
pub mod i18n;
pub mod journal;
mod layers;
pub mod platform;
pub mod safety_plan;
pub mod screens;
pub mod session;
pub mod sharing;
pub mod shell;
pub mod store;
pub mod sync;
#[cfg(test)]
mod test_support;
pub mod vault;

pub use app::{Core, Status};
pub use error::{Error, Result};
#[cfg(feature = "uniffi")]
pub use ffi::{Waypoint, WaypointApiError};
pub use platform::{Clock, FileKeyStore, KeyStore, SystemClock};
