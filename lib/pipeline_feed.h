/* Private: phase A's reader, which cuts the inputs into parts of raw
 * records for the workers (pipeline_feed.c). Never installed. */
#ifndef SACH_PIPELINE_FEED_H
#define SACH_PIPELINE_FEED_H

#include "pipeline_internal.h"

/* One record of a part: its raw bytes in the part's data. */
typedef struct pl_rec {
	size_t off, len;
	uint64_t line;           /* where it starts in its input */
	uint64_t total;          /* its size (more than len when truncated) */
	bool truncated;
	int verdict;             /* 0, or the reader's code (too big) ... */
	size_t msg_off;          /* ... and its message in data */
} pl_rec;

/* A part, cut: the worker that takes it frees it. */
typedef struct pl_feed_part {
	size_t part;
	size_t input;            /* index in p->inputs */
	char *name;              /* the input's name, as the reader gives it */
	uint64_t first_ordinal;  /* of its first record in the whole input */
	sach_buf data;
	pl_rec *recs;
	size_t n, cap;
} pl_feed_part;

typedef struct pl_feed pl_feed;

/* At most max_ready (>= 1) cut parts wait for a worker. */
int sach__pl_feed_new(pl_feed **out, sach_pipeline *p, size_t max_ready);
/* Cuts every input on the calling thread, handing parts on, then closes the
 * feed; *nparts: the number of parts. On failure records it (sach__pl_fail). */
int sach__pl_feed_run(pl_feed *f, size_t *nparts);
/* The next part (waiting for it), or NULL when there are no more. */
pl_feed_part *sach__pl_feed_pop(pl_feed *f);
/* No more parts: wakes everybody (after a worker's failure, say). */
void sach__pl_feed_close(pl_feed *f);
void sach__pl_feed_part_free(pl_feed_part *fp);
/* A worker is done with the part: kept for the reader to fill again (or
 * freed). */
void sach__pl_feed_done(pl_feed *f, pl_feed_part *fp);
void sach__pl_feed_free(pl_feed *f);

#endif
