/*
 * check_shard.c - unit tests for sach/shard.h: the split spec and the split
 * formula (fixed answers that must never change), syllable counts, shard
 * names and the size cap, the shuffle (same bytes for any memory setting),
 * the manifest's content and config hash, the rules for a non-empty output
 * directory, and sach_shard_verify() against a flipped byte, a missing, a
 * truncated and an extra shard.
 *
 * Documents are made here (ids "doc-N"); outputs go to a temporary
 * directory. Public headers only.
 */
#include "sach/common.h"
#include "sach/error.h"
#include "sach/io.h"
#include "sach/shard.h"

#include "check_helpers.h"

#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------- */

/* A JSON line for document n: {"id": "doc-N", "text": "..."} with a text
 * of n % 7 + 1 words. */
static size_t make_line(char *buf, size_t size, unsigned n)
{
	char text[256] = "";
	unsigned k;

	for (k = 0; k <= n % 7; k++)
		strcat(text, k ? " chu" : "xin");
	return (size_t)snprintf(buf, size, "{\"id\": \"doc-%u\", \"text\": \"%s %u\"}", n, text, n);
}

static sach_shard_writer *open_writer(const char *dir, sach_shard_options *o)
{
	sach_shard_writer *w = NULL;
	int rc = sach_shard_writer_open(&w, dir, o);

	ck_assert_msg(rc == SACH_OK, "open %s: %d %s", dir, rc, sach_error_last());
	return w;
}

/* Writes docs 0..n-1 with the given options into dir and finishes. */
static void run_docs(const char *dir, sach_shard_options *o, unsigned n)
{
	sach_shard_writer *w = open_writer(dir, o);
	char line[512], id[32];
	unsigned i;

	for (i = 0; i < n; i++) {
		size_t len = make_line(line, sizeof(line), i);
		snprintf(id, sizeof(id), "doc-%u", i);
		ck_assert_int_eq(sach_shard_writer_add_line(w, id, strlen(id), line, len, 0), 0);
	}
	ck_assert_msg(sach_shard_writer_finish(w) == 0, "%s", sach_error_last());
	sach_shard_writer_free(w);
}

static json_object *load_manifest(const char *dir)
{
	char path[4200];
	json_object *m;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_object_from_file(path);
	ck_assert_msg(m != NULL, "cannot parse %s", path);
	return m;
}

static uint64_t get_u64(json_object *o, const char *key)
{
	json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
	return json_object_get_uint64(v);
}

struct problems {
	int n;
	char text[16][300];
};

static void collect(void *ctx, const char *file, const char *problem)
{
	struct problems *p = ctx;

	if (p->n < 16)
		snprintf(p->text[p->n], sizeof(p->text[0]), "%s: %s", file, problem);
	p->n++;
}

static bool has_problem(const struct problems *p, const char *needle)
{
	int i;

	for (i = 0; i < p->n && i < 16; i++)
		if (strstr(p->text[i], needle))
			return true;
	return false;
}

static struct problems verify_dir(const char *dir)
{
	struct problems p;
	char path[4200];
	uint64_t n = 0, shards = 0;

	memset(&p, 0, sizeof(p));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	ck_assert_int_eq(sach_shard_verify(path, collect, &p, &n, &shards), 0);
	ck_assert_uint_eq(n, (uint64_t)p.n);
	return p;
}

/* ---- splits -------------------------------------------------------------- */

