/*
 * check_viet.c - unit tests for the viet module: syllable parser and
 * validity, tone placement, fold keys, skeletons and the pre-NFC repairs;
 * plus reference suites over shared/reference (VIETNAMESE.md 9) that run
 * when that directory is found (SACH_SHARED_REFERENCE, or ../shared/reference
 * from the project root) and are skipped with a note otherwise.
 *
 * Vietnamese strings are written as \x escapes; the trailing comments spell
 * them in VIQR (a` = a grave, a' = acute, a? = hook, a~ = tilde, a. = dot,
 * a^ = circumflex, a( = breve, o+ = horn, dd = d-stroke).
 */
#include "sach/viet.h"
#include "sach/error.h"
#include "viet_internal.h"
#include "viet_tables.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	ck_assert_ptr_nonnull(d);
	memcpy(d, s, n);
	return d;
}

static sach_syllable parse(const char *s, int *wf)
{
	sach_syllable y;

	*wf = sach_viet_parse(s, strlen(s), &y);
	return y;
}

static void expect_parts(const char *s, const char *onset, const char *medial,
			 const char *nucleus, const char *coda, sach_tone tone)
{
	int wf;
	sach_syllable y = parse(s, &wf);

	ck_assert_msg(wf == 1, "%s: not well-formed (%s)", s, y.problem);
	ck_assert_msg(y.flags & SACH_SYL_PARSED, "%s: not parsed", s);
	ck_assert_msg(!strcmp(y.onset, onset), "%s: onset '%s', want '%s'", s, y.onset, onset);
	ck_assert_msg(!strcmp(y.medial, medial), "%s: medial '%s', want '%s'", s, y.medial, medial);
	ck_assert_msg(!strcmp(y.nucleus, nucleus), "%s: nucleus '%s', want '%s'", s, y.nucleus, nucleus);
	ck_assert_msg(!strcmp(y.coda, coda), "%s: coda '%s', want '%s'", s, y.coda, coda);
	ck_assert_msg(y.tone == tone, "%s: tone %s, want %s", s,
		      sach_tone_name(y.tone), sach_tone_name(tone));
	ck_assert_str_eq(y.problem, "");
}

static void expect_good(const char *s)
{
	int wf;
	sach_syllable y = parse(s, &wf);

	ck_assert_msg(wf == 1 && (y.flags & SACH_SYL_WELL_FORMED),
		      "%s: rejected (%s)", s, y.problem);
}

/* Rejected; `why` is a substring of the problem, or NULL for any. */
static void expect_bad(const char *s, const char *why)
{
	int wf;
	sach_syllable y = parse(s, &wf);

	ck_assert_msg(wf == 0 && !(y.flags & SACH_SYL_WELL_FORMED),
		      "%s: accepted, want rejected", s);
	ck_assert_msg(y.problem && y.problem[0], "%s: empty problem", s);
	if (why)
		ck_assert_msg(strstr(y.problem, why) != NULL,
			      "%s: problem '%s', want '%s'", s, y.problem, why);
}

static void expect_whitelisted(const char *s)
{
	int wf;
	sach_syllable y = parse(s, &wf);

	ck_assert_msg(wf == 1, "%s: rejected (%s)", s, y.problem);
	ck_assert_msg(y.flags & SACH_SYL_WHITELISTED, "%s: not via whitelist", s);
}

static void expect_retone(const char *in, sach_tone_style style,
			  const char *want)
{
	sach_buf b = { 0 };
	int changed = -1;

	ck_assert_int_eq(sach_viet_retone(in, strlen(in), style, &b, &changed), 0);
	ck_assert_msg(b.len == strlen(want) && !memcmp(b.ptr, want, b.len),
		      "retone(%s, %d) = '%s', want '%s'", in, (int)style,
		      b.ptr ? b.ptr : "", want);
	ck_assert_int_eq(changed, strcmp(in, want) != 0);
	sach_buf_free(&b);
}

/* Retone under all three styles to the same result. */
static void expect_retone_all(const char *in, const char *want)
{
	expect_retone(in, SACH_TONE_STYLE_KEEP, want);
	expect_retone(in, SACH_TONE_STYLE_OLD, want);
	expect_retone(in, SACH_TONE_STYLE_NEW, want);
}

typedef int (*text_fn)(const char *, size_t, sach_buf *);

static void expect_fn(text_fn fn, const char *name, const char *in,
		      const char *want)
{
	sach_buf b = { 0 };

	ck_assert_int_eq(fn(in, strlen(in), &b), 0);
	ck_assert_msg(b.len == strlen(want) && !memcmp(b.ptr, want, b.len),
		      "%s(%s) = '%s', want '%s'", name, in, b.ptr ? b.ptr : "", want);
	sach_buf_free(&b);
}

#define expect_skeleton(in, want) expect_fn(sach_viet_skeleton, "skeleton", in, want)

static char *fold(const char *in)
{
	sach_buf b = { 0 };
	char *r;

	ck_assert_int_eq(sach_viet_fold_key(in, strlen(in), &b), 0);
	r = dupstr(b.ptr ? b.ptr : "");
	sach_buf_free(&b);
	return r;
}

static void expect_fold_eq(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b);

	ck_assert_msg(!strcmp(fa, fb), "fold(%s) = '%s' != fold(%s) = '%s'", a, fa, b, fb);
	free(fa);
	free(fb);
}

static void expect_fold_ne(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b);

	ck_assert_msg(strcmp(fa, fb) != 0, "fold(%s) == fold(%s) = '%s'", a, b, fa);
	free(fa);
	free(fb);
}

