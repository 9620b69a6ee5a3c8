/*
 * signals.c - per-document quality signals in one pass over the text.
 *
 * The pass walks lines (LF; a CR before it belongs to the line break) and,
 * inside each line, whitespace-separated tokens. Everything a token can
 * say on its own (is it a syllable, well-formed, with diacritics, teencode,
 * its language evidence, '#' and ellipsis counts, mojibake, URL, e-mail,
 * folded key for the word lists) is computed once per distinct token and
 * kept in a cache in the context, keyed by XXH3 of the token's bytes: in
 * real text a few thousand tokens make up most of the running words, so
 * the syllable parser runs on a small share of them. The cache only
 * memoises a pure function of the token, so results do not depend on what
 * came before.
 *
 * Per line, the words are matched against the lexicon (word lists and
 * stop words); line flags, the line's language score and its hash are
 * kept. After the pass, the tables of signals_ngram.c give duplicate lines
 * and paragraphs, syllable n-gram and character 10-gram repetition. All
 * buffers live in the context and are reused, so a document costs no
 * allocation once the context has seen a larger one.
 */
#include "signals_internal.h"

#include "error_internal.h"
#include "sach/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The hashes here are of a few bytes each (tokens, 10-grams, n-gram keys),
 * so the call into the shared library costs more than the hash: inline
 * libxxhash's own XXH3 (the same function, the same values). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Word cache: two-way sets of one 64-byte cache line each; a miss replaces
 * the less recently used way. Tokens longer than SG_CACHE_MAX_TOKEN bytes
 * (URLs, base64) are analysed each time instead (and their counts need more
 * than a byte). 65,536 sets (4 MiB): a Wikipedia article brings a few
 * hundred new tokens (names, numbers), and with 16,384 sets they evicted
 * the common words often enough that a third of the analyses were
 * repeats (7.3% of tokens analysed instead of 5.1%). */
#define SG_CACHE_SETS (1u << 16)
#define SG_CACHE_MAX_TOKEN 64

/* A cached word: sach__word in 32 bytes (the pattern, set only for words
 * with digits, lives in a parallel array so the common slot stays small). */
typedef struct sg_cache_slot {
	uint64_t hash; /* XXH3 of the token; 0 = empty */
	uint64_t key;
	uint32_t flags;
	float lang;
	uint8_t chars, word_chars, hashes, ellipses, moji;
	uint8_t lx_full, lx_anchored, lx_prefix;
} sg_cache_slot;

_Static_assert(sizeof(sg_cache_slot) == 32, "two cache slots must fill one cache line");

/* Tokens are found and hashed this many at a time, and their cache sets
 * prefetched, before any is looked up: the lookups are cache misses in
 * a large part, and this way their latencies overlap. */
#define SG_BATCH 32

/* A word of the current line, for the word lists. */
typedef struct sg_line_word {
	uint64_t key;
	uint64_t pattern;
	uint8_t full, anchored, prefix;
} sg_line_word;

/* Matching state per list, plus the stop words. */
#define SG_NLISTS (SACH_WORDLIST_COUNT + 1)

struct sach_signals_ctx {
	sach__lexicon lex;
	sg_cache_slot *cache;      /* SG_CACHE_SETS * 2, 64-byte aligned */
	uint64_t *cache_pattern;   /* the pattern of each cache slot */
	sach_buf scratch;

	sach_line_info *lines;
	uint64_t *line_hash;       /* per line; 0 for a blank line */
	size_t nlines, lines_cap;

	uint64_t *syl_keys;        /* per syllable of the document */
	uint32_t *syl_chars;
	size_t nsyl, syl_cap;

	sg_line_word *words;       /* the current line's words */
	size_t nwords, words_cap;

	sach__count_table table;
	sach__ngram_scratch ngram;
};

/* Running sums of one document. */
typedef struct sg_acc {
	uint64_t syl_chars, wellformed, nodiac, teencode, hashes, ellipses, moji;
	uint64_t alpha, bullet_lines, ellipsis_lines, terminal_lines, short_lines;
	uint64_t flagged_words, newlines;
	uint64_t scored_chars, vi_chars;
	double lang_sum;
	uint64_t lang_n;
} sg_acc;

