/*
 * config.c - YAML configuration files (libyaml's event parser) into a small
 * tree of nodes that keep their line and column, and typed readers whose
 * errors point at the offending value.
 *
 * The event API is used rather than libyaml's document loader because the
 * loader expands aliases, and a config must not be able to grow without
 * bound from a few bytes; here an alias or anchor is an error.
 */
#define _POSIX_C_SOURCE 200809L
#include "sach/config.h"
#include "sach/doc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "error_internal.h"

struct sach_config_node {
	sach_config_kind kind;
	size_t line, column;
	char *text;                 /* scalars */
	bool plain;
	size_t size, cap;
	sach_config_node **values;  /* sequence items, or map values */
	sach_config_node **keys;    /* map keys (scalars), parallel to values */
};

struct sach_config {
	char *name;
	sach_config_node *root;
};

static void node_free(sach_config_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->size; i++) {
		node_free(n->values[i]);
		if (n->keys)
			node_free(n->keys[i]);
	}
	free(n->values);
	free(n->keys);
	free(n->text);
	free(n);
}

void sach_config_free(sach_config *config)
{
	if (!config)
		return;
	node_free(config->root);
	free(config->name);
	free(config);
}

static sach_config_node *node_new(sach_config_kind kind, const yaml_mark_t *mark)
{
	sach_config_node *n = calloc(1, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->line = mark->line + 1;
		n->column = mark->column + 1;
	}
	return n;
}

static int node_push(sach_config_node *parent, sach_config_node *key, sach_config_node *value)
{
	if (parent->size == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 8;
		sach_config_node **v = realloc(parent->values, cap * sizeof(*v));

		if (!v)
			return sach__error_nomem();
		parent->values = v;
		if (parent->kind == SACH_CONFIG_MAP) {
			sach_config_node **k = realloc(parent->keys, cap * sizeof(*k));

			if (!k)
				return sach__error_nomem();
			parent->keys = k;
		}
		parent->cap = cap;
	}
	if (parent->kind == SACH_CONFIG_MAP)
		parent->keys[parent->size] = key;
	parent->values[parent->size++] = value;
	return SACH_OK;
}

static int error_at(const char *name, size_t line, size_t column, const char *fmt, ...)
	SACH_PRINTF(4, 5);

static int error_at(const char *name, size_t line, size_t column, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		return sach__error_set(SACH_ECONFIG, "%s:%zu:%zu: %s", name, line, column, msg);
	return sach__error_set(SACH_ECONFIG, "%s: %s", name, msg);
}

/* The parse: a stack of open collections; a map alternates key, value. */
typedef struct builder {
	const char *name;
	sach_config_node *stack[SACH_CONFIG_MAX_DEPTH + 1];
	sach_config_node *pending_key[SACH_CONFIG_MAX_DEPTH + 1];
	int depth;
	sach_config_node *root;
} builder;

static int attach(builder *b, sach_config_node *n)
{
	sach_config_node *parent;
	int rc;

	if (b->depth == 0) {
		b->root = n;
		return SACH_OK;
	}
	parent = b->stack[b->depth - 1];
	if (parent->kind == SACH_CONFIG_SEQ)
		return node_push(parent, NULL, n);
	if (!b->pending_key[b->depth - 1]) {
		size_t i;

		if (n->kind != SACH_CONFIG_SCALAR) {
			rc = error_at(b->name, n->line, n->column, "a key must be a plain name");
			node_free(n);
			return rc;
		}
		for (i = 0; i < parent->size; i++)
			if (strcmp(parent->keys[i]->text, n->text) == 0) {
				rc = error_at(b->name, n->line, n->column,
					      "duplicate key '%s' (first at line %zu)", n->text,
					      parent->keys[i]->line);
				node_free(n);
				return rc;
			}
		b->pending_key[b->depth - 1] = n;
		return SACH_OK;
	}
	rc = node_push(parent, b->pending_key[b->depth - 1], n);
	if (rc < 0) {
		node_free(n);
		return rc;
	}
	b->pending_key[b->depth - 1] = NULL;
	return SACH_OK;
}

