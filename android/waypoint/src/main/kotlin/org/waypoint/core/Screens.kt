// The app's screens for Compose: the core decides every screen (state, navigation, back,
// validation messages, dates in the user's zone, phone numbers); the app only draws
// `state.value.view` and forwards what the person did as a [ScreenIntent].
//
// Updates arrive through the core's one observer callback and land in a StateFlow, so a
// composable collects `screens.state` (collectAsState) and recomposes on every change. The
// callback is never called while the core holds a lock. [dispatch] may block on a key
// derivation (unlock, first-run code): call it from a background dispatcher.
// See docs/PLATFORM_CONTRACT.md ("Screen models").
package org.waypoint.core

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.waypoint.core.ffi.AppModel
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.StateObserver

typealias AppState = org.waypoint.core.ffi.AppState
// `View` and `Intent` are sealed classes whose variants a type alias cannot reach (Kotlin
// resolves nested classes only through the real name or an import alias): app code imports
// `org.waypoint.core.ffi.View as ScreenView` and `org.waypoint.core.ffi.Intent as ScreenIntent`.
typealias Destination = org.waypoint.core.ffi.Destination
typealias EntryForm = org.waypoint.core.ffi.EntryForm
typealias AppointmentForm = org.waypoint.core.ffi.AppointmentForm
typealias DirectoryFilters = org.waypoint.core.ffi.DirectoryFilters
typealias SafetyForm = org.waypoint.core.ffi.SafetyForm
typealias Repeat = org.waypoint.core.ffi.Repeat
/** Which way the screen runs (`RTL` for Arabic): mirror the layout by it. */
typealias ScreenDirection = org.waypoint.core.ffi.ScreenDirection
/** A title, button or field word of the screen on show, by stable key. */
typealias ScreenLabel = org.waypoint.core.ffi.ScreenLabel

/** The word of this screen for [key] (`back`, `save`, `field:title`, ...); empty if none. */
fun AppState.label(key: String): String = labels.firstOrNull { it.key == key }?.text ?: ""

/** The screen model of one app process. Keep one; [close] releases it. */
class Screens internal constructor(private val ffi: AppModel) : AutoCloseable {
    private val flow = MutableStateFlow(ffi.state())

    /** The state to draw. Never goes back to an older version. */
    val state: StateFlow<AppState> = flow.asStateFlow()

    init {
        ffi.setObserver(object : StateObserver {
            override fun onState(state: AppState) = publish(state)
        })
    }

    private fun publish(next: AppState) {
        flow.update { current -> if (next.version >= current.version) next else current }
    }

    /** Forwards one intent; returns (and publishes) the new state. Blocking: off the main thread. */
    fun dispatch(intent: ScreenIntent): AppState {
        val next = ffi.dispatch(intent)
        publish(next)
        return next
    }

    /** Quick exit: from any screen, no dialog. Then show `state.value.view` (the decoy). */
    fun quickExit(): AppState = dispatch(ScreenIntent.QuickExit)

    /** Re-reads the state (for a shell that polls `version` instead of collecting). */
    fun poll(): AppState = ffi.state().also { publish(it) }

    override fun close() {
        ffi.setObserver(null)
        ffi.close()
    }
}

/**
 * The screens over this core, dates in [timeZone], every word in the phone's [language]
 * (BCP 47; the closest language the core ships, else English). Lay the screen out by
 * `state.direction` (right to left for Arabic) and take titles and button words from
 * `state.title` and `state.labels`.
 */
fun WaypointCore.screens(
    timeZone: String = java.util.TimeZone.getDefault().id,
    language: String = java.util.Locale.getDefault().toLanguageTag(),
): Screens = Screens(core { AppModel(ffi, timeZone, language) })
