// The unlocked app's screens. Each draws what the core sent and forwards what the person
// did; forms keep the text being typed in @State (SwiftUI drops it with the view, e.g. on
// quick exit) and send every change to the core, which validates and keeps the draft.
import PhotosUI
import SwiftUI
import Waypoint

struct HomeView: View {
    let destinations: [Destination]
    /// Opening a section that could not be read: one line, never silence.
    let error: String?
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        List {
            if let error {
                Text(verbatim: error).font(.callout).foregroundStyle(.red)
            }
            ForEach(destinations, id: \.self) { d in
                Button { screens.send(.open(destination: d)) } label: {
                    SwiftUI.Label { words.text("destination:\(d.key)", d.title) } icon: { Image(systemName: d.symbol) }
                        .frame(minHeight: 44)
                }
            }
            Button { screens.send(.lock) } label: {
                SwiftUI.Label { words.text("lock", "Lock") } icon: { Image(systemName: "lock") }
                    .frame(minHeight: 44)
            }
        }
        .padding(.top, 44)
    }
}

extension Destination {
    var title: LocalizedStringKey {
        switch self {
        case .journal: return LocalizedStringKey("Journal")
        case .appointments: return LocalizedStringKey("Appointments")
        case .directory: return LocalizedStringKey("Directory")
        case .safetySettings: return LocalizedStringKey("Safety")
        case .syncStatus: return LocalizedStringKey("Directory updates")
        case .documents: return LocalizedStringKey("Documents")
        case .safetyPlan: return LocalizedStringKey("Safety plan")
        case .guides: return LocalizedStringKey("Guides")
        case .sharing: return LocalizedStringKey("Share")
        }
    }

    /// The stable key of the core's label for this destination (`destination:<key>`).
    var key: String {
        switch self {
        case .journal: return "journal"
        case .appointments: return "appointments"
        case .directory: return "directory"
        case .safetySettings: return "safety_settings"
        case .syncStatus: return "sync_status"
        case .documents: return "documents"
        case .safetyPlan: return "safety_plan"
        case .guides: return "guides"
        case .sharing: return "sharing"
        }
    }

    var symbol: String {
        switch self {
        case .journal: return "book"
        case .appointments: return "calendar"
        case .directory: return "phone"
        case .safetySettings: return "shield"
        case .syncStatus: return "arrow.triangle.2.circlepath"
        case .documents: return "doc.text"
        case .safetyPlan: return "list.bullet.clipboard"
        case .guides: return "book.closed"
        case .sharing: return "person.2"
        }
    }
}

/// A validation message from the core, under the field it names.
struct FieldErrors: View {
    let errors: [FieldError]
    let field: String

    var body: some View {
        ForEach(errors.filter { $0.field == field }, id: \.message) { e in
            Text(verbatim: e.message).font(.callout).foregroundStyle(.red)
        }
    }
}

// MARK: Journal

struct JournalListView: View {
    let query: String
    let rows: [EntryRow]
    /// Entries set aside (damaged, or changed outside the app): one line above the list.
    let notice: String?
    let screens: Screens
    @Environment(\.words) private var words
    @State private var search = ""

    var body: some View {
        List {
            Button { screens.send(.newEntry) } label: {
                SwiftUI.Label { words.text("new", "New entry") } icon: { Image(systemName: "square.and.pencil") }
            }
            Button { screens.send(.openExport) } label: {
                SwiftUI.Label { words.text("export", "Export") } icon: { Image(systemName: "square.and.arrow.up") }
            }
            if let notice {
                Text(verbatim: notice).font(.callout)
            }
            ForEach(rows, id: \.id) { row in
                Button { screens.send(.openEntry(id: row.id)) } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: row.title).font(.body)
                        Text(verbatim: row.timeText).font(.caption).foregroundStyle(.secondary)
                    }
                }
            }
        }
        .searchable(text: $search, prompt: words.text("hint", "Search"))
        .onSubmit(of: .search) { screens.send(.journalSearch(query: search)) }
        .onAppear { search = query }
        .privacySensitive()
    }
}

