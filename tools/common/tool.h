/*
 * tools/common/tool.h - what every sach tool shares: start-up, messages,
 * the common options, and the record loop (driver) that turns a one-stage
 * tool into reader -> stage -> writer with the error policy and accounting.
 *
 * Exit codes (README, "Exit codes"): 0 success; 1 data or I/O failure;
 * 2 usage or configuration error.
 */
#ifndef SACH_TOOL_H
#define SACH_TOOL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "sach/sach.h"

#define SACH_EXIT_OK 0
#define SACH_EXIT_FAILURE 1
#define SACH_EXIT_USAGE 2

#if defined(__GNUC__)
#define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TOOL_NORETURN __attribute__((noreturn))
#else
#define TOOL_PRINTF(f, a)
#define TOOL_NORETURN
#endif

extern const char *tool_name;

/* Sets the program name, locale for messages, and the signal handlers that
 * remove temporary output files before the process dies. */
void tool_init(const char *name);

/* "NAME: message" on stderr. */
void tool_warn(const char *fmt, ...) TOOL_PRINTF(1, 2);
/* Usage error: message, "Try 'NAME --help' ...", exit 2. */
TOOL_NORETURN void tool_usage_error(const char *fmt, ...) TOOL_PRINTF(1, 2);
/* "NAME VERSION" on stdout, exit 0. */
TOOL_NORETURN void tool_version(void);

/* Reports a getopt_long() error ('?' or ':') as a usage error. Use with
 * opterr = 0 and an optstring that starts with ':'. */
TOOL_NORETURN void tool_getopt_error(int opt, char **argv, const struct option *longopts);

/* Parses a non-negative size with an optional K, M or G suffix (powers of 1024). */
bool tool_parse_size(const char *s, size_t *out);
/* Parses an integer in [lo, hi]. */
bool tool_parse_int(const char *s, long lo, long hi, long *out);

typedef enum { ON_ERROR_FAIL, ON_ERROR_SKIP, ON_ERROR_QUARANTINE } tool_on_error;

/* Options every record tool takes. */
typedef struct tool_common {
	sach_reader_options reader;
	char **inputs;
	int ninputs;
	const char *output;           /* "-" = stdout */
	bool compress_set;
	sach_compression compress;
	int level;
	sach_format out_format;
	bool out_format_set;
	const char *rejected_path;
	const char *quarantine_path;
	tool_on_error on_error;
	bool on_error_quarantine_asked;
	bool on_error_set;
	const char *stats_path;
	bool progress;
	bool quiet;
} tool_common;

/* getopt ids of the common options (above any tool's own, which use < 256). */
enum {
	OPT_FORMAT = 1000, OPT_DOC_SEP, OPT_TEXT_FIELD, OPT_ID_FIELD, OPT_MAX_RECORD,
	OPT_COMPRESS, OPT_LEVEL, OPT_OUTPUT_FORMAT, OPT_REJECTED, OPT_ON_ERROR,
	OPT_QUARANTINE, OPT_STATS, OPT_PROGRESS, OPT_HELP, OPT_VERSION
};

/* The common long options, to be copied in front of a tool's own table. */
extern const struct option tool_common_long_options[];
extern const size_t tool_common_long_options_count;
/* A tool's own long options (nown of them) followed by the common ones, as
 * one table for getopt_long(); the caller frees it. Exits 1 if out of
 * memory. */
struct option *tool_long_options(const struct option *own, size_t nown);

/* Text for --help describing the common options. */
extern const char tool_common_help[];

void tool_common_init(tool_common *c);
/* Handles one common option; returns false if `opt` is not one. Exits on
 * --help (calling help()), --version, and usage errors. */
bool tool_common_option(tool_common *c, int opt, const char *arg, void (*help)(void));
/* Checks the combination and takes the inputs from argv[optind..]. */
void tool_common_finish(tool_common *c, int argc, char **argv);

