/*
 * pipeline_side.c - rejected.jsonl.zst and quarantine.jsonl.zst, written
 * beside the rest of the run.
 *
 * The two files are made of every part's records in part order, and hold
 * nothing the other steps need. With one worker they are written at the
 * end (sach__pl_side_write()); with more, a thread of their own writes
 * them from the start of the run: each part's filter rejects as soon as
 * phase A finished the part, its dedupe rejects as soon as the apply step
 * did. Started only after phase A, this one-thread job (about a second of
 * CPU on 263 MB of viwiki) was the last thing running at the end of the
 * run, and phase A's last part and the cluster step left a core idle that
 * it now fills.
 *
 * The thread learns how far the run got from p->progress (under p->lock,
 * p->progress_cond signalled on every change): parts finished, the number
 * of parts once the reader has cut everything, the end of phase A, the
 * parts the apply step finished. A part an earlier run finished has its
 * done file already, so waiting is "until the file exists": a counter read
 * under the lock before looking keeps a change made in between from being
 * missed.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_side.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error_internal.h"
#include "pipeline_output.h"

/*
 * rejected.jsonl.zst and quarantine.jsonl.zst: records kept for audit, read
 * rarely, and on a typical run more bytes than the output (every copy of a
 * duplicated page). Level 1 costs about three quarters of level 3's CPU for
 * files about 15% larger (viwiki x3: 62 vs 54 MB).
 *
 * Compressed on the thread that reads the parts (zstd's single-threaded
 * format, 0 threads), the same with any number of workers. With zstd's
 * own thread the two threads spent 1.43 s of CPU on viwiki x3 where one
 * spends 1.22: the reading thread, always ahead of the compressor, spun on
 * zstd's job mutexes waiting for room (0.36 s of CPU for 0.1 s of
 * reading). The file is written beside the run with more than one worker,
 * on cores the workers need; with one it is written after the apply step.
 */
#define SIDE_LEVEL 1
#define SIDE_THREADS 0

/*
 * Once the files are committed, a marker says so and the part files they
 * were made of go, on this thread: a run killed after that does not write
 * them again (their parts are gone), and the end of the run has fewer files
 * to free.
 */
#define SIDE_DONE "side.done"

struct pl_side {
	sach_pipeline *p;
	pthread_t thread;
	bool beside;          /* runs beside the run (waits for its parts) */
	int rc;
	char message[1024];   /* errors are per thread: carried back here */
};

static void progress(sach_pipeline *p)
{
	p->progress++;
	pthread_cond_broadcast(&p->progress_cond);
}

void sach__pl_part_finished(sach_pipeline *p)
{
	pthread_mutex_lock(&p->lock);
	p->parts_finished++;
	progress(p);
	pthread_mutex_unlock(&p->lock);
}

void sach__pl_cut_over(sach_pipeline *p, size_t nparts)
{
	pthread_mutex_lock(&p->lock);
	p->cut_parts = nparts;
	p->cut_over = true;
	progress(p);
	pthread_mutex_unlock(&p->lock);
}

int sach__pl_phase_a_over(sach_pipeline *p)
{
	unsigned char *applied = NULL;

	/* the apply step's parts are followed only for a thread waiting on them */
	if (p->side && p->dedupe && p->nparts > 0 && !(applied = calloc(p->nparts, 1)))
		return sach__error_nomem();
	pthread_mutex_lock(&p->lock);
	p->applied = applied;
	p->phase_a_over = true;
	progress(p);
	pthread_mutex_unlock(&p->lock);
	return SACH_OK;
}

void sach__pl_applied(sach_pipeline *p, size_t part)
{
	pthread_mutex_lock(&p->lock);
	if (p->applied)
		p->applied[part] = 1;
	progress(p);
	pthread_mutex_unlock(&p->lock);
}

/*
 * Waits until part `part` of the files named `what` can be read: 1; 0 when
 * there is no such part; or the run's failure. A part of phase A's files
 * is there once its done file is (a part an earlier run finished has it
 * already); a part of the apply step's, once the step said so.
 */
