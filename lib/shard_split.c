/*
 * shard_split.c - the split spec ("train=0.99,validation=0.01") and the
 * split a document id falls into.
 *
 * The formula is part of the output format (sach/shard.h documents it so
 * other tools can reproduce it): integer comparison of 53 bits of XXH3
 * against thresholds scaled by a power of two, so no rounding differs
 * between machines or languages.
 */
#include "sach/shard.h"
#include "error_internal.h"

#include <errno.h>
#include <math.h> /* isfinite, a macro: no libm */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define SPLIT_NAME_MAX 64

void sach_shard_splits_free(sach_shard_split *splits)
{
	free(splits);
}

static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > SPLIT_NAME_MAX)
		return false;
	/* Hugging Face split names; no '-', which would make file names ambiguous. */
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

int sach_shard_parse_splits(const char *spec, sach_shard_split **out, size_t *n)
{
	size_t count = 1, i, k, len;
	int rc;
	sach_shard_split *v;
	char *copy, *p;
	double sum = 0;

	*out = NULL;
	*n = 0;
	if (!spec || !*spec)
		return sach__error_set(SACH_EINVAL, "split spec is empty");
	for (p = (char *)spec; *p; p++)
		count += *p == ',';
	if (count > SACH_SHARD_MAX_SPLITS)
		return sach__error_set(SACH_EINVAL, "at most %d splits", SACH_SHARD_MAX_SPLITS);
	len = strlen(spec);
	/* One allocation: the array, then a copy of the spec the names point into. */
	v = malloc(count * sizeof(*v) + len + 1);
	if (!v)
		return sach__error_nomem();
	copy = (char *)(v + count);
	memcpy(copy, spec, len + 1);
	p = copy;
	for (i = 0; i < count; i++) {
		char *end = strchr(p, ','), *eq, *num_end;
		double f;

		if (end)
			*end = '\0';
		eq = strchr(p, '=');
		if (!eq) {
			rc = sach__error_set(SACH_EINVAL, "split '%s': expected NAME=FRACTION", p);
			free(v);
			return rc;
		}
		*eq = '\0';
		if (!name_ok(p, strlen(p))) {
			rc = sach__error_set(SACH_EINVAL,
					       "split name '%s': expected 1-%d letters, digits or '_'",
					       p, SPLIT_NAME_MAX);
			free(v);
			return rc;
		}
		errno = 0;
		f = strtod(eq + 1, &num_end);
		if (errno || num_end == eq + 1 || *num_end || !isfinite(f) || f <= 0 || f > 1) {
			rc = sach__error_set(SACH_EINVAL,
					       "split '%s': fraction '%s' is not a number in (0, 1]",
					       p, eq + 1);
			free(v);
			return rc;
		}
		for (k = 0; k < i; k++) {
			if (strcmp(v[k].name, p) == 0) {
				rc = sach__error_set(SACH_EINVAL, "split '%s' given twice", p);
				free(v);
				return rc;
			}
		}
		v[i].name = p;
		v[i].fraction = f;
		sum += f;
		p = end ? end + 1 : p + strlen(p);
	}
	if (sum < 1.0 - 1e-9 || sum > 1.0 + 1e-9) {
		rc = sach__error_set(SACH_EINVAL, "split fractions add up to %.17g, not 1", sum);
		free(v);
		return rc;
	}
	*out = v;
	*n = count;
	return SACH_OK;
}

size_t sach_shard_split_of(const sach_shard_split *splits, size_t n, const char *id,
			   size_t id_len)
{
	uint64_t b = XXH3_64bits_withSeed(id, id_len, SACH_SHARD_SPLIT_SEED) >> 11;
	double cum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		cum += splits[i].fraction;
		/* cum * 2^53 is exact (a power of two); for a positive value
		 * below 2^64 the conversion truncates, which is floor(). */
		if (b < (uint64_t)(cum * 9007199254740992.0))
			return i;
	}
	return n ? n - 1 : 0;
}
