package org.waypoint.app.shell

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.waypoint.core.disguiseSettings
import org.waypoint.core.ffi.disguiseLauncherAliases

class LauncherAliasesTest {
    /** The package manager's view, starting from the manifest's defaults; records every state. */
    private class FakeComponents(initial: Map<String, Boolean>) : LauncherComponents {
        val enabled = initial.toMutableMap()
        var fewestEnabled = enabled.values.count { it }
        override fun isEnabled(alias: String) = enabled[alias] ?: false
        override fun setEnabled(alias: String, enabled: Boolean) {
            this.enabled[alias] = enabled
            fewestEnabled = minOf(fewestEnabled, this.enabled.values.count { it })
        }
    }

    @Test
    fun switchingEnablesTheChosenAliasFirstAndLeavesExactlyOne() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            val defaults = core.disguiseSettings
            val all = disguiseLauncherAliases(defaults, "en")
            assertEquals(listOf(".LauncherCalculator", ".LauncherNotes", ".LauncherWeather"), all.map { it.androidAlias })
            // As installed: only the calculator alias is enabled (AndroidManifest.xml).
            val pm = FakeComponents(all.associate { it.androidAlias to (it.androidAlias == ".LauncherCalculator") })
            val switcher = LauncherAliases(pm)
            assertTrue("nothing to do on a fresh install", switcher.apply(defaults).isEmpty())

            for (choice in all) {
                val changes = switcher.apply(defaults.copy(launcherAlias = choice.id))
                if (changes.isNotEmpty()) assertEquals(AliasChange(choice.androidAlias, true), changes.first())
                assertEquals(listOf(choice.androidAlias), pm.enabled.filterValues { it }.keys.toList())
                assertTrue("never without a launcher icon", pm.fewestEnabled >= 1)
                assertTrue("a second apply changes nothing", switcher.apply(defaults.copy(launcherAlias = choice.id)).isEmpty())
            }
        }
    }

    @Test
    fun aBrokenStateIsRepairedOnStart() {
        ShellTest.open(ShellTest.tempDir(), ShellTest.MovableClock(1_768_000_000_000)).use { core ->
            val settings = core.disguiseSettings.copy(launcherAlias = "notes")
            val names = disguiseLauncherAliases(settings, "en").map { it.androidAlias }
            val none = FakeComponents(names.associateWith { false })
            LauncherAliases(none).apply(settings)
            assertEquals(listOf(".LauncherNotes"), none.enabled.filterValues { it }.keys.toList())

            val every = FakeComponents(names.associateWith { true })
            LauncherAliases(every).apply(settings)
            assertEquals(listOf(".LauncherNotes"), every.enabled.filterValues { it }.keys.toList())
            assertTrue(every.fewestEnabled >= 1)
        }
    }
}
