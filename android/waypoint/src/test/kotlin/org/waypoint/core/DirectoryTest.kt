package org.waypoint.core

import java.nio.file.Files
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

// The URIs asserted here are exactly those the core's own tests pin
// (core/src/directory/tests.rs, core/src/directory/dial.rs).
class DirectoryTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-directory").toFile().also { it.deleteOnExit() }
    private val fast = VaultOptions(scryptLogN = 4)

    // Inside the packaged directory's validity (created 2026, not yet expired).
    private val now = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli()

    private fun WaypointCore.all(): List<DirectoryResource> =
        directory.search(DirectoryQuery(userLanguage = "en", limit = 500))

    @Test
    fun firstRunSearchFindsTheUsTraffickingHotlineWithCallAndTextActions() {
        WaypointCore.open(tempDir(), Clock { now }).use { core ->
            val info = core.directory.info()
            assertNotNull("a packaged directory is installed on first run", info)
            assertEquals("packaged", info!!.origin)
            assertFalse(info.stale)
            assertEquals(info.version, core.status().directoryVersion)

            // Works while the vault does not even exist: the directory is public data.
            val hits = core.directory.search(DirectoryQuery(text = "trafficking", userLanguage = "en"))
            val hotline = hits.single { it.id == "us-national-human-trafficking-hotline" }
            val call = hotline.actions.single { it.kind == DialKind.CALL }
            assertEquals("tel:+18883737888", call.uri)
            assertEquals("1-888-373-7888", call.display)
            assertFalse(call.localOnly)
            assertNull("a toll-free line carries no cost warning", call.warning)
            val text = hotline.actions.single { it.kind == DialKind.TEXT }
            assertEquals("sms:233733;phone-context=+1", text.uri)
            assertEquals("233733", text.display)
            assertTrue("a short code works only in its country", text.localOnly)
            assertNull("the packaged 233733 line has no keyword", text.keyword)

            // A keyword is shown next to the button and never embedded in the URI.
            val start = core.all().flatMap { it.actions }.single { it.uri.startsWith("sms:88788") }
            assertEquals("sms:88788;phone-context=+1", start.uri)
            assertEquals("START", start.keyword)

            assertEquals(hotline.name, core.directory.show(hotline.id, "en").name)
        }
    }

    @Test
    fun filtersByCategory() {
        WaypointCore.open(tempDir(), Clock { now }).use { core ->
            val emergency = core.directory.search(DirectoryQuery(categories = listOf("emergency"), userLanguage = "en", limit = 500))
            assertTrue(emergency.size >= 20)
            assertTrue(emergency.all { "emergency" in it.categories })
            assertTrue(emergency.any { it.id == "emergency-us" })
            assertFalse(emergency.any { it.id == "us-national-human-trafficking-hotline" })
            val hotlinesInUs = core.directory.search(
                DirectoryQuery(categories = listOf("hotline"), country = "US", userLanguage = "en", limit = 500),
            )
            assertTrue(hotlinesInUs.any { it.id == "us-national-human-trafficking-hotline" })
            assertTrue(hotlinesInUs.all { "hotline" in it.categories && "US" in it.countries })
            try {
                core.directory.search(DirectoryQuery(categories = listOf("nonsense")))
                fail("unknown category accepted")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("categories", e.field)
            }
        }
    }

    @Test
    fun shortCodesCarryPhoneContextAndGlobalNumbersAreE164() {
        WaypointCore.open(tempDir(), Clock { now }).use { core ->
            val uris = core.all().flatMap { it.actions }.associateBy { it.uri }
            val lifeline = uris["tel:988;phone-context=+1"]
            assertNotNull("988 dials as a US-local number", lifeline)
            assertTrue(lifeline!!.localOnly)
            assertEquals("what the dialer gets: no ';' it would read as wait", "tel:988", lifeline.launchUri)
            val france = core.directory.show("fr-116006-france-victimes", "fr").actions[0]
            assertEquals("tel:116006;phone-context=+33", france.uri)
            assertTrue(france.localOnly)
            val uk = uris["tel:+448000121700"]
            assertNotNull("UK modern slavery helpline in E.164", uk)
            assertEquals("08000 121 700", uk!!.display)
            assertFalse(uk.localOnly)
            assertEquals(uk.uri, uk.launchUri)
            assertNotNull(uris["tel:+611800737732"])
        }
    }

    @Test
    fun favouritesNeedTheVaultAndKeepTheNotePrivate() {
        WaypointCore.open(tempDir(), Clock { now }, fast).use { core ->
            try {
                core.directory.favourites()
                fail("favourites readable without a vault")
            } catch (e: WaypointException.Locked) {
            }
            core.vault.setUp("p")
            val fav = core.directory.addFavourite("us-national-human-trafficking-hotline", "call after 6pm")
            assertEquals(Instant.ofEpochMilli(now), fav.addedAt)
            assertFalse("toString is redacted", fav.toString().contains("6pm"))
            core.directory.setFavouriteNote(fav.id, "ask for Ana")
            assertEquals(listOf("ask for Ana"), core.directory.favourites().map { it.note })
            core.directory.removeFavourite(fav.id)
            assertTrue(core.directory.favourites().isEmpty())
        }
    }
}
