// A document's photo or scan on its way to the core: read into memory from the file picker's
// stream (capped), or compressed in memory from the camera's preview bitmap, and handed to the
// core as bytes, never written anywhere in plain text by the app. The name the core keeps is
// neutral ("scan-1a2b.jpg"): a picked file's own name can be personal. Plain Kotlin, tested on
// the JVM (DocumentScansTest).
package org.waypoint.app.shell

import java.io.InputStream
import org.waypoint.core.ffi.Intent as ScreenIntent

object DocumentScans {
    /** Largest photo or scan read (the core's attachment cap is the same). */
    const val MAX_BYTES: Long = 64L * 1024 * 1024

    /**
     * The whole of [input] in memory, or null when it is longer than [max] bytes (nothing
     * partial is kept: the buffer read so far is zeroed).
     */
    fun readCapped(input: InputStream, max: Long = MAX_BYTES): ByteArray? {
        val out = ZeroingBuffer()
        val buf = ByteArray(64 * 1024)
        try {
            while (true) {
                val n = input.read(buf)
                if (n < 0) break
                if (out.length + n > max) {
                    out.wipe()
                    return null
                }
                out.write(buf, 0, n)
            }
            return out.toByteArray().also { out.wipe() }
        } finally {
            buf.fill(0)
        }
    }

    /** A neutral file name for a scan of media type [mime]; [tag] makes it unique on screen. */
    fun neutralName(mime: String, tag: Long): String {
        val ext = when (mime.lowercase().substringBefore(';').trim()) {
            "image/jpeg", "image/jpg" -> "jpg"
            "image/png" -> "png"
            "image/heic" -> "heic"
            "image/webp" -> "webp"
            "application/pdf" -> "pdf"
            else -> "bin"
        }
        return "scan-" + java.lang.Long.toHexString(tag and 0xffff) + "." + ext
    }

    /**
     * The intent that hands [content] to the document editor, or null when there is nothing
     * to hand (the stream was too long or could not be read; the core says "The file is
     * empty." for an empty one).
     */
    fun attach(content: ByteArray?, mime: String?, tag: Long): ScreenIntent? {
        content ?: return null
        val type = mime?.takeIf { it.contains('/') && it.length < 128 } ?: "application/octet-stream"
        return ScreenIntent.Attach(neutralName(type, tag), type, content)
    }

    /** A ByteArrayOutputStream whose internal buffer can be zeroed. */
    private class ZeroingBuffer : java.io.ByteArrayOutputStream() {
        val length get() = count
        fun wipe() {
            buf.fill(0)
            count = 0
        }
    }
}
