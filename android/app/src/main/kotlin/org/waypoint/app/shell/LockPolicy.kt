// When the shell tells the core about the app's life: process start/stop (ProcessLifecycleOwner),
// touches and a periodic tick. The core decides whether to lock (auto-lock minutes, lock on
// background); this class only turns Android events into the core's `Intent.Lifecycle` and
// keeps the tick and touch traffic small. Tested on the JVM against the real core
// (LockPolicyTest): backgrounding locks, idling past the auto-lock time locks at the next tick.
package org.waypoint.app.shell

import org.waypoint.core.AppState
import org.waypoint.core.ffi.AppEvent
import org.waypoint.core.ffi.Intent as ScreenIntent

/** Lifecycle events for the core, with touches debounced. */
class LockPolicy(
    private val nowMillis: () -> Long,
    /** At most one ACTIVITY event per this many ms (a scroll is hundreds of touches). */
    val activityDebounceMillis: Long = 1_000,
    /** How often the shell ticks while a private screen shows. */
    val tickIntervalMillis: Long = 5_000,
) {
    private var lastActivity = Long.MIN_VALUE

    /** ProcessLifecycleOwner ON_STOP: the whole app left the screen. */
    fun onProcessStop(): ScreenIntent = ScreenIntent.Lifecycle(AppEvent.BACKGROUND)

    /** ProcessLifecycleOwner ON_START: the app is visible again. */
    fun onProcessStart(): ScreenIntent = ScreenIntent.Lifecycle(AppEvent.FOREGROUND)

    /** A touch: an ACTIVITY event, or null when one was sent less than the debounce ago. */
    fun onTouch(): ScreenIntent? {
        val now = nowMillis()
        if (lastActivity != Long.MIN_VALUE && now - lastActivity in 0 until activityDebounceMillis) return null
        lastActivity = now
        return ScreenIntent.Lifecycle(AppEvent.ACTIVITY)
    }

    /** The periodic tick (sent only while [ticks] is true). */
    fun onTick(): ScreenIntent = ScreenIntent.Lifecycle(AppEvent.TICK)

    /** Whether the shell should tick now: only while a private (unlocked) screen shows. */
    fun ticks(state: AppState): Boolean = ScreenChrome.of(state).private
}
