// The idiomatic Kotlin face of the Waypoint core.
//
// The generated bindings (package org.waypoint.core.ffi) mirror the Rust exports one to one.
// This wrapper is what app code uses: a single AutoCloseable handle per data directory, Kotlin
// types, and errors as one sealed hierarchy whose messages never contain personal data.
// The core exports one object per capability (`Waypoint.vault()`, `.journal()`, ...); this
// handle takes each once, and each capability file adds its extension (e.g. `core.journal`)
// over its own object, so this class stays small. Every call blocks on disk or crypto work: call it off the main thread
// (a background dispatcher), never from the UI thread.
package org.waypoint.core

import java.io.File
import org.waypoint.core.ffi.Waypoint
import org.waypoint.core.ffi.WaypointApiException

/** Where "now" comes from. Tests pass a fixed clock; apps use [SystemClock]. */
fun interface Clock {
    /** Milliseconds since the Unix epoch, UTC. */
    fun nowUnixMs(): Long
}

/** The device's wall clock. */
object SystemClock : Clock {
    override fun nowUnixMs(): Long = System.currentTimeMillis()
}

/** Whether the vault exists and is open. */
enum class VaultState { UNINITIALIZED, LOCKED, UNLOCKED }

/** What a UI needs at a glance; holds nothing personal. */
data class CoreStatus(
    val coreVersion: String,
    /** Schema version per storage component, e.g. "meta" to 1. */
    val schema: Map<String, Int>,
    val vault: VaultState,
    val directoryVersion: Long?,
)

/**
 * Errors from the core as the app handles them. Messages are one line and never carry
 * personal data, so they are safe to log.
 */
sealed class WaypointException(message: String, cause: Throwable? = null) : Exception(message, cause) {
    /** Wrong passphrase; the next attempt is accepted after [retryAfterSeconds]. */
    class WrongPassphrase(val retryAfterSeconds: Long, cause: Throwable? = null) :
        WaypointException("wrong passphrase; try again in $retryAfterSeconds s", cause)
    /** The vault is locked or not set up. */
    class Locked(cause: Throwable? = null) : WaypointException("locked", cause)
    /** Input was rejected: [field] names it, [reason] says which rule it broke. */
    class InvalidInput(val field: String, val reason: String, cause: Throwable? = null) :
        WaypointException("invalid $field: $reason", cause)
    class NotFound(cause: Throwable? = null) : WaypointException("not found", cause)
    class Storage(val reason: String, cause: Throwable? = null) : WaypointException("storage: $reason", cause)
    class Network(val reason: String, cause: Throwable? = null) : WaypointException("network: $reason", cause)
    class Verification(val reason: String, cause: Throwable? = null) :
        WaypointException("verification: $reason", cause)
    class Internal(val reason: String, cause: Throwable? = null) : WaypointException("internal: $reason", cause)
}

/** Converts the generated exception into the wrapper's sealed hierarchy. */
internal fun WaypointApiException.toWaypointException(): WaypointException = when (this) {
    is WaypointApiException.WrongPassphrase -> WaypointException.WrongPassphrase(retryAfterS.toLong(), this)
    is WaypointApiException.Locked -> WaypointException.Locked(this)
    is WaypointApiException.InvalidInput -> WaypointException.InvalidInput(field, reason, this)
    is WaypointApiException.NotFound -> WaypointException.NotFound(this)
    is WaypointApiException.Storage -> WaypointException.Storage(reason, this)
    is WaypointApiException.Network -> WaypointException.Network(reason, this)
    is WaypointApiException.Verification -> WaypointException.Verification(reason, this)
    is WaypointApiException.Internal -> WaypointException.Internal(reason, this)
}

/** Runs [block], translating core errors; capability wrappers use it for every call. */
internal inline fun <T> core(block: () -> T): T =
    try {
        block()
    } catch (e: WaypointApiException) {
        throw e.toWaypointException()
    }

/** One opened data directory. Keep one for the app's lifetime; [close] releases it. */
class WaypointCore internal constructor(internal val ffi: Waypoint) : AutoCloseable {
    internal val vaultFfi = ffi.vault()
    internal val journalFfi = ffi.journal()
    internal val appointmentsFfi = ffi.appointments()
    internal val directoryFfi = ffi.directory()
    internal val syncFfi = ffi.directorySync()
    internal val sharingFfi = ffi.sharing()
    internal val documentsFfi = ffi.documents()
    internal val safetyPlanFfi = ffi.safetyPlan()
    internal val guidesFfi = ffi.guides()

    companion object {
        /** Opens (creating and migrating if needed) the data directory [dataDir]. */
        @JvmStatic
        @JvmOverloads
        fun open(dataDir: File, clock: Clock = SystemClock): WaypointCore {
            val bridge = object : org.waypoint.core.ffi.Clock {
                override fun nowUnixMs(): Long = clock.nowUnixMs()
            }
            return WaypointCore(core { Waypoint.open(dataDir.path, bridge) })
        }
    }

    /** A snapshot of what is stored and whether the vault is open. */
    fun status(): CoreStatus = core {
        val s = ffi.status()
        CoreStatus(
            coreVersion = s.coreVersion,
            schema = s.schema.associate { it.component to it.version.toInt() },
            vault = when (s.vault) {
                org.waypoint.core.ffi.VaultState.UNINITIALIZED -> VaultState.UNINITIALIZED
                org.waypoint.core.ffi.VaultState.LOCKED -> VaultState.LOCKED
                org.waypoint.core.ffi.VaultState.UNLOCKED -> VaultState.UNLOCKED
            },
            directoryVersion = s.directoryVersion?.toLong(),
        )
    }

    override fun close() {
        listOf(
            vaultFfi, journalFfi, appointmentsFfi, directoryFfi, syncFfi, sharingFfi, documentsFfi, safetyPlanFfi, guidesFfi,
        ).forEach { it.close() }
        ffi.close()
    }
}