/* ------------------------------------------------------------------ */
/* Context                                                             */

int sach_signals_new(sach_signals_ctx **out)
{
	const sach__lexicon *builtin;
	sach_signals_ctx *ctx;
	int rc;

	if (!out)
		return sach__error_set(SACH_EINVAL, "sach_signals_new: NULL argument");
	*out = NULL;
	builtin = sach__lex_builtin();
	if (!builtin)
		return sach_error_last_code();
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return sach__error_nomem();
	ctx->cache = aligned_alloc(64, SG_CACHE_SETS * 2 * sizeof(*ctx->cache));
	ctx->cache_pattern = calloc(SG_CACHE_SETS * 2, sizeof(*ctx->cache_pattern));
	if (!ctx->cache || !ctx->cache_pattern) {
		free(ctx->cache);
		free(ctx->cache_pattern);
		free(ctx);
		return sach__error_nomem();
	}
	memset(ctx->cache, 0, SG_CACHE_SETS * 2 * sizeof(*ctx->cache));
	rc = sach__lex_copy(&ctx->lex, builtin);
	if (rc < 0) {
		sach_signals_free(ctx);
		return rc;
	}
	*out = ctx;
	return SACH_OK;
}

void sach_signals_free(sach_signals_ctx *ctx)
{
	if (!ctx)
		return;
	sach__lex_free(&ctx->lex);
	free(ctx->cache);
	free(ctx->cache_pattern);
	sach_buf_free(&ctx->scratch);
	free(ctx->lines);
	free(ctx->line_hash);
	free(ctx->syl_keys);
	free(ctx->syl_chars);
	free(ctx->words);
	sach__ct_free(&ctx->table);
	free(ctx->ngram.slot);
	free(ctx->ngram.key);
	free(ctx->ngram.pos);
	free(ctx);
}

int sach_signals_add_wordlist(sach_signals_ctx *ctx, sach_wordlist list, const char *path)
{
	sach_buf data = {0};
	char chunk[65536];
	size_t n;
	FILE *f;
	int rc = SACH_OK;

	if (!ctx || !path || (unsigned)list >= SACH_WORDLIST_COUNT)
		return sach__error_set(SACH_EINVAL, "sach_signals_add_wordlist: bad argument");
	f = fopen(path, "rb");
	if (!f)
		return sach__error_set(SACH_EIO, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && rc == SACH_OK)
		rc = sach_buf_append(&data, chunk, n);
	if (rc == SACH_OK && ferror(f))
		rc = sach__error_set(SACH_EIO, "cannot read '%s': %s", path, strerror(errno));
	fclose(f);
	if (rc == SACH_OK)
		rc = sach__lex_add_text(&ctx->lex, 1u << list, data.ptr ? data.ptr : "", data.len,
					path);
	sach_buf_free(&data);
	/* Cached words carry their lexicon entries, which may have changed. */
	memset(ctx->cache, 0, SG_CACHE_SETS * 2 * sizeof(*ctx->cache));
	return rc;
}

/* ------------------------------------------------------------------ */
/* Growing the per-document arrays                                     */

static int sg_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 256;
	void *q;

	if (need <= *cap)
		return SACH_OK;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return sach__error_nomem();
	*p = q;
	*cap = c;
	return SACH_OK;
}

static int sg_push_line(sach_signals_ctx *ctx)
{
	size_t cap = ctx->lines_cap;
	int rc;

	if (ctx->nlines < cap)
		return SACH_OK;
	rc = sg_grow((void **)&ctx->lines, &cap, ctx->nlines + 1, sizeof(*ctx->lines));
	if (rc == SACH_OK) {
		size_t hcap = ctx->lines_cap;

		rc = sg_grow((void **)&ctx->line_hash, &hcap, cap, sizeof(*ctx->line_hash));
	}
	if (rc == SACH_OK)
		ctx->lines_cap = cap;
	return rc;
}

