//! Client sync: fetch, verify and commit directory updates from a sync server.
//!
//! One call, [`sync`], does the whole round and never leaves a half-applied state:
//!
//! 1. walk keyset rotations (`GET /v1/keysets/{v+1}` until 404), each verified against the
//!    keyset held before it (threshold of old AND new keys);
//! 2. conditional manifest request (`If-None-Match` with the ETag of the manifest held);
//!    the manifest is verified (signatures, rollback, expiry);
//! 3. the delta from the held version if the manifest lists one (file hash checked against
//!    the manifest, then the delta's signatures, its base, and the content hash of the
//!    result), otherwise — or when anything about the delta is wrong — the full bundle;
//! 4. everything verified, the new state is committed in ONE SQLite transaction through
//!    the directory module's seam ([`crate::directory::commit_sync`]), so the next search
//!    finds it.
//!
//! Any failure keeps the last good directory and is reported as a [`SyncReport`]
//! (`rejected because …`, `offline`, `stale since T`), not lost. Time is the *latest
//! known time*: the maximum of the injected clock and every `created` time ever verified,
//! so moving the phone's clock back cannot revive an expired bundle.
//!
//! Threading: [`sync`] blocks the calling thread for up to the request timeouts (it runs a
//! private current-thread tokio runtime). The platforms call it off the UI thread: Android
//! from a `Dispatchers.IO` coroutine or WorkManager job, iOS from a background `Task` or
//! `BGAppRefreshTask`, the CLI directly. Scheduled syncs wait [`scheduled_jitter_ms`] first
//! so a watched network does not see the app wake at the same minute every day.

pub mod http;

use std::time::Duration;

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};
use waypoint_format::{Keyset, Policy, VerifiedBundle};

use crate::clock::Clock;
use crate::directory::{self, SyncBase, SyncedUpdate, Trust};
use crate::error::{Error, Result};
use crate::store::{Component, Store, Table};
use http::{Fetched, Transport};

/// The sync engine's own bookkeeping (manifest ETag, last sync time). The directory itself
/// (signed bytes, keysets, records) lives in the directory module's tables; step 2 drops the
/// separate record copy step 1 kept before the two were joined.
pub const SYNC: Component = Component {
    name: "sync",
    tables: &[Table::public("sync_state")],
    personal_dirs: &[],
    steps: &[
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
         CREATE TABLE sync_records (id TEXT PRIMARY KEY, raw TEXT NOT NULL) STRICT;",
        "DROP TABLE sync_records;
         DELETE FROM sync_state WHERE key NOT IN ('manifest_etag', 'last_sync_ms');",
    ],
};

/// Most keyset rotations walked in one sync.
const MAX_ROTATIONS: u64 = 16;

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct SyncReport {
    /// What happened.
    pub outcome: SyncOutcome,
    /// Directory version held after the sync (the last good one on failure).
    pub version: Option<u64>,
    /// When the held directory expires (Unix seconds); after that it is shown as stale.
    pub expires: Option<i64>,
    /// Whether the held directory is past its expiry (kept and shown, with its age).
    pub stale: bool,
    /// Last successful sync (Unix ms).
    pub last_sync_ms: Option<i64>,
}

