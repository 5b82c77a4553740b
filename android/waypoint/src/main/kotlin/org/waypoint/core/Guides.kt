// The know-your-rights guides: those packaged in the core (rights regardless of status, the
// T-visa and who can help apply, what happens when you call a hotline, staying safe with a
// phone), then those the directory's publishers signed and sync delivered (ids `pub-…`,
// never replacing a packaged one), in the phone's language, each with its sources, the day it was
// last reviewed and the kinds of help it links to in the offline directory. Works locked,
// before any vault exists, and stores nothing. The calls are quick (no disk writes; a
// directory query for the linked help).
//
// The text is public, but toString() shows ids and counts only, like every wrapper type:
// which guide someone opened is theirs to know.
package org.waypoint.core

import java.time.LocalDate

/** Where a guide comes from. */
enum class GuideOrigin {
    /** Compiled into the app. */
    PACKAGED,

    /** Signed by the directory's publishers and delivered by sync. */
    PUBLISHED,
    ;

    internal companion object {
        fun of(wire: String) = if (wire == "published") PUBLISHED else PACKAGED
    }
}

/** A guide in the list. */
data class GuideEntry(
    val id: String,
    val title: String,
    val summary: String,
    val origin: GuideOrigin = GuideOrigin.PACKAGED,
    val lastReviewed: String = "",
) {
    override fun toString() = "GuideEntry(id=$id)"
}

/** The list of guides; [language] is the one the text is in (`en`, `es`, `ar`, `vi`, `zh-Hans`). */
data class GuideIndex(
    val language: String,
    val rightToLeft: Boolean,
    val title: String,
    val intro: String,
    val guides: List<GuideEntry>,
) {
    override fun toString() = "GuideIndex(language=$language, guides=${guides.size})"
}

/** One section: [body] is paragraphs split by a blank line; lines starting "- " are a list. */
data class GuideSection(val heading: String, val body: String, val categories: List<String>) {
    override fun toString() = "GuideSection(categories=${categories.size})"
}

/** A public source of a guide. */
data class GuideSource(val name: String, val url: String) {
    override fun toString() = "GuideSource(<redacted>)"
}

/** A whole guide. Show [notAdvice] always, and [reviewNote] when present. */
data class Guide(
    val id: String,
    val language: String,
    val rightToLeft: Boolean,
    val title: String,
    val summary: String,
    val sections: List<GuideSection>,
    val notAdvice: String,
    /** Set when this language's text still needs a native speaker's review. */
    val reviewNote: String?,
    val lastReviewed: LocalDate,
    val lastReviewedText: String,
    val sourcesHeading: String,
    val sources: List<GuideSource>,
    val helpHeading: String,
    val help: List<HelpSuggestion>,
    val origin: GuideOrigin,
    /** Where it comes from, in words: show it with the guide. */
    val originText: String,
    /** For a published set past its renewal date (still shown): show it with the guide. */
    val expiredNote: String?,
) {
    override fun toString() = "Guide(id=$id, language=$language)"
}

/** The guides of one [WaypointCore]. Obtain it with [WaypointCore.guides]. */
class Guides internal constructor(private val core: WaypointCore) {
    private val ffi get() = core.guidesFfi

    /** Every guide in the phone's language (`es-MX`, `ar`, ...). */
    fun list(languageTag: String): GuideIndex = core {
        val l = ffi.list(languageTag)
        GuideIndex(l.language, l.direction.isRtl(), l.title, l.intro, l.guides.map { GuideEntry(it.id, it.title, it.summary, GuideOrigin.of(it.origin), it.lastReviewed) })
    }

    /** One guide by id (`rights`, `t-visa`, `hotline`, `phone-safety`, published `pub-…`); an unknown id is InvalidInput(field = "guide"). */
    fun show(id: String, languageTag: String): Guide = core {
        val g = ffi.show(id, languageTag)
        Guide(
            g.id, g.language, g.direction.isRtl(), g.title, g.summary,
            g.sections.map { GuideSection(it.heading, it.body, it.categories) },
            g.notAdvice, g.reviewNote,
            try {
                LocalDate.parse(g.lastReviewed)
            } catch (e: java.time.format.DateTimeParseException) {
                throw WaypointException.Internal("guide date is not YYYY-MM-DD", e)
            },
            g.lastReviewedText, g.sourcesHeading, g.sources.map { GuideSource(it.name, it.url) },
            g.helpHeading, g.help.map { it.toKt() },
            GuideOrigin.of(g.origin), g.originText, g.expiredNote,
        )
    }
}

/** The know-your-rights guides (public: works locked). */
val WaypointCore.guides: Guides get() = Guides(this)
