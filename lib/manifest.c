/*
 * manifest.c - manifest.json of a shard run: the canonical config and its
 * hash, the inputs, every shard and the totals; and file checksums.
 *
 * Determinism: keys are written in a fixed order (json-c keeps insertion
 * order), numbers are integers or shortest round-trip decimals, checksums
 * are 16 lowercase hex digits, and nothing depends on the clock unless the
 * caller asks for "created". The config hash is XXH3-64 (seed 0) of the
 * config object written compactly (no spaces, keys in the order written),
 * which is what Python's json.dumps(config, separators=(",", ":"),
 * ensure_ascii=False) gives for the same object.
 */
#define _POSIX_C_SOURCE 200809L
#include "shard_internal.h"
#include "error_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#define HASH_CHUNK ((size_t)1 << 20)

int sach_shard_hash_file(const char *path, uint64_t *bytes, uint64_t *xxh3, bool *has_xxh3)
{
	XXH3_state_t *state;
	struct stat st;
	char *buf;
	int fd, rc = SACH_OK;
	uint64_t total = 0;

	*bytes = 0;
	*xxh3 = 0;
	*has_xxh3 = false;
	if (strcmp(path, "-") == 0)
		return SACH_OK;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sach__error_set(SACH_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* A pipe cannot be read twice; its bytes go unchecked. */
		close(fd);
		return SACH_OK;
	}
	state = XXH3_createState();
	buf = malloc(HASH_CHUNK);
	if (!state || !buf) {
		rc = sach__error_nomem();
		goto out;
	}
	XXH3_64bits_reset(state);
	for (;;) {
		ssize_t n = read(fd, buf, HASH_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sach__error_set(SACH_EIO, "%s: read error: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		XXH3_64bits_update(state, buf, (size_t)n);
		total += (uint64_t)n;
	}
	*bytes = total;
	*xxh3 = XXH3_64bits_digest(state);
	*has_xxh3 = true;
out:
	XXH3_freeState(state);
	free(buf);
	close(fd);
	return rc;
}

static json_object *hex64(uint64_t v)
{
	char s[17];

	snprintf(s, sizeof(s), "%016llx", (unsigned long long)v);
	return json_object_new_string(s);
}

/* The shortest decimal that reads back as d (what Python's repr() gives). */
static json_object *shortest_double(double d)
{
	char s[40];
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(s, sizeof(s), "%.*g", p, d);
		if (strtod(s, NULL) == d)
			break;
	}
	/* An integral value keeps a ".0" so it stays a JSON float in Python too. */
	if (!strpbrk(s, ".eEn"))
		strcat(s, ".0");
	return json_object_new_double_s(d, s);
}

static json_object *config_object(const sach_shard_options *o)
{
	json_object *c = json_object_new_object(), *splits = json_object_new_array();
	size_t i;

	json_object_object_add(c, "max_bytes", json_object_new_uint64(o->max_bytes));
	json_object_object_add(c, "max_bytes_counts", json_object_new_string("uncompressed jsonl"));
	json_object_object_add(c, "compression", json_object_new_string("zstd"));
	json_object_object_add(c, "level", json_object_new_int(o->level));
	for (i = 0; i < o->nsplits; i++) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "name", json_object_new_string(o->splits[i].name));
		json_object_object_add(s, "fraction", shortest_double(o->splits[i].fraction));
		json_object_array_add(splits, s);
	}
	json_object_object_add(c, "splits", splits);
	json_object_object_add(c, "split_hash",
			       json_object_new_string("xxh3_64(id, seed=0x73616368) >> 11"));
	if (o->shuffle) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "seed", json_object_new_uint64(o->shuffle_seed));
		json_object_object_add(s, "order", json_object_new_string("xxh3_64(id, seed), ordinal"));
		json_object_object_add(c, "shuffle", s);
	} else {
		json_object_object_add(c, "shuffle", NULL);
	}
	json_object_object_add(c, "syllables", json_object_new_string("letter-tokens"));
	if (o->pipeline_config) {
		json_object *pc = json_tokener_parse(o->pipeline_config);

		if (!pc) {
			json_object_put(c);
			return NULL;
		}
		json_object_object_add(c, "pipeline", pc);
	}
	return c;
}

