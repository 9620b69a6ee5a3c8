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

/*
 * N-gram keys are built one syllable at a time: the key of the k-gram at i
 * is XXH3 of the key of the (k-1)-gram at i (as the seed) and the key of
 * syllable i+k-1, so each position's key is extended in place (sc->key)
 * from one n to the next, at the cost of one 8-byte hash per position and
 * n, whatever n is.
 */
static inline uint64_t ng_extend(uint64_t prev, uint64_t next)
{
	unsigned char b[8];

	/* Little-endian bytes, so keys are the same on every machine. On a
	 * little-endian host that is the value's own bytes: one 8-byte store
	 * the hash's loads can forward from, where eight byte stores made
	 * every key wait on a store-forwarding stall (a fifth of ng_count). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(b, &next, sizeof(b));
#else
	int j;

	for (j = 0; j < 8; j++)
		b[j] = (unsigned char)(next >> (8 * j));
#endif
	return XXH3_64bits_withSeed(b, sizeof(b), prev);
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

/* How far ahead table slots are prefetched, in positions. */
#define NG_AHEAD 8

/*
 * Counts the k-grams (k >= 2) at the `*m` positions pos[] (ascending),
 * extending their keys from the (k-1)-grams, and keeps in pos[] (in place,
 * still ascending) only those whose k-gram occurs more than once: the
 * next n looks at no other, since a k-gram that occurs once makes every
 * longer n-gram starting there occur once too, and leaving those out
 * changes no other count. Lists rather than per-position flags keep the
 * loops free of unpredictable branches. With `covered`, also the most
 * frequent k-gram if it occurs more than once: its count times its
 * length; ties go to the one that occurs first, as in datatrove
 * (Counter.most_common).
 */
static int ng_count(sach__count_table *t, sach__ngram_scratch *sc, const uint64_t *keys,
		    const uint32_t *chars, size_t n, size_t k, size_t *m, uint64_t *covered)
{
	uint32_t best = 1, *pos = sc->pos;
	size_t j, r = 0, first = 0, cnt = *m;
	int rc;

	while (cnt && pos[cnt - 1] + k > n)
		cnt--;
	rc = sach__ct_reset(t, cnt);
	if (rc < 0)
		return rc;
	for (j = 0; j < cnt; j++)
		sc->key[pos[j]] = ng_extend(sc->key[pos[j]], keys[pos[j] + k - 1]);
	for (j = 0; j < cnt; j++) {
		if (j + NG_AHEAD < cnt)
			sach__ct_prefetch(t, sc->key[pos[j + NG_AHEAD]]);
		sc->slot[j] = (uint32_t)sach__ct_add(t, sc->key[pos[j]]);
	}
	for (j = 0; j < cnt; j++) {
		uint32_t c = sach__ct_count(t, sc->slot[j]);
		uint32_t i = pos[j];

		if (c > best) {
			best = c;
			first = i;
		}
		pos[r] = i;
		r += c > 1;
	}
	if (covered)
		*covered = best > 1 ? (uint64_t)best * ng_len(chars, first, k) : 0;
	*m = r;
	return SACH_OK;
}

/*
 * Gopher repetition, as datatrove computes it but over syllables:
 *  - top n-gram (n = 2, 3, 4): see ng_count();
 *  - duplicate n-grams (n = 5 .. 10), when `dup`: a left-to-right scan
 *    that adds an n-gram's length each time it repeats one seen before and
 *    then jumps past it (so the first occurrence is not counted and
 *    overlapping repeats are not counted twice); n-grams jumped over are
 *    not remembered. A position whose 5-gram occurs once in the document
 *    can neither repeat nor be repeated, so only the others are looked at.
 * Both are divided by the characters of the whole text.
 */
int sach__ngram_signals(sach__count_table *t, sach__ngram_scratch *sc, const uint64_t *keys,
			const uint32_t *chars, size_t n, uint64_t total_chars, int dup,
			sach_signals *out)
{
	uint64_t covered[3] = { 0, 0, 0 }, d;
	size_t i, j, k, m;
	int rc;

	if (n < 2 || !total_chars)
		return SACH_OK;
	if (n > sc->cap) {
		uint32_t *slot = realloc(sc->slot, n * sizeof(*slot));
		uint64_t *key;
		uint32_t *pos;

		if (!slot)
			return sach__error_nomem();
		sc->slot = slot;
		key = realloc(sc->key, n * sizeof(*key));
		if (!key)
			return sach__error_nomem();
		sc->key = key;
		pos = realloc(sc->pos, n * sizeof(*pos));
		if (!pos)
			return sach__error_nomem();
		sc->pos = pos;
		sc->cap = n;
	}
	memcpy(sc->key, keys, n * sizeof(*keys));
	for (i = 0; i < n; i++)
		sc->pos[i] = (uint32_t)i;
	m = n;
	rc = ng_count(t, sc, keys, chars, n, 2, &m, &covered[0]);
	if (rc == SACH_OK)
		rc = ng_count(t, sc, keys, chars, n, 3, &m, &covered[1]);
	if (rc == SACH_OK)
		rc = ng_count(t, sc, keys, chars, n, 4, &m, &covered[2]);
	if (rc < 0)
		return rc;
	for (k = 0; k < 3; k++) {
		double v = (double)covered[k] / (double)total_chars;

		out->top_ngram_char_share[k] = v > 1.0 ? 1.0 : v;
	}
	if (n < 5 || !dup)
		return SACH_OK;

	/* Which 5-grams repeat (only where the 4-gram does). */
	rc = ng_count(t, sc, keys, chars, n, 5, &m, NULL);
	if (rc < 0)
		return rc;
	for (k = 5; k <= 10; k++) {
		size_t next_free = 0, items = m;

		d = 0;
		while (m && sc->pos[m - 1] + k > n)
			m--;
		if (items) {
			rc = sach__ct_reset(t, items);
			if (rc < 0)
				return rc;
			/* Every candidate's key is extended, jumped over or
			 * not: the next n needs it. */
			if (k > 5)
				for (j = 0; j < m; j++)
					sc->key[sc->pos[j]] = ng_extend(sc->key[sc->pos[j]],
									keys[sc->pos[j] + k - 1]);
			for (j = 0; j < m; j++) {
				i = sc->pos[j];
				if (j + NG_AHEAD < m)
					sach__ct_prefetch(t, sc->key[sc->pos[j + NG_AHEAD]]);
				if (i < next_free)
					continue;
				if (sach__ct_count(t, sach__ct_add(t, sc->key[i])) > 1) {
					d += ng_len(chars, i, k);
					next_free = i + k;
				}
			}
		}
		out->dup_ngram_char_share[k - 5] = d >= total_chars ? 1.0 :
			(double)d / (double)total_chars;
	}
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Character 10-grams                                                  */

/* Texts longer than this are measured on a sample of their 10-grams. */
#define CR_EXACT_CHARS 4096
#define CR_SAMPLE_MASK 3u /* keep the 10-grams whose key has these bits 0 */

#define CR_BATCH 16

/* Counts the 10-grams `keys`: a 10-gram seen c times in all adds 2 at its
 * second occurrence and 1 at each later one, c in all. */
static void cr_flush(sach__count_table *t, const uint64_t *keys, size_t n, uint64_t *grams,
		     uint64_t *repeated)
{
	size_t j;

	for (j = 0; j < n; j++) {
		uint32_t c = sach__ct_count(t, sach__ct_add(t, keys[j]));

		*repeated += c == 2 ? 2 : c > 2;
	}
	*grams += n;
}

/*
 * Share of the character 10-grams (code points, spaces and line breaks
 * included) that occur more than once in the text, every occurrence
 * counted: a text written twice scores about 1, a text with no repeated
 * 10 characters 0. Over CR_EXACT_CHARS characters only the 10-grams whose
 * key falls in one quarter of the key space are counted: the sample is
 * chosen by content, so every occurrence of a sampled 10-gram is in it and
 * the share stays an unbiased estimate, at a quarter of the table work.
 */
int sach__char_repetition(sach__count_table *t, const char *text, size_t len,
			  uint64_t total_chars, double *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t ring[10], i = 0, chars = (size_t)total_chars, npend;
	uint64_t grams = 0, repeated = 0, mask, pend[CR_BATCH];
	int rc;

	*out = 0.0;
	if (chars < 10)
		return SACH_OK;
	mask = chars > CR_EXACT_CHARS ? CR_SAMPLE_MASK : 0;
again:
	rc = sach__ct_reset(t, mask ? chars / 4 + 16 : chars);
	if (rc < 0)
		return rc;
	grams = repeated = 0;
	npend = 0;
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

			if ((key >> 40) & mask)
				continue;
			/* Counted a batch at a time, each slot prefetched
			 * first; the sum below does not depend on the order. */
			sach__ct_prefetch(t, key);
			pend[npend++] = key;
			if (npend == CR_BATCH) {
				cr_flush(t, pend, npend, &grams, &repeated);
				npend = 0;
			}
		}
	}
	cr_flush(t, pend, npend, &grams, &repeated);
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
