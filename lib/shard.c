/*
 * shard.c - the shard writer: documents in, size-capped .jsonl.zst shards
 * per split out, then the final names and the manifest (sach/shard.h).
 *
 * Without a shuffle every document goes straight to its split's open
 * shard; with one it goes through the external sort (shard_sort.c) first
 * and reaches the shards in sort order at finish time. Shards are written
 * with sach_writer into DIR/.sach-shard.tmp/ under staging names
 * (SPLIT-00000.jsonl.zst) and renamed to their final names only when the
 * whole run succeeded.
 */
#define _POSIX_C_SOURCE 200809L
#include "shard_internal.h"
#include "error_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

void sach__shard_file_name(char *buf, size_t size, const char *split, uint64_t index,
			   uint64_t total)
{
	if (total)
		snprintf(buf, size, "%s-%05llu-of-%05llu.jsonl.zst", split,
			 (unsigned long long)index, (unsigned long long)total);
	else
		snprintf(buf, size, "%s-%05llu.jsonl.zst", split, (unsigned long long)index);
}

static const char *digits(const char *p, size_t min)
{
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n >= min ? p + n : NULL;
}

bool sach__shard_name_looks_final(const char *name)
{
	const char *p = name;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '_')
		p++;
	if (p == name || *p++ != '-' || !(p = digits(p, 5)) || strncmp(p, "-of-", 4) != 0 ||
	    !(p = digits(p + 4, 5)))
		return false;
	return strcmp(p, ".jsonl.zst") == 0;
}

void sach__shard_rm_tmp(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char sub[4096];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < sizeof(sub))
			unlink(sub);
	}
	closedir(d);
	rmdir(path);
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* What an existing output directory holds. */
struct dir_state {
	bool empty;
	bool manifest;
};

static int scan_dir(const char *dir, struct dir_state *st)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	st->empty = true;
	st->manifest = false;
	if (!d)
		return sach__error_set(SACH_EIO, "%s: cannot open directory: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		st->empty = false;
		if (strcmp(e->d_name, SACH_SHARD_MANIFEST) == 0)
			st->manifest = true;
	}
	closedir(d);
	return SACH_OK;
}

