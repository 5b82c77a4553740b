package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.DialKind
import org.waypoint.core.directory

class LaunchIntentsTest {
    @Test
    fun callsDialTextsAndMailSendToPagesViewAndNothingElseOpens() {
        assertEquals(LaunchRequest(LaunchAction.DIAL, "tel:988"), LaunchIntents.forUri("tel:988"))
        assertEquals(LaunchAction.SENDTO, LaunchIntents.forUri("sms:+18884737888")?.action)
        assertEquals(LaunchAction.SENDTO, LaunchIntents.forUri("mailto:help@example.org")?.action)
        assertEquals(LaunchAction.VIEW, LaunchIntents.forUri("https://wa.me/18884737888")?.action)
        for (refused in listOf(
            "", "tel:", "http://example.org", "javascript:alert(1)", "intent://x#Intent;end",
            "content://contacts/1", "file:///sdcard/x", "https:", "https:x", "tel:988\n", " tel:988",
            "market://details?id=x", "988",
        )) {
            assertNull(refused, LaunchIntents.forUri(refused))
        }
    }

    @Test
    fun everyActionOfThePackagedDirectoryOpensWithTheRightIntent() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            val resources = core.directory.search(org.waypoint.core.DirectoryQuery())
            assertTrue("the packaged directory has resources", resources.isNotEmpty())
            var seen = 0
            for (r in resources) {
                for (a in core.directory.show(r.id, "en").actions) {
                    val req = LaunchIntents.forUri(a.launchUri)
                    assertNotNull(a.launchUri, req)
                    val expected = when (a.kind) {
                        DialKind.CALL, DialKind.TTY -> LaunchAction.DIAL
                        DialKind.TEXT, DialKind.EMAIL -> LaunchAction.SENDTO
                        DialKind.WHATSAPP, DialKind.WEB -> LaunchAction.VIEW
                    }
                    assertEquals(a.launchUri, expected, req!!.action)
                    seen++
                }
            }
            assertTrue("actions were checked", seen > 0)
        }
    }
}
