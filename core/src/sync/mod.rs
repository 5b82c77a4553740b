//! Client sync: fetch, verify and commit directory updates from a sync server.
//!
//! One call, [`sync`], does the whole round and never leaves a half-applied state:
//!
//! 1. walk keyset rotations (`GET /v1/keysets/{v+1}` until 404), each verified against the
//!    keyset held before it (threshold of old AND new keys);
//! 2. conditional manifest request: `If-None-Match` carries the quoted SHA-256 of the held
//!    manifest's signed payload, a value the phone computes itself and every phone at the
//!    same manifest shares (never a tag the server chose, which could tell phones apart);
//!    the manifest is verified (signatures, rollback against the held version and the
//!    persisted floor, `created` bounds, expiry);
//! 3. when the keyset lists freshness keys, the freshness statement (`GET /v1/freshness`),
//!    on a 304 too: it must be signed by a freshness key, unexpired, and name the manifest
//!    now held; otherwise the held directory is reported stale since it was last vouched
//!    for (see `waypoint_format::freshness`);
//! 4. the delta from the held version if the manifest lists one (file hash checked against
//!    the manifest, then the delta's signatures, its base, and the content hash of the
//!    result, recomputed from the held per-record digests and the changed records),
//!    otherwise — or when anything about the delta is wrong, also when installing it finds
//!    the held tables damaged — the full bundle;
//! 5. everything verified, the new state is committed in ONE SQLite transaction through
//!    the directory module's seam ([`crate::directory::commit_sync`]), so the next search
//!    finds it.
//!
//! Any failure keeps the last good directory and is reported as a [`SyncReport`]
//! (`rejected because …`, `offline`, `stale since T`), not lost. Time is the *latest
//! known time*: the maximum of the injected clock and every `created` time ever verified
//! (each bounded by that time plus a day of clock skew), so moving the phone's clock back
//! cannot revive an expired bundle and a future-dated bundle cannot freeze the phone.
//!
//! The report is about the HELD directory: `stale` is true exactly when the held data is
//! past its expiry or, with a freshness key, past the last freshness statement that vouched
//! for it; `Stale { since }` is reported (instead of "already current", or instead of
//! "rejected" for an offer that itself expired) only then, with `since` the time the held
//! data stopped being known current.
//!
//! Threading: [`sync`] blocks the calling thread for up to the request timeouts (it runs a
//! private current-thread tokio runtime). The platforms call it off the UI thread: Android
//! from a `Dispatchers.IO` coroutine or WorkManager job, iOS from a background `Task` or
//! `BGAppRefreshTask`, the CLI directly. Scheduled syncs wait [`scheduled_jitter_ms`] first
//! so a watched network does not see the app wake at the same minute every day.

mod guides;
pub mod http;
mod v2;

use std::time::Duration;

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};
use waypoint_format::{Policy, VerifiedBundle, VerifiedDelta, VerifiedKeyset};

use crate::directory::{self, SyncBase, SyncedUpdate, Trust, Verified};
use crate::error::{Error, Result};
use crate::platform::Clock;
use crate::store::{Component, Store, Table};
use http::{Fetched, Transport};

/// The sync engine's own bookkeeping (held manifest hash, freshness, last sync time). The
/// directory itself (signed bytes, keysets, records) lives in the directory module's
/// tables; step 2 drops the separate record copy step 1 kept before the two were joined;
/// step 3 forgets the ETag a server handed out (it could be unique per phone).
pub const SYNC: Component = Component {
    name: "sync",
    tables: &[Table::public("sync_state")],
    personal_dirs: &[],
    steps: &[
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
         CREATE TABLE sync_records (id TEXT PRIMARY KEY, raw TEXT NOT NULL) STRICT;",
        "DROP TABLE sync_records;
         DELETE FROM sync_state WHERE key NOT IN ('manifest_etag', 'last_sync_ms');",
        "DELETE FROM sync_state WHERE key = 'manifest_etag';",
    ],
};

/// Most keyset rotations walked in one sync.
const MAX_ROTATIONS: u64 = 16;

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// What happened.
    pub outcome: SyncOutcome,
    /// Directory version held after the sync (the last good one on failure).
    pub version: Option<u64>,
    /// When the held directory expires (Unix seconds); after that it is shown as stale.
    pub expires: Option<i64>,
    /// Whether the held directory is not known current: past its expiry or, when the
    /// keyset has a freshness key, past the last freshness statement that vouched for it.
    /// It is kept and shown, with its age. Always true when the outcome is `Stale`.
    pub stale: bool,
    /// Last successful sync (Unix ms).
    pub last_sync_ms: Option<i64>,
    /// Until when a verified freshness statement vouched that the held version is current
    /// (Unix seconds); `None` when none ever did (or the keyset has no freshness key).
    pub fresh_until: Option<i64>,
    /// Version of the publishers' guides held after the sync (`None`: only the guides
    /// packaged in the app). See docs/PROTOCOL.md §18.
    pub guides_version: Option<u64>,
    /// Why guides the server offered were refused (one line); the held guides are kept.
    pub guides_rejected: Option<String>,
}

/// The outcome of a sync.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncOutcome {
    /// A new version was verified and committed.
    Updated {
        /// The new version.
        version: u64,
        /// Whether a delta was used (false: the full bundle).
        via_delta: bool,
    },
    /// The server has nothing newer, and the held directory is known current.
    AlreadyCurrent,
    /// Nothing newer could be had and the held directory is not known current: it is kept
    /// and is stale since `since` (Unix seconds).
    Stale {
        /// When the held directory stopped being known current: its own expiry, or the end
        /// of the last freshness statement that vouched for it, whichever came first.
        since: i64,
    },
    /// What the server sent failed verification; the last good directory is kept.
    Rejected {
        /// Why, one line.
        reason: String,
    },
    /// The server could not be reached or the transfer failed; nothing changed.
    Offline {
        /// Why, one line.
        reason: String,
    },
}

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Base URL of the sync server or static mirror.
    pub server_url: String,
    /// Optional proxy, e.g. `socks5h://127.0.0.1:9050` for Tor.
    pub proxy: Option<String>,
    /// Whole-request timeout.
    pub timeout: Duration,
}

impl SyncOptions {
    /// Options with the default timeout and no proxy.
    pub fn new(server_url: &str) -> Self {
        Self {
            server_url: server_url.to_owned(),
            proxy: None,
            timeout: http::REQUEST_TIMEOUT,
        }
    }
}

