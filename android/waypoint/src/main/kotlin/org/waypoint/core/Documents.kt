// The survivor's documents in the vault: passports, visas, work permits, I-94s, court papers,
// medical records. Details (type, number, issuing country, dates, notes), one photo or scan
// each (encrypted in the vault), neutral expiry reminders planned with the appointments'
// private reminders (call `core.appointments.reminderPlan()` after a change), and the
// evidence export with the documents the survivor chooses. Needs the vault unlocked (else
// WaypointException.Locked).
//
// Calls that write or read the scan's file (adding with a scan, replacing it, saving it,
// removing a document, the exports) are suspend functions that run on Dispatchers.IO; the
// details-only calls block briefly on the database: call them off the main thread too.
//
// toString() of every type here is redacted (ids, revisions and sizes only): a document
// number, a label or a note must never reach a log or a crash report.
package org.waypoint.core

import java.io.File
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.waypoint.core.ffi.AttachmentKind as FfiAttachmentKind
import org.waypoint.core.ffi.DocumentType as FfiDocumentType

/** What a document is. */
enum class DocumentType {
    PASSPORT, VISA, WORK_PERMIT, I94, ID_CARD, DRIVING_LICENCE, BIRTH_CERTIFICATE, COURT_PAPER, MEDICAL_RECORD, OTHER,
}

/** A document's details as the survivor enters them. */
data class DocumentDraft(
    val type: DocumentType,
    /** Their own name for it ("my passport", "protection order"). */
    val label: String? = null,
    val number: String? = null,
    /** ISO 3166-1 alpha-2 code (`MX`, `US`); stored upper-cased. A country name is refused. */
    val issuingCountry: String? = null,
    val issuedOn: LocalDate? = null,
    val expiresOn: LocalDate? = null,
    /** Where the original is, who holds it, ... */
    val notes: String? = null,
    /** Days before [expiresOn] to be reminded (each 1-365); empty: no reminders. */
    val expiryReminderDays: List<Int> = emptyList(),
    /** The zone the reminders fire in (09:00 local). */
    val reminderTimeZone: ZoneId = ZoneId.of("UTC"),
) {
    override fun toString() = "DocumentDraft(<redacted>)"
}

/** A document's photo or scan; read it with [Documents.scanBytes] or [Documents.saveScan]. */
data class DocumentFile(
    val name: String,
    val mime: String,
    /** PHOTO or DOCUMENT, from the media type. */
    val kind: AttachmentKind,
    val size: Long,
    val sha256: String,
    val addedAtMs: Long,
) {
    override fun toString() = "DocumentFile(size=$size)"
}

/** A stored document. [revision] grows with every change, a new scan included. */
data class Document(
    val id: String,
    val revision: Long,
    val createdAtMs: Long,
    val updatedAtMs: Long,
    val draft: DocumentDraft,
    val file: DocumentFile?,
) {
    override fun toString() = "Document(id=$id, revision=$revision)"
}

/** A changed or removed document and the notification ids of its old reminders to cancel. */
data class DocumentChange(val document: Document, val cancelNotificationIds: List<String>) {
    override fun toString() = "DocumentChange(id=${document.id}, cancel=${cancelNotificationIds.size})"
}

/** A photo or scan to store with a document. */
sealed class DocumentScan {
    abstract val name: String
    abstract val mime: String

    /** A file on disk (streamed and encrypted in chunks; the file itself is not touched). */
    class FromFile(val file: File, override val mime: String, override val name: String = file.name) : DocumentScan() {
        override fun toString() = "DocumentScan.FromFile(<redacted>)"
    }

    /** A camera capture held in memory. */
    class FromBytes(val content: ByteArray, override val name: String, override val mime: String) : DocumentScan() {
        override fun toString() = "DocumentScan.FromBytes(size=${content.size})"
    }
}

