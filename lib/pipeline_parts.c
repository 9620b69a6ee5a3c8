/*
 * pipeline_parts.c - phase A of a run: the inputs cut into parts, each part
 * read, passed through the per-document stages and written to its own files
 * by whichever worker thread claims it.
 *
 * Every worker reads the whole input stream (reading and parsing run at
 * several hundred MB/s, the stages at tens), so every worker sees the same
 * part boundaries and record ordinals without talking to the others: a part
 * starts at the first record of each input and after every record that
 * brings the part to part_size bytes. A worker claims the next part nobody
 * has taken, processes it, and skips the records of parts others took. Which
 * worker did a part never shows in its files, so the output does not depend
 * on the number of workers. A part is finished when its ".done" file exists
 * (written last, atomically); a resumed run skips finished parts.
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
#include "pipeline_global.h"

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
	/* The claim on the part the next record would start (made before the
	 * record is read, so it is parsed only when it is this worker's). */
	bool ahead_valid, ahead_mine;
	size_t ahead_part;
} worker;

static unsigned bad_messages;  /* guarded by p->lock */

void sach__pl_part_path(const sach_pipeline *p, size_t part, const char *what, char *out,
			size_t size)
{
	snprintf(out, size, "%s/p-%06zu.%s", p->work_dir, part, what);
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Takes part `part` if no worker has, and no earlier run finished it. */
static bool claim(sach_pipeline *p, size_t part)
{
	char done[4096];
	bool mine = false;

	pthread_mutex_lock(&p->lock);
	if (part >= p->nclaimed) {
		size_t n = p->nclaimed ? p->nclaimed : 64;
		unsigned char *c;

		while (n <= part)
			n *= 2;
		c = realloc(p->claimed, n);
		if (c) {
			memset(c + p->nclaimed, 0, n - p->nclaimed);
			p->claimed = c;
			p->nclaimed = n;
		}
	}
	if (part < p->nclaimed && !p->claimed[part]) {
		p->claimed[part] = 1;
		mine = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (part >= p->nclaimed) {
		sach__pl_fail(p, SACH_ENOMEM, "out of memory");
		return false;
	}
	if (mine) {
		sach__pl_part_path(p, part, "done", done, sizeof(done));
		if (file_exists(done))
			mine = false;
	}
	return mine;
}

static int open_part_writer(const sach_pipeline *p, size_t part, const char *what,
			    sach_writer **w)
{
	char path[4096];
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;

	o.compression = p->work_compress ? SACH_COMPRESS_ZSTD : SACH_COMPRESS_NONE;
	o.level = p->work_level;
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
		if ((rc = sach_dedupe_signer_open(&w->signer, path, &p->dedupe->params,
						  (uint32_t)part, true)) < 0) {
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
static int bad_record(worker *w, sach_reader *rd, int code, const char *msg)
{
	sach_pipeline *p = w->p;
	const char *raw;
	size_t len;
	bool truncated, show;
	uint64_t total;

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
	sach_reader_raw(rd, &raw, &len, &truncated, &total);
	w->counts.quarantined++;
	return sach_quarantine_write(w->quarantine, sach_reader_name(rd), sach_reader_line(rd), msg,
				     raw, len, truncated, total);
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

static int process_doc(worker *w, sach_reader *rd, sach_doc *doc)
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
		return bad_record(w, rd, rc, msg);
	}
}

static int read_input(worker *w, const pl_input *in, size_t *part, uint64_t *ordinal,
		      bool *started)
{
	sach_pipeline *p = w->p;
	sach_reader *rd = NULL;
	sach_doc *doc;
	uint64_t acc = 0;
	bool need_new = true;
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
		/* The next record's part is known before it is read: parse it
		 * only if the part is this worker's, skip it unparsed otherwise. */
		if (need_new) {
			size_t next = *started ? *part + 1 : 0;

			if (!w->ahead_valid || w->ahead_part != next) {
				w->ahead_part = next;
				w->ahead_mine = claim(p, next);
				w->ahead_valid = true;
			}
		}
		if (need_new ? w->ahead_mine : w->mine)
			rc = sach_reader_next(rd, &doc);
		else
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
		sach_reader_raw(rd, &raw, &len, &truncated, &total);
		if (need_new) {
			if (w->mine && (rc = finish_part(w)) < 0)
				break;
			*part = w->ahead_part;
			*started = true;
			w->ahead_valid = false;
			if (w->ahead_mine && (rc = begin_part(w, *part, *ordinal)) < 0)
				break;
			acc = 0;
			need_new = false;
		}
		if (w->mine) {
			w->counts.records++;
			w->counts.raw_bytes += total;
			if (rc < 0) {
				rc = bad_record(w, rd, rc, sach_error_last());
			} else {
				rc = process_doc(w, rd, doc);
			}
			if (rc < 0)
				break;
		}
		(*ordinal)++;
		acc += total + 1;
		if (acc >= p->part_size)
			need_new = true;
	}
	sach_reader_close(rd);
	return rc;
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	sach_pipeline *p = w->p;
	size_t i, part = 0;
	uint64_t ordinal = 0;
	bool started = false;
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
	for (i = 0; i < p->ninputs && rc == SACH_OK && !sach__pl_failed(p); i++)
		rc = read_input(w, &p->inputs[i], &part, &ordinal, &started);
	if (rc == SACH_OK && w->mine && !sach__pl_failed(p))
		rc = finish_part(w);
	if (rc < 0)
		sach__pl_fail(p, rc, sach_error_last());
	if (w->mine)
		abort_part(w);
	pthread_mutex_lock(&p->lock);
	if (started && part + 1 > p->nparts)
		p->nparts = part + 1;
	pthread_mutex_unlock(&p->lock);
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
	int i, started = 0;

	choose_memo(p);
	if (p->memo && !p->memo_table) {
		int rc = sach__pl_memo_new(&p->memo_table);

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
	for (i = 0; i < p->workers; i++) {
		ws[i].p = p;
		if (pthread_create(&th[i], NULL, worker_main, &ws[i]) != 0) {
			sach__pl_fail(p, SACH_ERROR, "cannot start a worker thread");
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(ws);
	free(th);
	if (sach__pl_failed(p))
		return sach__error_set(p->fail_code, "%s", p->fail_message);
	return SACH_OK;
}
