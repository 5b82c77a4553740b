// The one Activity. Before any content exists: FLAG_SECURE (unless the survivor turned
// screenshot blocking off) and no recents screenshot. It draws the core's state with Compose
// (ui/WaypointUi.kt) and carries out quick exit: the core first, then the content is cleared
// and the task leaves the recent-apps list (finishAndRemoveTask; the manifest also sets
// excludeFromRecents). No dialog, toast or notification accompanies it.
package org.waypoint.app

import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.appcompat.app.AppCompatActivity
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.lifecycleScope
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.launch
import org.waypoint.app.shell.LaunchAction
import org.waypoint.app.shell.LaunchRequest
import org.waypoint.app.shell.ShellPlatform
import org.waypoint.app.ui.WaypointTheme
import org.waypoint.app.ui.WaypointUi

class MainActivity : AppCompatActivity(), ShellPlatform {
    private val model: AppViewModel by viewModels()
    private var cleared = false

    override fun onCreate(savedInstanceState: Bundle?) {
        // Secure from the first frame; relaxed below only if the settings say so.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) setRecentsScreenshotEnabled(false)
        // Nothing personal is ever put in the saved state: the core's model is the only state.
        super.onCreate(null)
        model.platform = this
        lifecycleScope.launch {
            repeatOnLifecycle(Lifecycle.State.CREATED) {
                model.settings.collect { s ->
                    if (s == null || s.screenshotBlocking) {
                        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
                    } else {
                        window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
                    }
                }
            }
        }
        setContent {
            WaypointTheme {
                WaypointUi(model)
            }
        }
    }

    override fun onUserInteraction() {
        super.onUserInteraction()
        model.touched()
    }

    override fun onDestroy() {
        if (model.platform === this) model.platform = null
        super.onDestroy()
    }

    override fun open(request: LaunchRequest): Boolean {
        val action = when (request.action) {
            LaunchAction.DIAL -> Intent.ACTION_DIAL
            LaunchAction.SENDTO -> Intent.ACTION_SENDTO
            LaunchAction.VIEW -> Intent.ACTION_VIEW
        }
        runOnUiThread {
            try {
                startActivity(Intent(action, Uri.parse(request.uri)))
            } catch (e: ActivityNotFoundException) {
                // No app on this phone answers; nothing else to do, and nothing is shown.
            }
        }
        return true
    }

    override fun leaveTask() {
        runOnUiThread {
            if (cleared) return@runOnUiThread
            cleared = true
            // Clear what is on screen before the task goes, then leave recents.
            setContent { }
            finishAndRemoveTask()
        }
    }
}
