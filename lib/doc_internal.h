/* Private: the layout of sach_doc, shared by reader.c and doc.c. */
#ifndef SACH_DOC_INTERNAL_H
#define SACH_DOC_INTERNAL_H

#include <json-c/json.h>

#include "sach/doc.h"
#include "sach/io.h"

struct sach_doc {
	/* Where the record came from, for messages and ids. */
	const char *source;
	uint64_t line;

	/* The record's bytes as read (borrowed from the reader). */
	const char *raw;
	size_t raw_len;

	sach_format format;
	const char *text_field;
	const char *id_field;

	/* JSONL only: the parsed object (owned by the reader) and the spans of
	 * the members that output splices: [start, end) byte offsets in raw. */
	json_object *obj;
	size_t text_start, text_end;
	bool has_meta_member;
	size_t meta_start, meta_end;
	size_t close_brace;        /* offset of the object's final '}' */
	bool has_id_member;
	size_t id_start, id_end;   /* the id value as written */
	bool empty_object;

	/* The current text: the original, or text_buf after a change. */
	const char *text;
	size_t text_len;
	const char *orig_text;     /* the text as read */
	size_t orig_len;
	size_t lone_surrogates;    /* \uD800-\uDFFF escapes without a partner */
	sach_buf text_buf;
	bool text_changed;
	/* The skeleton parse (doc.c): the text literal decoded (orig_text then
	 * points here, json-c's own text member being ""), and the record with
	 * that literal emptied, kept to reuse its memory. */
	sach_buf lit_buf;
	sach_buf skel_buf;

	sach_buf id_buf;

	/* The "sach" meta object being built (owned), NULL until a stage writes. */
	json_object *meta;
};

/* Resets per-record state; keeps the buffers. */
void sach__doc_reset(sach_doc *doc);
/* Frees what the document owns (not the struct). */
void sach__doc_release(sach_doc *doc);

/*
 * Fills a JSONL document from one line: parses it with json-c, checks that it
 * is one object with unique keys and a string text field, and records the
 * member spans. Returns 0, SACH_EJSON or SACH_EFIELD with a message that
 * does not yet name the file (the reader adds it).
 *
 * When the text value is a literal json-c is known to decode like
 * doc_literal.c, json-c parses only a skeleton of the line (the literal
 * emptied) and the literal is decoded apart: json-c's string object of the
 * text is most of a record's parse. Verdict, message, text, id, meta and
 * output are those of sach__doc_parse_jsonl_full(), which takes every
 * json-c decoding of the line itself (the unit tests compare the two).
 */
int sach__doc_parse_jsonl(sach_doc *doc, json_tokener *tok, const char *line, size_t len);
int sach__doc_parse_jsonl_full(sach_doc *doc, json_tokener *tok, const char *line, size_t len);

/* Fills a text document from a line or block. */
void sach__doc_set_plain(sach_doc *doc, const char *text, size_t len);

#endif
