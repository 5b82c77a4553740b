// Reminders on the phone: the notification channel, AlarmManager, the receivers for a fired
// alarm, a dismissed notification and a reboot. What to schedule, when, exact or windowed, and
// what to report back is decided in shell/ReminderAlarms.kt (JVM-tested against the core);
// this file only talks to the Android services.
package org.waypoint.app

import android.Manifest
import android.app.AlarmManager
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import org.waypoint.app.shell.AlarmBackend
import org.waypoint.app.shell.AlarmRequest
import org.waypoint.app.shell.ReminderNotifier

/** The one notification channel: the shell's own neutral name, secret on the lock screen. */
object Notifications {
    const val CHANNEL = "reminders"

    fun createChannel(context: Context) {
        val channel = NotificationChannel(
            CHANNEL,
            context.getString(R.string.channel_reminders),
            NotificationManager.IMPORTANCE_DEFAULT,
        ).apply {
            lockscreenVisibility = Notification.VISIBILITY_SECRET
            setShowBadge(false)
        }
        context.getSystemService(NotificationManager::class.java).createNotificationChannel(channel)
    }
}

/** The PendingIntent key of a reminder: its opaque id in the data URI (no content). */
private fun reminderUri(notificationId: String): Uri = Uri.fromParts("waypoint-reminder", notificationId, null)

/** AlarmManager for reminders; never asks for the exact-alarm permission. */
class AndroidAlarms(private val context: Context) : AlarmBackend {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    override fun exactAlarmsAllowed(): Boolean =
        Build.VERSION.SDK_INT < Build.VERSION_CODES.S || alarms.canScheduleExactAlarms()

    override fun set(request: AlarmRequest) {
        val pending = pendingIntent(request.notificationId, request, create = true) ?: return
        if (request.exact) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, request.triggerAtMillis, pending)
        } else {
            alarms.setWindow(AlarmManager.RTC_WAKEUP, request.triggerAtMillis, request.windowLengthMillis, pending)
        }
    }

    override fun cancel(notificationId: String) {
        pendingIntent(notificationId, null, create = false)?.let {
            alarms.cancel(it)
            it.cancel()
        }
        NotificationManagerCompat.from(context).cancel(notificationId, NOTIFICATION_ID)
    }

    private fun pendingIntent(notificationId: String, request: AlarmRequest?, create: Boolean): PendingIntent? {
        val intent = Intent(context, ReminderReceiver::class.java)
            .setAction(ReminderReceiver.ACTION_FIRE)
            .setData(reminderUri(notificationId))
        if (request != null) {
            intent.putExtra(ReminderReceiver.EXTRA_PLATFORM_ID, request.platformId)
                .putExtra(ReminderReceiver.EXTRA_TITLE, request.title)
                .putExtra(ReminderReceiver.EXTRA_BODY, request.body)
        }
        val flags = PendingIntent.FLAG_IMMUTABLE or
            if (create) PendingIntent.FLAG_UPDATE_CURRENT else PendingIntent.FLAG_NO_CREATE
        return PendingIntent.getBroadcast(context, 0, intent, flags)
    }

    companion object {
        /** Notifications are told apart by tag (the opaque id); the int id is constant. */
        const val NOTIFICATION_ID = 1
    }
}

/** Shows the core's neutral words; secret on the lock screen; a tap opens the decoy. */
class AndroidNotifier(private val context: Context) : ReminderNotifier {
    override fun show(notificationId: String, platformId: Int, title: String, body: String) {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            return
        }
        val open = PendingIntent.getActivity(
            context,
            0,
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE,
        )
        val dismissed = PendingIntent.getBroadcast(
            context,
            0,
            Intent(context, ReminderReceiver::class.java).setAction(ReminderReceiver.ACTION_DISMISSED).setData(reminderUri(notificationId)),
            PendingIntent.FLAG_IMMUTABLE,
        )
        val notification = NotificationCompat.Builder(context, Notifications.CHANNEL)
            .setSmallIcon(R.drawable.ic_notification)
            .setContentTitle(title)
            .setContentText(body)
            .setVisibility(NotificationCompat.VISIBILITY_SECRET)
            .setContentIntent(open)
            .setDeleteIntent(dismissed)
            .setAutoCancel(true)
            .build()
        NotificationManagerCompat.from(context).notify(notificationId, AndroidAlarms.NOTIFICATION_ID, notification)
    }
}

/** A fired alarm (shown, then reported delivered) or a dismissed notification. Not exported. */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val id = intent.data?.schemeSpecificPart ?: return
        val app = context.applicationContext as WaypointApp
        val done = goAsync()
        app.background.execute {
            try {
                when (intent.action) {
                    ACTION_FIRE -> {
                        val platformId = intent.getIntExtra(EXTRA_PLATFORM_ID, 0)
                        val title = intent.getStringExtra(EXTRA_TITLE) ?: return@execute
                        val body = intent.getStringExtra(EXTRA_BODY) ?: return@execute
                        // If the core cannot be reached, the reminder is still shown.
                        runCatching { app.reminderFlows().onAlarm(id, platformId, title, body) }
                            .onFailure { AndroidNotifier(app).show(id, platformId, title, body) }
                    }
                    ACTION_DISMISSED -> runCatching { app.reminderFlows().onDismissed(id) }
                }
            } finally {
                done.finish()
            }
        }
    }

    companion object {
        const val ACTION_FIRE = "org.waypoint.app.action.REMINDER"
        const val ACTION_DISMISSED = "org.waypoint.app.action.REMINDER_DISMISSED"
        const val EXTRA_PLATFORM_ID = "platform_id"
        const val EXTRA_TITLE = "title"
        const val EXTRA_BODY = "body"
    }
}

/**
 * After a reboot (alarms are gone), an app update, or the exact-alarm permission changing:
 * set every alarm again from the sealed schedule, vault locked, and show what was missed.
 */
class BootReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        when (intent.action) {
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED,
            -> Unit
            else -> return
        }
        val app = context.applicationContext as WaypointApp
        val done = goAsync()
        app.background.execute {
            try {
                runCatching { app.reminderFlows().afterBoot() }
            } finally {
                done.finish()
            }
        }
    }
}
