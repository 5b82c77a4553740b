package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import org.waypoint.core.ffi.WaypointApiException

/**
 * The exported Guides object through the generated bindings (the wrapper is tested in
 * SafetyPlanWrapperTest):
 * the packaged know-your-rights guides in the phone's language, before any vault exists,
 * with the review note for a language awaiting a native speaker, and a wrong id as a typed
 * exception.
 */
class GuidesTest {
    @Test
    fun guidesCrossTheBoundaryInThePhonesLanguage() {
        val dir = Files.createTempDirectory("waypoint-guides").toFile().also { it.deleteOnExit() }
        // 2026-01-14, no vault set up: guides are public information.
        WaypointCore.open(dir, Clock { 1_768_402_800_000 }, VaultOptions(scryptLogN = 4)).use { core ->
            core.ffi.guides().use { guides ->
                val list = guides.list("es-MX")
                assertEquals("es", list.language)
                assertEquals("Conoce tus derechos", list.title)
                assertEquals(4, list.guides.size)
                val phone = guides.show("phone-safety", "es-MX")
                assertTrue(phone.notAdvice.contains("no asesoría legal"))
                assertNull(phone.reviewNote)
                assertEquals("packaged", phone.origin)
                assertEquals("Viene con la aplicación.", phone.originText)
                assertNull(phone.expiredNote)
                assertTrue(list.guides.all { it.origin == "packaged" && it.lastReviewed.isNotEmpty() })
                assertTrue(phone.sections.all { it.categories.isNotEmpty() })
                assertNotNull(guides.show("hotline", "vi-VN").reviewNote)
                try {
                    guides.show("no-such-guide", "en")
                    fail("an unknown id is refused")
                } catch (e: WaypointApiException.InvalidInput) {
                    assertEquals("guide", e.field)
                }
            }
        }
    }
}
