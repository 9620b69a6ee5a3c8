/*
 * writer.c - output to stdout or, atomically, to a named file.
 *
 * A named regular file is written as a temporary file in the same
 * directory (so the final rename cannot cross file systems), fsync()ed, and
 * renamed over the final name only on commit. A crash, kill -9 or failure
 * leaves at most a ".NAME.tmp.XXXXXX" file, never a truncated file under
 * NAME. A FIFO or a device (-o /dev/null) is written in place. Temporary
 * names are kept in a small table so a signal handler can remove them.
 *
 * Data is buffered and written in large blocks; zstd and gzip compress the
 * block stream.
 */
#if defined(__linux__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sync_file_range() */
#endif
#else
#define _POSIX_C_SOURCE 200809L
#endif
#include "sach/io.h"
#include "error_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define OUT_CHUNK ((size_t)1 << 20)

/*
 * A regular file that will be fsync()ed (on commit, or by the caller:
 * `writeback`) has its pages sent to the disk while it is written, every
 * SYNC_AHEAD bytes (Linux's sync_file_range(), which starts the writeback
 * and does not wait for it). Without it the whole file was written back by
 * the fsync() at the end: 0.13 s for the 62 MB of rejected records of
 * viwiki x3, when nothing else was left to run.
 */
#define SYNC_AHEAD ((off_t)8 << 20)
#define MAX_TEMPS 64

struct sach_writer {
	int fd;
	bool is_stdout;
	char *final_path;
	char *temp_path;
	int temp_slot;
	sach_compression comp;
	bool sync;                /* fsync() on commit */
	uint64_t bytes;
	bool writeback;           /* start writeback every SYNC_AHEAD bytes */
	off_t file_pos;           /* bytes written to fd */
	off_t sync_started;       /* writeback started up to here */

	char *in;                 /* uncompressed staging buffer */
	size_t in_len;
	char *out;                /* compressed bytes */
	size_t out_cap;

	ZSTD_CCtx *zc;
	z_stream zs;
	bool zs_init;
};

/* Temporary file names for sach_writer_cleanup_on_signal(). The pointers are
 * written before the file exists and cleared after rename/unlink, so the
 * handler only ever sees complete strings. */
static char *volatile temp_table[MAX_TEMPS];

static int temp_register(char *path)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++) {
		if (!temp_table[i]) {
			temp_table[i] = path;
			return i;
		}
	}
	return -1;
}

static void temp_unregister(int slot)
{
	if (slot >= 0)
		temp_table[slot] = NULL;
}

void sach_writer_cleanup_on_signal(void)
{
	int i;

	for (i = 0; i < MAX_TEMPS; i++) {
		char *p = temp_table[i];
		if (p)
			unlink(p);
	}
}

/* An existing target that is not a regular file (FIFO, device, socket). */
static bool is_special(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

static int io_error(sach_writer *w, const char *what)
{
	int e = errno;
	int rc = sach__error_set(SACH_EIO, "%s: %s: %s",
				 w->is_stdout ? "<stdout>" : w->final_path, what, strerror(e));
	errno = e;
	return rc;
}

static int write_all(sach_writer *w, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return io_error(w, "write error");
		}
		p += k;
		n -= (size_t)k;
		w->file_pos += k;
	}
#if defined(__linux__)
	if (w->writeback && w->file_pos - w->sync_started >= SYNC_AHEAD) {
		/* a hint: where it is not supported, fsync() does it all */
		(void)sync_file_range(w->fd, w->sync_started, w->file_pos - w->sync_started,
				      SYNC_FILE_RANGE_WRITE);
		w->sync_started = w->file_pos;
	}
#endif
	return SACH_OK;
}

