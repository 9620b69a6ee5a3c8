/*
 * wordlist.c - words, word lists and the lexicon that matches them.
 *
 * A word is a whitespace-separated token with the punctuation at both ends
 * stripped ("(Dan" gives "Dan", "tri)" gives "tri", whatever the marks on
 * the letters). Words are compared in their folded form (sach_viet_fold_key:
 * lowercase, tone marks in the old style, i/y folded), so "XEM THEM" and
 * "xem them" (with e-circumflex) match and hoa with the grave on the a
 * matches hoa with the grave on the o, while diacritics still count: "cac"
 * and cac with an acute on the a are different words.
 * Nothing is ever matched on an ASCII-folded substring.
 *
 * The lexicon is one hash table keyed by n-gram keys (sach__ngram_key over
 * the words' keys): for each n-gram, which lists hold it as a whole entry,
 * as an entry anchored at a line start, or as the start of a longer entry.
 * So matching at a word extends the n-gram only while some entry still
 * starts that way; most words cost one lookup.
 *
 * The built-in lists are the files of lib/data/ embedded at build time by
 * scripts/gen-wordlists.py (wordlists_data.h in the build directory), parsed
 * here by the same code as users' own lists.
 */
#include "signals_internal.h"

#include "error_internal.h"
#include "sach/error.h"
#include "sach/viet.h"
#include "unicode_internal.h"
#include "wordlists_data.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
/* The hashes here are of a few bytes each (tokens, 10-grams, n-gram keys),
 * so the call into the shared library costs more than the hash: inline
 * libxxhash's own XXH3 (the same function, the same values). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* Characters                                                          */

#define BAD_CP 0xFFFFFFFFu

/* Decodes the code point at s[i] (i < len); *n gets its length. Invalid
 * UTF-8 gives BAD_CP with *n = 1. */
static inline uint32_t wl_decode(const unsigned char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp;

	if (s[i] < 0x80) {
		*n = 1;
		return s[i];
	}
	*n = sach__utf8_decode_fast(s + i, len - i, &cp);
	if (!*n) {
		*n = 1;
		return BAD_CP;
	}
	return cp;
}

/* Start of the code point that ends just before s[i] (i > 0). */
static size_t wl_prev(const unsigned char *s, size_t i)
{
	size_t j = i - 1;

	while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80)
		j--;
	return j;
}

/*
 * Letters, by block: Latin (with IPA and spacing modifiers), combining
 * marks, Greek, Cyrillic, and every other script's block, minus the blocks
 * of punctuation, symbols, private use and emoji. Approximate on purpose:
 * it only has to tell words from punctuation for the signals, and needs no
 * ICU on the hot path.
 */
static int wl_is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (c < 0x100)
		return c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
	if (c < 0x2000)
		return !(c >= 0x2B9 && c <= 0x2BF && c != 0x2BB) && c != 0x37E && c != 0x387;
	if (c < 0x2C00 || (c >= 0x2E00 && c <= 0x2E7F) || (c >= 0x3000 && c <= 0x303F))
		return 0;
	if (c >= 0xD800 && c <= 0xF8FF)
		return 0;
	if ((c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE6F) || c >= 0xFFF0)
		return c >= 0x10000 && !(c >= 0x1F000 && c <= 0x1FAFF) && c < 0xF0000 && c != BAD_CP;
	if (c >= 0xFF00 && c <= 0xFF65)
		return ((c | 0x20) >= 0xFF41 && (c | 0x20) <= 0xFF5A);
	return 1;
}

/* Latin letters, combining marks and IPA: the script of Vietnamese. */
static int wl_is_latin(uint32_t c)
{
	return c < 0x370 || (c >= 0x1E00 && c <= 0x1EFF);
}

/* Letters no other Latin-script language writes the way Vietnamese does:
 * a-breve, d-stroke, i-tilde, u-tilde, o-horn, u-horn (and capitals), and
 * every precomposed letter of U+1EA0-U+1EF9 (vowels with a dot below, a
 * hook above, or two marks). */
