package org.waypoint.app.shell

import java.io.File
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.AppState
import org.waypoint.core.Destination
import org.waypoint.core.DirectoryFilters
import org.waypoint.core.screens
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

/**
 * The Compose screens (ui/WaypointUi.kt, not compiled on CI) look every word up by the core's
 * label keys. This walks the core through every screen, collects the keys it gives, and checks
 * each key the UI source asks for (`t("...")`, and the kind/repeat/decoy/alias/destination
 * families) is one of them: a misspelt or renamed key would show an empty button on a phone.
 */
class UiLabelKeysTest {
    private val code = "40571986"

    private fun uiSource(): String {
        val root = System.getProperty("waypoint.root") ?: "."
        val dir = File(root, "android/app/src/main/kotlin/org/waypoint/app/ui")
        return dir.listFiles { f -> f.name.endsWith(".kt") }!!.sortedBy { it.name }.joinToString("\n") { it.readText() }
    }

    @Test
    fun everyLabelKeyTheComposeScreensUseIsOneTheCoreGives() {
        val seen = mutableSetOf<String>()
        fun see(s: AppState) = s.labels.forEach { seen += it.key }
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.screens("UTC", "en").use { app ->
                see(app.state.value)
                see(app.dispatch(ScreenIntent.Next))
                see(app.dispatch(ScreenIntent.Next))
                val home = app.dispatch(ScreenIntent.ChooseCode(code, code))
                see(home)
                for (d in (home.view as ScreenView.Home).destinations) {
                    see(app.dispatch(ScreenIntent.Open(d)))
                    when (d) {
                        Destination.JOURNAL -> {
                            see(app.dispatch(ScreenIntent.NewEntry)); app.dispatch(ScreenIntent.Back)
                            see(app.dispatch(ScreenIntent.OpenExport)); app.dispatch(ScreenIntent.Back)
                        }
                        Destination.DOCUMENTS -> {
                            see(app.dispatch(ScreenIntent.NewDocument)); app.dispatch(ScreenIntent.Back)
                        }
                        Destination.GUIDES -> {
                            // The guide screen's own words (sources, help), drawn by GuideScreen.
                            val first = (app.state.value.view as ScreenView.GuideList).guides.first()
                            see(app.dispatch(ScreenIntent.OpenGuide(first.id))); app.dispatch(ScreenIntent.Back)
                        }
                        Destination.APPOINTMENTS -> {
                            see(app.dispatch(ScreenIntent.NewAppointment)); app.dispatch(ScreenIntent.Back)
                        }
                        Destination.DIRECTORY -> {
                            val found = app.dispatch(ScreenIntent.SearchDirectory(DirectoryFilters("trafficking", emptyList(), false, false, null)))
                            val id = (found.view as ScreenView.DirectorySearch).rows.first().id
                            val detail = app.dispatch(ScreenIntent.OpenResource(id))
                            see(detail)
                            val call = (detail.view as ScreenView.ResourceDetail).detail.actions.first { it.display.any(Char::isDigit) }
                            see(app.dispatch(ScreenIntent.TakeAction(call.index)))
                            app.dispatch(ScreenIntent.Back); app.dispatch(ScreenIntent.Back)
                        }
                        else -> Unit
                    }
                    app.dispatch(ScreenIntent.Back)
                }
                val safety = app.dispatch(ScreenIntent.Open(Destination.SAFETY_SETTINGS))
                val aliases = (safety.view as ScreenView.SafetySettings).aliasChoices

                val source = uiSource()
                val used = Regex("""\bt\("([^"$]+)"\)""").findAll(source).map { it.groupValues[1] }.toSortedSet()
                assertTrue("the UI looks words up", used.size > 20)
                // Families the UI builds from enum names and ids.
                used += org.waypoint.core.ffi.AppointmentKind.entries.map { "kind:" + it.name.lowercase() }
                used += org.waypoint.core.ffi.Repeat.entries.map { "repeat:" + it.name.lowercase() }
                used += org.waypoint.core.ffi.DecoyChoice.entries.map { "decoy:" + it.name.lowercase() }
                used += org.waypoint.core.ffi.DocumentType.entries.map { DocumentTypes.key(it) }
                used += aliases.map { "alias:$it" }
                used += (home.view as ScreenView.Home).destinations.map { ScreenChrome.key(it) }
                used += listOf("back", "quick_exit")
                val missing = used - seen
                assertTrue("keys the UI uses but the core never gives: $missing", missing.isEmpty())
            }
        }
    }
}
