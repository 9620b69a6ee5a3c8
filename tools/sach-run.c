/*
 * sach-run - runs a whole curation pipeline from a YAML config
 * (configs/README.md): normalise, filter, dedupe and shard in one process,
 * over all cores, resumable after a crash.
 */
#define _POSIX_C_SOURCE 200809L
#include "common/tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sach/pipeline.h"

static void help(void)
{
	printf("Usage: %s [OPTION]... CONFIG\n"
	       "Run the curation pipeline CONFIG (YAML; schema in configs/README.md): read the\n"
	       "inputs, run the stages in order, and write shards, manifest.json, counts.json,\n"
	       "config.json, rejected.jsonl.zst and run.log into the output directory.\n"
	       "\n"
	       "A run that stopped (killed, crashed, out of disk) continues from the parts it\n"
	       "finished when started again with the same config and unchanged inputs, and\n"
	       "ends with the same bytes as an uninterrupted run. The output does not depend\n"
	       "on the number of workers.\n"
	       "\n"
	       "  -j, --workers N   worker threads (default: the config's workers, or auto =\n"
	       "                    one per core)\n"
	       "      --overwrite   replace another run in the output directory (only files\n"
	       "                    sach-run writes are removed; others make it refuse)\n"
	       "      --check       check the config and print the effective config as JSON;\n"
	       "                    run nothing\n"
	       "  -q, --quiet       no log lines on stderr (run.log still gets them)\n"
	       "      --help        show this help and exit\n"
	       "      --version     show the version and exit\n"
	       "\n"
	       "Exit status: 0 success; 1 data or I/O failure (a bad record under\n"
	       "on_error: fail, unreadable input, disk full); 2 usage or config error, or an\n"
	       "output directory holding something else.\n",
	       tool_name);
}

static void log_line(void *user, const char *line)
{
	(void)user;
	fprintf(stderr, "%s: %s\n", tool_name, line);
}

enum { OPT_OVERWRITE = 1, OPT_CHECK };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "workers", required_argument, NULL, 'j' },
		{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	sach_pipeline_options o = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p = NULL;
	bool check = false, quiet = false;
	long n;
	int opt, rc;

	tool_init("sach-run");
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":j:q", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			if (!tool_parse_int(optarg, 1, 256, &n))
				tool_usage_error("--workers: expected a number from 1 to 256, not '%s'",
						 optarg);
			o.workers = (int)n;
			break;
		case OPT_OVERWRITE: o.overwrite = true; break;
		case OPT_CHECK: check = true; break;
		case 'q': quiet = true; break;
		case OPT_HELP:
			help();
			return fflush(stdout) == 0 ? SACH_EXIT_OK : SACH_EXIT_FAILURE;
		case OPT_VERSION: tool_version();
		default: tool_getopt_error(opt, argv, longopts);
		}
	}
	if (optind != argc - 1)
		tool_usage_error(optind >= argc ? "a pipeline config is required"
						: "one pipeline config only");
	if (!quiet)
		o.log = log_line;
	rc = sach_pipeline_load(&p, argv[optind], &o);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		return rc == SACH_ENOMEM || rc == SACH_EIO ? SACH_EXIT_FAILURE : SACH_EXIT_USAGE;
	}
	if (check) {
		printf("%s\n", sach_pipeline_config_json(p));
		sach_pipeline_free(p);
		return fflush(stdout) == 0 ? SACH_EXIT_OK : SACH_EXIT_FAILURE;
	}
	rc = sach_pipeline_run(p);
	sach_pipeline_free(p);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		return rc == SACH_EINVAL || rc == SACH_ECONFIG ? SACH_EXIT_USAGE : SACH_EXIT_FAILURE;
	}
	return SACH_EXIT_OK;
}
