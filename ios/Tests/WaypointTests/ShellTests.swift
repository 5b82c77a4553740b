// The shell's plain-Swift logic, tested against fakes of the system services
// (NotificationCenterClient, AlternateIconClient, URLOpening). Runs on a Mac or a simulator
// (`swift test`, or `xcodebuild test`: docs/IOS.md); on Linux it is parsed, not run.
import XCTest
@testable import Waypoint

/// Records what the reminder logic asks of the notification center.
// @unchecked Sendable: every access to the fake's state goes through `lock`.
final class FakeNotificationCenter: NotificationCenterClient, @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String: NotificationRequest] = [:]
    private var delivered: [String] = []
    private(set) var removed: [String] = []

    init(pending: [String] = [], delivered: [String] = []) {
        for id in pending {
            self.pending[id] = NotificationRequest(id: id, title: "t", body: "b", fireAt: nil)
        }
        self.delivered = delivered
    }

    var pendingRequests: [NotificationRequest] {
        lock.withLock { pending.values.sorted { ($0.fireAt ?? .distantPast, $0.id) < ($1.fireAt ?? .distantPast, $1.id) } }
    }

    func pendingIds() async -> [String] { lock.withLock { Array(pending.keys) } }
    func deliveredIds() async -> [String] { lock.withLock { delivered } }
    func add(_ request: NotificationRequest) async throws {
        lock.withLock { pending[request.id] = request }
    }
    func removePending(ids: [String]) {
        lock.withLock {
            removed += ids
            for id in ids { pending[id] = nil }
        }
    }
}

@MainActor
final class FakeIconClient: AlternateIconClient {
    var supportsAlternateIcons = true
    var alternateIconName: String?
    var calls: [String?] = []

    func setAlternateIconName(_ name: String?) async throws {
        calls.append(name)
        alternateIconName = name
    }
}

@MainActor
final class FakeOpener: URLOpening {
    var opened: [URL] = []
    func open(_ url: URL) async -> Bool {
        opened.append(url)
        return true
    }
}

final class ShellTests: XCTestCase {
    /// 2026-01-15 12:00 UTC.
    private let now: Int64 = 1_768_478_400_000

    private func unlockedCore() throws -> WaypointCore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = defaultVaultConfig()
        config.scryptLogN = 10 // a debug XCFramework accepts a low work factor for tests
        let core = try WaypointCore(dataDir: dir, clock: FixedClock(unixMs: now),
                                    keyStore: FileKeyStore(dataDir: dir.path), config: config)
        try core.setUpVault(passphrase: "correct horse battery")
        return core
    }

    /// A daily appointment for the next 30 days with three reminders each: 90 reminders,
    /// more than iOS keeps pending.
    private func addDailyAppointment(_ core: WaypointCore) throws {
        _ = try core.addAppointment(AppointmentDraft(
            title: "Check-in", kind: .other, startLocal: "2026-01-16T10:00", timeZone: "UTC",
            allDay: false, durationMinutes: 30, place: nil, resourceId: nil, notes: nil,
            reminderOffsetsMinutes: [15, 60, 1440], rrule: "FREQ=DAILY;COUNT=30", exceptions: []))
    }

    func testReplanSchedulesOnlyTheNearest64AndRemovesStalePending() async throws {
        let core = try unlockedCore()
        try addDailyAppointment(core)
        let stale = String(repeating: "f", count: 32)
        let center = FakeNotificationCenter(pending: [stale])
        let replanBy = try await ReminderCoordinator(core: core, center: center).replan(unlocked: true)

        let scheduled = center.pendingRequests
        XCTAssertEqual(scheduled.count, 64)
        XCTAssertTrue(center.removed.contains(stale))
        // The nearest ones: nothing left out fires before the last one kept.
        let plan = try core.reminderPlan()
        let nearest = plan.schedule.sorted { ($0.fireAtMs, $0.notificationId) < ($1.fireAtMs, $1.notificationId) }.prefix(64)
        XCTAssertEqual(Set(scheduled.map(\.id)), Set(nearest.map(\.notificationId)))
        XCTAssertEqual(replanBy, nearest.last?.fireAt)
        // Neutral words only, from the core's voice.
        XCTAssertTrue(scheduled.allSatisfy { $0.title == "Reminder" && !$0.body.contains("Check-in") })
    }

    func testReplanWhileLockedUsesTheSealedScheduleWithoutThePassphrase() async throws {
        let core = try unlockedCore()
        try addDailyAppointment(core)
        _ = try await ReminderCoordinator(core: core, center: FakeNotificationCenter()).replan(unlocked: true)
        core.lock()
        let center = FakeNotificationCenter()
        _ = try await ReminderCoordinator(core: core, center: center).replan(unlocked: false)
        XCTAssertEqual(center.pendingRequests.count, 64)
    }

    func testDeliveredReportSkipsIdsThatAreNotReminders() async throws {
        let core = try unlockedCore()
        let center = FakeNotificationCenter(delivered: ["not-a-reminder", String(repeating: "0", count: 32)])
        // Unknown ids are not errors; nothing throws and nothing is scheduled.
        await ReminderCoordinator(core: core, center: center).reportDelivered()
        XCTAssertTrue(center.pendingRequests.isEmpty)
    }

    @MainActor
    func testIconSwitchesOnlyWhenTheSettingDiffersFromTheIconShown() async throws {
        let core = try unlockedCore()
        var settings = try core.disguiseSettings()
        let icons = FakeIconClient()
        let switcher = IconSwitcher(client: icons)

        let switchedForDefault = await switcher.apply(settings)
        XCTAssertFalse(switchedForDefault, "the default alias is the primary icon already showing")
        settings.launcherAlias = "notes"
        let switched = await switcher.apply(settings)
        XCTAssertTrue(switched)
        XCTAssertEqual(icons.calls, ["AppIconNotes"])
        let again = await switcher.apply(settings)
        XCTAssertFalse(again, "no second alert for the icon already showing")
        icons.supportsAlternateIcons = false
        settings.launcherAlias = "weather"
        let unsupported = await switcher.apply(settings)
        XCTAssertFalse(unsupported)
        XCTAssertEqual(icons.calls, ["AppIconNotes"])
    }

    @MainActor
    func testLauncherOpensDialStringsAndLinksAndRefusesEverythingElse() async {
        let opener = FakeOpener()
        let launcher = Launcher(opener: opener)
        let opened = await launcher.open("tel:988")
        XCTAssertTrue(opened)
        _ = await launcher.open("sms:233733;phone-context=+1") // the screen model's exact form
        _ = await launcher.open("https://example.org/help")
        for refused in ["tel:988;ext=1", "javascript:alert(1)", "http://example.org", "sms:1?body=x"] {
            let result = await launcher.open(refused)
            XCTAssertFalse(result, refused)
        }
        XCTAssertEqual(opener.opened.map(\.absoluteString), ["tel:988", "sms:233733", "https://example.org/help"])
    }
}
