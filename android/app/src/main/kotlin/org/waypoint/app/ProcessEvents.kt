// Process start/stop from ProcessLifecycleOwner, for the screen model (AppViewModel).
package org.waypoint.app

import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow

/** The process's visibility changes, in order. */
object ProcessEvents {
    /** true: started (visible), false: stopped (background). */
    private val events = MutableSharedFlow<Boolean>(extraBufferCapacity = 8)
    val visible: SharedFlow<Boolean> get() = events

    fun emitStart() {
        events.tryEmit(true)
    }

    fun emitStop() {
        events.tryEmit(false)
    }
}
