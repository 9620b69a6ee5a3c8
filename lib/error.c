/*
 * error.c - thread-local last-error storage.
 *
 * A fixed buffer per thread keeps error reporting allocation-free, so an
 * out-of-memory failure can still be reported. Messages longer than the
 * buffer are cut, never overflowed.
 */
#include "error_internal.h"

#include <stdarg.h>
#include <stdio.h>

#define SACH_ERROR_MSG_MAX 1024

static _Thread_local char last_message[SACH_ERROR_MSG_MAX];
static _Thread_local int last_code;

int sach__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int sach__error_nomem(void)
{
	return sach__error_set(SACH_ENOMEM, "out of memory");
}

const char *sach_error_last(void)
{
	return last_message;
}

int sach_error_last_code(void)
{
	return last_code;
}

void sach_error_clear(void)
{
	last_message[0] = '\0';
	last_code = SACH_OK;
}

const char *sach_strerror(int code)
{
	switch (code) {
	case SACH_OK: return "success";
	case SACH_ERROR: return "error";
	case SACH_ENOMEM: return "out of memory";
	case SACH_EIO: return "input/output error";
	case SACH_EINVAL: return "invalid argument";
	case SACH_EJSON: return "invalid JSON";
	case SACH_EFIELD: return "missing or non-string text field";
	case SACH_EUTF8: return "invalid UTF-8";
	case SACH_ETOOBIG: return "record too large";
	case SACH_ECORRUPT: return "corrupt or truncated compressed stream";
	case SACH_ENOTFOUND: return "not found";
	case SACH_ECONFIG: return "invalid configuration";
	case SACH_EUNSUPPORTED: return "unsupported";
	default: return "unknown error";
	}
}
