// The encrypted journal for app code on iOS (needs the vault unlocked, else
// `WaypointError.locked`). Entries and attachments are sealed by the core; nothing here writes
// personal data anywhere but through it. Types holding entry content print redacted, so an
// entry never reaches a log through string interpolation.
//
// Exports (an age file a person opens with the standard `age` tool) stream every entry and
// attachment: use the `async` forms.
import Foundation

extension EntryDraft: CustomStringConvertible, CustomDebugStringConvertible {
    /// A draft with the optional parts empty; `happenedAt` nil means "now".
    public init(title: String, body: String, happenedAt: Date? = nil, mood: String? = nil,
                tags: [String] = [], place: String? = nil) {
        self.init(title: title, body: body, happenedAtMs: happenedAt.map(unixMs), mood: mood, tags: tags,
                  place: place, people: [], caseDetails: CaseDetails(
                      hoursWorked: nil, wagesPromised: nil, wagesPaid: nil, debtsClaimed: nil,
                      documentsWithheld: [], threats: nil))
    }

    public var description: String { "EntryDraft(<redacted>)" }
    public var debugDescription: String { description }
}

extension JournalEntry: CustomStringConvertible, CustomDebugStringConvertible {
    /// When it happened, if the person said; else when it was written.
    public var happened: Date { dateFromUnixMs(happenedAtMs ?? writtenAtMs) }
    public var description: String { "JournalEntry(id: \(id), revision: \(revision))" }
    public var debugDescription: String { description }
}

extension AttachmentInfo: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "AttachmentInfo(id: \(id), size: \(size))" }
    public var debugDescription: String { description }
}

extension EntryFilter {
    /// Every entry.
    public static let all = EntryFilter(tag: nil, fromMs: nil, toMs: nil, limit: nil)
}

extension WaypointCore {
    /// Writes a new entry.
    public func addEntry(_ draft: EntryDraft) throws(WaypointError) -> JournalEntry {
        try core { try journalFfi.add(draft: draft) }
    }

    /// One entry, current revision, with its attachments.
    public func entry(id: String) throws(WaypointError) -> JournalEntry {
        try core { try journalFfi.get(id: id) }
    }

    /// Replaces an entry's content; the previous revision stays in its history.
    public func editEntry(id: String, _ draft: EntryDraft) throws(WaypointError) -> JournalEntry {
        try core { try journalFfi.edit(id: id, draft: draft) }
    }

    /// Every revision of an entry, oldest first.
    public func entryHistory(id: String) throws(WaypointError) -> [JournalEntry] {
        try core { try journalFfi.history(id: id) }
    }

    /// Deletes an entry for good (its key, revisions and attachments).
    public func deleteEntry(id: String) throws(WaypointError) {
        try core { try journalFfi.delete(id: id) }
    }

    /// Entries matching `filter`, newest first.
    public func entries(_ filter: EntryFilter = .all) throws(WaypointError) -> [JournalEntry] {
        try core { try journalFfi.list(filter: filter) }
    }

    /// Full-text search (an in-memory index built after unlock), newest first.
    public func searchEntries(_ query: String) throws(WaypointError) -> [JournalEntry] {
        try core { try journalFfi.search(query: query) }
    }

    /// Entries and attachments set aside as damaged (see the core's docs).
    public func damagedCount() throws(WaypointError) -> UInt32 {
        try core { try journalFfi.damagedCount() }
    }

    /// Attaches the file at `file` (streamed and encrypted in chunks) to an entry.
    public func attachFile(to entryId: String, file: URL, name: String, mime: String) async throws(WaypointError) -> AttachmentInfo {
        let journal = journalFfi
        let path = file.path
        return try await offMainActor { () throws(WaypointError) in
            try core { try journal.attachFile(entryId: entryId, path: path, name: name, mime: mime) }
        }
    }

    /// Attaches `content` to an entry.
    public func attach(_ content: Data, to entryId: String, name: String, mime: String) throws(WaypointError) -> AttachmentInfo {
        try core { try journalFfi.attachBytes(entryId: entryId, content: content, name: name, mime: mime) }
    }

    /// An attachment's content (small files; use `saveAttachment` for large ones).
    public func attachmentData(id: String) throws(WaypointError) -> Data {
        try core { try journalFfi.attachmentBytes(attachmentId: id) }
    }

    /// Decrypts an attachment into `destination` (streamed); returns its size.
    public func saveAttachment(id: String, to destination: URL) async throws(WaypointError) -> UInt64 {
        let journal = journalFfi
        let path = destination.path
        return try await offMainActor { () throws(WaypointError) in
            try core { try journal.saveAttachment(attachmentId: id, destPath: path) }
        }
    }

    /// Deletes one attachment.
    public func deleteAttachment(id: String) throws(WaypointError) {
        try core { try journalFfi.deleteAttachment(attachmentId: id) }
    }

    /// Exports every entry and attachment as one age file at `destination`, opened with
    /// `passphrase`.
    public func exportJournal(passphrase: String, to destination: URL) async throws(WaypointError) -> ExportSummary {
        let journal = journalFfi
        let path = destination.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try journal.exportToPassphrase(passphrase: passphrase, outPath: path) }
        }
    }

    /// Exports every entry and attachment as one age file to an age recipient (`age1...`).
    public func exportJournal(recipient: String, to destination: URL) async throws(WaypointError) -> ExportSummary {
        let journal = journalFfi
        let path = destination.path
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try journal.exportToRecipient(recipient: recipient, outPath: path) }
        }
    }
}
