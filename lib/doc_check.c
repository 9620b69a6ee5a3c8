/*
 * doc_check.c - single records parsed apart from a reader, and a cheaper
 * check of a JSONL record that gives the same verdict and text.
 *
 * Why: a tool that only needs to know whether a record is valid and what
 * its text is (the pre-key pass of sach-dedupe) spends most of its time in
 * json-c building the string object of the text, which is nearly all of a
 * record. sach_record_parser_check() has json-c check everything but that
 * literal, by parsing a skeleton of the record, and decodes the literal
 * itself.
 *
 * Why that gives the full parse's verdict: json-c reads left to right. The
 * skeleton is the record with the text value's literal replaced by "", so
 * json-c is in the same state when it reaches the value in both. When the
 * skeleton parses and its text member is that "" (checked), json-c was
 * expecting the text member's value there; in the record it then reads the
 * literal, which is accepted here only when json-c accepts it too (bytes
 * from 0x20 up other than '"' and '\\'; the escapes \" \\ \/ \b \f \n \r \t
 * and \uXXXX, surrogates only as pairs, no \u0000) and ends at the same
 * quote, and it goes on in the same state over the same bytes. The checks
 * doc.c adds are the same on both: raw control bytes and TABs (the literal
 * has none), bare words outside strings, duplicate keys (same keys), lone
 * surrogates (none). Anything else, and every record the skeleton fails,
 * takes the full parse, so a bad record gets the reader's own message.
 * The unit tests compare the two ways on generated literals.
 *
 * The literal is decoded exactly as json-c 0.16 decodes it: escapes as
 * above, \uXXXX to UTF-8 (one to three bytes, a pair to four), every other
 * byte copied (json-c does not check UTF-8 unless asked to).
 *
 * Every parse here is as on a fresh tokener: json-c 0.16 keeps a pending
 * high surrogate across json_tokener_reset() when a parse fails right
 * after one (a record cut after "\ud83d"), and the next \u escape it
 * decodes, in any later record, then gets a U+FFFD in front. So after a
 * failure the tokener is replaced. A record's verdict and text then depend
 * on its bytes only, whichever thread parses it and whatever came before.
 */
#include "doc_internal.h"
#include "error_internal.h"

#include <limits.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sach_record_parser {
	sach_reader_options opts;
	json_tokener *tok;
	sach_doc doc;          /* parse(), and check()'s full parse */
	sach_doc skel_doc;
	sach_buf skel;         /* the record with its text literal emptied */
	sach_buf text;         /* a decoded text literal */
	char *key;             /* "\"<text field>\"", NULL when the name needs escapes */
	size_t key_len;
};

/* json-c's tokener in the reader's mode. */
static json_tokener *new_tokener(void)
{
	json_tokener *tok = json_tokener_new();

	if (tok)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	return tok;
}

/* sach__doc_parse_jsonl() on a fresh tokener's terms (see the top). */
static int parse_jsonl(sach_record_parser *p, sach_doc *doc, const char *line, size_t len)
{
	int rc = sach__doc_parse_jsonl(doc, p->tok, line, len);
	json_tokener *tok;

	if (rc < 0 && (tok = new_tokener()) != NULL) {
		json_tokener_free(p->tok);
		p->tok = tok;
	}
	return rc;
}

int sach_record_parser_new(sach_record_parser **out, const sach_reader_options *opts)
{
	sach_record_parser *p;
	const unsigned char *f;
	bool plain = true;

	*out = NULL;
	if (!opts || opts->version != SACH_READER_OPTIONS_VERSION || !opts->text_field ||
	    !opts->id_field)
		return sach__error_set(SACH_EINVAL, "record parser: invalid options");
	if (!(p = calloc(1, sizeof(*p))))
		return sach__error_nomem();
	p->opts = *opts;
	p->tok = new_tokener();
	/* the key is matched byte for byte, so only a name JSON writes as is */
	for (f = (const unsigned char *)opts->text_field; *f; f++)
		plain &= *f >= 0x20 && *f != '"' && *f != '\\';
	p->key_len = strlen(opts->text_field) + 2;
	if (plain && (p->key = malloc(p->key_len + 1)) != NULL)
		snprintf(p->key, p->key_len + 1, "\"%s\"", opts->text_field);
	if (!p->tok || (plain && !p->key)) {
		sach_record_parser_free(p);
		return sach__error_nomem();
	}
	p->doc.text_field = p->skel_doc.text_field = opts->text_field;
	p->doc.id_field = p->skel_doc.id_field = opts->id_field;
	p->doc.source = p->skel_doc.source = "";
	*out = p;
	return SACH_OK;
}

