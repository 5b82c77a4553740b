#!/usr/bin/env bash
# Load check: waypoint-server (release build) vs nginx serving the exported files, same
# machine, same run. Prints requests/s and p99 for the manifest (200), the manifest with a
# matching If-None-Match (304) and the full bundle. Goal (DESIGN.md): server >= 80% of nginx.
# Usage: bench/wrk.sh [seconds]    Needs wrk and nginx (tests/setup.sh installs both).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECS="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
(cd "$ROOT" && cargo build -q --release -p waypoint-server)
BIN="$ROOT/target/release"
WORK="$(mktemp -d)"; SERVER_PID=""; chmod 755 "$WORK"
cleanup() { [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
WAYPOINT_LOG=warn "$BIN/waypoint-server" serve --demo --data-dir "$WORK/server" --listen 127.0.0.1:0 >"$WORK/out" 2>/dev/null &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
SRV=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/out" | head -1)
"$BIN/waypoint-server" export --data-dir "$WORK/server" "$WORK/www" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/t"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1; daemon on; pid $WORK/nginx.pid; error_log $WORK/err.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $WORK/t; proxy_temp_path $WORK/t; fastcgi_temp_path $WORK/t; uwsgi_temp_path $WORK/t; scgi_temp_path $WORK/t;
  server { listen 127.0.0.1:$PORT; root $WORK/www; default_type application/json; etag on;
           location = /v1/manifest { add_header Cache-Control "public, max-age=60"; } } }
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"
NGX="http://127.0.0.1:$PORT"
sleep 0.3
SRV_ETAG=$(curl -sI "$SRV/v1/manifest" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
NGX_ETAG=$(curl -sI "$NGX/v1/manifest" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
run() { # name url [etag]
    local extra=(); [[ -n "${3:-}" ]] && extra=(-H "If-None-Match: $3")
    local out; out=$(wrk -t2 -c32 -d"${SECS}s" --latency "${extra[@]}" "$2")
    local rps p99; rps=$(awk '/Requests\/sec/{print $2}' <<<"$out"); p99=$(awk '$1=="99%"{print $2}' <<<"$out")
    printf '%-28s %12s req/s   p99 %s\n' "$1" "$rps" "$p99"
    echo "$rps" >"$WORK/rps-$(tr ' /' '__' <<<"$1")"
}
echo "wrk -t2 -c32 -d${SECS}s on loopback (2-core machine shared with the load generator)"
run "server manifest 200" "$SRV/v1/manifest"
run "nginx  manifest 200" "$NGX/v1/manifest"
run "server manifest 304" "$SRV/v1/manifest" "$SRV_ETAG"
run "nginx  manifest 304" "$NGX/v1/manifest" "$NGX_ETAG"
run "server bundle 200" "$SRV/v1/bundles/1"
run "nginx  bundle 200" "$NGX/v1/bundles/1"
ratio() { python3 -c "import sys; a=float(open(sys.argv[1]).read()); b=float(open(sys.argv[2]).read()); print(f'{100*a/b:.0f}%')" "$WORK/rps-$1" "$WORK/rps-$2"; }
echo "server/nginx: manifest 200 $(ratio server_manifest_200 nginx__manifest_200), 304 $(ratio server_manifest_304 nginx__manifest_304), bundle $(ratio server_bundle_200 nginx__bundle_200)"
