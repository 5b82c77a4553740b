// App-hosted tests of what only the app target does (run with `xcodebuild test` on a
// simulator: docs/IOS.md). Not run on Linux.
import XCTest
@testable import WaypointApp

final class DataDirectoryTests: XCTestCase {
    func testDataDirectoryIsExcludedFromBackupAndProtectedUntilFirstUnlock() throws {
        let dir = try DataDirectory.prepare()
        let values = try dir.resourceValues(forKeys: [.isExcludedFromBackupKey])
        XCTAssertEqual(values.isExcludedFromBackup, true)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path)
        XCTAssertEqual(attributes[.protectionKey] as? FileProtectionType, .completeUntilFirstUserAuthentication)
        XCTAssertFalse(dir.lastPathComponent.lowercased().contains("waypoint"), "file names stay neutral")
    }

    func testSyncIsOffUntilTurnedOn() {
        UserDefaults.standard.removeObject(forKey: "directory-sync-on")
        XCTAssertFalse(SyncPreference.isOn)
    }
}