START_TEST(shard_parse_splits)
{
	sach_shard_split *s = NULL;
	size_t n = 0;

	ck_assert_int_eq(sach_shard_parse_splits("train=0.99,validation=0.01", &s, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(s[0].name, "train");
	ck_assert_str_eq(s[1].name, "validation");
	ck_assert(s[0].fraction == 0.99 && s[1].fraction == 0.01);
	sach_shard_splits_free(s);

	ck_assert_int_eq(sach_shard_parse_splits("a=0.5,b=0.4", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("a=0.5,a=0.5", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("a-b=1", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("a=x", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("a", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("a=0,b=1", &s, &n), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_parse_splits("", &s, &n), SACH_EINVAL);
	ck_assert_ptr_null(s);
}
END_TEST

/* The split of an id is part of the output format: these answers were
 * computed once with the documented formula and must never change. */
START_TEST(shard_split_stable)
{
	sach_shard_split s[3] = { { "train", 0.8 }, { "validation", 0.1 }, { "test", 0.1 } };
	static const char *const ids[] = { "doc-0", "doc-10", "doc-11", "doc-12", "doc-13",
					   "doc-15", "doc-16", "doc-24", "doc-36", "" };
	static const size_t want[] = { 0, 0, 1, 0, 2, 1, 1, 1, 1, 0 };
	char id[32];
	size_t i, count[3] = { 0, 0, 0 };

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		ck_assert_msg(sach_shard_split_of(s, 3, ids[i], strlen(ids[i])) == want[i],
			      "id '%s': split %zu, want %zu", ids[i],
			      sach_shard_split_of(s, 3, ids[i], strlen(ids[i])), want[i]);
	/* Proportions: 100000 ids, each share within 1% of its fraction. */
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "id-%zu", i);
		count[sach_shard_split_of(s, 3, id, strlen(id))]++;
	}
	ck_assert_msg(count[0] > 79000 && count[0] < 81000, "train %zu", count[0]);
	ck_assert_msg(count[1] > 9000 && count[1] < 11000, "validation %zu", count[1]);
	ck_assert_msg(count[2] > 9000 && count[2] < 11000, "test %zu", count[2]);
	/* One split takes everything. */
	ck_assert_uint_eq(sach_shard_split_of(s, 1, "x", 1), 0);
}
END_TEST

/* ---- syllables ----------------------------------------------------------- */

START_TEST(shard_syllables)
{
#define SYL(lit) sach_shard_count_syllables((lit), sizeof(lit) - 1)
	ck_assert_uint_eq(SYL(""), 0);
	ck_assert_uint_eq(SYL("   \n\t "), 0);
	ck_assert_uint_eq(SYL("xin chao"), 2);
	/* "Vi\xe1\xbb\x87t Nam" = Viet (e with circumflex and dot below) Nam */
	ck_assert_uint_eq(SYL("Vi\xe1\xbb\x87t Nam"), 2);
	/* digits and punctuation make a token not a syllable */
	ck_assert_uint_eq(SYL("n\xc4\x83m 2024, ok."), 1);
	/* NBSP (U+00A0) and U+3000 separate tokens */
	ck_assert_uint_eq(SYL("a\xc2\xa0" "b\xe3\x80\x80" "c"), 3);
	/* combining acute after a: still letters */
	ck_assert_uint_eq(SYL("a\xcc\x81 b"), 2);
	/* invalid UTF-8 is not a letter */
	ck_assert_uint_eq(SYL("ab\xff cd"), 1);
	/* CJK is not in the letter set */
	ck_assert_uint_eq(SYL("\xe4\xb8\xad x"), 1);
	/* the characters decoded inline: U+1680 and U+2003 separate, U+1DC0
	 * is a mark, U+00D7 and U+02B0 are not letters, Greek and Cyrillic are */
	ck_assert_uint_eq(SYL("a\xe1\x9a\x80" "b\xe2\x80\x83" "c"), 3);
	ck_assert_uint_eq(SYL("a\xe1\xb7\x80 \xe1\xbb\x9d"), 2);
	ck_assert_uint_eq(SYL("2\xc3\x97" "3 \xca\xb0 x"), 1);
	ck_assert_uint_eq(SYL("\xce\xb1\xce\xb2 \xd0\xb4\xd0\xb0"), 2);
	/* a character cut at the end of the text, and a lone lead byte */
	ck_assert_uint_eq(SYL("ab \xc3"), 1);
	ck_assert_uint_eq(SYL("ab \xe1\xbb"), 1);
	ck_assert_uint_eq(SYL("a\xc3 b"), 1);
#undef SYL
}
END_TEST

/* ---- shards -------------------------------------------------------------- */

START_TEST(shard_names_and_cap)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	const char *dir = th_path("cap");
	json_object *m, *shards;
	char line[512], first[256];
	size_t i, n;
	uint64_t total = 0, docs = 0;

	o.max_bytes = 1000;
	run_docs(dir, &o, 200);
	m = load_manifest(dir);
	ck_assert(json_object_object_get_ex(m, "shards", &shards));
	n = json_object_array_length(shards);
	ck_assert_uint_gt(n, 5);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(shards, i), *f;
		char want[128];
		uint64_t b = get_u64(s, "bytes");

		snprintf(want, sizeof(want), "train-%05zu-of-%05zu.jsonl.zst", i, n);
		ck_assert(json_object_object_get_ex(s, "file", &f));
		ck_assert_str_eq(json_object_get_string(f), want);
		ck_assert_msg(b <= 1000, "shard %zu has %llu bytes", i, (unsigned long long)b);
		/* Not cut early: the next document would not have fitted. */
		if (i + 1 < n) {
			size_t next = make_line(line, sizeof(line), (unsigned)(docs + get_u64(s, "documents"))) + 1;
			ck_assert_uint_gt(b + next, 1000);
		}
		docs += get_u64(s, "documents");
		total += b;
	}
	ck_assert_uint_eq(docs, 200);
	ck_assert_uint_eq(total, get_u64(json_object_object_get(m, "totals"), "bytes"));
	json_object_put(m);
	/* Nothing but shards and the manifest is left. */
	ck_assert(!th_exists(th_path("cap/.sach-shard.tmp")));
	(void)first;
}
END_TEST

START_TEST(shard_big_document_alone)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	const char *dir = th_path("big");
	sach_shard_writer *w;
	char big[3000];
	json_object *m, *shards;

	o.max_bytes = 100;
	w = open_writer(dir, &o);
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"id\": \"b\", \"text\": \"", 21);
	memcpy(big + sizeof(big) - 2, "\"}", 2);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "a", 1, "{\"id\": \"a\"}", 11, 0), 0);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "b", 1, big, sizeof(big), 1), 0);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "c", 1, "{\"id\": \"c\"}\n", 12, 0), 0);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "d", 1, "{}\n{}", 5, 0), SACH_EINVAL);
	ck_assert_int_eq(sach_shard_writer_finish(w), 0);
	sach_shard_writer_free(w);
	m = load_manifest(dir);
	shards = json_object_object_get(m, "shards");
	ck_assert_uint_eq(json_object_array_length(shards), 3);
	ck_assert_uint_eq(get_u64(json_object_array_get_idx(shards, 1), "bytes"), sizeof(big) + 1);
	ck_assert_uint_eq(get_u64(json_object_array_get_idx(shards, 1), "documents"), 1);
	json_object_put(m);
	ck_assert_int_eq(verify_dir(dir).n, 0);
}
END_TEST

