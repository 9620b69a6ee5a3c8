/*
 * pipeline_parts.c - phase A of a run: the parts the reader cut
 * (pipeline_feed.c), each parsed, passed through the per-document stages
 * and written to its own files by whichever worker thread takes it.
 *
 * Which worker did a part never shows in its files, so the output does not
 * depend on the number of workers. A part is finished when its ".done" file
 * exists (written last, atomically); a resumed run skips finished parts.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error_internal.h"
#include "pipeline_feed.h"
#include "pipeline_global.h"
#include "pipeline_side.h"

#include <xxhash.h>
#include "sach/doc.h"

/* Messages about bad records shown in the log, in all (the counts say the rest). */
#define BAD_RECORD_MESSAGES 20

typedef struct worker {
	sach_pipeline *p;
	void **states;
	sach_buf line;
	bool mine;
	size_t part;
	sach_writer *kept, *rejected, *quarantine;
	sach_dedupe_signer *signer;  /* with a dedupe stage */
	sach_dedupe_keyer *keyer;    /* ... the signer's keys, made here */
	sach_buf keys;
	pl_part_counts counts;
	pl_feed *feed;
	sach_record_parser **parsers; /* one per input (their field names differ) */
} worker;

static unsigned bad_messages;  /* guarded by p->lock */

void sach__pl_part_path(const sach_pipeline *p, size_t part, const char *what, char *out,
			size_t size)
{
	snprintf(out, size, "%s/p-%06zu.%s", p->work_dir, part, what);
}

static int open_part_writer(const sach_pipeline *p, size_t part, const char *what,
			    sach_writer **w)
{
	char path[4096];
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;

	o.compression = p->work_compress ? SACH_COMPRESS_ZSTD : SACH_COMPRESS_NONE;
	o.level = p->work_level;
	o.sync = p->work_sync;
	sach__pl_part_path(p, part, what, path, sizeof(path));
	return sach_writer_open(w, path, &o);
}

static void abort_part(worker *w)
{
	if (w->kept)
		sach_writer_abort(w->kept);
	if (w->rejected)
		sach_writer_abort(w->rejected);
	if (w->quarantine)
		sach_writer_abort(w->quarantine);
	sach_dedupe_signer_abort(w->signer);
	w->kept = w->rejected = w->quarantine = NULL;
	w->signer = NULL;
	sach__pl_counts_free(&w->counts, w->p->nstages);
	w->mine = false;
}

static int begin_part(worker *w, size_t part, uint64_t first_ordinal)
{
	sach_pipeline *p = w->p;
	int rc;

	memset(&w->counts, 0, sizeof(w->counts));
	w->counts.first_ordinal = first_ordinal;
	w->counts.stages = calloc(p->nstages ? p->nstages : 1, sizeof(*w->counts.stages));
	if (!w->counts.stages)
		return sach__error_nomem();
	w->part = part;
	w->mine = true;
	if ((rc = open_part_writer(p, part, "kept", &w->kept)) < 0 ||
	    (rc = open_part_writer(p, part, "rejected", &w->rejected)) < 0 ||
	    (p->on_error == PL_ON_ERROR_QUARANTINE &&
	     (rc = open_part_writer(p, part, "quarantine", &w->quarantine)) < 0)) {
		abort_part(w);
		return rc;
	}
	if (p->dedupe) {
		char path[4096];

		sach__pl_part_path(p, part, "sig", path, sizeof(path));
		/* A work file like the others: compressed with work_compression
		 * only. Hashes hardly compress (zstd -3 took 8% off viwiki's
		 * signatures for 0.2 s of the workers' CPU on viwiki x3), and
		 * the cluster step, which runs alone, reads each file three
		 * times. */
		if ((rc = sach_dedupe_signer_open(&w->signer, path, &p->dedupe->params,
						  (uint32_t)part, p->work_compress)) < 0) {
			abort_part(w);
			return rc;
		}
	}
	return SACH_OK;
}

static int finish_part(worker *w)
{
	char done[4096];
	int rc;

	if ((rc = sach_writer_commit(w->kept)) < 0)
		goto fail;
	w->kept = NULL;
	if ((rc = sach_writer_commit(w->rejected)) < 0)
		goto fail;
	w->rejected = NULL;
	if (w->quarantine) {
		if ((rc = sach_writer_commit(w->quarantine)) < 0)
			goto fail;
		w->quarantine = NULL;
	}
	if (w->signer) {
		rc = sach_dedupe_signer_commit(w->signer);
		w->signer = NULL;
		if (rc < 0)
			goto fail;
	}
	sach__pl_part_path(w->p, w->part, "done", done, sizeof(done));
	if ((rc = sach__pl_counts_write(w->p, &w->counts, done)) < 0)
		goto fail;
	sach__pl_counts_free(&w->counts, w->p->nstages);
	w->mine = false;
	sach__pl_part_finished(w->p);
	return SACH_OK;
fail:
	abort_part(w);
	return rc;
}

