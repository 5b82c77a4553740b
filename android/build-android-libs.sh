#!/usr/bin/env bash
# Cross-compiles the core for Android and generates the Kotlin bindings.
# Usage: build-android-libs.sh JNI_LIBS_OUT KOTLIN_OUT
# NOT RUNNABLE ON THE LINUX CI MACHINES: needs the Android NDK (ANDROID_NDK_HOME) and
# `cargo install cargo-ndk`. Called by android/waypoint/build.gradle.kts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JNI_OUT="${1:?jniLibs output dir}"
KOTLIN_OUT="${2:?Kotlin output dir}"
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to an installed NDK}"
command -v cargo-ndk >/dev/null || { echo "cargo-ndk missing: cargo install cargo-ndk" >&2; exit 2; }

rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
# API 26 floor matches minSdk; release profile: scrypt and SQLite need optimisation on phones.
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 --platform 26 -o "$JNI_OUT" \
    build -p waypoint-core --lib --release

# Bindings come from the host build in library mode: the exports are identical on every target.
cargo build -p waypoint-core --release
cargo build -p uniffi-bindgen
mkdir -p "$KOTLIN_OUT"
target/debug/uniffi-bindgen generate --no-format --library target/release/libwaypoint_core.so \
    --language kotlin --out-dir "$KOTLIN_OUT"
