/*
 * pipeline_config.c - a pipeline config read into a sach_pipeline: the
 * top-level keys, the inputs (globs expanded in byte order), the stages and
 * their sections, and the canonical JSON (and its hash) that identifies the
 * run.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "error_internal.h"
#include "pipeline_global.h"
#include "pipeline_output.h"

#define DEFAULT_PART_SIZE ((uint64_t)16 << 20)
#define MAX_WORKERS 256

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

int sach__pl_parse_config(sach_pipeline *p)
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
	    !(p->work_dir = malloc(strlen(s) + sizeof(PL_WORK_DIR) + 2)))
		return sach__error_nomem();
	sprintf(p->work_dir, "%s/%s", s, PL_WORK_DIR);
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

