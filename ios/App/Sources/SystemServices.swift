// The thin layer over iOS system services. Each type implements a protocol of the Waypoint
// package (ios/Sources/Waypoint/Shell.swift) so the logic that uses it is tested with fakes;
// what is left here only forwards to the system and cannot run off a device or simulator.
import BackgroundTasks
import Foundation
import SwiftUI
import UIKit
import UserNotifications
import Waypoint

// MARK: Data directory

/// Where the core keeps its files: Application Support/store, protected until the first
/// unlock after a reboot and excluded from iCloud and computer backups.
enum DataDirectory {
    static func prepare(fileManager: FileManager = .default) throws -> URL {
        let base = try fileManager.url(for: .applicationSupportDirectory, in: .userDomainMask,
                                       appropriateFor: nil, create: true)
        // A neutral name: file names are visible to anyone browsing a backup or an image.
        var dir = base.appendingPathComponent("store", isDirectory: true)
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication]
        if !fileManager.fileExists(atPath: dir.path) {
            try fileManager.createDirectory(at: dir, withIntermediateDirectories: true, attributes: protection)
        } else {
            try fileManager.setAttributes(protection, ofItemAtPath: dir.path)
        }
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try dir.setResourceValues(values)
        return dir
    }
}

/// Sealed exports waiting for the share sheet, in the temporary directory under random names.
enum ExportFiles {
    private static let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("outbox", isDirectory: true)

    static func newURL() -> URL {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(UUID().uuidString).appendingPathExtension("age")
    }

    static func remove(_ url: URL?) {
        guard let url else { return }
        try? FileManager.default.removeItem(at: url)
    }

    /// At launch: whatever a killed process left behind.
    static func removeAll() {
        try? FileManager.default.removeItem(at: folder)
    }
}

// MARK: Notifications

/// UNUserNotificationCenter behind `NotificationCenterClient`.
struct SystemNotificationCenter: NotificationCenterClient {
    /// One category for every reminder: its hidden-preview placeholder is the core's neutral
    /// reminder title, and previews show only when the phone is unlocked.
    static let categoryId = "reminder"

    private var center: UNUserNotificationCenter { .current() }

    /// Provisional authorisation: no prompt at all (a prompt would name the app); reminders
    /// go quietly to the notification centre until the person chooses to keep them.
    static func authorise(placeholder: String) async {
        let center = UNUserNotificationCenter.current()
        let category = UNNotificationCategory(
            identifier: categoryId, actions: [], intentIdentifiers: [],
            hiddenPreviewsBodyPlaceholder: placeholder,
            options: [.customDismissAction])
        center.setNotificationCategories([category])
        _ = try? await center.requestAuthorization(options: [.alert, .sound, .provisional])
    }

    func pendingIds() async -> [String] {
        await center.pendingNotificationRequests().map(\.identifier)
    }

    func deliveredIds() async -> [String] {
        await center.deliveredNotifications().map(\.request.identifier)
    }

    func add(_ request: NotificationRequest) async throws {
        let content = UNMutableNotificationContent()
        content.title = request.title
        content.body = request.body
        content.categoryIdentifier = Self.categoryId
        content.sound = .default
        // No badge, no thread id, no user info: nothing that could name an appointment.
        let trigger: UNNotificationTrigger? = request.fireAt.map { date in
            // The zone is part of the components, so the instant stays the core's instant
            // even if the phone changes time zone before it fires.
            var parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            parts.timeZone = TimeZone.current
            return UNCalendarNotificationTrigger(dateMatching: parts, repeats: false)
        }
        try await center.add(UNNotificationRequest(identifier: request.id, content: content, trigger: trigger))
    }

    func removePending(ids: [String]) {
        center.removePendingNotificationRequests(withIdentifiers: ids)
    }
}

// MARK: Icon

/// UIApplication's alternate icons behind `AlternateIconClient`.
@MainActor
final class SystemIconClient: AlternateIconClient {
    var supportsAlternateIcons: Bool { UIApplication.shared.supportsAlternateIcons }
    var alternateIconName: String? { UIApplication.shared.alternateIconName }

