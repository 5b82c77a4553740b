package org.waypoint.core

import java.io.File
import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class SharingTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-sharing").toFile().also { it.deleteOnExit() }
    private val fast = VaultOptions(scryptLogN = 4)

    // A public key only (its identity was thrown away): enough to seal to.
    private val lawyerKey = "age1q7qp03atl73269u0sl99nyd6thvv7ceha5dcll5293rcf52kfy5q6gv0jg"

    @Test
    fun recipientsAreSavedByKeyAndSharesHoldOnlyTheChosenEntries() {
        WaypointCore.open(tempDir(), Clock { 1_768_000_000_000 }, fast).use { core ->
            val sharing = core.sharing
            val fp = sharing.fingerprint(lawyerKey)
            assertTrue(fp, Regex("[0-9a-f]{4}(-[0-9a-f]{4}){3}", RegexOption.IGNORE_CASE).matches(fp))

            try {
                sharing.recipients()
                fail("recipients need the vault unlocked")
            } catch (e: WaypointException.Locked) {
            }

            core.vault.setUp("sharing passphrase")
            val chosen = core.journal.add(EntryDraft(title = "Marker-Shared", body = "chosen"))
            core.journal.add(EntryDraft(title = "Marker-Kept", body = "not chosen"))

            val lawyer = sharing.addRecipient("my lawyer Ana", lawyerKey)
            assertEquals(fp, lawyer.fingerprint)
            assertFalse("toString is redacted", lawyer.toString().contains("Ana"))
            assertEquals(listOf(lawyer.id), sharing.recipients().map { it.id })

            val toKey = File(tempDir(), "share.age")
            val summary = sharing.shareToKey(lawyer.id, toKey, listOf(chosen.id))
            assertEquals(1, summary.entries)
            assertTrue(String(toKey.readBytes().copyOf(21)).startsWith("age-encryption.org/v1"))
            assertEquals(summary.bytes, toKey.length())

            val toPass = File(tempDir(), "share-pass.age")
            assertEquals(1, sharing.shareToPassphrase("a long share passphrase", toPass, listOf(chosen.id)).entries)

            try {
                sharing.addRecipient("someone", "age1notakey")
                fail("a malformed key is refused")
            } catch (e: WaypointException.InvalidInput) {
                assertFalse(e.message!!.contains("someone"))
            }
            sharing.removeRecipient(lawyer.id)
            assertTrue(sharing.recipients().isEmpty())
        }
    }

    @Test
    fun aScannedKeyIsReadWithItsFingerprintAndAnythingElseIsOneTypedError() {
        WaypointCore.open(tempDir(), Clock { 1_768_000_000_000 }, fast).use { core ->
            val sharing = core.sharing
            // Works locked; whitespace and the upper case of a QR code's compact mode are fine.
            val read = sharing.readScannedKey("  " + lawyerKey.uppercase() + "\n")
            assertEquals(lawyerKey, read.key)
            assertEquals(sharing.fingerprint(lawyerKey), read.fingerprint)
            assertFalse(read.toString().contains(lawyerKey))
            for (text in listOf("", "https://example.org/$lawyerKey", "x".repeat(10 * 1024), "AGE-SECRET-KEY-1QQQ")) {
                try {
                    sharing.readScannedKey(text)
                    fail("refused: ${text.take(20)}")
                } catch (e: WaypointException.InvalidInput) {
                    assertFalse(e.message!!.contains("example.org"))
                    assertFalse(e.message!!.contains("SECRET"))
                }
            }
        }
    }
}
