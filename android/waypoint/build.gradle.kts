// The core as an Android library: generated UniFFI bindings + the idiomatic wrapper, with the
// Rust core cross-compiled by cargo-ndk into jniLibs. Not buildable here (no SDK/NDK); the same
// Kotlin sources are compiled and tested on a desktop JVM by android/run-jvm-tests.sh.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val repoRoot = rootProject.projectDir.parentFile
val generatedKotlin = layout.buildDirectory.dir("generated/uniffi/kotlin")
val jniLibsOut = layout.buildDirectory.dir("generated/jniLibs")

android {
    namespace = "org.waypoint.core"
    compileSdk = 35
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }
    sourceSets["main"].apply {
        kotlin.srcDir(generatedKotlin)
        jniLibs.srcDir(jniLibsOut)
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

// cargo-ndk builds libwaypoint_core.so per ABI; uniffi-bindgen (library mode) writes the Kotlin.
val buildRustLibs by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("bash", "android/build-android-libs.sh", jniLibsOut.get().asFile.path, generatedKotlin.get().asFile.path)
    inputs.dir(File(repoRoot, "core/src"))
    outputs.dirs(jniLibsOut, generatedKotlin)
}
tasks.named("preBuild") { dependsOn(buildRustLibs) }

dependencies {
    // The generated bindings call into the .so through JNA; Android needs the @aar flavour.
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    testImplementation("junit:junit:4.13.2")
}