/// A random delay (0..6 h) to wait before a *scheduled* sync, so the time the phone talks
/// to the server does not form a daily fingerprint. Manual syncs do not wait.
pub fn scheduled_jitter_ms() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..6 * 3600 * 1000)
}

fn get(c: &rusqlite::Connection, key: &str) -> Result<Option<Vec<u8>>> {
    Ok(c.query_row(
        "SELECT value FROM sync_state WHERE key = ?1",
        params![key],
        |r| r.get(0),
    )
    .optional()?)
}

fn put(c: &rusqlite::Connection, key: &str, value: &[u8]) -> Result<()> {
    c.execute(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn last_sync_ms(store: &Store) -> Result<Option<i64>> {
    store.with_conn(|c| {
        Ok(get(c, "last_sync_ms")?
            .and_then(|v| String::from_utf8(v).ok())
            .and_then(|s| s.parse().ok()))
    })
}

/// Hex SHA-256 of the held manifest's signed payload, and the version it names.
fn held_manifest(store: &Store) -> Result<Option<(String, u64)>> {
    store.with_conn(|c| {
        let hash = get(c, "manifest_sha256")?
            .and_then(|v| String::from_utf8(v).ok())
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        let version = get(c, "manifest_version")?
            .and_then(|v| String::from_utf8(v).ok())
            .and_then(|s| s.parse().ok());
        Ok(hash.zip(version))
    })
}

/// The last freshness statement that verified: (version it named, until when).
fn freshness_held(store: &Store) -> Result<Option<(u64, i64)>> {
    store.with_conn(|c| {
        let read = |key: &str| -> Result<Option<String>> {
            Ok(get(c, key)?.and_then(|v| String::from_utf8(v).ok()))
        };
        let version = read("fresh_version")?.and_then(|s| s.parse().ok());
        let until = read("fresh_until")?.and_then(|s| s.parse().ok());
        Ok(version.zip(until))
    })
}

/// Installs a deployment's root keyset in place of the build's pinned one (the desktop CLI's
/// `--root-keyset`; the phone apps pin theirs at build time). See
/// [`directory::install_deployment_root`]: allowed only before anything was synced, never
/// a way to swap keys later.
pub fn install_root_keyset(store: &Store, bytes: &[u8], clock: &dyn Clock) -> Result<bool> {
    directory::install_deployment_root(
        store,
        &Trust::pinned(),
        bytes,
        clock.now_unix_ms().div_euclid(1000),
    )
}

/// What the current directory state is, without touching the network.
pub fn status(store: &Store, clock: &dyn Clock) -> Result<SyncReport> {
    let base = directory::sync_base(
        store,
        &Trust::pinned(),
        clock.now_unix_ms().div_euclid(1000),
    )?;
    let mut r = report(
        &base,
        freshness_held(store)?,
        last_sync_ms(store)?,
        SyncOutcome::AlreadyCurrent,
    );
    guides::describe(store, clock, &mut r)?;
    Ok(r)
}

/// When the held directory stopped being known current, if it has: its expiry once past,
/// or — when the keyset lists freshness keys — the end of the last freshness statement that
/// vouched for this version or an older one (without one, its own `created`).
fn stale_since(base: &SyncBase, fresh: Option<(u64, i64)>) -> Option<i64> {
    let version = base.version?;
    let now = base.latest_known_time;
    let mut since = base.expires.filter(|e| now > *e);
    if !base.keyset.freshness_keys.is_empty() {
        let created = base.created.unwrap_or(i64::MIN);
        let vouched = match fresh {
            Some((v, until)) if v <= version => until.max(created),
            _ => created,
        };
        if now > vouched {
            since = Some(since.map_or(vouched, |s| s.min(vouched)));
        }
    }
    since
}

/// The report on the held directory. "Already current" and an offer that itself expired
/// become `Stale` when the held data is not known current, so the outcome, `stale` and
/// `since` always agree.
fn report(
    base: &SyncBase,
    fresh: Option<(u64, i64)>,
    last_sync_ms: Option<i64>,
    outcome: SyncOutcome,
) -> SyncReport {
    report_with(base, fresh, last_sync_ms, outcome, false)
}

fn report_with(
    base: &SyncBase,
    fresh: Option<(u64, i64)>,
    last_sync_ms: Option<i64>,
    outcome: SyncOutcome,
    expired_offer: bool,
) -> SyncReport {
    let since = stale_since(base, fresh);
    let outcome = match (since, &outcome) {
        (Some(since), SyncOutcome::AlreadyCurrent) => SyncOutcome::Stale { since },
        (Some(since), SyncOutcome::Rejected { .. }) if expired_offer => {
            SyncOutcome::Stale { since }
        }
        _ => outcome,
    };
    SyncReport {
        outcome,
        version: base.version,
        expires: base.expires,
        stale: since.is_some(),
        last_sync_ms,
        fresh_until: fresh
            .filter(|(v, _)| base.version.is_some_and(|h| *v <= h))
            .map(|(_, until)| until),
        guides_version: None,
        guides_rejected: None,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Why a round stopped early.
/// The report of a round that stopped before anything was installed.
fn stopped(
    base: &SyncBase,
    fresh: Option<(u64, i64)>,
    last_sync_ms: Option<i64>,
    stop: Stop,
) -> SyncReport {
    match stop {
        Stop::Offline(reason) => report(base, fresh, last_sync_ms, SyncOutcome::Offline { reason }),
        Stop::Rejected(reason) => {
            report(base, fresh, last_sync_ms, SyncOutcome::Rejected { reason })
        }
        Stop::Expired(at) => {
            // Nothing unexpired on offer. That says nothing about when the HELD data went
            // stale: `Stale` only if it is, with its own time; otherwise a rejection.
            let reason = format!("the server offers only data that expired at {at}");
            report_with(
                base,
                fresh,
                last_sync_ms,
                SyncOutcome::Rejected { reason },
                true,
            )
        }
    }
}

enum Stop {
    Offline(String),
    Rejected(String),
    /// What the server offers expired at this time (Unix seconds).
    Expired(i64),
}

impl Stop {
    /// A refused offer (manifest or bundle): expired on offer, or refused for the error.
    fn offered(e: waypoint_format::FormatError) -> Self {
        match e {
            waypoint_format::FormatError::Expired { expires, .. } => Stop::Expired(expires),
            e => e.into(),
        }
    }
}

impl From<waypoint_format::FormatError> for Stop {
    fn from(e: waypoint_format::FormatError) -> Self {
        Stop::Rejected(e.to_string())
    }
}

fn net(e: Error) -> Stop {
    match e {
        Error::Verification(r) => Stop::Rejected(r),
        other => Stop::Offline(other.to_string()),
    }
}

/// A verified new directory: a whole state, or a delta's changes on the held one.
enum NewDirectory {
    Bundle(VerifiedBundle),
    Delta(VerifiedDelta),
}

impl NewDirectory {
    fn verified(&self) -> Verified<'_> {
        match self {
            NewDirectory::Bundle(b) => Verified::Bundle(b),
            NewDirectory::Delta(d) => Verified::Delta(d),
        }
    }
}

/// A verified download ready to commit.
struct Download {
    rotations: Vec<VerifiedKeyset>,
    /// The keyset everything was verified with (after the rotations).
    keyset: VerifiedKeyset,
    /// The new directory, verified; it carries the signed bytes it came from.
    directory: Option<NewDirectory>,
    /// Payload hash of a newly received manifest and the version it names (None on a 304).
    manifest_sha256: Option<(String, u64)>,
    /// A verified freshness statement naming the manifest now held: (version, until).
    fresh: Option<(u64, i64)>,
    latest_known_s: i64,
}

/// Syncs the directory from `opts.server_url`, then the publishers' guides from the same
/// server (`guides`). Returns a report; `Err` only for local failures (storage, invalid
/// options).
pub fn sync(store: &Store, clock: &dyn Clock, opts: &SyncOptions) -> Result<SyncReport> {
    let mut report = sync_directory(store, clock, opts)?;
    guides::round(store, clock, opts, &mut report)?;
    Ok(report)
}

fn sync_directory(store: &Store, clock: &dyn Clock, opts: &SyncOptions) -> Result<SyncReport> {
    let now_s = clock.now_unix_ms().div_euclid(1000);
    let held = directory::sync_base(store, &Trust::pinned(), now_s)?;
    let transport = Transport::new(&opts.server_url, opts.proxy.as_deref(), opts.timeout)?;
    // Conditional only on a manifest naming the version held now (after a fallback to the
    // packaged bundle, a 304 for the old manifest would leave the phone on the fallback).
    let manifest = if held.version.is_some() && !held.repair {
        held_manifest(store)?
            .filter(|(_, v)| Some(*v) == held.version)
            .map(|(h, _)| h)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Io)?;
    let round = runtime.block_on(fetch_round(&transport, &held, manifest.as_deref(), true));
    let last = last_sync_ms(store)?;
    let fresh = freshness_held(store)?;
    let download = match round {
        Ok(d) => d,
        Err(stop) => return Ok(stopped(&held, fresh, last, stop)),
    };
    let now_ms = clock.now_unix_ms();
    let mut download = download;
    let mut committed = commit(store, &download, fresh, now_s, now_ms);
    // A delta that verified but could not be installed on the held tables (they changed
    // or are damaged): §7, keep the held state and fetch the full bundle instead.
    if matches!(download.directory, Some(NewDirectory::Delta(_)))
        && matches!(committed, Err(Error::Verification(_)))
    {
        tracing::warn!("the delta could not be installed; fetching the full bundle");
        match runtime.block_on(fetch_round(&transport, &held, manifest.as_deref(), false)) {
            Ok(full) => {
                download = full;
                committed = commit(store, &download, fresh, now_s, now_ms);
            }
            Err(stop) => return Ok(stopped(&held, fresh, last, stop)),
        }
    }
    let after = match committed {
        Ok(after) => after,
        // Signed, but a phone or link the app would refuse to dial: nothing installed.
        Err(Error::Verification(reason)) => {
            return Ok(report(&held, fresh, last, SyncOutcome::Rejected { reason }))
        }
        Err(e) => return Err(e),
    };
    let outcome = match download.directory.as_ref().map(NewDirectory::verified) {
        Some(v) => SyncOutcome::Updated {
            version: v.version(),
            via_delta: v.via_delta(),
        },
        None => SyncOutcome::AlreadyCurrent,
    };
    Ok(report(
        &after,
        freshness_held(store)?,
        Some(now_ms),
        outcome,
    ))
}

/// Commits a verified download with the engine's bookkeeping, in one transaction.
fn commit(
    store: &Store,
    download: &Download,
    fresh: Option<(u64, i64)>,
    now_s: i64,
    now_ms: i64,
) -> Result<SyncBase> {
    let update = SyncedUpdate {
        rotations: &download.rotations,
        directory: download.directory.as_ref().map(NewDirectory::verified),
        latest_known_time: download.latest_known_s,
        keyset: &download.keyset,
    };
    directory::commit_sync(store, &update, now_s, |tx| {
        if let Some((h, version)) = &download.manifest_sha256 {
            put(tx, "manifest_sha256", h.as_bytes())?;
            put(tx, "manifest_version", version.to_string().as_bytes())?;
        }
        if let Some((version, until)) = download.fresh {
            let newer = fresh.is_none_or(|(v, u)| version > v || (version == v && until > u));
            if newer {
                put(tx, "fresh_version", version.to_string().as_bytes())?;
                put(tx, "fresh_until", until.to_string().as_bytes())?;
            }
        }
        put(tx, "last_sync_ms", now_ms.to_string().as_bytes())
    })
}

/// One round: rotations, manifest, freshness, then the delta (when `use_delta` and one is
/// offered from the held version) or the full bundle.
async fn fetch_round(
    t: &Transport,
    held: &SyncBase,
    held_manifest: Option<&str>,
    use_delta: bool,
) -> std::result::Result<Download, Stop> {
    use waypoint_format::limits::{
        MAX_BUNDLE_BYTES, MAX_DELTA_BYTES, MAX_FRESHNESS_BYTES, MAX_KEYSET_BYTES,
        MAX_MANIFEST_BYTES,
    };
    let now = held.latest_known_time;
    // 1. Keyset rotations.
    let mut keyset: VerifiedKeyset = held.keyset.clone();
    let mut rotations = Vec::new();
    for _ in 0..MAX_ROTATIONS {
        let path = format!("/v1/keysets/{}", keyset.version + 1);
        match t.get(&path, None, MAX_KEYSET_BYTES).await.map_err(net)? {
            Fetched::Body { bytes, .. } => {
                keyset = waypoint_format::verify_keyset_rotation(&keyset, &bytes, now)?;
                rotations.push(keyset.clone());
            }
            Fetched::NotFound | Fetched::NotModified => break,
        }
    }
    // 2. Manifest, conditional on the held manifest's payload hash (a value every phone
    // holding that manifest computes alike) when something is held and no rotation changed
    // the keys.
    let tag = held_manifest
        .filter(|_| rotations.is_empty())
        .map(|h| format!("\"{h}\""));
    let fetched = t
        .get("/v1/manifest", tag.as_deref(), MAX_MANIFEST_BYTES)
        .await
        .map_err(net)?;
    let (manifest_bytes, current) = match fetched {
        Fetched::NotModified => match (tag.as_ref(), held_manifest, held.version) {
            (Some(_), Some(h), Some(v)) => (None, (h.to_owned(), v)),
            // A 304 to a request that named no manifest: nothing to go on.
            _ => {
                return Err(Stop::Rejected(
                    "the server answered 304 to an unconditional request".into(),
                ))
            }
        },
        Fetched::NotFound => {
            return Err(Stop::Offline(
                "the server has no directory published".into(),
            ))
        }
        Fetched::Body { bytes, .. } => {
            let hash = waypoint_format::manifest_payload_sha256(&bytes)?;
            (Some(bytes), (hash, 0))
        }
    };
    // 2b. Freshness, fetched on every round the keyset asks for it (a 304 included), in
    // the same place so every phone's requests look alike. Checked once the manifest held
    // is known.
    let freshness = if keyset.freshness_keys.is_empty() {
        None
    } else {
        match t.get("/v1/freshness", None, MAX_FRESHNESS_BYTES).await {
            Ok(Fetched::Body { bytes, .. }) => Some(bytes),
            _ => None,
        }
    };
    let vouch = |version: u64, manifest_sha256: &str| -> Option<(u64, i64)> {
        let bytes = freshness.as_ref()?;
        match waypoint_format::verify_freshness(bytes, &keyset, now) {
            Ok(f) if f.version() == version && f.manifest_sha256() == manifest_sha256 => {
                Some((f.version(), f.expires()))
            }
            Ok(_) => {
                tracing::warn!("freshness statement names another manifest than the one held");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "freshness statement refused");
                None
            }
        }
    };
    let Some(manifest_bytes) = manifest_bytes else {
        let (hash, version) = current;
        return Ok(Download {
            fresh: vouch(version, &hash),
            rotations,
            keyset,
            directory: None,
            manifest_sha256: None,
            latest_known_s: now,
        });
    };
    let manifest_sha256 = current.0;
    let policy = Policy::update(now, held.floor);
    let manifest = waypoint_format::verify_manifest(&manifest_bytes, &keyset, &policy)
        .map_err(Stop::offered)?;
    let fresh = vouch(manifest.version(), &manifest_sha256);
    let latest_known_s = now.max(manifest.created());
    if Some(manifest.version()) == held.version && !held.repair {
        return Ok(Download {
            rotations,
            keyset,
            directory: None,
            manifest_sha256: Some((manifest_sha256, manifest.version())),
            fresh,
            latest_known_s,
        });
    }
    let policy = Policy::update(latest_known_s, held.floor);
    // 3a. Format 2 (docs/PROTOCOL.md §19) when the server has it for this version; `None`
    // means download from /v1/ below, exactly as before.
    if let Some(d) = v2::fetch(t, held, &keyset, &manifest, &policy, use_delta).await? {
        let created = match &d {
            NewDirectory::Bundle(b) => b.created(),
            NewDirectory::Delta(d) => d.created(),
        };
        return Ok(Download {
            rotations,
            keyset,
            latest_known_s: latest_known_s.max(created),
            directory: Some(d),
            manifest_sha256: Some((manifest_sha256, manifest.version())),
            fresh,
        });
    }
    // 3. Delta when offered from what is held; any problem falls back to the full bundle.
    if let (Some(base), Some(entry), true) = (
        held.base.as_ref(),
        held.version.and_then(|v| manifest.delta_from(v)),
        use_delta,
    ) {
        let path = format!("/v1/deltas/{}/{}", base.version, manifest.version());
        let cap = (entry.size as usize).min(MAX_DELTA_BYTES);
        if let Ok(Fetched::Body { bytes, .. }) = t.get(&path, None, cap).await {
            if sha256_hex(&bytes) == entry.sha256 {
                if let Ok(d) = waypoint_format::verify_delta_held(bytes, &keyset, base, &policy) {
                    if d.version() == manifest.version() {
                        return Ok(Download {
                            rotations,
                            keyset,
                            latest_known_s: latest_known_s.max(d.created()),
                            directory: Some(NewDirectory::Delta(d)),
                            manifest_sha256: Some((manifest_sha256.clone(), manifest.version())),
                            fresh,
                        });
                    }
                }
            }
        }
    }
    // 4. Full bundle.
    let path = format!("/v1/bundles/{}", manifest.version());
    let cap = (manifest.bundle().size as usize).min(MAX_BUNDLE_BYTES);
    let bytes = match t.get(&path, None, cap).await.map_err(net)? {
        Fetched::Body { bytes, .. } => bytes,
        _ => {
            return Err(Stop::Offline(
                "the bundle named by the manifest is missing".into(),
            ))
        }
    };
    if sha256_hex(&bytes) != manifest.bundle().sha256 {
        return Err(Stop::Rejected(
            "the bundle does not match the manifest's hash".into(),
        ));
    }
    // A repair re-installs the held version: the rollback rule allows the same version only
    // with the same content, which `verify_bundle` leaves to us.
    let b = waypoint_format::verify_bundle_owned(bytes, &keyset, &policy).map_err(Stop::offered)?;
    if b.version() != manifest.version() {
        return Err(Stop::Rejected(
            "the bundle's version differs from the manifest's".into(),
        ));
    }
    Ok(Download {
        rotations,
        keyset,
        latest_known_s: latest_known_s.max(b.created()),
        directory: Some(NewDirectory::Bundle(b)),
        manifest_sha256: Some((manifest_sha256, manifest.version())),
        fresh,
    })
}

/// Number of records held (for status displays and tests).
pub fn held_record_count(store: &Store) -> Result<u64> {
    Ok(directory::records_raw(store)?.len() as u64)
}

/// Raw signed JSON of every held record whose text contains `needle` (case-insensitive),
/// for the desktop CLI's `sync --list` and tests; the apps use the directory's search.
pub fn held_records_matching(store: &Store, needle: &str) -> Result<Vec<String>> {
    let needle = needle.to_lowercase();
    Ok(directory::records_raw(store)?
        .into_iter()
        .filter(|raw| raw.to_lowercase().contains(&needle))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use waypoint_format::publish::{
        build_bundle, build_keyset, build_manifest, sign_keyset, PublisherKey,
    };

    use super::*;
    use crate::platform::FakeClock;

    mod guides_tests;
    #[path = "v2_tests.rs"]
    mod v2_tests;

    type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;
    type Heads = Arc<Mutex<Vec<String>>>;

    /// A hostile static server for the life of the test process: it records every request head in `heads`, hands out a
    /// different `ETag` on every answer (so a client that echoed it could be told apart),
    /// and answers `304` when `If-None-Match` names the manifest's payload hash.
    fn serve_recording(files: Files, heads: Heads) -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        let counter = Arc::new(AtomicU64::new(0));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let files = files.clone();
                let heads = heads.clone();
                let tag = counter.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match s.read(&mut chunk) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).to_string();
                    heads.lock().expect("heads").push(head.clone());
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let body = files.lock().expect("files").get(&path).cloned();
                    let current = body
                        .as_ref()
                        .and_then(|b| waypoint_format::manifest_payload_sha256(b).ok())
                        .map(|h| format!("if-none-match: \"{h}\""));
                    let not_modified = path == "/v1/manifest"
                        && current.is_some_and(|c| head.to_ascii_lowercase().contains(&c));
                    let _ = match body {
                        Some(_) if not_modified => s.write_all(
                            format!("HTTP/1.1 304 Not Modified\r\nETag: \"tag-{tag}\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
                        ),
                        Some(b) => s
                            .write_all(format!("HTTP/1.1 200 OK\r\nETag: \"tag-{tag}\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", b.len()).as_bytes())
                            .and_then(|()| s.write_all(&b)),
                        None => s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
                    };
                });
            }
        });
        url
    }

    fn record(id: &str) -> waypoint_format::Record {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "organization": {"en": "Org"},
            "name": {"en": "Name"},
            "categories": ["hotline"],
            "locations": [{"country": "US"}],
            "fees": {"free": true},
            "last_verified": "2026-11-01",
            "source": "test"
        }))
        .expect("record")
    }

    struct Fixture {
        keys: Vec<PublisherKey>,
        fresh: PublisherKey,
        files: Files,
        heads: Heads,
        url: String,
        store: Store,
        clock: FakeClock,
        _dir: tempfile::TempDir,
    }

    const T0: i64 = 1_800_000_000;

    impl Fixture {
        fn new() -> Fixture {
            Self::build(false)
        }

        /// A deployment whose keyset lists an online freshness key.
        fn with_freshness() -> Fixture {
            Self::build(true)
        }

        fn build(with_freshness: bool) -> Fixture {
            let keys = vec![PublisherKey::generate(), PublisherKey::generate()];
            let fresh = PublisherKey::generate();
            let mut keyset = build_keyset(
                1,
                T0 + 10_000_000,
                2,
                keys.iter().map(PublisherKey::public_entry).collect(),
            );
            if with_freshness {
                keyset.freshness_keys = vec![fresh.public_entry()];
            }
            let ks = sign_keyset(&keyset, &[&keys[0], &keys[1]]);
            let files: Files = Arc::new(Mutex::new(HashMap::new()));
            let heads: Heads = Arc::new(Mutex::new(Vec::new()));
            let url = serve_recording(files.clone(), heads.clone());
            let dir = tempfile::tempdir().expect("tempdir");
            let store = crate::app::open_store(dir.path()).expect("store");
            let clock = FakeClock::new(T0 * 1000);
            assert!(install_root_keyset(&store, &ks, &clock).expect("install"));
            Fixture {
                keys,
                fresh,
                files,
                heads,
                url,
                store,
                clock,
                _dir: dir,
            }
        }

        /// Serves a freshness statement, signed by `key`, for the manifest served now.
        fn vouch(&self, key: &PublisherKey, created: i64, expires: i64) {
            let mut f = self.files.lock().expect("files");
            let manifest = f.get("/v1/manifest").expect("manifest").clone();
            let env = waypoint_format::Envelope::parse(
                &manifest,
                waypoint_format::PayloadType::Manifest,
                usize::MAX,
            )
            .expect("manifest");
            let m: waypoint_format::Manifest =
                serde_json::from_slice(&env.payload).expect("payload");
            let statement = waypoint_format::freshness::build_freshness(
                m.version,
                &sha256_hex(&env.payload),
                created,
                expires,
                key,
            );
            f.insert("/v1/freshness".into(), statement);
        }

        /// The `If-None-Match` value of the last manifest request, if any.
        fn last_manifest_tag(&self) -> Option<String> {
            let heads = self.heads.lock().expect("heads");
            let head = heads
                .iter()
                .rev()
                .find(|h| h.starts_with("GET /v1/manifest "))?
                .to_ascii_lowercase();
            head.split("\r\n")
                .find_map(|l| l.strip_prefix("if-none-match: "))
                .map(str::to_owned)
        }

        /// Publishes `version` with `ids`, created at `created`, expiring at `expires`.
        fn publish(&self, version: u64, ids: &[&str], created: i64, expires: i64) {
            let records: Vec<_> = ids.iter().map(|i| record(i)).collect();
            let signers: Vec<&PublisherKey> = self.keys.iter().collect();
            let bundle =
                build_bundle(version, created, expires, &records, &signers).expect("bundle");
            let manifest = build_manifest(version, created, expires, &bundle, &[], &signers);
            let mut f = self.files.lock().expect("files");
            f.insert(format!("/v1/bundles/{version}"), bundle);
            f.insert("/v1/manifest".into(), manifest);
        }

        fn sync(&self) -> SyncReport {
            sync(&self.store, &self.clock, &SyncOptions::new(&self.url)).expect("sync")
        }
    }

    /// Publishes `records` as `version` with a delta from `from` (its records).
    fn publish_with_delta(
        f: &Fixture,
        from: (u64, &[waypoint_format::Record]),
        version: u64,
        records: &[waypoint_format::Record],
    ) {
        let signers: Vec<&PublisherKey> = f.keys.iter().collect();
        let keyset = build_keyset(
            1,
            T0 + 10_000_000,
            2,
            f.keys.iter().map(PublisherKey::public_entry).collect(),
        );
        let policy = Policy::update(T0, None);
        let old = build_bundle(from.0, T0, T0 + 100_000, from.1, &signers).expect("old");
        let old = waypoint_format::verify_bundle(&old, &keyset, &policy).expect("old");
        let new = build_bundle(version, T0 + 1, T0 + 100_000, records, &signers).expect("new");
        let new_v = waypoint_format::verify_bundle(&new, &keyset, &policy).expect("new");
        let delta = waypoint_format::publish::build_delta(&old, &new_v, &signers).expect("delta");
        let manifest = build_manifest(
            version,
            T0 + 1,
            T0 + 100_000,
            &new,
            &[(from.0, &delta)],
            &signers,
        );
        let mut files = f.files.lock().expect("files");
        files.insert(format!("/v1/bundles/{version}"), new);
        files.insert(format!("/v1/deltas/{}/{version}", from.0), delta);
        files.insert("/v1/manifest".into(), manifest);
    }

    #[test]
    fn a_delta_is_installed_and_one_the_install_refuses_falls_back_to_the_full_bundle() {
        let f = Fixture::new();
        let v1: Vec<_> = ["a", "b", "c"].iter().map(|i| record(i)).collect();
        f.publish(1, &["a", "b", "c"], T0, T0 + 100_000);
        f.sync();
        let mut v2 = v1.clone();
        v2[1].name.insert("en".into(), "Renamed".into());
        v2.remove(2);
        publish_with_delta(&f, (1, &v1), 2, &v2);
        let r = f.sync();
        assert_eq!(
            r.outcome,
            SyncOutcome::Updated {
                version: 2,
                via_delta: true
            }
        );
        assert_eq!(
            held_records_matching(&f.store, "renamed").expect("s").len(),
            1
        );
        assert_eq!(held_record_count(&f.store).expect("count"), 2);
        // Version 3's delta verifies (signatures, base, content hash) but carries a phone
        // the app refuses to dial: the install refuses it, the held state stays, and the
        // engine falls back to the full bundle (refused for the same record here).
        let mut v3 = v2.clone();
        v3[0].phones = vec![waypoint_format::record::Phone {
            number: "1-555-0100-000".into(),
            country: "US".into(),
            kind: waypoint_format::record::PhoneKind::Voice,
            keyword: None,
            hours: None,
            languages: vec![],
            description: Default::default(),
            cost: None,
        }];
        publish_with_delta(&f, (2, &v2), 3, &v3);
        f.heads.lock().expect("heads").clear();
        let r = f.sync();
        assert!(matches!(r.outcome, SyncOutcome::Rejected { .. }), "{r:?}");
        assert_eq!(r.version, Some(2));
        let heads = f.heads.lock().expect("heads");
        let asked: Vec<&str> = heads
            .iter()
            .filter_map(|h| h.split_whitespace().nth(1))
            .filter(|p| p.starts_with("/v1/deltas/") || p.starts_with("/v1/bundles/"))
            .collect();
        assert_eq!(asked, ["/v1/deltas/2/3", "/v1/bundles/3"]);
    }

    #[test]
    fn expired_bundle_keeps_last_good_and_reports_stale() {
        let f = Fixture::new();
        f.publish(1, &["a", "b"], T0 - 10, T0 + 100);
        assert!(matches!(
            f.sync().outcome,
            SyncOutcome::Updated { version: 1, .. }
        ));
        // Time passes beyond the expiry; the server offers only an expired version 2.
        f.clock.set((T0 + 500) * 1000);
        f.publish(2, &["a"], T0 + 1, T0 + 200);
        let r = f.sync();
        assert_eq!(r.outcome, SyncOutcome::Stale { since: T0 + 100 });
        assert_eq!(r.version, Some(1));
        assert!(r.stale);
        assert_eq!(
            held_record_count(&f.store).expect("count"),
            2,
            "help lines are never dropped"
        );
    }

    #[test]
    fn clock_moved_back_does_not_revive_an_expired_bundle() {
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100);
        f.sync();
        // A newer version was seen at T0 + 1000 (latest known time)...
        f.clock.set((T0 + 1000) * 1000);
        f.publish(2, &["a", "b"], T0 + 1000, T0 + 5000);
        assert!(matches!(
            f.sync().outcome,
            SyncOutcome::Updated { version: 2, .. }
        ));
        // ...then someone winds the phone's clock back and replays version 2's expired
        // successor window: a bundle valid only at T0 + 50 must not be accepted.
        f.clock.set(T0 * 1000);
        f.publish(3, &["c"], T0, T0 + 100);
        let r = f.sync();
        // Refused as expired; the held version 2 (valid until T0 + 5000) is not stale.
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("expired")),
            "{r:?}"
        );
        assert!(!r.stale);
        assert_eq!(r.version, Some(2));
    }

    #[test]
    fn keyset_rotation_is_followed_and_a_rotation_by_strangers_is_rejected() {
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        f.sync();
        let strangers = [PublisherKey::generate(), PublisherKey::generate()];
        let next = build_keyset(
            2,
            T0 + 10_000_000,
            2,
            strangers.iter().map(PublisherKey::public_entry).collect(),
        );
        // Signed only by the new keys: refused, last good kept.
        f.files.lock().expect("files").insert(
            "/v1/keysets/2".into(),
            sign_keyset(&next, &[&strangers[0], &strangers[1]]),
        );
        let r = f.sync();
        assert!(matches!(r.outcome, SyncOutcome::Rejected { .. }), "{r:?}");
        assert_eq!(r.version, Some(1));
        // Signed by the old threshold and the new one: followed, and version 2 signed by
        // the new keys is then accepted.
        f.files.lock().expect("files").insert(
            "/v1/keysets/2".into(),
            sign_keyset(
                &next,
                &[&f.keys[0], &f.keys[1], &strangers[0], &strangers[1]],
            ),
        );
        let signers: Vec<&PublisherKey> = strangers.iter().collect();
        let bundle = build_bundle(2, T0, T0 + 100_000, &[record("z")], &signers).expect("bundle");
        let manifest = build_manifest(2, T0, T0 + 100_000, &bundle, &[], &signers);
        {
            let mut files = f.files.lock().expect("files");
            files.insert("/v1/bundles/2".into(), bundle);
            files.insert("/v1/manifest".into(), manifest);
        }
        let r = f.sync();
        assert!(
            matches!(r.outcome, SyncOutcome::Updated { version: 2, .. }),
            "{r:?}"
        );
    }

    #[test]
    fn tampered_local_copy_is_detected_and_replaced() {
        let f = Fixture::new();
        f.publish(1, &["a", "b"], T0, T0 + 100_000);
        f.sync();
        f.store
            .with_conn(|c| {
                c.execute(
                    "UPDATE directory_record SET raw = replace(raw, 'Name', 'Evil') WHERE id = 'a'",
                    [],
                )?;
                Ok(())
            })
            .expect("tamper");
        let r = f.sync();
        assert!(
            matches!(
                r.outcome,
                SyncOutcome::Updated {
                    version: 1,
                    via_delta: false
                }
            ),
            "{r:?}"
        );
        let held = held_records_matching(&f.store, "evil").expect("search");
        assert!(
            held.is_empty(),
            "the edited record was replaced by the signed one"
        );
    }

    #[test]
    fn without_a_deployment_root_only_the_pinned_publishers_are_trusted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = crate::app::open_store(dir.path()).expect("store");
        let clock = FakeClock::new(T0 * 1000);
        directory::open(&store, T0).expect("packaged directory");
        let packaged = held_record_count(&store).expect("count");
        // A server publishing with keys this build does not pin.
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        let r = sync(&store, &clock, &SyncOptions::new(&f.url)).expect("sync");
        assert!(matches!(r.outcome, SyncOutcome::Rejected { .. }), "{r:?}");
        assert_eq!(
            held_record_count(&store).expect("count"),
            packaged,
            "the packaged help lines are kept"
        );
    }

    #[test]
    fn a_synced_directory_is_what_search_finds_and_survives_reopen() {
        let f = Fixture::new();
        directory::open(&f.store, T0).expect("packaged directory");
        f.publish(1, &["only-synced"], T0, T0 + 100_000);
        let r = f.sync();
        assert!(
            matches!(r.outcome, SyncOutcome::Updated { version: 1, .. }),
            "{r:?}"
        );
        // Re-opening re-verifies the synced copy under the deployment root and keeps it
        // (the packaged bundle, from other publishers, does not come back).
        directory::open(&f.store, T0 + 10).expect("reopen");
        let q = directory::Query {
            text: "Name".into(),
            ..Default::default()
        };
        let found: Vec<String> = directory::search(&f.store, &q, T0 + 10)
            .expect("search")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(found, ["only-synced"]);
    }

    #[test]
    fn a_deployment_root_cannot_replace_the_keys_after_a_sync() {
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        f.sync();
        let other = [PublisherKey::generate(), PublisherKey::generate()];
        let ks = sign_keyset(
            &build_keyset(
                1,
                T0 + 10_000_000,
                2,
                other.iter().map(PublisherKey::public_entry).collect(),
            ),
            &[&other[0], &other[1]],
        );
        let err = install_root_keyset(&f.store, &ks, &f.clock).expect_err("refused");
        assert!(matches!(err, Error::Verification(_)), "{err:?}");
    }

    fn manifest_payload_tag(f: &Fixture) -> String {
        let m = f.files.lock().expect("files")["/v1/manifest"].clone();
        format!(
            "\"{}\"",
            waypoint_format::manifest_payload_sha256(&m).expect("hash")
        )
    }

    #[test]
    fn a_server_chosen_etag_is_never_sent_back() {
        // The hostile server hands out a different ETag on every answer. Two phones that
        // echoed it would each send their own tag; they must send the value they compute
        // from the manifest they hold, the same for both.
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        let other_dir = tempfile::tempdir().expect("tempdir");
        let other = crate::app::open_store(other_dir.path()).expect("store");
        let ks = sign_keyset(
            &build_keyset(
                1,
                T0 + 10_000_000,
                2,
                f.keys.iter().map(PublisherKey::public_entry).collect(),
            ),
            &[&f.keys[0], &f.keys[1]],
        );
        assert!(install_root_keyset(&other, &ks, &f.clock).expect("install"));
        let mut tags = Vec::new();
        for store in [&f.store, &other] {
            let opts = SyncOptions::new(&f.url);
            let r = sync(store, &f.clock, &opts).expect("first sync");
            assert!(matches!(r.outcome, SyncOutcome::Updated { .. }), "{r:?}");
            let r = sync(store, &f.clock, &opts).expect("second sync");
            assert_eq!(r.outcome, SyncOutcome::AlreadyCurrent, "{r:?}");
            tags.push(f.last_manifest_tag());
        }
        let expected = manifest_payload_tag(&f);
        assert_eq!(tags, [Some(expected.clone()), Some(expected)]);
        let heads = f.heads.lock().expect("heads");
        assert!(
            heads.iter().all(|h| !h.contains("tag-")),
            "a server-chosen tag was sent back"
        );
    }

    #[test]
    fn a_frozen_manifest_is_stale_once_its_freshness_statement_lapses_also_on_304() {
        let f = Fixture::with_freshness();
        f.publish(1, &["a"], T0, T0 + 90 * 86_400);
        f.vouch(&f.fresh, T0, T0 + 3600);
        let r = f.sync();
        assert!(
            matches!(r.outcome, SyncOutcome::Updated { version: 1, .. }),
            "{r:?}"
        );
        assert_eq!((r.stale, r.fresh_until), (false, Some(T0 + 3600)), "{r:?}");
        // Within the hour: a 304, and the statement still vouches.
        f.clock.set((T0 + 600) * 1000);
        let r = f.sync();
        assert_eq!(f.last_manifest_tag(), Some(manifest_payload_tag(&f)));
        assert_eq!(r.outcome, SyncOutcome::AlreadyCurrent, "{r:?}");
        // The server (or a network replaying it) freezes: the same manifest, a 304, and the
        // old statement, two hours later. The manifest is valid for 90 days, but the phone
        // no longer claims to be current.
        f.clock.set((T0 + 7200) * 1000);
        let r = f.sync();
        assert_eq!(r.outcome, SyncOutcome::Stale { since: T0 + 3600 }, "{r:?}");
        assert!(r.stale);
        assert_eq!(r.version, Some(1));
        let status = status(&f.store, &f.clock).expect("status");
        assert!(status.stale, "{status:?}");
        // A statement signed by a publisher (not the freshness key) is refused.
        f.vouch(&f.keys[0], T0 + 7000, T0 + 10_800);
        assert_eq!(f.sync().outcome, SyncOutcome::Stale { since: T0 + 3600 });
        // A statement for another manifest (say, a newer one the phone is kept from) is
        // refused too.
        f.vouch(&f.fresh, T0 + 7000, T0 + 10_800);
        let honest = f.files.lock().expect("files")["/v1/freshness"].clone();
        f.publish(2, &["a", "b"], T0 + 6000, T0 + 90 * 86_400);
        f.vouch(&f.fresh, T0 + 7000, T0 + 10_800);
        let newer = f.files.lock().expect("files")["/v1/freshness"].clone();
        f.publish(1, &["a"], T0, T0 + 90 * 86_400);
        f.files
            .lock()
            .expect("files")
            .insert("/v1/freshness".into(), newer);
        assert_eq!(f.sync().outcome, SyncOutcome::Stale { since: T0 + 3600 });
        // The honest, current statement: current again.
        f.files
            .lock()
            .expect("files")
            .insert("/v1/freshness".into(), honest);
        let r = f.sync();
        assert_eq!(r.outcome, SyncOutcome::AlreadyCurrent, "{r:?}");
        assert_eq!((r.stale, r.fresh_until), (false, Some(T0 + 10_800)));
    }

    #[test]
    fn an_expired_offer_is_a_rejection_while_the_held_directory_is_current() {
        let f = Fixture::new();
        f.publish(1, &["a", "b"], T0, T0 + 100_000);
        f.sync();
        f.clock.set((T0 + 500) * 1000);
        // The server offers a version 2 that expired at T0 + 200: nothing to install, and
        // the held directory (valid until T0 + 100_000) is not stale.
        f.publish(2, &["a"], T0 + 1, T0 + 200);
        let r = f.sync();
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("expired")),
            "{r:?}"
        );
        assert!(!r.stale, "{r:?}");
        assert_eq!(r.version, Some(1));
    }

    #[test]
    fn a_rotation_that_drops_a_signer_keeps_the_held_directory_and_its_floor() {
        let f = Fixture::new();
        f.publish(4, &["old"], T0, T0 + 100_000);
        f.sync();
        f.publish(5, &["a", "b"], T0 + 10, T0 + 100_000);
        assert!(matches!(
            f.sync().outcome,
            SyncOutcome::Updated { version: 5, .. }
        ));
        // Keyset 2 drops keys[0] (which signed version 5) for a new key.
        let new = PublisherKey::generate();
        let next = build_keyset(
            2,
            T0 + 10_000_000,
            2,
            vec![f.keys[1].public_entry(), new.public_entry()],
        );
        f.files.lock().expect("files").insert(
            "/v1/keysets/2".into(),
            sign_keyset(&next, &[&f.keys[0], &f.keys[1], &new]),
        );
        // The server still serves the manifest signed by the dropped key: refused, but the
        // held directory stays, also across a re-open.
        let r = f.sync();
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("unknown key")),
            "{r:?}"
        );
        assert_eq!(r.version, Some(5));
        // Re-signed by the remaining keys: the sync after the rotation works.
        let signers = [&f.keys[1], &new];
        let records: Vec<_> = ["a", "b"].iter().map(|i| record(i)).collect();
        let b5 = build_bundle(5, T0 + 10, T0 + 100_000, &records, &signers).expect("b5");
        let m5 = build_manifest(5, T0 + 10, T0 + 100_000, &b5, &[], &signers);
        {
            let mut files = f.files.lock().expect("files");
            files.insert("/v1/bundles/5".into(), b5);
            files.insert("/v1/manifest".into(), m5);
        }
        let r = f.sync();
        assert_eq!(r.outcome, SyncOutcome::AlreadyCurrent, "{r:?}");
        // The rotation is now stored; version 5 stays verified under keyset 1, which
        // accepted it, also across a re-open (it used to fail under keyset 2 and fall back
        // to the packaged bundle).
        directory::open(&f.store, T0 + 20).expect("reopen");
        let after = status(&f.store, &f.clock).expect("status");
        assert_eq!(after.version, Some(5), "{after:?}");
        assert_eq!(held_record_count(&f.store).expect("count"), 2);
        assert_eq!(f.sync().outcome, SyncOutcome::AlreadyCurrent);
        // An older version re-signed by the remaining keys is a rollback...
        let b4 = build_bundle(4, T0 + 20, T0 + 100_000, &[record("evil")], &signers).expect("b4");
        let m4 = build_manifest(4, T0 + 20, T0 + 100_000, &b4, &[], &signers);
        {
            let mut files = f.files.lock().expect("files");
            files.insert("/v1/bundles/4".into(), b4);
            files.insert("/v1/manifest".into(), m4);
        }
        let r = f.sync();
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("rollback")),
            "{r:?}"
        );
        // ...also after the held copy is damaged beyond repair and the directory falls back
        // to the packaged bundle: the floor outlives the held copy.
        f.store
            .with_conn(|c| {
                c.execute("UPDATE directory_signed SET bytes = x'00'", [])?;
                Ok(())
            })
            .expect("damage");
        directory::open(&f.store, T0 + 30).expect("fallback");
        let r = f.sync();
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("rollback")),
            "{r:?}"
        );
        assert!(held_records_matching(&f.store, "evil")
            .expect("search")
            .is_empty());
    }

    #[test]
    fn a_future_dated_bundle_is_refused_and_later_updates_still_install() {
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        f.sync();
        // Validly signed, but created ten years ahead.
        let ten_years = T0 + 10 * 365 * 86_400;
        f.publish(2, &["a", "b"], ten_years, ten_years + 100_000);
        let r = f.sync();
        assert!(
            matches!(&r.outcome, SyncOutcome::Rejected { reason } if reason.contains("later than")),
            "{r:?}"
        );
        f.publish(3, &["a", "c"], T0 + 100, T0 + 100_000);
        assert!(matches!(
            f.sync().outcome,
            SyncOutcome::Updated { version: 3, .. }
        ));
    }

    #[test]
    fn a_latest_known_time_pushed_ahead_by_an_old_future_dated_bundle_recovers() {
        // What a phone looks like that accepted a future-dated bundle before `created` was
        // bounded: its latest known time is that bundle's `created`.
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        f.sync();
        let ten_years = T0 + 10 * 365 * 86_400;
        f.store
            .with_conn(|c| {
                c.execute(
                    "UPDATE directory_state SET created = ?1, latest_known_time = ?1",
                    [ten_years],
                )?;
                Ok(())
            })
            .expect("poison");
        f.publish(2, &["a", "b"], T0 + 100, T0 + 100_000);
        let r = f.sync();
        assert!(
            matches!(r.outcome, SyncOutcome::Updated { version: 2, .. }),
            "{r:?}"
        );
        assert!(!r.stale, "{r:?}");
    }

    #[test]
    fn a_manifest_naming_another_version_than_the_one_held_is_not_sent_as_a_condition() {
        // E.g. after the held copy fell back to the packaged bundle: a 304 for the manifest
        // of the version once held would leave the phone on the fallback.
        let f = Fixture::new();
        f.publish(1, &["a"], T0, T0 + 100_000);
        f.sync();
        f.sync();
        assert_eq!(f.last_manifest_tag(), Some(manifest_payload_tag(&f)));
        f.store
            .with_conn(|c| {
                put(c, "manifest_version", b"7")?;
                Ok(())
            })
            .expect("edit");
        assert_eq!(f.sync().outcome, SyncOutcome::AlreadyCurrent);
        assert_eq!(f.last_manifest_tag(), None);
    }
}
