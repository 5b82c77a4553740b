// The documents list, the safety plan and the know-your-rights guides. Each draws what the
// core sent (its words, in its language) and forwards what the person did. VoiceOver reads
// the core's words and nothing else: no control is named after what the app is.
import SwiftUI
import Waypoint

// MARK: Documents

struct DocumentListView: View {
    let rows: [DocumentRow]
    /// Documents set aside (damaged, or changed outside the app): one line above the list.
    let notice: String?
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        List {
            DocumentListActions(screens: screens)
            if let notice {
                Text(verbatim: notice).font(.callout)
            }
            if rows.isEmpty, let empty = words.string("empty") {
                Text(verbatim: empty).font(.callout).foregroundStyle(.secondary)
            }
            ForEach(rows, id: \.id) { row in
                Button { screens.send(.openDocument(id: row.id)) } label: { documentRow(row) }
            }
        }
        .privacySensitive()
    }

    private func documentRow(_ row: DocumentRow) -> some View {
        HStack(alignment: .firstTextBaseline, spacing: 8) {
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: row.label.isEmpty ? row.kindText : row.label).font(.body)
                if !row.label.isEmpty {
                    Text(verbatim: row.kindText).font(.caption).foregroundStyle(.secondary)
                }
                if !row.expiryText.isEmpty {
                    Text(verbatim: row.expiryText).font(.caption2).foregroundStyle(.secondary)
                }
            }
            Spacer(minLength: 0)
            if row.hasFile {
                // A mark only; the row's words say what the document is.
                Image(systemName: "paperclip").foregroundStyle(.secondary).accessibilityHidden(true)
            }
        }
        .frame(minHeight: 44)
        .accessibilityElement(children: .combine)
    }
}

// MARK: Safety plan

struct SafetyPlanView: View {
    let intro: String
    let sections: [PlanSectionRow]
    /// The plan could not be opened (set aside) or checked: one line.
    let notice: String?
    /// Set aside: only "delete it and start again" is offered; nothing of it is shown.
    let canRestart: Bool
    /// The core asks before deleting (`confirmRestartSafetyPlan`).
    let confirmRestart: Bool
    /// A save that failed: one line.
    let error: String?
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        List {
            if let notice {
                Text(verbatim: notice).font(.callout)
            }
            if let error {
                Text(verbatim: error).font(.callout).foregroundStyle(.red)
            }
            if canRestart {
                Button(role: .destructive) { screens.send(.restartSafetyPlan) } label: {
                    words.text("restart", "Delete it and start again").frame(minHeight: 44)
                }
            } else {
                if !intro.isEmpty {
                    Text(verbatim: intro).font(.callout)
                }
                ForEach(sections, id: \.section) { row in
                    PlanSectionEditor(row: row, screens: screens)
                        // A new draft when the core's copy changes (after a save or a skip).
                        .id(PlanSectionKey(row))
                }
            }
        }
        .autocorrectionDisabled()
        .privacySensitive()
        // Dismissing the question any way but "delete" is Back, which keeps the plan.
        .confirmationDialog(Text(verbatim: words.string("restart_confirm") ?? ""),
                            isPresented: Binding(get: { confirmRestart },
                                                 set: { shown in if !shown && confirmRestart { screens.send(.back) } }),
                            titleVisibility: .visible) {
            Button(role: .destructive) { screens.send(.confirmRestartSafetyPlan) } label: {
                words.text("confirm_restart", "Delete and start again")
            }
            // Its dismissal sends Back (above); one Back only, or the plan screen would close too.
            Button(role: .cancel) {} label: { words.text("keep", "Not now") }
        }
    }
}

/// What makes a section's editor start again from the core's copy.
private struct PlanSectionKey: Hashable {
    let section: SafetyPlanSection
    let items: [String]
    let notes: String
    let skipped: Bool

    init(_ row: PlanSectionRow) {
        section = row.section
        items = row.items
        notes = row.notes
        skipped = row.skipped
    }
}

/// One section: the guided prompt and example, what was written (one item a line), notes,
/// and Save / Skip. The text stays in @State, so quick exit drops it with the view.
struct PlanSectionEditor: View {
    let row: PlanSectionRow
    let screens: Screens
    @State private var items: String
    @State private var notes: String
    @Environment(\.words) private var words

