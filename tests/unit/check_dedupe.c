/*
 * check_dedupe.c - unit tests for the dedupe module: keys, MinHash and LSH
 * arithmetic on sets of known Jaccard similarity, union-find order, the
 * radix sort, the line counter's spills, and the file formats (round trip,
 * corrupt, truncated and mismatched files rejected).
 *
 * Vietnamese strings are \x escapes; the comments spell them in VIQR
 * (a` = a grave, o+ = horn, dd = d-stroke).
 */
#include "sach/dedupe.h"
#include "sach/error.h"
#include "sach/io.h"
#include "sach/viet.h"
#include "dedupe_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/check_dedupe.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *tpath(const char *name)
{
	static char p[4][400];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

/* ---- keys ---- */

START_TEST(exact_key_folds_style_case_space)
{
	sach_buf b = { 0 };
	uint64_t k1[2], k2[2], k3[2];
	/* "Ho`a bi`nh" / "hoa` BI`NH" (mark on o, then on a; case; spaces) */
	const char *a = "Ho\xcc\x80" "a b\xc3\xacnh", *c = "ho\xc3\xa0  B\xc3\x8cNH\n";

	ck_assert_int_eq(sach_dedupe_exact_key(a, strlen(a), &b, k1), 0);
	ck_assert_int_eq(sach_dedupe_exact_key(c, strlen(c), &b, k2), 0);
	ck_assert_int_eq(sach_dedupe_exact_key("hoa binh", 8, &b, k3), 0);
	(void)k1;
	ck_assert(k2[0] != k3[0] || k2[1] != k3[1]); /* diacritics count */
	sach_buf_free(&b);
}
END_TEST

START_TEST(exact_key_old_new_style)
{
	sach_buf b = { 0 };
	uint64_t k1[2], k2[2];
	/* "nu+o+'c ho`a" in old style (mark on o) and new style (mark on a) */
	const char *old = "ho\xc3\xb2" "a", *neu = "ho\xc3\xa0";

	ck_assert_int_eq(sach_dedupe_exact_key(old, strlen(old), &b, k1), 0);
	ck_assert_int_eq(sach_dedupe_exact_key(neu, strlen(neu), &b, k2), 0);
	sach_buf_free(&b);
}
END_TEST

START_TEST(line_key_blank_is_zero)
{
	sach_buf b = { 0 };
	uint64_t k;

	ck_assert_int_eq(sach_dedupe_line_key("  \t ", 4, &b, &k), 0);
	ck_assert_uint_eq(k, 0);
	ck_assert_int_eq(sach_dedupe_line_key("Xem them", 8, &b, &k), 0);
	ck_assert_uint_ne(k, 0);
	sach_buf_free(&b);
}
END_TEST

/* The signer joins the fold keys of lines; that must be the fold key of
 * the whole text. */
static int join_unit(void *ctx, const char *s, size_t n)
{
	sach_buf *out = ctx, f = { 0 };

	ck_assert_int_eq(sach_viet_fold_key(s, n, &f), 0);
	if (f.len) {
		if (out->len)
			sach_buf_append(out, " ", 1);
		sach_buf_append(out, f.ptr, f.len);
	}
	sach_buf_free(&f);
	return 0;
}

START_TEST(fold_of_lines_joins_to_fold_of_text)
{
	static const char *texts[] = {
		"  M\xe1\xbb\x99t  d\xc3\xb2ng\n\nHai\tD\xc3\x92NG \n  ba\n",
		"\n\n x\n", "", "a\r\nb", "L\xc3\xbd do\xe2\x80\x83 qu\xc3\xbd\n\xc2\xa0\nk\xe1\xbb\xb3",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		sach_buf whole = { 0 }, joined = { 0 }, jp = { 0 };

		ck_assert_int_eq(sach_viet_fold_key(texts[i], strlen(texts[i]), &whole), 0);
		ck_assert_int_eq(sach__dd_each_unit(texts[i], strlen(texts[i]), false, join_unit, &joined), 0);
		ck_assert_int_eq(sach__dd_each_unit(texts[i], strlen(texts[i]), true, join_unit, &jp), 0);
		ck_assert_uint_eq(whole.len, joined.len);
		ck_assert(whole.len == 0 || memcmp(whole.ptr, joined.ptr, whole.len) == 0);
		ck_assert_uint_eq(whole.len, jp.len);
		sach_buf_free(&whole);
		sach_buf_free(&joined);
		sach_buf_free(&jp);
	}
}
END_TEST

static int count_unit(void *ctx, const char *s, size_t n)
{
	(void)s;
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

START_TEST(units_lines_and_paragraphs)
{
	const char *t = "a\nb\n\n\nc\n  \nd\ne";
	int lines = 0, paras = 0;

	sach__dd_each_unit(t, strlen(t), false, count_unit, &lines);
	sach__dd_each_unit(t, strlen(t), true, count_unit, &paras);
	ck_assert_int_eq(lines, 8);
	ck_assert_int_eq(paras, 3);
}
END_TEST

/* ---- MinHash and LSH ---- */

/* Text of syllables w<from> .. w<to-1> ("w12 w13 ..."). */
static char *words(int from, int to)
{
	sach_buf b = { 0 };
	char w[16];
	int i;

	for (i = from; i < to; i++) {
		snprintf(w, sizeof(w), "%sw%d", i > from ? " " : "", i);
		sach_buf_puts(&b, w);
	}
	return b.ptr;
}

static double estimate(unsigned shingle, int a0, int a1, int b0, int b1)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_minhash *mh;
	uint32_t sa[112], sb[112];
	char *a = words(a0, a1), *b = words(b0, b1);
	double s;

	p.shingle = shingle;
	ck_assert_int_eq(sach_minhash_new(&mh, &p), 0);
	ck_assert_uint_eq(sach_minhash_size(mh), 112);
	ck_assert_int_gt(sach_minhash_sign(mh, a, strlen(a), sa), 0);
	ck_assert_int_gt(sach_minhash_sign(mh, b, strlen(b), sb), 0);
	s = sach_minhash_similarity(mh, sa, sb);
	sach_minhash_free(mh);
	free(a);
	free(b);
	return s;
}

START_TEST(minhash_known_jaccard)
{
	/* With 1-syllable shingles the sets are the words: overlap 50 of
	 * 150 is J = 1/3; 400 of 500 is 0.8; disjoint 0; same 1. 112 hashes
	 * give a standard error of about 0.045, so 0.12 is a safe margin. */
	ck_assert_double_eq_tol(estimate(1, 0, 100, 50, 150), 1.0 / 3, 0.12);
	ck_assert_double_eq_tol(estimate(1, 0, 450, 50, 500), 0.8, 0.12);
	ck_assert_double_eq_tol(estimate(1, 0, 100, 100, 200), 0.0, 0.05);
	ck_assert_double_eq_tol(estimate(5, 0, 300, 0, 300), 1.0, 1e-9);
	/* 5-gram shingles: 300 words sharing 240 give (236 of 356) 0.66. */
	ck_assert_double_eq_tol(estimate(5, 0, 300, 60, 360), 236.0 / 356, 0.12);
}
END_TEST

START_TEST(minhash_empty_and_short)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_minhash *mh;
	uint32_t s[112];

	ck_assert_int_eq(sach_minhash_new(&mh, &p), 0);
	ck_assert_int_eq(sach_minhash_sign(mh, " ,. ", 4, s), 0);
	ck_assert_uint_eq(s[0], UINT32_MAX);
	ck_assert_uint_eq(s[111], UINT32_MAX);
	ck_assert_int_eq(sach_minhash_sign(mh, "hai ba", 6, s), 1); /* one shingle */
	sach_minhash_free(mh);
}
END_TEST

