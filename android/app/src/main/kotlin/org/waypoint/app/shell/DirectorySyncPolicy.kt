// Directory sync scheduling for WorkManager, as plain Kotlin: whether a periodic sync exists at
// all (OFF until the survivor turns it on), its constraints and timing, and what a run's
// outcome means for WorkManager (success / retry). SyncWorker.kt applies it. Tested on the JVM
// (DirectorySyncPolicyTest), the run against the real core.
//
// Every client sends the same request (docs/PROTOCOL.md), so a fixed daily time would be the
// only thing that tells phones apart on the network: the first run waits the core's random
// jitter, and WorkManager's flex window spreads the later ones.
package org.waypoint.app.shell

import java.time.Duration
import org.waypoint.core.SyncOutcome
import org.waypoint.core.WaypointCore
import org.waypoint.core.sync

/** What the survivor chose. Default: no automatic sync. */
data class SyncPreferences(
    val enabled: Boolean = false,
    /** Only on Wi-Fi (unmetered): cheap phones often have little data. */
    val unmeteredOnly: Boolean = true,
)

/** The WorkManager request to enqueue (unique periodic work, KEEP policy). */
data class SyncWorkSpec(
    val uniqueName: String,
    val repeatInterval: Duration,
    val flexInterval: Duration,
    val initialDelay: Duration,
    /** NetworkType.UNMETERED when true, else NetworkType.CONNECTED. */
    val unmeteredOnly: Boolean,
    val batteryNotLow: Boolean,
    /** Exponential backoff start after a RETRY. */
    val backoffInitial: Duration,
)

/** What one run tells WorkManager. */
enum class SyncRunResult { SUCCESS, RETRY }

/** The sync schedule rules. */
object DirectorySyncPolicy {
    const val UNIQUE_NAME = "directory-sync"
    val REPEAT: Duration = Duration.ofHours(24)
    val FLEX: Duration = Duration.ofHours(6)
    val BACKOFF: Duration = Duration.ofMinutes(30)

    /** The work to enqueue, or null: cancel the unique work (sync off, or no server configured). */
    fun spec(prefs: SyncPreferences, serverUrl: String, jitter: Duration): SyncWorkSpec? {
        if (!prefs.enabled || serverUrl.isBlank()) return null
        return SyncWorkSpec(
            uniqueName = UNIQUE_NAME,
            repeatInterval = REPEAT,
            flexInterval = FLEX,
            initialDelay = if (jitter.isNegative) Duration.ZERO else jitter,
            unmeteredOnly = prefs.unmeteredOnly,
            batteryNotLow = true,
            backoffInitial = BACKOFF,
        )
    }

    /**
     * One scheduled run on the worker's thread. Offline: try again later (backoff). Rejected
     * data: the last good directory is kept and retrying soon would fetch the same bytes, so
     * the run ends and the next period tries again. Local errors (bad URL, storage) are not
     * cured by retrying either.
     */
    fun run(core: WaypointCore, serverUrl: String, proxy: String? = null): SyncRunResult = try {
        when (core.sync.syncBlocking(serverUrl, proxy).outcome) {
            is SyncOutcome.Offline -> SyncRunResult.RETRY
            is SyncOutcome.Updated, SyncOutcome.AlreadyCurrent, is SyncOutcome.Stale, is SyncOutcome.Rejected -> SyncRunResult.SUCCESS
        }
    } catch (e: org.waypoint.core.WaypointException) {
        SyncRunResult.SUCCESS
    }
}
