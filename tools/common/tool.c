/*
 * tool.c - start-up, messages and the common options of every sach tool.
 */
#define _POSIX_C_SOURCE 200809L
#include "tool.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tool_name = "sach";

static void on_fatal_signal(int sig)
{
	/* Remove temporary outputs, then die of the same signal so the parent
	 * sees the truth (for SIGPIPE: quiet, like cat). */
	sach_writer_cleanup_on_signal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * The tools map regular input files (tools/common/records.c); reading a
 * page of one that was truncated meanwhile raises SIGBUS. That is bad
 * input, not a crash: say so, remove temporary outputs, exit 1. Only
 * async-signal-safe calls here.
 */
static void on_bus_error(int sig)
{
	static const char msg[] = ": an input file shrank while it was read (bus error); "
				  "no output file was written\n";
	ssize_t ignored;

	(void)sig;
	sach_writer_cleanup_on_signal();
	ignored = write(STDERR_FILENO, tool_name, strlen(tool_name));
	ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)ignored;
	_exit(SACH_EXIT_FAILURE);
}

void tool_init(const char *name)
{
	struct sigaction sa;
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	size_t i;

	tool_name = name;
	/* Messages and number formats follow the user; text handling is UTF-8
	 * bytes through ICU and never depends on LC_CTYPE. */
	setlocale(LC_ALL, "");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = on_bus_error;
	sigaction(SIGBUS, &sa, NULL);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", tool_name);
	exit(SACH_EXIT_USAGE);
}

void tool_version(void)
{
	printf("%s %s\n", tool_name, sach_version_string());
	exit(fflush(stdout) == 0 && !ferror(stdout) ? SACH_EXIT_OK : SACH_EXIT_FAILURE);
}

bool tool_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	else if (*end)
		return false;
	if (shift && end[1])
		return false;
	if (v > (SIZE_MAX >> shift))
		return false;
	*out = (size_t)(v << shift);
	return true;
}

bool tool_parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

const struct option tool_common_long_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "doc-sep", required_argument, NULL, OPT_DOC_SEP },
	{ "text-field", required_argument, NULL, OPT_TEXT_FIELD },
	{ "id-field", required_argument, NULL, OPT_ID_FIELD },
	{ "max-record-bytes", required_argument, NULL, OPT_MAX_RECORD },
	{ "output", required_argument, NULL, 'o' },
	{ "compress", required_argument, NULL, OPT_COMPRESS },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "output-format", required_argument, NULL, OPT_OUTPUT_FORMAT },
	{ "rejected", required_argument, NULL, OPT_REJECTED },
	{ "on-error", required_argument, NULL, OPT_ON_ERROR },
	{ "quarantine", required_argument, NULL, OPT_QUARANTINE },
	{ "stats", required_argument, NULL, OPT_STATS },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
};
const size_t tool_common_long_options_count =
	sizeof(tool_common_long_options) / sizeof(tool_common_long_options[0]);

const char tool_common_help[] =
	"Input and output:\n"
	"  FILE...                  inputs (default: stdin; '-' is stdin); zstd and\n"
	"                           gzip are detected from the data\n"
	"      --format FMT         jsonl (default) or text\n"
	"      --doc-sep SEP        text: line (one document per line, default) or\n"
	"                           blank (documents separated by blank lines)\n"
	"      --text-field NAME    JSONL field holding the text (default: text)\n"
	"      --id-field NAME      JSONL field holding the id (default: id)\n"
	"      --max-record-bytes N records over N bytes are errors (default 64M;\n"
	"                           K, M, G suffixes)\n"
	"  -o, --output FILE        write to FILE (atomically) instead of stdout\n"
	"      --compress C         none, gzip or zstd (default: from FILE's name)\n"
	"      --level N            compression level (zstd 1-19, gzip 1-9)\n"
	"      --output-format FMT  jsonl or text (default: the input format)\n"
	"      --rejected FILE      write dropped documents, with the reason, to FILE\n"
	"\n"
	"Bad input:\n"
	"      --on-error POLICY    fail (default: stop, exit 1), skip (count and go\n"
	"                           on), or quarantine (needs --quarantine)\n"
	"      --quarantine FILE    keep bad records byte for byte in FILE (implies\n"
	"                           --on-error quarantine)\n"
	"      --stats FILE         write counts (records in, out, rejected, skipped,\n"
	"                           quarantined, and the tool's own) as JSON\n"
	"\n"
	"Other:\n"
	"      --progress           show progress on stderr even when it is not a\n"
	"                           terminal\n"
	"  -q, --quiet              no summary of skipped records on stderr\n"
	"      --help               show this help and exit\n"
	"      --version            show the version and exit\n";

