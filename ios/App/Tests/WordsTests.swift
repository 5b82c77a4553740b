// Which words the shell shows: the core's labels first, its own String Catalog only where the
// core sent nothing. App-hosted; run with `xcodebuild test` (docs/IOS.md). Not run on Linux.
import XCTest
import Waypoint
@testable import WaypointApp

final class WordsTests: XCTestCase {
    private func state(title: String, labels: [(String, String)]) -> AppState {
        AppState(version: 1, view: .unlock(error: nil), canGoBack: false, launch: nil, leaveRecents: false,
                 language: "es", direction: .ltr, title: title,
                 labels: labels.map { ScreenLabel(key: $0.0, text: $0.1) })
    }

    func testTheCoreLabelWinsAndTheFirstOfTwoIsKept() {
        let words = Words(state(title: "Desbloquear", labels: [("continue", "Continuar"), ("continue", "otra")]))
        XCTAssertEqual(words.string("continue"), "Continuar")
        XCTAssertEqual(words.title, "Desbloquear")
        XCTAssertNil(words.string("save"), "a key the core did not send falls back to the catalog")
    }

    func testNoStateMeansNoCoreWords() {
        let words = Words(nil)
        XCTAssertEqual(words.title, "")
        XCTAssertNil(words.string("continue"))
    }
}
