package org.waypoint.app.shell

import java.time.Duration
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.sync

class DirectorySyncPolicyTest {
    private val server = "https://directory.example.org"

    @Test
    fun noPeriodicSyncUntilTheSurvivorTurnsItOn() {
        assertNull(DirectorySyncPolicy.spec(SyncPreferences(), server, Duration.ofMinutes(5)))
        assertNull(DirectorySyncPolicy.spec(SyncPreferences(enabled = true), " ", Duration.ofMinutes(5)))
    }

    @Test
    fun anEnabledSyncWaitsTheCoresJitterAndWantsAnUnmeteredNetwork() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            val jitter = core.sync.scheduledJitter()
            val spec = DirectorySyncPolicy.spec(SyncPreferences(enabled = true), server, jitter)!!
            assertEquals(jitter, spec.initialDelay)
            assertTrue(spec.unmeteredOnly)
            assertTrue(spec.batteryNotLow)
            assertEquals(Duration.ofHours(24), spec.repeatInterval)
            assertTrue(spec.flexInterval < spec.repeatInterval)
            assertEquals(false, DirectorySyncPolicy.spec(SyncPreferences(true, unmeteredOnly = false), server, jitter)!!.unmeteredOnly)
            assertEquals(Duration.ZERO, DirectorySyncPolicy.spec(SyncPreferences(true), server, Duration.ofSeconds(-1))!!.initialDelay)
        }
    }

    @Test
    fun anUnreachableServerIsRetriedLaterAndABadUrlIsNot() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            // Loopback http is allowed for tests; nothing listens on port 9.
            assertEquals(SyncRunResult.RETRY, DirectorySyncPolicy.run(core, "http://127.0.0.1:9"))
            assertEquals(SyncRunResult.SUCCESS, DirectorySyncPolicy.run(core, "ftp://directory.example.org"))
        }
    }
}
