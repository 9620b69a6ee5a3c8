/*
 * shard_sort.c - the shuffle's external sort by (split, key, ordinal).
 *
 * Records are appended to one arena until it holds `memory` bytes (lines
 * plus index entries); the arena is then sorted and written as a run file.
 * At the end the runs and the last arena are merged with a binary heap.
 * Ordinals are unique, so the order is total and does not depend on where
 * the runs were cut: the output is the same for any memory setting. When
 * MAX_RUNS runs exist they are merged into one, so open files stay bounded.
 *
 * Run file record: u32 split, u32 zero, u64 key, u64 ordinal, u64
 * syllables, u64 len (host byte order: the files never leave the process),
 * then len bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include "shard_internal.h"
#include "error_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RUNS 64
#define RUN_BUFFER ((size_t)1 << 20)

struct entry {
	uint32_t split;
	uint64_t key, ordinal, syllables;
	size_t off, len;
};

struct rec_head {
	uint32_t split, zero;
	uint64_t key, ordinal, syllables, len;
};

struct sach__sorter {
	char *tmp_dir;
	size_t memory;
	sach_buf arena;
	struct entry *v;
	size_t n, cap;
	char **runs;              /* paths of run files */
	size_t nruns;
	uint64_t run_seq;
};

int sach__sorter_new(sach__sorter **out, const char *tmp_dir, size_t memory)
{
	sach__sorter *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s || !(s->tmp_dir = strdup(tmp_dir))) {
		free(s);
		return sach__error_nomem();
	}
	s->memory = memory;
	s->runs = calloc(MAX_RUNS + 1, sizeof(*s->runs));
	if (!s->runs) {
		sach__sorter_free(s);
		return sach__error_nomem();
	}
	*out = s;
	return SACH_OK;
}

void sach__sorter_free(sach__sorter *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nruns; i++) {
		unlink(s->runs[i]);
		free(s->runs[i]);
	}
	free(s->runs);
	free(s->v);
	sach_buf_free(&s->arena);
	free(s->tmp_dir);
	free(s);
}

static int cmp_key(uint32_t sa, uint64_t ka, uint64_t oa, uint32_t sb, uint64_t kb, uint64_t ob)
{
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (oa != ob)
		return oa < ob ? -1 : 1;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return cmp_key(x->split, x->key, x->ordinal, y->split, y->key, y->ordinal);
}

/* ---- run files ----------------------------------------------------------- */

struct run_out {
	FILE *f;
	char *path;
};

static int run_create(sach__sorter *s, struct run_out *ro)
{
	size_t n = strlen(s->tmp_dir) + 40;

	ro->path = malloc(n);
	if (!ro->path)
		return sach__error_nomem();
	snprintf(ro->path, n, "%s/run-%06llu", s->tmp_dir, (unsigned long long)s->run_seq++);
	ro->f = fopen(ro->path, "wb");
	if (!ro->f) {
		int rc = sach__error_set(SACH_EIO, "%s: cannot create: %s", ro->path, strerror(errno));
		free(ro->path);
		ro->path = NULL;
		return rc;
	}
	setvbuf(ro->f, NULL, _IOFBF, RUN_BUFFER);
	return SACH_OK;
}

static int run_put(void *ctx, const sach__shard_rec *r)
{
	struct run_out *ro = ctx;
	struct rec_head h;

	memset(&h, 0, sizeof(h));
	h.split = r->split;
	h.key = r->key;
	h.ordinal = r->ordinal;
	h.syllables = r->syllables;
	h.len = r->len;
	if (fwrite(&h, sizeof(h), 1, ro->f) != 1 || (r->len && fwrite(r->line, r->len, 1, ro->f) != 1))
		return sach__error_set(SACH_EIO, "%s: write error: %s", ro->path, strerror(errno));
	return SACH_OK;
}

/* Closes a run being written; on success it joins s->runs. */
static int run_finish(sach__sorter *s, struct run_out *ro, bool ok)
{
	bool closed = fclose(ro->f) == 0;

	if (!ok || !closed) {
		int rc = ok ? sach__error_set(SACH_EIO, "%s: write error: %s", ro->path, strerror(errno))
			    : sach_error_last_code();
		unlink(ro->path);
		free(ro->path);
		return rc ? rc : SACH_EIO;
	}
	s->runs[s->nruns++] = ro->path;
	return SACH_OK;
}

struct run_in {
	FILE *f;
	const char *path;
	sach_buf buf;
	sach__shard_rec cur;
	bool done;
};

static int run_next(struct run_in *ri)
{
	struct rec_head h;

	if (fread(&h, sizeof(h), 1, ri->f) != 1) {
		if (ferror(ri->f))
			return sach__error_set(SACH_EIO, "%s: read error: %s", ri->path, strerror(errno));
		ri->done = true;
		return SACH_OK;
	}
	sach_buf_clear(&ri->buf);
	if (h.len > SIZE_MAX - 1 || sach_buf_reserve(&ri->buf, (size_t)h.len) < 0)
		return sach__error_nomem();
	if (h.len && fread(ri->buf.ptr, (size_t)h.len, 1, ri->f) != 1)
		return sach__error_set(SACH_EIO, "%s: cut short", ri->path);
	ri->buf.len = (size_t)h.len;
	ri->cur.split = h.split;
	ri->cur.key = h.key;
	ri->cur.ordinal = h.ordinal;
	ri->cur.syllables = h.syllables;
	ri->cur.line = ri->buf.ptr;
	ri->cur.len = (size_t)h.len;
	return SACH_OK;
}

/* ---- merging ------------------------------------------------------------- */

