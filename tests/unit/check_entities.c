/*
 * check_entities.c - unit tests for sach__entity_decode() and the generated
 * named-reference table.
 */
#include "entities.h"
#include "entities_table.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Decodes the NUL-terminated string s as a whole (len = strlen) and returns
 * the consumed length; cps/ncp are pre-filled with sentinels so a test can
 * tell whether the decoder wrote them.
 */
static size_t decode(const char *s, int allow_named, uint32_t cps[2], int *ncp)
{
	cps[0] = cps[1] = 0xDEADBEEF;
	*ncp = -1;
	return sach__entity_decode(s, strlen(s), allow_named, cps, ncp);
}

/* Asserts that s decodes to the single code point cp, consuming all of s. */
static void expect_one(const char *s, int allow_named, uint32_t cp)
{
	uint32_t cps[2];
	int ncp;
	size_t n = decode(s, allow_named, cps, &ncp);

	ck_assert_msg(n == strlen(s), "%s: consumed %zu, want %zu", s, n,
		      strlen(s));
	ck_assert_int_eq(ncp, 1);
	ck_assert_msg(cps[0] == cp, "%s: got U+%04X, want U+%04X", s,
		      (unsigned)cps[0], (unsigned)cp);
}

/* Asserts that s is rejected and the outputs are left untouched. */
static void expect_reject(const char *s, int allow_named)
{
	uint32_t cps[2];
	int ncp;
	size_t n = decode(s, allow_named, cps, &ncp);

	ck_assert_msg(n == 0, "%s: consumed %zu, want 0", s, n);
	ck_assert_int_eq(ncp, -1);
	ck_assert_uint_eq(cps[0], 0xDEADBEEF);
}

START_TEST(test_named_common)
{
	expect_one("&amp;", 1, 0x26);
	expect_one("&lt;", 1, 0x3C);
	expect_one("&gt;", 1, 0x3E);
	expect_one("&quot;", 1, 0x22);
	expect_one("&nbsp;", 1, 0xA0);
	expect_one("&agrave;", 1, 0xE0);
	expect_one("&ecirc;", 1, 0xEA);
	expect_one("&Ocirc;", 1, 0xD4);
	expect_one("&yacute;", 1, 0xFD);
	expect_one("&AMP;", 1, 0x26);
}
END_TEST

START_TEST(test_named_trailing_text)
{
	uint32_t cps[2];
	int ncp;
	const char *s = "&amp;copy=2";

	/* Only the reference itself is consumed. */
	ck_assert_uint_eq(sach__entity_decode(s, strlen(s), 1, cps, &ncp), 5);
	ck_assert_int_eq(ncp, 1);
	ck_assert_uint_eq(cps[0], 0x26);
}
END_TEST

START_TEST(test_named_two_code_points)
{
	uint32_t cps[2];
	int ncp;

	ck_assert_uint_eq(decode("&NotEqualTilde;", 1, cps, &ncp), 15);
	ck_assert_int_eq(ncp, 2);
	ck_assert_uint_eq(cps[0], 0x2242);
	ck_assert_uint_eq(cps[1], 0x0338);
}
END_TEST

START_TEST(test_named_reject)
{
	expect_reject("&nosuchentity;", 1);
	expect_reject("&Amp;", 1);		/* case-sensitive */
	expect_reject("&copy", 1);		/* no ';' */
	expect_reject("&copy=2", 1);
	expect_reject("&amp", 1);
	expect_reject("&;", 1);
	expect_reject("&", 1);
	expect_reject("", 1);
	expect_reject("& amp;", 1);
	expect_reject("&am-p;", 1);
	expect_reject("amp;", 1);
	/* Longer than any table name: rejected without a full scan. */
	expect_reject("&CounterClockwiseContourIntegralX;", 1);
	expect_reject("&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;", 1);
}
END_TEST

START_TEST(test_named_longest)
{
	expect_one("&CounterClockwiseContourIntegral;", 1, 0x2233);
}
END_TEST

START_TEST(test_named_disallowed)
{
	expect_reject("&amp;", 0);
	expect_reject("&nbsp;", 0);
	expect_one("&#38;", 0, 0x26);
	expect_one("&#x26;", 0, 0x26);
}
END_TEST

START_TEST(test_numeric_empty)
{
	expect_reject("&#;", 1);
	expect_reject("&#x;", 1);
	expect_reject("&#X;", 1);
	expect_reject("&#", 1);
	expect_reject("&#x", 1);
	expect_reject("&#-1;", 1);
	expect_reject("&#+1;", 1);
	expect_reject("&#xg;", 1);
	expect_reject("&# 65;", 1);
}
END_TEST

