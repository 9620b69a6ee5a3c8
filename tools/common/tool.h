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

/* Like tool_run(), for a stage that keeps the documents it is given itself
 * (sach-shard): nothing is opened or written under c->output, and
 * finish(stage->ctx) runs once after the last input, before the side
 * outputs are committed; a negative return (message in sach_error_last())
 * fails the run with exit 1. */
int tool_run_sink(const tool_common *c, const tool_stage *stage, int (*finish)(void *ctx));

#endif