/* A source of sorted records: a run file, or the sorted arena. */
struct source {
	struct run_in *run;       /* NULL for the arena */
	size_t pos;               /* arena: next entry */
	sach__shard_rec cur;
	bool done;
};

static void arena_load(const sach__sorter *s, struct source *src)
{
	const struct entry *e;

	if (src->pos >= s->n) {
		src->done = true;
		return;
	}
	e = &s->v[src->pos++];
	src->cur.split = e->split;
	src->cur.key = e->key;
	src->cur.ordinal = e->ordinal;
	src->cur.syllables = e->syllables;
	src->cur.line = s->arena.ptr + e->off;
	src->cur.len = e->len;
}

static int source_advance(const sach__sorter *s, struct source *src)
{
	int rc;

	if (!src->run) {
		arena_load(s, src);
		return SACH_OK;
	}
	if ((rc = run_next(src->run)) < 0)
		return rc;
	src->done = src->run->done;
	src->cur = src->run->cur;
	return SACH_OK;
}

static bool src_less(const struct source *a, const struct source *b)
{
	return cmp_key(a->cur.split, a->cur.key, a->cur.ordinal, b->cur.split, b->cur.key,
		       b->cur.ordinal) < 0;
}

static void heap_down(struct source **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct source *t;

		if (l < n && src_less(h[l], h[m]))
			m = l;
		if (r < n && src_less(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/*
 * Merges every run (and the arena, when with_arena) into sink. The runs
 * merged are removed afterwards, whatever the outcome.
 */
static int merge(sach__sorter *s, bool with_arena, sach__shard_sink sink, void *ctx)
{
	size_t nsrc = s->nruns + (with_arena ? 1 : 0), i, n = 0;
	struct source *src = calloc(nsrc ? nsrc : 1, sizeof(*src));
	struct run_in *ins = calloc(s->nruns ? s->nruns : 1, sizeof(*ins));
	struct source **heap = calloc(nsrc ? nsrc : 1, sizeof(*heap));
	int rc = SACH_OK;

	if (!src || !ins || !heap) {
		rc = sach__error_nomem();
		goto out;
	}
	for (i = 0; i < s->nruns; i++) {
		ins[i].path = s->runs[i];
		ins[i].f = fopen(s->runs[i], "rb");
		if (!ins[i].f) {
			rc = sach__error_set(SACH_EIO, "%s: cannot open: %s", s->runs[i], strerror(errno));
			goto out;
		}
		setvbuf(ins[i].f, NULL, _IOFBF, RUN_BUFFER / 4);
		src[i].run = &ins[i];
	}
	for (i = 0; i < nsrc; i++) {
		if ((rc = source_advance(s, &src[i])) < 0)
			goto out;
		if (!src[i].done)
			heap[n++] = &src[i];
	}
	for (i = n / 2; i-- > 0;)
		heap_down(heap, n, i);
	while (n) {
		struct source *top = heap[0];

		if ((rc = sink(ctx, &top->cur)) < 0)
			goto out;
		if ((rc = source_advance(s, top)) < 0)
			goto out;
		if (top->done)
			heap[0] = heap[--n];
		heap_down(heap, n, 0);
	}
out:
	for (i = 0; ins && i < s->nruns; i++) {
		if (ins[i].f)
			fclose(ins[i].f);
		sach_buf_free(&ins[i].buf);
	}
	for (i = 0; i < s->nruns; i++) {
		unlink(s->runs[i]);
		free(s->runs[i]);
	}
	s->nruns = 0;
	free(src);
	free(ins);
	free(heap);
	return rc;
}

/* Too many runs: merge them into one so the final merge opens few files. */
static int compact_runs(sach__sorter *s)
{
	struct run_out ro;
	int rc;

	if ((rc = run_create(s, &ro)) < 0)
		return rc;
	rc = merge(s, false, run_put, &ro);
	return run_finish(s, &ro, rc == SACH_OK);
}

static int spill(sach__sorter *s)
{
	struct run_out ro;
	struct source arena;
	int rc = SACH_OK;

	if (s->nruns == MAX_RUNS && (rc = compact_runs(s)) < 0)
		return rc;
	qsort(s->v, s->n, sizeof(*s->v), cmp_entry);
	if ((rc = run_create(s, &ro)) < 0)
		return rc;
	memset(&arena, 0, sizeof(arena));
	for (arena_load(s, &arena); !arena.done; arena_load(s, &arena))
		if ((rc = run_put(&ro, &arena.cur)) < 0)
			break;
	rc = run_finish(s, &ro, rc == SACH_OK);
	s->n = 0;
	sach_buf_clear(&s->arena);
	return rc;
}

int sach__sorter_add(sach__sorter *s, const sach__shard_rec *rec)
{
	struct entry *e;
	int rc;

	if (s->n && s->arena.len + s->n * sizeof(*e) + rec->len + sizeof(*e) > s->memory &&
	    (rc = spill(s)) < 0)
		return rc;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct entry *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return sach__error_nomem();
		s->v = v;
		s->cap = cap;
	}
	e = &s->v[s->n];
	e->split = rec->split;
	e->key = rec->key;
	e->ordinal = rec->ordinal;
	e->syllables = rec->syllables;
	e->off = s->arena.len;
	e->len = rec->len;
	if ((rc = sach_buf_append(&s->arena, rec->line, rec->len)) < 0)
		return rc;
	s->n++;
	return SACH_OK;
}

int sach__sorter_drain(sach__sorter *s, sach__shard_sink sink, void *ctx)
{
	int rc;

	qsort(s->v, s->n, sizeof(*s->v), cmp_entry);
	rc = merge(s, true, sink, ctx);
	s->n = 0;
	sach_buf_clear(&s->arena);
	return rc;
}
