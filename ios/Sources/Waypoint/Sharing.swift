// Sharing chosen journal entries and appointments with one person, as an age file for the
// share sheet (needs the vault unlocked, except `fingerprint`). Nothing goes through a
// server. Writing a share encrypts every chosen entry: use the `async` forms.
import Foundation

extension ShareRecipient: CustomStringConvertible, CustomDebugStringConvertible {
    // The label names a person the survivor trusts: never printed.
    public var description: String { "ShareRecipient(id: \(id))" }
    public var debugDescription: String { description }
}

extension ScannedKey: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "ScannedKey(fingerprint: \(fingerprint))" }
    public var debugDescription: String { description }
}

extension WaypointCore {
    /// The short fingerprint of an `age1...` key, to compare in person.
    public func shareFingerprint(of key: String) throws(WaypointError) -> String {
        try core { try sharingFfi.fingerprint(key: key) }
    }

    /// Reads the text of a scanned QR code (or a pasted key) as a recipient key with its
    /// fingerprint to compare in person; anything else is one `.invalidInput` (the input is
    /// never echoed; over 512 bytes is refused unread). Works locked.
    public func readScannedKey(_ text: String) throws(WaypointError) -> ScannedKey {
        try core { try sharingFfi.readScannedKey(text: text) }
    }

    /// Saves a recipient: a label and a pasted or scanned `age1...` key (validated).
    public func addShareRecipient(label: String, key: String) throws(WaypointError) -> ShareRecipient {
        try core { try sharingFfi.addRecipient(label: label, key: key) }
    }

    /// This vault's saved recipients, oldest first.
    public func shareRecipients() throws(WaypointError) -> [ShareRecipient] {
        try core { try sharingFfi.listRecipients() }
    }

    /// Removes a saved recipient.
    public func removeShareRecipient(id: String) throws(WaypointError) {
        try core { try sharingFfi.removeRecipient(id: id) }
    }

    /// Writes a share for the holder of `key` (`age1...` or a saved recipient's id).
    public func share(entryIds: [String], appointmentIds: [String] = [], toKey key: String,
                      at destination: URL) async throws(WaypointError) -> ExportSummary {
        let sharing = sharingFfi
        let path = destination.path
        return try await offMainActor { () throws(WaypointError) in
            try core {
                try sharing.shareToKey(entryIds: entryIds, appointmentIds: appointmentIds, key: key, outPath: path)
            }
        }
    }

    /// Writes a share opened with `passphrase`.
    public func share(entryIds: [String], appointmentIds: [String] = [], passphrase: String,
                      at destination: URL) async throws(WaypointError) -> ExportSummary {
        let sharing = sharingFfi
        let path = destination.path
        return try await offMainActor { () throws(WaypointError) in
            try core {
                try sharing.shareToPassphrase(entryIds: entryIds, appointmentIds: appointmentIds,
                                              passphrase: passphrase, outPath: path)
            }
        }
    }
}