static int sg_push_syllable(sach_signals_ctx *ctx, uint64_t key, uint32_t chars)
{
	if (ctx->nsyl == ctx->syl_cap) {
		size_t cap = ctx->syl_cap, kcap;
		int rc = sg_grow((void **)&ctx->syl_chars, &cap, ctx->nsyl + 1,
				 sizeof(*ctx->syl_chars));

		kcap = ctx->syl_cap;
		if (rc == SACH_OK)
			rc = sg_grow((void **)&ctx->syl_keys, &kcap, cap, sizeof(*ctx->syl_keys));
		if (rc < 0)
			return rc;
		ctx->syl_cap = cap;
	}
	ctx->syl_keys[ctx->nsyl] = key;
	ctx->syl_chars[ctx->nsyl] = chars;
	ctx->nsyl++;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Words through the cache                                             */

static void sg_cache_put(sg_cache_slot *c, uint64_t h, const sach__word *w)
{
	c->hash = h;
	c->key = w->key;
	c->flags = w->flags;
	c->lang = w->lang;
	c->chars = (uint8_t)w->chars;
	c->word_chars = (uint8_t)w->word_chars;
	c->hashes = (uint8_t)w->hashes;
	c->ellipses = (uint8_t)w->ellipses;
	c->moji = (uint8_t)w->moji;
	c->lx_full = w->lx_full;
	c->lx_anchored = w->lx_anchored;
	c->lx_prefix = w->lx_prefix;
}

static void sg_cache_get(const sg_cache_slot *c, uint64_t pattern, sach__word *w)
{
	w->key = c->key;
	w->pattern = pattern;
	w->flags = c->flags;
	w->lang = c->lang;
	w->chars = c->chars;
	w->word_chars = c->word_chars;
	w->hashes = c->hashes;
	w->ellipses = c->ellipses;
	w->moji = c->moji;
	w->lx_full = c->lx_full;
	w->lx_anchored = c->lx_anchored;
	w->lx_prefix = c->lx_prefix;
}

/* Analyses a token and looks its word up in the lexicon. */
static int sg_analyse(sach_signals_ctx *ctx, const char *tok, size_t len, sach__word *w)
{
	const sach__lex_entry *e;
	int rc = sach__word_analyse(&ctx->lex, tok, len, &ctx->scratch, w);

	if (rc < 0)
		return rc;
	e = w->key ? sach__lex_find(&ctx->lex, w->key) : NULL;
	if (e) {
		w->lx_full = e->full;
		w->lx_anchored = e->anchored;
		w->lx_prefix = e->prefix;
	}
	return SACH_OK;
}

/* The word of token tok[0..len), whose hash is h (0 for a token too long
 * for the cache). */
static int sg_word(sach_signals_ctx *ctx, const char *tok, size_t len, uint64_t h,
		   sach__word *w)
{
	sg_cache_slot *set;
	size_t at;
	int rc;

	if (!h)
		return sg_analyse(ctx, tok, len, w);
	at = 2 * ((size_t)h & (SG_CACHE_SETS - 1));
	set = &ctx->cache[at];
	if (set[0].hash == h) {
		sg_cache_get(&set[0], (set[0].flags & SACH__W_DIGIT) ? ctx->cache_pattern[at] : 0,
			     w);
		return SACH_OK;
	}
	/* A slot's pattern is read only when its flags say the word has a
	 * digit, so it is moved only then: the pattern array is not in the
	 * set's cache line, and touching it for every word was a cache miss
	 * per cache miss. */
	if (set[1].hash == h) {
		sg_cache_slot tmp = set[1];
		uint64_t p = (tmp.flags & SACH__W_DIGIT) ? ctx->cache_pattern[at + 1] : 0;

		set[1] = set[0];
		if (set[1].flags & SACH__W_DIGIT)
			ctx->cache_pattern[at + 1] = ctx->cache_pattern[at];
		set[0] = tmp;
		if (tmp.flags & SACH__W_DIGIT)
			ctx->cache_pattern[at] = p;
		sg_cache_get(&set[0], p, w);
		return SACH_OK;
	}
	rc = sg_analyse(ctx, tok, len, w);
	if (rc < 0)
		return rc;
	set[1] = set[0];
	if (set[1].flags & SACH__W_DIGIT)
		ctx->cache_pattern[at + 1] = ctx->cache_pattern[at];
	sg_cache_put(&set[0], h, w);
	if (w->flags & SACH__W_DIGIT)
		ctx->cache_pattern[at] = w->pattern;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Word lists on one line                                              */

/*
 * Matches the words of the current line against the lexicon: at each word
 * the longest entry of each list that starts there (anchored entries only
 * at the line's first word); per list, matches do not overlap (left to
 * right, longest first). Returns the line flags it sets.
 */
static uint32_t sg_match_line(sach_signals_ctx *ctx, sach_signals *out, sg_acc *acc)
{
	const sach__lexicon *lx = &ctx->lex;
	const sg_line_word *w = ctx->words;
	size_t n = ctx->nwords, next_free[SG_NLISTS] = { 0 }, i;
	uint32_t flags = 0;

	for (i = 0; i < n; i++) {
		size_t best[SG_NLISTS], k = 1;
		unsigned b, mask, full = w[i].full, anchored = w[i].anchored, prefix = w[i].prefix;
		uint64_t h = w[i].key;

		/* Most words start no entry: one test, from the cache. */
		if (!((full | anchored | prefix) & SACH__LX_MATCHED) && !w[i].pattern)
			continue;
		memset(best, 0, sizeof(best));
		if (w[i].pattern) {
			const sach__lex_entry *p = sach__lex_find(lx, w[i].pattern);

			if (p) {
				mask = p->full | (i == 0 ? p->anchored : 0);
				for (b = 0; b < SG_NLISTS; b++)
					if (mask & (1u << b))
						best[b] = 1;
			}
		}
		/* The word's own entry is known (0s when it has none); longer
		 * n-grams are looked up while an entry still starts so. */
		for (;;) {
			const sach__lex_entry *e;

			mask = (full | (i == 0 ? anchored : 0)) & SACH__LX_MATCHED;
			for (b = 0; b < SG_NLISTS; b++)
				if (mask & (1u << b))
					best[b] = k;
			if (!(prefix & SACH__LX_MATCHED) || i + k >= n || (int)k >= lx->max_words)
				break;
			h = sach__ngram_key(h, w[i + k].key);
			e = sach__lex_find(lx, h);
			if (!e)
				break;
			full = e->full;
			anchored = e->anchored;
			prefix = e->prefix;
			k++;
		}
		for (b = 0; b < SG_NLISTS; b++) {
			if (!best[b] || i < next_free[b])
				continue;
			next_free[b] = i + best[b];
			if (b == SACH_WORDLIST_COUNT) {
				out->stop_words++;
				continue;
			}
			out->flagged[b]++;
			switch (b) {
			case SACH_WORDLIST_ADULT:
			case SACH_WORDLIST_GAMBLING:
				flags |= SACH_LINE_FLAGGED;
				acc->flagged_words += best[b];
				break;
			case SACH_WORDLIST_BOILERPLATE:
				flags |= SACH_LINE_BOILERPLATE;
				break;
			case SACH_WORDLIST_POLICY:
				flags |= SACH_LINE_POLICY;
				break;
			}
		}
	}
	return flags;
}

/* ------------------------------------------------------------------ */
/* One line                                                            */

/* Code points of s[0..n): the bytes that are not UTF-8 continuation bytes. */
static uint32_t sg_count_chars(const unsigned char *s, size_t n)
{
	size_t i = 0, cont = 0;

#if defined(__SSE2__)
	/* Continuation bytes 0x80-0xBF are the signed bytes below -64. Each
	 * compare gives -1 per such byte, subtracted into byte counters that
	 * are summed every 255 blocks (before they can wrap): the build has
	 * no POPCNT, and __builtin_popcount per block was a libgcc call. */
	const __m128i lim = _mm_set1_epi8(-64), zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero, sum;
		size_t blocks = (n - i) / 16, b;

		if (blocks > 255)
			blocks = 255;
		for (b = 0; b < blocks; b++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));

			acc = _mm_sub_epi8(acc, _mm_cmplt_epi8(v, lim));
		}
		sum = _mm_sad_epu8(acc, zero);
		cont += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
#endif
	for (; i < n; i++)
		cont += (s[i] & 0xC0) == 0x80;
	return (uint32_t)(n - cont);
}

