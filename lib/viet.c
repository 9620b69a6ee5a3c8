/*
 * viet.c - Vietnamese syllables: parsing, validity, tone placement, fold
 * keys, skeletons and the pre-NFC mark repairs.
 *
 * Everything works on code points decoded here from UTF-8; no ICU. A token
 * is decoded once into small fixed arrays (at most SACH_VIET_MAX_LETTERS
 * characters), so the text functions allocate nothing per token: they only
 * grow the caller's output buffer.
 *
 * The text functions avoid that full decoding where they can, with the
 * same results (tests/unit/check_viet.c checks the text walks against the
 * token functions):
 *  - retone_text without counts looks only at letters with a tone mark (a
 *    token without one never changes), found 64 bytes at a time with SSE2;
 *    a mark with no vowel next to it cannot move, and for the others the
 *    vowel run around the mark decides (mark_unchanged()); only tokens that
 *    may change are analysed, and the output is written from the first
 *    change on (sach__viet_retone_text_lazy() skips even the copy);
 *  - retone_text with counts parses each token in one pass (count_fast())
 *    and keeps a memo of repeated tokens;
 *  - fold_key lowercases 16 bytes at a time where nothing else happens;
 *  - skeleton lowercases runs of ASCII 16 bytes at a time, and
 *    repair_marks skips, 16 bytes at a time, everything but the few lead
 *    bytes it may repair.
 * The class table of viet_tables.h (sach__viet_cls) gives each character's
 * letter id, tone, case, base byte, lowercase and flags in one lookup.
 *
 * Letter ids (see viet_tables.h): 1 a, 2 a-breve, 3 a-circumflex, 4 e,
 * 5 e-circumflex, 6 i, 7 o, 8 o-circumflex, 9 o-horn, 10 u, 11 u-horn, 12 y,
 * 13 d-stroke. In the "base" string of a token ASCII letters stand for
 * themselves (lowercased) and the other ids are written as the byte
 * 0x80 | id, so onsets and codas compare as plain C strings.
 */
#include "sach/viet.h"
#include "sach/error.h"
#include "error_internal.h"
#include "viet_internal.h"
#include "viet_tables.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#define MAXC SACH_VIET_MAX_LETTERS
#define BAD_CP 0xFFFFFFFFu

enum { ID_A = 1, ID_AW, ID_AA, ID_E, ID_EE, ID_I, ID_O, ID_OO, ID_OW, ID_U,
       ID_UW, ID_Y, ID_DD };

#define B_AW 0x82 /* a-breve in a base string */
#define B_AA 0x83
#define B_EE 0x85
#define B_OO 0x88
#define B_OW 0x89
#define B_UW 0x8B
#define B_DD 0x8D /* d-stroke */

/* Lowercase base byte of each letter id. */
static const unsigned char id_base[14] = {
	0, 'a', B_AW, B_AA, 'e', B_EE, 'i', 'o', B_OO, B_OW, 'u', B_UW, 'y', B_DD
};

/* ASCII letter of each id with its marks removed (for skeletons). */
static const char id_plain[14] = {
	0, 'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y', 'd'
};

/* Lowercase UTF-8 of each base byte that is not ASCII (index: byte & 0x7F). */
static const char *const base_utf8[14] = {
	"", "", "\xc4\x83" /* a-breve */, "\xc3\xa2" /* a-circumflex */, "",
	"\xc3\xaa" /* e-circumflex */, "", "", "\xc3\xb4" /* o-circumflex */,
	"\xc6\xa1" /* o-horn */, "", "\xc6\xb0" /* u-horn */, "",
	"\xc4\x91" /* d-stroke */
};

/* Combining tone marks by tone. */
static const uint16_t tone_mark[6] = { 0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323 };

/* ------------------------------------------------------------------ */
/* UTF-8 and character classes                                         */

/* Decodes one code point at s (n > 0 bytes left); *used gets its length.
 * Returns BAD_CP (with *used = 1) for an invalid or truncated sequence. */
static uint32_t u8_decode(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t c = s[0];

	*used = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		if (n < 2 || (s[1] & 0xC0) != 0x80)
			return BAD_CP;
		*used = 2;
		return ((c & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (c >= 0xE0 && c <= 0xEF) {
		uint32_t cp;

		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return BAD_CP;
		cp = ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		     (s[2] & 0x3F);
		if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
			return BAD_CP;
		*used = 3;
		return cp;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		uint32_t cp;

		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return BAD_CP;
		cp = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (cp < 0x10000 || cp > 0x10FFFF)
			return BAD_CP;
		*used = 4;
		return cp;
	}
	return BAD_CP;
}

/* Writes cp as UTF-8 to d (room for 4); returns the length. */
static size_t u8_encode(uint32_t cp, char *d)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int is_ascii_alpha(uint32_t c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Info byte of a Vietnamese letter (id | tone << 4 | capital << 7), or 0.
 * ASCII letters other than the vowels give 0 too. */
static unsigned viet_info(uint32_t cp)
{
	/* ASCII vowels by (letter & 31): a 1, e 5, i 9, o 15, u 21, y 25 */
	static const unsigned char ascii_vowel[32] = {
		0, ID_A, 0, 0, 0, ID_E, 0, 0, 0, ID_I, 0, 0, 0, 0, 0, ID_O,
		0, 0, 0, 0, 0, ID_U, 0, 0, 0, ID_Y, 0, 0, 0, 0, 0, 0
	};

	if (cp < 0x80) {
		unsigned id;

		if (!is_ascii_alpha(cp))
			return 0;
		id = ascii_vowel[cp & 31];
		return id ? id | (cp < 'a' ? 0x80u : 0) : 0;
	}
	if (cp >= SACH__VIET_LO_FIRST && cp <= SACH__VIET_LO_LAST)
		return sach__viet_info_lo[cp - SACH__VIET_LO_FIRST];
	if (cp >= SACH__VIET_HI_FIRST && cp <= SACH__VIET_HI_LAST)
		return sach__viet_info_hi[cp - SACH__VIET_HI_FIRST];
	return 0;
}

static int is_combining(uint32_t cp)
{
	return cp >= 0x0300 && cp <= 0x036F;
}

/* Letters as far as token splitting is concerned: Latin (with IPA),
 * combining marks, Greek and Cyrillic letters. */
static int is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return is_ascii_alpha(cp);
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp <= 0x2AF)
		return cp != 0xD7 && cp != 0xF7;
	if (cp <= 0x36F)
		return cp >= 0x300;
	if (cp <= 0x3FF)
		return cp >= 0x370 && cp != 0x375 && cp != 0x37E &&
		       cp != 0x384 && cp != 0x385 && cp != 0x387;
	if (cp <= 0x52F)
		return cp < 0x482 || cp > 0x489;
	return cp >= 0x1E00 && cp <= 0x1EFF;
}

static int is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019;
}

static int is_space(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Simple lowercase mapping for letters outside the Vietnamese set. */
static uint32_t simple_lower(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 0x20;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	return cp;
}

/* ------------------------------------------------------------------ */
/* Token decoding                                                      */

typedef struct tok {
	int n;                       /* characters stored (<= MAXC) */
	int too_long;                /* more than MAXC characters */
	int foreign;                 /* a letter outside the Vietnamese set */
	int diacritic;               /* a non-ASCII Vietnamese letter */
	int nmarks;                  /* letters with a tone mark */
	int has_y;                   /* a y or Y */
	unsigned char id[MAXC];      /* letter id 1..13, 0 for others */
	unsigned char base[MAXC + 1];/* lowercase base string, NUL-terminated */
	unsigned char tone[MAXC];
	unsigned char upper[MAXC];
	unsigned char apos[MAXC];    /* 1 for an apostrophe */
	uint32_t off[MAXC + 1];      /* byte offset of each character */
} tok;

static int is_vowel_id(unsigned id)
{
	return id >= ID_A && id <= ID_Y;
}

#define CLS_LETTER SACH__VIET_CLS_LETTER
#define CLS_FOREIGN SACH__VIET_CLS_FOREIGN
#define CLS_APOS SACH__VIET_CLS_APOS
#define CLS_DIACRITIC SACH__VIET_CLS_DIACRITIC
#define CLS_MARK SACH__VIET_CLS_MARK
#define CLS_Y SACH__VIET_CLS_Y
#define CLS_VOWEL SACH__VIET_CLS_VOWEL
#define CLS_SPACE SACH__VIET_CLS_SPACE
#define CLS_LOWER(cls) ((cls) >> SACH__VIET_CLS_LOWER_SHIFT)
#define CLS_1E 0x800 /* index of U+1E00 in sach__viet_cls */

/* Class of code point cp (BAD_CP allowed) for token scanning. */
static unsigned cp_cls(uint32_t cp)
{
	if (cp < CLS_1E)
		return sach__viet_cls[cp];
	if (cp >= SACH__VIET_CLS_1E_FIRST && cp <= SACH__VIET_CLS_1E_FIRST + 0xFF)
		return sach__viet_cls[CLS_1E + cp - SACH__VIET_CLS_1E_FIRST];
	return cp == 0x2019 ? CLS_APOS : 0;
}

/*
 * Class of the character at s (n > 0 bytes left) for token scanning (see
 * viet_tables.h): info byte, base byte, CLS_* flags; CLS_APOS also for
 * U+2019. *used gets the character's length (1 for an invalid byte, whose
 * class is 0).
 */
static inline unsigned char_cls(const unsigned char *s, size_t n, size_t *used)
{
	unsigned c = s[0];

	if (c < 0x80) {
		*used = 1;
		return sach__viet_cls[c];
	}
	if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*used = 2;
		return sach__viet_cls[((c & 0x1F) << 6) | (s[1] & 0x3F)];
	}
	if (c == 0xE1 && n >= 3 && (s[1] & 0xFC) == 0xB8 && (s[2] & 0xC0) == 0x80) {
		*used = 3;
		return sach__viet_cls[CLS_1E | ((s[1] & 0x03) << 6) | (s[2] & 0x3F)];
	}
	return cp_cls(u8_decode(s, n, used));
}

/*
 * Class of the character at s when at least 3 bytes are left: one table
 * lookup for ASCII, two-byte characters and U+1E00-U+1EFF; the length is
 * then char_len4(s[0]). Returns 0 for anything else (an invalid sequence,
 * another character), which the caller decodes with char_cls(); also for
 * ASCII characters of class 0. The length is computed from the lead byte,
 * not looked up: scanning loops carry it from one character to the next.
 * (A branch-free form of this ran slower on Vietnamese text.)
 */
static inline unsigned char_cls4(const unsigned char *s)
{
	uint32_t c = s[0], d, e;

	if (c < 0x80)
		return sach__viet_cls[c];
	d = s[1];
	if (c - 0xC2 < 0x1E)
		return (d & 0xC0) == 0x80 ? sach__viet_cls[((c & 0x1F) << 6) | (d & 0x3F)] : 0;
	e = s[2];
	if (c == 0xE1 && (d & 0xFC) == 0xB8 && (e & 0xC0) == 0x80)
		return sach__viet_cls[CLS_1E | ((d & 0x03) << 6) | (e & 0x3F)];
	return 0;
}

/* Length of the character whose lead byte is c, when char_cls4() gave a
 * class for it. */
static inline size_t char_len4(unsigned c)
{
	return 1 + (c >= 0xC0) + (c >= 0xE0);
}

/*
 * Scans the letter token at the start of text (letters, and apostrophes
 * between two letters; see is_apostrophe()) and decodes it into *t in the same
 * pass. Returns the token's length in bytes, 0 if text does not start with
 * a letter. Never fails: letters outside the Vietnamese set set `foreign`,
 * more than MAXC characters set `too_long`.
 */
static size_t tok_scan(const char *text, size_t len, tok *t)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, used = 1;
	unsigned all = 0;
	int k = 0, too_long = 0, nmarks = 0;

	while (i < len) {
		unsigned cls = 0;

		if (i + 4 <= len && (cls = char_cls4(s + i)) != 0)
			used = char_len4(s[i]);
		else
			cls = char_cls(s + i, len - i, &used);
		if (!(cls & CLS_LETTER)) {
			size_t u2;

			/* an apostrophe stays only between two letters */
			if (!(cls & CLS_APOS) || i == 0 || i + used >= len ||
			    !(char_cls(s + i + used, len - i - used, &u2) & CLS_LETTER))
				break;
			cls = '\'' << 8;
		}
		if (k == MAXC) {
			too_long = 1;
			all |= cls & CLS_DIACRITIC;
			i += used;
			continue;
		}
		t->off[k] = (uint32_t)i;
		t->apos[k] = !(cls & CLS_LETTER);
		t->id[k] = (unsigned char)(cls & 0x0F);
		t->tone[k] = (unsigned char)((cls >> 4) & 0x07);
		t->upper[k] = (unsigned char)((cls >> 7) & 1);
		t->base[k] = (unsigned char)(cls >> 8);
		nmarks += !!(cls & CLS_MARK);
		all |= cls;
		k++;
		i += used;
	}
	t->n = k;
	t->too_long = too_long;
	t->foreign = !!(all & CLS_FOREIGN);
	t->diacritic = !!(all & CLS_DIACRITIC);
	t->nmarks = nmarks;
	t->has_y = !!(all & CLS_Y);
	t->off[k] = (uint32_t)i;
	t->base[k] = '\0';
	return i;
}