START_TEST(lsh_probability)
{
	/* 14 x 8: the S-curve crosses 0.5 near J = 0.69. */
	ck_assert_double_eq_tol(sach_minhash_candidate_probability(14, 8, 0.69), 0.5, 0.05);
	ck_assert_double_lt(sach_minhash_candidate_probability(14, 8, 0.5), 0.06);
	ck_assert_double_gt(sach_minhash_candidate_probability(14, 8, 0.9), 0.99);
	ck_assert_double_eq_tol(sach_minhash_candidate_probability(1, 1, 0.3), 0.3, 1e-12);
}
END_TEST

START_TEST(params_checked)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;

	ck_assert_int_eq(sach_dedupe_params_check(&p), 0);
	p.bands = 0;
	ck_assert_int_eq(sach_dedupe_params_check(&p), SACH_EINVAL);
	p.bands = 14;
	p.shingle = 33;
	ck_assert_int_eq(sach_dedupe_params_check(&p), SACH_EINVAL);
}
END_TEST

/* ---- union-find and sort ---- */

START_TEST(union_find_root_is_lowest)
{
	uint32_t parent[10];
	uint32_t i;

	for (i = 0; i < 10; i++)
		parent[i] = i;
	sach__uf_union(parent, 5, 3);
	sach__uf_union(parent, 9, 3);
	sach__uf_union(parent, 7, 8);
	ck_assert_uint_eq(sach__uf_find(parent, 9), 3);
	sach__uf_union(parent, 8, 9);
	ck_assert_uint_eq(sach__uf_find(parent, 7), 3);
	sach__uf_union(parent, 9, 1);
	for (i = 3; i < 10; i++)
		if (i != 4 && i != 6)
			ck_assert_uint_eq(sach__uf_find(parent, i), 1);
	ck_assert_uint_eq(sach__uf_find(parent, 4), 4);
}
END_TEST

START_TEST(sort_pairs_stable)
{
	sach__dd_pair v[2000], tmp[2000];
	size_t i;

	for (i = 0; i < 2000; i++) {
		v[i].h = (i * 2654435761u) % 97 * 0x0123456789abull;
		v[i].i = (uint32_t)i;
	}
	sach__dd_sort_pairs(v, tmp, 2000);
	for (i = 1; i < 2000; i++) {
		ck_assert(v[i - 1].h <= v[i].h);
		if (v[i - 1].h == v[i].h)
			ck_assert_uint_lt(v[i - 1].i, v[i].i);
	}
}
END_TEST

static int cmp_u64_ref(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The radix sort of line keys gives what qsort() gives: random keys, keys
 * that share their low digits (skipped passes, odd number of moves), all
 * equal, one and none. */
START_TEST(sort_u64_matches_qsort)
{
	static uint64_t v[5000], ref[5000];
	const size_t sizes[] = { 0, 1, 2, 3, 1000, 5000 };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t s, i, n;
	int kind;

	for (kind = 0; kind < 4; kind++)
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			n = sizes[s];
			for (i = 0; i < n; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				v[i] = kind == 0 ? x :
				       kind == 1 ? x << 33 :          /* low 33 bits zero */
				       kind == 2 ? 42 :
				       (x & 0xff) << 44 | (x >> 60); /* few digits differ */
			}
			memcpy(ref, v, n * sizeof(*v));
			qsort(ref, n, sizeof(*ref), cmp_u64_ref);
			sach__dd_sort_u64(v, n);
			ck_assert_msg(n == 0 || memcmp(v, ref, n * sizeof(*v)) == 0,
				      "kind %d, n %zu", kind, n);
		}
}
END_TEST

/* ---- line counter ---- */

static int collect(void *ctx, uint64_t key)
{
	sach_buf *b = ctx;

	return sach_buf_append(b, &key, sizeof(key));
}

START_TEST(lines_counter_spills_same_answer)
{
	sach__dd_lines *small, *big;
	sach_buf a = { 0 }, b = { 0 };
	uint64_t i;

	ck_assert_int_eq(sach__dd_lines_new(&small, 1024, tmpdir), 0);
	ck_assert_int_eq(sach__dd_lines_new(&big, 1 << 20, tmpdir), 0);
	for (i = 0; i < 20000; i++) {
		uint64_t k = (i * 7919) % 3001 + 1; /* each key 6 or 7 times */

		if (i % 5 == 0)
			k = 5000 + i; /* once */
		ck_assert_int_eq(sach__dd_lines_add(small, k), 0);
		ck_assert_int_eq(sach__dd_lines_add(big, k), 0);
	}
	ck_assert_int_eq(sach__dd_lines_finish(small, 5, collect, &a), 0);
	ck_assert_int_eq(sach__dd_lines_finish(big, 5, collect, &b), 0);
	ck_assert_uint_gt(sach__dd_lines_spills(small), 10);
	ck_assert_uint_eq(sach__dd_lines_spills(big), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_uint_gt(a.len, 1000 * 8);
	ck_assert_int_eq(memcmp(a.ptr, b.ptr, a.len), 0);
	sach__dd_lines_free(small);
	sach__dd_lines_free(big);
	sach_buf_free(&a);
	sach_buf_free(&b);
}
END_TEST

/* ---- files: round trip and damage ---- */

static void sign_file(const char *path, const sach_dedupe_params *p, uint32_t part,
		      const char *const *texts, size_t n)
{
	sach_dedupe_signer *s;
	char id[32];
	size_t i;

	ck_assert_int_eq(sach_dedupe_signer_open(&s, path, p, part, false), 0);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "p%u-%zu", part, i);
		ck_assert_int_eq(sach_dedupe_signer_add(s, i + 1, id, texts[i], strlen(texts[i])), 0);
	}
	ck_assert_uint_eq(sach_dedupe_signer_count(s), n);
	ck_assert_int_eq(sach_dedupe_signer_commit(s), 0);
}