START_TEST(test_numeric_no_semicolon)
{
	expect_reject("&#7879", 1);
	expect_reject("&#x1EC7", 1);
	expect_reject("&#7879 ", 1);
	expect_reject("&#65a;", 1);	/* 'a' is not a decimal digit */
	expect_reject("&#x1EC7g;", 1);
}
END_TEST

START_TEST(test_numeric_basic)
{
	expect_one("&#7879;", 1, 0x1EC7);
	expect_one("&#x1EC7;", 1, 0x1EC7);
	expect_one("&#x1ec7;", 1, 0x1EC7);
	expect_one("&#X1EC7;", 1, 0x1EC7);
	expect_one("&#65;", 1, 0x41);
	expect_one("&#x41;", 1, 0x41);
	expect_one("&#x10FFFF;", 1, 0x10FFFF);
	expect_one("&#1114111;", 1, 0x10FFFF);
}
END_TEST

START_TEST(test_numeric_leading_zeros)
{
	expect_one("&#0007879;", 1, 0x1EC7);
	expect_one("&#x00000000000000001EC7;", 1, 0x1EC7);
	expect_one("&#000000000000000000000065;", 1, 0x41);
	/* Leading zeros do not count toward the digit limit. */
	expect_one("&#x000000000010FFFF;", 1, 0x10FFFF);
}
END_TEST

START_TEST(test_numeric_huge)
{
	expect_one("&#99999999999999999999;", 1, 0xFFFD);
	expect_one("&#xFFFFFFFFFFFFFFFFFFFFFFFF;", 1, 0xFFFD);
	/* Would wrap to a small value if the parser overflowed uint32_t. */
	expect_one("&#4294967361;", 1, 0xFFFD);		/* 2^32 + 65 */
	expect_one("&#x100000041;", 1, 0xFFFD);
	expect_one("&#x110000;", 1, 0xFFFD);
	expect_one("&#1114112;", 1, 0xFFFD);
	expect_one("&#xFFFFFFFF;", 1, 0xFFFD);		/* 8 digits, max */
	expect_one("&#99999999;", 1, 0xFFFD);
}
END_TEST

START_TEST(test_numeric_zero)
{
	expect_one("&#0;", 1, 0xFFFD);
	expect_one("&#x0;", 1, 0xFFFD);
	expect_one("&#00000000000000;", 1, 0xFFFD);
}
END_TEST

START_TEST(test_numeric_surrogate)
{
	expect_one("&#xD800;", 1, 0xFFFD);
	expect_one("&#xDBFF;", 1, 0xFFFD);
	expect_one("&#xDC00;", 1, 0xFFFD);
	expect_one("&#xDFFF;", 1, 0xFFFD);
	expect_one("&#55296;", 1, 0xFFFD);
	expect_one("&#xD7FF;", 1, 0xD7FF);
	expect_one("&#xE000;", 1, 0xE000);
}
END_TEST

START_TEST(test_numeric_cp1252)
{
	expect_one("&#x80;", 1, 0x20AC);
	expect_one("&#128;", 1, 0x20AC);
	expect_one("&#x81;", 1, 0x81);
	expect_one("&#x82;", 1, 0x201A);
	expect_one("&#x8D;", 1, 0x8D);
	expect_one("&#x8F;", 1, 0x8F);
	expect_one("&#x90;", 1, 0x90);
	expect_one("&#x93;", 1, 0x201C);
	expect_one("&#x9D;", 1, 0x9D);
	expect_one("&#x9F;", 1, 0x178);
	expect_one("&#x7F;", 1, 0x7F);
	expect_one("&#xA0;", 1, 0xA0);
}
END_TEST

START_TEST(test_numeric_passthrough)
{
	/* Controls and noncharacters are the caller's business. */
	expect_one("&#1;", 1, 0x01);
	expect_one("&#13;", 1, 0x0D);
	expect_one("&#xFFFE;", 1, 0xFFFE);
	expect_one("&#xFDD0;", 1, 0xFDD0);
	expect_one("&#x10FFFE;", 1, 0x10FFFE);
}
END_TEST