/* Byte classes of the token scan: 0 inside a token, 1 an ASCII space,
 * 2 the lead byte of a character that may be a space (sach__space_len
 * decides). A line holds no LF. */
static const uint8_t sg_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Length of the whitespace at s[i] (i < end), or 0 (sach__space_len). */
static inline size_t sg_space(const unsigned char *s, size_t i, size_t end)
{
	unsigned k = sg_class[s[i]];

	return k == 0 ? 0 : k == 1 ? 1 : sach__space_len(s + i, end - i);
}

/*
 * The first i' >= i (i' <= end) where a whitespace character may start,
 * skipping only bytes that cannot start one (sg_space() decides at i').
 * Byte by byte, every Vietnamese letter of U+1EA0-U+1EF9 (lead byte E1)
 * and every curly quote or dash (E2 80) stopped the scan for a full test;
 * 16 bytes at a time, a lead byte is a candidate only when the byte after
 * it can continue a space (E1 9A, E2 80/81), so the scan mostly stops at
 * real spaces, with no branch per byte.
 */
static inline size_t sg_skip_word(const unsigned char *s, size_t i, size_t end)
{
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i c20 = _mm_set1_epi8(0x20), cc2 = _mm_set1_epi8((char)0xC2);
	const __m128i ce1 = _mm_set1_epi8((char)0xE1), ce2 = _mm_set1_epi8((char)0xE2);
	const __m128i ce3 = _mm_set1_epi8((char)0xE3), c9a = _mm_set1_epi8((char)0x9A);
	const __m128i c81 = _mm_set1_epi8((char)0x81), one = _mm_set1_epi8(1);

	/* s[i + 16] is read as the byte after the block: inside the line. */
	while (i + 17 <= end) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i nx = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
		/* ASCII <= 0x20 (a superset of the ASCII spaces), C2 (U+0085,
		 * U+00A0), E3 (U+3000), E1 9A (U+1680), E2 80 and E2 81
		 * (U+2000-U+205F) */
		__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(v, c20), v);
		unsigned bits;

		m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, cc2), _mm_cmpeq_epi8(v, ce3)));
		m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(v, ce1), _mm_cmpeq_epi8(nx, c9a)));
		m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(v, ce2),
						  _mm_cmpeq_epi8(_mm_or_si128(nx, one), c81)));
		bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i < end && !sg_class[s[i]])
		i++;
	return i;
}

