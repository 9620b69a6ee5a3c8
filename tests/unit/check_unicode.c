/*
 * check_unicode.c - unit tests for sach/unicode.h: UTF-8 decode/encode at
 * every boundary, ill-formed input and the maximal-subpart rule (Unicode
 * 15, section 3.9), check and repair, the normalisation quick check, and
 * NFC/NFKC through sach_unicode_normalize().
 *
 * Public headers only. Vietnamese text is written as \x escapes with the
 * characters named in comments.
 */
#include "sach/common.h"
#include "sach/error.h"
#include "sach/unicode.h"

#include "check_helpers.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FFFD 0xFFFDu

/* A string literal and its length, for the (const char *, size_t) APIs. */
#define S(lit) (lit), (sizeof(lit) - 1)

/* ---- decode / encode --------------------------------------------------- */

struct boundary {
	uint32_t cp;
	const char *utf8;
	size_t len;
};

static const struct boundary boundaries[] = {
	{ 0x0000, "\x00", 1 },
	{ 0x0041, "A", 1 },
	{ 0x007F, "\x7F", 1 },
	{ 0x0080, "\xC2\x80", 2 },
	{ 0x00E9, "\xC3\xA9", 2 },             /* e with acute */
	{ 0x07FF, "\xDF\xBF", 2 },
	{ 0x0800, "\xE0\xA0\x80", 3 },
	{ 0x1EC7, "\xE1\xBB\x87", 3 },         /* e with circumflex and dot below */
	{ 0xD7FF, "\xED\x9F\xBF", 3 },         /* last before the surrogates */
	{ 0xE000, "\xEE\x80\x80", 3 },         /* first after the surrogates */
	{ 0xFFFD, "\xEF\xBF\xBD", 3 },
	{ 0xFFFF, "\xEF\xBF\xBF", 3 },
	{ 0x10000, "\xF0\x90\x80\x80", 4 },
	{ 0x1F468, "\xF0\x9F\x91\xA8", 4 },    /* MAN emoji */
	{ 0xFFFFF, "\xF3\xBF\xBF\xBF", 4 },
	{ 0x100000, "\xF4\x80\x80\x80", 4 },
	{ 0x10FFFF, "\xF4\x8F\xBF\xBF", 4 },
};
#define N_BOUNDARIES (sizeof(boundaries) / sizeof(boundaries[0]))

START_TEST(unicode_decode_boundaries)
{
	size_t i;

	for (i = 0; i < N_BOUNDARIES; i++) {
		const struct boundary *b = &boundaries[i];
		uint32_t cp = 0xDEAD;
		bool valid = false;
		size_t n = sach_utf8_decode(b->utf8, b->len, &cp, &valid);

		ck_assert_msg(n == b->len && cp == b->cp && valid,
			      "U+%04X: decoded %zu bytes as U+%04X valid=%d", (unsigned)b->cp, n,
			      (unsigned)cp, valid);
		/* Trailing bytes after the sequence are not consumed. */
		{
			char buf[8];

			memcpy(buf, b->utf8, b->len);
			memcpy(buf + b->len, "\xE1\xBB\x87", 3);
			n = sach_utf8_decode(buf, b->len + 3, &cp, &valid);
			ck_assert_uint_eq(n, b->len);
			ck_assert_uint_eq(cp, b->cp);
		}
	}
}
END_TEST

START_TEST(unicode_encode_boundaries)
{
	size_t i;

	for (i = 0; i < N_BOUNDARIES; i++) {
		const struct boundary *b = &boundaries[i];
		char out[4] = { 0x55, 0x55, 0x55, 0x55 };
		size_t n = sach_utf8_encode(b->cp, out);

		ck_assert_msg(n == b->len && memcmp(out, b->utf8, n) == 0,
			      "U+%04X: encoded as [%s] (%zu bytes)", (unsigned)b->cp,
			      th_show(out, n), n);
	}
}
END_TEST

START_TEST(unicode_roundtrip_all_scalars)
{
	uint32_t c;

	for (c = 0; c <= 0x10FFFF; c++) {
		char out[4];
		uint32_t back = 0;
		bool valid = false;
		size_t n, m, want;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		n = sach_utf8_encode(c, out);
		m = sach_utf8_decode(out, n, &back, &valid);
		if (n != want || m != n || back != c || !valid || sach_utf8_check(out, n) != n)
			ck_abort_msg("U+%04X: encode %zu bytes, decode %zu -> U+%04X valid=%d",
				     (unsigned)c, n, m, (unsigned)back, valid);
	}
}
END_TEST

