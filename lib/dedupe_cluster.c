/*
 * dedupe_cluster.c - stage 2: every signature file (and the index) ->
 * drop list (and the updated index).
 *
 * Documents get consecutive numbers in global order: index documents
 * first, then part 0, 1, ... in line order. Exact keys and each LSH band
 * are grouped by a stable sort; every group is joined in a union-find
 * whose root is its lowest number, so each cluster keeps its lowest
 * ordinal whatever order the groups come in. A second pass over the
 * signature files counts the line keys of the documents that survive; when
 * some line is repeated, a third marks the surviving documents that hold
 * one, so apply looks at the lines of those documents only (folding every
 * line of every kept document was most of apply's time, and most documents
 * hold no repeated line).
 *
 * Drop list records (after the header; see dedupe_file.c):
 *   'P' u32 part, u64 documents signed in it
 *   'X' u32 part, u64 line, u8 reason, u64 cluster id, u32 cluster size,
 *       u32 length + id of the kept document (empty for a kept member)
 *   'L' u64 repeated line key (ascending)
 *   'M' u32 part, u64 line: a kept document holding a repeated line (in
 *       part, then line order; since format version 2)
 *   'Q' u64 pre-key of a repeated line, as signed in a kept document
 *       (ascending; since format version 2)
 * Reasons: 0 kept member of a cluster (cluster info only), 1 exact, 2
 * near, 3 exact of an indexed document, 4 near of an indexed document.
 * The cluster id is the low 64 bits of the kept document's exact key, so
 * it does not depend on how the input was split.
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { D_SIG = 1, D_INDEX = 2 };

struct table {
	sach_dedupe_params p;
	bool sets;                  /* shingle sets kept for the Jaccard check */
	size_t n, cap, mem, used, peak;
	uint64_t *key;              /* 2 per document */
	uint64_t *bands;            /* p.bands per document */
	uint8_t *flags;
	uint32_t *part;
	uint64_t *line;
	uint64_t *id_off;           /* n + 1 offsets into ids */
	sach_buf ids;
	uint64_t *set_off;          /* n + 1 offsets (in u32) into sets */
	sach_buf sets_buf;
};

struct sigfile {
	const char *path;
	uint32_t part;
};

static int over_budget(struct table *t, size_t want)
{
	return sach__error_set(SACH_ECONFIG,
			       "dedupe cluster: %zu documents need more than the memory budget of "
			       "%zu MiB (about %d bytes per document plus ids, %zu MiB asked for); "
			       "raise --mem",
			       t->n, t->mem >> 20, SACH_DEDUPE_BYTES_PER_DOC, want >> 20);
}

static void account(struct table *t, size_t before, size_t after)
{
	t->used = t->used - before + after;
	if (t->used > t->peak)
		t->peak = t->used;
}

static size_t per_doc(const struct table *t)
{
	return 16 + (t->p.near ? t->p.bands * 8 : 0) + 1 + 4 + 8 + 8 + (t->sets ? 8 : 0);
}

static int grow_array(void **p, size_t elem, size_t cap)
{
	void *q = realloc(*p, elem * cap);

	if (!q)
		return sach__error_nomem();
	*p = q;
	return 0;
}

static int grow(struct table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 4096;
	size_t before = t->cap * per_doc(t), after = cap * per_doc(t);

	if (t->used - before + after > t->mem)
		return over_budget(t, t->used - before + after);
	if (grow_array((void **)&t->key, 16, cap) < 0 ||
	    (t->p.near && grow_array((void **)&t->bands, (size_t)t->p.bands * 8, cap) < 0) ||
	    grow_array((void **)&t->flags, 1, cap) < 0 || grow_array((void **)&t->part, 4, cap) < 0 ||
	    grow_array((void **)&t->line, 8, cap) < 0 || grow_array((void **)&t->id_off, 8, cap + 1) < 0 ||
	    (t->sets && grow_array((void **)&t->set_off, 8, cap + 1) < 0))
		return SACH_ENOMEM;
	t->cap = cap;
	account(t, before, after);
	return 0;
}

/* Appends to an arena buffer under the budget. */
static int arena_append(struct table *t, sach_buf *b, const void *data, size_t len)
{
	size_t before = b->cap;
	int rc;

	if (b->len + len + 1 > b->cap && t->used + b->cap + len + 1 > t->mem)
		return over_budget(t, t->used + b->cap + len);
	if ((rc = sach_buf_append(b, data, len)) < 0)
		return rc;
	account(t, before, b->cap);
	return 0;
}

