#!/usr/bin/env bash
# Builds WaypointCoreFFIFFI.xcframework for the Swift package in ios/.
#
# CANNOT RUN ON THE LINUX CI MACHINES: it needs macOS with Xcode (xcodebuild, lipo, the iOS
# SDKs). It has been written carefully but not executed; ios/check-swift.sh is what runs on
# Linux. Run it on a Mac from the repository root:  bash ios/build-xcframework.sh [--release]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE=debug
CARGO_FLAGS=()
if [[ "${1:-}" == "--release" ]]; then PROFILE=release; CARGO_FLAGS=(--release); fi

command -v xcodebuild >/dev/null || { echo "xcodebuild not found: this script needs macOS with Xcode" >&2; exit 2; }

DEVICE=aarch64-apple-ios
SIM_ARM=aarch64-apple-ios-sim
SIM_X86=x86_64-apple-ios
rustup target add "$DEVICE" "$SIM_ARM" "$SIM_X86"

# Build the static library for each Apple target (iOS 17 is the deployment floor: docs/IOS.md).
export IPHONEOS_DEPLOYMENT_TARGET=17.0
for t in "$DEVICE" "$SIM_ARM" "$SIM_X86"; do
    cargo build -p waypoint-core --lib "${CARGO_FLAGS[@]}" --target "$t"
done

# Generate the Swift bindings from the host build in library mode (same exports everywhere).
cargo build -p waypoint-core "${CARGO_FLAGS[@]}"
cargo build -p uniffi-bindgen
GEN="$ROOT/build/bindings/swift"
rm -rf "$GEN" && mkdir -p "$GEN"
target/debug/uniffi-bindgen generate --no-format --library "target/$PROFILE/libwaypoint_core.dylib" \
    --language swift --out-dir "$GEN"

# Headers + a module map named as the generated Swift expects (`import WaypointCoreFFIFFI`).
HDRS="$ROOT/build/ios-headers"
rm -rf "$HDRS" && mkdir -p "$HDRS"
cp "$GEN/waypoint_coreFFI.h" "$HDRS/"
cp "$GEN/waypoint_coreFFI.modulemap" "$HDRS/module.modulemap"

# One fat simulator library (arm64 + x86_64), one device library.
SIM_LIB="$ROOT/build/ios-sim/libwaypoint_core.a"
mkdir -p "$(dirname "$SIM_LIB")"
lipo -create "target/$SIM_ARM/$PROFILE/libwaypoint_core.a" "target/$SIM_X86/$PROFILE/libwaypoint_core.a" -output "$SIM_LIB"

OUT="$ROOT/ios/build/WaypointCoreFFIFFI.xcframework"
rm -rf "$OUT"
xcodebuild -create-xcframework \
    -library "target/$DEVICE/$PROFILE/libwaypoint_core.a" -headers "$HDRS" \
    -library "$SIM_LIB" -headers "$HDRS" \
    -output "$OUT"

# The generated Swift lives beside the hand-written wrapper in the Waypoint target.
cp "$GEN/WaypointCoreFFI.swift" "$ROOT/ios/Sources/Waypoint/WaypointCoreFFI.generated.swift"
echo "built $OUT; next steps (tests on a simulator, the app): docs/IOS.md"
