/*
 * check_langid.c - unit tests for language identification (lib/langid.c,
 * sach_langid_score and the line scores of sach_signals_lines).
 *
 * - a fixed labelled set written for this test (tests/data/langid/: one
 *   sentence per line, the file name is the language): per line, precision
 *   and recall of "Vietnamese" at 0.5 must reach LG_MIN_PRECISION and
 *   LG_MIN_RECALL (LG_MIN_RECALL_NODIAC for text without diacritics); each
 *   file read as one document must land on the right side of 0.5;
 * - text without letters scores 0; the score is deterministic and in [0, 1];
 * - the skeleton set: diacritic-free spellings of syllables are known,
 *   multi-syllable foreign words are not; with $SACH_SHARED_REFERENCE, the
 *   skeleton of every syllable of ref_syllables_langman_mit.txt is known
 *   ("skipped" otherwise).
 *
 * The source is ASCII: Vietnamese is written as UTF-8 \x escapes with the
 * text in the comment.
 */
#include "sach/error.h"
#include "sach/signals.h"
#include "sach/viet.h"
#include "signals_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LG_MIN_PRECISION 0.95
#define LG_MIN_RECALL 0.95
#define LG_MIN_RECALL_NODIAC 0.85

size_t sach__skeleton_count(void);

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static const char *data_dir(void)
{
	static char dir[4096];
	const char *root = getenv("SACH_SOURCE_ROOT");

	snprintf(dir, sizeof(dir), "%s/tests/data/langid", root && *root ? root : ".");
	return dir;
}

/* Per-line counts of one file: lines scoring >= 0.5 and all lines. */
static void score_lines(const char *name, size_t *pos, size_t *total, double *doc_score)
{
	char path[4200];
	size_t len, i = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	text = read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	*pos = *total = 0;
	while (i < len) {
		char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		double s;

		if (end > i) {
			s = sach_langid_score(text + i, end - i);
			ck_assert(s >= 0.0 && s <= 1.0);
			*pos += s >= 0.5;
			(*total)++;
		}
		i = end + 1;
	}
	*doc_score = sach_langid_score(text, len);
	free(text);
}

START_TEST(test_fixed_set)
{
	static const char *const others[] = {
		"en.txt", "fr.txt", "id.txt", "ms.txt", "tl.txt", "es.txt", "de.txt"
	};
	size_t tp, n_vi, tp2, n_vi2, fp = 0, pos, total, k;
	double doc, prec, rec, rec2;

	score_lines("vi.txt", &tp, &n_vi, &doc);
	ck_assert_msg(doc >= 0.5, "vi.txt as a document: %.3f", doc);
	score_lines("vi-nodiac.txt", &tp2, &n_vi2, &doc);
	ck_assert_msg(doc >= 0.5, "vi-nodiac.txt as a document: %.3f", doc);
	for (k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
		score_lines(others[k], &pos, &total, &doc);
		ck_assert_msg(doc < 0.5, "%s as a document: %.3f", others[k], doc);
		ck_assert_uint_gt(total, 0);
		fp += pos;
		if (pos)
			printf("langid fixed set: %s: %zu of %zu lines taken for Vietnamese\n",
			       others[k], pos, total);
	}
	prec = (double)(tp + tp2) / (double)(tp + tp2 + fp);
	rec = (double)tp / (double)n_vi;
	rec2 = (double)tp2 / (double)n_vi2;
	printf("langid fixed set: precision %.3f, recall %.3f (with diacritics), "
	       "%.3f (without)\n", prec, rec, rec2);
	ck_assert_double_ge(prec, LG_MIN_PRECISION);
	ck_assert_double_ge(rec, LG_MIN_RECALL);
	ck_assert_double_ge(rec2, LG_MIN_RECALL_NODIAC);
}
END_TEST

START_TEST(test_no_letters)
{
	ck_assert_double_eq(sach_langid_score("", 0), 0.0);
	ck_assert_double_eq(sach_langid_score("12 345 !!! 3.14 -- ...", 22), 0.0);
	ck_assert_double_eq(sach_langid_score(NULL, 0), 0.0);
	/* acronyms and numbers say nothing either way */
	ck_assert_double_eq(sach_langid_score("UBND TP 2024", 12), 0.0);
}
END_TEST

START_TEST(test_words)
{
	/* "Vi\xe1\xbb\x87t Nam" = Viet Nam with e-circumflex-dot */
	const char *vi = "Vi\xe1\xbb\x87t Nam";
	const char *ru = "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80";
	double a = sach_langid_score(vi, strlen(vi));

	ck_assert_double_ge(a, 0.9);
	ck_assert_double_eq(a, sach_langid_score(vi, strlen(vi))); /* deterministic */
	ck_assert_double_lt(sach_langid_score(ru, strlen(ru)), 0.1); /* Cyrillic "privet mir" */
	ck_assert_double_lt(sach_langid_score("the file cannot be opened", 25), 0.2);
	ck_assert_double_lt(sach_langid_score("berkas tidak dapat dibuka", 25), 0.2);
	ck_assert_double_ge(sach_langid_score("toi khong biet nguoi do", 23), 0.7);
}
END_TEST

