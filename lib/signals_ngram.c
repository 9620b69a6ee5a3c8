/*
 * signals_ngram.c - repetition signals: the counting hash table, syllable
 * n-grams (Gopher repetition), character 10-grams, and phone numbers.
 *
 * N-grams are compared by key (sach__ngram_key over the folded syllables'
 * keys), never by string, so no n-gram is ever built in memory; a 64-bit
 * key collision between two different n-grams of one document is the only
 * way a count can be wrong, and is far less likely than a bit flip.
 */
#include "signals_internal.h"

#include "error_internal.h"
#include "sach/error.h"

#include <stdlib.h>
#include <string.h>
/* The hashes here are of a few bytes each (tokens, 10-grams, n-gram keys),
 * so the call into the shared library costs more than the hash: inline
 * libxxhash's own XXH3 (the same function, the same values). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* Counting table                                                      */

int sach__ct_reset(sach__count_table *t, size_t items)
{
	size_t want = 64;

	while (want < items * 2)
		want *= 2;
	if (want > t->cap) {
		uint64_t *s = malloc(want * sizeof(*s));

		if (!s)
			return sach__error_nomem();
		free(t->slots);
		t->slots = s;
		t->cap = want;
	}
	/* Only the part in use is cleared, so small documents stay cheap
	 * after a big one. */
	memset(t->slots, 0, want * sizeof(*t->slots));
	t->mask = want - 1;
	return SACH_OK;
}