void tool_getopt_error(int opt, char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	bool is_long = strncmp(arg, "--", 2) == 0;

	if (is_long && opt == '?' && !optopt) {
		/* getopt_long() also says '?' for a prefix of several options. */
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name), k, hits = 0;
		char list[512] = "";

		for (k = 0; longopts[k].name; k++) {
			if (strncmp(longopts[k].name, name, n) == 0) {
				size_t used = strlen(list);
				hits++;
				snprintf(list + used, sizeof(list) - used, " '--%s'", longopts[k].name);
			}
		}
		if (hits > 1)
			tool_usage_error("option '--%.*s' is ambiguous; possibilities:%s", (int)n, name, list);
	}

	if (opt == ':') {
		if (is_long)
			tool_usage_error("option '%s' requires an argument", arg);
		tool_usage_error("option requires an argument -- '%c'", optopt);
	}
	if (is_long) {
		const char *eq = strchr(arg, '=');
		int n = (int)(eq ? eq - arg : (long)strlen(arg));

		/* glibc leaves the option's value in optopt when it is known. */
		if (optopt)
			tool_usage_error("option '%.*s' doesn't allow an argument", n, arg);
		tool_usage_error("unrecognized option '%.*s'", n, arg);
	}
	tool_usage_error("invalid option -- '%c'", optopt);
}

void tool_common_init(tool_common *c)
{
	sach_reader_options r = SACH_READER_OPTIONS_INIT;

	memset(c, 0, sizeof(*c));
	c->reader = r;
	c->output = "-";
	c->on_error = ON_ERROR_FAIL;
}

bool tool_common_option(tool_common *c, int opt, const char *arg, void (*help)(void))
{
	long v;

	switch (opt) {
	case OPT_FORMAT:
		if (strcmp(arg, "jsonl") == 0)
			c->reader.format = SACH_FORMAT_JSONL;
		else if (strcmp(arg, "text") == 0)
			c->reader.format = SACH_FORMAT_TEXT;
		else
			tool_usage_error("--format: expected jsonl or text, not '%s'", arg);
		return true;
	case OPT_DOC_SEP:
		if (strcmp(arg, "line") == 0)
			c->reader.doc_sep = SACH_DOC_SEP_LINE;
		else if (strcmp(arg, "blank") == 0)
			c->reader.doc_sep = SACH_DOC_SEP_BLANK;
		else
			tool_usage_error("--doc-sep: expected line or blank, not '%s'", arg);
		return true;
	case OPT_TEXT_FIELD:
		if (!*arg || strcmp(arg, SACH_META_KEY) == 0)
			tool_usage_error("--text-field: '%s' cannot be used", arg);
		c->reader.text_field = arg;
		return true;
	case OPT_ID_FIELD:
		if (!*arg)
			tool_usage_error("--id-field: empty name");
		c->reader.id_field = arg;
		return true;
	case OPT_MAX_RECORD:
		if (!tool_parse_size(arg, &c->reader.max_record_bytes) ||
		    c->reader.max_record_bytes == 0 ||
		    c->reader.max_record_bytes > ((size_t)1 << 34))
			tool_usage_error("--max-record-bytes: expected a size from 1 to 16G, not '%s'", arg);
		return true;
	case 'o':
		if (!*arg)
			tool_usage_error("--output: empty file name");
		c->output = arg;
		return true;
	case OPT_COMPRESS:
		if (sach_compression_from_name(arg, &c->compress) < 0)
			tool_usage_error("--compress: expected none, gzip or zstd, not '%s'", arg);
		c->compress_set = true;
		return true;
	case OPT_LEVEL:
		if (!tool_parse_int(arg, 1, 19, &v))
			tool_usage_error("--level: expected 1-19, not '%s'", arg);
		c->level = (int)v;
		return true;
	case OPT_OUTPUT_FORMAT:
		if (strcmp(arg, "jsonl") == 0)
			c->out_format = SACH_FORMAT_JSONL;
		else if (strcmp(arg, "text") == 0)
			c->out_format = SACH_FORMAT_TEXT;
		else
			tool_usage_error("--output-format: expected jsonl or text, not '%s'", arg);
		c->out_format_set = true;
		return true;
	case OPT_REJECTED:
		c->rejected_path = arg;
		return true;
	case OPT_ON_ERROR:
		c->on_error_set = true;
		if (strcmp(arg, "fail") == 0)
			c->on_error = ON_ERROR_FAIL;
		else if (strcmp(arg, "skip") == 0)
			c->on_error = ON_ERROR_SKIP;
		else if (strcmp(arg, "quarantine") == 0) {
			c->on_error = ON_ERROR_QUARANTINE;
			c->on_error_quarantine_asked = true;
		} else
			tool_usage_error("--on-error: expected fail, skip or quarantine, not '%s'", arg);
		return true;
	case OPT_QUARANTINE:
		c->quarantine_path = arg;
		return true;
	case OPT_STATS:
		c->stats_path = arg;
		return true;
	case OPT_PROGRESS:
		c->progress = true;
		return true;
	case 'q':
		c->quiet = true;
		return true;
	case OPT_HELP:
		help();
		exit(fflush(stdout) == 0 && !ferror(stdout) ? SACH_EXIT_OK : SACH_EXIT_FAILURE);
	case OPT_VERSION:
		tool_version();
	default:
		return false;
	}
}

