package org.waypoint.app.shell

import java.time.Duration
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.AppointmentDraft
import org.waypoint.core.AppointmentKind
import org.waypoint.core.appointments
import org.waypoint.core.disguiseSettings
import org.waypoint.core.vault

class ReminderAlarmsTest {
    private class FakeAlarms(var exact: Boolean) : AlarmBackend {
        val set = linkedMapOf<String, AlarmRequest>()
        val cancelled = mutableListOf<String>()
        override fun exactAlarmsAllowed() = exact
        override fun set(request: AlarmRequest) {
            set[request.notificationId] = request
        }
        override fun cancel(notificationId: String) {
            cancelled += notificationId
            set.remove(notificationId)
        }
    }

    private class FakeNotifier : ReminderNotifier {
        val shown = mutableListOf<Triple<String, String, String>>()
        override fun show(notificationId: String, platformId: Int, title: String, body: String) {
            shown += Triple(notificationId, title, body)
        }
    }

    private val title = "Marker-Court-Hearing"
    private val place = "Marker-Courthouse"

    // 2026-01-20 09:00 in New York (14:00 UTC); reminders a day and an hour before.
    private fun hearing() = AppointmentDraft(
        title = title,
        start = LocalDateTime.of(2026, 1, 20, 9, 0),
        timeZone = ZoneId.of("America/New_York"),
        kind = AppointmentKind.COURT,
        place = place,
        reminderOffsets = listOf(Duration.ofDays(1), Duration.ofHours(1)),
    )

    @Test
    fun planBecomesWindowAlarmsWithoutThePermissionAndExactOnesWithIt() {
        val clock = ShellTest.MovableClock(Instant.parse("2026-01-10T12:00:00Z").toEpochMilli())
        ShellTest.open(ShellTest.tempDir(), clock).use { core ->
            core.vault.setUp("reminder passphrase")
            core.appointments.add(hearing())
            val alarms = FakeAlarms(exact = false)
            val notifier = FakeNotifier()
            val flows = ReminderFlows(core, alarms, notifier, { core.appointments.notificationVoice("en") })
            flows.afterChange()
            val requests = alarms.set.values.sortedBy { it.triggerAtMillis }
            assertEquals(
                listOf(Instant.parse("2026-01-19T14:00:00Z"), Instant.parse("2026-01-20T13:00:00Z")).map { it.toEpochMilli() },
                requests.map { it.triggerAtMillis },
            )
            assertTrue(requests.all { !it.exact && it.windowLengthMillis == ReminderAlarmPlanner.DEFAULT_WINDOW_MILLIS })
            for (r in requests) {
                assertEquals("Reminder", r.title)
                for (word in listOf(title, place, "Court", "court")) {
                    assertFalse(r.title.contains(word) || r.body.contains(word))
                }
                assertFalse(r.toString().contains(r.title))
            }
            assertTrue(notifier.shown.isEmpty())

            alarms.exact = true
            flows.afterChange()
            assertTrue(alarms.set.values.all { it.exact && it.windowLengthMillis == 0L })
        }
    }