/* A stage's verdict on one document. */
typedef enum { STAGE_KEEP = 0, STAGE_DROP = 1 } stage_verdict;

typedef struct tool_stage {
	const char *name;
	/* Processes a document in place. Returns STAGE_KEEP, STAGE_DROP with
	 * *reason set (a static string), or a negative sach code: SACH_ENOMEM
	 * and SACH_ERROR stop the run; others count as a bad record. */
	int (*process)(void *ctx, sach_doc *doc, const char **reason);
	/* Adds the stage's totals to the --stats object. May be NULL. */
	void (*stats)(void *ctx, json_object *into);
	void *ctx;
} tool_stage;

/* Runs the record loop over all inputs; returns the exit code. */
int tool_run(const tool_common *c, const tool_stage *stage);

/*
 * For a stage that keeps many records exactly as they were read (sach-dedupe
 * exact): the driver asks before each record whether it will be kept
 * unchanged, and if so writes its raw bytes and a newline, which is what
 * writing the unchanged document gives, without parsing it or calling
 * process(). Records are numbered from 0 over all inputs in order, counting
 * every record the reader returns, bad ones included (not blank lines).
 * Used only when input and output are both JSONL. The inputs are read as
 * tool_records_open() reads them for the raw path (maps; every record
 * judged on its own bytes) in any case.
 */
typedef struct tool_raw_path {
	/* True when record `record` is to be kept as read. Must not change
	 * the stage's state: it may be asked about a record past the end of
	 * an input, which then does not exist. */
	bool (*will_keep)(void *ctx, uint64_t record);
	/* Called for each record kept that way, in order, after it was read. */
	void (*kept)(void *ctx);
} tool_raw_path;

/* tool_run() with the raw path (NULL: tool_run() itself). */
int tool_run_raw(const tool_common *c, const tool_stage *stage, const tool_raw_path *raw);

/*
 * The records of one input, for the record loop and for a tool that cuts
 * records on one thread and parses them on others (records.c). The same
 * records, verdicts and messages as sach_reader. With `raw` (the raw path;
 * JSONL only), a regular uncompressed input is read from a memory map,
 * where every record stays until tool_records_close(), and every record is
 * parsed by sach_record_parser, whose verdicts depend on the record alone.
 */
typedef struct tool_records tool_records;

/* Opens `path` ("-" = stdin); the error (sach_error_last()) is the reader's. */
int tool_records_open(tool_records **out, const char *path, const sach_reader_options *opts,
		      bool raw);
/* The next record: as sach_reader_next() when doc is not NULL, else as
 * sach_reader_skip() (not parsed; a bad JSON record is not noticed). */
int tool_records_next(tool_records *s, sach_doc **doc);
/* The last record's bytes, as sach_reader_raw(). */
void tool_records_raw(const tool_records *s, const char **raw, size_t *len, bool *truncated,
		      uint64_t *total);
/* True when the last record's bytes stay valid until the input is closed
 * (it came from a map), not only until the next call. */
bool tool_records_raw_stable(const tool_records *s);
uint64_t tool_records_line(const tool_records *s);
/* The input's name in messages ("<stdin>" for "-"). */
const char *tool_records_name(const tool_records *s);
uint64_t tool_records_bytes_in(const tool_records *s);
uint64_t tool_records_bytes_decoded(const tool_records *s);
uint64_t tool_records_blank_lines(const tool_records *s);
void tool_records_close(tool_records *s);
/* true: the maps of closed inputs stay, for the next open of the same file
 * (a second pass); false: takes them all down. */
void tool_records_keep_maps(bool keep);

/* Like tool_run(), for a stage that keeps the documents it is given itself
 * (sach-shard): nothing is opened or written under c->output, and
 * finish(stage->ctx) runs once after the last input, before the side
 * outputs are committed; a negative return (message in sach_error_last())
 * fails the run with exit 1. */
int tool_run_sink(const tool_common *c, const tool_stage *stage, int (*finish)(void *ctx));

#endif
