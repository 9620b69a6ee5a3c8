#!/usr/bin/env python3
"""Evaluate sach's language identification (sach_langid_score) on labelled
documents and lines, with and without diacritics.

Vietnamese: ../shared/corpora/*.jsonl.zst (viwiki, vlc-law, binhvq-sample,
ud-vtb, col-news-lyrics, ubs-bank-social, manpages, debian-l10n). The
no-diacritic copies are made here (tone and vowel marks removed, d-stroke
written d; case kept).
Other languages: Debian's translation catalogues (msgunfmt on
/usr/share/locale/LANG/LC_MESSAGES/*.mo, package gettext); English from the
catalogues' source strings (msgid).

Documents: a corpus record (first 5,000 characters), or 30 consecutive
catalogue strings. Lines: a line of a record, or one catalogue string, with
at least 3 tokens. Samples are deterministic (fixed seed).

Prints precision and recall of "Vietnamese" at the threshold (0.5 unless
--threshold), per set, and the languages that give false positives.

Usage: scripts/eval-langid.py BUILD_DIR [--threshold T] [--per-source N]
(BUILD_DIR holds the built library; the scorer tests/bench/signals_speed.c
is compiled into it). Exit 0 also when inputs are missing (it says which).
"""

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(ROOT, "..", "shared", "corpora")
VI_SOURCES = ["viwiki", "vlc-law", "binhvq-sample", "ud-vtb", "col-news-lyrics",
              "ubs-bank-social", "manpages", "debian-l10n"]
OTHER_LANGS = ["en", "fr", "id", "ms", "tl", "fil", "es", "pt", "it", "de", "nl", "tr",
               "pl", "ro", "cs", "sv", "da", "hu", "fi", "ca", "hr", "sk", "sl", "eu",
               "gl", "af", "sq", "lt", "lv", "et", "eo", "ru", "zh_CN", "ja", "th"]
DOC_CHARS = 5000
DOC_STRINGS = 30


