/*
 * pipeline_output.c - the last step of a run: the surviving documents into
 * shards and a manifest (or one documents.jsonl.zst without a shard stage),
 * the rejected and quarantined records of every part and stage into one
 * file each, counts.json and config.json. Everything is assembled in part
 * order, so it is the same bytes whatever the number of workers.
 *
 * The rejected and quarantined records of the parts are recompressed as
 * one stream rather than concatenated, so the bytes do not depend on where
 * the parts were cut.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "error_internal.h"
#include "input.h"
#include "pipeline_global.h"
#include "pipeline_index.h"
#include "pipeline_side.h"

/* zstd level of documents.jsonl.zst (the output proper, without shards). */
#define OUTPUT_LEVEL 3
int sach__pl_write_file(const char *path, const char *data, size_t len, bool sync)
{
	sach_writer *w = NULL;
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	int rc;

	o.sync = sync;
	if ((rc = sach_writer_open(&w, path, &o)) < 0)
		return rc;
	if ((rc = sach_writer_write(w, data, len)) < 0) {
		sach_writer_abort(w);
		return rc;
	}
	return sach_writer_commit(w);
}

/* Appends the decompressed bytes of `path` (if it exists) to `w`. */
static int append_file(sach_writer *w, const char *path)
{
	char buf[1 << 16];
	sach_input *in = NULL;
	size_t n;
	int rc;

	if (access(path, F_OK) != 0)
		return errno == ENOENT ? SACH_OK :
		       sach__error_set(SACH_EIO, "cannot open '%s': %s", path, strerror(errno));
	if ((rc = sach__input_open(&in, path, path)) < 0)
		return rc;
	while ((rc = sach__input_read(in, buf, sizeof(buf), &n)) == SACH_OK && n > 0)
		if ((rc = sach_writer_write(w, buf, n)) < 0)
			break;
	sach__input_close(in);
	return rc;
}

/*
 * OUT/name = the part files named by each `whats` entry, part by part, as
 * one zstd stream: recompressed rather than concatenated, so the bytes do
 * not depend on where the parts were cut. With `ready`, each part is
 * waited for (the run is still going); without, every part is finished.
 */
int sach__pl_concat_parts(sach_pipeline *p, const char *name, const char *const *whats,
			  int level, unsigned threads, sach__pl_part_ready ready)
{
	char path[4096];
	sach_writer *w = NULL;
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	size_t i, j;
	int rc, more;

	o.compression = SACH_COMPRESS_ZSTD;
	o.level = level;
	o.threads = threads;
	snprintf(path, sizeof(path), "%s/%s", p->out_dir, name);
	if ((rc = sach_writer_open(&w, path, &o)) < 0)
		return rc;
	for (j = 0; whats[j] && rc == SACH_OK; j++)
		for (i = 0; rc == SACH_OK; i++) {
			more = ready ? ready(p, whats[j], i) : i < p->nparts;
			if (more <= 0) {
				rc = more;
				break;
			}
			sach__pl_part_path(p, i, whats[j], path, sizeof(path));
			rc = append_file(w, path);
		}
	if (rc < 0) {
		sach_writer_abort(w);
		return rc;
	}
	return sach_writer_commit(w);
}

static const char *final_part_name(const sach_pipeline *p)
{
	return p->dedupe ? "final" : "kept";
}

/* A document of a part without an index: parsed for its key and text. */
static int add_doc(sach_pipeline *p, sach_shard_writer *w, const sach_doc *doc)
{
	const char *id = sach_doc_id(doc), *key, *text;
	char own[32];
	size_t len;
	int rc;

	key = sach__pl_split_key(doc, own);
	if (key == id)
		return sach_shard_writer_add(w, doc);
	text = sach_doc_text(doc, &len);
	sach_buf_clear(&p->scratch);
	if ((rc = sach_doc_write_jsonl(doc, &p->scratch)) < 0)
		return rc;
	return sach_shard_writer_add_line(w, key, strlen(key), p->scratch.ptr, p->scratch.len,
					  sach_shard_count_syllables(text, len));
}

/*
 * A part the dedupe apply step wrote, with its index (pipeline_index.c):
 * the lines go to the shards as they are, unparsed. The two files were
 * committed together; a count that differs means the work directory was
 * damaged.
 */
