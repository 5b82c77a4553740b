// Directory sync for app code on iOS: fetch, verify and commit signed directory updates.
//
// A sync blocks its thread for up to the network timeouts. Use the `async` variant (it runs
// the blocking call on a detached background task) from a `Task` or a `BGAppRefreshTask`;
// the blocking variant only where blocking is already fine. The blocking call cannot be
// interrupted: cancelling the task takes effect when the round ends (bounded by the timeout).
// Verification and network failures are not thrown: the report's outcome says why, and the
// last good directory is kept.
import Foundation

extension SyncReport {
    /// When the held directory expires.
    public var expiresAt: Date? { expires.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
    /// Last successful sync.
    public var lastSync: Date? { lastSyncMs.map { dateFromUnixMs($0) } }
    /// Until when a signed freshness statement vouched that the held version is current.
    public var freshUntilDate: Date? { freshUntil.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
}

extension WaypointCore {
    /// Syncs from `serverURL` (https, or http on loopback/.onion), through `proxy` if given
    /// (`socks5h://127.0.0.1:9050` for Tor), on a background task. Throws only for local
    /// problems (no trusted keyset, bad URL, storage).
    public func syncDirectory(serverURL: String, proxy: String? = nil, timeoutSeconds: UInt32? = nil) async throws(WaypointError) -> SyncReport {
        let syncFfi = self.syncFfi
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try syncFfi.sync(serverUrl: serverURL, proxy: proxy, timeoutS: timeoutSeconds) }
        }
    }

    /// `syncDirectory` on the calling thread. Blocks: never call it on the main actor.
    public func syncDirectoryBlocking(serverURL: String, proxy: String? = nil, timeoutSeconds: UInt32? = nil) throws(WaypointError) -> SyncReport {
        try core { try syncFfi.sync(serverUrl: serverURL, proxy: proxy, timeoutS: timeoutSeconds) }
    }

    /// The held directory's version, expiry, staleness and last sync, without network.
    public func directorySyncStatus() throws(WaypointError) -> SyncReport {
        try core { try syncFfi.status() }
    }

    /// Installs the app's pinned root keyset on first run; no effect once one is held.
    public func installRootKeyset(_ keyset: Data) throws(WaypointError) -> Bool {
        try core { try syncFfi.installRootKeyset(keyset: keyset) }
    }

    /// Seconds a scheduled (not manual) sync waits first, random, so sync times form no pattern.
    public func scheduledSyncJitter() -> TimeInterval {
        TimeInterval(syncFfi.jitterMs()) / 1000
    }

    /// Exact signed JSON of every record the last successful sync committed.
    public func syncedRecords() throws(WaypointError) -> [String] {
        try core { try syncFfi.heldRecords() }
    }
}