static int check_options(const sach_shard_options *o)
{
	size_t i, k;
	double sum = 0;

	if (!o || o->version != SACH_SHARD_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "shard options: unknown version");
	if (o->level < 0 || o->level > 19)
		return sach__error_set(SACH_EINVAL, "zstd level %d out of range 1-19", o->level);
	if (o->nsplits > SACH_SHARD_MAX_SPLITS)
		return sach__error_set(SACH_EINVAL, "at most %d splits", SACH_SHARD_MAX_SPLITS);
	for (i = 0; i < o->nsplits; i++) {
		const char *n = o->splits[i].name;
		/* The names sach_shard_parse_splits() accepts: file names stay
		 * unambiguous (no '-') and --verify recognises them. */
		if (!n || !*n || strlen(n) > 64 || n[strspn(n, "abcdefghijklmnopqrstuvwxyz"
							 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] ||
		    !(o->splits[i].fraction > 0))
			return sach__error_set(SACH_EINVAL, "split %zu: bad name or fraction", i);
		for (k = 0; k < i; k++)
			if (strcmp(o->splits[k].name, n) == 0)
				return sach__error_set(SACH_EINVAL, "split '%s' given twice", n);
		sum += o->splits[i].fraction;
	}
	if (o->nsplits && (sum < 1 - 1e-9 || sum > 1 + 1e-9))
		return sach__error_set(SACH_EINVAL, "split fractions add up to %.17g, not 1", sum);
	return SACH_OK;
}

int sach_shard_writer_open(sach_shard_writer **out, const char *out_dir,
			   const sach_shard_options *opts)
{
	sach_shard_writer *w;
	struct dir_state st;
	struct stat sb;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = check_options(opts)) < 0)
		return rc;
	if (!out_dir || !*out_dir)
		return sach__error_set(SACH_EINVAL, "no output directory");
	if (mkdir(out_dir, 0777) < 0 && errno != EEXIST)
		return sach__error_set(SACH_EIO, "%s: cannot create directory: %s", out_dir,
				       strerror(errno));
	if (stat(out_dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return sach__error_set(SACH_EINVAL, "%s: not a directory", out_dir);
	if ((rc = scan_dir(out_dir, &st)) < 0)
		return rc;
	if (!st.empty && opts->existing == SACH_SHARD_REFUSE)
		return sach__error_set(SACH_EINVAL, "%s: output directory is not empty", out_dir);
	if (st.manifest && opts->existing == SACH_SHARD_RESUME)
		return sach__error_set(SACH_EINVAL,
				       "%s: holds a finished run with another config or input", out_dir);

	w = calloc(1, sizeof(*w));
	if (!w)
		return sach__error_nomem();
	w->opts = *opts;
	w->opts.splits = NULL;
	if (!w->opts.max_bytes)
		w->opts.max_bytes = SACH_SHARD_DEFAULT_MAX_BYTES;
	if (!w->opts.level)
		w->opts.level = 3;
	if (!w->opts.shuffle_memory)
		w->opts.shuffle_memory = SACH_SHARD_DEFAULT_SHUFFLE_MEMORY;
	w->dir = strdup(out_dir);
	w->tmp_dir = path_join(out_dir, SACH__SHARD_TMP);
	if (opts->dataset_name) {
		w->dataset_name = strdup(opts->dataset_name);
	} else {
		char *copy = strdup(out_dir);
		w->dataset_name = copy ? strdup(basename(copy)) : NULL;
		free(copy);
	}
	w->dataset_version = strdup(opts->dataset_version ? opts->dataset_version : "0");
	if (opts->pipeline_config && !(w->pipeline_config = strdup(opts->pipeline_config))) {
		sach_shard_writer_free(w);
		return sach__error_nomem();
	}
	if (!w->dir || !w->tmp_dir || !w->dataset_name || !w->dataset_version) {
		sach_shard_writer_free(w);
		return sach__error_nomem();
	}
	w->opts.dataset_name = w->dataset_name;
	w->opts.dataset_version = w->dataset_version;
	w->opts.pipeline_config = w->pipeline_config;
	if (opts->nsplits == 0) {
		w->nsplits = 1;
		strcpy(w->splits[0].name, "train");
		w->splits[0].fraction = 1.0;
	} else {
		w->nsplits = opts->nsplits;
		for (i = 0; i < opts->nsplits; i++) {
			snprintf(w->splits[i].name, sizeof(w->splits[i].name), "%s", opts->splits[i].name);
			w->splits[i].fraction = opts->splits[i].fraction;
		}
	}
	for (i = 0; i < w->nsplits; i++) {
		w->split_defs[i].name = w->splits[i].name;
		w->split_defs[i].fraction = w->splits[i].fraction;
	}
	w->opts.splits = w->split_defs;
	w->opts.nsplits = w->nsplits;

	/* Leftovers of an interrupted run are not worth keeping: a shard pass
	 * is one sequential pass, so it starts again. */
	sach__shard_rm_tmp(w->tmp_dir);
	if (mkdir(w->tmp_dir, 0777) < 0) {
		rc = sach__error_set(SACH_EIO, "%s: cannot create directory: %s", w->tmp_dir,
				     strerror(errno));
		free(w->tmp_dir);
		w->tmp_dir = NULL; /* not ours to remove */
		sach_shard_writer_free(w);
		return rc;
	}
	if (w->opts.shuffle &&
	    (rc = sach__sorter_new(&w->sorter, w->tmp_dir, w->opts.shuffle_memory)) < 0) {
		sach_shard_writer_free(w);
		return rc;
	}
	*out = w;
	return SACH_OK;
}

int sach_shard_writer_add_input(sach_shard_writer *w, const sach_shard_input *in)
{
	sach__input *v;

	if (w->ninputs == w->inputs_cap) {
		size_t cap = w->inputs_cap ? w->inputs_cap * 2 : 8;
		v = realloc(w->inputs, cap * sizeof(*v));
		if (!v)
			return sach__error_nomem();
		w->inputs = v;
		w->inputs_cap = cap;
	}
	v = &w->inputs[w->ninputs];
	v->path = strdup(in->path ? in->path : "<stdin>");
	if (!v->path)
		return sach__error_nomem();
	v->bytes = in->bytes;
	v->xxh3 = in->xxh3;
	v->has_xxh3 = in->has_xxh3;
	w->ninputs++;
	return SACH_OK;
}

/* Commits the open shard of a split and records it. */
static int close_shard(sach_shard_writer *w, sach__split_state *st)
{
	char name[128];
	char *path;
	sach__shard_file *f;
	uint64_t size = 0, sum = 0;
	bool has = false;
	int rc;

	rc = sach_writer_commit(st->cur);
	st->cur = NULL;
	if (rc < 0)
		return rc;
	sach__shard_file_name(name, sizeof(name), st->name, st->next_index, 0);
	if (!(path = path_join(w->tmp_dir, name)))
		return sach__error_nomem();
	rc = sach_shard_hash_file(path, &size, &sum, &has);
	free(path);
	if (rc < 0)
		return rc;
	if (w->nfiles == w->files_cap) {
		size_t cap = w->files_cap ? w->files_cap * 2 : 16;
		sach__shard_file *v = realloc(w->files, cap * sizeof(*v));
		if (!v)
			return sach__error_nomem();
		w->files = v;
		w->files_cap = cap;
	}
	f = &w->files[w->nfiles++];
	f->split = (uint32_t)(st - w->splits);
	f->index = st->next_index++;
	f->documents = st->cur_docs;
	f->bytes = st->cur_bytes;
	f->syllables = st->cur_syllables;
	f->compressed_bytes = size;
	f->xxh3 = sum;
	st->compressed_bytes += size;
	st->cur_docs = st->cur_bytes = st->cur_syllables = 0;
	return SACH_OK;
}

static int open_shard(sach_shard_writer *w, sach__split_state *st)
{
	sach_writer_options o = SACH_WRITER_OPTIONS_INIT;
	char name[128];
	char *path;
	int rc;

	o.compression = SACH_COMPRESS_ZSTD;
	o.level = w->opts.level;
	o.threads = w->opts.threads;
	/* fsync()ed together before the manifest (sync_staged()), not each
	 * as it fills: a full shard's fsync() held up the next one (0.13 s on
	 * viwiki x3, every run's last step). Its pages go to the disk while it
	 * is written, so little is left to wait for at the end. */
	o.sync = false;
	o.writeback = true;
	sach__shard_file_name(name, sizeof(name), st->name, st->next_index, 0);
	if (!(path = path_join(w->tmp_dir, name)))
		return sach__error_nomem();
	rc = sach_writer_open(&st->cur, path, &o);
	free(path);
	return rc;
}

/* Writes one record into its split's shards, opening a new shard when the
 * record would take the open one over the cap. */
static int emit(void *ctx, const sach__shard_rec *r)
{
	sach_shard_writer *w = ctx;
	sach__split_state *st = &w->splits[r->split];
	int rc;

	if (st->cur && st->cur_docs && st->cur_bytes + r->len > w->opts.max_bytes &&
	    (rc = close_shard(w, st)) < 0)
		return rc;
	if (!st->cur && (rc = open_shard(w, st)) < 0)
		return rc;
	if ((rc = sach_writer_write(st->cur, r->line, r->len)) < 0)
		return rc;
	st->cur_docs++;
	st->cur_bytes += r->len;
	st->cur_syllables += r->syllables;
	return SACH_OK;
}

/* `line` ends with "\n" here. */
static int add_rec(sach_shard_writer *w, const char *id, size_t id_len, const char *line,
		   size_t len, uint64_t syllables)
{
	sach__shard_rec r;
	sach__split_state *st;

	if (w->finished)
		return sach__error_set(SACH_EINVAL, "shard writer already finished");
	r.split = (uint32_t)sach_shard_split_of(w->split_defs, w->nsplits, id, id_len);
	r.key = w->opts.shuffle ? XXH3_64bits_withSeed(id, id_len, w->opts.shuffle_seed) : 0;
	r.ordinal = w->ordinal++;
	r.syllables = syllables;
	r.line = line;
	r.len = len;
	st = &w->splits[r.split];
	st->documents++;
	st->bytes += len;
	st->syllables += syllables;
	if (w->sorter)
		return sach__sorter_add(w->sorter, &r);
	return emit(w, &r);
}

int sach_shard_writer_add(sach_shard_writer *w, const sach_doc *doc)
{
	const char *id = sach_doc_id(doc), *text;
	size_t len;
	int rc;

	sach_buf_clear(&w->line);
	if ((rc = sach_doc_write_jsonl(doc, &w->line)) < 0)
		return rc;
	text = sach_doc_text(doc, &len);
	return add_rec(w, id, strlen(id), w->line.ptr, w->line.len,
		       sach_shard_count_syllables(text, len));
}

int sach_shard_writer_add_line(sach_shard_writer *w, const char *id, size_t id_len,
			       const char *line, size_t len, uint64_t syllables)
{
	const char *nl = memchr(line, '\n', len);
	int rc;

	if (nl && nl != line + len - 1)
		return sach__error_set(SACH_EINVAL, "a shard line holds a newline");
	if (nl)
		return add_rec(w, id, id_len, line, len, syllables);
	sach_buf_clear(&w->line);
	if ((rc = sach_buf_append(&w->line, line, len)) < 0 ||
	    (rc = sach_buf_append(&w->line, "\n", 1)) < 0)
		return rc;
	return add_rec(w, id, id_len, w->line.ptr, w->line.len, syllables);
}

/* Removes what an earlier run left under final names: the manifest first,
 * so no manifest ever names a file that is gone. */
static int remove_earlier(sach_shard_writer *w)
{
	DIR *d;
	struct dirent *e;
	char *p = path_join(w->dir, SACH_SHARD_MANIFEST);

	if (!p)
		return sach__error_nomem();
	if (unlink(p) < 0 && errno != ENOENT) {
		int rc = sach__error_set(SACH_EIO, "%s: cannot remove: %s", p, strerror(errno));
		free(p);
		return rc;
	}
	free(p);
	if (!(d = opendir(w->dir)))
		return sach__error_set(SACH_EIO, "%s: cannot open directory: %s", w->dir,
				       strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!sach__shard_name_looks_final(e->d_name))
			continue;
		if (!(p = path_join(w->dir, e->d_name))) {
			closedir(d);
			return sach__error_nomem();
		}
		if (unlink(p) < 0 && errno != ENOENT) {
			int rc = sach__error_set(SACH_EIO, "%s: cannot remove: %s", p, strerror(errno));
			free(p);
			closedir(d);
			return rc;
		}
		free(p);
	}
	closedir(d);
	return SACH_OK;
}