static int bad_kind(int code)
{
	switch (code) {
	case SACH_EJSON: return PL_BAD_JSON;
	case SACH_EFIELD: return PL_BAD_FIELD;
	case SACH_ETOOBIG: return PL_BAD_TOOBIG;
	case SACH_EUTF8: return PL_BAD_UTF8;
	default: return PL_BAD_OTHER;
	}
}

/* A record that cannot be processed: per the error policy. Returns 0 to go on. */
static int bad_record(worker *w, const pl_feed_part *fp, const pl_rec *r, int code,
		      const char *msg)
{
	sach_pipeline *p = w->p;
	bool show;

	w->counts.bad[bad_kind(code)]++;
	if (p->on_error == PL_ON_ERROR_FAIL) {
		sach__pl_fail(p, code, msg);
		return code;
	}
	pthread_mutex_lock(&p->lock);
	show = bad_messages < BAD_RECORD_MESSAGES;
	bad_messages++;
	pthread_mutex_unlock(&p->lock);
	if (show)
		sach__pl_log(p, "%s", msg);
	if (p->on_error == PL_ON_ERROR_SKIP) {
		w->counts.skipped++;
		return SACH_OK;
	}
	w->counts.quarantined++;
	return sach_quarantine_write(w->quarantine, fp->name, r->line, msg, fp->data.ptr + r->off,
				     r->len, r->truncated, r->total);
}

static int reject(worker *w, sach_doc *doc, size_t stage, const char *reason);

/* Stage i dropped the document: counted under its reason and rejected.
 * PL_DROP, or a negative code (*bad when the record cannot carry the meta
 * block). */
static int drop(worker *w, sach_doc *doc, size_t i, const char *reason, bool *bad)
{
	int rc;

	if (!reason)
		reason = "dropped";
	if ((rc = sach__pl_counts_reason(&w->counts.stages[i], reason, 1)) < 0)
		return rc;
	rc = reject(w, doc, i, reason);
	if (rc < 0) {
		/* its "sach" field cannot carry the meta block */
		*bad = rc == SACH_EINVAL;
		return rc;
	}
	return PL_DROP;
}

static int reject(worker *w, sach_doc *doc, size_t stage, const char *reason)
{
	int rc;

	sach_doc_restore_text(doc);
	if ((rc = sach_doc_meta_set_string(doc, "rejected", "stage",
					   w->p->stages[stage].ops->name)) < 0 ||
	    (rc = sach_doc_meta_set_string(doc, "rejected", "reason", reason)) < 0)
		return rc;
	sach_buf_clear(&w->line);
	if ((rc = sach_doc_write_jsonl(doc, &w->line)) < 0)
		return rc;
	return sach_writer_write(w->rejected, w->line.ptr, w->line.len);
}

/* Runs stage i on the document. Returns PL_KEEP, PL_DROP (rejected and
 * counted), or a negative code: *bad set when it is the record's fault. */
static int run_stage(worker *w, sach_doc *doc, size_t i, bool *bad)
{
	sach_pipeline *p = w->p;
	const char *reason = NULL;
	bool changed = false;
	int rc;

	w->counts.stages[i].in++;
	rc = p->stages[i].ops->process(w->states[i], doc, &reason, &changed);
	if (rc == PL_KEEP) {
		w->counts.stages[i].out++;
		if (changed)
			w->counts.stages[i].changed++;
		return PL_KEEP;
	}
	if (rc == PL_DROP)
		return drop(w, doc, i, reason, bad);
	*bad = !(rc == SACH_ENOMEM || rc == SACH_ERROR || rc == SACH_EIO);
	return rc;
}

/* Replays the remembered verdict of the pure stage i on this text. */
static int replay_stage(worker *w, sach_doc *doc, size_t i, const pl_memo_entry *e, bool *bad)
{
	int rc;

	w->counts.stages[i].in++;
	if (e->keep) {
		w->counts.stages[i].out++;
		return PL_KEEP;
	}
	if ((rc = w->p->stages[i].ops->replay_drop(doc, e->rule, e->value)) < 0) {
		*bad = rc == SACH_EINVAL;
		return rc;
	}
	return drop(w, doc, i, e->rule, bad);
}

