/*
 * json_records.h - generated JSON Lines records for the suites that compare
 * two ways of parsing one (check_io.c: the record check against the full
 * parse; check_docparse.c: the skeleton parse against the full parse).
 * Include after check_helpers.h.
 */
#ifndef SACH_TEST_JSON_RECORDS_H
#define SACH_TEST_JSON_RECORDS_H

/* Records around a literal (prefix, suffix): the text member nested, among
 * blanks, duplicated, after an escaped key, and with bad JSON around it. */
#define TJ_LAYOUTS \
	{ "{\"text\": \"", "\"}" }, \
	{ "{\"id\": \"k\", \"text\": \"", "\", \"n\": [1, 2, {\"x\": \"]\"}]}" }, \
	{ "{\"a\": {\"text\": \"inner\"}, \"text\":\"", "\" }" }, \
	{ " { \"b\" : \"t\\\"ext\" , \"text\" : \"", "\" , \"sach\": {\"c\": 1}}\r" }, \
	{ "{\"text\": \"", "\", \"text\": \"dup\"}" }, \
	{ "{\"te\\u0078t\": \"x\", \"text\": \"", "\"}" }, \
	{ "{\"text\": \"", "\", \"n\": 01}" }, \
	{ "{\"text\": \"", "\"} x" }, \
	{ "[\"text\", \"", "\"]" },

/*
 * Sets `line` to one record: a layout of `layouts` (the first most often)
 * around a text literal of random pieces: every escape, surrogate pairs and
 * lone halves, \u0000, raw controls and TAB, bytes above 0x7F (valid UTF-8
 * or not), bad escapes, a closing quote in the middle. Most literals use
 * only the first 21 pieces, which are valid, so most records are valid;
 * every 50th is long. `it` is the record's number.
 */
static inline void tj_record(sach_buf *line, uint64_t *seed, int it,
			     const char *const (*layouts)[2], size_t nl)
{
	static const char *const pieces[] = {
		"a", "Xin ch\xc3\xa0o", " ", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
		"\\u0041", "\\u00e9", "\\u00E9", "\\u07ff", "\\u0800", "\\u20ac", "\\uffff",
		"\\ud83d\\ude00", "\\uD800\\uDC00", "\\udbff\\udfff", "\\ud800", "\\udc00",
		"\\ud800\\u0041", "\\u0000", "\\u12", "\\x", "\\", "\x01", "\t", "\x1f", "\x7f",
		"\xff", "\xc3", "\xe1\xbb\x87", "\"", "\\u005c", "\\u0022", "}", "{", ",", ":", "\r",
		"0123456789abcdefghijklmnopqrstuvwxyz",
	};
	size_t np = sizeof(pieces) / sizeof(pieces[0]);
	int k, n = (int)(th_rand(seed) % (it % 50 == 0 ? 400 : 12));
	size_t limit = th_rand(seed) % 4 ? 21 : np;
	size_t lay = th_rand(seed) % 3 ? 0 : th_rand(seed) % nl;

	sach_buf_clear(line);
	ck_assert_int_eq(sach_buf_puts(line, layouts[lay][0]), SACH_OK);
	for (k = 0; k < n; k++)
		ck_assert_int_eq(sach_buf_puts(line, pieces[th_rand(seed) % limit]), SACH_OK);
	ck_assert_int_eq(sach_buf_puts(line, layouts[lay][1]), SACH_OK);
}

#endif
