package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class VaultTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-vault").toFile().also { it.deleteOnExit() }

    // A low work factor keeps the test fast; only a debug build of the core accepts it.
    private val fast = VaultOptions(scryptLogN = 4)

    @Test
    fun setUpLockUnlockAndState() {
        WaypointCore.open(tempDir(), Clock { 1_700_000_000_000 }, fast).use { core ->
            assertEquals(VaultState.UNINITIALIZED, core.vault.state)
            core.vault.setUp("correct horse")
            assertEquals(VaultState.UNLOCKED, core.vault.state)
            core.vault.lock()
            assertEquals(VaultState.LOCKED, core.vault.state)
            assertEquals(VaultState.LOCKED, core.status().vault)
            core.vault.unlock("correct horse")
            assertEquals(VaultState.UNLOCKED, core.vault.state)
        }
    }

    @Test
    fun wrongPassphraseIsTypedWithRetryTimeThatSurvivesReopen() {
        val dir = tempDir()
        var now = 1_700_000_000_000L
        val clock = Clock { now }
        WaypointCore.open(dir, clock, fast).use { core ->
            core.vault.setUp("right")
            core.vault.lock()
            var last: WaypointException.WrongPassphrase? = null
            repeat(3) {
                try {
                    core.vault.unlock("wrong")
                    fail("wrong passphrase accepted")
                } catch (e: WaypointException.WrongPassphrase) {
                    last = e
                }
            }
            assertEquals(30L, last!!.retryAfterSeconds)
            assertTrue(last!!.message!!.contains("30"))
        }
        WaypointCore.open(dir, clock, fast).use { core ->
            assertEquals(30L, core.vault.retryAfterSeconds())
            now -= 3_600_000 // the clock moved backwards: no shorter wait
            assertEquals(30L, core.vault.retryAfterSeconds())
            now += 3_600_000 + 30_000
            core.vault.unlock("right")
        }
    }

    @Test
    fun changePassphraseAndDuress() {
        WaypointCore.open(tempDir(), Clock { 0 }, fast).use { core ->
            core.vault.setUp("old")
            core.vault.changePassphrase("old", "new")
            core.vault.setDuressPassphrase("decoy", shredRealOnUse = false)
            core.vault.lock()
            core.vault.unlock("decoy")
            assertEquals(VaultState.UNLOCKED, core.vault.state)
            core.vault.lock()
            core.vault.unlock("new")
            try {
                core.vault.setDuressPassphrase("new", false)
                fail("duress equal to the real passphrase accepted")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("duress_passphrase", e.field)
            }
        }
    }

    @Test
    fun platformKeyStoreIsUsed() {
        val calls = mutableListOf<String>()
        val ks = object : PlatformKeyStore {
            override fun seal(label: String, plaintext: ByteArray): ByteArray {
                calls += "seal:$label"
                return plaintext.reversedArray()
            }
            override fun unseal(label: String, sealed: ByteArray): ByteArray {
                calls += "unseal:$label"
                return sealed.reversedArray()
            }
        }
        WaypointCore.open(tempDir(), Clock { 0 }, fast, ks).use { core ->
            core.vault.setUp("p")
            core.vault.lock()
            core.vault.unlock("p")
        }
        assertTrue(calls.contains("seal:vault/slot"))
        assertTrue(calls.contains("unseal:vault/slot"))
    }
}
