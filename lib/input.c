/*
 * input.c - decoded bytes from a file or stdin.
 *
 * Compression is sniffed from the first bytes: the zstd frame magic (or a
 * skippable frame), the gzip magic 1f 8b, otherwise plain. Concatenated zstd
 * frames and gzip members are read as one stream, as zstd(1) and gzip(1) do.
 *
 * Hostile input: a zstd frame may not ask for a window over 2^27 bytes
 * (128 MiB), which bounds decoder memory; decoded data is streamed in fixed
 * chunks, so a decompression bomb costs time, never memory. A stream that
 * ends inside a frame or member is reported as truncated, not taken as a
 * clean end, so no record is silently lost at the tail.
 */
#include "input.h"
#include "error_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RAW_CHUNK (128u * 1024u)
#define ZSTD_WINDOW_LOG_MAX 27

struct sach_input {
	int fd;
	bool owns_fd;
	bool eof;                 /* raw EOF reached */
	int failed;               /* sticky error code */
	const char *name;
	sach_compression comp;
	uint64_t raw_bytes;

	unsigned char *raw;       /* raw (compressed) bytes */
	size_t raw_pos, raw_len;

	ZSTD_DCtx *zd;
	size_t zstd_hint;         /* last ZSTD_decompressStream() result: 0 = frame done */
	bool zstd_any;            /* at least one byte fed */

	z_stream zs;
	bool zs_init;
	bool gz_member_done;      /* last inflate() reached Z_STREAM_END */
};

static int fill_raw(sach_input *in)
{
	ssize_t n;

	if (in->raw_pos < in->raw_len || in->eof)
		return SACH_OK;
	in->raw_pos = in->raw_len = 0;
	do {
		n = read(in->fd, in->raw, RAW_CHUNK);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return in->failed = sach__error_set(SACH_EIO, "%s: read error: %s",
						    in->name, strerror(errno));
	if (n == 0)
		in->eof = true;
	in->raw_len = (size_t)n;
	in->raw_bytes += (uint64_t)n;
	return SACH_OK;
}

/* A zstd frame (magic FD2FB528, little-endian) or a skippable frame
 * (184D2A50-184D2A5F), which zstd(1) accepts at the start of a stream. */
static bool is_zstd_magic(const unsigned char *p)
{
	uint32_t m = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return m == 0xFD2FB528u || (m & 0xFFFFFFF0u) == 0x184D2A50u;
}

int sach__input_open(sach_input **out, const char *path, const char *display_name)
{
	sach_input *in;
	int rc;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return sach__error_nomem();
	in->name = display_name;
	in->raw = malloc(RAW_CHUNK);
	if (!in->raw) {
		free(in);
		return sach__error_nomem();
	}
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
	} else {
		do {
			in->fd = open(path, O_RDONLY | O_CLOEXEC);
		} while (in->fd < 0 && errno == EINTR);
		if (in->fd < 0) {
			rc = sach__error_set(SACH_EIO, "%s: cannot open: %s", display_name,
					     strerror(errno));
			free(in->raw);
			free(in);
			return rc;
		}
		in->owns_fd = true;
	}

	/* Sniff: gather up to 4 bytes (a pipe may deliver fewer per read). */
	while (in->raw_len < 4 && !in->eof) {
		ssize_t n = read(in->fd, in->raw + in->raw_len, RAW_CHUNK - in->raw_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sach__error_set(SACH_EIO, "%s: read error: %s", display_name,
					     strerror(errno));
			sach__input_close(in);
			return rc;
		}
		if (n == 0)
			in->eof = true;
		in->raw_len += (size_t)n;
		in->raw_bytes += (uint64_t)n;
	}
	if (in->raw_len >= 4 && is_zstd_magic(in->raw)) {
		in->comp = SACH_COMPRESS_ZSTD;
		in->zd = ZSTD_createDCtx();
		if (!in->zd) {
			sach__input_close(in);
			return sach__error_nomem();
		}
		ZSTD_DCtx_setParameter(in->zd, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX);
	} else if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->comp = SACH_COMPRESS_GZIP;
		/* 15 + 32: maximum window, accept the gzip (or zlib) header. */
		if (inflateInit2(&in->zs, 15 + 32) != Z_OK) {
			sach__input_close(in);
			return sach__error_nomem();
		}
		in->zs_init = true;
	} else {
		in->comp = SACH_COMPRESS_NONE;
	}
	*out = in;
	return SACH_OK;
}