static const char *const part0[] = {
	"m\xe1\xbb\x99t hai ba b\xe1\xbb\x91n n\xc4\x83m s\xc3\xa1u b\xe1\xba\xa3y t\xc3\xa1m ch\xc3\xadn m\xc6\xb0\xe1\xbb\x9di",
	"chuyen khac han\nXem them",
};
static const char *const part1[] = {
	"M\xe1\xbb\x98T  hai ba b\xe1\xbb\x91n n\xc4\x83m s\xc3\xa1u b\xe1\xba\xa3y t\xc3\xa1m ch\xc3\xadn m\xc6\xb0\xe1\xbb\x9di",
	"khong lien quan gi\nXem them",
};

START_TEST(round_trip_sign_cluster_apply)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_cluster_options o = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	sach_dedupe_cluster_stats st;
	const char *sigs[2];
	char s0[400], s1[400], drop[400];

	snprintf(s0, sizeof(s0), "%s", tpath("a.sig"));
	snprintf(s1, sizeof(s1), "%s", tpath("b.sig.zst"));
	snprintf(drop, sizeof(drop), "%s", tpath("drop"));
	sign_file(s0, &p, 0, part0, 2);
	{
		sach_dedupe_signer *s;

		ck_assert_int_eq(sach_dedupe_signer_open(&s, s1, &p, 1, true), 0);
		ck_assert_int_eq(sach_dedupe_signer_add(s, 3, "p1-0", part1[0], strlen(part1[0])), 0);
		ck_assert_int_eq(sach_dedupe_signer_add(s, 2, "x", "y", 1), SACH_EINVAL); /* lines grow */
		ck_assert_int_eq(sach_dedupe_signer_add(s, 7, "p1-1", part1[1], strlen(part1[1])), 0);
		ck_assert_int_eq(sach_dedupe_signer_commit(s), 0);
	}
	sigs[0] = s1; /* any order: sorted by part */
	sigs[1] = s0;
	o.tmp_dir = tmpdir;
	o.line_min_docs = 2;
	ck_assert_int_eq(sach_dedupe_cluster(sigs, 2, drop, &o, &st), 0);
	ck_assert_uint_eq(st.docs, 4);
	ck_assert_uint_eq(st.exact, 1);
	ck_assert_uint_eq(st.near, 0);
	ck_assert_uint_eq(st.repeated_lines, 1); /* "Xem them" */
	{
		sach_dedupe_applier *a;

		ck_assert_int_eq(sach_dedupe_applier_open(&a, drop, 0, 1), 0);
		sach_dedupe_applier_free(a);
		ck_assert_int_eq(sach_dedupe_applier_open(&a, drop, 5, 1), SACH_ECONFIG);
		ck_assert_ptr_nonnull(strstr(sach_error_last(), "part 5"));
	}
}
END_TEST

static void write_bytes(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*n + 1);
	ck_assert_uint_eq(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static int cluster_one(const char *sig)
{
	sach_dedupe_cluster_options o = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	const char *sigs[1] = { sig };

	o.tmp_dir = tmpdir;
	return sach_dedupe_cluster(sigs, 1, tpath("drop"), &o, NULL);
}

START_TEST(corrupt_files_rejected)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	char good[400];
	size_t n, k;
	char *b;

	snprintf(good, sizeof(good), "%s", tpath("good.sig"));
	sign_file(good, &p, 0, part0, 2);
	ck_assert_int_eq(cluster_one(good), 0);
	b = read_all(good, &n);
	/* A flipped bit anywhere: header, record or trailer. */
	for (k = 0; k < n; k += 7) {
		b[k] ^= 0x10;
		write_bytes(tpath("bad.sig"), b, n);
		ck_assert_int_eq(cluster_one(tpath("bad.sig")), SACH_ECORRUPT);
		b[k] ^= 0x10;
	}
	/* Truncated, and with data appended. */
	write_bytes(tpath("bad.sig"), b, n - 3);
	ck_assert_int_eq(cluster_one(tpath("bad.sig")), SACH_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "bad.sig"));
	write_bytes(tpath("bad.sig"), b, n);
	{
		FILE *f = fopen(tpath("bad.sig"), "ab");

		fputc('x', f);
		fclose(f);
	}
	ck_assert_int_eq(cluster_one(tpath("bad.sig")), SACH_ECORRUPT);
	/* Another version. */
	b[12] = 9;
	write_bytes(tpath("bad.sig"), b, n);
	ck_assert_int_eq(cluster_one(tpath("bad.sig")), SACH_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "version 9"));
	/* Not ours at all; and a drop list where a signature file belongs. */
	write_bytes(tpath("bad.sig"), "{\"id\": 1}\n", 10);
	ck_assert_int_eq(cluster_one(tpath("bad.sig")), SACH_ECORRUPT);
	ck_assert_int_eq(cluster_one(good), 0);
	ck_assert_int_eq(cluster_one(tpath("drop")), SACH_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "drop list"));
	free(b);
}
END_TEST

START_TEST(mismatched_params_rejected)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT, q = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_cluster_options o = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	const char *sigs[2];
	char a[400], b[400];

	q.bands = 16;
	snprintf(a, sizeof(a), "%s", tpath("a.sig"));
	snprintf(b, sizeof(b), "%s", tpath("b.sig"));
	sign_file(a, &p, 0, part0, 2);
	sign_file(b, &q, 1, part1, 2);
	sigs[0] = a;
	sigs[1] = b;
	o.tmp_dir = tmpdir;
	ck_assert_int_eq(sach_dedupe_cluster(sigs, 2, tpath("drop"), &o, NULL), SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "--bands"));
	/* Two files of one part. */
	sign_file(b, &p, 0, part1, 2);
	ck_assert_int_eq(sach_dedupe_cluster(sigs, 2, tpath("drop"), &o, NULL), SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "both part 0"));
}
END_TEST

