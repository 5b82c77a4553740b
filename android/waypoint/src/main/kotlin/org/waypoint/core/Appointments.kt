// Appointments and their private reminders. Appointment content needs the vault unlocked
// (else WaypointException.Locked); the sealed reminder schedule also needs the platform key
// store passed to WaypointCore.open. Every call does disk and crypto work: call it off the
// main thread.
//
// Notifications never carry appointment details: their words come from a ReminderVoice
// chosen by the disguise. toString() of every type holding appointment content is redacted.
package org.waypoint.core

import java.io.File
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.temporal.ChronoUnit

/** What an appointment is for. Never shown in a notification. */
typealias AppointmentKind = org.waypoint.core.ffi.AppointmentKind

/** The words a notification uses ("Reminder" / "You have an event" by default). */
typealias ReminderVoice = org.waypoint.core.ffi.ReminderVoice

/** The neutral default voice in English, as the core defines it. */
fun defaultReminderVoice(): ReminderVoice = core { org.waypoint.core.ffi.defaultReminderVoice() }

/**
 * The neutral voice in the phone's [language] (BCP 47; English when the core does not ship
 * it): a reminder on the lock screen reads like any calendar's in that language.
 */
fun reminderVoice(language: String = java.util.Locale.getDefault().toLanguageTag()): ReminderVoice =
    core { org.waypoint.core.ffi.reminderVoice(language) }

/**
 * What a person enters. [start] is wall time in [timeZone] (minutes; seconds are dropped);
 * for an [allDay] appointment only its date counts. Whole days in [reminderOffsets] are
 * calendar days at the same wall time, so a "day before" reminder stays right across DST.
 */
data class AppointmentDraft(
    val title: String,
    val start: LocalDateTime,
    val timeZone: ZoneId,
    val kind: AppointmentKind = AppointmentKind.OTHER,
    val allDay: Boolean = false,
    val duration: Duration? = null,
    val place: String? = null,
    /** Id of a related directory resource. */
    val resourceId: String? = null,
    val notes: String? = null,
    /** How long before the start each reminder fires (whole minutes; zero = at the start). */
    val reminderOffsets: List<Duration> = emptyList(),
    /** Recurrence rule (RFC 5545 subset, e.g. `FREQ=WEEKLY;COUNT=4`). */
    val rrule: String? = null,
    /** Local dates of single occurrences that are cancelled. */
    val exceptions: List<LocalDate> = emptyList(),
) {
    override fun toString() = "AppointmentDraft(<redacted>)"
}

/** A stored appointment. */
data class Appointment(
    val id: String,
    val revision: Long,
    val createdAt: Instant,
    val updatedAt: Instant,
    val draft: AppointmentDraft,
) {
    override fun toString() = "Appointment(id=$id, revision=$revision)"
}

/** An edited appointment and the notification ids to cancel before scheduling the next plan. */
data class AppointmentChange(val appointment: Appointment, val cancelNotificationIds: List<String>) {
    override fun toString() = "AppointmentChange(id=${appointment.id}, cancel=${cancelNotificationIds.size})"
}

/** One occurrence of an appointment in a range; [localStart] is wall time in [timeZone]. */
data class Occurrence(
    val appointmentId: String,
    val title: String,
    val kind: AppointmentKind,
    val localStart: LocalDateTime,
    val timeZone: ZoneId,
    val start: Instant,
    val end: Instant,
    val allDay: Boolean,
) {
    override fun toString() = "Occurrence(appointmentId=$appointmentId, start=$start)"
}

/**
 * One notification to show at [fireAt]. [title] and [body] are the voice's neutral words.
 * [notificationId] is stable (scheduling it again replaces it); [platformId] is the same id
 * as a non-negative Int for integer-keyed APIs (NotificationManager, PendingIntent).
 */
data class PlannedReminder(
    val notificationId: String,
    val platformId: Int,
    val fireAt: Instant,
    val title: String,
    val body: String,
)

/**
 * What the platform must do now: cancel [cancel], schedule [schedule] (idempotent), and show
 * [missed] at once (reported once). Plan again before [horizonEnd].
 */
data class ReminderPlan(
    val generatedAt: Instant,
    val horizonEnd: Instant,
    val schedule: List<PlannedReminder>,
    val cancel: List<String>,
    val missed: List<PlannedReminder>,
)

