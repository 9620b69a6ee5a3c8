/*
 * dedupe_sign.c - stage 1: one record per document in a signature file.
 *
 * Record 'D' (also the record of an index, which never has line keys or
 * shingle sets):
 *   u64 line, u64 key low, u64 key high, u8 flags (1 = has syllables)
 *   [near and flags & 1] u64 band hash x bands
 *   u32 id length, id bytes
 *   [lines] u32 n, (u64 line key, u64 line pre-key) x n (distinct pairs,
 *           sorted by key, then pre-key; since signature format version 2)
 *   [near and jaccard > 0] u32 n, u32 shingle hash x n (distinct, sorted)
 *
 * The pre-key of a line (sach_dedupe_prekey() of its text, dedupe_prekey.c)
 * is for apply: cluster lists the pre-keys of the repeated lines, and apply
 * folds only the lines whose pre-key is among them, instead of every line
 * of every document. One key with two pre-keys in one document (two lines
 * whose 64-bit keys collide) gives two pairs; cluster counts the key once.
 */
#include "dedupe_internal.h"
#include "error_internal.h"
#include "sach/viet.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* The costly half of signing: everything a document's record holds but
 * its line and id, computed apart from the file. */
struct sach_dedupe_keyer {
	sach_dedupe_params p;
	sach_minhash *mh;
	sach_buf fold, skel, pre, set, keys;
	uint32_t *sig;
	uint64_t *bands;
};

struct sach_dedupe_signer {
	sach_dedupe_params p;
	sach__dd_out *out;
	sach_dedupe_keyer *k;     /* for sach_dedupe_signer_add() */
	sach_buf blob;
	uint64_t count, last_line;
};

int sach_dedupe_keyer_new(sach_dedupe_keyer **out, const sach_dedupe_params *p)
{
	sach_dedupe_keyer *k;
	int rc;

	if (!out)
		return sach__error_set(SACH_EINVAL, "dedupe keys: NULL argument");
	*out = NULL;
	if ((rc = sach_dedupe_params_check(p)) < 0)
		return rc;
	if (!(k = calloc(1, sizeof(*k))))
		return sach__error_nomem();
	k->p = *p;
	if ((rc = sach_minhash_new(&k->mh, p)) < 0) {
		free(k);
		return rc;
	}
	k->sig = malloc(p->bands * p->rows * sizeof(uint32_t));
	k->bands = malloc(p->bands * sizeof(uint64_t));
	if (!k->sig || !k->bands) {
		sach_dedupe_keyer_free(k);
		return sach__error_nomem();
	}
	*out = k;
	return 0;
}

void sach_dedupe_keyer_free(sach_dedupe_keyer *k)
{
	if (!k)
		return;
	sach_minhash_free(k->mh);
	sach_buf_free(&k->fold);
	sach_buf_free(&k->skel);
	sach_buf_free(&k->pre);
	sach_buf_free(&k->set);
	sach_buf_free(&k->keys);
	free(k->sig);
	free(k->bands);
	free(k);
}

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

