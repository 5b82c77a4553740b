// The survivor's safety plan for app code on iOS (the generated `SafetyPlan` record is the
// plan itself; the exported object behind these methods is `SafetyPlanner`): eight guided
// sections, each written, skipped for now, or empty, sealed in the vault (needs it unlocked).
// The optional check-in works locked: its answers are never stored and never leave the
// phone; they only suggest kinds of help from the directory.
//
// Everything the survivor writes (places, names, numbers, a code word) and every check-in
// answer is personal: the types holding them print redacted.
import Foundation

/// The core's plan `Section` under a name that does not clash with `SwiftUI.Section` in app
/// code (which imports both modules).
public typealias SafetyPlanSection = Section

/// The phone's language as a BCP 47 tag (`es-MX`, `zh-Hans-CN`), as the core expects it.
public var phoneLanguageTag: String { Locale.current.identifier(.bcp47) }

extension SafetyPlan: CustomStringConvertible, CustomDebugStringConvertible {
    /// What `section` holds (every plan has all eight).
    public func section(_ which: Section) -> PlanSection? {
        sections.first { $0.section == which }
    }

    public var description: String { "SafetyPlan(revision: \(revision), sections: \(sections.count))" }
    public var debugDescription: String { description }
}

extension PlanSection: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "PlanSection(\(section), skipped: \(skipped), items: \(content.items.count))" }
    public var debugDescription: String { description }
}

extension SectionContent: CustomStringConvertible, CustomDebugStringConvertible {
    /// Items in the survivor's own words and optional notes.
    public init(_ items: [String], notes: String? = nil) {
        self.init(items: items, notes: notes)
    }

    public var description: String { "SectionContent(<redacted>)" }
    public var debugDescription: String { description }
}

extension PlanSectionRow: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "PlanSectionRow(\(section), skipped: \(skipped))" }
    public var debugDescription: String { description }
}

extension CheckAnswer: CustomStringConvertible, CustomDebugStringConvertible {
    // Even which question was answered yes says something about the person: never printed.
    public var description: String { "CheckAnswer(<redacted>)" }
    public var debugDescription: String { description }
}

extension CheckResult: CustomStringConvertible, CustomDebugStringConvertible {
    // The suggestions follow from the answers, so they are as private as the answers.
    public var description: String { "CheckResult(<redacted>)" }
    public var debugDescription: String { description }
}

extension WaypointCore {
    /// The plan: all eight sections, in order (empty ones when never written).
    public func safetyPlan() throws(WaypointError) -> SafetyPlan {
        try core { try safetyPlannerFfi.get() }
    }

    /// Replaces what `section` holds; returns the whole plan.
    @discardableResult
    public func setPlanSection(_ section: Section, _ content: SectionContent) throws(WaypointError) -> SafetyPlan {
        try core { try safetyPlannerFfi.setSection(section: section, content: content) }
    }

    /// Marks `section` skipped for now (what it holds is kept); returns the whole plan.
    @discardableResult
    public func skipPlanSection(_ section: Section) throws(WaypointError) -> SafetyPlan {
        try core { try safetyPlannerFfi.skipSection(section: section) }
    }

    /// Empties `section`; returns the whole plan.
    @discardableResult
    public func clearPlanSection(_ section: Section) throws(WaypointError) -> SafetyPlan {
        try core { try safetyPlannerFfi.clearSection(section: section) }
    }

    /// Deletes the whole plan (also one that was set aside: that acknowledges it).
    public func deleteSafetyPlan() throws(WaypointError) {
        try core { try safetyPlannerFfi.delete() }
    }

    /// 1 when the plan is set aside: not the version last saved (an older copy put back,
    /// also after a delete, or its row removed) or damaged, or its manifest is missing;
    /// otherwise 0. Reading the plan then fails with a storage error until it is deleted.
    public func damagedSafetyPlanCount() throws(WaypointError) -> UInt32 {
        try core { try safetyPlannerFfi.damagedCount() }
    }

    /// The plan's guided words (titles, prompts that say a section can be skipped, examples)
    /// in `language` (`es-MX`, `ar`, ...; the core falls back to English). Works locked.
    public func safetyPlanGuide(language: String = phoneLanguageTag) -> PlanGuide {
        safetyPlannerFfi.guide(languageTag: language)
    }

    /// The check-in's questions in `language`. Works locked.
    public func safetyCheckForm(language: String = phoneLanguageTag) -> CheckForm {
        safetyPlannerFfi.checkForm(languageTag: language)
    }

    /// Kinds of help from the directory that `answers` suggest (a question not answered is
    /// left out). Nothing is stored; works locked.
    public func safetyCheckIn(_ answers: [CheckAnswer],
                              language: String = phoneLanguageTag) throws(WaypointError) -> CheckResult {
        try core { try safetyPlannerFfi.checkIn(answers: answers, languageTag: language) }
    }
}
