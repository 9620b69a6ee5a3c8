/*
 * pipeline.c - a pipeline config read and checked, the output directory
 * prepared (fresh, resumed, or refused), and the phases run in order:
 * per-document stages over parts (pipeline_parts.c), global stages, and
 * the final assembly of the output directory (pipeline_output.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "error_internal.h"
#include "pipeline_global.h"
#include "pipeline_output.h"

#define WORK_DIR_NAME ".sach-work"
/* A finished run's state file, kept so the same command again is a no-op. */
#define STATE_NAME ".sach-state"
#define DEFAULT_PART_SIZE ((uint64_t)16 << 20)
#define MAX_WORKERS 256

static FILE *log_file;  /* the run's run.log while it runs (one run per process) */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void sach__pl_log(sach_pipeline *p, const char *fmt, ...)
{
	char line[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&log_lock);
	if (log_file) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(log_file, "%s %s\n", stamp, line);
		fflush(log_file);
	}
	if (p->opts.log)
		p->opts.log(p->opts.log_user, line);
	pthread_mutex_unlock(&log_lock);
}

void sach__pl_fail(sach_pipeline *p, int code, const char *message)
{
	pthread_mutex_lock(&p->lock);
	if (!p->failed) {
		p->failed = true;
		p->fail_code = code < 0 ? code : SACH_ERROR;
		snprintf(p->fail_message, sizeof(p->fail_message), "%s", message);
	}
	pthread_mutex_unlock(&p->lock);
}

bool sach__pl_failed(sach_pipeline *p)
{
	bool f;

	pthread_mutex_lock(&p->lock);
	f = p->failed;
	pthread_mutex_unlock(&p->lock);
	return f;
}

/* ---- config ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_input(sach_pipeline *p, const char *path, const sach_reader_options *ro)
{
	pl_input *in = realloc(p->inputs, (p->ninputs + 1) * sizeof(*in));

	if (!in)
		return sach__error_nomem();
	p->inputs = in;
	in[p->ninputs].path = strdup(path);
	if (!in[p->ninputs].path)
		return sach__error_nomem();
	in[p->ninputs].ro = *ro;
	p->ninputs++;
	return SACH_OK;
}

/* One entry of `inputs`: a path or glob, or a mapping with its reading options. */
static int parse_input(sach_pipeline *p, const sach_config_node *n)
{
	static const char *const keys[] = { "path", "format", "text_field", "id_field",
					    "doc_sep", "max_record_bytes", NULL };
	static const char *const formats[] = { "jsonl", "text", NULL };
	static const char *const seps[] = { "line", "blank", NULL };
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	const sach_config_node *v, *pathn = n;
	const char *pattern;
	glob_t g;
	size_t i;
	int rc, e;

	if (sach_config_node_kind(n) == SACH_CONFIG_MAP) {
		if ((rc = sach_config_check_keys(p->cfg, n, "inputs", keys)) < 0)
			return rc;
		pathn = sach_config_map_get(n, "path");
		if (!pathn)
			return sach_config_error(p->cfg, n, "inputs: an input needs a path");
		if ((v = sach_config_map_get(n, "format")) != NULL) {
			if ((rc = sach_config_as_enum(p->cfg, v, "format", formats, &e)) < 0)
				return rc;
			ro.format = e ? SACH_FORMAT_TEXT : SACH_FORMAT_JSONL;
		}
		if ((v = sach_config_map_get(n, "doc_sep")) != NULL) {
			if ((rc = sach_config_as_enum(p->cfg, v, "doc_sep", seps, &e)) < 0)
				return rc;
			ro.doc_sep = e ? SACH_DOC_SEP_BLANK : SACH_DOC_SEP_LINE;
		}
		if ((v = sach_config_map_get(n, "text_field")) != NULL &&
		    (rc = sach_config_as_string(p->cfg, v, "text_field", &ro.text_field)) < 0)
			return rc;
		if ((v = sach_config_map_get(n, "id_field")) != NULL &&
		    (rc = sach_config_as_string(p->cfg, v, "id_field", &ro.id_field)) < 0)
			return rc;
		if ((v = sach_config_map_get(n, "max_record_bytes")) != NULL) {
			uint64_t sz;

			if ((rc = sach_config_as_size(p->cfg, v, "max_record_bytes", &sz)) < 0)
				return rc;
			if (sz < 1024 || sz > ((uint64_t)1 << 30))
				return sach_config_error(p->cfg, v,
							 "max_record_bytes: must be between 1K and 1G");
			ro.max_record_bytes = (size_t)sz;
		}
	}
	if ((rc = sach_config_as_string(p->cfg, pathn, "path", &pattern)) < 0)
		return rc;
	if (pattern[0] == '\0')
		return sach_config_error(p->cfg, pathn, "path: empty");
	/* GLOB_NOSORT and our own byte-order sort: glob's order follows the
	 * locale, and the input order decides which duplicate is kept. */
	rc = glob(pattern, GLOB_NOSORT | GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH)
		return sach__error_set(SACH_ENOTFOUND, "%s:%zu:%zu: path: nothing matches '%s'",
				       sach_config_name(p->cfg), sach_config_node_line(pathn),
				       sach_config_node_column(pathn), pattern);
	if (rc != 0)
		return sach__error_set(rc == GLOB_NOSPACE ? SACH_ENOMEM : SACH_EIO,
				       "%s:%zu:%zu: path: cannot expand '%s'",
				       sach_config_name(p->cfg), sach_config_node_line(pathn),
				       sach_config_node_column(pathn), pattern);
	qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
	for (i = 0; i < g.gl_pathc; i++) {
		struct stat st;

		if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = sach_config_error(p->cfg, pathn, "path: '%s' is a directory",
					       g.gl_pathv[i]);
			break;
		}
		if ((rc = add_input(p, g.gl_pathv[i], &ro)) < 0)
			break;
	}
	globfree(&g);
	return rc;
}

