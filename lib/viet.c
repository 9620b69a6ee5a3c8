/*
 * viet.c - Vietnamese syllables: parsing, validity, tone placement, fold
 * keys, skeletons and the pre-NFC mark repairs.
 *
 * Everything works on code points decoded here from UTF-8; no ICU. A token
 * is decoded once into small fixed arrays (at most SACH_VIET_MAX_LETTERS
 * characters), so the text functions allocate nothing per token: they only
 * grow the caller's output buffer.
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
	size_t i = 0, used;

	t->n = 0;
	t->too_long = t->foreign = t->diacritic = t->nmarks = t->has_y = 0;
	while (i < len) {
		uint32_t cp;
		unsigned info;
		int k = t->n, apos = 0;

		if (s[i] < 0x80) {
			cp = s[i];
			used = 1;
			if (!is_ascii_alpha(cp)) {
				if (cp != '\'')
					break;
				apos = 1;
			}
		} else {
			cp = u8_decode(s + i, len - i, &used);
			if (!is_letter(cp)) {
				if (cp != 0x2019)
					break;
				apos = 1;
			}
		}
		if (apos) {
			size_t u2;

			/* an apostrophe stays only between two letters */
			if (i == 0 || i + used >= len ||
			    !is_letter(u8_decode(s + i + used, len - i - used, &u2)))
				break;
		}
		if (k == MAXC) {
			t->too_long = 1;
			if (cp >= 0x80 && viet_info(cp))
				t->diacritic = 1;
			i += used;
			continue;
		}
		t->off[k] = (uint32_t)i;
		t->apos[k] = (unsigned char)apos;
		t->tone[k] = 0;
		t->upper[k] = 0;
		t->id[k] = 0;
		info = viet_info(cp);
		if (info) {
			t->id[k] = (unsigned char)(info & 0x0F);
			t->tone[k] = (unsigned char)((info >> 4) & 0x07);
			t->upper[k] = (unsigned char)(info >> 7);
			t->base[k] = id_base[info & 0x0F];
			if (cp >= 0x80)
				t->diacritic = 1;
			if (t->tone[k])
				t->nmarks++;
			if ((info & 0x0F) == ID_Y)
				t->has_y = 1;
		} else if (cp < 0x80 && !apos) {
			t->base[k] = (unsigned char)(cp | 0x20);
			t->upper[k] = cp < 'a';
		} else if (apos) {
			t->base[k] = '\'';
		} else {
			t->base[k] = '?';
			t->foreign = 1;
		}
		t->n++;
		i += used;
	}
	t->off[t->n] = (uint32_t)i;
	t->base[t->n] = '\0';
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

/*
 * Written vowel sequences (VIETNAMESE.md 3.1): allowed codas, flags and the
 * index of the vowel that carries the tone mark (Unikey's rule, 1.2): open
 * syllable old style, open new style, closed syllable. Sorted by key for
 * binary search; sach__viet_check_tables() verifies the order.
 */