/* Reads a directory's shards of one split, decompressed, in order. */
static char *split_content(const char *dir, const char *split, size_t *len)
{
	char cmd[8400];
	FILE *p;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	snprintf(cmd, sizeof(cmd), "cat '%s'/%s-*.jsonl.zst | zstd -dcq", dir, split);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	do {
		if (cap - n < 65536) {
			buf = realloc(buf, cap = cap ? cap * 2 : 65536 * 2);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, cap - n, p);
		n += got;
	} while (got);
	ck_assert_int_eq(pclose(p), 0);
	*len = n;
	return buf;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted copy of the lines of a buffer, joined again. */
static char *sorted_lines(char *buf, size_t len)
{
	char **v = calloc(len + 1, sizeof(*v)), *out = malloc(len + 1), *p = buf;
	size_t n = 0, i, o = 0;

	ck_assert(v && out);
	while (p < buf + len) {
		char *nl = memchr(p, '\n', (size_t)(buf + len - p));
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		v[n++] = p;
		p = nl + 1;
	}
	qsort(v, n, sizeof(*v), cmp_lines);
	for (i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		memcpy(out + o, v[i], l);
		o += l;
		out[o++] = '\n';
	}
	free(v);
	return out;
}

START_TEST(shard_shuffle_deterministic)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	sach_shard_split s[2] = { { "train", 0.9 }, { "test", 0.1 } };
	char *a, *b, *c, *plain, *sa, *sp;
	size_t la, lb, lc, lp;

	o.max_bytes = 2000;
	o.splits = s;
	o.nsplits = 2;
	run_docs(th_path("plain"), &o, 500);
	o.shuffle = true;
	o.shuffle_seed = 42;
	o.dataset_name = "x";
	run_docs(th_path("mem"), &o, 500);
	o.shuffle_memory = 700; /* many spill files, and their compaction */
	run_docs(th_path("spill"), &o, 500);
	o.shuffle_seed = 43;
	o.shuffle_memory = 0;
	run_docs(th_path("seed43"), &o, 500);

	a = split_content(th_path("mem"), "train", &la);
	b = split_content(th_path("spill"), "train", &lb);
	c = split_content(th_path("seed43"), "train", &lc);
	plain = split_content(th_path("plain"), "train", &lp);
	th_assert_bytes(a, la, b, lb);
	ck_assert(la == lc && memcmp(a, c, la) != 0);
	ck_assert(la == lp && memcmp(a, plain, la) != 0);
	/* A permutation of the same documents. */
	sa = sorted_lines(a, la);
	sp = sorted_lines(plain, lp);
	ck_assert(memcmp(sa, sp, la) == 0);
	free(a), free(b), free(c), free(plain), free(sa), free(sp);
	/* Manifests identical too (same dataset name), whatever the memory. */
	a = th_read_file(th_path("mem/manifest.json"), &la);
	b = th_read_file(th_path("spill/manifest.json"), &lb);
	th_assert_bytes(a, la, b, lb);
	free(a), free(b);
	ck_assert_int_eq(verify_dir(th_path("spill")).n, 0);
}
END_TEST

