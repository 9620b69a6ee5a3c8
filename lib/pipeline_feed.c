/*
 * pipeline_feed.c - phase A's one reader: the inputs read (and
 * decompressed) once, cut into parts, and handed to the workers part by
 * part as raw records, which the workers parse.
 *
 * Why: every worker used to read the whole input stream and skip the parts
 * of others, so every worker paid for decompressing all of it (a second
 * worker added a second full decompression: about a tenth of a run's CPU
 * on zstd input). One reader cuts the same parts: a part starts at the
 * first record of each input and after every record that brings it to
 * part_size bytes (raw, with its line ending), so part boundaries and
 * record ordinals are those of one pass over the input, whatever the number
 * of workers. At most `max_ready` cut parts wait for a worker, which bounds
 * the memory (about (2 x workers + 1) x part_size at most).
 *
 * The cut does not parse (sach_reader_skip()); the reader's own verdict on
 * a record (too big) travels with it, the rest is the worker's parse
 * (sach_record_parser_parse(), which gives what sach_reader_next() would).
 * Parts an earlier run finished (their ".done" file exists) are passed over.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error_internal.h"

struct pl_feed {
	sach_pipeline *p;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pl_feed_part **ready;    /* ring of cut parts waiting for a worker */
	size_t max_ready, head, count;
	bool closed;             /* no more parts: the end, or a failure */
	/* Parts the workers are done with, kept for the reader to fill again:
	 * a new 16 MiB part each time cost the reader a page fault per page
	 * and its buffer's doublings, a fifth of its CPU time, which with two
	 * workers is taken from them. */
	pl_feed_part **spare;
	size_t nspare, max_spare;
};

int sach__pl_feed_new(pl_feed **out, sach_pipeline *p, size_t max_ready)
{
	pl_feed *f = calloc(1, sizeof(*f));

	if (!f || max_ready == 0 || !(f->ready = calloc(max_ready, sizeof(*f->ready)))) {
		free(f);
		return sach__error_nomem();
	}
	/* every part there can be at once: waiting, with a worker, being cut */
	f->max_spare = 2 * max_ready + 1;
	if (!(f->spare = calloc(f->max_spare, sizeof(*f->spare)))) {
		free(f->ready);
		free(f);
		return sach__error_nomem();
	}
	f->p = p;
	f->max_ready = max_ready;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->changed, NULL);
	*out = f;
	return SACH_OK;
}

void sach__pl_feed_part_free(pl_feed_part *fp)
{
	if (!fp)
		return;
	sach_buf_free(&fp->data);
	free(fp->recs);
	free(fp->name);
	free(fp);
}

void sach__pl_feed_free(pl_feed *f)
{
	if (!f)
		return;
	while (f->count) {
		sach__pl_feed_part_free(f->ready[f->head]);
		f->head = (f->head + 1) % f->max_ready;
		f->count--;
	}
	while (f->nspare)
		sach__pl_feed_part_free(f->spare[--f->nspare]);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->changed);
	free(f->spare);
	free(f->ready);
	free(f);
}

void sach__pl_feed_close(pl_feed *f)
{
	pthread_mutex_lock(&f->lock);
	f->closed = true;
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->lock);
}

pl_feed_part *sach__pl_feed_pop(pl_feed *f)
{
	pl_feed_part *fp = NULL;

	pthread_mutex_lock(&f->lock);
	while (f->count == 0 && !f->closed)
		pthread_cond_wait(&f->changed, &f->lock);
	if (f->count) {
		fp = f->ready[f->head];
		f->head = (f->head + 1) % f->max_ready;
		f->count--;
		pthread_cond_broadcast(&f->changed);
	}
	pthread_mutex_unlock(&f->lock);
	return fp;
}

