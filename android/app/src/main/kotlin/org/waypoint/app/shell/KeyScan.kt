// Scanning a recipient's key with the camera: the shell logic around it, in plain Kotlin (tested
// on the JVM). The camera is asked for only when the survivor taps "scan" on the "people I share
// with" screen, never before; frames are decoded in memory, the copy of each frame's brightness
// plane is zeroed after use, and nothing of a frame is written anywhere. The first QR code read
// becomes one ScanRecipientKey intent (the core checks it: an age key with its fingerprint, or
// one clear line) and the camera stops.
//
// QR decoding is ZXing's core library (pure Java, Apache-2.0, no network, no Play Services):
// ML Kit and the Google code scanner bring Play Services and usage logging to Google, which
// this app rules out (docs/ANDROID.md, THREAT_MODEL.md).
package org.waypoint.app.shell

import com.google.zxing.BarcodeFormat
import com.google.zxing.BinaryBitmap
import com.google.zxing.DecodeHintType
import com.google.zxing.NotFoundException
import com.google.zxing.ChecksumException
import com.google.zxing.FormatException
import com.google.zxing.PlanarYUVLuminanceSource
import com.google.zxing.common.HybridBinarizer
import com.google.zxing.qrcode.QRCodeReader
import org.waypoint.core.ffi.Intent as ScreenIntent

/** Where the scan of a recipient key stands. */
sealed class KeyScanState {
    /** Not scanning: the screen shows the paste field and the scan button. */
    object Idle : KeyScanState()

    /** The platform's camera permission dialog is showing (asked on the tap, not before). */
    object AskingPermission : KeyScanState()

    /** The camera preview is open and frames are being read. */
    object Scanning : KeyScanState()

    /** The camera was refused: scanning is not offered again until the next tap; pasting works. */
    object Refused : KeyScanState()
}

/** The steps of one scan. Not thread-safe: called on the main thread (results posted to it). */
class KeyScanFlow(private val send: (ScreenIntent) -> Unit) {
    var state: KeyScanState = KeyScanState.Idle
        private set

    /**
     * The survivor tapped "scan". [granted]: whether the app holds the camera permission now.
     * Returns true when the shell must ask for it (the dialog's answer goes to [onPermission]).
     */
    fun onScanTapped(granted: Boolean): Boolean {
        if (state == KeyScanState.Scanning || state == KeyScanState.AskingPermission) return false
        return if (granted) {
            state = KeyScanState.Scanning
            false
        } else {
            state = KeyScanState.AskingPermission
            true
        }
    }

    /** The permission dialog's answer. */
    fun onPermission(granted: Boolean) {
        if (state != KeyScanState.AskingPermission) return
        state = if (granted) KeyScanState.Scanning else KeyScanState.Refused
    }

    /**
     * A frame's decoded text (null: no code in it). The first text while scanning goes to the
     * core and stops the camera; later frames (the camera delivers a few more) are ignored, so
     * the core sees one intent per scan. Text too long to be a key is never passed on whole:
     * the core receives a bounded prefix and answers with its one clear line.
     */
    fun onFrameText(text: String?) {
        if (state != KeyScanState.Scanning || text.isNullOrEmpty()) return
        state = KeyScanState.Idle
        send(ScreenIntent.ScanRecipientKey(text.take(MAX_SCANNED_CHARS)))
    }

    /** The survivor closed the camera, went back, or the app left the screen. */
    fun cancel() {
        state = KeyScanState.Idle
    }

    companion object {
        /** Longest text passed to the core (its own bound is 512 bytes; an age key is 62). */
        const val MAX_SCANNED_CHARS = 1024
    }
}

/** Reads QR codes from camera frames' brightness (Y) plane, in memory only. */
object QrFrames {
    private val hints = mapOf(
        DecodeHintType.POSSIBLE_FORMATS to listOf(BarcodeFormat.QR_CODE),
        DecodeHintType.TRY_HARDER to true,
        DecodeHintType.CHARACTER_SET to "UTF-8",
    )

    /**
     * The text of the QR code in the frame, or null. [plane] holds [height] rows of [rowStride]
     * bytes (the first [width] of each row are pixels), as CameraX's ImageProxy gives its first
     * plane. The plane is zeroed before returning: the caller passes its own copy.
     */
    fun decode(plane: ByteArray, width: Int, height: Int, rowStride: Int): String? {
        try {
            if (width <= 0 || height <= 0 || rowStride < width || plane.size < rowStride.toLong() * (height - 1) + width) {
                return null
            }
            val source = PlanarYUVLuminanceSource(plane, rowStride, height, 0, 0, width, height, false)
            return try {
                QRCodeReader().decode(BinaryBitmap(HybridBinarizer(source)), hints).text
            } catch (e: NotFoundException) {
                null
            } catch (e: ChecksumException) {
                null
            } catch (e: FormatException) {
                null
            }
        } finally {
            plane.fill(0)
        }
    }
}