void sach__ct_free(sach__count_table *t)
{
	if (!t)
		return;
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* Syllable n-grams                                                    */

/* The key of the k syllables from position i: XXH3 of their keys. */
static inline uint64_t ng_key(const uint64_t *keys, size_t i, size_t k)
{
	return XXH3_64bits(keys + i, k * sizeof(*keys));
}

/* Characters of the k syllables from i, with the k-1 spaces between. */
static inline uint64_t ng_len(const uint32_t *chars, size_t i, size_t k)
{
	uint64_t len = k - 1;
	size_t j;

	for (j = 0; j < k; j++)
		len += chars[i + j];
	return len;
}

#define NG_OK2 0x01u /* the 2-gram at this position occurs more than once */
#define NG_OK3 0x02u
#define NG_OK5 0x04u

/*
 * The most frequent k-gram (k = 2, 3, 4) if it occurs more than once: its
 * count times its length; ties go to the one that occurs first, as in
 * datatrove (Counter.most_common). Positions whose (k-1)-gram occurs once
 * are skipped (mask `need`): their k-gram occurs once too. Sets bit `ok`
 * at positions whose k-gram repeats.
 */
static int ng_top(sach__count_table *t, sach__ngram_scratch *sc, const uint64_t *keys,
		  const uint32_t *chars, size_t n, size_t k, unsigned need, unsigned ok,
		  uint64_t *covered)
{
	uint32_t best = 1;
	size_t i, items = 0, first = 0;
	int rc;

	for (i = 0; i + k <= n; i++)
		items += !need || (sc->ok[i] & need);
	rc = sach__ct_reset(t, items);
	if (rc < 0)
		return rc;
	for (i = 0; i + k <= n; i++)
		if (!need || (sc->ok[i] & need))
			sc->slot[i] = (uint32_t)sach__ct_add(t, ng_key(keys, i, k));
	for (i = 0; i + k <= n; i++) {
		uint32_t c;

		if (need && !(sc->ok[i] & need))
			continue;
		c = sach__ct_count(t, sc->slot[i]);
		if (c > 1)
			sc->ok[i] |= (uint8_t)ok;
		if (c > best) {
			best = c;
			first = i;
		}
	}
	*covered = best > 1 ? (uint64_t)best * ng_len(chars, first, k) : 0;
	return SACH_OK;
}

/*
 * Gopher repetition, as datatrove computes it but over syllables:
 *  - top n-gram (n = 2, 3, 4): see ng_top();
 *  - duplicate n-grams (n = 5 .. 10): a left-to-right scan that adds an
 *    n-gram's length each time it repeats one seen before and then jumps
 *    past it (so the first occurrence is not counted and overlapping
 *    repeats are not counted twice); n-grams jumped over are not
 *    remembered. A position whose 5-gram occurs once in the document can
 *    neither repeat nor be repeated, so only the others are looked at.
 * Both are divided by the characters of the whole text.
 */
int sach__ngram_signals(sach__count_table *t, sach__ngram_scratch *sc, const uint64_t *keys,
			const uint32_t *chars, size_t n, uint64_t total_chars,
			sach_signals *out)
{
	uint64_t covered[3] = { 0, 0, 0 }, dup;
	size_t i, k, items;
	int rc;

	if (n < 2 || !total_chars)
		return SACH_OK;
	if (n > sc->cap) {
		uint32_t *slot = realloc(sc->slot, n * sizeof(*slot));
		uint8_t *ok;

		if (!slot)
			return sach__error_nomem();
		sc->slot = slot;
		ok = realloc(sc->ok, n);
		if (!ok)
			return sach__error_nomem();
		sc->ok = ok;
		sc->cap = n;
	}
	memset(sc->ok, 0, n);
	rc = ng_top(t, sc, keys, chars, n, 2, 0, NG_OK2, &covered[0]);
	if (rc == SACH_OK)
		rc = ng_top(t, sc, keys, chars, n, 3, NG_OK2, NG_OK3, &covered[1]);
	if (rc == SACH_OK)
		rc = ng_top(t, sc, keys, chars, n, 4, NG_OK3, 0, &covered[2]);
	if (rc < 0)
		return rc;
	for (k = 0; k < 3; k++) {
		double v = (double)covered[k] / (double)total_chars;

		out->top_ngram_char_share[k] = v > 1.0 ? 1.0 : v;
	}
	if (n < 5)
		return SACH_OK;

	/* Which 5-grams repeat. */
	rc = sach__ct_reset(t, n - 4);
	if (rc < 0)
		return rc;
	for (i = 0; i + 5 <= n; i++)
		sc->slot[i] = (uint32_t)sach__ct_add(t, ng_key(keys, i, 5));
	items = 0;
	for (i = 0; i + 5 <= n; i++)
		if (sach__ct_count(t, sc->slot[i]) > 1) {
			sc->ok[i] |= NG_OK5;
			items++;
		}
	for (k = 5; k <= 10; k++) {
		size_t next_free = 0;

		dup = 0;
		if (items) {
			rc = sach__ct_reset(t, items);
			if (rc < 0)
				return rc;
			for (i = 0; i + k <= n; i++) {
				if (i < next_free || !(sc->ok[i] & NG_OK5))
					continue;
				if (sach__ct_count(t, sach__ct_add(t, ng_key(keys, i, k))) > 1) {
					dup += ng_len(chars, i, k);
					next_free = i + k;
				}
			}
		}
		out->dup_ngram_char_share[k - 5] = dup >= total_chars ? 1.0 :
			(double)dup / (double)total_chars;
	}
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Character 10-grams                                                  */

/* Texts longer than this are measured on a sample of their 10-grams. */
#define CR_EXACT_CHARS 4096
#define CR_SAMPLE_MASK 3u /* keep the 10-grams whose key has these bits 0 */

/*
 * Share of the character 10-grams (code points, spaces and line breaks
 * included) that occur more than once in the text, every occurrence
 * counted: a text written twice scores about 1, a text with no repeated
 * 10 characters 0. Over CR_EXACT_CHARS characters only the 10-grams whose
 * key falls in one quarter of the key space are counted: the sample is
 * chosen by content, so every occurrence of a sampled 10-gram is in it and
 * the share stays an unbiased estimate, at a quarter of the table work.
 */
int sach__char_repetition(sach__count_table *t, const char *text, size_t len, double *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t ring[10], i = 0, chars = 0;
	uint64_t grams = 0, repeated = 0, mask;
	int rc;

	*out = 0.0;
	for (i = 0; i < len; i++)
		chars += (s[i] & 0xC0) != 0x80;
	if (chars < 10)
		return SACH_OK;
	mask = chars > CR_EXACT_CHARS ? CR_SAMPLE_MASK : 0;
again:
	rc = sach__ct_reset(t, mask ? chars / 4 + 16 : chars);
	if (rc < 0)
		return rc;
	grams = repeated = 0;
	for (i = 0, chars = 0; i < len;) {
		size_t start = i;

		i++;
		while (i < len && (s[i] & 0xC0) == 0x80 && i - start < 4)
			i++;
		ring[chars % 10] = start;
		chars++;
		if (chars >= 10) {
			size_t from = ring[chars % 10]; /* the oldest of the ten */
			uint64_t key = XXH3_64bits(s + from, i - from);
			uint32_t c;

			if ((key >> 40) & mask)
				continue;
			c = sach__ct_count(t, sach__ct_add(t, key));
			grams++;
			repeated += c == 2 ? 2 : c > 2;
		}
	}
	if (mask && grams * 16 < chars) {
		/* The sample missed most of a text made of few distinct
		 * 10-grams (one letter repeated): count them all. */
		mask = 0;
		goto again;
	}
	*out = grams ? (double)repeated / (double)grams : 0.0;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Phone numbers                                                       */

static int ph_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int ph_alnum(unsigned char c)
{
	return ph_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Is the digit string d[0..n) a Vietnamese number (VIETNAMESE.md 5.1)?
 * `intl`: it followed +84 or (84); `spaced`: its groups were separated by
 * spaces or hyphens. */
static int ph_valid(const char *d, size_t n, int intl, int spaced)
{
	if (intl) {
		if (n && d[0] == '0') {
			d++;
			n--;
		}
		return (n == 9 && strchr("35789", d[0])) || (n == 10 && d[0] == '2');
	}
	if (n == 11 && d[0] == '8' && d[1] == '4' && strchr("35789", d[2]))
		return 1;
	if (d[0] == '0') {
		if (n == 10 && strchr("35789", d[1]))
			return 1; /* mobile */
		if (n == 11 && d[1] == '2')
			return 1; /* landline with 02x area code */
		if (n == 11 && d[1] == '1' && d[2] >= '2')
			return 1; /* mobile before the 2018 renumbering */
		return 0;
	}
	/* 1800 (free) and 1900 (premium) lines; not across spaces or
	 * hyphens, where they would be years (1900-1905) */
	return !spaced && n >= 8 && n <= 10 && d[0] == '1' && d[2] == '0' && d[3] == '0' &&
	       (d[1] == '8' || d[1] == '9');
}

uint64_t sach__count_phones(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	uint64_t count = 0;
	size_t i = 0;

	while (i < len) {
		char d[16];
		size_t ends[6], ndig[6], p = i, nd = 0;
		int groups = 0, intl = 0, spaced[6] = { 0 }, g, sp = 0;

		if (!(ph_digit(s[i]) || s[i] == '+' || s[i] == '(') || (i > 0 && ph_alnum(s[i - 1]))) {
			i++;
			continue;
		}
		if (s[p] == '(') {
			p++;
			if (p < len && s[p] == '+')
				p++;
			if (p + 2 < len && s[p] == '8' && s[p + 1] == '4' && s[p + 2] == ')') {
				intl = 1;
				p += 3;
				while (p < len && s[p] == ' ')
					p++;
			} else {
				i++;
				continue;
			}
		} else if (s[p] == '+') {
			if (p + 2 < len && s[p + 1] == '8' && s[p + 2] == '4') {
				intl = 1;
				p += 3;
				if (p < len && (s[p] == ' ' || s[p] == '.' || s[p] == '-'))
					p++;
			} else {
				i++;
				continue;
			}
		}
		/* Digit groups with one separator between them. */
		while (p < len && ph_digit(s[p]) && groups < 6) {
			while (p < len && ph_digit(s[p]) && nd < sizeof(d))
				d[nd++] = (char)s[p++];
			if (p < len && ph_digit(s[p]))
				break; /* too long to be a phone number */
			ends[groups] = p;
			ndig[groups] = nd;
			spaced[groups] = sp;
			groups++;
			if (p + 1 < len && (s[p] == ' ' || s[p] == '.' || s[p] == '-') &&
			    ph_digit(s[p + 1])) {
				sp |= s[p] == ' ' || s[p] == '-';
				p++;
			} else {
				break;
			}
		}
		for (g = groups - 1; g >= 0; g--) {
			size_t e = ends[g];

			if (e < len && ph_alnum(s[e]))
				continue;
			if (ph_valid(d, ndig[g], intl, spaced[g]))
				break;
		}
		if (g >= 0) {
			count++;
			i = ends[g];
		} else if (groups) {
			i = ends[0];
		} else {
			i = p > i ? p : i + 1;
		}
	}
	return count;
}
