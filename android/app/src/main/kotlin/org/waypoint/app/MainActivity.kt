// Not compiled on CI (no Android SDK): the platform shell is kept thin on purpose; all logic is
// in the core and the :waypoint wrapper, which are tested on the JVM.
package org.waypoint.app

import android.app.Activity
import android.os.Bundle
import android.view.WindowManager

class MainActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Screenshots and the recents thumbnail are blocked before any content exists.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
    }
}