static int skip(sach__dd_in *in, size_t n)
{
	unsigned char tmp[4096];
	int rc;

	while (n) {
		size_t k = n < sizeof(tmp) ? n : sizeof(tmp);

		if ((rc = sach__dd_in_bytes(in, tmp, k)) < 0)
			return rc;
		n -= k;
	}
	return 0;
}

/* Reads one 'D' record into the table (lines skipped). */
static int read_doc(struct table *t, sach__dd_in *in, const sach__dd_header *h, uint8_t kind,
		    uint32_t part)
{
	char idbuf[SACH__DD_MAX_ID];
	uint64_t line, k0, k1;
	uint32_t idlen, n;
	uint8_t fl;
	size_t i = t->n;
	unsigned b;
	int rc;

	if (t->n == t->cap && (rc = grow(t)) < 0)
		return rc;
	if ((rc = sach__dd_in_u64(in, &line)) < 0 || (rc = sach__dd_in_u64(in, &k0)) < 0 ||
	    (rc = sach__dd_in_u64(in, &k1)) < 0 || (rc = sach__dd_in_u8(in, &fl)) < 0)
		return rc;
	if (fl > 1)
		return sach__dd_in_corrupt(in, "bad document flags");
	t->key[2 * i] = k0;
	t->key[2 * i + 1] = k1;
	t->line[i] = line;
	t->part[i] = part;
	t->flags[i] = (uint8_t)(kind | (fl ? 4 : 0));
	if (h->p.near && fl) {
		for (b = 0; b < h->p.bands; b++)
			if ((rc = sach__dd_in_u64(in, &t->bands[i * h->p.bands + b])) < 0)
				return rc;
	}
	if ((rc = sach__dd_in_u32(in, &idlen)) < 0)
		return rc;
	if (idlen > SACH__DD_MAX_ID)
		return sach__dd_in_corrupt(in, "id too long");
	if ((rc = sach__dd_in_bytes(in, idbuf, idlen)) < 0)
		return rc;
	if (i == 0)
		t->id_off[0] = t->ids.len;
	if ((rc = arena_append(t, &t->ids, idbuf, idlen)) < 0)
		return rc;
	t->id_off[i + 1] = t->ids.len;
	if (h->p.lines) {
		if ((rc = sach__dd_in_u32(in, &n)) < 0)
			return rc;
		if (n > SACH__DD_MAX_ITEMS)
			return sach__dd_in_corrupt(in, "too many line keys");
		if ((rc = skip(in, (size_t)n * 16)) < 0)
			return rc;
	}
	if (t->sets && i == 0)
		t->set_off[0] = 0;
	if (h->p.near && h->p.jaccard > 0) {
		if ((rc = sach__dd_in_u32(in, &n)) < 0)
			return rc;
		if (n > SACH__DD_MAX_ITEMS)
			return sach__dd_in_corrupt(in, "shingle set too large");
		if (t->sets) {
			uint32_t x;

			for (b = 0; b < n; b++) {
				if ((rc = sach__dd_in_u32(in, &x)) < 0 ||
				    (rc = arena_append(t, &t->sets_buf, &x, 4)) < 0)
					return rc;
			}
		} else if ((rc = skip(in, (size_t)n * 4)) < 0) {
			return rc;
		}
	}
	if (t->sets)
		t->set_off[i + 1] = t->sets_buf.len / 4;
	t->n++;
	return 0;
}

static int load_file(struct table *t, const char *path, uint32_t kind, uint8_t dkind,
		     const sach_dedupe_params *want, const char *want_name)
{
	sach__dd_header h;
	sach__dd_in *in;
	size_t first = t->n;
	int rc, tag;

	if ((rc = sach__dd_in_open(&in, path, kind, &h)) < 0)
		return rc;
	if ((rc = sach__dd_params_match(&h.p, path, want, want_name)) < 0)
		goto out;
	while ((rc = sach__dd_in_next(in, &tag)) == 1) {
		if (tag != SACH__DD_TAG_DOC) {
			rc = sach__dd_in_corrupt(in, "unexpected record");
			goto out;
		}
		if ((rc = read_doc(t, in, &h, dkind, h.part)) < 0)
			goto out;
		/* The signer writes lines that grow; the drop list lists them in
		 * that order and apply refuses any other, so a signature file
		 * out of order is refused here, not in a drop list we wrote. An
		 * index holds documents of many parts: its lines need no order. */
		if (dkind == D_SIG && t->n - first > 1 && t->line[t->n - 1] <= t->line[t->n - 2]) {
			rc = sach__dd_in_corrupt(in, "document lines out of order");
			goto out;
		}
	}
out:
	sach__dd_in_close(in);
	return rc;
}