private fun DocumentType.toFfi() = when (this) {
    DocumentType.PASSPORT -> FfiDocumentType.PASSPORT
    DocumentType.VISA -> FfiDocumentType.VISA
    DocumentType.WORK_PERMIT -> FfiDocumentType.WORK_PERMIT
    DocumentType.I94 -> FfiDocumentType.I94
    DocumentType.ID_CARD -> FfiDocumentType.ID_CARD
    DocumentType.DRIVING_LICENCE -> FfiDocumentType.DRIVING_LICENCE
    DocumentType.BIRTH_CERTIFICATE -> FfiDocumentType.BIRTH_CERTIFICATE
    DocumentType.COURT_PAPER -> FfiDocumentType.COURT_PAPER
    DocumentType.MEDICAL_RECORD -> FfiDocumentType.MEDICAL_RECORD
    DocumentType.OTHER -> FfiDocumentType.OTHER
}

private fun FfiDocumentType.toKt() = when (this) {
    FfiDocumentType.PASSPORT -> DocumentType.PASSPORT
    FfiDocumentType.VISA -> DocumentType.VISA
    FfiDocumentType.WORK_PERMIT -> DocumentType.WORK_PERMIT
    FfiDocumentType.I94 -> DocumentType.I94
    FfiDocumentType.ID_CARD -> DocumentType.ID_CARD
    FfiDocumentType.DRIVING_LICENCE -> DocumentType.DRIVING_LICENCE
    FfiDocumentType.BIRTH_CERTIFICATE -> DocumentType.BIRTH_CERTIFICATE
    FfiDocumentType.COURT_PAPER -> DocumentType.COURT_PAPER
    FfiDocumentType.MEDICAL_RECORD -> DocumentType.MEDICAL_RECORD
    FfiDocumentType.OTHER -> DocumentType.OTHER
}

private fun DocumentDraft.toFfi(): org.waypoint.core.ffi.DocumentDraft {
    // The core checks each day (1-365); a negative Int must not wrap into a large UInt.
    val days = expiryReminderDays.map {
        if (it < 0) throw WaypointException.InvalidInput("expiry_reminder_days", "must be 1-365")
        it.toUInt()
    }
    return org.waypoint.core.ffi.DocumentDraft(
        type.toFfi(), label, number, issuingCountry, issuedOn?.toString(), expiresOn?.toString(), notes,
        days, reminderTimeZone.id,
    )
}

/** The core writes dates as `YYYY-MM-DD`; anything else is a core bug, not the survivor's. */
private fun parseDay(s: String?): LocalDate? = s?.let {
    try {
        LocalDate.parse(it)
    } catch (e: java.time.format.DateTimeParseException) {
        throw WaypointException.Internal("stored date is not YYYY-MM-DD", e)
    }
}

private fun org.waypoint.core.ffi.DocumentDraft.toKt() = DocumentDraft(
    docType.toKt(), label, number, issuingCountry, parseDay(issuedOn), parseDay(expiresOn), notes,
    expiryReminderDays.map { it.toInt() },
    try {
        ZoneId.of(reminderTimeZone.ifEmpty { "UTC" })
    } catch (e: java.time.DateTimeException) {
        throw WaypointException.Internal("stored time zone unknown to this JVM", e)
    },
)

private fun org.waypoint.core.ffi.DocumentFile.toKt() = DocumentFile(
    name, mime,
    when (kind) {
        FfiAttachmentKind.PHOTO -> AttachmentKind.PHOTO
        FfiAttachmentKind.AUDIO -> AttachmentKind.AUDIO
        FfiAttachmentKind.VIDEO -> AttachmentKind.VIDEO
        FfiAttachmentKind.DOCUMENT -> AttachmentKind.DOCUMENT
    },
    size.toLong(), sha256, addedAtMs,
)

private fun org.waypoint.core.ffi.Document.toKt() =
    Document(id, revision.toLong(), createdAtMs, updatedAtMs, draft.toKt(), file?.toKt())

private fun org.waypoint.core.ffi.DocumentChange.toKt() = DocumentChange(document.toKt(), cancelNotificationIds)