static int read_plain(sach_input *in, char *buf, size_t cap, size_t *got)
{
	int rc = fill_raw(in);
	size_t n;

	if (rc < 0)
		return rc;
	n = in->raw_len - in->raw_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, in->raw + in->raw_pos, n);
	in->raw_pos += n;
	*got = n;
	return SACH_OK;
}

static int read_zstd(sach_input *in, char *buf, size_t cap, size_t *got)
{
	ZSTD_outBuffer ob = { buf, cap, 0 };

	while (ob.pos == 0) {
		ZSTD_inBuffer ib;
		size_t r;
		int rc = fill_raw(in);

		if (rc < 0)
			return rc;
		if (in->raw_pos == in->raw_len) {
			/* Raw EOF. A frame in progress, or a flush still pending, is a cut stream. */
			if (in->zstd_any && in->zstd_hint != 0)
				return in->failed = sach__error_set(SACH_ECORRUPT,
					"%s: truncated zstd stream (ends inside a frame)", in->name);
			break;
		}
		ib.src = in->raw + in->raw_pos;
		ib.size = in->raw_len - in->raw_pos;
		ib.pos = 0;
		r = ZSTD_decompressStream(in->zd, &ob, &ib);
		in->raw_pos += ib.pos;
		in->zstd_any = true;
		if (ZSTD_isError(r))
			return in->failed = sach__error_set(SACH_ECORRUPT,
				"%s: corrupt zstd stream: %s", in->name, ZSTD_getErrorName(r));
		in->zstd_hint = r;
		if (ob.pos == 0 && ib.pos == 0 && r != 0 && in->raw_pos < in->raw_len)
			continue;
	}
	*got = ob.pos;
	return SACH_OK;
}

static int read_gzip(sach_input *in, char *buf, size_t cap, size_t *got)
{
	size_t produced = 0;

	while (produced == 0) {
		int zr, rc = fill_raw(in);

		if (rc < 0)
			return rc;
		if (in->raw_pos == in->raw_len) {
			if (!in->gz_member_done)
				return in->failed = sach__error_set(SACH_ECORRUPT,
					"%s: truncated gzip stream (ends inside a member)", in->name);
			break;
		}
		if (in->gz_member_done) {
			/* More bytes after a complete member: the next member starts. */
			inflateReset(&in->zs);
			in->gz_member_done = false;
		}
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->zs.next_out = (Bytef *)buf + produced;
		in->zs.avail_out = (uInt)(cap - produced);
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->zs.avail_in;
		produced = cap - in->zs.avail_out;
		if (zr == Z_STREAM_END) {
			in->gz_member_done = true;
		} else if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_MEM_ERROR) {
			return in->failed = sach__error_set(SACH_ECORRUPT,
				"%s: corrupt gzip stream: %s", in->name,
				in->zs.msg ? in->zs.msg : "data error");
		} else if (zr == Z_BUF_ERROR && in->zs.avail_in != 0 && produced == 0) {
			return in->failed = sach__error_set(SACH_ECORRUPT,
				"%s: corrupt gzip stream", in->name);
		}
	}
	*got = produced;
	return SACH_OK;
}

int sach__input_read(sach_input *in, char *buf, size_t cap, size_t *got)
{
	*got = 0;
	if (in->failed)
		return in->failed;
	if (cap > (1u << 30))
		cap = 1u << 30; /* zlib counts in uInt */
	switch (in->comp) {
	case SACH_COMPRESS_ZSTD: return read_zstd(in, buf, cap, got);
	case SACH_COMPRESS_GZIP: return read_gzip(in, buf, cap, got);
	default: return read_plain(in, buf, cap, got);
	}
}

uint64_t sach__input_raw_bytes(const sach_input *in)
{
	return in->raw_bytes;
}

sach_compression sach__input_compression(const sach_input *in)
{
	return in->comp;
}

void sach__input_close(sach_input *in)
{
	if (!in)
		return;
	if (in->owns_fd)
		close(in->fd);
	ZSTD_freeDCtx(in->zd);
	if (in->zs_init)
		inflateEnd(&in->zs);
	free(in->raw);
	free(in);
}