void sach__pl_feed_done(pl_feed *f, pl_feed_part *fp)
{
	if (!fp)
		return;
	free(fp->name);
	fp->name = NULL;
	fp->n = 0;
	sach_buf_clear(&fp->data);
	pthread_mutex_lock(&f->lock);
	if (f->nspare < f->max_spare) {
		f->spare[f->nspare++] = fp;
		fp = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	sach__pl_feed_part_free(fp);
}

/* Hands a cut part on, waiting for room; false when the feed was closed. */
static bool push(pl_feed *f, pl_feed_part *fp)
{
	bool ok;

	pthread_mutex_lock(&f->lock);
	while (f->count == f->max_ready && !f->closed)
		pthread_cond_wait(&f->changed, &f->lock);
	ok = !f->closed;
	if (ok) {
		f->ready[(f->head + f->count) % f->max_ready] = fp;
		f->count++;
		pthread_cond_broadcast(&f->changed);
	}
	pthread_mutex_unlock(&f->lock);
	return ok;
}

static bool part_done(const sach_pipeline *p, size_t part)
{
	char done[4096];
	struct stat st;

	sach__pl_part_path(p, part, "done", done, sizeof(done));
	return stat(done, &st) == 0;
}

static int add_record(pl_feed_part *fp, sach_reader *rd, int verdict)
{
	const char *raw;
	size_t len;
	bool truncated;
	uint64_t total;
	pl_rec *r;
	int rc;

	if (fp->n == fp->cap) {
		size_t cap = fp->cap ? fp->cap * 2 : 256;

		if (!(r = realloc(fp->recs, cap * sizeof(*r))))
			return sach__error_nomem();
		fp->recs = r;
		fp->cap = cap;
	}
	sach_reader_raw(rd, &raw, &len, &truncated, &total);
	r = &fp->recs[fp->n];
	r->off = fp->data.len;
	r->len = len;
	r->line = sach_reader_line(rd);
	r->total = total;
	r->truncated = truncated;
	r->verdict = verdict;
	r->msg_off = 0;
	if ((rc = sach_buf_append(&fp->data, raw, len)) < 0)
		return rc;
	if (verdict < 0) {
		/* the reader's message, after the bytes */
		r->msg_off = fp->data.len + 1;
		if ((rc = sach_buf_append(&fp->data, "", 1)) < 0 ||
		    (rc = sach_buf_puts(&fp->data, sach_error_last())) < 0 ||
		    (rc = sach_buf_append(&fp->data, "", 1)) < 0)
			return rc;
	}
	fp->n++;
	return SACH_OK;
}

static pl_feed_part *new_part(pl_feed *f, size_t part, size_t input, const char *name,
			       uint64_t ordinal)
{
	pl_feed_part *fp = NULL;

	pthread_mutex_lock(&f->lock);
	if (f->nspare)
		fp = f->spare[--f->nspare];
	pthread_mutex_unlock(&f->lock);
	if (!fp && !(fp = calloc(1, sizeof(*fp))))
		return NULL;
	if (!(fp->name = strdup(name))) {
		sach__pl_feed_part_free(fp);
		return NULL;
	}
	fp->part = part;
	fp->input = input;
	fp->first_ordinal = ordinal;
	return fp;
}

/* Cuts one input; *part is the number of the next part, *ordinal of the next record. */
static int cut_input(pl_feed *f, size_t input, size_t *part, uint64_t *ordinal)
{
	sach_pipeline *p = f->p;
	const pl_input *in = &p->inputs[input];
	sach_reader *rd = NULL;
	pl_feed_part *fp = NULL;
	uint64_t acc = 0;
	bool need_new = true, skipping = false;
	int rc;

	if ((rc = sach_reader_open(&rd, in->path, &in->ro)) < 0)
		return rc;
	for (;;) {
		const char *raw;
		size_t len;
		bool truncated;
		uint64_t total;

		if (sach__pl_failed(p)) {
			rc = SACH_OK;
			break;
		}
		rc = sach_reader_skip(rd);
		if (rc == 0)
			break;
		if (rc == SACH_EIO || rc == SACH_ECORRUPT || rc == SACH_ENOMEM) {
			char msg[1200];

			snprintf(msg, sizeof(msg), "%s; input from line %" PRIu64 " on is lost",
				 sach_error_last(), sach_reader_line(rd) + 1);
			rc = sach__error_set(rc, "%s", msg);
			break;
		}
		if (need_new) {
			if (fp && !push(f, fp)) {
				rc = SACH_OK; /* closed: the run failed elsewhere */
				break;        /* (fp is freed below) */
			}
			fp = NULL;
			/* a task of a spread run does only its own parts */
			skipping = (p->ntasks && *part % p->ntasks != p->task) ||
				   part_done(p, *part);
			if (!skipping && !(fp = new_part(f, *part, input, sach_reader_name(rd), *ordinal))) {
				rc = sach__error_nomem();
				break;
			}
			(*part)++;
			acc = 0;
			need_new = false;
		}
		/* rc: 1, or the reader's verdict on this record (too big) */
		if (!skipping && (rc = add_record(fp, rd, rc < 0 ? rc : 0)) < 0)
			break;
		sach_reader_raw(rd, &raw, &len, &truncated, &total);
		(*ordinal)++;
		acc += total + 1;
		if (acc >= p->part_size)
			need_new = true;
		rc = SACH_OK;
	}
	if (rc == SACH_OK && fp) {
		if (!push(f, fp))
			sach__pl_feed_part_free(fp);
		fp = NULL;
	}
	sach__pl_feed_part_free(fp);
	sach_reader_close(rd);
	return rc;
}

int sach__pl_feed_run(pl_feed *f, size_t *nparts)
{
	sach_pipeline *p = f->p;
	size_t i, part = 0;
	uint64_t ordinal = 0;
	int rc = SACH_OK;

	for (i = 0; i < p->ninputs && rc == SACH_OK && !sach__pl_failed(p); i++)
		rc = cut_input(f, i, &part, &ordinal);
	if (rc < 0)
		sach__pl_fail(p, rc, sach_error_last());
	*nparts = part;
	sach__pl_feed_close(f);
	return rc;
}
