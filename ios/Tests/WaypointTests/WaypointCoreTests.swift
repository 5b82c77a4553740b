// Runs on a Mac (`swift test` after ios/build-xcframework.sh); parsed, not run, on Linux.
import XCTest
@testable import Waypoint

final class WaypointCoreTests: XCTestCase {
    private func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testOpensDataDirAndReadsStatus() throws {
        let core = try WaypointCore(dataDir: tempDir(), clock: FixedClock(unixMs: 1_700_000_000_000))
        let status = try core.status()
        XCTAssertTrue(status.schema.contains { $0.component == "meta" && $0.version >= 1 })
        XCTAssertEqual(status.vault, .uninitialized)
    }

    func testRustErrorArrivesAsTypedSwiftError() {
        XCTAssertThrowsError(try WaypointCore(dataDir: URL(fileURLWithPath: ""))) { error in
            XCTAssertEqual(error as? WaypointError, .invalidInput(field: "data_dir", reason: "must not be empty"))
        }
    }
}
