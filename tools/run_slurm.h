/*
 * tools/run_slurm.h - sach-run --engine slurm: a pipeline run spread over a
 * Slurm cluster (run_slurm.c).
 */
#ifndef SACH_RUN_SLURM_H
#define SACH_RUN_SLURM_H

#include <stdbool.h>

#include "sach/pipeline.h"

typedef struct run_slurm_options {
	unsigned tasks;             /* array tasks of phase A */
	bool wait;                  /* wait for the finishing job */
	const char *const *sbatch_args; /* passed to every sbatch as they are */
	int nsbatch_args;
	bool quiet;
} run_slurm_options;

/*
 * Prepares the output directory (sach_pipeline_prepare()) and submits a job
 * array of o->tasks tasks, each running the per-document stages of its
 * parts (sach-run --task K/N), and a job depending on it that finishes the
 * run as sach-run would locally. Returns an exit code: 0 submitted (with
 * wait: the run succeeded), 1 a job or sbatch failed, 2 usage or config.
 */
int run_slurm(sach_pipeline *p, const char *config_path, const run_slurm_options *o);

#endif
