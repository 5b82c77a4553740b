// Root build file. Not buildable on the CI machines (no Android SDK there): see docs/ANDROID.md
// for the build with the SDK, and android/run-jvm-tests.sh for what CI checks.
plugins {
    alias(libs.plugins.android.application) apply false
    alias(libs.plugins.android.library) apply false
    alias(libs.plugins.kotlin.android) apply false
    alias(libs.plugins.kotlin.compose) apply false
}