static int parse_stages(sach_pipeline *p, const sach_config_node *list)
{
	size_t i;
	int rc;
	int seen_global = 0; /* 1 after dedupe, 2 after shard */

	if (!list || sach_config_node_kind(list) != SACH_CONFIG_SEQ)
		return sach_config_error(p->cfg, list, "stages: expected a list of stages");
	p->stages = calloc(sach_config_node_size(list) + 1, sizeof(*p->stages));
	if (!p->stages)
		return sach__error_nomem();
	for (i = 0; i < sach_config_node_size(list); i++) {
		const sach_config_node *item = sach_config_node_at(list, i), *section = NULL;
		const char *name;
		const pl_stage_ops *ops;

		if (sach_config_node_kind(item) == SACH_CONFIG_SCALAR) {
			name = sach_config_node_text(item);
		} else if (sach_config_node_kind(item) == SACH_CONFIG_MAP &&
			   sach_config_node_size(item) == 1) {
			name = sach_config_node_key(item, 0);
			section = sach_config_node_at(item, 0);
		} else {
			return sach_config_error(p->cfg, item,
						 "stages: each stage is a name, or a name with its "
						 "settings (normalise: {...})");
		}
		if (strcmp(name, "dedupe") == 0 || strcmp(name, "shard") == 0) {
			int order = name[0] == 'd' ? 1 : 2;

			if (seen_global >= order)
				return sach_config_error(p->cfg, item,
							 "stages: '%s' must come %s", name,
							 order == 1 ? "once, before shard" : "once, last");
			seen_global = order;
			if ((rc = sach__pl_global_parse(p, name, section, item)) < 0)
				return rc;
			continue;
		}
		ops = sach__pl_stage_ops(name);
		if (!ops)
			return sach_config_error(p->cfg, item,
						 "stages: unknown stage '%s' (known: normalise, filter, "
						 "dedupe, shard)", name);
		if (seen_global)
			return sach_config_error(p->cfg, item,
						 "stages: per-document stage '%s' after a global stage; "
						 "put normalise and filter before dedupe and shard", name);
		if ((rc = ops->parse(p->cfg, section, &p->stages[p->nstages].settings)) < 0)
			return rc;
		p->stages[p->nstages++].ops = ops;
	}
	return SACH_OK;
}