/**
 * The documents of one [WaypointCore]. Obtain it with [WaypointCore.documents].
 * [io] is where file work runs (Dispatchers.IO; tests may pass another).
 */
class Documents internal constructor(
    private val core: WaypointCore,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    private val ffi get() = core.documentsFfi

    /**
     * Stores a new document and, if given, its photo or scan, as one step: when the scan is
     * refused (too large, unreadable), the details just stored are removed again and the
     * error is thrown, so a retry does not leave a second copy behind.
     */
    suspend fun add(draft: DocumentDraft, scan: DocumentScan? = null): Document = withContext(io) {
        val added = core { ffi.add(draft.toFfi()) }
        if (scan == null) return@withContext added.toKt()
        try {
            core { setScanBlocking(added.id, scan) }
        } catch (e: Exception) {
            try {
                core { ffi.remove(added.id) }
            } catch (cleanup: WaypointException) {
                e.addSuppressed(cleanup)
            }
            throw e
        }
    }

    /** One document. */
    fun get(id: String): Document = core { ffi.get(id).toKt() }

    /** Every document, by type and label. */
    fun list(): List<Document> = core { ffi.list().map { it.toKt() } }

    /**
     * How many stored documents are set aside: damaged or tampered, or not what the vault's
     * sealed manifest records (rolled back, put back after removal, removed from the database);
     * plus listed documents whose scan is gone, plus one while the manifest is missing.
     * Removing one by its id acknowledges it.
     */
    fun damagedCount(): Int = core { ffi.damagedCount().toInt() }

    /** Replaces a document's details (its scan stays); cancel the returned notification ids. */
    fun edit(id: String, draft: DocumentDraft): DocumentChange = core { ffi.edit(id, draft.toFfi()).toKt() }

    /** Deletes a document and its scan for good; cancel the returned notification ids. */
    suspend fun remove(id: String): DocumentChange = withContext(io) { core { ffi.remove(id).toKt() } }

    /** Sets (or replaces) a document's photo or scan. */
    suspend fun setScan(id: String, scan: DocumentScan): Document = withContext(io) { core { setScanBlocking(id, scan) } }

    /** Removes a document's photo or scan; its details and expiry reminders stay. */
    suspend fun removeScan(id: String): Document = withContext(io) { core { ffi.removeFile(id).toKt() } }

    /** The scan's content (small files; use [saveScan] for large ones). */
    suspend fun scanBytes(id: String): ByteArray = withContext(io) { core { ffi.fileBytes(id) } }

    /** Decrypts the scan into [dest] (owner-only); returns its size. */
    suspend fun saveScan(id: String, dest: File): Long = withContext(io) { core { ffi.saveFile(id, dest.path).toLong() } }

    /** The evidence export (every journal entry) with the documents [documentIds], opened with [passphrase]. */
    suspend fun evidenceExportToPassphrase(documentIds: List<String>, passphrase: String, out: File): ExportSummary =
        withContext(io) { core { ffi.evidenceExportToPassphrase(documentIds, passphrase, out.path).toKt() } }

    /** The evidence export with the documents [documentIds], to an age recipient (`age1...`). */
    suspend fun evidenceExportToRecipient(documentIds: List<String>, recipient: String, out: File): ExportSummary =
        withContext(io) { core { ffi.evidenceExportToRecipient(documentIds, recipient, out.path).toKt() } }

    private fun setScanBlocking(id: String, scan: DocumentScan): Document = when (scan) {
        is DocumentScan.FromFile -> ffi.setFilePath(id, scan.file.path, scan.name, scan.mime)
        is DocumentScan.FromBytes -> ffi.setFileBytes(id, scan.content, scan.name, scan.mime)
    }.toKt()

    private fun org.waypoint.core.ffi.ExportSummary.toKt() =
        ExportSummary(entries.toInt(), attachments.toInt(), bytes.toLong(), chainHead)
}

/** The documents of this data directory. */
val WaypointCore.documents: Documents get() = Documents(this)
