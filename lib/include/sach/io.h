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

/*
 * Records of an input held in memory (a mapped file), cut and parsed apart
 * from a stream, so that a caller can cut on one thread and parse on
 * others. The cut, the verdicts, the documents and the messages are those
 * of sach_reader over the same bytes (uncompressed): tests compare the two.
 */

/** One record found by sach_record_cutter_next(). Pointers borrow the data. */
typedef struct sach_record_span {
	const char *raw;      /* the record (no line ending); for SACH_ETOOBIG its first
				 max_record_bytes bytes */
	size_t len;
	bool truncated;       /* SACH_ETOOBIG: raw is a prefix of total_len bytes */
	uint64_t total_len;
	uint64_t line;        /* 1-based line where the record starts */
	size_t start, next;   /* offsets in the data: the record's line, and the line
				 after it (so [start, next) is the record and its ending) */
} sach_record_span;

typedef struct sach_record_cutter sach_record_cutter;

/**
 * Starts cutting `data` (the whole decoded input, borrowed until the cutter
 * is freed) into records as sach_reader would with the same options; only
 * the format, doc_sep and max_record_bytes of `opts` are used. `name` (copied)
 * names the input in messages, as the reader's path does ("<stdin>" for "-").
 * @return 0; SACH_EUNSUPPORTED for blocks of text (--doc-sep blank), which
 *         need sach_reader; SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_record_cutter_new(sach_record_cutter **out, const char *data, size_t size,
				    const char *name, const sach_reader_options *opts);

/**
 * The next record: 1 and *rec; 0 at the end; SACH_ETOOBIG for a line over
 * the limit (*rec describes it, and the call after it goes on with the next
 * line), with the reader's message. SACH_EUNSUPPORTED for the one line whose
 * cut a stream reader decides by where its reads end (exactly
 * max_record_bytes + 1 bytes, the last one CR): read such an input with
 * sach_reader. Records are not parsed (see sach_record_parser).
 */
SACH_API int sach_record_cutter_next(sach_record_cutter *c, sach_record_span *rec);

/** Blank lines passed over so far (sach_reader_blank_lines()). */
SACH_API uint64_t sach_record_cutter_blank_lines(const sach_record_cutter *c);

/** Frees the cutter (not the data); accepts NULL. */
SACH_API void sach_record_cutter_free(sach_record_cutter *c);

typedef struct sach_record_parser sach_record_parser;

/**
 * A parser of single records for one thread (each thread needs its own).
 * `opts` is copied; the field names it points to must outlive the parser.
 * @return 0, SACH_EINVAL or SACH_ENOMEM.
 */
SACH_API int sach_record_parser_new(sach_record_parser **out, const sach_reader_options *opts);

/**
 * Parses one record (bytes as sach_record_cutter_next() or sach_reader_raw()
 * give them) into the document sach_reader_next() would return for it, with
 * `name` and `line` as its source and line. Unlike a reader's, the result
 * never depends on the records parsed before (json-c 0.16 can carry a
 * pending surrogate escape over from a failed parse; see doc_check.c).
 * @param doc  receives a document borrowed from the parser, valid until the
 *             next call on it; it also borrows `raw` and `name`.
 * @return 0; SACH_EJSON or SACH_EFIELD with the reader's message
 *         ("NAME:LINE: ..."); SACH_ENOMEM.
 */
SACH_API int sach_record_parser_parse(sach_record_parser *p, const char *name, uint64_t line,
				      const char *raw, size_t len, sach_doc **doc);

/**
 * The verdict sach_record_parser_parse() would give and the document's text,
 * usually without building the JSON object of the text: when the text value
 * is a plain string literal (no raw control byte; escapes other than \u0000
 * and unpaired surrogates), json-c checks the record with that value emptied
 * and the literal is decoded here, exactly as json-c decodes it. Anything
 * else takes the full parse.
 * @param text      receives the text (borrowed from the parser or from raw,
 *                  valid until the next call)
 * @param verbatim  set when the document, kept unchanged, is written back as
 *                  the raw bytes and "\n" (sach_doc_write_jsonl()); false for
 *                  text records and records with unpaired surrogate escapes
 * @return 0; SACH_EJSON or SACH_EFIELD (message without a file name);
 *         SACH_ENOMEM.
 */
SACH_API int sach_record_parser_check(sach_record_parser *p, const char *raw, size_t len,
				      const char **text, size_t *text_len, bool *verbatim);

/** Frees the parser; accepts NULL. */
SACH_API void sach_record_parser_free(sach_record_parser *p);

typedef struct sach_writer_options {
	unsigned int version;
	sach_compression compression;
	int level;                   /* 0 = the codec's default */
	bool atomic;                 /* named files via temp + rename (default) */
	int threads;                 /* zstd: 0 = compress in the calling thread;
					N >= 1 = zstd's multi-threaded mode with N
					workers, whose output bytes are the same for
					every N >= 1 (but differ from 0) */
	bool sync;                   /* fsync() before the rename (default); off
					for scratch files whose loss in a crash
					the caller detects otherwise */
	bool writeback;              /* a regular file's pages are sent to the
					disk while it is written (Linux), so a
					later fsync() has little left to wait
					for; implied by sync. For files the
					caller fsyncs itself later. */
} sach_writer_options;

#define SACH_WRITER_OPTIONS_VERSION 3
#define SACH_WRITER_OPTIONS_INIT \
	{ SACH_WRITER_OPTIONS_VERSION, SACH_COMPRESS_NONE, 0, true, 0, true, false }

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
