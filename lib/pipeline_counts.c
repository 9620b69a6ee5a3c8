/*
 * pipeline_counts.c - what each part did (records, bad records, per-stage
 * in/out/changed and drop reasons): summed in part order, written to the
 * part's done file, read back when a run resumes.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "error_internal.h"

const char *const sach__pl_bad_names[PL_BAD_KINDS] = {
	"invalid_json", "bad_text_field", "too_large", "invalid_utf8", "other"
};

int sach__pl_counts_reason(pl_stage_counts *c, const char *reason, uint64_t n)
{
	size_t i;
	pl_reason *r;

	for (i = 0; i < c->nreasons; i++)
		if (strcmp(c->reasons[i].name, reason) == 0) {
			c->reasons[i].n += n;
			return SACH_OK;
		}
	r = realloc(c->reasons, (c->nreasons + 1) * sizeof(*r));
	if (!r)
		return sach__error_nomem();
	c->reasons = r;
	r[c->nreasons].name = strdup(reason);
	if (!r[c->nreasons].name)
		return sach__error_nomem();
	r[c->nreasons].n = n;
	c->nreasons++;
	return SACH_OK;
}

void sach__pl_counts_free(pl_part_counts *c, size_t nstages)
{
	size_t i, j;

	if (!c->stages)
		return;
	for (i = 0; i < nstages; i++) {
		for (j = 0; j < c->stages[i].nreasons; j++)
			free(c->stages[i].reasons[j].name);
		free(c->stages[i].reasons);
	}
	free(c->stages);
	c->stages = NULL;
}

int sach__pl_counts_add(pl_part_counts *to, const pl_part_counts *from, size_t nstages)
{
	size_t i, j;
	int rc;

	to->records += from->records;
	to->raw_bytes += from->raw_bytes;
	for (i = 0; i < PL_BAD_KINDS; i++)
		to->bad[i] += from->bad[i];
	to->skipped += from->skipped;
	to->quarantined += from->quarantined;
	to->kept += from->kept;
	for (i = 0; i < nstages; i++) {
		to->stages[i].in += from->stages[i].in;
		to->stages[i].out += from->stages[i].out;
		to->stages[i].changed += from->stages[i].changed;
		for (j = 0; j < from->stages[i].nreasons; j++)
			if ((rc = sach__pl_counts_reason(&to->stages[i], from->stages[i].reasons[j].name,
							 from->stages[i].reasons[j].n)) < 0)
				return rc;
	}
	return SACH_OK;
}

static int cmp_reason(const void *a, const void *b)
{
	return strcmp(((const pl_reason *)a)->name, ((const pl_reason *)b)->name);
}

static json_object *counts_object(const sach_pipeline *p, const pl_part_counts *c)
{
	json_object *o = json_object_new_object(), *bad, *stages;
	size_t i, j;

	if (!o)
		return NULL;
	json_object_object_add(o, "first_ordinal", json_object_new_int64((int64_t)c->first_ordinal));
	json_object_object_add(o, "records", json_object_new_int64((int64_t)c->records));
	json_object_object_add(o, "raw_bytes", json_object_new_int64((int64_t)c->raw_bytes));
	bad = json_object_new_object();
	for (i = 0; i < PL_BAD_KINDS; i++)
		json_object_object_add(bad, sach__pl_bad_names[i], json_object_new_int64((int64_t)c->bad[i]));
	json_object_object_add(o, "bad_records", bad);
	json_object_object_add(o, "skipped", json_object_new_int64((int64_t)c->skipped));
	json_object_object_add(o, "quarantined", json_object_new_int64((int64_t)c->quarantined));
	json_object_object_add(o, "kept", json_object_new_int64((int64_t)c->kept));
	stages = json_object_new_array();
	for (i = 0; i < p->nstages; i++) {
		json_object *s = json_object_new_object(), *rej = json_object_new_object();
		pl_stage_counts *sc = &c->stages[i];

		/* Reasons sorted by name: the order threads met them must not show. */
		if (sc->nreasons)
			qsort(sc->reasons, sc->nreasons, sizeof(*sc->reasons), cmp_reason);
		json_object_object_add(s, "stage", json_object_new_string(p->stages[i].ops->name));
		json_object_object_add(s, "in", json_object_new_int64((int64_t)sc->in));
		json_object_object_add(s, "out", json_object_new_int64((int64_t)sc->out));
		json_object_object_add(s, "changed", json_object_new_int64((int64_t)sc->changed));
		for (j = 0; j < sc->nreasons; j++)
			json_object_object_add(rej, sc->reasons[j].name,
					       json_object_new_int64((int64_t)sc->reasons[j].n));
		json_object_object_add(s, "rejected", rej);
		json_object_array_add(stages, s);
	}
	json_object_object_add(o, "stages", stages);
	return o;
}

