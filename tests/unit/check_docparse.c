/*
 * check_docparse.c - unit tests for the skeleton parse of a JSONL record
 * (lib/doc.c sach__doc_parse_jsonl): on every record it must leave the
 * document exactly as the full parse (sach__doc_parse_jsonl_full) does:
 * verdict and message, text, id, lone surrogates, and the line written back
 * unchanged, after a meta value, after a new text and after restoring it.
 *
 * Records are generated as in check_io.c's io_parser_check_matches_parse
 * (the same literal pieces and layouts), plus layouts with a "sach" member,
 * ids of every JSON type, duplicate keys, a text field that is not a
 * string and escaped keys. Private headers: the two parses are internal.
 */
#include "doc_internal.h"
#include "sach/error.h"

#include "check_helpers.h"
#include "json_records.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) (lit), (sizeof(lit) - 1)

/* One way of parsing: its own document and tokener (replaced after a
 * failure, as the reader does, so no record sees another's json-c state). */
struct way {
	sach_doc doc;
	json_tokener *tok;
	bool full;
};

static void way_init(struct way *w, bool full, const char *text_field, const char *id_field)
{
	memset(w, 0, sizeof(*w));
	w->full = full;
	w->doc.text_field = text_field;
	w->doc.id_field = id_field;
	w->doc.source = "x";
	w->doc.line = 1;
	w->tok = json_tokener_new();
	ck_assert_ptr_nonnull(w->tok);
	json_tokener_set_flags(w->tok, JSON_TOKENER_STRICT);
}

static void way_free(struct way *w)
{
	sach__doc_release(&w->doc);
	json_tokener_free(w->tok);
}

/* Parses one line: the rc, and the message in msg. */
static int way_parse(struct way *w, const char *line, size_t len, char *msg, size_t msg_size)
{
	int rc;

	sach__doc_reset(&w->doc);
	rc = w->full ? sach__doc_parse_jsonl_full(&w->doc, w->tok, line, len)
		     : sach__doc_parse_jsonl(&w->doc, w->tok, line, len);
	snprintf(msg, msg_size, "%s", rc < 0 ? sach_error_last() : "");
	if (rc < 0) {
		json_tokener_free(w->tok);
		w->tok = json_tokener_new();
		ck_assert_ptr_nonnull(w->tok);
		json_tokener_set_flags(w->tok, JSON_TOKENER_STRICT);
	}
	return rc;
}

/* Both documents written back give the same bytes. */
static void same_output(struct way *fast, struct way *full, const char *line, size_t len,
			const char *what)
{
	sach_buf a = { 0 }, b = { 0 };
	int ra = sach_doc_write_jsonl(&fast->doc, &a), rb = sach_doc_write_jsonl(&full->doc, &b);

	th_check(ra == rb, "[%s] %s: write %d, full %d", th_show(line, len), what, ra, rb);
	th_check(a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0),
		 "[%s] %s: wrote [%s], full [%s]", th_show(line, len), what,
		 th_show(a.ptr ? a.ptr : "", a.len), th_show(b.ptr ? b.ptr : "", b.len));
	sach_buf_free(&a);
	sach_buf_free(&b);
}

/* Parses a line both ways and compares everything a tool can see; counts
 * the records whose text came from the skeleton parse. */
