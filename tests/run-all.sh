#!/usr/bin/env bash
# The whole test suite, from a fresh machine: setup, Rust tests (unit, property, end-to-end
# with the real server and CLI binaries), Kotlin wrapper tests on the JVM, Swift checks,
# bounded fuzzing, and the shell-level scenario tests in tests/scripts/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZ_SECONDS="${WAYPOINT_FUZZ_SECONDS:-45}"

stage() { echo; echo "=== $1 ($(date -u +%H:%M:%S))"; }

stage "setup"
bash tests/setup.sh

stage "cargo test --workspace"
# The end-to-end tests run the real binaries: build them first (cargo test alone builds
# only the binaries of the package under test). One workspace build, libraries included: the
# Kotlin and Swift stages reuse its cdylib and bindgen instead of rebuilding with other features.
cargo build --workspace --locked
cargo test --workspace --locked

stage "Kotlin wrapper on the JVM"
bash android/run-jvm-tests.sh

stage "Swift bindings and wrapper"
bash ios/check-swift.sh

if [[ -d fuzz/fuzz_targets ]]; then
    for target in fuzz/fuzz_targets/*.rs; do
        name="$(basename "$target" .rs)"
        stage "fuzz $name for ${FUZZ_SECONDS}s"
        # Stable toolchain: cargo-fuzz needs -Z flags, which RUSTC_BOOTSTRAP allows.
        (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$name" --sanitizer none -- \
            -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=1024 2>&1 | tail -5)
    done
fi

if compgen -G "tests/scripts/*.sh" >/dev/null; then
    for script in tests/scripts/*.sh; do
        stage "$script"
        bash "$script"
    done
fi

stage "all tests passed"