int sach_writer_open(sach_writer **out, const char *path, const sach_writer_options *opts)
{
	sach_writer *w;
	int rc;

	*out = NULL;
	if (!opts || opts->version != SACH_WRITER_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "writer options: unknown version");
	w = calloc(1, sizeof(*w));
	if (!w)
		return sach__error_nomem();
	w->temp_slot = -1;
	w->comp = opts->compression;
	w->sync = opts->sync;
	w->in = malloc(OUT_CHUNK);
	w->final_path = strdup(path);
	if (!w->in || !w->final_path) {
		rc = sach__error_nomem();
		goto fail;
	}
	if (strcmp(path, "-") == 0) {
		w->is_stdout = true;
		w->fd = STDOUT_FILENO;
	} else if (!opts->atomic || is_special(path)) {
		/* A FIFO, a device or a socket is written in place: renaming a
		 * temporary file over it would replace the device with a file. */
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (w->fd < 0) {
			rc = sach__error_set(SACH_EIO, "%s: cannot create: %s", path, strerror(errno));
			goto fail;
		}
	} else {
		char *copy = strdup(path), *dir, *base;
		mode_t mask;
		size_t n;

		if (!copy) {
			rc = sach__error_nomem();
			goto fail;
		}
		dir = dirname(copy);
		n = strlen(path) + 32;
		w->temp_path = malloc(n);
		if (!w->temp_path) {
			free(copy);
			rc = sach__error_nomem();
			goto fail;
		}
		{
			char *copy2 = strdup(path);
			base = copy2 ? basename(copy2) : NULL;
			if (!base) {
				free(copy);
				free(copy2);
				rc = sach__error_nomem();
				goto fail;
			}
			snprintf(w->temp_path, n, "%s/.%s.tmp.XXXXXX", dir, base);
			free(copy2);
		}
		free(copy);
		w->temp_slot = temp_register(w->temp_path);
		w->fd = mkstemp(w->temp_path);
		if (w->fd < 0) {
			rc = sach__error_set(SACH_EIO, "%s: cannot create temporary file: %s",
					     path, strerror(errno));
			goto fail;
		}
		/* mkstemp makes 0600; give the file the mode a plain create would. */
		mask = umask(0);
		umask(mask);
		if (fchmod(w->fd, 0666 & ~mask) < 0) {
			rc = io_error(w, "chmod");
			goto fail;
		}
		/* only the temporary file of a named regular file: a pipe or
		 * a device has no pages to send */
		w->writeback = opts->sync || opts->writeback;
	}
	if (w->comp == SACH_COMPRESS_ZSTD) {
		w->zc = ZSTD_createCCtx();
		w->out_cap = ZSTD_CStreamOutSize();
		if (!w->zc) {
			rc = sach__error_nomem();
			goto fail;
		}
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel,
				       opts->level ? opts->level : 3);
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 1);
		if (opts->threads > 0 &&
		    ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_nbWorkers, opts->threads))) {
			/* A libzstd without threads would silently give other
			 * bytes than one with them: refuse instead. */
			rc = sach__error_set(SACH_EUNSUPPORTED,
					     "this libzstd cannot compress with threads");
			goto fail;
		}
	} else if (w->comp == SACH_COMPRESS_GZIP) {
		int level = opts->level ? opts->level : 6;
		w->out_cap = OUT_CHUNK;
		if (level < 1 || level > 9) {
			rc = sach__error_set(SACH_EINVAL, "gzip level %d out of range 1-9", level);
			goto fail;
		}
		/* 15 + 16: maximum window, gzip header and trailer. */
		if (deflateInit2(&w->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			rc = sach__error_nomem();
			goto fail;
		}
		w->zs_init = true;
	}
	if (w->out_cap) {
		w->out = malloc(w->out_cap);
		if (!w->out) {
			rc = sach__error_nomem();
			goto fail;
		}
	}
	*out = w;
	return SACH_OK;
fail:
	{
		int e = sach_error_last_code();
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		sach_writer_abort(w);
		sach__error_set(e, "%s", msg);
	}
	return rc;
}

/* Pushes the staging buffer through the compressor (finishing it if asked). */
static int drain(sach_writer *w, bool finish)
{
	int rc;

	if (w->comp == SACH_COMPRESS_NONE) {
		rc = write_all(w, w->in, w->in_len);
		w->in_len = 0;
		return rc;
	}
	if (w->comp == SACH_COMPRESS_ZSTD) {
		ZSTD_inBuffer ib = { w->in, w->in_len, 0 };
		ZSTD_EndDirective mode = finish ? ZSTD_e_end : ZSTD_e_continue;
		size_t left;

		do {
			ZSTD_outBuffer ob = { w->out, w->out_cap, 0 };
			left = ZSTD_compressStream2(w->zc, &ob, &ib, mode);
			if (ZSTD_isError(left))
				return sach__error_set(SACH_ERROR, "zstd: %s", ZSTD_getErrorName(left));
			if ((rc = write_all(w, w->out, ob.pos)) < 0)
				return rc;
		} while (finish ? left != 0 : ib.pos < ib.size);
		w->in_len = 0;
		return SACH_OK;
	}
	w->zs.next_in = (Bytef *)w->in;
	w->zs.avail_in = (uInt)w->in_len;
	for (;;) {
		int zr;

		w->zs.next_out = (Bytef *)w->out;
		w->zs.avail_out = (uInt)w->out_cap;
		zr = deflate(&w->zs, finish ? Z_FINISH : Z_NO_FLUSH);
		if (zr == Z_STREAM_ERROR)
			return sach__error_set(SACH_ERROR, "gzip: deflate failed");
		if ((rc = write_all(w, w->out, w->out_cap - w->zs.avail_out)) < 0)
			return rc;
		if (finish ? zr == Z_STREAM_END : w->zs.avail_in == 0)
			break;
	}
	w->in_len = 0;
	return SACH_OK;
}

