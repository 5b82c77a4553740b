package org.waypoint.core

import java.nio.file.Files
import java.security.MessageDigest
import java.time.LocalDate
import java.time.ZoneId
import java.time.ZonedDateTime
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/**
 * The idiomatic Documents wrapper against the real core: a passport with its scan round trip
 * (details as Kotlin types, the scan's bytes back in memory and on disk), its neutral expiry
 * reminders in the reminder plan, edit and removal handing back the ids to cancel, the scan's
 * file work on the IO dispatcher, and typed errors that leave nothing half stored.
 */
class DocumentsWrapperTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-docwrap").toFile().also { it.deleteOnExit() }

    /** 2026-01-14 09:00 UTC. */
    private val now = 1_768_381_200_000L
    private val number = "Marker-Passport-K7654321"
    private val scan = ByteArray(40_000) { (it * 31 % 251).toByte() }

    @Test
    fun passportWithScanRoundTripsAndPlansNeutralExpiryReminders() {
        val scanFile = tempDir().resolve("scan.jpg").also { it.writeBytes(scan) }
        val ny = ZoneId.of("America/New_York")
        WaypointCore.open(tempDir(), Clock { now }, VaultOptions(scryptLogN = 4)).use { core ->
            core.vault.setUp("documents wrapper pass")
            val draft = DocumentDraft(
                type = DocumentType.PASSPORT,
                label = "my passport",
                number = number,
                issuingCountry = "mx",
                issuedOn = LocalDate.of(2016, 6, 30),
                expiresOn = LocalDate.of(2026, 6, 30),
                notes = "the original is with my sister",
                expiryReminderDays = listOf(30, 90, 7),
                reminderTimeZone = ny,
            )
            val added = runBlocking { core.documents.add(draft, DocumentScan.FromFile(scanFile, "image/jpeg")) }
            // The core's normal form: the country upper-cased, the days furthest first.
            assertEquals(draft.copy(issuingCountry = "MX", expiryReminderDays = listOf(90, 30, 7)), added.draft)
            val file = added.file!!
            assertEquals("scan.jpg", file.name)
            assertEquals(AttachmentKind.PHOTO, file.kind)
            assertEquals(scan.size.toLong(), file.size)
            assertEquals(MessageDigest.getInstance("SHA-256").digest(scan).joinToString("") { "%02x".format(it) }, file.sha256)
            assertEquals(added, core.documents.get(added.id))
            assertEquals(listOf(added), core.documents.list())
            assertEquals(0, core.documents.damagedCount())
            assertArrayEquals(scan, runBlocking { core.documents.scanBytes(added.id) })
            val out = tempDir().resolve("out.jpg")
            assertEquals(scan.size.toLong(), runBlocking { core.documents.saveScan(added.id, out) })
            assertArrayEquals(scan, out.readBytes())

            // Three reminders at 09:00 New York time, 90, 30 and 7 days before 2026-06-30,
            // in neutral words: nothing says passport, nothing shows the number.
            val plan = core.appointments.reminderPlan(horizonDays = 200)
            val expected = listOf(90L, 30L, 7L).map {
                ZonedDateTime.of(LocalDate.of(2026, 6, 30).minusDays(it).atTime(9, 0), ny).toInstant()
            }
            assertEquals(expected, plan.schedule.map { it.fireAt }.sorted())
            for (r in plan.schedule) {
                val text = r.title + r.body + r.toString()
                assertFalse(text, text.contains(number) || text.lowercase().contains("passport"))
            }

            // Fewer reminders: the 90- and 30-day ones are handed back to cancel; the 7-day
            // one keeps its notification id.
            val change = core.documents.edit(added.id, added.draft.copy(expiryReminderDays = listOf(7)))
            assertEquals(added.revision + 1, change.document.revision)
            val sevenDays = plan.schedule.single { it.fireAt == expected[2] }.notificationId
            assertEquals(plan.schedule.map { it.notificationId }.toSet() - sevenDays, change.cancelNotificationIds.toSet())
            assertEquals(added.file, change.document.file)
            assertEquals(listOf(sevenDays), core.appointments.reminderPlan(horizonDays = 200).schedule.map { it.notificationId })

            // A new scan from the camera replaces the old one.
            val replaced = runBlocking {
                core.documents.setScan(added.id, DocumentScan.FromBytes(byteArrayOf(7, 8, 9), "page.pdf", "application/pdf"))
            }
            assertEquals(AttachmentKind.DOCUMENT, replaced.file!!.kind)
            assertArrayEquals(byteArrayOf(7, 8, 9), runBlocking { core.documents.scanBytes(added.id) })

            // The scan alone can go; the details stay.
            val withoutScan = runBlocking { core.documents.removeScan(added.id) }
            assertNull(withoutScan.file)
            assertEquals(added.draft.label, core.documents.get(added.id).draft.label)
            try {
                runBlocking { core.documents.scanBytes(added.id) }
                fail("no scan any more")
            } catch (e: WaypointException.NotFound) {
                // expected
            }

            val removed = runBlocking { core.documents.remove(added.id) }
            assertEquals(added.id, removed.document.id)
            assertEquals(1, removed.cancelNotificationIds.size)
            assertTrue(core.documents.list().isEmpty())
            try {
                core.documents.get(added.id)
                fail("a removed document is gone")
            } catch (e: WaypointException.NotFound) {
                // expected
            }
        }
    }

    @Test
    fun theScanIsWrittenOnTheIoDispatcherNotTheCallersThread() {
        val threads = java.util.Collections.synchronizedList(mutableListOf<String>())
        val io = Executors.newSingleThreadExecutor { Thread(it, "waypoint-doc-io") }
        try {
            WaypointCore.open(tempDir(), Clock { threads += Thread.currentThread().name; now }, VaultOptions(scryptLogN = 4)).use { core ->
                core.vault.setUp("documents wrapper pass")
                val docs = Documents(core, io.asCoroutineDispatcher())
                threads.clear()
                runBlocking { docs.add(DocumentDraft(DocumentType.VISA), DocumentScan.FromBytes(scan, "visa.jpg", "image/jpeg")) }
                // The core asks the clock for the time of each write; every ask came from the IO thread.
                assertTrue(threads.isNotEmpty())
                assertEquals(setOf("waypoint-doc-io"), threads.toSet())
            }
        } finally {
            io.shutdown()
        }
    }

    @Test
    fun refusedInputIsATypedErrorAndLeavesNothingHalfStored() {
        WaypointCore.open(tempDir(), Clock { now }, VaultOptions(scryptLogN = 4)).use { core ->
            core.vault.setUp("documents wrapper pass")
            try {
                runBlocking { core.documents.add(DocumentDraft(DocumentType.VISA, issuingCountry = "Mexico")) }
                fail("a country name is not a code")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("issuing_country", e.field)
                assertFalse(e.message!!.contains("Mexico"))
            }
            try {
                runBlocking { core.documents.add(DocumentDraft(DocumentType.VISA, expiryReminderDays = listOf(-1))) }
                fail("a negative day is refused, not wrapped into a large one")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("expiry_reminder_days", e.field)
            }
            // A scan the core cannot read: the details stored a moment before are removed again.
            val missing = tempDir().resolve("Marker-no-such-scan.jpg")
            try {
                runBlocking {
                    core.documents.add(DocumentDraft(DocumentType.PASSPORT, number = number), DocumentScan.FromFile(missing, "image/jpeg"))
                }
                fail("a missing scan is refused")
            } catch (e: WaypointException) {
                assertFalse(e.message!!.contains("Marker"))
            }
            assertTrue("the refused add left a document behind", core.documents.list().isEmpty())
            assertEquals(0, core.documents.damagedCount())

            core.vault.lock()
            try {
                core.documents.list()
                fail("documents need the vault unlocked")
            } catch (e: WaypointException.Locked) {
                // expected
            }
        }
    }
}
