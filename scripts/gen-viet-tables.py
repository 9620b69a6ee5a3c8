#!/usr/bin/env python3
"""Generate lib/viet_tables.h: the Vietnamese letter tables and the syllable
whitelist used by lib/viet.c.

Letter tables: every Vietnamese letter outside ASCII (the 134 precomposed
letters of U+00C0-U+01B0 and U+1EA0-U+1EF9) is described by one byte:
bits 0-3 the letter id (1 a, 2 a-breve, 3 a-circumflex, 4 e, 5 e-circumflex,
6 i, 7 o, 8 o-circumflex, 9 o-horn, 10 u, 11 u-horn, 12 y, 13 d-stroke),
bits 4-6 the tone (0 level, 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot below),
bit 7 set for a capital. The compose table maps (id, tone, capital) back to
the code point. Built with Python's unicodedata (NFC), not copied from
anywhere.

Class table: one 32-bit class per code point below U+0800 (index = code
point) and per code point of U+1E00-U+1EFF (index 0x800 + cp - 0x1E00),
used by lib/viet.c to scan text with one lookup per character:
  bits 0-7    the letter info byte above for Vietnamese letters (ASCII
              vowels included); bit 7 alone for an ASCII capital consonant;
  bits 8-15   the letter's byte in lib/viet.c's base strings: the lowercase
              ASCII letter (also for a, e, i, o, u, y with a tone mark),
              0x80 | id for the other Vietnamese letters, '?' for foreign
              letters, an apostrophe for U+0027;
  CLS_LETTER  a letter as lib/viet.c's is_letter() defines it (Latin with
              IPA, combining marks, Greek, Cyrillic);
  CLS_FOREIGN a letter that is neither ASCII nor Vietnamese;
  CLS_APOS    the ASCII apostrophe;
  CLS_DIACRITIC a Vietnamese letter outside ASCII;
  CLS_MARK    a letter with a tone mark;
  CLS_Y       y or Y with any tone;
  CLS_VOWEL   the vowels (ids 1-12);
  CLS_SPACE   the spaces of lib/viet.c's is_space() in the table's range
              (ASCII, U+0085, U+00A0);
  bits 24-31  the distance from the character to its lowercase as
              lib/viet.c lowercases (Vietnamese letters by the compose
              table, others by simple_lower(): ASCII, Latin-1, basic Greek
              and Cyrillic capitals), always of the same UTF-8 length.
sach__viet_check_tables() checks the table against the C functions.

Whitelist: lib/data/viet-whitelist.txt, one lowercase syllable per line, '#'
comments; sorted by UTF-8 bytes (strcmp order) for binary search.

Usage: scripts/gen-viet-tables.py [OUTPUT]  (default lib/viet_tables.h)
"""

import os
import sys
import unicodedata

