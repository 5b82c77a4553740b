#!/usr/bin/env bash
# Checks the iOS side as far as a Linux machine can (no Swift compiler, no Xcode here):
#  1. generates the Swift bindings in library mode from the host build of the core;
#  2. parses generated + hand-written Swift with tree-sitter-swift: zero ERROR/MISSING nodes,
#     and proves the checker catches a deliberately broken file;
#  3. compiles the generated C header with gcc -fsyntax-only;
#  4. checks every uniffi_*/ffi_* function the header declares is exported by the library;
#  5. checks the app target statically (ios/tools/check_app.py): project.yml parses and names
#     every source folder, Info.plist/entitlements, the String Catalog is complete in every
#     language and holds every key the Swift shows, every icon named anywhere exists as an
#     opaque 1024x1024 PNG, and the icons match a fresh draw (ios/tools/make_icons.py);
#     and proves each of those checks fails on a broken copy.
# What it cannot check: Swift type-checking, the XCFramework, XCTest. Those run on a Mac
# (docs/IOS.md: ios/build-xcframework.sh, xcodegen, `xcodebuild test`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${WAYPOINT_TOOLS:-$HOME/.cache/waypoint}"
VENV="$TOOLS/ts-venv"
OUT="$ROOT/build/bindings/swift"
LIB="$ROOT/target/debug/libwaypoint_core.so"

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import tree_sitter, tree_sitter_swift, yaml, PIL' 2>/dev/null; then
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-swift==0.7.4 PyYAML==6.0.2 Pillow==11.3.0
fi
PY="$VENV/bin/python"

# Same build as tests/run-all.sh (a no-op after it): cdylib + bindgen, unified features.
cargo build --workspace
rm -rf "$OUT" && mkdir -p "$OUT"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language swift --out-dir "$OUT" >/dev/null
HEADER="$(find "$OUT" -name '*.h' | head -1)"

echo "== tree-sitter-swift: generated and hand-written Swift"
mapfile -t SWIFT < <(find "$OUT" ios/Sources ios/Tests ios/App ios/Package.swift -name '*.swift' | sort)
app_files="$(printf '%s\n' "${SWIFT[@]}" | grep -c '^ios/App/' || true)"
if [[ "$app_files" -lt 5 ]]; then
    echo "FAIL: expected the app target's Swift under ios/App, found $app_files files" >&2
    exit 1
fi
"$PY" ios/tools/swift_syntax_check.py "${SWIFT[@]}"

echo "== house rules of the hand-written Swift (no logging, no crash, justified @unchecked)"
mapfile -t OURS < <(find ios/Sources ios/Tests ios/App -name '*.swift' ! -name '*.generated.swift' | sort)
"$PY" ios/tools/swift_rules.py "${OURS[@]}"
rules_broken="$(mktemp -d)/Sources/Broken.swift"
mkdir -p "$(dirname "$rules_broken")"
printf 'final class C: @unchecked Sendable {}\nfunc f() { print("x") }\n' >"$rules_broken"
if "$PY" ios/tools/swift_rules.py "$rules_broken" >/dev/null; then
    echo "FAIL: the house-rules check passed logging and an unexplained @unchecked" >&2
    exit 1
fi
rm -rf "$(dirname "$(dirname "$rules_broken")")"
echo "ok: house-rules check rejects logging and an unexplained @unchecked"

echo "== the checker must reject a broken file"
broken="$(mktemp --suffix=.swift)"
scratch="$(mktemp -d)"
trap 'rm -rf "$broken" "$scratch"' EXIT
printf 'public func broken( {\n    return 1\n}\n' >"$broken"
if "$PY" ios/tools/swift_syntax_check.py "$broken" >/dev/null; then
    echo "FAIL: a broken Swift file passed the syntax check" >&2
    exit 1
fi
echo "ok: broken file rejected"

echo "== gcc -fsyntax-only on $(basename "$HEADER")"
gcc -std=c11 -Wall -Wextra -Werror -D_Nullable= -D_Nonnull= -fsyntax-only -include "$HEADER" -x c /dev/null
echo "ok"

