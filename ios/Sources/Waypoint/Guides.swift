// The know-your-rights guides packaged in the core, then those the directory's publishers
// signed and sync delivered (ids `pub-…`, never replacing a packaged one) (rights regardless of immigration status,
// the T-visa and who can help apply, what happens when you call a hotline, staying safe with
// a phone): public information, signed and shipped with the app, so it works locked and
// before any vault exists, and stores nothing. Guide text holds nothing personal; what the
// survivor looked at is not recorded anywhere.
import Foundation

extension GuideList {
    /// The summary of the guide with `id`, if it is in this language's list.
    public func guide(id: String) -> GuideSummary? {
        guides.first { $0.id == id }
    }
}

extension GuideText {
    /// The public sources as URLs (those that parse).
    public var sourceURLs: [URL] { sources.compactMap { URL(string: $0.url) } }

    /// Whether this language's text still needs a native speaker's review.
    public var needsReview: Bool { reviewNote != nil }

    /// Whether the directory's publishers signed it (delivered by sync, id `pub-…`) rather
    /// than it coming with the app. Show `originText` (and `expiredNote`, when set) with it.
    public var isPublished: Bool { origin == "published" }
}

extension WaypointCore {
    /// Every guide (id, title, summary) in `language` (`es-MX`, `ar`, ...; the core falls back
    /// to English for a language it does not ship).
    public func guides(language: String = phoneLanguageTag) throws(WaypointError) -> GuideList {
        try core { try guidesFfi.list(languageTag: language) }
    }

    /// One guide in `language`: its sections, the "not legal advice" line, sources, the day
    /// it was last reviewed, and the kinds of help it links to with matching resources from
    /// the offline directory. An unknown id is `.invalidInput(field: "guide", ...)`.
    public func guide(id: String, language: String = phoneLanguageTag) throws(WaypointError) -> GuideText {
        try core { try guidesFfi.show(id: id, languageTag: language) }
    }
}
