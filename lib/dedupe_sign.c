/*
 * dedupe_sign.c - stage 1: one record per document in a signature file.
 *
 * Record 'D' (also the record of an index, which never has line keys or
 * shingle sets):
 *   u64 line, u64 key low, u64 key high, u8 flags (1 = has syllables)
 *   [near and flags & 1] u64 band hash x bands
 *   u32 id length, id bytes
 *   [lines] u32 n, u64 line key x n (distinct, sorted)
 *   [near and jaccard > 0] u32 n, u32 shingle hash x n (distinct, sorted)
 */
#include "dedupe_internal.h"
#include "error_internal.h"
#include "sach/viet.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct sach_dedupe_signer {
	sach_dedupe_params p;
	sach__dd_out *out;
	sach_minhash *mh;
	sach_buf fold, skel, line_fold, set, keys;
	uint32_t *sig;
	uint64_t *bands;
	uint64_t count, last_line;
};

int sach_dedupe_signer_open(sach_dedupe_signer **out, const char *path,
			    const sach_dedupe_params *p, uint32_t part, bool compress)
{
	sach__dd_header h;
	sach_dedupe_signer *s;
	int rc;

	*out = NULL;
	if ((rc = sach_dedupe_params_check(p)) < 0)
		return rc;
	if (!(s = calloc(1, sizeof(*s))))
		return sach__error_nomem();
	s->p = *p;
	if ((rc = sach_minhash_new(&s->mh, p)) < 0)
		goto fail;
	s->sig = malloc(p->bands * p->rows * sizeof(uint32_t));
	s->bands = malloc(p->bands * sizeof(uint64_t));
	if (!s->sig || !s->bands) {
		rc = sach__error_nomem();
		goto fail;
	}
	memset(&h, 0, sizeof(h));
	h.kind = SACH__DD_SIG;
	h.p = *p;
	h.part = part;
	if ((rc = sach__dd_out_open(&s->out, path, &h, compress)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	sach_dedupe_signer_abort(s);
	return rc;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * One line (or paragraph): its key, and its fold key appended to the
 * document's. The fold key maps every whitespace run (newlines included)
 * to one space and trims, and no letter token crosses a newline, so the
 * fold keys of the lines joined by one space are the fold key of the whole
 * text: one fold pass serves both keys (tests check the equality).
 */
static int add_unit(void *ctx, const char *text, size_t len)
{
	sach_dedupe_signer *s = ctx;
	uint64_t key;
	int rc;

	if ((rc = sach_dedupe_line_key(text, len, &s->line_fold, &key)) < 0)
		return rc;
	if (!key)
		return 0;
	if ((s->fold.len && (rc = sach_buf_append(&s->fold, " ", 1)) < 0) ||
	    (rc = sach_buf_append(&s->fold, s->line_fold.ptr, s->line_fold.len)) < 0)
		return rc;
	return sach_buf_append(&s->keys, &key, sizeof(key));
}

/* Writes the distinct line keys collected by fold_text(). */
static int write_line_keys(sach_dedupe_signer *s)
{
	uint64_t *k;
	size_t n, i, j;
	int rc;

	k = (uint64_t *)(void *)s->keys.ptr;
	n = s->keys.len / sizeof(uint64_t);
	if (n > 1)
		qsort(k, n, sizeof(uint64_t), cmp_u64);
	for (i = j = 0; i < n; i++)
		if (j == 0 || k[i] != k[j - 1])
			k[j++] = k[i];
	if ((rc = sach__dd_out_u32(s->out, (uint32_t)j)) < 0)
		return rc;
	for (i = 0; i < j; i++)
		if ((rc = sach__dd_out_u64(s->out, k[i])) < 0)
			return rc;
	return 0;
}

int sach_dedupe_signer_add(sach_dedupe_signer *s, uint64_t line, const char *id,
			   const char *text, size_t len)
{
	XXH128_hash_t key;
	const sach_buf *sh;
	size_t idlen = id ? strlen(id) : 0;
	int64_t shingles = 0;
	unsigned i;
	int rc;

	if (!s || (!text && len))
		return sach__error_set(SACH_EINVAL, "dedupe sign: NULL argument");
	if (s->count && line <= s->last_line)
		return sach__error_set(SACH_EINVAL, "dedupe sign: line %llu after line %llu",
				       (unsigned long long)line, (unsigned long long)s->last_line);
	if (idlen > SACH__DD_MAX_ID)
		idlen = SACH__DD_MAX_ID; /* ids only name documents in messages */
	sach_buf_clear(&s->fold);
	sach_buf_clear(&s->keys);
	if (s->p.lines)
		rc = sach__dd_each_unit(text ? text : "", len, s->p.paragraphs, add_unit, s);
	else
		rc = sach_viet_fold_key(text ? text : "", len, &s->fold);
	if (rc < 0)
		return rc;
	key = XXH3_128bits(s->fold.ptr ? s->fold.ptr : "", s->fold.len);
	sach_buf_clear(&s->set);
	if (s->p.near) {
		sh = &s->fold;
		if (s->p.skeleton) {
			sach_buf_clear(&s->skel);
			if ((rc = sach_viet_skeleton(s->fold.ptr ? s->fold.ptr : "", s->fold.len,
						     &s->skel)) < 0)
				return rc;
			sh = &s->skel;
		}
		shingles = sach__minhash_sign_set(s->mh, sh->ptr ? sh->ptr : "", sh->len, s->sig,
						  s->p.jaccard > 0 ? &s->set : NULL);
		if (shingles < 0)
			return (int)shingles;
	}
	if ((rc = sach__dd_out_u8(s->out, SACH__DD_TAG_DOC)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, line)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, key.low64)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, key.high64)) < 0 ||
	    (rc = sach__dd_out_u8(s->out, shingles > 0 ? 1 : 0)) < 0)
		return rc;
	if (s->p.near && shingles > 0) {
		sach_minhash_bands(s->mh, s->sig, s->bands);
		for (i = 0; i < s->p.bands; i++)
			if ((rc = sach__dd_out_u64(s->out, s->bands[i])) < 0)
				return rc;
	}
	if ((rc = sach__dd_out_u32(s->out, (uint32_t)idlen)) < 0 ||
	    (rc = sach__dd_out_bytes(s->out, id, idlen)) < 0)
		return rc;
	if (s->p.lines && (rc = write_line_keys(s)) < 0)
		return rc;
	if (s->p.near && s->p.jaccard > 0) {
		uint32_t n = (uint32_t)(s->set.len / sizeof(uint32_t));
		const unsigned char *v = (const unsigned char *)s->set.ptr;

		if ((rc = sach__dd_out_u32(s->out, n)) < 0)
			return rc;
		for (i = 0; i < n; i++) {
			uint32_t x;

			memcpy(&x, v + (size_t)i * 4, 4);
			if ((rc = sach__dd_out_u32(s->out, x)) < 0)
				return rc;
		}
	}
	sach__dd_out_record(s->out);
	s->count++;
	s->last_line = line;
	return 0;
}

uint64_t sach_dedupe_signer_count(const sach_dedupe_signer *s)
{
	return s->count;
}

static void release(sach_dedupe_signer *s)
{
	sach_minhash_free(s->mh);
	sach_buf_free(&s->fold);
	sach_buf_free(&s->skel);
	sach_buf_free(&s->line_fold);
	sach_buf_free(&s->set);
	sach_buf_free(&s->keys);
	free(s->sig);
	free(s->bands);
	free(s);
}

int sach_dedupe_signer_commit(sach_dedupe_signer *s)
{
	int rc = sach__dd_out_commit(s->out);

	release(s);
	return rc;
}

void sach_dedupe_signer_abort(sach_dedupe_signer *s)
{
	if (!s)
		return;
	sach__dd_out_abort(s->out);
	release(s);
}
