//! The exported directory sync: one-line delegations to [`Core`]. Every method here blocks
//! for up to the network timeouts: call it off the UI thread (Android:
//! `withContext(Dispatchers.IO)` or a WorkManager job; iOS: a background `Task`).

use std::sync::Arc;

use super::ApiResult;
use crate::app::Core;
use crate::sync::SyncReport;

/// Directory sync of one opened data directory.
#[derive(Debug, uniffi::Object)]
pub struct DirectorySync {
    inner: Arc<Core>,
}

impl DirectorySync {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl DirectorySync {
    /// Syncs the directory from `server_url` (https, or http on loopback/.onion), through
    /// `proxy` if given (`socks5h://127.0.0.1:9050` for Tor). Verification and network
    /// failures come back as a report that keeps the last good directory; `stale` (and a
    /// `Stale` outcome) when it is past its expiry or its last freshness statement.
    pub fn sync(
        &self,
        server_url: String,
        proxy: Option<String>,
        timeout_s: Option<u32>,
    ) -> ApiResult<SyncReport> {
        Ok(self.inner.directory_sync(server_url, proxy, timeout_s)?)
    }

    /// The held directory's version, expiry, staleness and last sync, without network.
    pub fn status(&self) -> ApiResult<SyncReport> {
        Ok(self.inner.directory_sync_status()?)
    }

    /// Trusts a deployment's own root keyset instead of the pinned one (desktop and test
    /// deployments). Allowed only before anything was synced. Returns whether installed.
    pub fn install_root_keyset(&self, keyset: Vec<u8>) -> ApiResult<bool> {
        Ok(self.inner.directory_install_root_keyset(keyset)?)
    }

    /// Milliseconds a *scheduled* sync should wait first (random, 0-6 h), so sync times do
    /// not form a daily pattern on a watched network. Manual syncs do not wait.
    pub fn jitter_ms(&self) -> u64 {
        self.inner.directory_sync_jitter_ms()
    }

    /// Exact signed JSON of every installed directory record (desktop CLI, platform tests).
    pub fn held_records(&self) -> ApiResult<Vec<String>> {
        Ok(self.inner.directory_held_records()?)
    }
}