static int add_indexed_part(sach_pipeline *p, sach_shard_writer *w, const char *path,
			    const char *index_path, const sach_reader_options *ro)
{
	sach_reader *rd = NULL;
	pl_index *x = NULL;
	const char *raw, *key;
	size_t len, klen;
	uint64_t syllables;
	int rc, more;

	if ((rc = sach_reader_open(&rd, path, ro)) < 0)
		return rc;
	if ((rc = sach__pl_index_open(&x, index_path)) < 0)
		goto out;
	for (;;) {
		if ((rc = sach_reader_skip(rd)) < 0)
			break;
		if ((more = sach__pl_index_next(x, &key, &klen, &syllables)) < 0) {
			rc = more;
			break;
		}
		if (rc != more) {
			rc = sach__error_set(SACH_ECORRUPT, "'%s' and '%s' do not hold the same "
					     "documents", path, index_path);
			break;
		}
		if (rc == 0)
			break;
		sach_reader_raw(rd, &raw, &len, NULL, NULL);
		if ((rc = sach_shard_writer_add_line(w, key, klen, raw, len, syllables)) < 0)
			break;
		p->global.shard_docs++;
	}
out:
	sach__pl_index_close(x);
	sach_reader_close(rd);
	return rc;
}

static int shard_output(sach_pipeline *p)
{
	sach_shard_options o = p->shard->o;
	sach_shard_writer *w = NULL;
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	size_t i;
	int rc;

	o.dataset_name = p->name;
	o.dataset_version = p->version;
	o.pipeline_config = p->config_json.ptr;
	/* zstd's multi-threaded format: the same bytes for any number of
	 * threads from one up. With more than one worker the rejected records
	 * are still being written beside the shards (pipeline_side.c), so the
	 * shards take one thread fewer: with 2 workers a second zstd thread
	 * only added CPU time (0.16 s on viwiki x3) to cores already busy. */
	o.threads = p->workers > 1 ? (unsigned)p->workers - 1 : 1;
	/* The directory holds the run's own files; earlier shards of this
	 * output are replaced when the new manifest is written. */
	o.existing = SACH_SHARD_OVERWRITE;
	ro.max_record_bytes = (size_t)1 << 30;
	if ((rc = sach_shard_writer_open(&w, p->out_dir, &o)) < 0)
		return rc;
	for (i = 0; i < p->ninputs && rc == SACH_OK; i++) {
		sach_shard_input in;

		memset(&in, 0, sizeof(in));
		in.path = p->inputs[i].path;
		if ((rc = sach_shard_hash_file(in.path, &in.bytes, &in.xxh3, &in.has_xxh3)) == 0)
			rc = sach_shard_writer_add_input(w, &in);
	}
	for (i = 0; i < p->nparts && rc == SACH_OK; i++) {
		char path[4096], index_path[4096];
		sach_reader *rd = NULL;
		sach_doc *doc;

		sach__pl_part_path(p, i, final_part_name(p), path, sizeof(path));
		if (p->dedupe) {
			sach__pl_part_path(p, i, "final.index", index_path, sizeof(index_path));
			rc = add_indexed_part(p, w, path, index_path, &ro);
			continue;
		}
		if ((rc = sach_reader_open(&rd, path, &ro)) < 0)
			break;
		while ((rc = sach_reader_next(rd, &doc)) > 0) {
			if ((rc = add_doc(p, w, doc)) < 0)
				break;
			p->global.shard_docs++;
		}
		sach_reader_close(rd);
	}
	if (rc == SACH_OK)
		rc = sach_shard_writer_finish(w);
	if (rc == SACH_OK) {
		size_t n = sach_shard_writer_nsplits(w);

		for (i = 0; i < n; i++) {
			sach_shard_totals t;

			sach_shard_writer_totals(w, i, &t);
			sach__pl_log(p, "shard: %s: %" PRIu64 " shards, %" PRIu64 " documents, %"
					PRIu64 " bytes, %" PRIu64 " syllables",
				     t.name, t.shards, t.documents, t.bytes, t.syllables);
		}
	}
	sach_shard_writer_free(w);
	return rc;
}

