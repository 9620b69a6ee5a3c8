/*
 * check_common.c - unit tests for sach/common.h (sach_buf, version) and
 * sach/error.h (status codes, the thread-local last error).
 *
 * Public headers only.
 */
#include "sach/common.h"
#include "sach/error.h"
#include "sach/io.h"

#include "check_helpers.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sach_buf ---------------------------------------------------------- */

START_TEST(common_buf_append)
{
	sach_buf b = { 0 };

	ck_assert_int_eq(sach_buf_append(&b, "abc", 3), SACH_OK);
	ck_assert_int_eq(sach_buf_append(&b, "de", 2), SACH_OK);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_uint_ge(b.cap, 6);
	ck_assert_str_eq(b.ptr, "abcde");
	/* Only `len` bytes of the source are taken. */
	ck_assert_int_eq(sach_buf_append(&b, "fghij", 1), SACH_OK);
	ck_assert_str_eq(b.ptr, "abcdef");
	ck_assert_int_eq(sach_buf_puts(&b, "-xyz"), SACH_OK);
	ck_assert_str_eq(b.ptr, "abcdef-xyz");
	ck_assert_uint_eq(b.len, 10);
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_append_binary)
{
	sach_buf b = { 0 };
	static const char bin[] = { 'a', '\0', 'b', '\0', '\0', (char)0xFF };

	ck_assert_int_eq(sach_buf_append(&b, bin, sizeof(bin)), SACH_OK);
	ck_assert_uint_eq(b.len, sizeof(bin));
	ck_assert_int_eq(memcmp(b.ptr, bin, sizeof(bin)), 0);
	ck_assert_int_eq(b.ptr[b.len], '\0');
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_append_empty)
{
	sach_buf b = { 0 };

	/* Appending nothing to a fresh buffer still leaves a valid C string. */
	ck_assert_int_eq(sach_buf_append(&b, "", 0), SACH_OK);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_str_eq(b.ptr, "");
	ck_assert_int_eq(sach_buf_puts(&b, ""), SACH_OK);
	ck_assert_str_eq(b.ptr, "");
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_nul_terminated)
{
	sach_buf b = { 0 };
	size_t i;

	for (i = 0; i < 5000; i++) {
		char c = (char)('a' + (char)(i % 26));

		th_check(sach_buf_append(&b, &c, 1) == SACH_OK, "append %zu failed", i);
		th_check(b.len == i + 1 && b.cap > b.len && b.ptr[b.len] == '\0' && b.ptr[i] == c,
			 "after append %zu: len %zu cap %zu", i, b.len, b.cap);
	}
	ck_assert_uint_eq(strlen(b.ptr), 5000);
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_reserve_growth)
{
	sach_buf b = { 0 };
	size_t i, reallocs = 0, last_cap;
	char *p;

	ck_assert_int_eq(sach_buf_reserve(&b, 100), SACH_OK);
	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_uint_ge(b.cap, 101);   /* 100 bytes plus the NUL */
	ck_assert_uint_eq(b.len, 0);
	/* The reserved room is usable without another reserve. */
	memset(b.ptr, 'x', 100);
	b.ptr[100] = '\0';
	b.len = 100;
	p = b.ptr;
	last_cap = b.cap;
	/* A reserve that fits keeps the allocation. */
	ck_assert_int_eq(sach_buf_reserve(&b, b.cap - b.len - 1), SACH_OK);
	ck_assert_ptr_eq(b.ptr, p);
	ck_assert_uint_eq(b.cap, last_cap);
	ck_assert_int_eq(sach_buf_reserve(&b, 0), SACH_OK);
	ck_assert_uint_eq(b.cap, last_cap);

	/* Growth keeps the content and is geometric: a million one-byte
	 * appends take a logarithmic number of capacity changes. */
	for (i = 0; i < 1000000; i++) {
		th_check(sach_buf_append(&b, "y", 1) == SACH_OK, "append %zu failed", i);
		if (b.cap != last_cap) {
			reallocs++;
			last_cap = b.cap;
		}
	}
	ck_assert_uint_eq(b.len, 1000100);
	ck_assert_uint_le(reallocs, 40);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(b.ptr[i], 'x');
	for (i = 100; i < b.len; i++)
		if (b.ptr[i] != 'y')
			ck_abort_msg("byte %zu is 0x%02X after growth", i, (unsigned char)b.ptr[i]);
	ck_assert_int_eq(b.ptr[b.len], '\0');
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_reserve_overflow)
{
	sach_buf b = { 0 };

	ck_assert_int_eq(sach_buf_append(&b, "keep", 4), SACH_OK);
	sach_error_clear();
	ck_assert_int_eq(sach_buf_reserve(&b, SIZE_MAX), SACH_ENOMEM);
	ck_assert_int_eq(sach_buf_reserve(&b, SIZE_MAX - 2), SACH_ENOMEM);
	ck_assert_int_eq(sach_error_last_code(), SACH_ENOMEM);
	ck_assert_str_ne(sach_error_last(), "");
	/* The buffer is untouched by the failed calls. */
	ck_assert_uint_eq(b.len, 4);
	ck_assert_str_eq(b.ptr, "keep");
	ck_assert_int_eq(sach_buf_append(&b, "x", SIZE_MAX), SACH_ENOMEM);
	ck_assert_str_eq(b.ptr, "keep");
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_clear_keeps_allocation)
{
	sach_buf b = { 0 };
	char *p;
	size_t cap;

	ck_assert_int_eq(sach_buf_puts(&b, "some text that is long enough"), SACH_OK);
	p = b.ptr;
	cap = b.cap;
	sach_buf_clear(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_eq(b.ptr, p);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_str_eq(b.ptr, "");
	/* Refilling up to the old size reuses the same block. */
	ck_assert_int_eq(sach_buf_puts(&b, "short"), SACH_OK);
	ck_assert_ptr_eq(b.ptr, p);
	ck_assert_str_eq(b.ptr, "short");
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_buf_clear_unallocated)
{
	sach_buf b = { 0 };

	sach_buf_clear(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(common_buf_free)
{
	sach_buf b = { 0 };

	sach_buf_free(NULL);
	sach_buf_free(&b); /* never allocated */
	ck_assert_int_eq(sach_buf_puts(&b, "abc"), SACH_OK);
	sach_buf_free(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	sach_buf_free(&b); /* twice is fine: the struct was zeroed */
	/* A freed buffer is reusable like a fresh one. */
	ck_assert_int_eq(sach_buf_puts(&b, "again"), SACH_OK);
	ck_assert_str_eq(b.ptr, "again");
	sach_buf_free(&b);
}
END_TEST

/* ---- version ----------------------------------------------------------- */

START_TEST(common_version_string)
{
	char want[64];
	const char *v = sach_version_string();

	snprintf(want, sizeof(want), "%d.%d.%d", SACH_VERSION_MAJOR, SACH_VERSION_MINOR,
		 SACH_VERSION_PATCH);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, want);
	ck_assert_str_eq(v, SACH_VERSION_STRING);
	/* A static string: the same pointer every time. */
	ck_assert_ptr_eq(sach_version_string(), v);
}
END_TEST

/* ---- error codes and messages ----------------------------------------- */

static const int all_codes[] = {
	SACH_OK, SACH_ERROR, SACH_ENOMEM, SACH_EIO, SACH_EINVAL, SACH_EJSON, SACH_EFIELD,
	SACH_EUTF8, SACH_ETOOBIG, SACH_ECORRUPT, SACH_ENOTFOUND, SACH_ECONFIG,
	SACH_EUNSUPPORTED,
};
#define N_CODES (sizeof(all_codes) / sizeof(all_codes[0]))

START_TEST(common_error_code_values)
{
	size_t i;

	/* The values are ABI: 0 for success, then -1, -2, ... in order. */
	for (i = 0; i < N_CODES; i++)
		ck_assert_int_eq(all_codes[i], -(int)i);
}
END_TEST

START_TEST(common_strerror_every_code)
{
	const char *unknown = sach_strerror(-999);
	size_t i, j;

	ck_assert_ptr_nonnull(unknown);
	ck_assert_str_eq(sach_strerror(SACH_OK), "success");
	ck_assert_str_eq(sach_strerror(SACH_ENOMEM), "out of memory");
	for (i = 0; i < N_CODES; i++) {
		const char *m = sach_strerror(all_codes[i]);

		ck_assert_ptr_nonnull(m);
		ck_assert_uint_gt(strlen(m), 0);
		/* Every known code has its own text, distinct from "unknown". */
		ck_assert_msg(strcmp(m, unknown) != 0, "code %d has the unknown text", all_codes[i]);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(m, sach_strerror(all_codes[j])) != 0,
				      "codes %d and %d share \"%s\"", all_codes[i], all_codes[j], m);
	}
	/* Codes outside the enum all map to the same generic text. */
	ck_assert_str_eq(sach_strerror(1), unknown);
	ck_assert_str_eq(sach_strerror(-13), unknown);
	ck_assert_str_eq(sach_strerror(-2147483647 - 1), unknown);
}
END_TEST

START_TEST(common_error_clear)
{
	sach_reader *r = (sach_reader *)1;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;

	ck_assert_int_eq(sach_reader_open(&r, th_path("missing-%d", 1), &o), SACH_EIO);
	ck_assert_str_ne(sach_error_last(), "");
	ck_assert_int_eq(sach_error_last_code(), SACH_EIO);
	sach_error_clear();
	ck_assert_str_eq(sach_error_last(), "");
	ck_assert_int_eq(sach_error_last_code(), SACH_OK);
}
END_TEST

START_TEST(common_error_reader_open_missing)
{
	sach_reader *r = (sach_reader *)1;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	const char *path = th_path("no such file.jsonl");
	const char *msg;

	sach_error_clear();
	ck_assert_int_eq(sach_reader_open(&r, path, &o), SACH_EIO);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(sach_error_last_code(), SACH_EIO);
	msg = sach_error_last();
	ck_assert_msg(strstr(msg, path) != NULL, "message \"%s\" lacks the path", msg);
	ck_assert_msg(strstr(msg, strerror(ENOENT)) != NULL,
		      "message \"%s\" lacks the errno text \"%s\"", msg, strerror(ENOENT));
}
END_TEST

START_TEST(common_error_reader_open_directory_errno)
{
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	const char *msg;
	int rc;

	/* Opening a directory succeeds; reading it fails with EISDIR. The
	 * message of either failure names the path and the errno text. */
	rc = sach_reader_open(&r, th_dir, &o);
	if (rc == SACH_OK) {
		sach_doc *d;

		rc = sach_reader_next(r, &d);
		sach_reader_close(r);
	}
	ck_assert_int_eq(rc, SACH_EIO);
	msg = sach_error_last();
	ck_assert_msg(strstr(msg, th_dir) != NULL, "message \"%s\" lacks the path", msg);
	ck_assert_msg(strstr(msg, strerror(EISDIR)) != NULL, "message \"%s\" lacks \"%s\"", msg,
		      strerror(EISDIR));
}
END_TEST

START_TEST(common_error_invalid_options)
{
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;

	o.version = 99;
	sach_error_clear();
	ck_assert_int_eq(sach_reader_open(&r, th_path("x"), &o), SACH_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(sach_error_last_code(), SACH_EINVAL);
	ck_assert_str_ne(sach_error_last(), "");
	ck_assert_int_eq(sach_reader_open(&r, th_path("x"), NULL), SACH_EINVAL);
}
END_TEST

START_TEST(common_error_survives_success)
{
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	sach_buf b = { 0 };
	char saved[1024];

	ck_assert_int_eq(sach_reader_open(&r, th_path("gone.jsonl"), &o), SACH_EIO);
	snprintf(saved, sizeof(saved), "%s", sach_error_last());
	/* Successful calls leave the last failure alone. */
	ck_assert_int_eq(sach_buf_puts(&b, "ok"), SACH_OK);
	ck_assert_str_eq(sach_strerror(SACH_OK), "success");
	ck_assert_str_eq(sach_error_last(), saved);
	ck_assert_int_eq(sach_error_last_code(), SACH_EIO);
	sach_buf_free(&b);
}
END_TEST

START_TEST(common_error_long_message_cut)
{
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	char path[4000];
	size_t n;
	const char *msg;

	/* A very long file name: the message is cut, never overflowed, and
	 * still starts with the name. */
	n = (size_t)snprintf(path, sizeof(path), "%s/", th_dir);
	memset(path + n, 'q', sizeof(path) - n - 1);
	path[sizeof(path) - 1] = '\0';
	ck_assert_int_eq(sach_reader_open(&r, path, &o), SACH_EIO);
	msg = sach_error_last();
	ck_assert_uint_gt(strlen(msg), 100);
	ck_assert_uint_lt(strlen(msg), sizeof(path));
	ck_assert_int_eq(strncmp(msg, path, 100), 0);
}
END_TEST

struct thread_result {
	int rc;
	char msg[1024];
	char path[512];
};

static void *fail_in_thread(void *arg)
{
	struct thread_result *t = arg;
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;

	/* A fresh thread starts with no error. */
	if (sach_error_last_code() != SACH_OK || sach_error_last()[0] != '\0') {
		t->rc = 12345;
		return NULL;
	}
	t->rc = sach_reader_open(&r, t->path, &o);
	snprintf(t->msg, sizeof(t->msg), "%s", sach_error_last());
	return NULL;
}

START_TEST(common_error_thread_local)
{
	struct thread_result t;
	pthread_t th;
	sach_reader *r = NULL;
	sach_reader_options o = SACH_READER_OPTIONS_INIT;
	const char *mine = th_path("main-thread-file");
	char saved[1024];

	memset(&t, 0, sizeof(t));
	snprintf(t.path, sizeof(t.path), "%s", th_path("other-thread-file"));
	ck_assert_int_eq(sach_reader_open(&r, mine, &o), SACH_EIO);
	snprintf(saved, sizeof(saved), "%s", sach_error_last());
	ck_assert_int_eq(pthread_create(&th, NULL, fail_in_thread, &t), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(t.rc, SACH_EIO);
	ck_assert_ptr_nonnull(strstr(t.msg, "other-thread-file"));
	/* This thread's message is untouched by the other thread's failure. */
	ck_assert_str_eq(sach_error_last(), saved);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "main-thread-file"));
	ck_assert_int_eq(sach_error_last_code(), SACH_EIO);
}
END_TEST

Suite *sach_common_suite(void);

Suite *sach_common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *buf = tcase_create("buf");
	TCase *ver = tcase_create("version");
	TCase *err = tcase_create("error");

	tcase_add_test(buf, common_buf_append);
	tcase_add_test(buf, common_buf_append_binary);
	tcase_add_test(buf, common_buf_append_empty);
	tcase_add_test(buf, common_buf_nul_terminated);
	tcase_add_test(buf, common_buf_reserve_growth);
	tcase_add_test(buf, common_buf_reserve_overflow);
	tcase_add_test(buf, common_buf_clear_keeps_allocation);
	tcase_add_test(buf, common_buf_clear_unallocated);
	tcase_add_test(buf, common_buf_free);
	suite_add_tcase(s, buf);

	tcase_add_test(ver, common_version_string);
	suite_add_tcase(s, ver);

	tcase_add_unchecked_fixture(err, th_tmpdir_setup, th_tmpdir_teardown);
	tcase_add_test(err, common_error_code_values);
	tcase_add_test(err, common_strerror_every_code);
	tcase_add_test(err, common_error_clear);
	tcase_add_test(err, common_error_reader_open_missing);
	tcase_add_test(err, common_error_reader_open_directory_errno);
	tcase_add_test(err, common_error_invalid_options);
	tcase_add_test(err, common_error_survives_success);
	tcase_add_test(err, common_error_long_message_cut);
	tcase_add_test(err, common_error_thread_local);
	suite_add_tcase(s, err);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_common_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
