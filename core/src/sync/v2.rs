//! Directory format 2 downloads (docs/PROTOCOL.md §19.8): after the `/v1/` manifest has
//! been verified (it stays the one the conditional request and the freshness statement
//! name), the client asks `/v2/manifest`; when the server has format 2 for the same
//! version it downloads the format 2 delta or bundle, otherwise it uses `/v1/` as before.
//!
//! - `/v2/manifest` 404, unreachable, or naming another version (a cache out of step with
//!   `/v1/`), or a format 2 bundle compressed with a dictionary this app does not ship (a
//!   newer app's): `Ok(None)`, the caller downloads from `/v1/`;
//! - a `/v2/` manifest that does not verify, a bundle whose hash differs from the manifest
//!   entry or that does not verify: `Err`, the round is rejected and the held directory is
//!   kept (a server that signs garbage for one format is not trusted for the other in the
//!   same round);
//! - a format 2 delta that fails any check falls back to the format 2 bundle, as for
//!   format 1.
//!
//! Whatever is downloaded goes through the same `verify_bundle` / `verify_delta_held` as
//! format 1 (they accept both) and is committed by the same seam.

use waypoint_format::limits::{MAX_BUNDLE_BYTES, MAX_DELTA_BYTES, MAX_MANIFEST_BYTES};
use waypoint_format::{Policy, VerifiedKeyset, VerifiedManifest};

use super::http::{Fetched, Transport};
use super::{net, sha256_hex, NewDirectory, Stop};
use crate::directory::SyncBase;

/// The format 2 state for `manifest`'s version (its delta from what is held when
/// `use_delta`, else the bundle), or `None` to use `/v1/`.
pub(super) async fn fetch(
    t: &Transport,
    held: &SyncBase,
    keyset: &VerifiedKeyset,
    manifest: &VerifiedManifest,
    policy: &Policy,
    use_delta: bool,
) -> std::result::Result<Option<NewDirectory>, Stop> {
    let bytes = match t.get("/v2/manifest", None, MAX_MANIFEST_BYTES).await {
        Ok(Fetched::Body { bytes, .. }) => bytes,
        Ok(Fetched::NotFound | Fetched::NotModified) | Err(_) => return Ok(None),
    };
    let m2 = waypoint_format::v2::verify_manifest(&bytes, keyset, policy).map_err(Stop::offered)?;
    if m2.version() != manifest.version() {
        return Ok(None);
    }
    if let (Some(base), Some(entry), true) = (
        held.base.as_ref(),
        held.version.and_then(|v| m2.delta_from(v)),
        use_delta,
    ) {
        let path = format!("/v2/deltas/{}/{}", base.version, m2.version());
        let cap = (entry.size as usize).min(MAX_DELTA_BYTES);
        if let Ok(Fetched::Body { bytes, .. }) = t.get(&path, None, cap).await {
            if sha256_hex(&bytes) == entry.sha256 {
                // Verified on the held digests, as a format 1 delta: the work follows the
                // size of the change.
                match waypoint_format::verify_delta_held(bytes, keyset, base, policy) {
                    Ok(d) if d.version() == m2.version() => {
                        return Ok(Some(NewDirectory::Delta(d)))
                    }
                    Ok(_) => tracing::warn!("format 2 delta names another version"),
                    Err(e) => tracing::warn!(error = %e, "format 2 delta refused"),
                }
            }
        }
    }
    let path = format!("/v2/bundles/{}", m2.version());
    let cap = (m2.bundle().size as usize).min(MAX_BUNDLE_BYTES);
    let bytes = match t.get(&path, None, cap).await.map_err(net)? {
        Fetched::Body { bytes, .. } => bytes,
        Fetched::NotFound | Fetched::NotModified => return Ok(None),
    };
    if waypoint_format::v2::file_dictionary_id(&bytes)
        .is_some_and(|d| d != waypoint_format::v2::dictionary_id())
    {
        // Compressed with a dictionary this app does not ship (a newer one): not an
        // attack, the server still serves /v1/.
        tracing::warn!("format 2 bundle uses another dictionary; using format 1");
        return Ok(None);
    }
    if sha256_hex(&bytes) != m2.bundle().sha256 {
        return Err(Stop::Rejected(
            "the format 2 bundle does not match its manifest's hash".into(),
        ));
    }
    let b = waypoint_format::verify_bundle_owned(bytes, keyset, policy).map_err(Stop::offered)?;
    if b.version() != m2.version() {
        return Err(Stop::Rejected(
            "the format 2 bundle's version differs from the manifest's".into(),
        ));
    }
    Ok(Some(NewDirectory::Bundle(b)))
}
