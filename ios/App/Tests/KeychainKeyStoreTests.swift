// The Keychain key store, app-hosted (the Keychain needs the app's entitlements; the
// Simulator has no Secure Enclave, so there this covers the plain Keychain path and a device
// run covers the Enclave path). Run with `xcodebuild test` (docs/IOS.md). Not run on Linux.
import XCTest
import Waypoint

final class KeychainKeyStoreTests: XCTestCase {
    private var store: KeychainKeyStore!

    override func setUp() {
        // A service name of its own, so the test never touches the app's real key.
        store = KeychainKeyStore(service: "test-\(UUID().uuidString)")
    }

    override func tearDown() {
        store.destroy()
    }

    func testSealedRowsOpenOnlyForTheirLabel() throws {
        let sealed = try store.seal(label: "appointments/schedule", plaintext: Data("times".utf8))
        XCTAssertEqual(try store.unseal(label: "appointments/schedule", sealed: sealed), Data("times".utf8))
        XCTAssertThrowsError(try store.unseal(label: "disguise/settings", sealed: sealed))
        var flipped = sealed
        flipped[flipped.count - 1] ^= 1
        XCTAssertThrowsError(try store.unseal(label: "appointments/schedule", sealed: flipped))
    }

    func testTheKeySurvivesANewInstanceAndIsGoneAfterDestroy() throws {
        let service = "test-\(UUID().uuidString)"
        let first = KeychainKeyStore(service: service)
        let sealed = try first.seal(label: "l", plaintext: Data("x".utf8))
        XCTAssertEqual(try KeychainKeyStore(service: service).unseal(label: "l", sealed: sealed), Data("x".utf8))
        first.destroy()
        XCTAssertThrowsError(try KeychainKeyStore(service: service).unseal(label: "l", sealed: sealed),
                             "a new key after destroy must not open the old rows")
        KeychainKeyStore(service: service).destroy()
    }
}
