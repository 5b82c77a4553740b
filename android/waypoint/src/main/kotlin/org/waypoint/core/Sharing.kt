// Sharing chosen journal entries and appointments with one person, as one age file the app
// hands to the share sheet. Nothing goes through any Waypoint server. Needs the vault unlocked
// (except [Sharing.fingerprint]); every call does disk and crypto work: off the main thread.
//
// A recipient is an age public key (`age1...`) the survivor pasted or scanned, saved under a
// label they chose; compare its [ShareRecipient.fingerprint] in person before trusting it.
// toString() of a recipient is redacted (the label may name a person).
package org.waypoint.core

import java.io.File
import java.time.Instant

/** A saved recipient. */
data class ShareRecipient(
    /** Random id, usable wherever a key is asked for. */
    val id: String,
    /** The survivor's name for them ("my lawyer"). */
    val label: String,
    /** Their age public key (`age1...`). */
    val key: String,
    /** `XXXX-XXXX-XXXX-XXXX`, to compare in person. */
    val fingerprint: String,
    val added: Instant,
) {
    override fun toString() = "ShareRecipient(id=$id)"
}

/** A recipient key read from a scan or a paste, and its fingerprint to compare in person. */
data class ScannedKey(val key: String, val fingerprint: String) {
    override fun toString() = "ScannedKey(fingerprint=$fingerprint)"
}

/** Sharing for one [WaypointCore]. Obtain it with [WaypointCore.sharing]. */
class Sharing internal constructor(private val core: WaypointCore) {
    /** The short fingerprint of an `age1...` key; a malformed key is [WaypointException.InvalidInput]. */
    fun fingerprint(key: String): String = core { core.sharingFfi.fingerprint(key) }

    /**
     * Reads the text of a scanned QR code (or a pasted key) as a recipient key: the canonical
     * `age1...` key and its fingerprint to compare in person. Anything else (a web address, a
     * secret key, more than 512 bytes) is one [WaypointException.InvalidInput] that echoes nothing.
     */
    fun readScannedKey(text: String): ScannedKey = core {
        core.sharingFfi.readScannedKey(text).let { ScannedKey(it.key, it.fingerprint) }
    }

    /** Saves a recipient under [label]; the key is validated. */
    fun addRecipient(label: String, key: String): ShareRecipient =
        core { core.sharingFfi.addRecipient(label, key).toKt() }

    /** Saved recipients, oldest first. */
    fun recipients(): List<ShareRecipient> = core { core.sharingFfi.listRecipients().map { it.toKt() } }

    /** Removes a saved recipient. */
    fun removeRecipient(id: String) = core { core.sharingFfi.removeRecipient(id) }

    /**
     * Writes the chosen entries, appointments and documents (with their scans) to [out] for
     * the holder of [key] (`age1...` or a saved recipient's id). Only the chosen ids are read.
     */
    fun shareToKey(
        key: String,
        out: File,
        entryIds: List<String>,
        appointmentIds: List<String> = emptyList(),
        documentIds: List<String> = emptyList(),
    ): ExportSummary = core { core.sharingFfi.shareChosenToKey(entryIds, appointmentIds, documentIds, key, out.path).toKt() }

    /** Writes the chosen entries, appointments and documents to [out], opened with [passphrase]. */
    fun shareToPassphrase(
        passphrase: String,
        out: File,
        entryIds: List<String>,
        appointmentIds: List<String> = emptyList(),
        documentIds: List<String> = emptyList(),
    ): ExportSummary = core {
        core.sharingFfi.shareChosenToPassphrase(entryIds, appointmentIds, documentIds, passphrase, out.path).toKt()
    }

    private fun org.waypoint.core.ffi.ShareRecipient.toKt() =
        ShareRecipient(id, label, key, fingerprint, Instant.ofEpochMilli(addedAtMs))

    private fun org.waypoint.core.ffi.ExportSummary.toKt() =
        ExportSummary(entries.toInt(), attachments.toInt(), bytes.toLong(), chainHead)
}

/** Sharing for this data directory. */
val WaypointCore.sharing: Sharing get() = Sharing(this)
