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
 * byte copied (json-c does not check UTF-8 unless asked to). The finding
 * and decoding live in doc_literal.c, shared with sach__doc_parse_jsonl(),
 * which parses every record this way (for the reader and parse() here) and
 * so rests on the argument above too; the check's own skeleton parse and
 * its fallback take sach__doc_parse_jsonl_full(), having tried already.
 *
 * Every parse here is as on a fresh tokener: json-c 0.16 keeps a pending
 * high surrogate across json_tokener_reset() when a parse fails right
 * after one (a record cut after "\ud83d"), and the next \u escape it
 * decodes, in any later record, then gets a U+FFFD in front. So after a
 * failure the tokener is replaced. A record's verdict and text then depend
 * on its bytes only, whichever thread parses it and whatever came before.
 */
#include "doc_internal.h"
#include "doc_literal.h"
#include "error_internal.h"

#include <limits.h>
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
	bool plain_name;       /* the text field's name needs no escape in JSON */
	size_t name_len;
};

/* json-c's tokener in the reader's mode. */
static json_tokener *new_tokener(void)
{
	json_tokener *tok = json_tokener_new();

	if (tok)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	return tok;
}

/* sach__doc_parse_jsonl() (or, with `full`, sach__doc_parse_jsonl_full(),
 * for a skeleton, which has nothing to gain from another) on a fresh
 * tokener's terms (see the top). */
static int parse_jsonl(sach_record_parser *p, sach_doc *doc, const char *line, size_t len,
		       bool full)
{
	int rc = full ? sach__doc_parse_jsonl_full(doc, p->tok, line, len)
		      : sach__doc_parse_jsonl(doc, p->tok, line, len);
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

	*out = NULL;
	if (!opts || opts->version != SACH_READER_OPTIONS_VERSION || !opts->text_field ||
	    !opts->id_field)
		return sach__error_set(SACH_EINVAL, "record parser: invalid options");
	if (!(p = calloc(1, sizeof(*p))))
		return sach__error_nomem();
	p->opts = *opts;
	p->tok = new_tokener();
	/* the key is matched byte for byte, so only a name JSON writes as is */
	p->plain_name = sach__json_name_plain(opts->text_field);
	p->name_len = strlen(opts->text_field);
	if (!p->tok) {
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
	} else if ((rc = parse_jsonl(p, &p->doc, raw, len, false)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		return sach__error_set(rc, "%s:%llu: %s", name, (unsigned long long)line, msg);
	}
	*doc = &p->doc;
	return SACH_OK;
}

/* ---- the check ---- */

/* 1 when the record is valid with the text found without json-c's copy of
 * it; 0 to take the full parse (the verdict is not known yet); SACH_ENOMEM. */
static int check_skeleton(sach_record_parser *p, const char *raw, size_t len, const char **text,
			  size_t *tlen)
{
	size_t vs, ve;
	int rc;

	if (!p->plain_name || len > (size_t)INT_MAX ||
	    !sach__find_text_value(p->opts.text_field, p->name_len, raw, len, &vs) ||
	    !sach__decode_literal(&p->text, raw, len, vs, &ve, text, tlen, false))
		return 0;
	if ((rc = sach__skeleton(&p->skel, raw, len, vs, ve)) < 0)
		return rc;
	sach__doc_reset(&p->skel_doc);
	if (parse_jsonl(p, &p->skel_doc, p->skel.ptr, p->skel.len, true) < 0)
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
	if ((rc = parse_jsonl(p, &p->doc, raw, len, true)) < 0)
		return rc;
	*text = p->doc.text;
	*text_len = p->doc.text_len;
	*verbatim = p->doc.lone_surrogates == 0;
	return SACH_OK;
}
