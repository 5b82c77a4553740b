// The few words the shell says itself (in res/values*/strings.xml): everything else on screen
// comes from the core in the app's language (AppState.title / labels). android/tools/
// check-android.py checks every R.string key used exists in values/ and every values-xx.
package org.waypoint.app.ui

import org.waypoint.app.R

/**
 * Reminder offsets offered in the appointment editor (minutes before), with their words. The
 * core names the offsets already chosen (`reminderLabels`); these are the choices offered.
 */
val REMINDER_PRESETS: List<Pair<UInt, Int>> = listOf(
    10u to R.string.ui_before_10m,
    60u to R.string.ui_before_1h,
    1440u to R.string.ui_before_1d,
    10080u to R.string.ui_before_1w,
)
