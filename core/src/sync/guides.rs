//! The guides round of a sync (docs/PROTOCOL.md §18): after the directory, from the same
//! server, `GET /v1/guides/manifest` and, when it names a newer version, `GET
//! /v1/guides/{version}`.
//!
//! - The manifest and the file are verified under the keyset the phone holds now (the same
//!   keyset, threshold and signature-counting code as the directory), each in its own
//!   signature domain.
//! - The guides have their own rollback floor (kept apart from the held copy, never
//!   lowered): a manifest below it is `Rollback`; a guides file at or below it is `Rollback`,
//!   except that the floor's own version may come back when nothing is held (a repair).
//! - Time: expiry and the `created` bound are judged at `max(clock, the directory's latest
//!   known time, the held guides' created)`; the guides' own `created` does not move the
//!   directory's latest known time.
//! - The file's size and SHA-256 are checked against the manifest before it is parsed.
//! - A server without guides answers 404: nothing changes, the packaged set is shown.
//! - The held set is re-verified (signatures under the keyset that accepted it) whenever it
//!   is read (`crate::guides::published::held`).
//! - Anything refused is one line in the report (`guides_rejected`); the held set is kept.
//!   A transfer failure leaves everything as it was and is not reported as a rejection.

use waypoint_format::guides::{
    verify_guides, verify_guides_manifest, VerifiedGuides, MAX_GUIDES_BYTES,
    MAX_GUIDES_MANIFEST_BYTES,
};
use waypoint_format::{FormatError, Keyset, Policy};

use super::http::{Fetched, Transport};
use super::{SyncOptions, SyncOutcome, SyncReport};
use crate::directory::{self, Trust};
use crate::error::{Error, Result};
use crate::guides::published;
use crate::platform::Clock;
use crate::store::Store;

/// How the guides round ended.
enum Got {
    /// A newer verified set.
    New(VerifiedGuides),
    /// Nothing new (none published, or the held version is current).
    Nothing,
    /// Refused, with the reason (one line).
    Refused(String),
    /// Could not be fetched; nothing said.
    Unreachable,
}

/// Adds what is known of the held guides to `report` without touching the network.
pub(super) fn describe(store: &Store, clock: &dyn Clock, report: &mut SyncReport) -> Result<()> {
    let now_s = clock.now_unix_ms().div_euclid(1000);
    let (keysets, _) = directory::trusted_keysets(store, &Trust::pinned(), now_s)?;
    report.guides_version = published::held(store, &keysets)?.set.map(|s| s.version());
    Ok(())
}

/// Runs the guides round after the directory's and records it in `report`.
pub(super) fn round(
    store: &Store,
    clock: &dyn Clock,
    opts: &SyncOptions,
    report: &mut SyncReport,
) -> Result<()> {
    // The server could not be reached for the directory: do not knock again.
    if !matches!(report.outcome, SyncOutcome::Offline { .. }) {
        let now_s = clock.now_unix_ms().div_euclid(1000);
        let (keysets, latest) = directory::trusted_keysets(store, &Trust::pinned(), now_s)?;
        let held = published::held(store, &keysets)?;
        let keyset = keysets
            .last()
            .cloned()
            .ok_or(Error::Corrupt("keyset chain"))?;
        let held_version = held.set.as_ref().map(|s| s.version());
        let now = latest
            .max(now_s)
            .max(held.set.as_ref().map_or(i64::MIN, |s| s.created()));
        let transport = Transport::new(&opts.server_url, opts.proxy.as_deref(), opts.timeout)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Io)?;
        let got = runtime.block_on(fetch(&transport, &keyset, held.floor, held_version, now));
        match got {
            Got::New(v) => published::commit(store, &v)?,
            Got::Refused(reason) => report.guides_rejected = Some(reason),
            Got::Nothing | Got::Unreachable => {}
        }
    }
    describe(store, clock, report)
}

fn refused(e: FormatError) -> Got {
    let mut line = e.to_string().replace('\n', " ");
    line.truncate(200);
    Got::Refused(line)
}

async fn fetch(
    t: &Transport,
    keyset: &Keyset,
    floor: Option<u64>,
    held_version: Option<u64>,
    now: i64,
) -> Got {
    let policy = Policy::update(now, floor);
    let manifest = match t
        .get("/v1/guides/manifest", None, MAX_GUIDES_MANIFEST_BYTES)
        .await
    {
        Ok(Fetched::Body { bytes, .. }) => bytes,
        Ok(Fetched::NotFound) => return Got::Nothing,
        Ok(Fetched::NotModified) => {
            return Got::Refused("the server answered 304 to an unconditional request".into())
        }
        Err(Error::Verification(r)) => return Got::Refused(r),
        Err(_) => return Got::Unreachable,
    };
    let m = match verify_guides_manifest(&manifest, keyset, &policy) {
        Ok(m) => m,
        Err(e) => return refused(e),
    };
    if Some(m.version()) == held_version {
        return Got::Nothing;
    }
    let cap = usize::try_from(m.entry().size)
        .unwrap_or(MAX_GUIDES_BYTES)
        .min(MAX_GUIDES_BYTES);
    let file = match t
        .get(&format!("/v1/guides/{}", m.version()), None, cap)
        .await
    {
        Ok(Fetched::Body { bytes, .. }) => bytes,
        Ok(_) => return Got::Refused("the guides file named by the manifest is missing".into()),
        Err(Error::Verification(r)) => return Got::Refused(r),
        Err(_) => return Got::Unreachable,
    };
    // Before parsing anything in it.
    if !m.names(&file) {
        return Got::Refused("the guides file does not match its manifest".into());
    }
    // A guides file at or below the floor is a rollback; only when nothing is held (the held
    // copy was lost or damaged) may the floor's own version come back, as a repair.
    let file_floor = match held_version {
        Some(_) => floor,
        None => floor.and_then(|f| f.checked_sub(1)).filter(|f| *f > 0),
    };
    let policy = Policy::update(now, file_floor);
    match verify_guides(&file, keyset, &policy) {
        Ok(v) if v.version() == m.version() => Got::New(v),
        Ok(_) => Got::Refused("the guides' version differs from their manifest's".into()),
        Err(e) => refused(e),
    }
}