START_TEST(exact_set_first_and_budget)
{
	sach_dedupe_exact_set *x = NULL;
	sach_buf b = { 0 };
	uint64_t k1[2], k2[2], k[2];
	const char *first = NULL;
	char id[32];
	int i, rc = 0;

	ck_assert_int_eq(sach_dedupe_exact_set_new(&x, (size_t)1 << 20), 0);
	ck_assert_int_eq(sach_dedupe_exact_key("Hoa binh", 8, &b, k1), 0);
	ck_assert_int_eq(sach_dedupe_exact_key("  hoa   BINH ", 13, &b, k2), 0);
	ck_assert(k1[0] == k2[0] && k1[1] == k2[1]);
	ck_assert_int_eq(sach_dedupe_exact_set_add(x, k1, "first", &first), 0);
	ck_assert_ptr_null(first);
	ck_assert_int_eq(sach_dedupe_exact_set_add(x, k2, "second", &first), 1);
	ck_assert_str_eq(first, "first");
	/* many keys: every one found again after the table grew */
	for (i = 0; i < 5000; i++) {
		k[0] = (uint64_t)i * 0x9E3779B97F4A7C15ull;
		k[1] = (uint64_t)i;
		snprintf(id, sizeof(id), "d%d", i);
		ck_assert_int_eq(sach_dedupe_exact_set_add(x, k, id, &first), 0);
	}
	for (i = 0; i < 5000; i += 7) {
		k[0] = (uint64_t)i * 0x9E3779B97F4A7C15ull;
		k[1] = (uint64_t)i;
		snprintf(id, sizeof(id), "d%d", i);
		ck_assert_int_eq(sach_dedupe_exact_set_add(x, k, "again", &first), 1);
		ck_assert_str_eq(first, id);
	}
	ck_assert_uint_eq(sach_dedupe_exact_set_count(x), 5001);
	ck_assert(sach_dedupe_exact_set_peak(x) <= ((size_t)1 << 20));
	sach_dedupe_exact_set_free(x);
	/* over the budget: SACH_ECONFIG with a message, never more memory */
	ck_assert_int_eq(sach_dedupe_exact_set_new(&x, 64 << 10), 0);
	for (i = 0; i < 100000 && rc == 0; i++) {
		k[0] = (uint64_t)i;
		k[1] = 1;
		rc = sach_dedupe_exact_set_add(x, k, "id", &first);
	}
	ck_assert_int_eq(rc, SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "memory budget"));
	ck_assert(sach_dedupe_exact_set_peak(x) <= (64 << 10));
	sach_dedupe_exact_set_free(x);
	ck_assert_int_eq(sach_dedupe_exact_set_new(&x, 100), SACH_ECONFIG);
	sach_buf_free(&b);
}
END_TEST

/* ---- pre-keys ---- */

/* The pre-key text by its definition, one byte at a time, without the
 * table walk or the 16-byte blocks (the reference they must match). */
static void prekey_reference(const unsigned char *s, size_t n, sach_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned c = s[i];

		if (c < 0x80) {
			unsigned l = (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
			char ch = (char)l;

			if (l && !strchr("aeiouy", (int)l) && c != ' ' && !(c >= 0x09 && c <= 0x0D))
				sach_buf_append(out, &ch, 1);
		} else if (c <= 0xBF) {
			/* continuation: kept after a kept lead at most 3 back */
			size_t j = i, back = 0;

			while (j > 0 && back < 3 && (s[j - 1] & 0xC0) == 0x80)
				j--, back++;
			if (j > 0 && back < 3 && (s[j - 1] == 0xE0 || s[j - 1] >= 0xE4))
				sach_buf_append(out, s + i, 1);
		} else if (c == 0xE0 || c >= 0xE4) {
			sach_buf_append(out, s + i, 1);
		}
	}
}

/* Pieces of random text: Vietnamese letters in both cases and with tone
 * marks on either vowel, y/i, spaces of every kind, CJK, combining marks,
 * stray and truncated bytes, controls. */
static const char *const pk_pieces[] = {
	"a", "A", "o", "O", "e", "i", "u", "y", "Y", "h", "n", "g", "qu", "gi", "tr", "kh", "ng",
	"\xc3\xb2", "\xc3\x92", "\xc3\xa0", "\xc3\x80", "\xc3\xbd", "\xc3\x9d", "\xe1\xbb\xb3",
	"\xe1\xbb\xb7", "\xe1\xbb\x8f", "\xe1\xba\xa3", "\xe1\xbb\x87", "\xe1\xba\xa0",
	"\xc4\x91", "\xc4\x90", "\xc6\xb0", "\xc6\xa1", "\xe1\xbb\xa3", "\xe1\xbb\xab",
	"\xcc\x80", "\xcc\x81", "\xcc\x89", " ", "  ", "\n", "\n\n", "\t", "\r", "\xc2\xa0",
	"\xc2\x85", "\xe2\x80\x80", "\xe2\x80\xaf", "\xe3\x80\x80", "\xe1\x9a\x80", "\xe4\xb8\xad",
	"\xe0\xb8\x81", "\xf0\x9f\x98\x80", "\x80", "\xbf", "\xe4", "\xe4\xb8", "\xc3", "\xe1\xbb",
	"\x01", "\x7f", ".", ",", "1", "\xce\x91", "\xd0\x90", "\xc3\x84", "\xc3\x9f",
};