static int on_event(builder *b, const yaml_event_t *ev)
{
	sach_config_node *n;
	int rc;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return error_at(b->name, ev->start_mark.line + 1, ev->start_mark.column + 1,
				"aliases (*name) are not supported in sach configs");
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return error_at(b->name, ev->start_mark.line + 1,
					ev->start_mark.column + 1,
					"anchors (&name) are not supported in sach configs");
		n = node_new(SACH_CONFIG_SCALAR, &ev->start_mark);
		if (!n)
			return sach__error_nomem();
		n->text = malloc(ev->data.scalar.length + 1);
		if (!n->text) {
			free(n);
			return sach__error_nomem();
		}
		memcpy(n->text, ev->data.scalar.value, ev->data.scalar.length);
		n->text[ev->data.scalar.length] = '\0';
		if (strlen(n->text) != ev->data.scalar.length) {
			rc = error_at(b->name, n->line, n->column, "NUL character in a value");
			node_free(n);
			return rc;
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if ((ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor
							     : ev->data.mapping_start.anchor))
			return error_at(b->name, ev->start_mark.line + 1,
					ev->start_mark.column + 1,
					"anchors (&name) are not supported in sach configs");
		if (b->depth >= SACH_CONFIG_MAX_DEPTH)
			return error_at(b->name, ev->start_mark.line + 1,
					ev->start_mark.column + 1,
					"nested deeper than %d levels", SACH_CONFIG_MAX_DEPTH);
		n = node_new(ev->type == YAML_SEQUENCE_START_EVENT ? SACH_CONFIG_SEQ
								   : SACH_CONFIG_MAP,
			     &ev->start_mark);
		if (!n)
			return sach__error_nomem();
		/* Attach first so the tree owns it whatever happens next. */
		rc = attach(b, n);
		if (rc < 0)
			return rc;
		b->stack[b->depth] = n;
		b->pending_key[b->depth] = NULL;
		b->depth++;
		return SACH_OK;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return SACH_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (b->root)
			return error_at(b->name, ev->start_mark.line + 1,
					ev->start_mark.column + 1,
					"a config holds one YAML document, found a second");
		return SACH_OK;
	default:
		return SACH_OK;
	}
}

/* A key whose value never came (cannot happen with a well-formed stream,
 * but the builder must not leak it). */
static void builder_drop_pending(builder *b)
{
	int i;

	for (i = 0; i < SACH_CONFIG_MAX_DEPTH + 1; i++)
		if (b->pending_key[i]) {
			node_free(b->pending_key[i]);
			b->pending_key[i] = NULL;
		}
}

int sach_config_load_string(sach_config **out, const char *name, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	builder b;
	sach_config *c;
	int rc = SACH_OK;
	bool done = false;

	*out = NULL;
	if (!name)
		name = "<config>";
	if (len > SACH_CONFIG_MAX_BYTES)
		return sach__error_set(SACH_ETOOBIG, "%s: config is larger than %u bytes", name,
				       SACH_CONFIG_MAX_BYTES);
	memset(&b, 0, sizeof(b));
	b.name = name;
	if (!yaml_parser_initialize(&parser))
		return sach__error_nomem();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			const yaml_mark_t *m = parser.problem_mark.line || parser.problem_mark.column
						       ? &parser.problem_mark
						       : &parser.context_mark;

			rc = error_at(name, m->line + 1, m->column + 1, "YAML syntax: %s%s%s",
				      parser.problem ? parser.problem : "error",
				      parser.context ? " " : "",
				      parser.context ? parser.context : "");
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&parser);
	builder_drop_pending(&b);
	if (rc < 0) {
		node_free(b.root);
		return rc;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strdup(name))) {
		free(c);
		node_free(b.root);
		return sach__error_nomem();
	}
	c->root = b.root;
	*out = c;
	return SACH_OK;
}

int sach_config_load_file(sach_config **out, const char *path)
{
	FILE *f;
	char *text;
	size_t len = 0, cap = 64 * 1024;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return sach__error_set(errno == ENOENT ? SACH_ENOTFOUND : SACH_EIO,
				       "cannot open config '%s': %s", path, strerror(errno));
	text = malloc(cap);
	if (!text) {
		fclose(f);
		return sach__error_nomem();
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			char *t;

			if (cap > SACH_CONFIG_MAX_BYTES) {
				free(text);
				fclose(f);
				return sach__error_set(SACH_ETOOBIG,
						       "%s: config is larger than %u bytes", path,
						       SACH_CONFIG_MAX_BYTES);
			}
			t = realloc(text, cap * 2);
			if (!t) {
				free(text);
				fclose(f);
				return sach__error_nomem();
			}
			text = t;
			cap *= 2;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		rc = sach__error_set(SACH_EIO, "cannot read config '%s': %s", path,
				     strerror(errno));
		free(text);
		fclose(f);
		return rc;
	}
	fclose(f);
	rc = sach_config_load_string(out, path, text, len);
	free(text);
	return rc;
}

const char *sach_config_name(const sach_config *config)
{
	return config->name;
}

const sach_config_node *sach_config_root(const sach_config *config)
{
	return config->root;
}

sach_config_kind sach_config_node_kind(const sach_config_node *node)
{
	return node->kind;
}

size_t sach_config_node_line(const sach_config_node *node)
{
	return node->line;
}

size_t sach_config_node_column(const sach_config_node *node)
{
	return node->column;
}