LETTERS = ["a", "\u0103", "\u00e2", "e", "\u00ea", "i", "o", "\u00f4",
           "\u01a1", "u", "\u01b0", "y", "\u0111"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LO_FIRST, LO_LAST = 0xC0, 0x1B0
HI_FIRST, HI_LAST = 0x1EA0, 0x1EF9
MAX_LETTERS = 12


def letter_table():
    info = {}
    compose = {}
    for lid, base in enumerate(LETTERS, 1):
        for tone, mark in enumerate(TONES):
            if base == "\u0111" and tone:
                continue
            low = unicodedata.normalize("NFC", base + mark)
            up = low.upper()
            assert len(low) == 1 and len(up) == 1, (base, tone)
            for cap, ch in ((0, low), (1, up)):
                compose[(lid, tone, cap)] = ord(ch)
                cp = ord(ch)
                if cp >= 0x80:
                    info[cp] = lid | (tone << 4) | (cap << 7)
    nonascii = [cp for cp in info]
    assert len(nonascii) == 134, len(nonascii)
    for cp in nonascii:
        assert LO_FIRST <= cp <= LO_LAST or HI_FIRST <= cp <= HI_LAST, hex(cp)
    return info, compose


CLS_LETTER, CLS_FOREIGN, CLS_APOS = 0x10000, 0x20000, 0x40000
CLS_DIACRITIC, CLS_MARK, CLS_Y, CLS_VOWEL = 0x80000, 0x100000, 0x200000, 0x400000
CLS_SPACE = 0x800000
CLS_LOWER_SHIFT = 24
CLS_1E_FIRST = 0x1E00
CLS_SIZE = 0x900


def is_letter(cp):
    """Mirror of is_letter() in lib/viet.c."""
    if cp < 0x80:
        return chr(cp).isascii() and chr(cp).isalpha()
    if cp < 0xC0:
        return cp in (0xAA, 0xB5, 0xBA)
    if cp <= 0x2AF:
        return cp not in (0xD7, 0xF7)
    if cp <= 0x36F:
        return cp >= 0x300
    if cp <= 0x3FF:
        return cp >= 0x370 and cp not in (0x375, 0x37E, 0x384, 0x385, 0x387)
    if cp <= 0x52F:
        return cp < 0x482 or cp > 0x489
    return 0x1E00 <= cp <= 0x1EFF


def simple_lower(cp):
    """Mirror of simple_lower() in lib/viet.c."""
    if cp < 0x80:
        return cp + 0x20 if 0x41 <= cp <= 0x5A else cp
    if 0xC0 <= cp <= 0xDE and cp != 0xD7:
        return cp + 0x20
    if 0x391 <= cp <= 0x3AB and cp != 0x3A2:
        return cp + 0x20
    if 0x410 <= cp <= 0x42F:
        return cp + 0x20
    if 0x400 <= cp <= 0x40F:
        return cp + 0x50
    return cp


def is_space(cp):
    """Mirror of is_space() in lib/viet.c (the part below U+0800)."""
    return cp == 0x20 or 0x09 <= cp <= 0x0D or cp in (0x85, 0xA0)


def char_class(cp, info, compose):
    c = 0
    if cp < 0x80 and chr(cp) in "aeiouyAEIOUY":
        lid = LETTERS.index(chr(cp).lower()) + 1
        c = lid | (0x80 if chr(cp).isupper() else 0)
        c |= ord(chr(cp).lower()) << 8
    elif cp in info:
        c = info[cp]
        base = LETTERS[(c & 0x0F) - 1]
        c |= (ord(base) if base.isascii() else 0x80 | (c & 0x0F)) << 8
        c |= CLS_DIACRITIC
    elif cp < 0x80 and chr(cp).isalpha():
        c = 0x80 if chr(cp).isupper() else 0
        c |= ord(chr(cp).lower()) << 8
    if is_letter(cp):
        c |= CLS_LETTER
        if cp >= 0x80 and cp not in info:
            c |= CLS_FOREIGN | (ord("?") << 8)
    if cp == 0x27:
        c |= CLS_APOS | (0x27 << 8)
    lid = c & 0x0F
    if (c >> 4) & 7:
        c |= CLS_MARK
    if lid == 12:
        c |= CLS_Y
    if 1 <= lid <= 12:
        c |= CLS_VOWEL
    if is_space(cp):
        c |= CLS_SPACE
    if cp in info:
        low = compose[(info[cp] & 0x0F, (info[cp] >> 4) & 7, 0)]
    else:
        low = simple_lower(cp)
    assert 0 <= low - cp < 256 and len(chr(low).encode()) == len(chr(cp).encode()), hex(cp)
    c |= (low - cp) << CLS_LOWER_SHIFT
    return c


def c_string(s):
    out = []
    for b in s.encode("utf-8"):
        if 0x20 <= b < 0x7F and chr(b) not in '"\\?':
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    # keep hex escapes from swallowing following hex digits
    res = ""
    prev_hex = False
    for piece in out:
        if prev_hex and piece[0] in "0123456789abcdefABCDEF" and len(piece) == 1:
            res += '" "'
        res += piece
        prev_hex = piece.startswith("\\x")
    return '"' + res + '"'


def read_whitelist(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = line.split("#", 1)[0].strip()
            if not w:
                continue
            w = unicodedata.normalize("NFC", w).replace("\u2019", "'")
            if w != w.lower() or " " in w:
                sys.exit("%s:%d: entry must be one lowercase syllable: %r"
                         % (path, n, w))
            if sum(1 for c in w if c != "'") > MAX_LETTERS:
                sys.exit("%s:%d: entry longer than %d letters" % (path, n, MAX_LETTERS))
            words.add(w)
    return sorted(words, key=lambda w: w.encode("utf-8"))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "lib", "viet_tables.h")
    info, compose = letter_table()
    words = read_whitelist(os.path.join(root, "lib", "data", "viet-whitelist.txt"))

    L = []
    L.append("/* generated by scripts/gen-viet-tables.py, do not edit */")
    L.append("/*")
    L.append(" * Vietnamese letter tables and the syllable whitelist (from")
    L.append(" * lib/data/viet-whitelist.txt). Letter info byte: bits 0-3 letter id")
    L.append(" * (1 a, 2 a-breve, 3 a-circumflex, 4 e, 5 e-circumflex, 6 i, 7 o,")
    L.append(" * 8 o-circumflex, 9 o-horn, 10 u, 11 u-horn, 12 y, 13 d-stroke), bits 4-6")
    L.append(" * tone (0 level, 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot), bit 7 capital;")
    L.append(" * 0 = not a Vietnamese letter.")
    L.append(" */")
    L.append("#ifndef SACH_VIET_TABLES_H")
    L.append("#define SACH_VIET_TABLES_H")
    L.append("")
    L.append("#include <stdint.h>")
    L.append("")
    L.append("#define SACH__VIET_LO_FIRST 0x%X" % LO_FIRST)
    L.append("#define SACH__VIET_LO_LAST 0x%X" % LO_LAST)
    L.append("#define SACH__VIET_HI_FIRST 0x%X" % HI_FIRST)
    L.append("#define SACH__VIET_HI_LAST 0x%X" % HI_LAST)
    L.append("")
    for name, first, last in (("lo", LO_FIRST, LO_LAST), ("hi", HI_FIRST, HI_LAST)):
        L.append("static const uint8_t sach__viet_info_%s[%d] = {" % (name, last - first + 1))
        row = []
        for cp in range(first, last + 1):
            row.append("0x%02X" % info.get(cp, 0))
            if len(row) == 12:
                L.append("\t" + ", ".join(row) + ",")
                row = []
        if row:
            L.append("\t" + ", ".join(row) + ",")
        L.append("};")
        L.append("")
    L.append("/* Character classes (see scripts/gen-viet-tables.py): info byte, base")
    L.append(" * byte, flags, lowercase distance. Index: the code point below U+0800,")
    L.append(" * 0x800 + cp - U+1E00 for U+1E00-U+1EFF. */")
    for name, val in (("LETTER", CLS_LETTER), ("FOREIGN", CLS_FOREIGN), ("APOS", CLS_APOS),
                      ("DIACRITIC", CLS_DIACRITIC), ("MARK", CLS_MARK), ("Y", CLS_Y),
                      ("VOWEL", CLS_VOWEL), ("SPACE", CLS_SPACE)):
        L.append("#define SACH__VIET_CLS_%s 0x%Xu" % (name, val))
    L.append("#define SACH__VIET_CLS_LOWER_SHIFT %d" % CLS_LOWER_SHIFT)
    L.append("#define SACH__VIET_CLS_1E_FIRST 0x%X" % CLS_1E_FIRST)
    L.append("#define SACH__VIET_CLS_SIZE 0x%X" % CLS_SIZE)
    L.append("")
    L.append("static const uint32_t sach__viet_cls[SACH__VIET_CLS_SIZE] = {")
    row = []
    cps = list(range(0, 0x800)) + list(range(CLS_1E_FIRST, CLS_1E_FIRST + 0x100))
    assert len(cps) == CLS_SIZE
    for cp in cps:
        row.append("0x%08X" % char_class(cp, info, compose))
        if len(row) == 8:
            L.append("\t" + ", ".join(row) + ",")
            row = []
    if row:
        L.append("\t" + ", ".join(row) + ",")
    L.append("};")
    L.append("")
    L.append("/* [letter id][tone][capital] -> code point; id 0 and toned d-stroke unused. */")
    L.append("static const uint16_t sach__viet_compose[14][6][2] = {")
    L.append("\t{ { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 } },")
    for lid in range(1, 14):
        cells = []
        for tone in range(6):
            lo = compose.get((lid, tone, 0), 0)
            up = compose.get((lid, tone, 1), 0)
            cells.append("{ 0x%04X, 0x%04X }" % (lo, up))
        L.append("\t{ " + ", ".join(cells) + " },")
    L.append("};")
    L.append("")
    L.append("#define SACH__VIET_WHITELIST_COUNT %d" % len(words))
    L.append("")
    L.append("/* Whitelisted syllables, lowercase NFC UTF-8, strcmp order. */")
    L.append("static const char *const sach__viet_whitelist[] = {")
    for w in words:
        L.append("\t%s," % c_string(w))
    L.append("};")
    L.append("")
    L.append("#endif /* SACH_VIET_TABLES_H */")
    with open(out, "w", encoding="ascii") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
