/*
 * filter_config.c - a filter rule set from a YAML config section.
 *
 * Schema (configs/filter-vi.yaml is the annotated example):
 *   mode: drop | tag
 *   clean_lines: BOOL | {enabled: BOOL, boilerplate: BOOL, policy: BOOL,
 *                javascript: BOOL, lorem: BOOL, curly: BOOL,
 *                min_lang_score: 0..1, lang_min_syllables: N,
 *                c4_terminal_punct: BOOL, c4_min_syllables: N}
 *   rules: {RULE: BOOL | {min: X} | {max: X} | {max: X, enabled: BOOL}}
 * Anything not given keeps its built-in default, so a user's file can list
 * only what it changes. Every mistake is reported at its position.
 */
#include "filter_internal.h"
#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = { "mode", "clean_lines", "rules", NULL };
static const char *const clean_keys[] = {
	"enabled", "boilerplate", "policy", "javascript", "lorem", "curly", "min_lang_score",
	"lang_min_syllables", "c4_terminal_punct", "c4_min_syllables", NULL
};
static const char *const rule_keys[] = { "min", "max", "enabled", NULL };
static const char *const modes[] = { "drop", "tag", NULL };

/* Reads key `key` of map `m` as a boolean into *out when present. */
static int opt_bool(const sach_config *cfg, const sach_config_node *m, const char *key, bool *out)
{
	const sach_config_node *v = sach_config_map_get(m, key);

	return v ? sach_config_as_bool(cfg, v, key, out) : 0;
}

static int opt_u32(const sach_config *cfg, const sach_config_node *m, const char *key,
		   uint32_t *out)
{
	const sach_config_node *v = sach_config_map_get(m, key);
	int64_t n;
	int rc;

	if (!v)
		return 0;
	if ((rc = sach_config_as_int64(cfg, v, key, 0, 1000000, &n)) < 0)
		return rc;
	*out = (uint32_t)n;
	return 0;
}

static int read_clean(const sach_config *cfg, const sach_config_node *n, sach_filter_clean *c)
{
	const sach_config_node *v;
	int rc;

	/* "clean_lines: true" turns cleaning on with the default line rules. */
	if (sach_config_node_kind(n) == SACH_CONFIG_SCALAR)
		return sach_config_as_bool(cfg, n, "clean_lines", &c->enabled);
	if ((rc = sach_config_check_keys(cfg, n, "clean_lines", clean_keys)) < 0 ||
	    (rc = opt_bool(cfg, n, "enabled", &c->enabled)) < 0 ||
	    (rc = opt_bool(cfg, n, "boilerplate", &c->boilerplate)) < 0 ||
	    (rc = opt_bool(cfg, n, "policy", &c->policy)) < 0 ||
	    (rc = opt_bool(cfg, n, "javascript", &c->javascript)) < 0 ||
	    (rc = opt_bool(cfg, n, "lorem", &c->lorem)) < 0 ||
	    (rc = opt_bool(cfg, n, "curly", &c->curly)) < 0 ||
	    (rc = opt_u32(cfg, n, "lang_min_syllables", &c->lang_min_syllables)) < 0 ||
	    (rc = opt_bool(cfg, n, "c4_terminal_punct", &c->c4_terminal_punct)) < 0 ||
	    (rc = opt_u32(cfg, n, "c4_min_syllables", &c->c4_min_syllables)) < 0)
		return rc;
	if ((v = sach_config_map_get(n, "min_lang_score")) != NULL &&
	    (rc = sach_config_as_double(cfg, v, "min_lang_score", 0, 1, &c->min_lang_score)) < 0)
		return rc;
	return 0;
}

static int find_rule(const char *name)
{
	size_t i;

	for (i = 0; i < sach__filter_rule_count; i++)
		if (strcmp(sach__filter_rule_defs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int read_rule(const sach_config *cfg, const sach_config_node *key, const char *name,
		     const sach_config_node *v, struct sach_filter_rules *r)
{
	const sach__filter_rule_def *d;
	const sach_config_node *t;
	const char *own, *other;
	size_t k;
	int i, rc;

	if ((i = find_rule(name)) < 0)
		return sach_config_error(cfg, key, "unknown rule '%s' (sach-filter --list-rules "
					 "shows them)", name);
	d = &sach__filter_rule_defs[i];
	if (sach_config_node_kind(v) == SACH_CONFIG_SCALAR)
		return sach_config_as_bool(cfg, v, name, &r->enabled[i]);
	if ((rc = sach_config_check_keys(cfg, v, name, rule_keys)) < 0)
		return rc;
	own = d->is_min ? "min" : "max";
	other = d->is_min ? "max" : "min";
	for (k = 0; k < sach_config_node_size(v); k++)
		if (strcmp(sach_config_node_key(v, k), other) == 0)
			return sach_config_error(cfg, sach_config_node_key_node(v, k),
						 "%s: this rule has a %s threshold, not a %s",
						 name, own, other);
	/* Giving a threshold turns the rule on unless "enabled" says otherwise. */
	if ((t = sach_config_map_get(v, own)) != NULL) {
		if ((rc = sach_config_as_double(cfg, t, own, -1e15, 1e15, &r->threshold[i])) < 0)
			return rc;
		r->enabled[i] = true;
	}
	return opt_bool(cfg, v, "enabled", &r->enabled[i]);
}

static int read_rules(const sach_config *cfg, const sach_config_node *n, struct sach_filter_rules *r)
{
	size_t i;
	int rc;

	if (sach_config_node_kind(n) != SACH_CONFIG_MAP)
		return sach_config_error(cfg, n, "rules: expected a mapping of rule names");
	for (i = 0; i < sach_config_node_size(n); i++)
		if ((rc = read_rule(cfg, sach_config_node_key_node(n, i), sach_config_node_key(n, i),
				    sach_config_node_at(n, i), r)) < 0)
			return rc;
	return 0;
}

int sach_filter_rules_new(sach_filter_rules **out, const sach_config *config,
			  const sach_config_node *section)
{
	struct sach_filter_rules *r;
	const sach_config_node *v;
	int rc = 0, mode;

	*out = NULL;
	if (!(r = malloc(sizeof(*r))))
		return sach__error_nomem();
	sach__filter_rules_defaults(r);
	if (section) {
		if ((rc = sach_config_check_keys(config, section, "filter", top_keys)) < 0)
			goto fail;
		if ((v = sach_config_map_get(section, "mode")) != NULL) {
			if ((rc = sach_config_as_enum(config, v, "mode", modes, &mode)) < 0)
				goto fail;
			r->mode = mode == 1 ? SACH_FILTER_TAG : SACH_FILTER_DROP;
		}
		if ((v = sach_config_map_get(section, "clean_lines")) != NULL &&
		    (rc = read_clean(config, v, &r->clean)) < 0)
			goto fail;
		if ((v = sach_config_map_get(section, "rules")) != NULL &&
		    (rc = read_rules(config, v, r)) < 0)
			goto fail;
	}
	*out = r;
	return 0;
fail:
	free(r);
	return rc;
}

void sach_filter_rules_free(sach_filter_rules *rules)
{
	free(rules);
}
