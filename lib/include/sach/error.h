/*
 * sach/error.h - status codes and the last error message.
 *
 * Every fallible library function returns an int: SACH_OK (0) or a negative
 * sach_status. Functions that also report a count or a boolean say so; they
 * still use negatives for failure. The library never prints and never exits:
 * on failure it stores a message for the calling thread, read with
 * sach_error_last(). Messages that concern input data include the input name
 * and line when the failing function knows them.
 */
#ifndef SACH_ERROR_H
#define SACH_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sach_status {
	SACH_OK = 0,
	SACH_ERROR = -1,       /* failure that fits no other code */
	SACH_ENOMEM = -2,      /* allocation failed */
	SACH_EIO = -3,         /* open, read, write, fsync or rename failed */
	SACH_EINVAL = -4,      /* a caller passed an invalid argument or option */
	SACH_EJSON = -5,       /* a record is not one valid JSON object */
	SACH_EFIELD = -6,      /* the text field is missing or not a string */
	SACH_EUTF8 = -7,       /* invalid UTF-8 where the options reject it */
	SACH_ETOOBIG = -8,     /* a record is over the configured size limit */
	SACH_ECORRUPT = -9,    /* a compressed stream is corrupt or truncated */
	SACH_ENOTFOUND = -10,  /* a named thing does not exist */
	SACH_ECONFIG = -11,    /* a configuration is invalid */
	SACH_EUNSUPPORTED = -12 /* valid request this build cannot do */
} sach_status;

/**
 * The message of the last failure on the calling thread, or "" if none.
 * The string is thread-local and stays valid until the next failing call on
 * the same thread.
 */
SACH_API const char *sach_error_last(void);

/** The code of the last failure on the calling thread, or SACH_OK. */
SACH_API int sach_error_last_code(void);

/** Forgets the last failure of the calling thread. */
SACH_API void sach_error_clear(void);

/** A static, generic description of a status code ("out of memory", ...). */
SACH_API const char *sach_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif /* SACH_ERROR_H */
