// The iOS app: a thin SwiftUI shell over the core's screen models. The core decides every
// screen; this target draws `Screens.state` and forwards intents, and does what only iOS can
// do: the privacy cover, notifications, background refresh, icons, opening links.
import SwiftUI
import UIKit
import UserNotifications
import Waypoint

/// `SwiftUI.View` under its usual name: the core's screen enum is also called `View`
/// (use `ScreenView` for it), and a declaration in this module wins over both imports.
typealias View = SwiftUI.View
/// `SwiftUI.Section` likewise: the core's safety plan has a `Section` enum too (use
/// `SafetyPlanSection` for it).
typealias Section = SwiftUI.Section

/// What lives for the whole process and may be used from any task.
final class AppEnvironment: Sendable {
    let core: WaypointCore
    let reminders: ReminderCoordinator
    /// The neutral words of every reminder, from the core in the phone's language.
    let voice: ReminderVoice

    init(core: WaypointCore) {
        self.core = core
        let voice = reminderVoice(language: Locale.preferredLanguages.first ?? "en")
        self.voice = voice
        self.reminders = ReminderCoordinator(core: core, center: SystemNotificationCenter(), voice: voice)
    }

    /// Opens the data directory with the Keychain/Secure Enclave key store.
    static func open() throws -> AppEnvironment {
        let dir = try DataDirectory.prepare()
        let core = try WaypointCore(dataDir: dir, keyStore: KeychainKeyStore())
        return AppEnvironment(core: core)
    }
}

@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate {
    private(set) var environment: AppEnvironment?
    private(set) var screens: Screens?
    private var notificationDelegate: NotificationDelegate?

    func application(_ application: UIApplication,
                     didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        ExportFiles.removeAll()
        guard let env = try? AppEnvironment.open() else { return true }
        environment = env
        screens = try? Screens(waypoint: env.core)
        // Background tasks must be registered before launch ends.
        BackgroundRefresh.register(environment: env)
        let delegate = NotificationDelegate(environment: env)
        notificationDelegate = delegate
        UNUserNotificationCenter.current().delegate = delegate
        return true
    }
}

/// Reports delivered and dismissed reminders to the core. Works while the vault is locked.
final class NotificationDelegate: NSObject, UNUserNotificationCenterDelegate, Sendable {
    let environment: AppEnvironment

    init(environment: AppEnvironment) {
        self.environment = environment
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter,
                                willPresent notification: UNNotification) async -> UNNotificationPresentationOptions {
        try? environment.core.reminderDelivered(notificationId: notification.request.identifier)
        return [.banner, .list, .sound]
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter,
                                didReceive response: UNNotificationResponse) async {
        let id = response.notification.request.identifier
        try? environment.core.reminderDelivered(notificationId: id)
        if response.actionIdentifier == UNNotificationDismissActionIdentifier {
            try? environment.core.reminderDismissed(notificationId: id)
        }
        // A tap opens the app as it is: the decoy while locked, never the appointment.
    }
}

@main
struct WaypointApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate

    var body: some Scene {
        WindowGroup {
            if let env = delegate.environment, let screens = delegate.screens {
                ShellRoot(environment: env, screens: screens)
            } else {
                StartupFailureView()
            }
        }
    }
}

/// Opening the data directory failed (disk full, damaged store). Says nothing about what
/// the app is.
struct StartupFailureView: View {
    var body: some View {
        Text("Could not start. Try again later.")
            .font(.body)
            .multilineTextAlignment(.center)
            .padding()
            .frame(maxWidth: .infinity, maxHeight: .infinity)
            .background(Color(.systemBackground))
    }
}
