/*
 * dedupe_exact.c - the one-pass exact filter: an in-memory set of 128-bit
 * exact keys, each with the id of the document that brought it first.
 *
 * Why a set and not the stages: when only exact duplicates are asked for,
 * the decision for a document needs nothing that comes after it (the first
 * occurrence in input order is kept), so one read of the input, one parse
 * and one fold per document are enough, and nothing goes to disk. The keys
 * and the kept document (lowest ordinal) are the ones cluster would use, so
 * the output is the same bytes as sign + cluster + apply.
 *
 * Open addressing with linear probing over a power-of-two table; the keys
 * are XXH3-128 values, so their low bits are already uniform. The table
 * doubles at 1/2 load. Ids live in one arena of NUL-terminated strings.
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	uint64_t k0, k1;           /* k0 == k1 == 0 and id == 0: empty */
	uint64_t id;               /* offset + 1 of the id in ids (0: empty) */
};

struct sach_dedupe_exact_set {
	struct slot *t;
	size_t cap, n, mem, peak;
	sach_buf ids;
};

/* Bytes held against the budget: the table and the arena as allocated. */
static size_t held(const sach_dedupe_exact_set *s, size_t cap, size_t ids_cap)
{
	return cap * sizeof(struct slot) + ids_cap;
}

static int over_budget(const sach_dedupe_exact_set *s)
{
	return sach__error_set(SACH_ECONFIG,
			       "dedupe exact: %zu documents need more than the memory budget of "
			       "%zu MiB (about %zu bytes per document plus ids); raise --mem",
			       s->n, s->mem >> 20, 2 * sizeof(struct slot));
}

int sach_dedupe_exact_set_new(sach_dedupe_exact_set **out, size_t mem)
{
	sach_dedupe_exact_set *s;

	if (!out)
		return sach__error_set(SACH_EINVAL, "dedupe exact: NULL argument");
	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return sach__error_nomem();
	s->mem = mem;
	s->cap = 1024;
	if (held(s, s->cap, 0) > mem) {
		free(s);
		return sach__error_set(SACH_ECONFIG, "dedupe exact: a memory budget of %zu bytes "
				       "is too small; raise --mem", mem);
	}
	if (!(s->t = calloc(s->cap, sizeof(*s->t)))) {
		free(s);
		return sach__error_nomem();
	}
	s->peak = held(s, s->cap, 0);
	*out = s;
	return 0;
}

static struct slot *find(struct slot *t, size_t cap, uint64_t k0, uint64_t k1)
{
	size_t i = (size_t)k0 & (cap - 1);

	while (t[i].id && (t[i].k0 != k0 || t[i].k1 != k1))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int grow(sach_dedupe_exact_set *s)
{
	size_t cap = s->cap * 2, i;
	struct slot *t;

	if (held(s, cap, s->ids.cap) > s->mem)
		return over_budget(s);
	if (!(t = calloc(cap, sizeof(*t))))
		return sach__error_nomem();
	for (i = 0; i < s->cap; i++)
		if (s->t[i].id)
			*find(t, cap, s->t[i].k0, s->t[i].k1) = s->t[i];
	free(s->t);
	s->t = t;
	s->cap = cap;
	return 0;
}

int sach_dedupe_exact_set_add(sach_dedupe_exact_set *s, const uint64_t key[2], const char *id,
			      const char **first)
{
	struct slot *e;
	size_t idlen = id ? strlen(id) : 0;
	int rc;

	if (!s || !key || !first)
		return sach__error_set(SACH_EINVAL, "dedupe exact: NULL argument");
	e = find(s->t, s->cap, key[0], key[1]);
	if (e->id) {
		*first = s->ids.ptr + e->id - 1;
		return 1;
	}
	*first = NULL;
	if (2 * (s->n + 1) > s->cap) {
		if ((rc = grow(s)) < 0)
			return rc;
		e = find(s->t, s->cap, key[0], key[1]);
	}
	/* ids only name documents in messages; the stages cut them alike */
	if (idlen > SACH__DD_MAX_ID)
		idlen = SACH__DD_MAX_ID;
	/* the arena grows as sach_buf does (doubling from 64), so the size
	 * checked against the budget is the size it gets */
	if (s->ids.len + idlen + 2 > s->ids.cap) {
		size_t want = s->ids.cap ? s->ids.cap : 64;

		while (want < s->ids.len + idlen + 2)
			want *= 2;
		if (held(s, s->cap, want) > s->mem)
			return over_budget(s);
		if ((rc = sach_buf_reserve(&s->ids, want - s->ids.len - 1)) < 0)
			return rc;
	}
	e->k0 = key[0];
	e->k1 = key[1];
	e->id = (uint64_t)s->ids.len + 1;
	if ((rc = sach_buf_append(&s->ids, id ? id : "", idlen)) < 0 ||
	    (rc = sach_buf_append(&s->ids, "", 1)) < 0) {
		e->id = 0;
		return rc;
	}
	s->n++;
	if (held(s, s->cap, s->ids.cap) > s->peak)
		s->peak = held(s, s->cap, s->ids.cap);
	return 0;
}

uint64_t sach_dedupe_exact_set_count(const sach_dedupe_exact_set *s)
{
	return s ? s->n : 0;
}

size_t sach_dedupe_exact_set_peak(const sach_dedupe_exact_set *s)
{
	return s ? s->peak : 0;
}

void sach_dedupe_exact_set_free(sach_dedupe_exact_set *s)
{
	if (!s)
		return;
	free(s->t);
	sach_buf_free(&s->ids);
	free(s);
}
