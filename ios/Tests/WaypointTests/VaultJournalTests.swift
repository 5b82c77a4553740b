// The vault, journal and screen model through the Swift wrapper. Runs on a Mac or a
// simulator (docs/IOS.md); on Linux it is parsed, not run.
import XCTest
@testable import Waypoint

final class VaultJournalTests: XCTestCase {
    private func core() throws -> WaypointCore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = defaultVaultConfig()
        config.scryptLogN = 10
        return try WaypointCore(dataDir: dir, clock: FixedClock(unixMs: 1_768_478_400_000),
                                keyStore: FileKeyStore(dataDir: dir.path), config: config)
    }

    func testSetUpWriteLockAndUnlockOffTheMainActor() async throws {
        let core = try core()
        XCTAssertEqual(try core.vaultState(), .uninitialized)
        try await core.setUpVault(passphrase: "correct horse battery")
        let entry = try core.addEntry(EntryDraft(title: "First", body: "what happened"))
        XCTAssertEqual(try core.entries().map(\.id), [entry.id])
        XCTAssertFalse(String(describing: entry).contains("what happened"), "entries print redacted")

        core.lock()
        XCTAssertThrowsError(try core.entries()) { XCTAssertEqual($0 as? WaypointError, .locked) }
        try await core.unlock(passphrase: "correct horse battery")
        XCTAssertEqual(try core.entry(id: entry.id).body, "what happened")
    }

    func testWrongPassphraseIsATypedErrorWithAWait() async throws {
        let core = try core()
        try await core.setUpVault(passphrase: "correct horse battery")
        core.lock()
        do {
            try await core.unlock(passphrase: "wrong")
            XCTFail("a wrong passphrase unlocked the vault")
        } catch let error as WaypointError {
            guard case .wrongPassphrase = error else { return XCTFail("\(error)") }
        }
    }

    func testJournalExportWritesAnAgeFile() async throws {
        let core = try core()
        try await core.setUpVault(passphrase: "correct horse battery")
        _ = try core.addEntry(EntryDraft(title: "A", body: "B"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let summary = try await core.exportJournal(passphrase: "export pass phrase", to: out)
        XCTAssertEqual(summary.entries, 1)
        let head = try Data(contentsOf: out).prefix(21)
        XCTAssertEqual(String(decoding: head, as: UTF8.self), "age-encryption.org/v1")
    }

    @MainActor
    func testScreensPublishNewerStatesOnlyAndQuickExitRaisesTheCoverAtOnce() async throws {
        let core = try core()
        let screens = try Screens(waypoint: core, timeZone: "UTC", language: "en")
        let first = screens.state
        guard case .firstRunQuickExit = first.view else { return XCTFail("first run starts with quick exit") }
        let next = await screens.dispatch(.next)
        XCTAssertGreaterThan(next.version, first.version)
        screens.quickExit()
        XCTAssertTrue(screens.exiting, "the cover must not wait for the core")
        screens.publish(first) // an older state arriving late is ignored
        XCTAssertGreaterThanOrEqual(screens.state.version, next.version)
    }

    @MainActor
    func testACodeQueuedBeforeQuickExitDoesNotOpenTheApp() async throws {
        let core = try core()
        let screens = try Screens(waypoint: core, timeZone: "UTC", language: "en")
        await screens.dispatch(.next)
        await screens.dispatch(.next)
        let home = await screens.dispatch(.chooseCode(code: "246810", confirm: "246810"))
        XCTAssertTrue(home.view.isPrivate, "first run ends in the app")
        await screens.dispatch(.lock)

        for digit: UInt8 in [2, 4, 6, 8, 1, 0] { screens.send(.calc(key: .digit(value: digit))) }
        screens.send(.calc(key: .equals)) // the unlock derivation is queued or running...
        screens.quickExit()               // ...when the exit control is tapped
        let after = await screens.dispatch(.lifecycle(event: .activity))
        XCTAssertFalse(after.view.isPrivate, "the app must not open behind the decoy")
    }

    func testABadDirectoryFileIsAVerificationErrorAndTheCalculatorIsPureArithmetic() async throws {
        let core = try core()
        do {
            _ = try await core.importDirectory(kind: .bundle, bytes: Data("{}".utf8))
            XCTFail("an unsigned file was installed")
        } catch let error as WaypointError {
            guard case .verification = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try evaluateCalculator("12+30="), "42")
    }
}
