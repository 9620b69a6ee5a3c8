/* Private: how library code records failures. Never installed. */
#ifndef SACH_ERROR_INTERNAL_H
#define SACH_ERROR_INTERNAL_H

#include "sach/error.h"

#if defined(__GNUC__)
#define SACH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SACH_PRINTF(f, a)
#endif

/*
 * Stores a formatted message for the calling thread and returns `code`, so a
 * failure is recorded and propagated in one statement:
 *     return sach__error_set(SACH_EIO, "cannot open '%s': %s", path, strerror(errno));
 */
int sach__error_set(int code, const char *fmt, ...) SACH_PRINTF(2, 3);

/* Records an allocation failure and returns SACH_ENOMEM. */
int sach__error_nomem(void);

#endif
