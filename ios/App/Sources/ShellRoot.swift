// The root of the app: draws the core's view, and does the platform's part of the disguise
// contract (docs/PLATFORM_CONTRACT.md): privacy cover on every scene phase change and while
// the screen is recorded or mirrored, lifecycle events into the core (lock on background and
// on idle), quick exit on every screen that is not already a decoy, opening what the core
// asks to open, re-planning reminders and checking the icon on each foreground.
import Combine
import SwiftUI
import UIKit
import Waypoint

struct ShellRoot: View {
    let environment: AppEnvironment
    let screens: Screens

    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.openURL) private var openURL
    @State private var covered = false
    @State private var captured = false
    @State private var lastActivity = Date.distantPast

    /// Every few seconds while the private app shows, the core checks the idle time.
    private let ticks = Timer.publish(every: 5, on: .main, in: .common).autoconnect()

    var body: some View {
        let view = screens.state.view
        ZStack(alignment: .topTrailing) {
            ScreenSwitch(view: view, canGoBack: screens.state.canGoBack, screens: screens,
                         environment: environment)
            if !screens.showsDecoy {
                QuickExitButton { screens.quickExit() }
                    .padding(.trailing, 8)
                    .padding(.top, 4)
            }
            if covered || screens.exiting || (captured && screens.showsPrivate) {
                PrivacyCover()
            }
        }
        .environment(\.words, Words(screens.state))
        // The core's language decides the direction (Arabic is right to left), not the phone's.
        .environment(\.layoutDirection, screens.state.isRightToLeft ? .rightToLeft : .leftToRight)
        .simultaneousGesture(TapGesture().onEnded { activity() })
        .onReceive(ticks) { _ in
            if screens.showsPrivate { screens.send(.lifecycle(event: .tick)) }
        }
        .onAppear { captured = UIScreen.main.isCaptured }
        .onReceive(NotificationCenter.default.publisher(for: UIScreen.capturedDidChangeNotification)) { _ in
            captured = UIScreen.main.isCaptured
        }
        .onChange(of: scenePhase, initial: true) { _, phase in
            phaseChanged(phase)
        }
        .onChange(of: screens.state.launch, initial: false) { _, uri in
            guard let uri else { return }
            Task { @MainActor in
                await Launcher(opener: SystemURLOpener(openURL: openURL)).open(uri)
                screens.send(.launchHandled)
            }
        }
        .onChange(of: screens.showsPrivate) { wasPrivate, isPrivate in
            // Just unlocked: plan reminders from the appointments now the keys are there.
            if !wasPrivate && isPrivate { replanReminders() }
        }
    }

    /// Touches count as activity for the idle lock, at most once a second.
    private func activity() {
        let now = Date()
        guard now.timeIntervalSince(lastActivity) >= 1 else { return }
        lastActivity = now
        screens.send(.lifecycle(event: .activity))
    }

    private func phaseChanged(_ phase: ScenePhase) {
        switch phase {
        case .active:
            covered = false
            screens.send(.lifecycle(event: .foreground))
            replanReminders()
            Task { @MainActor in
                if let settings = try? environment.core.disguiseSettings() {
                    await IconSwitcher(client: SystemIconClient()).apply(settings)
                }
            }
            BackgroundRefresh.scheduleDirectorySync(after: environment.core.scheduledSyncJitter())
        case .inactive:
            // Up before the system takes the app-switcher snapshot.
            covered = true
        case .background:
            covered = true
            // Ask for the seconds the lock needs (it may queue behind an unlock in progress)
            // before iOS suspends the app. No expiration handler: if time ran out, iOS ends
            // the process, which drops the keys too.
            let task = UIApplication.shared.beginBackgroundTask(withName: nil, expirationHandler: nil)
            Task { @MainActor in
                await screens.dispatch(.lifecycle(event: .background))
                UIApplication.shared.endBackgroundTask(task)
            }
        @unknown default:
            covered = true
        }
    }

    private func replanReminders() {
        let unlocked = screens.showsPrivate
        let reminders = environment.reminders
        let placeholder = environment.voice.title
        Task.detached(priority: .utility) {
            await SystemNotificationCenter.authorise(placeholder: placeholder)
            let next = try? await reminders.replan(unlocked: unlocked)
            BackgroundRefresh.scheduleReminders(at: next)
        }
    }
}