/* What one line's tokens add up to. */
typedef struct sg_line_state {
	size_t first, last;
	uint32_t first_flags, last_flags, flags, lang_n;
	double lang_sum;
	int lorem, digits;
} sg_line_state;

static int sg_token(sach_signals_ctx *ctx, const sach__word *w, size_t t, size_t e,
		    uint64_t groups, sach_line_info *li, sg_line_state *ls, sach_signals *out,
		    sg_acc *acc)
{
	int rc;

	if (!li->tokens) {
		ls->first = t;
		ls->first_flags = w->flags;
	}
	ls->last = e;
	ls->last_flags = w->flags;
	li->tokens++;
	acc->hashes += w->hashes;
	acc->ellipses += w->ellipses;
	acc->moji += w->moji;
	ls->flags |= (w->flags & SACH__W_JS) ? SACH_LINE_JAVASCRIPT : 0;
	ls->flags |= (w->flags & SACH__W_CURLY) ? SACH_LINE_CURLY : 0;
	if (ls->lorem && (w->flags & SACH__W_IPSUM))
		ls->flags |= SACH_LINE_LOREM;
	ls->lorem = (w->flags & SACH__W_LOREM) != 0;
	ls->digits |= (w->flags & SACH__W_DIGIT) != 0;
	out->urls += (w->flags & SACH__W_URL) != 0;
	out->emails += (w->flags & SACH__W_EMAIL) != 0;
	acc->teencode += (w->flags & SACH__W_TEENCODE) != 0;
	if (w->flags & SACH__W_LETTER)
		acc->alpha++;
	if (w->flags & SACH__W_LANG) {
		ls->lang_sum += w->lang;
		ls->lang_n++;
	}
	if (w->flags & SACH__W_SYLLABLE) {
		li->syllables++;
		acc->syl_chars += w->word_chars;
		if (w->flags & SACH__W_WELLFORMED) {
			acc->wellformed++;
			acc->nodiac += !(w->flags & SACH__W_DIACRITIC);
			out->old_style += (w->flags & SACH__W_OLD) != 0;
			out->new_style += (w->flags & SACH__W_NEW) != 0;
		}
		if (groups & (SACH_SIG_TOP_NGRAMS | SACH_SIG_DUP_NGRAMS)) {
			rc = sg_push_syllable(ctx, w->key, w->word_chars);
			if (rc < 0)
				return rc;
		}
	}
	if (w->key && (groups & (SACH_SIG_GOPHER_QUALITY | SACH_SIG_WORDLISTS))) {
		sg_line_word *lw;

		if (ctx->nwords == ctx->words_cap) {
			rc = sg_grow((void **)&ctx->words, &ctx->words_cap, ctx->nwords + 1,
				     sizeof(*ctx->words));
			if (rc < 0)
				return rc;
		}
		lw = &ctx->words[ctx->nwords++];
		lw->key = w->key;
		lw->pattern = w->pattern;
		lw->full = w->lx_full;
		lw->anchored = w->lx_anchored;
		lw->prefix = w->lx_prefix;
	}
	return SACH_OK;
}

