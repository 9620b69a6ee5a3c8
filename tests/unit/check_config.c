/*
 * check_config.c - unit tests for sach/config.h: the YAML tree and its
 * positions, the refusals (aliases, anchors, duplicate keys, depth, size),
 * unknown keys, typed readers and their messages, canonical JSON.
 *
 * Public headers only.
 */
#include "sach/common.h"
#include "sach/config.h"
#include "sach/error.h"

#include "check_helpers.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sach_config *load(const char *text)
{
	sach_config *c = NULL;
	int rc = sach_config_load_string(&c, "t.yaml", text, strlen(text));

	ck_assert_msg(rc == SACH_OK, "load failed: %s", sach_error_last());
	return c;
}

/* Loads text that must fail; returns the code and checks the message. */
static int load_fails(const char *text, const char *message_part)
{
	sach_config *c = NULL;
	int rc = sach_config_load_string(&c, "t.yaml", text, strlen(text));

	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(sach_error_last(), message_part) != NULL,
		      "message '%s' lacks '%s'", sach_error_last(), message_part);
	return rc;
}

START_TEST(config_tree_and_positions)
{
	sach_config *c = load("name: demo\n"
			      "stages:\n"
			      "  - normalise\n"
			      "  - filter: {mode: tag}\n"
			      "workers: 2\n");
	const sach_config_node *root = sach_config_root(c), *stages, *f;

	ck_assert_int_eq(sach_config_node_kind(root), SACH_CONFIG_MAP);
	ck_assert_uint_eq(sach_config_node_size(root), 3);
	ck_assert_str_eq(sach_config_node_key(root, 0), "name");
	ck_assert_str_eq(sach_config_node_key(root, 2), "workers");
	ck_assert_str_eq(sach_config_node_text(sach_config_map_get(root, "name")), "demo");
	stages = sach_config_map_get(root, "stages");
	ck_assert_int_eq(sach_config_node_kind(stages), SACH_CONFIG_SEQ);
	ck_assert_uint_eq(sach_config_node_size(stages), 2);
	ck_assert_uint_eq(sach_config_node_line(stages), 3);
	ck_assert_uint_eq(sach_config_node_column(stages), 3);
	f = sach_config_map_get(sach_config_node_at(stages, 1), "filter");
	ck_assert_str_eq(sach_config_node_text(sach_config_map_get(f, "mode")), "tag");
	ck_assert_uint_eq(sach_config_node_line(sach_config_map_get(f, "mode")), 4);
	ck_assert_uint_eq(sach_config_node_column(sach_config_map_get(f, "mode")), 20);
	ck_assert_ptr_null(sach_config_map_get(root, "missing"));
	ck_assert_ptr_null(sach_config_node_text(stages));
	ck_assert_str_eq(sach_config_name(c), "t.yaml");
	sach_config_free(c);
}
END_TEST

START_TEST(config_empty_document)
{
	sach_config *c = load("# only a comment\n");

	ck_assert_ptr_null(sach_config_root(c));
	sach_config_free(c);
}
END_TEST

START_TEST(config_refusals)
{
	ck_assert_int_eq(load_fails("a: 1\nb: [1, 2\n", "t.yaml:"), SACH_ECONFIG);
	ck_assert_int_eq(load_fails("a: &x 1\nb: 2\n", "anchors"), SACH_ECONFIG);
	ck_assert_int_eq(load_fails("a: &x [1]\nb: *x\n", "t.yaml:1:4: anchors"), SACH_ECONFIG);
	ck_assert_int_eq(load_fails("a: 1\nb: 2\na: 3\n",
				    "t.yaml:3:1: duplicate key 'a' (first at line 1)"),
			 SACH_ECONFIG);
	ck_assert_int_eq(load_fails("? [a, b]\n: 1\n", "a key must be a plain name"),
			 SACH_ECONFIG);
	ck_assert_int_eq(load_fails("a: 1\n---\nb: 2\n", "one YAML document"), SACH_ECONFIG);
}
END_TEST

