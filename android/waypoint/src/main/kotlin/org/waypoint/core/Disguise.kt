// The disguise for app code: the decoy calculator, the secret-code unlock, quick exit and
// auto-lock. See docs/PLATFORM_CONTRACT.md for what the Android app must do around it
// (FLAG_SECURE, finishAndRemoveTask, exactly one launcher alias).
package org.waypoint.core

import org.waypoint.core.ffi.AppEvent
import org.waypoint.core.ffi.CalcKey

typealias Screen = org.waypoint.core.ffi.Screen
typealias DecoyChoice = org.waypoint.core.ffi.DecoyChoice
typealias DisguiseSettings = org.waypoint.core.ffi.DisguiseSettings
typealias QuickExitOutcome = org.waypoint.core.ffi.QuickExitOutcome

/**
 * What the calculator shows, written as the phone's own calculator writes numbers in its
 * language (`3,5` in Spanish, `٣٫٥` in Arabic); [unlockPending] means: call
 * [Disguise.attemptUnlock] off the main thread.
 */
data class CalcDisplay(val text: String, val unlockPending: Boolean)

/**
 * One per app process. Key presses are fast; [attemptUnlock] blocks (scrypt). The display
 * speaks the phone's [language] (BCP 47); the code is matched on the keys, not the display.
 */
class Disguise internal constructor(
    private val ffi: org.waypoint.core.ffi.Disguise,
    val language: String = java.util.Locale.getDefault().toLanguageTag(),
) : AutoCloseable {
    /** Presses a key given as it is labelled: 0-9 . + − × ÷ = % ± C ⌫ (ASCII forms accepted). */
    fun press(key: Char): CalcDisplay = core {
        val k = when (key) {
            in '0'..'9' -> CalcKey.Digit((key - '0').toUByte())
            '.', ',' -> CalcKey.Point
            '+' -> CalcKey.Add
            '-', '−' -> CalcKey.Subtract
            '*', 'x', '×' -> CalcKey.Multiply
            '/', '÷' -> CalcKey.Divide
            '=' -> CalcKey.Equals
            '%' -> CalcKey.Percent
            '±', 'n' -> CalcKey.Negate
            'C', 'c' -> CalcKey.Clear
            '⌫', '<' -> CalcKey.Backspace
            else -> throw WaypointException.InvalidInput("key", "not a calculator key")
        }
        val out = ffi.press(k)
        CalcDisplay(org.waypoint.core.ffi.calculatorDisplay(out.display, language), out.unlockPending)
    }

    /** Presses several keys; returns the last display. */
    fun pressAll(keys: String): CalcDisplay = keys.filterNot { it.isWhitespace() }.map { press(it) }.last()

    /** Tries the pending code against the vault. Blocking: never call it on the main thread. */
    fun attemptUnlock(): Screen = core { ffi.attemptUnlock() }

    /** A code from another decoy's gesture or the passphrase lock screen. Blocking. */
    fun submitCode(code: String): Screen = core { ffi.submitCode(code) }

    /** Locks at once and says what to show. Never show a dialog or toast around it. */
    fun quickExit(): QuickExitOutcome = core { ffi.quickExit() }

    fun onBackground(): Screen = core { ffi.appEvent(AppEvent.BACKGROUND) }
    fun onForeground(): Screen = core { ffi.appEvent(AppEvent.FOREGROUND) }
    fun onActivity(): Screen = core { ffi.appEvent(AppEvent.ACTIVITY) }
    fun tick(): Screen = core { ffi.appEvent(AppEvent.TICK) }
    fun lock(): Screen = core { ffi.lock() }
    val screen: Screen get() = core { ffi.screen() }
    val display: String get() = core { org.waypoint.core.ffi.calculatorDisplay(ffi.display(), language) }

    override fun close() = ffi.close()
}

/**
 * The disguise controller for this data directory (reads settings; works while locked),
 * its display in the phone's [language].
 */
fun WaypointCore.disguise(language: String = java.util.Locale.getDefault().toLanguageTag()): Disguise =
    core { Disguise(ffi.disguise(), language) }

/** Disguise settings; readable while locked, writable only while unlocked. */
var WaypointCore.disguiseSettings: DisguiseSettings
    get() = core { ffi.disguise().use { it.settings() } }
    set(value) = core { ffi.disguise().use { it.setSettings(value) } }

/** Quick exit without a controller (e.g. from a notification action or a gesture handler). */
fun WaypointCore.quickExit(): QuickExitOutcome = core { ffi.disguise().use { it.quickExit() } }
