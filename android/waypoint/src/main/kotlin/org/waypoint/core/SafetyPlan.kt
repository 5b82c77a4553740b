// The survivor's safety plan (in the vault) and the optional check-in.
//
// The plan has eight sections (warning signs, safe places, people to call, what to take, a
// code word, steps to leave, children, pets); each can be written, skipped for now, or
// cleared. Its guided words come from the core in the phone's language. Reading and
// changing the plan needs the vault unlocked (else WaypointException.Locked) and blocks
// briefly on the database: call it off the main thread.
//
// The check-in works locked: its answers only choose which kinds of help from the offline
// directory to suggest; they are never stored and never leave the phone.
//
// The wrapper is `SafetyPlanner` (as the core's object); the plan is [SafetyPlanContent]
// (UniFFI already names its record `SafetyPlan`). toString() of every type holding what the
// survivor wrote, or what the check-in suggests from their answers, is redacted.
package org.waypoint.core

import org.waypoint.core.ffi.CheckQuestion as FfiCheckQuestion
import org.waypoint.core.ffi.Section as FfiSection
import org.waypoint.core.ffi.ScreenDirection as FfiTextDirection

/** A section of the plan, in the order the plan shows them. */
enum class SafetySection { WARNING_SIGNS, SAFE_PLACES, PEOPLE_TO_CALL, WHAT_TO_TAKE, CODE_WORD, STEPS_TO_LEAVE, CHILDREN, PETS }

/** One section as stored. */
data class SafetyPlanSection(
    val section: SafetySection,
    /** Short items in the survivor's words (places, names and numbers, things, steps). */
    val items: List<String>,
    val notes: String?,
    /** Skipped for now (what it holds is kept). */
    val skipped: Boolean,
    /** When it last changed, if ever. */
    val updatedAtMs: Long?,
) {
    override fun toString() = "SafetyPlanSection(section=$section, skipped=$skipped)"
}

/** The whole plan: always all eight sections, in [SafetySection] order. */
data class SafetyPlanContent(val sections: List<SafetyPlanSection>, val revision: Long) {
    /** One section. */
    operator fun get(section: SafetySection): SafetyPlanSection = sections.first { it.section == section }
    override fun toString() = "SafetyPlanContent(revision=$revision)"
}

/** One section's guided words (a prompt that never blames or pushes, and an example). */
data class SafetySectionGuide(val section: SafetySection, val title: String, val prompt: String, val example: String) {
    override fun toString() = "SafetySectionGuide(section=$section)"
}

/** The plan's guided words in the phone's language; mirror the layout when [rightToLeft]. */
data class SafetyPlanGuide(
    val rightToLeft: Boolean,
    val title: String,
    val intro: String,
    val skip: String,
    val skipped: String,
    val empty: String,
    val sections: List<SafetySectionGuide>,
) {
    override fun toString() = "SafetyPlanGuide(sections=${sections.size})"
}

/** A check-in question. */
enum class CheckInQuestion { UNSAFE_NOW, NEED_PLACE, DOCUMENTS_HELD, HURT, FORCED_WORK, CHILDREN, FEELINGS, IMMIGRATION }

/** A question's words. */
data class CheckInQuestionText(val question: CheckInQuestion, val text: String) {
    override fun toString() = "CheckInQuestionText(question=$question)"
}

/** The check-in's words in the phone's language. */
data class CheckInForm(
    val rightToLeft: Boolean,
    val title: String,
    /** Says the answers are not kept and never leave the phone. */
    val intro: String,
    val yes: String,
    val no: String,
    val ratherNotSay: String,
    val questions: List<CheckInQuestionText>,
) {
    override fun toString() = "CheckInForm(questions=${questions.size})"
}

/**
 * A kind of help with matching directory resources (open them with `core.directory`).
 * Redacted in toString: after a check-in, the kind itself tells what was answered.
 */
data class HelpSuggestion(
    /** Directory category (wire name, e.g. `emergency_shelter`). */
    val category: String,
    /** Its name in the phone's language. */
    val label: String,
    val resourceIds: List<String>,
    val resourceNames: List<String>,
) {
    override fun toString() = "HelpSuggestion(resources=${resourceIds.size})"
}

/** What the check-in suggests, most urgent first. Nothing of it is stored. */
data class CheckInResult(val intro: String, val suggestions: List<HelpSuggestion>) {
    override fun toString() = "CheckInResult(suggestions=${suggestions.size})"
}

internal fun FfiTextDirection.isRtl() = this == FfiTextDirection.RTL

private fun SafetySection.toFfi() = when (this) {
    SafetySection.WARNING_SIGNS -> FfiSection.WARNING_SIGNS
    SafetySection.SAFE_PLACES -> FfiSection.SAFE_PLACES
    SafetySection.PEOPLE_TO_CALL -> FfiSection.PEOPLE_TO_CALL
    SafetySection.WHAT_TO_TAKE -> FfiSection.WHAT_TO_TAKE
    SafetySection.CODE_WORD -> FfiSection.CODE_WORD
    SafetySection.STEPS_TO_LEAVE -> FfiSection.STEPS_TO_LEAVE
    SafetySection.CHILDREN -> FfiSection.CHILDREN
    SafetySection.PETS -> FfiSection.PETS
}