/* ---- manifest ------------------------------------------------------------ */

START_TEST(shard_manifest_content)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	sach_shard_split s[2] = { { "train", 0.75 }, { "validation", 0.25 } };
	sach_shard_input in = { "in.jsonl", 1234, true, UINT64_C(0x0123456789abcdef) };
	const char *dir = th_path("man");
	sach_shard_writer *w;
	json_object *m, *v, *splits;
	sach_buf cfg = { 0 };
	uint64_t hash;
	char hex[17], line[512], id[32];
	char *text;
	size_t len, i;

	o.splits = s;
	o.nsplits = 2;
	o.level = 5;
	o.max_bytes = 5000;
	o.dataset_name = "demo";
	o.dataset_version = "1.2";
	w = open_writer(dir, &o);
	ck_assert_int_eq(sach_shard_writer_add_input(w, &in), 0);
	for (i = 0; i < 100; i++) {
		len = make_line(line, sizeof(line), (unsigned)i);
		snprintf(id, sizeof(id), "doc-%zu", i);
		ck_assert_int_eq(sach_shard_writer_add_line(w, id, strlen(id), line, len, 3), 0);
	}
	ck_assert_int_eq(sach_shard_writer_finish(w), 0);
	sach_shard_writer_free(w);

	text = th_read_file(th_path("man/manifest.json"), &len);
	/* Fixed key order, no timestamp. */
	ck_assert_msg(strncmp(text, "{\n  \"format\": \"sach-shards\",\n  \"format_version\": 1,\n"
				    "  \"dataset\": {\n    \"name\": \"demo\",\n    \"version\": \"1.2\"\n",
			      95) == 0, "%s", th_show(text, 200));
	ck_assert_ptr_null(strstr(text, "created"));
	free(text);

	m = load_manifest(dir);
	ck_assert_int_eq(sach_shard_config_hash(&o, &cfg, &hash), 0);
	/* The compact config is what Python's json.dumps(separators=(",", ":")) writes. */
	ck_assert_str_eq(cfg.ptr,
			 "{\"max_bytes\":5000,\"max_bytes_counts\":\"uncompressed jsonl\","
			 "\"compression\":\"zstd\",\"level\":5,\"splits\":[{\"name\":\"train\","
			 "\"fraction\":0.75},{\"name\":\"validation\",\"fraction\":0.25}],"
			 "\"split_hash\":\"xxh3_64(id, seed=0x73616368) >> 11\",\"shuffle\":null,"
			 "\"syllables\":\"letter-tokens\"}");
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)hash);
	ck_assert(json_object_object_get_ex(m, "config_hash", &v));
	ck_assert_str_eq(json_object_get_string(v), hex);
	ck_assert(json_object_object_get_ex(m, "inputs", &v));
	ck_assert_str_eq(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			 "[{\"path\":\"in.jsonl\",\"bytes\":1234,\"xxh3_64\":\"0123456789abcdef\"}]");
	ck_assert(json_object_object_get_ex(m, "tool", &v));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(v, "version")),
			 sach_version_string());
	splits = json_object_object_get(m, "splits");
	ck_assert_uint_eq(get_u64(json_object_object_get(splits, "train"), "documents") +
			  get_u64(json_object_object_get(splits, "validation"), "documents"), 100);
	v = json_object_object_get(m, "totals");
	ck_assert_uint_eq(get_u64(v, "documents"), 100);
	ck_assert_uint_eq(get_u64(v, "syllables"), 300);
	json_object_put(m);
	sach_buf_free(&cfg);
	ck_assert_int_eq(verify_dir(dir).n, 0);
	/* is_complete: same config and input, yes; another config, no. */
	ck_assert_int_eq(sach_shard_is_complete(dir, &o, &in, 1), 1);
	o.level = 6;
	ck_assert_int_eq(sach_shard_is_complete(dir, &o, &in, 1), 0);
}
END_TEST

