// The offline directory of help services: search, details, one-tap dial actions and private
// favourites. The directory is public data, so search, show and info work while the vault is
// locked and the first run works offline (the core ships a signed packaged directory).
// Favourites carry the survivor's private note: they need the vault unlocked and their
// toString() is redacted.
//
// Dial actions are built and validated by the core (core/src/directory/dial.rs): hand
// DialAction.launchUri to an ACTION_DIAL / ACTION_SENDTO / ACTION_VIEW intent as it is
// (DialAction.uri is the exact RFC 3966 form, e.g. "tel:988;phone-context=+1", whose ';' the
// dialer would read as "wait"). Show DialAction.keyword next to a text button; it is never
// put in the URI. When DialAction.warning is set (a number the directory marks as costing
// more than an ordinary call), show it and ask before launching.
package org.waypoint.core

import java.time.Instant
import java.util.Locale

/** A resource as shown to the user (public data). */
typealias DirectoryResource = org.waypoint.core.ffi.DirectoryResource

/** One tappable action: `tel:`, `sms:`, `https:` or `mailto:` URI, label, optional keyword. */
typealias DialAction = org.waypoint.core.ffi.DialAction

/** What a [DialAction] does (call, text, TTY, WhatsApp, web, e-mail). */
typealias DialKind = org.waypoint.core.ffi.DialKind

/** Kind of a signed file being imported (e.g. a bundle shared offline). */
typealias DirectoryFileKind = org.waypoint.core.ffi.DirectoryFileKind

/** A place the user picked, to sort or filter by distance. */
data class GeoPoint(val latitude: Double, val longitude: Double)

/**
 * A search request; every filter is off by default. Empty [text] lists everything that passes
 * the filters. [categories] are wire names (`hotline`, `legal_aid`, `emergency`, ...); an
 * unknown name is rejected as [WaypointException.InvalidInput].
 */
data class DirectoryQuery(
    /** Words typed by the user, any language, accents optional, prefixes match. */
    val text: String = "",
    /** Any of these categories; empty: all. */
    val categories: List<String> = emptyList(),
    /** Only services speaking this language (BCP 47). */
    val spokenLanguage: String? = null,
    val openNow: Boolean = false,
    val alwaysOpen: Boolean = false,
    val free: Boolean = false,
    /** ISO 3166 alpha-2 country. */
    val country: String? = null,
    /** Region within [country] (national services included). */
    val region: String? = null,
    val near: GeoPoint? = null,
    /** Only within this many km of [near] (area-wide services kept). */
    val maxKm: Double? = null,
    /** Nearest first instead of best match first (needs [near]). */
    val sortByDistance: Boolean = false,
    /** Language to answer in (BCP 47), with fallback; the device's by default. */
    val userLanguage: String = Locale.getDefault().toLanguageTag(),
    /** Most results (0 = the core's default). */
    val limit: Int = 0,
)

/** The installed directory: version, age and origin (`packaged` or `update`). */
data class DirectoryInfo(
    val version: Long,
    val created: Instant,
    val expires: Instant,
    /** Past its expiry: still shown, with its age. */
    val stale: Boolean,
    val resources: Long,
    val origin: String,
    val contentHash: String,
    val keysetVersion: Long,
)

/** A saved resource with the survivor's private [note] (sealed in the vault). */
data class DirectoryFavourite(
    val id: String,
    val resourceId: String,
    val note: String,
    val addedAt: Instant,
) {
    override fun toString() = "DirectoryFavourite(id=$id)"
}

private fun DirectoryQuery.toFfi() = org.waypoint.core.ffi.DirectoryQuery(
    text = text,
    categories = categories,
    spokenLanguage = spokenLanguage,
    openNow = openNow,
    alwaysOpen = alwaysOpen,
    free = free,
    country = country,
    region = region,
    nearLatitude = near?.latitude,
    nearLongitude = near?.longitude,
    maxKm = maxKm,
    sortByDistance = sortByDistance,
    userLanguage = userLanguage,
    limit = limit.coerceAtLeast(0).toUInt(),
)

private fun org.waypoint.core.ffi.DirectoryFavourite.toKt() =
    DirectoryFavourite(id, resourceId, note, Instant.ofEpochMilli(addedAtMs))

/** The directory of one [WaypointCore]. Obtain it with [WaypointCore.directory]. */
class Directory internal constructor(private val core: WaypointCore) {
    /** Searches the offline directory (no network). Works locked. */
    fun search(query: DirectoryQuery = DirectoryQuery()): List<DirectoryResource> =
        core { core.directoryFfi.search(query.toFfi()) }

    /** Searches for [text] with every other filter at its default. */
    fun search(text: String): List<DirectoryResource> = search(DirectoryQuery(text = text))

    /** One resource with all its details, in [userLanguage] with fallback. */
    fun show(id: String, userLanguage: String = Locale.getDefault().toLanguageTag()): DirectoryResource =
        core { core.directoryFfi.show(id, userLanguage) }

    /** The installed directory, or null if none is. */
    fun info(): DirectoryInfo? = core {
        core.directoryFfi.info()?.let {
            DirectoryInfo(
                version = it.version.toLong(),
                created = Instant.ofEpochSecond(it.created),
                expires = Instant.ofEpochSecond(it.expires),
                stale = it.stale,
                resources = it.resources.toLong(),
                origin = it.origin,
                contentHash = it.contentHash,
                keysetVersion = it.keysetVersion.toLong(),
            )
        }
    }

    /**
     * Imports a signed file (e.g. shared offline), verified exactly like a download. Returns
     * the installed version; a bad file is [WaypointException.Verification].
     */
    fun import(kind: DirectoryFileKind, bytes: ByteArray): Long =
        core { core.directoryFfi.importFile(kind, bytes).toLong() }

    /** Saves [resourceId] with a private note. Needs the vault unlocked. */
    fun addFavourite(resourceId: String, note: String = ""): DirectoryFavourite =
        core { core.directoryFfi.favouriteAdd(resourceId, note).toKt() }

    /** Every favourite, newest first. Needs the vault unlocked. */
    fun favourites(): List<DirectoryFavourite> = core { core.directoryFfi.favourites().map { it.toKt() } }

    /** Replaces a favourite's note. */
    fun setFavouriteNote(id: String, note: String) = core { core.directoryFfi.favouriteSetNote(id, note) }

    /** Deletes a favourite. */
    fun removeFavourite(id: String) = core { core.directoryFfi.favouriteRemove(id) }
}

/** The directory of this data directory. */
val WaypointCore.directory: Directory get() = Directory(this)
