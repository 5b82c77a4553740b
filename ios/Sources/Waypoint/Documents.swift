// The survivor's documents for app code on iOS (passports, visas, work permits, I-94s, court
// papers, medical records): details, one photo or scan each, expiry reminders. Needs the
// vault unlocked, else `WaypointError.locked`. A document's number, label, notes and file
// name are personal: every type holding them prints redacted, so none reaches a log through
// string interpolation.
//
// Expiry reminders ride on the appointments' private reminders: after adding, editing or
// removing a document, cancel the returned notification ids and plan again
// (`reminderPlan` / `syncReminders`); their text is the same neutral voice.
//
// Anything that writes or reads a file (a scan, an evidence export) streams and encrypts on
// a detached task: use the `async` forms from UI code.
import Foundation

extension DocumentDraft: CustomStringConvertible, CustomDebugStringConvertible {
    /// A draft with the optional parts empty. Dates are `YYYY-MM-DD`; `issuingCountry` an
    /// ISO 3166-1 alpha-2 code; `expiryReminderDays` days before expiry (each 1-365).
    public init(type: DocumentType, label: String? = nil, number: String? = nil,
                issuingCountry: String? = nil, issuedOn: String? = nil, expiresOn: String? = nil,
                notes: String? = nil, expiryReminderDays: [UInt32] = [],
                reminderTimeZone: String = TimeZone.current.identifier) {
        self.init(docType: type, label: label, number: number, issuingCountry: issuingCountry,
                  issuedOn: issuedOn, expiresOn: expiresOn, notes: notes,
                  expiryReminderDays: expiryReminderDays, reminderTimeZone: reminderTimeZone)
    }

    public var description: String { "DocumentDraft(<redacted>)" }
    public var debugDescription: String { description }
}

extension Document: CustomStringConvertible, CustomDebugStringConvertible {
    /// When it was added.
    public var created: Date { dateFromUnixMs(createdAtMs) }
    /// When it was last changed.
    public var updated: Date { dateFromUnixMs(updatedAtMs) }
    /// Whether a photo or scan is kept with it.
    public var hasFile: Bool { file != nil }

    public var description: String { "Document(id: \(id), revision: \(revision), file: \(file != nil))" }
    public var debugDescription: String { description }
}

extension DocumentFile: CustomStringConvertible, CustomDebugStringConvertible {
    // The file name may be the survivor's own words ("maria-passport.jpg"): never printed.
    public var description: String { "DocumentFile(size: \(size))" }
    public var debugDescription: String { description }
}

extension DocumentChange: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "DocumentChange(\(document.description), cancel: \(cancelNotificationIds.count))"
    }
    public var debugDescription: String { description }
}

extension DocumentRow: CustomStringConvertible, CustomDebugStringConvertible {
    // The label is the survivor's own name for the document.
    public var description: String { "DocumentRow(id: \(id), file: \(hasFile))" }
    public var debugDescription: String { description }
}

extension WaypointCore {
    /// Stores a new document (details only).
    public func addDocument(_ draft: DocumentDraft) throws(WaypointError) -> Document {
        try core { try documentsFfi.add(draft: draft) }
    }

    /// Stores a new document with the photo or scan at `scan` (streamed and encrypted), on a
    /// detached task. If the file cannot be stored the new document is removed again, so a
    /// retry never leaves a copy without its scan; the error says why.
    public func addDocument(_ draft: DocumentDraft, scan: URL, name: String,
                            mime: String) async throws(WaypointError) -> Document {
        let documents = documentsFfi
        let path = scan.path
        return try await offMainActor { () throws(WaypointError) in
            try addThenAttach(documents, draft) { id in
                try documents.setFilePath(id: id, path: path, name: name, mime: mime)
            }
        }
    }

    /// Stores a new document with a camera capture, on a detached task (same rule as above).
    public func addDocument(_ draft: DocumentDraft, scan: Data, name: String,
                            mime: String) async throws(WaypointError) -> Document {
        let documents = documentsFfi
        return try await offMainActor { () throws(WaypointError) in
            try addThenAttach(documents, draft) { id in
                try documents.setFileBytes(id: id, content: scan, name: name, mime: mime)
            }
        }
    }

