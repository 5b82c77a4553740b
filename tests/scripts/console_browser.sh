#!/usr/bin/env bash
# The advocate console end to end in headless Chromium, driven over WebDriver (Debian
# `chromium` + `chromium-driver`, installed here with apt when missing; no browser download):
# the real server on 127.0.0.1, sign in with an advocate token, edit a phone number, see the
# field error for a bad one, import a spreadsheet CSV, freeze, sign with two publisher keys
# using the publishers' own tool (`waypoint-publish sign`), upload the signature files,
# publish, and a `waypoint directory sync` client finds the change; then write a guide in
# two languages (an http source refused first), freeze it, sign it in two rounds with the
# publishers' tool, publish, and the client shows it.
# Screenshots of the main pages are saved under target/console-screenshots/ (or
# $WAYPOINT_SCREENSHOTS). Stops its server and driver on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug"
SHOTS="${WAYPOINT_SCREENSHOTS:-${CARGO_TARGET_DIR:-$ROOT/target}/console-screenshots}"
fail() { echo "FAIL console_browser: $*"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; }
    fi
fi
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    || { echo "FAIL console_browser: chromium/chromium-driver missing and cannot be installed (tests/setup.sh installs them)"; exit 1; }
command -v python3 >/dev/null || { echo "SKIPPED console_browser: python3 missing"; exit 0; }
[[ -x "$BIN/waypoint-server" && -x "$BIN/waypoint" && -x "$BIN/waypoint-publish" ]] \
    || (cd "$ROOT" && cargo build -q -p waypoint-server -p waypoint-cli -p waypoint-format --bins)