/* (key, pre-key) pairs in key, then pre-key order */
static int cmp_pair(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

/*
 * One line (or paragraph): its key and pre-key, and its fold key appended
 * to the document's. The fold key maps every whitespace run (newlines
 * included) to one space and trims, and no letter token crosses a newline,
 * so the fold keys of the lines joined by one space are the fold key of
 * the whole text: one fold pass serves both keys (tests check the equality
 * on every document of the corpora). The line is folded straight onto the
 * end of the document's fold key, after a space that is taken back when
 * the line folds to nothing.
 */
static int add_unit(void *ctx, const char *text, size_t len)
{
	sach_dedupe_keyer *k = ctx;
	size_t start = k->fold.len, at;
	uint64_t pair[2];
	int rc;

	if (start && (rc = sach_buf_append(&k->fold, " ", 1)) < 0)
		return rc;
	at = k->fold.len;
	if ((rc = sach_viet_fold_key(text, len, &k->fold)) < 0)
		return rc;
	if (k->fold.len == at) {
		/* blank: no key, and no space before the next line */
		k->fold.len = start;
		if (k->fold.ptr)
			k->fold.ptr[start] = '\0';
		return 0;
	}
	/* as sach_dedupe_line_key() */
	pair[0] = XXH3_64bits(k->fold.ptr + at, k->fold.len - at);
	if (pair[0] == 0)
		pair[0] = 1;
	sach_buf_clear(&k->pre);
	if ((rc = sach__dd_prekey_text(text, len, &k->pre)) < 0)
		return rc;
	pair[1] = XXH3_64bits(k->pre.ptr, k->pre.len);
	return sach_buf_append(&k->keys, pair, sizeof(pair));
}

/*
 * The block (native byte order; it never leaves the process):
 *   u64 key low, u64 key high, u8 flags (1 = has syllables)
 *   [near and flags & 1] u64 band hash x bands
 *   [lines] u32 n, (u64 line key, u64 pre-key) x n (distinct, sorted)
 *   [near and jaccard > 0] u32 n, u32 shingle hash x n (distinct, sorted)
 * which is the record of dedupe_sign.c less its tag, line and id.
 */
int sach_dedupe_keyer_keys(sach_dedupe_keyer *k, const char *text, size_t len, sach_buf *out)
{
	XXH128_hash_t key;
	const sach_buf *sh;
	int64_t shingles = 0;
	uint8_t flags;
	uint32_t n;
	int rc;

	if (!k || (!text && len) || !out)
		return sach__error_set(SACH_EINVAL, "dedupe sign: NULL argument");
	sach_buf_clear(&k->fold);
	sach_buf_clear(&k->keys);
	if (k->p.lines)
		rc = sach__dd_each_unit(text ? text : "", len, k->p.paragraphs, add_unit, k);
	else
		rc = sach_viet_fold_key(text ? text : "", len, &k->fold);
	if (rc < 0)
		return rc;
	key = XXH3_128bits(k->fold.ptr ? k->fold.ptr : "", k->fold.len);
	sach_buf_clear(&k->set);
	if (k->p.near) {
		sh = &k->fold;
		if (k->p.skeleton) {
			sach_buf_clear(&k->skel);
			if ((rc = sach_viet_skeleton(k->fold.ptr ? k->fold.ptr : "", k->fold.len,
						     &k->skel)) < 0)
				return rc;
			sh = &k->skel;
		}
		shingles = sach__minhash_sign_set(k->mh, sh->ptr ? sh->ptr : "", sh->len, k->sig,
						  k->p.jaccard > 0 ? &k->set : NULL);
		if (shingles < 0)
			return (int)shingles;
	}
	flags = shingles > 0 ? 1 : 0;
	if ((rc = sach_buf_append(out, &key.low64, 8)) < 0 ||
	    (rc = sach_buf_append(out, &key.high64, 8)) < 0 ||
	    (rc = sach_buf_append(out, &flags, 1)) < 0)
		return rc;
	if (k->p.near && shingles > 0) {
		sach_minhash_bands(k->mh, k->sig, k->bands);
		if ((rc = sach_buf_append(out, k->bands, k->p.bands * sizeof(uint64_t))) < 0)
			return rc;
	}
	if (k->p.lines) {
		uint64_t *v = (uint64_t *)(void *)k->keys.ptr;
		size_t m = k->keys.len / (2 * sizeof(uint64_t)), i, j;

		if (m > 1)
			qsort(v, m, 2 * sizeof(uint64_t), cmp_pair);
		for (i = j = 0; i < m; i++)
			if (j == 0 || v[2 * i] != v[2 * j - 2] || v[2 * i + 1] != v[2 * j - 1]) {
				v[2 * j] = v[2 * i];
				v[2 * j + 1] = v[2 * i + 1];
				j++;
			}
		n = (uint32_t)j;
		if ((rc = sach_buf_append(out, &n, 4)) < 0 ||
		    (j && (rc = sach_buf_append(out, v, j * 2 * sizeof(uint64_t))) < 0))
			return rc;
	}
	if (k->p.near && k->p.jaccard > 0) {
		n = (uint32_t)(k->set.len / sizeof(uint32_t));
		if ((rc = sach_buf_append(out, &n, 4)) < 0 ||
		    (n && (rc = sach_buf_append(out, k->set.ptr, k->set.len)) < 0))
			return rc;
	}
	return 0;
}

/* Reads `n` bytes of a block; false when it is shorter than its fields say. */
static bool take(const unsigned char **p, const unsigned char *end, void *v, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(v, *p, n);
	*p += n;
	return true;
}

int sach_dedupe_signer_add_keys(sach_dedupe_signer *s, uint64_t line, const char *id,
				const void *keys, size_t n)
{
	const unsigned char *p = keys, *end = p + n;
	size_t idlen = id ? strlen(id) : 0;
	uint64_t lo, hi, v;
	uint32_t m, i, x;
	uint8_t flags;
	int rc;

	if (!s || !keys)
		return sach__error_set(SACH_EINVAL, "dedupe sign: NULL argument");
	if (s->count && line <= s->last_line)
		return sach__error_set(SACH_EINVAL, "dedupe sign: line %llu after line %llu",
				       (unsigned long long)line, (unsigned long long)s->last_line);
	if (idlen > SACH__DD_MAX_ID)
		idlen = SACH__DD_MAX_ID; /* ids only name documents in messages */
	if (!take(&p, end, &lo, 8) || !take(&p, end, &hi, 8) || !take(&p, end, &flags, 1))
		goto bad;
	if ((rc = sach__dd_out_u8(s->out, SACH__DD_TAG_DOC)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, line)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, lo)) < 0 ||
	    (rc = sach__dd_out_u64(s->out, hi)) < 0 ||
	    (rc = sach__dd_out_u8(s->out, flags)) < 0)
		return rc;
	if (s->p.near && flags) {
		for (i = 0; i < s->p.bands; i++) {
			if (!take(&p, end, &v, 8))
				goto bad;
			if ((rc = sach__dd_out_u64(s->out, v)) < 0)
				return rc;
		}
	}
	if ((rc = sach__dd_out_u32(s->out, (uint32_t)idlen)) < 0 ||
	    (rc = sach__dd_out_bytes(s->out, id, idlen)) < 0)
		return rc;
	if (s->p.lines) {
		if (!take(&p, end, &m, 4))
			goto bad;
		if ((rc = sach__dd_out_u32(s->out, m)) < 0)
			return rc;
		for (i = 0; i < 2 * m; i++) {
			if (!take(&p, end, &v, 8))
				goto bad;
			if ((rc = sach__dd_out_u64(s->out, v)) < 0)
				return rc;
		}
	}
	if (s->p.near && s->p.jaccard > 0) {
		if (!take(&p, end, &m, 4))
			goto bad;
		if ((rc = sach__dd_out_u32(s->out, m)) < 0)
			return rc;
		for (i = 0; i < m; i++) {
			if (!take(&p, end, &x, 4))
				goto bad;
			if ((rc = sach__dd_out_u32(s->out, x)) < 0)
				return rc;
		}
	}
	if (p != end)
		goto bad;
	sach__dd_out_record(s->out);
	s->count++;
	s->last_line = line;
	return 0;
