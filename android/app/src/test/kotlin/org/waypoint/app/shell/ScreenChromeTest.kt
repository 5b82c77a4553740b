package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.Destination
import org.waypoint.core.screens
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

class ScreenChromeTest {
    private val code = "40571986"

    @Test
    fun chromeFollowsTheCoresStatesFromFirstRunToQuickExit() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.screens("UTC", "en").use { app ->
                val first = ScreenChrome.of(app.state.value)
                assertEquals(ShellText.FIRST_RUN_TITLE, first.title)
                assertFalse(first.private)
                assertFalse(first.showBack)
                assertTrue("quick exit from the very first screen", first.showQuickExit)
                app.dispatch(ScreenIntent.Next)
                val codeStep = ScreenChrome.of(app.dispatch(ScreenIntent.Next))
                assertTrue(codeStep.codeEntry)
                assertTrue(codeStep.showBack)

                val home = app.dispatch(ScreenIntent.ChooseCode(code, code))
                val homeChrome = ScreenChrome.of(home)
                assertEquals(ShellText.HOME, homeChrome.title)
                assertTrue(homeChrome.private)
                assertFalse(homeChrome.codeEntry)
                val labels = (home.view as ScreenView.Home).destinations.map { ScreenChrome.label(it) }
                assertEquals(labels.size, labels.toSet().size)

                val journal = ScreenChrome.of(app.dispatch(ScreenIntent.Open(Destination.JOURNAL)))
                assertEquals(ShellText.JOURNAL, journal.title)
                assertTrue(journal.showBack)
                assertEquals(ShellText.SAFETY, ScreenChrome.of(app.dispatch(ScreenIntent.Back).let { app.dispatch(ScreenIntent.Open(Destination.SAFETY_SETTINGS)) }).title)

                val decoy = ScreenChrome.of(app.quickExit())
                assertNull("the decoy shows no heading of the app", decoy.title)
                assertFalse(decoy.private)
                assertTrue("digits typed on the calculator are never announced", decoy.codeEntry)
                assertTrue(decoy.showQuickExit)
            }
        }
    }
}
