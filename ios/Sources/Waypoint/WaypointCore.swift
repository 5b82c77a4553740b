// The idiomatic Swift face of the Waypoint core.
//
// The generated bindings mirror the Rust exports; this wrapper is what app code uses: one
// handle per data directory, Swift types, and errors as one enum whose descriptions never
// contain personal data. Every call blocks on disk or crypto work: call it from a background
// task (e.g. `Task.detached`), never from the main actor.
import Foundation

/// Errors from the core as the app handles them. Safe to log: no personal data.
public enum WaypointError: Error, Equatable, CustomStringConvertible {
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

/// Runs `body`, translating core errors; capability wrappers use it for every call.
func core<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as WaypointApiError {
        throw WaypointError(e)
    }
}

/// Where "now" comes from; apps use the system clock, tests a fixed one.
public final class FixedClock: Clock, @unchecked Sendable {
    private let ms: Int64
    public init(unixMs: Int64) { self.ms = unixMs }
    public func nowUnixMs() -> Int64 { ms }
}

/// One opened data directory. Keep one for the app's lifetime.
public final class WaypointCore {
    let ffi: Waypoint
    // One exported object per capability, taken once; the capability files extend this
    // class over them.
    let vaultFfi: Vault
    let journalFfi: Journal
    let appointmentsFfi: Appointments
    let directoryFfi: Directory
    let syncFfi: DirectorySync

    /// Opens (creating and migrating if needed) the data directory at `dataDir`.
    public init(dataDir: URL, clock: Clock = systemClock()) throws {
        ffi = try core { try Waypoint.open(dataDir: dataDir.path, clock: clock) }
        vaultFfi = ffi.vault()
        journalFfi = ffi.journal()
        appointmentsFfi = ffi.appointments()
        directoryFfi = ffi.directory()
        syncFfi = ffi.directorySync()
    }

    /// A snapshot of what is stored and whether the vault is open. Holds nothing personal.
    public func status() throws -> Status {
        try core { try ffi.status() }
    }
}
