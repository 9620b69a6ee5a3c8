/*
 * sach/pipeline.h - a whole curation pipeline from a YAML config: inputs,
 * per-document stages (normalise, filter) run streaming in worker threads
 * over parts of the input, global stages (dedupe, shard) with their passes,
 * and an output directory holding shards, manifest, counts, rejected
 * documents and the effective config. The schema is in configs/README.md.
 *
 * Output bytes depend only on the inputs, the config (less `workers`) and
 * the version: parts are cut at record boundaries by input size, never by
 * worker count, and everything is assembled in part order. A run killed at
 * any moment and started again with the same config continues from the parts
 * it finished and ends with the same bytes.
 */
#ifndef SACH_PIPELINE_H
#define SACH_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*sach_pipeline_log_fn)(void *user, const char *line);

typedef struct sach_pipeline_options {
	unsigned int version;
	int workers;                 /* > 0 overrides the config; 0 = config */
	bool overwrite;              /* start again in an output directory that
					holds another run's files */
	sach_pipeline_log_fn log;    /* progress and summary lines; may be NULL */
	void *log_user;
} sach_pipeline_options;

#define SACH_PIPELINE_OPTIONS_VERSION 1
#define SACH_PIPELINE_OPTIONS_INIT { SACH_PIPELINE_OPTIONS_VERSION, 0, false, NULL, NULL }

typedef struct sach_pipeline sach_pipeline;

/**
 * Reads and checks a pipeline config: every key known, every value valid,
 * every stage's own section parsed, input globs expanded (sorted, byte
 * order). Nothing is written yet. On success *out is the caller's
 * (sach_pipeline_free()).
 * @return 0, SACH_ECONFIG (message "FILE:LINE:COL: ..."), SACH_ENOTFOUND
 *         (the config, or a glob that matches nothing), SACH_EIO, SACH_ENOMEM.
 */
SACH_API int sach_pipeline_load(sach_pipeline **out, const char *config_path,
				const sach_pipeline_options *opts);

/**
 * Runs the pipeline (or continues the interrupted run in the same output
 * directory).
 * @return 0; SACH_EINVAL if the output directory holds something else (and
 *         overwrite is off); SACH_EJSON etc. for a bad record under
 *         on_error: fail; SACH_EIO, SACH_ECORRUPT, SACH_ENOMEM.
 */
SACH_API int sach_pipeline_run(sach_pipeline *p);

/**
 * For a run spread over several processes, possibly on several machines (a
 * cluster engine: sach-run --engine slurm): prepares the output directory
 * as sach_pipeline_run() would (fresh, this run's unfinished work kept, or
 * refused) and marks its work files to be fsync()ed by every process, since
 * no single machine's restart can tell which of them to trust. *complete
 * when the directory already holds this run, finished.
 * @return 0, or as sach_pipeline_run().
 */
SACH_API int sach_pipeline_prepare(sach_pipeline *p, bool *complete);

/**
 * One task of such a run: the per-document stages (and dedupe signing) of
 * the parts with part % ntasks == task, in a directory sach_pipeline_prepare()
 * made; any number of tasks may run at once, on any machines that share the
 * output directory. sach_pipeline_run() in the same directory then does
 * the rest, skipping the parts the tasks finished (and doing any they did
 * not); the output is the same bytes as a run in one process.
 * @return 0; SACH_EINVAL when the directory was not prepared for this run
 *         or task >= ntasks; otherwise as sach_pipeline_run().
 */
SACH_API int sach_pipeline_run_task(sach_pipeline *p, unsigned task, unsigned ntasks);

SACH_API void sach_pipeline_free(sach_pipeline *p);

/** The effective config as canonical JSON (borrowed). */
SACH_API const char *sach_pipeline_config_json(const sach_pipeline *p);
/** The output directory, as the config names it (borrowed). */
SACH_API const char *sach_pipeline_output_dir(const sach_pipeline *p);
/** Worker threads the run will use (after `auto`). */
SACH_API int sach_pipeline_workers(const sach_pipeline *p);

#ifdef __cplusplus
}
#endif

#endif /* SACH_PIPELINE_H */
