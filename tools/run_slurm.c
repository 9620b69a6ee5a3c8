/*
 * run_slurm.c - sach-run --engine slurm: the same run as a local sach-run,
 * spread over a Slurm cluster.
 *
 * Phase A (parse, per-document stages, dedupe signing) is most of a run's
 * work and is done part by part, so it becomes a job array: task K of N
 * does the parts with part % N == K (sach_pipeline_run_task()), every task
 * reading the input and skipping the others' parts (cutting without
 * parsing). A second job, started only once every task succeeded
 * (afterok), is a plain sach-run in the same directory: it finds those
 * parts finished and does the rest (any part a task did not finish, the
 * dedupe clustering and apply, the shards and manifest). The output is the
 * same bytes as a local run's, since nothing in it depends on who did a
 * part. The output directory must be on storage every node sees.
 *
 * Nothing from the config reaches a shell: the jobs run a fixed script
 * that this file writes, and the paths arrive as its arguments; sbatch is
 * started with an argument vector, not a command line.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include "run_slurm.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/tool.h"

extern char **environ;

static const char job_script[] =
	"#!/bin/sh\n"
	"# Written by sach-run --engine slurm: one job of a pipeline run spread\n"
	"# over a Slurm cluster. Arguments (never shell text): MODE SACH_RUN CONFIG\n"
	"# WORKERS [TASKS]. MODE task: a task of the job array, the per-document\n"
	"# stages of its parts; MODE finish: the rest of the run, as sach-run would\n"
	"# do it on one machine.\n"
	"mode=$1 sach_run=$2 config=$3 workers=$4\n"
	"if [ \"$mode\" = task ]; then\n"
	"\texec \"$sach_run\" -j \"$workers\" --task \"$SLURM_ARRAY_TASK_ID/$5\" \"$config\"\n"
	"fi\n"
	"exec \"$sach_run\" -j \"$workers\" \"$config\"\n";

/* An absolute form of `path` (relative to the current directory). */
static char *absolute(const char *path, const char *cwd)
{
	char *out;
	size_t n;

	if (path[0] == '/')
		return strdup(path);
	n = strlen(cwd) + strlen(path) + 2;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s/%s", cwd, path);
	return out;
}

static int write_script(const char *path)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f) {
		tool_warn("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	ok = fputs(job_script, f) >= 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || chmod(path, 0755) < 0) {
		tool_warn("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Runs argv (sbatch) with its standard output read into `out` (at most
 * size - 1 bytes kept); its standard error is ours. Returns its exit
 * status, or -1 when it could not be started.
 */
static int spawn_read(char *const argv[], char *out, size_t size)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = 0, err;
	size_t len = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fds) < 0) {
		tool_warn("cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (err != 0) {
		close(fds[0]);
		tool_warn("cannot start %s: %s (is Slurm installed, and SLURM_CONF set if "
			  "needed?)", argv[0], strerror(err));
		return -1;
	}
	for (;;) {
		char buf[512];
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < size) {
			size_t k = (size_t)n < size - 1 - len ? (size_t)n : size - 1 - len;

			memcpy(out + len, buf, k);
			len += k;
			out[len] = '\0';
		}
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The job id sbatch --parsable printed ("ID" or "ID;CLUSTER"), or NULL. */
static const char *job_id(char *out)
{
	size_t n = strspn(out, "0123456789");

	if (n == 0)
		return NULL;
	out[n] = '\0';
	return out;
}

/* Whether a run finished in out_dir (as sach_pipeline_run() leaves it). */
static bool finished(const char *out_dir)
{
	char path[PATH_MAX + 32];
	bool state, work;

	snprintf(path, sizeof(path), "%s/.sach-state", out_dir);
	state = access(path, F_OK) == 0;
	snprintf(path, sizeof(path), "%s/.sach-work", out_dir);
	work = access(path, F_OK) == 0;
	return state && !work;
}

/* After a failure: the run log's lines that say what failed. */
static void show_failures(const char *out_dir)
{
	char path[PATH_MAX + 16], line[1600];
	FILE *f;
	int shown = 0;

	snprintf(path, sizeof(path), "%s/run.log", out_dir);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f) && shown < 5)
		if (strstr(line, "failed")) {
			fprintf(stderr, "%s: %s", tool_name, line);
			shown++;
		}
	fclose(f);
}

/* What every job of a run is submitted with. */
typedef struct job_common {
	const run_slurm_options *o;
	const char *cpus, *chdir, *script, *self, *config, *workers;
	const char *dir;          /* the jobs' log directory */
} job_common;

/*
 * Submits one job: sbatch with the options every job gets, the job's own
 * (NULL-terminated), the user's --sbatch-arg ones, then the script with
 * MODE and the common arguments and `last` (or NULL). The job id is left in
 * `answer`; returns sbatch's exit status (-1: not started, or no job id).
 */