static int parse_workers(sach_pipeline *p, const sach_config_node *v)
{
	int64_t n;
	int rc;

	if (p->opts.workers > 0) {
		p->workers = p->opts.workers;
	} else if (!v || (sach_config_node_text(v) && strcmp(sach_config_node_text(v), "auto") == 0)) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		p->workers = cpus > 0 ? (int)(cpus < MAX_WORKERS ? cpus : MAX_WORKERS) : 1;
	} else {
		if ((rc = sach_config_as_int64(p->cfg, v, "workers", 1, MAX_WORKERS, &n)) < 0)
			return rc;
		p->workers = (int)n;
	}
	return SACH_OK;
}

/* The canonical config: the file as JSON without `workers`, `output` and
 * `part_size` (which do not change the output), plus the expanded input
 * list. Its hash identifies
 * the run for resuming and goes into the manifest. */
static int canonical_config(sach_pipeline *p)
{
	const sach_config_node *root = sach_config_root(p->cfg);
	size_t i;
	int rc;

	if ((rc = sach_buf_puts(&p->config_json, "{\"config\":{")) < 0)
		return rc;
	for (i = 0; i < sach_config_node_size(root); i++) {
		const char *key = sach_config_node_key(root, i);

		/* Neither changes a byte of the output. */
		if (strcmp(key, "workers") == 0 || strcmp(key, "output") == 0 ||
		    strcmp(key, "part_size") == 0 || strcmp(key, "work_compression") == 0)
			continue;
		if ((p->config_json.len > 11 && (rc = sach_buf_puts(&p->config_json, ",")) < 0) ||
		    (rc = sach_json_escape(&p->config_json, key, strlen(key))) < 0 ||
		    (rc = sach_buf_puts(&p->config_json, ":")) < 0 ||
		    (rc = sach_config_node_to_json(sach_config_node_at(root, i), &p->config_json)) < 0)
			return rc;
	}
	if ((rc = sach_buf_puts(&p->config_json, "},\"inputs\":[")) < 0)
		return rc;
	for (i = 0; i < p->ninputs; i++)
		if ((i && (rc = sach_buf_puts(&p->config_json, ",")) < 0) ||
		    (rc = sach_json_escape(&p->config_json, p->inputs[i].path,
					   strlen(p->inputs[i].path))) < 0)
			return rc;
	if ((rc = sach_buf_puts(&p->config_json, "],\"sach_version\":\"")) < 0 ||
	    (rc = sach_buf_puts(&p->config_json, sach_version_string())) < 0 ||
	    (rc = sach_buf_puts(&p->config_json, "\"}")) < 0)
		return rc;
	p->config_hash = XXH3_64bits(p->config_json.ptr, p->config_json.len);
	return SACH_OK;
}