static size_t random_text(char *buf, unsigned *seed, int maxpieces)
{
	size_t n = 0, np = sizeof(pk_pieces) / sizeof(pk_pieces[0]);
	int k, j;

	k = (int)(rand_r(seed) % (unsigned)maxpieces);
	for (j = 0; j < k; j++) {
		const char *p = pk_pieces[rand_r(seed) % np];

		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	return n;
}

static void ck_same_buf(const sach_buf *a, const sach_buf *b)
{
	ck_assert_uint_eq(a->len, b->len);
	ck_assert(a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

START_TEST(prekey_coarser_than_fold_random)
{
	static const unsigned widths[] = { 32, 16, 1 };
	sach_buf f = { 0 }, a = { 0 }, b = { 0 }, r = { 0 };
	unsigned seed = 12345;
	char buf[4096];
	int it;

	for (it = 0; it < 30000; it++) {
		/* every SIMD width (AVX2, SSSE3, none) against the reference */
		sach__dd_prekey_width = widths[it % 3];
		size_t n = random_text(buf, &seed, it % 10 == 0 ? 300 : 40);

		sach_buf_clear(&f);
		sach_buf_clear(&a);
		sach_buf_clear(&b);
		sach_buf_clear(&r);
		ck_assert_int_eq(sach_viet_fold_key(buf, n, &f), 0);
		ck_assert_int_eq(sach__dd_prekey_text(buf, n, &a), 0);
		ck_assert_int_eq(sach__dd_prekey_text(f.ptr, f.len, &b), 0);
		/* prekey(fold(x)) == prekey(x): equal fold keys, equal pre-keys */
		ck_same_buf(&a, &b);
		prekey_reference((const unsigned char *)buf, n, &r);
		ck_same_buf(&a, &r);
	}
	sach__dd_prekey_width = 32;
	sach_buf_free(&f);
	sach_buf_free(&a);
	sach_buf_free(&b);
	sach_buf_free(&r);
}
END_TEST

/* Variants that must share the fold key share the pre-key: tone style,
 * case, spaces (the pairs of the exact-key tests), on real text too. */
START_TEST(prekey_variants_and_real_text)
{
	static const char *const pairs[][2] = {
		{ "ho\xc3\xb2" "a b\xc3\xacnh", "ho\xc3\xa0  B\xc3\x8cNH\n" },
		{ "Th\xe1\xbb\xa7y l\xe1\xbb\xa3i", "  thu\xe1\xbb\xb7 L\xe1\xbb\xa2I " },
		{ "kh\xc3\xb3" "e m\xe1\xba\xa1nh", "KHO\xc3\x89 m\xe1\xba\xa0NH" },
		{ "l\xc3\xbd do", "l\xc3\xad do" },
		{ "\xc2\xa0Vi\xe1\xbb\x87t\xe3\x80\x80Nam\t", "vi\xe1\xbb\x87t nam" },
	};
	sach_buf sc = { 0 }, f = { 0 }, a = { 0 }, b = { 0 };
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_reader *rd = NULL;
	sach_doc *doc;
	uint64_t k1[2], k2[2], p1, p2;
	char path[600];
	const char *root = getenv("SACH_SOURCE_ROOT");
	size_t i, len, docs = 0;
	int rc;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		ck_assert_int_eq(sach_dedupe_exact_key(pairs[i][0], strlen(pairs[i][0]), &sc, k1), 0);
		ck_assert_int_eq(sach_dedupe_exact_key(pairs[i][1], strlen(pairs[i][1]), &sc, k2), 0);
		ck_assert_int_eq(sach_dedupe_prekey(pairs[i][0], strlen(pairs[i][0]), &sc, &p1), 0);
		ck_assert_int_eq(sach_dedupe_prekey(pairs[i][1], strlen(pairs[i][1]), &sc, &p2), 0);
		if (k1[0] == k2[0] && k1[1] == k2[1])
			ck_assert(p1 == p2);
	}
	/* pre-keys tell different texts apart */
	ck_assert_int_eq(sach_dedupe_prekey("ban nha", 7, &sc, &p1), 0);
	ck_assert_int_eq(sach_dedupe_prekey("ban nhanh", 9, &sc, &p2), 0);
	ck_assert(p1 != p2);
	snprintf(path, sizeof(path), "%s/corpora/vi-news-demo.jsonl", root ? root : ".");
	ck_assert_int_eq(sach_reader_open(&rd, path, &ro), 0);
	while ((rc = sach_reader_next(rd, &doc)) > 0) {
		const char *t = sach_doc_text(doc, &len);
		char *up = malloc(len + 1);
		size_t j;

		/* the text, its fold key, and its ASCII upper case */
		sach_buf_clear(&f);
		sach_buf_clear(&a);
		sach_buf_clear(&b);
		ck_assert_int_eq(sach_viet_fold_key(t, len, &f), 0);
		ck_assert_int_eq(sach__dd_prekey_text(t, len, &a), 0);
		ck_assert_int_eq(sach__dd_prekey_text(f.ptr, f.len, &b), 0);
		ck_same_buf(&a, &b);
		for (j = 0; j < len; j++)
			up[j] = (char)((t[j] >= 'a' && t[j] <= 'z') ? t[j] - 0x20 : t[j]);
		sach_buf_clear(&b);
		ck_assert_int_eq(sach__dd_prekey_text(up, len, &b), 0);
		ck_same_buf(&a, &b);
		free(up);
		docs++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(docs, 100);
	sach_reader_close(rd);
	sach_buf_free(&sc);
	sach_buf_free(&f);
	sach_buf_free(&a);
	sach_buf_free(&b);
}
END_TEST

START_TEST(prekey_set_groups_and_budget)
{
	sach_dedupe_prekey_set *s = NULL;
	int i, rc = 0;

	ck_assert_int_eq(sach_dedupe_prekey_set_new(&s, (size_t)1 << 20), 0);
	/* documents 0..9999 with keys i % 5000 except document 3 alone */
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(sach_dedupe_prekey_set_add(s, i == 3 ? 99999 : (uint64_t)(i % 5000)),
				 i >= 5000 && i != 5003 ? 1 : 0);
	sach_dedupe_prekey_set_seal(s);
	ck_assert_int_eq(sach_dedupe_prekey_set_member(s, 0), 1);
	ck_assert_int_eq(sach_dedupe_prekey_set_member(s, 5000), 1);
	ck_assert_int_eq(sach_dedupe_prekey_set_member(s, 3), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_member(s, 5003), 0);
	ck_assert_uint_eq(sach_dedupe_prekey_set_members(s), 9998);
	ck_assert_int_eq(sach_dedupe_prekey_set_member(s, 10000), SACH_ECONFIG);
	ck_assert(sach_dedupe_prekey_set_peak(s) <= ((size_t)1 << 20));
	sach_dedupe_prekey_set_free(s);
	ck_assert_int_eq(sach_dedupe_prekey_set_new(&s, 64 << 10), 0);
	for (i = 0; i < 100000 && rc >= 0; i++)
		rc = sach_dedupe_prekey_set_add(s, (uint64_t)i * 0x9E3779B97F4A7C15ull);
	ck_assert_int_eq(rc, SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "memory budget"));
	ck_assert(sach_dedupe_prekey_set_peak(s) <= (64 << 10));
	sach_dedupe_prekey_set_free(s);
}
END_TEST

/* Uniform groups: every member has the first's text hash. Groups by
 * pre-key: 1: A A A (uniform); 2: A2 A2 B (mixed at the third); 3: C alone
 * (no member, so not in the uniform set); 4: D then a plain add (mixed:
 * no hash); 5: E E (uniform). */
START_TEST(prekey_set_uniform_groups)
{
	sach_dedupe_prekey_set *s = NULL;
	uint64_t ha[2], hb[2], hc[2], hd[2], he[2], ha2[2], zero[2] = { 0, 0 };
	static const uint64_t keys[] = { 1, 2, 1, 2, 3, 4, 1, 2, 4, 5, 5 };
	const uint64_t *h[11];
	int i;

	ck_assert_int_eq(sach_dedupe_text_hash("A", 1, ha), 0);
	ck_assert_int_eq(sach_dedupe_text_hash("A2", 2, ha2), 0);
	ck_assert_int_eq(sach_dedupe_text_hash("B", 1, hb), 0);
	ck_assert_int_eq(sach_dedupe_text_hash("C", 1, hc), 0);
	ck_assert_int_eq(sach_dedupe_text_hash("D", 1, hd), 0);
	ck_assert_int_eq(sach_dedupe_text_hash("E", 1, he), 0);
	ck_assert_int_eq(sach_dedupe_text_hash(NULL, 1, he), SACH_EINVAL);
	h[0] = ha; h[1] = ha2; h[2] = ha; h[3] = ha2; h[4] = hc; h[5] = hd;
	h[6] = ha; h[7] = hb; h[8] = NULL; h[9] = he; h[10] = he;
	ck_assert_int_eq(sach_dedupe_prekey_set_new(&s, (size_t)1 << 20), 0);
	for (i = 0; i < 11; i++)
		ck_assert_int_ge(sach_dedupe_prekey_set_add_text(s, keys[i], h[i]), 0);
	sach_dedupe_prekey_set_seal(s);
	ck_assert_int_eq(sach_dedupe_prekey_set_add_text(s, 9, ha), SACH_EINVAL);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, ha), 1);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, he), 1);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, ha2), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, hb), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, hc), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, hd), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, zero), 0);
	ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, NULL), SACH_EINVAL);
	ck_assert_uint_eq(sach_dedupe_prekey_set_uniform_groups(s), 2);
	ck_assert_uint_eq(sach_dedupe_prekey_set_members(s), 10);
	ck_assert(sach_dedupe_prekey_set_held(s) <= sach_dedupe_prekey_set_peak(s));
	sach_dedupe_prekey_set_free(s);
	/* 1000 uniform pairs: with a budget the uniform set (32 KiB) does not
	 * fit beside the key table (64 KiB), no shortcut and the memberships
	 * still right; with room, every pair is uniform */
	for (i = 0; i < 2; i++) {
		int j;

		ck_assert_int_eq(sach_dedupe_prekey_set_new(&s, i ? (size_t)1 << 20 : 80 << 10), 0);
		for (j = 0; j < 2000; j++) {
			uint64_t t[2] = { (uint64_t)(j % 1000) + 1, 7 };

			ck_assert_int_ge(sach_dedupe_prekey_set_add_text(s, (uint64_t)(j % 1000), t), 0);
		}
		sach_dedupe_prekey_set_seal(s);
		ck_assert_uint_eq(sach_dedupe_prekey_set_members(s), 2000);
		ck_assert_uint_eq(sach_dedupe_prekey_set_uniform_groups(s), i ? 1000 : 0);
		ha[0] = 500;
		ha[1] = 7;
		ck_assert_int_eq(sach_dedupe_prekey_set_uniform(s, ha), i);
		ck_assert(sach_dedupe_prekey_set_peak(s) <= (i ? (size_t)1 << 20 : 80 << 10));
		sach_dedupe_prekey_set_free(s);
	}
}
END_TEST

