package org.waypoint.app.shell

import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.app.shell.ShellTest.typeCode
import org.waypoint.core.Destination
import org.waypoint.core.screens
import org.waypoint.core.sharing
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

/**
 * Scanning a recipient key: the camera is asked for only on the tap, one intent per scan, the
 * frame decoder reads a real QR code from a camera-like plane (row padding included) and zeroes
 * it, and the core turns the text into the key and the fingerprint the lawyer's laptop shows.
 */
class KeyScanTest {
    private val code = "40571986"
    // A real age key (the core checks its checksum).
    private val key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

    /** A camera-like brightness plane holding [text] as a QR code, each row padded to a stride. */
    private fun frame(text: String, scale: Int = 6, padding: Int = 16): Triple<ByteArray, Int, Int> {
        val matrix = QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, mapOf(EncodeHintType.MARGIN to 4))
        val width = matrix.width * scale
        val height = matrix.height * scale
        val stride = width + padding
        val plane = ByteArray(stride * height) { 0x40 }
        for (y in 0 until height) for (x in 0 until width) {
            plane[y * stride + x] = if (matrix.get(x / scale, y / scale)) 0x10 else 0xE0.toByte()
        }
        return Triple(plane, width, stride)
    }

    @Test
    fun theCameraIsAskedForOnlyOnTheTapAndOneScanIsOneIntent() {
        val sent = mutableListOf<ScreenIntent>()
        val flow = KeyScanFlow { sent += it }
        assertEquals(KeyScanState.Idle, flow.state)
        flow.onFrameText(key)
        assertTrue("no frame is read before the tap", sent.isEmpty())
        // Not granted yet: the tap asks; a refusal leaves pasting.
        assertTrue(flow.onScanTapped(granted = false))
        assertEquals(KeyScanState.AskingPermission, flow.state)
        assertFalse("no second dialog while one shows", flow.onScanTapped(granted = false))
        flow.onPermission(false)
        assertEquals(KeyScanState.Refused, flow.state)
        flow.onFrameText(key)
        assertTrue(sent.isEmpty())
        // Asked again on the next tap; granted: scanning, and the first text is the one sent.
        assertTrue(flow.onScanTapped(granted = false))
        flow.onPermission(true)
        assertEquals(KeyScanState.Scanning, flow.state)
        flow.onFrameText(null)
        flow.onFrameText("")
        flow.onFrameText(key)
        flow.onFrameText("a later frame")
        assertEquals(listOf<ScreenIntent>(ScreenIntent.ScanRecipientKey(key)), sent)
        assertEquals(KeyScanState.Idle, flow.state)
        // Already granted: no dialog. A huge code is cut before it reaches the core.
        assertFalse(flow.onScanTapped(granted = true))
        flow.onFrameText("x".repeat(10 * 1024))
        val last = sent.last() as ScreenIntent.ScanRecipientKey
        assertEquals(KeyScanFlow.MAX_SCANNED_CHARS, last.text.length)
        // Cancelled: later frames do nothing.
        flow.onScanTapped(granted = true)
        flow.cancel()
        flow.onFrameText(key)
        assertEquals(2, sent.size)
    }

    @Test
    fun aQrCodeInACameraFrameIsReadAndTheFrameIsZeroed() {
        val (plane, width, stride) = frame(key.uppercase())
        val height = plane.size / stride
        assertEquals(key.uppercase(), QrFrames.decode(plane, width, height, stride))
        assertTrue("the frame copy is zeroed", plane.all { it == 0.toByte() })
        // Noise, a blank frame and nonsense sizes: no text, no exception.
        val noise = java.util.Random(7).let { r -> ByteArray(320 * 240) { r.nextInt().toByte() } }
        assertNull(QrFrames.decode(noise, 320, 240, 320))
        assertNull(QrFrames.decode(ByteArray(100), 10, 10, 10))
        assertNull(QrFrames.decode(ByteArray(10), 100, 100, 100))
        assertNull(QrFrames.decode(ByteArray(10), -1, 5, 5))
    }

    @Test
    fun aScannedKeyFillsTheFormWithTheFingerprintAndGarbageIsOneLine() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.screens("UTC", "en").use { app ->
                app.dispatch(ScreenIntent.Next)
                app.dispatch(ScreenIntent.Next)
                app.dispatch(ScreenIntent.ChooseCode(code, code))
                app.dispatch(ScreenIntent.Open(Destination.SHARING))
                val flow = KeyScanFlow { app.dispatch(it) }
                flow.onScanTapped(granted = true)
                val (plane, width, stride) = frame("  " + key.uppercase() + "\n")
                flow.onFrameText(QrFrames.decode(plane, width, plane.size / stride, stride))
                val view = app.state.value.view as ScreenView.ShareRecipients
                assertEquals(key, view.form.key)
                assertEquals(core.sharing.fingerprint(key), view.fingerprint)
                assertTrue(view.errors.isEmpty())
                // A web address in a QR code: one line, the key already read stays.
                flow.onScanTapped(granted = true)
                flow.onFrameText("https://example.org/$key")
                val after = app.state.value.view as ScreenView.ShareRecipients
                assertEquals(1, after.errors.size)
                assertFalse(after.errors[0].message.contains("example.org"))
                assertEquals(key, after.form.key)
            }
        }
    }

    /**
     * The whole loop: the lawyer's laptop shows its key as a QR code in the terminal
     * (`waypoint share fingerprint --qr`, the real binary), the phone's decoder reads it from a
     * camera-like plane, and the core shows the same fingerprint the laptop printed.
     */
    @Test
    fun theQrCodeTheLaptopPrintsScansToTheKeyAndTheSameFingerprint() {
        val root = System.getProperty("waypoint.root") ?: "."
        val waypoint = java.io.File(root, "target/debug/waypoint")
        assertTrue("built by run-jvm-tests.sh: $waypoint", waypoint.canExecute())
        val process = ProcessBuilder(waypoint.path, "--data-dir", ShellTest.tempDir().path, "share", "fingerprint", "--qr", key)
            .redirectErrorStream(true)
            .start()
        val lines = process.inputStream.bufferedReader().readLines()
        assertEquals(0, process.waitFor())
        val printedFingerprint = lines.last()
        assertEquals(key, lines[lines.size - 2])
        val code = lines.dropLast(2)
        // Each character is two modules stacked: space, lower half, upper half, full block.
        val scale = 6
        val width = code.first().length * scale
        val height = code.size * 2 * scale
        val plane = ByteArray(width * height)
        for ((row, line) in code.withIndex()) for ((col, c) in line.withIndex()) {
            val top = c == '\u2580' || c == '\u2588'
            val bottom = c == '\u2584' || c == '\u2588'
            for (dy in 0 until 2 * scale) for (dx in 0 until scale) {
                val dark = if (dy < scale) top else bottom
                plane[(row * 2 * scale + dy) * width + col * scale + dx] = if (dark) 0x10 else 0xE0.toByte()
            }
        }
        val read = QrFrames.decode(plane, width, height, width)
        assertEquals(key, read)
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            assertEquals(printedFingerprint, core.sharing.fingerprint(read!!))
        }
    }
}