struct EntryEditorView: View {
    let attachments: [String]
    let errors: [FieldError]
    let screens: Screens
    @State private var form: EntryForm
    @State private var photo: PhotosPickerItem?
    @Environment(\.words) private var words

    init(form: EntryForm, attachments: [String], errors: [FieldError], screens: Screens) {
        self.attachments = attachments
        self.errors = errors
        self.screens = screens
        _form = State(initialValue: form)
    }

    var body: some View {
        Form {
            Section {
                field("field:title", "Title", $form.title)
                FieldErrors(errors: errors, field: "title")
                TextField(text: $form.body, prompt: words.text("field:body", "Text"), axis: .vertical) {
                    words.text("field:body", "Text")
                }
                .lineLimit(5...20)
                FieldErrors(errors: errors, field: "body")
                field("field:happened", "When (YYYY-MM-DD HH:MM)", $form.happened)
                    .keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "happened")
                field("field:mood", "Mood", $form.mood)
                field("field:tags", "Tags", $form.tags)
                field("field:place", "Place", $form.place)
            }
            Section(header: words.text("field:attachment", "Attachments")) {
                ForEach(attachments, id: \.self) { Text(verbatim: $0) }
                PhotosPicker(selection: $photo, matching: .images) { words.text("attach", "Attach a photo") }
                FieldErrors(errors: errors, field: "attachment")
            }
            Button { screens.send(.saveEntry) } label: { words.text("save", "Save") }
        }
        .autocorrectionDisabled()
        .privacySensitive()
        .onChange(of: form) { _, next in screens.send(.editEntry(form: next)) }
        .onChange(of: photo) { _, item in
            guard let item else { return }
            Task { @MainActor in
                // Straight into the core's pending attachment (sealed on save); never a file.
                if let data = try? await item.loadTransferable(type: Data.self) {
                    screens.send(.attach(name: "photo.jpg", mime: "image/jpeg", content: data))
                }
                photo = nil
            }
        }
    }
}

struct EvidenceExportView: View {
    let errors: [FieldError]
    let done: String?
    let screens: Screens
    @Environment(\.words) private var words
    @State private var passphrase = ""
    @State private var confirm = ""
    @State private var exported: URL?

    var body: some View {
        Form {
            Section {
                if let explain = words.string("explain") {
                    Text(verbatim: explain).font(.callout)
                }
                SecureField(text: $passphrase, prompt: words.text("field:passphrase", "Passphrase")) {
                    words.text("field:passphrase", "Passphrase")
                }
                SecureField(text: $confirm, prompt: words.text("field:confirm", "Confirm passphrase")) {
                    words.text("field:confirm", "Confirm passphrase")
                }
                ForEach(errors, id: \.message) { Text(verbatim: $0.message).foregroundStyle(.red) }
            }
            Button {
                // A temporary file the share sheet hands on; the core writes it encrypted.
                let url = ExportFiles.newURL()
                exported = url
                screens.send(.exportEvidence(passphrase: passphrase, confirm: confirm, destPath: url.path))
                passphrase = ""
                confirm = ""
            } label: {
                words.text("save", "Export")
            }
            if let done, let exported {
                Section {
                    Text(verbatim: done)
                    ShareLink(item: exported) { Text("Share") }
                }
            }
        }
        .privacySensitive()
        // Leaving the screen (back, or quick exit) removes the sealed copy from this phone.
        .onDisappear { ExportFiles.remove(exported) }
    }
}

// MARK: Appointments

struct AppointmentListView: View {
    let rows: [AppointmentRow]
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        List {
            Button { screens.send(.newAppointment) } label: {
                SwiftUI.Label { words.text("new", "New appointment") } icon: { Image(systemName: "plus") }
            }
            ForEach(rows, id: \.id) { row in
                Button { screens.send(.openAppointment(id: row.id)) } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: row.title)
                        Text(verbatim: row.timeText).font(.caption).foregroundStyle(.secondary)
                        if !row.reminders.isEmpty {
                            Text(verbatim: row.reminders).font(.caption2).foregroundStyle(.secondary)
                        }
                    }
                }
            }
        }
        .privacySensitive()
    }
}

