package org.waypoint.core

import java.nio.file.Files
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
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
 * safety plan section written and one skipped, a document with its scan and an expiry
 * reminder shown in the documents list, the entry and the document shared to a lawyer's key,
 * a know-your-rights guide,
 * a directory search, the call action, quick exit; then the decoy is a plain calculator and nothing personal is
 * reachable.
 */
class JourneyTest {
    private val code = "40571986"
    private val secretTitle = "Marker-Journey-Title"
    private val secretCourt = "Marker-Journey-Court"
    private val secretPlace = "Marker-Journey-Place"
    private val secretLabel = "Marker-Journey-Permit-Label"
    private val secretNumber = "MARKERJOURNEY778"
    private val secretScan = "Marker-Journey-Scan-Bytes"
    // A public key only (its identity was thrown away): enough to seal to.
    private val lawyerKey = "age1q7qp03atl73269u0sl99nyd6thvv7ceha5dcll5293rcf52kfy5q6gv0jg"

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

                // A document with its scan and an expiry reminder (through core.documents), then
                // the documents list shows it.
                val permit = runBlocking {
                    core.documents.add(
                        DocumentDraft(
                            type = DocumentType.WORK_PERMIT,
                            label = secretLabel,
                            number = secretNumber,
                            expiresOn = LocalDate.of(2026, 2, 20),
                            expiryReminderDays = listOf(30),
                            reminderTimeZone = ZoneId.of("America/New_York"),
                        ),
                        DocumentScan.FromBytes(secretScan.toByteArray(), "permit.pdf", "application/pdf"),
                    )
                }
                assertEquals(secretScan.length.toLong(), permit.file!!.size)
                val documents = app.dispatch(ScreenIntent.Open(Destination.DOCUMENTS))
                assertEquals("My documents", documents.title)
                val docRows = (documents.view as ScreenView.DocumentList).rows
                assertEquals(listOf(permit.id), docRows.map { it.id })
                assertTrue(docRows[0].hasFile)
                assertEquals(0, core.documents.damagedCount())
                assertTrue(app.dispatch(ScreenIntent.Back).view is ScreenView.Home)
                // Its reminder joins the court date's two, in neutral words.
                val reminders = core.appointments.reminderPlan(horizonDays = 60)
                assertEquals(3, reminders.schedule.size)
                for (r in reminders.schedule) {
                    val text = r.title + r.body + r.toString()
                    assertFalse(text, text.contains(secretNumber) || text.contains(secretLabel) || text.lowercase().contains("permit"))
                }

                // Sharing on the survivor's terms: the chosen entry and document, to the lawyer's
                // pasted key (its fingerprint shown to compare in person). The package opens with
                // `waypoint open-share` (tests/tests/journey_cli.rs); here: only what was chosen.
                val lawyer = core.sharing.addRecipient("my lawyer", lawyerKey)
                assertEquals(core.sharing.fingerprint(lawyerKey), lawyer.fingerprint)
                val pkg = Files.createTempFile("waypoint-journey-share", ".age").toFile().also { it.deleteOnExit() }
                val shared = core.sharing.shareToKey(lawyer.id, pkg, listOf(journal.rows[0].id), documentIds = listOf(permit.id))
                assertEquals(1, shared.entries)
                // The document and its scan are in it: the same share without them is smaller.
                val entryOnly = Files.createTempFile("waypoint-journey-entry", ".age").toFile().also { it.deleteOnExit() }
                assertTrue(core.sharing.shareToKey(lawyer.id, entryOnly, listOf(journal.rows[0].id)).bytes < shared.bytes)
                val bytes = pkg.readBytes()
                assertTrue(String(bytes.copyOfRange(0, 21)).startsWith("age-encryption.org/v1"))
                for (m in listOf(secretTitle, secretNumber, secretScan)) {
                    assertFalse(m, String(bytes, Charsets.ISO_8859_1).contains(m))
                }

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
                    assertFalse(s.toString().contains(secretLabel))
                }
                assertEquals(VaultState.LOCKED, core.vault.state)
            }
        }
    }
}
