// The core's reminder plan on Android's alarm service, as plain Kotlin over two ports:
// [AlarmBackend] (AlarmManager + PendingIntent) and [ReminderNotifier] (NotificationManager).
// Tested on the JVM against the real core (ReminderAlarmsTest): what is set, cancelled,
// shown as missed, rescheduled after a reboot, and reported back as delivered.
//
// Alarm rules:
// - exact (`setExactAndAllowWhileIdle`) only when the exact-alarm permission is ALREADY
//   granted (`AlarmManager.canScheduleExactAlarms()`; always true before Android 12). The app
//   never opens the permission screen: that settings page names the real app.
// - otherwise `setWindow(RTC_WAKEUP, fireAt, window)` with a [windowMillis] window (the system
//   may batch it; Doze may delay it further, which is the price of not asking).
// - an alarm is keyed by the core's opaque notification id (in the PendingIntent's data URI),
//   so `cancel(notificationId)` needs nothing but the id the core hands over.
// The notification text is always the core's neutral voice (`Appointments.notificationVoice`:
// the survivor's own words, else the neutral text in the app's language); no appointment word
// reaches here.
package org.waypoint.app.shell

import org.waypoint.core.PlannedReminder
import org.waypoint.core.ReminderPlan
import org.waypoint.core.ReminderScheduler
import org.waypoint.core.ReminderVoice
import org.waypoint.core.WaypointCore
import org.waypoint.core.appointments

/** One alarm for AlarmManager. [title]/[body] are the neutral words shown when it fires. */
data class AlarmRequest(
    /** The core's opaque id; the key of the PendingIntent (data URI) and the notification tag. */
    val notificationId: String,
    /** The same id as a non-negative Int, for the notification id. */
    val platformId: Int,
    /** Unix ms, UTC (RTC_WAKEUP). */
    val triggerAtMillis: Long,
    /** `setExactAndAllowWhileIdle` when true, else `setWindow` with [windowLengthMillis]. */
    val exact: Boolean,
    val windowLengthMillis: Long,
    val title: String,
    val body: String,
) {
    override fun toString() = "AlarmRequest(exact=$exact, at=$triggerAtMillis)"
}

/** AlarmManager, as far as reminders need it. */
interface AlarmBackend {
    /** Whether exact alarms are already allowed. Must never ask for the permission. */
    fun exactAlarmsAllowed(): Boolean

    /** Sets (or replaces, same notification id) one alarm. */
    fun set(request: AlarmRequest)

    /** Cancels the alarm (and any shown notification) for [notificationId]; unknown ids are ignored. */
    fun cancel(notificationId: String)
}

/** Shows one neutral notification: secret on the lock screen, opening the decoy when tapped. */
interface ReminderNotifier {
    fun show(notificationId: String, platformId: Int, title: String, body: String)
}

/** How reminder times become alarm requests. */
class ReminderAlarmPlanner(
    /** How late a non-exact alarm may fire (setWindow's window). */
    val windowMillis: Long = DEFAULT_WINDOW_MILLIS,
) {
    init {
        require(windowMillis > 0) { "windowMillis must be positive" }
    }

    /** The alarm for [reminder]; exact only when [exactAllowed]. */
    fun request(reminder: PlannedReminder, exactAllowed: Boolean) = AlarmRequest(
        notificationId = reminder.notificationId,
        platformId = reminder.platformId,
        triggerAtMillis = reminder.fireAt.toEpochMilli(),
        exact = exactAllowed,
        windowLengthMillis = if (exactAllowed) 0 else windowMillis,
        title = reminder.title,
        body = reminder.body,
    )

    companion object {
        /** Ten minutes: late enough for the system to batch, early enough for an appointment. */
        const val DEFAULT_WINDOW_MILLIS = 10 * 60 * 1000L
    }
}

/** The core's [ReminderScheduler] over an [AlarmBackend]. */
class AlarmReminderScheduler(
    private val backend: AlarmBackend,
    private val planner: ReminderAlarmPlanner = ReminderAlarmPlanner(),
) : ReminderScheduler {
    override fun schedule(reminder: PlannedReminder) =
        backend.set(planner.request(reminder, backend.exactAlarmsAllowed()))

    override fun cancel(notificationId: String) = backend.cancel(notificationId)
}

/**
 * The reminder flows of the app: after a change or unlock, after a reboot, when an alarm
 * fires. Every call does disk and crypto work: call it off the main thread (a receiver's
 * goAsync() or a worker).
 */
class ReminderFlows(
    private val core: WaypointCore,
    private val backend: AlarmBackend,
    private val notifier: ReminderNotifier,
    private val voice: () -> ReminderVoice,
    private val planner: ReminderAlarmPlanner = ReminderAlarmPlanner(),
    /** How many days ahead alarms are set; the app plans again on every unlock and boot. */
    private val horizonDays: Int = 30,
) {
    private val scheduler get() = AlarmReminderScheduler(backend, planner)

    /** Unlocked, after an appointment changed or on unlock: cancel, set, show what was missed. */
    fun afterChange(): ReminderPlan =
        core.appointments.syncReminders(scheduler, horizonDays, voice()).also { showMissed(it) }

    /** BOOT_COMPLETED (vault locked): set again from the sealed schedule; show what was missed. */
    fun afterBoot(): ReminderPlan =
        core.appointments.rescheduleLocked(scheduler, voice()).also { showMissed(it) }

    /** An alarm fired: show it, then tell the core it was delivered (so it is not "missed"). */
    fun onAlarm(notificationId: String, platformId: Int, title: String, body: String) {
        notifier.show(notificationId, platformId, title, body)
        core.appointments.delivered(notificationId)
    }

    /** The person dismissed a reminder: not shown or reported again. */
    fun onDismissed(notificationId: String) = core.appointments.dismiss(notificationId)

    private fun showMissed(plan: ReminderPlan) {
        for (m in plan.missed) notifier.show(m.notificationId, m.platformId, m.title, m.body)
    }
}
