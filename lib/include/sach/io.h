/*
 * sach/io.h - reading records from files or stdin, writing output atomically.
 *
 * Input: a file name or "-" for stdin. Compression is detected from the
 * first bytes (zstd frame magic, gzip magic), never from the name alone, so
 * a mislabelled file still reads. Records are JSON Lines (one object per
 * line, text and id fields configurable) or plain text (one document per
 * line, or per block of lines separated by blank lines).
 *
 * Policy for bad input: the reader never stops at a bad record. A record
 * that is not one JSON object, lacks a string text field, or is larger than
 * max_record_bytes is reported as a negative code from sach_reader_next(),
 * with the raw bytes available from sach_reader_raw(), and the next call
 * continues with the following record. A stream failure (unreadable file,
 * corrupt or truncated compressed data) is final for that reader.
 *
 * Output: sach_writer writes to stdout ("-") or to a named file through a
 * temporary file in the same directory, fsync()ed and renamed over the final
 * name only on sach_writer_commit(), so an interrupted run never leaves a
 * half-written file under the final name.
 */
#ifndef SACH_IO_H
#define SACH_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sach_format {
	SACH_FORMAT_JSONL = 0,
	SACH_FORMAT_TEXT = 1
} sach_format;

typedef enum sach_doc_sep {
	SACH_DOC_SEP_LINE = 0,  /* one document per line */
	SACH_DOC_SEP_BLANK = 1  /* documents are blocks separated by blank lines */
} sach_doc_sep;

typedef enum sach_compression {
	SACH_COMPRESS_NONE = 0,
	SACH_COMPRESS_GZIP = 1,
	SACH_COMPRESS_ZSTD = 2
} sach_compression;

/** Compression implied by a file name: ".zst" or ".gz" suffix, else NONE. */
SACH_API sach_compression sach_compression_from_path(const char *path);

/** Parses "none", "gzip"/"gz", "zstd"/"zst". 0, or SACH_EINVAL. */
SACH_API int sach_compression_from_name(const char *name, sach_compression *out);

#define SACH_DEFAULT_MAX_RECORD_BYTES ((size_t)64 << 20)

typedef struct sach_reader_options {
	unsigned int version;
	sach_format format;
	sach_doc_sep doc_sep;        /* text format only */
	const char *text_field;      /* JSONL: name of the text field ("text") */
	const char *id_field;        /* JSONL: name of the id field ("id") */
	size_t max_record_bytes;     /* larger records are SACH_ETOOBIG */
} sach_reader_options;

#define SACH_READER_OPTIONS_VERSION 1
#define SACH_READER_OPTIONS_INIT \
	{ SACH_READER_OPTIONS_VERSION, SACH_FORMAT_JSONL, SACH_DOC_SEP_LINE, \
	  "text", "id", SACH_DEFAULT_MAX_RECORD_BYTES }

typedef struct sach_reader sach_reader;

/**
 * Opens `path` ("-" = stdin) for reading records.
 * @param out   receives the reader; the caller owns it and frees it with
 *              sach_reader_close().
 * @param opts  copied; the strings it points to must outlive the reader.
 * @return 0, SACH_EIO (cannot open; message names the file and errno text),
 *         SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_reader_open(sach_reader **out, const char *path,
			      const sach_reader_options *opts);

/**
 * Reads the next record.
 * @param doc  on success receives a document borrowed from the reader, valid
 *             (and modifiable) until the next call or sach_reader_close().
 * @return 1 when a record was read; 0 at the end of the input;
 *         SACH_EJSON, SACH_EFIELD or SACH_ETOOBIG for a bad record (the call
 *         after it continues with the next record; sach_reader_raw() gives
 *         its bytes); SACH_EIO or SACH_ECORRUPT for a stream failure, after
 *         which the reader only returns that code again.
 */
SACH_API int sach_reader_next(sach_reader *r, sach_doc **doc);

/**
 * Moves over the next record without parsing it, for a caller that only
 * needs its raw bytes (sach_reader_raw()) and position: 1, 0 at the end, a
 * stream failure as for sach_reader_next(), or SACH_ETOOBIG. A JSON record
 * that is bad in any other way is not noticed (it is not parsed).
 */
