#!/usr/bin/env python3
"""Static checks of the iOS app target (ios/App) that need no Mac. Each prints `ok ...` or
`FAIL ...`; the exit status is 1 if any failed.

  project   project.yml parses as YAML; every path it names exists; every folder of ios/App
            holding Swift is a source folder of some target; Swift 6 mode; iOS floor set
  plist     Info.plist and the entitlements parse; background modes, task ids and file
            protection are what docs/IOS.md says; the camera usage reason is set, neutral, and
            given in every language (InfoPlist.xcstrings)
  strings   Localizable.xcstrings is valid JSON; every key has a non-empty value in every
            language the core ships (en, es, ar, vi, zh-Hans) with the same placeholders;
            every localised literal in the app's Swift is a key; no value names the app or
            says "exit" (VoiceOver and the screen stay neutral)
  icons     every icon named by Info.plist, project.yml and the core's launcher aliases is an
            app icon set whose images exist as opaque 1024x1024 PNGs
  views     (needs --generated FILE, the generated Swift bindings) every case of the core's
            `View` enum is drawn by the app's `ScreenSwitch`

Usage: check_app.py [--root DIR] [--generated FILE] [project|plist|strings|icons|views ...]
       (default: all; views only with --generated)
"""
import json
import os
import plistlib
import re
import sys

import yaml
from PIL import Image

