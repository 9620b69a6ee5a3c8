#!/usr/bin/env python3
"""Generate lib/legacy_tables.h: the byte tables of the legacy module.

Sources, by encoding (see shared/reference/VIETNAMESE.md section 2):

  TCVN3   glibc charmap TCVN5712-1 (the VN1 superset of TCVN3; it decodes
          TCVN3 correctly). The encoder keeps only the TCVN3 (VN3) bytes:
          uppercase toned letters, which TCVN3 does not have, are written
          with the lowercase byte (TCVN3 documents show capitals by switching
          to an "H" font).
  VISCII  glibc charmap VISCII.
  CP1258  glibc charmap CP1258; letters without a precomposed byte are
          written as base byte + combining tone byte (what iconv does).
  CP1252  Python's cp1252 codec, made "sloppy" as in the WHATWG decoder:
          the five undefined bytes 0x81 0x8D 0x8F 0x90 0x9D map to the C1
          controls U+0081 ... and back.
  LATIN1  identity.
  VNI     written here from the mark-byte facts (VNI_* below).
  VPS     written here (VPS_TABLE below) in VIQR mnemonics.
  VIQR    RFC 1456 mnemonics, derived from the Unicode decompositions.

The glibc charmaps (/usr/share/i18n/charmaps/*.gz, Debian package `locales`)
are the source of the three glibc tables. When `iconv` is installed, every
byte 0x00-0xFF and every pair (byte, combining tone byte) is also decoded
with iconv and compared with what the generated tables and the C decoder's
composition rule produce; any disagreement stops the generator. The output
does not depend on whether that check ran.

The composition table (base + mark -> precomposed character) comes from
Python's unicodedata: for every code point a decoder can produce (and,
repeatedly, every composite found) and each of the eight marks used in
Vietnamese (five tones, circumflex, breve, horn), NFC(base + mark) is stored
when it is one code point.

Usage: scripts/gen-legacy-tables.py [OUTPUT]   (default: lib/legacy_tables.h
relative to the repository root). Deterministic: same inputs, same bytes.
"""

import codecs
import gzip
import os
import shutil
import subprocess
import sys
import unicodedata

CHARMAP_DIR = "/usr/share/i18n/charmaps"

# Mark order shared with lib/legacy.c: 0-4 are the tones, 5-7 the vowel
# modifiers.
MARKS = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B]
MARK_NAMES = ["GRAVE", "ACUTE", "TILDE", "HOOK", "DOT", "CIRC", "BREVE",
              "HORN"]
TONES = MARKS[:5]

# VIQR (RFC 1456) mnemonic characters.
VIQR_TONE = {"`": 0x0300, "'": 0x0301, "~": 0x0303, "?": 0x0309, ".": 0x0323}
VIQR_MOD = {"^": 0x0302, "(": 0x0306, "+": 0x031B}
VIQR_TONE_CHAR = {v: k for k, v in VIQR_TONE.items()}
VIQR_MOD_CHAR = {v: k for k, v in VIQR_MOD.items()}

UNMAPPED = 0xFFFF


def fail(msg):
    sys.exit("gen-legacy-tables: " + msg)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def viqr_to_char(m):
    """'a^\\'' -> U+1EA5 and so on; 'dd'/'DD' -> d with stroke."""
    if m == "dd":
        return "\u0111"
    if m == "DD":
        return "\u0110"
    s = m[0]
    for c in m[1:]:
        if c in VIQR_MOD:
            s += chr(VIQR_MOD[c])
        elif c in VIQR_TONE:
            s += chr(VIQR_TONE[c])
        else:
            fail("bad mnemonic %r" % m)
    r = nfc(s)
    if len(r) != 1:
        fail("mnemonic %r is not one precomposed letter" % m)
    return r


def vietnamese_letters():
    """The 134 letters: 67 lowercase and their capitals, NFC."""
    lower = ["\u0103", "\u00e2", "\u0111", "\u00ea", "\u00f4", "\u01a1",
             "\u01b0"]
    for v in ["a", "\u0103", "\u00e2", "e", "\u00ea", "i", "o", "\u00f4",
              "\u01a1", "u", "\u01b0", "y"]:
        for t in TONES:
            lower.append(nfc(v + chr(t)))
    assert len(lower) == 67 and len(set(lower)) == 67
    return lower + [c.upper() for c in lower]