static const struct vseq {
	uint16_t key;
	uint8_t nv;
	uint8_t codas;
	uint8_t flags;
	uint8_t t_old, t_new, t_closed;
} vseqs[] = {
	{ K1(ID_A), 1, CO_ALL, 0, 0, 0, 0 },
	{ K2(ID_A, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_A, ID_O), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_A, ID_U), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_A, ID_Y), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_AW), 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 0, 0, 0 },
	{ K1(ID_AA), 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 0, 0, 0 },
	{ K2(ID_AA, ID_U), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_AA, ID_Y), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_E), 1, CO_ALL, 0, 0, 0, 0 },
	{ K2(ID_E, ID_O), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_EE), 1, CO_C | CO_CH | CO_M | CO_N | CO_NH | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_EE, ID_U), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_I), 1, CO_C | CO_CH | CO_M | CO_N | CO_NH | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_I, ID_A), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_I, ID_EE), 2, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	{ K3(ID_I, ID_EE, ID_U), 3, 0, 0, 1, 1, 1 },
	{ K2(ID_I, ID_U), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_O), 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_O, ID_A), 2, CO_ALL, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	{ K3(ID_O, ID_A, ID_I), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K3(ID_O, ID_A, ID_Y), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_O, ID_AW), 2, CO_C | CO_M | CO_N | CO_NG | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_O, ID_E), 2, CO_N | CO_T, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	{ K3(ID_O, ID_E, ID_O), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_O, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_O, ID_O), 2, CO_C | CO_NG, VS_NEEDS_CODA, 1, 1, 1 },
	{ K1(ID_OO), 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_OO, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_OW), 1, CO_M | CO_N | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_OW, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_U), 1, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, 0, 0, 0, 0 },
	{ K2(ID_U, ID_A), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_U, ID_AA), 2, CO_N | CO_NG | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 1, 1, 1 },
	{ K3(ID_U, ID_AA, ID_Y), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_U, ID_EE), 2, CO_C | CO_CH | CO_N | CO_NH, VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_U, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_U, ID_OO), 2, CO_C | CO_M | CO_N | CO_NG | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	{ K3(ID_U, ID_OO, ID_I), 3, 0, 0, 1, 1, 1 },
	{ K2(ID_U, ID_OW), 2, 0, VS_MEDIAL, 1, 1, 1 },
	{ K2(ID_U, ID_Y), 2, CO_C | CO_CH | CO_N | CO_NH | CO_P | CO_T, VS_MEDIAL | VS_STYLED, 0, 1, 1 },
	{ K3(ID_U, ID_Y, ID_A), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K3(ID_U, ID_Y, ID_EE), 3, CO_N | CO_T, VS_NEEDS_CODA | VS_MEDIAL, 2, 2, 2 },
	{ K3(ID_U, ID_Y, ID_U), 3, 0, VS_MEDIAL, 1, 1, 1 },
	{ K1(ID_UW), 1, CO_C | CO_M | CO_N | CO_NG | CO_T, 0, 0, 0, 0 },
	{ K2(ID_UW, ID_A), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_UW, ID_I), 2, 0, 0, 0, 0, 0 },
	{ K2(ID_UW, ID_OW), 2, CO_C | CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	{ K3(ID_UW, ID_OW, ID_I), 3, 0, 0, 1, 1, 1 },
	{ K3(ID_UW, ID_OW, ID_U), 3, 0, 0, 1, 1, 1 },
	{ K2(ID_UW, ID_U), 2, 0, 0, 0, 0, 0 },
	{ K1(ID_Y), 1, CO_T, 0, 0, 0, 0 },
	{ K2(ID_Y, ID_EE), 2, CO_M | CO_N | CO_NG | CO_P | CO_T, VS_NEEDS_CODA, 1, 1, 1 },
	{ K3(ID_Y, ID_EE, ID_U), 3, 0, 0, 1, 1, 1 },
};

#define NVSEQ (sizeof(vseqs) / sizeof(vseqs[0]))