echo "== every function the header declares is exported by $(basename "$LIB")"
declared="$(grep -oE '\b(uniffi|ffi)_[A-Za-z0-9_]+[[:space:]]*\(' "$HEADER" | tr -d ' (' | sort -u)"
exported="$(nm -D --defined-only "$LIB" | awk '{print $3}' | sort -u)"
missing="$(comm -23 <(echo "$declared") <(echo "$exported"))"
count="$(echo "$declared" | wc -l)"
if [[ -n "$missing" ]]; then
    echo "FAIL: declared in the header but not exported:" >&2
    echo "$missing" >&2
    exit 1
fi
echo "ok: all $count declared functions exported"

echo "== the app target: project, plists, String Catalog, icons"
"$PY" ios/tools/check_app.py --generated "$OUT/WaypointCoreFFI.swift"
"$PY" ios/tools/make_icons.py --check

echo "== each app check must fail on a broken copy"
# A scratch root with the same layout: ios/App and the core's alias table.
fresh_copy() {
    rm -rf "$scratch/root" && mkdir -p "$scratch/root/ios" "$scratch/root/core/disguise/src"
    cp -r ios/App "$scratch/root/ios/App"
    cp core/disguise/src/decoys.rs "$scratch/root/core/disguise/src/"
    # The package the project points at (`path: ..`).
    cp ios/Package.swift "$scratch/root/ios/"
}
expect_fail() {  # name, check, mutation
    fresh_copy
    (cd "$scratch/root" && eval "$3")
    if "$PY" ios/tools/check_app.py --root "$scratch/root" "$2" >/dev/null; then
        echo "FAIL: the $2 check passed a copy with $1" >&2
        exit 1
    fi
    echo "ok: $2 check rejects $1"
}
fresh_copy
"$PY" ios/tools/check_app.py --root "$scratch/root" >/dev/null || { echo "FAIL: the unbroken copy did not pass" >&2; exit 1; }
expect_fail "invalid YAML" project "printf 'targets: [\n' >> ios/App/project.yml"
expect_fail "a source folder no target builds" project "mkdir -p ios/App/Extra && echo 'let x = 1' > ios/App/Extra/X.swift"
expect_fail "a missing Spanish value" strings "sed -i '0,/\"es\": {/s//\"es-gone\": {/' ios/App/Resources/Localizable.xcstrings"
expect_fail "a label missing from the catalog" strings "echo 'let t = Text(\"Brand new label\")' >> ios/App/Sources/ShellRoot.swift"
expect_fail "broken JSON in the catalog" strings "printf '{' >> ios/App/Resources/Localizable.xcstrings"
expect_fail "a deleted alternate icon" icons "rm ios/App/Resources/Assets.xcassets/AppIconNotes.appiconset/AppIconNotes-1024.png"
expect_fail "an icon the core names but the app lacks" icons "sed -i 's/AppIconWeather\")/AppIconRain\")/' core/disguise/src/decoys.rs"
expect_fail "an icon with an alpha channel" icons "'$PY' -c \"from PIL import Image; p='ios/App/Resources/Assets.xcassets/AppIcon.appiconset/AppIcon-1024.png'; Image.open(p).convert('RGBA').save(p)\""
# A screen the core gained that the app does not draw yet.
if "$PY" ios/tools/check_app.py --root "$scratch/root" --generated <(sed 's/^    case syncStatus(/    case newScreen\n    case syncStatus(/' "$OUT/WaypointCoreFFI.swift") views >/dev/null; then
    echo "FAIL: the views check passed a View case the app does not draw" >&2
    exit 1
fi
echo "ok: views check rejects a core screen the app does not draw"
expect_fail "the wrong file protection" plist "sed -i 's/NSFileProtectionCompleteUntilFirstUserAuthentication/NSFileProtectionNone/' ios/App/Waypoint.entitlements"
expect_fail "no camera usage reason" plist "sed -i '/NSCameraUsageDescription/,+1d' ios/App/Info.plist"
expect_fail "a camera reason missing in Arabic" plist "sed -i '0,/\"ar\": {/s//\"ar-gone\": {/' ios/App/Resources/InfoPlist.xcstrings"
echo "ok: every app check caught its break"
