/*
 * check_doc.c - unit tests for sach/doc.h: documents read from JSON Lines
 * and plain text, ids, the member-span splicing of sach_doc_write_jsonl()
 * (every byte the tool does not own survives), the "sach" meta block
 * (merged into an existing one, inserted when absent), JSON string
 * escaping, and lone surrogate escapes.
 *
 * Documents only come from a reader, so every test writes its input to a
 * file in a temporary directory and reads it with sach_reader.
 * Public headers only.
 */
#include "sach/common.h"
#include "sach/doc.h"
#include "sach/error.h"
#include "sach/io.h"

#include "check_helpers.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) (lit), (sizeof(lit) - 1)

static int file_no;

/* Writes `data` to a new file and opens a reader on it. */
static sach_reader *reader_on(const char *data, size_t len, const sach_reader_options *opts,
			      const char **path_out)
{
	sach_reader_options def = SACH_READER_OPTIONS_INIT;
	const char *path = th_path("doc-%d.jsonl", ++file_no);
	sach_reader *r = NULL;
	int rc;

	th_write_file(path, data, len);
	rc = sach_reader_open(&r, path, opts ? opts : &def);
	ck_assert_msg(rc == SACH_OK, "open %s: %d %s", path, rc, sach_error_last());
	if (path_out)
		*path_out = path;
	return r;
}

/* The next record, which must be a document. */
static sach_doc *next_doc(sach_reader *r)
{
	sach_doc *d = NULL;
	int rc = sach_reader_next(r, &d);

	ck_assert_msg(rc == 1, "sach_reader_next: %d (%s)", rc, sach_error_last());
	ck_assert_ptr_nonnull(d);
	return d;
}

/* Reads one JSONL line and returns its document (the reader stays open). */
static sach_doc *one_doc(const char *line, sach_reader **r)
{
	*r = reader_on(line, strlen(line), NULL, NULL);
	return next_doc(*r);
}

/* Asserts that writing the document gives exactly `want`. */
static void expect_written(const sach_doc *d, const char *want, size_t want_len)
{
	sach_buf out = { 0 };

	ck_assert_int_eq(sach_doc_write_jsonl(d, &out), SACH_OK);
	th_assert_bytes(out.ptr, out.len, want, want_len);
	sach_buf_free(&out);
}

#define EXPECT_WRITTEN(d, lit) expect_written(d, S(lit))

/* ---- reading ----------------------------------------------------------- */

