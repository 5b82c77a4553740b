// The label key of a document type (`type:passport`, `type:work_permit`, ...): the core's key is
// the type's snake_case name, which is the enum's name in lower case.
package org.waypoint.app.shell

import org.waypoint.core.ffi.DocumentType

object DocumentTypes {
    /** The core's label key for [type]. */
    fun key(type: DocumentType): String = "type:" + type.name.lowercase()
}

/** The document editor's reminder days as typed ("90, 30, 7"). */
object ReminderDays {
    /**
     * The numbers typed, in order; a number too large for a UInt is kept as the largest, which
     * the core then refuses with its own one-line message. Anything else is ignored.
     */
    fun parse(text: String): List<UInt> = text.split(',', ' ', ';')
        .map { it.trim() }
        .filter { it.isNotEmpty() && it.all(Char::isDigit) }
        .map { it.toULongOrNull()?.let { n -> if (n > UInt.MAX_VALUE.toULong()) UInt.MAX_VALUE else n.toUInt() } ?: UInt.MAX_VALUE }
}