/* ------------------------------------------------------------------ */
/* Syllable template                                                   */

#define CO_C 0x01u
#define CO_CH 0x02u
#define CO_M 0x04u
#define CO_N 0x08u
#define CO_NG 0x10u
#define CO_NH 0x20u
#define CO_P 0x40u
#define CO_T 0x80u
#define CO_ALL 0xFFu
#define CO_STOP (CO_C | CO_CH | CO_P | CO_T)

#define VS_NEEDS_CODA 0x01u /* must be followed by a coda */
#define VS_MEDIAL 0x02u     /* first vowel is the medial o/u */
#define VS_STYLED 0x04u     /* oa, oe, uy: old and new style differ when open */

#define K1(a) ((a) * 169)
#define K2(a, b) ((a) * 169 + (b) * 13)
#define K3(a, b, c) ((a) * 169 + (b) * 13 + (c))
#define NVSEQ 54 /* entries of vseqs[] */

/*
 * Written vowel sequences (VIETNAMESE.md 3.1): allowed codas, flags and the
 * index of the vowel that carries the tone mark (Unikey's rule, 1.2): open
 * syllable old style, open new style, closed syllable. Indexed directly by
 * the key of the sequence (K1/K2/K3: letter ids in base 13); nv == 0 marks
 * a key that is not a sequence. sach__viet_check_tables() verifies that
 * every entry's nv matches its key.
 */
struct vseq {
	uint8_t nv;
	uint8_t codas;
	uint8_t flags;
	uint8_t t_old, t_new, t_closed;
};

#define NVKEYS (K3(ID_Y, ID_Y, ID_Y) + 1)