static int known(const char *ascii)
{
	sach_buf b = {0};
	int r;

	ck_assert_int_eq(sach_viet_fold_key(ascii, strlen(ascii), &b), 0);
	r = sach__skeleton_known(sach__word_key(b.ptr, b.len));
	sach_buf_free(&b);
	return r;
}

START_TEST(test_skeletons)
{
	size_t n = sach__skeleton_count();

	printf("langid: %zu syllable skeletons\n", n);
	ck_assert_uint_gt(n, 1500);
	ck_assert_uint_lt(n, 6000);
	ck_assert(known("nguoi"));
	ck_assert(known("duoc"));
	ck_assert(known("khong"));
	ck_assert(known("nghieng"));
	ck_assert(known("quyen"));
	ck_assert(known("ky") && known("ki"));
	ck_assert(!known("untuk"));
	ck_assert(!known("dengan"));
	ck_assert(known("ke"));      /* k before e is allowed */
	ck_assert(!known("ghu"));     /* gh only before e, i, y */
}
END_TEST

START_TEST(test_ref_skeletons)
{
	const char *dir = getenv("SACH_SHARED_REFERENCE");
	char path[4200];
	size_t len, i = 0, total = 0, ok = 0;
	sach_buf sk = {0}, fk = {0};
	char *text;

	if (!dir || !*dir) {
		printf("langid reference skeletons: skipped (SACH_SHARED_REFERENCE unset)\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/ref_syllables_langman_mit.txt", dir);
	text = read_file(path, &len);
	if (!text) {
		printf("langid reference skeletons: skipped (%s missing)\n", path);
		return;
	}
	while (i < len) {
		char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		if (end > i && text[i] != '#') {
			sach_buf_clear(&sk);
			sach_buf_clear(&fk);
			ck_assert_int_eq(sach_viet_skeleton(text + i, end - i, &sk), 0);
			ck_assert_int_eq(sach_viet_fold_key(sk.ptr, sk.len, &fk), 0);
			total++;
			if (sach__skeleton_known(sach__word_key(fk.ptr, fk.len)))
				ok++;
			else if (total - ok <= 10)
				printf("langid reference skeletons: unknown '%.*s' (from '%.*s')\n",
				       (int)fk.len, fk.ptr, (int)(end - i), text + i);
		}
		i = end + 1;
	}
	printf("langid reference skeletons: %zu of %zu known\n", ok, total);
	ck_assert_uint_gt(total, 1000);
	ck_assert_uint_ge(ok * 100, total * 99);
	sach_buf_free(&sk);
	sach_buf_free(&fk);
	free(text);
}
END_TEST

START_TEST(test_line_scores)
{
	/* Vietnamese line, English boilerplate line, no-letter line:
	 * "Toi di hoc moi ngay." (Toi: o-circumflex; di: d-stroke; hoc:
	 * o-dot; moi: o-circumflex-tilde; ngay: a-grave). */
	const char *text = "T\xc3\xb4i \xc4\x91i h\xe1\xbb\x8d" "c m\xe1\xbb\x97i ng\xc3\xa0y.\n"
			   "Click here to subscribe to our newsletter\n"
			   "123 456\n";
	sach_signals_ctx *ctx;
	sach_signals s;
	const sach_line_info *li;
	size_t n;

	ck_assert_int_eq(sach_signals_new(&ctx), 0);
	ck_assert_int_eq(sach_signals_compute(ctx, text, strlen(text), &s), 0);
	li = sach_signals_lines(ctx, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_float_ge(li[0].lang_score, 0.9f);
	ck_assert_float_lt(li[1].lang_score, 0.1f);
	ck_assert_float_eq(li[2].lang_score, 0.0f);
	/* vi_line_char_share: chars of line 0 / chars of lines 0 and 1 */
	ck_assert_double_eq_tol(s.vi_line_char_share,
				(double)li[0].chars / (double)(li[0].chars + li[1].chars), 1e-12);
	sach_signals_free(ctx);
}
END_TEST

static Suite *langid_suite(void)
{
	Suite *s = suite_create("langid");
	TCase *tc = tcase_create("core");
	TCase *ref = tcase_create("reference");

	tcase_add_test(tc, test_fixed_set);
	tcase_add_test(tc, test_no_letters);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_skeletons);
	tcase_add_test(tc, test_line_scores);
	suite_add_tcase(s, tc);
	tcase_add_test(ref, test_ref_skeletons);
	suite_add_tcase(s, ref);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(langid_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