void sach_record_parser_free(sach_record_parser *p)
{
	if (!p)
		return;
	sach__doc_release(&p->doc);
	sach__doc_release(&p->skel_doc);
	if (p->tok)
		json_tokener_free(p->tok);
	sach_buf_free(&p->skel);
	sach_buf_free(&p->text);
	free(p->key);
	free(p);
}

int sach_record_parser_parse(sach_record_parser *p, const char *name, uint64_t line,
			     const char *raw, size_t len, sach_doc **doc)
{
	int rc;

	*doc = NULL;
	sach__doc_reset(&p->doc);
	p->doc.source = name;
	p->doc.line = line;
	if (p->opts.format == SACH_FORMAT_TEXT) {
		sach__doc_set_plain(&p->doc, raw, len);
	} else if ((rc = parse_jsonl(p, &p->doc, raw, len)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		return sach__error_set(rc, "%s:%llu: %s", name, (unsigned long long)line, msg);
	}
	*doc = &p->doc;
	return SACH_OK;
}

/* ---- the text literal ---- */

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

/* Where the text member's value starts (a '"'), walking the members before
 * it; false when it is not found that way (an escaped key, no text member,
 * a text value that is not a string, or text that is not an object). */
static bool find_text_value(const sach_record_parser *p, const char *s, size_t len, size_t *vs)
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
		match = i - k == p->key_len && memcmp(s + k, p->key, p->key_len) == 0;
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

/*
 * Decodes the string literal at raw[vs] (a '"'): true with the text (raw
 * itself when the literal has no escape) and *ve just past the closing
 * quote; false for anything outside the subset described at the top.
 */
static bool decode_literal(sach_record_parser *p, const char *raw, size_t len, size_t vs,
			   size_t *ve, const char **text, size_t *tlen)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = plain_run_end(s, vs + 1, len);
	char *o;

	if (i >= len || s[i] < 0x20)
		return false;
	if (s[i] == '"') {
		*text = raw + vs + 1;
		*tlen = i - vs - 1;
		*ve = i + 1;
		return true;
	}
	/* no escape makes its text longer than itself; 16 for the block stores */
	sach_buf_clear(&p->text);
	if (sach_buf_reserve(&p->text, len - vs + 16) < 0)
		return false;
	memcpy(p->text.ptr, raw + vs + 1, i - vs - 1);
	o = p->text.ptr + (i - vs - 1);
	for (;;) {
		if (!(o = decode_escape(s, len, &i, o)))
			return false;
		o = copy_plain_run(s, &i, len, o);
		if (i >= len || s[i] < 0x20)
			return false;
		if (s[i] == '"')
			break;
	}
	p->text.len = (size_t)(o - p->text.ptr);
	p->text.ptr[p->text.len] = '\0';
	*text = p->text.ptr;
	*tlen = p->text.len;
	*ve = i + 1;
	return true;
}

/* 1 when the record is valid with the text found without json-c's copy of
 * it; 0 to take the full parse (the verdict is not known yet); SACH_ENOMEM. */
static int check_skeleton(sach_record_parser *p, const char *raw, size_t len, const char **text,
			  size_t *tlen)
{
	size_t vs, ve;
	int rc;

	if (!p->key || len > (size_t)INT_MAX || !find_text_value(p, raw, len, &vs) ||
	    !decode_literal(p, raw, len, vs, &ve, text, tlen))
		return 0;
	sach_buf_clear(&p->skel);
	if ((rc = sach_buf_append(&p->skel, raw, vs)) < 0 ||
	    (rc = sach_buf_append(&p->skel, "\"\"", 2)) < 0 ||
	    (rc = sach_buf_append(&p->skel, raw + ve, len - ve)) < 0)
		return rc;
	sach__doc_reset(&p->skel_doc);
	if (parse_jsonl(p, &p->skel_doc, p->skel.ptr, p->skel.len) < 0)
		return 0;
	return p->skel_doc.text_start == vs && p->skel_doc.text_end == vs + 2;
}

int sach_record_parser_check(sach_record_parser *p, const char *raw, size_t len,
			     const char **text, size_t *text_len, bool *verbatim)
{
	int rc;

	*text = "";
	*text_len = 0;
	*verbatim = false;
	if (p->opts.format == SACH_FORMAT_TEXT) {
		*text = raw;
		*text_len = len;
		return SACH_OK;
	}
	if ((rc = check_skeleton(p, raw, len, text, text_len)) != 0) {
		*verbatim = rc > 0;
		return rc < 0 ? rc : SACH_OK;
	}
	sach__doc_reset(&p->doc);
	p->doc.source = "";
	p->doc.line = 0;
	if ((rc = parse_jsonl(p, &p->doc, raw, len)) < 0)
		return rc;
	*text = p->doc.text;
	*text_len = p->doc.text_len;
	*verbatim = p->doc.lone_surrogates == 0;
	return SACH_OK;
}