/* Decodes all of s and compares the code points and lengths with want. */
struct piece {
	uint32_t cp;
	size_t len;
};

static void expect_decode(const char *s, size_t len, const struct piece *want, size_t nwant)
{
	size_t i = 0, k = 0;

	while (i < len) {
		uint32_t cp = 0;
		bool valid = true;
		size_t n = sach_utf8_decode(s + i, len - i, &cp, &valid);

		ck_assert_msg(k < nwant, "[%s]: more pieces than expected at byte %zu",
			      th_show(s, len), i);
		ck_assert_msg(n >= 1 && n <= 4 && i + n <= len,
			      "[%s]: bad length %zu at byte %zu", th_show(s, len), n, i);
		ck_assert_msg(cp == want[k].cp && n == want[k].len,
			      "[%s] piece %zu at byte %zu: U+%04X/%zu, want U+%04X/%zu",
			      th_show(s, len), k, i, (unsigned)cp, n, (unsigned)want[k].cp,
			      want[k].len);
		ck_assert_msg(valid == (want[k].cp != FFFD),
			      "[%s] piece %zu: valid=%d", th_show(s, len), k, valid);
		i += n;
		k++;
	}
	ck_assert_msg(k == nwant, "[%s]: %zu pieces, want %zu", th_show(s, len), k, nwant);
}

#define EXPECT_DECODE(lit, ...) \
	do { \
		static const struct piece w_[] = { __VA_ARGS__ }; \
		expect_decode(lit, sizeof(lit) - 1, w_, sizeof(w_) / sizeof(w_[0])); \
	} while (0)

