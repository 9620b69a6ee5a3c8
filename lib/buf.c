/*
 * buf.c - sach_buf, the growable byte buffer, and the version string.
 *
 * Growth is geometric so appending n bytes one at a time costs O(n).
 */
#include "sach/common.h"
#include "error_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *sach_version_string(void)
{
	return SACH_VERSION_STRING;
}

int sach_buf_reserve(sach_buf *buf, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - buf->len - 1)
		return sach__error_nomem();
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return SACH_OK;
	cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(buf->ptr, cap);
	if (!p)
		return sach__error_nomem();
	buf->ptr = p;
	buf->cap = cap;
	buf->ptr[buf->len] = '\0'; /* keep the promise for a fresh buffer too */
	return SACH_OK;
}

int sach_buf_append(sach_buf *buf, const void *data, size_t len)
{
	int rc = sach_buf_reserve(buf, len);

	if (rc < 0)
		return rc;
	if (len)
		memcpy(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
	return SACH_OK;
}

int sach_buf_puts(sach_buf *buf, const char *s)
{
	return sach_buf_append(buf, s, strlen(s));
}

void sach_buf_clear(sach_buf *buf)
{
	buf->len = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void sach_buf_free(sach_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->len = buf->cap = 0;
}