static int parse_config(sach_pipeline *p)
{
	static const char *const keys[] = { "name", "version", "inputs", "output", "workers",
					    "on_error", "part_size", "work_compression", "stages",
					    NULL };
	static const char *const work_comp[] = { "none", "zstd", NULL };
	static const char *const policies[] = { "fail", "skip", "quarantine", NULL };
	const sach_config_node *root = sach_config_root(p->cfg), *v;
	const char *s;
	size_t i;
	int rc;

	if (!root)
		return sach_config_error(p->cfg, NULL, "the config is empty");
	if ((rc = sach_config_check_keys(p->cfg, root, "pipeline", keys)) < 0)
		return rc;
	v = sach_config_map_get(root, "name");
	if (!v)
		return sach_config_error(p->cfg, root, "pipeline: 'name' (the dataset name) is required");
	if ((rc = sach_config_as_string(p->cfg, v, "name", &s)) < 0)
		return rc;
	if (!(p->name = strdup(s)))
		return sach__error_nomem();
	s = "0.0.0";
	if ((v = sach_config_map_get(root, "version")) != NULL &&
	    (rc = sach_config_as_string(p->cfg, v, "version", &s)) < 0)
		return rc;
	if (!(p->version = strdup(s)))
		return sach__error_nomem();
	v = sach_config_map_get(root, "output");
	if (!v)
		return sach_config_error(p->cfg, root, "pipeline: 'output' (a directory) is required");
	if ((rc = sach_config_as_string(p->cfg, v, "output", &s)) < 0)
		return rc;
	if (s[0] == '\0' || strlen(s) > 3000)
		return sach_config_error(p->cfg, v, "output: expected a directory path");
	if (!(p->out_dir = strdup(s)) ||
	    !(p->work_dir = malloc(strlen(s) + sizeof(WORK_DIR_NAME) + 2)))
		return sach__error_nomem();
	sprintf(p->work_dir, "%s/%s", s, WORK_DIR_NAME);
	if ((rc = parse_workers(p, sach_config_map_get(root, "workers"))) < 0)
		return rc;
	p->on_error = PL_ON_ERROR_FAIL;
	if ((v = sach_config_map_get(root, "on_error")) != NULL &&
	    (rc = sach_config_as_enum(p->cfg, v, "on_error", policies, &p->on_error)) < 0)
		return rc;
	p->part_size = DEFAULT_PART_SIZE;
	if ((v = sach_config_map_get(root, "part_size")) != NULL) {
		if ((rc = sach_config_as_size(p->cfg, v, "part_size", &p->part_size)) < 0)
			return rc;
		if (p->part_size < 1)
			return sach_config_error(p->cfg, v, "part_size: must be at least 1 byte");
	}
	/* Off by default: zstd on the work files costs a quarter of a run's CPU
	 * time (measured on viwiki), for disk the run gives back at its end. */
	if ((v = sach_config_map_get(root, "work_compression")) != NULL) {
		int e;

		if ((rc = sach_config_as_enum(p->cfg, v, "work_compression", work_comp, &e)) < 0)
			return rc;
		p->work_compress = e == 1;
	}
	v = sach_config_map_get(root, "inputs");
	if (!v || sach_config_node_kind(v) != SACH_CONFIG_SEQ || sach_config_node_size(v) == 0)
		return sach_config_error(p->cfg, v ? v : root,
					 "inputs: expected a list of paths or globs");
	for (i = 0; i < sach_config_node_size(v); i++)
		if ((rc = parse_input(p, sach_config_node_at(v, i))) < 0)
			return rc;
	if ((rc = parse_stages(p, sach_config_map_get(root, "stages"))) < 0)
		return rc;
	return canonical_config(p);
}

int sach_pipeline_load(sach_pipeline **out, const char *config_path,
		       const sach_pipeline_options *opts)
{
	sach_pipeline_options def = SACH_PIPELINE_OPTIONS_INIT;
	sach_pipeline *p;
	int rc;

	*out = NULL;
	if (opts && opts->version != SACH_PIPELINE_OPTIONS_VERSION)
		return sach__error_set(SACH_EINVAL, "pipeline options: unknown version %u",
				       opts->version);
	p = calloc(1, sizeof(*p));
	if (!p)
		return sach__error_nomem();
	p->opts = opts ? *opts : def;
	p->work_level = 1;
	pthread_mutex_init(&p->lock, NULL);
	if ((rc = sach_config_load_file(&p->cfg, config_path)) < 0 || (rc = parse_config(p)) < 0) {
		sach_pipeline_free(p);
		return rc;
	}
	*out = p;
	return SACH_OK;
}

void sach_pipeline_free(sach_pipeline *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].settings)
			p->stages[i].ops->free_settings(p->stages[i].settings);
	free(p->stages);
	for (i = 0; i < p->ninputs; i++)
		free(p->inputs[i].path);
	free(p->inputs);
	sach__pl_global_free(p);
	free(p->name);
	free(p->version);
	free(p->out_dir);
	free(p->work_dir);
	free(p->claimed);
	sach_buf_free(&p->config_json);
	sach_buf_free(&p->scratch);
	sach_config_free(p->cfg);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

const char *sach_pipeline_config_json(const sach_pipeline *p)
{
	return p->config_json.ptr;
}

int sach_pipeline_workers(const sach_pipeline *p)
{
	return p->workers;
}

/* ---- the output directory ---------------------------------------------- */

static int mkdir_p(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return sach__error_set(SACH_EINVAL, "output path too long");
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST)
				return sach__error_set(SACH_EIO, "cannot create directory '%s': %s",
						       buf, strerror(errno));
			buf[i] = c;
		}
	}
	return SACH_OK;
}

/* The state file: the config hash plus each input's size and mtime, so a
 * run resumes only over the same config and the same, unchanged inputs. */