START_TEST(unicode_decode_maximal_subparts)
{
	/* A valid lead and one fitting continuation, then ASCII: one U+FFFD for
	 * the two bytes, then 'A'. */
	EXPECT_DECODE("\xE1\xBB\x41", { FFFD, 2 }, { 'A', 1 });
	/* F0 needs 90..BF next: each byte is its own subpart. */
	EXPECT_DECODE("\xF0\x80\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	/* Surrogate U+D800 encoded: ED needs 80..9F next. */
	EXPECT_DECODE("\xED\xA0\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xED\xBF\xBF", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	/* Overlong '/' and overlong forms of every length. */
	EXPECT_DECODE("\xC0\xAF", { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xC1\xBF", { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xE0\x80\xAF", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xE0\x9F\xBF", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xF0\x8F\xBF\xBF", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	/* Above U+10FFFF. */
	EXPECT_DECODE("\xF4\x90\x80\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xF5\x80\x80\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xF7\xBF\xBF\xBF", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	/* Five- and six-byte forms of old UTF-8, and bytes never used. */
	EXPECT_DECODE("\xF8\x88\x80\x80\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 },
		      { FFFD, 1 });
	EXPECT_DECODE("\xFC\x84\x80\x80\x80\x80", { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 },
		      { FFFD, 1 }, { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("\xFE\xFF", { FFFD, 1 }, { FFFD, 1 });
	/* Lone continuation bytes. */
	EXPECT_DECODE("\x80", { FFFD, 1 });
	EXPECT_DECODE("\xBF\x80", { FFFD, 1 }, { FFFD, 1 });
	EXPECT_DECODE("a\x80z", { 'a', 1 }, { FFFD, 1 }, { 'z', 1 });
	/* A lead byte followed by a non-continuation. */
	EXPECT_DECODE("\xC3" "A", { FFFD, 1 }, { 'A', 1 });
	EXPECT_DECODE("\xF0\x9F\x98" "A", { FFFD, 3 }, { 'A', 1 });
	EXPECT_DECODE("\xF0\x9F\xC3\xA9", { FFFD, 2 }, { 0xE9, 2 });
	/* Cut at the end of the input. */
	EXPECT_DECODE("\xC2", { FFFD, 1 });
	EXPECT_DECODE("\xE1\xBB", { FFFD, 2 });
	EXPECT_DECODE("\xF0\x9F\x98", { FFFD, 3 });
	EXPECT_DECODE("Vi\xE1\xBB", { 'V', 1 }, { 'i', 1 }, { FFFD, 2 });
	/* The example of Unicode 15 Table 3-8. */
	EXPECT_DECODE("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
		      { 'a', 1 }, { FFFD, 3 }, { FFFD, 2 }, { FFFD, 1 }, { 'b', 1 },
		      { FFFD, 1 }, { 'c', 1 }, { FFFD, 1 }, { FFFD, 1 }, { 'd', 1 });
}
END_TEST

START_TEST(unicode_decode_fffd_itself_valid)
{
	uint32_t cp = 0;
	bool valid = false;

	/* An encoded U+FFFD in the input is a valid character, not a repair. */
	ck_assert_uint_eq(sach_utf8_decode(S("\xEF\xBF\xBD"), &cp, &valid), 3);
	ck_assert_uint_eq(cp, FFFD);
	ck_assert(valid);
}
END_TEST

START_TEST(unicode_decode_respects_len)
{
	/* The bytes that would complete the sequence lie beyond len. */
	static const char s[] = "\xE1\xBB\x87\xF0\x9F\x91\xA8";
	uint32_t cp = 0;
	bool valid = true;

	ck_assert_uint_eq(sach_utf8_decode(s, 2, &cp, &valid), 2);
	ck_assert_uint_eq(cp, FFFD);
	ck_assert(!valid);
	ck_assert_uint_eq(sach_utf8_decode(s, 1, &cp, &valid), 1);
	ck_assert(!valid);
	ck_assert_uint_eq(sach_utf8_decode(s + 3, 3, &cp, &valid), 3);
	ck_assert(!valid);
	ck_assert_uint_eq(sach_utf8_check(s, 2), 0);
	ck_assert_uint_eq(sach_utf8_check(s, 6), 3);
	ck_assert_uint_eq(sach_utf8_check(s, 7), 7);
}
END_TEST

/* ---- check and repair --------------------------------------------------- */

START_TEST(unicode_check_offsets)
{
	/* "Viet Nam" with e-circumflex-dot-below (U+1EC7), then bad bytes. */
	static const char viet[] = "Vi\xE1\xBB\x87t Nam";

	ck_assert_uint_eq(sach_utf8_check(S("")), 0);
	ck_assert_uint_eq(sach_utf8_check(viet, sizeof(viet) - 1), sizeof(viet) - 1);
	ck_assert_uint_eq(sach_utf8_check(S("abc\xFF")), 3);
	ck_assert_uint_eq(sach_utf8_check(S("\xFF" "abc")), 0);
	ck_assert_uint_eq(sach_utf8_check(S("Vi\xE1\xBB\x87t \xC0\xAF")), 7);
	ck_assert_uint_eq(sach_utf8_check(S("Vi\xE1\xBB")), 2);
	ck_assert_uint_eq(sach_utf8_check(S("ab\xED\xA0\x80")), 2);
	ck_assert_uint_eq(sach_utf8_check(S("\xF4\x8F\xBF\xBF" "x\xF4\x90\x80\x80")), 5);
	/* NUL is a valid character. */
	ck_assert_uint_eq(sach_utf8_check(S("a\0b")), 3);
	/* The first bad byte, not a later one. */
	ck_assert_uint_eq(sach_utf8_check(S("ok\x80\xFF")), 2);
}
END_TEST

START_TEST(unicode_repair_counts)
{
	static const char table38[] = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
	static const char want[] = "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD"
				   "c\xEF\xBF\xBD\xEF\xBF\xBD" "d";
	sach_buf out = { 0 };
	size_t replaced = 99;

	ck_assert_int_eq(sach_buf_puts(&out, "prefix:"), SACH_OK);
	ck_assert_int_eq(sach_utf8_repair(table38, sizeof(table38) - 1, &out, &replaced), SACH_OK);
	ck_assert_uint_eq(replaced, 6);
	/* Appended after what the buffer held. */
	ck_assert_int_eq(strncmp(out.ptr, "prefix:", 7), 0);
	th_assert_bytes(out.ptr + 7, out.len - 7, want, sizeof(want) - 1);
	ck_assert_int_eq(out.ptr[out.len], '\0');

	sach_buf_clear(&out);
	ck_assert_int_eq(sach_utf8_repair(S("\xF0\x80\x80"), &out, &replaced), SACH_OK);
	ck_assert_uint_eq(replaced, 3);
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_utf8_repair(S("\xE1\xBB\x41"), &out, &replaced), SACH_OK);
	ck_assert_uint_eq(replaced, 1);
	th_assert_bytes(out.ptr, out.len, "\xEF\xBF\xBD" "A", 4);
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_utf8_repair(S("end\xE1\xBB"), &out, NULL), SACH_OK);
	th_assert_bytes(out.ptr, out.len, "end\xEF\xBF\xBD", 6);
	sach_buf_free(&out);
}
END_TEST

START_TEST(unicode_repair_valid_is_copy)
{
	/* "Tieng Viet" with e-circumflex-acute (U+1EBF) and U+1EC7, an emoji
	 * and a NUL: valid, so copied unchanged with no replacement. */
	static const char s[] = "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t \xF0\x9F\x91\xA8\0!";
	sach_buf out = { 0 };
	size_t replaced = 99;

	ck_assert_int_eq(sach_utf8_repair(s, sizeof(s) - 1, &out, &replaced), SACH_OK);
	ck_assert_uint_eq(replaced, 0);
	th_assert_bytes(out.ptr, out.len, s, sizeof(s) - 1);
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_utf8_repair(S(""), &out, &replaced), SACH_OK);
	ck_assert_uint_eq(replaced, 0);
	ck_assert_uint_eq(out.len, 0);
	sach_buf_free(&out);
}
END_TEST

START_TEST(unicode_repair_random_bytes)
{
	uint64_t seed = 0x5AC4u;
	int round;

	for (round = 0; round < 2000; round++) {
		char in[64];
		sach_buf out = { 0 }, again = { 0 };
		size_t len = (size_t)(th_rand(&seed) % sizeof(in)), i, replaced = 0, r2 = 99;
		size_t bad = 0, pos = 0;

		for (i = 0; i < len; i++)
			in[i] = (char)(th_rand(&seed) & 0xFF);
		/* Count the subparts with the decoder to cross-check repair. */
		while (pos < len) {
			uint32_t cp;
			bool valid;

			pos += sach_utf8_decode(in + pos, len - pos, &cp, &valid);
			bad += !valid;
		}
		th_check(sach_utf8_repair(in, len, &out, &replaced) == SACH_OK, "repair failed");
		th_check(replaced == bad, "[%s]: %zu replaced, decoder finds %zu",
			 th_show(in, len), replaced, bad);
		th_check(sach_utf8_check(out.ptr, out.len) == out.len, "[%s]: repaired text invalid",
			 th_show(in, len));
		/* Repair is a fixpoint. */
		th_check(sach_utf8_repair(out.ptr, out.len, &again, &r2) == SACH_OK, "repair failed");
		th_check(r2 == 0 && again.len == out.len && memcmp(again.ptr, out.ptr, out.len) == 0,
			 "[%s]: repair is not a fixpoint", th_show(in, len));
		sach_buf_free(&out);
		sach_buf_free(&again);
	}
}
END_TEST

/* ---- quick check ------------------------------------------------------- */

/* "Tieng Viet co dau: duong pho Ha Noi" in NFC, with U+1EBF, U+1EC7,
 * U+00F3, U+1EA5, U+0111 (d with stroke), U+01B0 (u with horn), U+01A1
 * (o with horn), U+00C0, U+00C0-range capitals and U+1ED9. */
static const char viet_nfc[] =
	"Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t c\xC3\xB3 d\xE1\xBA\xA5u: "
	"\xC4\x91\xC6\xB0\xE1\xBB\x9Dng ph\xE1\xBB\x91 H\xC3\xA0 N\xE1\xBB\x99i, "
	"\xC4\x90\xC3\x80 N\xE1\xBA\xB4NG";

START_TEST(unicode_quick_check_nfc_vietnamese)
{
	ck_assert(sach_unicode_init() == SACH_OK);
	ck_assert(sach_unicode_is_normalized_quick(viet_nfc, sizeof(viet_nfc) - 1, SACH_NF_NFC));
	ck_assert(sach_unicode_is_normalized_quick(viet_nfc, sizeof(viet_nfc) - 1, SACH_NF_NFKC));
	ck_assert(sach_unicode_is_normalized_quick(S(""), SACH_NF_NFC));
	ck_assert(sach_unicode_is_normalized_quick(S("plain ascii"), SACH_NF_NFC));
	/* Combining marks in canonical order, each with quick check Yes:
	 * a + U+0316 (ccc 220) + U+0315 (ccc 232). */
	ck_assert(sach_unicode_is_normalized_quick(S("a\xCC\x96\xCC\x95"), SACH_NF_NFC));
	/* Soft hyphen and emoji are NFC. */
	ck_assert(sach_unicode_is_normalized_quick(S("a\xC2\xAD" "b\xF0\x9F\x91\xA8"),
						   SACH_NF_NFC));
}
END_TEST

START_TEST(unicode_quick_check_nfd_false)
{
	/* "Viet": e + U+0323 (dot below) + U+0302 (circumflex), the NFD form. */
	ck_assert(!sach_unicode_is_normalized_quick(S("Vie\xCC\xA3\xCC\x82t"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("Vie\xCC\xA3\xCC\x82t"), SACH_NF_NFKC));
	/* "e-circumflex + combining acute" (CP1258 style). */
	ck_assert(!sach_unicode_is_normalized_quick(S("\xC3\xAA\xCC\x81"), SACH_NF_NFC));
	/* NFD after a long NFC prefix is still found. */
	{
		char buf[sizeof(viet_nfc) + 8];

		memcpy(buf, viet_nfc, sizeof(viet_nfc) - 1);
		memcpy(buf + sizeof(viet_nfc) - 1, "a\xCC\x80", 3);
		ck_assert(!sach_unicode_is_normalized_quick(buf, sizeof(viet_nfc) + 2,
							    SACH_NF_NFC));
	}
}
END_TEST

START_TEST(unicode_quick_check_misordered_marks)
{
	/* a + U+0315 (ccc 232) + U+0316 (ccc 220): both have quick check Yes
	 * alone, only their order is wrong. */
	ck_assert(!sach_unicode_is_normalized_quick(S("a\xCC\x95\xCC\x96"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("a\xCC\x95\xCC\x96"), SACH_NF_NFKC));
	/* Separated by a base letter, the order restarts. */
	ck_assert(sach_unicode_is_normalized_quick(S("a\xCC\x95" "b\xCC\x96"), SACH_NF_NFC));
}
END_TEST

START_TEST(unicode_quick_check_singletons)
{
	/* U+212B ANGSTROM SIGN, U+037E GREEK QUESTION MARK, U+2126 OHM SIGN,
	 * U+0340 COMBINING GRAVE TONE MARK: NFC_QC = No. */
	ck_assert(!sach_unicode_is_normalized_quick(S("\xE2\x84\xAB"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("x\xCD\xBE"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("\xE2\x84\xA6"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("a\xCD\x80"), SACH_NF_NFC));
}
END_TEST

START_TEST(unicode_quick_check_nfkc_only)
{
	/* Fullwidth A (U+FF21), superscript two (U+00B2), fi ligature (U+FB01):
	 * NFC already, not NFKC. */
	ck_assert(sach_unicode_is_normalized_quick(S("\xEF\xBC\xA1"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("\xEF\xBC\xA1"), SACH_NF_NFKC));
	ck_assert(sach_unicode_is_normalized_quick(S("x\xC2\xB2"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("x\xC2\xB2"), SACH_NF_NFKC));
	ck_assert(!sach_unicode_is_normalized_quick(S("\xEF\xAC\x81"), SACH_NF_NFKC));
}
END_TEST

START_TEST(unicode_quick_check_invalid_and_none)
{
	ck_assert(!sach_unicode_is_normalized_quick(S("abc\xFF"), SACH_NF_NFC));
	ck_assert(!sach_unicode_is_normalized_quick(S("\xE1\xBB"), SACH_NF_NFC));
	/* NONE: any text is "in form". */
	ck_assert(sach_unicode_is_normalized_quick(S("Vie\xCC\xA3\xCC\x82t"), SACH_NF_NONE));
}
END_TEST

/* ---- normalize ---------------------------------------------------------- */

static void expect_nf(const char *in, size_t in_len, sach_nf nf, const char *want,
		      size_t want_len, bool want_changed)
{
	sach_buf out = { 0 };
	bool changed = !want_changed;
	int rc = sach_unicode_normalize(in, in_len, nf, &out, &changed);

	ck_assert_msg(rc == SACH_OK, "[%s]: rc %d (%s)", th_show(in, in_len), rc,
		      sach_error_last());
	th_assert_bytes(out.ptr, out.len, want, want_len);
	ck_assert_msg(changed == want_changed, "[%s]: changed=%d", th_show(in, in_len), changed);
	sach_buf_free(&out);
}

#define EXPECT_NF(in, nf, want, ch) expect_nf(in, sizeof(in) - 1, nf, want, sizeof(want) - 1, ch)

START_TEST(unicode_normalize_nfc_vietnamese)
{
	/* NFD "Viet" -> U+1EC7 e with circumflex and dot below. */
	EXPECT_NF("Vie\xCC\xA3\xCC\x82t", SACH_NF_NFC, "Vi\xE1\xBB\x87t", true);
	/* The marks in the other order compose to the same letter. */
	EXPECT_NF("Vie\xCC\x82\xCC\xA3t", SACH_NF_NFC, "Vi\xE1\xBB\x87t", true);
	/* "Tieng": e + U+0302 + U+0301 -> U+1EBF. */
	EXPECT_NF("Tie\xCC\x82\xCC\x81ng", SACH_NF_NFC, "Ti\xE1\xBA\xBFng", true);
	/* u + horn (U+031B) + grave -> U+1EEB; d with stroke is untouched. */
	EXPECT_NF("\xC4\x91u\xCC\x9B\xCC\x80ng", SACH_NF_NFC, "\xC4\x91\xE1\xBB\xABng", true);
	/* Misordered marks with quick check Yes are reordered. */
	EXPECT_NF("a\xCC\x95\xCC\x96", SACH_NF_NFC, "a\xCC\x96\xCC\x95", true);
}
END_TEST

START_TEST(unicode_normalize_cp1258_style)
{
	/* Precomposed base + combining tone, as CP1258 converters produce:
	 * e-circumflex (U+00EA) + acute -> U+1EBF; u-horn (U+01B0) + grave ->
	 * U+1EEB; o-horn (U+01A1) + dot below (U+0323) -> U+1EE3; a-breve
	 * (U+0103) + hook above (U+0309) -> U+1EB3. */
	EXPECT_NF("\xC3\xAA\xCC\x81", SACH_NF_NFC, "\xE1\xBA\xBF", true);
	EXPECT_NF("\xC6\xB0\xCC\x80", SACH_NF_NFC, "\xE1\xBB\xAB", true);
	EXPECT_NF("\xC6\xA1\xCC\xA3", SACH_NF_NFC, "\xE1\xBB\xA3", true);
	EXPECT_NF("\xC4\x83\xCC\x89", SACH_NF_NFC, "\xE1\xBA\xB3", true);
}
END_TEST

START_TEST(unicode_normalize_unchanged)
{
	EXPECT_NF("Vi\xE1\xBB\x87t Nam", SACH_NF_NFC, "Vi\xE1\xBB\x87t Nam", false);
	EXPECT_NF("Vi\xE1\xBB\x87t Nam", SACH_NF_NFKC, "Vi\xE1\xBB\x87t Nam", false);
	EXPECT_NF("", SACH_NF_NFC, "", false);
	/* NFC-but-Maybe: x + U+0301 cannot compose; ICU runs, nothing changes. */
	EXPECT_NF("x\xCC\x81", SACH_NF_NFC, "x\xCC\x81", false);
	/* NONE copies even NFD text. */
	EXPECT_NF("Vie\xCC\xA3\xCC\x82t", SACH_NF_NONE, "Vie\xCC\xA3\xCC\x82t", false);
	/* NFC leaves compatibility characters alone. */
	EXPECT_NF("\xEF\xBC\xA1 x\xC2\xB2", SACH_NF_NFC, "\xEF\xBC\xA1 x\xC2\xB2", false);
}
END_TEST

START_TEST(unicode_normalize_singletons)
{
	/* U+212B -> U+00C5; U+037E -> ';'; U+2126 -> U+03A9. */
	EXPECT_NF("\xE2\x84\xAB", SACH_NF_NFC, "\xC3\x85", true);
	EXPECT_NF("a\xCD\xBE", SACH_NF_NFC, "a;", true);
	EXPECT_NF("\xE2\x84\xA6", SACH_NF_NFC, "\xCE\xA9", true);
}
END_TEST

START_TEST(unicode_normalize_nfkc)
{
	/* Fullwidth "Ab1" (U+FF21 U+FF42 U+FF11) -> "Ab1". */
	EXPECT_NF("\xEF\xBC\xA1\xEF\xBD\x82\xEF\xBC\x91", SACH_NF_NFKC, "Ab1", true);
	/* Superscript two, fi ligature, circled one. */
	EXPECT_NF("x\xC2\xB2", SACH_NF_NFKC, "x2", true);
	EXPECT_NF("\xEF\xAC\x81", SACH_NF_NFKC, "fi", true);
	EXPECT_NF("\xE2\x91\xA0", SACH_NF_NFKC, "1", true);
	/* NFKC also composes NFD Vietnamese. */
	EXPECT_NF("Vie\xCC\xA3\xCC\x82t", SACH_NF_NFKC, "Vi\xE1\xBB\x87t", true);
	/* Ideographic space U+3000 -> ' '. */
	EXPECT_NF("a\xE3\x80\x80" "b", SACH_NF_NFKC, "a b", true);
}
END_TEST

START_TEST(unicode_normalize_appends)
{
	sach_buf out = { 0 };
	bool changed = true;

	ck_assert_int_eq(sach_buf_puts(&out, "[x]"), SACH_OK);
	/* Unchanged text is appended, and `changed` concerns only the input. */
	ck_assert_int_eq(sach_unicode_normalize(S("abc"), SACH_NF_NFC, &out, &changed), SACH_OK);
	ck_assert(!changed);
	ck_assert_str_eq(out.ptr, "[x]abc");
	ck_assert_int_eq(sach_unicode_normalize(S("Vie\xCC\xA3\xCC\x82t"), SACH_NF_NFC, &out,
						&changed), SACH_OK);
	ck_assert(changed);
	ck_assert_str_eq(out.ptr, "[x]abcVi\xE1\xBB\x87t");
	ck_assert_uint_eq(out.len, strlen(out.ptr));
	/* changed may be NULL. */
	ck_assert_int_eq(sach_unicode_normalize(S("\xE2\x84\xAB"), SACH_NF_NFC, &out, NULL),
			 SACH_OK);
	ck_assert_str_eq(out.ptr, "[x]abcVi\xE1\xBB\x87t\xC3\x85");
	sach_buf_free(&out);
}
END_TEST

START_TEST(unicode_normalize_expansion)
{
	/* Output longer than the input: U+0958 (3 bytes) is a composition
	 * exclusion and becomes U+0915 U+093C (6 bytes); U+FDFA becomes 18
	 * code points (33 bytes) under NFKC. Many of them check the sizing. */
	enum { N = 20000 };
	char *in = malloc(3 * N), *want = malloc(33 * N);
	sach_buf out = { 0 };
	bool changed = false;
	size_t i;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(want);
	for (i = 0; i < N; i++) {
		memcpy(in + 3 * i, "\xE0\xA5\x98", 3);
		memcpy(want + 6 * i, "\xE0\xA4\x95\xE0\xA4\xBC", 6);
	}
	ck_assert_int_eq(sach_unicode_normalize(in, 3 * N, SACH_NF_NFC, &out, &changed), SACH_OK);
	ck_assert(changed);
	th_assert_bytes(out.ptr, out.len, want, (size_t)6 * N);

	{
		sach_buf one = { 0 };

		ck_assert_int_eq(sach_unicode_normalize(S("\xEF\xB7\xBA"), SACH_NF_NFKC, &one, NULL),
				 SACH_OK);
		ck_assert_uint_eq(one.len, 33);
		for (i = 0; i < N; i++) {
			memcpy(in + 3 * i, "\xEF\xB7\xBA", 3);
			memcpy(want + 33 * i, one.ptr, 33);
		}
		sach_buf_free(&one);
	}
	sach_buf_clear(&out);
	ck_assert_int_eq(sach_unicode_normalize(in, 3 * N, SACH_NF_NFKC, &out, &changed), SACH_OK);
	th_assert_bytes(out.ptr, out.len, want, (size_t)33 * N);
	ck_assert_uint_eq(sach_utf8_check(out.ptr, out.len), out.len);
	sach_buf_free(&out);
	free(in);
	free(want);
}
END_TEST

START_TEST(unicode_normalize_invalid)
{
	sach_buf out = { 0 };
	bool changed = true;

	ck_assert_int_eq(sach_buf_puts(&out, "keep"), SACH_OK);
	sach_error_clear();
	ck_assert_int_eq(sach_unicode_normalize(S("\xFF"), SACH_NF_NFC, &out, &changed),
			 SACH_EINVAL);
	ck_assert_int_eq(sach_error_last_code(), SACH_EINVAL);
	ck_assert_str_ne(sach_error_last(), "");
	/* Invalid after text that needs composing, and a surrogate. */
	ck_assert_int_eq(sach_unicode_normalize(S("Vie\xCC\xA3\xCC\x82t\xC0"), SACH_NF_NFC, &out,
						NULL), SACH_EINVAL);
	ck_assert_int_eq(sach_unicode_normalize(S("ok \xED\xA0\x80"), SACH_NF_NFKC, &out, NULL),
			 SACH_EINVAL);
	ck_assert_int_eq(sach_unicode_normalize(S("cut\xE1\xBB"), SACH_NF_NFC, &out, NULL),
			 SACH_EINVAL);
	/* Nothing was appended by the failed calls. */
	ck_assert_str_eq(out.ptr, "keep");
	ck_assert_uint_eq(out.len, 4);
	sach_buf_free(&out);
}
END_TEST

START_TEST(unicode_normalize_matches_quick_check)
{
	/* Whatever normalize returns is in the form, and passes as unchanged
	 * when normalised again. */
	static const char *const inputs[] = {
		"Vie\xCC\xA3\xCC\x82t", "\xE2\x84\xAB\xCD\xBE", "a\xCC\x95\xCC\x96",
		"\xEF\xBC\xA1\xC2\xB2", "\xE0\xA5\x98", "\xC3\xAA\xCC\x81\xC6\xB0\xCC\x80",
		"\xEF\xB7\xBA", "\xE1\xBA\x9A", "\xC5\xBF\xC4\xB3",
	};
	size_t i;
	int f;

	for (f = SACH_NF_NFC; f <= SACH_NF_NFKC; f++) {
		for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
			sach_buf a = { 0 }, b = { 0 };
			bool changed = true;

			ck_assert_int_eq(sach_unicode_normalize(inputs[i], strlen(inputs[i]),
								(sach_nf)f, &a, NULL), SACH_OK);
			ck_assert_int_eq(sach_unicode_normalize(a.ptr, a.len, (sach_nf)f, &b,
								&changed), SACH_OK);
			ck_assert_msg(!changed, "form %d, input %zu not idempotent", f, i);
			th_assert_bytes(b.ptr, b.len, a.ptr, a.len);
			sach_buf_free(&a);
			sach_buf_free(&b);
		}
	}
}
END_TEST

START_TEST(unicode_init_repeatable)
{
	ck_assert_int_eq(sach_unicode_init(), SACH_OK);
	ck_assert_int_eq(sach_unicode_init(), SACH_OK);
}
END_TEST

Suite *sach_unicode_suite(void);

Suite *sach_unicode_suite(void)
{
	Suite *s = suite_create("unicode");
	TCase *codec = tcase_create("codec");
	TCase *check = tcase_create("check_repair");
	TCase *quick = tcase_create("quick_check");
	TCase *norm = tcase_create("normalize");

	tcase_add_test(codec, unicode_decode_boundaries);
	tcase_add_test(codec, unicode_encode_boundaries);
	tcase_add_test(codec, unicode_roundtrip_all_scalars);
	tcase_add_test(codec, unicode_decode_maximal_subparts);
	tcase_add_test(codec, unicode_decode_fffd_itself_valid);
	tcase_add_test(codec, unicode_decode_respects_len);
	suite_add_tcase(s, codec);

	tcase_add_test(check, unicode_check_offsets);
	tcase_add_test(check, unicode_repair_counts);
	tcase_add_test(check, unicode_repair_valid_is_copy);
	tcase_add_test(check, unicode_repair_random_bytes);
	suite_add_tcase(s, check);

	tcase_add_test(quick, unicode_quick_check_nfc_vietnamese);
	tcase_add_test(quick, unicode_quick_check_nfd_false);
	tcase_add_test(quick, unicode_quick_check_misordered_marks);
	tcase_add_test(quick, unicode_quick_check_singletons);
	tcase_add_test(quick, unicode_quick_check_nfkc_only);
	tcase_add_test(quick, unicode_quick_check_invalid_and_none);
	suite_add_tcase(s, quick);

	tcase_add_test(norm, unicode_init_repeatable);
	tcase_add_test(norm, unicode_normalize_nfc_vietnamese);
	tcase_add_test(norm, unicode_normalize_cp1258_style);
	tcase_add_test(norm, unicode_normalize_unchanged);
	tcase_add_test(norm, unicode_normalize_singletons);
	tcase_add_test(norm, unicode_normalize_nfkc);
	tcase_add_test(norm, unicode_normalize_appends);
	tcase_add_test(norm, unicode_normalize_expansion);
	tcase_add_test(norm, unicode_normalize_invalid);
	tcase_add_test(norm, unicode_normalize_matches_quick_check);
	suite_add_tcase(s, norm);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_unicode_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
