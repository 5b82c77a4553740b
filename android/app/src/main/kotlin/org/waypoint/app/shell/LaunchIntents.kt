// Which Android intent opens a URI the core hands over (`AppState.launch`, a quick exit's
// neutral page). Plain Kotlin, no Android types: the Activity turns a [LaunchRequest] into
// `Intent(action, Uri.parse(uri))`. Compiled and tested on the JVM (LaunchIntentsTest).
//
// Calls go through ACTION_DIAL, never ACTION_CALL: no CALL_PHONE permission, and the person
// sees the number in their dialer before anything happens. Texts and e-mail go through
// ACTION_SENDTO (only messaging/e-mail apps answer it). Web pages are https only. Anything
// else (javascript:, intent:, content:, file:, plain http:) is refused: the shell opens
// nothing it cannot name.
package org.waypoint.app.shell

/** The Android intent action for a [LaunchRequest]. */
enum class LaunchAction {
    /** `Intent.ACTION_DIAL`: opens the dialer with the number filled in. */
    DIAL,

    /** `Intent.ACTION_SENDTO`: opens a messaging or e-mail app for `sms:` / `mailto:`. */
    SENDTO,

    /** `Intent.ACTION_VIEW`: opens an `https:` page in the browser. */
    VIEW,
}

/** One intent to start: [action] with data [uri], exactly as the core wrote it. */
data class LaunchRequest(val action: LaunchAction, val uri: String)

/** Maps the core's URIs to intents; refuses every scheme the shell does not open. */
object LaunchIntents {
    /** The intent for [uri], or null when the shell must not open it. */
    fun forUri(uri: String): LaunchRequest? {
        if (uri.isEmpty() || uri.any { it.isWhitespace() || it.isISOControl() }) return null
        val colon = uri.indexOf(':')
        if (colon <= 0) return null
        val scheme = uri.substring(0, colon).lowercase()
        val rest = uri.substring(colon + 1)
        if (rest.isEmpty()) return null
        return when (scheme) {
            "tel" -> LaunchRequest(LaunchAction.DIAL, uri)
            "sms", "smsto", "mailto" -> LaunchRequest(LaunchAction.SENDTO, uri)
            "https" -> if (rest.startsWith("//") && rest.length > 2) LaunchRequest(LaunchAction.VIEW, uri) else null
            else -> null
        }
    }
}