const char *sach_config_node_text(const sach_config_node *node)
{
	return node && node->kind == SACH_CONFIG_SCALAR ? node->text : NULL;
}

bool sach_config_node_plain(const sach_config_node *node)
{
	return node && node->kind == SACH_CONFIG_SCALAR && node->plain;
}

size_t sach_config_node_size(const sach_config_node *node)
{
	return node && node->kind != SACH_CONFIG_SCALAR ? node->size : 0;
}

const sach_config_node *sach_config_node_at(const sach_config_node *node, size_t i)
{
	return node && node->kind != SACH_CONFIG_SCALAR && i < node->size ? node->values[i] : NULL;
}

const char *sach_config_node_key(const sach_config_node *node, size_t i)
{
	return node && node->kind == SACH_CONFIG_MAP && i < node->size ? node->keys[i]->text : NULL;
}

const sach_config_node *sach_config_node_key_node(const sach_config_node *node, size_t i)
{
	return node && node->kind == SACH_CONFIG_MAP && i < node->size ? node->keys[i] : NULL;
}

const sach_config_node *sach_config_map_get(const sach_config_node *node, const char *key)
{
	size_t i;

	if (!node || node->kind != SACH_CONFIG_MAP)
		return NULL;
	for (i = 0; i < node->size; i++)
		if (strcmp(node->keys[i]->text, key) == 0)
			return node->values[i];
	return NULL;
}

int sach_config_error(const sach_config *config, const sach_config_node *node, const char *fmt,
		      ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_at(config ? config->name : "<config>", node ? node->line : 0,
			node ? node->column : 0, "%s", msg);
}

static const char *kind_name(const sach_config_node *n)
{
	return n->kind == SACH_CONFIG_MAP ? "a mapping" :
	       n->kind == SACH_CONFIG_SEQ ? "a list" : "a single value";
}

int sach_config_check_keys(const sach_config *config, const sach_config_node *node,
			   const char *what, const char *const *allowed)
{
	size_t i, j;

	if (!node || node->kind != SACH_CONFIG_MAP)
		return sach_config_error(config, node, "%s: expected a mapping, got %s", what,
					 node ? kind_name(node) : "nothing");
	for (i = 0; i < node->size; i++) {
		bool known = false;

		for (j = 0; allowed[j]; j++)
			if (strcmp(node->keys[i]->text, allowed[j]) == 0)
				known = true;
		if (!known) {
			char list[300];
			size_t used = 0;

			list[0] = '\0';
			for (j = 0; allowed[j] && used < sizeof(list) - 1; j++) {
				int w = snprintf(list + used, sizeof(list) - used, "%s%s",
						 j ? ", " : "", allowed[j]);
				if (w < 0)
					break;
				used += (size_t)w;
			}
			return sach_config_error(config, node->keys[i],
						 "%s: unknown key '%s' (known: %s)", what,
						 node->keys[i]->text, list);
		}
	}
	return SACH_OK;
}

static int expect_scalar(const sach_config *config, const sach_config_node *node,
			 const char *key, const char *wanted)
{
	if (!node)
		return sach_config_error(config, NULL, "%s: missing value", key);
	if (node->kind != SACH_CONFIG_SCALAR)
		return sach_config_error(config, node, "%s: expected %s, got %s", key, wanted,
					 kind_name(node));
	return SACH_OK;
}

int sach_config_as_double(const sach_config *config, const sach_config_node *node,
			  const char *key, double lo, double hi, double *out)
{
	char *end;
	double v;
	int rc = expect_scalar(config, node, key, "a number");

	if (rc < 0)
		return rc;
	errno = 0;
	v = strtod(node->text, &end);
	/* strtod also takes "nan", "inf" and hex floats; a config means decimal. */
	if (end == node->text || *end != '\0' || errno == ERANGE || !isfinite(v) ||
	    strpbrk(node->text, "xXnNiI") != NULL)
		return sach_config_error(config, node, "%s: expected a number, got '%s'", key,
					 node->text);
	if (v < lo || v > hi)
		return sach_config_error(config, node, "%s: %s is out of range [%g, %g]", key,
					 node->text, lo, hi);
	*out = v;
	return SACH_OK;
}

int sach_config_as_int64(const sach_config *config, const sach_config_node *node,
			 const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;
	int rc = expect_scalar(config, node, key, "an integer");

	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoll(node->text, &end, 10);
	if (end == node->text || *end != '\0' || errno == ERANGE)
		return sach_config_error(config, node, "%s: expected an integer, got '%s'", key,
					 node->text);
	if (v < lo || v > hi)
		return sach_config_error(config, node,
					 "%s: %s is out of range [%" PRId64 ", %" PRId64 "]", key,
					 node->text, lo, hi);
	*out = (int64_t)v;
	return SACH_OK;
}

