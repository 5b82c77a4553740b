// Shared helpers for the shell's JVM tests: a core in a temporary directory with a software
// platform key, a movable clock, and typing a code on the calculator.
package org.waypoint.app.shell

import java.io.File
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicLong
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import org.waypoint.core.Clock
import org.waypoint.core.Screens
import org.waypoint.core.VaultOptions
import org.waypoint.core.WaypointCore
import org.waypoint.core.ffi.CalcKey
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.open

internal object ShellTest {
    val fast = VaultOptions(scryptLogN = 4)

    fun tempDir(): File = Files.createTempDirectory("waypoint-shell").toFile().also { it.deleteOnExit() }

    fun softwareKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    /** A clock tests move by hand. */
    class MovableClock(start: Long) : Clock {
        private val now = AtomicLong(start)
        override fun nowUnixMs(): Long = now.get()
        fun set(ms: Long) = now.set(ms)
        fun advance(ms: Long) = now.addAndGet(ms)
    }

    fun open(dir: File, clock: Clock, key: SecretKey = softwareKey()): WaypointCore =
        WaypointCore.open(dir, clock, fast, AesGcmKeyStore { key })

    /** Types [code] then `=` on the calculator. */
    fun Screens.typeCode(code: String) {
        code.forEach { dispatch(ScreenIntent.Calc(CalcKey.Digit((it - '0').toUByte()))) }
        dispatch(ScreenIntent.Calc(CalcKey.Equals))
    }
}
