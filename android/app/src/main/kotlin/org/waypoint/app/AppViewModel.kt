// Holds the process's screen model across configuration changes and runs every intent on one
// background thread, in order (an unlock runs a key derivation: never on the main thread).
// The platform effects (open a URI, leave the task) go to whichever Activity is showing.
package org.waypoint.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import java.util.TimeZone
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import org.waypoint.app.shell.DocumentScans
import org.waypoint.app.shell.LauncherAliases
import org.waypoint.app.shell.LockPolicy
import org.waypoint.app.shell.ShellPlatform
import org.waypoint.app.shell.ShellSession
import org.waypoint.core.AppState
import org.waypoint.core.DisguiseSettings
import org.waypoint.core.Screens
import org.waypoint.core.disguiseSettings
import org.waypoint.core.screens
import org.waypoint.core.ffi.Intent as ScreenIntent

@OptIn(ExperimentalCoroutinesApi::class)
class AppViewModel(application: Application) : AndroidViewModel(application) {
    private val app = application as WaypointApp

    /** One intent at a time, in the order sent. */
    private val worker = Dispatchers.IO.limitedParallelism(1)
    private val lockPolicy = LockPolicy({ System.currentTimeMillis() })
    private var screens: Screens? = null
    private var session: ShellSession? = null
    private var ticker: Job? = null

    private val current = MutableStateFlow<AppState?>(null)

    /** The state to draw; null until the core is open (draw nothing, not even a spinner). */
    val state: StateFlow<AppState?> = current.asStateFlow()

    private val disguise = MutableStateFlow<DisguiseSettings?>(null)

    /** The disguise settings (screenshot blocking), read while locked. */
    val settings: StateFlow<DisguiseSettings?> = disguise.asStateFlow()

    /** Set by the showing Activity; effects arrive on the worker thread. */
    @Volatile
    var platform: ShellPlatform? = null

    private val forwarding = object : ShellPlatform {
        override fun open(request: org.waypoint.app.shell.LaunchRequest) = platform?.open(request) ?: false
        override fun leaveTask() {
            platform?.leaveTask()
        }
    }

    init {
        viewModelScope.launch(worker) {
            val s = app.core.screens(TimeZone.getDefault().id, app.appLanguage())
            screens = s
            session = ShellSession(s, forwarding)
            disguise.value = runCatching { app.core.disguiseSettings }.getOrNull()
            launch { s.state.collect { onState(it) } }
        }
        viewModelScope.launch {
            ProcessEvents.visible.collect { visible ->
                send(if (visible) lockPolicy.onProcessStart() else lockPolicy.onProcessStop())
            }
        }
        viewModelScope.launch { app.quickExits.collect { quickExit() } }
    }

    private fun onState(next: AppState) {
        val wasPrivate = current.value?.let { lockPolicy.ticks(it) } ?: false
        current.value = next
        val private = lockPolicy.ticks(next)
        if (private && ticker?.isActive != true) {
            ticker = viewModelScope.launch {
                while (isActive) {
                    delay(lockPolicy.tickIntervalMillis)
                    send(lockPolicy.onTick())
                }
            }
        } else if (!private) {
            ticker?.cancel()
        }
        if (!wasPrivate && private) {
            // Unlocked: plan reminders again (the horizon moves, missed ones are shown once).
            viewModelScope.launch(worker) { syncReminders() }
        }
        if (wasPrivate && !private) {
            // Settings may have changed while unlocked (screenshot blocking, icon).
            viewModelScope.launch(worker) { disguise.value = runCatching { app.core.disguiseSettings }.getOrNull() }
        }
    }

    /** Forwards [intent] on the worker thread. */
    fun send(intent: ScreenIntent) {
        viewModelScope.launch(worker) {
            session?.send(intent)
            // An appointment saved: cancel and set alarms from the core's new plan.
            if (intent is ScreenIntent.SaveAppointment) syncReminders()
            // A document saved or deleted: its expiry reminders go through the same plan.
            if (intent is ScreenIntent.SaveDocument || intent is ScreenIntent.ConfirmDeleteDocument) syncReminders()
            // Safety settings saved: the launcher alias follows (the new one enabled first),
            // and screenshot blocking applies to the window at once.
            if (intent is ScreenIntent.SaveSafety) {
                val saved = runCatching { app.core.disguiseSettings }.getOrNull()
                if (saved != null) {
                    disguise.value = saved
                    runCatching { LauncherAliases(PackageManagerAliases(app)).apply(saved) }
                }
            }
        }
    }