/* signer_add == keyer_keys + signer_add_keys, byte for byte */
START_TEST(keyer_same_file_as_signer)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_signer *s1, *s2;
	sach_dedupe_keyer *k;
	sach_buf blob = { 0 };
	char cmd[1200];
	const char *texts[] = { "M\xe1\xbb\x99t hai ba b\xe1\xbb\x91n n\xc4\x83m s\xc3\xa1u\nd\xc3\xb2ng hai",
				"", "x", "ho\xc3\xb2" "a b\xc3\xacnh\n\nl\xc3\xbd do" };
	int v, i;

	for (v = 0; v < 2; v++) {
		p.jaccard = v ? 0.5 : 0.0;
		p.paragraphs = v;
		ck_assert_int_eq(sach_dedupe_signer_open(&s1, tpath("a.sig"), &p, 0, false), 0);
		ck_assert_int_eq(sach_dedupe_signer_open(&s2, tpath("b.sig"), &p, 0, false), 0);
		ck_assert_int_eq(sach_dedupe_keyer_new(&k, &p), 0);
		for (i = 0; i < 4; i++) {
			ck_assert_int_eq(sach_dedupe_signer_add(s1, (uint64_t)i + 1, "id", texts[i],
								strlen(texts[i])), 0);
			sach_buf_clear(&blob);
			ck_assert_int_eq(sach_dedupe_keyer_keys(k, texts[i], strlen(texts[i]), &blob), 0);
			ck_assert_int_eq(sach_dedupe_signer_add_keys(s2, (uint64_t)i + 1, "id", blob.ptr,
								     blob.len), 0);
		}
		/* a block cut short is refused */
		ck_assert_int_eq(sach_dedupe_signer_add_keys(s2, 9, "id", blob.ptr, blob.len - 1),
				 SACH_EINVAL);
		sach_dedupe_signer_abort(s2);
		ck_assert_int_eq(sach_dedupe_signer_open(&s2, tpath("b.sig"), &p, 0, false), 0);
		for (i = 0; i < 4; i++) {
			sach_buf_clear(&blob);
			ck_assert_int_eq(sach_dedupe_keyer_keys(k, texts[i], strlen(texts[i]), &blob), 0);
			ck_assert_int_eq(sach_dedupe_signer_add_keys(s2, (uint64_t)i + 1, "id", blob.ptr,
								     blob.len), 0);
		}
		ck_assert_int_eq(sach_dedupe_signer_commit(s1), 0);
		ck_assert_int_eq(sach_dedupe_signer_commit(s2), 0);
		sach_dedupe_keyer_free(k);
		snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", tpath("a.sig"), tpath("b.sig"));
		ck_assert_int_eq(system(cmd), 0);
	}
	sach_buf_free(&blob);
}
END_TEST

START_TEST(memory_budget_honoured)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_cluster_options o = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	sach_dedupe_signer *s;
	const char *sigs[1];
	char sig[400], id[32], *t;
	int i;

	snprintf(sig, sizeof(sig), "%s", tpath("m.sig"));
	ck_assert_int_eq(sach_dedupe_signer_open(&s, sig, &p, 0, false), 0);
	for (i = 0; i < 20000; i++) {
		snprintf(id, sizeof(id), "d%d", i);
		t = words(i, i + 8);
		ck_assert_int_eq(sach_dedupe_signer_add(s, (uint64_t)i + 1, id, t, strlen(t)), 0);
		free(t);
	}
	ck_assert_int_eq(sach_dedupe_signer_commit(s), 0);
	sigs[0] = sig;
	o.tmp_dir = tmpdir;
	o.mem = 1 << 20;
	ck_assert_int_eq(sach_dedupe_cluster(sigs, 1, tpath("drop"), &o, NULL), SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "raise --mem"));
	{
		sach_dedupe_cluster_stats st;

		o.mem = 16 << 20;
		ck_assert_int_eq(sach_dedupe_cluster(sigs, 1, tpath("drop"), &o, &st), 0);
		ck_assert_uint_le(st.peak_bytes, o.mem);
		ck_assert_uint_eq(st.docs, 20000);
		/* Documented figure: fixed bytes per document, ids aside. */
		ck_assert_uint_le(st.peak_bytes / 20000, SACH_DEDUPE_BYTES_PER_DOC * 2 + 16);
	}
}
END_TEST



