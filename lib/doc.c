/*
 * doc.c - documents: parsing a JSONL record, the meta block, and writing a
 * document back as one JSON line.
 *
 * Output is spliced into the original line: the bytes before and after the
 * text value are copied unchanged and only the text value (and the "sach"
 * meta member) are written anew. So every field the tool does not own keeps
 * its exact spelling, and an unchanged record is written back verbatim.
 *
 * Policy for invalid input: a line that is not exactly one JSON object is
 * SACH_EJSON; an object with a repeated key is SACH_EJSON too, because which
 * value is "the text" would be a guess; a missing or non-string text field is
 * SACH_EFIELD. Invalid UTF-8 inside strings is not judged here: the text goes
 * to the stages, which repair or reject it by their options.
 */
#include "doc_internal.h"
#include "doc_literal.h"
#include "error_internal.h"
#include "jsonspan.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <string.h>

void sach__doc_reset(sach_doc *doc)
{
	if (doc->obj) {
		json_object_put(doc->obj);
		doc->obj = NULL;
	}
	if (doc->meta) {
		json_object_put(doc->meta);
		doc->meta = NULL;
	}
	doc->raw = NULL;
	doc->raw_len = 0;
	doc->text = NULL;
	doc->text_len = 0;
	doc->text_changed = false;
	doc->orig_text = NULL;
	doc->orig_len = 0;
	doc->lone_surrogates = 0;
	doc->has_meta_member = false;
	doc->has_id_member = false;
	doc->empty_object = false;
	sach_buf_clear(&doc->text_buf);
	sach_buf_clear(&doc->id_buf);
	sach_buf_clear(&doc->lit_buf);
	sach_buf_clear(&doc->skel_buf);
}

void sach__doc_release(sach_doc *doc)
{
	sach__doc_reset(doc);
	sach_buf_free(&doc->text_buf);
	sach_buf_free(&doc->id_buf);
	sach_buf_free(&doc->lit_buf);
	sach_buf_free(&doc->skel_buf);
}

static const char *json_type_label(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double:
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "a value";
}

struct span_ctx {
	long text_index, meta_index, id_index;
	sach_doc *doc;
};