START_TEST(doc_fields)
{
	/* "xin chao" with a-grave written as the escape \u00e0. */
	sach_reader *r;
	const char *path;
	sach_doc *d;
	const char *t;
	size_t n;

	r = reader_on(S("{\"id\": \"d1\", \"text\": \"xin ch\\u00e0o\", \"url\": \"http://x/?a=1&b=2\"}\n"),
		      NULL, &path);
	d = next_doc(r);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "xin ch\xC3\xA0o", 9);
	ck_assert_str_eq(sach_doc_id(d), "d1");
	ck_assert_str_eq(sach_doc_source(d), path);
	ck_assert_uint_eq(sach_doc_line(d), 1);
	ck_assert(!sach_doc_text_changed(d));
	ck_assert(!sach_doc_has_meta(d));
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 0);
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_empty_and_nul_text)
{
	sach_reader *r;
	sach_doc *d;
	const char *t;
	size_t n;

	r = reader_on(S("{\"text\": \"\"}\n{\"text\": \"a\\u0000b\"}\n"), NULL, NULL);
	d = next_doc(r);
	t = sach_doc_text(d, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(t);
	d = next_doc(r);
	t = sach_doc_text(d, &n);
	/* The length is authoritative: the text holds a NUL. */
	th_assert_bytes(t, n, "a\0b", 3);
	ck_assert_uint_eq(sach_doc_line(d), 2);
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_id_forms)
{
	static const char in[] =
		"{\"id\": 42, \"text\": \"a\"}\n"
		"{\"id\": \"q\\\"uote\", \"text\": \"a\"}\n"
		"{\"text\": \"no id\"}\n"
		"{\"id\": null, \"text\": \"a\"}\n"
		"{\"id\": \"\", \"text\": \"a\"}\n"
		"{\"id\": [1,2], \"text\": \"a\"}\n";
	sach_reader *r;
	const char *path;
	char want[4200];

	r = reader_on(S(in), NULL, &path);
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "42");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "q\"uote");
	/* Without a usable id: "SOURCE:LINE". */
	snprintf(want, sizeof(want), "%s:3", path);
	ck_assert_str_eq(sach_doc_id(next_doc(r)), want);
	snprintf(want, sizeof(want), "%s:4", path);
	ck_assert_str_eq(sach_doc_id(next_doc(r)), want);
	snprintf(want, sizeof(want), "%s:5", path);
	ck_assert_str_eq(sach_doc_id(next_doc(r)), want);
	/* Other types: their JSON spelling. */
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "[1,2]");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_id_number_spelling)
{
	/* A numeric id is its spelling in the record: numbers json-c cannot
	 * hold (beyond 64 bits) must not be clamped, or different ids collide. */
	static const char in[] =
		"{\"id\": 123456789012345678901234567890, \"text\": \"a\"}\n"
		"{\"id\": 123456789012345678901234567891, \"text\": \"a\"}\n"
		"{\"id\": -9223372036854775809, \"text\": \"a\"}\n"
		"{\"id\": 18446744073709551616, \"text\": \"a\"}\n"
		"{\"id\": 1.50, \"text\": \"a\"}\n"
		"{\"id\": -0, \"text\": \"a\"}\n";
	sach_reader *r = reader_on(S(in), NULL, NULL);

	ck_assert_str_eq(sach_doc_id(next_doc(r)), "123456789012345678901234567890");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "123456789012345678901234567891");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "-9223372036854775809");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "18446744073709551616");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "1.50");
	ck_assert_str_eq(sach_doc_id(next_doc(r)), "-0");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_custom_fields)
{
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	sach_reader *r;
	sach_doc *d;
	const char *t;
	size_t n;

	o.text_field = "content";
	o.id_field = "doc_id";
	r = reader_on(S("{\"text\": \"not this\", \"doc_id\": \"k7\", \"content\": \"this\"}\n"), &o,
		      NULL);
	d = next_doc(r);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "this", 4);
	ck_assert_str_eq(sach_doc_id(d), "k7");
	ck_assert_int_eq(sach_doc_set_text(d, S("new")), SACH_OK);
	/* Only the configured field is replaced. */
	EXPECT_WRITTEN(d, "{\"text\": \"not this\", \"doc_id\": \"k7\", \"content\": \"new\"}\n");
	sach_reader_close(r);
}
END_TEST

/* ---- writing: verbatim and spliced ---------------------------------------- */

/* A record whose other members must survive byte for byte: odd spacing,
 * -0, 1.50, a 30-digit integer, 1E+2, \u00e9 and \/ escapes, a nested
 * object with "}" and escaped quotes inside strings, true/null. */
#define ODD_HEAD "{ \"id\" :\"x\\/1\",\"a\": -0 , \"b\":1.50,\t\"c\": 123456789012345678901234567890, "
#define ODD_MID  "\"text\" :  "
#define ODD_TAIL " ,\"d\": \"\\u00e9\\n\\\"}\", \"e\": {\"f\": [1, {\"g\": \"}]\\\\\"}], \"h\": 1E+2}, " \
		 "\"t\":true,\"n\":null   }"