static int sg_line(sach_signals_ctx *ctx, const char *text, size_t start, size_t end,
		   uint64_t groups, sach_signals *out, sg_acc *acc)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t tok_at[SG_BATCH], tok_len[SG_BATCH];
	uint64_t tok_hash[SG_BATCH];
	sach_line_info *li;
	sg_line_state ls;
	size_t i = start;
	int rc;

	rc = sg_push_line(ctx);
	if (rc < 0)
		return rc;
	li = &ctx->lines[ctx->nlines];
	memset(li, 0, sizeof(*li));
	memset(&ls, 0, sizeof(ls));
	ls.first = end;
	ls.last = start;
	li->start = start;
	li->len = end - start;
	li->chars = sg_count_chars(s + start, end - start);
	ctx->nwords = 0;

	while (i < end) {
		size_t nb = 0, b;

		while (i < end && nb < SG_BATCH) {
			size_t sp = sg_space(s, i, end), t;
			uint64_t h = 0;

			if (sp) {
				i += sp;
				continue;
			}
			t = i++;
			for (;;) {
				i = sg_skip_word(s, i, end);
				if (i == end || sg_space(s, i, end))
					break;
				i++;
			}
			if (i - t <= SG_CACHE_MAX_TOKEN) {
				h = XXH3_64bits(text + t, i - t);
				h = h ? h : 1;
#if defined(__GNUC__)
				__builtin_prefetch(&ctx->cache[2 * ((size_t)h & (SG_CACHE_SETS - 1))]);
#endif
			}
			tok_at[nb] = t;
			tok_len[nb] = i - t;
			tok_hash[nb] = h;
			nb++;
		}
		for (b = 0; b < nb; b++) {
			sach__word w;

			rc = sg_word(ctx, text + tok_at[b], tok_len[b], tok_hash[b], &w);
			if (rc == SACH_OK)
				rc = sg_token(ctx, &w, tok_at[b], tok_at[b] + tok_len[b], groups, li,
					      &ls, out, acc);
			if (rc < 0)
				return rc;
		}
	}
	out->tokens += li->tokens;
	out->syllables += li->syllables;

	if (!li->tokens) {
		li->flags = SACH_LINE_BLANK;
		ctx->line_hash[ctx->nlines] = 0;
		ctx->nlines++;
		return SACH_OK;
	}
	out->nonblank_lines++;
	if (ls.first_flags & SACH__W_BULLET) {
		ls.flags |= SACH_LINE_BULLET;
		acc->bullet_lines++;
	}
	if (ls.last_flags & SACH__W_TERMINAL) {
		ls.flags |= SACH_LINE_TERMINAL_PUNCT;
		acc->terminal_lines++;
	}
	if (ls.last_flags & SACH__W_ELLIPSIS_END) {
		ls.flags |= SACH_LINE_ELLIPSIS;
		acc->ellipsis_lines++;
	}
	if (li->chars <= SACH_SIGNALS_SHORT_LINE)
		acc->short_lines++;
	if (ctx->nwords)
		ls.flags |= sg_match_line(ctx, out, acc);
	if (ls.digits && (groups & SACH_SIG_PII))
		out->phones += sach__count_phones(text + start, end - start);
	li->lang_score = (float)sach__lang_score(ls.lang_sum, ls.lang_n);
	if (ls.lang_n) {
		acc->scored_chars += li->chars;
		if (li->lang_score >= 0.5f)
			acc->vi_chars += li->chars;
	}
	acc->lang_sum += ls.lang_sum;
	acc->lang_n += ls.lang_n;
	li->flags = ls.flags;
	if (groups & SACH_SIG_REPETITION_LINES) {
		uint64_t h = XXH3_64bits(s + ls.first, ls.last - ls.first);

		ctx->line_hash[ctx->nlines] = h ? h : 1;
	} else {
		ctx->line_hash[ctx->nlines] = 1; /* not blank; not compared */
	}
	ctx->nlines++;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Duplicate lines and paragraphs                                      */

