// The Waypoint app: a Compose shell over the core's screen models (decoy first). Not buildable
// on the CI machines (no Android SDK): docs/ANDROID.md builds, signs and installs it. Its
// plain-Kotlin logic (src/main/kotlin/org/waypoint/app/shell) is compiled and tested on the
// JVM against the real core by android/run-jvm-tests.sh, which also syntax-checks the rest.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.compose)
}

val repoRoot = rootProject.projectDir.parentFile
val directoryUrl = providers.gradleProperty("waypoint.directoryUrl").getOrElse("")
require(directoryUrl.isEmpty() || directoryUrl.startsWith("https://")) { "waypoint.directoryUrl must be https" }

android {
    namespace = "org.waypoint.app"
    compileSdk = 36
    defaultConfig {
        applicationId = "org.waypoint.app"
        // Android 9 (API 28): see docs/ANDROID.md ("minSdk").
        minSdk = 28
        targetSdk = 36
        versionCode = 1
        versionName = "0.1.0"
        buildConfigField("String", "DIRECTORY_URL", "\"$directoryUrl\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    signingConfigs {
        // Release signing from the environment only; the keystore never enters the repository.
        create("release") {
            System.getenv("WAYPOINT_KEYSTORE")?.let { storeFile = file(it) }
            storePassword = System.getenv("WAYPOINT_KEYSTORE_PASSWORD")
            keyAlias = System.getenv("WAYPOINT_KEY_ALIAS")
            keyPassword = System.getenv("WAYPOINT_KEY_PASSWORD")
        }
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            if (System.getenv("WAYPOINT_KEYSTORE") != null) signingConfig = signingConfigs.getByName("release")
        }
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    packaging {
        // Stored uncompressed and 16 KB aligned in the APK, loaded in place.
        jniLibs { useLegacyPackaging = false }
    }
    dependenciesInfo {
        // No Google-encrypted dependency blob in the APK or bundle.
        includeInApk = false
        includeInBundle = false
    }
    testOptions {
        unitTests.all { it.systemProperty("jna.library.path", File(repoRoot, "target/debug").path) }
    }
}

dependencies {
    implementation(project(":waypoint"))
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.appcompat)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.process)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.work.runtime.ktx)
    implementation(platform(libs.androidx.compose.bom))
    implementation(libs.androidx.compose.ui)
    implementation(libs.androidx.compose.foundation)
    implementation(libs.androidx.compose.material3)
    implementation(libs.androidx.compose.material.icons.core)
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.androidx.camera.camera2)
    implementation(libs.androidx.camera.lifecycle)
    implementation(libs.androidx.camera.view)
    implementation(libs.zxing.core)
    testImplementation(libs.junit)
    testImplementation(libs.jna)
}
