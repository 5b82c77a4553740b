// The idiomatic Swift face of the Waypoint core.
//
// The generated bindings mirror the Rust exports; this wrapper is what app code uses: one
// handle per data directory, Swift types, and typed errors (`throws(WaypointError)`) whose
// descriptions never contain personal data.
//
// Concurrency (Swift 6 language mode, complete checking): every type here is `Sendable` by
// construction: `WaypointCore` and the capability wrappers hold only `let`s of the generated
// objects, which the core makes thread-safe (each is an `Arc` over a core that locks
// internally). The plain methods block on disk or crypto work and must not run on the main
// actor; the `async` variants of everything slow (setup, unlock, passphrase change, export,
// sync, share, a document's scan) run the blocking call on a detached task, so the UI never waits.
import Foundation

/// Errors from the core as the app handles them. Safe to log: no personal data.
public enum WaypointError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongPassphrase(retryAfterSeconds: UInt64)
    case locked
    case invalidInput(field: String, reason: String)
    case notFound
    case storage(String)
    case network(String)
    case verification(String)
    case `internal`(String)

    public var description: String {
        switch self {
        case .wrongPassphrase(let s): return "wrong passphrase; try again in \(s) s"
        case .locked: return "locked"
        case .invalidInput(let field, let reason): return "invalid \(field): \(reason)"
        case .notFound: return "not found"
        case .storage(let r): return "storage: \(r)"
        case .network(let r): return "network: \(r)"
        case .verification(let r): return "verification: \(r)"
        case .internal(let r): return "internal: \(r)"
        }
    }

    init(_ e: WaypointApiError) {
        switch e {
        case .WrongPassphrase(let s): self = .wrongPassphrase(retryAfterSeconds: s)
        case .Locked: self = .locked
        case .InvalidInput(let field, let reason): self = .invalidInput(field: field, reason: reason)
        case .NotFound: self = .notFound
        case .Storage(let r): self = .storage(r)
        case .Network(let r): self = .network(r)
        case .Verification(let r): self = .verification(r)
        case .Internal(let r): self = .internal(r)
        }
    }
}

/// Runs `body`, translating core errors into `WaypointError`; every wrapper call uses it.
func core<T>(_ body: () throws -> T) throws(WaypointError) -> T {
    do {
        return try body()
    } catch let e as WaypointApiError {
        throw WaypointError(e)
    } catch let e as WaypointError {
        throw e
    } catch {
        // Only the generated code's own lifting failures land here; they carry no user data.
        throw WaypointError.internal("unexpected error from the core bindings")
    }
}

/// Runs a blocking core call on a detached task (never the caller's actor) and returns its
/// result. Used by every `async` wrapper: unlock, sync and export must never block the UI.
func offMainActor<T: Sendable>(
    priority: TaskPriority = .userInitiated,
    _ body: @escaping @Sendable () throws(WaypointError) -> T
) async throws(WaypointError) -> T {
    let result = await Task.detached(priority: priority) { () -> Result<T, WaypointError> in
        do {
            return .success(try body())
        } catch let e as WaypointError {
            return .failure(e)
        } catch {
            return .failure(.internal("unexpected error"))
        }
    }.value
    return try result.get()
}

/// Where "now" comes from in tests: a fixed instant.
public final class FixedClock: Clock, Sendable {
    private let ms: Int64
    public init(unixMs: Int64) { self.ms = unixMs }
    public func nowUnixMs() -> Int64 { ms }
}

/// One opened data directory. Keep one for the app's lifetime; share it freely between
/// tasks (it is `Sendable`). The capability wrappers (`vault`, `journal`, ...) are cheap
/// views over the same core.
public final class WaypointCore: Sendable {
    let ffi: Waypoint
    // One exported object per capability, taken once.
    let vaultFfi: Vault
    let journalFfi: Journal
    let appointmentsFfi: Appointments
    let directoryFfi: Directory
    let syncFfi: DirectorySync
    let sharingFfi: Sharing
    let documentsFfi: Documents
    let safetyPlannerFfi: SafetyPlanner
    let guidesFfi: Guides

    /// Opens (creating and migrating if needed) the data directory at `dataDir`, with the
    /// data directory's file key standing in for a platform key (tests, previews).
    public convenience init(dataDir: URL, clock: Clock = systemClock()) throws(WaypointError) {
        let path = dataDir.path
        try self.init(ffi: core { try Waypoint.open(dataDir: path, clock: clock) })
    }

    /// Opens `dataDir` with the platform key store (the Keychain on iOS) adding the second
    /// wrap around the vault key and sealing what must be readable while locked.
    public convenience init(dataDir: URL, clock: Clock = systemClock(), keyStore: KeyStore,
                config: VaultConfig = defaultVaultConfig()) throws(WaypointError) {
        let path = dataDir.path
        try self.init(ffi: core {
            try Waypoint.openWithConfig(dataDir: path, clock: clock, keyStore: keyStore, config: config)
        })
    }

    private init(ffi: Waypoint) {
        self.ffi = ffi
        vaultFfi = ffi.vault()
        journalFfi = ffi.journal()
        appointmentsFfi = ffi.appointments()
        directoryFfi = ffi.directory()
        syncFfi = ffi.directorySync()
        sharingFfi = ffi.sharing()
        documentsFfi = ffi.documents()
        safetyPlannerFfi = ffi.safetyPlan()
        guidesFfi = ffi.guides()
    }

    /// A snapshot of what is stored and whether the vault is open. Holds nothing personal.
    public func status() throws(WaypointError) -> Status {
        try core { try ffi.status() }
    }
}
