// What the iOS shell does with the system, written against small protocols so the logic is
// plain Swift that XCTest checks with fakes (Tests/WaypointTests/ShellTests.swift); the app
// target (ios/App) supplies the real UNUserNotificationCenter / UIApplication / openURL.
//
// The decisions themselves live in the core, where they are tested on every CI run
// (core/src/shell.rs): which 64 reminders fit iOS's pending-notification budget
// (`iosNotificationWindow`), which ids to report delivered (`reminderIdsOnly`), whether and
// how to switch the icon (`iosIconChange`), which URIs may be opened (`launchTarget`).
// This file only carries them out.
import Foundation

// MARK: Reminders

/// One notification request as the shell hands it to the system.
public struct NotificationRequest: Equatable, Sendable {
    public let id: String
    public let title: String
    public let body: String
    /// nil: show now.
    public let fireAt: Date?
}

/// The part of UNUserNotificationCenter the reminder logic uses.
public protocol NotificationCenterClient: Sendable {
    func pendingIds() async -> [String]
    func deliveredIds() async -> [String]
    func add(_ request: NotificationRequest) async throws
    func removePending(ids: [String])
}

/// Plans with the core and applies the nearest 64 to the notification center. Reports
/// delivered notifications first, so the core does not call them missed.
public struct ReminderCoordinator: Sendable {
    let waypoint: WaypointCore
    let center: NotificationCenterClient
    let voice: ReminderVoice

    public init(core: WaypointCore, center: NotificationCenterClient, voice: ReminderVoice = defaultReminderVoice()) {
        self.waypoint = core
        self.center = center
        self.voice = voice
    }

    /// Re-plans: on every foreground, unlock, appointment change and background refresh.
    /// Unlocked, the core plans from the appointments; locked (after a reboot, in a background
    /// refresh), from the sealed schedule, without the passphrase. Returns when to plan again.
    @discardableResult
    public func replan(unlocked: Bool, horizonDays: UInt32 = 30) async throws(WaypointError) -> Date {
        await reportDelivered()
        let appointments = waypoint.appointmentsFfi
        let voice = self.voice
        let plan: ReminderPlan = try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core {
                if unlocked {
                    return try appointments.reminderPlan(horizonDays: horizonDays, voice: voice)
                }
                return try appointments.lockedReminderPlan(voice: voice)
            }
        }
        let pending = await center.pendingIds()
        let window = iosNotificationWindow(plan: plan, pendingIds: pending)
        try await apply(window)
        return dateFromUnixMs(window.replanBeforeMs)
    }

    /// Applies a window: remove first (freeing slots), then add, then the one "missed" notice.
    func apply(_ window: NotificationWindow) async throws(WaypointError) {
        if !window.cancel.isEmpty {
            center.removePending(ids: window.cancel)
        }
        do {
            for r in window.schedule {
                try await center.add(NotificationRequest(id: r.notificationId, title: r.title, body: r.body, fireAt: r.fireAt))
            }
            if let missed = window.showNow {
                try await center.add(NotificationRequest(id: missed.notificationId, title: missed.title, body: missed.body, fireAt: nil))
            }
        } catch {
            // The system refused (e.g. notifications turned off): nothing personal to report.
            throw WaypointError.internal("the notification center refused a reminder")
        }
    }

    /// Tells the core which reminders the system showed. Unknown ids (already forgotten by
    /// the core) are not an error.
    public func reportDelivered() async {
        let delivered = await center.deliveredIds()
        let ids = reminderIdsOnly(ids: delivered)
        for id in ids {
            do {
                try waypoint.reminderDelivered(notificationId: id)
            } catch {
                continue
            }
        }
    }
}

// MARK: Icon

/// The part of UIApplication the icon switch uses.
@MainActor
public protocol AlternateIconClient: AnyObject {
    var supportsAlternateIcons: Bool { get }
    var alternateIconName: String? { get }
    func setAlternateIconName(_ name: String?) async throws
}

/// Switches the home-screen icon to the one the disguise settings name, only when it differs
/// (iOS shows an alert on every switch) and only while the app is active.
@MainActor
public struct IconSwitcher {
    let client: AlternateIconClient

    public init(client: AlternateIconClient) { self.client = client }

    /// Returns whether the system was asked to switch.
    @discardableResult
    public func apply(_ settings: DisguiseSettings) async -> Bool {
        guard client.supportsAlternateIcons else { return false }
        switch iosIconChange(settings: settings, currentIcon: client.alternateIconName) {
        case .keep:
            return false
        case .setIcon(let name):
            do {
                try await client.setAlternateIconName(name)
                return true
            } catch {
                // Not active, or the asset is missing: the next foreground tries again.
                return false
            }
        }
    }
}

// MARK: Links

/// Opens a URL with the system (SwiftUI's `openURL` in the app).
@MainActor
public protocol URLOpening {
    func open(_ url: URL) async -> Bool
}

/// Opens what the core asks (`AppState.launch`) after the core's own last check, and says
/// which kind it was. Refused URIs open nothing.
@MainActor
public struct Launcher {
    let opener: URLOpening

    public init(opener: URLOpening) { self.opener = opener }

    /// Returns whether something was handed to the system.
    @discardableResult
    public func open(_ uri: String) async -> Bool {
        let url: String
        switch launchTarget(uri: uri) {
        case .call(let u), .text(let u), .web(let u), .email(let u):
            url = u
        case .refuse:
            return false
        }
        guard let target = URL(string: url) else { return false }
        return await opener.open(target)
    }
}
