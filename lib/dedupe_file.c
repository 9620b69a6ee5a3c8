/*
 * dedupe_file.c - the container shared by signature files, drop lists and
 * indexes: header, tagged records, trailer with count and checksum.
 *
 * Layout (all integers little-endian):
 *   "SACHDDUP"  magic, 8 bytes
 *   u32 kind (1 signature, 2 drop list, 3 index), u32 format version (of
 *       that kind: sach__dd_format_version())
 *   u32 flags (1 exact, 2 near, 4 lines, 8 paragraphs, 16 skeleton,
 *              32 cluster info), u32 shingle, u32 bands, u32 rows,
 *   u32 jaccard in millionths, u64 seed, u32 part, u32 line_min_docs
 *   records: a tag byte, then the record's fields
 *   'E', u64 record count, u64 XXH3-64 of every byte before this field
 * The whole stream may be zstd-compressed; the checksum is over the
 * uncompressed bytes, so it also catches a damaged frame that still decodes.
 * Writes go through sach_writer, so files appear under their name only
 * when complete.
 */
#include "dedupe_internal.h"
#include "error_internal.h"
#include "input.h"
#include "sach/io.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static const char magic[8] = { 'S', 'A', 'C', 'H', 'D', 'D', 'U', 'P' };
#define CHUNK ((size_t)1 << 16)

enum {
	F_EXACT = 1, F_NEAR = 2, F_LINES = 4, F_PARAGRAPHS = 8, F_SKELETON = 16,
	F_CLUSTER_INFO = 32
};

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case SACH__DD_SIG: return "a signature file";
	case SACH__DD_DROP: return "a drop list";
	case SACH__DD_INDEX: return "an index";
	default: return "an unknown kind of sach-dedupe file";
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

uint32_t sach__dd_format_version(uint32_t kind)
{
	switch (kind) {
	case SACH__DD_SIG: return SACH__DD_SIG_VERSION;
	case SACH__DD_DROP: return SACH__DD_DROP_VERSION;
	case SACH__DD_INDEX: return SACH__DD_INDEX_VERSION;
	default: return 0; /* never a version: an unknown kind is refused */
	}
}

#define HEADER_BYTES (8 + 4 * 9 + 8 + 4 * 2)

static void encode_header(unsigned char *b, const sach__dd_header *h)
{
	const sach_dedupe_params *p = &h->p;
	uint32_t flags = (p->exact ? F_EXACT : 0) | (p->near ? F_NEAR : 0) |
			 (p->lines ? F_LINES : 0) | (p->paragraphs ? F_PARAGRAPHS : 0) |
			 (p->skeleton ? F_SKELETON : 0) | (h->cluster_info ? F_CLUSTER_INFO : 0);

	/* bytes 52-59 are reserved: zero, not whatever the stack held (files
	 * of one input and build must be the same bytes) */
	memset(b, 0, HEADER_BYTES);
	memcpy(b, magic, 8);
	put32(b + 8, h->kind);
	put32(b + 12, sach__dd_format_version(h->kind));
	put32(b + 16, flags);
	put32(b + 20, p->shingle);
	put32(b + 24, p->bands);
	put32(b + 28, p->rows);
	put32(b + 32, (uint32_t)(p->jaccard * 1e6 + 0.5));
	put64(b + 36, p->seed);
	put32(b + 44, h->part);
	put32(b + 48, h->line_min_docs);
}

/* ---- writing ---- */

struct sach__dd_out {
	sach_writer *w;
	XXH3_state_t *xs;
	unsigned char buf[CHUNK];
	size_t len;
	uint64_t records;
};

static int flush_out(sach__dd_out *o)
{
	int rc;

	if (!o->len)
		return 0;
	XXH3_64bits_update(o->xs, o->buf, o->len);
	rc = sach_writer_write(o->w, o->buf, o->len);
	o->len = 0;
	return rc;
}

int sach__dd_out_bytes(sach__dd_out *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	int rc;

	while (n) {
		size_t k = CHUNK - o->len;

		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == CHUNK && (rc = flush_out(o)) < 0)
			return rc;
	}
	return 0;
}

int sach__dd_out_u8(sach__dd_out *o, uint8_t v)
{
	return sach__dd_out_bytes(o, &v, 1);
}

int sach__dd_out_u32(sach__dd_out *o, uint32_t v)
{
	unsigned char b[4];

	put32(b, v);
	return sach__dd_out_bytes(o, b, 4);
}

int sach__dd_out_u64(sach__dd_out *o, uint64_t v)
{
	unsigned char b[8];

	put64(b, v);
	return sach__dd_out_bytes(o, b, 8);
}

void sach__dd_out_record(sach__dd_out *o)
{
	o->records++;
}