static const struct vseq vseqs[NVKEYS] = {
	[K1(ID_A)] = { 1, CO_ALL, 0, 0, 0, 0 },
	[K2(ID_A, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_A, ID_O)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_A, ID_U)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_A, ID_Y)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_AW)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 0, 0, 0 },
	[K1(ID_AA)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 0, 0, 0 },
	[K2(ID_AA, ID_U)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_AA, ID_Y)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_E)] = { 1, CO_ALL, 0, 0, 0, 0 },
	[K2(ID_E, ID_O)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_EE)] = { 1, CO_C | CO_CH | CO_M | CO_N | CO_NH | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_EE, ID_U)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_I)] = { 1, CO_C | CO_CH | CO_M | CO_N | CO_NH | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_I, ID_A)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_I, ID_EE)] = { 2, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	[K3(ID_I, ID_EE, ID_U)] = { 3, 0, 0, 1, 1, 1 },
	[K2(ID_I, ID_U)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_O)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_O, ID_A)] = { 2, CO_ALL, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	[K3(ID_O, ID_A, ID_I)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K3(ID_O, ID_A, ID_Y)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K2(ID_O, ID_AW)] = { 2, CO_C | CO_M | CO_N | CO_NG | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 1, 1, 1 },
	[K2(ID_O, ID_E)] = { 2, CO_N | CO_T, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	[K3(ID_O, ID_E, ID_O)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K2(ID_O, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_O, ID_O)] = { 2, CO_C | CO_NG, VS_NEEDS_CODA, 1, 1, 1 },
	[K1(ID_OO)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_OO, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_OW)] = { 1, CO_M | CO_N | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_OW, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_U)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	[K2(ID_U, ID_A)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_U, ID_AA)] = { 2, CO_N | CO_NG | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 1, 1, 1 },
	[K3(ID_U, ID_AA, ID_Y)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K2(ID_U, ID_EE)] = { 2, CO_C | CO_CH | CO_N | CO_NH, VS_MEDIAL, 1, 1, 1 },
	[K2(ID_U, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_U, ID_OO)] = { 2, CO_C | CO_M | CO_N | CO_NG | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	[K3(ID_U, ID_OO, ID_I)] = { 3, 0, 0, 1, 1, 1 },
	[K2(ID_U, ID_OW)] = { 2, 0, VS_MEDIAL, 1, 1, 1 },
	[K2(ID_U, ID_Y)] = { 2, CO_C | CO_CH | CO_N | CO_NH | CO_P | CO_T, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	[K3(ID_U, ID_Y, ID_A)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K3(ID_U, ID_Y, ID_EE)] = { 3, CO_N | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 2, 2, 2 },
	[K3(ID_U, ID_Y, ID_U)] = { 3, 0, VS_MEDIAL, 1, 1, 1 },
	[K1(ID_UW)] = { 1, CO_C | CO_M | CO_N | CO_NG | CO_T, 0, 0, 0, 0 },
	[K2(ID_UW, ID_A)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_UW, ID_I)] = { 2, 0, 0, 0, 0, 0 },
	[K2(ID_UW, ID_OW)] = { 2, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	[K3(ID_UW, ID_OW, ID_I)] = { 3, 0, 0, 1, 1, 1 },
	[K3(ID_UW, ID_OW, ID_U)] = { 3, 0, 0, 1, 1, 1 },
	[K2(ID_UW, ID_U)] = { 2, 0, 0, 0, 0, 0 },
	[K1(ID_Y)] = { 1, CO_T, 0, 0, 0, 0 },
	[K2(ID_Y, ID_EE)] = { 2, CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	[K3(ID_Y, ID_EE, ID_U)] = { 3, 0, 0, 1, 1, 1 },
};

/* The sequence with key `key` (< NVKEYS), or NULL. */
static const struct vseq *vseq_find(unsigned key)
{
	return vseqs[key].nv ? &vseqs[key] : NULL;
}

/* Onset classes for the spelling rules. */
#define OC_KNOWN 0x01u  /* an onset of 3.1 */
#define OC_FRONT 0x02u  /* k, gh, ngh: only before front vowels */
#define OC_BACK 0x04u   /* c, g, ng: never before e, e-circumflex, i */
#define OC_LABIAL 0x08u /* b, m, p, ph, v: no medial o/u */

/* Class of an onset other than gi and qu given as a base string
 * (d-stroke = B_DD); 0 if it is not an onset. */
static unsigned onset_class(const unsigned char *b, int len)
{
	switch (len) {
	case 0:
		return OC_KNOWN;
	case 1:
		switch (b[0]) {
		case 'k': return OC_KNOWN | OC_FRONT;
		case 'c': case 'g': return OC_KNOWN | OC_BACK;
		case 'b': case 'm': case 'p': case 'v': return OC_KNOWN | OC_LABIAL;
		case 'd': case 'h': case 'l': case 'n': case 'r': case 's':
		case 't': case 'x': case B_DD:
			return OC_KNOWN;
		default:
			return 0;
		}
	case 2:
		if (b[0] == 'g' && b[1] == 'h')
			return OC_KNOWN | OC_FRONT;
		if (b[0] == 'n' && b[1] == 'g')
			return OC_KNOWN | OC_BACK;
		if (b[0] == 'p' && b[1] == 'h')
			return OC_KNOWN | OC_LABIAL;
		if ((b[0] == 'k' && b[1] == 'h') || (b[0] == 'n' && b[1] == 'h') ||
		    (b[0] == 't' && b[1] == 'h') || (b[0] == 't' && b[1] == 'r') ||
		    (b[0] == 'c' && b[1] == 'h'))
			return OC_KNOWN;
		return 0;
	case 3:
		return (b[0] == 'n' && b[1] == 'g' && b[2] == 'h') ?
		       OC_KNOWN | OC_FRONT : 0;
	default:
		return 0;
	}
}

/* Coda bit of base string b (len bytes), or 0 for no valid coda. */
static unsigned coda_bit(const unsigned char *b, int len)
{
	if (len == 1) {
		switch (b[0]) {
		case 'c': return CO_C;
		case 'm': return CO_M;
		case 'n': return CO_N;
		case 'p': return CO_P;
		case 't': return CO_T;
		default: return 0;
		}
	}
	if (len == 2) {
		if (b[0] == 'c' && b[1] == 'h')
			return CO_CH;
		if (b[0] == 'n' && b[1] == 'g')
			return CO_NG;
		if (b[0] == 'n' && b[1] == 'h')
			return CO_NH;
	}
	return 0;
}

/*
 * onset_class() and coda_bit() as one table lookup each, for count_fast():
 * the base bytes packed into a key (first byte lowest), hashed by a
 * multiplication into 64 (16) slots that hold the key and its class. The
 * multipliers give no collision (a collision would be a duplicate
 * initializer, which -Woverride-init reports); sach__viet_check_tables()
 * checks the tables against the functions.
 */
#define BKEY1(a) ((uint32_t)(a))
#define BKEY2(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define BKEY3(a, b, c) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16)
#define ONSET_SLOT(k) ((uint32_t)((k) * 0x9E377D47u) >> 26)
#define CODA_SLOT(k) ((uint32_t)((k) * 0x9E37A6BFu) >> 28)

static const struct bslot {
	uint32_t key;
	uint8_t cls;
} onset_tab[64] = {
#define O(k, c) [ONSET_SLOT(k)] = { (k), (c) }
	O(BKEY1('k'), OC_KNOWN | OC_FRONT), O(BKEY1('c'), OC_KNOWN | OC_BACK),
	O(BKEY1('g'), OC_KNOWN | OC_BACK), O(BKEY1('b'), OC_KNOWN | OC_LABIAL),
	O(BKEY1('m'), OC_KNOWN | OC_LABIAL), O(BKEY1('p'), OC_KNOWN | OC_LABIAL),
	O(BKEY1('v'), OC_KNOWN | OC_LABIAL), O(BKEY1('d'), OC_KNOWN),
	O(BKEY1('h'), OC_KNOWN), O(BKEY1('l'), OC_KNOWN), O(BKEY1('n'), OC_KNOWN),
	O(BKEY1('r'), OC_KNOWN), O(BKEY1('s'), OC_KNOWN), O(BKEY1('t'), OC_KNOWN),
	O(BKEY1('x'), OC_KNOWN), O(BKEY1(B_DD), OC_KNOWN),
	O(BKEY2('g', 'h'), OC_KNOWN | OC_FRONT), O(BKEY2('n', 'g'), OC_KNOWN | OC_BACK),
	O(BKEY2('p', 'h'), OC_KNOWN | OC_LABIAL), O(BKEY2('k', 'h'), OC_KNOWN),
	O(BKEY2('n', 'h'), OC_KNOWN), O(BKEY2('t', 'h'), OC_KNOWN),
	O(BKEY2('t', 'r'), OC_KNOWN), O(BKEY2('c', 'h'), OC_KNOWN),
	O(BKEY3('n', 'g', 'h'), OC_KNOWN | OC_FRONT)
#undef O
}, coda_tab[16] = {
#define C(k, c) [CODA_SLOT(k)] = { (k), (c) }
	C(BKEY1('c'), CO_C), C(BKEY1('m'), CO_M), C(BKEY1('n'), CO_N),
	C(BKEY1('p'), CO_P), C(BKEY1('t'), CO_T), C(BKEY2('c', 'h'), CO_CH),
	C(BKEY2('n', 'g'), CO_NG), C(BKEY2('n', 'h'), CO_NH)
#undef C
};

/* The class of onset key k (1-3 bytes), or 0. */
static inline unsigned onset_lookup(uint32_t k)
{
	const struct bslot *e = &onset_tab[ONSET_SLOT(k)];

	return e->key == k ? e->cls : 0;
}

/* The coda bit of coda key k (1-2 bytes), or 0. */
static inline unsigned coda_lookup(uint32_t k)
{
	const struct bslot *e = &coda_tab[CODA_SLOT(k)];

	return e->key == k ? e->cls : 0;
}

/* The parse of a decoded token. */
typedef struct parse {
	int parsed;
	int well_formed;
	int whitelisted;
	int onset_len;    /* bytes of the onset in the base string */
	int onset_gi;     /* onset gi */
	int onset_qu;     /* onset qu */
	unsigned oclass;  /* OC_* of other onsets */
	int vs, ve;       /* vowel sequence: characters [vs, ve); coda [ve, n) */
	unsigned coda;    /* CO_* bit, 0 if open */
	const struct vseq *seq;
	unsigned key;      /* key of the vowel sequence */
	int tone;         /* the tone (first mark) */
	int nmarks;       /* characters carrying a tone mark */
	int tone_at;      /* first marked character, -1 */
	int conflict;     /* marks of different tones */
	int pos_old, pos_new; /* target characters, -1 if not parsed */
	const char *problem;
} parse;

static int wl_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* Lowercase NFC UTF-8 of the token as written (marks where they are). */
static size_t tok_lower_utf8(const tok *t, char *d)
{
	size_t k = 0;
	int i;

	for (i = 0; i < t->n; i++) {
		if (t->id[i])
			k += u8_encode(sach__viet_compose[t->id[i]][t->tone[i]][0], d + k);
		else
			d[k++] = (char)t->base[i];
	}
	d[k] = '\0';
	return k;
}

static int whitelisted(const tok *t)
{
	char key[MAXC * 3 + 1];

	if (t->foreign || t->too_long || t->n == 0)
		return 0;
	tok_lower_utf8(t, key);
	return bsearch(key, sach__viet_whitelist, SACH__VIET_WHITELIST_COUNT,
		       sizeof(sach__viet_whitelist[0]), wl_cmp) != NULL;
}

/* Splits the decoded token along the template (no validity rules yet).
 * Returns the problem string, or NULL when parsed. */
static const char *split(const tok *t, parse *p)
{
	const unsigned char *b = t->base;
	int n = t->n, c = 0, vs, ve, i;
	unsigned key = 0;

	while (c < n && !is_vowel_id(t->id[c]))
		c++;
	if (c == n)
		return "no vowel";
	p->onset_len = c;
	vs = c;
	if (c == 1 && b[0] == 'q') {
		if (b[1] != 'u')
			return "q without u";
		p->onset_qu = 1;
		p->onset_len = 2;
		vs = 2;
	} else if (c == 1 && b[0] == 'g' && b[1] == 'i') {
		/* gi is the onset; its i is the nucleus when no other vowel
		 * follows (gi, gin) or before e-circumflex (gieng = gi + ie) */
		p->onset_gi = 1;
		p->onset_len = 2;
		if (n == 2 || !is_vowel_id(t->id[2]) || b[2] == B_EE)
			vs = 1;
		else
			vs = 2;
	} else if ((p->oclass = onset_class(b, c)) == 0) {
		return "unknown onset";
	}
	if (vs >= n || !is_vowel_id(t->id[vs]))
		return "no vowel after the onset";
	ve = vs;
	while (ve < n && is_vowel_id(t->id[ve]))
		ve++;
	if (ve - vs > 3)
		return "too many vowels";
	for (i = ve; i < n; i++)
		if (is_vowel_id(t->id[i]) || t->id[i] == ID_DD || t->apos[i])
			return "letters after the coda";
	if (ve < n) {
		p->coda = coda_bit(b + ve, n - ve);
		if (!p->coda)
			return "unknown coda";
	}
	for (i = vs; i < ve; i++)
		key = key * 13 + t->id[i];
	if (ve - vs == 1)
		key *= 169;
	else if (ve - vs == 2)
		key *= 13;
	p->key = key;
	p->seq = vseq_find(key);
	if (!p->seq)
		return "unknown vowel sequence";
	p->vs = vs;
	p->ve = ve;
	return NULL;
}

/* The validity rules of 3.1 on a split syllable; NULL when well-formed. */
static const char *rules(const tok *t, const parse *p)
{
	unsigned first = t->id[p->vs];
	const struct vseq *q = p->seq;

	if (p->onset_gi && p->vs == 2 && first == ID_I)
		return "gi never precedes i";
	if (!p->coda && (q->flags & VS_NEEDS_CODA))
		return "this vowel needs a coda";
	if (p->coda) {
		int quyn = p->onset_qu && p->key == K1(ID_Y) &&
			   (p->coda == CO_N || p->coda == CO_NH);

		if (!quyn && !(q->codas & p->coda))
			return "coda not allowed after this vowel";
		if ((p->coda & CO_STOP) && p->tone != SACH_TONE_ACUTE &&
		    p->tone != SACH_TONE_DOT)
			return "c, ch, p, t codas take only sac or nang";
	}
	if ((p->oclass & OC_FRONT) &&
	    first != ID_E && first != ID_EE && first != ID_I && first != ID_Y)
		return "k, gh, ngh only before e, e-circumflex, i, y";
	if ((p->oclass & OC_BACK) &&
	    (first == ID_E || first == ID_EE || first == ID_I))
		return "c, g, ng never before e, e-circumflex, i";
	if (p->onset_qu && (first == ID_U || first == ID_O))
		return "qu never before o or u";
	if ((q->flags & VS_MEDIAL) && (p->oclass & OC_LABIAL))
		return "no medial o/u after a labial onset";
	return NULL;
}

/* Full analysis of a decoded token. */
static void analyse(const tok *t, parse *p)
{
	int i;
	const char *why;

	memset(p, 0, sizeof(*p));
	p->tone_at = p->pos_old = p->pos_new = -1;
	if (t->n == 0) {
		p->problem = "empty token";
		return;
	}
	if (t->too_long) {
		p->problem = "too long for a syllable";
		return;
	}
	for (i = 0; i < t->n; i++) {
		if (!t->tone[i])
			continue;
		if (p->nmarks == 0) {
			p->tone = t->tone[i];
			p->tone_at = i;
		} else if (t->tone[i] != p->tone) {
			p->conflict = 1;
		}
		p->nmarks++;
	}
	if (t->foreign) {
		p->problem = "not Vietnamese letters";
		return;
	}
	why = split(t, p);
	if (!why) {
		p->parsed = 1;
		if (p->coda) {
			p->pos_old = p->pos_new = p->vs + p->seq->t_closed;
		} else {
			p->pos_old = p->vs + p->seq->t_old;
			p->pos_new = p->vs + p->seq->t_new;
		}
		why = p->conflict ? "two different tone marks" : rules(t, p);
	}
	if (!why) {
		p->well_formed = 1;
		p->problem = "";
		return;
	}
	if (!p->conflict && whitelisted(t)) {
		p->well_formed = 1;
		p->whitelisted = 1;
		p->problem = "";
		return;
	}
	p->problem = why;
}

static sach_viet_case tok_case(const tok *t)
{
	int i, nl = 0, up = 0, first_up = -1;

	for (i = 0; i < t->n; i++) {
		if (t->apos[i] || (t->foreign && t->base[i] == '?'))
			continue;
		if (first_up < 0)
			first_up = t->upper[i];
		nl++;
		up += t->upper[i];
	}
	if (up == 0)
		return SACH_CASE_LOWER;
	if (up == 1 && first_up == 1)
		return SACH_CASE_TITLE;
	if (up == nl)
		return SACH_CASE_UPPER;
	return SACH_CASE_MIXED;
}

/* Appends the base string range [from, to) of t as UTF-8 to d. */
static size_t base_to_utf8(const tok *t, int from, int to, char *d, size_t cap)
{
	size_t k = 0;
	int i;

	for (i = from; i < to; i++) {
		unsigned char c = t->base[i];
		const char *s = c < 0x80 ? NULL : base_utf8[c & 0x7F];

		if (s) {
			size_t l = strlen(s);

			if (k + l >= cap)
				break;
			memcpy(d + k, s, l);
			k += l;
		} else {
			if (k + 1 >= cap)
				break;
			d[k++] = (char)c;
		}
	}
	d[k] = '\0';
	return k;
}

/* ------------------------------------------------------------------ */
/* Output helpers                                                      */

static int put(sach_buf *b, const void *data, size_t n)
{
	if (b->cap - b->len <= n) {
		int rc = sach_buf_reserve(b, n);

		if (rc < 0)
			return rc;
	}
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

/* Reserves room up front and keeps the buffer NUL-terminated even when
 * nothing gets appended. */
static int reserve_out(sach_buf *b, size_t n)
{
	int rc = sach_buf_reserve(b, n);

	if (rc < 0)
		return rc;
	b->ptr[b->len] = '\0';
	return 0;
}

static int put_cp(sach_buf *b, uint32_t cp)
{
	char tmp[4];

	return put(b, tmp, u8_encode(cp, tmp));
}

/* Target character for the mark of a parsed, fixable token, or -1 to keep
 * the token as it is. */
static int retone_target(const tok *t, const parse *p, sach_tone_style style)
{
	int i;

	(void)t;
	if (!p->parsed || !p->well_formed || p->whitelisted || p->conflict ||
	    p->nmarks == 0)
		return -1;
	if (style == SACH_TONE_STYLE_OLD)
		return p->pos_old;
	if (style == SACH_TONE_STYLE_NEW)
		return p->pos_new;
	/* KEEP: the first mark that sits on an accepted letter, else old */
	for (i = 0; i < t->n; i++)
		if (t->tone[i] && (i == p->pos_old || i == p->pos_new))
			return i;
	return p->pos_old;
}

/* 1 if moving the mark to `target` changes anything. */
static int retone_needed(const parse *p, int target)
{
	return target >= 0 && (p->nmarks != 1 || p->tone_at != target);
}

/*
 * Emits token t (source bytes src) with the tone mark on `target` (tone
 * p->tone). lower: write every letter lowercase; fold_y: character index
 * whose y becomes i, or -1.
 */
static int emit_token(sach_buf *b, const char *src, const tok *t,
		      const parse *p, int target, int lower, int fold_y)
{
	int i, rc;

	for (i = 0; i < t->n; i++) {
		unsigned id = t->id[i];
		unsigned tone = t->tone[i];

		if (target >= 0 && is_vowel_id(id))
			tone = (i == target) ? (unsigned)p->tone : 0;
		if (i == fold_y && id == ID_Y)
			id = ID_I;
		if (id && (id != t->id[i] || tone != t->tone[i] ||
			   (lower && t->upper[i]))) {
			rc = put_cp(b, sach__viet_compose[id][tone][lower ? 0 : t->upper[i]]);
		} else if (lower && !id) {
			/* consonants, apostrophes, foreign letters */
			size_t used;
			uint32_t cp = u8_decode((const unsigned char *)src + t->off[i],
						t->off[i + 1] - t->off[i], &used);

			if (cp == BAD_CP)
				rc = put(b, src + t->off[i], t->off[i + 1] - t->off[i]);
			else
				rc = put_cp(b, simple_lower(cp));
		} else {
			rc = put(b, src + t->off[i], t->off[i + 1] - t->off[i]);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Public: parse and retone                                            */

const char *sach_tone_name(sach_tone tone)
{
	static const char *const names[6] = {
		"level", "grave", "acute", "hook", "tilde", "dot"
	};

	return (unsigned)tone < 6 ? names[tone] : "?";
}

static unsigned syl_flags(const tok *t, const parse *p)
{
	unsigned f = 0;

	if (p->well_formed)
		f |= SACH_SYL_WELL_FORMED;
	if (p->parsed)
		f |= SACH_SYL_PARSED;
	if (p->whitelisted)
		f |= SACH_SYL_WHITELISTED;
	if (t->diacritic)
		f |= SACH_SYL_DIACRITIC;
	if (t->foreign)
		f |= SACH_SYL_FOREIGN;
	if (p->conflict)
		f |= SACH_SYL_CONFLICT;
	if (p->parsed && !p->conflict && p->nmarks > 1)
		f |= SACH_SYL_DOUBLED;
	if (p->parsed && !p->conflict && p->nmarks == 1 &&
	    p->tone_at != p->pos_old && p->tone_at != p->pos_new)
		f |= SACH_SYL_MISPLACED;
	if (p->parsed && !p->conflict && p->nmarks == 1 && !p->coda &&
	    (p->seq->flags & VS_STYLED)) {
		if (p->tone_at == p->vs)
			f |= SACH_SYL_OLD_STYLE;
		else if (p->tone_at == p->vs + 1)
			f |= SACH_SYL_NEW_STYLE;
	}
	return f;
}

int sach_viet_parse(const char *text, size_t len, sach_syllable *out)
{
	tok t;
	parse p;

	if (!text || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_parse: NULL argument");
	memset(out, 0, sizeof(*out));
	out->tone_at = out->tone_old = out->tone_new = -1;
	if (len == 0 || tok_scan(text, len, &t) != len) {
		out->problem = "not one letter token";
		return 0;
	}
	analyse(&t, &p);
	out->flags = syl_flags(&t, &p);
	out->tone = (sach_tone)p.tone;
	out->letter_case = tok_case(&t);
	out->nchars = t.too_long ? 0 : t.n;
	out->tone_at = p.tone_at;
	out->problem = p.problem;
	if (p.parsed) {
		int vs = p.vs;

		out->tone_old = p.pos_old;
		out->tone_new = p.pos_new;
		if (p.onset_gi)
			memcpy(out->onset, "gi", 3);
		else if (p.onset_qu)
			memcpy(out->onset, "qu", 3);
		else
			base_to_utf8(&t, 0, p.onset_len, out->onset, sizeof(out->onset));
		if (p.seq->flags & VS_MEDIAL) {
			base_to_utf8(&t, vs, vs + 1, out->medial, sizeof(out->medial));
			vs++;
		}
		base_to_utf8(&t, vs, p.ve, out->nucleus, sizeof(out->nucleus));
		base_to_utf8(&t, p.ve, t.n, out->coda, sizeof(out->coda));
	}
	return p.well_formed;
}

static int check_style(sach_tone_style style)
{
	if (style != SACH_TONE_STYLE_KEEP && style != SACH_TONE_STYLE_OLD &&
	    style != SACH_TONE_STYLE_NEW)
		return sach__error_set(SACH_EINVAL, "invalid tone style %d", (int)style);
	return 0;
}

int sach_viet_retone(const char *text, size_t len, sach_tone_style style,
		     sach_buf *out, int *changed)
{
	tok t;
	parse p;
	int target, rc;

	if (changed)
		*changed = 0;
	if (!text || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_retone: NULL argument");
	rc = check_style(style);
	if (rc < 0)
		return rc;
	if (len == 0 || tok_scan(text, len, &t) != len)
		return put(out, text, len);
	analyse(&t, &p);
	target = retone_target(&t, &p, style);
	if (!retone_needed(&p, target))
		return put(out, text, len);
	if (changed)
		*changed = 1;
	return emit_token(out, text, &t, &p, target, 0, -1);
}

/* ------------------------------------------------------------------ */
/* Text walking                                                        */

/*
 * Class of the character that ends just before p (p > lo, where lo and p
 * are character boundaries of the forward decoding from lo), as forward
 * decoding sees it; *start gets its first byte. A lead byte always starts
 * a character (invalid bytes are taken one at a time), so the character
 * is the nearest lead byte's sequence when that ends exactly at p, else
 * the single invalid byte p - 1.
 */
static unsigned char_cls_before(const unsigned char *s, size_t lo, size_t p,
				size_t *start)
{
	size_t j = p - 1, used;
	uint32_t cp;

	if (s[j] < 0x80) {
		*start = j;
		return sach__viet_cls[s[j]];
	}
	while (j > lo && p - j < 4 && (s[j] & 0xC0) == 0x80)
		j--;
	if ((s[j] & 0xC0) != 0x80) {
		cp = u8_decode(s + j, p - j, &used);
		if (cp != BAD_CP && used == p - j) {
			*start = j;
			return cp_cls(cp);
		}
	}
	*start = p - 1;
	return 0;
}

/* char_cls_before() with the common cases inline: an ASCII character, a
 * two-byte character, U+1E00-U+1EFF. */
static inline unsigned cls_before(const unsigned char *s, size_t lo, size_t p,
				  size_t *start)
{
	unsigned b1 = s[p - 1];

	if (b1 < 0x80) {
		*start = p - 1;
		return sach__viet_cls[b1];
	}
	if ((b1 & 0xC0) == 0x80 && p >= lo + 2) {
		unsigned b2 = s[p - 2];

		if (b2 >= 0xC2 && b2 <= 0xDF) {
			*start = p - 2;
			return sach__viet_cls[((b2 & 0x1F) << 6) | (b1 & 0x3F)];
		}
		if ((b2 & 0xFC) == 0xB8 && p >= lo + 3 && s[p - 3] == 0xE1) {
			*start = p - 3;
			return sach__viet_cls[CLS_1E | ((b2 & 0x03) << 6) | (b1 & 0x3F)];
		}
	}
	return char_cls_before(s, lo, p, start);
}

/*
 * First byte of the token that holds the letter starting at p, when no
 * token starts before lo (a character boundary that is not inside a
 * token): walks back over letters, and over apostrophes with a letter
 * before them.
 */
static size_t token_start(const unsigned char *s, size_t p, size_t lo)
{
	while (p > lo) {
		size_t j, j2;
		unsigned cls = char_cls_before(s, lo, p, &j);

		if (cls & CLS_LETTER) {
			p = j;
		} else if ((cls & CLS_APOS) && j > lo &&
			   (char_cls_before(s, lo, j, &j2) & CLS_LETTER)) {
			p = j2;
		} else {
			break;
		}
	}
	return p;
}

/* Lead bytes of the letters with a tone mark: C3 (U+00C0-U+00FF), C4 and
 * C5 (i and u with tilde), E1 (U+1EA0-U+1EF9). */
static int mark_lead(unsigned char c)
{
	return (c >= 0xC3 && c <= 0xC5) || c == 0xE1;
}

/* Class of the letter with a tone mark that starts at s + i (i < len,
 * s[i] a mark_lead() byte), or 0 if none starts there; *mlen gets its
 * length. Without branches on the letter's length when 3 bytes are
 * there to look at. */
static inline unsigned mark_at(const unsigned char *s, size_t i, size_t len, size_t *mlen)
{
	unsigned c = s[i], d, e, is3, ok, idx, cls;

	if (i + 2 >= len) {
		if (i + 1 >= len || c == 0xE1 || (s[i + 1] & 0xC0) != 0x80)
			return 0;
		*mlen = 2;
		cls = sach__viet_cls[((c & 0x1F) << 6) | (s[i + 1] & 0x3F)];
		return cls & CLS_MARK ? cls : 0;
	}
	d = s[i + 1];
	e = s[i + 2];
	is3 = c == 0xE1;
	ok = is3 ? (d & 0xFC) == 0xB8 && (e & 0xC0) == 0x80 : (d & 0xC0) == 0x80;
	idx = is3 ? CLS_1E | ((d & 0x03) << 6) | (e & 0x3F) :
	      ((c & 0x1F) << 6) | (d & 0x3F);
	cls = sach__viet_cls[ok ? idx : 0];
	*mlen = 2 + is3;
	return cls & CLS_MARK ? cls : 0;
}

#if defined(__SSE2__) && defined(__GNUC__)
/* 0xFF in each byte of x that lies in [lo, hi] (unsigned). */
static inline __m128i bytes_in_range(__m128i x, unsigned char lo, unsigned char hi)
{
	__m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));

	return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}
#endif

/*
 * Offset of the next letter with a tone mark at or after i, or len; *mlen
 * gets its length in bytes and *mcls its class. Only well-formed sequences
 * count, and a lead byte always starts a character, so the letter is one
 * the token scanner sees too. (The scalar search; with SSE2,
 * next_suspect() looks at 64 bytes at a time instead.)
 */
static size_t next_mark(const unsigned char *s, size_t i, size_t len, size_t *mlen,
			unsigned *mcls)
{
	for (; i < len; i++)
		if (mark_lead(s[i]) && (*mcls = mark_at(s, i, len, mlen)) != 0)
			return i;
	return len;
}

/*
 * Whether the token holding the marked vowel at [m, m + mlen) certainly
 * stays as it is under `style`, decided from the vowel run R around it
 * and its neighbours only (lo: a character boundary outside tokens at or
 * before the token's start). A token changes only if split() succeeds,
 * and then R is its one vowel run: the onset before it is a qu or gi
 * (merged by split()) only when that letter starts the token, the syllable
 * is closed when a letter follows R, and the mark's place is the one
 * vseqs[] gives. So when the mark already sits there, or split() must
 * fail, the answer is 1; a second mark in R, or a mark where the style
 * does not want it, gives 0, and the caller analyses the whole token.
 * (A mark in another vowel run of the token makes split() fail.) *resume
 * gets the end of R, or a point before it where the search may go on.
 */
static int mark_unchanged(const unsigned char *s, size_t len, size_t lo,
			  size_t m, size_t mlen, unsigned mcls,
			  sach_tone_style style, size_t *resume)
{
	unsigned char run[8];
	int nl = 0, nv, marks = 1, at, off = 0, coda = 0, k;
	size_t l = m, r = m + mlen, used, j;
	unsigned key = 0, cls, cl, cr;
	const struct vseq *q;

	/* the common case first: no vowel on either side */
	cl = l > lo ? cls_before(s, lo, l, &j) : 0;
	cr = r < len ? char_cls(s + r, len - r, &used) : 0;
	*resume = r;
	if (!((cl | cr) & CLS_VOWEL))
		return 1; /* R is the marked vowel alone */
	/* R: up to three vowels to the left of the mark (stored backwards
	 * from run[3]), the mark at run[4], up to three to its right; a run
	 * of five or more vowels never splits */
	while (l > lo) {
		cls = cls_before(s, lo, l, &j);
		if (!(cls & CLS_VOWEL))
			break;
		if (nl == 3)
			return 1;
		marks += !!(cls & CLS_MARK);
		run[3 - nl++] = (unsigned char)(cls & 0x0F);
		l = j;
	}
	run[4] = (unsigned char)(mcls & 0x0F);
	nv = nl + 1;
	while (r < len) {
		cls = char_cls(s + r, len - r, &used);
		if (!(cls & CLS_VOWEL)) {
			coda = !!(cls & CLS_LETTER);
			break;
		}
		if (nv == 4)
			return 1;
		marks += !!(cls & CLS_MARK);
		run[4 + nv - nl] = (unsigned char)(cls & 0x0F);
		nv++;
		r += used;
		*resume = r;
	}
	if (marks > 1)
		return 0;
	/* R in order is run[4 - nl .. 4 - nl + nv); the mark at index nl */
	off = 4 - nl;
	at = nl;
	/* a qu or gi onset that starts the token */
	if (l > lo && s[l - 1] < 0x80 &&
	    ((s[l - 1] | 0x20) == 'q' || (s[l - 1] | 0x20) == 'g')) {
		int first = 1;

		if (l - 1 > lo) {
			cls = char_cls_before(s, lo, l - 1, &j);
			if (cls & CLS_LETTER)
				first = 0;
			else if ((cls & CLS_APOS) && j > lo &&
				 (char_cls_before(s, lo, j, &j) & CLS_LETTER))
				first = 0;
		}
		if (first && (s[l - 1] | 0x20) == 'q') {
			if (run[off] != ID_U)
				return 1; /* q without u */
			off++, nv--, at--;
		} else if (first && run[off] == ID_I) {
			if (nv >= 2 && run[off + 1] != ID_EE)
				off++, nv--, at--;
		}
	}
	if (nv < 1 || nv > 3)
		return 1;
	if (at < 0)
		return 0;
	for (k = 0; k < nv; k++)
		key = key * 13 + run[off + k];
	key *= nv == 1 ? 169 : nv == 2 ? 13 : 1;
	q = vseq_find(key);
	if (!q)
		return 1;
	if (coda)
		return at == q->t_closed;
	if (style == SACH_TONE_STYLE_OLD)
		return at == q->t_old;
	if (style == SACH_TONE_STYLE_NEW)
		return at == q->t_new;
	return at == q->t_old || at == q->t_new;
}

#if defined(__SSE2__) && defined(__GNUC__)
/*
 * Bit k set when a letter with a tone mark may start at p + k (k < 16);
 * p[0] to p[17] must be readable. Every CLS_MARK letter is found: C3 with
 * any second byte but those of a-circumflex, e-circumflex, o-circumflex
 * (either case), C4/C5 A8/A9 (i and u with tilde), E1 BA A0-BF and E1 BB
 * 80-B9 (U+1EA0-U+1EF9). The other C3 letters are rare in Vietnamese text;
 * mark_at() tells them apart.
 */
static inline unsigned mark_mask16(const unsigned char *p)
{
	__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
	__m128i y = _mm_or_si128(x1, _mm_set1_epi8(0x20));
	__m128i roof = _mm_or_si128(_mm_or_si128(
		_mm_cmpeq_epi8(y, _mm_set1_epi8((char)0xA2)),
		_mm_cmpeq_epi8(y, _mm_set1_epi8((char)0xAA))),
		_mm_cmpeq_epi8(y, _mm_set1_epi8((char)0xB4)));
	__m128i m, e1;

	m = _mm_andnot_si128(roof, _mm_cmpeq_epi8(x0, _mm_set1_epi8((char)0xC3)));
	m = _mm_or_si128(m, _mm_and_si128(bytes_in_range(x0, 0xC4, 0xC5),
		_mm_cmpeq_epi8(_mm_or_si128(x1, _mm_set1_epi8(1)), _mm_set1_epi8((char)0xA9))));
	e1 = _mm_cmpeq_epi8(x0, _mm_set1_epi8((char)0xE1));
	m = _mm_or_si128(m, _mm_and_si128(e1, _mm_or_si128(
		_mm_and_si128(_mm_cmpeq_epi8(x1, _mm_set1_epi8((char)0xBA)),
			      bytes_in_range(x2, 0xA0, 0xBF)),
		_mm_and_si128(_mm_cmpeq_epi8(x1, _mm_set1_epi8((char)0xBB)),
			      bytes_in_range(x2, 0x80, 0xB9)))));
	return (unsigned)_mm_movemask_epi8(m);
}

/*
 * For the 64 bytes at p (p[0] to p[80] readable): bit k set when a letter
 * with a tone mark may start at p + k (mark_mask16()) and is not known to
 * stand alone, that
 * is when the character before it or the one after it may be a vowel, or
 * k < 3 (the character before is not in view). A mark that stands alone
 * sits on a vowel run of one, and its token cannot change (see
 * mark_unchanged()). "May be a vowel": an ASCII vowel, or the lead byte of
 * a Vietnamese letter outside ASCII other than d-stroke (C3-C6, E1; C4
 * 90/91 is d-stroke); the character before p + k starts at p + k - 1
 * unless that is a continuation byte, then at p + k - 2, else p + k - 3.
 * Leads of other characters are taken for vowels too: that only sends a
 * mark to the full test.
 */
static inline uint64_t mark_suspects64(const unsigned char *p)
{
	uint64_t marks = 0, vow = 0, cont = 0, e1 = 0, vnext = 0;
	int b;

	for (b = 0; b <= 4; b++) {
		const unsigned char *q = p + 16 * b;
		__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 1));
		__m128i lo = _mm_or_si128(x0, _mm_set1_epi8(0x20));
		__m128i v = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(lo, _mm_set1_epi8('a')),
				     _mm_cmpeq_epi8(lo, _mm_set1_epi8('e'))),
			_mm_or_si128(_mm_cmpeq_epi8(lo, _mm_set1_epi8('i')),
				     _mm_cmpeq_epi8(lo, _mm_set1_epi8('o'))));
		__m128i dd = _mm_and_si128(_mm_cmpeq_epi8(x0, _mm_set1_epi8((char)0xC4)),
			_mm_cmpeq_epi8(_mm_or_si128(x1, _mm_set1_epi8(1)), _mm_set1_epi8((char)0x91)));
		uint64_t vm;

		v = _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(lo, _mm_set1_epi8('u')),
						 _mm_cmpeq_epi8(lo, _mm_set1_epi8('y'))));
		v = _mm_or_si128(v, _mm_andnot_si128(dd, _mm_or_si128(
			bytes_in_range(x0, 0xC3, 0xC6),
			_mm_cmpeq_epi8(x0, _mm_set1_epi8((char)0xE1)))));
		vm = (uint64_t)(unsigned)_mm_movemask_epi8(v);
		if (b == 4) {
			vnext = vm;
			break;
		}
		vow |= vm << (16 * b);
		cont |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_and_si128(x0, _mm_set1_epi8((char)0xC0)),
			_mm_set1_epi8((char)0x80))) << (16 * b);
		e1 |= (uint64_t)(unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(x0, _mm_set1_epi8((char)0xE1))) << (16 * b);
		marks |= (uint64_t)mark_mask16(q) << (16 * b);
	}
	{
		/* vowel before: start of the character ending at k - 1 */
		uint64_t c1 = cont << 1, c2 = cont << 2;
		uint64_t before = (~c1 & vow << 1) | (c1 & ~c2 & vow << 2) |
				  (c1 & c2 & vow << 3) | 7;
		/* vowel after: at k + 2, or k + 3 after an E1 lead */
		uint64_t after2 = vow >> 2 | vnext << 62, after3 = vow >> 3 | vnext << 61;
		uint64_t after = (~e1 & after2) | (e1 & after3);

		return marks & (before | after);
	}
}
#endif

