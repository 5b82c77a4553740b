#!/usr/bin/env bash
# Cross-compiles the core for every Android ABI and generates the Kotlin bindings.
# Usage: build-android-libs.sh JNI_LIBS_OUT KOTLIN_OUT
# Called by android/waypoint/build.gradle.kts (preBuild). Runs on Linux and macOS hosts with:
#   - the Android NDK (ANDROID_NDK_HOME, or ANDROID_NDK_ROOT, or the newest under
#     $ANDROID_HOME/ndk or $ANDROID_SDK_ROOT/ndk; r28 or newer recommended),
#   - cargo-ndk (`cargo install cargo-ndk --locked`) and rustup.
# NOT RUNNABLE ON THE LINUX CI MACHINES: there is no NDK there (see docs/ANDROID.md).
#
# 16 KB pages: Android 15+ devices may use 16 KB memory pages, and Google Play requires every
# .so of apps targeting 35+ to load there. Each Android target is linked with
# `-z max-page-size=16384` (LOAD segments aligned to 16 KB; NDK r28 does it by default for
# 64-bit ABIs, the flag makes it explicit for every ABI and NDK), and the result is checked with
# the NDK's llvm-readelf. The flag goes only to the Android targets (CARGO_TARGET_<T>_RUSTFLAGS),
# never to the host build below (macOS's linker would refuse it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JNI_OUT="${1:?jniLibs output dir}"
KOTLIN_OUT="${2:?Kotlin output dir}"
# Must match minSdk in android/app and android/waypoint build.gradle.kts.
MIN_SDK=28

if [[ -z "${ANDROID_NDK_HOME:-}" ]]; then
    if [[ -n "${ANDROID_NDK_ROOT:-}" ]]; then
        export ANDROID_NDK_HOME="$ANDROID_NDK_ROOT"
    else
        sdk="${ANDROID_HOME:-${ANDROID_SDK_ROOT:-}}"
        if [[ -n "$sdk" && -d "$sdk/ndk" ]]; then
            newest="$(ls -1 "$sdk/ndk" | sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)"
            [[ -n "$newest" ]] && export ANDROID_NDK_HOME="$sdk/ndk/$newest"
        fi
    fi
fi
[[ -n "${ANDROID_NDK_HOME:-}" && -d "$ANDROID_NDK_HOME" ]] || {
    echo "no Android NDK: set ANDROID_NDK_HOME (or install one with sdkmanager 'ndk;28.2.13676358')" >&2
    exit 2
}
command -v cargo-ndk >/dev/null || { echo "cargo-ndk missing: cargo install cargo-ndk --locked" >&2; exit 2; }

ABIS=(arm64-v8a armeabi-v7a x86_64 x86)
TRIPLES=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android)
if command -v rustup >/dev/null; then
    rustup target add "${TRIPLES[@]}" >/dev/null
fi

PAGE_FLAGS="-C link-arg=-Wl,-z,max-page-size=16384"
for t in "${TRIPLES[@]}"; do
    var="CARGO_TARGET_$(echo "$t" | tr '[:lower:]-' '[:upper:]_')_RUSTFLAGS"
    export "$var=${!var:-} $PAGE_FLAGS"
done

ndk_args=()
for abi in "${ABIS[@]}"; do ndk_args+=(-t "$abi"); done
# Release profile: the key derivation and SQLite need optimisation on cheap phones.
cargo ndk "${ndk_args[@]}" --platform "$MIN_SDK" -o "$JNI_OUT" build -p waypoint-core --lib --release

# Check the alignment of every LOAD segment of every library we ship.
readelf="$(ls -1 "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-readelf 2>/dev/null | head -n 1 || true)"
if [[ -n "$readelf" ]]; then
    for abi in "${ABIS[@]}"; do
        so="$JNI_OUT/$abi/libwaypoint_core.so"
        [[ -f "$so" ]] || { echo "missing $so" >&2; exit 1; }
        while read -r hex; do
            if (( 16#${hex#0x} < 16384 )); then
                echo "$so: a LOAD segment is aligned to $hex bytes, not 16 KB" >&2
                exit 1
            fi
        done < <("$readelf" -lW "$so" | awk '$1 == "LOAD" { print $NF }')
    done
    echo "16 KB alignment checked for ${ABIS[*]}"
else
    echo "warning: llvm-readelf not found in the NDK; 16 KB alignment not checked" >&2
fi

# Bindings come from the host build in library mode: the exports are the same on every target.
case "$(uname -s)" in
    Darwin) host_lib=libwaypoint_core.dylib ;;
    *) host_lib=libwaypoint_core.so ;;
esac
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build -p waypoint-core --release
cargo build -p uniffi-bindgen
mkdir -p "$KOTLIN_OUT"
"$target_dir/debug/uniffi-bindgen" generate --no-format --library "$target_dir/release/$host_lib" \
    --language kotlin --out-dir "$KOTLIN_OUT"