/**
 * What the app implements over AlarmManager + NotificationManager. The core calls it with no
 * lock held, cancels first, then schedules.
 */
interface ReminderScheduler {
    /** Schedules (or replaces, same id) one notification. */
    fun schedule(reminder: PlannedReminder)

    /** Cancels a scheduled notification; unknown ids are ignored. */
    fun cancel(notificationId: String)
}

private val LOCAL_MINUTES: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")

private fun Duration.toMinutesField(field: String): UInt {
    if (isNegative) throw WaypointException.InvalidInput(field, "must not be negative")
    return toMinutes().coerceAtMost(UInt.MAX_VALUE.toLong()).toUInt()
}

private fun AppointmentDraft.toFfi() = org.waypoint.core.ffi.AppointmentDraft(
    title = title,
    kind = kind,
    startLocal = if (allDay) start.toLocalDate().toString() else start.truncatedTo(ChronoUnit.MINUTES).format(LOCAL_MINUTES),
    timeZone = timeZone.id,
    allDay = allDay,
    durationMinutes = duration?.toMinutesField("duration"),
    place = place,
    resourceId = resourceId,
    notes = notes,
    reminderOffsetsMinutes = reminderOffsets.map { it.toMinutesField("reminder_offsets") },
    rrule = rrule,
    exceptions = exceptions.map { it.toString() },
)

/** Reads the core's normalised local start (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`). */
private fun parseLocalStart(s: String): LocalDateTime =
    if (s.length == 10) LocalDate.parse(s).atStartOfDay() else LocalDateTime.parse(s)

private fun org.waypoint.core.ffi.Appointment.toKt() = Appointment(
    id = id,
    revision = revision.toLong(),
    createdAt = Instant.ofEpochMilli(createdAtMs),
    updatedAt = Instant.ofEpochMilli(updatedAtMs),
    draft = AppointmentDraft(
        title = draft.title,
        start = parseLocalStart(draft.startLocal),
        timeZone = ZoneId.of(draft.timeZone),
        kind = draft.kind,
        allDay = draft.allDay,
        duration = draft.durationMinutes?.let { Duration.ofMinutes(it.toLong()) },
        place = draft.place,
        resourceId = draft.resourceId,
        notes = draft.notes,
        reminderOffsets = draft.reminderOffsetsMinutes.map { Duration.ofMinutes(it.toLong()) },
        rrule = draft.rrule,
        exceptions = draft.exceptions.map { LocalDate.parse(it) },
    ),
)

private fun org.waypoint.core.ffi.Occurrence.toKt() = Occurrence(
    appointmentId = appointmentId,
    title = title,
    kind = kind,
    localStart = parseLocalStart(localStart),
    timeZone = ZoneId.of(timeZone),
    start = Instant.ofEpochMilli(startMs),
    end = Instant.ofEpochMilli(endMs),
    allDay = allDay,
)

private fun org.waypoint.core.ffi.PlannedReminder.toKt() =
    PlannedReminder(notificationId, platformId, Instant.ofEpochMilli(fireAtMs), title, body)

private fun PlannedReminder.toFfi() =
    org.waypoint.core.ffi.PlannedReminder(notificationId, platformId, fireAt.toEpochMilli(), title, body)

private fun org.waypoint.core.ffi.ReminderPlan.toKt() = ReminderPlan(
    generatedAt = Instant.ofEpochMilli(generatedAtMs),
    horizonEnd = Instant.ofEpochMilli(horizonEndMs),
    schedule = schedule.map { it.toKt() },
    cancel = cancel,
    missed = missed.map { it.toKt() },
)

private fun ReminderScheduler.toFfi() = object : org.waypoint.core.ffi.NotificationScheduler {
    override fun schedule(reminder: org.waypoint.core.ffi.PlannedReminder) =
        this@toFfi.schedule(reminder.toKt())

    override fun cancel(notificationId: String) = this@toFfi.cancel(notificationId)
}

/** The appointments of one [WaypointCore]. Obtain them with [WaypointCore.appointments]. */
class Appointments internal constructor(private val core: WaypointCore) {
    /** Stores a new appointment. */
    fun add(draft: AppointmentDraft): Appointment = core { core.appointmentsFfi.add(draft.toFfi()).toKt() }

