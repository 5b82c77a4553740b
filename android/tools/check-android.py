#!/usr/bin/env python3
"""Checks for the parts of the Android app that cannot be compiled here (no Android SDK).

1. Every hand-written .kt file under android/ (Compose and Android framework code included)
   and every Gradle .kts script parses with tree-sitter-kotlin: no ERROR or MISSING node.
2. AndroidManifest.xml and every res/**/*.xml are well-formed XML, and the manifest keeps the
   promises the threat model makes (no backup, one enabled launcher alias, excluded from recents,
   no call or analytics permission, a camera permission only with the camera feature not required).
3. The app's Kotlin uses none of the APIs the threat model rules out: ACTION_CALL, logging
   (android.util.Log, println), toasts, rememberSaveable (the saved-state Bundle leaves the
   process), Play Services / Firebase.
4. Every string key the app uses (R.string.x in Kotlin, @string/x in XML) exists in values/ and
   in every values-xx of the core's languages, and every values-xx has exactly values/'s keys.
   Every @drawable/@mipmap/@xml/@color/@style reference and R.drawable.x resolves.
5. Every variant of the core's screen `View` enum (read from core/src/screens/) has its own
   `is ScreenView.X ->` branch in ui/WaypointUi.kt, and that `when` has no `else` branch (which
   would let a new screen go undrawn; the Kotlin compiler enforces exhaustiveness only without
   it). The check proves itself on broken copies every run: one with a branch removed, one with
   an `else` added, must each be rejected.

Usage: check-android.py [ANDROID_DIR]   (default: the directory above this script)
Prints one line per problem and "android checks: N problems"; exit status 1 on any problem.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

ANDROID = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
APP = ANDROID / "app" / "src" / "main"
RES = APP / "res"
# The core's languages: en lives in values/, the others each in their own directory; values-zh
# repeats zh-Hans for every other Chinese locale (the core maps every zh tag to zh-Hans).
LANGUAGE_DIRS = ["values-es", "values-ar", "values-vi", "values-b+zh+Hans", "values-zh"]
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

problems = []


def problem(msg):
    problems.append(msg)
    print("  " + msg)


def kotlin_files(scripts=False):
    paths = sorted(ANDROID.rglob("*.kt")) + (sorted(ANDROID.rglob("*.kts")) if scripts else [])
    for p in paths:
        parts = set(p.relative_to(ANDROID).parts)
        if "build" in parts or ".gradle" in parts:
            continue
        yield p


def check_kotlin_syntax():
    import tree_sitter
    import tree_sitter_kotlin

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_kotlin.language()))
    count = 0
    for path in kotlin_files(scripts=True):
        count += 1
        tree = parser.parse(path.read_bytes())
        bad = []
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.is_error or node.is_missing:
                bad.append(node)
                continue
            if node.has_error:
                stack.extend(node.children)
        for node in bad[:3]:
            kind = "missing " + node.type if node.is_missing else "syntax error"
            problem(f"{path.relative_to(ANDROID)}:{node.start_point[0] + 1}:{node.start_point[1] + 1}: {kind}")
    return count


def check_xml():
    files = [APP / "AndroidManifest.xml"] + sorted(RES.rglob("*.xml"))
    trees = {}
    for path in files:
        try:
            trees[path] = ET.parse(path)
        except ET.ParseError as e:
            problem(f"{path.relative_to(ANDROID)}: not well-formed XML: {e}")
    manifest = trees.get(APP / "AndroidManifest.xml")
    if manifest is not None:
        check_manifest(manifest.getroot())
    return trees


def check_manifest(root):
    app = root.find("application")
    if app is None:
        problem("AndroidManifest.xml: no <application>")
        return
    if app.get(ANDROID_NS + "allowBackup") != "false":
        problem("AndroidManifest.xml: allowBackup must be false")
    if not app.get(ANDROID_NS + "dataExtractionRules"):
        problem("AndroidManifest.xml: dataExtractionRules missing")
    aliases = app.findall("activity-alias")
    enabled = [a for a in aliases if a.get(ANDROID_NS + "enabled", "true") == "true"]
    if len(aliases) != 3 or len(enabled) != 1:
        problem(f"AndroidManifest.xml: expected 3 launcher aliases with exactly 1 enabled, found {len(aliases)} with {len(enabled)}")
    for a in aliases:
        for attr in ("label", "icon", "targetActivity"):
            if not a.get(ANDROID_NS + attr):
                problem(f"AndroidManifest.xml: alias {a.get(ANDROID_NS + 'name')} has no {attr}")
    for act in app.findall("activity"):
        if act.get(ANDROID_NS + "name") == ".MainActivity":
            if act.get(ANDROID_NS + "excludeFromRecents") != "true":
                problem("AndroidManifest.xml: MainActivity must be excludeFromRecents")
            if act.find("intent-filter") is not None:
                problem("AndroidManifest.xml: MainActivity must not have its own launcher entry")
    perms = {p.get(ANDROID_NS + "name") for p in root.findall("uses-permission")}
    # The camera (document photos, key scans) must never make the app require one: a phone
    # without a camera still installs it (files and pasting work), and CAMERA implies a
    # required camera feature unless the manifest says otherwise.
    if "android.permission.CAMERA" in perms:
        features = {f.get(ANDROID_NS + "name"): f.get(ANDROID_NS + "required") for f in root.findall("uses-feature")}
        for feature in ("android.hardware.camera", "android.hardware.camera.any"):
            if features.get(feature) != "false":
                problem(f"AndroidManifest.xml: CAMERA is requested: declare <uses-feature {feature} required=false>")
    for forbidden in ("android.permission.CALL_PHONE", "com.google.android.gms.permission.AD_ID",
                      "android.permission.READ_CONTACTS", "android.permission.ACCESS_FINE_LOCATION",
                      "android.permission.USE_EXACT_ALARM"):
        if forbidden in perms:
            problem(f"AndroidManifest.xml: {forbidden} must not be requested")


FORBIDDEN = [
    (re.compile(r"\bACTION_CALL\b"), "ACTION_CALL (calls go through ACTION_DIAL)"),
    (re.compile(r"\bLog\.[vdiwe]\(|android\.util\.Log\b|\bprintln\("), "logging (nothing personal may reach a log)"),
    (re.compile(r"\bToast\b"), "a toast (quick exit and errors show nothing)"),
    (re.compile(r"\brememberSaveable\b"), "rememberSaveable (the saved-state Bundle leaves the process)"),
    (re.compile(r"com\.google\.android\.gms|com\.google\.firebase|firebase", re.I), "Play Services / Firebase"),
]


def check_forbidden_apis():
    for path in kotlin_files():
        rel = path.relative_to(ANDROID)
        if rel.parts[:2] != ("app", "src") or "test" in rel.parts:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0]
            for pattern, what in FORBIDDEN:
                if pattern.search(code):
                    problem(f"{rel}:{lineno}: {what}")


def string_keys(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, FileNotFoundError):
        return None
    return {s.get("name") for s in root.findall("string")}


def check_resources(trees):
    used = {}
    kt_sources = [p for p in kotlin_files() if (ANDROID / "app") in p.parents]
    for path in kt_sources:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\bR\.string\.([A-Za-z0-9_]+)", text):
            used.setdefault(m.group(1), str(path.relative_to(ANDROID)))
        for m in re.finditer(r"\bR\.(drawable|mipmap|xml|color)\.([A-Za-z0-9_]+)", text):
            check_ref(m.group(1), m.group(2), str(path.relative_to(ANDROID)))
    for path in trees:
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ANDROID))
        for m in re.finditer(r"@string/([A-Za-z0-9_]+)", text):
            used.setdefault(m.group(1), where)
        for m in re.finditer(r"@(drawable|mipmap|xml|color|style)/([A-Za-z0-9_.]+)", text):
            check_ref(m.group(1), m.group(2), where)

    base = string_keys(RES / "values" / "strings.xml")
    if base is None:
        problem("res/values/strings.xml missing or unreadable")
        return 0
    langs = {}
    for d in LANGUAGE_DIRS:
        keys = string_keys(RES / d / "strings.xml")
        if keys is None:
            problem(f"res/{d}/strings.xml missing or unreadable")
            keys = set()
        langs[d] = keys
    for key, where in sorted(used.items()):
        if key not in base:
            problem(f"{where}: string '{key}' is not in res/values/strings.xml")
        for d, keys in langs.items():
            if key not in keys:
                problem(f"{where}: string '{key}' is not in res/{d}/strings.xml")
    for d, keys in langs.items():
        for key in sorted(keys - base):
            problem(f"res/{d}/strings.xml: '{key}' is not in res/values/strings.xml")
    return len(used)


def defined_values(tag):
    names = set()
    for path in RES.glob("values*/*.xml"):
        try:
            names |= {e.get("name") for e in ET.parse(path).getroot().findall(tag)}
        except ET.ParseError:
            pass
    return names


def check_ref(kind, name, where):
    if kind in ("drawable", "mipmap", "xml"):
        if not any(RES.glob(f"{kind}*/{name}.xml")) and not any(RES.glob(f"{kind}*/{name}.png")):
            problem(f"{where}: @{kind}/{name} does not exist")
    elif kind == "color":
        if name not in defined_values("color"):
            problem(f"{where}: @color/{name} does not exist")
    elif kind == "style":
        if not name.startswith("Theme.AppCompat") and name not in defined_values("style"):
            problem(f"{where}: @style/{name} does not exist")


UI_FILE = APP / "kotlin" / "org" / "waypoint" / "app" / "ui" / "WaypointUi.kt"
CORE_SCREENS = ANDROID.parent / "core" / "src" / "screens"


def core_view_variants():
    """The variants of `pub enum View` in the core's screen models, in order."""
    for path in sorted(CORE_SCREENS.glob("*.rs")):
        src = path.read_text(encoding="utf-8")
        m = re.search(r"^pub enum View \{\n(.*?)^\}", src, re.S | re.M)
        if m:
            return re.findall(r"^    ([A-Z][A-Za-z0-9]*)\b", m.group(1), re.M)
    return []