static void expect_repair(const char *in, const char *want, size_t repairs)
{
	sach_buf b = { 0 };
	size_t n = 0;

	ck_assert_int_eq(sach_viet_repair_marks(in, strlen(in), &b, &n), 0);
	ck_assert_msg(b.len == strlen(want) && !memcmp(b.ptr, want, b.len),
		      "repair(%s) = '%s', want '%s'", in, b.ptr ? b.ptr : "", want);
	ck_assert_msg(n == repairs, "repair(%s): %zu repairs, want %zu", in, n, repairs);
	sach_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* parser                                                              */

START_TEST(test_parse_table_3_6)
{
	expect_parts("ho\xc3\xa0", "h", "o", "a", "", SACH_TONE_GRAVE);  /* hoa` */
	expect_parts("thu\xe1\xbb\xb7", "th", "u", "y", "", SACH_TONE_HOOK);  /* thuy? */
	expect_parts("qu\xc3\xbd", "qu", "", "y", "", SACH_TONE_ACUTE);  /* quy' */
	expect_parts("gi\xe1\xbb\xaf", "gi", "", "\xc6\xb0", "", SACH_TONE_TILDE);  /* giu+~ | u+ */
	expect_parts("g\xc3\xacn", "gi", "", "i", "n", SACH_TONE_GRAVE);  /* gi`n */
	expect_parts("khuya", "kh", "u", "ya", "", SACH_TONE_LEVEL);
	expect_parts("chuy\xe1\xbb\x87n", "ch", "u", "y\xc3\xaa", "n", SACH_TONE_DOT);  /* chuye^.n | ye^ */
	expect_parts("ng\xc6\xb0\xe1\xbb\x9di", "ng", "", "\xc6\xb0\xc6\xa1i", "", SACH_TONE_GRAVE);  /* ngu+o+`i | u+o+i */
	expect_parts("c\xe1\xbb\xa7" "a", "c", "", "ua", "", SACH_TONE_HOOK);  /* cu?a */
	expect_parts("qu\xe1\xba\xa3", "qu", "", "a", "", SACH_TONE_HOOK);  /* qua? */
	expect_parts("xo\xc3\xa1y", "x", "o", "ay", "", SACH_TONE_ACUTE);  /* xoa'y */
	expect_parts("ngh\xc4\xa9" "a", "ngh", "", "ia", "", SACH_TONE_TILDE);  /* nghi~a */
	expect_parts("\xc4\x91\xc6\xb0\xe1\xbb\x9dng", "\xc4\x91", "", "\xc6\xb0\xc6\xa1", "ng", SACH_TONE_GRAVE);  /* ddu+o+`ng | dd | u+o+ */
	expect_parts("\xc4\x83n", "", "", "\xc4\x83", "n", SACH_TONE_LEVEL);  /* a(n | a( */
	expect_parts("u\xe1\xbb\x91ng", "", "", "u\xc3\xb4", "ng", SACH_TONE_ACUTE);  /* uo^'ng | uo^ */
	expect_parts("y\xc3\xaau", "", "", "y\xc3\xaau", "", SACH_TONE_LEVEL);  /* ye^u | ye^u */
	expect_parts("khu\xe1\xba\xbf" "ch", "kh", "u", "\xc3\xaa", "ch", SACH_TONE_ACUTE);  /* khue^'ch | e^ */
	expect_parts("ngo\xe1\xba\xb7t", "ng", "o", "\xc4\x83", "t", SACH_TONE_DOT);  /* ngoa(.t | a( */
	expect_parts("hu\xc3\xa2n", "h", "u", "\xc3\xa2", "n", SACH_TONE_LEVEL);  /* hua^n | a^ */
	expect_parts("boong", "b", "", "oo", "ng", SACH_TONE_LEVEL);
	expect_parts("thu\xe1\xbb\x9f", "th", "u", "\xc6\xa1", "", SACH_TONE_HOOK);  /* thuo+? | o+ */
}
END_TEST

START_TEST(test_parse_gi_qu)
{
	expect_parts("g\xc3\xac", "gi", "", "i", "", SACH_TONE_GRAVE);  /* gi` */
	expect_parts("gi", "gi", "", "i", "", SACH_TONE_LEVEL);
	expect_parts("gi\xc3\xa0", "gi", "", "a", "", SACH_TONE_GRAVE);  /* gia` */
	expect_parts("gi\xe1\xba\xbfng", "gi", "", "i\xc3\xaa", "ng", SACH_TONE_ACUTE);  /* gie^'ng | ie^ */
	expect_parts("gi\xe1\xba\xbft", "gi", "", "i\xc3\xaa", "t", SACH_TONE_ACUTE);  /* gie^'t | ie^ */
	expect_parts("gi\xe1\xbb\x9d", "gi", "", "\xc6\xa1", "", SACH_TONE_GRAVE);  /* gio+` | o+ */
	expect_parts("gi\xe1\xbb\xaf" "a", "gi", "", "\xc6\xb0" "a", "", SACH_TONE_TILDE);  /* giu+~a | u+a */
	expect_parts("gi\xc3\xbap", "gi", "", "u", "p", SACH_TONE_ACUTE);  /* giu'p */
	expect_parts("qu\xe1\xbb\x91" "c", "qu", "", "\xc3\xb4", "c", SACH_TONE_ACUTE);  /* quo^'c | o^ */
	expect_parts("quy\xe1\xbb\x83n", "qu", "", "y\xc3\xaa", "n", SACH_TONE_HOOK);  /* quye^?n | ye^ */
	expect_parts("qu\xe1\xbb\xb3nh", "qu", "", "y", "nh", SACH_TONE_GRAVE);  /* quy`nh */
	expect_parts("quyn", "qu", "", "y", "n", SACH_TONE_LEVEL);
	expect_parts("qu\xc6\xa1", "qu", "", "\xc6\xa1", "", SACH_TONE_LEVEL);  /* quo+ | o+ */
	expect_parts("QU\xc3\x9d", "qu", "", "y", "", SACH_TONE_ACUTE);  /* QUY' */
	expect_bad("gii", "gi never precedes i");
	expect_bad("quu", "qu never before o or u");
	expect_bad("quo", "qu never before o or u");
	expect_bad("qa", "q without u");
	expect_bad("qu", "no vowel");
}
END_TEST

START_TEST(test_parse_spelling_rules)
{
	/* k, gh, ngh only before front vowels; c, g, ng never before them */
	expect_good("k\xc3\xaa");  /* ke^ */
	expect_good("k\xe1\xbb\xb9");  /* ky~ */
	expect_good("ghi");
	expect_good("nghi\xc3\xaang");  /* nghie^ng */
	expect_good("c\xc3\xa1");  /* ca' */
	expect_good("g\xc3\xa0");  /* ga` */
	expect_good("ng\xe1\xbb\xa7");  /* ngu? */
	expect_bad("kam", "k, gh, ngh only before");
	expect_bad("gha", "k, gh, ngh only before");
	expect_bad("nghu", "k, gh, ngh only before");
	expect_bad("ngh\xc3\xa0nh", "k, gh, ngh only before");  /* ngha`nh */
	expect_bad("c\xe1\xba\xbf", "c, g, ng never before");  /* ce^' */
	expect_bad("ge", "c, g, ng never before");
	expect_bad("ng\xc3\xac", "c, g, ng never before");  /* ngi` */
	expect_bad("cim", "c, g, ng never before");
	/* c, ch, p, t codas take only sac or nang */
	expect_good("c\xc3\xa1" "c");  /* ca'c */
	expect_good("s\xe1\xba\xa1" "ch");  /* sa.ch */
	expect_good("t\xe1\xba\xa5p");  /* ta^'p */
	expect_good("m\xe1\xbb\x99t");  /* mo^.t */
	expect_bad("c\xc3\xa0" "c", "c, ch, p, t codas take only");  /* ca`c */
	expect_bad("s\xc3\xa3" "ch", "c, ch, p, t codas take only");  /* sa~ch */
	expect_bad("t\xe1\xbb\x95p", "c, ch, p, t codas take only");  /* to^?p */
	expect_bad("bat", "c, ch, p, t codas take only");
	expect_good("b\xc3\xa0n");  /* ba`n */
	expect_good("s\xe1\xbb\x91ng");  /* so^'ng */
	/* vowels that need a coda */
	expect_bad("m\xc4\x83", "needs a coda");  /* ma( */
	expect_bad("t\xc3\xa2", "needs a coda");  /* ta^ */
	expect_bad("bi\xc3\xaa", "needs a coda");  /* bie^ */
	expect_bad("thu\xc3\xb4", "needs a coda");  /* thuo^ */
	expect_bad("m\xc6\xb0\xc6\xa1", "needs a coda");  /* mu+o+ */
	expect_bad("khuy\xc3\xaa", "needs a coda");  /* khuye^ */
	expect_bad("xoo", "needs a coda");
	expect_good("m\xe1\xba\xaft");  /* ma('t */
	expect_good("bi\xe1\xbb\x83n");  /* bie^?n */
	/* nucleus + coda pairs */
	expect_bad("\xe1\xbb\x9b" "c", "coda not allowed");  /* o+'c */
	expect_bad("h\xc3\xaang", "coda not allowed");  /* he^ng */
	expect_bad("lyn", "coda not allowed");
	expect_bad("aim", "coda not allowed");
	expect_bad("khoec", "coda not allowed");
	expect_good("ho\xe1\xba\xa1" "ch");  /* hoa.ch */
	expect_good("kho\xc3\xa9t");  /* khoe't */
	expect_good("tu\xc3\xbdp");  /* tuy'p */
	/* no medial o/u after labials */
	expect_bad("boan", "labial");
	expect_bad("vuy", "labial");
	expect_bad("moe", "labial");
	expect_good("mua");
	expect_good("mu\xe1\xbb\x91i");  /* muo^'i */
	/* structure */
	expect_bad("blu", "onset");
	expect_bad("fa", "onset");
	expect_bad("heu", "vowel sequence");
	expect_bad("hoaii", "too many vowels");
	expect_bad("tranhs", "coda");
	expect_bad("ship", "onset");
	expect_good("the");
}
END_TEST

START_TEST(test_parse_not_tokens)
{
	int wf;
	sach_syllable y;

	expect_bad("", NULL);
	expect_bad("school", NULL);
	expect_bad("hoa binh", "not one letter token");
	expect_bad("M\xc3\xbcller", "not Vietnamese");  /* MU+00FCller */
	expect_bad("xin-ch\xc3\xa0o", "not one letter token");  /* xin-cha`o */
	expect_bad("1a", "not one letter token");
	expect_bad("nghi\xc3\xaangnghi\xc3\xaang", "too long");  /* nghie^ngnghie^ng */
	y = parse("M\xc3\xbcller", &wf);  /* MU+00FCller */
	ck_assert(y.flags & SACH_SYL_FOREIGN);
	ck_assert_int_eq(sach_viet_parse(NULL, 0, &y), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_parse("a", 1, NULL), SACH_EINVAL);
	/* invalid UTF-8 is not a letter token, and not an error */
	ck_assert_int_eq(sach_viet_parse("a\xff", 2, &y), 0);
}
END_TEST

START_TEST(test_parse_marks)
{
	int wf;
	sach_syllable y;

	/* misplaced: well-formed, flagged, positions reported */
	y = parse("ba\xc3\xac", &wf);  /* bai` */
	ck_assert_int_eq(wf, 1);
	ck_assert(y.flags & SACH_SYL_MISPLACED);
	ck_assert_int_eq(y.tone_at, 2);
	ck_assert_int_eq(y.tone_old, 1);
	ck_assert_int_eq(y.tone_new, 1);
	/* doubled */
	y = parse("d\xc3\xa0\xc3\xac", &wf);  /* da`i` */
	ck_assert_int_eq(wf, 1);
	ck_assert(y.flags & SACH_SYL_DOUBLED);
	ck_assert(y.tone == SACH_TONE_GRAVE);
	/* two different marks */
	y = parse("d\xc3\xa0\xc3\xad", &wf);  /* da`i' */
	ck_assert_int_eq(wf, 0);
	ck_assert(y.flags & SACH_SYL_CONFLICT);
	/* styles */
	y = parse("h\xc3\xb2" "a", &wf);  /* ho`a */
	ck_assert(y.flags & SACH_SYL_OLD_STYLE);
	ck_assert(!(y.flags & (SACH_SYL_NEW_STYLE | SACH_SYL_MISPLACED)));
	y = parse("ho\xc3\xa0", &wf);  /* hoa` */
	ck_assert(y.flags & SACH_SYL_NEW_STYLE);
	ck_assert_int_eq(y.tone_old, 1);
	ck_assert_int_eq(y.tone_new, 2);
	y = parse("ho\xc3\xa0n", &wf);  /* hoa`n */
	ck_assert(!(y.flags & (SACH_SYL_NEW_STYLE | SACH_SYL_OLD_STYLE | SACH_SYL_MISPLACED)));
	y = parse("h\xc3\xb2" "an", &wf);  /* ho`an */
	ck_assert(y.flags & SACH_SYL_MISPLACED);
	y = parse("hoa", &wf);
	ck_assert(!(y.flags & SACH_SYL_DIACRITIC));
	ck_assert_int_eq(y.tone_at, -1);
	y = parse("ho\xc3\xa1", &wf);  /* hoa' */
	ck_assert(y.flags & SACH_SYL_DIACRITIC);
	ck_assert_str_eq(sach_tone_name(SACH_TONE_DOT), "dot");
	ck_assert_str_eq(sach_tone_name((sach_tone)9), "?");
}
END_TEST

START_TEST(test_parse_case)
{
	int wf;

	ck_assert_int_eq(parse("h\xc3\xb2" "a", &wf).letter_case, SACH_CASE_LOWER);  /* ho`a */
	ck_assert_int_eq(parse("H\xc3\xb2" "a", &wf).letter_case, SACH_CASE_TITLE);  /* Ho`a */
	ck_assert_int_eq(parse("H\xc3\x92" "A", &wf).letter_case, SACH_CASE_UPPER);  /* HO`A */
	ck_assert_int_eq(parse("h\xc3\x92" "a", &wf).letter_case, SACH_CASE_MIXED);  /* hO`a */
	ck_assert_int_eq(parse("\xe1\xbb\x9e", &wf).letter_case, SACH_CASE_TITLE);  /* O+? */
	ck_assert_int_eq(parse("\xc4\x90\xc6\xaf\xe1\xbb\x9cNG", &wf).letter_case, SACH_CASE_UPPER);  /* DDU+O+`NG */
	ck_assert_int_eq(parse("H\xc3\x92" "A", &wf).tone, SACH_TONE_GRAVE);  /* HO`A */
	ck_assert_int_eq(wf, 1);
}
END_TEST

START_TEST(test_parse_whitelist)
{
	expect_whitelisted("\xc4\x91\xe1\xba\xafk");  /* dda('k */
	expect_whitelisted("\xc4\x90\xe1\xba\xafk");  /* DDa('k */
	expect_whitelisted("L\xe1\xba\xaeK");  /* LA('K */
	expect_whitelisted("Kr\xc3\xb4ng");  /* Kro^ng */
	expect_whitelisted("H'M\xc3\xb4ng");  /* H'Mo^ng */
	expect_whitelisted("H\xe2\x80\x99M\xc3\xb4ng");  /* HU+2019Mo^ng */
	expect_whitelisted("bu\xc3\xbdt");  /* buy't */
	expect_whitelisted("phuy");
	expect_whitelisted("Pleiku");
	expect_whitelisted("ka");
	/* well-formed by the rules: no whitelist needed */
	expect_good("boong");
	expect_good("xoong");
	expect_good("so\xc3\xb3" "c");  /* soo'c */
	expect_good("Tum");
	expect_whitelisted("Kon");
	/* the whitelist matches the written form exactly */
	expect_bad("\xc4\x91\xe1\xba\xb1k", NULL);  /* dda(`k */
	expect_bad("kr\xe1\xbb\x91ng", NULL);  /* kro^'ng */
}
END_TEST

START_TEST(test_whitelist_table_sorted)
{
	size_t i;

	for (i = 1; i < SACH__VIET_WHITELIST_COUNT; i++)
		ck_assert_msg(strcmp(sach__viet_whitelist[i - 1], sach__viet_whitelist[i]) < 0,
			      "whitelist not sorted at %zu", i);
	for (i = 0; i < SACH__VIET_WHITELIST_COUNT; i++)
		expect_good(sach__viet_whitelist[i]);
	ck_assert_int_eq(sach__viet_check_tables(), 0);
	/* the letter tables are exercised through the API; keep them used */
	ck_assert_uint_eq(sach__viet_info_lo[0], 0x91);
	ck_assert_uint_eq(sach__viet_info_hi[0], 0xD1);
	ck_assert_uint_eq(sach__viet_compose[1][1][0], 0xE0);
	ck_assert_uint_eq(sach__viet_cls['a'] & 0xFF, 0x01);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tone placement                                                      */

START_TEST(test_retone_styles)
{
	static const char *const pairs[][2] = {
		{ "h\xc3\xb2" "a", "ho\xc3\xa0" }, { "th\xe1\xbb\xa7y", "thu\xe1\xbb\xb7" }, { "kh\xe1\xbb\x8f" "e", "kho\xe1\xba\xbb" },  /* ho`a | hoa` | thu?y | thuy? | kho?e | khoe? */
		{ "\xe1\xbb\xa7y", "u\xe1\xbb\xb7" }, { "x\xc3\xb2" "e", "xo\xc3\xa8" }, { "\xc4\x91\xe1\xbb\x8d" "a", "\xc4\x91o\xe1\xba\xa1" },  /* u?y | uy? | xo`e | xoe` | ddo.a | ddoa. */
		{ "H\xc3\xb2" "a", "Ho\xc3\xa0" }, { "H\xc3\x92" "A", "HO\xc3\x80" }, { "Th\xe1\xbb\xa7y", "Thu\xe1\xbb\xb7" },  /* Ho`a | Hoa` | HO`A | HOA` | Thu?y | Thuy? */
		{ "TH\xe1\xbb\xa6Y", "THU\xe1\xbb\xb6" }, { "KH\xe1\xbb\x8e" "E", "KHO\xe1\xba\xba" }, { "\xe1\xbb\xa6y", "U\xe1\xbb\xb7" },  /* THU?Y | THUY? | KHO?E | KHOE? | U?y | Uy? */
		{ "\xc3\x92" "A", "O\xc3\x80" }, { "\xc3\x93" "e", "O\xc3\xa9" },  /* O`A | OA` | O'e | Oe' */
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		expect_retone(pairs[i][0], SACH_TONE_STYLE_NEW, pairs[i][1]);
		expect_retone(pairs[i][1], SACH_TONE_STYLE_OLD, pairs[i][0]);
		expect_retone(pairs[i][0], SACH_TONE_STYLE_OLD, pairs[i][0]);
		expect_retone(pairs[i][1], SACH_TONE_STYLE_NEW, pairs[i][1]);
		expect_retone(pairs[i][0], SACH_TONE_STYLE_KEEP, pairs[i][0]);
		expect_retone(pairs[i][1], SACH_TONE_STYLE_KEEP, pairs[i][1]);
	}
	/* mixed case: each position keeps its case */
	expect_retone("hO\xc3\xa0", SACH_TONE_STYLE_OLD, "h\xc3\x92" "a");  /* hOa` | hO`a */
	expect_retone("hO\xc3\xa0", SACH_TONE_STYLE_KEEP, "hO\xc3\xa0");  /* hOa` | hOa` */
	expect_retone("Ho\xc3\x80", SACH_TONE_STYLE_OLD, "H\xc3\xb2" "A");  /* HoA` | Ho`A */
	/* closed syllables and qu/gi onsets are the same in both styles */
	expect_retone_all("ho\xc3\xa0n", "ho\xc3\xa0n");  /* hoa`n | hoa`n */
	expect_retone_all("to\xc3\xa1n", "to\xc3\xa1n");  /* toa'n | toa'n */
	expect_retone_all("hu\xc3\xbdt", "hu\xc3\xbdt");  /* huy't | huy't */
	expect_retone_all("qu\xc3\xbd", "qu\xc3\xbd");  /* quy' | quy' */
	expect_retone_all("qu\xe1\xba\xa3", "qu\xe1\xba\xa3");  /* qua? | qua? */
	expect_retone_all("gi\xe1\xbb\xaf", "gi\xe1\xbb\xaf");  /* giu+~ | giu+~ */
	expect_retone_all("g\xc3\xacn", "g\xc3\xacn");  /* gi`n | gi`n */
	expect_retone_all("khuya", "khuya");
	expect_retone_all("ngo\xe1\xba\xb1n", "ngo\xe1\xba\xb1n");  /* ngoa(`n | ngoa(`n */
	expect_retone_all("ngo\xc3\xa0i", "ngo\xc3\xa0i");  /* ngoa`i | ngoa`i */
	expect_retone_all("khu\xe1\xbb\xb7u", "khu\xe1\xbb\xb7u");  /* khuy?u | khuy?u */
	expect_retone_all("c\xe1\xbb\xa7" "a", "c\xe1\xbb\xa7" "a");  /* cu?a | cu?a */
	expect_retone_all("m\xc3\xad" "a", "m\xc3\xad" "a");  /* mi'a | mi'a */
	expect_retone_all("ng\xc6\xb0\xe1\xbb\x9di", "ng\xc6\xb0\xe1\xbb\x9di");  /* ngu+o+`i | ngu+o+`i */
	expect_retone_all("hoa", "hoa");
	/* i and y are never exchanged */
	expect_retone_all("l\xc3\xbd", "l\xc3\xbd");  /* ly' | ly' */
	expect_retone_all("l\xc3\xad", "l\xc3\xad");  /* li' | li' */
	expect_retone_all("k\xe1\xbb\xb9", "k\xe1\xbb\xb9");  /* ky~ | ky~ */
	expect_retone_all("k\xc4\xa9", "k\xc4\xa9");  /* ki~ | ki~ */
	expect_retone("th\xc3\xbay", SACH_TONE_STYLE_NEW, "thu\xc3\xbd");  /* thu'y | thuy' */
	expect_retone("thu\xc3\xbd", SACH_TONE_STYLE_OLD, "th\xc3\xbay");  /* thuy' | thu'y */
}
END_TEST

START_TEST(test_retone_misplaced_doubled)
{
	expect_retone_all("ba\xc3\xac", "b\xc3\xa0i");  /* bai` | ba`i */
	expect_retone_all("l\xe1\xbb\xb1\xc6\xa1ng", "l\xc6\xb0\xe1\xbb\xa3ng");  /* lu+.o+ng | lu+o+.ng */
	expect_retone_all("ngh\xe1\xbb\x8b\xc3\xaam", "nghi\xe1\xbb\x87m");  /* nghi.e^m | nghie^.m */
	expect_retone_all("q\xc5\xa9y", "qu\xe1\xbb\xb9");  /* qu~y | quy~ */
	expect_retone_all("q\xc3\xba" "a", "qu\xc3\xa1");  /* qu'a | qua' */
	expect_retone_all("g\xc3\xac" "a", "gi\xc3\xa0");  /* gi`a | gia` */
	expect_retone_all("\xc4\x91" "a\xe1\xbb\x8b", "\xc4\x91\xe1\xba\xa1i");  /* ddai. | dda.i */
	expect_retone_all("nghi\xc3\xa3", "ngh\xc4\xa9" "a");  /* nghia~ | nghi~a */
	expect_retone_all("ba\xe1\xbb\x8f", "b\xe1\xba\xa3o");  /* bao? | ba?o */
	expect_retone_all("h\xc3\xb2" "an", "ho\xc3\xa0n");  /* ho`an | hoa`n */
	expect_retone_all("ng\xc3\xb2" "ai", "ngo\xc3\xa0i");  /* ngo`ai | ngoa`i */
	expect_retone_all("BA\xc3\x8c", "B\xc3\x80I");  /* BAI` | BA`I */
	expect_retone_all("Ba\xc3\xac", "B\xc3\xa0i");  /* Bai` | Ba`i */
	expect_retone_all("L\xe1\xbb\xb0\xc6\xa0NG", "L\xc6\xaf\xe1\xbb\xa2NG");  /* LU+.O+NG | LU+O+.NG */
	/* doubled marks */
	expect_retone_all("d\xc3\xa0\xc3\xac", "d\xc3\xa0i");  /* da`i` | da`i */
	expect_retone_all("kh\xc3\xa1\xc3\xad", "kh\xc3\xa1i");  /* kha'i' | kha'i */
	expect_retone_all("t\xe1\xba\xa1\xe1\xbb\x8b", "t\xe1\xba\xa1i");  /* ta.i. | ta.i */
	expect_retone_all("n\xe1\xbb\xa9\xe1\xbb\x9b" "c", "n\xc6\xb0\xe1\xbb\x9b" "c");  /* nu+'o+'c | nu+o+'c */
	expect_retone_all("D\xc3\x80\xc3\x8c", "D\xc3\x80I");  /* DA`I` | DA`I */
	/* doubled in oa: KEEP keeps the first accepted place */
	expect_retone("h\xc3\xb2\xc3\xa0", SACH_TONE_STYLE_KEEP, "h\xc3\xb2" "a");  /* ho`a` | ho`a */
	expect_retone("h\xc3\xb2\xc3\xa0", SACH_TONE_STYLE_NEW, "ho\xc3\xa0");  /* ho`a` | hoa` */
	/* two different marks, malformed, foreign, whitelisted: unchanged */
	expect_retone_all("d\xc3\xa0\xc3\xad", "d\xc3\xa0\xc3\xad");  /* da`i' | da`i' */
	expect_retone_all("c\xc3\xa0" "c", "c\xc3\xa0" "c");  /* ca`c | ca`c */
	expect_retone_all("hello", "hello");
	expect_retone_all("M\xc3\xbcller", "M\xc3\xbcller");  /* MU+00FCller | MU+00FCller */
	expect_retone_all("caf\xc3\xa9", "caf\xc3\xa9");  /* cafe' | cafe' */
	expect_retone_all("\xc4\x90\xe1\xba\xafk", "\xc4\x90\xe1\xba\xafk");  /* DDa('k | DDa('k */
	expect_retone_all("ho\xc3\xa0 b\xc3\xacnh", "ho\xc3\xa0 b\xc3\xacnh");  /* hoa` bi`nh | hoa` bi`nh */
	expect_retone_all("", "");
}
END_TEST

START_TEST(test_retone_errors)
{
	sach_buf b = { 0 };
	int changed;

	ck_assert_int_eq(sach_viet_retone(NULL, 0, SACH_TONE_STYLE_OLD, &b, &changed), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_retone("a", 1, SACH_TONE_STYLE_OLD, NULL, &changed), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_retone("a", 1, (sach_tone_style)7, &b, &changed), SACH_EINVAL);
	ck_assert_int_eq(sach_error_last_code(), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_retone_text("a", 1, (sach_tone_style)7, &b, NULL), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_retone_text(NULL, 1, SACH_TONE_STYLE_OLD, &b, NULL), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_fold_key("a", 1, NULL), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_skeleton(NULL, 2, &b), SACH_EINVAL);
	ck_assert_int_eq(sach_viet_repair_marks(NULL, 2, &b, NULL), SACH_EINVAL);
	/* appends */
	ck_assert_int_eq(sach_viet_retone("ho\xc3\xa0", strlen("ho\xc3\xa0"), SACH_TONE_STYLE_OLD, &b, NULL), 0);  /* hoa` | hoa` */
	ck_assert_int_eq(sach_viet_retone("ba\xc3\xac", strlen("ba\xc3\xac"), SACH_TONE_STYLE_OLD, &b, NULL), 0);  /* bai` | bai` */
	ck_assert_str_eq(b.ptr, "h\xc3\xb2" "ab\xc3\xa0i");  /* ho`aba`i */
	sach_buf_free(&b);
}
END_TEST

START_TEST(test_retone_text)
{
	const char *in = "\xc4\x90\xe1\xba\xa3m ba\xe1\xbb\x8f ch\xe1\xba\xa5t l\xe1\xbb\xb1\xc6\xa1ng ph\xc3\xb2ng th\xc3\xad ngh\xe1\xbb\x8b\xc3\xaam ho\xc3\xa1 h\xe1\xbb\x8d" "c, "  /* DDa?m bao? cha^'t lu+.o+ng pho`ng thi' nghi.e^m hoa' ho.c,  */
			 "H'M\xc3\xb4ng \xe1\xbb\x9f \xc4\x90\xe1\xba\xafk L\xe1\xba\xafk; d\xc3\xa0\xc3\xad \xff M\xc3\xbcller 2024 ho\xc3\xa0-b\xc3\xacnh!";  /* H'Mo^ng o+? DDa('k La('k; da`i' \xff MU+00FCller 2024 hoa`-bi`nh! */
	const char *old = "\xc4\x90\xe1\xba\xa3m b\xe1\xba\xa3o ch\xe1\xba\xa5t l\xc6\xb0\xe1\xbb\xa3ng ph\xc3\xb2ng th\xc3\xad nghi\xe1\xbb\x87m h\xc3\xb3" "a h\xe1\xbb\x8d" "c, "  /* DDa?m ba?o cha^'t lu+o+.ng pho`ng thi' nghie^.m ho'a ho.c,  */
			  "H'M\xc3\xb4ng \xe1\xbb\x9f \xc4\x90\xe1\xba\xafk L\xe1\xba\xafk; d\xc3\xa0\xc3\xad \xff M\xc3\xbcller 2024 h\xc3\xb2" "a-b\xc3\xacnh!";  /* H'Mo^ng o+? DDa('k La('k; da`i' \xff MU+00FCller 2024 ho`a-bi`nh! */
	const char *neu = "\xc4\x90\xe1\xba\xa3m b\xe1\xba\xa3o ch\xe1\xba\xa5t l\xc6\xb0\xe1\xbb\xa3ng ph\xc3\xb2ng th\xc3\xad nghi\xe1\xbb\x87m ho\xc3\xa1 h\xe1\xbb\x8d" "c, "  /* DDa?m ba?o cha^'t lu+o+.ng pho`ng thi' nghie^.m hoa' ho.c,  */
			  "H'M\xc3\xb4ng \xe1\xbb\x9f \xc4\x90\xe1\xba\xafk L\xe1\xba\xafk; d\xc3\xa0\xc3\xad \xff M\xc3\xbcller 2024 ho\xc3\xa0-b\xc3\xacnh!";  /* H'Mo^ng o+? DDa('k La('k; da`i' \xff MU+00FCller 2024 hoa`-bi`nh! */
	sach_buf b = { 0 };
	sach_viet_counts c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(sach_viet_retone_text(in, strlen(in), SACH_TONE_STYLE_OLD, &b, &c), 0);
	ck_assert_str_eq(b.ptr, old);
	/* Dam bao chat luong phong thi nghiem hoa hoc H'Mong o Dak Lak dai
	 * Muller hoa binh */
	ck_assert_uint_eq(c.syllables, 17);
	ck_assert_uint_eq(c.well_formed, 15);
	ck_assert_uint_eq(c.whitelisted, 3);
	ck_assert_uint_eq(c.diacritics, 16);
	ck_assert_uint_eq(c.old_style, 0);
	ck_assert_uint_eq(c.new_style, 2);
	ck_assert_uint_eq(c.misplaced, 3);
	ck_assert_uint_eq(c.ambiguous, 1);
	ck_assert_uint_eq(c.retoned, 5);
	sach_buf_clear(&b);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(sach_viet_retone_text(in, strlen(in), SACH_TONE_STYLE_NEW, &b, &c), 0);
	ck_assert_str_eq(b.ptr, neu);
	ck_assert_uint_eq(c.retoned, 3);
	sach_buf_clear(&b);
	ck_assert_int_eq(sach_viet_retone_text(in, strlen(in), SACH_TONE_STYLE_KEEP, &b, NULL), 0);
	ck_assert_str_eq(b.ptr, neu);
	/* NUL bytes and empty input */
	sach_buf_clear(&b);
	ck_assert_int_eq(sach_viet_retone_text("ho\0\xc3\xa0", 5, SACH_TONE_STYLE_OLD, &b, NULL), 0);  /* ho\0a` */
	ck_assert_uint_eq(b.len, 5);
	ck_assert(!memcmp(b.ptr, "ho\0\xc3\xa0", 5));  /* ho\0a` */
	sach_buf_clear(&b);
	ck_assert_int_eq(sach_viet_retone_text("", 0, SACH_TONE_STYLE_OLD, &b, NULL), 0);
	ck_assert_uint_eq(b.len, 0);
	/* idempotent */
	sach_buf_clear(&b);
	ck_assert_int_eq(sach_viet_retone_text(old, strlen(old), SACH_TONE_STYLE_OLD, &b, NULL), 0);
	ck_assert_str_eq(b.ptr, old);
	sach_buf_free(&b);
}
END_TEST


/* QUIET_CHECK() that writes nothing unless it fails (the text-walk tests
 * check millions of things; Check records every assertion it passes). */
#define QUIET_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)
#define QUIET_OK(expr) QUIET_CHECK((expr) == 0, "%s failed", #expr)

/* Counts of one token as sach_viet_parse() and sach_viet_retone() see it:
 * what the text walk must add for it. */
static void token_counts(const char *tok, sach_tone_style style,
			 sach_viet_counts *c)
{
	sach_syllable y;
	sach_buf b = { 0 };
	int changed = 0;

	(void)sach_viet_parse(tok, strlen(tok), &y);
	QUIET_OK(sach_viet_retone(tok, strlen(tok), style, &b, &changed));
	sach_buf_free(&b);
	c->syllables++;
	c->well_formed += !!(y.flags & SACH_SYL_WELL_FORMED);
	c->whitelisted += !!(y.flags & SACH_SYL_WHITELISTED);
	c->diacritics += !!(y.flags & SACH_SYL_DIACRITIC);
	c->old_style += !!(y.flags & SACH_SYL_OLD_STYLE);
	c->new_style += !!(y.flags & SACH_SYL_NEW_STYLE);
	c->misplaced += !!(y.flags & (SACH_SYL_MISPLACED | SACH_SYL_DOUBLED));
	c->ambiguous += !!(y.flags & SACH_SYL_CONFLICT);
	c->retoned += (size_t)changed;
}

static void expect_counts_eq(const sach_viet_counts *a, const sach_viet_counts *b,
			     const char *what)
{
	QUIET_CHECK(a->syllables == b->syllables && a->well_formed == b->well_formed &&
		      a->whitelisted == b->whitelisted && a->diacritics == b->diacritics &&
		      a->old_style == b->old_style && a->new_style == b->new_style &&
		      a->misplaced == b->misplaced && a->ambiguous == b->ambiguous &&
		      a->retoned == b->retoned,
		      "%s: counts %zu %zu %zu %zu %zu %zu %zu %zu %zu, want "
		      "%zu %zu %zu %zu %zu %zu %zu %zu %zu", what,
		      a->syllables, a->well_formed, a->whitelisted, a->diacritics,
		      a->old_style, a->new_style, a->misplaced, a->ambiguous, a->retoned,
		      b->syllables, b->well_formed, b->whitelisted, b->diacritics,
		      b->old_style, b->new_style, b->misplaced, b->ambiguous, b->retoned);
}

/*
 * The text functions against the token functions on n tokens joined by
 * sep (no letters in it): retone_text (three styles, with and without
 * counts, and the lazy form) must give the join of sach_viet_retone() and
 * the sum of the tokens' counts; fold_key the join of the tokens' keys
 * (sep folded as a space when it is whitespace only). Long joins go
 * through the text walks' block paths and the memo of repeated tokens.
 */
static void expect_text_is_tokens(char **tok, size_t n, const char *sep,
				  int sep_is_space)
{
	sach_buf text = { 0 }, want = { 0 }, got = { 0 }, one = { 0 };
	size_t i;
	int st;

	for (i = 0; i < n; i++) {
		if (i)
			QUIET_OK(sach_buf_puts(&text, sep));
		QUIET_OK(sach_buf_puts(&text, tok[i]));
	}
	for (st = 0; st < 3; st++) {
		sach_tone_style style = (sach_tone_style)st;
		sach_viet_counts cw, cg, cl;
		int changed = -1, any = 0;

		memset(&cw, 0, sizeof(cw));
		memset(&cg, 0, sizeof(cg));
		memset(&cl, 0, sizeof(cl));
		sach_buf_clear(&want);
		for (i = 0; i < n; i++) {
			if (i)
				QUIET_OK(sach_buf_puts(&want, sep));
			QUIET_OK(sach_viet_retone(tok[i], strlen(tok[i]), style, &want, NULL));
			token_counts(tok[i], style, &cw);
		}
		any = want.len != text.len || memcmp(want.ptr, text.ptr, text.len) != 0;
		sach_buf_clear(&got);
		QUIET_OK(sach_viet_retone_text(text.ptr, text.len, style, &got, &cg));
		QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len),
			      "retone_text style %d differs from the tokens (%zu tokens)", st, n);
		expect_counts_eq(&cg, &cw, "retone_text");
		sach_buf_clear(&got);
		QUIET_OK(sach_viet_retone_text(text.ptr, text.len, style, &got, NULL));
		QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len),
			      "retone_text style %d without counts differs", st);
		sach_buf_clear(&got);
		QUIET_OK(sach__viet_retone_text_lazy(text.ptr, text.len, style, &got,
							     &cl, &changed));
		QUIET_CHECK(changed == any, "lazy: changed %d, want %d", changed, any);
		if (any)
			QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len),
				    "lazy: output differs");
		else
			QUIET_CHECK(got.len == 0, "lazy: output when unchanged");
		expect_counts_eq(&cl, &cw, "lazy");
	}
	sach_buf_clear(&want);
	for (i = 0; i < n; i++) {
		sach_buf_clear(&one);
		QUIET_OK(sach_viet_fold_key(tok[i], strlen(tok[i]), &one));
		if (i && one.len && want.len)
			QUIET_OK(sach_buf_puts(&want, sep_is_space ? " " : sep));
		QUIET_OK(sach_buf_append(&want, one.ptr, one.len));
	}
	sach_buf_clear(&got);
	QUIET_OK(sach_viet_fold_key(text.ptr, text.len, &got));
	QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len),
		      "fold_key differs from the tokens' keys (%zu tokens)", n);
	sach_buf_free(&text);
	sach_buf_free(&want);
	sach_buf_free(&got);
	sach_buf_free(&one);
}

