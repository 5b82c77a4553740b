// The encrypted journal: entries with revision history, attachments, search and evidence
// export. Every call needs the vault unlocked (else WaypointException.Locked) and does disk
// and crypto work: call it off the main thread.
//
// toString() of every type here is redacted: journal content must never reach a log.
package org.waypoint.core

import java.io.File
import org.waypoint.core.ffi.AttachmentKind as FfiAttachmentKind

/** Details that matter in trafficking and labour-exploitation cases. */
data class CaseDetails(
    val hoursWorked: Double? = null,
    val wagesPromised: String? = null,
    val wagesPaid: String? = null,
    val debtsClaimed: String? = null,
    val documentsWithheld: List<String> = emptyList(),
    val threats: String? = null,
) {
    override fun toString() = "CaseDetails(<redacted>)"
}

/** What a person writes. [happenedAtMs] is when the event happened, if not when written. */
data class EntryDraft(
    val title: String = "",
    val body: String = "",
    val happenedAtMs: Long? = null,
    val mood: String? = null,
    val tags: List<String> = emptyList(),
    val place: String? = null,
    val people: List<String> = emptyList(),
    val caseDetails: CaseDetails = CaseDetails(),
) {
    override fun toString() = "EntryDraft(<redacted>)"
}

enum class AttachmentKind { PHOTO, AUDIO, VIDEO, DOCUMENT }

/** An attachment's description; read its content with [Journal.attachmentBytes] or [Journal.saveAttachment]. */
data class Attachment(
    val id: String,
    val entryId: String,
    val name: String,
    val mime: String,
    val kind: AttachmentKind,
    val size: Long,
    val sha256: String,
    val addedAtMs: Long,
) {
    override fun toString() = "Attachment(id=$id, size=$size)"
}

/** One revision of an entry. */
data class JournalEntry(
    val id: String,
    val revision: Long,
    val title: String,
    val body: String,
    val happenedAtMs: Long?,
    val writtenAtMs: Long,
    val updatedAtMs: Long,
    val mood: String?,
    val tags: List<String>,
    val place: String?,
    val people: List<String>,
    val caseDetails: CaseDetails,
    val attachments: List<Attachment>,
) {
    /** This entry's content, to edit it. */
    fun toDraft() = EntryDraft(title, body, happenedAtMs, mood, tags, place, people, caseDetails)
    override fun toString() = "JournalEntry(id=$id, revision=$revision)"
}

/** Which entries to list; dates compare with when the event happened (else when written). */
data class EntryFilter(
    val tag: String? = null,
    val fromMs: Long? = null,
    val toMs: Long? = null,
    val limit: Int? = null,
)

/** What an export wrote; give [chainHead] to the recipient separately to check the archive. */
data class ExportSummary(val entries: Int, val attachments: Int, val bytes: Long, val chainHead: String)

private fun CaseDetails.toFfi() = org.waypoint.core.ffi.CaseDetails(
    hoursWorked, wagesPromised, wagesPaid, debtsClaimed, documentsWithheld, threats,
)

private fun org.waypoint.core.ffi.CaseDetails.toKt() = CaseDetails(
    hoursWorked, wagesPromised, wagesPaid, debtsClaimed, documentsWithheld, threats,
)

private fun EntryDraft.toFfi() = org.waypoint.core.ffi.EntryDraft(
    title, body, happenedAtMs, mood, tags, place, people, caseDetails.toFfi(),
)

private fun org.waypoint.core.ffi.AttachmentInfo.toKt() = Attachment(
    id, entryId, name, mime,
    when (kind) {
        FfiAttachmentKind.PHOTO -> AttachmentKind.PHOTO
        FfiAttachmentKind.AUDIO -> AttachmentKind.AUDIO
        FfiAttachmentKind.VIDEO -> AttachmentKind.VIDEO
        FfiAttachmentKind.DOCUMENT -> AttachmentKind.DOCUMENT
    },
    size.toLong(), sha256, addedAtMs,
)

private fun org.waypoint.core.ffi.JournalEntry.toKt() = JournalEntry(
    id, revision.toLong(), title, body, happenedAtMs, writtenAtMs, updatedAtMs, mood, tags, place,
    people, caseDetails.toKt(), attachments.map { it.toKt() },
)

/** The journal of one [WaypointCore]. Obtain it with [WaypointCore.journal]. */
class Journal internal constructor(private val core: WaypointCore) {
    /** Writes a new entry. */
    fun add(draft: EntryDraft): JournalEntry = core { core.journalFfi.add(draft.toFfi()).toKt() }

    /** One entry (current revision) with its attachments. */
    fun get(id: String): JournalEntry = core { core.journalFfi.get(id).toKt() }

    /** Replaces an entry's content; the previous revision stays in [history]. */
    fun edit(id: String, draft: EntryDraft): JournalEntry =
        core { core.journalFfi.edit(id, draft.toFfi()).toKt() }

    /** Every revision, oldest first. */
    fun history(id: String): List<JournalEntry> = core { core.journalFfi.history(id).map { it.toKt() } }

    /** Deletes an entry for good: its key, every revision and attachment. */
    fun delete(id: String) = core { core.journalFfi.delete(id) }

    /** Entries matching [filter], newest first. */
    fun list(filter: EntryFilter = EntryFilter()): List<JournalEntry> = core {
        core.journalFfi.list(
            org.waypoint.core.ffi.EntryFilter(filter.tag, filter.fromMs, filter.toMs, filter.limit?.toUInt()),
        ).map { it.toKt() }
    }

    /** Full-text search (in memory only), newest first. */
    fun search(query: String): List<JournalEntry> = core { core.journalFfi.search(query).map { it.toKt() } }

    /** How many entries failed authentication (damaged or tampered) and are set aside. */
    fun damagedCount(): Int = core { core.journalFfi.damagedCount().toInt() }

    /** Attaches [file] (streamed, encrypted in chunks). */
    fun attachFile(entryId: String, file: File, mime: String, name: String = file.name): Attachment =
        core { core.journalFfi.attachFile(entryId, file.path, name, mime).toKt() }

    /** Attaches [content]. */
    fun attachBytes(entryId: String, content: ByteArray, name: String, mime: String): Attachment =
        core { core.journalFfi.attachBytes(entryId, content, name, mime).toKt() }

    /** An attachment's content (small files; use [saveAttachment] for large ones). */
    fun attachmentBytes(attachmentId: String): ByteArray = core { core.journalFfi.attachmentBytes(attachmentId) }

    /** Decrypts an attachment into [dest]; returns its size. */
    fun saveAttachment(attachmentId: String, dest: File): Long =
        core { core.journalFfi.saveAttachment(attachmentId, dest.path).toLong() }

    /** Deletes one attachment. */
    fun deleteAttachment(attachmentId: String) = core { core.journalFfi.deleteAttachment(attachmentId) }

    /** Exports everything as one age file opened with [passphrase] (`age -d`). */
    fun exportToPassphrase(passphrase: String, out: File): ExportSummary =
        core { core.journalFfi.exportToPassphrase(passphrase, out.path).toKt() }

    /** Exports everything as one age file to an age recipient (`age1...`). */
    fun exportToRecipient(recipient: String, out: File): ExportSummary =
        core { core.journalFfi.exportToRecipient(recipient, out.path).toKt() }

    private fun org.waypoint.core.ffi.ExportSummary.toKt() =
        ExportSummary(entries.toInt(), attachments.toInt(), bytes.toLong(), chainHead)
}

/** The journal of this data directory. */
val WaypointCore.journal: Journal get() = Journal(this)
