//! File import: an update handed over as signed bytes is verified against the trusted
//! keyset and the held state, then installed through the one install seam.

use waypoint_format::{verify_bundle, verify_delta_held, verify_keyset_rotation, Policy};

use super::install::{install, Install, Verified, DERIVED_RULES};
use super::open::open_with;
use super::state::read_state;
use super::trust::{held_from_trusted_chain, held_state, keyset_chain};
use super::{verification, Origin, Trust, Update, UpdateOutcome};
use crate::error::{Error, Result};
use crate::store::Store;

/// Imports a signed update from a file (the apps' "import update", the desktop CLI):
/// verifies `update` against the pinned trust and the held state, and installs it through
/// the same seam as a sync, in one transaction.
/// Rollback, expiry (judged against the latest known time), forged or foreign signatures,
/// oversize or malformed input, and invalid phones or links are refused with
/// [`Error::Verification`]; nothing is changed then.
pub fn apply_update(store: &Store, now_unix_s: i64, update: Update<'_>) -> Result<UpdateOutcome> {
    apply_update_with(store, &Trust::pinned(), now_unix_s, update)
}

/// [`apply_update`] with an explicit trust root (tests, tools).
pub fn apply_update_with(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
    update: Update<'_>,
) -> Result<UpdateOutcome> {
    let (keysets, state) = store.with_conn(|c| Ok((keyset_chain(c, trust)?, read_state(c)?)))?;
    let keyset = keysets
        .last()
        .cloned()
        .ok_or(Error::Corrupt("keyset chain"))?;
    let state = match state {
        Some(s) => s,
        None => {
            open_with(store, trust, now_unix_s)?;
            store
                .with_conn(read_state)?
                .ok_or(Error::Corrupt("directory state missing"))?
        }
    };
    let latest = state.trusted_time(now_unix_s);
    let held_version = store
        .with_conn(|c| held_from_trusted_chain(c, &state))?
        .then_some(state.version);
    let policy = Policy::update(latest, state.rollback_floor(held_version));
    match update {
        Update::Keyset(bytes) => {
            let next = verify_keyset_rotation(&keyset, bytes, latest).map_err(verification)?;
            let what = Install {
                rotations: std::slice::from_ref(&next),
                directory: None,
                latest_known_time: latest,
            };
            install(store, &what, now_unix_s, |_| Ok(()))?;
            Ok(UpdateOutcome::KeysetRotated {
                version: next.version,
            })
        }
        Update::Bundle(bytes) => {
            let bundle = verify_bundle(bytes, &keyset, &policy).map_err(verification)?;
            if Some(bundle.version()) == held_version {
                return if bundle.content_hash().as_slice() == state.content_hash.as_slice() {
                    Ok(UpdateOutcome::AlreadyCurrent {
                        version: state.version,
                    })
                } else {
                    Err(Error::Verification(format!(
                        "version {} already installed with different content",
                        state.version
                    )))
                };
            }
            install_update(store, Verified::Bundle(&bundle), latest, now_unix_s)
        }
        Update::Delta(bytes) => {
            // Verified against the held version, content hash and per-record digests: the
            // held chain was verified when it was stored and is re-verified at every open;
            // what is checked here is the delta, and only its records are validated.
            let held = store
                .with_conn(|c| {
                    let usable =
                        held_version == Some(state.version) && state.derived_rules == DERIVED_RULES;
                    usable.then(|| held_state(c, &state)).transpose()
                })?
                .ok_or(Error::Verification(
                    "stored directory does not verify; fetch the full bundle".into(),
                ))?;
            let next =
                verify_delta_held(bytes.to_vec(), &keyset, &held, &policy).map_err(verification)?;
            install_update(store, Verified::Delta(&next), latest, now_unix_s)
        }
    }
}

/// Installs a verified directory from the trusted publishers through the one seam.
fn install_update(
    store: &Store,
    bundle: Verified<'_>,
    latest: i64,
    now: i64,
) -> Result<UpdateOutcome> {
    let what = Install {
        rotations: &[],
        directory: Some((bundle, Origin::Update)),
        latest_known_time: latest,
    };
    let after = install(store, &what, now, |_| Ok(()))?;
    Ok(UpdateOutcome::Installed {
        version: after
            .ok_or(Error::Corrupt("directory state missing"))?
            .version,
    })
}