/// What the app switcher, a screen recording and an onlooker see while the app is not in
/// front or is leaving: a plain page in the system background colour, no text.
struct PrivacyCover: View {
    var body: some View {
        Color(.systemBackground)
            .ignoresSafeArea()
            .accessibilityHidden(true)
    }
}

/// The exit control, always in the same corner. VoiceOver calls it "Close", never anything
/// that names what it does or what the app is.
struct QuickExitButton: View {
    let action: () -> Void
    @ScaledMetric(relativeTo: .body) private var size: CGFloat = 44

    var body: some View {
        Button(action: action) {
            Image(systemName: "xmark")
                .font(.body.weight(.semibold))
                .frame(width: size, height: size)
                .contentShape(Rectangle())
        }
        .buttonStyle(.plain)
        .foregroundStyle(.secondary)
        .accessibilityLabel(Text("Close"))
        .accessibilitySortPriority(100)
    }
}

/// The one place the core's view is turned into a SwiftUI view: one view per `View` case.
struct ScreenSwitch: View {
    let view: ScreenView
    let canGoBack: Bool
    let screens: Screens
    let environment: AppEnvironment

    var body: some View {
        switch view {
        case .firstRunQuickExit(let steps):
            FirstRunQuickExitView(steps: steps, screens: screens)
        case .firstRunDecoy(let options):
            FirstRunDecoyView(options: options, screens: screens)
        case .firstRunCode(let error):
            FirstRunCodeView(error: error, screens: screens)
        case .calculator(let display):
            CalculatorView(display: display, screens: screens)
        case .decoyPage(let decoy, let title, let lines):
            DecoyPageView(decoy: decoy, title: title, lines: lines, screens: screens)
        case .unlock(let error):
            UnlockView(error: error, screens: screens)
        case .home(let destinations, let error):
            HomeView(destinations: destinations, error: error, screens: screens)
        case .journalList(let query, let rows, let notice):
            PrivateScreen(fallbackTitle: "Journal", canGoBack: canGoBack, screens: screens) {
                JournalListView(query: query, rows: rows, notice: notice, screens: screens)
            }
        case .entryEditor(let entryId, let form, let attachments, let errors):
            PrivateScreen(fallbackTitle: entryId == nil ? "New entry" : "Entry", canGoBack: canGoBack, screens: screens) {
                EntryEditorView(form: form, attachments: attachments, errors: errors, screens: screens)
                    .id(entryId ?? "new")
            }
        case .evidenceExport(let errors, let done):
            PrivateScreen(fallbackTitle: "Export", canGoBack: canGoBack, screens: screens) {
                EvidenceExportView(errors: errors, done: done, screens: screens)
            }
        case .appointmentList(let rows):
            PrivateScreen(fallbackTitle: "Appointments", canGoBack: canGoBack, screens: screens) {
                AppointmentListView(rows: rows, screens: screens)
            }
        case .appointmentEditor(let appointmentId, let form, let reminderLabels, let errors):
            PrivateScreen(fallbackTitle: appointmentId == nil ? "New appointment" : "Appointment", canGoBack: canGoBack, screens: screens) {
                AppointmentEditorView(form: form, reminderLabels: reminderLabels, errors: errors, screens: screens)
                    .id(appointmentId ?? "new")
            }
        case .directorySearch(let filters, let rows):
            PrivateScreen(fallbackTitle: "Directory", canGoBack: canGoBack, screens: screens) {
                DirectorySearchView(filters: filters, rows: rows, screens: screens)
            }
        case .resourceDetail(let detail):
            PrivateScreen(fallbackTitle: "Directory", canGoBack: canGoBack, screens: screens) {
                ResourceDetailView(detail: detail, screens: screens)
            }
        case .callWarning(let text, let action):
            PrivateScreen(fallbackTitle: "Before you call", canGoBack: canGoBack, screens: screens) {
                CallWarningView(text: text, action: action, screens: screens)
            }
        case .safetySettings(let form, let aliasChoices, let errors, let saved):
            PrivateScreen(fallbackTitle: "Safety", canGoBack: canGoBack, screens: screens) {
                SafetySettingsView(form: form, aliasChoices: aliasChoices, errors: errors, saved: saved, screens: screens,
                                   environment: environment)
            }
        case .syncStatus(let lines):
            PrivateScreen(fallbackTitle: "Directory updates", canGoBack: canGoBack, screens: screens) {
                SyncStatusView(lines: lines, environment: environment)
            }
        case .documentList(let rows, let notice):
            PrivateScreen(fallbackTitle: "Documents", canGoBack: canGoBack, screens: screens) {
                DocumentListView(rows: rows, notice: notice, screens: screens)
            }
        case .documentEditor(let documentId, let form, let file, let fileChanged, let reminderLabels, let errors,
                             let confirmDelete):
            PrivateScreen(fallbackTitle: "Documents", canGoBack: canGoBack, screens: screens) {
                DocumentEditorView(documentId: documentId, form: form, file: file, fileChanged: fileChanged,
                                   reminderLabels: reminderLabels, errors: errors, confirmDelete: confirmDelete,
                                   screens: screens)
                    .id(documentId ?? "new")
            }
        case .shareRecipients(let rows, let form, let fingerprint, let errors):
            PrivateScreen(fallbackTitle: "Share", canGoBack: canGoBack, screens: screens) {
                ShareRecipientsView(rows: rows, form: form, fingerprint: fingerprint, errors: errors, screens: screens)
            }
        case .safetyPlan(let intro, let sections, let notice, let canRestart, let confirmRestart, let error):
            PrivateScreen(fallbackTitle: "Safety plan", canGoBack: canGoBack, screens: screens) {
                SafetyPlanView(intro: intro, sections: sections, notice: notice, canRestart: canRestart,
                               confirmRestart: confirmRestart, error: error, screens: screens)
            }
        case .guideList(let intro, let guides):
            PrivateScreen(fallbackTitle: "Guides", canGoBack: canGoBack, screens: screens) {
                GuideListView(intro: intro, guides: guides, screens: screens)
            }
        case .guide(let guide):
            PrivateScreen(fallbackTitle: "Guides", canGoBack: canGoBack, screens: screens) {
                GuideView(guide: guide, screens: screens)
                    .id(guide.id)
            }
        }
    }
}

