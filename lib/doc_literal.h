/*
 * Private: the text literal of a JSONL record, found and decoded without
 * json-c, for the skeleton parses of doc.c and doc_check.c (the argument
 * that they give json-c's verdict and text is at the top of doc_check.c).
 */
#ifndef SACH_DOC_LITERAL_H
#define SACH_DOC_LITERAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sach/common.h"

/* Whether a member name is written in JSON as is: no byte of it needs an
 * escape, so its key literal can be matched byte for byte. */
bool sach__json_name_plain(const char *name);

/*
 * Where the value of member `name` (plain, name_len bytes) starts, walking
 * the members of the object in s before it; true only when that value is
 * a string literal (s[*vs] == '"'). False when it is not found that way:
 * an escaped key on the way, no such member, a value that is not a string,
 * or s not an object. Only needs to be right for valid JSON: the skeleton
 * parse catches anything else.
 */
bool sach__find_text_value(const char *name, size_t name_len, const char *s, size_t len,
			   size_t *vs);

/*
 * Decodes the string literal at s[vs] (a '"') exactly as json-c 0.16 does:
 * true with the text in *text and *tlen, and *ve just past the closing
 * quote; false for anything outside the subset json-c is known to decode
 * the same way (raw bytes below 0x20, \u0000, lone surrogates, bad
 * escapes, no closing quote). With `copy` false a literal without escapes
 * is given as the bytes inside s itself; otherwise the text is in buf,
 * NUL-terminated like json-c's strings. False too when buf cannot grow.
 */
bool sach__decode_literal(sach_buf *buf, const char *s, size_t len, size_t vs, size_t *ve,
			  const char **text, size_t *tlen, bool copy);

/* The skeleton of s: s with its literal [vs, ve) replaced by "". 0 or
 * SACH_ENOMEM. */
int sach__skeleton(sach_buf *skel, const char *s, size_t len, size_t vs, size_t ve);

#endif
