/*
 * manifest_verify.c - sach_shard_verify(): re-checks the shards a
 * manifest lists against the files beside it.
 *
 * Each shard is read once: XXH3-64 over its bytes and zstd decompression
 * side by side, counting uncompressed bytes and lines. Every problem is
 * reported (not only the first), so one run names all the damage.
 */
#define _POSIX_C_SOURCE 200809L
#include "shard_internal.h"
#include "error_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

struct verify {
	sach_shard_verify_cb cb;
	void *ctx;
	uint64_t problems;
};

static void problem(struct verify *v, const char *file, const char *fmt, ...)
	SACH_PRINTF(3, 4);

static void problem(struct verify *v, const char *file, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->problems++;
	v->cb(v->ctx, file, msg);
}

struct content {
	uint64_t size, xxh3, bytes, lines;
	bool ends_nl;
	const char *error;      /* static text, or NULL */
};

/* Reads a shard: its size and checksum, and what decompresses from it. */
static int read_shard(const char *path, struct content *c, char *errbuf, size_t errsize)
{
	size_t in_cap = ZSTD_DStreamInSize(), out_cap = ZSTD_DStreamOutSize(), left = 0;
	char *in = malloc(in_cap), *outb = malloc(out_cap);
	XXH3_state_t *st = XXH3_createState();
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	int fd = -1, rc = SACH_OK;
	bool any = false;

	memset(c, 0, sizeof(*c));
	if (!in || !outb || !st || !dc) {
		rc = sach__error_nomem();
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = sach__error_set(SACH_EIO, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	XXH3_64bits_reset(st);
	for (;;) {
		ssize_t n = read(fd, in, in_cap);
		ZSTD_inBuffer ib;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sach__error_set(SACH_EIO, "%s: read error: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		any = true;
		XXH3_64bits_update(st, in, (size_t)n);
		c->size += (uint64_t)n;
		if (c->error)
			continue; /* keep hashing; the content is already known bad */
		ib.src = in;
		ib.size = (size_t)n;
		ib.pos = 0;
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { outb, out_cap, 0 };
			const char *p;

			left = ZSTD_decompressStream(dc, &ob, &ib);
			if (ZSTD_isError(left)) {
				snprintf(errbuf, errsize, "does not decompress: %s", ZSTD_getErrorName(left));
				c->error = errbuf;
				break;
			}
			c->bytes += ob.pos;
			for (p = outb; (p = memchr(p, '\n', ob.pos - (size_t)(p - outb))) != NULL; p++)
				c->lines++;
			if (ob.pos)
				c->ends_nl = outb[ob.pos - 1] == '\n';
		}
	}
	if (!c->error && (!any || left != 0)) {
		snprintf(errbuf, errsize, "%s", any ? "zstd stream is truncated" : "file is empty");
		c->error = errbuf;
	}
	c->xxh3 = XXH3_64bits_digest(st);
out:
	if (fd >= 0)
		close(fd);
	free(in);
	free(outb);
	XXH3_freeState(st);
	ZSTD_freeDCtx(dc);
	return rc;
}

static bool get_u64(json_object *o, const char *key, uint64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

struct split_sum {
	const char *name;
	uint64_t shards, documents, bytes, compressed_bytes, syllables;
};

static void check_totals(struct verify *v, const char *mpath, const char *what, json_object *t,
			 const struct split_sum *s)
{
	static const char *const keys[] = { "shards", "documents", "bytes", "compressed_bytes",
					    "syllables" };
	uint64_t got[5] = { s->shards, s->documents, s->bytes, s->compressed_bytes, s->syllables };
	size_t k;

	for (k = 0; k < 5; k++) {
		uint64_t want;
		if (!get_u64(t, keys[k], &want))
			problem(v, mpath, "%s: no \"%s\"", what, keys[k]);
		else if (want != got[k])
			problem(v, mpath, "%s: \"%s\" is %llu but its shards add up to %llu", what,
				keys[k], (unsigned long long)want, (unsigned long long)got[k]);
	}
}

/* Checks one listed shard; adds it to its split's sums. */
static int check_shard(struct verify *v, const char *dir, json_object *s, size_t idx,
		       struct split_sum *sums, size_t nsums)
{
	const char *file = get_str(s, "file"), *split = get_str(s, "split"), *sum_hex;
	uint64_t docs, bytes, comp, syl, index, total;
	char *path, errbuf[256], label[64], want[17], expect[160];
	struct content c;
	struct stat sb;
	size_t k;
	int rc;

	snprintf(label, sizeof(label), "shards[%zu]", idx);
	sum_hex = get_str(s, "xxh3_64");
	if (!file || !split || !sum_hex || !get_u64(s, "documents", &docs) ||
	    !get_u64(s, "bytes", &bytes) || !get_u64(s, "compressed_bytes", &comp) ||
	    !get_u64(s, "syllables", &syl)) {
		problem(v, file ? file : label, "manifest entry lacks a field");
		return SACH_OK;
	}
	/* A manifest only names files beside it. */
	if (strchr(file, '/') || file[0] == '.' || !sach__shard_name_looks_final(file)) {
		problem(v, file, "not a shard file name");
		return SACH_OK;
	}
	for (k = 0; k < nsums && strcmp(sums[k].name, split) != 0; k++)
		;
	if (k == nsums) {
		problem(v, file, "split '%s' is not in \"splits\"", split);
		return SACH_OK;
	}
	index = sums[k].shards;
	sums[k].shards++;
	sums[k].documents += docs;
	sums[k].bytes += bytes;
	sums[k].compressed_bytes += comp;
	sums[k].syllables += syl;
	/* The name must be this split's next shard; the total is checked with
	 * the split's count after all shards are seen. */
	if (strncmp(file, split, strlen(split)) != 0 ||
	    sscanf(file + strlen(split), "-%llu-of-%llu", (unsigned long long *)&index,
		   (unsigned long long *)&total) != 2 ||
	    index != sums[k].shards - 1) {
		snprintf(expect, sizeof(expect), "%s-%05llu-of-...", split,
			 (unsigned long long)(sums[k].shards - 1));
		problem(v, file, "name out of order (expected %s)", expect);
	}
	if (!(path = malloc(strlen(dir) + strlen(file) + 2)))
		return sach__error_nomem();
	sprintf(path, "%s/%s", dir, file);
	if (stat(path, &sb) < 0) {
		problem(v, file, "missing");
		free(path);
		return SACH_OK;
	}
	rc = read_shard(path, &c, errbuf, sizeof(errbuf));
	free(path);
	if (rc == SACH_ENOMEM)
		return rc;
	if (rc < 0) {
		problem(v, file, "%s", sach_error_last());
		return SACH_OK;
	}
	if (c.size != comp)
		problem(v, file, "size %llu bytes, manifest says %llu", (unsigned long long)c.size,
			(unsigned long long)comp);
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)c.xxh3);
	if (strcmp(want, sum_hex) != 0)
		problem(v, file, "checksum %s, manifest says %s", want, sum_hex);
	if (c.error) {
		problem(v, file, "%s", c.error);
		return SACH_OK;
	}
	if (c.bytes != bytes)
		problem(v, file, "%llu uncompressed bytes, manifest says %llu",
			(unsigned long long)c.bytes, (unsigned long long)bytes);
	if (c.lines != docs)
		problem(v, file, "%llu documents, manifest says %llu", (unsigned long long)c.lines,
			(unsigned long long)docs);
	if (c.bytes && !c.ends_nl)
		problem(v, file, "last line has no newline");
	return SACH_OK;
}

/* Files beside the manifest that look like shards but are not listed. */
static void check_extra(struct verify *v, const char *dir, json_object *shards)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t i, n = json_object_array_length(shards);

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		bool listed = false;

		if (!sach__shard_name_looks_final(e->d_name))
			continue;
		for (i = 0; i < n && !listed; i++) {
			const char *f = get_str(json_object_array_get_idx(shards, i), "file");
			listed = f && strcmp(f, e->d_name) == 0;
		}
		if (!listed)
			problem(v, e->d_name, "not listed in the manifest");
	}
	closedir(d);
}

