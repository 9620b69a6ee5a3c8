/*
 * check_malformed.c - hostile input, in the style of SQLite's badutf tests:
 * every case has a stable id in its name (malformed_G_NN), feeds one
 * crafted input to sach_reader and asserts the documented outcome:
 *
 *   - a bad record is SACH_EJSON / SACH_EFIELD / SACH_ETOOBIG and the reader
 *     goes on with the next record (group 1: JSON lines; group 3: text);
 *   - a bad compressed stream is SACH_ECORRUPT, final for the reader, and
 *     the records decoded before the damage are intact (group 2);
 *   - nothing crashes, reads out of bounds or leaks: run these under
 *     AddressSanitizer/UBSan too (meson setup -Db_sanitize=address,undefined).
 *
 * Ids are never renumbered; new cases get new numbers.
 * Public headers only.
 */
#include "sach/common.h"
#include "sach/doc.h"
#include "sach/error.h"
#include "sach/io.h"
#include "sach/normalise.h"
#include "sach/unicode.h"

#include "check_helpers.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) (lit), (sizeof(lit) - 1)
#define MB ((size_t)1 << 20)

/* The good record every group-1 input ends with: the reader must get here. */
#define NEXT_LINE "{\"text\": \"next\"}\n"

/* ---- helpers ------------------------------------------------------------- */

struct outcome {
	int rc[64];              /* return codes in order, until 0 or a final error */
	int n;
	char *text[64];          /* texts of the documents (rc == 1) */
	size_t text_len[64];
	size_t lone[64];         /* sach_doc_lone_surrogates */
	char *written[64];       /* sach_doc_write_jsonl of unchanged documents */
	size_t written_len[64];
	uint64_t total[64];      /* total_len of sach_reader_raw */
	size_t raw_len[64];
	uint64_t blank_lines;
	sach_compression comp;
};

static int file_no;

static struct outcome run_file(const char *path, const sach_reader_options *opts)
{
	sach_reader_options def = SACH_READER_OPTIONS_INIT;
	struct outcome o;
	sach_reader *r = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = sach_reader_open(&r, path, opts ? opts : &def);
	ck_assert_msg(rc == SACH_OK, "open: %d %s", rc, sach_error_last());
	o.comp = sach_reader_compression(r);
	for (;;) {
		sach_doc *d = NULL;
		const char *raw;
		bool trunc;

		rc = sach_reader_next(r, &d);
		if (rc == 0)
			break;
		ck_assert_msg(o.n < 64, "too many records");
		o.rc[o.n] = rc;
		sach_reader_raw(r, &raw, &o.raw_len[o.n], &trunc, &o.total[o.n]);
		if (rc == 1) {
			const char *t = sach_doc_text(d, &o.text_len[o.n]);
			sach_buf w = { 0 };

			o.text[o.n] = malloc(o.text_len[o.n] + 1);
			ck_assert_ptr_nonnull(o.text[o.n]);
			memcpy(o.text[o.n], t, o.text_len[o.n]);
			o.text[o.n][o.text_len[o.n]] = '\0';
			o.lone[o.n] = sach_doc_lone_surrogates(d);
			ck_assert_int_eq(sach_doc_write_jsonl(d, &w), SACH_OK);
			o.written[o.n] = w.ptr;
			o.written_len[o.n] = w.len;
		}
		o.n++;
		if (rc == SACH_ECORRUPT || rc == SACH_EIO) {
			ck_assert_int_eq(sach_reader_next(r, &d), rc); /* final */
			break;
		}
	}
	o.blank_lines = sach_reader_blank_lines(r);
	sach_reader_close(r);
	return o;
}

static struct outcome run_bytes(const void *data, size_t len, const sach_reader_options *opts)
{
	const char *path = th_path("input-%d", ++file_no);

	th_write_file(path, data, len);
	return run_file(path, opts);
}

static void free_outcome(struct outcome *o)
{
	int i;

	for (i = 0; i < o->n; i++) {
		free(o->text[i]);
		free(o->written[i]);
	}
}

/* Asserts a hostile first record with code `want`, then the good next one. */
static void expect_bad_then_next(const char *line, size_t len, int want)
{
	char *in = malloc(len + sizeof(NEXT_LINE));
	struct outcome o;

	ck_assert_ptr_nonnull(in);
	memcpy(in, line, len);
	memcpy(in + len, "\n" NEXT_LINE, sizeof(NEXT_LINE));
	o = run_bytes(in, len + sizeof(NEXT_LINE), NULL);
	free(in);
	ck_assert_msg(o.n == 2, "%d records, want 2 (first rc %d)", o.n, o.n ? o.rc[0] : 0);
	ck_assert_msg(o.rc[0] == want, "rc %d, want %d (%s)", o.rc[0], want, sach_error_last());
	ck_assert_int_eq(o.rc[1], 1);
	ck_assert_str_eq(o.text[1], "next");
	free_outcome(&o);
}

/* Asserts that a line is one good document whose text is `text` and which
 * is written back verbatim; the good next line follows. */