/* Fills defaults the way the writer does, so a hash computed before a run
 * matches the manifest's. */
static void effective(const sach_shard_options *in, sach_shard_options *o,
		      sach_shard_split *one)
{
	*o = *in;
	if (!o->max_bytes)
		o->max_bytes = SACH_SHARD_DEFAULT_MAX_BYTES;
	if (!o->level)
		o->level = 3;
	if (!o->nsplits) {
		one->name = "train";
		one->fraction = 1.0;
		o->splits = one;
		o->nsplits = 1;
	}
}

static int config_json(const sach_shard_options *opts, json_object **obj, const char **text,
		       uint64_t *hash)
{
	sach_shard_options o;
	sach_shard_split one;

	effective(opts, &o, &one);
	*obj = config_object(&o);
	if (!*obj)
		return sach__error_nomem();
	*text = json_object_to_json_string_ext(*obj, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!*text) {
		json_object_put(*obj);
		return sach__error_nomem();
	}
	*hash = XXH3_64bits(*text, strlen(*text));
	return SACH_OK;
}

int sach_shard_config_hash(const sach_shard_options *opts, sach_buf *json, uint64_t *hash)
{
	json_object *obj;
	const char *text;
	int rc;

	if (!opts || opts->version != SACH_SHARD_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "shard options: unknown version");
	if ((rc = config_json(opts, &obj, &text, hash)) < 0)
		return rc;
	if (json)
		rc = sach_buf_puts(json, text);
	json_object_put(obj);
	return rc;
}

static json_object *totals_object(uint64_t shards, uint64_t docs, uint64_t bytes,
				  uint64_t comp, uint64_t syl)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "shards", json_object_new_uint64(shards));
	json_object_object_add(t, "documents", json_object_new_uint64(docs));
	json_object_object_add(t, "bytes", json_object_new_uint64(bytes));
	json_object_object_add(t, "compressed_bytes", json_object_new_uint64(comp));
	json_object_object_add(t, "syllables", json_object_new_uint64(syl));
	return t;
}

int sach__manifest_write(const sach_shard_writer *w)
{
	json_object *m = json_object_new_object(), *o, *cfg, *arr;
	sach_writer_options wo = SACH_WRITER_OPTIONS_INIT;
	sach_writer *out = NULL;
	const char *cfg_text, *text;
	uint64_t hash, ts = 0, td = 0, tb = 0, tc = 0, tsy = 0;
	char *path;
	size_t i;
	int rc;

	if (!m)
		return sach__error_nomem();
	if ((rc = config_json(&w->opts, &cfg, &cfg_text, &hash)) < 0) {
		json_object_put(m);
		return rc;
	}
	json_object_object_add(m, "format", json_object_new_string("sach-shards"));
	json_object_object_add(m, "format_version", json_object_new_int(1));
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(w->dataset_name));
	json_object_object_add(o, "version", json_object_new_string(w->dataset_version));
	json_object_object_add(m, "dataset", o);
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string("sach"));
	json_object_object_add(o, "version", json_object_new_string(sach_version_string()));
	json_object_object_add(o, "zstd", json_object_new_string(ZSTD_versionString()));
	json_object_object_add(m, "tool", o);
	if (w->opts.timestamp) {
		char when[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_object_add(m, "created", json_object_new_string(when));
	}
	json_object_object_add(m, "config", cfg);
	json_object_object_add(m, "config_hash", hex64(hash));

	arr = json_object_new_array();
	for (i = 0; i < w->ninputs; i++) {
		const sach__input *in = &w->inputs[i];
		o = json_object_new_object();
		json_object_object_add(o, "path", json_object_new_string(in->path));
		/* A pipe's size and checksum are unknown: null, not a made-up 0. */
		json_object_object_add(o, "bytes", in->has_xxh3 ? json_object_new_uint64(in->bytes) : NULL);
		json_object_object_add(o, "xxh3_64", in->has_xxh3 ? hex64(in->xxh3) : NULL);
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, "inputs", arr);

	arr = json_object_new_array();
	for (i = 0; i < w->nfiles; i++) {
		const sach__shard_file *f = &w->files[i];
		const sach__split_state *st = &w->splits[f->split];
		char name[128];

		sach__shard_file_name(name, sizeof(name), st->name, f->index, st->next_index);
		o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(name));
		json_object_object_add(o, "split", json_object_new_string(st->name));
		json_object_object_add(o, "documents", json_object_new_uint64(f->documents));
		json_object_object_add(o, "bytes", json_object_new_uint64(f->bytes));
		json_object_object_add(o, "compressed_bytes", json_object_new_uint64(f->compressed_bytes));
		json_object_object_add(o, "syllables", json_object_new_uint64(f->syllables));
		json_object_object_add(o, "xxh3_64", hex64(f->xxh3));
		json_object_array_add(arr, o);
	}
	json_object_object_add(m, "shards", arr);

	o = json_object_new_object();
	for (i = 0; i < w->nsplits; i++) {
		const sach__split_state *st = &w->splits[i];
		json_object_object_add(o, st->name,
				       totals_object(st->next_index, st->documents, st->bytes,
						     st->compressed_bytes, st->syllables));
		ts += st->next_index;
		td += st->documents;
		tb += st->bytes;
		tc += st->compressed_bytes;
		tsy += st->syllables;
	}
	json_object_object_add(m, "splits", o);
	json_object_object_add(m, "totals", totals_object(ts, td, tb, tc, tsy));

	text = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	path = malloc(strlen(w->dir) + sizeof(SACH_SHARD_MANIFEST) + 2);
	if (!text || !path) {
		rc = sach__error_nomem();
		goto out;
	}
	sprintf(path, "%s/%s", w->dir, SACH_SHARD_MANIFEST);
	if ((rc = sach_writer_open(&out, path, &wo)) < 0)
		goto out;
	if ((rc = sach_writer_write(out, text, strlen(text))) < 0 ||
	    (rc = sach_writer_write(out, "\n", 1)) < 0) {
		sach_writer_abort(out);
		goto out;
	}
	rc = sach_writer_commit(out);
