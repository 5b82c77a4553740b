#!/usr/bin/env bash
# Static export served by a real nginx: `waypoint-server export DIR`, nginx on loopback with a
# temporary config, a client syncing from it (verified full bundle and freshness statement,
# then "already current"). Installs nothing: tests/setup.sh (run by .ci/run) installs nginx.
# Skipped, with a message, only when nginx is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NGINX="$(command -v nginx || true)"; [[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z "$NGINX" ]]; then
    echo "SKIPPED nginx_export: nginx is not installed (tests/setup.sh installs it)"; exit 0
fi
BIN="$ROOT/target/debug"
[[ -x "$BIN/waypoint-server" && -x "$BIN/waypoint" ]] || (cd "$ROOT" && cargo build -q -p waypoint-server -p waypoint-cli)
WORK="$(mktemp -d)"
chmod 755 "$WORK"   # nginx workers run as an unprivileged user
SERVER_PID=""
cleanup() {
    [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL nginx_export: $*"; exit 1; }

"$BIN/waypoint-server" serve --demo --data-dir "$WORK/server" --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
# The demo keyset lists an online freshness key: the mirror carries the statement it signs,
# or phones would rightly report the directory stale.
"$BIN/waypoint-server" export --data-dir "$WORK/server" \
    --freshness-key "$WORK/server/demo-keys/freshness.key.json" "$WORK/www"
[[ -f "$WORK/www/v1/manifest" && -f "$WORK/www/v1/bundles/1" ]] || fail "export wrote no manifest/bundle"
[[ -f "$WORK/www/v1/freshness" ]] || fail "export wrote no freshness statement"
[[ -f "$WORK/www/v2/manifest" && -f "$WORK/www/v2/bundles/1" ]] || fail "export wrote no format 2 manifest/bundle"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/nginx-tmp"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
    # The test logs requests to see which format the phone downloaded (the documented
    # configuration in docs/SERVER.md keeps no access log).
    access_log $WORK/access.log;
    client_body_temp_path $WORK/nginx-tmp;
    proxy_temp_path $WORK/nginx-tmp;
    fastcgi_temp_path $WORK/nginx-tmp;
    uwsgi_temp_path $WORK/nginx-tmp;
    scgi_temp_path $WORK/nginx-tmp;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/www;
        default_type application/json;
        etag on;
        gzip on; gzip_types application/json;
        location = /v1/manifest { add_header Cache-Control "public, max-age=60"; }
        location = /v1/freshness { add_header Cache-Control "public, max-age=60"; }
        location = /v2/manifest { add_header Cache-Control "public, max-age=60"; }
        location /v1/ { add_header Cache-Control "public, max-age=31536000, immutable"; }
        location /v2/ { default_type application/octet-stream;
                        add_header Cache-Control "public, max-age=31536000, immutable"; }
    }
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx.start" || { cat "$WORK/nginx.start"; fail "nginx did not start"; }
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

export WAYPOINT_DATA_DIR="$WORK/phone"
OUT=$("$BIN/waypoint" sync --json --server "http://127.0.0.1:$PORT" --root-keyset "$WORK/server/demo-keys/keyset.json") || fail "sync from nginx failed: $OUT"
grep -q '"kind": "updated"' <<<"$OUT" || fail "expected an update: $OUT"
grep -q '"stale": false' <<<"$OUT" || fail "expected a fresh directory (statement from the mirror): $OUT"
"$BIN/waypoint" sync --list | grep -q "us-trafficking-hotline" || fail "synced directory lacks the hotline"
grep -q '"GET /v2/bundles/1 ' "$WORK/access.log" || fail "the phone did not download format 2 from the mirror: $(cat "$WORK/access.log")"
OUT=$("$BIN/waypoint" sync --json --server "http://127.0.0.1:$PORT") || fail "second sync failed: $OUT"
grep -q '"kind": "already_current"' <<<"$OUT" || fail "expected already current: $OUT"
echo "PASS nginx_export: client synced format 2 from nginx serving the exported tree (port $PORT)"