/*
 * Offset of the next letter with a tone mark at or after i whose token may
 * change under `style` (see mark_unchanged(); lo as there), or len.
 */
/* Below this many bytes next_suspect() walks mark by mark. */
#define SUSPECT_SCALAR_BELOW 24

static size_t next_suspect(const unsigned char *s, size_t len, size_t i,
			   size_t lo, sach_tone_style style)
{
	size_t mlen = 0;
	unsigned mcls = 0;

#if defined(__SSE2__) && defined(__GNUC__)
	/* A short text (a word, a line of a word list) is cheaper to walk
	 * mark by mark than to pad into a 96-byte block. */
	while (i < len && len - i >= SUSPECT_SCALAR_BELOW) {
		uint64_t mask;
		size_t res;

		if (i + 81 <= len) {
			mask = mark_suspects64(s + i);
		} else {
			/* the end of the text, zero-padded: no vowel, no mark */
			unsigned char pad[96];

			memset(pad, 0, sizeof(pad));
			memcpy(pad, s + i, len - i);
			mask = mark_suspects64(pad);
			if (len - i < 64)
				mask &= ((uint64_t)1 << (len - i)) - 1;
		}
		while (mask) {
			size_t p = i + (size_t)__builtin_ctzll(mask);

			mask &= mask - 1;
			mcls = mark_at(s, p, len, &mlen);
			if (mcls && !mark_unchanged(s, len, lo, p, mlen, mcls, style, &res))
				return p;
		}
		i += 64;
	}
#endif
	while (i < len) {
		size_t m = next_mark(s, i, len, &mlen, &mcls);

		if (m >= len)
			break;
		if (!mark_unchanged(s, len, lo, m, mlen, mcls, style, &i))
			return m;
	}
	return len;
}

