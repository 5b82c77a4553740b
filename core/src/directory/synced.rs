//! The sync engine's side of the directory: what it needs before downloading
//! ([`sync_base`]) and the commit of what it verified ([`commit_sync`]), through the same
//! install seam as a file import.

use rusqlite::Transaction;
use waypoint_format::{HeldState, VerifiedKeyset};

use super::install::{install, Install, Verified, DERIVED_RULES};
use super::state::{read_state, State};
use super::trust::{held_from_trusted_chain, held_state, keyset_chain, tables_hash};
use super::{Origin, Trust};
use crate::error::{Error, Result};
use crate::store::Store;

/// What the sync engine needs to know before it downloads: the keyset to verify with,
/// the held state (only when it came from that keyset's publishers), the verified base for
/// deltas, and whether the stored copy needs a verified full download to repair it.
pub struct SyncBase {
    /// The trusted keyset (root walked through stored rotations).
    pub keyset: VerifiedKeyset,
    /// Installed version from the trusted publishers (None: nothing from them yet).
    pub version: Option<u64>,
    /// The lowest version an update may carry: the held version or the highest version
    /// ever accepted from the trusted publishers, whichever is higher (a fallback to the
    /// packaged bundle never lowers it).
    pub floor: Option<u64>,
    /// When the held directory was created (Unix seconds): the last moment it is known to
    /// have been current without a freshness statement.
    pub created: Option<i64>,
    /// Its expiry (Unix seconds).
    pub expires: Option<i64>,
    /// Latest time ever seen (Unix seconds).
    pub latest_known_time: i64,
    /// What a delta is verified on (version, content hash, per-record digests), when the
    /// held tables match the held content hash. Always None in the state [`commit_sync`]
    /// returns (it is not checked again after a commit).
    pub base: Option<HeldState>,
    /// The searchable tables do not match the held content hash: fetch the full bundle
    /// even at the same version.
    pub repair: bool,
}

/// The held state as the sync engine sees it, without re-verifying the stored chain.
fn held(
    conn: &rusqlite::Connection,
    keyset: VerifiedKeyset,
    state: Option<State>,
    now: i64,
) -> Result<(SyncBase, Option<State>)> {
    let latest = state.as_ref().map_or(now, |s| s.trusted_time(now));
    let mut base = SyncBase {
        keyset,
        version: None,
        floor: state.as_ref().and_then(|s| s.rollback_floor(None)),
        created: None,
        expires: None,
        latest_known_time: latest,
        base: None,
        repair: false,
    };
    // Nothing installed, or only another publisher's packaged copy: nothing held.
    let state = match state {
        Some(s) if held_from_trusted_chain(conn, &s)? => s,
        _ => return Ok((base, None)),
    };
    base.version = Some(state.version);
    base.floor = state.rollback_floor(Some(state.version));
    base.created = Some(state.created);
    base.expires = Some(state.expires);
    Ok((base, Some(state)))
}

/// Reads [`SyncBase`] for the sync engine. The held tables are checked against the held
/// content hash (each record's bytes against its digest, the digests against the hash: a
/// pass of SHA-256 over the records, no signature), so a sync repairs an edited local
/// copy. The signed chain is not re-verified here: it was verified when it was stored
/// and is re-verified at every open (`open::open_with`).
pub fn sync_base(store: &Store, trust: &Trust<'_>, now_unix_s: i64) -> Result<SyncBase> {
    store.with_conn(|c| {
        let keysets = keyset_chain(c, trust)?;
        let keyset = keysets
            .last()
            .cloned()
            .ok_or(Error::Corrupt("keyset chain"))?;
        let (mut base, state) = held(c, keyset, read_state(c)?, now_unix_s)?;
        let Some(state) = state else {
            return Ok(base);
        };
        let intact = state.derived_rules == DERIVED_RULES
            && tables_hash(c)?.as_slice() == state.content_hash.as_slice();
        base.base = if intact {
            Some(held_state(c, &state)?)
        } else {
            None
        };
        base.repair = !intact;
        Ok(base)
    })
}

/// The trusted keyset chain (root, then each stored rotation, oldest first) and the latest
/// known time, without re-verifying the held directory: for documents verified under the
/// same keysets beside the directory (the publishers' guides, `crate::sync`, `crate::app`).
pub fn trusted_keysets(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
) -> Result<(Vec<VerifiedKeyset>, i64)> {
    store.with_conn(|c| {
        let chain = keyset_chain(c, trust)?;
        if chain.is_empty() {
            return Err(Error::Corrupt("keyset chain"));
        }
        let latest = read_state(c)?.map_or(now_unix_s, |s| s.trusted_time(now_unix_s));
        Ok((chain, latest))
    })
}

/// A verified download, ready to commit.
pub struct SyncedUpdate<'a> {
    /// Keyset rotations walked, oldest first, each verified (with its signed bytes).
    pub rotations: &'a [VerifiedKeyset],
    /// The new directory, verified: a full state or a delta's changes (each carries the
    /// signed bytes it came from and the keyset version that verified them).
    pub directory: Option<Verified<'a>>,
    /// Latest time now known (Unix seconds).
    pub latest_known_time: i64,
    /// The keyset everything was verified with (the last rotation walked).
    pub keyset: &'a VerifiedKeyset,
}

/// Commits what the sync engine verified in ONE transaction, together with the engine's
/// own bookkeeping (`also`, e.g. the held manifest's hash): keyset rotations, signed bytes,
/// state and searchable tables, through the same install seam as a file import. Every
/// phone and link is validated first; one bad record refuses the whole update and nothing
/// changes. Returns the held state after the commit (its `base` is None: nothing is
/// re-verified to report on it).
pub fn commit_sync(
    store: &Store,
    update: &SyncedUpdate<'_>,
    now_unix_s: i64,
    also: impl FnOnce(&Transaction<'_>) -> Result<()>,
) -> Result<SyncBase> {
    let what = Install {
        rotations: update.rotations,
        directory: update.directory.map(|v| (v, Origin::Update)),
        latest_known_time: update.latest_known_time,
    };
    let mut after = None;
    install(store, &what, now_unix_s, |tx| {
        also(tx)?;
        after = Some(held(tx, update.keyset.clone(), read_state(tx)?, now_unix_s)?.0);
        Ok(())
    })?;
    after.ok_or(Error::Corrupt("directory state missing"))
}
