package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.ffi.VaultConfig
import org.waypoint.core.ffi.Waypoint
import org.waypoint.core.ffi.defaultVaultConfig

class DisguiseTest {
    private val code = "40571986"

    /** A core with a low scrypt work factor (debug builds only accept it) and a vault. */
    private fun openWithVault(): WaypointCore {
        val dir = Files.createTempDirectory("waypoint-disguise").toFile().also { it.deleteOnExit() }
        val clock = object : org.waypoint.core.ffi.Clock {
            override fun nowUnixMs(): Long = System.currentTimeMillis()
        }
        val config: VaultConfig = defaultVaultConfig().copy(scryptLogN = 4u)
        val core = WaypointCore(Waypoint.openWithConfig(dir.path, clock, null, config))
        core.vaultFfi.setup(code)
        core.vaultFfi.lock()
        return core
    }

    @Test
    fun calculatorDoesArithmetic() {
        openWithVault().use { core ->
            core.disguise("en-US").use { d ->
                assertEquals(CalcDisplay("15", false), d.pressAll("12+3="))
                assertEquals("14", d.pressAll("C2+3×4=").text)
                assertEquals("Error", d.pressAll("C9÷0=").text)
                assertEquals(Screen.DECOY, d.screen)
            }
        }
    }

    @Test
    fun secretCodeUnlocksAndWrongCodeIsArithmetic() {
        openWithVault().use { core ->
            core.disguise("en-US").use { d ->
                val wrong = d.pressAll("123456=")
                assertEquals("123456", wrong.text)
                assertTrue(wrong.unlockPending)
                assertEquals(Screen.DECOY, d.attemptUnlock())
                assertEquals(VaultState.LOCKED, core.status().vault)

                val right = d.pressAll("C$code=")
                assertEquals(code, right.text)
                assertEquals(Screen.APP, d.attemptUnlock())
                assertEquals(VaultState.UNLOCKED, core.status().vault)
                assertEquals("0", d.display)
            }
        }
    }

    @Test
    fun quickExitLocksEverything() {
        openWithVault().use { core ->
            core.disguise().use { d ->
                assertEquals(Screen.APP, d.submitCode(code))
                val outcome = d.quickExit()
                assertEquals(DecoyChoice.CALCULATOR, outcome.decoy)
                assertTrue(outcome.leaveRecents)
                assertEquals(Screen.DECOY, d.screen)
                assertEquals(VaultState.LOCKED, core.status().vault)
                try {
                    core.disguiseSettings = core.disguiseSettings.copy(notificationVoice = "Hello")
                    throw AssertionError("settings must not change while locked")
                } catch (e: WaypointException.Locked) {
                    // expected
                }
            }
        }
    }

    @Test
    fun settingsAreReadableWhileLockedAndScreenshotsBlockedByDefault() {
        openWithVault().use { core ->
            val s = core.disguiseSettings
            assertTrue(s.screenshotBlocking)
            assertEquals("not chosen: reminders speak the phone's language", "", s.notificationVoice)
            assertFalse(s.quickExitWipes)
        }
    }

    @Test
    fun remindersSpeakThePhonesLanguageUnlessTheSurvivorChoseWords() {
        openWithVault().use { core ->
            val appointments = core.appointments
            assertEquals(ReminderVoice("Recordatorio", "Tienes un evento"), appointments.notificationVoice("es-MX"))
            assertEquals(ReminderVoice("提醒", "你有一个日程"), appointments.notificationVoice("zh-CN"))
            core.disguise().use { d -> assertEquals(Screen.APP, d.submitCode(code)) }
            core.disguiseSettings = core.disguiseSettings.copy(notificationVoice = "Drink water")
            core.vaultFfi.lock()
            // Locked (as after a reboot): the survivor's words under the phone's neutral title.
            assertEquals(ReminderVoice("Recordatorio", "Drink water"), appointments.notificationVoice("es-MX"))
            core.disguise().use { d -> assertEquals(Screen.APP, d.submitCode(code)) }
            try {
                core.disguiseSettings = core.disguiseSettings.copy(notificationVoice = "Drink\nwater")
                throw AssertionError("a line break in the reminder text must be refused")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("notification_voice", e.field)
            }
        }
    }

    @Test
    fun theCalculatorWritesNumbersInThePhonesLanguageAndTheCodeStillOpens() {
        openWithVault().use { core ->
            core.disguise("es-ES").use { d -> assertEquals("3,5", d.pressAll("3.5").text) }
            core.disguise("ar-EG").use { d ->
                assertEquals("٣٫٥", d.pressAll("C3.5").text)
                val typed = d.pressAll("C$code=")
                assertEquals("٤٠٥٧١٩٨٦", typed.text)
                assertTrue(typed.unlockPending)
                assertEquals(Screen.APP, d.attemptUnlock())
            }
        }
    }
}