struct AppointmentEditorView: View {
    let reminderLabels: [String]
    let errors: [FieldError]
    let screens: Screens
    @State private var form: AppointmentForm
    @State private var newReminderMinutes: UInt32 = 60
    @Environment(\.words) private var words

    init(form: AppointmentForm, reminderLabels: [String], errors: [FieldError], screens: Screens) {
        self.reminderLabels = reminderLabels
        self.errors = errors
        self.screens = screens
        _form = State(initialValue: form)
    }

    var body: some View {
        Form {
            Section {
                field("field:title", "Title", $form.title)
                FieldErrors(errors: errors, field: "title")
                Picker(selection: $form.kind) {
                    ForEach(AppointmentKind.shellOrder, id: \.self) { kind in
                        words.text("kind:\(kind.wireName)", kind.title).tag(kind)
                    }
                } label: {
                    words.text("field:kind", "Kind")
                }
                field("field:date", "Date (YYYY-MM-DD)", $form.date).keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "date")
                field("field:time", "Time (HH:MM)", $form.time).keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "time")
                field("field:duration", "Length in minutes", $form.durationMinutes).keyboardType(.numberPad)
                FieldErrors(errors: errors, field: "duration_minutes")
                field("field:place", "Place", $form.place)
                Picker(selection: $form.repeat) {
                    words.text("repeat:never", "Never").tag(Repeat.never)
                    words.text("repeat:daily", "Daily").tag(Repeat.daily)
                    words.text("repeat:weekly", "Weekly").tag(Repeat.weekly)
                    words.text("repeat:monthly", "Monthly").tag(Repeat.monthly)
                } label: {
                    words.text("field:repeat", "Repeat")
                }
            }
            Section(header: words.text("field:reminders", "Reminders")) {
                ForEach(Array(reminderLabels.enumerated()), id: \.offset) { index, label in
                    Text(verbatim: label)
                        .swipeActions {
                            Button(role: .destructive) {
                                if index < form.reminderMinutes.count { form.reminderMinutes.remove(at: index) }
                            } label: { Text("Remove") }
                        }
                }
                Stepper(value: $newReminderMinutes, in: 5...43_200, step: 5) {
                    Text("\(Int(newReminderMinutes)) min")
                }
                Button("Add reminder") { form.reminderMinutes.append(newReminderMinutes) }
                FieldErrors(errors: errors, field: "reminders")
            }
            Button { screens.send(.saveAppointment) } label: { words.text("save", "Save") }
        }
        .autocorrectionDisabled()
        .privacySensitive()
        .onChange(of: form) { _, next in screens.send(.editAppointment(form: next)) }
    }
}

extension AppointmentKind {
    static let shellOrder: [AppointmentKind] = [
        .court, .legal, .immigration, .medical, .mentalHealth, .caseWorker, .supportGroup, .medication, .other,
    ]

    /// The wire name the core's `kind:<name>` labels use.
    var wireName: String {
        switch self {
        case .court: return "court"
        case .legal: return "legal"
        case .immigration: return "immigration"
        case .medical: return "medical"
        case .mentalHealth: return "mental_health"
        case .caseWorker: return "case_worker"
        case .supportGroup: return "support_group"
        case .medication: return "medication"
        case .other: return "other"
        }
    }

    var title: LocalizedStringKey {
        switch self {
        case .court: return LocalizedStringKey("Court")
        case .legal: return LocalizedStringKey("Legal")
        case .immigration: return LocalizedStringKey("Immigration")
        case .medical: return LocalizedStringKey("Medical")
        case .mentalHealth: return LocalizedStringKey("Mental health")
        case .caseWorker: return LocalizedStringKey("Case worker")
        case .supportGroup: return LocalizedStringKey("Support group")
        case .medication: return LocalizedStringKey("Medication")
        case .other: return LocalizedStringKey("Other")
        }
    }
}

