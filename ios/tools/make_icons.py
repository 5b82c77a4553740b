#!/usr/bin/env python3
"""Draws the app's icons (one per decoy) into ios/App/Resources/Assets.xcassets.

The icons are generated, not drawn by hand, so anyone can rebuild them and see that they
show nothing but an ordinary calculator, notes page or weather symbol. Output: one
1024x1024 RGB PNG (no alpha channel: App Store icons must be opaque) per icon set, and the
set's Contents.json (a single universal size; Xcode 14+ derives the others).

  AppIcon         the calculator, the primary icon (the default decoy)
  AppIconNotes    the notes decoy      (alternate icon; name from core/disguise/src/decoys.rs)
  AppIconWeather  the weather decoy    (alternate icon)

Run from the repository root with Pillow installed (ios/check-swift.sh's venv has it):
  python ios/tools/make_icons.py           # writes the PNGs
  python ios/tools/make_icons.py --check   # fails if the committed PNGs differ from a fresh draw
"""
import io
import json
import os
import sys

from PIL import Image, ImageDraw

SIZE = 1024
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "App", "Resources", "Assets.xcassets")


def calculator() -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), (44, 47, 51))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((150, 130, 874, 330), radius=40, fill=(200, 214, 196))
    key, gap, left, top = 150, 43, 150, 390
    for row in range(3):
        for col in range(4):
            x = left + col * (key + gap)
            y = top + row * (key + gap)
            colour = (245, 158, 11) if col == 3 else (96, 101, 108)
            d.rounded_rectangle((x, y, x + key, y + key), radius=36, fill=colour)
    return img


def notes() -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE), (250, 204, 21))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((190, 140, 834, 884), radius=48, fill=(255, 253, 240))
    d.rectangle((190, 140, 834, 250), fill=(253, 224, 71))
    for i in range(6):
        y = 330 + i * 90
        d.rounded_rectangle((260, y, 764 if i % 3 else 640, y + 22), radius=11, fill=(168, 162, 158))
    return img


def weather() -> Image.Image:
    img = Image.new("RGB", (SIZE, SIZE))
    d = ImageDraw.Draw(img)
    top, bottom = (56, 132, 220), (125, 196, 246)
    for y in range(SIZE):
        t = y / (SIZE - 1)
        d.line((0, y, SIZE, y), fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    d.ellipse((420, 180, 820, 580), fill=(253, 224, 71))
    cloud = (250, 250, 252)
    d.ellipse((170, 470, 490, 790), fill=cloud)
    d.ellipse((360, 380, 720, 740), fill=cloud)
    d.ellipse((590, 520, 850, 780), fill=cloud)
    d.rounded_rectangle((250, 620, 790, 790), radius=85, fill=cloud)
    return img


ICONS = {"AppIcon": calculator, "AppIconNotes": notes, "AppIconWeather": weather}


def contents(filename: str) -> dict:
    return {
        "images": [{"filename": filename, "idiom": "universal", "platform": "ios", "size": "1024x1024"}],
        "info": {"author": "xcode", "version": 1},
    }


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def main(argv) -> int:
    check = "--check" in argv
    stale = []
    os.makedirs(ASSETS, exist_ok=True)
    wanted = {os.path.join(ASSETS, "Contents.json"): json.dumps({"info": {"author": "xcode", "version": 1}}, indent=2) + "\n"}
    for name, draw in ICONS.items():
        folder = os.path.join(ASSETS, f"{name}.appiconset")
        filename = f"{name}-1024.png"
        wanted[os.path.join(folder, "Contents.json")] = json.dumps(contents(filename), indent=2) + "\n"
        wanted[os.path.join(folder, filename)] = png_bytes(draw())
    for path, data in wanted.items():
        raw = data.encode() if isinstance(data, str) else data
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != raw:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(raw)
    if stale:
        for p in stale:
            print(f"FAIL: {os.path.relpath(p, ROOT)} differs from a fresh draw (run ios/tools/make_icons.py)")
        return 1
    print("ok: icons " + ("match a fresh draw" if check else f"written to {os.path.relpath(ASSETS, ROOT)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
