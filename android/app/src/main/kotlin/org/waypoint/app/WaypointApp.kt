// The application: opens the one core of the process (lazily, off the main thread), the
// notification channel, the launcher alias repair on every start, and the quick exit that
// works before or without a screen (Quick Settings tile). Needs the Android SDK: syntax-checked
// on CI; its decisions live in org.waypoint.app.shell, which is compiled and tested on the JVM.
package org.waypoint.app

import android.app.Application
import android.content.Context
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import java.io.File
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import org.waypoint.app.shell.AesGcmKeyStore
import org.waypoint.app.shell.LauncherAliases
import org.waypoint.app.shell.ReminderFlows
import org.waypoint.app.shell.SyncPreferences
import org.waypoint.core.SystemClock
import org.waypoint.core.VaultOptions
import org.waypoint.core.WaypointCore
import org.waypoint.core.appointments
import org.waypoint.core.disguiseSettings
import org.waypoint.core.open
import org.waypoint.core.quickExit

class WaypointApp : Application() {
    /** One thread for receivers and start-up work that touches the core. */
    val background: ExecutorService = Executors.newSingleThreadExecutor()

    /** The one core of this process. First use opens it: never on the main thread. */
    val core: WaypointCore by lazy {
        // noBackupFilesDir: never part of any backup, even if allowBackup were turned on.
        val dir = File(noBackupFilesDir, "waypoint")
        WaypointCore.open(dir, SystemClock, VaultOptions(), AesGcmKeyStore(AndroidKeystoreKeys(this)))
    }

    private val exits = MutableSharedFlow<Unit>(extraBufferCapacity = 1)

    /** Quick exits requested outside the Activity (the tile); the Activity leaves at once. */
    val quickExits: SharedFlow<Unit> get() = exits

    override fun onCreate() {
        super.onCreate()
        Notifications.createChannel(this)
        // Lock on background: the whole process left the screen (not one Activity pausing).
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStop(owner: LifecycleOwner) = ProcessEvents.emitStop()
            override fun onStart(owner: LifecycleOwner) = ProcessEvents.emitStart()
        })
        background.execute {
            runCatching { LauncherAliases(PackageManagerAliases(this)).apply(core.disguiseSettings) }
        }
    }

    /** The reminder flows over this process's core, alarms and notifications. */
    fun reminderFlows(): ReminderFlows = ReminderFlows(
        core = core,
        backend = AndroidAlarms(this),
        notifier = AndroidNotifier(this),
        // The survivor's own words if they chose some, else the neutral text in the app's language.
        voice = { core.appointments.notificationVoice(appLanguage()) },
    )

    /** The app's language: the in-app choice (AppCompat per-app locales), else the phone's. */
    fun appLanguage(): String =
        androidx.appcompat.app.AppCompatDelegate.getApplicationLocales()[0]?.toLanguageTag()
            ?: java.util.Locale.getDefault().toLanguageTag()

    /** Quick exit from anywhere: the core drops every key now; an open Activity leaves. */
    fun quickExitEverywhere() {
        background.execute { runCatching { core.quickExit() } }
        exits.tryEmit(Unit)
    }

    /** The survivor's sync choice (not personal; off by default). */
    fun syncPreferences(): SyncPreferences {
        val p = getSharedPreferences(PREFS, Context.MODE_PRIVATE)
        return SyncPreferences(p.getBoolean(KEY_SYNC, false), p.getBoolean(KEY_SYNC_WIFI, true))
    }

    fun setSyncPreferences(prefs: SyncPreferences) {
        getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit()
            .putBoolean(KEY_SYNC, prefs.enabled)
            .putBoolean(KEY_SYNC_WIFI, prefs.unmeteredOnly)
            .apply()
        background.execute { runCatching { SyncScheduling.apply(this, prefs, core) } }
    }

    companion object {
        private const val PREFS = "shell"
        private const val KEY_SYNC = "sync_enabled"
        private const val KEY_SYNC_WIFI = "sync_unmetered_only"
    }
}
