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
/* The hashes here are of a few bytes each (tokens, 10-grams, n-gram keys),
 * so the call into the shared library costs more than the hash: inline
 * libxxhash's own XXH3 (the same function, the same values). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Word cache: two-way sets; a miss replaces the less recently used way.
 * Tokens longer than SG_CACHE_MAX_TOKEN bytes (URLs, base64) are analysed
 * each time instead (and their counts need more than a byte). */
#define SG_CACHE_SETS (1u << 14)
#define SG_CACHE_MAX_TOKEN 64

typedef struct sg_cache_slot {
	uint64_t hash; /* XXH3 of the token; 0 = empty */
	uint64_t key;
	uint64_t pattern;
	uint32_t flags;
	float lang;
	uint8_t chars, word_chars, hashes, ellipses, moji;
} sg_cache_slot;

/* A word of the current line, for the word lists. */
typedef struct sg_line_word {
	uint64_t key;
	uint64_t pattern;
} sg_line_word;

/* Matching state per list, plus the stop words. */
#define SG_NLISTS (SACH_WORDLIST_COUNT + 1)

struct sach_signals_ctx {
	sach__lexicon lex;
	sg_cache_slot *cache;      /* SG_CACHE_SETS * 2 */
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
	ctx->cache = calloc(SG_CACHE_SETS * 2, sizeof(*ctx->cache));
	if (!ctx->cache) {
		free(ctx);
		return sach__error_nomem();
	}
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
	sach_buf_free(&ctx->scratch);
	free(ctx->lines);
	free(ctx->line_hash);
	free(ctx->syl_keys);
	free(ctx->syl_chars);
	free(ctx->words);
	sach__ct_free(&ctx->table);
	free(ctx->ngram.slot);
	free(ctx->ngram.ok);
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
	c->pattern = w->pattern;
	c->flags = w->flags;
	c->lang = w->lang;
	c->chars = (uint8_t)w->chars;
	c->word_chars = (uint8_t)w->word_chars;
	c->hashes = (uint8_t)w->hashes;
	c->ellipses = (uint8_t)w->ellipses;
	c->moji = (uint8_t)w->moji;
}

static void sg_cache_get(const sg_cache_slot *c, sach__word *w)
{
	w->key = c->key;
	w->pattern = c->pattern;
	w->flags = c->flags;
	w->lang = c->lang;
	w->chars = c->chars;
	w->word_chars = c->word_chars;
	w->hashes = c->hashes;
	w->ellipses = c->ellipses;
	w->moji = c->moji;
}

