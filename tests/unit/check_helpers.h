/*
 * check_helpers.h - small helpers shared by the unit suites: a per-test-case
 * temporary directory, whole-file read and write, and printing bytes in
 * failure messages. Header-only (static inline) so every suite stays one
 * source file for the build; uses only the public headers and libc.
 */
#ifndef SACH_CHECK_HELPERS_H
#define SACH_CHECK_HELPERS_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary directory of the current test case (unchecked fixture:
 * created once in the parent process before the case, removed after it,
 * even when a test fails). */
static char th_dir[4096];

static inline void th_rm_rf(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d)) != NULL) {
			char sub[4096];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < sizeof(sub))
				th_rm_rf(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static inline void th_tmpdir_setup(void)
{
	const char *base = getenv("TMPDIR");

	if ((size_t)snprintf(th_dir, sizeof(th_dir), "%s/sach-unit-XXXXXX",
			     base && *base ? base : "/tmp") >= sizeof(th_dir) || !mkdtemp(th_dir)) {
		fprintf(stderr, "mkdtemp(%s): %s\n", th_dir, strerror(errno));
		abort();
	}
}

static inline void th_tmpdir_teardown(void)
{
	if (th_dir[0])
		th_rm_rf(th_dir);
	th_dir[0] = '\0';
}

/* A path inside the test directory; returns a static buffer (one of 8, so a
 * few can be live at once). */
static inline const char *th_path(const char *fmt, ...)
{
	static char bufs[8][4096];
	static int next;
	char name[2048];
	char *p = bufs[next++ & 7];
	va_list ap;

	va_start(ap, fmt);
	if ((size_t)vsnprintf(name, sizeof(name), fmt, ap) >= sizeof(name))
		abort();
	va_end(ap);
	if ((size_t)snprintf(p, 4096, "%s/%s", th_dir, name) >= 4096)
		abort();
	return p;
}

static inline void th_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "fopen(%s): %s", path, strerror(errno));
	if (len)
		ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static inline void th_write_str(const char *path, const char *s)
{
	th_write_file(path, s, strlen(s));
}

/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
static inline char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	ck_assert_msg(f != NULL, "fopen(%s): %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static inline bool th_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Number of entries of the test directory whose name starts with prefix;
 * the first one found is copied to `first` (if not NULL). */
static inline int th_count_prefix(const char *prefix, char *first, size_t first_size)
{
	DIR *d = opendir(th_dir);
	struct dirent *e;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
			if (count == 0 && first &&
			    (size_t)snprintf(first, first_size, "%s", e->d_name) >= first_size)
				abort();
			count++;
		}
	}
	closedir(d);
	return count;
}

/* Printable rendering of bytes for failure messages (static buffer, cut). */
static inline const char *th_show(const char *s, size_t len)
{
	static char bufs[4][1024];
	static int next;
	char *out = bufs[next++ & 3];
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < 1024; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x20 && b < 0x7F && b != '\\')
			out[o++] = (char)b;
		else
			o += (size_t)snprintf(out + o, 1024 - o, "\\x%02X", b);
	}
	if (i < len && o + 4 < 1024) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Asserts that got[0..got_len) equals want[0..want_len), showing both. */
#define th_assert_bytes(got, got_len, want, want_len) \
	ck_assert_msg((got_len) == (want_len) && memcmp((got), (want), (want_len)) == 0, \
		      "got [%s] (%zu bytes), want [%s] (%zu bytes)", \
		      th_show((got), (got_len)), (size_t)(got_len), \
		      th_show((want), (want_len)), (size_t)(want_len))

/*
 * Like ck_assert_msg, for hot loops: Check's assertions report every passing
 * check to the parent process (one write() each in fork mode), which makes
 * loops of millions of checks slow. This one costs nothing until it fails.
 */
#define th_check(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* Deterministic pseudo-random numbers (xorshift64*), fixed seeds only. */
static inline uint64_t th_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

#endif /* SACH_CHECK_HELPERS_H */
