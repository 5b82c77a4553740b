// Waypoint for Android. NOT BUILDABLE ON THE LINUX CI MACHINES (no Android SDK, NDK or Gradle
// plugin there): written to be built in Android Studio / with the SDK installed. What CI does
// verify is the Kotlin wrapper and its tests on a desktop JVM: android/run-jvm-tests.sh.
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