WORK="$(mktemp -d)"
SERVER_PID=""; DRIVER_PID=""
cleanup() {
    [[ -n "$DRIVER_PID" ]] && kill "$DRIVER_PID" 2>/dev/null || true
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$SHOTS"

"$BIN/waypoint-server" serve --demo --data-dir "$WORK/server" --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/server.out" | head -1)
[[ -n "$URL" ]] || fail "server did not start: $(cat "$WORK/server.err")"
TOKEN=$("$BIN/waypoint-server" advocate --data-dir "$WORK/server" add browser-admin --role admin 2>/dev/null)
KEYSET="$WORK/server/demo-keys/keyset.json"

# A phone holding the published directory before the change.
PHONE="$WORK/phone"
"$BIN/waypoint" directory sync --data-dir "$PHONE" --server "$URL" --root-keyset "$KEYSET" --json >"$WORK/sync1.json" \
    || fail "first sync failed: $(cat "$WORK/sync1.json")"

cat >"$WORK/shelters.csv" <<'CSV'
Service,Category,Country,Phone,Web,Verified,Hours,Zone
Harbor Night Shelter,emergency shelter,US,+1 202 555 0142,https://harbor.example.org,2026-11-20,24/7,America/New_York
CSV

DPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chromedriver --port="$DPORT" --allowed-ips=127.0.0.1 >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$DPORT") 2>/dev/null && break; sleep 0.1; done

export URL TOKEN KEYSET WORK SHOTS DPORT
export PUBLISH="$BIN/waypoint-publish"
export KEY1="$WORK/server/demo-keys/publisher-1.key.json" KEY2="$WORK/server/demo-keys/publisher-2.key.json"
timeout 300 python3 - <<'PY' || fail "browser steps failed"
import base64, json, os, subprocess, sys, time, urllib.request

URL, DRV, WORK, SHOTS = os.environ["URL"], f"http://127.0.0.1:{os.environ['DPORT']}", os.environ["WORK"], os.environ["SHOTS"]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

def wd(method, path, body=None):
    req = urllib.request.Request(DRV + path, method=method,
        data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["value"]
    except urllib.error.HTTPError as e:
        raise SystemExit(f"webdriver {method} {path}: {e.read()[:300]!r}")

caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={WORK}/chrome-profile", "--window-size=1100,900"]}}}}
sid = wd("POST", "/session", caps)["sessionId"]
S = f"/session/{sid}"

def go(path): wd("POST", S + "/url", {"url": URL + path})
def find(css): return wd("POST", S + "/element", {"using": "css selector", "value": css})[ELEMENT]
def finds(css): return [e[ELEMENT] for e in wd("POST", S + "/elements", {"using": "css selector", "value": css})]
def typ(css, text, clear=True):
    el = find(css)
    if clear: wd("POST", f"{S}/element/{el}/clear", {})
    wd("POST", f"{S}/element/{el}/value", {"text": text})
def click(css):
    # Every click here submits a form: wait until the browser has left the old page and
    # loaded the answer (a loaded CI machine can take seconds over the argon2 sign-in),
    # so no check reads the page the click came from.
    old = find("html")
    wd("POST", f"{S}/element/{find(css)}/click", {})
    for _ in range(600):
        try:
            if find("html") != old and wd("POST", S + "/execute/sync",
                    {"script": "return document.readyState", "args": []}) == "complete":
                return
        except SystemExit:
            pass  # the old document went away mid-query; ask again
        time.sleep(0.1)
    raise SystemExit("check failed: no new page after clicking " + css)
def text(css): return wd("GET", f"{S}/element/{find(css)}/text")
def source(): return wd("GET", S + "/source")
def shot(name, width=None):
    if width:
        wd("POST", S + "/window/rect", {"width": width, "height": 900})
    with open(os.path.join(SHOTS, name + ".png"), "wb") as f:
        f.write(base64.b64decode(wd("GET", S + "/screenshot")))
    if width:
        wd("POST", S + "/window/rect", {"width": 1100, "height": 900})
def check(cond, what):
    if not cond:
        raise SystemExit("check failed: " + what)
def wait_for(sub, what):
    for _ in range(300):
        if sub in source():
            return
        time.sleep(0.1)
    raise SystemExit("check failed: " + what + ": " + source()[:1500] + " ... " + source()[-2500:])
def step(msg): print("  -", msg, flush=True)

try:
    step("sign in")
    go("/console/login")
    shot("login", width=420)
    typ("#token", os.environ["TOKEN"])
    click("form[action='/console/login'] button[type=submit]")
    check("/console/resources" in wd("GET", S + "/url"), "signed in to the resource list: " + wd("GET", S + "/url") + source()[:1500])
    check("browser-admin" in source(), "name shown")
    shot("resources")

    step("bad phone number -> field error, nothing saved")
    go("/console/resources/us-988")
    typ("#phone_number_0", "+1 555 12")
    click("form[action='/console/resources/us-988'] button[type=submit]")
    err = text("#err-phones-0-")
    check("phone" in err.lower(), f"field error shown: {err!r}")
    check(find("#phone_number_0") and wd("GET", f"{S}/element/{find('#phone_number_0')}/attribute/aria-invalid") == "true", "field marked invalid")
    shot("edit-validation-error")

    step("good phone number saved")
    typ("#phone_number_0", "+1 202 555 0123")
    click("form[action='/console/resources/us-988'] button[type=submit]")
    wait_for("Saved to the draft", "saved notice")
    go("/console/resources/us-988/preview")
    check('href="tel:+12025550123"' in source(), "preview dial link")
    shot("preview", width=420)

    step("import a spreadsheet CSV")
    go("/console/import")
    typ("#mapping", "name=Service\ncategories=Category\ncountry=Country\nphones=Phone\nwebsites=Web\nlast_verified=Verified\nhours=Hours\ntimezone=Zone", clear=False)
    wd("POST", f"{S}/element/{find('#file')}/value", {"text": os.path.join(WORK, "shelters.csv")})
    click("form[action='/console/import'] button[type=submit]")
    wait_for("Imported into the draft", "import applied")
    shot("import-report")
    go("/console/diff")
    check("harbor-night-shelter" in source() and "+1 202 555 0123" in source(), "diff shows the import and the edit")
    shot("diff")

    step("freeze")
    go("/console/publish")
    click("form[action='/console/publish/freeze'] button")
    cookie = [c for c in wd("GET", S + "/cookie") if c["name"] == "wp_console"][0]
    def candidate():
        links = finds("a[href$='candidate.json']")
        check(links, "candidate download link")
        href = wd("GET", f"{S}/element/{links[0]}/attribute/href")
        href = URL + href if href.startswith("/") else href
        req = urllib.request.Request(href, headers={"Cookie": f"wp_console={cookie['value']}"})
        data = urllib.request.urlopen(req, timeout=30).read()
        path = os.path.join(WORK, "candidate.json")
        open(path, "wb").write(data)
        return path, json.loads(data)["candidate"]
    def sign_and_upload(round_name):
        path, cid = candidate()
        sigs = []
        for n, key in (("1", os.environ["KEY1"]), ("2", os.environ["KEY2"])):
            out = os.path.join(WORK, f"sigs-{round_name}-{n}.json")
            r = subprocess.run([os.environ["PUBLISH"], "sign", "--candidate", path, "--key", key,
                "--pinned-keyset", os.environ["KEYSET"], "--server", URL, "--yes", "--out", out],
                capture_output=True, text=True)
            check(r.returncode == 0, f"waypoint-publish sign: {r.stderr}")
            sigs.append(out)
        wd("POST", f"{S}/element/{find(f'#sig-{cid}')}/value", {"text": "\n".join(sigs)})
        click(f"form[action='/console/publish/{cid}/signatures'] button")
        return cid
    step("sign the bundle with two publisher keys and upload")
    sign_and_upload("bundle")
    wait_for("sign the manifest", "asked for the manifest signatures")
    step("sign the manifest and upload -> published")
    sign_and_upload("manifest")
    wait_for("Published.", "published")
    shot("publish")
    go("/console/audit")
    check("bundle.publish" in source(), "audit log shows the publish")
    shot("audit")

    step("write a know-your-rights guide in English and Spanish")
    go("/console/guides/new")
    typ("#id", "pub-wages")
    typ("#last_reviewed", "2026-11-02")
    typ("#sources", "Example Workers' Center | http://example.org/wages")
    typ("#text_en", "# Unpaid wages\n\nYou have a right to be paid for work you did.\n\n## Ask for help\nA legal aid group can help you claim it.\n\n-> legal_aid\n")
    typ("#text_es", "# Salarios no pagados\n\nTienes derecho a que te paguen por tu trabajo.\n\n## Pide ayuda\nUn grupo de ayuda legal puede ayudarte a reclamarlo.\n\n-> legal_aid\n")
    click("form[action='/console/guides/new'] button[type=submit]")
    wait_for("Nothing was saved", "an http source is refused")
    check("Salarios no pagados" in source(), "what was typed is kept")
    typ("#sources", "Example Workers' Center | https://example.org/wages")
    click("form[action='/console/guides/new'] button[type=submit]")
    wait_for("Guide saved", "guide saved")
    check("pub-wages" in source() and "Unpaid wages" in source(), "guide listed")
    shot("guides")
    step("freeze the guides, both publishers read and sign them in their own tool, upload twice")
    click("form[action='/console/guides/freeze'] button")
    check("/console/publish" in wd("GET", S + "/url"), "freezing leads to the publish page")
    sign_and_upload("guides")
    wait_for("sign the guides manifest", "asked for the guides manifest signatures")
    sign_and_upload("guides-manifest")
    wait_for("Published.", "guides published")
    shot("guides-published")
finally:
    wd("DELETE", S)
PY

"$BIN/waypoint" directory sync --data-dir "$PHONE" --server "$URL" --json >"$WORK/sync2.json" \
    || fail "second sync failed: $(cat "$WORK/sync2.json")"
grep -q '"kind": "updated"' "$WORK/sync2.json" || fail "the client found no update: $(cat "$WORK/sync2.json")"
"$BIN/waypoint" directory sync --data-dir "$PHONE" --list --json >"$WORK/list.json"
grep -q "harbor-night-shelter" "$WORK/list.json" || fail "the synced directory lacks the imported shelter"
"$BIN/waypoint" directory show us-988 --data-dir "$PHONE" --json >"$WORK/show.json" 2>/dev/null \
    || "$BIN/waypoint" --data-dir "$PHONE" directory show us-988 --json >"$WORK/show.json"
grep -q "202 555 0123" "$WORK/show.json" || fail "the synced directory lacks the edited phone number"
grep -q '"guides_version": 1' "$WORK/sync2.json" || fail "the client did not take the published guides: $(cat "$WORK/sync2.json")"
"$BIN/waypoint" --data-dir "$PHONE" guides show pub-wages --language es >"$WORK/guide.txt" \
    || fail "the published guide does not open"
grep -q "Salarios no pagados" "$WORK/guide.txt" || fail "the published guide lacks its Spanish text: $(cat "$WORK/guide.txt")"
echo "PASS console_browser: signed in, edited, imported, froze, signed twice with waypoint-publish, published; wrote a guide, published it the same way; the client synced both. Screenshots in $SHOTS"
