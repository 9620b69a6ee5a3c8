/*
 * pipeline.c - a pipeline config read and checked, the output directory
 * prepared (fresh, resumed, or refused), and the phases run in order:
 * per-document stages over parts (pipeline_parts.c), global stages, and
 * the final assembly of the output directory (pipeline_output.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error_internal.h"
#include "pipeline_global.h"
#include "pipeline_output.h"
#include "pipeline_side.h"


static FILE *log_file;  /* the run's run.log while it runs (one run per process) */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void sach__pl_log(sach_pipeline *p, const char *fmt, ...)
{
	char line[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&log_lock);
	if (log_file) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(log_file, "%s %s\n", stamp, line);
		fflush(log_file);
	}
	if (p->opts.log)
		p->opts.log(p->opts.log_user, line);
	pthread_mutex_unlock(&log_lock);
}

void sach__pl_fail(sach_pipeline *p, int code, const char *message)
{
	pthread_mutex_lock(&p->lock);
	if (!p->failed) {
		p->failed = true;
		p->fail_code = code < 0 ? code : SACH_ERROR;
		snprintf(p->fail_message, sizeof(p->fail_message), "%s", message);
	}
	pthread_cond_broadcast(&p->progress_cond);
	pthread_mutex_unlock(&p->lock);
}

bool sach__pl_failed(sach_pipeline *p)
{
	bool f;

	pthread_mutex_lock(&p->lock);
	f = p->failed;
	pthread_mutex_unlock(&p->lock);
	return f;
}

int sach_pipeline_load(sach_pipeline **out, const char *config_path,
		       const sach_pipeline_options *opts)
{
	sach_pipeline_options def = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p;
	int rc;

	*out = NULL;
	if (opts && opts->version != SACH_PIPELINE_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "pipeline options: unknown version %u",
				       opts->version);
	p = calloc(1, sizeof(*p));
	if (!p)
		return sach__error_nomem();
	p->opts = opts ? *opts : def;
	p->work_level = 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->progress_cond, NULL);
	if ((rc = sach_config_load_file(&p->cfg, config_path)) < 0 || (rc = sach__pl_parse_config(p)) < 0) {
		sach_pipeline_free(p);
		return rc;
	}
	*out = p;
	return SACH_OK;
}

void sach_pipeline_free(sach_pipeline *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].settings)
			p->stages[i].ops->free_settings(p->stages[i].settings);
	free(p->stages);
	for (i = 0; i < p->ninputs; i++)
		free(p->inputs[i].path);
	free(p->inputs);
	sach__pl_global_free(p);
	free(p->name);
	free(p->version);
	free(p->out_dir);
	free(p->work_dir);
	sach__pl_memo_free(p->memo_table);
	sach_buf_free(&p->config_json);
	sach_buf_free(&p->scratch);
	sach_config_free(p->cfg);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->progress_cond);
	free(p->applied);
	free(p);
}

const char *sach_pipeline_config_json(const sach_pipeline *p)
{
	return p->config_json.ptr;
}

const char *sach_pipeline_output_dir(const sach_pipeline *p)
{
	return p->out_dir;
}

int sach_pipeline_workers(const sach_pipeline *p)
{
	return p->workers;
}

/* Phase times for the log (never for the output). */
static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void log_open(const sach_pipeline *p)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/run.log", p->out_dir);
	pthread_mutex_lock(&log_lock);
	log_file = fopen(path, "a");
	pthread_mutex_unlock(&log_lock);
}

static void log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
}

int sach_pipeline_prepare(sach_pipeline *p, bool *complete)
{
	bool resumed;
	int rc;

	p->spread = true;
	rc = sach__pl_prepare_output(p, &resumed, complete);
	p->spread = false;
	if (rc < 0 || *complete)
		return rc;
	log_open(p);
	sach__pl_log(p, "%s run of '%s' (config %016" PRIx64 "), %zu input file%s, spread over "
			"processes", resumed ? "resumed" : "new", p->name, p->config_hash,
		     p->ninputs, p->ninputs == 1 ? "" : "s");
	log_close();
	return SACH_OK;
}

