package org.waypoint.core

import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/**
 * Syncs against the REAL sync server binary (target/debug/waypoint-server, built by
 * android/run-jvm-tests.sh), started here exactly as tests/src/lib.rs starts it.
 */
class SyncTest {
    private fun failNow(message: String): Nothing = throw AssertionError(message)

    private fun tempDir() = Files.createTempDirectory("waypoint-sync").toFile().also { it.deleteOnExit() }

    /** The repository root, passed by run-jvm-tests.sh as -Dwaypoint.root (or WAYPOINT_ROOT). */
    private fun repoRoot(): File {
        val root = System.getProperty("waypoint.root") ?: System.getenv("WAYPOINT_ROOT")
            ?: failNow("set -Dwaypoint.root=<repo> or WAYPOINT_ROOT (android/run-jvm-tests.sh does)")
        return File(root)
    }

    private class DemoServer(val process: Process, val url: String, val rootKeyset: File)

    /**
     * Starts `waypoint-server serve --demo` on a free loopback port and reads from its stdout the
     * URL and the root keyset a client must trust. Bounded: fails after 30 s.
     */
    private fun startDemoServer(dataDir: File, log: File): DemoServer {
        val bin = File(repoRoot(), "target/debug/waypoint-server")
        if (!bin.canExecute()) {
            failNow("$bin is missing: build it with `cargo build -p waypoint-server` (run-jvm-tests.sh does)")
        }
        val process = ProcessBuilder(
            bin.path, "serve", "--demo", "--data-dir", dataDir.path, "--listen", "127.0.0.1:0",
        ).redirectError(log).start()
        val lines = LinkedBlockingQueue<String>()
        Thread {
            process.inputStream.bufferedReader().useLines { seq -> seq.forEach { lines.put(it) } }
        }.apply { isDaemon = true }.start()
        var url: String? = null
        var keyset: File? = null
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        try {
            while (url == null || keyset == null) {
                val left = deadline - System.nanoTime()
                val line = lines.poll(left.coerceAtLeast(0), TimeUnit.NANOSECONDS)
                    ?: failNow("waypoint-server did not print its URL and root keyset within 30 s; see $log")
                line.removePrefix("waypoint-server listening on ").takeIf { it != line }?.let { url = it.trim() }
                Regex("--root-keyset (\\S+)").find(line)?.let { keyset = File(it.groupValues[1]) }
            }
        } catch (e: Throwable) {
            process.destroyForcibly()
            throw e
        }
        return DemoServer(process, url!!, keyset!!)
    }

    private fun stop(process: Process) {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
        }
    }

    @Test
    fun freshClientSyncsTheDemoDirectoryFromTheRealServer() {
        val serverDir = tempDir()
        val server = startDemoServer(serverDir, File(serverDir, "server.log"))
        try {
            WaypointCore.open(tempDir()).use { core ->
                // First run: the packaged directory (its own publishers) is searchable offline.
                assertTrue(core.directory.search("trafficking").any { it.id == "us-national-human-trafficking-hotline" })
                assertTrue(core.sync.installRootKeyset(server.rootKeyset.readBytes()))
                assertEquals("nothing synced from this deployment yet", null, core.sync.status().version)

                val report = runBlocking { core.sync.sync(server.url, timeout = Duration.ofSeconds(30)) }
                assertEquals(SyncOutcome.Updated(version = 1, viaDelta = false), report.outcome)
                assertEquals(1L, report.version)
                assertTrue(report.lastSync != null && !report.stale)
                assertEquals(1L, core.sync.status().version)

                val again = core.sync.syncBlocking(server.url)
                assertEquals(SyncOutcome.AlreadyCurrent, again.outcome)

                // What the server published is what search now finds (the demo's own ids).
                val hits = core.directory.search("trafficking hotline")
                assertEquals("us-trafficking-hotline", hits.first().id)
                assertEquals("tel:+18883737888", hits.first().actions.first().launchUri)
                assertEquals(3, core.sync.heldRecords().size)
            }
        } finally {
            stop(server.process)
        }
    }

    @Test
    fun foreignPublishersAreRejectedAndUnreachableServerIsOffline() {
        val serverDir = tempDir()
        val server = startDemoServer(serverDir, File(serverDir, "server.log"))
        val keyset = server.rootKeyset.readBytes()
        val url = server.url
        try {
            // Without the deployment's root, only this build's pinned publishers are trusted.
            WaypointCore.open(tempDir()).use { core ->
                val packaged = core.sync.heldRecords().size
                val report = core.sync.syncBlocking(url)
                assertTrue("got ${report.outcome}", report.outcome is SyncOutcome.Rejected)
                assertEquals(packaged, core.sync.heldRecords().size)
            }
        } finally {
            stop(server.process)
        }
        WaypointCore.open(tempDir()).use { core ->
            core.sync.installRootKeyset(keyset)
            val report = runBlocking { core.sync.sync(url, timeout = Duration.ofSeconds(5)) }
            assertTrue("got ${report.outcome}", report.outcome is SyncOutcome.Offline)
            assertEquals(null, report.version)
        }
    }
}
