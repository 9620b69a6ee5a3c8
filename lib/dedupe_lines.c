/*
 * dedupe_lines.c - counting line keys in bounded memory.
 *
 * Keys go into an array of at most `cap` entries. When it is full it is
 * sorted and written to a temporary file as a run of (key, count) pairs;
 * the end merges the runs, so the counts are exact whatever the budget
 * (no sketch, no error bound to document). Temporary files are unlinked as
 * soon as they are created, so nothing is left behind by a crash. The
 * files hold native-endian integers: they never leave the process.
 */
#include "dedupe_internal.h"
#include "error_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run {
	FILE *f;
	uint64_t key;
	uint32_t count;
	bool done;
};

struct sach__dd_lines {
	uint64_t *keys;
	size_t n, cap, max;         /* the array grows to max keys, then spills */
	char *tmp_dir;
	struct run *runs;
	size_t nruns;
};

int sach__dd_lines_new(sach__dd_lines **out, size_t cap, const char *tmp_dir)
{
	sach__dd_lines *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (cap < 1024)
		cap = 1024;
	if (!c || !(c->keys = malloc(1024 * sizeof(uint64_t))) ||
	    !(c->tmp_dir = strdup(tmp_dir ? tmp_dir : "/tmp"))) {
		sach__dd_lines_free(c);
		return sach__error_nomem();
	}
	c->cap = 1024;
	c->max = cap;
	*out = c;
	return 0;
}

static int spill(sach__dd_lines *c)
{
	char path[4096];
	struct run *runs;
	FILE *f;
	size_t i;
	int fd;

	sach__dd_sort_u64(c->keys, c->n);
	snprintf(path, sizeof(path), "%s/sach-dedupe-lines.XXXXXX", c->tmp_dir);
	if ((fd = mkstemp(path)) < 0)
		return sach__error_set(SACH_EIO, "cannot create a spill file in '%s': %s", c->tmp_dir,
				       strerror(errno));
	unlink(path);
	if (!(f = fdopen(fd, "w+b"))) {
		close(fd);
		return sach__error_nomem();
	}
	runs = realloc(c->runs, (c->nruns + 1) * sizeof(*runs));
	if (!runs) {
		fclose(f);
		return sach__error_nomem();
	}
	c->runs = runs;
	memset(&runs[c->nruns], 0, sizeof(*runs));
	runs[c->nruns++].f = f;
	for (i = 0; i < c->n;) {
		size_t j = i;
		uint32_t n;

		while (j < c->n && c->keys[j] == c->keys[i])
			j++;
		n = (uint32_t)(j - i);
		if (fwrite(&c->keys[i], 8, 1, f) != 1 || fwrite(&n, 4, 1, f) != 1)
			return sach__error_set(SACH_EIO, "cannot write a spill file in '%s': %s",
					       c->tmp_dir, strerror(errno));
		i = j;
	}
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
		return sach__error_set(SACH_EIO, "cannot write a spill file in '%s': %s", c->tmp_dir,
				       strerror(errno));
	c->n = 0;
	return 0;
}

int sach__dd_lines_add(sach__dd_lines *c, uint64_t key)
{
	int rc;

	if (c->n == c->cap && c->cap < c->max) {
		size_t cap = c->cap * 2 < c->max ? c->cap * 2 : c->max;
		uint64_t *p = realloc(c->keys, cap * sizeof(uint64_t));

		if (!p)
			return sach__error_nomem();
		c->keys = p;
		c->cap = cap;
	}
	if (c->n == c->cap && (rc = spill(c)) < 0)
		return rc;
	c->keys[c->n++] = key;
	return 0;
}

static void advance(struct run *r)
{
	if (fread(&r->key, 8, 1, r->f) != 1 || fread(&r->count, 4, 1, r->f) != 1)
		r->done = true;
}

int sach__dd_lines_finish(sach__dd_lines *c, uint32_t min, int (*fn)(void *ctx, uint64_t key),
			  void *ctx)
{
	size_t i, j;
	int rc;

	if (c->nruns == 0) {
		sach__dd_sort_u64(c->keys, c->n);
		for (i = 0; i < c->n; i = j) {
			for (j = i; j < c->n && c->keys[j] == c->keys[i]; j++)
				;
			if (j - i >= min && (rc = fn(ctx, c->keys[i])) < 0)
				return rc;
		}
		return 0;
	}
	if (c->n && (rc = spill(c)) < 0)
		return rc;
	for (i = 0; i < c->nruns; i++)
		advance(&c->runs[i]);
	for (;;) {
		uint64_t key = 0, total = 0;
		bool any = false;

		for (i = 0; i < c->nruns; i++)
			if (!c->runs[i].done && (!any || c->runs[i].key < key))
				key = c->runs[i].key, any = true;
		if (!any)
			break;
		for (i = 0; i < c->nruns; i++) {
			if (!c->runs[i].done && c->runs[i].key == key) {
				total += c->runs[i].count;
				advance(&c->runs[i]);
			}
		}
		if (total >= min && (rc = fn(ctx, key)) < 0)
			return rc;
	}
	for (i = 0; i < c->nruns; i++)
		if (ferror(c->runs[i].f))
			return sach__error_set(SACH_EIO, "cannot read a spill file in '%s'", c->tmp_dir);
	return 0;
}

size_t sach__dd_lines_bytes(const sach__dd_lines *c)
{
	return c->cap * sizeof(uint64_t);
}

uint64_t sach__dd_lines_spills(const sach__dd_lines *c)
{
	return c->nruns;
}

void sach__dd_lines_free(sach__dd_lines *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nruns; i++)
		fclose(c->runs[i].f);
	free(c->runs);
	free(c->keys);
	free(c->tmp_dir);
	free(c);
}