START_TEST(config_depth_limit)
{
	char text[512];
	size_t i, n = 0;

	for (i = 0; i < SACH_CONFIG_MAX_DEPTH; i++)
		text[n++] = '[';
	for (i = 0; i < SACH_CONFIG_MAX_DEPTH; i++)
		text[n++] = ']';
	text[n] = '\0';
	sach_config_free(load(text));
	memmove(text + 1, text, n + 1);
	text[0] = '[';
	text[n + 1] = ']';
	text[n + 2] = '\0';
	ck_assert_int_eq(load_fails(text, "nested deeper than"), SACH_ECONFIG);
}
END_TEST

START_TEST(config_size_limit)
{
	size_t len = SACH_CONFIG_MAX_BYTES + 1;
	char *big = malloc(len);
	sach_config *c = NULL;

	ck_assert_ptr_nonnull(big);
	memset(big, '#', len);
	ck_assert_int_eq(sach_config_load_string(&c, "big.yaml", big, len), SACH_ETOOBIG);
	free(big);
}
END_TEST

START_TEST(config_load_file)
{
	sach_config *c = NULL;
	const char *path = th_path("c.yaml");

	th_write_str(path, "workers: auto\n");
	ck_assert_int_eq(sach_config_load_file(&c, path), SACH_OK);
	ck_assert_str_eq(sach_config_name(c), path);
	ck_assert_str_eq(sach_config_node_text(sach_config_map_get(sach_config_root(c), "workers")),
			 "auto");
	sach_config_free(c);
	ck_assert_int_eq(sach_config_load_file(&c, th_path("absent.yaml")), SACH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "absent.yaml"));
}
END_TEST

START_TEST(config_unknown_keys)
{
	static const char *const allowed[] = { "mode", "rules", NULL };
	sach_config *c = load("filter:\n  mode: drop\n  rulez: {}\n");
	const sach_config_node *f = sach_config_map_get(sach_config_root(c), "filter");

	ck_assert_int_eq(sach_config_check_keys(c, f, "filter", allowed), SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(),
			 "t.yaml:3:3: filter: unknown key 'rulez' (known: mode, rules)");
	ck_assert_int_eq(sach_config_check_keys(c, sach_config_map_get(f, "mode"), "mode",
						allowed),
			 SACH_ECONFIG);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "expected a mapping, got a single value"));
	sach_config_free(c);
}
END_TEST

