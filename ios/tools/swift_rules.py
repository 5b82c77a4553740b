#!/usr/bin/env python3
"""House rules for the hand-written Swift (wrapper and app), checked without a compiler.

  no-logging      no print/debugPrint/dump/NSLog/os_log/Logger: nothing the app knows may reach
                  a log, a console or a crash report through the shell (tests exempt)
  no-crash        no `try!`, `fatalError(`, `preconditionFailure(`: the shell never crashes
                  on input (a crash report can carry state, and a crash loses the cover)
  unchecked       every `@unchecked Sendable` says why on the same or one of the two lines
                  above (a comment containing "@unchecked")
  no-unsafe       no `nonisolated(unsafe)` and no `DispatchQueue.main.sync` (deadlocks and
                  data races the Swift 6 checker would otherwise catch)

Usage: swift_rules.py FILE...   (exit 1 on any violation; files under a Tests folder may log
and crash, as XCTest does)
"""
import re
import sys

RULES = [
    ("no-logging", re.compile(r"\b(print|debugPrint|dump|NSLog|os_log)\s*\(|\bLogger\s*\("), False),
    ("no-crash", re.compile(r"\btry!|\bfatalError\s*\(|\bpreconditionFailure\s*\("), False),
    ("no-unsafe", re.compile(r"nonisolated\(unsafe\)|DispatchQueue\.main\.sync\b"), True),
]
UNCHECKED = re.compile(r"@unchecked\s+Sendable")


def code_part(line: str) -> str:
    """The line without a trailing // comment and without string literal contents."""
    line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
    return line.split("//", 1)[0]


def check(path: str) -> list:
    is_test = "/Tests/" in path.replace("\\", "/")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    problems = []
    for i, raw in enumerate(lines):
        code = code_part(raw)
        for name, pattern, applies_to_tests in RULES:
            if (applies_to_tests or not is_test) and pattern.search(code):
                problems.append(f"{path}:{i + 1}: {name}: {raw.strip()}")
        if UNCHECKED.search(code):
            context = lines[max(0, i - 2): i + 1]
            if not any("//" in c and "@unchecked" in c.split("//", 1)[1] for c in context):
                problems.append(f"{path}:{i + 1}: unchecked: say why it is safe in a // @unchecked comment")
    return problems


def main(paths) -> int:
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p)
    if not problems:
        print(f"ok: {len(paths)} Swift files keep the house rules")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