out:
	free(path);
	json_object_put(m);
	return rc;
}

static void ignore_problem(void *ctx, const char *file, const char *problem)
{
	(void)ctx;
	(void)file;
	(void)problem;
}

int sach_shard_is_complete(const char *out_dir, const sach_shard_options *opts,
			   const sach_shard_input *inputs, size_t ninputs)
{
	json_object *m = NULL, *cfg, *v, *arr;
	const char *cfg_text;
	uint64_t hash, problems = 1;
	char *path, want[17];
	size_t i;
	int rc, complete = 0;

	path = malloc(strlen(out_dir) + sizeof(SACH_SHARD_MANIFEST) + 2);
	if (!path)
		return sach__error_nomem();
	sprintf(path, "%s/%s", out_dir, SACH_SHARD_MANIFEST);
	if ((rc = config_json(opts, &cfg, &cfg_text, &hash)) < 0) {
		free(path);
		return rc;
	}
	json_object_put(cfg);
	m = json_object_from_file(path);
	if (!m || !json_object_object_get_ex(m, "config_hash", &v))
		goto out;
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)hash);
	if (strcmp(json_object_get_string(v), want) != 0)
		goto out;
	if (!json_object_object_get_ex(m, "inputs", &arr) || !json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) != ninputs)
		goto out;
	for (i = 0; i < ninputs; i++) {
		json_object *in = json_object_array_get_idx(arr, i), *p, *b, *x;
		if (!inputs[i].has_xxh3 || !json_object_object_get_ex(in, "path", &p) ||
		    !json_object_object_get_ex(in, "bytes", &b) ||
		    !json_object_object_get_ex(in, "xxh3_64", &x) || !json_object_is_type(x, json_type_string))
			goto out;
		snprintf(want, sizeof(want), "%016llx", (unsigned long long)inputs[i].xxh3);
		if (strcmp(json_object_get_string(p), inputs[i].path) != 0 ||
		    json_object_get_uint64(b) != inputs[i].bytes ||
		    strcmp(json_object_get_string(x), want) != 0)
			goto out;
	}
	rc = sach_shard_verify(path, ignore_problem, NULL, &problems, NULL);
	if (rc == SACH_ENOMEM) {
		complete = rc;
		goto out;
	}
	complete = rc == SACH_OK && problems == 0;
out:
	json_object_put(m);
	free(path);
	return complete;
}
