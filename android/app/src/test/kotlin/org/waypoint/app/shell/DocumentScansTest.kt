package org.waypoint.app.shell

import java.io.ByteArrayInputStream
import java.io.InputStream
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.Destination
import org.waypoint.core.screens
import org.waypoint.core.ffi.DocumentForm
import org.waypoint.core.ffi.DocumentType
import org.waypoint.core.ffi.Intent as ScreenIntent
import org.waypoint.core.ffi.View as ScreenView

/** A picked file or camera photo reaches the document editor as capped bytes with a neutral name. */
class DocumentScansTest {
    private val code = "40571986"

    @Test
    fun aPickedFileIsReadWholeUpToTheCapAndNamedNeutrally() {
        val bytes = ByteArray(200_000) { (it % 251).toByte() }
        assertArrayEquals(bytes, DocumentScans.readCapped(ByteArrayInputStream(bytes)))
        assertNull("over the cap: nothing", DocumentScans.readCapped(ByteArrayInputStream(bytes), max = 199_999))
        assertEquals(0, DocumentScans.readCapped(ByteArrayInputStream(ByteArray(0)))!!.size)
        // A stream that never ends stops at the cap.
        val endless = object : InputStream() {
            override fun read(): Int = 1
            override fun read(b: ByteArray, off: Int, len: Int): Int { b.fill(1, off, off + len); return len }
        }
        assertNull(DocumentScans.readCapped(endless, max = 1_000_000))
        assertEquals("scan-beef.jpg", DocumentScans.neutralName("image/jpeg", 0xdeadbeef))
        assertEquals("scan-1.pdf", DocumentScans.neutralName("application/pdf; x=y", 1))
        assertEquals("scan-1.bin", DocumentScans.neutralName("text/x-my-own-name", 1))
        val intent = DocumentScans.attach(bytes, "image/png", 2) as ScreenIntent.Attach
        assertEquals("scan-2.png", intent.name)
        assertEquals("image/png", intent.mime)
        assertEquals("application/octet-stream", (DocumentScans.attach(bytes, "nonsense", 3) as ScreenIntent.Attach).mime)
        assertNull(DocumentScans.attach(null, "image/png", 4))
    }

    @Test
    fun aScanHandedToTheEditorIsStoredWithTheDocument() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            core.screens("UTC", "en").use { app ->
                app.dispatch(ScreenIntent.Next)
                app.dispatch(ScreenIntent.Next)
                app.dispatch(ScreenIntent.ChooseCode(code, code))
                app.dispatch(ScreenIntent.Open(Destination.DOCUMENTS))
                app.dispatch(ScreenIntent.NewDocument)
                app.dispatch(ScreenIntent.EditDocument(DocumentForm(DocumentType.VISA, "mine", "", "", "", "", "", emptyList())))
                val photo = byteArrayOf(0xff.toByte(), 0xd8.toByte(), 0xff.toByte(), 1, 2, 3)
                val editor = app.dispatch(DocumentScans.attach(DocumentScans.readCapped(ByteArrayInputStream(photo)), "image/jpeg", 9)!!)
                val view = editor.view as ScreenView.DocumentEditor
                assertEquals("scan-9.jpg", view.file)
                assertTrue(view.fileChanged)
                val list = app.dispatch(ScreenIntent.SaveDocument).view as ScreenView.DocumentList
                assertEquals(1, list.rows.size)
                assertTrue(list.rows[0].hasFile)
                assertFalse(list.rows[0].label.isEmpty())
            }
        }
    }
}