/* Whether two names are the same file: the same string, or (for files that
 * exist) the same device and inode, which catches ./x, /abs/x and links.
 * "-" (stdin or stdout) is compared as a name. */
static bool same_path(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!a || !b)
		return false;
	if (strcmp(a, b) == 0)
		return true;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Same file as an input: "-" as an output is stdout, never stdin. */
static bool same_as_input(const char *out, const char *in)
{
	return out && strcmp(out, "-") != 0 && strcmp(in, "-") != 0 && same_path(out, in);
}

void tool_common_finish(tool_common *c, int argc, char **argv)
{
	static char *stdin_only[] = { "-" };
	int i, stdin_uses = 0;

	if (c->quarantine_path) {
		if (c->on_error != ON_ERROR_QUARANTINE && c->on_error_set)
			tool_usage_error("--quarantine goes with --on-error quarantine, not --on-error %s",
					 c->on_error == ON_ERROR_SKIP ? "skip" : "fail");
		c->on_error = ON_ERROR_QUARANTINE;
	} else if (c->on_error_quarantine_asked) {
		tool_usage_error("--on-error quarantine needs --quarantine FILE");
	}
	if (strcmp(c->reader.id_field, SACH_META_KEY) == 0)
		tool_usage_error("--id-field: '%s' cannot be used", c->reader.id_field);
	if (strcmp(c->reader.id_field, c->reader.text_field) == 0)
		tool_usage_error("--id-field and --text-field must differ");
	if (!c->out_format_set)
		c->out_format = c->reader.format;
	if (!c->compress_set)
		c->compress = sach_compression_from_path(c->output);
	if (c->level && c->compress == SACH_COMPRESS_GZIP && c->level > 9)
		tool_usage_error("--level: gzip takes 1-9, not %d", c->level);
	if (c->level && c->compress == SACH_COMPRESS_NONE)
		tool_usage_error("--level needs compressed output (--compress, or a .zst/.gz name)");
	if (optind < argc) {
		c->inputs = argv + optind;
		c->ninputs = argc - optind;
	} else {
		c->inputs = stdin_only;
		c->ninputs = 1;
	}
	for (i = 0; i < c->ninputs; i++) {
		if (strcmp(c->inputs[i], "-") == 0)
			stdin_uses++;
		/* Writing over an input would destroy it before it is read. */
		if (same_as_input(c->output, c->inputs[i]) || same_as_input(c->rejected_path, c->inputs[i]) ||
		    same_as_input(c->quarantine_path, c->inputs[i]) || same_as_input(c->stats_path, c->inputs[i]))
			tool_usage_error("'%s' is both an input and an output", c->inputs[i]);
	}
	if (stdin_uses > 1)
		tool_usage_error("stdin ('-') given more than once");
	if (same_path(c->output, c->rejected_path) || same_path(c->output, c->quarantine_path) ||
	    same_path(c->output, c->stats_path) || same_path(c->rejected_path, c->quarantine_path) ||
	    same_path(c->rejected_path, c->stats_path) || same_path(c->quarantine_path, c->stats_path))
		tool_usage_error("two outputs name the same file");
}

struct option *tool_long_options(const struct option *own, size_t nown)
{
	struct option *all = calloc(nown + tool_common_long_options_count + 1, sizeof(*all));

	if (!all) {
		tool_warn("out of memory");
		exit(SACH_EXIT_FAILURE);
	}
	memcpy(all, own, nown * sizeof(*all));
	memcpy(all + nown, tool_common_long_options,
	       tool_common_long_options_count * sizeof(*all));
	return all;
}
