package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.app.shell.ShellTest.typeCode
import org.waypoint.core.screens
import org.waypoint.core.vault
import org.waypoint.core.ffi.View as ScreenView

class LockPolicyTest {
    private val code = "40571986"

    @Test
    fun leavingTheAppLocksAndShowsTheDecoy() {
        val clock = ShellTest.MovableClock(1_768_000_000_000)
        ShellTest.open(ShellTest.tempDir(), clock).use { core ->
            core.vault.setUp(code)
            core.vault.lock()
            core.screens("UTC", "en").use { app ->
                val policy = LockPolicy({ clock.nowUnixMs() })
                app.typeCode(code)
                assertTrue(app.state.value.view is ScreenView.Home)
                assertTrue(policy.ticks(app.state.value))
                app.dispatch(policy.onProcessStop())
                assertTrue(app.state.value.view is ScreenView.Calculator)
                assertFalse(policy.ticks(app.state.value))
                app.dispatch(policy.onProcessStart())
                assertTrue(app.state.value.view is ScreenView.Calculator)
            }
        }
    }

    @Test
    fun idlingPastTheAutoLockTimeLocksAtTheNextTickAndTouchesKeepItOpen() {
        val clock = ShellTest.MovableClock(1_768_000_000_000)
        ShellTest.open(ShellTest.tempDir(), clock).use { core ->
            core.vault.setUp(code)
            core.vault.lock()
            core.screens("UTC", "en").use { app ->
                val policy = LockPolicy({ clock.nowUnixMs() })
                app.typeCode(code)
                // Default auto-lock: 60 s. Touches every 30 s keep it open.
                repeat(4) {
                    clock.advance(30_000)
                    policy.onTouch()?.let { app.dispatch(it) }
                    app.dispatch(policy.onTick())
                    assertTrue(app.state.value.view is ScreenView.Home)
                }
                clock.advance(61_000)
                app.dispatch(policy.onTick())
                assertTrue(app.state.value.view is ScreenView.Calculator)
            }
        }
    }

    @Test
    fun touchesAreDebounced() {
        var now = 10_000L
        val policy = LockPolicy({ now })
        assertNotNull(policy.onTouch())
        now += 500
        assertNull(policy.onTouch())
        now += 600
        assertNotNull(policy.onTouch())
        now -= 5_000 // a clock set back never silences touches for good
        assertNotNull(policy.onTouch())
        assertEquals(5_000L, policy.tickIntervalMillis)
    }
}