START_TEST(test_truncated)
{
	static const char *const refs[] = {
		"&amp;", "&NotEqualTilde;", "&#7879;", "&#x1EC7;",
		"&#99999999999999999999;", "&CounterClockwiseContourIntegral;",
	};
	size_t r, cut;

	for (r = 0; r < sizeof(refs) / sizeof(refs[0]); r++) {
		size_t full = strlen(refs[r]);

		/*
		 * Copy into an exactly sized heap block so ASan catches any
		 * read past len.
		 */
		for (cut = 0; cut < full; cut++) {
			char *buf = malloc(cut ? cut : 1);
			uint32_t cps[2];
			int ncp = -1;

			ck_assert_ptr_nonnull(buf);
			memcpy(buf, refs[r], cut);
			ck_assert_msg(sach__entity_decode(buf, cut, 1, cps,
							  &ncp) == 0,
				      "%s cut at %zu decoded", refs[r], cut);
			ck_assert_int_eq(ncp, -1);
			free(buf);
		}
	}
}
END_TEST

START_TEST(test_len_bounds_text)
{
	uint32_t cps[2];
	int ncp;

	/* A ';' just past len must not be seen. */
	ck_assert_uint_eq(sach__entity_decode("&amp;", 4, 1, cps, &ncp), 0);
	ck_assert_uint_eq(sach__entity_decode("&#65;", 4, 1, cps, &ncp), 0);
	ck_assert_uint_eq(sach__entity_decode("&amp;", 5, 1, cps, &ncp), 5);
}
END_TEST

START_TEST(test_table_sorted)
{
	size_t i;

	ck_assert_uint_eq(sizeof(sach__entities) / sizeof(sach__entities[0]),
			  SACH__ENTITY_COUNT);
	for (i = 0; i < SACH__ENTITY_COUNT; i++) {
		const struct sach__entity *e = &sach__entities[i];

		ck_assert_uint_eq(strlen(e->name), e->name_len);
		ck_assert_uint_le(e->name_len, SACH__ENTITY_NAME_MAX);
		ck_assert_uint_ne(e->cp[0], 0);
		if (i > 0)
			ck_assert_msg(strcmp(sach__entities[i - 1].name,
					     e->name) < 0,
				      "table not sorted at %zu (%s)", i,
				      e->name);
	}
}
END_TEST

START_TEST(test_table_round_trip)
{
	char ref[SACH__ENTITY_NAME_MAX + 3];
	size_t i;

	for (i = 0; i < SACH__ENTITY_COUNT; i++) {
		const struct sach__entity *e = &sach__entities[i];
		uint32_t cps[2];
		int ncp = -1;
		size_t n;

		snprintf(ref, sizeof(ref), "&%s;", e->name);
		n = sach__entity_decode(ref, strlen(ref), 1, cps, &ncp);
		ck_assert_msg(n == (size_t)e->name_len + 2, "%s: consumed %zu",
			      ref, n);
		ck_assert_int_eq(ncp, e->cp[1] ? 2 : 1);
		ck_assert_uint_eq(cps[0], e->cp[0]);
		if (ncp == 2)
			ck_assert_uint_eq(cps[1], e->cp[1]);
	}
}
END_TEST

Suite *sach_entities_suite(void)
{
	Suite *s = suite_create("entities");
	TCase *named = tcase_create("named");
	TCase *numeric = tcase_create("numeric");
	TCase *bounds = tcase_create("bounds");
	TCase *table = tcase_create("table");

	tcase_add_test(named, test_named_common);
	tcase_add_test(named, test_named_trailing_text);
	tcase_add_test(named, test_named_two_code_points);
	tcase_add_test(named, test_named_reject);
	tcase_add_test(named, test_named_longest);
	tcase_add_test(named, test_named_disallowed);
	suite_add_tcase(s, named);

	tcase_add_test(numeric, test_numeric_empty);
	tcase_add_test(numeric, test_numeric_no_semicolon);
	tcase_add_test(numeric, test_numeric_basic);
	tcase_add_test(numeric, test_numeric_leading_zeros);
	tcase_add_test(numeric, test_numeric_huge);
	tcase_add_test(numeric, test_numeric_zero);
	tcase_add_test(numeric, test_numeric_surrogate);
	tcase_add_test(numeric, test_numeric_cp1252);
	tcase_add_test(numeric, test_numeric_passthrough);
	suite_add_tcase(s, numeric);

	tcase_add_test(bounds, test_truncated);
	tcase_add_test(bounds, test_len_bounds_text);
	suite_add_tcase(s, bounds);

	tcase_add_test(table, test_table_sorted);
	tcase_add_test(table, test_table_round_trip);
	suite_add_tcase(s, table);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_entities_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
