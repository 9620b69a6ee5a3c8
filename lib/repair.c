/*
 * repair.c - automatic detection and repair of mojibake and legacy
 * Vietnamese encodings. The method and the thresholds are described in
 * sach/repair.h; this file follows it section by section:
 *
 *   1. character classes (windows-1252 / Latin-1 bytes, Vietnamese Latin-1
 *      letters) and the "odd character" rule shared by the scan and the
 *      scorer;
 *   2. the fast scan (no allocation, no decoding);
 *   3. the scorer (letter tokens parsed with sach_viet_parse);
 *   4. the candidate decodings (legacy module; UTF-8 mojibake undone per
 *      run of windows-1252 characters);
 *   5. the decisions (strict, and per line under the document's path).
 */
#include "sach/repair.h"
#include "sach/error.h"
#include "sach/legacy.h"
#include "sach/unicode.h"
#include "sach/viet.h"
#include "error_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Judge the document's path on at most this many bytes of its suspicious
 * lines: enough evidence, bounded cost on huge documents. */
#define RP_JUDGE_MAX ((size_t)1 << 20)

/* ------------------------------------------------ 1. character classes */

/* windows-1252 0x80-0x9F: the code point each byte shows (0 for the five
 * undefined bytes, which the sloppy decoder shows as C1 controls). */
static const uint16_t rp_w1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* The byte (0x80-0xFF) a reader using windows-1252 or Latin-1 saw as `cp`,
 * or -1 when neither shows cp for one byte (ASCII included). */
static int rp_byte_of(uint32_t cp)
{
	int k;

	if (cp <= 0xFF)
		return cp >= 0x80 ? (int)cp : -1;
	if (cp < 0x0152 || cp > 0x2122 || (cp > 0x02DC && cp < 0x2013) ||
	    (cp > 0x0192 && cp < 0x02C6) || (cp > 0x017E && cp < 0x0192))
		return -1;
	for (k = 0; k < 32; k++)
		if (rp_w1252_hi[k] == cp)
			return 0x80 + k;
	return -1;
}

/* The windows-1252 punctuation of 0x80-0x9F (quotes, dashes, ellipsis,
 * euro, ...): common in clean text, so never odd on their own. */
static bool rp_is_w1252_punct(uint32_t cp)
{
	return cp >= 0x2000 && cp <= 0x2122;
}

/* The 34 Vietnamese letters of Latin-1: A E I O U Y with the marks
 * Vietnamese gives them there (grave, acute, circumflex, tilde), both
 * cases. */
static bool rp_is_vnl1(uint32_t cp)
{
	static const uint32_t mask = /* bits for U+00C0..U+00DF */
		(1u << 0x00) | (1u << 0x01) | (1u << 0x02) | (1u << 0x03) | /* A */
		(1u << 0x08) | (1u << 0x09) | (1u << 0x0A) |               /* E */
		(1u << 0x0C) | (1u << 0x0D) |                              /* I */
		(1u << 0x12) | (1u << 0x13) | (1u << 0x14) | (1u << 0x15) | /* O */
		(1u << 0x19) | (1u << 0x1A) |                              /* U */
		(1u << 0x1D);                                              /* Y */

	if (cp >= 0xC0 && cp <= 0xDF)
		return (mask >> (cp - 0xC0)) & 1u;
	if (cp >= 0xE0 && cp <= 0xFF)
		return (mask >> (cp - 0xE0)) & 1u;
	return false;
}

