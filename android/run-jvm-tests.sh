#!/usr/bin/env bash
# Runs the Kotlin wrapper's tests on a desktop JVM against the real Rust core.
#
# What this proves: the generated Kotlin bindings, the idiomatic wrapper in
# android/waypoint/src/main/kotlin and every *Test.kt under android/waypoint/src/test/kotlin
# compile with Kotlin 2.4.20 and pass against the host build of libwaypoint_core (JNA);
# SyncTest also starts the real target/debug/waypoint-server (found via -Dwaypoint.root).
# The app's plain-Kotlin shell (android/app/src/main/kotlin/org/waypoint/app/shell) and its
# tests (android/app/src/test/kotlin) are compiled and run the same way.
# First, android/tools/check-android.py: every hand-written .kt file (Compose and Android
# framework code included) parses with tree-sitter-kotlin, the manifest and res XML are
# well-formed, and every string key the app uses exists in values/ and every values-xx.
# What it cannot prove: anything Android-specific (no SDK or NDK here); see docs/ANDROID.md.
#
# Needs: Kotlin 2.4.20 (fetched from npm into $WAYPOINT_TOOLS if missing), JNA and JUnit 4
# from Debian (libjna-java, junit4, libhamcrest-java), ZXing core (libzxing-core-java), tree-sitter-kotlin in the venv that
# tests/setup.sh makes ($WAYPOINT_TOOLS/ts-venv). Prints "N passed, N failed" last.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS="${WAYPOINT_TOOLS:-$HOME/.cache/waypoint}"
KOTLIN_VERSION=2.4.20
KOTLIN_HOME="$TOOLS/kotlin-$KOTLIN_VERSION"
OUT="$ROOT/build/kt"
BINDINGS="$ROOT/build/bindings/kotlin"

if [[ ! -x "$KOTLIN_HOME/bin/kotlinc-jvm" ]]; then
    echo "fetching kotlin-compiler@$KOTLIN_VERSION from npm into $TOOLS"
    mkdir -p "$TOOLS"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar -xzf "kotlin-compiler-$KOTLIN_VERSION.tgz")
    rm -rf "$KOTLIN_HOME"
    mv "$tmp/package" "$KOTLIN_HOME"
    rm -rf "$tmp"
fi
KLIB="$KOTLIN_HOME/lib"

VENV_PY="$TOOLS/ts-venv/bin/python"
if ! "$VENV_PY" -c 'import tree_sitter, tree_sitter_kotlin' 2>/dev/null; then
    echo "missing tree-sitter-kotlin in $TOOLS/ts-venv: run tests/setup.sh" >&2
    echo "0 passed, 1 failed"; exit 2
fi
if ! "$VENV_PY" android/tools/check-android.py "$ROOT/android"; then
    echo "0 passed, 1 failed"; exit 1
fi

# ZXing core: the QR decoder the app's key scanner uses (shell/KeyScan.kt), Debian's build.
ZXING=/usr/share/maven-repo/com/google/zxing/core/debian/core-debian.jar
for jar in /usr/share/java/jna.jar /usr/share/java/junit4.jar /usr/share/java/hamcrest.jar "$ZXING"; do
    [[ -f "$jar" ]] || { echo "missing $jar: apt-get install libjna-java junit4 libhamcrest-java libzxing-core-java" >&2; exit 2; }
done
CP_LIBS="/usr/share/java/jna.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest.jar:$ZXING:$KLIB/kotlin-stdlib.jar:$KLIB/kotlin-test.jar:$KLIB/kotlin-test-junit.jar:$KLIB/kotlinx-coroutines-core-jvm.jar"

# The whole workspace in one build, exactly as tests/run-all.sh builds it: the same feature
# unification, so after run-all this is a no-op instead of a rebuild of dependencies with other
# features. It yields the cdylib, the bindgen and the server binary SyncTest starts.
cargo build --workspace
rm -rf "$BINDINGS" && mkdir -p "$BINDINGS" "$OUT"
target/debug/uniffi-bindgen generate --no-format --library target/debug/libwaypoint_core.so \
    --language kotlin --out-dir "$BINDINGS" >/dev/null

# The app's plain-Kotlin shell (android/app/.../shell: no Android types) is compiled and tested
# with the wrapper; the rest of the app needs the Android SDK and is syntax-checked below.
mapfile -t MAIN_SRC < <(find android/waypoint/src/main/kotlin android/app/src/main/kotlin/org/waypoint/app/shell -name '*.kt' | sort)
mapfile -t TEST_SRC < <(find android/waypoint/src/test/kotlin android/app/src/test/kotlin -name '*.kt' | sort)
mapfile -t GEN_SRC < <(find "$BINDINGS" -name '*.kt' | sort)

# Test classes are discovered by file: every FooTest.kt declares class FooTest in its package.
CLASSES=()
for f in "${TEST_SRC[@]}"; do
    [[ "$f" == *Test.kt ]] || continue
    pkg="$(sed -n 's/^package[[:space:]]\+\([A-Za-z0-9_.]*\).*/\1/p' "$f" | head -1)"
    cls="$(basename "$f" .kt)"
    CLASSES+=("${pkg:+$pkg.}$cls")
done
if [[ ${#CLASSES[@]} -eq 0 ]]; then
    echo "no *Test.kt files found"; echo "0 passed, 1 failed"; exit 1
fi

echo "compiling ${#GEN_SRC[@]} generated, ${#MAIN_SRC[@]} wrapper and ${#TEST_SRC[@]} test files with kotlinc $KOTLIN_VERSION"
"$KOTLIN_HOME/bin/kotlinc-jvm" -nowarn -jvm-target 17 -cp "$CP_LIBS" \
    "${GEN_SRC[@]}" "${MAIN_SRC[@]}" "${TEST_SRC[@]}" android/tools/JvmTestRunner.kt \
    -d "$OUT/tests.jar"

java -Djna.library.path="$ROOT/target/debug" -Dwaypoint.root="$ROOT" -cp "$OUT/tests.jar:$CP_LIBS" \
    org.waypoint.tools.JvmTestRunnerKt "${CLASSES[@]}"
