/*
 * sach-run - runs a whole curation pipeline from a YAML config
 * (configs/README.md): normalise, filter, dedupe and shard in one process,
 * over all cores, resumable after a crash; or spread over a Slurm cluster
 * (run_slurm.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "common/tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sach/pipeline.h"
#include "run_slurm.h"

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
	       "                    one per core); with Slurm, per job (--cpus-per-task)\n"
	       "      --overwrite   replace another run in the output directory (only files\n"
	       "                    sach-run writes are removed; others make it refuse)\n"
	       "      --check       check the config and print the effective config as JSON;\n"
	       "                    run nothing\n"
	       "  -q, --quiet       no log lines on stderr (run.log still gets them)\n"
	       "\n"
	       "Slurm (the output directory on storage every node sees):\n"
	       "      --engine E    local (default) or slurm: submit a job array whose\n"
	       "                    tasks run the per-document stages of their share of\n"
	       "                    the parts, and a job that finishes the run once they\n"
	       "                    all succeeded; the output is the same bytes\n"
	       "      --tasks N     tasks of the job array (default 4)\n"
	       "      --wait        wait for the run to finish; exit as a local run would\n"
	       "      --sbatch-arg A  pass A to sbatch (repeatable: --sbatch-arg=--partition=x)\n"
	       "      --task K/N    run task K of N of a run spread over processes (what\n"
	       "                    the array's jobs run)\n"
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

enum { OPT_OVERWRITE = 1, OPT_CHECK, OPT_ENGINE, OPT_TASKS, OPT_WAIT, OPT_SBATCH_ARG, OPT_TASK };

/* "K/N" with 0 <= K < N. */
static bool parse_task(const char *s, unsigned *k, unsigned *n)
{
	char kbuf[32];
	const char *slash = strchr(s, '/');
	long a, b;

	if (!slash || (size_t)(slash - s) >= sizeof(kbuf))
		return false;
	memcpy(kbuf, s, (size_t)(slash - s));
	kbuf[slash - s] = '\0';
	if (!tool_parse_int(kbuf, 0, 1000000, &a) || !tool_parse_int(slash + 1, 1, 1000000, &b) ||
	    a >= b)
		return false;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "workers", required_argument, NULL, 'j' },
		{ "overwrite", no_argument, NULL, OPT_OVERWRITE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "tasks", required_argument, NULL, OPT_TASKS },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "sbatch-arg", required_argument, NULL, OPT_SBATCH_ARG },
		{ "task", required_argument, NULL, OPT_TASK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	sach_pipeline_options o = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p = NULL;
	run_slurm_options so = { 4, false, NULL, 0, false };
	const char **sbatch_args = NULL;
	bool check = false, quiet = false, slurm = false, is_task = false, slurm_only = false;
	unsigned task = 0, ntasks = 0;
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
		case OPT_ENGINE:
			if (strcmp(optarg, "slurm") == 0)
				slurm = true;
			else if (strcmp(optarg, "local") == 0)
				slurm = false;
			else
				tool_usage_error("--engine: expected local or slurm, not '%s'", optarg);
			break;
		case OPT_TASKS:
			if (!tool_parse_int(optarg, 1, 100000, &n))
				tool_usage_error("--tasks: expected a number from 1 to 100000, not '%s'",
						 optarg);
			so.tasks = (unsigned)n;
			slurm_only = true;
			break;
		case OPT_WAIT: so.wait = true; slurm_only = true; break;
		case OPT_SBATCH_ARG: {
			const char **more = realloc(sbatch_args, (size_t)(so.nsbatch_args + 1) *
								 sizeof(*more));

			if (!more)
				tool_usage_error("out of memory");
			sbatch_args = more;
			sbatch_args[so.nsbatch_args++] = optarg;
			slurm_only = true;
			break;
		}
		case OPT_TASK:
			if (!parse_task(optarg, &task, &ntasks))
				tool_usage_error("--task: expected K/N with 0 <= K < N, not '%s'", optarg);
			is_task = true;
			break;
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
	if (slurm_only && !slurm)
		tool_usage_error("--tasks, --wait and --sbatch-arg go with --engine slurm");
	if (is_task && (slurm || check))
		tool_usage_error("--task is a task of a run already submitted: not with --engine or "
				 "--check");
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
	if (slurm) {
		so.sbatch_args = sbatch_args;
		so.quiet = quiet;
		rc = run_slurm(p, argv[optind], &so);
		sach_pipeline_free(p);
		free(sbatch_args);
		return rc;
	}
	rc = is_task ? sach_pipeline_run_task(p, task, ntasks) : sach_pipeline_run(p);
	sach_pipeline_free(p);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		return rc == SACH_EINVAL || rc == SACH_ECONFIG ? SACH_EXIT_USAGE : SACH_EXIT_FAILURE;
	}
	return SACH_EXIT_OK;
}