static bool rp_ascii_letter(uint32_t c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool rp_ascii_vowel(uint32_t c)
{
	switch (c | 0x20) {
	case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
		return true;
	default:
		return false;
	}
}

/* Whether Vietnamese writes Latin-1 vowel `cp` right after ASCII vowel
 * `v`: oa/oe with the tone on the second vowel (hoa, khoe), u before y, e
 * and a with circumflex, o with circumflex (quy, que, quan, uon), qu + a,
 * e, i with a tone (qua, que, qui), gi + any vowel, y before e with
 * circumflex. */
static bool rp_vowel_pair_ok(uint32_t v, uint32_t cp)
{
	uint32_t l = cp | 0x20;

	switch (v | 0x20) {
	case 'o':
		return l == 0xE0 || l == 0xE1 || l == 0xE3 || l == 0xE8 || l == 0xE9;
	case 'u':
		return l == 0xFD || l == 0xEA || l == 0xE2 || l == 0xF4 ||
			l == 0xE0 || l == 0xE1 || l == 0xE3 || l == 0xE8 ||
			l == 0xE9 || l == 0xEC || l == 0xED;
	case 'i':
		return true;
	case 'y':
		return l == 0xEA;
	default:
		return false;
	}
}

/* Is the control character c odd (tab, LF, VT, FF and CR are not)? */
static bool rp_ctrl_odd(uint32_t c)
{
	return (c < 0x20 && (c < 0x09 || c > 0x0D)) || c == 0x7F;
}

/*
 * The odd-character rule (see sach/repair.h). `prev` is the code point
 * before cp (0 at the start; 0xFFFD after an invalid byte), `next` the byte
 * after it (0 at the end). Returns 0 (not odd), RP_WEAK (a Vietnamese
 * Latin-1 vowel after an ASCII vowel where Vietnamese does not write one:
 * French "ou" with a grave shows it too) or RP_STRONG (everything else).
 */
#define RP_WEAK 1
#define RP_STRONG 2

static int rp_odd(uint32_t prev, uint32_t cp, unsigned next)
{
	if (cp < 0x80)
		return rp_ctrl_odd(cp) ? RP_STRONG : 0;
	if (cp < 0xA0 || cp == 0xFFFD)
		return RP_STRONG;               /* C1 control, replacement */
	if (rp_byte_of(cp) < 0)
		return 0;                       /* not a windows-1252 character */
	if (prev >= 0x80 && rp_byte_of(prev) >= 0)
		return RP_STRONG;               /* two in a row */
	if (rp_is_vnl1(cp)) {
		if (cp < 0xE0 && prev >= 'a' && prev <= 'z')
			return RP_STRONG;       /* capital after lowercase */
		if (rp_ascii_vowel(prev) && !rp_vowel_pair_ok(prev, cp)) {
			/* i and o with grave after a or e: the CP1258 tone
			 * bytes for acute and dot below after a vowel */
			if (((prev | 0x20) == 'a' || (prev | 0x20) == 'e') &&
			    ((cp | 0x20) == 0xEC || (cp | 0x20) == 0xF2))
				return RP_STRONG;
			return RP_WEAK;
		}
		return 0;
	}
	if (rp_is_w1252_punct(cp) || cp == 0xA0)
		return 0;
	if (cp == 0xB0 && !rp_ascii_letter(prev))
		return 0;                       /* 20 degrees C */
	if ((cp == 0xB2 || cp == 0xB3 || cp == 0xB9) && !rp_ascii_letter(next))
		return 0;                       /* m2, km3 as superscripts */
	return rp_ascii_letter(prev) || rp_ascii_letter(next) ? RP_STRONG : 0;
}

/* VIQR: the modifier c fits vowel v (a^ e^ o^, a(, o+ u+). */
static bool rp_viqr_mod_fits(unsigned v, unsigned c)
{
	v |= 0x20;
	return (c == '^' && (v == 'a' || v == 'e' || v == 'o')) ||
		(c == '(' && v == 'a') || (c == '+' && (v == 'o' || v == 'u'));
}

/* 1 if s[i] starts a VIQR signature (see sach/repair.h), else 0. */
static int rp_viqr_at(const unsigned char *s, size_t len, size_t i)
{
	unsigned c = s[i], next = i + 1 < len ? s[i + 1] : 0;

	if (c == 'd' || c == 'D') {
		if (i > 0 && rp_ascii_letter(s[i - 1]))
			return 0;
		if (!(next == 'd' || (c == 'D' && next == 'D')))
			return 0;
		return i + 2 < len && rp_ascii_vowel(s[i + 2]);
	}
	if (i == 0 || !rp_ascii_vowel(s[i - 1]) || (i >= 2 && s[i - 2] == '\\'))
		return 0;
	switch (c) {
	case '^': case '(': case '+':
		return rp_viqr_mod_fits(s[i - 1], c);
	case '\'': case '`': case '~':
		return rp_ascii_letter(next) || (i >= 2 && rp_ascii_letter(s[i - 2]));
	case '?': case '.':
		return rp_ascii_letter(next);
	default:
		return 0;
	}
}

/* ------------------------------------------------------- 2. the scan */

typedef struct rp_stats {
	size_t bad;     /* invalid UTF-8 sequences */
	size_t odd;     /* odd characters (bad included) */
	size_t hi;      /* characters above ASCII */
	size_t viqr;    /* VIQR signatures */
} rp_stats;

/* Decodes one UTF-8 sequence at s[i] (s[i] >= 0x80); returns its length,
 * or 0 if ill-formed. */
static size_t rp_utf8_at(const unsigned char *s, size_t len, size_t i,
			 uint32_t *cp)
{
	unsigned c = s[i];
	size_t n, k;
	uint32_t v;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len - i < n)
		return 0;
	for (k = 1; k < n; k++) {
		unsigned b = s[i + k];

		if ((b & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (b & 0x3F);
	}
	if ((n == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (n == 4 && (v < 0x10000 || v > 0x10FFFF)))
		return 0;
	*cp = v;
	return n;
}

/* Bytes the scan must look at: everything above ASCII and the specials. */
static const unsigned char rp_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0,   /* ' ( + . */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,   /* ? */
	0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* D */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,   /* ^ */
	1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* ` d */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,   /* ~ DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
};

/*
 * One pass over the bytes; allocates nothing. A tight loop skips the
 * ordinary ASCII bytes; a Vietnamese letter of U+1EA0-U+1EF9 (lead byte
 * E1, then BA or BB) is passed over without decoding, as it can be neither
 * odd nor a byte a one-byte reader shows. Words are not counted here (see
 * rp_count_words).
 */
static void rp_scan(const unsigned char *s, size_t len, rp_stats *st)
{
	uint32_t last_cp = 0;   /* the last character above ASCII ... */
	size_t last_end = 0;    /* ... and the offset just after it */
	size_t i = 0;

	memset(st, 0, sizeof(*st));
	for (;;) {
		unsigned c;
		uint32_t cp, prev;
		size_t n;

		while (i < len && !rp_stop[s[i]])
			i++;
		if (i >= len)
			break;
		c = s[i];
		if (c < 0x80) {
			if (rp_ctrl_odd(c))
				st->odd++;
			else
				st->viqr += (size_t)rp_viqr_at(s, len, i);
			i++;
			continue;
		}
		st->hi++;
		if (c == 0xE1 && i + 2 < len && (s[i + 1] == 0xBA || s[i + 1] == 0xBB) &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			last_cp = 0x1EA0;       /* any such letter: not odd */
			last_end = i;
			continue;
		}
		prev = i == 0 ? 0 : (i == last_end ? last_cp : s[i - 1]);
		if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3Fu);
			n = 2;
		} else {
			n = rp_utf8_at(s, len, i, &cp);
		}
		if (n == 0) {
			st->bad++;
			st->odd++;
			i++;
			last_cp = 0xFFFD;
			last_end = i;
			continue;
		}
		i += n;
		if (rp_odd(prev, cp, i < len ? s[i] : 0) != 0)
			st->odd++;
		last_cp = cp;
		last_end = i;
	}
}

/* Runs of ASCII letters, for the VIQR density (only when VIQR is possible). */
static size_t rp_count_words(const unsigned char *s, size_t len)
{
	size_t i, words = 0;
	bool in_word = false;

	for (i = 0; i < len; i++) {
		bool l = rp_ascii_letter(s[i]) && s[i] < 0x80;

		words += l && !in_word;
		in_word = l;
	}
	return words;
}

static bool rp_viqr_dense(const unsigned char *s, size_t len, const rp_stats *st)
{
	return st->viqr >= 3 && st->viqr * 4 >= rp_count_words(s, len);
}

/* ----------------------------------------------------- 3. the scorer */

/* Frequent Vietnamese syllables, lowercase NFC, sorted by bytes (VIQR
 * spelling in the comments). Only a tie-breaker between two decodings that
 * are equally well-formed (VISCII and VPS read the same bytes as "cua"
 * with a hook or with a tilde). */
static const char *const rp_common[] = {
	"ai",                       /* ai */
	"anh",                      /* anh */
	"ba",                       /* ba */
	"bi\xE1\xBA\xBFt",          /* bie^'t */
	"b\xC3\xA0",                /* ba` */
	"b\xC3\xAAn",               /* be^n */
	"b\xE1\xBA\xA1n",           /* ba.n */
	"b\xE1\xBB\x8B",            /* bi. */
	"b\xE1\xBB\x91n",           /* bo^'n */
	"cha",                      /* cha */
	"cho",                      /* cho */
	"ch\xC3\xA0o",              /* cha`o */
	"ch\xC3\xADnh",             /* chi'nh */
	"ch\xC3\xBAng",             /* chu'ng */
	"ch\xE1\xBB\x89",           /* chi? */
	"ch\xE1\xBB\x8B",           /* chi. */
	"con",                      /* con */
	"c\xC3\xA1" "c",            /* ca'c */
	"c\xC3\xB2n",               /* co`n */
	"c\xC3\xB3",                /* co' */
	"c\xC3\xB4ng",              /* co^ng */
	"c\xC3\xB9ng",              /* cu`ng */
	"c\xC5\xA9ng",              /* cu~ng */
	"c\xE1\xBA\xA3",            /* ca? */
	"c\xE1\xBA\xA3m",           /* ca?m */
	"c\xE1\xBA\xA7n",           /* ca^`n */
	"c\xE1\xBB\xA7" "a",        /* cu?a */
	"d\xC3\xA2n",               /* da^n */
	"d\xC6\xB0\xE1\xBB\x9Bi",   /* du+o+'i */
	"em",                       /* em */
	"gia",                      /* gia */
	"gian",                     /* gian */
	"gi\xC3\xA0",               /* gia` */
	"gi\xC3\xA1",               /* gia' */
	"gi\xE1\xBB\xAF" "a",       /* giu+~a */
	"g\xC3\xAC",                /* gi` */
	"hai",                      /* hai */
	"hay",                      /* hay */
	"hi\xE1\xBB\x87n",          /* hie^.n */
	"h\xC3\xA0nh",              /* ha`nh */
	"h\xC6\xA1n",               /* ho+n */
	"h\xE1\xBB\x8D",            /* ho. */
	"h\xE1\xBB\x8D" "c",        /* ho.c */
	"h\xE1\xBB\x99i",           /* ho^.i */
	"khi",                      /* khi */
	"kh\xC3\xB4ng",             /* kho^ng */
	"kinh",                     /* kinh */
	"l\xC3\xA0",                /* la` */
	"l\xC3\xA0m",               /* la`m */
	"l\xC3\xAAn",               /* le^n */
	"l\xE1\xBA\xA1i",           /* la.i */
	"l\xE1\xBB\x9Bn",           /* lo+'n */
	"m\xC3\xA0",                /* ma` */
	"m\xC3\xACnh",              /* mi`nh */
	"m\xC6\xB0\xE1\xBB\x9Di",   /* mu+o+`i */
	"m\xE1\xBA\xB9",            /* me. */
	"m\xE1\xBB\x99t",           /* mo^.t */
	"m\xE1\xBB\x9Bi",           /* mo+'i */
	"nam",                      /* nam */
	"ngh\xC3\xACn",             /* nghi`n */
	"ngo\xC3\xA0i",             /* ngoa`i */
	"ng\xC3\xA0y",              /* nga`y */
	"ng\xC6\xB0\xE1\xBB\x9Di",  /* ngu+o+`i */
	"nhau",                     /* nhau */
	"nhi\xE1\xBB\x81u",         /* nhie^`u */
	"nh\xC3\xA0",               /* nha` */
	"nh\xC6\xB0",               /* nhu+ */
	"nh\xC6\xB0ng",             /* nhu+ng */
	"nh\xE1\xBA\xA5t",          /* nha^'t */
	"nh\xE1\xBB\x8F",           /* nho? */
	"nh\xE1\xBB\xAFng",         /* nhu+~ng */
	"n\xC3\xA0o",               /* na`o */
	"n\xC3\xA0y",               /* na`y */
	"n\xC3\xAAn",               /* ne^n */
	"n\xC3\xB3i",               /* no'i */
	"n\xC4\x83m",               /* na(m */
	"n\xC6\xB0\xE1\xBB\x9B" "c",/* nu+o+'c */
	"ph\xE1\xBA\xA3i",          /* pha?i */
	"ph\xE1\xBB\x91",           /* pho^' */
	"quan",                     /* quan */
	"qu\xE1\xBB\x91" "c",       /* quo^'c */
	"ra",                       /* ra */
	"r\xE1\xBA\xA5t",           /* ra^'t */
	"sau",                      /* sau */
	"sinh",                     /* sinh */
	"s\xC3\xA1ng",              /* sa'ng */
	"s\xE1\xBA\xBD",            /* se~ */
	"s\xE1\xBB\x91",            /* so^' */
	"s\xE1\xBB\x91ng",          /* so^'ng */
	"s\xE1\xBB\xB1",            /* su+. */
	"ta",                       /* ta */
	"theo",                     /* theo */
	"th\xC3\xA0nh",             /* tha`nh */
	"th\xC3\xAC",               /* thi` */
	"th\xE1\xBA\xBF",           /* the^' */
	"th\xE1\xBB\x83",           /* the^? */
	"th\xE1\xBB\x9Di",          /* tho+`i */
	"tin",                      /* tin */
	"ti\xE1\xBA\xBFng",         /* tie^'ng */
	"tri\xE1\xBB\x87u",         /* trie^.u */
	"trong",                    /* trong */
	"tr\xC3\xAAn",              /* tre^n */
	"tr\xC4\x83m",              /* tra(m */
	"tr\xC6\xB0\xE1\xBB\x9Dng", /* tru+o+`ng */
	"tr\xE1\xBA\xBB",           /* tre? */
	"tr\xE1\xBB\x8Dng",         /* tro.ng */
	"t\xC3\xB4i",               /* to^i */
	"t\xE1\xBA\xA1i",           /* ta.i */
	"t\xE1\xBA\xBF",            /* te^' */
	"t\xE1\xBB\x91i",           /* to^'i */
	"t\xE1\xBB\x9Bi",           /* to+'i */
	"t\xE1\xBB\xAB",            /* tu+` */
	"t\xE1\xBB\xB7",            /* ty? */
	"vi\xE1\xBB\x87" "c",       /* vie^.c */
	"vi\xE1\xBB\x87t",          /* vie^.t */
	"v\xC3\xA0",                /* va` */
	"v\xC3\xA0o",               /* va`o */
	"v\xC3\xAC",                /* vi` */
	"v\xE1\xBA\xABn",           /* va^~n */
	"v\xE1\xBB\x81",            /* ve^` */
	"v\xE1\xBB\x9Bi",           /* vo+'i */
	"xin",                      /* xin */
	"x\xC3\xA3",                /* xa~ */
	"\xC3\xB4ng",               /* o^ng */
	"\xC4\x91" "ang",           /* ddang */
	"\xC4\x91i",                /* ddi */
	"\xC4\x91i\xE1\xBB\x81u",   /* ddie^`u */
	"\xC4\x91\xC3\xA2y",        /* dda^y */
	"\xC4\x91\xC3\xA3",         /* dda~ */
	"\xC4\x91\xC3\xACnh",       /* ddi`nh */
	"\xC4\x91\xC3\xB3",         /* ddo' */
	"\xC4\x91\xC6\xB0\xE1\xBB\xA3" "c",/* ddu+o+.c */
	"\xC4\x91\xE1\xBA\xA7u",    /* dda^`u */
	"\xC4\x91\xE1\xBA\xB9p",    /* dde.p */
	"\xC4\x91\xE1\xBA\xBFn",    /* dde^'n */
	"\xC4\x91\xE1\xBB\x83",     /* dde^? */
	"\xC4\x91\xE1\xBB\x93ng",   /* ddo^`ng */
	"\xC4\x91\xE1\xBB\x99ng",   /* ddo^.ng */
	"\xC6\xA1n",                /* o+n */
	"\xE1\xBB\x9F",             /* o+? */
};

#define RP_NCOMMON (sizeof(rp_common) / sizeof(rp_common[0]))

/* Lowercase of a Vietnamese letter (ASCII, Latin-1, the Latin Extended
 * letters Vietnamese uses, U+1EA0-U+1EF9); other code points unchanged. */
static uint32_t rp_lower(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if (cp >= 0x1EA0 && cp <= 0x1EF9)
		return cp | 1u;
	switch (cp) {
	case 0x102: case 0x110: case 0x128: case 0x168: case 0x1A0:
		return cp + 1;
	case 0x1AF:
		return 0x1B0;
	default:
		return cp;
	}
}

static int rp_cmp_common(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* Whether a token (at most 15 bytes) is one of rp_common, any case. */
static bool rp_is_common(const char *tok, size_t len)
{
	const unsigned char *s = (const unsigned char *)tok;
	char low[24];
	size_t i = 0, o = 0;

	if (len > 15)
		return false;
	while (i < len) {
		uint32_t cp = s[i];
		size_t n = 1;

		if (cp >= 0x80 && (n = rp_utf8_at(s, len, i, &cp)) == 0)
			return false;
		cp = rp_lower(cp);
		if (cp < 0x80) {
			low[o++] = (char)cp;
		} else if (cp < 0x800) {
			low[o++] = (char)(0xC0 | (cp >> 6));
			low[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			low[o++] = (char)(0xE0 | (cp >> 12));
			low[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			low[o++] = (char)(0x80 | (cp & 0x3F));
		}
		i += n;
	}
	low[o] = '\0';
	return bsearch(low, rp_common, RP_NCOMMON, sizeof(rp_common[0]),
		       rp_cmp_common) != NULL;
}



typedef struct rp_score {
	size_t S;     /* letter tokens */
	size_t W;     /* clean well-formed tokens */
	size_t D;     /* tokens with a letter above ASCII */
	size_t DW;    /* clean well-formed tokens among D */
	size_t J;     /* odd characters (+ unmapped, added by the caller) */
	size_t Js;    /* of those, strong ones */
	size_t mixed; /* well-formed tokens in mixed case (cHuyEn) */
	size_t common; /* well-formed tokens among the frequent syllables */
	size_t letters; /* letter code points above ASCII */
	size_t viqr;  /* VIQR signatures */
} rp_score;

static bool rp_is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return rp_ascii_letter(cp);
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
		(cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Whether tok is exactly one code point. */
static bool rp_one_letter(const char *tok, size_t len)
{
	uint32_t cp;

	return len >= 2 && len <= 4 && (unsigned char)tok[0] >= 0x80 &&
		rp_utf8_at((const unsigned char *)tok, len, 0, &cp) == len;
}

/* A token counts as clean well-formed when it is well-formed, touches no
 * odd character and has no misplaced, doubled or conflicting tone mark
 * (wrong decodings make those; clean text rarely has them). */
static void rp_token_done(const char *tok, size_t len, bool hi, bool touch,
			  rp_score *sc)
{
	sach_syllable syl;
	bool wf;

	/* a lone letter above ASCII is no evidence either way: decoding turns
	 * symbols into such tokens (a French guillemet reads as VISCII e with
	 * circumflex and grave) */
	if (hi && rp_one_letter(tok, len))
		return;
	wf = !touch && sach_viet_parse(tok, len, &syl) == 1 &&
		!(syl.flags & (SACH_SYL_MISPLACED | SACH_SYL_DOUBLED |
			       SACH_SYL_CONFLICT));

	if (wf && syl.letter_case == SACH_CASE_MIXED)
		sc->mixed++;
	if (wf && rp_is_common(tok, len))
		sc->common++;

	sc->S++;
	sc->W += wf;
	if (hi) {
		sc->D++;
		sc->DW += wf;
	}
}

/* Scores text (valid UTF-8 or not: invalid bytes are odd separators). */
static void rp_score_text(const char *text, size_t len, rp_score *sc)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t prev = 0;
	size_t i = 0, tok = 0;
	bool in_tok = false, hi = false, touch = false, last_odd = false;

	memset(sc, 0, sizeof(*sc));
	while (i < len) {
		uint32_t cp;
		size_t n;
		int odd;
		bool letter;

		if (s[i] < 0x80) {
			cp = s[i];
			n = 1;
			if (rp_stop[cp])
				sc->viqr += (size_t)rp_viqr_at(s, len, i);
		} else if ((n = rp_utf8_at(s, len, i, &cp)) == 0) {
			cp = 0xFFFD;
			n = 1;
		}
		odd = rp_odd(prev, cp, i + n < len ? s[i + n] : 0);
		sc->J += odd != 0;
		sc->Js += odd == RP_STRONG;
		letter = rp_is_letter(cp);
		if (letter) {
			if (!in_tok) {
				in_tok = true;
				tok = i;
				hi = false;
				touch = last_odd;
			}
			hi |= cp >= 0x80;
			sc->letters += cp >= 0x80;
			touch |= odd != 0;
		} else if (in_tok) {
			rp_token_done(text + tok, i - tok, hi, touch || odd, sc);
			in_tok = false;
		}
		last_odd = odd != 0;
		prev = cp;
		i += n;
	}
	if (in_tok)
		rp_token_done(text + tok, len - tok, hi, touch, sc);
}

/* q with a pseudo-count of one, so that one foreign word in a short text
 * (a place name with o-horn) does not sink it: (DW + 1) / (D + 1). */
static double rp_q(const rp_score *sc)
{
	return (double)(sc->DW + 1) / (double)(sc->D + 1);
}

static double rp_share(const rp_score *sc)
{
	return sc->S ? (double)sc->W / (double)sc->S : 0.0;
}

/* --------------------------------------------- 4. candidate decodings */

/* The candidate paths, in order of preference for ties. */
enum {
	RP_UTF8_1 = 0,  /* UTF-8 read as windows-1252 / Latin-1 */
	RP_UTF8_2,      /* ... twice */
	RP_TCVN3,
	RP_VNI,
	RP_CP1258,
	RP_VISCII,
	RP_VPS,
	RP_VIQR,
	RP_NPATH,
	RP_NONE = -1
};

static const sach_encoding rp_path_source[RP_NPATH] = {
	SACH_ENC_UTF8, SACH_ENC_UTF8, SACH_ENC_TCVN3, SACH_ENC_VNI,
	SACH_ENC_CP1258, SACH_ENC_VISCII, SACH_ENC_VPS, SACH_ENC_VIQR
};

typedef struct rp_ctx {
	sach_buf bytes;              /* text as windows-1252 / Latin-1 bytes */
	sach_buf tmp;                /* first round of the double UTF-8 path */
	sach_buf cand[RP_NPATH];     /* candidate decodings */
	sach_buf judge;              /* the suspicious lines, joined */
	sach_buf judged_out;         /* what became of them */
} rp_ctx;

static void rp_ctx_free(rp_ctx *c)
{
	int k;

	sach_buf_free(&c->bytes);
	sach_buf_free(&c->tmp);
	sach_buf_free(&c->judge);
	sach_buf_free(&c->judged_out);
	for (k = 0; k < RP_NPATH; k++)
		sach_buf_free(&c->cand[k]);
}

/* Whether a two-byte sequence decoded from mojibake is believable: Latin,
 * combining marks, Greek, Cyrillic (not IPA, Hebrew, Arabic ..., which
 * clean text such as a capital E-acute before a closing quote can form). */
static bool rp_two_byte_ok(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x24F) || (cp >= 0x300 && cp <= 0x52F);
}

/* Letters at the end of buf (a token being built), as an offset. */
static size_t rp_token_tail(const sach_buf *buf)
{
	const unsigned char *b = (const unsigned char *)buf->ptr;
	size_t at = buf->len;

	while (at > 0 && buf->len - at < 32) {
		size_t st = at - 1;
		uint32_t cp;

		while (st > 0 && (b[st] & 0xC0) == 0x80 && at - st < 4)
			st--;
		if (b[st] < 0x80)
			cp = b[st];
		else if (rp_utf8_at(b, buf->len, st, &cp) != at - st)
			break;
		if (!rp_is_letter(cp))
			break;
		at = st;
	}
	return at;
}

/*
 * A strict windows-1252 reader turns the bytes 0x81 0x8D 0x8F 0x90 0x9D
 * into U+FFFD. Inside a sequence, such a U+FFFD is one of those five; the
 * choice is the first that makes the surrounding token a well-formed
 * syllable, else the first in an order that puts the Vietnamese letters
 * first (after C4: 0x90, d-stroke; after E1 BB: 0x9D o-horn-grave, 0x81
 * e-circumflex-grave, 0x8D o-dot, 0x8F o-hook, 0x90 capital o-circumflex-
 * acute; after C3: 0x81 A-acute, 0x8D I-acute, 0x9D Y-acute).
 */
static const unsigned char rp_lost_c3[5] = { 0x81, 0x8D, 0x9D, 0x8F, 0x90 };
static const unsigned char rp_lost_c4[5] = { 0x90, 0x81, 0x8D, 0x8F, 0x9D };
static const unsigned char rp_lost_any[5] = { 0x9D, 0x81, 0x8D, 0x8F, 0x90 };

static void rp_resolve_lost(unsigned char *seq, size_t m, const bool *wild,
			    const sach_buf *out, const unsigned char *suffix,
			    size_t nsuffix)
{
	const unsigned char *order = seq[0] == 0xC3 ? rp_lost_c3 :
		seq[0] == 0xC4 ? rp_lost_c4 : rp_lost_any;
	size_t tail = rp_token_tail(out), pre = out->len - tail, j;
	char tok[96];
	int o;

	for (o = 0; o < 5; o++) {
		sach_syllable syl;
		size_t n = 0;

		for (j = 0; j < m; j++)
			if (wild[j])
				seq[j] = order[o];
		if (pre + m + nsuffix > sizeof(tok))
			break;
		memcpy(tok, out->ptr + tail, pre);
		n = pre;
		memcpy(tok + n, seq, m);
		n += m;
		memcpy(tok + n, suffix, nsuffix);
		n += nsuffix;
		if (sach_viet_parse(tok, n, &syl) == 1)
			return;
	}
	for (j = 0; j < m; j++)
		if (wild[j])
			seq[j] = order[0];
}

/*
 * Undoes one round of UTF-8-read-as-windows-1252/Latin-1: every maximal
 * run of characters above ASCII that a one-byte reader shows is turned
 * back into its bytes, and the well-formed UTF-8 sequences of two or more
 * bytes in it are kept as decoded; the other characters stay as they were.
 * A U+FFFD right after such a character stands for a byte a strict reader
 * lost (see rp_resolve_lost). Appends to out; *changed counts the
 * sequences decoded; *latin1 is set if a C1 control other than the five
 * windows-1252 leaves undefined was seen (the reader was Latin-1).
 */
static int rp_unmojibake(const char *text, size_t len, sach_buf *out,
			 size_t *changed, bool *latin1)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	int rc;

	*changed = 0;
	if ((rc = sach_buf_reserve(out, len)) < 0)
		return rc;
	while (i < len) {
		unsigned char run[64];
		bool wild[64];
		size_t rs = i, nrun = 0, k, nsuf;
		uint32_t cp;
		size_t n;
		int b;

		/* copy up to the next run */
		while (i < len) {
			if (s[i] < 0x80) {
				i++;
				continue;
			}
			n = rp_utf8_at(s, len, i, &cp);
			if (n && rp_byte_of(cp) >= 0)
				break;
			i += n ? n : 1;
		}
		if (i > rs && (rc = sach_buf_append(out, s + rs, i - rs)) < 0)
			return rc;
		if (i >= len)
			break;
		/* a run of one-byte characters, in pieces of up to 64 bytes
		 * (cut only before a byte that cannot continue a sequence) */
		rs = i;
		while (i < len && nrun < sizeof(run)) {
			if (s[i] < 0x80)
				break;
			n = rp_utf8_at(s, len, i, &cp);
			if (n == 3 && cp == 0xFFFD && nrun > 0) {
				b = 0x80;       /* a lost continuation byte */
				wild[nrun] = true;
			} else if (!n || (b = rp_byte_of(cp)) < 0) {
				break;
			} else {
				wild[nrun] = false;
			}
			if (nrun >= sizeof(run) - 4 && (b & 0xC0) != 0x80)
				break;
			if (cp >= 0x80 && cp <= 0x9F && cp != 0x81 && cp != 0x8D &&
			    cp != 0x8F && cp != 0x90 && cp != 0x9D)
				*latin1 = true;
			run[nrun++] = (unsigned char)b;
			i += n;
		}
		for (nsuf = 0; i + nsuf < len && nsuf < 16 &&
		     rp_ascii_letter(s[i + nsuf]) && s[i + nsuf] < 0x80; nsuf++)
			;
		/* decode the run; s + rs walks the original characters */
		for (k = 0; k < nrun;) {
			uint32_t v;
			size_t m = rp_utf8_at(run, nrun, k, &v), j;
			bool lost = false;

			for (j = 0; j < m; j++)
				lost |= wild[k + j];
			bool take = m >= 2 && (m > 2 || rp_two_byte_ok(v) || lost) &&
				!wild[k];

			if (take && lost) {
				rp_resolve_lost(run + k, m, wild + k, out, s + i,
						k + m == nrun ? nsuf : 0);
				take = rp_utf8_at(run, nrun, k, &v) == m;
			}
			if (take) {
				if ((rc = sach_buf_append(out, run + k, m)) < 0)
					return rc;
				for (j = 0; j < m; j++)
					rs += rp_utf8_at(s, len, rs, &cp);
				k += m;
				(*changed)++;
			} else {
				size_t one = rp_utf8_at(s, len, rs, &cp);

				if ((rc = sach_buf_append(out, s + rs, one)) < 0)
					return rc;
				rs += one;
				k++;
			}
		}
	}
	return SACH_OK;
}

/*
 * Produces the decoding of text along path p into out (cleared first).
 * Returns 1 if the path applies and changes the text, 0 if not, negative
 * on error. *unmapped receives the decoder's unmapped count; *seen_as how
 * the bytes were read.
 */
static int rp_apply(rp_ctx *ctx, int p, const char *text, size_t len,
		    bool valid, sach_buf *out, size_t *unmapped,
		    sach_encoding *seen_as)
{
	size_t changed = 0;
	bool latin1 = false;
	int rc;

	sach_buf_clear(out);
	*unmapped = 0;
	if (p == RP_UTF8_1 || p == RP_UTF8_2) {
		if (!valid)
			return 0;
		if (p == RP_UTF8_1) {
			rc = rp_unmojibake(text, len, out, &changed, &latin1);
		} else {
			sach_buf_clear(&ctx->tmp);
			rc = rp_unmojibake(text, len, &ctx->tmp, &changed, &latin1);
			if (rc < 0)
				return rc;
			if (!changed)
				return 0;
			rc = rp_unmojibake(ctx->tmp.ptr, ctx->tmp.len, out,
					   &changed, &latin1);
		}
		if (rc < 0)
			return rc;
		*seen_as = latin1 ? SACH_ENC_LATIN1 : SACH_ENC_CP1252;
		return changed > 0;
	}
	if (p == RP_VIQR) {
		if (!valid)
			return 0;
		*seen_as = SACH_ENC_UTF8;
		rc = sach_legacy_decode(SACH_ENC_VIQR, text, len, out, unmapped);
	} else if (!valid) {
		/* raw legacy bytes */
		*seen_as = SACH_ENC_UTF8;
		rc = sach_legacy_decode(rp_path_source[p], text, len, out, unmapped);
	} else {
		size_t um = 0;

		sach_buf_clear(&ctx->bytes);
		if ((rc = sach_legacy_encode(SACH_ENC_CP1252, text, len,
					     &ctx->bytes, &um)) < 0)
			return rc;
		*seen_as = SACH_ENC_CP1252;
		if (um) {
			sach_buf_clear(&ctx->bytes);
			um = 0;
			if ((rc = sach_legacy_encode(SACH_ENC_LATIN1, text, len,
						     &ctx->bytes, &um)) < 0)
				return rc;
			*seen_as = SACH_ENC_LATIN1;
			if (um)
				return 0;
		}
		rc = sach_legacy_decode(rp_path_source[p], ctx->bytes.ptr,
					ctx->bytes.len, out, unmapped);
	}
	if (rc < 0)
		return rc;
	return out->len != len || memcmp(out->ptr, text, len) != 0;
}

/* ------------------------------------------------------ 5. decisions */

/* J for comparing with a path: VIQR signatures count as odd for VIQR. */
static size_t rp_junk(const rp_score *sc, int p)
{
	return sc->J + (p == RP_VIQR ? sc->viqr : 0);
}

static bool rp_accept_strict(const rp_score *o, const rp_score *c, int p)
{
	size_t s = o->S > c->S ? o->S : c->S;
	size_t gain = SACH_REPAIR_MIN_GAIN;

	/* one word of gain is enough for UTF-8 (valid multi-byte sequences
	 * are evidence in themselves), and for a text with a strong odd
	 * character that comes out entirely Vietnamese and clean */
	if (p <= RP_UTF8_2 || (o->Js > 0 && rp_junk(c, p) == 0 &&
			       c->DW == c->D && rp_share(c) >= SACH_REPAIR_FLOOR))
		gain = 1;

	/* VIQR splits words at its marks into fragments that are often
	 * syllables themselves (Vie^.t: "Vie", "t"), so it compares shares */
	bool rise = p == RP_VIQR ?
		rp_share(c) >= rp_share(o) + SACH_REPAIR_MARGIN :
		(double)c->W >= (double)o->W + SACH_REPAIR_MARGIN * (double)s;

	if (c->D == 0 || !rise ||
	    rp_q(c) < (p <= RP_UTF8_2 ? SACH_REPAIR_FLOOR_UTF8 : SACH_REPAIR_FLOOR) ||
	    c->DW < o->DW + gain ||
	    rp_junk(c, p) * SACH_REPAIR_JUNK_RATIO > rp_junk(o, p))
		return false;
	if (p == RP_VIQR && (c->DW < 3 || c->D * 3 < c->S))
		return false;
	return true;
}

/* A line under the document's path: no more odd characters, no fewer
 * clean well-formed tokens, and better in one of the two. */
static bool rp_accept_line(const rp_score *o, const rp_score *c, int p)
{
	size_t jo = rp_junk(o, p), jc = rp_junk(c, p);

	if (jc > jo || c->W < o->W || c->DW < o->DW)
		return false;
	/* fewer odd characters; or more clean well-formed tokens made from
	 * letters only (a superscript two or a guillemet that turns into a
	 * letter is not a repair) */
	return jc < jo || (c->DW > o->DW && c->letters <= o->letters);
}

/*
 * Tries every path on text; returns the best path that passes the strict
 * rule (its decoding in ctx->cand[p]) or RP_NONE.
 */
static int rp_select(rp_ctx *ctx, const char *text, size_t len,
		     sach_encoding *seen_as, int *err)
{
	rp_score o, c;
	bool valid = sach_utf8_check(text, len) == len;
	bool try_viqr;
	long best_rank = 0;
	int best = RP_NONE, p;

	*err = 0;
	rp_score_text(text, len, &o);
	try_viqr = valid && o.viqr >= 3 && o.viqr * 4 >= o.S;
	for (p = 0; p < RP_NPATH; p++) {
		size_t um;
		sach_encoding sa;
		long rank;
		int rc;

		if (p == RP_VIQR && !try_viqr)
			continue;
		rc = rp_apply(ctx, p, text, len, valid, &ctx->cand[p], &um, &sa);
		if (rc < 0) {
			*err = rc;
			return RP_NONE;
		}
		if (rc == 0)
			continue;
		rp_score_text(ctx->cand[p].ptr, ctx->cand[p].len, &c);
		c.J += um;
		if (!rp_accept_strict(&o, &c, p))
			continue;
		rank = 2 * (long)c.W - (long)c.S - (long)c.mixed -
			(long)rp_junk(&c, p) + (long)c.common;
		if (best == RP_NONE || rank > best_rank) {
			best = p;
			best_rank = rank;
			*seen_as = sa;
		}
	}
	return best;
}

static void rp_result_init(sach_repair_result *res)
{
	res->source = SACH_ENC_UTF8;
	res->seen_as = SACH_ENC_UTF8;
	res->rounds = 0;
	res->lines_repaired = 0;
	res->score_before = -1.0;
	res->score_after = -1.0;
}

static void rp_note(sach_repair_result *res, int p, sach_encoding seen_as)
{
	if (res->lines_repaired++ == 0) {
		res->source = rp_path_source[p];
		res->seen_as = seen_as;
		res->rounds = p == RP_UTF8_2 ? 2 : 1;
	}
}

/*
 * Whether text with these stats is worth trying the decodings on: invalid
 * UTF-8, VIQR signatures in a VIQR document, or at least one odd character
 * per RP_ODD_DENSITY runs of ASCII letters. Every mojibake path makes
 * several odd characters per word; a clean paragraph that names Koln with
 * an o-diaeresis has one in a hundred words, and no decoding could raise
 * its well-formed share by the margin anyway.
 */
#define RP_ODD_DENSITY 20

static bool rp_worth(const rp_stats *st, const char *text, size_t len,
		     bool doc_viqr)
{
	if (st->bad || (doc_viqr && st->viqr))
		return true;
	return st->odd && st->odd * RP_ODD_DENSITY >=
		rp_count_words((const unsigned char *)text, len);
}

static int rp_repair(rp_ctx *ctx, const char *text, size_t len,
		     bool doc_viqr, sach_buf *out, sach_repair_result *res)
{
	const char *end = text + len, *a;
	sach_encoding doc_seen = SACH_ENC_UTF8;
	size_t nsusp = 0;
	int doc_path, err, rc;
	sach_buf line_buf = {0};
	rp_score so, sc;

	/* the suspicious lines, judged together */
	for (a = text; a < end;) {
		const char *nl = memchr(a, '\n', (size_t)(end - a));
		const char *b = nl ? nl + 1 : end;
		rp_stats ls;

		rp_scan((const unsigned char *)a, (size_t)(b - a), &ls);
		if (ls.odd || (doc_viqr && ls.viqr)) {
			nsusp++;
			if (ctx->judge.len < RP_JUDGE_MAX &&
			    (rc = sach_buf_append(&ctx->judge, a, (size_t)(b - a))) < 0)
				return rc;
		}
		a = b;
	}
	doc_path = RP_NONE;
	if (ctx->judge.len) {
		rp_stats js;

		rp_scan((const unsigned char *)ctx->judge.ptr, ctx->judge.len, &js);
		if (rp_worth(&js, ctx->judge.ptr, ctx->judge.len, doc_viqr)) {
			doc_path = rp_select(ctx, ctx->judge.ptr, ctx->judge.len,
					     &doc_seen, &err);
			if (err < 0)
				return err;
		}
	}

	for (a = text; a < end;) {
		const char *nl = memchr(a, '\n', (size_t)(end - a));
		const char *b = nl ? nl + 1 : end;
		size_t n = (size_t)(b - a), at = out->len;
		bool valid, susp, done = false;
		rp_stats ls;
		int p;

		rp_scan((const unsigned char *)a, n, &ls);
		valid = ls.bad == 0;
		susp = ls.odd || (doc_viqr && ls.viqr);
		if (ls.hi == 0 && !(doc_viqr && ls.viqr)) {
			if ((rc = sach_buf_append(out, a, n)) < 0)
				goto fail;
			a = b;
			continue;
		}
		if (doc_path != RP_NONE) {
			size_t um;
			sach_encoding sa;

			rc = rp_apply(ctx, doc_path, a, n, valid, &line_buf, &um, &sa);
			if (rc < 0)
				goto fail;
			if (rc > 0) {
				rp_score_text(a, n, &so);
				rp_score_text(line_buf.ptr, line_buf.len, &sc);
				sc.J += um;
				if (rp_accept_line(&so, &sc, doc_path)) {
					if ((rc = sach_buf_append(out, line_buf.ptr,
								  line_buf.len)) < 0)
						goto fail;
					rp_note(res, doc_path, doc_seen);
					done = true;
				}
			}
		}
		if (!done && susp && !(nsusp == 1 && doc_path == RP_NONE) &&
		    rp_worth(&ls, a, n, doc_viqr)) {
			sach_encoding sa = SACH_ENC_UTF8;

			p = rp_select(ctx, a, n, &sa, &err);
			if (err < 0) {
				rc = err;
				goto fail;
			}
			if (p != RP_NONE) {
				if ((rc = sach_buf_append(out, ctx->cand[p].ptr,
							  ctx->cand[p].len)) < 0)
					goto fail;
				rp_note(res, p, sa);
				done = true;
			}
		}
		if (!done && (rc = sach_buf_append(out, a, n)) < 0)
			goto fail;
		if (susp && ctx->judged_out.len < RP_JUDGE_MAX &&
		    (rc = sach_buf_append(&ctx->judged_out, out->ptr + at,
					  out->len - at)) < 0)
			goto fail;
		a = b;
	}
	sach_buf_free(&line_buf);
	return SACH_OK;
fail:
	sach_buf_free(&line_buf);
	return rc;
}

int sach_repair_auto(const char *text, size_t len, sach_buf *out,
		     sach_repair_result *res)
{
	sach_repair_result local;
	rp_stats st;
	rp_ctx ctx;
	size_t start;
	rp_score before, after;
	bool viqr;
	int rc;

	if (!out || (!text && len))
		return sach__error_set(SACH_EINVAL,
			"sach_repair_auto: NULL argument");
	if (!res)
		res = &local;
	rp_result_init(res);
	if (!text)
		text = "";
	rp_scan((const unsigned char *)text, len, &st);
	viqr = rp_viqr_dense((const unsigned char *)text, len, &st);
	if (st.odd == 0 && !viqr)
		return sach_buf_append(out, text, len) < 0 ? SACH_ENOMEM : 0;

	memset(&ctx, 0, sizeof(ctx));
	start = out->len;
	rc = rp_repair(&ctx, text, len, viqr, out, res);
	if (rc >= 0) {
		rp_score_text(ctx.judge.ptr ? ctx.judge.ptr : "", ctx.judge.len,
			      &before);
		rp_score_text(ctx.judged_out.ptr ? ctx.judged_out.ptr : "",
			      ctx.judged_out.len, &after);
		res->score_before = rp_share(&before);
		res->score_after = rp_share(&after);
	}
	rp_ctx_free(&ctx);
	if (rc < 0) {
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
		return rc;
	}
	return res->lines_repaired > 0;
}
