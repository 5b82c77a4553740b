package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.Destination
import org.waypoint.core.label
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
                assertEquals(app.state.value.title, first.title)
                assertFalse(first.private)
                assertFalse(first.showBack)
                assertFalse(first.rightToLeft)
                assertTrue("quick exit from the very first screen", first.showQuickExit)
                assertNotNull(first.exitLabel)
                assertFalse("never 'quick exit' or 'panic' aloud", first.exitLabel!!.contains("quick", ignoreCase = true))
                app.dispatch(ScreenIntent.Next)
                val codeStep = ScreenChrome.of(app.dispatch(ScreenIntent.Next))
                assertTrue(codeStep.codeEntry)
                assertTrue(codeStep.showBack)

                val home = app.dispatch(ScreenIntent.ChooseCode(code, code))
                val homeChrome = ScreenChrome.of(home)
                assertEquals("Home", homeChrome.title)
                assertTrue(homeChrome.private)
                assertFalse(homeChrome.codeEntry)
                // Every home button has the core's word for it, and no two are the same.
                val words = (home.view as ScreenView.Home).destinations.map { home.label(ScreenChrome.key(it)) }
                assertTrue(words.toString(), words.all { it.isNotBlank() })
                assertEquals(words.size, words.toSet().size)

                val journal = ScreenChrome.of(app.dispatch(ScreenIntent.Open(Destination.JOURNAL)))
                assertEquals("Journal", journal.title)
                assertTrue(journal.showBack)
                app.dispatch(ScreenIntent.Back)
                val safety = app.dispatch(ScreenIntent.Open(Destination.SAFETY_SETTINGS))
                assertTrue("the duress code is typed here", ScreenChrome.of(safety).codeEntry)
                assertEquals("Notes", safety.label("alias:notes"))

                val decoy = ScreenChrome.of(app.quickExit())
                assertNull("the decoy shows no heading of the app", decoy.title)
                assertNull("and no word of the app: the shell says Close", decoy.exitLabel)
                assertFalse(decoy.private)
                assertTrue("digits typed on the calculator are never announced", decoy.codeEntry)
                assertTrue(decoy.showQuickExit)
            }
        }
    }

    @Test
    fun arabicIsLaidOutRightToLeftWithTheCoresWords() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.screens("UTC", "ar").use { app ->
                val chrome = ScreenChrome.of(app.state.value)
                assertTrue(chrome.rightToLeft)
                assertEquals(app.state.value.title, chrome.title)
                assertTrue(chrome.title!!.any { it in '\u0600'..'\u06FF' })
                assertTrue(app.state.value.label("next").any { it in '\u0600'..'\u06FF' })
                assertEquals("", app.state.value.label("no-such-key"))
            }
        }
    }
}
