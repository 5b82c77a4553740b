// The unlocked app's screens. Each draws what the core sent and forwards what the person
// did; forms keep the text being typed in @State (SwiftUI drops it with the view, e.g. on
// quick exit) and send every change to the core, which validates and keeps the draft.
import PhotosUI
import SwiftUI
import Waypoint

struct HomeView: View {
    let destinations: [Destination]
    let screens: Screens

    var body: some View {
        List {
            ForEach(destinations, id: \.self) { d in
                Button { screens.send(.open(destination: d)) } label: {
                    Label(d.title, systemImage: d.symbol)
                        .frame(minHeight: 44)
                }
            }
            Button { screens.send(.lock) } label: {
                Label("Lock", systemImage: "lock")
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
        }
    }

    var symbol: String {
        switch self {
        case .journal: return "book"
        case .appointments: return "calendar"
        case .directory: return "phone"
        case .safetySettings: return "shield"
        case .syncStatus: return "arrow.triangle.2.circlepath"
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
    let screens: Screens
    @State private var search = ""

    var body: some View {
        List {
            Button { screens.send(.newEntry) } label: { Label("New entry", systemImage: "square.and.pencil") }
            Button { screens.send(.openExport) } label: { Label("Export", systemImage: "square.and.arrow.up") }
            ForEach(rows, id: \.id) { row in
                Button { screens.send(.openEntry(id: row.id)) } label: {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(verbatim: row.title).font(.body)
                        Text(verbatim: row.timeText).font(.caption).foregroundStyle(.secondary)
                    }
                }
            }
        }
        .searchable(text: $search, prompt: Text("Search"))
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

    init(form: EntryForm, attachments: [String], errors: [FieldError], screens: Screens) {
        self.attachments = attachments
        self.errors = errors
        self.screens = screens
        _form = State(initialValue: form)
    }

    var body: some View {
        Form {
            Section {
                TextField("Title", text: $form.title)
                FieldErrors(errors: errors, field: "title")
                TextField("Text", text: $form.body, axis: .vertical).lineLimit(5...20)
                FieldErrors(errors: errors, field: "body")
                TextField("When (YYYY-MM-DD HH:MM)", text: $form.happened)
                    .keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "happened")
                TextField("Mood", text: $form.mood)
                TextField("Tags", text: $form.tags)
                TextField("Place", text: $form.place)
            }
            Section(header: Text("Attachments")) {
                ForEach(attachments, id: \.self) { Text(verbatim: $0) }
                PhotosPicker(selection: $photo, matching: .images) { Text("Attach a photo") }
                FieldErrors(errors: errors, field: "attachment")
            }
            Button("Save") { screens.send(.saveEntry) }
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
    @State private var passphrase = ""
    @State private var confirm = ""
    @State private var exported: URL?

    var body: some View {
        Form {
            Section {
                SecureField("Passphrase", text: $passphrase)
                SecureField("Confirm passphrase", text: $confirm)
                ForEach(errors, id: \.message) { Text(verbatim: $0.message).foregroundStyle(.red) }
            }
            Button("Export") {
                // A temporary file the share sheet hands on; the core writes it encrypted.
                let url = FileManager.default.temporaryDirectory
                    .appendingPathComponent(UUID().uuidString).appendingPathExtension("age")
                exported = url
                screens.send(.exportEvidence(passphrase: passphrase, confirm: confirm, destPath: url.path))
                passphrase = ""
                confirm = ""
            }
            if let done, let exported {
                Section {
                    Text(verbatim: done)
                    ShareLink(item: exported) { Text("Share") }
                }
            }
        }
        .privacySensitive()
    }
}

// MARK: Appointments

struct AppointmentListView: View {
    let rows: [AppointmentRow]
    let screens: Screens

    var body: some View {
        List {
            Button { screens.send(.newAppointment) } label: { Label("New appointment", systemImage: "plus") }
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

    init(form: AppointmentForm, reminderLabels: [String], errors: [FieldError], screens: Screens) {
        self.reminderLabels = reminderLabels
        self.errors = errors
        self.screens = screens
        _form = State(initialValue: form)
    }

    var body: some View {
        Form {
            Section {
                TextField("Title", text: $form.title)
                FieldErrors(errors: errors, field: "title")
                Picker("Kind", selection: $form.kind) {
                    ForEach(AppointmentKind.shellOrder, id: \.self) { Text($0.title).tag($0) }
                }
                TextField("Date (YYYY-MM-DD)", text: $form.date).keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "date")
                TextField("Time (HH:MM)", text: $form.time).keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "time")
                TextField("Length in minutes", text: $form.durationMinutes).keyboardType(.numberPad)
                FieldErrors(errors: errors, field: "duration_minutes")
                TextField("Place", text: $form.place)
                Picker("Repeat", selection: $form.repeat) {
                    Text("Never").tag(Repeat.never)
                    Text("Daily").tag(Repeat.daily)
                    Text("Weekly").tag(Repeat.weekly)
                    Text("Monthly").tag(Repeat.monthly)
                }
            }
            Section(header: Text("Reminders")) {
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
            Button("Save") { screens.send(.saveAppointment) }
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

    init(filters: DirectoryFilters, rows: [ResourceRow], screens: Screens) {
        self.rows = rows
        self.screens = screens
        _filters = State(initialValue: filters)
    }

    var body: some View {
        List {
            Section {
                Toggle("Open now", isOn: $filters.openNow)
                Toggle("Free", isOn: $filters.free)
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
        .searchable(text: $filters.text, prompt: Text("Search"))
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
    @State private var form: SafetyForm
    @State private var wipeOn: Bool

    init(form: SafetyForm, aliasChoices: [String], errors: [FieldError], saved: Bool, screens: Screens) {
        self.aliasChoices = aliasChoices
        self.errors = errors
        self.saved = saved
        self.screens = screens
        _form = State(initialValue: form)
        _wipeOn = State(initialValue: form.wipeAfterFailures != nil)
    }

    var body: some View {
        Form {
            Section {
                Picker("Decoy", selection: $form.decoy) {
                    Text("Calculator").tag(DecoyChoice.calculator)
                    Text("Notes").tag(DecoyChoice.notes)
                    Text("Weather").tag(DecoyChoice.weather)
                }
                Picker("Icon", selection: $form.launcherAlias) {
                    ForEach(aliasChoices, id: \.self) { Text(verbatim: $0).tag($0) }
                }
                Stepper(value: $form.autoLockMinutes, in: 0...60) {
                    Text("Lock after \(Int(form.autoLockMinutes)) min")
                }
                Toggle("Close also erases everything", isOn: $form.quickExitWipes)
                Toggle("Erase after wrong codes", isOn: $wipeOn)
                if wipeOn {
                    Stepper(value: Binding(get: { form.wipeAfterFailures ?? 10 },
                                           set: { form.wipeAfterFailures = $0 }), in: 3...50) {
                        Text(verbatim: "\(form.wipeAfterFailures ?? 10)")
                    }
                }
                SecureField("New duress code", text: $form.duressCode).keyboardType(.numberPad)
                ForEach(errors, id: \.message) { Text(verbatim: $0.message).foregroundStyle(.red) }
            }
            Button("Save") { screens.send(.saveSafety) }
            if saved { Text("Saved").foregroundStyle(.secondary) }
        }
        .privacySensitive()
        .onChange(of: wipeOn) { _, on in form.wipeAfterFailures = on ? (form.wipeAfterFailures ?? 10) : nil }
        .onChange(of: form) { _, next in screens.send(.editSafety(form: next)) }
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