static int span_cb(void *p, long index, const sach__json_member *m)
{
	struct span_ctx *c = p;

	if (index == c->text_index) {
		c->doc->text_start = m->value_start;
		c->doc->text_end = m->value_end;
	}
	if (index == c->meta_index) {
		c->doc->meta_start = m->value_start;
		c->doc->meta_end = m->value_end;
	}
	if (index == c->id_index) {
		c->doc->id_start = m->value_start;
		c->doc->id_end = m->value_end;
	}
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The \uXXXX escape at s (s[0] == '\\'), or -1. */
static long escape_at(const char *s, size_t len)
{
	long v = 0;
	size_t k;

	if (len < 6 || s[1] != 'u')
		return -1;
	for (k = 2; k < 6; k++) {
		int h = hexval(s[k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Counts \uD800-\uDFFF escapes that do not form a surrogate pair in a JSON
 * string literal. json-c turns them into U+FFFD without a word; they are
 * ill-formed text, like invalid UTF-8, and the stages must be able to
 * count or reject them.
 */
static size_t count_lone_surrogates(const char *s, size_t len)
{
	const char *p = memchr(s, '\\', len), *end = s + len;
	size_t n = 0;

	while (p && p < end) {
		long v = escape_at(p, (size_t)(end - p));

		if (v >= 0xD800 && v <= 0xDBFF) {
			long w = escape_at(p + 6, (size_t)(end - p - 6));
			if (p + 6 < end && p[6] == '\\' && w >= 0xDC00 && w <= 0xDFFF) {
				p += 12;
			} else {
				n++;
				p += 6;
			}
		} else if (v >= 0xDC00 && v <= 0xDFFF) {
			n++;
			p += 6;
		} else {
			p += 2; /* any other escape, including \\ */
		}
		if (p < end)
			p = memchr(p, '\\', (size_t)(end - p));
	}
	return n;
}

/* JSON forbids raw control characters (json-c lets them through even in
 * strict mode); TAB and a final CR are the only ones a line may hold. */
static int check_controls(const char *line, size_t len)
{
	size_t i;

	/* Eight bytes at a time: (x - 0x20..20) & ~x & 0x80..80 is non-zero
	 * exactly when some byte of x is below 0x20. */
	for (i = 0; i < len; i += 8) {
		uint64_t x;
		size_t k, n = len - i < 8 ? len - i : 8;

		if (n == 8) {
			memcpy(&x, line + i, 8);
			if (!((x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull))
				continue;
		}
		for (k = i; k < i + n; k++) {
			unsigned char b = (unsigned char)line[k];
			if (b < 0x20 && b != '\t' && !(b == '\r' && k == len - 1))
				return sach__error_set(SACH_EJSON,
					"invalid JSON: raw control character 0x%02X at column %zu",
					b, k + 1);
		}
	}
	return SACH_OK;
}

/* json-c's parse of s (the line, or its skeleton) into doc->obj: one
 * object and nothing after it but blanks. */
static int parse_object(sach_doc *doc, json_tokener *tok, const char *s, size_t len)
{
	enum json_tokener_error jerr;
	size_t end;

	json_tokener_reset(tok);
	doc->obj = json_tokener_parse_ex(tok, s, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!doc->obj) {
		if (jerr == json_tokener_continue)
			return sach__error_set(SACH_EJSON, "invalid JSON: record ends early");
		if (jerr == json_tokener_success) /* the literal null */
			return sach__error_set(SACH_EJSON, "not a JSON object (null)");
		return sach__error_set(SACH_EJSON, "invalid JSON: %s at column %zu",
				       json_tokener_error_desc(jerr),
				       json_tokener_get_parse_end(tok) + 1);
	}
	end = json_tokener_get_parse_end(tok);
	while (end < len && (s[end] == ' ' || s[end] == '\t' || s[end] == '\r'))
		end++;
	if (end < len)
		return sach__error_set(SACH_EJSON,
			"invalid JSON: unexpected text after the object at column %zu", end + 1);
	if (!json_object_is_type(doc->obj, json_type_object))
		return sach__error_set(SACH_EJSON, "not a JSON object (%s)",
				       json_type_label(doc->obj));
	return SACH_OK;
}

/* The rest of a record's checks, on doc->obj and the line as read, and its
 * spans, text and lone surrogates. */
static int finish_object(sach_doc *doc, const char *line, size_t len)
{
	struct span_ctx sc = { -1, -1, -1, doc };
	json_object *text_val = NULL;
	size_t close_brace = 0;
	long index = 0, members, bad;

	json_object_object_foreach(doc->obj, key, val) {
		if (strcmp(key, doc->text_field) == 0) {
			sc.text_index = index;
			text_val = val;
		} else if (strcmp(key, SACH_META_KEY) == 0) {
			sc.meta_index = index;
		}
		if (strcmp(key, doc->id_field) == 0)
			sc.id_index = index;
		index++;
	}
	members = sach__json_members(line, len, &close_brace, span_cb, &sc);
	if (members < 0)
		return sach__error_set(SACH_EJSON, "invalid JSON: unexpected object layout");
	if (members != (long)json_object_object_length(doc->obj))
		return sach__error_set(SACH_EJSON, "invalid JSON: duplicate key in object");
	bad = sach__json_strict_check(line, len);
	if (bad >= 0)
		return sach__error_set(SACH_EJSON, "invalid JSON: %s at column %ld",
				       line[bad] == '\t' ? "raw TAB inside a string" : "not a JSON value",
				       bad + 1);
	doc->close_brace = close_brace;
	doc->has_id_member = sc.id_index >= 0;
	doc->empty_object = members == 0;
	doc->has_meta_member = sc.meta_index >= 0;

	if (sc.text_index < 0)
		return sach__error_set(SACH_EFIELD, "no \"%s\" field", doc->text_field);
	if (!json_object_is_type(text_val, json_type_string))
		return sach__error_set(SACH_EFIELD, "field \"%s\" is %s, not a string",
				       doc->text_field, json_type_label(text_val));
	doc->text = json_object_get_string(text_val);
	doc->text_len = (size_t)json_object_get_string_len(text_val);
	doc->orig_text = doc->text;
	doc->orig_len = doc->text_len;
	doc->lone_surrogates = count_lone_surrogates(line + doc->text_start,
						     doc->text_end - doc->text_start);
	return SACH_OK;
}

/* The full parse once the control bytes are checked. */
static int parse_full(sach_doc *doc, json_tokener *tok, const char *line, size_t len)
{
	int rc = parse_object(doc, tok, line, len);

	return rc < 0 ? rc : finish_object(doc, line, len);
}

/* What both parses start with: the record's bytes, and no raw controls. */
static int begin_jsonl(sach_doc *doc, const char *line, size_t len)
{
	doc->raw = line;
	doc->raw_len = len;
	doc->format = SACH_FORMAT_JSONL;
	return check_controls(line, len);
}

int sach__doc_parse_jsonl_full(sach_doc *doc, json_tokener *tok, const char *line, size_t len)
{
	int rc = begin_jsonl(doc, line, len);

	return rc < 0 ? rc : parse_full(doc, tok, line, len);
}

/*
 * The skeleton parse (see doc_check.c's top for why json-c gives the same
 * verdict on the skeleton as on the record): json-c parses the record with
 * its text literal emptied, every other check and span is taken on the
 * line as read, exactly as in the full parse, and the text is the literal
 * decoded into doc->lit_buf. True when the record is valid that way, with
 * the doc as the full parse leaves it but for obj's text member, which is
 * "" (nothing reads it: a text field that is also the id field is left to
 * the full parse). False to take the full parse, which then gives any
 * message: the skeleton's would name its own columns.
 */
static bool parse_skeleton(sach_doc *doc, json_tokener *tok, const char *line, size_t len)
{
	const char *text;
	size_t vs, ve, tlen;

	if (len > (size_t)INT_MAX || strcmp(doc->text_field, doc->id_field) == 0 ||
	    !sach__json_name_plain(doc->text_field) ||
	    !sach__find_text_value(doc->text_field, strlen(doc->text_field), line, len, &vs) ||
	    !sach__decode_literal(&doc->lit_buf, line, len, vs, &ve, &text, &tlen, true) ||
	    sach__skeleton(&doc->skel_buf, line, len, vs, ve) < 0)
		return false;
	/* A skeleton that fails may leave json-c's pending high surrogate in
	 * tok; the full parse of the record then fails at the same place with
	 * the same message (the pending half only changes decoded text), and
	 * the caller replaces the tokener after any failure. */
	if (parse_object(doc, tok, doc->skel_buf.ptr, doc->skel_buf.len) < 0 ||
	    finish_object(doc, line, len) < 0 || doc->text_start != vs || doc->text_end != ve ||
	    doc->text_len != 0) {
		if (doc->obj) {
			json_object_put(doc->obj);
			doc->obj = NULL;
		}
		return false;
	}
	doc->text = doc->orig_text = text;
	doc->text_len = doc->orig_len = tlen;
	return true;
}

int sach__doc_parse_jsonl(sach_doc *doc, json_tokener *tok, const char *line, size_t len)
{
	int rc = begin_jsonl(doc, line, len);

	if (rc < 0)
		return rc;
	if (parse_skeleton(doc, tok, line, len))
		return SACH_OK;
	return parse_full(doc, tok, line, len);
}

void sach__doc_set_plain(sach_doc *doc, const char *text, size_t len)
{
	doc->format = SACH_FORMAT_TEXT;
	doc->raw = text;
	doc->raw_len = len;
	doc->text = text;
	doc->text_len = len;
	doc->orig_text = text;
	doc->orig_len = len;
}

size_t sach_doc_lone_surrogates(const sach_doc *doc)
{
	return doc->lone_surrogates;
}

void sach_doc_restore_text(sach_doc *doc)
{
	doc->text = doc->orig_text;
	doc->text_len = doc->orig_len;
	doc->text_changed = false;
	doc->lone_surrogates = 0; /* written back as read, escapes and all */
}

const char *sach_doc_text(const sach_doc *doc, size_t *len)
{
	*len = doc->text_len;
	return doc->text;
}

int sach_doc_set_text(sach_doc *doc, const char *text, size_t len)
{
	int rc;

	if (len == doc->text_len && memcmp(text, doc->text, len) == 0)
		return SACH_OK;
	if (doc->text_buf.ptr && text >= doc->text_buf.ptr &&
	    text < doc->text_buf.ptr + doc->text_buf.cap) {
		/* Part of our own buffer (a stage edited or trimmed it in place). */
		memmove(doc->text_buf.ptr, text, len);
		doc->text_buf.len = len;
		doc->text_buf.ptr[len] = '\0';
	} else {
		sach_buf_clear(&doc->text_buf);
		rc = sach_buf_append(&doc->text_buf, text, len);
		if (rc < 0)
			return rc;
	}
	doc->text = doc->text_buf.ptr;
	doc->text_len = len;
	doc->text_changed = true;
	return SACH_OK;
}

bool sach_doc_text_changed(const sach_doc *doc)
{
	return doc->text_changed;
}

const char *sach_doc_source(const sach_doc *doc)
{
	return doc->source;
}

uint64_t sach_doc_line(const sach_doc *doc)
{
	return doc->line;
}

const char *sach_doc_id(const sach_doc *doc)
{
	sach_doc *d = (sach_doc *)doc; /* the id is built lazily into id_buf */
	json_object *v;
	char num[64];

	if (d->id_buf.len)
		return d->id_buf.ptr;
	if (d->obj && d->has_id_member && json_object_object_get_ex(d->obj, d->id_field, &v) && v) {
		int rc;

		/* A string id is its value; any other id keeps its spelling as
		 * written (json-c would clamp big integers and make -0 of 0). */
		if (json_object_is_type(v, json_type_string))
			rc = sach_buf_append(&d->id_buf, json_object_get_string(v),
					     (size_t)json_object_get_string_len(v));
		else
			rc = sach_buf_append(&d->id_buf, d->raw + d->id_start, d->id_end - d->id_start);
		if (rc == 0 && d->id_buf.len)
			return d->id_buf.ptr;
	}
	sach_buf_clear(&d->id_buf);
	snprintf(num, sizeof(num), ":%" PRIu64, d->line);
	if (sach_buf_puts(&d->id_buf, d->source) < 0 || sach_buf_puts(&d->id_buf, num) < 0)
		return "";
	return d->id_buf.ptr;
}

static int meta_stage(sach_doc *doc, const char *stage, json_object **out)
{
	json_object *st;

	if (!doc->meta) {
		json_object *existing;

		if (doc->obj && json_object_object_get_ex(doc->obj, SACH_META_KEY, &existing)) {
			if (!json_object_is_type(existing, json_type_object))
				return sach__error_set(SACH_EINVAL,
					"field \"%s\" is reserved for sach's meta block but holds %s",
					SACH_META_KEY, json_type_label(existing));
			doc->meta = json_object_get(existing);
		} else {
			doc->meta = json_object_new_object();
			if (!doc->meta)
				return sach__error_nomem();
		}
	}
	if (!json_object_object_get_ex(doc->meta, stage, &st) ||
	    !json_object_is_type(st, json_type_object)) {
		st = json_object_new_object();
		if (!st || json_object_object_add(doc->meta, stage, st) < 0)
			return sach__error_nomem();
	}
	*out = st;
	return SACH_OK;
}

int sach_doc_meta_set_int(sach_doc *doc, const char *stage, const char *key, int64_t value)
{
	json_object *st, *v;
	int rc = meta_stage(doc, stage, &st);

	if (rc < 0)
		return rc;
	v = json_object_new_int64(value);
	if (!v || json_object_object_add(st, key, v) < 0)
		return sach__error_nomem();
	return SACH_OK;
}

int sach_doc_meta_set_string(sach_doc *doc, const char *stage, const char *key,
			     const char *value)
{
	json_object *st, *v;
	int rc = meta_stage(doc, stage, &st);

	if (rc < 0)
		return rc;
	v = json_object_new_string(value);
	if (!v || json_object_object_add(st, key, v) < 0)
		return sach__error_nomem();
	return SACH_OK;
}

int sach_doc_meta_set_double(sach_doc *doc, const char *stage, const char *key, double value)
{
	json_object *st, *v;
	char text[32];
	int rc = meta_stage(doc, stage, &st);

	if (rc < 0)
		return rc;
	if (!isfinite(value)) {
		v = NULL;
	} else {
		/* %.6g keeps reports readable and stable; json-c's default would
		 * print 17 digits of binary noise. A value with no '.' or 'e'
		 * still reads back as a number. */
		snprintf(text, sizeof(text), "%.6g", value);
		v = json_object_new_double_s(value, text);
		if (!v)
			return sach__error_nomem();
	}
	if (json_object_object_add(st, key, v) < 0)
		return sach__error_nomem();
	return SACH_OK;
}

int sach_doc_meta_set_bool(sach_doc *doc, const char *stage, const char *key, bool value)
{
	json_object *st, *v;
	int rc = meta_stage(doc, stage, &st);

	if (rc < 0)
		return rc;
	v = json_object_new_boolean(value);
	if (!v || json_object_object_add(st, key, v) < 0)
		return sach__error_nomem();
	return SACH_OK;
}

bool sach_doc_has_meta(const sach_doc *doc)
{
	return doc->meta != NULL;
}

/* 1 for the bytes a JSON string must escape: controls, '"' and '\\'. */
static const unsigned char json_escape_table[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

int sach_json_escape(sach_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc;

	rc = sach_buf_reserve(out, len + 2);
	if (rc < 0)
		return rc;
	out->ptr[out->len++] = '"';
	for (;;) {
		unsigned char c;
		char esc[6];
		size_t n = 0;

#if defined(__SSE2__)
		/* Sixteen bytes at a time while none needs escaping (< 0x20, '"', '\\'). */
		while (i + 16 <= len) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
			__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1F)),
						     _mm_set1_epi8(0x1F));
			__m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
			__m128i bs = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));

			if (_mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(q, bs))))
				break;
			i += 16;
		}
#endif
		while (i < len && !json_escape_table[u[i]])
			i++;
		if (i == len)
			break;
		c = u[i];
		if (i > run) {
			rc = sach_buf_append(out, s + run, i - run);
			if (rc < 0)
				return rc;
		}
		run = ++i;
		esc[n++] = '\\';
		switch (c) {
		case '"': esc[n++] = '"'; break;
		case '\\': esc[n++] = '\\'; break;
		case '\n': esc[n++] = 'n'; break;
		case '\r': esc[n++] = 'r'; break;
		case '\t': esc[n++] = 't'; break;
		case '\b': esc[n++] = 'b'; break;
		case '\f': esc[n++] = 'f'; break;
		default:
			esc[n++] = 'u';
			esc[n++] = '0';
			esc[n++] = '0';
			esc[n++] = hex[c >> 4];
			esc[n++] = hex[c & 15];
		}
		rc = sach_buf_append(out, esc, n);
		if (rc < 0)
			return rc;
	}
	if (len > run) {
		rc = sach_buf_append(out, s + run, len - run);
		if (rc < 0)
			return rc;
	}
	return sach_buf_append(out, "\"", 1);
}