// MARK: Directory

struct DirectorySearchView: View {
    let rows: [ResourceRow]
    let screens: Screens
    @State private var filters: DirectoryFilters
    @Environment(\.words) private var words

    init(filters: DirectoryFilters, rows: [ResourceRow], screens: Screens) {
        self.rows = rows
        self.screens = screens
        _filters = State(initialValue: filters)
    }

    var body: some View {
        List {
            Section {
                Toggle(isOn: $filters.openNow) { words.text("field:open_now", "Open now") }
                Toggle(isOn: $filters.free) { words.text("field:free", "Free") }
            }
            ForEach(rows, id: \.id) { row in
                Button { screens.send(.openResource(id: row.id)) } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: row.name).font(.body)
                        Text(verbatim: row.organization).font(.caption).foregroundStyle(.secondary)
                        if !row.hours.isEmpty {
                            Text(verbatim: row.hours).font(.caption2).foregroundStyle(.secondary)
                        }
                    }
                }
            }
        }
        .searchable(text: $filters.text, prompt: words.text("field:text", "Search"))
        .onSubmit(of: .search) { screens.send(.searchDirectory(filters: filters)) }
        .onChange(of: filters.openNow) { _, _ in screens.send(.searchDirectory(filters: filters)) }
        .onChange(of: filters.free) { _, _ in screens.send(.searchDirectory(filters: filters)) }
    }
}

struct ResourceDetailView: View {
    let detail: ResourceDetail
    let screens: Screens

    var body: some View {
        List {
            Section {
                Text(verbatim: detail.name).font(.title3).accessibilityAddTraits(.isHeader)
                Text(verbatim: detail.organization).font(.subheadline)
                Text(verbatim: detail.description)
                ForEach(detail.addresses, id: \.self) { Text(verbatim: $0) }
                if !detail.eligibility.isEmpty { Text(verbatim: detail.eligibility).font(.callout) }
            }
            Section {
                ForEach(detail.actions, id: \.index) { action in
                    ActionButton(action: action) { screens.send(.takeAction(index: action.index)) }
                }
            }
        }
    }
}

/// One call/text/link button: the core's label and number, and its note (cost, keyword,
/// "only in this country") read with it.
struct ActionButton: View {
    let action: ActionRow
    let tap: () -> Void

    var body: some View {
        Button(action: tap) {
            VStack(alignment: .leading, spacing: 2) {
                Text(verbatim: "\(action.label): \(action.display)").font(.body)
                if let note = action.note {
                    Text(verbatim: note).font(.caption).foregroundStyle(.secondary)
                }
            }
            .frame(minHeight: 44)
        }
        .accessibilityElement(children: .combine)
    }
}

struct CallWarningView: View {
    let text: String
    let action: ActionRow
    let screens: Screens

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(verbatim: text).font(.body)
            ActionButton(action: action) { screens.send(.confirmCallWarning) }
                .buttonStyle(.borderedProminent)
        }
        .padding()
    }
}

// MARK: Settings and sync

struct SafetySettingsView: View {
    let aliasChoices: [String]
    let errors: [FieldError]
    let saved: Bool
    let screens: Screens
    let environment: AppEnvironment
    @State private var form: SafetyForm
    @State private var wipeOn: Bool
    @Environment(\.words) private var words

    init(form: SafetyForm, aliasChoices: [String], errors: [FieldError], saved: Bool, screens: Screens,
         environment: AppEnvironment) {
        self.aliasChoices = aliasChoices
        self.errors = errors
        self.saved = saved
        self.screens = screens
        self.environment = environment
        _form = State(initialValue: form)
        _wipeOn = State(initialValue: form.wipeAfterFailures != nil)
    }

