package org.waypoint.core

import java.nio.file.Files
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Test

/**
 * No wrapper value of the documents, the safety plan, the check-in or the guides prints what
 * was typed into it: a marker goes into every text field (through the real core, and by hand
 * for the values the core never returns with free text), and no toString() — of the value,
 * of what it holds, of a list of them — contains it. The UniFFI-generated records print
 * everything; these wrapper types are what app code may log or let reach a crash report.
 */
class RedactedToStringTest {
    private val marker = "Marker-7Q"
    private fun m(field: String) = "$marker-$field"

    private fun assertRedacted(vararg values: Any?) {
        for (v in values) {
            val text = v.toString()
            assertFalse("${v?.javaClass?.simpleName} prints a typed value: $text", text.contains(marker))
        }
    }

    @Test
    fun noWrapperValueToStringShowsWhatWasTypedIntoIt() {
        val dir = Files.createTempDirectory("waypoint-redact").toFile().also { it.deleteOnExit() }
        WaypointCore.open(dir, Clock { 1_768_381_200_000L }, VaultOptions(scryptLogN = 4)).use { core ->
            core.vault.setUp("redaction pass")
            val draft = DocumentDraft(
                DocumentType.COURT_PAPER, m("label"), m("number"), "US", LocalDate.of(2025, 1, 2),
                LocalDate.of(2027, 3, 4), m("notes"), listOf(30), ZoneId.of("Europe/Madrid"),
            )
            val scan = DocumentScan.FromBytes(m("content").toByteArray(), m("scan-name") + ".pdf", "application/pdf")
            val doc = runBlocking { core.documents.add(draft, scan) }
            // The marker really is in what came back: the check below is not vacuous.
            assertEquals(m("number"), doc.draft.number)
            assertEquals(m("scan-name") + ".pdf", doc.file!!.name)
            val change = core.documents.edit(doc.id, doc.draft.copy(notes = m("notes2")))
            val fileScan = DocumentScan.FromFile(dir.resolve(m("path") + ".jpg"), "image/jpeg", m("file-name"))
            assertRedacted(
                draft, scan, fileScan, doc, doc.draft, doc.file, change, change.document,
                core.documents.list(), core.documents.get(doc.id),
            )

            val plan = core.safetyPlanner.setSection(SafetySection.CODE_WORD, listOf(m("item")), m("plan-notes"))
            assertEquals(listOf(m("item")), plan[SafetySection.CODE_WORD].items)
            assertRedacted(plan, plan.sections, plan[SafetySection.CODE_WORD], core.safetyPlanner.get())

            val help = HelpSuggestion(m("category"), m("label"), listOf("r1"), listOf(m("resource")))
            assertRedacted(
                help, CheckInResult(m("intro"), listOf(help)),
                CheckInForm(false, m("t"), m("i"), m("y"), m("n"), m("r"), listOf(CheckInQuestionText(CheckInQuestion.HURT, m("q")))),
                SafetyPlanGuide(true, m("t"), m("i"), m("s"), m("sk"), m("e"), listOf(SafetySectionGuide(SafetySection.PETS, m("t"), m("p"), m("x")))),
                GuideIndex("en", false, m("t"), m("i"), listOf(GuideEntry("rights", m("t"), m("s")))),
                GuideSection(m("h"), m("b"), listOf(m("c"))),
                GuideSource(m("name"), m("url")),
            )
            val guide = core.guides.show("t-visa", "en")
            assertRedacted(guide.copy(title = m("title"), help = listOf(help), sources = listOf(GuideSource(m("n"), m("u")))))
            // What the check-in suggests tells what was answered: redacted too.
            val result = core.safetyPlanner.checkIn(mapOf(CheckInQuestion.FORCED_WORK to true), "en")
            assertFalse(result.toString().contains("employment") || result.toString().contains("legal_aid"))
        }
    }
}