    /** Applies the core's reminder plan (needs the vault unlocked; a failure changes nothing). */
    private fun syncReminders() {
        runCatching { app.reminderFlows().afterChange() }
    }

    /** Attaches the file the person picked (read here, at most the core's attachment cap). */
    fun attach(uri: android.net.Uri) {
        viewModelScope.launch(worker) {
            val resolver = app.contentResolver
            val mime = resolver.getType(uri) ?: "application/octet-stream"
            val bytes = runCatching {
                resolver.openInputStream(uri)?.use { input ->
                    val out = java.io.ByteArrayOutputStream()
                    val buf = ByteArray(64 * 1024)
                    var total = 0L
                    while (true) {
                        val n = input.read(buf)
                        if (n < 0) break
                        total += n
                        if (total > MAX_ATTACHMENT_BYTES) return@use null
                        out.write(buf, 0, n)
                    }
                    out.toByteArray()
                }
            }.getOrNull() ?: ByteArray(0)
            // The file's own name may be personal: the entry gets a neutral one.
            val name = "attachment-" + (System.currentTimeMillis() % 100_000) + "." + (mime.substringAfter('/', "bin").take(8))
            session?.send(ScreenIntent.Attach(name, mime, bytes))
        }
    }

    /**
     * The document editor's photo or scan from the system's file picker: read into memory (at
     * most the core's cap) and handed to the core, which encrypts it on save. No copy is made.
     */
    fun attachScan(uri: android.net.Uri) {
        viewModelScope.launch(worker) {
            val resolver = app.contentResolver
            val bytes = runCatching { resolver.openInputStream(uri)?.use { DocumentScans.readCapped(it) } }.getOrNull()
            // Unreadable or too large: the core's "The file is empty." line, nothing else.
            val intent = DocumentScans.attach(bytes ?: ByteArray(0), resolver.getType(uri), System.nanoTime())
            intent?.let { session?.send(it) }
        }
    }

    /** The document editor's photo from the in-app camera: JPEG bytes in memory, to the core. */
    fun attachPhoto(jpeg: ByteArray) {
        viewModelScope.launch(worker) {
            DocumentScans.attach(jpeg, "image/jpeg", System.nanoTime())?.let { session?.send(it) }
            jpeg.fill(0)
        }
    }

    /**
     * Evidence export: the core writes the sealed file into the app's no-backup directory, then
     * it is copied to the place the person chose and the private copy is deleted.
     */
    fun exportEvidence(passphrase: String, confirm: String, destination: android.net.Uri) {
        viewModelScope.launch(worker) {
            val tmp = java.io.File(app.noBackupFilesDir, "export.age")
            try {
                val state = session?.send(ScreenIntent.ExportEvidence(passphrase, confirm, tmp.path)) ?: return@launch
                val view = state.view
                if (view is org.waypoint.core.ffi.View.EvidenceExport && view.done != null && tmp.exists()) {
                    app.contentResolver.openOutputStream(destination)?.use { out -> tmp.inputStream().use { it.copyTo(out) } }
                }
            } finally {
                tmp.delete()
            }
        }
    }

    /** A touch (debounced into the core's ACTIVITY event). */
    fun touched() {
        lockPolicy.onTouch()?.let { send(it) }
    }

    /**
     * Quick exit: first the core, then the Activity clears and leaves (via the platform). Not
     * queued behind the worker: an unlock's key derivation may be running there, and the exit
     * must not wait for it (the core's quick exit takes no lock the derivation holds).
     */
    fun quickExit() {
        viewModelScope.launch(Dispatchers.IO) {
            val s = session
            if (s != null) s.quickExit() else platform?.leaveTask()
        }
    }

    private companion object {
        const val MAX_ATTACHMENT_BYTES = 64L * 1024 * 1024
    }

    override fun onCleared() {
        ticker?.cancel()
        screens?.close()
    }
}