START_TEST(doc_verbatim_when_unchanged)
{
	static const char line[] = ODD_HEAD ODD_MID "\"old \\u00e0 text\"" ODD_TAIL;
	sach_reader *r;
	sach_doc *d = one_doc(line, &r);

	EXPECT_WRITTEN(d, ODD_HEAD ODD_MID "\"old \\u00e0 text\"" ODD_TAIL "\n");
	/* Setting the same text is not a change: still verbatim, escapes kept. */
	{
		size_t n;
		const char *t = sach_doc_text(d, &n);
		char copy[64];

		memcpy(copy, t, n);
		ck_assert_int_eq(sach_doc_set_text(d, copy, n), SACH_OK);
	}
	ck_assert(!sach_doc_text_changed(d));
	EXPECT_WRITTEN(d, ODD_HEAD ODD_MID "\"old \\u00e0 text\"" ODD_TAIL "\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_splice_text)
{
	static const char line[] = ODD_HEAD ODD_MID "\"old \\u00e0 text\"" ODD_TAIL;
	sach_reader *r;
	sach_doc *d = one_doc(line, &r);
	size_t n;
	const char *t;

	/* New text with a quote, a newline, a tab, a control and "Viet" with
	 * U+1EC7: only the text value is rewritten. */
	ck_assert_int_eq(sach_doc_set_text(d, S("new \"Vi\xE1\xBB\x87t\"\n\t\x01")), SACH_OK);
	ck_assert(sach_doc_text_changed(d));
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "new \"Vi\xE1\xBB\x87t\"\n\t\x01", 15);
	EXPECT_WRITTEN(d, ODD_HEAD ODD_MID "\"new \\\"Vi\xE1\xBB\x87t\\\"\\n\\t\\u0001\"" ODD_TAIL "\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_splice_text_positions)
{
	sach_reader *r;
	sach_doc *d;

	/* Text first, last, alone, and after a value holding "text" as a string. */
	d = one_doc("{\"text\":\"a\",\"z\":[\"text\",{\"text\":1}]}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("B")), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\":\"B\",\"z\":[\"text\",{\"text\":1}]}\n");
	sach_reader_close(r);

	d = one_doc("{\"k\": {\"text\": \"inner\"}, \"title\": \"text\", \"text\": \"a\"}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("B")), SACH_OK);
	EXPECT_WRITTEN(d, "{\"k\": {\"text\": \"inner\"}, \"title\": \"text\", \"text\": \"B\"}\n");
	sach_reader_close(r);

	d = one_doc("  {  \"text\"  :  \"a\"  }  ", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("")), SACH_OK);
	EXPECT_WRITTEN(d, "  {  \"text\"  :  \"\"  }  \n");
	sach_reader_close(r);

	/* Keys and values ending in escaped backslashes. */
	d = one_doc("{\"k\\\\\": \"v\\\\\\\\\", \"q\\\"\": 1, \"text\": \"a\"}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("B")), SACH_OK);
	EXPECT_WRITTEN(d, "{\"k\\\\\": \"v\\\\\\\\\", \"q\\\"\": 1, \"text\": \"B\"}\n");
	sach_reader_close(r);

	/* A key spelled with an escape is the same key. */
	d = one_doc("{\"t\\u0065xt\": \"a\", \"x\": 1}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("B")), SACH_OK);
	EXPECT_WRITTEN(d, "{\"t\\u0065xt\": \"B\", \"x\": 1}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_splice_crlf_line)
{
	sach_reader *r;
	sach_doc *d;

	/* The CR of a CRLF line ending is not part of the record. */
	r = reader_on(S("{\"text\": \"a\", \"n\": 1}\r\n{\"text\": \"b\"}\r\n"), NULL, NULL);
	d = next_doc(r);
	EXPECT_WRITTEN(d, "{\"text\": \"a\", \"n\": 1}\n");
	d = next_doc(r);
	ck_assert_int_eq(sach_doc_set_text(d, S("c")), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"c\"}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_splice_roundtrip)
{
	/* What sach_doc_write_jsonl writes reads back with the new text and
	 * every byte of the other members. Text: every control, quote,
	 * backslash, slash, DEL, "Viet" (U+1EC7), an emoji and a NUL. */
	char text[64];
	size_t tl = 0, n;
	int c;
	sach_reader *r, *r2;
	sach_doc *d;
	sach_buf out = { 0 };
	const char *t;

	for (c = 0; c < 0x20; c++)
		text[tl++] = (char)c;
	memcpy(text + tl, "\"\\/\x7FVi\xE1\xBB\x87t\xF0\x9F\x91\xA8", 15);
	tl += 15;
	d = one_doc(ODD_HEAD ODD_MID "\"x\"" ODD_TAIL "\n", &r);
	ck_assert_int_eq(sach_doc_set_text(d, text, tl), SACH_OK);
	ck_assert_int_eq(sach_doc_write_jsonl(d, &out), SACH_OK);
	ck_assert_int_eq(memcmp(out.ptr, ODD_HEAD ODD_MID, strlen(ODD_HEAD ODD_MID)), 0);
	ck_assert_int_eq(memcmp(out.ptr + out.len - strlen(ODD_TAIL "\n"), ODD_TAIL "\n",
				strlen(ODD_TAIL "\n")), 0);
	r2 = reader_on(out.ptr, out.len, NULL, NULL);
	d = next_doc(r2);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, text, tl);
	/* And written again unchanged, it is the same line. */
	expect_written(d, out.ptr, out.len);
	sach_buf_free(&out);
	sach_reader_close(r);
	sach_reader_close(r2);
}
END_TEST

START_TEST(doc_set_text_from_own_text)
{
	/* A stage that trims the current text passes a pointer into it. After
	 * an earlier change that text lives in the document's own buffer, so
	 * source and destination overlap (AddressSanitizer reports an
	 * overlapping memcpy if the copy does not allow for it). */
	static const char big[] = "  The quick brown fox jumps over the lazy dog, again and again.";
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"orig\"}", &r);
	const char *t;
	size_t n;

	ck_assert_int_eq(sach_doc_set_text(d, S(big)), SACH_OK);
	t = sach_doc_text(d, &n);
	ck_assert_int_eq(sach_doc_set_text(d, t + 2, n - 2), SACH_OK);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, big + 2, sizeof(big) - 3);
	/* A prefix of the current text. */
	ck_assert_int_eq(sach_doc_set_text(d, t, 9), SACH_OK);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "The quick", 9);
	EXPECT_WRITTEN(d, "{\"text\": \"The quick\"}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_write_appends)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"a\"}", &r);
	sach_buf out = { 0 };

	ck_assert_int_eq(sach_buf_puts(&out, "{\"earlier\": 1}\n"), SACH_OK);
	ck_assert_int_eq(sach_doc_write_jsonl(d, &out), SACH_OK);
	ck_assert_str_eq(out.ptr, "{\"earlier\": 1}\n{\"text\": \"a\"}\n");
	sach_buf_free(&out);
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_restore_text)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"orig\\u00e9\", \"n\": -0}", &r);
	size_t n;
	const char *t;

	ck_assert_int_eq(sach_doc_set_text(d, S("changed")), SACH_OK);
	ck_assert(sach_doc_text_changed(d));
	sach_doc_restore_text(d);
	ck_assert(!sach_doc_text_changed(d));
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "orig\xC3\xA9", 6);
	EXPECT_WRITTEN(d, "{\"text\": \"orig\\u00e9\", \"n\": -0}\n");
	sach_reader_close(r);
}
END_TEST

/* ---- JSON escaping --------------------------------------------------------- */

START_TEST(doc_json_escape)
{
	sach_buf out = { 0 };

	ck_assert_int_eq(sach_json_escape(&out, S("plain")), SACH_OK);
	ck_assert_str_eq(out.ptr, "\"plain\"");
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_json_escape(&out, S("")), SACH_OK);
	ck_assert_str_eq(out.ptr, "\"\"");
	sach_buf_clear(&out);
	/* Short escapes, \u00XX for the other controls, '/' and DEL and UTF-8
	 * ("Viet" with U+1EC7) left as they are. */
	ck_assert_int_eq(sach_json_escape(&out, S("\"\\/\b\f\n\r\t\x01\x1F\x7F" "Vi\xE1\xBB\x87t")),
			 SACH_OK);
	ck_assert_str_eq(out.ptr, "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7FVi\xE1\xBB\x87t\"");
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_json_escape(&out, S("a\0b")), SACH_OK);
	ck_assert_str_eq(out.ptr, "\"a\\u0000b\"");
	/* Appends. */
	ck_assert_int_eq(sach_json_escape(&out, S("c")), SACH_OK);
	ck_assert_str_eq(out.ptr, "\"a\\u0000b\"\"c\"");
	sach_buf_free(&out);
}
END_TEST

