// One app process's conversation with the core's screen model, with the platform effects a
// state asks for: open `launch` once (ACTION_DIAL / ACTION_SENDTO / https VIEW only) and send
// LaunchHandled; after a quick exit, leave the task (finishAndRemoveTask). Plain Kotlin over a
// [ShellPlatform] port; the Activity implements the port. Tested on the JVM against the real
// core (ShellSessionTest).
package org.waypoint.app.shell

import org.waypoint.core.AppState
import org.waypoint.core.Screens
import org.waypoint.core.ffi.Intent as ScreenIntent

/** What only the platform can do. Both calls come on the thread that called [ShellSession]. */
interface ShellPlatform {
    /** Starts the intent; false when no app on the phone answers it. */
    fun open(request: LaunchRequest): Boolean

    /** Leaves the task and the recent-apps list (`finishAndRemoveTask()`). */
    fun leaveTask()
}

/** Forwards intents and carries out what the resulting state asks of the platform. */
class ShellSession(private val screens: Screens, private val platform: ShellPlatform) {
    /** The state now. */
    val state: AppState get() = screens.state.value

    /** Forwards [intent] (blocking: a background thread) and applies the effects. */
    fun send(intent: ScreenIntent): AppState = settle(screens.dispatch(intent))

    /**
     * Quick exit: the core drops the keys and answers with the decoy; then the neutral page
     * (if the survivor set one) opens and the task leaves recents. No dialog, ever.
     */
    fun quickExit(): AppState = settle(screens.quickExit())

    private fun settle(state: AppState): AppState {
        // LaunchHandled is a new intent and clears leaveRecents: read it first.
        val leave = state.leaveRecents
        var now = state
        val uri = state.launch
        if (uri != null) {
            LaunchIntents.forUri(uri)?.let { platform.open(it) }
            now = screens.dispatch(ScreenIntent.LaunchHandled)
        }
        if (leave) platform.leaveTask()
        return now
    }
}