START_TEST(shard_timestamp_opt_in)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	char *text;
	size_t len;

	o.timestamp = true;
	run_docs(th_path("ts"), &o, 3);
	text = th_read_file(th_path("ts/manifest.json"), &len);
	ck_assert_ptr_nonnull(strstr(text, "\"created\": \"20"));
	free(text);
	ck_assert_int_eq(verify_dir(th_path("ts")).n, 0);
}
END_TEST

/* ---- the output directory ------------------------------------------------ */

START_TEST(shard_refuse_and_overwrite)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	const char *dir = th_path("ow");
	sach_shard_writer *w = NULL;
	char first[256];

	o.max_bytes = 500;
	run_docs(dir, &o, 100);
	ck_assert_int_eq(sach_shard_writer_open(&w, dir, &o), SACH_EINVAL);
	ck_assert_ptr_null(w);
	ck_assert_ptr_nonnull(strstr(sach_error_last(), "not empty"));
	o.existing = SACH_SHARD_RESUME;
	ck_assert_int_eq(sach_shard_writer_open(&w, dir, &o), SACH_EINVAL);
	/* Overwrite with fewer shards: the old ones are gone, a stranger stays. */
	th_write_str(th_path("ow/README"), "mine\n");
	o.existing = SACH_SHARD_OVERWRITE;
	o.max_bytes = 0;
	run_docs(dir, &o, 10);
	ck_assert(th_exists(th_path("ow/README")));
	ck_assert(th_exists(th_path("ow/train-00000-of-00001.jsonl.zst")));
	ck_assert(!th_exists(th_path("ow/train-00000-of-00002.jsonl.zst")));
	ck_assert_int_eq(verify_dir(dir).n, 0);
	(void)first;
}
END_TEST

START_TEST(shard_unfinished_leaves_nothing)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	const char *dir = th_path("unf");
	sach_shard_writer *w;

	o.max_bytes = 100;
	w = open_writer(dir, &o);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "a", 1, "{\"id\": \"a\"}", 11, 0), 0);
	ck_assert_int_eq(sach_shard_writer_add_line(w, "b", 1, "{\"id\": \"b\"}", 11, 0), 0);
	ck_assert(!th_exists(th_path("unf/manifest.json")));
	sach_shard_writer_free(w);
	ck_assert(th_exists(dir));
	ck_assert(!th_exists(th_path("unf/.sach-shard.tmp")));
	ck_assert(!th_exists(th_path("unf/manifest.json")));
	ck_assert(!th_exists(th_path("unf/train-00000-of-00001.jsonl.zst")));
}
END_TEST

/* ---- verify -------------------------------------------------------------- */

static void make_damaged(const char *name)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;

	o.max_bytes = 2000;
	run_docs(th_path("%s", name), &o, 100);
	ck_assert_int_eq(verify_dir(th_path("%s", name)).n, 0);
}

START_TEST(shard_verify_flipped_byte)
{
	char *data;
	size_t len;
	struct problems p;

	make_damaged("flip");
	data = th_read_file(th_path("flip/train-00001-of-00003.jsonl.zst"), &len);
	data[len / 2] ^= 0x01;
	th_write_file(th_path("flip/train-00001-of-00003.jsonl.zst"), data, len);
	free(data);
	p = verify_dir(th_path("flip"));
	ck_assert_int_ge(p.n, 1);
	ck_assert_msg(has_problem(&p, "train-00001-of-00003.jsonl.zst: checksum"), "%s", p.text[0]);
}
END_TEST

START_TEST(shard_verify_missing)
{
	struct problems p;

	make_damaged("miss");
	ck_assert_int_eq(unlink(th_path("miss/train-00002-of-00003.jsonl.zst")), 0);
	p = verify_dir(th_path("miss"));
	ck_assert_int_eq(p.n, 1);
	ck_assert_str_eq(p.text[0], "train-00002-of-00003.jsonl.zst: missing");
}
END_TEST

START_TEST(shard_verify_truncated)
{
	char *data;
	size_t len;
	struct problems p;

	make_damaged("cut");
	data = th_read_file(th_path("cut/train-00000-of-00003.jsonl.zst"), &len);
	th_write_file(th_path("cut/train-00000-of-00003.jsonl.zst"), data, len - 7);
	free(data);
	p = verify_dir(th_path("cut"));
	ck_assert(has_problem(&p, "train-00000-of-00003.jsonl.zst: size"));
	ck_assert(has_problem(&p, "train-00000-of-00003.jsonl.zst: checksum"));
	ck_assert(has_problem(&p, "truncated"));
}
END_TEST

