/*
 * jsonspan.c - member spans of an already-validated JSON object.
 *
 * Input is text json-c accepted, so the walk only needs to know where
 * strings end (a '"' not escaped by an odd run of backslashes) and how
 * brackets nest. Bounds are still checked on every step: if the text is not
 * what we expect, the walk returns -1 instead of reading past `len`.
 */
#include "jsonspan.h"

#include <stdbool.h>
#include <string.h>

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* s[i] == '"'; returns the offset just past the closing quote, or len+1. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	i++;
	for (;;) {
		const char *q = memchr(s + i, '"', len - i);
		size_t j, backslashes = 0;

		if (!q)
			return len + 1;
		j = (size_t)(q - s);
		while (j - backslashes > i && s[j - backslashes - 1] == '\\')
			backslashes++;
		if (backslashes % 2 == 0)
			return j + 1;
		i = j + 1;
	}
}

/* Skips one value starting at s[i]; returns the offset past it or len+1. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	int depth = 0;

	if (i >= len)
		return len + 1;
	if (s[i] == '"')
		return skip_string(s, len, i);
	if (s[i] != '{' && s[i] != '[') {
		/* A scalar: number, true, false, null. */
		while (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		       s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			i++;
		return i;
	}
	while (i < len) {
		char c = s[i];

		if (c == '"') {
			i = skip_string(s, len, i);
			if (i > len)
				return len + 1;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return len + 1;
}

long sach__json_members(const char *s, size_t len, size_t *close_brace,
			int (*cb)(void *ctx, long index, const sach__json_member *m),
			void *ctx)
{
	size_t i = skip_ws(s, len, 0);
	long count = 0;
	bool stopped = false;

	if (i >= len || s[i] != '{')
		return -1;
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}') {
		*close_brace = i;
		return 0;
	}
	while (i < len) {
		sach__json_member m;

		if (s[i] != '"')
			return -1;
		m.key_start = i;
		i = skip_string(s, len, i);
		if (i > len)
			return -1;
		m.key_end = i;
		i = skip_ws(s, len, i);
		if (i >= len || s[i] != ':')
			return -1;
		i = skip_ws(s, len, i + 1);
		m.value_start = i;
		i = skip_value(s, len, i);
		if (i > len)
			return -1;
		m.value_end = i;
		if (!stopped && cb && cb(ctx, count, &m))
			stopped = true;
		count++;
		i = skip_ws(s, len, i);
		if (i < len && s[i] == ',') {
			i = skip_ws(s, len, i + 1);
			continue;
		}
		if (i < len && s[i] == '}') {
			*close_brace = i;
			return count;
		}
		return -1;
	}
	return -1;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A JSON number, exactly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool valid_number(const char *t, size_t n)
{
	size_t i = 0;

	if (i < n && t[i] == '-')
		i++;
	if (i >= n || !is_digit(t[i]))
		return false;
	if (t[i] == '0')
		i++;
	else
		while (i < n && is_digit(t[i]))
			i++;
	if (i < n && t[i] == '.') {
		i++;
		if (i >= n || !is_digit(t[i]))
			return false;
		while (i < n && is_digit(t[i]))
			i++;
	}
	if (i < n && (t[i] == 'e' || t[i] == 'E')) {
		i++;
		if (i < n && (t[i] == '+' || t[i] == '-'))
			i++;
		if (i >= n || !is_digit(t[i]))
			return false;
		while (i < n && is_digit(t[i]))
			i++;
	}
	return i == n;
}

static bool token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '+' || c == '-' || c == '.';
}

long sach__json_strict_check(const char *s, size_t len)
{
	bool tabs = memchr(s, '\t', len) != NULL;
	size_t i = 0;

	while (i < len) {
		char c = s[i];

		if (c == '"') {
			if (!tabs) {
				i = skip_string(s, len, i);
				if (i > len)
					return (long)len;
				continue;
			}
			/* Slow path only for lines with a TAB: find one inside a string. */
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\t')
					return (long)i;
				if (s[i] == '\\')
					i++;
			}
			i++;
			continue;
		}
		if (token_char(c)) {
			size_t j = i;

			while (j < len && token_char(s[j]))
				j++;
			if (!(j - i == 4 && memcmp(s + i, "true", 4) == 0) &&
			    !(j - i == 5 && memcmp(s + i, "false", 5) == 0) &&
			    !(j - i == 4 && memcmp(s + i, "null", 4) == 0) &&
			    !valid_number(s + i, j - i))
				return (long)i;
			i = j;
			continue;
		}
		i++;
	}
	return -1;
}