def screen_when_block(ui):
    """The body of the `when (val view = state.view)` that draws every screen."""
    start = ui.find("when (val view = state.view) {")
    if start < 0:
        return None
    depth = 0
    for i in range(ui.index("{", start), len(ui)):
        if ui[i] == "{":
            depth += 1
        elif ui[i] == "}":
            depth -= 1
            if depth == 0:
                return ui[start:i + 1]
    return None


def view_problems(variants, ui):
    """What is wrong with `ui` (WaypointUi.kt's text) for the core's `variants`."""
    found = []
    block = screen_when_block(ui)
    if block is None:
        return ["ui/WaypointUi.kt: no `when (val view = state.view)` drawing the screens"]
    code = "\n".join(line.split("//", 1)[0] for line in block.splitlines())
    for v in variants:
        if not re.search(r"^\s*is ScreenView\." + v + r"\s*->", code, re.M):
            found.append(f"ui/WaypointUi.kt: the core's View.{v} has no `is ScreenView.{v} ->` branch")
    if re.search(r"^\s*else\s*->", code, re.M):
        found.append("ui/WaypointUi.kt: the screens' `when` has an `else` branch (a new View would go undrawn)")
    return found


def check_views():
    variants = core_view_variants()
    if len(variants) < 10:
        problem(f"core/src/screens: could not read the View enum (found {len(variants)} variants)")
        return 0
    ui = UI_FILE.read_text(encoding="utf-8")
    for p in view_problems(variants, ui):
        problem(p)
    # The check must catch a screen that is not drawn, and an `else` that hides one.
    last = variants[-1]
    without = re.sub(r"^\s*is ScreenView\." + last + r"\s*->.*$", "", ui, count=1, flags=re.M)
    if not any(f"View.{last} " in p for p in view_problems(variants, without)):
        problem(f"views check: a copy without the View.{last} branch was not rejected")
    with_else = ui.replace("when (val view = state.view) {", "when (val view = state.view) {\n        else -> Unit", 1)
    if not any("`else`" in p for p in view_problems(variants, with_else)):
        problem("views check: a copy with an `else` branch was not rejected")
    return len(variants)


def main():
    print(f"android checks in {ANDROID}")
    kt = check_kotlin_syntax()
    trees = check_xml()
    check_forbidden_apis()
    keys = check_resources(trees)
    views = check_views()
    print(f"android checks: {kt} Kotlin files and Gradle scripts parsed, {len(trees)} XML files, {keys} string keys "
          f"in values/ and {len(LANGUAGE_DIRS)} languages, {views} core screens drawn; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
