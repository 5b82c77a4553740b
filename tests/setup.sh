#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, and nothing that is already
# there: JNA + JUnit 4 + ZXing core (Kotlin tests on the JVM), age (interop with the standard CLI), nginx and
# wrk (static-export and load checks), Chromium + ChromeDriver (the console's browser test),
# Kotlin 2.4.20 from npm, tree-sitter-swift and tree-sitter-kotlin in a venv, and cargo-fuzz when fuzz targets exist. Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${WAYPOINT_TOOLS:-$HOME/.cache/waypoint}"
mkdir -p "$TOOLS"

need=()
[[ -f /usr/share/java/jna.jar ]] || need+=(libjna-java)
[[ -f /usr/share/java/junit4.jar ]] || need+=(junit4)
[[ -f /usr/share/java/hamcrest.jar ]] || need+=(libhamcrest-java)
# ZXing core: the Android key scanner's QR decoder, tested on the JVM.
[[ -f /usr/share/maven-repo/com/google/zxing/core/debian/core-debian.jar ]] || need+=(libzxing-core-java)
command -v age >/dev/null || need+=(age)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v java >/dev/null || need+=(default-jdk-headless)
command -v npm >/dev/null || need+=(npm)
python3 -c 'import venv' 2>/dev/null || need+=(python3-venv)
if [[ ${#need[@]} -gt 0 ]]; then
    echo "apt-get install ${need[*]}"
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # The package starts nginx on :80; tests run their own on loopback, so stop the system one.
    if [[ " ${need[*]} " == *" nginx "* ]]; then
        $SUDO systemctl stop nginx 2>/dev/null || $SUDO service nginx stop 2>/dev/null || $SUDO nginx -s stop 2>/dev/null || true
    fi
fi

KOTLIN_HOME="$TOOLS/kotlin-2.4.20"
if [[ ! -x "$KOTLIN_HOME/bin/kotlinc-jvm" ]]; then
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent kotlin-compiler@2.4.20 >/dev/null && tar -xzf kotlin-compiler-2.4.20.tgz)
    rm -rf "$KOTLIN_HOME" && mv "$tmp/package" "$KOTLIN_HOME" && rm -rf "$tmp"
fi

VENV="$TOOLS/ts-venv"
if ! "$VENV/bin/python" -c 'import tree_sitter, tree_sitter_swift, tree_sitter_kotlin, yaml, PIL' 2>/dev/null; then
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    # Swift: ios/check-swift.sh (YAML and Pillow: the iOS app's project spec and icons);
    # Kotlin (Compose and Android code, not compilable here): android/tools/check-android.py.
    "$VENV/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-swift==0.7.4 tree-sitter-kotlin==1.1.0 \
        PyYAML==6.0.2 Pillow==11.3.0
fi

if [[ -d "$ROOT/fuzz/fuzz_targets" ]] && ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked --quiet
fi
echo "setup complete"