static bool has_sig(const struct table *t, size_t i)
{
	return t->flags[i] & 4;
}

static bool same_key(const struct table *t, size_t a, size_t b)
{
	return t->key[2 * a] == t->key[2 * b] && t->key[2 * a + 1] == t->key[2 * b + 1];
}

/*
 * Unions the members of one group of equal low key halves (in document
 * order) that have the same high half too. A file from the signer only
 * has equal keys in a group, but a crafted one (an index comes from the
 * user) can hold many high halves under one low half, and looking for
 * each member's equal among the earlier ones would take quadratic time:
 * such a group is sorted by its high halves instead (stable, so each run
 * starts with its lowest member, which leads).
 */
static void join_exact(const struct table *t, uint32_t *parent, sach__dd_pair *g,
		       sach__dd_pair *tmp, size_t n)
{
	size_t s, j;

	for (j = 1; j < n && same_key(t, g[0].i, g[j].i); j++)
		;
	if (j < n) {
		for (j = 0; j < n; j++)
			g[j].h = t->key[2 * g[j].i + 1];
		sach__dd_sort_pairs(g, tmp, n);
	}
	for (s = 0, j = 1; j < n; j++) {
		if (g[j].h != g[s].h)
			s = j;
		else
			sach__uf_union(parent, g[s].i, g[j].i);
	}
}

/* Unions every group of equal hashes (pairs sorted, stable). */
static void join_groups(struct table *t, uint32_t *parent, sach__dd_pair *v, sach__dd_pair *tmp,
			size_t n, bool exact, sach_dedupe_cluster_stats *st)
{
	size_t s, e, j;

	for (s = 0; s < n; s = e) {
		for (e = s + 1; e < n && v[e].h == v[s].h; e++)
			;
		if (exact) {
			join_exact(t, parent, v + s, tmp, e - s);
			continue;
		}
		for (j = s + 1; j < e; j++) {
			uint32_t a = v[s].i, b = v[j].i;

			if (sach__uf_find(parent, a) == sach__uf_find(parent, b))
				continue;
			if (t->sets) {
				const uint32_t *sa = (const uint32_t *)(void *)t->sets_buf.ptr + t->set_off[a];
				const uint32_t *sb = (const uint32_t *)(void *)t->sets_buf.ptr + t->set_off[b];
				size_t na = t->set_off[a + 1] - t->set_off[a];
				size_t nb = t->set_off[b + 1] - t->set_off[b];
				size_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;

				/* Jaccard is at most lo / hi: a pair that bound refuses
				 * needs no merge (the same decision), so one huge set in
				 * a bucket does not cost its length for every member. */
				if ((hi && (double)lo / (double)hi < t->p.jaccard) ||
				    sach__dd_set_jaccard(sa, na, sb, nb) < t->p.jaccard) {
					st->candidates_rejected++;
					continue;
				}
			}
			sach__uf_union(parent, a, b);
		}
	}
}

static int cmp_sigfile(const void *x, const void *y)
{
	const struct sigfile *a = x, *b = y;

	return a->part < b->part ? -1 : a->part > b->part;
}

/* ---- line counting (second pass) ---- */

/*
 * A set of u64 (open addressing, linear probing; 0 is held apart because
 * an empty slot is 0), under the budget.
 */
struct u64set {
	uint64_t *slot;
	size_t mask, n;
	bool zero;
};

static size_t slot_of(uint64_t v, size_t mask)
{
	/* the values are XXH3 hashes, uniform already; the mix spreads runs */
	return (size_t)((v ^ (v >> 29)) * 0x9e3779b97f4a7c15ull >> 7) & mask;
}

static bool u64set_has(const struct u64set *s, uint64_t v)
{
	size_t j;

	if (!v)
		return s->zero;
	if (!s->slot)
		return false;
	for (j = slot_of(v, s->mask); s->slot[j]; j = (j + 1) & s->mask)
		if (s->slot[j] == v)
			return true;
	return false;
}

