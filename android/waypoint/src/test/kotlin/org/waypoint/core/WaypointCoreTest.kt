package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class WaypointCoreTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-kt").toFile().also { it.deleteOnExit() }

    @Test
    fun opensDataDirAndReadsStatus() {
        val dir = tempDir()
        WaypointCore.open(dir, Clock { 1_700_000_000_000 }).use { core ->
            val status = core.status()
            assertTrue("meta schema migrated", (status.schema["meta"] ?: 0) >= 1)
            assertEquals(VaultState.UNINITIALIZED, status.vault)
            assertTrue(status.coreVersion.isNotEmpty())
        }
        assertTrue("database created", dir.resolve("store.db").exists())
    }

    @Test
    fun rustErrorArrivesAsTypedKotlinException() {
        try {
            WaypointCore.open(java.io.File(""))
            fail("an empty data dir must be rejected")
        } catch (e: WaypointException.InvalidInput) {
            assertEquals("data_dir", e.field)
            assertEquals("invalid data_dir: must not be empty", e.message)
        }
    }

    @Test
    fun reopeningKeepsSchema() {
        val dir = tempDir()
        val first = WaypointCore.open(dir).use { it.status().schema }
        val second = WaypointCore.open(dir).use { it.status().schema }
        assertEquals(first, second)
    }
}
