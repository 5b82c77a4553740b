package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.ffi.CalcKey
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.Section as PlanSection
import org.waypoint.core.ffi.View as ScreenView

/**
 * The whole app through the exported screen model, as a shell drives it: first run, a code,
 * calculator unlock, an entry with an attachment, a court date with two reminders, a
 * safety plan section written and one skipped, the documents list, a know-your-rights guide,
 * a directory search, the call action, quick exit; then the decoy is a plain calculator and nothing personal is
 * reachable.
 */
class JourneyTest {
    private val code = "40571986"
    private val secretTitle = "Marker-Journey-Title"
    private val secretCourt = "Marker-Journey-Court"
    private val secretPlace = "Marker-Journey-Place"

    private fun Screens.type(keys: String) = keys.forEach {
        dispatch(ScreenIntent.Calc(CalcKey.Digit((it - '0').toUByte())))
    }

    @Test
    fun firstRunToQuickExit() {
        val dir = Files.createTempDirectory("waypoint-journey").toFile().also { it.deleteOnExit() }
        // 2026-01-09, before the court date.
        WaypointCore.open(dir, Clock { 1_768_000_000_000 }, VaultOptions(scryptLogN = 4)).use { core ->
            core.screens("America/New_York", "en").use { app ->
                // First run teaches the quick exit before anything else.
                assertTrue(app.state.value.view is ScreenView.FirstRunQuickExit)
                assertTrue(app.dispatch(ScreenIntent.Next).view is ScreenView.FirstRunDecoy)
                assertTrue(app.dispatch(ScreenIntent.Next).view is ScreenView.FirstRunCode)
                val short = app.dispatch(ScreenIntent.ChooseCode("12", "12")).view as ScreenView.FirstRunCode
                assertTrue(short.error!!.contains("6 digits"))
                assertTrue(app.dispatch(ScreenIntent.ChooseCode(code, code)).view is ScreenView.Home)

                // Leave, then come back through the calculator.
                assertEquals(ScreenView.Calculator("0"), app.quickExit().view)
                app.type(code)
                val home = app.dispatch(ScreenIntent.Calc(CalcKey.Equals))
                assertTrue(home.view is ScreenView.Home)
                // The observer fed the StateFlow the same state dispatch returned.
                assertEquals(home, app.state.value)

                // A journal entry with an attachment.
                app.dispatch(ScreenIntent.Open(Destination.JOURNAL))
                app.dispatch(ScreenIntent.NewEntry)
                app.dispatch(ScreenIntent.EditEntry(EntryForm(secretTitle, "what happened", "2026-01-05 22:30", "", "wages", "")))
                app.dispatch(ScreenIntent.Attach("photo.jpg", "image/jpeg", byteArrayOf(1, 2, 3)))
                val journal = app.dispatch(ScreenIntent.SaveEntry).view as ScreenView.JournalList
                assertEquals(1, journal.rows.size)
                assertEquals(1u, journal.rows[0].attachments)
                assertEquals("Mon 5 Jan 2026, 22:30", journal.rows[0].timeText)
                assertTrue(app.dispatch(ScreenIntent.Back).view is ScreenView.Home)

                // A court date with two reminders.
                app.dispatch(ScreenIntent.Open(Destination.APPOINTMENTS))
                app.dispatch(ScreenIntent.NewAppointment)
                val form = AppointmentForm(secretCourt, AppointmentKind.COURT, "2026-01-20", "09:00", "", "", Repeat.NEVER, listOf(60u, 1440u))
                app.dispatch(ScreenIntent.EditAppointment(form))
                val list = app.dispatch(ScreenIntent.SaveAppointment).view as ScreenView.AppointmentList
                assertEquals("Tue 20 Jan 2026, 09:00", list.rows[0].timeText)
                assertEquals("1 day before, 1 hour before", list.rows[0].reminders)
                app.dispatch(ScreenIntent.Back)

                // The safety plan: guided sections, one written, one skipped for now.
                val plan = app.dispatch(ScreenIntent.Open(Destination.SAFETY_PLAN))
                assertEquals("My safety plan", plan.title)
                val sections = (plan.view as ScreenView.SafetyPlan).sections
                assertEquals(8, sections.size)
                assertTrue(sections.all { it.prompt.contains("skip") })
                app.dispatch(ScreenIntent.SavePlanSection(PlanSection.SAFE_PLACES, listOf(secretPlace), ""))
                val skipped = app.dispatch(ScreenIntent.SkipPlanSection(PlanSection.PETS)).view as ScreenView.SafetyPlan
                assertEquals(listOf(secretPlace), skipped.sections[1].items)
                assertTrue(skipped.sections[7].skipped)
                app.dispatch(ScreenIntent.Back)

                // The documents list (empty so far; documents are added through core.documents).
                val documents = app.dispatch(ScreenIntent.Open(Destination.DOCUMENTS))
                assertEquals("My documents", documents.title)
                assertTrue((documents.view as ScreenView.DocumentList).rows.isEmpty())
                assertTrue(app.dispatch(ScreenIntent.Back).view is ScreenView.Home)

                // Know-your-rights guides: a list, one guide with its sources, date and help.
                val guides = app.dispatch(ScreenIntent.Open(Destination.GUIDES))
                assertEquals("Know your rights", guides.title)
                val ids = (guides.view as ScreenView.GuideList).guides.map { it.id }
                assertEquals(listOf("rights", "t-visa", "hotline", "phone-safety"), ids)
                val tVisa = (app.dispatch(ScreenIntent.OpenGuide("t-visa")).view as ScreenView.Guide).guide
                assertEquals("What a T visa is", tVisa.title)
                assertTrue(tVisa.notAdvice.contains("not legal advice"))
                assertNull(tVisa.reviewNote)
                assertTrue(tVisa.sources.isNotEmpty())
                assertTrue(tVisa.help.any { it.category == "legal_aid" })
                assertTrue(app.dispatch(ScreenIntent.Back).view is ScreenView.GuideList)
                assertTrue(app.dispatch(ScreenIntent.Back).view is ScreenView.Home)

                // Search the directory and take the call action (after the one-time warning).
                app.dispatch(ScreenIntent.Open(Destination.DIRECTORY))
                val results = app.dispatch(ScreenIntent.SearchDirectory(DirectoryFilters("trafficking", emptyList(), false, false, null))).view
                    as ScreenView.DirectorySearch
                val detail = app.dispatch(ScreenIntent.OpenResource(results.rows.first().id)).view as ScreenView.ResourceDetail
                val call = detail.detail.actions.first { it.label == "Call" }
                val warning = app.dispatch(ScreenIntent.TakeAction(call.index))
                assertTrue(warning.view is ScreenView.CallWarning)
                assertNull(warning.launch)
                val dialled = app.dispatch(ScreenIntent.ConfirmCallWarning)
                assertTrue(dialled.launch!!.startsWith("tel:"))
                app.dispatch(ScreenIntent.LaunchHandled)

                // Quick exit: a plain calculator, nothing personal, nothing reachable.
                val after = app.quickExit()
                assertEquals(ScreenView.Calculator("0"), after.view)
                assertFalse(after.canGoBack)
                assertTrue(after.leaveRecents)
                assertEquals(after, app.state.value)
                for (intent in listOf(
                    ScreenIntent.Open(Destination.JOURNAL),
                    ScreenIntent.JournalSearch(secretTitle),
                    ScreenIntent.Back,
                    ScreenIntent.SaveEntry,
                )) {
                    val s = app.dispatch(intent)
                    assertTrue(s.view is ScreenView.Calculator)
                    assertFalse(s.toString().contains(secretTitle))
                    assertFalse(s.toString().contains(secretCourt))
                    assertFalse(s.toString().contains(secretPlace))
                }
                assertEquals(VaultState.LOCKED, core.vault.state)
            }
        }
    }
}
