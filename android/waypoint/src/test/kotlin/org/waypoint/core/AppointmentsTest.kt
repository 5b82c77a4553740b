package org.waypoint.core

import java.nio.file.Files
import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class AppointmentsTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-appointments").toFile().also { it.deleteOnExit() }
    private val fast = VaultOptions(scryptLogN = 4)

    // Reminders seal their schedule with the platform key; a reversible stand-in is enough here.
    private val keyStore = object : PlatformKeyStore {
        override fun seal(label: String, plaintext: ByteArray) = plaintext.reversedArray()
        override fun unseal(label: String, sealed: ByteArray) = sealed.reversedArray()
    }

    private val title = "Immigration hearing with lawyer Maria"

    // 10:30 in New York on the day daylight saving starts (EDT, UTC-4); the day before is EST.
    private fun hearing() = AppointmentDraft(
        title = title,
        start = LocalDateTime.of(2026, 3, 8, 10, 30),
        timeZone = ZoneId.of("America/New_York"),
        kind = AppointmentKind.IMMIGRATION,
        duration = Duration.ofMinutes(90),
        place = "Federal Plaza",
        reminderOffsets = listOf(Duration.ofMinutes(60), Duration.ofDays(1)),
    )

    @Test
    fun reminderPlanFiresAtDstCorrectTimesWithNeutralTextAndDeleteReturnsIdsToCancel() {
        val now = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli()
        WaypointCore.open(tempDir(), Clock { now }, fast, keyStore).use { core ->
            core.vault.setUp("appointments pass")
            val added = core.appointments.add(hearing())
            assertEquals(1L, added.revision)
            assertEquals(LocalDateTime.of(2026, 3, 8, 10, 30), added.draft.start)
            assertEquals(setOf(Duration.ofMinutes(60), Duration.ofDays(1)), added.draft.reminderOffsets.toSet())
            assertFalse("toString is redacted", added.toString().contains("Maria"))
            assertEquals(listOf(added.id), core.appointments.list().map { it.id })

            val occ = core.appointments.occurrences(Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z"))
            assertEquals(1, occ.size)
            assertEquals(Instant.parse("2026-03-08T14:30:00Z"), occ[0].start)
            assertEquals(Instant.parse("2026-03-08T16:00:00Z"), occ[0].end)

            val plan = core.appointments.reminderPlan(horizonDays = 30)
            assertEquals(
                listOf(Instant.parse("2026-03-07T15:30:00Z"), Instant.parse("2026-03-08T13:30:00Z")),
                plan.schedule.map { it.fireAt },
            )
            assertTrue(plan.cancel.isEmpty())
            assertTrue(plan.missed.isEmpty())
            val words = title.lowercase().split(' ') + listOf("federal", "plaza", "immigration")
            for (r in plan.schedule) {
                val shown = "${r.title} ${r.body}".lowercase()
                for (w in words) assertFalse("notification text contains '$w'", shown.contains(w))
                assertEquals(reminderVoice().title, r.title)
                assertEquals(reminderVoice().body, r.body)
                assertTrue(r.platformId >= 0)
            }

            // Locked: appointment content is unreadable, the stored schedule still is.
            core.vault.lock()
            try {
                core.appointments.list()
                fail("locked appointments readable")
            } catch (e: WaypointException.Locked) {
            }
            try {
                core.appointments.reminderPlan()
                fail("plan made while locked")
            } catch (e: WaypointException.Locked) {
            }
            assertEquals(
                plan.schedule.map { it.notificationId },
                core.appointments.lockedPlan().schedule.map { it.notificationId },
            )
            core.vault.unlock("appointments pass")

            val cancel = core.appointments.delete(added.id)
            assertEquals(plan.schedule.map { it.notificationId }.sorted(), cancel.sorted())
            assertTrue(core.appointments.reminderPlan().schedule.isEmpty())
            try {
                core.appointments.get(added.id)
                fail("deleted appointment readable")
            } catch (e: WaypointException.NotFound) {
            }
        }
    }

    @Test
    fun syncRemindersDrivesThePlatformSchedulerAndEditCancelsOldIds() {
        val now = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli()
        val scheduled = mutableMapOf<String, PlannedReminder>()
        val scheduler = object : ReminderScheduler {
            override fun schedule(reminder: PlannedReminder) {
                scheduled[reminder.notificationId] = reminder
            }
            override fun cancel(notificationId: String) {
                scheduled.remove(notificationId)
            }
        }
        WaypointCore.open(tempDir(), Clock { now }, fast, keyStore).use { core ->
            core.vault.setUp("p")
            val a = core.appointments.add(hearing())
            val voice = ReminderVoice("Calculator", "Tap to continue")
            val plan = core.appointments.syncReminders(scheduler, horizonDays = 30, voice = voice)
            assertEquals(plan.schedule.map { it.notificationId }.toSet(), scheduled.keys)
            assertTrue(scheduled.values.all { it.title == "Calculator" && it.body == "Tap to continue" })

            val change = core.appointments.edit(a.id, a.draft.copy(reminderOffsets = listOf(Duration.ofMinutes(15))))
            assertEquals(2L, change.appointment.revision)
            assertEquals(scheduled.keys.sorted(), change.cancelNotificationIds.sorted())
            change.cancelNotificationIds.forEach(scheduler::cancel)
            core.appointments.syncReminders(scheduler, horizonDays = 30, voice = voice)
            assertEquals(listOf(Instant.parse("2026-03-08T14:15:00Z")), scheduled.values.map { it.fireAt })
        }
    }

    @Test
    fun remindersWithoutPlatformKeyStoreUseTheStandInAndBadInputIsTyped() {
        WaypointCore.open(tempDir(), Clock { 0 }, fast).use { core ->
            core.vault.setUp("p")
            // No platform key: the data directory's file key stands in (one policy).
            core.appointments.reminderPlan()
            try {
                core.appointments.add(hearing().copy(title = ""))
                fail("empty title accepted")
            } catch (e: WaypointException.InvalidInput) {
                assertFalse("message names no content", e.message!!.contains("Maria"))
            }
        }
    }
}
