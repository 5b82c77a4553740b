// The launcher alias rules (icon and name under it): exactly one `activity-alias` is enabled,
// the one the core's disguise settings name. Plain Kotlin over a [LauncherComponents] port;
// the Android side is PackageManager.setComponentEnabledSetting(..., DONT_KILL_APP).
// Tested on the JVM against the core's alias list (LauncherAliasesTest).
//
// Order matters: the new alias is enabled FIRST, then every other one is disabled, so at no
// moment is the app without a launcher entry (a launcher that saw zero enabled aliases would
// drop the icon, and some never bring it back). The same call repairs a broken state (none
// or several enabled) on every app start.
package org.waypoint.app.shell

import org.waypoint.core.DisguiseSettings
import org.waypoint.core.ffi.LauncherAliasInfo
import org.waypoint.core.ffi.disguiseLauncherAliases

/** The app's launcher components as the package manager sees them. */
interface LauncherComponents {
    /** Whether the alias (manifest name such as `.LauncherNotes`) is enabled now. */
    fun isEnabled(alias: String): Boolean

    /** Enables or disables the alias without killing the app. */
    fun setEnabled(alias: String, enabled: Boolean)
}

/** One change made to the launcher components, in the order made. */
data class AliasChange(val alias: String, val enabled: Boolean)

/** Keeps exactly one launcher alias enabled. */
class LauncherAliases(private val components: LauncherComponents) {
    /** Makes the alias [settings] name the only enabled one; returns the changes made. */
    fun apply(settings: DisguiseSettings): List<AliasChange> =
        // Only the manifest names matter here; the language of the labels does not.
        apply(disguiseLauncherAliases(settings, "en"))

    /**
     * Makes the alias marked enabled in [aliases] (the core marks exactly one; the first if
     * none is marked) the only enabled one: enable it, then disable the rest.
     */
    fun apply(aliases: List<LauncherAliasInfo>): List<AliasChange> {
        if (aliases.isEmpty()) return emptyList()
        val target = (aliases.firstOrNull { it.enabled } ?: aliases.first()).androidAlias
        val changes = mutableListOf<AliasChange>()
        if (!components.isEnabled(target)) {
            components.setEnabled(target, true)
            changes += AliasChange(target, true)
        }
        for (alias in aliases.map { it.androidAlias }.distinct()) {
            if (alias != target && components.isEnabled(alias)) {
                components.setEnabled(alias, false)
                changes += AliasChange(alias, false)
            }
        }
        return changes
    }
}