/* fsync()s every shard in the staging directory: all on disk before any is
 * renamed into place and the manifest names them. */
static int sync_staged(sach_shard_writer *w)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++) {
		const sach__shard_file *f = &w->files[i];
		char name[128];
		char *path;
		int fd, rc = SACH_OK;

		sach__shard_file_name(name, sizeof(name), w->splits[f->split].name, f->index, 0);
		if (!(path = path_join(w->tmp_dir, name)))
			return sach__error_nomem();
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL))
			rc = sach__error_set(SACH_EIO, "%s: cannot sync: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		if (rc < 0)
			return rc;
	}
	return SACH_OK;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int sach_shard_writer_finish(sach_shard_writer *w)
{
	size_t i;
	int rc;

	if (w->finished)
		return sach__error_set(SACH_EINVAL, "shard writer already finished");
	if (w->sorter) {
		rc = sach__sorter_drain(w->sorter, emit, w);
		sach__sorter_free(w->sorter);
		w->sorter = NULL;
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < w->nsplits; i++)
		if (w->splits[i].cur && (rc = close_shard(w, &w->splits[i])) < 0)
			return rc;
	if ((rc = sync_staged(w)) < 0 || (rc = remove_earlier(w)) < 0)
		return rc;
	for (i = 0; i < w->nfiles; i++) {
		const sach__shard_file *f = &w->files[i];
		const sach__split_state *st = &w->splits[f->split];
		char from[128], to[128];
		char *a, *b;

		sach__shard_file_name(from, sizeof(from), st->name, f->index, 0);
		sach__shard_file_name(to, sizeof(to), st->name, f->index, st->next_index);
		a = path_join(w->tmp_dir, from);
		b = path_join(w->dir, to);
		if (!a || !b) {
			free(a);
			free(b);
			return sach__error_nomem();
		}
		if (rename(a, b) < 0) {
			rc = sach__error_set(SACH_EIO, "%s: cannot rename into place: %s", b,
					     strerror(errno));
			free(a);
			free(b);
			return rc;
		}
		free(a);
		free(b);
	}
	sync_dir(w->dir);
	if ((rc = sach__manifest_write(w)) < 0)
		return rc;
	sach__shard_rm_tmp(w->tmp_dir);
	w->finished = true;
	return SACH_OK;
}

size_t sach_shard_writer_nsplits(const sach_shard_writer *w)
{
	return w->nsplits;
}

void sach_shard_writer_totals(const sach_shard_writer *w, size_t i, sach_shard_totals *t)
{
	const sach__split_state *st = &w->splits[i];

	t->name = st->name;
	t->shards = st->next_index;
	t->documents = st->documents;
	t->bytes = st->bytes;
	t->compressed_bytes = st->compressed_bytes;
	t->syllables = st->syllables;
}

void sach_shard_writer_free(sach_shard_writer *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->nsplits; i++)
		sach_writer_abort(w->splits[i].cur);
	sach__sorter_free(w->sorter);
	if (w->tmp_dir && !w->finished)
		sach__shard_rm_tmp(w->tmp_dir);
	for (i = 0; i < w->ninputs; i++)
		free(w->inputs[i].path);
	free(w->inputs);
	free(w->files);
	sach_buf_free(&w->line);
	free(w->dataset_name);
	free(w->dataset_version);
	free(w->pipeline_config);
	free(w->tmp_dir);
	free(w->dir);
	free(w);
}