SACH_API int sach_reader_skip(sach_reader *r);

/**
 * The raw bytes of the last record returned or rejected (borrowed, valid
 * until the next call). For a SACH_ETOOBIG record these are its first
 * max_record_bytes bytes, *truncated is set and *total_len gives its size.
 */
SACH_API void sach_reader_raw(const sach_reader *r, const char **raw, size_t *len,
			      bool *truncated, uint64_t *total_len);

/** Line number (1-based) where the last record started. */
SACH_API uint64_t sach_reader_line(const sach_reader *r);
/** The name given to sach_reader_open(); "<stdin>" for "-". */
SACH_API const char *sach_reader_name(const sach_reader *r);
/** Bytes read from the file so far (compressed size). */
SACH_API uint64_t sach_reader_bytes_in(const sach_reader *r);
/** Bytes of decompressed input consumed so far. */
SACH_API uint64_t sach_reader_bytes_decoded(const sach_reader *r);
/** Blank lines skipped in JSONL or line mode (they are not records). */
SACH_API uint64_t sach_reader_blank_lines(const sach_reader *r);
/** Compression detected on the input. */
SACH_API sach_compression sach_reader_compression(const sach_reader *r);
/** Closes the file (never stdin) and frees the reader; accepts NULL. */
SACH_API void sach_reader_close(sach_reader *r);

typedef struct sach_writer_options {
	unsigned int version;
	sach_compression compression;
	int level;                   /* 0 = the codec's default */
	bool atomic;                 /* named files via temp + rename (default) */
	int threads;                 /* zstd: 0 = compress in the calling thread;
					N >= 1 = zstd's multi-threaded mode with N
					workers, whose output bytes are the same for
					every N >= 1 (but differ from 0) */
} sach_writer_options;

#define SACH_WRITER_OPTIONS_VERSION 1
#define SACH_WRITER_OPTIONS_INIT \
	{ SACH_WRITER_OPTIONS_VERSION, SACH_COMPRESS_NONE, 0, true, 0 }

typedef struct sach_writer sach_writer;

/**
 * Opens `path` ("-" = stdout) for writing. For a named file the data goes to
 * a temporary file beside it until sach_writer_commit().
 * @param out  receives the writer; the caller owns it and must end it with
 *             sach_writer_commit() or sach_writer_abort().
 * @return 0, SACH_EIO, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_writer_open(sach_writer **out, const char *path,
			      const sach_writer_options *opts);

/** Writes bytes (compressed if configured). 0 or SACH_EIO / SACH_ENOMEM. */
SACH_API int sach_writer_write(sach_writer *w, const void *data, size_t len);

/**
 * Finishes the stream, flushes, fsyncs and renames the temporary file over
 * the final name, then frees the writer. On failure the temporary file is
 * removed and the final name is left as it was. Either way `w` is no longer
 * valid after the call.
 * @return 0, or SACH_EIO (with errno text; EPIPE on stdout gives SACH_EIO
 *         and errno stays EPIPE so a tool can stay quiet).
 */
SACH_API int sach_writer_commit(sach_writer *w);

/** Discards the output: removes the temporary file, frees the writer. NULL ok. */
SACH_API void sach_writer_abort(sach_writer *w);

/** Uncompressed bytes written so far. */
SACH_API uint64_t sach_writer_bytes(const sach_writer *w);

/**
 * Removes the temporary files of every writer still open in this process.
 * Async-signal-safe (only unlink()); meant for a SIGINT/SIGTERM handler.
 */
SACH_API void sach_writer_cleanup_on_signal(void);

/**
 * Appends one quarantine entry: a header line
 *   "# sach-quarantine {\"source\": NAME, \"line\": N, \"bytes\": LEN, \"reason\": TEXT}\n"
 * followed by exactly LEN raw bytes and "\n". The length makes the raw
 * record recoverable byte for byte even when it holds newlines or NUL bytes.
 */
SACH_API int sach_quarantine_write(sach_writer *w, const char *source, uint64_t line,
				   const char *reason, const char *raw, size_t len,
				   bool truncated, uint64_t total_len);

#ifdef __cplusplus
}
#endif

#endif /* SACH_IO_H */
