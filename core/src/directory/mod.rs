//! The offline directory of help: verified storage, search and one-tap dial actions.
//!
//! Trust flows one way. A signed bundle (see `waypoint-format` and docs/PROTOCOL.md) is
//! verified against the keyset pinned in this build ([`PINNED_KEYSET`]), every phone and
//! link is validated, and only then is the whole directory replaced in **one** SQLite
//! transaction together with the signed bytes it came from. On every open the stored
//! signed bytes are verified again and the searchable tables are checked against the
//! signed content hash; a tampered local copy is detected and rebuilt from the newest
//! copy that still verifies (the stored signed bytes, else the packaged bundle compiled
//! into the app, [`PACKAGED_BUNDLE`]), so the first run and a damaged store both work
//! offline.
//!
//! The sync engine downloads; this module decides. Whatever the source (a file import,
//! [`apply_update`]; a sync, [`commit_sync`]; the packaged bundle), one install seam writes
//! the same rows, from a [`Verified`] state that only verification can make and that
//! carries the signed bytes it came from: a whole [`waypoint_format::VerifiedBundle`], or a
//! [`waypoint_format::VerifiedDelta`] checked against the held per-record digests, whose
//! changed rows alone are written.
//!
//! Layout: `schema` (tables, migrations), `state` (the state row, trusted time, rollback
//! floor), `trust` (keyset chain, deployment root, re-verification of what is stored),
//! `install` (the one install seam: dial validation, signed rows, searchable tables),
//! `open` (verify on load, repair), `import` (file import), `synced` (the sync engine's
//! side), `search`, `dial`, `hours`, `text`, `favourites`.

pub mod dial;
pub mod favourites;
pub mod hours;
mod import;
mod install;
mod open;
mod schema;
mod search;
mod state;
mod synced;
pub mod text;
mod trust;

use rusqlite::OptionalExtension;
use serde::Serialize;
use waypoint_format::FormatError;

use crate::error::{Error, Result};
use crate::store::Store;

pub use import::{apply_update, apply_update_with};
pub use install::Verified;
pub use open::{open, open_with};
pub use schema::DIRECTORY;
pub use search::{Query, Resource, Sort};
pub use synced::trusted_keysets;
pub use synced::{commit_sync, sync_base, SyncBase, SyncedUpdate};
pub use trust::install_deployment_root;

use state::read_state;
use trust::current_keyset;

/// The root keyset this build trusts (public keys only; the private keys never entered
/// the repository). Regenerate with `core/src/directory/seed/README.md`.
pub const PINNED_KEYSET: &[u8] = include_bytes!("seed/keyset.json");
/// The signed bundle compiled into the app so the first run works offline.
pub const PACKAGED_BUNDLE: &[u8] = include_bytes!("seed/bundle.json");

/// What this module trusts: a root keyset and a packaged bundle. Production uses
/// [`Trust::pinned`]; tests bring their own keys.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    /// Root keyset envelope (self-signed by its threshold).
    pub root_keyset: &'a [u8],
    /// Packaged bundle envelope.
    pub packaged_bundle: &'a [u8],
}

impl Trust<'static> {
    /// The keyset and bundle compiled into this build.
    pub fn pinned() -> Self {
        Trust {
            root_keyset: PINNED_KEYSET,
            packaged_bundle: PACKAGED_BUNDLE,
        }
    }
}

/// A signed update imported from a file (see [`apply_update`]; a sync commits through
/// [`commit_sync`]).
#[derive(Debug, Clone, Copy)]
pub enum Update<'a> {
    /// A full bundle envelope.
    Bundle(&'a [u8]),
    /// A delta envelope from the held version.
    Delta(&'a [u8]),
    /// The next keyset (rotation), signed by thresholds of the current and next keys.
    Keyset(&'a [u8]),
}

/// What [`apply_update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum UpdateOutcome {
    /// A new directory version was installed.
    Installed {
        /// The new version.
        version: u64,
    },
    /// The update carried the version already held with the same content.
    AlreadyCurrent {
        /// The held version.
        version: u64,
    },
    /// A new keyset version is now trusted.
    KeysetRotated {
        /// The new keyset version.
        version: u64,
    },
}

/// Where the installed directory came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The bundle compiled into the app.
    Packaged,
    /// An update received later.
    Update,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Packaged => "packaged",
            Origin::Update => "update",
        }
    }
}

/// The directory's state, for `status` screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryStatus {
    /// Installed bundle version.
    pub version: u64,
    /// When that bundle was created (Unix seconds).
    pub created: i64,
    /// When it expires (Unix seconds).
    pub expires: i64,
    /// True once expired: the data is still shown, marked with its age.
    pub stale: bool,
    /// Number of resources.
    pub resources: u64,
    /// Where it came from.
    pub origin: Origin,
    /// Hex content hash (as signed).
    pub content_hash: String,
    /// Trusted keyset version.
    pub keyset_version: u64,
    /// Latest time ever seen (Unix seconds): expiry is judged against this, never less.
    pub latest_known_time: i64,
}

fn verification(e: FormatError) -> Error {
    Error::Verification(e.to_string())
}

/// Exact signed JSON of every installed record, by id (desktop CLI and tests).
pub fn records_raw(store: &Store) -> Result<Vec<String>> {
    store.with_conn(|c| {
        let mut stmt = c.prepare("SELECT raw FROM directory_record ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Installed version, if any (for `status().directory_version`).
pub fn installed_version(store: &Store) -> Result<Option<u64>> {
    store.with_conn(|c| Ok(read_state(c)?.map(|s| s.version)))
}

/// The directory's status.
pub fn status(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
) -> Result<Option<DirectoryStatus>> {
    store.with_conn(|c| {
        let Some(s) = read_state(c)? else {
            return Ok(None);
        };
        let keyset = current_keyset(c, trust)?;
        let resources: i64 =
            c.query_row("SELECT COUNT(*) FROM directory_record", [], |r| r.get(0))?;
        let latest = s.trusted_time(now_unix_s);
        Ok(Some(DirectoryStatus {
            version: s.version,
            created: s.created,
            expires: s.expires,
            stale: latest > s.expires,
            resources: resources as u64,
            origin: if s.origin == "packaged" {
                Origin::Packaged
            } else {
                Origin::Update
            },
            content_hash: hex::encode(&s.content_hash),
            keyset_version: keyset.version,
            latest_known_time: latest,
        }))
    })
}

/// Searches the directory.
pub fn search(store: &Store, query: &Query, now_unix_s: i64) -> Result<Vec<Resource>> {
    search::run(store, query, now_unix_s)
}

/// One resource by id, with text in `user_language` (falling back as [`text::pick`]).
pub fn show(store: &Store, id: &str, user_language: &str, now_unix_s: i64) -> Result<Resource> {
    let row: Option<(String, String)> = store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT raw, actions FROM directory_record WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    })?;
    let (raw, actions) = row.ok_or(Error::NotFound)?;
    search::resource(&raw, &actions, user_language, now_unix_s, None)
}

#[cfg(test)]
mod delta_tests;
#[cfg(test)]
mod tests;