LETTERS = vietnamese_letters()
LETTER_SET = set(LETTERS)


def has_tone(ch):
    return any(ord(c) in TONES for c in unicodedata.normalize("NFD", ch))


# ---------------------------------------------------------------- sources

def read_charmap(name):
    """bytes -> code point for the single-byte entries of a glibc charmap;
    also returns the two-byte (base byte, combining byte) entries."""
    path = os.path.join(CHARMAP_DIR, name + ".gz")
    if not os.path.exists(path):
        fail("%s not found (Debian package `locales`)" % path)
    single = {}
    pairs = {}
    with gzip.open(path, "rt", encoding="ascii") as f:
        inmap = False
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("CHARMAP"):
                inmap = True
                continue
            if line.startswith("END CHARMAP"):
                break
            if not inmap or not line.startswith("<U"):
                continue
            fields = line.split()
            ucs, code = fields[0], fields[1]
            if ucs.count("<U") != 1 or ".." in ucs:
                fail("%s: unexpected entry %r" % (name, line))
            cp = int(ucs[2:-1], 16)
            bs = [int(x, 16) for x in code.split("/x")[1:]]
            if len(bs) == 1:
                if bs[0] in single:
                    fail("%s: byte %02X mapped twice" % (name, bs[0]))
                single[bs[0]] = cp
            elif len(bs) == 2:
                pairs[(bs[0], bs[1])] = cp
            else:
                fail("%s: unexpected entry %r" % (name, line))
    return single, pairs


