/*
 * pipeline_global.c - the global stages of a run: dedupe (signatures are
 * written per part in phase A; here the cluster pass and the apply pass over
 * every part) and the shard settings.
 *
 * Every step leaves a file whose presence says it finished (the drop list,
 * each part's ".final.done"), so a resumed run does only what is left.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_output.h"
#include "pipeline_index.h"
#include "pipeline_side.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "error_internal.h"
#include "pipeline_global.h"

/* ---- settings ---------------------------------------------------------- */

static int parse_bool(const sach_config *cfg, const sach_config_node *sec, const char *key,
		      bool *out)
{
	const sach_config_node *v = sach_config_map_get(sec, key);

	return v ? sach_config_as_bool(cfg, v, key, out) : SACH_OK;
}

static int parse_uint(const sach_config *cfg, const sach_config_node *sec, const char *key,
		      int64_t lo, int64_t hi, unsigned *out)
{
	const sach_config_node *v = sach_config_map_get(sec, key);
	int64_t n;
	int rc;

	if (!v)
		return SACH_OK;
	if ((rc = sach_config_as_int64(cfg, v, key, lo, hi, &n)) < 0)
		return rc;
	*out = (unsigned)n;
	return SACH_OK;
}

static bool empty_section(const sach_config_node *n)
{
	return !n || (sach_config_node_kind(n) == SACH_CONFIG_SCALAR &&
		      sach_config_node_text(n)[0] == '\0');
}

static int parse_dedupe(sach_pipeline *p, const sach_config_node *sec)
{
	static const char *const keys[] = {
		"exact", "near", "lines", "paragraphs", "skeleton", "shingle", "bands", "rows",
		"jaccard", "line_min_docs", "min_words", "mem", "index", "update_index",
		"keep_cluster_info", NULL
	};
	const sach_config *cfg = p->cfg;
	pl_dedupe *d = calloc(1, sizeof(*d));
	sach_dedupe_params dp = SACH_DEDUPE_PARAMS_INIT;
	sach_dedupe_cluster_options co = SACH_DEDUPE_CLUSTER_OPTIONS_INIT;
	const sach_config_node *v;
	unsigned min_docs = co.line_min_docs;
	int rc = SACH_OK;

	if (!d)
		return sach__error_nomem();
	p->dedupe = d;
	d->params = dp;
	d->co = co;
	d->min_words = PL_DEDUPE_DEFAULT_MIN_WORDS;
	if (empty_section(sec))
		return SACH_OK;
	if ((rc = sach_config_check_keys(cfg, sec, "dedupe", keys)) < 0 ||
	    (rc = parse_bool(cfg, sec, "exact", &d->params.exact)) < 0 ||
	    (rc = parse_bool(cfg, sec, "near", &d->params.near)) < 0 ||
	    (rc = parse_bool(cfg, sec, "lines", &d->params.lines)) < 0 ||
	    (rc = parse_bool(cfg, sec, "paragraphs", &d->params.paragraphs)) < 0 ||
	    (rc = parse_bool(cfg, sec, "skeleton", &d->params.skeleton)) < 0 ||
	    (rc = parse_uint(cfg, sec, "shingle", 1, 32, &d->params.shingle)) < 0 ||
	    (rc = parse_uint(cfg, sec, "bands", 1, 64, &d->params.bands)) < 0 ||
	    (rc = parse_uint(cfg, sec, "rows", 1, 32, &d->params.rows)) < 0 ||
	    (rc = parse_uint(cfg, sec, "line_min_docs", 2, 1000000000, &min_docs)) < 0 ||
	    (rc = parse_uint(cfg, sec, "min_words", 0, 1000000, &d->min_words)) < 0 ||
	    (rc = parse_bool(cfg, sec, "update_index", &d->co.update_index)) < 0 ||
	    (rc = parse_bool(cfg, sec, "keep_cluster_info", &d->co.keep_cluster_info)) < 0)
		return rc;
	d->co.line_min_docs = min_docs;
	if ((v = sach_config_map_get(sec, "jaccard")) != NULL &&
	    (rc = sach_config_as_double(cfg, v, "jaccard", 0, 1, &d->params.jaccard)) < 0)
		return rc;
	if ((v = sach_config_map_get(sec, "mem")) != NULL) {
		uint64_t m;

		if ((rc = sach_config_as_size(cfg, v, "mem", &m)) < 0)
			return rc;
		if (m < ((uint64_t)16 << 20))
			return sach_config_error(cfg, v, "mem: at least 16M");
		d->co.mem = (size_t)m;
	}
	if ((v = sach_config_map_get(sec, "index")) != NULL) {
		const char *s;

		if ((rc = sach_config_as_string(cfg, v, "index", &s)) < 0)
			return rc;
		if (!(d->index_dir = strdup(s)))
			return sach__error_nomem();
	} else if (d->co.update_index) {
		return sach_config_error(cfg, sach_config_map_get(sec, "update_index"),
					 "update_index: needs index: DIR");
	}
	if (!d->params.exact && !d->params.near && !d->params.lines)
		return sach_config_error(cfg, sec, "dedupe: exact, near and lines are all off");
	if (sach_dedupe_params_check(&d->params) < 0)
		return sach_config_error(cfg, sec, "dedupe: %s", sach_error_last());
	return SACH_OK;
}