START_TEST(doc_json_escape_all_bytes_roundtrip)
{
	/* Every byte value 1..255 and NUL, escaped, read back through the
	 * reader as the text value: the same bytes. */
	char raw[256];
	sach_buf line = { 0 };
	sach_reader *r;
	sach_doc *d;
	const char *t;
	size_t n;
	int i;

	for (i = 0; i < 256; i++)
		raw[i] = (char)i;
	ck_assert_int_eq(sach_buf_puts(&line, "{\"text\": "), SACH_OK);
	ck_assert_int_eq(sach_json_escape(&line, raw, sizeof(raw)), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&line, "}\n"), SACH_OK);
	/* No raw control byte made it into the line. */
	for (i = 0; i < (int)line.len - 1; i++)
		ck_assert_msg((unsigned char)line.ptr[i] >= 0x20, "raw byte 0x%02X at %d",
			      (unsigned char)line.ptr[i], i);
	r = reader_on(line.ptr, line.len, NULL, NULL);
	d = next_doc(r);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, raw, sizeof(raw));
	sach_reader_close(r);
	sach_buf_free(&line);
}
END_TEST

/* ---- meta ------------------------------------------------------------------ */

START_TEST(doc_meta_insert_when_absent)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"id\": 1, \"text\": \"a\"}", &r);

	ck_assert(!sach_doc_has_meta(d));
	ck_assert_int_eq(sach_doc_meta_set_int(d, "normalise", "changed", 1), SACH_OK);
	ck_assert(sach_doc_has_meta(d));
	ck_assert(!sach_doc_text_changed(d));
	EXPECT_WRITTEN(d, "{\"id\": 1, \"text\": \"a\", \"sach\": {\"normalise\":{\"changed\":1}}}\n");
	sach_reader_close(r);

	/* Whitespace before the closing brace: the member follows the last value. */
	d = one_doc("{\"text\": \"a\"   \t}", &r);
	ck_assert_int_eq(sach_doc_meta_set_string(d, "lang", "code", "vi"), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"a\", \"sach\": {\"lang\":{\"code\":\"vi\"}}}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_meta_merge_existing)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"a\", \"sach\": {\"lang\": {\"code\": \"vi\"}}, \"z\": 1.50}",
			      &r);

	ck_assert_int_eq(sach_doc_meta_set_string(d, "normalise", "form", "nfc"), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"a\", \"sach\": {\"lang\":{\"code\":\"vi\"},"
			  "\"normalise\":{\"form\":\"nfc\"}}, \"z\": 1.50}\n");
	sach_reader_close(r);

	/* Same stage: keys are added to it, an existing key is replaced. */
	d = one_doc("{\"sach\":{\"normalise\":{\"old\":1,\"form\":\"x\"}},\"text\":\"a\"}", &r);
	ck_assert_int_eq(sach_doc_meta_set_int(d, "normalise", "new", 2), SACH_OK);
	ck_assert_int_eq(sach_doc_meta_set_string(d, "normalise", "form", "nfc"), SACH_OK);
	EXPECT_WRITTEN(d, "{\"sach\":{\"normalise\":{\"old\":1,\"form\":\"nfc\",\"new\":2}},"
			  "\"text\":\"a\"}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_meta_and_text)
{
	sach_reader *r;
	sach_doc *d;

	/* Meta member after the text. */
	d = one_doc("{\"text\": \"a\", \"sach\": {}, \"n\": -0}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("b")), SACH_OK);
	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", -9007199254740993LL), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"b\", \"sach\": {\"s\":{\"k\":-9007199254740993}}, \"n\": -0}\n");
	sach_reader_close(r);

	/* Meta member before the text. */
	d = one_doc("{\"sach\": {\"x\": {}}, \"text\": \"a\"}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("b")), SACH_OK);
	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", 1), SACH_OK);
	EXPECT_WRITTEN(d, "{\"sach\": {\"x\":{},\"s\":{\"k\":1}}, \"text\": \"b\"}\n");
	sach_reader_close(r);

	/* Inserted meta and a changed text. */
	d = one_doc("{\"text\": \"a\"}", &r);
	ck_assert_int_eq(sach_doc_set_text(d, S("b")), SACH_OK);
	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", 1), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"b\", \"sach\": {\"s\":{\"k\":1}}}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_meta_string_escapes)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"a\"}", &r);

	/* A value with a quote, a slash, a newline and U+00E9. */
	ck_assert_int_eq(sach_doc_meta_set_string(d, "st", "k", "a\"b/c\n\xC3\xA9"), SACH_OK);
	EXPECT_WRITTEN(d, "{\"text\": \"a\", \"sach\": {\"st\":{\"k\":\"a\\\"b/c\\n\xC3\xA9\"}}}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_meta_not_an_object)
{
	sach_reader *r;
	sach_doc *d = one_doc("{\"text\": \"a\", \"sach\": 5}", &r);

	sach_error_clear();
	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", 1), SACH_EINVAL);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "sach"));
	ck_assert_int_eq(sach_doc_meta_set_string(d, "s", "k", "v"), SACH_EINVAL);
	/* The record is untouched. */
	EXPECT_WRITTEN(d, "{\"text\": \"a\", \"sach\": 5}\n");
	sach_reader_close(r);
}
END_TEST

START_TEST(doc_meta_reset_between_records)
{
	sach_reader *r = reader_on(S("{\"text\": \"a\"}\n{\"text\": \"b\"}\n"), NULL, NULL);
	sach_doc *d = next_doc(r);

	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", 1), SACH_OK);
	ck_assert_int_eq(sach_doc_set_text(d, S("changed")), SACH_OK);
	/* The next record starts clean. */
	d = next_doc(r);
	ck_assert(!sach_doc_has_meta(d));
	ck_assert(!sach_doc_text_changed(d));
	EXPECT_WRITTEN(d, "{\"text\": \"b\"}\n");
	sach_reader_close(r);
}
END_TEST

/* ---- plain text documents ----------------------------------------------------- */

START_TEST(doc_text_format_write)
{
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	sach_reader *r;
	const char *path;
	sach_doc *d;
	char want[8192];

	o.format = SACH_FORMAT_TEXT;
	/* "Viet Nam" with U+1EC7, a quote and a tab. */
	r = reader_on(S("Vi\xE1\xBB\x87t \"Nam\"\tx\nsecond\n"), &o, &path);
	d = next_doc(r);
	snprintf(want, sizeof(want), "%s:1", path);
	ck_assert_str_eq(sach_doc_id(d), want);
	snprintf(want, sizeof(want), "{\"id\": \"%s:1\", \"text\": \"Vi\xE1\xBB\x87t \\\"Nam\\\"\\tx\"}\n",
		 path);
	expect_written(d, want, strlen(want));
	d = next_doc(r);
	ck_assert_int_eq(sach_doc_set_text(d, S("2nd")), SACH_OK);
	ck_assert_int_eq(sach_doc_meta_set_int(d, "s", "k", 1), SACH_OK);
	snprintf(want, sizeof(want),
		 "{\"id\": \"%s:2\", \"text\": \"2nd\", \"sach\": {\"s\":{\"k\":1}}}\n", path);
	expect_written(d, want, strlen(want));
	sach_reader_close(r);

	/* The configured field names are used. */
	o.text_field = "content";
	o.id_field = "doc";
	r = reader_on(S("x\n"), &o, &path);
	d = next_doc(r);
	snprintf(want, sizeof(want), "{\"doc\": \"%s:1\", \"content\": \"x\"}\n", path);
	expect_written(d, want, strlen(want));
	sach_reader_close(r);
}
END_TEST

/* ---- lone surrogate escapes ---------------------------------------------------- */

START_TEST(doc_lone_surrogates)
{
	sach_reader *r;
	sach_doc *d;
	const char *t;
	size_t n;

	/* A lone high surrogate: json-c gives U+FFFD; the record is written
	 * back with U+FFFD spelled out, every other byte kept. */
	d = one_doc("{\"text\": \"x\\ud800y\", \"n\": -0}", &r);
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 1);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "x\xEF\xBF\xBDy", 5);
	EXPECT_WRITTEN(d, "{\"text\": \"x\xEF\xBF\xBDy\", \"n\": -0}\n");
	/* Restored, it is written exactly as read. */
	sach_doc_restore_text(d);
	EXPECT_WRITTEN(d, "{\"text\": \"x\\ud800y\", \"n\": -0}\n");
	sach_reader_close(r);

	/* Lone low, high followed by a non-surrogate escape, and two lone ones. */
	d = one_doc("{\"text\": \"\\udc00 \\uD800\\u0041 \\ud800\\ud800\"}", &r);
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 4);
	sach_reader_close(r);

	/* A proper pair is not lone; nor is an escaped backslash before "ud800". */
	d = one_doc("{\"text\": \"\\ud83d\\ude00 \\\\ud800\"}", &r);
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 0);
	t = sach_doc_text(d, &n);
	th_assert_bytes(t, n, "\xF0\x9F\x98\x80 \\ud800", 11);
	EXPECT_WRITTEN(d, "{\"text\": \"\\ud83d\\ude00 \\\\ud800\"}\n");
	sach_reader_close(r);

	/* An escaped backslash followed by a real lone escape. */
	d = one_doc("{\"text\": \"\\\\\\ud800\"}", &r);
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 1);
	sach_reader_close(r);

	/* Surrogate escapes in other members are left alone. */
	d = one_doc("{\"text\": \"ok\", \"other\": \"\\ud800\"}", &r);
	ck_assert_uint_eq(sach_doc_lone_surrogates(d), 0);
	EXPECT_WRITTEN(d, "{\"text\": \"ok\", \"other\": \"\\ud800\"}\n");
	sach_reader_close(r);
}
END_TEST

