#!/usr/bin/env bash
# Checks the iOS side as far as a Linux machine can (no Swift compiler, no Xcode here):
#  1. generates the Swift bindings in library mode from the host build of the core;
#  2. parses generated + hand-written Swift with tree-sitter-swift: zero ERROR/MISSING nodes,
#     and proves the checker catches a deliberately broken file;
#  3. compiles the generated C header with gcc -fsyntax-only;
#  4. checks every uniffi_*/ffi_* function the header declares is exported by the library.
# What it cannot check: Swift type-checking, the XCFramework, XCTest. Those run on a Mac
# (ios/build-xcframework.sh, then `swift test` / Xcode).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${WAYPOINT_TOOLS:-$HOME/.cache/waypoint}"
VENV="$TOOLS/ts-venv"
OUT="$ROOT/build/bindings/swift"
LIB="$ROOT/target/debug/libwaypoint_core.so"

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-swift==0.7.4
fi

# Same build as tests/run-all.sh (a no-op after it): cdylib + bindgen, unified features.
cargo build --workspace
rm -rf "$OUT" && mkdir -p "$OUT"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language swift --out-dir "$OUT" >/dev/null
HEADER="$(find "$OUT" -name '*.h' | head -1)"

echo "== tree-sitter-swift: generated and hand-written Swift"
mapfile -t SWIFT < <(find "$OUT" ios/Sources ios/Tests ios/Package.swift -name '*.swift' | sort)
"$VENV/bin/python" ios/tools/swift_syntax_check.py "${SWIFT[@]}"

echo "== the checker must reject a broken file"
broken="$(mktemp --suffix=.swift)"
trap 'rm -f "$broken"' EXIT
printf 'public func broken( {\n    return 1\n}\n' >"$broken"
if "$VENV/bin/python" ios/tools/swift_syntax_check.py "$broken" >/dev/null; then
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