static const struct vseq *vseq_find(unsigned key)
{
	size_t lo = 0, hi = NVSEQ;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (vseqs[mid].key == key)
			return &vseqs[mid];
		if (vseqs[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int sach__viet_check_tables(void)
{
	size_t i;

	for (i = 1; i < NVSEQ; i++)
		if (vseqs[i - 1].key >= vseqs[i].key)
			return -1;
	for (i = 0; i < NVSEQ; i++) {
		unsigned k = vseqs[i].key;
		unsigned nv = (k % 13 ? 3u : (k / 13) % 13 ? 2u : 1u);

		if (nv != vseqs[i].nv || vseq_find(k) != &vseqs[i])
			return -1;
	}
	return 0;
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
		int quyn = p->onset_qu && q->key == K1(ID_Y) &&
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

int sach_viet_retone_text(const char *text, size_t len, sach_tone_style style,
			  sach_buf *out, sach_viet_counts *counts)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	int rc;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_retone_text: NULL argument");
	rc = check_style(style);
	if (rc < 0)
		return rc;
	rc = reserve_out(out, len + len / 16 + 16);
	if (rc < 0)
		return rc;
	while (i < len) {
		size_t j = i, used, e;
		uint32_t cp;
		tok t;
		parse p;
		int target;
		unsigned f;

		/* copy a run of non-letters */
		while (j < len) {
			if (s[j] < 0x80) {
				if (is_ascii_alpha(s[j]))
					break;
				j++;
				continue;
			}
			cp = u8_decode(s + j, len - j, &used);
			if (is_letter(cp))
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
		e = i + tok_scan(text + i, len - i, &t);
		if (!counts && t.nmarks == 0) {
			/* no tone mark: nothing to move */
			rc = put(out, text + i, e - i);
			if (rc < 0)
				return rc;
			i = e;
			continue;
		}
		analyse(&t, &p);
		target = retone_target(&t, &p, style);
		if (retone_needed(&p, target)) {
			rc = emit_token(out, text + i, &t, &p, target, 0, -1);
			if (counts)
				counts->retoned++;
		} else {
			rc = put(out, text + i, e - i);
		}
		if (rc < 0)
			return rc;
		if (counts) {
			f = syl_flags(&t, &p);
			counts->syllables++;
			counts->well_formed += !!(f & SACH_SYL_WELL_FORMED);
			counts->whitelisted += !!(f & SACH_SYL_WHITELISTED);
			counts->diacritics += !!(f & SACH_SYL_DIACRITIC);
			counts->old_style += !!(f & SACH_SYL_OLD_STYLE);
			counts->new_style += !!(f & SACH_SYL_NEW_STYLE);
			counts->misplaced += !!(f & (SACH_SYL_MISPLACED | SACH_SYL_DOUBLED));
			counts->ambiguous += !!(f & SACH_SYL_CONFLICT);
		}
		i = e;
	}
	return 0;
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

int sach_viet_fold_key(const char *text, size_t len, sach_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, used;
	int rc, pending_space = 0, started = 0;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_fold_key: NULL argument");
	rc = reserve_out(out, len + 16);
	if (rc < 0)
		return rc;
	while (i < len) {
		uint32_t cp;
		size_t e;
		tok t;
		parse p;
		int target, fold_y = -1;

		cp = s[i] < 0x80 ? s[i] : u8_decode(s + i, len - i, &used);
		if (s[i] < 0x80)
			used = 1;
		if (is_space(cp) && cp != BAD_CP) {
			pending_space = started;
			i += used;
			continue;
		}
		if (pending_space) {
			rc = put(out, " ", 1);
			if (rc < 0)
				return rc;
			pending_space = 0;
		}
		started = 1;
		if (cp == BAD_CP || !is_letter(cp)) {
			rc = cp == BAD_CP ? put(out, text + i, 1) :
			     put_lower_run(out, s + i, used);
			if (rc < 0)
				return rc;
			i += used;
			continue;
		}
		e = i + tok_scan(text + i, len - i, &t);
		if (t.nmarks == 0 && !t.has_y) {
			/* no mark to move, no y to fold: lowercase only */
			rc = put_lower_run(out, s + i, e - i);
			if (rc < 0)
				return rc;
			i = e;
			continue;
		}
		analyse(&t, &p);
		if (t.too_long || t.foreign || !p.parsed || !p.well_formed ||
		    p.whitelisted) {
			rc = put_lower_run(out, s + i, e - i);
		} else {
			target = retone_target(&t, &p, SACH_TONE_STYLE_OLD);
			/* lone i/y after a consonant onset other than qu, gi */
			if (p.onset_len > 0 && !p.onset_qu && !p.onset_gi &&
			    p.ve - p.vs == 1 && !p.coda && t.id[p.vs] == ID_Y)
				fold_y = p.vs;
			rc = emit_token(out, text + i, &t, &p, target, 1, fold_y);
		}
		if (rc < 0)
			return rc;
		i = e;
	}
	return 0;
}

int sach_viet_skeleton(const char *text, size_t len, sach_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, used;
	int rc;

	if ((!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "sach_viet_skeleton: NULL argument");
	rc = reserve_out(out, len);
	if (rc < 0)
		return rc;
	while (i < len) {
		uint32_t cp;
		unsigned info;

		if (s[i] < 0x80) {
			size_t j = i;

			/* ASCII run: lowercase in place */
			while (j < len && s[j] < 0x80)
				j++;
			rc = sach_buf_reserve(out, j - i);
			if (rc < 0)
				return rc;
			for (; i < j; i++) {
				char c = (char)s[i];

				out->ptr[out->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 0x20) : c;
			}
			out->ptr[out->len] = '\0';
			continue;
		}
		cp = u8_decode(s + i, len - i, &used);
		info = cp == BAD_CP ? 0 : viet_info(cp);
		if (info) {
			char c = id_plain[info & 0x0F];

			rc = put(out, &c, 1);
		} else if (is_combining(cp)) {
			rc = 0;
		} else {
			rc = put(out, text + i, used);
		}
		if (rc < 0)
			return rc;
		i += used;
	}
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
	size_t i;

	for (i = 0; i < n; i++) {
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
