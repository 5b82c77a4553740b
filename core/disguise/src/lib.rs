//! The disguise: what a person holding the phone sees, and when the real app shows.
//!
//! Pure logic, no I/O, no dependencies, so it is exhaustively testable and fuzzable:
//!
//! - [`calculator`]: the decoy calculator. It really works; it never panics on any key
//!   sequence; a wrong secret code is just arithmetic.
//! - [`machine`]: the lock state machine (`Disguised`, `Locked`, `Unlocked`) driven by
//!   events the platforms feed in (unlock verified, quick exit, background, idle ticks).
//! - [`decoys`]: the decoys and launcher aliases the app ships, as data the platforms render.
//!
//! The core (`waypoint_core::disguise`) connects these to the vault and the settings. The
//! words the decoys and the first-run steps show live in the core's message files
//! (`core/locales/<lang>/decoy.ftl`, `onboarding.ftl`), so they speak the phone's language.

pub mod calculator;
pub mod decoys;
pub mod machine;

pub use calculator::{Calculator, Key, Press};
pub use decoys::{DecoyKind, LauncherAlias, LAUNCHER_ALIASES};
pub use machine::{Effect, Event, LockScreen, Machine, MachineConfig, State};