int sach_pipeline_run_task(sach_pipeline *p, unsigned task, unsigned ntasks)
{
	struct timespec t0;
	int rc;

	if (ntasks == 0 || task >= ntasks)
		return sach__error_set(SACH_EINVAL, "task %u of %u: no such task", task, ntasks);
	if ((rc = sach__pl_open_spread(p)) < 0)
		return rc;
	p->task = task;
	p->ntasks = ntasks;
	log_open(p);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sach__pl_run_parts(p);
	if (rc == SACH_OK) {
		/* what this process did (a resumed task skips finished parts) */
		sach__pl_log(p, "task %u of %u: per-document stages done: %zu of %zu parts, %d "
				"worker%s (%.2f s)", task, ntasks, p->parts_finished, p->nparts, p->workers,
			     p->workers == 1 ? "" : "s", seconds_since(&t0));
	} else {
		char msg[1100];

		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		sach__pl_log(p, "task %u of %u failed: %s", task, ntasks, msg);
		sach__error_set(rc, "%s", msg);
	}
	log_close();
	p->ntasks = 0;
	return rc;
}

int sach_pipeline_run(sach_pipeline *p)
{
	char path[4096];
	bool resumed, complete;
	struct timespec t0;
	int rc;

	if ((rc = sach__pl_prepare_output(p, &resumed, &complete)) < 0)
		return rc;
	if (complete) {
		if (p->opts.log)
			p->opts.log(p->opts.log_user, "nothing to do: the output directory holds a "
					"finished run of this config over these inputs");
		return SACH_OK;
	}
	log_open(p);
	sach__pl_log(p, "%s run of '%s' (config %016" PRIx64 "), %zu input file%s, %d worker%s",
		     resumed ? "resumed" : "new", p->name, p->config_hash, p->ninputs,
		     p->ninputs == 1 ? "" : "s", p->workers, p->workers == 1 ? "" : "s");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the rejected records are written beside everything from here on */
	rc = sach__pl_side_start(p);
	if (rc == SACH_OK)
		rc = sach__pl_run_parts(p);
	if (rc == SACH_OK) {
		sach__pl_log(p, "per-document stages done: %zu part%s (%.2f s)", p->nparts,
			     p->nparts == 1 ? "" : "s", seconds_since(&t0));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = sach__pl_phase_a_over(p);
		if (rc == SACH_OK)
			rc = sach__pl_global_run(p);
		if (rc == SACH_OK && p->dedupe)
			sach__pl_log(p, "dedupe cluster and apply done (%.2f s)", seconds_since(&t0));
	}
	if (rc < 0) /* the thread writing the rejected records stops waiting */
		rc = sach__pl_side_stop(p, rc);
	if (rc == SACH_OK) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = sach__pl_output(p);
		if (rc == SACH_OK)
			sach__pl_log(p, "output written (%.2f s)", seconds_since(&t0));
	}
	if (rc == SACH_OK) {
		char state[4096];

		/* The state file moves out of the work directory last: from here
		 * on the directory says "finished" to the next run. */
		snprintf(path, sizeof(path), "%s/state", p->work_dir);
		snprintf(state, sizeof(state), "%s/%s", p->out_dir, PL_STATE_FILE);
		if (rename(path, state) < 0)
			rc = sach__error_set(SACH_EIO, "cannot rename '%s': %s", path, strerror(errno));
		else
			rc = sach__pl_remove_tree(p->work_dir);
	}
	if (rc == SACH_OK) {
		sach__pl_log(p, "done: output in %s", p->out_dir);
	} else {
		char msg[1100];

		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		sach__pl_log(p, "failed: %s", msg);
		sach__error_set(rc, "%s", msg);
	}
	log_close();
	return rc;
}
