/*
 * fuzz_config.c - libFuzzer target for the YAML config reader
 * (lib/config.c).
 *
 * The input is a YAML document. Properties checked:
 *   - loading never crashes, leaks or takes unbounded memory (aliases,
 *     anchors, depth and size are refused);
 *   - on success every node has a position (line and column >= 1), every
 *     map key is unique, and sach_config_node_to_json() gives text that
 *     json-c parses back as one JSON value;
 *   - every typed reader either succeeds or fails with SACH_ECONFIG and a
 *     message that starts with the config's name.
 * Failures abort() with a message, whatever NDEBUG says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sach/common.h"
#include "sach/config.h"
#include "sach/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                              \
	do {                                                          \
		if (!(cond)) {                                        \
			fprintf(stderr, "fuzz_config: " __VA_ARGS__); \
			fputc('\n', stderr);                          \
			abort();                                      \
		}                                                     \
	} while (0)

static void check_reader(int rc)
{
	CHECK(rc == SACH_OK || rc == SACH_ECONFIG, "typed reader returned %d", rc);
	if (rc == SACH_ECONFIG)
		CHECK(strncmp(sach_error_last(), "f.yaml", 6) == 0, "message without position: %s",
		      sach_error_last());
}

static void walk(const sach_config *c, const sach_config_node *n, int depth)
{
	static const char *const keys[] = { "name", "stages", "inputs", NULL };
	static const char *const choices[] = { "a", "b", NULL };
	size_t i, j;

	CHECK(depth <= SACH_CONFIG_MAX_DEPTH + 1, "tree deeper than the limit");
	CHECK(sach_config_node_line(n) >= 1 && sach_config_node_column(n) >= 1, "node without position");
	if (sach_config_node_kind(n) == SACH_CONFIG_SCALAR) {
		double d;
		int64_t i64;
		bool b;
		uint64_t sz;
		int e;
		const char *s;

		check_reader(sach_config_as_double(c, n, "k", -1e300, 1e300, &d));
		check_reader(sach_config_as_int64(c, n, "k", INT64_MIN, INT64_MAX, &i64));
		check_reader(sach_config_as_bool(c, n, "k", &b));
		check_reader(sach_config_as_size(c, n, "k", &sz));
		check_reader(sach_config_as_enum(c, n, "k", choices, &e));
		check_reader(sach_config_as_string(c, n, "k", &s));
		return;
	}
	if (sach_config_node_kind(n) == SACH_CONFIG_MAP) {
		int rc = sach_config_check_keys(c, n, "m", keys);

		check_reader(rc);
		for (i = 0; i < sach_config_node_size(n); i++)
			for (j = i + 1; j < sach_config_node_size(n); j++)
				CHECK(strcmp(sach_config_node_key(n, i), sach_config_node_key(n, j)) != 0,
				      "duplicate key '%s' accepted", sach_config_node_key(n, i));
	}
	for (i = 0; i < sach_config_node_size(n); i++)
		walk(c, sach_config_node_at(n, i), depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sach_config *c = NULL;
	sach_buf json = { 0 };
	int rc = sach_config_load_string(&c, "f.yaml", (const char *)data, size);

	CHECK(rc == SACH_OK || rc == SACH_ECONFIG || rc == SACH_ETOOBIG, "load returned %d: %s",
	      rc, sach_error_last());
	if (rc < 0) {
		CHECK(c == NULL, "failed load left a config");
		return 0;
	}
	if (sach_config_root(c)) {
		json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH * 4);
		json_object *o;

		walk(c, sach_config_root(c), 1);
		CHECK(sach_config_node_to_json(sach_config_root(c), &json) == SACH_OK, "to_json failed");
		CHECK(tok != NULL, "out of memory");
		/* Length + 1: the terminating NUL ends a bare top-level "false" or
		 * "12", which json-c would otherwise wait to see continued. */
		o = json_tokener_parse_ex(tok, json.ptr, (int)json.len + 1);
		CHECK(json_tokener_get_error(tok) == json_tokener_success, /* null parses to NULL */
		      "canonical JSON does not parse: %.200s", json.ptr);
		json_object_put(o);
		json_tokener_free(tok);
	}
	sach_buf_free(&json);
	sach_config_free(c);
	return 0;
}