static int process_doc(worker *w, const pl_feed_part *fp, const pl_rec *r, sach_doc *doc)
{
	sach_pipeline *p = w->p;
	size_t i, plain = p->memo && p->memo_stage >= 0 ? (size_t)p->memo_stage : p->nstages;
	pl_memo_entry found;
	const pl_memo_entry *e = NULL;
	const char *text;
	size_t len;
	uint64_t key[2] = { 0, 0 };
	bool bad = false;
	int rc;

	for (i = 0; i < plain; i++)
		if ((rc = run_stage(w, doc, i, &bad)) != PL_KEEP)
			goto done;
	if (p->memo) {
		XXH128_hash_t h;

		text = sach_doc_text(doc, &len);
		h = XXH3_128bits(text, len);
		key[0] = h.low64;
		key[1] = h.high64;
		if ((rc = sach__pl_memo_get(p->memo_table, key, &found, &w->keys)) < 0)
			return rc;
		e = rc ? &found : NULL;
		if (p->memo_stage >= 0) {
			i = (size_t)p->memo_stage;
			if (e) {
				rc = replay_stage(w, doc, i, e, &bad);
			} else {
				rc = run_stage(w, doc, i, &bad);
				if (rc == PL_DROP) {
					const char *rule;
					double value;
					int mr;

					p->stages[i].ops->last_drop(w->states[i], &rule, &value);
					if ((mr = sach__pl_memo_put(p->memo_table, key, false, rule, value,
								    NULL, 0)) < 0)
						return mr;
				}
			}
			if (rc != PL_KEEP)
				goto done;
		}
	}
	w->counts.kept++;
	sach_buf_clear(&w->line);
	if ((rc = sach_doc_write_jsonl(doc, &w->line)) < 0)
		return rc;
	if (w->signer || (p->memo && !e)) {
		/* The signer's line is the document's line in the part's kept
		 * file, which the apply pass reads back. */
		const void *keys = NULL;
		size_t nkeys = 0;

		text = sach_doc_text(doc, &len);
		if (w->signer && e) {
			keys = w->keys.ptr;
			nkeys = e->nkeys;
		} else if (w->signer) {
			sach_buf_clear(&w->keys);
			if ((rc = sach_dedupe_keyer_keys(w->keyer, text, len, &w->keys)) < 0)
				return rc;
			keys = w->keys.ptr;
			nkeys = w->keys.len;
		}
		if (p->memo && !e &&
		    (rc = sach__pl_memo_put(p->memo_table, key, true, NULL, 0, keys, nkeys)) < 0)
			return rc;
		if (w->signer && (rc = sach_dedupe_signer_add_keys(w->signer, w->counts.kept,
								   sach_doc_id(doc), keys, nkeys)) < 0)
			return rc;
	}
	return sach_writer_write(w->kept, w->line.ptr, w->line.len);
done:
	if (rc >= 0 || !bad)
		return rc < 0 ? rc : SACH_OK;
	/* Not counted as a stage's in/out: the record is a bad record. */
	{
		char msg[1200];
		size_t j;

		for (j = 0; j <= i && j < p->nstages; j++)
			w->counts.stages[j].in--;
		for (j = 0; j < i; j++)
			w->counts.stages[j].out--;
		snprintf(msg, sizeof(msg), "%s:%" PRIu64 ": %s", sach_doc_source(doc),
			 sach_doc_line(doc), sach_error_last());
		return bad_record(w, fp, r, rc, msg);
	}
}