    /** One appointment. */
    fun get(id: String): Appointment = core { core.appointmentsFfi.get(id).toKt() }

    /** Every appointment, by start. */
    fun list(): List<Appointment> = core { core.appointmentsFfi.list().map { it.toKt() } }

    /** Replaces an appointment; cancel the returned ids, then plan again. */
    fun edit(id: String, draft: AppointmentDraft): AppointmentChange = core {
        val change = core.appointmentsFfi.edit(id, draft.toFfi())
        AppointmentChange(change.appointment.toKt(), change.cancelNotificationIds)
    }

    /** Deletes an appointment; returns the notification ids the platform must cancel. */
    fun delete(id: String): List<String> = core { core.appointmentsFfi.delete(id) }

    /** Occurrences of every appointment overlapping [[from], [to]), by start. */
    fun occurrences(from: Instant, to: Instant): List<Occurrence> =
        core { core.appointmentsFfi.occurrences(from.toEpochMilli(), to.toEpochMilli()).map { it.toKt() } }

    /**
     * The reminder plan for the next [horizonDays]: what to schedule, cancel and show as missed.
     * Updates the sealed schedule, so apply the plan it returns.
     */
    fun reminderPlan(horizonDays: Int = 30, voice: ReminderVoice = reminderVoice()): ReminderPlan = core {
        require(horizonDays >= 0) { "horizonDays must not be negative" }
        core.appointmentsFfi.reminderPlan(horizonDays.toUInt(), voice).toKt()
    }

    /** Plans and applies the plan to [scheduler] (cancel, then schedule). */
    fun syncReminders(
        scheduler: ReminderScheduler,
        horizonDays: Int = 30,
        voice: ReminderVoice = reminderVoice(),
    ): ReminderPlan = core {
        require(horizonDays >= 0) { "horizonDays must not be negative" }
        core.appointmentsFfi.syncReminders(scheduler.toFfi(), horizonDays.toUInt(), voice).toKt()
    }

    /**
     * While locked (after a reboot, from a BOOT_COMPLETED receiver): the stored schedule's
     * reminders still ahead and those missed since the last report. Needs no passphrase.
     */
    fun lockedPlan(voice: ReminderVoice = reminderVoice()): ReminderPlan =
        core { core.appointmentsFfi.lockedReminderPlan(voice).toKt() }

    /** [lockedPlan] applied to [scheduler]. */
    fun rescheduleLocked(scheduler: ReminderScheduler, voice: ReminderVoice = reminderVoice()): ReminderPlan =
        core { core.appointmentsFfi.rescheduleLockedReminders(scheduler.toFfi(), voice).toKt() }

    /** The platform showed [notificationId] (so it is not reported missed). Works locked. */
    fun delivered(notificationId: String) = core { core.appointmentsFfi.reminderDelivered(notificationId) }

    /** The person dismissed [notificationId]; it is not shown or reported again. Works locked. */
    fun dismiss(notificationId: String) = core { core.appointmentsFfi.reminderDismiss(notificationId) }

    /** Snoozes [notificationId] for [delay] (whole minutes); returns what to schedule. Works locked. */
    fun snooze(notificationId: String, delay: Duration, voice: ReminderVoice = reminderVoice()): PlannedReminder =
        core { core.appointmentsFfi.reminderSnooze(notificationId, delay.toMinutesField("minutes"), voice).toKt() }

    /** Exports [ids] (all when empty) as an age-encrypted `.ics` file opened with [passphrase]. */
    fun exportIcsToPassphrase(passphrase: String, out: File, ids: List<String> = emptyList()): Int =
        core { core.appointmentsFfi.exportIcsToPassphrase(ids, passphrase, out.path).toInt() }

    /** Exports [ids] (all when empty) as an age-encrypted `.ics` file to an age recipient (`age1...`). */
    fun exportIcsToRecipient(recipient: String, out: File, ids: List<String> = emptyList()): Int =
        core { core.appointmentsFfi.exportIcsToRecipient(ids, recipient, out.path).toInt() }
}

/** The appointments of this data directory. */
val WaypointCore.appointments: Appointments get() = Appointments(this)