bad:
	/* the file now holds a partial record: the caller must abort it */
	return sach__error_set(SACH_EINVAL, "dedupe sign: keys block does not match the "
			       "signer's parameters");
}

int sach_dedupe_signer_add(sach_dedupe_signer *s, uint64_t line, const char *id,
			   const char *text, size_t len)
{
	int rc;

	if (!s || (!text && len))
		return sach__error_set(SACH_EINVAL, "dedupe sign: NULL argument");
	if (s->count && line <= s->last_line)
		return sach__error_set(SACH_EINVAL, "dedupe sign: line %llu after line %llu",
				       (unsigned long long)line, (unsigned long long)s->last_line);
	if (!s->k && (rc = sach_dedupe_keyer_new(&s->k, &s->p)) < 0)
		return rc;
	sach_buf_clear(&s->blob);
	if ((rc = sach_dedupe_keyer_keys(s->k, text, len, &s->blob)) < 0)
		return rc;
	return sach_dedupe_signer_add_keys(s, line, id, s->blob.ptr, s->blob.len);
}

uint64_t sach_dedupe_signer_count(const sach_dedupe_signer *s)
{
	return s->count;
}

static void release(sach_dedupe_signer *s)
{
	sach_dedupe_keyer_free(s->k);
	sach_buf_free(&s->blob);
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