static int u64set_add(struct table *t, struct u64set *s, uint64_t v)
{
	size_t j;

	if (!v) {
		s->zero = true;
		return 0;
	}
	if (2 * (s->n + 1) > (s->slot ? s->mask + 1 : 0)) {
		size_t old = s->slot ? s->mask + 1 : 0, cap = old ? 2 * old : 1024, i;
		uint64_t *slot;

		if (t->used + cap * 8 > t->mem)
			return over_budget(t, t->used + cap * 8);
		if (!(slot = calloc(cap, 8)))
			return sach__error_nomem();
		account(t, 0, cap * 8);
		for (i = 0; i < old; i++) {
			if (!s->slot[i])
				continue;
			for (j = slot_of(s->slot[i], cap - 1); slot[j]; j = (j + 1) & (cap - 1))
				;
			slot[j] = s->slot[i];
		}
		free(s->slot);
		account(t, old * 8, 0);
		s->slot = slot;
		s->mask = cap - 1;
	}
	for (j = slot_of(v, s->mask); s->slot[j]; j = (j + 1) & s->mask)
		if (s->slot[j] == v)
			return 0;
	s->slot[j] = v;
	s->n++;
	return 0;
}

static void u64set_free(struct u64set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* The line pass state: the repeated line keys, and what the marking pass
 * gathers (the pre-keys of the repeated lines). */
struct line_pass {
	sach__dd_out *out;
	struct table *t;
	uint64_t repeated;
	uint64_t *list;            /* the repeated keys as emitted */
	size_t list_cap;
	struct u64set keys, pre;
	size_t marked;             /* table number + 1 of the last marked document */
};

/*
 * The list grows outside the budget while the counter still holds its
 * memory (it holds at most 1/line_min_docs of the keys counted); it is
 * accounted, and turned into a set, once the counter is freed.
 */
static int emit_line(void *ctx, uint64_t key)
{
	struct line_pass *lp = ctx;
	int rc;

	if ((rc = sach__dd_out_u8(lp->out, SACH__DD_TAG_LINE)) < 0 ||
	    (rc = sach__dd_out_u64(lp->out, key)) < 0)
		return rc;
	sach__dd_out_record(lp->out);
	if (lp->repeated == lp->list_cap) {
		size_t cap = lp->list_cap ? 2 * lp->list_cap : 1024;

		if ((rc = grow_array((void **)&lp->list, 8, cap)) < 0)
			return rc;
		lp->list_cap = cap;
	}
	lp->list[lp->repeated++] = key;
	return 0;
}

static int line_set_build(struct line_pass *lp)
{
	size_t i;
	int rc;

	if (lp->t->used + lp->list_cap * 8 > lp->t->mem)
		return over_budget(lp->t, lp->t->used + lp->list_cap * 8);
	account(lp->t, 0, lp->list_cap * 8);
	for (i = 0; i < lp->repeated; i++)
		if ((rc = u64set_add(lp->t, &lp->keys, lp->list[i])) < 0)
			return rc;
	free(lp->list);
	lp->list = NULL;
	account(lp->t, lp->list_cap * 8, 0);
	lp->list_cap = 0;
	return 0;
}

/* Calls fn(ctx, i, key, pre-key) for each line pair of each surviving
 * document i of one signature file, in file order; *next is the table
 * number of its first document. */
typedef int (*line_fn)(void *ctx, size_t i, uint64_t key, uint64_t pre);

static int each_line_key(const struct table *t, const uint32_t *parent, const char *path,
			 size_t *next, line_fn fn, void *ctx)
{
	sach__dd_header h;
	sach__dd_in *in;
	uint64_t v[2];
	uint32_t n, idlen, k;
	uint8_t fl;
	int rc, tag;

	if ((rc = sach__dd_in_open(&in, path, SACH__DD_SIG, &h)) < 0)
		return rc;
	while ((rc = sach__dd_in_next(in, &tag)) == 1) {
		size_t i = (*next)++;
		bool keep = i < t->n && parent[i] == i;

		if (tag != SACH__DD_TAG_DOC || i >= t->n) {
			rc = sach__dd_in_corrupt(in, "changed since it was read");
			break;
		}
		if ((rc = skip(in, 24)) < 0 || (rc = sach__dd_in_u8(in, &fl)) < 0 ||
		    (rc = skip(in, h.p.near && fl ? (size_t)h.p.bands * 8 : 0)) < 0 ||
		    (rc = sach__dd_in_u32(in, &idlen)) < 0 ||
		    (rc = skip(in, idlen <= SACH__DD_MAX_ID ? idlen : 0)) < 0 ||
		    (rc = sach__dd_in_u32(in, &n)) < 0)
			break;
		if (n > SACH__DD_MAX_ITEMS) {
			rc = sach__dd_in_corrupt(in, "too many line keys");
			break;
		}
		if (!keep) {
			if ((rc = skip(in, (size_t)n * 16)) < 0)
				break;
		} else {
			for (k = 0; k < n; k++) {
				if ((rc = sach__dd_in_u64(in, &v[0])) < 0 ||
				    (rc = sach__dd_in_u64(in, &v[1])) < 0 ||
				    (rc = fn(ctx, i, v[0], v[1])) < 0)
					goto out;
			}
		}
		if (h.p.near && h.p.jaccard > 0) {
			if ((rc = sach__dd_in_u32(in, &n)) < 0)
				break;
			if (n > SACH__DD_MAX_ITEMS) {
				rc = sach__dd_in_corrupt(in, "shingle set too large");
				break;
			}
			if ((rc = skip(in, (size_t)n * 4)) < 0)
				break;
		}
	}
out:
	sach__dd_in_close(in);
	return rc;
}

struct count_ctx {
	sach__dd_lines *lc;
	uint64_t counted;
	uint64_t last_key;
	size_t last_doc;           /* table number + 1 */
};

/* Counts each key once per document (pairs come sorted by key; a key with
 * two pre-keys is still one line key of the document). */
static int count_key(void *ctx, size_t i, uint64_t key, uint64_t pre)
{
	struct count_ctx *cc = ctx;

	(void)pre;
	if (cc->last_doc == i + 1 && cc->last_key == key)
		return 0;
	cc->last_doc = i + 1;
	cc->last_key = key;
	cc->counted++;
	return sach__dd_lines_add(cc->lc, key);
}

/* Writes an 'M' record for each surviving document with a repeated line
 * and gathers the pre-keys of its repeated lines. */
static int mark_key(void *ctx, size_t i, uint64_t key, uint64_t pre)
{
	struct line_pass *lp = ctx;
	int rc;

	if (!u64set_has(&lp->keys, key))
		return 0;
	if (lp->marked != i + 1) {
		if ((rc = sach__dd_out_u8(lp->out, SACH__DD_TAG_MARK)) < 0 ||
		    (rc = sach__dd_out_u32(lp->out, lp->t->part[i])) < 0 ||
		    (rc = sach__dd_out_u64(lp->out, lp->t->line[i])) < 0)
			return rc;
		sach__dd_out_record(lp->out);
		lp->marked = i + 1;
	}
	return u64set_add(lp->t, &lp->pre, pre);
}

/* Writes the gathered pre-keys, ascending ('Q' records). */
static int write_prekeys(struct line_pass *lp)
{
	struct u64set *s = &lp->pre;
	uint64_t *v;
	size_t n = 0, i;
	int rc = 0;

	if (!(v = malloc((s->n + 1) * 8)))
		return sach__error_nomem();
	if (s->zero)
		v[n++] = 0;
	for (i = 0; s->slot && i <= s->mask; i++)
		if (s->slot[i])
			v[n++] = s->slot[i];
	sach__dd_sort_u64(v, n);
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = sach__dd_out_u8(lp->out, SACH__DD_TAG_PREKEY)) < 0 ||
		    (rc = sach__dd_out_u64(lp->out, v[i])) < 0)
			break;
		sach__dd_out_record(lp->out);
	}
	free(v);
	return rc;
}