int sach__dd_out_open(sach__dd_out **out, const char *path, const sach__dd_header *h,
		      bool compress)
{
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	unsigned char hb[HEADER_BYTES];
	sach__dd_out *o;
	int rc;

	*out = NULL;
	if (!path || !h)
		return sach__error_set(SACH_EINVAL, "dedupe file: no path or header");
	o = calloc(1, sizeof(*o));
	if (!o || !(o->xs = XXH3_createState())) {
		free(o);
		return sach__error_nomem();
	}
	XXH3_64bits_reset(o->xs);
	wo.compression = compress ? SACH_COMPRESS_ZSTD : SACH_COMPRESS_NONE;
	if ((rc = sach_writer_open(&o->w, path, &wo)) < 0) {
		XXH3_freeState(o->xs);
		free(o);
		return rc;
	}
	encode_header(hb, h);
	if ((rc = sach__dd_out_bytes(o, hb, sizeof(hb))) < 0) {
		sach__dd_out_abort(o);
		return rc;
	}
	*out = o;
	return 0;
}

int sach__dd_out_commit(sach__dd_out *o)
{
	unsigned char b[8];
	int rc;

	if ((rc = sach__dd_out_u8(o, SACH__DD_TAG_END)) < 0 ||
	    (rc = sach__dd_out_u64(o, o->records)) < 0 || (rc = flush_out(o)) < 0) {
		sach__dd_out_abort(o);
		return rc;
	}
	put64(b, XXH3_64bits_digest(o->xs));
	if ((rc = sach_writer_write(o->w, b, 8)) < 0) {
		sach__dd_out_abort(o);
		return rc;
	}
	rc = sach_writer_commit(o->w);
	XXH3_freeState(o->xs);
	free(o);
	return rc;
}

void sach__dd_out_abort(sach__dd_out *o)
{
	if (!o)
		return;
	sach_writer_abort(o->w);
	XXH3_freeState(o->xs);
	free(o);
}

/* ---- reading ---- */

struct sach__dd_in {
	sach_input *src;
	char *path;
	XXH3_state_t *xs;
	unsigned char buf[CHUNK];
	size_t pos, len, hashed;   /* hashed: bytes of buf already in xs */
	uint64_t records;
	bool ended;
};

int sach__dd_in_corrupt(const sach__dd_in *in, const char *what)
{
	return sach__error_set(SACH_ECORRUPT, "%s: corrupt sach-dedupe file (%s)", in->path, what);
}

const char *sach__dd_in_path(const sach__dd_in *in)
{
	return in->path;
}

/* Refills the buffer; bytes consumed so far go into the checksum first. */
static int refill(sach__dd_in *in)
{
	size_t got;
	int rc;

	if (in->pos > in->hashed)
		XXH3_64bits_update(in->xs, in->buf + in->hashed, in->pos - in->hashed);
	memmove(in->buf, in->buf + in->pos, in->len - in->pos);
	in->len -= in->pos;
	in->pos = in->hashed = 0;
	if ((rc = sach__input_read(in->src, (char *)in->buf + in->len, CHUNK - in->len, &got)) < 0)
		return rc;
	in->len += got;
	return (int)got;
}

int sach__dd_in_bytes(sach__dd_in *in, void *p, size_t n)
{
	unsigned char *d = p;
	int rc;

	while (n) {
		size_t k = in->len - in->pos;

		if (k == 0) {
			if ((rc = refill(in)) < 0)
				return rc;
			if (rc == 0)
				return sach__dd_in_corrupt(in, "truncated");
			continue;
		}
		if (k > n)
			k = n;
		memcpy(d, in->buf + in->pos, k);
		in->pos += k;
		d += k;
		n -= k;
	}
	return 0;
}

int sach__dd_in_u8(sach__dd_in *in, uint8_t *v)
{
	return sach__dd_in_bytes(in, v, 1);
}

int sach__dd_in_u32(sach__dd_in *in, uint32_t *v)
{
	unsigned char b[4];
	int rc = sach__dd_in_bytes(in, b, 4);

	*v = rc < 0 ? 0 : get32(b);
	return rc;
}

int sach__dd_in_u64(sach__dd_in *in, uint64_t *v)
{
	unsigned char b[8];
	int rc = sach__dd_in_bytes(in, b, 8);

	*v = rc < 0 ? 0 : get64(b);
	return rc;
}

