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

    func testRemindersOnboardingAndCalculatorSpeakThePhonesLanguage() throws {
        let core = try WaypointCore(dataDir: tempDir(), clock: FixedClock(unixMs: 1_700_000_000_000))
        // Nothing chosen in the disguise settings: the neutral words in the phone's language.
        let voice = core.notificationVoice(language: "es_MX")
        XCTAssertEqual(voice.title, "Recordatorio")
        XCTAssertEqual(voice.body, "Tienes un evento")
        // The first-run steps name the decoy chosen.
        let steps = disguiseOnboarding(language: "es-MX", decoy: .notes)
        let words = steps.map { "\($0.title) \($0.body)" }.joined(separator: "\n").lowercased()
        XCTAssertTrue(words.contains("notas"))
        XCTAssertFalse(words.contains("calculadora"))
        // The calculator writes numbers like the phone's own: a comma in Spanish.
        let calc = try core.disguise(language: "es-ES")
        _ = try calc.press("3")
        _ = try calc.press(".")
        XCTAssertEqual(try calc.press("5").text, "3,5")
    }
}