static int submit(const job_common *c, const char *const *own, const char *log_name,
		  const char *mode, const char *last, char *answer, size_t size)
{
	const char *argv[64];
	char out_arg[PATH_MAX + 96];
	int i, k = 0, rc;

	if (c->o->nsbatch_args > 40) {
		tool_warn("too many --sbatch-arg options (at most 40)");
		return -1;
	}
	argv[k++] = "sbatch";
	argv[k++] = "--parsable";
	argv[k++] = c->cpus;
	argv[k++] = c->chdir;
	snprintf(out_arg, sizeof(out_arg), "--output=%s/%s", c->dir, log_name);
	argv[k++] = out_arg;
	for (i = 0; own[i]; i++)
		argv[k++] = own[i];
	for (i = 0; i < c->o->nsbatch_args; i++)
		argv[k++] = c->o->sbatch_args[i];
	argv[k++] = c->script;
	argv[k++] = mode;
	argv[k++] = c->self;
	argv[k++] = c->config;
	argv[k++] = c->workers;
	if (last)
		argv[k++] = last;
	argv[k] = NULL;
	rc = spawn_read((char *const *)argv, answer, size);
	if (rc >= 0 && !job_id(answer)) {
		if (rc == 0)
			tool_warn("sbatch printed no job id");
		return -1;
	}
	return rc;
}

int run_slurm(sach_pipeline *p, const char *config_path, const run_slurm_options *o)
{
	char cwd[PATH_MAX], self[PATH_MAX], dir[PATH_MAX + 64], script[PATH_MAX + 80];
	char chdir_arg[PATH_MAX + 16], array[64], cpus[64], dep[300];
	char workers[16], ntasks[16], answer[256], task_id[256];
	char *config = NULL, *out_dir = NULL;
	job_common c;
	bool complete;
	ssize_t n;
	int rc, exit_code = SACH_EXIT_FAILURE;

	rc = sach_pipeline_prepare(p, &complete);
	if (rc < 0) {
		tool_warn("%s", sach_error_last());
		return rc == SACH_EINVAL || rc == SACH_ECONFIG ? SACH_EXIT_USAGE : SACH_EXIT_FAILURE;
	}
	if (complete) {
		if (!o->quiet)
			tool_warn("nothing to do: the output directory holds a finished run of this "
				  "config over these inputs");
		return SACH_EXIT_OK;
	}
	if (!getcwd(cwd, sizeof(cwd)) || (n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0) {
		tool_warn("cannot find the current directory or this program: %s", strerror(errno));
		return SACH_EXIT_FAILURE;
	}
	self[n] = '\0';
	config = absolute(config_path, cwd);
	out_dir = absolute(sach_pipeline_output_dir(p), cwd);
	if (!config || !out_dir) {
		tool_warn("out of memory");
		goto out;
	}
	/* The work directory goes when the run succeeds, and these with it. */
	snprintf(dir, sizeof(dir), "%s/.sach-work/slurm", out_dir);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		tool_warn("cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	snprintf(script, sizeof(script), "%s/job.sh", dir);
	if (write_script(script) < 0)
		goto out;
	snprintf(workers, sizeof(workers), "%d", sach_pipeline_workers(p));
	snprintf(ntasks, sizeof(ntasks), "%u", o->tasks);
	snprintf(cpus, sizeof(cpus), "--cpus-per-task=%d", sach_pipeline_workers(p));
	snprintf(chdir_arg, sizeof(chdir_arg), "--chdir=%s", cwd);
	c.o = o;
	c.cpus = cpus;
	c.chdir = chdir_arg;
	c.script = script;
	c.self = self;
	c.config = config;
	c.workers = workers;
	c.dir = dir;

	/* The job array: phase A, task by task. */
	snprintf(array, sizeof(array), "--array=0-%u", o->tasks - 1);
	{
		const char *own[] = { "--job-name=sach-run", array, NULL };

		if (submit(&c, own, "task-%a.log", "task", ntasks, answer, sizeof(answer)) != 0)
			goto out;
	}
	snprintf(task_id, sizeof(task_id), "%s", answer);
	if (!o->quiet)
		tool_warn("submitted job %s: %u tasks of the per-document stages", task_id, o->tasks);

	/* The rest of the run, once every task succeeded; a failed task
	 * cancels it (--kill-on-invalid-dep) rather than leaving it pending. */
	snprintf(dep, sizeof(dep), "--dependency=afterok:%s", task_id);
	{
		const char *own[] = { "--job-name=sach-run-finish", dep, "--kill-on-invalid-dep=yes",
				      o->wait ? "--wait" : NULL, NULL };

		rc = submit(&c, own, "finish.log", "finish", NULL, answer, sizeof(answer));
	}
	if (rc < 0)
		goto out;
	if (!o->wait) {
		if (!o->quiet)
			tool_warn("submitted job %s: the rest of the run, after job %s; output in %s",
				  answer, task_id, out_dir);
		exit_code = rc == 0 ? SACH_EXIT_OK : SACH_EXIT_FAILURE;
		goto out;
	}
	/* sbatch --wait's status is the job's, but a job cancelled before it
	 * started (a task failed) can leave it 0: the directory says whether
	 * the run finished (its state file out of the work directory, which
	 * is gone). */
	if (rc != 0 || !finished(out_dir)) {
		tool_warn("the run did not finish: job %s or job %s failed (their logs: %s)", task_id,
			  answer, dir);
		show_failures(out_dir);
		goto out;
	}
	if (!o->quiet)
		tool_warn("done: output in %s", out_dir);
	exit_code = SACH_EXIT_OK;
out:
	free(config);
	free(out_dir);
	return exit_code;
}
