// Material 3 theme: light and dark follow the phone; text sizes are the Material type scale in
// sp, so the phone's font size applies everywhere (no fixed-height text containers).
package org.waypoint.app.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

private val Light = lightColorScheme(
    primary = Color(0xFF37474F),
    onPrimary = Color.White,
    secondary = Color(0xFF546E7A),
    background = Color(0xFFFAFAFA),
    surface = Color(0xFFFAFAFA),
)

private val Dark = darkColorScheme(
    primary = Color(0xFFB0BEC5),
    onPrimary = Color(0xFF102027),
    secondary = Color(0xFF90A4AE),
    background = Color(0xFF121212),
    surface = Color(0xFF121212),
)

/** The app's theme. Deliberately plain: nothing about it should stand out on a phone. */
@Composable
fun WaypointTheme(content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (isSystemInDarkTheme()) Dark else Light, content = content)
}