def cp1252_sloppy():
    t = {}
    for b in range(256):
        try:
            t[b] = ord(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            t[b] = b            # WHATWG: 0x81 0x8D 0x8F 0x90 0x9D -> C1
    if sorted(b for b in t if t[b] == b and 0x80 <= b < 0xA0) != \
            [0x81, 0x8D, 0x8F, 0x90, 0x9D]:
        fail("unexpected cp1252 codec")
    return t


# VNI-Windows, from VIETNAMESE.md 2.2 [verified there against the vectors].
# Mark bytes that follow an ASCII base letter (lowercase; the uppercase
# mark is the same byte minus 0x20): (modifier, tone) -> byte.
VNI_MARK_LOWER = {
    (None, 0x0301): 0xF9, (None, 0x0300): 0xF8, (None, 0x0309): 0xFB,
    (None, 0x0303): 0xF5, (None, 0x0323): 0xEF,
    (0x0302, None): 0xE2, (0x0302, 0x0301): 0xE1, (0x0302, 0x0300): 0xE0,
    (0x0302, 0x0309): 0xE5, (0x0302, 0x0303): 0xE3, (0x0302, 0x0323): 0xE4,
    (0x0306, None): 0xEA, (0x0306, 0x0301): 0xE9, (0x0306, 0x0300): 0xE8,
    (0x0306, 0x0309): 0xFA, (0x0306, 0x0303): 0xFC, (0x0306, 0x0323): 0xEB,
}
# Letters that VNI writes as one byte (lowercase; uppercase = byte - 0x20):
# d with stroke, u horn, o horn, and the i forms (i takes no mark byte),
# y with dot below.
VNI_SINGLE_LOWER = {
    0xF1: "dd", 0xF6: "u+", 0xF4: "o+", 0xED: "i'", 0xEC: "i`",
    0xE6: "i?", 0xF3: "i~", 0xF2: "i.", 0xEE: "y.",
}

# VPS, byte -> VIQR mnemonic (or a literal character for non-letters).
# Hand-written from published facts, cross-checked three ways: the VPS rows
# of shared/reference/ref_mojibake_vectors.tsv (17 distinct letters), a
# public comparison chart of Vietnamese encodings ("Bang doi chieu encoding
# cac bo chu hien hanh voi Unicode", lowercase a/e/i rows, about 35
# letters), and the byte/code point facts of Mozilla's former x-viet-vps
# converter. All three agree wherever they overlap. The uppercase letters
# in C0 and 0x80-0xBF rest on the Mozilla facts alone (no second source
# seen); VPS had vendor variants, so those are the least certain entries.
# Every byte not listed decodes as itself (ASCII, C0, Latin-1).
VPS_TABLE = {
    0x02: "A.", 0x03: "A^.", 0x04: "A(.", 0x05: "E.", 0x06: "E^.",
    0x10: "I.", 0x11: "O.", 0x12: "O^.", 0x13: "O+.", 0x14: "U.",
    0x15: "U+.", 0x19: "Y.", 0x1C: "A^~", 0x1D: "U+~",
    0x80: "A`", 0x81: "A?", 0x82: "A~", 0x83: "A^'", 0x84: "A^`",
    0x85: "A^?", 0x86: "o.", 0x87: "o^~", 0x88: "A(", 0x89: "e^'",
    0x8A: "e^`", 0x8B: "e^?", 0x8C: "e^.", 0x8D: "A('", 0x8E: "A(`",
    0x8F: "A(?", 0x90: "E^'", 0x91: "\u2018", 0x92: "\u2019", 0x93: "E^`",
    0x94: "E^?", 0x95: "E^~", 0x96: "O^'", 0x97: "O^`", 0x98: "O^?",
    0x99: "O^~", 0x9A: "y'", 0x9B: "y?", 0x9C: "y.", 0x9D: "O+'",
    0x9E: "O+`", 0x9F: "O+?",
    0xA1: "a('", 0xA2: "a(`", 0xA3: "a(?", 0xA4: "a(~", 0xA5: "a(.",
    0xA6: "O+~", 0xA7: "o+'", 0xA8: "U`", 0xA9: "o+`", 0xAA: "o+?",
    0xAB: "o+~", 0xAC: "U~", 0xAD: "U+'", 0xAE: "o+.", 0xAF: "U+`",
    0xB0: "o^?", 0xB1: "U+?", 0xB2: "Y`", 0xB3: "Y~", 0xB4: "I'",
    0xB5: "I`", 0xB6: "o^.", 0xB7: "I?", 0xB8: "I~", 0xB9: "O'",
    0xBA: "u+?", 0xBB: "u+~", 0xBC: "O`", 0xBD: "O?", 0xBE: "O~",
    0xBF: "u+.",
    0xC0: "a^`", 0xC1: "A'", 0xC2: "A^", 0xC3: "a^'", 0xC4: "a^?",
    0xC5: "a^~", 0xC6: "a^.", 0xC7: "dd", 0xC8: "e?", 0xC9: "E'",
    0xCA: "E^", 0xCB: "e.", 0xCC: "i?", 0xCD: "e^~", 0xCE: "i.",
    0xCF: "y~", 0xD0: "U+", 0xD1: "U?", 0xD2: "o^`", 0xD3: "o^'",
    0xD4: "O^", 0xD5: "o?", 0xD6: "o+", 0xD7: "E`", 0xD8: "u+`",
    0xD9: "u+'", 0xDA: "U'", 0xDB: "u~", 0xDC: "u+", 0xDD: "Y'",
    0xDE: "E?",
    0xE0: "a`", 0xE1: "a'", 0xE2: "a^", 0xE3: "a~", 0xE4: "a?",
    0xE5: "a.", 0xE6: "a(", 0xE8: "e`", 0xE9: "e'", 0xEA: "e^",
    0xEB: "e~", 0xEC: "i`", 0xED: "i'", 0xEF: "i~",
    0xF0: "A(~", 0xF1: "DD", 0xF2: "o`", 0xF3: "o'", 0xF4: "o^",
    0xF5: "o~", 0xF7: "O+", 0xF8: "u.", 0xF9: "u`", 0xFA: "u'",
    0xFB: "u?", 0xFD: "Y?", 0xFE: "E~", 0xFF: "y`",
}


# ------------------------------------------------------------ composition

def compose_table(seeds):
    """Closure over the code points the decoders can produce: every base in
    `seeds` (and every composite found) with every mark."""
    table = {}
    todo = sorted(set(seeds))
    seen = set(todo)
    while todo:
        nxt = []
        for b in todo:
            for mi, m in enumerate(MARKS):
                r = nfc(chr(b) + chr(m))
                if len(r) == 1 and r != chr(b):
                    if ord(r) > 0xFFFF:
                        fail("composite outside the BMP")
                    table[(b, mi)] = ord(r)
                    if ord(r) not in seen:
                        seen.add(ord(r))
                        nxt.append(ord(r))
        todo = sorted(nxt)
    return table


COMPOSE = {}


def decode_like_c(dec, data):
    """What lib/legacy.c produces for a single-byte encoding with combining
    tone bytes: each base code point absorbs the tone marks that follow it
    while the pair composes. Returns (text, unmapped)."""
    out = []
    unmapped = 0
    i = 0
    while i < len(data):
        cp = dec[data[i]]
        i += 1
        if cp == UNMAPPED:
            out.append("\ufffd")
            unmapped += 1
            continue
        while i < len(data) and dec[data[i]] in TONES:
            key = (cp, TONES.index(dec[data[i]]))
            if key not in COMPOSE:
                break
            cp = COMPOSE[key]
            i += 1
        out.append(chr(cp))
    return "".join(out), unmapped


# ----------------------------------------------------------------- tables

def full_decode(single):
    return [single.get(b, UNMAPPED) for b in range(256)]


def reverse(dec, skip=()):
    rev = {}
    for b in range(256):
        cp = dec[b]
        if cp == UNMAPPED or b in skip:
            continue
        rev.setdefault(cp, bytes([b]))
    return rev


def add_decomposed(rev):
    """Adds base + combining-tone sequences for composites whose base and
    tone both have a byte and that have no byte of their own."""
    for (base, mi), r in sorted(COMPOSE.items()):
        if mi >= 5 or r in rev:
            continue
        if base in rev and len(rev[base]) == 1 and MARKS[mi] in rev:
            rev[r] = rev[base] + rev[MARKS[mi]]


def build_tcvn3(single, pairs):
    dec = full_decode(single)
    for b in range(256):
        if dec[b] == UNMAPPED:
            fail("TCVN5712-1 byte %02X unmapped" % b)
    # Bytes that exist only in VN1: uppercase toned letters (C0, 0x80-0x9F
    # and some high bytes) and the combining tones 0xB0-0xB4.
    skip = set()
    for b in range(256):
        ch = chr(dec[b])
        if b != dec[b] and b < 0xA0:
            skip.add(b)
        elif ch.isupper() and has_tone(ch):
            skip.add(b)
        elif dec[b] in TONES:
            skip.add(b)
    rev = reverse(dec, skip)
    for ch in LETTERS:
        if ch.isupper() and has_tone(ch):
            rev[ord(ch)] = rev[ord(ch.lower())]
    # glibc's two-byte entries must be what our composition rule gives.
    for (b1, b2), cp in pairs.items():
        got, _ = decode_like_c(dec, bytes([b1, b2]))
        if got != chr(cp):
            fail("TCVN5712-1 pair %02X %02X: glibc U+%04X, ours %r"
                 % (b1, b2, cp, got))
    return dec, rev


def build_vni(cp1252):
    dec = list(cp1252)
    marks = [0] * 256
    used = set()
    for (mod, tone), b in VNI_MARK_LOWER.items():
        for bb in (b, b - 0x20):
            modi = {None: 0, 0x0302: 1, 0x0306: 2}[mod]
            tonei = 0 if tone is None else TONES.index(tone) + 1
            marks[bb] = 0x80 | (modi << 4) | tonei
            used.add(bb)
    single = {}
    for b, m in VNI_SINGLE_LOWER.items():
        lo = viqr_to_char(m)
        single[b] = lo
        single[b - 0x20] = lo.upper()
    for b, ch in single.items():
        dec[b] = ord(ch)
        used.add(b)
    rev = {}
    for b in range(256):
        if b not in used:
            rev.setdefault(dec[b], bytes([b]))
    single_rev = {ord(ch): bytes([b]) for b, ch in single.items()}
    mark_rev = {}
    for (mod, tone), b in VNI_MARK_LOWER.items():
        mark_rev[(mod, tone, False)] = b
        mark_rev[(mod, tone, True)] = b - 0x20
    for ch in LETTERS:
        if ord(ch) in single_rev:
            rev[ord(ch)] = single_rev[ord(ch)]
            continue
        d = unicodedata.normalize("NFD", ch)
        base = d[0]
        rest = [ord(c) for c in d[1:] if ord(c) not in TONES]
        tones = [ord(c) for c in d[1:] if ord(c) in TONES]
        if len(tones) > 1:
            fail("VNI: cannot write %r" % ch)
        tone = tones[0] if tones else None
        if rest == [0x031B]:
            pre = single_rev[ord(nfc(base + "\u031b"))]
            rev[ord(ch)] = pre + (bytes([mark_rev[(None, tone,
                                                   ch.isupper())]])
                                  if tone else b"")
            continue
        mod = rest[0] if rest else None
        if len(rest) > 1 or mod not in (None, 0x0302, 0x0306):
            fail("VNI: cannot write %r" % ch)
        if mod is None and tone is None:
            fail("VNI: plain letter %r in letter list" % ch)
        rev[ord(ch)] = base.encode("ascii") + bytes(
            [mark_rev[(mod, tone, ch.isupper())]])
    for ch in LETTERS:
        if ord(ch) not in rev:
            fail("VNI: %r missing" % ch)
    return dec, marks, rev


def build_vps():
    dec = list(range(256))
    for b, m in VPS_TABLE.items():
        ch = m if len(m) == 1 and ord(m) > 0x7F else viqr_to_char(m)
        dec[b] = ord(ch)
    rev = reverse(dec)
    if len(set(dec)) != 256:
        fail("VPS: a code point is mapped twice")
    return dec, rev


def build_viqr():
    rev = {}
    for cp in range(0x80):
        rev[cp] = bytes([cp])
    for ch in LETTERS:
        if ch == "\u0111":
            rev[ord(ch)] = b"dd"
            continue
        if ch == "\u0110":
            rev[ord(ch)] = b"DD"
            continue
        d = unicodedata.normalize("NFD", ch)
        s = d[0]
        mods = [ord(c) for c in d[1:] if ord(c) in VIQR_MOD_CHAR]
        tones = [ord(c) for c in d[1:] if ord(c) in VIQR_TONE_CHAR]
        if len(mods) + len(tones) != len(d) - 1 or len(mods) > 1 or \
                len(tones) > 1:
            fail("VIQR: cannot write %r" % ch)
        s += "".join(VIQR_MOD_CHAR[m] for m in mods)
        s += "".join(VIQR_TONE_CHAR[t] for t in tones)
        if viqr_to_char(s) != ch:
            fail("VIQR: %r does not round-trip" % ch)
        rev[ord(ch)] = s.encode("ascii")
    return rev


# ------------------------------------------------------------- iconv check

def iconv_decode(charset, data):
    r = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        return None
    return r.stdout.decode("utf-8")


def iconv_check(charset, dec):
    """Every byte alone, and every (byte, combining byte) pair."""
    tone_bytes = [b for b in range(256) if dec[b] in TONES]
    problems = []
    for b in range(256):
        want = iconv_decode(charset, bytes([b]))
        got, unm = decode_like_c(dec, bytes([b]))
        if (want is None) != (unm > 0) or (want is not None and want != got):
            problems.append("byte %02X: iconv %r, ours %r" % (b, want, got))
    # All pairs in one iconv run per tone byte: each pair on its own line.
    for t in tone_bytes:
        cands = [b for b in range(256)
                 if dec[b] != UNMAPPED and b not in (0x0A, 0x0D)]
        data = b"".join(bytes([b, t, 0x0A]) for b in cands)
        want = iconv_decode(charset, data)
        if want is None:
            problems.append("pairs with %02X: iconv failed" % t)
            continue
        lines = want.split("\n")[:-1]
        for b, w in zip(cands, lines):
            got, _ = decode_like_c(dec, bytes([b, t]))
            nfd = unicodedata.normalize("NFD", chr(dec[b]) + chr(dec[t]))
            if w != got and unicodedata.normalize("NFD", w) != nfd:
                # glibc composes a few toned letters with a second tone of
                # the same combining class (U+00DA + U+0303 -> U+1E78),
                # which is not canonically equivalent; ours is the NFC.
                continue
            if w != got:
                problems.append("pair %02X %02X: iconv %r, ours %r"
                                % (b, t, w, got))
    if problems:
        fail("%s disagrees with iconv:\n  %s" % (charset,
                                                 "\n  ".join(problems)))


# ------------------------------------------------------------------ output

def emit_enc(lines, name, rev):
    def entry(cp):
        bs = rev.get(cp)
        if bs is None:
            return "{0,{0,0,0}}"
        n = len(bs)
        p = list(bs) + [0] * (3 - n)
        return "{%d,{0x%02X,0x%02X,0x%02X}}" % (n, p[0], p[1], p[2])

    lines.append("static const struct sach__lg_enc sach__lg_enc_lo_%s[0x200] "
                 "= {" % name)
    for row in range(0, 0x200, 4):
        lines.append("\t" + ", ".join(entry(cp) for cp in range(row, row + 4))
                     + ",")
    lines.append("};")
    lines.append("static const struct sach__lg_enc sach__lg_enc_vi_%s[0x60] "
                 "= {" % name)
    for row in range(0x1EA0, 0x1F00, 4):
        lines.append("\t" + ", ".join(entry(cp) for cp in range(row, row + 4))
                     + ",")
    lines.append("};")
    extra = sorted(cp for cp in rev
                   if cp >= 0x200 and not 0x1EA0 <= cp < 0x1F00)
    lines.append("#define SACH__LG_EX_%s_COUNT %d" % (name.upper(), len(extra)))
    lines.append("static const struct sach__lg_enc_ex sach__lg_enc_ex_%s[%d] "
                 "= {" % (name, max(len(extra), 1)))
    for cp in extra:
        lines.append("\t{0x%04X, %s}," % (cp, entry(cp)))
    if not extra:
        lines.append("\t{0xFFFF, {0,{0,0,0}}},")
    lines.append("};")
    lines.append("")


def emit_dec(lines, name, dec):
    lines.append("static const uint16_t sach__lg_dec_%s[256] = {" % name)
    for row in range(0, 256, 8):
        lines.append("\t" + ", ".join("0x%04X" % dec[b]
                                      for b in range(row, row + 8)) + ",")
    lines.append("};")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "lib", "legacy_tables.h")

    tcvn_single, tcvn_pairs = read_charmap("TCVN5712-1")
    viscii_single, _ = read_charmap("VISCII")
    cp1258_single, _ = read_charmap("CP1258")

    seeds = set(range(256)) | set(tcvn_single.values())
    seeds |= set(viscii_single.values()) | set(cp1258_single.values())
    seeds |= set(cp1252_sloppy().values())
    seeds |= {ord(viqr_to_char(m)) for m in VPS_TABLE.values() if len(m) > 1}
    seeds |= {ord(viqr_to_char(m)) for m in VNI_SINGLE_LOWER.values()}
    seeds -= set(MARKS)
    COMPOSE.update(compose_table(seeds))

    tcvn_dec, tcvn_rev = build_tcvn3(tcvn_single, tcvn_pairs)
    viscii_dec = full_decode(viscii_single)
    viscii_rev = reverse(viscii_dec)
    cp1258_dec = full_decode(cp1258_single)
    cp1258_rev = reverse(cp1258_dec)
    add_decomposed(cp1258_rev)
    cp1252_dec = [cp1252_sloppy()[b] for b in range(256)]
    cp1252_rev = reverse(cp1252_dec)
    latin1_dec = list(range(256))
    latin1_rev = reverse(latin1_dec)
    vni_dec, vni_marks, vni_rev = build_vni(cp1252_dec)
    vps_dec, vps_rev = build_vps()
    viqr_rev = build_viqr()

    # Every encoder must write all 134 letters.
    for name, rev in [("TCVN3", tcvn_rev), ("VISCII", viscii_rev),
                      ("CP1258", cp1258_rev), ("VNI", vni_rev),
                      ("VPS", vps_rev), ("VIQR", viqr_rev)]:
        missing = [c for c in LETTERS if ord(c) not in rev]
        if missing:
            fail("%s cannot write %r" % (name, missing))
    # Cross-check against glibc's CP1252 charmap when present (it leaves the
    # five WHATWG bytes undefined).
    if os.path.exists(os.path.join(CHARMAP_DIR, "CP1252.gz")):
        g, _ = read_charmap("CP1252")
        for b, cp in g.items():
            if cp1252_dec[b] != cp:
                fail("cp1252 codec and glibc disagree at %02X" % b)
    if shutil.which("iconv"):
        iconv_check("TCVN5712-1", tcvn_dec)
        iconv_check("VISCII", viscii_dec)
        iconv_check("CP1258", cp1258_dec)

    lines = [
        "/* generated by scripts/gen-legacy-tables.py, do not edit */",
        "/*",
        " * Byte tables of the legacy module (lib/legacy.c). TCVN3 (as the",
        " * TCVN5712-1 superset), VISCII and CP1258 come from the glibc",
        " * charmaps; CP1252 is Python's cp1252 plus the WHATWG C1 bytes;",
        " * VNI, VPS and VIQR are written in the generator from mark-byte facts.",
        " *",
        " * sach__lg_dec_X[byte]  code point, 0xFFFF when the byte is unmapped.",
        " * sach__lg_enc_lo_X     U+0000..U+01FF -> bytes (n == 0: no mapping).",
        " * sach__lg_enc_vi_X     U+1EA0..U+1EFF -> bytes.",
        " * sach__lg_enc_ex_X     other code points, sorted, binary-searched.",
        " * sach__lg_compose      (base << 3 | mark) -> NFC composite, sorted.",
        " */",
        "#ifndef SACH_LEGACY_TABLES_H",
        "#define SACH_LEGACY_TABLES_H",
        "",
        "#include <stdint.h>",
        "",
    ]
    for i, n in enumerate(MARK_NAMES):
        lines.append("#define SACH__LG_%s %d /* U+%04X */" % (n, i, MARKS[i]))
    lines.append("#define SACH__LG_UNMAPPED 0x%04X" % UNMAPPED)
    lines.append("")
    lines.append("struct sach__lg_enc {")
    lines.append("\tunsigned char n;       /* byte count, 0 = unmapped */")
    lines.append("\tunsigned char b[3];")
    lines.append("};")
    lines.append("")
    lines.append("struct sach__lg_enc_ex {")
    lines.append("\tuint16_t cp;")
    lines.append("\tstruct sach__lg_enc e;")
    lines.append("};")
    lines.append("")

    comp = sorted(((b << 3) | mi, r) for (b, mi), r in COMPOSE.items())
    lines.append("#define SACH__LG_COMPOSE_COUNT %d" % len(comp))
    lines.append("static const uint32_t sach__lg_compose_key[%d] = {"
                 % len(comp))
    for i in range(0, len(comp), 8):
        lines.append("\t" + ", ".join("0x%05X" % k for k, _ in comp[i:i + 8])
                     + ",")
    lines.append("};")
    lines.append("static const uint16_t sach__lg_compose_val[%d] = {"
                 % len(comp))
    for i in range(0, len(comp), 8):
        lines.append("\t" + ", ".join("0x%04X" % v for _, v in comp[i:i + 8])
                     + ",")
    lines.append("};")
    lines.append("")

    lines.append("/*")
    lines.append(" * VNI mark bytes: 0 = not a mark, else 0x80 | modifier << 4"
                 " | tone,")
    lines.append(" * modifier 0 none, 1 circumflex, 2 breve; tone 0 none, 1-5 ="
                 " mark index + 1.")
    lines.append(" */")
    lines.append("static const unsigned char sach__lg_vni_mark[256] = {")
    for row in range(0, 256, 16):
        lines.append("\t" + ", ".join("0x%02X" % vni_marks[b]
                                      for b in range(row, row + 16)) + ",")
    lines.append("};")
    lines.append("")

    for name, dec in [("tcvn3", tcvn_dec), ("vni", vni_dec),
                      ("viscii", viscii_dec), ("vps", vps_dec),
                      ("cp1258", cp1258_dec), ("cp1252", cp1252_dec),
                      ("latin1", latin1_dec)]:
        emit_dec(lines, name, dec)
    lines.append("")
    for name, rev in [("tcvn3", tcvn_rev), ("vni", vni_rev),
                      ("viscii", viscii_rev), ("vps", vps_rev),
                      ("viqr", viqr_rev), ("cp1258", cp1258_rev),
                      ("cp1252", cp1252_rev), ("latin1", latin1_rev)]:
        emit_enc(lines, name, rev)
    lines.append("#endif /* SACH_LEGACY_TABLES_H */")

    text = "\n".join(lines) + "\n"
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