static int side_ready(sach_pipeline *p, const char *what, size_t part)
{
	bool applied_step = strcmp(what, "dedupe-rejected") == 0;
	char done[4096];
	uint64_t seen;
	int rc;

	sach__pl_part_path(p, part, "done", done, sizeof(done));
	pthread_mutex_lock(&p->lock);
	for (;;) {
		if (p->failed) {
			rc = sach__error_set(SACH_ERROR, "stopped: the run failed");
			break;
		}
		if (applied_step ? p->phase_a_over && part >= p->nparts :
				   p->cut_over && part >= p->cut_parts) {
			rc = 0;
			break;
		}
		/* applied is NULL when nothing is followed: no dedupe stage */
		if (applied_step && p->phase_a_over && (!p->applied || p->applied[part])) {
			rc = 1;
			break;
		}
		seen = p->progress;
		if (!applied_step) {
			pthread_mutex_unlock(&p->lock);
			if (access(done, F_OK) == 0)
				return 1;
			pthread_mutex_lock(&p->lock);
		}
		while (p->progress == seen && !p->failed)
			pthread_cond_wait(&p->progress_cond, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static bool side_done(const sach_pipeline *p)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", p->work_dir, SIDE_DONE);
	return access(path, F_OK) == 0;
}

static int side_finish(sach_pipeline *p)
{
	static const char *const parts[] = { "rejected", "dedupe-rejected", "quarantine", NULL };
	char path[4096];
	size_t i, j;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", p->work_dir, SIDE_DONE);
	if ((rc = sach__pl_write_file(path, "", 0, p->work_sync)) < 0)
		return rc;
	for (j = 0; parts[j]; j++)
		for (i = 0; i < p->nparts; i++) {
			sach__pl_part_path(p, i, parts[j], path, sizeof(path));
			if (unlink(path) < 0 && errno != ENOENT)
				return sach__error_set(SACH_EIO, "cannot remove '%s': %s", path,
						       strerror(errno));
		}
	return SACH_OK;
}

static void side_run(struct pl_side *j)
{
	static const char *const rejected[] = { "rejected", "dedupe-rejected", NULL };
	static const char *const quarantined[] = { "quarantine", NULL };
	sach__pl_part_ready ready = j->beside ? side_ready : NULL;

	if (side_done(j->p))
		return; /* an earlier, killed run of this config wrote them */
	j->rc = sach__pl_concat_parts(j->p, "rejected.jsonl.zst", rejected, SIDE_LEVEL,
				      SIDE_THREADS, ready);
	if (j->rc == SACH_OK && j->p->on_error == PL_ON_ERROR_QUARANTINE)
		j->rc = sach__pl_concat_parts(j->p, "quarantine.jsonl.zst", quarantined,
					      SIDE_LEVEL, SIDE_THREADS, ready);
	/* every part is finished here: the loops above waited for the last */
	if (j->rc == SACH_OK)
		j->rc = side_finish(j->p);
	if (j->rc < 0)
		snprintf(j->message, sizeof(j->message), "%s", sach_error_last());
}

static void *side_main(void *arg)
{
	struct pl_side *j = arg;

	side_run(j);
	/* A failure here stops the run early rather than at the join. */
	if (j->rc < 0)
		sach__pl_fail(j->p, j->rc, j->message);
	return NULL;
}

int sach__pl_side_start(sach_pipeline *p)
{
	struct pl_side *j;

	if (p->workers <= 1 || p->side)
		return SACH_OK;
	if (!(j = calloc(1, sizeof(*j))))
		return sach__error_nomem();
	j->p = p;
	j->beside = true;
	/* p->side is set before the thread looks at anything of p's */
	p->side = j;
	if (pthread_create(&j->thread, NULL, side_main, j) != 0) {
		p->side = NULL;
		free(j);
		return SACH_OK; /* written in sach__pl_side_write() instead */
	}
	return SACH_OK;
}

int sach__pl_side_join(sach_pipeline *p)
{
	struct pl_side *j = p->side;
	int rc;

	if (!j)
		return SACH_OK;
	pthread_join(j->thread, NULL);
	p->side = NULL;
	rc = j->rc < 0 ? sach__error_set(j->rc, "%s", j->message) : SACH_OK;
	free(j);
	return rc;
}

int sach__pl_side_stop(sach_pipeline *p, int rc)
{
	char message[1024];

	if (!p->side)
		return rc;
	snprintf(message, sizeof(message), "%s", sach_error_last());
	sach__pl_fail(p, rc, message);
	sach__pl_side_join(p);
	return sach__error_set(rc, "%s", message);
}

int sach__pl_side_write(sach_pipeline *p)
{
	struct pl_side j;

	memset(&j, 0, sizeof(j));
	j.p = p;
	side_run(&j);
	return j.rc < 0 ? sach__error_set(j.rc, "%s", j.message) : SACH_OK;
}