int sach_shard_verify(const char *manifest_path, sach_shard_verify_cb cb, void *ctx,
		      uint64_t *problems, uint64_t *nshards)
{
	struct verify v = { cb, ctx, 0 };
	struct split_sum sums[SACH_SHARD_MAX_SPLITS], all;
	json_object *m = NULL, *shards, *splits, *totals;
	json_tokener *tok = NULL;
	char *text = NULL, *copy = NULL, *dir;
	size_t len = 0, cap = 0, i, nsums = 0;
	int fd, rc = SACH_OK;

	*problems = 0;
	if (nshards)
		*nshards = 0;
	fd = open(manifest_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sach__error_set(SACH_EIO, "%s: cannot open: %s", manifest_path, strerror(errno));
	for (;;) {
		ssize_t n;

		if (cap - len < 65536) {
			char *t = realloc(text, cap = cap ? cap * 2 : 131072);
			if (!t) {
				close(fd);
				free(text);
				return sach__error_nomem();
			}
			text = t;
		}
		n = read(fd, text + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sach__error_set(SACH_EIO, "%s: read error: %s", manifest_path, strerror(errno));
			close(fd);
			free(text);
			return rc;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	tok = json_tokener_new();
	if (!tok) {
		free(text);
		return sach__error_nomem();
	}
	m = json_tokener_parse_ex(tok, text, (int)len);
	if (!m || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(m, json_type_object)) {
		rc = sach__error_set(SACH_EJSON, "%s: not a JSON object", manifest_path);
		goto out;
	}
	if (!json_object_object_get_ex(m, "shards", &shards) ||
	    !json_object_is_type(shards, json_type_array) ||
	    !json_object_object_get_ex(m, "splits", &splits) ||
	    !json_object_is_type(splits, json_type_object) ||
	    !json_object_object_get_ex(m, "totals", &totals) ||
	    !json_object_is_type(totals, json_type_object)) {
		rc = sach__error_set(SACH_EJSON, "%s: not a sach shard manifest (no shards, splits "
					       "or totals)", manifest_path);
		goto out;
	}
	copy = strdup(manifest_path);
	if (!copy) {
		rc = sach__error_nomem();
		goto out;
	}
	dir = dirname(copy);
	memset(sums, 0, sizeof(sums));
	{
		json_object_object_foreach(splits, key, val) {
			(void)val;
			if (nsums == SACH_SHARD_MAX_SPLITS) {
				rc = sach__error_set(SACH_EJSON, "%s: too many splits", manifest_path);
				goto out;
			}
			sums[nsums++].name = key;
		}
	}
	for (i = 0; i < json_object_array_length(shards); i++) {
		json_object *s = json_object_array_get_idx(shards, i);
		if (!json_object_is_type(s, json_type_object)) {
			problem(&v, manifest_path, "shards[%zu] is not an object", i);
			continue;
		}
		if ((rc = check_shard(&v, dir, s, i, sums, nsums)) < 0)
			goto out;
	}
	memset(&all, 0, sizeof(all));
	for (i = 0; i < nsums; i++) {
		json_object *t;
		char what[96];

		json_object_object_get_ex(splits, sums[i].name, &t);
		snprintf(what, sizeof(what), "splits.%s", sums[i].name);
		check_totals(&v, manifest_path, what, t, &sums[i]);
		all.shards += sums[i].shards;
		all.documents += sums[i].documents;
		all.bytes += sums[i].bytes;
		all.compressed_bytes += sums[i].compressed_bytes;
		all.syllables += sums[i].syllables;
	}
	check_totals(&v, manifest_path, "totals", totals, &all);
	/* Every name says "-of-TOTAL": TOTAL must be the split's shard count. */
	for (i = 0; i < json_object_array_length(shards); i++) {
		const char *f = get_str(json_object_array_get_idx(shards, i), "file");
		const char *sp = get_str(json_object_array_get_idx(shards, i), "split");
		const char *of = f ? strstr(f, "-of-") : NULL;
		size_t k;

		if (!of || !sp)
			continue;
		for (k = 0; k < nsums && strcmp(sums[k].name, sp) != 0; k++)
			;
		if (k < nsums && strtoull(of + 4, NULL, 10) != sums[k].shards)
			problem(&v, f, "name says %llu shards, split '%s' has %llu",
				strtoull(of + 4, NULL, 10), sp, (unsigned long long)sums[k].shards);
	}
	check_extra(&v, dir, shards);
	if (nshards)
		*nshards = json_object_array_length(shards);
	*problems = v.problems;
out:
	free(copy);
	json_object_put(m);
	json_tokener_free(tok);
	free(text);
	return rc;
}