static int wl_is_vi_letter(uint32_t c)
{
	return c == 0x102 || c == 0x103 || c == 0x110 || c == 0x111 || c == 0x128 ||
	       c == 0x129 || c == 0x168 || c == 0x169 || c == 0x1A0 || c == 0x1A1 ||
	       c == 0x1AF || c == 0x1B0 || (c >= 0x1EA0 && c <= 0x1EF9);
}

/* Capital letters of Latin-1, Latin Extended-A and Vietnamese (the
 * Latin Extended Additional block alternates capital, small). */
static int wl_is_capital(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0xC0 && c <= 0xDE)
		return c != 0xD7;
	if (c >= 0x100 && c <= 0x17F)
		return !(c & 1) ^ (c >= 0x139 && c <= 0x148) ^ (c >= 0x179);
	if (c >= 0x1E00 && c <= 0x1EFF)
		return !(c & 1);
	return c == 0x1A0 || c == 0x1AF;
}

static int wl_is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static int wl_is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* Bullets that start list lines. */
static int wl_is_bullet(uint32_t c)
{
	switch (c) {
	case '-': case '*': case '+':
	case 0xB7:   /* middle dot */
	case 0x2013: /* en dash */
	case 0x2014: /* em dash */
	case 0x2022: /* bullet */
	case 0x2023: /* triangular bullet */
	case 0x2043: /* hyphen bullet */
	case 0x2192: /* rightwards arrow */
	case 0x25A0: /* black square */
	case 0x25AA: /* small black square */
	case 0x25BA: /* black right-pointing pointer */
	case 0x25CB: /* white circle */
	case 0x25CF: /* black circle */
	case 0x25E6: /* white bullet */
	case 0x2666: /* black diamond */
	case 0x2713: /* check mark */
	case 0x2714: /* heavy check mark */
		return 1;
	default:
		return 0;
	}
}

/* Characters that end a sentence or a quoted one. */
static int wl_is_terminal(uint32_t c)
{
	switch (c) {
	case '.': case '!': case '?': case ':': case ';': case '"': case '\'': case ')':
	case 0xBB:   /* right guillemet */
	case 0x2019: /* right single quotation mark */
	case 0x201D: /* right double quotation mark */
	case 0x2026: /* horizontal ellipsis */
		return 1;
	default:
		return 0;
	}
}

/* The byte windows-1252 shows as `c`, or -1: how UTF-8 read through a
 * one-byte decoder looks (VIETNAMESE.md 2.4). C1 controls stand for the
 * bytes windows-1252 leaves undefined. */