LANGUAGES = ["en", "es", "ar", "vi", "zh-Hans"]
# SwiftUI initialisers whose first unlabelled string literal is a LocalizedStringKey.
LOCALISED_CALL = re.compile(
    r'\b(?:Text|Label|Button|TextField|SecureField|Toggle|Picker|Stepper|LocalizedStringKey|ShareLink)'
    r'\(\s*"((?:[^"\\]|\\.)*)"'
)
LOCALIZED_STRING = re.compile(r'String\(localized:\s*"((?:[^"\\]|\\.)*)"')
# The shell's stand-in words beside a core label key: words.text("save", "Save"),
# field("field:title", "Title", ...), and a screen's fallbackTitle.
FALLBACK_WORDS = re.compile(r'\b(?:text|field)\(\s*"[^"]*"\s*,\s*"((?:[^"\\]|\\.)*)"')
FALLBACK_TITLE = re.compile(r'fallbackTitle:\s*([^\n{]*)')
STRING_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
FORBIDDEN_WORDS = re.compile(r"waypoint|exit|escape|panic|hide", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%(?:\d+\$)?(?:lld|ld|d|u|@|f)")

failures = []


def ok(msg):
    print(f"ok {msg}")


def fail(msg):
    failures.append(msg)
    print(f"FAIL {msg}")


def swift_files(folder):
    for dirpath, _, files in os.walk(folder):
        for f in sorted(files):
            if f.endswith(".swift"):
                yield os.path.join(dirpath, f)


def load_project(app):
    with open(os.path.join(app, "project.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_project(app):
    try:
        spec = load_project(app)
    except yaml.YAMLError as e:
        fail(f"project.yml is not valid YAML: {e}".splitlines()[0])
        return
    if not isinstance(spec, dict) or not isinstance(spec.get("targets"), dict):
        fail("project.yml has no targets")
        return
    named = []
    source_dirs = []
    for tname, target in spec["targets"].items():
        for src in target.get("sources", []):
            path = src["path"] if isinstance(src, dict) else src
            named.append(path)
            source_dirs.append(os.path.normpath(os.path.join(app, path)))
        for key in ("info", "entitlements"):
            if key in target:
                fail(f"project.yml: target {tname} uses `{key}:`, which would overwrite the checked-in file")
        settings = target.get("settings", {}).get("base", {})
        for key in ("INFOPLIST_FILE", "CODE_SIGN_ENTITLEMENTS"):
            if key in settings:
                named.append(settings[key])
        if target.get("type") == "application" and "INFOPLIST_FILE" not in settings:
            fail(f"project.yml: application {tname} names no INFOPLIST_FILE")
        for dep in target.get("dependencies", []):
            if "package" in dep and dep["package"] not in spec.get("packages", {}):
                fail(f"project.yml: target {tname} uses undeclared package {dep['package']}")
            if "target" in dep and dep["target"] not in spec["targets"]:
                fail(f"project.yml: target {tname} depends on unknown target {dep['target']}")
    for pname, pkg in spec.get("packages", {}).items():
        if "path" in pkg:
            named.append(os.path.join(pkg["path"], "Package.swift"))
    missing = [p for p in named if not os.path.exists(os.path.join(app, p))]
    for p in missing:
        fail(f"project.yml names {p}, which does not exist")
    uncovered = set()
    for f in swift_files(app):
        d = os.path.dirname(f)
        if not any(d == s or d.startswith(s + os.sep) for s in source_dirs):
            uncovered.add(os.path.relpath(d, app))
    for d in sorted(uncovered):
        fail(f"ios/App/{d} holds Swift that no target in project.yml builds")
    base = spec.get("settings", {}).get("base", {})
    if str(base.get("SWIFT_VERSION")) != "6.0" or base.get("SWIFT_STRICT_CONCURRENCY") != "complete":
        fail("project.yml: SWIFT_VERSION 6.0 and SWIFT_STRICT_CONCURRENCY complete are required")
    if not spec.get("options", {}).get("deploymentTarget", {}).get("iOS"):
        fail("project.yml: no iOS deployment target")
    if not missing and not uncovered:
        ok(f"project.yml: {len(spec['targets'])} targets, {len(named)} paths exist, every Swift folder built")


def check_plist(app):
    try:
        with open(os.path.join(app, "Info.plist"), "rb") as f:
            info = plistlib.load(f)
        with open(os.path.join(app, "Waypoint.entitlements"), "rb") as f:
            ent = plistlib.load(f)
    except Exception as e:  # plistlib raises several types for bad XML
        fail(f"Info.plist or entitlements do not parse: {type(e).__name__}")
        return
    before = len(failures)
    if ent.get("com.apple.developer.default-data-protection") != "NSFileProtectionCompleteUntilFirstUserAuthentication":
        fail("entitlements: default data protection must be NSFileProtectionCompleteUntilFirstUserAuthentication")
    if "fetch" not in info.get("UIBackgroundModes", []):
        fail("Info.plist: UIBackgroundModes must contain fetch (BGAppRefreshTask)")
    ids = info.get("BGTaskSchedulerPermittedIdentifiers", [])
    for suffix in (".reminders", ".directory"):
        if not any(i.endswith(suffix) for i in ids):
            fail(f"Info.plist: no BGTaskSchedulerPermittedIdentifiers entry ending {suffix}")
    if sorted(info.get("CFBundleLocalizations", [])) != sorted(LANGUAGES):
        fail("Info.plist: CFBundleLocalizations must list exactly the core's languages")
    # The camera (a document's photo, a recipient key's QR code) is asked for with a neutral
    # reason in every language the app ships: the dialog shows over the disguise's name.
    usage = info.get("NSCameraUsageDescription", "")
    if not usage.strip() or FORBIDDEN_WORDS.search(usage):
        fail("Info.plist: NSCameraUsageDescription must be set and neutral (no app name)")
    try:
        with open(os.path.join(app, "Resources", "InfoPlist.xcstrings"), encoding="utf-8") as f:
            plist_strings = json.load(f).get("strings", {})
        locs = plist_strings.get("NSCameraUsageDescription", {}).get("localizations", {})
        for lang in LANGUAGES:
            value = locs.get(lang, {}).get("stringUnit", {}).get("value", "")
            if not value.strip():
                fail(f"InfoPlist.xcstrings: NSCameraUsageDescription has no {lang} value")
            elif lang == "en" and value != usage:
                fail("InfoPlist.xcstrings: the English NSCameraUsageDescription differs from Info.plist")
            elif FORBIDDEN_WORDS.search(value):
                fail(f"InfoPlist.xcstrings: NSCameraUsageDescription in {lang} names the app")
    except (OSError, json.JSONDecodeError) as e:
        fail(f"InfoPlist.xcstrings missing or invalid: {type(e).__name__}")
    if info.get("UIFileSharingEnabled") is not False:
        fail("Info.plist: UIFileSharingEnabled must be false (the Files app would list the store)")
    try:
        with open(os.path.join(app, "Resources", "PrivacyInfo.xcprivacy"), "rb") as f:
            privacy = plistlib.load(f)
        if privacy.get("NSPrivacyTracking") is not False or privacy.get("NSPrivacyCollectedDataTypes"):
            fail("PrivacyInfo.xcprivacy: the app tracks nothing and collects nothing")
    except Exception as e:  # missing or unparsable
        fail(f"PrivacyInfo.xcprivacy missing or invalid: {type(e).__name__}")
    if len(failures) == before:
        ok("Info.plist, entitlements and privacy manifest")


def literal_keys(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    keys = []
    found = [m.group(1) for m in LOCALISED_CALL.finditer(src)]
    found += [m.group(1) for m in LOCALIZED_STRING.finditer(src)]
    found += [m.group(1) for m in FALLBACK_WORDS.finditer(src)]
    for m in FALLBACK_TITLE.finditer(src):
        found += STRING_LITERAL.findall(m.group(1))
    for key in found:
        # Interpolations become format specifiers in the catalog (the app interpolates Ints).
        key = re.sub(r"\\\((?:[^()]|\([^()]*\))*\)", "%lld", key)
        keys.append(key)
    return keys


def check_strings(app):
    path = os.path.join(app, "Resources", "Localizable.xcstrings")
    try:
        with open(path, encoding="utf-8") as f:
            catalog = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"Localizable.xcstrings is not valid JSON: {e}")
        return
    before = len(failures)
    if catalog.get("sourceLanguage") != "en":
        fail("Localizable.xcstrings: sourceLanguage must be en")
    strings = catalog.get("strings", {})
    for key, entry in strings.items():
        locs = entry.get("localizations", {})
        want = PLACEHOLDER.findall(key)
        for lang in LANGUAGES:
            value = locs.get(lang, {}).get("stringUnit", {}).get("value", "")
            if not value.strip():
                fail(f"Localizable.xcstrings: {key!r} has no {lang} value")
                continue
            if sorted(PLACEHOLDER.findall(value)) != sorted(want):
                fail(f"Localizable.xcstrings: {key!r} in {lang} does not keep the placeholders {want}")
            if FORBIDDEN_WORDS.search(value) and lang == "en":
                fail(f"Localizable.xcstrings: {key!r} names the app or what the close control does")
    used = {}
    for f in swift_files(os.path.join(app, "Sources")):
        for key in literal_keys(f):
            used.setdefault(key, os.path.relpath(f, app))
    for key, where in sorted(used.items()):
        if key not in strings:
            fail(f"{where}: {key!r} is shown but missing from Localizable.xcstrings")
    if len(failures) == before:
        ok(f"Localizable.xcstrings: {len(strings)} keys x {len(LANGUAGES)} languages, {len(used)} used keys present")


def icon_names(app, repo):
    names = {}
    with open(os.path.join(app, "Info.plist"), "rb") as f:
        icons = plistlib.load(f).get("CFBundleIcons", {})
    primary = icons.get("CFBundlePrimaryIcon", {}).get("CFBundleIconName")
    if primary:
        names[primary] = "Info.plist"
    for alt, spec in icons.get("CFBundleAlternateIcons", {}).items():
        names[spec.get("CFBundleIconName", alt)] = "Info.plist"
    spec = load_project(app)
    for target in spec.get("targets", {}).values():
        s = target.get("settings", {}).get("base", {})
        if s.get("ASSETCATALOG_COMPILER_APPICON_NAME"):
            names[s["ASSETCATALOG_COMPILER_APPICON_NAME"]] = "project.yml"
        for n in str(s.get("ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES", "")).split():
            names[n] = "project.yml"
    decoys = os.path.join(repo, "core", "disguise", "src", "decoys.rs")
    with open(decoys, encoding="utf-8") as f:
        for n in re.findall(r'ios_icon:\s*Some\("([^"]+)"\)', f.read()):
            names[n] = "core/disguise/src/decoys.rs"
    return names


def check_icons(app, repo):
    assets = os.path.join(app, "Resources", "Assets.xcassets")
    before = len(failures)
    names = icon_names(app, repo)
    for name, where in sorted(names.items()):
        folder = os.path.join(assets, f"{name}.appiconset")
        try:
            with open(os.path.join(folder, "Contents.json"), encoding="utf-8") as f:
                images = json.load(f).get("images", [])
        except (OSError, json.JSONDecodeError):
            fail(f"{where} names icon {name}, but {name}.appiconset/Contents.json is missing or invalid")
            continue
        files = [i["filename"] for i in images if "filename" in i]
        if not files:
            fail(f"icon {name}: no image files listed")
        for fn in files:
            p = os.path.join(folder, fn)
            try:
                with Image.open(p) as im:
                    if im.format != "PNG" or im.size != (1024, 1024) or im.mode != "RGB":
                        fail(f"icon {name}/{fn}: must be an opaque 1024x1024 PNG, is {im.format} {im.size} {im.mode}")
            except OSError:
                fail(f"icon {name}: {fn} is missing or not an image")
    if len(failures) == before:
        ok(f"icons: {', '.join(sorted(names))} exist as opaque 1024x1024 PNGs")


def check_views(app, generated):
    with open(generated, encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"^public enum View\b.*?^}", src, re.S | re.M)
    if not m:
        fail("views: the generated bindings have no `public enum View`")
        return
    cases = re.findall(r"^    case (\w+)\b", m.group(0), re.M)
    with open(os.path.join(app, "Sources", "ShellRoot.swift"), encoding="utf-8") as f:
        shell = f.read()
    body = re.search(r"struct ScreenSwitch\b.*?\n}\n", shell, re.S)
    drawn = set(re.findall(r"case \.(\w+)", body.group(0))) if body else set()
    missing = [c for c in cases if c not in drawn]
    for c in missing:
        fail(f"views: the core's View.{c} has no SwiftUI view in ScreenSwitch (ShellRoot.swift)")
    if cases and not missing:
        ok(f"views: all {len(cases)} cases of the core's View are drawn")


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    generated = None
    while argv[:1] in (["--root"], ["--generated"]):
        if argv[0] == "--root":
            root = argv[1]
        else:
            generated = argv[1]
        argv = argv[2:]
    app = os.path.join(root, "ios", "App")
    checks = argv or ["project", "plist", "strings", "icons"] + (["views"] if generated else [])
    for c in checks:
        if c == "project":
            check_project(app)
        elif c == "plist":
            check_plist(app)
        elif c == "strings":
            check_strings(app)
        elif c == "icons":
            check_icons(app, root)
        elif c == "views" and generated:
            check_views(app, generated)
        else:
            fail(f"unknown check {c}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