/* ---- output ---- */

static int write_entry(sach__dd_out *o, const struct table *t, size_t i, uint8_t reason,
		       size_t root, uint32_t size)
{
	uint64_t idlen = reason ? t->id_off[root + 1] - t->id_off[root] : 0;
	int rc;

	if ((rc = sach__dd_out_u8(o, SACH__DD_TAG_ENTRY)) < 0 ||
	    (rc = sach__dd_out_u32(o, t->part[i])) < 0 || (rc = sach__dd_out_u64(o, t->line[i])) < 0 ||
	    (rc = sach__dd_out_u8(o, reason)) < 0 || (rc = sach__dd_out_u64(o, t->key[2 * root])) < 0 ||
	    (rc = sach__dd_out_u32(o, size)) < 0 || (rc = sach__dd_out_u32(o, (uint32_t)idlen)) < 0 ||
	    (rc = sach__dd_out_bytes(o, t->ids.ptr + t->id_off[root], idlen)) < 0)
		return rc;
	sach__dd_out_record(o);
	return 0;
}

static int write_index(const struct table *t, const uint32_t *parent, const char *path,
		       bool compress, uint64_t *written)
{
	sach__dd_header h;
	sach__dd_out *o;
	size_t i;
	unsigned b;
	int rc;

	memset(&h, 0, sizeof(h));
	h.kind = SACH__DD_INDEX;
	h.p = t->p;
	h.p.lines = false;   /* an index holds documents, not their lines */
	h.p.paragraphs = false;
	h.p.jaccard = 0;
	if ((rc = sach__dd_out_open(&o, path, &h, compress)) < 0)
		return rc;
	for (i = 0; i < t->n; i++) {
		uint64_t idlen = t->id_off[i + 1] - t->id_off[i];

		if (!(t->flags[i] & D_INDEX) && parent[i] != i)
			continue;
		if ((rc = sach__dd_out_u8(o, SACH__DD_TAG_DOC)) < 0 ||
		    (rc = sach__dd_out_u64(o, t->line[i])) < 0 ||
		    (rc = sach__dd_out_u64(o, t->key[2 * i])) < 0 ||
		    (rc = sach__dd_out_u64(o, t->key[2 * i + 1])) < 0 ||
		    (rc = sach__dd_out_u8(o, has_sig(t, i) ? 1 : 0)) < 0)
			goto fail;
		if (t->p.near && has_sig(t, i))
			for (b = 0; b < t->p.bands; b++)
				if ((rc = sach__dd_out_u64(o, t->bands[i * t->p.bands + b])) < 0)
					goto fail;
		if ((rc = sach__dd_out_u32(o, (uint32_t)idlen)) < 0 ||
		    (rc = sach__dd_out_bytes(o, t->ids.ptr + t->id_off[i], idlen)) < 0)
			goto fail;
		sach__dd_out_record(o);
		(*written)++;
	}
	return sach__dd_out_commit(o);
fail:
	sach__dd_out_abort(o);
	return rc;
}