    init(row: PlanSectionRow, screens: Screens) {
        self.row = row
        self.screens = screens
        _items = State(initialValue: row.items.joined(separator: "\n"))
        _notes = State(initialValue: row.notes)
    }

    var body: some View {
        Section {
            Text(verbatim: row.prompt).font(.callout)
            if !row.status.isEmpty {
                Text(verbatim: row.status).font(.caption).foregroundStyle(.secondary)
            }
            TextField(text: $items, prompt: Text(verbatim: row.example), axis: .vertical) {
                Text(verbatim: row.title)
            }
            .lineLimit(2...12)
            TextField(text: $notes, prompt: words.text("field:notes", "Notes"), axis: .vertical) {
                words.text("field:notes", "Notes")
            }
            .lineLimit(1...8)
            HStack {
                Button {
                    screens.send(.savePlanSection(section: row.section, items: lines(items), notes: notes))
                } label: {
                    words.text("save", "Save").frame(minHeight: 44)
                }
                .buttonStyle(.borderless)
                Spacer()
                if !row.skipped {
                    Button { screens.send(.skipPlanSection(section: row.section)) } label: {
                        words.text("skip", "Skip for now").frame(minHeight: 44)
                    }
                    .buttonStyle(.borderless)
                    .foregroundStyle(.secondary)
                }
            }
        } header: {
            Text(verbatim: row.title).accessibilityAddTraits(.isHeader)
        }
    }

    /// One item a line; blank lines are not items.
    private func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

// MARK: Guides

struct GuideListView: View {
    let intro: String
    let guides: [GuideSummary]
    let screens: Screens

    var body: some View {
        List {
            if !intro.isEmpty {
                Text(verbatim: intro).font(.callout)
            }
            ForEach(guides, id: \.id) { guide in
                Button { screens.send(.openGuide(id: guide.id)) } label: {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(verbatim: guide.title).font(.body)
                        Text(verbatim: guide.summary).font(.caption).foregroundStyle(.secondary)
                        // Where it comes from (packaged or published) and when it was reviewed.
                        Text(verbatim: guide.originText).font(.caption2).foregroundStyle(.secondary)
                        Text(verbatim: guide.lastReviewedText).font(.caption2).foregroundStyle(.secondary)
                    }
                    .frame(minHeight: 44, alignment: .leading)
                }
                .accessibilityElement(children: .combine)
            }
        }
    }
}

struct GuideView: View {
    let guide: GuideText
    let screens: Screens

    var body: some View {
        List {
            Section {
                Text(verbatim: guide.title).font(.title3).accessibilityAddTraits(.isHeader)
                Text(verbatim: guide.summary)
                if let note = guide.reviewNote {
                    Text(verbatim: note).font(.caption).foregroundStyle(.secondary)
                }
            }
            ForEach(Array(guide.sections.enumerated()), id: \.offset) { _, section in
                Section {
                    Text(verbatim: section.body)
                } header: {
                    Text(verbatim: section.heading).accessibilityAddTraits(.isHeader)
                }
            }
            if !guide.help.isEmpty {
                Section {
                    ForEach(guide.help, id: \.category) { help in
                        Text(verbatim: help.label).font(.subheadline)
                        ForEach(Array(zip(help.resourceIds, help.resourceNames)), id: \.0) { id, name in
                            Button { screens.send(.openResource(id: id)) } label: {
                                Text(verbatim: name).frame(minHeight: 44, alignment: .leading)
                            }
                        }
                    }
                } header: {
                    Text(verbatim: guide.helpHeading).accessibilityAddTraits(.isHeader)
                }
            }
            Section {
                Text(verbatim: guide.notAdvice).font(.callout)
                Text(verbatim: guide.lastReviewedText).font(.caption).foregroundStyle(.secondary)
                Text(verbatim: guide.originText).font(.caption).foregroundStyle(.secondary)
                if let note = guide.expiredNote {
                    Text(verbatim: note).font(.caption)
                }
            }
            Section {
                // Shown, not linked: opening a source in the browser would leave it in the
                // browser's history. The address can be copied.
                ForEach(guide.sources, id: \.url) { source in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: source.name)
                        Text(verbatim: source.url).font(.caption).foregroundStyle(.secondary)
                    }
                    .textSelection(.enabled)
                    .accessibilityElement(children: .combine)
                }
            } header: {
                Text(verbatim: guide.sourcesHeading).accessibilityAddTraits(.isHeader)
            }
        }
    }
}
