/*
 * check_pipeline.c - unit tests for sach/pipeline.h: loading and checking a
 * config, the canonical config (what is and is not in it), a run through
 * the library with its log callback, the accounting it writes, resuming a
 * finished directory, and refusing a directory that holds other files.
 *
 * Public headers only.
 */
#include "sach/common.h"
#include "sach/error.h"
#include "sach/pipeline.h"

#include "check_helpers.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const docs =
	"{\"id\": \"a\", \"text\": \"Tr\xc6\xb0\xe1\xbb\x9dng h\xe1\xbb\x8d\x63 m\xe1\xbb\x9bi.\"}\n"
	"{\"id\": \"b\", \"text\": \"Tr\xc6\xb0\xe1\xbb\x9dng   h\xe1\xbb\x8d\x63 m\xe1\xbb\x9bi.\"}\n"
	"{\"id\": \"c\", \"text\": \"Ho\xc3\xa0 b\xc3\xacnh.\"}\n"
	"not json\n";

/* Writes the input and a config naming it; returns the config's path. */
static const char *setup_run(const char *stages, const char *extra)
{
	static char cfg[4096];
	char text[8192];

	th_write_str(th_path("in.jsonl"), docs);
	snprintf(text, sizeof(text),
		 "name: t\nversion: \"1\"\ninputs: [%s]\noutput: %s\n%sstages: %s\n",
		 th_path("in.jsonl"), th_path("out"), extra, stages);
	snprintf(cfg, sizeof(cfg), "%s", th_path("p.yaml"));
	th_write_str(cfg, text);
	return cfg;
}

static int log_lines;

static void count_log(void *user, const char *line)
{
	(void)user;
	(void)line;
	log_lines++;
}

START_TEST(pipeline_load_errors)
{
	sach_pipeline *p = NULL;
	const char *cfg;

	cfg = setup_run("[normalise, wash]", "");
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_ECONFIG);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "p.yaml:5:21: stages: unknown stage 'wash'"));
	cfg = setup_run("[normalise]", "workers: 0\n");
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "p.yaml:5:10: workers: 0 is out of range"));
	cfg = setup_run("[shard, dedupe]", "");
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "'dedupe' must come once, before shard"));
	ck_assert_int_eq(sach_pipeline_load(&p, th_path("absent.yaml"), NULL), SACH_ENOTFOUND);
}
END_TEST

START_TEST(pipeline_canonical_config)
{
	sach_pipeline_options o = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p = NULL, *q = NULL;
	const char *cfg = setup_run("[normalise, {dedupe: {near: false}}]",
				    "workers: 3\npart_size: 1K\n");
	char *first;

	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_OK);
	ck_assert_int_eq(sach_pipeline_workers(p), 3);
	first = strdup(sach_pipeline_config_json(p));
	/* workers, output and part_size do not change a byte of the output,
	 * so they are not part of the config the output records. */
	ck_assert_ptr_null(strstr(first, "workers"));
	ck_assert_ptr_null(strstr(first, "part_size"));
	ck_assert_ptr_null(strstr(first, "\"output\""));
	ck_assert_ptr_nonnull(strstr(first, "\"stages\":[\"normalise\",{\"dedupe\":{\"near\":false}}]"));
	ck_assert_ptr_nonnull(strstr(first, "in.jsonl\"]"));
	o.workers = 5;
	cfg = setup_run("[normalise, {dedupe: {near: false}}]", "workers: 1\npart_size: 9M\n");
	ck_assert_int_eq(sach_pipeline_load(&q, cfg, &o), SACH_OK);
	ck_assert_int_eq(sach_pipeline_workers(q), 5);
	ck_assert_str_eq(sach_pipeline_config_json(q), first);
	free(first);
	sach_pipeline_free(p);
	sach_pipeline_free(q);
}
END_TEST

START_TEST(pipeline_run_and_account)
{
	sach_pipeline_options o = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p = NULL;
	const char *cfg = setup_run("[{normalise: {tone_style: old}}, {dedupe: {near: false, lines: false}}]",
				    "on_error: skip\n");
	size_t len;
	char *counts;

	o.log = count_log;
	log_lines = 0;
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, &o), SACH_OK);
	ck_assert_msg(sach_pipeline_run(p) == SACH_OK, "run: %s", sach_error_last());
	sach_pipeline_free(p);
	ck_assert_int_gt(log_lines, 2);
	counts = th_read_file(th_path("out/counts.json"), &len);
	ck_assert_ptr_nonnull(counts);
	/* 4 records: b is a. after whitespace folding; "not json" skipped. */
	ck_assert_ptr_nonnull(strstr(counts, "\"records\": 4"));
	ck_assert_ptr_nonnull(strstr(counts, "\"skipped\": 1"));
	ck_assert_ptr_nonnull(strstr(counts, "\"written\": 2"));
	ck_assert_ptr_nonnull(strstr(counts, "\"rejected\": 1"));
	ck_assert_ptr_nonnull(strstr(counts, "\"exact-duplicate\": 1"));
	free(counts);
	ck_assert(th_exists(th_path("out/documents.jsonl.zst")));
	ck_assert(th_exists(th_path("out/rejected.jsonl.zst")));
	ck_assert(!th_exists(th_path("out/.sach-work")));

	/* The same run again: nothing to do, nothing rewritten. */
	log_lines = 0;
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, &o), SACH_OK);
	ck_assert_int_eq(sach_pipeline_run(p), SACH_OK);
	ck_assert_int_eq(log_lines, 1);
	sach_pipeline_free(p);
}
END_TEST

START_TEST(pipeline_refuses_foreign_files)
{
	sach_pipeline *p = NULL;
	const char *cfg = setup_run("[normalise]", "");

	mkdir(th_path("out"), 0777);
	th_write_str(th_path("out/keep-me.txt"), "mine\n");
	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_OK);
	ck_assert_int_eq(sach_pipeline_run(p), SACH_EINVAL);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "holds files sach-run did not write"));
	sach_pipeline_free(p);
	ck_assert(th_exists(th_path("out/keep-me.txt")));
}
END_TEST

START_TEST(pipeline_bad_record_fails_run)
{
	sach_pipeline *p = NULL;
	const char *cfg = setup_run("[normalise]", "on_error: fail\n");

	ck_assert_int_eq(sach_pipeline_load(&p, cfg, NULL), SACH_OK);
	ck_assert_int_eq(sach_pipeline_run(p), SACH_EJSON);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "in.jsonl:4: invalid JSON"));
	sach_pipeline_free(p);
	ck_assert(!th_exists(th_path("out/counts.json")));
	ck_assert(!th_exists(th_path("out/documents.jsonl.zst")));
}
END_TEST

Suite *sach_pipeline_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *t = tcase_create("pipeline");

	tcase_add_checked_fixture(t, th_tmpdir_setup, th_tmpdir_teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, pipeline_load_errors);
	tcase_add_test(t, pipeline_canonical_config);
	tcase_add_test(t, pipeline_run_and_account);
	tcase_add_test(t, pipeline_refuses_foreign_files);
	tcase_add_test(t, pipeline_bad_record_fails_run);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_pipeline_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
