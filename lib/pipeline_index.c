/*
 * pipeline_index.c - what the shard step needs of each final document,
 * written beside the part's final file by the step that writes it.
 *
 * Why: the shard step needs three things of a document: its line, the key
 * that decides its split and place (the id), and its syllable count. Only
 * the line is in the final file; getting the other two back meant parsing
 * every document with json-c and counting its syllables once more, after
 * the dedupe apply step had just held the same document parsed. That step
 * writes them here instead, and the shard step copies the final file's
 * lines as they are.
 *
 * Format: per document, in the final file's order, the key's length (u32,
 * little-endian), the syllable count (u64, little-endian) and the key's
 * bytes. The file is a work file: it is committed with the final file and
 * read only by this run.
 */
#include "pipeline_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "error_internal.h"
#include "input.h"
#include "sach/shard.h"

#define KEY_MAX ((uint32_t)1 << 20)

static void put_le(unsigned char *o, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		o[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *s, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = (v << 8) | s[i];
	return v;
}

/*
 * The split key of a document. A record without an id field gets
 * "SOURCE:LINE" from the reader, which names a work file (and so would
 * change with part_size or the output directory): such a document goes by
 * its text instead, "text:" and the XXH3-64 of the text in hex.
 */
const char *sach__pl_split_key(const sach_doc *doc, char own[32])
{
	const char *id = sach_doc_id(doc), *source = sach_doc_source(doc), *text;
	size_t n = strlen(source), len;

	if (strncmp(id, source, n) != 0 || id[n] != ':')
		return id;
	text = sach_doc_text(doc, &len);
	snprintf(own, 32, "text:%016llx", (unsigned long long)XXH3_64bits(text, len));
	return own;
}

int sach__pl_index_add(sach_writer *w, const sach_doc *doc)
{
	unsigned char head[12];
	char own[32];
	const char *key = sach__pl_split_key(doc, own), *text;
	size_t klen = strlen(key), len;
	int rc;

	if (klen > KEY_MAX)
		return sach__error_set(SACH_EINVAL, "%s:%llu: an id of %zu bytes is longer than "
				       "the %u a shard key may have", sach_doc_source(doc),
				       (unsigned long long)sach_doc_line(doc), klen, KEY_MAX);
	text = sach_doc_text(doc, &len);
	put_le(head, klen, 4);
	put_le(head + 4, sach_shard_count_syllables(text, len), 8);
	if ((rc = sach_writer_write(w, (const char *)head, sizeof(head))) < 0)
		return rc;
	return sach_writer_write(w, key, klen);
}

struct pl_index {
	sach_input *in;
	const char *path;
	unsigned char buf[1 << 16];
	size_t at, end;
	sach_buf key;
};

int sach__pl_index_open(pl_index **out, const char *path)
{
	pl_index *x = calloc(1, sizeof(*x));
	int rc;

	if (!x)
		return sach__error_nomem();
	if ((rc = sach__input_open(&x->in, path, path)) < 0) {
		free(x);
		return rc;
	}
	x->path = path;
	*out = x;
	return SACH_OK;
}

/* Makes n bytes available at x->buf + x->at: 1, 0 at a clean end, or an error. */
static int need(pl_index *x, size_t n)
{
	while (x->end - x->at < n) {
		size_t got;
		int rc;

		if (x->at > 0) {
			memmove(x->buf, x->buf + x->at, x->end - x->at);
			x->end -= x->at;
			x->at = 0;
		}
		if ((rc = sach__input_read(x->in, (char *)x->buf + x->end, sizeof(x->buf) - x->end,
					   &got)) < 0)
			return rc;
		if (got == 0)
			return x->end == x->at ? 0 :
			       sach__error_set(SACH_ECORRUPT, "'%s' is damaged (it ends inside a "
					       "record)", x->path);
		x->end += got;
	}
	return 1;
}

int sach__pl_index_next(pl_index *x, const char **key, size_t *klen, uint64_t *syllables)
{
	uint64_t n;
	int rc;

	if ((rc = need(x, 12)) <= 0)
		return rc;
	n = get_le(x->buf + x->at, 4);
	*syllables = get_le(x->buf + x->at + 4, 8);
	x->at += 12;
	if (n > KEY_MAX)
		return sach__error_set(SACH_ECORRUPT, "'%s' is damaged (a key of %llu bytes)",
				       x->path, (unsigned long long)n);
	sach_buf_clear(&x->key);
	while (n > 0) {
		size_t take;

		if ((rc = need(x, 1)) < 0)
			return rc;
		if (rc == 0)
			return sach__error_set(SACH_ECORRUPT, "'%s' is damaged (it ends inside a "
					       "record)", x->path);
		take = x->end - x->at < n ? x->end - x->at : (size_t)n;
		if ((rc = sach_buf_append(&x->key, (const char *)x->buf + x->at, take)) < 0)
			return rc;
		x->at += take;
		n -= take;
	}
	if ((rc = sach_buf_append(&x->key, "", 0)) < 0)
		return rc;
	*key = x->key.ptr ? x->key.ptr : "";
	*klen = x->key.len;
	return 1;
}

void sach__pl_index_close(pl_index *x)
{
	if (!x)
		return;
	sach__input_close(x->in);
	sach_buf_free(&x->key);
	free(x);
}