int sach__pl_counts_json(const sach_pipeline *p, const pl_part_counts *c, sach_buf *out)
{
	json_object *o = counts_object(p, c);
	int rc;

	if (!o)
		return sach__error_nomem();
	rc = sach_buf_puts(out, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_SPACED |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	if (rc == 0)
		rc = sach_buf_puts(out, "\n");
	json_object_put(o);
	return rc;
}

int sach__pl_counts_write(const sach_pipeline *p, const pl_part_counts *c, const char *path)
{
	sach_buf b = { 0 };
	sach_writer *w = NULL;
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	int rc;

	if ((rc = sach__pl_counts_json(p, c, &b)) < 0)
		goto out;
	wo.sync = p->work_sync;
	if ((rc = sach_writer_open(&w, path, &wo)) < 0)
		goto out;
	if ((rc = sach_writer_write(w, b.ptr, b.len)) < 0) {
		sach_writer_abort(w);
		goto out;
	}
	rc = sach_writer_commit(w);
out:
	sach_buf_free(&b);
	return rc;
}

static int get_u64(json_object *o, const char *key, uint64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -1;
	*out = (uint64_t)json_object_get_int64(v);
	return 0;
}

int sach__pl_counts_read(const sach_pipeline *p, pl_part_counts *c, const char *path)
{
	json_object *o = json_object_from_file(path), *bad, *stages;
	size_t i;
	int rc = SACH_OK;

	if (!o)
		return sach__error_set(SACH_ECORRUPT, "%s: unreadable part record: %s", path,
				       json_util_get_last_err());
	if (get_u64(o, "first_ordinal", &c->first_ordinal) < 0 ||
	    get_u64(o, "records", &c->records) < 0 || get_u64(o, "raw_bytes", &c->raw_bytes) < 0 ||
	    get_u64(o, "skipped", &c->skipped) < 0 ||
	    get_u64(o, "quarantined", &c->quarantined) < 0 || get_u64(o, "kept", &c->kept) < 0 ||
	    !json_object_object_get_ex(o, "bad_records", &bad) ||
	    !json_object_object_get_ex(o, "stages", &stages) ||
	    !json_object_is_type(stages, json_type_array) ||
	    json_object_array_length(stages) != p->nstages)
		goto corrupt;
	for (i = 0; i < PL_BAD_KINDS; i++)
		if (get_u64(bad, sach__pl_bad_names[i], &c->bad[i]) < 0)
			goto corrupt;
	for (i = 0; i < p->nstages; i++) {
		json_object *s = json_object_array_get_idx(stages, i), *rej;

		if (get_u64(s, "in", &c->stages[i].in) < 0 || get_u64(s, "out", &c->stages[i].out) < 0 ||
		    get_u64(s, "changed", &c->stages[i].changed) < 0 ||
		    !json_object_object_get_ex(s, "rejected", &rej) ||
		    !json_object_is_type(rej, json_type_object))
			goto corrupt;
		json_object_object_foreach(rej, key, val) {
			if (!json_object_is_type(val, json_type_int))
				goto corrupt;
			if ((rc = sach__pl_counts_reason(&c->stages[i], key,
							 (uint64_t)json_object_get_int64(val))) < 0)
				goto out;
		}
	}
	goto out;
corrupt:
	rc = sach__error_set(SACH_ECORRUPT, "%s: part record is damaged; remove the output "
				       "directory's .sach-work to start again", path);
out:
	json_object_put(o);
	return rc;
}
