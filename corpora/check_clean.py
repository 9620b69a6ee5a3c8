#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Check that corpora/vi-clean.jsonl really is clean, and that every line of
corpora/vi-messy.jsonl parses.  Exits non-zero on the first kind of failure
found (all failures are printed).  Standard library only.

    python3 corpora/check_clean.py
"""

import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# Zero-width and invisible format characters that must not appear.
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060",
              "\ufeff", "\u00ad", "\u061c", "\u180e"}
ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Tone-mark placement where the two styles differ (open syllables only).
OLD_STYLE = re.compile(r"(?<![qQ])([òóỏõọ][ae]|[ùúủũụ]y)(?![^\W\d_])")
NEW_STYLE = re.compile(r"(?<![qQ])(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])(?![^\W\d_])")


def text_problems(t):
    p = []
    if t != unicodedata.normalize("NFC", t):
        p.append("not NFC")
    if "\r" in t:
        p.append("CR")
    if "  " in t:
        p.append("double space")
    if "\n\n\n" in t:
        p.append("more than one blank line in a row")
    if t != t.strip():
        p.append("leading/trailing whitespace")
    for n, line in enumerate(t.split("\n"), 1):
        if line != line.strip(" "):
            p.append("leading/trailing space on line %d" % n)
    for c in t:
        cat = unicodedata.category(c)
        if c == "\n":
            continue
        if cat == "Cc":
            p.append("control char U+%04X" % ord(c))
        elif c in ZERO_WIDTH or cat == "Cf":
            p.append("zero-width/format char U+%04X" % ord(c))
        elif cat in ("Zs", "Zl", "Zp") and c != " ":
            p.append("non-ASCII space U+%04X" % ord(c))
        elif 0xFF01 <= ord(c) <= 0xFF5E:
            p.append("fullwidth form U+%04X" % ord(c))
        elif cat == "Cs" or cat == "Co" or cat == "Cn":
            p.append("surrogate/private/unassigned U+%04X" % ord(c))
    if ENTITY.search(t):
        p.append("HTML entity %r" % ENTITY.search(t).group(0))
    if not t:
        p.append("empty text")
    return p


def main():
    failures = 0
    old = new = 0
    path = os.path.join(HERE, "vi-clean.jsonl")
    data = open(path, "rb").read()
    if not data.endswith(b"\n") or b"\r" in data:
        print("vi-clean.jsonl: file must be LF-only and end with LF")
        failures += 1
    lines = data.decode("utf-8").split("\n")[:-1]
    if len(lines) != 40:
        print("vi-clean.jsonl: expected 40 records, got %d" % len(lines))
        failures += 1
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            print("vi-clean.jsonl:%d: does not parse: %s" % (n, e))
            failures += 1
            continue
        want = "clean-%03d" % n
        if obj.get("id") != want:
            print("vi-clean.jsonl:%d: id %r, expected %r" % (n, obj.get("id"), want))
            failures += 1
        t = obj.get("text")
        if not isinstance(t, str):
            print("vi-clean.jsonl:%d: text is not a string" % n)
            failures += 1
            continue
        for p in text_problems(t):
            print("vi-clean.jsonl:%d (%s): %s" % (n, want, p))
            failures += 1
        o, w = bool(OLD_STYLE.search(t)), bool(NEW_STYLE.search(t))
        if o and w:
            print("vi-clean.jsonl:%d: mixes old and new tone-mark style in one text" % n)
            failures += 1
        old += o
        new += w
    if not old or not new:
        print("vi-clean.jsonl: expected both tone-mark styles (old %d, new %d)" % (old, new))
        failures += 1

    path = os.path.join(HERE, "vi-messy.jsonl")
    mlines = open(path, "rb").read().decode("utf-8").split("\n")
    if mlines[-1] != "":
        print("vi-messy.jsonl: must end with LF")
        failures += 1
    mlines = mlines[:-1]
    if len(mlines) != 30:
        print("vi-messy.jsonl: expected 30 records, got %d" % len(mlines))
        failures += 1
    for n, line in enumerate(mlines, 1):
        try:
            obj = json.loads(line)
            if not isinstance(obj.get("text"), str) or not obj.get("problem"):
                raise ValueError("missing text or problem")
        except ValueError as e:
            print("vi-messy.jsonl:%d: %s" % (n, e))
            failures += 1

    if failures:
        print("FAIL: %d problem(s)" % failures)
        return 1
    print("ok: vi-clean.jsonl %d records clean (old-style tone marks in %d, new-style in %d); "
          "vi-messy.jsonl %d records parse" % (len(lines), old, new, len(mlines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