static int wl_cp1252_byte(uint32_t c)
{
	static const uint16_t hi[32] = {
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
	};
	int i;

	if (c >= 0x80 && c <= 0xFF)
		return (int)c;
	if (c < 0x152 || c > 0x2122)
		return -1;
	for (i = 0; i < 32; i++)
		if (hi[i] == c)
			return 0x80 + i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

uint64_t sach__word_key(const char *folded, size_t len)
{
	uint64_t k = XXH3_64bits(folded, len);

	return k ? k : 1;
}

uint64_t sach__ngram_key(uint64_t prev, uint64_t next)
{
	unsigned char b[8];
	uint64_t k;

	/* Little-endian bytes, so keys are the same on every machine (on a
	 * little-endian host the value's own bytes, stored at once: byte
	 * stores would stall the hash's wider loads). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(b, &next, sizeof(b));
#else
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(next >> (8 * i));
#endif
	k = XXH3_64bits_withSeed(b, sizeof(b), prev);
	return k ? k : 1;
}

/* The byte range of the word inside token s[0..len): from the first letter
 * or digit to the last one. start == end when there is none. */
static void wl_strip(const unsigned char *s, size_t len, size_t *start, size_t *end)
{
	size_t i = 0, n, e = len;
	uint32_t c;

	while (i < len) {
		c = wl_decode(s, len, i, &n);
		if (wl_is_letter(c) || wl_is_digit(c))
			break;
		i += n;
	}
	while (e > i) {
		size_t p = wl_prev(s, e);

		c = wl_decode(s, len, p, &n);
		if (p + n == e && (wl_is_letter(c) || wl_is_digit(c)))
			break;
		e = p;
	}
	*start = i;
	*end = e;
}

int sach__word_fold(const char *tok, size_t len, sach_buf *out, size_t *start, size_t *end)
{
	size_t a, b;

	wl_strip((const unsigned char *)tok, len, &a, &b);
	if (start)
		*start = a;
	if (end)
		*end = b;
	if (a == b)
		return SACH_OK;
	return sach_viet_fold_key(tok + a, b - a, out);
}

/* Appends to `buf` its own first `len` bytes (a folded word) with every run
 * of ASCII digits written "%d". The source is inside the buffer being
 * appended to, so the worst case (every byte a one-digit run, 2 bytes out
 * per byte in) is reserved first: an append that reallocated would free
 * the bytes still to be read. */
static int wl_pattern(sach_buf *buf, size_t len)
{
	size_t i = 0, o;
	const char *folded;
	char *out;
	int rc;

	if (len > SIZE_MAX / 2)
		return sach__error_nomem();
	rc = sach_buf_reserve(buf, 2 * len);
	if (rc < 0)
		return rc;
	folded = buf->ptr;
	out = buf->ptr + buf->len;
	o = 0;
	while (i < len) {
		if (wl_is_digit((unsigned char)folded[i])) {
			while (i < len && wl_is_digit((unsigned char)folded[i]))
				i++;
			out[o++] = '%';
			out[o++] = 'd';
		} else {
			out[o++] = folded[i++];
		}
	}
	buf->len += o;
	buf->ptr[buf->len] = '\0';
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Analysing a token                                                   */

/* Case-insensitive search for ASCII `needle` (lowercase) in s. */
static int wl_contains_ci(const unsigned char *s, size_t len, const char *needle)
{
	size_t m = strlen(needle), i, j;

	for (i = 0; i + m <= len; i++) {
		for (j = 0; j < m; j++)
			if ((s[i + j] | 0x20) != (unsigned char)needle[j])
				break;
		if (j == m)
			return 1;
	}
	return 0;
}

/* Does s[0..len) contain "://"? memchr for the ':' and a look at the two
 * bytes after it: on words of a few bytes, memmem's set-up cost more than
 * the search. */
static int wl_has_scheme(const unsigned char *s, size_t len)
{
	const unsigned char *p = s, *end = s + len;

	while (end - p >= 3 && (p = memchr(p, ':', (size_t)(end - p - 2))) != NULL) {
		if (p[1] == '/' && p[2] == '/')
			return 1;
		p++;
	}
	return 0;
}

/* URL: a scheme ("://") or a word starting "www.". E-mail: an '@' with a
 * letter or digit before it and a dot followed by a letter after it. */
static void wl_url_email(const unsigned char *s, size_t len, size_t a, size_t b, uint32_t *flags)
{
	const unsigned char *at;

	if (len >= 4 && (wl_has_scheme(s, len) ||
			 (b - a >= 4 && wl_contains_ci(s + a, 4, "www."))))
		*flags |= SACH__W_URL;
	at = memchr(s + a, '@', b - a);
	if (at && at > s + a) {
		const unsigned char *p = at + 1, *end = s + b;
		unsigned char before = at[-1];

		if ((before | 0x20) >= 'a' && (before | 0x20) <= 'z' ? 1 : wl_is_digit(before)) {
			for (; p + 1 < end; p++)
				if (*p == '.' && p > at + 1 && ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z')) {
					*flags |= SACH__W_EMAIL;
					break;
				}
		}
	}
}

/* Pass over the whole token: counts and mojibake. */
static void wl_scan_token(const unsigned char *s, size_t len, sach__word *w)
{
	size_t i = 0, n, dots = 0;
	int pending = 0, lead = 0;      /* UTF-8-as-windows-1252 state */
	int sym_after_letter = 0, prev_letter = 0;
	uint32_t c;

	while (i < len) {
		int b;

		c = wl_decode(s, len, i, &n);
		i += n;
		w->chars++;
		if (c == '.') {
			dots++;
		} else {
			w->ellipses += (uint32_t)(dots / 3);
			dots = 0;
		}
		if (c == '#')
			w->hashes++;
		else if (c == '{')
			w->flags |= SACH__W_CURLY;
		else if (c == 0x2026)
			w->ellipses++;
		if (c == BAD_CP || c == 0xFFFD || (c >= 0x80 && c <= 0x9F)) {
			w->moji++;
			pending = 0;
			prev_letter = 0;
			continue;
		}
		/* A Latin-1 symbol between two letters: legacy bytes (TCVN3,
		 * VNI) shown by a one-byte decoder. */
		if (sym_after_letter && wl_is_letter(c))
			w->moji++;
		sym_after_letter = prev_letter && c >= 0xA1 && c <= 0xBF && c != 0xB7;
		b = wl_cp1252_byte(c);
		if (pending > 0 && b >= 0x80 && b <= 0xBF) {
			w->moji += 1u + (unsigned)lead;
			lead = 0;
			pending--;
		} else {
			pending = 0;
			lead = 0;
			if (b >= 0xC2 && b <= 0xF4) {
				pending = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
				lead = 1;
			}
		}
		prev_letter = wl_is_letter(c);
	}
	w->ellipses += (uint32_t)(dots / 3);
}

int sach__word_analyse(const sach__lexicon *lx, const char *tok, size_t len,
		       sach_buf *scratch, sach__word *w)
{
	const unsigned char *s = (const unsigned char *)tok;
	sach__lang_facts f;
	size_t a, b, i, n, upper = 0;
	uint32_t c;
	int rc, counted, apos_ok = 1;

	memset(w, 0, sizeof(*w));
	memset(&f, 0, sizeof(f));
	if (!len)
		return SACH_OK;
	wl_scan_token(s, len, w);

	/* First and last characters of the token. */
	c = wl_decode(s, len, 0, &n);
	if (wl_is_bullet(c))
		w->flags |= SACH__W_BULLET;
	i = wl_prev(s, len);
	c = wl_decode(s, len, i, &n);
	if (wl_is_terminal(c))
		w->flags |= SACH__W_TERMINAL;
	if (c == 0x2026 || (len >= 3 && memcmp(s + len - 3, "...", 3) == 0))
		w->flags |= SACH__W_ELLIPSIS_END;
	if (len >= 10 && wl_contains_ci(s, len, "javascript"))
		w->flags |= SACH__W_JS;

	wl_strip(s, len, &a, &b);
	if (a == b) {
		/* Only punctuation: a letter may still hide in it (none by
		 * wl_strip's definition), so nothing else to learn. */
		return SACH_OK;
	}
	wl_url_email(s, len, a, b, &w->flags);

	/* The word's letters. */
	f.syllable = 1;
	f.ascii = 1;
	for (i = a; i < b; i += n) {
		c = wl_decode(s, b, i, &n);
		w->word_chars++;
		if (wl_is_letter(c)) {
			f.letters++;
			if (c < 0x80) {
				upper += c <= 'Z';
			} else {
				f.ascii = 0;
				if (!wl_is_latin(c))
					f.nonlatin = 1;
				else
					f.nonascii = 1;
				if (wl_is_vi_letter(c))
					f.vi_letter = 1;
			}
		} else if (wl_is_digit(c)) {
			f.digit = 1;
			f.syllable = 0;
		} else if (!wl_is_apostrophe(c) || !apos_ok) {
			f.syllable = 0;
		}
		apos_ok = wl_is_letter(c);
	}
	if (f.letters)
		w->flags |= SACH__W_LETTER;
	if (f.digit)
		w->flags |= SACH__W_DIGIT;
	f.acronym = f.ascii && f.letters >= 2 && upper == f.letters;
	c = wl_decode(s, b, a, &n);
	f.capital = wl_is_capital(c);

	sach_buf_clear(scratch);
	rc = sach_viet_fold_key(tok + a, b - a, scratch);
	if (rc < 0)
		return rc;
	w->key = sach__word_key(scratch->ptr, scratch->len);
	if (scratch->len == 5 && memcmp(scratch->ptr, "lorem", 5) == 0)
		w->flags |= SACH__W_LOREM;
	if (scratch->len == 5 && memcmp(scratch->ptr, "ipsum", 5) == 0)
		w->flags |= SACH__W_IPSUM;
	if (f.digit) {
		size_t at = scratch->len;

		rc = wl_pattern(scratch, at);
		if (rc < 0)
			return rc;
		w->pattern = sach__word_key(scratch->ptr + at, scratch->len - at);
	}

	if (f.syllable && f.letters) {
		sach_syllable syl;

		w->flags |= SACH__W_SYLLABLE;
		if (sach_viet_parse(tok + a, b - a, &syl) == 1) {
			w->flags |= SACH__W_WELLFORMED;
			f.wellformed = 1;
			if (syl.flags & SACH_SYL_DIACRITIC)
				w->flags |= SACH__W_DIACRITIC;
			if (syl.flags & SACH_SYL_OLD_STYLE)
				w->flags |= SACH__W_OLD;
			if (syl.flags & SACH_SYL_NEW_STYLE)
				w->flags |= SACH__W_NEW;
		}
	}
	if (lx) {
		const sach__lex_entry *e = sach__lex_find(lx, w->key);

		if (e && (e->full & SACH__LX_TEEN)) {
			w->flags |= SACH__W_TEENCODE;
			f.teencode = 1;
		}
		if (e && (e->full & SACH__LX_FOREIGN))
			f.foreign = 1;
		if (e && f.ascii && (e->full & SACH__LX_VIFREQ))
			f.vifreq = 1;
	}
	if (f.ascii && f.syllable && f.letters)
		f.skeleton = (unsigned)sach__skeleton_known(w->key);
	w->lang = sach__lang_evidence(&f, &counted);
	if (counted)
		w->flags |= SACH__W_LANG;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* The lexicon                                                         */

static int lex_grow(sach__lexicon *lx)
{
	size_t cap = lx->cap ? lx->cap * 2 : 1024, i;
	sach__lex_entry *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return sach__error_nomem();
	for (i = 0; i < lx->cap; i++) {
		const sach__lex_entry *e = &lx->slots[i];
		size_t j;

		if (!e->key)
			continue;
		j = (size_t)(e->key * 0x9E3779B97F4A7C15ull >> 32) & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *e;
	}
	free(lx->slots);
	lx->slots = slots;
	lx->cap = cap;
	return SACH_OK;
}

static sach__lex_entry *lex_slot(sach__lexicon *lx, uint64_t key)
{
	size_t i;

	if ((lx->count + 1) * 2 > lx->cap && lex_grow(lx) < 0)
		return NULL;
	i = (size_t)(key * 0x9E3779B97F4A7C15ull >> 32) & (lx->cap - 1);
	while (lx->slots[i].key && lx->slots[i].key != key)
		i = (i + 1) & (lx->cap - 1);
	if (!lx->slots[i].key) {
		lx->slots[i].key = key;
		lx->count++;
	}
	return &lx->slots[i];
}

void sach__lex_free(sach__lexicon *lx)
{
	if (!lx)
		return;
	free(lx->slots);
	memset(lx, 0, sizeof(*lx));
}

int sach__lex_copy(sach__lexicon *dst, const sach__lexicon *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src->cap)
		return SACH_OK;
	dst->slots = malloc(src->cap * sizeof(*dst->slots));
	if (!dst->slots)
		return sach__error_nomem();
	memcpy(dst->slots, src->slots, src->cap * sizeof(*dst->slots));
	dst->cap = src->cap;
	dst->count = src->count;
	dst->max_words = src->max_words;
	return SACH_OK;
}

/* Adds the diacritic-free spelling of stop-word `word` (folded) as
 * frequent-word evidence for language identification. */
static int lex_add_vifreq(sach__lexicon *lx, const char *word, size_t len, sach_buf *tmp)
{
	sach__lex_entry *e;
	size_t at;
	int rc;

	sach_buf_clear(tmp);
	rc = sach_viet_skeleton(word, len, tmp);
	at = tmp->len;
	if (rc == SACH_OK)
		rc = sach_viet_fold_key(tmp->ptr, at, tmp);
	if (rc < 0)
		return rc;
	e = lex_slot(lx, sach__word_key(tmp->ptr + at, tmp->len - at));
	if (!e)
		return SACH_ENOMEM;
	e->full |= (uint8_t)SACH__LX_VIFREQ;
	return SACH_OK;
}

/* One entry: the words of line[0..len) (anchor already removed). */
static int lex_add_entry(sach__lexicon *lx, unsigned bit, int anchored, const char *line,
			 size_t len, const char *name, size_t lineno, sach_buf *tmp,
			 sach_buf *word)
{
	uint64_t keys[SACH__LX_MAX_WORDS], key = 0;
	size_t i = 0, nw = 0;
	int k, rc, pattern = 0;

	while (i < len) {
		size_t j, a;

		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		for (j = i; j < len && line[j] != ' '; j++)
			;
		if (nw == SACH__LX_MAX_WORDS)
			return sach__error_set(SACH_ECONFIG, "%s:%zu: more than %d words in one entry",
					       name, lineno, SACH__LX_MAX_WORDS);
		/* "%d" stands for digits: write one, fold, then take the
		 * word's digit pattern as the key. */
		sach_buf_clear(word);
		for (a = i; a < j; a++) {
			if (line[a] == '%' && a + 1 < j && line[a + 1] == 'd') {
				rc = sach_buf_append(word, "0", 1);
				a++;
				pattern = 1;
			} else {
				rc = sach_buf_append(word, line + a, 1);
			}
			if (rc < 0)
				return rc;
		}
		sach_buf_clear(tmp);
		rc = sach__word_fold(word->ptr, word->len, tmp, NULL, NULL);
		if (rc < 0)
			return rc;
		if (!tmp->len)
			return sach__error_set(SACH_ECONFIG,
					       "%s:%zu: '%.*s' has no letter or digit", name,
					       lineno, (int)(j - i), line + i);
		if (pattern) {
			size_t at = tmp->len;

			rc = wl_pattern(tmp, at);
			if (rc < 0)
				return rc;
			keys[nw] = sach__word_key(tmp->ptr + at, tmp->len - at);
		} else {
			keys[nw] = sach__word_key(tmp->ptr, tmp->len);
			if (bit == SACH__LX_STOP) {
				rc = lex_add_vifreq(lx, tmp->ptr, tmp->len, word);
				if (rc < 0)
					return rc;
			}
		}
		nw++;
		i = j;
	}
	if (!nw)
		return sach__error_set(SACH_ECONFIG, "%s:%zu: entry without a word", name, lineno);
	if (pattern && nw > 1)
		return sach__error_set(SACH_ECONFIG,
				       "%s:%zu: \"%%d\" is allowed only in one-word entries",
				       name, lineno);
	for (k = 0; k < (int)nw; k++) {
		sach__lex_entry *e;

		key = k ? sach__ngram_key(key, keys[k]) : keys[0];
		e = lex_slot(lx, key);
		if (!e)
			return SACH_ENOMEM;
		if (k + 1 < (int)nw)
			e->prefix |= (uint8_t)bit;
		else if (anchored)
			e->anchored |= (uint8_t)bit;
		else
			e->full |= (uint8_t)bit;
	}
	if ((int)nw > lx->max_words)
		lx->max_words = (int)nw;
	return SACH_OK;
}

int sach__lex_add_text(sach__lexicon *lx, unsigned bit, const char *text, size_t len,
		       const char *name)
{
	sach_buf tmp = {0}, word = {0};
	size_t pos = 0, lineno = 0;
	int rc = SACH_OK;

	if (!lx->cap && (rc = lex_grow(lx)) < 0)
		return rc;
	while (pos < len && rc == SACH_OK) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos, a = 0, b = n;

		pos += n + (nl != NULL);
		lineno++;
		while (a < b && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r'))
			a++;
		while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '\r'))
			b--;
		if (a == b || line[a] == '#')
			continue;
		if (memchr(line + a, '\t', b - a)) {
			rc = sach__error_set(SACH_ECONFIG, "%s:%zu: tab inside an entry "
					     "(separate words with spaces)", name, lineno);
			break;
		}
		if (sach_utf8_check(line + a, b - a) != b - a) {
			rc = sach__error_set(SACH_ECONFIG, "%s:%zu: invalid UTF-8", name, lineno);
			break;
		}
		if (line[a] == '^')
			rc = lex_add_entry(lx, bit, 1, line + a + 1, b - a - 1, name, lineno,
					   &tmp, &word);
		else
			rc = lex_add_entry(lx, bit, 0, line + a, b - a, name, lineno, &tmp, &word);
	}
	sach_buf_free(&tmp);
	sach_buf_free(&word);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Built-in lists                                                      */

static const struct {
	const char *name;
	const char *text;
	size_t len;
	unsigned bit;
} wl_builtin[] = {
	{ "lib/data/wordlists/adult.txt", sach__wl_text_adult,
	  sizeof(sach__wl_text_adult) - 1, 1u << SACH_WORDLIST_ADULT },
	{ "lib/data/wordlists/gambling.txt", sach__wl_text_gambling,
	  sizeof(sach__wl_text_gambling) - 1, 1u << SACH_WORDLIST_GAMBLING },
	{ "lib/data/wordlists/boilerplate.txt", sach__wl_text_boilerplate,
	  sizeof(sach__wl_text_boilerplate) - 1, 1u << SACH_WORDLIST_BOILERPLATE },
	{ "lib/data/wordlists/policy.txt", sach__wl_text_policy,
	  sizeof(sach__wl_text_policy) - 1, 1u << SACH_WORDLIST_POLICY },
	{ "lib/data/stopwords-vi.txt", sach__wl_text_stopwords_vi,
	  sizeof(sach__wl_text_stopwords_vi) - 1, SACH__LX_STOP },
	{ "lib/data/wordlists/teencode.txt", sach__wl_text_teencode,
	  sizeof(sach__wl_text_teencode) - 1, SACH__LX_TEEN },
	{ "lib/data/wordlists/langid-foreign.txt", sach__wl_text_langid_foreign,
	  sizeof(sach__wl_text_langid_foreign) - 1, SACH__LX_FOREIGN },
};

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static sach__lexicon builtin_lex;
static int builtin_status;

static void builtin_build(void)
{
	size_t i;

	for (i = 0; i < sizeof(wl_builtin) / sizeof(wl_builtin[0]); i++) {
		builtin_status = sach__lex_add_text(&builtin_lex, wl_builtin[i].bit,
						    wl_builtin[i].text, wl_builtin[i].len,
						    wl_builtin[i].name);
		if (builtin_status < 0) {
			sach__lex_free(&builtin_lex);
			return;
		}
	}
}

const sach__lexicon *sach__lex_builtin(void)
{
	pthread_once(&builtin_once, builtin_build);
	if (builtin_status < 0) {
		sach__error_set(builtin_status, "built-in word lists unusable");
		return NULL;
	}
	return &builtin_lex;
}

const char *sach_wordlist_name(sach_wordlist list)
{
	static const char *const names[SACH_WORDLIST_COUNT] = {
		"adult", "gambling", "boilerplate", "policy"
	};

	return (unsigned)list < SACH_WORDLIST_COUNT ? names[list] : "?";
}