static int state_text(const sach_pipeline *p, sach_buf *out)
{
	char line[128];
	size_t i;
	int rc;

	/* part_size is not in the config hash (it does not change the output)
	 * but finished parts are only reusable with the same cut. */
	snprintf(line, sizeof(line), "sach-run state 1\nconfig %016" PRIx64 "\npart_size %" PRIu64 "\n",
		 p->config_hash, p->part_size);
	if ((rc = sach_buf_puts(out, line)) < 0)
		return rc;
	for (i = 0; i < p->ninputs; i++) {
		struct stat st;
		char sz[96];

		if (stat(p->inputs[i].path, &st) < 0)
			return sach__error_set(SACH_EIO, "cannot read input '%s': %s",
					       p->inputs[i].path, strerror(errno));
		snprintf(sz, sizeof(sz), "input %lld %lld.%09ld ", (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		if ((rc = sach_buf_puts(out, sz)) < 0 ||
		    (rc = sach_buf_puts(out, p->inputs[i].path)) < 0 ||
		    (rc = sach_buf_puts(out, "\n")) < 0)
			return rc;
	}
	return SACH_OK;
}

static char *read_small_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Whether two state texts name the same config (their first two lines). */
static bool same_config_line(const char *a, const char *b)
{
	const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');

	if (!ea || !eb || !(ea = strchr(ea + 1, '\n')) || !(eb = strchr(eb + 1, '\n')))
		return false;
	return ea - a == eb - b && memcmp(a, b, (size_t)(ea - a)) == 0;
}

/* Names a finished or unfinished run of sach-run leaves in its directory. */
static bool ours(const char *name)
{
	static const char *const fixed[] = { WORK_DIR_NAME, STATE_NAME, "manifest.json", "counts.json",
					     "config.json", "run.log", "rejected.jsonl.zst",
					     "quarantine.jsonl.zst", "documents.jsonl.zst", NULL };
	size_t i, n = strlen(name);

	for (i = 0; fixed[i]; i++)
		if (strcmp(name, fixed[i]) == 0)
			return true;
	/* shards: SPLIT-00000-of-00012.jsonl.zst, and writers' temp files */
	if (n > 10 && strcmp(name + n - 10, ".jsonl.zst") == 0 && strstr(name, "-of-"))
		return true;
	return name[0] == '.' && strstr(name, ".tmp.") != NULL;
}

static int remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return unlink(path) == 0 || errno == ENOENT ? SACH_OK :
		       sach__error_set(SACH_EIO, "cannot remove '%s': %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char sub[4096];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (remove_tree(sub) < 0) {
			closedir(d);
			return SACH_EIO;
		}
	}
	closedir(d);
	return rmdir(path) == 0 ? SACH_OK :
	       sach__error_set(SACH_EIO, "cannot remove '%s': %s", path, strerror(errno));
}

/*
 * Fresh directory: fine. Same run unfinished (same state file): resume.
 * Anything else: refused, or with overwrite cleared of sach-run's own
 * files; a file sach-run did not make is never removed.
 */