def strip_diacritics(text):
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        out.append({"\u0111": "d", "\u0110": "D"}.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def read_jsonl_zst(path):
    data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            yield json.loads(line).get("text", "")
        except json.JSONDecodeError:
            continue


def catalogue_strings(lang):
    """msgstr strings of every catalogue of `lang`, or msgid for "en"."""
    out = []
    code = "fr" if lang == "en" else lang  # English: source strings of the fr catalogues
    for mo in sorted(glob.glob(f"/usr/share/locale/{code}/LC_MESSAGES/*.mo")):
        try:
            po = subprocess.run(["msgunfmt", "--no-wrap", mo], capture_output=True,
                                check=True).stdout.decode("utf-8", "replace")
        except (subprocess.CalledProcessError, FileNotFoundError):
            continue
        want = "msgid" if lang == "en" else "msgstr"
        cur = None
        for raw in po.splitlines():
            if raw.startswith(want + " ") or raw.startswith(want + "[0] "):
                cur = [raw.split(" ", 1)[1]]
            elif raw.startswith('"') and cur is not None:
                cur.append(raw)
            else:
                if cur is not None:
                    s = "".join(po_unquote(p) for p in cur if p.startswith('"')).strip()
                    if s:
                        out.append(s)
                cur = None
    return out


def po_unquote(p):
    """The text of one quoted PO string (C-style escapes)."""
    body, out, i = p.strip()[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append({"n": "\n", "t": " "}.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokens(s):
    return len(s.split())


def build(per_source, rng):
    docs, lines = [], []  # (label, set, source, text)
    for src in VI_SOURCES:
        path = os.path.join(CORPORA, src + ".jsonl.zst")
        if not os.path.exists(path):
            print(f"missing {path}: skipped", file=sys.stderr)
            continue
        texts = [t for t in read_jsonl_zst(path) if t.strip()]
        rng.shuffle(texts)
        for t in texts[:per_source]:
            docs.append(("vi", src, t[:DOC_CHARS]))
        cand = [ln for t in texts[:per_source * 4] for ln in t.splitlines() if tokens(ln) >= 3]
        rng.shuffle(cand)
        for ln in cand[:per_source]:
            lines.append(("vi", src, ln))
    for lang in OTHER_LANGS:
        strings = catalogue_strings(lang)
        if not strings:
            print(f"no catalogues for {lang}: skipped", file=sys.stderr)
            continue
        chunks = [" ".join(strings[i:i + DOC_STRINGS]) for i in range(0, len(strings), DOC_STRINGS)]
        rng.shuffle(chunks)
        for c in chunks[:per_source]:
            docs.append((lang, "catalogues", c[:DOC_CHARS]))
        cand = [s for s in strings if tokens(s) >= 3]
        rng.shuffle(cand)
        for s in cand[:per_source]:
            lines.append((lang, "catalogues", s))
    return docs, lines


def score(exe, items):
    payload = "".join(f"{i}\t{' '.join(text.split())}\n" for i, (_, _, text) in enumerate(items))
    out = subprocess.run([exe, "--langid"], input=payload.encode("utf-8"), capture_output=True,
                         check=True).stdout.decode()
    scores = [0.0] * len(items)
    for row in out.splitlines():
        i, v = row.split("\t")
        scores[int(i)] = float(v)
    return scores


def report(name, items, scores, thr):
    tp = fp = fn = 0
    fp_by, vi_by = {}, {}
    for (label, src, _), s in zip(items, scores):
        pos = s >= thr
        if label == "vi":
            tot, miss = vi_by.get(src, (0, 0))
            vi_by[src] = (tot + 1, miss + (not pos))
            tp += pos
            fn += not pos
        elif pos:
            fp += 1
            fp_by[label] = fp_by.get(label, 0) + 1
    n_vi = tp + fn
    n_other = len(items) - n_vi
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / n_vi if n_vi else 0.0
    print(f"{name:34s} vi {n_vi:5d} other {n_other:5d}  precision {prec:.4f}  recall {rec:.4f}"
          f"  false positives {fp}")
    if fp_by:
        print("    false positives by language: " +
              ", ".join(f"{k} {v}" for k, v in sorted(fp_by.items(), key=lambda x: -x[1])))
    missed = [(k, m, t) for k, (t, m) in vi_by.items() if m]
    if missed:
        print("    Vietnamese missed by source: " +
              ", ".join(f"{k} {m}/{t}" for k, m, t in sorted(missed, key=lambda x: -x[1])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--per-source", type=int, default=300)
    args = ap.parse_args()
    exe = os.path.join(args.build, "tests", "bench-signals-speed")
    libs = subprocess.run(["pkg-config", "--libs", "icu-uc", "icu-i18n", "libzstd", "zlib",
                           "libxxhash", "yaml-0.1", "json-c"], capture_output=True,
                          text=True).stdout.split()
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    subprocess.run(["cc", "-std=c11", "-O2", "-D_GNU_SOURCE", "-I" + os.path.join(ROOT, "lib", "include"),
                    "-o", exe, os.path.join(ROOT, "tests", "bench", "signals_speed.c"),
                    os.path.join(args.build, "lib", "libsach.a")] + libs + ["-lpthread", "-lm"],
                   check=True)
    if not os.path.isdir(CORPORA):
        print(f"eval-langid: {CORPORA} not found: skipped")
        return
    rng = random.Random(20240611)
    docs, lines = build(args.per_source, rng)
    for name, items in (("documents", docs), ("lines", lines)):
        for diac in (True, False):
            cur = items if diac else [(l, s, strip_diacritics(t) if l == "vi" else t)
                                      for l, s, t in items]
            label = f"{name}, {'with' if diac else 'without'} diacritics"
            report(label, cur, score(exe, cur), args.threshold)


if __name__ == "__main__":
    main()