/* Appends the change of token [q, e) (decoded in t, p) to out, with the
 * clean text before it; the first change reserves out. */
static int flush_change(sach_buf *out, const char *text, size_t len,
			size_t *flushed, size_t q, size_t e, const tok *t,
			const parse *p, int target, int *changed)
{
	int rc;

	if (!*changed) {
		rc = reserve_out(out, len + len / 16 + 16);
		if (rc < 0)
			return rc;
		*changed = 1;
	}
	rc = put(out, text + *flushed, q - *flushed);
	if (rc == 0)
		rc = emit_token(out, text + q, t, p, target, 0, -1);
	*flushed = e;
	return rc;
}

/* Index of the lowest set bit of x (x != 0). */
static inline int low_bit(unsigned x)
{
#if defined(__GNUC__)
	return __builtin_ctz(x);
#else
	int n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * The counts of one token for sach_viet_retone_text() without tok_scan()
 * and analyse(), for the common case: a token of Vietnamese letters that
 * split() takes apart and rules() accepts, with at most one mark, which
 * `style` leaves where it is. One pass decodes the token and follows the
 * template (onset, vowel run, coda); the tests are those of split() and
 * rules(). Returns the token's syl_flags() with *end set; 0 for every
 * other token, which the caller analyses in full.
 */
static unsigned count_fast(const unsigned char *s, size_t len, size_t q,
			   sach_tone_style style, size_t *end)
{
	unsigned char inf[16], base[16];
	unsigned all = 0, vmask = 0, mmask = 0, tone, oclass = 0, coda = 0, f;
	unsigned key = 0, first, id1;
	int k = 0, c, ve, no, nvr, nc, at, vs, nv, qu = 0, gi = 0, pos_old, pos_new;
	size_t i = q, used = 1;
	const struct vseq *v;

	/* decode: classes into small arrays, vowels and marks as bit masks */
	while (i < len) {
		unsigned cls = 0;

		if (i + 4 <= len && (cls = char_cls4(s + i)) != 0)
			used = char_len4(s[i]);
		else
			cls = char_cls(s + i, len - i, &used);
		if (!(cls & CLS_LETTER))
			break;
		if (k == 16)
			return 0;
		all |= cls;
		inf[k] = (unsigned char)cls;
		base[k] = (unsigned char)(cls >> 8);
		vmask |= (unsigned)!!(cls & CLS_VOWEL) << k;
		mmask |= (unsigned)!!(cls & CLS_MARK) << k;
		k++;
		i += used;
	}
	if (i < len && (char_cls(s + i, len - i, &used) & CLS_APOS))
		return 0; /* maybe an apostrophe inside the token */
	if ((all & CLS_FOREIGN) || !vmask || k > MAXC || (mmask & (mmask - 1)))
		return 0;
	/* the template: onset [0, c), vowels [c, ve), coda [ve, k) */
	c = low_bit(vmask);
	ve = c + low_bit(~(vmask >> c));
	if (vmask >> ve)
		return 0; /* a vowel after the coda */
	no = c;
	nvr = ve - c;
	nc = k - ve;
	at = mmask ? low_bit(mmask) : -1;
	tone = mmask ? (inf[at] >> 4) & 7 : 0;
	id1 = inf[c] & 0x0F;
	/* split(): qu and gi onsets */
	vs = c;
	if (no == 1 && base[0] == 'q') {
		if (id1 != ID_U)
			return 0;
		qu = 1;
		vs = 2;
	} else if (no == 1 && base[0] == 'g' && id1 == ID_I) {
		gi = 1;
		if (nvr >= 2 && (inf[2] & 0x0F) != ID_EE)
			vs = 2;
	} else if (no > 3 ||
		   (no && (oclass = onset_lookup(BKEY3(base[0], no > 1 ? base[1] : 0,
							   no > 2 ? base[2] : 0))) == 0)) {
		return 0;
	} else if (!no) {
		oclass = OC_KNOWN;
	}
	nv = ve - vs;
	if (nv < 1 || nv > 3)
		return 0;
	if (nc) {
		coda = nc > 2 ? 0 : coda_lookup(BKEY2(base[ve], nc > 1 ? base[ve + 1] : 0));
		if (!coda)
			return 0;
	}
	key = (inf[vs] & 0x0F) * 169u + (nv > 1 ? (inf[vs + 1] & 0x0F) * 13u : 0) +
	      (nv > 2 ? inf[vs + 2] & 0x0F : 0);
	v = vseq_find(key);
	if (!v)
		return 0;
	/* rules() */
	first = inf[vs] & 0x0F;
	if (gi && vs == 2 && first == ID_I)
		return 0;
	if (!coda && (v->flags & VS_NEEDS_CODA))
		return 0;
	if (coda) {
		int quyn = qu && key == K1(ID_Y) && (coda == CO_N || coda == CO_NH);

		if (!quyn && !(v->codas & coda))
			return 0;
		if ((coda & CO_STOP) && tone != SACH_TONE_ACUTE && tone != SACH_TONE_DOT)
			return 0;
	}
	if ((oclass & OC_FRONT) &&
	    first != ID_E && first != ID_EE && first != ID_I && first != ID_Y)
		return 0;
	if ((oclass & OC_BACK) && (first == ID_E || first == ID_EE || first == ID_I))
		return 0;
	if (qu && (first == ID_U || first == ID_O))
		return 0;
	if ((v->flags & VS_MEDIAL) && (oclass & OC_LABIAL))
		return 0;
	/* well-formed: the mark must stay where it is */
	if (coda) {
		pos_old = pos_new = vs + v->t_closed;
	} else {
		pos_old = vs + v->t_old;
		pos_new = vs + v->t_new;
	}
	f = SACH_SYL_WELL_FORMED | SACH_SYL_PARSED |
	    (all & CLS_DIACRITIC ? SACH_SYL_DIACRITIC : 0);
	if (mmask) {
		if (at != pos_old && at != pos_new)
			return 0; /* misplaced: the token changes */
		if ((style == SACH_TONE_STYLE_OLD && at != pos_old) ||
		    (style == SACH_TONE_STYLE_NEW && at != pos_new))
			return 0;
		if (!coda && (v->flags & VS_STYLED))
			f |= at == vs ? SACH_SYL_OLD_STYLE :
			     at == vs + 1 ? SACH_SYL_NEW_STYLE : 0;
	}
	*end = i;
	return f;
}

/* Adds the counts of one token with syl_flags() f. */
static void add_counts(sach_viet_counts *c, unsigned f)
{
	c->syllables++;
	c->well_formed += !!(f & SACH_SYL_WELL_FORMED);
	c->whitelisted += !!(f & SACH_SYL_WHITELISTED);
	c->diacritics += !!(f & SACH_SYL_DIACRITIC);
	c->old_style += !!(f & SACH_SYL_OLD_STYLE);
	c->new_style += !!(f & SACH_SYL_NEW_STYLE);
	c->misplaced += !!(f & (SACH_SYL_MISPLACED | SACH_SYL_DOUBLED));
	c->ambiguous += !!(f & SACH_SYL_CONFLICT);
}

#if defined(__SSE2__) && defined(__GNUC__)
/*
 * A per-call memo of token -> flags for the counts walk: words repeat, and
 * a repeated token costs one 16-byte compare instead of a decode. Only
 * tokens whose bytes fit in 15 and end at an ASCII character other than a
 * letter or an apostrophe are kept (so the same bytes found again at a
 * token start are that whole token), and only tokens the style leaves as
 * they are. Direct-mapped, 1024 slots (about 18 KB of stack); a valid
 * bit per slot, so setting it up costs a 128-byte clear, and texts shorter
 * than 256 bytes do without it.
 */
#define TC_BITS 10
#define TC_SIZE (1u << TC_BITS)

typedef struct tcache {
	__m128i key[TC_SIZE];
	uint16_t val[TC_SIZE];
	uint64_t valid[TC_SIZE / 64];
} tcache;

/* Length of the token candidate at p (p[0..15] readable, p[0] starts a
 * letter): bytes before the first ASCII byte that is not a letter; 0 when
 * that is not within 16 bytes or is an apostrophe. *key gets the bytes,
 * zero-padded (a token has no NUL, so the key says its length too). */
static inline size_t tc_candidate(const unsigned char *p, __m128i *key)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i letter = bytes_in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
	__m128i ascii = _mm_cmpgt_epi8(x, _mm_set1_epi8(-1));
	unsigned delim = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(letter, ascii));
	size_t n;

	if (!delim)
		return 0;
	n = (size_t)__builtin_ctz(delim);
	if (p[n] == '\'')
		return 0;
	*key = _mm_and_si128(x, _mm_cmpgt_epi8(_mm_set1_epi8((char)n),
		_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
	return n;
}

static inline unsigned tc_slot(__m128i key)
{
	uint64_t w[2];

	memcpy(w, &key, sizeof(w));
	return (unsigned)((w[0] * 0x9E3779B97F4A7C15ull ^ w[1] * 0xC2B2AE3D27D4EB4Full) >>
			  (64 - TC_BITS));
}

/* The flags of token `key` (with bit 15 set), or 0. */
static inline unsigned tc_get(const tcache *c, __m128i key, unsigned slot)
{
	if (!((c->valid[slot / 64] >> (slot % 64)) & 1) ||
	    _mm_movemask_epi8(_mm_cmpeq_epi8(c->key[slot], key)) != 0xFFFF)
		return 0;
	return c->val[slot];
}

static inline void tc_put(tcache *c, __m128i key, unsigned slot, unsigned f)
{
	c->key[slot] = key;
	c->val[slot] = (uint16_t)(f | 0x8000);
	c->valid[slot / 64] |= (uint64_t)1 << (slot % 64);
}
#endif

/*
 * The text walks of sach_viet_retone_text(). Output is lazy: text is
 * appended to `out` only from the first token that changes, with the clean
 * prefix before it; *changed says whether that happened (when it did not,
 * `out` is untouched and the result is the input itself).
 *
 * Without counts only letters with a tone mark are looked at (a token
 * without one never changes), and most of them are settled by
 * mark_unchanged() (next_suspect()).
 */
static int retone_walk(const char *text, size_t len, sach_tone_style style,
		       sach_buf *out, int *changed)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, floor = 0, flushed = 0;
	int rc;

	*changed = 0;
	while (i < len) {
		size_t q, e, m;
		tok t;
		parse p;
		int target;

		m = next_suspect(s, len, i, floor, style);
		if (m >= len)
			break;
		q = token_start(s, m, floor);
		e = q + tok_scan(text + q, len - q, &t);
		i = floor = e;
		analyse(&t, &p);
		target = retone_target(&t, &p, style);
		if (!retone_needed(&p, target))
			continue;
		rc = flush_change(out, text, len, &flushed, q, e, &t, &p, target, changed);
		if (rc < 0)
			return rc;
	}
	if (*changed)
		return put(out, text + flushed, len - flushed);
	return 0;
}

