//! Directory sync of the application. Every method here blocks for up to the network timeouts:
//! call it off the UI thread (Android: `withContext(Dispatchers.IO)` or a WorkManager job;
//! iOS: a background `Task` / `BGAppRefreshTask`).

use std::time::Duration;

use super::Core;
use crate::error::Result;
use crate::sync::{self, SyncOptions, SyncReport};

impl Core {
    /// Syncs the directory from `server_url` (https, or http on loopback/.onion), through
    /// `proxy` if given (`socks5h://127.0.0.1:9050` for Tor). Verification failures and
    /// network failures come back as a report that keeps the last good directory. The
    /// report describes the directory held afterwards: `stale` (and a `Stale` outcome, with
    /// the time it stopped being known current) when it is past its expiry or its last
    /// freshness statement (`fresh_until`).
    pub fn directory_sync(
        &self,
        server_url: String,
        proxy: Option<String>,
        timeout_s: Option<u32>,
    ) -> Result<SyncReport> {
        let mut opts = SyncOptions::new(&server_url);
        opts.proxy = proxy;
        if let Some(t) = timeout_s {
            opts.timeout = Duration::from_secs(u64::from(t.clamp(1, 600)));
        }
        sync::sync(&self.store, self.clock.as_ref(), &opts)
    }

    /// The held directory's version, expiry, staleness and last sync, without network.
    pub fn directory_sync_status(&self) -> Result<SyncReport> {
        sync::status(&self.store, self.clock.as_ref())
    }

    /// Trusts a deployment's own root keyset instead of the one pinned in this build (desktop
    /// and test deployments; the phone apps ship their root pinned and never call this).
    /// Allowed only before anything was synced; later keys change only by rotations signed
    /// by the old keys. Returns whether it was installed (false: already the root in use).
    pub fn directory_install_root_keyset(&self, keyset: Vec<u8>) -> Result<bool> {
        sync::install_root_keyset(&self.store, &keyset, self.clock.as_ref())
    }

    /// Milliseconds a *scheduled* sync should wait first (random, 0-6 h), so sync times do
    /// not form a daily pattern on a watched network. Manual syncs do not wait.
    pub fn directory_sync_jitter_ms(&self) -> u64 {
        sync::scheduled_jitter_ms()
    }

    /// Exact signed JSON of every installed directory record (packaged or synced), for the
    /// desktop CLI's `sync --list` and platform tests; apps use `directory_search`.
    pub fn directory_held_records(&self) -> Result<Vec<String>> {
        sync::held_records_matching(&self.store, "")
    }
}