/* Files of the previous formats (signature and drop list version 1: line
 * keys without pre-keys, no marks) are refused with the version error. */
START_TEST(old_format_versions_refused)
{
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_applier *a;
	char good[400], drop[400];
	size_t n;
	char *b;

	snprintf(good, sizeof(good), "%s", tpath("good.sig"));
	snprintf(drop, sizeof(drop), "%s", tpath("drop"));
	sign_file(good, &p, 0, part0, 2);
	ck_assert_int_eq(cluster_one(good), 0);
	b = read_all(good, &n);
	ck_assert_int_eq(b[12], 2);
	b[12] = 1;
	write_bytes(tpath("old.sig"), b, n);
	ck_assert_int_eq(cluster_one(tpath("old.sig")), SACH_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "format version 1; this build reads version 2"));
	free(b);
	b = read_all(drop, &n);
	ck_assert_int_eq(b[12], 2);
	b[12] = 1;
	write_bytes(drop, b, n);
	ck_assert_int_eq(sach_dedupe_applier_open(&a, drop, 0, 1), SACH_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "format version 1; this build reads version 2"));
	free(b);
}
END_TEST

/* The signature against a plain per-shingle reference of the formula in
 * dedupe_minhash.c, across the batch size (256 shingles) and its edges. */
static uint64_t ref_splitmix(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

START_TEST(minhash_batches_match_reference)
{
	static const unsigned counts[] = { 1, 2, 5, 255, 256, 257, 260, 511, 512, 513, 1500 };
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_minhash *mh;
	uint32_t sig[14 * 8], want[14 * 8], a[14 * 8], bb[14 * 8];
	uint64_t st = p.seed;
	size_t c, i, j;

	for (i = 0; i < 14 * 8; i++) {
		uint64_t r = ref_splitmix(&st);

		a[i] = (uint32_t)r | 1;
		bb[i] = (uint32_t)(r >> 32);
	}
	ck_assert_int_eq(sach_minhash_new(&mh, &p), 0);
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		/* counts[c] + 4 distinct syllables: counts[c] 5-shingles */
		unsigned ns = counts[c] + 4, k;
		sach_buf t = { 0 };
		uint64_t *tok = malloc(ns * sizeof(uint64_t));
		char w[32];

		for (k = 0; k < ns; k++) {
			int m = snprintf(w, sizeof(w), "%sw%u", k ? " " : "", k * 7919u);

			sach_buf_append(&t, w, (size_t)m);
			tok[k] = XXH3_64bits(w + (k ? 1 : 0), (size_t)m - (k ? 1 : 0));
		}
		for (i = 0; i < 14 * 8; i++)
			want[i] = UINT32_MAX;
		for (k = 0; k + 5 <= ns; k++) {
			uint32_t h = (uint32_t)XXH3_64bits(tok + k, 5 * sizeof(uint64_t));

			for (i = 0; i < 14 * 8; i++) {
				uint32_t v = (h ^ bb[i]) * a[i];

				v = (v ^ (v >> 15)) * 0x2c1b3c6du;
				if (v < want[i])
					want[i] = v;
			}
		}
		ck_assert_int_eq(sach_minhash_sign(mh, t.ptr, t.len, sig), (int64_t)counts[c]);
		for (j = 0; j < 14 * 8; j++)
			ck_assert_uint_eq(sig[j], want[j]);
		free(tok);
		sach_buf_free(&t);
	}
	sach_minhash_free(mh);
}
END_TEST

/* ---- one fold per document: the differential checks ---- */

/* Whole-text fold key against the joined line (and paragraph) fold keys;
 * the failing text is printed, escaped, when they differ. */
static sach_buf whole, joined, jp; /* reused: the corpora are 55k documents */

static void check_join(const char *t, size_t len, const char *what)
{
	size_t i;

	sach_buf_clear(&whole);
	sach_buf_clear(&joined);
	sach_buf_clear(&jp);
	ck_assert_int_eq(sach_viet_fold_key(t, len, &whole), 0);
	ck_assert_int_eq(sach__dd_each_unit(t, len, false, join_unit, &joined), 0);
	ck_assert_int_eq(sach__dd_each_unit(t, len, true, join_unit, &jp), 0);
	if (whole.len != joined.len || (whole.len && memcmp(whole.ptr, joined.ptr, whole.len)) ||
	    whole.len != jp.len || (whole.len && memcmp(whole.ptr, jp.ptr, whole.len))) {
		fprintf(stderr, "%s: fold of lines differs from fold of text for: ", what);
		for (i = 0; i < len && i < 400; i++)
			fprintf(stderr, (unsigned char)t[i] < 0x20 ? "\\x%02x" : "%c", (unsigned char)t[i]);
		fprintf(stderr, "\n");
		ck_abort_msg("fold of lines != fold of text (%s)", what);
	}
}

/* The signer's exact key (lines on, so built from the line folds) is the
 * key of the whole text's fold. */
static void check_keyer_key(sach_dedupe_keyer *k, const char *t, size_t len)
{
	static sach_buf blob;
	uint64_t want[2], got[2];
	XXH128_hash_t h;

	sach_buf_clear(&blob);
	ck_assert_int_eq(sach_dedupe_keyer_keys(k, t, len, &blob), 0);
	ck_assert_uint_ge(blob.len, 16);
	memcpy(got, blob.ptr, 16);
	/* the whole fold is in `whole` (check_join ran first) */
	h = XXH3_128bits(whole.ptr ? whole.ptr : "", whole.len);
	want[0] = h.low64;
	want[1] = h.high64;
	ck_assert(got[0] == want[0] && got[1] == want[1]);
}