Suite *sach_doc_suite(void);

Suite *sach_doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *rd = tcase_create("read");
	TCase *wr = tcase_create("write");
	TCase *esc = tcase_create("escape");
	TCase *meta = tcase_create("meta");
	TCase *txt = tcase_create("text");
	TCase *sur = tcase_create("surrogates");
	TCase *all[] = { rd, wr, esc, meta, txt, sur };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		tcase_add_unchecked_fixture(all[i], th_tmpdir_setup, th_tmpdir_teardown);

	tcase_add_test(rd, doc_fields);
	tcase_add_test(rd, doc_empty_and_nul_text);
	tcase_add_test(rd, doc_id_forms);
	tcase_add_test(rd, doc_id_number_spelling);
	tcase_add_test(rd, doc_custom_fields);
	suite_add_tcase(s, rd);

	tcase_add_test(wr, doc_verbatim_when_unchanged);
	tcase_add_test(wr, doc_splice_text);
	tcase_add_test(wr, doc_splice_text_positions);
	tcase_add_test(wr, doc_splice_crlf_line);
	tcase_add_test(wr, doc_splice_roundtrip);
	tcase_add_test(wr, doc_set_text_from_own_text);
	tcase_add_test(wr, doc_write_appends);
	tcase_add_test(wr, doc_restore_text);
	suite_add_tcase(s, wr);

	tcase_add_test(esc, doc_json_escape);
	tcase_add_test(esc, doc_json_escape_all_bytes_roundtrip);
	suite_add_tcase(s, esc);

	tcase_add_test(meta, doc_meta_insert_when_absent);
	tcase_add_test(meta, doc_meta_merge_existing);
	tcase_add_test(meta, doc_meta_and_text);
	tcase_add_test(meta, doc_meta_string_escapes);
	tcase_add_test(meta, doc_meta_not_an_object);
	tcase_add_test(meta, doc_meta_reset_between_records);
	suite_add_tcase(s, meta);

	tcase_add_test(txt, doc_text_format_write);
	suite_add_tcase(s, txt);

	tcase_add_test(sur, doc_lone_surrogates);
	suite_add_tcase(s, sur);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_doc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
