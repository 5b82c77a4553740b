package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class JournalTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-journal").toFile().also { it.deleteOnExit() }
    private val fast = VaultOptions(scryptLogN = 4)

    @Test
    fun setUpAddListSearchLockAndWrongPassphrase() {
        var now = 1_700_000_000_000L
        WaypointCore.open(tempDir(), Clock { now }, fast).use { core ->
            core.vault.setUp("journal pass")
            val first = core.journal.add(
                EntryDraft(
                    title = "He kept my passport",
                    body = "Promised 500 a week, paid nothing.",
                    tags = listOf("Work"),
                    caseDetails = CaseDetails(hoursWorked = 84.0, documentsWithheld = listOf("passport")),
                ),
            )
            now += 1000
            val second = core.journal.add(EntryDraft(title = "Calm day", body = "Nothing happened."))
            assertEquals(listOf(second.id, first.id), core.journal.list().map { it.id })
            assertEquals(listOf(first.id), core.journal.list(EntryFilter(tag = "work")).map { it.id })
            assertEquals(listOf(first.id), core.journal.search("passp").map { it.id })
            assertEquals(84.0, core.journal.get(first.id).caseDetails.hoursWorked!!, 0.0)
            assertFalse("toString is redacted", first.toString().contains("passport"))

            val edited = core.journal.edit(first.id, first.toDraft().copy(body = "Paid 20."))
            assertEquals(2L, edited.revision)
            assertEquals(2, core.journal.history(first.id).size)

            val att = core.journal.attachBytes(first.id, byteArrayOf(1, 2, 3), "note.txt", "text/plain")
            assertArrayEquals(byteArrayOf(1, 2, 3), core.journal.attachmentBytes(att.id))

            core.vault.lock()
            try {
                core.journal.list()
                fail("locked journal readable")
            } catch (e: WaypointException.Locked) {
            }
            try {
                core.vault.unlock("not it")
                fail("wrong passphrase accepted")
            } catch (e: WaypointException.WrongPassphrase) {
                assertEquals(0L, e.retryAfterSeconds)
            }
            core.vault.unlock("journal pass")
            assertEquals(2, core.journal.list().size)
            core.journal.delete(second.id)
            try {
                core.journal.get(second.id)
                fail("deleted entry readable")
            } catch (e: WaypointException.NotFound) {
            }
        }
    }

    @Test
    fun invalidInputNamesTheField() {
        WaypointCore.open(tempDir(), Clock { 0 }, fast).use { core ->
            core.vault.setUp("p")
            try {
                core.journal.add(EntryDraft())
                fail("empty entry accepted")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("entry", e.field)
            }
        }
    }

    @Test
    fun exportWritesAnAgeFile() {
        val dir = tempDir()
        WaypointCore.open(dir, Clock { 0 }, fast).use { core ->
            core.vault.setUp("p")
            core.journal.add(EntryDraft(title = "t", body = "b"))
            val out = dir.resolve("export.age")
            val summary = core.journal.exportToPassphrase("lawyer", out)
            assertEquals(1, summary.entries)
            assertTrue(out.readBytes().decodeToString(0, 21) == "age-encryption.org/v1")
        }
    }
}