static void expect_doc_then_next(const char *line, size_t len, const char *text,
				 size_t text_len)
{
	char *in = malloc(len + sizeof(NEXT_LINE));
	struct outcome o;

	ck_assert_ptr_nonnull(in);
	memcpy(in, line, len);
	memcpy(in + len, "\n" NEXT_LINE, sizeof(NEXT_LINE));
	o = run_bytes(in, len + sizeof(NEXT_LINE), NULL);
	ck_assert_msg(o.n == 2 && o.rc[0] == 1, "%d records, first rc %d (%s)", o.n, o.rc[0],
		      sach_error_last());
	th_assert_bytes(o.text[0], o.text_len[0], text, text_len);
	if (o.lone[0] == 0)
		th_assert_bytes(o.written[0], o.written_len[0], in, len + 1);
	ck_assert_str_eq(o.text[1], "next");
	free(in);
	free_outcome(&o);
}

/* A string of n copies of c. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- group 1: hostile JSON lines ------------------------------------------ */

START_TEST(malformed_1_01_deep_array_nesting)
{
	char *s = repeat('[', 10000);

	expect_bad_then_next(s, 10000, SACH_EJSON);
	free(s);
}
END_TEST

START_TEST(malformed_1_02_deep_nesting_balanced_in_object)
{
	/* A complete object whose value nests 10000 deep: over the parser's
	 * depth limit, rejected as a record, not a crash or a stack overflow. */
	sach_buf b = { 0 };
	size_t i;

	ck_assert_int_eq(sach_buf_puts(&b, "{\"text\": \"a\", \"x\": "), SACH_OK);
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(sach_buf_append(&b, "[", 1), SACH_OK);
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(sach_buf_append(&b, "]", 1), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, "}"), SACH_OK);
	expect_bad_then_next(b.ptr, b.len, SACH_EJSON);
	sach_buf_free(&b);
}
END_TEST

START_TEST(malformed_1_03_moderate_nesting_accepted)
{
	/* Twenty levels are ordinary data and stay a document. */
	static const char line[] =
		"{\"text\": \"a\", \"x\": [[[[[[[[[[[[[[[[[[[[{\"text\": 1}]]]]]]]]]]]]]]]]]]]]}";

	expect_doc_then_next(S(line), "a", 1);
}
END_TEST

START_TEST(malformed_1_04_deep_object_nesting)
{
	sach_buf b = { 0 };
	size_t i;

	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(sach_buf_puts(&b, "{\"a\":"), SACH_OK);
	expect_bad_then_next(b.ptr, b.len, SACH_EJSON);
	sach_buf_free(&b);
}
END_TEST

START_TEST(malformed_1_05_huge_numbers)
{
	/* Numbers json-c cannot hold exactly are kept in their spelling. */
	sach_buf b = { 0 };
	char *digits = repeat('9', 20000);

	ck_assert_int_eq(sach_buf_puts(&b, "{\"text\": \"a\", \"big\": 123456789012345678901234567890123, "
					   "\"exp\": 1e999999, \"tiny\": -1e-999999, \"neg\": -0.0E-0, "
					   "\"long\": "), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, digits), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, "}"), SACH_OK);
	expect_doc_then_next(b.ptr, b.len, "a", 1);
	sach_buf_free(&b);
	free(digits);
}
END_TEST

START_TEST(malformed_1_06_every_escape)
{
	/* Every JSON escape, \u0000, the last BMP character and a pair. */
	static const char line[] =
		"{\"text\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001F\\u00e9\\u20AC\\uFFFF\\ud83d\\ude00\"}";
	static const char want[] =
		"\"\\/\b\f\n\r\t\0\x1F\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF\xF0\x9F\x98\x80";

	expect_doc_then_next(S(line), want, sizeof(want) - 1);
}
END_TEST

START_TEST(malformed_1_07_lone_surrogate_escapes)
{
	/* Lone high, lone low, reversed pair, high before a non-surrogate: valid
	 * JSON syntax, ill-formed text. A document with U+FFFD for each, counted
	 * by sach_doc_lone_surrogates, written back with U+FFFD spelled out. */
	static const char line[] = "{\"text\": \"a\\ud800b\\udc00c\\udfff\\ud800d\\ud800\\u0041\", \"n\": 1}";
	static const char want[] = "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD"
				   "d\xEF\xBF\xBD" "A";
	struct outcome o = run_bytes(S(line), NULL);

	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], 1);
	th_assert_bytes(o.text[0], o.text_len[0], want, sizeof(want) - 1);
	ck_assert_uint_eq(o.lone[0], 5);
	ck_assert_uint_eq(sach_utf8_check(o.written[0], o.written_len[0]), o.written_len[0]);
	ck_assert_ptr_null(memmem(o.written[0], o.written_len[0], S("\\ud800")));
	ck_assert_ptr_nonnull(memmem(o.written[0], o.written_len[0], S(", \"n\": 1}\n")));
	free_outcome(&o);
}
END_TEST