static void compare(struct way *fast, struct way *full, const char *line, size_t len,
		    int *skeleton)
{
	char ma[512], mb[512];
	int ra = way_parse(fast, line, len, ma, sizeof(ma));
	int rb = way_parse(full, line, len, mb, sizeof(mb));
	const char *ta, *tb;
	size_t na, nb;

	th_check(ra == rb && strcmp(ma, mb) == 0, "[%s]: %d %s, full %d %s", th_show(line, len),
		 ra, ma, rb, mb);
	if (ra < 0)
		return;
	*skeleton += fast->doc.lit_buf.ptr && fast->doc.text == fast->doc.lit_buf.ptr;
	ta = sach_doc_text(&fast->doc, &na);
	tb = sach_doc_text(&full->doc, &nb);
	th_check(na == nb && memcmp(ta, tb, na) == 0 && ta[na] == '\0',
		 "[%s]: text [%s], full [%s]", th_show(line, len), th_show(ta, na),
		 th_show(tb, nb));
	th_check(strcmp(sach_doc_id(&fast->doc), sach_doc_id(&full->doc)) == 0,
		 "[%s]: id [%s], full [%s]", th_show(line, len), sach_doc_id(&fast->doc),
		 sach_doc_id(&full->doc));
	th_check(sach_doc_lone_surrogates(&fast->doc) == sach_doc_lone_surrogates(&full->doc),
		 "[%s]: lone surrogates differ", th_show(line, len));
	same_output(fast, full, line, len, "unchanged");

	ra = sach_doc_meta_set_string(&fast->doc, "stage", "key", "v\xc3\xa0");
	snprintf(ma, sizeof(ma), "%s", ra < 0 ? sach_error_last() : "");
	rb = sach_doc_meta_set_string(&full->doc, "stage", "key", "v\xc3\xa0");
	snprintf(mb, sizeof(mb), "%s", rb < 0 ? sach_error_last() : "");
	th_check(ra == rb && strcmp(ma, mb) == 0, "[%s]: meta %d %s, full %d %s",
		 th_show(line, len), ra, ma, rb, mb);
	same_output(fast, full, line, len, "with meta");

	ck_assert_int_eq(sach_doc_set_text(&fast->doc, S("new \"text\"\n\xe1\xbb\x87")), SACH_OK);
	ck_assert_int_eq(sach_doc_set_text(&full->doc, S("new \"text\"\n\xe1\xbb\x87")), SACH_OK);
	same_output(fast, full, line, len, "new text");

	sach_doc_restore_text(&fast->doc);
	sach_doc_restore_text(&full->doc);
	ta = sach_doc_text(&fast->doc, &na);
	tb = sach_doc_text(&full->doc, &nb);
	th_check(na == nb && memcmp(ta, tb, na) == 0, "[%s]: restored text [%s], full [%s]",
		 th_show(line, len), th_show(ta, na), th_show(tb, nb));
	same_output(fast, full, line, len, "restored");
}

/* Records around a generated literal: json_records.h's layouts first, then the
 * members a skeleton parse could get wrong. */
static const char *const layouts[][2] = {
	TJ_LAYOUTS
	/* an existing "sach" member, an object or not, before or after */
	{ "{\"sach\": {\"stage\": {\"old\": 1}, \"other\": [\"x\"]}, \"text\": \"", "\"}" },
	{ "{\"text\": \"", "\", \"sach\": {\"stage\": 5}}" },
	{ "{\"text\": \"", "\", \"sach\": \"not an object\"}" },
	{ "{\"sach\": [1], \"text\": \"", "\", \"id\": \"s\"}" },
	{ "{\"text\": \"", "\", \"sach\": {}, \"id\": 3}" },
	/* ids of every type, as written */
	{ "{\"id\": 184467440737095516160, \"text\": \"", "\"}" },
	{ "{\"text\": \"", "\", \"id\": -0}" },
	{ "{\"id\": 1.5e3, \"text\": \"", "\"}" },
	{ "{\"id\": {\"a\": \"b\"}, \"text\": \"", "\"}" },
	{ "{\"text\": \"", "\", \"id\": [1, \"x\"]}" },
	{ "{\"id\": true, \"text\": \"", "\"}" },
	{ "{\"id\": null, \"text\": \"", "\"}" },
	{ "{\"id\": \"\", \"text\": \"", "\"}" },
	{ "{\"id\": \"\\u00e9\\ud83d\\ude00\", \"text\": \"", "\"}" },
	{ "{\"id\": \"\\ud800\", \"text\": \"", "\"}" },
	/* duplicate keys */
	{ "{\"id\": \"a\", \"id\": \"b\", \"text\": \"", "\"}" },
	{ "{\"text\": \"d\", \"text\": \"", "\"}" },
	{ "{\"a\": 1, \"text\": \"", "\", \"a\": 2}" },
	{ "{\"sach\": {}, \"text\": \"", "\", \"sach\": {}}" },
	{ "{\"text\": \"", "\", \"te\\u0078t\": \"d\"}" },
	/* the text field not a string; the literal in another member */
	{ "{\"text\": 5, \"other\": \"", "\"}" },
	{ "{\"other\": \"", "\", \"text\": null}" },
	{ "{\"text\": [\"", "\"]}" },
	{ "{\"text\": {\"text\": \"", "\"}}" },
	{ "{\"other\": \"", "\"}" },
	/* escaped keys, before the text or being it */
	{ "{\"\\u0069d\": \"e\", \"text\": \"", "\"}" },
	{ "{\"te\\u0078t\": \"", "\"}" },
	{ "{\"a\\\"b\": 1, \"text\": \"", "\"}" },
	{ "{\"text\": \"", "\", \"\\u0073ach\": {\"s\": 1}}" },
	/* blanks and nesting around the members */
	{ "\t{\"n\": [[], {}], \"text\"\t:\t\"", "\"\t}\t" },
	{ "{\"text\": \"", "\" , \"z\": {\"y\": [\"\\\"\", \"}\"]} }" },
};

