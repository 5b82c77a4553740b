package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import org.waypoint.core.ffi.CheckAnswer
import org.waypoint.core.ffi.CheckQuestion
import org.waypoint.core.ffi.DocumentDraft
import org.waypoint.core.ffi.DocumentType
import org.waypoint.core.ffi.Section
import org.waypoint.core.ffi.SectionContent
import org.waypoint.core.ffi.WaypointApiException

/**
 * The exported Documents and SafetyPlanner objects through the generated bindings (the
 * idiomatic wrappers are tested in DocumentsWrapperTest and SafetyPlanWrapperTest): a passport with its scan and neutral expiry reminders,
 * wrong input as a typed exception, a safety plan section, and the check-in.
 */
class DocumentsAndSafetyPlanTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-documents").toFile().also { it.deleteOnExit() }
    private val keyStore = object : PlatformKeyStore {
        override fun seal(label: String, plaintext: ByteArray) = plaintext.reversedArray()
        override fun unseal(label: String, sealed: ByteArray) = sealed.reversedArray()
    }
    private val number = "Marker-Passport-G1234567"

    @Test
    fun passportWithScanRemindersAndSafetyPlanCrossTheBoundary() {
        // 2026-01-14.
        WaypointCore.open(tempDir(), Clock { 1_768_402_800_000 }, VaultOptions(scryptLogN = 4), keyStore).use { core ->
            core.vault.setUp("documents pass")
            core.ffi.documents().use { docs ->
                val added = docs.add(
                    DocumentDraft(
                        DocumentType.PASSPORT, "my passport", number, "mx", null, "2026-06-30", null,
                        listOf(30u, 90u, 7u), "America/New_York",
                    ),
                )
                assertEquals("MX", added.draft.issuingCountry)
                assertEquals(listOf(90u, 30u, 7u), added.draft.expiryReminderDays)
                val withScan = docs.setFileBytes(added.id, byteArrayOf(1, 2, 3), "scan.jpg", "image/jpeg")
                assertEquals(3uL, withScan.file!!.size)
                assertTrue(docs.fileBytes(added.id).contentEquals(byteArrayOf(1, 2, 3)))
                try {
                    docs.add(DocumentDraft(DocumentType.VISA, null, null, "Mexico", null, null, null, emptyList(), "UTC"))
                    fail("a country name is not a code")
                } catch (e: WaypointApiException.InvalidInput) {
                    assertEquals("issuing_country", e.field)
                }
                assertEquals(1, docs.list().size)
            }
            val plan = core.appointments.reminderPlan(horizonDays = 200)
            assertEquals(3, plan.schedule.size)
            assertTrue(plan.schedule.all { it.title == "Reminder" && !it.toString().contains(number) && !it.body.contains("passport") })

            core.ffi.safetyPlan().use { planner ->
                val guide = planner.guide("es-MX")
                assertEquals("Mi plan de seguridad", guide.title)
                assertEquals(8, guide.sections.size)
                val saved = planner.setSection(Section.CODE_WORD, SectionContent(listOf("blue umbrella"), null))
                assertEquals(listOf("blue umbrella"), saved.sections.first { it.section == Section.CODE_WORD }.content.items)
                val result = planner.checkIn(listOf(CheckAnswer(CheckQuestion.NEED_PLACE, true)), "en")
                assertEquals(listOf("emergency_shelter", "housing"), result.suggestions.map { it.category })
            }
        }
    }
}
