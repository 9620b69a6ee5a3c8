/* Private: the rejected and quarantined records of a run, written beside
 * it, and the run's progress that writing follows (pipeline_side.c). */
#ifndef SACH_PIPELINE_SIDE_H
#define SACH_PIPELINE_SIDE_H

#include "pipeline_internal.h"

/* With more than one worker, starts the thread writing rejected.jsonl.zst
 * and quarantine.jsonl.zst (before phase A; it follows the progress below).
 * sach__pl_side_join() waits for it and returns its result (SACH_OK when it
 * was not started); on a failure elsewhere, sach__pl_fail() first, so it
 * stops waiting. A failure of its own stops the run (sach__pl_fail()). */
int sach__pl_side_start(sach_pipeline *p);
int sach__pl_side_join(sach_pipeline *p);
/* After a failure `rc` (its message the last error): stops and joins the
 * thread if it runs; returns rc with that message. */
int sach__pl_side_stop(sach_pipeline *p, int rc);
/* Without that thread: writes the two files now, on the calling thread,
 * once every part is finished. */
int sach__pl_side_write(sach_pipeline *p);

/* The run's progress, told by whoever made it. */
void sach__pl_part_finished(sach_pipeline *p);           /* a part's done file is committed */
void sach__pl_cut_over(sach_pipeline *p, size_t nparts); /* the reader cut everything */
int sach__pl_phase_a_over(sach_pipeline *p);             /* after phase A; p->nparts set */
void sach__pl_applied(sach_pipeline *p, size_t part);    /* the apply step finished a part */

#endif