START_TEST(config_typed_readers)
{
	static const char *const modes[] = { "drop", "tag", NULL };
	sach_config *c = load("d: 0.25\nbad: 0x10\nnan: nan\ni: -42\nbig: 99999999999999999999\n"
			      "b: Yes\nqb: \"true\"\ns: 512M\ns2: 3GiB\ns3: 12 k\nsbad: 5X\n"
			      "m: tag\nlist: [1]\n");
	const sach_config_node *r = sach_config_root(c);
	double d;
	int64_t i;
	bool b;
	uint64_t sz;
	int e;
	const char *s;

	ck_assert_int_eq(sach_config_as_double(c, sach_config_map_get(r, "d"), "d", 0, 1, &d), 0);
	ck_assert(d == 0.25);
	ck_assert_int_eq(sach_config_as_double(c, sach_config_map_get(r, "d"), "d", 0.5, 1, &d),
			 SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml:1:4: d: 0.25 is out of range [0.5, 1]");
	ck_assert_int_eq(sach_config_as_double(c, sach_config_map_get(r, "bad"), "bad", 0, 100,
					       &d),
			 SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml:2:6: bad: expected a number, got '0x10'");
	ck_assert_int_eq(sach_config_as_double(c, sach_config_map_get(r, "nan"), "nan", -1, 1,
					       &d),
			 SACH_ECONFIG);
	ck_assert_int_eq(sach_config_as_int64(c, sach_config_map_get(r, "i"), "i", -100, 100,
					      &i),
			 0);
	ck_assert_int_eq(i, -42);
	ck_assert_int_eq(sach_config_as_int64(c, sach_config_map_get(r, "d"), "d", 0, 9, &i),
			 SACH_ECONFIG);
	ck_assert_int_eq(sach_config_as_int64(c, sach_config_map_get(r, "big"), "big", 0,
					      INT64_MAX, &i),
			 SACH_ECONFIG);
	ck_assert_int_eq(sach_config_as_bool(c, sach_config_map_get(r, "b"), "b", &b), 0);
	ck_assert(b);
	/* A quoted "true" is text, not a boolean. */
	ck_assert_int_eq(sach_config_as_bool(c, sach_config_map_get(r, "qb"), "qb", &b),
			 SACH_ECONFIG);
	ck_assert_int_eq(sach_config_as_size(c, sach_config_map_get(r, "s"), "s", &sz), 0);
	ck_assert_uint_eq(sz, 512u << 20);
	ck_assert_int_eq(sach_config_as_size(c, sach_config_map_get(r, "s2"), "s2", &sz), 0);
	ck_assert_uint_eq(sz, (uint64_t)3 << 30);
	ck_assert_int_eq(sach_config_as_size(c, sach_config_map_get(r, "s3"), "s3", &sz), 0);
	ck_assert_uint_eq(sz, 12u << 10);
	ck_assert_int_eq(sach_config_as_size(c, sach_config_map_get(r, "sbad"), "sbad", &sz),
			 SACH_ECONFIG);
	ck_assert_int_eq(sach_config_as_enum(c, sach_config_map_get(r, "m"), "m", modes, &e), 0);
	ck_assert_int_eq(e, 1);
	ck_assert_int_eq(sach_config_as_enum(c, sach_config_map_get(r, "d"), "mode", modes, &e),
			 SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(),
			 "t.yaml:1:4: mode: expected one of drop, tag, got '0.25'");
	ck_assert_int_eq(sach_config_as_string(c, sach_config_map_get(r, "list"), "list", &s),
			 SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml:13:7: list: expected a text value, got a list");
	ck_assert_int_eq(sach_config_as_string(c, NULL, "absent", &s), SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml: absent: missing value");
	sach_config_free(c);
}
END_TEST

START_TEST(config_to_json)
{
	sach_config *c = load("b: [1, -2.5e3, x, \"7\", null, true, '', ]\na: {k: 'q\"'}\nz:\n");
	sach_buf out = { 0 };

	ck_assert_int_eq(sach_config_node_to_json(sach_config_root(c), &out), 0);
	ck_assert_str_eq(out.ptr,
			 "{\"b\":[1,-2.5e3,\"x\",\"7\",null,true,\"\"],\"a\":{\"k\":\"q\\\"\"},\"z\":null}");
	sach_buf_free(&out);
	sach_config_free(c);
}
END_TEST

START_TEST(config_error_helper)
{
	sach_config *c = load("x: 1\n");

	ck_assert_int_eq(sach_config_error(c, sach_config_map_get(sach_config_root(c), "x"),
					   "bad %s", "thing"),
			 SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml:1:4: bad thing");
	ck_assert_int_eq(sach_config_error(c, NULL, "whole file"), SACH_ECONFIG);
	ck_assert_str_eq(sach_error_last(), "t.yaml: whole file");
	sach_config_free(c);
}
END_TEST

Suite *sach_config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("config");

	tcase_add_unchecked_fixture(t, th_tmpdir_setup, th_tmpdir_teardown);
	tcase_add_test(t, config_tree_and_positions);
	tcase_add_test(t, config_empty_document);
	tcase_add_test(t, config_refusals);
	tcase_add_test(t, config_depth_limit);
	tcase_add_test(t, config_size_limit);
	tcase_add_test(t, config_load_file);
	tcase_add_test(t, config_unknown_keys);
	tcase_add_test(t, config_typed_readers);
	tcase_add_test(t, config_to_json);
	tcase_add_test(t, config_error_helper);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
