//! Verify on load: every open re-verifies the stored signed chain and checks the searchable
//! tables against its content hash; a damaged copy is rebuilt from its own signed bytes or
//! replaced by the packaged bundle.

use waypoint_format::{verify_bundle, VerifiedBundle};

use super::install::{install, rebuild_tables, touch_time, Install, Verified, DERIVED_RULES};
use super::state::read_state;
use super::trust::{
    deployment_root, keyset_chain, packaged_keyset, stored_policy, tables_hash, verify_stored_chain,
};
use super::{verification, Origin, Trust};
use crate::error::{Error, Result};
use crate::store::Store;

/// Installs the packaged bundle compiled into the build (verified by the caller).
fn install_packaged(store: &Store, packaged: &VerifiedBundle, latest: i64, now: i64) -> Result<()> {
    let what = Install {
        rotations: &[],
        directory: Some((Verified::Bundle(packaged), Origin::Packaged)),
        latest_known_time: latest,
    };
    install(store, &what, now, |_| Ok(())).map(drop)
}

/// Rebuilds the derived tables of the held directory `held` (re-verified from its signed
/// bytes) under today's rules. A held record that no longer passes them (e.g. a
/// premium-rate number an older build turned into a `tel:` link) is never served on: the
/// whole held copy gives way to the packaged bundle, as an update with that record would
/// be refused today; the rollback floor stays, so only a newer, valid update replaces it.
fn rederive(
    store: &Store,
    held: &VerifiedBundle,
    origin: &str,
    packaged: &VerifiedBundle,
    latest: i64,
    now: i64,
) -> Result<()> {
    let origin = if origin == "packaged" {
        Origin::Packaged
    } else {
        Origin::Update
    };
    match rebuild_tables(store, held, origin, latest, now) {
        Err(Error::Verification(_)) if origin == Origin::Update => {
            tracing::warn!("a held record fails the current rules; reinstalling the packaged copy");
            install_packaged(store, packaged, latest, now)
        }
        other => other,
    }
}

/// Opens the directory with the pinned trust. See [`open_with`].
pub fn open(store: &Store, now_unix_s: i64) -> Result<()> {
    open_with(store, &Trust::pinned(), now_unix_s)
}

/// Makes sure a verified directory is installed: seeds the packaged bundle on first run
/// (or when the packaged one is newer), and re-verifies what is stored. A stored copy
/// whose signed bytes or searchable tables do not match the signed content hash is
/// replaced (from its own signed bytes if those verify, otherwise from the packaged
/// bundle). Returns an error only when storage fails or the packaged bundle itself does
/// not verify (a broken build).
pub fn open_with(store: &Store, trust: &Trust<'_>, now_unix_s: i64) -> Result<()> {
    let (packaged_keys, state, deployment) = store.with_conn(|c| {
        Ok((
            packaged_keyset(c, trust)?,
            read_state(c)?,
            deployment_root(c)?.is_some(),
        ))
    })?;
    let packaged = verify_bundle(trust.packaged_bundle, &packaged_keys, &stored_policy())
        .map_err(verification)?;
    let Some(state) = state else {
        return install_packaged(store, &packaged, now_unix_s, now_unix_s);
    };
    let keysets = store.with_conn(|c| keyset_chain(c, trust))?;
    let keyset = if state.origin == "packaged" {
        packaged_keys.clone()
    } else {
        keysets
            .last()
            .cloned()
            .ok_or(Error::Corrupt("keyset chain"))?
    };
    let latest = state.trusted_time(now_unix_s);
    let (chain, tables) =
        store.with_conn(|c| Ok((verify_stored_chain(c, &keysets, &keyset)?, tables_hash(c)?)))?;
    let chain_ok = chain.as_ref().is_some_and(|v| {
        v.version() == state.version && v.content_hash().as_slice() == state.content_hash.as_slice()
    });
    // A newer packaged bundle replaces an older one from the same publishers; under a
    // deployment root, updates come from other publishers and the packaged copy only fills
    // in until the first of them (or after tampering).
    let packaged_version = if deployment && state.origin != "packaged" {
        0
    } else {
        packaged.version()
    };
    let current_rules = state.derived_rules == DERIVED_RULES;
    match chain {
        Some(v) if chain_ok && tables.as_slice() == state.content_hash.as_slice() => {
            if packaged_version > v.version() {
                return install_packaged(store, &packaged, latest, now_unix_s);
            }
            if current_rules {
                return store.with_conn(|c| touch_time(c, latest, now_unix_s));
            }
            tracing::info!("directory rules changed; re-deriving the tables from signed bytes");
            rederive(store, &v, &state.origin, &packaged, latest, now_unix_s)
        }
        Some(v) if chain_ok && packaged_version <= v.version() => {
            tracing::warn!("directory tables do not match their signed bytes; rebuilding them");
            rederive(store, &v, &state.origin, &packaged, latest, now_unix_s)
        }
        _ => {
            tracing::warn!("stored directory failed verification; reinstalling the packaged copy");
            install_packaged(store, &packaged, latest, now_unix_s)
        }
    }
}