static int prepare_output(sach_pipeline *p, bool *resumed, bool *complete)
{
	char path[4096];
	sach_buf want = { 0 };
	char *have;
	size_t have_len = 0;
	DIR *d;
	struct dirent *e;
	bool empty = true, foreign = false, other_run;
	int rc;

	*resumed = *complete = false;
	if ((rc = mkdir_p(p->out_dir)) < 0)
		return rc;
	if ((rc = state_text(p, &want)) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", p->out_dir, STATE_NAME);
	have = read_small_file(path, &have_len);
	if (have && have_len == want.len && memcmp(have, want.ptr, want.len) == 0) {
		free(have);
		*complete = true;
		/* Killed between recording completion and removing its work. */
		rc = access(p->work_dir, F_OK) == 0 ? remove_tree(p->work_dir) : SACH_OK;
		goto out;
	}
	free(have);
	snprintf(path, sizeof(path), "%s/state", p->work_dir);
	have = read_small_file(path, &have_len);
	if (have && have_len == want.len && memcmp(have, want.ptr, want.len) == 0) {
		free(have);
		*resumed = true;
		goto out;
	}
	/* Another run is there only if it got as far as recording its state
	 * (a run killed before that left nothing worth keeping), and only if
	 * its config differs: unfinished work of this config over inputs that
	 * changed since is simply discarded. */
	other_run = have != NULL && !same_config_line(have, want.ptr);
	free(have);
	snprintf(path, sizeof(path), "%s/%s", p->out_dir, STATE_NAME);
	if (access(path, F_OK) == 0)
		other_run = true;
	d = opendir(p->out_dir);
	if (!d) {
		rc = sach__error_set(SACH_EIO, "cannot read '%s': %s", p->out_dir, strerror(errno));
		goto out;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		empty = false;
		if (!ours(e->d_name))
			foreign = true;
	}
	closedir(d);
	if (!empty) {
		if (foreign || (other_run && !p->opts.overwrite)) {
			rc = sach__error_set(SACH_EINVAL,
					     foreign ? "output directory '%s' holds files sach-run did "
						       "not write; choose an empty directory"
						     : "output directory '%s' holds another run (other "
						       "config or inputs); use --overwrite to replace it",
					     p->out_dir);
			goto out;
		}
		d = opendir(p->out_dir);
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", p->out_dir, e->d_name);
			if ((rc = remove_tree(path)) < 0)
				break;
		}
		if (d)
			closedir(d);
		if (rc < 0)
			goto out;
	}
	if ((rc = mkdir_p(p->work_dir)) < 0)
		goto out;
	{
		sach_writer *w = NULL;
		sach_writer_options o = SACH_WRITER_OPTIONS_INIT;

		snprintf(path, sizeof(path), "%s/state", p->work_dir);
		if ((rc = sach_writer_open(&w, path, &o)) < 0)
			goto out;
		if ((rc = sach_writer_write(w, want.ptr, want.len)) < 0) {
			sach_writer_abort(w);
			goto out;
		}
		rc = sach_writer_commit(w);
	}
out:
	sach_buf_free(&want);
	return rc;
}

/* Phase times for the log (never for the output). */
static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int sach_pipeline_run(sach_pipeline *p)
{
	char path[4096];
	bool resumed, complete;
	struct timespec t0;
	int rc;

	if ((rc = prepare_output(p, &resumed, &complete)) < 0)
		return rc;
	if (complete) {
		if (p->opts.log)
			p->opts.log(p->opts.log_user, "nothing to do: the output directory holds a "
					"finished run of this config over these inputs");
		return SACH_OK;
	}
	snprintf(path, sizeof(path), "%s/run.log", p->out_dir);
	pthread_mutex_lock(&log_lock);
	log_file = fopen(path, "a");
	pthread_mutex_unlock(&log_lock);
	sach__pl_log(p, "%s run of '%s' (config %016" PRIx64 "), %zu input file%s, %d worker%s",
		     resumed ? "resumed" : "new", p->name, p->config_hash, p->ninputs,
		     p->ninputs == 1 ? "" : "s", p->workers, p->workers == 1 ? "" : "s");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sach__pl_run_parts(p);
	if (rc == SACH_OK) {
		sach__pl_log(p, "per-document stages done: %zu part%s (%.2f s)", p->nparts,
			     p->nparts == 1 ? "" : "s", seconds_since(&t0));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = sach__pl_global_run(p);
		if (rc == SACH_OK && p->dedupe)
			sach__pl_log(p, "dedupe cluster and apply done (%.2f s)", seconds_since(&t0));
	}
	if (rc == SACH_OK) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = sach__pl_output(p);
		if (rc == SACH_OK)
			sach__pl_log(p, "output written (%.2f s)", seconds_since(&t0));
	}
	if (rc == SACH_OK) {
		char state[4096];

		/* The state file moves out of the work directory last: from here
		 * on the directory says "finished" to the next run. */
		snprintf(path, sizeof(path), "%s/state", p->work_dir);
		snprintf(state, sizeof(state), "%s/%s", p->out_dir, STATE_NAME);
		if (rename(path, state) < 0)
			rc = sach__error_set(SACH_EIO, "cannot rename '%s': %s", path, strerror(errno));
		else
			rc = remove_tree(p->work_dir);
	}
	if (rc == SACH_OK) {
		sach__pl_log(p, "done: output in %s", p->out_dir);
	} else {
		char msg[1100];

		snprintf(msg, sizeof(msg), "%s", sach_error_last());
		sach__pl_log(p, "failed: %s", msg);
		sach__error_set(rc, "%s", msg);
	}
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
	return rc;
}