static void add_int(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

/* counts.json: per stage in/out/rejected by reason, and the accounting
 * records_in = written + rejected + skipped + quarantined. */
static int write_counts(sach_pipeline *p, const pl_part_counts *total)
{
	json_object *o = json_object_new_object(), *stages, *s, *rej;
	sach_buf b = { 0 };
	char path[4096];
	uint64_t rejected = 0, written;
	size_t i, j;
	int rc;

	if (!o)
		return sach__error_nomem();
	if ((rc = sach__pl_counts_json(p, total, &b)) < 0)
		goto out;
	/* Reuse the per-part shape for the totals, then add the global stages. */
	json_object_put(o);
	o = json_tokener_parse(b.ptr);
	sach_buf_clear(&b);
	if (!o) {
		rc = sach__error_nomem();
		goto out;
	}
	json_object_object_del(o, "first_ordinal");
	json_object_object_get_ex(o, "stages", &stages);
	for (i = 0; i < p->nstages; i++)
		for (j = 0; j < total->stages[i].nreasons; j++)
			rejected += total->stages[i].reasons[j].n;
	written = total->kept;
	if (p->dedupe) {
		s = json_object_new_object();
		rej = json_object_new_object();
		json_object_object_add(s, "stage", json_object_new_string("dedupe"));
		add_int(s, "in", p->global.dedupe_in);
		add_int(s, "out", p->global.dedupe_out);
		add_int(s, "changed", p->global.dedupe_changed);
		add_int(s, "lines_removed", p->global.lines_removed);
		add_int(rej, "exact-duplicate", p->global.exact);
		add_int(rej, "exact-duplicate-of-index", p->global.exact_index);
		add_int(rej, "near-duplicate", p->global.near);
		add_int(rej, "near-duplicate-of-index", p->global.near_index);
		add_int(rej, "too-short-after-lines", p->global.too_short);
		json_object_object_add(s, "rejected", rej);
		json_object_array_add(stages, s);
		rejected += p->global.dedupe_in - p->global.dedupe_out;
		written = p->global.dedupe_out;
	}
	if (p->shard) {
		s = json_object_new_object();
		json_object_object_add(s, "stage", json_object_new_string("shard"));
		add_int(s, "in", p->global.shard_docs);
		add_int(s, "out", p->global.shard_docs);
		json_object_array_add(stages, s);
	}
	add_int(o, "written", written);
	add_int(o, "rejected", rejected);
	json_object_object_del(o, "kept");
	if (total->records != written + rejected + total->skipped + total->quarantined) {
		rc = sach__error_set(SACH_ERROR,
				     "accounting failed: %" PRIu64 " records in, %" PRIu64
				     " written, %" PRIu64 " rejected, %" PRIu64 " skipped, %" PRIu64
				     " quarantined", total->records, written, rejected,
				     total->skipped, total->quarantined);
		goto out;
	}
	if ((rc = sach_buf_puts(&b, json_object_to_json_string_ext(
					     o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							JSON_C_TO_STRING_NOSLASHESCAPE))) < 0 ||
	    (rc = sach_buf_puts(&b, "\n")) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/counts.json", p->out_dir);
	rc = sach__pl_write_file(path, b.ptr, b.len, true);
	if (rc == SACH_OK)
		sach__pl_log(p, "%" PRIu64 " records in: %" PRIu64 " written, %" PRIu64
				" rejected, %" PRIu64 " skipped, %" PRIu64 " quarantined",
			     total->records, written, rejected, total->skipped, total->quarantined);
out:
	json_object_put(o);
	sach_buf_free(&b);
	return rc;
}

int sach__pl_output(sach_pipeline *p)
{
	pl_part_counts total, part;
	char path[4096];
	size_t i;
	int rc;

	memset(&total, 0, sizeof(total));
	total.stages = calloc(p->nstages + 1, sizeof(*total.stages));
	if (!total.stages)
		return sach__error_nomem();
	for (i = 0, rc = SACH_OK; i < p->nparts && rc == SACH_OK; i++) {
		memset(&part, 0, sizeof(part));
		part.stages = calloc(p->nstages + 1, sizeof(*part.stages));
		if (!part.stages) {
			rc = sach__error_nomem();
			break;
		}
		sach__pl_part_path(p, i, "done", path, sizeof(path));
		if ((rc = sach__pl_counts_read(p, &part, path)) == SACH_OK)
			rc = sach__pl_counts_add(&total, &part, p->nstages);
		sach__pl_counts_free(&part, p->nstages);
	}
	if (rc < 0)
		goto out;
	/* The rejected and quarantined records: on their way on their own
	 * thread (pipeline_side.c), or written now. */
	if (!p->side && (rc = sach__pl_side_write(p)) < 0)
		goto out;
	if (p->shard) {
		rc = shard_output(p);
	} else {
		const char *docs[] = { final_part_name(p), NULL };

		rc = sach__pl_concat_parts(p, "documents.jsonl.zst", docs, OUTPUT_LEVEL, p->workers,
					   NULL);
	}
	if (p->side)
		rc = rc < 0 ? sach__pl_side_stop(p, rc) : sach__pl_side_join(p);
	if (rc < 0)
		goto out;
	if ((rc = write_counts(p, &total)) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/config.json", p->out_dir);
	if ((rc = sach_buf_puts(&p->config_json, "\n")) < 0)
		goto out;
	rc = sach__pl_write_file(path, p->config_json.ptr, p->config_json.len, true);
	p->config_json.len--;
	p->config_json.ptr[p->config_json.len] = '\0';
out:
	if (p->side) /* failed before the rejected records were waited for */
		rc = sach__pl_side_stop(p, rc);
	sach__pl_counts_free(&total, p->nstages);
	return rc;
}
