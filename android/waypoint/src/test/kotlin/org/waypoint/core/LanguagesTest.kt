package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.ffi.View as ScreenView

/** The core speaks the phone's language through the exported API, as a shell passes it. */
class LanguagesTest {
    @Test
    fun screensSpeakThePhonesLanguageAndDirection() {
        val dir = Files.createTempDirectory("waypoint-languages").toFile().also { it.deleteOnExit() }
        WaypointCore.open(dir, Clock { 1_768_000_000_000 }, VaultOptions(scryptLogN = 4)).use { core ->
            // Android's Locale.toString() form, as some shells pass it.
            core.screens("America/New_York", "ar_EG").use { app ->
                val state = app.state.value
                assertEquals("ar", state.language)
                assertEquals(ScreenDirection.RTL, state.direction)
                assertEquals("قبل أن تبدأ", state.title)
                assertTrue(state.view is ScreenView.FirstRunQuickExit)
            }
            core.screens("America/New_York", "es-MX").use { app ->
                assertEquals(ScreenDirection.LTR, app.state.value.direction)
                val choice = app.dispatch(org.waypoint.core.ffi.Intent.Next).view as ScreenView.FirstRunDecoy
                assertEquals(listOf("Calculadora", "Notas", "Clima"), choice.options.map { it.title })
                assertEquals("Siguiente", app.state.value.label("next"))
            }
        }
    }

    @Test
    fun reminderVoiceAndDecoysFollowTheLanguage() {
        assertEquals("Recordatorio", reminderVoice("es-MX").title)
        assertEquals("Reminder", reminderVoice("ro-RO").title)
        assertEquals("Reminder", defaultReminderVoice().title)
        val notes = org.waypoint.core.ffi.disguiseDecoys("zh-CN")[1]
        assertEquals("备忘录", notes.title)
    }
}
