// Waypoint for Android. NOT BUILDABLE ON THE LINUX CI MACHINES (no Android SDK, NDK or Gradle
// plugin there): built with the Android SDK as docs/ANDROID.md describes. What CI does verify
// is android/run-jvm-tests.sh: the wrapper and the app's plain-Kotlin shell compiled and tested
// on a desktop JVM against the real core, and every other Kotlin file and XML resource checked.
// Versions: gradle/libs.versions.toml (Gradle finds it there by itself).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "waypoint"
include(":waypoint", ":app")