/* The skeleton parse against the full parse on generated records. */
START_TEST(docparse_skeleton_matches_full)
{
	size_t nl = sizeof(layouts) / sizeof(layouts[0]);
	uint64_t seed = 0x5EC7u;
	struct way fast, full;
	sach_buf line = { 0 };
	int it, skeleton = 0;

	way_init(&fast, false, "text", "id");
	way_init(&full, true, "text", "id");
	for (it = 0; it < 60000; it++) {
		tj_record(&line, &seed, it, layouts, nl);
		compare(&fast, &full, line.ptr, line.len, &skeleton);
	}
	/* every layout with a plain and an escaped literal */
	for (it = 0; it < (int)nl; it++) {
		static const char *const lits[] = { "", "plain", "e\\u0301\\n\\ud83d\\ude00\\\"" };
		size_t k;

		for (k = 0; k < sizeof(lits) / sizeof(lits[0]); k++) {
			sach_buf_clear(&line);
			ck_assert_int_eq(sach_buf_puts(&line, layouts[it][0]), SACH_OK);
			ck_assert_int_eq(sach_buf_puts(&line, lits[k]), SACH_OK);
			ck_assert_int_eq(sach_buf_puts(&line, layouts[it][1]), SACH_OK);
			compare(&fast, &full, line.ptr, line.len, &skeleton);
		}
	}
	ck_assert_int_gt(skeleton, 20000);
	way_free(&fast);
	way_free(&full);
	sach_buf_free(&line);
}
END_TEST

/* Field names: another text field, the id field being the text field, the
 * meta key as the text field, and a name that must be escaped in JSON. */
START_TEST(docparse_field_names)
{
	static const struct {
		const char *text, *id, *line;
	} cases[] = {
		{ "body", "id", "{\"text\": 1, \"body\": \"b\\nb\", \"id\": \"i\"}" },
		{ "body", "id", "{\"text\": \"t\"}" },
		{ "text", "text", "{\"text\": \"the id too\"}" },
		{ "text", "text", "{\"text\": \"esc\\u00e9\"}" },
		{ "text", "text", "{\"text\": \"\"}" },
		{ "sach", "id", "{\"sach\": \"meta key as text\", \"id\": 1}" },
		{ "t\"x", "id", "{\"t\\\"x\": \"quoted name\"}" },
		{ "i\xc3\xa0", "id", "{\"i\xc3\xa0\": \"utf-8 name\"}" },
		{ "id", "text", "{\"text\": \"t\", \"id\": \"swapped\"}" },
	};
	size_t i;
	int skeleton = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct way fast, full;

		way_init(&fast, false, cases[i].text, cases[i].id);
		way_init(&full, true, cases[i].text, cases[i].id);
		compare(&fast, &full, cases[i].line, strlen(cases[i].line), &skeleton);
		way_free(&fast);
		way_free(&full);
	}
	ck_assert_int_gt(skeleton, 0);
}
END_TEST

Suite *sach_docparse_suite(void);

Suite *sach_docparse_suite(void)
{
	Suite *s = suite_create("docparse");
	TCase *tc = tcase_create("skeleton");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, docparse_skeleton_matches_full);
	tcase_add_test(tc, docparse_field_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_docparse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
