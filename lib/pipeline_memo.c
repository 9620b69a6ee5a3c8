/*
 * pipeline_memo.c - what a worker already decided about a text: the pure
 * filter's verdict and the dedupe keys, by XXH3-128 of the text.
 *
 * Why: corpora repeat themselves (mirrors, reposts, the same page crawled
 * twice; a dump concatenated with an older one), and every copy used to pay
 * for the signals and the MinHash again although both are functions of the
 * text alone. The workers share one table of outcomes by text and replay
 * the outcome for an identical text. The replayed outcome is the one the
 * stages would compute, so output bytes do not depend on what is remembered
 * or forgotten (nor on which worker saw a text first); the table is bounded
 * and simply starts again empty when full. Lookups copy the entry out under
 * the lock, so a clear never pulls memory from under a reader.
 */
#include "pipeline_internal.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

#define MEMO_SLOTS (1u << 16)            /* entries (power of two) */
#define MEMO_MAX_USED (MEMO_SLOTS / 4 * 3)
#define MEMO_ARENA_BYTES ((size_t)48 << 20) /* dedupe keys of the entries */

struct pl_memo {
	pthread_mutex_t lock;
	pl_memo_entry *slots;
	size_t used;
	sach_buf arena;
};

int sach__pl_memo_new(pl_memo **out)
{
	pl_memo *m = calloc(1, sizeof(*m));

	if (!m || !(m->slots = calloc(MEMO_SLOTS, sizeof(*m->slots)))) {
		free(m);
		return sach__error_nomem();
	}
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return SACH_OK;
}

void sach__pl_memo_free(pl_memo *m)
{
	if (!m)
		return;
	free(m->slots);
	sach_buf_free(&m->arena);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static void memo_clear(pl_memo *m)
{
	memset(m->slots, 0, MEMO_SLOTS * sizeof(*m->slots));
	m->used = 0;
	sach_buf_clear(&m->arena);
}

static const pl_memo_entry *find(const pl_memo *m, const uint64_t key[2])
{
	size_t i = (size_t)key[0] & (MEMO_SLOTS - 1);

	for (;;) {
		const pl_memo_entry *e = &m->slots[i];

		if (!e->used)
			return NULL;
		if (e->key[0] == key[0] && e->key[1] == key[1])
			return e;
		i = (i + 1) & (MEMO_SLOTS - 1);
	}
}

int sach__pl_memo_get(pl_memo *m, const uint64_t key[2], pl_memo_entry *entry, sach_buf *keys)
{
	const pl_memo_entry *e;
	int rc = 0;

	pthread_mutex_lock(&m->lock);
	e = find(m, key);
	if (e) {
		*entry = *e;
		sach_buf_clear(keys);
		rc = e->nkeys ? sach_buf_append(keys, m->arena.ptr + e->keys_at, e->nkeys) : 0;
		if (rc == 0)
			rc = 1;
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

int sach__pl_memo_put(pl_memo *m, const uint64_t key[2], bool keep, const char *rule,
		      double value, const void *keys, size_t nkeys)
{
	pl_memo_entry *e;
	size_t i;
	int rc;

	if (nkeys > MEMO_ARENA_BYTES / 4)
		return SACH_OK; /* not worth holding */
	pthread_mutex_lock(&m->lock);
	if (m->used >= MEMO_MAX_USED || m->arena.len + nkeys > MEMO_ARENA_BYTES)
		memo_clear(m);
	i = (size_t)key[0] & (MEMO_SLOTS - 1);
	while (m->slots[i].used) {
		if (m->slots[i].key[0] == key[0] && m->slots[i].key[1] == key[1]) {
			pthread_mutex_unlock(&m->lock);
			return SACH_OK; /* another worker was first */
		}
		i = (i + 1) & (MEMO_SLOTS - 1);
	}
	e = &m->slots[i];
	e->keys_at = m->arena.len;
	if (nkeys && (rc = sach_buf_append(&m->arena, keys, nkeys)) < 0) {
		pthread_mutex_unlock(&m->lock);
		return rc;
	}
	e->key[0] = key[0];
	e->key[1] = key[1];
	e->used = true;
	e->keep = keep;
	e->rule = rule;
	e->value = value;
	e->nkeys = nkeys;
	m->used++;
	pthread_mutex_unlock(&m->lock);
	return SACH_OK;
}
