/*
 * dedupe_keys.c - parameter checks and the exact keys: whole documents
 * (XXH3-128 of the fold key) and lines or paragraphs (XXH3-64).
 *
 * The fold key (viet.c) folds what two copies of one text differ in without
 * being different texts: tone-mark placement style, i/y, letter case and
 * whitespace. Hashing it, not the raw text, is what makes "exact" mean
 * "the same text" for Vietnamese.
 */
#include "dedupe_internal.h"
#include "error_internal.h"
#include "sach/viet.h"

#include <string.h>
#include <xxhash.h>

int sach_dedupe_params_check(const sach_dedupe_params *p)
{
	if (!p || p->version != SACH_DEDUPE_PARAMS_VERSION)
		return sach__error_set(SACH_EINVAL, "dedupe: missing or unknown parameters version");
	if (p->shingle < 1 || p->shingle > 32)
		return sach__error_set(SACH_EINVAL, "dedupe: shingle size %u not in 1-32", p->shingle);
	if (p->bands < 1 || p->bands > 64)
		return sach__error_set(SACH_EINVAL, "dedupe: %u bands not in 1-64", p->bands);
	if (p->rows < 1 || p->rows > 32)
		return sach__error_set(SACH_EINVAL, "dedupe: %u rows not in 1-32", p->rows);
	if (!(p->jaccard >= 0.0 && p->jaccard <= 1.0))
		return sach__error_set(SACH_EINVAL, "dedupe: Jaccard threshold not in 0-1");
	return 0;
}

int sach_dedupe_exact_key(const char *text, size_t len, sach_buf *scratch, uint64_t key[2])
{
	XXH128_hash_t h;
	int rc;

	if (!text || !scratch || !key)
		return sach__error_set(SACH_EINVAL, "dedupe: NULL argument");
	sach_buf_clear(scratch);
	if ((rc = sach_viet_fold_key(text, len, scratch)) < 0)
		return rc;
	h = XXH3_128bits(scratch->ptr ? scratch->ptr : "", scratch->len);
	key[0] = h.low64;
	key[1] = h.high64;
	return 0;
}

int sach_dedupe_line_key(const char *text, size_t len, sach_buf *scratch, uint64_t *key)
{
	int rc;

	if (!text || !scratch || !key)
		return sach__error_set(SACH_EINVAL, "dedupe: NULL argument");
	sach_buf_clear(scratch);
	if ((rc = sach_viet_fold_key(text, len, scratch)) < 0)
		return rc;
	if (scratch->len == 0) {
		*key = 0;
		return 0;
	}
	*key = XXH3_64bits(scratch->ptr, scratch->len);
	if (*key == 0) /* 0 means "blank"; a real line never gets it */
		*key = 1;
	return 0;
}

static bool blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

int sach__dd_each_unit(const char *text, size_t len, bool paragraphs, sach__dd_unit_fn fn,
		       void *ctx)
{
	size_t i = 0, pstart = 0, pend = 0;
	bool in_para = false;
	int rc;

	for (;;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (!paragraphs) {
			if ((rc = fn(ctx, text + i, end - i)) < 0)
				return rc;
		} else if (!blank(text + i, end - i)) {
			if (!in_para)
				pstart = i;
			in_para = true;
			pend = end;
		} else if (in_para) {
			/* A blank line closes the paragraph. */
			if ((rc = fn(ctx, text + pstart, pend - pstart)) < 0)
				return rc;
			in_para = false;
		}
		if (!nl)
			break;
		i = end + 1;
	}
	if (in_para && (rc = fn(ctx, text + pstart, pend - pstart)) < 0)
		return rc;
	return 0;
}

double sach__dd_set_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0, both = 0;

	if (na == 0 && nb == 0)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			both++, i++, j++;
	}
	return (double)both / (double)(na + nb - both);
}