static int parse_shard(sach_pipeline *p, const sach_config_node *sec)
{
	static const char *const keys[] = { "max_bytes", "level", "split", "shuffle_seed",
					    "shuffle_memory", NULL };
	const sach_config *cfg = p->cfg;
	pl_shard *s = calloc(1, sizeof(*s));
	sach_shard_options def = SACH_SHARD_OPTIONS_INIT;
	const sach_config_node *v;
	int rc;

	if (!s)
		return sach__error_nomem();
	p->shard = s;
	s->o = def;
	if (empty_section(sec))
		return SACH_OK;
	if ((rc = sach_config_check_keys(cfg, sec, "shard", keys)) < 0)
		return rc;
	if ((v = sach_config_map_get(sec, "max_bytes")) != NULL) {
		if ((rc = sach_config_as_size(cfg, v, "max_bytes", &s->o.max_bytes)) < 0)
			return rc;
		if (s->o.max_bytes < 1024)
			return sach_config_error(cfg, v, "max_bytes: at least 1K");
	}
	if ((v = sach_config_map_get(sec, "level")) != NULL) {
		int64_t n;

		if ((rc = sach_config_as_int64(cfg, v, "level", 1, 19, &n)) < 0)
			return rc;
		s->o.level = (int)n;
	}
	if ((v = sach_config_map_get(sec, "shuffle_seed")) != NULL) {
		int64_t n;

		if ((rc = sach_config_as_int64(cfg, v, "shuffle_seed", 0, INT64_MAX, &n)) < 0)
			return rc;
		s->o.shuffle = true;
		s->o.shuffle_seed = (uint64_t)n;
	}
	if ((v = sach_config_map_get(sec, "shuffle_memory")) != NULL) {
		uint64_t m;

		if ((rc = sach_config_as_size(cfg, v, "shuffle_memory", &m)) < 0)
			return rc;
		s->o.shuffle_memory = (size_t)m;
	}
	if ((v = sach_config_map_get(sec, "split")) != NULL) {
		sach_buf spec = { 0 };
		size_t i;
		char num[64];

		/* split: {train: 0.99, validation: 0.01}, in the order written. */
		if (sach_config_node_kind(v) != SACH_CONFIG_MAP || sach_config_node_size(v) == 0)
			return sach_config_error(cfg, v, "split: expected a mapping such as "
							 "{train: 0.99, validation: 0.01}");
		for (i = 0; i < sach_config_node_size(v); i++) {
			double f;

			if ((rc = sach_config_as_double(cfg, sach_config_node_at(v, i),
							sach_config_node_key(v, i), 0, 1, &f)) < 0) {
				sach_buf_free(&spec);
				return rc;
			}
			snprintf(num, sizeof(num), "=%s", sach_config_node_text(sach_config_node_at(v, i)));
			if ((i && sach_buf_puts(&spec, ",") < 0) ||
			    sach_buf_puts(&spec, sach_config_node_key(v, i)) < 0 ||
			    sach_buf_puts(&spec, num) < 0) {
				sach_buf_free(&spec);
				return sach__error_nomem();
			}
		}
		rc = sach_shard_parse_splits(spec.ptr, &s->splits, &s->nsplits);
		sach_buf_free(&spec);
		if (rc < 0)
			return sach_config_error(cfg, v, "split: %s", sach_error_last());
		s->o.splits = s->splits;
		s->o.nsplits = s->nsplits;
	}
	return SACH_OK;
}

int sach__pl_global_parse(sach_pipeline *p, const char *name, const sach_config_node *section,
			  const sach_config_node *item)
{
	(void)item;
	return strcmp(name, "dedupe") == 0 ? parse_dedupe(p, section) : parse_shard(p, section);
}

void sach__pl_global_free(sach_pipeline *p)
{
	if (p->dedupe) {
		free(p->dedupe->index_dir);
		free(p->dedupe);
	}
	if (p->shard) {
		sach_shard_splits_free(p->shard->splits);
		free(p->shard);
	}
}

