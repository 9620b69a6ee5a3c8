/*
 * dedupe_uf.c - union-find whose root is always the lowest document, and
 * the sort that groups equal hashes for LSH buckets and exact keys.
 *
 * Keeping the lowest member as the root makes "keep the lowest ordinal of
 * each cluster" a property of the structure: the answer does not depend on
 * the order in which unions happen, so it cannot depend on how the work
 * was split or scheduled.
 */
#include "dedupe_internal.h"

#include <string.h>

uint32_t sach__uf_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]]; /* path halving */
		x = parent[x];
	}
	return x;
}

void sach__uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
	uint32_t ra = sach__uf_find(parent, a), rb = sach__uf_find(parent, b);

	if (ra < rb)
		parent[rb] = ra;
	else if (rb < ra)
		parent[ra] = rb;
}

/* LSD radix sort, 11 bits per pass (a 16 KiB count table on the stack),
 * on the hash only: stable, so pairs given in document order stay in
 * document order within a bucket. */
void sach__dd_sort_pairs(sach__dd_pair *v, sach__dd_pair *tmp, size_t n)
{
	enum { BITS = 11, SIZE = 1 << BITS };
	size_t c[SIZE];
	unsigned shift;
	size_t i;

	if (n < 2)
		return;
	for (shift = 0; shift < 64; shift += BITS) {
		size_t sum = 0;

		memset(c, 0, sizeof(c));
		for (i = 0; i < n; i++)
			c[(v[i].h >> shift) & (SIZE - 1)]++;
		if (c[(v[0].h >> shift) & (SIZE - 1)] == n)
			continue; /* the same digit everywhere: nothing moves */
		for (i = 0; i < SIZE; i++) {
			size_t t = c[i];

			c[i] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++)
			tmp[c[(v[i].h >> shift) & (SIZE - 1)]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
}
