/* Private: byte spans of the top-level members of a JSON object. */
#ifndef SACH_JSONSPAN_H
#define SACH_JSONSPAN_H

#include <stddef.h>

typedef struct sach__json_member {
	size_t key_start, key_end;      /* the key literal, quotes included */
	size_t value_start, value_end;  /* the value, as written */
} sach__json_member;

/*
 * Walks a JSON object that json-c has already accepted and reports the
 * spans of its top-level members in order through `cb` (return non-zero to
 * stop early). *close_brace receives the offset of the final '}'.
 * Returns the number of members, or -1 if the text is not an object as
 * expected (which cannot happen for text json-c accepted; checked anyway).
 *
 * This is not a JSON parser: it trusts json-c's validation and only finds
 * where each member starts and ends, so output can be spliced into the
 * original line and every other field survives byte for byte (json-c would
 * rewrite -0 as 0 and clamp integers above 2^64).
 */
long sach__json_members(const char *s, size_t len, size_t *close_brace,
			int (*cb)(void *ctx, long index, const sach__json_member *m),
			void *ctx);

/*
 * The strictness json-c lacks even in strict mode: every bare word outside
 * strings must be true, false, null or a JSON number (no NaN, Infinity, 1.,
 * 01), and no raw TAB may stand inside a string. Returns the offset of the
 * first offence, or -1. Runs only on text json-c accepted.
 */
long sach__json_strict_check(const char *s, size_t len);

#endif