START_TEST(test_retone_text_lazy)
{
	const char *clean = "Vi\xe1\xbb\x87t Nam l\xc3\xa0 m\xe1\xbb\x99t qu\xe1\xbb\x91" "c gia";  /* Vie^.t Nam la` mo^.t quo^'c gia */
	const char *dirty = "h\xc3\xb2" "a v\xc3\xa0 ba\xc3\xac";  /* ho`a va` bai` */
	sach_buf b = { 0 };
	sach_viet_counts c;
	int changed = -1;

	/* unchanged: nothing appended, not even reserved */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(sach__viet_retone_text_lazy(clean, strlen(clean), SACH_TONE_STYLE_OLD,
						     &b, &c, &changed), 0);
	ck_assert_int_eq(changed, 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(c.syllables, 6);
	ck_assert_uint_eq(c.well_formed, 6);
	ck_assert_uint_eq(c.retoned, 0);
	/* changed: the whole text, appended */
	ck_assert_int_eq(sach_buf_puts(&b, "<"), 0);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(sach__viet_retone_text_lazy(dirty, strlen(dirty), SACH_TONE_STYLE_NEW,
						     &b, &c, &changed), 0);
	ck_assert_int_eq(changed, 1);
	ck_assert_str_eq(b.ptr, "<ho\xc3\xa0 v\xc3\xa0 b\xc3\xa0i");  /* <hoa` va` ba`i */
	ck_assert_uint_eq(c.retoned, 2);
	ck_assert_uint_eq(c.misplaced, 1);
	ck_assert_uint_eq(c.old_style, 1);
	/* changed may be NULL; errors as sach_viet_retone_text() */
	sach_buf_clear(&b);
	ck_assert_int_eq(sach__viet_retone_text_lazy(dirty, strlen(dirty), SACH_TONE_STYLE_OLD,
						     &b, NULL, NULL), 0);
	ck_assert_str_eq(b.ptr, "h\xc3\xb2" "a v\xc3\xa0 b\xc3\xa0i");  /* ho`a va` ba`i */
	ck_assert_int_eq(sach__viet_retone_text_lazy(NULL, 1, SACH_TONE_STYLE_OLD, &b, NULL,
						     &changed), SACH_EINVAL);
	ck_assert_int_eq(changed, 0);
	ck_assert_int_eq(sach__viet_retone_text_lazy(dirty, 1, SACH_TONE_STYLE_OLD, NULL, NULL,
						     NULL), SACH_EINVAL);
	ck_assert_int_eq(sach__viet_retone_text_lazy(dirty, 1, (sach_tone_style)7, &b, NULL,
						     NULL), SACH_EINVAL);
	ck_assert_int_eq(sach__viet_retone_text_lazy(NULL, 0, SACH_TONE_STYLE_KEEP, &b, NULL,
						     &changed), 0);
	ck_assert_int_eq(changed, 0);
	sach_buf_free(&b);
}
END_TEST

/*
 * The text walks look at 16- and 64-byte blocks, with the characters
 * around each mark: every token at every offset in a text, in short texts
 * and long ones, after ASCII and after Vietnamese letters, must come out
 * as the token functions say.
 */
START_TEST(test_retone_text_offsets)
{
	static const char *const toks[] = {
		"h\xc3\xb2" "a", "ho\xc3\xa0", "thu\xe1\xbb\xb7", "th\xe1\xbb\xa7y",  /* ho`a | hoa` | thuy? | thu?y */
		"ba\xc3\xac", "ng\xc6\xb0\xe1\xbb\x9di", "n\xc6\xb0\xe1\xbb\x9b" "c",  /* bai` | ngu+o+`i | nu+o+'c */
		"nghi\xe1\xbb\x87m", "ngh\xe1\xbb\x8b\xc3\xaam", "qu\xc3\xbd", "g\xc3\xac",  /* nghie^.m | nghi.e^m | quy' | gi` */
		"gi\xe1\xbb\xaf" "a", "khu\xe1\xbb\xb7u", "H\xc3\x92" "A", "HO\xc3\x80",  /* giu+~a | khuy?u | HO`A | HOA` */
		"h\xc3\xb2\xc3\xa0", "h\xc3\xb2\xc3\xa1", "hoa", "l\xc3\xbd", "ly",  /* ho`a` | ho`a' | ly' */
		"\xc3\xa1o\xc3\xa0", "u\xc3\xb4i\xc3\xa1", "Mu\xcc\x80", "\xc3\xa0" "ab\xc3\xa0",  /* a'oa` | uo^ia' | Mu\xcc\x80 | a`aba` */
		"c\xc3\xa0" "c", "H'M\xc3\xb4ng", "d\xc3\xa0\xc3\xac"  /* ca`c | H'Mo^ng | da`i` */
	};
	static const char *const fill[] = {
		"x", "\xc3\xa0", "\xe1\xbb\x87", "o", " ", "\xc6\xb0"  /* a` | e^. | u+ */
	};
	static const char *const tail[] = {
		"c\xe1\xbb\xa7" "a", "ng\xc6\xb0\xe1\xbb\x9di", "Vi\xe1\xbb\x87t", "hoa",  /* cu?a | ngu+o+`i | Vie^.t */
		"h\xe1\xbb\x8d" "c", "qu\xe1\xbb\x91" "c", "gia", "v\xc3\xa0", "m\xe1\xbb\x99t",  /* ho.c | quo^'c | va` | mo^.t */
		"tr\xc6\xb0\xe1\xbb\x9dng", "\xc4\x91\xe1\xba\xa1i", "h\xe1\xbb\x8d" "c", "l\xe1\xbb\x9bn",  /* tru+o+`ng | dda.i | ho.c | lo+'n */
		"end"
	};
	char *v[2 + sizeof(tail) / sizeof(tail[0])];
	char pre[256];
	size_t t, k, f, g, j, nt = sizeof(tail) / sizeof(tail[0]);

	for (t = 0; t < sizeof(toks) / sizeof(toks[0]); t++)
	for (f = 0; f < sizeof(fill) / sizeof(fill[0]); f++)
	for (k = 0; k < 140; k++)
	for (g = 0; g < 2; g++) {
		size_t o = 0, l = strlen(fill[f]);

		/* a first token of about k bytes (or a letter and k spaces),
		 * then the token, then one short token or a long tail */
		pre[o++] = 'p';
		while (o + l < k + 1 && o + l < sizeof(pre) - 1) {
			memcpy(pre + o, fill[f], l);
			o += l;
		}
		pre[o] = '\0';
		v[0] = pre;
		v[1] = (char *)toks[t];
		for (j = 0; j < (g ? 1 : nt); j++)
			v[2 + j] = (char *)tail[g ? nt - 1 : j];
		expect_text_is_tokens(v, 2 + (g ? 1 : nt), " ", 1);
	}
}
END_TEST

/* A long text of many short and repeated tokens, with the changing ones
 * among them (the counts walk keeps a memo of repeated tokens). */
START_TEST(test_retone_text_repeats)
{
	static const char *const words[] = {
		"v\xc3\xa0", "c\xe1\xbb\xa7" "a", "h\xc3\xb2" "a", "ho\xc3\xa0", "ba\xc3\xac",  /* va` | cu?a | ho`a | hoa` | bai` */
		"the", "Nam", "km", "ng\xc6\xb0\xe1\xbb\x9di", "thu\xe1\xbb\xb7", "l\xc3\xbd",  /* ngu+o+`i | thuy? | ly' */
		"\xc4\x91\xe1\xba\xafk", "HO\xc3\x80", "gi\xc3\xa0", "qu\xc3\xa1", "h\xc3\xb2\xc3\xa1"  /* dda('k | HOA` | gia` | qua' | ho`a' */
	};
	char *v[600];
	size_t i, nw = sizeof(words) / sizeof(words[0]);

	for (i = 0; i < 600; i++)
		v[i] = (char *)words[(i * 7 + i / 13) % nw];
	expect_text_is_tokens(v, 600, " ", 1);
	expect_text_is_tokens(v, 600, ", ", 0);
	expect_text_is_tokens(v, 600, "\n  ", 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* fold keys and skeletons                                             */

START_TEST(test_fold_key)
{
	char *k;

	expect_fold_eq("h\xc3\xb2" "a", "ho\xc3\xa0");  /* ho`a | hoa` */
	expect_fold_eq("h\xc3\xb2" "a", "H\xc3\x92" "A");  /* ho`a | HO`A */
	expect_fold_eq("HO\xc3\x80", "H\xc3\xb2" "a");  /* HOA` | Ho`a */
	expect_fold_eq("th\xe1\xbb\xa7y th\xe1\xbb\xa7", "THU\xe1\xbb\xb6   th\xe1\xbb\xa7");  /* thu?y thu? | THUY?   thu? */
	expect_fold_eq("ba\xc3\xac", "b\xc3\xa0i");  /* bai` | ba`i */
	expect_fold_eq("d\xc3\xa0\xc3\xac", "d\xc3\xa0i");  /* da`i` | da`i */
	/* i/y after a consonant other than qu (VIETNAMESE.md 1.5) */
	expect_fold_eq("l\xc3\xbd", "l\xc3\xad");  /* ly' | li' */
	expect_fold_eq("k\xe1\xbb\xb9", "k\xc4\xa9");  /* ky~ | ki~ */
	expect_fold_eq("M\xe1\xbb\xb9", "M\xc4\xa9");  /* My~ | Mi~ */
	expect_fold_eq("L\xc3\x9d", "l\xc3\xad");  /* LY' | li' */
	expect_fold_eq("thy", "thi");
	expect_fold_ne("qu\xc3\xbd", "qu\xc3\xad");  /* quy' | qui' */
	expect_fold_ne("y", "i");
	expect_fold_ne("y\xc3\xaau", "i\xc3\xaau");  /* ye^u | ie^u */
	expect_fold_ne("huy", "hui");
	expect_fold_ne("h\xc3\xb2" "a", "h\xc3\xb3" "a");  /* ho`a | ho'a */
	expect_fold_ne("ma", "m\xc3\xa1");  /* ma' */
	/* whitespace */
	k = fold("  Ho\xc3\xa0 \t\n b\xc3\xacnh\xc2\xa0 ");  /*   Hoa` \t\n bi`nh\xc2\xa0  */
	ck_assert_str_eq(k, "h\xc3\xb2" "a b\xc3\xacnh");  /* ho`a bi`nh */
	free(k);
	k = fold("\xc4\x90\xe1\xba\xaeK L\xe1\xba\xaeK, H'M\xc3\x94NG: \xc3\x9d ki\xe1\xba\xbfn!");  /* DDA('K LA('K, H'MO^NG: Y' kie^'n! */
	ck_assert_str_eq(k, "\xc4\x91\xe1\xba\xafk l\xe1\xba\xafk, h'm\xc3\xb4ng: \xc3\xbd ki\xe1\xba\xbfn!");  /* dda('k la('k, h'mo^ng: y' kie^'n! */
	free(k);
	k = fold(" \t ");
	ck_assert_str_eq(k, "");
	free(k);
	k = fold("M\xc3\x9cLLER \xce\x91\xce\x92\xce\x93");  /* MU+00DCLLER U+0391U+0392U+0393 */
	ck_assert_str_eq(k, "m\xc3\xbcller \xce\xb1\xce\xb2\xce\xb3");  /* mU+00FCller U+03B1U+03B2U+03B3 */
	free(k);
}
END_TEST

START_TEST(test_skeleton)
{
	expect_skeleton("\xc4\x90\xe1\xba\xa3m b\xe1\xba\xa3o ch\xe1\xba\xa5t l\xc6\xb0\xe1\xbb\xa3ng", "dam bao chat luong");  /* DDa?m ba?o cha^'t lu+o+.ng */
	expect_skeleton("NG\xc6\xaf\xe1\xbb\x9cI Vi\xe1\xbb\x87t", "nguoi viet");  /* NGU+O+`I Vie^.t */
	expect_skeleton("Ho\xc3\xa0\tb\xc3\xacnh!", "hoa\tbinh!");  /* Hoa`\tbi`nh! */
	expect_skeleton("\xc4\x83\xc3\xa2\xc3\xaa\xc3\xb4\xc6\xa1\xc6\xb0\xc4\x91 \xc4\x82\xc3\x82\xc3\x8a\xc3\x94\xc6\xa0\xc6\xaf\xc4\x90", "aaeooud aaeooud");  /* a(a^e^o^o+u+dd A(A^E^O^O+U+DD */
	expect_skeleton("Vie\u0323\u0302t", "viet");
	expect_skeleton("M\xc3\xbcller \xe6\x97\xa5\xe6\x9c\xac", "m\xc3\xbcller \xe6\x97\xa5\xe6\x9c\xac");  /* MU+00FCller U+65E5U+672C | mU+00FCller U+65E5U+672C */
	expect_skeleton("", "");
}
END_TEST

/* ------------------------------------------------------------------ */
/* pre-NFC repairs                                                     */

START_TEST(test_repair_order)
{
	/* tone typed before the circumflex / breve / horn */
	expect_repair("Tie\u0301\u0302ng", "Tie\u0302\u0301ng", 1);
	expect_repair("a\u0300\u0306n", "a\u0306\u0300n", 1);
	/* Marks of different combining classes are NFC's to order: the horn
	 * (216) and the dot below (220) come first in canonical order anyway. */
	expect_repair("o\u0309\u031B", "o\u0309\u031B", 0);
	expect_repair("Vie\u0323\u0302t", "Vie\u0323\u0302t", 0);
	/* what NFC leaves of it: precomposed toned vowel + circumflex */
	expect_repair("Ti\u00e9\u0302ng", "Tie\u0302\u0301ng", 1);
	expect_repair("TI\u00c9\u0302NG", "TIE\u0302\u0301NG", 1);
	/* already in order, or nothing to do */
	expect_repair("Tie\u0302\u0301ng", "Tie\u0302\u0301ng", 0);
	expect_repair("Vi\xe1\xbb\x87t Nam", "Vi\xe1\xbb\x87t Nam", 0);  /* Vie^.t Nam | Vie^.t Nam */
}
END_TEST

START_TEST(test_repair_spacing)
{
	expect_repair("ca\u00b4", "ca\u0301", 1);
	expect_repair("ca\u00b4c ba\u02cbn", "ca\u0301c ba\u0300n", 2);
	expect_repair("ca\u02ca", "ca\u0301", 1);
	expect_repair("ca\u1ffd", "ca\u0301", 1);
	expect_repair("vie\u0302\u00b4t", "vie\u0302\u0301t", 1);
	/* not after a vowel, already toned, or U+0060 */
	expect_repair("s\u00b4", "s\u00b4", 0);
	expect_repair("c\u00e1\u00b4", "c\u00e1\u00b4", 0);
	expect_repair("ca`", "ca`", 0);
	expect_repair("\u00b4a", "\u00b4a", 0);
}
END_TEST

START_TEST(test_repair_breve)
{
	expect_repair("\u01cen", "\u0103n", 1);
	expect_repair("\u01cdN", "\u0102N", 1);
	expect_repair("a\u030cn", "a\u0306n", 1);
	expect_repair("a\u0311n", "a\u0306n", 1);
	expect_repair("A\u030c\u0301t", "A\u0306\u0301t", 1);
	/* caron elsewhere is not Vietnamese: left alone */
	expect_repair("e\u030c", "e\u030c", 0);
	expect_repair("\u010c", "\u010c", 0);
}
END_TEST

START_TEST(test_repair_eth)
{
	expect_repair("\u00d0\u1ea3ng", "\xc4\x90\xe1\xba\xa3ng", 1);  /* DDa?ng */
	expect_repair("\u00f0i", "\xc4\x91i", 1);  /* ddi */
	expect_repair("\u0189\u00f4ng \u0256\u00e2y", "\xc4\x90\xc3\xb4ng \xc4\x91\xc3\xa2y", 2);  /* DDo^ng dda^y */
	expect_repair("H\u00d0ND", "H\xc4\x90ND", 1);  /* HDDND */
	expect_repair("\u00d0\u1ea2NG", "\xc4\x90\xe1\xba\xa2NG", 1);  /* DDA?NG */
	/* Icelandic and friends stay */
	expect_repair("me\u00f0", "me\u00f0", 0);
	expect_repair("Gu\u00f0r\u00fan", "Gu\u00f0r\u00fan", 0);
	expect_repair("\u00f0\u00f8", "\u00f0\u00f8", 0);
}
END_TEST

START_TEST(test_repair_lookalikes)
{
	/* Cyrillic i, o, a and Greek rho inside Latin Vietnamese words */
	expect_repair("V\u0456\xe1\xbb\x87t", "Vi\xe1\xbb\x87t", 1);  /* V\u0456e^.t | Vie^.t */
	expect_repair("h\u043e\u0430", "hoa", 2);
	expect_repair("\u03c1h\xe1\xbb\x9f", "ph\xe1\xbb\x9f", 1);  /* \u03c1ho+? | pho+? */
	expect_repair("C\u041eNG", "CONG", 1);
	/* whole Cyrillic / Greek words stay */
	expect_repair("\u0442\u043e", "\u0442\u043e", 0);
	expect_repair("\u043e\u0430", "\u043e\u0430", 0);
	expect_repair("\u03b1\u03bb\u03c6\u03b1", "\u03b1\u03bb\u03c6\u03b1", 0);
	/* a Latin word with a non-lookalike Cyrillic letter stays */
	expect_repair("h\u043e\u0436", "h\u043e\u0436", 0);
	expect_repair("", "", 0);
	/* the fast path copies up to the whitespace before a trigger */
	expect_repair("Vi\u1ec7t Nam v\u00e0 h\u043e\u0430 b\u00ecnh; ca\u00b4 \u00f0i", "Vi\u1ec7t Nam v\u00e0 hoa b\u00ecnh; ca\u0301 \u0111i", 4);
	expect_repair("x-h\u043e\u0430-y", "x-hoa-y", 2);
}
END_TEST

/* Clean text around a repair at every offset (the search for characters to
 * repair looks at 16 bytes at a time), and skeletons of long text: the
 * result is that of the parts. */
START_TEST(test_repair_offsets)
{
	static const char *const toks[] = {
		"h\u043e\u0430", "ca\u00b4", "\u00f0i", "\u01cen", "a\u0301\u0302",
		"\u03c1h\xe1\xbb\x9f", "Vi\u1ec7t", "M\u00fcller", "\u00c2\u0301"  /* \u03c1ho+? */
	};
	static const char *const fill[] = { "x", "\xc3\xa0", " ", "\xe1\xbb\x87" };  /* a` | e^. */
	sach_buf text = { 0 }, want = { 0 }, got = { 0 };
	size_t t, f, k, l;

	for (t = 0; t < sizeof(toks) / sizeof(toks[0]); t++)
	for (f = 0; f < sizeof(fill) / sizeof(fill[0]); f++)
	for (k = 0; k < 70; k++) {
		size_t r1 = 0, r2 = 0;

		sach_buf_clear(&text);
		for (l = 0; l < k; l++)
			QUIET_OK(sach_buf_puts(&text, fill[f]));
		QUIET_OK(sach_buf_puts(&text, " "));
		sach_buf_clear(&want);
		QUIET_OK(sach_buf_append(&want, text.ptr, text.len));
		QUIET_OK(sach_buf_puts(&text, toks[t]));
		QUIET_OK(sach_viet_repair_marks(toks[t], strlen(toks[t]), &want, &r1));
		QUIET_OK(sach_buf_puts(&text, " v\xc3\xa0 m\xe1\xbb\x99t c\xc3\xa2u d\xc3\xa0i h\xc6\xa1n"));  /*  va` mo^.t ca^u da`i ho+n */
		QUIET_OK(sach_buf_puts(&want, " v\xc3\xa0 m\xe1\xbb\x99t c\xc3\xa2u d\xc3\xa0i h\xc6\xa1n"));  /*  va` mo^.t ca^u da`i ho+n */
		sach_buf_clear(&got);
		QUIET_OK(sach_viet_repair_marks(text.ptr, text.len, &got, &r2));
		QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len) && r1 == r2,
			    "repair of %s after %zu x fill %zu differs", toks[t], k, f);
		/* skeleton: per character, so the parts' skeletons joined */
		sach_buf_clear(&want);
		QUIET_OK(sach_viet_skeleton(text.ptr, k * strlen(fill[f]), &want));
		QUIET_OK(sach_viet_skeleton(text.ptr + k * strlen(fill[f]),
					    text.len - k * strlen(fill[f]), &want));
		sach_buf_clear(&got);
		QUIET_OK(sach_viet_skeleton(text.ptr, text.len, &got));
		QUIET_CHECK(got.len == want.len && !memcmp(got.ptr, want.ptr, want.len),
			    "skeleton of %s after %zu x fill %zu differs", toks[t], k, f);
	}
	/* upper-case ASCII in long runs */
	expect_skeleton("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 @[`{ \xc3\x80",  /* A` */
			"abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz 0123456789 @[`{ a");
	sach_buf_free(&text);
	sach_buf_free(&want);
	sach_buf_free(&got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* reference suites                                                    */

static const char *ref_dir(void)
{
	static char buf[1024];
	const char *env = getenv("SACH_SHARED_REFERENCE");
	static const char *const cands[] = {
		"../shared/reference", "../../shared/reference",
		"../../../shared/reference"
	};
	size_t i;
	FILE *f;

	if (env && *env) {
		snprintf(buf, sizeof(buf), "%s/ref_tone_style_pairs.tsv", env);
		if ((f = fopen(buf, "r")) != NULL) {
			fclose(f);
			return env;
		}
		return NULL;
	}
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		snprintf(buf, sizeof(buf), "%s/ref_tone_style_pairs.tsv", cands[i]);
		if ((f = fopen(buf, "r")) != NULL) {
			fclose(f);
			return cands[i];
		}
	}
	return NULL;
}

/* Reads the non-comment, non-empty lines of dir/name; NULL if absent. */
static char **read_lines(const char *dir, const char *name, size_t *n)
{
	char path[1200], line[512];
	char **v = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*n = 0;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		size_t l = strcspn(line, "\r\n");

		line[l] = '\0';
		if (!l || line[0] == '#')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof(*v));
			ck_assert_ptr_nonnull(v);
		}
		v[(*n)++] = dupstr(line);
	}
	fclose(f);
	return v;
}