static int append_meta(const sach_doc *doc, sach_buf *out)
{
	const char *m = json_object_to_json_string_ext(doc->meta,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	return m ? sach_buf_puts(out, m) : sach__error_nomem();
}

static int write_from_text(const sach_doc *doc, sach_buf *out)
{
	const char *id = sach_doc_id(doc);
	int rc;

	if ((rc = sach_buf_puts(out, "{")) < 0 ||
	    (rc = sach_json_escape(out, doc->id_field, strlen(doc->id_field))) < 0 ||
	    (rc = sach_buf_puts(out, ": ")) < 0 ||
	    (rc = sach_json_escape(out, id, strlen(id))) < 0 ||
	    (rc = sach_buf_puts(out, ", ")) < 0 ||
	    (rc = sach_json_escape(out, doc->text_field, strlen(doc->text_field))) < 0 ||
	    (rc = sach_buf_puts(out, ": ")) < 0 ||
	    (rc = sach_json_escape(out, doc->text, doc->text_len)) < 0)
		return rc;
	if (doc->meta) {
		if ((rc = sach_buf_puts(out, ", \"" SACH_META_KEY "\": ")) < 0 ||
		    (rc = append_meta(doc, out)) < 0)
			return rc;
	}
	return sach_buf_puts(out, "}\n");
}

int sach_doc_write_jsonl(const sach_doc *doc, sach_buf *out)
{
	struct piece { size_t start, end; int what; } p[2];
	size_t n = 0, pos = 0, i;
	int rc;

	if (doc->format != SACH_FORMAT_JSONL)
		return write_from_text(doc, out);
	if (!doc->text_changed && !doc->meta && !doc->lone_surrogates) {
		if ((rc = sach_buf_append(out, doc->raw, doc->raw_len)) < 0)
			return rc;
		return sach_buf_append(out, "\n", 1);
	}
	/* Replacements in the original line, in offset order: the text value
	 * (what 0), and the meta value (what 1) or, with no "sach" member yet,
	 * an insertion before the closing brace (what 2). */
	/* Lone surrogate escapes are rewritten as the U+FFFD json-c made of
	 * them, so the output is well-formed whatever else happened. */
	if (doc->text_changed || doc->lone_surrogates)
		p[n++] = (struct piece){ doc->text_start, doc->text_end, 0 };
	if (doc->meta) {
		if (doc->has_meta_member)
			p[n++] = (struct piece){ doc->meta_start, doc->meta_end, 1 };
		else
			p[n++] = (struct piece){ doc->close_brace, doc->close_brace, 2 };
	}
	if (n == 2 && p[1].start < p[0].start) {
		struct piece t = p[0];
		p[0] = p[1];
		p[1] = t;
	}
	for (i = 0; i < n; i++) {
		size_t cut = p[i].start;

		if (p[i].what == 2) {
			/* Drop whitespace before the '}' so the member follows the last value. */
			while (cut > pos && (doc->raw[cut - 1] == ' ' || doc->raw[cut - 1] == '\t'))
				cut--;
		}
		if ((rc = sach_buf_append(out, doc->raw + pos, cut - pos)) < 0)
			return rc;
		if (p[i].what == 0)
			rc = sach_json_escape(out, doc->text, doc->text_len);
		else if (p[i].what == 1)
			rc = append_meta(doc, out);
		else {
			rc = sach_buf_puts(out, doc->empty_object ? "\"" SACH_META_KEY "\": "
							     : ", \"" SACH_META_KEY "\": ");
			if (rc == 0)
				rc = append_meta(doc, out);
		}
		if (rc < 0)
			return rc;
		pos = p[i].end;
	}
	if ((rc = sach_buf_append(out, doc->raw + pos, doc->raw_len - pos)) < 0)
		return rc;
	return sach_buf_append(out, "\n", 1);
}