/* ---- the dedupe passes ------------------------------------------------- */

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int run_cluster(sach_pipeline *p)
{
	pl_dedupe *d = p->dedupe;
	char droplist[4096], **sigs;
	sach_dedupe_cluster_options co = d->co;
	sach_dedupe_cluster_stats st;
	struct timespec t0, t1;
	size_t i;
	int rc;

	snprintf(droplist, sizeof(droplist), "%s/droplist", p->work_dir);
	if (exists(droplist))
		return SACH_OK;
	sigs = calloc(p->nparts + 1, sizeof(*sigs));
	if (!sigs)
		return sach__error_nomem();
	for (i = 0; i < p->nparts; i++) {
		sigs[i] = malloc(4096);
		if (!sigs[i]) {
			rc = sach__error_nomem();
			goto out;
		}
		sach__pl_part_path(p, i, "sig", sigs[i], 4096);
	}
	co.tmp_dir = p->work_dir;
	co.index_dir = d->index_dir;
	memset(&st, 0, sizeof(st));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sach_dedupe_cluster((const char *const *)sigs, p->nparts, droplist, &co, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == SACH_OK)
		sach__pl_log(p, "dedupe: %" PRIu64 " documents, %" PRIu64 " exact and %" PRIu64
				" near duplicates (%" PRIu64 " and %" PRIu64 " of the index), %"
				PRIu64 " repeated lines, peak %zu MiB (%.2f s)",
			     st.docs, st.exact, st.near, st.exact_index, st.near_index,
			     st.repeated_lines, st.peak_bytes >> 20,
			     (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
out:
	for (i = 0; i < p->nparts; i++)
		free(sigs[i]);
	free(sigs);
	return rc;
}

typedef struct apply_ctx {
	sach_pipeline *p;
	size_t next;
} apply_ctx;

/* The counts of one applied part, kept in its done file so a resumed run
 * still reports the whole. */
static int write_apply_done(const sach_pipeline *p, size_t part, const sach_dedupe_apply_stats *s,
			    uint64_t exact, uint64_t near, uint64_t exact_index, uint64_t near_index)
{
	char path[4096];
	char text[512];
	sach_writer *w = NULL;
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	int n, rc;

	n = snprintf(text, sizeof(text),
		     "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		     " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		     s->docs, s->dropped, s->too_short, s->docs_changed, s->lines_removed, exact,
		     near, exact_index, near_index);
	sach__pl_part_path(p, part, "final.done", path, sizeof(path));
	o.sync = p->work_sync;
	if ((rc = sach_writer_open(&w, path, &o)) < 0)
		return rc;
	if ((rc = sach_writer_write(w, text, (size_t)n)) < 0) {
		sach_writer_abort(w);
		return rc;
	}
	return sach_writer_commit(w);
}

static int apply_part(sach_pipeline *p, size_t part)
{
	char in_path[4096], droplist[4096];
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	sach_reader *rd = NULL;
	sach_writer *kept = NULL, *rej = NULL, *index = NULL;
	sach_dedupe_applier *a = NULL;
	sach_doc *doc;
	sach_buf line = { 0 };
	uint64_t exact = 0, near = 0, exact_index = 0, near_index = 0;
	int rc;

	sach__pl_part_path(p, part, "final.done", in_path, sizeof(in_path));
	if (exists(in_path))
		return SACH_OK;
	snprintf(droplist, sizeof(droplist), "%s/droplist", p->work_dir);
	sach__pl_part_path(p, part, "kept", in_path, sizeof(in_path));
	ro.max_record_bytes = (size_t)1 << 30;
	wo.compression = p->work_compress ? SACH_COMPRESS_ZSTD : SACH_COMPRESS_NONE;
	wo.level = p->work_level;
	wo.sync = p->work_sync;
	if ((rc = sach_dedupe_applier_open(&a, droplist, (uint32_t)part, p->dedupe->min_words)) < 0 ||
	    (rc = sach_reader_open(&rd, in_path, &ro)) < 0)
		goto out;
	sach__pl_part_path(p, part, "final", in_path, sizeof(in_path));
	if ((rc = sach_writer_open(&kept, in_path, &wo)) < 0)
		goto out;
	sach__pl_part_path(p, part, "dedupe-rejected", in_path, sizeof(in_path));
	if ((rc = sach_writer_open(&rej, in_path, &wo)) < 0)
		goto out;
	sach__pl_part_path(p, part, "final.index", in_path, sizeof(in_path));
	if (p->shard && (rc = sach_writer_open(&index, in_path, &wo)) < 0)
		goto out;
	while ((rc = sach_reader_next(rd, &doc)) > 0) {
		const char *reason = NULL;

		rc = sach_dedupe_apply(a, doc, sach_doc_line(doc), &reason);
		if (rc < 0)
			break;
		sach_buf_clear(&line);
		if (rc == 1) {
			if (strcmp(reason, "exact-duplicate") == 0)
				exact++;
			else if (strcmp(reason, "near-duplicate") == 0)
				near++;
			else if (strcmp(reason, "exact-duplicate-of-index") == 0)
				exact_index++;
			else if (strcmp(reason, "near-duplicate-of-index") == 0)
				near_index++;
			sach_doc_restore_text(doc);
			if ((rc = sach_doc_meta_set_string(doc, "rejected", "stage", "dedupe")) < 0 ||
			    (rc = sach_doc_meta_set_string(doc, "rejected", "reason", reason)) < 0 ||
			    (rc = sach_doc_write_jsonl(doc, &line)) < 0 ||
			    (rc = sach_writer_write(rej, line.ptr, line.len)) < 0)
				break;
		} else {
			if ((rc = sach_doc_write_jsonl(doc, &line)) < 0 ||
			    (rc = sach_writer_write(kept, line.ptr, line.len)) < 0 ||
			    (index && (rc = sach__pl_index_add(index, doc)) < 0))
				break;
		}
	}
	/* Part files are ours: a bad record in one means the work directory was
	 * damaged, not that the input was bad. */
	if (rc < 0)
		goto out;
	if ((rc = sach_dedupe_applier_finish(a)) < 0)
		goto out;
	if ((rc = sach_writer_commit(kept)) < 0) {
		kept = NULL;
		goto out;
	}
	kept = NULL;
	if ((rc = sach_writer_commit(rej)) < 0) {
		rej = NULL;
		goto out;
	}
	rej = NULL;
	if (index) {
		rc = sach_writer_commit(index);
		index = NULL;
		if (rc < 0)
			goto out;
	}
	rc = write_apply_done(p, part, sach_dedupe_applier_stats(a), exact, near, exact_index,
			      near_index);
	if (rc == SACH_OK) {
		/* The part's phase A documents are not read again (a resumed run
		 * skips applied parts): removed now, on this worker, rather than
		 * with the rest of the work directory at the very end, where
		 * freeing a run's gigabyte of work files took half a second on
		 * one thread. */
		sach__pl_part_path(p, part, "kept", in_path, sizeof(in_path));
		if (unlink(in_path) < 0 && errno != ENOENT)
			rc = sach__error_set(SACH_EIO, "cannot remove '%s': %s", in_path,
					     strerror(errno));
	}
out:
	if (kept)
		sach_writer_abort(kept);
	if (rej)
		sach_writer_abort(rej);
	if (index)
		sach_writer_abort(index);
	sach_reader_close(rd);
	sach_dedupe_applier_free(a);
	sach_buf_free(&line);
	return rc;
}

static void *apply_main(void *arg)
{
	apply_ctx *c = arg;
	sach_pipeline *p = c->p;

	for (;;) {
		size_t part;
		int rc;

		pthread_mutex_lock(&p->lock);
		part = c->next++;
		pthread_mutex_unlock(&p->lock);
		if (part >= p->nparts || sach__pl_failed(p))
			break;
		if ((rc = apply_part(p, part)) < 0) {
			sach__pl_fail(p, rc, sach_error_last());
			break;
		}
		sach__pl_applied(p, part);
	}
	return NULL;
}

/* Sums the apply counts of every part (their done files). */
static int sum_apply(sach_pipeline *p)
{
	size_t i;

	for (i = 0; i < p->nparts; i++) {
		char path[4096];
		FILE *f;
		unsigned long long v[9];

		sach__pl_part_path(p, i, "final.done", path, sizeof(path));
		f = fopen(path, "r");
		if (!f)
			return sach__error_set(SACH_EIO, "cannot read '%s'", path);
		if (fscanf(f, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9) {
			fclose(f);
			return sach__error_set(SACH_ECORRUPT, "'%s' is damaged", path);
		}
		fclose(f);
		p->global.dedupe_in += v[0];
		p->global.dedupe_out += v[0] - v[1] - v[2];
		p->global.too_short += v[2];
		p->global.dedupe_changed += v[3];
		p->global.lines_removed += v[4];
		p->global.exact += v[5];
		p->global.near += v[6];
		p->global.exact_index += v[7];
		p->global.near_index += v[8];
	}
	return SACH_OK;
}

int sach__pl_global_run(sach_pipeline *p)
{
	apply_ctx c;
	pthread_t *th;
	int i, started = 0, rc;

	/* No documents reached the dedupe: nothing to cluster or apply. */
	if (!p->dedupe || p->nparts == 0)
		return SACH_OK;
	if ((rc = run_cluster(p)) < 0)
		return rc;
	th = calloc((size_t)p->workers, sizeof(*th));
	if (!th)
		return sach__error_nomem();
	c.p = p;
	c.next = 0;
	for (i = 0; i < p->workers; i++) {
		if (pthread_create(&th[i], NULL, apply_main, &c) != 0) {
			sach__pl_fail(p, SACH_ERROR, "cannot start a worker thread");
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (sach__pl_failed(p))
		return sach__error_set(p->fail_code, "%s", p->fail_message);
	return sum_apply(p);
}