START_TEST(malformed_1_08_bad_escapes)
{
	expect_bad_then_next(S("{\"text\": \"\\x41\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"\\u12\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"\\uZZZZ\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"\\ \"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"abc\\"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_09_invalid_utf8_in_strings)
{
	/* Not judged by the reader: the bytes reach the stages as they are. */
	static const char line[] = "{\"text\": \"\xFF\xC0\xAF\xED\xA0\x80\xE1\xBB\", \"k\": \"\xFE\"}";

	expect_doc_then_next(S(line), "\xFF\xC0\xAF\xED\xA0\x80\xE1\xBB", 8);
}
END_TEST

START_TEST(malformed_1_10_bytes_outside_strings)
{
	expect_bad_then_next(S("\xFF{\"text\": \"a\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\"}\xFF"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\":\xFF \"a\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\xC3\xA9\"text\": \"a\"}"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_11_megabyte_of_spaces)
{
	/* 1 MB of spaces is a blank line: counted, not a record. */
	char *s = repeat(' ', MB);
	struct outcome o;
	char *in = malloc(MB + sizeof(NEXT_LINE));

	ck_assert_ptr_nonnull(in);
	memcpy(in, s, MB);
	memcpy(in + MB, "\n" NEXT_LINE, sizeof(NEXT_LINE));
	o = run_bytes(in, MB + sizeof(NEXT_LINE), NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_str_eq(o.text[0], "next");
	ck_assert_uint_eq(o.blank_lines, 1);
	free_outcome(&o);
	free(in);
	free(s);
}
END_TEST

START_TEST(malformed_1_12_lone_brackets)
{
	expect_bad_then_next(S("{"), SACH_EJSON);
	expect_bad_then_next(S("}"), SACH_EJSON);
	expect_bad_then_next(S("]"), SACH_EJSON);
	expect_bad_then_next(S("\""), SACH_EJSON);
	expect_bad_then_next(S("{\"text\""), SACH_EJSON);
	expect_bad_then_next(S("{\"text\":"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\""), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\","), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_13_brace_then_megabyte_of_spaces)
{
	sach_buf b = { 0 };
	char *s = repeat(' ', MB);

	ck_assert_int_eq(sach_buf_puts(&b, "{"), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, s), SACH_OK);
	expect_bad_then_next(b.ptr, b.len, SACH_EJSON);
	sach_buf_free(&b);
	free(s);
}
END_TEST

START_TEST(malformed_1_14_nan_and_infinity)
{
	/* Not JSON (RFC 8259): json-c's extensions must not let them through,
	 * or the output would not be JSON for the next tool. */
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": NaN}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": Infinity}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": -Infinity}"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_15_number_syntax)
{
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": .5}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": +1}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": 01}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": 0x10}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": 1e}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": -}"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_25_number_trailing_dot)
{
	/* RFC 8259: a fraction needs at least one digit after the point. */
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": 1.}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"n\": -0.e5}"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_16_raw_controls)
{
	expect_bad_then_next(S("{\"text\": \"a\x01" "b\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\x1F" "b\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\x0B" "b\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\":\x0C\"a\"}"), SACH_EJSON);
	/* A CR inside the line (not at its end) is a control too. */
	expect_bad_then_next(S("{\"text\": \"a\rb\"}"), SACH_EJSON);
	/* DEL is not a control in JSON. */
	expect_doc_then_next(S("{\"text\": \"a\x7F" "b\"}"), "a\x7F" "b", 3);
}
END_TEST

START_TEST(malformed_1_17_lenient_syntax)
{
	expect_bad_then_next(S("{'text': 'a'}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\",}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"x\": [1,]}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\" /* c */}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\"} // c"), SACH_EJSON);
	expect_bad_then_next(S("{text: \"a\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"b\": tru}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\", \"b\": True}"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_18_megabyte_key_and_many_members)
{
	/* A 1 MB key, and 100000 members before the text: spans found, text
	 * replaced in place, every other byte kept. */
	sach_buf b = { 0 }, w = { 0 };
	char *key = repeat('k', MB), num[64];
	size_t i;

	ck_assert_int_eq(sach_buf_puts(&b, "{\""), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, key), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, "\": 1"), SACH_OK);
	for (i = 0; i < 100000; i++) {
		snprintf(num, sizeof(num), ", \"m%zu\": [%zu, \"}\"]", i, i);
		ck_assert_int_eq(sach_buf_puts(&b, num), SACH_OK);
	}
	ck_assert_int_eq(sach_buf_puts(&b, ", \"text\": \"a\"}"), SACH_OK);
	expect_doc_then_next(b.ptr, b.len, "a", 1);
	/* The splice: only the text value changes. */
	{
		sach_reader_options ro = SACH_READER_OPTIONS_INIT;
		sach_reader *r;
		sach_doc *d;
		const char *path = th_path("members.jsonl");

		th_write_file(path, b.ptr, b.len);
		ck_assert_int_eq(sach_reader_open(&r, path, &ro), SACH_OK);
		ck_assert_int_eq(sach_reader_next(r, &d), 1);
		ck_assert_int_eq(sach_doc_set_text(d, S("B")), SACH_OK);
		ck_assert_int_eq(sach_doc_write_jsonl(d, &w), SACH_OK);
		ck_assert_uint_eq(w.len, b.len + 1);
		ck_assert_int_eq(memcmp(w.ptr, b.ptr, b.len - 3), 0);
		ck_assert_int_eq(memcmp(w.ptr + b.len - 3, "B\"}\n", 4), 0);
		sach_reader_close(r);
	}
	sach_buf_free(&b);
	sach_buf_free(&w);
	free(key);
}
END_TEST

START_TEST(malformed_1_19_megabyte_of_backslashes)
{
	/* A text of 512 KiB escaped backslashes, then a quote escape at the very
	 * end: the span walk must count the run right. */
	sach_buf b = { 0 };
	char *want = repeat('\\', 256 * 1024 + 1);
	size_t i;

	want[256 * 1024] = '"';
	ck_assert_int_eq(sach_buf_puts(&b, "{\"text\": \""), SACH_OK);
	for (i = 0; i < 256 * 1024; i++)
		ck_assert_int_eq(sach_buf_append(&b, "\\\\", 2), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(&b, "\\\"\", \"after\": \"\\\\\"}"), SACH_OK);
	expect_doc_then_next(b.ptr, b.len, want, 256 * 1024 + 1);
	sach_buf_free(&b);
	free(want);
}
END_TEST

START_TEST(malformed_1_20_wrong_top_level)
{
	expect_bad_then_next(S("null"), SACH_EJSON);
	expect_bad_then_next(S("true"), SACH_EJSON);
	expect_bad_then_next(S("42"), SACH_EJSON);
	expect_bad_then_next(S("\"text\""), SACH_EJSON);
	expect_bad_then_next(S("[{\"text\": \"a\"}]"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_21_text_not_a_string)
{
	expect_bad_then_next(S("{\"text\": {\"text\": \"a\"}}"), SACH_EFIELD);
	expect_bad_then_next(S("{\"text\": [\"a\"]}"), SACH_EFIELD);
	expect_bad_then_next(S("{\"text\": false}"), SACH_EFIELD);
	expect_bad_then_next(S("{\"Text\": \"a\"}"), SACH_EFIELD);
	expect_bad_then_next(S("{}"), SACH_EFIELD);
}
END_TEST

START_TEST(malformed_1_22_duplicate_keys)
{
	expect_bad_then_next(S("{\"text\": \"a\", \"text\": \"b\"}"), SACH_EJSON);
	/* The same key spelled with an escape is a duplicate too. */
	expect_bad_then_next(S("{\"text\": \"a\", \"t\\u0065xt\": \"b\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"id\": 1, \"text\": \"a\", \"id\": 2}"), SACH_EJSON);
	/* Duplicates inside a nested object are that object's business. */
	expect_doc_then_next(S("{\"m\": {\"x\": 1, \"x\": 2}, \"text\": \"a\"}"), "a", 1);
}
END_TEST

START_TEST(malformed_1_23_raw_nul)
{
	expect_bad_then_next(S("{\"text\": \"a\0b\"}"), SACH_EJSON);
	expect_bad_then_next(S("\0{\"text\": \"a\"}"), SACH_EJSON);
	expect_bad_then_next(S("{\"text\": \"a\"}\0"), SACH_EJSON);
}
END_TEST

START_TEST(malformed_1_24_key_with_nul_escape)
{
	/* "te\u0000xt" is a different key from "text". */
	expect_doc_then_next(S("{\"te\\u0000xt\": \"a\", \"text\": \"b\"}"), "b", 1);
}
END_TEST

/* ---- group 2: hostile compressed streams ------------------------------------- */

static const unsigned char zstd_magic[4] = { 0x28, 0xB5, 0x2F, 0xFD };

/* CRC-32 (the gzip polynomial), for hand-made gzip headers. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

/* A compressed copy of data made by sach_writer (malloc'd). */
static unsigned char *compress_with_writer(sach_compression comp, const char *data, size_t len,
					   size_t *out_len)
{
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	const char *path = th_path("compressed-%d", ++file_no);
	sach_writer *w;

	o.compression = comp;
	ck_assert_int_eq(sach_writer_open(&w, path, &o), SACH_OK);
	ck_assert_int_eq(sach_writer_write(w, data, len), SACH_OK);
	ck_assert_int_eq(sach_writer_commit(w), SACH_OK);
	return (unsigned char *)th_read_file(path, out_len);
}

static const char three[] = "{\"text\": \"one\"}\n{\"text\": \"two\"}\n{\"text\": \"three\"}\n";

START_TEST(malformed_2_01_random_after_zstd_magic)
{
	uint64_t seed = 0xBADu;
	int round;

	for (round = 0; round < 50; round++) {
		unsigned char buf[1004];
		struct outcome o;
		size_t i;

		memcpy(buf, zstd_magic, 4);
		for (i = 4; i < sizeof(buf); i++)
			buf[i] = (unsigned char)th_rand(&seed);
		o = run_bytes(buf, sizeof(buf), NULL);
		ck_assert_int_eq(o.comp, SACH_COMPRESS_ZSTD);
		ck_assert_msg(o.n >= 1 && o.rc[o.n - 1] == SACH_ECORRUPT,
			      "round %d: %d results, last %d", round, o.n, o.n ? o.rc[o.n - 1] : 0);
		free_outcome(&o);
	}
}
END_TEST

/* A zstd frame by hand: no checksum, window descriptor `wd`, one raw block. */
static size_t zstd_raw_frame(unsigned char *out, unsigned char wd, const char *data, size_t len)
{
	uint32_t bh = 1u | (0u << 1) | ((uint32_t)len << 3); /* last, raw, size */

	memcpy(out, zstd_magic, 4);
	out[4] = 0x00;       /* frame header descriptor: nothing optional */
	out[5] = wd;         /* window descriptor */
	out[6] = (unsigned char)(bh & 0xFF);
	out[7] = (unsigned char)((bh >> 8) & 0xFF);
	out[8] = (unsigned char)((bh >> 16) & 0xFF);
	memcpy(out + 9, data, len);
	return 9 + len;
}

START_TEST(malformed_2_02_zstd_huge_window)
{
	unsigned char buf[128];
	struct outcome o;
	size_t n;

	/* Control: a 1 MiB window (exponent 10) decodes. */
	n = zstd_raw_frame(buf, 10 << 3, S("{\"text\": \"a\"}\n"));
	o = run_bytes(buf, n, NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], 1);
	ck_assert_str_eq(o.text[0], "a");
	free_outcome(&o);
	/* A 2 GiB window (exponent 21): refused, memory stays bounded. */
	n = zstd_raw_frame(buf, 21 << 3, S("{\"text\": \"a\"}\n"));
	o = run_bytes(buf, n, NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
	free_outcome(&o);
}
END_TEST

/* A gzip member made by sach_writer with the header CRC (FHCRC) added. */
static unsigned char *gzip_with_header_crc(const char *data, size_t len, bool good,
					   size_t *out_len)
{
	size_t zl;
	unsigned char *z = compress_with_writer(SACH_COMPRESS_GZIP, data, len, &zl);
	unsigned char *g = malloc(zl + 2);
	uint32_t crc;

	ck_assert_ptr_nonnull(g);
	ck_assert_uint_ge(zl, 18);
	ck_assert_int_eq(z[3] & 0x1F, 0); /* no optional fields yet */
	memcpy(g, z, 10);
	g[3] = 0x02; /* FHCRC */
	crc = crc32_of(g, 10) & 0xFFFF;
	if (!good)
		crc ^= 0x5A5A;
	g[10] = (unsigned char)(crc & 0xFF);
	g[11] = (unsigned char)(crc >> 8);
	memcpy(g + 12, z + 10, zl - 10);
	*out_len = zl + 2;
	free(z);
	return g;
}

START_TEST(malformed_2_03_gzip_bad_header_crc)
{
	size_t n;
	unsigned char *g;
	struct outcome o;

	/* Control: the right header CRC reads. */
	g = gzip_with_header_crc(S(three), true, &n);
	o = run_bytes(g, n, NULL);
	ck_assert_int_eq(o.n, 3);
	ck_assert_str_eq(o.text[2], "three");
	free_outcome(&o);
	free(g);
	g = gzip_with_header_crc(S(three), false, &n);
	o = run_bytes(g, n, NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
	free_outcome(&o);
	free(g);
}
END_TEST

/* Reads a damaged copy: the documents that come out are a prefix of
 * `three` and the reader ends with SACH_ECORRUPT. */
static void expect_prefix_then_corrupt(const unsigned char *data, size_t len, const char *what)
{
	static const char *const texts[] = { "one", "two", "three" };
	struct outcome o = run_bytes(data, len, NULL);
	int i;

	ck_assert_msg(o.n >= 1 && o.rc[o.n - 1] == SACH_ECORRUPT, "%s: %d results, last rc %d",
		      what, o.n, o.n ? o.rc[o.n - 1] : 0);
	for (i = 0; i < o.n - 1; i++) {
		ck_assert_msg(i < 3 && o.rc[i] == 1 && strcmp(o.text[i], texts[i]) == 0,
			      "%s: result %d is rc %d", what, i, o.rc[i]);
	}
	free_outcome(&o);
}

START_TEST(malformed_2_04_gzip_bad_trailer)
{
	size_t n;
	unsigned char *g = compress_with_writer(SACH_COMPRESS_GZIP, S(three), &n);

	g[n - 8] ^= 0x01; /* CRC-32 */
	expect_prefix_then_corrupt(g, n, "bad CRC-32");
	g[n - 8] ^= 0x01;
	g[n - 4] ^= 0x01; /* ISIZE */
	expect_prefix_then_corrupt(g, n, "bad ISIZE");
	free(g);
}
END_TEST

START_TEST(malformed_2_05_gzip_header_only)
{
	static const unsigned char hdr[] = { 0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03 };
	struct outcome o;

	o = run_bytes(hdr, 2, NULL);
	ck_assert_int_eq(o.comp, SACH_COMPRESS_GZIP);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
	free_outcome(&o);
	o = run_bytes(hdr, sizeof(hdr), NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
	free_outcome(&o);
	/* Unknown compression method (not 8). */
	{
		unsigned char bad[sizeof(hdr) + 8];

		memcpy(bad, hdr, sizeof(hdr));
		bad[2] = 0x07;
		memset(bad + sizeof(hdr), 0, 8);
		o = run_bytes(bad, sizeof(bad), NULL);
		ck_assert_int_eq(o.n, 1);
		ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
		free_outcome(&o);
	}
}
END_TEST

START_TEST(malformed_2_06_zstd_skippable_frames)
{
	/* A skippable frame (magic 0x184D2A50, 8-byte payload) alone is an empty
	 * stream; before a real frame it is skipped. */
	static const unsigned char skip[] = { 0x50, 0x2A, 0x4D, 0x18, 8, 0, 0, 0,
					      'g', 'a', 'r', 'b', 'a', 'g', 'e', '!' };
	size_t zl;
	unsigned char *z = compress_with_writer(SACH_COMPRESS_ZSTD, S(three), &zl);
	unsigned char *both = malloc(sizeof(skip) + zl);
	struct outcome o;

	ck_assert_ptr_nonnull(both);
	o = run_bytes(skip, sizeof(skip), NULL);
	ck_assert_int_eq(o.comp, SACH_COMPRESS_ZSTD);
	ck_assert_int_eq(o.n, 0);
	free_outcome(&o);
	memcpy(both, skip, sizeof(skip));
	memcpy(both + sizeof(skip), z, zl);
	o = run_bytes(both, sizeof(skip) + zl, NULL);
	ck_assert_int_eq(o.n, 3);
	ck_assert_str_eq(o.text[0], "one");
	ck_assert_str_eq(o.text[2], "three");
	free_outcome(&o);
	/* A skippable frame cut short. */
	o = run_bytes(skip, 10, NULL);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ECORRUPT);
	free_outcome(&o);
	free(both);
	free(z);
}
END_TEST

START_TEST(malformed_2_07_trailing_garbage)
{
	size_t zl;
	int k;

	for (k = 0; k < 2; k++) {
		unsigned char *z = compress_with_writer(k ? SACH_COMPRESS_GZIP : SACH_COMPRESS_ZSTD,
						       S(three), &zl);
		unsigned char *g = malloc(zl + 16);

		ck_assert_ptr_nonnull(g);
		memcpy(g, z, zl);
		memcpy(g + zl, "garbage after it", 16);
		expect_prefix_then_corrupt(g, zl + 16, k ? "gzip + garbage" : "zstd + garbage");
		free(g);
		free(z);
	}
}
END_TEST

START_TEST(malformed_2_08_zstd_bad_checksum)
{
	size_t zl;
	unsigned char *z = compress_with_writer(SACH_COMPRESS_ZSTD, S(three), &zl);

	z[zl - 1] ^= 0x80;
	expect_prefix_then_corrupt(z, zl, "zstd checksum");
	free(z);
}
END_TEST

START_TEST(malformed_2_09_every_truncation)
{
	/* Every proper prefix of a small stream: never a crash, never a silent
	 * clean end once the magic is complete. */
	int k;

	for (k = 0; k < 2; k++) {
		size_t zl, cut, magic = k ? 2 : 4;
		unsigned char *z = compress_with_writer(k ? SACH_COMPRESS_GZIP : SACH_COMPRESS_ZSTD,
						       S(three), &zl);

		for (cut = magic; cut < zl; cut++) {
			char what[64];

			snprintf(what, sizeof(what), "%s cut at %zu of %zu", k ? "gzip" : "zstd", cut,
				 zl);
			expect_prefix_then_corrupt(z, cut, what);
		}
		/* Shorter than the magic: plain bytes, a bad record or nothing. */
		for (cut = 1; cut < magic; cut++) {
			struct outcome o = run_bytes(z, cut, NULL);

			ck_assert_int_eq(o.comp, SACH_COMPRESS_NONE);
			ck_assert(o.n == 0 || o.rc[0] == SACH_EJSON);
			free_outcome(&o);
		}
		free(z);
	}
}
END_TEST

START_TEST(malformed_2_10_every_bit_flip)
{
	/* Each single-bit flip of a checksummed stream: no crash, and the
	 * damage never goes unreported. The reader ends with SACH_ECORRUPT, or,
	 * for the few bits that carry no content (zstd's unused header bit and
	 * its single-segment flag here, gzip's FTEXT hint), reads exactly the
	 * original records. Streams are decoded as they arrive, so a damaged
	 * member may yield bad records (or even altered ones) before the check
	 * at its end fails; the final SACH_ECORRUPT is what fails the input. */
	static const char *const texts[] = { "one", "two", "three" };
	int k;

	for (k = 0; k < 2; k++) {
		size_t zl, byte, flips = 0, detected = 0;
		unsigned char *z = compress_with_writer(k ? SACH_COMPRESS_GZIP : SACH_COMPRESS_ZSTD,
						       S(three), &zl);
		size_t first = k ? 2 : 4; /* flips in the magic make it another format */

		for (byte = first; byte < zl; byte++) {
			int bit;

			/* gzip: MTIME, XFL and OS are informational. */
			if (k && byte >= 4 && byte < 10)
				continue;
			for (bit = 0; bit < 8; bit++) {
				struct outcome o;
				int i;

				z[byte] ^= (unsigned char)(1u << bit);
				o = run_bytes(z, zl, NULL);
				z[byte] ^= (unsigned char)(1u << bit);
				flips++;
				if (o.n >= 1 && o.rc[o.n - 1] == SACH_ECORRUPT) {
					detected++;
					for (i = 0; i < o.n - 1; i++)
						th_check(o.rc[i] == 1 || o.rc[i] == SACH_EJSON ||
							 o.rc[i] == SACH_EFIELD,
							 "%s byte %zu bit %d: result %d rc %d",
							 k ? "gzip" : "zstd", byte, bit, i, o.rc[i]);
				} else {
					th_check(o.n == 3, "%s byte %zu bit %d: %d results, last rc %d",
						 k ? "gzip" : "zstd", byte, bit, o.n,
						 o.n ? o.rc[o.n - 1] : 0);
					for (i = 0; i < 3; i++)
						th_check(o.rc[i] == 1 && strcmp(o.text[i], texts[i]) == 0,
							 "%s byte %zu bit %d: undetected change in record %d",
							 k ? "gzip" : "zstd", byte, bit, i);
				}
				free_outcome(&o);
			}
		}
		ck_assert_msg(detected * 10 >= flips * 9, "%s: only %zu of %zu flips detected",
			      k ? "gzip" : "zstd", detected, flips);
		free(z);
	}
}
END_TEST

START_TEST(malformed_2_11_decompression_bomb)
{
	/* 32 MiB of one letter without a newline, a few KiB compressed, read
	 * with a 1 MiB limit: one SACH_ETOOBIG with the full size, then the end. */
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	const char *path = th_path("bomb.zst");
	sach_writer *w;
	char *chunk = repeat('a', MB);
	struct outcome o;
	int i;

	wo.compression = SACH_COMPRESS_ZSTD;
	wo.level = 1;
	ck_assert_int_eq(sach_writer_open(&w, path, &wo), SACH_OK);
	for (i = 0; i < 32; i++)
		ck_assert_int_eq(sach_writer_write(w, chunk, MB), SACH_OK);
	ck_assert_int_eq(sach_writer_commit(w), SACH_OK);
	ro.max_record_bytes = MB;
	o = run_file(path, &ro);
	ck_assert_int_eq(o.n, 1);
	ck_assert_int_eq(o.rc[0], SACH_ETOOBIG);
	ck_assert_uint_eq(o.total[0], 32 * MB);
	ck_assert_uint_eq(o.raw_len[0], MB);
	free_outcome(&o);
	free(chunk);
}
END_TEST

START_TEST(malformed_2_12_gzip_optional_header_fields)
{
	/* FEXTRA, FNAME and FCOMMENT are legal and skipped. */
	size_t zl, n = 0;
	unsigned char *z = compress_with_writer(SACH_COMPRESS_GZIP, S(three), &zl);
	unsigned char *g = malloc(zl + 64);
	struct outcome o;

	ck_assert_ptr_nonnull(g);
	memcpy(g, z, 10);
	g[3] = 0x04 | 0x08 | 0x10;
	n = 10;
	g[n++] = 4;
	g[n++] = 0;
	memcpy(g + n, "AB\0\0", 4);
	n += 4;
	memcpy(g + n, "name.jsonl", 11);
	n += 11;
	memcpy(g + n, "a comment", 10);
	n += 10;
	memcpy(g + n, z + 10, zl - 10);
	n += zl - 10;
	o = run_bytes(g, n, NULL);
	ck_assert_int_eq(o.n, 3);
	ck_assert_str_eq(o.text[1], "two");
	free_outcome(&o);
	free(g);
	free(z);
}
END_TEST

START_TEST(malformed_2_13_random_after_gzip_magic)
{
	uint64_t seed = 0x6Bu;
	int round;

	for (round = 0; round < 50; round++) {
		unsigned char buf[600];
		struct outcome o;
		size_t i;

		buf[0] = 0x1F;
		buf[1] = 0x8B;
		for (i = 2; i < sizeof(buf); i++)
			buf[i] = (unsigned char)th_rand(&seed);
		if (round % 2)
			buf[2] = 0x08; /* the deflate method, so inflate gets further */
		o = run_bytes(buf, sizeof(buf), NULL);
		ck_assert_int_eq(o.comp, SACH_COMPRESS_GZIP);
		ck_assert_msg(o.n >= 1 && o.rc[o.n - 1] == SACH_ECORRUPT,
			      "round %d: %d results, last %d", round, o.n, o.n ? o.rc[o.n - 1] : 0);
		free_outcome(&o);
	}
}
END_TEST

/* ---- group 3: hostile text and records for the stages ------------------------------ */

START_TEST(malformed_3_01_text_mode_binary)
{
	/* Text mode takes any bytes between newlines as they are. */
	static const char in[] = "\xFF\xFE\0\x01 bin\r\n\r\r\r\n\xC0\xAF\n";
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	struct outcome o;

	ro.format = SACH_FORMAT_TEXT;
	o = run_bytes(S(in), &ro);
	ck_assert_int_eq(o.n, 2);
	th_assert_bytes(o.text[0], o.text_len[0], "\xFF\xFE\0\x01 bin", 8);
	th_assert_bytes(o.text[1], o.text_len[1], "\xC0\xAF", 2);
	ck_assert_uint_eq(o.blank_lines, 1);
	free_outcome(&o);
}
END_TEST

START_TEST(malformed_3_02_text_block_of_one_huge_line)
{
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	size_t n = 3 * MB;
	char *in = malloc(n + 16);
	struct outcome o;

	ck_assert_ptr_nonnull(in);
	memset(in, 'z', n);
	memcpy(in + n, "\n\nafter\n", 8);
	ro.format = SACH_FORMAT_TEXT;
	ro.doc_sep = SACH_DOC_SEP_BLANK;
	ro.max_record_bytes = MB;
	o = run_bytes(in, n + 8, &ro);
	ck_assert_int_eq(o.n, 2);
	ck_assert_int_eq(o.rc[0], SACH_ETOOBIG);
	ck_assert_uint_eq(o.total[0], 3 * MB);
	ck_assert_str_eq(o.text[1], "after");
	free_outcome(&o);
	free(in);
}
END_TEST

START_TEST(malformed_3_03_hostile_text_through_normaliser)
{
	/* The text of hostile records goes through the default normaliser:
	 * always valid UTF-8 out, never an error. */
	static const char *const texts[] = {
		"\xFF\xC0\xAF\xED\xA0\x80\xE1\xBB", "\xEF\xBF\xBD\xEF\xBF\xBD",
		"&#xD800;&#x110000;&#0;&#99999999999;", "&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;",
		"\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81", "\xE2\x80\xAE\xE2\x80\xAE\xE2\x81\xA6",
		"\r\r\r\r\n\n\n\xE2\x80\xA9\xE2\x80\xA9", "\0\0\0\0",
	};
	sach_normalise_options no = SACH_NORMALISE_OPTIONS_INIT;
	sach_normaliser *n;
	size_t i;

	ck_assert_int_eq(sach_normaliser_new(&n, &no), SACH_OK);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *out;
		size_t len = i == 7 ? 4 : strlen(texts[i]), out_len;

		ck_assert_int_eq(sach_normalise_text(n, texts[i], len, &out, &out_len, NULL, NULL),
				 SACH_OK);
		ck_assert_uint_eq(sach_utf8_check(out, out_len), out_len);
	}
	sach_normaliser_free(n);
}
END_TEST

Suite *sach_malformed_suite(void);

Suite *sach_malformed_suite(void)
{
	Suite *s = suite_create("malformed");
	TCase *g1 = tcase_create("json_lines");
	TCase *g2 = tcase_create("compressed");
	TCase *g3 = tcase_create("text");
	TCase *all[] = { g1, g2, g3 };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tcase_add_unchecked_fixture(all[i], th_tmpdir_setup, th_tmpdir_teardown);
		tcase_set_timeout(all[i], 60);
	}

	tcase_add_test(g1, malformed_1_01_deep_array_nesting);
	tcase_add_test(g1, malformed_1_02_deep_nesting_balanced_in_object);
	tcase_add_test(g1, malformed_1_03_moderate_nesting_accepted);
	tcase_add_test(g1, malformed_1_04_deep_object_nesting);
	tcase_add_test(g1, malformed_1_05_huge_numbers);
	tcase_add_test(g1, malformed_1_06_every_escape);
	tcase_add_test(g1, malformed_1_07_lone_surrogate_escapes);
	tcase_add_test(g1, malformed_1_08_bad_escapes);
	tcase_add_test(g1, malformed_1_09_invalid_utf8_in_strings);
	tcase_add_test(g1, malformed_1_10_bytes_outside_strings);
	tcase_add_test(g1, malformed_1_11_megabyte_of_spaces);
	tcase_add_test(g1, malformed_1_12_lone_brackets);
	tcase_add_test(g1, malformed_1_13_brace_then_megabyte_of_spaces);
	tcase_add_test(g1, malformed_1_14_nan_and_infinity);
	tcase_add_test(g1, malformed_1_15_number_syntax);
	tcase_add_test(g1, malformed_1_16_raw_controls);
	tcase_add_test(g1, malformed_1_17_lenient_syntax);
	tcase_add_test(g1, malformed_1_18_megabyte_key_and_many_members);
	tcase_add_test(g1, malformed_1_19_megabyte_of_backslashes);
	tcase_add_test(g1, malformed_1_20_wrong_top_level);
	tcase_add_test(g1, malformed_1_21_text_not_a_string);
	tcase_add_test(g1, malformed_1_22_duplicate_keys);
	tcase_add_test(g1, malformed_1_23_raw_nul);
	tcase_add_test(g1, malformed_1_24_key_with_nul_escape);
	tcase_add_test(g1, malformed_1_25_number_trailing_dot);
	suite_add_tcase(s, g1);

	tcase_add_test(g2, malformed_2_01_random_after_zstd_magic);
	tcase_add_test(g2, malformed_2_02_zstd_huge_window);
	tcase_add_test(g2, malformed_2_03_gzip_bad_header_crc);
	tcase_add_test(g2, malformed_2_04_gzip_bad_trailer);
	tcase_add_test(g2, malformed_2_05_gzip_header_only);
	tcase_add_test(g2, malformed_2_06_zstd_skippable_frames);
	tcase_add_test(g2, malformed_2_07_trailing_garbage);
	tcase_add_test(g2, malformed_2_08_zstd_bad_checksum);
	tcase_add_test(g2, malformed_2_09_every_truncation);
	tcase_add_test(g2, malformed_2_10_every_bit_flip);
	tcase_add_test(g2, malformed_2_11_decompression_bomb);
	tcase_add_test(g2, malformed_2_12_gzip_optional_header_fields);
	tcase_add_test(g2, malformed_2_13_random_after_gzip_magic);
	suite_add_tcase(s, g2);

	tcase_add_test(g3, malformed_3_01_text_mode_binary);
	tcase_add_test(g3, malformed_3_02_text_block_of_one_huge_line);
	tcase_add_test(g3, malformed_3_03_hostile_text_through_normaliser);
	suite_add_tcase(s, g3);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_malformed_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