int sach_writer_write(sach_writer *w, const void *data, size_t len)
{
	const char *p = data;

	w->bytes += len;
	while (len) {
		size_t n = OUT_CHUNK - w->in_len;
		int rc;

		if (n > len)
			n = len;
		memcpy(w->in + w->in_len, p, n);
		w->in_len += n;
		p += n;
		len -= n;
		if (w->in_len == OUT_CHUNK && (rc = drain(w, false)) < 0)
			return rc;
	}
	return SACH_OK;
}

uint64_t sach_writer_bytes(const sach_writer *w)
{
	return w->bytes;
}

static void writer_free(sach_writer *w)
{
	ZSTD_freeCCtx(w->zc);
	if (w->zs_init)
		deflateEnd(&w->zs);
	temp_unregister(w->temp_slot);
	free(w->temp_path);
	free(w->final_path);
	free(w->in);
	free(w->out);
	free(w);
}

int sach_writer_commit(sach_writer *w)
{
	int rc = drain(w, true);
	int saved_errno = 0;

	if (rc < 0) {
		saved_errno = errno;
		goto fail;
	}
	if (w->is_stdout) {
		writer_free(w);
		return SACH_OK;
	}
	if (w->sync && fsync(w->fd) < 0 && errno != EINVAL) {
		rc = io_error(w, "fsync");
		goto fail;
	}
	if (close(w->fd) < 0) {
		w->fd = -1;
		rc = io_error(w, "close");
		goto fail;
	}
	w->fd = -1;
	if (w->temp_path) {
		if (rename(w->temp_path, w->final_path) < 0) {
			rc = io_error(w, "cannot rename temporary file into place");
			goto fail;
		}
		temp_unregister(w->temp_slot);
		w->temp_slot = -1;
		free(w->temp_path);
		w->temp_path = NULL;
	}
	writer_free(w);
	return SACH_OK;
fail:
	saved_errno = saved_errno ? saved_errno : errno;
	{
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		sach_writer_abort(w);
		sach__error_set(rc, "%s", msg);
	}
	errno = saved_errno;
	return rc;
}

void sach_writer_abort(sach_writer *w)
{
	if (!w)
		return;
	if (!w->is_stdout && w->fd >= 0)
		close(w->fd);
	if (w->temp_path)
		unlink(w->temp_path);
	writer_free(w);
}

int sach_quarantine_write(sach_writer *w, const char *source, uint64_t line,
			  const char *reason, const char *raw, size_t len,
			  bool truncated, uint64_t total_len)
{
	sach_buf head = { 0 };
	char num[96];
	int rc;

	/* The header is JSON so names and reasons with spaces stay unambiguous. */
	snprintf(num, sizeof(num), ", \"line\": %llu, \"bytes\": %zu",
		 (unsigned long long)line, len);
	if ((rc = sach_buf_puts(&head, "# sach-quarantine {\"source\": ")) < 0 ||
	    (rc = sach_json_escape(&head, source, strlen(source))) < 0 ||
	    (rc = sach_buf_puts(&head, num)) < 0)
		goto out;
	if (truncated) {
		snprintf(num, sizeof(num), ", \"total_bytes\": %llu, \"truncated\": true",
			 (unsigned long long)total_len);
		if ((rc = sach_buf_puts(&head, num)) < 0)
			goto out;
	}
	if ((rc = sach_buf_puts(&head, ", \"reason\": ")) < 0 ||
	    (rc = sach_json_escape(&head, reason, strlen(reason))) < 0 ||
	    (rc = sach_buf_puts(&head, "}\n")) < 0)
		goto out;
	if ((rc = sach_writer_write(w, head.ptr, head.len)) < 0 ||
	    (rc = sach_writer_write(w, raw, len)) < 0)
		goto out;
	rc = sach_writer_write(w, "\n", 1);
out:
	sach_buf_free(&head);
	return rc;
}