static int sg_word(sach_signals_ctx *ctx, const char *tok, size_t len, sach__word *w)
{
	sg_cache_slot *set;
	uint64_t h;
	int rc;

	if (len > SG_CACHE_MAX_TOKEN)
		return sach__word_analyse(&ctx->lex, tok, len, &ctx->scratch, w);
	h = XXH3_64bits(tok, len);
	h = h ? h : 1;
	set = &ctx->cache[2 * ((size_t)h & (SG_CACHE_SETS - 1))];
	if (set[0].hash == h) {
		sg_cache_get(&set[0], w);
		return SACH_OK;
	}
	if (set[1].hash == h) {
		sg_cache_slot tmp = set[1];

		set[1] = set[0];
		set[0] = tmp;
		sg_cache_get(&set[0], w);
		return SACH_OK;
	}
	rc = sach__word_analyse(&ctx->lex, tok, len, &ctx->scratch, w);
	if (rc < 0)
		return rc;
	set[1] = set[0];
	sg_cache_put(&set[0], h, w);
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
		const sach__lex_entry *e = sach__lex_find(lx, w[i].key);
		size_t best[SG_NLISTS] = { 0 }, k = 1;
		unsigned b, mask;
		uint64_t h = w[i].key;

		if (!e && !w[i].pattern)
			continue;
		if (w[i].pattern) {
			const sach__lex_entry *p = sach__lex_find(lx, w[i].pattern);

			if (p) {
				mask = p->full | (i == 0 ? p->anchored : 0);
				for (b = 0; b < SG_NLISTS; b++)
					if (mask & (1u << b))
						best[b] = 1;
			}
		}
		while (e) {
			mask = (e->full | (i == 0 ? e->anchored : 0)) & SACH__LX_MATCHED;
			for (b = 0; b < SG_NLISTS; b++)
				if (mask & (1u << b))
					best[b] = k;
			if (!(e->prefix & SACH__LX_MATCHED) || i + k >= n || (int)k >= lx->max_words)
				break;
			h = sach__ngram_key(h, w[i + k].key);
			e = sach__lex_find(lx, h);
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

static uint32_t sg_count_chars(const unsigned char *s, size_t n)
{
	size_t i, cont = 0;

	for (i = 0; i < n; i++)
		cont += (s[i] & 0xC0) == 0x80;
	return (uint32_t)(n - cont);
}

static int sg_line(sach_signals_ctx *ctx, const char *text, size_t start, size_t end,
		   sach_signals *out, sg_acc *acc)
{
	const unsigned char *s = (const unsigned char *)text;
	sach_line_info *li;
	size_t i = start, first = end, last = start;
	uint32_t first_flags = 0, last_flags = 0, flags = 0, lang_n = 0;
	double lang_sum = 0.0;
	int rc, lorem = 0, digits = 0;

	rc = sg_push_line(ctx);
	if (rc < 0)
		return rc;
	li = &ctx->lines[ctx->nlines];
	memset(li, 0, sizeof(*li));
	li->start = start;
	li->len = end - start;
	li->chars = sg_count_chars(s + start, end - start);
	ctx->nwords = 0;

	while (i < end) {
		size_t sp = sach__space_len(s + i, end - i), t;
		sach__word w;

		if (sp) {
			i += sp;
			continue;
		}
		t = i;
		while (i < end && !sach__space_len(s + i, end - i))
			i++;
		rc = sg_word(ctx, text + t, i - t, &w);
		if (rc < 0)
			return rc;
		if (!li->tokens) {
			first = t;
			first_flags = w.flags;
		}
		last = i;
		last_flags = w.flags;
		li->tokens++;
		acc->hashes += w.hashes;
		acc->ellipses += w.ellipses;
		acc->moji += w.moji;
		flags |= (w.flags & SACH__W_JS) ? SACH_LINE_JAVASCRIPT : 0;
		flags |= (w.flags & SACH__W_CURLY) ? SACH_LINE_CURLY : 0;
		if (lorem && (w.flags & SACH__W_IPSUM))
			flags |= SACH_LINE_LOREM;
		lorem = (w.flags & SACH__W_LOREM) != 0;
		digits |= (w.flags & SACH__W_DIGIT) != 0;
		out->urls += (w.flags & SACH__W_URL) != 0;
		out->emails += (w.flags & SACH__W_EMAIL) != 0;
		acc->teencode += (w.flags & SACH__W_TEENCODE) != 0;
		if (w.flags & SACH__W_LETTER)
			acc->alpha++;
		if (w.flags & SACH__W_LANG) {
			lang_sum += w.lang;
			lang_n++;
		}
		if (w.flags & SACH__W_SYLLABLE) {
			li->syllables++;
			acc->syl_chars += w.word_chars;
			if (w.flags & SACH__W_WELLFORMED) {
				acc->wellformed++;
				acc->nodiac += !(w.flags & SACH__W_DIACRITIC);
				out->old_style += (w.flags & SACH__W_OLD) != 0;
				out->new_style += (w.flags & SACH__W_NEW) != 0;
			}
			rc = sg_push_syllable(ctx, w.key, w.word_chars);
			if (rc < 0)
				return rc;
		}
		if (w.key) {
			if (ctx->nwords == ctx->words_cap) {
				rc = sg_grow((void **)&ctx->words, &ctx->words_cap, ctx->nwords + 1,
					     sizeof(*ctx->words));
				if (rc < 0)
					return rc;
			}
			ctx->words[ctx->nwords].key = w.key;
			ctx->words[ctx->nwords].pattern = w.pattern;
			ctx->nwords++;
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
	if (first_flags & SACH__W_BULLET) {
		flags |= SACH_LINE_BULLET;
		acc->bullet_lines++;
	}
	if (last_flags & SACH__W_TERMINAL) {
		flags |= SACH_LINE_TERMINAL_PUNCT;
		acc->terminal_lines++;
	}
	if (last_flags & SACH__W_ELLIPSIS_END) {
		flags |= SACH_LINE_ELLIPSIS;
		acc->ellipsis_lines++;
	}
	if (li->chars <= SACH_SIGNALS_SHORT_LINE)
		acc->short_lines++;
	if (ctx->nwords)
		flags |= sg_match_line(ctx, out, acc);
	if (digits)
		out->phones += sach__count_phones(text + start, end - start);
	li->lang_score = (float)sach__lang_score(lang_sum, lang_n);
	if (lang_n) {
		acc->scored_chars += li->chars;
		if (li->lang_score >= 0.5f)
			acc->vi_chars += li->chars;
	}
	acc->lang_sum += lang_sum;
	acc->lang_n += lang_n;
	li->flags = flags;
	{
		uint64_t h = XXH3_64bits(s + first, last - first);

		ctx->line_hash[ctx->nlines] = h ? h : 1;
	}
	ctx->nlines++;
	return SACH_OK;
}

/* ------------------------------------------------------------------ */
/* Duplicate lines and paragraphs                                      */

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
		out->paragraphs++;
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
	uint64_t dup_lines = 0, dup_line_chars = 0, dup_paras = 0, dup_para_chars = 0;
	size_t pos = 0;
	sg_acc acc;
	int rc;

	if (!ctx || !out || (!text && len))
		return sach__error_set(SACH_EINVAL, "sach_signals_compute: NULL argument");
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
		rc = sg_line(ctx, text, pos, stop, out, &acc);
		if (rc < 0)
			return rc;
		acc.newlines += nl != NULL;
		pos = end + (nl != NULL);
	}
	out->lines = ctx->nlines;

	rc = sg_duplicates(ctx, text, out, &dup_lines, &dup_line_chars, &dup_paras,
			   &dup_para_chars);
	if (rc == SACH_OK)
		rc = sach__ngram_signals(&ctx->table, &ctx->ngram, ctx->syl_keys, ctx->syl_chars, ctx->nsyl,
					 out->chars, out);
	if (rc == SACH_OK)
		rc = sach__char_repetition(&ctx->table, text, len, &out->char_repetition);
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
	return SACH_OK;
}

const sach_line_info *sach_signals_lines(const sach_signals_ctx *ctx, size_t *count)
{
	if (count)
		*count = ctx ? ctx->nlines : 0;
	return ctx ? ctx->lines : NULL;
}