    @Test
    fun aDeliveredReminderIsNotMissedAfterARebootAndTheRestIsRescheduledLocked() {
        val dir = ShellTest.tempDir()
        val key = ShellTest.softwareKey()
        val clock = ShellTest.MovableClock(Instant.parse("2026-01-10T12:00:00Z").toEpochMilli())
        val alarms = FakeAlarms(exact = false)
        val notifier = FakeNotifier()
        var dayBefore = ""
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.setUp("reminder passphrase")
            core.appointments.add(hearing())
            val flows = ReminderFlows(core, alarms, notifier, { core.appointments.notificationVoice("en") })
            flows.afterChange()
            val first = alarms.set.values.minByOrNull { it.triggerAtMillis }!!
            dayBefore = first.notificationId
            // The day-before alarm fires: shown, then reported back.
            clock.set(first.triggerAtMillis + 1_000)
            flows.onAlarm(first.notificationId, first.platformId, first.title, first.body)
            assertEquals(listOf(dayBefore), notifier.shown.map { it.first })
            core.vault.lock()
        }
        // A reboot: alarms are gone, the vault is locked, only the platform key is at hand.
        alarms.set.clear()
        notifier.shown.clear()
        ShellTest.open(dir, clock, key).use { core ->
            val plan = ReminderFlows(core, alarms, notifier, { core.appointments.notificationVoice("en") }).afterBoot()
            assertTrue("the delivered reminder is not shown again", notifier.shown.isEmpty())
            assertTrue(plan.missed.isEmpty())
            assertEquals(1, alarms.set.size)
            assertFalse(alarms.set.containsKey(dayBefore))
            assertEquals(Instant.parse("2026-01-20T13:00:00Z").toEpochMilli(), alarms.set.values.single().triggerAtMillis)
        }
    }

    @Test
    fun aReminderThatFiredWhileThePhoneWasOffIsShownOnceAfterBoot() {
        val dir = ShellTest.tempDir()
        val key = ShellTest.softwareKey()
        val clock = ShellTest.MovableClock(Instant.parse("2026-01-10T12:00:00Z").toEpochMilli())
        val alarms = FakeAlarms(exact = false)
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.setUp("reminder passphrase")
            core.appointments.add(hearing())
            ReminderFlows(core, alarms, FakeNotifier(), { core.appointments.notificationVoice("en") }).afterChange()
            core.vault.lock()
        }
        // Off through the day-before reminder.
        clock.set(Instant.parse("2026-01-19T20:00:00Z").toEpochMilli())
        val notifier = FakeNotifier()
        ShellTest.open(dir, clock, key).use { core ->
            val flows = ReminderFlows(core, alarms, notifier, { core.appointments.notificationVoice("en") })
            flows.afterBoot()
            assertEquals(1, notifier.shown.size)
            assertEquals("Reminder", notifier.shown.single().second)
            flows.afterBoot()
            assertEquals("reported once", 1, notifier.shown.size)
        }
    }

    @Test
    fun aDismissedReminderIsNeitherShownAgainNorReportedMissed() {
        val dir = ShellTest.tempDir()
        val key = ShellTest.softwareKey()
        val clock = ShellTest.MovableClock(Instant.parse("2026-01-10T12:00:00Z").toEpochMilli())
        val alarms = FakeAlarms(exact = false)
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.setUp("reminder passphrase")
            core.appointments.add(hearing())
            val flows = ReminderFlows(core, alarms, FakeNotifier(), { core.appointments.notificationVoice("en") })
            flows.afterChange()
            val first = alarms.set.values.minByOrNull { it.triggerAtMillis }!!
            clock.set(first.triggerAtMillis + 60_000)
            // The person swiped the notification away (the delete intent).
            flows.onDismissed(first.notificationId)
            core.vault.lock()
        }
        val notifier = FakeNotifier()
        ShellTest.open(dir, clock, key).use { core ->
            val plan = ReminderFlows(core, alarms, notifier, { core.appointments.notificationVoice("en") }).afterBoot()
            assertTrue(notifier.shown.isEmpty())
            assertTrue(plan.missed.isEmpty())
        }
    }

    @Test
    fun remindersSpeakTheAppsLanguageWhileLockedAfterABoot() {
        val dir = ShellTest.tempDir()
        val key = ShellTest.softwareKey()
        val clock = ShellTest.MovableClock(Instant.parse("2026-01-10T12:00:00Z").toEpochMilli())
        val alarms = FakeAlarms(exact = false)
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.setUp("reminder passphrase")
            core.appointments.add(hearing())
            ReminderFlows(core, alarms, FakeNotifier(), { core.appointments.notificationVoice("en") }).afterChange()
            core.vault.lock()
        }
        alarms.set.clear()
        ShellTest.open(dir, clock, key).use { core ->
            ReminderFlows(core, alarms, FakeNotifier(), { core.appointments.notificationVoice("es-MX") }).afterBoot()
            assertTrue(alarms.set.values.isNotEmpty())
            assertTrue(alarms.set.values.all { it.title == "Recordatorio" })
        }
    }
}
