package org.waypoint.app.shell

import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import org.waypoint.core.VaultState
import org.waypoint.core.WaypointException
import org.waypoint.core.vault

class AesGcmKeyStoreTest {
    private fun refuses(block: () -> Unit) {
        try {
            block()
            fail("expected a refusal")
        } catch (e: PlatformKeyException) {
        }
    }

    @Test
    fun sealedValuesAreBoundToTheLabelAndTheKeyAndTamperingIsRefused() {
        val key = ShellTest.softwareKey()
        val ks = AesGcmKeyStore { key }
        val secret = "schedule bytes".toByteArray()
        val a = ks.seal("reminders/schedule", secret)
        val b = ks.seal("reminders/schedule", secret)
        assertEquals(AesGcmKeyStore.VERSION, a[0])
        assertEquals(1 + 12 + secret.size + 16, a.size)
        assertFalse("a fresh IV every time", a.contentEquals(b))
        assertArrayEquals(secret, ks.unseal("reminders/schedule", a))

        refuses { ks.unseal("vault/slots", a) }
        refuses { AesGcmKeyStore { ShellTest.softwareKey() }.unseal("reminders/schedule", a) }
        refuses { ks.unseal("reminders/schedule", a.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }) }
        refuses { ks.unseal("reminders/schedule", a.copyOf().also { it[0] = 2 }) }
        refuses { ks.unseal("reminders/schedule", a.copyOf(10)) }
        try {
            ks.unseal("reminders/schedule", a.copyOf().also { it[30] = 0 })
        } catch (e: PlatformKeyException) {
            assertFalse("no content in the message", e.message!!.contains("schedule bytes"))
        }
    }

    @Test
    fun theCoreNeedsTheSamePlatformKeyToOpenTheVault() {
        val dir = ShellTest.tempDir()
        val clock = ShellTest.MovableClock(1_768_000_000_000)
        val key = ShellTest.softwareKey()
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.setUp("platform key passphrase")
            assertEquals(VaultState.UNLOCKED, core.vault.state)
        }
        ShellTest.open(dir, clock, key).use { core ->
            core.vault.unlock("platform key passphrase")
            assertEquals(VaultState.UNLOCKED, core.vault.state)
        }
        // Another phone's key (a copied data directory): the right passphrase does not open it.
        try {
            ShellTest.open(dir, clock, ShellTest.softwareKey()).use { core -> core.vault.unlock("platform key passphrase") }
            fail("a copied data directory opened without its platform key")
        } catch (e: WaypointException) {
            assertFalse("no secret in the error", e.message!!.contains("platform key passphrase"))
        }
    }
}
