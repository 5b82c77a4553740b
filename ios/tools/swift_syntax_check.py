#!/usr/bin/env python3
"""Parses Swift files with tree-sitter-swift and fails on any ERROR or MISSING node.

There is no Swift compiler on the Linux machines Waypoint is tested on, so this is the syntax
gate for the generated bindings and the hand-written wrapper. tree-sitter-swift 0.7.4 misparses
two valid constructs UniFFI emits; they are blanked with spaces of the same length (line and
column numbers stay true) before parsing:
  * `#if swift(>=5.8)` / `@_documentation(visibility: private)` / `#endif` around one attribute
  * the empty closure `{ () }`
Usage: swift_syntax_check.py FILE...   (exit 1 if any file has a syntax error)
"""
import re
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

FALSE_POSITIVES = [
    re.compile(r"#if swift\(>=5\.8\)\s*\n\s*@_documentation\(visibility: private\)\s*\n\s*#endif"),
    re.compile(r"\{ \(\) \}"),
]


def blank(source: str) -> str:
    for pattern in FALSE_POSITIVES:
        source = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    return source


def problems(tree):
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
        stack.extend(node.children)


def main(paths):
    parser = Parser(Language(tree_sitter_swift.language()))
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            source = blank(f.read())
        tree = parser.parse(source.encode("utf-8"))
        found = list(problems(tree))
        for node in found[:5]:
            kind = "MISSING" if node.is_missing else "ERROR"
            row, col = node.start_point
            print(f"{path}:{row + 1}:{col + 1}: {kind} {node.type}")
        if found:
            bad += 1
        else:
            print(f"ok {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
