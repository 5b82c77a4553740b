package org.waypoint.core

import java.nio.file.Files
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/**
 * The idiomatic SafetyPlanner and Guides wrappers against the real core: a section written,
 * skipped (what it holds kept) and cleared, the plan deleted, the guided words and the
 * check-in in the phone's language (right to left for Arabic), the check-in's suggestions
 * from the directory working locked, and the guides in the phone's language.
 */
class SafetyPlanWrapperTest {
    private fun tempDir() = Files.createTempDirectory("waypoint-planwrap").toFile().also { it.deleteOnExit() }
    private val now = 1_768_381_200_000L

    @Test
    fun sectionsAreWrittenSkippedAndClearedThroughTheWrapper() {
        WaypointCore.open(tempDir(), Clock { now }, VaultOptions(scryptLogN = 4)).use { core ->
            core.vault.setUp("safety plan pass")
            val planner = core.safetyPlanner
            val empty = planner.get()
            assertEquals(0L, empty.revision)
            assertEquals(SafetySection.entries.toList(), empty.sections.map { it.section })
            assertTrue(empty.sections.all { it.items.isEmpty() && it.notes == null && !it.skipped && it.updatedAtMs == null })

            val written = planner.setSection(SafetySection.SAFE_PLACES, listOf("the library on 5th", "Ana's flat"), "after 6pm")
            assertEquals(1L, written.revision)
            val places = written[SafetySection.SAFE_PLACES]
            assertEquals(listOf("the library on 5th", "Ana's flat"), places.items)
            assertEquals("after 6pm", places.notes)
            assertEquals(now, places.updatedAtMs)
            planner.setSection(SafetySection.CODE_WORD, listOf("blue umbrella"))

            // Skipping keeps what the section holds; clearing empties it.
            val skipped = planner.skipSection(SafetySection.SAFE_PLACES)[SafetySection.SAFE_PLACES]
            assertTrue(skipped.skipped)
            assertEquals(listOf("the library on 5th", "Ana's flat"), skipped.items)
            assertTrue(planner.skipSection(SafetySection.PETS)[SafetySection.PETS].skipped)
            val cleared = planner.clearSection(SafetySection.CODE_WORD)
            assertTrue(cleared[SafetySection.CODE_WORD].items.isEmpty())
            assertNull(cleared[SafetySection.CODE_WORD].notes)
            assertEquals(5L, cleared.revision)
            assertEquals(cleared, planner.get())
            assertEquals("nothing set aside", 0, planner.damagedCount())

            // Locked: the plan is out of reach, the guided words and the check-in are not.
            core.vault.lock()
            try {
                planner.get()
                fail("the plan needs the vault unlocked")
            } catch (e: WaypointException.Locked) {
                // expected
            }
            assertEquals("Mi plan de seguridad", planner.guide("es-MX").title)
            core.vault.unlock("safety plan pass")
            assertEquals(cleared, planner.get())

            planner.delete()
            assertEquals(0, planner.damagedCount())
            assertEquals(0L, planner.get().revision)
            assertTrue(planner.get().sections.all { it.items.isEmpty() && !it.skipped })
        }
    }

    @Test
    fun guidedWordsAndTheCheckInSuggestHelpInThePhonesLanguage() {
        // No vault set up: the guided words and the check-in need none.
        WaypointCore.open(tempDir(), Clock { now }, VaultOptions(scryptLogN = 4)).use { core ->
            val planner = core.safetyPlanner
            val guide = planner.guide("es-MX")
            assertEquals("Mi plan de seguridad", guide.title)
            assertFalse(guide.rightToLeft)
            assertEquals(SafetySection.entries.toList(), guide.sections.map { it.section })
            assertTrue(guide.sections.all { it.prompt.isNotBlank() && it.example.isNotBlank() })
            assertTrue(planner.guide("ar").rightToLeft)

            val form = planner.checkInForm("en")
            assertEquals(CheckInQuestion.entries.toList(), form.questions.map { it.question })
            assertTrue(form.questions.all { it.text.isNotBlank() })

            val place = planner.checkIn(mapOf(CheckInQuestion.NEED_PLACE to true, CheckInQuestion.HURT to false), "en")
            assertEquals(listOf("emergency_shelter", "housing"), place.suggestions.map { it.category })
            assertTrue(place.suggestions.all { it.label.isNotBlank() && it.resourceIds.size == it.resourceNames.size })
            // Feeling unsafe now always puts emergency help first, whatever else was answered.
            val unsafe = planner.checkIn(mapOf(CheckInQuestion.NEED_PLACE to true, CheckInQuestion.UNSAFE_NOW to true), "en")
            assertEquals("emergency", unsafe.suggestions.first().category)
            // "No" and "rather not say" suggest nothing, with kind words still.
            val none = planner.checkIn(mapOf(CheckInQuestion.HURT to false), "en")
            assertTrue(none.suggestions.isEmpty())
            assertTrue(none.intro.isNotBlank())
        }
    }

    @Test
    fun guidesThroughTheWrapperInThePhonesLanguage() {
        WaypointCore.open(tempDir(), Clock { now }, VaultOptions(scryptLogN = 4)).use { core ->
            val list = core.guides.list("es-MX")
            assertEquals("es", list.language)
            assertEquals(listOf("rights", "t-visa", "hotline", "phone-safety"), list.guides.map { it.id })
            val phone = core.guides.show("phone-safety", "es-MX")
            assertTrue(phone.notAdvice.contains("no asesoría legal"))
            assertNull(phone.reviewNote)
            assertTrue(phone.sources.isNotEmpty() && phone.sources.all { it.url.startsWith("https://") })
            assertTrue(phone.lastReviewed.year >= 2025)
            assertNotNull(core.guides.show("hotline", "vi-VN").reviewNote)
            assertTrue(core.guides.show("rights", "ar").rightToLeft)
            try {
                core.guides.show("no-such-guide", "en")
                fail("an unknown id is refused")
            } catch (e: WaypointException.InvalidInput) {
                assertEquals("guide", e.field)
            }
        }
    }
}