static void table_free(struct table *t)
{
	free(t->key);
	free(t->bands);
	free(t->flags);
	free(t->part);
	free(t->line);
	free(t->id_off);
	free(t->set_off);
	sach_buf_free(&t->ids);
	sach_buf_free(&t->sets_buf);
}

/* Reads the headers: parameters must agree, parts must be distinct. */
static int scan_headers(const char *const *sigs, size_t nsigs, struct sigfile *files,
			sach__dd_header *first)
{
	size_t i;
	int rc;

	for (i = 0; i < nsigs; i++) {
		sach__dd_header h;
		sach__dd_in *in;

		if ((rc = sach__dd_in_open(&in, sigs[i], SACH__DD_SIG, &h)) < 0)
			return rc;
		sach__dd_in_close(in);
		if (i == 0)
			*first = h;
		else if ((rc = sach__dd_params_match(&h.p, sigs[i], &first->p, sigs[0])) < 0)
			return rc;
		else if (h.p.exact != first->p.exact || h.p.lines != first->p.lines ||
			 h.p.paragraphs != first->p.paragraphs || h.p.jaccard != first->p.jaccard)
			return sach__error_set(SACH_ECONFIG, "%s and %s were signed with different "
					       "options (exact, lines, paragraphs or Jaccard check)",
					       sigs[i], sigs[0]);
		files[i].path = sigs[i];
		files[i].part = h.part;
	}
	qsort(files, nsigs, sizeof(*files), cmp_sigfile);
	for (i = 1; i < nsigs; i++)
		if (files[i].part == files[i - 1].part)
			return sach__error_set(SACH_ECONFIG, "%s and %s are both part %u",
					       files[i - 1].path, files[i].path, files[i].part);
	return 0;
}