/*
 * The walk with counts: every token is counted, through count_fast() when
 * it can, a full analysis otherwise, and the memo of repeated tokens.
 */
static int retone_walk_counts(const char *text, size_t len,
			      sach_tone_style style, sach_buf *out,
			      sach_viet_counts *counts, int *changed)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, flushed = 0;
	int rc;
#if defined(__SSE2__) && defined(__GNUC__)
	tcache tc;
	int memo = len >= 256;

	if (memo)
		memset(tc.valid, 0, sizeof(tc.valid));
#endif

	*changed = 0;
	while (i < len) {
		size_t q, e, used;
		unsigned f;
		tok t;
		parse p;
		int target;
#if defined(__SSE2__) && defined(__GNUC__)
		__m128i key = _mm_setzero_si128();
		unsigned slot = 0;
		size_t cand = 0;
#endif

		/* find the next letter */
		while (i < len) {
			if (s[i] < 0x80) {
				if (sach__viet_cls[s[i]] & CLS_LETTER)
					break;
				i++;
			} else if (char_cls(s + i, len - i, &used) & CLS_LETTER) {
				break;
			} else {
				i += used;
			}
		}
		if (i >= len)
			break;
		q = i;
#if defined(__SSE2__) && defined(__GNUC__)
		if (memo && q + 16 <= len && (cand = tc_candidate(s + q, &key)) != 0) {
			slot = tc_slot(key);
			f = tc_get(&tc, key, slot);
			if (f) {
				add_counts(counts, f);
				i = q + cand;
				continue;
			}
		}
#endif
		f = count_fast(s, len, q, style, &e);
		if (!f) {
			e = q + tok_scan(text + q, len - q, &t);
			analyse(&t, &p);
			f = syl_flags(&t, &p);
			target = retone_target(&t, &p, style);
			if (retone_needed(&p, target)) {
				add_counts(counts, f);
				counts->retoned++;
				i = e;
				rc = flush_change(out, text, len, &flushed, q, e, &t, &p,
						  target, changed);
				if (rc < 0)
					return rc;
				continue;
			}
		}
		add_counts(counts, f);
#if defined(__SSE2__) && defined(__GNUC__)
		if (cand && e == q + cand)
			tc_put(&tc, key, slot, f);
#endif
		i = e;
	}
	if (*changed)
		return put(out, text + flushed, len - flushed);
	return 0;
}

int sach__viet_retone_text_lazy(const char *text, size_t len,
				sach_tone_style style, sach_buf *out,
				sach_viet_counts *counts, int *changed)
{
	int rc, ch = 0;

	if (changed)
		*changed = 0;
	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach__viet_retone_text_lazy: NULL argument");
	rc = check_style(style);
	if (rc < 0)
		return rc;
	rc = counts ? retone_walk_counts(text, len, style, out, counts, &ch) :
		      retone_walk(text, len, style, out, &ch);
	if (changed)
		*changed = ch;
	return rc;
}

int sach_viet_retone_text(const char *text, size_t len, sach_tone_style style,
			  sach_buf *out, sach_viet_counts *counts)
{
	int rc, changed;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_retone_text: NULL argument");
	rc = check_style(style);
	if (rc < 0)
		return rc;
	rc = reserve_out(out, len + len / 16 + 16);
	if (rc < 0)
		return rc;
	rc = counts ? retone_walk_counts(text, len, style, out, counts, &changed) :
		      retone_walk(text, len, style, out, &changed);
	if (rc < 0 || changed)
		return rc;
	return put(out, text, len);
}

/* ------------------------------------------------------------------ */
/* Fold keys and skeletons                                             */

