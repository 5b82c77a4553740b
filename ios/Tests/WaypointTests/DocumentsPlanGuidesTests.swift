// Documents, the safety plan and the guides through the Swift wrapper. Runs on a Mac or a
// simulator (docs/IOS.md); on Linux it is parsed, not run.
import XCTest
@testable import Waypoint

final class DocumentsPlanGuidesTests: XCTestCase {
    /// Typed in by the "survivor"; must never show up in a description.
    private let marker = "Marker-Passport-G1234567"

    private func core() throws -> WaypointCore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = defaultVaultConfig()
        config.scryptLogN = 10
        // 2026-01-15 12:00 UTC.
        return try WaypointCore(dataDir: dir, clock: FixedClock(unixMs: 1_768_478_400_000),
                                keyStore: FileKeyStore(dataDir: dir.path), config: config)
    }

    private func temporaryFile(_ content: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try content.write(to: url)
        return url
    }

    private func passport(number: String) -> DocumentDraft {
        DocumentDraft(type: .passport, label: "my passport \(marker)", number: number, issuingCountry: "mx",
                      expiresOn: "2026-06-30", notes: "kept by \(marker)",
                      expiryReminderDays: [30, 90, 7], reminderTimeZone: "America/New_York")
    }

    func testDocumentWithAScanRoundTripsAndPlansNeutralExpiryReminders() async throws {
        let core = try core()
        try await core.setUpVault(passphrase: "correct horse battery")
        let scan = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        let file = try temporaryFile(scan)
        defer { try? FileManager.default.removeItem(at: file) }

        let added = try await core.addDocument(passport(number: marker), scan: file, name: "scan.jpg", mime: "image/jpeg")
        XCTAssertEqual(added.draft.issuingCountry, "MX", "the country code is stored upper-cased")
        XCTAssertEqual(added.draft.expiryReminderDays, [90, 30, 7])
        XCTAssertEqual(added.file?.size, UInt64(scan.count))
        XCTAssertTrue(added.hasFile)

        // Read back after a lock and unlock: details and the scan, byte for byte.
        core.lock()
        XCTAssertThrowsError(try core.documents()) { XCTAssertEqual($0 as? WaypointError, .locked) }
        try await core.unlock(passphrase: "correct horse battery")
        XCTAssertEqual(try core.documents().map(\.id), [added.id])
        XCTAssertEqual(try core.document(id: added.id).draft.number, marker)
        XCTAssertEqual(try core.documentFileData(id: added.id), scan)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: out) }
        let size = try await core.saveDocumentFile(id: added.id, to: out)
        XCTAssertEqual(size, UInt64(scan.count))
        XCTAssertEqual(try Data(contentsOf: out), scan)

        // A camera capture replaces the scan.
        let replaced = try await core.setDocumentFile(id: added.id, data: Data([9, 9]), name: "photo.jpg", mime: "image/jpeg")
        XCTAssertEqual(replaced.file?.size, 2)
        XCTAssertGreaterThan(replaced.revision, added.revision)

        // The scan alone can go; the details stay.
        let bare = try core.removeDocumentFile(id: added.id)
        XCTAssertNil(bare.file)
        XCTAssertEqual(try core.document(id: added.id).draft.number, marker)
        _ = try await core.setDocumentFile(id: added.id, data: Data([9, 9]), name: "photo.jpg", mime: "image/jpeg")

        // Expiry 2026-06-30, reminders 90, 30 and 7 days before: three, all neutral.
        let plan = try core.reminderPlan(horizonDays: 200, voice: core.notificationVoice(language: "en"))
        XCTAssertEqual(plan.schedule.count, 3)
        for reminder in plan.schedule {
            XCTAssertFalse(reminder.title.contains(marker) || reminder.body.contains(marker))
            XCTAssertFalse(reminder.body.localizedCaseInsensitiveContains("passport"))
        }

        // Fewer reminders: the edit says which notifications to cancel.
        var fewer = added.draft
        fewer.expiryReminderDays = [30]
        let change = try core.editDocument(id: added.id, fewer)
        XCTAssertEqual(change.document.draft.expiryReminderDays, [30])
        XCTAssertEqual(change.cancelNotificationIds.count, 2, "the 90- and 7-day reminders go")
        XCTAssertTrue(Set(change.cancelNotificationIds).isSubset(of: Set(plan.schedule.map(\.notificationId))))
        XCTAssertEqual(try core.reminderPlan(horizonDays: 200, voice: core.notificationVoice(language: "en")).schedule.count, 1)

        // Chosen for the evidence export: one age file, the number nowhere in plaintext.
        let export = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: export) }
        _ = try await core.exportEvidence(documentIds: [added.id], passphrase: "export pass phrase", to: export)
        let sealed = try Data(contentsOf: export)
        XCTAssertEqual(String(decoding: sealed.prefix(21), as: UTF8.self), "age-encryption.org/v1")
        XCTAssertNil(sealed.range(of: Data(marker.utf8)))

        // Removing it removes its reminders too.
        let removed = try core.removeDocument(id: added.id)
        XCTAssertEqual(removed.document.id, added.id)
        XCTAssertEqual(removed.cancelNotificationIds.count, 1, "the 30-day reminder goes with it")
        XCTAssertEqual(try core.documents(), [])
        XCTAssertThrowsError(try core.document(id: added.id)) { XCTAssertEqual($0 as? WaypointError, .notFound) }
    }

    func testAScanThatCannotBeReadLeavesNoDocumentBehind() async throws {
        let core = try core()
        try await core.setUpVault(passphrase: "correct horse battery")
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        do {
            _ = try await core.addDocument(passport(number: marker), scan: missing, name: "scan.jpg", mime: "image/jpeg")
            XCTFail("a missing scan was stored")
        } catch let error as WaypointError {
            XCTAssertFalse(error.description.contains(marker))
        }
        XCTAssertEqual(try core.documents(), [], "a retry must not make a second copy")
    }

    func testWrongDocumentInputIsATypedErrorWithoutTheInput() throws {
        let core = try core()
        try core.setUpVault(passphrase: "correct horse battery")
        var draft = passport(number: marker)
        draft.issuingCountry = "Mexico \(marker)"
        do {
            _ = try core.addDocument(draft)
            XCTFail("a country name is not a code")
        } catch let error as WaypointError {
            guard case .invalidInput(let field, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "issuing_country")
            XCTAssertFalse(error.description.contains(marker))
        }
        XCTAssertEqual(try core.documents(), [])
    }

    func testSafetyPlanSetSkipClearAndDelete() throws {
        let core = try core()
        try core.setUpVault(passphrase: "correct horse battery")
        let empty = try core.safetyPlan()
        XCTAssertEqual(empty.sections.count, 8)
        XCTAssertEqual(empty.revision, 0)

        let saved = try core.setPlanSection(.codeWord, SectionContent(["blue umbrella \(marker)"], notes: "tell Ana"))
        XCTAssertEqual(saved.section(.codeWord)?.content.items, ["blue umbrella \(marker)"])
        XCTAssertEqual(saved.section(.codeWord)?.content.notes, "tell Ana")

        let skipped = try core.skipPlanSection(.codeWord)
        XCTAssertEqual(skipped.section(.codeWord)?.skipped, true)
        XCTAssertEqual(skipped.section(.codeWord)?.content.items, ["blue umbrella \(marker)"], "skipping keeps what it holds")

        let cleared = try core.clearPlanSection(.codeWord)
        XCTAssertEqual(cleared.section(.codeWord)?.content.items, [])
        XCTAssertGreaterThan(cleared.revision, skipped.revision)

        core.lock()
        XCTAssertThrowsError(try core.safetyPlan()) { XCTAssertEqual($0 as? WaypointError, .locked) }
        try core.unlock(passphrase: "correct horse battery")
        try core.setPlanSection(.pets, SectionContent(["neighbour feeds the cat"]))
        XCTAssertEqual(try core.damagedSafetyPlanCount(), 0)
        try core.deleteSafetyPlan()
        XCTAssertEqual(try core.safetyPlan().section(.pets)?.content.items, [])
        XCTAssertEqual(try core.damagedSafetyPlanCount(), 0)
    }

    func testPlanGuideAndCheckInWorkLockedAndStoreNothing() throws {
        let core = try core()
        let guide = core.safetyPlanGuide(language: "es-MX")
        XCTAssertEqual(guide.title, "Mi plan de seguridad")
        XCTAssertEqual(guide.sections.count, 8)
        XCTAssertEqual(core.safetyCheckForm(language: "en").questions.count, 8)

        // No vault at all: the check-in still answers, from the directory's kinds of help.
        let result = try core.safetyCheckIn([CheckAnswer(question: .needPlace, yes: true)], language: "en")
        XCTAssertEqual(result.suggestions.map(\.category), ["emergency_shelter", "housing"])
        XCTAssertEqual(try core.vaultState(), .uninitialized, "the check-in created nothing")
    }

    func testGuidesListAndShowInSpanish() throws {
        let core = try core()
        let list = try core.guides(language: "es-MX")
        XCTAssertEqual(list.language, "es")
        XCTAssertEqual(list.title, "Conoce tus derechos")
        XCTAssertEqual(list.guides.map(\.id), ["rights", "t-visa", "hotline", "phone-safety"])

        let rights = try core.guide(id: "rights", language: "es-MX")
        XCTAssertEqual(rights.title, "Tus derechos, digan lo que digan tus papeles")
        XCTAssertEqual(rights.sourcesHeading, "Fuentes")
        XCTAssertFalse(rights.sections.isEmpty)
        XCTAssertFalse(rights.notAdvice.isEmpty)
        XCTAssertFalse(rights.sourceURLs.isEmpty)
        XCTAssertFalse(rights.needsReview, "Spanish is complete")

        XCTAssertThrowsError(try core.guide(id: "no-such-guide", language: "es")) { error in
            guard case .invalidInput(let field, _)? = error as? WaypointError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "guide")
        }
    }

    func testNoDescriptionContainsWhatWasTypedIn() async throws {
        let core = try core()
        try await core.setUpVault(passphrase: "correct horse battery")
        let draft = passport(number: marker)
        let added = try await core.addDocument(draft, scan: Data([1, 2, 3]), name: "\(marker).jpg", mime: "image/jpeg")
        let change = try core.editDocument(id: added.id, draft)
        let plan = try core.setPlanSection(.safePlaces, SectionContent(["\(marker) street"], notes: marker))
        let answer = CheckAnswer(question: .hurt, yes: true)
        let result = try core.safetyCheckIn([answer], language: "en")
        let row = DocumentRow(id: added.id, kindText: "Passport", label: marker, expiryText: "", hasFile: true)
        let planRow = PlanSectionRow(section: .safePlaces, title: "", prompt: "", example: "", items: [marker],
                                     notes: marker, skipped: false, status: "")

        let printed: [Any] = [draft, added, added.file as Any, change, row, plan, plan.section(.safePlaces) as Any,
                              SectionContent([marker]), planRow, answer, result]
        for value in printed {
            XCTAssertFalse(String(describing: value).contains(marker), "\(type(of: value)) prints what was typed")
            XCTAssertFalse(String(reflecting: value).contains(marker), "\(type(of: value)) debug-prints what was typed")
            XCTAssertFalse("\(value)".contains(marker))
        }
        XCTAssertFalse(String(describing: result).contains("emergency"), "the suggestions give the answers away")
    }

    func testAScannedKeyIsReadWithItsFingerprintAndAnythingElseIsOneTypedError() throws {
        let core = try core()
        let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
        let read = try core.readScannedKey("  \(key.uppercased())\n")
        XCTAssertEqual(read.key, key)
        XCTAssertEqual(read.fingerprint, try core.shareFingerprint(of: key))
        XCTAssertFalse(String(describing: read).contains(key))
        for text in ["", "https://example.org/\(key)", String(repeating: "x", count: 10 * 1024)] {
            XCTAssertThrowsError(try core.readScannedKey(text)) { error in
                guard case .invalidInput = error as? WaypointError else {
                    return XCTFail("not invalid input: \(error)")
                }
            }
        }
    }
}
