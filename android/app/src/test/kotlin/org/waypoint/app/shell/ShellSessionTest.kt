package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.app.shell.ShellTest.typeCode
import org.waypoint.core.Destination
import org.waypoint.core.DirectoryFilters
import org.waypoint.core.disguiseSettings
import org.waypoint.core.screens
import org.waypoint.core.vault
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

class ShellSessionTest {
    private val code = "40571986"

    private class FakePlatform : ShellPlatform {
        val events = mutableListOf<String>()
        override fun open(request: LaunchRequest): Boolean {
            events += "open ${request.action} ${request.uri}"
            return true
        }
        override fun leaveTask() {
            events += "leave"
        }
    }

    @Test
    fun aCallOpensTheDialerOnceAndQuickExitLeavesTheTask() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.vault.setUp(code)
            core.vault.lock()
            core.screens("UTC", "en").use { app ->
                val platform = FakePlatform()
                val shell = ShellSession(app, platform)
                app.typeCode(code)
                shell.send(ScreenIntent.Open(Destination.DIRECTORY))
                val results = shell.send(ScreenIntent.SearchDirectory(DirectoryFilters("trafficking", emptyList(), false, false, null))).view
                    as ScreenView.DirectorySearch
                val detail = shell.send(ScreenIntent.OpenResource(results.rows.first().id)).view as ScreenView.ResourceDetail
                val call = detail.detail.actions.first { it.label == "Call" }
                shell.send(ScreenIntent.TakeAction(call.index))
                assertTrue(platform.events.isEmpty())
                val after = shell.send(ScreenIntent.ConfirmCallWarning)
                assertEquals(1, platform.events.size)
                assertTrue(platform.events[0], platform.events[0].startsWith("open DIAL tel:"))
                assertNull("LaunchHandled went back to the core", after.launch)

                val exited = shell.quickExit()
                assertEquals(listOf("leave"), platform.events.drop(1))
                assertTrue(exited.view is ScreenView.Calculator)
            }
        }
    }

    @Test
    fun quickExitOpensTheNeutralPageThenLeaves() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.vault.setUp(code)
            core.disguiseSettings = core.disguiseSettings.copy(exitUrl = "https://weather.example.org/today")
            core.vault.lock()
            core.screens("UTC", "en").use { app ->
                val platform = FakePlatform()
                val shell = ShellSession(app, platform)
                app.typeCode(code)
                shell.quickExit()
                assertEquals(listOf("open VIEW https://weather.example.org/today", "leave"), platform.events)
                assertNull(shell.state.launch)
            }
        }
    }
}
