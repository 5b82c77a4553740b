// Directory sync: fetch, verify and commit signed directory updates from a sync server or
// static mirror. Anonymous (no account, no cookies) and optionally through Tor.
//
// Threading: a sync blocks its thread for up to the network timeouts (the core runs a private
// single-threaded runtime). Use the suspending [DirectorySync.sync], which moves the call to
// Dispatchers.IO, from a coroutine or a WorkManager CoroutineWorker; use [DirectorySync.syncBlocking]
// only where blocking is already fine (a plain Worker, a test). The blocking call cannot be
// interrupted: cancelling the coroutine takes effect when the round ends (bounded by the
// timeout). Scheduled syncs should wait [DirectorySync.scheduledJitter] first.
//
// Verification or network failures are not exceptions: they come back as a report whose
// outcome says why, and the last good directory is kept.
package org.waypoint.core

import java.time.Duration
import java.time.Instant
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/** What a sync did. */
sealed class SyncOutcome {
    /** A new [version] was verified and committed ([viaDelta]: from a delta, else the full bundle). */
    data class Updated(val version: Long, val viaDelta: Boolean) : SyncOutcome()

    /** The server has nothing newer. */
    object AlreadyCurrent : SyncOutcome() {
        override fun toString() = "AlreadyCurrent"
    }

    /**
     * Nothing newer could be had and the held directory is not known current: past its expiry
     * or its last freshness statement, [since] then.
     */
    data class Stale(val since: Instant) : SyncOutcome()

    /** What the server sent failed verification; the last good directory is kept. */
    data class Rejected(val reason: String) : SyncOutcome()

    /** The server could not be reached; nothing changed. */
    data class Offline(val reason: String) : SyncOutcome()
}

/** The outcome of a sync and the state of the directory held afterwards. */
data class SyncReport(
    val outcome: SyncOutcome,
    /** Version held after the sync (the last good one on failure); null if none yet. */
    val version: Long?,
    val expires: Instant?,
    /** Not known current (past its expiry or its last freshness statement): kept and shown, with its age. */
    val stale: Boolean,
    val lastSync: Instant?,
    /** Until when a signed freshness statement vouched that the held version is current. */
    val freshUntil: Instant?,
    /** Version of the publishers' guides held after the sync; null: packaged guides only. */
    val guidesVersion: Long? = null,
    /** Why guides the server offered were refused (one line); the held guides are kept. */
    val guidesRejected: String? = null,
)

private fun org.waypoint.core.ffi.SyncReport.toKt() = SyncReport(
    outcome = when (val o = outcome) {
        is org.waypoint.core.ffi.SyncOutcome.Updated -> SyncOutcome.Updated(o.version.toLong(), o.viaDelta)
        is org.waypoint.core.ffi.SyncOutcome.AlreadyCurrent -> SyncOutcome.AlreadyCurrent
        is org.waypoint.core.ffi.SyncOutcome.Stale -> SyncOutcome.Stale(Instant.ofEpochSecond(o.since))
        is org.waypoint.core.ffi.SyncOutcome.Rejected -> SyncOutcome.Rejected(o.reason)
        is org.waypoint.core.ffi.SyncOutcome.Offline -> SyncOutcome.Offline(o.reason)
    },
    version = version?.toLong(),
    expires = expires?.let { Instant.ofEpochSecond(it) },
    stale = stale,
    lastSync = lastSyncMs?.let { Instant.ofEpochMilli(it) },
    freshUntil = freshUntil?.let { Instant.ofEpochSecond(it) },
    guidesVersion = guidesVersion?.toLong(),
    guidesRejected = guidesRejected,
)

/** Directory sync for one [WaypointCore]. Obtain it with [WaypointCore.sync]. */
class DirectorySync internal constructor(private val core: WaypointCore) {
    /**
     * Syncs from [serverUrl] (https, or http on loopback/.onion), through [proxy] if given
     * (`socks5h://127.0.0.1:9050` for Tor). Runs on [Dispatchers.IO]. Throws only for local
     * problems: no trusted keyset ([WaypointException.Verification]), a bad URL or proxy
     * ([WaypointException.InvalidInput]), storage.
     */
    suspend fun sync(serverUrl: String, proxy: String? = null, timeout: Duration? = null): SyncReport =
        withContext(Dispatchers.IO) { syncBlocking(serverUrl, proxy, timeout) }

    /** [sync] on the calling thread. Blocks up to the timeout: never call it on the main thread. */
    fun syncBlocking(serverUrl: String, proxy: String? = null, timeout: Duration? = null): SyncReport = core {
        val timeoutS = timeout?.seconds?.coerceIn(0L, UInt.MAX_VALUE.toLong())?.toUInt()
        core.syncFfi.sync(serverUrl, proxy, timeoutS).toKt()
    }

    /** The held directory's version, expiry, staleness and last sync, without network. */
    fun status(): SyncReport = core { core.syncFfi.status().toKt() }

    /**
     * Installs the app's pinned root keyset on first run. No effect once a keyset is held (later
     * keysets arrive only as rotations signed by the old keys); returns whether it was installed.
     */
    fun installRootKeyset(keyset: ByteArray): Boolean = core { core.syncFfi.installRootKeyset(keyset) }

    /** How long a scheduled (not manual) sync waits first, random, so sync times form no pattern. */
    fun scheduledJitter(): Duration = Duration.ofMillis(core.syncFfi.jitterMs().toLong())

    /** Exact signed JSON of every record the last successful sync committed. */
    fun heldRecords(): List<String> = core { core.syncFfi.heldRecords() }
}

/** Directory sync for this data directory. */
val WaypointCore.sync: DirectorySync get() = DirectorySync(this)