int sach_config_as_bool(const sach_config *config, const sach_config_node *node,
			const char *key, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t i;
	int rc = expect_scalar(config, node, key, "true or false");

	if (rc < 0)
		return rc;
	if (node->plain)
		for (i = 0; i < 3; i++) {
			if (strcasecmp(node->text, yes[i]) == 0) {
				*out = true;
				return SACH_OK;
			}
			if (strcasecmp(node->text, no[i]) == 0) {
				*out = false;
				return SACH_OK;
			}
		}
	return sach_config_error(config, node, "%s: expected true or false, got '%s'", key,
				 node->text);
}

int sach_config_as_string(const sach_config *config, const sach_config_node *node,
			  const char *key, const char **out)
{
	int rc = expect_scalar(config, node, key, "a text value");

	if (rc < 0)
		return rc;
	*out = node->text;
	return SACH_OK;
}

int sach_config_as_size(const sach_config *config, const sach_config_node *node,
			const char *key, uint64_t *out)
{
	static const char suffixes[] = "KMGT";
	char *end;
	unsigned long long v;
	uint64_t mult = 1;
	const char *p;
	int rc = expect_scalar(config, node, key, "a size");

	if (rc < 0)
		return rc;
	errno = 0;
	if (node->text[0] < '0' || node->text[0] > '9')
		goto bad;
	v = strtoull(node->text, &end, 10);
	if (errno == ERANGE)
		goto bad;
	p = end;
	while (*p == ' ')
		p++;
	if (*p) {
		const char *s = strchr(suffixes, *p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		int shift;

		if (!s || *s == '\0')
			goto bad;
		shift = 10 * (int)(s - suffixes + 1);
		mult = (uint64_t)1 << shift;
		p++;
		if (*p == 'i' && (p[1] == 'B' || p[1] == 'b'))
			p += 2;
		else if (*p == 'B' || *p == 'b')
			p++;
		if (*p)
			goto bad;
	}
	if (v > UINT64_MAX / mult)
		goto bad;
	*out = (uint64_t)v * mult;
	return SACH_OK;
bad:
	return sach_config_error(config, node,
				 "%s: expected a size such as 512M or 2G, got '%s'", key,
				 node->text);
}

int sach_config_as_enum(const sach_config *config, const sach_config_node *node,
			const char *key, const char *const *choices, int *out)
{
	char list[300];
	size_t used = 0;
	int i;
	int rc = expect_scalar(config, node, key, "a name");

	if (rc < 0)
		return rc;
	for (i = 0; choices[i]; i++)
		if (strcmp(node->text, choices[i]) == 0) {
			*out = i;
			return SACH_OK;
		}
	list[0] = '\0';
	for (i = 0; choices[i] && used < sizeof(list) - 1; i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
				 choices[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return sach_config_error(config, node, "%s: expected one of %s, got '%s'", key, list,
				 node->text);
}

/* A plain scalar that JSON can carry as itself: null, booleans, and numbers
 * in JSON's own spelling. Everything else becomes a string. */
static bool json_literal(const sach_config_node *n)
{
	const char *p = n->text;

	if (!n->plain)
		return false;
	if (strcmp(p, "null") == 0 || strcmp(p, "true") == 0 || strcmp(p, "false") == 0)
		return true;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int sach_config_node_to_json(const sach_config_node *node, sach_buf *out)
{
	size_t i;
	int rc;

	if (!node)
		return sach_buf_puts(out, "null");
	switch (node->kind) {
	case SACH_CONFIG_SCALAR:
		if (json_literal(node))
			return sach_buf_puts(out, node->text);
		if (node->plain && node->text[0] == '\0')
			return sach_buf_puts(out, "null");
		return sach_json_escape(out, node->text, strlen(node->text));
	case SACH_CONFIG_SEQ:
		if ((rc = sach_buf_puts(out, "[")) < 0)
			return rc;
		for (i = 0; i < node->size; i++)
			if ((i && (rc = sach_buf_puts(out, ",")) < 0) ||
			    (rc = sach_config_node_to_json(node->values[i], out)) < 0)
				return rc;
		return sach_buf_puts(out, "]");
	case SACH_CONFIG_MAP:
		if ((rc = sach_buf_puts(out, "{")) < 0)
			return rc;
		for (i = 0; i < node->size; i++)
			if ((i && (rc = sach_buf_puts(out, ",")) < 0) ||
			    (rc = sach_json_escape(out, node->keys[i]->text,
						   strlen(node->keys[i]->text))) < 0 ||
			    (rc = sach_buf_puts(out, ":")) < 0 ||
			    (rc = sach_config_node_to_json(node->values[i], out)) < 0)
				return rc;
		return sach_buf_puts(out, "}");
	}
	return SACH_OK;
}