    var body: some View {
        Form {
            Section {
                Picker(selection: $form.decoy) {
                    words.text("decoy:calculator", "Calculator").tag(DecoyChoice.calculator)
                    words.text("decoy:notes", "Notes").tag(DecoyChoice.notes)
                    words.text("decoy:weather", "Weather").tag(DecoyChoice.weather)
                } label: {
                    words.text("field:decoy", "Decoy")
                }
                Picker(selection: $form.launcherAlias) {
                    ForEach(aliasChoices, id: \.self) { alias in
                        Text(verbatim: words.string("alias:\(alias)") ?? alias).tag(alias)
                    }
                } label: {
                    words.text("field:launcher_alias", "Icon")
                }
                Stepper(value: $form.autoLockMinutes, in: 0...60) {
                    HStack {
                        words.text("field:auto_lock", "Lock after")
                        Spacer()
                        Text("\(Int(form.autoLockMinutes)) min")
                    }
                }
                Toggle(isOn: $form.quickExitWipes) { words.text("field:quick_exit_wipes", "Close also erases everything") }
                Toggle(isOn: $wipeOn) { words.text("field:wipe_after", "Erase after wrong codes") }
                if wipeOn {
                    Stepper(value: Binding(get: { form.wipeAfterFailures ?? 10 },
                                           set: { form.wipeAfterFailures = $0 }), in: 3...50) {
                        Text(verbatim: "\(form.wipeAfterFailures ?? 10)")
                    }
                }
                SecureField(text: $form.duressCode, prompt: words.text("field:duress", "New duress code")) {
                    words.text("field:duress", "New duress code")
                }
                .keyboardType(.numberPad)
                ForEach(errors, id: \.message) { Text(verbatim: $0.message).foregroundStyle(.red) }
            }
            Button { screens.send(.saveSafety) } label: { words.text("save", "Save") }
            if saved { words.text("saved", "Saved").foregroundStyle(.secondary) }
        }
        .privacySensitive()
        .onChange(of: wipeOn) { _, on in form.wipeAfterFailures = on ? (form.wipeAfterFailures ?? 10) : nil }
        .onChange(of: form) { _, next in screens.send(.editSafety(form: next)) }
        .onChange(of: saved) { _, nowSaved in
            // Saved settings may name another icon: switch now, while the app is active.
            guard nowSaved else { return }
            let core = environment.core
            Task { @MainActor in
                if let settings = try? core.disguiseSettings() {
                    await IconSwitcher(client: SystemIconClient()).apply(settings)
                }
            }
        }
    }
}

struct SyncStatusView: View {
    let lines: [String]
    let environment: AppEnvironment
    @State private var autoSync = SyncPreference.isOn
    @State private var running = false

    var body: some View {
        List {
            Section {
                ForEach(lines, id: \.self) { Text(verbatim: $0) }
            }
            Section {
                Toggle("Update the directory automatically", isOn: $autoSync)
                Button("Update now") { syncNow() }
                    .disabled(running || SyncPreference.serverURL == nil)
            }
        }
        .onChange(of: autoSync) { _, on in
            SyncPreference.isOn = on
            BackgroundRefresh.scheduleDirectorySync(after: environment.core.scheduledSyncJitter())
        }
    }

    /// A manual sync: no jitter, on a detached task (network timeouts), never the main actor.
    private func syncNow() {
        guard let server = SyncPreference.serverURL else { return }
        running = true
        let core = environment.core
        Task { @MainActor in
            _ = try? await core.syncDirectory(serverURL: server, timeoutSeconds: 30)
            running = false
        }
    }
}

extension View {
    /// A one-line text field named by the core's label `key` (the shell's `fallback` if the
    /// core sent none), used as both its placeholder and its VoiceOver name.
    func field(_ key: String, _ fallback: LocalizedStringKey, _ text: Binding<String>) -> some View {
        FieldRow(key: key, fallback: fallback, text: text)
    }
}

private struct FieldRow: View {
    let key: String
    let fallback: LocalizedStringKey
    @Binding var text: String
    @Environment(\.words) private var words

    var body: some View {
        TextField(text: $text, prompt: words.text(key, fallback)) { words.text(key, fallback) }
    }
}