/* One part the reader cut: every record parsed and processed. */
static int do_part(worker *w, const pl_feed_part *fp)
{
	sach_pipeline *p = w->p;
	sach_record_parser **parser = &w->parsers[fp->input];
	size_t i;
	int rc;

	if (!*parser && (rc = sach_record_parser_new(parser, &p->inputs[fp->input].ro)) < 0)
		return rc;
	if ((rc = begin_part(w, fp->part, fp->first_ordinal)) < 0)
		return rc;
	for (i = 0; i < fp->n && !sach__pl_failed(p); i++) {
		const pl_rec *r = &fp->recs[i];
		sach_doc *doc;

		w->counts.records++;
		w->counts.raw_bytes += r->total;
		if (r->verdict < 0) {
			rc = bad_record(w, fp, r, r->verdict, fp->data.ptr + r->msg_off);
		} else {
			rc = sach_record_parser_parse(*parser, fp->name, r->line, fp->data.ptr + r->off,
						      r->len, &doc);
			rc = rc < 0 ? bad_record(w, fp, r, rc, sach_error_last()) :
				      process_doc(w, fp, r, doc);
		}
		if (rc < 0)
			return rc;
	}
	if (sach__pl_failed(p)) {
		abort_part(w); /* another thread failed: this part is not finished */
		return SACH_OK;
	}
	return finish_part(w);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	sach_pipeline *p = w->p;
	size_t i;
	int rc = SACH_OK;

	w->states = calloc(p->nstages ? p->nstages : 1, sizeof(*w->states));
	if (!w->states) {
		sach__pl_fail(p, SACH_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < p->nstages && rc == SACH_OK; i++)
		rc = p->stages[i].ops->open(p->stages[i].settings, &w->states[i]);
	if (rc == SACH_OK && p->dedupe)
		rc = sach_dedupe_keyer_new(&w->keyer, &p->dedupe->params);
	if (rc == SACH_OK && !(w->parsers = calloc(p->ninputs ? p->ninputs : 1,
						   sizeof(*w->parsers))))
		rc = sach__error_nomem();
	while (rc == SACH_OK) {
		pl_feed_part *fp = sach__pl_feed_pop(w->feed);

		if (!fp)
			break;
		if (sach__pl_failed(p)) {
			sach__pl_feed_done(w->feed, fp);
			continue; /* drain what was cut, do nothing more */
		}
		rc = do_part(w, fp);
		sach__pl_feed_done(w->feed, fp);
	}
	if (rc < 0) {
		sach__pl_fail(p, rc, sach_error_last());
		sach__pl_feed_close(w->feed); /* the reader stops cutting */
	}
	if (w->mine)
		abort_part(w);
	for (i = 0; w->parsers && i < p->ninputs; i++)
		sach_record_parser_free(w->parsers[i]);
	free(w->parsers);
	for (i = 0; i < p->nstages; i++)
		if (w->states[i])
			p->stages[i].ops->close(w->states[i]);
	free(w->states);
	sach_dedupe_keyer_free(w->keyer);
	sach_buf_free(&w->keys);
	sach_buf_free(&w->line);
	return NULL;
}

/*
 * Whether workers remember outcomes by text: when the last per-document
 * stage is pure (its verdict depends on the text alone and it changes
 * nothing), or when there is none to remember but the dedupe keys. Any
 * stage before the pure one runs for every document.
 */
static void choose_memo(sach_pipeline *p)
{
	const pl_stage *last = p->nstages ? &p->stages[p->nstages - 1] : NULL;

	p->memo_stage = -1;
	p->memo = false;
	if (last && last->ops->pure && last->ops->pure(last->settings)) {
		p->memo_stage = (long)p->nstages - 1;
		p->memo = true;
	} else if (p->dedupe) {
		p->memo = true;
	}
}

int sach__pl_run_parts(sach_pipeline *p)
{
	worker *ws = calloc((size_t)p->workers, sizeof(*ws));
	pthread_t *th = calloc((size_t)p->workers, sizeof(*th));
	pl_feed *feed = NULL;
	size_t nparts = 0;
	int i, started = 0, rc;

	choose_memo(p);
	if (p->memo && !p->memo_table) {
		rc = sach__pl_memo_new(&p->memo_table);
		if (rc < 0) {
			free(ws);
			free(th);
			return rc;
		}
	}
	if (!ws || !th) {
		free(ws);
		free(th);
		return sach__error_nomem();
	}
	/* As many cut parts wait as there are workers: one each to take
	 * next while the reader cuts the one after. */
	if ((rc = sach__pl_feed_new(&feed, p, (size_t)p->workers)) < 0) {
		free(ws);
		free(th);
		return rc;
	}
	for (i = 0; i < p->workers; i++) {
		ws[i].p = p;
		ws[i].feed = feed;
		if (pthread_create(&th[i], NULL, worker_main, &ws[i]) != 0) {
			sach__pl_fail(p, SACH_ERROR, "cannot start a worker thread");
			break;
		}
		started++;
	}
	/* The reader runs here, beside the workers; with no worker started it
	 * stops at the failure. */
	sach__pl_feed_run(feed, &nparts);
	sach__pl_cut_over(p, nparts);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	sach__pl_feed_free(feed);
	p->nparts = nparts;
	free(ws);
	free(th);
	if (sach__pl_failed(p))
		return sach__error_set(p->fail_code, "%s", p->fail_message);
	return SACH_OK;
}