static void free_lines(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

#define SKIP_IF_NO_REF(dir) \
	do { \
		if (!(dir)) { \
			printf("check_viet: NOTE: shared/reference not found " \
			       "(set SACH_SHARED_REFERENCE); %s skipped\n", __func__); \
			return; \
		} \
	} while (0)

/* Upper-cases (all = 1) or title-cases (all = 0) a lowercase syllable. */
static void recase(const char *in, int all, sach_buf *out)
{
	/* a small local case map, independent of the library */
	size_t i = 0, n = strlen(in);
	int first = 1;

	sach_buf_clear(out);
	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		unsigned cp;
		char tmp[4];
		size_t k;

		if (l == 1)
			cp = c;
		else if (l == 2)
			cp = ((c & 0x1Fu) << 6) | (in[i + 1] & 0x3Fu);
		else
			cp = ((c & 0x0Fu) << 12) | ((in[i + 1] & 0x3Fu) << 6) | (in[i + 2] & 0x3Fu);
		if (all || first) {
			if (cp >= 'a' && cp <= 'z')
				cp -= 0x20;
			else if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
				cp -= 0x20;
			else if (cp == 0x111)
				cp = 0x110;
			else if (cp == 0x1B0)
				cp = 0x1AF;
			else if ((cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x103 ||
				 cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0)
				cp -= (cp & 1) ? 1 : 0;
		}
		first = 0;
		if (cp < 0x80) {
			tmp[0] = (char)cp;
			k = 1;
		} else if (cp < 0x800) {
			tmp[0] = (char)(0xC0 | (cp >> 6));
			tmp[1] = (char)(0x80 | (cp & 0x3F));
			k = 2;
		} else {
			tmp[0] = (char)(0xE0 | (cp >> 12));
			tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			tmp[2] = (char)(0x80 | (cp & 0x3F));
			k = 3;
		}
		ck_assert_int_eq(sach_buf_append(out, tmp, k), 0);
		i += l;
	}
}

START_TEST(test_ref_tone_style_pairs)
{
	const char *dir = ref_dir();
	char **v;
	size_t n, i, ok = 0, total = 0;
	sach_buf a = { 0 }, b = { 0 }, r = { 0 };
	int cas;

	SKIP_IF_NO_REF(dir);
	v = read_lines(dir, "ref_tone_style_pairs.tsv", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 69);
	for (i = 0; i < n; i++) {
		char *tab = strchr(v[i], '\t');

		ck_assert_ptr_nonnull(tab);
		*tab = '\0';
		for (cas = 0; cas < 3; cas++) {
			const char *o, *w;

			if (cas == 0) {
				sach_buf_clear(&a);
				sach_buf_clear(&b);
				ck_assert_int_eq(sach_buf_puts(&a, v[i]), 0);
				ck_assert_int_eq(sach_buf_puts(&b, tab + 1), 0);
			} else {
				sach_buf t = { 0 };

				recase(v[i], cas == 2, &t);
				sach_buf_clear(&a);
				ck_assert_int_eq(sach_buf_append(&a, t.ptr, t.len), 0);
				recase(tab + 1, cas == 2, &t);
				sach_buf_clear(&b);
				ck_assert_int_eq(sach_buf_append(&b, t.ptr, t.len), 0);
				sach_buf_free(&t);
			}
			o = a.ptr;
			w = b.ptr;
			/* old -> new and new -> old; each style keeps its own */
			sach_buf_clear(&r);
			sach_viet_retone(o, strlen(o), SACH_TONE_STYLE_NEW, &r, NULL);
			ok += !strcmp(r.ptr, w);
			sach_buf_clear(&r);
			sach_viet_retone(w, strlen(w), SACH_TONE_STYLE_OLD, &r, NULL);
			ok += !strcmp(r.ptr, o);
			sach_buf_clear(&r);
			sach_viet_retone(o, strlen(o), SACH_TONE_STYLE_OLD, &r, NULL);
			ok += !strcmp(r.ptr, o);
			sach_buf_clear(&r);
			sach_viet_retone(w, strlen(w), SACH_TONE_STYLE_NEW, &r, NULL);
			ok += !strcmp(r.ptr, w);
			total += 4;
			if (cas == 2)
				ck_assert_msg(strcmp(o, w) != 0, "%s", o);
		}
	}
	printf("check_viet: ref_tone_style_pairs: %zu/%zu (%.1f%%) in lower, Title, UPPER, both directions\n",
	       ok, total, 100.0 * (double)ok / (double)total);
	ck_assert_uint_eq(ok, total);
	ck_assert_uint_eq(total, 69 * 3 * 4);
	sach_buf_free(&a);
	sach_buf_free(&b);
	sach_buf_free(&r);
	free_lines(v, n);
}
END_TEST

START_TEST(test_ref_langman)
{
	const char *dir = ref_dir();
	char **v;
	size_t n, i, ok = 0, wl = 0;
	sach_buf r = { 0 };

	SKIP_IF_NO_REF(dir);
	v = read_lines(dir, "ref_syllables_langman_mit.txt", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 6731);
	for (i = 0; i < n; i++) {
		sach_syllable y;
		int wf = sach_viet_parse(v[i], strlen(v[i]), &y);

		sach_buf_clear(&r);
		ck_assert_int_eq(sach_viet_retone(v[i], strlen(v[i]), SACH_TONE_STYLE_OLD, &r, NULL), 0);
		if (wf == 1 && !strcmp(r.ptr, v[i]))
			ok++;
		else
			printf("check_viet: langman: %s -> %s (%s)\n", v[i], r.ptr, y.problem);
		wl += !!(y.flags & SACH_SYL_WHITELISTED);
	}
	printf("check_viet: ref_syllables_langman_mit: %zu/%zu (%.1f%%) well-formed and "
	       "stable under OLD; %zu through the whitelist\n",
	       ok, n, 100.0 * (double)ok / (double)n, wl);
	ck_assert_uint_eq(ok, n);
	sach_buf_free(&r);
	free_lines(v, n);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_ref_generated)
{
	/* Every syllable of generated_old_style.txt (the 17,840 syllables the
	 * rules of 3.1 allow, old style) is well-formed and stable under OLD,
	 * and goes to NEW and back. Then the converse: every onset + 1-3
	 * vowels + coda + tone that the parser accepts by the rules (not via
	 * the whitelist) is, placed in OLD style, a line of the file, and every
	 * line is reached. */
	static const char *const onsets[] = {
		"", "b", "c", "ch", "d", "\xc4\x91", "g", "gh", "gi", "h", "k", "kh",  /* dd */
		"l", "m", "n", "ng", "ngh", "nh", "p", "ph", "q", "qu", "r", "s",
		"t", "th", "tr", "v", "x", "f", "bl", "kr"
	};
	static const char *const vowels[] = {
		"a", "\xc4\x83", "\xc3\xa2", "e", "\xc3\xaa", "i", "o", "\xc3\xb4", "\xc6\xa1", "u", "\xc6\xb0", "y"  /* a( | a^ | e^ | o^ | o+ | u+ */
	};
	static const char *const codas[] = {
		"", "c", "ch", "m", "n", "ng", "nh", "p", "t", "k"
	};
	/* combining-free toned forms: [vowel][tone] */
	static const char *const toned[12][6] = {
		{ "a", "\xc3\xa0", "\xc3\xa1", "\xe1\xba\xa3", "\xc3\xa3", "\xe1\xba\xa1" },  /* a` | a' | a? | a~ | a. */
		{ "\xc4\x83", "\xe1\xba\xb1", "\xe1\xba\xaf", "\xe1\xba\xb3", "\xe1\xba\xb5", "\xe1\xba\xb7" },  /* a( | a(` | a(' | a(? | a(~ | a(. */
		{ "\xc3\xa2", "\xe1\xba\xa7", "\xe1\xba\xa5", "\xe1\xba\xa9", "\xe1\xba\xab", "\xe1\xba\xad" },  /* a^ | a^` | a^' | a^? | a^~ | a^. */
		{ "e", "\xc3\xa8", "\xc3\xa9", "\xe1\xba\xbb", "\xe1\xba\xbd", "\xe1\xba\xb9" },  /* e` | e' | e? | e~ | e. */
		{ "\xc3\xaa", "\xe1\xbb\x81", "\xe1\xba\xbf", "\xe1\xbb\x83", "\xe1\xbb\x85", "\xe1\xbb\x87" },  /* e^ | e^` | e^' | e^? | e^~ | e^. */
		{ "i", "\xc3\xac", "\xc3\xad", "\xe1\xbb\x89", "\xc4\xa9", "\xe1\xbb\x8b" },  /* i` | i' | i? | i~ | i. */
		{ "o", "\xc3\xb2", "\xc3\xb3", "\xe1\xbb\x8f", "\xc3\xb5", "\xe1\xbb\x8d" },  /* o` | o' | o? | o~ | o. */
		{ "\xc3\xb4", "\xe1\xbb\x93", "\xe1\xbb\x91", "\xe1\xbb\x95", "\xe1\xbb\x97", "\xe1\xbb\x99" },  /* o^ | o^` | o^' | o^? | o^~ | o^. */
		{ "\xc6\xa1", "\xe1\xbb\x9d", "\xe1\xbb\x9b", "\xe1\xbb\x9f", "\xe1\xbb\xa1", "\xe1\xbb\xa3" },  /* o+ | o+` | o+' | o+? | o+~ | o+. */
		{ "u", "\xc3\xb9", "\xc3\xba", "\xe1\xbb\xa7", "\xc5\xa9", "\xe1\xbb\xa5" },  /* u` | u' | u? | u~ | u. */
		{ "\xc6\xb0", "\xe1\xbb\xab", "\xe1\xbb\xa9", "\xe1\xbb\xad", "\xe1\xbb\xaf", "\xe1\xbb\xb1" },  /* u+ | u+` | u+' | u+? | u+~ | u+. */
		{ "y", "\xe1\xbb\xb3", "\xc3\xbd", "\xe1\xbb\xb7", "\xe1\xbb\xb9", "\xe1\xbb\xb5" },  /* y` | y' | y? | y~ | y. */
	};
	const char *dir = ref_dir();
	char **v;
	unsigned char *hit;
	size_t n, i, ok = 0, newok = 0, accepted = 0, outside = 0, reached = 0;
	size_t o, c, t, nv, a0, a1, a2;
	sach_buf r = { 0 }, r2 = { 0 };
	char w[64];

	SKIP_IF_NO_REF(dir);
	v = read_lines(dir, "generated_old_style.txt", &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 17840);
	for (i = 0; i < n; i++) {
		sach_syllable y;
		int wf = sach_viet_parse(v[i], strlen(v[i]), &y);

		sach_buf_clear(&r);
		sach_viet_retone(v[i], strlen(v[i]), SACH_TONE_STYLE_OLD, &r, NULL);
		if (wf == 1 && !(y.flags & SACH_SYL_WHITELISTED) && !strcmp(r.ptr, v[i]))
			ok++;
		else
			printf("check_viet: generated: %s -> %s (%s)\n", v[i], r.ptr, y.problem);
		sach_buf_clear(&r);
		sach_viet_retone(v[i], strlen(v[i]), SACH_TONE_STYLE_NEW, &r, NULL);
		sach_buf_clear(&r2);
		sach_viet_retone(r.ptr, r.len, SACH_TONE_STYLE_OLD, &r2, NULL);
		newok += !strcmp(r2.ptr, v[i]);
	}
	printf("check_viet: generated_old_style: %zu/%zu (%.1f%%) well-formed and stable "
	       "under OLD; %zu/%zu NEW->OLD round trips\n",
	       ok, n, 100.0 * (double)ok / (double)n, newok, n);
	ck_assert_uint_eq(ok, n);
	ck_assert_uint_eq(newok, n);

	qsort(v, n, sizeof(*v), cmp_str);
	hit = calloc(n, 1);
	ck_assert_ptr_nonnull(hit);
	for (o = 0; o < sizeof(onsets) / sizeof(onsets[0]); o++)
	for (nv = 1; nv <= 3; nv++)
	for (a0 = 0; a0 < 12; a0++)
	for (a1 = 0; a1 < (nv > 1 ? 12u : 1u); a1++)
	for (a2 = 0; a2 < (nv > 2 ? 12u : 1u); a2++)
	for (c = 0; c < sizeof(codas) / sizeof(codas[0]); c++)
	for (t = 0; t < 6; t++) {
		sach_syllable y;
		char *key;
		char **found;

		/* the mark goes on the first vowel; the parser places it */
		snprintf(w, sizeof(w), "%s%s%s%s%s", onsets[o], toned[a0][t],
			 nv > 1 ? vowels[a1] : "", nv > 2 ? vowels[a2] : "",
			 codas[c]);
		if (sach_viet_parse(w, strlen(w), &y) != 1 ||
		    (y.flags & SACH_SYL_WHITELISTED))
			continue;
		accepted++;
		sach_buf_clear(&r);
		sach_viet_retone(w, strlen(w), SACH_TONE_STYLE_OLD, &r, NULL);
		key = r.ptr;
		found = bsearch(&key, v, n, sizeof(*v), cmp_str);
		if (!found) {
			if (outside++ < 20)
				printf("check_viet: accepted but not generated: %s -> %s\n", w, r.ptr);
			continue;
		}
		hit[found - v] = 1;
	}
	for (i = 0; i < n; i++) {
		reached += hit[i];
		if (!hit[i] && i + 1 - reached <= 20)
			printf("check_viet: generated but never accepted: %s\n", v[i]);
	}
	printf("check_viet: exhaustive: %zu candidates accepted, %zu outside the file; "
	       "%zu/%zu lines reached\n", accepted, outside, reached, n);
	ck_assert_uint_eq(outside, 0);
	ck_assert_uint_eq(reached, n);
	free(hit);
	sach_buf_free(&r);
	sach_buf_free(&r2);
	free_lines(v, n);
}
END_TEST

/* The reference syllables as one long text each (lower, Title, UPPER, and
 * with other separators): the text walks agree with the token functions
 * on every one of them. */
START_TEST(test_ref_text_walks)
{
	static const char *const files[] = {
		"generated_old_style.txt", "ref_syllables_langman_mit.txt"
	};
	const char *dir = ref_dir();
	size_t fi, i, n;
	int cas;

	SKIP_IF_NO_REF(dir);
	for (fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
		char **v = read_lines(dir, files[fi], &n);
		char **w;

		ck_assert_ptr_nonnull(v);
		w = calloc(n, sizeof(*w));
		ck_assert_ptr_nonnull(w);
		for (cas = 0; cas < 3; cas++) {
			for (i = 0; i < n; i++) {
				sach_buf t = { 0 };

				if (cas == 0) {
					w[i] = dupstr(v[i]);
					continue;
				}
				recase(v[i], cas == 2, &t);
				w[i] = dupstr(t.ptr);
				sach_buf_free(&t);
			}
			expect_text_is_tokens(w, n, " ", 1);
			if (cas == 0) {
				expect_text_is_tokens(w, n, ", ", 0);
				expect_text_is_tokens(w, n, "\r\n", 1);
			}
			for (i = 0; i < n; i++)
				free(w[i]);
		}
		printf("check_viet: %s: the text walks agree with the token functions "
		       "on all %zu syllables as one text\n", files[fi], n);
		free(w);
		free_lines(v, n);
	}
}
END_TEST

/* The whitelist data file and the compiled-in table agree. */
START_TEST(test_whitelist_file)
{
	const char *root = getenv("SACH_SOURCE_ROOT");
	char dir[4096];
	char **v = NULL;
	size_t n = 0, i, k = 0;

	/* meson sets SACH_SOURCE_ROOT; the file is part of the project, so its
	 * absence is a failure, not a skip. */
	snprintf(dir, sizeof(dir), "%s/lib/data", root ? root : ".");
	v = read_lines(dir, "viet-whitelist.txt", &n);
	ck_assert_msg(v != NULL, "cannot read %s/viet-whitelist.txt (set SACH_SOURCE_ROOT)", dir);
	for (i = 0; i < n; i++) {
		char *hash = strchr(v[i], '#');
		size_t l;

		if (hash)
			*hash = '\0';
		l = strcspn(v[i], " \t");
		v[i][l] = '\0';
		if (!l)
			continue;
		expect_good(v[i]);
		k++;
	}
	ck_assert_msg(k == SACH__VIET_WHITELIST_COUNT,
		      "data file has %zu entries, compiled table %d: "
		      "run scripts/gen-viet-tables.py", k, SACH__VIET_WHITELIST_COUNT);
	free_lines(v, n);
}
END_TEST

Suite *sach_viet_suite(void)
{
	Suite *s = suite_create("viet");
	TCase *tc = tcase_create("parse");
	TCase *tr = tcase_create("retone");
	TCase *tw = tcase_create("text walks");
	TCase *tf = tcase_create("fold");
	TCase *tm = tcase_create("repair");
	TCase *tx = tcase_create("reference");

	tcase_add_test(tc, test_parse_table_3_6);
	tcase_add_test(tc, test_parse_gi_qu);
	tcase_add_test(tc, test_parse_spelling_rules);
	tcase_add_test(tc, test_parse_not_tokens);
	tcase_add_test(tc, test_parse_marks);
	tcase_add_test(tc, test_parse_case);
	tcase_add_test(tc, test_parse_whitelist);
	tcase_add_test(tc, test_whitelist_table_sorted);
	tcase_add_test(tc, test_whitelist_file);
	suite_add_tcase(s, tc);
	tcase_add_test(tr, test_retone_styles);
	tcase_add_test(tr, test_retone_misplaced_doubled);
	tcase_add_test(tr, test_retone_errors);
	tcase_add_test(tr, test_retone_text);
	tcase_add_test(tr, test_retone_text_lazy);
	suite_add_tcase(s, tw);
	tcase_add_test(tw, test_retone_text_offsets);
	tcase_add_test(tw, test_retone_text_repeats);
	tcase_set_timeout(tw, 120);
	suite_add_tcase(s, tr);
	tcase_add_test(tf, test_fold_key);
	tcase_add_test(tf, test_skeleton);
	suite_add_tcase(s, tf);
	tcase_add_test(tm, test_repair_order);
	tcase_add_test(tm, test_repair_spacing);
	tcase_add_test(tm, test_repair_breve);
	tcase_add_test(tm, test_repair_eth);
	tcase_add_test(tm, test_repair_lookalikes);
	tcase_add_test(tm, test_repair_offsets);
	suite_add_tcase(s, tm);
	tcase_add_test(tx, test_ref_tone_style_pairs);
	tcase_add_test(tx, test_ref_langman);
	tcase_add_test(tx, test_ref_generated);
	tcase_add_test(tx, test_ref_text_walks);
	tcase_set_timeout(tx, 120);
	suite_add_tcase(s, tx);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_viet_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