int sach__dd_in_open(sach__dd_in **out, const char *path, uint32_t kind, sach__dd_header *h)
{
	unsigned char hb[HEADER_BYTES];
	sach__dd_in *in;
	uint32_t flags, version, got_kind, want_version;
	int rc;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in || !(in->path = strdup(path)) || !(in->xs = XXH3_createState())) {
		if (in)
			free(in->path);
		free(in);
		return sach__error_nomem();
	}
	XXH3_64bits_reset(in->xs);
	if ((rc = sach__input_open(&in->src, path, path)) < 0)
		goto fail;
	if ((rc = sach__dd_in_bytes(in, hb, sizeof(hb))) < 0)
		goto fail;
	if (memcmp(hb, magic, 8) != 0) {
		rc = sach__error_set(SACH_ECORRUPT, "%s: not a sach-dedupe file", path);
		goto fail;
	}
	got_kind = get32(hb + 8);
	version = get32(hb + 12);
	/* the version of the kind the file says it is (so a drop list of
	 * another version given for a signature file is named for its version) */
	want_version = sach__dd_format_version(got_kind) ? sach__dd_format_version(got_kind)
							  : sach__dd_format_version(kind);
	if (version != want_version) {
		rc = sach__error_set(SACH_ECORRUPT, "%s: format version %u; this build reads version %u",
				     path, version, want_version);
		goto fail;
	}
	if (got_kind != kind) {
		rc = sach__error_set(SACH_ECORRUPT, "%s: is %s, expected %s", path,
				     kind_name(got_kind), kind_name(kind));
		goto fail;
	}
	flags = get32(hb + 16);
	memset(h, 0, sizeof(*h));
	h->kind = got_kind;
	h->p.version = SACH_DEDUPE_PARAMS_VERSION;
	h->p.exact = flags & F_EXACT;
	h->p.near = flags & F_NEAR;
	h->p.lines = flags & F_LINES;
	h->p.paragraphs = flags & F_PARAGRAPHS;
	h->p.skeleton = flags & F_SKELETON;
	h->cluster_info = flags & F_CLUSTER_INFO;
	h->p.shingle = get32(hb + 20);
	h->p.bands = get32(hb + 24);
	h->p.rows = get32(hb + 28);
	h->p.jaccard = get32(hb + 32) / 1e6;
	h->p.seed = get64(hb + 36);
	h->part = get32(hb + 44);
	h->line_min_docs = get32(hb + 48);
	if (sach_dedupe_params_check(&h->p) < 0) {
		rc = sach__dd_in_corrupt(in, "parameters out of range");
		goto fail;
	}
	*out = in;
	return 0;
fail:
	sach__dd_in_close(in);
	return rc;
}

int sach__dd_in_next(sach__dd_in *in, int *tag)
{
	unsigned char b[8];
	uint8_t t;
	uint64_t count, want;
	int rc;

	if (in->ended)
		return 0;
	if ((rc = sach__dd_in_u8(in, &t)) < 0)
		return rc;
	if (t != SACH__DD_TAG_END) {
		*tag = t;
		in->records++;
		return 1;
	}
	if ((rc = sach__dd_in_u64(in, &count)) < 0)
		return rc;
	/* Everything up to here is covered by the checksum. */
	XXH3_64bits_update(in->xs, in->buf + in->hashed, in->pos - in->hashed);
	in->hashed = in->pos;
	want = XXH3_64bits_digest(in->xs);
	if ((rc = sach__dd_in_bytes(in, b, 8)) < 0)
		return rc;
	in->hashed = in->pos;
	if (get64(b) != want)
		return sach__dd_in_corrupt(in, "checksum mismatch");
	if (count != in->records)
		return sach__dd_in_corrupt(in, "record count mismatch");
	if (in->pos < in->len || (rc = refill(in)) != 0)
		return rc < 0 ? rc : sach__dd_in_corrupt(in, "data after the trailer");
	in->ended = true;
	return 0;
}

void sach__dd_in_close(sach__dd_in *in)
{
	if (!in)
		return;
	sach__input_close(in->src);
	XXH3_freeState(in->xs);
	free(in->path);
	free(in);
}

int sach__dd_params_match(const sach_dedupe_params *a, const char *what_a,
			  const sach_dedupe_params *b, const char *what_b)
{
#define DIFF(cond, name, fmt, va, vb) \
	if (cond) \
		return sach__error_set(SACH_ECONFIG, "%s was built with %s " fmt ", %s with " fmt \
				       "; use the same parameters", what_a, name, va, what_b, vb)
	DIFF(a->shingle != b->shingle, "--shingle", "%u", a->shingle, b->shingle);
	DIFF(a->bands != b->bands, "--bands", "%u", a->bands, b->bands);
	DIFF(a->rows != b->rows, "--rows", "%u", a->rows, b->rows);
	DIFF(a->seed != b->seed, "--seed", "%llu", (unsigned long long)a->seed,
	     (unsigned long long)b->seed);
	DIFF(a->skeleton != b->skeleton, "skeleton mode", "%s", a->skeleton ? "on" : "off",
	     b->skeleton ? "on" : "off");
	DIFF(a->near != b->near, "near duplicates", "%s", a->near ? "on" : "off",
	     b->near ? "on" : "off");
#undef DIFF
	return 0;
}