/* Paragraphs: runs of nonblank lines. */
static uint64_t sg_paragraphs(const sach_signals_ctx *ctx)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < ctx->nlines; i++)
		n += ctx->line_hash[i] && (i == 0 || !ctx->line_hash[i - 1]);
	return n;
}

static int sg_duplicates(sach_signals_ctx *ctx, const char *text, sach_signals *out,
			 uint64_t *dup_lines, uint64_t *dup_line_chars, uint64_t *dup_paras,
			 uint64_t *dup_para_chars)
{
	size_t i;
	int rc;

	rc = sach__ct_reset(&ctx->table, (size_t)out->nonblank_lines);
	if (rc < 0)
		return rc;
	for (i = 0; i < ctx->nlines; i++) {
		if (!ctx->line_hash[i])
			continue;
		if (sach__ct_count(&ctx->table, sach__ct_add(&ctx->table, ctx->line_hash[i])) > 1) {
			ctx->lines[i].flags |= SACH_LINE_DUPLICATE;
			(*dup_lines)++;
			*dup_line_chars += ctx->lines[i].chars;
		}
	}
	/* A paragraph: the bytes from its first line's start to its last
	 * line's end (line breaks inside included). */
	rc = sach__ct_reset(&ctx->table, (size_t)out->nonblank_lines);
	if (rc < 0)
		return rc;
	for (i = 0; i < ctx->nlines;) {
		size_t j = i;
		uint64_t chars = 0, h;

		if (!ctx->line_hash[i]) {
			i++;
			continue;
		}
		while (j < ctx->nlines && ctx->line_hash[j]) {
			chars += ctx->lines[j].chars + (j > i);
			j++;
		}
		h = XXH3_64bits(text + ctx->lines[i].start,
				ctx->lines[j - 1].start + ctx->lines[j - 1].len - ctx->lines[i].start);
		if (sach__ct_count(&ctx->table, sach__ct_add(&ctx->table, h)) > 1) {
			(*dup_paras)++;
			*dup_para_chars += chars;
		}
		i = j;
	}
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

static double sg_share(uint64_t a, uint64_t b)
{
	double v;

	if (!b)
		return 0.0;
	v = (double)a / (double)b;
	return v > 1.0 ? 1.0 : v;
}

int sach_signals_compute(sach_signals_ctx *ctx, const char *text, size_t len,
			 sach_signals *out)
{
	return sach_signals_compute_mask(ctx, text, len, SACH_SIG_ALL, out);
}

int sach_signals_compute_mask(sach_signals_ctx *ctx, const char *text, size_t len,
			      uint64_t groups, sach_signals *out)
{
	uint64_t dup_lines = 0, dup_line_chars = 0, dup_paras = 0, dup_para_chars = 0;
	size_t pos = 0;
	sg_acc acc;
	int rc = SACH_OK;

	if (!ctx || !out || (!text && len))
		return sach__error_set(SACH_EINVAL, "sach_signals_compute: NULL argument");
	groups = (groups & SACH_SIG_ALL) | SACH_SIG_SIZE;
	memset(out, 0, sizeof(*out));
	memset(&acc, 0, sizeof(acc));
	ctx->nlines = 0;
	ctx->nsyl = 0;
	out->bytes = len;
	out->chars = sg_count_chars((const unsigned char *)text, len);

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, stop = end;

		if (stop > pos && text[stop - 1] == '\r')
			stop--;
		rc = sg_line(ctx, text, pos, stop, groups, out, &acc);
		if (rc < 0)
			return rc;
		acc.newlines += nl != NULL;
		pos = end + (nl != NULL);
	}
	out->lines = ctx->nlines;

	if (groups & SACH_SIG_REPETITION_LINES)
		rc = sg_duplicates(ctx, text, out, &dup_lines, &dup_line_chars, &dup_paras,
				   &dup_para_chars);
	out->paragraphs = sg_paragraphs(ctx);
	if (rc == SACH_OK && (groups & (SACH_SIG_TOP_NGRAMS | SACH_SIG_DUP_NGRAMS)))
		rc = sach__ngram_signals(&ctx->table, &ctx->ngram, ctx->syl_keys, ctx->syl_chars,
					 ctx->nsyl, out->chars, groups & SACH_SIG_DUP_NGRAMS, out);
	if (rc == SACH_OK && (groups & SACH_SIG_CHAR_REPETITION))
		rc = sach__char_repetition(&ctx->table, text, len, out->chars,
					   &out->char_repetition);
	if (rc < 0)
		return rc;

	out->mean_syllable_chars = out->syllables ?
		(double)acc.syl_chars / (double)out->syllables : 0.0;
	out->hash_per_syllable = out->syllables ?
		(double)acc.hashes / (double)out->syllables : 0.0;
	out->ellipsis_per_syllable = out->syllables ?
		(double)acc.ellipses / (double)out->syllables : 0.0;
	out->bullet_line_share = sg_share(acc.bullet_lines, out->nonblank_lines);
	out->ellipsis_line_share = sg_share(acc.ellipsis_lines, out->nonblank_lines);
	out->alpha_token_share = sg_share(acc.alpha, out->tokens);

	out->dup_line_share = sg_share(dup_lines, out->nonblank_lines);
	out->dup_line_char_share = sg_share(dup_line_chars, out->chars);
	out->dup_para_share = sg_share(dup_paras, out->paragraphs);
	out->dup_para_char_share = sg_share(dup_para_chars, out->chars);

	out->terminal_punct_line_share = sg_share(acc.terminal_lines, out->nonblank_lines);
	out->short_line_share = sg_share(acc.short_lines, out->nonblank_lines);
	out->newlines_per_syllable = out->syllables ?
		(double)acc.newlines / (double)out->syllables : 0.0;

	out->wellformed_share = sg_share(acc.wellformed, out->syllables);
	out->no_diacritic_share = sg_share(acc.nodiac, acc.wellformed);
	out->teencode_share = sg_share(acc.teencode, out->tokens);
	out->mojibake_score = sg_share(acc.moji, out->chars);
	out->lang_score = sach__lang_score(acc.lang_sum, acc.lang_n);
	out->vi_line_char_share = sg_share(acc.vi_chars, acc.scored_chars);
	out->flagged_ratio = sg_share(acc.flagged_words, out->syllables);
	if (groups != SACH_SIG_ALL)
		sach__signals_mark_skipped(out, SACH_SIG_ALL & ~groups);
	return SACH_OK;
}

const sach_line_info *sach_signals_lines(const sach_signals_ctx *ctx, size_t *count)
{
	if (count)
		*count = ctx ? ctx->nlines : 0;
	return ctx ? ctx->lines : NULL;
}
