/*
 * doc_literal.c - the text literal of a JSONL record, found and decoded
 * without json-c (see doc_literal.h; why the result is json-c's is told at
 * the top of doc_check.c).
 *
 * Why: json-c spends most of a record's parse building the string object of
 * the text, nearly all of the record. A skeleton parse (the literal replaced
 * by "") lets json-c check the rest, and this decodes the literal itself,
 * in bulk: runs of plain bytes are found and copied 16 at a time.
 */
#include "doc_literal.h"

#include "sach/error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string.h>

bool sach__json_name_plain(const char *name)
{
	const unsigned char *f;

	for (f = (const unsigned char *)name; *f; f++)
		if (*f < 0x20 || *f == '"' || *f == '\\')
			return false;
	return true;
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* s[i] == '"': the offset past the closing quote, or len + 1. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\')
			i++;
	}
	return len + 1;
}

/* One value at s[i]: the offset past it, or len + 1. Only needs to be right
 * for valid JSON: the skeleton parse catches any other outcome. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	int depth = 0;

	if (i < len && s[i] == '"')
		return skip_string(s, len, i);
	while (i < len) {
		char c = s[i];

		if (c == '"') {
			i = skip_string(s, len, i);
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return i;
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' ||
					  c == '\r')) {
			return i;
		}
		i++;
	}
	return depth ? len + 1 : i;
}

bool sach__find_text_value(const char *name, size_t name_len, const char *s, size_t len,
			   size_t *vs)
{
	size_t i = skip_ws(s, len, 0);

	if (i >= len || s[i] != '{')
		return false;
	for (i = skip_ws(s, len, i + 1); i < len && s[i] == '"';) {
		size_t k = i, e = i + 1;
		bool match;

		while (e < len && s[e] != '"' && s[e] != '\\')
			e++;
		if (e >= len || s[e] != '"')
			return false; /* escaped key: json-c decodes it */
		i = e + 1;
		match = e - k - 1 == name_len && memcmp(s + k + 1, name, name_len) == 0;
		i = skip_ws(s, len, i);
		if (i >= len || s[i] != ':')
			return false;
		i = skip_ws(s, len, i + 1);
		if (match) {
			*vs = i;
			return i < len && s[i] == '"';
		}
		i = skip_ws(s, len, skip_value(s, len, i));
		if (i >= len || s[i] != ',')
			return false;
		i = skip_ws(s, len, i + 1);
	}
	return false;
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The \uXXXX escape at s[i] (s[i] == '\\'), or -1. */
static long hex4_at(const unsigned char *s, size_t len, size_t i)
{
	long v = 0;
	size_t k;

	if (i + 6 > len || s[i + 1] != 'u')
		return -1;
	for (k = i + 2; k < i + 6; k++) {
		int h = hexval(s[k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* The first byte at or after i that ends a run of plain string bytes:
 * '"', '\\' or a control byte below 0x20; len if none. */
static size_t plain_run_end(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i c1f = _mm_set1_epi8(0x1F);

	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f);
		__m128i sp = _mm_or_si128(ctl, _mm_or_si128(_mm_cmpeq_epi8(x, quote),
							     _mm_cmpeq_epi8(x, bslash)));
		unsigned m = (unsigned)_mm_movemask_epi8(sp);

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < len && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* Appends code point v (below 0x110000) as UTF-8 to o; returns the end. */
static char *put_utf8(char *o, unsigned long v)
{
	if (v < 0x80) {
		*o++ = (char)v;
	} else if (v < 0x800) {
		*o++ = (char)(0xC0 | (v >> 6));
		*o++ = (char)(0x80 | (v & 0x3F));
	} else if (v < 0x10000) {
		*o++ = (char)(0xE0 | (v >> 12));
		*o++ = (char)(0x80 | ((v >> 6) & 0x3F));
		*o++ = (char)(0x80 | (v & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (v >> 18));
		*o++ = (char)(0x80 | ((v >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((v >> 6) & 0x3F));
		*o++ = (char)(0x80 | (v & 0x3F));
	}
	return o;
}

/* Decodes the escape at s[*i] (s[*i] == '\\') to o; the end of the output,
 * or NULL for an escape left to json-c. */
static char *decode_escape(const unsigned char *s, size_t len, size_t *i, char *o)
{
	long v, w;

	if (*i + 1 >= len)
		return NULL;
	switch (s[*i + 1]) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '/': *o++ = '/'; break;
	case 'b': *o++ = '\b'; break;
	case 'f': *o++ = '\f'; break;
	case 'n': *o++ = '\n'; break;
	case 'r': *o++ = '\r'; break;
	case 't': *o++ = '\t'; break;
	case 'u':
		v = hex4_at(s, len, *i);
		if (v <= 0 || (v >= 0xDC00 && v <= 0xDFFF))
			return NULL;
		if (v >= 0xD800 && v <= 0xDBFF) {
			if (*i + 12 > len || s[*i + 6] != '\\')
				return NULL;
			w = hex4_at(s, len, *i + 6);
			if (w < 0xDC00 || w > 0xDFFF)
				return NULL;
			*i += 12;
			return put_utf8(o, 0x10000 + ((unsigned long)(v - 0xD800) << 10) +
					       (unsigned long)(w - 0xDC00));
		}
		*i += 6;
		return put_utf8(o, (unsigned long)v);
	default:
		return NULL;
	}
	*i += 2;
	return o;
}

/*
 * Copies plain string bytes from s[*i] to o until a byte that ends the run
 * ('"', '\\' or a control byte below 0x20), which it leaves at s[*i];
 * returns the end of the output. Whole 16-byte blocks are stored before
 * they are looked at, so o needs 16 bytes of room past the output.
 */
static char *copy_plain_run(const unsigned char *s, size_t *i, size_t len, char *o)
{
	size_t k = *i;

#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i c1f = _mm_set1_epi8(0x1F);

	for (; k + 16 <= len; k += 16, o += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
		__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f);
		__m128i sp = _mm_or_si128(ctl, _mm_or_si128(_mm_cmpeq_epi8(x, quote),
							     _mm_cmpeq_epi8(x, bslash)));
		unsigned m = (unsigned)_mm_movemask_epi8(sp);

		_mm_storeu_si128((__m128i *)(void *)o, x);
		if (m) {
			*i = k + (size_t)__builtin_ctz(m);
			return o + __builtin_ctz(m);
		}
	}
#endif
	while (k < len && s[k] >= 0x20 && s[k] != '"' && s[k] != '\\')
		*o++ = (char)s[k++];
	*i = k;
	return o;
}

bool sach__decode_literal(sach_buf *buf, const char *raw, size_t len, size_t vs, size_t *ve,
			  const char **text, size_t *tlen, bool copy)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = plain_run_end(s, vs + 1, len);
	char *o;

	if (i >= len || s[i] < 0x20)
		return false;
	if (s[i] == '"' && !copy) {
		*text = raw + vs + 1;
		*tlen = i - vs - 1;
		*ve = i + 1;
		return true;
	}
	/* no escape makes its text longer than itself; 16 for the block stores */
	sach_buf_clear(buf);
	if (sach_buf_reserve(buf, (s[i] == '"' ? i - vs : len - vs) + 16) < 0)
		return false;
	memcpy(buf->ptr, raw + vs + 1, i - vs - 1);
	o = buf->ptr + (i - vs - 1);
	while (s[i] != '"') {
		if (!(o = decode_escape(s, len, &i, o)))
			return false;
		o = copy_plain_run(s, &i, len, o);
		if (i >= len || s[i] < 0x20)
			return false;
	}
	buf->len = (size_t)(o - buf->ptr);
	buf->ptr[buf->len] = '\0';
	*text = buf->ptr;
	*tlen = buf->len;
	*ve = i + 1;
	return true;
}

int sach__skeleton(sach_buf *skel, const char *s, size_t len, size_t vs, size_t ve)
{
	int rc;

	sach_buf_clear(skel);
	if ((rc = sach_buf_reserve(skel, len - (ve - vs) + 2)) < 0)
		return rc;
	memcpy(skel->ptr, s, vs);
	memcpy(skel->ptr + vs, "\"\"", 2);
	memcpy(skel->ptr + vs + 2, s + ve, len - ve);
	skel->len = len - (ve - vs) + 2;
	skel->ptr[skel->len] = '\0';
	return SACH_OK;
}