/// The frame of every private screen: a title, a back control when the core says there is
/// somewhere to go back to (it also answers the edge-swipe), and room for the exit control.
struct PrivateScreen<Content: View>: View {
    /// Shown only if the core sent no title.
    let fallbackTitle: LocalizedStringKey
    let canGoBack: Bool
    let screens: Screens
    @ViewBuilder let content: () -> Content
    @Environment(\.words) private var words

    var body: some View {
        VStack(spacing: 0) {
            HStack(spacing: 8) {
                if canGoBack {
                    Button { screens.send(.back) } label: {
                        Image(systemName: "chevron.backward")
                            .frame(minWidth: 44, minHeight: 44)
                    }
                    .accessibilityLabel(words.text("back", "Back"))
                }
                words.title(fallbackTitle)
                    .font(.headline)
                    .accessibilityAddTraits(.isHeader)
                    .lineLimit(2)
                Spacer(minLength: 52) // the exit control sits here
            }
            .padding(.horizontal, 8)
            .frame(minHeight: 52)
            content()
                .frame(maxWidth: .infinity, maxHeight: .infinity, alignment: .top)
        }
        .background(Color(.systemBackground))
        .gesture(DragGesture(minimumDistance: 30).onEnded { drag in
            if canGoBack && drag.startLocation.x < 24 && drag.translation.width > 80 {
                screens.send(.back)
            }
        })
    }
}