/* Lowercases the characters of [s, s+n) that are not inside tokens. */
static int put_lower_run(sach_buf *b, const unsigned char *s, size_t n)
{
	size_t i = 0, used;
	int rc;

	while (i < n) {
		uint32_t cp;

		if (s[i] < 0x80) {
			char c = (char)s[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c + 0x20);
			rc = put(b, &c, 1);
			i++;
		} else {
			cp = u8_decode(s + i, n - i, &used);
			if (cp == BAD_CP) {
				rc = put(b, s + i, 1);
			} else {
				unsigned info = viet_info(cp);

				if (info)
					cp = sach__viet_compose[info & 0x0F][(info >> 4) & 7][0];
				else
					cp = simple_lower(cp);
				rc = put_cp(b, cp);
			}
			i += used;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Whether the y (any tone, ylen bytes) at p may be folded to i by
 * sach_viet_fold_key(): it must end its token and follow a consonant (the
 * exact test, on the parse, is in fold_token()). lo as for token_start().
 */
static int y_suspect(const unsigned char *s, size_t len, size_t lo, size_t p,
		     size_t ylen)
{
	size_t j, used;
	unsigned cls;

	if (p <= lo)
		return 0;
	cls = cls_before(s, lo, p, &j);
	if (!(cls & CLS_LETTER) || (cls & CLS_VOWEL))
		return 0;
	return p + ylen >= len ||
	       !(char_cls(s + p + ylen, len - p - ylen, &used) & CLS_LETTER);
}

/* Appends the fold key form of the token [q, e) of text, decoded in t. */
static int fold_token(sach_buf *out, const char *text, size_t q, size_t e,
		      const tok *t)
{
	const unsigned char *s = (const unsigned char *)text;
	parse p;
	int target, fold_y = -1;

	if (t->nmarks == 0 && !t->has_y)
		return put_lower_run(out, s + q, e - q);
	analyse(t, &p);
	if (t->too_long || t->foreign || !p.parsed || !p.well_formed ||
	    p.whitelisted)
		return put_lower_run(out, s + q, e - q);
	target = retone_target(t, &p, SACH_TONE_STYLE_OLD);
	/* lone i/y after a consonant onset other than qu, gi */
	if (p.onset_len > 0 && !p.onset_qu && !p.onset_gi &&
	    p.ve - p.vs == 1 && !p.coda && t->id[p.vs] == ID_Y)
		fold_y = p.vs;
	return emit_token(out, text + q, t, &p, target, 1, fold_y);
}

#if defined(__SSE2__) && defined(__GNUC__)
/*
 * sach_viet_fold_key() on the 16 bytes at p (p[-1] to p[17] readable),
 * coming right after a character that is not a space, when the block
 * needs no more than lowercasing in place: writes the lowercase to o and
 * returns 16 (15 when the last byte is a space, which is left to the
 * caller), or returns 0 with nothing written. Capitals are ASCII, Latin-1
 * (C3 80-9E but the multiplication sign), the Vietnamese letters of
 * U+0100-U+01B0 and U+1EA0-U+1EF9 (the last byte goes up by 1); a capital
 * cut by the block's end, Greek and Cyrillic, NEL and NBSP, controls, two
 * spaces in a row, E2/E3 leads (the other Unicode spaces), U+1680 and any y
 * that may fold (an ASCII y after an ASCII consonant or d-stroke and not
 * before an ASCII letter; y with a tone mark always) give 0.
 */
static inline size_t fold_block16(const unsigned char *p, char *o)
{
	const __m128i one = _mm_set1_epi8(1), low = _mm_set1_epi8(0x20);
	__m128i xm = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
	__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
	__m128i lm = _mm_or_si128(xm, low), l0 = _mm_or_si128(x0, low);
	__m128i l1 = _mm_or_si128(x1, low);
	__m128i bad, t, up1, up20, up2;
	unsigned sp;

#define EQ(x, v) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(v)))
#define OR(a, b) _mm_or_si128((a), (b))
#define AND(a, b) _mm_and_si128((a), (b))
	/* controls (whitespace among them), NEL, NBSP, Greek, Cyrillic,
	 * E2/E3, U+1680 */
	bad = bytes_in_range(x0, 0x00, 0x1F);
	bad = OR(bad, AND(EQ(x0, 0xC2), OR(EQ(x1, 0x85), EQ(x1, 0xA0))));
	bad = OR(bad, bytes_in_range(x0, 0xCE, 0xD4));
	bad = OR(bad, bytes_in_range(x0, 0xE2, 0xE3));
	bad = OR(bad, AND(EQ(x0, 0xE1), EQ(x1, 0x9A)));
	/* y with a tone mark (C3 BD, C3 9D, E1 BB B2-B9); ASCII y after an
	 * ASCII consonant or a d-stroke (x 90/91), not before a letter */
	bad = OR(bad, AND(EQ(x0, 0xC3), EQ(l1, 0xBD)));
	bad = OR(bad, AND(AND(EQ(x0, 0xE1), EQ(x1, 0xBB)), bytes_in_range(x2, 0xB2, 0xB9)));
	t = OR(OR(EQ(lm, 'a'), EQ(lm, 'e')), OR(OR(EQ(lm, 'i'), EQ(lm, 'o')), EQ(lm, 'u')));
	t = _mm_andnot_si128(t, bytes_in_range(lm, 'a', 'z'));
	t = OR(t, bytes_in_range(xm, 0x90, 0x91));
	t = AND(t, _mm_andnot_si128(bytes_in_range(l1, 'a', 'z'), EQ(l0, 'y')));
	bad = OR(bad, t);
	/* capitals, at their lead byte: ASCII (+0x20 there), Latin-1 but
	 * the multiplication sign (+0x20 on the next byte), the Vietnamese
	 * ones of U+0100-U+01B0 (+1 on the next), U+1EA0-U+1EF9 (+1 two
	 * bytes on); the byte to change must be in the block */
	up20 = AND(EQ(x0, 0xC3), _mm_andnot_si128(EQ(x1, 0x97), bytes_in_range(x1, 0x80, 0x9E)));
	up1 = AND(EQ(x0, 0xC4), OR(OR(EQ(x1, 0x82), EQ(x1, 0x90)), EQ(x1, 0xA8)));
	up1 = OR(up1, AND(EQ(x0, 0xC5), EQ(x1, 0xA8)));
	up1 = OR(up1, AND(EQ(x0, 0xC6), OR(EQ(x1, 0xA0), EQ(x1, 0xAF))));
	up2 = AND(AND(EQ(x0, 0xE1), EQ(AND(x2, one), 0)),
		  OR(AND(EQ(x1, 0xBA), bytes_in_range(x2, 0xA0, 0xBF)),
		     AND(EQ(x1, 0xBB), bytes_in_range(x2, 0x80, 0xB9))));
	bad = OR(bad, AND(OR(up20, up1),
			  _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1)));
	bad = OR(bad, AND(up2,
			  _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1)));
	if (_mm_movemask_epi8(bad))
		return 0;
	sp = (unsigned)_mm_movemask_epi8(EQ(x0, ' '));
	if (sp & (sp >> 1))
		return 0;
	t = AND(bytes_in_range(x0, 'A', 'Z'), low);
	t = OR(t, AND(_mm_slli_si128(up20, 1), low));
	t = OR(t, AND(_mm_slli_si128(up1, 1), one));
	t = OR(t, AND(_mm_slli_si128(up2, 2), one));
#undef EQ
#undef OR
#undef AND
	_mm_storeu_si128((__m128i *)(void *)o, _mm_add_epi8(x0, t));
	return sp & 0x8000 ? 15 : 16;
}
#endif

/*
 * One pass that lowercases and folds whitespace, as the key wants for
 * every token that keeps its letters. Tokens that may change otherwise (a
 * mark that OLD style moves, found ahead by next_suspect(); a y that may
 * fold) are met at one of their letters: the lowercase copy written since
 * the token's start is taken back (lowercasing keeps every character's
 * length) and fold_token() writes the token.
 */
int sach_viet_fold_key(const char *text, size_t len, sach_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, floor = 0, ms;
	int rc, pending = 0, started = 0;
	char *o;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_fold_key: NULL argument");
	rc = reserve_out(out, len + 16);
	if (rc < 0)
		return rc;
	ms = next_suspect(s, len, 0, 0, SACH_TONE_STYLE_OLD);
	o = out->ptr + out->len;
	while (i < len) {
		unsigned c = s[i], cls;
		size_t used = 1, q, e;
		tok t;

#if defined(__SSE2__) && defined(__GNUC__)
		/* runs of text that stays as it is, 16 bytes at a time */
		if (!pending && started) {
			size_t n;

			while (i + 18 <= len && ms >= i + 16 &&
			       (n = fold_block16(s + i, o)) != 0) {
				o += n;
				i += n;
			}
			if (i >= len)
				break;
			c = s[i];
		}
#endif
		if (c < 0x80) {
			cls = sach__viet_cls[c];
		} else if (c >= 0xC2 && c <= 0xDF && i + 1 < len &&
			   (s[i + 1] & 0xC0) == 0x80) {
			cls = sach__viet_cls[((c & 0x1F) << 6) | (s[i + 1] & 0x3F)];
			used = 2;
		} else if (c == 0xE1 && i + 2 < len && (s[i + 1] & 0xFC) == 0xB8 &&
			   (s[i + 2] & 0xC0) == 0x80) {
			cls = sach__viet_cls[CLS_1E | ((s[i + 1] & 0x03) << 6) | (s[i + 2] & 0x3F)];
			used = 3;
		} else {
			/* anything else keeps its bytes (an invalid byte too) */
			uint32_t cp = u8_decode(s + i, len - i, &used);

			if (cp != BAD_CP && is_space(cp)) {
				pending = started;
			} else {
				if (pending)
					*o++ = ' ';
				pending = 0;
				started = 1;
				memcpy(o, s + i, used);
				o += used;
			}
			i += used;
			continue;
		}
		if (cls & CLS_SPACE) {
			pending = started;
			i += used;
			continue;
		}
		if (pending)
			*o++ = ' ';
		pending = 0;
		started = 1;
		if (i != ms && (!(cls & CLS_Y) || !y_suspect(s, len, floor, i, used))) {
			/* lowercase copy */
			if (used == 1) {
				*o++ = (char)(c + CLS_LOWER(cls));
			} else if (used == 2) {
				uint32_t cp = (((c & 0x1F) << 6) | (s[i + 1] & 0x3F)) + CLS_LOWER(cls);

				o[0] = (char)(0xC0 | (cp >> 6));
				o[1] = (char)(0x80 | (cp & 0x3F));
				o += 2;
			} else {
				o[0] = (char)s[i];
				o[1] = (char)s[i + 1];
				o[2] = (char)(s[i + 2] + CLS_LOWER(cls));
				o += 3;
			}
			i += used;
			continue;
		}
		/* a token that may change: take back what was written of it */
		q = token_start(s, i, floor);
		o -= i - q;
		out->len = (size_t)(o - out->ptr);
		e = q + tok_scan(text + q, len - q, &t);
		rc = fold_token(out, text, q, e, &t);
		if (rc == 0)
			rc = sach_buf_reserve(out, len - e + 16);
		if (rc < 0)
			return rc;
		o = out->ptr + out->len;
		i = floor = e;
		if (ms < e)
			ms = next_suspect(s, len, e, e, SACH_TONE_STYLE_OLD);
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

int sach_viet_skeleton(const char *text, size_t len, sach_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	int rc;
	char *o;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_skeleton: NULL argument");
	/* no character gets longer */
	rc = reserve_out(out, len);
	if (rc < 0)
		return rc;
	o = out->ptr + out->len;
	while (i < len) {
		unsigned c = s[i], cls;
		size_t used;

		if (c < 0x80) {
#if defined(__SSE2__) && defined(__GNUC__)
			/* ASCII: lowercase 16 bytes at a time */
			while (i + 16 <= len) {
				__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));

				if (_mm_movemask_epi8(x))
					break;
				x = _mm_add_epi8(x, _mm_and_si128(bytes_in_range(x, 'A', 'Z'),
								  _mm_set1_epi8(0x20)));
				_mm_storeu_si128((__m128i *)(void *)o, x);
				o += 16;
				i += 16;
			}
			if (i >= len || s[i] >= 0x80)
				continue;
			c = s[i];
#endif
			*o++ = (char)((c >= 'A' && c <= 'Z') ? c + 0x20 : c);
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			uint32_t cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);

			cls = sach__viet_cls[cp];
			if (cls & 0x0F)
				*o++ = id_plain[cls & 0x0F];
			else if (!is_combining(cp)) {
				o[0] = (char)c;
				o[1] = (char)s[i + 1];
				o += 2;
			}
			i += 2;
			continue;
		}
		if (c == 0xE1 && i + 2 < len && (s[i + 1] & 0xFC) == 0xB8 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			cls = sach__viet_cls[CLS_1E | ((s[i + 1] & 0x03) << 6) | (s[i + 2] & 0x3F)];
			if (cls & 0x0F) {
				*o++ = id_plain[cls & 0x0F];
			} else {
				memcpy(o, s + i, 3);
				o += 3;
			}
			i += 3;
			continue;
		}
		/* no Vietnamese letter or combining mark: keep the bytes */
		(void)u8_decode(s + i, len - i, &used);
		memcpy(o, s + i, used);
		o += used;
		i += used;
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pre-NFC repairs (VIETNAMESE.md 1.1)                                 */

static int is_tone_mark(uint32_t cp)
{
	return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 ||
	       cp == 0x0323 || cp == 0x0340 || cp == 0x0341;
}

static int is_quality_mark(uint32_t cp)
{
	return cp == 0x0302 || cp == 0x0306 || cp == 0x031B;
}

/* Combining form of a spacing tone character, or 0. */
static uint32_t spacing_tone(uint32_t cp)
{
	switch (cp) {
	case 0x00B4: case 0x02CA: case 0x1FFD: return 0x0301;
	case 0x02CB: return 0x0300;
	default: return 0;
	}
}

/* Latin letter for a Cyrillic or Greek lookalike, or 0. */
static uint32_t lookalike(uint32_t cp)
{
	switch (cp) {
	/* Cyrillic small a ie o er es u ha i(Ukrainian) */
	case 0x0430: return 'a';
	case 0x0435: return 'e';
	case 0x043E: return 'o';
	case 0x0440: return 'p';
	case 0x0441: return 'c';
	case 0x0443: return 'y';
	case 0x0445: return 'x';
	case 0x0456: return 'i';
	/* Cyrillic capitals A VE IE KA EM EN O ER ES TE HA I(Ukrainian) */
	case 0x0410: return 'A';
	case 0x0412: return 'B';
	case 0x0415: return 'E';
	case 0x041A: return 'K';
	case 0x041C: return 'M';
	case 0x041D: return 'H';
	case 0x041E: return 'O';
	case 0x0420: return 'P';
	case 0x0421: return 'C';
	case 0x0422: return 'T';
	case 0x0425: return 'X';
	case 0x0406: return 'I';
	/* Greek small alpha omicron rho */
	case 0x03B1: return 'a';
	case 0x03BF: return 'o';
	case 0x03C1: return 'p';
	/* Greek capitals Alpha Beta Epsilon Zeta Eta Iota Kappa Mu Nu
	 * Omicron Rho Tau Upsilon Chi */
	case 0x0391: return 'A';
	case 0x0392: return 'B';
	case 0x0395: return 'E';
	case 0x0396: return 'Z';
	case 0x0397: return 'H';
	case 0x0399: return 'I';
	case 0x039A: return 'K';
	case 0x039C: return 'M';
	case 0x039D: return 'N';
	case 0x039F: return 'O';
	case 0x03A1: return 'P';
	case 0x03A4: return 'T';
	case 0x03A5: return 'Y';
	case 0x03A7: return 'X';
	default: return 0;
	}
}

static int is_eth(uint32_t cp)
{
	return cp == 0xD0 || cp == 0xF0 || cp == 0x189 || cp == 0x256;
}

static int is_viet_mark(uint32_t cp)
{
	return is_tone_mark(cp) || is_quality_mark(cp) || cp == 0x030C ||
	       cp == 0x0311;
}

/* Base vowel of a code point for mark repairs: info byte, or 0 if the code
 * point is not a Vietnamese vowel. */
static unsigned vowel_info(uint32_t cp)
{
	unsigned info = viet_info(cp);

	return is_vowel_id(info & 0x0F) ? info : 0;
}

/*
 * Token context for the lookalike repairs: decided over the whole token
 * before anything is written.
 */
typedef struct rctx {
	int map_eth;
	int map_look;
	int map_caron; /* a with caron -> a-breve */
} rctx;

static void repair_context(const unsigned char *s, size_t n, rctx *c)
{
	size_t i = 0, used;
	int latin = 0, other_nonlatin = 0, nonviet = 0, eth = 0;
	int eth_first = 0, lower = 0, first = 1;

	while (i < n) {
		uint32_t cp = u8_decode(s + i, n - i, &used);

		if (cp < 0x80 ? is_ascii_alpha(cp) : viet_info(cp) != 0) {
			latin = 1;
			if (cp < 0x80 ? cp >= 'a' : !(viet_info(cp) & 0x80))
				lower = 1;
		} else if (is_eth(cp)) {
			eth = 1;
			if (first)
				eth_first = 1;
			if (cp == 0xF0 || cp == 0x256)
				lower = 1;
		} else if (cp == 0x01CE || cp == 0x01CD) {
			latin = 1;
			if (cp == 0x01CE)
				lower = 1;
		} else if (lookalike(cp)) {
			if (cp >= 0x03B1 && cp <= 0x03C9)
				lower = 1;
			if (cp >= 0x0430 && cp <= 0x045F)
				lower = 1;
		} else if (is_combining(cp)) {
			if (!is_viet_mark(cp))
				nonviet = 1;
		} else if (spacing_tone(cp) || is_apostrophe(cp)) {
			/* neutral */
		} else if (cp >= 0x370 && cp <= 0x52F) {
			other_nonlatin = 1;
		} else {
			nonviet = 1;
			latin = 1;
		}
		first = 0;
		i += used;
	}
	c->map_look = latin && !other_nonlatin;
	c->map_eth = eth && !nonviet && !other_nonlatin &&
		     (eth_first || !lower);
	c->map_caron = !nonviet && !other_nonlatin;
}

#define RMAX 8 /* marks handled per cluster */

/*
 * Writes one cluster: base (already mapped) and its marks (spacing tones
 * already made combining). Returns <0 on error, else 1 if the cluster was
 * changed by reordering (the caller tracks mapping changes itself).
 */
static int put_cluster(sach_buf *b, uint32_t base, uint32_t *m, int nm,
		       int *changed)
{
	unsigned info = vowel_info(base);
	uint32_t q[RMAX + 1], o[RMAX + 1];
	int nq = 0, no = 0, k, rc, tone_before_quality = 0, seen_tone = 0;

	if (info) {
		/* caron / inverted breve after a: breve */
		for (k = 0; k < nm; k++) {
			if ((m[k] == 0x030C || m[k] == 0x0311) &&
			    (info & 0x0F) == ID_A) {
				m[k] = 0x0306;
				*changed = 1;
			}
		}
		/* Only marks of the same combining class (230) can stand in the
		 * wrong order for NFC: acute/grave/hook/tilde before circumflex or
		 * breve. The dot below (220) and the horn (216) are put in order by
		 * NFC's canonical reordering, so "e + dot + circumflex" (canonical
		 * NFD, as macOS writes it) is not a repair. */
		for (k = 0; k < nm; k++) {
			if (is_tone_mark(m[k]) && m[k] != 0x0323)
				seen_tone = 1;
			else if ((m[k] == 0x0302 || m[k] == 0x0306) && seen_tone)
				tone_before_quality = 1;
		}
		/* precomposed toned plain vowel + quality mark: split it */
		if (((info >> 4) & 7) && ((info >> 4) & 7) != 5 && (info & 0x0F) != ID_AW &&
		    (info & 0x0F) != ID_AA && (info & 0x0F) != ID_EE &&
		    (info & 0x0F) != ID_OO && (info & 0x0F) != ID_OW &&
		    (info & 0x0F) != ID_UW) {
			for (k = 0; k < nm; k++)
				if (m[k] == 0x0302 || m[k] == 0x0306)
					break;
			if (k < nm) {
				unsigned id = info & 0x0F;

				o[no++] = tone_mark[(info >> 4) & 7];
				base = sach__viet_compose[id][0][info >> 7];
				tone_before_quality = 1;
			}
		}
		if (tone_before_quality) {
			for (k = 0; k < nm; k++)
				if (is_quality_mark(m[k]))
					q[nq++] = m[k];
			for (k = 0; k < nm; k++)
				if (!is_quality_mark(m[k]))
					o[no++] = m[k];
			*changed = 1;
			rc = put_cp(b, base);
			for (k = 0; k < nq && rc >= 0; k++)
				rc = put_cp(b, q[k]);
			for (k = 0; k < no && rc >= 0; k++)
				rc = put_cp(b, o[k]);
			return rc;
		}
	}
	rc = put_cp(b, base);
	for (k = 0; k < nm && rc >= 0; k++)
		rc = put_cp(b, m[k]);
	return rc;
}

/* Repairs one letter token [s, s+n). */
static int repair_token(sach_buf *b, const unsigned char *s, size_t n,
			size_t *repairs)
{
	rctx c;
	size_t i = 0, used;
	int rc;

	repair_context(s, n, &c);
	while (i < n) {
		uint32_t base = u8_decode(s + i, n - i, &used), orig = base, mapped;
		uint32_t m[RMAX];
		int nm = 0, changed = 0, has_tone;
		size_t start = i;

		i += used;
		if (c.map_eth && is_eth(base))
			base = (base == 0xD0 || base == 0x189) ? 0x110 : 0x111;
		else if (c.map_caron && base == 0x01CE)
			base = 0x0103;
		else if (c.map_caron && base == 0x01CD)
			base = 0x0102;
		else if (c.map_look && (mapped = lookalike(base)) != 0)
			base = mapped;
		if (base != orig)
			changed = 1;
		has_tone = (vowel_info(base) >> 4) & 7;
		while (i < n && nm < RMAX) {
			uint32_t cp = u8_decode(s + i, n - i, &used), st;

			if (is_combining(cp)) {
				if (is_tone_mark(cp))
					has_tone = 1;
				m[nm++] = cp;
			} else if ((st = spacing_tone(cp)) != 0 &&
				   vowel_info(base) && !has_tone) {
				m[nm++] = st;
				has_tone = 1;
				changed = 1;
			} else {
				break;
			}
			i += used;
		}
		if (!changed && nm == 0) {
			rc = put(b, s + start, i - start);
		} else {
			rc = put_cluster(b, base, m, nm, &changed);
		}
		if (rc < 0)
			return rc;
		if (changed && repairs)
			(*repairs)++;
	}
	return 0;
}

/* Like tok_scan(), but a spacing tone character right after a vowel (and
 * its combining marks) belongs to the token too. */
static size_t repair_token_end(const unsigned char *s, size_t n)
{
	size_t i = 0, used;
	int after_vowel = 0;

	while (i < n) {
		uint32_t cp = s[i] < 0x80 ? s[i] : u8_decode(s + i, n - i, &used);

		if (s[i] < 0x80)
			used = 1;
		if (is_letter(cp)) {
			if (!is_combining(cp))
				after_vowel = vowel_info(cp) != 0;
			i += used;
			continue;
		}
		if (spacing_tone(cp) && after_vowel) {
			after_vowel = 0;
			i += used;
			continue;
		}
		if (is_apostrophe(cp) && i > 0 && i + used < n) {
			size_t u2;
			uint32_t nx = u8_decode(s + i + used, n - i - used, &u2);

			if (is_letter(nx)) {
				after_vowel = 0;
				i += used;
				continue;
			}
		}
		break;
	}
	return i;
}

/*
 * Offset of the first byte in [s, s+n) that starts a character the repairs
 * may change (combining marks, Greek, Cyrillic, spacing tones, eth, African
 * D, a with caron), or n. Text before it can be copied as it is.
 */
static size_t find_trigger(const unsigned char *s, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__) && defined(__GNUC__)
	/* the same test on 16 lead bytes at a time (with the one or two
	 * bytes after each) */
	for (; i + 18 <= n; i += 16) {
		__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
		__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 2));
		__m128i t = bytes_in_range(x0, 0xCC, 0xD4);
		unsigned mask;

#define EQ(x, v) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(v)))
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xC2), EQ(x1, 0xB4)));
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xC3),
			EQ(_mm_or_si128(x1, _mm_set1_epi8(0x20)), 0xB0)));
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xC6), EQ(x1, 0x89)));
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xC7), bytes_in_range(x1, 0x8D, 0x8E)));
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xC9), EQ(x1, 0x96)));
		t = _mm_or_si128(t, _mm_and_si128(EQ(x0, 0xCB), bytes_in_range(x1, 0x8A, 0x8B)));
		t = _mm_or_si128(t, _mm_and_si128(_mm_and_si128(EQ(x0, 0xE1), EQ(x1, 0xBF)),
						  EQ(x2, 0xBD)));
