// Android implementations of the shell's small ports: launcher aliases and the optional Quick
// Settings tile through PackageManager, directory sync through WorkManager, and the tile
// itself. The rules they carry out are in org.waypoint.app.shell (JVM-tested).
package org.waypoint.app

import android.content.ComponentName
import android.content.Context
import android.content.pm.PackageManager
import android.service.quicksettings.Tile
import android.service.quicksettings.TileService
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.waypoint.app.shell.DirectorySyncPolicy
import org.waypoint.app.shell.LauncherComponents
import org.waypoint.app.shell.SyncPreferences
import org.waypoint.app.shell.SyncRunResult
import org.waypoint.core.WaypointCore
import org.waypoint.core.sync

/** The manifest's classes are relative to this namespace (`.LauncherNotes`). */
private const val NAMESPACE = "org.waypoint.app"

/** activity-alias states through PackageManager (DONT_KILL_APP). */
class PackageManagerAliases(private val context: Context) : LauncherComponents {
    private val pm = context.packageManager

    private fun component(alias: String) = ComponentName(context.packageName, NAMESPACE + alias)

    override fun isEnabled(alias: String): Boolean = when (pm.getComponentEnabledSetting(component(alias))) {
        PackageManager.COMPONENT_ENABLED_STATE_ENABLED -> true
        PackageManager.COMPONENT_ENABLED_STATE_DISABLED -> false
        // Never changed: what the manifest says.
        else -> pm.getActivityInfo(component(alias), PackageManager.MATCH_DISABLED_COMPONENTS).enabled
    }

    override fun setEnabled(alias: String, enabled: Boolean) = pm.setComponentEnabledSetting(
        component(alias),
        if (enabled) PackageManager.COMPONENT_ENABLED_STATE_ENABLED else PackageManager.COMPONENT_ENABLED_STATE_DISABLED,
        PackageManager.DONT_KILL_APP,
    )
}

/** The optional Quick Settings tile: off (not even offered) until the survivor turns it on. */
object QuickExitTile {
    private fun component(context: Context) = ComponentName(context, QuickExitTileService::class.java)

    fun isEnabled(context: Context): Boolean =
        context.packageManager.getComponentEnabledSetting(component(context)) == PackageManager.COMPONENT_ENABLED_STATE_ENABLED

    fun setEnabled(context: Context, enabled: Boolean) = context.packageManager.setComponentEnabledSetting(
        component(context),
        if (enabled) PackageManager.COMPONENT_ENABLED_STATE_ENABLED else PackageManager.COMPONENT_ENABLED_STATE_DISABLED,
        PackageManager.DONT_KILL_APP,
    )
}

/** A tile labelled "Close": one tap locks, drops every key and leaves the app. */
class QuickExitTileService : TileService() {
    override fun onStartListening() {
        qsTile?.apply {
            state = Tile.STATE_INACTIVE
            updateTile()
        }
    }

    override fun onClick() {
        (application as WaypointApp).quickExitEverywhere()
    }
}

/** Enqueues or cancels the periodic directory sync (DirectorySyncPolicy decides). */
object SyncScheduling {
    fun apply(context: Context, prefs: SyncPreferences, core: WaypointCore) {
        val work = WorkManager.getInstance(context)
        val spec = DirectorySyncPolicy.spec(prefs, BuildConfig.DIRECTORY_URL, core.sync.scheduledJitter())
        if (spec == null) {
            work.cancelUniqueWork(DirectorySyncPolicy.UNIQUE_NAME)
            return
        }
        val constraints = Constraints.Builder()
            .setRequiredNetworkType(if (spec.unmeteredOnly) NetworkType.UNMETERED else NetworkType.CONNECTED)
            .setRequiresBatteryNotLow(spec.batteryNotLow)
            .build()
        val request = PeriodicWorkRequestBuilder<SyncWorker>(spec.repeatInterval, spec.flexInterval)
            .setInitialDelay(spec.initialDelay)
            .setConstraints(constraints)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, spec.backoffInitial)
            .build()
        work.enqueueUniquePeriodicWork(spec.uniqueName, ExistingPeriodicWorkPolicy.UPDATE, request)
    }
}

/** A sync the survivor asked for now (no jitter: they chose the moment), on any network. */
object SyncNow {
    fun enqueue(context: Context) {
        if (BuildConfig.DIRECTORY_URL.isBlank()) return
        val request = androidx.work.OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork("directory-sync-now", androidx.work.ExistingWorkPolicy.KEEP, request)
    }
}

/** One scheduled sync (network constraint met, after the jitter). */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val app = applicationContext as WaypointApp
        when (DirectorySyncPolicy.run(app.core, BuildConfig.DIRECTORY_URL)) {
            SyncRunResult.SUCCESS -> Result.success()
            SyncRunResult.RETRY -> Result.retry()
        }
    }
}