START_TEST(shard_verify_extra)
{
	struct problems p;

	make_damaged("extra");
	th_write_str(th_path("extra/train-00003-of-00004.jsonl.zst"), "x");
	th_write_str(th_path("extra/notes.txt"), "not a shard\n");
	p = verify_dir(th_path("extra"));
	ck_assert_int_eq(p.n, 1);
	ck_assert_str_eq(p.text[0], "train-00003-of-00004.jsonl.zst: not listed in the manifest");
}
END_TEST

START_TEST(shard_verify_not_manifest)
{
	struct problems p;
	uint64_t n = 0;

	memset(&p, 0, sizeof(p));
	th_write_str(th_path("m.json"), "{\"a\": 1}");
	ck_assert_int_eq(sach_shard_verify(th_path("m.json"), collect, &p, &n, NULL), SACH_EJSON);
	th_write_str(th_path("m2.json"), "not json");
	ck_assert_int_eq(sach_shard_verify(th_path("m2.json"), collect, &p, &n, NULL), SACH_EJSON);
	ck_assert_int_eq(sach_shard_verify(th_path("none.json"), collect, &p, &n, NULL), SACH_EIO);
}
END_TEST

/* sach_shard_writer_add(): a document read by sach_reader, written back as
 * read, split by its id. */
START_TEST(shard_add_doc)
{
	sach_shard_options o = SACH_SHARD_OPTIONS_INIT;
	sach_reader_options ro = SACH_READER_OPTIONS_INIT;
	const char *src = "{\"id\": 7, \"text\": \"m\\u1ed9t hai\", \"x\": 1.50}\n"
			  "{\"text\": \"ba\"}\n";
	sach_shard_writer *w;
	sach_reader *r = NULL;
	sach_doc *d;
	char *got;
	size_t len;
	json_object *m;

	th_write_str(th_path("docs.jsonl"), src);
	w = open_writer(th_path("adddoc"), &o);
	ck_assert_int_eq(sach_reader_open(&r, th_path("docs.jsonl"), &ro), 0);
	while (sach_reader_next(r, &d) == 1)
		ck_assert_int_eq(sach_shard_writer_add(w, d), 0);
	sach_reader_close(r);
	ck_assert_int_eq(sach_shard_writer_finish(w), 0);
	sach_shard_writer_free(w);
	got = split_content(th_path("adddoc"), "train", &len);
	th_assert_bytes(got, len, src, strlen(src));
	free(got);
	m = load_manifest(th_path("adddoc"));
	ck_assert_uint_eq(get_u64(json_object_object_get(m, "totals"), "syllables"), 3);
	json_object_put(m);
}
END_TEST

static Suite *sach_shard_suite(void)
{
	Suite *s = suite_create("shard");
	TCase *split = tcase_create("split"), *out = tcase_create("output"),
	      *ver = tcase_create("verify");

	tcase_add_test(split, shard_parse_splits);
	tcase_add_test(split, shard_split_stable);
	tcase_add_test(split, shard_syllables);
	suite_add_tcase(s, split);

	tcase_add_unchecked_fixture(out, th_tmpdir_setup, th_tmpdir_teardown);
	tcase_set_timeout(out, 60);
	tcase_add_test(out, shard_names_and_cap);
	tcase_add_test(out, shard_big_document_alone);
	tcase_add_test(out, shard_shuffle_deterministic);
	tcase_add_test(out, shard_manifest_content);
	tcase_add_test(out, shard_timestamp_opt_in);
	tcase_add_test(out, shard_refuse_and_overwrite);
	tcase_add_test(out, shard_unfinished_leaves_nothing);
	tcase_add_test(out, shard_add_doc);
	suite_add_tcase(s, out);

	tcase_add_unchecked_fixture(ver, th_tmpdir_setup, th_tmpdir_teardown);
	tcase_add_test(ver, shard_verify_flipped_byte);
	tcase_add_test(ver, shard_verify_missing);
	tcase_add_test(ver, shard_verify_truncated);
	tcase_add_test(ver, shard_verify_extra);
	tcase_add_test(ver, shard_verify_not_manifest);
	suite_add_tcase(s, ver);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sach_shard_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