    /// One document.
    public func document(id: String) throws(WaypointError) -> Document {
        try core { try documentsFfi.get(id: id) }
    }

    /// Every document, by type and label.
    public func documents() throws(WaypointError) -> [Document] {
        try core { try documentsFfi.list() }
    }

    /// How many stored documents are set aside: damaged or tampered, or not what the
    /// vault's sealed manifest records (rolled back, put back after removal, removed); plus
    /// listed documents whose scan is gone, plus one while the manifest is missing.
    public func damagedDocumentCount() throws(WaypointError) -> UInt32 {
        try core { try documentsFfi.damagedCount() }
    }

    /// Replaces a document's details; cancel `cancelNotificationIds`, then plan again.
    public func editDocument(id: String, _ draft: DocumentDraft) throws(WaypointError) -> DocumentChange {
        try core { try documentsFfi.edit(id: id, draft: draft) }
    }

    /// Deletes a document and its scan for good; cancel `cancelNotificationIds`.
    public func removeDocument(id: String) throws(WaypointError) -> DocumentChange {
        try core { try documentsFfi.remove(id: id) }
    }

    /// Sets the photo or scan from the file at `file` (streamed and encrypted), replacing any
    /// earlier one.
    public func setDocumentFile(id: String, file: URL, name: String,
                                mime: String) async throws(WaypointError) -> Document {
        let documents = documentsFfi
        let path = file.path
        return try await offMainActor { () throws(WaypointError) in
            try core { try documents.setFilePath(id: id, path: path, name: name, mime: mime) }
        }
    }

    /// Sets the photo or scan from a camera capture, replacing any earlier one.
    public func setDocumentFile(id: String, data: Data, name: String,
                                mime: String) async throws(WaypointError) -> Document {
        let documents = documentsFfi
        return try await offMainActor { () throws(WaypointError) in
            try core { try documents.setFileBytes(id: id, content: data, name: name, mime: mime) }
        }
    }

    /// Removes the photo or scan; the details and expiry reminders stay.
    public func removeDocumentFile(id: String) throws(WaypointError) -> Document {
        try core { try documentsFfi.removeFile(id: id) }
    }

    /// The photo or scan's content (small files; use `saveDocumentFile` for large ones).
    public func documentFileData(id: String) throws(WaypointError) -> Data {
        try core { try documentsFfi.fileBytes(id: id) }
    }

    /// Decrypts the photo or scan into `destination` (owner-only); returns its size. Remove
    /// the copy as soon as it has been shown or shared.
    public func saveDocumentFile(id: String, to destination: URL) async throws(WaypointError) -> UInt64 {
        let documents = documentsFfi
        let path = destination.path
        return try await offMainActor { () throws(WaypointError) in
            try core { try documents.saveFile(id: id, destPath: path) }
        }
    }

    /// The evidence export (every journal entry) with the chosen documents and their scans,
    /// as one age file at `destination` opened with `passphrase`.
    public func exportEvidence(documentIds: [String], passphrase: String,
                               to destination: URL) async throws(WaypointError) -> ExportSummary {
        let documents = documentsFfi
        let path = destination.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core {
                try documents.evidenceExportToPassphrase(documentIds: documentIds, passphrase: passphrase,
                                                         outPath: path)
            }
        }
    }

    /// The evidence export with the chosen documents, to an age recipient (`age1...`).
    public func exportEvidence(documentIds: [String], recipient: String,
                               to destination: URL) async throws(WaypointError) -> ExportSummary {
        let documents = documentsFfi
        let path = destination.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core {
                try documents.evidenceExportToRecipient(documentIds: documentIds, recipient: recipient,
                                                        outPath: path)
            }
        }
    }
}

/// Adds `draft`, then stores its file with `attach`; on a failure to store the file the new
/// document is removed (best effort: the first error is the one reported).
private func addThenAttach(_ documents: Documents, _ draft: DocumentDraft,
                           _ attach: (String) throws -> Document) throws(WaypointError) -> Document {
    let added = try core { try documents.add(draft: draft) }
    let failure: WaypointError
    do {
        return try core { try attach(added.id) }
    } catch let e as WaypointError {
        failure = e
    } catch {
        failure = .internal("unexpected error")
    }
    _ = try? core { try documents.remove(id: added.id) }
    throw failure
}
