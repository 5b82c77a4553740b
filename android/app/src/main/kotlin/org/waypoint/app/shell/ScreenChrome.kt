// The screen state -> UI model mapping: what the shell draws AROUND the core's view (heading,
// back arrow, the "Close" quick exit, whether digits may be announced, whether the screen is
// private). The core's view carries every word about the person's data; the headings and
// buttons here are the shell's own words, looked up in res/values*/strings.xml through
// [ShellText]. Tested on the JVM against the real core's states (ScreenChromeTest).
package org.waypoint.app.shell

import org.waypoint.core.AppState
import org.waypoint.core.Destination
import org.waypoint.core.ffi.View as ScreenView

/** The shell's own words (res string keys live in ShellStrings.kt, the Android side). */
enum class ShellText {
    CLOSE, BACK, NEXT, SAVE, CONTINUE, UNLOCK, LOCK,
    CODE, CODE_AGAIN, FIRST_RUN_TITLE, FIRST_RUN_DECOY, FIRST_RUN_CODE,
    HOME, JOURNAL, APPOINTMENTS, DIRECTORY, SAFETY, SYNC,
    NEW_ENTRY, EXPORT, ENTRY, APPOINTMENT, SEARCH, RESULT, CALL_WARNING,
    TITLE, TEXT, WHEN, MOOD, TAGS, PLACE, ATTACH, DATE, TIME, DURATION, REPEAT, REMINDERS,
    PASSPHRASE, PASSPHRASE_AGAIN, DISPLAY,
    SYNC_AUTOMATIC, SYNC_WIFI_ONLY,
}

/** What the shell draws around the core's view. */
data class ScreenChrome(
    /** The heading; null on decoys and first run (those carry their own words). */
    val title: ShellText?,
    /** Part of the unlocked app: lock on idle ticks, never shown over the decoy. */
    val private: Boolean,
    /** A code is typed on this screen: password fields, no digit announced by TalkBack. */
    val codeEntry: Boolean,
    /** Show a back arrow (the core says Back leads somewhere). */
    val showBack: Boolean,
    /** The quick exit ("Close") is on every screen, always in the same place. */
    val showQuickExit: Boolean = true,
) {
    companion object {
        /** The chrome for [state]. */
        fun of(state: AppState): ScreenChrome {
            val view = state.view
            val (title, private, code) = when (view) {
                is ScreenView.FirstRunQuickExit -> Triple(ShellText.FIRST_RUN_TITLE, false, false)
                is ScreenView.FirstRunDecoy -> Triple(ShellText.FIRST_RUN_DECOY, false, false)
                is ScreenView.FirstRunCode -> Triple(ShellText.FIRST_RUN_CODE, false, true)
                // The calculator is where the code is typed: its display is never a live region.
                is ScreenView.Calculator -> Triple(null, false, true)
                is ScreenView.DecoyPage -> Triple(null, false, true)
                is ScreenView.Unlock -> Triple(null, false, true)
                is ScreenView.Home -> Triple(ShellText.HOME, true, false)
                is ScreenView.JournalList -> Triple(ShellText.JOURNAL, true, false)
                is ScreenView.EntryEditor -> Triple(ShellText.ENTRY, true, false)
                is ScreenView.EvidenceExport -> Triple(ShellText.EXPORT, true, false)
                is ScreenView.AppointmentList -> Triple(ShellText.APPOINTMENTS, true, false)
                is ScreenView.AppointmentEditor -> Triple(ShellText.APPOINTMENT, true, false)
                is ScreenView.DirectorySearch -> Triple(ShellText.DIRECTORY, true, false)
                is ScreenView.ResourceDetail -> Triple(ShellText.RESULT, true, false)
                is ScreenView.CallWarning -> Triple(ShellText.CALL_WARNING, true, false)
                // The duress code is typed here.
                is ScreenView.SafetySettings -> Triple(ShellText.SAFETY, true, true)
                is ScreenView.SyncStatus -> Triple(ShellText.SYNC, true, false)
            }
            return ScreenChrome(title = title, private = private, codeEntry = code, showBack = state.canGoBack)
        }

        /** The home screen's button label for [destination]. */
        fun label(destination: Destination): ShellText = when (destination) {
            Destination.JOURNAL -> ShellText.JOURNAL
            Destination.APPOINTMENTS -> ShellText.APPOINTMENTS
            Destination.DIRECTORY -> ShellText.DIRECTORY
            Destination.SAFETY_SETTINGS -> ShellText.SAFETY
            Destination.SYNC_STATUS -> ShellText.SYNC
        }
    }
}
