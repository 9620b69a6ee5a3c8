/*
 * sach/common.h - version, export macro and the growable byte buffer that
 * every module uses for caller-visible output.
 *
 * Ownership rule for the whole library: a function that allocates something
 * the caller owns says so in its comment and names the matching _free()
 * function; every _free() accepts NULL.
 */
#ifndef SACH_COMMON_H
#define SACH_COMMON_H

#include <stddef.h>

#if defined(__GNUC__) && __GNUC__ >= 4
#define SACH_API __attribute__((visibility("default")))
#else
#define SACH_API
#endif

#define SACH_VERSION_MAJOR 0
#define SACH_VERSION_MINOR 1
#define SACH_VERSION_PATCH 0
#define SACH_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/** The library's version as "MAJOR.MINOR.PATCH"; a static string. */
SACH_API const char *sach_version_string(void);

/**
 * A growable byte buffer. `ptr` is NUL-terminated whenever len < cap, which
 * sach_buf_* functions maintain, but lengths are authoritative: text may
 * contain NUL bytes. Zero-initialise it (`sach_buf b = {0};`) before use and
 * release it with sach_buf_free().
 */
typedef struct sach_buf {
	char *ptr;
	size_t len;
	size_t cap;
} sach_buf;

/** Ensures room for `extra` more bytes plus a terminating NUL. 0 or SACH_ENOMEM. */
SACH_API int sach_buf_reserve(sach_buf *buf, size_t extra);
/** Appends `len` bytes. 0 or SACH_ENOMEM. */
SACH_API int sach_buf_append(sach_buf *buf, const void *data, size_t len);
/** Appends a NUL-terminated string. 0 or SACH_ENOMEM. */
SACH_API int sach_buf_puts(sach_buf *buf, const char *s);
/** Sets len to 0 and keeps the allocation. */
SACH_API void sach_buf_clear(sach_buf *buf);
/** Frees the allocation and zeroes the struct; accepts NULL. */
SACH_API void sach_buf_free(sach_buf *buf);

#ifdef __cplusplus
}
#endif

#endif /* SACH_COMMON_H */
