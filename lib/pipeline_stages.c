/*
 * pipeline_stages.c - the per-document stages a pipeline config can name,
 * each an adapter from its config section to a library module.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_internal.h"

#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "sach/doc.h"
#include "sach/filter.h"
#include "sach/legacy.h"
#include "sach/normalise.h"

/* ---- normalise --------------------------------------------------------- */

typedef struct normalise_settings {
	sach_normalise_options o;
} normalise_settings;

typedef struct normalise_state {
	sach_normaliser *n;
	bool reject_invalid;
} normalise_state;

static int normalise_parse(const sach_config *cfg, const sach_config_node *node, void **out)
{
	static const char *const keys[] = {
		"tone_style", "entities", "form", "repair", "input_encoding", "viet",
		"fold_fullwidth", "max_blank_lines", "invalid_utf8", "single_line", NULL
	};
	static const char *const tone[] = { "keep", "old", "new", NULL };
	static const char *const ent[] = { "none", "numeric", "all", NULL };
	static const char *const form[] = { "nfc", "nfkc", "none", NULL };
	static const char *const repair[] = { "none", "auto", NULL };
	static const char *const inv[] = { "repair", "reject", NULL };
	const sach_config_node *v;
	normalise_settings *s = calloc(1, sizeof(*s));
	sach_normalise_options def = SACH_NORMALISE_OPTIONS_INIT;
	int rc = SACH_OK, e;
	int64_t n;

	if (!s)
		return sach__error_nomem();
	s->o = def;
	/* "- normalise" alone (no section) takes the defaults. */
	if (node && !(sach_config_node_kind(node) == SACH_CONFIG_SCALAR &&
		      sach_config_node_text(node)[0] == '\0')) {
		if ((rc = sach_config_check_keys(cfg, node, "normalise", keys)) < 0)
			goto out;
		if ((v = sach_config_map_get(node, "tone_style")) != NULL) {
			if ((rc = sach_config_as_enum(cfg, v, "tone_style", tone, &e)) < 0)
				goto out;
			s->o.tone_style = e == 0 ? SACH_TONE_STYLE_KEEP :
					  e == 1 ? SACH_TONE_STYLE_OLD : SACH_TONE_STYLE_NEW;
		}
		if ((v = sach_config_map_get(node, "entities")) != NULL) {
			if ((rc = sach_config_as_enum(cfg, v, "entities", ent, &e)) < 0)
				goto out;
			s->o.entities = e == 0 ? SACH_ENTITIES_NONE :
					e == 1 ? SACH_ENTITIES_NUMERIC : SACH_ENTITIES_ALL;
		}
		if ((v = sach_config_map_get(node, "form")) != NULL) {
			if ((rc = sach_config_as_enum(cfg, v, "form", form, &e)) < 0)
				goto out;
			s->o.form = e == 0 ? SACH_NF_NFC : e == 1 ? SACH_NF_NFKC : SACH_NF_NONE;
		}
		if ((v = sach_config_map_get(node, "repair")) != NULL) {
			if ((rc = sach_config_as_enum(cfg, v, "repair", repair, &e)) < 0)
				goto out;
			s->o.repair_auto = e == 1;
		}
		if ((v = sach_config_map_get(node, "input_encoding")) != NULL) {
			const char *name;

			if ((rc = sach_config_as_string(cfg, v, "input_encoding", &name)) < 0)
				goto out;
			if (sach_encoding_from_name(name, &s->o.input_encoding) < 0) {
				rc = sach_config_error(cfg, v, "input_encoding: unknown encoding '%s'",
						       name);
				goto out;
			}
		}
		if ((v = sach_config_map_get(node, "viet")) != NULL &&
		    (rc = sach_config_as_bool(cfg, v, "viet", &s->o.viet)) < 0)
			goto out;
		if ((v = sach_config_map_get(node, "fold_fullwidth")) != NULL &&
		    (rc = sach_config_as_bool(cfg, v, "fold_fullwidth", &s->o.fold_fullwidth)) < 0)
			goto out;
		if ((v = sach_config_map_get(node, "single_line")) != NULL &&
		    (rc = sach_config_as_bool(cfg, v, "single_line", &s->o.single_line)) < 0)
			goto out;
		if ((v = sach_config_map_get(node, "max_blank_lines")) != NULL) {
			if ((rc = sach_config_as_int64(cfg, v, "max_blank_lines", -1, 1000, &n)) < 0)
				goto out;
			s->o.max_blank_lines = (int)n;
		}
		if ((v = sach_config_map_get(node, "invalid_utf8")) != NULL) {
			if ((rc = sach_config_as_enum(cfg, v, "invalid_utf8", inv, &e)) < 0)
				goto out;
			s->o.reject_invalid_utf8 = e == 1;
		}
	}
out:
	if (rc < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return SACH_OK;
}

static int normalise_open(const void *settings, void **out)
{
	const normalise_settings *s = settings;
	normalise_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return sach__error_nomem();
	if ((rc = sach_normaliser_new(&st->n, &s->o)) < 0) {
		free(st);
		return rc;
	}
	st->reject_invalid = s->o.reject_invalid_utf8;
	*out = st;
	return SACH_OK;
}

static int normalise_process(void *state, sach_doc *doc, const char **reason, bool *changed)
{
	normalise_state *st = state;
	const char *text, *out;
	size_t len, out_len;
	int rc;

	text = sach_doc_text(doc, &len);
	if (st->reject_invalid && sach_doc_lone_surrogates(doc)) {
		*reason = "invalid-utf8";
		return PL_DROP;
	}
	rc = sach_normalise_text(st->n, text, len, &out, &out_len, NULL, changed);
	if (rc == SACH_EUTF8) {
		*reason = "invalid-utf8";
		return PL_DROP;
	}
	if (rc < 0)
		return rc;
	if (*changed && (rc = sach_doc_set_text(doc, out, out_len)) < 0)
		return rc;
	return PL_KEEP;
}

static void normalise_close(void *state)
{
	normalise_state *st = state;

	if (st) {
		sach_normaliser_free(st->n);
		free(st);
	}
}

static const pl_stage_ops normalise_ops = {
	"normalise", normalise_parse, normalise_open, normalise_process, normalise_close, free,
	NULL, NULL, NULL
};

/* ---- filter ------------------------------------------------------------ */

/*
 * The section is a filter config (configs/filter-vi.yaml's keys) written
 * inline, or {config: FILE} naming one; nothing = the built-in defaults.
 */
static int filter_parse(const sach_config *cfg, const sach_config_node *node, void **out)
{
	sach_filter_rules *rules = NULL;
	const sach_config_node *file = NULL;
	int rc;

	if (node && sach_config_node_kind(node) == SACH_CONFIG_MAP)
		file = sach_config_map_get(node, "config");
	if (file) {
		static const char *const keys[] = { "config", NULL };
		sach_config *fc = NULL;
		const char *path;

		if ((rc = sach_config_check_keys(cfg, node, "filter", keys)) < 0)
			return sach_config_error(cfg, node, "filter: with 'config: FILE' the rules "
							    "live in that file; nothing else may be "
							    "given here");
		if ((rc = sach_config_as_string(cfg, file, "config", &path)) < 0)
			return rc;
		if ((rc = sach_config_load_file(&fc, path)) < 0)
			return rc;
		rc = sach_filter_rules_new(&rules, fc, sach_config_root(fc));
		sach_config_free(fc);
	} else if (!node || (sach_config_node_kind(node) == SACH_CONFIG_SCALAR &&
			     sach_config_node_text(node)[0] == '\0')) {
		rc = sach_filter_rules_new(&rules, NULL, NULL);
	} else {
		rc = sach_filter_rules_new(&rules, cfg, node);
	}
	if (rc < 0)
		return rc;
	*out = rules;
	return SACH_OK;
}

typedef struct filter_state {
	sach_filter *f;
	const char *rule;    /* the last drop: rule (static) and value */
	double value;
} filter_state;

static int filter_open(const void *settings, void **out)
{
	filter_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return sach__error_nomem();
	if ((rc = sach_filter_new_rules(&st->f, settings)) < 0) {
		free(st);
		return rc;
	}
	*out = st;
	return SACH_OK;
}

static int filter_process(void *state, sach_doc *doc, const char **reason, bool *changed)
{
	filter_state *st = state;
	sach_filter_result r;
	int rc = sach_filter_process(st->f, doc, &r);

	if (rc < 0)
		return rc;
	*changed = r.lines_removed > 0;
	if (!r.keep) {
		st->rule = r.verdict.rule_name;
		st->value = r.verdict.value;
		*reason = r.verdict.rule_name;
		return PL_DROP;
	}
	return PL_KEEP;
}

static void filter_close(void *state)
{
	filter_state *st = state;

	if (st) {
		sach_filter_free(st->f);
		free(st);
	}
}

/* Drop mode without line cleaning: the text is never changed and a drop
 * writes only the rule and its value. */
static bool filter_pure(const void *settings)
{
	const sach_filter_rules *rules = settings;

	return sach_filter_rules_mode(rules) == SACH_FILTER_DROP &&
	       !sach_filter_rules_clean(rules)->enabled;
}

static void filter_last_drop(void *state, const char **rule, double *value)
{
	filter_state *st = state;

	*rule = st->rule;
	*value = st->value;
}

static void filter_free_settings(void *settings)
{
	sach_filter_rules_free(settings);
}

static const pl_stage_ops filter_ops = {
	"filter", filter_parse, filter_open, filter_process, filter_close, filter_free_settings,
	filter_pure, filter_last_drop, sach_filter_mark_failed
};

static const pl_stage_ops *const all_stages[] = { &normalise_ops, &filter_ops };

const pl_stage_ops *sach__pl_stage_ops(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(all_stages) / sizeof(all_stages[0]); i++)
		if (strcmp(all_stages[i]->name, name) == 0)
			return all_stages[i];
	return NULL;
}
