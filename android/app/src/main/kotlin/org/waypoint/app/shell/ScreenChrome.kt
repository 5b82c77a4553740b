// The screen state -> UI model mapping: what the shell draws AROUND the core's view. Every word
// comes from the core in the phone's language (`AppState.title`, `AppState.labels`, the message
// files in core/locales); the shell adds only what the core leaves to it: whether the screen is
// private (ticks, lock), whether a code is typed there (no digit announced), the back arrow, the
// layout direction, and where a label is missing the shell's own neutral word ("Close" on the
// decoys, in res/). Tested on the JVM against the real core's states (ScreenChromeTest).
package org.waypoint.app.shell

import org.waypoint.core.AppState
import org.waypoint.core.Destination
import org.waypoint.core.ScreenDirection
import org.waypoint.core.label
import org.waypoint.core.ffi.View as ScreenView

/** What the shell draws around the core's view. */
data class ScreenChrome(
    /** The heading in the app's language; null on decoys (they show only their own content). */
    val title: String?,
    /** Part of the unlocked app: lock on idle ticks, never shown over the decoy. */
    val private: Boolean,
    /** A code is typed on this screen: password fields, no digit announced by TalkBack. */
    val codeEntry: Boolean,
    /** Show a back arrow (the core says Back leads somewhere). */
    val showBack: Boolean,
    /** Lay the screen out right to left (Arabic). */
    val rightToLeft: Boolean,
    /**
     * The quick exit's name for TalkBack: the core's neutral word ("Exit") where the screen
     * has one, else null and the shell says "Close" (decoys carry no app words at all).
     */
    val exitLabel: String?,
    /** The quick exit is on every screen, always in the same place. */
    val showQuickExit: Boolean = true,
) {
    companion object {
        /** The chrome for [state]. */
        fun of(state: AppState): ScreenChrome {
            val (private, code) = when (state.view) {
                is ScreenView.FirstRunQuickExit, is ScreenView.FirstRunDecoy -> false to false
                // The first-run code, the calculator (where the code is typed), the other
                // decoys' code field and the unlock screen: nothing typed is announced.
                is ScreenView.FirstRunCode, is ScreenView.Calculator, is ScreenView.DecoyPage, is ScreenView.Unlock -> false to true
                // The duress code is typed here.
                is ScreenView.SafetySettings -> true to true
                is ScreenView.Home, is ScreenView.JournalList, is ScreenView.EntryEditor, is ScreenView.EvidenceExport,
                is ScreenView.AppointmentList, is ScreenView.AppointmentEditor, is ScreenView.DirectorySearch,
                is ScreenView.ResourceDetail, is ScreenView.CallWarning, is ScreenView.SyncStatus,
                is ScreenView.DocumentList, is ScreenView.DocumentEditor, is ScreenView.ShareRecipients,
                is ScreenView.SafetyPlan,
                -> true to false
                // A screen a newer core adds is private: it locks on idle; nothing typed there
                // is a code.
                else -> true to false
            }
            val decoy = state.view is ScreenView.Calculator || state.view is ScreenView.DecoyPage
            return ScreenChrome(
                title = if (decoy) null else state.title.ifBlank { null },
                private = private,
                codeEntry = code,
                showBack = state.canGoBack,
                rightToLeft = state.direction == ScreenDirection.RTL,
                exitLabel = state.label("quick_exit").ifEmpty { null },
            )
        }

        /**
         * The label key of a home destination (`destination:journal`, `destination:sync_status`,
         * ...): the core's key is the destination's name in lower case, for any destination a
         * newer core adds too.
         */
        fun key(destination: Destination): String = "destination:" + destination.name.lowercase()
    }
}