#undef EQ
		mask = (unsigned)_mm_movemask_epi8(t);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i < n; i++) {
		unsigned char c = s[i];
		unsigned char d = i + 1 < n ? s[i + 1] : 0;

		if (c < 0xC2)
			continue;
		switch (c) {
		case 0xCC: case 0xCD: case 0xCE: case 0xCF: case 0xD0:
		case 0xD1: case 0xD2: case 0xD3: case 0xD4:
			return i;
		case 0xC2: if (d == 0xB4) return i; break;
		case 0xC3: if (d == 0x90 || d == 0xB0) return i; break;
		case 0xC6: if (d == 0x89) return i; break;
		case 0xC7: if (d == 0x8D || d == 0x8E) return i; break;
		case 0xC9: if (d == 0x96) return i; break;
		case 0xCB: if (d == 0x8A || d == 0x8B) return i; break;
		case 0xE1:
			if (d == 0xBF && i + 2 < n && s[i + 2] == 0xBD)
				return i;
			break;
		default:
			break;
		}
	}
	return n;
}

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

int sach_viet_repair_marks(const char *text, size_t len, sach_buf *out,
			   size_t *repairs)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, slow_until = 0;
	int rc;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_repair_marks: NULL argument");
	rc = reserve_out(out, len + 16);
	if (rc < 0)
		return rc;
	while (i < len) {
		size_t j = i, used, e;
		uint32_t cp;

		if (i >= slow_until) {
			/* copy up to the whitespace before the next trigger; tokens
			 * never cross ASCII whitespace */
			size_t t = i + find_trigger(s + i, len - i), q = t;

			if (t == len)
				return put(out, text + i, len - i);
			while (q > i && !is_ascii_space(s[q - 1]))
				q--;
			rc = put(out, text + i, q - i);
			if (rc < 0)
				return rc;
			i = q;
			slow_until = t + 1;
			if (i >= len)
				break;
			j = i;
		}
		while (j < len) {
			if (s[j] < 0x80) {
				if (is_ascii_alpha(s[j]))
					break;
				j++;
				continue;
			}
			cp = u8_decode(s + j, len - j, &used);
			if (is_letter(cp) || is_eth(cp))
				break;
			j += used;
		}
		if (j > i) {
			rc = put(out, text + i, j - i);
			if (rc < 0)
				return rc;
			i = j;
			if (i >= len)
				break;
		}
		e = i + repair_token_end(s + i, len - i);
		rc = repair_token(out, s + i, e - i, repairs);
		if (rc < 0)
			return rc;
		i = e;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Table checks                                                        */

int sach__viet_check_tables(void)
{
	unsigned k, count = 0;
	int n;

	for (k = 0; k < NVKEYS; k++) {
		unsigned a = k / 169, b = (k / 13) % 13, c = k % 13;
		unsigned nv = c ? 3u : b ? 2u : 1u;

		if (!vseqs[k].nv)
			continue;
		count++;
		/* every digit a vowel id, no gap before the last one */
		if (vseqs[k].nv != nv || a < ID_A || a > ID_Y ||
		    (nv >= 2 && (b < ID_A || b > ID_Y)) || (nv == 3 && c > ID_Y))
			return -1;
		if (vseqs[k].t_old >= nv || vseqs[k].t_new >= nv ||
		    vseqs[k].t_closed >= nv)
			return -1;
	}
	if (count != NVSEQ)
		return -1;
	/* the onset and coda tables against onset_class() and coda_bit(), on
	 * every string of one to three letters (a-z and d-stroke) */
	for (n = 1; n <= 3; n++) {
		unsigned total = n == 1 ? 27u : n == 2 ? 27u * 27u : 27u * 27u * 27u;

		for (k = 0; k < total; k++) {
			unsigned char b[3] = { 0, 0, 0 };
			unsigned x = k;
			int j;

			for (j = 0; j < n; j++, x /= 27)
				b[j] = (unsigned char)(x % 27 == 26 ? B_DD : 'a' + x % 27);
			if (onset_lookup(BKEY3(b[0], b[1], b[2])) != onset_class(b, n))
				return -1;
			if (n <= 2 && coda_lookup(BKEY2(b[0], b[1])) != coda_bit(b, n))
				return -1;
		}
	}
	/* the scanning classes against the character functions */
	for (k = 0; k < SACH__VIET_CLS_SIZE; k++) {
		uint32_t cp = k < CLS_1E ? k : SACH__VIET_CLS_1E_FIRST + (k - CLS_1E);
		unsigned info = viet_info(cp), id = info & 0x0F, want = info;

		if (cp < 0x80 && is_ascii_alpha(cp)) {
			want |= (cp | 0x20) << 8;
			if (!info)
				want |= cp < 'a' ? 0x80 : 0;
		} else if (info) {
			want |= (unsigned)id_base[id] << 8 | CLS_DIACRITIC;
		}
		if (is_letter(cp))
			want |= CLS_LETTER;
		if (is_letter(cp) && cp >= 0x80 && !info)
			want |= CLS_FOREIGN | '?' << 8;
		if (cp == '\'')
			want |= CLS_APOS | '\'' << 8;
		if ((info >> 4) & 7)
			want |= CLS_MARK;
		if (id == ID_Y)
			want |= CLS_Y;
		if (is_vowel_id(id))
			want |= CLS_VOWEL;
		if (is_space(cp))
			want |= CLS_SPACE;
		want |= ((info ? sach__viet_compose[id][(info >> 4) & 7][0] :
			  simple_lower(cp)) - cp) << SACH__VIET_CLS_LOWER_SHIFT;
		if (sach__viet_cls[k] != want || cp_cls(cp) != want)
			return -1;
#if defined(__SSE2__) && defined(__GNUC__)
		/* the block search for marks finds every marked letter */
		if (want & CLS_MARK) {
			unsigned char buf[32];

			memset(buf, 0, sizeof(buf));
			(void)u8_encode(cp, (char *)buf);
			if (!(mark_mask16(buf) & 1))
				return -1;
		}
#endif
	}
	return 0;
}
