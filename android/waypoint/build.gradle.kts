// The core as an Android library: the generated UniFFI bindings + the idiomatic wrapper, with
// the Rust core cross-compiled by cargo-ndk into jniLibs for every ABI. Not buildable on the CI
// machines (no SDK/NDK); the same Kotlin sources are compiled and tested on a desktop JVM by
// android/run-jvm-tests.sh.
plugins {
    alias(libs.plugins.android.library)
}

val repoRoot = rootProject.projectDir.parentFile
val generatedKotlin = layout.buildDirectory.dir("generated/uniffi/kotlin")
val jniLibsOut = layout.buildDirectory.dir("generated/jniLibs")

android {
    namespace = "org.waypoint.core"
    compileSdk = 36
    defaultConfig {
        // Android 9: see docs/ANDROID.md ("minSdk"). Must match build-android-libs.sh's --platform.
        minSdk = 28
        consumerProguardFiles("consumer-rules.pro")
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64", "x86") }
    }
    sourceSets["main"].apply {
        kotlin.srcDir(generatedKotlin)
        jniLibs.srcDir(jniLibsOut)
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    testOptions {
        // Host unit tests load the host build of the core (cargo build -p waypoint-core).
        unitTests.all { it.systemProperty("jna.library.path", File(repoRoot, "target/debug").path) }
    }
}

// cargo-ndk builds libwaypoint_core.so per ABI (16 KB pages); uniffi-bindgen (library mode)
// writes the Kotlin bindings.
val buildRustLibs by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("bash", "android/build-android-libs.sh", jniLibsOut.get().asFile.path, generatedKotlin.get().asFile.path)
    inputs.dir(File(repoRoot, "core/src"))
    inputs.file(File(repoRoot, "Cargo.lock"))
    outputs.dirs(jniLibsOut, generatedKotlin)
}
tasks.named("preBuild") { dependsOn(buildRustLibs) }

dependencies {
    // The generated bindings call into the .so through JNA. Android needs the @aar flavour (it
    // carries libjnidispatch.so per ABI, 16 KB aligned from 5.17.0 on); the app sees JNA types
    // through the bindings' public classes, hence api.
    api(libs.jna) { artifact { type = "aar" } }
    // Sync.kt (withContext(Dispatchers.IO)) and Screens.kt (StateFlow in its public API).
    api(libs.kotlinx.coroutines.core)
    testImplementation(libs.junit)
    // The desktop flavour: host unit tests run on the development machine's JVM.
    testImplementation(libs.jna)
}
