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

#include <stdlib.h>
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

/*
 * LSD radix sorts, 11 bits per pass (a 16 KiB count table on the stack):
 * stable, so pairs given in document order stay in document order within
 * a bucket. A pass whose digit is the same everywhere moves nothing and is
 * skipped. One body for both element types, with the key read by KEY.
 */
#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_SORT(T, KEY)                                                     \
	static void radix_##T(T *v, T *tmp, size_t n)                          \
	{                                                                      \
		size_t c[RADIX_SIZE], i;                                       \
		unsigned shift;                                                \
		T *src = v, *dst = tmp, *swap;                                 \
									       \
		if (n < 2)                                                     \
			return;                                                \
		for (shift = 0; shift < 64; shift += RADIX_BITS) {             \
			size_t sum = 0;                                        \
									       \
			memset(c, 0, sizeof(c));                               \
			for (i = 0; i < n; i++)                                \
				c[(KEY(src[i]) >> shift) & (RADIX_SIZE - 1)]++; \
			if (c[(KEY(src[0]) >> shift) & (RADIX_SIZE - 1)] == n) \
				continue;                                      \
			for (i = 0; i < RADIX_SIZE; i++) {                     \
				size_t t = c[i];                               \
									       \
				c[i] = sum;                                    \
				sum += t;                                      \
			}                                                      \
			for (i = 0; i < n; i++)                                \
				dst[c[(KEY(src[i]) >> shift) & (RADIX_SIZE - 1)]++] = \
					src[i];                                \
			swap = src, src = dst, dst = swap;                     \
		}                                                              \
		if (src != v)                                                  \
			memcpy(v, src, n * sizeof(*v));                        \
	}

#define PAIR_KEY(x) ((x).h)
#define U64_KEY(x) (x)
RADIX_SORT(sach__dd_pair, PAIR_KEY)
RADIX_SORT(uint64_t, U64_KEY)

void sach__dd_sort_pairs(sach__dd_pair *v, sach__dd_pair *tmp, size_t n)
{
	radix_sach__dd_pair(v, tmp, n);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

void sach__dd_sort_u64(uint64_t *v, size_t n)
{
	uint64_t *tmp = n > 1 ? malloc(n * sizeof(*tmp)) : NULL;

	if (!tmp) {
		/* no room for the second array: slower, in place */
		qsort(v, n, sizeof(*v), cmp_u64);
		return;
	}
	radix_uint64_t(v, tmp, n);
	free(tmp);
}
