#!/usr/bin/env bash
# The demo on its embedded default: the sync server with SQLite and a demo directory on
# 127.0.0.1, and the desktop CLI against it. Everything lives in a temporary directory that is
# removed on exit. Usage: ./run-demo.sh [--once]   (--once: stop after the CLI steps)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
ONCE=0; [[ "${1:-}" == "--once" ]] && ONCE=1

cargo build --quiet -p waypoint-server -p waypoint-cli
BIN="$ROOT/target/debug"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

PORT="${WAYPOINT_DEMO_PORT:-8080}"
# --demo: creates the database, two demo publisher keys (threshold 2) and a published demo
# directory, and prints how to sync a client to it.
"$BIN/waypoint-server" serve --demo --data-dir "$WORK/server" --listen "127.0.0.1:$PORT" &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.1
done

export WAYPOINT_DATA_DIR="$WORK/phone"
step() { echo; echo "\$ waypoint $*"; "$BIN/waypoint" "$@"; }
step status
step status --json
# First run, no network needed: the signed directory packaged in the core.
step directory search "trafficking hotline" --limit 2
step calc "12+3="
# The app pins its root keyset at build time; the demo's keyset is made fresh, so the CLI is
# told to trust it before its first sync.
echo; echo "\$ waypoint directory sync --server $URL --root-keyset <demo keyset>"
"$BIN/waypoint" directory sync --server "$URL" --root-keyset "$WORK/server/demo-keys/keyset.json"
step directory sync --server "$URL"
step directory status
step directory search "crisis"

if [[ $ONCE -eq 1 ]]; then exit 0; fi
echo
echo "The server is running at $URL (Ctrl-C stops it and removes the demo data)."
echo "Try: WAYPOINT_DATA_DIR=$WORK/phone $BIN/waypoint status"
wait "$SERVER_PID"