private fun FfiSection.toKt() = when (this) {
    FfiSection.WARNING_SIGNS -> SafetySection.WARNING_SIGNS
    FfiSection.SAFE_PLACES -> SafetySection.SAFE_PLACES
    FfiSection.PEOPLE_TO_CALL -> SafetySection.PEOPLE_TO_CALL
    FfiSection.WHAT_TO_TAKE -> SafetySection.WHAT_TO_TAKE
    FfiSection.CODE_WORD -> SafetySection.CODE_WORD
    FfiSection.STEPS_TO_LEAVE -> SafetySection.STEPS_TO_LEAVE
    FfiSection.CHILDREN -> SafetySection.CHILDREN
    FfiSection.PETS -> SafetySection.PETS
}

private fun CheckInQuestion.toFfi() = when (this) {
    CheckInQuestion.UNSAFE_NOW -> FfiCheckQuestion.UNSAFE_NOW
    CheckInQuestion.NEED_PLACE -> FfiCheckQuestion.NEED_PLACE
    CheckInQuestion.DOCUMENTS_HELD -> FfiCheckQuestion.DOCUMENTS_HELD
    CheckInQuestion.HURT -> FfiCheckQuestion.HURT
    CheckInQuestion.FORCED_WORK -> FfiCheckQuestion.FORCED_WORK
    CheckInQuestion.CHILDREN -> FfiCheckQuestion.CHILDREN
    CheckInQuestion.FEELINGS -> FfiCheckQuestion.FEELINGS
    CheckInQuestion.IMMIGRATION -> FfiCheckQuestion.IMMIGRATION
}

private fun FfiCheckQuestion.toKt() = when (this) {
    FfiCheckQuestion.UNSAFE_NOW -> CheckInQuestion.UNSAFE_NOW
    FfiCheckQuestion.NEED_PLACE -> CheckInQuestion.NEED_PLACE
    FfiCheckQuestion.DOCUMENTS_HELD -> CheckInQuestion.DOCUMENTS_HELD
    FfiCheckQuestion.HURT -> CheckInQuestion.HURT
    FfiCheckQuestion.FORCED_WORK -> CheckInQuestion.FORCED_WORK
    FfiCheckQuestion.CHILDREN -> CheckInQuestion.CHILDREN
    FfiCheckQuestion.FEELINGS -> CheckInQuestion.FEELINGS
    FfiCheckQuestion.IMMIGRATION -> CheckInQuestion.IMMIGRATION
}

private fun org.waypoint.core.ffi.SafetyPlan.toKt() = SafetyPlanContent(
    sections.map { SafetyPlanSection(it.section.toKt(), it.content.items, it.content.notes, it.skipped, it.updatedAtMs) },
    revision.toLong(),
)

internal fun org.waypoint.core.ffi.SuggestedHelp.toKt() = HelpSuggestion(category, label, resourceIds, resourceNames)

/** The safety plan and check-in of one [WaypointCore]. Obtain it with [WaypointCore.safetyPlanner]. */
class SafetyPlanner internal constructor(private val core: WaypointCore) {
    private val ffi get() = core.safetyPlanFfi

    /** The plan: all eight sections (empty ones when never written). */
    fun get(): SafetyPlanContent = core { ffi.get().toKt() }

    /** Replaces what [section] holds; returns the whole plan. */
    fun setSection(section: SafetySection, items: List<String>, notes: String? = null): SafetyPlanContent =
        core { ffi.setSection(section.toFfi(), org.waypoint.core.ffi.SectionContent(items, notes)).toKt() }

    /** Marks [section] skipped for now; what it holds is kept. */
    fun skipSection(section: SafetySection): SafetyPlanContent = core { ffi.skipSection(section.toFfi()).toKt() }

    /** Empties [section]. */
    fun clearSection(section: SafetySection): SafetyPlanContent = core { ffi.clearSection(section.toFfi()).toKt() }

    /** Deletes the whole plan (also one that was set aside: that acknowledges it). */
    fun delete() = core { ffi.delete() }

    /**
     * 1 when the plan is set aside: not the version last saved (an older copy put back, also
     * after a delete, or its row removed) or damaged, or its manifest is missing; otherwise 0.
     * [get] then fails with a storage error until [delete].
     */
    fun damagedCount(): Int = core { ffi.damagedCount().toInt() }

    /** The guided words in the phone's language (`es-MX`, `ar`, ...); works locked. */
    fun guide(languageTag: String): SafetyPlanGuide = core {
        val g = ffi.guide(languageTag)
        SafetyPlanGuide(
            g.direction.isRtl(), g.title, g.intro, g.skip, g.skipped, g.empty,
            g.sections.map { SafetySectionGuide(it.section.toKt(), it.title, it.prompt, it.example) },
        )
    }

    /** The check-in's questions in the phone's language; works locked. */
    fun checkInForm(languageTag: String): CheckInForm = core {
        val f = ffi.checkForm(languageTag)
        CheckInForm(
            f.direction.isRtl(), f.title, f.intro, f.yes, f.no, f.ratherNotSay,
            f.questions.map { CheckInQuestionText(it.question.toKt(), it.text) },
        )
    }

    /**
     * Kinds of help the answers suggest, with directory resources of each kind, in the
     * phone's language. A question left out of [answers] is "rather not say". Nothing is
     * stored; works locked.
     */
    fun checkIn(answers: Map<CheckInQuestion, Boolean>, languageTag: String): CheckInResult = core {
        val r = ffi.checkIn(answers.map { (q, yes) -> org.waypoint.core.ffi.CheckAnswer(q.toFfi(), yes) }, languageTag)
        CheckInResult(r.intro, r.suggestions.map { it.toKt() })
    }
}

/** The safety plan of this data directory. */
val WaypointCore.safetyPlanner: SafetyPlanner get() = SafetyPlanner(this)