START_TEST(fold_of_lines_joins_generated)
{
	/* pieces that stress the join: every kind of line break and space,
	 * blank and space-only lines, both tone styles, i/y, case, decomposed
	 * marks (one at the start of a line), punctuation glued to words */
	static const char *pieces[] = {
		"\n", "\n", "\r\n", "\r", "\n\n", "\n \n", "\n\t\n", " ", "  ", "\t", "\v", "\f",
		"\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xe1\x9a\x80", "\xc2\x85",
		"ho\xc3\xa0", "h\xc3\xb2" "a", "thu\xe1\xbb\xb7", "th\xe1\xbb\xa7y", "qu\xc3\xbd", "k\xe1\xbb\xb3",
		"L\xc3\x9d", "Q\xc3\xbay", "Kh\xc3\x93" "E", "kho\xe1\xba\xbb", "a\xcc\x81", "\xcc\x81", "\xcc\x80o",
		"ly", "li", "gi\xe1\xbb\xaf" "a", "\xc4\x90\xc3\xa0", "NG\xc6\xAF\xe1\xbb\x9cI", ".", ",", "(x)",
		"T\xc3\xb4i", "\xe4\xb8\xad", "\xff", "\xe1\xba", "123", "-", "\"",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_keyer *k;
	uint64_t st = 12345;
	char buf[600];
	int round;

	ck_assert_int_eq(sach_dedupe_keyer_new(&k, &p), 0);
	for (round = 0; round < 20000; round++) {
		size_t len = 0, n, i;

		st = st * 6364136223846793005ull + 1442695040888963407ull;
		n = (size_t)(st >> 59) + 1;
		for (i = 0; i < n; i++) {
			const char *pc;
			size_t pl;

			st = st * 6364136223846793005ull + 1442695040888963407ull;
			pc = pieces[(st >> 33) % np];
			pl = strlen(pc);
			if (len + pl > sizeof(buf))
				break;
			memcpy(buf + len, pc, pl);
			len += pl;
		}
		check_join(buf, len, "generated");
		check_keyer_key(k, buf, len);
	}
	sach_dedupe_keyer_free(k);
}
END_TEST

/* The shared corpora are sampled (every 4th document; every 32nd under the
 * sanitizers, where every access is checked at -O0) so the unit suites stay
 * quick; the bundled corpora are checked whole. The sample still holds
 * thousands of real documents of every kind. */
#if defined(__SANITIZE_ADDRESS__)
#define SHARED_SAMPLE 32
#else
#define SHARED_SAMPLE 4
#endif

/* Documents of the bundled and the shared corpora (those present). */
START_TEST(fold_of_lines_joins_corpora)
{
	static const char *const shared[] = {
		"binhvq-sample", "col-news-lyrics", "debian-l10n", "maint-guide", "manpages",
		"ubs-bank-social", "ud-vtb", "viwiki", "vlc-law",
	};
	static const char *const bundled[] = {
		"bad-records", "vi-clean", "vi-dedupe-docs", "vi-filter-mix", "vi-invalid-utf8",
		"vi-messy", "vi-news-demo",
	};
	const char *root = getenv("SACH_SOURCE_ROOT"), *sh = getenv("SACH_SHARED_CORPORA");
	sach_dedupe_params p = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_keyer *k;
	size_t f, n, docs = 0, files = 0;

	p.near = false; /* the exact key is what is checked */
	ck_assert_int_eq(sach_dedupe_keyer_new(&k, &p), 0);
	for (f = 0; f < sizeof(shared) / sizeof(shared[0]) + sizeof(bundled) / sizeof(bundled[0]); f++) {
		sach_reader_options ro = SACH_READER_OPTIONS_INIT;
		sach_reader *rd;
		sach_doc *doc;
		char path[4096];
		int rc;

		if (f < sizeof(shared) / sizeof(shared[0]))
			snprintf(path, sizeof(path), "%s/%s.jsonl.zst", sh ? sh : "../shared/corpora",
				 shared[f]);
		else
			snprintf(path, sizeof(path), "%s/corpora/%s.jsonl", root ? root : ".",
				 bundled[f - sizeof(shared) / sizeof(shared[0])]);
		if (access(path, R_OK) != 0) {
			printf("fold join: %s: skipped (not there)\n", path);
			continue;
		}
		ck_assert_int_eq(sach_reader_open(&rd, path, &ro), 0);
		n = 0;
		while ((rc = sach_reader_next(rd, &doc)) != 0) {
			const char *t;
			size_t len;

			if (rc < 0)
				continue; /* a bad record of bad-records.jsonl */
			if (f < sizeof(shared) / sizeof(shared[0]) && n++ % SHARED_SAMPLE != 0)
				continue;
			t = sach_doc_text(doc, &len);
			check_join(t, len, path);
			check_keyer_key(k, t, len);
			docs++;
		}
		sach_reader_close(rd);
		files++;
	}
	printf("fold join: %zu documents of %zu files\n", docs, files);
	if (files)
		ck_assert_uint_gt(docs, 300);
	sach_dedupe_keyer_free(k);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dedupe");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, exact_key_folds_style_case_space);
	tcase_add_test(t, exact_key_old_new_style);
	tcase_add_test(t, line_key_blank_is_zero);
	tcase_add_test(t, fold_of_lines_joins_to_fold_of_text);
	tcase_add_test(t, units_lines_and_paragraphs);
	tcase_add_test(t, minhash_known_jaccard);
	tcase_add_test(t, minhash_empty_and_short);
	tcase_add_test(t, lsh_probability);
	tcase_add_test(t, params_checked);
	tcase_add_test(t, union_find_root_is_lowest);
	tcase_add_test(t, sort_pairs_stable);
	tcase_add_test(t, sort_u64_matches_qsort);
	tcase_add_test(t, lines_counter_spills_same_answer);
	tcase_add_test(t, round_trip_sign_cluster_apply);
	tcase_add_test(t, corrupt_files_rejected);
	tcase_add_test(t, mismatched_params_rejected);
	tcase_add_test(t, memory_budget_honoured);
	tcase_add_test(t, exact_set_first_and_budget);
	tcase_add_test(t, prekey_coarser_than_fold_random);
	tcase_add_test(t, prekey_variants_and_real_text);
	tcase_add_test(t, prekey_set_groups_and_budget);
	tcase_add_test(t, prekey_set_uniform_groups);
	tcase_add_test(t, keyer_same_file_as_signer);
	tcase_add_test(t, fold_of_lines_joins_generated);
	tcase_add_test(t, old_format_versions_refused);
	tcase_add_test(t, minhash_batches_match_reference);
	suite_add_tcase(s, t);
	/* every document of the corpora: seconds, more under sanitizers */
	t = tcase_create("corpora");
	tcase_set_timeout(t, 600);
	tcase_add_test(t, fold_of_lines_joins_corpora);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_ENV);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