    func setAlternateIconName(_ name: String?) async throws {
        // Only while active: iOS refuses otherwise, and the next foreground tries again.
        guard UIApplication.shared.applicationState == .active else { return }
        try await UIApplication.shared.setAlternateIconName(name)
    }
}

// MARK: Links

/// SwiftUI's `openURL` behind `URLOpening` (tel:, sms:, https:, mailto: from the core).
@MainActor
struct SystemURLOpener: URLOpening {
    let openURL: OpenURLAction

    func open(_ url: URL) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            openURL(url) { accepted in done.resume(returning: accepted) }
        }
    }
}

// MARK: Background refresh

/// Two BGAppRefreshTasks: re-planning reminders (always), and directory sync (only once the
/// person turned it on). iOS decides when they actually run; both are cheap and bounded.
enum BackgroundRefresh {
    static let remindersId = (Bundle.main.bundleIdentifier ?? "org.waypoint.app") + ".reminders"
    static let directoryId = (Bundle.main.bundleIdentifier ?? "org.waypoint.app") + ".directory"

    /// Must run before the app finishes launching.
    static func register(environment: AppEnvironment) {
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: remindersId, using: nil) { task in
            let box = TaskBox(task: task)
            let work = Task.detached(priority: .utility) {
                let next = try? await environment.reminders.replan(unlocked: false)
                BackgroundRefresh.scheduleReminders(at: next)
                box.task.setTaskCompleted(success: next != nil)
            }
            task.expirationHandler = { work.cancel() }
        }
        _ = BGTaskScheduler.shared.register(forTaskWithIdentifier: directoryId, using: nil) { task in
            let box = TaskBox(task: task)
            let work = Task.detached(priority: .utility) {
                guard SyncPreference.isOn, let server = SyncPreference.serverURL else {
                    box.task.setTaskCompleted(success: true)
                    return
                }
                let report = try? await environment.core.syncDirectory(serverURL: server, timeoutSeconds: 25)
                BackgroundRefresh.scheduleDirectorySync(after: environment.core.scheduledSyncJitter())
                box.task.setTaskCompleted(success: report != nil)
            }
            task.expirationHandler = { work.cancel() }
        }
    }

    /// Asks for a reminders refresh no later than `date` (iOS may run it later).
    static func scheduleReminders(at date: Date?) {
        let request = BGAppRefreshTaskRequest(identifier: remindersId)
        request.earliestBeginDate = min(date ?? .distantFuture, Date().addingTimeInterval(6 * 3600))
        try? BGTaskScheduler.shared.submit(request)
    }

    /// Asks for a directory sync about a day from now plus the core's random jitter, so sync
    /// times form no daily pattern on a watched network. Cancels it when sync is off.
    static func scheduleDirectorySync(after jitter: TimeInterval) {
        guard SyncPreference.isOn else {
            BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: directoryId)
            return
        }
        let request = BGAppRefreshTaskRequest(identifier: directoryId)
        request.earliestBeginDate = Date().addingTimeInterval(20 * 3600 + jitter)
        try? BGTaskScheduler.shared.submit(request)
    }
}

/// Carries a BGTask into the detached work. `@unchecked`: Apple documents
/// `setTaskCompleted(success:)` as callable from any thread, and nothing else is touched.
private struct TaskBox: @unchecked Sendable {
    let task: BGTask
}

/// Directory sync is off until the person turns it on (every request reveals that someone
/// on this network uses the directory server).
enum SyncPreference {
    private static let key = "directory-sync-on"

    static var isOn: Bool {
        get { UserDefaults.standard.bool(forKey: key) }
        set { UserDefaults.standard.set(newValue, forKey: key) }
    }

    /// The deployment's server, from Info.plist (set at build time).
    static var serverURL: String? {
        guard let s = Bundle.main.object(forInfoDictionaryKey: "WaypointSyncServerURL") as? String,
              s.hasPrefix("https://") else { return nil }
        return s
    }
}