int sach_dedupe_cluster(const char *const *sigs, size_t nsigs, const char *droplist,
			const sach_dedupe_cluster_options *o, sach_dedupe_cluster_stats *stats)
{
	sach_dedupe_cluster_stats st;
	sach__dd_header first, dh;
	struct table t;
	struct sigfile *files = NULL;
	uint32_t *parent = NULL, *size = NULL;
	uint64_t *part_count = NULL;
	sach__dd_pair *v = NULL, *tmp = NULL;
	sach__dd_out *out = NULL;
	sach__dd_lines *lc = NULL;
	struct line_pass lp;
	char *index_path = NULL;
	size_t i, nv, index_n = 0;
	unsigned b;
	int rc;

	memset(&st, 0, sizeof(st));
	memset(&t, 0, sizeof(t));
	memset(&lp, 0, sizeof(lp));
	if (!sigs || nsigs == 0 || !droplist || !o || o->version != SACH_DEDUPE_CLUSTER_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "dedupe cluster: no signature files or no options");
	if (!(files = calloc(nsigs, sizeof(*files))))
		return sach__error_nomem();
	if ((rc = scan_headers(sigs, nsigs, files, &first)) < 0)
		goto out;
	t.p = first.p;
	t.sets = first.p.near && first.p.jaccard > 0;
	t.mem = o->mem;

	if (o->index_dir) {
		struct stat sb;
		size_t len = strlen(o->index_dir) + sizeof(SACH_DEDUPE_INDEX_FILE) + 2;

		if (!(index_path = malloc(len))) {
			rc = sach__error_nomem();
			goto out;
		}
		snprintf(index_path, len, "%s/%s", o->index_dir, SACH_DEDUPE_INDEX_FILE);
		if (stat(index_path, &sb) == 0) {
			if ((rc = load_file(&t, index_path, SACH__DD_INDEX, D_INDEX, &first.p,
					    "this run")) < 0)
				goto out;
		} else if (errno == ENOENT && o->update_index) {
			/* The first release creates the index (and its directory). */
			if (mkdir(o->index_dir, 0777) < 0 && errno != EEXIST) {
				rc = sach__error_set(SACH_EIO, "cannot create '%s': %s", o->index_dir,
						     strerror(errno));
				goto out;
			}
		} else {
			rc = sach__error_set(SACH_ENOTFOUND, "no index at '%s': %s%s", index_path,
					     strerror(errno), o->update_index ? "" :
					     " (--update-index creates one)");
			goto out;
		}
		index_n = st.index_docs = t.n;
	}
	for (i = 0; i < nsigs; i++)
		if ((rc = load_file(&t, files[i].path, SACH__DD_SIG, D_SIG, &first.p, files[0].path)) < 0)
			goto out;
	st.docs = t.n - index_n;
	if (t.n > UINT32_MAX - 1) {
		rc = sach__error_set(SACH_EUNSUPPORTED, "dedupe cluster: more than 4G documents");
		goto out;
	}

	/* Grouping needs a parent array and two pair arrays. */
	if (t.used + t.n * (4 + 2 * sizeof(sach__dd_pair)) > t.mem) {
		rc = over_budget(&t, t.used + t.n * (4 + 2 * sizeof(sach__dd_pair)));
		goto out;
	}
	parent = malloc((t.n + 1) * sizeof(uint32_t));
	v = malloc((t.n + 1) * sizeof(*v));
	tmp = malloc((t.n + 1) * sizeof(*tmp));
	if (!parent || !v || !tmp) {
		rc = sach__error_nomem();
		goto out;
	}
	account(&t, 0, t.n * (4 + 2 * sizeof(sach__dd_pair)));
	for (i = 0; i < t.n; i++)
		parent[i] = (uint32_t)i;
	if (first.p.exact) {
		for (i = 0; i < t.n; i++)
			v[i].h = t.key[2 * i], v[i].i = (uint32_t)i;
		sach__dd_sort_pairs(v, tmp, t.n);
		join_groups(&t, parent, v, tmp, t.n, true, &st);
	}
	if (first.p.near) {
		for (b = 0; b < first.p.bands; b++) {
			for (i = nv = 0; i < t.n; i++)
				if (has_sig(&t, i))
					v[nv].h = t.bands[i * first.p.bands + b], v[nv++].i = (uint32_t)i;
			sach__dd_sort_pairs(v, tmp, nv);
			join_groups(&t, parent, v, tmp, nv, false, &st);
		}
	}
	free(v);
	free(tmp);
	v = tmp = NULL;
	account(&t, t.n * 2 * sizeof(sach__dd_pair), 0);
	/* Flatten: every parent is now its root, the lowest member. */
	size = calloc(t.n + 1, sizeof(uint32_t));
	if (!size) {
		rc = sach__error_nomem();
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		parent[i] = sach__uf_find(parent, (uint32_t)i);
		size[parent[i]]++;
	}

	memset(&dh, 0, sizeof(dh));
	dh.kind = SACH__DD_DROP;
	dh.p = first.p;
	dh.line_min_docs = o->line_min_docs;
	dh.cluster_info = o->keep_cluster_info;
	if ((rc = sach__dd_out_open(&out, droplist, &dh, o->compress)) < 0)
		goto out;
	{
		/* Documents per part, so apply can tell when its input changed. */
		size_t s = index_n, e;

		for (i = 0; i < nsigs; i++) {
			for (e = s; e < t.n && t.part[e] == files[i].part; e++)
				;
			if ((rc = sach__dd_out_u8(out, SACH__DD_TAG_PART)) < 0 ||
			    (rc = sach__dd_out_u32(out, files[i].part)) < 0 ||
			    (rc = sach__dd_out_u64(out, (uint64_t)(e - s))) < 0)
				goto out;
			sach__dd_out_record(out);
			s = e;
		}
	}
	for (i = index_n; i < t.n; i++) {
		size_t r = parent[i];
		uint8_t reason;

		if (size[r] > 1 && r == i)
			st.clusters++;
		if (r == i) {
			if (!o->keep_cluster_info || size[r] < 2)
				continue;
			reason = 0;
		} else {
			bool ex = same_key(&t, i, r), idx = t.flags[r] & D_INDEX;

			reason = (uint8_t)(idx ? (ex ? 3 : 4) : (ex ? 1 : 2));
			if (reason == 1)
				st.exact++;
			else if (reason == 2)
				st.near++;
			else if (reason == 3)
				st.exact_index++;
			else
				st.near_index++;
		}
		if ((rc = write_entry(out, &t, i, reason, r, size[r])) < 0)
			goto out;
	}
	free(size);
	size = NULL;

	if (first.p.lines) {
		struct count_ctx cc = { NULL, 0, 0, 0 };
		size_t next = index_n, room = t.mem > t.used ? (t.mem - t.used) / 8 : 0;

		memset(&lp, 0, sizeof(lp));
		lp.out = out;
		lp.t = &t;
		if ((rc = sach__dd_lines_new(&lc, room, o->tmp_dir)) < 0)
			goto out;
		cc.lc = lc;
		for (i = 0; i < nsigs; i++)
			if ((rc = each_line_key(&t, parent, files[i].path, &next, count_key, &cc)) < 0)
				goto out;
		st.line_keys = cc.counted;
		account(&t, 0, sach__dd_lines_bytes(lc));
		if ((rc = sach__dd_lines_finish(lc, o->line_min_docs ? o->line_min_docs : 1,
						emit_line, &lp)) < 0)
			goto out;
		st.repeated_lines = lp.repeated;
		st.spill_runs = sach__dd_lines_spills(lc);
		account(&t, sach__dd_lines_bytes(lc), 0);
		sach__dd_lines_free(lc);
		lc = NULL;
		if (lp.repeated) {
			if ((rc = line_set_build(&lp)) < 0)
				goto out;
			for (i = 0, next = index_n; i < nsigs; i++)
				if ((rc = each_line_key(&t, parent, files[i].path, &next, mark_key,
							&lp)) < 0)
					goto out;
			if ((rc = write_prekeys(&lp)) < 0)
				goto out;
		}
	}
	rc = sach__dd_out_commit(out);
	out = NULL;
	/* The index changes last: a run that failed before this point leaves
	 * it as it was, so a retry sees the same released documents. */
	if (rc == 0 && o->update_index && index_path)
		rc = write_index(&t, parent, index_path, o->compress, &st.index_written);
out:
	st.peak_bytes = t.peak;
	if (stats)
		*stats = st;
	sach__dd_out_abort(out);
	sach__dd_lines_free(lc);
	free(lp.list);
	u64set_free(&lp.keys);
	u64set_free(&lp.pre);
	table_free(&t);
	free(files);
	free(parent);
	free(size);
	free(part_count);
	free(v);
	free(tmp);
	free(index_path);
	return rc;
}