/// The outcome of a sync.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncOutcome {
    /// A new version was verified and committed.
    Updated {
        /// The new version.
        version: u64,
        /// Whether a delta was used (false: the full bundle).
        via_delta: bool,
    },
    /// The server has nothing newer.
    AlreadyCurrent,
    /// The server offers nothing unexpired: the held data is kept and is stale since
    /// `since` (Unix seconds).
    Stale {
        /// When the held data (or the server's offer) expired.
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

fn etag(store: &Store) -> Result<Option<String>> {
    store.with_conn(|c| Ok(get(c, "manifest_etag")?.and_then(|v| String::from_utf8(v).ok())))
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
    Ok(report(
        &base,
        last_sync_ms(store)?,
        SyncOutcome::AlreadyCurrent,
    ))
}

fn report(base: &SyncBase, last_sync_ms: Option<i64>, outcome: SyncOutcome) -> SyncReport {
    SyncReport {
        outcome,
        version: base.version,
        expires: base.expires,
        stale: base.expires.is_some_and(|e| base.latest_known_time > e),
        last_sync_ms,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Why a round stopped early.
enum Stop {
    Offline(String),
    Rejected(String),
    Stale(i64),
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

/// A verified download ready to commit.
struct Download {
    rotations: Vec<(u64, Vec<u8>)>,
    /// The new directory, the signed bytes it came from, and whether they are a delta.
    directory: Option<(VerifiedBundle, Vec<u8>, bool)>,
    etag: Option<String>,
    latest_known_s: i64,
}

/// Syncs the directory from `opts.server_url`. Returns a report; `Err` only for local
/// failures (storage, invalid options).
pub fn sync(store: &Store, clock: &dyn Clock, opts: &SyncOptions) -> Result<SyncReport> {
    let now_s = clock.now_unix_ms().div_euclid(1000);
    let held = directory::sync_base(store, &Trust::pinned(), now_s)?;
    let transport = Transport::new(&opts.server_url, opts.proxy.as_deref(), opts.timeout)?;
    let etag = if held.version.is_some() && !held.repair {
        etag(store)?
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Io)?;
    let round = runtime.block_on(fetch_round(&transport, &held, etag.as_deref()));
    let last = last_sync_ms(store)?;
    let download = match round {
        Ok(d) => d,
        Err(Stop::Offline(r)) => {
            return Ok(report(&held, last, SyncOutcome::Offline { reason: r }))
        }
        Err(Stop::Rejected(r)) => {
            return Ok(report(&held, last, SyncOutcome::Rejected { reason: r }))
        }
        Err(Stop::Stale(since)) => {
            let since = held.expires.map_or(since, |e| e.min(since));
            return Ok(report(&held, last, SyncOutcome::Stale { since }));
        }
    };
    let now_ms = clock.now_unix_ms();
    let update = SyncedUpdate {
        rotations: &download.rotations,
        directory: download
            .directory
            .as_ref()
            .map(|(b, bytes, delta)| (b, bytes.as_slice(), *delta)),
        latest_known_time: download.latest_known_s,
    };
    let committed = directory::commit_sync(store, &update, now_s, |tx| {
        if let Some(e) = &download.etag {
            put(tx, "manifest_etag", e.as_bytes())?;
        }
        put(tx, "last_sync_ms", now_ms.to_string().as_bytes())
    });
    match committed {
        Ok(()) => {}
        // Signed, but a phone or link the app would refuse to dial: nothing installed.
        Err(Error::Verification(reason)) => {
            return Ok(report(&held, last, SyncOutcome::Rejected { reason }))
        }
        Err(e) => return Err(e),
    }
    let after = directory::sync_base(store, &Trust::pinned(), now_s)?;
    let outcome = match &download.directory {
        Some((b, _, via_delta)) => SyncOutcome::Updated {
            version: b.version,
            via_delta: *via_delta,
        },
        None => SyncOutcome::AlreadyCurrent,
    };
    Ok(report(&after, Some(now_ms), outcome))
}

async fn fetch_round(
    t: &Transport,
    held: &SyncBase,
    etag: Option<&str>,
) -> std::result::Result<Download, Stop> {
    use waypoint_format::limits::{
        MAX_BUNDLE_BYTES, MAX_DELTA_BYTES, MAX_KEYSET_BYTES, MAX_MANIFEST_BYTES,
    };
    let now = held.latest_known_time;
    // 1. Keyset rotations.
    let mut keyset: Keyset = held.keyset.clone();
    let mut rotations = Vec::new();
    for _ in 0..MAX_ROTATIONS {
        let path = format!("/v1/keysets/{}", keyset.version + 1);
        match t.get(&path, None, MAX_KEYSET_BYTES).await.map_err(net)? {
            Fetched::Body { bytes, .. } => {
                keyset = waypoint_format::verify_keyset_rotation(&keyset, &bytes, now)?;
                rotations.push((keyset.version, bytes));
            }
            Fetched::NotFound | Fetched::NotModified => break,
        }
    }
    // 2. Manifest, conditional when something is held (and no rotation changed the keys).
    let etag = if rotations.is_empty() { etag } else { None };
    let (manifest_bytes, manifest_etag) = match t
        .get("/v1/manifest", etag, MAX_MANIFEST_BYTES)
        .await
        .map_err(net)?
    {
        Fetched::NotModified => {
            if held.expires.is_some_and(|e| now > e) {
                return Err(Stop::Stale(held.expires.unwrap_or(now)));
            }
            return Ok(Download {
                rotations,
                directory: None,
                etag: None,
                latest_known_s: now,
            });
        }
        Fetched::NotFound => {
            return Err(Stop::Offline(
                "the server has no directory published".into(),
            ))
        }
        Fetched::Body { bytes, etag } => (bytes, etag),
    };
    let policy = Policy::update(now, held.version);
    let manifest = match waypoint_format::verify_manifest(&manifest_bytes, &keyset, &policy) {
        Ok(m) => m,
        Err(waypoint_format::FormatError::Expired { expires, .. }) => {
            return Err(Stop::Stale(expires))
        }
        Err(e) => return Err(e.into()),
    };
    let latest_known_s = now.max(manifest.created);
    if Some(manifest.version) == held.version && !held.repair {
        return Ok(Download {
            rotations,
            directory: None,
            etag: manifest_etag,
            latest_known_s,
        });
    }
    let policy = Policy::update(latest_known_s, held.version);
    // 3. Delta when offered from what is held; any problem falls back to the full bundle.
    if let (Some(base), Some(entry)) = (
        held.base.as_ref(),
        held.version.and_then(|v| manifest.delta_from(v)),
    ) {
        let path = format!("/v1/deltas/{}/{}", base.version, manifest.version);
        let cap = (entry.size as usize).min(MAX_DELTA_BYTES);
        if let Ok(Fetched::Body { bytes, .. }) = t.get(&path, None, cap).await {
            if sha256_hex(&bytes) == entry.sha256 {
                if let Ok(b) = waypoint_format::verify_delta(&bytes, &keyset, base, &policy) {
                    if b.version == manifest.version {
                        return Ok(Download {
                            rotations,
                            latest_known_s: latest_known_s.max(b.created),
                            directory: Some((b, bytes, true)),
                            etag: manifest_etag,
                        });
                    }
                }
            }
        }
    }
    // 4. Full bundle.
    let path = format!("/v1/bundles/{}", manifest.version);
    let cap = (manifest.bundle.size as usize).min(MAX_BUNDLE_BYTES);
    let bytes = match t.get(&path, None, cap).await.map_err(net)? {
        Fetched::Body { bytes, .. } => bytes,
        _ => {
            return Err(Stop::Offline(
                "the bundle named by the manifest is missing".into(),
            ))
        }
    };
    if sha256_hex(&bytes) != manifest.bundle.sha256 {
        return Err(Stop::Rejected(
            "the bundle does not match the manifest's hash".into(),
        ));
    }
    // A repair re-installs the held version: the rollback rule allows the same version only
    // with the same content, which `verify_bundle` leaves to us.
    let b = match waypoint_format::verify_bundle(&bytes, &keyset, &policy) {
        Ok(b) => b,
        Err(waypoint_format::FormatError::Expired { expires, .. }) => {
            return Err(Stop::Stale(expires))
        }
        Err(e) => return Err(e.into()),
    };
    if b.version != manifest.version {
        return Err(Stop::Rejected(
            "the bundle's version differs from the manifest's".into(),
        ));
    }
    Ok(Download {
        rotations,
        latest_known_s: latest_known_s.max(b.created),
        directory: Some((b, bytes, false)),
        etag: manifest_etag,
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
    use crate::clock::FakeClock;

    type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

    /// A static HTTP server over `files` for the life of the test process.
    fn serve(files: Files) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let files = files.clone();
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
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let body = files.lock().expect("files").get(&path).cloned();
                    let _ = match body {
                        Some(b) => s
                            .write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", b.len()).as_bytes())
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
        files: Files,
        url: String,
        store: Store,
        clock: FakeClock,
        _dir: tempfile::TempDir,
    }

    const T0: i64 = 1_800_000_000;

    impl Fixture {
        fn new() -> Fixture {
            let keys = vec![PublisherKey::generate(), PublisherKey::generate()];
            let keyset = build_keyset(
                1,
                T0 + 10_000_000,
                2,
                keys.iter().map(PublisherKey::public_entry).collect(),
            );
            let ks = sign_keyset(&keyset, &[&keys[0], &keys[1]]);
            let files: Files = Arc::new(Mutex::new(HashMap::new()));
            let url = serve(files.clone());
            let dir = tempfile::tempdir().expect("tempdir");
            let store = Store::open(dir.path()).expect("store");
            let clock = FakeClock::new(T0 * 1000);
            assert!(install_root_keyset(&store, &ks, &clock).expect("install"));
            Fixture {
                keys,
                files,
                url,
                store,
                clock,
                _dir: dir,
            }
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
        assert!(matches!(r.outcome, SyncOutcome::Stale { .. }), "{r:?}");
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
        let store = Store::open(dir.path()).expect("store");
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
}
