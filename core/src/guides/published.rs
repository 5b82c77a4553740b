//! Guides published by the directory's publishers, as the phone holds them.
//!
//! The sync engine (`crate::sync`) fetches `/v1/guides/manifest` and the guides file after
//! the directory, verifies them under the held keyset (`waypoint_format::guides`) and hands
//! the verified set here. What is kept: the exact signed envelope, the highest guides
//! version ever accepted (the guides' own **rollback floor**, kept apart from the held copy
//! and never lowered, like the directory's), and the keyset version that verified it.
//! Nothing here is personal (public guides, a version number), so the table is public and
//! a wipe keeps it, as it keeps the directory.
//!
//! Reading verifies the stored envelope again, like the directory's signed bytes: its
//! signatures under the keyset that accepted it (found in the trusted chain by version, so a
//! later rotation does not drop it), its content rules, expiry ignored. A held copy that no
//! longer verifies (changed on disk) is treated as absent: the packaged guides remain, never
//! a crash.

use rusqlite::{params, OptionalExtension};
use waypoint_format::guides::{verify_guides, VerifiedGuides};
use waypoint_format::{Policy, VerifiedKeyset};

use crate::error::Result;
use crate::store::{Component, Store, Table};

/// Storage of the published guides: one key-value table next to the directory's state.
pub const GUIDES_STORE: Component = Component {
    name: "guides",
    tables: &[Table::public("guides_held")],
    personal_dirs: &[],
    steps: &["CREATE TABLE guides_held (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;"],
};

fn get(c: &rusqlite::Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(c.query_row(
        "SELECT value FROM guides_held WHERE key = ?1",
        params![key],
        |r| r.get(0),
    )
    .optional()?)
}

fn put(c: &rusqlite::Connection, key: &str, value: &[u8]) -> Result<()> {
    c.execute(
        "INSERT INTO guides_held (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn number(c: &rusqlite::Connection, key: &str) -> Result<Option<u64>> {
    Ok(get(c, key)?
        .and_then(|v| String::from_utf8(v).ok())
        .and_then(|s| s.parse().ok()))
}

/// What the phone holds: the set (checked again from its signed bytes) and its floor.
#[derive(Debug, Clone)]
pub struct Held {
    /// The held set, if any parses.
    pub set: Option<VerifiedGuides>,
    /// The highest guides version ever accepted.
    pub floor: Option<u64>,
}

/// Reads the held published guides, re-verified under `keysets` (the trusted chain, oldest
/// first: the one whose version accepted the set, else the newest).
pub fn held(store: &Store, keysets: &[VerifiedKeyset]) -> Result<Held> {
    let (signed, floor, keyset_version) = store.with_conn(|c| {
        Ok((
            get(c, "signed")?,
            number(c, "floor")?,
            number(c, "keyset_version")?,
        ))
    })?;
    let keyset = keysets
        .iter()
        .find(|k| Some(k.version) == keyset_version)
        .or_else(|| keysets.last());
    let set = signed.zip(keyset).and_then(|(bytes, keyset)| {
        // Accepted before: its times and floor were judged then.
        let stored = Policy {
            now: i64::MIN,
            current_version: None,
            allow_expired: true,
        };
        match verify_guides(&bytes, keyset, &stored) {
            Ok(g) => Some(g),
            Err(e) => {
                tracing::warn!(error = %e, "held guides no longer verify; showing the packaged set");
                None
            }
        }
    });
    Ok(Held { set, floor })
}

/// Keeps `verified` (accepted by the sync engine under the held keyset) in one transaction
/// with its floor, which only rises.
pub fn commit(store: &Store, verified: &VerifiedGuides) -> Result<()> {
    store.transaction(|tx| {
        let floor = number(tx, "floor")?.unwrap_or(0).max(verified.version());
        put(tx, "signed", verified.signed_bytes())?;
        put(tx, "floor", floor.to_string().as_bytes())?;
        put(
            tx,
            "keyset_version",
            verified.keyset_version().to_string().as_bytes(),
        )?;
        Ok(())
    })
}
